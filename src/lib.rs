//! o365lint: lints Office documents against the Office 365 handling rules of a Norwegian
//! municipality: which sensitivity label each file carries and what class it means, the
//! personal data in every place its text can hide, and which handling rules it breaks.
//!
//! Data flows one way, and every front end (the `scan`, `text`, `rules` commands today;
//! `check`, `report` and an upload portal to come) calls one [`engine::Engine`]:
//!
//! ```text
//! input ─▶ read ─────────▶ detect ──────────▶ verdict ──────▶ result ───────▶ emit
//! (path,   (container,     (personal data,    (rules judge    (FileResult,    (text, json,
//!  bytes)   limits, labels, confidence;        a Subject:      Summary;        jsonl; report/)
//!           text pieces)    one masking policy) class, findings) masked)
//! ```
//!
//! Layers, lowest first; a module imports only its own layer and those below
//! (`tests/layers.rs` holds the code to it):
//!
//! - [`model`]: plain data shared by all (formats, classes, severities, detector ids,
//!   locations, detections, findings, [`model::FileResult`], [`model::Summary`]), serialized
//!   as the scan's JSON and read back from it;
//! - [`read`]: containers (zip, OLE), read limits, the XML tokenizer, OOXML readers, labels as
//!   stored → text pieces with their locations;
//! - [`labels`]: the label catalogue (GUID → class) and the Purview/Graph import;
//! - [`detect`]: detectors as data, validators, context, confidence, and the one masking
//!   policy ([`detect::mask`]): a [`model::Masked`] text is made only there;
//! - [`config`]: the configuration file (`o365lint.toml`), read only from where the user
//!   put it (never from a folder being scanned), each value knowing where it came from;
//! - [`verdict`]: the handling rules as data, judging a typed [`verdict::Subject`] into a
//!   [`verdict::Verdict`]; fingerprints, suppressions, baselines;
//! - [`engine`]: built once from the configuration; walks inputs, reads, detects, judges and
//!   masks each file, in input order, in parallel; the exit policy;
//! - [`report`]: writers of results (text, JSON, JSON lines, extracted text); human output
//!   escapes what a terminal would obey ([`report::escape`]);
//! - [`cli`]: arguments → engine → output, one file per command.
//!
//! The engine as a library, on a document given as bytes:
//!
//! ```
//! use o365lint::config::Config;
//! use o365lint::engine::{Choices, Engine};
//! use o365lint::model::Class;
//!
//! let engine = Engine::configured(&Config::built_in(), Choices::default()).unwrap();
//! let bytes = std::fs::read("fixtures/demo/12-skjult-innhold.docx").unwrap();
//! let result = engine.check_bytes("vedtak.docx", &bytes);
//! assert_eq!(result.label.as_ref().and_then(|l| l.class), Some(Class::Intern));
//! assert_eq!(result.required_class, Some(Class::Beskyttet));
//! // Results leave the engine masked.
//! assert_eq!(result.detections[0].masked, "010101*****");
//! assert!(engine.policy.fails(&result));
//! ```

pub mod cli;
pub mod config;
pub mod detect;
pub mod engine;
/// Writers of test documents (OOXML, encrypted, legacy, OLE objects) for tests, benches
/// and the demo: not in the default build (`--features fixture`).
#[cfg(any(test, feature = "fixture"))]
pub mod fixture;
pub mod labels;
pub mod model;
pub mod read;
pub mod report;
pub mod serve;
pub mod verdict;
