//! Budgets with funding sources: `anno;codice_servizio;fase;fonte;importo`, where `fase` is
//! `stanziato` (allocated), `impegnato` (committed) or `liquidato` (paid).

use crate::intake::Cells;
use crate::intake::table::read_table;
use crate::intake::{Batch, ImportOutcome};
use crate::problems::{Findings, Msg};
use crate::{App, Progress, Result};
use ambito_domain::fixed::{MONEY_SCALE, to_units};
use ambito_store as store;
use std::collections::HashMap;

pub const COLUMNS: [&str; 5] = ["anno", "codice_servizio", "fase", "fonte", "importo"];
pub const PHASES: [&str; 3] = ["stanziato", "impegnato", "liquidato"];

impl App {
    pub async fn import_budget(&self, file: &str, bytes: &[u8], ambito_code: &str, progress: &dyn Progress) -> Result<ImportOutcome> {
        let mut f = Findings::default();
        let mut conn = self.store.read().await?;
        let Some(ambito) = store::ambito_by_code(&mut conn, ambito_code).await? else {
            f.error(file, None, None, Msg::new(format!("Ambito «{ambito_code}» inesistente"), format!("no Ambito «{ambito_code}»")));
            return Ok(ImportOutcome::rejected(file, f));
        };
        let services: HashMap<String, i64> =
            store::list_services(&mut conn, ambito.id).await?.into_iter().map(|s| (s.code, s.id)).collect();
        drop(conn);
        let Some(rows) = parse(file, bytes, &services, &mut f, progress) else { return Ok(ImportOutcome::rejected(file, f)) };
        let mut batch = Batch::begin(self, "budget", file, bytes).await?;
        let tx = &mut batch.tx;
        let mut sources = HashMap::new();
        for (year, service, phase, source, cents) in &rows {
            let source_id = match sources.get(source) {
                Some(id) => *id,
                None => {
                    let id = store::ensure_funding_source(tx, source).await?;
                    sources.insert(source.clone(), id);
                    id
                }
            };
            store::upsert_budget_line(tx, *service, *year, phase, source_id, *cents).await?;
        }
        batch.commit(Some(ambito.id), rows.len(), f).await
    }
}

/// One budget line: (year, service id, phase, funding source, cents).
pub type BudgetLine = (i64, i64, String, String, i64);

/// Reads and checks a budget file against the Ambito's services (code → id), without the
/// database: the lines to write, or `None` after recording every problem.
pub fn parse(
    file: &str,
    bytes: &[u8],
    services: &HashMap<String, i64>,
    f: &mut Findings,
    progress: &dyn Progress,
) -> Option<Vec<BudgetLine>> {
    let table = read_table(file, bytes, f)?;
    let idx = table.columns(&COLUMNS, &[], f)?;
    let mut rows = Vec::new();
    let mut seen: HashMap<(i64, i64, String, String), usize> = HashMap::new();
    progress.start("validazione", table.rows.len() as u64);
    for (line, cells) in &table.rows {
        progress.advance(1);
        let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &COLUMNS };
        let year = c.int_in(0, 1990..=2100, f);
        let code = c.text(1);
        let service = services.get(code).copied();
        if service.is_none() {
            c.error(f, 1, format!("servizio «{code}» inesistente nell'Ambito"), format!("no service «{code}» in the Ambito"));
        }
        let phase = c.text(2).to_lowercase();
        if !PHASES.contains(&phase.as_str()) {
            c.error(
                f,
                2,
                format!("fase «{phase}» non valida: {}", PHASES.join(", ")),
                format!("invalid phase «{phase}»: {}", PHASES.join(", ")),
            );
        }
        let source = c.text(3).to_string();
        if source.is_empty() {
            c.error(f, 3, "fonte di finanziamento mancante", "missing funding source");
        }
        let amount = match c.text(4) {
            "-" => Ok(Some(rust_decimal::Decimal::ZERO)),
            _ => c.amount(4, 2, f),
        };
        let amount = match amount {
            Ok(Some(a)) => Some(a),
            Ok(None) => {
                c.error(f, 4, "importo mancante", "missing amount");
                None
            }
            Err(crate::intake::Reported) => None,
        };
        let (Some(year), Some(service), Some(amount)) = (year, service, amount) else { continue };
        if source.is_empty() || !PHASES.contains(&phase.as_str()) {
            continue;
        }
        if let Some(first) = seen.insert((year, service, phase.clone(), source.clone()), *line) {
            c.error(f, 3, format!("riga ripetuta (già alla riga {first})"), format!("duplicate row (already on line {first})"));
            continue;
        }
        rows.push((year, service, phase, source, to_units(amount, MONEY_SCALE).unwrap_or(0)));
    }
    progress.finish();
    (!f.has_errors()).then_some(rows)
}
