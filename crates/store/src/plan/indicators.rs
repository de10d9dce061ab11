use crate::Result;
use sqlx::{AnyConnection, Row};

/// One indicator of an objective's set. Codes of kind, level, measure, direction and frequency
/// are those of `ambito_domain::plan`; `link` is a `LinkRef` text, or `None` for manual entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct IndicatorRow {
    pub id: i64,
    pub objective_id: i64,
    pub code: String,
    pub position: i64,
    pub text: String,
    pub kind: String,
    pub level: String,
    pub measure: String,
    pub direction: String,
    pub baseline_value: Option<String>,
    pub baseline_year: Option<i64>,
    pub target_value: Option<String>,
    pub target_date: Option<String>,
    pub frequency: String,
    pub link: Option<String>,
    pub target_population: Option<String>,
    pub evidence_note: Option<String>,
    pub ancestor_id: Option<i64>,
}

const COLS: &str = "id, objective_id, code, position, text, kind, level, measure, direction, baseline_value, baseline_year, \
     target_value, target_date, frequency, link, target_population, evidence_note, ancestor_id";

fn indicator_from(r: &sqlx::any::AnyRow) -> Result<IndicatorRow> {
    Ok(IndicatorRow {
        id: r.try_get(0)?,
        objective_id: r.try_get(1)?,
        code: r.try_get(2)?,
        position: r.try_get(3)?,
        text: r.try_get(4)?,
        kind: r.try_get(5)?,
        level: r.try_get(6)?,
        measure: r.try_get(7)?,
        direction: r.try_get(8)?,
        baseline_value: r.try_get(9)?,
        baseline_year: r.try_get(10)?,
        target_value: r.try_get(11)?,
        target_date: r.try_get(12)?,
        frequency: r.try_get(13)?,
        link: r.try_get(14)?,
        target_population: r.try_get(15)?,
        evidence_note: r.try_get(16)?,
        ancestor_id: r.try_get(17)?,
    })
}

/// Creates or updates the indicator keyed by (objective, code); returns its id.
pub async fn upsert_indicator(conn: &mut AnyConnection, i: &IndicatorRow) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO plan_indicator (objective_id, code, position, text, kind, level, measure, direction, baseline_value, \
         baseline_year, target_value, target_date, frequency, link, target_population, evidence_note, ancestor_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (objective_id, code) DO UPDATE SET position = excluded.position, text = excluded.text, kind = excluded.kind, \
         level = excluded.level, measure = excluded.measure, direction = excluded.direction, baseline_value = excluded.baseline_value, \
         baseline_year = excluded.baseline_year, target_value = excluded.target_value, target_date = excluded.target_date, \
         frequency = excluded.frequency, link = excluded.link, target_population = excluded.target_population, \
         evidence_note = excluded.evidence_note, ancestor_id = excluded.ancestor_id RETURNING id",
    )
    .bind(i.objective_id)
    .bind(&i.code)
    .bind(i.position)
    .bind(&i.text)
    .bind(&i.kind)
    .bind(&i.level)
    .bind(&i.measure)
    .bind(&i.direction)
    .bind(&i.baseline_value)
    .bind(i.baseline_year)
    .bind(&i.target_value)
    .bind(&i.target_date)
    .bind(&i.frequency)
    .bind(&i.link)
    .bind(&i.target_population)
    .bind(&i.evidence_note)
    .bind(i.ancestor_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn indicators_of(conn: &mut AnyConnection, objective_id: i64) -> Result<Vec<IndicatorRow>> {
    let sql = format!("SELECT {COLS} FROM plan_indicator WHERE objective_id = $1 ORDER BY position, id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(objective_id).fetch_all(&mut *conn).await?;
    rows.iter().map(indicator_from).collect()
}

pub async fn indicator_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<IndicatorRow>> {
    let sql = format!("SELECT {COLS} FROM plan_indicator WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(indicator_from).transpose()
}

/// Deletes an indicator and its values in every round.
pub async fn delete_indicator(conn: &mut AnyConnection, id: i64) -> Result<()> {
    for sql in [
        "DELETE FROM plan_value WHERE indicator_id = $1",
        "UPDATE plan_indicator SET ancestor_id = NULL WHERE ancestor_id = $1",
        "DELETE FROM plan_indicator WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}
