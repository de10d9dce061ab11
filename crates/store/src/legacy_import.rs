//! What the legacy imports (persons and cases from an Ambito's old system) read and write beyond
//! the registry's own functions: look-ups in chunks, so that validating a file of a million rows
//! asks the database a few thousand times rather than a million, and the writes of an imported
//! case with its opening event and its manager.

use crate::Result;
use crate::db::now_text;
use crate::person::{PERSON_COLUMNS, PersonRow};
use sqlx::AnyConnection;

/// Values bound in one `IN (…)` list: well under SQLite's 32,766 and PostgreSQL's 65,535.
const CHUNK: usize = 500;

fn placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// The persons with these codes (codice fiscale or provisional code), in any order.
pub async fn persons_by_codes(conn: &mut AnyConnection, codes: &[&str]) -> Result<Vec<PersonRow>> {
    let mut out = Vec::with_capacity(codes.len());
    for chunk in codes.chunks(CHUNK) {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM person WHERE codice_fiscale IN ({})", placeholders(chunk.len()));
        let mut q = sqlx::query_as::<_, PersonRow>(sqlx::AssertSqlSafe(sql));
        for c in chunk {
            q = q.bind(*c);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// `(pseudonym, codice_fiscale)` of the persons holding any of these pseudonymous keys.
pub async fn pseudonym_owners(conn: &mut AnyConnection, keys: &[&str]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(CHUNK) {
        let sql = format!("SELECT pseudonym, codice_fiscale FROM person WHERE pseudonym IN ({})", placeholders(chunk.len()));
        let mut q = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql));
        for k in chunk {
            q = q.bind(*k);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// The ids of the Ambito's front-desk registrations among these persons.
pub async fn registered_among(conn: &mut AnyConnection, ambito_id: i64, person_ids: &[i64]) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for chunk in person_ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT person_id FROM person_ambito WHERE ambito_id = ${} AND person_id IN ({})",
            chunk.len() + 1,
            placeholders(chunk.len())
        );
        let mut q = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.bind(ambito_id).fetch_all(&mut *conn).await?.into_iter().map(|r| r.0));
    }
    Ok(out)
}

/// The case codes (`case_state.code`) and whether each closes a case.
pub async fn import_case_states(conn: &mut AnyConnection) -> Result<Vec<(String, bool)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT code, closed FROM case_state ORDER BY position").fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(c, closed)| (c, closed != 0)).collect())
}

crate::from_row! {
    /// A case as the legacy import compares it with a file row.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ImportedCaseRow {
        pub id: i64,
        pub person_id: i64,
        pub service_code: Option<String>,
        pub provider: Option<String>,
        pub opened_on: String,
        pub closed_on: Option<String>,
        pub state: String,
        pub need_area: Option<String>,
        pub manager_id: Option<i64>,
    }
}

/// Every case of the Ambito, for matching file rows on (person, service, opening day).
pub async fn cases_for_import(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<ImportedCaseRow>> {
    Ok(sqlx::query_as(
        "SELECT id, person_id, service_code, provider, opened_on, closed_on, state, need_area, manager_id \
         FROM care_case WHERE ambito_id = $1 ORDER BY id",
    )
    .bind(ambito_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// A case as a legacy file has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCase<'a> {
    pub person_id: i64,
    pub service_code: &'a str,
    pub provider: Option<&'a str>,
    pub opened_on: &'a str,
    pub closed_on: Option<&'a str>,
    pub state: &'a str,
    pub need_area: Option<&'a str>,
    pub manager_id: Option<i64>,
}

/// A new case with its opening event (and its closing one when the file says it is closed) and
/// its manager, who joins the care team. Returns the case id.
pub async fn insert_imported_case(conn: &mut AnyConnection, ambito_id: i64, c: &ImportedCase<'_>, reason: &str) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO care_case (person_id, ambito_id, service_code, provider, opened_on, closed_on, state, need_area, manager_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(c.person_id)
    .bind(ambito_id)
    .bind(c.service_code)
    .bind(c.provider)
    .bind(c.opened_on)
    .bind(c.closed_on)
    .bind(c.state)
    .bind(c.need_area)
    .bind(c.manager_id)
    .fetch_one(&mut *conn)
    .await?;
    let (first, closed) = match c.closed_on {
        Some(on) => ("valutazione", Some(on)),
        None => (c.state, None),
    };
    case_event(conn, id, None, first, c.opened_on, reason).await?;
    if let Some(on) = closed {
        case_event(conn, id, Some(first), c.state, on, reason).await?;
    }
    if let Some(user) = c.manager_id {
        assign_manager(conn, id, user, c.opened_on).await?;
    }
    Ok(id)
}

/// Brings an imported case to the file's values: a change of state (or of the closing day) is
/// a new event, a new manager ends the previous one's period; the old rows stay.
pub async fn update_imported_case(
    conn: &mut AnyConnection,
    old: &ImportedCaseRow,
    c: &ImportedCase<'_>,
    today: &str,
    reason: &str,
) -> Result<()> {
    sqlx::query("UPDATE care_case SET provider = $1, closed_on = $2, state = $3, need_area = $4, manager_id = $5 WHERE id = $6")
        .bind(c.provider)
        .bind(c.closed_on)
        .bind(c.state)
        .bind(c.need_area)
        .bind(c.manager_id)
        .bind(old.id)
        .execute(&mut *conn)
        .await?;
    if old.state != c.state || old.closed_on.as_deref() != c.closed_on {
        case_event(conn, old.id, Some(&old.state), c.state, c.closed_on.unwrap_or(today), reason).await?;
    }
    if old.manager_id != c.manager_id {
        sqlx::query("UPDATE case_manager SET to_on = $1 WHERE case_id = $2 AND to_on IS NULL")
            .bind(today)
            .bind(old.id)
            .execute(&mut *conn)
            .await?;
        if let Some(user) = c.manager_id {
            assign_manager(conn, old.id, user, today).await?;
        }
    }
    Ok(())
}

async fn case_event(conn: &mut AnyConnection, case_id: i64, from: Option<&str>, to: &str, on: &str, reason: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_event (case_id, from_state, to_state, at, on_date, by_user, reason) VALUES ($1, $2, $3, $4, $5, NULL, $6)",
    )
    .bind(case_id)
    .bind(from)
    .bind(to)
    .bind(now_text())
    .bind(on)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn assign_manager(conn: &mut AnyConnection, case_id: i64, user_id: i64, from_on: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_manager (case_id, user_id, from_on, to_on, assigned_by, assigned_at) VALUES ($1, $2, $3, NULL, NULL, $4)",
    )
    .bind(case_id)
    .bind(user_id)
    .bind(from_on)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    crate::person::add_to_team(conn, case_id, user_id).await
}
