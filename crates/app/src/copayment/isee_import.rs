//! `ambito import isee FILE.csv|xlsx --ambito CODE`: ISEE attestations of persons of the
//! registry, the contract `codice_fiscale;tipo;valore;protocollo_dsu;data_dsu;valido_fino`
//! (docs/import-formats.md). Every row is checked first (`domain::copayment::isee::parse_isee`,
//! and the codice fiscale must name a person of the registry); a file with any error changes
//! nothing. An attestation is keyed by person, DSU protocol and type: the same one again is left
//! as it is, a changed one voids the old row and records the new (the record keeps both).

use crate::access::Actor;
use crate::intake::table::read_table;
use crate::intake::{Batch, Cells, ImportOutcome};
use crate::problems::Findings;
use crate::{App, Progress, Result};
use ambito_domain::copayment::isee::{IseeFields, IseeRecord, parse_isee};
use ambito_domain::number::parse_decimal;
use ambito_store as store;
use std::collections::HashMap;

pub const ISEE_COLUMNS: [&str; 6] = ["codice_fiscale", "tipo", "valore", "protocollo_dsu", "data_dsu", "valido_fino"];

#[derive(Debug, Clone, Default)]
pub struct IseeImported {
    pub outcome: ImportOutcome,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

struct Line {
    line: usize,
    person_id: i64,
    record: IseeRecord,
}

/// The record's stored form: `(tipo, cents, protocol, dsu day, valido_fino)`.
fn stored(r: &IseeRecord) -> (String, Option<i64>, String, String, Option<String>) {
    let cents = ambito_domain::copayment::to_cents(r.valore);
    (r.tipo.code().to_string(), cents, r.protocollo.as_str().to_string(), r.data_dsu.iso(), r.valido_fino.map(|d| d.iso()))
}

impl App {
    pub async fn import_isee(
        &self,
        actor: &Actor<'_>,
        file: &str,
        bytes: &[u8],
        ambito_code: &str,
        progress: &dyn Progress,
    ) -> Result<IseeImported> {
        let rejected = |f: Findings| IseeImported { outcome: ImportOutcome::rejected(file, f), ..IseeImported::default() };
        let ambito = self.ambito(ambito_code).await?;
        let mut f = Findings::default();
        let Some(table) = read_table(file, bytes, &mut f) else { return Ok(rejected(f)) };
        let Some(idx) = table.columns(&ISEE_COLUMNS[..5], &ISEE_COLUMNS[5..], &mut f) else { return Ok(rejected(f)) };
        let codes: Vec<String> =
            table.rows.iter().filter_map(|(_, cells)| idx[0].and_then(|i| cells.get(i)).map(|c| c.trim().to_uppercase())).collect();
        let mut conn = self.store.read().await?;
        let code_refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        let persons: HashMap<String, i64> =
            store::persons_by_codes(&mut conn, &code_refs).await?.into_iter().map(|p| (p.codice_fiscale, p.id)).collect();
        progress.start("validazione", table.rows.len() as u64);
        let mut lines: Vec<Line> = Vec::new();
        let mut seen: HashMap<(i64, String, String), usize> = HashMap::new();
        for (line, cells) in &table.rows {
            progress.advance(1);
            let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &ISEE_COLUMNS };
            let cf = c.text(0).to_uppercase();
            let person = persons.get(&cf).copied();
            if cf.is_empty() {
                c.error(&mut f, 0, "codice fiscale obbligatorio", "codice fiscale is required");
            } else if person.is_none() {
                c.error(
                    &mut f,
                    0,
                    format!("codice fiscale «{cf}» non presente nell'anagrafe delle persone"),
                    format!("codice fiscale «{cf}» is not in the person registry"),
                );
            }
            // The value in the file's own convention, handed on with a decimal comma, which the
            // rule reads unambiguously (`1.234` is a thousand in a `;` file, 1,234 in a `,` one).
            let valore = match parse_decimal(c.text(2), table.style) {
                Ok(v) => v.to_string().replace('.', ","),
                Err(_) => c.text(2).to_string(),
            };
            let fields =
                IseeFields { tipo: c.text(1), valore: &valore, protocollo_dsu: c.text(3), data_dsu: c.text(4), valido_fino: c.text(5) };
            let record = match parse_isee(&fields) {
                Ok(r) => Some(r),
                Err(errors) => {
                    for e in errors {
                        let k = ISEE_COLUMNS.iter().position(|n| *n == e.field).unwrap_or(0);
                        c.error(&mut f, k, e.message.clone(), e.message);
                    }
                    None
                }
            };
            let (Some(person_id), Some(record)) = (person, record) else { continue };
            let key = (person_id, record.protocollo.as_str().to_string(), record.tipo.code().to_string());
            if let Some(first) = seen.insert(key, *line) {
                c.error(
                    &mut f,
                    3,
                    format!("attestazione ripetuta (stessa persona, protocollo e tipo della riga {first})"),
                    format!("attestation repeated (same person, protocol and type as line {first})"),
                );
                continue;
            }
            lines.push(Line { line: *line, person_id, record });
        }
        progress.finish();
        if f.has_errors() {
            return Ok(rejected(f));
        }
        let mut existing: HashMap<i64, Vec<store::IseeRow>> = HashMap::new();
        for l in &lines {
            if let std::collections::hash_map::Entry::Vacant(v) = existing.entry(l.person_id) {
                v.insert(store::isee_of_person(&mut conn, l.person_id).await?);
            }
        }
        drop(conn);
        let mut batch = Batch::begin(self, "isee", file, bytes).await?;
        let by = actor.principal.map(|p| p.user_id);
        let (mut created, mut updated, mut unchanged) = (0, 0, 0);
        progress.start("scrittura", lines.len() as u64);
        for l in &lines {
            progress.advance(1);
            let (tipo, cents, protocollo, data_dsu, valido_fino) = stored(&l.record);
            let cents = cents.ok_or_else(|| crate::AppError::Internal(format!("riga {}: valore non in centesimi", l.line)))?;
            let same_key: Vec<&store::IseeRow> = existing
                .get(&l.person_id)
                .map(|rows| rows.iter().filter(|r| r.protocollo_dsu == protocollo && r.tipo == tipo).collect())
                .unwrap_or_default();
            if same_key.iter().any(|r| r.valore_cents == cents && r.data_dsu == data_dsu && r.valido_fino == valido_fino) {
                unchanged += 1;
                continue;
            }
            for old in &same_key {
                store::void_isee(&mut batch.tx, old.id, by, &format!("corretta da {file}, riga {}", l.line)).await?;
            }
            if same_key.is_empty() {
                created += 1;
            } else {
                updated += 1;
            }
            let new = store::NewIsee {
                person_id: l.person_id,
                ambito_id: ambito.id,
                tipo: &tipo,
                valore_cents: cents,
                protocollo_dsu: &protocollo,
                data_dsu: &data_dsu,
                valido_fino: valido_fino.as_deref(),
                source: "importazione",
                recorded_by: by,
            };
            store::insert_isee(&mut batch.tx, &new).await?;
        }
        progress.finish();
        let mut ev =
            actor.event("isee.import", &format!("ISEE: {created} nuove, {updated} corrette, {unchanged} invariate"), Some(&ambito.code));
        ev.reason = Some(file.to_string());
        self.audit_in(&mut batch.tx, ev).await?;
        let outcome = batch.commit(Some(ambito.id), lines.len(), f).await?;
        Ok(IseeImported { outcome, created, updated, unchanged })
    }
}
