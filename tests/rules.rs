//! Every handling rule on a generated document where it fires and one where it does not,
//! judged by the whole scan (labels, text, detection, rules) with the built-in defaults.

use o365lint::document::Format;
use o365lint::fixture::{Encrypted, Label, Ooxml, Protection, ids, ole_object, ole10_native};
use o365lint::report::FileReport;
use o365lint::scan::{self, Options};

const FNR: &str = "15108695088";

fn verdict(name: &str, bytes: Vec<u8>) -> FileReport {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    scan::scan_file(&path, &Options::built_in())
}

fn rules(r: &FileReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

/// `rule` fires on the first document and not on the second.
fn check(rule: &str, fires: (&str, Vec<u8>), quiet: (&str, Vec<u8>)) {
    let yes = verdict(fires.0, fires.1);
    assert!(
        rules(&yes).contains(&rule),
        "{rule} should fire: {:?} {:?}",
        rules(&yes),
        yes.error
    );
    let no = verdict(quiet.0, quiet.1);
    assert!(
        !rules(&no).contains(&rule),
        "{rule} should not fire: {:?}",
        rules(&no)
    );
}

fn own(id: &str) -> Label {
    Label::new(id, ids::TENANT)
}

fn docx(label: Option<&str>, paragraphs: &[&str]) -> Ooxml {
    let mut b = Ooxml::new(Format::Docx);
    if let Some(id) = label {
        b = b.label_info(vec![own(id)]);
    }
    for p in paragraphs {
        b = b.text(p);
    }
    b
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

fn with_comment(b: Ooxml, text: &str) -> Ooxml {
    b.xml_part(
        "word/comments.xml",
        Some("wordprocessingml.comments+xml"),
        format!("<w:comments {W}><w:comment w:id=\"0\" w:author=\"A\"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:comment></w:comments>"),
    )
}

#[test]
fn lbl_rules() {
    check(
        "LBL-01",
        ("a.docx", docx(None, &["x"]).build()),
        ("b.docx", docx(Some(ids::INTERN), &["x"]).build()),
    );
    check(
        "LBL-02",
        ("a.docx", docx(Some(ids::UNKNOWN_LABEL), &["x"]).build()),
        ("b.docx", docx(Some(ids::INTERN), &["x"]).build()),
    );
    let foreign = Ooxml::new(Format::Docx)
        .label_info(vec![Label::new(ids::FOREIGN_LABEL, ids::FOREIGN_TENANT)])
        .build();
    check(
        "LBL-03",
        ("a.docx", foreign),
        ("b.docx", docx(Some(ids::INTERN), &["x"]).build()),
    );
    check(
        "LBL-05",
        ("a.docx", docx(Some(ids::BESKYTTET), &["x"]).build()),
        (
            "b.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &["x"]).build(),
        ),
    );
    let removed = Ooxml::new(Format::Docx)
        .label_info(vec![Label::removed(ids::TENANT)])
        .build();
    check(
        "LBL-07",
        ("a.docx", removed),
        ("b.docx", docx(Some(ids::INTERN), &["x"]).build()),
    );
}

#[test]
fn pii_rules() {
    let fnr = format!("Fødselsnummer: {FNR}");
    check(
        "PII-01",
        ("a.docx", docx(Some(ids::INTERN), &[&fnr]).build()),
        (
            "b.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &[&fnr]).build(),
        ),
    );
    let many = [
        "15108695088",
        "10048745526",
        "11111598403",
        "18061592527",
        "23114038547",
        "26111593816",
        "13097248022",
        "29029648784",
        "29020075838",
        "15021951940",
    ];
    let ten: Vec<String> = many.iter().map(|n| format!("fnr {n}")).collect();
    let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
    check(
        "PII-02",
        ("a.docx", docx(Some(ids::BESKYTTET_KUN_OSLO), &ten).build()),
        (
            "b.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &ten[..9]).build(),
        ),
    );
    let health = format!("{fnr}, diagnose F90.0");
    check(
        "PII-03",
        ("a.docx", docx(Some(ids::INTERN), &[&health]).build()),
        ("b.docx", docx(Some(ids::INTERN), &[&fnr]).build()),
    );
    let kode6 = format!("{fnr}, strengt fortrolig adresse");
    check(
        "PII-05",
        (
            "a.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &[&kode6]).build(),
        ),
        (
            "b.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &[&fnr]).build(),
        ),
    );
    let account = "Kontonummer: 8601 11 17947";
    check(
        "PII-09",
        ("a.docx", docx(Some(ids::APEN), &[account]).build()),
        ("b.docx", docx(Some(ids::INTERN), &[account]).build()),
    );
}

#[test]
fn enc_rules() {
    let irm = Encrypted::new(Protection::Irm)
        .label_info(vec![own(ids::STRENGT_BESKYTTET)])
        .build();
    check(
        "ENC-01",
        ("a.docx", docx(Some(ids::STRENGT_BESKYTTET), &["x"]).build()),
        ("b.docx", irm),
    );
    let encrypt_bit = Ooxml::new(Format::Docx)
        .label_info(vec![own(ids::INTERN).content_bits(Some(8))])
        .build();
    check(
        "ENC-02",
        ("a.docx", encrypt_bit),
        ("b.docx", docx(Some(ids::INTERN), &["x"]).build()),
    );
    check(
        "ENC-03",
        (
            "a.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &["x"]).build(),
        ),
        ("b.docx", docx(Some(ids::INTERN), &["x"]).build()),
    );
    check(
        "ENC-04",
        ("a.docx", Encrypted::new(Protection::Password).build()),
        ("b.docx", docx(Some(ids::INTERN), &["x"]).build()),
    );
}

#[test]
fn hid_rules() {
    let sheet = |state: &str| {
        Ooxml::new(Format::Xlsx)
            .label_info(vec![own(ids::BESKYTTET_KUN_OSLO)])
            .text(&format!("fnr {FNR}"))
            .xml_part(
                "xl/workbook.xml",
                None,
                format!("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Ark1\" sheetId=\"1\" state=\"{state}\" r:id=\"rId1\"/></sheets></workbook>"),
            )
            .build()
    };
    check(
        "HID-01",
        ("a.xlsx", sheet("hidden")),
        ("b.xlsx", sheet("visible")),
    );
    let base = || docx(Some(ids::BESKYTTET_KUN_OSLO), &["x"]);
    check(
        "HID-02",
        (
            "a.docx",
            with_comment(base(), &format!("fnr {FNR}")).build(),
        ),
        (
            "b.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &[&format!("fnr {FNR}")]).build(),
        ),
    );
    let pivot = |item: &str| {
        Ooxml::new(Format::Xlsx)
            .label_info(vec![own(ids::BESKYTTET_KUN_OSLO)])
            .text("x")
            .xml_part(
                "xl/pivotCache/pivotCacheDefinition1.xml",
                Some("spreadsheetml.pivotCacheDefinition+xml"),
                format!("<pivotCacheDefinition xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><cacheFields count=\"1\"><cacheField name=\"Fnr\"><sharedItems><s v=\"{item}\"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>"),
            )
            .build()
    };
    check("HID-03", ("a.xlsx", pivot(FNR)), ("b.xlsx", pivot("Oslo")));
    let inner = Ooxml::new(Format::Docx).text("innebygd").build();
    let embedding = docx(Some(ids::INTERN), &["x"])
        .part(
            "word/embeddings/oleObject1.bin",
            ole_object("\u{1}Ole10Native", &ole10_native("a.docx", &inner)),
        )
        .build();
    check(
        "HID-04",
        ("a.docx", embedding),
        ("b.docx", docx(Some(ids::INTERN), &["x"]).build()),
    );
}

#[test]
fn meta_rules() {
    let core = |creator: &str| {
        format!(
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Rundskriv</dc:title>{creator}</cp:coreProperties>"
        )
    };
    let open = |b: Ooxml| b.xml_part("docProps/core.xml", None, core(""));
    check(
        "META-01",
        (
            "a.docx",
            open(with_comment(docx(Some(ids::APEN), &["x"]), "se her")).build(),
        ),
        ("b.docx", open(docx(Some(ids::APEN), &["x"])).build()),
    );
    check(
        "META-02",
        (
            "a.docx",
            docx(Some(ids::APEN), &["x"])
                .xml_part(
                    "docProps/core.xml",
                    None,
                    core("<dc:creator>Kari Nordmann</dc:creator>"),
                )
                .build(),
        ),
        ("b.docx", open(docx(Some(ids::APEN), &["x"])).build()),
    );
    check(
        "META-03",
        (
            &format!("vedtak {FNR}.docx"),
            docx(Some(ids::BESKYTTET_KUN_OSLO), &["x"]).build(),
        ),
        (
            "vedtak.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &["x"]).build(),
        ),
    );
}

#[test]
fn required_class_and_english_messages() {
    let r = verdict(
        "a.docx",
        docx(Some(ids::INTERN), &[&format!("Fødselsnummer: {FNR}")]).build(),
    );
    assert_eq!(r.required_class.map(|c| c.id()), Some("beskyttet"));
    assert_eq!(r.required_by, ["PII-01:beskyttet"]);
    let f = r.findings.iter().find(|f| f.rule == "PII-01").unwrap();
    assert!(
        f.message.contains("krever minst Beskyttet, merket Intern"),
        "{}",
        f.message
    );
    assert!(!f.message.contains(FNR));
    let mut opts = Options::built_in();
    opts.lang = o365lint::rules::Lang::En;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.docx");
    std::fs::write(
        &path,
        docx(Some(ids::INTERN), &[&format!("Fødselsnummer: {FNR}")]).build(),
    )
    .unwrap();
    let r = scan::scan_file(&path, &opts);
    let f = r.findings.iter().find(|f| f.rule == "PII-01").unwrap();
    assert!(
        f.message
            .contains("requires at least Beskyttet, labelled Intern"),
        "{}",
        f.message
    );
}
