//! `ambito import persons FILE --ambito CODE`: an Ambito's persons from its old system, the
//! contract of docs/import-formats.md. Every row is validated first and every problem reported
//! (file, line, column, reason); a file with any error changes nothing. A valid file is applied
//! in one transaction: new persons are created, a known codice fiscale is updated only where the
//! file differs (the old values go to `person_revision`), and everyone in the file is registered
//! in the Ambito so its front desk finds them. Re-importing the same file changes nothing.

use super::import_rows::{PersonLine, parse_person, person_names};
use crate::access::Actor;
use crate::intake::table::read_table;
use crate::intake::{Batch, Cells, ImportOutcome};
use crate::problems::{Findings, Msg};
use crate::{App, AppError, Progress, Result};
use ambito_domain::date::Day;
use ambito_store as store;
use std::collections::HashMap;

/// What a persons import did, besides the outcome every import has.
#[derive(Debug, Clone, Default)]
pub struct PersonsImported {
    pub outcome: ImportOutcome,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl PersonsImported {
    fn rejected(file: &str, f: Findings) -> PersonsImported {
        PersonsImported { outcome: ImportOutcome::rejected(file, f), ..PersonsImported::default() }
    }
}

/// Today (UTC), for "not in the future".
pub(crate) fn today() -> Day {
    super::today()
}

/// A fresh pseudonymous key for the delivery files: `P` and 15 random hex digits.
fn fresh_key() -> Result<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("generatore casuale non disponibile: {e}")))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    Ok(format!("P{}", &hex[..15]))
}

impl App {
    pub async fn import_persons(
        &self,
        actor: &Actor<'_>,
        file: &str,
        bytes: &[u8],
        ambito_code: &str,
        progress: &dyn Progress,
    ) -> Result<PersonsImported> {
        let ambito = self.ambito(ambito_code).await?;
        let mut f = Findings::default();
        let Some(table) = read_table(file, bytes, &mut f) else { return Ok(PersonsImported::rejected(file, f)) };
        let (required, optional) = person_names();
        let Some(idx) = table.columns(&required, &optional, &mut f) else { return Ok(PersonsImported::rejected(file, f)) };
        let names: Vec<&str> = required.iter().chain(&optional).copied().collect();
        let today = today();
        progress.start("validazione", table.rows.len() as u64);
        let mut rows: Vec<PersonLine> = Vec::with_capacity(table.rows.len());
        let mut by_cf: HashMap<String, usize> = HashMap::new();
        let mut by_key: HashMap<String, (usize, String)> = HashMap::new();
        for (line, cells) in &table.rows {
            progress.advance(1);
            let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &names };
            let Some(r) = parse_person(&c, today, &mut f) else { continue };
            if let Some(first) = by_cf.insert(r.cf.clone(), r.line) {
                c.error(
                    &mut f,
                    0,
                    format!("codice fiscale ripetuto (già alla riga {first})"),
                    format!("codice fiscale repeated (already on line {first})"),
                );
                continue;
            }
            if let Some(key) = &r.person_key
                && let Some((first, _)) = by_key.insert(key.clone(), (r.line, r.cf.clone()))
            {
                c.error(
                    &mut f,
                    11,
                    format!("codice persona «{key}» ripetuto (già alla riga {first}, per un'altra persona)"),
                    format!("person key «{key}» repeated (already on line {first}, for another person)"),
                );
                continue;
            }
            rows.push(r);
        }
        progress.finish();
        let mut conn = self.store.read().await?;
        let codes: Vec<&str> = rows.iter().map(|r| r.cf.as_str()).collect();
        let existing: HashMap<String, store::PersonRow> =
            store::persons_by_codes(&mut conn, &codes).await?.into_iter().map(|p| (p.codice_fiscale.clone(), p)).collect();
        let keys: Vec<&str> = by_key.keys().map(String::as_str).collect();
        let owners: HashMap<String, String> = store::pseudonym_owners(&mut conn, &keys).await?.into_iter().collect();
        let mut comuni: HashMap<String, bool> = HashMap::new();
        for r in &rows {
            let place = |col: &str, it: String, en: String, f: &mut Findings| f.error(file, Some(r.line), Some(col), Msg::new(it, en));
            if let Some(key) = &r.person_key {
                if let Some(owner) = owners.get(key).filter(|o| **o != r.cf) {
                    place(
                        "codice_persona",
                        format!("codice persona «{key}» già usato da un'altra persona ({owner})"),
                        format!("person key «{key}» already used by another person ({owner})"),
                        &mut f,
                    );
                }
                if let Some(p) = existing.get(&r.cf).filter(|p| p.pseudonym != *key) {
                    // The key links the person's delivery events: changing it would orphan them.
                    place(
                        "codice_persona",
                        format!("la persona ha già il codice persona «{}»: un'importazione non lo cambia", p.pseudonym),
                        format!("the person already has person key «{}»: an import does not change it", p.pseudonym),
                        &mut f,
                    );
                }
            }
            if let Some(code) = &r.comune
                && !comuni.contains_key(code)
            {
                {
                    let known = store::comune_by_istat(&mut conn, code).await?.is_some();
                    comuni.insert(code.clone(), known);
                    if !known {
                        // A residence outside the deployment's territory is legitimate.
                        f.warning(
                            file,
                            Some(r.line),
                            Some("comune_residenza"),
                            Msg::new(
                                format!("Comune {code} non presente nel territorio: accettato come residenza fuori Ambito"),
                                format!("Comune {code} is not in the territory: accepted as a residence outside the Ambito"),
                            ),
                        );
                    }
                }
            }
        }
        let ids: Vec<i64> = existing.values().map(|p| p.id).collect();
        let registered: std::collections::HashSet<i64> = store::registered_among(&mut conn, ambito.id, &ids).await?.into_iter().collect();
        drop(conn);
        if f.has_errors() {
            return Ok(PersonsImported::rejected(file, f));
        }
        let mut batch = Batch::begin(self, "persons", file, bytes).await?;
        let (mut created, mut updated, mut unchanged) = (0, 0, 0);
        let on = today.yyyymmdd();
        let on = format!("{:04}-{:02}-{:02}", on / 10000, on / 100 % 100, on % 100);
        let by = actor.principal.map(|p| p.user_id);
        progress.start("scrittura", rows.len() as u64);
        for r in &rows {
            progress.advance(1);
            let id = match existing.get(&r.cf) {
                None => {
                    let key = match &r.person_key {
                        Some(k) => k.clone(),
                        None => fresh_key()?,
                    };
                    created += 1;
                    store::insert_person(&mut batch.tx, &new_person(r, None, &key)).await?
                }
                Some(old) => {
                    let new = new_person(r, Some(old), &old.pseudonym);
                    if differs(old, &new) {
                        let reason = format!("importazione {file}, riga {}", r.line);
                        store::update_person(&mut batch.tx, old.id, &new, by, &reason).await?;
                        updated += 1;
                    } else {
                        unchanged += 1;
                    }
                    if registered.contains(&old.id) {
                        continue;
                    }
                    old.id
                }
            };
            store::register_in_ambito(&mut batch.tx, id, ambito.id, &on, by).await?;
        }
        progress.finish();
        let mut ev = actor.event(
            "person.import",
            &format!("persone: {created} nuove, {updated} aggiornate, {unchanged} invariate"),
            Some(&ambito.code),
        );
        ev.reason = Some(file.to_string());
        self.audit_in(&mut batch.tx, ev).await?;
        let outcome = batch.commit(Some(ambito.id), rows.len(), f).await?;
        Ok(PersonsImported { outcome, created, updated, unchanged })
    }
}

/// The person as the registry should hold it after this row: the file's values, and where the
/// file leaves a cell blank, what the registry already has.
fn new_person<'a>(r: &'a PersonLine, old: Option<&'a store::PersonRow>, key: &'a str) -> store::NewPerson<'a> {
    let keep = |file: &'a Option<String>, old_value: Option<&'a Option<String>>| -> Option<&'a str> {
        file.as_deref().or_else(|| old_value.and_then(|v| v.as_deref()))
    };
    store::NewPerson {
        codice_fiscale: &r.cf,
        cognome: &r.cognome,
        nome: &r.nome,
        birth_date: &r.birth_date,
        comune_istat: keep(&r.comune, old.map(|o| &o.comune_istat)),
        pseudonym: key,
        identity_kind: "cf",
        sesso: Some(r.sesso.code()),
        birth_place: Some(&r.birth_place),
        citizenship: keep(&r.citizenship, old.map(|o| &o.citizenship)),
        citizenship2: old.and_then(|o| o.citizenship2.as_deref()),
        death_date: old.and_then(|o| o.death_date.as_deref()),
        address: keep(&r.address, old.map(|o| &o.address)),
        phone: keep(&r.phone, old.map(|o| &o.phone)),
        email: keep(&r.email, old.map(|o| &o.email)),
        no_fixed_abode: old.is_some_and(|o| o.no_fixed_abode != 0),
    }
}

/// Whether writing `new` would change any field the file can set.
fn differs(old: &store::PersonRow, new: &store::NewPerson<'_>) -> bool {
    old.cognome != new.cognome
        || old.nome != new.nome
        || old.birth_date != new.birth_date
        || old.comune_istat.as_deref() != new.comune_istat
        || old.sesso.as_deref() != new.sesso
        || old.birth_place.as_deref() != new.birth_place
        || old.citizenship.as_deref() != new.citizenship
        || old.address.as_deref() != new.address
        || old.phone.as_deref() != new.phone
        || old.email.as_deref() != new.email
}
