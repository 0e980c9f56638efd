//! The handling rules as data, the verdict they give on a file, and which findings are
//! accepted (suppressions, baseline).

pub mod rules;
pub mod suppress;
