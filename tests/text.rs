//! Text extraction end to end: documents built by the fixture builder, one test per place a
//! document can hold text, read back through `document::read_text` with the location a
//! person would be shown.

use std::io::Cursor;

use o365lint::fixture::{Ooxml, zip};
use o365lint::model::Format;
use o365lint::read::container::Limits;
use o365lint::read::document::{self, Document};
use o365lint::read::text::Batch;

#[derive(Debug, Clone)]
struct Row {
    part: String,
    place: String,
    kind: String,
    flags: Vec<&'static str>,
    text: String,
    shown: Option<String>,
}

fn read(bytes: Vec<u8>, name: &str) -> (Document, Vec<Row>) {
    let mut rows = Vec::new();
    let mut sink = |b: &Batch| {
        for p in b.pieces {
            let loc = p.location(b, 0, p.text.len());
            rows.push(Row {
                part: loc.part.to_string(),
                place: loc.place,
                kind: loc.kind.to_string(),
                flags: loc.flags.names().collect(),
                text: p.text.to_string(),
                shown: p.shown.clone(),
            });
        }
    };
    let doc = document::read_text(
        Cursor::new(bytes),
        Some(name),
        &Limits::default(),
        &mut sink,
    )
    .expect("readable");
    (doc, rows)
}

/// The row holding exactly `text`.
fn row<'a>(rows: &'a [Row], text: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.text == text)
        .unwrap_or_else(|| panic!("no piece {text:?} in {rows:#?}"))
}

fn at(rows: &[Row], text: &str) -> (String, String, String) {
    let r = row(rows, text);
    (r.part.clone(), r.place.clone(), r.kind.clone())
}

fn t(part: &str, place: &str, kind: &str) -> (String, String, String) {
    (part.into(), place.into(), kind.into())
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"";
const S: &str = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
const P: &str = "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";

fn docx(body: &str) -> Ooxml {
    Ooxml::new(Format::Docx).xml_part(
        "word/document.xml",
        None,
        format!("<w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"),
    )
}

fn run(text: &str) -> String {
    format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
}

fn para(text: &str) -> String {
    format!("<w:p>{}</w:p>", run(text))
}

// ---- docx ----

#[test]
fn docx_body_joins_runs_split_by_word() {
    let body = format!(
        "{}<w:p><w:r><w:t>fnr 1510</w:t></w:r><w:proofErr w:type=\"spellStart\"/><w:r><w:rPr><w:b/></w:rPr><w:t>86</w:t></w:r><w:r><w:t>12345</w:t></w:r></w:p>",
        para("Innledning")
    );
    let (_, rows) = read(docx(&body).build(), "a.docx");
    assert_eq!(
        at(&rows, "fnr 15108612345"),
        t("word/document.xml", "avsnitt 2", "body")
    );
}

#[test]
fn docx_tables_by_row_and_column() {
    let cell = |s: &str| format!("<w:tc>{}</w:tc>", para(s));
    let body = format!(
        "<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        cell("Navn"),
        cell("Fødselsnummer"),
        cell("Ola"),
        cell("15108612345")
    );
    let (_, rows) = read(docx(&body).build(), "a.docx");
    assert_eq!(
        at(&rows, "Fødselsnummer"),
        t("word/document.xml", "tabell 1, rad 1, kolonne 2", "table")
    );
    assert_eq!(
        at(&rows, "15108612345"),
        t("word/document.xml", "tabell 1, rad 2, kolonne 2", "table")
    );
}

#[test]
fn docx_headers_and_footers_all_variants() {
    let hdr = |s: &str| format!("<w:hdr {W}>{}</w:hdr>", para(s));
    let ftr = |s: &str| format!("<w:ftr {W}>{}</w:ftr>", para(s));
    let body = format!(
        "{}<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rH1\"/><w:headerReference w:type=\"first\" r:id=\"rH2\"/><w:headerReference w:type=\"even\" r:id=\"rH3\"/><w:footerReference w:type=\"default\" r:id=\"rF1\"/></w:sectPr>",
        para("tekst")
    );
    let doc = Ooxml::new(Format::Docx)
        .xml_part(
            "word/document.xml",
            None,
            format!("<w:document {W}><w:body>{body}</w:body></w:document>"),
        )
        .xml_part(
            "word/header1.xml",
            Some("wordprocessingml.header+xml"),
            hdr("Beskyttet"),
        )
        .xml_part(
            "word/header2.xml",
            Some("wordprocessingml.header+xml"),
            hdr("Første side"),
        )
        .xml_part(
            "word/header3.xml",
            Some("wordprocessingml.header+xml"),
            hdr("Partall"),
        )
        .xml_part(
            "word/footer1.xml",
            Some("wordprocessingml.footer+xml"),
            ftr("Oslo kommune"),
        )
        .rel("word/document.xml", "rH1", "header", "header1.xml")
        .rel("word/document.xml", "rH2", "header", "header2.xml")
        .rel("word/document.xml", "rH3", "header", "header3.xml")
        .rel("word/document.xml", "rF1", "footer", "footer1.xml");
    let (_, rows) = read(doc.build(), "a.docx");
    assert_eq!(
        at(&rows, "Beskyttet"),
        t("word/header1.xml", "topptekst 1, avsnitt 1", "header")
    );
    assert_eq!(
        at(&rows, "Partall"),
        t("word/header3.xml", "topptekst 3, avsnitt 1", "header")
    );
    assert_eq!(
        at(&rows, "Oslo kommune"),
        t("word/footer1.xml", "bunntekst 1, avsnitt 1", "footer")
    );
}

#[test]
fn docx_footnotes_and_endnotes() {
    let sep = "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>";
    let doc = docx(&para("tekst"))
        .xml_part(
            "word/footnotes.xml",
            Some("wordprocessingml.footnotes+xml"),
            format!(
                "<w:footnotes {W}>{sep}<w:footnote w:id=\"1\">{}</w:footnote></w:footnotes>",
                para("Kilde: NAV")
            ),
        )
        .xml_part(
            "word/endnotes.xml",
            Some("wordprocessingml.endnotes+xml"),
            format!(
                "<w:endnotes {W}><w:endnote w:id=\"2\">{}</w:endnote></w:endnotes>",
                para("Sluttnote")
            ),
        );
    let (_, rows) = read(doc.build(), "a.docx");
    assert_eq!(
        at(&rows, "Kilde: NAV"),
        t("word/footnotes.xml", "fotnote 1", "footnote")
    );
    assert_eq!(
        at(&rows, "Sluttnote"),
        t("word/endnotes.xml", "sluttnote 2", "endnote")
    );
}

#[test]
fn docx_comments_and_comments_extended() {
    let doc = docx(&para("tekst"))
        .xml_part(
            "word/comments.xml",
            Some("wordprocessingml.comments+xml"),
            format!(
                "<w:comments {W}><w:comment w:id=\"0\" w:author=\"Kari Nordmann\" w:initials=\"KN\">{}</w:comment></w:comments>",
                para("Husk fnr 15108612345")
            ),
        )
        .xml_part(
            "word/commentsExtended.xml",
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"),
            "<w15:commentsEx xmlns:w15=\"http://schemas.microsoft.com/office/word/2012/wordml\"><w15:commentEx w15:paraId=\"1\" w15:done=\"0\"/></w15:commentsEx>",
        );
    let (_, rows) = read(doc.build(), "a.docx");
    let r = row(&rows, "Husk fnr 15108612345");
    assert_eq!(
        (r.part.as_str(), r.place.as_str(), r.kind.as_str()),
        ("word/comments.xml", "kommentar 1", "comment")
    );
    assert_eq!(r.flags, ["comment"]);
    assert_eq!(row(&rows, "Kari Nordmann").flags, ["metadata"]);
}

#[test]
fn docx_tracked_insertions_deletions_and_moves() {
    let body = format!(
        "<w:p>{}<w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>15108612345</w:delText></w:r></w:del><w:ins w:id=\"2\" w:author=\"A\">{}</w:ins></w:p><w:p><w:moveFrom w:id=\"3\" w:author=\"A\"><w:r><w:t>flyttet bort</w:t></w:r></w:moveFrom></w:p><w:p><w:moveTo w:id=\"4\" w:author=\"A\">{}</w:moveTo></w:p>",
        run("fnr "),
        run("[fjernet]"),
        run("flyttet hit")
    );
    let (_, rows) = read(docx(&body).build(), "a.docx");
    let del = row(&rows, "15108612345");
    assert_eq!(
        (del.place.as_str(), del.kind.as_str()),
        ("avsnitt 1", "tracked-deletion")
    );
    assert_eq!(row(&rows, "flyttet bort").kind, "tracked-deletion");
    assert_eq!(row(&rows, "flyttet hit").kind, "tracked-insertion");
    // The paragraph as shown holds the insertion: one piece, the insertion marked by a span.
    let shown = row(&rows, "fnr [fjernet]");
    assert_eq!(shown.kind, "tracked-insertion");
    assert_eq!(shown.flags, ["tracked-insertion"]);
}

#[test]
fn docx_hidden_text() {
    let body = "<w:p><w:r><w:t xml:space=\"preserve\">Synlig </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>skjult 15108612345</w:t></w:r></w:p><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>helt skjult</w:t></w:r></w:p>";
    let (_, rows) = read(docx(body).build(), "a.docx");
    assert_eq!(row(&rows, "helt skjult").kind, "hidden");
    // A partly hidden paragraph is the text shown, and the hidden runs as a piece of their
    // own at the same place (as tracked deletions are): a hidden digit inside a number
    // neither hides the number shown nor itself.
    let mut pieces = Vec::new();
    let mut sink = |b: &Batch| pieces.extend(b.pieces.iter().cloned());
    document::read_text(
        Cursor::new(docx(body).build()),
        None,
        &Limits::default(),
        &mut sink,
    )
    .unwrap();
    let shown = pieces.iter().find(|p| p.text.trim() == "Synlig").unwrap();
    assert!(shown.whole_flags().is_empty());
    let hidden = pieces
        .iter()
        .find(|p| p.text == "skjult 15108612345")
        .unwrap();
    assert_eq!((&hidden.area, &hidden.place), (&shown.area, &shown.place));
    assert_eq!(hidden.whole_flags().names().collect::<Vec<_>>(), ["hidden"]);
}

#[test]
fn docx_text_boxes_drawingml_and_vml_once() {
    let body = format!(
        "<w:p>{}<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><wp:docPr id=\"1\" name=\"Tekstboks 1\"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>{}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p><w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>",
        run("Før boksen"),
        para("I boksen"),
        para("I boksen"),
        para("Bare VML")
    );
    let (_, rows) = read(docx(&body).build(), "a.docx");
    assert_eq!(rows.iter().filter(|r| r.text == "I boksen").count(), 1);
    assert_eq!(
        at(&rows, "I boksen"),
        t("word/document.xml", "tekstboks 1, avsnitt 1", "text-box")
    );
    assert_eq!(
        at(&rows, "Bare VML"),
        t("word/document.xml", "tekstboks 2, avsnitt 1", "text-box")
    );
}

#[test]
fn docx_content_controls_alt_text_and_fields() {
    let body = format!(
        "<w:sdt><w:sdtPr><w:alias w:val=\"Navn\"/><w:tag w:val=\"navn\"/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt><w:p><w:r><w:drawing><wp:inline><wp:docPr id=\"3\" name=\"Bilde 3\" title=\"Portrett\" descr=\"Ola Nordmann, født 15.10.86\"/></wp:inline></w:drawing></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> MERGEFIELD Fnr </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>",
        para("Kari i kontrollen"),
        run("15108612345")
    );
    let (_, rows) = read(docx(&body).build(), "a.docx");
    assert_eq!(
        at(&rows, "Kari i kontrollen"),
        t("word/document.xml", "avsnitt 1", "body")
    );
    assert_eq!(
        at(&rows, "Portrett\nOla Nordmann, født 15.10.86"),
        t(
            "word/document.xml",
            "alternativ tekst i avsnitt 2",
            "alt-text"
        )
    );
    assert_eq!(
        at(&rows, "15108612345"),
        t("word/document.xml", "avsnitt 3", "body")
    );
    assert_eq!(
        at(&rows, "MERGEFIELD Fnr"),
        t("word/document.xml", "avsnitt 3", "field-code")
    );
}

#[test]
fn docx_glossary_watermark_smartart_and_chart() {
    let header = format!(
        "<w:hdr {W}><w:p><w:r><w:pict><v:shape id=\"PowerPlusWaterMarkObject1\"><v:textpath style=\"font-family:Calibri\" string=\"STRENGT BESKYTTET\"/></v:shape></w:pict></w:r></w:p></w:hdr>"
    );
    let doc = docx(&para("tekst"))
        .xml_part(
            "word/glossary/document.xml",
            Some("wordprocessingml.document.glossary+xml"),
            format!(
                "<w:glossaryDocument {W}><w:docParts><w:docPart><w:docPartBody>{}</w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>",
                para("Byggeblokk med Ola")
            ),
        )
        .xml_part("word/header1.xml", Some("wordprocessingml.header+xml"), header)
        .xml_part(
            "word/diagrams/data1.xml",
            Some("drawingml.diagramData+xml"),
            "<dgm:dataModel xmlns:dgm=\"http://schemas.openxmlformats.org/drawingml/2006/diagram\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><dgm:ptLst><dgm:pt modelId=\"1\"><dgm:t><a:bodyPr/><a:p><a:r><a:t>Saksbehandler Kari</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>",
        )
        .xml_part(
            "word/charts/chart1.xml",
            Some("drawingml.chart+xml"),
            "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart><c:plotArea><c:barChart><c:ser><c:cat><c:strRef><c:strCache><c:pt idx=\"0\"><c:v>Ola</c:v></c:pt></c:strCache></c:strRef></c:cat></c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>",
        );
    let (_, rows) = read(doc.build(), "a.docx");
    assert_eq!(
        at(&rows, "Byggeblokk med Ola"),
        t(
            "word/glossary/document.xml",
            "byggeblokker, avsnitt 1",
            "glossary"
        )
    );
    assert_eq!(
        at(&rows, "STRENGT BESKYTTET"),
        t("word/header1.xml", "topptekst 1, vannmerke", "watermark")
    );
    assert_eq!(
        at(&rows, "Saksbehandler Kari"),
        t("word/diagrams/data1.xml", "SmartArt 1", "smartart")
    );
    let r = row(&rows, "Ola");
    assert_eq!(
        (r.place.as_str(), r.kind.as_str()),
        ("diagram 1, serie 1, punkt 1", "chart")
    );
    assert_eq!(r.flags, ["cache"]);
}

// ---- xlsx ----

/// A workbook with the given sheets (name, state, worksheet XML), shared strings and styles.
fn xlsx(sheets: &[(&str, &str, &str)], sst: &[&str], styles: Option<&str>) -> Ooxml {
    let list: String = sheets
        .iter()
        .enumerate()
        .map(|(i, (name, state, _))| {
            format!(
                "<sheet name=\"{name}\" sheetId=\"{}\" state=\"{state}\" r:id=\"rS{}\"/>",
                i + 1,
                i + 1
            )
        })
        .collect();
    let mut b = Ooxml::new(Format::Xlsx).xml_part(
        "xl/workbook.xml",
        None,
        format!("<workbook {S}><sheets>{list}</sheets><definedNames><definedName name=\"Kontakt\">\"Kari Nordmann\"</definedName></definedNames></workbook>"),
    );
    for (i, (_, _, xml)) in sheets.iter().enumerate() {
        let part = format!("xl/worksheets/sheet{}.xml", i + 1);
        b = b
            .xml_part(
                &part,
                Some("spreadsheetml.worksheet+xml"),
                format!("<worksheet {S}>{xml}</worksheet>"),
            )
            .rel(
                "xl/workbook.xml",
                &format!("rS{}", i + 1),
                "worksheet",
                &format!("worksheets/sheet{}.xml", i + 1),
            );
    }
    let si: String = sst.iter().map(|s| format!("<si>{s}</si>")).collect();
    b = b.xml_part(
        "xl/sharedStrings.xml",
        Some("spreadsheetml.sharedStrings+xml"),
        format!("<sst {S}>{si}</sst>"),
    );
    if let Some(st) = styles {
        b = b.xml_part(
            "xl/styles.xml",
            Some("spreadsheetml.styles+xml"),
            format!("<styleSheet {S}>{st}</styleSheet>"),
        );
    }
    b
}

#[test]
fn xlsx_shared_inline_numeric_and_formula_cells() {
    let sheet = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Ola</t></is></c><c r=\"B2\" s=\"1\"><v>1018012345</v></c><c r=\"C2\" t=\"str\"><f>A2&amp;\"!\"</f><v>Ola!</v></c><c r=\"D2\"><f>B2*1</f><v>1.5108612345E10</v></c></row></sheetData>";
    let styles = "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"00000000000\"/></numFmts><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/></cellXfs>";
    let sst = [
        "<t>Navn</t>",
        "<r><t>Fødsels</t></r><r><rPr><b/></rPr><t>nummer_x000D_</t></r>",
    ];
    let (_, rows) = read(
        xlsx(&[("Ark1", "visible", sheet)], &sst, Some(styles)).build(),
        "a.xlsx",
    );
    assert_eq!(
        at(&rows, "Fødselsnummer\r"),
        t("xl/worksheets/sheet1.xml", "Ark1!B1", "cell")
    );
    assert_eq!(
        at(&rows, "Ola"),
        t("xl/worksheets/sheet1.xml", "Ark1!A2", "cell")
    );
    let padded = row(&rows, "1018012345");
    assert_eq!(padded.place, "Ark1!B2");
    assert_eq!(padded.shown.as_deref(), Some("01018012345"));
    assert_eq!(row(&rows, "Ola!").place, "Ark1!C2");
    assert_eq!(row(&rows, "15108612345").place, "Ark1!D2");
}

#[test]
fn xlsx_sheet_names_states_hidden_rows_and_columns() {
    let visible = "<cols><col min=\"3\" max=\"3\" width=\"0\" hidden=\"1\"/></cols><sheetData><row r=\"1\"><c r=\"C1\" t=\"inlineStr\"><is><t>skjult kolonne</t></is></c></row><row r=\"2\" hidden=\"1\"><c r=\"A2\" t=\"inlineStr\"><is><t>skjult rad</t></is></c></row></sheetData>";
    let hidden = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>på skjult ark</t></is></c></row></sheetData>";
    let very = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>på veldig skjult ark</t></is></c></row></sheetData>";
    let b = xlsx(
        &[
            ("Oversikt", "visible", visible),
            ("Lønn 2026", "hidden", hidden),
            ("Data", "veryHidden", very),
        ],
        &[],
        None,
    );
    let (_, rows) = read(b.build(), "a.xlsx");
    assert_eq!(row(&rows, "skjult kolonne").kind, "hidden-column");
    assert_eq!(row(&rows, "skjult rad").kind, "hidden-row");
    assert_eq!(
        at(&rows, "på skjult ark"),
        t("xl/worksheets/sheet2.xml", "'Lønn 2026'!A1", "hidden-sheet")
    );
    assert_eq!(row(&rows, "på veldig skjult ark").kind, "hidden-sheet");
    assert_eq!(
        at(&rows, "Lønn 2026"),
        t("xl/workbook.xml", "arkfane 2", "hidden-sheet")
    );
    assert_eq!(
        at(&rows, "Oversikt"),
        t("xl/workbook.xml", "arkfane 1", "sheet-name")
    );
    assert_eq!(
        at(&rows, "Kontakt = \"Kari Nordmann\""),
        t("xl/workbook.xml", "navn «Kontakt»", "defined-name")
    );
}

#[test]
fn xlsx_comments_threads_tables_validation_and_header_footer() {
    let sheet = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData><dataValidations count=\"1\"><dataValidation type=\"list\" sqref=\"B2:B9\"><formula1>\"Ola Nordmann,Kari Nordmann\"</formula1></dataValidation></dataValidations><headerFooter><oddHeader>&amp;C&amp;\"Calibri,Fet\"Beskyttet</oddHeader><oddFooter>&amp;LOslo kommune&amp;RSide &amp;P av &amp;N</oddFooter></headerFooter><tableParts count=\"1\"><tablePart r:id=\"rT1\"/></tableParts>";
    let b = xlsx(&[("Ark1", "visible", sheet)], &[], None)
        .xml_part(
            "xl/comments1.xml",
            Some("spreadsheetml.comments+xml"),
            format!("<comments {S}><authors><author>Kari</author></authors><commentList><comment ref=\"B2\" authorId=\"0\"><text><r><t>Kari:</t></r><r><t xml:space=\"preserve\">\nfnr mangler</t></r></text></comment></commentList></comments>"),
        )
        .xml_part(
            "xl/threadedComments/threadedComment1.xml",
            Some("application/vnd.ms-excel.threadedcomments+xml"),
            "<ThreadedComments xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\"><threadedComment ref=\"C3\" dT=\"2026-01-01T00:00:00\" personId=\"{1}\" id=\"{2}\"><text>Tråd om Ola</text></threadedComment></ThreadedComments>",
        )
        .xml_part(
            "xl/persons/person.xml",
            Some("application/vnd.ms-excel.person+xml"),
            "<personList xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\"><person displayName=\"Kari Nordmann\" id=\"{1}\" userId=\"kari@example.no\" providerId=\"AD\"/></personList>",
        )
        .xml_part(
            "xl/tables/table1.xml",
            Some("spreadsheetml.table+xml"),
            format!("<table {S} id=\"1\" name=\"Ansatte\" displayName=\"Ansatte\" ref=\"A1:B3\"><tableColumns count=\"2\"><tableColumn id=\"1\" name=\"Navn\"/><tableColumn id=\"2\" name=\"Fødselsnummer\"/></tableColumns></table>"),
        )
        .rel("xl/worksheets/sheet1.xml", "rC1", "comments", "../comments1.xml")
        .rel("xl/worksheets/sheet1.xml", "rTC1", "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment", "../threadedComments/threadedComment1.xml")
        .rel("xl/worksheets/sheet1.xml", "rT1", "table", "../tables/table1.xml");
    let (_, rows) = read(b.build(), "a.xlsx");
    assert_eq!(
        at(&rows, "Kari:\nfnr mangler"),
        t("xl/comments1.xml", "Ark1!B2", "comment")
    );
    assert_eq!(
        at(&rows, "Tråd om Ola"),
        t(
            "xl/threadedComments/threadedComment1.xml",
            "Ark1!C3",
            "comment"
        )
    );
    assert_eq!(
        row(&rows, "Kari Nordmann\nkari@example.no").flags,
        ["metadata"]
    );
    assert_eq!(
        at(&rows, "Fødselsnummer"),
        t(
            "xl/tables/table1.xml",
            "Ark1, tabell «Ansatte», kolonne 2",
            "table-column"
        )
    );
    assert_eq!(
        at(&rows, "Ola Nordmann,Kari Nordmann"),
        t(
            "xl/worksheets/sheet1.xml",
            "Ark1, datavalidering B2:B9",
            "data-validation"
        )
    );
    assert_eq!(
        at(&rows, "Beskyttet"),
        t(
            "xl/worksheets/sheet1.xml",
            "Ark1, topptekst (oddHeader)",
            "header"
        )
    );
    assert_eq!(row(&rows, "Oslo kommune Side av").kind, "footer");
}

#[test]
fn xlsx_pivot_caches_charts_and_external_links() {
    let b = xlsx(&[("Ark1", "visible", "<sheetData/><drawing r:id=\"rD1\"/>")], &[], None)
        .xml_part(
            "xl/pivotCache/pivotCacheDefinition1.xml",
            Some("spreadsheetml.pivotCacheDefinition+xml"),
            format!("<pivotCacheDefinition {S} r:id=\"rR1\"><cacheFields count=\"2\"><cacheField name=\"Navn\"><sharedItems><s v=\"Ola Nordmann\"/></sharedItems></cacheField><cacheField name=\"Fnr\"><sharedItems containsNumber=\"1\"/></cacheField></cacheFields></pivotCacheDefinition>"),
        )
        .xml_part(
            "xl/pivotCache/pivotCacheRecords1.xml",
            Some("spreadsheetml.pivotCacheRecords+xml"),
            format!("<pivotCacheRecords {S}><r><x v=\"0\"/><n v=\"15108612345\"/></r></pivotCacheRecords>"),
        )
        .rel("xl/pivotCache/pivotCacheDefinition1.xml", "rR1", "pivotCacheRecords", "pivotCacheRecords1.xml")
        .xml_part(
            "xl/drawings/drawing1.xml",
            Some("drawing+xml"),
            "<xdr:wsDr xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><xdr:twoCellAnchor><xdr:sp><xdr:nvSpPr><xdr:cNvPr id=\"2\" name=\"Tekstboks 1\" descr=\"Notat om Kari\"/></xdr:nvSpPr><xdr:txBody><a:p><a:r><a:t>Merknad i boks</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:twoCellAnchor></xdr:wsDr>",
        )
        .rel("xl/worksheets/sheet1.xml", "rD1", "drawing", "../drawings/drawing1.xml")
        .xml_part(
            "xl/charts/chart1.xml",
            Some("drawingml.chart+xml"),
            "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart><c:plotArea><c:lineChart><c:ser><c:val><c:numRef><c:numCache><c:pt idx=\"2\"><c:v>42000</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser></c:lineChart></c:plotArea></c:chart></c:chartSpace>",
        )
        .rel("xl/drawings/drawing1.xml", "rCh1", "chart", "../charts/chart1.xml")
        .xml_part(
            "xl/externalLinks/externalLink1.xml",
            Some("spreadsheetml.externalLink+xml"),
            format!("<externalLink {S}><externalBook r:id=\"rE1\"><sheetNames><sheetName val=\"Lønn\"/></sheetNames><sheetDataSet><sheetData sheetId=\"0\"><row r=\"4\"><cell r=\"B4\"><v>Kari Nordmann</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>"),
        )
        .rel("xl/externalLinks/externalLink1.xml", "rE1", "externalLinkPath", "file:///C:/Lønn/ansatte.xlsx");
    let (_, rows) = read(b.build(), "a.xlsx");
    assert_eq!(
        at(&rows, "Ola Nordmann"),
        t(
            "xl/pivotCache/pivotCacheDefinition1.xml",
            "pivotbuffer 1, felt «Navn»",
            "pivot-cache"
        )
    );
    assert_eq!(
        at(&rows, "15108612345"),
        t(
            "xl/pivotCache/pivotCacheRecords1.xml",
            "pivotbuffer 1, post 1, felt «Fnr»",
            "pivot-cache"
        )
    );
    assert_eq!(
        at(&rows, "Merknad i boks"),
        t(
            "xl/drawings/drawing1.xml",
            "Ark1, «Tekstboks 1» avsnitt 1",
            "text-box"
        )
    );
    assert_eq!(row(&rows, "Notat om Kari").kind, "alt-text");
    assert_eq!(
        at(&rows, "42000"),
        t(
            "xl/charts/chart1.xml",
            "Ark1, diagram 1, serie 1, punkt 3",
            "chart"
        )
    );
    assert_eq!(
        at(&rows, "Kari Nordmann"),
        t(
            "xl/externalLinks/externalLink1.xml",
            "'[1]Lønn'!B4",
            "external-link"
        )
    );
    assert_eq!(
        row(&rows, "file:///C:/Lønn/ansatte.xlsx").place,
        "ekstern kobling 1, kilde"
    );
}

// ---- pptx ----

fn slide(shapes: &str, attrs: &str) -> String {
    format!(
        "<p:sld {P}{attrs}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>{shapes}</p:spTree></p:cSld></p:sld>"
    )
}

fn shape(name: &str, text: &str, extra: &str) -> String {
    format!(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"{name}\"{extra}/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>"
    )
}

#[test]
fn pptx_slides_notes_comments_masters_alt_text_and_hidden_slides() {
    let b = Ooxml::new(Format::Pptx)
        .text("første")
        .text("andre")
        .xml_part("ppt/slides/slide2.xml", None, slide(&shape("Tittel 1", "Skjult lysbilde", " descr=\"Bilde av Ola\""), " show=\"0\""))
        .xml_part(
            "ppt/notesSlides/notesSlide1.xml",
            Some("presentationml.notesSlide+xml"),
            format!("<p:notes {P}><p:cSld><p:spTree>{}</p:spTree></p:cSld></p:notes>", shape("Notatplassholder 2", "Husk fnr til Kari", "")),
        )
        .rel("ppt/slides/slide1.xml", "rN1", "notesSlide", "../notesSlides/notesSlide1.xml")
        .rel("ppt/notesSlides/notesSlide1.xml", "rS1", "slide", "../slides/slide1.xml")
        .xml_part(
            "ppt/comments/comment1.xml",
            Some("presentationml.comments+xml"),
            format!("<p:cmLst {P}><p:cm authorId=\"0\" dt=\"2026-01-01T00:00:00\" idx=\"1\"><p:pos x=\"0\" y=\"0\"/><p:text>Sjekk tallene</p:text></p:cm></p:cmLst>"),
        )
        .rel("ppt/slides/slide2.xml", "rC1", "comments", "../comments/comment1.xml")
        .xml_part(
            "ppt/commentAuthors.xml",
            Some("presentationml.commentAuthors+xml"),
            format!("<p:cmAuthorLst {P}><p:cmAuthor id=\"0\" name=\"Kari Nordmann\" initials=\"KN\" lastIdx=\"1\" clrIdx=\"0\"/></p:cmAuthorLst>"),
        )
        .xml_part(
            "ppt/slideMasters/slideMaster1.xml",
            None,
            format!("<p:sldMaster {P}><p:cSld><p:spTree>{}</p:spTree></p:cSld></p:sldMaster>", shape("Bunntekst", "Intern", "")),
        )
        .xml_part(
            "ppt/slideLayouts/slideLayout1.xml",
            None,
            format!("<p:sldLayout {P}><p:cSld><p:spTree>{}</p:spTree></p:cSld></p:sldLayout>", shape("Topptekst", "Oslo kommune", "")),
        );
    let (_, rows) = read(b.build(), "a.pptx");
    assert_eq!(
        at(&rows, "første"),
        t(
            "ppt/slides/slide1.xml",
            "lysbilde 1, «Tekst 1» avsnitt 1",
            "slide"
        )
    );
    assert_eq!(
        at(&rows, "Skjult lysbilde"),
        t(
            "ppt/slides/slide2.xml",
            "lysbilde 2, «Tittel 1» avsnitt 1",
            "hidden"
        )
    );
    assert_eq!(row(&rows, "Bilde av Ola").kind, "hidden");
    assert_eq!(
        at(&rows, "Husk fnr til Kari"),
        t(
            "ppt/notesSlides/notesSlide1.xml",
            "lysbilde 1, notater, «Notatplassholder 2» avsnitt 1",
            "notes"
        )
    );
    assert_eq!(
        at(&rows, "Sjekk tallene"),
        t(
            "ppt/comments/comment1.xml",
            "lysbilde 2, kommentar 1",
            "comment"
        )
    );
    assert_eq!(row(&rows, "Kari Nordmann").flags, ["metadata"]);
    assert_eq!(
        at(&rows, "Intern"),
        t(
            "ppt/slideMasters/slideMaster1.xml",
            "lysbildemal 1, «Bunntekst» avsnitt 1",
            "master"
        )
    );
    assert_eq!(
        at(&rows, "Oslo kommune"),
        t(
            "ppt/slideLayouts/slideLayout1.xml",
            "lysbildeoppsett 1, «Topptekst» avsnitt 1",
            "layout"
        )
    );
}

// ---- every format ----

#[test]
fn properties_and_file_name() {
    let b = Ooxml::new(Format::Docx)
        .text("x")
        .custom_property("Saksbehandler", "Kari Nordmann")
        .xml_part(
            "docProps/core.xml",
            None,
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Vedtak for 15108612345</dc:title><dc:subject>Barnevern</dc:subject><dc:creator>Kari Nordmann</dc:creator><cp:keywords>fnr</cp:keywords><dc:description>Beskrivelse</dc:description><cp:lastModifiedBy>Ola Nordmann</cp:lastModifiedBy></cp:coreProperties>",
        )
        .xml_part(
            "docProps/app.xml",
            None,
            "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Company>Oslo kommune</Company><Manager>Per Sjef</Manager><Template>Vedtak.dotm</Template></Properties>",
        );
    let (_, rows) = read(b.build(), "Vedtak 151086 12345.docx");
    for (text, place) in [
        ("Vedtak for 15108612345", "egenskap title"),
        ("Barnevern", "egenskap subject"),
        ("Ola Nordmann", "egenskap lastModifiedBy"),
        ("fnr", "egenskap keywords"),
        ("Beskrivelse", "egenskap description"),
        ("Oslo kommune", "egenskap Company"),
        ("Per Sjef", "egenskap Manager"),
        ("Vedtak.dotm", "egenskap Template"),
        ("Kari Nordmann", "egenskap creator"),
    ] {
        let r = row(&rows, text);
        assert_eq!(
            (r.place.as_str(), r.kind.as_str()),
            (place, "metadata"),
            "{text}"
        );
    }
    assert_eq!(row(&rows, "Kari Nordmann").part, "docProps/core.xml");
    let custom = rows
        .iter()
        .find(|r| r.place == "egenskap «Saksbehandler»")
        .unwrap();
    assert_eq!(custom.text, "Kari Nordmann");
    assert_eq!(
        at(&rows, "Vedtak 151086 12345.docx"),
        t("", "filnavn", "file-name")
    );
}

#[test]
fn embedded_documents_with_their_own_labels() {
    use o365lint::fixture::{Label, ids};
    let inner = Ooxml::new(Format::Xlsx)
        .text("Innebygd fnr 15108612345")
        .label_info(vec![Label::new(ids::STRENGT_BESKYTTET, ids::TENANT)])
        .build();
    let deeper = Ooxml::new(Format::Docx)
        .text("Dypt inne")
        .part(
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx",
            inner.clone(),
        )
        .build();
    let outer = Ooxml::new(Format::Docx)
        .text("Ytre")
        .label_info(vec![Label::new(ids::INTERN, ids::TENANT)])
        .part("word/embeddings/Microsoft_Excel_Worksheet1.xlsx", inner)
        .part("word/embeddings/Microsoft_Word_Document.docx", deeper)
        .build();
    let (doc, rows) = read(outer, "a.docx");
    let r = row(&rows, "Innebygd fnr 15108612345");
    assert_eq!(
        r.part,
        "word/embeddings/Microsoft_Excel_Worksheet1.xlsx!/xl/worksheets/sheet1.xml"
    );
    assert_eq!(r.place, "Ark1!A1");
    assert_eq!(r.flags, ["embedded"]);
    let paths: Vec<_> = doc.embedded.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "word/embeddings/Microsoft_Excel_Worksheet1.xlsx",
            "word/embeddings/Microsoft_Word_Document.docx",
            "word/embeddings/Microsoft_Word_Document.docx!/word/embeddings/Microsoft_Excel_Worksheet.xlsx",
        ]
    );
    assert_eq!(doc.embedded[0].labels[0].id, ids::STRENGT_BESKYTTET);
    assert_eq!(doc.embedded[0].format, Some(Format::Xlsx));
    assert!(
        rows.iter()
            .any(|r| r.text == "Dypt inne" && r.flags == ["embedded"])
    );
    // The document's own label stays its own.
    assert_eq!(doc.labels[0].id, ids::INTERN);
}

/// The package with the stored checksum of part `name` changed, where the local header
/// and the central directory hold it.
fn wrong_checksum(mut zip: Vec<u8>, name: &str) -> Vec<u8> {
    let crc = zip::ZipArchive::new(std::io::Cursor::new(&zip))
        .unwrap()
        .by_name(name)
        .unwrap()
        .crc32()
        .to_le_bytes();
    let at: Vec<usize> = zip
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == crc)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(at.len(), 2, "the checksum in two places only");
    for i in at {
        zip[i] ^= 1;
    }
    zip
}

/// The package with the uncompressed size of part `name` declared as `size`, in its local
/// header and in the central directory.
fn declared_size(mut zip: Vec<u8>, name: &str, size: u32) -> Vec<u8> {
    let (local, central) = {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap();
        let entry = archive.by_name(name).unwrap();
        (
            entry.header_start() as usize,
            entry.central_header_start() as usize,
        )
    };
    zip[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
    zip[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
    zip
}

/// An embedded part whose declared size lies (none, a few bytes, exactly the first read)
/// is damage, not an object read as far as the lie and noted: the rest is read to be
/// checked once the declared size is reached.
#[test]
fn an_embedded_part_that_lies_about_its_size_is_damage() {
    use o365lint::fixture::ole_object;
    let inner = Ooxml::new(Format::Docx).text("Skjult i innebygd").build();
    let mut big = inner.clone();
    // Past the lazy reader's first read of 64 KiB.
    big.extend(std::iter::repeat_n(0u8, 100_000));
    for (object, size) in [
        (inner.clone(), 0),
        (inner.clone(), 7),
        (ole_object("Package", &inner), 0),
        (ole_object("Contents", &big), 64 << 10),
    ] {
        let outer = Ooxml::new(Format::Pptx)
            .text("lysbilde")
            .part("ppt/embeddings/oleObject1.bin", object)
            .build();
        let outer = declared_size(outer, "ppt/embeddings/oleObject1.bin", size);
        let (doc, _) = read(outer, "a.pptx");
        let damage = doc.damage.as_ref().map(ToString::to_string);
        assert!(
            damage.is_some_and(|d| d.contains("ppt/embeddings/oleObject1.bin")),
            "declared {size}: {:?} {:?}",
            doc.damage,
            doc.notes
        );
    }
}

/// Three megabytes that are no Office file (`MZ`, as a Windows program starts).
fn program() -> Vec<u8> {
    let mut x = 5u64;
    let mut bytes = b"MZ".to_vec();
    bytes.extend((0..3_000_000).map(|_| {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        (x >> 56) as u8
    }));
    bytes
}

/// An OLE object is known by what Office writes at its start: its directory, and a
/// packaged file's header and first bytes. The rest of a packaged program is not read.
#[test]
fn embedded_objects_are_read_as_far_as_telling_what_they_hold_needs() {
    use o365lint::read::container::lazy::Lazy;
    use o365lint::read::container::ole::{self, Embedding};
    use std::cell::Cell;
    use std::io::Read;

    /// A reader that counts what was taken from it.
    struct Counted<'c>(&'c [u8], &'c Cell<usize>);
    impl Read for Counted<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.read(buf)?;
            self.1.set(self.1.get() + n);
            Ok(n)
        }
    }
    let look = |object: &[u8]| {
        let taken = Cell::new(0);
        let lazy = Lazy::new(Counted(object, &taken), object.len() as u64);
        let found = ole::embedding(lazy, &Limits::default()).unwrap();
        (found, taken.get())
    };
    // Smaller than the megabyte a compound file's stream buffers on a small first read.
    let mut program = program();
    program.truncate(900_000);
    let object = o365lint::fixture::ole_object(
        "\u{1}Ole10Native",
        &o365lint::fixture::ole10_native("oppsett.exe", &program),
    );
    let (found, taken) = look(&object);
    assert!(
        matches!(&found, Embedding::Native { name, data: None } if name == "oppsett.exe"),
        "{found:?}"
    );
    assert!(taken <= 200 << 10, "{taken} of {}", object.len());

    // A packaged document is read whole.
    let docx = Ooxml::new(Format::Docx).text("Pakket fil").build();
    let object = o365lint::fixture::ole_object(
        "\u{1}Ole10Native",
        &o365lint::fixture::ole10_native("notat.docx", &docx),
    );
    let (found, _) = look(&object);
    assert!(
        matches!(&found, Embedding::Native { data: Some(d), .. } if *d == docx),
        "{found:?}"
    );
}

#[test]
fn embedded_ole_packages_and_depth_limit() {
    use o365lint::fixture::ole_object;
    let inner = Ooxml::new(Format::Xlsx).text("I OLE-pakke").build();
    let native = Ooxml::new(Format::Docx).text("Pakket fil").build();
    let outer = Ooxml::new(Format::Pptx)
        .text("lysbilde")
        .part(
            "ppt/embeddings/oleObject1.bin",
            ole_object("Package", &inner),
        )
        .part(
            "ppt/embeddings/oleObject2.bin",
            ole_object(
                "\u{1}Ole10Native",
                &o365lint::fixture::ole10_native("notat 151086.docx", &native),
            ),
        )
        .part(
            "ppt/embeddings/oleObject3.bin",
            ole_object("Equation Native", b"\x1c\0\0\0"),
        )
        .part(
            "ppt/embeddings/oleObject4.bin",
            // A packaged program: known by its name and first bytes.
            ole_object(
                "\u{1}Ole10Native",
                &o365lint::fixture::ole10_native("oppsett.exe", &program()),
            ),
        )
        .build();
    // The program's checksum made wrong: it is at the end of its part, which a look at
    // the object's directory and the program's first bytes never reaches.
    let outer = wrong_checksum(outer, "ppt/embeddings/oleObject4.bin");
    let (doc, rows) = read(outer, "a.pptx");
    assert_eq!(row(&rows, "oppsett.exe").kind, "file-name");
    assert!(
        doc.notes.iter().any(|n| n
            .text(o365lint::model::Lang::En)
            .starts_with("ppt/embeddings/oleObject4.bin: embedded file «oppsett.exe» is not an Office document")),
        "{:?}",
        doc.notes
    );
    assert!(doc.damage.is_none(), "{:?}", doc.damage);
    assert_eq!(
        row(&rows, "I OLE-pakke").part,
        "ppt/embeddings/oleObject1.bin!/xl/worksheets/sheet1.xml"
    );
    assert_eq!(
        row(&rows, "Pakket fil").part,
        "ppt/embeddings/oleObject2.bin!/notat 151086.docx!/word/document.xml"
    );
    assert_eq!(row(&rows, "notat 151086.docx").kind, "file-name");
    assert!(
        doc.notes
            .iter()
            .any(|n| n.text(o365lint::model::Lang::En).starts_with(
                "ppt/embeddings/oleObject3.bin: embedded OLE object that is not a document"
            )),
        "{:?}",
        doc.notes
    );

    // Nested past the limit: not read, and the file is not fully read.
    let mut nested = Ooxml::new(Format::Docx).text("nivå 4").build();
    for level in (0..=3).rev() {
        nested = Ooxml::new(Format::Docx)
            .text(&format!("nivå {level}"))
            .part("word/embeddings/d.docx", nested)
            .build();
    }
    let (doc, rows) = read(nested, "a.docx");
    assert!(rows.iter().any(|r| r.text == "nivå 3"));
    assert!(!rows.iter().any(|r| r.text == "nivå 4"));
    let damage = doc.damage.as_ref().expect("not fully read");
    assert_eq!(damage.kind(), o365lint::model::ErrorKind::Limit);
    assert!(
        damage.to_string().contains(
            "word/embeddings/d.docx!/word/embeddings/d.docx!/word/embeddings/d.docx: 1 embedded document(s) not read: nested deeper than 3 levels"
        ),
        "{damage}"
    );
}

#[test]
fn references_and_space_are_honoured() {
    let body = "<w:p><w:r><w:t>&#x46;&#248;dsels&amp;nummer</w:t></w:r><w:r><w:t> trimmet </w:t></w:r><w:r><w:t xml:space=\"preserve\"> bevart </w:t></w:r></w:p>";
    let (_, rows) = read(docx(body).build(), "a.docx");
    row(&rows, "Fødsels&nummertrimmet bevart ");
}

#[test]
fn a_damaged_part_leaves_the_rest_readable() {
    let b = docx(&para("Brødtekst")).xml_part(
        "word/header1.xml",
        Some("wordprocessingml.header+xml"),
        "<w:hdr><w:p><w:r><w:t>ok</w:t></w:r></w:p",
    );
    let (doc, rows) = read(b.build(), "a.docx");
    row(&rows, "Brødtekst");
    let e = doc.damage.expect("damage").to_string();
    assert!(
        e.starts_with("damaged part: word/header1.xml: ill-formed XML"),
        "{e}"
    );
}

#[test]
fn builder_zip_is_usable_for_raw_packages() {
    // A package with only a body and no content types for its parts still has its text read.
    let doc = zip(&[
        (
            "[Content_Types].xml".into(),
            b"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
                .to_vec(),
        ),
        (
            "word/document.xml".into(),
            format!(
                "<w:document {W}><w:body>{}</w:body></w:document>",
                para("uten typer")
            )
            .into_bytes(),
        ),
        (
            "word/header1.xml".into(),
            format!("<w:hdr {W}>{}</w:hdr>", para("topp")).into_bytes(),
        ),
    ]);
    let (_, rows) = read(doc, "a.docx");
    assert_eq!(
        at(&rows, "uten typer"),
        t("word/document.xml", "avsnitt 1", "body")
    );
    assert_eq!(row(&rows, "topp").kind, "header");
}

/// A docx written part by part: content types, package relationships, the main part at
/// `main`, and the given parts.
fn package(main: &str, body: &str, types: &str, parts: &[(&str, &[u8])]) -> Vec<u8> {
    let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
    let mut all: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            format!("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/{main}\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>{types}</Types>").into_bytes(),
        ),
        (
            "_rels/.rels".into(),
            format!("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"{main}\"/></Relationships>").into_bytes(),
        ),
        (
            main.into(),
            format!("<w:document {w}><w:body>{body}</w:body></w:document>").into_bytes(),
        ),
    ];
    all.extend(parts.iter().map(|(n, b)| (n.to_string(), b.to_vec())));
    zip(&all)
}

fn rels(list: &[(&str, &str)]) -> Vec<u8> {
    let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let items: String = list
        .iter()
        .enumerate()
        .map(|(i, (kind, target))| {
            format!(
                "<Relationship Id=\"rId{}\" Type=\"{r}/{kind}\" Target=\"{target}\"/>",
                i + 10
            )
        })
        .collect();
    format!("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{items}</Relationships>").into_bytes()
}

#[test]
fn the_main_part_is_where_the_package_points() {
    let bytes = package(
        "doc/main.xml",
        "<w:p><w:r><w:t>fnr 15108695088</w:t></w:r></w:p>",
        "",
        &[],
    );
    let (doc, rows) = read(bytes, "a.docx");
    assert_eq!(doc.format, Format::Docx);
    assert_eq!(row(&rows, "fnr 15108695088").part, "doc/main.xml");
}

#[test]
fn imported_content_and_embeddings_found_by_relationship() {
    let inner = package(
        "word/document.xml",
        "<w:p><w:r><w:t>innebygd</w:t></w:r></w:p>",
        "",
        &[],
    );
    let body = "<w:p><w:r><w:t>hei</w:t></w:r></w:p><w:altChunk r:id=\"rId10\"/><w:altChunk r:id=\"rId11\"/><w:altChunk r:id=\"rId12\"/><w:altChunk r:id=\"rId13\"/>";
    let bytes = package(
        "word/document.xml",
        body,
        "<Override PartName=\"/word/a.htm\" ContentType=\"text/html\"/><Override PartName=\"/word/b.txt\" ContentType=\"text/plain\"/><Override PartName=\"/word/c.rtf\" ContentType=\"application/rtf\"/><Default Extension=\"bin\" ContentType=\"image/png\"/>",
        &[
            (
                "word/_rels/document.xml.rels",
                &rels(&[
                    ("aFChunk", "a.htm"),
                    ("aFChunk", "b.txt"),
                    ("aFChunk", "c.rtf"),
                    ("aFChunk", "d.docx"),
                    ("package", "media/x.bin"),
                ]),
            ),
            (
                "word/a.htm",
                b"<html><body><p>fra <b>HTML</b>&nbsp;1</p></body></html>",
            ),
            ("word/b.txt", b"fra tekst 2"),
            ("word/c.rtf", b"{\\rtf1\\ansi fra RTF 3\\par}"),
            ("word/d.docx", &inner),
            ("word/media/x.bin", &inner),
        ],
    );
    let (_, rows) = read(bytes, "a.docx");
    let imported = |text: &str, part: &str| {
        let r = row(&rows, text);
        assert_eq!((r.part.as_str(), r.kind.as_str()), (part, "body"), "{text}");
        assert!(r.place.starts_with("importert innhold"), "{}", r.place);
    };
    imported("fra HTML\u{a0}1", "word/a.htm");
    imported("fra tekst 2", "word/b.txt");
    imported("fra RTF 3", "word/c.rtf");
    let embedded: Vec<&str> = rows
        .iter()
        .filter(|r| r.text == "innebygd")
        .map(|r| r.part.as_str())
        .collect();
    assert_eq!(
        embedded,
        [
            "word/d.docx!/word/document.xml",
            "word/media/x.bin!/word/document.xml"
        ]
    );
}

#[test]
fn alternate_content_whose_choice_office_ignores_shows_its_fallback() {
    let body = "<w:p><w:r><mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" xmlns:x=\"urn:example:unknown\"><mc:Choice Requires=\"x\"><w:t>valg</w:t></mc:Choice><mc:Fallback><w:t>fnr 15108695088</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>";
    let (_, rows) = read(docx(body).build(), "a.docx");
    assert!(rows.iter().any(|r| r.text == "fnr 15108695088"), "{rows:?}");
    assert!(!rows.iter().any(|r| r.text.contains("valg")));
}

#[test]
fn a_broken_relationships_part_is_reported_once() {
    // A slide's relationships broken, then its notes slide's: each is asked for by the
    // slide, the notes slide and the parts they own, and reported once.
    for (broken, other, kind, target) in [
        (
            "ppt/slides/_rels/slide1.xml.rels",
            "ppt/notesSlides/notesSlide1.xml",
            "slide",
            "../slides/slide1.xml",
        ),
        (
            "ppt/notesSlides/_rels/notesSlide1.xml.rels",
            "ppt/slides/slide1.xml",
            "notesSlide",
            "../notesSlides/notesSlide1.xml",
        ),
    ] {
        let b = Ooxml::new(Format::Pptx)
            .text("første")
            .xml_part(
                "ppt/notesSlides/notesSlide1.xml",
                Some("presentationml.notesSlide+xml"),
                format!(
                    "<p:notes {P}><p:cSld><p:spTree>{}</p:spTree></p:cSld></p:notes>",
                    shape("Notatplassholder 2", "Husk møtet", "")
                ),
            )
            .rel(other, "rX1", kind, target)
            .xml_part(broken, None, "<Relationships><Relationship Id=\"rN1\"");
        let (doc, rows) = read(b.build(), "a.pptx");
        row(&rows, "første");
        let name = broken.rsplit('/').next().unwrap();
        let reports: Vec<String> = doc
            .damage
            .iter()
            .map(ToString::to_string)
            .chain(doc.notes.iter().map(|n| format!("{n:?}")))
            .filter(|r| r.contains(name))
            .collect();
        assert_eq!(reports.len(), 1, "{broken}: {reports:#?}");
    }
}
