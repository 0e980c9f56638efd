//! Office Open XML packages: which document this is (from `[Content_Types].xml` and the main
//! relationship, never from the file name) and which labels it carries.

pub mod drawingml;
pub mod opc;
pub mod props;
pub mod spreadsheetml;
pub mod text;
pub mod wordml;

use std::io::{Read, Seek};

use crate::model::{Format, Note};
use crate::model::{FoundLabel, Source};
use crate::read::container::zip::Package;
use crate::read::error::Error;
use crate::read::label;
use crate::read::xml;

pub const REL_LABELS: &str =
    "http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels";
pub const LABELINFO_PART: &str = "docMetadata/LabelInfo.xml";
pub const CUSTOM_PART: &str = "docProps/custom.xml";

/// What the package-level reading found.
pub struct PackageInfo {
    pub format: Format,
    /// The main document part (normalised name).
    pub main: String,
    pub types: opc::ContentTypes,
    pub labels: Vec<FoundLabel>,
    pub notes: Vec<Note>,
    /// The package's relationships (`_rels/.rels`) and its custom properties part with
    /// what it holds, as read here: text extraction does not read them again.
    pub rels: Vec<opc::Relationship>,
    pub custom: Option<(String, Vec<(String, String)>)>,
}

fn read_text<R: Read + Seek>(pkg: &mut Package<R>, part: &str) -> Result<Option<String>, Error> {
    Ok(pkg.read(part)?.map(xml::decode))
}

pub fn read<R: Read + Seek>(pkg: &mut Package<R>) -> Result<PackageInfo, Error> {
    let mut notes = Vec::new();
    let Some(types) = read_text(pkg, "[Content_Types].xml")? else {
        return Err(not_ooxml(pkg));
    };
    let types =
        opc::ContentTypes::parse(&types).map_err(|e| Error::part("[Content_Types].xml", e))?;
    let rels = match read_text(pkg, "_rels/.rels")? {
        Some(t) => opc::relationships(&t, "").map_err(|e| Error::part("_rels/.rels", e))?,
        None => {
            notes.push(Note::NoPackageRelationships);
            Vec::new()
        }
    };
    let rel = |suffixes: &[&str]| {
        rels.iter()
            .filter(|r| !r.external)
            .find(|r| suffixes.iter().any(|s| r.kind.ends_with(s)))
            .map(|r| r.target.clone())
    };

    let (format, main) = main_format(pkg, &types, rel(&["/officeDocument"]), &mut notes)?;

    let mut labels = Vec::new();
    let label_part = rel(&[REL_LABELS]).or_else(|| {
        pkg.contains(LABELINFO_PART).then(|| {
            notes.push(Note::LabelInfoUnrelated(LABELINFO_PART.into()));
            LABELINFO_PART.to_lowercase()
        })
    });
    if let Some(part) = label_part {
        match read_text(pkg, &part)? {
            Some(text) => {
                labels = label::parse_label_info(&text, Source::Labelinfo)
                    .map_err(|e| Error::part(pkg.stored_name(&part), e))?
            }
            None => notes.push(Note::LabelPartMissing(part.to_string())),
        }
    }
    let custom_part = rel(&["/custom-properties", "/customProperties"])
        .unwrap_or_else(|| CUSTOM_PART.to_lowercase());
    let mut custom = None;
    if let Some(text) = read_text(pkg, &custom_part)? {
        let props =
            props::custom(&text).map_err(|e| Error::part(pkg.stored_name(&custom_part), e))?;
        labels.extend(label::from_properties(
            props.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            Source::CustomProperties,
        ));
        custom = Some((custom_part, props));
    }
    label::resolve(&mut labels);
    Ok(PackageInfo {
        format,
        main,
        types,
        labels,
        notes,
        rels,
        custom,
    })
}

/// The document type and main part from the main part's content type; falls back to the
/// main part's folder.
fn main_format<R: Read + Seek>(
    pkg: &Package<R>,
    types: &opc::ContentTypes,
    main: Option<String>,
    notes: &mut Vec<Note>,
) -> Result<(Format, String), Error> {
    if let Some(main) = &main
        && let Some(f) = types.of(main).and_then(Format::from_content_type)
    {
        return Ok((f, main.clone()));
    }
    // No (usable) main relationship: a part whose content type is a main document type.
    if let Some((f, part)) = types
        .overrides()
        .filter_map(|(part, ct)| Some((Format::from_content_type(ct)?, part.to_string())))
        .min()
    {
        notes.push(Note::MainByContentTypes);
        return Ok((f, part));
    }
    let guess = main
        .as_deref()
        .and_then(|m| Some((Format::from_main_part(m)?, m.to_string())))
        .or_else(|| {
            [
                "word/document.xml",
                "xl/workbook.xml",
                "ppt/presentation.xml",
            ]
            .into_iter()
            .find(|p| pkg.contains(p))
            .and_then(|m| Some((Format::from_main_part(m)?, m.to_string())))
        });
    match guess {
        Some((f, part)) => {
            notes.push(Note::MainByFolder(f));
            Ok((f, part))
        }
        None => Err(Error::NotOffice(
            match main.as_deref().and_then(|m| Some((m, types.of(m)?))) {
                Some((part, ct)) => format!(
                    "zip package whose main part {} is {ct}, not a Word, Excel or PowerPoint document",
                    pkg.stored_name(part)
                ),
                None => "zip package without a Word, Excel or PowerPoint main document".into(),
            },
        )),
    }
}

fn not_ooxml<R: Read + Seek>(pkg: &mut Package<R>) -> Error {
    if let Ok(Some(mime)) = pkg.read("mimetype") {
        let mime = String::from_utf8_lossy(&mime[..mime.len().min(100)])
            .trim()
            .to_string();
        return Error::NotOffice(format!(
            "OpenDocument or other zip format ({mime}), not Office Open XML"
        ));
    }
    if pkg.names().next().is_none() {
        return Error::NotOffice("empty zip archive".into());
    }
    Error::NotOffice("zip archive without [Content_Types].xml".into())
}
