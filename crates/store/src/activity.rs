use crate::Result;
use crate::db::now_text;
use ambito_domain::fixed::{MONEY_SCALE, money_from_units, to_units};
use ambito_domain::measures::{Measures, StoredMeasures};
use ambito_domain::rollup::{PeriodRow, roll_up_year};
use rust_decimal::Decimal;
use sqlx::{AnyConnection, Row};

/// One activity row. The store converts to and from its storage units (counts as integers,
/// hours in ten-thousandths, money in cents: `ambito_domain::fixed`) itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    pub service_id: i64,
    pub year: i64,
    /// `Y`, `S1`, `S2`, `M01`…`M12`.
    pub period: String,
    /// ISTAT code, or empty for the whole Ambito.
    pub comune_code: String,
    pub measures: Measures,
    pub budget: Option<Decimal>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AggregateRow {
    pub service_id: i64,
    pub measures: Measures,
    pub budget: Option<Decimal>,
    pub source_rows: i64,
}

fn budget_units(budget: Option<Decimal>) -> Option<i64> {
    budget.and_then(|b| to_units(b, MONEY_SCALE))
}

/// The six stored measures from `first` on, then the budget.
fn stored_figures(r: &sqlx::any::AnyRow, first: usize) -> Result<(Measures, Option<Decimal>)> {
    let mut stored: StoredMeasures = [None; 6];
    for (i, m) in stored.iter_mut().enumerate() {
        *m = r.try_get(first + i)?;
    }
    Ok((Measures::from_stored(&stored), r.try_get::<Option<i64>, _>(first + 6)?.map(money_from_units)))
}

const COLS: &str = "utenti, domande, beneficiari, ore_e4, accessi, visite, budget_cents";

/// Writes one activity row and refreshes the service's yearly aggregate in the same transaction.
pub async fn upsert_activity(conn: &mut AnyConnection, rec: &ActivityRecord, origin: &str) -> Result<()> {
    let sql = format!(
        "INSERT INTO activity (service_id, year, period, comune_code, {COLS}, origin, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (service_id, year, period, comune_code) DO UPDATE SET utenti = excluded.utenti, \
         domande = excluded.domande, beneficiari = excluded.beneficiari, ore_e4 = excluded.ore_e4, \
         accessi = excluded.accessi, visite = excluded.visite, budget_cents = excluded.budget_cents, \
         origin = excluded.origin, updated_at = excluded.updated_at"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(rec.service_id).bind(rec.year).bind(&rec.period).bind(&rec.comune_code);
    for m in rec.measures.to_stored() {
        q = q.bind(m);
    }
    q.bind(budget_units(rec.budget)).bind(origin).bind(now_text()).execute(&mut *conn).await?;
    refresh_aggregate(conn, rec.service_id, rec.year).await
}

/// Recomputes one (service, year) aggregate from that key's raw rows only — at most a few hundred
/// rows (13 periods × the Ambito's Comuni) — so a report never scans raw activity. The roll-up
/// rule is `ambito_domain::rollup::roll_up_year`.
pub async fn refresh_aggregate(conn: &mut AnyConnection, service_id: i64, year: i64) -> Result<()> {
    let sql = format!("SELECT comune_code, period, {COLS} FROM activity WHERE service_id = $1 AND year = $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(service_id).bind(year).fetch_all(&mut *conn).await?;
    if rows.is_empty() {
        sqlx::query("DELETE FROM agg_service_year WHERE service_id = $1 AND year = $2")
            .bind(service_id)
            .bind(year)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    let periods = rows
        .iter()
        .map(|r| {
            let (measures, budget) = stored_figures(r, 2)?;
            Ok(PeriodRow { comune: r.try_get(0)?, period: r.try_get(1)?, measures, budget })
        })
        .collect::<Result<Vec<_>>>()?;
    let (measures, budget) = roll_up_year(&periods);
    let sql = format!(
        "INSERT INTO agg_service_year (service_id, year, {COLS}, source_rows) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (service_id, year) DO UPDATE SET \
         utenti = excluded.utenti, domande = excluded.domande, beneficiari = excluded.beneficiari, \
         ore_e4 = excluded.ore_e4, accessi = excluded.accessi, visite = excluded.visite, \
         budget_cents = excluded.budget_cents, source_rows = excluded.source_rows"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(service_id).bind(year);
    for v in measures.to_stored() {
        q = q.bind(v);
    }
    q.bind(budget_units(budget)).bind(rows.len() as i64).execute(&mut *conn).await?;
    Ok(())
}

pub async fn delete_activity(conn: &mut AnyConnection, service_id: i64, year: i64, period: &str, comune_code: &str) -> Result<()> {
    sqlx::query("DELETE FROM activity WHERE service_id = $1 AND year = $2 AND period = $3 AND comune_code = $4")
        .bind(service_id)
        .bind(year)
        .bind(period)
        .bind(comune_code)
        .execute(&mut *conn)
        .await?;
    refresh_aggregate(conn, service_id, year).await
}

/// The live aggregate of every service of an Ambito in a year.
pub async fn aggregates(conn: &mut AnyConnection, ambito_id: i64, year: i64) -> Result<Vec<AggregateRow>> {
    let sql = "SELECT g.service_id, g.utenti, g.domande, g.beneficiari, g.ore_e4, g.accessi, g.visite, g.budget_cents, g.source_rows \
         FROM agg_service_year g JOIN service s ON s.id = g.service_id WHERE s.ambito_id = $1 AND g.year = $2";
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ambito_id).bind(year).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let (measures, budget) = stored_figures(r, 1)?;
            Ok(AggregateRow { service_id: r.try_get(0)?, measures, budget, source_rows: r.try_get(8)? })
        })
        .collect()
}

/// Years that have any activity for the Ambito, newest first.
pub async fn activity_years(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT DISTINCT g.year FROM agg_service_year g JOIN service s ON s.id = g.service_id \
         WHERE s.ambito_id = $1 ORDER BY g.year DESC",
    )
    .bind(ambito_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// Raw rows of an Ambito's year, for the entry grid and for exports.
pub async fn activity_rows(conn: &mut AnyConnection, ambito_id: i64, year: i64) -> Result<Vec<ActivityRecord>> {
    let sql = "SELECT a.service_id, a.year, a.period, a.comune_code, a.utenti, a.domande, a.beneficiari, a.ore_e4, a.accessi, \
         a.visite, a.budget_cents FROM activity a JOIN service s ON s.id = a.service_id \
         WHERE s.ambito_id = $1 AND a.year = $2 ORDER BY s.position, a.period, a.comune_code";
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ambito_id).bind(year).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let (measures, budget) = stored_figures(r, 4)?;
            Ok(ActivityRecord {
                service_id: r.try_get(0)?,
                year: r.try_get(1)?,
                period: r.try_get(2)?,
                comune_code: r.try_get(3)?,
                measures,
                budget,
            })
        })
        .collect()
}
