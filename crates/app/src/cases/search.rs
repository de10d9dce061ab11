//! The one-box person search: a codice fiscale or provisional code (whole or its start), or
//! words of a name in any order, accent- and case-insensitive and forgiving of typos. It finds
//! only persons this Ambito knows whom the caller may open or break the glass for, and every
//! search is audited (the typed text is not stored).

use crate::access::users::actor_event;
use crate::{App, Result};
use ambito_domain::access::{Perm, PersonDecision, Principal};
use ambito_domain::ids::{AmbitoScope, PersonId};
use ambito_domain::person_search::{Query, rank, sound_key};
use ambito_store as store;
use serde::Serialize;

/// At most this many candidates per key scan; the ranking keeps the best.
const SCAN: i64 = 400;

#[derive(Debug, Clone, Serialize)]
pub struct PersonHit {
    pub person: store::PersonRow,
    /// Outside the caller's care teams: opening it asks for break-glass.
    pub needs_break_glass: bool,
}

impl App {
    pub async fn find_persons(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        text: &str,
        limit: usize,
        ip: Option<&str>,
    ) -> Result<Vec<PersonHit>> {
        let Some(query) = Query::parse(text) else { return Ok(Vec::new()) };
        let a = ambito.id.get();
        let mut conn = self.store.read().await?;
        let mut ranked: Vec<(u32, i64)> = match &query {
            Query::Code(code) => store::search_candidates(&mut conn, a, store::SearchKey::Code, code, limit as i64)
                .await?
                .into_iter()
                .map(|c| (u32::from(c.codice_fiscale != *code), c.id))
                .collect(),
            Query::Words(words) => {
                let first = &words[0];
                let mut cands = store::search_candidates(&mut conn, a, store::SearchKey::Surname, first, SCAN).await?;
                cands.extend(store::search_candidates(&mut conn, a, store::SearchKey::Name, first, SCAN).await?);
                let sound = sound_key(first);
                if sound.len() >= 2 {
                    cands.extend(store::search_candidates(&mut conn, a, store::SearchKey::Sound, &sound, SCAN).await?);
                }
                cands.sort_by_key(|c| c.id);
                cands.dedup_by_key(|c| c.id);
                cands.into_iter().filter_map(|c| rank(words, &c.search_key).map(|r| (r, c.id))).collect()
            }
        };
        ranked.sort_unstable();
        let ids: Vec<i64> = ranked.iter().map(|(_, id)| *id).collect();
        drop(conn);
        // Decide a page's worth of candidates at a time, in rank order, until the page is full:
        // one batch of access facts per chunk instead of one per person.
        let mut hits = Vec::new();
        for chunk in ids.chunks(limit.max(1) * 2) {
            let persons: Vec<PersonId> = chunk.iter().map(|id| PersonId(*id)).collect();
            let decisions = self.person_decisions(p, Perm::PersonRead, ambito.id, &persons).await?;
            let shown: Vec<(i64, bool)> = chunk
                .iter()
                .zip(decisions)
                .filter_map(|(id, d)| match d {
                    PersonDecision::Allow | PersonDecision::AllowBreakGlass => Some((*id, false)),
                    PersonDecision::NeedBreakGlass => Some((*id, true)),
                    PersonDecision::Deny => None,
                })
                .take(limit - hits.len())
                .collect();
            let mut conn = self.store.read().await?;
            let rows = store::persons_by_ids(&mut conn, &shown.iter().map(|(id, _)| *id).collect::<Vec<_>>()).await?;
            drop(conn);
            for (id, needs_break_glass) in shown {
                if let Some(person) = rows.iter().find(|r| r.id == id) {
                    hits.push(PersonHit { person: person.clone(), needs_break_glass });
                }
            }
            if hits.len() == limit {
                break;
            }
        }
        let mut ev = actor_event(Some(p), "person.search", &format!("ambiti/{}/persone?q", ambito.code));
        ev.ambito = Some(ambito.code.clone());
        ev.ip = ip.map(str::to_string);
        ev.reason = Some(format!("{} risultati", hits.len()));
        self.audit(ev).await?;
        Ok(hits)
    }
}
