//! The generated pathology set of issue 23 (benches/compare.sh with SET=pathology): the
//! workbooks whose cost grows with their bytes of text and markup rather than with the
//! number of files, written with the fixture builder. Not part of the tool.
//!
//! - `long-formulas.xlsx`: 6,000 formula cells caching texts of 4–8 KB (about 36 MB of
//!   sheet XML), as a workbook that assembles letters with CONCATENATE;
//! - `drawing.xlsx`: a sheet with a 3 MB drawing part (text boxes, most of it markup);
//! - `styles.xlsx`: a 3 MB styles part (fonts, fills, cell formats and named styles that
//!   copying between workbooks piles up);
//! - `shared-strings.xlsx`: 60,000 cells, each its own shared string.
//!
//! Usage: pathology [DIR] (default target/pathology). The same bytes every run: the text
//! is drawn from a fixed word list by a fixed pseudo-random sequence.

use std::fmt::Write as _;
use std::path::PathBuf;

use o365lint::fixture::{Ooxml, esc};
use o365lint::model::Format;

const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";
const SML: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const WORDS: &[&str] = &[
    "kommunen",
    "søknad",
    "vedtak",
    "bolig",
    "tildeling",
    "klage",
    "frist",
    "saken",
    "behandlet",
    "etter",
    "forvaltningsloven",
    "bydel",
    "helse",
    "omsorg",
    "tjenester",
    "brukeren",
    "pårørende",
    "møte",
    "referat",
    "avtale",
    "tilskudd",
    "beløp",
    "kroner",
    "utbetaling",
    "regnskap",
    "budsjett",
    "prosjekt",
    "skole",
    "barnehage",
    "plass",
    "elev",
    "foresatte",
    "vurdering",
    "tiltak",
    "oppfølging",
    "rapport",
    "status",
    "og",
    "i",
    "på",
    "for",
    "med",
    "til",
    "av",
    "som",
    "det",
    "er",
    "ikke",
    "har",
    "ble",
    "vil",
    "skal",
    "kan",
    "må",
    "om",
    "fra",
    "ved",
    "under",
    "over",
    "innen",
    "Oslo",
    "Grünerløkka",
    "Frogner",
    "Alna",
    "Stovner",
    "Sagene",
    "St. Hanshaugen",
    "Nordstrand",
];

/// A fixed pseudo-random sequence (a 64-bit linear congruential generator).
struct Draw(u64);

impl Draw {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    /// Prose of `min` to `min + spread` bytes.
    fn prose_of(&mut self, min: usize, spread: usize) -> String {
        let len = min + self.next(spread);
        self.prose(len)
    }

    /// Prose of about `len` bytes: words, now and then a year, an amount or a case number.
    fn prose(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len + 32);
        while s.len() < len {
            match self.next(40) {
                0 => write!(s, "{} ", 1990 + self.next(36)),
                1 => write!(s, "{} {:03} kr ", 1 + self.next(99), self.next(1000)),
                2 => write!(
                    s,
                    "sak {}/{:05}. ",
                    2015 + self.next(11),
                    self.next(100_000)
                ),
                _ => write!(s, "{} ", WORDS[self.next(WORDS.len())]),
            }
            .unwrap();
        }
        s.truncate(s.trim_end().len());
        s
    }
}

fn column(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

fn sheet(rows: &str, tail: &str) -> String {
    format!(
        "{XML}<worksheet xmlns=\"{SML}\" xmlns:r=\"{REL}\"><sheetData>{rows}</sheetData>{tail}</worksheet>"
    )
}

fn workbook(sheet_xml: String) -> Ooxml {
    Ooxml::new(Format::Xlsx).xml_part("xl/worksheets/sheet1.xml", None, sheet_xml)
}

/// 6,000 formula cells of 4–8 KB cached text in column B, a short label in column A.
fn long_formulas(d: &mut Draw) -> Vec<u8> {
    let mut rows = String::new();
    for r in 1..=6_000 {
        let text = d.prose_of(4_096, 4_096);
        write!(
            rows,
            "<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>Brev {r}</t></is></c><c r=\"B{r}\" t=\"str\"><f>CONCATENATE(Maler!A{r},\" \",Maler!B{r},\" \",Maler!C{r})</f><v>{}</v></c></row>",
            esc(&text)
        )
        .unwrap();
    }
    workbook(sheet(&rows, "")).build()
}

/// A sheet of 200 cells and a drawing part of 3 MB: text boxes with their shape properties,
/// a paragraph or two of text each.
fn drawing(d: &mut Draw) -> Vec<u8> {
    let mut rows = String::new();
    for r in 1..=100 {
        write!(
            rows,
            "<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>{}</t></is></c><c r=\"B{r}\"><v>{}</v></c></row>",
            esc(&d.prose(30)),
            d.next(100_000)
        )
        .unwrap();
    }
    let mut shapes = String::new();
    let mut id = 2;
    while shapes.len() < 3_000_000 {
        let (c, r) = (d.next(20), d.next(200));
        let paras: String = (0..1 + d.next(3))
            .map(|_| {
                format!(
                    "<a:p><a:pPr algn=\"l\"/><a:r><a:rPr lang=\"nb-NO\" sz=\"1100\" b=\"0\"><a:solidFill><a:schemeClr val=\"tx1\"/></a:solidFill><a:latin typeface=\"+mn-lt\"/></a:rPr><a:t>{}</a:t></a:r></a:p>",
                    esc(&d.prose_of(40, 200))
                )
            })
            .collect();
        write!(
            shapes,
            "<xdr:twoCellAnchor editAs=\"oneCell\"><xdr:from><xdr:col>{c}</xdr:col><xdr:colOff>152400</xdr:colOff><xdr:row>{r}</xdr:row><xdr:rowOff>76200</xdr:rowOff></xdr:from><xdr:to><xdr:col>{}</xdr:col><xdr:colOff>457200</xdr:colOff><xdr:row>{}</xdr:row><xdr:rowOff>133350</xdr:rowOff></xdr:to><xdr:sp macro=\"\" textlink=\"\"><xdr:nvSpPr><xdr:cNvPr id=\"{id}\" name=\"Tekstboks {id}\"/><xdr:cNvSpPr txBox=\"1\"/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x=\"{}\" y=\"{}\"/><a:ext cx=\"2743200\" cy=\"914400\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val=\"lt1\"/></a:solidFill><a:ln w=\"9525\" cmpd=\"sng\"><a:solidFill><a:schemeClr val=\"lt1\"><a:shade val=\"50000\"/></a:schemeClr></a:solidFill></a:ln></xdr:spPr><xdr:style><a:lnRef idx=\"0\"><a:scrgbClr r=\"0\" g=\"0\" b=\"0\"/></a:lnRef><a:fillRef idx=\"0\"><a:scrgbClr r=\"0\" g=\"0\" b=\"0\"/></a:fillRef><a:effectRef idx=\"0\"><a:scrgbClr r=\"0\" g=\"0\" b=\"0\"/></a:effectRef><a:fontRef idx=\"minor\"><a:schemeClr val=\"dk1\"/></a:fontRef></xdr:style><xdr:txBody><a:bodyPr vertOverflow=\"clip\" horzOverflow=\"clip\" wrap=\"square\" rtlCol=\"0\" anchor=\"t\"/><a:lstStyle/>{paras}</xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>",
            c + 3,
            r + 5,
            d.next(10_000_000),
            d.next(40_000_000)
        )
        .unwrap();
        id += 1;
    }
    let xml = format!(
        "{XML}<xdr:wsDr xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">{shapes}</xdr:wsDr>"
    );
    workbook(sheet(&rows, "<drawing r:id=\"rId1\"/>"))
        .xml_part("xl/drawings/drawing1.xml", Some("drawing+xml"), xml)
        .rel(
            "xl/worksheets/sheet1.xml",
            "rId1",
            "drawing",
            "../drawings/drawing1.xml",
        )
        .build()
}

/// A sheet of 2,000 cells in 500 of 9,000 cell formats, and a styles part of 3 MB.
fn styles(d: &mut Draw) -> Vec<u8> {
    const XFS: usize = 9_000;
    let fonts: String = (0..1_500)
        .map(|i| {
            format!(
                "<font><b val=\"{}\"/><sz val=\"{}\"/><color theme=\"{}\" tint=\"-0.249977111117893\"/><name val=\"{}\"/><family val=\"2\"/><scheme val=\"minor\"/></font>",
                i % 2,
                8 + i % 12,
                i % 10,
                ["Calibri", "Arial", "Times New Roman", "Verdana"][i % 4]
            )
        })
        .collect();
    let fills: String = (0..800)
        .map(|i| format!("<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FF{:06X}\"/><bgColor indexed=\"64\"/></patternFill></fill>", i * 2_654_435 % 0xFF_FFFF))
        .collect();
    let borders: String = (0..400)
        .map(|_| "<border><left style=\"thin\"><color indexed=\"64\"/></left><right style=\"thin\"><color indexed=\"64\"/></right><top style=\"thin\"><color indexed=\"64\"/></top><bottom style=\"thin\"><color indexed=\"64\"/></bottom><diagonal/></border>".to_string())
        .collect();
    let formats: String = (0..150)
        .map(|i| {
            format!(
                "<numFmt numFmtId=\"{}\" formatCode=\"{}\"/>",
                164 + i,
                esc(&format!(
                    "#,##0.{}\\ \"kr\";[Red]\\-#,##0.{}\\ \"kr\"",
                    "0".repeat(i % 5),
                    "0".repeat(i % 5)
                ))
            )
        })
        .collect();
    let xf = |d: &mut Draw| {
        format!(
            "<xf numFmtId=\"{}\" fontId=\"{}\" fillId=\"{}\" borderId=\"{}\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"left\" vertical=\"top\" wrapText=\"1\"/></xf>",
            [0, 14, 164 + d.next(150), 49][d.next(4)],
            d.next(1_500),
            d.next(800),
            d.next(400)
        )
    };
    let style_xfs: String = (0..2_500).map(|_| xf(d)).collect();
    let cell_xfs: String = (0..XFS).map(|_| xf(d)).collect();
    let named: String = (0..2_500)
        .map(|i| {
            format!(
                "<cellStyle name=\"{}\" xfId=\"{i}\"/>",
                esc(&format!("Normal {} {}", i / 7, WORDS[i % WORDS.len()]))
            )
        })
        .collect();
    let xml = format!(
        "{XML}<styleSheet xmlns=\"{SML}\"><numFmts count=\"150\">{formats}</numFmts><fonts count=\"1500\">{fonts}</fonts><fills count=\"800\">{fills}</fills><borders count=\"400\">{borders}</borders><cellStyleXfs count=\"2500\">{style_xfs}</cellStyleXfs><cellXfs count=\"{XFS}\">{cell_xfs}</cellXfs><cellStyles count=\"2500\">{named}</cellStyles><dxfs count=\"0\"/></styleSheet>"
    );
    let mut rows = String::new();
    for r in 1..=500 {
        write!(rows, "<row r=\"{r}\">").unwrap();
        for c in 0..4 {
            let s = d.next(500) * (XFS / 500);
            write!(
                rows,
                "<c r=\"{}{r}\" s=\"{s}\"><v>{}</v></c>",
                column(c),
                d.next(10_000_000)
            )
            .unwrap();
        }
        rows.push_str("</row>");
    }
    workbook(sheet(&rows, ""))
        .xml_part("xl/styles.xml", None, xml)
        .build()
}

/// 60,000 cells, each its own shared string: a register of cases.
fn shared_strings(d: &mut Draw) -> Vec<u8> {
    let mut book = Ooxml::new(Format::Xlsx);
    for i in 0..60_000 {
        let word = WORDS[d.next(WORDS.len())];
        let text = format!("{word} {i}: {}", d.prose_of(20, 60));
        book = book.text(&text);
    }
    book.build()
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("target/pathology"), PathBuf::from);
    std::fs::create_dir_all(&dir).expect("output folder");
    let mut d = Draw(23);
    type Make = fn(&mut Draw) -> Vec<u8>;
    let files: [(&str, Make); 4] = [
        ("long-formulas.xlsx", long_formulas),
        ("drawing.xlsx", drawing),
        ("styles.xlsx", styles),
        ("shared-strings.xlsx", shared_strings),
    ];
    for (name, make) in files {
        let bytes = make(&mut d);
        std::fs::write(dir.join(name), &bytes).expect("write");
        println!("{name}: {} bytes", bytes.len());
    }
}
