//! `o365lint rules` and `o365lint explain ID`: the handling rules in effect.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use super::{LangArg, config_error, find_config};
use crate::detect::Detectors;
use crate::engine::{Engine, exit};
use crate::model::{Class, Lang, Severity};
use crate::report::escape::{self, Escaped};
use crate::verdict::rules::Rules;

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    /// Configuration file (o365lint.toml), also from O365LINT_CONFIG. Default: the nearest
    /// o365lint.toml in the working directory or a folder above it, else the user's
    /// ($XDG_CONFIG_HOME/o365lint/o365lint.toml, else ~/.config/o365lint/o365lint.toml),
    /// else the built-in configuration.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Handling rules (TOML), replacing the configuration's; default: the built-in ones.
    #[arg(long, value_name = "FILE", env = "O365LINT_RULES")]
    pub rules: Option<PathBuf>,
    /// Language of rule texts [default: the configuration's, else nb].
    #[arg(long, value_enum, env = "O365LINT_LANG")]
    pub lang: Option<LangArg>,
}

/// The rules and language `args` and the configuration choose. Tag names are not checked:
/// listing rules needs no detectors.
fn rules(args: &RulesArgs) -> io::Result<(Rules, Lang)> {
    let config = find_config(args.config.as_deref(), &[], args.lang)?;
    let rules = Engine::rules(&config, args.rules.as_deref(), &[]).map_err(config_error)?;
    Ok((rules, args.lang.map_or(config.lang, Lang::from)))
}

pub(super) fn list(args: &RulesArgs) -> io::Result<u8> {
    let (r, lang) = rules(args)?;
    let mut out = BufWriter::new(io::stdout().lock());
    for rule in in_order(&r) {
        let require = rule
            .require
            .as_deref()
            .and_then(Class::parse)
            .map(|c| format!("  [≥ {}]", c.name()))
            .unwrap_or_default();
        let milder = rule
            .milder_severity()
            .map(|m| format!("  ({})", or_milder(m, lang, true)))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<8} {:<8} {}{require}{milder}",
            escape::escape(&rule.id),
            rule.severity.id(),
            Escaped(rule.summary(lang))
        )?;
    }
    out.flush()?;
    Ok(0)
}

/// The rules grouped by area as the rules file has them (labels, personal data, …), in the
/// order of their numbers within an area (`LBL-4` before `LBL-05` before `LBL-10`).
fn in_order(r: &Rules) -> Vec<&crate::verdict::rules::Rule> {
    let mut areas: Vec<String> = Vec::new();
    for rule in &r.rules {
        let (area, _) = split(&rule.id);
        if !areas.contains(&area) {
            areas.push(area);
        }
    }
    let mut listed: Vec<_> = r.rules.iter().collect();
    listed.sort_by_cached_key(|rule| {
        let (area, number) = split(&rule.id);
        (areas.iter().position(|a| *a == area), number)
    });
    listed
}

/// An id's area (its letters) and number.
fn split(id: &str) -> (String, u64) {
    let area = id.trim_end_matches(|c: char| c.is_ascii_digit());
    let number = id[area.len()..].parse().unwrap_or(0);
    (area.trim_end_matches('-').to_ascii_uppercase(), number)
}

/// A rule whose findings are one severity lower in some cases says so where it is listed:
/// a scan reports the severity in effect, and the listing must not contradict it.
fn or_milder(milder: Severity, lang: Lang, listing: bool) -> String {
    match (lang, listing) {
        (Lang::Nb, true) => format!("eller {milder}, se explain"),
        (Lang::Nb, false) => format!("eller {milder}: se under"),
        (Lang::En, true) => format!("or {milder}, see explain"),
        (Lang::En, false) => format!("or {milder}: see below"),
    }
}

pub(super) fn explain(id: &str, args: &RulesArgs) -> io::Result<u8> {
    let (r, lang) = rules(args)?;
    let Some(rule) = r.get(id) else {
        // What was asked is echoed as any text is shown: masked (it could be an
        // identifier typed or pasted by mistake) and escaped.
        let asked = Detectors::built_in().mask(id);
        eprintln!(
            "o365lint: error: no rule \"{}\" (see `o365lint rules`)",
            Escaped(&asked)
        );
        return Ok(exit::FAILED);
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let milder = rule
        .milder_severity()
        .map(|m| format!(", {}", or_milder(m, lang, false)))
        .unwrap_or_default();
    writeln!(
        out,
        "{} ({}{milder}): {}\n",
        Escaped(&rule.id),
        rule.severity,
        Escaped(rule.summary(lang))
    )?;
    for line in escape::lines(rule.explain(lang)) {
        writeln!(out, "{line}")?;
    }
    if let Some(c) = rule.require.as_deref().and_then(Class::parse) {
        let what = match lang {
            Lang::Nb => "Krever minst",
            Lang::En => "Requires at least",
        };
        writeln!(out, "\n{what}: {}", c.name())?;
    }
    out.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_split_into_area_and_number() {
        assert_eq!(super::split("lbl-10"), ("LBL".into(), 10));
        assert_eq!(super::split("LBL-05"), ("LBL".into(), 5));
        assert_eq!(super::split("X"), ("X".into(), 0));
    }
}
