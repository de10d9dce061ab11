//! `ambito import cases FILE --ambito CODE`: the prese in carico of an Ambito's old system
//! (docs/import-formats.md). The persons must be in the registry already (`import persons`).
//! A case is keyed by (person, Ambito, service, opening day): re-importing the same file changes
//! nothing, and a later file with a new state, closing day or manager records the change as an
//! event (or a new manager period), keeping the old ones. All rows or none, like every import.

use super::import_persons::today;
use super::import_rows::{CaseLine, case_names, k, parse_case};
use crate::access::Actor;
use crate::intake::table::read_table;
use crate::intake::{Batch, Cells, ImportOutcome};
use crate::problems::{Findings, Msg};
use crate::{App, Progress, Result};
use ambito_domain::access::{DEFAULT_ROLES, Perm};
use ambito_store as store;
use std::collections::HashMap;

/// What a cases import did.
#[derive(Debug, Clone, Default)]
pub struct CasesImported {
    pub outcome: ImportOutcome,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// A row with everything it names resolved.
struct Resolved {
    row: CaseLine,
    person_id: i64,
    state: String,
    manager_id: Option<i64>,
}

impl App {
    pub async fn import_cases(
        &self,
        actor: &Actor<'_>,
        file: &str,
        bytes: &[u8],
        ambito_code: &str,
        progress: &dyn Progress,
    ) -> Result<CasesImported> {
        let rejected = |f: Findings| CasesImported { outcome: ImportOutcome::rejected(file, f), ..CasesImported::default() };
        let ambito = self.ambito(ambito_code).await?;
        let mut f = Findings::default();
        let Some(table) = read_table(file, bytes, &mut f) else { return Ok(rejected(f)) };
        let (required, optional) = case_names();
        let Some(idx) = table.columns(&required, &optional, &mut f) else { return Ok(rejected(f)) };
        let names: Vec<&str> = required.iter().chain(&optional).copied().collect();
        let today = today();
        let mut conn = self.store.read().await?;
        let services: Vec<String> = store::list_services(&mut conn, ambito.id).await?.into_iter().map(|s| s.code).collect();
        let states: HashMap<String, bool> = store::import_case_states(&mut conn).await?.into_iter().collect();
        let mut users: HashMap<String, Option<i64>> = HashMap::new();
        let mut lines: Vec<(CaseLine, Option<i64>)> = Vec::new();
        progress.start("validazione", table.rows.len() as u64);
        for (line, cells) in &table.rows {
            progress.advance(1);
            let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &names };
            let Some(r) = parse_case(&c, today, &mut f) else { continue };
            let mut ok = true;
            if !services.contains(&r.service) {
                c.error(
                    &mut f,
                    k::SERVIZIO,
                    format!("servizio «{}» non presente nel catalogo di {}", r.service, ambito.code),
                    format!("service «{}» is not in the catalogue of {}", r.service, ambito.code),
                );
                ok = false;
            }
            if let Some(s) = &r.state {
                match states.get(s) {
                    None => {
                        let known: Vec<&str> = states.keys().map(String::as_str).collect();
                        c.error(
                            &mut f,
                            k::STATO,
                            format!("stato «{s}» sconosciuto; ammessi: {}", sorted(known)),
                            format!("unknown state «{s}»; allowed: {}", sorted(states.keys().map(String::as_str).collect())),
                        );
                        ok = false;
                    }
                    Some(closed) if *closed != r.closed_on.is_some() => {
                        let (it, en) = if *closed {
                            ("uno stato di chiusura richiede la data di chiusura", "a closing state needs the closing date")
                        } else {
                            (
                                "un caso con data di chiusura deve avere uno stato di chiusura",
                                "a case with a closing date needs a closing state",
                            )
                        };
                        c.error(&mut f, k::STATO, it, en);
                        ok = false;
                    }
                    Some(_) => {}
                }
            }
            let mut manager = None;
            if let Some(u) = &r.manager {
                if !users.contains_key(u) {
                    let id = case_worker(&mut conn, u, ambito.id).await?;
                    users.insert(u.clone(), id);
                }
                manager = users[u];
                if manager.is_none() {
                    c.error(
                        &mut f,
                        k::OPERATORE,
                        format!("operatore «{u}» sconosciuto o senza un ruolo di presa in carico in {}", ambito.code),
                        format!("user «{u}» is unknown or has no case-work role in {}", ambito.code),
                    );
                    ok = false;
                }
            }
            if ok {
                lines.push((r, manager));
            }
        }
        progress.finish();
        let codes: Vec<&str> = lines.iter().map(|(r, _)| r.cf.as_str()).collect();
        let persons: HashMap<String, i64> =
            store::persons_by_codes(&mut conn, &codes).await?.into_iter().map(|p| (p.codice_fiscale, p.id)).collect();
        let existing: HashMap<(i64, String, String), store::ImportedCaseRow> = store::cases_for_import(&mut conn, ambito.id)
            .await?
            .into_iter()
            .map(|c| ((c.person_id, c.service_code.clone().unwrap_or_default(), c.opened_on.clone()), c))
            .collect();
        drop(conn);
        let mut seen: HashMap<(i64, String, String), usize> = HashMap::new();
        let mut resolved = Vec::new();
        for (row, manager_id) in lines {
            let Some(&person_id) = persons.get(&row.cf) else {
                f.error(
                    file,
                    Some(row.line),
                    Some("codice_fiscale"),
                    Msg::new(
                        format!("persona {} non presente nell'anagrafe: importarla prima con «ambito import persons»", row.cf),
                        format!("person {} is not in the registry: import it first with «ambito import persons»", row.cf),
                    ),
                );
                continue;
            };
            let key = (person_id, row.service.clone(), row.opened_on.clone());
            if let Some(first) = seen.insert(key, row.line) {
                f.error(
                    file,
                    Some(row.line),
                    Some("data_apertura"),
                    Msg::new(
                        format!("stesso caso (persona, servizio, data di apertura) già alla riga {first}"),
                        format!("the same case (person, service, opening day) is already on line {first}"),
                    ),
                );
                continue;
            }
            let state = row.state.clone().unwrap_or_else(|| if row.closed_on.is_some() { "chiuso" } else { "erogazione" }.into());
            resolved.push(Resolved { row, person_id, state, manager_id });
        }
        if f.has_errors() {
            return Ok(rejected(f));
        }
        let mut batch = Batch::begin(self, "cases", file, bytes).await?;
        let (mut created, mut updated, mut unchanged) = (0, 0, 0);
        let today_iso = crate::questionnaire::today();
        progress.start("scrittura", resolved.len() as u64);
        for x in &resolved {
            progress.advance(1);
            let r = &x.row;
            let new = store::ImportedCase {
                person_id: x.person_id,
                service_code: &r.service,
                provider: r.provider.as_deref(),
                opened_on: &r.opened_on,
                closed_on: r.closed_on.as_deref(),
                state: &x.state,
                need_area: r.need_area.as_deref(),
                manager_id: x.manager_id,
            };
            let reason = format!("importazione {file}, riga {}", r.line);
            match existing.get(&(x.person_id, r.service.clone(), r.opened_on.clone())) {
                None => {
                    store::insert_imported_case(&mut batch.tx, ambito.id, &new, &reason).await?;
                    created += 1;
                }
                Some(old) if same(old, &new) => unchanged += 1,
                Some(old) => {
                    store::update_imported_case(&mut batch.tx, old, &new, &today_iso, &reason).await?;
                    updated += 1;
                }
            }
            store::register_in_ambito(&mut batch.tx, x.person_id, ambito.id, &r.opened_on, actor.principal.map(|p| p.user_id)).await?;
        }
        progress.finish();
        let mut ev =
            actor.event("case.import", &format!("casi: {created} nuovi, {updated} aggiornati, {unchanged} invariati"), Some(&ambito.code));
        ev.reason = Some(file.to_string());
        self.audit_in(&mut batch.tx, ev).await?;
        let outcome = batch.commit(Some(ambito.id), resolved.len(), f).await?;
        Ok(CasesImported { outcome, created, updated, unchanged })
    }
}

fn sorted(mut v: Vec<&str>) -> String {
    v.sort_unstable();
    v.join(", ")
}

fn same(old: &store::ImportedCaseRow, new: &store::ImportedCase<'_>) -> bool {
    old.provider.as_deref() == new.provider
        && old.closed_on.as_deref() == new.closed_on
        && old.state == new.state
        && old.need_area.as_deref() == new.need_area
        && old.manager_id == new.manager_id
}

/// The user's id when they hold, in this Ambito, a role that may write person records.
async fn case_worker(conn: &mut store::AnyConnection, username: &str, ambito_id: i64) -> Result<Option<i64>> {
    let Some(u) = store::user_by_username(conn, username).await? else { return Ok(None) };
    let roles = store::user_roles(conn, u.id).await?;
    let works_here = roles.iter().any(|r| {
        r.ambito_id == Some(ambito_id)
            && DEFAULT_ROLES
                .iter()
                .any(|d| d.code == r.role && d.permissions.contains(&Perm::PersonWrite) && d.permissions.contains(&Perm::ScopeCareTeam))
    });
    Ok(works_here.then_some(u.id))
}
