//! Command-line interface: arguments in, library calls, an exit code out.
//!
//! Exit codes: 0 nothing at or above the failure threshold; 1 findings; 2 usage,
//! configuration or I/O error, or a scan that could not read some files.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::catalogue::Catalogue;
use crate::container::Limits;
use crate::detect::Detectors;
use crate::report;
use crate::rules::{Lang, Rules, Severity};
use crate::scan::{self, Options};

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
    /// List the handling rules.
    Rules {
        /// Language of rule texts.
        #[arg(long, value_enum, default_value_t = LangArg::Nb, env = "O365LINT_LANG")]
        lang: LangArg,
        /// Handling rules (TOML); default: the built-in ones.
        #[arg(long, value_name = "FILE", env = "O365LINT_RULES")]
        rules: Option<PathBuf>,
    },
    /// Explain a handling rule: what it checks, why it matters, how to fix it.
    Explain {
        /// The rule id, e.g. PII-01.
        id: String,
        /// Language of rule texts.
        #[arg(long, value_enum, default_value_t = LangArg::Nb, env = "O365LINT_LANG")]
        lang: LangArg,
        /// Handling rules (TOML); default: the built-in ones.
        #[arg(long, value_name = "FILE", env = "O365LINT_RULES")]
        rules: Option<PathBuf>,
    },
    /// Work with the label catalogue (label GUID → class).
    #[command(subcommand)]
    Labels(LabelsCommand),
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
    /// Handling rules (TOML, see rules/handling.toml); default: the built-in ones.
    #[arg(long, value_name = "FILE", env = "O365LINT_RULES")]
    pub rules: Option<PathBuf>,
    /// Exit with 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Language of rule texts.
    #[arg(long, value_enum, default_value_t = LangArg::Nb, env = "O365LINT_LANG")]
    pub lang: LangArg,
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
        Command::Rules { lang, rules } => run_rules(lang.into(), rules),
        Command::Explain { id, lang, rules } => run_explain(&id, lang.into(), rules),
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
            eprintln!("o365lint: error: {e}");
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

fn severity_of(s: &str) -> Severity {
    match s {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        _ => Severity::Off,
    }
}

fn rules(path: Option<&std::path::Path>, tags: &[String]) -> io::Result<Rules> {
    match path {
        Some(p) => Rules::load(p, tags).map_err(|e| io::Error::other(e.to_string())),
        None => Ok(Rules::built_in()),
    }
}

fn run_rules(lang: Lang, path: Option<PathBuf>) -> io::Result<u8> {
    let r = rules(path.as_deref(), &[])?;
    let mut out = BufWriter::new(io::stdout().lock());
    for rule in &r.rules {
        let require = rule
            .require
            .as_deref()
            .and_then(crate::catalogue::Class::parse)
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

fn run_explain(id: &str, lang: Lang, path: Option<PathBuf>) -> io::Result<u8> {
    let r = rules(path.as_deref(), &[])?;
    let Some(rule) = r.get(id) else {
        eprintln!("o365lint: error: no rule {id:?} (see `o365lint rules`)");
        return Ok(FAILURE);
    };
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(
        out,
        "{} ({}): {}
",
        rule.id,
        rule.severity,
        rule.summary(lang)
    )?;
    writeln!(out, "{}", rule.explain(lang))?;
    if let Some(c) = rule
        .require
        .as_deref()
        .and_then(crate::catalogue::Class::parse)
    {
        let what = match lang {
            Lang::Nb => "Krever minst",
            Lang::En => "Requires at least",
        };
        writeln!(
            out,
            "
{what}: {}",
            c.name()
        )?;
    }
    out.flush()?;
    Ok(0)
}

fn detectors(path: Option<&std::path::Path>) -> io::Result<Detectors> {
    match path {
        Some(p) => Detectors::load(p).map_err(|e| io::Error::other(e.to_string())),
        None => Ok(Detectors::built_in()),
    }
}

fn catalogue(path: Option<PathBuf>) -> io::Result<Catalogue> {
    match path {
        Some(p) => Catalogue::load(&p).map_err(|e| io::Error::other(e.to_string())),
        None => Ok(Catalogue::built_in()),
    }
}

fn run_scan(args: ScanArgs) -> io::Result<u8> {
    let detectors = detectors(args.detectors.as_deref())?;
    let rules = rules(args.rules.as_deref(), &detectors.tag_names())?;
    let opts = Options {
        catalogue: catalogue(args.labels)?,
        limits: Limits::default(),
        detectors,
        rules,
        lang: args.lang.into(),
    };
    let fail_on = args.fail_on.severity();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| io::Error::other(format!("cannot start worker threads: {e}")))?;
    let mut out = BufWriter::new(io::stdout().lock());
    let mut json = match args.format {
        Format::Json => Some(report::json::Stream::begin(
            &report::Tool::this(),
            &report::CatalogueInfo::of(&opts.catalogue),
            &mut out,
        )?),
        Format::Text => None,
    };
    let mut summary = report::Summary::default();
    let mut findings = false;
    scan::scan_each(&args.paths, &opts, Some(&pool), |f| {
        summary.add(&f);
        findings |= f
            .findings
            .iter()
            .any(|x| fail_on.is_some_and(|min| severity_of(&x.severity) >= min));
        match json.as_mut() {
            Some(s) => s.file(&f, &mut out),
            None => report::text::file(&f, &mut out),
        }
    })?;
    match json {
        Some(s) => s.end(&summary, &mut out)?,
        None => report::text::end(&summary, &mut out)?,
    }
    out.flush()?;
    let code = if summary.errors > 0 {
        FAILURE
    } else if findings {
        1
    } else {
        0
    };
    Ok(code)
}

fn run_text(args: TextArgs) -> io::Result<u8> {
    use crate::report::pieces::{self, Style};
    let style = match args.format {
        TextFormat::Text => Style::Text,
        TextFormat::Jsonl => Style::Jsonl,
    };
    let det = detectors(args.detectors.as_deref())?;
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
            let mut sink = |b: &crate::text::Batch| {
                if failed.is_none()
                    && let Err(e) = printer.batch(b, &mut out)
                {
                    failed = Some(e);
                }
            };
            scan::read_text_file(path, &Limits::default(), &mut sink)
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
    let text = crate::xml::decode(bytes);
    let toml = crate::import::import(&text, tenant)
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
    let c = catalogue(labels)?;
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
