//! `o365lint scan`: every document under the given paths, its labels, personal data and
//! handling-rule findings, as text, JSON or JSON lines.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::ValueEnum;

use super::filter::{self, MinSeverity, Show};
use super::{LangArg, config_error, find_config};
use crate::engine::walk::display;
use crate::engine::{Allowed, Choices, Engine};
use crate::model::{ConfigOrigin, Lang, RunInfo, Severity, Summary, Tool, rfc3339};
use crate::report;

#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Files and folders to scan. Folders are walked for Office documents (by extension);
    /// files named explicitly are always read, whatever their name.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Label catalogue (TOML, see rules/labels.toml); default: the built-in demo catalogue.
    #[arg(long, value_name = "FILE", env = "O365LINT_LABELS")]
    pub labels: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Detectors of personal data (TOML, see rules/detectors.toml); default: the built-in ones.
    #[arg(long, value_name = "FILE", env = "O365LINT_DETECTORS")]
    pub detectors: Option<PathBuf>,
    /// Handling rules (TOML, see rules/handling.toml); default: the configuration's, else
    /// the built-in ones.
    #[arg(long, value_name = "FILE", env = "O365LINT_RULES")]
    pub rules: Option<PathBuf>,
    /// Configuration file (o365lint.toml), also from O365LINT_CONFIG. Default: the nearest
    /// o365lint.toml in the working directory or a folder above it that is not inside a
    /// scanned folder, else the user's ($XDG_CONFIG_HOME/o365lint/o365lint.toml, else
    /// ~/.config/o365lint/o365lint.toml), else the built-in configuration. An o365lint.toml
    /// inside a scanned folder is never obeyed unless given here.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where the files are going (a folder, synced library or site URL): checks each file
    /// against the destination rules as if it were there, at its path below the scanned folder.
    #[arg(long, value_name = "PATH_OR_URL")]
    pub destination: Option<String>,
    /// Accepted findings (TOML); default: the configuration's, else o365lint-ignore.toml
    /// beside the configuration file.
    #[arg(long, value_name = "FILE", env = "O365LINT_SUPPRESSIONS")]
    pub suppressions: Option<PathBuf>,
    /// An earlier JSON report (`scan --format json`): findings it has do not fail the run,
    /// and labels lowered since are reported (LBL-09).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Exit with 1 when a finding is at least this severe [default: the configuration's,
    /// else error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Language of rule texts [default: the configuration's, else nb].
    #[arg(long, value_enum, env = "O365LINT_LANG")]
    pub lang: Option<LangArg>,
    /// In folders, read only files matching this glob (repeatable). A glob without `/`
    /// matches a file name (`*.xlsx`), one with `/` the path below the folder.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// In folders, skip files and folders matching this glob (repeatable), e.g. `Arkiv`,
    /// `*.tmp.docx`, `Gammelt/**`.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Follow symbolic links in folders (loops are reported, not followed round).
    #[arg(long)]
    pub follow: bool,
    /// Files whose content was not (fully) checked, and folders not read, do not make the
    /// exit code 3: all of them, or only those for the reasons given (comma-separated):
    /// format-not-read (or format), password, irm, encrypted (both), limit, damaged,
    /// unreadable, all.
    #[arg(
        long,
        value_name = "REASON",
        num_args = 0..,
        require_equals = true,
        value_delimiter = ',',
        value_parser = parse_allowed
    )]
    pub allow_incomplete: Option<Vec<Allowed>>,
    /// Colour in text output and a progress line on standard error.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// No progress line on standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Judge only this rule (repeatable); the others are off, as if disabled. Changes the
    /// findings, the summary and the exit code.
    #[arg(long = "rule", value_name = "ID")]
    pub rule: Vec<String>,
    /// Do not judge this rule (repeatable), like `[rules] disable` in the configuration.
    /// Changes the findings, the summary and the exit code.
    #[arg(long, value_name = "ID")]
    pub disable: Vec<String>,
    /// Output only: write only files with findings (at --min-severity) or not fully read.
    /// The summary and the exit code still count every file.
    #[arg(long)]
    pub only_findings: bool,
    /// Output only: leave out findings below this severity. The summary and the exit code
    /// still count every finding.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<MinSeverity>,
}

fn parse_allowed(word: &str) -> Result<Allowed, String> {
    Allowed::parse(word).ok_or_else(|| {
        "known reasons: format-not-read (format), password, irm, encrypted, limit, damaged, unreadable, all".into()
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// When the output is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Findings never change the exit code.
    Never,
}

impl FailOn {
    /// The least severity that fails the run; `None`: findings never do.
    pub(super) fn severity(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable, one block per file and a summary.
    Text,
    /// One JSON document (schema o365lint/scan/v1).
    Json,
    /// One JSON object per line: a header, each file as it is done, the summary.
    Jsonl,
}

pub(super) fn run(args: ScanArgs) -> io::Result<u8> {
    let started = std::time::Instant::now();
    let started_at = std::time::SystemTime::now();
    let config = find_config(args.config.as_deref(), &args.paths, args.lang)?;
    let choices = Choices {
        labels: args.labels,
        detectors: args.detectors,
        rules: args.rules,
        suppressions: args.suppressions,
        baseline: args.baseline,
        lang: args.lang.map(Lang::from),
        destination: args.destination,
        include: args.include,
        exclude: args.exclude,
        follow: args.follow,
        fail_on: args.fail_on.map(FailOn::severity),
        allow_incomplete: match args.allow_incomplete {
            None => Allowed::NONE,
            Some(words) if words.is_empty() => Allowed::ALL,
            Some(words) => words.into_iter().fold(Allowed::NONE, Allowed::with),
        },
        ..Choices::from_environment()
    };
    let mut engine = Engine::configured(&config, choices).map_err(config_error)?;
    filter::restrict(&mut engine.rules, &args.rule, &args.disable)?;
    let show = Show {
        only_findings: args.only_findings,
        min_severity: args.min_severity,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| io::Error::other(format!("cannot start worker threads: {e}")))?;
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let progress = progress(!args.quiet && io::stderr().is_terminal());
    // Not locked for the whole scan: results are written from the scanning threads.
    let mut out = BufWriter::new(io::stdout());
    let tool = Tool::this();
    let catalogue = engine.catalogue_info();
    let run = run_info(&engine, &config, &args.paths, started_at);
    let mut json = None;
    let mut lines = None;
    match args.format {
        Format::Json => {
            json = Some(report::json::Stream::begin(
                &tool,
                &catalogue,
                Some(&run),
                &mut out,
            )?)
        }
        Format::Jsonl => {
            lines = Some(report::json::Lines::begin(
                &tool,
                &catalogue,
                Some(&run),
                &mut out,
            )?)
        }
        Format::Text => {}
    }
    let mut summary = Summary::default();
    let mut failing = false;
    let walked = engine.scan(&args.paths, Some(&pool), |f| {
        summary.add(&f);
        failing |= engine.policy.fails(&f);
        progress.inc(1);
        if summary.errors > 0 {
            progress.set_message(format!("{} not fully read", summary.errors));
        }
        let Some(f) = show.file(&f) else {
            return Ok(());
        };
        if let Some(s) = json.as_mut() {
            s.file(&f, &mut out)
        } else if let Some(l) = lines.as_mut() {
            l.file(&f, &mut out)?;
            // Lines are for piping: each goes out as soon as it is written.
            out.flush()
        } else {
            report::text::file_styled(&f, &mut out, color, engine.lang)
        }
    })?;
    progress.finish_and_clear();
    summary.duration_ms = (started.elapsed().as_millis() as u64).max(1);
    // A configuration met inside a scanned folder is not obeyed; the user is told, in the
    // summary and, when the output is for programs, on standard error too.
    summary.configs_not_obeyed = walked.configs;
    summary.walk = walked.walk;
    if args.format != Format::Text {
        for c in &summary.configs_not_obeyed {
            let note = report::text::t(engine.lang, "note", "merknad");
            eprintln!(
                "o365lint: {note}: {}",
                report::text::not_obeyed(c, engine.lang)
            );
        }
        for n in &summary.walk.notes {
            let note = report::text::t(engine.lang, "note", "merknad");
            eprintln!("o365lint: {note}: {}", report::escape::Escaped(n));
        }
    }
    // Whatever the format: a filter that leaves nothing is no clean scan (exit 2).
    if crate::engine::nothing_left(&summary) {
        eprintln!(
            "o365lint: warning: {}",
            report::text::nothing_left(&summary, engine.lang)
        );
    }
    if let Some(s) = json {
        s.end(&summary, &mut out)?;
    } else if let Some(l) = lines {
        l.end(&summary, &mut out)?;
    } else {
        report::text::end(&summary, &mut out, engine.lang)?;
    }
    out.flush()?;
    Ok(engine.policy.code(&summary, failing))
}

/// When the scan started, the paths given and the configuration obeyed, masked as names.
fn run_info(
    engine: &Engine,
    config: &crate::config::Config,
    paths: &[PathBuf],
    started: std::time::SystemTime,
) -> RunInfo {
    let det = &engine.detectors;
    RunInfo {
        started: rfc3339(started),
        roots: paths.iter().map(|p| det.masked_path(&display(p))).collect(),
        config: ConfigOrigin {
            file: config.file.as_deref().map(|f| det.masked_path(&display(f))),
            found_as: config.source.to_string(),
        },
    }
}

/// Files per second as the progress line shows it: a whole number, or one decimal below 10.
fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() {
        return "? files/s".into();
    }
    if per_sec < 10.0 {
        format!("{per_sec:.1} files/s")
    } else {
        format!("{per_sec:.0} files/s")
    }
}

/// A progress line on standard error (files done, rate, files not fully read), or a
/// hidden one when standard error is not a terminal.
fn progress(shown: bool) -> indicatif::ProgressBar {
    if !shown {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    // indicatif's own {per_sec} prints four decimals ("4,056.6953/s"): a whole number reads.
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {pos} files, {rate}, {elapsed} {msg}")
    {
        bar.set_style(style.with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", rate(s.per_sec()));
            },
        ));
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rate_is_a_plain_number() {
        assert_eq!(super::rate(4056.6953), "4057 files/s");
        assert_eq!(super::rate(2.345), "2.3 files/s");
        assert_eq!(super::rate(f64::NAN), "? files/s");
    }
}
