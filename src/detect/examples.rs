//! Every detector's examples (`must_match`, `must_not_match` in the detectors file), run as
//! one paragraph of a document each, as of the file's `examples_today`.

use std::sync::Arc;

use super::fnr::Date;
use super::{Detectors, Outcome};
use crate::model::Flags;
use crate::read::text::{Batch, Piece, Place};

impl Detectors {
    /// Detections in one docx paragraph of text (for examples and tests).
    pub fn paragraph(&self, text: &str) -> Outcome {
        self.paragraph_on(text, self.today)
    }

    fn paragraph_on(&self, text: &str, today: Date) -> Outcome {
        let area: Arc<str> = "".into();
        let piece = Piece::new(
            text.to_string(),
            crate::model::Kind::Body,
            &area,
            Place::Paragraph(1),
        );
        let mut doc = self.document();
        doc.today = today;
        doc.batch(&Batch {
            part: "word/document.xml",
            flags: Flags::NONE,
            pieces: std::slice::from_ref(&piece),
            passed_over: None,
        });
        doc.finish()
    }

    /// Runs every detector's examples (as of `settings.examples_today`); the failures.
    pub fn check_examples(&self) -> Vec<String> {
        let today = Date::parse(&self.settings.examples_today).unwrap_or(self.today);
        let mut failures = Vec::new();
        let with_today = |text: &str| self.paragraph_on(text, today);
        for d in &self.detectors {
            for ex in &d.must_match {
                let (text, want) = match ex.rsplit_once(" => ") {
                    Some((t, n)) => (t, n.trim().parse::<u8>().ok()),
                    None => (ex.as_str(), None),
                };
                let got: Vec<u8> = with_today(text)
                    .detections
                    .iter()
                    .filter(|x| x.detector.id() == d.id)
                    .map(|x| x.confidence)
                    .collect();
                let ok = match want {
                    Some(n) => got.contains(&n),
                    None => !got.is_empty(),
                };
                if !ok {
                    failures.push(format!(
                        "{}: must match {ex:?}: got confidences {got:?}",
                        d.id
                    ));
                }
            }
            for ex in &d.must_not_match {
                let got: Vec<u8> = with_today(ex)
                    .detections
                    .iter()
                    .filter(|x| x.detector.id() == d.id)
                    .map(|x| x.confidence)
                    .collect();
                if !got.is_empty() {
                    failures.push(format!("{}: must not match {ex:?}: got {got:?}", d.id));
                }
            }
        }
        failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detector_passes_its_examples() {
        let failures = Detectors::built_in().check_examples();
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
