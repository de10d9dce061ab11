//! ISEE attestations of persons. A correction voids the old row and adds the new one.

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct IseeRow {
        pub id: i64,
        pub person_id: i64,
        pub tipo: String,
        pub valore_cents: i64,
        pub protocollo_dsu: String,
        pub data_dsu: String,
        pub valido_fino: Option<String>,
        pub source: String,
    }
}

/// An attestation to record: dates ISO, the value in cents.
#[derive(Debug, Clone)]
pub struct NewIsee<'a> {
    pub person_id: i64,
    pub ambito_id: i64,
    pub tipo: &'a str,
    pub valore_cents: i64,
    pub protocollo_dsu: &'a str,
    pub data_dsu: &'a str,
    pub valido_fino: Option<&'a str>,
    pub source: &'a str,
    pub recorded_by: Option<i64>,
}

const COLUMNS: &str = "id, person_id, tipo, valore_cents, protocollo_dsu, data_dsu, valido_fino, source";

pub async fn insert_isee(conn: &mut AnyConnection, n: &NewIsee<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO isee_attestation (person_id, ambito_id, tipo, valore_cents, protocollo_dsu, data_dsu, valido_fino, source, \
         recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(n.person_id)
    .bind(n.ambito_id)
    .bind(n.tipo)
    .bind(n.valore_cents)
    .bind(n.protocollo_dsu)
    .bind(n.data_dsu)
    .bind(n.valido_fino)
    .bind(n.source)
    .bind(n.recorded_by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// The live attestations of a person, oldest first.
pub async fn isee_of_person(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<IseeRow>> {
    let sql = format!("SELECT {COLUMNS} FROM isee_attestation WHERE person_id = $1 AND voided_at IS NULL ORDER BY data_dsu, id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).fetch_all(&mut *conn).await?)
}

/// The live attestations of every person, for a month's run (a person's ISEE counts in every
/// Ambito that charges them).
pub async fn live_isee(conn: &mut AnyConnection) -> Result<Vec<IseeRow>> {
    let sql = format!("SELECT {COLUMNS} FROM isee_attestation WHERE voided_at IS NULL ORDER BY person_id, data_dsu, id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await?)
}

/// Voids an attestation, keeping it (a correction).
pub async fn void_isee(conn: &mut AnyConnection, id: i64, by: Option<i64>, reason: &str) -> Result<()> {
    sqlx::query("UPDATE isee_attestation SET voided_at = $1, voided_by = $2, void_reason = $3 WHERE id = $4 AND voided_at IS NULL")
        .bind(now_text())
        .bind(by)
        .bind(reason)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
