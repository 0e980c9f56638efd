//! Excel 97–2003 workbooks (.xls, BIFF8): cells, cached formula results, formulas, sheet
//! names and states and defined names through calamine; number formats, hidden rows and
//! columns, headers/footers and comments from our own pass over the records (`biff`).
//! Locations as in .xlsx: `Ark1!C4`.

use std::collections::HashSet;
use std::io::{Read, Seek};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use calamine::{Data, Reader, SheetVisible, Xls};

use super::biff::{self, Sheet};
use crate::model::{Flags, Kind};
use crate::read::container::bytes;
use crate::read::error::{Error, Limit, PartError};
use crate::read::ooxml::spreadsheetml::{header_footer_text, number_text};
use crate::read::text::{Budget, Emitter, Piece, PieceText, Place, Sink};

/// Where a file's text goes and what it may spend.
pub struct Out<'a, 's> {
    pub sink: &'a mut (dyn Sink + 's),
    pub budget: &'a mut Budget,
    /// Bytes one file may hold at once (`Limits::held`).
    pub held: u64,
}

/// Reads the workbook stream `stream` (already read within the caps) and, through
/// calamine, the compound file `file`. Returns the damage met, first the worst; what was
/// read before it has reached the sink.
pub fn read<R: Read + Seek>(
    file: R,
    stream: &[u8],
    part: &str,
    flags: Flags,
    out: Out,
) -> Vec<Error> {
    let mut damage = Vec::new();
    let (wb, scan_error) = biff::scan(stream);
    if let Some(e) = scan_error {
        damage.push(Error::part(part, e));
    }
    let need = wb
        .sheets
        .iter()
        .fold(0u64, |n, s| n.saturating_add(s.calamine_bytes));
    let mut book = None;
    if need > out.held {
        damage.push(Error::limit(
            Limit::Memory,
            format!(
                "{part}: its sheets' cells would take {} to read (limit {}): cell values not read",
                bytes(need),
                bytes(out.held)
            ),
        ));
    } else {
        // calamine is fuzzed, but a panic in it must not end the scan.
        match catch_unwind(AssertUnwindSafe(|| Xls::new(file))) {
            Ok(Ok(x)) => book = Some(x),
            Ok(Err(e)) => damage.push(Error::part(part, PartError::Damaged(e.to_string()))),
            Err(_) => damage.push(Error::part(
                part,
                PartError::Damaged("the workbook could not be parsed".into()),
            )),
        }
    }
    let mut w = Writer {
        part,
        flags,
        out,
        damage: &mut damage,
    };
    w.emit(&wb.sheets, book);
    damage
}

struct Writer<'a, 'b, 's> {
    part: &'a str,
    flags: Flags,
    out: Out<'b, 's>,
    damage: &'a mut Vec<Error>,
}

impl Writer<'_, '_, '_> {
    /// Runs `f` with an emitter on the file's budget; false once the budget is spent.
    fn with(&mut self, flags: Flags, f: impl FnOnce(&mut Emitter)) -> bool {
        let mut e = Emitter::new(self.part, flags, self.out.sink)
            .budget(self.out.budget.text_left)
            .deadline(self.out.budget.deadline);
        f(&mut e);
        let (spent, exhausted, late) = (e.spent(), e.exhausted(), e.late());
        drop(e);
        self.out.budget.text_left = self.out.budget.text_left.saturating_sub(spent);
        if late {
            self.damage.push(Error::limit(
                Limit::Time,
                format!("{}: reading took too long: the rest is not read", self.part),
            ));
        } else if exhausted {
            self.damage.push(Error::limit(
                Limit::Text,
                format!(
                    "{}: more text than the per-file text limit: the rest of the document is not read",
                    self.part
                ),
            ));
        }
        !exhausted
    }

    fn emit<R: Read + Seek>(&mut self, sheets: &[Sheet], mut book: Option<Xls<R>>) {
        let workbook: Arc<str> = "".into();
        // Sheet names and states: calamine's when it read the workbook, else ours.
        let states: Vec<(String, bool)> = match &book {
            Some(b) => b
                .sheets_metadata()
                .iter()
                .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
                .collect(),
            None => sheets.iter().map(|s| (s.name.clone(), s.hidden)).collect(),
        };
        let is_1904 = book.as_ref().is_some_and(|b| b.has_1904_epoch());
        let names: Vec<(String, String)> = book
            .as_ref()
            .map(|b| b.defined_names().to_vec())
            .unwrap_or_default();
        let go = self.with(self.flags, |out| {
            for (n, (name, hidden)) in (1..).zip(&states) {
                let f = if *hidden {
                    Flags::HIDDEN_SHEET
                } else {
                    Flags::NONE
                };
                out.push(
                    Piece::new(
                        name.as_str(),
                        Kind::SheetName,
                        &workbook,
                        Place::Named(format!("arkfane {n}").into()),
                    )
                    .with_flags(f | Flags::METADATA),
                );
            }
            for (name, formula) in &names {
                // Built-in names (print areas, filters) hold only references.
                if name.starts_with("_xlnm.") || name.starts_with(|c: char| c < ' ') {
                    continue;
                }
                out.push(
                    Piece::new(
                        format!("{name} = {formula}"),
                        Kind::DefinedName,
                        &workbook,
                        Place::Named(format!("navn «{name}»").into()),
                    )
                    .with_flags(Flags::METADATA),
                );
            }
        });
        if !go {
            return;
        }
        for (name, hidden) in &states {
            let empty = Sheet::default();
            let sheet = sheets.iter().find(|s| s.name == *name).unwrap_or(&empty);
            let flags = if *hidden || sheet.hidden {
                self.flags | Flags::HIDDEN_SHEET
            } else {
                self.flags
            };
            let area: Arc<str> = name.as_str().into();
            let cells = book.as_mut().and_then(|b| b.worksheet_range(name).ok());
            let formulas = book.as_mut().and_then(|b| b.worksheet_formula(name).ok());
            let go = self.with(flags, |out| {
                if let Some(cells) = &cells {
                    for (r, c, v) in cells.used_cells() {
                        let (r, c) = (
                            cells.start().unwrap_or_default().0 + r as u32,
                            cells.start().unwrap_or_default().1 + c as u32,
                        );
                        let f = cell_flags(sheet, r, c);
                        if let Some(p) = cell(v, sheet, &area, (r, c), f, is_1904, out) {
                            out.push(p.with_flags(f));
                        }
                        if out.exhausted() {
                            return;
                        }
                    }
                }
                if let Some(formulas) = &formulas {
                    let (r0, c0) = formulas.start().unwrap_or_default();
                    for (r, c, text) in formulas.used_cells() {
                        let (r, c) = (r0 + r as u32, c0 + c as u32);
                        let place = Place::Cell {
                            row: r + 1,
                            col: c + 1,
                        };
                        out.push(
                            Piece::new(text.as_str(), Kind::Formula, &area, place)
                                .with_flags(cell_flags(sheet, r, c)),
                        );
                    }
                }
                for (header, text) in &sheet.header_footer {
                    let (kind, noun) = if *header {
                        (Kind::Header, "topptekst")
                    } else {
                        (Kind::Footer, "bunntekst")
                    };
                    out.push(Piece::new(
                        header_footer_text(text),
                        kind,
                        &area,
                        Place::Named(noun.into()),
                    ));
                }
                let mut authors = HashSet::new();
                for (_, _, author, _) in &sheet.comments {
                    if authors.insert(author) {
                        out.push(
                            Piece::new(
                                author.as_str(),
                                Kind::Comment,
                                &area,
                                Place::Named("forfatter".into()),
                            )
                            .with_flags(Flags::COMMENT | Flags::METADATA),
                        );
                    }
                }
                for (r, c, _, text) in &sheet.comments {
                    let place = Place::Cell {
                        row: r + 1,
                        col: c + 1,
                    };
                    out.push(
                        Piece::new(text.as_str(), Kind::Comment, &area, place)
                            .with_flags(Flags::COMMENT),
                    );
                }
            });
            if !go {
                return;
            }
        }
    }
}

/// Hidden row and column flags of the cell at `r`, `c` (from 0).
fn cell_flags(sheet: &Sheet, r: u32, c: u32) -> Flags {
    let mut f = Flags::NONE;
    if sheet.hidden_rows.contains(&r) {
        f |= Flags::HIDDEN_ROW;
    }
    if sheet.hidden_cols.iter().any(|&(a, b)| (a..=b).contains(&c)) {
        f |= Flags::HIDDEN_COLUMN;
    }
    f
}

/// A cell's piece, as the .xlsx reader makes it: text as stored, numbers written out in
/// full, with the text a zero-padding format shows (a fødselsnummer stored as a number).
fn cell(
    v: &Data,
    sheet: &Sheet,
    area: &Arc<str>,
    (r, c): (u32, u32),
    flags: Flags,
    is_1904: bool,
    out: &mut Emitter,
) -> Option<Piece> {
    let place = Place::Cell {
        row: r + 1,
        col: c + 1,
    };
    let number = match v {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            return Some(Piece::new(s.as_str(), Kind::Cell, area, place));
        }
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        Data::DateTime(d) if d.is_datetime() => {
            let text = date_text(d.as_f64(), is_1904)?;
            return Some(Piece::new(text, Kind::Cell, area, place));
        }
        Data::DateTime(d) => d.as_f64(),
        Data::Bool(_) | Data::Error(_) | Data::Empty => return None,
    };
    let text = number_text(&general(number)).into_owned();
    if !out.wants_number(&text, flags) {
        return None;
    }
    let shown = sheet
        .pads
        .get(&(r, c))
        .filter(|_| text.bytes().all(|b| b.is_ascii_digit()))
        .map(|p| p.show(&text))
        .filter(|s| *s != text);
    let mut p = Piece::new(PieceText::from(text), Kind::Cell, area, place);
    p.number = true;
    p.shown = shown;
    Some(p)
}

/// A number as Excel's General format writes it: at most 15 significant digits (the
/// stored double's last digits are noise no one sees).
fn general(f: f64) -> String {
    if f.fract() == 0.0 || !f.is_finite() {
        return f.to_string();
    }
    format!("{f:.14e}").parse::<f64>().unwrap_or(f).to_string()
}

/// A date cell as `dd.mm.yyyy` (with `hh:mm:ss` when it has a time of day), from its
/// serial number: days since 1899-12-30, or since 1904-01-01 in the 1904 date system.
fn date_text(serial: f64, is_1904: bool) -> Option<String> {
    if !(0.0..=2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64 + if is_1904 { 1462 } else { 0 };
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    // Days from 1970-01-01, then the civil date.
    let (y, m, d) = crate::model::time::civil_from_days(days - 25_569);
    let mut text = format!("{d:02}.{m:02}.{y:04}");
    if secs > 0 {
        let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        text.push_str(&format!(" {h:02}:{mi:02}:{s:02}"));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::super::biff::testing::{rec, workbook};
    use super::*;

    #[test]
    fn sheets_too_large_to_hold_are_a_memory_limit_not_an_allocation() {
        // DIMENSIONS of 65,536 rows × 256 columns: calamine would reserve them all.
        let stream = workbook(|s| {
            let mut d = 0u32.to_le_bytes().to_vec();
            d.extend(65_536u32.to_le_bytes());
            d.extend([0, 0, 0, 1, 0, 0]);
            rec(s, 0x0200, &d);
        });
        let mut budget = Budget {
            text_left: u64::MAX,
            deadline: None,
        };
        let mut sink = |_: &crate::read::text::Batch| {};
        let out = Out {
            sink: &mut sink,
            budget: &mut budget,
            held: 64 << 20,
        };
        // An empty file: calamine, if asked, would fail and add a second error.
        let damage = read(
            std::io::Cursor::new(Vec::new()),
            &stream,
            "Workbook",
            Flags::NONE,
            out,
        );
        assert_eq!(damage.len(), 1, "{damage:?}");
        assert!(
            damage[0].to_string().contains("cell values not read"),
            "{}",
            damage[0]
        );
    }

    #[test]
    fn dates_as_a_person_reads_them() {
        assert_eq!(date_text(36526.0, false).unwrap(), "01.01.2000");
        assert_eq!(date_text(35064.0, true).unwrap(), "01.01.2000");
        assert_eq!(date_text(45658.5, false).unwrap(), "01.01.2025 12:00:00");
        assert_eq!(date_text(-1.0, false), None);
    }

    #[test]
    fn numbers_with_fifteen_digits() {
        assert_eq!(general(0.5492957746478874), "0.549295774647887");
        assert_eq!(general(15108695088.0), "15108695088");
        assert_eq!(general(0.1), "0.1");
    }
}
