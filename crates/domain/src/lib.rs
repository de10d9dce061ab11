//! The rules of ambito. This crate does no I/O: no files, no network, no database, no clock.
//! Everything here is deterministic and unit-tested; the shells and the store call into it.

pub mod access;
pub mod activity;
pub mod audit;
pub mod case_record;
pub mod change;
pub mod codice_fiscale;
pub mod copayment;
pub mod date;
pub mod deliveries;
pub mod delivery;
pub mod demography;
pub mod documents;
pub mod expr;
pub mod fixed;
pub mod format;
pub mod ids;
pub mod indicator;
pub mod interventions;
pub mod jobs;
pub mod likert;
pub mod measures;
pub mod number;
pub mod pagopa;
pub mod pai;
pub mod person_search;
pub mod plan;
pub mod registry_codes;
pub mod report;
pub mod rollup;
pub mod scales;
pub mod suppression;
pub mod target;
pub mod transfer;
pub mod value;
