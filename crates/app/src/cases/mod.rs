//! The social case record (*Cartella Sociale Informatizzata*): the person registry, front-desk
//! contacts, prese in carico and their processes A–E, documents and transfers. Each file is one
//! feature; access is decided by the guard (`Policy::Person`) and re-checked here for every
//! sub-entity named in a route.

pub mod alert_mail;
pub mod citizen;
pub mod document_key;
pub mod documents;
pub mod transfer;

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

pub(crate) mod demo;
pub mod flow;
pub mod intake;
pub mod record;
pub mod registry;
pub mod search;
pub mod worklist;

use crate::access::users::actor_event;
use crate::access::{AuditEvent, now, rfc3339};
use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, PersonDecision, Principal};
use ambito_domain::case_record::FieldError;
use ambito_domain::date::{Day, parse_iso};
use ambito_domain::ids::{AmbitoScope, PersonId};

/// Today in the server's calendar (UTC), what "in the future" is judged against.
pub fn today() -> Day {
    rfc3339(now()).get(..10).and_then(parse_iso).unwrap_or(Day::Y2K)
}

/// The audit entry of a write on a person's record in one Ambito.
pub(crate) fn person_event(
    p: &Principal,
    action: &str,
    object: String,
    person: PersonId,
    ambito: &AmbitoScope,
    ip: Option<&str>,
) -> AuditEvent {
    let mut ev = actor_event(Some(p), action, &object);
    ev.person_id = Some(person.get());
    ev.ambito = Some(ambito.code.clone());
    ev.ip = ip.map(str::to_string);
    ev
}

/// Collects field errors and turns them into one [`AppError::Fields`], so a form reports all
/// its mistakes at once instead of the first.
#[derive(Default)]
pub(crate) struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    pub fn take<T>(&mut self, r: std::result::Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    pub fn push(&mut self, field: &'static str, message: impl Into<String>) {
        self.errors.push(ambito_domain::case_record::field_error(field, message));
    }

    pub fn done(self) -> Result<()> {
        if self.errors.is_empty() { Ok(()) } else { Err(AppError::Fields(self.errors)) }
    }
}

/// A blank form field is absent.
pub(crate) fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl App {
    /// The caller may use `perm` on the person in this Ambito (care team, break-glass, the
    /// registry rule): the decision, or `Forbidden`. Writes that the guard let through are
    /// decided again here with the write's own permission (clinical needs clinical rights).
    pub(crate) async fn require_person(&self, p: &Principal, perm: Perm, ambito: &AmbitoScope, person: PersonId) -> Result<PersonDecision> {
        let d = self.person_decision(p, perm, ambito.id, person).await?;
        if matches!(d, PersonDecision::Allow | PersonDecision::AllowBreakGlass) { Ok(d) } else { Err(AppError::Forbidden) }
    }
}
pub mod assessment;
pub mod courts;
pub mod figures;
pub mod import_cases;
pub mod import_persons;
pub mod import_rows;
pub mod interventions;
pub mod project;
