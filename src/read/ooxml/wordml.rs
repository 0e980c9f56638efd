//! Text of WordprocessingML parts: the body, headers and footers, footnotes and endnotes,
//! comments and the glossary document. One pull parse per part, no DOM.
//!
//! Runs are joined per paragraph, so a number Word split over several `w:r` is one number.
//! Tracked insertions and hidden runs stay in the paragraph's text and are marked by spans;
//! tracked deletions are gone from the paragraph as shown, so they become a piece of their
//! own. Table cells, comments and notes are one piece each, their paragraphs joined by line
//! breaks. `mc:Fallback` content is skipped: Word writes every text box twice.

use std::sync::Arc;

use crate::read::xml::mce::{Branch, Mce};
use crate::read::xml::{Event, Tag};

use crate::read::text::{Emitter, Piece, Place, Span};

use crate::model::{Flags, Kind};
use crate::read::error::PartError;
use crate::read::xml;

/// Which WordprocessingML part this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Body,
    Header,
    Footer,
    Footnotes,
    Endnotes,
    Comments,
    Glossary,
}

/// Text gathered for one paragraph or one aggregate (cell, comment, note).
#[derive(Default)]
struct Buf {
    text: String,
    spans: Vec<Span>,
    deleted: String,
    /// The last text added was deleted text: more deleted text continues it.
    in_deletion: bool,
    /// Hidden runs (`w:vanish`), out of the text as shown: a hidden digit inside a number
    /// must not hide the number Word shows, nor hide itself.
    hidden: String,
    in_hidden: bool,
    fields: String,
}

impl Buf {
    fn push(&mut self, s: &str, flags: Flags) {
        if flags.contains(Flags::HIDDEN) {
            return self.push_hidden(s);
        }
        if !xml::fits(&self.text, s.len()) {
            return;
        }
        let start = self.text.len();
        self.text.push_str(s);
        self.in_deletion = false;
        self.in_hidden = false;
        if flags.is_empty() {
            return;
        }
        match self.spans.last_mut() {
            Some(last) if last.end == start && last.flags == flags => last.end = self.text.len(),
            _ => self.spans.push(Span {
                start,
                end: self.text.len(),
                flags,
            }),
        }
    }

    fn push_deleted(&mut self, s: &str) {
        if !xml::fits(&self.deleted, s.len() + 1) {
            return;
        }
        if !self.in_deletion && !self.deleted.is_empty() {
            self.deleted.push(' ');
        }
        self.deleted.push_str(s);
        self.in_deletion = true;
    }

    fn push_hidden(&mut self, s: &str) {
        if !xml::fits(&self.hidden, s.len() + 1) {
            return;
        }
        if !self.in_hidden && !self.hidden.is_empty() {
            self.hidden.push(' ');
        }
        self.hidden.push_str(s);
        self.in_hidden = true;
    }

    fn push_field(&mut self, s: &str) {
        if !xml::fits(&self.fields, s.len() + 1) {
            return;
        }
        if !self.fields.is_empty() && !self.fields.ends_with(' ') {
            self.fields.push(' ');
        }
        self.fields.push_str(s.trim());
    }

    /// Appends a finished paragraph, on a new line.
    fn append(&mut self, p: Buf) {
        if !xml::fits(
            &self.text,
            p.text.len() + p.deleted.len() + p.hidden.len() + p.fields.len() + 4,
        ) {
            return;
        }
        let join = |a: &mut String, b: &str| {
            if !b.is_empty() {
                if !a.is_empty() {
                    a.push('\n');
                }
                a.push_str(b);
            }
        };
        if !p.text.is_empty() && !self.text.is_empty() {
            self.text.push('\n');
        }
        let base = self.text.len();
        self.text.push_str(&p.text);
        self.spans.extend(p.spans.into_iter().map(|s| Span {
            start: s.start + base,
            end: s.end + base,
            flags: s.flags,
        }));
        join(&mut self.deleted, &p.deleted);
        join(&mut self.hidden, &p.hidden);
        join(&mut self.fields, &p.fields);
    }
}

/// The character `w:sym` shows, where it is text: its code as a character, or one of the
/// digits the Symbol font has at U+F030–U+F039. Other private-use codes are pictures in a
/// symbol font (Wingdings' smiley is U+F04A), not text.
fn sym_char(font: &str, code: &str) -> Option<char> {
    let n = u32::from_str_radix(code.trim(), 16).ok()?;
    let n = match n {
        0xF030..=0xF039 if font.eq_ignore_ascii_case("symbol") => n - 0xF000,
        0xE000..=0xF8FF => return None,
        n => n,
    };
    char::from_u32(n).filter(|c| !c.is_control())
}

/// A place paragraphs go to.
enum Container {
    /// The part's own flow (body, header): paragraphs are pieces of their own.
    Flow {
        kind: Kind,
        area: Arc<str>,
        paras: u32,
    },
    /// A text box: its paragraphs are pieces of their own.
    TextBox {
        area: Arc<str>,
        paras: u32,
    },
    Table {
        n: u32,
        row: u32,
        col: u32,
    },
    /// A table cell, comment or note: one piece for all its paragraphs.
    Aggregate {
        kind: Kind,
        area: Arc<str>,
        place: Place,
        flags: Flags,
        buf: Buf,
    },
}

struct Parser<'e, 'a, 's> {
    out: &'e mut Emitter<'a, 's>,
    part: Part,
    containers: Vec<Container>,
    paras: Vec<Buf>,
    tables: u32,
    text_boxes: u32,
    items: u32,
    del: u32,
    ins: u32,
    /// Depth inside the paragraph properties (whose run properties describe the mark only).
    ppr: u32,
    /// Depth inside a run's properties, and inside a recorded property change.
    rpr: u32,
    change: u32,
    run_hidden: bool,
    /// The element whose text is being collected, and whether it keeps its spaces.
    collecting: Option<(Collect, bool)>,
    chars: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Collect {
    Text,
    Deleted,
    Field,
}

/// Extracts the text of one WordprocessingML part. `area` names the part for people
/// (`topptekst 1`, or `""` for the body).
pub fn extract<'t>(
    src: impl Into<xml::Reader<'t>>,
    part: Part,
    area: &str,
    out: &mut Emitter,
) -> Result<(), PartError> {
    let kind = match part {
        Part::Body => Kind::Body,
        Part::Header => Kind::Header,
        Part::Footer => Kind::Footer,
        Part::Footnotes => Kind::Footnote,
        Part::Endnotes => Kind::Endnote,
        Part::Comments => Kind::Comment,
        Part::Glossary => Kind::Glossary,
    };
    let mut p = Parser {
        out,
        part,
        containers: vec![Container::Flow {
            kind,
            area: area.into(),
            paras: 0,
        }],
        paras: Vec::new(),
        tables: 0,
        text_boxes: 0,
        items: 0,
        del: 0,
        ins: 0,
        ppr: 0,
        rpr: 0,
        change: 0,
        run_hidden: false,
        collecting: None,
        chars: String::new(),
    };
    let mut r = src.into();
    let mut mce = Mce::default();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => {
                if mce.start(&e) == Branch::Skip {
                    r.skip_to_end()?;
                    continue;
                }
                p.start(&e);
            }
            Ok(Event::Empty(e)) => p.empty(&e),
            Ok(Event::End(e)) => {
                mce.end(e.local());
                p.end(e.local())
            }
            Ok(ev) => {
                if p.collecting.is_some() {
                    xml::push_text(&ev, &mut p.chars);
                }
                if matches!(ev, Event::Eof) {
                    return Ok(());
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
}

impl Parser<'_, '_, '_> {
    fn start(&mut self, e: &Tag) {
        match e.local() {
            "p" => self.paras.push(Buf::default()),
            "tbl" => {
                self.tables += 1;
                self.containers.push(Container::Table {
                    n: self.tables,
                    row: 0,
                    col: 0,
                });
            }
            "tr" => {
                if let Some(Container::Table { row, col, .. }) = self.containers.last_mut() {
                    *row += 1;
                    *col = 0;
                }
            }
            "tc" => self.start_cell(),
            "txbxContent" => {
                self.text_boxes += 1;
                self.containers.push(Container::TextBox {
                    area: self.nested_area(&format!("tekstboks {}", self.text_boxes)),
                    paras: 0,
                });
            }
            "comment" if self.part == Part::Comments => {
                self.items += 1;
                let area: Arc<str> = format!("kommentar {}", self.items).into();
                if let Some(author) = e.attr("author").filter(|a| !a.trim().is_empty()) {
                    self.out.push(
                        Piece::new(
                            author,
                            Kind::Metadata,
                            &area,
                            Place::Named("forfatter".into()),
                        )
                        .with_flags(Flags::METADATA),
                    );
                }
                self.containers.push(Container::Aggregate {
                    kind: Kind::Comment,
                    area,
                    place: Place::Whole,
                    flags: Flags::COMMENT,
                    buf: Buf::default(),
                });
            }
            "footnote" | "endnote" if matches!(self.part, Part::Footnotes | Part::Endnotes) => {
                // Separators carry no text; notes are numbered by their id.
                let (kind, noun) = match self.part {
                    Part::Footnotes => (Kind::Footnote, "fotnote"),
                    _ => (Kind::Endnote, "sluttnote"),
                };
                let id = e.attr("id").unwrap_or_default();
                self.containers.push(Container::Aggregate {
                    kind,
                    area: format!("{noun} {id}").into(),
                    place: Place::Whole,
                    flags: Flags::NONE,
                    buf: Buf::default(),
                });
            }
            "del" | "moveFrom" if self.ppr == 0 && self.rpr == 0 => self.del += 1,
            "ins" | "moveTo" if self.ppr == 0 && self.rpr == 0 => self.ins += 1,
            "pPr" => self.ppr += 1,
            "r" => self.run_hidden = false,
            "rPr" => self.rpr += 1,
            "rPrChange" | "pPrChange" => self.change += 1,
            "t" => self.collect(e, Collect::Text),
            "delText" => self.collect(e, Collect::Deleted),
            "instrText" | "delInstrText" => self.collect(e, Collect::Field),
            _ => self.empty(e),
        }
    }

    /// Elements that matter whether or not they have content.
    fn empty(&mut self, e: &Tag) {
        match e.local() {
            "vanish" | "specVanish" | "webHidden"
                if self.rpr > 0 && self.ppr == 0 && self.change == 0 =>
            {
                self.run_hidden = e
                    .attr("val")
                    .and_then(|v| xml::parse_bool(&v))
                    .unwrap_or(true);
            }
            "tab" if self.ppr == 0 => self.text("\t"),
            "br" | "cr" => self.text("\n"),
            "noBreakHyphen" => self.text("-"),
            "softHyphen" => {}
            // A symbol character: a digit written this way is shown as one.
            "sym" if self.ppr == 0 => {
                let [font, code] = e.attrs(["font", "char"]);
                if let Some(c) = code.and_then(|c| sym_char(font.as_deref().unwrap_or(""), &c)) {
                    self.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            "fldSimple" => {
                if let (Some(instr), Some(p)) = (e.attr("instr"), self.paras.last_mut()) {
                    p.push_field(&instr);
                }
            }
            "docPr" => self.alt_text(e.attr("title"), e.attr("descr")),
            "shape" | "rect" | "roundrect" => self.alt_text(None, e.attr("alt")),
            "textpath" => {
                if let Some(s) = e.attr("string") {
                    let area = self.current_area();
                    self.out.push(
                        Piece::new(s, Kind::Watermark, &area, Place::Named("vannmerke".into()))
                            .with_flags(self.change_flags()),
                    );
                }
            }
            // Word writes both empty (`<w:gridSpan w:val="2"/>`), so they are handled here,
            // where start tags also end up.
            "gridSpan" => {
                // A merged cell spans grid columns: the next cell's number counts them.
                let span = grid_val(e);
                if let Some(Container::Table { col, .. }) = self.table_of_current_cell() {
                    *col = col.saturating_add(span.saturating_sub(1));
                }
            }
            "gridBefore" => {
                // Grid columns left out before a row's first cell.
                let skip = grid_val(e);
                if let Some(Container::Table { col, .. }) = self.containers.last_mut() {
                    *col = col.saturating_add(skip);
                }
            }
            "tc" => {
                // An empty cell still takes a column.
                self.start_cell();
                self.end("tc");
            }
            "p" => {
                self.paras.push(Buf::default());
                self.end("p");
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "p" => {
                if let Some(p) = self.paras.pop() {
                    self.deliver(p);
                }
            }
            "tc" => {
                if let Some(Container::Aggregate {
                    kind,
                    area,
                    place,
                    flags,
                    buf,
                }) = self.pop_if(|c| matches!(c, Container::Aggregate { .. }))
                {
                    self.emit(buf, kind, &area, place, flags);
                }
            }
            "tbl" => {
                self.pop_if(|c| matches!(c, Container::Table { .. }));
            }
            "txbxContent" => {
                self.pop_if(|c| matches!(c, Container::TextBox { .. }));
            }
            "comment" | "footnote" | "endnote" => {
                if self.paras.is_empty()
                    && let Some(Container::Aggregate {
                        kind,
                        area,
                        place,
                        flags,
                        buf,
                    }) = self.pop_if(|c| matches!(c, Container::Aggregate { .. }))
                {
                    self.emit(buf, kind, &area, place, flags);
                }
            }
            "del" | "moveFrom" if self.ppr == 0 && self.rpr == 0 => {
                self.del = self.del.saturating_sub(1)
            }
            "ins" | "moveTo" if self.ppr == 0 && self.rpr == 0 => {
                self.ins = self.ins.saturating_sub(1)
            }
            "pPr" => self.ppr = self.ppr.saturating_sub(1),
            "rPr" => self.rpr = self.rpr.saturating_sub(1),
            "rPrChange" | "pPrChange" => self.change = self.change.saturating_sub(1),
            "t" | "delText" | "instrText" | "delInstrText" => self.end_collect(),
            _ => {}
        }
    }

    fn collect(&mut self, e: &Tag, what: Collect) {
        let preserve = e.attr("space").is_some_and(|v| v == "preserve");
        self.collecting = Some((what, preserve));
        self.chars.clear();
    }

    fn end_collect(&mut self) {
        let Some((what, preserve)) = self.collecting.take() else {
            return;
        };
        let chars = std::mem::take(&mut self.chars);
        // Without xml:space="preserve", surrounding whitespace is not part of the text.
        let s = if preserve { &chars[..] } else { chars.trim() };
        let deleted = what == Collect::Deleted || (what == Collect::Text && self.del > 0);
        match (what, self.paras.last_mut()) {
            (Collect::Field, Some(p)) => p.push_field(s),
            (_, Some(p)) if deleted => p.push_deleted(s),
            (_, Some(_)) => self.text(s),
            (_, None) => {}
        }
        self.chars = chars;
    }

    /// Appends visible text (or a tab or break) to the current paragraph.
    fn text(&mut self, s: &str) {
        let mut flags = Flags::NONE;
        if self.run_hidden {
            flags |= Flags::HIDDEN;
        }
        if self.ins > 0 {
            flags |= Flags::INSERTED;
        }
        if self.del > 0 {
            if let Some(p) = self.paras.last_mut() {
                p.push_deleted(s);
            }
            return;
        }
        if let Some(p) = self.paras.last_mut() {
            p.push(s, flags);
        }
    }

    fn change_flags(&self) -> Flags {
        match (self.del > 0, self.ins > 0) {
            (true, _) => Flags::DELETED,
            (_, true) => Flags::INSERTED,
            _ => Flags::NONE,
        }
    }

    fn alt_text(&mut self, title: Option<String>, descr: Option<String>) {
        let text = [title, descr]
            .into_iter()
            .flatten()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if !text.is_empty() {
            let area = self.current_area();
            let place = Place::Named(self.para_label("alternativ tekst").into());
            self.out.push(
                Piece::new(text, Kind::AltText, &area, place).with_flags(self.change_flags()),
            );
        }
    }

    /// "alternativ tekst i avsnitt 12": where the current (unfinished) paragraph will be;
    /// inside a cell, comment or note the area says it all.
    fn para_label(&self, what: &str) -> String {
        match self.containers.last() {
            Some(Container::Flow { paras, .. } | Container::TextBox { paras, .. }) => {
                format!("{what} i avsnitt {}", paras + 1)
            }
            _ => what.to_string(),
        }
    }

    fn start_cell(&mut self) {
        let (kind, flow_area) = self.flow();
        let area = self.nested_area("");
        let area: Arc<str> = if area.is_empty() { flow_area } else { area };
        if let Some(Container::Table { n, row, col }) = self.containers.last_mut() {
            *col = col.saturating_add(1);
            let place = Place::Table {
                table: *n,
                row: (*row).max(1),
                col: *col,
            };
            let kind = if kind == Kind::Body {
                Kind::Table
            } else {
                kind
            };
            self.containers.push(Container::Aggregate {
                kind,
                area,
                place,
                flags: Flags::NONE,
                buf: Buf::default(),
            });
        }
    }

    /// The table the current cell belongs to.
    fn table_of_current_cell(&mut self) -> Option<&mut Container> {
        let n = self.containers.len();
        if n >= 2 && matches!(self.containers[n - 1], Container::Aggregate { .. }) {
            self.containers.get_mut(n - 2)
        } else {
            None
        }
    }

    /// The kind and area of the innermost flow or text box.
    fn flow(&self) -> (Kind, Arc<str>) {
        for c in self.containers.iter().rev() {
            match c {
                Container::Flow { kind, area, .. } => return (*kind, area.clone()),
                Container::TextBox { area, .. } => return (Kind::TextBox, area.clone()),
                Container::Aggregate { kind, area, .. } => return (*kind, area.clone()),
                Container::Table { .. } => {}
            }
        }
        (Kind::Body, "".into())
    }

    fn current_area(&self) -> Arc<str> {
        self.flow().1
    }

    /// An area name inside the current one: "kommentar 2, tekstboks 1".
    fn nested_area(&self, name: &str) -> Arc<str> {
        let outer = self.current_area();
        match (outer.is_empty(), name.is_empty()) {
            (_, true) => outer,
            (true, false) => name.into(),
            (false, false) => format!("{outer}, {name}").into(),
        }
    }

    fn pop_if(&mut self, want: impl Fn(&Container) -> bool) -> Option<Container> {
        if self.containers.len() > 1 && self.containers.last().is_some_and(want) {
            self.containers.pop()
        } else {
            None
        }
    }

    /// A finished paragraph goes to its container: a piece of its own in a flow or text
    /// box, or into the cell, comment or note it belongs to.
    fn deliver(&mut self, p: Buf) {
        match self.containers.last_mut() {
            Some(Container::Aggregate { buf, .. }) => buf.append(p),
            Some(Container::Flow { kind, area, paras }) => {
                *paras += 1;
                let (kind, area, place) = (*kind, area.clone(), Place::Paragraph(*paras));
                self.emit(p, kind, &area, place, Flags::NONE);
            }
            Some(Container::TextBox { area, paras }) => {
                *paras += 1;
                let (area, place) = (area.clone(), Place::Paragraph(*paras));
                self.emit(p, Kind::TextBox, &area, place, Flags::NONE);
            }
            // A paragraph directly in a table row (malformed): count it as the table's.
            Some(Container::Table { .. }) | None => {
                let (kind, area) = self.flow();
                self.emit(p, kind, &area, Place::Whole, Flags::NONE);
            }
        }
    }

    fn emit(&mut self, b: Buf, kind: Kind, area: &Arc<str>, place: Place, flags: Flags) {
        let comment = if kind == Kind::Comment {
            Flags::COMMENT
        } else {
            Flags::NONE
        };
        let flags = flags | comment;
        // The paragraph as shown first; what was deleted from it and its field codes follow
        // at the same place (detection reads them in the paragraph's context).
        let mut piece = Piece::new(b.text, kind, area, place.clone()).with_flags(flags);
        piece.spans = b.spans;
        self.out.push(piece);
        if !b.deleted.trim().is_empty() {
            self.out.push(
                Piece::new(b.deleted, kind, area, place.clone()).with_flags(flags | Flags::DELETED),
            );
        }
        if !b.hidden.trim().is_empty() {
            self.out.push(
                Piece::new(b.hidden, kind, area, place.clone()).with_flags(flags | Flags::HIDDEN),
            );
        }
        if !b.fields.trim().is_empty() {
            self.out
                .push(Piece::new(b.fields, Kind::FieldCode, area, place).with_flags(flags));
        }
    }
}

/// The number of grid columns in `w:val`: 0 if absent or not a number.
fn grid_val(e: &Tag) -> u32 {
    e.attr("val")
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::text::testing::{collect, summary};
    use crate::read::text::{Batch, Piece};

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"";

    fn pieces(xml: &str, part: Part, area: &str) -> Vec<Piece> {
        collect(|out| extract(xml, part, area, out).unwrap())
    }

    fn doc(body: &str) -> Vec<Piece> {
        pieces(
            &format!("<w:document {W}><w:body>{body}</w:body></w:document>"),
            Part::Body,
            "",
        )
    }

    #[test]
    fn joins_runs_of_a_paragraph() {
        let p = doc(
            "<w:p><w:r><w:t>fnr 151086</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>123</w:t></w:r><w:r><w:t xml:space=\"preserve\">45 ok</w:t></w:r></w:p><w:p><w:r><w:t>to</w:t><w:tab/><w:t>&amp;&#xE5;</w:t></w:r></w:p>",
        );
        assert_eq!(p[0].text, "fnr 15108612345 ok");
        assert_eq!(p[0].place_name(), "avsnitt 1");
        assert_eq!(p[1].text, "to\t&å");
        assert_eq!(p[1].place_name(), "avsnitt 2");
    }

    #[test]
    fn space_is_trimmed_unless_preserved() {
        let p = doc(
            "<w:p><w:r><w:t> a </w:t></w:r><w:r><w:t xml:space=\"preserve\"> b </w:t></w:r></w:p>",
        );
        assert_eq!(p[0].text, "a b ");
    }

    #[test]
    fn tables_by_row_and_column() {
        let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
        // Merged cells and skipped grid columns as Word writes them: empty elements.
        let merged = "<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>Kari, Oslo</w:t></w:r></w:p></w:tc>";
        let p = doc(&format!(
            "<w:tbl><w:tr>{}{}{}<w:tc><w:p/></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr><w:tr>{merged}{}</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"2\"/></w:trPr>{}</w:tr></w:tbl><w:p><w:r><w:t>etter</w:t></w:r></w:p>",
            cell("Navn"),
            cell("Adresse"),
            cell("Fnr"),
            cell("15108695088"),
            cell("c"),
        ));
        let t = |r: u32, c: u32, text: &str| {
            (
                format!("tabell 1, rad {r}, kolonne {c}"),
                "table",
                text.to_string(),
                vec![],
            )
        };
        assert_eq!(
            summary(&p),
            [
                t(1, 1, "Navn"),
                t(1, 2, "Adresse"),
                t(1, 3, "Fnr"),
                t(2, 1, "a\nb"),
                t(3, 1, "Kari, Oslo"),
                t(3, 3, "15108695088"),
                t(4, 3, "c"),
                ("avsnitt 1".into(), "body", "etter".into(), vec![]),
            ]
        );
    }

    #[test]
    fn tracked_changes_and_hidden_runs() {
        let p = doc(
            "<w:p><w:r><w:t xml:space=\"preserve\">fnr </w:t></w:r><w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>1510</w:delText></w:r><w:r><w:delText>8612345</w:delText></w:r></w:del><w:ins w:id=\"2\" w:author=\"A\"><w:r><w:t>ny</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>skjult</w:t></w:r><w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>synlig</w:t></w:r></w:p>",
        );
        assert_eq!(p[1].text, "15108612345");
        assert_eq!(p[1].kind.id(), "body");
        assert_eq!(p[1].flags, Flags::DELETED);
        // Hidden runs leave the text as shown, as deletions do, into a piece of their own.
        assert_eq!(p[0].text, "fnr nysynlig");
        assert_eq!(p[0].flags_at(0, 4), Flags::NONE);
        assert_eq!(p[0].flags_at(4, 6), Flags::INSERTED);
        assert_eq!(p[0].flags_at(6, 12), Flags::NONE);
        assert_eq!((p[2].text.as_str(), p[2].flags), ("skjult", Flags::HIDDEN));
    }

    #[test]
    fn a_hidden_digit_does_not_hide_the_number_shown() {
        let p = doc(
            "<w:p><w:r><w:t>151086</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>7</w:t></w:r><w:r><w:t>95088</w:t></w:r></w:p>",
        );
        assert_eq!(p[0].text, "15108695088");
        assert_eq!((p[1].text.as_str(), p[1].flags), ("7", Flags::HIDDEN));
    }

    #[test]
    fn symbols_are_the_characters_shown() {
        let p = doc(
            "<w:p><w:r><w:t>1510</w:t><w:sym w:font=\"Symbol\" w:char=\"F038\"/><w:sym w:font=\"Arial\" w:char=\"0036\"/><w:t>95088</w:t></w:r></w:p>",
        );
        assert_eq!(p[0].text, "15108695088");
    }

    #[test]
    fn paragraph_mark_properties_do_not_hide_runs() {
        let p = doc(
            "<w:p><w:pPr><w:rPr><w:vanish/><w:del w:id=\"3\"/></w:rPr></w:pPr><w:r><w:t>vises</w:t></w:r></w:p>",
        );
        assert_eq!(p[0].flags_at(0, 5), Flags::NONE);
        assert_eq!(p[0].text, "vises");
    }

    #[test]
    fn text_boxes_once_and_alt_text() {
        let p = doc(
            "<w:p><w:r><w:t>før</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:inline><wp:docPr id=\"1\" name=\"Bilde 1\" descr=\"Ola, fnr 15108612345\"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>i boksen</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>i boksen</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
        );
        assert_eq!(
            summary(&p),
            [
                (
                    "alternativ tekst i avsnitt 1".into(),
                    "alt-text",
                    "Ola, fnr 15108612345".into(),
                    vec![]
                ),
                (
                    "tekstboks 1, avsnitt 1".into(),
                    "text-box",
                    "i boksen".into(),
                    vec![]
                ),
                ("avsnitt 1".into(), "body", "før".into(), vec![]),
            ]
        );
    }

    #[test]
    fn field_codes_apart_from_results() {
        let p = doc(
            "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> HYPERLINK \"mailto:ola@example.no\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>Ola</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:fldSimple w:instr=\" AUTHOR \"><w:r><w:t>Kari</w:t></w:r></w:fldSimple></w:p>",
        );
        assert_eq!(p[1].kind, Kind::FieldCode);
        assert_eq!(p[1].text, "HYPERLINK \"mailto:ola@example.no\" AUTHOR");
        assert_eq!(p[0].text, "OlaKari");
    }

    #[test]
    fn comments_with_authors() {
        let p = pieces(
            &format!(
                "<w:comments {W}><w:comment w:id=\"0\" w:author=\"Kari Nordmann\" w:initials=\"KN\"><w:p><w:r><w:t>sjekk</w:t></w:r></w:p><w:p><w:r><w:t>fnr</w:t></w:r></w:p></w:comment></w:comments>"
            ),
            Part::Comments,
            "",
        );
        assert_eq!(
            summary(&p),
            [
                (
                    "kommentar 1, forfatter".into(),
                    "metadata",
                    "Kari Nordmann".into(),
                    vec!["metadata"]
                ),
                (
                    "kommentar 1".into(),
                    "comment",
                    "sjekk\nfnr".into(),
                    vec!["comment"]
                ),
            ]
        );
    }

    #[test]
    fn notes_skip_separators() {
        let p = pieces(
            &format!(
                "<w:footnotes {W}><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id=\"1\"><w:p><w:r><w:t>Kilde</w:t></w:r></w:p></w:footnote></w:footnotes>"
            ),
            Part::Footnotes,
            "",
        );
        assert_eq!(
            summary(&p),
            [("fotnote 1".into(), "footnote", "Kilde".into(), vec![])]
        );
    }

    #[test]
    fn headers_with_watermarks() {
        let p = pieces(
            &format!(
                "<w:hdr {W}><w:p><w:r><w:t>Beskyttet</w:t></w:r><w:r><w:pict><v:shape alt=\"\"><v:textpath style=\"font-family:Calibri\" string=\"KONFIDENSIELT\"/></v:shape></w:pict></w:r></w:p></w:hdr>"
            ),
            Part::Header,
            "topptekst 1",
        );
        assert_eq!(
            summary(&p),
            [
                (
                    "topptekst 1, vannmerke".into(),
                    "watermark",
                    "KONFIDENSIELT".into(),
                    vec![]
                ),
                (
                    "topptekst 1, avsnitt 1".into(),
                    "header",
                    "Beskyttet".into(),
                    vec![]
                ),
            ]
        );
    }

    #[test]
    fn absurd_grid_spans_do_not_overflow() {
        let xml = r#"<w:document><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="4294967295"/></w:tcPr><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;
        let got = pieces(xml, Part::Body, "");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn broken_xml_is_an_error() {
        let mut sink = |_: &Batch| {};
        let mut out = Emitter::new("p", Flags::NONE, &mut sink);
        assert!(extract("<w:document><w:body><w:p", Part::Body, "", &mut out).is_err());
    }
}
