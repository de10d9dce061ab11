//! The e-mail digest of in-app alerts: who has alerts not yet read nor mailed, and marking them
//! mailed once the digest went out. Addresses of the staff live on `app_user.email`.

use crate::Result;
use sqlx::AnyConnection;

crate::from_row! {
    /// One user's waiting alerts: how many, and the newest id the digest covers.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct AlertDigestRow {
        pub user_id: i64,
        pub username: String,
        pub display_name: String,
        pub email: String,
        pub waiting: i64,
        pub last_id: i64,
        /// The Ambito of the user's first role with one, whose work list shows the alerts.
        pub ambito_code: Option<String>,
    }
}

/// Users with an address, not suspended, who have alerts neither read nor mailed.
pub async fn alert_digests(conn: &mut AnyConnection) -> Result<Vec<AlertDigestRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id AS user_id, u.username, u.display_name, u.email, COUNT(*) AS waiting, MAX(a.id) AS last_id, \
         (SELECT m.code FROM user_role r JOIN ambito m ON m.id = r.ambito_id WHERE r.user_id = u.id ORDER BY m.code LIMIT 1) AS ambito_code \
         FROM alert a JOIN app_user u ON u.id = a.user_id \
         WHERE a.read_at IS NULL AND a.mailed_at IS NULL AND u.email IS NOT NULL AND u.email <> '' AND u.suspended = 0 \
         GROUP BY u.id, u.username, u.display_name, u.email ORDER BY u.id",
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Marks the user's alerts up to `last_id` as mailed at `at` (later ones wait for the next digest).
pub async fn mark_alerts_mailed(conn: &mut AnyConnection, user_id: i64, last_id: i64, at: &str) -> Result<u64> {
    Ok(sqlx::query("UPDATE alert SET mailed_at = $1 WHERE user_id = $2 AND id <= $3 AND mailed_at IS NULL AND read_at IS NULL")
        .bind(at)
        .bind(user_id)
        .bind(last_id)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

/// Sets or clears (None) a user's e-mail address.
pub async fn set_user_email(conn: &mut AnyConnection, user_id: i64, email: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE app_user SET email = $1 WHERE id = $2").bind(email).bind(user_id).execute(&mut *conn).await?;
    Ok(())
}
