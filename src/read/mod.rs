//! Reading files: sniff the container (zip, OLE compound file), apply the read limits, parse
//! XML parts and legacy streams, and hand every piece of text with its location to a sink.
//! Imports only `model`.

pub mod container;
pub mod document;
pub mod error;
pub mod label;
pub mod legacy;
pub mod ooxml;
pub mod plain;
pub mod properties;
pub mod text;
pub mod xml;
