//! Accepted findings: a suppressions file (each entry a fingerprint, why it is accepted and
//! who accepted it) and a baseline (an earlier scan's JSON report: only new findings count,
//! and label classes that went down are downgrades, LBL-09); and the fingerprints they name,
//! of files and of findings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use super::Judged;
use crate::model::Class;
use crate::model::ConfigError;
use crate::model::{Finding, SCHEMA, ScanReport};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default)]
    suppress: Vec<Entry>,
}

/// One accepted finding.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub reason: String,
    pub accepted_by: String,
    /// When it was accepted (free text, e.g. 2026-11-23).
    #[serde(default)]
    pub date: Option<String>,
    /// Which file, for the reader; matching uses the fingerprint only.
    #[serde(default)]
    pub path: Option<String>,
}

/// The suppressions in force, by fingerprint.
#[derive(Default, Debug)]
pub struct Suppressions {
    by_fingerprint: BTreeMap<String, Entry>,
    pub origin: Option<String>,
    /// A hash of the file's text (see `Engine::fingerprint`).
    pub digest: String,
}

impl Suppressions {
    pub fn load(path: &Path) -> Result<Suppressions, ConfigError> {
        let text = ConfigError::read(path)?;
        Suppressions::parse(&text, &path.display().to_string())
    }

    /// Parses and validates: every entry needs a well-formed fingerprint, a reason and who
    /// accepted it. An error names the file, the entry and the field.
    pub fn parse(text: &str, origin: &str) -> Result<Suppressions, ConfigError> {
        let file: FileToml = toml::from_str(text).map_err(|e| {
            ConfigError::new(origin, crate::labels::catalogue::toml_message(&e, text))
        })?;
        let mut by_fingerprint = BTreeMap::new();
        for (i, e) in file.suppress.into_iter().enumerate() {
            let item = format!("suppress[{i}] ({})", e.fingerprint);
            let err = |field: &str, m: &str| ConfigError::in_file(origin, &item, field, m);
            if !well_formed(&e.fingerprint) {
                return Err(err(
                    "fingerprint",
                    "not a fingerprint (RULE:16 hex digits, as in the JSON report)",
                ));
            }
            if e.reason.trim().is_empty() {
                return Err(err("reason", "say why the finding is accepted"));
            }
            if e.accepted_by.trim().is_empty() {
                return Err(err("accepted_by", "say who accepted it"));
            }
            if by_fingerprint.insert(e.fingerprint.clone(), e).is_some() {
                return Err(err("fingerprint", "listed twice"));
            }
        }
        Ok(Suppressions {
            by_fingerprint,
            origin: Some(origin.to_string()),
            digest: crate::model::data::digest(text),
        })
    }

    pub fn len(&self) -> usize {
        self.by_fingerprint.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_fingerprint.is_empty()
    }

    pub fn get(&self, fingerprint: &str) -> Option<&Entry> {
        self.by_fingerprint.get(fingerprint)
    }
}

fn well_formed(f: &str) -> bool {
    f.rsplit_once(':').is_some_and(|(rule, hash)| {
        !rule.is_empty() && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// A file as fingerprints know it (DESIGN.md, Fingerprints): its own fingerprint, which
/// its findings' fingerprints and a baseline's label classes are keyed on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileKey {
    /// 16 hex digits: a keyed hash of the file's path from the scan root.
    pub fingerprint: String,
    /// Whether the fingerprint tells the file from every other. With a secret key the path
    /// is hashed as it is; with the public one only as reports show it, masked, and a path
    /// holding an identifier looks like that of a file whose path differs only inside it
    /// (which `nth` tells apart within one scan, not across scans).
    pub distinct: bool,
}

impl FileKey {
    /// The key of the file at `path` (from the scan root, as it is), the `nth` of a scan's
    /// files whose paths look alike once masked.
    pub fn new(det: &crate::detect::Detectors, path: &str, nth: u32) -> FileKey {
        let key = &det.hash_key;
        if key.is_secret() {
            return FileKey {
                fingerprint: key.hash(&["file", path]),
                distinct: true,
            };
        }
        let shown = det.mask_path(path);
        FileKey {
            fingerprint: key.hash(&["file", &shown, &nth.to_string()]),
            distinct: shown == path,
        }
    }
}

/// An earlier scan: its findings' fingerprints and each file's label class.
#[derive(Default, Debug)]
pub struct Baseline {
    fingerprints: BTreeSet<String>,
    /// File fingerprint → the label class the file had.
    by_file: BTreeMap<String, Class>,
    /// Reports written before files had fingerprints: path as reported (masked) → class.
    classes: BTreeMap<String, Class>,
    /// File name → the reported paths ending in it, to find a file scanned from elsewhere.
    by_name: BTreeMap<String, Vec<String>>,
    /// A hash of the report's text (see `Engine::fingerprint`).
    pub digest: String,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, ConfigError> {
        let text = ConfigError::read(path)?;
        Baseline::parse(&text, &path.display().to_string())
    }

    /// Reads a JSON report (`o365lint scan --format json`) into the model's types.
    pub fn parse(text: &str, origin: &str) -> Result<Baseline, ConfigError> {
        let not_ours = |e: serde_json::Error| {
            ConfigError::new(origin, format!("not an o365lint JSON report: {e}"))
        };
        let value: serde_json::Value = serde_json::from_str(text).map_err(not_ours)?;
        let schema = value
            .get("schema")
            .and_then(|s| s.as_str())
            .unwrap_or_default();
        if schema != SCHEMA {
            return Err(ConfigError::in_file(
                origin,
                "",
                "schema",
                format!("{schema:?}, expected {SCHEMA:?}"),
            ));
        }
        let report: ScanReport = serde_json::from_value(value).map_err(not_ours)?;
        let mut b = Baseline {
            digest: crate::model::data::digest(text),
            ..Baseline::default()
        };
        for f in report.files {
            if let Some(c) = f.label.and_then(|l| l.class) {
                if f.fingerprint.is_empty() {
                    let path = String::from(f.path);
                    let name = path.rsplit('/').next().unwrap_or(&path).to_string();
                    b.by_name.entry(name).or_default().push(path.clone());
                    b.classes.insert(path, c);
                } else {
                    b.by_file.insert(f.fingerprint, c);
                }
            }
            b.fingerprints.extend(
                f.findings
                    .into_iter()
                    .map(|x| x.fingerprint)
                    .filter(|x| !x.is_empty()),
            );
        }
        Ok(b)
    }

    /// The label class the file had: by its fingerprint; in a report written before files
    /// had one, by its reported path or its path below the scanned folder (`below`), both
    /// masked as such reports masked them. Never for a file whose fingerprint is not
    /// [`distinct`](FileKey::distinct): it could be another file's class.
    pub fn class(&self, file: &FileKey, path: &str, below: &str) -> Option<Class> {
        if !file.distinct {
            return None;
        }
        if let Some(&c) = self.by_file.get(&file.fingerprint) {
            return Some(c);
        }
        if let Some(&c) = self.classes.get(path) {
            return Some(c);
        }
        let name = below.rsplit('/').next().unwrap_or(below);
        self.by_name
            .get(name)?
            .iter()
            .find(|p| *p == below || p.ends_with(&format!("/{below}")))
            .and_then(|p| self.classes.get(p).copied())
    }

    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints.contains(fingerprint)
    }
}

/// A verdict's findings with their fingerprints, and how many a suppression or the
/// baseline named but could not accept (see [`findings`]).
pub struct Accepted {
    pub findings: Vec<Finding>,
    pub withheld: usize,
}

/// The findings of a verdict, each with its fingerprint: a keyed hash of the rule, the
/// file's fingerprint, the finding's logical location (part and place, as reports show
/// them) and, with a secret key, the value found there (of the detection the rule
/// matched). A finding a suppression or the baseline covers is marked accepted — unless the
/// file's fingerprint is not [`distinct`](FileKey::distinct): then it could name another
/// file's finding, and it is counted in `withheld` instead.
pub fn findings(
    judged: &[Judged],
    file: &FileKey,
    det: &crate::detect::Detectors,
    suppressions: &Suppressions,
    baseline: Option<&Baseline>,
) -> Accepted {
    let mut withheld = 0;
    let findings = judged
        .iter()
        .map(|j| {
            let rule = &j.rule.id;
            let location = j.location.as_ref();
            let (part, place) = location.map_or(("", ""), |l| (&*l.part, &*l.place));
            let value = j.detection.map_or("", |d| d.hash.as_str());
            let fingerprint = format!(
                "{rule}:{}",
                det.hash_key
                    .hash(&[rule, &file.fingerprint, part, place, value])
            );
            let accepted = if let Some(e) = suppressions.get(&fingerprint) {
                Some(det.masked(&format!("{} ({})", e.reason.trim(), e.accepted_by.trim())))
            } else if baseline.is_some_and(|b| b.contains(&fingerprint)) {
                Some(det.masked("baseline"))
            } else {
                None
            };
            if accepted.is_some() && !file.distinct {
                withheld += 1;
            }
            Finding {
                rule: rule.clone(),
                severity: j.severity,
                message: det.masked(&j.message),
                location: location.cloned(),
                also_at: j.also_at.clone(),
                fingerprint,
                suppressed: accepted.filter(|_| file.distinct),
            }
        })
        .collect();
    Accepted { findings, withheld }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_keys_tell_look_alikes_apart_only_with_a_secret() {
        use crate::detect::{Detectors, key::Key};
        let mut det = Detectors::built_in();
        let key = |det: &Detectors, path: &str, nth| FileKey::new(det, path, nth);
        let (a, b) = (
            key(&det, "sak 15108695088.docx", 1),
            key(&det, "sak 15108640097.docx", 1),
        );
        assert_eq!(a, b);
        assert!(!a.distinct);
        assert_ne!(a, key(&det, "sak 15108695088.docx", 2));
        let dated = key(&det, "Møtereferat 20250115.docx", 1);
        assert!(dated.distinct);
        assert_ne!(dated, key(&det, "Møtereferat 20250215.docx", 1));
        // A baseline gives no class for a file it cannot tell from another.
        let report = format!(
            r#"{{"schema": "{SCHEMA}", "files": [{{"path": "x", "fingerprint": "{}", "label": {{"class": "intern"}}}}]}}"#,
            a.fingerprint
        );
        let base = Baseline::parse(&report, "b.json").unwrap();
        assert_eq!(base.class(&a, "x", "x"), None);
        det.hash_key = Key::from_secret("hemmelig");
        let (a, b) = (
            key(&det, "sak 15108695088.docx", 1),
            key(&det, "sak 15108640097.docx", 1),
        );
        assert!(a.distinct && a != b);
    }

    #[test]
    fn suppressions_need_reason_and_who() {
        let ok = "[[suppress]]\nfingerprint = \"PII-01:0123456789abcdef\"\nreason = \"Testdata\"\naccepted_by = \"kari\"\n";
        assert_eq!(Suppressions::parse(ok, "s.toml").unwrap().len(), 1);
        let e = Suppressions::parse(&ok.replace("Testdata", " "), "s.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "s.toml: suppress[0] (PII-01:0123456789abcdef): field `reason`: say why the finding is accepted"
        );
        let e = Suppressions::parse(&ok.replace("0123456789abcdef", "12"), "s.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("field `fingerprint`"), "{e}");
        let e = Suppressions::parse(&ok.replace("accepted_by", "by"), "s.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("accepted_by") || e.contains("by"), "{e}");
    }
}
