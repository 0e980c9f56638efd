//! Detection of Norwegian personal data in extracted text (spec/pii.md): validators for each
//! identifier, a digit-group tokenizer, keyword context (same paragraph or cell, row label,
//! column header, a docx table's header row), column statistics and a confidence model.
//! The tunable parts (base confidences, keywords, lexicon, examples) are data:
//! `rules/detectors.toml`.

mod candidates;
mod document;
mod examples;
pub mod fnr;
pub mod fold;
mod found;
pub mod key;
mod keywords;
pub mod mask;
pub mod numbers;
mod swar;
pub mod tokens;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::Deserialize;

use crate::model::{ConfigError, DetectorId};
pub use document::{Ahead, DocumentScan, MAX_VALUES, Outcome};
use fnr::{Date, Mode2032};
pub use found::MAX_PIECE_FOUND;
use keywords::Keywords;

/// Other places of a de-duplicated value kept in a detection.
const MAX_ALSO_AT: usize = 20;

/// The built-in detectors file.
pub const BUILT_IN: &str = crate::model::data::DETECTORS;

/// A built-in pattern (a test compiles each: `built_in_detectors_load`).
fn pattern(re: &str) -> Regex {
    Regex::new(re).expect("built-in pattern")
}

/// The detector ids, for messages: `fodselsnummer, d-nummer, …`.
pub fn known_ids() -> String {
    DetectorId::ALL.map(DetectorId::id).join(", ")
}

/// Keyword lists the detectors use, by name.
const LISTS: &[&str] = &[
    "identifier",
    "negative",
    "account",
    "fh",
    "test",
    "duf",
    "phone",
    "passport",
    "organisation",
    "currency",
];

/// The index of a keyword list in `LISTS` (`Hit::list`), found when compiling: an
/// unknown name does not compile.
const fn list(name: &str) -> usize {
    let mut i = 0;
    while i < LISTS.len() {
        let (a, b) = (LISTS[i].as_bytes(), name.as_bytes());
        let mut same = a.len() == b.len();
        let mut j = 0;
        while same && j < a.len() {
            same = a[j] == b[j];
            j += 1;
        }
        if same {
            return i;
        }
        i += 1;
    }
    panic!("unknown keyword list")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    settings: Settings,
    keywords: BTreeMap<String, ListToml>,
    lexicon: BTreeMap<String, LexiconToml>,
    detector: Vec<DetectorToml>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub threshold: u8,
    pub proximity: usize,
    pub rule_2032: String,
    pub examples_today: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListToml {
    words: Vec<String>,
    #[serde(default)]
    weak: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconToml {
    #[serde(default)]
    also: Vec<String>,
    words: Vec<String>,
    #[serde(default)]
    weak: Vec<String>,
}

/// One detector's data.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct DetectorToml {
    pub id: String,
    pub summary: String,
    pub summary_en: String,
    pub base: u8,
    #[serde(default)]
    pub base_with_keyword: Option<u8>,
    #[serde(default)]
    pub base_fixed: Option<u8>,
    #[serde(default)]
    pub checksum_boost: Option<u8>,
    pub keyword_boost: u8,
    #[serde(default)]
    pub ignore_local: Vec<String>,
    #[serde(default)]
    pub must_match: Vec<String>,
    #[serde(default)]
    pub must_not_match: Vec<String>,
}

/// The detectors, ready to scan documents.
pub struct Detectors {
    pub settings: Settings,
    pub detectors: Vec<DetectorToml>,
    by_id: HashMap<String, usize>,
    keywords: Keywords,
    /// Keyword list index → tags it gives (lexicon lists only).
    tags: Vec<Vec<Arc<str>>>,
    pub origin: String,
    /// A hash of the file's text (see `Engine::fingerprint`).
    pub digest: String,
    pub today: Date,
    pub mode_2032: Mode2032,
    /// Keys `Detection::hash`, which links the same value across documents.
    pub hash_key: crate::detect::key::Key,
    // The patterns are compiled when first needed: most texts never need one (cheap
    // tests come first), and compiling them all is most of a one-file check's start.
    pub(crate) email: LazyLock<Regex>,
    pub(crate) iban: LazyLock<Regex>,
    pub(crate) passport: LazyLock<Regex>,
    pub(crate) mrz: LazyLock<Regex>,
    country_code: LazyLock<Regex>,
}

impl Detectors {
    pub fn built_in() -> Detectors {
        Detectors::parse(BUILT_IN, "built-in rules/detectors.toml").expect("built-in detectors")
    }

    /// A detectors file, checked against its own examples: a detector that does not find
    /// what its `must_match` says, or finds what its `must_not_match` says, is an error
    /// naming the file, the detector and the example.
    pub fn load(path: &Path) -> Result<Detectors, ConfigError> {
        let text = ConfigError::read(path)?;
        let detectors = Detectors::parse(&text, &path.display().to_string())?;
        match detectors.check_examples().into_iter().next() {
            Some(failure) => Err(failure),
            None => Ok(detectors),
        }
    }

    /// Parses and validates a detectors file: unknown keys, unknown or duplicate detector
    /// ids and missing keyword lists are errors naming the file, detector and field.
    pub fn parse(text: &str, origin: &str) -> Result<Detectors, ConfigError> {
        let err = |item: &str, field: &str, message: String| {
            ConfigError::in_file(origin, item, field, message)
        };
        let file: FileToml = crate::model::data::from_toml(text)
            .map_err(|e| err("", "", crate::labels::catalogue::toml_message(&e, text)))?;
        let mut by_id = HashMap::new();
        for (i, d) in file.detector.iter().enumerate() {
            if DetectorId::parse(&d.id).is_none() {
                return Err(err(
                    &d.id,
                    "id",
                    format!("unknown detector id (known: {})", known_ids()),
                ));
            }
            if by_id.insert(d.id.clone(), i).is_some() {
                return Err(err(&d.id, "id", "defined twice".into()));
            }
            for (field, v) in [
                ("base", Some(d.base)),
                ("base_with_keyword", d.base_with_keyword),
            ] {
                if v.is_some_and(|v| v > 100) {
                    return Err(err(&d.id, field, "a confidence is 0 to 100".into()));
                }
            }
        }
        for id in DetectorId::ALL.map(DetectorId::id) {
            if !by_id.contains_key(id) {
                return Err(err(id, "", "detector missing from the file".into()));
            }
        }
        for name in file.keywords.keys() {
            if !LISTS.contains(&name.as_str()) {
                return Err(err(
                    &format!("keywords.{name}"),
                    "",
                    format!("unknown keyword list (known: {})", LISTS.join(", ")),
                ));
            }
        }
        let mut lists: Vec<(&[String], &[String])> = Vec::new();
        let mut names: Vec<(&str, &str)> = Vec::new();
        let mut tags: Vec<Vec<Arc<str>>> = Vec::new();
        for name in LISTS {
            let l = file
                .keywords
                .get(*name)
                .ok_or_else(|| err(&format!("keywords.{name}"), "words", "list missing".into()))?;
            lists.push((&l.words, &l.weak));
            names.push(("keywords", name));
            tags.push(Vec::new());
        }
        for (name, l) in &file.lexicon {
            lists.push((&l.words, &l.weak));
            names.push(("lexicon", name));
            let mut t: Vec<Arc<str>> = vec![name.as_str().into()];
            t.extend(l.also.iter().map(|a| Arc::from(a.as_str())));
            tags.push(t);
        }
        // The built-in lists' words are compiled in (their JSON has none).
        let keywords = if crate::model::data::is_built_in(text) {
            let words = |(section, list): (&str, &str)| {
                let known = crate::model::data::DETECTOR_WORDS.iter();
                let mut of = known.filter(|(s, l, ..)| *s == section && *l == list);
                of.next()
                    .map_or((&[][..], &[][..]), |&(_, _, words, weak)| (words, weak))
            };
            let lists: Vec<(&[&str], &[&str])> = names.into_iter().map(words).collect();
            Keywords::new(&lists)
        } else {
            Keywords::new(&lists)
        };
        let mode_2032 = match file.settings.rule_2032.as_str() {
            "auto" => Mode2032::Auto,
            "on" => Mode2032::On,
            "off" => Mode2032::Off,
            _ => {
                return Err(err(
                    "settings",
                    "rule_2032",
                    "must be auto, on or off".into(),
                ));
            }
        };
        if Date::parse(&file.settings.examples_today).is_none() {
            return Err(err(
                "settings",
                "examples_today",
                "not a date (YYYY-MM-DD)".into(),
            ));
        }
        Ok(Detectors {
            digest: crate::model::data::digest(text),
            settings: file.settings,
            detectors: file.detector,
            by_id,
            keywords,
            tags,
            origin: origin.to_string(),
            today: Date::today(),
            hash_key: crate::detect::key::Key::public(),
            mode_2032,
            email: LazyLock::new(|| {
                // Letters of any script (`ødegård@bø.kommune.no`).
                pattern(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}")
            }),
            // Spaces or hyphens between digits (`NO93-8601-1117-947`); no word boundary
            // before `NO`, as it may be glued to a word (`KontoNO93…`): the checksums decide.
            iban: LazyLock::new(|| pattern(r"(?i)NO[\s-]?[0-9]{2}(?:[\s-]?[0-9]){11}\b")),
            passport: LazyLock::new(|| pattern(r"\b[A-Z]{1,3}[0-9]{6,8}\b")),
            mrz: LazyLock::new(|| pattern(r"P[A-Z<]NOR[A-Z<]{5,}")),
            country_code: LazyLock::new(|| pattern(r"(?:\+|\b00)\s?47[\s.\-]?$")),
        })
    }

    /// The sensitive-domain tags the lexicon gives.
    pub fn tag_names(&self) -> Vec<String> {
        let mut t: Vec<String> = self.tags.iter().flatten().map(|t| t.to_string()).collect();
        t.sort();
        t.dedup();
        t
    }

    /// The same detectors judging dates as of `today`.
    pub fn with_today(mut self, today: Date) -> Detectors {
        self.today = today;
        self
    }

    pub fn detector(&self, id: DetectorId) -> &DetectorToml {
        &self.detectors[self.by_id[id.id()]]
    }

    /// 11 ASCII digits as a number of the fødselsnummer family: its kind and rule.
    /// `rule_2032 = "off"` rejects numbers only the 2032 rule accepts.
    pub(crate) fn classify(&self, digits: &str, today: Date) -> Option<(fnr::Kind, fnr::Rule)> {
        let (kind, rule) = fnr::classify(&fnr::digits(digits)?, today).ok()?;
        (rule == fnr::Rule::R1964 || self.mode_2032 != Mode2032::Off).then_some((kind, rule))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_detectors_load() {
        let d = Detectors::built_in();
        assert_eq!(d.detectors.len(), DetectorId::ALL.len());
        assert_eq!(d.settings.threshold, 50);
        for re in [&d.email, &d.iban, &d.passport, &d.mrz, &d.country_code] {
            LazyLock::force(re);
        }
    }

    #[test]
    fn broken_files_name_file_detector_and_field() {
        let bad = BUILT_IN.replacen("id = \"epost\"", "id = \"e-post\"", 1);
        let e = Detectors::parse(&bad, "d.toml").err().unwrap().to_string();
        assert!(
            e.starts_with("d.toml: e-post: field `id`: unknown detector id"),
            "{e}"
        );
        let bad = BUILT_IN.replacen("base = 70", "base = 70\nbogus = 1", 1);
        let e = Detectors::parse(&bad, "d.toml").err().unwrap().to_string();
        assert!(e.contains("bogus"), "{e}");
        let bad = format!(
            "{BUILT_IN}\n[[detector]]\nid = \"iban\"\nsummary = \"x\"\nsummary_en = \"x\"\nbase = 1\nkeyword_boost = 0\n"
        );
        let e = Detectors::parse(&bad, "d.toml").err().unwrap().to_string();
        assert!(e.contains("iban: field `id`: defined twice"), "{e}");
    }

    #[test]
    fn a_detectors_file_is_checked_against_its_own_examples() {
        // A raised base makes the d-nummer's example confidence wrong.
        let dir = std::env::temp_dir().join(format!("o365lint-examples-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("detectors.toml");
        let file = BUILT_IN.replacen(
            "must_match = [\"D-nummer 53097248016 => 90\"",
            "must_match = [\"D-nummer 53097248016 => 91\"",
            1,
        );
        assert_ne!(file, BUILT_IN);
        std::fs::write(&path, &file).unwrap();
        let e = Detectors::load(&path).err().unwrap().to_string();
        assert!(
            e.contains("detectors.toml: d-nummer: field `must_match`"),
            "{e}"
        );
        std::fs::write(&path, BUILT_IN).unwrap();
        assert!(Detectors::load(&path).is_ok());
        std::fs::remove_dir_all(&dir).ok();
    }
}
