//! Reporting: the annual activity report and everything that feeds it. Activity, budgets,
//! population, targets and territory come in through `import`; `queries` and `report` read the
//! figures back, `region` assembles a Regione's delivery, `export` writes the open data, and
//! `target_values` keeps the valued targets current.

pub mod edit;
pub mod export;
pub mod import;
pub mod queries;
pub mod region;
pub mod report;
pub(crate) mod target_values;
