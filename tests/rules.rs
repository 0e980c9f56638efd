//! Every handling rule on a generated document where it fires and one where it does not,
//! judged by the whole scan (labels, text, detection, rules) with the built-in defaults.

use o365lint::config::Config;
use o365lint::engine::walk::display;
use o365lint::engine::{Choices, Engine};
use o365lint::fixture::{Encrypted, Label, Ooxml, Protection, ids, ole_object, ole10_native};
use o365lint::model::FileResult;
use o365lint::model::Format;
use o365lint::verdict::rules::Rules;
use o365lint::verdict::suppress::Baseline;

const FNR: &str = "15108695088";
/// Ten distinct valid fødselsnumre.
const MANY: [&str; 10] = [
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

fn verdict(name: &str, bytes: Vec<u8>) -> FileResult {
    verdict_with(name, bytes, &Engine::built_in())
}

fn verdict_with(name: &str, bytes: Vec<u8>, opts: &Engine) -> FileResult {
    // As a scan of the file alone would give it: masked, the path as given (the name).
    opts.check_bytes(name, &bytes)
}

/// What the user sees of a report, in text and JSON, as snapshot `rules__<rule>.snap`.
fn snapshot(rule: &str, r: &FileResult) {
    let mut text = Vec::new();
    o365lint::report::text::file(r, &mut text).unwrap();
    let json = serde_json::to_string_pretty(r).unwrap();
    insta::assert_snapshot!(
        rule.to_string(),
        format!("{}\n{json}", String::from_utf8(text).unwrap())
    );
}

fn rules(r: &FileResult) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

/// `rule` fires on the first document and not on the second.
fn check(rule: &str, fires: (&str, Vec<u8>), quiet: (&str, Vec<u8>)) {
    check_with(rule, &Engine::built_in(), fires, quiet);
}

/// `rule` fires on the first document and not on the second, with these options. What the
/// user sees of the first, in text and JSON, is a snapshot (`snapshots/rules__<rule>.snap`).
fn check_with(rule: &str, opts: &Engine, fires: (&str, Vec<u8>), quiet: (&str, Vec<u8>)) {
    let yes = verdict_with(fires.0, fires.1, opts);
    assert!(
        rules(&yes).contains(&rule),
        "{rule} should fire: {:?} {:?}",
        rules(&yes),
        yes.error
    );
    snapshot(rule, &yes);
    let no = verdict_with(quiet.0, quiet.1, opts);
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
    let ten: Vec<String> = MANY.iter().map(|n| format!("fnr {n}")).collect();
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
    assert_eq!(
        serde_json::to_value(&r.required_by).unwrap(),
        serde_json::json!(["PII-01:beskyttet"])
    );
    let f = r.findings.iter().find(|f| f.rule == "PII-01").unwrap();
    assert!(
        f.message.contains("krever minst Beskyttet, merket Intern"),
        "{}",
        f.message
    );
    assert!(!f.message.contains(FNR));
    let mut opts = Engine::built_in();
    opts.lang = o365lint::model::Lang::En;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.docx");
    std::fs::write(
        &path,
        docx(Some(ids::INTERN), &[&format!("Fødselsnummer: {FNR}")]).build(),
    )
    .unwrap();
    let r = opts.check_path(&path);
    let f = r.findings.iter().find(|f| f.rule == "PII-01").unwrap();
    assert!(
        f.message
            .contains("requires at least Beskyttet, labelled Intern"),
        "{}",
        f.message
    );
}

fn ten_fnr(extra: &str) -> Vec<String> {
    MANY.iter().map(|n| format!("fnr {n} {extra}")).collect()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// An engine with a configuration (TOML) and a destination.
fn options(config: &str, destination: Option<&str>) -> Engine {
    let config = Config::parse(config, "o365lint.toml", None).unwrap();
    let mut opts = Engine::built_in();
    opts.rules = Rules::configured(config, &opts.detectors.tag_names()).unwrap();
    opts.destination = destination.map(str::to_string);
    opts
}

fn marked(label: Label, marking: (Option<&str>, Option<&str>, Option<&str>)) -> Ooxml {
    Ooxml::new(Format::Docx)
        .text("Notat")
        .label_info(vec![label])
        .marking(marking.0, marking.1, marking.2)
}

#[test]
fn more_lbl_rules() {
    check(
        "LBL-04",
        (
            "a.docx",
            docx(Some(ids::INTERN), &["x"])
                .custom_label(&own(ids::BESKYTTET_KUN_OSLO))
                .build(),
        ),
        (
            "b.docx",
            docx(Some(ids::INTERN), &["x"])
                .custom_label(&own(ids::INTERN))
                .build(),
        ),
    );
    let method = |m: &str| {
        Ooxml::new(Format::Docx)
            .text("x")
            .label_info(vec![own(ids::BESKYTTET_KUN_OSLO).method(m)])
            .build()
    };
    check(
        "LBL-06",
        ("a.docx", method("Standard")),
        ("b.docx", method("Privileged")),
    );
    check(
        "LBL-08",
        (
            "a.docx",
            docx(Some(ids::INTERN), &["BEGRENSET jf. sikkerhetsloven § 5-3"]).build(),
        ),
        (
            "b.docx",
            docx(Some(ids::INTERN), &["Sikkerhet i bygget: begrenset adgang"]).build(),
        ),
    );
}

#[test]
fn downgrade_against_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.docx");
    let fnr = format!("Fødselsnummer: {FNR}");
    let run = |label: &str, text: &str, before: &str| {
        std::fs::write(&path, docx(Some(label), &[text]).build()).unwrap();
        let baseline = format!(
            r#"{{"schema": "o365lint/scan/v1", "files": [{{"path": {}, "label": {{"class": "{before}"}}, "findings": []}}]}}"#,
            serde_json::to_string(&display(&path)).unwrap()
        );
        // The folder as the scan root: the file's fingerprints do not depend on where the
        // temporary folder is.
        let root = toml::Value::String(dir.path().to_string_lossy().into_owned());
        let config = Config::parse(&format!("root = {root}"), "o365lint.toml", None).unwrap();
        let mut opts = Engine::configured(&config, Choices::default()).unwrap();
        opts.baseline = Some(Baseline::parse(&baseline, "old.json").unwrap());
        opts.check_path(&path)
    };
    let lbl09 = |r: &FileResult| {
        r.findings
            .iter()
            .find(|f| f.rule == "LBL-09")
            .map(|f| f.severity.id())
    };
    // Lowered below what the content requires: an error; lowered otherwise: a warning.
    let mut r = run(ids::INTERN, &fnr, "beskyttet");
    assert_eq!(lbl09(&r), Some("error"));
    r.path = o365lint::detect::Detectors::built_in().masked("a.docx");
    // A file on disk: when it was written changes from run to run.
    assert!(r.modified.take().is_some());
    snapshot("LBL-09", &r);
    assert_eq!(lbl09(&run(ids::APEN, "x", "intern")), Some("warning"));
    assert_eq!(lbl09(&run(ids::INTERN, "x", "intern")), None);
    assert_eq!(lbl09(&run(ids::BESKYTTET_KUN_OSLO, "x", "intern")), None);
    // A report with file fingerprints finds the file by its fingerprint, whatever path
    // the earlier scan showed (it started from another folder).
    let mut opts = Engine::built_in();
    let before = opts.check_path(&path);
    let baseline = format!(
        r#"{{"schema": "o365lint/scan/v1", "files": [{{"path": "x/a.docx", "fingerprint": "{}", "label": {{"class": "strengt-beskyttet"}}, "findings": []}}]}}"#,
        before.fingerprint
    );
    opts.baseline = Some(Baseline::parse(&baseline, "old.json").unwrap());
    assert_eq!(lbl09(&opts.check_path(&path)), Some("warning"));
    let other = baseline.replace(&before.fingerprint, "0123456789abcdef");
    opts.baseline = Some(Baseline::parse(&other, "old.json").unwrap());
    assert_eq!(lbl09(&opts.check_path(&path)), None);
}

#[test]
fn more_pii_rules() {
    let sick = ten_fnr("diagnose F90.0");
    check(
        "PII-04",
        (
            "a.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &strs(&sick)).build(),
        ),
        (
            "b.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &strs(&sick)[..9]).build(),
        ),
    );
    let secret = "Unntatt offentlighet, jf. offl. § 13 og fvl. § 13 første ledd nr. 1";
    check(
        "PII-06",
        ("a.docx", docx(Some(ids::INTERN), &[secret]).build()),
        (
            "b.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &[secret]).build(),
        ),
    );
    check(
        "PII-07",
        (
            "a.docx",
            docx(Some(ids::APEN), &["Unntatt offentlighet, offl. § 14"]).build(),
        ),
        ("b.docx", docx(Some(ids::APEN), &[secret]).build()),
    );
    let contacts: Vec<String> = (1..=10)
        .map(|i| format!("Deltaker {i}: deltaker{i}@gmail.com"))
        .collect();
    check(
        "PII-08",
        ("a.docx", docx(Some(ids::APEN), &strs(&contacts)).build()),
        (
            "b.docx",
            docx(Some(ids::APEN), &strs(&contacts)[..3]).build(),
        ),
    );
    let fnr = format!("Fødselsnummer: {FNR}");
    check(
        "ENC-05",
        ("a.docx", docx(Some(ids::INTERN), &[&fnr]).build()),
        (
            "b.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &[&fnr]).build(),
        ),
    );
}

#[test]
fn mrk_rules() {
    let intern = || own(ids::INTERN).content_bits(Some(2));
    check(
        "MRK-01",
        ("a.docx", marked(intern(), (None, None, None)).build()),
        (
            "b.docx",
            marked(intern(), (None, Some("Intern"), None)).build(),
        ),
    );
    // Applied outside Office (method Standard): Office did not write the marking, so info.
    let r = verdict(
        "a.docx",
        marked(intern().method("Standard"), (None, None, None)).build(),
    );
    let f = r.findings.iter().find(|f| f.rule == "MRK-01").unwrap();
    assert_eq!(f.severity.id(), "info");
    check(
        "MRK-02",
        (
            "a.docx",
            marked(intern(), (Some("Strengt beskyttet"), Some("Intern"), None)).build(),
        ),
        (
            "b.docx",
            marked(intern(), (None, Some("Intern"), None)).build(),
        ),
    );
    let kun_oslo = || own(ids::BESKYTTET_KUN_OSLO).content_bits(Some(3));
    check(
        "MRK-03",
        (
            "a.docx",
            marked(kun_oslo(), (Some("Intern"), Some("Intern"), None)).build(),
        ),
        (
            "b.docx",
            marked(kun_oslo(), (Some("Beskyttet"), Some("Beskyttet"), None)).build(),
        ),
    );
    // The parent label has no marking of its own; the class still demands header and footer.
    let parent = || own(ids::BESKYTTET);
    check(
        "MRK-04",
        (
            "a.docx",
            marked(parent(), (None, Some("Beskyttet"), None)).build(),
        ),
        (
            "b.docx",
            marked(parent(), (Some("Beskyttet"), Some("Beskyttet"), None)).build(),
        ),
    );
    let sheet = |footer: &str| {
        Ooxml::new(Format::Xlsx)
            .text("Budsjett")
            .label_info(vec![intern()])
            .marking(None, Some(footer), None)
            .build()
    };
    let long = format!("Intern – {}", "kun til bruk i Oslo kommune. ".repeat(10));
    check(
        "MRK-05",
        ("a.xlsx", sheet(&long)),
        ("b.xlsx", sheet("Intern")),
    );
    check(
        "MRK-06",
        (
            "a.docx",
            marked(intern(), (Some("KONFIDENSIELT"), Some("Intern"), None)).build(),
        ),
        (
            "b.docx",
            marked(intern(), (None, Some("Intern"), None)).build(),
        ),
    );
    let core = "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>Kari Nordmann</dc:creator></cp:coreProperties>";
    check(
        "META-04",
        (
            "a.docx",
            marked(intern(), (None, Some("Intern – Kari Nordmann"), None))
                .xml_part("docProps/core.xml", None, core)
                .build(),
        ),
        (
            "b.docx",
            marked(intern(), (None, Some("Intern"), None))
                .xml_part("docProps/core.xml", None, core)
                .build(),
        ),
    );
}

#[test]
fn dst_rules() {
    let external = options(
        "",
        Some("https://oslo.sharepoint.com/sites/prosjekt/Delt med eksterne"),
    );
    check_with(
        "DST-01",
        &external,
        (
            "a.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &["x"]).build(),
        ),
        ("b.docx", docx(Some(ids::INTERN), &["x"]).build()),
    );
    // Content that requires more than the destination allows counts as much as the label.
    let r = verdict_with(
        "c.docx",
        docx(Some(ids::INTERN), &[&format!("Fødselsnummer: {FNR}")]).build(),
        &external,
    );
    assert!(rules(&r).contains(&"DST-01"), "{:?}", rules(&r));
    check_with(
        "DST-02",
        &external,
        ("a.docx", docx(None, &["x"]).build()),
        ("b.docx", docx(Some(ids::INTERN), &["x"]).build()),
    );
    let strict =
        "[policy]\nstrict_allowlist = [\"https://oslo.sharepoint.com/sites/strengt-*/**\"]\n";
    let strengt = || docx(Some(ids::STRENGT_BESKYTTET), &["x"]).build();
    check_with(
        "DST-03",
        &options(
            strict,
            Some("https://oslo.sharepoint.com/sites/prosjekt/Dokumenter"),
        ),
        ("a.docx", strengt()),
        (
            "b.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &["x"]).build(),
        ),
    );
    let r = verdict_with(
        "a.docx",
        strengt(),
        &options(
            strict,
            Some("https://oslo.sharepoint.com/sites/strengt-barnevern/Dokumenter"),
        ),
    );
    assert!(!rules(&r).contains(&"DST-03"), "{:?}", rules(&r));
    let onedrive = options(
        "[[destination]]\npattern = \"**/OneDrive - Oslo kommune/**\"\nkind = \"personal-onedrive\"\n",
        Some("C:\\Users\\kari\\OneDrive - Oslo kommune\\Dokumenter"),
    );
    let ten = ten_fnr("");
    check_with(
        "DST-04",
        &onedrive,
        (
            "a.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &strs(&ten)).build(),
        ),
        (
            "b.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &strs(&ten)[..2]).build(),
        ),
    );
    check_with(
        "DST-05",
        &options("", Some("/home/kari/Dropbox/jobb")),
        ("a.docx", docx(Some(ids::INTERN), &["x"]).build()),
        ("b.docx", docx(Some(ids::APEN), &["x"]).build()),
    );
    check_with(
        "DST-06",
        &options(
            "[[destination]]\npattern = \"**/Utgående vedlegg/**\"\nkind = \"email-staging\"\n",
            Some("/srv/Utgående vedlegg"),
        ),
        (
            "a.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &["x"]).build(),
        ),
        ("b.docx", docx(Some(ids::INTERN), &["x"]).build()),
    );
    check_with(
        "DST-07",
        &options("", Some("/srv/eInnsyn/2026")),
        (
            "a.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &["x"]).build(),
        ),
        ("b.docx", docx(Some(ids::APEN), &["x"]).build()),
    );
    // Without a destination, a file's own folder counts when a destination is configured there.
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("Delt med eksterne");
    std::fs::create_dir(&shared).unwrap();
    let path = shared.join("a.docx");
    std::fs::write(&path, docx(Some(ids::BESKYTTET_KUN_OSLO), &["x"]).build()).unwrap();
    let r = Engine::built_in().check_path(&path);
    assert!(rules(&r).contains(&"DST-01"), "{:?}", rules(&r));
}

#[test]
fn every_rule_has_a_test() {
    let source = include_str!("rules.rs");
    for rule in &Rules::built_in().rules {
        assert!(
            source.matches(&format!("\"{}\"", rule.id)).count() >= 1,
            "{} has no fires/quiet test",
            rule.id
        );
    }
}

#[test]
fn a_file_over_the_time_limit_is_not_fully_read() {
    let mut opts = Engine::built_in();
    opts.limits.max_seconds = 0;
    let r = verdict_with("a.docx", docx(Some(ids::INTERN), &["x"]).build(), &opts);
    let e = r.error.as_deref().unwrap_or_default();
    assert!(e.contains("per-file time limit"), "{e}");
    assert_eq!(r.error_kind.map(|k| k.id()), Some("limit"));
    // Its marking is not judged: the text that holds it may not have been read.
    assert!(!rules(&r).contains(&"MRK-01"), "{:?}", rules(&r));
}

#[test]
fn marking_properties_count_as_marking() {
    let prop = |text: &str| {
        marked(
            own(ids::INTERN).content_bits(Some(2)),
            (None, Some("Intern"), None),
        )
        .custom_property("ClassificationContentMarkingFooterText", text)
        .build()
    };
    let r = verdict("a.docx", prop("Strengt beskyttet"));
    assert!(rules(&r).contains(&"MRK-02"), "{:?}", rules(&r));
    let r = verdict("a.docx", prop("Intern"));
    assert!(
        !rules(&r).contains(&"MRK-02") && !rules(&r).contains(&"MRK-03"),
        "{:?}",
        rules(&r)
    );
    let r = verdict("a.docx", prop("Åpen"));
    assert!(rules(&r).contains(&"MRK-03"), "{:?}", rules(&r));
}

#[test]
fn unlabelled_to_a_destination_without_a_class_limit_is_not_dst_02() {
    let r = verdict_with(
        "a.docx",
        docx(None, &["x"]).build(),
        &options("", Some("/srv/arkiv")),
    );
    assert!(!rules(&r).contains(&"DST-02"), "{:?}", rules(&r));
}

/// The scan passes over numbers no detector reads (`Sink::every_number`), but a hidden row
/// holding only such numbers is still hidden content.
#[test]
fn hidden_numbers_no_detector_reads_are_hidden_content() {
    let sheet = |row: &str| {
        Ooxml::new(Format::Xlsx)
            .label_info(vec![own(ids::APEN)])
            .xml_part(
                "xl/worksheets/sheet1.xml",
                None,
                format!("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{row}</sheetData></worksheet>"),
            )
            .build()
    };
    let opts = Engine::built_in();
    let hidden = verdict_with(
        "a.xlsx",
        sheet("<row r=\"1\" hidden=\"1\"><c r=\"A1\"><v>12.5</v></c></row>"),
        &opts,
    );
    assert!(rules(&hidden).contains(&"META-01"), "{:?}", rules(&hidden));
    let shown = verdict_with(
        "b.xlsx",
        sheet("<row r=\"1\"><c r=\"A1\"><v>12.5</v></c></row>"),
        &opts,
    );
    assert!(!rules(&shown).contains(&"META-01"), "{:?}", rules(&shown));
}

fn message<'a>(r: &'a FileResult, rule: &str) -> &'a str {
    r.findings
        .iter()
        .find(|f| f.rule == rule)
        .map(|f| f.message.as_str())
        .unwrap_or_else(|| panic!("no {rule}: {:?}", rules(r)))
}

/// Issue 19, defect 7: messages that read wrong or contradicted the rule.
#[test]
fn messages_read_right_and_one_fault_is_one_finding() {
    // An unlabelled file is "umerket", never "merket ingen merking".
    let fnr = docx(None, &[&format!("Fødselsnummer: {FNR}")]).build();
    let r = verdict("a.docx", fnr.clone());
    let m = message(&r, "PII-01");
    assert!(m.contains("umerket") && !m.contains("merket ingen"), "{m}");
    let en = Engine::configured(
        &Config::built_in(),
        Choices {
            lang: Some(o365lint::model::Lang::En),
            ..Choices::default()
        },
    )
    .unwrap();
    let m = message(&en.check_bytes("a.docx", &fnr), "PII-01").to_string();
    assert!(
        m.contains("not labelled") && !m.contains("labelled no label"),
        "{m}"
    );
    let m = message(&r, "LBL-01");
    assert!(!m.contains("(ingen merking)"), "{m}");
    // PII-02 says what it requires, and that Strengt beskyttet is a recommendation.
    let many = docx(Some(ids::INTERN), &strs(&ten_fnr(""))).build();
    let r = verdict("a.docx", many);
    let m = message(&r, "PII-02");
    assert!(m.contains("krever minst Beskyttet"), "{m}");
    // DST-02 is one plain sentence.
    let external = options(
        "",
        Some("https://oslo.sharepoint.com/sites/prosjekt/Delt med eksterne"),
    );
    let r = verdict_with("a.docx", docx(None, &["x"]).build(), &external);
    let m = message(&r, "DST-02");
    assert!(
        m.contains("ingen gyldig merking som kan leses") && !m.contains("lavere klasse enn"),
        "{m}"
    );
    // A label that says it encrypts on an unencrypted file: one finding (ENC-02), not ENC-02
    // and ENC-03 (or ENC-01) for the same missing encryption.
    for id in [ids::BESKYTTET_KUN_OSLO, ids::STRENGT_BESKYTTET] {
        let bytes = Ooxml::new(Format::Docx)
            .label_info(vec![own(id).content_bits(Some(8))])
            .build();
        let r = verdict("a.docx", bytes);
        let enc: Vec<&str> = rules(&r)
            .into_iter()
            .filter(|x| x.starts_with("ENC"))
            .collect();
        assert_eq!(enc, ["ENC-02"], "{id}");
    }
}

/// LBL-09 on content that requires no class says so, not "innholdet krever ."
#[test]
fn a_downgrade_of_content_that_requires_no_class_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.docx");
    std::fs::write(&path, docx(Some(ids::APEN), &["x"]).build()).unwrap();
    let mut opts = Engine::built_in();
    let before = opts.check_path(&path);
    let baseline = format!(
        r#"{{"schema": "o365lint/scan/v1", "files": [{{"path": "a.docx", "fingerprint": "{}", "label": {{"class": "intern"}}, "findings": []}}]}}"#,
        before.fingerprint
    );
    opts.baseline = Some(Baseline::parse(&baseline, "old.json").unwrap());
    let r = opts.check_path(&path);
    let m = message(&r, "LBL-09");
    assert!(
        m.contains("ingen bestemt klasse") && !m.contains("krever ."),
        "{m}"
    );
}

/// LBL-04 names the label that counts (LabelInfo.xml over the MSIP properties), not "the
/// highest"; MRK-05 is about a label's marking, so not on an unlabelled workbook.
#[test]
fn lbl_04_names_the_label_that_counts_and_mrk_05_needs_a_label() {
    let r = verdict(
        "a.docx",
        docx(Some(ids::INTERN), &["x"])
            .custom_label(&own(ids::BESKYTTET_KUN_OSLO))
            .build(),
    );
    let m = message(&r, "LBL-04");
    assert!(
        m.contains("Intern gjelder") && !m.contains("høyeste"),
        "{m}"
    );
    // ... and says why: LabelInfo.xml wins over the MSIP properties.
    assert!(
        m.contains("fordi den nyere merkingen (LabelInfo.xml) går foran"),
        "{m}"
    );
    let long = format!("Intern – {}", "kun til bruk i Oslo kommune. ".repeat(10));
    let unlabelled = Ooxml::new(Format::Xlsx)
        .text("Budsjett")
        .marking(None, Some(&long), None)
        .build();
    let r = verdict("a.xlsx", unlabelled);
    assert!(!rules(&r).contains(&"MRK-05"), "{:?}", rules(&r));
    assert!(rules(&r).contains(&"LBL-01"), "{:?}", rules(&r));
}

/// The people of threaded comments (`xl/persons/person.xml`, user ids often e-mail) are
/// metadata, not comments: HID-02 is about what comments and tracked changes say.
#[test]
fn a_list_of_comment_authors_is_not_a_comment() {
    let people = |email: &str| {
        Ooxml::new(Format::Xlsx)
            .label_info(vec![own(ids::INTERN)])
            .text("Budsjett")
            .xml_part(
                "xl/persons/person.xml",
                Some("application/vnd.ms-excel.person+xml"),
                format!("<personList xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\"><person displayName=\"Kari Nordmann\" id=\"{{1}}\" userId=\"{email}\" providerId=\"AD\"/></personList>"),
            )
            .build()
    };
    let r = verdict("a.xlsx", people("kari.nordmann@oslo.kommune.no"));
    assert!(!rules(&r).contains(&"HID-02"), "{:?}", rules(&r));
    // A fødselsnummer there is still found, as metadata.
    let r = verdict("a.xlsx", people(FNR));
    assert!(rules(&r).contains(&"META-03"), "{:?}", rules(&r));
}

/// LBL-02 tells a label the catalogue lacks from one it has without a class.
#[test]
fn lbl_02_says_whether_the_catalogue_lacks_the_label_or_its_class() {
    let lacking = verdict("a.docx", docx(Some(ids::UNKNOWN_LABEL), &["x"]).build());
    assert!(
        message(&lacking, "LBL-02").contains("finnes ikke i katalogen"),
        "{}",
        message(&lacking, "LBL-02")
    );
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels.toml");
    let built_in = include_str!("../rules/labels.toml");
    std::fs::write(
        &labels,
        format!(
            "{built_in}\n[[label]]\nid = \"{}\"\nname = \"Prosjekt\"\npriority = 9\n",
            ids::UNKNOWN_LABEL
        ),
    )
    .unwrap();
    let engine = Engine::configured(
        &Config::built_in(),
        Choices {
            labels: Some(labels),
            ..Choices::default()
        },
    )
    .unwrap();
    let r = engine.check_bytes("a.docx", &docx(Some(ids::UNKNOWN_LABEL), &["x"]).build());
    let m = message(&r, "LBL-02");
    assert!(
        m.contains("står i katalogen uten klasse") && !m.contains("finnes ikke"),
        "{m}"
    );
}

/// Marking texts imported from Purview hold variables (`${Item.Label}`, `${User.Name}`):
/// they stand for what Office writes, not for themselves (issue 19, defect 7).
#[test]
fn purview_marking_variables_are_variables() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels.toml");
    let built_in = include_str!("../rules/labels.toml");
    let templated = built_in.replace(
        "marking = { footer = \"Intern\" }",
        "marking = { footer = \"${Item.Label} - ${User.Name}\" }",
    );
    assert_ne!(templated, built_in);
    std::fs::write(&labels, templated).unwrap();
    let engine = Engine::configured(
        &Config::built_in(),
        Choices {
            labels: Some(labels),
            ..Choices::default()
        },
    )
    .unwrap();
    let intern = || own(ids::INTERN);
    let shown = marked(intern(), (None, Some("Intern - Kari Nordmann"), None)).build();
    let r = engine.check_bytes("a.docx", &shown);
    assert!(!rules(&r).contains(&"MRK-01"), "{:?}", rules(&r));
    let wrong = marked(intern(), (None, Some("Beskyttet - Kari Nordmann"), None)).build();
    let r = engine.check_bytes("b.docx", &wrong);
    assert!(rules(&r).contains(&"MRK-01"), "{:?}", rules(&r));
}

/// A password-encrypted legacy file whose properties show no label: the label is not
/// readable (the password hides it), as for encrypted OOXML — not "unlabelled" with LBL-01
/// beside ENC-04 (issue 19, defect 7).
#[test]
fn a_password_encrypted_legacy_file_has_no_readable_label() {
    use o365lint::fixture::{Legacy, LegacyFile};
    for kind in [Legacy::Xls, Legacy::Doc, Legacy::Ppt] {
        let bytes = LegacyFile::new(kind)
            .protection(Protection::Password)
            .build();
        let r = verdict("a.bin", bytes);
        let status = serde_json::to_value(r.label_status).unwrap();
        assert_eq!(status, "not-readable", "{kind:?}");
        assert!(rules(&r).contains(&"ENC-04"), "{kind:?} {:?}", rules(&r));
        assert!(!rules(&r).contains(&"LBL-01"), "{kind:?} {:?}", rules(&r));
    }
    // Unencrypted and unlabelled: LBL-01 as before.
    let r = verdict("a.xls", LegacyFile::new(Legacy::Xls).build());
    assert!(rules(&r).contains(&"LBL-01"), "{:?}", rules(&r));
}

/// Each finding points at the place that triggered it, the other places listed (issue 19,
/// defect 3): one fødselsnummer in the body, a comment, a custom property and the file name.
#[test]
fn a_finding_points_at_the_place_that_triggered_it() {
    let fnr = format!("fnr {FNR}");
    let core = format!(
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Vedtak {fnr}</dc:title></cp:coreProperties>"
    );
    let doc = with_comment(docx(Some(ids::INTERN), &[&fnr]), &fnr)
        .custom_property("Saksnummer", &fnr)
        .xml_part("docProps/core.xml", None, core)
        .build();
    let r = verdict(&format!("Vedtak {FNR}.docx"), doc);
    let at = |rule: &str| {
        let f = r
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("no {rule}: {:?}", rules(&r)));
        let l = f.location.clone().expect("a location");
        (l, f.also_at.len(), f.message.to_string())
    };
    let (l, _, m) = at("HID-02");
    assert_eq!(l.part.as_str(), "word/comments.xml", "{m}");
    assert!(m.contains("word/comments.xml"), "{m}");
    let (l, also, m) = at("META-03");
    let metadata = l.flags.names().any(|f| f == "metadata")
        || serde_json::to_value(l.kind).unwrap() == "file-name";
    assert!(
        metadata && l.part.as_str() != "word/document.xml",
        "{l:?} {m}"
    );
    assert!(
        also >= 2,
        "the title, the property and the file name: {also}"
    );
    let meta = r.findings.iter().find(|f| f.rule == "META-03").unwrap();
    let all: Vec<String> = std::iter::once(&l)
        .chain(&meta.also_at)
        .map(|l| format!("{}: {}", l.part.as_str(), l.place.as_str()))
        .collect();
    for place in ["title", "Saksnummer", "filnavn"] {
        assert!(all.iter().any(|p| p.contains(place)), "{place}: {all:?}");
    }
    // PII-01 is about the content anywhere: its best place, the body.
    let (l, also, _) = at("PII-01");
    assert_eq!(l.part.as_str(), "word/document.xml");
    assert!(also >= 3, "{also}");
}

/// HID-01 points at the hidden sheet's cell, not at the visible one.
#[test]
fn hidden_content_points_at_the_hidden_cell() {
    let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
    let sheet = |cell: &str| {
        format!(
            "<worksheet {ns}><sheetData><row r=\"1\"><c r=\"{cell}\" t=\"inlineStr\"><is><t>fnr {FNR}</t></is></c></row></sheetData></worksheet>"
        )
    };
    let book = Ooxml::new(Format::Xlsx)
        .label_info(vec![own(ids::INTERN)])
        .text("x")
        .xml_part(
            "xl/workbook.xml",
            None,
            format!("<workbook {ns}><sheets><sheet name=\"Synlig\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Skjult\" sheetId=\"2\" state=\"hidden\" r:id=\"rId9\"/></sheets></workbook>"),
        )
        .xml_part("xl/worksheets/sheet1.xml", None, sheet("A1"))
        .xml_part(
            "xl/worksheets/sheet2.xml",
            Some("spreadsheetml.worksheet+xml"),
            sheet("C4"),
        )
        .rel(
            "xl/workbook.xml",
            "rId9",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
            "worksheets/sheet2.xml",
        )
        .build();
    let r = verdict("a.xlsx", book);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "HID-01")
        .unwrap_or_else(|| panic!("no HID-01: {:?} {:?}", rules(&r), r.detections));
    let l = f.location.as_ref().unwrap();
    assert_eq!(l.place.as_str(), "Skjult!C4", "{:?}", f.message);
    assert!(f.message.contains("Skjult!C4"), "{}", f.message);
}

/// Messages speak to the person who fixes the file: no configuration keys, no names of
/// fields inside the file format, no "tenant" where the summaries say organisation (issue 19,
/// defect 7).
#[test]
fn messages_carry_no_configuration_or_format_jargon() {
    for rule in &Rules::built_in().rules {
        for (lang, text) in [("nb", &rule.message), ("en", &rule.message_en)] {
            for jargon in [
                "policy.",
                "o365lint.toml",
                "contentBits",
                "method ",
                "strict_allowlist",
            ] {
                assert!(!text.contains(jargon), "{} ({lang}): {text}", rule.id);
            }
            assert!(!text.contains("tenant"), "{} ({lang}): {text}", rule.id);
        }
    }
}

/// META-01 and META-02 are about what the text held, not about a detection: they point at
/// where the first comment and the first named property were.
#[test]
fn open_document_findings_point_at_the_comment_and_the_property() {
    let doc = with_comment(docx(Some(ids::APEN), &["Rundskriv"]), "Sjekk dette")
        .custom_property("Saksbehandler", "Kari")
        .build();
    let r = verdict("rundskriv.docx", doc);
    let at = |rule: &str| {
        let f = r
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("no {rule}: {:?}", rules(&r)));
        (f.location.clone().expect("a location"), f.message.clone())
    };
    let (l, m) = at("META-01");
    assert_eq!(l.part.as_str(), "word/comments.xml", "{m}");
    assert!(m.contains("word/comments.xml"), "{m}");
    // The first property the rule names that the file has, then the others.
    let (l, m) = at("META-02");
    assert!(l.flags.names().any(|f| f == "metadata"), "{l:?} {m}");
    assert!(m.contains(l.place.as_str()), "{m}");
    let meta = r.findings.iter().find(|f| f.rule == "META-02").unwrap();
    let all: Vec<&str> = std::iter::once(&l)
        .chain(&meta.also_at)
        .map(|l| l.place.as_str())
        .collect();
    assert!(all.iter().any(|p| p.contains("Saksbehandler")), "{all:?}");
}
