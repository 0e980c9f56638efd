//! The engine every front end calls: inputs in, masked results out, in input order.

pub mod scan;
