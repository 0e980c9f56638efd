//! Binary workbooks (.xlsb, [MS-XLSB]): sheet names and states, shared strings, cells and
//! cached formula strings and numbers, header/footer strings, comments and their authors.
//! Each part is read through the package's capped reads and walked record by record
//! (BIFF12: a 1–2 byte type and a 1–4 byte size, both 7 bits a byte). Locations as in
//! .xlsx (`Ark1!C4`).

use std::io::{Read, Seek};
use std::sync::Arc;

use crate::model::{Flags, Kind};
use crate::read::container::zip::Package;
use crate::read::error::{Error, PartError};
use crate::read::ooxml::opc;
use crate::read::ooxml::spreadsheetml::{header_footer_text, number_text};
use crate::read::text::{Budget, Emitter, Piece, PieceText, Place, Sink};

/// The records of a part: (type, data).
struct Records<'a> {
    data: &'a [u8],
    at: usize,
}

impl Records<'_> {
    fn varint(&mut self, max: usize) -> Option<usize> {
        let mut v = 0usize;
        for i in 0..max {
            let b = *self.data.get(self.at)?;
            self.at += 1;
            v |= ((b & 0x7F) as usize) << (7 * i);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        Some(v)
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<(usize, &'a [u8]), PartError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.data.len() {
            return None;
        }
        let start = self.at;
        let (Some(typ), Some(len)) = (self.varint(2), self.varint(4)) else {
            self.at = self.data.len();
            return Some(Err(PartError::Truncated {
                at: start,
                wanted: 1,
            }));
        };
        match self.data.get(self.at..self.at + len) {
            Some(d) => {
                self.at += len;
                Some(Ok((typ, d)))
            }
            None => {
                let at = self.at;
                self.at = self.data.len();
                Some(Err(PartError::Truncated {
                    at,
                    wanted: at + len - self.data.len(),
                }))
            }
        }
    }
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(i..i + 4)?.try_into().ok()?))
}

/// An XLWideString at `i` (u32 count of UTF-16 units, then the units), and the offset
/// after it. A null XLNullableWideString (0xFFFFFFFF) is the empty string.
fn wide(d: &[u8], i: usize) -> Option<(String, usize)> {
    let cch = u32_at(d, i)?;
    if cch == u32::MAX {
        return Some((String::new(), i + 4));
    }
    let end = (i + 4).checked_add(cch as usize * 2)?;
    let units = d
        .get(i + 4..end)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    let s = char::decode_utf16(units)
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect();
    Some((s, end))
}

/// An RkNumber (2.5.122).
fn rk(v: u32) -> f64 {
    let n = if v & 2 != 0 {
        f64::from((v as i32) >> 2)
    } else {
        f64::from_bits(u64::from(v & !3) << 32)
    };
    if v & 1 != 0 { n / 100.0 } else { n }
}

/// Where a file's text goes and what it may spend.
pub struct Out<'a, 's> {
    pub sink: &'a mut (dyn Sink + 's),
    pub budget: &'a mut Budget,
}

struct Sheet {
    name: String,
    hidden: bool,
    part: String,
}

/// Reads the text of a binary workbook whose main part is `main`. Returns the damage met.
pub fn read<R: Read + Seek>(
    pkg: &mut Package<R>,
    main: &str,
    prefix: &str,
    flags: Flags,
    out: Out,
) -> Vec<Error> {
    let mut damage = Vec::new();
    let shown = |p: &str| format!("{prefix}{p}");
    let part = |pkg: &mut Package<R>, name: &str, damage: &mut Vec<Error>| -> Option<Vec<u8>> {
        match pkg.read(name) {
            Ok(b) => b,
            Err(e) => {
                damage.push(e);
                None
            }
        }
    };
    let rels = |pkg: &mut Package<R>, source: &str| -> Vec<opc::Relationship> {
        pkg.read(&opc::rels_part(source))
            .ok()
            .flatten()
            .and_then(|b| opc::relationships(&String::from_utf8_lossy(&b), source).ok())
            .unwrap_or_default()
    };
    let wb_rels = rels(pkg, main);
    let target = |kind: &str| {
        wb_rels
            .iter()
            .find(|r| r.kind.ends_with(kind) && !r.external)
            .map(|r| r.target.clone())
    };
    let mut sheets = Vec::new();
    if let Some(bytes) = part(pkg, main, &mut damage) {
        for r in (Records {
            data: &bytes,
            at: 0,
        }) {
            match r {
                // BrtBundleSh: hsState, iTabID, strRelID, strName.
                Ok((0x9C, d)) => {
                    let Some((rel, at)) = wide(d, 8) else {
                        continue;
                    };
                    let name = wide(d, at).map(|(s, _)| s).unwrap_or_default();
                    let part = wb_rels
                        .iter()
                        .find(|r| r.id == rel)
                        .map(|r| r.target.clone())
                        .unwrap_or_default();
                    let hidden = u32_at(d, 0).is_some_and(|s| s != 0);
                    sheets.push(Sheet { name, hidden, part });
                }
                Ok(_) => {}
                Err(e) => {
                    damage.push(Error::part(shown(main), e));
                    break;
                }
            }
        }
    }
    let mut strings = Vec::new();
    if let Some(sst) = target("/sharedStrings")
        && let Some(bytes) = part(pkg, &sst, &mut damage)
    {
        for r in (Records {
            data: &bytes,
            at: 0,
        }) {
            match r {
                // BrtSSTItem: RichStr (flags, XLWideString, runs).
                Ok((0x13, d)) => strings.push(wide(d, 1).map(|(s, _)| s).unwrap_or_default()),
                Ok(_) => {}
                Err(e) => {
                    damage.push(Error::part(shown(&sst), e));
                    break;
                }
            }
        }
    }
    let workbook: Arc<str> = "".into();
    let Out { sink, budget } = out;
    let main_shown = shown(main);
    let mut spend = |part: &str, flags: Flags, f: &mut dyn FnMut(&mut Emitter)| -> bool {
        let mut e = Emitter::new(part, flags, &mut *sink)
            .budget(budget.text_left)
            .deadline(budget.deadline);
        f(&mut e);
        let (spent, exhausted) = (e.spent(), e.exhausted());
        drop(e);
        budget.text_left = budget.text_left.saturating_sub(spent);
        !exhausted
    };
    let go = spend(&main_shown, flags, &mut |out| {
        for (n, s) in (1..).zip(&sheets) {
            let f = if s.hidden {
                Flags::HIDDEN_SHEET
            } else {
                Flags::NONE
            };
            out.push(
                Piece::new(
                    s.name.as_str(),
                    Kind::SheetName,
                    &workbook,
                    Place::Named(format!("arkfane {n}").into()),
                )
                .with_flags(f | Flags::METADATA),
            );
        }
    });
    if !go {
        damage.push(text_limit(&main_shown));
        return damage;
    }
    for s in &sheets {
        let Some(bytes) = part(pkg, &s.part, &mut damage) else {
            continue;
        };
        let comments: Vec<String> = rels(pkg, &s.part)
            .into_iter()
            .filter(|r| r.kind.ends_with("/comments") && !r.external)
            .map(|r| r.target)
            .collect();
        let area: Arc<str> = s.name.as_str().into();
        let f = if s.hidden {
            flags | Flags::HIDDEN_SHEET
        } else {
            flags
        };
        let sheet_shown = shown(&s.part);
        let mut error = None;
        let go = spend(&sheet_shown, f, &mut |out| {
            error = cells(&bytes, &strings, &area, out).err();
        });
        if let Some(e) = error {
            damage.push(Error::part(&sheet_shown, e));
        }
        if !go {
            damage.push(text_limit(&sheet_shown));
            return damage;
        }
        for c in comments {
            let Some(bytes) = part(pkg, &c, &mut damage) else {
                continue;
            };
            let c_shown = shown(&c);
            let mut error = None;
            let go = spend(&c_shown, f, &mut |out| {
                error = comment_part(&bytes, &area, out).err();
            });
            if let Some(e) = error {
                damage.push(Error::part(&c_shown, e));
            }
            if !go {
                damage.push(text_limit(&c_shown));
                return damage;
            }
        }
    }
    damage
}

fn text_limit(part: &str) -> Error {
    Error::limit(
        crate::read::error::Limit::Text,
        format!(
            "{part}: more text than the per-file text limit: the rest of the document is not read"
        ),
    )
}

/// A worksheet part's cells, cached formula values and header/footer strings.
fn cells(
    bytes: &[u8],
    strings: &[String],
    area: &Arc<str>,
    out: &mut Emitter,
) -> Result<(), PartError> {
    let mut row = 0u32;
    let mut row_hidden = false;
    // Hidden column ranges (BrtColInfo comes before the cells).
    let mut hidden_cols: Vec<(u32, u32)> = Vec::new();
    for r in (Records { data: bytes, at: 0 }) {
        let (typ, d) = r?;
        if out.exhausted() {
            return Ok(());
        }
        // BrtRowHdr: the row of the cells that follow; fDyZero (byte 11, bit 4) hides it.
        if typ == 0x00 {
            row = u32_at(d, 0).unwrap_or(row);
            row_hidden = d.get(11).is_some_and(|b| b & 0x10 != 0);
            continue;
        }
        // BrtColInfo: colFirst, colLast, coldx, ixfe, then fHidden (bit 0).
        if typ == 0x3C {
            if let (Some(a), Some(b), Some(f)) = (u32_at(d, 0), u32_at(d, 4), d.get(16))
                && f & 1 != 0
            {
                hidden_cols.push((a, b));
            }
            continue;
        }
        // BrtBeginHeaderFooter: flags, then six XLNullableWideStrings.
        if typ == 0x1DF {
            let mut at = 2;
            for i in 0..6 {
                let Some((s, next)) = wide(d, at) else { break };
                at = next;
                let (kind, noun) = if i % 2 == 0 {
                    (Kind::Header, "topptekst")
                } else {
                    (Kind::Footer, "bunntekst")
                };
                out.push(Piece::new(
                    header_footer_text(&s),
                    kind,
                    area,
                    Place::Named(noun.into()),
                ));
            }
            continue;
        }
        // Cell records (2.4.x BrtCell*, BrtFmla*): column, style, then the value.
        if !(0x02..=0x09).contains(&typ) {
            continue;
        }
        let Some(col) = u32_at(d, 0) else { continue };
        let place = Place::Cell {
            row: row.saturating_add(1),
            col: col.saturating_add(1),
        };
        let mut flags = Flags::NONE;
        if row_hidden {
            flags |= Flags::HIDDEN_ROW;
        }
        if hidden_cols.iter().any(|&(a, b)| (a..=b).contains(&col)) {
            flags |= Flags::HIDDEN_COLUMN;
        }
        let number = match typ {
            0x02 => u32_at(d, 8).map(rk),
            0x05 | 0x09 => d
                .get(8..16)
                .and_then(|b| b.try_into().ok())
                .map(f64::from_le_bytes),
            0x06 | 0x08 => {
                if let Some((s, _)) = wide(d, 8) {
                    out.push(Piece::new(s, Kind::Cell, area, place).with_flags(flags));
                }
                continue;
            }
            0x07 => {
                if let Some(s) = u32_at(d, 8).and_then(|i| strings.get(i as usize)) {
                    out.push(Piece::new(s.as_str(), Kind::Cell, area, place).with_flags(flags));
                }
                continue;
            }
            _ => continue,
        };
        let Some(n) = number else { continue };
        let text = number_text(&n.to_string()).into_owned();
        if out.wants_number(&text, flags) {
            let mut p = Piece::new(PieceText::from(text), Kind::Cell, area, place);
            p.number = true;
            out.push(p.with_flags(flags));
        }
    }
    Ok(())
}

/// A comments part: authors once each, then each comment's text at its cell.
fn comment_part(bytes: &[u8], area: &Arc<str>, out: &mut Emitter) -> Result<(), PartError> {
    let mut place = Place::Whole;
    for r in (Records { data: bytes, at: 0 }) {
        match r? {
            // BrtCommentAuthor.
            (0x278, d) => {
                if let Some((a, _)) = wide(d, 0) {
                    out.push(
                        Piece::new(a, Kind::Comment, area, Place::Named("forfatter".into()))
                            .with_flags(Flags::COMMENT | Flags::METADATA),
                    );
                }
            }
            // BrtBeginComment: iauthor, then rwFirst, rwLast, colFirst, colLast.
            (0x27B, d) => {
                if let (Some(r), Some(c)) = (u32_at(d, 4), u32_at(d, 12)) {
                    place = Place::Cell {
                        row: r.saturating_add(1),
                        col: c.saturating_add(1),
                    };
                }
            }
            // BrtCommentText: RichStr.
            (0x27D, d) => {
                if let Some((t, _)) = wide(d, 1) {
                    out.push(
                        Piece::new(t, Kind::Comment, area, place.clone())
                            .with_flags(Flags::COMMENT),
                    );
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::text::testing::{collect, summary};

    fn rec(out: &mut Vec<u8>, typ: usize, data: &[u8]) {
        let varint = |out: &mut Vec<u8>, mut v: usize| loop {
            let b = (v & 0x7F) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        };
        varint(out, typ);
        varint(out, data.len());
        out.extend(data);
    }

    fn wide_bytes(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut d = (units.len() as u32).to_le_bytes().to_vec();
        d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        d
    }

    fn cell(col: u32, value: &[u8]) -> Vec<u8> {
        let mut d = col.to_le_bytes().to_vec();
        d.extend([0; 4]);
        d.extend(value);
        d
    }

    #[test]
    fn cells_numbers_and_headers_at_their_places() {
        let mut part = Vec::new();
        let mut row = 3u32.to_le_bytes().to_vec();
        row.extend([0; 13]);
        rec(&mut part, 0x00, &row);
        rec(&mut part, 0x07, &cell(2, &1u32.to_le_bytes()));
        rec(&mut part, 0x06, &cell(0, &wide_bytes("Kari Nordmann")));
        rec(&mut part, 0x05, &cell(1, &15108695088f64.to_le_bytes()));
        // RK: integer 1234 (fInt).
        rec(
            &mut part,
            0x02,
            &cell(3, &((1234u32 << 2) | 2).to_le_bytes()),
        );
        // A record that is not a cell, with an extreme first field: no overflow.
        rec(&mut part, 0x94, &u32::MAX.to_le_bytes());
        let mut hf = vec![0, 0];
        hf.extend(wide_bytes("&CFortrolig"));
        hf.extend(u32::MAX.to_le_bytes());
        rec(&mut part, 0x1DF, &hf);
        // Row 5 hidden (fDyZero), column E hidden (BrtColInfo fHidden).
        let mut hidden = 4u32.to_le_bytes().to_vec();
        hidden.extend([0; 13]);
        hidden[11] = 0x10;
        rec(&mut part, 0x00, &hidden);
        rec(&mut part, 0x06, &cell(0, &wide_bytes("Skjult rad")));
        let mut col = 4u32.to_le_bytes().to_vec();
        col.extend(4u32.to_le_bytes());
        col.extend([0; 8]);
        col.extend([1, 0]);
        rec(&mut part, 0x3C, &col);
        let mut row = 5u32.to_le_bytes().to_vec();
        row.extend([0; 13]);
        rec(&mut part, 0x00, &row);
        rec(&mut part, 0x06, &cell(4, &wide_bytes("Skjult kolonne")));
        let strings = vec!["a".to_string(), "Ola".to_string()];
        let area: Arc<str> = "Ark1".into();
        let got = collect(|out| cells(&part, &strings, &area, out).unwrap());
        let got: Vec<_> = summary(&got)
            .into_iter()
            .map(|(p, k, t, f)| (p, k, t, f.join(",")))
            .collect();
        let want = [
            ("Ark1!C4", "cell", "Ola", ""),
            ("Ark1!A4", "cell", "Kari Nordmann", ""),
            ("Ark1!B4", "cell", "15108695088", ""),
            ("Ark1!D4", "cell", "1234", ""),
            ("Ark1, topptekst", "header", "Fortrolig", ""),
            ("Ark1!A5", "cell", "Skjult rad", "hidden-row"),
            ("Ark1!E6", "cell", "Skjult kolonne", "hidden-column"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(p, k, t, f)| (p.to_string(), *k, t.to_string(), f.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn comments_with_authors() {
        let mut part = Vec::new();
        rec(&mut part, 0x278, &wide_bytes("Ola Saksbehandler"));
        let mut begin = 0u32.to_le_bytes().to_vec();
        for v in [4u32, 4, 1, 1] {
            begin.extend(v.to_le_bytes());
        }
        begin.extend([0; 16]);
        rec(&mut part, 0x27B, &begin);
        let mut text = vec![0];
        text.extend(wide_bytes("Sjekk 18061592527"));
        rec(&mut part, 0x27D, &text);
        let area: Arc<str> = "Ark1".into();
        let got = collect(|out| comment_part(&part, &area, out).unwrap());
        let got: Vec<_> = summary(&got)
            .into_iter()
            .map(|(p, _, t, f)| (p, t, f))
            .collect();
        assert_eq!(got[0].1, "Ola Saksbehandler");
        assert_eq!(got[1].0, "Ark1!B5");
        assert_eq!(got[1].1, "Sjekk 18061592527");
        assert_eq!(got[1].2, ["comment"]);
    }

    #[test]
    fn truncated_records_are_damage_not_a_panic() {
        let mut part = Vec::new();
        rec(&mut part, 0x06, &cell(0, &wide_bytes("Kari Nordmann")));
        let area: Arc<str> = "Ark1".into();
        for cut in 0..part.len() {
            let _ = collect(|out| {
                let r = cells(&part[..cut], &[], &area, out);
                assert!(cut == 0 || r.is_err(), "{cut}");
            });
        }
        assert_eq!(rk(0x3FF0_0001), 0.01);
    }
}
