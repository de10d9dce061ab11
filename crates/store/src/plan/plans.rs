use crate::Result;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct PlanRow {
    pub id: i64,
    pub ambito_id: i64,
    pub triennium: String,
    pub title: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: String,
    pub approval_body: Option<String>,
    pub approval_number: Option<String>,
    pub approval_date: Option<String>,
    pub previous_triennium: Option<String>,
    pub notes: Option<String>,
}

const PLAN_COLS: &str = "id, ambito_id, triennium, title, start_date, end_date, status, approval_body, approval_number, \
     approval_date, previous_triennium, notes";

fn plan_from(r: &sqlx::any::AnyRow) -> Result<PlanRow> {
    Ok(PlanRow {
        id: r.try_get(0)?,
        ambito_id: r.try_get(1)?,
        triennium: r.try_get(2)?,
        title: r.try_get(3)?,
        start_date: r.try_get(4)?,
        end_date: r.try_get(5)?,
        status: r.try_get(6)?,
        approval_body: r.try_get(7)?,
        approval_number: r.try_get(8)?,
        approval_date: r.try_get(9)?,
        previous_triennium: r.try_get(10)?,
        notes: r.try_get(11)?,
    })
}

/// Creates or updates the plan of (Ambito, triennium); returns its id.
pub async fn upsert_plan(conn: &mut AnyConnection, p: &PlanRow) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO plan (ambito_id, triennium, title, start_date, end_date, status, approval_body, approval_number, \
         approval_date, previous_triennium, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (ambito_id, triennium) DO UPDATE SET title = excluded.title, start_date = excluded.start_date, \
         end_date = excluded.end_date, status = excluded.status, approval_body = excluded.approval_body, \
         approval_number = excluded.approval_number, approval_date = excluded.approval_date, \
         previous_triennium = excluded.previous_triennium, notes = excluded.notes RETURNING id",
    )
    .bind(p.ambito_id)
    .bind(&p.triennium)
    .bind(&p.title)
    .bind(&p.start_date)
    .bind(&p.end_date)
    .bind(&p.status)
    .bind(&p.approval_body)
    .bind(&p.approval_number)
    .bind(&p.approval_date)
    .bind(&p.previous_triennium)
    .bind(&p.notes)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn plan_by_triennium(conn: &mut AnyConnection, ambito_id: i64, triennium: &str) -> Result<Option<PlanRow>> {
    let sql = format!("SELECT {PLAN_COLS} FROM plan WHERE ambito_id = $1 AND triennium = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ambito_id).bind(triennium).fetch_optional(&mut *conn).await?;
    row.as_ref().map(plan_from).transpose()
}

pub async fn list_plans(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<PlanRow>> {
    let sql = format!("SELECT {PLAN_COLS} FROM plan WHERE ambito_id = $1 ORDER BY triennium DESC");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ambito_id).fetch_all(&mut *conn).await?;
    rows.iter().map(plan_from).collect()
}

/// Every plan of a triennium across Ambiti, for the province view.
pub async fn plans_of_triennium(conn: &mut AnyConnection, triennium: &str) -> Result<Vec<PlanRow>> {
    let sql = format!("SELECT {PLAN_COLS} FROM plan WHERE triennium = $1 ORDER BY ambito_id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(triennium).fetch_all(&mut *conn).await?;
    rows.iter().map(plan_from).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MacroareaRow {
    pub code: String,
    pub name: String,
    /// Regione Lombardia area letters, `C,D,E,J`.
    pub rl_areas: String,
}

pub async fn replace_macroareas(conn: &mut AnyConnection, plan_id: i64, areas: &[MacroareaRow]) -> Result<()> {
    sqlx::query("DELETE FROM plan_macroarea WHERE plan_id = $1").bind(plan_id).execute(&mut *conn).await?;
    for (i, a) in areas.iter().enumerate() {
        sqlx::query("INSERT INTO plan_macroarea (plan_id, code, name, rl_areas, position) VALUES ($1, $2, $3, $4, $5)")
            .bind(plan_id)
            .bind(&a.code)
            .bind(&a.name)
            .bind(&a.rl_areas)
            .bind(i as i64)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn macroareas(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<MacroareaRow>> {
    let rows = sqlx::query("SELECT code, name, rl_areas FROM plan_macroarea WHERE plan_id = $1 ORDER BY position")
        .bind(plan_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(MacroareaRow { code: r.try_get(0)?, name: r.try_get(1)?, rl_areas: r.try_get(2)? })).collect()
}

/// Where an Ambito sits: its own id, its Distretto's and its ATS's (the province), with codes.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Scopes {
    pub ambito_id: i64,
    pub distretto: Option<(i64, String, String)>,
    pub ats: Option<(i64, String, String)>,
}

pub async fn scopes_of(conn: &mut AnyConnection, ambito_id: i64) -> Result<Scopes> {
    let row = sqlx::query(
        "SELECT d.id, d.code, d.name, t.id, t.code, t.name FROM ambito a LEFT JOIN distretto d ON d.id = a.distretto_id \
         LEFT JOIN ats t ON t.id = d.ats_id WHERE a.id = $1",
    )
    .bind(ambito_id)
    .fetch_optional(&mut *conn)
    .await?;
    let mut s = Scopes { ambito_id, ..Scopes::default() };
    if let Some(r) = row {
        let d: Option<i64> = r.try_get(0)?;
        let t: Option<i64> = r.try_get(3)?;
        s.distretto = d.map(|id| -> Result<_> { Ok((id, r.try_get(1)?, r.try_get(2)?)) }).transpose()?;
        s.ats = t.map(|id| -> Result<_> { Ok((id, r.try_get(4)?, r.try_get(5)?)) }).transpose()?;
    }
    Ok(s)
}

/// Ambiti under a Distretto or an ATS, as (id, code, name).
pub async fn member_ambiti(conn: &mut AnyConnection, level: &str, scope_id: i64) -> Result<Vec<(i64, String, String)>> {
    let sql = match level {
        "distretto" => "SELECT a.id, a.code, a.name FROM ambito a WHERE a.distretto_id = $1 ORDER BY a.name",
        "provincia" => {
            "SELECT a.id, a.code, a.name FROM ambito a JOIN distretto d ON d.id = a.distretto_id WHERE d.ats_id = $1 ORDER BY a.name"
        }
        _ => "SELECT a.id, a.code, a.name FROM ambito a WHERE a.id = $1",
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(scope_id).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect()
}

pub async fn distretto_by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<i64>> {
    let r = sqlx::query("SELECT id FROM distretto WHERE code = $1").bind(code).fetch_optional(&mut *conn).await?;
    r.map(|r| Ok(r.try_get(0)?)).transpose()
}

pub async fn ats_by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<i64>> {
    let r = sqlx::query("SELECT id FROM ats WHERE code = $1").bind(code).fetch_optional(&mut *conn).await?;
    r.map(|r| Ok(r.try_get(0)?)).transpose()
}
