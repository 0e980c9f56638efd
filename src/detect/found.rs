//! What a detector found in a piece of text before de-duplication, the context it is
//! judged in, and what a text could hold, tested cheaply before any search.

use std::sync::LazyLock;

use regex::Regex;

use super::keywords::Hit;
use super::{fnr, swar};
use crate::model::{Detection, DetectorId, Masked};
use crate::read::text::Spot;

/// Detections of one piece (before de-duplication) at most: a paragraph of 16 MiB can hold
/// a million numbers shaped like phone numbers.
pub const MAX_PIECE_FOUND: usize = 10_000;

/// A detection before de-duplication, with what column statistics may change.
pub(super) struct Found {
    pub(super) detector: DetectorId,
    pub(super) detection: Detection<Spot>,
    pub(super) key: String,
    pub(super) column: Option<ColumnKey>,
    /// A fødselsnummer-family value in a cell (column statistics apply).
    pub(super) family: Option<Columnwise>,
    /// Of a detector of the fødselsnummer family: waits for the end of its part (in or out
    /// of a cell, so that a value's occurrences stay in order); others are kept at once.
    pub(super) pends: bool,
}

/// A detection as a detector scored it, before the piece's flags and tags are added.
pub(super) struct Finding {
    pub(super) detector: DetectorId,
    /// Byte offsets of the value in the piece's text.
    pub(super) start: usize,
    pub(super) end: usize,
    /// The normalised value: a detector's detections are de-duplicated by it.
    pub(super) key: String,
    pub(super) masked: Masked,
    pub(super) confidence: i32,
    pub(super) reasons: Vec<String>,
    /// A value of the fødselsnummer family: column statistics may change it in a cell.
    pub(super) family: Option<Columnwise>,
}

/// How column statistics may change a value of the fødselsnummer family.
#[derive(Clone, Copy, Debug)]
pub(super) struct Columnwise {
    /// A column of such numbers raises it to 85.
    pub(super) boost: bool,
    /// The most it may be whatever the column (test data, numbers of the 2032 rule).
    pub(super) cap: u8,
}

/// A value of the fødselsnummer family to score.
pub(super) struct FamilyValue<'v> {
    pub(super) start: usize,
    pub(super) end: usize,
    /// 11 digits.
    pub(super) digits: &'v str,
    pub(super) kind: fnr::Kind,
    pub(super) rule: fnr::Rule,
    /// Ten digits of a numeric cell with the leading zero put back.
    pub(super) padded: bool,
}

/// The confidence of ten digits read as a fødselsnummer without its leading zero, before
/// evidence (spec/pii.md §7.1).
pub(super) const LEADING_ZERO_BASE: i32 = 35;

/// Area, table and column of a cell.
pub(super) type ColumnKey = (u32, u32, u32);
/// The context a candidate is judged in.
pub(super) struct Context<'a> {
    /// Keyword hits in the piece within reach of the candidate.
    pub(super) near: Vec<Hit>,
    /// Hits in the row label and column header, with where they were.
    pub(super) around: &'a [(Hit, &'static str)],
}

impl Context<'_> {
    pub(super) fn has(&self, list: usize) -> Option<(bool, String)> {
        self.near
            .iter()
            .map(|h| (*h, "same-text"))
            .chain(self.around.iter().copied())
            .filter(|(h, _)| h.list == list)
            .min_by_key(|(h, _)| h.weak)
            .map(|(h, at)| (h.weak, format!("{}@{at}", h.entry)))
    }
}

/// Whether `text` could hold a Norwegian IBAN: a digit right after `NO` (any case), or
/// after `NO` and a space or hyphen, as the pattern's start is, and 13 digits. In a long
/// text `NO` is looked for first, by `memchr`'s vector search: rarer in prose than runs of
/// digits, and the text is passed over at once. A short one (a cell, a paragraph) is most
/// often told by its count of digits, in fewer instructions than four searches start in.
pub(super) fn may_be_iban(text: &str) -> bool {
    static NO: LazyLock<[memchr::memmem::Finder<'static>; 4]> = LazyLock::new(|| {
        [b"no", b"No", b"nO", b"NO"].map(|n| memchr::memmem::Finder::new(n).into_owned())
    });
    let b = text.as_bytes();
    let no = || {
        NO.iter()
            .any(|no| no.find_iter(b).any(|i| digit_after_no(text, i + 2)))
    };
    match b.len() {
        ..15 => false,
        15..SHORT => digits(b) >= 13 && no(),
        _ => no() && digits(b) >= 13,
    }
}

/// Texts shorter than this are short to `may_be_iban`.
const SHORT: usize = 256;

/// How many ASCII digits `b` holds, eight bytes at a time.
fn digits(b: &[u8]) -> u32 {
    let whole = b.len() / 8 * 8;
    let count = (0..whole)
        .step_by(8)
        .map(|i| swar::count(swar::digits(swar::load(b, i))));
    count.sum::<u32>() + b[whole..].iter().filter(|c| c.is_ascii_digit()).count() as u32
}

/// Whether a digit is at `text[at..]`, or after a space or hyphen there (`at`: right after
/// `NO`).
fn digit_after_no(text: &str, at: usize) -> bool {
    let rest = &text[at..];
    let rest = rest
        .strip_prefix(|c: char| c == '-' || c.is_whitespace())
        .unwrap_or(rest);
    rest.starts_with(|c: char| c.is_ascii_digit())
}

/// The matches of a pattern in `text`, if a cheap test says it `may` hold one: otherwise
/// none, and the pattern is not even compiled.
pub(super) fn matches<'t>(
    re: &LazyLock<Regex>,
    text: &'t str,
    may: bool,
) -> impl Iterator<Item = regex::Match<'t>> {
    may.then(|| re.find_iter(text)).into_iter().flatten()
}

/// Whether `text` holds `@` (an e-mail address) and `NOR` (a passport's machine-readable
/// zone), in one pass: most text has neither, and a regex search costs even over a text
/// it cannot match.
pub(super) fn at_and_nor(text: &str) -> (bool, bool) {
    let b = text.as_bytes();
    let (mut at, mut nor) = (false, false);
    for i in memchr::memchr2_iter(b'@', b'N', b) {
        if b[i] == b'@' {
            at = true;
        } else {
            nor |= b[i + 1..].starts_with(b"OR");
        }
    }
    (at, nor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_iban_test_passes_whatever_the_pattern_matches() {
        let det = crate::detect::Detectors::built_in();
        for text in [
            "Konto NO93 8601 1117 947 i banken, og no mer",
            "konto: no9386011117947.",
            "NO-93-8601-1117-947",
            "NO\u{A0}93 8601 1117 947",
            "NO\u{2009}9386011117947",
            "KontoNO9386011117947",
        ] {
            assert!(det.iban.is_match(text), "{text}");
            assert!(may_be_iban(text), "{text}");
        }
        // "no" in prose, and digits elsewhere: no search.
        let prose = "Det er no slik at 2024 og 2025 ga 1234567 kroner, ikke noe mer enn det.";
        assert!(!may_be_iban(prose));
        assert!(!det.iban.is_match(prose));
    }

    /// 20,000 texts of `parts` picked at random (from `seed`), each of `count` parts.
    fn texts(seed: u64, parts: &[&str], count: std::ops::Range<u64>) -> Vec<String> {
        let mut seed = seed;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        (0..20_000)
            .map(|_| {
                let n = next(count.end - count.start) + count.start;
                (0..n)
                    .map(|_| parts[next(parts.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_iban_test_is_its_plain_reading() {
        // Texts of every length around the eight-byte steps, digits at every place.
        // At a run of digits, the text before it read the plain way: `NO` and at most one
        // space or hyphen.
        let no_before = |text: &str, at: usize| {
            let before = &text[..at];
            let before = before
                .strip_suffix(|c: char| c == '-' || c.is_whitespace())
                .unwrap_or(before);
            before.len() >= 2 && before.as_bytes()[before.len() - 2..].eq_ignore_ascii_case(b"no")
        };
        let reference = |text: &str| {
            let b = text.as_bytes();
            b.len() >= 15
                && b.iter().filter(|c| c.is_ascii_digit()).count() >= 13
                && (0..b.len()).any(|i| {
                    b[i].is_ascii_digit()
                        && (i == 0 || !b[i - 1].is_ascii_digit())
                        && no_before(text, i)
                })
        };
        let parts = ["no", "NO ", "1234567", "89", " ", "-", "x", "ø", "5", "nO-"];
        for text in texts(7, &parts, 4..20) {
            assert_eq!(may_be_iban(&text), reference(&text), "{text:?}");
        }
        // Every space and sign between `NO` and a digit.
        let parts = [
            "no",
            "No",
            "nO",
            "o",
            "n",
            "N",
            " ",
            "\t",
            "\u{b}",
            "\u{c}",
            "\r\n",
            "-",
            "\u{A0}",
            "\u{2009}",
            "\u{85}",
            "x",
            "ø",
            "12",
            ".",
            "_",
            "1234567890123",
        ];
        for text in texts(11, &parts, 1..9) {
            assert_eq!(may_be_iban(&text), reference(&text), "{text:?}");
        }
        // Long texts too, searched for `NO` first.
        let pad = "ord ".repeat(SHORT / 4);
        for text in texts(13, &parts, 1..12) {
            for text in [format!("{pad}{text}"), format!("{text}{pad}")] {
                assert_eq!(may_be_iban(&text), reference(&text), "{text:?}");
            }
        }
    }
}
