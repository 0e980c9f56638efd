//! Every label source and precedence case, end to end: documents built by the fixture
//! builder, read back through `document::read` and assessed against the demo catalogue.

use std::io::Cursor;

use o365lint::labels::catalogue::{Assessment, Catalogue};

use o365lint::fixture::{Encrypted, Label, Legacy, LegacyFile, Ooxml, Protection, ids::*};
use o365lint::model::ErrorKind;
use o365lint::model::Protection as Prot;
use o365lint::model::Source;
use o365lint::model::{Class, LabelStatus, Tenant};
use o365lint::model::{ContainerKind, Format};
use o365lint::read::container::Limits;
use o365lint::read::document::{self, Document};

fn read(bytes: Vec<u8>) -> Document {
    document::read(Cursor::new(bytes), None, &Limits::default()).expect("readable")
}

fn read_err(bytes: Vec<u8>) -> o365lint::read::error::Error {
    document::read(Cursor::new(bytes), None, &Limits::default()).expect_err("an error")
}

fn assess(doc: &Document) -> Assessment {
    let password =
        doc.protection == Prot::Password && doc.container == ContainerKind::EncryptedOoxml;
    Catalogue::built_in().assess(&doc.labels, password, o365lint::model::Lang::En)
}

fn own(id: &str) -> Label {
    Label::new(id, TENANT)
}

#[test]
fn format_comes_from_the_content_type_for_every_variant() {
    for f in [
        Format::Docx,
        Format::Docm,
        Format::Dotx,
        Format::Dotm,
        Format::Xlsx,
        Format::Xlsm,
        Format::Xltx,
        Format::Xltm,
        Format::Pptx,
        Format::Pptm,
        Format::Potx,
        Format::Potm,
        Format::Ppsx,
        Format::Ppsm,
    ] {
        let doc = read(
            Ooxml::new(f)
                .text("x")
                .label_info(vec![own(INTERN)])
                .build(),
        );
        assert_eq!(doc.format, f);
        assert_eq!(doc.labels.len(), 1, "{f:?}");
        assert_eq!(doc.labels[0].source, Source::Labelinfo);
    }
}

#[test]
fn misleading_extension_is_noted_not_believed() {
    let bytes = Ooxml::new(Format::Xlsx).build();
    let doc = document::read(Cursor::new(bytes), Some("rapport.docx"), &Limits::default()).unwrap();
    assert_eq!(doc.format, Format::Xlsx);
    assert_eq!(
        doc.notes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["named .docx but the content is xlsx"]
    );
}

#[test]
fn labelinfo_with_every_attribute() {
    let doc = read(
        Ooxml::new(Format::Docx)
            .label_info(vec![own(BESKYTTET_KUN_OSLO).content_bits(Some(11))])
            .build(),
    );
    let l = &doc.labels[0];
    assert_eq!(l.id, BESKYTTET_KUN_OSLO);
    assert_eq!(l.site_id.as_deref(), Some(TENANT));
    assert_eq!(
        (l.enabled, l.removed, l.content_bits),
        (Some(true), Some(false), Some(11))
    );
    assert_eq!(l.method.as_deref(), Some("Privileged"));
    let a = assess(&doc);
    let eff = a.label.unwrap();
    assert_eq!(eff.class, Some(Class::Beskyttet));
    assert_eq!(eff.name.as_deref(), Some("Beskyttet \\ Kun Oslo kommune"));
    assert_eq!(eff.encrypt, Some(true));
}

#[test]
fn content_bits_absent_is_not_zero() {
    let doc = read(
        Ooxml::new(Format::Xlsx)
            .label_info(vec![own(INTERN).content_bits(None)])
            .build(),
    );
    assert_eq!(doc.labels[0].content_bits, None);
}

#[test]
fn either_labelinfo_content_type_is_accepted() {
    let doc = read(
        Ooxml::new(Format::Pptx)
            .label_info(vec![own(APEN)])
            .label_info_content_type("application/xml")
            .build(),
    );
    assert_eq!(assess(&doc).label.unwrap().class, Some(Class::Apen));
}

#[test]
fn labelinfo_without_relationship_is_read_with_a_note() {
    let doc = read(
        Ooxml::new(Format::Docx)
            .label_info(vec![own(APEN)])
            .label_info_unrelated()
            .build(),
    );
    assert_eq!(doc.labels.len(), 1);
    assert!(
        doc.notes[0]
            .to_string()
            .contains("not the target of a package relationship"),
        "{:?}",
        doc.notes
    );
}

#[test]
fn custom_properties_only() {
    let doc = read(
        Ooxml::new(Format::Docx)
            .custom_property("ContentTypeId", "0x0101")
            .custom_label(&own(INTERN).method("Standard").name("Intern"))
            .custom_property(
                "MSIP_Label_6ae54424-c431-46c6-8ac2-cb0fc8776528_GeneratedBy",
                "Saksbehandlingssystem",
            )
            .build(),
    );
    let l = &doc.labels[0];
    assert_eq!(l.source, Source::CustomProperties);
    assert_eq!((l.enabled, l.removed), (Some(true), None));
    assert_eq!(l.name.as_deref(), Some("Intern"));
    assert_eq!(l.set_date.as_deref(), Some("2026-11-02T09:14:27Z"));
    assert_eq!(l.extra["GeneratedBy"], "Saksbehandlingssystem");
    assert_eq!(assess(&doc).label.unwrap().class, Some(Class::Intern));
}

#[test]
fn both_formats_same_tenant_labelinfo_wins() {
    let doc = read(
        Ooxml::new(Format::Docx)
            .label_info(vec![own(STRENGT_BESKYTTET)])
            .custom_label(&own(APEN).method("Standard"))
            .build(),
    );
    assert_eq!(doc.labels.len(), 2);
    assert!(
        doc.labels
            .iter()
            .any(|l| l.source == Source::CustomProperties && l.superseded)
    );
    let a = assess(&doc);
    assert_eq!(a.label.unwrap().class, Some(Class::StrengtBeskyttet));
    assert!(a.notes.is_empty(), "one active own label: {:?}", a.notes);
}

#[test]
fn several_tenants_in_one_file_all_stay_in_force() {
    let doc = read(
        Ooxml::new(Format::Pptx)
            .label_info(vec![own(INTERN)])
            .custom_label(&Label::new(FOREIGN_LABEL, FOREIGN_TENANT).name("Amber"))
            .build(),
    );
    assert!(doc.labels.iter().all(|l| !l.superseded && l.is_active()));
    let a = assess(&doc);
    assert_eq!(a.label.unwrap().class, Some(Class::Intern));
    let tenants: Vec<Tenant> = a.labels.iter().map(|l| l.tenant).collect();
    assert_eq!(tenants, [Tenant::Own, Tenant::Foreign]);
}

#[test]
fn labelinfo_of_one_tenant_does_not_void_another_tenants_properties() {
    let doc = read(
        Ooxml::new(Format::Docx)
            .label_info(vec![Label::new(FOREIGN_LABEL, FOREIGN_TENANT)])
            .custom_label(&own(BESKYTTET_KUN_OSLO))
            .build(),
    );
    assert_eq!(assess(&doc).label.unwrap().class, Some(Class::Beskyttet));
}

#[test]
fn empty_label_list_leaves_custom_properties_in_force() {
    let doc = read(
        Ooxml::new(Format::Xlsx)
            .label_info(vec![])
            .custom_label(&own(INTERN))
            .build(),
    );
    assert_eq!(assess(&doc).label.unwrap().class, Some(Class::Intern));
    let doc = read(Ooxml::new(Format::Xlsx).label_info(vec![]).build());
    assert_eq!(assess(&doc).status, LabelStatus::Unlabelled);
}

#[test]
fn tombstone_means_removed_and_voids_the_old_properties() {
    let doc = read(
        Ooxml::new(Format::Docx)
            .label_info(vec![Label::removed(TENANT)])
            .custom_label(&own(INTERN))
            .build(),
    );
    let a = assess(&doc);
    assert_eq!(a.status, LabelStatus::Removed);
    assert!(a.label.is_none());
    assert!(doc.labels[1].superseded);
}

#[test]
fn disabled_label_is_not_in_force() {
    let doc = read(
        Ooxml::new(Format::Docx)
            .label_info(vec![own(INTERN).disabled()])
            .build(),
    );
    assert_eq!(assess(&doc).status, LabelStatus::Removed);
}

#[test]
fn unknown_guid_and_parent_label() {
    let doc = read(
        Ooxml::new(Format::Docx)
            .label_info(vec![own(UNKNOWN_LABEL)])
            .build(),
    );
    let l = assess(&doc).label.unwrap();
    assert_eq!(l.class, None);
    assert!(l.reason.unwrap().contains("not in the label catalogue"));
    let doc = read(
        Ooxml::new(Format::Docx)
            .label_info(vec![own(BESKYTTET)])
            .build(),
    );
    assert!(assess(&doc).label.unwrap().is_parent);
}

#[test]
fn foreign_only() {
    let doc = read(
        Ooxml::new(Format::Docx)
            .custom_label(&Label::new(FOREIGN_LABEL, FOREIGN_TENANT))
            .build(),
    );
    let a = assess(&doc);
    assert_eq!(a.status, LabelStatus::ForeignOnly);
    assert_eq!(a.labels[0].tenant, Tenant::Foreign);
}

#[test]
fn two_own_labels_in_one_location_are_noted() {
    let doc = read(
        Ooxml::new(Format::Docx)
            .label_info(vec![own(APEN), own(INTERN)])
            .build(),
    );
    let a = assess(&doc);
    assert!(
        a.notes
            .iter()
            .any(|n| n.to_string().contains("only one is allowed"))
    );
    assert_eq!(
        a.label.unwrap().class,
        Some(Class::Intern),
        "the higher class is taken"
    );
}

#[test]
fn broken_label_part_names_the_part() {
    let bytes = Ooxml::new(Format::Docx).label_info(vec![own(APEN)]).build();
    // Same package with a broken LabelInfo part: rebuild with a raw replacement.
    let broken = Ooxml::new(Format::Docx)
        .part(
            "docMetadata/LabelInfo.xml",
            "<clbl:labelList><clbl:label id=",
        )
        .build();
    let e = read_err(broken).to_string();
    assert!(
        e.starts_with("damaged part: docMetadata/LabelInfo.xml"),
        "{e}"
    );
    assert!(read(bytes).labels.len() == 1);
}

#[test]
fn password_encrypted_ooxml() {
    let doc = read(Encrypted::new(Protection::Password).build());
    assert_eq!(
        (doc.container, doc.protection, doc.format),
        (ContainerKind::EncryptedOoxml, Prot::Password, Format::Ooxml)
    );
    assert!(doc.labels.is_empty());
    assert_eq!(assess(&doc).status, LabelStatus::NotReadable);
}

#[test]
fn irm_with_labelinfo_stream() {
    let doc = read(
        Encrypted::new(Protection::Irm)
            .label_info(vec![own(STRENGT_BESKYTTET).content_bits(Some(8))])
            .build(),
    );
    assert_eq!(
        (doc.container, doc.protection),
        (ContainerKind::EncryptedOoxml, Prot::Irm)
    );
    assert_eq!(doc.labels[0].source, Source::LabelinfoStream);
    assert_eq!(doc.labels[0].content_bits, Some(8));
    assert_eq!(
        assess(&doc).label.unwrap().class,
        Some(Class::StrengtBeskyttet)
    );
}

#[test]
fn irm_with_summary_information_in_both_code_pages() {
    for cp in [1252, 1200, 65001] {
        let doc = read(
            Encrypted::new(Protection::Irm)
                .summary_label(&own(BESKYTTET_KUN_OSLO).name("Kun Oslo kommune"))
                .code_page(cp)
                .build(),
        );
        let l = &doc.labels[0];
        assert_eq!(l.source, Source::SummaryInformation, "code page {cp}");
        assert_eq!(l.name.as_deref(), Some("Kun Oslo kommune"));
        assert_eq!(l.site_id.as_deref(), Some(TENANT));
        assert_eq!(assess(&doc).label.unwrap().class, Some(Class::Beskyttet));
    }
}

#[test]
fn labelinfo_stream_wins_over_summary_information() {
    let doc = read(
        Encrypted::new(Protection::Irm)
            .label_info(vec![own(STRENGT_BESKYTTET)])
            .summary_label(&own(INTERN))
            .build(),
    );
    assert!(
        doc.labels
            .iter()
            .any(|l| l.source == Source::SummaryInformation && l.superseded)
    );
    assert_eq!(
        assess(&doc).label.unwrap().class,
        Some(Class::StrengtBeskyttet)
    );
}

#[test]
fn legacy_binaries_with_labels_and_protection() {
    for (kind, format) in [
        (Legacy::Doc, Format::Doc),
        (Legacy::Xls, Format::Xls),
        (Legacy::Ppt, Format::Ppt),
    ] {
        let doc = read(LegacyFile::new(kind).summary_label(&own(INTERN)).build());
        assert_eq!(
            (doc.format, doc.container, doc.protection),
            (format, ContainerKind::Ole, Prot::None)
        );
        assert_eq!(assess(&doc).label.unwrap().class, Some(Class::Intern));

        let doc = read(
            LegacyFile::new(kind)
                .protection(Protection::Password)
                .build(),
        );
        assert_eq!(doc.protection, Prot::Password, "{kind:?}");

        let doc = read(
            LegacyFile::new(kind)
                .protection(Protection::Irm)
                .summary_label(&own(BESKYTTET_KUN_OSLO))
                .build(),
        );
        assert_eq!(doc.protection, Prot::Irm, "{kind:?}");
        assert_eq!(assess(&doc).label.unwrap().class, Some(Class::Beskyttet));
    }
}

#[test]
fn legacy_irm_with_a_labelinfo_stream() {
    let doc = read(
        LegacyFile::new(Legacy::Doc)
            .protection(Protection::Irm)
            .label_info(vec![own(STRENGT_BESKYTTET)])
            .build(),
    );
    assert_eq!(doc.labels[0].source, Source::LabelinfoStream);
}

#[test]
fn not_office_files_say_why() {
    let e = read_err(b"%PDF-1.7\n".to_vec());
    assert_eq!(e.kind(), ErrorKind::NotOffice);
    assert!(
        e.to_string().contains("unknown file signature 25 50 44 46"),
        "{e}"
    );
    assert!(
        read_err(Vec::new())
            .to_string()
            .contains("the file is empty")
    );
    let odt = o365lint::fixture::zip(&[(
        "mimetype".into(),
        b"application/vnd.oasis.opendocument.text".to_vec(),
    )]);
    assert!(read_err(odt).to_string().contains("OpenDocument"));
    let other_ole = {
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/__substg1.0_0037001F").unwrap();
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    };
    let e = read_err(other_ole);
    assert_eq!(e.kind(), ErrorKind::NotOffice);
    assert!(
        e.to_string()
            .contains("without Word, Excel or PowerPoint content"),
        "{e}"
    );
}

#[test]
fn truncated_and_corrupt_files_are_damaged() {
    let bytes = Ooxml::new(Format::Docx).label_info(vec![own(APEN)]).build();
    let e = read_err(bytes[..bytes.len() / 2].to_vec());
    assert_eq!(e.kind(), ErrorKind::Damaged, "{e}");
    let ole = Encrypted::new(Protection::Irm).build();
    let e = read_err(ole[..600].to_vec());
    assert_eq!(e.kind(), ErrorKind::Damaged, "{e}");
}

#[test]
fn zip_bomb_is_a_limit_result() {
    let bomb = Ooxml::new(Format::Docx)
        .part("word/bomb.xml", vec![b' '; 8 << 20])
        .build();
    let limits = Limits {
        max_ratio: 100,
        ..Limits::default()
    };
    let doc = document::read(Cursor::new(bomb), None, &limits).unwrap();
    let damage = doc.damage.expect("the bomb part is caught when verified");
    assert_eq!(damage.kind(), ErrorKind::Limit);
    assert!(damage.to_string().contains("word/bomb.xml"), "{damage}");
}
