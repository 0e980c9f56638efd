//! A configuration, rules, detectors, catalogue or suppressions file that cannot be used.

use std::fmt;
use std::path::PathBuf;

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
