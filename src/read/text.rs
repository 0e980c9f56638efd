//! Text pieces with locations a person understands: what extraction yields and detection
//! reads. A piece is one paragraph, table cell, spreadsheet cell, comment or property value:
//! text is joined per paragraph or cell, never per run (Word splits numbers across runs).
//!
//! Extraction hands pieces to a [`Sink`] one [`Batch`] at a time: the pieces of one part, or
//! of a stretch of a large part, in document order. Only one batch is in memory at a time.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Instant;

use crate::model::{Flags, Kind, LocationKind};

/// Where text sits, as the document has it: the part (shared by the spots of one part: a
/// workbook may hold thousands), what a person reads there, the kind of place or what hides
/// it, and every flag of the text. Not masked: detection masks it into a
/// [`Location`](crate::model::Location).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spot {
    pub part: Arc<str>,
    pub place: String,
    pub kind: LocationKind,
    pub flags: Flags,
}

/// Where in its area a piece sits. Together with the area (`Ark1`, `topptekst 1`,
/// `lysbilde 4`) it makes the `where` a person reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The area itself (a comment, a property).
    Whole,
    /// The n-th paragraph of the area, from 1.
    Paragraph(u32),
    /// A cell of the n-th table of the area; everything from 1.
    Table { table: u32, row: u32, col: u32 },
    /// A spreadsheet cell; row and column from 1.
    Cell { row: u32, col: u32 },
    /// A named thing in the area (`felt «Navn»`, `filnavn`).
    Named(Arc<str>),
    /// A document property: a core or extended one (`creator`, `Company`), or a custom
    /// one (`custom`) by the name its author gave it.
    Property { name: Arc<str>, custom: bool },
    /// A field of a numbered record, from 1: a pivot cache's stored rows (`post 3, felt
    /// «Navn»`), which are many; the field's name is shared.
    Record { record: u32, field: Arc<str> },
}

/// A stretch of a piece's text with more flags than the piece: a hidden or tracked run
/// inside a paragraph. Byte offsets into the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub flags: Flags,
}

/// A piece's text: its own, or shared with other pieces (a workbook's shared string is
/// used by many cells and is not copied into each), or, when short, held in place. Texts
/// are equal when they read the same, however they are held.
#[derive(Clone, Debug)]
pub enum PieceText {
    Own(String),
    /// String `.1` of a workbook's shared string table.
    Shared(Arc<SharedStrings>, u32),
    /// Short text held in place: a sheet's numbers, dates and codes cost no allocation
    /// (a sheet's cells are millions of them, freed a batch at a time).
    Short(smol_str::SmolStr),
}

impl PieceText {
    pub fn as_str(&self) -> &str {
        match self {
            PieceText::Own(s) => s,
            PieceText::Shared(t, i) => t.get(*i),
            PieceText::Short(s) => s,
        }
    }
}

/// A workbook's shared string table: every string in one buffer. A table may hold
/// hundreds of thousands of strings, and one allocation each cost more than their text.
#[derive(Debug, Default)]
pub struct SharedStrings {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<u32>,
}

impl SharedStrings {
    /// A table from its text and where each string ends in it (in order, within the text,
    /// at character boundaries).
    pub fn from_parts(text: String, ends: Vec<u32>) -> SharedStrings {
        debug_assert!(ends.windows(2).all(|w| w[0] <= w[1]));
        debug_assert!(ends.iter().all(|&e| text.is_char_boundary(e as usize)));
        SharedStrings { text, ends }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// String `i` (empty past the end).
    pub fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start as usize..end as usize]
    }

    /// String `i` of the table, as a piece's text.
    pub fn piece_text(self: &Arc<Self>, i: usize) -> Option<PieceText> {
        let i = u32::try_from(i)
            .ok()
            .filter(|&i| (i as usize) < self.len())?;
        Some(PieceText::Shared(Arc::clone(self), i))
    }
}

/// Up to this many bytes a text is held in place (what `SmolStr` holds inline).
const SHORT: usize = 23;

/// A copy of a borrowed text.
impl From<&str> for PieceText {
    fn from(s: &str) -> Self {
        if s.len() <= SHORT {
            PieceText::Short(smol_str::SmolStr::new(s))
        } else {
            PieceText::Own(s.to_string())
        }
    }
}

impl From<Cow<'_, str>> for PieceText {
    fn from(s: Cow<'_, str>) -> Self {
        match s {
            Cow::Borrowed(s) => s.into(),
            Cow::Owned(s) => s.into(),
        }
    }
}

impl Deref for PieceText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for PieceText {
    fn from(s: String) -> Self {
        PieceText::Own(s)
    }
}

impl PartialEq for PieceText {
    fn eq(&self, other: &PieceText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for PieceText {}

impl PartialEq<str> for PieceText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for PieceText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for PieceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One text-bearing place and its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub text: PieceText,
    pub kind: Kind,
    pub flags: Flags,
    /// The named area the piece is in (`""` for a document's body), shared between pieces.
    pub area: Arc<str>,
    pub place: Place,
    pub spans: Vec<Span>,
    /// A numeric spreadsheet cell: `text` is the number as stored (integers written out in
    /// full) and `shown` is the number as the cell's format displays it, when that differs
    /// by zeros the format pads (`00000000000`).
    pub number: bool,
    pub shown: Option<String>,
}

impl Piece {
    pub fn new(text: impl Into<PieceText>, kind: Kind, area: &Arc<str>, place: Place) -> Piece {
        Piece {
            text: text.into(),
            kind,
            flags: Flags::NONE,
            area: Arc::clone(area),
            place,
            spans: Vec::new(),
            number: false,
            shown: None,
        }
    }

    /// A document property's value (`creator`, `Company`, a custom property), named as
    /// OOXML names it whatever the format: metadata, outside any area.
    pub fn property(value: impl Into<PieceText>, name: &str, custom: bool) -> Piece {
        let area: Arc<str> = "".into();
        let place = Place::Property {
            name: name.into(),
            custom,
        };
        Piece::new(value, Kind::Metadata, &area, place).with_flags(Flags::METADATA)
    }

    /// The location of bytes `start..end` of the piece's text in `batch`.
    pub fn location(&self, batch: &Batch, start: usize, end: usize) -> Spot {
        self.location_in(batch.part.into(), batch.flags, self.flags_at(start, end))
    }

    /// The location of the piece with `flags` and the batch's flags, in `part` (shared by
    /// the locations of one part, not copied).
    pub fn location_in(&self, part: Arc<str>, batch_flags: Flags, flags: Flags) -> Spot {
        let flags = batch_flags | flags;
        Spot {
            part,
            place: self.place_name(),
            kind: LocationKind::of(self.kind, flags),
            flags,
        }
    }

    pub fn with_flags(mut self, flags: Flags) -> Piece {
        self.flags |= flags;
        self
    }

    /// What a person reads as the location: `Ark1!C4`, `topptekst 1, avsnitt 2`.
    pub fn place_name(&self) -> String {
        let area = &*self.area;
        let detail = match &self.place {
            Place::Whole => return area.to_string(),
            Place::Cell { row, col } => {
                let cell = format!("{}{row}", column_name(*col));
                return if area.is_empty() {
                    cell
                } else {
                    format!("{}!{cell}", sheet_ref(area))
                };
            }
            Place::Paragraph(n) => format!("avsnitt {n}"),
            Place::Table { table, row, col } => {
                format!("tabell {table}, rad {row}, kolonne {col}")
            }
            Place::Named(name) => name.to_string(),
            Place::Property {
                name,
                custom: false,
            } => format!("egenskap {name}"),
            Place::Property { name, custom: true } => format!("egenskap «{name}»"),
            Place::Record { record, field } => format!("post {record}, felt «{field}»"),
        };
        if area.is_empty() {
            detail
        } else {
            format!("{area}, {detail}")
        }
    }

    /// The flags of any of the text in `start..end` (byte offsets): the piece's and those
    /// of the spans it touches.
    pub fn flags_at(&self, start: usize, end: usize) -> Flags {
        self.spans
            .iter()
            .filter(|s| s.start < end && start < s.end)
            .fold(self.flags, |f, s| f | s.flags)
    }

    /// The flags of all of the text: the piece's and those of spans covering it whole.
    pub fn whole_flags(&self) -> Flags {
        self.spans
            .iter()
            .filter(|s| s.start == 0 && s.end >= self.text.len())
            .fold(self.flags, |f, s| f | s.flags)
    }
}

/// `s.trim()`, found in two byte tests for the usual text that neither starts nor ends
/// with white space (`str::trim` decodes characters from both ends). Runs for every cell.
pub fn trimmed(s: &str) -> &str {
    let solid = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii() && !b.is_ascii_whitespace());
    let b = s.as_bytes();
    if solid(b.first()) && solid(b.last()) {
        s
    } else {
        s.trim()
    }
}

/// Excel's column letters: 1 → A, 27 → AA.
pub fn column_name(mut col: u32) -> String {
    let mut out = Vec::new();
    while col > 0 {
        col -= 1;
        out.push(b'A' + (col % 26) as u8);
        col /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A sheet name as Excel writes it in a reference: quoted when it is not a plain word.
fn sheet_ref(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// The pieces of one part, or of a stretch of a large one, in document order. `flags` hold
/// for every piece (a hidden sheet, an embedded document).
pub struct Batch<'a> {
    pub part: &'a str,
    pub flags: Flags,
    pub pieces: &'a [Piece],
    /// Pieces of this stretch the sink does not want (numbers no identifier can be, see
    /// [`Sink::every_number`]): the union of their flags, or `None` if there were none.
    pub passed_over: Option<Flags>,
}

/// Where extraction sends its batches.
pub trait Sink {
    fn batch(&mut self, b: &Batch<'_>);

    /// A batch given with its pieces, which the sink may keep (a sink that hands batches
    /// to another thread keeps them rather than copying them). Returns a vector for the
    /// emitter's next batch, which the emitter clears.
    fn batch_of(
        &mut self,
        part: &str,
        flags: Flags,
        pieces: Vec<Piece>,
        passed_over: Option<Flags>,
    ) -> Vec<Piece> {
        self.batch(&Batch {
            part,
            flags,
            pieces: &pieces,
            passed_over,
        });
        pieces
    }

    /// Whether numeric cells that no identifier can be (see [`may_be_identifier`]) are
    /// wanted as pieces. Printing the text wants them; detection does not, and most cells
    /// of most sheets are such numbers. Those left out still count against the text
    /// budget, and their flags reach the sink (`Batch::passed_over`).
    fn every_number(&self) -> bool {
        true
    }
}

impl<F: FnMut(&Batch<'_>)> Sink for F {
    fn batch(&mut self, b: &Batch<'_>) {
        self(b)
    }
}

/// Whether a number as a cell stores it (integers written out in full, see
/// `spreadsheetml::number_text`) can be an identifier: an integer of 8 digits or more (the
/// shortest identifier, a phone number, has 8). A measure or an amount with decimals or an
/// exponent is no identifier, whatever its digits: `151086.95088`.
pub fn may_be_identifier(number: &str) -> bool {
    let n = trimmed(number);
    n.len() >= 8 && n.bytes().all(|b| b.is_ascii_digit())
}

/// What one file may still spend on its text: bytes, and time.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub text_left: u64,
    pub deadline: Option<Instant>,
}

/// Collects pieces for a part and hands them to the sink in batches of bounded size, so a
/// sheet of a million cells never sits in memory whole. Counts the text it passes on
/// against a budget: a small file can repeat one long shared string a million times.
pub struct Emitter<'a, 's> {
    part: &'a str,
    flags: Flags,
    pieces: Vec<Piece>,
    held: usize,
    sink: &'a mut (dyn Sink + 's),
    budget: u64,
    spent: u64,
    deadline: Option<Instant>,
    late: bool,
    pushed: u32,
    /// Whether the sink wants every number (`Sink::every_number`).
    every_number: bool,
    /// The flags of the pieces passed over since the last batch.
    passed_over: Option<Flags>,
}

/// Pieces, and bytes of text, held before a batch is handed on.
const BATCH: usize = 4096;
const BATCH_BYTES: usize = 1 << 20;

thread_local! {
    /// An emitter's batch, kept for the next one on this thread: a full batch is half a
    /// megabyte, and growing one anew for each of a file's parts cost copies and page
    /// faults.
    static SPARE: std::cell::Cell<Vec<Piece>> = const { std::cell::Cell::new(Vec::new()) };
}

impl<'a, 's> Emitter<'a, 's> {
    pub fn new(part: &'a str, flags: Flags, sink: &'a mut (dyn Sink + 's)) -> Self {
        Emitter {
            every_number: sink.every_number(),
            passed_over: None,
            part,
            flags,
            pieces: SPARE.take(),
            held: 0,
            sink,
            budget: u64::MAX,
            spent: 0,
            deadline: None,
            late: false,
            pushed: 0,
        }
    }

    /// Passes on nothing after `deadline`: a file that takes too long is cut short.
    pub fn deadline(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline;
        self
    }

    /// Whether the deadline passed while pieces were pushed.
    pub fn late(&self) -> bool {
        self.late
    }

    /// Passes on at most `budget` bytes of text; pieces beyond it are dropped.
    pub fn budget(mut self, budget: u64) -> Self {
        self.budget = budget;
        self
    }

    /// Bytes of text passed on (or refused for lack of budget).
    pub fn spent(&self) -> u64 {
        self.spent
    }

    /// Whether the budget or the time is spent: parsers may stop early.
    pub fn exhausted(&self) -> bool {
        self.spent > self.budget || self.late
    }

    /// Adds a piece; pieces with no visible text are dropped.
    pub fn push(&mut self, piece: Piece) {
        if trimmed(&piece.text).is_empty() && piece.shown.is_none() {
            return;
        }
        if !self.spend(piece.text.len()) {
            return;
        }
        self.held += piece.text.len();
        self.pieces.push(piece);
        if self.pieces.len() >= BATCH || self.held >= BATCH_BYTES {
            self.flush();
        }
    }

    /// Whether a numeric cell's number (as stored, integers written out) is to be pushed:
    /// `false` when the sink does not want it, and then it has been passed over (see
    /// [`Sink::every_number`]) with `flags`. Parsers ask before building the piece.
    pub fn wants_number(&mut self, number: &str, flags: Flags) -> bool {
        let n = trimmed(number);
        n.is_empty() || may_be_identifier(n) || self.wants_short_number(number, flags)
    }

    /// `wants_number` for a number known to be written and no identifier (a sheet's
    /// `short_number`): the sink's choice alone, for most cells of most sheets.
    #[inline]
    pub fn wants_short_number(&mut self, number: &str, flags: Flags) -> bool {
        if self.every_number {
            return true;
        }
        if self.spend(number.len()) {
            *self.passed_over.get_or_insert(Flags::NONE) |= flags;
        }
        false
    }

    /// Counts `len` bytes of text against the budget and the time; whether there was room.
    fn spend(&mut self, len: usize) -> bool {
        self.spent += len as u64;
        // Reading the clock is cheap, but not free: every 256 pieces is often enough.
        self.pushed = self.pushed.wrapping_add(1);
        if self.pushed.is_multiple_of(256)
            && let Some(d) = self.deadline
        {
            self.late |= Instant::now() > d;
        }
        !self.exhausted()
    }

    pub fn flush(&mut self) {
        if !self.pieces.is_empty() || self.passed_over.is_some() {
            let pieces = std::mem::take(&mut self.pieces);
            let passed_over = self.passed_over.take();
            self.pieces = self
                .sink
                .batch_of(self.part, self.flags, pieces, passed_over);
            self.pieces.clear();
            self.held = 0;
        }
    }
}

impl Drop for Emitter<'_, '_> {
    fn drop(&mut self) {
        self.flush();
        // Cleared by the flush (or by a panic in the sink, which leaves pieces).
        self.pieces.clear();
        SPARE.set(std::mem::take(&mut self.pieces));
    }
}

/// Helpers for part parsers' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A fixed pseudo-random sequence of words (xorshift64) from `seed` (not 0), for tests
    /// that try many inputs.
    pub fn xorshift(mut x: u64) -> impl FnMut() -> u64 {
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    /// A shared string table of `texts`, in order.
    pub fn shared_strings(texts: &[&str]) -> Arc<SharedStrings> {
        let ends = texts
            .iter()
            .scan(0, |end, t| {
                *end += t.len() as u32;
                Some(*end)
            })
            .collect();
        Arc::new(SharedStrings::from_parts(texts.concat(), ends))
    }

    /// The pieces a parser emits.
    pub fn collect(f: impl FnOnce(&mut Emitter)) -> Vec<Piece> {
        let mut got = Vec::new();
        let mut sink = |b: &Batch| got.extend(b.pieces.iter().cloned());
        let mut out = Emitter::new("p", Flags::NONE, &mut sink);
        f(&mut out);
        drop(out);
        got
    }

    /// Where, kind, text and flags of each piece: what a test compares.
    pub fn summary(p: &[Piece]) -> Vec<(String, &'static str, String, Vec<&'static str>)> {
        p.iter()
            .map(|p| {
                (
                    p.place_name(),
                    p.kind.id(),
                    p.text.to_string(),
                    p.flags.names().collect(),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_read_back_in_order() {
        let t = testing::shared_strings(&["Ola", "", "Kari Nordmann", "ø"]);
        let got: Vec<String> = (0..5)
            .filter_map(|i| t.piece_text(i))
            .map(|p| p.to_string())
            .collect();
        assert_eq!(got, ["Ola", "", "Kari Nordmann", "ø"]);
        assert!(t.piece_text(4).is_none());
        assert!(t.piece_text(usize::MAX).is_none());
        assert_eq!((t.get(4), t.get(u32::MAX)), ("", ""));
    }

    #[test]
    fn trimmed_is_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{A0}x\u{A0}",
            "æ",
            "\tx\n",
            "12 34",
            "\u{3000}",
        ] {
            assert_eq!(trimmed(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn short_texts_are_held_in_place() {
        let short = "a".repeat(SHORT);
        let long = "b".repeat(SHORT + 1);
        assert!(matches!(
            PieceText::from(short.as_str()),
            PieceText::Short(_)
        ));
        assert!(matches!(PieceText::from(long.as_str()), PieceText::Own(_)));
        for s in [&short, &long, "", "151086 95088", "æøå"] {
            assert_eq!(PieceText::from(s).as_str(), s);
            assert_eq!(
                PieceText::from(Cow::Borrowed(s)),
                PieceText::from(s.to_string())
            );
        }
    }

    #[test]
    fn column_names() {
        assert_eq!(column_name(1), "A");
        assert_eq!(column_name(26), "Z");
        assert_eq!(column_name(27), "AA");
        assert_eq!(column_name(16384), "XFD");
    }

    #[test]
    fn place_names() {
        let sheet: Arc<str> = "Ark 1".into();
        let p = Piece::new(
            "x".to_string(),
            Kind::Cell,
            &sheet,
            Place::Cell { row: 4, col: 3 },
        );
        assert_eq!(p.place_name(), "'Ark 1'!C4");
        let body: Arc<str> = "".into();
        let p = Piece::new("x".to_string(), Kind::Body, &body, Place::Paragraph(12));
        assert_eq!(p.place_name(), "avsnitt 12");
        let header: Arc<str> = "topptekst 1".into();
        let p = Piece::new(
            "x".to_string(),
            Kind::Table,
            &header,
            Place::Table {
                table: 1,
                row: 2,
                col: 3,
            },
        );
        assert_eq!(p.place_name(), "topptekst 1, tabell 1, rad 2, kolonne 3");
    }

    #[test]
    fn hiding_kind_prefers_deletion() {
        assert_eq!(
            LocationKind::of(Kind::Body, Flags::HIDDEN | Flags::DELETED).id(),
            "tracked-deletion"
        );
        assert_eq!(
            LocationKind::of(Kind::Comment, Flags::COMMENT),
            LocationKind::Place(Kind::Comment)
        );
        assert_eq!(
            (Flags::COMMENT | Flags::HIDDEN_ROW)
                .names()
                .collect::<Vec<_>>(),
            ["hidden-row", "comment"]
        );
    }
}
