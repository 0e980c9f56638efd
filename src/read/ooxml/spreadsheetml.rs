//! Text of SpreadsheetML parts: the workbook (sheet names and states, defined names), shared
//! strings, styles (for number formats that pad zeros), worksheets (cells, hidden rows and
//! columns, header/footer strings, data validations), comments and threaded comments,
//! tables, pivot caches and external link caches. One pull parse per part, no DOM.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use xml::Event;

use crate::read::text::{Emitter, Piece, PieceText, Place, SharedStrings, trimmed};

use crate::model::{Flags, Kind};
use crate::read::error::{Limit, PartError};
use crate::read::xml;

/// A sheet as the workbook lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    /// `hidden` or `veryHidden` sheets.
    pub hidden: bool,
    pub rel_id: String,
}

/// Reads the workbook's sheet list, and emits sheet names and defined names.
pub fn workbook(text: &str, out: &mut Emitter) -> Result<Vec<Sheet>, PartError> {
    let mut sheets = Vec::new();
    let area: Arc<str> = "".into();
    let mut r = xml::reader(text);
    let mut name: Option<(String, bool)> = None;
    let mut formula = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.is("sheet") => {
                let sheet = Sheet {
                    name: e.attr("name").unwrap_or_default(),
                    hidden: e.attr("state").is_some_and(|s| s != "visible"),
                    rel_id: e.rel_id().unwrap_or_default(),
                };
                let n = sheets.len() + 1;
                let flags = if sheet.hidden {
                    Flags::HIDDEN_SHEET
                } else {
                    Flags::NONE
                };
                out.push(
                    Piece::new(
                        sheet.name.clone(),
                        Kind::SheetName,
                        &area,
                        Place::Named(format!("arkfane {n}").into()),
                    )
                    .with_flags(flags | Flags::METADATA),
                );
                sheets.push(sheet);
            }
            Ok(Event::Start(e)) if e.is("definedName") => {
                let hidden = e.attr("hidden").and_then(|v| xml::parse_bool(&v));
                name = Some((e.attr("name").unwrap_or_default(), hidden == Some(true)));
                formula.clear();
            }
            Ok(Event::End(e)) if e.local() == "definedName" => {
                if let Some((n, hidden)) = name.take() {
                    // Built-in names (_xlnm.Print_Area) hold only references.
                    if !n.starts_with("_xlnm.") {
                        let flags = if hidden { Flags::HIDDEN } else { Flags::NONE };
                        out.push(
                            Piece::new(
                                format!("{n} = {formula}"),
                                Kind::DefinedName,
                                &area,
                                Place::Named(format!("navn «{n}»").into()),
                            )
                            .with_flags(flags | Flags::METADATA),
                        );
                    }
                }
            }
            Ok(Event::Eof) => return Ok(sheets),
            Ok(ev) => {
                if name.is_some() {
                    xml::push_text(&ev, &mut formula);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Decodes Excel's `_xHHHH_` escapes (characters XML cannot hold, like `_x000D_`).
pub fn unescape(s: &str) -> Cow<'_, str> {
    // Not `str::contains`, which builds a searcher for every cell.
    let b = s.as_bytes();
    if !memchr::memchr_iter(b'_', b).any(|i| b.get(i + 1) == Some(&b'x')) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let code = tail
            .get(2..6)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        match code {
            Some(c) => {
                out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Reads rich or plain string items (`si` in shared strings, `is` in cells, `text` in
/// comments): runs joined, phonetic runs (`rPh`) left out, `_xHHHH_` decoded. Each item's
/// text is appended to `buf`, and `item(buf, start)` is called at its end with the text
/// at `buf[start..]`: a shared string table is built in place, not copied item by item.
fn string_items<'t>(
    src: impl Into<xml::Reader<'t>>,
    item_name: &str,
    buf: &mut String,
    mut item: impl FnMut(&mut String, usize) -> bool,
) -> Result<(), PartError> {
    let mut r = src.into();
    let mut start = buf.len();
    let (mut in_item, mut phonetic, mut in_t) = (false, 0u32, false);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => match e.local() {
                n if n == item_name => {
                    in_item = true;
                    buf.truncate(start);
                }
                "rPh" => phonetic += 1,
                "t" => in_t = true,
                _ => {}
            },
            Ok(Event::Empty(e)) if e.local() == item_name => {
                buf.truncate(start);
                if !item(buf, start) {
                    return Ok(());
                }
                start = buf.len();
            }
            Ok(Event::End(e)) => match e.local() {
                n if n == item_name => {
                    in_item = false;
                    if let Cow::Owned(decoded) = unescape(&buf[start..]) {
                        buf.truncate(start);
                        buf.push_str(&decoded);
                    }
                    if !item(buf, start) {
                        return Ok(());
                    }
                    start = buf.len();
                }
                "rPh" => phonetic = phonetic.saturating_sub(1),
                "t" => in_t = false,
                _ => {}
            },
            Ok(Event::Eof) => return Ok(()),
            Ok(Event::Text(t) | Event::CData(t)) => {
                // The cap is per item: `buf` may hold a whole shared string table.
                if in_item && in_t && phonetic == 0 && xml::fits(&buf[start..], t.raw().len()) {
                    t.push_to(buf);
                }
            }
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// The shared string table, in order; each string is shared by the cells that use it.
/// The shared string table, held while the sheets are read: at most `held` bytes (texts
/// and their ends together).
pub fn shared_strings<'t>(
    src: impl Into<xml::Reader<'t>>,
    held: u64,
) -> Result<SharedStrings, PartError> {
    let (mut text, mut ends) = (String::new(), Vec::new());
    let mut full = false;
    string_items(src, "si", &mut text, |text, _| {
        match u32::try_from(text.len()) {
            Ok(end) => ends.push(end),
            Err(_) => full = true,
        }
        full |= (text.len() + 4 * ends.len()) as u64 > held;
        !full
    })?;
    if full {
        return Err(PartError::Limit(
            Limit::Memory,
            format!(
                "the shared strings hold more than a quarter of max_memory ({} MiB)",
                held >> 20
            ),
        ));
    }
    Ok(SharedStrings::from_parts(text, ends))
}

/// For each cell format (`cellXfs` entry), the number format code when it pads numbers
/// with zeros (`00000000000`, `000000 00000`): the only formats that change digits.
#[derive(Debug, Default)]
pub struct Styles {
    padding: Vec<Option<Arc<Pad>>>,
}

impl Styles {
    pub fn parse(text: &str) -> Result<Styles, PartError> {
        let mut codes: HashMap<u32, String> = HashMap::new();
        let mut padding = Vec::new();
        let mut r = xml::reader(text);
        let mut in_xfs = false;
        let mut pads: HashMap<u32, Option<Arc<Pad>>> = HashMap::new();
        loop {
            match r.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) if e.is("numFmt") => {
                    if let (Some(id), Some(code)) = (
                        e.attr("numFmtId").and_then(|v| v.parse().ok()),
                        e.attr("formatCode"),
                    ) {
                        codes.insert(id, code);
                    }
                }
                Ok(Event::Start(e)) if e.is("cellXfs") => in_xfs = true,
                Ok(Event::End(e)) if e.local() == "cellXfs" => in_xfs = false,
                Ok(Event::Start(e) | Event::Empty(e)) if in_xfs && e.is("xf") => {
                    let id: u32 = e.attr("numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0);
                    let pad = pads.entry(id).or_insert_with(|| {
                        codes.get(&id).and_then(|c| Pad::parse(c)).map(Arc::new)
                    });
                    padding.push(pad.clone());
                }
                Ok(Event::Eof) => return Ok(Styles { padding }),
                Ok(_) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn pad(&self, style: usize) -> Option<&Pad> {
        self.padding.get(style)?.as_deref()
    }
}

/// A number format made of zero placeholders and literal characters: `000000 00000`.
#[derive(Debug, PartialEq, Eq)]
pub struct Pad {
    /// `None` is a digit placeholder.
    tokens: Vec<Option<char>>,
}

impl Pad {
    /// The format if it is only zeros and literals (the first section: positive numbers).
    pub fn parse(code: &str) -> Option<Pad> {
        let mut tokens = Vec::new();
        let mut chars = code.chars();
        while let Some(c) = chars.next() {
            match c {
                ';' => break,
                '0' => tokens.push(None),
                '"' => {
                    for q in chars.by_ref() {
                        if q == '"' {
                            break;
                        }
                        tokens.push(Some(q));
                    }
                }
                '\\' => tokens.push(Some(chars.next()?)),
                '[' => {
                    // Colour or condition: shown as nothing.
                    for q in chars.by_ref() {
                        if q == ']' {
                            break;
                        }
                    }
                }
                ' ' | '-' | '/' | '(' | ')' | ':' => tokens.push(Some(c)),
                _ => return None,
            }
        }
        let zeros = tokens.iter().filter(|t| t.is_none()).count();
        (zeros >= 2).then_some(Pad { tokens })
    }

    /// A non-negative integer as the format shows it; digits beyond the placeholders go
    /// before the first one, as in Excel.
    pub fn show(&self, digits: &str) -> String {
        let zeros = self.tokens.iter().filter(|t| t.is_none()).count();
        let padded = format!("{digits:0>zeros$}");
        let extra = padded.len() - zeros;
        let mut it = padded.chars();
        let mut out = String::new();
        let mut first = true;
        for t in &self.tokens {
            match t {
                Some(c) => out.push(*c),
                None => {
                    if first {
                        out.extend(it.by_ref().take(extra));
                        first = false;
                    }
                    out.extend(it.next());
                }
            }
        }
        out
    }
}

/// A number as stored in a cell, with integers written out in full (`1.5108612345E10` →
/// `15108612345`): the digits are what matter, whatever notation the writer chose.
pub fn number_text(v: &str) -> Cow<'_, str> {
    let v = trimmed(v);
    if v.bytes().all(|b| b.is_ascii_digit()) {
        return Cow::Borrowed(v);
    }
    match v.parse::<f64>() {
        // Below 1e15 a whole float is an exact i64, written with the same digits as
        // `{f:.0}` writes it (that one takes the exact-precision float formatter: about
        // 1,700 instructions a number). Only -0 keeps its sign there.
        Ok(f) if f == 0.0 && f.is_sign_negative() => Cow::Borrowed("-0"),
        Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => Cow::Owned((f as i64).to_string()),
        _ => Cow::Borrowed(v),
    }
}

/// Whether `number_text` leaves a number as stored (trimmed) and it is no identifier, told
/// without parsing it: one to seven digits, or at most six digits, a point and a fraction
/// whose first nine digits are neither all zeros nor all nines (at least 10⁻⁹ from a whole
/// number, far more than a float below a million rounds by, so it stays a fraction).
fn short_number(v: &str) -> bool {
    let v = trimmed(v).as_bytes();
    let int = v.iter().take_while(|b| b.is_ascii_digit()).count();
    match v.get(int) {
        None => (1..8).contains(&int),
        Some(b'.') if int <= 6 => {
            let fraction = &v[int + 1..];
            let first = &fraction[..fraction.len().min(9)];
            fraction.iter().all(u8::is_ascii_digit)
                && first.iter().any(|&d| d != b'0')
                && first.iter().any(|&d| d != b'9')
        }
        _ => false,
    }
}

/// Parses a cell reference (`C4`) into row and column, from 1.
pub fn cell_ref(r: &str) -> Option<(u32, u32)> {
    // One pass over the bytes: this runs for every cell.
    let (mut col, mut row, mut digits) = (0u32, 0u32, false);
    for b in r.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' if !digits => {
                let n = u32::from(b.to_ascii_uppercase() - b'A' + 1);
                col = col.checked_mul(26)?.checked_add(n)?;
            }
            b'0'..=b'9' => {
                digits = true;
                row = row.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
            }
            _ => return None,
        }
    }
    (col > 0 && digits).then_some((row, col))
}

/// What a worksheet needs from the rest of the workbook.
pub struct SheetContext<'a> {
    pub name: Arc<str>,
    pub strings: &'a Arc<SharedStrings>,
    pub styles: &'a Styles,
}

/// Emits the cells of a worksheet (or macro/dialog sheet), its header/footer strings and
/// its data-validation lists and messages.
pub fn worksheet<'t>(
    src: impl Into<xml::Reader<'t>>,
    cx: &SheetContext,
    out: &mut Emitter,
) -> Result<(), PartError> {
    let mut r = src.into();
    // Hidden column ranges; rows are hidden by their own element.
    let mut hidden_cols: Vec<(u32, u32)> = Vec::new();
    let (mut row, mut row_hidden) = (0u32, false);
    let mut col = 0u32;
    let mut cell: Option<Cell> = None;
    let mut value = String::new();
    // A cell's formula (`<f>`): it may hold literal text the value does not show.
    let mut formula = String::new();
    let mut collecting: Option<Collect> = None;
    let mut phonetic = 0u32;
    let mut validation: Option<(String, Vec<String>)> = None;
    // A cell just started: its value is most likely `<v>…</v>`, read in one call.
    let mut value_next = false;
    loop {
        if std::mem::take(&mut value_next) {
            // A formula cell: `<f>…</f><v>…</v>`, both read in one call each.
            // As read as events: within the piece's cap, a cut recorded.
            if let Some(text) = r.simple_element("f")? {
                xml::push_text(&Event::Text(text), &mut formula);
            }
            if let Some(text) = r.simple_element("v")?
                && phonetic == 0
            {
                xml::push_text(&Event::Text(text), &mut value);
            }
        }
        // Cells read plainly when written plainly (almost always): a cell's start and end
        // tags in one pass each instead of events and an attribute walk.
        if let Some((empty, [r_, t, s])) = r.plain_start("c", ["r", "t", "s"]) {
            let (r_, c_) = r_
                .and_then(cell_ref)
                .unwrap_or((row.max(1), col.saturating_add(1)));
            col = c_;
            if !empty {
                let c = Cell::new(r_, c_, t, s);
                value.clear();
                formula.clear();
                // A value and the cell's end, `<v>…</v></c>` (most cells of most sheets):
                // read in one call, and the cell ended as at `</c>`.
                if phonetic == 0
                    && let Some(text) = r.simple_element_closing("v", Some("c"))?
                {
                    xml::push_text(&Event::Text(text), &mut value);
                    let hidden = (row_hidden, &hidden_cols[..]);
                    end_cell(c, &value, &mut formula, hidden, cx, out);
                    // As the end tag leaves it: no cell open (one left open before this
                    // one, in a damaged sheet, was replaced by it).
                    (cell, collecting) = (None, None);
                    continue;
                }
                cell = Some(c);
                value_next = true;
            }
            continue;
        }
        if let Some((_, [r_, hidden])) = r.plain_start("row", ["r", "hidden"]) {
            (row, row_hidden) = row_start(row, r_, hidden);
            col = 0;
            continue;
        }
        let event = match r.plain_end("c") {
            Some(end) => Ok(end),
            None => r.read_event(),
        };
        // The element's local name, found once: sheets have millions of elements.
        let (start, name) = match &event {
            Ok(Event::Start(e)) => (true, e.local()),
            Ok(Event::Empty(e)) => (false, e.local()),
            _ => (false, ""),
        };
        match &event {
            Ok(Event::Start(e) | Event::Empty(e)) if name == "col" => {
                let [hidden, min, max] = e.attrs(["hidden", "min", "max"]);
                if hidden.and_then(|v| xml::parse_bool(&v)) == Some(true) {
                    let n =
                        |v: Option<std::borrow::Cow<str>>| v.and_then(|v| v.parse::<u32>().ok());
                    if let (Some(a), Some(b)) = (n(min), n(max)) {
                        hidden_cols.push((a, b));
                    }
                }
            }
            Ok(Event::Start(e) | Event::Empty(e)) if name == "row" => {
                let [r_, hidden] = e.attrs(["r", "hidden"]);
                (row, row_hidden) = row_start(row, r_.as_deref(), hidden.as_deref());
                col = 0;
            }
            Ok(Event::Start(e)) if name == "c" => {
                // One pass over the attributes: this runs for every cell.
                let [r_, t, s] = e.attrs(["r", "t", "s"]);
                let (r_, c_) = r_
                    .and_then(|v| cell_ref(&v))
                    .unwrap_or((row.max(1), col.saturating_add(1)));
                col = c_;
                cell = Some(Cell::new(r_, c_, t.as_deref(), s.as_deref()));
                value.clear();
                formula.clear();
                value_next = true;
            }
            Ok(Event::Empty(e)) if name == "c" => {
                let [r_] = e.attrs(["r"]);
                col = r_
                    .and_then(|v| cell_ref(&v))
                    .map_or(col.saturating_add(1), |(_, c)| c);
            }
            Ok(Event::Start(e)) if start => match name {
                "v" if cell.is_some() => collecting = Some(Collect::Value),
                "t" if cell.is_some() => collecting = Some(Collect::Value),
                // Children of a shared formula are empty elements: only the first cell of
                // the range holds the text, so they cost nothing.
                "f" if cell.is_some() => collecting = Some(Collect::Formula),
                "rPh" => phonetic += 1,
                "oddHeader" | "oddFooter" | "evenHeader" | "evenFooter" | "firstHeader"
                | "firstFooter" => {
                    collecting = Some(Collect::HeaderFooter);
                    value.clear();
                }
                "dataValidation" => {
                    let mut texts = Vec::new();
                    for k in ["promptTitle", "prompt", "errorTitle", "error"] {
                        texts.extend(e.attr(k).filter(|t| !t.trim().is_empty()));
                    }
                    let range = e.attr("sqref").unwrap_or_default();
                    validation = Some((range, texts));
                }
                "formula1" | "formula2" if validation.is_some() => {
                    collecting = Some(Collect::Validation);
                    value.clear();
                }
                _ => {}
            },
            Ok(Event::End(e)) => match e.local() {
                "c" => {
                    if let Some(c) = cell.take() {
                        let hidden = (row_hidden, &hidden_cols[..]);
                        end_cell(c, &value, &mut formula, hidden, cx, out);
                    }
                    collecting = None;
                }
                "v" | "t" if matches!(collecting, Some(Collect::Value)) => collecting = None,
                "f" if matches!(collecting, Some(Collect::Formula)) => {
                    collecting = None;
                    // The value comes next (`<f t="shared" …>…</f><v>…</v>`).
                    value_next = true;
                }
                "rPh" => phonetic = phonetic.saturating_sub(1),
                name @ ("oddHeader" | "oddFooter" | "evenHeader" | "evenFooter" | "firstHeader"
                | "firstFooter") => {
                    collecting = None;
                    let kind = if name.ends_with("Header") {
                        Kind::Header
                    } else {
                        Kind::Footer
                    };
                    let noun = if kind == Kind::Header {
                        "topptekst"
                    } else {
                        "bunntekst"
                    };
                    out.push(Piece::new(
                        header_footer_text(&value),
                        kind,
                        &cx.name,
                        Place::Named(format!("{noun} ({name})").into()),
                    ));
                }
                "formula1" | "formula2" => {
                    collecting = None;
                    if let Some((_, texts)) = validation.as_mut() {
                        texts.push(validation_list(&value));
                    }
                }
                "dataValidation" => {
                    if let Some((range, texts)) = validation.take() {
                        let place = Place::Named(format!("datavalidering {range}").into());
                        out.push(Piece::new(
                            texts.join("\n"),
                            Kind::DataValidation,
                            &cx.name,
                            place,
                        ));
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => return Ok(()),
            Ok(ev) => match collecting {
                Some(Collect::Formula) => xml::push_text(ev, &mut formula),
                Some(_) if phonetic == 0 => xml::push_text(ev, &mut value),
                _ => {}
            },
            Err(e) => return Err(e.clone().into()),
        }
    }
}

/// A cell at its end: its value's piece and its formula's, flagged as the cell is hidden
/// (`hidden`: whether its row is, and the hidden column ranges).
#[inline(always)]
fn end_cell(
    c: Cell,
    value: &str,
    formula: &mut String,
    (row_hidden, hidden_cols): (bool, &[(u32, u32)]),
    cx: &SheetContext,
    out: &mut Emitter,
) {
    let mut flags = Flags::NONE;
    if row_hidden {
        flags |= Flags::HIDDEN_ROW;
    }
    if hidden_cols.iter().any(|&(a, b)| (a..=b).contains(&c.col)) {
        flags |= Flags::HIDDEN_COLUMN;
    }
    // A spent budget stops the copying of shared strings, not the parse.
    if !out.exhausted()
        && let Some(p) = c.piece(value, cx, flags, out)
    {
        out.push(p.with_flags(flags));
    }
    if !trimmed(formula).is_empty() {
        let place = Place::Cell {
            row: c.row,
            col: c.col,
        };
        let text = std::mem::take(formula);
        out.push(Piece::new(text, Kind::Formula, &cx.name, place).with_flags(flags));
    }
}

/// A row's number and whether it is hidden, by its `r` and `hidden` attributes; `last` is
/// the row before.
fn row_start(last: u32, r: Option<&str>, hidden: Option<&str>) -> (u32, bool) {
    let row = r
        .and_then(|v| v.parse().ok())
        .unwrap_or(last.saturating_add(1));
    (row, hidden.and_then(xml::parse_bool) == Some(true))
}

enum Collect {
    Value,
    Formula,
    HeaderFooter,
    Validation,
}

struct Cell {
    row: u32,
    col: u32,
    kind: CellType,
    style: usize,
}

impl Cell {
    /// A cell at `row` and `col` by its `t` and `s` attributes.
    fn new(row: u32, col: u32, t: Option<&str>, s: Option<&str>) -> Cell {
        Cell {
            row,
            col,
            kind: CellType::of(t.unwrap_or("")),
            style: s.and_then(|v| v.parse().ok()).unwrap_or(0),
        }
    }
}

/// A cell's `t` attribute.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CellType {
    Shared,
    Inline,
    Formula,
    Bool,
    Error,
    Date,
    Number,
}

impl CellType {
    fn of(t: &str) -> CellType {
        match t {
            "s" => CellType::Shared,
            "inlineStr" => CellType::Inline,
            "str" => CellType::Formula,
            "b" => CellType::Bool,
            "e" => CellType::Error,
            "d" => CellType::Date,
            _ => CellType::Number,
        }
    }
}

impl Cell {
    /// The cell's piece, unless it holds nothing or `out` does not want it. Inlined: a
    /// call returns the piece by copying it, for every cell.
    #[inline(always)]
    fn piece(
        &self,
        value: &str,
        cx: &SheetContext,
        flags: Flags,
        out: &mut Emitter,
    ) -> Option<Piece> {
        let place = Place::Cell {
            row: self.row,
            col: self.col,
        };
        let text: PieceText = match self.kind {
            CellType::Shared => cx
                .strings
                .piece_text(trimmed(value).parse::<usize>().ok()?)?,
            CellType::Inline | CellType::Formula => unescape(value).into(),
            // Booleans and errors hold no text.
            CellType::Bool | CellType::Error => return None,
            CellType::Date => value.into(),
            CellType::Number => {
                // Most cells: a number too short to write out as an identifier, told
                // without parsing it (and passed over at the same length).
                if short_number(value) && !out.wants_short_number(trimmed(value), flags) {
                    return None;
                }
                let stored = number_text(value);
                if !out.wants_number(&stored, flags) {
                    return None;
                }
                let stored = PieceText::from(stored);
                let shown = cx
                    .styles
                    .pad(self.style)
                    .filter(|_| stored.bytes().all(|b| b.is_ascii_digit()))
                    .map(|p| p.show(&stored))
                    .filter(|s| *s != *stored);
                let mut p = Piece::new(stored, Kind::Cell, &cx.name, place);
                p.number = true;
                p.shown = shown;
                return Some(p);
            }
        };
        Some(Piece::new(text, Kind::Cell, &cx.name, place))
    }
}

/// A header/footer string without its formatting codes (`&L`, `&"Arial,Bold"`, `&12`,
/// `&K00FF00`); sections are separated by spaces, fields like `&P` are left out.
pub fn header_footer_text(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '&' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('&') => out.push('&'),
            Some('L' | 'C' | 'R') => out.push(' '),
            Some('"') => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            Some('K') => {
                for _ in 0..6 {
                    chars.next();
                }
            }
            Some(d) if d.is_ascii_digit() => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
            // &P, &N, &D, &T, &F, &A, &Z, &G, &B, &I, &U, &S, &X, &Y, &E: fields and styles.
            _ => {}
        }
    }
    // Section breaks and dropped fields leave runs of spaces.
    let mut text = String::with_capacity(out.len());
    for c in out.trim().chars() {
        if !(c == ' ' && text.ends_with(' ')) {
            text.push(c);
        }
    }
    text
}

/// A validation formula: a literal list (`"Ja,Nei"`) as its items, anything else as written.
fn validation_list(f: &str) -> String {
    let f = f.trim();
    match f.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(list) => list.replace("\"\"", "\""),
        None => f.to_string(),
    }
}

/// Legacy comments: one piece per comment at its cell; authors once each.
pub fn comments(text: &str, sheet: &Arc<str>, out: &mut Emitter) -> Result<(), PartError> {
    let mut refs = Vec::new();
    let mut authors = Vec::new();
    let mut r = xml::reader(text);
    let mut in_author = false;
    let mut author = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.is("author") => {
                in_author = true;
                author.clear();
            }
            Ok(Event::End(e)) if e.local() == "author" => {
                in_author = false;
                authors.push(std::mem::take(&mut author));
            }
            Ok(Event::Start(e)) if e.is("comment") => refs.push(e.attr("ref").unwrap_or_default()),
            Ok(Event::Eof) => break,
            Ok(ev) => {
                if in_author {
                    xml::push_text(&ev, &mut author);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    for a in authors {
        out.push(
            Piece::new(a, Kind::Comment, sheet, Place::Named("forfatter".into()))
                .with_flags(Flags::COMMENT | Flags::METADATA),
        );
    }
    let mut refs = refs.into_iter();
    string_items(text, "text", &mut String::new(), |buf, _| {
        let place = refs
            .next()
            .and_then(|r| cell_ref(&r))
            .map_or(Place::Whole, |(row, col)| Place::Cell { row, col });
        let text = std::mem::take(buf);
        out.push(Piece::new(text, Kind::Comment, sheet, place).with_flags(Flags::COMMENT));
        true
    })
}

/// Threaded comments (Excel 365): one piece per comment or reply at its cell.
pub fn threaded_comments(text: &str, sheet: &Arc<str>, out: &mut Emitter) -> Result<(), PartError> {
    let mut r = xml::reader(text);
    let mut place: Option<Place> = None;
    let mut in_text = false;
    let mut buf = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.is("threadedComment") => {
                place = Some(
                    e.attr("ref")
                        .and_then(|v| cell_ref(&v))
                        .map_or(Place::Whole, |(row, col)| Place::Cell { row, col }),
                );
            }
            Ok(Event::Start(e)) if e.is("text") => {
                in_text = true;
                buf.clear();
            }
            Ok(Event::End(e)) if e.local() == "text" => {
                in_text = false;
                if let Some(p) = place.clone() {
                    let piece = Piece::new(unescape(&buf), Kind::Comment, sheet, p);
                    out.push(piece.with_flags(Flags::COMMENT));
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(ev) => {
                if in_text {
                    xml::push_text(&ev, &mut buf);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The people of threaded comments: display names (and their user ids, often e-mail). A
/// list of people is metadata, not a comment: HID-02 is about what comments say.
pub fn persons(text: &str, out: &mut Emitter) -> Result<(), PartError> {
    let area: Arc<str> = "kommentarpersoner".into();
    each_element(text, "person", |e| {
        let name = [e.attr("displayName"), e.attr("userId")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
        out.push(
            Piece::new(name, Kind::Metadata, &area, Place::Named("person".into()))
                .with_flags(Flags::METADATA),
        );
    })
}

/// Calls `f` for every element with the given local name (start or empty).
fn each_element(text: &str, name: &str, mut f: impl FnMut(&xml::Tag)) -> Result<(), PartError> {
    let mut r = xml::reader(text);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.is(name) => f(&e),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// A table's name and column names (the header row as the table defines it).
pub fn table(text: &str, sheet: &str, out: &mut Emitter) -> Result<(), PartError> {
    let mut area: Arc<str> = sheet.into();
    let mut n = 0;
    let mut r = xml::reader(text);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.is("table") => {
                let name = e
                    .attr("displayName")
                    .or_else(|| e.attr("name"))
                    .unwrap_or_default();
                area = if sheet.is_empty() {
                    format!("tabell «{name}»").into()
                } else {
                    format!("{sheet}, tabell «{name}»").into()
                };
            }
            Ok(Event::Start(e) | Event::Empty(e)) if e.is("tableColumn") => {
                n += 1;
                let name = e.attr("name").unwrap_or_default();
                out.push(Piece::new(
                    unescape(&name),
                    Kind::TableColumn,
                    &area,
                    Place::Named(format!("kolonne {n}").into()),
                ));
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// A pivot cache definition: field names and their shared items. Returns the field names,
/// for naming the values of the cache's records.
pub fn pivot_cache(
    text: &str,
    area: &Arc<str>,
    out: &mut Emitter,
) -> Result<Vec<String>, PartError> {
    let mut fields = Vec::new();
    let mut r = xml::reader(text);
    let mut field: Option<Place> = None;
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.is("cacheField") => {
                let name = e.attr("name").unwrap_or_default();
                let place = Place::Named(format!("felt «{name}»").into());
                out.push(
                    Piece::new(unescape(&name), Kind::PivotCache, area, place.clone())
                        .with_flags(Flags::CACHE),
                );
                fields.push(name);
                field = Some(place);
            }
            Ok(Event::Start(e) | Event::Empty(e)) if matches!(e.local(), "s" | "n" | "d" | "e") => {
                if let (Some(v), Some(place)) = (e.attr("v"), &field) {
                    pivot_value(out, &e, &v, area, || place.clone());
                }
            }
            Ok(Event::End(e)) if e.local() == "cacheField" => field = None,
            Ok(Event::Eof) => return Ok(fields),
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// Pushes a pivot cache's value (`<s v="…"/>`, `<n v="…"/>`, …); a number only if `out`
/// wants it.
fn pivot_value(
    out: &mut Emitter,
    e: &xml::Tag,
    v: &str,
    area: &Arc<str>,
    place: impl FnOnce() -> Place,
) {
    let number = e.is("n");
    let text = if number {
        let n = number_text(v);
        if !out.wants_number(&n, Flags::CACHE) {
            return;
        }
        n
    } else {
        unescape(v)
    };
    let mut p = Piece::new(text, Kind::PivotCache, area, place());
    p.number = number;
    out.push(p.with_flags(Flags::CACHE));
}

/// Pivot cache records: values kept inline (not as indexes into shared items).
pub fn pivot_records<'t>(
    src: impl Into<xml::Reader<'t>>,
    area: &Arc<str>,
    fields: &[String],
    out: &mut Emitter,
) -> Result<(), PartError> {
    let mut r = src.into();
    let (mut record, mut field) = (0u32, 0usize);
    let names: Vec<Arc<str>> = fields.iter().map(|f| f.as_str().into()).collect();
    let unnamed: Arc<str> = "?".into();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.is("r") => {
                record += 1;
                field = 0;
            }
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let local = e.local();
                if matches!(local, "s" | "n" | "d" | "e")
                    && let [Some(v)] = e.attrs(["v"])
                {
                    let name = names.get(field).unwrap_or(&unnamed);
                    let place = || Place::Record {
                        record,
                        field: name.clone(),
                    };
                    pivot_value(out, &e, &v, area, place);
                }
                if matches!(local, "s" | "n" | "d" | "e" | "x" | "b" | "m") {
                    field += 1;
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// An external link's cached copy of another workbook: sheet names, defined names and cell
/// values. `source` is the linked file's path, from the part's relationship.
pub fn external_link(
    text: &str,
    n: usize,
    source: Option<&str>,
    out: &mut Emitter,
) -> Result<(), PartError> {
    let area: &Arc<str> = &format!("ekstern kobling {n}").into();
    if let Some(s) = source {
        out.push(
            Piece::new(
                s.to_string(),
                Kind::ExternalLink,
                area,
                Place::Named("kilde".into()),
            )
            .with_flags(Flags::CACHE | Flags::METADATA),
        );
    }
    let mut sheets: Vec<Arc<str>> = Vec::new();
    let mut sheet: Arc<str> = area.clone();
    let mut cell: Option<Place> = None;
    let mut value = String::new();
    let mut in_v = false;
    let mut r = xml::reader(text);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.is("sheetName") => {
                let name = e.attr("val").unwrap_or_default();
                let place = Place::Named(format!("ark {}", sheets.len() + 1).into());
                sheets.push(format!("[{n}]{name}").into());
                out.push(
                    Piece::new(name, Kind::ExternalLink, area, place).with_flags(Flags::CACHE),
                );
            }
            Ok(Event::Start(e) | Event::Empty(e)) if e.is("definedName") => {
                let name = e.attr("name").unwrap_or_default();
                let refers = e.attr("refersTo").unwrap_or_default();
                out.push(
                    Piece::new(
                        format!("{name} = {refers}"),
                        Kind::ExternalLink,
                        area,
                        Place::Named(format!("navn «{name}»").into()),
                    )
                    .with_flags(Flags::CACHE),
                );
            }
            Ok(Event::Start(e)) if e.is("sheetData") => {
                let id: usize = e.attr("sheetId").and_then(|v| v.parse().ok()).unwrap_or(0);
                sheet = sheets.get(id).cloned().unwrap_or_else(|| area.clone());
            }
            Ok(Event::Start(e)) if e.is("cell") => {
                cell = Some(
                    e.attr("r")
                        .and_then(|v| cell_ref(&v))
                        .map_or(Place::Whole, |(row, col)| Place::Cell { row, col }),
                );
                value.clear();
            }
            Ok(Event::Start(e)) if e.is("v") => in_v = true,
            Ok(Event::End(e)) => match e.local() {
                "v" => in_v = false,
                "cell" => {
                    if let Some(place) = cell.take() {
                        let piece = Piece::new(unescape(&value), Kind::ExternalLink, &sheet, place);
                        out.push(piece.with_flags(Flags::CACHE));
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => return Ok(()),
            Ok(ev) => {
                if in_v {
                    xml::push_text(&ev, &mut value);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
#[path = "spreadsheetml_tests.rs"]
mod tests;
