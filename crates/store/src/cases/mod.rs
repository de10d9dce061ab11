//! The case record's tables (issue 15), one file per feature.

pub mod courts;
pub mod figures;
pub mod interventions;
