//! The importers of the annual report's inputs, one per file kind.

pub mod activity;
pub mod budget;
pub mod population;
pub mod targets;
pub mod territory;
