//! The report per business (schema `o365lint/report/v1`): scan results aggregated per
//! business (virksomhet, bydel, etat) and in total, the files to fix first, ranked, and the
//! findings per rule. Every format (JSON, CSV, SARIF, HTML, Markdown) is written from one
//! [`Report`], so their numbers agree. Built from results one at a time: from a saved scan
//! or while scanning, without holding every file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{
    Class, FileResult, Finding, Lang, Location, Masked, Protection, RuleCount, Severity, Summary,
    Tool,
};
use crate::verdict::rules::Rules;

/// The JSON schema id of a report; fields are added, never renamed.
pub const SCHEMA: &str = "o365lint/report/v1";
/// The business of files the configuration maps to none: shown, never dropped.
pub const UNKNOWN: &str = "Ukjent";
/// Files to fix listed, at most (the report stays small whatever the share).
pub const FILES_TO_FIX: usize = 200;

/// Counts of one business (or of all): the scan's summary of its files, and what a manager
/// asks next.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Tally {
    /// The scan's counts over these files (files, read, not checked by reason, classes,
    /// label status, personal data by detector, findings by severity and by rule).
    #[serde(flatten)]
    pub summary: Summary,
    /// Files whose content requires a higher class than their label gives.
    pub under_labelled: usize,
    /// Of those, by the rule that requires the class, and by the class required.
    pub under_labelled_by_rule: BTreeMap<String, usize>,
    pub under_labelled_by_class: BTreeMap<String, usize>,
    /// Distinct values of possible personal data (summed over files), by detector.
    pub personal_data_values: BTreeMap<String, usize>,
    /// Labelled Beskyttet or Strengt beskyttet, and not encrypted.
    pub unencrypted_protected: usize,
    /// Files with a finding on hidden content (HID-*) or on the visual marking (MRK-*).
    pub hidden_content_breaches: usize,
    pub marking_breaches: usize,
}

impl Tally {
    /// Counts one file.
    pub fn add(&mut self, f: &FileResult) {
        self.summary.add(f);
        if f.skipped.is_some() || f.format.is_none() {
            return;
        }
        let class = f.label.as_ref().and_then(|l| l.class);
        if let Some(required) = f.required_class
            && class.is_none_or(|c| c < required)
        {
            self.under_labelled += 1;
            *self
                .under_labelled_by_class
                .entry(required.id().into())
                .or_default() += 1;
            for r in f.required_by.iter().filter(|r| r.class == required) {
                *self
                    .under_labelled_by_rule
                    .entry(r.rule.clone())
                    .or_default() += 1;
            }
        }
        for d in &f.detections {
            *self
                .personal_data_values
                .entry(d.detector.id().into())
                .or_default() += 1;
        }
        if class.is_some_and(|c| c >= Class::Beskyttet) && f.encryption == Some(Protection::None) {
            self.unencrypted_protected += 1;
        }
        let open = |prefix: &str| {
            f.findings
                .iter()
                .any(|x| x.suppressed.is_none() && x.rule.starts_with(prefix))
        };
        self.hidden_content_breaches += usize::from(open("HID-"));
        self.marking_breaches += usize::from(open("MRK-"));
    }

    /// Labelled files (own label in force), of those read.
    pub fn labelled(&self) -> usize {
        self.summary
            .by_label_status
            .get("labelled")
            .copied()
            .unwrap_or(0)
    }
}

/// One business and its counts.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Business {
    pub name: Masked,
    /// Whether this is where files the configuration maps to no business go.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
    #[serde(flatten)]
    pub tally: Tally,
}

/// A file among those to fix first, with why in one line and what to do.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileToFix {
    pub path: Masked,
    pub business: Masked,
    /// Its most severe open finding.
    pub severity: Severity,
    /// The class of its label, if it has one that counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<Class>,
    /// The class its content requires, if it requires one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_class: Option<Class>,
    /// How many classes the label is below what the content requires (0 when not below;
    /// an unlabelled file counts from below Åpen).
    pub gap: u8,
    /// Distinct values of possible personal data in it.
    pub personal_data: usize,
    /// The rule of its most severe finding, its message, and the rule's advice.
    pub rule: String,
    pub reason: Masked,
    pub advice: String,
    /// Its open findings.
    pub findings: Vec<Finding>,
}

impl FileToFix {
    /// The order of the list: most severe first, then the widest gap between label and
    /// content, then the most personal data, then by path.
    fn rank(&self) -> impl Ord + '_ {
        (
            std::cmp::Reverse(self.severity),
            std::cmp::Reverse(self.gap),
            std::cmp::Reverse(self.personal_data),
            self.path.as_str(),
        )
    }
}

/// A finding with the file and business it belongs to (for the CSV findings table and
/// SARIF).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FindingRow {
    pub path: Masked,
    /// The path from the scan root (see `FileResult::root_path`).
    pub root_path: Masked,
    pub business: Masked,
    #[serde(flatten)]
    pub finding: Finding,
}

/// A rule that has findings in the report: its texts in the report's language.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RuleInfo {
    pub id: String,
    pub severity: Severity,
    pub summary: String,
    /// What the rule checks and how to fix it.
    pub explain: String,
    /// The "how to fix" part of `explain`.
    pub advice: String,
    pub count: usize,
    pub accepted: usize,
}

/// The report per business.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Report {
    pub schema: String,
    pub tool: Tool,
    /// When the report was written (RFC 3339, UTC).
    pub generated: String,
    pub lang: Lang,
    /// What it was made from: saved scans (masked paths) or the paths scanned.
    pub sources: Vec<Masked>,
    pub total: Tally,
    /// Per business, by name; `Ukjent` last.
    pub businesses: Vec<Business>,
    /// The files to fix first, ranked (at most [`FILES_TO_FIX`]).
    pub files_to_fix: Vec<FileToFix>,
    /// Files with open findings, of which `files_to_fix` lists the first.
    pub files_with_findings: usize,
    /// The rules with findings, most severe first.
    pub rules: Vec<RuleInfo>,
    /// Every finding, open and accepted, when the format lists them (CSV, SARIF); not in
    /// the JSON report.
    #[serde(skip)]
    pub findings: Vec<FindingRow>,
}

/// Builds a [`Report`] from results one at a time.
pub struct Builder<'r> {
    rules: &'r Rules,
    lang: Lang,
    keep_findings: bool,
    total: Tally,
    /// The business files the configuration maps to none go to: [`UNKNOWN`], masked.
    unknown: Masked,
    businesses: BTreeMap<Masked, Tally>,
    to_fix: Vec<FileToFix>,
    with_findings: usize,
    findings: Vec<FindingRow>,
}

impl<'r> Builder<'r> {
    /// A builder taking the rules' texts in `lang`; `keep_findings` keeps every finding
    /// (for formats that list them). `unknown` is [`UNKNOWN`] as the masker gives it.
    pub fn new(rules: &'r Rules, lang: Lang, keep_findings: bool, unknown: Masked) -> Self {
        Builder {
            rules,
            lang,
            keep_findings,
            total: Tally::default(),
            unknown,
            businesses: BTreeMap::new(),
            to_fix: Vec::new(),
            with_findings: 0,
            findings: Vec::new(),
        }
    }

    /// Counts one file, under `mapped` (masked) if the scan mapped it to no business, under
    /// Ukjent if neither did.
    pub fn add(&mut self, f: &FileResult, mapped: Option<Masked>) {
        let business = f
            .business
            .clone()
            .or(mapped)
            .unwrap_or_else(|| self.unknown.clone());
        self.total.add(f);
        self.businesses.entry(business.clone()).or_default().add(f);
        if self.keep_findings {
            self.findings.extend(f.findings.iter().map(|x| FindingRow {
                path: f.path.clone(),
                root_path: f.root_path.clone(),
                business: business.clone(),
                finding: x.clone(),
            }));
        }
        let open: Vec<&Finding> = f
            .findings
            .iter()
            .filter(|x| x.suppressed.is_none())
            .collect();
        // The most severe; of those, one whose rule sets the class the content requires
        // (that is what raising the label fixes), else the first.
        let sets_class = |x: &&Finding| f.required_by.iter().any(|r| r.rule == x.rule);
        let Some(worst) = open
            .iter()
            .rev()
            .max_by_key(|x| (x.severity, sets_class(x)))
            .copied()
        else {
            return;
        };
        self.with_findings += 1;
        let class = f.label.as_ref().and_then(|l| l.class);
        let rank = |c: Option<Class>| c.map_or(0, |c| c as u8 + 1);
        let gap = match f.required_class {
            Some(r) => rank(Some(r)).saturating_sub(rank(class)),
            None => 0,
        };
        let item = FileToFix {
            path: f.path.clone(),
            business,
            severity: worst.severity,
            class,
            required_class: f.required_class,
            gap,
            personal_data: f.detections.len(),
            rule: worst.rule.clone(),
            reason: worst.message.clone(),
            advice: self
                .rules
                .get(&worst.rule)
                .map(|r| advice(r.explain(self.lang)))
                .unwrap_or_default(),
            findings: open.into_iter().cloned().collect(),
        };
        self.to_fix.push(item);
        // Kept sorted and short: twice the list, cut now and then.
        if self.to_fix.len() >= 2 * FILES_TO_FIX {
            self.cut();
        }
    }

    fn cut(&mut self) {
        self.to_fix.sort_by(|a, b| a.rank().cmp(&b.rank()));
        self.to_fix.truncate(FILES_TO_FIX);
    }

    /// The report, with `sources` and the time it was generated.
    pub fn finish(mut self, sources: Vec<Masked>, generated: String) -> Report {
        self.cut();
        let mut businesses: Vec<Business> = self
            .businesses
            .into_iter()
            .map(|(name, tally)| Business {
                unknown: name == self.unknown,
                name,
                tally,
            })
            .collect();
        // Ukjent last: the named businesses are what a reader looks for.
        businesses.sort_by_key(|b| b.unknown);
        let rules = crate::model::rules_in_order(&self.total.summary.by_rule)
            .into_iter()
            .map(|(id, c)| rule_info(self.rules, id, c, self.lang))
            .collect();
        Report {
            schema: SCHEMA.into(),
            tool: Tool::this(),
            generated,
            lang: self.lang,
            sources,
            total: self.total,
            businesses,
            files_to_fix: self.to_fix,
            files_with_findings: self.with_findings,
            rules,
            findings: self.findings,
        }
    }
}

fn rule_info(rules: &Rules, id: &str, c: &RuleCount, lang: Lang) -> RuleInfo {
    let rule = rules.get(id);
    let explain = rule.map(|r| r.explain(lang).trim().to_string());
    RuleInfo {
        id: id.to_string(),
        severity: c
            .severity
            .or(rule.map(|r| r.severity))
            .unwrap_or(Severity::Info),
        summary: rule
            .map(|r| r.summary(lang).to_string())
            .unwrap_or_default(),
        advice: explain.as_deref().map(advice).unwrap_or_default(),
        explain: explain.unwrap_or_default(),
        count: c.count,
        accepted: c.accepted,
    }
}

/// The "how to fix" part of a rule's explanation (`Slik retter du: …`, `To fix: …`), on
/// one line.
pub fn advice(explain: &str) -> String {
    let start = ["Slik retter du:", "To fix:"]
        .iter()
        .find_map(|m| explain.find(m).map(|i| i + m.len()));
    match start {
        Some(i) => explain[i..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        None => String::new(),
    }
}

/// A finding's place as one line: `word/comments.xml: kommentar 1`.
pub fn place(l: &Location, lang: Lang) -> String {
    let place = crate::model::place_in(&l.place, lang);
    if l.part.is_empty() {
        place.into_owned()
    } else {
        format!("{}: {place}", l.part.as_str())
    }
}
