//! The case record's tables (issue 15), one file per feature.

pub mod assessment;
pub mod project;
