//! No output holds a full identifier (DESIGN.md, Privacy): identifiers are planted in every
//! place a document can carry them — text, comment, header, properties, label metadata,
//! sheet name, embedded file name, the file name itself, a folder's name — and every output
//! format of every command is searched for them, on standard output and standard error.

use std::path::Path;

use std::process::Command;

mod support;

use o365lint::fixture::{Label, Ooxml, ids, ole_object, ole10_native};
use o365lint::model::Format;

const FNR: &str = "15108695088";
const DNR: &str = "53097248016";
const ACCOUNT: &str = "86011117947";
const IBAN: &str = "9386011117947";
const DUF: &str = "200205705502";
const EMAIL: &str = "kari.nordmann";
/// A local part with letters outside ASCII.
const EMAIL_NORDIC: &str = "kari.ødegård";
/// UDI's example DUF number, which fails the checksum.
const DUF_UNCHECKED: &str = "201258697561";
/// The digits of a passport number (its letters stay readable).
const PASSPORT: &str = "1234567";

fn write_documents(dir: &Path) {
    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let p = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    let embedded = Ooxml::new(Format::Docx)
        .text(&format!("innebygd {DNR}"))
        .build();
    let label = Label::new(ids::INTERN, ids::TENANT).name(&format!("Sak {FNR}"));
    let docx = Ooxml::new(Format::Docx)
        .label_info(vec![Label::new(ids::BESKYTTET, ids::TENANT)])
        .custom_label(&label)
        .custom_property(
            &format!("MSIP_Label_{}_Owner", ids::INTERN),
            &format!("{EMAIL}@example.no"),
        )
        .custom_property("Konto", &format!("NO{IBAN}"))
        .xml_part(
            "word/document.xml",
            None,
            format!(
                "<w:document {W}><w:body>{}{}{}{}<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl></w:body></w:document>",
                p("Fødselsnummer: 151086 95088"),
                p(&format!("DUF-nummer {DUF}")),
                p("Tlf. 412 34 567"),
                [
                    format!("Kontakt {EMAIL_NORDIC}@oslo.kommune.no"),
                    format!("DUF-nummer {DUF_UNCHECKED}"),
                    format!("Passnummer: AB{PASSPORT}"),
                    "Ring +4741234567, 004741234567 eller +47 412 34 567".into(),
                    "IBAN NO93-8601-1117-947".into(),
                ]
                .map(|t| p(&t))
                .concat(),
                p(&format!("{EMAIL}@example.no"))
            ),
        )
        .xml_part(
            "word/comments.xml",
            Some("wordprocessingml.comments+xml"),
            format!("<w:comments {W}><w:comment w:id=\"0\" w:author=\"A\">{}</w:comment></w:comments>", p(&format!("D-nummer {DNR}"))),
        )
        .xml_part(
            "word/header1.xml",
            Some("wordprocessingml.header+xml"),
            format!("<w:hdr {W}>{}</w:hdr>", p(&format!("Kontonummer {ACCOUNT}"))),
        )
        .part(
            "word/embeddings/oleObject1.bin",
            ole_object("\u{1}Ole10Native", &ole10_native(&format!("notat {DNR}.docx"), &embedded)),
        )
        .build();
    std::fs::write(dir.join(format!("vedtak {FNR}.docx")), docx).unwrap();
    let xlsx = Ooxml::new(Format::Xlsx)
        .text(&format!("fnr {FNR}"))
        .xml_part(
            "xl/workbook.xml",
            None,
            format!("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Ark {FNR}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        )
        .build();
    std::fs::write(dir.join("liste.xlsx"), xlsx).unwrap();
    // A file that cannot be read: its error names the path.
    std::fs::write(dir.join(format!("tom {FNR}.docx")), b"").unwrap();
    // Identifiers in a folder's name and a file's: paths show them masked, as findings.
    let folder = dir.join(format!("mappe {DNR}"));
    std::fs::create_dir(&folder).unwrap();
    let name = format!("konto {ACCOUNT} NO{IBAN} DUF {DUF} {EMAIL}@example.no.docx");
    std::fs::write(
        folder.join(name),
        Ooxml::new(Format::Docx).text("notat").build(),
    )
    .unwrap();
}

fn run(args: &[&str]) -> String {
    let out = support::o365lint(args);
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn no_output_holds_a_full_identifier() {
    let tmp = tempfile::tempdir().unwrap();
    write_documents(tmp.path());
    let dir = tmp.path().to_str().unwrap();
    let files: Vec<String> = walkdir::WalkDir::new(tmp.path())
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_string_lossy().into_owned())
        .collect();
    let mut outputs = vec![
        ("scan", run(&["scan", dir])),
        ("scan json", run(&["scan", "--format", "json", dir])),
    ];
    let mut text = vec!["text"];
    text.extend(files.iter().map(String::as_str));
    outputs.push(("text", run(&text)));
    let mut jsonl = vec!["text", "--format", "jsonl"];
    jsonl.extend(files.iter().map(String::as_str));
    outputs.push(("text jsonl", run(&jsonl)));

    // The outputs did see the planted data (masked): the test is not vacuous.
    assert!(outputs[0].1.contains("151086*****"), "{}", outputs[0].1);
    assert!(outputs[1].1.contains("\"d-nummer\""), "{}", outputs[1].1);
    for seen in ["\"passnummer\"", "k***@oslo.kommune.no", "NO*********7947"] {
        assert!(outputs[1].1.contains(seen), "{seen}: {}", outputs[1].1);
    }
    assert!(
        outputs[2].1.contains("D-nummer 530972*****"),
        "{}",
        outputs[2].1
    );
    // Paths: the identifiers a validator confirms masked, as the folder's finding is.
    for seen in [
        "mappe 530972*****/konto *******7947 NO*********7947 DUF ********5502 k***@example.no.docx",
        "META-03",
    ] {
        assert!(outputs[0].1.contains(seen), "{seen}: {}", outputs[0].1);
    }
    assert!(
        outputs[1].1.contains("\"where\": \"mappenavn\""),
        "{}",
        outputs[1].1
    );

    for (what, out) in &outputs {
        // Separators removed, so `151086 95088` or `8601.11.17947` would show too.
        let squashed: String = out
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
            .collect();
        for id in [
            FNR,
            DNR,
            ACCOUNT,
            IBAN,
            DUF,
            DUF_UNCHECKED,
            PASSPORT,
            "41234567",
        ] {
            assert!(!squashed.contains(id), "{what} shows {id}:\n{out}");
        }
        for email in [EMAIL, EMAIL_NORDIC] {
            assert!(
                !out.contains(email),
                "{what} shows the e-mail address {email}:\n{out}"
            );
        }
    }
}

/// The panic hook says where the code failed, never what the panic said: a parser's message
/// may quote the document. Run in a child process so the hook and standard error are its own.
#[test]
fn panics_do_not_print_their_message() {
    if std::env::var_os("O365LINT_PANIC_CHILD").is_some() {
        o365lint::engine::install_panic_hook();
        let caught = std::panic::catch_unwind(|| panic!("bad value fnr {FNR}"));
        assert!(caught.is_err());
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "panics_do_not_print_their_message",
            "--nocapture",
        ])
        .env("O365LINT_PANIC_CHILD", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("o365lint: internal error at "), "{stderr}");
    assert!(!stderr.contains(FNR), "{stderr}");
}
