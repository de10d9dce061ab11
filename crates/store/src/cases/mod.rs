//! The social case record's tables, one file per feature.

pub mod documents;
pub mod transfer;
