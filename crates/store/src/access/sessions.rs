use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SessionRow {
        pub token_hash: String,
        pub user_id: i64,
        pub csrf: String,
        pub pending_second_factor: i64,
        pub created_at: String,
        pub last_seen_at: String,
    }
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    pending: bool,
    ip: Option<&str>,
) -> Result<()> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO auth_session (token_hash, user_id, csrf, pending_second_factor, created_at, last_seen_at, ip) VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf)
    .bind(i64::from(pending))
    .bind(now)
    .bind(ip)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn session(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT token_hash, user_id, csrf, pending_second_factor, created_at, last_seen_at FROM auth_session WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn touch_session(conn: &mut AnyConnection, token_hash: &str, at: &str) -> Result<()> {
    sqlx::query("UPDATE auth_session SET last_seen_at = $1 WHERE token_hash = $2").bind(at).bind(token_hash).execute(&mut *conn).await?;
    Ok(())
}

pub async fn delete_session(conn: &mut AnyConnection, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM auth_session WHERE token_hash = $1").bind(token_hash).execute(&mut *conn).await?;
    Ok(())
}

pub async fn delete_user_sessions(conn: &mut AnyConnection, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM auth_session WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ApiTokenRow {
        pub id: i64,
        pub user_id: i64,
        pub name: String,
        pub scopes: String,
        pub expires_at: Option<String>,
        pub revoked: i64,
    }
}

pub async fn insert_api_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    name: &str,
    scopes: &str,
    expires_at: Option<&str>,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO api_token (token_hash, user_id, name, scopes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(name)
    .bind(scopes)
    .bind(now_text())
    .bind(expires_at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn api_token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<ApiTokenRow>> {
    Ok(sqlx::query_as("SELECT id, user_id, name, scopes, expires_at, revoked FROM api_token WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await?)
}

crate::from_row! {
    /// An API token as `ambito token list` shows it (never its secret, which is not stored).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ApiTokenInfo {
        pub id: i64,
        pub username: String,
        pub name: String,
        pub scopes: String,
        pub created_at: String,
        pub expires_at: Option<String>,
        pub revoked: i64,
    }
}

/// Every API token, or one user's, oldest first.
pub async fn list_api_tokens(conn: &mut AnyConnection, user_id: Option<i64>) -> Result<Vec<ApiTokenInfo>> {
    const SELECT: &str = "SELECT t.id, u.username, t.name, t.scopes, t.created_at, t.expires_at, t.revoked \
                          FROM api_token t JOIN app_user u ON u.id = t.user_id";
    Ok(match user_id {
        Some(id) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE t.user_id = $1 ORDER BY t.id")))
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
        }
        None => sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY t.id"))).fetch_all(&mut *conn).await?,
    })
}

/// Revokes the token `id` and returns how many were still active (0 or 1).
pub async fn revoke_api_token(conn: &mut AnyConnection, id: i64) -> Result<u64> {
    Ok(sqlx::query("UPDATE api_token SET revoked = 1 WHERE id = $1 AND revoked = 0").bind(id).execute(&mut *conn).await?.rows_affected())
}

pub async fn insert_reset_token(conn: &mut AnyConnection, token_hash: &str, user_id: i64, expires_at: &str) -> Result<()> {
    sqlx::query("INSERT INTO reset_token (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now_text())
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Marks a reset token used and returns its user, if it was unused and not expired at `now`.
pub async fn consume_reset_token(conn: &mut AnyConnection, token_hash: &str, now: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE reset_token SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
    )
    .bind(now)
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.0))
}
