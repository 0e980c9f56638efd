//! The fixture builder: writes Office documents with chosen labels (in either or both
//! formats), chosen text, and OLE shells for encrypted, IRM and legacy files, with the
//! structures Office writes (data spaces, property sets). Tests build every case they need
//! with it; `cargo run --example demo` writes `fixtures/demo/` with it.
//!
//! ```
//! use o365lint::fixture::{Label, Ooxml};
//! use o365lint::model::Format;
//! let docx = Ooxml::new(Format::Docx)
//!     .text("Møtereferat")
//!     .label_info(vec![Label::new("6ae54424-c431-46c6-8ac2-cb0fc8776528", "0a7f70e8-9429-4eb1-811a-5bec2ff8c815")])
//!     .build();
//! assert!(docx.starts_with(b"PK"));
//! ```

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use crate::model::Format;
use crate::read::container::dataspace::{MapEntry, write_lp_p4, write_map};
use crate::read::container::propset::write_user_defined;

/// A label to write, in LabelInfo form, as `MSIP_Label_*` properties, or both.
#[derive(Clone, Debug)]
pub struct Label {
    pub id: String,
    pub site_id: String,
    pub enabled: bool,
    pub removed: bool,
    pub method: String,
    pub content_bits: Option<u32>,
    /// Only written as a property (`_Name`); LabelInfo has no name.
    pub name: Option<String>,
    pub set_date: String,
}

impl Label {
    /// An enabled label chosen by a user (`Privileged`), contentBits 0.
    pub fn new(id: &str, site_id: &str) -> Label {
        Label {
            id: id.to_string(),
            site_id: site_id.to_string(),
            enabled: true,
            removed: false,
            method: "Privileged".into(),
            content_bits: Some(0),
            name: None,
            set_date: "2026-11-02T09:14:27Z".into(),
        }
    }

    /// The tombstone Office writes when a user clears a label: `id` = `siteId`, disabled, removed.
    pub fn removed(site_id: &str) -> Label {
        Label {
            enabled: false,
            removed: true,
            method: "Standard".into(),
            ..Label::new(site_id, site_id)
        }
    }

    pub fn method(mut self, method: &str) -> Label {
        self.method = method.into();
        self
    }

    pub fn content_bits(mut self, bits: Option<u32>) -> Label {
        self.content_bits = bits;
        self
    }

    pub fn name(mut self, name: &str) -> Label {
        self.name = Some(name.into());
        self
    }

    pub fn disabled(mut self) -> Label {
        self.enabled = false;
        self
    }

    /// `<clbl:label …/>` with Office's attribute order and spelling.
    fn element(&self) -> String {
        let bits = self
            .content_bits
            .map(|b| format!(" contentBits=\"{b}\""))
            .unwrap_or_default();
        format!(
            "<clbl:label id=\"{{{}}}\" enabled=\"{}\" method=\"{}\" siteId=\"{{{}}}\"{bits} removed=\"{}\" />",
            self.id, self.enabled as u8, self.method, self.site_id, self.removed as u8
        )
    }

    /// The `MSIP_Label_<GUID>_*` properties, in the order Office writes them.
    pub fn properties(&self) -> Vec<(String, String)> {
        let key = |attr: &str| format!("MSIP_Label_{}_{attr}", self.id);
        let mut p = vec![
            (key("Enabled"), self.enabled.to_string()),
            (key("SetDate"), self.set_date.clone()),
            (key("Method"), self.method.clone()),
            (
                key("Name"),
                self.name.clone().unwrap_or_else(|| self.id.clone()),
            ),
            (key("SiteId"), self.site_id.clone()),
            (
                key("ActionId"),
                "5f1c2b6e-1d7a-4c8e-9b0a-3e2f4d6c8a10".into(),
            ),
        ];
        if let Some(b) = self.content_bits {
            p.push((key("ContentBits"), b.to_string()));
        }
        p
    }
}

/// `docMetadata/LabelInfo.xml` (or the LabelInfo stream) as Office serialises it.
pub fn label_info_xml(labels: &[Label]) -> String {
    let ns = "http://schemas.microsoft.com/office/2020/mipLabelMetadata";
    let head = "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>";
    if labels.is_empty() {
        return format!("{head}<clbl:labelList xmlns:clbl=\"{ns}\" />");
    }
    let body: String = labels.iter().map(Label::element).collect();
    format!("{head}<clbl:labelList xmlns:clbl=\"{ns}\">{body}</clbl:labelList>")
}

/// Escapes text for XML content and attributes.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const LABEL_CT: &str = "application/vnd.ms-office.classificationlabels+xml";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// An OOXML package to build.
#[derive(Clone, Debug)]
pub struct Ooxml {
    format: Format,
    texts: Vec<String>,
    label_info: Option<Vec<Label>>,
    label_info_related: bool,
    label_info_content_type: String,
    custom: Vec<(String, String)>,
    extra_parts: Vec<(String, Vec<u8>)>,
    /// Parts written over (or beside) the builder's own, with their content types.
    xml_parts: Vec<(String, Option<String>, Vec<u8>)>,
    /// Relationships added: source part (`""` for the package), id, type, target.
    extra_rels: Vec<(String, String, String, String)>,
    /// Content marking: header, footer, watermark texts.
    marking: [Option<String>; 3],
}

impl Ooxml {
    /// A package of the given format: a Word, Excel or PowerPoint variant (macro-enabled,
    /// template and show variants differ in their main content type).
    pub fn new(format: Format) -> Ooxml {
        assert!(
            main_content_type(format).is_some(),
            "{format:?} is not an OOXML format the builder writes"
        );
        Ooxml {
            format,
            texts: Vec::new(),
            label_info: None,
            label_info_related: true,
            label_info_content_type: LABEL_CT.into(),
            custom: Vec::new(),
            extra_parts: Vec::new(),
            xml_parts: Vec::new(),
            extra_rels: Vec::new(),
            marking: [None, None, None],
        }
    }

    /// Content marking as Office writes it: Word a header and footer part (the watermark a
    /// VML text path in the header), Excel the sheet's `oddHeader`/`oddFooter`, PowerPoint
    /// text boxes named `MSIPCMContentMarking` on the slide master.
    pub fn marking(
        mut self,
        header: Option<&str>,
        footer: Option<&str>,
        watermark: Option<&str>,
    ) -> Ooxml {
        self.marking = [header, footer, watermark].map(|m| m.map(str::to_string));
        self
    }

    /// Adds a paragraph (Word), a cell in column A (Excel) or a slide (PowerPoint).
    pub fn text(mut self, text: &str) -> Ooxml {
        self.texts.push(text.into());
        self
    }

    /// Writes `docMetadata/LabelInfo.xml` with these labels (an empty list writes the empty
    /// `labelList` Office writes when no label qualifies).
    pub fn label_info(mut self, labels: Vec<Label>) -> Ooxml {
        self.label_info = Some(labels);
        self
    }

    /// Leaves the LabelInfo part without its package relationship (a damaged package).
    pub fn label_info_unrelated(mut self) -> Ooxml {
        self.label_info_related = false;
        self
    }

    /// The content type to declare for the LabelInfo part (the spec says `application/xml`,
    /// Office writes `application/vnd.ms-office.classificationlabels+xml`).
    pub fn label_info_content_type(mut self, ct: &str) -> Ooxml {
        self.label_info_content_type = ct.into();
        self
    }

    /// Adds a label as `MSIP_Label_*` custom properties.
    pub fn custom_label(mut self, label: &Label) -> Ooxml {
        self.custom.extend(label.properties());
        self
    }

    /// Adds any other custom property.
    pub fn custom_property(mut self, name: &str, value: &str) -> Ooxml {
        self.custom.push((name.into(), value.into()));
        self
    }

    /// Adds a part with raw bytes (no content type or relationship is added).
    pub fn part(mut self, name: &str, bytes: impl Into<Vec<u8>>) -> Ooxml {
        self.extra_parts.push((name.into(), bytes.into()));
        self
    }

    /// Writes a part with a content type (`None`: the extension's default), replacing the
    /// builder's own part of that name: `word/document.xml` to write a whole body.
    pub fn xml_part(
        mut self,
        name: &str,
        content_type: Option<&str>,
        xml: impl Into<Vec<u8>>,
    ) -> Ooxml {
        let ct = content_type.map(|c| {
            if c.starts_with("application/") {
                c.to_string()
            } else {
                format!("application/vnd.openxmlformats-officedocument.{c}")
            }
        });
        self.xml_parts.push((name.into(), ct, xml.into()));
        self
    }

    /// Adds a relationship from `source` (`""` for the package) with this id; `kind` is a
    /// full type URI or the last segment of an officeDocument relationship type.
    pub fn rel(mut self, source: &str, id: &str, kind: &str, target: &str) -> Ooxml {
        let kind = if kind.contains("://") {
            kind.to_string()
        } else {
            format!("{REL}/{kind}")
        };
        self.extra_rels
            .push((source.into(), id.into(), kind, target.into()));
        self
    }

    pub fn build(&self) -> Vec<u8> {
        let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
        let mut overrides: Vec<(String, String)> = Vec::new();
        let mut rels = vec![
            (format!("{REL}/officeDocument"), self.main_part().to_string()),
            ("http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties".into(), "docProps/core.xml".into()),
            (format!("{REL}/extended-properties"), "docProps/app.xml".into()),
        ];
        overrides.push((
            self.main_part().into(),
            main_content_type(self.format).unwrap().into(),
        ));
        self.body(&mut parts, &mut overrides);

        parts.push(("docProps/core.xml".into(), CORE.as_bytes().to_vec()));
        overrides.push((
            "docProps/core.xml".into(),
            "application/vnd.openxmlformats-package.core-properties+xml".into(),
        ));
        parts.push(("docProps/app.xml".into(), APP.as_bytes().to_vec()));
        overrides.push((
            "docProps/app.xml".into(),
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".into(),
        ));
        if !self.custom.is_empty() {
            parts.push((
                "docProps/custom.xml".into(),
                custom_xml(&self.custom).into_bytes(),
            ));
            overrides.push((
                "docProps/custom.xml".into(),
                "application/vnd.openxmlformats-officedocument.custom-properties+xml".into(),
            ));
            rels.push((
                format!("{REL}/custom-properties"),
                "docProps/custom.xml".into(),
            ));
        }
        if let Some(labels) = &self.label_info {
            parts.push((
                "docMetadata/LabelInfo.xml".into(),
                label_info_xml(labels).into_bytes(),
            ));
            overrides.push((
                "docMetadata/LabelInfo.xml".into(),
                self.label_info_content_type.clone(),
            ));
            if self.label_info_related {
                rels.push((
                    crate::read::ooxml::REL_LABELS.into(),
                    "docMetadata/LabelInfo.xml".into(),
                ));
            }
        }
        let mut package_rels = rels_xml(&rels);
        for (name, ct, xml) in &self.xml_parts {
            match parts.iter_mut().find(|(n, _)| n == name) {
                Some(p) => p.1 = xml.clone(),
                None => parts.push((name.clone(), xml.clone())),
            }
            if let Some(ct) = ct {
                overrides.retain(|(p, _)| p != name);
                overrides.push((name.clone(), ct.clone()));
            }
        }
        for (source, id, kind, target) in &self.extra_rels {
            let rel = format!(
                "<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{}\"{}/>",
                esc(target),
                if target.contains("://") || target.starts_with("file:") {
                    " TargetMode=\"External\""
                } else {
                    ""
                }
            );
            let rels_part = crate::read::ooxml::opc::rels_part(source);
            let xml = if source.is_empty() {
                &mut package_rels
            } else {
                if !parts.iter().any(|(n, _)| *n == rels_part) {
                    parts.push((rels_part.clone(), rels_xml(&[]).into_bytes()));
                }
                let p = parts.iter_mut().find(|(n, _)| *n == rels_part).unwrap();
                let mut text = String::from_utf8(std::mem::take(&mut p.1)).unwrap();
                let at = text.rfind("</Relationships>").unwrap();
                text.insert_str(at, &rel);
                p.1 = text.into_bytes();
                continue;
            };
            let at = xml.rfind("</Relationships>").unwrap();
            xml.insert_str(at, &rel);
        }
        // Office writes [Content_Types].xml and the package relationships first.
        let mut all = vec![
            (
                "[Content_Types].xml".to_string(),
                content_types(&overrides).into_bytes(),
            ),
            ("_rels/.rels".to_string(), package_rels.into_bytes()),
        ];
        all.extend(parts);
        all.extend(self.extra_parts.iter().cloned());
        zip(&all)
    }

    fn main_part(&self) -> &'static str {
        match family(self.format) {
            Family::Word => "word/document.xml",
            Family::Excel => "xl/workbook.xml",
            Family::PowerPoint => "ppt/presentation.xml",
        }
    }

    fn body(&self, parts: &mut Vec<(String, Vec<u8>)>, overrides: &mut Vec<(String, String)>) {
        let mut add = |name: &str, ct: Option<&str>, xml: String| {
            parts.push((name.into(), xml.into_bytes()));
            if let Some(ct) = ct {
                overrides.push((name.into(), ct.into()));
            }
        };
        let ml = "application/vnd.openxmlformats-officedocument";
        match family(self.format) {
            Family::Word => {
                let paras: String = self
                    .texts
                    .iter()
                    .map(|t| {
                        format!(
                            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                            esc(t)
                        )
                    })
                    .collect();
                let [header, footer, watermark] = &self.marking;
                let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
                let mut refs = String::new();
                let mut rels = Vec::new();
                let para = |t: &str| format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", esc(t));
                if header.is_some() || watermark.is_some() {
                    let shape = watermark.as_ref().map_or(String::new(), |t| format!("<w:p><w:r><w:pict><v:shape id=\"PowerPlusWaterMarkObject\" type=\"#_x0000_t136\"><v:textpath style=\"font-family:&quot;Calibri&quot;\" string=\"{}\"/></v:shape></w:pict></w:r></w:p>", esc(t)));
                    let text = header.as_deref().map_or(String::new(), para);
                    add(
                        "word/header1.xml",
                        Some(&format!("{ml}.wordprocessingml.header+xml")),
                        format!(
                            "{XML}<w:hdr {w} xmlns:v=\"urn:schemas-microsoft-com:vml\">{text}{shape}</w:hdr>"
                        ),
                    );
                    rels.push((format!("{REL}/header"), "header1.xml".to_string()));
                    refs.push_str(&format!(
                        "<w:headerReference w:type=\"default\" r:id=\"rId{}\"/>",
                        rels.len()
                    ));
                }
                if let Some(t) = footer {
                    add(
                        "word/footer1.xml",
                        Some(&format!("{ml}.wordprocessingml.footer+xml")),
                        format!("{XML}<w:ftr {w}>{}</w:ftr>", para(t)),
                    );
                    rels.push((format!("{REL}/footer"), "footer1.xml".to_string()));
                    refs.push_str(&format!(
                        "<w:footerReference w:type=\"default\" r:id=\"rId{}\"/>",
                        rels.len()
                    ));
                }
                if !rels.is_empty() {
                    add("word/_rels/document.xml.rels", None, rels_xml(&rels));
                }
                add(
                    "word/document.xml",
                    None,
                    format!(
                        "{XML}<w:document {w} xmlns:r=\"{REL}\" {MCE}><w:body>{paras}<w:sectPr>{refs}</w:sectPr></w:body></w:document>"
                    ),
                );
            }
            Family::Excel => {
                let sst: String = self
                    .texts
                    .iter()
                    .map(|t| format!("<si><t xml:space=\"preserve\">{}</t></si>", esc(t)))
                    .collect();
                let rows: String = (0..self.texts.len())
                    .map(|i| {
                        format!(
                            "<row r=\"{0}\"><c r=\"A{0}\" t=\"s\"><v>{i}</v></c></row>",
                            i + 1
                        )
                    })
                    .collect();
                add(
                    "xl/workbook.xml",
                    None,
                    format!(
                        "{XML}<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"{REL}\"><sheets><sheet name=\"Ark1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
                    ),
                );
                add(
                    "xl/_rels/workbook.xml.rels",
                    None,
                    rels_xml(&[
                        (format!("{REL}/worksheet"), "worksheets/sheet1.xml".into()),
                        (format!("{REL}/sharedStrings"), "sharedStrings.xml".into()),
                        (format!("{REL}/styles"), "styles.xml".into()),
                    ]),
                );
                add(
                    "xl/worksheets/sheet1.xml",
                    Some(&format!("{ml}.spreadsheetml.worksheet+xml")),
                    format!(
                        "{XML}<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{rows}</sheetData>{}</worksheet>",
                        excel_header_footer(&self.marking)
                    ),
                );
                add(
                    "xl/sharedStrings.xml",
                    Some(&format!("{ml}.spreadsheetml.sharedStrings+xml")),
                    format!(
                        "{XML}<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{0}\" uniqueCount=\"{0}\">{sst}</sst>",
                        self.texts.len()
                    ),
                );
                add(
                    "xl/styles.xml",
                    Some(&format!("{ml}.spreadsheetml.styles+xml")),
                    STYLES.into(),
                );
            }
            Family::PowerPoint => {
                let n = self.texts.len().max(1);
                let ids: String = (0..n)
                    .map(|i| format!("<p:sldId id=\"{}\" r:id=\"rId{}\"/>", 256 + i, i + 3))
                    .collect();
                let mut prels = vec![
                    (
                        format!("{REL}/slideMaster"),
                        "slideMasters/slideMaster1.xml".to_string(),
                    ),
                    (format!("{REL}/theme"), "theme/theme1.xml".into()),
                ];
                prels.extend(
                    (0..n).map(|i| (format!("{REL}/slide"), format!("slides/slide{}.xml", i + 1))),
                );
                add(
                    "ppt/presentation.xml",
                    None,
                    format!(
                        "{XML}<p:presentation {PNS}><p:sldMasterIdLst><p:sldMasterId id=\"2147483648\" r:id=\"rId1\"/></p:sldMasterIdLst><p:sldIdLst>{ids}</p:sldIdLst><p:sldSz cx=\"12192000\" cy=\"6858000\"/><p:notesSz cx=\"6858000\" cy=\"9144000\"/></p:presentation>"
                    ),
                );
                add("ppt/_rels/presentation.xml.rels", None, rels_xml(&prels));
                add(
                    "ppt/slideMasters/slideMaster1.xml",
                    Some(&format!("{ml}.presentationml.slideMaster+xml")),
                    format!(
                        "{XML}<p:sldMaster {PNS}><p:cSld>{}</p:cSld><p:clrMap bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" accent1=\"accent1\" accent2=\"accent2\" accent3=\"accent3\" accent4=\"accent4\" accent5=\"accent5\" accent6=\"accent6\" hlink=\"hlink\" folHlink=\"folHlink\"/><p:sldLayoutIdLst><p:sldLayoutId id=\"2147483649\" r:id=\"rId1\"/></p:sldLayoutIdLst></p:sldMaster>",
                        master_tree(&self.marking)
                    ),
                );
                add(
                    "ppt/slideMasters/_rels/slideMaster1.xml.rels",
                    None,
                    rels_xml(&[
                        (
                            format!("{REL}/slideLayout"),
                            "../slideLayouts/slideLayout1.xml".into(),
                        ),
                        (format!("{REL}/theme"), "../theme/theme1.xml".into()),
                    ]),
                );
                add(
                    "ppt/slideLayouts/slideLayout1.xml",
                    Some(&format!("{ml}.presentationml.slideLayout+xml")),
                    format!(
                        "{XML}<p:sldLayout {PNS} type=\"blank\"><p:cSld name=\"Blank\">{EMPTY_TREE}</p:cSld></p:sldLayout>"
                    ),
                );
                add(
                    "ppt/slideLayouts/_rels/slideLayout1.xml.rels",
                    None,
                    rels_xml(&[(
                        format!("{REL}/slideMaster"),
                        "../slideMasters/slideMaster1.xml".into(),
                    )]),
                );
                add(
                    "ppt/theme/theme1.xml",
                    Some(&format!("{ml}.theme+xml")),
                    THEME.into(),
                );
                for i in 0..n {
                    let text = self.texts.get(i).map(String::as_str).unwrap_or("");
                    let shape = format!(
                        "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Tekst 1\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x=\"838200\" y=\"365125\"/><a:ext cx=\"10515600\" cy=\"1325563\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang=\"nb-NO\"/><a:t>{}</a:t></a:r></a:p></p:txBody></p:sp>",
                        esc(text)
                    );
                    add(
                        &format!("ppt/slides/slide{}.xml", i + 1),
                        Some(&format!("{ml}.presentationml.slide+xml")),
                        format!(
                            "{XML}<p:sld {PNS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>{shape}</p:spTree></p:cSld></p:sld>"
                        ),
                    );
                    add(
                        &format!("ppt/slides/_rels/slide{}.xml.rels", i + 1),
                        None,
                        rels_xml(&[(
                            format!("{REL}/slideLayout"),
                            "../slideLayouts/slideLayout1.xml".into(),
                        )]),
                    );
                }
            }
        }
    }
}

enum Family {
    Word,
    Excel,
    PowerPoint,
}

fn family(f: Format) -> Family {
    match f {
        Format::Docx | Format::Docm | Format::Dotx | Format::Dotm => Family::Word,
        Format::Xlsx | Format::Xlsm | Format::Xltx | Format::Xltm => Family::Excel,
        _ => Family::PowerPoint,
    }
}

fn main_content_type(f: Format) -> Option<&'static str> {
    Some(match f {
        Format::Docx => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        }
        Format::Docm => "application/vnd.ms-word.document.macroEnabled.main+xml",
        Format::Dotx => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
        }
        Format::Dotm => "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
        Format::Xlsx => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        }
        Format::Xlsm => "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        Format::Xltx => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"
        }
        Format::Xltm => "application/vnd.ms-excel.template.macroEnabled.main+xml",
        Format::Pptx => {
            "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
        }
        Format::Pptm => "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
        Format::Potx => {
            "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
        }
        Format::Potm => "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
        Format::Ppsx => {
            "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml"
        }
        Format::Ppsm => "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
        _ => return None,
    })
}

const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";
/// The namespaces Word declares for its alternate content (text boxes: DrawingML in the
/// choice, VML in the fallback).
const MCE: &str = "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:v=\"urn:schemas-microsoft-com:vml\"";

const PNS: &str = "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";
/// Excel's header and footer strings for a marking (left-aligned, as Purview writes them).
fn excel_header_footer(marking: &[Option<String>; 3]) -> String {
    let [header, footer, _] = marking;
    if header.is_none() && footer.is_none() {
        return String::new();
    }
    let one = |tag: &str, t: &Option<String>| {
        t.as_ref().map_or(String::new(), |t| {
            format!("<{tag}>&amp;L{}</{tag}>", esc(t))
        })
    };
    format!(
        "<headerFooter>{}{}</headerFooter>",
        one("oddHeader", header),
        one("oddFooter", footer)
    )
}

/// The slide master's shape tree, with a marking text box per marking text.
fn master_tree(marking: &[Option<String>; 3]) -> String {
    let shapes: String = marking
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, t)| {
            format!(
                "<p:sp><p:nvSpPr><p:cNvPr id=\"{}\" name=\"MSIPCMContentMarking\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>{}</a:t></a:r></a:p></p:txBody></p:sp>",
                i + 10,
                esc(t)
            )
        })
        .collect();
    EMPTY_TREE.replace("</p:spTree>", &format!("{shapes}</p:spTree>"))
}

const EMPTY_TREE: &str = "<p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/></p:spTree>";
const CORE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>o365lint fixture</dc:title><dc:creator>o365lint</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-02T09:14:27Z</dcterms:created></cp:coreProperties>";
const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>o365lint fixture builder</Application></Properties>";
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>";
const THEME: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" name=\"Office\"><a:themeElements><a:clrScheme name=\"Office\"><a:dk1><a:sysClr val=\"windowText\" lastClr=\"000000\"/></a:dk1><a:lt1><a:sysClr val=\"window\" lastClr=\"FFFFFF\"/></a:lt1><a:dk2><a:srgbClr val=\"44546A\"/></a:dk2><a:lt2><a:srgbClr val=\"E7E6E6\"/></a:lt2><a:accent1><a:srgbClr val=\"4472C4\"/></a:accent1><a:accent2><a:srgbClr val=\"ED7D31\"/></a:accent2><a:accent3><a:srgbClr val=\"A5A5A5\"/></a:accent3><a:accent4><a:srgbClr val=\"FFC000\"/></a:accent4><a:accent5><a:srgbClr val=\"5B9BD5\"/></a:accent5><a:accent6><a:srgbClr val=\"70AD47\"/></a:accent6><a:hlink><a:srgbClr val=\"0563C1\"/></a:hlink><a:folHlink><a:srgbClr val=\"954F72\"/></a:folHlink></a:clrScheme><a:fontScheme name=\"Office\"><a:majorFont><a:latin typeface=\"Calibri Light\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/></a:majorFont><a:minorFont><a:latin typeface=\"Calibri\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/></a:minorFont></a:fontScheme><a:fmtScheme name=\"Office\"><a:fillStyleLst><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln w=\"6350\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln><a:ln w=\"12700\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln><a:ln w=\"19050\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>";

fn rels_xml(rels: &[(String, String)]) -> String {
    let body: String = rels
        .iter()
        .enumerate()
        .map(|(i, (kind, target))| {
            format!(
                "<Relationship Id=\"rId{}\" Type=\"{kind}\" Target=\"{}\"/>",
                i + 1,
                esc(target)
            )
        })
        .collect();
    format!(
        "{XML}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{body}</Relationships>"
    )
}

fn content_types(overrides: &[(String, String)]) -> String {
    let body: String = overrides
        .iter()
        .map(|(p, ct)| format!("<Override PartName=\"/{p}\" ContentType=\"{ct}\"/>"))
        .collect();
    format!(
        "{XML}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>{body}</Types>"
    )
}

fn custom_xml(props: &[(String, String)]) -> String {
    let body: String = props
        .iter()
        .enumerate()
        .map(|(i, (k, v))| format!("<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{}\" name=\"{}\"><vt:lpwstr>{}</vt:lpwstr></property>", i + 2, esc(k), esc(v)))
        .collect();
    format!(
        "{XML}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">{body}</Properties>"
    )
}

/// A zip with the given entries, deflated, with fixed timestamps (reproducible bytes).
pub fn zip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, data) in parts {
        w.start_file(name.as_str(), opts).expect("zip entry");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// How an OLE shell is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protection {
    /// Password encryption: `StrongEncryptionDataSpace` and an `EncryptionInfo` stream.
    Password,
    /// Rights management: `DRMEncryptedDataSpace` (OOXML) or `\x09DRMDataSpace` (legacy).
    Irm,
}

/// An encrypted OOXML package: an OLE compound file with an `EncryptedPackage` stream.
/// The package itself is opaque filler; only what sits outside it matters here.
#[derive(Clone, Debug)]
pub struct Encrypted {
    protection: Protection,
    label_info: Option<Vec<Label>>,
    summary: Vec<Label>,
    code_page: u16,
}

impl Encrypted {
    pub fn new(protection: Protection) -> Encrypted {
        Encrypted {
            protection,
            label_info: None,
            summary: Vec::new(),
            code_page: 1252,
        }
    }

    /// Writes `\x06DataSpaces\TransformInfo\LabelInfo` with these labels.
    pub fn label_info(mut self, labels: Vec<Label>) -> Encrypted {
        self.label_info = Some(labels);
        self
    }

    /// Adds a label as `MSIP_Label_*` properties in `\x05DocumentSummaryInformation`.
    pub fn summary_label(mut self, label: &Label) -> Encrypted {
        self.summary.push(label.clone());
        self
    }

    /// The property set's code page (1252 by default; 1200 writes UTF-16 strings).
    pub fn code_page(mut self, cp: u16) -> Encrypted {
        self.code_page = cp;
        self
    }

    pub fn build(&self) -> Vec<u8> {
        let mut streams: Vec<(String, Vec<u8>)> = Vec::new();
        let ds = "/\u{6}DataSpaces";
        streams.push((format!("{ds}/Version"), version_stream()));
        let (space, transform, id, name) = match self.protection {
            Protection::Password => (
                "StrongEncryptionDataSpace",
                "StrongEncryptionTransform",
                "{FF9A3F03-56EF-4613-BDD5-5A41C1D07246}",
                "Microsoft.Container.EncryptionTransform",
            ),
            Protection::Irm => (
                "DRMEncryptedDataSpace",
                "DRMEncryptedTransform",
                "{C73DFACD-061F-43B0-8B64-0C620D2A8B50}",
                "Microsoft.Metadata.DRMTransform",
            ),
        };
        streams.push((
            format!("{ds}/DataSpaceMap"),
            write_map(&[MapEntry {
                components: vec!["EncryptedPackage".into()],
                data_space: space.into(),
            }]),
        ));
        streams.push((
            format!("{ds}/DataSpaceInfo/{space}"),
            data_space_info(&[transform]),
        ));
        streams.push((
            format!("{ds}/TransformInfo/{transform}/\u{6}Primary"),
            transform_info(id, name, self.protection == Protection::Irm),
        ));
        if let Some(labels) = &self.label_info {
            streams.push((
                format!("{ds}/TransformInfo/LabelInfo"),
                label_info_xml(labels).into_bytes(),
            ));
        }
        if self.protection == Protection::Password {
            let mut info = vec![4, 0, 4, 0, 0x40, 0, 0, 0];
            info.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<encryption xmlns=\"http://schemas.microsoft.com/office/2006/encryption\"><keyData saltSize=\"16\" blockSize=\"16\" keyBits=\"256\" hashSize=\"64\" cipherAlgorithm=\"AES\" cipherChaining=\"ChainingModeCBC\" hashAlgorithm=\"SHA512\" saltValue=\"AAAAAAAAAAAAAAAAAAAAAA==\"/></encryption>");
            streams.push(("/EncryptionInfo".into(), info));
        }
        let mut package = 4096u64.to_le_bytes().to_vec();
        package.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
        streams.push(("/EncryptedPackage".into(), package));
        if !self.summary.is_empty() {
            streams.push((
                format!("/{}", crate::read::container::ole::SUMMARY_INFO),
                summary_stream(&self.summary, self.code_page),
            ));
        }
        cfb(&streams)
    }
}

/// The legacy binary formats the builder writes shells for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legacy {
    Doc,
    Xls,
    Ppt,
}

/// A legacy .doc/.xls/.ppt shell: the main stream's header, properties, optional IRM.
#[derive(Clone, Debug)]
pub struct LegacyFile {
    kind: Legacy,
    protection: Option<Protection>,
    summary: Vec<Label>,
    label_info: Option<Vec<Label>>,
    code_page: u16,
}

impl LegacyFile {
    pub fn new(kind: Legacy) -> LegacyFile {
        LegacyFile {
            kind,
            protection: None,
            summary: Vec::new(),
            label_info: None,
            code_page: 1252,
        }
    }

    pub fn protection(mut self, p: Protection) -> LegacyFile {
        self.protection = Some(p);
        self
    }

    pub fn summary_label(mut self, label: &Label) -> LegacyFile {
        self.summary.push(label.clone());
        self
    }

    /// A LabelInfo stream in the IRM data spaces (the spec does not rule it out for binaries).
    pub fn label_info(mut self, labels: Vec<Label>) -> LegacyFile {
        self.label_info = Some(labels);
        self
    }

    pub fn code_page(mut self, cp: u16) -> LegacyFile {
        self.code_page = cp;
        self
    }

    pub fn build(&self) -> Vec<u8> {
        let password = self.protection == Some(Protection::Password);
        let mut streams: Vec<(String, Vec<u8>)> = match self.kind {
            Legacy::Doc => {
                // FIB base: wIdent 0xA5EC, nFib 0x00C1, …, flags at 0x0A (fEncrypted = 0x0100).
                let mut fib = vec![0u8; 1472];
                fib[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
                fib[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
                fib[10..12].copy_from_slice(
                    &(0x0200u16 | if password { 0x0100 } else { 0 }).to_le_bytes(),
                );
                vec![
                    ("/WordDocument".into(), fib),
                    ("/1Table".into(), vec![0; 512]),
                ]
            }
            Legacy::Xls => {
                // BOF (BIFF8 workbook globals), FILEPASS if encrypted, EOF.
                let mut wb = vec![0x09, 0x08, 16, 0, 0x00, 0x06, 0x05, 0x00];
                wb.extend([0; 12]);
                if password {
                    wb.extend([0x2F, 0x00, 0x02, 0x00, 0x00, 0x00]);
                }
                wb.extend([0x0A, 0x00, 0x00, 0x00]);
                wb.resize(4096, 0);
                vec![("/Workbook".into(), wb)]
            }
            Legacy::Ppt => {
                let mut s = vec![
                    ("/PowerPoint Document".into(), vec![0; 512]),
                    ("/Current User".into(), vec![0; 64]),
                ];
                if password {
                    s.push(("/EncryptedSummary".into(), vec![0; 256]));
                }
                s
            }
        };
        if self.protection == Some(Protection::Irm) {
            let ds = "/\u{6}DataSpaces";
            streams.push((format!("{ds}/Version"), version_stream()));
            streams.push((
                format!("{ds}/DataSpaceMap"),
                write_map(&[MapEntry {
                    components: vec!["\u{9}DRMContent".into()],
                    data_space: "\u{9}DRMDataSpace".into(),
                }]),
            ));
            streams.push((
                format!("{ds}/DataSpaceInfo/\u{9}DRMDataSpace"),
                data_space_info(&["\u{9}DRMTransform"]),
            ));
            streams.push((
                format!("{ds}/TransformInfo/\u{9}DRMTransform/\u{6}Primary"),
                transform_info(
                    "{C73DFACD-061F-43B0-8B64-0C620D2A8B50}",
                    "Microsoft.Metadata.DRMTransform",
                    true,
                ),
            ));
            streams.push(("/\u{9}DRMContent".into(), vec![0x5A; 1024]));
        }
        if let Some(labels) = &self.label_info {
            streams.push((
                "/\u{6}DataSpaces/TransformInfo/LabelInfo".into(),
                label_info_xml(labels).into_bytes(),
            ));
        }
        if !self.summary.is_empty() {
            streams.push((
                format!("/{}", crate::read::container::ole::SUMMARY_INFO),
                summary_stream(&self.summary, self.code_page),
            ));
        }
        cfb(&streams)
    }
}

fn summary_stream(labels: &[Label], code_page: u16) -> Vec<u8> {
    let props: Vec<(String, String)> = labels.iter().flat_map(Label::properties).collect();
    let refs: Vec<(&str, &str)> = props
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    write_user_defined(code_page, &refs)
}

fn version_stream() -> Vec<u8> {
    let mut v = Vec::new();
    write_lp_p4(&mut v, "Microsoft.Container.DataSpaces");
    for _ in 0..3 {
        v.extend([1, 0, 0, 0]); // major 1, minor 0
    }
    v
}

fn data_space_info(transforms: &[&str]) -> Vec<u8> {
    let mut v = 8u32.to_le_bytes().to_vec();
    v.extend((transforms.len() as u32).to_le_bytes());
    for t in transforms {
        write_lp_p4(&mut v, t);
    }
    v
}

fn transform_info(id: &str, name: &str, irm: bool) -> Vec<u8> {
    let mut body = 1u32.to_le_bytes().to_vec();
    write_lp_p4(&mut body, id);
    let header_len = body.len() as u32 + 4;
    write_lp_p4(&mut body, name);
    for _ in 0..3 {
        body.extend([1, 0, 0, 0]);
    }
    if irm {
        body.extend(4u32.to_le_bytes());
        let xrml = b"<?xml version=\"1.0\"?><XrML version=\"1.2\"><BODY type=\"Microsoft Rights Label\"/></XrML>";
        body.extend((xrml.len() as u32).to_le_bytes());
        body.extend(xrml);
        body.resize(body.len().div_ceil(4) * 4, 0);
    }
    let mut v = header_len.to_le_bytes().to_vec();
    v.extend(body);
    v
}

/// An OLE compound file holding the given streams (paths with `/`, storages created).
fn cfb(streams: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb create");
    for (path, data) in streams {
        if let Some((dir, _)) = path.rsplit_once('/')
            && !dir.is_empty()
        {
            cf.create_storage_all(dir).expect("cfb storage");
        }
        cf.create_stream(path)
            .expect("cfb stream")
            .write_all(data)
            .expect("cfb write");
    }
    // Fixed timestamps on every storage: reproducible bytes.
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_793_610_867);
    let storages: Vec<std::path::PathBuf> = cf
        .walk()
        .filter(|e| !e.is_stream())
        .map(|e| e.path().to_path_buf())
        .collect();
    for path in storages {
        cf.set_created_time(&path, when).expect("cfb time");
        cf.set_modified_time(&path, when).expect("cfb time");
    }
    cf.flush().expect("cfb flush");
    cf.into_inner().into_inner()
}

/// A document labelled Intern whose text hides in the places a reader misses: a comment,
/// a tracked deletion, hidden text, a table, a header. The identifiers are published test
/// numbers (spec/pii.md Appendix A), no real person's.
fn hidden_content_demo() -> Vec<u8> {
    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
    let p = |t: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(t)
        )
    };
    let cell = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
    let body = format!(
        "{}<w:p><w:r><w:t xml:space=\"preserve\">Søker: Kari Nordmann, fnr </w:t></w:r><w:del w:id=\"1\" w:author=\"Saksbehandler\"><w:r><w:delText>15108695088</w:delText></w:r></w:del><w:ins w:id=\"2\" w:author=\"Saksbehandler\"><w:r><w:t>(se vedlegg)</w:t></w:r></w:ins><w:commentRangeStart w:id=\"0\"/><w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r></w:p><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>Intern merknad: søker har verge.</w:t></w:r></w:p><w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl><w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdH1\"/></w:sectPr>",
        p("Vedtak om tildeling av kommunal bolig"),
        cell("Navn"),
        cell("Fødselsnummer"),
        cell("Ola Nordmann"),
        cell("010101 00131")
    );
    Ooxml::new(Format::Docx)
        .label_info(vec![Label::new(ids::INTERN, ids::TENANT)])
        .xml_part(
            "word/document.xml",
            None,
            format!("{XML}<w:document {W}><w:body>{body}</w:body></w:document>"),
        )
        .xml_part(
            "word/comments.xml",
            Some("wordprocessingml.comments+xml"),
            format!(
                "{XML}<w:comments {W}><w:comment w:id=\"0\" w:author=\"Per Hansen\" w:initials=\"PH\">{}</w:comment></w:comments>",
                p("Husk å sjekke fødselsnummeret 15108695088 mot folkeregisteret.")
            ),
        )
        .xml_part(
            "word/header1.xml",
            Some("wordprocessingml.header+xml"),
            format!("{XML}<w:hdr {W}>{}</w:hdr>", p("Intern")),
        )
        .rel("word/document.xml", "rIdC1", "comments", "comments.xml")
        .rel("word/document.xml", "rIdH1", "header", "header1.xml")
        .build()
}

/// An OLE object as Office embeds one: a compound file holding one stream (`Package` for
/// an embedded OOXML document, `\x01Ole10Native` for a packaged file, anything else for
/// other objects).
pub fn ole_object(stream: &str, data: &[u8]) -> Vec<u8> {
    cfb(&[(format!("/{stream}"), data.to_vec())])
}

/// The Packager's native data for a file: its label and path, then its bytes.
pub fn ole10_native(name: &str, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let path = format!("C:\\Users\\ola\\{name}");
    let mut body = Vec::new();
    body.extend(2u16.to_le_bytes());
    for s in [name, &path] {
        body.extend(s.as_bytes());
        body.push(0);
    }
    body.extend([0, 0, 3, 0]);
    body.extend((path.len() as u32 + 1).to_le_bytes());
    body.extend(path.as_bytes());
    body.push(0);
    body.extend((data.len() as u32).to_le_bytes());
    body.extend(data);
    out.extend((body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

/// Ids of the built-in demo catalogue (`rules/labels.toml`) and of strangers to it.
pub mod ids {
    pub const TENANT: &str = "0a7f70e8-9429-4eb1-811a-5bec2ff8c815";
    pub const APEN: &str = "4ba57e2e-15ab-4632-9e26-5c7ad5060d41";
    pub const INTERN: &str = "6ae54424-c431-46c6-8ac2-cb0fc8776528";
    pub const BESKYTTET: &str = "b4656a6d-e029-4ad8-80eb-20d7b9b55368";
    pub const BESKYTTET_KUN_OSLO: &str = "127ce367-f89f-4267-9cf4-b2b78a206538";
    pub const STRENGT_BESKYTTET: &str = "2643e7e1-5562-4c70-b59d-9719b25f2dc3";
    /// Another organisation's tenant and one of its labels.
    pub const FOREIGN_TENANT: &str = "d391c73e-8994-491d-a914-9d46166b1479";
    pub const FOREIGN_LABEL: &str = "82ee869c-12e2-479e-809a-67638c0d0c53";
    /// An own-tenant label that the demo catalogue does not know.
    pub const UNKNOWN_LABEL: &str = "0302f190-27eb-41bd-b38d-29723c1ad992";
}

/// The documents of `fixtures/demo/`: one per labelling situation the scanner reports.
pub fn demo_files() -> Vec<(&'static str, Vec<u8>)> {
    use ids::*;
    let own = |id: &str| Label::new(id, TENANT);
    vec![
        (
            "01-apen-rundskriv.docx",
            Ooxml::new(Format::Docx)
                .text("Rundskriv om åpningstider i bydelens servicetorg.")
                .label_info(vec![own(APEN)])
                .build(),
        ),
        (
            "02-intern-budsjett.xlsx",
            Ooxml::new(Format::Xlsx)
                .text("Budsjettforslag 2027")
                .text("Driftsutgifter")
                .label_info(vec![own(INTERN).content_bits(Some(2))])
                .marking(None, Some("Intern"), None)
                .build(),
        ),
        (
            // Relabelled after the tenant turned on co-authoring: LabelInfo holds the new
            // label, custom.xml still the old one, which LabelInfo supersedes.
            "03-beskyttet-saksnotat.docx",
            Ooxml::new(Format::Docx)
                .text("Saksnotat: tildeling av kommunal bolig.")
                .label_info(vec![own(BESKYTTET_KUN_OSLO).content_bits(Some(11))])
                .marking(Some("Beskyttet"), Some("Beskyttet"), None)
                .custom_label(&own(INTERN).method("Standard").name("Intern"))
                .build(),
        ),
        (
            "04-strengt-beskyttet-irm.xlsx",
            Encrypted::new(Protection::Irm)
                .label_info(vec![own(STRENGT_BESKYTTET).content_bits(Some(15))])
                .build(),
        ),
        (
            "05-passordbeskyttet.docx",
            Encrypted::new(Protection::Password).build(),
        ),
        (
            // Labelled by us and by a partner organisation: both labels are in force.
            "06-felles-presentasjon.pptx",
            Ooxml::new(Format::Pptx)
                .text("Samarbeidsprosjekt med nabokommunen")
                .label_info(vec![own(INTERN).method("Standard")])
                .custom_label(
                    &Label::new(FOREIGN_LABEL, FOREIGN_TENANT)
                        .method("Standard")
                        .name("Amber"),
                )
                .build(),
        ),
        (
            "07-umerket-mal.dotx",
            Ooxml::new(Format::Dotx)
                .text("Mal for møteinnkalling")
                .build(),
        ),
        (
            "08-fjernet-merking.docx",
            Ooxml::new(Format::Docx)
                .text("Utkast")
                .label_info(vec![Label::removed(TENANT)])
                .build(),
        ),
        (
            "09-ukjent-merking.pptx",
            Ooxml::new(Format::Pptx)
                .text("Prosjektplan")
                .label_info(vec![own(UNKNOWN_LABEL)])
                .build(),
        ),
        (
            "10-gammelt-regneark.xls",
            LegacyFile::new(Legacy::Xls)
                .summary_label(&own(INTERN).method("Standard").name("Intern"))
                .build(),
        ),
        (
            "11-fra-annen-virksomhet.docx",
            Ooxml::new(Format::Docx)
                .text("Høringsuttalelse")
                .custom_label(&Label::new(FOREIGN_LABEL, FOREIGN_TENANT).name("Amber"))
                .build(),
        ),
        ("12-skjult-innhold.docx", hidden_content_demo()),
        // The owner file Word keeps beside an open document.
        ("~$-beskyttet-saksnotat.docx", lock_file("Kari Nordmann")),
    ]
}

/// An Office owner/lock file: the user name as a length-prefixed string, padded to 162 bytes.
pub fn lock_file(user: &str) -> Vec<u8> {
    let mut v = vec![user.len() as u8];
    v.extend(user.bytes());
    v.resize(54, b' ');
    v.push(user.len() as u8);
    v.push(0);
    v.extend(user.encode_utf16().flat_map(u16::to_le_bytes));
    v.resize(162, 0);
    v
}
