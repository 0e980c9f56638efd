//! The handling rules as data, the verdict they give on a file, and which findings are
//! accepted (suppressions, baseline).

mod facts;
mod judge;
mod marking;
mod message;
pub mod rules;
pub mod seen;
pub mod subject;
pub mod suppress;

pub use judge::{Judged, Verdict};
pub use subject::{Context, Subject};
