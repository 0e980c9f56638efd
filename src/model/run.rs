//! Which run wrote a scan: when it started, what it was given and which configuration it
//! obeyed, for whoever reads the report later.

use serde::{Deserialize, Serialize};

use super::Masked;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunInfo {
    /// When the scan started (RFC 3339, UTC).
    pub started: String,
    /// The paths given, as given, masked as names.
    pub roots: Vec<Masked>,
    pub config: ConfigOrigin,
}

/// The configuration a scan obeyed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConfigOrigin {
    /// Its file, masked as a name; none: the built-in configuration.
    pub file: Option<Masked>,
    /// How it was found (`given with --config`, `the user's configuration folder`, …).
    pub found_as: String,
}
