//! o365lint: lints Office documents against the Office 365 handling rules of a Norwegian
//! municipality. Data flows one way:
//!
//! ```text
//! path ─▶ container ─▶ document ─▶ (detections ─▶ verdict) ─▶ report ─▶ output
//!         sniff zip/    labels +                                per file    text, json
//!         cfb, limits   catalogue
//! ```
//!
//! Lower layers never import higher ones. `main.rs` only parses arguments, calls [`cli::run`]
//! and sets the exit code.

pub mod catalogue;
pub mod cli;
pub mod config;
pub mod container;
pub mod detect;
pub mod document;
pub mod error;
pub mod fingerprint;
pub mod fixture;
pub mod import;
pub mod label;
pub mod ooxml;
pub mod report;
pub mod rules;
pub mod scan;
pub mod suppress;
pub mod text;
pub mod xml;
