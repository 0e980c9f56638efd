//! Text as it may be shown.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// Text with every possible identifier in it masked by the one masking policy
/// (`detect::mask`): the only kind of text a result carries where a document, a path or a
/// configuration could have put an identifier. Only the masker makes one (and reading back
/// a saved scan, whose text was masked when it was written).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Masked(String);

impl Masked {
    /// Only `detect::mask` calls this (a test holds it to that).
    pub(crate) fn by_masker(text: String) -> Masked {
        Masked(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Masked {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Masked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<&str> for Masked {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<str> for Masked {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl From<Masked> for String {
    fn from(m: Masked) -> String {
        m.0
    }
}
