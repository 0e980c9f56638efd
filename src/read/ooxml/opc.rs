//! Open Packaging Conventions: content types and relationships, read leniently (Strict and
//! Transitional namespaces alike, absolute and relative targets, odd part-name spellings).

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use xml::Event;

use crate::read::container::zip::normalize;
use crate::read::error::PartError;
use crate::read::xml;

#[derive(Debug, Default)]
pub struct ContentTypes {
    defaults: FxHashMap<String, String>,
    overrides: FxHashMap<String, String>,
}

impl ContentTypes {
    pub fn parse(text: &str) -> Result<Self, PartError> {
        let mut ct = ContentTypes::default();
        let mut r = xml::reader(text);
        loop {
            match r.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) => {
                    let kind = e
                        .plain_attr("ContentType")
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    if e.is("Default") {
                        if let Some(ext) = e.plain_attr("Extension") {
                            ct.defaults.insert(ext.to_ascii_lowercase(), kind);
                        }
                    } else if e.is("Override")
                        && let Some(part) = e.plain_attr("PartName")
                    {
                        ct.overrides.insert(normalize(&part).into_owned(), kind);
                    }
                }
                Ok(Event::Eof) => return Ok(ct),
                Ok(_) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// The content type of a part (lowercase), from its override or its extension's default.
    pub fn of(&self, part: &str) -> Option<&str> {
        let part = normalize(part);
        self.overrides
            .get(part.as_ref())
            .or_else(|| self.defaults.get(part.rsplit_once('.')?.1))
            .map(String::as_str)
    }

    /// Every part with an override, and its content type.
    pub fn overrides(&self) -> impl Iterator<Item = (&str, &str)> {
        self.overrides.iter().map(|(p, c)| (p.as_str(), c.as_str()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub id: String,
    pub kind: String,
    /// The target part, resolved against the source part and normalised; for an external
    /// target, the target as written (a URL or file path).
    pub target: String,
    pub external: bool,
}

/// Parses a relationships part. `source` is the part the relationships belong to (`""` for
/// the package).
pub fn relationships(text: &str, source: &str) -> Result<Vec<Relationship>, PartError> {
    let mut rels = Vec::new();
    let mut r = xml::reader(text);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.is("Relationship") => {
                let [mode, kind, target, id] =
                    e.plain_attrs(["TargetMode", "Type", "Target", "Id"]);
                let external = mode.is_some_and(|m| m.eq_ignore_ascii_case("external"));
                if let (Some(kind), Some(target)) = (kind, target) {
                    rels.push(Relationship {
                        id: id.map(Cow::into_owned).unwrap_or_default(),
                        kind: kind.into_owned(),
                        target: if external {
                            target.into_owned()
                        } else {
                            resolve(source, &target)
                        },
                        external,
                    });
                }
            }
            Ok(Event::Eof) => return Ok(rels),
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// Resolves a relationship target against its source part (OPC §9.3: relative to the
/// source's folder; a leading slash means the package root), then normalises it.
pub fn resolve(source: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let mut segments: Vec<&str> = Vec::new();
    if !target.starts_with('/') {
        segments.extend(
            source
                .rsplit_once('/')
                .map_or("", |(dir, _)| dir)
                .split('/'),
        );
    }
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.retain(|s| !s.is_empty());
    normalize(&segments.join("/")).into_owned()
}

/// The relationships part of a part: `word/document.xml` → `word/_rels/document.xml.rels`.
pub fn rels_part(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None if part.is_empty() => "_rels/.rels".into(),
        None => format!("_rels/{part}.rels"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_targets() {
        assert_eq!(
            resolve("", "docMetadata/LabelInfo.xml"),
            "docmetadata/labelinfo.xml"
        );
        assert_eq!(resolve("", "/xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(
            resolve("xl/workbook.xml", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets/sheet1.xml", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve("word/document.xml", "/word/media/a%20b.png"),
            "word/media/a b.png"
        );
        assert_eq!(resolve("", "./word\\document.xml"), "word/document.xml");
    }

    #[test]
    fn rels_part_names() {
        assert_eq!(rels_part(""), "_rels/.rels");
        assert_eq!(
            rels_part("word/document.xml"),
            "word/_rels/document.xml.rels"
        );
    }

    #[test]
    fn content_types_by_override_then_default() {
        let ct = ContentTypes::parse(r#"<Types xmlns="x"><Default Extension="XML" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
        assert!(
            ct.of("word/document.xml")
                .unwrap()
                .ends_with("document.main+xml")
        );
        assert_eq!(ct.of("/docMetadata/LabelInfo.xml"), Some("application/xml"));
        assert_eq!(ct.of("a.bin"), None);
    }

    #[test]
    fn relationships_keep_external_targets_as_written() {
        let rels = relationships(r#"<Relationships><Relationship Id="rId1" Type="t/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="t/hyperlink" Target="https://example.org" TargetMode="External"/></Relationships>"#, "").unwrap();
        assert_eq!(
            rels,
            vec![
                Relationship {
                    id: "rId1".into(),
                    kind: "t/officeDocument".into(),
                    target: "word/document.xml".into(),
                    external: false,
                },
                Relationship {
                    id: "rId2".into(),
                    kind: "t/hyperlink".into(),
                    target: "https://example.org".into(),
                    external: true,
                }
            ]
        );
    }
}
