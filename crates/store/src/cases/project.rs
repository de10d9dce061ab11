//! The individual project (PAI, process C): versions with their goals and team, and reviews.
//! A change is a new version row (the previous one stays as it was); goals and team belong to
//! one version, so a new version writes its own rows.

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct ProjectRow {
        pub id: i64,
        pub case_id: i64,
        pub version: i64,
        pub supersedes: Option<i64>,
        pub valid_from: String,
        pub review_every_months: i64,
        pub next_review_on: String,
        pub manager_id: Option<i64>,
        pub manager: Option<String>,
        pub agreement: String,
        pub agreed_on: Option<String>,
        pub planned_interventions: Option<String>,
        pub closure_reason: Option<String>,
        pub created_by: Option<i64>,
        pub author: Option<String>,
        pub created_at: String,
        pub reason: Option<String>,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct GoalRow {
        pub id: i64,
        pub project_id: i64,
        pub horizon: String,
        pub text: String,
        pub target_date: Option<String>,
        pub outcome: Option<String>,
        pub position: i64,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct TeamMemberRow {
        pub id: i64,
        pub project_id: i64,
        pub user_id: i64,
        pub display_name: String,
        pub role: String,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct ReviewRow {
        pub id: i64,
        pub case_id: i64,
        pub project_id: i64,
        pub project_version: i64,
        pub reviewed_on: String,
        pub outcome: String,
        pub notes: Option<String>,
        pub next_review_on: Option<String>,
        pub reviewed_by: Option<i64>,
        pub reviewer: Option<String>,
        pub created_at: String,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct ReviewDueRow {
        pub person_id: i64,
        pub case_id: i64,
        pub cognome: String,
        pub nome: String,
        pub next_review_on: String,
        pub manager_id: Option<i64>,
    }
}

pub struct NewGoal<'a> {
    pub horizon: &'a str,
    pub text: &'a str,
    pub target_date: Option<&'a str>,
    pub outcome: Option<&'a str>,
}

pub struct NewProject<'a> {
    pub case_id: i64,
    pub valid_from: &'a str,
    pub review_every_months: i64,
    pub next_review_on: &'a str,
    pub manager_id: Option<i64>,
    pub agreement: &'a str,
    pub agreed_on: Option<&'a str>,
    pub planned_interventions: Option<&'a str>,
    pub closure_reason: Option<&'a str>,
    pub created_by: Option<i64>,
    pub reason: Option<&'a str>,
    pub goals: Vec<NewGoal<'a>>,
    /// `(user id, role)`.
    pub team: Vec<(i64, &'a str)>,
}

const PROJECT_SELECT: &str = "SELECT p.id, p.case_id, p.version, p.supersedes, p.valid_from, p.review_every_months, p.next_review_on, \
     p.manager_id, m.display_name AS manager, p.agreement, p.agreed_on, p.planned_interventions, p.closure_reason, p.created_by, \
     a.display_name AS author, p.created_at, p.reason \
     FROM project p LEFT JOIN app_user m ON m.id = p.manager_id LEFT JOIN app_user a ON a.id = p.created_by";

/// Writes the next version of the case's project (1 for the first), superseding the latest one,
/// with its own goals and team rows. Returns `(id, version)`. Two writers racing for the same
/// version meet `UNIQUE (case_id, version)`.
pub async fn insert_project_version(conn: &mut AnyConnection, p: &NewProject<'_>) -> Result<(i64, i64)> {
    let latest: Option<(i64, i64)> = sqlx::query_as("SELECT id, version FROM project WHERE case_id = $1 ORDER BY version DESC LIMIT 1")
        .bind(p.case_id)
        .fetch_optional(&mut *conn)
        .await?;
    let version = latest.map_or(1, |(_, v)| v + 1);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO project (case_id, version, supersedes, valid_from, review_every_months, next_review_on, manager_id, agreement, \
         agreed_on, planned_interventions, closure_reason, created_by, created_at, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(p.case_id)
    .bind(version)
    .bind(latest.map(|(id, _)| id))
    .bind(p.valid_from)
    .bind(p.review_every_months)
    .bind(p.next_review_on)
    .bind(p.manager_id)
    .bind(p.agreement)
    .bind(p.agreed_on)
    .bind(p.planned_interventions)
    .bind(p.closure_reason)
    .bind(p.created_by)
    .bind(now_text())
    .bind(p.reason)
    .fetch_one(&mut *conn)
    .await?;
    for (i, g) in p.goals.iter().enumerate() {
        sqlx::query("INSERT INTO project_goal (project_id, horizon, text, target_date, outcome, position) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(g.horizon)
            .bind(g.text)
            .bind(g.target_date)
            .bind(g.outcome)
            .bind(i as i64)
            .execute(&mut *conn)
            .await?;
    }
    for (user, role) in &p.team {
        sqlx::query("INSERT INTO project_team (project_id, user_id, role) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(*user)
            .bind(*role)
            .execute(&mut *conn)
            .await?;
    }
    Ok((id, version))
}

/// Every version of the case's project, newest first.
pub async fn projects_of_case(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<ProjectRow>> {
    let sql = format!("{PROJECT_SELECT} WHERE p.case_id = $1 ORDER BY p.version DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case_id).fetch_all(&mut *conn).await?)
}

pub async fn project_goals(conn: &mut AnyConnection, project_id: i64) -> Result<Vec<GoalRow>> {
    Ok(sqlx::query_as(
        "SELECT id, project_id, horizon, text, target_date, outcome, position FROM project_goal WHERE project_id = $1 ORDER BY position, id",
    )
    .bind(project_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn project_team(conn: &mut AnyConnection, project_id: i64) -> Result<Vec<TeamMemberRow>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.project_id, t.user_id, u.display_name, t.role FROM project_team t JOIN app_user u ON u.id = t.user_id \
         WHERE t.project_id = $1 ORDER BY t.id",
    )
    .bind(project_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub struct NewReview<'a> {
    pub case_id: i64,
    pub project_id: i64,
    pub reviewed_on: &'a str,
    pub outcome: &'a str,
    pub notes: Option<&'a str>,
    pub next_review_on: Option<&'a str>,
    pub reviewed_by: Option<i64>,
}

pub async fn insert_review(conn: &mut AnyConnection, r: &NewReview<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO project_review (case_id, project_id, reviewed_on, outcome, notes, next_review_on, reviewed_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(r.case_id)
    .bind(r.project_id)
    .bind(r.reviewed_on)
    .bind(r.outcome)
    .bind(r.notes)
    .bind(r.next_review_on)
    .bind(r.reviewed_by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// The case's reviews, newest first, with the version of the project each one reviewed.
pub async fn reviews_of_case(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<ReviewRow>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.case_id, r.project_id, p.version AS project_version, r.reviewed_on, r.outcome, r.notes, r.next_review_on, \
         r.reviewed_by, u.display_name AS reviewer, r.created_at FROM project_review r JOIN project p ON p.id = r.project_id \
         LEFT JOIN app_user u ON u.id = r.reviewed_by WHERE r.case_id = $1 ORDER BY r.reviewed_on DESC, r.id DESC",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Open cases of the Ambito whose project (its latest version) is due for review before
/// `today`. The due date is the one the latest review of that version set, else the version's.
pub async fn reviews_due(conn: &mut AnyConnection, ambito_id: i64, today: &str) -> Result<Vec<ReviewDueRow>> {
    Ok(sqlx::query_as(
        "SELECT person_id, case_id, cognome, nome, next_review_on, manager_id FROM ( \
           SELECT c.person_id, c.id AS case_id, pe.cognome, pe.nome, p.manager_id, \
             COALESCE((SELECT r.next_review_on FROM project_review r WHERE r.project_id = p.id AND r.next_review_on IS NOT NULL \
                       ORDER BY r.reviewed_on DESC, r.id DESC LIMIT 1), p.next_review_on) AS next_review_on \
           FROM project p JOIN care_case c ON c.id = p.case_id JOIN person pe ON pe.id = c.person_id \
           WHERE c.ambito_id = $1 AND c.closed_on IS NULL AND p.closure_reason IS NULL \
             AND p.version = (SELECT MAX(q.version) FROM project q WHERE q.case_id = p.case_id) \
         ) due WHERE next_review_on < $2 ORDER BY next_review_on, cognome, nome, case_id",
    )
    .bind(ambito_id)
    .bind(today)
    .fetch_all(&mut *conn)
    .await?)
}
