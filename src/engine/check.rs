//! May this file go there? The verdict of `o365lint check` from a file's result judged with
//! a destination: blocked by an error of a destination rule (DST-*), or by an unknown
//! destination if the caller says so; never passed silently when the destination is
//! unknown. Only the destination rules decide: an unrelated finding (LBL-01 on a file that
//! may go anywhere) does not.

use super::Engine;
use crate::model::{Check, CheckPlace, Class, FileResult, Severity, Verdict};

/// What to do with a destination no configured pattern or allow-list entry knows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unknown {
    /// Let files pass.
    Allow,
    /// Let files pass, with a warning that the destination is unknown.
    #[default]
    Warn,
    /// Block every file.
    Block,
}

impl Engine {
    /// The check of `f`, a result judged with a destination (`Choices::destination`).
    pub fn verdict(&self, f: &FileResult, unknown: Unknown) -> Check {
        let config = &self.rules.config;
        let path = f.destination.clone().unwrap_or_else(|| f.path.clone());
        let matched = config.destination(&path);
        let allow_listed = config.strict_allowed(&path);
        let m = |s: &str| self.detectors.masked_path(s);
        let place = CheckPlace {
            name: matched.and_then(|d| d.name.as_deref()).map(m),
            pattern: matched.map(|d| m(&d.pattern)),
            kind: matched.and_then(|d| d.kind.clone()),
            max_class: if allow_listed {
                Some(Class::StrengtBeskyttet)
            } else {
                matched.and_then(|d| d.max_class)
            },
            allow_listed,
            unknown: matched.is_none() && !allow_listed,
            path,
        };
        let open = || {
            f.findings
                .iter()
                .filter(|x| x.suppressed.is_none() && x.rule.starts_with("DST-"))
        };
        let rules: Vec<String> = open().map(|x| x.rule.clone()).collect();
        let blocked = open().any(|x| x.severity == Severity::Error);
        let (verdict, unknown_warned) = if f.format.is_none() {
            (Verdict::Unreadable, false)
        } else if blocked || (place.unknown && unknown == Unknown::Block) {
            (Verdict::Blocked, false)
        } else {
            (Verdict::Allowed, place.unknown && unknown == Unknown::Warn)
        };
        Check {
            verdict,
            destination: place,
            rules,
            unknown_warned,
        }
    }
}
