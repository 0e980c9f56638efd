//! The File Information Block at the start of the `WordDocument` stream ([MS-DOC] §2.5.1):
//! what kind of file this is, which table stream holds the structures, how long each story
//! is and where its structures sit.

use crate::read::error::PartError;

/// Word 97 and later write nFib ≥ 0xC1; Word 6 and 95 (nFib 101–105) use another layout.
const FIRST_WORD97: u16 = 106;

/// The FibRgFcLcb97 pairs this reader uses, by their index ([MS-DOC] §2.5.6).
#[derive(Clone, Copy)]
pub enum Lcb {
    PlcffndTxt = 3,
    PlcfandRef = 4,
    PlcfandTxt = 5,
    PlcfHdd = 11,
    PlcfBteChpx = 12,
    PlcfBtePapx = 13,
    Clx = 33,
    GrpXstAtnOwners = 36,
    PlcfendTxt = 47,
    PlcftxbxTxt = 56,
    PlcfHdrtxbxTxt = 58,
}

/// The story lengths of FibRgLw97, in document order ([MS-DOC] §2.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ccp {
    pub text: u32,
    pub ftn: u32,
    pub hdd: u32,
    pub mcr: u32,
    pub atn: u32,
    pub edn: u32,
    pub txbx: u32,
    pub hdr_txbx: u32,
}

impl Ccp {
    pub fn total(&self) -> u64 {
        [
            self.text,
            self.ftn,
            self.hdd,
            self.mcr,
            self.atn,
            self.edn,
            self.txbx,
            self.hdr_txbx,
        ]
        .iter()
        .map(|&n| u64::from(n))
        .sum()
    }
}

#[derive(Debug)]
pub struct Fib {
    pub n_fib: u16,
    pub encrypted: bool,
    /// `1Table` rather than `0Table`.
    pub table_1: bool,
    pub ccp: Ccp,
    fc_lcb: Vec<(u32, u32)>,
}

/// What the FIB says about a file this reader does not read.
#[derive(Debug, PartialEq, Eq)]
pub enum Unread {
    /// Word 6 or Word 95 (the nFib).
    OldWord(u16),
    Encrypted,
}

impl Fib {
    pub fn parse(w: &[u8]) -> Result<Fib, PartError> {
        let u16_at = |at: usize| -> Result<u16, PartError> {
            w.get(at..at + 2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .ok_or(PartError::Truncated { at, wanted: 2 })
        };
        let u32_at = |at: usize| -> Result<u32, PartError> {
            w.get(at..at + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .ok_or(PartError::Truncated { at, wanted: 4 })
        };
        let ident = u16_at(0)?;
        let n_fib = u16_at(2)?;
        // Word 2 (0xA59B), Word 6 and 95 (0xA5DC) have FIBs of their own.
        if matches!(ident, 0xA59B | 0xA5DB | 0xA5DC) {
            return Ok(Fib {
                n_fib: n_fib.min(FIRST_WORD97 - 1),
                encrypted: false,
                table_1: false,
                ccp: Ccp::default(),
                fc_lcb: Vec::new(),
            });
        }
        if ident != 0xA5EC {
            return Err(PartError::Malformed("no Word FIB (wIdent is not 0xA5EC)"));
        }
        let flags = u16_at(0x0A)?;
        let mut fib = Fib {
            n_fib,
            encrypted: flags & 0x0100 != 0,
            table_1: flags & 0x0200 != 0,
            ccp: Ccp::default(),
            fc_lcb: Vec::new(),
        };
        if n_fib < FIRST_WORD97 || fib.encrypted {
            return Ok(fib);
        }
        // FibBase (32 bytes), csw and FibRgW97, cslw and FibRgLw97, then cbRgFcLcb.
        let csw = usize::from(u16_at(32)?);
        let lw = 34 + csw * 2;
        let cslw = usize::from(u16_at(lw)?);
        if cslw < 11 {
            return Err(PartError::Malformed("FibRgLw97 too short"));
        }
        let l = lw + 2;
        fib.ccp = Ccp {
            text: u32_at(l + 12)?,
            ftn: u32_at(l + 16)?,
            hdd: u32_at(l + 20)?,
            mcr: u32_at(l + 24)?,
            atn: u32_at(l + 28)?,
            edn: u32_at(l + 32)?,
            txbx: u32_at(l + 36)?,
            hdr_txbx: u32_at(l + 40)?,
        };
        let at = l + cslw * 4;
        let count = usize::from(u16_at(at)?);
        // cbRgFcLcb is at most 0xB7 pairs; each pair is 8 bytes of the stream.
        let count = count.min(0x100);
        for i in 0..count {
            let p = at + 2 + i * 8;
            fib.fc_lcb.push((u32_at(p)?, u32_at(p + 4)?));
        }
        Ok(fib)
    }

    pub fn unread(&self) -> Option<Unread> {
        if self.encrypted {
            Some(Unread::Encrypted)
        } else if self.n_fib < FIRST_WORD97 {
            Some(Unread::OldWord(self.n_fib))
        } else {
            None
        }
    }

    /// The bytes of a table-stream structure, or empty when absent or outside the stream.
    pub fn slice<'t>(&self, which: Lcb, table: &'t [u8]) -> &'t [u8] {
        let Some(&(fc, lcb)) = self.fc_lcb.get(which as usize) else {
            return &[];
        };
        let (fc, lcb) = (fc as usize, lcb as usize);
        table.get(fc..fc.saturating_add(lcb)).unwrap_or(&[])
    }
}

/// A PLC ([MS-DOC] §2.2.2): n+1 character positions, then n data elements of `size` bytes.
pub fn plc(bytes: &[u8], size: usize) -> (Vec<u32>, &[u8]) {
    if bytes.len() < 4 {
        return (Vec::new(), &[]);
    }
    let n = (bytes.len() - 4) / (4 + size);
    let cps = bytes[..(n + 1) * 4]
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    (cps, &bytes[(n + 1) * 4..(n + 1) * 4 + n * size])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plc_splits_positions_and_data() {
        let mut b = Vec::new();
        for cp in [0u32, 5, 9] {
            b.extend(cp.to_le_bytes());
        }
        b.extend([1, 2, 3, 4]);
        let (cps, data) = plc(&b, 2);
        assert_eq!(cps, vec![0, 5, 9]);
        assert_eq!(data, &[1, 2, 3, 4]);
        assert_eq!(plc(&[1, 2], 2).0, Vec::<u32>::new());
    }

    #[test]
    fn word95_and_encrypted_are_named() {
        let mut w = vec![0u8; 64];
        w[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
        w[2..4].copy_from_slice(&104u16.to_le_bytes());
        assert_eq!(Fib::parse(&w).unwrap().unread(), Some(Unread::OldWord(104)));
        w[2..4].copy_from_slice(&0xC1u16.to_le_bytes());
        w[0x0A..0x0C].copy_from_slice(&0x0100u16.to_le_bytes());
        assert_eq!(Fib::parse(&w).unwrap().unread(), Some(Unread::Encrypted));
        assert!(Fib::parse(&[0; 8]).is_err());
        w[0..2].copy_from_slice(&0xA5DCu16.to_le_bytes());
        w[2..4].copy_from_slice(&0x65u16.to_le_bytes());
        assert_eq!(
            Fib::parse(&w).unwrap().unread(),
            Some(Unread::OldWord(0x65))
        );
    }
}
