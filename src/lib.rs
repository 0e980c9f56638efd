//! o365lint: lints Office documents against the Office 365 handling rules of a Norwegian
//! municipality.

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
pub mod verdict;
