//! What calamine does not read in an Excel 97–2003 workbook stream (BIFF8, [MS-XLS] 2.4):
//! number formats of numeric cells, hidden rows and columns, header/footer strings, and
//! comments (NOTE records with their authors, text in TXO + CONTINUE records). One pass over
//! the records; every count is bounded by the stream, which the caller has capped.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::read::error::PartError;
use crate::read::ooxml::spreadsheetml::Pad;

/// A worksheet as its substream describes it.
#[derive(Debug, Default)]
pub struct Sheet {
    pub name: String,
    /// `hsState` of BOUNDSHEET: 0 visible, 1 hidden, 2 very hidden.
    pub hidden: bool,
    /// A worksheet (not a chart, macro or VB module sheet).
    pub worksheet: bool,
    /// Numeric cells (row, col from 0) whose format pads with zeros.
    pub pads: HashMap<(u32, u32), Arc<Pad>>,
    pub hidden_rows: HashSet<u32>,
    /// Inclusive column ranges from 0.
    pub hidden_cols: Vec<(u32, u32)>,
    /// (`HEADER` or `FOOTER`, text as stored, with its `&` codes).
    pub header_footer: Vec<(bool, String)>,
    /// (row, col from 0, author, text).
    pub comments: Vec<(u32, u32, String, String)>,
    /// Bytes calamine would allocate for the sheet's cells: what DIMENSIONS makes it
    /// reserve, and the dense ranges of values and formulas it builds.
    pub calamine_bytes: u64,
}

#[derive(Debug, Default)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    /// A FILEPASS record: the rest of the stream is encrypted.
    pub encrypted: bool,
}

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;

/// The records of a stream from `at`: (type, data, offset). A record running past the end
/// stops the walk with an error.
struct Records<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<(u16, &'a [u8]), PartError>;
    fn next(&mut self) -> Option<Self::Item> {
        let head = self.data.get(self.at..self.at + 4)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = u16::from_le_bytes([head[2], head[3]]) as usize;
        let start = self.at + 4;
        match self.data.get(start..start + len) {
            Some(body) => {
                self.at = start + len;
                Some(Ok((typ, body)))
            }
            None => {
                self.at = self.data.len();
                Some(Err(PartError::Truncated {
                    at: start,
                    wanted: start + len - self.data.len(),
                }))
            }
        }
    }
}

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(i..i + 4)?.try_into().ok()?))
}

/// `cch` characters at `d`: UTF-16LE when `high`, else one byte each (the high bytes
/// left out, [MS-XLS] 2.5.293). Stops at the end of `d`.
fn chars(d: &[u8], cch: usize, high: bool) -> String {
    if high {
        let units = d
            .chunks_exact(2)
            .take(cch)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect()
    } else {
        d.iter().take(cch).map(|&b| b as char).collect()
    }
}

/// An XLUnicodeString (2.5.294): `cch` u16, flags, characters.
fn unicode_string(d: &[u8]) -> Option<String> {
    let cch = u16_at(d, 0)? as usize;
    let high = d.get(2)? & 1 != 0;
    Some(chars(d.get(3..)?, cch, high))
}

/// A ShortXLUnicodeString (2.5.240): `cch` u8, flags, characters.
fn short_string(d: &[u8]) -> Option<String> {
    let cch = *d.first()? as usize;
    let high = d.get(1)? & 1 != 0;
    Some(chars(d.get(2..)?, cch, high))
}

/// Reads the globals (sheets, formats) and every worksheet substream. Damage stops the
/// walk: what was read before it is returned with the error.
pub fn scan(stream: &[u8]) -> (Workbook, Option<PartError>) {
    let mut wb = Workbook::default();
    let mut formats: HashMap<u16, Option<Arc<Pad>>> = HashMap::new();
    let mut xf_pads: Vec<Option<Arc<Pad>>> = Vec::new();
    let mut offsets = Vec::new();
    for r in (Records {
        data: stream,
        at: 0,
    }) {
        let (typ, d) = match r {
            Ok(r) => r,
            Err(e) => return (wb, Some(e)),
        };
        match typ {
            EOF => break,
            0x002F => {
                wb.encrypted = true;
                return (wb, None);
            }
            // BOUNDSHEET8: lbPlyPos, hsState, dt, stName.
            0x0085 => {
                let (Some(pos), Some(&state), Some(&dt)) = (u32_at(d, 0), d.get(4), d.get(5))
                else {
                    continue;
                };
                offsets.push(pos as usize);
                wb.sheets.push(Sheet {
                    name: d.get(6..).and_then(short_string).unwrap_or_default(),
                    hidden: state & 3 != 0,
                    worksheet: dt == 0,
                    ..Sheet::default()
                });
            }
            // FORMAT: ifmt, stFormat.
            0x041E => {
                if let (Some(id), Some(code)) = (u16_at(d, 0), d.get(2..).and_then(unicode_string))
                {
                    formats.insert(id, Pad::parse(&code).map(Arc::new));
                }
            }
            // XF: ifnt, ifmt; cell and style XFs share one index.
            0x00E0 => {
                let id = u16_at(d, 2).unwrap_or(0);
                xf_pads.push(formats.get(&id).cloned().flatten());
            }
            _ => {}
        }
    }
    let mut damage = None;
    for (sheet, at) in wb.sheets.iter_mut().zip(offsets) {
        if !sheet.worksheet {
            continue;
        }
        if let Err(e) = scan_sheet(stream, at, &xf_pads, sheet) {
            damage.get_or_insert(e);
        }
    }
    (wb, damage)
}

/// Dense area of a set of cells, as calamine allocates it.
#[derive(Default)]
struct Bounds(Option<(u32, u32, u32, u32)>);

impl Bounds {
    fn add(&mut self, row: u32, col: u32) {
        let b = self.0.get_or_insert((row, row, col, col));
        *b = (b.0.min(row), b.1.max(row), b.2.min(col), b.3.max(col));
    }
    fn cells(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64
        })
    }
}

fn scan_sheet(
    stream: &[u8],
    at: usize,
    xf_pads: &[Option<Arc<Pad>>],
    sheet: &mut Sheet,
) -> Result<(), PartError> {
    if at >= stream.len() {
        return Err(PartError::Malformed(
            "a sheet's offset lies past the end of the stream",
        ));
    }
    let pad = |xf: Option<u16>| xf.and_then(|x| xf_pads.get(x as usize)).cloned().flatten();
    let mut depth = 0usize;
    let mut bounds = Bounds::default();
    let mut formula_bounds = Bounds::default();
    let mut reserved = 0u64;
    // Comment texts by drawing object id; the id of the last OBJ record met.
    let mut texts: HashMap<u16, String> = HashMap::new();
    let mut obj = None;
    // A TXO's text arrives in the CONTINUE records after it: (object id, chars left, text).
    let mut txo: Option<(Option<u16>, usize, String)> = None;
    let mut notes = Vec::new();
    for r in (Records { data: stream, at }) {
        let (typ, d) = r?;
        if typ == BOF {
            depth += 1;
            continue;
        }
        if depth == 0 {
            return Err(PartError::Malformed(
                "a sheet's offset does not point at a BOF record",
            ));
        }
        if typ == EOF {
            depth -= 1;
            if depth == 0 {
                break;
            }
            continue;
        }
        // An embedded chart's substream: not this sheet's cells.
        if depth > 1 {
            continue;
        }
        if typ != CONTINUE
            && let Some((id, _, text)) = txo.take()
            && let Some(id) = id
        {
            texts.insert(id, text);
        }
        let (row, col) = (u16_at(d, 0).map(u32::from), u16_at(d, 2).map(u32::from));
        match typ {
            // DIMENSIONS: calamine reserves rows × columns cells from it.
            0x0200 => {
                let (Some(rf), Some(rl), Some(cf), Some(cl)) =
                    (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10))
                else {
                    continue;
                };
                if rl >= 1 && cl >= 1 {
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    if rf > rl - 1 {
                        return Err(PartError::Malformed("DIMENSIONS ends before it starts"));
                    }
                    reserved = (rl - rf) as u64 * (cl - cf) as u64;
                }
            }
            // NUMBER, RK, FORMULA: row, col, ixfe.
            0x0203 | 0x027E | 0x0006 => {
                if let (Some(r), Some(c)) = (row, col) {
                    bounds.add(r, c);
                    if typ == 0x0006 {
                        formula_bounds.add(r, c);
                    }
                    if let Some(p) = pad(u16_at(d, 4)) {
                        sheet.pads.insert((r, c), p);
                    }
                }
            }
            // LABEL, RSTRING, BOOLERR, LABELSST.
            0x0204 | 0x00D6 | 0x0205 | 0x00FD => {
                if let (Some(r), Some(c)) = (row, col) {
                    bounds.add(r, c);
                }
            }
            // MULRK: row, colFirst, (ixfe, rk)*, colLast.
            0x00BD => {
                if let (Some(r), Some(c0)) = (row, col) {
                    for (i, rec) in d
                        .get(4..d.len().saturating_sub(2))
                        .unwrap_or(&[])
                        .chunks_exact(6)
                        .enumerate()
                    {
                        let c = c0 + i as u32;
                        bounds.add(r, c);
                        if let Some(p) = pad(u16_at(rec, 0)) {
                            sheet.pads.insert((r, c), p);
                        }
                    }
                }
            }
            // ROW: fDyZero (bit 5 of the flags at byte 12) hides the row.
            0x0208 => {
                if let (Some(r), Some(&f)) = (row, d.get(12))
                    && f & 0x20 != 0
                {
                    sheet.hidden_rows.insert(r);
                }
            }
            // COLINFO: colFirst, colLast, coldx, ixfe, flags (bit 0 fHidden).
            0x007D => {
                if let (Some(a), Some(b), Some(f)) = (row, col, u16_at(d, 8))
                    && f & 1 != 0
                {
                    sheet.hidden_cols.push((a, b));
                }
            }
            // HEADER, FOOTER: empty or an XLUnicodeString.
            0x0014 | 0x0015 => {
                if let Some(s) = unicode_string(d) {
                    sheet.header_footer.push((typ == 0x0014, s));
                }
            }
            // OBJ: the first subrecord is ftCmo (ft, cb, ot, id).
            0x005D => obj = u16_at(d, 6),
            // TXO: cchText at byte 10.
            0x01B6 => txo = Some((obj, u16_at(d, 10).unwrap_or(0) as usize, String::new())),
            CONTINUE => {
                // Each CONTINUE of the text starts with its own fHighByte; after the text
                // come the formatting runs, which are not text.
                if let Some((_, left, text)) = txo.as_mut()
                    && *left > 0
                    && let Some(&flag) = d.first()
                {
                    let high = flag & 1 != 0;
                    let s = chars(&d[1..], *left, high);
                    *left -= s.encode_utf16().count().min(*left);
                    text.push_str(&s);
                }
            }
            // NOTE: rw, col, grbit, idObj, stAuthor.
            0x001C => {
                if let (Some(r), Some(c), Some(id)) = (row, col, u16_at(d, 6)) {
                    let author = d.get(8..).and_then(unicode_string).unwrap_or_default();
                    notes.push((r, c, id, author));
                }
            }
            _ => {}
        }
    }
    // A reserved `Cell<Data>` is 40 bytes, a dense `Data` 32, a dense formula `String` 24.
    sheet.calamine_bytes = reserved
        .saturating_mul(40)
        .saturating_add(bounds.cells().saturating_mul(32))
        .saturating_add(formula_bounds.cells().saturating_mul(24));
    for (r, c, id, author) in notes {
        let text = texts.remove(&id).unwrap_or_default();
        sheet.comments.push((r, c, author, text));
    }
    Ok(())
}

/// Workbook streams made record by record, for tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend(typ.to_le_bytes());
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
    }

    pub fn xl_string(s: &str) -> Vec<u8> {
        let mut d = (s.len() as u16).to_le_bytes().to_vec();
        d.push(0);
        d.extend(s.bytes());
        d
    }

    /// A workbook of one hidden sheet holding the records `sheet_records` writes.
    pub fn workbook(sheet_records: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
        let mut globals = Vec::new();
        rec(&mut globals, BOF, &[0; 16]);
        let mut f = 164u16.to_le_bytes().to_vec();
        f.extend(xl_string("00000000000"));
        rec(&mut globals, 0x041E, &f);
        rec(&mut globals, 0x00E0, &[0, 0, 164, 0, 0, 0]);
        let at = globals.len() + 4 + 12 + 4;
        let mut sheet = (at as u32).to_le_bytes().to_vec();
        sheet.extend([1, 0, 4, 0]);
        sheet.extend(b"Ark1");
        rec(&mut globals, 0x0085, &sheet);
        rec(&mut globals, EOF, &[]);
        assert_eq!(globals.len(), at);
        rec(&mut globals, BOF, &[0; 16]);
        sheet_records(&mut globals);
        rec(&mut globals, EOF, &[]);
        globals
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn formats_hidden_rows_columns_headers_and_comments() {
        let stream = workbook(|s| {
            let mut n = vec![3, 0, 2, 0, 0, 0];
            n.extend(3111590981f64.to_le_bytes());
            rec(s, 0x0203, &n);
            let mut row = vec![0u8; 16];
            row[0] = 4;
            row[12] = 0x20;
            rec(s, 0x0208, &row);
            rec(s, 0x007D, &[4, 0, 5, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
            rec(s, 0x0014, &xl_string("&CFortrolig"));
            rec(s, 0x005D, &[0x15, 0, 0x12, 0, 0x19, 0, 7, 0]);
            let mut txo = vec![0u8; 18];
            txo[10] = 10;
            rec(s, 0x01B6, &txo);
            // The text split over two CONTINUE records, then the formatting runs.
            rec(s, CONTINUE, b"\x00Sjekk");
            rec(s, CONTINUE, b"\x01 \x00s\x00v\x00a\x00r\x00");
            rec(s, CONTINUE, &[0; 16]);
            let mut note = vec![4, 0, 1, 0, 0, 0, 7, 0];
            note.extend(xl_string("Ola Saksbehandler"));
            rec(s, 0x001C, &note);
        });
        let (wb, err) = scan(&stream);
        assert!(err.is_none(), "{err:?}");
        let s = &wb.sheets[0];
        assert_eq!(
            (s.name.as_str(), s.hidden, s.worksheet),
            ("Ark1", true, true)
        );
        assert_eq!(s.pads[&(3, 2)].show("3111590981"), "03111590981");
        assert!(s.hidden_rows.contains(&4));
        assert_eq!(s.hidden_cols, [(4, 5)]);
        assert_eq!(s.header_footer, [(true, "&CFortrolig".to_string())]);
        assert_eq!(
            s.comments,
            [(
                4,
                1,
                "Ola Saksbehandler".to_string(),
                "Sjekk svar".to_string()
            )]
        );
    }

    #[test]
    fn damage_is_reported_never_a_panic() {
        let whole = workbook(|s| rec(s, 0x0014, &xl_string("Fortrolig")));
        for cut in 0..whole.len() {
            let _ = scan(&whole[..cut]);
        }
        // A truncated record in the sheet: what came before is kept.
        let (wb, err) = scan(&whole[..whole.len() - 6]);
        assert_eq!(wb.sheets.len(), 1);
        assert!(matches!(err, Some(PartError::Truncated { .. })), "{err:?}");
        // A sheet offset pointing into the middle of a record.
        let mut bad = whole.clone();
        bad[whole.len() - 33] ^= 0x01;
        let _ = scan(&bad);
    }

    #[test]
    fn dimensions_that_end_before_they_start_are_refused() {
        let stream = workbook(|s| {
            let mut d = 10u32.to_le_bytes().to_vec();
            d.extend(5u32.to_le_bytes());
            d.extend([0, 0, 1, 0, 0, 0]);
            rec(s, 0x0200, &d);
        });
        let (_, err) = scan(&stream);
        assert!(matches!(err, Some(PartError::Malformed(_))), "{err:?}");
    }

    #[test]
    fn dense_cell_count_is_what_calamine_allocates() {
        let stream = workbook(|s| {
            let mut d = 0u32.to_le_bytes().to_vec();
            d.extend(65_536u32.to_le_bytes());
            d.extend([0, 0, 0, 1, 0, 0]);
            rec(s, 0x0200, &d);
        });
        let (wb, _) = scan(&stream);
        assert_eq!(wb.sheets[0].calamine_bytes, 65_536 * 256 * 40);
    }
}
