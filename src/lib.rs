//! o365lint: lints Office documents against the Office 365 handling rules of a Norwegian
//! municipality.

pub mod cli;
pub mod config;
pub mod detect;
pub mod engine;
pub mod fixture;
pub mod labels;
pub mod model;
pub mod read;
pub mod report;
pub mod verdict;
