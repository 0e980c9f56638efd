//! The one masking policy (DESIGN.md, Privacy): what of each kind of identifier stays
//! readable, applied alike to a detection's value, to extracted text, and to every text of a
//! result (path, notes, errors, label metadata, locations, messages). A masked text is a
//! [`Masked`], which only this module makes.
//!
//! Two reaches: document text, values, label metadata and messages have every number some
//! detector could take masked ([`Detectors::mask`]); names — paths, part names, and the
//! errors and notes that quote them or a file's signature — only identifiers a validator
//! confirms ([`Detectors::mask_path`]), so that dates, case numbers, years, versions and
//! phone-like numbers in a path stay readable and two files are not made to look alike.

use super::found::{at_and_nor, matches, may_be_iban};
use super::numbers::{self, Phone};
use super::{Detectors, tokens};
use crate::model::{
    Detection, DetectorId, FileResult, Flags, Location, Masked, TextPiece, TextSpan,
};
use crate::read::text::{Piece, Spot};

/// How much of an identifier stays readable when it is masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The first n letters and digits (separators are kept).
    First(usize),
    /// The last n letters and digits.
    Last(usize),
    /// An IBAN: its country code and its last four digits.
    Iban,
    /// An e-mail address: the first letter of the local part, then `***`, then the domain.
    Email,
}

/// The policy: what each detector's values keep. The fødselsnummer family keeps the date of
/// birth (six digits), account-like numbers (and IBANs, with their country code) their last
/// four, phone numbers their last two,
/// e-mail addresses their first letter and domain, passport numbers their first two
/// characters.
pub fn keep(detector: DetectorId) -> Keep {
    match detector {
        DetectorId::Fodselsnummer
        | DetectorId::DNummer
        | DetectorId::HNummer
        | DetectorId::FhNummer
        | DetectorId::SyntetiskId => Keep::First(6),
        DetectorId::Kontonummer | DetectorId::Organisasjonsnummer | DetectorId::DufNummer => {
            Keep::Last(4)
        }
        DetectorId::Iban => Keep::Iban,
        DetectorId::Telefonnummer => Keep::Last(2),
        DetectorId::Epost => Keep::Email,
        DetectorId::Passnummer => Keep::First(2),
    }
}

impl Detectors {
    /// `text` with every possible identifier masked, whatever its confidence or context,
    /// each as [`keep`] says for the detector that could take it. For extracted text,
    /// paths, notes and label metadata. Digit runs no validator accepts (dates, amounts,
    /// long references) stay readable.
    pub fn mask(&self, text: &str) -> String {
        render(text, &self.spans(text, Reach::Broad), None)
    }

    /// A name as it may be shown — a path, a part's name, an error or note that quotes them
    /// or a file's signature: only what a validator confirms is masked (the fødselsnummer
    /// family with a valid date and both check digits, account numbers and IBANs by their
    /// checksums, DUF numbers by theirs, e-mail addresses), each as [`keep`] says. Dates,
    /// case numbers, years, versions, phone-like and organisation numbers stay readable.
    pub fn mask_path(&self, text: &str) -> String {
        render(text, &self.spans(text, Reach::Names), None)
    }

    /// [`mask_path`](Detectors::mask_path) as a [`Masked`].
    pub fn masked_path(&self, text: &str) -> Masked {
        Masked::by_masker(self.mask_path(text))
    }

    /// A file's path as it may be shown, when it is the `nth` (from 1) of the files of a
    /// scan whose paths look alike once masked: ` (#n)` after the second and later ones,
    /// so no two files look alike (DESIGN.md, Privacy).
    pub fn masked_file_path(&self, path: &str, nth: u32) -> Masked {
        let mut shown = self.mask_path(path);
        if nth > 1 {
            shown.push_str(&format!(" (#{nth})"));
        }
        Masked::by_masker(shown)
    }

    /// A note about a named thing (an embedded document), `name: note`: the name masked as
    /// a name, the note as text (it may quote what a label says).
    pub fn masked_note(&self, name: &str, note: &str) -> Masked {
        Masked::by_masker(format!("{}: {}", self.mask_path(name), self.mask(note)))
    }

    /// The stretches of `text` that may hold an identifier, each with what it keeps: found
    /// in the text as folded (`fold`), so a number with an invisible character inside is
    /// masked as the number it shows.
    fn spans(&self, text: &str, reach: Reach) -> Vec<(usize, usize, Keep)> {
        match super::fold::fold(text) {
            None => self.spans_of(text, reach),
            Some(f) => self
                .spans_of(&f.text, reach)
                .into_iter()
                .map(|(s, e, keep)| (f.original(s), f.original(e), keep))
                .collect(),
        }
    }

    fn spans_of(&self, text: &str, reach: Reach) -> Vec<(usize, usize, Keep)> {
        let broad = reach == Reach::Broad;
        let mut spans: Vec<(usize, usize, Keep)> = Vec::new();
        for seq in tokens::sequences(text) {
            for c in tokens::candidates(text, &seq) {
                let d = numbers::digits(&c.digits).unwrap_or_default();
                let l = c.lengths();
                let family =
                    tokens::fnr_layout(l) && self.classify(&c.digits, self.today).is_some();
                let padded = l == [10]
                    && self
                        .classify(&format!("0{}", c.digits), self.today)
                        .is_some();
                let detector = if family || padded {
                    DetectorId::Fodselsnummer
                } else if (tokens::account_layout(l) || l == [11]) && numbers::kontonummer(&d) {
                    DetectorId::Kontonummer
                } else if broad && tokens::orgnr_layout(l) && numbers::orgnr(&d) {
                    DetectorId::Organisasjonsnummer
                } else if tokens::duf_layout(l)
                    && numbers::duf_year(&c.digits)
                    && (broad || numbers::duf_checksum(&d))
                {
                    DetectorId::DufNummer
                } else if broad
                    && ((tokens::phone_layout(l) && numbers::phone(&d) != Phone::Other)
                        || tokens::glued_phone(text, &c).is_some_and(|n| {
                            numbers::phone(&numbers::digits(n).unwrap_or_default()) != Phone::Other
                        }))
                {
                    DetectorId::Telefonnummer
                } else {
                    continue;
                };
                spans.push((c.start, c.end, keep(detector)));
            }
        }
        for m in matches(&self.iban, text, may_be_iban(text)) {
            if broad || numbers::iban_no(m.as_str()) {
                spans.push((m.start(), m.end(), keep(DetectorId::Iban)));
            }
        }
        let (at, nor) = at_and_nor(text);
        for m in matches(&self.email, text, at) {
            spans.push((m.start(), m.end(), keep(DetectorId::Epost)));
        }
        if !broad {
            return spans;
        }
        // A passport number has six digits or more.
        let passport = text.bytes().filter(u8::is_ascii_digit).count() >= 6;
        for m in matches(&self.passport, text, passport) {
            spans.push((m.start(), m.end(), keep(DetectorId::Passnummer)));
        }
        for m in matches(&self.mrz, text, nor) {
            spans.push((m.start(), m.end(), keep(DetectorId::Passnummer)));
        }
        spans
    }

    /// A piece of extracted text in `part` as it may be shown: its location, text and the
    /// number as shown masked, its spans' offsets moved to where they fall in the masked
    /// text.
    pub fn masked_piece(&self, part: &str, batch_flags: Flags, piece: &Piece) -> TextPiece {
        let location = piece.location_in(part.into(), batch_flags, piece.whole_flags());
        let mut offsets: Vec<usize> = piece.spans.iter().flat_map(|s| [s.start, s.end]).collect();
        let text = render(
            &piece.text,
            &self.spans(&piece.text, Reach::Broad),
            Some(&mut offsets),
        );
        TextPiece {
            location: self.mask_location(&location),
            text: Masked::by_masker(text),
            shown: piece.shown.as_deref().map(|s| self.masked(s)),
            number: piece.number,
            spans: piece
                .spans
                .iter()
                .zip(offsets.chunks(2))
                .map(|(s, at)| TextSpan {
                    start: at[0],
                    end: at[1],
                    flags: s.flags,
                })
                .collect(),
        }
    }

    /// [`mask`](Detectors::mask) as a [`Masked`].
    pub fn masked(&self, text: &str) -> Masked {
        Masked::by_masker(self.mask(text))
    }

    /// A detected value as it may be shown: `value` (as the detector normalised it) under
    /// the detector's [`keep`].
    pub fn masked_value(&self, detector: DetectorId, value: &str) -> Masked {
        Masked::by_masker(render(value, &[(0, value.len(), keep(detector))], None))
    }

    /// A location as it may be shown: the spot's part masked as a name, its place as text
    /// (a sheet's or a property's name is the document's text).
    pub fn mask_location(&self, l: &Spot) -> Location {
        Location {
            part: self.masked_path(&l.part),
            place: self.masked(&l.place),
            kind: l.kind,
            flags: l.flags,
        }
    }

    /// A detection as it may be shown: its places masked (its value is masked already).
    pub fn mask_detection(&self, d: Detection<Spot>) -> Detection {
        Detection {
            detector: d.detector,
            masked: d.masked,
            confidence: d.confidence,
            location: self.mask_location(&d.location),
            reasons: d.reasons,
            count: d.count,
            also_at: d.also_at.iter().map(|l| self.mask_location(l)).collect(),
            hash: d.hash,
        }
    }

    /// Masks what a file's result holds as plain text: what the labels say as the file has
    /// it (its other text is [`Masked`] already). A label's id or tenant that is a
    /// well-formed GUID is shown as it is: it is what a reader matches against the catalogue.
    pub fn mask_result(&self, r: &mut FileResult) {
        let m = |s: &mut String| *s = self.mask(s);
        let guid = |s: &mut String| {
            if !crate::read::label::is_guid(s) {
                *s = self.mask(s);
            }
        };
        let labels = r
            .labels
            .iter_mut()
            .chain(r.embedded.iter_mut().flat_map(|e| e.labels.iter_mut()));
        for l in labels {
            let f = &mut l.found;
            guid(&mut f.id);
            f.site_id.iter_mut().for_each(guid);
            for text in [
                &mut f.name,
                &mut f.method,
                &mut f.set_date,
                &mut f.action_id,
            ] {
                text.iter_mut().for_each(m);
            }
            f.extra.values_mut().for_each(m);
        }
        let effective = r
            .label
            .iter_mut()
            .chain(r.embedded.iter_mut().flat_map(|e| e.label.as_mut()));
        for l in effective {
            guid(&mut l.id);
            l.parent.iter_mut().for_each(guid);
            for text in [&mut l.name, &mut l.method, &mut l.reason] {
                text.iter_mut().for_each(m);
            }
        }
    }
}

/// How far masking reaches (see the module's documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// Every number a detector could take, whatever its confidence or context.
    Broad,
    /// Only identifiers a validator confirms.
    Names,
}

/// `text` with the spans masked as each one's [`Keep`] says. Spans may overlap (`93 8601
/// 1117` in an IBAN): a character is hidden if any span over it hides it. `offsets` (byte
/// offsets into `text`) are moved to where they fall in the result.
fn render(text: &str, spans: &[(usize, usize, Keep)], offsets: Option<&mut Vec<usize>>) -> String {
    let mut hide = vec![false; text.len()];
    // Byte ranges replaced by `***` whole (an e-mail address's local part but its first
    // letter), so the length of a name is not shown either.
    let mut collapse: Vec<(usize, usize)> = Vec::new();
    for &(s, e, keep) in spans {
        let span = &text[s..e];
        if keep == Keep::Email {
            let local = span.find('@').unwrap_or(span.len());
            let first = span[..local].chars().next().map_or(0, char::len_utf8);
            collapse.push((s + first, s + local));
            continue;
        }
        let chars: Vec<usize> = span
            .char_indices()
            .filter(|(_, c)| c.is_alphanumeric())
            .map(|(i, _)| i)
            .collect();
        let total = chars.len();
        for (k, i) in chars.into_iter().enumerate() {
            let masked = match keep {
                Keep::First(n) => k >= n,
                Keep::Last(n) => k + n < total,
                Keep::Iban => k >= 2 && k + 4 < total,
                Keep::Email => false,
            };
            if masked {
                hide[s + i] = true;
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    // Where each byte of `text` that starts a character begins in `out`, when asked.
    let mut at: Vec<usize> = Vec::new();
    let mapping = offsets.is_some();
    for (i, c) in text.char_indices() {
        if mapping {
            at.resize(i + 1, out.len());
        }
        // `***` stands for the collapsed stretch, even an empty one (`a@…` shows as
        // `a***@…`, like any other address).
        if collapse.iter().any(|(s, _)| *s == i) {
            out.push_str("***");
        }
        if collapse.iter().any(|(s, e)| (*s..*e).contains(&i)) {
            continue;
        } else if hide[i] {
            out.push('*');
        } else {
            out.push(c);
        }
    }
    if let Some(offsets) = offsets {
        at.resize(text.len() + 1, out.len());
        for o in offsets.iter_mut() {
            *o = at[(*o).min(text.len())];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_possible_identifier() {
        let d = Detectors::built_in();
        assert_eq!(
            d.mask("fnr 151086 95088, konto 8601.11.17947, tlf 412 34 567, kari.n@ex.no"),
            "fnr 151086 *****, konto ****.**.*7947, tlf *** ** *67, k***@ex.no"
        );
        assert_eq!(d.mask("IBAN NO93 8601 1117 947"), "IBAN NO** **** ***7 947");
        assert_eq!(d.mask("år 2026, sum 1 234"), "år 2026, sum 1 234");
        assert_eq!(d.mask("kari.ødegård@bø.kommune.no"), "k***@bø.kommune.no");
        assert_eq!(d.mask("DUF 2012 586975 61"), "DUF **** ****75 61");
        assert_eq!(d.mask("pass AB1234567.docx"), "pass AB*******.docx");
        assert_eq!(d.mask("151086\u{2011}95088"), "151086\u{2011}*****");
        assert_eq!(
            d.mask("tlf +4741234567, 004741234567"),
            "tlf +********67, **********67"
        );
        assert_eq!(d.mask("NO93-8601-1117-947"), "NO**-****-***7-947");
        assert_eq!(d.mask("KontoNO9386011117947"), "KontoNO*********7947");
        assert_eq!(d.mask("151086\u{2009}95088"), "151086\u{2009}*****");
        // Masked as the number shown, whatever hides inside it.
        assert_eq!(d.mask("1510\u{200B}86 95088"), "1510\u{200B}86 *****");
        assert_eq!(
            d.mask("１５１０８６ ９５０８８"),
            "１５１０８６ ＊＊＊＊＊".replace('＊', "*")
        );
    }

    #[test]
    fn paths_keep_all_but_confirmed_identifiers() {
        let d = Detectors::built_in();
        // Dates, years, versions, case numbers, phone-like and organisation numbers and
        // file signatures stay as they are.
        for name in [
            "Budsjett 2025-2026.xlsx",
            "Møtereferat 20250115.docx",
            "CVE-2016-0122-1.xlsm",
            "sak 2024/12345 v1.2.3",
            "ring 412 34 567, 22334455",
            "orgnr 988077917",
            "pass AB1234567.docx",
            "unknown file signature 25 50 44 46 2D 31 2E 34",
            "DUF 201258697561",
            "IBAN NO92 8601 1117 947",
        ] {
            assert_eq!(d.mask_path(name), name);
        }
        for (name, shown) in [
            ("vedtak 15108695088.docx", "vedtak 151086*****.docx"),
            ("151086 95088/notat.docx", "151086 *****/notat.docx"),
            ("D-nr 53097248016", "D-nr 530972*****"),
            ("konto 8601.11.17947", "konto ****.**.*7947"),
            ("NO93 8601 1117 947.pdf", "NO** **** ***7 947.pdf"),
            ("DUF 200205705502", "DUF ********5502"),
            ("kari.nordmann@example.no.docx", "k***@example.no.docx"),
        ] {
            assert_eq!(d.mask_path(name), shown, "{name}");
        }
        assert_eq!(
            d.masked_file_path("a 15108695088.docx", 1),
            "a 151086*****.docx"
        );
        assert_eq!(
            d.masked_file_path("a 15108695088.docx", 2),
            "a 151086*****.docx (#2)"
        );
    }

    #[test]
    fn a_number_with_invisible_characters_or_other_digits_is_found() {
        let det = Detectors::built_in();
        for text in [
            "Fnr: 1510\u{200B}86 95088",
            "Fnr: 151086\u{2060}95088",
            "Fnr: 151086\u{AD}95088",
            "Fnr: 151086\u{2007}95088",
            "Fnr: 151086\t95088",
            "Fnr: １５１０８６９５０８８",
            "Fnr: ١٥١٠٨٦٩٥٠٨٨",
        ] {
            let found = det.paragraph(text).detections;
            assert_eq!(
                found.first().map(|d| d.masked.to_string()).as_deref(),
                Some("151086*****"),
                "{text:?}"
            );
            assert!(!det.mask(text).contains("95088"), "{text:?}");
        }
    }

    #[test]
    fn a_one_letter_address_shows_no_more_than_another() {
        let d = Detectors::built_in();
        assert_eq!(d.mask("a@aol.edu"), "a***@aol.edu");
        assert_eq!(
            d.masked_value(DetectorId::Epost, "a@aol.edu"),
            "a***@aol.edu"
        );
    }

    #[test]
    fn a_detection_shows_what_the_text_shows() {
        // The same identifier is masked alike wherever it appears: a detection's value
        // shows the digits and letters the masked text shows (DUF: the last four in both).
        let det = Detectors::built_in();
        for (text, value) in [
            ("Fnr: 15108695088", "15108695088"),
            ("konto 86011117947", "86011117947"),
            ("DUF-nummer 201258697561", "201258697561"),
            ("tlf 41234567", "41234567"),
            (
                "e-post kari.nordmann@example.no",
                "kari.nordmann@example.no",
            ),
            ("passnummer AB1234567", "AB1234567"),
        ] {
            let found = det.paragraph(text).detections;
            let d = found
                .first()
                .unwrap_or_else(|| panic!("nothing in {text:?}"));
            assert_eq!(d.masked, det.masked_value(d.detector, value));
            assert!(
                det.mask(text).ends_with(d.masked.as_str()),
                "{text:?}: text {:?}, detection {:?}",
                det.mask(text),
                d.masked
            );
        }
    }

    #[test]
    fn a_piece_s_spans_fall_on_the_same_text_once_masked() {
        use crate::model::Kind;
        use crate::read::text::{Place, Span};
        use std::sync::Arc;
        let text = "kari.nordmann@example.no slettet 15108695088.";
        let start = text.find("151").unwrap();
        let area: Arc<str> = "".into();
        let mut piece = Piece::new(text, Kind::Body, &area, Place::Paragraph(1));
        piece.spans.push(Span {
            start,
            end: start + 11,
            flags: Flags::DELETED,
        });
        let shown = Detectors::built_in().masked_piece("word/document.xml", Flags::NONE, &piece);
        assert_eq!(shown.text, "k***@example.no slettet 151086*****.");
        let s = &shown.spans[0];
        assert_eq!(&shown.text[s.start..s.end], "151086*****");
    }

    #[test]
    fn what_a_label_says_is_masked_but_its_guid() {
        use crate::model::{EffectiveLabel, FoundLabel, LabelReport, Tenant};
        let guid = "4ba57e2e-15ab-4632-9e26-5c7ad5060d41";
        let found = FoundLabel {
            id: "15108695088".into(),
            site_id: Some(guid.into()),
            method: Some("Kari 15108695088".into()),
            set_date: Some("15108695088".into()),
            action_id: Some("kari@example.no".into()),
            ..FoundLabel::default()
        };
        let mut r = FileResult {
            labels: vec![LabelReport {
                found,
                tenant: Tenant::Own,
                class: None,
                display_name: None,
            }],
            label: Some(EffectiveLabel {
                id: "15108695088".into(),
                reason: Some("label 15108695088 is not in the label catalogue".into()),
                ..EffectiveLabel::default()
            }),
            ..FileResult::default()
        };
        Detectors::built_in().mask_result(&mut r);
        let json = serde_json::to_string(&r).unwrap();
        assert!(
            !json.contains("15108695088") && !json.contains("kari@"),
            "{json}"
        );
        assert!(json.contains(guid), "{json}");
    }
}
