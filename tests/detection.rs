//! The behavioural acceptance tests of spec/pii.md §8 (default detectors, today =
//! 2026-01-01), through documents the fixture builder makes where the text is more than a
//! paragraph.

use std::io::Cursor;

use o365lint::detect::fnr::{Date, Mode2032};
use o365lint::detect::{Detectors, Outcome};
use o365lint::fixture::Ooxml;
use o365lint::model::Detection;
use o365lint::model::Format;
use o365lint::read::container::Limits;
use o365lint::read::document;

fn detectors() -> Detectors {
    Detectors::built_in().with_today(Date::new(2026, 1, 1))
}

fn para(text: &str) -> Outcome {
    detectors().paragraph(text)
}

fn only<'a>(o: &'a Outcome, detector: &str) -> Vec<&'a Detection> {
    o.detections
        .iter()
        .filter(|d| d.detector == detector)
        .collect()
}

fn one<'a>(o: &'a Outcome, detector: &str) -> &'a Detection {
    let found = only(o, detector);
    assert_eq!(found.len(), 1, "{detector} in {:#?}", o.detections);
    found[0]
}

fn document(bytes: Vec<u8>) -> Outcome {
    document_with(&detectors(), bytes)
}

fn document_with(det: &Detectors, bytes: Vec<u8>) -> Outcome {
    let mut scan = det.document();
    document::read_text(
        Cursor::new(bytes),
        None,
        &Limits::default(),
        &mut |b: &o365lint::read::text::Batch| scan.batch(b),
    )
    .unwrap();
    scan.finish()
}

const FAMILY: &[&str] = &[
    "fodselsnummer",
    "d-nummer",
    "h-nummer",
    "fh-nummer",
    "syntetisk-id",
];

fn no_family(o: &Outcome) {
    let f: Vec<_> = o
        .detections
        .iter()
        .filter(|d| FAMILY.contains(&d.detector.id()))
        .collect();
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn t01_keyword_and_grouping() {
    let o = para("Fødselsnummer: 151086 95088");
    let d = one(&o, "fodselsnummer");
    assert!(d.confidence >= 85);
    assert_eq!(d.masked, "151086*****");
    assert!(
        d.reasons
            .iter()
            .any(|r| r.starts_with("keyword:fødselsnummer"))
    );
}

#[test]
fn t02_bare_number() {
    assert_eq!(
        one(&para("Ref 15108695088"), "fodselsnummer").confidence,
        70
    );
}

#[test]
fn t03_t04_account_layout_is_never_fnr() {
    let o = para("Kontonummer: 1510.86.95088");
    assert!(one(&o, "kontonummer").confidence >= 65);
    no_family(&o);
    let o = para("Betal til 1510 86 95088");
    no_family(&o);
    assert!(
        only(&o, "kontonummer").is_empty(),
        "40 is below the threshold"
    );
}

#[test]
fn t05_negative_keyword() {
    no_family(&para("KID 15108695088"));
}

#[test]
fn t06_long_runs_are_not_cut() {
    assert!(para("1151086950881").detections.is_empty());
}

#[test]
fn t07_two_digit_groups() {
    assert!(one(&para("Fnr 26 11 15 940 14"), "fodselsnummer").confidence >= 85);
}

#[test]
fn t08_t09_fh_needs_context() {
    assert_eq!(
        one(&para("Pasient FH-nummer 81234567802"), "fh-nummer").confidence,
        70
    );
    assert!(para("81234567802").detections.is_empty());
}

#[test]
fn t10_t11_synthetic_and_h() {
    assert!(
        para("06916396390").detections.is_empty(),
        "synthetic ids are info only"
    );
    assert_eq!(one(&para("13527248013"), "h-nummer").confidence, 55);
}

#[test]
fn t12_2032_rule() {
    assert!(para("30108299939").detections.is_empty());
    let mut on = detectors();
    on.mode_2032 = Mode2032::On;
    assert_eq!(
        one(&on.paragraph("30108299939"), "fodselsnummer").confidence,
        70
    );
    let later = Detectors::built_in().with_today(Date::new(2032, 1, 1));
    assert_eq!(
        one(&later.paragraph("30108299939"), "fodselsnummer").confidence,
        70
    );
}

#[test]
fn t13_invalid_date() {
    assert!(para("29029900157").detections.is_empty());
}

/// A workbook whose first sheet holds these rows of cells (`s:` text, else numbers).
fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut data = String::new();
    for (r, row) in rows.iter().enumerate() {
        data.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, v) in row.iter().enumerate() {
            let cell = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            match v.strip_prefix("s:") {
                Some(t) => data.push_str(&format!(
                    "<c r=\"{cell}\" t=\"inlineStr\"><is><t>{t}</t></is></c>"
                )),
                None => data.push_str(&format!("<c r=\"{cell}\"><v>{v}</v></c>")),
            }
        }
        data.push_str("</row>");
    }
    Ooxml::new(Format::Xlsx)
        .xml_part(
            "xl/worksheets/sheet1.xml",
            None,
            format!("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{data}</sheetData></worksheet>"),
        )
        .build()
}

#[test]
fn t14_leading_zero_restored_under_a_header() {
    let o = document(workbook(&[
        &["s:Fnr"],
        &["1010100131"],
        &["5073500186"],
        &["9090950972"],
    ]));
    let found = only(&o, "fodselsnummer");
    assert_eq!(found.len(), 3, "{:#?}", o.detections);
    for d in found {
        assert!(d.confidence >= 85, "{d:?}");
        assert!(
            d.reasons.contains(&"leading-zero-restored".to_string()),
            "{d:?}"
        );
        assert!(d.location.place.starts_with("Ark1!A"), "{d:?}");
    }
}

#[test]
fn t15_leading_zero_alone_is_not_enough() {
    no_family(&document(workbook(&[&["1010100131"]])));
}

/// Valid account numbers of one bank, spread over its number range.
fn accounts(bank: &str, n: usize) -> Vec<String> {
    let w = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    std::iter::repeat_with(move || {
        // xorshift: reproducible, spread over the bank's range.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % 1_000_000
    })
    .filter_map(|i| {
        let body = format!("{bank}{i:06}");
        let sum: u32 = body
            .bytes()
            .zip(w)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        match 11 - sum % 11 {
            10 => None,
            11 => Some(format!("{body}0")),
            k => Some(format!("{body}{k}")),
        }
    })
    .take(n)
    .collect()
}

#[test]
fn t16_a_column_of_accounts_is_not_fødselsnummer() {
    let numbers = accounts("1503", 50);
    let rows: Vec<Vec<&str>> = numbers.iter().map(|n| vec![n.as_str()]).collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let o = document(workbook(&rows));
    no_family(&o);
}

#[test]
fn t17_runs_joined() {
    let doc = Ooxml::new(Format::Docx)
        .xml_part(
            "word/document.xml",
            None,
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>1510</w:t></w:r><w:r><w:t xml:space=\"preserve\">86 95088</w:t></w:r></w:p></w:body></w:document>",
        )
        .build();
    assert_eq!(one(&document(doc), "fodselsnummer").masked, "151086*****");
}

#[test]
fn t18_tracked_deletion() {
    let doc = Ooxml::new(Format::Docx)
        .xml_part(
            "word/document.xml",
            None,
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t xml:space=\"preserve\">Søker </w:t></w:r><w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>15108695088</w:delText></w:r></w:del></w:p></w:body></w:document>",
        )
        .build();
    let o = document(doc);
    let d = one(&o, "fodselsnummer");
    assert!(d.reasons.contains(&"tracked-deletion".to_string()), "{d:?}");
    assert_eq!(d.location.kind.id(), "tracked-deletion");
    assert_eq!(d.confidence, 70);
}

#[test]
fn deleted_text_is_read_in_its_paragraph() {
    let doc = Ooxml::new(Format::Docx)
        .xml_part(
            "word/document.xml",
            None,
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t xml:space=\"preserve\">Fødselsnummer: </w:t></w:r><w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>15108695088</w:delText></w:r></w:del></w:p></w:body></w:document>",
        )
        .build();
    let o = document(doc);
    let d = one(&o, "fodselsnummer");
    assert_eq!(d.confidence, 90, "{d:?}");
    assert!(
        d.reasons
            .contains(&"keyword:fødselsnummer@paragraph".to_string()),
        "{d:?}"
    );
}

#[test]
fn t19_special_categories_tag_the_identifier() {
    let o = para("Elev: Kari Nordmann, fnr 15108695088, diagnose F90.0");
    let d = one(&o, "fodselsnummer");
    assert!(d.confidence >= 85);
    assert!(
        d.reasons.contains(&"tag:saerlige-kategorier".to_string()),
        "{d:?}"
    );
    assert!(o.tags.contains_key("helse"));
}

#[test]
fn t20_duf() {
    assert!(one(&para("DUF-nummer 2002 057055 02"), "duf-nummer").confidence >= 75);
}

#[test]
fn t21_t22_phone_not_amount() {
    assert!(one(&para("Tlf. 412 34 567"), "telefonnummer").confidence >= 60);
    assert!(para("Beløp 12 345 678 kr").detections.is_empty());
}

#[test]
fn t23_t24_organisation_and_iban() {
    assert!(
        para("NO 995 525 828 MVA").detections.is_empty(),
        "30 is below the threshold"
    );
    assert_eq!(one(&para("NO93 8601 1117 947"), "iban").confidence, 65);
}

#[test]
fn t25_future_dates() {
    assert!(para("02013299997").detections.is_empty());
    let later = Detectors::built_in().with_today(Date::new(2032, 1, 2));
    assert_eq!(
        one(&later.paragraph("02013299997"), "fodselsnummer").confidence,
        70
    );
}

#[test]
fn duplicates_are_counted_once() {
    let o = para("fnr 15108695088, igjen 15108695088 og 151086 95088");
    let d = one(&o, "fodselsnummer");
    assert_eq!(d.count, 3);
}

/// A docx body of these paragraphs and table XML.
fn docx(body: &str) -> Vec<u8> {
    Ooxml::new(Format::Docx)
        .xml_part(
            "word/document.xml",
            None,
            format!("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"),
        )
        .build()
}

#[test]
fn a_cell_after_merged_cells_is_read_under_its_header() {
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let o = document(docx(&format!(
        "<w:tbl><w:tr>{}{}{}</w:tr><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>Kari, Oslo</w:t></w:r></w:p></w:tc>{}</w:tr></w:tbl>",
        cell("Navn"),
        cell("Adresse"),
        cell("Fnr"),
        cell("15108695088"),
    )));
    let d = one(&o, "fodselsnummer");
    assert_eq!(d.confidence, 90, "{d:?}");
    assert!(
        d.reasons.contains(&"keyword:fnr@header".to_string()),
        "{d:?}"
    );
}

/// Detectors that report everything, whatever its confidence.
fn reporting_all() -> Detectors {
    let mut d = detectors();
    d.settings.threshold = 0;
    d
}

fn column(header: &str, values: &[&str]) -> Vec<u8> {
    let header = format!("s:{header}");
    let mut cells: Vec<[&str; 1]> = vec![[header.as_str()]];
    cells.extend(values.iter().map(|v| [*v]));
    let rows: Vec<&[&str]> = cells.iter().map(|c| c.as_slice()).collect();
    workbook(&rows)
}

fn confidences(o: &Outcome) -> Vec<(&str, u8)> {
    o.detections
        .iter()
        .filter(|d| FAMILY.contains(&d.detector.id()))
        .map(|d| (d.detector.id(), d.confidence))
        .collect()
}

#[test]
fn column_statistics_raise_only_real_looking_numbers() {
    let all = reporting_all();
    // A column of plain fødselsnummer is raised.
    let o = document(column(
        "Verdi",
        &["15108695088", "10048745526", "11111598403"],
    ));
    assert_eq!(
        confidences(&o),
        [("fodselsnummer", 85); 3],
        "{:#?}",
        o.detections
    );
    // Tenor synthetic numbers stay at 20.
    let o = document_with(
        &all,
        column("Verdi", &["10915596784", "31856397214", "25925598227"]),
    );
    assert_eq!(confidences(&o), [("syntetisk-id", 20); 3]);
    // Numbers valid only by the 2032 rule stay at 25 before 2032.
    let o = document_with(
        &all,
        column("Verdi", &["11010000019", "11010000027", "11010000035"]),
    );
    assert_eq!(confidences(&o), [("fodselsnummer", 25); 3]);
    // FH numbers without FH context stay low.
    let o = document_with(
        &all,
        column("Verdi", &["81234567802", "91234567883", "80008117075"]),
    );
    assert_eq!(confidences(&o), [("fh-nummer", 15); 3]);
    // Test data is capped after the column raised it.
    let o = document_with(
        &all,
        column(
            "Fnr testperson",
            &["13527248013", "02417544944", "22517149261"],
        ),
    );
    assert_eq!(confidences(&o), [("h-nummer", 20); 3]);
}

#[test]
fn ten_digit_cells_are_scored_by_kind() {
    let all = reporting_all();
    // 06916396390: synthetic, not raised by an identifier header.
    let o = document_with(&all, column("Fnr", &["6916396390"]));
    assert_eq!(confidences(&o), [("syntetisk-id", 20)]);
    // 01415612385: an H-nummer under a test-data header.
    let o = document_with(&all, column("Fnr testperson", &["1415612385"]));
    assert_eq!(confidences(&o), [("h-nummer", 20)]);
    let o = document(column("Fnr", &["1415612385"]));
    assert_eq!(confidences(&o), [("h-nummer", 85)]);
}

#[test]
fn duf_numbers_start_with_a_year_from_1980() {
    assert!(only(&para("DUF-nummer 1975 123456 78"), "duf-nummer").is_empty());
    assert!(!only(&para("DUF-nummer 1985 123456 78"), "duf-nummer").is_empty());
}

#[test]
fn rule_2032_off_rejects_numbers_of_the_2032_rule() {
    let mut off = reporting_all();
    off.mode_2032 = Mode2032::Off;
    no_family(&off.paragraph("30108299939"));
    assert!(!off.mask("30108299939").starts_with("301082"));
    let auto = reporting_all();
    assert_eq!(
        one(&auto.paragraph("30108299939"), "fodselsnummer").confidence,
        25
    );
    assert_eq!(auto.mask("30108299939"), "301082*****");
}

#[test]
fn an_account_that_is_also_a_valid_fødselsnummer() {
    // 15030000037 passes the fødselsnummer checks; the keyword says it is an account.
    let o = para("Kontonummer: 15030000037");
    assert_eq!(one(&o, "kontonummer").confidence, 65);
    no_family(&o);
    // Without a keyword it stays a fødselsnummer only.
    let o = para("Ref 15108695088");
    assert!(only(&o, "kontonummer").is_empty());
}

#[test]
fn a_title_row_above_the_header() {
    // spec/pii.md §6.3, §8 #14: the header is the text nearest above, not the first row.
    let o = document(workbook(&[
        &["s:Elevliste 2025"],
        &[],
        &["s:Fnr"],
        &["1010100131"],
    ]));
    let d = one(&o, "fodselsnummer");
    assert_eq!(d.confidence, 85, "{d:?}");
    assert!(
        d.reasons.contains(&"keyword:fnr@header".to_string()),
        "{d:?}"
    );
    // A second list below the first has its own header.
    let o = document_with(
        &reporting_all(),
        workbook(&[
            &["s:Fnr"],
            &["15108695088"],
            &["s:Kundenummer"],
            &["10048745526"],
        ]),
    );
    assert_eq!(
        confidences(&o),
        [("fodselsnummer", 40), ("fodselsnummer", 90)],
        "{:#?}",
        o.detections
    );
}

fn sheet_xml(cells: &str) -> Vec<u8> {
    Ooxml::new(Format::Xlsx)
        .xml_part(
            "xl/worksheets/sheet1.xml",
            None,
            format!("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\">{cells}</row></sheetData></worksheet>"),
        )
        .build()
}

#[test]
fn formulas_are_read() {
    let o = document(sheet_xml(
        "<c r=\"B1\"><f>IF(A1=\"15108695088\",1,0)</f><v>0</v></c><c r=\"C1\"><f t=\"shared\" si=\"0\" ref=\"C1:C2\">B1*2</f><v>0</v></c>",
    ));
    let d = one(&o, "fodselsnummer");
    assert_eq!(d.location.kind.id(), "formula", "{d:?}");
    assert_eq!(d.location.place, "Ark1!B1", "{d:?}");
}

#[test]
fn numbers_with_decimals_are_no_identifiers() {
    let o = document_with(
        &reporting_all(),
        sheet_xml("<c r=\"A1\"><v>151086.95088</v></c><c r=\"B1\"><v>86011.117947</v></c>"),
    );
    assert!(o.detections.is_empty(), "{:#?}", o.detections);
    // The same digits as text are read as usual.
    let o = document(sheet_xml(
        "<c r=\"A1\" t=\"inlineStr\"><is><t>151086.95088</t></is></c>",
    ));
    one(&o, "fodselsnummer");
}
