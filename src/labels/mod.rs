//! What labels mean: the label catalogue (GUID → class, name, marking) and the conversion of
//! Purview and Graph exports into one.

pub mod catalogue;
pub mod import;
