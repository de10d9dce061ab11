//! Hand-offs of a person between Ambiti: the proposal, the documents it carries, the decision.

use crate::Result;
use crate::cases::documents::{DOCUMENT_SELECT, DocumentRow};
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct TransferRow {
        pub id: i64,
        pub person_id: i64,
        pub codice_fiscale: String,
        pub cognome: String,
        pub nome: String,
        pub from_ambito_id: i64,
        pub from_code: String,
        pub from_name: String,
        pub to_ambito_id: i64,
        pub to_code: String,
        pub to_name: String,
        pub summary: String,
        pub consent: i64,
        pub consent_document_id: Option<i64>,
        pub proposed_by: Option<i64>,
        pub proposer: Option<String>,
        pub proposed_at: String,
        pub state: String,
        pub decided_by: Option<i64>,
        pub decider: Option<String>,
        pub decided_at: Option<String>,
        pub decision_note: Option<String>,
        pub new_case_id: Option<i64>,
    }
}

const TRANSFER_SELECT: &str = "SELECT t.id, t.person_id, p.codice_fiscale, p.cognome, p.nome, t.from_ambito_id, fa.code AS from_code, \
     fa.name AS from_name, t.to_ambito_id, ta.code AS to_code, ta.name AS to_name, t.summary, t.consent, t.consent_document_id, \
     t.proposed_by, pu.display_name AS proposer, t.proposed_at, t.state, t.decided_by, du.display_name AS decider, t.decided_at, \
     t.decision_note, t.new_case_id FROM transfer t JOIN person p ON p.id = t.person_id JOIN ambito fa ON fa.id = t.from_ambito_id \
     JOIN ambito ta ON ta.id = t.to_ambito_id LEFT JOIN app_user pu ON pu.id = t.proposed_by LEFT JOIN app_user du ON du.id = t.decided_by";

pub struct NewTransfer<'a> {
    pub person_id: i64,
    pub from_ambito_id: i64,
    pub to_ambito_id: i64,
    pub summary: &'a str,
    pub consent_document_id: Option<i64>,
    pub proposed_by: Option<i64>,
    pub proposed_at: &'a str,
}

/// A proposal, always with the person's consent (the application refuses one without).
pub async fn insert_transfer(conn: &mut AnyConnection, t: &NewTransfer<'_>, documents: &[i64]) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO transfer (person_id, from_ambito_id, to_ambito_id, summary, consent, consent_document_id, proposed_by, proposed_at, state) \
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7, 'proposto') RETURNING id",
    )
    .bind(t.person_id)
    .bind(t.from_ambito_id)
    .bind(t.to_ambito_id)
    .bind(t.summary)
    .bind(t.consent_document_id)
    .bind(t.proposed_by)
    .bind(t.proposed_at)
    .fetch_one(&mut *conn)
    .await?;
    for d in documents {
        sqlx::query("INSERT INTO transfer_document (transfer_id, document_id) VALUES ($1, $2)")
            .bind(id)
            .bind(d)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

pub async fn transfer(conn: &mut AnyConnection, id: i64) -> Result<Option<TransferRow>> {
    let sql = format!("{TRANSFER_SELECT} WHERE t.id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?)
}

/// Transfers leaving or reaching the Ambito, newest first.
pub async fn transfers_of_ambito(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<TransferRow>> {
    let sql = format!("{TRANSFER_SELECT} WHERE t.from_ambito_id = $1 OR t.to_ambito_id = $1 ORDER BY t.proposed_at DESC, t.id DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(ambito_id).fetch_all(&mut *conn).await?)
}

pub async fn transfers_of_person(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<TransferRow>> {
    let sql = format!("{TRANSFER_SELECT} WHERE t.person_id = $1 ORDER BY t.proposed_at DESC, t.id DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).fetch_all(&mut *conn).await?)
}

/// The documents a proposal carries.
pub async fn transfer_documents(conn: &mut AnyConnection, transfer_id: i64) -> Result<Vec<DocumentRow>> {
    let sql = format!(
        "{DOCUMENT_SELECT} WHERE d.id IN (SELECT document_id FROM transfer_document WHERE transfer_id = $1) ORDER BY d.uploaded_at, d.id"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(transfer_id).fetch_all(&mut *conn).await?)
}

pub struct Decision<'a> {
    pub state: &'a str,
    pub decided_by: Option<i64>,
    pub decided_at: &'a str,
    pub note: Option<&'a str>,
    pub new_case_id: Option<i64>,
}

/// Records the decision on a proposal still waiting; `false` when it had already been decided
/// (two workers answering at once: the second changes nothing).
pub async fn decide_transfer(conn: &mut AnyConnection, id: i64, d: &Decision<'_>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE transfer SET state = $1, decided_by = $2, decided_at = $3, decision_note = $4, new_case_id = $5 \
         WHERE id = $6 AND state = 'proposto'",
    )
    .bind(d.state)
    .bind(d.decided_by)
    .bind(d.decided_at)
    .bind(d.note)
    .bind(d.new_case_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
