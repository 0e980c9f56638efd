//! Errors. A file that cannot be read is a result, not a crash: every variant names the
//! part and the reason, in lowercase, so the report can say exactly what went wrong.

use crate::model::ErrorKind;
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
    Part { part: String, reason: String },
    /// A read cap was hit: the file may be a zip bomb, or is simply too large.
    Limit(String),
    /// A bug: the reader panicked (`while reading`, `while reporting`). The panic's message
    /// is not kept: it may quote the document.
    Internal(&'static str),
}

impl Error {
    pub fn part(part: impl Into<String>, reason: impl fmt::Display) -> Self {
        Error::Part {
            part: part.into(),
            reason: reason.to_string(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io(_) => ErrorKind::Io,
            Error::NotOffice(_) => ErrorKind::NotOffice,
            Error::Damaged(_) | Error::Part { .. } => ErrorKind::Damaged,
            Error::Limit(_) => ErrorKind::Limit,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "cannot read file: {e}"),
            Error::NotOffice(why) => write!(f, "not an Office document: {why}"),
            Error::Damaged(why) => write!(f, "damaged file: {why}"),
            Error::Part { part, reason } => write!(f, "{part}: {reason}"),
            Error::Limit(why) => write!(f, "read limit exceeded: {why}"),
            Error::Internal(when) => write!(f, "internal error {when} (a bug; please report it)"),
        }
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

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}
