//! Text from a document, a file name or a configuration as human output may show it: every
//! character a terminal would obey rather than print, or that would disguise the text, is
//! shown as an escape (`\x1B`, `\n`, `\u{202E}`), so a hostile name or text can neither
//! move the cursor, set the window title, erase or hide earlier output, nor break a line to
//! forge a report block of its own; and a number with a zero-width space inside does not
//! look like the number without it. JSON output is not escaped this way: serde_json writes
//! every string exactly (control characters as JSON escapes).
//!
//! What is escaped ([`hidden`]):
//!
//! - control characters (Unicode Cc): C0 (`\n`, `\r`, `\t` by name, the others as `\x1B`),
//!   DEL (`\x7F`) and C1 (`\u{9B}`, the one-byte CSI);
//! - format characters (Cf), among them the bidirectional controls (U+061C, U+200E,
//!   U+200F, U+202A–U+202E, U+2066–U+2069) that reorder what follows them, zero-width
//!   space, non-joiner and joiner (U+200B–U+200D), word joiner and the invisible operators
//!   (U+2060–U+2064), the byte-order mark (U+FEFF), the soft hyphen (U+00AD: terminals draw
//!   it as nothing or as a hyphen, so `fødsels­nummer` would pass for `fødselsnummer`) and
//!   the tag characters (U+E0000–U+E007F, invisible text);
//! - the line and paragraph separators (U+2028, U+2029), which some terminals and viewers
//!   break lines at;
//! - the other characters Unicode says to draw as nothing (Default_Ignorable_Code_Point:
//!   the Hangul fillers, the Khmer inherent vowels, the combining grapheme joiner, …),
//!   except the variation selectors, which only choose how the visible character before
//!   them is drawn (the emoji `❤️` holds one).
//!
//! A backslash is shown as it is: the reader already names OLE streams the same way
//! (`\x05DocumentSummaryInformation`), and doubling every backslash would garble label
//! names such as `Beskyttet \ Kun Oslo kommune`. So a name that holds the four characters
//! `\x1B` reads like one that holds an escape character; the JSON report tells them apart.

use std::borrow::Cow;
use std::fmt::{self, Write};

/// Whether `c` is shown as an escape rather than as itself (the module's list).
pub fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{AD}'
                | '\u{34F}'
                | '\u{600}'..='\u{605}'
                | '\u{61C}'
                | '\u{6DD}'
                | '\u{70F}'
                | '\u{890}'..='\u{891}'
                | '\u{8E2}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E00FF}'
                | '\u{E01F0}'..='\u{E0FFF}'
        )
}

/// `text` as human output shows it: every [`hidden`] character as an escape, the rest as
/// it is. Borrowed when nothing needs escaping (nearly always).
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let _ = write_escaped(&mut out, text);
    Cow::Owned(out)
}

/// [`escape`] as a `format!` argument, written without a copy: `"{}", Escaped(name)`.
#[derive(Clone, Copy, Debug)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.0)
    }
}

/// Text that is meant to run over lines (a piece of a document, a rule's explanation):
/// its lines, split at `\n` only, each [`escape`]d. A caller that indents every line keeps
/// the text's own line structure while no line can pass for one of the output's own
/// (every other line break, `\r` included, is shown as an escape).
pub fn lines(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    text.split_terminator('\n').map(escape)
}

fn write_escaped(out: &mut impl Write, text: &str) -> fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(hidden) {
        out.write_str(&rest[..at])?;
        let c = rest[at..].chars().next().unwrap_or_default();
        match c {
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c if c.is_ascii() => write!(out, "\\x{:02X}", c as u32)?,
            c => write!(out, "\\u{{{:X}}}", c as u32)?,
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.write_str(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisible_characters_are_shown_as_escapes() {
        let cases = [
            ("a\x1b]0;tittel\x07b", "a\\x1B]0;tittel\\x07b"),
            ("linje\nny\r\tfane", "linje\\nny\\r\\tfane"),
            ("\0\x7f", "\\x00\\x7F"),
            ("\u{9b}2J\u{85}", "\\u{9B}2J\\u{85}"),
            ("fil\u{202e}xcod.docx", "fil\\u{202E}xcod.docx"),
            (
                "\u{200e}\u{200f}\u{61c}\u{2066}\u{2069}",
                "\\u{200E}\\u{200F}\\u{61C}\\u{2066}\\u{2069}",
            ),
            ("151086\u{200b}95088", "151086\\u{200B}95088"),
            (
                "\u{200c}\u{200d}\u{2060}\u{feff}\u{ad}",
                "\\u{200C}\\u{200D}\\u{2060}\\u{FEFF}\\u{AD}",
            ),
            ("a\u{2028}b\u{2029}", "a\\u{2028}b\\u{2029}"),
            ("\u{e0041}\u{3164}", "\\u{E0041}\\u{3164}"),
        ];
        for (text, shown) in cases {
            assert_eq!(escape(text), shown, "{text:?}");
            assert_eq!(Escaped(text).to_string(), shown);
            assert!(!escape(text).chars().any(hidden));
        }
    }

    #[test]
    fn ordinary_text_is_borrowed_as_it_is() {
        for text in [
            "Beskyttet \\ Kun Oslo kommune",
            "\\x06DataSpaces\\TransformInfo\\LabelInfo",
            "Søknad om økonomisk sosialhjelp – Ærlig, «sitat» ≥ 2 × 3",
            "a\u{a0}b\u{2009}c",
            "❤\u{fe0f} 👍🏽 العربية עברית 日本語",
        ] {
            assert!(
                matches!(escape(text), Cow::Borrowed(t) if t == text),
                "{text}"
            );
        }
    }

    #[test]
    fn lines_split_only_at_line_feeds() {
        let got: Vec<Cow<str>> = lines("en\nto\r\ntre\u{2028}fire\n").collect();
        assert_eq!(got, ["en", "to\\r", "tre\\u{2028}fire"]);
        assert_eq!(lines("").count(), 0);
    }
}
