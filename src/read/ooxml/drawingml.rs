//! Text of DrawingML: shapes on slides, layouts, masters and notes, shapes on spreadsheet
//! drawings, SmartArt data and charts. Paragraphs (`a:p`) are joined from their runs and
//! fields; table cells are one piece each; `cNvPr` gives shape names, alt text and
//! hidden shapes; chart caches (`c:strCache`, `c:numCache`) are values kept beside the
//! chart. `mc:Fallback` content is skipped (it repeats the choice).

use std::sync::Arc;

use crate::read::xml::mce::{Branch, Mce};
use crate::read::xml::{Event, Tag};

use crate::read::text::{Emitter, Piece, Place};

use crate::model::{Flags, Kind};
use crate::read::error::PartError;
use crate::read::xml;

#[derive(Default)]
struct Shape {
    name: String,
    hidden: bool,
    paras: u32,
}

/// Extracts the text of one DrawingML-bearing part. Every piece is of `kind` (alt text
/// excepted) and in `area` (`lysbilde 4`).
pub fn extract<'t>(
    src: impl Into<xml::Reader<'t>>,
    kind: Kind,
    area: &str,
    out: &mut Emitter,
) -> Result<(), PartError> {
    let area: Arc<str> = area.into();
    let mut base = Flags::NONE;
    let mut shapes: Vec<Shape> = Vec::new();
    // Paragraph being read, and the table cell being read (table, row, column, text).
    let mut para: Option<String> = None;
    let mut cell: Option<(u32, u32, u32, String)> = None;
    let (mut tables, mut row, mut col) = (0u32, 0u32, 0u32);
    let mut in_t = false;
    // Chart caches: series number, point index, value.
    let (mut series, mut cache, mut point) = (0u32, 0u32, String::new());
    let mut value: Option<String> = None;
    let mut first = true;
    let mut r = src.into();
    let mut mce = Mce::default();
    loop {
        let ev = r.read_event()?;
        let skip = match &ev {
            Event::Start(e) => mce.start(e) == Branch::Skip,
            Event::End(e) => {
                mce.end(e.local());
                false
            }
            _ => false,
        };
        if skip {
            r.skip_to_end()?;
            continue;
        }
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                if std::mem::take(&mut first)
                    && e.is("sld")
                    && e.attr("show").and_then(|v| xml::parse_bool(&v)) == Some(false)
                {
                    base |= Flags::HIDDEN;
                }
                let empty = matches!(ev, Event::Empty(_));
                match e.local() {
                    "sp" | "pic" | "graphicFrame" | "grpSp" | "cxnSp" | "contentPart" if !empty => {
                        shapes.push(Shape::default())
                    }
                    "cNvPr" => {
                        let hidden = e.attr("hidden").and_then(|v| xml::parse_bool(&v));
                        if let Some(s) = shapes.last_mut() {
                            s.name = e.attr("name").unwrap_or_default();
                            s.hidden = hidden == Some(true);
                        }
                        let alt = [e.attr("title"), e.attr("descr")]
                            .into_iter()
                            .flatten()
                            .filter(|s| !s.trim().is_empty())
                            .collect::<Vec<_>>()
                            .join("\n");
                        if !alt.is_empty() {
                            let name = shapes.last().map_or("", |s| s.name.as_str());
                            let place = Place::Named(format!("«{name}» alternativ tekst").into());
                            let flags = base | shape_flags(&shapes);
                            out.push(
                                Piece::new(alt, Kind::AltText, &area, place).with_flags(flags),
                            );
                        }
                    }
                    "p" if !empty => para = Some(String::new()),
                    "t" if !empty => in_t = true,
                    "br" => {
                        if let Some(p) = para.as_mut().filter(|p| xml::fits(p, 1)) {
                            p.push('\n');
                        }
                    }
                    "tbl" if !empty => {
                        tables += 1;
                        row = 0;
                    }
                    "tr" if !empty => {
                        row += 1;
                        col = 0;
                    }
                    "tc" => {
                        col += 1;
                        if !empty {
                            cell = Some((tables, row, col, String::new()));
                        }
                    }
                    "ser" if !empty => series += 1,
                    "strCache" | "numCache" | "strLit" | "numLit" if !empty => cache += 1,
                    "pt" if !empty => point = e.attr("idx").unwrap_or_default(),
                    "v" if !empty => value = Some(String::new()),
                    _ => {}
                }
            }
            Event::End(e) => match e.local() {
                "sp" | "pic" | "graphicFrame" | "grpSp" | "cxnSp" | "contentPart" => {
                    shapes.pop();
                }
                "t" => in_t = false,
                "p" => {
                    let Some(p) = para.take() else { continue };
                    if let Some((.., text)) = cell.as_mut() {
                        if !xml::fits(text, p.len() + 1) {
                            continue;
                        }
                        if !text.is_empty() && !p.is_empty() {
                            text.push('\n');
                        }
                        text.push_str(&p);
                        continue;
                    }
                    let (name, n) = match shapes.last_mut() {
                        Some(s) => {
                            s.paras += 1;
                            (s.name.as_str(), s.paras)
                        }
                        None => ("", 0),
                    };
                    let place = match (name, n) {
                        ("", 0) => Place::Whole,
                        ("", n) => Place::Paragraph(n),
                        (name, n) => Place::Named(format!("«{name}» avsnitt {n}").into()),
                    };
                    let flags = base | shape_flags(&shapes);
                    out.push(Piece::new(p, kind, &area, place).with_flags(flags));
                }
                "tc" => {
                    if let Some((table, row, col, text)) = cell.take() {
                        let place = Place::Table { table, row, col };
                        let flags = base | shape_flags(&shapes);
                        out.push(Piece::new(text, kind, &area, place).with_flags(flags));
                    }
                }
                "strCache" | "numCache" | "strLit" | "numLit" => cache = cache.saturating_sub(1),
                "v" => {
                    let Some(v) = value.take() else { continue };
                    let (place, flags) = if cache > 0 {
                        let p = format!("serie {series}, punkt {}", point_number(&point));
                        (p, Flags::CACHE)
                    } else {
                        ("verdi".to_string(), Flags::NONE)
                    };
                    out.push(
                        Piece::new(v, kind, &area, Place::Named(place.into()))
                            .with_flags(base | flags),
                    );
                }
                _ => {}
            },
            Event::Eof => return Ok(()),
            other => {
                if in_t && let Some(p) = para.as_mut() {
                    xml::push_text(other, p);
                } else if let Some(v) = value.as_mut() {
                    xml::push_text(other, v);
                }
            }
        }
    }
}

fn shape_flags(shapes: &[Shape]) -> Flags {
    if shapes.iter().any(|s| s.hidden) {
        Flags::HIDDEN
    } else {
        Flags::NONE
    }
}

/// A chart point's index (from 0) as a number from 1.
fn point_number(idx: &str) -> String {
    idx.parse::<u32>()
        .map_or_else(|_| idx.to_string(), |i| i.saturating_add(1).to_string())
}

/// PowerPoint comments, legacy (`p:cm` with `p:text`) and modern (`p188:cm` with a text
/// body): one piece per comment or reply.
pub fn comments(text: &str, area: &str, out: &mut Emitter) -> Result<(), PartError> {
    let area: Arc<str> = area.into();
    let mut r = xml::reader(text);
    // Comments being read (a modern comment holds its replies before its own text).
    let (mut n, mut open, mut in_text) = (0u32, Vec::<(u32, String)>::new(), false);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if matches!(e.local(), "cm" | "reply") => {
                n += 1;
                open.push((n, String::new()));
            }
            Ok(Event::Start(e)) if matches!(e.local(), "text" | "t") => in_text = true,
            Ok(Event::End(e)) => match e.local() {
                "text" | "t" => in_text = false,
                "p" => {
                    if let Some((_, c)) = open.last_mut().filter(|(_, c)| xml::fits(c, 1)) {
                        c.push('\n');
                    }
                }
                "cm" | "reply" => {
                    if let Some((n, done)) = open.pop() {
                        push_comment(out, &area, n, done);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => return Ok(()),
            Ok(ev) => {
                if in_text && let Some((_, c)) = open.last_mut() {
                    xml::push_text(&ev, c);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
}

fn push_comment(out: &mut Emitter, area: &Arc<str>, n: u32, text: String) {
    let place = Place::Named(format!("kommentar {n}").into());
    let text = text.trim_end().to_string();
    out.push(Piece::new(text, Kind::Comment, area, place).with_flags(Flags::COMMENT));
}

/// Comment authors of a presentation (`p:cmAuthor`, `p188:author`): names and user ids.
pub fn authors(text: &str, out: &mut Emitter) -> Result<(), PartError> {
    let area: Arc<str> = "kommentarforfattere".into();
    let mut r = xml::reader(text);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if matches!(e.local(), "cmAuthor" | "author") => {
                push_author(&e, &area, out)
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

fn push_author(e: &Tag, area: &Arc<str>, out: &mut Emitter) {
    let text = [e.attr("name"), e.attr("userId")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    out.push(
        Piece::new(text, Kind::Metadata, area, Place::Named("forfatter".into()))
            .with_flags(Flags::METADATA),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::text::Batch;
    use crate::read::text::testing::{collect, summary};

    fn run(
        xml: &str,
        kind: Kind,
        area: &str,
    ) -> Vec<(String, &'static str, String, Vec<&'static str>)> {
        summary(&collect(|out| extract(xml, kind, area, out).unwrap()))
    }

    #[test]
    fn slide_shapes_tables_alt_text_and_hidden() {
        let got = run(
            "<p:sld show=\"0\"><p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Tittel 1\" descr=\"bilde av Ola\"/></p:nvSpPr><p:txBody><a:p><a:r><a:t>fnr 1510</a:t></a:r><a:r><a:t>8612345</a:t></a:r><a:br/><a:fld type=\"slidenum\"><a:t>4</a:t></a:fld></a:p></p:txBody></p:sp><p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"3\" name=\"Tabell\" hidden=\"1\"/></p:nvGraphicFramePr><a:graphic><a:graphicData><a:tbl><a:tr><a:tc><a:txBody><a:p><a:r><a:t>Navn</a:t></a:r></a:p></a:txBody></a:tc><a:tc/><a:tc><a:txBody><a:p><a:r><a:t>x</a:t></a:r></a:p></a:txBody></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>",
            Kind::Slide,
            "lysbilde 4",
        );
        assert_eq!(
            got,
            [
                (
                    "lysbilde 4, «Tittel 1» alternativ tekst".into(),
                    "alt-text",
                    "bilde av Ola".into(),
                    vec!["hidden"]
                ),
                (
                    "lysbilde 4, «Tittel 1» avsnitt 1".into(),
                    "slide",
                    "fnr 15108612345\n4".into(),
                    vec!["hidden"]
                ),
                (
                    "lysbilde 4, tabell 1, rad 1, kolonne 1".into(),
                    "slide",
                    "Navn".into(),
                    vec!["hidden"]
                ),
                (
                    "lysbilde 4, tabell 1, rad 1, kolonne 3".into(),
                    "slide",
                    "x".into(),
                    vec!["hidden"]
                ),
            ]
        );
    }

    #[test]
    fn chart_titles_and_caches() {
        let got = run(
            "<c:chartSpace><c:chart><c:title><c:tx><c:rich><a:p><a:r><a:t>Lønn</a:t></a:r></a:p></c:rich></c:tx></c:title><c:plotArea><c:barChart><c:ser><c:cat><c:strRef><c:f>Ark1!$A$2</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>Ola</c:v></c:pt></c:strCache></c:strRef></c:cat><c:val><c:numRef><c:numCache><c:pt idx=\"0\"><c:v>15108612345</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>",
            Kind::Chart,
            "diagram 1",
        );
        assert_eq!(
            got,
            [
                ("diagram 1".into(), "chart", "Lønn".into(), vec![]),
                (
                    "diagram 1, serie 1, punkt 1".into(),
                    "chart",
                    "Ola".into(),
                    vec!["cache"]
                ),
                (
                    "diagram 1, serie 1, punkt 1".into(),
                    "chart",
                    "15108612345".into(),
                    vec!["cache"]
                ),
            ]
        );
    }

    #[test]
    fn fallback_is_skipped() {
        let got = run(
            "<p:sld><mc:AlternateContent><mc:Choice><p:sp><p:nvSpPr><p:cNvPr id=\"1\" name=\"A\"/></p:nvSpPr><p:txBody><a:p><a:r><a:t>en gang</a:t></a:r></a:p></p:txBody></p:sp></mc:Choice><mc:Fallback><p:sp><p:txBody><a:p><a:r><a:t>en gang</a:t></a:r></a:p></p:txBody></p:sp></mc:Fallback></mc:AlternateContent></p:sld>",
            Kind::Slide,
            "lysbilde 1",
        );
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn legacy_and_modern_comments() {
        let mut got = Vec::new();
        let mut sink = |b: &Batch| {
            got.extend(
                b.pieces
                    .iter()
                    .map(|p| (p.place_name(), p.text.to_string())),
            )
        };
        let mut out = Emitter::new("p", Flags::NONE, &mut sink);
        comments("<p:cmLst><p:cm authorId=\"0\" idx=\"1\"><p:pos x=\"1\" y=\"1\"/><p:text>sjekk fnr</p:text></p:cm></p:cmLst>", "lysbilde 2", &mut out).unwrap();
        comments("<p188:cmLst><p188:cm id=\"{A}\" authorId=\"{B}\"><p188:replyLst><p188:reply id=\"{C}\"><p188:txBody><a:p><a:r><a:t>svar</a:t></a:r></a:p></p188:txBody></p188:reply></p188:replyLst><p188:txBody><a:p><a:r><a:t>hei</a:t></a:r></a:p></p188:txBody></p188:cm></p188:cmLst>", "lysbilde 3", &mut out).unwrap();
        authors("<p:cmAuthorLst><p:cmAuthor id=\"0\" name=\"Kari Nordmann\" initials=\"KN\"/></p:cmAuthorLst>", &mut out).unwrap();
        drop(out);
        assert_eq!(
            got,
            [
                ("lysbilde 2, kommentar 1".into(), "sjekk fnr".into()),
                ("lysbilde 3, kommentar 2".into(), "svar".into()),
                ("lysbilde 3, kommentar 1".into(), "hei".into()),
                (
                    "kommentarforfattere, forfatter".into(),
                    "Kari Nordmann".into()
                ),
            ]
        );
    }
}
