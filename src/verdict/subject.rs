//! What the rules judge: typed facts about a file, and what it is judged against besides
//! its content.

use std::collections::BTreeMap;

use super::seen::Seen;
use crate::labels::catalogue::Catalogue;
use crate::model::{
    Class, Detection, EffectiveLabel, Format, LabelReport, LabelStatus, Lang, Protection,
};

/// What the rules judge a file by: typed facts gathered by the engine from its read.
#[derive(Clone, Copy)]
pub struct Subject<'a> {
    /// The file's path as given, for path conditions.
    pub path: &'a str,
    pub format: Format,
    pub encryption: Protection,
    pub labels: &'a [LabelReport],
    pub label: Option<&'a EffectiveLabel>,
    pub label_status: LabelStatus,
    pub detections: &'a [Detection],
    /// Sensitive domains and how many pieces of text carried them.
    pub tags: &'a BTreeMap<String, u32>,
    /// Whether documents are embedded in it.
    pub embedded: bool,
    /// Whether its content was read to the end (no damage, no limit).
    pub complete: bool,
    /// What its text held besides detections.
    pub seen: &'a Seen,
}

/// What a file is judged against besides its own content.
#[derive(Default)]
pub struct Context<'a> {
    pub lang: Lang,
    pub catalogue: Option<&'a Catalogue>,
    /// Where the file goes: the `--destination` path joined with the file's path below the
    /// scanned folder, or the file's own path.
    pub destination: Option<&'a str>,
    /// Whether a destination was given on the command line (otherwise only configured
    /// destinations count).
    pub destination_given: bool,
    /// The label class the file had in the baseline, if it was there with a class.
    pub previous_class: Option<Class>,
}
