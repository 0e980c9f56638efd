//! Errors. A file that cannot be read is a result, not a crash: every variant names the
//! part and the reason, in lowercase, so the report can say exactly what went wrong.

use std::fmt;
use std::path::PathBuf;

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
}

/// Coarse kind of an [`Error`], for counting in the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    Io,
    NotOffice,
    Damaged,
    Limit,
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
        }
    }
}

impl ErrorKind {
    pub fn id(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::NotOffice => "not-office",
            ErrorKind::Damaged => "damaged",
            ErrorKind::Limit => "limit",
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

/// A configuration or catalogue file that cannot be used. Fatal at start-up (exit code 2).
#[derive(Debug)]
pub struct ConfigError {
    /// The file, or a description such as `built-in labels.toml`.
    pub file: PathBuf,
    /// The entry inside the file (a label id, a rule id), when known.
    pub item: Option<String>,
    /// The field inside the entry, when known.
    pub field: Option<String>,
    pub message: String,
}

impl ConfigError {
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        ConfigError {
            file: file.into(),
            item: None,
            field: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, item: impl Into<String>, field: Option<&str>) -> Self {
        self.item = Some(item.into());
        self.field = field.map(str::to_string);
        self
    }

    /// An error at `item` and `field` of a file; either may be `""` when not known.
    pub fn in_file(file: &str, item: &str, field: &str, message: impl Into<String>) -> Self {
        let mut e = ConfigError::new(file, message);
        e.item = (!item.is_empty()).then(|| item.to_string());
        e.field = (!field.is_empty()).then(|| field.to_string());
        e
    }

    /// Reads a configuration file; a failure names the file.
    pub fn read(path: &std::path::Path) -> Result<String, ConfigError> {
        std::fs::read_to_string(path)
            .map_err(|e| ConfigError::new(path, format!("cannot read: {e}")))
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(item) = &self.item {
            write!(f, ": {item}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}
