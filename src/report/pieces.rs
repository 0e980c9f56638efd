//! `o365lint text`: the text the linter extracts, piece by piece with its location, as it
//! is read (nothing is held back). Digit runs that look like identifiers are masked: the
//! output is for finding things, and must not become a copy of the personal data.

use std::io::{self, Write};

use serde::Serialize;

use super::Location;
use crate::text::{Batch, Piece, mask_digit_runs};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Text,
    /// One JSON object per piece and line.
    Jsonl,
}

/// Prints batches as they come; in text, a part's name heads its pieces.
pub struct Printer {
    style: Style,
    part: Option<String>,
}

impl Printer {
    pub fn new(style: Style) -> Printer {
        Printer { style, part: None }
    }

    pub fn batch(&mut self, batch: &Batch, w: &mut dyn Write) -> io::Result<()> {
        for piece in batch.pieces {
            // The location's flags hold for all of the text; the spans' others for some.
            let loc = Location::with(batch, piece, piece.whole_flags());
            match self.style {
                Style::Text => {
                    if self.part.as_deref() != Some(batch.part) {
                        let name = if batch.part.is_empty() {
                            "(the file)"
                        } else {
                            batch.part
                        };
                        writeln!(w, "{}", mask_digit_runs(name))?;
                        self.part = Some(batch.part.to_string());
                    }
                    text(&loc, piece, w)?
                }
                Style::Jsonl => {
                    serde_json::to_writer(&mut *w, &Line::of(loc, piece))?;
                    writeln!(w)?;
                }
            }
        }
        Ok(())
    }
}

fn text(loc: &Location, piece: &Piece, w: &mut dyn Write) -> io::Result<()> {
    let mut tags = vec![loc.kind.clone()];
    tags.extend(
        loc.flags
            .names()
            .filter(|f| *f != loc.kind)
            .map(String::from),
    );
    let partly = piece
        .spans
        .iter()
        .fold(crate::text::Flags::NONE, |f, s| f | s.flags);
    tags.extend(
        partly
            .names()
            .filter(|n| !loc.flags.names().any(|w| w == *n))
            .map(|n| format!("part {n}")),
    );
    let mut body = mask_digit_runs(&piece.text);
    if let Some(shown) = &piece.shown {
        body.push_str(&format!("  (shown as {})", mask_digit_runs(shown)));
    }
    writeln!(
        w,
        "  {}  [{}]",
        mask_digit_runs(&loc.place),
        tags.join(", ")
    )?;
    for line in body.lines() {
        writeln!(w, "    {line}")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct Line {
    #[serde(flatten)]
    location: Location,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    shown: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    number: bool,
    /// Stretches of the text (byte offsets) with more flags: hidden or tracked runs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    spans: Vec<SpanOut>,
}

#[derive(Serialize)]
struct SpanOut {
    start: usize,
    end: usize,
    flags: crate::text::Flags,
}

impl Line {
    fn of(mut location: Location, piece: &Piece) -> Line {
        location.part = mask_digit_runs(&location.part);
        location.place = mask_digit_runs(&location.place);
        Line {
            location,
            text: mask_digit_runs(&piece.text),
            shown: piece.shown.as_deref().map(mask_digit_runs),
            number: piece.number,
            // Masking keeps byte offsets: a digit becomes one `*`.
            spans: piece
                .spans
                .iter()
                .map(|s| SpanOut {
                    start: s.start,
                    end: s.end,
                    flags: s.flags,
                })
                .collect(),
        }
    }
}
