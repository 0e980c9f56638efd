//! Small helpers over quick-xml shared by every part parser: decoding part bytes to text,
//! matching names by local name (prefixes are conventions only: Strict packages use other
//! namespaces for the same elements), and resolving references without ever expanding a DTD.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart};

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

/// A pull reader over a decoded part, configured for real-world files: end names are not
/// checked (some writers emit mismatched prefixes) and whitespace is kept.
pub fn reader(text: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_str(text);
    let config = r.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    r
}

/// An XML syntax error as a message: where and what.
pub fn ill_formed(r: &Reader<&[u8]>, e: impl std::fmt::Display) -> String {
    format!("ill-formed XML at byte {}: {e}", r.error_position())
}

/// Whether an element's local name (after any prefix) is `name`.
pub fn is(e: &BytesStart<'_>, name: &str) -> bool {
    e.local_name().as_ref() == name
}

/// An element's local name.
pub fn local<'a>(e: &'a BytesStart<'_>) -> &'a str {
    e.local_name().into_inner()
}

/// The value of the attribute whose local name is `name`, with references resolved.
/// An attribute that cannot be decoded counts as absent.
pub fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let [value] = attrs(e, [name]);
    value.map(std::borrow::Cow::into_owned)
}

/// The values of several attributes in one pass over an element's attributes, by local
/// name, in the order of `names`; borrowed unless a reference had to be resolved. No
/// duplicate check (the first match is what we want) and no normalisation work for the
/// usual plain value: this runs for every cell of every sheet.
pub fn attrs<'e, const N: usize>(
    e: &'e BytesStart<'_>,
    names: [&str; N],
) -> [Option<std::borrow::Cow<'e, str>>; N] {
    let mut out = [const { None }; N];
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.local_name();
        if let Some(i) = names.iter().position(|n| key.as_ref() == *n)
            && out[i].is_none()
        {
            out[i] = Some(if a.value.contains(['&', '\t', '\n', '\r']) {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|v| std::borrow::Cow::Owned(v.into_owned()))
                    .unwrap_or(a.value)
            } else {
                a.value
            });
        }
    }
    out
}

/// The relationship id of an element (`r:id`): the prefixed attribute named `id`, not an
/// unprefixed `id` (slides have both).
pub fn rel_id(e: &BytesStart<'_>) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "id" && a.key.prefix().is_some())
        .map(|a| a.value.into_owned())
}

/// Appends the text of a general reference (`&amp;`, `&#xE5;`) to `out`. Unknown entities
/// stay as written: entities declared in a DTD are never expanded (no XML bombs, no XXE).
pub fn push_ref(r: &BytesRef<'_>, out: &mut String) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    let name = r.xml10_content();
    match name.as_ref() {
        "amp" => out.push('&'),
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "quot" => out.push('"'),
        "apos" => out.push('\''),
        other => {
            out.push('&');
            out.push_str(other);
            out.push(';');
        }
    }
}

/// Appends the character data of a text, CDATA or reference event to `out`; other events
/// add nothing.
pub fn push_text(ev: &quick_xml::events::Event<'_>, out: &mut String) {
    use quick_xml::events::Event;
    match ev {
        Event::Text(t) => out.push_str(&t.xml10_content()),
        Event::CData(t) => out.push_str(&t.xml10_content()),
        Event::GeneralRef(g) => push_ref(g, out),
        _ => {}
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
