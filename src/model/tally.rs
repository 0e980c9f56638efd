//! The summary's view for triage: findings per rule, and the files with the most severe
//! findings. Kept apart from the other counts of [`Summary`](super::Summary).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{FileResult, Masked, Severity};

/// How many files the summary names as the worst.
pub const WORST_FILES: usize = 10;

/// One rule's findings over a scan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleCount {
    /// The most severe of its findings (a rule may judge files at different severities).
    pub severity: Option<Severity>,
    /// Findings not accepted.
    pub count: usize,
    /// Findings a suppression or the baseline accepts.
    pub accepted: usize,
}

/// A file among those with the most severe findings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorstFile {
    pub path: Masked,
    /// Its most severe finding not accepted.
    pub severity: Severity,
    /// Its findings of that severity not accepted.
    pub count: usize,
    /// All its findings not accepted.
    pub findings: usize,
}

/// Counts a file's findings per rule and keeps it if it is among the worst.
pub fn tally(
    by_rule: &mut BTreeMap<String, RuleCount>,
    worst: &mut Vec<WorstFile>,
    f: &FileResult,
) {
    for x in &f.findings {
        let r = by_rule.entry(x.rule.clone()).or_default();
        if x.suppressed.is_some() {
            r.accepted += 1;
        } else {
            r.count += 1;
        }
        r.severity = r.severity.max(Some(x.severity));
    }
    let open = || f.findings.iter().filter(|x| x.suppressed.is_none());
    let Some(severity) = open().map(|x| x.severity).max() else {
        return;
    };
    worst.push(WorstFile {
        path: f.path.clone(),
        severity,
        count: open().filter(|x| x.severity == severity).count(),
        findings: open().count(),
    });
    // Most severe first, then most findings of it, then by path (the same whatever order
    // the files came in).
    worst.sort_by(|a, b| {
        (b.severity, b.count, b.findings)
            .cmp(&(a.severity, a.count, a.findings))
            .then_with(|| a.path.cmp(&b.path))
    });
    worst.truncate(WORST_FILES);
}

/// The rules with findings, most severe first, then most findings, then by id.
pub fn rules_in_order(by_rule: &BTreeMap<String, RuleCount>) -> Vec<(&String, &RuleCount)> {
    let mut v: Vec<_> = by_rule.iter().collect();
    v.sort_by(|(ai, a), (bi, b)| {
        (b.severity, b.count, b.accepted)
            .cmp(&(a.severity, a.count, a.accepted))
            .then_with(|| ai.cmp(bi))
    });
    v
}
