//! The territory: `codice_regione;regione;codice_ats;ats;codice_distretto;distretto;codice_ambito;ambito;codice_istat;comune`.

use crate::intake::Cells;
use crate::intake::table::read_table;
use crate::intake::{Batch, ImportOutcome};
use crate::problems::Findings;
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
        let Some(rows) = parse(file, bytes, &mut f) else { return Ok(ImportOutcome::rejected(file, f)) };
        let mut batch = Batch::begin(self, "territory", file, bytes).await?;
        let tx = &mut batch.tx;
        progress.start("scrittura", rows.len() as u64);
        for v in &rows {
            let regione = store::ensure_regione(tx, &v[0], &v[1]).await?;
            let ats = store::ensure_ats(tx, regione, &v[2], &v[3]).await?;
            let distretto = store::ensure_distretto(tx, ats, &v[4], &v[5]).await?;
            let ambito = store::ensure_ambito(tx, &v[6], &v[7], Some(distretto)).await?;
            store::ensure_comune(tx, ambito, &v[8], &v[9]).await?;
            progress.advance(1);
        }
        progress.finish();
        batch.commit(None, rows.len(), f).await
    }
}

/// Reads and checks a territory file, without the database: the rows to write (the ten columns
/// in order), or `None` after recording every problem.
pub fn parse(file: &str, bytes: &[u8], f: &mut Findings) -> Option<Vec<Vec<String>>> {
    let table = read_table(file, bytes, f)?;
    let idx = table.columns(&COLUMNS, &[], f)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, cells) in &table.rows {
        let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &COLUMNS };
        let mut values = Vec::new();
        for k in 0..COLUMNS.len() {
            let v = c.text(k).to_string();
            if v.is_empty() {
                c.error(f, k, "valore obbligatorio mancante", "required value is missing");
            }
            values.push(v);
        }
        let istat = &values[8];
        if !(istat.len() == 6 && istat.chars().all(|ch| ch.is_ascii_digit())) {
            c.error(f, 8, format!("codice ISTAT di 6 cifre atteso: «{istat}»"), format!("6-digit ISTAT code expected: «{istat}»"));
        } else if let Some(first) = seen.insert(istat.clone(), *line) {
            c.error(
                f,
                8,
                format!("Comune {istat} ripetuto (già alla riga {first})"),
                format!("Comune {istat} repeated (already on line {first})"),
            );
        }
        rows.push(values);
    }
    (!f.has_errors()).then_some(rows)
}
