//! Digit groups (spec/pii.md §6.4): a text's maximal runs of ASCII digit groups joined by
//! exactly one separator (space, no-break space, narrow no-break space, thin space, `-`,
//! non-breaking hyphen, `.`, `:`).
//! Candidates are contiguous runs of groups whose lengths match a known layout, so a match
//! is never cut out of a longer digit run and `151086 95088` is seen as one number.

use smol_str::SmolStr;

/// One group of digits: byte offsets into the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    pub start: usize,
    pub end: usize,
}

impl Group {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

fn separator(c: char) -> bool {
    // U+2011 is what Word writes for a non-breaking hyphen typed as a character; U+2009
    // (thin space) groups digits in typeset text.
    // A tab between digit groups shows as a space (`151086<tab>95088`).
    matches!(
        c,
        ' ' | '\t' | '\u{A0}' | '\u{202F}' | '\u{2009}' | '-' | '\u{2011}' | '.' | ':'
    )
}

/// Digits the shortest identifier has (a phone number).
const MIN_DIGITS: usize = 8;

/// The sequences of digit groups in `text` that could hold an identifier (8 digits or
/// more), in order, found as they are wanted. Dates, times and amounts are most sequences:
/// a sequence's groups are collected only once it is known to be long enough, and a
/// sequence of a few groups (a number in a cell) is held in place.
pub fn sequences(text: &str) -> impl Iterator<Item = Groups> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        // The sequence being read: where it starts, and its digits so far.
        let (mut first, mut digits) = (None, 0);
        while i < b.len() {
            if !b[i].is_ascii_digit() {
                // Most of a text is words: skipped eight bytes at a time.
                match super::swar::next_digit(b, i) {
                    Some(digit) => i = digit,
                    None => {
                        i = b.len();
                        break;
                    }
                }
            }
            let start = i;
            i += b[i..]
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(b.len() - i);
            let from = *first.get_or_insert(start);
            digits += i - start;
            match joining(text, i) {
                Some(separator) => i += separator,
                None if digits >= MIN_DIGITS => return Some(groups(b, from, i)),
                None => (first, digits) = (None, 0),
            }
        }
        None
    })
}

/// The length of the separator at `i` if one joins the digits before it to a digit after.
fn joining(text: &str, i: usize) -> Option<usize> {
    let next = text[i..].chars().next().filter(|&c| separator(c))?;
    let after = i + next.len_utf8();
    text.as_bytes()
        .get(after)
        .is_some_and(u8::is_ascii_digit)
        .then_some(next.len_utf8())
}

/// A sequence's digit groups: up to `INLINE` in place, more on the heap.
pub enum Groups {
    Inline([Group; INLINE], usize),
    Heap(Vec<Group>),
}

/// Groups held in place: a number written in groups of two has six.
const INLINE: usize = 6;

impl std::ops::Deref for Groups {
    type Target = [Group];

    fn deref(&self) -> &[Group] {
        match self {
            Groups::Inline(g, n) => &g[..*n],
            Groups::Heap(g) => g,
        }
    }
}

impl Groups {
    fn push(&mut self, g: Group) {
        match self {
            Groups::Inline(gs, n) if *n < INLINE => {
                gs[*n] = g;
                *n += 1;
            }
            Groups::Inline(gs, _) => {
                let mut v = gs.to_vec();
                v.push(g);
                *self = Groups::Heap(v);
            }
            Groups::Heap(v) => v.push(g),
        }
    }
}

/// The digit groups of the sequence at `from..to`: its runs of digits.
fn groups(b: &[u8], from: usize, to: usize) -> Groups {
    let mut out = Groups::Inline([Group { start: 0, end: 0 }; INLINE], 0);
    let mut i = from;
    while i < to {
        let start = i;
        while i < to && b[i].is_ascii_digit() {
            i += 1;
        }
        out.push(Group { start, end: i });
        while i < to && !b[i].is_ascii_digit() {
            i += 1;
        }
    }
    out
}

/// A candidate: a contiguous run of groups, its digits, and whether it is the whole
/// sequence (other digit groups around it lower confidence). Held in place: a text's
/// candidates cost one allocation, for the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    pub digits: SmolStr,
    lengths: [usize; MAX_GROUPS],
    groups: usize,
    pub whole: bool,
}

impl Candidate {
    /// The lengths of its groups, in order.
    pub fn lengths(&self) -> &[usize] {
        &self.lengths[..self.groups]
    }
}

/// Groups a candidate spans at most.
const MAX_GROUPS: usize = 5;

/// Every contiguous run of up to five groups of a sequence, with 8 to 12 digits, made as
/// they are wanted: a sequence can be a paragraph of a million groups.
pub fn candidates<'t>(text: &'t str, seq: &'t [Group]) -> impl Iterator<Item = Candidate> + 't {
    (0..seq.len()).flat_map(move |i| {
        let mut digits = 0;
        (i..seq.len().min(i + MAX_GROUPS))
            .map_while(move |j| {
                digits += seq[j].len();
                (digits <= 12).then_some((j, digits))
            })
            .filter(|&(_, digits)| digits >= MIN_DIGITS)
            .map(move |(j, _)| {
                let run = &seq[i..=j];
                let mut lengths = [0; MAX_GROUPS];
                for (l, g) in lengths.iter_mut().zip(run) {
                    *l = g.len();
                }
                Candidate {
                    start: seq[i].start,
                    end: seq[j].end,
                    digits: run.iter().map(|g| &text[g.start..g.end]).collect(),
                    lengths,
                    groups: run.len(),
                    whole: i == 0 && j == seq.len() - 1,
                }
            })
    })
}

/// Layouts of the fødselsnummer family (spec/pii.md §6.4).
pub fn fnr_layout(lengths: &[usize]) -> bool {
    matches!(
        lengths,
        [11] | [6, 5] | [2, 2, 2, 5] | [2, 2, 2, 3, 2] | [2, 2, 2, 2, 3] | [6, 3, 2] | [9, 2]
    )
}

/// The account layout `4-2-5`: an account, never a fødselsnummer.
pub fn account_layout(lengths: &[usize]) -> bool {
    matches!(lengths, [4, 2, 5])
}

pub fn orgnr_layout(lengths: &[usize]) -> bool {
    matches!(lengths, [9] | [3, 3, 3])
}

pub fn duf_layout(lengths: &[usize]) -> bool {
    matches!(lengths, [12] | [4, 6, 2])
}

pub fn phone_layout(lengths: &[usize]) -> bool {
    matches!(lengths, [8] | [2, 2, 2, 2] | [3, 2, 3] | [4, 4])
}

/// The national number of a candidate written with the country code glued on (spec/pii.md
/// §2.7): `+47` and eight digits as one group of ten, or `0047` and eight as one of twelve.
pub fn glued_phone<'c>(text: &str, c: &'c Candidate) -> Option<&'c str> {
    match c.lengths() {
        [10] if c.digits.starts_with("47") && text[..c.start].ends_with('+') => {
            Some(&c.digits[2..])
        }
        [12] if c.digits.starts_with("0047") => Some(&c.digits[4..]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sequences as lists of groups.
    fn seqs(text: &str) -> Vec<Vec<Group>> {
        sequences(text).map(|g| g.to_vec()).collect()
    }

    fn layouts(text: &str) -> Vec<(String, Vec<usize>, bool)> {
        sequences(text)
            .flat_map(|s| candidates(text, &s).collect::<Vec<_>>())
            .map(|c| (c.digits.to_string(), c.lengths().to_vec(), c.whole))
            .collect()
    }

    #[test]
    fn groups_join_by_one_separator() {
        let t = "fnr 151086 95088, tlf 22 33 44 55 og 1510.86.95088";
        let found: Vec<Vec<&str>> = seqs(t)
            .iter()
            .map(|s| s.iter().map(|g| &t[g.start..g.end]).collect())
            .collect();
        assert_eq!(
            found,
            [
                vec!["151086", "95088"],
                vec!["22", "33", "44", "55"],
                vec!["1510", "86", "95088"]
            ]
        );
        assert_eq!(
            seqs("a 1234  5678 b 12345678"),
            [vec![Group { start: 15, end: 23 }]],
            "two spaces part groups; 4 digits alone hold no identifier"
        );
        assert_eq!(
            seqs("1234\u{A0}5678"),
            [vec![
                Group { start: 0, end: 4 },
                Group { start: 6, end: 10 }
            ]]
        );
        assert_eq!(seqs("x 1 2 3 4 5 6 7 8.")[0].len(), 8);
        assert_eq!(
            seqs("12--34567890"),
            [vec![Group { start: 4, end: 12 }]],
            "two separators part groups"
        );
        assert!(seqs("kl. 10:30, 12.03.24").is_empty());
        assert_eq!(seqs("151086\u{2011}95088").len(), 1);
        assert_eq!(seqs("151086\u{2009}95088").len(), 1);
    }

    #[test]
    fn long_sequences_leave_the_groups_held_in_place() {
        let t = "1 2 3 4 5 6 7 8 9 10";
        let all: Vec<&str> = seqs(t)[0].iter().map(|g| &t[g.start..g.end]).collect();
        assert_eq!(all, ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
        let six = "11 22 33 44 55 66";
        assert_eq!(seqs(six)[0].len(), 6);
        assert!(matches!(sequences(six).next(), Some(Groups::Inline(_, 6))));
    }

    #[test]
    fn candidates_never_cut_a_group() {
        assert!(
            layouts("1151086950881").is_empty(),
            "13 digits are one group, not 11"
        );
        let c = layouts("151086 95088");
        assert_eq!(c, [("15108695088".into(), vec![6, 5], true)]);
        let c = layouts("1 151086 95088");
        assert!(c.contains(&("15108695088".into(), vec![6, 5], false)));
    }

    #[test]
    fn layout_classes() {
        assert!(fnr_layout(&[2, 2, 2, 3, 2]));
        assert!(!fnr_layout(&[4, 2, 5]));
        assert!(account_layout(&[4, 2, 5]));
        assert!(phone_layout(&[3, 2, 3]));
        assert!(duf_layout(&[4, 6, 2]));
        assert!(orgnr_layout(&[3, 3, 3]));
    }
}
