//! The verdict on one file: the rules judge typed facts about it (its format, labels,
//! detections, what its text held) and the context it is judged in (a destination, the
//! baseline), and return the class its content requires, why, and the findings.

use super::facts::Facts;
use super::message::message;
use super::rules::{Min, Rule, Rules, When};
use super::seen::Seen;
use super::subject::{Context, Subject};
use crate::config::Config;
use crate::model::{
    Class, Detection, Kind, Location, LocationKind, RequiredBy, Requirement, Severity,
};

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
    /// Where the rule's condition held: of the first detection's places the first that
    /// satisfies the rule's flags (the hidden cell for HID-01, the comment for HID-02); for
    /// a rule on what the text held (META-01, META-02) where the first of it was.
    pub location: Option<Location>,
    /// The other places the matched detections were found where the condition holds, or
    /// the first place of each other thing the rule names.
    pub also_at: Vec<Location>,
}

/// At most this many other places per finding (a detection keeps its own full list).
const ALSO_AT: usize = 20;

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
                    location: matched
                        .first()
                        .and_then(|d| places(d, flags_of(&rule.when)).next().cloned()),
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
            if let (Some(m), Some(milder)) = (&rule.milder_when, rule.milder_severity())
                && content_holds(m, report, seen, &self.config).is_some()
                && facts.hold(m)
            {
                severity = milder;
            }
            let flags = flags_of(&rule.when);
            let mut places: Box<dyn Iterator<Item = &Location>> =
                Box::new(matched.iter().flat_map(|d| places(d, flags)));
            if matched.is_empty() {
                // A rule on what the text held (comments, hidden sheets, properties) points
                // at where each first was, in the order the rule names them.
                let names = rule.when.hidden.iter().chain(&rule.when.metadata).flatten();
                places = Box::new(names.filter_map(|n| seen.first_at.get(n)));
            }
            let location = places.next().cloned();
            let also_at = places
                .filter(|l| Some(*l) != location.as_ref())
                .take(ALSO_AT)
                .cloned()
                .collect();
            findings.push(Judged {
                rule,
                severity,
                message: message(rule, cx.lang, report, &matched, location.as_ref(), &facts),
                detection: matched.first().copied(),
                location,
                also_at,
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
    places(d, flags).next().is_some()
}

/// The flags a rule's detection condition asks for (none: any place).
fn flags_of(w: &When) -> &[String] {
    w.detections.as_ref().map_or(&[], |d| &d.flags)
}

/// A detection's places (its best one first) where one of `flags` holds; all of them
/// when `flags` is empty. A finding points at the first: the place that triggered it.
fn places<'d>(d: &'d Detection, flags: &'d [String]) -> impl Iterator<Item = &'d Location> {
    std::iter::once(&d.location)
        .chain(&d.also_at)
        .filter(move |l| {
            flags.is_empty()
                || l.flags.names().any(|f| flags.iter().any(|x| x == f))
                || (l.kind == LocationKind::Place(Kind::FileName)
                    && flags.iter().any(|x| x == "file-name"))
        })
}
