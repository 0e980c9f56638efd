//! Handling rules as data (`rules/handling.toml`): each rule's conditions over a closed set
//! of facts about a file, the class its content demands, and texts in Norwegian and English
//! that explain it. The verdict per file: the class the content requires, and why, and the
//! findings.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::catalogue::{Class, LabelStatus};
use crate::container::ole::Protection;
use crate::detect;
use crate::error::ConfigError;
use crate::report::{Detection, FileReport, Finding, Location};
use crate::text::Flags;

/// The built-in rules file.
pub const BUILT_IN: &str = include_str!("../rules/handling.toml");

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
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

/// The language of rule texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nb,
    En,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    rule: Vec<Rule>,
}

/// One handling rule.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    pub summary: String,
    pub summary_en: String,
    pub explain: String,
    pub explain_en: String,
    pub message: String,
    pub message_en: String,
    #[serde(default)]
    pub require: Option<String>,
    pub when: When,
}

impl Rule {
    pub fn summary(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nb => &self.summary,
            Lang::En => &self.summary_en,
        }
    }

    pub fn explain(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nb => self.explain.trim(),
            Lang::En => self.explain_en.trim(),
        }
    }

    fn required(&self) -> Option<Class> {
        self.require.as_deref().and_then(Class::parse)
    }
}

/// A rule's conditions: every one given must hold.
#[derive(Deserialize, Clone, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct When {
    label_status: Option<Vec<String>>,
    label_class: Option<Vec<String>>,
    label_below: Option<String>,
    label_unknown: Option<bool>,
    label_parent: Option<bool>,
    encryption: Option<Vec<String>>,
    content_bits: Option<Vec<String>>,
    detections: Option<DetectionsWhen>,
    tags: Option<Vec<String>>,
    hidden: Option<Vec<String>>,
    metadata: Option<Vec<String>>,
    embedded: Option<bool>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
struct DetectionsWhen {
    detectors: Vec<String>,
    #[serde(default = "one")]
    min: usize,
    #[serde(default)]
    flags: Vec<String>,
}

fn one() -> usize {
    1
}

const STATUSES: &[&str] = &[
    "labelled",
    "unlabelled",
    "removed",
    "foreign-only",
    "not-readable",
];
const ENCRYPTION: &[&str] = &["none", "password", "irm"];
const CONTENT_BITS: &[&str] = &["header", "footer", "watermark", "encryption"];
const HIDDEN: &[&str] = &[
    "comment",
    "tracked-deletion",
    "tracked-insertion",
    "hidden",
    "hidden-sheet",
    "hidden-row",
    "hidden-column",
];
const METADATA: &[&str] = &[
    "creator",
    "lastModifiedBy",
    "Company",
    "Manager",
    "Template",
    "custom",
];
const FLAGS: &[&str] = &[
    "hidden",
    "hidden-sheet",
    "hidden-row",
    "hidden-column",
    "tracked-deletion",
    "tracked-insertion",
    "comment",
    "metadata",
    "embedded",
    "cache",
    "file-name",
];

/// What a file's text held besides detections, gathered while it was read.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    /// Every flag some text carried.
    pub flags: Flags,
    /// Properties with a value: creator, lastModifiedBy, Company, Manager, Template, and
    /// `custom` for any custom property that is not a label's.
    pub metadata: BTreeSet<String>,
}

impl Seen {
    /// Takes note of a batch of text.
    pub fn batch(&mut self, b: &crate::text::Batch) {
        for p in b.pieces {
            self.flags |= b.flags | p.whole_flags();
            for s in &p.spans {
                self.flags |= s.flags;
            }
            if let crate::text::Place::Named(name) = &p.place
                && let Some(prop) = name.strip_prefix("egenskap ")
            {
                let prop = if prop.starts_with('«') {
                    "custom"
                } else {
                    prop
                };
                if METADATA.contains(&prop) {
                    self.metadata.insert(prop.to_string());
                }
            }
        }
    }
}

/// The rules, ready to judge files.
pub struct Rules {
    pub rules: Vec<Rule>,
    pub origin: String,
}

impl Rules {
    pub fn built_in() -> Rules {
        Rules::parse(BUILT_IN, "built-in rules/handling.toml", &[]).expect("built-in rules")
    }

    pub fn load(path: &Path, tags: &[String]) -> Result<Rules, ConfigError> {
        let text = ConfigError::read(path)?;
        Rules::parse(&text, &path.display().to_string(), tags)
    }

    /// Parses and validates rules. `tags` are the lexicon tags the detectors in use know
    /// (empty: do not check tag names). An error names the file, the rule and the field.
    pub fn parse(text: &str, origin: &str, tags: &[String]) -> Result<Rules, ConfigError> {
        let err = |item: &str, field: &str, message: String| {
            ConfigError::in_file(origin, item, field, message)
        };
        let file: FileToml = toml::from_str(text)
            .map_err(|e| err("", "", crate::catalogue::toml_message(&e, text)))?;
        let mut seen = BTreeSet::new();
        for r in &file.rule {
            let id = r.id.as_str();
            if !seen.insert(id) {
                return Err(err(id, "id", "defined twice".into()));
            }
            if r.require.is_some() && r.required().is_none() {
                return Err(err(
                    id,
                    "require",
                    "not a class (apen, intern, beskyttet, strengt-beskyttet)".into(),
                ));
            }
            let w = &r.when;
            let check = |field: &str, values: &Option<Vec<String>>, known: &[&str]| {
                for v in values.iter().flatten() {
                    if !known.contains(&v.as_str()) {
                        return Err(err(
                            id,
                            &format!("when.{field}"),
                            format!("unknown value {v:?} (known: {})", known.join(", ")),
                        ));
                    }
                }
                Ok(())
            };
            check("label_status", &w.label_status, STATUSES)?;
            check("encryption", &w.encryption, ENCRYPTION)?;
            check("content_bits", &w.content_bits, CONTENT_BITS)?;
            check("hidden", &w.hidden, HIDDEN)?;
            check("metadata", &w.metadata, METADATA)?;
            for c in w.label_class.iter().flatten().chain(w.label_below.iter()) {
                if Class::parse(c).is_none() {
                    return Err(err(id, "when.label_class", format!("{c:?} is not a class")));
                }
            }
            if let Some(d) = &w.detections {
                for x in &d.detectors {
                    if !detect::IDS.contains(&x.as_str()) {
                        return Err(err(
                            id,
                            "when.detections.detectors",
                            format!(
                                "unknown detector id {x:?} (known: {})",
                                detect::IDS.join(", ")
                            ),
                        ));
                    }
                }
                for f in &d.flags {
                    if !FLAGS.contains(&f.as_str()) {
                        return Err(err(
                            id,
                            "when.detections.flags",
                            format!("unknown flag {f:?} (known: {})", FLAGS.join(", ")),
                        ));
                    }
                }
            }
            if !tags.is_empty() {
                for t in w.tags.iter().flatten() {
                    if !tags.contains(t) {
                        return Err(err(
                            id,
                            "when.tags",
                            format!("unknown tag {t:?} (known: {})", tags.join(", ")),
                        ));
                    }
                }
            }
        }
        Ok(Rules {
            rules: file.rule,
            origin: origin.to_string(),
        })
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// Judges one file: fills in its required class, the rules that set it, and findings.
    pub fn judge(&self, report: &mut FileReport, seen: &Seen, lang: Lang) {
        if report.format.is_none() {
            return;
        }
        let mut required: Option<Class> = None;
        let mut findings = Vec::new();
        let mut by = Vec::new();
        for rule in &self.rules {
            if rule.severity == Severity::Off {
                continue;
            }
            let Some(matched) = content_holds(&rule.when, report, seen) else {
                continue;
            };
            if let Some(class) = rule.required() {
                required = required.max(Some(class));
                by.push(format!("{}:{}", rule.id, class.id()));
            }
            if !label_holds(&rule.when, report) {
                continue;
            }
            findings.push(Finding {
                rule: rule.id.clone(),
                severity: rule.severity.id().to_string(),
                message: message(rule, lang, report, &matched),
                location: matched.first().map(|d| d.location.clone()),
            });
        }
        report.required_class = required;
        report.required_by = by;
        report.findings = findings;
    }
}

/// The detections a rule's detection condition matched (empty when it has none), or `None`
/// when a content condition fails.
fn content_holds<'r>(w: &When, r: &'r FileReport, seen: &Seen) -> Option<Vec<&'r Detection>> {
    let mut matched = Vec::new();
    if let Some(d) = &w.detections {
        matched = r
            .detections
            .iter()
            .filter(|x| d.detectors.contains(&x.detector))
            .filter(|x| d.flags.is_empty() || flagged(x, &d.flags))
            .collect();
        if matched.len() < d.min {
            return None;
        }
    }
    if let Some(tags) = &w.tags
        && !tags.iter().any(|t| r.tags.contains_key(t))
    {
        return None;
    }
    if let Some(hidden) = &w.hidden
        && !seen.flags.names().any(|f| hidden.iter().any(|h| h == f))
    {
        return None;
    }
    if let Some(meta) = &w.metadata
        && !meta.iter().any(|m| seen.metadata.contains(m))
    {
        return None;
    }
    if let Some(embedded) = w.embedded
        && embedded == r.embedded.is_empty()
    {
        return None;
    }
    Some(matched)
}

/// Whether a detection was found (at its best place or another) where one of `flags` holds.
fn flagged(d: &Detection, flags: &[String]) -> bool {
    std::iter::once(&d.location)
        .chain(&d.also_at)
        .any(|l: &Location| {
            l.flags.names().any(|f| flags.iter().any(|x| x == f))
                || (l.kind == "file-name" && flags.iter().any(|x| x == "file-name"))
        })
}

fn label_holds(w: &When, r: &FileReport) -> bool {
    let class = r.label.as_ref().and_then(|l| l.class);
    let status = r.label_status.map(LabelStatus::id);
    if let Some(s) = &w.label_status
        && !status.is_some_and(|st| s.iter().any(|x| x == st))
    {
        return false;
    }
    if let Some(c) = &w.label_class
        && !class.is_some_and(|cl| c.iter().any(|x| Class::parse(x) == Some(cl)))
    {
        return false;
    }
    if let Some(below) = w.label_below.as_deref().and_then(Class::parse)
        && class.is_some_and(|cl| cl >= below)
    {
        return false;
    }
    if let Some(u) = w.label_unknown {
        let unknown = r.label.as_ref().is_some_and(|l| l.class.is_none());
        if u != unknown {
            return false;
        }
    }
    if let Some(p) = w.label_parent
        && p != r.label.as_ref().is_some_and(|l| l.is_parent)
    {
        return false;
    }
    if let Some(e) = &w.encryption
        && !r
            .encryption
            .is_some_and(|p| e.iter().any(|x| x == Protection::id(p)))
    {
        return false;
    }
    if let Some(bits) = &w.content_bits {
        let have = r.label.as_ref().and_then(|l| l.content_bits).unwrap_or(0);
        let words = crate::label::content_bits_words(have);
        if !bits.iter().any(|b| words.iter().any(|w| w == b)) {
            return false;
        }
    }
    true
}

fn message(rule: &Rule, lang: Lang, r: &FileReport, matched: &[&Detection]) -> String {
    let template = match lang {
        Lang::Nb => &rule.message,
        Lang::En => &rule.message_en,
    };
    let label = r
        .label
        .as_ref()
        .and_then(|l| l.class)
        .map(Class::name)
        .unwrap_or(match lang {
            Lang::Nb => "ingen merking",
            Lang::En => "no label",
        });
    let mut what: Vec<&str> = matched.iter().map(|d| d.detector.as_str()).collect();
    what.dedup();
    let place = matched
        .first()
        .map(|d| format!("{}: {}", d.location.part, d.location.place))
        .unwrap_or_default();
    template
        .replace("{label}", label)
        .replace("{required}", rule.required().map_or("", Class::name))
        .replace("{count}", &matched.len().to_string())
        .replace("{what}", &what.join(", "))
        .replace("{where}", &place)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_load() {
        let r = Rules::built_in();
        assert!(r.get("PII-01").is_some());
        assert!(r.get("pii-01").is_some());
    }

    #[test]
    fn broken_rules_name_file_rule_and_field() {
        let bad = BUILT_IN.replacen("\"fodselsnummer\", \"d-nummer\"]", "\"fnr\"]", 1);
        let e = Rules::parse(&bad, "h.toml", &[]).err().unwrap().to_string();
        assert!(
            e.starts_with(
                "h.toml: PII-01: field `when.detections.detectors`: unknown detector id \"fnr\""
            ),
            "{e}"
        );
        let bad = BUILT_IN.replacen("severity = \"error\"", "severity = \"fatal\"", 1);
        let e = Rules::parse(&bad, "h.toml", &[]).err().unwrap().to_string();
        assert!(e.contains("fatal"), "{e}");
        let bad = BUILT_IN.replacen("id = \"LBL-02\"", "id = \"LBL-01\"", 1);
        let e = Rules::parse(&bad, "h.toml", &[]).err().unwrap().to_string();
        assert!(e.contains("LBL-01: field `id`: defined twice"), "{e}");
        let bad = BUILT_IN.replacen("tags = [\"saerlige-kategorier\"", "tags = [\"helsa\"", 1);
        let e = Rules::parse(
            &bad,
            "h.toml",
            &["helse".into(), "saerlige-kategorier".into()],
        )
        .err()
        .unwrap()
        .to_string();
        assert!(
            e.contains("PII-03: field `when.tags`: unknown tag \"helsa\""),
            "{e}"
        );
    }
}
