//! Detection over one document, fed batch by batch: keyword context (same paragraph or
//! cell, row label, column header), column statistics, de-duplication by value, and what
//! long and shared texts hold, remembered.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::candidates::Candidates;
use super::fnr::{self, Date};
use super::found::{ColumnKey, Found, at_and_nor, may_be_iban};
use super::keywords::Hit;
use super::{Detectors, MAX_ALSO_AT, list, numbers};
use crate::model::{Detection, DetectorId, Kind};
use crate::read::text::{
    Batch, Piece, PieceText, Place, SharedStrings, Span, Spot, may_be_identifier, trimmed,
};

impl Detectors {
    /// Starts on one document.
    pub fn document(&self) -> DocumentScan<'_> {
        DocumentScan {
            det: self,
            today: self.today,
            part: "".into(),
            pending: Vec::new(),
            found: BTreeMap::new(),
            weak: FxHashMap::default(),
            first_rows: FxHashMap::default(),
            rows: FxHashMap::default(),
            columns: FxHashMap::default(),
            tags: BTreeMap::new(),
            last: None,
            long: None,
            ahead: Vec::new(),
            shared: None,
            areas: FxHashMap::default(),
            last_area: None,
            overflow: false,
        }
    }
}

/// Distinct values a document's detection keeps (found and below the threshold) at most:
/// a hostile file of a million different numbers must not hold a million detections. A
/// value beyond it that would be reported makes the file not fully read.
pub const MAX_VALUES: usize = 100_000;
/// Values of the fødselsnummer family waiting for their part's column statistics, at
/// most: beyond it they are judged on the statistics so far.
const MAX_PENDING: usize = 10_000;
/// Entries of the per-cell context maps (areas, first rows, rows, columns) at most; beyond
/// it they start afresh (a sheet reads row by row, so only the context of a few cells of a
/// pathological file is lost).
const MAX_GRID: usize = 1 << 16;

/// Area, table and row of a cell.
type RowKey = (u32, u32, u32);
/// A column's header cell: its row and its keywords.
type Header = (u32, Vec<Hit>);

/// What is known of a column of a sheet or table so far.
#[derive(Default)]
struct Column {
    /// The cell read as its header, and that cell's keywords.
    header: Option<Header>,
    /// Cells holding only 10–11 digits.
    numbers: u32,
    /// Of those, the ones valid as a number of the fødselsnummer family.
    valid: u32,
    /// Of those, the ones valid as account numbers (every valid fødselsnummer is one too).
    accounts: u32,
}

/// Detection over one document, fed batch by batch (parts in order).
pub struct DocumentScan<'d> {
    det: &'d Detectors,
    pub(super) today: Date,
    part: Arc<str>,
    /// Detections of the fødselsnummer family in the current part: column statistics may
    /// still change them.
    pending: Vec<Found>,
    /// Per detector and normalised value: the best detection, once one is at or above the
    /// threshold, and the number of occurrences.
    found: BTreeMap<(DetectorId, String), (Detection<Spot>, u32)>,
    /// Values found only below the threshold so far: never reported, but counted and
    /// listed among the places of the value should it be found at or above it later. Kept
    /// small: a sheet may hold thousands of numbers that could be phone numbers.
    weak: FxHashMap<(DetectorId, String), Weak>,
    /// Per (area, table) of a docx or pptx table, its first row: the header row.
    first_rows: FxHashMap<(u32, u32), u32>,
    /// Keywords of the cells read so far per (area, table, row), by column.
    rows: FxHashMap<RowKey, Vec<(u32, Vec<Hit>)>>,
    columns: FxHashMap<ColumnKey, Column>,
    tags: BTreeMap<String, u32>,
    /// The last piece's area, place and keywords: text deleted from a paragraph, or its
    /// field codes, come as pieces of their own at the same place, in its context.
    last: Option<(Arc<str>, Place, Vec<Hit>)>,
    /// The last long text and what depends on its text alone: a workbook may repeat one
    /// long text in thousands of cells.
    long: Option<(Long, Textual)>,
    /// What the batch being read holds in its long texts, found ahead (`DocumentScan::ahead`).
    ahead: Vec<(u32, Textual)>,
    /// What each shared text of the last shared string table holds (a workbook's shared
    /// string is read once, however many cells show it), by its index.
    shared: Option<(Arc<SharedStrings>, FxHashMap<u32, Textual>)>,
    /// Areas (sheets, the parts of tables) by number, so that the per-cell keys of the
    /// maps above hash no strings; the last one is found by pointer.
    areas: FxHashMap<Arc<str>, u32>,
    last_area: Option<(Arc<str>, u32)>,
    /// A value to report was left out at `MAX_VALUES`.
    overflow: bool,
}

/// `piece` with its text folded (`fold`): its spans moved to where they fall in it.
fn folded_piece(piece: &Piece, folded: super::fold::Folded) -> Piece {
    let spans = piece
        .spans
        .iter()
        .map(|s| Span {
            start: folded.folded(s.start),
            end: folded.folded(s.end),
            flags: s.flags,
        })
        .collect();
    Piece {
        text: PieceText::from(folded.text),
        spans,
        ..piece.clone()
    }
}

/// A value found only below the threshold (see `DocumentScan::weak`).
struct Weak {
    confidence: u8,
    count: u32,
    /// Where it was found with its best confidence first, then its other places, as
    /// `Detection::location` and `also_at` would list them.
    places: Vec<Spot>,
}

/// What a long or shared text holds, whatever its context: its keywords, whether it has a
/// digit (for number candidates) and whether a pattern could match (`@`, `NOR`, an IBAN).
#[derive(Clone)]
struct Textual {
    hits: Vec<Hit>,
    digit: bool,
    pattern: bool,
}

/// Texts of these lengths are remembered (see `DocumentScan::long`); the last of a batch
/// is copied, so the longest are not.
const LONG_TEXT: std::ops::RangeInclusive<usize> = 4096..=(4 << 20);

/// What a batch's long texts hold, by their places in it (see `DocumentScan::ahead`).
pub struct Ahead(Vec<(u32, Textual)>);

impl Textual {
    const NONE: Textual = Textual {
        hits: Vec::new(),
        digit: false,
        pattern: false,
    };
}

/// Where the last long text is: a piece of the batch being read (no copy), or, once the
/// batch is over or for a text folded apart from its piece, a copy.
enum Long {
    InBatch(usize),
    Copy(String),
}

/// Shared texts remembered per shared string table (see `DocumentScan::shared`), at most: a few
/// hundred kilobytes (65,536 added 10 MB to the peak for no fewer instructions; the
/// strings repeated most are met first).
const SHARED_TEXTS: usize = 1 << 12;

/// What a document's detection found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// De-duplicated, at or above the threshold, in order of first occurrence per detector.
    pub detections: Vec<Detection>,
    /// Sensitive-domain tags and how many pieces of text carried them.
    pub tags: BTreeMap<String, u32>,
    /// Values to report were left out: more than `MAX_VALUES` distinct ones.
    pub overflow: bool,
}

impl<'d> DocumentScan<'d> {
    /// Reads one batch of text.
    pub fn batch(&mut self, b: &Batch) {
        if b.part != &*self.part {
            self.end_part();
            self.part = b.part.into();
        }
        for (i, piece) in b.pieces.iter().enumerate() {
            match super::fold::fold(&piece.text) {
                None => self.piece(b, piece, Some(i)),
                Some(folded) => self.piece(b, &folded_piece(piece, folded), None),
            }
        }
        // The batch's pieces go: the last long text is copied, once per batch.
        if let Some((long, _)) = &mut self.long
            && let Long::InBatch(i) = *long
        {
            *long = Long::Copy(b.pieces[i].text.to_string());
        }
    }

    /// The detectors it reads with.
    pub fn detectors(&self) -> &'d Detectors {
        self.det
    }

    /// What a batch's long texts hold (`text_only`), found apart from the scan's state: on
    /// another thread while the scan reads earlier batches (engine/handoff.rs). It goes
    /// with the batch to `batch_ahead`, which finds what `batch` finds.
    pub fn ahead(det: &Detectors, b: &Batch) -> Ahead {
        let long = |p: &&Piece| {
            !p.number
                && !matches!(p.text, PieceText::Shared(..))
                && LONG_TEXT.contains(&p.text.len())
        };
        // A long text repeated in a row is read once (`textual` remembers the last one).
        let mut last: Option<&str> = None;
        Ahead(
            (b.pieces.iter().enumerate())
                .filter(|(_, p)| long(p))
                .filter(|(_, p)| last.replace(p.text.as_str()) != Some(p.text.as_str()))
                .map(|(i, p)| (i as u32, text_only(det, &p.text)))
                .collect(),
        )
    }

    /// Reads a batch with what `ahead` found in it.
    pub fn batch_ahead(&mut self, b: &Batch, ahead: Ahead) {
        self.ahead = ahead.0;
        self.batch(b);
        self.ahead.clear();
    }

    /// Finishes the document.
    pub fn finish(mut self) -> Outcome {
        self.end_part();
        let mut detections: Vec<(DetectorId, Detection<Spot>)> = self
            .found
            .into_iter()
            .map(|((detector, value), (mut d, n))| {
                d.count = n;
                if self.det.hash_key.is_secret() {
                    d.hash = self.det.hash_key.hash(&[detector.id(), &value]);
                }
                (d.detector, d)
            })
            .collect();
        detections.sort_by(|a, b| (a.0, &a.1.location.part).cmp(&(b.0, &b.1.location.part)));
        Outcome {
            detections: detections
                .into_iter()
                .map(|(_, d)| self.det.mask_detection(d))
                .collect(),
            tags: self.tags,
            overflow: self.overflow,
        }
    }

    fn end_part(&mut self) {
        self.settle();
        self.first_rows.clear();
        self.rows.clear();
        self.columns.clear();
    }

    /// Judges the values waiting for column statistics on the statistics so far.
    fn settle(&mut self) {
        for mut f in std::mem::take(&mut self.pending) {
            if let Some(rule) = f.family
                // Statistics of columns that hold numbers (every column has an entry).
                && let Some(c) = f.column.as_ref().and_then(|k| self.columns.get(k))
                && c.numbers > 0
            {
                let d = &mut f.detection;
                if c.numbers >= 3 && c.valid * 2 >= c.numbers {
                    if rule.boost {
                        d.confidence = d.confidence.max(85);
                    }
                    d.reasons.push("column-stats".into());
                } else if c.numbers >= 10 && c.valid * 10 <= c.numbers {
                    // Few of the column's numbers validate: chance hits among other numbers.
                    d.confidence = d.confidence.saturating_sub(20);
                    d.reasons.push("column-stats:few-valid".into());
                    if c.accounts * 2 >= c.numbers {
                        d.confidence = d.confidence.saturating_sub(15);
                        d.reasons.push("column-stats:accounts".into());
                    }
                }
                // Caps hold whatever the column says.
                d.confidence = d.confidence.min(rule.cap);
            }
            self.keep(f);
        }
    }

    fn keep(&mut self, f: Found) {
        let key = (f.detector, f.key);
        let d = f.detection;
        if self.found.len() + self.weak.len() >= MAX_VALUES
            && !self.found.contains_key(&key)
            && !self.weak.contains_key(&key)
        {
            self.overflow |= d.confidence >= self.det.settings.threshold;
            return;
        }
        if let Some((best, n)) = self.found.get_mut(&key) {
            *n += 1;
            let mut other = d;
            if other.confidence > best.confidence {
                std::mem::swap(best, &mut other);
                best.also_at = std::mem::take(&mut other.also_at);
            }
            if best.also_at.len() < MAX_ALSO_AT {
                best.also_at.push(other.location);
            }
        } else if d.confidence >= self.det.settings.threshold {
            // The value's earlier finds below the threshold are counted and listed as if
            // they had been kept whole: their places, then their best one's.
            let mut d = d;
            let mut n = 1;
            if let Some(w) = self.weak.remove(&key) {
                n += w.count;
                let mut places = w.places.into_iter();
                let best = places.next();
                d.also_at = places.collect();
                d.also_at
                    .extend(best.filter(|_| d.also_at.len() < MAX_ALSO_AT));
            }
            self.found.insert(key, (d, n));
        } else if let Some(w) = self.weak.get_mut(&key) {
            w.count += 1;
            let mut place = d.location;
            if d.confidence > w.confidence {
                w.confidence = d.confidence;
                std::mem::swap(&mut w.places[0], &mut place);
            }
            if w.places.len() <= MAX_ALSO_AT {
                w.places.push(place);
            }
        } else {
            let w = Weak {
                confidence: d.confidence,
                count: 1,
                // Most such values occur once: no room for more yet.
                places: vec![d.location],
            };
            self.weak.insert(key, w);
        }
    }

    /// The grid a piece sits in (area and table) and its row and column, for cells.
    fn grid(piece: &Piece) -> Option<(&Arc<str>, u32, u32, u32)> {
        match piece.place {
            Place::Cell { row, col } => Some((&piece.area, 0, row, col)),
            Place::Table { table, row, col } => Some((&piece.area, table, row, col)),
            _ => None,
        }
    }

    /// Remembers `piece` as the last one; the area is shared, not counted again, when it
    /// is the last one's (every cell of a sheet).
    fn set_last(&mut self, piece: &Piece, hits: Vec<Hit>) {
        match &mut self.last {
            Some((area, place, prev)) if Arc::ptr_eq(area, &piece.area) => {
                *place = piece.place.clone();
                *prev = hits;
            }
            _ => self.last = Some((piece.area.clone(), piece.place.clone(), hits)),
        }
    }

    fn area_id(&mut self, area: &Arc<str>) -> u32 {
        if let Some((a, id)) = &self.last_area
            && Arc::ptr_eq(a, area)
        {
            return *id;
        }
        let next = self.areas.len() as u32;
        let id = *self.areas.entry(area.clone()).or_insert(next);
        self.last_area = Some((area.clone(), id));
        id
    }

    /// What `text` alone holds, remembered as the last long text. `at`: the piece of
    /// batch `b` whose text it is, if any.
    fn textual(&mut self, b: &Batch, at: Option<usize>, text: &str) -> Textual {
        if let Some((last, found)) = &self.long {
            let last = match last {
                Long::InBatch(i) => b.pieces[*i].text.as_str(),
                Long::Copy(t) => t,
            };
            if last == text {
                return found.clone();
            }
        }
        // Found ahead for the batch's own pieces (not for a folded text).
        let ahead = at.and_then(|i| {
            let k = (self.ahead)
                .binary_search_by_key(&(i as u32), |(j, _)| *j)
                .ok()?;
            Some(std::mem::replace(&mut self.ahead[k].1, Textual::NONE))
        });
        let found = ahead.unwrap_or_else(|| text_only(self.det, text));
        let long = match at {
            Some(i) => Long::InBatch(i),
            None => Long::Copy(text.to_string()),
        };
        self.long = Some((long, found.clone()));
        found
    }

    fn shared_textual(
        &mut self,
        b: &Batch,
        at: Option<usize>,
        table: &Arc<SharedStrings>,
        i: u32,
    ) -> Textual {
        let (det, text) = (self.det, table.get(i));
        let known = match &mut self.shared {
            Some((t, known)) if Arc::ptr_eq(t, table) => known,
            other => &mut other.insert((Arc::clone(table), FxHashMap::default())).1,
        };
        if let Some(found) = known.get(&i) {
            found.clone()
        } else if known.len() < SHARED_TEXTS {
            let found = text_only(det, text);
            known.insert(i, found.clone());
            found
        } else if LONG_TEXT.contains(&text.len()) {
            // Full: a long text is still remembered as the last one.
            self.textual(b, at, text)
        } else {
            text_only(det, text)
        }
    }

    /// Reads a piece; `at`: its place in `b`, if it is the batch's own (not folded).
    fn piece(&mut self, b: &Batch, piece: &Piece, at: Option<usize>) {
        let det = self.det;
        // Most cells of most sheets: a number no identifier can be, with no words to be a
        // keyword or header. It is no one's context either: the scan does not even get
        // these (`Sink::every_number`), and every sink must find the same.
        if piece.number && !may_be_identifier(&piece.text) {
            return;
        }
        let textual = match &piece.text {
            PieceText::Shared(table, i) => Some(self.shared_textual(b, at, table, *i)),
            text if LONG_TEXT.contains(&text.len()) => Some(self.textual(b, at, text)),
            _ => None,
        };
        let (hits, digit, pattern) = match textual {
            Some(t) => (t.hits, t.digit, t.pattern),
            // A number as stored holds no words.
            None if piece.number => (Vec::new(), true, true),
            None => (det.keywords.find(&piece.text), true, true),
        };
        // Folder names are read for identifiers, not for sensitive domains: a share's
        // `Helse` folder would tag every file in it (rules match folders by `path` globs).
        let tags: Vec<Arc<str>> = if piece.kind == Kind::FolderName {
            Vec::new()
        } else {
            let mut t: Vec<Arc<str>> = hits
                .iter()
                .flat_map(|h| det.tags[h.list].iter().cloned())
                .collect();
            t.sort();
            t.dedup();
            t
        };
        for t in &tags {
            match self.tags.get_mut(&**t) {
                Some(n) => *n += 1,
                None => {
                    self.tags.insert(t.to_string(), 1);
                }
            }
        }
        // Row label and column header for cells: the keywords of the cells to the left in
        // the row, and of the column's header cell (found once per cell).
        if self.areas.len() + self.first_rows.len() + self.rows.len() + self.columns.len()
            > MAX_GRID
        {
            self.settle();
            self.areas.clear();
            self.last_area = None;
            self.first_rows.clear();
            self.rows.clear();
            self.columns.clear();
        }
        let grid =
            Self::grid(piece).map(|(area, table, row, col)| (self.area_id(area), table, row, col));
        let mut around: Vec<(Hit, &'static str)> = Vec::new();
        if let Some((area, table, row, col)) = &grid {
            // One look-up of the column per cell: its header and its statistics.
            let column = self.columns.entry((*area, *table, *col)).or_default();
            if let Some((hrow, h)) = &column.header
                && hrow < row
            {
                around.extend(h.iter().map(|h| (*h, "header")));
            }
            // A table in a document has its header in its first row. A sheet's column has
            // it in the nearest cell above that holds words rather than a value: title rows
            // come above the header, and a second list may follow the first.
            // A formula sits in its cell beside the value: read in the cell's context, it is
            // neither a header nor a cell of the row or column.
            let formula = piece.kind == Kind::Formula;
            let header = match piece.place {
                _ if formula => false,
                Place::Cell { .. } => header_like(&piece.text),
                _ => *row == *self.first_rows.entry((*area, *table)).or_insert(*row),
            };
            if header {
                column.header = Some((*row, hits.clone()));
            }
            // Column statistics over digit-only cells.
            let digits = trimmed(&piece.text);
            if !formula
                && (10..=11).contains(&digits.len())
                && digits.bytes().all(|c| c.is_ascii_digit())
            {
                let padded = format!("{digits:0>11}");
                let counts = fnr::counts_2032(det.mode_2032, self.today);
                let valid = fnr::digits(&padded)
                    .and_then(|d| fnr::classify(&d, self.today).ok())
                    .is_some_and(|(_, rule)| rule == fnr::Rule::R1964 || counts);
                let account = numbers::digits(digits).is_some_and(|d| numbers::kontonummer(&d));
                column.numbers += 1;
                column.valid += u32::from(valid);
                column.accounts += u32::from(account);
            }
            let key = (*area, *table, *row);
            if let Some(cells) = self.rows.get(&key) {
                around.extend(
                    cells
                        .iter()
                        .filter(|(c, _)| c < col)
                        .flat_map(|(_, h)| h.iter().map(|h| (*h, "row"))),
                );
            }
            if !hits.is_empty() && !formula {
                self.rows.entry(key).or_default().push((*col, hits.clone()));
            }
        }
        // The piece is the last one from here on, unless it continues the last one's place.
        let continues = match &self.last {
            Some((area, place, prev)) if *area == piece.area && *place == piece.place => {
                around.extend(prev.iter().map(|h| (*h, "paragraph")));
                true
            }
            _ => false,
        };
        let column = grid.as_ref().map(|(a, t, _, c)| (*a, *t, *c));
        let mut out: Vec<Found> = Vec::new();
        let mut cx = Candidates {
            det,
            today: self.today,
            batch: b,
            part: &self.part,
            piece,
            hits: &hits,
            around: &around,
            tags: &tags,
            column,
            out: &mut out,
            dropped: false,
        };
        // Skip what the text alone rules out, when that is known.
        let passport = hits.iter().any(|h| h.list == const { list("passport") });
        if digit {
            cx.digit_candidates();
        }
        if pattern || passport {
            cx.patterns();
        }
        self.overflow |= cx.dropped;
        for f in out {
            if f.pends {
                self.pending.push(f);
                if self.pending.len() >= MAX_PENDING {
                    self.settle();
                }
            } else {
                self.keep(f);
            }
        }
        if !continues {
            self.set_last(piece, hits);
        }
    }
}

/// What a text alone yields, whatever its context (see `Textual`).
fn text_only(det: &Detectors, text: &str) -> Textual {
    Textual {
        hits: det.keywords.find(text),
        digit: text.bytes().any(|b| b.is_ascii_digit()),
        // Everything `patterns` looks for but passports, which need a keyword.
        pattern: {
            let (at, nor) = at_and_nor(text);
            at || nor || (may_be_iban(text) && det.iban.is_match(text))
        },
    }
}

/// Whether a sheet cell reads as a column header: words (a letter), and no digit group of
/// six or more that could be a value (`Fnr`, `Elevliste 2025`, not `15108695088` or
/// `Kari, 151086 95088`).
fn header_like(text: &str) -> bool {
    // A header is a few words; a long text is content.
    if text.len() > 256 {
        return false;
    }
    let mut run = 0;
    let mut letter = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            run += 1;
            if run >= 6 {
                return false;
            }
        } else {
            run = 0;
            letter = letter || c.is_alphabetic();
        }
    }
    letter
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Flags;

    #[test]
    fn numbers_no_identifier_can_be_are_no_context() {
        // A pivot cache field's name and its items share one place, so each item is read in
        // the name's context: a short number among them changes nothing, whether the sink
        // gets it or it is passed over (as the scan's is).
        struct Scan<'d> {
            doc: DocumentScan<'d>,
            every: bool,
        }
        impl crate::read::text::Sink for Scan<'_> {
            fn batch(&mut self, b: &Batch<'_>) {
                self.doc.batch(b)
            }
            fn every_number(&self) -> bool {
                self.every
            }
        }
        let det = Detectors::built_in();
        let xml = "<pivotCacheDefinition><cacheFields count=\"1\"><cacheField name=\"Personnummer\"><sharedItems><n v=\"12\"/><n v=\"15108695088\"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>";
        let area: Arc<str> = "pivotbuffer 1".into();
        let found = |every| {
            let mut sink = Scan {
                doc: det.document(),
                every,
            };
            let mut out = crate::read::text::Emitter::new("p", Flags::NONE, &mut sink);
            crate::read::ooxml::spreadsheetml::pivot_cache(xml, &area, &mut out).unwrap();
            drop(out);
            format!("{:?}", sink.doc.finish().detections)
        };
        let all = found(true);
        assert!(all.contains("keyword:personnummer@paragraph"), "{all}");
        assert_eq!(all, found(false));
    }

    #[test]
    fn shared_texts_read_as_their_own_copies() {
        let det = Detectors::built_in().with_today(Date::parse("2026-01-01").unwrap());
        let sheet: Arc<str> = "Ark1".into();
        let texts = [
            "Fnr",
            "15108695088",
            "kari@example.no, 15108695088",
            "P<NORHANSEN<<OLA<<<<<<<<<<<<<<",
        ];
        let shared = crate::read::text::testing::shared_strings(&texts);
        let outcome = |share: bool| {
            let mut pieces = Vec::new();
            for row in 1..=4 {
                for (col, text) in texts.iter().enumerate() {
                    let text: PieceText = if share {
                        shared.piece_text(col).unwrap()
                    } else {
                        (*text).into()
                    };
                    let place = Place::Cell {
                        row,
                        col: col as u32 + 1,
                    };
                    pieces.push(Piece::new(text, Kind::Cell, &sheet, place));
                }
            }
            let mut doc = det.document();
            doc.batch(&Batch {
                part: "xl/worksheets/sheet1.xml",
                flags: Flags::NONE,
                pieces: &pieces,
                passed_over: None,
            });
            format!("{:?}", doc.finish())
        };
        let own = outcome(false);
        assert!(
            own.contains("Fodselsnummer") && own.contains("Epost"),
            "{own}"
        );
        assert!(own.contains("Passnummer"), "{own}");
        assert_eq!(outcome(true), own);
    }

    #[test]
    fn finds_below_the_threshold_count_as_if_kept_whole() {
        // One number found at 40 (beside an account keyword), 70 (alone) and 90 (with a
        // fødselsnummer keyword), in that order and back, and a number only ever weak.
        let texts = [
            "Kontonummer 15108695088",
            "15108695088",
            "Kontonummer 15108695088",
            "Fnr: 15108695088",
            "15108695088",
            "Kontonummer 15108695088",
            "05073500186",
        ];
        let area: Arc<str> = "".into();
        let pieces: Vec<Piece> = (1..)
            .zip(texts)
            .map(|(n, t)| Piece::new(t, Kind::Body, &area, Place::Paragraph(n)))
            .collect();
        let outcome = |threshold: u8| {
            let mut det = Detectors::built_in();
            det.settings.threshold = threshold;
            let mut doc = det.document();
            doc.batch(&Batch {
                part: "word/document.xml",
                flags: Flags::NONE,
                pieces: &pieces,
                passed_over: None,
            });
            doc.finish().detections
        };
        let all = outcome(0);
        let strong = outcome(80);
        assert!(all.len() > strong.len(), "{all:?}");
        let kept_whole: Vec<String> = all
            .iter()
            .filter(|d| d.confidence >= 80)
            .map(|d| format!("{d:?}"))
            .collect();
        let weak_kept_small: Vec<String> = strong.iter().map(|d| format!("{d:?}")).collect();
        assert_eq!(weak_kept_small, kept_whole);
        let fnr = &strong[0];
        assert_eq!((fnr.confidence, fnr.count, fnr.also_at.len()), (90, 6, 5));
        assert_eq!(fnr.location.place, "avsnitt 4");
    }

    #[test]
    fn long_texts_keep_every_pattern() {
        let det = Detectors::built_in();
        let filler = "Lorem ipsum dolor sit amet. ".repeat(200);
        let mrz = "P<NORHANSEN<<OLA<<<<<<<<<<<<<<<<<<<<<<<<<<<<";
        for text in [format!("{mrz} {filler}"), format!("{filler} {mrz}")] {
            assert!(text.len() >= *LONG_TEXT.start());
            let found = det.paragraph(&text);
            assert!(
                found
                    .detections
                    .iter()
                    .any(|d| d.detector == DetectorId::Passnummer),
                "machine-readable zone in a long text"
            );
        }
    }

    #[test]
    fn long_texts_found_ahead_are_read_as_a_batch_reads_them() {
        // Long texts with and without values and keywords, one repeated, one that folds
        // (a zero-width space in its number), one shared, among short texts and a number:
        // read with what `ahead` found in each batch, or as `batch` reads them.
        let det = Detectors::built_in().with_today(Date::parse("2026-01-01").unwrap());
        let filler = "Vedtak om helse og omsorg i bydelen. ".repeat(120);
        let texts = [
            format!("{filler} Fnr 15108695088, kari.nordmann@example.no"),
            format!("{filler} ingen verdier her"),
            format!("{filler} konto 1234.56.78903"),
            format!("{filler} pasient 151086\u{200B}95088"),
            "Fnr 15108695088".to_string(),
            "Kontonummer".to_string(),
        ];
        let shared = crate::read::text::testing::shared_strings(&[&texts[0], "kort"]);
        let sheet: Arc<str> = "Ark1".into();
        let mut pieces = Vec::new();
        for row in 1..=3 {
            for (col, t) in (1..).zip(texts.iter().chain([&texts[0]])) {
                let place = Place::Cell { row, col };
                pieces.push(Piece::new(t.as_str(), Kind::Cell, &sheet, place));
            }
            let place = Place::Cell { row, col: 9 };
            pieces.push(Piece::new(
                shared.piece_text(0).unwrap(),
                Kind::Cell,
                &sheet,
                place,
            ));
            let mut number = Piece::new(
                "15108695088",
                Kind::Cell,
                &sheet,
                Place::Cell { row, col: 10 },
            );
            number.number = true;
            pieces.push(number);
        }
        let outcome = |size: usize, ahead: bool| {
            let mut doc = det.document();
            for chunk in pieces.chunks(size) {
                let b = Batch {
                    part: "xl/worksheets/sheet1.xml",
                    flags: Flags::NONE,
                    pieces: chunk,
                    passed_over: None,
                };
                if ahead {
                    doc.batch_ahead(&b, DocumentScan::ahead(&det, &b));
                } else {
                    doc.batch(&b);
                }
            }
            let o = doc.finish();
            format!("{:?} {:?}", o.detections, o.tags)
        };
        let whole = outcome(pieces.len(), false);
        assert!(
            whole.contains("Fodselsnummer") && whole.contains("Epost"),
            "{whole}"
        );
        for size in 1..=pieces.len() {
            assert_eq!(
                outcome(size, true),
                outcome(size, false),
                "batches of {size}"
            );
        }
    }

    #[test]
    fn long_texts_remembered_across_batches_are_each_their_own() {
        // A long text with an address, another without, and the first again: read in
        // batches of every size, the address is found where it is and only there.
        let filler = "Lorem ipsum dolor sit amet. ".repeat(200);
        let with = format!("{filler} kari.nordmann@example.no");
        let without = format!("{filler} ingen adresse her");
        let texts = [&with, &without, &with, &with, &without, &without, &with];
        let area: Arc<str> = "".into();
        let pieces: Vec<Piece> = (1..)
            .zip(texts)
            .map(|(n, t)| Piece::new(t.as_str(), Kind::Body, &area, Place::Paragraph(n)))
            .collect();
        let det = Detectors::built_in();
        let outcome = |size: usize| {
            let mut doc = det.document();
            for chunk in pieces.chunks(size) {
                doc.batch(&Batch {
                    part: "word/document.xml",
                    flags: Flags::NONE,
                    pieces: chunk,
                    passed_over: None,
                });
            }
            doc.finish().detections
        };
        let whole = outcome(pieces.len());
        let email: Vec<_> = whole
            .iter()
            .filter(|d| d.detector == DetectorId::Epost)
            .collect();
        assert_eq!(email.len(), 1, "{whole:?}");
        assert_eq!(email[0].count, 4);
        for size in 1..pieces.len() {
            assert_eq!(format!("{:?}", outcome(size)), format!("{whole:?}"));
        }
    }
}
