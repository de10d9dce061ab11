//! The case record's tables: the registry around a person, the front desk, how a case moves,
//! the diary and the one-box search. Nothing here deletes: dated records are voided.

pub mod alert_mail;
pub mod assessment;
pub mod courts;
pub mod documents;
pub mod figures;
mod flow;
mod intake;
pub mod interventions;
pub mod project;
mod registry;
mod search;
pub mod transfer;

pub use alert_mail::*;
pub use assessment::*;
pub use courts::*;
pub use documents::*;
pub use figures::*;
pub use flow::*;
pub use intake::*;
pub use interventions::*;
pub use project::*;
pub use registry::*;
pub use search::*;
pub use transfer::*;

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

/// The tables whose rows are voided rather than deleted (`voided_at`, `voided_by`,
/// `void_reason`): the only names [`void_row`] accepts, so no caller can build SQL from input.
pub const VOIDABLE: &[&str] =
    &["person_address", "household_member", "legal_representative", "consent", "disability", "contact", "appointment"];

/// Marks a row as void, keeping it: the record shows it struck through, with who and why.
/// `false`: no such live row of that person.
pub async fn void_row(conn: &mut AnyConnection, table: &str, id: i64, person_id: i64, by: i64, reason: &str) -> Result<bool> {
    let Some(table) = VOIDABLE.iter().find(|t| **t == table) else { return Ok(false) };
    let owner = if *table == "appointment" { "case_id IN (SELECT id FROM care_case WHERE person_id = $4)" } else { "person_id = $4" };
    let sql =
        format!("UPDATE {table} SET voided_at = $1, voided_by = $2, void_reason = $3 WHERE {owner} AND id = $5 AND voided_at IS NULL");
    let done =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now_text()).bind(by).bind(reason).bind(person_id).bind(id).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

/// The GDPR purge's part for the case record (called by `purge_person` before the cases go):
/// every row about the person goes; contacts stay as anonymous counts (the *accessi* of past
/// reports must not change), and rows of other persons that named this one lose the link.
pub async fn purge_registry(conn: &mut AnyConnection, person_id: i64) -> Result<()> {
    const BY_CASE: &[&str] = &["case_event", "case_manager", "case_share", "appointment"];
    for table in BY_CASE {
        let sql = format!("DELETE FROM {table} WHERE case_id IN (SELECT id FROM care_case WHERE person_id = $1)");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person_id).execute(&mut *conn).await?;
    }
    sqlx::query(
        "UPDATE case_note SET linked_note_id = NULL, supersedes = NULL WHERE case_id IN (SELECT id FROM care_case WHERE person_id = $1)",
    )
    .bind(person_id)
    .execute(&mut *conn)
    .await?;
    const BY_PERSON: &[&str] = &[
        "person_address",
        "household_member",
        "legal_representative",
        "consent",
        "disability",
        "person_revision",
        "person_ambito",
        "intake_proposal",
    ];
    for table in BY_PERSON {
        let sql = format!("DELETE FROM {table} WHERE person_id = $1");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person_id).execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM person_merge WHERE survivor_id = $1 OR merged_id = $1").bind(person_id).execute(&mut *conn).await?;
    sqlx::query("UPDATE household_member SET member_person_id = NULL WHERE member_person_id = $1")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE legal_representative SET representative_person_id = NULL WHERE representative_person_id = $1")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE person SET merged_into = NULL WHERE merged_into = $1").bind(person_id).execute(&mut *conn).await?;
    sqlx::query("UPDATE contact SET person_id = NULL, requester_name = NULL, reason = '' WHERE person_id = $1")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    let (page, below) = (format!("%/persone/{person_id}"), format!("%/persone/{person_id}/%"));
    sqlx::query("DELETE FROM alert WHERE href LIKE $1 OR href LIKE $2").bind(page).bind(below).execute(&mut *conn).await?;
    Ok(())
}
