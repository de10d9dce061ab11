use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UserRow {
        pub id: i64,
        pub username: String,
        pub display_name: String,
        pub password_hash: Option<String>,
        pub totp_secret: Option<String>,
        pub codice_fiscale: Option<String>,
        pub suspended: i64,
        pub failed_logins: i64,
        pub locked_until: Option<String>,
    }
}

const USER_COLUMNS: &str = "id, username, display_name, password_hash, totp_secret, codice_fiscale, suspended, failed_logins, locked_until";

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UserRoleRow {
        pub id: i64,
        pub user_id: i64,
        pub role: String,
        pub ambito_id: Option<i64>,
        pub ambito_code: Option<String>,
        pub comune_istat: Option<String>,
        pub provider: Option<String>,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RoleRow {
        pub code: String,
        pub name: String,
        pub staff: i64,
    }
}

pub async fn roles(conn: &mut AnyConnection) -> Result<Vec<RoleRow>> {
    Ok(sqlx::query_as("SELECT code, name, staff FROM role ORDER BY position").fetch_all(&mut *conn).await?)
}

pub async fn role_permissions(conn: &mut AnyConnection) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as("SELECT role, permission FROM role_permission ORDER BY role, permission").fetch_all(&mut *conn).await?)
}

/// Inserts a role with its permissions unless the role already exists (stored roles win).
pub async fn ensure_role(
    conn: &mut AnyConnection,
    code: &str,
    name: &str,
    staff: bool,
    position: i64,
    permissions: &[&str],
) -> Result<bool> {
    let exists: Option<(String,)> = sqlx::query_as("SELECT code FROM role WHERE code = $1").bind(code).fetch_optional(&mut *conn).await?;
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO role (code, name, staff, position) VALUES ($1, $2, $3, $4)")
        .bind(code)
        .bind(name)
        .bind(i64::from(staff))
        .bind(position)
        .execute(&mut *conn)
        .await?;
    for p in permissions {
        set_role_permission(conn, code, p, true).await?;
    }
    Ok(true)
}

pub async fn set_role_permission(conn: &mut AnyConnection, role: &str, permission: &str, granted: bool) -> Result<()> {
    sqlx::query("DELETE FROM role_permission WHERE role = $1 AND permission = $2").bind(role).bind(permission).execute(&mut *conn).await?;
    if granted {
        sqlx::query("INSERT INTO role_permission (role, permission) VALUES ($1, $2)")
            .bind(role)
            .bind(permission)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn create_user(conn: &mut AnyConnection, username: &str, display_name: &str, codice_fiscale: Option<&str>) -> Result<i64> {
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO app_user (username, display_name, codice_fiscale, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(username)
            .bind(display_name)
            .bind(codice_fiscale)
            .bind(now_text())
            .fetch_one(&mut *conn)
            .await?;
    Ok(id)
}

pub async fn user_by_username(conn: &mut AnyConnection, username: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE username = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(&mut *conn).await?)
}

pub async fn user_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?)
}

pub async fn user_by_codice_fiscale(conn: &mut AnyConnection, cf: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE codice_fiscale = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(cf).fetch_optional(&mut *conn).await?)
}

/// Users holding a role in the Ambito (all users when `ambito_id` is `None`).
pub async fn users(conn: &mut AnyConnection, ambito_id: Option<i64>) -> Result<Vec<UserRow>> {
    let cols = USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ");
    let sql = match ambito_id {
        Some(_) => format!(
            "SELECT {cols} FROM app_user u WHERE EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.ambito_id = $1) ORDER BY u.username"
        ),
        None => format!("SELECT {cols} FROM app_user u ORDER BY u.username"),
    };
    let q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    let q = match ambito_id {
        Some(a) => q.bind(a),
        None => q,
    };
    Ok(q.fetch_all(&mut *conn).await?)
}

pub async fn set_password_hash(conn: &mut AnyConnection, user_id: i64, hash: &str) -> Result<()> {
    sqlx::query("UPDATE app_user SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Accepts a TOTP step for a user once: true when `step` is later than every step accepted
/// before (and records it), false for a code already used or an older one.
pub async fn claim_totp_step(conn: &mut AnyConnection, user_id: i64, step: i64) -> Result<bool> {
    let claimed = sqlx::query("UPDATE app_user SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
        .bind(step)
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(claimed == 1)
}

/// Bumped by a trigger on every change to `role_permission`: a cached copy of the role table is
/// exact while this has not moved.
pub async fn access_revision(conn: &mut AnyConnection) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT n FROM access_revision WHERE id = 1").fetch_one(&mut *conn).await?;
    Ok(n)
}

pub async fn set_totp_secret(conn: &mut AnyConnection, user_id: i64, secret: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE app_user SET totp_secret = $1 WHERE id = $2").bind(secret).bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn set_suspended(conn: &mut AnyConnection, user_id: i64, suspended: bool) -> Result<()> {
    sqlx::query("UPDATE app_user SET suspended = $1 WHERE id = $2").bind(i64::from(suspended)).bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

/// Counts a failed login; `lock_until` is set by the caller once the count crosses its limit.
pub async fn record_failed_login(conn: &mut AnyConnection, user_id: i64, lock_until: Option<&str>) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "UPDATE app_user SET failed_logins = failed_logins + 1, locked_until = COALESCE($1, locked_until) WHERE id = $2 RETURNING failed_logins",
    )
    .bind(lock_until)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

pub async fn clear_failed_logins(conn: &mut AnyConnection, user_id: i64) -> Result<()> {
    sqlx::query("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn user_roles(conn: &mut AnyConnection, user_id: i64) -> Result<Vec<UserRoleRow>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.user_id, r.role, r.ambito_id, a.code AS ambito_code, r.comune_istat, r.provider \
         FROM user_role r LEFT JOIN ambito a ON a.id = r.ambito_id WHERE r.user_id = $1 ORDER BY r.id",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn add_user_role(
    conn: &mut AnyConnection,
    user_id: i64,
    role: &str,
    ambito_id: Option<i64>,
    comune_istat: Option<&str>,
    provider: Option<&str>,
) -> Result<i64> {
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO user_role (user_id, role, ambito_id, comune_istat, provider) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(user_id)
            .bind(role)
            .bind(ambito_id)
            .bind(comune_istat)
            .bind(provider)
            .fetch_one(&mut *conn)
            .await?;
    Ok(id)
}

pub async fn remove_user_role(conn: &mut AnyConnection, user_id: i64, user_role_id: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM user_role WHERE id = $1 AND user_id = $2")
        .bind(user_role_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}
