//! A person's documents (stored once, encrypted, content-addressed), their links to cases and the
//! documents asked of the citizen. The ciphertext is produced and read by `app`; this file only
//! keeps bytes.

use crate::Result;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct DocumentRow {
        pub id: i64,
        pub person_id: i64,
        pub ambito_id: i64,
        pub ambito_code: String,
        pub kind: String,
        pub title: String,
        pub sha256: String,
        pub mime: String,
        pub size: i64,
        pub expires_on: Option<String>,
        pub version: i64,
        pub supersedes: Option<i64>,
        pub uploaded_by: Option<i64>,
        pub uploader: Option<String>,
        pub uploaded_by_citizen: i64,
        pub uploaded_at: String,
        pub visible_to_citizen: i64,
        pub voided_at: Option<String>,
        pub void_reason: Option<String>,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct DocumentLinkRow {
        pub document_id: i64,
        pub case_id: i64,
        pub purpose: String,
        pub linked_at: String,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct DocumentRequestRow {
        pub id: i64,
        pub person_id: i64,
        pub ambito_id: i64,
        pub ambito_code: String,
        pub kind: String,
        pub note: String,
        pub requested_at: String,
        pub due_on: Option<String>,
        pub fulfilled_document_id: Option<i64>,
        pub fulfilled_at: Option<String>,
    }
}

pub(crate) const DOCUMENT_SELECT: &str = "SELECT d.id, d.person_id, d.ambito_id, a.code AS ambito_code, d.kind, d.title, d.sha256, d.mime, \
     d.size, d.expires_on, d.version, d.supersedes, d.uploaded_by, u.display_name AS uploader, d.uploaded_by_citizen, d.uploaded_at, \
     d.visible_to_citizen, d.voided_at, d.void_reason FROM document d JOIN ambito a ON a.id = d.ambito_id \
     LEFT JOIN app_user u ON u.id = d.uploaded_by";

/// Keeps an encrypted content under its plaintext's hash; `false` when it was already there
/// (the same file uploaded again is stored once).
pub async fn put_blob(conn: &mut AnyConnection, sha256: &str, ciphertext: &[u8], size: i64) -> Result<bool> {
    let done = sqlx::query("INSERT INTO document_blob (sha256, ciphertext, size) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING")
        .bind(sha256)
        .bind(ciphertext)
        .bind(size)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The stored bytes (nonce || ciphertext) of a content.
pub async fn blob(conn: &mut AnyConnection, sha256: &str) -> Result<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> =
        sqlx::query_as("SELECT ciphertext FROM document_blob WHERE sha256 = $1").bind(sha256).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| r.0))
}

pub struct NewDocument<'a> {
    pub person_id: i64,
    pub ambito_id: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub sha256: &'a str,
    pub mime: &'a str,
    pub size: i64,
    pub expires_on: Option<&'a str>,
    pub version: i64,
    pub supersedes: Option<i64>,
    pub uploaded_by: Option<i64>,
    pub uploaded_by_citizen: bool,
    pub uploaded_at: &'a str,
    pub visible_to_citizen: bool,
}

pub async fn insert_document(conn: &mut AnyConnection, d: &NewDocument<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO document (person_id, ambito_id, kind, title, sha256, mime, size, expires_on, version, supersedes, uploaded_by, \
         uploaded_by_citizen, uploaded_at, visible_to_citizen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(d.person_id)
    .bind(d.ambito_id)
    .bind(d.kind)
    .bind(d.title)
    .bind(d.sha256)
    .bind(d.mime)
    .bind(d.size)
    .bind(d.expires_on)
    .bind(d.version)
    .bind(d.supersedes)
    .bind(d.uploaded_by)
    .bind(i64::from(d.uploaded_by_citizen))
    .bind(d.uploaded_at)
    .bind(i64::from(d.visible_to_citizen))
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Every document of the person, in every Ambito, oldest first: the caller decides what a reader sees.
pub async fn documents_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<DocumentRow>> {
    let sql = format!("{DOCUMENT_SELECT} WHERE d.person_id = $1 ORDER BY d.uploaded_at, d.id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).fetch_all(&mut *conn).await?)
}

pub async fn document(conn: &mut AnyConnection, id: i64) -> Result<Option<DocumentRow>> {
    let sql = format!("{DOCUMENT_SELECT} WHERE d.id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?)
}

/// Whether a later version names this document as the one it replaces.
pub async fn is_superseded(conn: &mut AnyConnection, id: i64) -> Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM document WHERE supersedes = $1 LIMIT 1").bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.is_some())
}

/// Links a document to a case for a purpose; `false` when that link already existed.
pub async fn link_document(
    conn: &mut AnyConnection,
    document_id: i64,
    case_id: i64,
    purpose: &str,
    by: Option<i64>,
    at: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO document_link (document_id, case_id, purpose, linked_by, linked_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (document_id, case_id, purpose) DO NOTHING",
    )
    .bind(document_id)
    .bind(case_id)
    .bind(purpose)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The links of every document of the person.
pub async fn links_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<DocumentLinkRow>> {
    Ok(sqlx::query_as(
        "SELECT l.document_id, l.case_id, l.purpose, l.linked_at FROM document_link l JOIN document d ON d.id = l.document_id \
         WHERE d.person_id = $1 ORDER BY l.linked_at, l.id",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub struct NewRequest<'a> {
    pub person_id: i64,
    pub ambito_id: i64,
    pub kind: &'a str,
    pub note: &'a str,
    pub requested_by: Option<i64>,
    pub requested_at: &'a str,
    pub due_on: Option<&'a str>,
}

pub async fn insert_request(conn: &mut AnyConnection, r: &NewRequest<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO document_request (person_id, ambito_id, kind, note, requested_by, requested_at, due_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(r.person_id)
    .bind(r.ambito_id)
    .bind(r.kind)
    .bind(r.note)
    .bind(r.requested_by)
    .bind(r.requested_at)
    .bind(r.due_on)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn requests_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<DocumentRequestRow>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.person_id, r.ambito_id, a.code AS ambito_code, r.kind, r.note, r.requested_at, r.due_on, r.fulfilled_document_id, \
         r.fulfilled_at FROM document_request r JOIN ambito a ON a.id = r.ambito_id WHERE r.person_id = $1 ORDER BY r.requested_at, r.id",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Marks an open request fulfilled by a document; `false` when it was no longer open.
pub async fn fulfil_request(conn: &mut AnyConnection, request_id: i64, document_id: i64, at: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE document_request SET fulfilled_document_id = $1, fulfilled_at = $2 WHERE id = $3 AND fulfilled_document_id IS NULL",
    )
    .bind(document_id)
    .bind(at)
    .bind(request_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The GDPR purge of one person's documents, requests and transfers, then of every content no
/// document names any more. Runs before the person's cases go (links and transfers name them).
pub async fn purge_person_documents(conn: &mut AnyConnection, person_id: i64) -> Result<()> {
    for sql in [
        "DELETE FROM transfer_document WHERE transfer_id IN (SELECT id FROM transfer WHERE person_id = $1) \
         OR document_id IN (SELECT id FROM document WHERE person_id = $1)",
        "DELETE FROM transfer WHERE person_id = $1",
        "DELETE FROM document_request WHERE person_id = $1",
        "DELETE FROM document_link WHERE document_id IN (SELECT id FROM document WHERE person_id = $1) \
         OR case_id IN (SELECT id FROM care_case WHERE person_id = $1)",
        // One statement: versions name each other, and both backends check keys at its end.
        "DELETE FROM document WHERE person_id = $1",
    ] {
        sqlx::query(sql).bind(person_id).execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM document_blob WHERE NOT EXISTS (SELECT 1 FROM document d WHERE d.sha256 = document_blob.sha256)")
        .execute(&mut *conn)
        .await?;
    Ok(())
}
