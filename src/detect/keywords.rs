//! Keyword lists matched where a keyword can count: at the start of a word (anywhere for an
//! entry that starts with a sign, like `,-`), case-insensitively. Long entries also match
//! longer words (Norwegian compounds and inflections), short ones and `word=` only whole.
//!
//! Why not an Aho–Corasick automaton: a DFA over these lists took 8–12 ms to build (most of
//! a single-file check's time) and still looked at every byte through the whole automaton,
//! though a keyword counts only at a word start. Here the lists are indexed by their first
//! two bytes, in every case (a 64 Ki-bit set and a sorted table, built in microseconds);
//! the text is looked at two bytes at a time and words are compared only where a keyword
//! can start.

use std::borrow::Cow;

use super::swar;

/// A keyword found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Which list (index into the names given to [`Keywords::new`]).
    pub list: usize,
    /// Which entry of all lists (for its word).
    pub entry: usize,
    pub start: usize,
    pub end: usize,
    pub weak: bool,
}

#[derive(Debug)]
struct Entry {
    list: usize,
    word: u32,
    /// The next entry of the same word (`NONE`: none), in the order given.
    next: u32,
    whole: bool,
    weak: bool,
}

const NONE: u32 = u32::MAX;

/// A distinct word (lowercase) and what is known of it before it is compared.
#[derive(Debug)]
struct Word {
    /// Where it ends in `Keywords::text` (it starts where the previous one ends).
    end: u32,
    /// Its first bytes (up to 8, little-endian) and which of them the first test
    /// compares: those before its first character beyond ASCII (a text may write that
    /// one and those after it in another case, in other bytes).
    prefix: u64,
    mask: u64,
    /// An ASCII word of at most 8 bytes: the first test is the whole comparison.
    short: bool,
    /// Starts with a letter or digit: counts only at a word start.
    alphanumeric: bool,
    /// Its length, and how it ends (what its entries ask of the text after it): known
    /// here, not read from the word each time it is found.
    len: u32,
    ends_alphanumeric: bool,
    ends_dot: bool,
    /// Its first entry; the others by `Entry::next`.
    first: u32,
}

#[derive(Debug)]
pub struct Keywords {
    entries: Vec<Entry>,
    words: Vec<Word>,
    /// The distinct words, lowercase, one after another.
    text: String,
    /// A bit per pair of leading bytes some word starts with in the text (ASCII letters
    /// folded to lowercase first, see `pair`).
    /// `pairs[0]` for every word, `pairs[1]` for words that start with a sign: the only
    /// ones that may count right after an ASCII letter or digit, inside a word.
    pairs: Box<[[u64; 1024]; 2]>,
    /// (pair, word), sorted: the words to compare where a pair's bit is set.
    by_pair: Vec<(u16, u32)>,
    /// Per 64 pairs: how many of `pairs[0]`'s bits are set before them. A set pair's rank
    /// (the bits set before it) is its index in `starts`, found in a few instructions.
    ranks: Box<[u16; 1024]>,
    /// Per distinct pair, in order: where its words start in `by_pair`; one more at the end.
    starts: Vec<u32>,
    /// Per distinct pair, in order: the third bytes its words may have in a text (ASCII
    /// folded; every byte for a word whose third byte is not known from its first two).
    /// Prose begins most words with a pair some keyword begins with, far fewer with three
    /// bytes of one.
    thirds: Vec<[u64; 4]>,
}

/// Entries of this many characters or more also match as the start of a longer word.
const PREFIX_MIN: usize = 5;

/// ASCII bytes with capitals folded to lowercase; every other byte as it is.
const FOLD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).to_ascii_lowercase();
        i += 1;
    }
    t
};

/// The ASCII letters and digits.
const ALPHANUMERIC: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    t
};

/// The index key of a text's first two bytes (the second is 0 at the end of the text).
fn pair(first: u8, second: u8) -> u16 {
    u16::from(FOLD[first as usize]) << 8 | u16::from(FOLD[second as usize])
}

/// A character in the cases a text may write it: itself, its lowercase and its uppercase
/// where each is one character, each once.
/// ASCII letters are folded by `pair` alone.
fn cases(c: char) -> impl Iterator<Item = char> {
    /// The one character of a case form, else `c`.
    fn one(c: char, mut form: impl Iterator<Item = char>) -> char {
        match (form.next(), form.next()) {
            (Some(one), None) => one,
            _ => c,
        }
    }
    let all = match c.is_ascii() {
        true => [c; 3],
        false => [c, one(c, c.to_lowercase()), one(c, c.to_uppercase())],
    };
    (0..3).filter_map(move |i| (!all[..i].contains(&all[i])).then_some(all[i]))
}

/// A bit per character of U+0000–U+07FF (those UTF-8 writes in one or two bytes): whether
/// it is a letter or digit. Latin, Greek, Cyrillic, Hebrew and Arabic letters are told by
/// a look-up, not by decoding the character. Made by build.rs from `char::is_alphanumeric`.
static TWO_BYTE: [u64; 32] = include!(concat!(env!("OUT_DIR"), "/two-byte-alphanumeric.rs"));

/// Whether the character of two bytes `lead`, `second` (lead 0xC2–0xDF) is a letter or
/// digit, by `set` (`TWO_BYTE`).
#[inline]
fn two_byte_alphanumeric(set: &[u64; 32], lead: u8, second: u8) -> bool {
    let c = usize::from(lead & 0x1F) << 6 | usize::from(second & 0x3F);
    set[c >> 6] & (1 << (c & 63)) != 0
}

/// Whether the character before `text[at]` is a letter or digit (none at the start). ASCII
/// and characters of two bytes are told without decoding.
fn alphanumeric_before(text: &str, at: usize) -> bool {
    match text.as_bytes()[..at] {
        [] => false,
        [.., b] if b.is_ascii() => ALPHANUMERIC[b as usize],
        [.., lead @ 0xC2..=0xDF, second] => two_byte_alphanumeric(&TWO_BYTE, lead, second),
        _ => text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric),
    }
}

/// The length of the character whose first byte is `lead` (not ASCII).
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        _ => 2,
    }
}

/// A text's character as a word's (lowercase) character.
fn lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// Where `word` (lowercase) is written at `text[at..]` in any case: the end of it there.
/// Its ASCII letters as ASCII letters (not `K`, the Kelvin sign, for `k`), in a word
/// beyond ASCII too.
fn written_at(text: &str, at: usize, word: &str) -> Option<usize> {
    if word.is_ascii() {
        let end = at + word.len();
        let written = text.as_bytes().get(at..end)?;
        return written.eq_ignore_ascii_case(word.as_bytes()).then_some(end);
    }
    let mut t = text[at..].chars();
    for w in word.chars() {
        let c = t.next()?;
        let same = match w.is_ascii() {
            true => c.eq_ignore_ascii_case(&w),
            false => c == w || lower(c) == w,
        };
        if !same {
            return None;
        }
    }
    Some(text.len() - t.as_str().len())
}

impl Keywords {
    /// `lists`: per list, its strong and weak entries.
    pub fn new<S: AsRef<str>>(lists: &[(&[S], &[S])]) -> Keywords {
        let mut entries = Vec::with_capacity(lists.iter().map(|(s, w)| s.len() + w.len()).sum());
        // The distinct words (lowercase), borrowed where the lists write them so.
        let mut distinct: Vec<Cow<str>> = Vec::new();
        let mut index =
            rustc_hash::FxHashMap::with_capacity_and_hasher(entries.capacity(), Default::default());
        for (list, (strong, weak)) in lists.iter().enumerate() {
            for (w, is_weak) in strong
                .iter()
                .map(|w| (w, false))
                .chain(weak.iter().map(|w| (w, true)))
            {
                let w = w.as_ref();
                let (word, forced) = match w.strip_suffix('=') {
                    Some(s) => (s.trim(), true),
                    None => (w.trim(), false),
                };
                if word.is_empty() {
                    continue;
                }
                let lower = if word.is_ascii() {
                    match word.bytes().any(|b| b.is_ascii_uppercase()) {
                        true => Cow::Owned(word.to_ascii_lowercase()),
                        false => Cow::Borrowed(word),
                    }
                } else {
                    match word.to_lowercase() {
                        l if l == word => Cow::Borrowed(word),
                        l => Cow::Owned(l),
                    }
                };
                let next = distinct.len() as u32;
                let word_index = *index.entry(lower.clone()).or_insert_with(|| {
                    distinct.push(lower);
                    next
                });
                entries.push(Entry {
                    list,
                    word: word_index,
                    next: NONE,
                    whole: forced || word.chars().count() < PREFIX_MIN,
                    weak: is_weak,
                });
            }
        }
        drop(index);
        let mut text = String::with_capacity(distinct.iter().map(|w| w.len()).sum());
        let mut words: Vec<Word> = distinct
            .iter()
            .map(|word| {
                text.push_str(word);
                let ascii = word.is_ascii();
                let n = word.len().min(8);
                let mut prefix = [0u8; 8];
                prefix[..n].copy_from_slice(&word.as_bytes()[..n]);
                let known = word.bytes().take(8).take_while(u8::is_ascii).count();
                Word {
                    end: text.len() as u32,
                    prefix: u64::from_le_bytes(prefix),
                    mask: u64::MAX.checked_shr(64 - 8 * known as u32).unwrap_or(0),
                    short: ascii && word.len() <= 8 && !word.contains('\0'),
                    alphanumeric: word.starts_with(char::is_alphanumeric),
                    len: word.len() as u32,
                    ends_alphanumeric: word.ends_with(char::is_alphanumeric),
                    ends_dot: word.ends_with('.'),
                    first: NONE,
                }
            })
            .collect();
        // Each word's entries, chained in the order given.
        for (i, e) in entries.iter_mut().enumerate().rev() {
            let word = &mut words[e.word as usize];
            e.next = word.first;
            word.first = i as u32;
        }
        let mut by_pair = Vec::new();
        for (w, word) in distinct.iter().enumerate() {
            let w = w as u32;
            let mut chars = word.chars();
            let (Some(first), second) = (chars.next(), chars.next()) else {
                continue;
            };
            for a in cases(first) {
                let mut buf = [0u8; 4];
                let a = a.encode_utf8(&mut buf).as_bytes();
                match (a, second) {
                    ([lead, next, ..], _) => by_pair.push((pair(*lead, *next), w)),
                    ([one], Some(second)) => by_pair.extend(cases(second).map(|b| {
                        let mut buf = [0u8; 4];
                        (pair(*one, b.encode_utf8(&mut buf).as_bytes()[0]), w)
                    })),
                    // A one-letter word: whatever follows it.
                    ([one], None) => by_pair.extend((0..=255).map(|b| (pair(*one, b), w))),
                    ([], _) => {}
                }
            }
        }
        // Repeated cases (and pairs) once.
        by_pair.sort_unstable();
        by_pair.dedup();
        let mut pairs = Box::new([[0u64; 1024]; 2]);
        for &(key, w) in &by_pair {
            let sign = !words[w as usize].alphanumeric;
            for set in &mut pairs[..1 + usize::from(sign)] {
                set[usize::from(key >> 6)] |= 1 << (key & 63);
            }
        }
        let mut ranks = Box::new([0u16; 1024]);
        let mut set = 0u16;
        for (rank, bits) in ranks.iter_mut().zip(pairs[0].iter()) {
            *rank = set;
            set += bits.count_ones() as u16;
        }
        let mut starts: Vec<u32> = (0..by_pair.len())
            .filter(|&i| i == 0 || by_pair[i - 1].0 != by_pair[i].0)
            .map(|i| i as u32)
            .collect();
        starts.push(by_pair.len() as u32);
        let thirds = starts
            .windows(2)
            .map(|w| {
                let mut set = [0u64; 4];
                for &(_, word) in &by_pair[w[0] as usize..w[1] as usize] {
                    match distinct[word as usize].as_bytes() {
                        [a, b, c, ..] if a.is_ascii() && b.is_ascii() && c.is_ascii() => {
                            set[usize::from(*c >> 6)] |= 1 << (c & 63);
                        }
                        _ => set = [u64::MAX; 4],
                    }
                }
                set
            })
            .collect();
        Keywords {
            entries,
            words,
            text,
            pairs,
            by_pair,
            ranks,
            starts,
            thirds,
        }
    }

    /// Every keyword in `text`, in order of position. Matches do not overlap: after one,
    /// the search goes on where its longest word ends.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let bytes = text.as_bytes();
        let two = &TWO_BYTE;
        let mut hits: Vec<Hit> = Vec::new();
        // `i` is always at a character's start; `inside`: the character before it is known
        // to be a letter or digit (one of three or four bytes is not looked at: `at` tells).
        let (mut i, mut inside) = (0, false);
        while i < bytes.len() {
            let key = pair(bytes[i], bytes.get(i + 1).copied().unwrap_or(0));
            let set = self.pairs[usize::from(inside)][usize::from(key >> 6)] & (1 << (key & 63));
            if set != 0
                && let rank = self.rank(key)
                && self.third(rank, bytes.get(i + 2).copied().unwrap_or(0))
                && let Some(end) = self.at(text, i, rank, &mut hits)
            {
                inside = alphanumeric_before(text, end);
                i = end;
                continue;
            }
            // No keyword starts inside a word but for one that starts with a sign: after
            // a letter or digit, the rest of the word's ASCII letters and digits are
            // skipped by table (most of a text). A letter of two bytes (Latin, Greek,
            // Cyrillic, Hebrew, Arabic) is told by table too, so that only a word with a
            // sign is looked for after it; one of three or four bytes is not (a look-up
            // per character of a CJK text), so words may start after it: `at` tells.
            let b = bytes[i];
            (i, inside) = match b {
                _ if b.is_ascii() => (i + 1, ALPHANUMERIC[b as usize]),
                // U+00C0–U+00FF (`æøå`, `é`), most of Norwegian's: letters but × and ÷.
                0xC3 if i + 1 < bytes.len() => (i + 2, !matches!(bytes[i + 1], 0x97 | 0xB7)),
                0xC2..=0xDF if i + 1 < bytes.len() => {
                    (i + 2, two_byte_alphanumeric(two, b, bytes[i + 1]))
                }
                _ => (i + utf8_width(b), false),
            };
            if inside {
                i += bytes[i..]
                    .iter()
                    .take_while(|&&b| ALPHANUMERIC[b as usize])
                    .count();
            }
        }
        hits.sort_by_key(|h| (h.start, h.end));
        hits
    }

    /// A set pair's index among the distinct pairs.
    fn rank(&self, key: u16) -> usize {
        let (block, bit) = (usize::from(key >> 6), key & 63);
        usize::from(self.ranks[block])
            + (self.pairs[0][block] & ((1u64 << bit) - 1)).count_ones() as usize
    }

    /// Whether some word of the pair of index `rank` may have `third` as its third byte.
    fn third(&self, rank: usize, third: u8) -> bool {
        let third = FOLD[usize::from(third)];
        self.thirds[rank][usize::from(third >> 6)] & (1 << (third & 63)) != 0
    }

    /// The words written at `text[at..]` that start there (their first two bytes are pair
    /// `rank`): their entries' hits. Returns where the longest word ends, if any is
    /// written there.
    fn at(&self, text: &str, at: usize, rank: usize, hits: &mut Vec<Hit>) -> Option<usize> {
        let bytes = text.as_bytes();
        let word_start = !alphanumeric_before(text, at);
        let (from, to) = (self.starts[rank] as usize, self.starts[rank + 1] as usize);
        let here = swar::lowercase(swar::load(bytes, at));
        let mut longest = None;
        for &(_, w) in &self.by_pair[from..to] {
            let word = &self.words[w as usize];
            if (here ^ word.prefix) & word.mask != 0 || !word_start && word.alphanumeric {
                continue;
            }
            let end = match word.short {
                // The first test compared every byte (zeros past the text's end too).
                true => at + word.len as usize,
                false => match written_at(text, at, self.spelled(w)) {
                    Some(end) => end,
                    None => continue,
                },
            };
            longest = longest.max(Some(end));
            self.entries_at(w, text, at, end, hits);
        }
        longest
    }

    /// The hits of word `w`'s entries, written at `text[at..end]`: each where the text
    /// after it lets it count.
    fn entries_at(&self, w: u32, text: &str, at: usize, end: usize, hits: &mut Vec<Hit>) {
        let word = &self.words[w as usize];
        let after = text[end..].chars().next();
        let mut entry = word.first;
        while entry != NONE {
            let e = &self.entries[entry as usize];
            let ends_word =
                !e.whole || !word.ends_alphanumeric || !after.is_some_and(char::is_alphanumeric);
            // An abbreviation's dot ends it only if no letter follows: `f.` is not in
            // `f.eks.`.
            let ends_abbreviation = !word.ends_dot || !after.is_some_and(char::is_alphabetic);
            if ends_word && ends_abbreviation {
                hits.push(Hit {
                    list: e.list,
                    entry: entry as usize,
                    start: at,
                    end,
                    weak: e.weak,
                });
            }
            entry = e.next;
        }
    }

    /// A distinct word, lowercase.
    fn spelled(&self, w: u32) -> &str {
        let w = w as usize;
        let start = w.checked_sub(1).map_or(0, |p| self.words[p].end as usize);
        &self.text[start..self.words[w].end as usize]
    }

    /// The entry's word (lowercase), for reasons.
    pub fn word(&self, entry: usize) -> &str {
        self.spelled(self.entries[entry].word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keywords(lists: &[(Vec<String>, Vec<String>)]) -> Keywords {
        let lists: Vec<(&[String], &[String])> =
            lists.iter().map(|(s, w)| (&s[..], &w[..])).collect();
        Keywords::new(&lists)
    }

    fn kw() -> Keywords {
        let l = |w: &[&str], weak: &[&str]| {
            (
                w.iter().map(|s| s.to_string()).collect(),
                weak.iter().map(|s| s.to_string()).collect(),
            )
        };
        keywords(&[
            l(&["fødselsnummer", "fnr=", "f.nr"], &["d-nr", "f.="]),
            l(&["barnevern", "kr="], &[]),
        ])
    }

    fn words(text: &str) -> Vec<(&'static str, String)> {
        let k = kw();
        k.find(text)
            .iter()
            .map(|h| {
                (
                    if h.list == 0 { "id" } else { "lex" },
                    text[h.start..h.end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn shorter_keywords_inside_longer_ones() {
        let l = |w: &[&str]| (w.iter().map(|s| s.to_string()).collect(), Vec::new());
        let k = keywords(&[
            l(&["pasient"]),
            l(&["pasientjournal", "kontonummer"]),
            l(&["kontonummer"]),
        ]);
        let lists: Vec<usize> = k
            .find("Pasientjournalen og kontonummer")
            .iter()
            .map(|h| h.list)
            .collect();
        assert_eq!(lists, [0, 1, 1, 2]);
    }

    #[test]
    fn word_starts_prefixes_and_whole_words() {
        assert_eq!(words("FØDSELSNUMMER: 1"), [("id", "FØDSELSNUMMER".into())]);
        assert_eq!(words("Fødselsnummeret"), [("id", "Fødselsnummer".into())]);
        assert_eq!(
            words("fnr 1, fnrx, xfnr, Fnr"),
            [("id", "fnr".into()), ("id", "Fnr".into())]
        );
        assert_eq!(words("Barneverntjenesten"), [("lex", "Barnevern".into())]);
        assert_eq!(words("100 kr, 100 kroner"), [("lex", "kr".into())]);
        assert_eq!(words("f.nr. 1"), [("id", "f.nr".into())]);
        assert_eq!(
            words("f. 15.10.86, f.1986"),
            [("id", "f.".into()), ("id", "f.".into())]
        );
        assert!(words("f.eks. 1, F.eks 2").is_empty());
        let k = kw();
        assert!(k.find("D-nr 5")[0].weak);
    }

    #[test]
    fn any_case_signs_and_word_starts_after_any_character() {
        // Letters beyond ASCII in any case, mixed too.
        assert_eq!(words("FØDSELSNUMMER"), [("id", "FØDSELSNUMMER".into())]);
        assert_eq!(words("fØdselsNummer"), [("id", "fØdselsNummer".into())]);
        // ASCII letters as ASCII letters, in words beyond ASCII as in others: the
        // Kelvin sign is not `k`.
        let l = |w: &[&str]| (w.iter().map(|s| s.to_string()).collect(), Vec::new());
        let k = keywords(&[l(&["kjønnsidentitet", "økonomisk", "kr="])]);
        let text = "KJØNNSIDENTITET, kjØnnsidentitet, ØKONOMISK, Kr";
        assert_eq!(k.find(text).len(), 4);
        assert!(
            k.find("\u{212a}jønnsidentitet, ø\u{212a}onomisk, \u{212a}r")
                .is_empty()
        );
        // A word starts after a sign that is not ASCII, not after a letter that is.
        assert_eq!(words("«fnr» 1"), [("id", "fnr".into())]);
        assert!(words("æfnr 1").is_empty());
        // An entry that starts with a sign counts inside a word; a one-letter text ends
        // the search cleanly.
        let l = |w: &[&str]| (w.iter().map(|s| s.to_string()).collect(), Vec::new());
        let k = keywords(&[l(&[",-", "x"])]);
        let found: Vec<(usize, usize)> = k
            .find("kr 100,-")
            .iter()
            .map(|h| (h.start, h.end))
            .collect();
        assert_eq!(found, [(6, 8)]);
        assert_eq!(k.find("x").len(), 1);
        assert!(k.find("").is_empty());
        // Matches do not overlap: the longer entry takes its words.
        let k = keywords(&[l(&["felles hjelpenummer"]), l(&["hjelpenummer"])]);
        let lists: Vec<usize> = k
            .find("felles hjelpenummer, hjelpenummer")
            .iter()
            .map(|h| h.list)
            .collect();
        assert_eq!(lists, [0, 1]);
    }

    /// What `find` must give, the plain way: at every character, every word (which of a
    /// word's entries count where it is written is `entries_at`'s, shared).
    fn naive(k: &Keywords, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let word_start = !text[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let mut longest = None;
            for (w, word) in k.words.iter().enumerate() {
                let spelled = k.spelled(w as u32);
                if !word_start && word.alphanumeric {
                    continue;
                }
                let Some(end) = written_at(text, i, spelled) else {
                    continue;
                };
                longest = longest.max(Some(end));
                // Which of its entries count there: `at`'s own rule, not what is tested.
                k.entries_at(w as u32, text, i, end, &mut hits);
            }
            i = longest.unwrap_or(i + text[i..].chars().next().map_or(1, char::len_utf8));
        }
        hits.sort_by_key(|h| (h.start, h.end));
        hits
    }

    #[test]
    fn the_character_before_is_told_as_decoding_tells() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            for before in ["", "x", " "] {
                let text = format!("{before}{c}x");
                let at = before.len() + c.len_utf8();
                assert_eq!(alphanumeric_before(&text, at), c.is_alphanumeric(), "{c:?}");
            }
        }
    }

    #[test]
    fn finds_what_a_plain_search_finds() {
        let det = crate::detect::Detectors::built_in();
        let k = &det.keywords;
        // The keywords themselves in every case, glued to letters, signs and spaces of
        // every kind, Norwegian letters between.
        let mut pieces: Vec<String> = Vec::new();
        for w in 0..k.words.len() as u32 {
            let word = k.spelled(w).to_string();
            pieces.push(word.to_uppercase());
            pieces.push(word);
        }
        for p in [
            " ", "æ", "Ø", "å", "x", "e", "1", "-", ",", ".", "\u{a0}", "«", "»", "é", "×", "日",
            "ß", "д", "Ж", "λ", "§", "µ", "ª", "·", "٣", "׳", "ʼ", "\u{301}", "ǅ",
        ] {
            for _ in 0..40 {
                pieces.push(p.to_string());
            }
        }
        let mut seed = 11u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for _ in 0..3000 {
            // Short texts, and long ones (a word's inside skipped over many bytes).
            let n = match next(2) {
                0 => next(12) + 1,
                _ => next(60) + 20,
            };
            let text: String = (0..n)
                .map(|_| pieces[next(pieces.len())].as_str())
                .collect();
            let got = k.find(&text);
            assert_eq!(got, naive(k, &text), "{text:?}");
        }
    }
}
