//! The configuration (`o365lint.toml`): which catalogue, detectors and rules to use, rule
//! severities, thresholds, marking requirements, destinations and the business mapping.
//! Read only from where the user put it ([`Config::find`]: `--config`, `O365LINT_CONFIG`, the
//! working directory and above, the user's configuration folder; never from inside a
//! scanned folder), else the built-in `rules/config.toml`; keys a file leaves out keep their
//! built-in values, and each value knows where it came from ([`Origin`]).

mod find;
mod globs;
mod print;

pub use find::{Found, Lookup, Origin, Refused, Source, user_file};

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder};

use globs::Globs;
use serde::Deserialize;

use crate::model::Class;
use crate::model::ConfigError;
use crate::model::{Lang, Severity};
use crate::read::container::Limits;

/// The built-in configuration file.
pub const BUILT_IN: &str = crate::model::data::CONFIG;
/// The file name looked for in the working directory and the folders above it (and noticed,
/// never obeyed, inside scanned folders).
pub const FILE_NAME: &str = "o365lint.toml";
/// The suppressions file looked for beside the configuration file.
pub const SUPPRESSIONS_NAME: &str = "o365lint-ignore.toml";

/// Kinds of destination the DST rules know.
pub const DESTINATION_KINDS: &[&str] = &[
    "team-site",
    "teams-channel",
    "external-sharing",
    "personal-onedrive",
    "shared-area",
    "private-device",
    "removable-unencrypted",
    "private-cloud",
    "email-staging",
    "publication",
];

/// The parts of a document a marking can be in.
pub const MARKS: &[&str] = &["header", "footer", "watermark"];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    labels: Option<PathBuf>,
    detectors: Option<PathBuf>,
    handling: Option<PathBuf>,
    extend: Option<Vec<PathBuf>>,
    suppressions: Option<PathBuf>,
    lang: Option<String>,
    fail_on: Option<String>,
    hash_key: Option<String>,
    root: Option<PathBuf>,
    root_aliases: Option<Vec<String>>,
    rules: Option<RawRules>,
    thresholds: Option<BTreeMap<String, usize>>,
    marking: Option<RawMarking>,
    policy: Option<RawPolicy>,
    destination: Option<Vec<RawDestination>>,
    business: Option<Vec<Business>>,
    limits: Option<RawLimits>,
    walk: Option<RawWalk>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWalk {
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    follow: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_entries: Option<usize>,
    max_part_bytes: Option<u64>,
    max_file_bytes: Option<u64>,
    max_ratio: Option<u64>,
    max_depth: Option<u32>,
    max_text_bytes: Option<u64>,
    max_seconds: Option<u64>,
    max_memory: Option<u64>,
    scan_memory: Option<u64>,
    max_embedded: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    disable: Option<Vec<String>>,
    severity: Option<BTreeMap<String, Severity>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarking {
    apen: Option<Vec<String>>,
    intern: Option<Vec<String>>,
    beskyttet: Option<Vec<String>>,
    #[serde(rename = "strengt-beskyttet")]
    strengt_beskyttet: Option<Vec<String>>,
    excel_max_chars: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    strict_allowlist: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDestination {
    name: Option<String>,
    pattern: String,
    max_class: Option<String>,
    kind: Option<String>,
}

/// Where files go, and the highest class allowed there.
#[derive(Clone, Debug)]
pub struct Destination {
    /// A name to give with `--destination` instead of a path (`Team Barnevern`).
    pub name: Option<String>,
    pub pattern: String,
    pub max_class: Option<Class>,
    pub kind: Option<String>,
}

impl Destination {
    /// How specifically the pattern names `path`, which it matches: how deep in the path
    /// its last pinned folder is (a folder it names, or any folder before its first `**`),
    /// then its characters that are not wildcards. Of the patterns that match a place, the
    /// most specific says what is allowed there: `**/Delt med eksterne/**` inside a team
    /// site is more specific than the team site's `https://*.sharepoint.com/sites/**`, and
    /// both more than a catch-all `**`.
    pub fn specificity(&self, path: &str) -> (usize, usize) {
        let wild = |c: char| matches!(c, '*' | '?' | '[' | ']' | '{' | '}');
        let path = normal(path);
        let segments: Vec<&str> = path.split('/').collect();
        let pattern = normal(&self.pattern);
        let (mut at, mut anchored, mut depth) = (0usize, true, 0usize);
        for seg in pattern.split('/') {
            if seg == "**" {
                anchored = false;
                continue;
            }
            if anchored {
                at += 1;
                depth = at;
            } else if !seg.contains(wild) {
                // After a `**`: the nearest folder of that name from here on.
                match segments[at.min(segments.len())..]
                    .iter()
                    .position(|s| s.eq_ignore_ascii_case(seg))
                {
                    Some(i) => {
                        at += i + 1;
                        depth = at;
                    }
                    None => break,
                }
            }
        }
        let literal = self.pattern.chars().filter(|c| !wild(*c)).count();
        (depth, literal)
    }

    /// The place the pattern names, for a destination given by name: the pattern up to its
    /// first wildcard, without a trailing separator (`https://oslo.sharepoint.com/sites/x`).
    pub fn place(&self) -> &str {
        let end = self
            .pattern
            .find(['*', '?', '[', '{'])
            .unwrap_or(self.pattern.len());
        self.pattern[..end].trim_end_matches(['/', '\\'])
    }
}

/// Which business (virksomhet, bydel, etat) files under a path belong to.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Business {
    pub name: String,
    pub pattern: String,
}

/// The configuration in effect.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file it came from, or `built-in rules/config.toml`.
    pub origin: String,
    /// The file it came from; `None`: built-in.
    pub file: Option<PathBuf>,
    /// How that file was chosen.
    pub source: Source,
    /// Where each value that is not built-in came from, by key (`fail_on`,
    /// `thresholds.bulk_contacts`, `walk.exclude`, `destination`, …); see [`Config::origin_of`].
    pub origins: BTreeMap<String, Origin>,
    pub labels: Option<PathBuf>,
    pub detectors: Option<PathBuf>,
    pub handling: Option<PathBuf>,
    pub extend: Vec<PathBuf>,
    pub suppressions: Option<PathBuf>,
    pub lang: Lang,
    /// `None`: findings never change the exit code.
    pub fail_on: Option<Severity>,
    /// Never printed.
    pub hash_key: Option<String>,
    /// The scan root fingerprints take paths from (relative to the file, when it is).
    pub root: Option<PathBuf>,
    /// Other names of the same place (the share mounted elsewhere, `S:\`), as written.
    pub root_aliases: Vec<String>,
    pub disable: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub thresholds: BTreeMap<String, usize>,
    /// The marks (header, footer, watermark) each class must show.
    pub marking: BTreeMap<Class, Vec<&'static str>>,
    pub excel_max_chars: usize,
    pub strict_allowlist: Vec<String>,
    pub destinations: Vec<Destination>,
    pub businesses: Vec<Business>,
    /// Per-file read limits.
    pub limits: Limits,
    /// Folder walks: globs of files to read only, globs to skip, whether to follow links.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub follow: bool,
    strict: Globs,
    destination_globs: Globs,
    business_globs: Globs,
}

impl Config {
    pub fn built_in() -> Config {
        Config::parse(BUILT_IN, "built-in rules/config.toml", None).expect("built-in config")
    }

    /// The configuration in the file at `path` (over the built-in values).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = ConfigError::read(path)?;
        let mut config = Config::parse(&text, &path.display().to_string(), path.parent())?;
        config.file = Some(path.to_path_buf());
        Ok(config)
    }

    /// Where the value of `key` came from (keys as [`Config::origins`] names them; a
    /// section's key, `walk.exclude`, or a whole list, `destination`).
    pub fn origin_of(&self, key: &str) -> Origin {
        self.origins.get(key).copied().unwrap_or(Origin::BuiltIn)
    }

    /// Notes that a run chose the value of `key` over the file's (a command line option or
    /// an environment variable), for [`Config::show`].
    pub fn set_origin(&mut self, key: &str, origin: Origin) {
        self.origins.insert(key.to_string(), origin);
    }

    /// Parses a configuration file over the built-in values. `dir` is the folder relative
    /// paths in it are relative to. An error names the file, the section or item, and the field.
    pub fn parse(text: &str, origin: &str, dir: Option<&Path>) -> Result<Config, ConfigError> {
        let err = |item: &str, field: &str, message: String| {
            ConfigError::in_file(origin, item, field, message)
        };
        let user: Raw = crate::model::data::from_toml(text)
            .map_err(|e| err("", "", crate::labels::catalogue::toml_message(&e, text)))?;
        let built_in = dir.is_none() && text == BUILT_IN;
        let base: Raw = if built_in {
            Raw::default()
        } else {
            crate::model::data::from_toml(BUILT_IN).expect("built-in config")
        };
        let mut origins: BTreeMap<String, Origin> = if built_in {
            BTreeMap::new()
        } else {
            keys_set(&user)
                .into_iter()
                .map(|k| (k, Origin::File))
                .collect()
        };
        let rel = |p: PathBuf| match dir {
            Some(d) if p.is_relative() => d.join(p),
            _ => p,
        };
        let lang = match user.lang.or(base.lang).as_deref() {
            None | Some("nb") => Lang::Nb,
            Some("en") => Lang::En,
            Some(other) => return Err(err("", "lang", format!("{other:?} is not nb or en"))),
        };
        let fail_on = match user.fail_on.or(base.fail_on).as_deref() {
            None | Some("error") => Some(Severity::Error),
            Some("warning") => Some(Severity::Warning),
            Some("info") => Some(Severity::Info),
            Some("never") => None,
            Some(other) => {
                return Err(err(
                    "",
                    "fail_on",
                    format!("{other:?} is not error, warning, info or never"),
                ));
            }
        };
        let rules = user.rules.unwrap_or_default();
        let base_rules = base.rules.unwrap_or_default();
        let mut thresholds = base.thresholds.unwrap_or_default();
        thresholds.extend(user.thresholds.unwrap_or_default());
        if let Some(&c) = thresholds.get("min_confidence")
            && c > 100
        {
            return Err(err(
                "thresholds",
                "min_confidence",
                format!("{c} is not a confidence (0–100)"),
            ));
        }

        let (um, bm) = (
            user.marking.unwrap_or_default(),
            base.marking.unwrap_or_default(),
        );
        let mut marking = BTreeMap::new();
        for (class, u, b) in [
            (Class::Apen, um.apen, bm.apen),
            (Class::Intern, um.intern, bm.intern),
            (Class::Beskyttet, um.beskyttet, bm.beskyttet),
            (
                Class::StrengtBeskyttet,
                um.strengt_beskyttet,
                bm.strengt_beskyttet,
            ),
        ] {
            let mut marks = Vec::new();
            for m in u.or(b).unwrap_or_default() {
                let known = MARKS.iter().find(|k| **k == m).ok_or_else(|| {
                    err(
                        "marking",
                        class.id(),
                        format!("unknown mark {m:?} (known: {})", MARKS.join(", ")),
                    )
                })?;
                marks.push(*known);
            }
            marking.insert(class, marks);
        }
        let excel_max_chars = um.excel_max_chars.or(bm.excel_max_chars).unwrap_or(255);

        let strict_allowlist = user
            .policy
            .and_then(|p| p.strict_allowlist)
            .or(base.policy.and_then(|p| p.strict_allowlist))
            .unwrap_or_default();
        let strict = Globs::new(strict_allowlist.iter().map(String::as_str), true)
            .map_err(|(i, e)| err("policy", &format!("strict_allowlist[{i}]"), e))?;

        // Only a configuration's own globs are parsed now; the built-in ones when first used.
        let (own_destinations, own_businesses) = (
            !built_in && user.destination.is_some(),
            !built_in && user.business.is_some(),
        );
        let mut destinations = Vec::new();
        for (i, d) in user
            .destination
            .or(base.destination)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let item = format!("destination[{i}] ({})", d.pattern);
            let max_class = match d.max_class.as_deref() {
                None => None,
                Some(c) => Some(
                    Class::parse(c)
                        .ok_or_else(|| err(&item, "max_class", format!("{c:?} is not a class")))?,
                ),
            };
            if let Some(k) = &d.kind
                && !DESTINATION_KINDS.contains(&k.as_str())
            {
                return Err(err(
                    &item,
                    "kind",
                    format!(
                        "unknown kind {k:?} (known: {})",
                        DESTINATION_KINDS.join(", ")
                    ),
                ));
            }
            destinations.push(Destination {
                name: d.name,
                pattern: d.pattern,
                max_class,
                kind: d.kind,
            });
        }
        let destination_globs = Globs::new(
            destinations.iter().map(|d| d.pattern.as_str()),
            own_destinations,
        )
        .map_err(|(i, e)| err(&format!("destination[{i}]"), "pattern", e))?;
        let businesses = user.business.or(base.business).unwrap_or_default();
        let business_globs = Globs::new(
            businesses.iter().map(|b| b.pattern.as_str()),
            own_businesses,
        )
        .map_err(|(i, e)| err(&format!("business[{i}]"), "pattern", e))?;

        let (ul, bl) = (
            user.limits.unwrap_or_default(),
            base.limits.unwrap_or_default(),
        );
        let d = Limits::default();
        let limits = Limits {
            max_entries: ul.max_entries.or(bl.max_entries).unwrap_or(d.max_entries),
            max_part_bytes: ul
                .max_part_bytes
                .or(bl.max_part_bytes)
                .unwrap_or(d.max_part_bytes),
            max_total_bytes: ul
                .max_file_bytes
                .or(bl.max_file_bytes)
                .unwrap_or(d.max_total_bytes),
            max_ratio: ul.max_ratio.or(bl.max_ratio).unwrap_or(d.max_ratio),
            max_depth: ul.max_depth.or(bl.max_depth).unwrap_or(d.max_depth),
            max_text_bytes: ul
                .max_text_bytes
                .or(bl.max_text_bytes)
                .unwrap_or(d.max_text_bytes),
            max_seconds: ul.max_seconds.or(bl.max_seconds).unwrap_or(d.max_seconds),
            max_memory: ul.max_memory.or(bl.max_memory).unwrap_or(d.max_memory),
            scan_memory: ul.scan_memory.or(bl.scan_memory).unwrap_or(d.scan_memory),
            max_embedded: ul
                .max_embedded
                .or(bl.max_embedded)
                .unwrap_or(d.max_embedded),
        };
        if limits.max_seconds == 0 {
            return Err(err(
                "limits",
                "max_seconds",
                "0 would stop every file at once; give at least 1".into(),
            ));
        }
        // A file holds the fixed caps (an XML event and a piece of text of 16 MiB each, the
        // values detection keeps) besides what max_memory shares out.
        if limits.max_memory < 64 << 20 {
            return Err(err(
                "limits",
                "max_memory",
                "less than 64 MiB leaves no room for the fixed caps".into(),
            ));
        }
        if limits.scan_memory < limits.max_memory {
            return Err(err(
                "limits",
                "scan_memory",
                "less than max_memory: not even one file could be read".into(),
            ));
        }
        let (uw, bw) = (user.walk.unwrap_or_default(), base.walk.unwrap_or_default());
        let include = uw.include.or(bw.include).unwrap_or_default();
        let exclude = uw.exclude.or(bw.exclude).unwrap_or_default();
        for (field, globs) in [("include", &include), ("exclude", &exclude)] {
            for (i, g) in globs.iter().enumerate() {
                glob(g).map_err(|e| err("walk", &format!("{field}[{i}]"), e.to_string()))?;
            }
        }
        let follow = uw.follow.or(bw.follow).unwrap_or(false);
        if user.root_aliases.is_some() && user.root.is_none() {
            return Err(err(
                "",
                "root_aliases",
                "other names of the root need `root` too".into(),
            ));
        }
        if user.root.as_ref().is_some_and(|r| r.as_os_str().is_empty()) {
            return Err(err("", "root", "an empty path".into()));
        }
        if let Some(i) = user
            .root_aliases
            .iter()
            .flatten()
            .position(|a| a.trim().is_empty())
        {
            return Err(err(
                "",
                &format!("root_aliases[{i}]"),
                "an empty path".into(),
            ));
        }
        let suppressions = match user.suppressions {
            Some(p) => Some(rel(p)),
            None => {
                let beside = dir
                    .map(|d| d.join(SUPPRESSIONS_NAME))
                    .filter(|p| p.is_file());
                if beside.is_some() {
                    origins.insert("suppressions".into(), Origin::BesideFile);
                }
                beside
            }
        };
        Ok(Config {
            origin: origin.to_string(),
            file: None,
            source: if built_in {
                Source::BuiltIn
            } else {
                Source::Given
            },
            origins,
            labels: user.labels.map(rel),
            detectors: user.detectors.map(rel),
            handling: user.handling.map(rel),
            extend: user
                .extend
                .unwrap_or_default()
                .into_iter()
                .map(rel)
                .collect(),
            suppressions,
            lang,
            fail_on,
            hash_key: user.hash_key,
            root: user.root.map(rel),
            root_aliases: user.root_aliases.unwrap_or_default(),
            disable: rules.disable.or(base_rules.disable).unwrap_or_default(),
            severity: rules.severity.or(base_rules.severity).unwrap_or_default(),
            thresholds,
            marking,
            excel_max_chars,
            strict_allowlist,
            destinations,
            businesses,
            limits,
            include,
            exclude,
            follow,
            strict,
            destination_globs,
            business_globs,
        })
    }

    /// The destination that says what may go to `path` (a path or URL): of those whose
    /// pattern matches it, the most specific (see [`Destination::specificity`]); of equally
    /// specific ones, the first listed.
    pub fn destination(&self, path: &str) -> Option<&Destination> {
        self.destination_globs
            .matches(path)
            .into_iter()
            .max_by_key(|&i| (self.destinations[i].specificity(path), std::cmp::Reverse(i)))
            .map(|i| &self.destinations[i])
    }

    /// The destination named `name` (case-insensitive), if one is.
    pub fn destination_named(&self, name: &str) -> Option<&Destination> {
        self.destinations.iter().find(|d| {
            d.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    }

    /// Whether Strengt beskyttet may go to `path`.
    pub fn strict_allowed(&self, path: &str) -> bool {
        self.strict.is_match(path)
    }

    /// The business a scanned path belongs to.
    pub fn business(&self, path: &str) -> Option<&str> {
        self.business_globs
            .first(path)
            .map(|i| self.businesses[i].name.as_str())
    }
}

/// The keys a configuration file sets, as [`Config::origins`] names them.
fn keys_set(raw: &Raw) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut set = |key: &str, present: bool| {
        if present {
            keys.insert(key.to_string());
        }
    };
    set("labels", raw.labels.is_some());
    set("detectors", raw.detectors.is_some());
    set("handling", raw.handling.is_some());
    set("extend", raw.extend.is_some());
    set("suppressions", raw.suppressions.is_some());
    set("lang", raw.lang.is_some());
    set("fail_on", raw.fail_on.is_some());
    set("hash_key", raw.hash_key.is_some());
    set("root", raw.root.is_some());
    set("root_aliases", raw.root_aliases.is_some());
    set("destination", raw.destination.is_some());
    set("business", raw.business.is_some());
    if let Some(r) = &raw.rules {
        set("rules.disable", r.disable.is_some());
        set("rules.severity", r.severity.is_some());
    }
    if let Some(m) = &raw.marking {
        set("marking.apen", m.apen.is_some());
        set("marking.intern", m.intern.is_some());
        set("marking.beskyttet", m.beskyttet.is_some());
        set("marking.strengt-beskyttet", m.strengt_beskyttet.is_some());
        set("marking.excel_max_chars", m.excel_max_chars.is_some());
    }
    if let Some(p) = &raw.policy {
        set("policy.strict_allowlist", p.strict_allowlist.is_some());
    }
    if let Some(l) = &raw.limits {
        set("limits.max_entries", l.max_entries.is_some());
        set("limits.max_part_bytes", l.max_part_bytes.is_some());
        set("limits.max_file_bytes", l.max_file_bytes.is_some());
        set("limits.max_ratio", l.max_ratio.is_some());
        set("limits.max_depth", l.max_depth.is_some());
        set("limits.max_text_bytes", l.max_text_bytes.is_some());
        set("limits.max_seconds", l.max_seconds.is_some());
        set("limits.max_memory", l.max_memory.is_some());
        set("limits.scan_memory", l.scan_memory.is_some());
        set("limits.max_embedded", l.max_embedded.is_some());
    }
    if let Some(w) = &raw.walk {
        set("walk.include", w.include.is_some());
        set("walk.exclude", w.exclude.is_some());
        set("walk.follow", w.follow.is_some());
    }
    for k in raw.thresholds.iter().flat_map(|t| t.keys()) {
        keys.insert(format!("thresholds.{k}"));
    }
    keys
}

/// Globs matched case-insensitively on `/`-separated paths; `*` stays within a folder.
pub fn glob(pattern: &str) -> Result<Glob, BadPattern> {
    GlobBuilder::new(&normal(pattern))
        .case_insensitive(true)
        .literal_separator(true)
        .build()
        .map_err(BadPattern)
}

/// A glob that does not parse.
#[derive(Debug)]
pub struct BadPattern(globset::Error);

impl std::fmt::Display for BadPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad pattern: {}", self.0)
    }
}

impl std::error::Error for BadPattern {}

fn normal(path: &str) -> String {
    path.replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_destination_counts() {
        let c = Config::built_in();
        let kind = |p: &str| c.destination(p).and_then(|d| d.kind.as_deref());
        assert_eq!(
            kind("https://oslo.sharepoint.com/sites/prosjekt/Delt/a.docx"),
            Some("team-site")
        );
        assert_eq!(
            kind("https://oslo.sharepoint.com/sites/prosjekt/Delt med eksterne/a.docx"),
            Some("external-sharing")
        );
        assert_eq!(
            kind("https://oslo-my.sharepoint.com/personal/kari_oslo_kommune_no/Documents/a.docx"),
            Some("personal-onedrive")
        );
        assert_eq!(
            kind("https://www.dropbox.com/home/privat/a.docx"),
            Some("private-cloud")
        );
        assert_eq!(kind("https://example.org/a.docx"), None);
        // A catch-all listed first does not hide a more specific site.
        let c = Config::parse(
            "[[destination]]\npattern = \"**\"\nmax_class = \"intern\"\n\
             [[destination]]\nname = \"Barnevern\"\npattern = \"https://oslo.sharepoint.com/sites/barnevern/**\"\nmax_class = \"beskyttet\"\n",
            "o.toml",
            None,
        )
        .unwrap();
        let d = c
            .destination("https://oslo.sharepoint.com/sites/barnevern/a.docx")
            .unwrap();
        assert_eq!(d.name.as_deref(), Some("Barnevern"));
        assert_eq!(
            c.destination("/tmp/a.docx").unwrap().max_class,
            Some(Class::Intern)
        );
        let named = c.destination_named("barnevern").unwrap();
        assert_eq!(named.place(), "https://oslo.sharepoint.com/sites/barnevern");
    }

    #[test]
    fn built_in_config_loads() {
        let c = Config::built_in();
        assert_eq!(c.thresholds["bulk_identifiers"], 10);
        assert_eq!(c.marking[&Class::Intern], ["footer"]);
        let d = c
            .destination("/srv/share/Delt med eksterne/rapport.docx")
            .unwrap();
        assert_eq!(d.max_class, Some(Class::Intern));
        assert!(c.destination("/srv/share/intern/rapport.docx").is_none());
        assert!(c.destination(r"C:\Users\kari\Dropbox\a.xlsx").is_some());
        // Its globs are parsed when first used: every one must parse.
        let patterns = c.destinations.iter().map(|d| d.pattern.as_str());
        let patterns = patterns.chain(c.businesses.iter().map(|b| b.pattern.as_str()));
        let patterns = patterns.chain(c.strict_allowlist.iter().map(String::as_str));
        for p in patterns {
            assert!(glob(p).is_ok(), "{p}");
        }
    }

    #[test]
    fn a_file_overrides_only_what_it_gives() {
        let c = Config::parse(
            "fail_on = \"warning\"\n[thresholds]\nbulk_contacts = 50\n[[business]]\nname = \"Bydel Frogner\"\npattern = \"**/bydel frogner/**\"\n",
            "o.toml",
            Some(Path::new("/etc")),
        )
        .unwrap();
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert_eq!(c.thresholds["bulk_contacts"], 50);
        assert_eq!(c.thresholds["bulk_identifiers"], 10);
        assert!(!c.destinations.is_empty());
        assert_eq!(
            c.business("/srv/Bydel Frogner/skole/a.docx"),
            Some("Bydel Frogner")
        );
        assert!(c.print().contains("bulk_contacts = 50"));
        // Each value knows where it came from.
        assert_eq!(c.origin_of("fail_on"), Origin::File);
        assert_eq!(c.origin_of("thresholds.bulk_contacts"), Origin::File);
        assert_eq!(c.origin_of("thresholds.bulk_identifiers"), Origin::BuiltIn);
        assert_eq!(c.origin_of("business"), Origin::File);
        assert_eq!(c.origin_of("destination"), Origin::BuiltIn);
        assert_eq!(c.source, Source::Given);
        assert!(Config::built_in().origins.is_empty());
        let shown = c.show(&|s: &str| s.to_string(), &[]);
        assert!(
            shown.contains("fail_on = \"warning\"  # from the file"),
            "{shown}"
        );
        assert!(shown.contains("lang = \"nb\"  # built-in"), "{shown}");
        assert!(shown.contains("[[business]]  # from the file"), "{shown}");
    }

    #[test]
    fn broken_config_names_file_item_and_field() {
        let e = |t: &str| Config::parse(t, "o.toml", None).err().unwrap().to_string();
        assert!(
            e("[[destination]]\npattern = \"**/x/**\"\nmax_class = \"topphemmelig\"\n")
                .starts_with("o.toml: destination[0] (**/x/**): field `max_class`"),
        );
        assert!(e("[marking]\nintern = [\"bunn\"]\n").contains("marking: field `intern`"));
        assert!(e("fail_on = \"fatal\"\n").contains("field `fail_on`"));
        assert!(
            e("[thresholds]\nmin_confidence = 101\n")
                .contains("thresholds: field `min_confidence`")
        );
        assert!(e("colour = 1\n").contains("colour"));
        assert!(e("[[business]]\nname = \"x\"\npattern = \"a[\"\n").contains("business[0]"));
        assert!(e("root_aliases = [\"S:/\"]\n").contains("field `root_aliases`: other names"));
        assert!(e("root = \"/srv\"\nroot_aliases = [\" \"]\n").contains("root_aliases[0]"));
    }

    #[test]
    fn a_relative_root_is_relative_to_the_file() {
        let c = Config::parse("root = \"felles\"\n", "o.toml", Some(Path::new("/etc/o"))).unwrap();
        assert_eq!(c.root.as_deref(), Some(Path::new("/etc/o/felles")));
        assert!(c.print().contains("root = \"/etc/o/felles\""));
    }
}
