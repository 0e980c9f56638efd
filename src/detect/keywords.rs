//! Keyword lists matched with one Aho–Corasick automaton, so adding keywords does not slow
//! the scan. Matching is case-insensitive at the start of a word; long entries also match
//! longer words (Norwegian compounds and inflections), short ones and `word=` only whole.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

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
    word: String,
    whole: bool,
    weak: bool,
}

#[derive(Debug)]
pub struct Keywords {
    entries: Vec<Entry>,
    /// Pattern index → entry index (each entry has several case variants).
    patterns: Vec<usize>,
    ac: AhoCorasick,
}

/// Entries of this many characters or more also match as the start of a longer word.
const PREFIX_MIN: usize = 5;

impl Keywords {
    /// `lists`: per list, its strong and weak entries.
    pub fn new(lists: &[(Vec<String>, Vec<String>)]) -> Keywords {
        let mut entries = Vec::new();
        for (list, (words, weak)) in lists.iter().enumerate() {
            for (w, is_weak) in words
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
                entries.push(Entry {
                    list,
                    word: word.to_lowercase(),
                    whole: forced || word.chars().count() < PREFIX_MIN,
                    weak: is_weak,
                });
            }
        }
        let mut patterns = Vec::new();
        let mut variants = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let mut forms = vec![e.word.clone(), capitalised(&e.word), e.word.to_uppercase()];
            forms.dedup();
            for f in forms {
                variants.push(f);
                patterns.push(i);
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // A DFA: more memory once, the fastest search on every piece of text.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&variants)
            .expect("keyword automaton");
        Keywords {
            entries,
            patterns,
            ac,
        }
    }

    /// Every keyword in `text`, in order of position.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        for m in self.ac.find_overlapping_iter(text) {
            let entry = self.patterns[m.pattern().as_usize()];
            let e = &self.entries[entry];
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let starts_word = !e.word.starts_with(char::is_alphanumeric)
                || !before.is_some_and(char::is_alphanumeric);
            let ends_word = !e.whole
                || !e.word.ends_with(char::is_alphanumeric)
                || !after.is_some_and(char::is_alphanumeric);
            if starts_word
                && ends_word
                && !hits
                    .iter()
                    .any(|h| h.entry == entry && h.start == m.start())
            {
                hits.push(Hit {
                    list: e.list,
                    entry,
                    start: m.start(),
                    end: m.end(),
                    weak: e.weak,
                });
            }
        }
        hits.sort_by_key(|h| (h.start, h.end));
        hits
    }

    /// The entry's word as written in the list (lowercase), for reasons.
    pub fn word(&self, entry: usize) -> &str {
        &self.entries[entry].word
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
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
            l(&["fødselsnummer", "fnr=", "f.nr"], &["d-nr"]),
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
        let k = kw();
        assert!(k.find("D-nr 5")[0].weak);
    }
}
