//! XML for every part parser: decoding part bytes to text, and a pull tokenizer over it
//! (reader.rs) that matches names by local name and never expands a DTD.

pub mod mce;
mod reader;

pub use reader::{Error, Event, Reader, Tag, Text, push_references, resolve};

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

/// Bytes of text gathered into one piece (a paragraph, a cell, a comment, a property) at
/// most. Parsers gather a piece from many events; without a cap one paragraph of a
/// million runs would be held whole (and searched whole).
pub const MAX_PIECE: usize = 16 << 20;

thread_local! {
    /// Text was cut at `MAX_PIECE` since the part began (see `take_cut`).
    static CUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Appends the character data of a text or CDATA event to `out` while `out` stays within
/// `MAX_PIECE`; other events add nothing.
pub fn push_text(ev: &Event<'_>, out: &mut String) {
    if let Event::Text(t) | Event::CData(t) = ev
        && fits(out, t.raw().len())
    {
        t.push_to(out);
    }
}

/// Whether `add` more bytes keep the piece `out` within `MAX_PIECE`. When not, the caller
/// leaves them out and the cut is recorded for the part's reader (`take_cut`): the file is
/// then not fully read, never silently shortened.
pub fn fits(out: &str, add: usize) -> bool {
    let ok = out.len().saturating_add(add) <= MAX_PIECE;
    if !ok {
        CUT.set(true);
    }
    ok
}

/// Whether a piece was cut at `MAX_PIECE` since the last call; clears it. One part is read
/// at a time on a thread, so the flag belongs to the part being read.
pub fn take_cut() -> bool {
    CUT.replace(false)
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
