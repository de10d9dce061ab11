//! Co-payments and pagoPA notices (issue 17): ISEE attestations, regulation versions and
//! exemptions, pagoPA settings and the IUV counter, statement runs with their rows and notices.
//! Nothing is deleted but by the GDPR purge ([`purge_copayment`]): attestations and exemptions
//! are voided, a corrected month is a new run whose notices supersede the old ones.

pub mod isee;
pub mod receipts;
pub mod regulation;
pub mod runs;

pub use isee::*;
pub use receipts::*;
pub use regulation::*;
pub use runs::*;

use crate::Result;
use sqlx::AnyConnection;

/// The GDPR purge's part for co-payments: every row about the person goes. The IUV counter is
/// left as it is, so the purged notices' IUVs are never issued again.
pub async fn purge_copayment(conn: &mut AnyConnection, person_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM copay_statement_row WHERE person_id = $1").bind(person_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM pagopa_receipt WHERE notice_id IN (SELECT id FROM pagopa_notice WHERE person_id = $1)")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE pagopa_notice SET superseded_by = NULL WHERE person_id = $1").bind(person_id).execute(&mut *conn).await?;
    for table in ["pagopa_notice", "copay_exemption", "isee_attestation"] {
        let sql = format!("DELETE FROM {table} WHERE person_id = $1");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person_id).execute(&mut *conn).await?;
    }
    Ok(())
}
