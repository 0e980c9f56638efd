//! Detection of Norwegian personal data in extracted text (spec/pii.md): validators for each
//! identifier, a digit-group tokenizer, keyword context (same paragraph or cell, row label,
//! column header, a docx table's header row), column statistics and a confidence model.
//! The tunable parts (base confidences, keywords, lexicon, examples) are data:
//! `rules/detectors.toml`.

pub mod fnr;
pub mod key;
pub mod keywords;
pub mod numbers;
pub mod tokens;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use regex::Regex;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::model::ConfigError;
use crate::model::{Detection, DetectorId, FileResult, Location};
use crate::model::{Flags, Kind};
use crate::read::text::{
    Batch, Piece, PieceText, Place, SharedStrings, may_be_identifier, trimmed,
};
use fnr::{Date, Mode2032};
use keywords::{Hit, Keywords};
use numbers::Phone;

/// Other places of a de-duplicated value kept in a detection.
const MAX_ALSO_AT: usize = 20;

/// The built-in detectors file.
pub const BUILT_IN: &str = include_str!("../../rules/detectors.toml");

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
    email: Regex,
    iban: Regex,
    passport: Regex,
    mrz: Regex,
    country_code: Regex,
}

impl Detectors {
    pub fn built_in() -> Detectors {
        Detectors::parse(BUILT_IN, "built-in rules/detectors.toml").expect("built-in detectors")
    }

    pub fn load(path: &Path) -> Result<Detectors, ConfigError> {
        let text = ConfigError::read(path)?;
        Detectors::parse(&text, &path.display().to_string())
    }

    /// Parses and validates a detectors file: unknown keys, unknown or duplicate detector
    /// ids and missing keyword lists are errors naming the file, detector and field.
    pub fn parse(text: &str, origin: &str) -> Result<Detectors, ConfigError> {
        let err = |item: &str, field: &str, message: String| {
            ConfigError::in_file(origin, item, field, message)
        };
        let file: FileToml = toml::from_str(text)
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
        let mut lists: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        let mut tags: Vec<Vec<Arc<str>>> = Vec::new();
        for name in LISTS {
            let l = file
                .keywords
                .get(*name)
                .ok_or_else(|| err(&format!("keywords.{name}"), "words", "list missing".into()))?;
            lists.push((l.words.clone(), l.weak.clone()));
            tags.push(Vec::new());
        }
        for (name, l) in &file.lexicon {
            lists.push((l.words.clone(), l.weak.clone()));
            let mut t: Vec<Arc<str>> = vec![name.as_str().into()];
            t.extend(l.also.iter().map(|a| Arc::from(a.as_str())));
            tags.push(t);
        }
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
            digest: blake3::hash(text.as_bytes()).to_hex()[..16].to_string(),
            settings: file.settings,
            detectors: file.detector,
            by_id,
            keywords: Keywords::new(&lists),
            tags,
            origin: origin.to_string(),
            today: Date::today(),
            hash_key: crate::detect::key::Key::public(),
            mode_2032,
            email: Regex::new(
                // Letters of any script (`ødegård@bø.kommune.no`).
                r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}",
            )
            .expect("email regex"),
            // Spaces or hyphens between digits (`NO93-8601-1117-947`); no word boundary
            // before `NO`, as it may be glued to a word (`KontoNO93…`): the checksums decide.
            iban: Regex::new(r"(?i)NO[\s-]?[0-9]{2}(?:[\s-]?[0-9]){11}\b").expect("iban regex"),
            passport: Regex::new(r"\b[A-Z]{1,3}[0-9]{6,8}\b").expect("passport regex"),
            mrz: Regex::new(r"P[A-Z<]NOR[A-Z<]{5,}").expect("mrz regex"),
            country_code: Regex::new(r"(?:\+|\b00)\s?47[\s.\-]?$").expect("country code regex"),
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

    /// Starts on one document.
    pub fn document(&self) -> DocumentScan<'_> {
        DocumentScan {
            det: self,
            today: self.today,
            part: "".into(),
            pending: Vec::new(),
            found: BTreeMap::new(),
            weak: FxHashMap::default(),
            first_rows: FxHashMap::default(),
            rows: FxHashMap::default(),
            columns: FxHashMap::default(),
            tags: BTreeMap::new(),
            last: None,
            long: None,
            shared: None,
            areas: FxHashMap::default(),
            last_area: None,
        }
    }

    /// Detections in one docx paragraph of text (for examples and tests).
    pub fn paragraph(&self, text: &str) -> Outcome {
        self.paragraph_on(text, self.today)
    }

    fn paragraph_on(&self, text: &str, today: Date) -> Outcome {
        let area: Arc<str> = "".into();
        let piece = Piece::new(
            text.to_string(),
            crate::model::Kind::Body,
            &area,
            Place::Paragraph(1),
        );
        let mut doc = self.document();
        doc.today = today;
        doc.batch(&Batch {
            part: "word/document.xml",
            flags: Flags::NONE,
            pieces: std::slice::from_ref(&piece),
            passed_over: None,
        });
        doc.finish()
    }

    /// Runs every detector's examples (as of `settings.examples_today`); the failures.
    pub fn check_examples(&self) -> Vec<String> {
        let today = Date::parse(&self.settings.examples_today).unwrap_or(self.today);
        let mut failures = Vec::new();
        let with_today = |text: &str| self.paragraph_on(text, today);
        for d in &self.detectors {
            for ex in &d.must_match {
                let (text, want) = match ex.rsplit_once(" => ") {
                    Some((t, n)) => (t, n.trim().parse::<u8>().ok()),
                    None => (ex.as_str(), None),
                };
                let got: Vec<u8> = with_today(text)
                    .detections
                    .iter()
                    .filter(|x| x.detector.id() == d.id)
                    .map(|x| x.confidence)
                    .collect();
                let ok = match want {
                    Some(n) => got.contains(&n),
                    None => !got.is_empty(),
                };
                if !ok {
                    failures.push(format!(
                        "{}: must match {ex:?}: got confidences {got:?}",
                        d.id
                    ));
                }
            }
            for ex in &d.must_not_match {
                let got: Vec<u8> = with_today(ex)
                    .detections
                    .iter()
                    .filter(|x| x.detector.id() == d.id)
                    .map(|x| x.confidence)
                    .collect();
                if !got.is_empty() {
                    failures.push(format!("{}: must not match {ex:?}: got {got:?}", d.id));
                }
            }
        }
        failures
    }

    /// `text` with every possible identifier masked, whatever its confidence or context:
    /// numbers valid as the fødselsnummer family keep their first six digits; accounts,
    /// organisation numbers, DUF numbers with a valid checksum and IBANs their last four;
    /// phone numbers their last two; e-mail addresses their first letter. For printing
    /// extracted text, paths, notes and label metadata. Digit runs no validator accepts
    /// (dates, amounts, long references) stay readable.
    pub fn mask(&self, text: &str) -> String {
        let mut spans: Vec<(usize, usize, Keep)> = Vec::new();
        for seq in tokens::sequences(text) {
            for c in tokens::candidates(text, &seq) {
                let d = numbers::digits(&c.digits).unwrap_or_default();
                let l = c.lengths();
                let family =
                    tokens::fnr_layout(l) && self.classify(&c.digits, self.today).is_some();
                let padded = l == [10]
                    && self
                        .classify(&format!("0{}", c.digits), self.today)
                        .is_some();
                let keep = if family || padded {
                    Keep::First(6)
                } else if ((tokens::account_layout(l) || l == [11]) && numbers::kontonummer(&d))
                    || (tokens::orgnr_layout(l) && numbers::orgnr(&d))
                    || (tokens::duf_layout(l) && numbers::duf_year(&c.digits))
                {
                    Keep::Last(4)
                } else if (tokens::phone_layout(l) && numbers::phone(&d) != Phone::Other)
                    || tokens::glued_phone(text, &c).is_some_and(|n| {
                        numbers::phone(&numbers::digits(n).unwrap_or_default()) != Phone::Other
                    })
                {
                    Keep::Last(2)
                } else {
                    continue;
                };
                spans.push((c.start, c.end, keep));
            }
        }
        for m in self.iban.find_iter(text) {
            spans.push((m.start(), m.end(), Keep::Last(4)));
        }
        let (at, nor) = at_and_nor(text);
        for m in self.email.find_iter(if at { text } else { "" }) {
            let local = m.as_str().find('@').unwrap_or(0);
            spans.push((m.start(), m.start() + local, Keep::First(1)));
        }
        for m in self.passport.find_iter(text) {
            spans.push((m.start(), m.end(), Keep::First(2)));
        }
        for m in self.mrz.find_iter(if nor { text } else { "" }) {
            spans.push((m.start(), m.end(), Keep::First(0)));
        }
        // A byte is hidden if any span over it hides it: spans overlap (`93 8601 1117` in
        // an IBAN). Separators are kept; digits and letters count for First/Last.
        let mut hide = vec![false; text.len()];
        for (s, e, keep) in &spans {
            let chars: Vec<(usize, char)> = text[*s..*e]
                .char_indices()
                .filter(|(_, c)| c.is_alphanumeric())
                .collect();
            let total = chars.len();
            for (k, (i, _)) in chars.iter().enumerate() {
                let masked = match keep {
                    Keep::First(n) => k >= *n,
                    Keep::Last(n) => k + n < total,
                };
                if masked {
                    hide[s + i] = true;
                }
            }
        }
        let out: String = text
            .char_indices()
            .map(|(i, c)| if hide[i] { '*' } else { c })
            .collect();
        out
    }

    /// Masks everything in a file's result that is not a detection but may hold an identifier:
    /// the path, notes, errors, label names and metadata, locations, embedded paths.
    pub fn mask_result(&self, r: &mut FileResult) {
        let m = |s: &mut String| *s = self.mask(s);
        let m_part = |s: &mut Arc<str>| *s = self.mask(s).into();
        m(&mut r.path);
        r.business.iter_mut().for_each(m);
        r.notes.iter_mut().for_each(m);
        r.error.iter_mut().for_each(m);
        for l in &mut r.labels {
            l.found.name.iter_mut().for_each(m);
            for v in l.found.extra.values_mut() {
                m(v);
            }
        }
        for d in &mut r.detections {
            for loc in std::iter::once(&mut d.location).chain(d.also_at.iter_mut()) {
                m_part(&mut loc.part);
                m(&mut loc.place);
            }
        }
        for r in &mut r.required_reasons {
            if let Some(loc) = &mut r.location {
                m_part(&mut loc.part);
                m(&mut loc.place);
            }
        }
        for f in &mut r.findings {
            m(&mut f.message);
            f.suppressed.iter_mut().for_each(m);
            if let Some(loc) = &mut f.location {
                m_part(&mut loc.part);
                m(&mut loc.place);
            }
        }
        for e in &mut r.embedded {
            m(&mut e.path);
            e.error.iter_mut().for_each(m);
            for l in &mut e.labels {
                l.found.name.iter_mut().for_each(m);
                for v in l.found.extra.values_mut() {
                    m(v);
                }
            }
        }
    }

    /// 11 ASCII digits as a number of the fødselsnummer family: its kind and rule.
    /// `rule_2032 = "off"` rejects numbers only the 2032 rule accepts.
    fn classify(&self, digits: &str, today: Date) -> Option<(fnr::Kind, fnr::Rule)> {
        let (kind, rule) = fnr::classify(&fnr::digits(digits)?, today).ok()?;
        (rule == fnr::Rule::R1964 || self.mode_2032 != Mode2032::Off).then_some((kind, rule))
    }
}

/// How much of an identifier stays readable when it is masked.
#[derive(Clone, Copy)]
enum Keep {
    First(usize),
    Last(usize),
}

/// A detection before de-duplication, with what column statistics may change.
struct Found {
    detector: DetectorId,
    detection: Detection,
    key: String,
    column: Option<ColumnKey>,
    /// A fødselsnummer-family value in a cell (column statistics apply).
    family: Option<Columnwise>,
    /// Of a detector of the fødselsnummer family: waits for the end of its part (in or out
    /// of a cell, so that a value's occurrences stay in order); others are kept at once.
    pends: bool,
}

/// A detection as a detector scored it, before the piece's flags and tags are added.
struct Finding {
    detector: DetectorId,
    /// Byte offsets of the value in the piece's text.
    start: usize,
    end: usize,
    /// The normalised value: a detector's detections are de-duplicated by it.
    key: String,
    masked: String,
    confidence: i32,
    reasons: Vec<String>,
    /// A value of the fødselsnummer family: column statistics may change it in a cell.
    family: Option<Columnwise>,
}

/// How column statistics may change a value of the fødselsnummer family.
#[derive(Clone, Copy, Debug)]
struct Columnwise {
    /// A column of such numbers raises it to 85.
    boost: bool,
    /// The most it may be whatever the column (test data, numbers of the 2032 rule).
    cap: u8,
}

/// A value of the fødselsnummer family to score.
struct FamilyValue<'v> {
    start: usize,
    end: usize,
    /// 11 digits.
    digits: &'v str,
    kind: fnr::Kind,
    rule: fnr::Rule,
    /// Ten digits of a numeric cell with the leading zero put back.
    padded: bool,
}

/// The confidence of ten digits read as a fødselsnummer without its leading zero, before
/// evidence (spec/pii.md §7.1).
const LEADING_ZERO_BASE: i32 = 35;

/// Area, table and column of a cell.
type ColumnKey = (u32, u32, u32);
/// Area, table and row of a cell.
type RowKey = (u32, u32, u32);
/// A column's header cell: its row and its keywords.
type Header = (u32, Vec<Hit>);

/// What is known of a column of a sheet or table so far.
#[derive(Default)]
struct Column {
    /// The cell read as its header, and that cell's keywords.
    header: Option<Header>,
    /// Cells holding only 10–11 digits.
    numbers: u32,
    /// Of those, the ones valid as a number of the fødselsnummer family.
    valid: u32,
    /// Of those, the ones valid as account numbers (every valid fødselsnummer is one too).
    accounts: u32,
}

/// Detection over one document, fed batch by batch (parts in order).
pub struct DocumentScan<'d> {
    det: &'d Detectors,
    today: Date,
    part: Arc<str>,
    /// Detections of the fødselsnummer family in the current part: column statistics may
    /// still change them.
    pending: Vec<Found>,
    /// Per detector and normalised value: the best detection, once one is at or above the
    /// threshold, and the number of occurrences.
    found: BTreeMap<(DetectorId, String), (Detection, u32)>,
    /// Values found only below the threshold so far: never reported, but counted and
    /// listed among the places of the value should it be found at or above it later. Kept
    /// small: a sheet may hold thousands of numbers that could be phone numbers.
    weak: FxHashMap<(DetectorId, String), Weak>,
    /// Per (area, table) of a docx or pptx table, its first row: the header row.
    first_rows: FxHashMap<(u32, u32), u32>,
    /// Keywords of the cells read so far per (area, table, row), by column.
    rows: FxHashMap<RowKey, Vec<(u32, Vec<Hit>)>>,
    columns: FxHashMap<ColumnKey, Column>,
    tags: BTreeMap<String, u32>,
    /// The last piece's area, place and keywords: text deleted from a paragraph, or its
    /// field codes, come as pieces of their own at the same place, in its context.
    last: Option<(Arc<str>, Place, Vec<Hit>)>,
    /// The last long text and what depends on its text alone: a workbook may repeat one
    /// long shared string in thousands of cells.
    long: Option<(String, Textual)>,
    /// What each shared text of the last shared string table holds (a workbook's shared
    /// string is read once, however many cells show it), by its index.
    shared: Option<(Arc<SharedStrings>, FxHashMap<u32, Textual>)>,
    /// Areas (sheets, the parts of tables) by number, so that the per-cell keys of the
    /// maps above hash no strings; the last one is found by pointer.
    areas: FxHashMap<Arc<str>, u32>,
    last_area: Option<(Arc<str>, u32)>,
}

/// A value found only below the threshold (see `DocumentScan::weak`).
struct Weak {
    confidence: u8,
    count: u32,
    /// Where it was found with its best confidence first, then its other places, as
    /// `Detection::location` and `also_at` would list them.
    places: Vec<Location>,
}

/// What a long or shared text holds, whatever its context: its keywords, whether it has a
/// digit (for number candidates) and whether a pattern could match (`@`, `NOR`, an IBAN).
#[derive(Clone)]
struct Textual {
    hits: Vec<Hit>,
    digit: bool,
    pattern: bool,
}

/// Texts of these lengths are remembered (see `DocumentScan::long`); a copy is kept, so
/// the longest are not.
const LONG_TEXT: std::ops::RangeInclusive<usize> = 4096..=(4 << 20);

/// Shared texts remembered per shared string table (see `DocumentScan::shared`), at most: a few
/// hundred kilobytes (65,536 added 10 MB to the peak for no fewer instructions; the
/// strings repeated most are met first).
const SHARED_TEXTS: usize = 1 << 12;

/// What a document's detection found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// De-duplicated, at or above the threshold, in order of first occurrence per detector.
    pub detections: Vec<Detection>,
    /// Sensitive-domain tags and how many pieces of text carried them.
    pub tags: BTreeMap<String, u32>,
}

/// The context a candidate is judged in.
struct Context<'a> {
    /// Keyword hits in the piece within reach of the candidate.
    near: Vec<Hit>,
    /// Hits in the row label and column header, with where they were.
    around: &'a [(Hit, &'static str)],
}

impl Context<'_> {
    fn has(&self, list: usize) -> Option<(bool, String)> {
        self.near
            .iter()
            .map(|h| (*h, "same-text"))
            .chain(self.around.iter().copied())
            .filter(|(h, _)| h.list == list)
            .min_by_key(|(h, _)| h.weak)
            .map(|(h, at)| (h.weak, format!("{}@{at}", h.entry)))
    }
}

impl DocumentScan<'_> {
    /// Reads one batch of text.
    pub fn batch(&mut self, b: &Batch) {
        if b.part != &*self.part {
            self.end_part();
            self.part = b.part.into();
        }
        for piece in b.pieces {
            self.piece(b, piece);
        }
    }

    /// Finishes the document.
    pub fn finish(mut self) -> Outcome {
        self.end_part();
        let mut detections: Vec<(DetectorId, Detection)> = self
            .found
            .into_iter()
            .map(|((detector, value), (mut d, n))| {
                d.count = n;
                if self.det.hash_key.is_secret() {
                    d.hash = self.det.hash_key.hash(&[detector.id(), &value]);
                }
                (d.detector, d)
            })
            .collect();
        detections.sort_by(|a, b| (a.0, &a.1.location.part).cmp(&(b.0, &b.1.location.part)));
        Outcome {
            detections: detections.into_iter().map(|(_, d)| d).collect(),
            tags: self.tags,
        }
    }

    fn end_part(&mut self) {
        for mut f in std::mem::take(&mut self.pending) {
            if let Some(rule) = f.family
                // Statistics of columns that hold numbers (every column has an entry).
                && let Some(c) = f.column.as_ref().and_then(|k| self.columns.get(k))
                && c.numbers > 0
            {
                let d = &mut f.detection;
                if c.numbers >= 3 && c.valid * 2 >= c.numbers {
                    if rule.boost {
                        d.confidence = d.confidence.max(85);
                    }
                    d.reasons.push("column-stats".into());
                } else if c.numbers >= 10 && c.valid * 10 <= c.numbers {
                    // Few of the column's numbers validate: chance hits among other numbers.
                    d.confidence = d.confidence.saturating_sub(20);
                    d.reasons.push("column-stats:few-valid".into());
                    if c.accounts * 2 >= c.numbers {
                        d.confidence = d.confidence.saturating_sub(15);
                        d.reasons.push("column-stats:accounts".into());
                    }
                }
                // Caps hold whatever the column says.
                d.confidence = d.confidence.min(rule.cap);
            }
            self.keep(f);
        }
        self.first_rows.clear();
        self.rows.clear();
        self.columns.clear();
    }

    fn keep(&mut self, f: Found) {
        let key = (f.detector, f.key);
        let d = f.detection;
        if let Some((best, n)) = self.found.get_mut(&key) {
            *n += 1;
            let mut other = d;
            if other.confidence > best.confidence {
                std::mem::swap(best, &mut other);
                best.also_at = std::mem::take(&mut other.also_at);
            }
            if best.also_at.len() < MAX_ALSO_AT {
                best.also_at.push(other.location);
            }
        } else if d.confidence >= self.det.settings.threshold {
            // The value's earlier finds below the threshold are counted and listed as if
            // they had been kept whole: their places, then their best one's.
            let mut d = d;
            let mut n = 1;
            if let Some(w) = self.weak.remove(&key) {
                n += w.count;
                let mut places = w.places.into_iter();
                let best = places.next();
                d.also_at = places.collect();
                d.also_at
                    .extend(best.filter(|_| d.also_at.len() < MAX_ALSO_AT));
            }
            self.found.insert(key, (d, n));
        } else if let Some(w) = self.weak.get_mut(&key) {
            w.count += 1;
            let mut place = d.location;
            if d.confidence > w.confidence {
                w.confidence = d.confidence;
                std::mem::swap(&mut w.places[0], &mut place);
            }
            if w.places.len() <= MAX_ALSO_AT {
                w.places.push(place);
            }
        } else {
            let w = Weak {
                confidence: d.confidence,
                count: 1,
                // Most such values occur once: no room for more yet.
                places: vec![d.location],
            };
            self.weak.insert(key, w);
        }
    }

    /// The grid a piece sits in (area and table) and its row and column, for cells.
    fn grid(piece: &Piece) -> Option<(&Arc<str>, u32, u32, u32)> {
        match piece.place {
            Place::Cell { row, col } => Some((&piece.area, 0, row, col)),
            Place::Table { table, row, col } => Some((&piece.area, table, row, col)),
            _ => None,
        }
    }

    /// Remembers `piece` as the last one; the area is shared, not counted again, when it
    /// is the last one's (every cell of a sheet).
    fn set_last(&mut self, piece: &Piece, hits: Vec<Hit>) {
        match &mut self.last {
            Some((area, place, prev)) if Arc::ptr_eq(area, &piece.area) => {
                *place = piece.place.clone();
                *prev = hits;
            }
            _ => self.last = Some((piece.area.clone(), piece.place.clone(), hits)),
        }
    }

    fn area_id(&mut self, area: &Arc<str>) -> u32 {
        if let Some((a, id)) = &self.last_area
            && Arc::ptr_eq(a, area)
        {
            return *id;
        }
        let next = self.areas.len() as u32;
        let id = *self.areas.entry(area.clone()).or_insert(next);
        self.last_area = Some((area.clone(), id));
        id
    }

    fn textual(&mut self, text: &str) -> Textual {
        if let Some((t, found)) = &self.long
            && t == text
        {
            return found.clone();
        }
        let found = text_only(self.det, text);
        self.long = Some((text.to_string(), found.clone()));
        found
    }

    fn shared_textual(&mut self, table: &Arc<SharedStrings>, i: u32) -> Textual {
        let (det, text) = (self.det, table.get(i));
        let known = match &mut self.shared {
            Some((t, known)) if Arc::ptr_eq(t, table) => known,
            other => &mut other.insert((Arc::clone(table), FxHashMap::default())).1,
        };
        if let Some(found) = known.get(&i) {
            found.clone()
        } else if known.len() < SHARED_TEXTS {
            let found = text_only(det, text);
            known.insert(i, found.clone());
            found
        } else if LONG_TEXT.contains(&text.len()) {
            // Full: a long text is still remembered as the last one.
            self.textual(text)
        } else {
            text_only(det, text)
        }
    }

    fn piece(&mut self, b: &Batch, piece: &Piece) {
        let det = self.det;
        // Most cells of most sheets: a number no identifier can be, with no words to be a
        // keyword or header. It is no one's context either: the scan does not even get
        // these (`Sink::every_number`), and every sink must find the same.
        if piece.number && !may_be_identifier(&piece.text) {
            return;
        }
        let textual = match &piece.text {
            PieceText::Shared(table, i) => Some(self.shared_textual(table, *i)),
            text if LONG_TEXT.contains(&text.len()) => Some(self.textual(text)),
            _ => None,
        };
        let (hits, digit, pattern) = match textual {
            Some(t) => (t.hits, t.digit, t.pattern),
            // A number as stored holds no words.
            None if piece.number => (Vec::new(), true, true),
            None => (det.keywords.find(&piece.text), true, true),
        };
        let tags: Vec<Arc<str>> = {
            let mut t: Vec<Arc<str>> = hits
                .iter()
                .flat_map(|h| det.tags[h.list].iter().cloned())
                .collect();
            t.sort();
            t.dedup();
            t
        };
        for t in &tags {
            match self.tags.get_mut(&**t) {
                Some(n) => *n += 1,
                None => {
                    self.tags.insert(t.to_string(), 1);
                }
            }
        }
        // Row label and column header for cells: the keywords of the cells to the left in
        // the row, and of the column's header cell (found once per cell).
        let grid =
            Self::grid(piece).map(|(area, table, row, col)| (self.area_id(area), table, row, col));
        let mut around: Vec<(Hit, &'static str)> = Vec::new();
        if let Some((area, table, row, col)) = &grid {
            // One look-up of the column per cell: its header and its statistics.
            let column = self.columns.entry((*area, *table, *col)).or_default();
            if let Some((hrow, h)) = &column.header
                && hrow < row
            {
                around.extend(h.iter().map(|h| (*h, "header")));
            }
            // A table in a document has its header in its first row. A sheet's column has
            // it in the nearest cell above that holds words rather than a value: title rows
            // come above the header, and a second list may follow the first.
            // A formula sits in its cell beside the value: read in the cell's context, it is
            // neither a header nor a cell of the row or column.
            let formula = piece.kind == Kind::Formula;
            let header = match piece.place {
                _ if formula => false,
                Place::Cell { .. } => header_like(&piece.text),
                _ => *row == *self.first_rows.entry((*area, *table)).or_insert(*row),
            };
            if header {
                column.header = Some((*row, hits.clone()));
            }
            // Column statistics over digit-only cells.
            let digits = trimmed(&piece.text);
            if !formula
                && (10..=11).contains(&digits.len())
                && digits.bytes().all(|c| c.is_ascii_digit())
            {
                let padded = format!("{digits:0>11}");
                let counts = fnr::counts_2032(det.mode_2032, self.today);
                let valid = fnr::digits(&padded)
                    .and_then(|d| fnr::classify(&d, self.today).ok())
                    .is_some_and(|(_, rule)| rule == fnr::Rule::R1964 || counts);
                let account = numbers::digits(digits).is_some_and(|d| numbers::kontonummer(&d));
                column.numbers += 1;
                column.valid += u32::from(valid);
                column.accounts += u32::from(account);
            }
            let key = (*area, *table, *row);
            if let Some(cells) = self.rows.get(&key) {
                around.extend(
                    cells
                        .iter()
                        .filter(|(c, _)| c < col)
                        .flat_map(|(_, h)| h.iter().map(|h| (*h, "row"))),
                );
            }
            if !hits.is_empty() && !formula {
                self.rows.entry(key).or_default().push((*col, hits.clone()));
            }
        }
        // The piece is the last one from here on, unless it continues the last one's place.
        let continues = match &self.last {
            Some((area, place, prev)) if *area == piece.area && *place == piece.place => {
                around.extend(prev.iter().map(|h| (*h, "paragraph")));
                true
            }
            _ => false,
        };
        let column = grid.as_ref().map(|(a, t, _, c)| (*a, *t, *c));
        let mut out: Vec<Found> = Vec::new();
        let mut cx = Candidates {
            det,
            today: self.today,
            batch: b,
            part: &self.part,
            piece,
            hits: &hits,
            around: &around,
            tags: &tags,
            column,
            out: &mut out,
        };
        // Skip what the text alone rules out, when that is known.
        let passport = hits.iter().any(|h| h.list == const { list("passport") });
        if digit {
            cx.digit_candidates();
        }
        if pattern || passport {
            cx.patterns();
        }
        for f in out {
            if f.pends {
                self.pending.push(f);
            } else {
                self.keep(f);
            }
        }
        if !continues {
            self.set_last(piece, hits);
        }
    }
}

/// What a text alone yields, whatever its context (see `Textual`).
fn text_only(det: &Detectors, text: &str) -> Textual {
    Textual {
        hits: det.keywords.find(text),
        digit: text.bytes().any(|b| b.is_ascii_digit()),
        // Everything `patterns` looks for but passports, which need a keyword.
        pattern: {
            let (at, nor) = at_and_nor(text);
            at || nor || (may_be_iban(text) && det.iban.is_match(text))
        },
    }
}

/// Whether `text` could hold a Norwegian IBAN: 13 digits and a `NO` (any case), found in
/// one pass over the bytes instead of a regular expression over every text.
fn may_be_iban(text: &str) -> bool {
    let b = text.as_bytes();
    // A count the compiler vectorises; most texts are short of 13 digits.
    b.len() >= 15
        && b.iter().filter(|c| c.is_ascii_digit()).count() >= 13
        && b.windows(2)
            .any(|w| w[0].eq_ignore_ascii_case(&b'n') && w[1].eq_ignore_ascii_case(&b'o'))
}

/// Whether `text` holds `@` (an e-mail address) and `NOR` (a passport's machine-readable
/// zone), in one pass: most text has neither, and a regex search costs even over a text
/// it cannot match.
fn at_and_nor(text: &str) -> (bool, bool) {
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

/// Whether a sheet cell reads as a column header: words (a letter), and no digit group of
/// six or more that could be a value (`Fnr`, `Elevliste 2025`, not `15108695088` or
/// `Kari, 151086 95088`).
fn header_like(text: &str) -> bool {
    // A header is a few words; a long text is content.
    if text.len() > 256 {
        return false;
    }
    let mut run = 0;
    let mut letter = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            run += 1;
            if run >= 6 {
                return false;
            }
        } else {
            run = 0;
            letter = letter || c.is_alphabetic();
        }
    }
    letter
}

/// Finds and scores the candidates of one piece.
struct Candidates<'a, 'd> {
    det: &'d Detectors,
    today: Date,
    batch: &'a Batch<'a>,
    /// The batch's part name, shared by the locations found in it.
    part: &'a Arc<str>,
    piece: &'a Piece,
    hits: &'a [Hit],
    around: &'a [(Hit, &'static str)],
    tags: &'a [Arc<str>],
    column: Option<ColumnKey>,
    out: &'a mut Vec<Found>,
}

impl<'a> Candidates<'a, '_> {
    /// Keyword context for text at `start..end`: hits in the same piece within the proximity,
    /// plus the row label and column header.
    fn context(&self, start: usize, end: usize) -> Context<'a> {
        // Distance in bytes (a character of Norwegian text is one or two): hits are sorted by
        // start, so only the window around the candidate is looked at.
        let reach = self.det.settings.proximity;
        let from = self.hits.partition_point(|h| h.start + reach * 2 < start);
        let near = self.hits[from..]
            .iter()
            .take_while(|h| h.start <= end + reach)
            .filter(|h| {
                let d = start.saturating_sub(h.end).max(h.start.saturating_sub(end));
                d <= reach
            })
            .copied()
            .collect();
        Context {
            near,
            around: self.around,
        }
    }

    fn reason(&self, list_hit: &(bool, String), prefix: &str) -> String {
        let (entry, at) = list_hit.1.split_once('@').unwrap_or((&list_hit.1, ""));
        let word = entry
            .parse::<usize>()
            .map(|e| self.det.keywords.word(e).to_string())
            .unwrap_or_default();
        format!("{prefix}:{word}@{at}")
    }

    /// Records a detection, with the flags of the text it sits in and the piece's tags.
    fn push(&mut self, f: Finding) {
        let Finding {
            detector,
            start,
            end,
            key,
            masked,
            confidence,
            mut reasons,
            family,
        } = f;
        let flags = self.piece.flags_at(start, end);
        let location = self
            .piece
            .location_in(self.part.clone(), self.batch.flags, flags);
        for f in location.flags.names() {
            reasons.push(f.to_string());
        }
        for t in self.tags {
            reasons.push(format!("tag:{t}"));
        }
        self.out.push(Found {
            detector,
            detection: Detection {
                detector,
                masked,
                confidence: confidence.clamp(0, 100) as u8,
                location,
                reasons,
                count: 1,
                also_at: Vec::new(),
                hash: String::new(),
            },
            key,
            column: self.column,
            family: family.filter(|_| self.column.is_some()),
            pends: family.is_some(),
        });
    }

    fn digit_candidates(&mut self) {
        let piece: &Piece = self.piece;
        let text = piece.text.as_str();
        let det = self.det;
        for seq in tokens::sequences(text) {
            for c in tokens::candidates(text, &seq) {
                self.digits(text, &c, det);
            }
        }
        // A numeric cell's 10 digits may be a fødselsnummer that lost its leading zero.
        let digits = trimmed(&self.piece.text);
        if self.piece.number && digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
            self.padded(digits);
        }
    }

    fn digits(&mut self, text: &str, c: &tokens::Candidate, det: &Detectors) {
        let cx = self.context(c.start, c.end);
        let account = cx.has(const { list("account") });
        let d = numbers::digits(&c.digits).unwrap_or_default();
        // A country code before the number belongs to it.
        let mut from = c.start.saturating_sub(8);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let prefixed = det.country_code.is_match(&text[from..c.start]);
        let partial = if c.whole || prefixed { 0 } else { -20 };
        let mut base_reasons = Vec::new();
        if !c.whole && !prefixed {
            base_reasons.push("partial-sequence".to_string());
        }
        if let Some(national) = tokens::glued_phone(text, c) {
            let partial = if c.whole { 0 } else { -20 };
            self.phone(text, c, national, true, partial, &cx);
            return;
        }

        if tokens::account_layout(c.lengths()) {
            if numbers::kontonummer(&d) {
                self.account(c, &d, account.is_some(), partial, base_reasons);
            }
            return;
        }
        if tokens::fnr_layout(c.lengths())
            && let Some((kind, rule)) = det.classify(&c.digits, self.today)
        {
            let v = FamilyValue {
                start: c.start,
                end: c.end,
                digits: &c.digits,
                kind,
                rule,
                padded: false,
            };
            let conf = self.family(v, &cx, partial, base_reasons.clone());
            // Every valid fødselsnummer is a valid account number too (spec/pii.md §6.2):
            // with an account keyword in scope, or as an fnr too weak to report, it is read
            // as an account as well.
            if c.lengths() == [11]
                && (account.is_some() || conf < i32::from(det.settings.threshold))
                && numbers::kontonummer(&d)
            {
                self.account(c, &d, account.is_some(), partial, base_reasons);
            }
            return;
        }
        if c.lengths() == [11] && numbers::kontonummer(&d) {
            self.account(c, &d, account.is_some(), partial, base_reasons);
            return;
        }
        if tokens::orgnr_layout(c.lengths()) && numbers::orgnr(&d) {
            let def = det.detector(DetectorId::Organisasjonsnummer);
            let masked = format!("*****{}", &c.digits[5..]);
            self.push(Finding {
                detector: DetectorId::Organisasjonsnummer,
                start: c.start,
                end: c.end,
                key: c.digits.to_string(),
                masked,
                confidence: i32::from(def.base) + partial,
                reasons: base_reasons.clone(),
                family: None,
            });
            return;
        }
        if tokens::duf_layout(c.lengths())
            && let Some(duf) = cx.has(const { list("duf") })
            && numbers::duf_year(&c.digits)
        {
            let def = det.detector(DetectorId::DufNummer);
            let mut conf = i32::from(def.base) + partial;
            let mut reasons = base_reasons.clone();
            reasons.push(self.reason(&duf, "keyword"));
            if numbers::duf_checksum(&d) {
                conf += i32::from(def.checksum_boost.unwrap_or(0));
                reasons.push("checksum".into());
            }
            let masked = format!("{}********", &c.digits[..4]);
            self.push(Finding {
                detector: DetectorId::DufNummer,
                start: c.start,
                end: c.end,
                key: c.digits.to_string(),
                masked,
                confidence: conf,
                reasons,
                family: None,
            });
            return;
        }
        if tokens::phone_layout(c.lengths()) {
            self.phone(text, c, &c.digits, prefixed, partial, &cx);
        }
    }

    /// Scores a telephone number: `national` is its eight digits, `c` the text it is in.
    fn phone(
        &mut self,
        text: &str,
        c: &tokens::Candidate,
        national: &str,
        prefixed: bool,
        partial: i32,
        cx: &Context<'_>,
    ) {
        let det = self.det;
        let def = det.detector(DetectorId::Telefonnummer);
        let keyword = cx.has(const { list("phone") });
        let d = numbers::digits(national).unwrap_or_default();
        let (conf, mut reasons) = match numbers::phone(&d) {
            Phone::Mobile if prefixed || keyword.is_some() => (
                i32::from(def.base_with_keyword.unwrap_or(def.base)),
                vec!["mobile".to_string()],
            ),
            Phone::Mobile => (i32::from(def.base), vec!["mobile".to_string()]),
            Phone::Fixed => (
                i32::from(def.base_fixed.unwrap_or(def.base)),
                vec!["fixed-line".to_string()],
            ),
            Phone::Other => return,
        };
        // Amounts: a currency word in the ten characters after or before the number.
        let after = &text[c.end..];
        let after = after
            .char_indices()
            .nth(10)
            .map_or(after, |(i, _)| &after[..i]);
        let before = &text[..c.start];
        let before = before
            .char_indices()
            .rev()
            .nth(9)
            .map_or(before, |(i, _)| &before[i..]);
        let currency = const { list("currency") };
        if [after, before]
            .into_iter()
            .any(|t| det.keywords.find(t).iter().any(|h| h.list == currency))
        {
            return;
        }
        if prefixed {
            reasons.push("country-code".into());
        }
        if let Some(k) = &keyword {
            reasons.push(self.reason(k, "keyword"));
        }
        let masked = format!("******{}", &national[6..]);
        self.push(Finding {
            detector: DetectorId::Telefonnummer,
            start: c.start,
            end: c.end,
            key: national.to_string(),
            masked,
            confidence: conf + partial,
            reasons,
            family: None,
        });
    }

    fn account(
        &mut self,
        c: &tokens::Candidate,
        d: &[u8],
        keyword: bool,
        partial: i32,
        mut reasons: Vec<String>,
    ) {
        let def = self.det.detector(DetectorId::Kontonummer);
        let base = if keyword {
            def.base_with_keyword.unwrap_or(def.base)
        } else {
            def.base
        };
        reasons.push("checksum".into());
        if tokens::account_layout(c.lengths()) {
            reasons.push("layout:4-2-5".into());
        }
        let _ = d;
        let masked = format!("*******{}", &c.digits[7..]);
        self.push(Finding {
            detector: DetectorId::Kontonummer,
            start: c.start,
            end: c.end,
            key: c.digits.to_string(),
            masked,
            confidence: i32::from(base) + partial,
            reasons,
            family: None,
        });
    }

    /// Scores a valid number of the fødselsnummer family; its confidence.
    fn family(
        &mut self,
        v: FamilyValue,
        cx: &Context<'_>,
        partial: i32,
        mut reasons: Vec<String>,
    ) -> i32 {
        let det = self.det;
        let FamilyValue {
            start,
            end,
            digits,
            kind,
            rule,
            padded,
        } = v;
        let id = kind.detector();
        let def = det.detector(id);
        let counts = rule == fnr::Rule::R1964 || fnr::counts_2032(det.mode_2032, self.today);
        // Only real-looking numbers (F, D, H under the rule in force) are raised by context
        // beyond their kind: FH and synthetic numbers keep their own scores.
        let boost = !kind.fh && !kind.synthetic && counts;
        reasons.insert(0, "checksum".into());
        if !kind.fh {
            reasons.push("date".into());
        }
        let identifier = cx.has(const { list("identifier") });
        let mut conf = i32::from(def.base);
        if padded {
            // Ten digits read with a leading zero are a guess (spec/pii.md §6.3): a low base,
            // 85 with evidence that the column holds identifiers.
            reasons.push("leading-zero-restored".into());
            conf = conf.min(LEADING_ZERO_BASE);
            if let Some(k) = &identifier {
                if boost {
                    conf = 85;
                }
                reasons.push(self.reason(k, "keyword"));
            }
            if self
                .piece
                .shown
                .as_deref()
                .is_some_and(|s| s.chars().filter(char::is_ascii_digit).count() == 11)
            {
                if boost {
                    conf = 85;
                }
                reasons.push("number-format".into());
            }
        } else if kind.fh {
            if let Some(k) = cx.has(const { list("fh") }) {
                conf = i32::from(def.base_with_keyword.unwrap_or(def.base));
                reasons.push(self.reason(&k, "keyword"));
            }
        } else if let Some(k) = &identifier {
            let boost = i32::from(def.keyword_boost);
            conf += if k.0 { boost / 2 } else { boost };
            conf = conf.min(95);
            reasons.push(self.reason(k, "keyword"));
        }
        if identifier.is_none()
            && let Some(n) = cx.has(const { list("negative") })
        {
            conf -= 30;
            reasons.push(self.reason(&n, "negative"));
        }
        let mut cap = 100;
        if (kind.h || kind.synthetic)
            && let Some(t) = cx.has(const { list("test") })
        {
            cap = 20;
            reasons.push(self.reason(&t, "test-data"));
        }
        if rule == fnr::Rule::R2032Only {
            reasons.push("rule-2032".into());
            if !counts {
                cap = cap.min(25);
            }
        }
        let conf = conf.min(i32::from(cap)) + partial;
        let masked = format!("{}*****", &digits[..6]);
        self.push(Finding {
            detector: id,
            start,
            end,
            key: digits.to_string(),
            masked,
            confidence: conf,
            reasons,
            family: Some(Columnwise { boost, cap }),
        });
        conf
    }

    /// A 10-digit numeric cell read as a fødselsnummer whose leading zero Excel dropped:
    /// only with evidence (a keyword header, a padding number format, column statistics).
    fn padded(&mut self, digits: &str) {
        let det = self.det;
        let padded = format!("0{digits}");
        let Some((kind, rule)) = det.classify(&padded, self.today) else {
            return;
        };
        let len = self.piece.text.len();
        let cx = self.context(0, len);
        let v = FamilyValue {
            start: 0,
            end: len,
            digits: &padded,
            kind,
            rule,
            padded: true,
        };
        self.family(v, &cx, 0, Vec::new());
    }

    /// E-mail addresses, Norwegian IBANs and passport numbers.
    fn patterns(&mut self) {
        let det = self.det;
        let piece: &Piece = self.piece;
        let text = piece.text.as_str();
        // Cheap tests first: most text has no `@`, no 13 digits after a `NO` and no
        // passport keyword (a regex search costs even over an empty text).
        let (at, nor) = at_and_nor(text);
        if may_be_iban(text) {
            for m in det.iban.find_iter(text) {
                if numbers::iban_no(m.as_str()) {
                    let norm: String = m
                        .as_str()
                        .chars()
                        .filter(|c| !c.is_whitespace() && *c != '-')
                        .collect::<String>()
                        .to_ascii_uppercase();
                    let def = det.detector(DetectorId::Iban);
                    let masked = format!("NO***********{}", &norm[norm.len() - 4..]);
                    self.push(Finding {
                        detector: DetectorId::Iban,
                        start: m.start(),
                        end: m.end(),
                        key: norm,
                        masked,
                        confidence: i32::from(def.base),
                        reasons: vec!["checksum".into()],
                        family: None,
                    });
                }
            }
        }
        if at {
            for m in det.email.find_iter(text) {
                let addr = m.as_str().trim_end_matches('.');
                let (local, domain) = addr.split_once('@').unwrap_or((addr, ""));
                let def = det.detector(DetectorId::Epost);
                if def
                    .ignore_local
                    .iter()
                    .any(|l| l.eq_ignore_ascii_case(local))
                {
                    continue;
                }
                let first: String = local.chars().take(1).collect();
                let masked = format!("{first}***@{domain}");
                self.push(Finding {
                    detector: DetectorId::Epost,
                    start: m.start(),
                    end: m.end(),
                    key: addr.to_lowercase(),
                    masked,
                    confidence: i32::from(def.base),
                    reasons: vec!["pattern".into()],
                    family: None,
                });
            }
        }
        let passport = const { list("passport") };
        let keyword = self.hits.iter().any(|h| h.list == passport);
        if keyword {
            for m in det.passport.find_iter(text) {
                let cx = self.context(m.start(), m.end());
                let near = cx.near.iter().any(|h| {
                    h.list == passport
                        && (h.end.abs_diff(m.start()) <= 50 || m.end().abs_diff(h.start) <= 50)
                });
                if near {
                    let def = det.detector(DetectorId::Passnummer);
                    let masked = format!("{}*******", &m.as_str()[..2]);
                    self.push(Finding {
                        detector: DetectorId::Passnummer,
                        start: m.start(),
                        end: m.end(),
                        key: m.as_str().to_string(),
                        masked,
                        confidence: i32::from(def.base),
                        reasons: vec!["keyword:pass".into()],
                        family: None,
                    });
                }
            }
        }
        if nor {
            for m in det.mrz.find_iter(text) {
                let masked = "P<NOR*****".to_string();
                self.push(Finding {
                    detector: DetectorId::Passnummer,
                    start: m.start(),
                    end: m.end(),
                    key: m.as_str().to_string(),
                    masked,
                    confidence: 85,
                    reasons: vec!["machine-readable-zone".into()],
                    family: None,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_no_identifier_can_be_are_no_context() {
        // A pivot cache field's name and its items share one place, so each item is read in
        // the name's context: a short number among them changes nothing, whether the sink
        // gets it or it is passed over (as the scan's is).
        struct Scan<'d> {
            doc: DocumentScan<'d>,
            every: bool,
        }
        impl crate::read::text::Sink for Scan<'_> {
            fn batch(&mut self, b: &Batch<'_>) {
                self.doc.batch(b)
            }
            fn every_number(&self) -> bool {
                self.every
            }
        }
        let det = Detectors::built_in();
        let xml = "<pivotCacheDefinition><cacheFields count=\"1\"><cacheField name=\"Personnummer\"><sharedItems><n v=\"12\"/><n v=\"15108695088\"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>";
        let area: Arc<str> = "pivotbuffer 1".into();
        let found = |every| {
            let mut sink = Scan {
                doc: det.document(),
                every,
            };
            let mut out = crate::read::text::Emitter::new("p", Flags::NONE, &mut sink);
            crate::read::ooxml::spreadsheetml::pivot_cache(xml, &area, &mut out).unwrap();
            drop(out);
            format!("{:?}", sink.doc.finish().detections)
        };
        let all = found(true);
        assert!(all.contains("keyword:personnummer@paragraph"), "{all}");
        assert_eq!(all, found(false));
    }

    #[test]
    fn every_detector_passes_its_examples() {
        let failures = Detectors::built_in().check_examples();
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn shared_texts_read_as_their_own_copies() {
        let det = Detectors::built_in().with_today(Date::parse("2026-01-01").unwrap());
        let sheet: Arc<str> = "Ark1".into();
        let texts = [
            "Fnr",
            "15108695088",
            "kari@example.no, 15108695088",
            "P<NORHANSEN<<OLA<<<<<<<<<<<<<<",
        ];
        let shared = crate::read::text::testing::shared_strings(&texts);
        let outcome = |share: bool| {
            let mut pieces = Vec::new();
            for row in 1..=4 {
                for (col, text) in texts.iter().enumerate() {
                    let text: PieceText = if share {
                        shared.piece_text(col).unwrap()
                    } else {
                        (*text).into()
                    };
                    let place = Place::Cell {
                        row,
                        col: col as u32 + 1,
                    };
                    pieces.push(Piece::new(text, Kind::Cell, &sheet, place));
                }
            }
            let mut doc = det.document();
            doc.batch(&Batch {
                part: "xl/worksheets/sheet1.xml",
                flags: Flags::NONE,
                pieces: &pieces,
                passed_over: None,
            });
            format!("{:?}", doc.finish())
        };
        let own = outcome(false);
        assert!(
            own.contains("Fodselsnummer") && own.contains("Epost"),
            "{own}"
        );
        assert!(own.contains("Passnummer"), "{own}");
        assert_eq!(outcome(true), own);
    }

    #[test]
    fn finds_below_the_threshold_count_as_if_kept_whole() {
        // One number found at 40 (beside an account keyword), 70 (alone) and 90 (with a
        // fødselsnummer keyword), in that order and back, and a number only ever weak.
        let texts = [
            "Kontonummer 15108695088",
            "15108695088",
            "Kontonummer 15108695088",
            "Fnr: 15108695088",
            "15108695088",
            "Kontonummer 15108695088",
            "05073500186",
        ];
        let area: Arc<str> = "".into();
        let pieces: Vec<Piece> = (1..)
            .zip(texts)
            .map(|(n, t)| Piece::new(t, Kind::Body, &area, Place::Paragraph(n)))
            .collect();
        let outcome = |threshold: u8| {
            let mut det = Detectors::built_in();
            det.settings.threshold = threshold;
            let mut doc = det.document();
            doc.batch(&Batch {
                part: "word/document.xml",
                flags: Flags::NONE,
                pieces: &pieces,
                passed_over: None,
            });
            doc.finish().detections
        };
        let all = outcome(0);
        let strong = outcome(80);
        assert!(all.len() > strong.len(), "{all:?}");
        let kept_whole: Vec<String> = all
            .iter()
            .filter(|d| d.confidence >= 80)
            .map(|d| format!("{d:?}"))
            .collect();
        let weak_kept_small: Vec<String> = strong.iter().map(|d| format!("{d:?}")).collect();
        assert_eq!(weak_kept_small, kept_whole);
        let fnr = &strong[0];
        assert_eq!((fnr.confidence, fnr.count, fnr.also_at.len()), (90, 6, 5));
        assert_eq!(fnr.location.place, "avsnitt 4");
    }

    #[test]
    fn long_texts_keep_every_pattern() {
        let det = Detectors::built_in();
        let filler = "Lorem ipsum dolor sit amet. ".repeat(200);
        let mrz = "P<NORHANSEN<<OLA<<<<<<<<<<<<<<<<<<<<<<<<<<<<";
        for text in [format!("{mrz} {filler}"), format!("{filler} {mrz}")] {
            assert!(text.len() >= *LONG_TEXT.start());
            let found = det.paragraph(&text);
            assert!(
                found
                    .detections
                    .iter()
                    .any(|d| d.detector == DetectorId::Passnummer),
                "machine-readable zone in a long text"
            );
        }
    }

    #[test]
    fn masks_every_possible_identifier() {
        let d = Detectors::built_in();
        assert_eq!(
            d.mask("fnr 151086 95088, konto 8601.11.17947, tlf 412 34 567, kari.n@ex.no"),
            "fnr 151086 *****, konto ****.**.*7947, tlf *** ** *67, k***.*@ex.no"
        );
        assert_eq!(d.mask("IBAN NO93 8601 1117 947"), "IBAN **** **** ***7 947");
        assert_eq!(d.mask("år 2026, sum 1 234"), "år 2026, sum 1 234");
        assert_eq!(
            d.mask("kari.ødegård@bø.kommune.no"),
            "k***.*******@bø.kommune.no"
        );
        assert_eq!(d.mask("DUF 2012 586975 61"), "DUF **** ****75 61");
        assert_eq!(d.mask("pass AB1234567.docx"), "pass AB*******.docx");
        assert_eq!(d.mask("151086\u{2011}95088"), "151086\u{2011}*****");
        assert_eq!(
            d.mask("tlf +4741234567, 004741234567"),
            "tlf +********67, **********67"
        );
        assert_eq!(d.mask("NO93-8601-1117-947"), "****-****-***7-947");
        assert_eq!(d.mask("KontoNO9386011117947"), "Konto***********7947");
        assert_eq!(d.mask("151086\u{2009}95088"), "151086\u{2009}*****");
    }

    #[test]
    fn built_in_detectors_load() {
        let d = Detectors::built_in();
        assert_eq!(d.detectors.len(), DetectorId::ALL.len());
        assert_eq!(d.settings.threshold, 50);
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
}
