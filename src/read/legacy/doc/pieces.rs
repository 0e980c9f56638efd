//! The piece table ([MS-DOC] §2.9.38 Clx, §2.8.35 PlcPcd): where each character position's
//! text sits in the `WordDocument` stream, 8-bit or UTF-16, and its properties there.

use super::fkp::Runs;
use crate::read::error::PartError;

/// The text of the character positions read, with the property bits of each.
pub struct Text {
    pub chars: Vec<u16>,
    pub bits: Vec<u8>,
    /// Character positions the piece table declares beyond what was read (cut at `max`).
    pub cut: bool,
}

/// Decodes character positions `0..want` (at most `max`) through the piece table in `clx`.
pub fn read(
    clx: &[u8],
    word: &[u8],
    want: u64,
    max: u64,
    chp: &Runs,
    pap: &Runs,
) -> Result<Text, PartError> {
    let pcdt = pcdt(clx)?;
    // A PlcPcd: n+1 positions then n 8-byte Pcds.
    if pcdt.len() < 4 || (pcdt.len() - 4) % 12 != 0 {
        return Err(PartError::Malformed(
            "piece table (PlcPcd) of the wrong size",
        ));
    }
    let n = (pcdt.len() - 4) / 12;
    let cp = |i: usize| u32::from_le_bytes(pcdt[i * 4..i * 4 + 4].try_into().unwrap_or([0; 4]));
    let pcd = |i: usize| &pcdt[(n + 1) * 4 + i * 8..(n + 1) * 4 + i * 8 + 8];
    let limit = want.min(max);
    let mut out = Text {
        chars: Vec::new(),
        bits: Vec::new(),
        cut: want > max,
    };
    let (mut chp, mut pap) = (chp.cursor(), pap.cursor());
    for i in 0..n {
        let (start, end) = (u64::from(cp(i)), u64::from(cp(i + 1)));
        // Positions run up; a piece that goes back or starts past the text is not read.
        if start != out.chars.len() as u64 || end < start {
            if start > out.chars.len() as u64 && start < limit {
                return Err(PartError::Malformed("piece table leaves a gap"));
            }
            continue;
        }
        let end = end.min(limit);
        if start >= end {
            break;
        }
        let d = pcd(i);
        let fc_raw = u32::from_le_bytes([d[2], d[3], d[4], d[5]]);
        let compressed = fc_raw & 0x4000_0000 != 0;
        let fc = fc_raw & 0x3FFF_FFFF;
        let count = (end - start) as usize;
        let (base, width) = if compressed {
            (fc as usize / 2, 1)
        } else {
            (fc as usize, 2)
        };
        let bytes =
            word.get(base..base.saturating_add(count * width))
                .ok_or(PartError::Truncated {
                    at: base,
                    wanted: count * width,
                })?;
        out.chars.reserve(count);
        out.bits.reserve(count);
        for k in 0..count {
            let (c, at) = if compressed {
                (cp1252(bytes[k]), base + k)
            } else {
                (
                    u16::from_le_bytes([bytes[2 * k], bytes[2 * k + 1]]),
                    base + 2 * k,
                )
            };
            let mut b = chp.at(at as u32);
            if c == 0x07 || c == 0x0D {
                b |= pap.at(at as u32) & (super::fkp::ROW_END | super::fkp::IN_TABLE);
            }
            out.chars.push(c);
            out.bits.push(b);
        }
        if end == limit {
            break;
        }
    }
    Ok(out)
}

/// The Pcdt of a Clx: Prc entries (clxt 1) are skipped, the Pcdt (clxt 2) returned.
fn pcdt(clx: &[u8]) -> Result<&[u8], PartError> {
    let mut i = 0;
    loop {
        match clx.get(i) {
            Some(1) => {
                let len = clx
                    .get(i + 1..i + 3)
                    .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
                    .ok_or(PartError::Truncated { at: i, wanted: 3 })?;
                i += 3 + len;
            }
            Some(2) => {
                let len = clx
                    .get(i + 1..i + 5)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
                    .ok_or(PartError::Truncated { at: i, wanted: 5 })?;
                return clx.get(i + 5..i + 5 + len).ok_or(PartError::Truncated {
                    at: i + 5,
                    wanted: len,
                });
            }
            _ => return Err(PartError::Malformed("no piece table (Pcdt) in the Clx")),
        }
    }
}

/// Windows-1252 for 8-bit pieces ([MS-DOC] §2.9.73): 0x80–0x9F are not Latin-1.
fn cp1252(b: u8) -> u16 {
    const HIGH: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => u16::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Clx with one Prc and a Pcdt of the given pieces (cp ranges, fc with flag).
    fn clx(cps: &[u32], fcs: &[u32]) -> Vec<u8> {
        let mut pcdt = Vec::new();
        for c in cps {
            pcdt.extend(c.to_le_bytes());
        }
        for f in fcs {
            pcdt.extend([0, 0]);
            pcdt.extend(f.to_le_bytes());
            pcdt.extend([0, 0]);
        }
        let mut out = vec![1, 2, 0, 0xAA, 0xBB, 2];
        out.extend((pcdt.len() as u32).to_le_bytes());
        out.extend(pcdt);
        out
    }

    #[test]
    fn eight_bit_and_utf16_pieces_join() {
        let mut word = b"Hei \x80".to_vec();
        word.extend("på".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let c = clx(&[0, 5, 7], &[0x4000_0000, 5]);
        let t = read(&c, &word, 7, 100, &Runs::default(), &Runs::default()).unwrap();
        assert_eq!(String::from_utf16_lossy(&t.chars), "Hei €på");
        let t = read(&c, &word, 7, 3, &Runs::default(), &Runs::default()).unwrap();
        assert_eq!(
            (String::from_utf16_lossy(&t.chars).as_str(), t.cut),
            ("Hei", true)
        );
    }

    #[test]
    fn damage_is_an_error_not_a_panic() {
        let c = clx(&[0, 50], &[0x4000_0000]);
        assert!(read(&c, b"short", 50, 100, &Runs::default(), &Runs::default()).is_err());
        assert!(
            read(
                &[2, 0xFF, 0xFF, 0xFF, 0x7F],
                b"",
                1,
                1,
                &Runs::default(),
                &Runs::default()
            )
            .is_err()
        );
        assert!(read(&[7], b"", 1, 1, &Runs::default(), &Runs::default()).is_err());
    }
}
