//! ISTAT resident population by single year of age and sex (layout of the "Popolazione residente
//! al 1° gennaio" tables): `Codice comune;Comune;Età;Totale maschi;Totale femmine;Totale`.
//! Age `100` (or `100 e oltre`) is 100 and over; age `999` rows are ISTAT's published totals,
//! checked against the rows and never stored.

use crate::intake::Cells;
use crate::intake::table::read_table;
use crate::intake::{Batch, ImportOutcome};
use crate::problems::{Findings, Msg};
use crate::{App, Progress, Result};
use ambito_store as store;
use std::collections::HashMap;

pub const COLUMNS: [&str; 6] = ["codice comune", "comune", "età", "totale maschi", "totale femmine", "totale"];

pub struct PopulationImport {
    /// The year of the 1 January the file describes.
    pub year: i64,
    /// Regional files list Comuni outside the deployment: skip them instead of failing.
    pub skip_unknown_comuni: bool,
}

struct Row {
    comune_id: i64,
    age: i64,
    males: i64,
    females: i64,
}

impl App {
    pub async fn import_population(
        &self,
        file: &str,
        bytes: &[u8],
        opts: PopulationImport,
        progress: &dyn Progress,
    ) -> Result<ImportOutcome> {
        let mut f = Findings::default();
        let Some(table) = read_table(file, bytes, &mut f) else { return Ok(ImportOutcome::rejected(file, f)) };
        let Some(idx) = table.columns(&COLUMNS, &[], &mut f) else { return Ok(ImportOutcome::rejected(file, f)) };
        let mut conn = self.store.read().await?;
        let mut comuni: HashMap<String, Option<i64>> = HashMap::new();
        let mut rows: Vec<Row> = Vec::new();
        let mut seen: HashMap<(i64, i64), usize> = HashMap::new();
        let mut published: Vec<(usize, i64, String, [i64; 3])> = Vec::new();
        let mut skipped = 0usize;
        progress.start("validazione", table.rows.len() as u64);
        for (line, cells) in &table.rows {
            progress.advance(1);
            let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &COLUMNS };
            let Some(row) = parse_row(&c, &mut f) else { continue };
            let code = row.code.clone();
            if !comuni.contains_key(&code) {
                let found = store::comune_by_istat(&mut conn, &code).await?.map(|(c, _)| c.id);
                comuni.insert(code.clone(), found);
            }
            let PopulationRow { age, males: m, females: w, .. } = row;
            if age == PUBLISHED_TOTAL {
                published.push((*line, 0, code, [m, w, m + w]));
                continue;
            }
            let Some(comune_id) = comuni[&code] else {
                if opts.skip_unknown_comuni {
                    skipped += 1;
                } else {
                    c.error(
                        &mut f,
                        0,
                        format!("Comune {code} non presente nel territorio"),
                        format!("Comune {code} is not in the territory"),
                    );
                }
                continue;
            };
            if let Some(first) = seen.insert((comune_id, age), *line) {
                c.error(
                    &mut f,
                    2,
                    format!("età {age} ripetuta per il Comune {code} (già alla riga {first})"),
                    format!("age {age} repeated for Comune {code} (already on line {first})"),
                );
                continue;
            }
            rows.push(Row { comune_id, age, males: m, females: w });
        }
        progress.finish();
        drop(conn);
        for (line, _, code, [m, w, _]) in &published {
            let Some(Some(id)) = comuni.get(code) else { continue };
            let (sm, sw) = rows.iter().filter(|r| r.comune_id == *id).fold((0, 0), |(a, b), r| (a + r.males, b + r.females));
            if (sm, sw) != (*m, *w) {
                f.warning(
                    file,
                    Some(*line),
                    Some("totale"),
                    Msg::new(
                        format!(
                            "totale pubblicato per {code} ({m} M, {w} F) diverso dalla somma delle età ({sm} M, {sw} F): si usa la somma"
                        ),
                        format!("published total for {code} ({m} M, {w} F) differs from the sum of ages ({sm} M, {sw} F): the sum is used"),
                    ),
                );
            }
        }
        if skipped > 0 {
            f.warning(
                file,
                None,
                None,
                Msg::new(format!("{skipped} righe di Comuni non presenti ignorate"), format!("{skipped} rows of unknown Comuni skipped")),
            );
        }
        if f.has_errors() {
            return Ok(ImportOutcome::rejected(file, f));
        }
        let mut batch = Batch::begin(self, "population", file, bytes).await?;
        let tx = &mut batch.tx;
        progress.start("scrittura", rows.len() as u64);
        for r in &rows {
            store::upsert_population(tx, r.comune_id, opts.year, r.age, r.males, r.females).await?;
            progress.advance(1);
        }
        progress.finish();
        batch.commit(None, rows.len(), f).await
    }
}

/// ISTAT's age code for a Comune's published total.
const PUBLISHED_TOTAL: i64 = 999;
/// One row of a population file, before its Comune is looked up: an age, or ISTAT's published
/// total (age 999).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationRow {
    /// The ISTAT code, six digits.
    pub code: String,
    pub age: i64,
    pub males: i64,
    pub females: i64,
}

/// Parses one row without the database; `None` after recording its problems.
pub fn parse_row(c: &Cells, f: &mut Findings) -> Option<PopulationRow> {
    let code = c.text(0).to_string();
    if !code.chars().all(|ch| ch.is_ascii_digit()) || code.is_empty() || code.len() > 6 {
        c.error(f, 0, format!("codice ISTAT non valido «{code}»"), format!("invalid ISTAT code «{code}»"));
        return None;
    }
    let code = format!("{code:0>6}");
    let age_text = c.text(2).to_lowercase();
    let age = if age_text.starts_with("100") { Some(100) } else { c.int_in(2, 0..=PUBLISHED_TOTAL, f) };
    let counts = [c.count(3, f), c.count(4, f), c.count(5, f)];
    let (Some(age), [Ok(Some(m)), Ok(Some(w)), Ok(total)]) = (age, counts) else {
        if age.is_some() && counts.iter().all(|x| x.is_ok()) {
            c.error(f, 3, "conteggi di maschi e femmine obbligatori", "male and female counts are required");
        }
        return None;
    };
    if let Some(t) = total
        && t != m + w
    {
        c.error(
            f,
            5,
            format!("totale {t} diverso da maschi + femmine ({})", m + w),
            format!("total {t} differs from males + females ({})", m + w),
        );
        return None;
    }
    if age > 100 && age != PUBLISHED_TOTAL {
        c.error(f, 2, format!("età non valida: {age}"), format!("invalid age: {age}"));
        return None;
    }
    Some(PopulationRow { code, age, males: m, females: w })
}
