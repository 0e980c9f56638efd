//! What a file's text held besides detections, gathered while it was read: every flag,
//! the document properties with a value, and the text where a content marking can be.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::rules::METADATA;
use crate::model::{Flags, Kind, Location};
use crate::read::text::{Batch, Piece, Place, Spot};

/// What a file's text held besides detections, gathered while it was read.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    /// Every flag some text carried.
    pub flags: Flags,
    /// Properties with a value: creator, lastModifiedBy, Company, Manager, Template, and
    /// `custom` for any custom property that is not a label's.
    pub metadata: BTreeSet<String>,
    /// Text where a content marking can be: headers, footers, watermarks (Word), header and
    /// footer strings (Excel), masters and layouts (PowerPoint); and the marking properties
    /// Office writes (`ClassificationContentMarkingHeaderText`, …).
    pub marks: Marks,
    /// The people named as author and last editor, to tell a marking that names them.
    pub(super) people: Vec<String>,
    /// Who last saved the document (`lastModifiedBy`), as written, for the report.
    pub last_author: Option<String>,
    /// Where each flag (`comment`, `hidden-sheet`, …) and each metadata property was first
    /// met: the place a finding on it points at. Masked by the engine ([`Seen::locate`])
    /// into `first_at`.
    spots: BTreeMap<String, Spot>,
    pub first_at: BTreeMap<String, Location>,
}

#[derive(Clone, Debug, Default)]
pub struct Marks {
    pub header: String,
    pub footer: String,
    pub watermark: String,
    /// PowerPoint masters and layouts, where a marking may be any of the three.
    pub slides: String,
    /// Marking properties by name.
    pub properties: BTreeMap<String, String>,
    /// Characters of header plus footer per Excel sheet.
    pub excel: BTreeMap<Arc<str>, usize>,
}

/// Marking text kept per place: enough for any marking, bounded for odd files.
const MARK_TEXT_MAX: usize = 64 * 1024;

fn keep(into: &mut String, text: &str) {
    if into.len() + text.len() < MARK_TEXT_MAX {
        into.push_str(text);
        into.push('\n');
    }
}

impl Seen {
    /// The places first met, as `mask` shows them: for the findings that point at them.
    pub fn locate(&mut self, mask: impl Fn(&Spot) -> Location) {
        self.first_at = self
            .spots
            .iter()
            .map(|(k, s)| (k.clone(), mask(s)))
            .collect();
    }

    /// Takes note of the first place of each flag in `flags` not met before.
    fn flagged(&mut self, flags: Flags, p: &Piece, b: &Batch) {
        let new = flags.difference(self.flags);
        if !new.is_empty() {
            for name in new.names() {
                let spot = p.location_in(b.part.into(), b.flags, flags);
                self.spots.entry(name.to_string()).or_insert(spot);
            }
        }
        self.flags |= flags;
    }

    /// Takes note of a batch of text.
    pub fn batch(&mut self, b: &Batch) {
        if let Some(f) = b.passed_over {
            self.flags |= b.flags | f;
        }
        for p in b.pieces {
            self.flagged(b.flags | p.whole_flags(), p, b);
            for s in &p.spans {
                self.flagged(s.flags, p, b);
            }
            if b.flags.contains(Flags::EMBEDDED) {
                continue;
            }
            match p.kind {
                Kind::Header | Kind::Footer => {
                    if let Place::Named(_) = p.place {
                        *self.marks.excel.entry(p.area.clone()).or_default() +=
                            p.text.chars().count();
                    }
                    let into = if p.kind == Kind::Header {
                        &mut self.marks.header
                    } else {
                        &mut self.marks.footer
                    };
                    keep(into, &p.text);
                }
                Kind::Watermark => keep(&mut self.marks.watermark, &p.text),
                Kind::Master | Kind::Layout => keep(&mut self.marks.slides, &p.text),
                _ => {}
            }
            if let Place::Property { name, custom } = &p.place {
                let prop = &**name;
                if *custom {
                    if prop.starts_with("Classification") {
                        if prop.ends_with("Text") && self.marks.properties.len() < 16 {
                            self.marks
                                .properties
                                .insert(prop.to_string(), p.text.to_string());
                        }
                    } else if self.metadata.insert("custom".into()) {
                        let spot = p.location_in(b.part.into(), b.flags, p.flags);
                        self.spots.entry("custom".into()).or_insert(spot);
                    }
                } else if METADATA.contains(&prop) {
                    if self.metadata.insert(prop.to_string()) {
                        let spot = p.location_in(b.part.into(), b.flags, p.flags);
                        self.spots.entry(prop.to_string()).or_insert(spot);
                    }
                    if prop == "lastModifiedBy" && self.last_author.is_none() {
                        self.last_author = Some(p.text.trim().to_string());
                    }
                    if matches!(prop, "creator" | "lastModifiedBy")
                        && p.text.trim().chars().count() >= 3
                        && self.people.len() < 8
                    {
                        self.people.push(p.text.trim().to_lowercase());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passed_over_pieces_leave_their_flags_and_the_batch_s() {
        let batch = |passed_over| Batch {
            part: "xl/worksheets/sheet2.xml",
            flags: Flags::HIDDEN_SHEET,
            pieces: &[],
            passed_over,
        };
        let mut seen = Seen::default();
        seen.batch(&batch(None));
        assert_eq!(seen.flags, Flags::NONE);
        seen.batch(&batch(Some(Flags::HIDDEN_COLUMN)));
        assert_eq!(seen.flags, Flags::HIDDEN_SHEET | Flags::HIDDEN_COLUMN);
    }
}
