//! What a scan found, per file and in total, and the writers that print it. Order is the
//! order of the input paths, whatever the thread count.

pub mod json;
pub mod pieces;
pub mod text;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::catalogue::{Class, EffectiveLabel, LabelReport, LabelStatus};
use crate::container::ole::Protection;
use crate::document::{ContainerKind, Format};
use crate::error::ErrorKind;
use crate::text::{Batch, Flags, Piece};

/// The JSON schema id; fields are added, never renamed.
pub const SCHEMA: &str = "o365lint/scan/v1";

/// Where in a document something was found: the part, what a person reads (`Ark1!C4`,
/// `topptekst 1, avsnitt 2`), the kind of place, and every flag of the text there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Shared by the locations of one part (a workbook may hold thousands).
    pub part: Arc<str>,
    #[serde(rename = "where")]
    pub place: String,
    /// The kind of place, or what hides the text there if anything does
    /// (`tracked-deletion`, `hidden-sheet`, …).
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Flags::is_empty")]
    pub flags: Flags,
}

impl Location {
    /// The location of bytes `start..end` of a piece's text.
    pub fn of(batch: &Batch, piece: &Piece, start: usize, end: usize) -> Location {
        Location::with(batch, piece, piece.flags_at(start, end))
    }

    /// The location of a piece with the given flags (the batch's are added).
    pub fn with(batch: &Batch, piece: &Piece, flags: Flags) -> Location {
        Location::in_part(batch.part.into(), batch, piece, flags)
    }

    /// The same, with the batch's part name given (shared, not copied).
    pub fn in_part(part: Arc<str>, batch: &Batch, piece: &Piece, flags: Flags) -> Location {
        let flags = batch.flags | flags;
        Location {
            part,
            place: piece.place_name(),
            kind: flags.hiding_kind().unwrap_or(piece.kind.id()),
            flags,
        }
    }
}

/// A possible piece of personal data (filled by detection).
#[derive(Clone, Debug, Serialize)]
pub struct Detection {
    pub detector: String,
    pub masked: String,
    pub confidence: u8,
    /// Where the value was found first with its best confidence.
    pub location: Location,
    pub reasons: Vec<String>,
    /// How many times the same value occurs in the document (detections are de-duplicated).
    pub count: u32,
    /// Where else the value occurs (at most 20 places).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<Location>,
    /// A keyed hash of the value: the same value has the same hash in every document of
    /// a scan (and across scans with the same key), and the value cannot be read from it.
    /// Only with a secret key (`O365LINT_HASH_KEY`); absent otherwise.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hash: String,
}

/// One rule's demand on the class of a file, and what in the content made it.
#[derive(Clone, Debug, Serialize)]
pub struct Requirement {
    pub rule: String,
    pub class: Class,
    /// Distinct values the rule's detection condition counted (0 when it has none).
    pub count: usize,
    /// Their detectors, in order of first mention.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub detectors: Vec<String>,
    /// The sensitive domains the rule's tag condition found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Where the first counted value is.
    pub location: Option<Location>,
}

/// A breach of a handling rule.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: String,
    pub message: String,
    /// Where the first detection the rule matched was found, if the rule is about content.
    pub location: Option<Location>,
    /// Stable across scans (no line numbers, no times): what suppressions and baselines
    /// name. A keyed hash of the rule, the path below the scanned folder, the location and
    /// the value found there.
    pub fingerprint: String,
    /// Why the finding is accepted (a suppression's reason, or `baseline`); accepted
    /// findings do not change the exit code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

/// A document embedded in the file, with its own labels.
#[derive(Clone, Debug, Serialize)]
pub struct EmbeddedReport {
    /// The embedding part, prefixed by the documents it sits in (`a.docx!/b.xlsx`).
    pub path: String,
    pub format: Option<Format>,
    pub encryption: Option<Protection>,
    pub labels: Vec<LabelReport>,
    pub label: Option<EffectiveLabel>,
    pub label_status: Option<LabelStatus>,
    pub error: Option<String>,
}

/// Everything known about one file.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    pub format: Option<Format>,
    pub container: Option<ContainerKind>,
    /// `none`, `password` or `irm`; null when the file could not be read.
    pub encryption: Option<Protection>,
    pub labels: Vec<LabelReport>,
    pub label: Option<EffectiveLabel>,
    pub label_status: Option<LabelStatus>,
    pub required_class: Option<Class>,
    /// The rules that set the required class, as `rule:class`.
    pub required_by: Vec<String>,
    /// Why: per rule, the class, and the detections and sensitive domains it counted.
    pub required_reasons: Vec<Requirement>,
    pub detections: Vec<Detection>,
    /// Sensitive domains the text touches (`helse`, `barnevern`, …) and how many pieces of
    /// text did: context for the rules, never a finding alone.
    pub tags: BTreeMap<String, u32>,
    pub findings: Vec<Finding>,
    /// Documents embedded in this one, at any depth.
    pub embedded: Vec<EmbeddedReport>,
    /// The business (virksomhet, bydel, etat) the configuration maps the file's path to.
    pub business: Option<String>,
    pub notes: Vec<String>,
    /// Bytes on disk, when the file could be opened.
    pub size: Option<u64>,
    /// Why the file was passed over (an Office lock file), or null.
    pub skipped: Option<String>,
    pub error: Option<String>,
    pub error_kind: Option<ErrorKind>,
}

impl FileReport {
    pub fn new(path: String) -> Self {
        FileReport {
            path,
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
            notes: Vec::new(),
            size: None,
            skipped: None,
            error: None,
            error_kind: None,
        }
    }

    /// Masks everything in the report that is not a detection but may hold an identifier:
    /// the path, notes, errors, label names and metadata, locations, embedded paths.
    pub fn mask_identifiers(&mut self, det: &crate::detect::Detectors) {
        let m = |s: &mut String| *s = det.mask(s);
        let m_part = |s: &mut Arc<str>| *s = det.mask(s).into();
        m(&mut self.path);
        self.business.iter_mut().for_each(m);
        self.notes.iter_mut().for_each(m);
        self.error.iter_mut().for_each(m);
        for l in &mut self.labels {
            l.found.name.iter_mut().for_each(m);
            for v in l.found.extra.values_mut() {
                m(v);
            }
        }
        for d in &mut self.detections {
            for loc in std::iter::once(&mut d.location).chain(d.also_at.iter_mut()) {
                m_part(&mut loc.part);
                m(&mut loc.place);
            }
        }
        for r in &mut self.required_reasons {
            if let Some(loc) = &mut r.location {
                m_part(&mut loc.part);
                m(&mut loc.place);
            }
        }
        for f in &mut self.findings {
            m(&mut f.message);
            f.suppressed.iter_mut().for_each(m);
            if let Some(loc) = &mut f.location {
                m_part(&mut loc.part);
                m(&mut loc.place);
            }
        }
        for e in &mut self.embedded {
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

    pub fn failed(path: String, e: &crate::error::Error) -> Self {
        FileReport {
            error: Some(e.to_string()),
            error_kind: Some(e.kind()),
            ..FileReport::new(path)
        }
    }
}

/// Counts over all files.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    /// Files that gave a result (labels, format), including partial ones.
    pub scanned: usize,
    /// Scanned files whose result is partial: damage was found after the labels were read.
    pub partial: usize,
    pub skipped: usize,
    /// Files with an error: not read at all, or only partially.
    pub errors: usize,
    pub by_format: BTreeMap<&'static str, usize>,
    /// Labelled files by class id, `unknown` for labels the catalogue cannot place.
    pub by_class: BTreeMap<&'static str, usize>,
    pub by_label_status: BTreeMap<&'static str, usize>,
    pub by_encryption: BTreeMap<&'static str, usize>,
    /// Files that could not be read at all, by the kind of error.
    pub errors_by_kind: BTreeMap<&'static str, usize>,
    /// Files read only partly (damage or a limit after the labels), by the kind of error.
    pub partial_by_kind: BTreeMap<&'static str, usize>,
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
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_business: BTreeMap<String, usize>,
}

impl Summary {
    pub fn of(files: &[FileReport]) -> Summary {
        let mut s = Summary::default();
        for f in files {
            s.add(f);
        }
        s
    }

    /// Counts one more file.
    pub fn add(&mut self, f: &FileReport) {
        let s = self;
        s.files += 1;
        if f.skipped.is_some() {
            s.skipped += 1;
            return;
        }
        if let Some(kind) = f.error_kind {
            s.errors += 1;
            if f.format.is_none() {
                *s.errors_by_kind.entry(kind.id()).or_default() += 1;
                return;
            }
            s.partial += 1;
            *s.partial_by_kind.entry(kind.id()).or_default() += 1;
        }
        s.scanned += 1;
        s.bytes += f.size.unwrap_or(0);
        if let Some(fmt) = f.format {
            *s.by_format.entry(fmt.name()).or_default() += 1;
        }
        if let Some(l) = &f.label {
            *s.by_class
                .entry(l.class.map_or("unknown", Class::id))
                .or_default() += 1;
        }
        if let Some(st) = f.label_status {
            *s.by_label_status.entry(st.id()).or_default() += 1;
        }
        if let Some(p) = f.encryption {
            *s.by_encryption.entry(p.id()).or_default() += 1;
        }
        if !f.detections.is_empty() {
            s.files_with_personal_data += 1;
        }
        for d in &f.detections {
            *s.by_detector.entry(d.detector.clone()).or_default() += 1;
        }
        for x in &f.findings {
            if x.suppressed.is_some() {
                s.findings_suppressed += 1;
            } else {
                *s.findings_by_severity
                    .entry(x.severity.clone())
                    .or_default() += 1;
            }
        }
        if let Some(b) = &f.business {
            *s.by_business.entry(b.clone()).or_default() += 1;
        }
    }
}

/// A whole scan.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub tool: Tool,
    pub catalogue: CatalogueInfo,
    pub files: Vec<FileReport>,
    pub summary: Summary,
}

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct CatalogueInfo {
    pub origin: String,
    pub tenant: String,
}

impl Tool {
    pub fn this() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

impl CatalogueInfo {
    pub fn of(catalogue: &crate::catalogue::Catalogue) -> CatalogueInfo {
        CatalogueInfo {
            origin: catalogue.origin.display().to_string(),
            tenant: catalogue.tenant.clone(),
        }
    }
}

impl Report {
    pub fn new(files: Vec<FileReport>, catalogue: &crate::catalogue::Catalogue) -> Report {
        Report {
            schema: SCHEMA,
            tool: Tool::this(),
            catalogue: CatalogueInfo::of(catalogue),
            summary: Summary::of(&files),
            files,
        }
    }
}
