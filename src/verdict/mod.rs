//! The handling rules as data, the verdict they give on a file, and which findings are
//! accepted (suppressions, baseline).

mod judge;
mod marking;
mod message;
pub mod rules;
pub mod seen;
pub mod suppress;

pub use judge::{Context, Judged, Subject, Verdict};
