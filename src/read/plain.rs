//! Text of content that is not XML of Office's own, as a person sees it: HTML and RTF
//! that Word imports (`w:altChunk`) or that export tools save under Office names (RTF as
//! .doc, HTML as .xls), CSV and plain text. Markup is dropped, character references and
//! escapes are decoded; no layout is kept but line breaks (and a CSV's cells).

use std::borrow::Cow;

/// The text an HTML page shows: tags, comments, scripts and styles dropped, entities
/// decoded, block elements and `<br>` as line breaks.
pub fn html(src: &str) -> String {
    let mut out = String::with_capacity(src.len() / 2);
    let mut rest = src;
    while let Some(i) = rest.find('<') {
        entities(&rest[..i], &mut out);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |j| &after[j + 3..]);
            continue;
        }
        // A tag cut off by the end of the text runs to its end.
        let (tag, end) = match rest.find('>') {
            Some(j) => (&rest[1..j], j + 1),
            None => (&rest[1..], rest.len()),
        };
        let closing = tag.starts_with('/');
        let tag = tag.trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &rest[end..];
        match name.as_str() {
            "script" | "style" if !closing && !tag.ends_with('/') => {
                let close = format!("</{name}");
                rest = find_ascii_ci(rest, &close).map_or("", |j| &rest[j..]);
            }
            // `row` and `cell`: Excel's XML spreadsheet (2003), saved as .xls by exports.
            "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            | "table" | "title" | "row" => out.push('\n'),
            "td" | "th" | "cell" if !closing => out.push('\t'),
            _ => {}
        }
    }
    entities(rest, &mut out);
    out
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Appends `s` with HTML character references decoded.
fn entities(s: &str, out: &mut String) {
    crate::read::xml::push_references(s, out, entity);
}

/// The character an HTML reference names: XML's, and HTML's names for Latin-1 and
/// typography.
fn entity(name: &str) -> Option<char> {
    if let Some(c) = crate::read::xml::resolve(name) {
        return Some(c);
    }
    if let Some(i) = LATIN1.split(' ').position(|n| n == name) {
        return char::from_u32(0xA0 + i as u32);
    }
    Some(match name {
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "hellip" => '…',
        "bull" => '•',
        "euro" => '€',
        "trade" => '™',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        _ => return None,
    })
}

/// HTML's names of U+00A0–U+00FF, in order.
const LATIN1: &str = "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";

/// The text of an RTF document: control words and groups of destinations that hold no text
/// (font and colour tables, pictures, `\*` groups) dropped; `\'hh` read as Windows-1252 (the
/// code page Norwegian documents use), `\uN` as the character.
pub fn rtf(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::new();
    // Per open group: whether its text is skipped.
    let mut skip = vec![false];
    let mut i = 0;
    // Characters to drop after `\uN` (its fallback), per `\ucN`.
    let (mut uc, mut drop) = (1usize, 0usize);
    while i < b.len() {
        let skipping = *skip.last().unwrap_or(&false);
        match b[i] {
            b'{' => {
                skip.push(skipping);
                i += 1;
            }
            b'}' => {
                if skip.len() > 1 {
                    skip.pop();
                }
                i += 1;
            }
            b'\\' => {
                i += 1;
                let Some(&c) = b.get(i) else { break };
                if c.is_ascii_alphabetic() {
                    let start = i;
                    while i < b.len() && b[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                    let word = &src[start..i];
                    let nstart = i;
                    if i < b.len() && (b[i] == b'-' || b[i].is_ascii_digit()) {
                        i += 1;
                        while i < b.len() && b[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                    let arg: Option<i32> = src[nstart..i].parse().ok();
                    if b.get(i) == Some(&b' ') {
                        i += 1;
                    }
                    match word {
                        "fonttbl" | "colortbl" | "stylesheet" | "info" | "pict" | "object"
                        | "header" | "footer" | "themedata" | "datastore" | "latentstyles" => {
                            // Header and footer text is text too; the rest is not.
                            if !matches!(word, "header" | "footer" | "info")
                                && let Some(s) = skip.last_mut()
                            {
                                *s = true;
                            }
                        }
                        "par" | "line" | "row" | "sect" | "page" if !skipping => out.push('\n'),
                        "tab" | "cell" if !skipping => out.push('\t'),
                        "uc" => uc = arg.unwrap_or(1).max(0) as usize,
                        "u" if !skipping => {
                            let n = arg.unwrap_or(0);
                            let n = if n < 0 { n + 65536 } else { n };
                            if let Some(c) = char::from_u32(n as u32) {
                                out.push(c);
                            }
                            drop = uc;
                        }
                        _ => {}
                    }
                } else {
                    // A control symbol: one character (never half of one).
                    i += src[i..].chars().next().map_or(1, char::len_utf8);
                    match c {
                        b'*' => {
                            if let Some(s) = skip.last_mut() {
                                *s = true;
                            }
                        }
                        b'\'' => {
                            let hex = src
                                .get(i..i + 2)
                                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                                .and_then(|h| u8::from_str_radix(h, 16).ok());
                            if hex.is_some() {
                                i += 2;
                            }
                            if let Some(h) = hex
                                && !skipping
                            {
                                if drop > 0 {
                                    drop -= 1;
                                } else {
                                    out.push(cp1252(h));
                                }
                            }
                        }
                        b'~' if !skipping => out.push('\u{A0}'),
                        b'_' if !skipping => out.push('\u{2011}'),
                        b'\\' | b'{' | b'}' if !skipping => out.push(c as char),
                        _ => {}
                    }
                }
            }
            b'\r' | b'\n' => i += 1,
            _ => {
                let start = i;
                while i < b.len() && !matches!(b[i], b'\\' | b'{' | b'}' | b'\r' | b'\n') {
                    i += 1;
                }
                if !skipping {
                    let mut text = &src[start..i];
                    while drop > 0 && !text.is_empty() {
                        let n = text.chars().next().map_or(1, char::len_utf8);
                        text = &text[n..];
                        drop -= 1;
                    }
                    out.push_str(text);
                }
            }
        }
    }
    out
}

/// A Windows-1252 byte as a character.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// What a file that is not an Office container holds, judged from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    Rtf,
    Html,
    /// Text with no markup: CSV or plain text, which only its name tells apart.
    Plain,
}

/// Whether `head` (a file's first bytes, a few KiB) is text, and what kind: `None` for
/// binary content (a NUL byte outside UTF-16, or more than one control character in 50).
pub fn sniff(head: &[u8]) -> Option<TextKind> {
    let text = match utf16(head) {
        Some(_) => decode(head).0,
        None => {
            let controls = head
                .iter()
                .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
                .count();
            if head.is_empty() || head.contains(&0) || controls * 50 > head.len() {
                return None;
            }
            // A UTF-8 character cut off by the end of the head is no reason to doubt it.
            String::from_utf8_lossy(head)
        }
    };
    let start = text.trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n']);
    if start.starts_with("%PDF") {
        return None;
    }
    if start.starts_with("{\\rtf") {
        return Some(TextKind::Rtf);
    }
    let lower = start
        .get(..start.len().min(1024))
        .unwrap_or(start)
        .to_ascii_lowercase();
    let markup = [
        "<!doctype html",
        "<html",
        "<?xml",
        "<table",
        "<head",
        "<meta",
    ];
    if markup.iter().any(|m| lower.starts_with(m)) || lower.contains("<html") {
        return Some(TextKind::Html);
    }
    Some(TextKind::Plain)
}

/// The byte order a UTF-16 byte-order mark at the start says: `Some(true)` little endian.
fn utf16(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(true),
        [0xFE, 0xFF, ..] => Some(false),
        _ => None,
    }
}

/// Text as a file holds it: UTF-16 with a byte-order mark, UTF-8 (with or without one),
/// else Windows-1252 (what Norwegian exports that are not UTF-8 are written in). Also says
/// which it was.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some(little) = utf16(bytes) {
        let units = bytes[2..].chunks_exact(2).map(|p| {
            if little {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        let text = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        return (Cow::Owned(text), "UTF-16");
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => (Cow::Borrowed(s), "UTF-8"),
        // Cut off at a limit inside a character: UTF-8 still.
        Err(e) if e.error_len().is_none() => (
            Cow::Borrowed(std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default()),
            "UTF-8",
        ),
        Err(_) => (
            Cow::Owned(body.iter().map(|&b| cp1252(b)).collect()),
            "Windows-1252",
        ),
    }
}

/// The separator of a CSV text: of `;`, tab and `,`, the one its first line (outside
/// quotes) has most of; `;` when it has none (what Excel writes in Norway).
pub fn separator(text: &str) -> char {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ';' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 {
        ';'
    } else {
        [';', '\t', ','][best]
    }
}

/// The cells of a CSV text, as (row, column, text), both from 1, in order: RFC 4180
/// quoting (`""` inside quotes, separators and line breaks inside quotes kept), empty
/// cells left out. `each` returns whether to go on.
pub fn csv(text: &str, sep: char, mut each: impl FnMut(u32, u32, Cow<'_, str>) -> bool) {
    let (mut row, mut col) = (1u32, 1u32);
    let mut rest = text;
    loop {
        let (cell, after, end_of_row) = csv_cell(rest, sep);
        if !cell.trim().is_empty() && !each(row, col, cell) {
            return;
        }
        match after {
            None => return,
            Some(after) => rest = after,
        }
        if end_of_row {
            row = row.saturating_add(1);
            col = 1;
        } else {
            col = col.saturating_add(1);
        }
    }
}

/// The first cell of `s`: its text, what follows its separator or line end (`None` at the
/// end of the text), and whether a line ended it.
fn csv_cell(s: &str, sep: char) -> (Cow<'_, str>, Option<&str>, bool) {
    let ends = |rest: &str, i: usize| -> (Option<usize>, bool) {
        // Where the next cell begins, and whether a line ended this one.
        let tail = &rest[i..];
        if tail.starts_with(sep) {
            (Some(i + sep.len_utf8()), false)
        } else if tail.starts_with("\r\n") {
            (Some(i + 2), true)
        } else if tail.starts_with(['\n', '\r']) {
            (Some(i + 1), true)
        } else {
            (None, true)
        }
    };
    if let Some(quoted) = s.strip_prefix('"') {
        let mut text = String::new();
        let mut rest = quoted;
        loop {
            match rest.find('"') {
                None => {
                    // An unclosed quote runs to the end of the text.
                    text.push_str(rest);
                    return (Cow::Owned(text), None, true);
                }
                Some(i) if rest[i + 1..].starts_with('"') => {
                    text.push_str(&rest[..=i]);
                    rest = &rest[i + 2..];
                }
                Some(i) => {
                    text.push_str(&rest[..i]);
                    rest = &rest[i + 1..];
                    // Anything between the closing quote and the separator is kept too.
                    let stop = rest.find([sep, '\n', '\r']).unwrap_or(rest.len());
                    text.push_str(&rest[..stop]);
                    let (next, row_end) = ends(rest, stop);
                    return (Cow::Owned(text), next.map(|n| &rest[n..]), row_end);
                }
            }
        }
    }
    let stop = s.find([sep, '\n', '\r']).unwrap_or(s.len());
    let (next, row_end) = ends(s, stop);
    (Cow::Borrowed(&s[..stop]), next.map(|n| &s[n..]), row_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_sniffed_and_decoded() {
        assert_eq!(sniff(b"{\\rtf1\\ansi Hei}"), Some(TextKind::Rtf));
        assert_eq!(
            sniff(b"\xEF\xBB\xBF<!DOCTYPE html><p>x"),
            Some(TextKind::Html)
        );
        assert_eq!(sniff(b"  <html xmlns:o=\"urn\">"), Some(TextKind::Html));
        assert_eq!(
            sniff(b"Navn;F\xF8dselsnummer\r\nKari;1"),
            Some(TextKind::Plain)
        );
        assert_eq!(sniff(b"\xFF\xFEN\0a\0v\0n\0"), Some(TextKind::Plain));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), None);
        assert_eq!(sniff(b"%PDF-1.7\n"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(decode(b"S\xF8ker").0, "Søker");
        assert_eq!(
            decode("Søker".as_bytes()),
            (Cow::Borrowed("Søker"), "UTF-8")
        );
        assert_eq!(decode(b"\xEF\xBB\xBFS\xC3\xB8").0, "Sø");
        assert_eq!(decode(b"\xFE\xFF\0S\0\xF8").0, "Sø");
        // Cut inside a character by a read limit: still UTF-8.
        assert_eq!(decode(b"a\xC3").1, "UTF-8");
    }

    #[test]
    fn csv_cells_with_quotes() {
        let text = "Navn;Fnr;Merknad\r\n\"Nordmann; Kari\";15108695088;\"sa \"\"hei\"\"\nog gikk\"\r\n;;x\n\"open";
        assert_eq!(separator(text), ';');
        assert_eq!(separator("a,b,c\n"), ',');
        assert_eq!(separator("a\tb;c\td\n"), '\t');
        let mut got = Vec::new();
        csv(text, ';', |r, c, t| {
            got.push((r, c, t.into_owned()));
            true
        });
        assert_eq!(
            got,
            [
                (1, 1, "Navn".to_string()),
                (1, 2, "Fnr".into()),
                (1, 3, "Merknad".into()),
                (2, 1, "Nordmann; Kari".into()),
                (2, 2, "15108695088".into()),
                (2, 3, "sa \"hei\"\nog gikk".into()),
                (3, 3, "x".into()),
                (4, 1, "open".into()),
            ]
        );
    }

    #[test]
    fn html_as_shown() {
        let t = html(
            "<html><head><title>Vedtak</title><style>p{color:red}</style><script>var x='<p>';</script></head><body><!-- merknad --><p>Kari &amp; Ola, f.nr.&nbsp;151086&#32;95088</p><table><tr><td>a</td><td>b</td></tr></table></body></html>",
        );
        assert!(t.contains("Kari & Ola, f.nr.\u{A0}151086 95088"), "{t:?}");
        assert!(t.contains("Vedtak"));
        assert!(!t.contains("color") && !t.contains("var x") && !t.contains("merknad"));
        assert!(t.contains("a\tb"));
        assert_eq!(html("Milj&ouml; &Aring;s &yuml;&ndash;"), "Miljö Ås ÿ–");
        // Found by fuzzing (tests/fuzzed): a reference cut inside a character.
        assert_eq!(html("Bjørn&Åsaæææææææææ"), "Bjørn&Åsaæææææææææ");
    }

    #[test]
    fn rtf_as_shown() {
        let t = rtf(
            "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}{\\*\\generator x;}\\pard S\\'f8ker: Kari, f.nr. 151086\\~95088\\par \\u8364?100\\par}",
        );
        assert_eq!(t, "Søker: Kari, f.nr. 151086\u{A0}95088\n€100\n");
        // Found by fuzzing (tests/fuzzed): escapes cut inside a character are text.
        assert_eq!(rtf("a\\'æb\\\u{e6}c"), "a\u{e6}bc");
    }
}
