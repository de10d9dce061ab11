use crate::Result;
use crate::db::now_text;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct RoundRow {
    pub id: i64,
    pub plan_id: i64,
    pub number: i64,
    pub year: i64,
    /// 1 or 2: the semester.
    pub half: i64,
    /// `open` | `closed`.
    pub status: String,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
}

const COLS: &str = "id, plan_id, number, year, half, status, opened_at, closed_at, closed_by";

fn round_from(r: &sqlx::any::AnyRow) -> Result<RoundRow> {
    Ok(RoundRow {
        id: r.try_get(0)?,
        plan_id: r.try_get(1)?,
        number: r.try_get(2)?,
        year: r.try_get(3)?,
        half: r.try_get(4)?,
        status: r.try_get(5)?,
        opened_at: r.try_get(6)?,
        closed_at: r.try_get(7)?,
        closed_by: r.try_get(8)?,
    })
}

/// Creates or replaces round `number` of a plan with exactly these fields (imports restore
/// closed rounds as they were); returns its id.
pub async fn upsert_round(conn: &mut AnyConnection, r: &RoundRow) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO plan_round (plan_id, number, year, half, status, opened_at, closed_at, closed_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (plan_id, number) DO UPDATE SET year = excluded.year, \
         half = excluded.half, status = excluded.status, opened_at = excluded.opened_at, closed_at = excluded.closed_at, \
         closed_by = excluded.closed_by RETURNING id",
    )
    .bind(r.plan_id)
    .bind(r.number)
    .bind(r.year)
    .bind(r.half)
    .bind(&r.status)
    .bind(&r.opened_at)
    .bind(&r.closed_at)
    .bind(&r.closed_by)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Opens the next round of a plan for (year, half); returns it.
pub async fn open_round(conn: &mut AnyConnection, plan_id: i64, year: i64, half: i64) -> Result<RoundRow> {
    let next: i64 = sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 FROM plan_round WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let r = RoundRow { plan_id, number: next, year, half, status: "open".into(), opened_at: now_text(), ..RoundRow::default() };
    let id = upsert_round(conn, &r).await?;
    Ok(RoundRow { id, ..r })
}

/// Marks a round closed. Only an open round closes; returns false when it was not open.
pub async fn close_round(conn: &mut AnyConnection, round_id: i64, closed_by: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE plan_round SET status = 'closed', closed_at = $1, closed_by = $2 WHERE id = $3 AND status = 'open'")
        .bind(now_text())
        .bind(closed_by)
        .bind(round_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn rounds_of(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<RoundRow>> {
    let sql = format!("SELECT {COLS} FROM plan_round WHERE plan_id = $1 ORDER BY number");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(plan_id).fetch_all(&mut *conn).await?;
    rows.iter().map(round_from).collect()
}

pub async fn delete_rounds_of(conn: &mut AnyConnection, plan_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM plan_value WHERE round_id IN (SELECT id FROM plan_round WHERE plan_id = $1)")
        .bind(plan_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM plan_round WHERE plan_id = $1").bind(plan_id).execute(&mut *conn).await?;
    Ok(())
}

/// One indicator's value in one round. Decimals as canonical text; `status` is a
/// `ambito_domain::plan::rules::Status` code; `source` is `manual` or `linked`.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ValueRow {
    pub round_id: i64,
    pub indicator_id: i64,
    pub observed: Option<String>,
    pub denominator: Option<String>,
    pub value: Option<String>,
    pub blank_reason: Option<String>,
    pub status: Option<String>,
    pub source: String,
    pub evidence: Option<String>,
    pub comment: Option<String>,
    pub entered_by: Option<String>,
    pub entered_at: Option<String>,
}

pub async fn upsert_value(conn: &mut AnyConnection, v: &ValueRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO plan_value (round_id, indicator_id, observed, denominator, value, blank_reason, status, source, evidence, \
         comment, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (round_id, indicator_id) DO UPDATE SET observed = excluded.observed, denominator = excluded.denominator, \
         value = excluded.value, blank_reason = excluded.blank_reason, status = excluded.status, source = excluded.source, \
         evidence = excluded.evidence, comment = excluded.comment, entered_by = excluded.entered_by, entered_at = excluded.entered_at",
    )
    .bind(v.round_id)
    .bind(v.indicator_id)
    .bind(&v.observed)
    .bind(&v.denominator)
    .bind(&v.value)
    .bind(&v.blank_reason)
    .bind(&v.status)
    .bind(&v.source)
    .bind(&v.evidence)
    .bind(&v.comment)
    .bind(&v.entered_by)
    .bind(&v.entered_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every stored value of every round of a plan.
pub async fn values_of_plan(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<ValueRow>> {
    let rows = sqlx::query(
        "SELECT v.round_id, v.indicator_id, v.observed, v.denominator, v.value, v.blank_reason, v.status, v.source, v.evidence, \
         v.comment, v.entered_by, v.entered_at FROM plan_value v JOIN plan_round r ON r.id = v.round_id WHERE r.plan_id = $1 \
         ORDER BY r.number, v.indicator_id",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ValueRow {
                round_id: r.try_get(0)?,
                indicator_id: r.try_get(1)?,
                observed: r.try_get(2)?,
                denominator: r.try_get(3)?,
                value: r.try_get(4)?,
                blank_reason: r.try_get(5)?,
                status: r.try_get(6)?,
                source: r.try_get(7)?,
                evidence: r.try_get(8)?,
                comment: r.try_get(9)?,
                entered_by: r.try_get(10)?,
                entered_at: r.try_get(11)?,
            })
        })
        .collect()
}
