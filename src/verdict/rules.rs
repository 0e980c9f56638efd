//! Handling rules as data (`rules/handling.toml`): each rule's conditions over a closed set
//! of facts about a file, the class its content demands, and texts in Norwegian and English
//! that explain it. The verdict per file: the class the content requires, and why, and the
//! findings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use globset::GlobSet;
use serde::Deserialize;

use crate::labels::catalogue::Catalogue;

use crate::config::Config;
use crate::detect;
use crate::model::{
    Class, ConfigError, Detection, FileResult, Finding, Flags, Kind, LabelStatus, Lang, Location,
    LocationKind, Protection, RequiredBy, Requirement, Severity, Tenant,
};

/// The built-in rules file.
pub const BUILT_IN: &str = include_str!("../../rules/handling.toml");

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
    not_tags: Option<Vec<String>>,
    hidden: Option<Vec<String>>,
    metadata: Option<Vec<String>>,
    embedded: Option<bool>,
    format: Option<Vec<String>>,
    path: Option<Vec<String>>,
    #[serde(skip)]
    path_globs: Option<GlobSet>,
    label_method: Option<Vec<String>>,
    label_conflict: Option<bool>,
    downgraded: Option<bool>,
    required_at_least: Option<String>,
    required_above_label: Option<bool>,
    class_at_least: Option<String>,
    marking: Option<Vec<String>>,
    destination_known: Option<bool>,
    destination_exceeded: Option<bool>,
    destination_kind: Option<Vec<String>>,
    destination_max_below: Option<String>,
    strict_allowed: Option<bool>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
struct DetectionsWhen {
    detectors: Vec<String>,
    #[serde(default)]
    min: Min,
    #[serde(default)]
    flags: Vec<String>,
}

/// A count: a number, or the name of a threshold in the configuration.
#[derive(Deserialize, Clone, Debug)]
#[serde(untagged)]
enum Min {
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
const METADATA: &[&str] = &[
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

/// What a file's text held besides detections, gathered while it was read.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    /// Every flag some text carried.
    pub flags: Flags,
    /// Properties with a value: creator, lastModifiedBy, Company, Manager, Template, and
    /// `custom` for any custom property that is not a label's.
    pub metadata: BTreeSet<String>,
    /// Text where a content marking can be: headers, footers, watermarks (Word), header and
    /// footer strings (Excel), masters and layouts (PowerPoint); and the marking properties
    /// Office writes (`ClassificationContentMarkingHeaderText`, …).
    pub marks: Marks,
    /// The people named as author and last editor, to tell a marking that names them.
    people: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Marks {
    pub header: String,
    pub footer: String,
    pub watermark: String,
    /// PowerPoint masters and layouts, where a marking may be any of the three.
    pub slides: String,
    /// Marking properties by name.
    pub properties: BTreeMap<String, String>,
    /// Characters of header plus footer per Excel sheet.
    pub excel: BTreeMap<Arc<str>, usize>,
}

/// Marking text kept per place: enough for any marking, bounded for odd files.
const MARK_TEXT_MAX: usize = 64 * 1024;

fn keep(into: &mut String, text: &str) {
    if into.len() + text.len() < MARK_TEXT_MAX {
        into.push_str(text);
        into.push('\n');
    }
}

impl Seen {
    /// Takes note of a batch of text.
    pub fn batch(&mut self, b: &crate::read::text::Batch) {
        use crate::model::Kind;
        use crate::read::text::Place;
        if let Some(f) = b.passed_over {
            self.flags |= b.flags | f;
        }
        for p in b.pieces {
            self.flags |= b.flags | p.whole_flags();
            for s in &p.spans {
                self.flags |= s.flags;
            }
            if b.flags.contains(Flags::EMBEDDED) {
                continue;
            }
            match p.kind {
                Kind::Header | Kind::Footer => {
                    if let Place::Named(_) = p.place {
                        *self.marks.excel.entry(p.area.clone()).or_default() +=
                            p.text.chars().count();
                    }
                    let into = if p.kind == Kind::Header {
                        &mut self.marks.header
                    } else {
                        &mut self.marks.footer
                    };
                    keep(into, &p.text);
                }
                Kind::Watermark => keep(&mut self.marks.watermark, &p.text),
                Kind::Master | Kind::Layout => keep(&mut self.marks.slides, &p.text),
                _ => {}
            }
            if let Place::Named(name) = &p.place
                && let Some(prop) = name.strip_prefix("egenskap ")
            {
                if let Some(custom) = prop.strip_prefix('«').and_then(|n| n.strip_suffix('»')) {
                    if custom.starts_with("Classification") {
                        if custom.ends_with("Text") && self.marks.properties.len() < 16 {
                            self.marks
                                .properties
                                .insert(custom.to_string(), p.text.to_string());
                        }
                    } else {
                        self.metadata.insert("custom".into());
                    }
                } else if METADATA.contains(&prop) {
                    self.metadata.insert(prop.to_string());
                    if matches!(prop, "creator" | "lastModifiedBy")
                        && p.text.trim().chars().count() >= 3
                        && self.people.len() < 8
                    {
                        self.people.push(p.text.trim().to_lowercase());
                    }
                }
            }
        }
    }
}

/// The rules, ready to judge files, with the configuration they read.
pub struct Rules {
    pub rules: Vec<Rule>,
    pub origin: String,
    pub config: Config,
    /// A hash of the rules files' text (see `Engine::fingerprint`).
    pub digest: String,
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

impl Rules {
    pub fn built_in() -> Rules {
        Rules::parse(BUILT_IN, "built-in rules/handling.toml", &[]).expect("built-in rules")
    }

    pub fn load(path: &Path, tags: &[String]) -> Result<Rules, ConfigError> {
        let text = ConfigError::read(path)?;
        Rules::parse(&text, &path.display().to_string(), tags)
    }

    /// The rules a configuration asks for: its rules file or the built-in one, the files it
    /// extends them with, its disabled rules and severities, checked against its thresholds.
    pub fn configured(config: &Config, tags: &[String]) -> Result<Rules, ConfigError> {
        let mut rules = match &config.handling {
            Some(p) => Rules::load(p, tags)?,
            None => Rules::parse(BUILT_IN, "built-in rules/handling.toml", tags)?,
        };
        rules.check_thresholds(config)?;
        for path in &config.extend {
            let more = Rules::load(path, tags)?;
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
        rules.config = config.clone();
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
        let err = |item: &str, field: &str, message: String| {
            ConfigError::in_file(origin, item, field, message)
        };
        let mut file: FileToml = toml::from_str(text)
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
            config: Config::built_in(),
            digest: blake3::hash(text.as_bytes()).to_hex()[..16].to_string(),
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

    /// Judges one file: fills in its required class, the rules that set it, and findings.
    /// First the content decides the required class; then the label, encryption, marking
    /// and destination conditions decide which rules are broken.
    pub fn judge(&self, report: &mut FileResult, seen: &Seen, cx: &Context) {
        if report.format.is_none() {
            return;
        }
        let mut required: Option<Class> = None;
        let mut by = Vec::new();
        let mut reasons = Vec::new();
        let mut held = Vec::new();
        for rule in &self.rules {
            if rule.severity == Severity::Off {
                continue;
            }
            let Some(matched) = content_holds(&rule.when, report, seen, &self.config) else {
                continue;
            };
            if let Some(class) = rule.required() {
                required = required.max(Some(class));
                by.push(RequiredBy {
                    rule: rule.id.clone(),
                    class,
                });
                let mut detectors = Vec::new();
                for d in &matched {
                    if !detectors.contains(&d.detector) {
                        detectors.push(d.detector);
                    }
                }
                reasons.push(Requirement {
                    rule: rule.id.clone(),
                    class,
                    count: matched.len(),
                    detectors,
                    tags: rule
                        .when
                        .tags
                        .iter()
                        .flatten()
                        .filter(|t| report.tags.contains_key(*t))
                        .cloned()
                        .collect(),
                    location: matched.first().map(|d| d.location.clone()),
                });
            }
            held.push((rule, matched));
        }
        let facts = Facts::of(report, seen, cx, required, &self.config);
        let mut findings = Vec::new();
        for (rule, matched) in held {
            if !facts.hold(&rule.when) {
                continue;
            }
            let mut severity = rule.severity;
            if let Some(m) = &rule.milder_when
                && content_holds(m, report, seen, &self.config).is_some()
                && facts.hold(m)
            {
                severity = match severity {
                    Severity::Error => Severity::Warning,
                    _ => Severity::Info,
                };
            }
            findings.push(Finding {
                rule: rule.id.clone(),
                severity,
                message: message(rule, cx.lang, report, &matched, &facts),
                location: matched.first().map(|d| d.location.clone()),
                fingerprint: String::new(),
                suppressed: None,
            });
        }
        report.required_class = required;
        report.required_by = by;
        report.required_reasons = reasons;
        report.findings = findings;
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
            set.add(crate::config::glob(p).map_err(|e| (field(&format!("path[{i}]")), e))?);
        }
        w.path_globs = Some(set.build().map_err(|e| (field("path"), e.to_string()))?);
    }
    Ok(())
}

/// The detections a rule's detection condition matched (empty when it has none), or `None`
/// when a content condition fails.
fn content_holds<'r>(
    w: &When,
    r: &'r FileResult,
    seen: &Seen,
    config: &Config,
) -> Option<Vec<&'r Detection>> {
    let mut matched = Vec::new();
    if let Some(d) = &w.detections {
        matched = r
            .detections
            .iter()
            .filter(|x| d.detectors.iter().any(|id| id == x.detector.id()))
            .filter(|x| d.flags.is_empty() || flagged(x, &d.flags))
            .collect();
        let min = match &d.min {
            Min::Count(n) => *n,
            Min::Threshold(name) => config.thresholds.get(name).copied().unwrap_or(1),
        };
        if matched.len() < min {
            return None;
        }
    }
    if let Some(tags) = &w.tags
        && !tags.iter().any(|t| r.tags.contains_key(t))
    {
        return None;
    }
    if let Some(tags) = &w.not_tags
        && tags.iter().any(|t| r.tags.contains_key(t))
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
    if let Some(formats) = &w.format
        && !r
            .format
            .is_some_and(|f| formats.iter().any(|x| x.eq_ignore_ascii_case(f.name())))
    {
        return None;
    }
    if let Some(globs) = &w.path_globs
        && !globs.is_match(r.path.replace('\\', "/"))
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
                || (l.kind == LocationKind::Place(Kind::FileName)
                    && flags.iter().any(|x| x == "file-name"))
        })
}

/// Facts about a file beyond its content: label, encryption, marking, destination.
struct Facts<'a> {
    report: &'a FileResult,
    class: Option<Class>,
    required: Option<Class>,
    marking: MarkingFacts,
    destination: Option<&'a crate::config::Destination>,
    destination_known: bool,
    strict_allowed: bool,
    conflict: bool,
    downgraded: bool,
}

impl<'a> Facts<'a> {
    fn of(
        report: &'a FileResult,
        seen: &Seen,
        cx: &Context<'a>,
        required: Option<Class>,
        config: &'a Config,
    ) -> Facts<'a> {
        let class = report.label.as_ref().and_then(|l| l.class);
        let destination = cx.destination.and_then(|d| config.destination(d));
        Facts {
            report,
            class,
            required,
            marking: marking_facts(report, seen, cx.catalogue, config),
            destination,
            destination_known: cx.destination_given || destination.is_some(),
            strict_allowed: cx.destination.is_some_and(|d| config.strict_allowed(d)),
            conflict: label_conflict(report),
            downgraded: cx
                .previous_class
                .is_some_and(|before| class.is_none_or(|now| now < before)),
        }
    }

    fn hold(&self, w: &When) -> bool {
        let r = self.report;
        let class = self.class;
        let parse = |c: &Option<String>| c.as_deref().and_then(Class::parse);
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
        if let Some(below) = parse(&w.label_below)
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
        if let Some(m) = &w.label_method {
            let method = r.label.as_ref().and_then(|l| l.method.as_deref());
            if !method.is_some_and(|x| m.iter().any(|y| y.eq_ignore_ascii_case(x))) {
                return false;
            }
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
            let words = crate::model::content_bits_words(have);
            if !bits.iter().any(|b| words.iter().any(|w| w == b)) {
                return false;
            }
        }
        let effective = class.max(self.required);
        let at_least = |c: Option<Class>, min: &Option<String>| {
            parse(min).is_none_or(|m| c.is_some_and(|c| c >= m))
        };
        let checks = [
            w.label_conflict.is_none_or(|x| x == self.conflict),
            w.downgraded.is_none_or(|x| x == self.downgraded),
            at_least(self.required, &w.required_at_least),
            at_least(effective, &w.class_at_least),
            w.required_above_label
                .is_none_or(|x| x == (self.required > class)),
            w.marking
                .as_ref()
                .is_none_or(|m| m.iter().any(|x| self.marking.facts.contains(x.as_str()))),
            w.destination_known
                .is_none_or(|x| x == self.destination_known),
            w.destination_exceeded.is_none_or(|x| {
                let max = self.destination.and_then(|d| d.max_class);
                x == (effective.is_some() && max.is_some() && effective > max)
            }),
            w.destination_kind.as_ref().is_none_or(|kinds| {
                self.destination
                    .and_then(|d| d.kind.as_ref())
                    .is_some_and(|k| kinds.contains(k))
            }),
            parse(&w.destination_max_below).is_none_or(|c| {
                self.destination
                    .and_then(|d| d.max_class)
                    .is_some_and(|m| m < c)
            }),
            w.strict_allowed.is_none_or(|x| x == self.strict_allowed),
        ];
        checks.into_iter().all(|c| c)
    }
}

/// Several own-tenant labels in force, or a LabelInfo label and an `MSIP_Label_*` property
/// set of the own tenant that name different labels.
fn label_conflict(r: &FileResult) -> bool {
    let own: Vec<_> = r
        .labels
        .iter()
        .filter(|l| l.tenant == Tenant::Own)
        .collect();
    let active = own.iter().filter(|l| l.found.is_active()).count();
    let label = r.label.as_ref().map(|l| l.id.as_str());
    active > 1
        || own.iter().any(|l| {
            l.found.superseded
                && l.found.enabled != Some(false)
                && Some(l.found.id.as_str()) != label
        })
}

/// The marking facts of a file (`missing`, `required-missing`, `higher`, `lower`,
/// `grade-words`, `too-long`, `personal`) and the highest class a marking names.
fn marking_facts(
    r: &FileResult,
    seen: &Seen,
    catalogue: Option<&Catalogue>,
    config: &Config,
) -> MarkingFacts {
    let mut facts = BTreeSet::new();
    let mut missing = Vec::new();
    let mut required_missing = Vec::new();
    // Encrypted, legacy and binary files: their text, and so their marking, was not read;
    // a partial result may have stopped before it.
    let name = r.format.map_or("ooxml", |f| f.name());
    if matches!(name, "ooxml" | "doc" | "xls" | "ppt" | "xlsb") || r.error.is_some() {
        return MarkingFacts::default();
    }
    let m = &seen.marks;
    let family = &name[..1];
    // Each place's text made comparable once: lowercase, whitespace runs as one space.
    let [header, footer, watermark, slides] =
        [&m.header, &m.footer, &m.watermark, &m.slides].map(|t| normal(t));
    let place = |mark: &str| -> &str {
        match mark {
            _ if family == "p" => &slides,
            "header" => &header,
            "footer" => &footer,
            _ => &watermark,
        }
    };
    let all = normal(
        &[&header, &footer, &watermark, &slides]
            .map(|t| t.as_str())
            .join(" "),
    );
    let named = |text: &str| -> Option<Class> {
        let mut best = classes_named(text);
        for l in catalogue.iter().flat_map(|c| c.labels()) {
            for t in [&l.marking.header, &l.marking.footer, &l.marking.watermark]
                .into_iter()
                .flatten()
            {
                if contains_words(text, t) {
                    best = best.max(l.class);
                }
            }
        }
        best
    };
    // What the marking texts name, and what the marking properties Office wrote name.
    let in_text = named(&all);
    let in_properties: Vec<Class> = m
        .properties
        .values()
        .filter_map(|v| named(&normal(v)))
        .collect();
    let marked = in_text.max(in_properties.iter().copied().max());
    if ["begrenset", "konfidensielt", "hemmelig"]
        .iter()
        .any(|w| contains_words(&all, w))
    {
        facts.insert("grade-words");
    }
    if seen.people.iter().any(|p| contains_words(&all, p)) {
        facts.insert("personal");
    }
    let excel = family == "x";
    if excel && m.excel.values().any(|&n| n > config.excel_max_chars) {
        facts.insert("too-long");
    }
    let Some(label) = &r.label else {
        return MarkingFacts {
            facts,
            marked,
            ..MarkingFacts::default()
        };
    };
    let entry = catalogue.and_then(|c| c.get(&label.id));
    let class = label.class;
    let expected = |mark: &str| -> Option<String> {
        let from_catalogue = entry.and_then(|e| match mark {
            "header" => e.marking.header.clone(),
            "footer" => e.marking.footer.clone(),
            _ => e.marking.watermark.clone(),
        });
        from_catalogue
            .or_else(|| class.map(|c| c.name().to_string()))
            .filter(|t| !t.trim().is_empty())
    };
    let applies = |mark: &str| !(excel && mark == "watermark");
    let found = |mark: &str, text: &str| contains_words(place(mark), text);
    // What the label says it marks: contentBits, or the catalogue's marking texts.
    let bits = crate::model::content_bits_words(label.content_bits.unwrap_or(0));
    let mut promised = BTreeSet::new();
    for mark in crate::config::MARKS {
        let in_catalogue = entry.is_some_and(|e| match *mark {
            "header" => e.marking.header.is_some(),
            "footer" => e.marking.footer.is_some(),
            _ => e.marking.watermark.is_some(),
        });
        if (bits.contains(mark) || in_catalogue) && applies(mark) {
            promised.insert(*mark);
            if let Some(t) = expected(mark)
                && !found(mark, &t)
            {
                facts.insert("missing");
                missing.push((*mark, t));
            }
        }
    }
    if let Some(c) = class {
        for mark in config.marking.get(&c).into_iter().flatten() {
            if !promised.contains(mark)
                && applies(mark)
                && let Some(t) = expected(mark)
                && !found(mark, &t)
            {
                facts.insert("required-missing");
                required_missing.push((*mark, t));
            }
        }
        if excel && let Some(e) = entry {
            let total = e.marking.header.as_ref().map_or(0, |t| t.chars().count())
                + e.marking.footer.as_ref().map_or(0, |t| t.chars().count());
            if total > config.excel_max_chars {
                facts.insert("too-long");
            }
        }
        if marked.is_some_and(|mc| mc > c) {
            facts.insert("higher");
        }
        if in_text.is_some_and(|mc| mc < c) || in_properties.iter().any(|&pc| pc < c) {
            facts.insert("lower");
        }
    }
    MarkingFacts {
        facts,
        marked,
        missing,
        required_missing,
    }
}

#[derive(Default)]
struct MarkingFacts {
    facts: BTreeSet<&'static str>,
    /// The highest class a marking names.
    marked: Option<Class>,
    /// Marks the label promises, and the configuration demands, that are not there:
    /// (mark, expected text).
    missing: Vec<(&'static str, String)>,
    required_missing: Vec<(&'static str, String)>,
}

/// `bunntekst «Intern», vannmerke «STRENGT BESKYTTET»`.
fn marks_text(marks: &[(&str, String)], lang: Lang) -> String {
    let name = |m: &str| match (lang, m) {
        (Lang::Nb, "header") => "topptekst",
        (Lang::Nb, "footer") => "bunntekst",
        (Lang::Nb, _) => "vannmerke",
        (Lang::En, "header") => "header",
        (Lang::En, "footer") => "footer",
        (Lang::En, _) => "watermark",
    };
    marks
        .iter()
        .map(|(m, t)| format!("{} «{t}»", name(m)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The highest class whose name stands as words in `text` (made `normal`).
fn classes_named(text: &str) -> Option<Class> {
    if contains_words(text, "strengt beskyttet") {
        return Some(Class::StrengtBeskyttet);
    }
    [
        (Class::Beskyttet, "beskyttet"),
        (Class::Intern, "intern"),
        (Class::Apen, "åpen"),
    ]
    .into_iter()
    .find(|(_, w)| contains_words(text, w))
    .map(|(c, _)| c)
}

/// Text as markings are compared: lowercase, whitespace runs as one space.
fn normal(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether `needle`, made `normal`, occurs in `hay` (already `normal`) with no letter or
/// digit right before or after it.
fn contains_words(hay: &str, needle: &str) -> bool {
    let needle = normal(needle);
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(&needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn message(
    rule: &Rule,
    lang: Lang,
    r: &FileResult,
    matched: &[&Detection],
    facts: &Facts,
) -> String {
    let template = match lang {
        Lang::Nb => &rule.message,
        Lang::En => &rule.message_en,
    };
    let none = match lang {
        Lang::Nb => "ingen merking",
        Lang::En => "no label",
    };
    let label = r
        .label
        .as_ref()
        .and_then(|l| l.class)
        .map_or(none, Class::name);
    let mut what: Vec<&str> = matched.iter().map(|d| d.detector.id()).collect();
    what.dedup();
    let place = matched
        .first()
        .map(|d| format!("{}: {}", d.location.part, d.location.place))
        .unwrap_or_default();
    let destination = facts
        .destination
        .map_or(String::new(), |d| match d.max_class {
            Some(c) if lang == Lang::Nb => format!("{} (høyst {})", d.pattern, c.name()),
            Some(c) => format!("{} (at most {})", d.pattern, c.name()),
            None => d.pattern.clone(),
        });
    template
        .replace("{label}", label)
        .replace("{required}", rule.required().map_or("", Class::name))
        .replace("{required_class}", facts.required.map_or("", Class::name))
        .replace(
            "{class}",
            facts.class.max(facts.required).map_or(none, Class::name),
        )
        .replace("{marked}", facts.marking.marked.map_or("", Class::name))
        .replace("{missing}", &marks_text(&facts.marking.missing, lang))
        .replace(
            "{required_missing}",
            &marks_text(&facts.marking.required_missing, lang),
        )
        .replace("{destination}", &destination)
        .replace("{count}", &matched.len().to_string())
        .replace("{what}", &what.join(", "))
        .replace("{where}", &place)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passed_over_pieces_leave_their_flags_and_the_batch_s() {
        let batch = |passed_over| crate::read::text::Batch {
            part: "xl/worksheets/sheet2.xml",
            flags: Flags::HIDDEN_SHEET,
            pieces: &[],
            passed_over,
        };
        let mut seen = Seen::default();
        seen.batch(&batch(None));
        assert_eq!(seen.flags, Flags::NONE);
        seen.batch(&batch(Some(Flags::HIDDEN_COLUMN)));
        assert_eq!(seen.flags, Flags::HIDDEN_SHEET | Flags::HIDDEN_COLUMN);
    }

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
        let judge = |path: &str, format, tag: Option<&str>| {
            let mut r = FileResult::new(path.to_string());
            r.format = Some(format);
            if let Some(t) = tag {
                r.tags.insert(t.to_string(), 1);
            }
            rules.judge(&mut r, &Seen::default(), &Context::default());
            (r.findings.len(), r.required_class)
        };
        use crate::model::Format;
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
