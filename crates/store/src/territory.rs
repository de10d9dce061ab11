use crate::Result;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AmbitoRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub distretto: Option<String>,
    pub ats: Option<String>,
    pub regione: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComuneRow {
    pub id: i64,
    pub istat_code: String,
    pub name: String,
}

async fn upsert_named(
    conn: &mut AnyConnection,
    sql_insert: &str,
    sql_select: &str,
    code: &str,
    name: &str,
    parent: Option<i64>,
) -> Result<i64> {
    if let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql_select)).bind(code).fetch_optional(&mut *conn).await? {
        return Ok(row.try_get::<i64, _>(0)?);
    }
    let q = sqlx::query(sqlx::AssertSqlSafe(sql_insert)).bind(code).bind(name);
    let q = match parent {
        Some(p) => q.bind(p),
        None => q,
    };
    Ok(q.fetch_one(&mut *conn).await?.try_get::<i64, _>(0)?)
}

pub async fn ensure_regione(conn: &mut AnyConnection, code: &str, name: &str) -> Result<i64> {
    upsert_named(
        conn,
        "INSERT INTO regione (code, name) VALUES ($1, $2) RETURNING id",
        "SELECT id FROM regione WHERE code = $1",
        code,
        name,
        None,
    )
    .await
}

pub async fn ensure_ats(conn: &mut AnyConnection, regione_id: i64, code: &str, name: &str) -> Result<i64> {
    upsert_named(
        conn,
        "INSERT INTO ats (code, name, regione_id) VALUES ($1, $2, $3) RETURNING id",
        "SELECT id FROM ats WHERE code = $1",
        code,
        name,
        Some(regione_id),
    )
    .await
}

pub async fn ensure_distretto(conn: &mut AnyConnection, ats_id: i64, code: &str, name: &str) -> Result<i64> {
    upsert_named(
        conn,
        "INSERT INTO distretto (code, name, ats_id) VALUES ($1, $2, $3) RETURNING id",
        "SELECT id FROM distretto WHERE code = $1",
        code,
        name,
        Some(ats_id),
    )
    .await
}

/// Creates the Ambito, or renames it and moves it under `distretto_id` when given.
pub async fn ensure_ambito(conn: &mut AnyConnection, code: &str, name: &str, distretto_id: Option<i64>) -> Result<i64> {
    if let Some(a) = ambito_by_code(conn, code).await? {
        sqlx::query("UPDATE ambito SET name = $1, distretto_id = COALESCE($2, distretto_id) WHERE id = $3")
            .bind(name)
            .bind(distretto_id)
            .bind(a.id)
            .execute(&mut *conn)
            .await?;
        return Ok(a.id);
    }
    let row = sqlx::query("INSERT INTO ambito (code, name, distretto_id) VALUES ($1, $2, $3) RETURNING id")
        .bind(code)
        .bind(name)
        .bind(distretto_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get(0)?)
}

const AMBITO_SELECT: &str = "SELECT a.id, a.code, a.name, d.name, t.name, r.name FROM ambito a \
     LEFT JOIN distretto d ON d.id = a.distretto_id LEFT JOIN ats t ON t.id = d.ats_id \
     LEFT JOIN regione r ON r.id = t.regione_id";

fn ambito_from_row(row: &sqlx::any::AnyRow) -> Result<AmbitoRow> {
    Ok(AmbitoRow {
        id: row.try_get(0)?,
        code: row.try_get(1)?,
        name: row.try_get(2)?,
        distretto: row.try_get(3)?,
        ats: row.try_get(4)?,
        regione: row.try_get(5)?,
    })
}

pub async fn ambito_by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<AmbitoRow>> {
    let sql = format!("{AMBITO_SELECT} WHERE a.code = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(&mut *conn).await?;
    row.as_ref().map(ambito_from_row).transpose()
}

pub async fn list_ambiti(conn: &mut AnyConnection) -> Result<Vec<AmbitoRow>> {
    let sql = format!("{AMBITO_SELECT} ORDER BY a.name");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(ambito_from_row).collect()
}

pub async fn ensure_comune(conn: &mut AnyConnection, ambito_id: i64, istat_code: &str, name: &str) -> Result<i64> {
    let existing = sqlx::query("SELECT id FROM comune WHERE istat_code = $1").bind(istat_code).fetch_optional(&mut *conn).await?;
    if let Some(row) = existing {
        let id: i64 = row.try_get(0)?;
        sqlx::query("UPDATE comune SET name = $1, ambito_id = $2 WHERE id = $3")
            .bind(name)
            .bind(ambito_id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        return Ok(id);
    }
    let row = sqlx::query("INSERT INTO comune (ambito_id, istat_code, name) VALUES ($1, $2, $3) RETURNING id")
        .bind(ambito_id)
        .bind(istat_code)
        .bind(name)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get(0)?)
}

pub async fn list_comuni(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<ComuneRow>> {
    let rows = sqlx::query("SELECT id, istat_code, name FROM comune WHERE ambito_id = $1 ORDER BY name")
        .bind(ambito_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(ComuneRow { id: r.try_get(0)?, istat_code: r.try_get(1)?, name: r.try_get(2)? })).collect()
}

/// Every Comune known to the deployment, by ISTAT code, with its Ambito id.
pub async fn comune_by_istat(conn: &mut AnyConnection, istat_code: &str) -> Result<Option<(ComuneRow, i64)>> {
    let row = sqlx::query("SELECT id, istat_code, name, ambito_id FROM comune WHERE istat_code = $1")
        .bind(istat_code)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((ComuneRow { id: r.try_get(0)?, istat_code: r.try_get(1)?, name: r.try_get(2)? }, r.try_get(3)?))).transpose()
}
