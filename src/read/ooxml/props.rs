//! Document properties parts: core (`dc:creator`, `cp:lastModifiedBy`, title, …), extended
//! (`Company`, `Manager`, `Template`, titles of parts) and custom properties. The custom part
//! also holds the older `MSIP_Label_*` labels.

use std::sync::Arc;

use xml::Event;

use crate::read::text::{Emitter, Piece, Place};

use crate::model::{Flags, Kind};
use crate::read::error::PartError;
use crate::read::xml;

/// Core properties that are dates or counters, not text.
const NOT_TEXT: &[&str] = &["created", "modified", "lastPrinted", "revision"];
/// Extended properties that can name people, organisations or places.
const APP_TEXT: &[&str] = &["Company", "Manager", "Template", "HyperlinkBase", "lpstr"];

/// Emits every text property of a core or extended properties part, named by its element
/// (`creator`, `Company`); the titles of parts (`vt:lpstr`) as `TitlesOfParts`.
pub fn emit(text: &str, extended: bool, out: &mut Emitter) -> Result<(), PartError> {
    let mut r = xml::reader(text);
    let mut value = String::new();
    let mut depth = 0;
    let mut in_titles = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                in_titles |= e.is("TitlesOfParts");
                value.clear();
            }
            Ok(Event::End(e)) => {
                depth -= 1;
                let name = e.local();
                if name == "TitlesOfParts" {
                    in_titles = false;
                }
                let wanted = if extended {
                    APP_TEXT.contains(&name) && (name != "lpstr" || in_titles)
                } else {
                    depth >= 1 && !NOT_TEXT.contains(&name)
                };
                if wanted && !value.trim().is_empty() {
                    let shown = if name == "lpstr" {
                        "TitlesOfParts"
                    } else {
                        name
                    };
                    out.push(Piece::property(std::mem::take(&mut value), shown, false));
                }
                value.clear();
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(ev) => xml::push_text(&ev, &mut value),
            Err(e) => return Err(e.into()),
        }
    }
}

/// Emits the custom properties other than labels (which are reported as labels).
pub fn emit_custom(text: &str, out: &mut Emitter) -> Result<(), PartError> {
    emit_properties(&custom(text)?, out);
    Ok(())
}

/// Emits custom properties as read by [`custom`] (labels' own excepted).
pub fn emit_properties(props: &[(String, String)], out: &mut Emitter) {
    for (name, value) in props {
        if !name.starts_with("MSIP_Label_") {
            out.push(Piece::property(value.clone(), name, true));
        }
    }
}

/// The custom properties as (name, value) pairs, in document order. The value is the text
/// of the property's typed child (`vt:lpwstr`, `vt:bool`, `vt:i4`, …), references resolved.
pub fn custom(text: &str) -> Result<Vec<(String, String)>, PartError> {
    let mut r = xml::reader(text);
    let mut props = Vec::new();
    let mut current: Option<(String, String)> = None;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.is("property") => {
                current = Some((e.plain_attr("name").unwrap_or_default(), String::new()));
            }
            Ok(Event::Empty(e)) if e.is("property") => {
                props.push((e.plain_attr("name").unwrap_or_default(), String::new()));
            }
            Ok(Event::End(e)) if e.local() == "property" => props.extend(current.take()),
            Ok(Event::Text(t) | Event::CData(t)) => {
                if let Some((_, v)) = current.as_mut() {
                    t.push_to(v);
                }
            }
            Ok(Event::Eof) => return Ok(props),
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// Emits the text of a custom XML part (data stores behind content controls, SharePoint
/// metadata): each element's own text, named by the element.
pub fn emit_xml(text: &str, area: &str, out: &mut Emitter) -> Result<(), PartError> {
    let area: Arc<str> = area.into();
    let mut r = xml::reader(text);
    let mut value = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(_)) => value.clear(),
            Ok(Event::End(e)) => {
                if !value.trim().is_empty() {
                    let place = Place::Named(format!("element {}", e.local()).into());
                    out.push(
                        Piece::new(std::mem::take(&mut value), Kind::CustomXml, &area, place)
                            .with_flags(Flags::CACHE),
                    );
                }
                value.clear();
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(ev) => xml::push_text(&ev, &mut value),
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_typed_values_and_references() {
        let xml = r#"<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="MSIP_Label_x_Name"><vt:lpwstr>Beskyttet &amp; &#xC5;pen</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Flag"><vt:bool>true</vt:bool></property><property pid="4" name="Empty"/></Properties>"#;
        let p = custom(xml).unwrap();
        assert_eq!(
            p[0],
            ("MSIP_Label_x_Name".into(), "Beskyttet & Åpen".into())
        );
        assert_eq!(p[1], ("Flag".into(), "true".into()));
        assert_eq!(p[2], ("Empty".into(), String::new()));
    }

    #[test]
    fn core_and_extended_text() {
        let mut got = Vec::new();
        let mut sink = |b: &crate::read::text::Batch| {
            got.extend(
                b.pieces
                    .iter()
                    .map(|p| (p.place_name(), p.text.to_string())),
            )
        };
        let mut out = Emitter::new("p", Flags::NONE, &mut sink);
        emit("<cp:coreProperties><dc:title>Vedtak</dc:title><dc:creator>Kari Nordmann</dc:creator><cp:revision>3</cp:revision><dcterms:created>2026-01-01T00:00:00Z</dcterms:created><cp:lastModifiedBy>Ola</cp:lastModifiedBy></cp:coreProperties>", false, &mut out).unwrap();
        emit("<Properties><Application>Microsoft Office Word</Application><Company>Oslo kommune</Company><TitlesOfParts><vt:vector size=\"1\" baseType=\"lpstr\"><vt:lpstr>Ark1</vt:lpstr></vt:vector></TitlesOfParts><HeadingPairs><vt:vector><vt:variant><vt:lpstr>Regneark</vt:lpstr></vt:variant></vt:vector></HeadingPairs></Properties>", true, &mut out).unwrap();
        emit_custom("<Properties><property name=\"MSIP_Label_x_Name\"><vt:lpwstr>Intern</vt:lpwstr></property><property name=\"Saksnr\"><vt:lpwstr>2026/1</vt:lpwstr></property></Properties>", &mut out).unwrap();
        drop(out);
        assert_eq!(
            got,
            [
                ("egenskap title".into(), "Vedtak".into()),
                ("egenskap creator".into(), "Kari Nordmann".into()),
                ("egenskap lastModifiedBy".into(), "Ola".into()),
                ("egenskap Company".into(), "Oslo kommune".into()),
                ("egenskap TitlesOfParts".into(), "Ark1".into()),
                ("egenskap «Saksnr»".into(), "2026/1".into()),
            ]
        );
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(custom("<Properties><property name=\"a></Properties>").is_err());
    }
}
