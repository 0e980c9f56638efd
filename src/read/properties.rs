//! Document properties of OLE files (legacy .doc/.xls/.ppt, and the wrapper of an encrypted
//! package) as text: the SummaryInformation's title, author and last author, the
//! DocumentSummaryInformation's company, manager and category, and its user-defined
//! properties other than labels. Named as their OOXML twins (`creator`, `lastModifiedBy`,
//! `Company`), so the rules on metadata and the last author hold for legacy files too.

use crate::read::container::propset::{self, FMTID_DOC_SUMMARY, FMTID_SUMMARY};
use crate::read::error::PartError;
use crate::read::text::{Emitter, Piece};

/// The SummaryInformation stream, as the label sources name streams.
pub const SUMMARY: &str = "\\x05SummaryInformation";
/// The DocumentSummaryInformation stream.
pub const DOC_SUMMARY: &str = "\\x05DocumentSummaryInformation";

/// SummaryInformation property ids ([MS-OLEPS] 2.25.1) and their OOXML names.
const SUMMARY_NAMES: &[(u32, &str)] = &[
    (2, "title"),
    (3, "subject"),
    (4, "creator"),
    (5, "keywords"),
    (6, "description"),
    (7, "Template"),
    (8, "lastModifiedBy"),
];
/// DocumentSummaryInformation property ids ([MS-OLEPS] 2.25.2) and their OOXML names.
const DOC_SUMMARY_NAMES: &[(u32, &str)] = &[(2, "category"), (0x0E, "Manager"), (0x0F, "Company")];

/// Emits the text properties of a SummaryInformation stream.
pub fn summary(data: &[u8], out: &mut Emitter) -> Result<(), PartError> {
    for (pid, value) in propset::by_id(data, &FMTID_SUMMARY)? {
        if let Some((_, name)) = SUMMARY_NAMES.iter().find(|(id, _)| *id == pid) {
            emit(out, name, value, false);
        }
    }
    Ok(())
}

/// Emits the text properties of a DocumentSummaryInformation stream and its user-defined
/// properties (labels are reported as labels, not as text).
/// `user_defined` is what [`propset::user_defined`] read from it.
pub fn doc_summary(
    data: &[u8],
    user_defined: &[(String, String)],
    out: &mut Emitter,
) -> Result<(), PartError> {
    for (name, value) in user_defined {
        if !name.starts_with("MSIP_Label_") {
            emit(out, name, value.clone(), true);
        }
    }
    for (pid, value) in propset::by_id(data, &FMTID_DOC_SUMMARY)? {
        if let Some((_, name)) = DOC_SUMMARY_NAMES.iter().find(|(id, _)| *id == pid) {
            emit(out, name, value, false);
        }
    }
    Ok(())
}

fn emit(out: &mut Emitter, name: &str, value: String, custom: bool) {
    if !value.trim().is_empty() {
        out.push(Piece::property(value, name, custom));
    }
}
