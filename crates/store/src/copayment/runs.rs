//! A month's runs, their rows and the pagoPA notices they issue; the IUV counter; the month's
//! delivery events of an Ambito, as a run reads them.

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

/// The next IUV base of the Ambito, taken: the counter moves in the caller's transaction, so a
/// rolled-back run leaves no gap, and a committed one never gives the same base again.
pub async fn take_iuv_base(conn: &mut AnyConnection, ambito_id: i64) -> Result<i64> {
    sqlx::query("INSERT INTO iuv_counter (ambito_id, next_base) VALUES ($1, 1) ON CONFLICT (ambito_id) DO NOTHING")
        .bind(ambito_id)
        .execute(&mut *conn)
        .await?;
    let (base,): (i64,) =
        sqlx::query_as("UPDATE iuv_counter SET next_base = next_base + 1 WHERE ambito_id = $1 RETURNING next_base - 1 AS base")
            .bind(ambito_id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(base)
}

/// `(person_key, service code, day yyyymmdd, ore_e4)` of the Ambito's events between two days.
pub async fn month_deliveries(conn: &mut AnyConnection, ambito_id: i64, from: i64, to: i64) -> Result<Vec<(String, String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT e.person_key, s.code, e.day, e.ore_e4 FROM delivery_event e JOIN service s ON s.id = e.service_id \
         WHERE s.ambito_id = $1 AND e.day >= $2 AND e.day <= $3 ORDER BY e.person_key, s.code, e.day",
    )
    .bind(ambito_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct RunRow {
        pub id: i64,
        pub run_number: i64,
        pub regulation_id: i64,
        pub scadenza: String,
        pub run_at: String,
    }
}

/// The latest run of a month, if any.
pub async fn latest_run(conn: &mut AnyConnection, ambito_id: i64, month: &str) -> Result<Option<RunRow>> {
    Ok(sqlx::query_as(
        "SELECT id, run_number, regulation_id, scadenza, run_at FROM copay_run WHERE ambito_id = $1 AND month = $2 \
         ORDER BY run_number DESC LIMIT 1",
    )
    .bind(ambito_id)
    .bind(month)
    .fetch_optional(&mut *conn)
    .await?)
}

pub struct NewRun<'a> {
    pub ambito_id: i64,
    pub month: &'a str,
    pub run_number: i64,
    pub regulation_id: i64,
    pub scadenza: &'a str,
    /// The run's problems as JSON.
    pub problems: &'a str,
    pub by: Option<i64>,
}

pub async fn insert_run(conn: &mut AnyConnection, r: &NewRun<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO copay_run (ambito_id, month, run_number, regulation_id, scadenza, problems, run_by, run_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(r.ambito_id)
    .bind(r.month)
    .bind(r.run_number)
    .bind(r.regulation_id)
    .bind(r.scadenza)
    .bind(r.problems)
    .bind(r.by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

crate::from_row! {
    /// A stored row with its keys resolved, as a re-run compares it.
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct StatementRowRow {
        pub person_id: i64,
        pub codice_fiscale: String,
        pub service_id: i64,
        pub service_code: String,
        pub unita: String,
        pub quantita: String,
        pub isee_tipo: Option<String>,
        pub isee_valore_cents: Option<i64>,
        pub tariffa_cents: i64,
        pub importo_cents: i64,
        pub motivo: String,
        pub notice_id: Option<i64>,
        pub iuv: Option<String>,
    }
}

pub async fn run_rows(conn: &mut AnyConnection, run_id: i64) -> Result<Vec<StatementRowRow>> {
    Ok(sqlx::query_as(
        "SELECT r.person_id, p.codice_fiscale, r.service_id, s.code AS service_code, r.unita, r.quantita, r.isee_tipo, \
         r.isee_valore_cents, r.tariffa_cents, r.importo_cents, r.motivo, r.notice_id, n.iuv FROM copay_statement_row r \
         JOIN person p ON p.id = r.person_id JOIN service s ON s.id = r.service_id LEFT JOIN pagopa_notice n ON n.id = r.notice_id \
         WHERE r.run_id = $1 ORDER BY p.codice_fiscale, s.code",
    )
    .bind(run_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn insert_statement_row(conn: &mut AnyConnection, run_id: i64, r: &StatementRowRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO copay_statement_row (run_id, person_id, service_id, unita, quantita, isee_tipo, isee_valore_cents, \
         tariffa_cents, importo_cents, motivo, notice_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(run_id)
    .bind(r.person_id)
    .bind(r.service_id)
    .bind(&r.unita)
    .bind(&r.quantita)
    .bind(&r.isee_tipo)
    .bind(r.isee_valore_cents)
    .bind(r.tariffa_cents)
    .bind(r.importo_cents)
    .bind(&r.motivo)
    .bind(r.notice_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct NoticeRow {
        pub id: i64,
        pub person_id: i64,
        pub month: String,
        pub iuv: String,
        pub numero_avviso: String,
        pub amount_cents: i64,
        pub paid_cents: i64,
        pub scadenza: String,
        pub status: String,
        pub superseded_by: Option<i64>,
    }
}

pub struct NewNotice<'a> {
    pub ambito_id: i64,
    pub person_id: i64,
    pub month: &'a str,
    pub ente_cf: &'a str,
    pub iuv: &'a str,
    pub numero_avviso: &'a str,
    pub amount_cents: i64,
    pub scadenza: &'a str,
    pub causale: &'a str,
    pub run_id: i64,
}

pub async fn insert_notice(conn: &mut AnyConnection, n: &NewNotice<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO pagopa_notice (ambito_id, person_id, month, ente_cf, iuv, numero_avviso, amount_cents, paid_cents, scadenza, \
         causale, status, issued_run_id, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, 'emesso', $10, $11) RETURNING id",
    )
    .bind(n.ambito_id)
    .bind(n.person_id)
    .bind(n.month)
    .bind(n.ente_cf)
    .bind(n.iuv)
    .bind(n.numero_avviso)
    .bind(n.amount_cents)
    .bind(n.scadenza)
    .bind(n.causale)
    .bind(n.run_id)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

const NOTICE_COLUMNS: &str = "id, person_id, month, iuv, numero_avviso, amount_cents, paid_cents, scadenza, status, superseded_by";

/// Every notice of an Ambito, of one month or all, by IUV.
pub async fn notices(conn: &mut AnyConnection, ambito_id: i64, month: Option<&str>) -> Result<Vec<NoticeRow>> {
    let month_filter = if month.is_some() { " AND month = $2" } else { "" };
    let sql = format!("SELECT {NOTICE_COLUMNS} FROM pagopa_notice WHERE ambito_id = $1{month_filter} ORDER BY iuv");
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(ambito_id);
    if let Some(m) = month {
        q = q.bind(m);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// Closes an open notice: `sostituito` by `by_notice`, or `annullato` when none replaces it.
pub async fn close_notice(conn: &mut AnyConnection, id: i64, by_notice: Option<i64>) -> Result<()> {
    let status = if by_notice.is_some() { "sostituito" } else { "annullato" };
    sqlx::query("UPDATE pagopa_notice SET status = $1, superseded_by = $2, closed_at = $3 WHERE id = $4 AND status = 'emesso'")
        .bind(status)
        .bind(by_notice)
        .bind(now_text())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
