//! One file as a document: its format, its container, how it is protected, and every
//! sensitivity label it carries. Dispatches on the magic bytes, never on the file name.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::read::container::ole::{self, Embedding, LegacyFormat, Ole, OleKind};

use crate::model::{Checked, ContainerKind, Format, Unchecked, is_office_extension};
use crate::model::{Flags, Kind, Note};
use crate::model::{FoundLabel, Source};
use crate::model::{Protection, is_text_extension};
use crate::read::container::lazy::Lazy;
use crate::read::container::zip::Package;
use crate::read::container::{Limits, Magic, propset, sniff};
use crate::read::error::{Error, Limit, PartError};
use crate::read::label;
use crate::read::plain::{self, TextKind};
use crate::read::text::{Batch, Budget, Emitter, Piece, Place, Sink};
use crate::read::{legacy, ooxml, properties, xml};

#[derive(Debug)]
pub struct Document {
    pub format: Format,
    pub container: ContainerKind,
    pub protection: Protection,
    /// Every label found, from every source, superseded ones included.
    pub labels: Vec<FoundLabel>,
    /// Things the reader noticed and worked around.
    pub notes: Vec<Note>,
    /// Damage met after the labels were read: what is here is a partial result. Further
    /// damaged parts are listed in the notes.
    pub damage: Option<Error>,
    /// Documents embedded in this one, at any depth, in the order met.
    pub embedded: Vec<Embedded>,
}

impl Document {
    /// How much of the content was read, and why not all of it (in order, once each).
    pub fn coverage(&self) -> (Checked, Vec<Unchecked>) {
        let mut why = Vec::new();
        let encrypted = |p: Protection| match p {
            Protection::None => None,
            Protection::Password => Some(Unchecked::Password),
            Protection::Irm => Some(Unchecked::Irm),
        };
        // A reader that did not get to the text says so in a note; an embedded document's
        // notes are its container's, inside.
        fn not_read(n: &Note) -> bool {
            matches!(n, Note::TextNotRead(_) | Note::OldWord(_))
        }
        fn inner_not_read(n: &Note) -> bool {
            match n {
                Note::Inside { note, .. } => not_read(note) || inner_not_read(note),
                _ => false,
            }
        }
        let text_not_read = self.notes.iter().any(not_read);
        if self.notes.iter().any(inner_not_read) {
            why.push(Unchecked::FormatNotRead);
        }
        let none = match self.container {
            ContainerKind::EncryptedOoxml => true,
            _ => text_not_read,
        };
        if text_not_read {
            why.push(Unchecked::FormatNotRead);
        }
        why.extend(encrypted(self.protection));
        if let Some(e) = &self.damage {
            why.push(Unchecked::of_error(e.kind()));
        }
        for e in &self.embedded {
            if let Some(err) = &e.error {
                why.push(Unchecked::of_error(err.kind()));
            }
            why.extend(e.protection.and_then(encrypted));
        }
        why.sort();
        why.dedup();
        let checked = if none {
            Checked::None
        } else if why.is_empty() {
            Checked::Full
        } else {
            Checked::Partly
        };
        (checked, why)
    }
}

/// A document embedded in another (`word/embeddings/Microsoft_Excel_Worksheet.xlsx`, or an
/// OLE object wrapping one). Its text goes to the same sink, flagged as embedded.
#[derive(Debug)]
pub struct Embedded {
    /// The embedding part, prefixed by the path of the documents it sits in
    /// (`word/embeddings/a.docx!/word/embeddings/b.xlsx`).
    pub path: String,
    /// Null when the embedded document could not be read (see `error`).
    pub format: Option<Format>,
    pub protection: Option<Protection>,
    pub labels: Vec<FoundLabel>,
    pub error: Option<Error>,
}

/// Reads a document's labels and text from bytes (an upload) named `name`; text goes to
/// `sink`.
pub fn read_bytes(
    bytes: &[u8],
    name: &str,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<Document, Error> {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    read_text(Cursor::new(bytes), Some(name), limits, sink)
}

/// Opens a file to read only when it is a regular file, and tells its size: without
/// blocking (a FIFO swapped in after the walk listed the file would block `open` for ever),
/// without following a symbolic link unless `follow` (a link to `/dev/zero` swapped in
/// would be read until memory runs out), and judged on the opened handle (`fstat`), not on
/// the path, which may change between a look and the open.
pub fn open_regular(path: &Path, follow: bool) -> Result<(File, u64), Error> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        #[cfg(unix)]
        Err(e) if !follow && e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(Error::NotOffice(
                "a symbolic link (links are followed only with --follow)".into(),
            ));
        }
        Err(e) => return Err(Error::Io(e)),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(Error::NotOffice("not a regular file".into()));
    }
    Ok((file, meta.len()))
}

/// Whether a file's first bytes and size are those of an Office owner ("lock") file
/// (`~$name.docx`): a length-prefixed user name (at most 53 bytes), then the name again in
/// UTF-16, in a file of a few hundred bytes. Judged on content, so a document named
/// `~$vedtak.doc` is read, not skipped.
pub fn is_lock_file(head: &[u8], size: u64) -> bool {
    let Some((&n, name)) = head.split_first() else {
        return false;
    };
    (100..=1024).contains(&size)
        && (1..=53).contains(&n)
        && name
            .iter()
            .take(usize::from(n))
            .all(|&b| b >= 0x20 && b != 0x7F)
}

/// Reads a document's labels and text from an opened file of `size` bytes (see
/// `open_regular`); text goes to `sink`. Reads never go past what the caps allow, whatever
/// the size said.
pub fn read_open_file(
    mut file: File,
    size: u64,
    name: Option<&str>,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<Document, Error> {
    let source = if size <= READ_WHOLE {
        let mut bytes = Vec::with_capacity(size as usize);
        (&mut file).take(READ_WHOLE).read_to_end(&mut bytes)?;
        FileSource::Whole(Cursor::new(bytes))
    } else {
        FileSource::Buffered(BufReader::new(file))
    };
    read_text(source, name, limits, sink)
}

/// Reads a document's labels and text from a file; text goes to `sink`. Only a regular
/// file is read, its links followed (it was named).
pub fn read_file(path: &Path, limits: &Limits, sink: &mut dyn Sink) -> Result<Document, Error> {
    let (file, size) = open_regular(path, true)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    read_open_file(file, size, name.as_deref(), limits, sink)
}

/// Files up to this size (most Office files) are read whole, in one system call, instead
/// of in dozens of reads and seeks as the zip reader jumps between the directory and the
/// parts. Larger files are read through a buffer: holding them whole would cost memory.
const READ_WHOLE: u64 = 1 << 20;

enum FileSource {
    Whole(Cursor<Vec<u8>>),
    Buffered(BufReader<File>),
}

impl Read for FileSource {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            FileSource::Whole(r) => r.read(buf),
            FileSource::Buffered(r) => r.read(buf),
        }
    }
}

impl Seek for FileSource {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match self {
            FileSource::Whole(r) => r.seek(pos),
            FileSource::Buffered(r) => r.seek(pos),
        }
    }
}

/// Reads a document's labels (its text is read and dropped).
pub fn read<R: Read + Seek>(
    reader: R,
    name: Option<&str>,
    limits: &Limits,
) -> Result<Document, Error> {
    read_text(reader, name, limits, &mut |_: &Batch| {})
}

/// Reads a document from any seekable source: its labels, and its text to `sink`. `name`
/// (the file name) is text too, and is used to note a misleading extension, never to
/// decide the type.
pub fn read_text<R: Read + Seek>(
    reader: R,
    name: Option<&str>,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<Document, Error> {
    let mut walk = Walk {
        limits: limits.clone(),
        sink,
        budget: Budget {
            text_left: limits.max_text_bytes,
            deadline: Instant::now().checked_add(Duration::from_secs(limits.max_seconds)),
        },
        embedded: 0,
        held: 0,
        limited: None,
        csv: name.is_some_and(names_table),
    };
    let mut doc = walk.read(reader, "", Flags::NONE, 0)?;
    if let Some(e) = walk.limited.take() {
        match doc.damage {
            None => doc.damage = Some(e),
            Some(_) => doc.notes.push(e.note()),
        }
    }
    if let Some(name) = name {
        file_name_piece(name, "", Flags::NONE, walk.sink);
    }
    if let Some(ext) = name.and_then(|n| n.rsplit_once('.')).map(|(_, e)| e)
        && (is_office_extension(ext) || is_text_extension(ext))
        && !doc.format.matches_extension(ext)
    {
        doc.notes.push(Note::NamedAs {
            ext: ext.to_string(),
            format: doc.format,
        });
    }
    Ok(doc)
}

/// Whether a file name says a table: a CSV's, or a spreadsheet's (exports write CSV and
/// tab-separated text under `.xls`).
fn names_table(name: &str) -> bool {
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    ["csv", "tsv"].contains(&ext.as_str()) || (is_office_extension(&ext) && ext.starts_with("xl"))
}

/// What an embedded object holds, as far as `look` read it.
enum Found {
    /// A document (a package, a legacy or encrypted file): its bytes.
    Document(Vec<u8>),
    /// A file wrapped by the Packager: its name, and its bytes if it is an Office file.
    Native {
        name: String,
        data: Option<Vec<u8>>,
    },
    /// Another OLE object: what its root holds.
    OleOther(String),
    NotOffice,
    Failed(Error),
}

/// Tells what an embedded object holds by its first bytes and, for an OLE object, its
/// directory; reads it whole only when it holds a document.
fn look(file: &mut Lazy, limits: &Limits) -> Found {
    let mut head = Vec::with_capacity(8);
    if let Err(e) = (&mut *file).take(8).read_to_end(&mut head) {
        return Found::Failed(e.into());
    }
    let whole = |file: &mut Lazy| match file.take_bytes() {
        Ok(bytes) => Found::Document(bytes),
        Err(e) => Found::Failed(e.into()),
    };
    match sniff(&head) {
        Magic::Zip => whole(file),
        Magic::Cfb => match ole::embedding(&mut *file, limits) {
            Ok(Embedding::Package(zip)) => Found::Document(zip),
            Ok(Embedding::Office) => whole(file),
            Ok(Embedding::Native { name, data }) => Found::Native { name, data },
            Ok(Embedding::Other(root)) => Found::OleOther(root),
            Err(e) => Found::Failed(e),
        },
        Magic::Other => Found::NotOffice,
    }
}

fn file_name_piece(name: &str, part: &str, flags: Flags, sink: &mut dyn Sink) {
    let area: Arc<str> = "".into();
    let mut out = Emitter::new(part, flags, sink);
    out.push(
        Piece::new(
            name.to_string(),
            Kind::FileName,
            &area,
            Place::Named("filnavn".into()),
        )
        .with_flags(Flags::METADATA),
    );
}

/// The names of the folders a file is in (`a/b`), as a piece of its text: an identifier
/// there is in the file's path as much as one in its name.
pub fn folder_piece(folders: &str, sink: &mut dyn Sink) {
    let area: Arc<str> = "".into();
    let mut out = Emitter::new("", Flags::NONE, sink);
    out.push(
        Piece::new(
            folders.to_string(),
            Kind::FolderName,
            &area,
            Place::Named("mappenavn".into()),
        )
        .with_flags(Flags::METADATA),
    );
}

/// One file's read, through the documents embedded in it: the caps, where text goes, and
/// the text budget all of them share.
struct Walk<'k, 's> {
    limits: Limits,
    sink: &'k mut (dyn Sink + 's),
    /// Text bytes and time left (embedded documents spend the same budget).
    budget: Budget,
    /// Documents embedded in the file read so far, all levels.
    embedded: u32,
    /// Bytes of the embedded documents being read (the chain from the file down).
    held: u64,
    /// A cap met inside an embedded document: the file is not fully read either.
    limited: Option<Error>,
    /// Whether a text file is read as CSV (its name says a table: `.csv`, `.tsv`, or a
    /// spreadsheet's extension).
    csv: bool,
}

impl Walk<'_, '_> {
    /// Reads a document found at `prefix` (`""` for the file itself) at nesting `depth`.
    fn read<R: Read + Seek>(
        &mut self,
        mut reader: R,
        prefix: &str,
        flags: Flags,
        depth: u32,
    ) -> Result<Document, Error> {
        let mut head = [0u8; 4096];
        let n = read_head(&mut reader, &mut head)?;
        reader.seek(SeekFrom::Start(0))?;
        let head = &head[..n];
        match sniff(head) {
            Magic::Zip => {
                let pkg = Package::open(reader, &self.limits)?;
                self.package(pkg, prefix, flags, depth)
            }
            Magic::Cfb => {
                let mut ole = Ole::open(reader, &self.limits)?;
                let mut doc = read_ole(&mut ole, prefix, flags, self.sink)?;
                let objects = self.legacy(ole, prefix, flags, &mut doc);
                self.legacy_objects(objects, prefix, flags, depth, &mut doc);
                Ok(doc)
            }
            Magic::Other if n == 0 => Err(Error::NotOffice("the file is empty".into())),
            // A file, not an embedded part: RTF, HTML, CSV or text saved as or beside
            // Office documents holds the same data.
            Magic::Other if depth == 0 && prefix.is_empty() => match plain::sniff(head) {
                Some(kind) => self.text_file(reader, kind),
                None => Err(not_office(head)),
            },
            Magic::Other => Err(not_office(head)),
        }
    }

    /// A text file: its text, read whole up to what one file may hold at once
    /// (`Limits::held`), as paragraphs (RTF, HTML), cells (CSV) or lines (text). Whether
    /// it is CSV or text only its name can tell: see `read_text`, which names the format.
    fn text_file<R: Read>(&mut self, reader: R, kind: TextKind) -> Result<Document, Error> {
        let cap = self.limits.held();
        let mut bytes = Vec::new();
        reader.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
        let mut damage = None;
        if bytes.len() as u64 > cap {
            bytes.truncate(cap as usize);
            damage = Some(Error::limit(
                Limit::Memory,
                format!(
                    "a text file larger than a quarter of max_memory ({} MiB): the rest is not read",
                    cap >> 20
                ),
            ));
        }
        let (text, encoding) = plain::decode(&bytes);
        let format = match kind {
            TextKind::Rtf => Format::Rtf,
            TextKind::Html => Format::Html,
            TextKind::Plain => Format::Text,
        };
        let mut doc = Document {
            format,
            container: ContainerKind::Text,
            protection: Protection::None,
            labels: Vec::new(),
            // UTF-8 is what is expected; a guess is said.
            notes: match encoding {
                "UTF-8" => Vec::new(),
                e => vec![Note::ReadAs(e.to_string())],
            },
            damage,
            embedded: Vec::new(),
        };
        self.text_pieces(&text, kind, &mut doc);
        Ok(doc)
    }

    fn text_pieces(&mut self, text: &str, kind: TextKind, doc: &mut Document) {
        let area: Arc<str> = "".into();
        let csv = kind == TextKind::Plain && self.csv;
        if csv {
            doc.format = Format::Csv;
        }
        // The part a location names: the format (`csv: B2`, `text: linje 4`).
        let part = doc.format.name();
        let mut out = Emitter::new(part, Flags::NONE, self.sink)
            .budget(self.budget.text_left)
            .deadline(self.budget.deadline);
        let converted = match kind {
            TextKind::Rtf => Cow::Owned(plain::rtf(text)),
            TextKind::Html => Cow::Owned(plain::html(text)),
            TextKind::Plain => Cow::Borrowed(text),
        };
        let mut cut = false;
        let mut piece = |s: &str| -> String {
            let s = s.trim();
            if s.len() <= xml::MAX_PIECE {
                return s.to_string();
            }
            cut = true;
            let mut end = xml::MAX_PIECE;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            s[..end].to_string()
        };
        if csv {
            let sep = plain::separator(&converted);
            plain::csv(&converted, sep, |row, col, cell| {
                out.push(Piece::new(
                    piece(&cell),
                    Kind::Cell,
                    &area,
                    Place::Cell { row, col },
                ));
                !out.exhausted()
            });
        } else {
            // Lines of text keep their number; the paragraphs of RTF and HTML are counted
            // as Word counts the paragraphs of imported content.
            let lines = converted.lines().enumerate();
            let mut n = 0u32;
            for (i, line) in lines {
                if line.trim().is_empty() {
                    continue;
                }
                n += 1;
                let place = if kind == TextKind::Plain {
                    Place::Named(format!("linje {}", i + 1).into())
                } else {
                    Place::Paragraph(n)
                };
                out.push(Piece::new(piece(line), Kind::Body, &area, place));
                if out.exhausted() {
                    break;
                }
            }
        }
        let (spent, exhausted, late) = (out.spent(), out.exhausted(), out.late());
        drop(out);
        self.budget.text_left = self.budget.text_left.saturating_sub(spent);
        let limit = if late {
            Some(Error::limit(
                Limit::Time,
                format!(
                    "more than {} s reading the text: the rest is not read",
                    self.limits.max_seconds
                ),
            ))
        } else if exhausted {
            Some(Error::limit(
                Limit::Text,
                "more text than the per-file text limit: the rest is not read".into(),
            ))
        } else if cut {
            Some(Error::limit(
                Limit::Structure,
                format!(
                    "a line or cell with more than {} MiB of text: the rest of it is not read",
                    xml::MAX_PIECE >> 20
                ),
            ))
        } else {
            None
        };
        if let Some(e) = limit {
            match doc.damage {
                None => doc.damage = Some(e),
                Some(_) => doc.notes.push(e.note()),
            }
        }
    }

    /// A legacy document's text, by its format's reader; a format without one (or a file
    /// whose text is encrypted) is noted as not read.
    /// Returns the documents embedded in it (a .ppt's OLE objects), to be read next.
    fn legacy<R: Read + Seek>(
        &mut self,
        mut ole: Ole<R>,
        prefix: &str,
        flags: Flags,
        doc: &mut Document,
    ) -> Vec<legacy::ppt::Object> {
        let mut objects = Vec::new();
        if doc.container != ContainerKind::Ole || doc.protection != Protection::None {
            if doc.container == ContainerKind::Ole {
                doc.notes.push(Note::TextNotRead(doc.format));
            }
            return objects;
        }
        // The embedded objects a .doc or .xls keeps as storages, read after its text as a
        // .ppt's are.
        let pool = match doc.format {
            Format::Doc => Some(("ObjectPool", "_")),
            Format::Xls => Some(("/", "MBD")),
            _ => None,
        };
        let mut pool_error = None;
        if let Some((parent, name)) = pool {
            let caps = (
                self.limits.embedded_held().saturating_sub(self.held),
                (self.limits.max_embedded.saturating_sub(self.embedded)) as usize,
            );
            let (found, error) = ole.storages(parent, name, caps);
            let found = found
                .into_iter()
                .map(|(name, bytes)| legacy::ppt::Object { name, bytes });
            objects.extend(found);
            pool_error = error;
        }
        let damage = match doc.format {
            // BIFF8 only: an Excel 5/95 `Book` stream is not read.
            Format::Xls => match ole.read_stream(&["Workbook"], u64::MAX) {
                Ok(Some(stream)) => {
                    let part = format!("{prefix}Workbook");
                    let out = legacy::xls::Out {
                        sink: &mut *self.sink,
                        budget: &mut self.budget,
                        held: self.limits.held(),
                    };
                    legacy::xls::read(ole.into_inner(), &stream, &part, flags, out)
                }
                Ok(None) => {
                    doc.notes.push(Note::TextNotRead(doc.format));
                    return objects;
                }
                Err(e) => vec![e],
            },
            Format::Ppt => {
                let caps = (
                    self.limits.embedded_held().saturating_sub(self.held),
                    (self.limits.max_embedded.saturating_sub(self.embedded)) as usize,
                );
                let (sink, budget) = (&mut *self.sink, &mut self.budget);
                legacy::ppt::read(&mut ole, prefix, flags, sink, budget, &mut objects, caps)
                    .into_iter()
                    .collect()
            }
            Format::Doc => {
                let (sink, budget) = (&mut *self.sink, &mut self.budget);
                legacy_doc(&mut ole, prefix, flags, sink, budget, &mut doc.notes)
                    .into_iter()
                    .collect()
            }
            _ => {
                doc.notes.push(Note::TextNotRead(doc.format));
                return objects;
            }
        }
        .into_iter();
        let mut damage = damage.chain(pool_error);
        doc.damage = damage.next();
        doc.notes.extend(damage.map(|e| e.note()));
        objects
    }

    /// An OOXML package: labels, then the text of every part, then embedded documents;
    /// last, every XML part nothing read is inflated to prove it is whole.
    fn package<R: Read + Seek>(
        &mut self,
        mut pkg: Package<R>,
        prefix: &str,
        flags: Flags,
        depth: u32,
    ) -> Result<Document, Error> {
        let mut info = ooxml::read(&mut pkg)?;
        let mut doc = Document {
            format: info.format,
            container: ContainerKind::Ooxml,
            protection: Protection::None,
            labels: std::mem::take(&mut info.labels),
            notes: std::mem::take(&mut info.notes),
            damage: None,
            embedded: Vec::new(),
        };
        let mut damage;
        if info.format == Format::Xlsb {
            let out = legacy::xlsb::Out {
                sink: &mut *self.sink,
                budget: &mut self.budget,
            };
            damage = legacy::xlsb::read(&mut pkg, &info.main, prefix, flags, out);
        } else {
            let outcome =
                ooxml::text::extract(&mut pkg, &info, prefix, flags, self.sink, &mut self.budget);
            damage = outcome.damage;
            // Not reading an embedded document is not reading the file fully.
            let n = outcome.embeddings.len();
            if n > 0 && depth + 1 > self.limits.max_depth {
                damage.push(Error::limit(
                    Limit::Embedded,
                    format!(
                        "{}: {n} embedded document(s) not read: nested deeper than {} levels",
                        prefix.trim_end_matches("!/"),
                        self.limits.max_depth
                    ),
                ));
            } else {
                for (i, part) in outcome.embeddings.iter().enumerate() {
                    if self.embedded >= self.limits.max_embedded {
                        damage.push(Error::limit(
                            Limit::Embedded,
                            format!(
                                "{} embedded document(s) not read: more than {} in one file",
                                n - i,
                                self.limits.max_embedded
                            ),
                        ));
                        break;
                    }
                    if let Err(e) = self.embed(&mut pkg, part, prefix, flags, depth, &mut doc) {
                        damage.push(e);
                    }
                }
            }
        }
        if damage.is_empty()
            && let Err(e) = pkg.verify_xml_parts()
        {
            damage.push(e);
        }
        let mut damage = damage.into_iter();
        doc.damage = damage.next();
        doc.notes.extend(damage.map(|e| e.note()));
        Ok(doc)
    }

    /// Reads one embedding part: a package, an OLE object wrapping one, or a legacy
    /// document. An error is damage to the embedding document (the part is unreadable).
    /// The part is inflated only as far as telling what it holds needs, unless it holds a
    /// document.
    fn embed<R: Read + Seek>(
        &mut self,
        pkg: &mut Package<R>,
        part: &str,
        prefix: &str,
        flags: Flags,
        depth: u32,
        doc: &mut Document,
    ) -> Result<(), Error> {
        let path = format!("{prefix}{}", pkg.stored_name(part));
        self.embedded += 1;
        let within = self.limits.within(pkg.remaining());
        let Some(found) = pkg.lazily(part, |file| look(file, &within))? else {
            return Ok(());
        };
        let outer = std::mem::take(&mut self.limits);
        self.limits = outer.within(pkg.remaining());
        self.embed_found(found, path, flags, depth, doc);
        self.limits = outer;
        Ok(())
    }

    /// The embedded objects of a legacy document (a .ppt's ExOleObjStg storages), read
    /// as embedding parts are, within the same caps on depth.
    fn legacy_objects(
        &mut self,
        objects: Vec<legacy::ppt::Object>,
        prefix: &str,
        flags: Flags,
        depth: u32,
        doc: &mut Document,
    ) {
        if !objects.is_empty() && depth + 1 > self.limits.max_depth {
            let e = Error::limit(
                Limit::Embedded,
                format!(
                    "{}: {} embedded document(s) not read: nested deeper than {} levels",
                    prefix.trim_end_matches("!/"),
                    objects.len(),
                    self.limits.max_depth
                ),
            );
            match doc.damage {
                None => doc.damage = Some(e),
                Some(_) => doc.notes.push(e.note()),
            }
            return;
        }
        for o in objects {
            self.embedded += 1;
            let found = look(&mut Lazy::whole(o.bytes), &self.limits);
            self.embed_found(found, format!("{prefix}{}", o.name), flags, depth, doc);
        }
    }

    /// Reads or notes what an embedded object at `path` was found to hold.
    fn embed_found(
        &mut self,
        found: Found,
        path: String,
        flags: Flags,
        depth: u32,
        doc: &mut Document,
    ) {
        let flags = flags | Flags::EMBEDDED;
        match found {
            Found::Document(bytes) => self.nested(bytes, path, flags, depth, doc),
            Found::Native { name, data } => {
                file_name_piece(&name, &path, flags, self.sink);
                match data {
                    Some(data) => self.nested(data, format!("{path}!/{name}"), flags, depth, doc),
                    None => doc.notes.push(Note::EmbeddedNotOffice {
                        part: path.to_string(),
                        name: Some(name.to_string()),
                    }),
                }
            }
            Found::OleOther(root) => doc.notes.push(Note::EmbeddedOleOther {
                part: path.to_string(),
                holds: root.to_string(),
            }),
            Found::Failed(e) => doc.embedded.push(Embedded::failed(path, e)),
            Found::NotOffice => doc.notes.push(Note::EmbeddedNotOffice {
                part: path.to_string(),
                name: None,
            }),
        }
    }

    /// Reads an embedded document and files it, and whatever it embeds, under `doc`.
    fn nested(
        &mut self,
        bytes: Vec<u8>,
        path: String,
        flags: Flags,
        depth: u32,
        doc: &mut Document,
    ) {
        let prefix = format!("{path}!/");
        let size = bytes.len() as u64;
        if self.held + size > self.limits.embedded_held() {
            let detail = format!(
                "{path}: embedded documents hold more than half of max_memory ({} MiB) together",
                self.limits.embedded_held() >> 20
            );
            self.limited
                .get_or_insert(Error::limit(Limit::Memory, detail.clone()));
            doc.embedded
                .push(Embedded::failed(path, Error::limit(Limit::Memory, detail)));
            return;
        }
        self.held += size;
        let read = self.read(Cursor::new(bytes), &prefix, flags, depth + 1);
        self.held -= size;
        let inner_limit = match &read {
            Ok(Document {
                damage: Some(Error::Limit { limit, detail }),
                ..
            })
            | Err(Error::Limit { limit, detail }) => Some((*limit, detail.clone())),
            _ => None,
        };
        if let Some((limit, detail)) = inner_limit
            && self.limited.is_none()
        {
            // Its detail names the part with the embedding path already.
            self.limited = Some(Error::limit(limit, detail));
        }
        match read {
            Ok(inner) => {
                doc.notes
                    .extend(inner.notes.into_iter().map(|n| Note::Inside {
                        part: path.clone(),
                        note: Box::new(n),
                    }));
                doc.embedded.push(Embedded {
                    path,
                    format: Some(inner.format),
                    protection: Some(inner.protection),
                    labels: inner.labels,
                    error: inner.damage,
                });
                doc.embedded.extend(inner.embedded);
            }
            Err(e) => doc.embedded.push(Embedded::failed(path, e)),
        }
    }
}

impl Embedded {
    fn failed(path: String, e: Error) -> Embedded {
        Embedded {
            path,
            format: None,
            protection: None,
            labels: Vec::new(),
            error: Some(e),
        }
    }
}

fn read_head<R: Read>(reader: &mut R, head: &mut [u8]) -> Result<usize, Error> {
    let mut n = 0;
    while n < head.len() {
        match reader.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Why bytes that are neither a container nor text are not read, quoting their first
/// eight bytes (the file's signature).
fn not_office(head: &[u8]) -> Error {
    Error::NotOffice(format!(
        "unknown file signature {}",
        hex(&head[..head.len().min(8)])
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Labels of an OLE file: the `LabelInfo` stream (encrypted packages, [MS-OFFCRYPTO] 2.6.2)
/// and `MSIP_Label_*` user-defined properties in `\x05DocumentSummaryInformation`; the
/// text of its property sets to `sink`.
fn read_ole<R: Read + Seek>(
    ole: &mut Ole<R>,
    prefix: &str,
    flags: Flags,
    sink: &mut dyn Sink,
) -> Result<Document, Error> {
    let mut labels = Vec::new();
    let mut notes = std::mem::take(&mut ole.notes);
    if let Some(bytes) =
        ole.read_stream(&[ole::DATA_SPACES, "TransformInfo", "LabelInfo"], 1 << 20)?
    {
        let text = xml::decode(bytes);
        // Tolerate anything before the XML (a length prefix, say): the schema starts at '<'.
        let text = text.find('<').map_or("", |i| &text[i..]);
        labels = label::parse_label_info(text, Source::LabelinfoStream)
            .map_err(|e| Error::part("\\x06DataSpaces\\TransformInfo\\LabelInfo", e))?;
    }
    // Legacy files often carry odd property sets; a damaged one must not hide the rest.
    let mut damaged = |stream: &str, why: PartError| {
        notes.push(Note::StreamDamaged {
            stream: stream.into(),
            detail: why.to_string(),
        })
    };
    if let Some(bytes) = ole.read_stream(&[ole::SUMMARY_INFO], 1 << 20)? {
        let part = format!("{prefix}{}", properties::DOC_SUMMARY);
        let mut out = Emitter::new(&part, flags, sink);
        let read = propset::user_defined(&bytes).and_then(|props| {
            labels.extend(label::from_properties(
                props.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                Source::SummaryInformation,
            ));
            properties::doc_summary(&bytes, &props, &mut out)
        });
        if let Err(why) = read {
            damaged(properties::DOC_SUMMARY, why);
        }
    }
    if let Some(bytes) = ole.read_stream(&[ole::SUMMARY], 1 << 20)? {
        let part = format!("{prefix}{}", properties::SUMMARY);
        if let Err(why) = properties::summary(&bytes, &mut Emitter::new(&part, flags, sink)) {
            damaged(properties::SUMMARY, why);
        }
    }
    label::resolve(&mut labels);
    let (format, container) = match ole.kind {
        OleKind::EncryptedPackage => (Format::Ooxml, ContainerKind::EncryptedOoxml),
        OleKind::Legacy(LegacyFormat::Doc) => (Format::Doc, ContainerKind::Ole),
        OleKind::Legacy(LegacyFormat::Xls) => (Format::Xls, ContainerKind::Ole),
        OleKind::Legacy(LegacyFormat::Ppt) => (Format::Ppt, ContainerKind::Ole),
    };
    if ole.protection == Protection::Password && labels.is_empty() {
        notes.push(if container == ContainerKind::EncryptedOoxml {
            Note::PasswordHidesPackage
        } else {
            Note::PasswordHidesProperties
        });
    }
    Ok(Document {
        format,
        container,
        protection: ole.protection,
        labels,
        notes,
        damage: None,
        embedded: Vec::new(),
    })
}

/// The text of a .doc: damage met on the way is the document's partial result.
fn legacy_doc<R: Read + Seek>(
    ole: &mut Ole<R>,
    prefix: &str,
    flags: Flags,
    sink: &mut dyn Sink,
    budget: &mut Budget,
    notes: &mut Vec<Note>,
) -> Option<Error> {
    let word = match ole.read_stream(&["WordDocument"], u64::MAX) {
        Ok(Some(w)) => w,
        Ok(None) => return None,
        Err(e) => return Some(e),
    };
    let part = format!("{prefix}WordDocument");
    let mut out = Emitter::new(&part, flags, sink)
        .budget(budget.text_left)
        .deadline(budget.deadline);
    let mut table_name = None;
    // Two bytes a character as decoded, four a character kept as text.
    let max_chars = ole.limits().held() / 6;
    let read = legacy::doc::extract(
        &word,
        |one| {
            let name = if one { "1Table" } else { "0Table" };
            table_name = Some(name);
            ole.read_stream(&[name], u64::MAX)
                .map_err(|e| PartError::Damaged(e.to_string()))
        },
        max_chars,
        &mut out,
    );
    out.flush();
    let (spent, exhausted, late) = (out.spent(), out.exhausted(), out.late());
    drop(out);
    budget.text_left = budget.text_left.saturating_sub(spent);
    match read {
        Ok(Some(legacy::doc::Unread::OldWord(n))) => notes.push(Note::OldWord(n)),
        // The compound file's fEncrypted bit made the protection a password already.
        Ok(Some(legacy::doc::Unread::Encrypted)) => notes.push(Note::TextNotRead(Format::Doc)),
        Ok(None) => {}
        // Past the FIB, the structures read are in the table stream.
        Err(e) => {
            let at = table_name.map_or(part.clone(), |t| format!("{part} ({t})"));
            return Some(Error::part(at, e));
        }
    }
    if late {
        Some(Error::limit(
            Limit::Time,
            format!("{part}: read for longer than the per-file time limit: the rest is not read"),
        ))
    } else if exhausted {
        Some(Error::limit(
            Limit::Text,
            "more text than the per-file text limit: the rest is not read".into(),
        ))
    } else {
        None
    }
}
