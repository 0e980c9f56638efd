//! `o365lint text`: the text the linter extracts, piece by piece with its location, masked.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::ValueEnum;

use super::{config_error, find_config};
use crate::detect::Detectors;
use crate::engine::exit;
use crate::engine::walk::display;
use crate::read::document;

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

pub(super) fn run(args: TextArgs) -> io::Result<u8> {
    use crate::report::pieces::{self, Style};
    let style = match args.format {
        TextFormat::Text => Style::Text,
        TextFormat::Jsonl => Style::Jsonl,
    };
    let config = find_config(None, args.files.first().map(PathBuf::as_path))?;
    let det = match args.detectors.as_deref().or(config.detectors.as_deref()) {
        Some(p) => Detectors::load(p).map_err(config_error)?,
        None => Detectors::built_in(),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let mut code = 0;
    for path in &args.files {
        let shown = det.mask(&display(path));
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
            document::read_regular_file(path, &config.limits, &mut sink)
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
                    code = exit::INCOMPLETE;
                }
            }
            Err(e) => {
                eprintln!("{shown}: error: {}", det.mask(&e.to_string()));
                code = exit::INCOMPLETE;
            }
        }
    }
    Ok(code)
}
