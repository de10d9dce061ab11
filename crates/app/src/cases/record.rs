//! The person page's data: the registry, this Ambito's cases with their moves, managers and
//! shares, the diary as the caller may read it, contacts and proposals, appointments, and one
//! timeline of everything. Only this Ambito's cases (the two-Ambiti rule).

use super::TimelineItem;
use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, PersonDecision, Principal};
use ambito_domain::case_record::{self as rules, label_of};
use ambito_domain::ids::{AmbitoScope, PersonId};
use ambito_store as store;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub case: store::CaseDetailRow,
    pub state_name: String,
    pub managers: Vec<store::ManagerRow>,
    pub shares: Vec<store::ShareRow>,
    /// The states the caller may move the case to.
    pub moves: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseRecord {
    pub person: store::PersonRow,
    pub addresses: Vec<store::AddressRow>,
    pub household: Vec<store::HouseholdRow>,
    pub legal: Vec<store::LegalRow>,
    pub consents: Vec<store::ConsentRow>,
    pub disabilities: Vec<store::DisabilityRow>,
    pub revisions: Vec<store::RevisionRow>,
    pub merges: Vec<store::MergeRow>,
    pub cases: Vec<CaseView>,
    pub events: Vec<store::CaseEventRow>,
    pub diary: Vec<store::DiaryRow>,
    /// Clinical entries exist but this caller may not read them.
    pub clinical_hidden: usize,
    pub contacts: Vec<store::ContactRow>,
    pub proposals: Vec<store::ProposalRow>,
    pub appointments: Vec<store::AppointmentRow>,
    pub timeline: Vec<TimelineItem>,
    pub may_write: bool,
    pub may_clinical: bool,
}

impl App {
    /// What the caller sees of the person in this Ambito. The guard decided the read; clinical
    /// entries show only with clinical rights on the person.
    pub async fn case_record(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId) -> Result<CaseRecord> {
        let allowed = |d: PersonDecision| matches!(d, PersonDecision::Allow | PersonDecision::AllowBreakGlass);
        if !allowed(self.person_decision(p, Perm::PersonRead, ambito.id, person).await?) {
            return Err(AppError::Forbidden);
        }
        let may_clinical = allowed(self.person_decision(p, Perm::ClinicalRead, ambito.id, person).await?);
        let may_write = allowed(self.person_decision(p, Perm::PersonWrite, ambito.id, person).await?);
        let (a, id) = (ambito.id.get(), person.get());
        let mut conn = self.store.read().await?;
        let row = store::person(&mut conn, id).await?.ok_or(AppError::Forbidden)?;
        let states = store::case_states(&mut conn).await?;
        let mut cases = Vec::new();
        for case in store::cases_detail_of(&mut conn, a, id).await? {
            let managers = store::managers_of(&mut conn, case.id).await?;
            let shares = store::shares_of(&mut conn, case.id).await?;
            let state_name = states.iter().find(|s| s.code == case.state).map_or_else(|| case.state.clone(), |s| s.name.clone());
            cases.push(CaseView { case, state_name, managers, shares, moves: Vec::new() });
        }
        let (diary, hidden): (Vec<_>, Vec<_>) =
            store::diary_of(&mut conn, id, a).await?.into_iter().partition(|n| n.kind != "clinica" || may_clinical);
        let record = CaseRecord {
            addresses: store::addresses_of(&mut conn, id).await?,
            household: store::household_of(&mut conn, id).await?,
            legal: store::legal_of(&mut conn, id).await?,
            consents: store::consents_of(&mut conn, id).await?,
            disabilities: store::disabilities_of(&mut conn, id).await?,
            revisions: store::revisions_of(&mut conn, id).await?,
            merges: store::merges_of(&mut conn, id).await?,
            events: store::case_events_of(&mut conn, id, a).await?,
            contacts: store::contacts_of_person(&mut conn, id, a).await?,
            proposals: store::proposals_of_person(&mut conn, id, a).await?,
            appointments: store::appointments_of(&mut conn, id, Some(a)).await?,
            clinical_hidden: hidden.len(),
            diary,
            person: row,
            cases,
            timeline: Vec::new(),
            may_write,
            may_clinical,
        };
        drop(conn);
        let mut record = record;
        if may_write {
            for c in &mut record.cases {
                c.moves = self.moves_for(p, ambito, &c.case.state).await?;
            }
        }
        record.timeline = timeline(&record, &ambito.code);
        // The other processes' lines (assessments, projects, interventions, documents), each as
        // its feature shows it to this caller; a feature the caller may not see adds nothing.
        let parts = [
            self.assessment_timeline(p, ambito, person).await,
            self.project_timeline(p, ambito, person).await,
            self.interventions_timeline(p, ambito, person).await,
            self.documents_timeline(p, ambito, person).await,
        ];
        for part in parts {
            match part {
                Ok(items) => record.timeline.extend(items),
                Err(AppError::Forbidden) => {}
                Err(e) => return Err(e),
            }
        }
        record.timeline.sort_by(|a, b| b.date.cmp(&a.date));
        Ok(record)
    }
}

/// Everything in the record on one line each, newest first.
fn timeline(r: &CaseRecord, code: &str) -> Vec<TimelineItem> {
    let base = format!("/ambiti/{code}/persone/{}", r.person.id);
    let mut out = Vec::new();
    for k in &r.contacts {
        out.push(TimelineItem {
            date: k.occurred_on.clone(),
            kind: "contatto",
            title: format!(
                "Contatto ({}): {} — esito: {}",
                label_of(rules::CHANNELS, &k.channel).unwrap_or(&k.channel),
                label_of(rules::NEED_AREAS, &k.need_area).unwrap_or(&k.need_area),
                label_of(rules::OUTCOMES, &k.outcome).unwrap_or(&k.outcome)
            ),
            href: None,
        });
    }
    for x in &r.proposals {
        out.push(TimelineItem {
            date: day_of(&x.proposed_at),
            kind: "proposta",
            title: format!("Proposta di presa in carico: {}", x.state),
            href: None,
        });
    }
    for e in &r.events {
        let title = match (&e.from_state, e.to_state.as_str()) {
            (None, to) => format!("Apertura del caso ({to})"),
            (Some(f), "valutazione") if f == "chiuso" => "Riapertura del caso".to_string(),
            (Some(_), "chiuso") => format!("Chiusura del caso: {}", e.reason.clone().unwrap_or_default()),
            (Some(f), to) => format!("Caso: da {f} a {to}"),
        };
        out.push(TimelineItem { date: e.on_date.clone(), kind: "caso", title, href: Some(format!("{base}#caso-{}", e.case_id)) });
    }
    for n in &r.diary {
        let first: String = n.body.chars().take(80).collect();
        let mut title = format!("{}: {first}", label_of(rules::ENTRY_TYPES, &n.entry_type).unwrap_or(&n.entry_type));
        if n.voided_at.is_some() {
            title.push_str(" (corretta)");
        }
        out.push(TimelineItem {
            date: n.occurred_on.clone().unwrap_or_else(|| day_of(&n.created_at)),
            kind: "diario",
            title,
            href: Some(format!("{base}#nota-{}", n.id)),
        });
    }
    for a in &r.appointments {
        out.push(TimelineItem { date: day_of(&a.at), kind: "appuntamento", title: a.purpose.clone(), href: None });
    }
    for a in &r.addresses {
        out.push(TimelineItem { date: a.valid_from.clone(), kind: "anagrafe", title: format!("{}: {}", a.kind, a.address), href: None });
    }
    out.sort_by(|a, b| b.date.cmp(&a.date));
    out
}

/// The day of a timestamp (its first ten characters).
fn day_of(t: &str) -> String {
    t.get(..10).unwrap_or(t).to_string()
}
