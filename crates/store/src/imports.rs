use crate::Result;
use crate::db::now_text;
use sqlx::{AnyConnection, Row};

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct ImportBatch {
        pub id: i64,
        pub kind: String,
        pub file_name: String,
        pub rows: i64,
        pub imported_at: String,
    }
}

/// The earlier import of the same bytes for the same purpose, if any.
pub async fn find_import(conn: &mut AnyConnection, ambito_id: Option<i64>, kind: &str, sha256: &str) -> Result<Option<ImportBatch>> {
    Ok(sqlx::query_as::<_, ImportBatch>(
        "SELECT id, kind, file_name, rows, imported_at FROM import_batch WHERE kind = $1 AND sha256 = $2 \
         AND (ambito_id = $3 OR ($3 IS NULL AND ambito_id IS NULL)) ORDER BY id DESC LIMIT 1",
    )
    .bind(kind)
    .bind(sha256)
    .bind(ambito_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The import log of an Ambito, newest first, at most `limit` batches.
pub async fn list_imports(conn: &mut AnyConnection, ambito_id: i64, limit: i64) -> Result<Vec<ImportBatch>> {
    Ok(sqlx::query_as::<_, ImportBatch>(
        "SELECT id, kind, file_name, rows, imported_at FROM import_batch WHERE ambito_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(ambito_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn record_import(
    conn: &mut AnyConnection,
    ambito_id: Option<i64>,
    kind: &str,
    file_name: &str,
    sha256: &str,
    rows: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO import_batch (ambito_id, kind, file_name, sha256, rows, imported_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(ambito_id)
    .bind(kind)
    .bind(file_name)
    .bind(sha256)
    .bind(rows)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}
