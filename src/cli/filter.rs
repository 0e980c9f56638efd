//! What `scan` judges and what it shows. `--rule` and `--disable` change which rules are
//! judged (so the findings, the summary and the exit code); `--only-findings` and
//! `--min-severity` change only what is written per file: the summary and the exit code
//! still count every file and finding.

use std::borrow::Cow;
use std::io;

use clap::ValueEnum;

use crate::model::{FileResult, Severity};
use crate::verdict::rules::Rules;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MinSeverity {
    Info,
    Warning,
    Error,
}

impl MinSeverity {
    fn severity(self) -> Severity {
        match self {
            MinSeverity::Info => Severity::Info,
            MinSeverity::Warning => Severity::Warning,
            MinSeverity::Error => Severity::Error,
        }
    }
}

/// Turns off every rule `disable` names and, when `only` names any, every rule it does not.
/// An id no rule has is a usage error naming it (and the option that gave it).
pub fn restrict(rules: &mut Rules, only: &[String], disable: &[String]) -> io::Result<()> {
    for (option, ids) in [("--rule", only), ("--disable", disable)] {
        if let Some(id) = ids.iter().find(|id| rules.get(id).is_none()) {
            let known: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
            return Err(io::Error::other(format!(
                "{option} {id}: no such rule (known: {})",
                known.join(", ")
            )));
        }
    }
    // What is judged changed: so does the engine's fingerprint (`Engine::fingerprint`).
    if !only.is_empty() || !disable.is_empty() {
        rules.digest = format!("{}+only{only:?}-disable{disable:?}", rules.digest);
    }
    for r in &mut rules.rules {
        let named = |ids: &[String]| ids.iter().any(|id| id.eq_ignore_ascii_case(&r.id));
        if named(disable) || (!only.is_empty() && !named(only)) {
            r.severity = Severity::Off;
        }
    }
    Ok(())
}

/// The output-only choices of a scan.
#[derive(Clone, Copy, Debug, Default)]
pub struct Show {
    pub only_findings: bool,
    pub min_severity: Option<MinSeverity>,
}

impl Show {
    /// The file as it is to be written: findings below the least severity left out; `None`
    /// when `--only-findings` leaves the whole file out (no finding shown, and read fully).
    pub fn file<'a>(&self, f: &'a FileResult) -> Option<Cow<'a, FileResult>> {
        let shown = match self.min_severity {
            Some(min) if f.findings.iter().any(|x| x.severity < min.severity()) => {
                let mut f = f.clone();
                f.findings.retain(|x| x.severity >= min.severity());
                Cow::Owned(f)
            }
            _ => Cow::Borrowed(f),
        };
        let incomplete = shown.error_kind.is_some() || shown.error.is_some();
        if self.only_findings && shown.findings.is_empty() && !incomplete {
            return None;
        }
        Some(shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Finding, Masked};

    fn finding(rule: &str, severity: Severity) -> Finding {
        Finding {
            rule: rule.into(),
            severity,
            message: Masked::default(),
            location: None,
            also_at: Vec::new(),
            fingerprint: String::new(),
            suppressed: None,
        }
    }

    #[test]
    fn below_the_least_severity_is_not_shown_and_empty_files_are_left_out() {
        let mut f = FileResult::new(Masked::default());
        f.findings = vec![finding("A", Severity::Info), finding("B", Severity::Error)];
        let show = Show {
            only_findings: true,
            min_severity: Some(MinSeverity::Warning),
        };
        let shown = show.file(&f).expect("an error is shown");
        assert_eq!(shown.findings.len(), 1);
        assert_eq!(shown.findings[0].rule, "B");
        f.findings.pop();
        assert!(show.file(&f).is_none(), "only an info left: not shown");
        f.error_kind = Some(crate::model::ErrorKind::Damaged);
        assert!(show.file(&f).is_some(), "not fully read: always shown");
    }

    #[test]
    fn unknown_rule_ids_are_named() {
        let mut rules = Rules::built_in();
        let e = restrict(&mut rules, &[], &["NOPE-9".into()]).unwrap_err();
        assert!(e.to_string().contains("--disable NOPE-9"), "{e}");
        let before = rules.digest.clone();
        restrict(&mut rules, &["lbl-01".into()], &[]).unwrap();
        assert_ne!(rules.digest, before, "the engine's fingerprint follows");
        assert!(
            rules
                .rules
                .iter()
                .all(|r| (r.severity == Severity::Off) != (r.id == "LBL-01"))
        );
    }
}
