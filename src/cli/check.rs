//! `o365lint check`: may these files go there? A verdict per file, in one line first, and
//! an exit code that answers the destination question.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::ValueEnum;

use super::scan::FailOn;
use super::{LangArg, config_error, find_config};
use crate::engine::check::Unknown;
use crate::engine::{Choices, Engine, exit};
use crate::model::{Lang, RunInfo, Summary, Tool, Verdict, rfc3339};
use crate::report;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files and folders to check (folders are walked as `scan` walks them).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Where they are going: a configured destination's name, a path (a synced library,
    /// a share, removable media) or a SharePoint, OneDrive or Teams URL.
    #[arg(long, short = 'd', value_name = "NAME|PATH|URL")]
    pub destination: String,
    /// A destination no configured pattern knows: let files pass, pass them with a
    /// warning, or block them.
    #[arg(long, value_enum, default_value_t = UnknownArg::Warn)]
    pub unknown: UnknownArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Also exit with 1 for other findings at least this severe (default: only the
    /// destination decides).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Language of the answers [default: the configuration's, else nb].
    #[arg(long, value_enum, env = "O365LINT_LANG")]
    pub lang: Option<LangArg>,
    /// Configuration file (o365lint.toml): destinations, allow-list, rules.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum UnknownArg {
    Allow,
    Warn,
    Block,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// The verdict per file, then why and what to do.
    Text,
    /// The scan's JSON (o365lint/scan/v1), each file with its `check`.
    Json,
}

pub(super) fn run(args: CheckArgs) -> io::Result<u8> {
    let started = std::time::SystemTime::now();
    let config = find_config(args.config.as_deref(), &args.paths, args.lang)?;
    // A configured destination's name stands for the place its pattern names.
    let destination = match config.destination_named(&args.destination) {
        Some(d) => d.place().to_string(),
        None => args.destination.clone(),
    };
    let choices = Choices {
        lang: args.lang.map(Lang::from),
        destination: Some(destination),
        ..Choices::from_environment()
    };
    let engine = Engine::configured(&config, choices).map_err(config_error)?;
    let unknown = match args.unknown {
        UnknownArg::Allow => Unknown::Allow,
        UnknownArg::Warn => Unknown::Warn,
        UnknownArg::Block => Unknown::Block,
    };
    let fail_on = args.fail_on.and_then(FailOn::severity);
    let mut out = BufWriter::new(io::stdout());
    let mut json = match args.format {
        CheckFormat::Json => {
            let det = &engine.detectors;
            let run = RunInfo {
                started: rfc3339(started),
                roots: args
                    .paths
                    .iter()
                    .map(|p| det.masked_path(&crate::engine::walk::display(p)))
                    .collect(),
                ..RunInfo::default()
            };
            Some(report::json::Stream::begin(
                &Tool::this(),
                &engine.catalogue_info(),
                Some(&run),
                &mut out,
            )?)
        }
        CheckFormat::Text => None,
    };
    let (mut blocked, mut unreadable, mut failing) = (false, false, false);
    let mut summary = Summary::default();
    engine.scan(&args.paths, None, |mut f| {
        let check = engine.verdict(&f, unknown);
        blocked |= check.verdict == Verdict::Blocked;
        unreadable |= check.verdict == Verdict::Unreadable;
        failing |= fail_on.is_some_and(|min| {
            f.findings
                .iter()
                .any(|x| x.suppressed.is_none() && x.severity >= min)
        });
        summary.add(&f);
        match json.as_mut() {
            Some(s) => {
                f.check = Some(check);
                s.file(&f, &mut out)
            }
            None => report::check::write(&f, &check, &engine.rules, engine.lang, &mut out),
        }
    })?;
    if let Some(s) = json {
        s.end(&summary, &mut out)?;
    }
    out.flush()?;
    Ok(if unreadable {
        exit::INCOMPLETE
    } else if blocked || failing {
        exit::FINDINGS
    } else {
        exit::CLEAN
    })
}
