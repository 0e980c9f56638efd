//! `o365lint report`: the report per business, from saved scans (JSON or JSON lines, one
//! or several, such as shards) or by scanning the given paths first, in the format a
//! manager, a case worker or an auditor's tool takes.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{LangArg, config_error, find_config};
use crate::engine::walk::display;
use crate::engine::{Choices, Engine};
use crate::model::{Lang, Masked, rfc3339};
use crate::report::business::{Builder, Report};
use crate::report::csv::Csv;
use crate::report::{markdown, sarif, saved, tables};

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Saved scans (`scan --format json` or `jsonl`, by their .json/.jsonl name), or files
    /// and folders to scan first.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Where to write: a file, or for CSV without --table a folder (one file per table).
    /// Default: standard output (CSV: the businesses table).
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// The CSV table to write.
    #[arg(long, value_enum)]
    pub table: Option<TableArg>,
    /// The CSV delimiter [default: ;, as Norwegian Excel expects].
    #[arg(long, value_name = "CHAR", default_value_t = ';')]
    pub csv_delimiter: char,
    /// CSV without the UTF-8 byte order mark (Excel needs it to read æøå right).
    #[arg(long)]
    pub no_bom: bool,
    /// Language of the report [default: the configuration's, else nb].
    #[arg(long, value_enum, env = "O365LINT_LANG")]
    pub lang: Option<LangArg>,
    /// Configuration file (o365lint.toml): its [[business]] mapping, rules and labels.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Worker threads when scanning (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// The whole report as JSON (schema o365lint/report/v1).
    Json,
    /// Tables for Excel: businesses, files to fix, findings.
    Csv,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// One self-contained HTML page with charts, sorting and filtering.
    Html,
    /// A short summary for e-mail or Teams.
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableArg {
    Businesses,
    Files,
    Findings,
}

impl TableArg {
    const ALL: [TableArg; 3] = [TableArg::Businesses, TableArg::Files, TableArg::Findings];

    fn file_name(self) -> &'static str {
        match self {
            TableArg::Businesses => "businesses.csv",
            TableArg::Files => "files-to-fix.csv",
            TableArg::Findings => "findings.csv",
        }
    }

    fn table(self, r: &Report) -> tables::Table {
        match self {
            TableArg::Businesses => tables::businesses(r),
            TableArg::Files => tables::files_to_fix(r),
            TableArg::Findings => tables::findings(r),
        }
    }
}

/// A saved scan, by its name.
fn is_saved(p: &Path) -> bool {
    p.is_file()
        && p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("jsonl"))
}

pub(super) fn run(args: ReportArgs) -> io::Result<u8> {
    let (saved, paths): (Vec<PathBuf>, Vec<PathBuf>) =
        args.inputs.iter().cloned().partition(|p| is_saved(p));
    let config = find_config(args.config.as_deref(), &paths, args.lang)?;
    let choices = Choices {
        lang: args.lang.map(Lang::from),
        ..Choices::from_environment()
    };
    let engine = Engine::configured(&config, choices).map_err(config_error)?;
    let keep = matches!(args.format, ReportFormat::Csv | ReportFormat::Sarif)
        || args.table == Some(TableArg::Findings);
    let det = &engine.detectors;
    let unknown = det.masked(crate::report::business::UNKNOWN);
    let mut builder = Builder::new(&engine.rules, engine.lang, keep, unknown);
    let mut sources: Vec<Masked> = Vec::new();
    for path in &saved {
        let mut add = |f: crate::model::FileResult| {
            // A scan made without the mapping: the configuration maps it now.
            let mapped = match f.business {
                Some(_) => None,
                None => [f.root_path.as_str(), f.path.as_str()]
                    .into_iter()
                    .find_map(|p| config.business(p))
                    .map(|b| det.masked(b)),
            };
            builder.add(&f, mapped);
        };
        let read = saved::read(path, &mut add).map_err(config_error)?;
        if let Some(s) = read.summary
            && s.files != read.files
        {
            eprintln!(
                "o365lint: {}: {}",
                det.masked_path(&display(path)),
                match engine.lang {
                    Lang::Nb => format!(
                        "den lagrede skanningen lister {} av {} filer (--only-findings?): rapporten teller filene den lister",
                        read.files, s.files
                    ),
                    Lang::En => format!(
                        "the saved scan lists {} of its {} files (--only-findings?): the report counts the files it lists",
                        read.files, s.files
                    ),
                }
            );
        }
        sources.push(det.masked_path(&display(path)));
    }
    if !paths.is_empty() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(args.threads.unwrap_or(0))
            .build()
            .map_err(|e| io::Error::other(format!("cannot start worker threads: {e}")))?;
        engine.scan(&paths, Some(&pool), |f| {
            builder.add(&f, None);
            Ok::<(), io::Error>(())
        })?;
        sources.extend(paths.iter().map(|p| det.masked_path(&display(p))));
    }
    let report = builder.finish(sources, rfc3339(std::time::SystemTime::now()));
    write(&report, &args)?;
    Ok(0)
}

fn write(report: &Report, args: &ReportArgs) -> io::Result<()> {
    let csv = Csv {
        delimiter: args.csv_delimiter,
        bom: !args.no_bom,
    };
    // CSV to a folder: every table, one file each.
    if args.format == ReportFormat::Csv
        && args.table.is_none()
        && let Some(dir) = &args.output
    {
        std::fs::create_dir_all(dir)?;
        for t in TableArg::ALL {
            let mut out = BufWriter::new(std::fs::File::create(dir.join(t.file_name()))?);
            csv.write(&t.table(report), &mut out)?;
            out.flush()?;
        }
        return Ok(());
    }
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(BufWriter::new(std::fs::File::create(p)?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    match args.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, report)?;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let t = args.table.unwrap_or(TableArg::Businesses);
            csv.write(&t.table(report), &mut out)?;
        }
        ReportFormat::Sarif => sarif::write(report, &mut out)?,
        ReportFormat::Html => crate::report::html::write(report, &mut out)?,
        ReportFormat::Markdown => markdown::write(report, &mut out)?,
    }
    out.flush()
}
