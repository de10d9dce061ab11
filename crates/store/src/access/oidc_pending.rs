//! OpenID Connect logins in flight (see migration 0009): written at the start, taken once at the
//! callback.

use crate::Result;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct OidcPendingRow {
        pub provider: String,
        pub state: String,
        pub nonce: String,
        pub verifier: String,
        pub created_unix: i64,
    }
}

/// Stores a login in flight, after dropping those older than `expired_before` and, beyond `max`
/// in flight, the oldest: anonymous requests start logins, so the table must stay bounded.
pub async fn put_oidc_pending(conn: &mut AnyConnection, key_hash: &str, row: &OidcPendingRow, expired_before: i64, max: i64) -> Result<()> {
    sqlx::query("DELETE FROM oidc_pending WHERE created_unix < $1").bind(expired_before).execute(&mut *conn).await?;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM oidc_pending").fetch_one(&mut *conn).await?;
    if n >= max {
        sqlx::query("DELETE FROM oidc_pending WHERE key_hash IN (SELECT key_hash FROM oidc_pending ORDER BY created_unix LIMIT $1)")
            .bind(n - max + 1)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("INSERT INTO oidc_pending (key_hash, provider, state, nonce, verifier, created_unix) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(key_hash)
        .bind(&row.provider)
        .bind(&row.state)
        .bind(&row.nonce)
        .bind(&row.verifier)
        .bind(row.created_unix)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Removes and returns the login in flight under `key_hash`: a second call finds nothing.
pub async fn take_oidc_pending(conn: &mut AnyConnection, key_hash: &str) -> Result<Option<OidcPendingRow>> {
    Ok(sqlx::query_as("DELETE FROM oidc_pending WHERE key_hash = $1 RETURNING provider, state, nonce, verifier, created_unix")
        .bind(key_hash)
        .fetch_optional(&mut *conn)
        .await?)
}
