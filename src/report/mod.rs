//! Writers of a scan's results: text for people, JSON and JSON lines for programs, and the
//! extracted text of `o365lint text`. Order is the order of the input paths, whatever the
//! thread count. Human output shows every text from a document, a file name or a
//! configuration through [`escape`].

pub mod business;
pub mod check;
pub mod csv;
pub mod escape;
pub mod html;
pub mod json;
pub mod markdown;
pub mod pieces;
pub mod sarif;
pub mod saved;
pub mod tables;
pub mod text;
