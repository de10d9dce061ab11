//! Process A: the front-desk contacts and the proposals to take a person in charge.

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct ContactRow {
        pub id: i64,
        pub person_id: Option<i64>,
        pub person_name: Option<String>,
        pub occurred_on: String,
        pub channel: String,
        pub requester_kind: String,
        pub requester_name: Option<String>,
        pub need_area: String,
        pub reason: String,
        pub outcome: String,
        pub referred_to: Option<String>,
        pub service_code: Option<String>,
        pub operator: Option<String>,
        pub voided_at: Option<String>,
    }
}

pub struct NewContact<'a> {
    pub person_id: Option<i64>,
    pub occurred_on: &'a str,
    pub channel: &'a str,
    pub requester_kind: &'a str,
    pub requester_name: Option<&'a str>,
    pub need_area: &'a str,
    pub reason: &'a str,
    pub outcome: &'a str,
    pub referred_to: Option<&'a str>,
    pub service_id: Option<i64>,
}

const CONTACT_SELECT: &str = "SELECT k.id, k.person_id, CASE WHEN p.id IS NULL THEN NULL ELSE p.cognome || ' ' || p.nome END AS person_name, \
     k.occurred_on, k.channel, k.requester_kind, k.requester_name, k.need_area, k.reason, k.outcome, k.referred_to, \
     s.code AS service_code, u.display_name AS operator, k.voided_at FROM contact k LEFT JOIN person p ON p.id = k.person_id \
     LEFT JOIN service s ON s.id = k.service_id LEFT JOIN app_user u ON u.id = k.operator_id";

pub async fn add_contact(conn: &mut AnyConnection, ambito_id: i64, c: &NewContact<'_>, operator: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO contact (ambito_id, person_id, occurred_on, channel, requester_kind, requester_name, need_area, reason, outcome, \
         referred_to, service_id, operator_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(ambito_id)
    .bind(c.person_id)
    .bind(c.occurred_on)
    .bind(c.channel)
    .bind(c.requester_kind)
    .bind(c.requester_name)
    .bind(c.need_area)
    .bind(c.reason)
    .bind(c.outcome)
    .bind(c.referred_to)
    .bind(c.service_id)
    .bind(operator)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// The Ambito's contact log, newest first, at most `limit` rows.
pub async fn contacts_in_ambito(conn: &mut AnyConnection, ambito_id: i64, limit: i64) -> Result<Vec<ContactRow>> {
    let sql = format!("{CONTACT_SELECT} WHERE k.ambito_id = $1 ORDER BY k.occurred_on DESC, k.id DESC LIMIT $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(ambito_id).bind(limit).fetch_all(&mut *conn).await?)
}

pub async fn contacts_of_person(conn: &mut AnyConnection, person_id: i64, ambito_id: i64) -> Result<Vec<ContactRow>> {
    let sql = format!("{CONTACT_SELECT} WHERE k.person_id = $1 AND k.ambito_id = $2 ORDER BY k.occurred_on DESC, k.id DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).bind(ambito_id).fetch_all(&mut *conn).await?)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct ProposalRow {
        pub id: i64,
        pub ambito_id: i64,
        pub person_id: i64,
        pub cognome: String,
        pub nome: String,
        pub contact_id: Option<i64>,
        pub need_area: String,
        pub reason: String,
        pub service_code: Option<String>,
        pub proposed_by: Option<String>,
        pub proposed_at: String,
        pub state: String,
        pub decided_by: Option<String>,
        pub decided_at: Option<String>,
        pub decision_note: Option<String>,
        pub case_id: Option<i64>,
    }
}

const PROPOSAL_SELECT: &str = "SELECT x.id, x.ambito_id, x.person_id, p.cognome, p.nome, x.contact_id, x.need_area, x.reason, x.service_code, \
     a.display_name AS proposed_by, x.proposed_at, x.state, d.display_name AS decided_by, x.decided_at, x.decision_note, x.case_id \
     FROM intake_proposal x JOIN person p ON p.id = x.person_id LEFT JOIN app_user a ON a.id = x.proposed_by \
     LEFT JOIN app_user d ON d.id = x.decided_by";

pub struct NewProposal<'a> {
    pub person_id: i64,
    pub contact_id: Option<i64>,
    pub need_area: &'a str,
    pub reason: &'a str,
    pub service_code: Option<&'a str>,
}

pub async fn add_proposal(conn: &mut AnyConnection, ambito_id: i64, x: &NewProposal<'_>, by: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO intake_proposal (ambito_id, person_id, contact_id, need_area, reason, service_code, proposed_by, proposed_at, state) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'proposta') RETURNING id",
    )
    .bind(ambito_id)
    .bind(x.person_id)
    .bind(x.contact_id)
    .bind(x.need_area)
    .bind(x.reason)
    .bind(x.service_code)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// The Ambito's proposals in `state` (all states: `None`), oldest first.
pub async fn proposals_in_ambito(conn: &mut AnyConnection, ambito_id: i64, state: Option<&str>) -> Result<Vec<ProposalRow>> {
    let sql = format!("{PROPOSAL_SELECT} WHERE x.ambito_id = $1 AND ($2 = '' OR x.state = $2) ORDER BY x.proposed_at, x.id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(ambito_id).bind(state.unwrap_or("")).fetch_all(&mut *conn).await?)
}

pub async fn proposal(conn: &mut AnyConnection, ambito_id: i64, id: i64) -> Result<Option<ProposalRow>> {
    let sql = format!("{PROPOSAL_SELECT} WHERE x.ambito_id = $1 AND x.id = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(ambito_id).bind(id).fetch_optional(&mut *conn).await?)
}

pub async fn proposals_of_person(conn: &mut AnyConnection, person_id: i64, ambito_id: i64) -> Result<Vec<ProposalRow>> {
    let sql = format!("{PROPOSAL_SELECT} WHERE x.person_id = $1 AND x.ambito_id = $2 ORDER BY x.proposed_at DESC, x.id DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).bind(ambito_id).fetch_all(&mut *conn).await?)
}

/// Records the decision on a still-open proposal. `false`: it was decided already (by someone
/// else, a moment ago): the decision is not taken twice.
pub async fn decide_proposal(
    conn: &mut AnyConnection,
    id: i64,
    state: &str,
    note: Option<&str>,
    case_id: Option<i64>,
    by: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE intake_proposal SET state = $1, decision_note = $2, case_id = $3, decided_by = $4, decided_at = $5 \
         WHERE id = $6 AND state = 'proposta'",
    )
    .bind(state)
    .bind(note)
    .bind(case_id)
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
