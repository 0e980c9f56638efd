//! `o365lint text`: the text the linter extracts, piece by piece with its location, as it
//! is read (nothing is held back). Anything that may be an identifier is masked, whatever
//! its confidence ([`Detectors::mask`]): the output is for finding things, and must not
//! become a copy of the personal data.

use std::io::{self, Write};

use serde::Serialize;

use crate::detect::Detectors;
use crate::model::Location;
use crate::read::text::{Batch, Piece};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Text,
    /// One JSON object per piece and line.
    Jsonl,
}

/// Prints batches as they come; in text, a part's name heads its pieces.
pub struct Printer<'d> {
    style: Style,
    part: Option<String>,
    det: &'d Detectors,
}

impl<'d> Printer<'d> {
    pub fn new(style: Style, det: &'d Detectors) -> Printer<'d> {
        Printer {
            style,
            part: None,
            det,
        }
    }

    pub fn batch(&mut self, batch: &Batch, w: &mut dyn Write) -> io::Result<()> {
        for piece in batch.pieces {
            // The location's flags hold for all of the text; the spans' others for some.
            let loc = piece.location_in(batch.part.into(), batch.flags, piece.whole_flags());
            match self.style {
                Style::Text => {
                    if self.part.as_deref() != Some(batch.part) {
                        let name = if batch.part.is_empty() {
                            "(the file)"
                        } else {
                            batch.part
                        };
                        writeln!(w, "{}", self.det.mask(name))?;
                        self.part = Some(batch.part.to_string());
                    }
                    text(&loc, piece, self.det, w)?
                }
                Style::Jsonl => {
                    serde_json::to_writer(&mut *w, &Line::of(loc, piece, self.det))?;
                    writeln!(w)?;
                }
            }
        }
        Ok(())
    }
}

fn text(loc: &Location, piece: &Piece, det: &Detectors, w: &mut dyn Write) -> io::Result<()> {
    let mut tags = vec![loc.kind.to_string()];
    tags.extend(
        loc.flags
            .names()
            .filter(|f| *f != loc.kind.id())
            .map(String::from),
    );
    let partly = piece
        .spans
        .iter()
        .fold(crate::model::Flags::NONE, |f, s| f | s.flags);
    tags.extend(
        partly
            .names()
            .filter(|n| !loc.flags.names().any(|w| w == *n))
            .map(|n| format!("part {n}")),
    );
    let mut body = det.mask(&piece.text);
    if let Some(shown) = &piece.shown {
        body.push_str(&format!("  (shown as {})", det.mask(shown)));
    }
    writeln!(w, "  {}  [{}]", det.mask(&loc.place), tags.join(", "))?;
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
    flags: crate::model::Flags,
}

impl Line {
    fn of(mut location: Location, piece: &Piece, det: &Detectors) -> Line {
        location.part = det.mask(&location.part).into();
        location.place = det.mask(&location.place);
        Line {
            location,
            text: det.mask(&piece.text),
            shown: piece.shown.as_deref().map(|s| det.mask(s)),
            number: piece.number,
            // Masking keeps byte offsets of ASCII: a digit or letter becomes one `*` (a
            // masked non-ASCII letter in an e-mail address shifts later offsets).
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
