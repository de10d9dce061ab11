//! Work lists: "my cases", new proposals, and the head of service's caseload per worker. The
//! reviews overdue and court deadlines of the other features join these lists on the page.

use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, PersonDecision, Principal};
use ambito_domain::ids::{AmbitoScope, PersonId};
use ambito_store as store;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct WorkList {
    /// Open cases the caller manages or is in the care team of.
    pub my_cases: Vec<store::CaseloadRow>,
    pub proposals: Vec<store::ProposalRow>,
    /// Open cases per case manager (`None`: without one), for the head of service.
    pub caseload: Option<Vec<(String, usize)>>,
    pub by_state: Vec<(String, usize)>,
    pub alerts: Vec<store::AlertRow>,
    /// Reviews of the individual project past their date, for cases the caller may open.
    pub reviews_due: Vec<super::project::ReviewDue>,
    /// Reports to the court due in the next 30 days (or overdue), for callers who may see court
    /// material (those who may write the record).
    pub court_deadlines: Vec<super::courts::DeadlineDue>,
}

/// How far ahead the work list looks for court deadlines.
pub const COURT_DAYS_AHEAD: u32 = 30;

impl App {
    pub async fn work_list(&self, p: &Principal, ambito: &AmbitoScope) -> Result<WorkList> {
        if !p.may(Perm::PersonRead, Some(ambito.id.get())) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.store.read().await?;
        let open = store::open_caseload(&mut conn, ambito.id.get()).await?;
        let alerts = store::alerts_of(&mut conn, p.user_id, 20).await?;
        drop(conn);
        let mut visible = Vec::new();
        for row in open {
            let d = self.person_decision(p, Perm::PersonRead, ambito.id, PersonId(row.person_id)).await?;
            if d == PersonDecision::Allow {
                visible.push(row);
            }
        }
        let mine_ids = {
            let mut conn = self.store.read().await?;
            store::cases_in_team(&mut conn, ambito.id.get(), p.user_id).await?
        };
        let my_cases: Vec<_> =
            visible.iter().filter(|r| r.manager_id == Some(p.user_id) || mine_ids.contains(&r.case_id)).cloned().collect();
        let head = self.roles_in(p, ambito).contains(&"responsabile") || p.may(Perm::UserManage, Some(ambito.id.get()));
        let caseload = head.then(|| {
            let mut per: BTreeMap<String, usize> = BTreeMap::new();
            for r in &visible {
                *per.entry(r.manager.clone().unwrap_or_else(|| "(senza responsabile)".into())).or_default() += 1;
            }
            per.into_iter().collect()
        });
        let mut states: BTreeMap<String, usize> = BTreeMap::new();
        for r in &visible {
            *states.entry(r.state.clone()).or_default() += 1;
        }
        let proposals = if p.may(Perm::PersonWrite, Some(ambito.id.get())) { self.open_proposals(p, ambito).await? } else { Vec::new() };
        let today = super::today().iso();
        let mut reviews_due = Vec::new();
        for r in self.reviews_due(ambito, &today).await? {
            if self.person_decision(p, Perm::PersonRead, ambito.id, PersonId(r.person_id)).await? == PersonDecision::Allow {
                reviews_due.push(r);
            }
        }
        let mut court_deadlines = Vec::new();
        for d in self.court_deadlines_due(ambito, &today, COURT_DAYS_AHEAD).await? {
            if self.person_decision(p, Perm::PersonWrite, ambito.id, PersonId(d.person_id)).await? == PersonDecision::Allow {
                court_deadlines.push(d);
            }
        }
        Ok(WorkList { my_cases, proposals, caseload, by_state: states.into_iter().collect(), alerts, reviews_due, court_deadlines })
    }

    pub async fn mark_alerts_read(&self, p: &Principal) -> Result<()> {
        let mut tx = self.store.write_untracked().await?;
        store::mark_alerts_read(&mut tx, p.user_id).await?;
        tx.commit().await?;
        Ok(())
    }
}
