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
    /// Index into the distinct words.
    word: usize,
    whole: bool,
    weak: bool,
}

#[derive(Debug)]
pub struct Keywords {
    entries: Vec<Entry>,
    /// Distinct words, lowercase.
    words: Vec<String>,
    /// Per word: the entries (lists) it belongs to.
    entries_of: Vec<Vec<usize>>,
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

/// The index key of a text's first two bytes (the second is 0 at the end of the text).
fn pair(first: u8, second: u8) -> u16 {
    u16::from(FOLD[first as usize]) << 8 | u16::from(FOLD[second as usize])
}

/// A character in the cases a text may write it: itself, its lowercase and its uppercase
/// where each is one character.
/// ASCII letters are folded by `pair` alone.
fn cases(c: char) -> Vec<char> {
    let mut all = vec![c];
    if c.is_ascii() {
        return all;
    }
    let forms: [Vec<char>; 2] = [c.to_lowercase().collect(), c.to_uppercase().collect()];
    for form in forms {
        if let [one] = form[..]
            && !all.contains(&one)
        {
            all.push(one);
        }
    }
    all
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
fn written_at(text: &str, at: usize, word: &str) -> Option<usize> {
    if word.is_ascii() {
        let end = at + word.len();
        let written = text.as_bytes().get(at..end)?;
        return written.eq_ignore_ascii_case(word.as_bytes()).then_some(end);
    }
    let mut t = text[at..].chars();
    for w in word.chars() {
        let c = t.next()?;
        if c != w && lower(c) != w {
            return None;
        }
    }
    Some(text.len() - t.as_str().len())
}

impl Keywords {
    /// `lists`: per list, its strong and weak entries.
    pub fn new(lists: &[(Vec<String>, Vec<String>)]) -> Keywords {
        let mut entries = Vec::new();
        let mut words: Vec<String> = Vec::new();
        let mut index = rustc_hash::FxHashMap::default();
        for (list, (strong, weak)) in lists.iter().enumerate() {
            for (w, is_weak) in strong
                .iter()
                .map(|w| (w, false))
                .chain(weak.iter().map(|w| (w, true)))
            {
                let (word, forced) = match w.strip_suffix('=') {
                    Some(s) => (s.trim(), true),
                    None => (w.trim(), false),
                };
                if word.is_empty() {
                    continue;
                }
                let lower = if word.is_ascii() {
                    word.to_ascii_lowercase()
                } else {
                    word.to_lowercase()
                };
                let word_index = *index.entry(lower.clone()).or_insert_with(|| {
                    words.push(lower);
                    words.len() - 1
                });
                entries.push(Entry {
                    list,
                    word: word_index,
                    whole: forced || word.chars().count() < PREFIX_MIN,
                    weak: is_weak,
                });
            }
        }
        let mut entries_of = vec![Vec::new(); words.len()];
        for (i, e) in entries.iter().enumerate() {
            entries_of[e.word].push(i);
        }
        let mut by_pair = Vec::new();
        for (w, word) in words.iter().enumerate() {
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
                    ([one], Some(second)) => by_pair.extend(cases(second).into_iter().map(|b| {
                        let mut buf = [0u8; 4];
                        (pair(*one, b.encode_utf8(&mut buf).as_bytes()[0]), w)
                    })),
                    // A one-letter word: whatever follows it.
                    ([one], None) => by_pair.extend((0..=255).map(|b| (pair(*one, b), w))),
                    ([], _) => {}
                }
            }
        }
        by_pair.sort_unstable();
        by_pair.dedup();
        let mut pairs = Box::new([[0u64; 1024]; 2]);
        for &(key, w) in &by_pair {
            let sign = !words[w as usize].starts_with(char::is_alphanumeric);
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
        Keywords {
            entries,
            words,
            entries_of,
            pairs,
            by_pair,
            ranks,
            starts,
        }
    }

    /// Every keyword in `text`, in order of position. Matches do not overlap: after one,
    /// the search goes on where its longest word ends.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let bytes = text.as_bytes();
        let mut hits: Vec<Hit> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            // Never set where a character continues: no word starts with those bytes.
            let key = pair(bytes[i], bytes.get(i + 1).copied().unwrap_or(0));
            let inside = i > 0 && bytes[i - 1].is_ascii_alphanumeric();
            let set = self.pairs[usize::from(inside)][usize::from(key >> 6)] & (1 << (key & 63));
            if set != 0
                && let Some(end) = self.at(text, i, key, &mut hits)
            {
                i = end;
                continue;
            }
            // No keyword starts inside a run of ASCII letters and digits: a word starts at
            // its start, a sign outside it.
            let letter = bytes[i].is_ascii_alphanumeric();
            i += 1;
            if letter {
                i += bytes[i..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
            }
        }
        hits.sort_by_key(|h| (h.start, h.end));
        hits
    }

    /// The words written at `text[at..]` that start there: their entries' hits. Returns
    /// where the longest word ends, if any is written there.
    fn at(&self, text: &str, at: usize, key: u16, hits: &mut Vec<Hit>) -> Option<usize> {
        let before = text[..at].chars().next_back();
        let word_start = !before.is_some_and(char::is_alphanumeric);
        let (block, bit) = (usize::from(key >> 6), key & 63);
        let rank = usize::from(self.ranks[block])
            + (self.pairs[0][block] & ((1u64 << bit) - 1)).count_ones() as usize;
        let (from, to) = (self.starts[rank] as usize, self.starts[rank + 1] as usize);
        let mut longest = None;
        for &(_, w) in &self.by_pair[from..to] {
            let word = &self.words[w as usize];
            if !word_start && word.starts_with(char::is_alphanumeric) {
                continue;
            }
            let Some(end) = written_at(text, at, word) else {
                continue;
            };
            longest = longest.max(Some(end));
            let after = text[end..].chars().next();
            for &entry in &self.entries_of[w as usize] {
                let e = &self.entries[entry];
                let ends_word = !e.whole
                    || !word.ends_with(char::is_alphanumeric)
                    || !after.is_some_and(char::is_alphanumeric);
                // An abbreviation's dot ends it only if no letter follows: `f.` is not
                // in `f.eks.`.
                let ends_abbreviation =
                    !word.ends_with('.') || !after.is_some_and(char::is_alphabetic);
                if ends_word && ends_abbreviation {
                    hits.push(Hit {
                        list: e.list,
                        entry,
                        start: at,
                        end,
                        weak: e.weak,
                    });
                }
            }
        }
        longest
    }

    /// The entry's word (lowercase), for reasons.
    pub fn word(&self, entry: usize) -> &str {
        &self.words[self.entries[entry].word]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw() -> Keywords {
        let l = |w: &[&str], weak: &[&str]| {
            (
                w.iter().map(|s| s.to_string()).collect(),
                weak.iter().map(|s| s.to_string()).collect(),
            )
        };
        Keywords::new(&[
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
        let k = Keywords::new(&[
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
        // A word starts after a sign that is not ASCII, not after a letter that is.
        assert_eq!(words("«fnr» 1"), [("id", "fnr".into())]);
        assert!(words("æfnr 1").is_empty());
        // An entry that starts with a sign counts inside a word; a one-letter text ends
        // the search cleanly.
        let l = |w: &[&str]| (w.iter().map(|s| s.to_string()).collect(), Vec::new());
        let k = Keywords::new(&[l(&[",-", "x"])]);
        let found: Vec<(usize, usize)> = k
            .find("kr 100,-")
            .iter()
            .map(|h| (h.start, h.end))
            .collect();
        assert_eq!(found, [(6, 8)]);
        assert_eq!(k.find("x").len(), 1);
        assert!(k.find("").is_empty());
        // Matches do not overlap: the longer entry takes its words.
        let k = Keywords::new(&[l(&["felles hjelpenummer"]), l(&["hjelpenummer"])]);
        let lists: Vec<usize> = k
            .find("felles hjelpenummer, hjelpenummer")
            .iter()
            .map(|h| h.list)
            .collect();
        assert_eq!(lists, [0, 1]);
    }
}
