//! How a case moves (states, transitions, events), who manages it, with whom it is shared, its
//! diary entries, appointments, and the users' alerts.

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct CaseStateRow {
        pub code: String,
        pub name: String,
        pub process: String,
        pub position: i64,
        pub closed: i64,
    }
}

pub async fn case_states(conn: &mut AnyConnection) -> Result<Vec<CaseStateRow>> {
    Ok(sqlx::query_as("SELECT code, name, process, position, closed FROM case_state ORDER BY position").fetch_all(&mut *conn).await?)
}

/// `(from, to, role)` for every allowed move.
pub async fn case_transitions(conn: &mut AnyConnection) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as("SELECT from_state, to_state, role FROM case_transition ORDER BY from_state, to_state, role")
        .fetch_all(&mut *conn)
        .await?)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct CaseDetailRow {
        pub id: i64,
        pub person_id: i64,
        pub ambito_id: i64,
        pub service_code: Option<String>,
        pub provider: Option<String>,
        pub opened_on: String,
        pub closed_on: Option<String>,
        pub state: String,
        pub need_area: Option<String>,
        pub manager_id: Option<i64>,
        pub manager: Option<String>,
        pub closure_reason: Option<String>,
        pub closure_outcome: Option<String>,
    }
}

const CASE_SELECT: &str = "SELECT c.id, c.person_id, c.ambito_id, c.service_code, c.provider, c.opened_on, c.closed_on, c.state, c.need_area, \
     c.manager_id, u.display_name AS manager, c.closure_reason, c.closure_outcome FROM care_case c LEFT JOIN app_user u ON u.id = c.manager_id";

/// The case when it is the person's and the Ambito's: the one lookup every route with a
/// `{case}` segment goes through, so that no id reaches another person's record.
pub async fn case_of(conn: &mut AnyConnection, ambito_id: i64, person_id: i64, case_id: i64) -> Result<Option<CaseDetailRow>> {
    let sql = format!("{CASE_SELECT} WHERE c.id = $1 AND c.person_id = $2 AND c.ambito_id = $3");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case_id).bind(person_id).bind(ambito_id).fetch_optional(&mut *conn).await?)
}

pub async fn cases_detail_of(conn: &mut AnyConnection, ambito_id: i64, person_id: i64) -> Result<Vec<CaseDetailRow>> {
    let sql = format!("{CASE_SELECT} WHERE c.person_id = $1 AND c.ambito_id = $2 ORDER BY c.opened_on DESC, c.id DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).bind(ambito_id).fetch_all(&mut *conn).await?)
}

pub struct NewCase<'a> {
    pub person_id: i64,
    pub ambito_id: i64,
    pub service_code: Option<&'a str>,
    pub provider: Option<&'a str>,
    pub opened_on: &'a str,
    pub state: &'a str,
    pub need_area: Option<&'a str>,
    pub manager_id: Option<i64>,
}

/// Opens a case in its first state, with its opening event and manager row.
pub async fn open_case_full(conn: &mut AnyConnection, c: &NewCase<'_>, by: Option<i64>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO care_case (person_id, ambito_id, service_code, provider, opened_on, state, need_area, manager_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.person_id)
    .bind(c.ambito_id)
    .bind(c.service_code)
    .bind(c.provider)
    .bind(c.opened_on)
    .bind(c.state)
    .bind(c.need_area)
    .bind(c.manager_id)
    .fetch_one(&mut *conn)
    .await?;
    add_case_event(conn, id, None, c.state, c.opened_on, by, Some("apertura")).await?;
    if let Some(m) = c.manager_id {
        sqlx::query("INSERT INTO case_manager (case_id, user_id, from_on, assigned_by, assigned_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(m)
            .bind(c.opened_on)
            .bind(by)
            .bind(now_text())
            .execute(&mut *conn)
            .await?;
        crate::add_to_team(conn, id, m).await?;
    }
    Ok(id)
}

pub async fn add_case_event(
    conn: &mut AnyConnection,
    case_id: i64,
    from: Option<&str>,
    to: &str,
    on: &str,
    by: Option<i64>,
    reason: Option<&str>,
) -> Result<()> {
    sqlx::query("INSERT INTO case_event (case_id, from_state, to_state, at, on_date, by_user, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(case_id)
        .bind(from)
        .bind(to)
        .bind(now_text())
        .bind(on)
        .bind(by)
        .bind(reason)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Moves the case from `from` to `to` (closing or reopening it as the target state says) and
/// writes the event. `false`: the case was not in `from` any more (a concurrent move).
#[allow(clippy::too_many_arguments)]
pub async fn move_case(
    conn: &mut AnyConnection,
    case_id: i64,
    from: &str,
    to: &str,
    to_closed: bool,
    on: &str,
    closure: Option<(&str, &str)>,
    by: i64,
    reason: Option<&str>,
) -> Result<bool> {
    let done = if to_closed {
        let (r, o) = closure.unwrap_or(("", ""));
        sqlx::query(
            "UPDATE care_case SET state = $1, closed_on = $2, closure_reason = $3, closure_outcome = $4 WHERE id = $5 AND state = $6",
        )
        .bind(to)
        .bind(on)
        .bind(r)
        .bind(o)
        .bind(case_id)
        .bind(from)
        .execute(&mut *conn)
        .await?
    } else {
        // Reopening clears the closure on the row; the closure stays in the case's events.
        sqlx::query(
            "UPDATE care_case SET state = $1, closed_on = NULL, closure_reason = NULL, closure_outcome = NULL WHERE id = $2 AND state = $3",
        )
        .bind(to)
        .bind(case_id)
        .bind(from)
        .execute(&mut *conn)
        .await?
    };
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    let reason = match closure {
        Some((r, o)) => Some(format!("{r}: {o}{}", reason.map(|x| format!(" — {x}")).unwrap_or_default())),
        None => reason.map(str::to_string),
    };
    add_case_event(conn, case_id, Some(from), to, on, Some(by), reason.as_deref()).await?;
    Ok(true)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct CaseEventRow {
        pub id: i64,
        pub case_id: i64,
        pub from_state: Option<String>,
        pub to_state: String,
        pub at: String,
        pub on_date: String,
        pub by_user: Option<String>,
        pub reason: Option<String>,
    }
}

pub async fn case_events_of(conn: &mut AnyConnection, person_id: i64, ambito_id: i64) -> Result<Vec<CaseEventRow>> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.case_id, e.from_state, e.to_state, e.at, e.on_date, u.display_name AS by_user, e.reason FROM case_event e \
         JOIN care_case c ON c.id = e.case_id LEFT JOIN app_user u ON u.id = e.by_user WHERE c.person_id = $1 AND c.ambito_id = $2 \
         ORDER BY e.id",
    )
    .bind(person_id)
    .bind(ambito_id)
    .fetch_all(&mut *conn)
    .await?)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct ManagerRow {
        pub case_id: i64,
        pub user_id: i64,
        pub name: String,
        pub from_on: String,
        pub to_on: Option<String>,
    }
}

pub async fn managers_of(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<ManagerRow>> {
    Ok(sqlx::query_as(
        "SELECT m.case_id, m.user_id, u.display_name AS name, m.from_on, m.to_on FROM case_manager m JOIN app_user u ON u.id = m.user_id \
         WHERE m.case_id = $1 ORDER BY m.id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Hands the case to a new manager from `on`: the previous one's row ends the day before,
/// the new one joins the care team (the old stays in it: a team is not cut by a hand-over).
pub async fn change_manager(conn: &mut AnyConnection, case_id: i64, user_id: i64, on: &str, by: i64) -> Result<()> {
    sqlx::query("UPDATE case_manager SET to_on = $1 WHERE case_id = $2 AND to_on IS NULL")
        .bind(on)
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO case_manager (case_id, user_id, from_on, assigned_by, assigned_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(case_id)
        .bind(user_id)
        .bind(on)
        .bind(by)
        .bind(now_text())
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE care_case SET manager_id = $1 WHERE id = $2").bind(user_id).bind(case_id).execute(&mut *conn).await?;
    crate::add_to_team(conn, case_id, user_id).await
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct ShareRow {
        pub id: i64,
        pub case_id: i64,
        pub user_id: i64,
        pub name: String,
        pub unit: String,
        pub from_on: String,
        pub to_on: String,
        pub reason: String,
        pub revoked_at: Option<String>,
    }
}

#[allow(clippy::too_many_arguments)] // one column each; the caller names them
pub async fn add_share(
    conn: &mut AnyConnection,
    case_id: i64,
    user_id: i64,
    unit: &str,
    from: &str,
    to: &str,
    reason: &str,
    by: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO case_share (case_id, user_id, unit, from_on, to_on, reason, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(case_id)
    .bind(user_id)
    .bind(unit)
    .bind(from)
    .bind(to)
    .bind(reason)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn shares_of(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<ShareRow>> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.case_id, s.user_id, u.display_name AS name, s.unit, s.from_on, s.to_on, s.reason, s.revoked_at FROM case_share s \
         JOIN app_user u ON u.id = s.user_id WHERE s.case_id = $1 ORDER BY s.id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// `(case_id, user_id)` of the shares of the person's cases in force on `today`: these users
/// count as care team for the period.
pub async fn active_shares_of(conn: &mut AnyConnection, person_id: i64, today: &str) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT s.case_id, s.user_id FROM case_share s JOIN care_case c ON c.id = s.case_id WHERE c.person_id = $1 \
         AND s.revoked_at IS NULL AND s.from_on <= $2 AND s.to_on >= $2",
    )
    .bind(person_id)
    .bind(today)
    .fetch_all(&mut *conn)
    .await?)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct DiaryRow {
        pub id: i64,
        pub case_id: i64,
        pub author: Option<String>,
        pub kind: String,
        pub entry_type: String,
        pub occurred_on: Option<String>,
        pub body: String,
        pub created_at: String,
        pub linked_note_id: Option<i64>,
        pub supersedes: Option<i64>,
        pub change_reason: Option<String>,
        pub voided_at: Option<String>,
    }
}

pub struct NewDiaryEntry<'a> {
    pub case_id: i64,
    pub kind: &'a str,
    pub entry_type: &'a str,
    pub occurred_on: &'a str,
    pub body: &'a str,
    pub linked_note_id: Option<i64>,
    /// A correction: the entry it replaces, which is kept and marked void.
    pub supersedes: Option<(i64, &'a str)>,
}

pub async fn add_diary_entry(conn: &mut AnyConnection, e: &NewDiaryEntry<'_>, author: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO case_note (case_id, author_id, kind, body, created_at, entry_type, occurred_on, linked_note_id, supersedes, change_reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(e.case_id)
    .bind(author)
    .bind(e.kind)
    .bind(e.body)
    .bind(now_text())
    .bind(e.entry_type)
    .bind(e.occurred_on)
    .bind(e.linked_note_id)
    .bind(e.supersedes.map(|s| s.0))
    .bind(e.supersedes.map(|s| s.1))
    .fetch_one(&mut *conn)
    .await?;
    if let Some((old, _)) = e.supersedes {
        sqlx::query("UPDATE case_note SET voided_at = $1, voided_by = $2 WHERE id = $3 AND voided_at IS NULL")
            .bind(now_text())
            .bind(author)
            .bind(old)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

const DIARY_SELECT: &str = "SELECT n.id, n.case_id, u.display_name AS author, n.kind, n.entry_type, n.occurred_on, n.body, n.created_at, \
     n.linked_note_id, n.supersedes, n.change_reason, n.voided_at FROM case_note n JOIN care_case c ON c.id = n.case_id \
     LEFT JOIN app_user u ON u.id = n.author_id WHERE c.person_id = $1 AND c.ambito_id = $2";
const DIARY_ORDER: &str = "ORDER BY COALESCE(n.occurred_on, n.created_at) DESC, n.id DESC";

/// The diary of the person's cases in one Ambito, newest first.
pub async fn diary_of(conn: &mut AnyConnection, person_id: i64, ambito_id: i64) -> Result<Vec<DiaryRow>> {
    let sql = format!("{DIARY_SELECT} {DIARY_ORDER}");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).bind(ambito_id).fetch_all(&mut *conn).await?)
}

/// One page of that diary, newest first: `limit` entries after the first `offset`, clinical
/// entries only when `clinical`.
pub async fn diary_page(
    conn: &mut AnyConnection,
    person_id: i64,
    ambito_id: i64,
    clinical: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<DiaryRow>> {
    let filter = if clinical { "" } else { " AND n.kind <> 'clinica'" };
    let sql = format!("{DIARY_SELECT}{filter} {DIARY_ORDER} LIMIT $3 OFFSET $4");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).bind(ambito_id).bind(limit).bind(offset).fetch_all(&mut *conn).await?)
}

/// How many entries that diary has, and how many of them are clinical.
pub async fn diary_counts(conn: &mut AnyConnection, person_id: i64, ambito_id: i64) -> Result<(i64, i64)> {
    let (all, clinical): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN n.kind = 'clinica' THEN 1 ELSE 0 END), 0) FROM case_note n \
         JOIN care_case c ON c.id = n.case_id WHERE c.person_id = $1 AND c.ambito_id = $2",
    )
    .bind(person_id)
    .bind(ambito_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok((all, clinical))
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct AppointmentRow {
        pub id: i64,
        pub case_id: i64,
        pub at: String,
        pub place: String,
        pub purpose: String,
        pub visible_to_citizen: i64,
        pub voided_at: Option<String>,
    }
}

pub async fn add_appointment(
    conn: &mut AnyConnection,
    case_id: i64,
    at: &str,
    place: &str,
    purpose: &str,
    visible: bool,
    by: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO appointment (case_id, at, place, purpose, visible_to_citizen, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(case_id)
    .bind(at)
    .bind(place)
    .bind(purpose)
    .bind(i64::from(visible))
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// The appointments of the person's cases (in one Ambito, or every Ambito for the citizen).
pub async fn appointments_of(conn: &mut AnyConnection, person_id: i64, ambito_id: Option<i64>) -> Result<Vec<AppointmentRow>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.case_id, a.at, a.place, a.purpose, a.visible_to_citizen, a.voided_at FROM appointment a \
         JOIN care_case c ON c.id = a.case_id WHERE c.person_id = $1 AND ($2 = 0 OR c.ambito_id = $2) ORDER BY a.at",
    )
    .bind(person_id)
    .bind(ambito_id.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct AlertRow {
        pub id: i64,
        pub kind: String,
        pub text: String,
        pub href: Option<String>,
        pub created_at: String,
        pub read_at: Option<String>,
    }
}

pub async fn add_alert(conn: &mut AnyConnection, user_id: i64, kind: &str, text: &str, href: Option<&str>) -> Result<()> {
    sqlx::query("INSERT INTO alert (user_id, kind, text, href, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user_id)
        .bind(kind)
        .bind(text)
        .bind(href)
        .bind(now_text())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn alerts_of(conn: &mut AnyConnection, user_id: i64, limit: i64) -> Result<Vec<AlertRow>> {
    Ok(sqlx::query_as("SELECT id, kind, text, href, created_at, read_at FROM alert WHERE user_id = $1 ORDER BY id DESC LIMIT $2")
        .bind(user_id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn mark_alerts_read(conn: &mut AnyConnection, user_id: i64) -> Result<()> {
    sqlx::query("UPDATE alert SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now_text())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct CaseloadRow {
        pub case_id: i64,
        pub person_id: i64,
        pub cognome: String,
        pub nome: String,
        pub comune_istat: Option<String>,
        pub service_code: Option<String>,
        pub state: String,
        pub opened_on: String,
        pub manager_id: Option<i64>,
        pub manager: Option<String>,
    }
}

/// The Ambito's open cases with their person and manager: the caseload lists filter this.
pub async fn open_caseload(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<CaseloadRow>> {
    Ok(sqlx::query_as(
        "SELECT c.id AS case_id, c.person_id, p.cognome, p.nome, p.comune_istat, c.service_code, c.state, c.opened_on, c.manager_id, \
         u.display_name AS manager FROM care_case c JOIN person p ON p.id = c.person_id LEFT JOIN app_user u ON u.id = c.manager_id \
         WHERE c.ambito_id = $1 AND c.closed_on IS NULL ORDER BY p.cognome, p.nome, c.id",
    )
    .bind(ambito_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// `(id, username)` of the active accounts holding a role in the Ambito, by username.
pub async fn users_in_ambito(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT u.id, u.username FROM app_user u JOIN user_role r ON r.user_id = u.id WHERE r.ambito_id = $1 AND u.suspended = 0 ORDER BY u.username",
    )
    .bind(ambito_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// The ids of the Ambito's cases whose care team includes the user.
pub async fn cases_in_team(conn: &mut AnyConnection, ambito_id: i64, user_id: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT t.case_id FROM care_team t JOIN care_case c ON c.id = t.case_id WHERE c.ambito_id = $1 AND t.user_id = $2")
            .bind(ambito_id)
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
