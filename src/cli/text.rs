//! `o365lint text`: the text the linter extracts, piece by piece with its location, masked.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::ValueEnum;

use super::{LangArg, config_error, find_config};
use crate::engine::walk::{self, Input, display};
use crate::engine::{Choices, Engine, exit};
use crate::model::Lang;
use crate::report::escape::Escaped;
use crate::report::pieces::{Printer, Style};
use crate::report::text::t;

#[derive(clap::Args, Debug)]
pub struct TextArgs {
    /// Documents to read (read whatever their name); a folder is walked as `scan` walks it
    /// (Office documents by extension, the configuration's include and exclude).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
    /// Detectors used to mask identifiers (TOML); default: the built-in ones.
    #[arg(long, value_name = "FILE", env = "O365LINT_DETECTORS")]
    pub detectors: Option<PathBuf>,
    /// Language of notes and errors [default: the configuration's, else nb].
    #[arg(long, value_enum, env = "O365LINT_LANG")]
    pub lang: Option<LangArg>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    /// A line with part, place and kind, then the text indented.
    Text,
    /// One JSON object per piece and line: part, where, kind, flags, text.
    Jsonl,
}

/// The files to read: each given, and the documents in each folder given as a scan finds
/// them. A folder entry that cannot be read is an error on standard error.
fn files(given: &[PathBuf], engine: &Engine, code: &mut u8) -> Vec<PathBuf> {
    let met = std::sync::Mutex::new(walk::Met::default());
    let mut files = Vec::new();
    for input in walk::inputs(given, &engine.walk, &met) {
        match input {
            // Office's lock files (`~$name.docx`) in a folder are not documents: scan skips
            // them too.
            Input::File(path, _)
                if path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("~$")) => {}
            Input::File(path, _) | Input::Named(path, _) => files.push(path),
            Input::Unreadable(path, e) => {
                let masked = engine.detectors.masked_path(&display(&path));
                let error = engine.detectors.masked_path(&e.to_string());
                let label = t(engine.lang, "error", "feil");
                eprintln!("{}: {label}: {}", Escaped(&masked), Escaped(&error));
                *code = exit::INCOMPLETE;
            }
            // Symbolic links in a folder are followed only with --follow, as scan does.
            Input::Bytes { .. } | Input::Link(..) => {}
        }
    }
    files
}

pub(super) fn run(args: TextArgs) -> io::Result<u8> {
    let style = match args.format {
        TextFormat::Text => Style::Text,
        TextFormat::Jsonl => Style::Jsonl,
    };
    let config = find_config(None, &args.files, args.lang)?;
    let choices = Choices {
        detectors: args.detectors,
        lang: args.lang.map(Lang::from),
        ..Choices::default()
    };
    let engine = Engine::configured(&config, choices).map_err(config_error)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let mut code = exit::CLEAN;
    for path in &files(&args.files, &engine, &mut code) {
        let masked = engine.detectors.masked_path(&display(path));
        let shown = Escaped(&masked);
        if style == Style::Text {
            writeln!(out, "== {shown}")?;
        }
        // Printing happens as pieces come; an output error is kept and ends the printing.
        let mut failed: Option<io::Error> = None;
        let mut printer = Printer::new(style);
        let read = engine.text(path, |piece| {
            if failed.is_none()
                && let Err(e) = printer.piece(&piece, &mut out)
            {
                failed = Some(e);
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        out.flush()?;
        // Notes and errors go to standard error: standard output is the text alone.
        let t = |en, nb| t(engine.lang, en, nb);
        let (note, error) = (t("note", "merknad"), t("error", "feil"));
        for n in &read.notes {
            eprintln!("{shown}: {note}: {}", Escaped(n));
        }
        for (path, e) in &read.embedded_errors {
            let embedded = t("embedded", "innebygd");
            eprintln!(
                "{shown}: {embedded} {}: {error}: {}",
                Escaped(path),
                Escaped(e)
            );
        }
        if let Some(e) = &read.damage {
            let partial = t("partial result", "delvis resultat");
            eprintln!("{shown}: {error}: {} ({partial})", Escaped(e));
            code = exit::INCOMPLETE;
        }
        if let Some(e) = &read.error {
            eprintln!("{shown}: {error}: {}", Escaped(e));
            code = exit::INCOMPLETE;
        }
    }
    Ok(code)
}
