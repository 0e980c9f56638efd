//! Accepted findings: a suppressions file (each entry a fingerprint, why it is accepted and
//! who accepted it) and a baseline (an earlier scan's JSON report: only new findings count,
//! and label classes that went down are downgrades, LBL-09).

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
            digest: blake3::hash(text.as_bytes()).to_hex()[..16].to_string(),
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

/// An earlier scan: its findings' fingerprints and each file's label class.
#[derive(Default, Debug)]
pub struct Baseline {
    fingerprints: BTreeSet<String>,
    /// Path as reported (masked) → the label class it had.
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
            digest: blake3::hash(text.as_bytes()).to_hex()[..16].to_string(),
            ..Baseline::default()
        };
        for f in report.files {
            let path = String::from(f.path);
            if let Some(c) = f.label.and_then(|l| l.class) {
                let name = path.rsplit('/').next().unwrap_or(&path).to_string();
                b.by_name.entry(name).or_default().push(path.clone());
                b.classes.insert(path, c);
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

    /// The label class a file had: by its reported path, or else by its path below the
    /// scanned folder (`below`), so that a folder scanned from elsewhere is still found.
    pub fn class(&self, path: &str, below: &str) -> Option<Class> {
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

/// The findings of a verdict, each with its fingerprint: the rule, a keyed hash of the path
/// below the scanned folder (`relative`), the finding's logical location (part and place)
/// and, with a secret key, the value found there (of the detection the rule matched). The
/// path and place are hashed as reports show them, masked, so that a public key reveals
/// nothing the report does not. A finding a suppression or the baseline covers is marked
/// accepted.
pub fn findings(
    judged: &[Judged],
    relative: &str,
    det: &crate::detect::Detectors,
    suppressions: &Suppressions,
    baseline: Option<&Baseline>,
) -> Vec<Finding> {
    let relative = det.mask(&relative.replace('\\', "/"));
    judged
        .iter()
        .map(|j| {
            let rule = &j.rule.id;
            let location = j.detection.map(|d| &d.location);
            let (part, place, value) = match j.detection {
                Some(d) => (
                    det.mask(&d.location.part),
                    det.mask(&d.location.place),
                    d.hash.as_str(),
                ),
                None => (String::new(), String::new(), ""),
            };
            let fingerprint = format!(
                "{rule}:{}",
                det.hash_key.hash(&[rule, &relative, &part, &place, value])
            );
            let suppressed = if let Some(e) = suppressions.get(&fingerprint) {
                Some(det.masked(&format!("{} ({})", e.reason.trim(), e.accepted_by.trim())))
            } else if baseline.is_some_and(|b| b.contains(&fingerprint)) {
                Some(det.masked("baseline"))
            } else {
                None
            };
            Finding {
                rule: rule.clone(),
                severity: j.severity,
                message: det.masked(&j.message),
                location: location.cloned(),
                fingerprint,
                suppressed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
