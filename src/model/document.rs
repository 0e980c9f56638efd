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
    /// Rich Text Format (often saved as .doc): text read, no label possible.
    Rtf,
    /// An HTML page (often saved as .xls or .doc by export tools): text read, no label.
    Html,
    /// Comma-, semicolon- or tab-separated values: cells read, no label.
    Csv,
    /// Plain text: lines read, no label.
    Text,
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
            Format::Rtf => "rtf",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Text => "text",
        }
    }

    /// Whether a file of this format can carry a sensitivity label. Text-bearing formats
    /// that are not Office's (RTF, HTML, CSV, plain text) cannot: Purview labels live in an
    /// Office package's parts or properties.
    pub fn carries_label(self) -> bool {
        !matches!(
            self,
            Format::Rtf | Format::Html | Format::Csv | Format::Text
        )
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
            Format::Html => ["htm", "html"].contains(&ext.as_str()),
            Format::Csv => ["csv", "tsv"].contains(&ext.as_str()),
            Format::Text => ext == "txt",
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
/// Extensions of the text-bearing files that are not Office's (RTF, HTML, CSV, plain
/// text): a folder walk reads them only when an include glob names them.
pub const TEXT_EXTENSIONS: &[&str] = &["csv", "tsv", "txt", "rtf", "htm", "html"];

/// Whether `ext` is one of [`TEXT_EXTENSIONS`].
pub fn is_text_extension(ext: &str) -> bool {
    TEXT_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
}

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
    /// No container: a text file (RTF, HTML, CSV, plain text).
    Text,
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

/// How much of a file's content (its text: body, cells, comments, properties, embedded
/// documents) the check read. The labels are read either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Checked {
    /// All of it.
    Full,
    /// Some of it: a part was damaged, a limit was reached, or an embedded document was
    /// not read (see the reasons).
    Partly,
    /// None of it (see the reasons).
    None,
}

impl Checked {
    pub fn id(self) -> &'static str {
        match self {
            Checked::Full => "full",
            Checked::Partly => "partly",
            Checked::None => "none",
        }
    }
}

/// Why content was not (fully) checked, or a file or folder not read: what
/// `--allow-incomplete=REASON` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unchecked {
    /// The text of this format is not read yet: legacy .doc, .xls and binary .xlsb
    /// (labels are read). Goes away as readers for them are added.
    FormatNotRead,
    /// Password-encrypted: the content is inside the encryption.
    Password,
    /// Rights-management (IRM) encrypted: the content is inside the encryption.
    Irm,
    /// A read limit was reached (size, time, text, embedded documents, identifiers).
    Limit,
    /// A part is damaged or could not be read.
    Damaged,
    /// The file or folder could not be read at all (permissions, not a document, a bug).
    Unreadable,
}

impl Unchecked {
    pub const ALL: [Unchecked; 6] = [
        Unchecked::FormatNotRead,
        Unchecked::Password,
        Unchecked::Irm,
        Unchecked::Limit,
        Unchecked::Damaged,
        Unchecked::Unreadable,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Unchecked::FormatNotRead => "format-not-read",
            Unchecked::Password => "password",
            Unchecked::Irm => "irm",
            Unchecked::Limit => "limit",
            Unchecked::Damaged => "damaged",
            Unchecked::Unreadable => "unreadable",
        }
    }

    pub fn parse(id: &str) -> Option<Unchecked> {
        Unchecked::ALL.into_iter().find(|u| u.id() == id)
    }

    /// Why a file whose read failed with an error of `kind` was not (fully) read.
    pub fn of_error(kind: ErrorKind) -> Unchecked {
        match kind {
            ErrorKind::Limit => Unchecked::Limit,
            ErrorKind::Damaged => Unchecked::Damaged,
            ErrorKind::Io | ErrorKind::NotOffice | ErrorKind::Internal => Unchecked::Unreadable,
        }
    }
}

/// Why a file was passed over without being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipKind {
    /// An Office owner ("lock") file, `~$name.docx`.
    LockFile,
    /// A symbolic link met in a folder walk without `--follow`.
    SymbolicLink,
}

impl SkipKind {
    pub fn id(self) -> &'static str {
        match self {
            SkipKind::LockFile => "lock-file",
            SkipKind::SymbolicLink => "symbolic-link",
        }
    }
}
