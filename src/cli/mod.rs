//! Command-line interface: arguments in, library calls, an exit code out.
//!
//! Exit codes: 0 nothing at or above the failure threshold; 1 findings; 2 usage,
//! configuration or I/O error, or a scan that could not read some files.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::detect::Detectors;
use crate::detect::key::Key;
use crate::engine::scan::{self, Options, Patterns, Walk};
use crate::labels::catalogue::Catalogue;
use crate::model::{Lang, Severity};
use crate::report;
use crate::verdict::rules::Rules;
use crate::verdict::suppress::{Baseline, Suppressions};

#[derive(Parser, Debug)]
#[command(
    name = "o365lint",
    version,
    about = "Lint Office documents against the Office 365 handling rules: sensitivity labels, personal data, handling-rule breaches."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan files and folders (recursively): format, encryption and every sensitivity label
    /// of each Office document.
    Scan(ScanArgs),
    /// Print the text the linter extracts from documents, each piece with its location
    /// (part, place, kind and flags), so you can see what it saw. Identifier-like digit
    /// runs are masked.
    Text(TextArgs),
    /// List the handling rules in effect (with the configuration's severities).
    Rules(RulesArgs),
    /// Explain a handling rule: what it checks, why it matters, how to fix it.
    Explain {
        /// The rule id, e.g. PII-01.
        id: String,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// Show the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Work with the label catalogue (label GUID → class).
    #[command(subcommand)]
    Labels(LabelsCommand),
}

/// Where the configuration and rules come from, and the language of their texts.
#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    /// Configuration file (o365lint.toml); default: the nearest o365lint.toml in the
    /// current folder or above, else the built-in configuration.
    #[arg(long, value_name = "FILE", env = "O365LINT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Handling rules (TOML), replacing the configuration's; default: the built-in ones.
    #[arg(long, value_name = "FILE", env = "O365LINT_RULES")]
    pub rules: Option<PathBuf>,
    /// Language of rule texts [default: the configuration's, else nb].
    #[arg(long, value_enum, env = "O365LINT_LANG")]
    pub lang: Option<LangArg>,
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print the configuration in effect for a path (default: the current folder), as TOML,
    /// with where it came from.
    Print {
        /// The folder or file whose configuration to show.
        path: Option<PathBuf>,
        /// Configuration file; default: the nearest o365lint.toml at or above the path.
        #[arg(long, value_name = "FILE", env = "O365LINT_CONFIG")]
        config: Option<PathBuf>,
    },
}

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
    /// Configuration file (o365lint.toml); default: the nearest o365lint.toml in the first
    /// scanned folder or above, else the built-in configuration.
    #[arg(long, value_name = "FILE", env = "O365LINT_CONFIG")]
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
    /// Files not fully read (unreadable, damaged, over a limit) do not make the exit code 2.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Colour in text output and a progress line on standard error.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// No progress line on standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
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
    fn severity(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Norwegian (bokmål).
    Nb,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Nb => Lang::Nb,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct TextArgs {
    /// Documents to read (read whatever their name).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
    /// Detectors used to mask identifiers (TOML); default: the built-in ones.
    #[arg(long, value_name = "FILE", env = "O365LINT_DETECTORS")]
    pub detectors: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    /// A line with part, place and kind, then the text indented.
    Text,
    /// One JSON object per piece and line: part, where, kind, flags, text.
    Jsonl,
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

#[derive(Subcommand, Debug)]
pub enum LabelsCommand {
    /// Convert a label export from Purview (`Get-Label | ConvertTo-Json -Depth 5`) or from
    /// Microsoft Graph (`sensitivityLabels`) into a catalogue (TOML) on standard output.
    Import {
        /// The JSON export.
        file: PathBuf,
        /// The own tenant id (the `siteId` in files), if the export does not hold it.
        #[arg(long, value_name = "GUID")]
        tenant: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Show the label catalogue in use.
    List {
        /// Label catalogue (TOML); default: the built-in demo catalogue.
        #[arg(long, value_name = "FILE", env = "O365LINT_LABELS")]
        labels: Option<PathBuf>,
    },
}

const FAILURE: u8 = 2;

pub fn run(cli: Cli) -> ExitCode {
    install_panic_hook();
    let result = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Text(args) => run_text(args),
        Command::Rules(args) => run_rules(&args),
        Command::Explain { id, rules } => run_explain(&id, &rules),
        Command::Config(ConfigCommand::Print { path, config }) => {
            run_config_print(path, config.as_deref())
        }
        Command::Labels(LabelsCommand::Import {
            file,
            tenant,
            output,
        }) => run_import(&file, tenant.as_deref(), output),
        Command::Labels(LabelsCommand::List { labels }) => run_list(labels),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // Output closed early (`| head`): not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            // A configuration, suppressions or baseline file may quote what it holds.
            let message = Detectors::built_in().mask(&e.to_string());
            eprintln!("o365lint: error: {message}");
            ExitCode::from(FAILURE)
        }
    }
}

/// Replaces the default panic hook, which prints the panic's message: a parser that trips
/// over a document may put the document's text (an identifier) in it (DESIGN.md, Privacy).
/// The scan turns the panic into the file's error; standard error only learns where in the
/// code it happened. Installed once, however often it is called.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!(
                "o365lint: internal error{at} (message withheld: it may quote document text)"
            );
        }));
    });
}

fn config_error(e: crate::model::ConfigError) -> io::Error {
    io::Error::other(e.to_string())
}

/// The configuration: `--config`/`O365LINT_CONFIG`, else the nearest o365lint.toml at or
/// above `start`, else the built-in one.
fn config(explicit: Option<&Path>, start: Option<&Path>) -> io::Result<Config> {
    Config::find(explicit, start).map_err(config_error)
}

/// The rules a configuration asks for, or the rules file given on the command line (with
/// the configuration's severities and thresholds).
fn rules(config: &Config, path: Option<&Path>, tags: &[String]) -> io::Result<Rules> {
    let mut config = config.clone();
    if let Some(p) = path {
        config.handling = Some(p.to_path_buf());
    }
    Rules::configured(&config, tags).map_err(config_error)
}

fn lang(arg: Option<LangArg>, config: &Config) -> Lang {
    arg.map_or(config.lang, Lang::from)
}

fn run_rules(args: &RulesArgs) -> io::Result<u8> {
    let config = config(args.config.as_deref(), Some(Path::new(".")))?;
    let r = rules(&config, args.rules.as_deref(), &[])?;
    let lang = lang(args.lang, &config);
    let mut out = BufWriter::new(io::stdout().lock());
    for rule in &r.rules {
        let require = rule
            .require
            .as_deref()
            .and_then(crate::model::Class::parse)
            .map(|c| format!("  [≥ {}]", c.name()))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<8} {:<8} {}{require}",
            rule.id,
            rule.severity.id(),
            rule.summary(lang)
        )?;
    }
    out.flush()?;
    Ok(0)
}

fn run_explain(id: &str, args: &RulesArgs) -> io::Result<u8> {
    let config = config(args.config.as_deref(), Some(Path::new(".")))?;
    let r = rules(&config, args.rules.as_deref(), &[])?;
    let lang = lang(args.lang, &config);
    let Some(rule) = r.get(id) else {
        eprintln!("o365lint: error: no rule {id:?} (see `o365lint rules`)");
        return Ok(FAILURE);
    };
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(
        out,
        "{} ({}): {}\n",
        rule.id,
        rule.severity,
        rule.summary(lang)
    )?;
    writeln!(out, "{}", rule.explain(lang))?;
    if let Some(c) = rule.require.as_deref().and_then(crate::model::Class::parse) {
        let what = match lang {
            Lang::Nb => "Krever minst",
            Lang::En => "Requires at least",
        };
        writeln!(out, "\n{what}: {}", c.name())?;
    }
    out.flush()?;
    Ok(0)
}

fn run_config_print(path: Option<PathBuf>, explicit: Option<&Path>) -> io::Result<u8> {
    let start = path.unwrap_or_else(|| PathBuf::from("."));
    let config = config(explicit, Some(&start))?;
    // Check that the files it names load, as a scan would.
    let det = detectors(&config, None)?;
    rules(&config, None, &det.tag_names())?;
    catalogue(&config, None)?;
    let mut out = io::stdout().lock();
    out.write_all(config.print().as_bytes())?;
    Ok(0)
}

fn detectors(config: &Config, path: Option<&Path>) -> io::Result<Detectors> {
    match path.or(config.detectors.as_deref()) {
        Some(p) => Detectors::load(p).map_err(config_error),
        None => Ok(Detectors::built_in()),
    }
}

fn catalogue(config: &Config, path: Option<PathBuf>) -> io::Result<Catalogue> {
    match path.or_else(|| config.labels.clone()) {
        Some(p) => Catalogue::load(&p).map_err(config_error),
        None => Ok(Catalogue::built_in()),
    }
}

/// The hash key: `O365LINT_HASH_KEY`, else the configuration's, else the public one.
fn hash_key(config: &Config) -> Key {
    std::env::var("O365LINT_HASH_KEY")
        .ok()
        .filter(|k| !k.is_empty())
        .or_else(|| config.hash_key.clone())
        .map_or_else(Key::public, |k| Key::from_secret(&k))
}

fn run_scan(args: ScanArgs) -> io::Result<u8> {
    let started = std::time::Instant::now();
    let config = config(
        args.config.as_deref(),
        args.paths.first().map(PathBuf::as_path),
    )?;
    let key = hash_key(&config);
    let mut detectors = detectors(&config, args.detectors.as_deref())?;
    detectors.hash_key = key;
    if let Some(&c) = config.thresholds.get("min_confidence") {
        detectors.settings.threshold = c as u8;
    }
    let rules = rules(&config, args.rules.as_deref(), &detectors.tag_names())?;
    let suppressions = match args
        .suppressions
        .as_deref()
        .or(config.suppressions.as_deref())
    {
        Some(p) => Suppressions::load(p).map_err(config_error)?,
        None => Suppressions::default(),
    };
    let baseline = match &args.baseline {
        Some(p) => Some(Baseline::load(p).map_err(config_error)?),
        None => None,
    };
    let patterns = |globs: &[String], what: &str| -> io::Result<Option<Patterns>> {
        if globs.is_empty() {
            return Ok(None);
        }
        Patterns::new(globs)
            .map(Some)
            .map_err(|e| io::Error::other(format!("{what}: {e}")))
    };
    let opts = Options {
        catalogue: catalogue(&config, args.labels)?,
        limits: config.limits.clone(),
        detectors,
        rules,
        lang: lang(args.lang, &config),
        destination: args.destination,
        hash_key: key,
        suppressions,
        baseline,
        walk: Walk {
            include: patterns(&[config.include.clone(), args.include].concat(), "include")?,
            exclude: patterns(&[config.exclude.clone(), args.exclude].concat(), "exclude")?,
            follow_links: args.follow || config.follow,
        },
    };
    let fail_on = match args.fail_on {
        Some(f) => f.severity(),
        None => config.fail_on,
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
    // Not locked for the whole scan: reports are written from the scanning threads.
    let mut out = BufWriter::new(io::stdout());
    let tool = crate::model::Tool::this();
    let catalogue = opts.catalogue.info();
    let mut json = None;
    let mut lines = None;
    match args.format {
        Format::Json => json = Some(report::json::Stream::begin(&tool, &catalogue, &mut out)?),
        Format::Jsonl => lines = Some(report::json::Lines::begin(&tool, &catalogue, &mut out)?),
        Format::Text => {}
    }
    let mut summary = crate::model::Summary::default();
    let mut findings = false;
    scan::scan_each(&args.paths, &opts, Some(&pool), |f| {
        summary.add(&f);
        findings |= f
            .findings
            .iter()
            .any(|x| x.suppressed.is_none() && fail_on.is_some_and(|min| x.severity >= min));
        progress.inc(1);
        if summary.errors > 0 {
            progress.set_message(format!("{} not fully read", summary.errors));
        }
        if let Some(s) = json.as_mut() {
            s.file(&f, &mut out)
        } else if let Some(l) = lines.as_mut() {
            l.file(&f, &mut out)?;
            // Lines are for piping: each goes out as soon as it is written.
            out.flush()
        } else {
            report::text::file_styled(&f, &mut out, color)
        }
    })?;
    progress.finish_and_clear();
    summary.duration_ms = (started.elapsed().as_millis() as u64).max(1);
    if let Some(s) = json {
        s.end(&summary, &mut out)?;
    } else if let Some(l) = lines {
        l.end(&summary, &mut out)?;
    } else {
        report::text::end(&summary, &mut out)?;
    }
    out.flush()?;
    let code = if summary.errors > 0 && !args.allow_incomplete {
        FAILURE
    } else if findings {
        1
    } else {
        0
    };
    Ok(code)
}

/// A progress line on standard error (files done, rate, files not fully read), or a
/// hidden one when standard error is not a terminal.
fn progress(shown: bool) -> indicatif::ProgressBar {
    if !shown {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {pos} files, {per_sec}, {elapsed} {msg}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

fn run_text(args: TextArgs) -> io::Result<u8> {
    use crate::report::pieces::{self, Style};
    let style = match args.format {
        TextFormat::Text => Style::Text,
        TextFormat::Jsonl => Style::Jsonl,
    };
    let config = config(None, args.files.first().map(PathBuf::as_path))?;
    let det = detectors(&config, args.detectors.as_deref())?;
    let mut out = BufWriter::new(io::stdout().lock());
    let mut code = 0;
    for path in &args.files {
        let shown = det.mask(&scan::display(path));
        if style == Style::Text {
            writeln!(out, "== {shown}")?;
        }
        // Printing happens inside the sink; an output error is kept and ends the read.
        let mut failed: Option<io::Error> = None;
        let mut printer = pieces::Printer::new(style, &det);
        let result = {
            let mut sink = |b: &crate::read::text::Batch| {
                if failed.is_none()
                    && let Err(e) = printer.batch(b, &mut out)
                {
                    failed = Some(e);
                }
            };
            scan::read_text_file(path, &config.limits, &mut sink)
        };
        if let Some(e) = failed {
            return Err(e);
        }
        out.flush()?;
        // Notes and errors go to standard error: standard output is the text alone.
        match result {
            Ok(doc) => {
                let m = |s: &str| det.mask(s);
                for n in &doc.notes {
                    eprintln!("{shown}: note: {}", m(n));
                }
                for e in &doc.embedded {
                    if let Some(err) = &e.error {
                        eprintln!(
                            "{shown}: embedded {}: error: {}",
                            m(&e.path),
                            m(&err.to_string())
                        );
                    }
                }
                if let Some(e) = &doc.damage {
                    eprintln!("{shown}: error: {} (partial result)", m(&e.to_string()));
                    code = FAILURE;
                }
            }
            Err(e) => {
                eprintln!("{shown}: error: {}", det.mask(&e.to_string()));
                code = FAILURE;
            }
        }
    }
    Ok(code)
}

fn run_import(
    file: &std::path::Path,
    tenant: Option<&str>,
    output: Option<PathBuf>,
) -> io::Result<u8> {
    // Windows PowerShell 5 redirects output as UTF-16: decode by byte-order mark.
    let bytes = std::fs::read(file)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", file.display())))?;
    let text = crate::read::xml::decode(bytes);
    let toml = crate::labels::import::import(&text, tenant)
        .map_err(|e| io::Error::other(format!("{}: {e}", file.display())))?;
    for w in &toml.warnings {
        eprintln!("o365lint: warning: {w}");
    }
    match output {
        Some(path) => std::fs::write(&path, &toml.text)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?,
        None => io::stdout().lock().write_all(toml.text.as_bytes())?,
    }
    Ok(0)
}

fn run_list(labels: Option<PathBuf>) -> io::Result<u8> {
    let c = catalogue(&config(None, Some(Path::new(".")))?, labels)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let tenant_name = c
        .tenant_name
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    writeln!(out, "catalogue: {}", c.origin.display())?;
    writeln!(out, "tenant:    {}{tenant_name}", c.tenant)?;
    for l in c.labels() {
        let class = l.class.map_or("class unknown", |c| c.name());
        let mut extra = Vec::new();
        if l.encrypt {
            extra.push("encrypts".to_string());
        }
        if c.is_parent(&l.id) {
            extra.push("parent label".to_string());
        }
        for (what, text) in [
            ("header", &l.marking.header),
            ("footer", &l.marking.footer),
            ("watermark", &l.marking.watermark),
        ] {
            if let Some(t) = text {
                extra.push(format!("{what} {t:?}"));
            }
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!("  [{}]", extra.join(", "))
        };
        writeln!(out, "{}  {:<18} {}{extra}", l.id, class, c.full_name(l))?;
    }
    out.flush()?;
    Ok(0)
}
