//! Errors. A file that cannot be read is a result, not a crash: every variant names the
//! part and the reason, in lowercase, so the report can say exactly what went wrong.

use crate::model::{ErrorKind, Lang, Note};
use std::fmt;

/// Why one file could not be read (fully).
#[derive(Debug)]
pub enum Error {
    /// The file system refused: permission denied, vanished file, read error.
    Io(std::io::Error),
    /// The bytes are not an Office document we can open.
    NotOffice(String),
    /// The container (zip or OLE compound file) is damaged.
    Damaged(String),
    /// A part inside the container is unreadable or malformed.
    Part { part: String, error: PartError },
    /// A read cap was hit: the file may be a zip bomb, or is simply too large. Which cap,
    /// and what was met.
    Limit { limit: Limit, detail: String },
    /// A bug: the reader panicked (`while reading`, `while reporting`). The panic's message
    /// is not kept: it may quote the document.
    Internal(&'static str),
}

impl Error {
    /// A part that could not be read; a cap met inside it is a limit, not damage.
    pub fn part(part: impl Into<String>, error: impl Into<PartError>) -> Self {
        match error.into() {
            PartError::Limit(limit, detail) => Error::Limit {
                limit,
                detail: format!("{}: {detail}", part.into()),
            },
            error => Error::Part {
                part: part.into(),
                error,
            },
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io(_) => ErrorKind::Io,
            Error::NotOffice(_) => ErrorKind::NotOffice,
            Error::Damaged(_) | Error::Part { .. } => ErrorKind::Damaged,
            Error::Limit { .. } => ErrorKind::Limit,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }
}

impl Error {
    /// The technical detail after the headline: a part name, an I/O error, a parser's
    /// message. The same in every language: it is what one searches for.
    pub fn detail(&self) -> String {
        match self {
            Error::Io(e) => e.to_string(),
            Error::NotOffice(why) | Error::Damaged(why) => why.clone(),
            Error::Part { part, error } => format!("{part}: {error}"),
            Error::Limit { detail, .. } => detail.clone(),
            Error::Internal(when) => (*when).to_string(),
        }
    }

    /// The error in `lang`: a headline, then the detail.
    pub fn text(&self, lang: Lang) -> String {
        let headline = match (self, lang) {
            (Error::Part { .. }, Lang::Nb) => "skadet del",
            (Error::Part { .. }, Lang::En) => "damaged part",
            _ => self.kind().headline(lang),
        };
        format!("{headline}: {}", self.detail())
    }

    /// The error as a second reason a file was not fully read.
    pub fn note(&self) -> Note {
        Note::AlsoNotFullyRead {
            kind: self.kind(),
            detail: self.detail(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// The read caps (`[limits]` in the configuration, `container::Limits`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// Entries in a zip's central directory (`max_entries`).
    Entries,
    /// Inflated bytes of a part or of a whole file (`max_part_bytes`, `max_total_bytes`).
    Inflated,
    /// A part's compression ratio (`max_ratio`).
    Ratio,
    /// Bytes of an OLE stream (`max_part_bytes`, or the stream's own cap).
    Stream,
    /// Bytes of text from one file (`max_text_bytes`).
    Text,
    /// Seconds spent reading one file (`max_seconds`).
    Time,
    /// A fixed cap on one structure: an XML event, elements nested, a UTF-16 part, the
    /// text of one paragraph or cell (`read::xml::MAX_EVENT` and its neighbours).
    Structure,
    /// Documents embedded in one file: how deep (`max_depth`) or how many (`max_embedded`).
    Embedded,
    /// Bytes held at once for one file (`max_memory`), or by the whole scan
    /// (`scan_memory`).
    Memory,
    /// Distinct identifiers recorded for one file (`detect::MAX_VALUES`).
    Values,
}

impl Error {
    /// A cap was hit: which, and what was met.
    pub fn limit(limit: Limit, detail: String) -> Error {
        Error::Limit { limit, detail }
    }
}

/// Why a part or stream could not be parsed.
#[derive(Debug)]
pub enum PartError {
    /// Ill-formed XML: where, and what.
    Xml(super::xml::Error),
    /// A binary structure ends before what it declares.
    Truncated { at: usize, wanted: usize },
    /// A count or length no real file has.
    Implausible { count: u64, what: &'static str },
    /// The root element is not the one the part must have.
    Root {
        found: String,
        expected: &'static str,
    },
    /// Something the format requires is missing or wrong.
    Malformed(&'static str),
    /// The container says the part is damaged (a bad checksum, a broken stream), in its
    /// own words.
    Damaged(String),
    /// The part is encrypted inside the container (a zip entry with a password).
    Encrypted,
    /// Reading the part failed.
    Io(std::io::Error),
    /// A cap was met inside the part (see `Error::part`).
    Limit(Limit, String),
}

impl fmt::Display for PartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartError::Xml(e) => write!(f, "{e}"),
            PartError::Truncated { at, wanted } => {
                write!(f, "truncated at byte {at} (wanted {wanted} more)")
            }
            PartError::Implausible { count, what } => write!(f, "{count} {what} is implausible"),
            PartError::Root { found, expected } => {
                write!(f, "root element is <{found}>, expected <{expected}>")
            }
            PartError::Malformed(what) => f.write_str(what),
            PartError::Damaged(why) => f.write_str(why),
            PartError::Encrypted => f.write_str("zip entry is encrypted"),
            PartError::Io(e) => write!(f, "{e}"),
            PartError::Limit(_, detail) => f.write_str(detail),
        }
    }
}

impl std::error::Error for PartError {}

impl From<std::io::Error> for PartError {
    fn from(e: std::io::Error) -> Self {
        PartError::Io(e)
    }
}

impl From<super::xml::Error> for PartError {
    fn from(e: super::xml::Error) -> Self {
        if e.is_limit() {
            PartError::Limit(Limit::Structure, e.to_string())
        } else {
            PartError::Xml(e)
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}
