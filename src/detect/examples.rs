//! Every detector's examples (`must_match`, `must_not_match` in the detectors file), run as
//! one paragraph of a document each, as of the file's `examples_today`.

use std::sync::Arc;

use super::fnr::Date;
use super::{Detectors, Outcome};
use crate::model::ConfigError;
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

    /// Runs every detector's examples (as of `settings.examples_today`); the failures, each
    /// naming the file, the detector and the field.
    pub fn check_examples(&self) -> Vec<ConfigError> {
        let fail = |id: &str, field: &str, message: String| {
            ConfigError::in_file(&self.origin, id, field, message)
        };
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
                    failures.push(fail(
                        &d.id,
                        "must_match",
                        format!("{ex:?} is not found as the example says: got confidences {got:?}"),
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
                    failures.push(fail(
                        &d.id,
                        "must_not_match",
                        format!("{ex:?} is found: confidences {got:?}"),
                    ));
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
