//! Sensitivity labels as found in a file, and what the catalogue makes of them.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// The four confidentiality classes of Oslo kommune's scheme, lowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    Apen,
    Intern,
    Beskyttet,
    StrengtBeskyttet,
}

impl Class {
    pub const ALL: [Class; 4] = [
        Class::Apen,
        Class::Intern,
        Class::Beskyttet,
        Class::StrengtBeskyttet,
    ];

    /// The name users know: Åpen, Intern, Beskyttet, Strengt beskyttet.
    pub fn name(self) -> &'static str {
        match self {
            Class::Apen => "Åpen",
            Class::Intern => "Intern",
            Class::Beskyttet => "Beskyttet",
            Class::StrengtBeskyttet => "Strengt beskyttet",
        }
    }

    /// The stable id used in JSON and configuration: apen, intern, beskyttet, strengt-beskyttet.
    pub fn id(self) -> &'static str {
        match self {
            Class::Apen => "apen",
            Class::Intern => "intern",
            Class::Beskyttet => "beskyttet",
            Class::StrengtBeskyttet => "strengt-beskyttet",
        }
    }

    /// Accepts the id, the name, or the name without diacritics, in any case.
    pub fn parse(s: &str) -> Option<Class> {
        // Character by character against each id: `å` as `a`, `-` and `_` as spaces.
        let fold = |c: char| -> char {
            match c {
                'å' | 'Å' => 'a',
                '-' | '_' => ' ',
                c => c,
            }
        };
        let s = s.trim();
        Class::ALL.into_iter().find(|c| {
            let mut given = s.chars().flat_map(char::to_lowercase).map(fold);
            let mut id = c.id().chars().map(fold);
            loop {
                match (given.next(), id.next()) {
                    (None, None) => return true,
                    (a, b) if a == b => {}
                    _ => return false,
                }
            }
        })
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Texts a label's content marking should show (spec/rules.md §3.9).
/// Where a label was read from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// `docMetadata/LabelInfo.xml` in an OOXML package.
    #[default]
    Labelinfo,
    /// `MSIP_Label_*` properties in `docProps/custom.xml`.
    CustomProperties,
    /// The `\x06DataSpaces\TransformInfo\LabelInfo` stream of an encrypted file.
    LabelinfoStream,
    /// `MSIP_Label_*` user-defined properties in `\x05DocumentSummaryInformation`.
    SummaryInformation,
}

impl Source {
    /// The newer LabelInfo format wins over properties for the same tenant.
    pub fn is_labelinfo(self) -> bool {
        matches!(self, Source::Labelinfo | Source::LabelinfoStream)
    }

    /// Where a person finds it in the file.
    pub fn location(self) -> &'static str {
        match self {
            Source::Labelinfo => "docMetadata/LabelInfo.xml",
            Source::CustomProperties => "docProps/custom.xml",
            Source::LabelinfoStream => "\\x06DataSpaces\\TransformInfo\\LabelInfo",
            Source::SummaryInformation => "\\x05DocumentSummaryInformation",
        }
    }
}

/// One label as found in the file. Absent attributes are `None`: an absent `contentBits`
/// is unknown, not 0.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundLabel {
    /// Label GUID, lowercase, without braces.
    pub id: String,
    /// Tenant (Entra directory) GUID, lowercase, without braces.
    pub site_id: Option<String>,
    pub enabled: Option<bool>,
    pub removed: Option<bool>,
    /// `Standard` (default or automatic) or `Privileged` (chosen by a user), as written.
    pub method: Option<String>,
    pub content_bits: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_id: Option<String>,
    /// Other `MSIP_Label_<GUID>_*` keys (vendor extensions, `…V2` versions), kept as found.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    pub source: Source,
    /// A LabelInfo label of the same tenant makes this one void.
    pub superseded: bool,
}

impl FoundLabel {
    /// In force: enabled, not removed, not superseded. A property set without `Enabled` is no
    /// label at all (DLP tools key on that property).
    pub fn is_active(&self) -> bool {
        self.enabled == Some(true) && self.removed != Some(true) && !self.superseded
    }
}

/// How a label's tenant relates to ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tenant {
    Own,
    /// Another organisation's label: valid for them, meaningless to us.
    Foreign,
    /// The label names no tenant.
    Unknown,
}

/// A found label with its relation to the own tenant.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LabelReport {
    #[serde(flatten)]
    pub found: FoundLabel,
    pub tenant: Tenant,
    /// For own-tenant labels the catalogue knows: its class and display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<Class>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// The label in force for the own tenant, with what the catalogue says of it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EffectiveLabel {
    pub id: String,
    /// `"unknown"` when the catalogue does not give one; `reason` says why.
    #[serde(
        serialize_with = "class_or_unknown",
        deserialize_with = "class_or_unknown_in"
    )]
    pub class: Option<Class>,
    /// Display name from the catalogue, `Parent \ Child` for sublabels.
    pub name: Option<String>,
    pub parent: Option<String>,
    /// The label groups sublabels and cannot itself be applied.
    pub is_parent: bool,
    /// Whether the catalogue says the label encrypts.
    pub encrypt: Option<bool>,
    pub source: Source,
    pub method: Option<String>,
    pub content_bits: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

fn class_or_unknown<S: serde::Serializer>(class: &Option<Class>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(class.map_or("unknown", Class::id))
}

fn class_or_unknown_in<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Class>, D::Error> {
    let id = String::deserialize(d)?;
    match id.as_str() {
        "unknown" => Ok(None),
        _ => Class::ALL
            .into_iter()
            .find(|c| c.id() == id)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown class {id:?}"))),
    }
}

/// The labelling state of a file, for one word in reports and summaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LabelStatus {
    /// An own-tenant label is in force (its class may still be unknown).
    Labelled,
    /// No label of any tenant.
    Unlabelled,
    /// The own label was removed or disabled, and nothing replaced it.
    Removed,
    /// Only other organisations' labels are in force.
    ForeignOnly,
    /// Password-encrypted: a label, if any, is inside the encryption.
    NotReadable,
    /// The format cannot carry a label (RTF, HTML, CSV, plain text): none is expected.
    CannotCarry,
}

impl LabelStatus {
    pub fn id(self) -> &'static str {
        match self {
            LabelStatus::Labelled => "labelled",
            LabelStatus::Unlabelled => "unlabelled",
            LabelStatus::Removed => "removed",
            LabelStatus::ForeignOnly => "foreign-only",
            LabelStatus::NotReadable => "not-readable",
            LabelStatus::CannotCarry => "cannot-carry",
        }
    }
}

/// The content-marking bits of `contentBits`, in words.
pub fn content_bits_words(bits: u32) -> Vec<&'static str> {
    [
        (1, "header"),
        (2, "footer"),
        (4, "watermark"),
        (8, "encryption"),
    ]
    .into_iter()
    .filter(|(b, _)| bits & b != 0)
    .map(|(_, w)| w)
    .collect()
}
