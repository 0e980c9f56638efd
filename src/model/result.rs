//! What a scan found: per file ([`FileResult`]), in total ([`Summary`]), and the whole
//! JSON document ([`ScanReport`], schema `o365lint/scan/v1`).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::document::{Checked, ContainerKind, ErrorKind, Format, Protection, SkipKind, Unchecked};
use super::label::{Class, EffectiveLabel, LabelReport, LabelStatus};
use super::location::Location;
use super::masked::Masked;

/// The JSON schema id; fields are added, never renamed.
pub const SCHEMA: &str = "o365lint/scan/v1";

/// How much a finding matters; `Off` rules are not judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The language of texts for users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Norwegian (bokmål).
    #[default]
    Nb,
    En,
}

/// The detectors of personal data (DESIGN.md, Ids), in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DetectorId {
    Fodselsnummer,
    DNummer,
    HNummer,
    FhNummer,
    SyntetiskId,
    Kontonummer,
    Iban,
    Organisasjonsnummer,
    DufNummer,
    Telefonnummer,
    Epost,
    Passnummer,
}

impl DetectorId {
    pub const ALL: [DetectorId; 12] = [
        DetectorId::Fodselsnummer,
        DetectorId::DNummer,
        DetectorId::HNummer,
        DetectorId::FhNummer,
        DetectorId::SyntetiskId,
        DetectorId::Kontonummer,
        DetectorId::Iban,
        DetectorId::Organisasjonsnummer,
        DetectorId::DufNummer,
        DetectorId::Telefonnummer,
        DetectorId::Epost,
        DetectorId::Passnummer,
    ];

    pub fn id(self) -> &'static str {
        match self {
            DetectorId::Fodselsnummer => "fodselsnummer",
            DetectorId::DNummer => "d-nummer",
            DetectorId::HNummer => "h-nummer",
            DetectorId::FhNummer => "fh-nummer",
            DetectorId::SyntetiskId => "syntetisk-id",
            DetectorId::Kontonummer => "kontonummer",
            DetectorId::Iban => "iban",
            DetectorId::Organisasjonsnummer => "organisasjonsnummer",
            DetectorId::DufNummer => "duf-nummer",
            DetectorId::Telefonnummer => "telefonnummer",
            DetectorId::Epost => "epost",
            DetectorId::Passnummer => "passnummer",
        }
    }

    pub fn parse(id: &str) -> Option<DetectorId> {
        DetectorId::ALL.into_iter().find(|d| d.id() == id)
    }
}

impl PartialEq<&str> for DetectorId {
    fn eq(&self, id: &&str) -> bool {
        self.id() == *id
    }
}

impl fmt::Display for DetectorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A possible piece of personal data. `L` is where it was found: a [`Location`] as it may be
/// shown, or, while detection runs, where the reader put it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound(deserialize = "L: Deserialize<'de>"))]
pub struct Detection<L = Location> {
    pub detector: DetectorId,
    /// The value as it may be shown (`151086*****`).
    pub masked: Masked,
    pub confidence: u8,
    /// Where the value was found first with its best confidence.
    pub location: L,
    pub reasons: Vec<String>,
    /// How many times the same value occurs in the document (detections are de-duplicated).
    pub count: u32,
    /// Where else the value occurs (at most 20 places).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<L>,
    /// A keyed hash of the value: the same value has the same hash in every document of
    /// a scan (and across scans with the same key), and the value cannot be read from it.
    /// Only with a secret key (`O365LINT_HASH_KEY`); absent otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hash: String,
}

/// A rule that raised the class a file's content requires: `PII-01:beskyttet` in JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequiredBy {
    pub rule: String,
    pub class: Class,
}

impl Serialize for RequiredBy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{}:{}", self.rule, self.class.id()))
    }
}

impl<'de> Deserialize<'de> for RequiredBy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RequiredBy, D::Error> {
        let text = String::deserialize(d)?;
        text.rsplit_once(':')
            .and_then(|(rule, class)| {
                let class = Class::ALL.into_iter().find(|c| c.id() == class)?;
                Some(RequiredBy {
                    rule: rule.to_string(),
                    class,
                })
            })
            .ok_or_else(|| serde::de::Error::custom(format!("not RULE:class: {text:?}")))
    }
}

/// One rule's demand on the class of a file, and what in the content made it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Requirement {
    pub rule: String,
    pub class: Class,
    /// Distinct values the rule's detection condition counted (0 when it has none).
    pub count: usize,
    /// Their detectors, in order of first mention.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detectors: Vec<DetectorId>,
    /// The sensitive domains the rule's tag condition found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Where the first counted value is.
    pub location: Option<Location>,
}

/// A breach of a handling rule.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: Masked,
    /// Where the rule's condition held, if the rule is about content: the place that
    /// triggered it (the hidden cell for HID-01, the comment for HID-02, the property or
    /// file name for META-03).
    pub location: Option<Location>,
    /// The other places where the same condition held (at most 20).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<Location>,
    /// Stable across scans (no line numbers, no times) and the folder a scan starts from:
    /// what suppressions and baselines name. A keyed hash of the rule, the file's
    /// fingerprint (its path from the scan root), the location and, with a secret key, the
    /// value found there.
    pub fingerprint: String,
    /// Why the finding is accepted (a suppression's reason, or `baseline`); accepted
    /// findings do not change the exit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Masked>,
}

/// A document embedded in the file, with its own labels.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EmbeddedResult {
    /// The embedding part, prefixed by the documents it sits in (`a.docx!/b.xlsx`).
    pub path: Masked,
    pub format: Option<Format>,
    pub encryption: Option<Protection>,
    pub labels: Vec<LabelReport>,
    pub label: Option<EffectiveLabel>,
    pub label_status: Option<LabelStatus>,
    pub error: Option<Masked>,
}

/// Everything known about one file. A field a saved scan lacks (written before the field
/// was added) reads as empty.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FileResult {
    /// The path as given (below the folder given, or as named), masked as a name.
    pub path: Masked,
    /// The path fingerprints and baselines use: from the scan root (the configured `root`,
    /// else the configuration's folder), else the canonical absolute path; a document given
    /// as bytes, its name. Masked as a name; ` (#n)` after it, as after `path`, for the n-th
    /// file of a scan whose path looks like an earlier one's once masked.
    #[serde(skip_serializing_if = "no_text")]
    pub root_path: Masked,
    /// The file's own fingerprint, a keyed hash of `root_path` (with a secret key, of the
    /// path as it is): what its findings' fingerprints and a baseline's label classes are
    /// keyed on. Empty in reports written before it was added.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fingerprint: String,
    pub format: Option<Format>,
    pub container: Option<ContainerKind>,
    /// `none`, `password` or `irm`; null when the file could not be read.
    pub encryption: Option<Protection>,
    pub labels: Vec<LabelReport>,
    pub label: Option<EffectiveLabel>,
    pub label_status: Option<LabelStatus>,
    pub required_class: Option<Class>,
    /// The rules that set the required class, as `rule:class`.
    pub required_by: Vec<RequiredBy>,
    /// Why: per rule, the class, and the detections and sensitive domains it counted.
    pub required_reasons: Vec<Requirement>,
    pub detections: Vec<Detection>,
    /// Sensitive domains the text touches (`helse`, `barnevern`, …) and how many pieces of
    /// text did: context for the rules, never a finding alone.
    pub tags: BTreeMap<String, u32>,
    pub findings: Vec<Finding>,
    /// Documents embedded in this one, at any depth.
    pub embedded: Vec<EmbeddedResult>,
    /// The business (virksomhet, bydel, etat) the configuration maps the file's path to.
    pub business: Option<Masked>,
    /// Where the file would go (`--destination` joined with its path below the folder
    /// given), masked as a path; none without a destination.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<Masked>,
    /// The answer of `o365lint check`: may it go there?
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<super::Check>,
    pub notes: Vec<Masked>,
    /// Bytes on disk, when the file could be opened.
    pub size: Option<u64>,
    /// When the file was last modified, from the file system (RFC 3339, UTC); none for a
    /// document given as bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Who last saved the document, as it says (`cp:lastModifiedBy`), masked as label
    /// metadata is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_author: Option<Masked>,
    /// Why the file was passed over (an Office lock file, a symbolic link), or null.
    pub skipped: Option<String>,
    /// What kind of file was passed over, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped_kind: Option<SkipKind>,
    pub error: Option<Masked>,
    pub error_kind: Option<ErrorKind>,
    /// How much of the content the check read: `full`, `partly` or `none`; null when the
    /// file was not read (an error before the labels, or skipped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<Checked>,
    /// Why the content was not (fully) checked, when it was not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_checked: Vec<Unchecked>,
}

impl FileResult {
    pub fn new(path: Masked) -> Self {
        FileResult {
            path,
            root_path: Masked::default(),
            fingerprint: String::new(),
            format: None,
            container: None,
            encryption: None,
            labels: Vec::new(),
            label: None,
            label_status: None,
            required_class: None,
            required_by: Vec::new(),
            required_reasons: Vec::new(),
            detections: Vec::new(),
            tags: BTreeMap::new(),
            findings: Vec::new(),
            embedded: Vec::new(),
            business: None,
            destination: None,
            check: None,
            notes: Vec::new(),
            size: None,
            modified: None,
            last_author: None,
            skipped: None,
            skipped_kind: None,
            error: None,
            error_kind: None,
            content: None,
            not_checked: Vec::new(),
        }
    }

    /// How much of the content was checked, also for a report written before `content`
    /// was: a result with a format and an error was read in part.
    pub fn checked(&self) -> Option<Checked> {
        if self.skipped.is_some() || self.format.is_none() {
            return None;
        }
        Some(self.content.unwrap_or(if self.error.is_some() {
            Checked::Partly
        } else {
            Checked::Full
        }))
    }

    /// A file that could not be read at all.
    pub fn failed(path: Masked, error: Masked, kind: ErrorKind) -> Self {
        FileResult {
            error: Some(error),
            error_kind: Some(kind),
            ..FileResult::new(path)
        }
    }
}

fn no_text(m: &Masked) -> bool {
    m.is_empty()
}

/// Counts over all files. Every file is counted once in one of `checked`, `not_checked`,
/// `unreadable` and `skipped`: their sum is `files`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Summary {
    pub files: usize,
    /// Files read whose content was fully checked.
    pub checked: usize,
    /// Files read (labels, format) whose content was not, or only partly, checked.
    pub not_checked: usize,
    /// Of `not_checked`, those checked in part.
    pub partly_checked: usize,
    /// `not_checked` files by reason (a file with two reasons counts under each).
    pub not_checked_by_reason: BTreeMap<String, usize>,
    /// Files that could not be read at all (see `errors_by_kind`).
    pub unreadable: usize,
    /// Skipped files by kind (`lock-file`, `symbolic-link`).
    pub skipped_by_kind: BTreeMap<String, usize>,
    /// What the walk met besides the files it counted.
    pub walk: WalkNotes,
    /// Files that gave a result (labels, format), including partial ones.
    pub scanned: usize,
    /// Scanned files whose result is partial: damage was found after the labels were read.
    pub partial: usize,
    pub skipped: usize,
    /// Files with an error: not read at all, or only partially.
    pub errors: usize,
    pub by_format: BTreeMap<String, usize>,
    /// Labelled files by class id, `unknown` for labels the catalogue cannot place.
    pub by_class: BTreeMap<String, usize>,
    pub by_label_status: BTreeMap<String, usize>,
    pub by_encryption: BTreeMap<String, usize>,
    /// Files that could not be read at all, by the kind of error.
    pub errors_by_kind: BTreeMap<String, usize>,
    /// Files read only partly (damage or a limit after the labels), by the kind of error.
    pub partial_by_kind: BTreeMap<String, usize>,
    /// Bytes on disk of the files scanned.
    pub bytes: u64,
    /// Wall time of the whole scan, in milliseconds (0 until the scan ends).
    pub duration_ms: u64,
    /// Files with at least one detection of possible personal data.
    pub files_with_personal_data: usize,
    /// Detections (distinct values per file) by detector id.
    pub by_detector: BTreeMap<String, usize>,
    /// Findings by severity (accepted ones not counted).
    pub findings_by_severity: BTreeMap<String, usize>,
    /// Findings a suppression or the baseline accepts.
    pub findings_suppressed: usize,
    /// Files by business (from the configuration's mapping), when any is mapped.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_business: BTreeMap<String, usize>,
    /// Configuration files (`o365lint.toml`) met inside the scanned folders, which are never
    /// obeyed (a configuration is read only from where the user put it), when there are any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configs_not_obeyed: Vec<Masked>,
    /// Findings per rule (see `tally`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_rule: BTreeMap<String, super::RuleCount>,
    /// The files with the most severe findings, worst first (at most ten).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub worst_files: Vec<super::WorstFile>,
}

/// What a scan's walk met besides the files it handed on, counted and noted (the notes
/// masked, at most [`WalkNotes::MAX_NOTES`] of them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WalkNotes {
    /// Symbolic links to folders not followed (without `--follow`), and link loops. Links
    /// to files are skipped files (`skipped_by_kind`).
    pub links_not_followed: usize,
    /// Folders that could not be read: their files were not scanned.
    pub unreadable_folders: usize,
    /// Paths given twice, or files and folders reached through two given paths: scanned
    /// once.
    pub duplicates: usize,
    /// Files whose path is not valid UTF-8: shown with U+FFFD for the bytes that are not.
    pub names_not_utf8: usize,
    /// Files and folders `include` and `exclude` set aside.
    pub filtered_out: usize,
    /// What each of them was, in walk order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Masked>,
}

impl WalkNotes {
    /// Notes kept, at most: the counts go on.
    pub const MAX_NOTES: usize = 100;

    /// Adds a note, unless there are already as many as are kept.
    pub fn note(&mut self, note: Masked) {
        if self.notes.len() < WalkNotes::MAX_NOTES {
            self.notes.push(note);
        }
    }
}

fn count(map: &mut BTreeMap<String, usize>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

impl Summary {
    pub fn of<'a>(files: impl IntoIterator<Item = &'a FileResult>) -> Summary {
        let mut s = Summary::default();
        for f in files {
            s.add(f);
        }
        s
    }

    /// Counts one more file.
    pub fn add(&mut self, f: &FileResult) {
        let s = self;
        s.files += 1;
        if f.skipped.is_some() {
            s.skipped += 1;
            let kind = f.skipped_kind.unwrap_or(SkipKind::LockFile);
            count(&mut s.skipped_by_kind, kind.id());
            return;
        }
        if let Some(kind) = f.error_kind {
            s.errors += 1;
            if f.format.is_none() {
                s.unreadable += 1;
                count(&mut s.errors_by_kind, kind.id());
                return;
            }
            s.partial += 1;
            count(&mut s.partial_by_kind, kind.id());
        }
        s.scanned += 1;
        match f.checked() {
            Some(Checked::Full) | None => s.checked += 1,
            Some(c) => {
                s.not_checked += 1;
                if c == Checked::Partly {
                    s.partly_checked += 1;
                }
                for r in &f.not_checked {
                    count(&mut s.not_checked_by_reason, r.id());
                }
            }
        }
        s.bytes += f.size.unwrap_or(0);
        if let Some(fmt) = f.format {
            count(&mut s.by_format, fmt.name());
        }
        if let Some(l) = &f.label {
            count(&mut s.by_class, l.class.map_or("unknown", Class::id));
        }
        if let Some(st) = f.label_status {
            count(&mut s.by_label_status, st.id());
        }
        if let Some(p) = f.encryption {
            count(&mut s.by_encryption, p.id());
        }
        if !f.detections.is_empty() {
            s.files_with_personal_data += 1;
        }
        for d in &f.detections {
            count(&mut s.by_detector, d.detector.id());
        }
        for x in &f.findings {
            if x.suppressed.is_some() {
                s.findings_suppressed += 1;
            } else {
                count(&mut s.findings_by_severity, x.severity.id());
            }
        }
        if let Some(b) = &f.business {
            count(&mut s.by_business, b);
        }
        super::tally::tally(&mut s.by_rule, &mut s.worst_files, f);
    }
}

/// A whole scan as `--format json` writes it. Reading one back, parts it lacks read as empty.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ScanReport {
    pub schema: String,
    pub tool: Tool,
    pub catalogue: CatalogueInfo,
    /// When the scan ran, on what, with which configuration; none in reports written
    /// before it was added, or by the library without a run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<super::RunInfo>,
    pub files: Vec<FileResult>,
    pub summary: Summary,
}

/// The program that wrote a scan.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    pub fn this() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// The label catalogue a scan used.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CatalogueInfo {
    pub origin: String,
    pub tenant: String,
}

impl ScanReport {
    pub fn new(files: Vec<FileResult>, catalogue: CatalogueInfo) -> ScanReport {
        ScanReport {
            schema: SCHEMA.to_string(),
            tool: Tool::this(),
            catalogue,
            run: None,
            summary: Summary::of(&files),
            files,
        }
    }
}
