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
    /// One page of the diary, newest first.
    pub diary: Vec<store::DiaryRow>,
    /// The diary's page shown (from 1) and how many pages it has at [`DIARY_PAGE`] entries each.
    pub diary_page: usize,
    pub diary_pages: usize,
    /// Clinical entries exist but this caller may not read them.
    pub clinical_hidden: usize,
    pub contacts: Vec<store::ContactRow>,
    pub proposals: Vec<store::ProposalRow>,
    pub appointments: Vec<store::AppointmentRow>,
    /// The newest [`TIMELINE_SHORT`] lines, or all of them when asked for.
    pub timeline: Vec<TimelineItem>,
    /// The timeline was cut to its newest lines (the page offers the whole one).
    pub timeline_cut: bool,
    pub may_write: bool,
    pub may_clinical: bool,
}

/// Diary entries on one page of the person page. A record followed for years has hundreds; the
/// page shows the newest and pages back, so it stays quick to load and to read.
pub const DIARY_PAGE: usize = 50;
/// Timeline lines shown before "the whole timeline" is asked for.
pub const TIMELINE_SHORT: usize = 30;

/// Which part of a long record the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordView {
    /// The diary page, from 1 (a page past the last shows the last).
    pub diary_page: usize,
    pub whole_timeline: bool,
}

impl Default for RecordView {
    fn default() -> Self {
        RecordView { diary_page: 1, whole_timeline: false }
    }
}

impl App {
    /// What the caller sees of the person in this Ambito. The guard decided the read; clinical
    /// entries show only with clinical rights on the person.
    pub async fn case_record(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId, view: RecordView) -> Result<CaseRecord> {
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
        let (all, clinical) = store::diary_counts(&mut conn, id, a).await?;
        let visible = usize::try_from(if may_clinical { all } else { all - clinical }).unwrap_or(0);
        let diary_pages = visible.div_ceil(DIARY_PAGE).max(1);
        let diary_page = view.diary_page.clamp(1, diary_pages);
        let offset = i64::try_from((diary_page - 1) * DIARY_PAGE).unwrap_or(0);
        let diary = store::diary_page(&mut conn, id, a, may_clinical, i64::try_from(DIARY_PAGE).unwrap_or(i64::MAX), offset).await?;
        // The timeline's diary lines: the newest, unless the whole timeline is asked for.
        let timeline_diary = match (view.whole_timeline, diary_page) {
            (true, _) => store::diary_page(&mut conn, id, a, may_clinical, i64::MAX, 0).await?,
            (false, 1) => diary.iter().take(TIMELINE_SHORT).cloned().collect(),
            (false, _) => store::diary_page(&mut conn, id, a, may_clinical, i64::try_from(TIMELINE_SHORT).unwrap_or(i64::MAX), 0).await?,
        };
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
            clinical_hidden: if may_clinical { 0 } else { usize::try_from(clinical).unwrap_or(0) },
            diary,
            diary_page,
            diary_pages,
            person: row,
            cases,
            timeline: Vec::new(),
            timeline_cut: false,
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
        record.timeline = timeline(&record, &timeline_diary, &ambito.code);
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
        // Cut when there is more than the short view shows: more lines, or diary entries that
        // were not even loaded for it.
        if !view.whole_timeline && (record.timeline.len() > TIMELINE_SHORT || visible > TIMELINE_SHORT) {
            record.timeline.truncate(TIMELINE_SHORT);
            record.timeline_cut = true;
        }
        Ok(record)
    }
}

/// Everything in the record on one line each, newest first.
fn timeline(r: &CaseRecord, diary: &[store::DiaryRow], code: &str) -> Vec<TimelineItem> {
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
    for n in diary {
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
