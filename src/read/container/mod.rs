//! The container layer: what kind of file this is, judged by its first bytes (never by its
//! name), and capped reads of what is inside. Knows nothing of labels or text.

use crate::read::error::PartError;

pub mod dataspace;
pub mod lazy;
pub mod ole;
pub mod propset;
pub mod zip;

/// The container kind, from the magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Magic {
    /// `PK\x03\x04` (or an empty/spanned zip): an OOXML package, or some other zip.
    Zip,
    /// `D0 CF 11 E0 A1 B1 1A E1`: an OLE compound file (encrypted OOXML or a legacy binary).
    Cfb,
    Other,
}

pub const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub fn sniff(head: &[u8]) -> Magic {
    match head {
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] | [b'P', b'K', 7, 8, ..] => Magic::Zip,
        _ if head.starts_with(&CFB_MAGIC) => Magic::Cfb,
        _ => Magic::Other,
    }
}

/// Read caps. Sizes declared inside a container can lie, so every read also goes through
/// a counting limit. Exceeding a cap is a per-file result, never a crash.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Entries in a zip's central directory.
    pub max_entries: usize,
    /// Inflated bytes of any one part or stream.
    pub max_part_bytes: u64,
    /// Inflated bytes read from one file, all parts together.
    pub max_total_bytes: u64,
    /// Uncompressed/compressed ratio of one part, checked for parts above 1 MiB
    /// (tiny parts compress absurdly well and prove nothing).
    pub max_ratio: u64,
    /// Levels of documents embedded in documents that are read.
    pub max_depth: u32,
    /// Bytes of text extracted from one file, embedded documents included.
    pub max_text_bytes: u64,
    /// Seconds spent reading one file's text; the rest is not read after that.
    pub max_seconds: u64,
    /// Bytes one file may hold in memory: a part or stream read whole, or a shared string
    /// table, at most a quarter of it (`held`); the documents embedded in it, all levels
    /// together, at most half. The rest is fixed caps (`read::xml::MAX_EVENT`,
    /// `MAX_PIECE`, `detect::MAX_VALUES`) and what parsers keep per element.
    pub max_memory: u64,
    /// Bytes the whole scan may hold: threads reading at once are at most
    /// `scan_memory / max_memory`.
    pub scan_memory: u64,
    /// Documents embedded in one file that are read, all levels together.
    pub max_embedded: u32,
}

impl Limits {
    /// Bytes one part, stream or shared string table read whole may hold.
    pub fn held(&self) -> u64 {
        self.max_memory / 4
    }

    /// Bytes of the documents embedded in a file, held together while they are read.
    pub fn embedded_held(&self) -> u64 {
        self.max_memory / 2
    }

    /// The limits for a document embedded in one that has `remaining` bytes of its
    /// budget left: the embedded document spends from the same budget.
    pub fn within(&self, remaining: u64) -> Limits {
        Limits {
            max_total_bytes: remaining,
            ..self.clone()
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 100_000,
            max_part_bytes: 512 << 20,
            max_total_bytes: 2 << 30,
            max_ratio: 1_000,
            max_depth: 3,
            max_text_bytes: 256 << 20,
            max_seconds: 60,
            max_memory: 256 << 20,
            scan_memory: 2 << 30,
            max_embedded: 1_000,
        }
    }
}

/// Human-readable byte count for limit messages.
pub fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / (1u64 << 10) as f64),
        n => format!("{n} bytes"),
    }
}

/// A little-endian reader over a stream's bytes. Every read is bounds-checked: a malformed
/// stream yields an error message, never a panic.
pub(crate) struct LeReader<'a> {
    data: &'a [u8],
    pub pos: usize,
}

impl<'a> LeReader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        LeReader { data, pos: 0 }
    }

    pub fn at(data: &'a [u8], pos: usize) -> Self {
        LeReader { data, pos }
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], PartError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or(PartError::Truncated {
            at: self.pos,
            wanted: n,
        })?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub fn u16(&mut self) -> Result<u16, PartError> {
        self.bytes(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }

    pub fn u32(&mut self) -> Result<u32, PartError> {
        self.bytes(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Skips padding up to the next multiple of 4 from `base`.
    pub fn align4(&mut self, base: usize) {
        let rel = self.pos.saturating_sub(base);
        self.pos += (4 - rel % 4) % 4;
    }
}

/// UTF-16LE bytes to a string, stopping at the first NUL.
pub(crate) fn utf16le(bytes: &[u8]) -> String {
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0);
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_magic_not_names() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Magic::Zip);
        assert_eq!(sniff(b"PK\x05\x06"), Magic::Zip);
        assert_eq!(sniff(&CFB_MAGIC), Magic::Cfb);
        assert_eq!(sniff(b"%PDF-1.7"), Magic::Other);
        assert_eq!(sniff(b"PK"), Magic::Other);
        assert_eq!(sniff(b""), Magic::Other);
    }
}
