//! OLE compound files: encrypted OOXML packages (password or IRM, told apart by the data
//! space map) and legacy .doc/.xls/.ppt binaries, with capped stream reads.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use cfb::CompoundFile;

use super::{Limits, bytes, dataspace};
use crate::model::{Note, Protection};
use crate::read::error::PartError;
use crate::read::error::{Error, Limit};

/// What an OLE compound file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OleKind {
    /// An encrypted OOXML package (`EncryptedPackage` stream).
    EncryptedPackage,
    /// A legacy binary document.
    Legacy(LegacyFormat),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegacyFormat {
    Doc,
    Xls,
    Ppt,
}

pub const DATA_SPACES: &str = "\u{6}DataSpaces";
pub const SUMMARY_INFO: &str = "\u{5}DocumentSummaryInformation";
/// The SummaryInformation stream: title, author, last author.
pub const SUMMARY: &str = "\u{5}SummaryInformation";

pub struct Ole<R: Read + Seek> {
    cf: CompoundFile<ZeroPadded<R>>,
    limits: Limits,
    pub kind: OleKind,
    pub protection: Protection,
    /// Problems met while classifying that did not stop the read (e.g. a damaged data space map).
    pub notes: Vec<Note>,
}

fn damaged(e: std::io::Error) -> Error {
    Error::Damaged(format!("OLE compound file: {e}"))
}

/// Opens a compound file. Some writers pad the last FAT sector with END_OF_CHAIN entries
/// beyond the end of the file, which the `cfb` crate rejects and POI reads; so the file is
/// presented as zero-filled up to the sectors its FAT covers (bounded: a lying header cannot
/// make it absurdly long). Valid chains never reach the padding.
fn open_cfb<R: Read + Seek>(mut reader: R) -> Result<CompoundFile<ZeroPadded<R>>, Error> {
    let len = reader.seek(SeekFrom::End(0))?;
    reader.seek(SeekFrom::Start(0))?;
    let mut header = [0u8; 512];
    reader
        .read_exact(&mut header)
        .map_err(|_| Error::Damaged("OLE compound file: header is truncated".into()))?;
    reader.seek(SeekFrom::Start(0))?;
    let shift = u16::from_le_bytes([header[0x1E], header[0x1F]]);
    let fat_sectors =
        u32::from_le_bytes([header[0x2C], header[0x2D], header[0x2E], header[0x2F]]) as u64;
    let mut virtual_len = len;
    if matches!(shift, 9 | 12) {
        let sector = 1u64 << shift;
        let covered = fat_sectors
            .saturating_mul(sector / 4)
            .saturating_add(1)
            .saturating_mul(sector);
        // The padding is at most what the last FAT sector covers: a header that claims
        // more FAT than the file holds gets no padding (the crate then rejects it).
        let last_fat_sector = sector * (sector / 4);
        if covered > len && covered <= len.saturating_add(last_fat_sector) {
            virtual_len = covered;
        }
    }
    CompoundFile::open(ZeroPadded {
        inner: reader,
        len,
        virtual_len,
        pos: 0,
    })
    .map_err(damaged)
}

/// A stream of a compound file read through `ZeroPadded`.
type Stream<R> = cfb::Stream<ZeroPadded<R>>;

/// A reader that continues with zeros after the end of `inner`, up to `virtual_len`.
pub struct ZeroPadded<R> {
    inner: R,
    len: u64,
    virtual_len: u64,
    pos: u64,
}

impl<R: Read + Seek> Read for ZeroPadded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos < self.len {
            let want = buf.len().min((self.len - self.pos) as usize);
            let n = self.inner.read(&mut buf[..want])?;
            self.pos += n as u64;
            return Ok(n);
        }
        let n = buf
            .len()
            .min(self.virtual_len.saturating_sub(self.pos) as usize);
        buf[..n].fill(0);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for ZeroPadded<R> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.virtual_len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        }
        .ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek out of range")
        })?;
        self.inner.seek(SeekFrom::Start(pos.min(self.len)))?;
        self.pos = pos;
        Ok(pos)
    }
}

impl<R: Read + Seek> Ole<R> {
    pub fn open(reader: R, limits: &Limits) -> Result<Self, Error> {
        let cf = open_cfb(reader)?;
        let mut ole = Ole {
            cf,
            limits: limits.clone(),
            kind: OleKind::EncryptedPackage,
            protection: Protection::None,
            notes: vec![],
        };
        let root: Vec<String> = ole
            .cf
            .read_root_storage()
            .map(|e| e.name().to_string())
            .collect();
        let has = |name: &str| root.iter().any(|n| n.eq_ignore_ascii_case(name));

        let data_spaces = ole.data_space_names();
        let irm = data_spaces.iter().any(|d| d.contains("DRM"));
        if has("EncryptedPackage") {
            ole.kind = OleKind::EncryptedPackage;
            ole.protection = if irm {
                Protection::Irm
            } else {
                if data_spaces.is_empty() && !has("EncryptionInfo") {
                    ole.notes.push(Note::AssumedPassword);
                }
                Protection::Password
            };
            return Ok(ole);
        }
        let format = if has("WordDocument") {
            LegacyFormat::Doc
        } else if has("Workbook") || has("Book") {
            LegacyFormat::Xls
        } else if has("PowerPoint Document") {
            LegacyFormat::Ppt
        } else {
            let mut names: Vec<String> =
                root.iter().map(|n| n.escape_debug().to_string()).collect();
            names.truncate(6);
            return Err(Error::NotOffice(format!(
                "OLE compound file without Word, Excel or PowerPoint content (root holds: {})",
                names.join(", ")
            )));
        };
        ole.kind = OleKind::Legacy(format);
        ole.protection = if irm || has("\u{9}DRMContent") {
            Protection::Irm
        } else if ole.legacy_password(format)? {
            Protection::Password
        } else {
            Protection::None
        };
        Ok(ole)
    }

    /// The data space names from `\x06DataSpaces\DataSpaceMap`, empty when there is none.
    fn data_space_names(&mut self) -> Vec<String> {
        match self.read_stream(&[DATA_SPACES, "DataSpaceMap"], 1 << 16) {
            Ok(Some(data)) => match dataspace::parse_map(&data) {
                Ok(entries) => entries.into_iter().map(|e| e.data_space).collect(),
                Err(why) => {
                    self.notes.push(Note::StreamDamaged {
                        stream: "\\x06DataSpaces\\DataSpaceMap".into(),
                        detail: why.to_string(),
                    });
                    Vec::new()
                }
            },
            Ok(None) => Vec::new(),
            Err(e) => {
                self.notes.push(e.note());
                Vec::new()
            }
        }
    }

    /// Whether a legacy binary is password-encrypted: the FIB's fEncrypted bit (Word), a
    /// FILEPASS record after the first BOF (Excel), an EncryptedSummary stream or the
    /// encrypted header token (PowerPoint).
    /// Only what tells it is read: the text reads the streams whole later.
    fn legacy_password(&mut self, format: LegacyFormat) -> Result<bool, Error> {
        Ok(match format {
            LegacyFormat::Doc => self.stream(&["WordDocument"])?.is_some_and(|s| {
                let mut fib = Vec::with_capacity(12);
                let _ = s.take(12).read_to_end(&mut fib);
                fib.len() >= 12 && fib[0..2] == [0xEC, 0xA5] && fib[11] & 0x01 != 0
            }),
            LegacyFormat::Xls => {
                let name = if self.find(&["Workbook"]).is_some() {
                    "Workbook"
                } else {
                    "Book"
                };
                self.stream(&[name])?
                    .is_some_and(|mut wb| xls_has_filepass(&mut wb))
            }
            // Or the CurrentUserAtom's headerToken ([MS-PPT] 2.3.2).
            LegacyFormat::Ppt => {
                self.find(&["EncryptedSummary"]).is_some()
                    || self
                        .read_stream(&["Current User"], 1 << 16)?
                        .is_some_and(|cu| ppt_encrypted(&cu))
            }
        })
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The path of a stream or storage, matching each name case-insensitively by walking the
    /// directory (damaged files may have an unsorted directory tree).
    pub fn find(&self, names: &[&str]) -> Option<PathBuf> {
        let mut path = PathBuf::from("/");
        for name in names {
            let entry = self
                .cf
                .read_storage(&path)
                .ok()?
                .find(|e| e.name().eq_ignore_ascii_case(name))?;
            path = entry.path().to_path_buf();
        }
        Some(path)
    }

    /// The file back (as the compound file reader sees it), for a reader that opens the
    /// compound file itself (calamine).
    pub fn into_inner(self) -> ZeroPadded<R> {
        self.cf.into_inner()
    }

    /// The path of a stream by its name chain, if there is a stream there.
    fn stream_path(&self, names: &[&str]) -> Option<PathBuf> {
        self.find(names).filter(|path| self.cf.is_stream(path))
    }

    /// A stream by its name chain, opened to read part of it. `None` if absent.
    fn stream(&mut self, names: &[&str]) -> Result<Option<Stream<R>>, Error> {
        let Some(path) = self.stream_path(names) else {
            return Ok(None);
        };
        let stream = self.cf.open_stream(&path);
        stream.map(Some).map_err(|e| Error::part(display(&path), e))
    }

    /// Reads a stream by its name chain, at most `cap` bytes (and never above the per-part
    /// limit). `None` if absent.
    pub fn read_stream(&mut self, names: &[&str], cap: u64) -> Result<Option<Vec<u8>>, Error> {
        let Some((mut stream, shown, _)) = self.open_capped(names, cap)? else {
            return Ok(None);
        };
        // The stream's own `read_to_end` (its length is within the cap): through `take`,
        // cfb would first buffer the whole stream too.
        let mut buf = Vec::new();
        stream
            .read_to_end(&mut buf)
            .map_err(|e| Error::part(&shown, e))?;
        Ok(Some(buf))
    }

    /// A stream by its name chain, opened to be read whole: its name as shown and its
    /// length, at most `cap` (and never above the per-part limit or what a file may hold).
    fn open_capped(
        &mut self,
        names: &[&str],
        cap: u64,
    ) -> Result<Option<(Stream<R>, String, u64)>, Error> {
        let Some(path) = self.stream_path(names) else {
            return Ok(None);
        };
        let shown = display(&path);
        let cap = cap.min(self.limits.max_part_bytes).min(self.limits.held());
        let len = self.cf.entry(&path).map(|e| e.len()).unwrap_or(0);
        if len > cap {
            return Err(Error::limit(
                Limit::Stream,
                format!("stream {shown} holds {} (limit {})", bytes(len), bytes(cap)),
            ));
        }
        let stream = self
            .cf
            .open_stream(&path)
            .map_err(|e| Error::part(&shown, e))?;
        Ok(Some((stream, shown, len)))
    }
}

impl<R: Read + Seek> Ole<R> {
    /// The embedded objects a legacy document keeps as storages of its own compound file
    /// (a .doc's `ObjectPool/_NNN`, a .xls's `MBD…` at the root): each copied into a compound
    /// file of its own, to be read as any embedded object is. At most `max_count` of them and
    /// `max_bytes` of streams together; what was left out is the error beside them.
    pub fn storages(
        &mut self,
        parent: &str,
        prefix: &str,
        (max_bytes, max_count): (u64, usize),
    ) -> (Vec<(String, Vec<u8>)>, Option<Error>) {
        let Some(parent) = self
            .find(&[parent])
            .or_else(|| (parent == "/").then(|| "/".into()))
        else {
            return (Vec::new(), None);
        };
        let names: Vec<PathBuf> = match self.cf.read_storage(&parent) {
            Ok(entries) => entries
                .filter(|e| e.is_storage() && e.name().starts_with(prefix))
                .map(|e| e.path().to_path_buf())
                .collect(),
            Err(_) => return (Vec::new(), None),
        };
        let (mut out, mut left) = (Vec::new(), max_bytes);
        for path in names {
            if out.len() == max_count {
                let why = format!(
                    "{}: more than {max_count} embedded objects",
                    display(&parent)
                );
                return (out, Some(Error::limit(Limit::Embedded, why)));
            }
            match self.copy_storage(&path, &mut left) {
                Ok(bytes) => out.push((display(&path), bytes)),
                Err(e) => return (out, Some(e)),
            }
        }
        (out, None)
    }

    /// The storage at `path` as a compound file of its own, its streams within `left` bytes.
    fn copy_storage(&mut self, path: &Path, left: &mut u64) -> Result<Vec<u8>, Error> {
        let entries: Vec<(PathBuf, bool, u64)> = self
            .cf
            .walk_storage(path)
            .map_err(damaged)?
            .map(|e| (e.path().to_path_buf(), e.is_stream(), e.len()))
            .collect();
        let mut copy = CompoundFile::create(std::io::Cursor::new(Vec::new())).map_err(damaged)?;
        for (entry, stream, len) in entries {
            let Ok(inside) = entry.strip_prefix(path) else {
                continue;
            };
            let to = Path::new("/").join(inside);
            if !stream {
                if inside.as_os_str().is_empty() {
                    continue;
                }
                copy.create_storage(&to).map_err(damaged)?;
                continue;
            }
            *left = left.checked_sub(len).ok_or_else(|| {
                let why = format!("{}: embedded objects over the memory cap", display(path));
                Error::limit(Limit::Memory, why)
            })?;
            let mut from = self
                .cf
                .open_stream(&entry)
                .map_err(|e| Error::part(display(&entry), e))?;
            let mut into = copy.create_stream(&to).map_err(damaged)?;
            std::io::copy(&mut (&mut from).take(len), &mut into)
                .map_err(|e| Error::part(display(&entry), e))?;
        }
        copy.flush().map_err(damaged)?;
        Ok(copy.into_inner().into_inner())
    }
}

/// Whether a presentation's CurrentUserAtom has the `headerToken` of an encrypted one,
/// 0xF3D1C4DF ([MS-PPT] 2.3.2).
fn ppt_encrypted(current_user: &[u8]) -> bool {
    current_user.get(12..16) == Some(&0xF3D1_C4DFu32.to_le_bytes()[..])
}

/// What an OLE object embedded in a document holds.
#[derive(Debug)]
pub enum Embedding {
    /// An OOXML package wrapped in a `Package` stream (Office's way of embedding a .docx,
    /// .xlsx or .pptx as an OLE object).
    Package(Vec<u8>),
    /// A file wrapped by the Packager (`\x01Ole10Native`): its name, and its bytes if it
    /// is an Office file by its first bytes (a zip or compound file); `None` for anything
    /// else (a program, a picture), whose bytes are not read.
    Native { name: String, data: Option<Vec<u8>> },
    /// A legacy or encrypted Office document itself: read it as one.
    Office,
    /// Anything else (an equation, a drawing, a media clip): what its root holds.
    Other(String),
}

/// How much of a packaged file's stream is read first: the Packager's header (names and
/// paths) and the file's first bytes, almost always.
const NATIVE_HEAD: u64 = 64 << 10;

/// Looks inside an OLE object embedded in a document, reading what it needs of `file`:
/// the compound file's directory, a `Package` stream, a packaged file's header (and the
/// file only if it is an Office file).
pub fn embedding<R: Read + Seek>(file: R, limits: &Limits) -> Result<Embedding, Error> {
    let mut ole = Ole {
        cf: open_cfb(file)?,
        limits: limits.clone(),
        kind: OleKind::EncryptedPackage,
        protection: Protection::None,
        notes: vec![],
    };
    let cap = limits.max_part_bytes;
    if let Some(data) = ole.read_stream(&["Package"], cap)? {
        return Ok(Embedding::Package(data));
    }
    if let Some(native) = ole.native(cap)? {
        return Ok(native);
    }
    let root: Vec<String> = ole
        .cf
        .read_root_storage()
        .map(|e| e.name().to_string())
        .collect();
    let office = [
        "EncryptedPackage",
        "WordDocument",
        "Workbook",
        "Book",
        "PowerPoint Document",
    ];
    if root
        .iter()
        .any(|n| office.iter().any(|o| n.eq_ignore_ascii_case(o)))
    {
        return Ok(Embedding::Office);
    }
    let mut names: Vec<String> = root.iter().map(|n| n.escape_debug().to_string()).collect();
    names.truncate(6);
    Ok(Embedding::Other(names.join(", ")))
}

impl<R: Read + Seek> Ole<R> {
    /// The packaged file of a `\x01Ole10Native` stream, if there is one: its header and
    /// first bytes read first, the rest only for an Office file. The stream is capped as
    /// `read_stream` caps it.
    fn native(&mut self, cap: u64) -> Result<Option<Embedding>, Error> {
        const NAME: &str = "\\x01Ole10Native";
        let Some((mut stream, _, len)) = self.open_capped(&["\u{1}Ole10Native"], cap)? else {
            return Ok(None);
        };
        // The head in reads of its whole size: a read of 64 KiB or more goes straight to
        // the sectors it covers, where a smaller one has the stream fill its buffer with
        // up to a megabyte first.
        let mut data = vec![0u8; len.min(NATIVE_HEAD) as usize];
        let mut got = 0;
        while got < data.len() {
            match stream.read(&mut data[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) => return Err(Error::part(NAME, e)),
            }
        }
        data.truncate(got);
        let mut read_to = |data: &mut Vec<u8>, to: u64| {
            let more = to.saturating_sub(data.len() as u64);
            (&mut stream)
                .take(more)
                .read_to_end(data)
                .map_err(|e| Error::part(NAME, e))
        };
        // A header longer than the first read (names of kilobytes): the stream whole.
        let header = match ole10_native(&data) {
            Err(_) if (data.len() as u64) < len => {
                read_to(&mut data, len)?;
                ole10_native(&data)
            }
            header => header,
        };
        let (name, start, file_len) = header.map_err(|why| Error::part(NAME, why))?;
        let file = match start.checked_add(file_len).filter(|&e| e as u64 <= len) {
            Some(end) => start..end,
            None => {
                let why = PartError::Truncated {
                    at: start,
                    wanted: file_len,
                };
                return Err(Error::part(NAME, why));
            }
        };
        let head_end = file.end.min(file.start + 8);
        if head_end > data.len() {
            read_to(&mut data, head_end as u64)?;
        }
        if super::sniff(&data[file.start..head_end.min(data.len())]) == super::Magic::Other {
            return Ok(Some(Embedding::Native { name, data: None }));
        }
        data.try_reserve_exact(file.end.saturating_sub(data.len()))
            .map_err(|e| Error::part(NAME, std::io::Error::from(e)))?;
        read_to(&mut data, file.end as u64)?;
        if data.len() < file.end {
            let why = PartError::Truncated {
                at: data.len(),
                wanted: file.end - data.len(),
            };
            return Err(Error::part(NAME, why));
        }
        // The file's bytes moved to the front of the stream's: an embedded file may be
        // large, and is not copied.
        data.truncate(file.end);
        data.drain(..file.start);
        Ok(Some(Embedding::Native {
            name,
            data: Some(data),
        }))
    }
}

/// The Packager's native data: size, flags, the file's label and path (ANSI, NUL-ended),
/// a reserved word pair, a temporary path, then the file's length and bytes. `head` is the
/// start of the stream, holding the header at least.
/// Returns the label, where the file's bytes start and how many it says there are.
fn ole10_native(head: &[u8]) -> Result<(String, usize, usize), PartError> {
    let mut r = super::LeReader::new(head);
    r.u32()?;
    r.u16()?;
    let mut cstr = || -> Result<String, PartError> {
        let start = r.pos;
        while r.bytes(1)? != [0] {}
        Ok(String::from_utf8_lossy(&head[start..r.pos - 1]).into_owned())
    };
    let label = cstr()?;
    let _source = cstr()?;
    r.u32()?;
    let temp = r.u32()? as usize;
    r.bytes(temp)?;
    let file_len = r.u32()? as usize;
    Ok((label, r.pos, file_len))
}

/// A stream path as a person writes it: `\x06DataSpaces\TransformInfo\LabelInfo`.
pub fn display(path: &Path) -> String {
    path.components()
        .filter_map(|c| c.as_os_str().to_str())
        .filter(|c| *c != "/")
        .map(|c| {
            c.chars()
                .map(|ch| {
                    if ch.is_control() {
                        format!("\\x{:02X}", ch as u32)
                    } else {
                        ch.to_string()
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\\")
}

/// Whether a FILEPASS record (0x002F) is among the first records of the workbook stream's globals
/// (record headers read, their data skipped).
fn xls_has_filepass(wb: &mut (impl Read + Seek)) -> bool {
    for first in (0..64).map(|i| i == 0) {
        let mut h = [0u8; 4];
        if wb.read_exact(&mut h).is_err() {
            return false;
        }
        let (kind, len) = (
            u16::from_le_bytes([h[0], h[1]]),
            u16::from_le_bytes([h[2], h[3]]),
        );
        match kind {
            0x002F => return true,
            0x000A if !first => return false, // EOF of the globals substream
            _ if wb.seek(SeekFrom::Current(i64::from(len))).is_err() => return false,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_stream_paths_readably() {
        assert_eq!(
            display(Path::new("/\u{6}DataSpaces/TransformInfo/LabelInfo")),
            "\\x06DataSpaces\\TransformInfo\\LabelInfo"
        );
    }

    /// A presentation whose CurrentUserAtom has the encrypted header token, with no
    /// `EncryptedSummary` stream: password-encrypted.
    #[test]
    fn encrypted_presentation_by_header_token() {
        let ppt = |token: u32| {
            let mut cf = CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
            let mut cu = vec![0u8, 0, 0xF6, 0x0F, 20, 0, 0, 0, 20, 0, 0, 0];
            cu.extend(token.to_le_bytes());
            cu.extend([0; 12]);
            std::io::Write::write_all(&mut cf.create_stream("/Current User").unwrap(), &cu)
                .unwrap();
            cf.create_stream("/PowerPoint Document").unwrap();
            cf.flush().unwrap();
            cf.into_inner()
        };
        let open = |token| Ole::open(ppt(token), &Limits::default()).unwrap();
        assert_eq!(open(0xF3D1_C4DF).protection, Protection::Password);
        assert_eq!(open(0xE391_C05F).protection, Protection::None);
        assert!(!ppt_encrypted(&[0; 13]));
    }

    #[test]
    fn finds_filepass_after_bof() {
        let mut wb = vec![0x09, 0x08, 2, 0, 0, 0];
        wb.extend([0x2F, 0, 0, 0]);
        let has = |wb: &[u8]| xls_has_filepass(&mut std::io::Cursor::new(wb));
        assert!(has(&wb));
        assert!(!has(&[0x09, 0x08, 0, 0, 0x0A, 0, 0, 0]));
        assert!(!has(&[0x09]));
        // Past the end of a short record's data.
        assert!(!has(&[0x09, 0x08, 9, 0, 0]));
    }
}
