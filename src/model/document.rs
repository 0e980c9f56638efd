//! What a file is: its format, the container it came in, how it is protected, and why it
//! could not be read.

use serde::{Deserialize, Serialize};

/// The document type. For an encrypted package the type is inside the encryption:
/// [`Format::Ooxml`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Docx,
    Docm,
    Dotx,
    Dotm,
    Xlsx,
    Xlsm,
    Xltx,
    Xltm,
    Xlsb,
    Xlam,
    Pptx,
    Pptm,
    Potx,
    Potm,
    Ppsx,
    Ppsm,
    Ppam,
    /// An encrypted OOXML package: which kind is not visible without decrypting.
    Ooxml,
    Doc,
    Xls,
    Ppt,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Docm => "docm",
            Format::Dotx => "dotx",
            Format::Dotm => "dotm",
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xltx => "xltx",
            Format::Xltm => "xltm",
            Format::Xlsb => "xlsb",
            Format::Xlam => "xlam",
            Format::Pptx => "pptx",
            Format::Pptm => "pptm",
            Format::Potx => "potx",
            Format::Potm => "potm",
            Format::Ppsx => "ppsx",
            Format::Ppsm => "ppsm",
            Format::Ppam => "ppam",
            Format::Ooxml => "ooxml",
            Format::Doc => "doc",
            Format::Xls => "xls",
            Format::Ppt => "ppt",
        }
    }

    /// From the content type of a package's main part.
    pub fn from_content_type(ct: &str) -> Option<Format> {
        let ct = ct.to_ascii_lowercase();
        let ct = ct.strip_prefix("application/vnd.")?;
        Some(match ct {
            "openxmlformats-officedocument.wordprocessingml.document.main+xml" => Format::Docx,
            "ms-word.document.macroenabled.main+xml" => Format::Docm,
            "openxmlformats-officedocument.wordprocessingml.template.main+xml" => Format::Dotx,
            "ms-word.template.macroenabledtemplate.main+xml" => Format::Dotm,
            "openxmlformats-officedocument.spreadsheetml.sheet.main+xml" => Format::Xlsx,
            "ms-excel.sheet.macroenabled.main+xml" => Format::Xlsm,
            "openxmlformats-officedocument.spreadsheetml.template.main+xml" => Format::Xltx,
            "ms-excel.template.macroenabled.main+xml" => Format::Xltm,
            "ms-excel.sheet.binary.macroenabled.main" => Format::Xlsb,
            "ms-excel.addin.macroenabled.main+xml" => Format::Xlam,
            "openxmlformats-officedocument.presentationml.presentation.main+xml" => Format::Pptx,
            "ms-powerpoint.presentation.macroenabled.main+xml" => Format::Pptm,
            "openxmlformats-officedocument.presentationml.template.main+xml" => Format::Potx,
            "ms-powerpoint.template.macroenabled.main+xml" => Format::Potm,
            "openxmlformats-officedocument.presentationml.slideshow.main+xml" => Format::Ppsx,
            "ms-powerpoint.slideshow.macroenabled.main+xml" => Format::Ppsm,
            "ms-powerpoint.addin.macroenabled.main+xml" => Format::Ppam,
            _ => return None,
        })
    }

    /// A guess from the main part's folder, for packages with unusual content types.
    pub fn from_main_part(part: &str) -> Option<Format> {
        let part = part.to_ascii_lowercase();
        let folder = part.split('/').next()?;
        Some(match folder {
            "word" => Format::Docx,
            "xl" => Format::Xlsx,
            "ppt" => Format::Pptx,
            _ => return None,
        })
    }

    /// Whether `ext` (a file extension) is one Office writes for documents of this kind.
    pub fn matches_extension(self, ext: &str) -> bool {
        let ext = ext.to_ascii_lowercase();
        match self {
            Format::Ooxml => OOXML_EXTENSIONS.contains(&ext.as_str()),
            Format::Doc => ["doc", "dot"].contains(&ext.as_str()),
            Format::Xls => ["xls", "xlt"].contains(&ext.as_str()),
            Format::Ppt => ["ppt", "pps", "pot"].contains(&ext.as_str()),
            f => f.name() == ext,
        }
    }
}

/// Extensions of Office Open XML documents.
pub const OOXML_EXTENSIONS: &[&str] = &[
    "docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xltx", "xltm", "xlsb", "xlam", "pptx", "pptm",
    "potx", "potm", "ppsx", "ppsm", "ppam",
];
/// Extensions of legacy binary Office documents.
pub const LEGACY_EXTENSIONS: &[&str] = &["doc", "dot", "xls", "xlt", "ppt", "pps", "pot"];

/// The container the document was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContainerKind {
    /// A zip package.
    Ooxml,
    /// An OLE compound file holding an encrypted OOXML package.
    EncryptedOoxml,
    /// An OLE compound file holding a legacy binary document.
    Ole,
}

pub fn is_office_extension(ext: &str) -> bool {
    let ext = ext.to_ascii_lowercase();
    OOXML_EXTENSIONS.contains(&ext.as_str()) || LEGACY_EXTENSIONS.contains(&ext.as_str())
}

/// How the content is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protection {
    /// Readable without a key.
    None,
    /// Password encryption (agile, standard or legacy RC4/XOR).
    Password,
    /// Rights management (IRM/RMS, e.g. a Purview label with encryption).
    Irm,
}

impl Protection {
    pub fn id(self) -> &'static str {
        match self {
            Protection::None => "none",
            Protection::Password => "password",
            Protection::Irm => "irm",
        }
    }
}

/// Coarse kind of a read error, for counting in the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    Io,
    NotOffice,
    Damaged,
    Limit,
    /// The reader failed (a bug), not the file.
    Internal,
}

impl ErrorKind {
    pub fn id(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::NotOffice => "not-office",
            ErrorKind::Damaged => "damaged",
            ErrorKind::Limit => "limit",
            ErrorKind::Internal => "internal",
        }
    }
}
