//! The configuration in effect as TOML: exactly, for the engine's fingerprint
//! ([`Config::print`]), and as `o365lint config print` shows it ([`Config::show`]): where it
//! came from, and beside each value its [`Origin`](super::Origin), every path and text masked
//! and escaped. The hash key is never shown.

use std::fmt::Write;
use std::path::Path;

use super::Config;
use crate::model::{Lang, Severity};

impl Config {
    /// The configuration in effect as TOML, with where it came from, every value as it is
    /// (for fingerprints: it changes with anything that decides results).
    pub fn print(&self) -> String {
        self.render(&|s: &str| s.to_string(), None)
    }

    /// The configuration as a person may be shown it: every path and text (the origin,
    /// files, globs, patterns, names, keys) through `shown` before it is quoted, which masks
    /// what may be an identifier (a folder may be named by one) and escapes what a
    /// terminal would obey (see `report::escape`). The head says which file it is and how
    /// it was found, with `notes` (files refused on the way, as the caller words them);
    /// each value says where it came from.
    pub fn show(&self, shown: &dyn Fn(&str) -> String, notes: &[String]) -> String {
        self.render(shown, Some(notes))
    }

    /// The TOML; with `notes`, as [`show`](Config::show) has it (the head and origins).
    fn render(&self, shown: &dyn Fn(&str) -> String, notes: Option<&[String]>) -> String {
        let annotate = notes.is_some();
        // Where the value of `key` came from, as a comment ending its line.
        let from = |key: &str| {
            if annotate {
                format!("  # {}", self.origin_of(key))
            } else {
                String::new()
            }
        };
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
        if let Some(notes) = notes {
            let _ = writeln!(out, "# found as: {}", self.source);
            for n in notes {
                let _ = writeln!(out, "# note: {n}");
            }
            let _ = writeln!(
                out,
                "# after each value, where it came from: the file, built-in, or an environment variable"
            );
        }
        for (name, value, default) in [
            ("labels", &self.labels, "the built-in demo catalogue"),
            ("detectors", &self.detectors, "the built-in detectors"),
            ("handling", &self.handling, "the built-in rules"),
            ("suppressions", &self.suppressions, "none"),
        ] {
            match value {
                Some(v) => _ = writeln!(out, "{name} = {}{}", path(v), from(name)),
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
            "extend = {}{}",
            list(&mut extend.iter().map(String::as_str)),
            from("extend")
        );
        let lang = match self.lang {
            Lang::Nb => "nb",
            Lang::En => "en",
        };
        let _ = writeln!(out, "lang = {}{}", q(lang), from("lang"));
        let _ = writeln!(
            out,
            "fail_on = {}{}",
            q(self.fail_on.map_or("never", Severity::id)),
            from("fail_on")
        );
        let hash_key = match (&self.hash_key, annotate) {
            (Some(_), _) => format!("set (not shown){}", from("hash_key")),
            (None, false) => "not set (O365LINT_HASH_KEY, if set, is used)".into(),
            (None, true) => "not set: no value is hashed".into(),
        };
        let _ = writeln!(out, "# hash_key: {hash_key}");
        // Only when set: the default (the configuration's folder, else absolute paths) is
        // described in rules/config.toml.
        if let Some(root) = &self.root {
            let _ = writeln!(out, "root = {}{}", path(root), from("root"));
            let _ = writeln!(
                out,
                "root_aliases = {}{}",
                list(&mut self.root_aliases.iter().map(String::as_str)),
                from("root_aliases")
            );
        }
        let _ = writeln!(
            out,
            "\n[rules]\ndisable = {}{}",
            list(&mut self.disable.iter().map(String::as_str)),
            from("rules.disable")
        );
        let sev: Vec<String> = self
            .severity
            .iter()
            .map(|(k, v)| format!("{} = {}", q(k), q(v.id())))
            .collect();
        let _ = writeln!(
            out,
            "severity = {{ {} }}{}",
            sev.join(", "),
            from("rules.severity")
        );
        let _ = writeln!(out, "\n[thresholds]");
        for (k, v) in &self.thresholds {
            let from = from(&format!("thresholds.{k}"));
            let _ = writeln!(out, "{} = {v}{from}", key(k));
        }
        let _ = writeln!(out, "\n[marking]");
        for (class, marks) in &self.marking {
            let _ = writeln!(
                out,
                "{} = {}{}",
                class.id(),
                list(&mut marks.iter().copied()),
                from(&format!("marking.{}", class.id()))
            );
        }
        let _ = writeln!(
            out,
            "excel_max_chars = {}{}",
            self.excel_max_chars,
            from("marking.excel_max_chars")
        );
        let _ = writeln!(
            out,
            "\n[policy]\nstrict_allowlist = {}{}",
            list(&mut self.strict_allowlist.iter().map(String::as_str)),
            from("policy.strict_allowlist")
        );
        let l = &self.limits;
        let _ = writeln!(out, "\n[limits]");
        for (name, value) in [
            ("max_entries", l.max_entries as u64),
            ("max_part_bytes", l.max_part_bytes),
            ("max_file_bytes", l.max_total_bytes),
            ("max_ratio", l.max_ratio),
            ("max_depth", u64::from(l.max_depth)),
            ("max_text_bytes", l.max_text_bytes),
            ("max_seconds", l.max_seconds),
            ("max_memory", l.max_memory),
            ("scan_memory", l.scan_memory),
            ("max_embedded", u64::from(l.max_embedded)),
        ] {
            let from = from(&format!("limits.{name}"));
            let _ = writeln!(out, "{name} = {value}{from}");
        }
        let _ = writeln!(
            out,
            "\n[walk]\ninclude = {}{}\nexclude = {}{}\nfollow = {}{}",
            list(&mut self.include.iter().map(String::as_str)),
            from("walk.include"),
            list(&mut self.exclude.iter().map(String::as_str)),
            from("walk.exclude"),
            self.follow,
            from("walk.follow")
        );
        for d in &self.destinations {
            let _ = writeln!(
                out,
                "\n[[destination]]{}\npattern = {}",
                from("destination"),
                q(&d.pattern)
            );
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
                "\n[[business]]{}\nname = {}\npattern = {}",
                from("business"),
                q(&b.name),
                q(&b.pattern)
            );
        }
        out
    }
}
