//! Character and paragraph properties from the FKPs ([MS-DOC] §2.9.x): which stretches of
//! the `WordDocument` stream are tracked deletions or insertions or hidden text, and which
//! paragraph marks end a table row. Only these few properties are read.

use super::fib::plc;

/// Properties of a stretch of text, as bits.
pub const DELETED: u8 = 1;
pub const INSERTED: u8 = 2;
pub const HIDDEN: u8 = 4;
/// A paragraph mark that ends a table row (sprmPFTtp / sprmPFInnerTtp), not a cell.
pub const ROW_END: u8 = 8;
/// A paragraph in a table cell (sprmPFInTable, or a nesting depth sprmPItap above 0).
pub const IN_TABLE: u8 = 16;

/// FKPs read at most: the table can point at no more pages than the stream holds.
const PAGE: usize = 512;

/// Stretches `[start, end)` of stream offsets (fc) with their property bits, sorted.
#[derive(Default)]
pub struct Runs(Vec<(u32, u32, u8)>);

impl Runs {
    /// Reads the runs of a PlcBteChpx (`pap` false) or PlcBtePapx (`pap` true).
    pub fn read(plc_bte: &[u8], word: &[u8], pap: bool) -> Runs {
        let (_, pns) = plc(plc_bte, 4);
        let mut runs = Vec::new();
        let pages = word.len() / PAGE;
        for pn in pns.chunks_exact(4).take(pages) {
            let pn = u32::from_le_bytes([pn[0], pn[1], pn[2], pn[3]]) & 0x003F_FFFF;
            let at = pn as usize * PAGE;
            if let Some(page) = word.get(at..at + PAGE) {
                fkp(page, pap, &mut runs);
            }
        }
        runs.sort_unstable_by_key(|r| r.0);
        Runs(runs)
    }

    /// The bits of the stretch holding stream offset `fc`: the plain search, which the
    /// cursor the reader uses is tested against.
    #[cfg(test)]
    pub fn at(&self, fc: u32) -> u8 {
        self.bits_before(self.0.partition_point(|r| r.0 <= fc), fc)
    }

    /// Looks up offsets that mostly rise, as a piece's characters do: a step forward
    /// instead of a search per character.
    pub fn cursor(&self) -> RunCursor<'_> {
        RunCursor { runs: self, i: 0 }
    }

    /// The bits for `fc` when `i` stretches start at or before it.
    fn bits_before(&self, i: usize, fc: u32) -> u8 {
        match i.checked_sub(1).map(|i| self.0[i]) {
            Some((_, end, bits)) if fc < end => bits,
            _ => 0,
        }
    }
}

/// `Runs::at` for rising offsets (see `Runs::cursor`).
pub struct RunCursor<'r> {
    runs: &'r Runs,
    /// How many stretches start at or before the offset looked up last.
    i: usize,
}

impl RunCursor<'_> {
    /// What `Runs::at(fc)` returns.
    #[inline]
    pub fn at(&mut self, fc: u32) -> u8 {
        let runs = &self.runs.0;
        if self.i > 0 && runs[self.i - 1].0 > fc {
            // Back: a piece that starts before the last one.
            self.i = runs.partition_point(|r| r.0 <= fc);
        } else if runs.get(self.i).is_some_and(|r| r.0 <= fc) {
            // Forward: one step within a stretch; a search for a jump past many.
            self.i = match runs.get(self.i + 1) {
                Some(r) if r.0 <= fc => runs.partition_point(|r| r.0 <= fc),
                _ => self.i + 1,
            };
        }
        self.runs.bits_before(self.i, fc)
    }
}

/// One FKP page: crun at byte 511, crun+1 fcs, then the offsets of the property sets
/// (one byte each for CHPX; a 13-byte BxPap for PAPX, its first byte the offset).
fn fkp(page: &[u8], pap: bool, out: &mut Vec<(u32, u32, u8)>) {
    let n = usize::from(page[PAGE - 1]);
    let width = if pap { 13 } else { 1 };
    if (n + 1) * 4 + n * width > PAGE - 1 {
        return;
    }
    let fc = |i: usize| {
        u32::from_le_bytes([
            page[i * 4],
            page[i * 4 + 1],
            page[i * 4 + 2],
            page[i * 4 + 3],
        ])
    };
    for i in 0..n {
        let off = usize::from(page[(n + 1) * 4 + i * width]) * 2;
        let bits = if off == 0 {
            0
        } else if pap {
            papx(page, off)
        } else {
            chpx(page, off)
        };
        if bits != 0 {
            out.push((fc(i), fc(i + 1), bits));
        }
    }
}

fn chpx(page: &[u8], off: usize) -> u8 {
    let Some(&cb) = page.get(off) else { return 0 };
    let end = (off + 1 + usize::from(cb)).min(PAGE - 1);
    page.get(off + 1..end).map_or(0, |g| sprm_bits(g, false))
}

fn papx(page: &[u8], off: usize) -> u8 {
    let Some(&cb) = page.get(off) else { return 0 };
    // cb ≠ 0: 2·cb − 1 bytes follow; cb = 0: the next byte counts words.
    let (start, len) = if cb != 0 {
        (off + 1, 2 * usize::from(cb) - 1)
    } else {
        let Some(&cb2) = page.get(off + 1) else {
            return 0;
        };
        (off + 2, 2 * usize::from(cb2))
    };
    let end = (start + len).min(PAGE - 1);
    // The istd (2 bytes) comes before the sprms.
    page.get(start + 2..end).map_or(0, |g| sprm_bits(g, true))
}

/// The bits the sprms of a grpprl set. Stops at the first sprm it cannot size.
fn sprm_bits(g: &[u8], pap: bool) -> u8 {
    let mut bits = 0;
    let mut i = 0;
    while i + 2 <= g.len() {
        let sprm = u16::from_le_bytes([g[i], g[i + 1]]);
        i += 2;
        let on = g.get(i).is_some_and(|&v| v == 1 || v == 0x81);
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match sprm {
                // sprmTDefTable: a 2-byte count of what follows, plus one.
                0xD608 => match g.get(i..i + 2) {
                    Some(b) => 2 + usize::from(u16::from_le_bytes([b[0], b[1]])).saturating_sub(1),
                    None => return bits,
                },
                _ => match g.get(i) {
                    Some(&n) => 1 + usize::from(n),
                    None => return bits,
                },
            },
        };
        match (pap, sprm) {
            (false, 0x0800) if on => bits |= DELETED,
            (false, 0x0801) if on => bits |= INSERTED,
            (false, 0x083C) if on => bits |= HIDDEN,
            (true, 0x2417 | 0x244C) if on => bits |= ROW_END,
            (true, 0x2416) if on => bits |= IN_TABLE,
            (true, 0x6649) if g.get(i..i + 4).is_some_and(|v| v != [0, 0, 0, 0]) => {
                bits |= IN_TABLE
            }
            _ => {}
        }
        i += size;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprms_set_their_bits_and_skip_others() {
        // sprmCFBold (0x0835, 1 byte), sprmCHps (0x4A43, 2 bytes), sprmCFRMarkDel on.
        let g = [0x35, 0x08, 1, 0x43, 0x4A, 24, 0, 0x00, 0x08, 1];
        assert_eq!(sprm_bits(&g, false), DELETED);
        assert_eq!(sprm_bits(&[0x3C, 0x08, 0x81, 0x01, 0x08, 0], false), HIDDEN);
        assert_eq!(
            sprm_bits(&[0x16, 0x24, 1, 0x17, 0x24, 1], true),
            ROW_END | IN_TABLE
        );
        // Truncated operands end the walk without a panic.
        assert_eq!(sprm_bits(&[0x08, 0xD6, 9], true), 0);
    }

    /// The cursor finds what the search finds, for rising offsets, jumps and steps back.
    #[test]
    fn cursor_finds_what_at_finds() {
        let mut word = crate::read::text::testing::xorshift(0x2545_F491_4F6C_DD1D);
        let mut next = |n: u64| (word() % n) as u32;
        for _ in 0..300 {
            // Stretches as real and damaged pages give them: gaps, overlaps, equal starts.
            let mut runs: Vec<(u32, u32, u8)> = (0..next(40))
                .map(|_| {
                    let start = next(2000);
                    (start, start + next(300), next(8) as u8 + 1)
                })
                .collect();
            runs.sort_unstable_by_key(|r| r.0);
            let runs = Runs(runs);
            let mut cursor = runs.cursor();
            let mut fc = 0u32;
            for _ in 0..3000 {
                fc = match next(50) {
                    0 => next(2400),
                    1..=5 => fc + next(400),
                    _ => fc + 1,
                };
                assert_eq!(cursor.at(fc), runs.at(fc), "{fc}");
            }
        }
    }

    #[test]
    fn runs_are_found_by_offset() {
        let mut page = vec![0u8; PAGE];
        // One run, fc 100..200, its CHPX at word offset 100 (byte 200): sprmCFVanish on.
        page[0..4].copy_from_slice(&100u32.to_le_bytes());
        page[4..8].copy_from_slice(&200u32.to_le_bytes());
        page[8] = 100;
        page[200..204].copy_from_slice(&[3, 0x3C, 0x08, 1]);
        page[511] = 1;
        let mut bte = Vec::new();
        for v in [0u32, 1000, 0] {
            bte.extend(v.to_le_bytes());
        }
        let runs = Runs::read(&bte, &page, false);
        assert_eq!(
            (runs.at(99), runs.at(100), runs.at(199), runs.at(200)),
            (0, HIDDEN, HIDDEN, 0)
        );
    }
}
