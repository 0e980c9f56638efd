//! Command-line interface: arguments → engine → output; nothing else. One file per command.
//!
//! Exit codes (`engine::exit`): 0 nothing at or above the failure threshold; 1 findings;
//! 2 usage, configuration or I/O error, or a scan that could not read some files.

mod check;
mod config;
mod filter;
mod labels;
mod report;
mod rules;
mod scan;
mod serve;
mod text;

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{Config, Found, Lookup, Refused};
use crate::detect::Detectors;
use crate::engine::walk::display;
use crate::engine::{exit, install_panic_hook};
use crate::model::{ConfigError, Lang};
use crate::report::escape::{self, Escaped};
pub use check::CheckArgs;
pub use config::ConfigCommand;
pub use labels::LabelsCommand;
pub use report::ReportArgs;
pub use rules::RulesArgs;
pub use scan::ScanArgs;
pub use serve::ServeArgs;
pub use text::TextArgs;

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
// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Scan files and folders (recursively): each Office document's sensitivity labels,
    /// encryption, personal data (fødselsnummer, accounts, …) and hidden content, judged by
    /// the handling rules; one block per file, then a summary.
    #[command(after_help = SCAN_AFTER_HELP)]
    Scan(Box<ScanArgs>),
    /// May these files go there? A verdict per file against a destination (a configured
    /// name, a path or a SharePoint/OneDrive/Teams URL) before upload or migration.
    /// Exit code: 0 allowed, 1 blocked, 2 the check failed, 3 a file could not be read.
    Check(Box<CheckArgs>),
    /// Answer "may this file go there?" over HTTP, for upload portals and automation, with a
    /// page where a person drops a file (POST /check?name=…&destination=…, GET /, GET /health).
    Serve(Box<ServeArgs>),
    /// The report per business from saved scans (or by scanning first): what is labelled,
    /// what is not checked, personal data, breaches per business, the files to fix first;
    /// as Markdown, HTML, CSV, SARIF or JSON.
    Report(Box<ReportArgs>),
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

/// The end of `scan --help`: the filters, and what the exit code says.
const SCAN_AFTER_HELP: &str = "\
Filters: --rule and --disable choose the rules judged: they change the findings, the summary \
and the exit code. --only-findings and --min-severity change only what is written per file: \
the summary and the exit code still count every file and finding.

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on (default: error)
  2  the run failed: a usage or configuration error, or a filter that leaves nothing to scan
  3  the run finished, but some files were not (fully) read or their content not checked
     (see --allow-incomplete)";

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

/// Parses the command line and runs it. A usage error quotes what was typed (a path, an
/// argument that may be an identifier pasted by mistake): it is shown masked and escaped,
/// as every other error is, and exits 2. Help and version are printed as clap prints them.
pub fn main() -> ExitCode {
    match Cli::try_parse() {
        Ok(cli) => run(cli),
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let message = Detectors::built_in().mask(&e.render().to_string());
            for line in escape::lines(&message) {
                eprintln!("{line}");
            }
            ExitCode::from(exit::FAILED)
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    install_panic_hook();
    let result = match cli.command {
        Command::Scan(args) => scan::run(*args),
        Command::Text(args) => text::run(args),
        Command::Report(args) => report::run(*args),
        Command::Check(args) => check::run(*args),
        Command::Serve(args) => serve::run(*args),
        Command::Rules(args) => rules::list(&args),
        Command::Explain { id, rules } => rules::explain(&id, &rules),
        Command::Config(command) => config::run(command),
        Command::Labels(command) => labels::run(command),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // Output closed early (`| head`): not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            // A configuration, suppressions or baseline file may quote what it holds.
            let message = Detectors::built_in().mask(&e.to_string());
            eprintln!("o365lint: error: {}", Escaped(&message));
            ExitCode::from(exit::FAILED)
        }
    }
}

fn config_error(e: ConfigError) -> io::Error {
    io::Error::other(e.to_string())
}

/// The configuration of a run that reads `scanned` (see `config::Lookup`): `--config`,
/// `O365LINT_CONFIG`, the nearest o365lint.toml in the working directory or above that is
/// not inside a scanned folder, the user's configuration folder, else the built-in one.
/// Files refused on the way are noted on standard error.
/// The notes are in `lang` if given (`--lang`), else in the configuration's language.
fn find_config(
    explicit: Option<&Path>,
    scanned: &[PathBuf],
    lang: Option<LangArg>,
) -> io::Result<Config> {
    let found = find_config_noting(explicit, scanned)?;
    let lang = lang.map_or(found.config.lang, Lang::from);
    note_refused(&found.refused, lang);
    Ok(found.config)
}

/// [`find_config`] with the refused files, not noted.
fn find_config_noting(explicit: Option<&Path>, scanned: &[PathBuf]) -> io::Result<Found> {
    Config::find(&Lookup::from_environment(explicit, scanned)).map_err(config_error)
}

/// Why a configuration file found from the working directory is not obeyed, masked and
/// escaped.
fn refusal(r: &Refused, lang: Lang) -> String {
    let mask = Detectors::built_in();
    let shown = |p: &Path| Escaped(&mask.mask_path(&display(p))).to_string();
    let (path, folder) = (shown(&r.path), shown(&r.folder));
    match lang {
        Lang::En => format!(
            "{path} is not obeyed: it lies inside the scanned folder {folder}, where anyone who can write there could have put it; pass it with --config if you trust it"
        ),
        Lang::Nb => format!(
            "{path} følges ikke: den ligger i den skannede mappen {folder}, der alle som kan skrive der, kan ha lagt den; gi den med --config hvis du stoler på den"
        ),
    }
}

fn note_refused(refused: &[Refused], lang: Lang) {
    let note = crate::report::text::t(lang, "note", "merknad");
    for r in refused {
        eprintln!("o365lint: {note}: {}", refusal(r, lang));
    }
}
