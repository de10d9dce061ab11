//! Payment receipts and where notices stand: the reconciliation and the arrears read these.

use super::runs::NoticeRow;
use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

/// The notice of an Ambito with this IUV (the Ambito's ente creditore issued it).
pub async fn notice_by_iuv(conn: &mut AnyConnection, ambito_id: i64, iuv: &str) -> Result<Option<NoticeRow>> {
    Ok(sqlx::query_as(
        "SELECT id, person_id, month, iuv, numero_avviso, amount_cents, paid_cents, scadenza, status, superseded_by \
         FROM pagopa_notice WHERE ambito_id = $1 AND iuv = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(ambito_id)
    .bind(iuv)
    .fetch_optional(&mut *conn)
    .await?)
}

pub struct NewReceipt<'a> {
    pub notice_id: i64,
    pub amount_cents: i64,
    pub paid_on: &'a str,
    pub psp: &'a str,
    pub outcome: &'a str,
    pub source: &'a str,
}

/// Whether this very receipt (notice, amount, day, PSP) is already recorded.
pub async fn receipt_exists(conn: &mut AnyConnection, r: &NewReceipt<'_>) -> Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM pagopa_receipt WHERE notice_id = $1 AND amount_cents = $2 AND paid_on = $3 AND psp = $4")
            .bind(r.notice_id)
            .bind(r.amount_cents)
            .bind(r.paid_on)
            .bind(r.psp)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

pub async fn insert_receipt(conn: &mut AnyConnection, r: &NewReceipt<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO pagopa_receipt (notice_id, amount_cents, paid_on, psp, outcome, source, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.notice_id)
    .bind(r.amount_cents)
    .bind(r.paid_on)
    .bind(r.psp)
    .bind(r.outcome)
    .bind(r.source)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What the receipts paid of a notice, and its status after them.
pub async fn set_notice_payment(conn: &mut AnyConnection, id: i64, paid_cents: i64, status: &str) -> Result<()> {
    sqlx::query("UPDATE pagopa_notice SET paid_cents = $1, status = $2 WHERE id = $3")
        .bind(paid_cents)
        .bind(status)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct OpenNoticeRow {
        pub iuv: String,
        pub codice_fiscale: String,
        pub month: String,
        pub scadenza: String,
        pub amount_cents: i64,
        pub paid_cents: i64,
    }
}

/// The Ambito's notices still to be paid (issued, or paid in part), by due date.
pub async fn open_notices(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<OpenNoticeRow>> {
    Ok(sqlx::query_as(
        "SELECT n.iuv, p.codice_fiscale, n.month, n.scadenza, n.amount_cents, n.paid_cents FROM pagopa_notice n \
         JOIN person p ON p.id = n.person_id WHERE n.ambito_id = $1 AND n.status IN ('emesso', 'parziale') \
         ORDER BY n.scadenza, p.codice_fiscale, n.iuv",
    )
    .bind(ambito_id)
    .fetch_all(&mut *conn)
    .await?)
}
