//! The answer to "may this file go there?" (`o365lint check`): the verdict, the destination
//! as the configuration knows it, and the rules that decided.

use serde::{Deserialize, Serialize};

use super::label::Class;
use super::masked::Masked;

/// May the file go there?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Yes.
    Allowed,
    /// No: a destination rule, or an unknown destination under `--unknown block`.
    Blocked,
    /// The file could not be read: no answer.
    Unreadable,
}

impl Verdict {
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Blocked => "blocked",
            Verdict::Unreadable => "unreadable",
        }
    }
}

/// The destination a file was checked against.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Place {
    /// Where the file would be: the destination given, joined with the file's path below
    /// the folder checked. Masked as a path.
    pub path: Masked,
    /// The configured destination that says what is allowed there, if one does: its name,
    /// pattern, kind and highest class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Masked>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Masked>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The highest class allowed there (Strengt beskyttet on the allow-list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_class: Option<Class>,
    /// On the Strengt beskyttet allow-list.
    pub allow_listed: bool,
    /// Neither a configured destination nor on the allow-list.
    pub unknown: bool,
}

/// The check of one file against a destination.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Check {
    pub verdict: Verdict,
    pub destination: Place,
    /// The destination rules that block it (errors) or warn (warnings), not accepted.
    pub rules: Vec<String>,
    /// The destination is unknown and `--unknown warn` let the file pass with a warning.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unknown_warned: bool,
}
