//! The territory: `codice_regione;regione;codice_ats;ats;codice_distretto;distretto;codice_ambito;ambito;codice_istat;comune`.

use super::cells::Cells;
use super::{ImportOutcome, sha256_hex};
use crate::problems::Findings;
use crate::table::read_table;
use crate::{App, Progress, Result};
use ambito_store as store;
use std::collections::HashMap;

pub const COLUMNS: [&str; 10] = [
    "codice_regione",
    "regione",
    "codice_ats",
    "ats",
    "codice_distretto",
    "distretto",
    "codice_ambito",
    "ambito",
    "codice_istat",
    "comune",
];

impl App {
    pub async fn import_territory(&self, file: &str, bytes: &[u8], progress: &dyn Progress) -> Result<ImportOutcome> {
        let mut f = Findings::default();
        let Some(table) = read_table(file, bytes, &mut f) else { return Ok(ImportOutcome::rejected(file, f)) };
        let Some(idx) = table.columns(&COLUMNS, &[], &mut f) else { return Ok(ImportOutcome::rejected(file, f)) };
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (line, cells) in &table.rows {
            let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &COLUMNS };
            let mut values = Vec::new();
            for k in 0..COLUMNS.len() {
                let v = c.text(k).to_string();
                if v.is_empty() {
                    c.error(&mut f, k, "valore obbligatorio mancante", "required value is missing");
                }
                values.push(v);
            }
            let istat = &values[8];
            if !(istat.len() == 6 && istat.chars().all(|ch| ch.is_ascii_digit())) {
                c.error(&mut f, 8, format!("codice ISTAT di 6 cifre atteso: «{istat}»"), format!("6-digit ISTAT code expected: «{istat}»"));
            } else if let Some(first) = seen.insert(istat.clone(), *line) {
                c.error(
                    &mut f,
                    8,
                    format!("Comune {istat} ripetuto (già alla riga {first})"),
                    format!("Comune {istat} repeated (already on line {first})"),
                );
            }
            rows.push(values);
        }
        if f.has_errors() {
            return Ok(ImportOutcome::rejected(file, f));
        }
        let sha = sha256_hex(bytes);
        let mut tx = self.store.write().await?;
        let previous = store::find_import(&mut tx, None, "territory", &sha).await?;
        progress.start("scrittura", rows.len() as u64);
        for v in &rows {
            let regione = store::ensure_regione(&mut tx, &v[0], &v[1]).await?;
            let ats = store::ensure_ats(&mut tx, regione, &v[2], &v[3]).await?;
            let distretto = store::ensure_distretto(&mut tx, ats, &v[4], &v[5]).await?;
            let ambito = store::ensure_ambito(&mut tx, &v[6], &v[7], Some(distretto)).await?;
            store::ensure_comune(&mut tx, ambito, &v[8], &v[9]).await?;
            progress.advance(1);
        }
        store::record_import(&mut tx, None, "territory", file, &sha, rows.len() as i64).await?;
        tx.commit().await?;
        progress.finish();
        Ok(ImportOutcome {
            file: file.into(),
            rows: rows.len(),
            findings: f,
            applied: true,
            previously_imported_at: previous.map(|p| p.imported_at),
        })
    }
}
