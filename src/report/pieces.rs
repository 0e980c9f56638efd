//! `o365lint text`: the text the linter extracts, piece by piece with its location, as it
//! is read (nothing is held back). The pieces come masked from the engine: the output is for
//! finding things, and must not become a copy of the personal data. Part names, places and
//! text are [`escape`](super::escape)d; a piece's text keeps its own lines, each indented
//! below its place, so no line of it can pass for a part or place line.

use std::io::{self, Write};

use crate::model::{Flags, TextPiece};
use crate::report::escape::{self, Escaped};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Text,
    /// One JSON object per piece and line.
    Jsonl,
}

/// Prints pieces as they come; in text, a part's name heads its pieces.
pub struct Printer {
    style: Style,
    part: Option<String>,
}

impl Printer {
    pub fn new(style: Style) -> Printer {
        Printer { style, part: None }
    }

    pub fn piece(&mut self, piece: &TextPiece, w: &mut dyn Write) -> io::Result<()> {
        match self.style {
            Style::Text => {
                let part = &*piece.location.part;
                if self.part.as_deref() != Some(part) {
                    let name = if part.is_empty() { "(the file)" } else { part };
                    writeln!(w, "{}", Escaped(name))?;
                    self.part = Some(part.to_string());
                }
                text(piece, w)
            }
            Style::Jsonl => {
                serde_json::to_writer(&mut *w, piece)?;
                writeln!(w)
            }
        }
    }
}

fn text(piece: &TextPiece, w: &mut dyn Write) -> io::Result<()> {
    let loc = &piece.location;
    let mut tags = vec![loc.kind.to_string()];
    tags.extend(
        loc.flags
            .names()
            .filter(|f| *f != loc.kind.id())
            .map(String::from),
    );
    let partly = piece.spans.iter().fold(Flags::NONE, |f, s| f | s.flags);
    tags.extend(
        partly
            .names()
            .filter(|n| !loc.flags.names().any(|w| w == *n))
            .map(|n| format!("part {n}")),
    );
    let mut body = piece.text.to_string();
    if let Some(shown) = &piece.shown {
        body.push_str(&format!("  (shown as {shown})"));
    }
    writeln!(w, "  {}  [{}]", Escaped(&loc.place), tags.join(", "))?;
    for line in escape::lines(&body) {
        writeln!(w, "    {line}")?;
    }
    Ok(())
}
