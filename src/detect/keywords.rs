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
    /// Per word: the words that are a prefix of it, itself included. A leftmost-longest
    /// search reports `pasientjournal`; `pasient` is found through this.
    prefixes: Vec<Vec<usize>>,
    /// Pattern index → word (each word has several case variants).
    patterns: Vec<usize>,
    ac: AhoCorasick,
}

/// Entries of this many characters or more also match as the start of a longer word.
const PREFIX_MIN: usize = 5;

impl Keywords {
    /// `lists`: per list, its strong and weak entries.
    pub fn new(lists: &[(Vec<String>, Vec<String>)]) -> Keywords {
        let mut entries = Vec::new();
        let mut words: Vec<String> = Vec::new();
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
                let lower = word.to_lowercase();
                let index = match words.iter().position(|x| *x == lower) {
                    Some(i) => i,
                    None => {
                        words.push(lower);
                        words.len() - 1
                    }
                };
                entries.push(Entry {
                    list,
                    word: index,
                    whole: forced || word.chars().count() < PREFIX_MIN,
                    weak: is_weak,
                });
            }
        }
        let mut entries_of = vec![Vec::new(); words.len()];
        for (i, e) in entries.iter().enumerate() {
            entries_of[e.word].push(i);
        }
        let prefixes = words
            .iter()
            .map(|w| {
                (0..words.len())
                    .filter(|&p| w.starts_with(words[p].as_str()))
                    .collect()
            })
            .collect();
        let mut patterns = Vec::new();
        let mut variants = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let mut forms = vec![w.clone(), capitalised(w), w.to_uppercase()];
            forms.dedup();
            for f in forms {
                variants.push(f);
                patterns.push(i);
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            // A DFA: more memory once, the fastest search on every piece of text.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&variants)
            .expect("keyword automaton");
        Keywords {
            entries,
            words,
            entries_of,
            prefixes,
            patterns,
            ac,
        }
    }

    /// Every keyword in `text`, in order of position.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        for m in self.ac.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            for &w in &self.prefixes[self.patterns[m.pattern().as_usize()]] {
                let word = &self.words[w];
                // Case variants of a word have its length in bytes (ASCII and æøå alike).
                let end = m.start() + word.len();
                let Some(after) = text.get(end..) else {
                    continue;
                };
                let after = after.chars().next();
                for &entry in &self.entries_of[w] {
                    let e = &self.entries[entry];
                    let starts_word = !word.starts_with(char::is_alphanumeric)
                        || !before.is_some_and(char::is_alphanumeric);
                    let ends_word = !e.whole
                        || !word.ends_with(char::is_alphanumeric)
                        || !after.is_some_and(char::is_alphanumeric);
                    // An abbreviation's dot ends it only if no letter follows: `f.` is not
                    // in `f.eks.`.
                    let ends_abbreviation =
                        !word.ends_with('.') || !after.is_some_and(char::is_alphabetic);
                    if starts_word && ends_word && ends_abbreviation {
                        hits.push(Hit {
                            list: e.list,
                            entry,
                            start: m.start(),
                            end,
                            weak: e.weak,
                        });
                    }
                }
            }
        }
        hits.sort_by_key(|h| (h.start, h.end));
        hits
    }

    /// The entry's word (lowercase), for reasons.
    pub fn word(&self, entry: usize) -> &str {
        &self.words[self.entries[entry].word]
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
}
