//! The verdict on one file: the rules judge typed facts about it (its format, labels,
//! detections, what its text held) and the context it is judged in (a destination, the
//! baseline), and return the class its content requires, why, and the findings.

use std::collections::BTreeMap;

use super::marking::{MarkingFacts, marking_facts};
use super::message::message;
use super::rules::{Min, Rule, Rules, When};
use super::seen::Seen;
use crate::config::{Config, Destination};
use crate::labels::catalogue::Catalogue;
use crate::model::{
    Class, Detection, EffectiveLabel, Format, Kind, LabelReport, LabelStatus, Lang, Location,
    LocationKind, Protection, RequiredBy, Requirement, Severity, Tenant,
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

/// The rules' verdict on a file.
#[derive(Debug, Default)]
pub struct Verdict<'a> {
    /// The class its content requires, if any rule demands one.
    pub required_class: Option<Class>,
    pub required_by: Vec<RequiredBy>,
    /// Why: per rule, the class, and the detections and sensitive domains it counted.
    pub required_reasons: Vec<Requirement>,
    pub findings: Vec<Judged<'a>>,
}

/// A rule the file breaks.
#[derive(Debug)]
pub struct Judged<'a> {
    pub rule: &'a Rule,
    pub severity: Severity,
    pub message: String,
    /// The first detection the rule matched, if the rule is about content.
    pub detection: Option<&'a Detection>,
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
    /// Judges one file: the class its content requires, the rules that set it, and the
    /// rules it breaks. First the content decides the required class; then the label,
    /// encryption, marking and destination conditions decide which rules are broken.
    pub fn judge<'a>(&'a self, subject: &Subject<'a>, cx: &Context) -> Verdict<'a> {
        let report = subject;
        let seen = subject.seen;
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
        let facts = Facts::of(*report, seen, cx, required, &self.config);
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
            findings.push(Judged {
                rule,
                severity,
                message: message(rule, cx.lang, report, &matched, &facts),
                detection: matched.first().copied(),
            });
        }
        Verdict {
            required_class: required,
            required_by: by,
            required_reasons: reasons,
            findings,
        }
    }
}

/// The detections a rule's detection condition matched (empty when it has none), or `None`
/// when a content condition fails.
fn content_holds<'r>(
    w: &When,
    r: &Subject<'r>,
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
        && embedded != r.embedded
    {
        return None;
    }
    if let Some(formats) = &w.format
        && !formats
            .iter()
            .any(|x| x.eq_ignore_ascii_case(r.format.name()))
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
pub(super) struct Facts<'a> {
    pub(super) report: Subject<'a>,
    pub(super) class: Option<Class>,
    pub(super) required: Option<Class>,
    pub(super) marking: MarkingFacts,
    pub(super) destination: Option<&'a Destination>,
    pub(super) destination_known: bool,
    pub(super) strict_allowed: bool,
    pub(super) conflict: bool,
    pub(super) downgraded: bool,
}

impl<'a> Facts<'a> {
    fn of(
        report: Subject<'a>,
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
            marking: marking_facts(&report, seen, cx.catalogue, config),
            destination,
            destination_known: cx.destination_given || destination.is_some(),
            strict_allowed: cx.destination.is_some_and(|d| config.strict_allowed(d)),
            conflict: label_conflict(&report),
            downgraded: cx
                .previous_class
                .is_some_and(|before| class.is_none_or(|now| now < before)),
        }
    }

    fn hold(&self, w: &When) -> bool {
        let r = &self.report;
        let class = self.class;
        let parse = |c: &Option<String>| c.as_deref().and_then(Class::parse);
        let status = Some(r.label_status.id());
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
            && !e.iter().any(|x| x == r.encryption.id())
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
fn label_conflict(r: &Subject) -> bool {
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
