//! `o365lint check`: may these files go there? A verdict per file, in one line first, and
//! an exit code that answers the destination question.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::ValueEnum;

use super::scan::FailOn;
use super::{LangArg, config_error, find_config};
use std::collections::BTreeMap;

use crate::engine::check::Unknown;
use crate::engine::manifest::{self, Task};
use crate::engine::{Choices, Engine, exit};
use crate::model::{Lang, RunInfo, Summary, Tool, Verdict, rfc3339};
use crate::report;
use crate::report::business::UNKNOWN;
use crate::report::escape::Escaped;
use crate::report::text::t;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files and folders to check (folders are walked as `scan` walks them).
    #[arg(required_unless_present = "manifest", conflicts_with = "manifest")]
    pub paths: Vec<PathBuf>,
    /// Where they are going: a configured destination's name, a path (a synced library,
    /// a share, removable media) or a SharePoint, OneDrive or Teams URL.
    #[arg(
        long,
        short = 'd',
        value_name = "NAME|PATH|URL",
        required_unless_present = "manifest",
        conflicts_with = "manifest"
    )]
    pub destination: Option<String>,
    /// A migration plan instead: a SharePoint Migration Tool or Migration Manager CSV or
    /// JSON file; every source is checked against its target, and the files that may not
    /// go are listed per target.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
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

impl From<UnknownArg> for Unknown {
    fn from(u: UnknownArg) -> Unknown {
        match u {
            UnknownArg::Allow => Unknown::Allow,
            UnknownArg::Warn => Unknown::Warn,
            UnknownArg::Block => Unknown::Block,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// The verdict per file, then why and what to do.
    Text,
    /// The scan's JSON (o365lint/scan/v1), each file with its `check`.
    Json,
}

/// What to check: the paths against one destination, or each task of a migration plan.
fn tasks(args: &CheckArgs, config: &crate::config::Config) -> io::Result<Vec<Task>> {
    if let Some(m) = &args.manifest {
        return manifest::read(m).map_err(config_error);
    }
    let given = args.destination.clone().unwrap_or_default();
    // A configured destination's name stands for the place its pattern names.
    let target = match config.destination_named(&given) {
        Some(d) => d.place().to_string(),
        None => given,
    };
    Ok(args
        .paths
        .iter()
        .map(|p| Task {
            source: p.clone(),
            target: target.clone(),
            skip_extensions: Vec::new(),
            modified_after: None,
            hidden: true,
            at: String::new(),
        })
        .collect())
}

pub(super) fn run(args: CheckArgs) -> io::Result<u8> {
    let started = std::time::SystemTime::now();
    let config = find_config(args.config.as_deref(), &args.paths, args.lang)?;
    let tasks = tasks(&args, &config)?;
    let choices = Choices {
        lang: args.lang.map(Lang::from),
        destination: tasks.first().map(|t| t.target.clone()),
        ..Choices::from_environment()
    };
    let mut engine = Engine::configured(&config, choices).map_err(config_error)?;
    let plan = args.manifest.is_some();
    let unknown = Unknown::from(args.unknown);
    let fail_on = args.fail_on.and_then(FailOn::severity);
    let mut out = BufWriter::new(io::stdout());
    let mut json = match args.format {
        CheckFormat::Json => {
            let det = &engine.detectors;
            let run = RunInfo {
                started: rfc3339(started),
                roots: tasks
                    .iter()
                    .map(|t| det.masked_path(&crate::engine::walk::display(&t.source)))
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
    let mut by_business: BTreeMap<String, usize> = BTreeMap::new();
    let lang = engine.lang;
    for task in &tasks {
        engine.destination = Some(task.target.clone());
        let engine = &engine;
        let mut counts = [0usize; 3];
        if plan && json.is_none() {
            let shown = engine
                .detectors
                .masked_path(&crate::engine::walk::display(&task.source));
            let at = match task.at.parse::<usize>() {
                Ok(line) => format!("{} {line}", t(lang, "line", "linje")),
                Err(_) => task.at.clone(),
            };
            writeln!(
                out,
                "{} ({at}): {} → {}",
                t(lang, "Task", "Oppgave"),
                Escaped(&shown),
                Escaped(&engine.detectors.masked_path(&task.target))
            )?;
        }
        engine.scan(std::slice::from_ref(&task.source), None, |mut f| {
            let name = f
                .path
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or_default()
                .to_string();
            if !task.takes(&name, f.modified.as_deref()) {
                return Ok(());
            }
            let check = engine.verdict(&f, unknown);
            counts[check.verdict as usize] += 1;
            blocked |= check.verdict == Verdict::Blocked;
            unreadable |= check.verdict == Verdict::Unreadable;
            failing |= fail_on.is_some_and(|min| {
                f.findings
                    .iter()
                    .any(|x| x.suppressed.is_none() && x.severity >= min)
            });
            if check.verdict == Verdict::Blocked {
                let b = f.business.as_deref().unwrap_or(UNKNOWN);
                *by_business.entry(b.to_string()).or_default() += 1;
            }
            summary.add(&f);
            match json.as_mut() {
                Some(s) => {
                    f.check = Some(check);
                    s.file(&f, &mut out)
                }
                // A plan lists the files that may not go; one check, every file.
                None if plan && check.verdict == Verdict::Allowed => Ok(()),
                None => report::check::write(&f, &check, &engine.rules, lang, &mut out),
            }
        })?;
        if plan && json.is_none() {
            writeln!(
                out,
                "    {} {}, {} {}, {} {}\n",
                counts[Verdict::Allowed as usize],
                t(lang, "may go", "kan lastes opp"),
                counts[Verdict::Blocked as usize],
                t(lang, "may not", "kan ikke"),
                counts[Verdict::Unreadable as usize],
                t(lang, "could not be checked", "kunne ikke kontrolleres"),
            )?;
        }
    }
    if let Some(s) = json {
        s.end(&summary, &mut out)?;
    } else if plan && !by_business.is_empty() {
        let list: Vec<String> = by_business
            .iter()
            .map(|(b, n)| format!("{b} {n}"))
            .collect();
        writeln!(
            out,
            "{}: {}",
            t(
                lang,
                "may not go, by business",
                "kan ikke lastes opp, per virksomhet"
            ),
            Escaped(&list.join(", "))
        )?;
    }
    out.flush()?;
    // The process ends here: freeing the engine's tables is work no one waits for
    // (a tenth of a one-file check's own work).
    std::mem::forget(engine);
    Ok(if unreadable {
        exit::INCOMPLETE
    } else if blocked || failing {
        exit::FINDINGS
    } else {
        exit::CLEAN
    })
}
