//! Handling rules as data (`rules/handling.toml`): each rule's conditions over a closed set
//! of facts about a file, the class its content demands, and texts in Norwegian and English
//! that explain it. The verdict per file: the class the content requires, and why, and the
//! findings.

use std::collections::BTreeSet;
use std::path::Path;

use globset::GlobSet;
use serde::Deserialize;

use crate::config::Config;
use crate::detect;
use crate::model::{Class, ConfigError, Lang, Severity};

/// The built-in rules file.
pub const BUILT_IN: &str = crate::model::data::HANDLING;

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
    /// When all of these hold too, the finding is reported one severity lower.
    #[serde(default)]
    pub milder_when: Option<When>,
}

impl Rule {
    /// The severity a finding has when `milder_when` holds too; `None` for a rule without
    /// one. Listings show it beside `severity` so that what they say matches what scans report.
    pub fn milder_severity(&self) -> Option<Severity> {
        self.milder_when.as_ref()?;
        Some(match self.severity {
            Severity::Error => Severity::Warning,
            _ => Severity::Info,
        })
    }

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

    pub(super) fn required(&self) -> Option<Class> {
        self.require.as_deref().and_then(Class::parse)
    }
}

/// A rule's conditions: every one given must hold.
#[derive(Deserialize, Clone, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct When {
    pub(super) label_status: Option<Vec<String>>,
    pub(super) label_class: Option<Vec<String>>,
    pub(super) label_below: Option<String>,
    pub(super) label_unknown: Option<bool>,
    pub(super) label_parent: Option<bool>,
    pub(super) encryption: Option<Vec<String>>,
    pub(super) content_bits: Option<Vec<String>>,
    pub(super) not_content_bits: Option<Vec<String>>,
    pub(super) detections: Option<DetectionsWhen>,
    pub(super) tags: Option<Vec<String>>,
    pub(super) not_tags: Option<Vec<String>>,
    pub(super) hidden: Option<Vec<String>>,
    pub(super) metadata: Option<Vec<String>>,
    pub(super) embedded: Option<bool>,
    pub(super) format: Option<Vec<String>>,
    pub(super) path: Option<Vec<String>>,
    #[serde(skip)]
    pub(super) path_globs: Option<GlobSet>,
    pub(super) label_method: Option<Vec<String>>,
    pub(super) label_conflict: Option<bool>,
    pub(super) downgraded: Option<bool>,
    pub(super) required_at_least: Option<String>,
    pub(super) required_above_label: Option<bool>,
    pub(super) class_at_least: Option<String>,
    pub(super) marking: Option<Vec<String>>,
    pub(super) destination_known: Option<bool>,
    pub(super) destination_exceeded: Option<bool>,
    pub(super) destination_kind: Option<Vec<String>>,
    pub(super) destination_max_below: Option<String>,
    pub(super) strict_allowed: Option<bool>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub(super) struct DetectionsWhen {
    pub(super) detectors: Vec<String>,
    #[serde(default)]
    pub(super) min: Min,
    #[serde(default)]
    pub(super) flags: Vec<String>,
}

/// A count: a number, or the name of a threshold in the configuration.
#[derive(Deserialize, Clone, Debug)]
#[serde(untagged)]
pub(super) enum Min {
    Count(usize),
    Threshold(String),
}

impl Default for Min {
    fn default() -> Min {
        Min::Count(1)
    }
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
pub(super) const METADATA: &[&str] = &[
    "creator",
    "lastModifiedBy",
    "Company",
    "Manager",
    "Template",
    "custom",
];
const METHODS: &[&str] = &["standard", "privileged", "auto"];
const MARKING: &[&str] = &[
    "missing",
    "required-missing",
    "higher",
    "lower",
    "grade-words",
    "too-long",
    "personal",
];
const FORMATS: &[&str] = &[
    "docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xltx", "xltm", "xlsb", "xlam", "pptx", "pptm",
    "potx", "potm", "ppsx", "ppsm", "ppam", "ooxml", "doc", "xls", "ppt",
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

/// The rules, ready to judge files, with the configuration they read.
pub struct Rules {
    pub rules: Vec<Rule>,
    pub origin: String,
    pub config: Config,
    /// A hash of the rules files' text (see `Engine::fingerprint`).
    pub digest: String,
}

impl Rules {
    pub fn built_in() -> Rules {
        Rules::parse(BUILT_IN, "built-in rules/handling.toml", &[]).expect("built-in rules")
    }

    pub fn load(path: &Path, tags: &[String]) -> Result<Rules, ConfigError> {
        Rules::load_for(path, tags, &Config::built_in())
    }

    fn load_for(path: &Path, tags: &[String], config: &Config) -> Result<Rules, ConfigError> {
        let text = ConfigError::read(path)?;
        Rules::parse_for(&text, &path.display().to_string(), tags, config)
    }

    /// The rules a configuration asks for: its rules file or the built-in one, the files it
    /// extends them with, its disabled rules and severities, checked against its thresholds.
    pub fn configured(config: &Config, tags: &[String]) -> Result<Rules, ConfigError> {
        let mut rules = match &config.handling {
            Some(p) => Rules::load_for(p, tags, config)?,
            None => Rules::parse_for(BUILT_IN, "built-in rules/handling.toml", tags, config)?,
        };
        rules.check_thresholds(config)?;
        for path in &config.extend {
            let more = Rules::load_for(path, tags, config)?;
            more.check_thresholds(config)?;
            rules.digest = format!("{}+{}", rules.digest, more.digest);
            for r in more.rules {
                if rules.get(&r.id).is_some() {
                    return Err(ConfigError::in_file(
                        &more.origin,
                        &r.id,
                        "id",
                        format!("already defined in {}", rules.origin),
                    ));
                }
                rules.rules.push(r);
            }
        }
        let err = |field: String, message: String| {
            ConfigError::in_file(&config.origin, "rules", &field, message)
        };
        for id in &config.disable {
            let rule = rules
                .get_mut(id)
                .ok_or_else(|| err(format!("disable ({id})"), format!("no rule {id:?}")))?;
            rule.severity = Severity::Off;
        }
        for (id, severity) in &config.severity {
            let rule = rules
                .get_mut(id)
                .ok_or_else(|| err(format!("severity.{id}"), format!("no rule {id:?}")))?;
            rule.severity = *severity;
        }
        Ok(rules)
    }

    /// Every threshold a rule names must be in the configuration.
    fn check_thresholds(&self, config: &Config) -> Result<(), ConfigError> {
        for r in &self.rules {
            if let Some(DetectionsWhen {
                min: Min::Threshold(name),
                ..
            }) = &r.when.detections
                && !config.thresholds.contains_key(name)
            {
                return Err(ConfigError::in_file(
                    &self.origin,
                    &r.id,
                    "when.detections.min",
                    format!(
                        "no threshold {name:?} in the configuration (known: {})",
                        config
                            .thresholds
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Parses and validates rules. `tags` are the lexicon tags the detectors in use know
    /// (empty: do not check tag names). An error names the file, the rule and the field.
    pub fn parse(text: &str, origin: &str, tags: &[String]) -> Result<Rules, ConfigError> {
        Rules::parse_for(text, origin, tags, &Config::built_in())
    }

    /// [`parse`](Rules::parse), the rules to be judged with `config`.
    fn parse_for(
        text: &str,
        origin: &str,
        tags: &[String],
        config: &Config,
    ) -> Result<Rules, ConfigError> {
        let err = |item: &str, field: &str, message: String| {
            ConfigError::in_file(origin, item, field, message)
        };
        let mut file: FileToml = crate::model::data::from_toml(text)
            .map_err(|e| err("", "", crate::labels::catalogue::toml_message(&e, text)))?;
        let mut seen = BTreeSet::new();
        for r in &mut file.rule {
            let id = r.id.clone();
            if !seen.insert(id.clone()) {
                return Err(err(&id, "id", "defined twice".into()));
            }
            if r.require.is_some() && r.required().is_none() {
                return Err(err(
                    &id,
                    "require",
                    "not a class (apen, intern, beskyttet, strengt-beskyttet)".into(),
                ));
            }
            validate(&mut r.when, "when", tags).map_err(|(f, m)| err(&id, &f, m))?;
            if let Some(m) = &mut r.milder_when {
                validate(m, "milder_when", tags).map_err(|(f, m)| err(&id, &f, m))?;
            }
        }
        Ok(Rules {
            rules: file.rule,
            origin: origin.to_string(),
            config: config.clone(),
            digest: crate::model::data::digest(text),
        })
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut Rule> {
        self.rules
            .iter_mut()
            .find(|r| r.id.eq_ignore_ascii_case(id))
    }
}

/// Checks a `when` table against the closed sets of values; compiles its path globs.
/// An error is (field, message).
fn validate(w: &mut When, at: &str, tags: &[String]) -> Result<(), (String, String)> {
    let field = |f: &str| format!("{at}.{f}");
    let check = |f: &str, values: &Option<Vec<String>>, known: &[&str]| {
        for v in values.iter().flatten() {
            if !known.contains(&v.to_lowercase().as_str()) && !known.contains(&v.as_str()) {
                return Err((
                    field(f),
                    format!("unknown value {v:?} (known: {})", known.join(", ")),
                ));
            }
        }
        Ok(())
    };
    check("label_status", &w.label_status, STATUSES)?;
    check("encryption", &w.encryption, ENCRYPTION)?;
    check("content_bits", &w.content_bits, CONTENT_BITS)?;
    check("not_content_bits", &w.not_content_bits, CONTENT_BITS)?;
    check("hidden", &w.hidden, HIDDEN)?;
    check("metadata", &w.metadata, METADATA)?;
    check("format", &w.format, FORMATS)?;
    check("label_method", &w.label_method, METHODS)?;
    check("marking", &w.marking, MARKING)?;
    check(
        "destination_kind",
        &w.destination_kind,
        crate::config::DESTINATION_KINDS,
    )?;
    let classes = [
        ("label_class", w.label_class.clone().unwrap_or_default()),
        ("label_below", w.label_below.iter().cloned().collect()),
        (
            "required_at_least",
            w.required_at_least.iter().cloned().collect(),
        ),
        ("class_at_least", w.class_at_least.iter().cloned().collect()),
        (
            "destination_max_below",
            w.destination_max_below.iter().cloned().collect(),
        ),
    ];
    for (f, values) in classes {
        for c in values {
            if Class::parse(&c).is_none() {
                return Err((field(f), format!("{c:?} is not a class")));
            }
        }
    }
    if let Some(d) = &w.detections {
        for x in &d.detectors {
            if crate::model::DetectorId::parse(x).is_none() {
                return Err((
                    field("detections.detectors"),
                    format!("unknown detector id {x:?} (known: {})", detect::known_ids()),
                ));
            }
        }
        for f in &d.flags {
            if !FLAGS.contains(&f.as_str()) {
                return Err((
                    field("detections.flags"),
                    format!("unknown flag {f:?} (known: {})", FLAGS.join(", ")),
                ));
            }
        }
    }
    if !tags.is_empty() {
        for (f, list) in [("tags", &w.tags), ("not_tags", &w.not_tags)] {
            for t in list.iter().flatten() {
                if !tags.contains(t) {
                    return Err((
                        field(f),
                        format!("unknown tag {t:?} (known: {})", tags.join(", ")),
                    ));
                }
            }
        }
    }
    if let Some(paths) = &w.path {
        let mut set = globset::GlobSetBuilder::new();
        for (i, p) in paths.iter().enumerate() {
            set.add(
                crate::config::glob(p)
                    .map_err(|e| (field(&format!("path[{i}]")), e.to_string()))?,
            );
        }
        w.path_globs = Some(set.build().map_err(|e| (field("path"), e.to_string()))?);
    }
    Ok(())
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
        let e = Rules::parse(&bad, "h.toml", &detect::Detectors::built_in().tag_names())
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("PII-03: field `when.tags`: unknown tag \"helsa\""),
            "{e}"
        );
    }

    #[test]
    fn format_path_and_tag_conditions() {
        let text = r#"
[[rule]]
id = "OSLO-01"
severity = "warning"
require = "beskyttet"
summary = "s"
summary_en = "s"
explain = "e"
explain_en = "e"
message = "Barnevern-regneark merket {label}"
message_en = "m"
[rule.when]
format = ["xlsx"]
path = ["**/barnevern/**"]
not_tags = ["gradert"]
"#;
        let rules = Rules::parse(text, "r.toml", &[]).unwrap();
        use crate::model::{Format, LabelStatus, Protection};
        use crate::verdict::seen::Seen;
        use crate::verdict::{Context, Subject};
        let judge = |path: &str, format, tag: Option<&str>| {
            let mut tags = std::collections::BTreeMap::new();
            if let Some(t) = tag {
                tags.insert(t.to_string(), 1);
            }
            let seen = Seen::default();
            let subject = Subject {
                path,
                format,
                encryption: Protection::None,
                labels: &[],
                label: None,
                label_status: LabelStatus::Unlabelled,
                detections: &[],
                tags: &tags,
                embedded: false,
                complete: true,
                seen: &seen,
            };
            let v = rules.judge(&subject, &Context::default());
            (v.findings.len(), v.required_class)
        };
        assert_eq!(
            judge("/srv/Barnevern/liste.xlsx", Format::Xlsx, None),
            (1, Some(Class::Beskyttet))
        );
        assert_eq!(judge("/srv/Barnevern/liste.docx", Format::Docx, None).0, 0);
        assert_eq!(judge("/srv/skole/liste.xlsx", Format::Xlsx, None).0, 0);
        assert_eq!(
            judge("/srv/Barnevern/liste.xlsx", Format::Xlsx, Some("gradert")).0,
            0
        );
        let bad = text.replace("**/barnevern/**", "a[");
        let e = Rules::parse(&bad, "r.toml", &[]).err().unwrap().to_string();
        assert!(
            e.starts_with("r.toml: OSLO-01: field `when.path[0]`"),
            "{e}"
        );
    }
}
