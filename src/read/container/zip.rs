//! Zip packages with capped reads and forgiving part lookup: real packages name parts with
//! Windows backslashes, in another case than their relationships, or percent-encoded.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::io::{self, Read, Seek};
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::{FxHashMap, FxHashSet};
use zip::ZipArchive;
use zip::result::ZipError;

use super::lazy::Lazy;
use super::{Limits, bytes};
use crate::read::error::{Error, Limit, PartError};

/// Parts inflated again after a whole read with a good checksum: waste, as every part is
/// read once. Counted for the tests on real files (a hostile package may still name one
/// part twice: each read counts against the per-file budget).
static INFLATED_AGAIN: AtomicU64 = AtomicU64::new(0);

/// How many parts were inflated again in this process (see [`Package`]).
pub fn inflated_again() -> u64 {
    INFLATED_AGAIN.load(Ordering::Relaxed)
}

pub struct Package<R: Read + Seek> {
    archive: ZipArchive<R>,
    /// Normalised part name → entry index. The first entry wins on duplicates.
    index: FxHashMap<String, usize>,
    limits: Limits,
    read_total: u64,
    /// Entries already inflated with a good checksum.
    verified: FxHashSet<usize>,
    /// Entry names as stored, for messages.
    stored: FxHashMap<usize, String>,
}

/// Whether a part, by its name in any case, is XML the scan parses or proves
/// (`Package::verify_xml_parts`): what benches/floor.rs inflates as the least any reader
/// of the text must.
pub fn is_xml_part(name: &str) -> bool {
    let name = name.as_bytes();
    [&b".xml"[..], b".rels", b".vml"]
        .iter()
        .any(|e| name.len() >= e.len() && name[name.len() - e.len()..].eq_ignore_ascii_case(e))
}

/// The key a part is looked up by: forward slashes, no leading slash, percent-decoded,
/// lowercase (OPC part names are case-insensitive).
pub fn normalize(name: &str) -> Cow<'_, str> {
    // Most names are normal already: no copy for them (every part lookup comes here).
    if !name.starts_with('/') && name.bytes().all(|b| NORMAL[b as usize]) {
        return Cow::Borrowed(name);
    }
    // Else mostly capitals (`[Content_Types].xml`, `word/fontTable.xml`): one copy.
    if name
        .bytes()
        .all(|b| b.is_ascii() && !matches!(b, b'\\' | b'%'))
    {
        return Cow::Owned(name.trim_start_matches('/').to_ascii_lowercase());
    }
    let name = name.replace('\\', "/");
    Cow::Owned(percent_decode(name.trim_start_matches('/')).to_lowercase())
}

/// The bytes a normal name holds as they are: ASCII but capitals, `\\` and `%`.
const NORMAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = !matches!(b as u8, b'\\' | b'%' | b'A'..=b'Z');
        b += 1;
    }
    t
};

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).and_then(|&c| hex(c)),
            b.get(i + 2).and_then(|&c| hex(c)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, ..) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn zip_error(e: ZipError) -> Error {
    match e {
        ZipError::Io(e) if e.kind() != std::io::ErrorKind::UnexpectedEof => Error::Io(e),
        ZipError::Io(_) => Error::Damaged("zip archive is truncated".into()),
        ZipError::InvalidArchive(why) => Error::Damaged(format!("zip archive: {}", plain(&why))),
        other => Error::Damaged(format!(
            "zip archive: {}",
            lowercase_first(&other.to_string())
        )),
    }
}

/// The zip crate's wording, for people: what is broken, not which record.
fn plain(why: &str) -> String {
    if why.contains("EOCD") {
        "end of central directory not found (truncated, or not a zip)".into()
    } else if why.contains("CDFH")
        || why.contains("Central Directory")
        || why.contains("Zip32CDEBlock")
    {
        "central directory is damaged".into()
    } else {
        lowercase_first(why)
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

/// Entries whose data overlap: no writer makes them, but a zip bomb does (one entry's
/// data shared by thousands of entries, or each entry's data holding the next ones).
fn overlap(spans: &mut [(u64, u64)]) -> Result<(), Error> {
    spans.sort_unstable();
    for w in spans.windows(2) {
        let ((a, len), (b, _)) = (w[0], w[1]);
        if b < a.saturating_add(len) {
            return Err(Error::limit(
                Limit::Entries,
                format!("zip entries at bytes {a} and {b} overlap (a zip bomb?)"),
            ));
        }
    }
    Ok(())
}

impl<R: Read + Seek> Package<R> {
    pub fn open(reader: R, limits: &Limits) -> Result<Self, Error> {
        let archive = ZipArchive::new(reader).map_err(zip_error)?;
        if archive.len() > limits.max_entries {
            return Err(Error::limit(
                Limit::Entries,
                format!(
                    "zip archive has {} entries (limit {})",
                    archive.len(),
                    limits.max_entries
                ),
            ));
        }
        let mut index = FxHashMap::with_capacity_and_hasher(archive.len(), Default::default());
        let mut stored = FxHashMap::with_capacity_and_hasher(archive.len(), Default::default());
        let mut spans = Vec::with_capacity(archive.len());
        for i in 0..archive.len() {
            let Ok(entry) = archive.by_index_data(i) else {
                continue;
            };
            // A local header is 30 bytes at least, before the entry's data.
            spans.push((
                entry.header_start(),
                entry.compressed_size().saturating_add(30),
            ));
            if entry.is_dir() {
                continue;
            }
            let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
            if let Entry::Vacant(v) = index.entry(normalize(&name).into_owned()) {
                v.insert(i);
                stored.insert(i, name);
            }
        }
        overlap(&mut spans)?;
        Ok(Package {
            archive,
            index,
            limits: limits.clone(),
            read_total: 0,
            verified: FxHashSet::default(),
            stored,
        })
    }

    /// A part's name as stored in the zip (for messages), or `name` if there is no such part.
    pub fn stored_name(&self, name: &str) -> String {
        let stored = self
            .index
            .get(normalize(name).as_ref())
            .and_then(|i| self.stored.get(i));
        stored.cloned().unwrap_or_else(|| name.to_string())
    }

    /// Bytes this package may still inflate before its per-file budget is spent.
    pub fn remaining(&self) -> u64 {
        self.limits.max_total_bytes.saturating_sub(self.read_total)
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(normalize(name).as_ref())
    }

    /// Normalised names of every part.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(String::as_str)
    }

    /// The bytes of a part, or `None` if the package has no such part. Reads are capped per
    /// part and per file; a part whose inflated size or ratio exceeds the limits is an error.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let Some(&i) = self.index.get(normalize(name).as_ref()) else {
            return Ok(None);
        };
        let mut buf = Vec::new();
        self.inflate(i, Out::Buf(&mut buf))?;
        Ok(Some(buf))
    }

    /// Reads a part as it is inflated: `f` gets the bytes as a stream, so a large part is
    /// never held whole. `None` if the package has no such part. The same caps and checks
    /// as `read`; a damaged or oversized part is an error even when `f` got on well with
    /// the bytes before the damage showed.
    pub fn stream<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut dyn Read) -> T,
    ) -> Result<Option<T>, Error> {
        let Some(&i) = self.index.get(normalize(name).as_ref()) else {
            return Ok(None);
        };
        let (mut f, mut out) = (Some(f), None);
        self.inflate(i, Out::Stream(&mut |r| out = f.take().map(|f| f(r))))?;
        Ok(out)
    }

    /// A part as a seekable file of its declared size, inflated only as far as `f` reads
    /// it (`Lazy`): an embedded object is known by its first kilobytes. `None` if the
    /// package has no such part. The caps of `read`, as the part may be held whole; read
    /// to its declared size, the rest is read too and the checksum proven (a size that
    /// lies is damage); left before, the part stays unverified and what was inflated
    /// counts against the file's budget.
    pub fn lazily<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut Lazy) -> T,
    ) -> Result<Option<T>, Error> {
        let Some(&i) = self.index.get(normalize(name).as_ref()) else {
            return Ok(None);
        };
        let (mut f, mut out) = (Some(f), None);
        self.inflate(i, Out::Lazy(&mut |lazy| out = f.take().map(|f| f(lazy))))?;
        Ok(out)
    }

    /// Inflates every XML part not read yet, to prove its checksum: a damaged part is damage
    /// to the document even when nothing asked for it. Media and binary parts are left alone.
    pub fn verify_xml_parts(&mut self) -> Result<(), Error> {
        let mut todo: Vec<usize> = self
            .index
            .iter()
            .filter(|(n, i)| !self.verified.contains(i) && is_xml_part(n))
            .map(|(_, &i)| i)
            .collect();
        // Entry order: the order the bytes lie in the file.
        todo.sort();
        for i in todo {
            self.inflate(i, Out::Sink)?;
        }
        Ok(())
    }

    fn inflate(&mut self, i: usize, out: Out) -> Result<(), Error> {
        let name = self.stored.get(&i).map_or("", String::as_str);
        if self.verified.contains(&i) {
            INFLATED_AGAIN.fetch_add(1, Ordering::Relaxed);
        }
        let limits = &self.limits;
        let mut file = self.archive.by_index(i).map_err(|e| match zip_error(e) {
            Error::Damaged(why) => Error::part(name, PartError::Damaged(why)),
            other => other,
        })?;
        if file.encrypted() {
            return Err(Error::part(name, PartError::Encrypted));
        }
        let (declared, compressed) = (file.size(), file.compressed_size());
        check_ratio(name, declared, compressed, limits)?;
        let budget = limits
            .max_part_bytes
            .min(limits.max_total_bytes.saturating_sub(self.read_total));
        if declared > budget {
            return Err(too_large(name, declared, limits));
        }
        // A part read whole is held: it must fit what a file may hold.
        let held = matches!(out, Out::Buf(_) | Out::Lazy(_)).then(|| limits.held());
        if let Some(held) = held
            && declared > held
        {
            return Err(too_large_to_hold(name, declared, limits));
        }
        let budget = budget.min(held.unwrap_or(u64::MAX));
        let mut limited = (&mut file).take(budget + 1);
        let copied = match out {
            Out::Buf(buf) => {
                // The declared size may lie, so it only sizes the first allocation (up to
                // 64 MiB); reading into place avoids growing and copying a large part.
                buf.reserve(declared.min(64 << 20) as usize);
                limited.read_to_end(buf).map(|n| n as u64)
            }
            Out::Sink => io::copy(&mut limited, &mut io::sink()),
            out @ (Out::Stream(_) | Out::Lazy(_)) => {
                let mut tap = Tap {
                    inner: &mut limited,
                    got: 0,
                    end: false,
                    error: None,
                };
                match out {
                    Out::Stream(f) => f(&mut tap),
                    Out::Lazy(f) => {
                        f(&mut Lazy::new(&mut tap, declared));
                        // Read to its declared size: the rest, if any, is read now (to
                        // nothing), so that a size that lies (0, say, before a whole
                        // document) is an error, and the checksum is proven.
                        if !tap.end && tap.got >= declared {
                            let _ = io::copy(&mut tap, &mut io::sink());
                        }
                    }
                    _ => {}
                }
                match tap.error {
                    Some(e) => Err(e),
                    // Read to its end: the checksum is proven. Otherwise the reader
                    // stopped early (a limit, a parse error) and the part stays unverified.
                    None if tap.end => Ok(tap.got),
                    None => {
                        let got = tap.got;
                        if got > budget {
                            return Err(too_large(name, got, limits));
                        }
                        self.read_total += got;
                        return Ok(());
                    }
                }
            }
        };
        let got = copied.map_err(|e| {
            let why = lowercase_first(&e.to_string());
            let why = if why.contains("checksum") {
                "checksum mismatch".into()
            } else {
                why
            };
            Error::part(name, PartError::Damaged(why))
        })?;
        if got > budget {
            return Err(match held {
                Some(held) if got > held => too_large_to_hold(name, got, limits),
                _ => too_large(name, got, limits),
            });
        }
        check_ratio(name, got, compressed, limits)?;
        self.read_total += got;
        self.verified.insert(i);
        Ok(())
    }
}

/// Where an inflated part goes: into memory, to a reader as it is inflated, to a reader
/// as a file inflated as far as it reads, or nowhere (checked and dropped).
enum Out<'a> {
    Buf(&'a mut Vec<u8>),
    Stream(&'a mut dyn FnMut(&mut dyn Read)),
    Lazy(&'a mut dyn FnMut(&mut Lazy)),
    Sink,
}

/// A part's stream as its reader sees it, counting what was read and keeping the first
/// error (a bad checksum shows as one at the end of the part).
struct Tap<'a> {
    inner: &'a mut dyn Read,
    got: u64,
    end: bool,
    error: Option<io::Error>,
}

impl Read for Tap<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(0) if !buf.is_empty() => {
                self.end = true;
                Ok(0)
            }
            Ok(n) => {
                self.got += n as u64;
                Ok(n)
            }
            Err(e) => {
                let copy = io::Error::new(e.kind(), e.to_string());
                self.error.get_or_insert(e);
                Err(copy)
            }
        }
    }
}

fn too_large(name: &str, size: u64, limits: &Limits) -> Error {
    Error::limit(
        Limit::Inflated,
        format!(
            "{name} inflates to more than {} (limits: {} per part, {} per file)",
            bytes(size.min(limits.max_part_bytes)),
            bytes(limits.max_part_bytes),
            bytes(limits.max_total_bytes)
        ),
    )
}

fn too_large_to_hold(name: &str, size: u64, limits: &Limits) -> Error {
    Error::limit(
        Limit::Memory,
        format!(
            "{name} is read whole and inflates to more than {} (limit: a quarter of max_memory, {})",
            bytes(size.min(limits.held() + 1)),
            bytes(limits.held())
        ),
    )
}

fn check_ratio(name: &str, size: u64, compressed: u64, limits: &Limits) -> Result<(), Error> {
    if size > 1 << 20 && size / compressed.max(1) > limits.max_ratio {
        return Err(Error::limit(
            Limit::Ratio,
            format!(
                "{name} has compression ratio {}:1 (limit {}:1): a zip bomb?",
                size / compressed.max(1),
                limits.max_ratio
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn finds_parts_whatever_their_spelling() {
        let z = zip_of(&[
            ("Word\\Document.XML", b"<w/>"),
            ("docMetadata/Label%20Info.xml", b"x"),
        ]);
        let mut p = Package::open(Cursor::new(z), &Limits::default()).unwrap();
        assert_eq!(p.read("/word/document.xml").unwrap().unwrap(), b"<w/>");
        assert!(p.contains("docMetadata/Label Info.xml"));
        assert!(p.read("word/missing.xml").unwrap().is_none());
    }

    /// A part read lazily is inflated as far as it is read, and counts that much against
    /// the file's budget; read to its end, it is whole, verified and counted whole.
    #[test]
    fn a_part_read_lazily_is_inflated_as_far_as_it_is_read() {
        let mut x = 1u64;
        let data: Vec<u8> = (0..3_000_000)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                (x >> 56) as u8
            })
            .collect();
        let z = zip_of(&[("x/oleObject1.bin", &data)]);
        let mut p = Package::open(Cursor::new(z.clone()), &Limits::default()).unwrap();
        let before = p.remaining();
        let head = p
            .lazily("x/oleObject1.bin", |f| {
                f.seek(io::SeekFrom::Start(2000)).unwrap();
                let mut head = [0u8; 100];
                f.read_exact(&mut head).unwrap();
                (head, f.seek(io::SeekFrom::End(0)).unwrap())
            })
            .unwrap()
            .unwrap();
        assert_eq!(head.0[..], data[2000..2100]);
        assert_eq!(head.1, data.len() as u64);
        let spent = before - p.remaining();
        assert!((100..=256 << 10).contains(&spent), "{spent}");
        assert!(!p.verified.contains(&0));

        let mut p = Package::open(Cursor::new(z), &Limits::default()).unwrap();
        let whole = p
            .lazily("x/oleObject1.bin", |f| f.take_bytes().unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(whole, data);
        assert_eq!(before - p.remaining(), data.len() as u64);
        assert!(p.verified.contains(&0));
    }

    #[test]
    fn caps_inflated_size_and_ratio() {
        let big = vec![b'a'; 4 << 20];
        let z = zip_of(&[("bomb.xml", &big)]);
        let limits = Limits {
            max_ratio: 100,
            ..Limits::default()
        };
        let err = Package::open(Cursor::new(z.clone()), &limits)
            .unwrap()
            .read("bomb.xml")
            .unwrap_err();
        assert!(err.to_string().contains("compression ratio"), "{err}");

        let limits = Limits {
            max_part_bytes: 1 << 20,
            ..Limits::default()
        };
        let err = Package::open(Cursor::new(z), &limits)
            .unwrap()
            .read("bomb.xml")
            .unwrap_err();
        assert!(matches!(err, Error::Limit { .. }), "{err}");
    }

    /// A stored (uncompressed) zip whose `a.xml` no longer matches its checksum.
    fn damaged(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        let mut z = w.finish().unwrap().into_inner();
        let at = z.windows(5).position(|w| w == b"hello").unwrap();
        z[at] = b'j';
        z
    }

    #[test]
    fn verification_finds_damage_in_parts_nobody_read() {
        let z = damaged(&[("a.xml", b"<a>hello</a>"), ("b.png", b"not checked")]);
        let mut p = Package::open(Cursor::new(z), &Limits::default()).unwrap();
        assert!(p.read("b.png").unwrap().is_some());
        let err = p.verify_xml_parts().unwrap_err().to_string();
        assert_eq!(err, "damaged part: a.xml: checksum mismatch");
    }

    #[test]
    fn a_streamed_part_is_read_as_inflated_and_its_damage_still_counts() {
        let z = zip_of(&[("a.xml", b"<a>hello</a>")]);
        let mut p = Package::open(Cursor::new(z), &Limits::default()).unwrap();
        let read = p.stream("A.xml", |r| {
            let mut s = String::new();
            r.read_to_string(&mut s).map(|_| s).unwrap()
        });
        assert_eq!(read.unwrap().as_deref(), Some("<a>hello</a>"));
        assert!(p.stream("b.xml", |_| ()).unwrap().is_none());

        let z = damaged(&[("a.xml", b"<a>hello</a>")]);
        let mut p = Package::open(Cursor::new(z), &Limits::default()).unwrap();
        let mut seen = Vec::new();
        let err = p
            .stream("a.xml", |r| {
                let _ = r.read_to_end(&mut seen);
            })
            .unwrap_err();
        assert_eq!(err.to_string(), "damaged part: a.xml: checksum mismatch");
        assert_eq!(seen, b"<a>jello</a>", "what could be read was read");
    }

    #[test]
    fn a_part_inflated_again_is_counted() {
        let z = zip_of(&[("a.xml", b"<a/>"), ("b.xml", b"<b/>")]);
        let mut p = Package::open(Cursor::new(z), &Limits::default()).unwrap();
        let before = inflated_again();
        p.read("a.xml").unwrap();
        p.stream("b.xml", |r| io::copy(r, &mut io::sink())).unwrap();
        p.verify_xml_parts().unwrap();
        // Other tests may run meanwhile: the count only grows.
        let once = inflated_again();
        p.read("a.xml").unwrap();
        p.stream("b.xml", |r| io::copy(r, &mut io::sink())).unwrap();
        assert!(inflated_again() >= once + 2);
        assert!(once >= before);
    }

    #[test]
    fn caps_entry_count() {
        let z = zip_of(&[("a", b"1"), ("b", b"2"), ("c", b"3")]);
        let limits = Limits {
            max_entries: 2,
            ..Limits::default()
        };
        let err = Package::open(Cursor::new(z), &limits).err().unwrap();
        assert!(err.to_string().contains("3 entries"), "{err}");
    }

    #[test]
    fn truncated_zip_is_a_clear_error() {
        let z = zip_of(&[("a.xml", b"<a/>")]);
        let err = Package::open(Cursor::new(&z[..z.len() - 10]), &Limits::default())
            .err()
            .unwrap();
        assert!(err.to_string().starts_with("damaged file"), "{err}");
    }

    #[test]
    fn names_are_normalised_once_and_alike() {
        for (name, normal) in [
            ("word/document.xml", "word/document.xml"),
            ("[Content_Types].xml", "[content_types].xml"),
            ("/Word/fontTable.xml", "word/fonttable.xml"),
            ("word\\Media\\a%20b.PNG", "word/media/a b.png"),
            ("Ørret/Å.xml", "ørret/å.xml"),
        ] {
            assert_eq!(normalize(name), normal, "{name}");
        }
        assert!(matches!(normalize("word/styles.xml"), Cow::Borrowed(_)));
    }
}
