//! XML for every part parser: decoding part bytes to text, and a pull tokenizer over it
//! (reader.rs) that matches names by local name and never expands a DTD.

mod reader;

pub use reader::{Error, Event, Reader, Tag, Text};

/// The text of an XML part: strips a UTF-8 byte-order mark and decodes UTF-16 parts
/// (some .NET writers produce them). Invalid UTF-8 is replaced, not fatal. Valid UTF-8
/// keeps its buffer: a large part is never held twice.
pub fn decode(mut bytes: Vec<u8>) -> String {
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => return utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => return utf16(rest, u16::from_be_bytes),
        [0xEF, 0xBB, 0xBF, ..] => {
            bytes.drain(..3);
        }
        _ => {}
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// A reader over a decoded part.
pub fn reader(text: &str) -> Reader<'_> {
    Reader::new(text)
}

/// Appends the character data of a text or CDATA event to `out`; other events add
/// nothing.
pub fn push_text(ev: &Event<'_>, out: &mut String) {
    if let Event::Text(t) | Event::CData(t) = ev {
        t.push_to(out);
    }
}

/// Parses an XML boolean as Office writes it (`1`/`0`, `true`/`false`, any case).
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>".to_vec()), "<a/>");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<å/>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(le), "<å/>");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("<b/>".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(be), "<b/>");
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_bool("1"), Some(true));
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("false"), Some(false));
        assert_eq!(parse_bool("yes"), None);
    }
}
