//! Markup Compatibility ([ISO/IEC 29500-3]): of an `mc:AlternateContent`, Office shows the
//! first `mc:Choice` whose required namespaces it understands, else the `mc:Fallback`.
//! Word writes every text box twice this way (DrawingML in the choice, VML in the
//! fallback), so reading both would count its text twice; reading only the choice would
//! let a hostile file put what Word shows in a fallback whose choice Word ignores.
//!
//! A choice is taken when each prefix it requires is declared for a namespace of Office's
//! own; one whose namespace cannot be told (a prefix declared twice, or not where we look)
//! is read, but the fallback is read too: when unsure, read both.

use std::collections::HashMap;

use super::Tag;
use super::reader::declarations_in;

#[derive(Default)]
pub struct Mce {
    /// The attributes, as written, of every tag met that declares a namespace. Kept as
    /// text and read into `ns` only when a choice asks (most parts have none; a part's
    /// root tag declares dozens).
    declared: String,
    /// How much of `declared` is in `ns`.
    read: usize,
    /// Prefix → namespace, from every declaration read; `None` when declared differently
    /// in different places (which one is in scope is not tracked).
    /// (std's hasher: a hostile part's prefixes cannot be made to collide.)
    ns: HashMap<Box<str>, Option<Box<str>>>,
    /// Per open `AlternateContent`: whether a choice Office takes was read.
    taken: Vec<bool>,
}

/// Bytes of declarations kept as text at most.
const DECLARED_MAX: usize = 64 * 1024;

/// What to do with an element.
#[derive(Debug, PartialEq, Eq)]
pub enum Branch {
    Read,
    Skip,
}

impl Mce {
    /// Looks at a start tag (call it for every one; an empty tag holds nothing to read or
    /// skip, and what it declares reaches no content): whether its content is read or
    /// skipped.
    pub fn start(&mut self, e: &Tag) -> Branch {
        self.declared(e);
        let local = e.local();
        // Most tags: none of the three names (one byte tells).
        if !matches!(local.as_bytes().first(), Some(b'A' | b'C' | b'F')) {
            return Branch::Read;
        }
        match local {
            "AlternateContent" => {
                self.taken.push(false);
                Branch::Read
            }
            "Choice" if !self.taken.is_empty() => {
                if self.taken.last() == Some(&true) {
                    return Branch::Skip;
                }
                self.catch_up();
                match self.understood(e.attr("Requires").as_deref().unwrap_or("")) {
                    Some(true) => {
                        if let Some(t) = self.taken.last_mut() {
                            *t = true;
                        }
                        Branch::Read
                    }
                    Some(false) => Branch::Skip,
                    None => Branch::Read,
                }
            }
            "Fallback" if self.taken.last() == Some(&true) => Branch::Skip,
            _ => Branch::Read,
        }
    }

    /// Records the namespace declarations on a tag.
    fn declared(&mut self, e: &Tag) {
        if let Some(attrs) = e.declaring() {
            self.declared.push_str(attrs);
            self.declared.push(' ');
            // A part that declares on every tag: read into the map now and then, so the
            // text kept stays small.
            if self.declared.len() > DECLARED_MAX {
                self.catch_up();
                self.declared.clear();
                self.read = 0;
            }
        }
    }

    /// Reads the declarations recorded since the last call into `ns`.
    fn catch_up(&mut self) {
        if self.ns.is_empty() {
            // A root tag declares a few dozen.
            self.ns.reserve(64);
        }
        for (prefix, uri) in declarations_in(&self.declared[self.read..]) {
            match self.ns.get_mut(prefix) {
                Some(known) if known.as_deref() != Some(&*uri) => *known = None,
                Some(_) => {}
                None => {
                    self.ns.insert(prefix.into(), Some(uri.into()));
                }
            }
        }
        self.read = self.declared.len();
    }

    /// Looks at an end tag.
    pub fn end(&mut self, local: &str) {
        if local == "AlternateContent" {
            self.taken.pop();
        }
    }

    /// Whether Office understands every namespace `requires` names (prefixes, separated
    /// by spaces); `None` when that cannot be told.
    fn understood(&self, requires: &str) -> Option<bool> {
        let mut all = true;
        for prefix in requires.split_ascii_whitespace() {
            match self.ns.get(prefix)? {
                Some(uri) => all &= office(uri),
                None => return None,
            }
        }
        Some(all)
    }
}

/// Namespaces Office defines: its own, and those of ECMA-376.
fn office(uri: &str) -> bool {
    [
        "http://schemas.microsoft.com/office/",
        "http://schemas.openxmlformats.org/",
        "http://purl.oclc.org/ooxml/",
        "urn:schemas-microsoft-com:",
    ]
    .iter()
    .any(|p| uri.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::xml::{Event, Reader};

    /// The text read from `xml`, skipping what `Mce` says to skip.
    fn read(xml: &str) -> String {
        let (mut r, mut m, mut out) = (Reader::new(xml), Mce::default(), String::new());
        loop {
            match r.read_event().unwrap() {
                Event::Start(e) if m.start(&e) == Branch::Skip => r.skip_to_end().unwrap(),
                Event::Start(_) => {}
                Event::End(e) => m.end(e.local()),
                Event::Text(t) => t.push_to(&mut out),
                Event::Eof => return out,
                _ => {}
            }
        }
    }

    const NS: &str = r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:evil="urn:example:unknown""#;

    #[test]
    fn the_choice_office_takes_or_the_fallback() {
        let ac = |req: &str| {
            format!(
                "<d {NS}><mc:AlternateContent><mc:Choice Requires=\"{req}\">valg</mc:Choice><mc:Fallback>reserve</mc:Fallback></mc:AlternateContent></d>"
            )
        };
        assert_eq!(read(&ac("wps")), "valg");
        // A namespace Office does not know: it shows the fallback.
        assert_eq!(read(&ac("evil")), "reserve");
        assert_eq!(read(&ac("wps evil")), "reserve");
        // Undeclared: unsure, both.
        assert_eq!(read(&ac("w99")), "valgreserve");
        // The first choice taken wins; later ones are skipped.
        let two = format!(
            "<d {NS}><mc:AlternateContent><mc:Choice Requires=\"wps\">en</mc:Choice><mc:Choice Requires=\"wps\">to</mc:Choice><mc:Fallback>tre</mc:Fallback></mc:AlternateContent></d>"
        );
        assert_eq!(read(&two), "en");
    }

    #[test]
    fn declarations_read_in_batches_count_as_read_at_once() {
        let tag = "<x xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">t</x>";
        let n = 2 * DECLARED_MAX / tag.len();
        let mut xml = format!("<d {NS}>{}", tag.repeat(n));
        xml += "<mc:AlternateContent><mc:Choice Requires=\"wps\">valg</mc:Choice><mc:Fallback>reserve</mc:Fallback></mc:AlternateContent></d>";
        let t = "t".repeat(n);
        assert_eq!(read(&xml), format!("{t}valg"));
        // The first of them declares another namespace: not trusted, though read long ago.
        let evil = xml.replacen("wordprocessingShape", "evil", 2);
        assert_eq!(read(&evil), format!("{t}valgreserve"));
    }

    #[test]
    fn a_prefix_declared_twice_is_not_trusted() {
        let xml = format!(
            "<d {NS}><x xmlns:wps=\"urn:example:other\"><mc:AlternateContent><mc:Choice Requires=\"wps\">valg</mc:Choice><mc:Fallback>reserve</mc:Fallback></mc:AlternateContent></x></d>"
        );
        assert_eq!(read(&xml), "valgreserve");
        // An empty element's declarations reach nothing.
        let empty = format!(
            "<d {NS}><x xmlns:wps=\"urn:example:other\"/><mc:AlternateContent><mc:Choice Requires=\"wps\">valg</mc:Choice><mc:Fallback>reserve</mc:Fallback></mc:AlternateContent></d>"
        );
        assert_eq!(read(&empty), "valg");
    }
}
