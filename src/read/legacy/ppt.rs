//! Text of PowerPoint 97–2003 presentations ([MS-PPT]). The `Current User` stream points
//! at the newest UserEditAtom (§2.3.3); the chain of edits gives the persist directory
//! (§2.3.4), newest entry first, and with it the live records: the DocumentContainer
//! (§2.4.1) and the slides, notes and masters its SlideListWithTextContainers list
//! (§2.4.14.3). A slide's placeholder text sits in that list (outline text) and is placed
//! by an OutlineTextRefAtom in the slide's drawing; other text boxes hold their text in the
//! drawing (OfficeArtClientTextbox, §2.9.76). Records a fast save replaced are not read:
//! PowerPoint shows only the live ones.
//!
//! Every length and offset comes from the file: each is checked against the stream before
//! it is used, each container is read once, and nesting is capped.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek};
use std::ops::Range;
use std::sync::Arc;

use crate::model::{Flags, Kind};
use crate::read::container::ole::Ole;
use crate::read::error::{Error, Limit, PartError};
use crate::read::text::{Budget, Emitter, Piece, Place, Sink};

/// The streams of a presentation.
pub const STREAM: &str = "PowerPoint Document";
pub const CURRENT_USER: &str = "Current User";

const RT_DOCUMENT: u16 = 0x03E8;
const RT_DOCUMENT_ATOM: u16 = 0x03E9;
const RT_SLIDE: u16 = 0x03EE;
const RT_NOTES: u16 = 0x03F0;
const RT_NOTES_ATOM: u16 = 0x03F1;
const RT_SLIDE_PERSIST_ATOM: u16 = 0x03F3;
const RT_MAIN_MASTER: u16 = 0x03F8;
const RT_SLIDE_SHOW_SLIDE_INFO: u16 = 0x03F9;
const RT_OUTLINE_TEXT_REF: u16 = 0x0F9E;
const RT_TEXT_CHARS: u16 = 0x0FA0;
const RT_TEXT_BYTES: u16 = 0x0FA8;
const RT_CSTRING: u16 = 0x0FBA;
const RT_HANDOUT: u16 = 0x0FC9;
const RT_HEADERS_FOOTERS: u16 = 0x0FD9;
const RT_SLIDE_LIST_WITH_TEXT: u16 = 0x0FF0;
const RT_USER_EDIT: u16 = 0x0FF5;
const RT_CURRENT_USER: u16 = 0x0FF6;
const RT_PERSIST_DIRECTORY: u16 = 0x1772;
/// PP10SlideBinaryTagExtension (§2.3.22): records inside, though its recVer is 0.
const RT_BINARY_TAG_DATA: u16 = 0x138B;
const RT_COMMENT10: u16 = 0x2EE0;
const RT_EX_OLE_OBJ_STG: u16 = 0x1011;

/// Edits followed back through the chain; PowerPoint merges a file long before this.
const MAX_EDITS: usize = 4096;
/// Containers nested in containers (groups in groups in a drawing).
const MAX_DEPTH: u32 = 64;

/// One record: its header and where its body sits in the stream.
#[derive(Clone, Debug)]
struct Rec {
    ver: u8,
    instance: u16,
    typ: u16,
    body: Range<usize>,
}

impl Rec {
    /// The record at `at`, if its header and body fit in `data`.
    fn at(data: &[u8], at: usize) -> Result<Rec, PartError> {
        let head = data
            .get(at..at.saturating_add(8))
            .ok_or(PartError::Truncated { at, wanted: 8 })?;
        let verinst = u16::from_le_bytes([head[0], head[1]]);
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let start = at + 8;
        if len > data.len() - start {
            return Err(PartError::Truncated {
                at: start,
                wanted: len - (data.len() - start),
            });
        }
        Ok(Rec {
            ver: (verinst & 0xF) as u8,
            instance: verinst >> 4,
            typ: u16::from_le_bytes([head[2], head[3]]),
            body: start..start + len,
        })
    }

    fn is_container(&self) -> bool {
        self.ver == 0xF || self.typ == RT_BINARY_TAG_DATA
    }
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

/// The records directly inside `range`; damage (a record running past its container)
/// ends the list and is kept in `damage`.
fn children(data: &[u8], range: Range<usize>, damage: &mut Option<PartError>) -> Vec<Rec> {
    let mut out = Vec::new();
    let mut at = range.start;
    let end = range.end;
    while at + 8 <= end {
        match Rec::at(&data[..end], at) {
            Ok(r) => {
                at = r.body.end;
                out.push(r);
            }
            Err(e) => {
                damage.get_or_insert(e);
                break;
            }
        }
    }
    out
}

/// The text of a TextCharsAtom (UTF-16LE) or TextBytesAtom (the low bytes of UTF-16
/// code units, §2.9.24), or of a CString.
fn atom_text(rec: &Rec, data: &[u8]) -> Option<String> {
    let body = &data[rec.body.clone()];
    match rec.typ {
        RT_TEXT_CHARS | RT_CSTRING => Some(String::from_utf16_lossy(
            &body
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        )),
        RT_TEXT_BYTES => Some(body.iter().map(|&b| char::from(b)).collect()),
        _ => None,
    }
}

/// Where the newest UserEditAtom is: `offsetToCurrentEdit` of the CurrentUserAtom, or
/// `None` when the stream is absent or not one.
pub fn current_edit(current_user: &[u8]) -> Option<usize> {
    let rec = Rec::at(current_user, 0).ok()?;
    (rec.typ == RT_CURRENT_USER)
        .then(|| u32_at(current_user, 16))
        .flatten()
        .map(|o| o as usize)
}

/// The live objects: persist id → stream offset, and the DocumentContainer's id.
struct Persist {
    offsets: HashMap<u32, usize>,
    document: u32,
}

/// Follows the edit chain from `edit` (or, without a usable one, from the last
/// UserEditAtom among the stream's top-level records), newest entry winning.
fn persist(data: &[u8], edit: Option<usize>) -> Result<Persist, PartError> {
    let edit = match edit.filter(|&o| Rec::at(data, o).is_ok_and(|r| r.typ == RT_USER_EDIT)) {
        Some(o) => o,
        None => last_user_edit(data).ok_or(PartError::Malformed(
            "no UserEditAtom: the persist directory cannot be found",
        ))?,
    };
    let mut offsets = HashMap::new();
    let mut document = None;
    let mut seen = HashSet::new();
    let mut at = edit;
    while seen.insert(at) {
        if seen.len() > MAX_EDITS {
            return Err(PartError::Implausible {
                count: seen.len() as u64,
                what: "edits in the UserEditAtom chain",
            });
        }
        let rec = Rec::at(data, at)?;
        let body = &data[rec.body.clone()];
        if rec.typ != RT_USER_EDIT || body.len() < 20 {
            return Err(PartError::Malformed(
                "the edit chain leads to no UserEditAtom",
            ));
        }
        let last = u32_at(body, 8).unwrap_or(0) as usize;
        let directory = u32_at(body, 12).unwrap_or(0) as usize;
        document.get_or_insert(u32_at(body, 16).unwrap_or(0));
        read_directory(data, directory, &mut offsets)?;
        if last == 0 {
            break;
        }
        at = last;
    }
    Ok(Persist {
        offsets,
        document: document.unwrap_or(0),
    })
}

/// Adds a PersistDirectoryAtom's entries (§2.3.4) that newer edits did not give.
fn read_directory(
    data: &[u8],
    at: usize,
    offsets: &mut HashMap<u32, usize>,
) -> Result<(), PartError> {
    let rec = Rec::at(data, at)?;
    if rec.typ != RT_PERSIST_DIRECTORY {
        return Err(PartError::Malformed(
            "a UserEditAtom points at no PersistDirectoryAtom",
        ));
    }
    let body = &data[rec.body.clone()];
    let mut i = 0;
    while let Some(entry) = u32_at(body, i) {
        let (first, count) = (entry & 0xF_FFFF, (entry >> 20) as usize);
        i += 4;
        for k in 0..count {
            let Some(offset) = u32_at(body, i + 4 * k) else {
                return Err(PartError::Truncated {
                    at: rec.body.start + i,
                    wanted: 4 * count,
                });
            };
            offsets.entry(first + k as u32).or_insert(offset as usize);
        }
        i += 4 * count;
    }
    Ok(())
}

/// The last top-level UserEditAtom of the stream: where to start when `Current User` is
/// missing or wrong.
fn last_user_edit(data: &[u8]) -> Option<usize> {
    let mut at = 0;
    let mut found = None;
    while let Ok(r) = Rec::at(data, at) {
        if r.typ == RT_USER_EDIT {
            found = Some(at);
        }
        at = r.body.end;
    }
    found
}

/// One entry of a SlideListWithTextContainer: the object and its outline text.
#[derive(Default)]
struct Listed {
    persist: u32,
    slide_id: u32,
    texts: Vec<String>,
}

/// The entries of a SlideListWithTextContainer.
fn slide_list(data: &[u8], rec: &Rec, damage: &mut Option<PartError>) -> Vec<Listed> {
    let mut out: Vec<Listed> = Vec::new();
    for r in children(data, rec.body.clone(), damage) {
        if r.typ == RT_SLIDE_PERSIST_ATOM {
            let body = &data[r.body.clone()];
            out.push(Listed {
                persist: u32_at(body, 0).unwrap_or(0),
                slide_id: u32_at(body, 12).unwrap_or(0),
                texts: Vec::new(),
            });
        } else if let (Some(entry), Some(text)) = (out.last_mut(), atom_text(&r, data)) {
            entry.texts.push(text);
        }
    }
    out
}

/// What one slide, notes page or master holds.
#[derive(Default)]
struct Found {
    /// Texts in drawing order, outline texts placed where their reference is.
    texts: Vec<String>,
    /// Outline texts placed.
    used: HashSet<usize>,
    hidden: bool,
    /// The slide a notes page belongs to (its slide id).
    notes_of: Option<u32>,
    /// Comments: author, initials, text.
    comments: Vec<(String, String, String)>,
}

/// Walks a container's records for text, comments and the slide's flags.
fn walk(
    data: &[u8],
    rec: &Rec,
    outline: &[String],
    found: &mut Found,
    depth: u32,
    damage: &mut Option<PartError>,
) {
    if depth > MAX_DEPTH {
        damage.get_or_insert(PartError::Implausible {
            count: depth as u64,
            what: "records nested",
        });
        return;
    }
    for r in children(data, rec.body.clone(), damage) {
        let body = &data[r.body.clone()];
        match r.typ {
            RT_TEXT_CHARS | RT_TEXT_BYTES => found.texts.extend(atom_text(&r, data)),
            RT_OUTLINE_TEXT_REF => {
                if let Some(i) = u32_at(body, 0).map(|i| i as usize)
                    && let Some(t) = outline.get(i)
                    && found.used.insert(i)
                {
                    found.texts.push(t.clone());
                }
            }
            // SSSlideInfoAtom: fHidden is bit 2 of the flags after the effect bytes.
            RT_SLIDE_SHOW_SLIDE_INFO => {
                found.hidden |= u16_at(body, 10).is_some_and(|f| f & 0x4 != 0)
            }
            RT_NOTES_ATOM => found.notes_of = u32_at(body, 0),
            RT_COMMENT10 => {
                let (mut author, mut initials, mut text) = Default::default();
                for c in children(data, r.body.clone(), damage) {
                    let Some(s) = (c.typ == RT_CSTRING).then(|| atom_text(&c, data)).flatten()
                    else {
                        continue;
                    };
                    match c.instance {
                        0 => author = s,
                        1 => text = s,
                        2 => initials = s,
                        _ => {}
                    }
                }
                found.comments.push((author, initials, text));
            }
            _ if r.is_container() => walk(data, &r, outline, found, depth + 1, damage),
            _ => {}
        }
    }
}

/// What a presentation holds, read from its `PowerPoint Document` stream.
struct Deck<'d> {
    data: &'d [u8],
    persist: Persist,
    /// Containers read: a persist id listed twice is read once.
    read: HashSet<u32>,
    damage: Option<PartError>,
}

impl Deck<'_> {
    /// The live record of persist id `id`, if it is of type `typ` (any of).
    fn object(&mut self, id: u32, types: &[u16]) -> Option<Rec> {
        let &at = self.persist.offsets.get(&id)?;
        match Rec::at(self.data, at) {
            Ok(r) if types.contains(&r.typ) => Some(r),
            Ok(_) => {
                self.damage.get_or_insert(PartError::Malformed(
                    "a persist entry points at the wrong record",
                ));
                None
            }
            Err(e) => {
                self.damage.get_or_insert(e);
                None
            }
        }
    }

    /// The text of the object listed as `entry`, read once.
    fn found(&mut self, entry: &Listed, types: &[u16]) -> Found {
        let mut found = Found::default();
        if self.read.insert(entry.persist)
            && let Some(rec) = self.object(entry.persist, types)
        {
            walk(
                self.data,
                &rec,
                &entry.texts,
                &mut found,
                0,
                &mut self.damage,
            );
        }
        // Outline text no shape refers to is still in the file.
        for (i, t) in entry.texts.iter().enumerate() {
            if !found.used.contains(&i) {
                found.texts.push(t.clone());
            }
        }
        found
    }
}

/// Extracts the text of a presentation: slides (`lysbilde 3`, hidden ones flagged), their
/// notes (`lysbilde 3, notater`), comments with their authors, masters (`lysbildemal 1`,
/// `notatmal`, `utdelingsmal`). `edit` is where `Current User` says the newest edit is.
/// Damage met after some text was read is returned after that text was pushed.
pub fn extract(data: &[u8], edit: Option<usize>, out: &mut Emitter) -> Result<(), PartError> {
    let persist = persist(data, edit)?;
    let mut deck = Deck {
        data,
        persist,
        read: HashSet::new(),
        damage: None,
    };
    let doc = deck
        .object(deck.persist.document, &[RT_DOCUMENT])
        .ok_or(PartError::Malformed("no live DocumentContainer"))?;
    let (mut slides, mut masters, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    let mut special_masters = Vec::new();
    let mut footers = Vec::new();
    for r in children(data, doc.body.clone(), &mut deck.damage) {
        match (r.typ, r.instance) {
            (RT_SLIDE_LIST_WITH_TEXT, 0) => slides = slide_list(data, &r, &mut deck.damage),
            (RT_SLIDE_LIST_WITH_TEXT, 1) => masters = slide_list(data, &r, &mut deck.damage),
            (RT_SLIDE_LIST_WITH_TEXT, 2) => notes = slide_list(data, &r, &mut deck.damage),
            // The presentation's date, header and footer texts (§2.4.15.1): where visual
            // marking sits, as on a pptx master.
            (RT_HEADERS_FOOTERS, instance) => {
                let mut found = Found::default();
                for c in children(data, r.body.clone(), &mut deck.damage) {
                    if c.typ == RT_CSTRING {
                        found.texts.extend(atom_text(&c, data));
                    }
                }
                let area = if instance == 4 {
                    "notatmal, topp- og bunntekst"
                } else {
                    "lysbildemal, topp- og bunntekst"
                };
                footers.push((area, found));
            }
            (RT_DOCUMENT_ATOM, _) => {
                let body = &data[r.body.clone()];
                // notesMasterPersistIdRef, handoutMasterPersistIdRef (0: none).
                for (at, area) in [(24, "notatmal"), (28, "utdelingsmal")] {
                    if let Some(id) = u32_at(body, at).filter(|&id| id != 0) {
                        special_masters.push((id, area));
                    }
                }
            }
            _ => {}
        }
    }
    // Slide id → the slide's number, for its notes.
    let numbers: HashMap<u32, usize> = slides
        .iter()
        .enumerate()
        .map(|(i, s)| (s.slide_id, i + 1))
        .collect();
    for (i, entry) in slides.iter().enumerate() {
        let found = deck.found(entry, &[RT_SLIDE]);
        let area = format!("lysbilde {}", i + 1);
        let flags = if found.hidden {
            Flags::HIDDEN
        } else {
            Flags::NONE
        };
        push(out, &found, Kind::Slide, &area, flags);
        if out.exhausted() {
            return Ok(());
        }
    }
    for (i, entry) in notes.iter().enumerate() {
        let found = deck.found(entry, &[RT_NOTES]);
        let area = match found.notes_of.and_then(|id| numbers.get(&id)) {
            Some(n) => format!("lysbilde {n}, notater"),
            None => format!("notater {}", i + 1),
        };
        push(out, &found, Kind::Notes, &area, Flags::NONE);
    }
    for (i, entry) in masters.iter().enumerate() {
        let found = deck.found(entry, &[RT_MAIN_MASTER, RT_SLIDE]);
        push(
            out,
            &found,
            Kind::Master,
            &format!("lysbildemal {}", i + 1),
            Flags::NONE,
        );
    }
    for (id, area) in special_masters {
        let entry = Listed {
            persist: id,
            ..Listed::default()
        };
        let found = deck.found(&entry, &[RT_NOTES, RT_HANDOUT, RT_MAIN_MASTER]);
        push(out, &found, Kind::Master, area, Flags::NONE);
    }
    for (area, found) in footers {
        push(out, &found, Kind::Master, area, Flags::NONE);
    }
    deck.damage.map_or(Ok(()), Err)
}

/// Pushes a slide's paragraphs (`avsnitt n`, counted over the slide), then its comments
/// and their authors.
fn push(out: &mut Emitter, found: &Found, kind: Kind, area: &str, flags: Flags) {
    let area: Arc<str> = area.into();
    let mut n = 0;
    for text in &found.texts {
        // 0x0D ends a paragraph, 0x0B breaks a line inside one (§2.9.23).
        for para in text.split('\r') {
            let para = para.replace('\u{b}', "\n");
            if para.trim().is_empty() {
                continue;
            }
            n += 1;
            out.push(Piece::new(para, kind, &area, Place::Paragraph(n)).with_flags(flags));
        }
    }
    for (i, (author, initials, text)) in found.comments.iter().enumerate() {
        let place = Place::Named(format!("kommentar {}", i + 1).into());
        out.push(
            Piece::new(text.replace('\r', "\n"), Kind::Comment, &area, place)
                .with_flags(flags | Flags::COMMENT),
        );
        let who = [author.as_str(), initials.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        let place = Place::Named(format!("kommentar {}, forfatter", i + 1).into());
        out.push(Piece::new(who, Kind::Metadata, &area, place).with_flags(flags | Flags::METADATA));
    }
}

/// An embedded OLE object's storage: a compound file holding an Office document, a
/// `Package` stream wrapping one, or another application's data.
pub struct Object {
    /// `ExOleObjStg 7`: the record and its persist id.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The live embedded objects (ExOleObjStg, §2.10.34; zlib-compressed when its instance is
/// 1), in persist-id order, at most `max_count` of them and `max_bytes` together. What was
/// left out, or could not be inflated, is the error.
pub fn objects(
    data: &[u8],
    edit: Option<usize>,
    max_bytes: u64,
    max_count: usize,
) -> (Vec<Object>, Option<PartError>) {
    let Ok(persist) = persist(data, edit) else {
        // Reported by `extract`.
        return (Vec::new(), None);
    };
    let mut ids: Vec<(u32, usize)> = persist.offsets.into_iter().collect();
    ids.sort_unstable();
    let (mut out, mut held) = (Vec::new(), 0u64);
    for (id, at) in ids {
        let Ok(rec) = Rec::at(data, at) else { continue };
        if rec.typ != RT_EX_OLE_OBJ_STG {
            continue;
        }
        let body = &data[rec.body.clone()];
        let size = if rec.instance == 1 {
            u32_at(body, 0).unwrap_or(0) as u64
        } else {
            body.len() as u64
        };
        if out.len() >= max_count || held + size > max_bytes {
            let why = format!(
                "ExOleObjStg {id}: embedded objects beyond {max_count} or {} MiB together are not read",
                max_bytes >> 20
            );
            return (out, Some(PartError::Limit(Limit::Embedded, why)));
        }
        let bytes = if rec.instance == 1 {
            let mut bytes = Vec::new();
            // The declared size caps what is inflated, whatever the stream holds.
            let read = flate2::read::ZlibDecoder::new(body.get(4..).unwrap_or_default())
                .take(size)
                .read_to_end(&mut bytes);
            if let Err(e) = read {
                return (
                    out,
                    Some(PartError::Damaged(format!("ExOleObjStg {id}: {e}"))),
                );
            }
            bytes
        } else {
            body.to_vec()
        };
        held += size;
        out.push(Object {
            name: format!("ExOleObjStg {id}"),
            bytes,
        });
    }
    (out, None)
}

/// Reads the text of the presentation in `ole` to `sink`, within `budget`, and its
/// embedded objects to `embedded`, within `caps` (bytes together, count). What stopped the
/// reading short, if anything, naming the stream: the text before it is read.
pub fn read<R: Read + Seek>(
    ole: &mut Ole<R>,
    prefix: &str,
    flags: Flags,
    sink: &mut dyn Sink,
    budget: &mut Budget,
    embedded: &mut Vec<Object>,
    caps: (u64, usize),
) -> Option<Error> {
    let edit = match ole.read_stream(&[CURRENT_USER], 1 << 16) {
        Ok(bytes) => bytes.as_deref().and_then(current_edit),
        Err(_) => None,
    };
    let data = match ole.read_stream(&[STREAM], u64::MAX) {
        Ok(Some(data)) => data,
        Ok(None) => {
            return Some(Error::part(
                STREAM,
                PartError::Malformed("stream is missing"),
            ));
        }
        Err(e) => return Some(e),
    };
    let part = format!("{prefix}{STREAM}");
    let mut out = Emitter::new(&part, flags, sink)
        .budget(budget.text_left)
        .deadline(budget.deadline);
    let result = extract(&data, edit, &mut out);
    let (spent, exhausted, late) = (out.spent(), out.exhausted(), out.late());
    drop(out);
    budget.text_left = budget.text_left.saturating_sub(spent);
    let (objects, left_out) = objects(&data, edit, caps.0, caps.1);
    embedded.extend(objects);
    if late {
        Some(Error::limit(
            Limit::Time,
            format!("{STREAM}: read for longer than the per-file time limit: the rest is not read"),
        ))
    } else if exhausted {
        Some(Error::limit(
            Limit::Text,
            format!("{STREAM}: more text than the per-file text limit: the rest is not read"),
        ))
    } else {
        result.err().or(left_out).map(|e| Error::part(STREAM, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::text::testing::{collect, summary};

    /// A record: header and body.
    fn rec(ver: u16, instance: u16, typ: u16, body: &[u8]) -> Vec<u8> {
        let mut out = (ver | instance << 4).to_le_bytes().to_vec();
        out.extend(typ.to_le_bytes());
        out.extend((body.len() as u32).to_le_bytes());
        out.extend(body);
        out
    }

    fn container(typ: u16, instance: u16, children: &[Vec<u8>]) -> Vec<u8> {
        rec(0xF, instance, typ, &children.concat())
    }

    fn chars(s: &str) -> Vec<u8> {
        let body: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        rec(0, 0, RT_TEXT_CHARS, &body)
    }

    fn cstring(instance: u16, s: &str) -> Vec<u8> {
        let body: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        rec(0, instance, RT_CSTRING, &body)
    }

    fn words(values: &[u32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// A presentation of two slides (the second hidden, with a comment) and notes for the
    /// first; persist ids 1 document, 2 and 3 slides, 4 notes. Returns the stream and the
    /// offset of its UserEditAtom.
    fn deck() -> (Vec<u8>, usize) {
        let slide_persist = |id: u32, slide_id: u32| {
            rec(
                0,
                0,
                RT_SLIDE_PERSIST_ATOM,
                &words(&[id, 0, 1, slide_id, 0]),
            )
        };
        let document = container(
            RT_DOCUMENT,
            0,
            &[
                rec(1, 0, RT_DOCUMENT_ATOM, &[0; 40]),
                container(
                    RT_SLIDE_LIST_WITH_TEXT,
                    0,
                    &[
                        slide_persist(2, 256),
                        rec(0, 0, 0x0F9F, &words(&[0])),
                        chars("Søknad\rfnr 15108695088\u{b}ny linje"),
                        rec(0, 0, RT_TEXT_BYTES, b"Utenfor tegningen"),
                        slide_persist(3, 257),
                    ],
                ),
                container(RT_SLIDE_LIST_WITH_TEXT, 2, &[slide_persist(4, 0)]),
                container(
                    RT_HEADERS_FOOTERS,
                    3,
                    &[rec(0, 0, 0x0FDA, &[0; 4]), cstring(2, "INTERN")],
                ),
            ],
        );
        let textbox = |inner: Vec<u8>| {
            container(
                0x040C,
                0,
                &[container(0xF002, 0, &[container(0xF00D, 0, &[inner])])],
            )
        };
        let slide1 = container(
            RT_SLIDE,
            0,
            &[textbox(rec(0, 0, RT_OUTLINE_TEXT_REF, &words(&[0])))],
        );
        let mut info = vec![0u8; 16];
        info[10] = 0x4;
        let comment = container(
            RT_COMMENT10,
            0,
            &[
                cstring(0, "Kari Nordmann"),
                cstring(1, "Sjekk 10048745526"),
                cstring(2, "KN"),
            ],
        );
        let slide2 = container(
            RT_SLIDE,
            0,
            &[
                rec(0, 0, RT_SLIDE_SHOW_SLIDE_INFO, &info),
                textbox(rec(0, 0, RT_TEXT_BYTES, b"Skjult boks")),
                container(
                    0x1388,
                    0,
                    &[container(
                        0x138A,
                        0,
                        &[rec(0, 0, RT_BINARY_TAG_DATA, &comment)],
                    )],
                ),
            ],
        );
        let notes = container(
            RT_NOTES,
            0,
            &[
                rec(1, 0, RT_NOTES_ATOM, &words(&[256, 0])),
                textbox(chars("Notat om Ola")),
            ],
        );
        let mut data = Vec::new();
        let mut offsets = Vec::new();
        for part in [document, slide1, slide2, notes] {
            offsets.push(data.len() as u32);
            data.extend(part);
        }
        let directory = data.len() as u32;
        let mut entries = vec![(4u32 << 20) | 1];
        entries.extend(&offsets);
        data.extend(rec(0, 0, RT_PERSIST_DIRECTORY, &words(&entries)));
        let edit = data.len();
        data.extend(rec(
            0,
            0,
            RT_USER_EDIT,
            &words(&[256, 0x0300_0000, 0, directory, 1, 5, 0]),
        ));
        (data, edit)
    }

    fn read(data: &[u8], edit: Option<usize>) -> (Vec<Piece>, Option<PartError>) {
        let mut err = None;
        let pieces = collect(|out| err = extract(data, edit, out).err());
        (pieces, err)
    }

    #[test]
    fn slides_notes_comments_with_places_and_flags() {
        let (data, edit) = deck();
        let (pieces, err) = read(&data, Some(edit));
        assert!(err.is_none(), "{err:?}");
        let s = |place: &str, kind: &'static str, text: &str, flags: &[&'static str]| {
            (place.to_string(), kind, text.to_string(), flags.to_vec())
        };
        assert_eq!(
            summary(&pieces),
            vec![
                s("lysbilde 1, avsnitt 1", "slide", "Søknad", &[]),
                s(
                    "lysbilde 1, avsnitt 2",
                    "slide",
                    "fnr 15108695088\nny linje",
                    &[]
                ),
                // Outline text no shape places is read after the drawing's.
                s("lysbilde 1, avsnitt 3", "slide", "Utenfor tegningen", &[]),
                s("lysbilde 2, avsnitt 1", "slide", "Skjult boks", &["hidden"]),
                s(
                    "lysbilde 2, kommentar 1",
                    "comment",
                    "Sjekk 10048745526",
                    &["hidden", "comment"]
                ),
                s(
                    "lysbilde 2, kommentar 1, forfatter",
                    "metadata",
                    "Kari Nordmann\nKN",
                    &["hidden", "metadata"]
                ),
                s(
                    "lysbilde 1, notater, avsnitt 1",
                    "notes",
                    "Notat om Ola",
                    &[]
                ),
                s(
                    "lysbildemal, topp- og bunntekst, avsnitt 1",
                    "master",
                    "INTERN",
                    &[]
                ),
            ]
        );
    }

    #[test]
    fn without_current_user_the_last_edit_is_found() {
        let (data, _) = deck();
        let (pieces, err) = read(&data, None);
        assert!(err.is_none());
        assert_eq!(pieces.len(), 8);
        // A wrong offset is no better than none.
        assert_eq!(read(&data, Some(3)).0.len(), 8);
    }

    #[test]
    fn newer_edits_win() {
        let (mut data, edit) = deck();
        // A second edit replaces slide 1 (persist id 2) with a slide of its own.
        let slide = data.len() as u32;
        data.extend(container(
            RT_SLIDE,
            0,
            &[container(0xF00D, 0, &[chars("Ny tekst")])],
        ));
        let directory = data.len() as u32;
        data.extend(rec(
            0,
            0,
            RT_PERSIST_DIRECTORY,
            &words(&[(1 << 20) | 2, slide]),
        ));
        let newest = data.len();
        data.extend(rec(
            0,
            0,
            RT_USER_EDIT,
            &words(&[256, 0, edit as u32, directory, 1, 5, 0]),
        ));
        let (pieces, err) = read(&data, Some(newest));
        assert!(err.is_none());
        // The new slide's own text, then the outline text the (older) document lists
        // for it, which no shape of the new slide places.
        let texts: Vec<&str> = pieces.iter().take(3).map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["Ny tekst", "Søknad", "fnr 15108695088\nny linje"]);
    }

    #[test]
    fn damage_gives_what_was_read_and_names_it() {
        let (mut data, edit) = deck();
        // The notes container claims more than its parent holds: the slides are still read.
        let notes_at = data
            .windows(2)
            .rposition(|w| w == RT_NOTES.to_le_bytes())
            .unwrap()
            - 2;
        let body_len = notes_at + 4;
        data[body_len..body_len + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        let (pieces, err) = read(&data, Some(edit));
        assert!(matches!(err, Some(PartError::Truncated { .. })), "{err:?}");
        assert_eq!(pieces.len(), 7);
        // An edit chain that loops ends; one that leads nowhere is an error, not a panic.
        let (mut looped, edit) = deck();
        looped[edit + 8 + 8..edit + 8 + 12].copy_from_slice(&(edit as u32).to_le_bytes());
        assert_eq!(read(&looped, Some(edit)).0.len(), 8);
        for cut in [0, 7, 8, 100, data.len() - 1] {
            let (_, err) = read(&deck().0[..cut], None);
            assert!(err.is_some(), "cut at {cut}");
        }
    }

    /// Every byte of the deck set to values that matter for lengths, types and offsets:
    /// a result or an error each time, never a panic.
    #[test]
    fn any_damaged_byte_is_survived() {
        let (data, edit) = deck();
        for i in 0..data.len() {
            for v in [0x00, 0x0F, 0x7F, 0xF0, 0xFF] {
                let mut bad = data.clone();
                bad[i] = v;
                let _ = read(&bad, Some(edit));
                let _ = read(&bad, None);
            }
        }
    }

    /// The deck with two more live objects: persist id 5 an ExOleObjStg stored as is, 6 a
    /// compressed one, and 7 a compressed one that is not zlib.
    fn deck_with_objects() -> (Vec<u8>, usize) {
        use std::io::Write;
        let (mut data, edit) = deck();
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(b"komprimert objekt").unwrap();
        let mut compressed = 17u32.to_le_bytes().to_vec();
        compressed.extend(z.finish().unwrap());
        let mut offsets = Vec::new();
        for (instance, body) in [
            (0, b"lagret som det er".to_vec()),
            (1, compressed),
            (1, vec![9, 0, 0, 0, 1, 2, 3]),
        ] {
            offsets.push(data.len() as u32);
            data.extend(rec(0, instance, RT_EX_OLE_OBJ_STG, &body));
        }
        let directory = data.len() as u32;
        let mut entries = vec![(3u32 << 20) | 5];
        entries.extend(&offsets);
        data.extend(rec(0, 0, RT_PERSIST_DIRECTORY, &words(&entries)));
        let newest = data.len();
        let edit = edit as u32;
        data.extend(rec(
            0,
            0,
            RT_USER_EDIT,
            &words(&[256, 0, edit, directory, 1, 8, 0]),
        ));
        (data, newest)
    }

    #[test]
    fn embedded_objects_inflated_within_caps() {
        let (data, edit) = deck_with_objects();
        let (got, err) = objects(&data, Some(edit), 1 << 20, 10);
        let got: Vec<(&str, &[u8])> = got
            .iter()
            .map(|o| (o.name.as_str(), &o.bytes[..]))
            .collect();
        assert_eq!(
            got,
            [
                ("ExOleObjStg 5", &b"lagret som det er"[..]),
                ("ExOleObjStg 6", &b"komprimert objekt"[..]),
            ]
        );
        assert!(matches!(err, Some(PartError::Damaged(_))), "{err:?}");
        // The text is read as before.
        assert_eq!(read(&data, Some(edit)).0.len(), 8);
        // Count and bytes are capped before anything is inflated.
        let (got, err) = objects(&data, Some(edit), 1 << 20, 1);
        assert_eq!(got.len(), 1);
        assert!(matches!(err, Some(PartError::Limit(Limit::Embedded, _))));
        let (got, err) = objects(&data, Some(edit), 20, 10);
        assert_eq!(got.len(), 1);
        assert!(matches!(err, Some(PartError::Limit(..))));
    }

    #[test]
    fn nesting_is_capped() {
        let mut inner = chars("dypt");
        for _ in 0..200 {
            inner = container(0xF004, 0, &[inner]);
        }
        let mut found = Found::default();
        let mut damage = None;
        let outer = container(RT_SLIDE, 0, &[inner]);
        let r = Rec::at(&outer, 0).unwrap();
        walk(&outer, &r, &[], &mut found, 0, &mut damage);
        assert!(matches!(damage, Some(PartError::Implausible { .. })));
        assert!(found.texts.is_empty());
    }

    #[test]
    fn current_edit_offset() {
        let mut cu = rec(0, 0, RT_CURRENT_USER, &[0; 20]);
        cu[16..20].copy_from_slice(&1234u32.to_le_bytes());
        assert_eq!(current_edit(&cu), Some(1234));
        assert_eq!(current_edit(&[1, 2]), None);
        assert_eq!(current_edit(&rec(0, 0, RT_USER_EDIT, &[0; 20])), None);
    }
}
