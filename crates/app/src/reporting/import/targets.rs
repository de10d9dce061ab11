//! Named target populations: `codice_ambito;nome;eta_min;eta_max;comuni;valore`. Either an age band
//! (`comuni` blank for the whole Ambito, else ISTAT codes separated by `,`) or an explicit `valore`.

use crate::intake::Cells;
use crate::intake::table::read_table;
use crate::intake::{Batch, ImportOutcome};
use crate::problems::Findings;
use crate::{App, Progress, Result};
use ambito_store as store;
use std::collections::HashMap;

pub const COLUMNS: [&str; 6] = ["codice_ambito", "nome", "eta_min", "eta_max", "comuni", "valore"];

impl App {
    pub async fn import_targets(&self, file: &str, bytes: &[u8], progress: &dyn Progress) -> Result<ImportOutcome> {
        let mut f = Findings::default();
        let Some(table) = read_table(file, bytes, &mut f) else { return Ok(ImportOutcome::rejected(file, f)) };
        let Some(idx) = table.columns(&COLUMNS, &[], &mut f) else { return Ok(ImportOutcome::rejected(file, f)) };
        let mut conn = self.store.read().await?;
        let mut ambiti: HashMap<String, Option<(i64, Vec<String>)>> = HashMap::new();
        let mut rows = Vec::new();
        progress.start("validazione", table.rows.len() as u64);
        for (line, cells) in &table.rows {
            progress.advance(1);
            let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &COLUMNS };
            let code = c.text(0).to_string();
            if !ambiti.contains_key(&code) {
                let found = match store::ambito_by_code(&mut conn, &code).await? {
                    Some(a) => Some((a.id, store::list_comuni(&mut conn, a.id).await?.into_iter().map(|c| c.istat_code).collect())),
                    None => None,
                };
                ambiti.insert(code.clone(), found);
            }
            let Some((ambito_id, comuni)) = ambiti[&code].clone() else {
                c.error(&mut f, 0, format!("Ambito «{code}» inesistente"), format!("no Ambito «{code}»"));
                continue;
            };
            rows.push((ambito_id, parse_row(&c, &comuni, &mut f)));
        }
        progress.finish();
        drop(conn);
        if f.has_errors() {
            return Ok(ImportOutcome::rejected(file, f));
        }
        let mut batch = Batch::begin(self, "targets", file, bytes).await?;
        let tx = &mut batch.tx;
        for (ambito_id, t) in &rows {
            store::upsert_target(tx, *ambito_id, t).await?;
        }
        batch.commit(None, rows.len(), f).await
    }
}

/// Parses one row without the database, given the ISTAT codes of its Ambito's Comuni. The row
/// is returned even when it has problems: they are all recorded in `f`.
pub fn parse_row(c: &Cells, comuni: &[String], f: &mut Findings) -> store::TargetRow {
    let name = c.text(1).to_string();
    if name.is_empty() {
        c.error(f, 1, "nome mancante", "missing name");
    } else if ambito_domain::number::parse_decimal(&name, c.table.style).is_ok() {
        c.error(f, 1, "il nome non può essere un numero", "the name cannot be a number");
    }
    let age_min = (!c.text(2).is_empty()).then(|| c.int_in(2, 0..=100, f)).flatten();
    let age_max = (!c.text(3).is_empty()).then(|| c.int_in(3, 0..=100, f)).flatten();
    let value = c.amount(5, 2, f).ok().flatten();
    let listed: Vec<String> = c.text(4).split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    for code in &listed {
        if !comuni.contains(code) {
            c.error(f, 4, format!("Comune {code} non appartiene all'Ambito"), format!("Comune {code} is not in the Ambito"));
        }
    }
    match (age_min, value) {
        (Some(_), Some(_)) => {
            c.error(f, 5, "indicare una fascia d'età oppure un valore, non entrambi", "give an age band or a value, not both")
        }
        (None, None) => c.error(f, 2, "indicare eta_min oppure valore", "give eta_min or valore"),
        _ => {}
    }
    if let (Some(lo), Some(hi)) = (age_min, age_max)
        && hi < lo
    {
        c.error(f, 3, "eta_max minore di eta_min", "eta_max is less than eta_min");
    }
    store::TargetRow {
        name,
        age_min,
        age_max,
        comuni: (!listed.is_empty()).then(|| listed.join(",")),
        explicit_value: value.map(|v| v.to_string()),
    }
}
