//! The configuration in effect as TOML: exactly, for the engine's fingerprint
//! ([`Config::print`]), and as `o365lint config print` shows it ([`Config::show`]), every
//! path and text masked and escaped. The hash key is never shown.

use std::fmt::Write;
use std::path::Path;

use super::Config;
use crate::model::{Lang, Severity};

impl Config {
    /// The configuration in effect as TOML, with where it came from, every value as it is
    /// (for fingerprints: it changes with anything that decides results).
    pub fn print(&self) -> String {
        self.render(&|s: &str| s.to_string())
    }

    /// The configuration as a person may be shown it: every path and text (the origin,
    /// files, globs, patterns, names, keys) through `shown` before it is quoted, which masks
    /// what may be an identifier (a folder may be named by one) and escapes what a
    /// terminal would obey (see `report::escape`).
    pub fn show(&self, shown: &dyn Fn(&str) -> String) -> String {
        self.render(shown)
    }

    fn render(&self, shown: &dyn Fn(&str) -> String) -> String {
        let q = |s: &str| toml::Value::String(shown(s)).to_string();
        let path = |p: &Path| q(&p.display().to_string());
        let list = |v: &mut dyn Iterator<Item = &str>| {
            let items: Vec<String> = v.map(q).collect();
            format!("[{}]", items.join(", "))
        };
        // A key as TOML writes it: bare when it can be, else quoted.
        let key = |k: &str| {
            let k = shown(k);
            if !k.is_empty()
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                k
            } else {
                toml::Value::String(k).to_string()
            }
        };
        let mut out = String::new();
        let _ = writeln!(out, "# o365lint configuration from {}", shown(&self.origin));
        for (name, value, default) in [
            ("labels", &self.labels, "the built-in demo catalogue"),
            ("detectors", &self.detectors, "the built-in detectors"),
            ("handling", &self.handling, "the built-in rules"),
            ("suppressions", &self.suppressions, "none"),
        ] {
            match value {
                Some(v) => _ = writeln!(out, "{name} = {}", path(v)),
                None => _ = writeln!(out, "# {name}: {default}"),
            }
        }
        let extend: Vec<String> = self
            .extend
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let _ = writeln!(
            out,
            "extend = {}",
            list(&mut extend.iter().map(String::as_str))
        );
        let lang = match self.lang {
            Lang::Nb => "nb",
            Lang::En => "en",
        };
        let _ = writeln!(out, "lang = {}", q(lang));
        let _ = writeln!(
            out,
            "fail_on = {}",
            q(self.fail_on.map_or("never", Severity::id))
        );
        let _ = writeln!(
            out,
            "# hash_key: {}",
            if self.hash_key.is_some() {
                "set (not shown)"
            } else {
                "not set (O365LINT_HASH_KEY, if set, is used)"
            }
        );
        let _ = writeln!(
            out,
            "\n[rules]\ndisable = {}",
            list(&mut self.disable.iter().map(String::as_str))
        );
        let sev: Vec<String> = self
            .severity
            .iter()
            .map(|(k, v)| format!("{} = {}", q(k), q(v.id())))
            .collect();
        let _ = writeln!(out, "severity = {{ {} }}", sev.join(", "));
        let _ = writeln!(out, "\n[thresholds]");
        for (k, v) in &self.thresholds {
            let _ = writeln!(out, "{} = {v}", key(k));
        }
        let _ = writeln!(out, "\n[marking]");
        for (class, marks) in &self.marking {
            let _ = writeln!(out, "{} = {}", class.id(), list(&mut marks.iter().copied()));
        }
        let _ = writeln!(out, "excel_max_chars = {}", self.excel_max_chars);
        let _ = writeln!(
            out,
            "\n[policy]\nstrict_allowlist = {}",
            list(&mut self.strict_allowlist.iter().map(String::as_str))
        );
        let l = &self.limits;
        let _ = writeln!(
            out,
            "\n[limits]\nmax_entries = {}\nmax_part_bytes = {}\nmax_file_bytes = {}\nmax_ratio = {}\nmax_depth = {}\nmax_text_bytes = {}\nmax_seconds = {}",
            l.max_entries,
            l.max_part_bytes,
            l.max_total_bytes,
            l.max_ratio,
            l.max_depth,
            l.max_text_bytes,
            l.max_seconds
        );
        let _ = writeln!(
            out,
            "\n[walk]\ninclude = {}\nexclude = {}\nfollow = {}",
            list(&mut self.include.iter().map(String::as_str)),
            list(&mut self.exclude.iter().map(String::as_str)),
            self.follow
        );
        for d in &self.destinations {
            let _ = writeln!(out, "\n[[destination]]\npattern = {}", q(&d.pattern));
            if let Some(c) = d.max_class {
                let _ = writeln!(out, "max_class = {}", q(c.id()));
            }
            if let Some(k) = &d.kind {
                let _ = writeln!(out, "kind = {}", q(k));
            }
        }
        for b in &self.businesses {
            let _ = writeln!(
                out,
                "\n[[business]]\nname = {}\npattern = {}",
                q(&b.name),
                q(&b.pattern)
            );
        }
        out
    }
}
