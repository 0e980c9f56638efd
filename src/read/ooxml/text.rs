//! Which parts of a package hold text, what people call them, and the order they are read
//! in. Every part is classified by its content type (or, failing that, its name), so text in
//! parts nothing points to is read too. Names come from relationships: the workbook's sheet
//! names, the presentation's slide order, and from owner to owned part (a sheet's comments,
//! a slide's notes, a drawing's charts).

use std::collections::HashMap;
use std::io::{Read, Seek};
use std::sync::Arc;
use std::time::Instant;

use super::opc::{self, Relationship};
use super::{drawingml, props, spreadsheetml as sml, wordml};
use crate::model::{Flags, Format, Kind};
use crate::read::container::zip::Package;
use crate::read::error::PartError;
use crate::read::error::{Error, Limit};
use crate::read::text::{Budget, Emitter, Piece, Place, SharedStrings, Sink};
use crate::read::xml;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Word(wordml::Part),
    Workbook,
    SharedStrings,
    Styles,
    Worksheet,
    XlComments,
    Threaded,
    Persons,
    XlTable,
    PivotDefinition,
    PivotRecords,
    ExternalLink,
    Presentation,
    Drawing(Kind),
    Chart,
    PptComments,
    PptAuthors,
    Core,
    App,
    Custom,
    CustomXml,
    /// Content Word imports into the document (`w:altChunk`): HTML, RTF or plain text.
    Imported(Markup),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Markup {
    Html,
    Rtf,
    Text,
}

impl Markup {
    /// Imported content of this content type, if it is text; otherwise it is a document
    /// (a docx) and read as an embedded one.
    fn of(content_type: &str) -> Option<Markup> {
        let ct = content_type.to_ascii_lowercase();
        Some(match ct.split(';').next().unwrap_or("").trim() {
            "text/html" | "application/xhtml+xml" | "message/rfc822" => Markup::Html,
            "application/rtf" | "text/rtf" => Markup::Rtf,
            "text/plain" => Markup::Text,
            _ => return None,
        })
    }
}

impl Role {
    /// Parts that can be megabytes: parsed as they are inflated.
    fn streamed(self) -> bool {
        matches!(
            self,
            Role::Word(_)
                | Role::SharedStrings
                | Role::Worksheet
                | Role::PivotRecords
                | Role::Drawing(_)
                | Role::Chart
        )
    }

    /// Reading order: the main flow first, then what surrounds it, metadata last.
    fn rank(self) -> u8 {
        match self {
            Role::SharedStrings | Role::Styles => 0,
            Role::Word(wordml::Part::Body) | Role::Workbook | Role::Presentation => 1,
            Role::Worksheet | Role::Drawing(Kind::Slide) => 2,
            Role::Word(wordml::Part::Header | wordml::Part::Footer) => 3,
            Role::Drawing(Kind::Notes) => 3,
            Role::Word(wordml::Part::Footnotes | wordml::Part::Endnotes) => 4,
            Role::Word(wordml::Part::Comments)
            | Role::XlComments
            | Role::Threaded
            | Role::PptComments => 5,
            Role::Persons | Role::PptAuthors => 6,
            Role::Drawing(Kind::TextBox) | Role::Chart | Role::Drawing(_) | Role::XlTable => 7,
            Role::PivotDefinition => 8,
            Role::PivotRecords => 9,
            Role::ExternalLink => 10,
            Role::Word(wordml::Part::Glossary) => 11,
            Role::CustomXml => 12,
            Role::Imported(_) => 2,
            Role::Core | Role::App | Role::Custom => 13,
        }
    }
}

const ML: &str = "application/vnd.openxmlformats-officedocument.";

/// A part's role from its content type, then from its name.
fn role(part: &str, ct: &str) -> Option<Role> {
    use wordml::Part as W;
    let by_type = |suffix: &str| {
        ct.strip_prefix(ML)
            .or_else(|| ct.strip_prefix("application/vnd."))
            .is_some_and(|t| t == suffix)
    };
    let table: &[(&str, Role)] = &[
        ("wordprocessingml.header+xml", Role::Word(W::Header)),
        ("wordprocessingml.footer+xml", Role::Word(W::Footer)),
        ("wordprocessingml.footnotes+xml", Role::Word(W::Footnotes)),
        ("wordprocessingml.endnotes+xml", Role::Word(W::Endnotes)),
        ("wordprocessingml.comments+xml", Role::Word(W::Comments)),
        (
            "wordprocessingml.document.glossary+xml",
            Role::Word(W::Glossary),
        ),
        ("spreadsheetml.sharedstrings+xml", Role::SharedStrings),
        ("spreadsheetml.styles+xml", Role::Styles),
        ("spreadsheetml.worksheet+xml", Role::Worksheet),
        ("ms-excel.macrosheet+xml", Role::Worksheet),
        ("spreadsheetml.comments+xml", Role::XlComments),
        ("ms-excel.threadedcomments+xml", Role::Threaded),
        ("ms-excel.person+xml", Role::Persons),
        ("spreadsheetml.table+xml", Role::XlTable),
        (
            "spreadsheetml.pivotcachedefinition+xml",
            Role::PivotDefinition,
        ),
        ("spreadsheetml.pivotcacherecords+xml", Role::PivotRecords),
        ("spreadsheetml.externallink+xml", Role::ExternalLink),
        ("drawing+xml", Role::Drawing(Kind::TextBox)),
        ("presentationml.slide+xml", Role::Drawing(Kind::Slide)),
        ("presentationml.notesslide+xml", Role::Drawing(Kind::Notes)),
        (
            "presentationml.slidelayout+xml",
            Role::Drawing(Kind::Layout),
        ),
        (
            "presentationml.slidemaster+xml",
            Role::Drawing(Kind::Master),
        ),
        (
            "presentationml.notesmaster+xml",
            Role::Drawing(Kind::Master),
        ),
        (
            "presentationml.handoutmaster+xml",
            Role::Drawing(Kind::Master),
        ),
        ("presentationml.comments+xml", Role::PptComments),
        ("ms-powerpoint.comments+xml", Role::PptComments),
        ("presentationml.commentauthors+xml", Role::PptAuthors),
        ("ms-powerpoint.authors+xml", Role::PptAuthors),
        ("drawingml.chart+xml", Role::Chart),
        ("drawingml.chartshapes+xml", Role::Drawing(Kind::Chart)),
        ("drawingml.diagramdata+xml", Role::Drawing(Kind::SmartArt)),
        ("extended-properties+xml", Role::App),
        ("custom-properties+xml", Role::Custom),
    ];
    if let Some((_, r)) = table.iter().find(|(t, _)| by_type(t)) {
        return Some(*r);
    }
    if ct == "application/vnd.openxmlformats-package.core-properties+xml" {
        return Some(Role::Core);
    }
    // Parts with a missing or generic content type, by the names Office gives them.
    let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
    let stem = file
        .strip_suffix(".xml")?
        .trim_end_matches(|c: char| c.is_ascii_digit());
    Some(match (dir, stem) {
        ("word", "header") => Role::Word(W::Header),
        ("word", "footer") => Role::Word(W::Footer),
        ("word", "footnotes") => Role::Word(W::Footnotes),
        ("word", "endnotes") => Role::Word(W::Endnotes),
        ("word", "comments") => Role::Word(W::Comments),
        ("xl", "sharedstrings") => Role::SharedStrings,
        ("xl", "styles") => Role::Styles,
        ("xl/worksheets", "sheet") => Role::Worksheet,
        ("ppt/slides", "slide") => Role::Drawing(Kind::Slide),
        ("ppt/notesslides", "notesslide") => Role::Drawing(Kind::Notes),
        ("docprops", "core") => Role::Core,
        ("docprops", "app") => Role::App,
        ("docprops", "custom") => Role::Custom,
        ("customxml", "item") => Role::CustomXml,
        _ => return None,
    })
}

/// The number in a part's file name (`header12.xml` → 12), for ordering and naming.
fn number(part: &str) -> u32 {
    let file = part.rsplit('/').next().unwrap_or(part);
    let stem = file.split('.').next().unwrap_or(file);
    let digits: String = stem
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().unwrap_or(0)
}

/// What text extraction found besides text.
#[derive(Default)]
pub struct Outcome {
    /// Parts holding embedded documents or OLE objects, in order.
    pub embeddings: Vec<String>,
    /// Parts that could not be read; the rest of the document was.
    pub damage: Vec<Error>,
}

struct Planned {
    part: String,
    role: Role,
    area: Arc<str>,
    flags: Flags,
    /// Position among its kind: sheet or slide order, else the number in its name.
    seq: u32,
}

/// Reads the text of every text-bearing part and hands it to `sink`. `info.main` is the main
/// document part; `prefix` goes before every part name (for embedded documents) and `flags`
/// apply to every piece. `budget` is what the file may still spend: text bytes, spent as
/// text is passed on, and time; when either runs out the rest of the document is not read
/// (a limit error says so).
pub fn extract<R: Read + Seek>(
    pkg: &mut Package<R>,
    info: &super::PackageInfo,
    prefix: &str,
    flags: Flags,
    sink: &mut dyn Sink,
    budget: &mut Budget,
) -> Outcome {
    let (types, format, main) = (&info.types, info.format, info.main.as_str());
    let mut out = Outcome::default();
    let mut names: Vec<String> = pkg.names().map(String::from).collect();
    names.sort();
    let mut plan: Vec<Planned> = Vec::new();
    let Related {
        embedded,
        imported,
        rels: known_rels,
        broken: broken_rels,
    } = related(pkg, &names, types, &info.rels);
    for (n, (part, markup)) in (1..).zip(imported) {
        plan.push(Planned {
            seq: n,
            role: Role::Imported(markup),
            part,
            area: format!("importert innhold {n}").into(),
            flags,
        });
    }
    for part in &names {
        if part.contains("/embeddings/") {
            out.embeddings.push(part.clone());
            continue;
        }
        if plan.iter().any(|p| &p.part == part) {
            continue;
        }
        // The main part is where the package's relationship points, in any folder.
        let role = if part == main {
            match format {
                Format::Docx | Format::Docm | Format::Dotx | Format::Dotm => {
                    Some(Role::Word(wordml::Part::Body))
                }
                Format::Xlsx | Format::Xlsm | Format::Xltx | Format::Xltm | Format::Xlam => {
                    Some(Role::Workbook)
                }
                Format::Pptx
                | Format::Pptm
                | Format::Potx
                | Format::Potm
                | Format::Ppsx
                | Format::Ppsm
                | Format::Ppam => Some(Role::Presentation),
                _ => None,
            }
        } else {
            role(part, types.of(part).unwrap_or(""))
        };
        match role {
            Some(role) => plan.push(Planned {
                part: part.clone(),
                role,
                area: "".into(),
                flags,
                seq: number(part),
            }),
            // A part that is text is read as text, whatever points to it.
            None if embedded.contains(part) => out.embeddings.push(part.clone()),
            None => {}
        }
    }
    let mut x = Extractor {
        pkg,
        prefix,
        sink,
        budget,
        out: &mut out,
        sheets: HashMap::new(),
        definitions: HashMap::new(),
        sources: HashMap::new(),
        known_rels,
        broken_rels,
        main_text: None,
        custom: info.custom.as_ref(),
    };
    x.name_parts(&mut plan, main);
    plan.sort_by(|a, b| (a.role.rank(), a.seq, &a.part).cmp(&(b.role.rank(), b.seq, &b.part)));
    x.run(&plan);
    out
}

struct Extractor<'p, 'o, 's, R: Read + Seek> {
    pkg: &'p mut Package<R>,
    prefix: &'p str,
    sink: &'p mut (dyn Sink + 's),
    budget: &'p mut Budget,
    out: &'o mut Outcome,
    /// Worksheet part → sheet name and whether it is hidden.
    sheets: HashMap<String, (Arc<str>, bool)>,
    /// Pivot cache records part → its definition part.
    definitions: HashMap<String, String>,
    /// External link part → the linked file (its external relationship's target).
    sources: HashMap<String, String>,
    /// Part → its relationships, as read once by `related` (each relationships part is
    /// inflated and parsed once).
    known_rels: HashMap<String, Vec<Relationship>>,
    broken_rels: HashMap<String, PartError>,
    /// The main part of a workbook or presentation, read for the list of its sheets or
    /// slides; a workbook's text is emitted in its turn.
    main_text: Option<String>,
    /// The custom properties part and its properties, as the package's reading found them.
    custom: Option<&'p (String, Vec<(String, String)>)>,
}

impl<R: Read + Seek> Extractor<'_, '_, '_, R> {
    fn shown(&self, part: &str) -> String {
        format!("{}{}", self.prefix, self.pkg.stored_name(part))
    }

    /// Records a part that could not be read, named with the embedding prefix.
    fn fail(&mut self, e: Error) {
        let e = match e {
            Error::Part { part, error } => Error::Part {
                part: format!("{}{part}", self.prefix),
                error,
            },
            other => other,
        };
        self.out.damage.push(e);
    }

    /// The text of a part, or `None` if it is missing or unreadable (noted as damage).
    fn text(&mut self, part: &str) -> Option<String> {
        match self.pkg.read(part) {
            Ok(bytes) => bytes.map(xml::decode),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    fn rels(&mut self, part: &str) -> Vec<Relationship> {
        if let Some(known) = self.known_rels.get(part) {
            return known.clone();
        }
        let rels_part = opc::rels_part(part);
        // Reported once, where first needed; known as none from then on.
        if let Some(why) = self.broken_rels.remove(part) {
            let shown = self.pkg.stored_name(&rels_part);
            self.fail(Error::part(shown, why));
            self.known_rels.insert(part.to_string(), Vec::new());
            return Vec::new();
        }
        if !self.pkg.contains(&rels_part) {
            return Vec::new();
        }
        let Some(text) = self.text(&rels_part) else {
            return Vec::new();
        };
        match opc::relationships(&text, part) {
            Ok(r) => r,
            Err(e) => {
                let shown = self.pkg.stored_name(&rels_part);
                self.fail(Error::part(shown, e));
                Vec::new()
            }
        }
    }

    /// Gives parts the names people know them by, from the relationships between them.
    fn name_parts(&mut self, plan: &mut [Planned], main: &str) {
        let index: HashMap<String, usize> = plan
            .iter()
            .enumerate()
            .map(|(i, p)| (p.part.clone(), i))
            .collect();
        // Sheets and slides, in the order the main part lists them.
        let main_rels = self.rels(main);
        let by_id: HashMap<&str, &str> = main_rels
            .iter()
            .filter(|r| !r.external)
            .map(|r| (r.id.as_str(), r.target.as_str()))
            .collect();
        let listing = plan
            .iter()
            .any(|p| p.part == main && matches!(p.role, Role::Workbook | Role::Presentation));
        // Read once: kept for the workbook's own text, emitted in its turn (`run`).
        self.main_text = listing.then(|| self.text(main)).flatten();
        let listed = self.main_text.as_deref().map(listed).unwrap_or_default();
        for (n, (rid, name, hidden)) in listed.into_iter().enumerate() {
            let Some(&target) = by_id.get(rid.as_str()) else {
                continue;
            };
            let Some(&i) = index.get(target) else {
                continue;
            };
            let p = &mut plan[i];
            p.seq = n as u32 + 1;
            match p.role {
                Role::Worksheet => {
                    p.area = name.clone().into();
                    if hidden {
                        p.flags |= Flags::HIDDEN_SHEET;
                    }
                    self.sheets.insert(p.part.clone(), (p.area.clone(), hidden));
                }
                Role::Drawing(Kind::Slide) => p.area = format!("lysbilde {}", n + 1).into(),
                _ => {}
            }
        }
        // Default names, then owned parts named after their owners.
        for p in plan.iter_mut() {
            if p.area.is_empty() {
                p.area = default_area(p.role, &p.part).into();
            }
        }
        // Owners before what they own: sheets and slides, then their drawings.
        let mut owners: Vec<usize> = (0..plan.len())
            .filter(|&i| {
                matches!(
                    plan[i].role,
                    Role::Worksheet
                        | Role::Drawing(Kind::Slide | Kind::TextBox | Kind::Notes)
                        | Role::PivotDefinition
                )
            })
            .collect();
        owners.sort_by_key(|&i| plan[i].role.rank());
        for i in owners {
            let (owner, area, flags) = (plan[i].part.clone(), plan[i].area.clone(), plan[i].flags);
            let owner_role = plan[i].role;
            for rel in self.rels(&owner) {
                if rel.external {
                    continue;
                }
                let Some(&j) = index.get(&rel.target) else {
                    continue;
                };
                let owned = &mut plan[j];
                owned.flags |= flags;
                owned.area = match owned.role {
                    Role::Chart => format!("{area}, diagram {}", number(&owned.part)).into(),
                    Role::Drawing(Kind::SmartArt) => {
                        format!("{area}, SmartArt {}", number(&owned.part)).into()
                    }
                    Role::Drawing(Kind::Notes) => format!("{area}, notater").into(),
                    Role::Drawing(Kind::Slide) => continue,
                    Role::PivotRecords if owner_role == Role::PivotDefinition => {
                        self.definitions.insert(rel.target.clone(), owner.clone());
                        area.clone()
                    }
                    Role::XlComments
                    | Role::Threaded
                    | Role::XlTable
                    | Role::Drawing(Kind::TextBox)
                    | Role::PptComments => area.clone(),
                    _ => continue,
                };
            }
        }
        for p in plan.iter().filter(|p| p.role == Role::ExternalLink) {
            let part = p.part.clone();
            if let Some(r) = self.rels(&part).into_iter().find(|r| r.external) {
                self.sources.insert(part, r.target);
            }
        }
        // Notes point at their slide rather than the other way round in some writers.
        for i in 0..plan.len() {
            if plan[i].role == Role::Drawing(Kind::Notes) && plan[i].area.starts_with("notater") {
                let part = plan[i].part.clone();
                let slide = self
                    .rels(&part)
                    .into_iter()
                    .find_map(|r| index.get(&r.target).copied())
                    .filter(|&j| plan[j].role == Role::Drawing(Kind::Slide));
                if let Some(j) = slide {
                    plan[i].area = format!("{}, notater", plan[j].area).into();
                    plan[i].seq = plan[j].seq;
                }
            }
        }
    }

    fn run(&mut self, plan: &[Planned]) {
        let mut strings: Arc<SharedStrings> = Arc::default();
        let mut styles = sml::Styles::default();
        let mut pivot_fields: HashMap<String, Vec<String>> = HashMap::new();
        let mut link = 0;
        for p in plan {
            if self.budget.deadline.is_some_and(|d| Instant::now() > d) {
                self.out.damage.push(late(&self.shown(&p.part)));
                return;
            }
            // The parts that can be large are parsed as they are inflated, never held whole.
            if p.role.streamed() && !self.pkg.contains(&p.part) {
                continue;
            }
            // Read before: the main part (for the list of sheets or slides; a presentation's
            // has no text of its own), the custom properties (for labels).
            let main_text = match p.role {
                Role::Presentation => continue,
                Role::Workbook => match self.main_text.take() {
                    Some(text) => Some(text),
                    None => continue,
                },
                _ => None,
            };
            let custom = self
                .custom
                .filter(|(part, _)| p.role == Role::Custom && *part == p.part);
            let text = match main_text {
                Some(text) => Some(text),
                None if p.role.streamed() || custom.is_some() => None,
                None => match self.text(&p.part) {
                    Some(text) => Some(text),
                    None => continue,
                },
            };
            let shown = self.shown(&p.part);
            xml::take_cut();
            let mut emitter = Emitter::new(&shown, p.flags, self.sink)
                .budget(self.budget.text_left)
                .deadline(self.budget.deadline);
            let out = &mut emitter;
            let area = &*p.area;
            let held = self.pkg.limits().held();
            let streamed = match p.role {
                Role::Word(part) => self.pkg.stream(&p.part, |input| {
                    wordml::extract(xml::Reader::stream(input), part, area, out)
                }),
                Role::SharedStrings => self.pkg.stream(&p.part, |input| {
                    sml::shared_strings(xml::Reader::stream(input), held)
                        .map(|s| strings = Arc::new(s))
                }),
                Role::Worksheet => {
                    let cx = sml::SheetContext {
                        name: p.area.clone(),
                        strings: &strings,
                        styles: &styles,
                    };
                    self.pkg.stream(&p.part, |input| {
                        sml::worksheet(xml::Reader::stream(input), &cx, out)
                    })
                }
                Role::PivotRecords => {
                    let fields = self
                        .definitions
                        .get(&p.part)
                        .and_then(|d| pivot_fields.get(d))
                        .map_or(&[][..], Vec::as_slice);
                    self.pkg.stream(&p.part, |input| {
                        sml::pivot_records(xml::Reader::stream(input), &p.area, fields, out)
                    })
                }
                Role::Drawing(kind) => self.pkg.stream(&p.part, |input| {
                    drawingml::extract(xml::Reader::stream(input), kind, area, out)
                }),
                Role::Chart => self.pkg.stream(&p.part, |input| {
                    drawingml::extract(xml::Reader::stream(input), Kind::Chart, area, out)
                }),
                _ => Ok(None),
            };
            let text = text.as_deref().unwrap_or_default();
            let result = match p.role {
                Role::Word(_)
                | Role::SharedStrings
                | Role::Worksheet
                | Role::PivotRecords
                | Role::Drawing(_)
                | Role::Chart => Ok(()),
                Role::Styles => sml::Styles::parse(text).map(|s| styles = s),
                Role::Workbook => sml::workbook(text, out).map(drop),
                Role::XlComments => sml::comments(text, &p.area, out),
                Role::Threaded => sml::threaded_comments(text, &p.area, out),
                Role::Persons => sml::persons(text, out),
                Role::XlTable => sml::table(text, area, out),
                Role::PivotDefinition => sml::pivot_cache(text, &p.area, out).map(|fields| {
                    pivot_fields.insert(p.part.clone(), fields);
                }),
                Role::ExternalLink => {
                    link += 1;
                    let source = self.sources.get(&p.part).map(String::as_str);
                    sml::external_link(text, link, source, out)
                }
                Role::Presentation => Ok(()),
                Role::PptComments => drawingml::comments(text, area, out),
                Role::PptAuthors => drawingml::authors(text, out),
                Role::Core => props::emit(text, false, out),
                Role::App => props::emit(text, true, out),
                Role::Custom => match custom {
                    Some((_, props)) => {
                        props::emit_properties(props, out);
                        Ok(())
                    }
                    None => props::emit_custom(text, out),
                },
                Role::CustomXml => props::emit_xml(text, area, out),
                Role::Imported(markup) => {
                    imported(text, markup, &p.area, out);
                    Ok(())
                }
            };
            let (spent, exhausted, late_) = (emitter.spent(), emitter.exhausted(), emitter.late());
            drop(emitter);
            if xml::take_cut() {
                self.out.damage.push(Error::limit(
                    Limit::Structure,
                    format!(
                        "{shown}: a paragraph, cell or comment with more than {} MiB of text: the rest of it is not read",
                        xml::MAX_PIECE >> 20
                    ),
                ));
            }
            // A damaged or oversized part is that, whatever its parser made of the bytes.
            match streamed {
                Err(e) => self.fail(e),
                Ok(Some(parsed)) => self.record(&shown, parsed),
                Ok(None) => self.record(&shown, result),
            }
            self.budget.text_left = self.budget.text_left.saturating_sub(spent);
            if late_ {
                self.out.damage.push(late(&shown));
                return;
            }
            if exhausted {
                self.out.damage.push(Error::limit(
                    Limit::Text,
                    format!(
                        "{shown}: more text than the per-file text limit: the rest of the document is not read"
                    ),
                ));
                return;
            }
        }
    }

    fn record(&mut self, shown: &str, result: Result<(), PartError>) {
        if let Err(why) = result {
            self.out.damage.push(Error::part(shown, why));
        }
    }
}

/// Imported content as Word shows it: its lines as paragraphs of the body.
fn imported(text: &str, markup: Markup, area: &Arc<str>, out: &mut Emitter) {
    let text = match markup {
        Markup::Html => crate::read::plain::html(text),
        Markup::Rtf => crate::read::plain::rtf(text),
        Markup::Text => text.to_string(),
    };
    let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    for (n, line) in (1..).zip(lines) {
        out.push(Piece::new(line, Kind::Body, area, Place::Paragraph(n)));
    }
}

/// Parts the package's relationships say hold embedded documents (`oleObject`, `package`)
/// or content Word imports (`aFChunk`), wherever they are stored: Office finds them by
/// relationship, not by folder. A relationships part that cannot be read is damage that
/// the check of every XML part reports.
fn related<R: Read + Seek>(
    pkg: &mut Package<R>,
    names: &[String],
    types: &opc::ContentTypes,
    package_rels: &[Relationship],
) -> Related {
    let mut out = Related::default();
    for rels in names.iter().filter(|n| n.ends_with(".rels")) {
        // `dir/_rels/name.rels` holds the relationships of `dir/name`.
        let source = match rels.rsplit_once("_rels/") {
            Some((dir, file)) => format!("{dir}{}", file.trim_end_matches(".rels")),
            None => continue,
        };
        // The package's own were read with its labels.
        let list = match rels.as_str() {
            "_rels/.rels" => package_rels.to_vec(),
            _ => {
                let Ok(Some(bytes)) = pkg.read(rels) else {
                    continue;
                };
                // One that does not parse is reported where it is needed.
                match opc::relationships(&xml::decode(bytes), &source) {
                    Ok(list) => list,
                    Err(e) => {
                        out.broken.insert(source, e);
                        continue;
                    }
                }
            }
        };
        for r in list.iter().filter(|r| !r.external) {
            let kind = r.kind.rsplit('/').next().unwrap_or("");
            if !pkg.contains(&r.target) {
                continue;
            }
            match kind {
                "oleObject" | "package" => out.embedded.push(r.target.clone()),
                "aFChunk" => match Markup::of(types.of(&r.target).unwrap_or("")) {
                    Some(m) => out.imported.push((r.target.clone(), m)),
                    None => out.embedded.push(r.target.clone()),
                },
                _ => {}
            }
        }
        out.rels.insert(source, list);
    }
    out
}

/// What the relationships of a package's parts say (see `related`).
#[derive(Default)]
struct Related {
    embedded: Vec<String>,
    imported: Vec<(String, Markup)>,
    /// Source part → its relationships.
    rels: HashMap<String, Vec<Relationship>>,
    /// Source part → why its relationships part does not parse.
    broken: HashMap<String, PartError>,
}

/// The error of a file read for longer than the time limit, at `part`.
fn late(part: &str) -> Error {
    Error::limit(
        Limit::Time,
        format!(
            "{part}: read for longer than the per-file time limit: the rest of the document is not read"
        ),
    )
}

fn default_area(role: Role, part: &str) -> String {
    let n = number(part);
    match role {
        Role::Word(wordml::Part::Header) => format!("topptekst {n}"),
        Role::Word(wordml::Part::Footer) => format!("bunntekst {n}"),
        Role::Word(wordml::Part::Glossary) => "byggeblokker".into(),
        Role::Worksheet => format!("ark {n}"),
        Role::Drawing(Kind::Slide) => format!("lysbilde (del {n})"),
        Role::Drawing(Kind::Notes) => format!("notater {n}"),
        Role::Drawing(Kind::Layout) => format!("lysbildeoppsett {n}"),
        Role::Drawing(Kind::Master) if part.contains("notesmaster") => "notatmal".into(),
        Role::Drawing(Kind::Master) if part.contains("handoutmaster") => "utdelingsmal".into(),
        Role::Drawing(Kind::Master) => format!("lysbildemal {n}"),
        Role::Drawing(Kind::SmartArt) => format!("SmartArt {n}"),
        Role::Chart | Role::Drawing(Kind::Chart) => format!("diagram {n}"),
        Role::PivotDefinition | Role::PivotRecords => format!("pivotbuffer {n}"),
        Role::CustomXml => format!("egendefinert XML {n}"),
        Role::Imported(_) => format!("importert innhold {n}"),
        _ => String::new(),
    }
}

/// Sheets (`sheet`) or slides (`sldId`) as the main part lists them: relationship id, name,
/// and whether the sheet is hidden.
fn listed(text: &str) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    let mut r = xml::reader(text);
    loop {
        match r.read_event() {
            Ok(xml::Event::Start(e) | xml::Event::Empty(e))
                if matches!(e.local(), "sheet" | "sldId") =>
            {
                out.push((
                    e.rel_id().unwrap_or_default(),
                    e.attr("name").unwrap_or_default(),
                    e.attr("state").is_some_and(|s| s != "visible"),
                ));
            }
            Ok(xml::Event::Eof) | Err(_) => return out,
            Ok(_) => {}
        }
    }
}
