//! Plain data shared by every layer: what a document is, its labels, where text sits, what
//! detection and the rules found, and a scan's results and counts. Every type that appears
//! in a scan's JSON (`o365lint/scan/v1`) serializes to it and reads back from it into the
//! same value, so reports, baselines, merges and a history store can read saved scans.
//!
//! Nothing here imports the rest of the crate: every layer may import this one.

mod check;
pub mod data;
mod document;
mod error;
mod label;
mod location;
mod masked;
mod note;
mod result;
mod run;
mod tally;
pub mod time;

pub use check::{Check, Place as CheckPlace, Verdict};
pub use document::{
    Checked, ContainerKind, ErrorKind, Format, LEGACY_EXTENSIONS, OOXML_EXTENSIONS, Protection,
    SkipKind, TEXT_EXTENSIONS, Unchecked, is_office_extension, is_text_extension,
};
pub use error::ConfigError;
pub use label::{
    Class, EffectiveLabel, FoundLabel, LabelReport, LabelStatus, Source, Tenant, content_bits_words,
};
pub use location::{Flags, Kind, Location, LocationKind, TextPiece, TextSpan, place_in};
pub use masked::Masked;
pub use note::Note;
pub use result::{
    CatalogueInfo, Detection, DetectorId, EmbeddedResult, FileResult, Finding, Lang, RequiredBy,
    Requirement, SCHEMA, ScanReport, Severity, Summary, Tool, WalkNotes,
};
pub use run::{ConfigOrigin, RunInfo};
pub use tally::{RuleCount, WORST_FILES, WorstFile, rules_in_order};
pub use time::rfc3339;
