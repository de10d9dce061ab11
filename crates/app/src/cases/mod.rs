//! The social case record (*Cartella Sociale Informatizzata*): the person registry, front-desk
//! contacts, prese in carico and their processes A–E, documents and transfers. Each file is one
//! feature; access is decided by the guard (`Policy::Person`) and re-checked here for every
//! sub-entity named in a route.

use serde::Serialize;

/// One line of a person's timeline: everything in the record, newest first, on one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineItem {
    /// `YYYY-MM-DD` (or an RFC 3339 timestamp) the line sorts by.
    pub date: String,
    pub kind: &'static str,
    pub title: String,
    pub href: Option<String>,
}

pub mod import_cases;
pub mod import_persons;
pub mod import_rows;
