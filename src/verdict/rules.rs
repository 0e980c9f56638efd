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
    pub milder_when: Option<Box<When>>,
    /// From the built-in rules: its explanation is in `data::HANDLING_EXPLAIN`.
    #[serde(skip)]
    built_in: bool,
}

/// A built-in rule's explanation (empty for an id it does not have).
fn built_in_explain(id: &str, lang: Lang) -> &'static str {
    let texts = crate::model::data::HANDLING_EXPLAIN.iter();
    texts
        .filter(|(of, ..)| *of == id)
        .map(|&(_, nb, en)| match lang {
            Lang::Nb => nb,
            Lang::En => en,
        })
        .next()
        .unwrap_or("")
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
        let text = match lang {
            Lang::Nb => &self.explain,
            Lang::En => &self.explain_en,
        };
        match self.built_in {
            true => built_in_explain(&self.id, lang),
            false => text,
        }
        .trim()
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
        let (rules, digest) = Rules::load_file(path, tags)?;
        Ok(Rules {
            rules,
            origin: path.display().to_string(),
            config: Config::built_in(),
            digest,
        })
    }

    fn load_file(path: &Path, tags: &[String]) -> Result<(Vec<Rule>, String), ConfigError> {
        let text = ConfigError::read(path)?;
        Rules::file(&text, &path.display().to_string(), tags)
    }

    /// The rules a configuration asks for: its rules file or the built-in one, the files it
    /// extends them with, its disabled rules and severities, checked against its thresholds.
    pub fn configured(config: Config, tags: &[String]) -> Result<Rules, ConfigError> {
        let (origin, (list, digest)) = match &config.handling {
            Some(p) => (p.display().to_string(), Rules::load_file(p, tags)?),
            None => {
                let origin = "built-in rules/handling.toml";
                (origin.to_string(), Rules::file(BUILT_IN, origin, tags)?)
            }
        };
        check_thresholds(&list, &origin, &config)?;
        let mut rules = Rules {
            rules: list,
            origin,
            digest,
            config,
        };
        for path in &rules.config.extend {
            let (more, digest) = Rules::load_file(path, tags)?;
            let more_origin = path.display().to_string();
            check_thresholds(&more, &more_origin, &rules.config)?;
            rules.digest = format!("{}+{digest}", rules.digest);
            for r in more {
                if rules
                    .rules
                    .iter()
                    .any(|known| known.id.eq_ignore_ascii_case(&r.id))
                {
                    return Err(ConfigError::in_file(
                        &more_origin,
                        &r.id,
                        "id",
                        format!("already defined in {}", rules.origin),
                    ));
                }
                rules.rules.push(r);
            }
        }
        let config = &rules.config;
        let err = |field: String, message: String| {
            ConfigError::in_file(&config.origin, "rules", &field, message)
        };
        let mut set = |id: &str, field: String, severity: Severity| {
            let rule = rules
                .rules
                .iter_mut()
                .find(|r| r.id.eq_ignore_ascii_case(id))
                .ok_or_else(|| err(field, format!("no rule {id:?}")))?;
            rule.severity = severity;
            Ok::<_, ConfigError>(())
        };
        for id in &config.disable {
            set(id, format!("disable ({id})"), Severity::Off)?;
        }
        for (id, severity) in &config.severity {
            set(id, format!("severity.{id}"), *severity)?;
        }
        Ok(rules)
    }

    /// Parses and validates rules. `tags` are the lexicon tags the detectors in use know
    /// (empty: do not check tag names). An error names the file, the rule and the field.
    pub fn parse(text: &str, origin: &str, tags: &[String]) -> Result<Rules, ConfigError> {
        let (rules, digest) = Rules::file(text, origin, tags)?;
        Ok(Rules {
            rules,
            origin: origin.to_string(),
            config: Config::built_in(),
            digest,
        })
    }

    /// A rules file's rules, validated, and its digest.
    fn file(text: &str, origin: &str, tags: &[String]) -> Result<(Vec<Rule>, String), ConfigError> {
        let err = |item: &str, field: &str, message: String| {
            ConfigError::in_file(origin, item, field, message)
        };
        let mut file: FileToml = crate::model::data::from_toml(text)
            .map_err(|e| err("", "", crate::labels::catalogue::toml_message(&e, text)))?;
        let mut seen = BTreeSet::new();
        let built_in = crate::model::data::is_built_in(text);
        for r in &mut file.rule {
            r.built_in = built_in;
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
        Ok((file.rule, crate::model::data::digest(text)))
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }
}

/// Every threshold a rule names must be in the configuration.
fn check_thresholds(rules: &[Rule], origin: &str, config: &Config) -> Result<(), ConfigError> {
    for r in rules {
        if let Some(DetectionsWhen {
            min: Min::Threshold(name),
            ..
        }) = &r.when.detections
            && !config.thresholds.contains_key(name)
        {
            return Err(ConfigError::in_file(
                origin,
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
