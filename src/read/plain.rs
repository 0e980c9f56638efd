//! Text of content that is not XML of Office's own, as a person sees it: HTML and RTF
//! that Word imports (`w:altChunk`), and plain text. Markup is dropped, character
//! references and escapes are decoded; no layout is kept but line breaks.

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
            "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            | "table" | "title" => out.push('\n'),
            "td" | "th" if !closing => out.push('\t'),
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

#[cfg(test)]
mod tests {
    use super::*;

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
