//! A list of globs (destinations, businesses, the allow-list) matched against one path at a
//! time. A glob is compiled when a path first gets past its literal words: compiling every
//! glob of the built-in destinations into one set was a quarter of a one-file check's
//! start, and a path usually has the words of one or two of them. The built-in globs are
//! not even parsed before then (a test parses them all).

use std::sync::OnceLock;

use globset::GlobMatcher;

use super::{glob, normal};

#[derive(Clone, Debug)]
pub struct Globs {
    patterns: Vec<String>,
    /// Per glob: the ASCII words outside its wildcards, lowercase, in order. A path the
    /// glob matches holds them in that order (see `folded`).
    words: Vec<Vec<String>>,
    matchers: Vec<OnceLock<GlobMatcher>>,
}

impl Globs {
    /// The patterns, each checked; a bad one is an error with its index.
    /// `check`: parse every glob now, to report a bad one (the built-in ones are known good).
    pub fn new<'a>(
        patterns: impl Iterator<Item = &'a str>,
        check: bool,
    ) -> Result<Globs, (usize, String)> {
        let mut globs = Globs {
            patterns: Vec::new(),
            words: Vec::new(),
            matchers: Vec::new(),
        };
        for (i, p) in patterns.enumerate() {
            if check {
                glob(p).map_err(|e| (i, e.to_string()))?;
            }
            globs.words.push(literal_words(&normal(p)));
            globs.patterns.push(p.to_string());
            globs.matchers.push(OnceLock::new());
        }
        Ok(globs)
    }

    pub fn matches(&self, path: &str) -> Vec<usize> {
        self.matching(path).collect()
    }

    pub fn first(&self, path: &str) -> Option<usize> {
        self.matching(path).next()
    }

    pub fn is_match(&self, path: &str) -> bool {
        self.first(path).is_some()
    }

    /// The globs that match `path`, in order, each compiled when first needed: a caller
    /// that wants the first compiles no glob after it.
    fn matching(&self, path: &str) -> impl Iterator<Item = usize> {
        let path = normal(path);
        let folded = folded(&path);
        (0..self.patterns.len()).filter(move |&i| {
            holds_in_order(&folded, &self.words[i])
                && self.matchers[i]
                    .get_or_init(|| {
                        glob(&self.patterns[i])
                            .expect("checked when read, or built in")
                            .compile_matcher()
                    })
                    .is_match(&path)
        })
    }
}

/// The runs of ASCII characters outside wildcards, braces, classes and separators (`**/`
/// may match nothing, so a separator beside it is not required), lowercase.
fn literal_words(pattern: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut depth = 0usize;
    for c in pattern.chars() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 && c.is_ascii() && !matches!(c, '*' | '?' | '/' | ',') => {
                word.push(c.to_ascii_lowercase());
                continue;
            }
            _ => {}
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// A path lowercased as the globs' case-insensitive matching compares it with ASCII words:
/// `ſ` is an `s` there (the Kelvin sign lowercases to `k` by itself).
fn folded(path: &str) -> String {
    path.to_lowercase().replace('ſ', "s")
}

fn holds_in_order(text: &str, words: &[String]) -> bool {
    let mut rest = text;
    words.iter().all(|w| match rest.find(w.as_str()) {
        Some(at) => {
            rest = &rest[at + w.len()..];
            true
        }
        None => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_outside_wildcards() {
        assert_eq!(
            literal_words("https://*.sharepoint.com/sites/**"),
            ["https:", ".sharepoint.com", "sites"]
        );
        assert_eq!(literal_words("**/Dropbox/**"), ["dropbox"]);
        assert_eq!(
            literal_words("/media/{a,b}x[!y]z/?.DOC"),
            ["media", "x", "z", ".doc"]
        );
        assert_eq!(literal_words("**/Delt med ø/x**"), ["delt med ", "x"]);
    }

    /// The literal words only spare compiling: every path matches as the glob alone says.
    #[test]
    fn matches_as_the_globs_do() {
        let patterns = [
            "https://*.sharepoint.com/sites/**",
            "**/Dropbox/**",
            "**/OneDrive - Oslo kommune/**",
            "/media/**",
            "**/{Helse,Sosial}/**",
            "**/*.DOCX",
            "**/Delt med eksterne/**",
        ];
        let globs = Globs::new(patterns.iter().copied(), true).unwrap();
        for path in [
            "https://oslo.sharepoint.com/sites/x/a.docx",
            "HTTPS://OSLO.SHAREPOINT.COM/SITES/x",
            "https://oslo.sharepoint.com/teams/x",
            "Dropbox/a.docx",
            "C:\\Users\\kari\\Dropbox\\a.docx",
            "/home/kari/OneDrive - OSLO KOMMUNE/a.xlsx",
            "/media/usb/a",
            "/share/helse/a.doc",
            "/share/Sosial/b/a.doc",
            "/share/a.docx",
            "/share/DELT MED EKSTERNE/a",
            "/share/Delt med eksterne ſ/a",
            "/share/Dropboxx/a",
            "",
        ] {
            let expected: Vec<usize> = (0..patterns.len())
                .filter(|&i| {
                    glob(patterns[i])
                        .unwrap()
                        .compile_matcher()
                        .is_match(normal(path))
                })
                .collect();
            assert_eq!(globs.matches(path), expected, "{path}");
        }
        assert!(Globs::new(["a/[b"].into_iter(), true).is_err());
    }
}
