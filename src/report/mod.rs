//! Writers of a scan's results: text for people, JSON and JSON lines for programs, and the
//! extracted text of `o365lint text`. Order is the order of the input paths, whatever the
//! thread count. Human output shows every text from a document, a file name or a
//! configuration through [`escape`].

pub mod escape;
pub mod json;
pub mod pieces;
pub mod text;
