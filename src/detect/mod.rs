//! Detection of Norwegian personal data in extracted text (spec/pii.md): validators for each
//! identifier, a digit-group tokenizer, context and a confidence model.

pub mod fnr;
