use crate::Result;
use ambito_domain::fixed::money_from_units;
use rust_decimal::Decimal;
use sqlx::{AnyConnection, Row};

pub async fn ensure_funding_source(conn: &mut AnyConnection, name: &str) -> Result<i64> {
    if let Some(r) = sqlx::query("SELECT id FROM funding_source WHERE name = $1").bind(name).fetch_optional(&mut *conn).await? {
        return Ok(r.try_get(0)?);
    }
    let next: i64 = sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 FROM funding_source").fetch_one(&mut *conn).await?.try_get(0)?;
    let row = sqlx::query("INSERT INTO funding_source (name, position) VALUES ($1, $2) RETURNING id")
        .bind(name)
        .bind(next)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get(0)?)
}

pub async fn list_funding_sources(conn: &mut AnyConnection) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT name FROM funding_source ORDER BY position").fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

pub async fn upsert_budget_line(
    conn: &mut AnyConnection,
    service_id: i64,
    year: i64,
    phase: &str,
    source_id: i64,
    cents: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO budget_line (service_id, year, phase, source_id, amount_cents) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (service_id, year, phase, source_id) DO UPDATE SET amount_cents = excluded.amount_cents",
    )
    .bind(service_id)
    .bind(year)
    .bind(phase)
    .bind(source_id)
    .bind(cents)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendingCell {
    pub area: String,
    pub source: String,
    pub amount: Decimal,
}

/// Budget of one phase summed by area and funding source.
pub async fn spending_by_area(conn: &mut AnyConnection, ambito_id: i64, year: i64, phase: &str) -> Result<Vec<SpendingCell>> {
    let rows = sqlx::query(
        "SELECT a.name, f.name, CAST(SUM(b.amount_cents) AS BIGINT) FROM budget_line b \
         JOIN service s ON s.id = b.service_id JOIN area a ON a.id = s.area_id JOIN funding_source f ON f.id = b.source_id \
         WHERE s.ambito_id = $1 AND b.year = $2 AND b.phase = $3 GROUP BY a.name, f.name, a.position, f.position \
         ORDER BY a.position, f.position",
    )
    .bind(ambito_id)
    .bind(year)
    .bind(phase)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok(SpendingCell { area: r.try_get(0)?, source: r.try_get(1)?, amount: money_from_units(r.try_get(2)?) })).collect()
}

/// Totals by phase (stanziato, impegnato, liquidato) for each service of an Ambito in a year.
pub async fn budget_phases(conn: &mut AnyConnection, ambito_id: i64, year: i64) -> Result<Vec<(i64, String, Decimal)>> {
    let rows = sqlx::query(
        "SELECT b.service_id, b.phase, CAST(SUM(b.amount_cents) AS BIGINT) FROM budget_line b JOIN service s ON s.id = b.service_id \
         WHERE s.ambito_id = $1 AND b.year = $2 GROUP BY b.service_id, b.phase",
    )
    .bind(ambito_id)
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, money_from_units(r.try_get(2)?)))).collect()
}
