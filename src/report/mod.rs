//! Writers of a scan's results: text for people, JSON and JSON lines for programs, and the
//! extracted text of `o365lint text`. Order is the order of the input paths, whatever the
//! thread count.

pub mod json;
pub mod pieces;
pub mod text;
