//! Where in a document text sits: the kind of place, the flags that say what may hide it,
//! and the location a person reads (`Ark1!C4`, `avsnitt 12`).

use std::borrow::Cow;
use std::fmt;
use std::ops::{BitOr, BitOrAssign};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Lang;

/// Facts about where text sat that a reader of the document may not see or may not think of.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Flags(u16);

impl Flags {
    pub const NONE: Flags = Flags(0);
    /// Hidden text (`w:vanish`), a hidden shape or a hidden slide.
    pub const HIDDEN: Flags = Flags(1);
    /// On a hidden or very hidden sheet.
    pub const HIDDEN_SHEET: Flags = Flags(1 << 1);
    pub const HIDDEN_ROW: Flags = Flags(1 << 2);
    pub const HIDDEN_COLUMN: Flags = Flags(1 << 3);
    /// A tracked deletion (or the source of a tracked move): gone from the document as shown,
    /// still in the file.
    pub const DELETED: Flags = Flags(1 << 4);
    /// A tracked insertion (or the destination of a tracked move) not yet accepted.
    pub const INSERTED: Flags = Flags(1 << 5);
    /// In a comment or note made by a reviewer (not speaker notes).
    pub const COMMENT: Flags = Flags(1 << 6);
    /// A document property, a name or other metadata rather than content.
    pub const METADATA: Flags = Flags(1 << 7);
    /// Inside a document embedded in this one.
    pub const EMBEDDED: Flags = Flags(1 << 8);
    /// A cache of data kept beside what is shown: pivot caches, chart caches, external
    /// link caches, custom XML.
    pub const CACHE: Flags = Flags(1 << 9);

    const NAMES: [(Flags, &'static str); 10] = [
        (Flags::HIDDEN, "hidden"),
        (Flags::HIDDEN_SHEET, "hidden-sheet"),
        (Flags::HIDDEN_ROW, "hidden-row"),
        (Flags::HIDDEN_COLUMN, "hidden-column"),
        (Flags::DELETED, "tracked-deletion"),
        (Flags::INSERTED, "tracked-insertion"),
        (Flags::COMMENT, "comment"),
        (Flags::METADATA, "metadata"),
        (Flags::EMBEDDED, "embedded"),
        (Flags::CACHE, "cache"),
    ];

    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The flags set here and not in `other`.
    pub fn difference(self, other: Flags) -> Flags {
        Flags(self.0 & !other.0)
    }

    /// The names of the flags set, in a fixed order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Flags::NAMES
            .into_iter()
            .filter(move |(f, _)| self.contains(*f))
            .map(|(_, n)| n)
    }

    /// The flag of this name.
    pub fn named(name: &str) -> Option<Flags> {
        Flags::NAMES
            .into_iter()
            .find(|(_, n)| *n == name)
            .map(|(f, _)| f)
    }

    /// Flags that hide text from a reader, most telling first: the one set names a
    /// location's kind.
    const HIDING: [Flags; 6] = [
        Flags::DELETED,
        Flags::HIDDEN_SHEET,
        Flags::HIDDEN_ROW,
        Flags::HIDDEN_COLUMN,
        Flags::HIDDEN,
        Flags::INSERTED,
    ];

    /// The flag that best says why a reviewer might miss text, if any.
    pub fn hiding(self) -> Option<Flags> {
        Flags::HIDING.into_iter().find(|f| self.contains(*f))
    }
}

impl BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl BitOrAssign for Flags {
    fn bitor_assign(&mut self, rhs: Flags) {
        self.0 |= rhs.0;
    }
}

impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl Serialize for Flags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.names())
    }
}

impl<'de> Deserialize<'de> for Flags {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Flags, D::Error> {
        let mut flags = Flags::NONE;
        for name in Vec::<String>::deserialize(d)? {
            flags |= Flags::named(&name)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown flag {name:?}")))?;
        }
        Ok(flags)
    }
}

/// What kind of place in the document a piece comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Body,
    Table,
    Header,
    Footer,
    Footnote,
    Endnote,
    Comment,
    TextBox,
    AltText,
    FieldCode,
    /// A spreadsheet cell's formula (the cell's value is a piece of its own).
    Formula,
    Glossary,
    Watermark,
    Chart,
    SmartArt,
    CustomXml,
    Cell,
    SheetName,
    DefinedName,
    TableColumn,
    PivotCache,
    ExternalLink,
    DataValidation,
    Slide,
    Notes,
    Master,
    Layout,
    Metadata,
    FileName,
    /// The names of the folders a file is in, below the scan root.
    FolderName,
}

impl Kind {
    pub const ALL: [Kind; 30] = [
        Kind::Body,
        Kind::Table,
        Kind::Header,
        Kind::Footer,
        Kind::Footnote,
        Kind::Endnote,
        Kind::Comment,
        Kind::TextBox,
        Kind::AltText,
        Kind::FieldCode,
        Kind::Formula,
        Kind::Glossary,
        Kind::Watermark,
        Kind::Chart,
        Kind::SmartArt,
        Kind::CustomXml,
        Kind::Cell,
        Kind::SheetName,
        Kind::DefinedName,
        Kind::TableColumn,
        Kind::PivotCache,
        Kind::ExternalLink,
        Kind::DataValidation,
        Kind::Slide,
        Kind::Notes,
        Kind::Master,
        Kind::Layout,
        Kind::Metadata,
        Kind::FileName,
        Kind::FolderName,
    ];

    /// The kind with this id.
    pub fn from_id(id: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == id)
    }

    pub fn id(self) -> &'static str {
        match self {
            Kind::Body => "body",
            Kind::Table => "table",
            Kind::Header => "header",
            Kind::Footer => "footer",
            Kind::Footnote => "footnote",
            Kind::Endnote => "endnote",
            Kind::Comment => "comment",
            Kind::TextBox => "text-box",
            Kind::AltText => "alt-text",
            Kind::FieldCode => "field-code",
            Kind::Formula => "formula",
            Kind::Glossary => "glossary",
            Kind::Watermark => "watermark",
            Kind::Chart => "chart",
            Kind::SmartArt => "smartart",
            Kind::CustomXml => "custom-xml",
            Kind::Cell => "cell",
            Kind::SheetName => "sheet-name",
            Kind::DefinedName => "defined-name",
            Kind::TableColumn => "table-column",
            Kind::PivotCache => "pivot-cache",
            Kind::ExternalLink => "external-link",
            Kind::DataValidation => "data-validation",
            Kind::Slide => "slide",
            Kind::Notes => "notes",
            Kind::Master => "master",
            Kind::Layout => "layout",
            Kind::Metadata => "metadata",
            Kind::FileName => "file-name",
            Kind::FolderName => "folder-name",
        }
    }
}

/// What a location's `kind` says: the kind of place, or, when something hides the text
/// there, what does (`tracked-deletion`, `hidden-sheet`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LocationKind {
    Place(Kind),
    /// Exactly one of the hiding flags.
    Hidden(Flags),
}

impl LocationKind {
    /// The kind of text of this kind of place with these flags.
    pub fn of(kind: Kind, flags: Flags) -> LocationKind {
        flags
            .hiding()
            .map_or(LocationKind::Place(kind), LocationKind::Hidden)
    }

    pub fn id(self) -> &'static str {
        match self {
            LocationKind::Place(k) => k.id(),
            LocationKind::Hidden(f) => f.names().next().unwrap_or(""),
        }
    }

    pub fn parse(id: &str) -> Option<LocationKind> {
        Kind::from_id(id).map(LocationKind::Place).or_else(|| {
            Flags::named(id)
                .filter(|f| Flags::HIDING.contains(f))
                .map(LocationKind::Hidden)
        })
    }
}

impl fmt::Display for LocationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for LocationKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for LocationKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<LocationKind, D::Error> {
        let id = String::deserialize(d)?;
        LocationKind::parse(&id)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown location kind {id:?}")))
    }
}

/// Where in a document something was found, as it may be shown: the part, what a person
/// reads (`Ark1!C4`, `topptekst 1, avsnitt 2`), the kind of place, and every flag of the text
/// there. Part and place are masked (a sheet or a file can be named after a person's number).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub part: super::Masked,
    #[serde(rename = "where")]
    pub place: super::Masked,
    /// The kind of place, or what hides the text there if anything does.
    pub kind: LocationKind,
    #[serde(default, skip_serializing_if = "Flags::is_empty")]
    pub flags: Flags,
}

/// A piece of a document's text as `o365lint text` shows it: where it is, and what it
/// says, masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPiece {
    /// Where (part and place masked too); its flags hold for all of the text.
    #[serde(flatten)]
    pub location: Location,
    pub text: super::Masked,
    /// A number as its cell format shows it, where that differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown: Option<super::Masked>,
    /// A number as stored in a cell.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub number: bool,
    /// Stretches of the text (byte offsets into `text`) with more flags: hidden or tracked
    /// runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<TextSpan>,
}

/// A stretch of a [`TextPiece`]'s text with more flags than the whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
    pub flags: Flags,
}

/// A location as `lang` reads it. Readers name places in Norwegian (`avsnitt 2`,
/// `tabell 1, rad 2, kolonne 3`); in English the words are translated, and quoted names
/// (`«Tittel 1»`) and sheet references (`Ark1!C4`) are left as they are.
pub fn place_in(place: &str, lang: Lang) -> Cow<'_, str> {
    if lang == Lang::Nb {
        return Cow::Borrowed(place);
    }
    let mut out = String::with_capacity(place.len() + 8);
    let mut quoted = false;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(
            PLACE_WORDS
                .iter()
                .find(|(nb, _)| *nb == word)
                .map_or(word.as_str(), |(_, en)| en),
        );
        word.clear();
    };
    for c in place.chars() {
        match c {
            '«' => {
                flush(&mut word, &mut out);
                quoted = true;
                out.push(c);
            }
            '»' => {
                quoted = false;
                out.push(c);
            }
            _ if quoted => out.push(c),
            c if c.is_alphabetic() || c == '!' || c.is_ascii_digit() => word.push(c),
            _ => {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
    }
    flush(&mut word, &mut out);
    Cow::Owned(out)
}

/// The words readers use for places, and their English.
const PLACE_WORDS: &[(&str, &str)] = &[
    ("avsnitt", "paragraph"),
    ("tabell", "table"),
    ("rad", "row"),
    ("kolonne", "column"),
    ("egenskap", "property"),
    ("post", "record"),
    ("felt", "field"),
    ("topptekst", "header"),
    ("bunntekst", "footer"),
    ("vannmerke", "watermark"),
    ("kommentar", "comment"),
    ("kommentarer", "comments"),
    ("kommentarforfattere", "comment authors"),
    ("kommentarpersoner", "comment people"),
    ("forfatter", "author"),
    ("lysbilde", "slide"),
    ("lysbildemal", "slide master"),
    ("lysbildeoppsett", "slide layout"),
    ("notater", "notes"),
    ("tekstboks", "text box"),
    ("fotnote", "footnote"),
    ("sluttnote", "endnote"),
    ("diagram", "chart"),
    ("serie", "series"),
    ("punkt", "point"),
    ("navn", "name"),
    ("mappenavn", "folder name"),
    ("filnavn", "file name"),
    ("skjult", "hidden"),
    ("del", "part"),
];

#[cfg(test)]
mod place_tests {
    use super::*;

    #[test]
    fn places_read_in_english_with_names_kept() {
        let en = |p| place_in(p, Lang::En).into_owned();
        assert_eq!(en("avsnitt 1"), "paragraph 1");
        assert_eq!(
            en("topptekst 1, tabell 1, rad 2, kolonne 3"),
            "header 1, table 1, row 2, column 3"
        );
        assert_eq!(
            en("lysbilde 4, «Tittel 1» avsnitt 1"),
            "slide 4, «Tittel 1» paragraph 1"
        );
        assert_eq!(en("egenskap «rad»"), "property «rad»");
        assert_eq!(en("Ark1!C4"), "Ark1!C4");
        assert_eq!(place_in("avsnitt 1", Lang::Nb), "avsnitt 1");
    }
}
