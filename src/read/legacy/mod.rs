//! Text of legacy binary Office files, read from their specifications.

pub mod ppt;
