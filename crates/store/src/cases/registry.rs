//! The registry around a person: addresses over time, the household, the legal representative,
//! consents, disability, the Ambiti that know the person, revisions and merges.

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct AddressRow {
        pub id: i64,
        pub kind: String,
        pub comune_istat: Option<String>,
        pub address: String,
        pub valid_from: String,
        pub valid_to: Option<String>,
        pub voided_at: Option<String>,
        pub void_reason: Option<String>,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct HouseholdRow {
        pub id: i64,
        pub member_person_id: Option<i64>,
        pub member_name: String,
        pub relation: String,
        pub cohabiting: i64,
        pub parental_responsibility: i64,
        pub valid_from: Option<String>,
        pub valid_to: Option<String>,
        pub voided_at: Option<String>,
        pub void_reason: Option<String>,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct LegalRow {
        pub id: i64,
        pub kind: String,
        pub representative_name: String,
        pub court: String,
        pub decree_number: String,
        pub decree_date: String,
        pub valid_from: String,
        pub valid_to: Option<String>,
        pub voided_at: Option<String>,
        pub void_reason: Option<String>,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct ConsentRow {
        pub id: i64,
        pub kind: String,
        pub given: i64,
        pub given_on: String,
        pub note: Option<String>,
        pub voided_at: Option<String>,
        pub void_reason: Option<String>,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct DisabilityRow {
        pub id: i64,
        pub kind: String,
        pub percentage: Option<i64>,
        pub icd10: Option<String>,
        pub recognized_on: String,
        pub review_on: Option<String>,
        pub voided_at: Option<String>,
        pub void_reason: Option<String>,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct RevisionRow {
        pub id: i64,
        pub data: String,
        pub changed_by: Option<String>,
        pub changed_at: String,
        pub reason: String,
    }
}

pub struct NewAddress<'a> {
    pub kind: &'a str,
    pub comune_istat: Option<&'a str>,
    pub address: &'a str,
    pub valid_from: &'a str,
    pub valid_to: Option<&'a str>,
}

pub async fn addresses_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<AddressRow>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, comune_istat, address, valid_from, valid_to, voided_at, void_reason FROM person_address \
         WHERE person_id = $1 ORDER BY kind, valid_from DESC, id DESC",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn add_address(conn: &mut AnyConnection, person_id: i64, a: &NewAddress<'_>, by: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO person_address (person_id, kind, comune_istat, address, valid_from, valid_to, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(person_id)
    .bind(a.kind)
    .bind(a.comune_istat)
    .bind(a.address)
    .bind(a.valid_from)
    .bind(a.valid_to)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Ends the current (open) address of that kind the day before `until`: a move is a new row,
/// the old one keeps its dates.
pub async fn end_current_address(conn: &mut AnyConnection, person_id: i64, kind: &str, last_day: &str) -> Result<()> {
    sqlx::query(
        "UPDATE person_address SET valid_to = $1 WHERE person_id = $2 AND kind = $3 AND valid_to IS NULL AND voided_at IS NULL \
         AND valid_from <= $1",
    )
    .bind(last_day)
    .bind(person_id)
    .bind(kind)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub struct NewHouseholdMember<'a> {
    pub member_person_id: Option<i64>,
    pub member_name: &'a str,
    pub relation: &'a str,
    pub cohabiting: bool,
    pub parental_responsibility: bool,
    pub valid_from: Option<&'a str>,
}

pub async fn household_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<HouseholdRow>> {
    Ok(sqlx::query_as(
        "SELECT id, member_person_id, member_name, relation, cohabiting, parental_responsibility, valid_from, valid_to, voided_at, \
         void_reason FROM household_member WHERE person_id = $1 ORDER BY id",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn add_household_member(conn: &mut AnyConnection, person_id: i64, m: &NewHouseholdMember<'_>, by: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO household_member (person_id, member_person_id, member_name, relation, cohabiting, parental_responsibility, \
         valid_from, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(person_id)
    .bind(m.member_person_id)
    .bind(m.member_name)
    .bind(m.relation)
    .bind(i64::from(m.cohabiting))
    .bind(i64::from(m.parental_responsibility))
    .bind(m.valid_from)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub struct NewLegal<'a> {
    pub kind: &'a str,
    pub representative_name: &'a str,
    pub court: &'a str,
    pub decree_number: &'a str,
    pub decree_date: &'a str,
    pub valid_from: &'a str,
}

pub async fn legal_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<LegalRow>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, representative_name, court, decree_number, decree_date, valid_from, valid_to, voided_at, void_reason \
         FROM legal_representative WHERE person_id = $1 ORDER BY valid_from DESC, id DESC",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn add_legal(conn: &mut AnyConnection, person_id: i64, l: &NewLegal<'_>, by: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO legal_representative (person_id, kind, representative_name, court, decree_number, decree_date, valid_from, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(person_id)
    .bind(l.kind)
    .bind(l.representative_name)
    .bind(l.court)
    .bind(l.decree_number)
    .bind(l.decree_date)
    .bind(l.valid_from)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn consents_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<ConsentRow>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, given, given_on, note, voided_at, void_reason FROM consent WHERE person_id = $1 ORDER BY given_on DESC, id DESC",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn add_consent(
    conn: &mut AnyConnection,
    person_id: i64,
    kind: &str,
    given: bool,
    on: &str,
    note: Option<&str>,
    by: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO consent (person_id, kind, given, given_on, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(person_id)
    .bind(kind)
    .bind(i64::from(given))
    .bind(on)
    .bind(note)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub struct NewDisability<'a> {
    pub kind: &'a str,
    pub percentage: Option<i64>,
    pub icd10: Option<&'a str>,
    pub recognized_on: &'a str,
    pub review_on: Option<&'a str>,
}

pub async fn disabilities_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<DisabilityRow>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, percentage, icd10, recognized_on, review_on, voided_at, void_reason FROM disability WHERE person_id = $1 \
         ORDER BY recognized_on DESC, id DESC",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn add_disability(conn: &mut AnyConnection, person_id: i64, d: &NewDisability<'_>, by: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO disability (person_id, kind, percentage, icd10, recognized_on, review_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(person_id)
    .bind(d.kind)
    .bind(d.percentage)
    .bind(d.icd10)
    .bind(d.recognized_on)
    .bind(d.review_on)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn revisions_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<RevisionRow>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.data, u.display_name AS changed_by, r.changed_at, r.reason FROM person_revision r \
         LEFT JOIN app_user u ON u.id = r.changed_by WHERE r.person_id = $1 ORDER BY r.id",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Makes the person known to the Ambito's front desk (idempotent).
pub async fn register_in_ambito(conn: &mut AnyConnection, person_id: i64, ambito_id: i64, on: &str, by: Option<i64>) -> Result<()> {
    let known: Option<(i64,)> = sqlx::query_as("SELECT person_id FROM person_ambito WHERE person_id = $1 AND ambito_id = $2")
        .bind(person_id)
        .bind(ambito_id)
        .fetch_optional(&mut *conn)
        .await?;
    if known.is_none() {
        sqlx::query("INSERT INTO person_ambito (person_id, ambito_id, registered_on, registered_by) VALUES ($1, $2, $3, $4)")
            .bind(person_id)
            .bind(ambito_id)
            .bind(on)
            .bind(by)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The Ambiti whose front desk knows the person without a case.
pub async fn registered_ambiti(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT ambito_id FROM person_ambito WHERE person_id = $1").bind(person_id).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The person rows that may be the same human as (cf, search key, birth date): the same code, or
/// the same folded surname and name born the same day. Merged-away rows are left out.
pub async fn possible_duplicates(conn: &mut AnyConnection, cf: &str, search_key: &str, birth_date: &str) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM person WHERE merged_into IS NULL AND (codice_fiscale = $1 OR (search_key = $2 AND birth_date = $3)) ORDER BY id",
    )
    .bind(cf)
    .bind(search_key)
    .bind(birth_date)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The tables whose rows follow a person in a merge, with their person column.
const FOLLOWS_PERSON: &[(&str, &str)] = &[
    ("care_case", "person_id"),
    ("person_address", "person_id"),
    ("household_member", "person_id"),
    ("legal_representative", "person_id"),
    ("consent", "person_id"),
    ("disability", "person_id"),
    ("contact", "person_id"),
    ("intake_proposal", "person_id"),
    ("break_glass", "person_id"),
];

/// Moves every row of `merged` to `survivor` and marks `merged` as merged into it; what moved is
/// written to `person_merge` so that [`undo_merge`] can put it back. Returns the merge's id.
pub async fn merge_persons(conn: &mut AnyConnection, survivor: i64, merged: i64, reason: &str, by: i64) -> Result<i64> {
    let mut moved = serde_json::Map::new();
    for (table, column) in FOLLOWS_PERSON {
        let sql = format!("SELECT id FROM {table} WHERE {column} = $1 ORDER BY id");
        let ids: Vec<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(merged).fetch_all(&mut *conn).await?;
        let sql = format!("UPDATE {table} SET {column} = $1 WHERE {column} = $2");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(survivor).bind(merged).execute(&mut *conn).await?;
        moved.insert((*table).into(), ids.into_iter().map(|r| r.0).collect::<Vec<_>>().into());
    }
    let known = registered_ambiti(conn, merged).await?;
    for ambito in &known {
        register_in_ambito(conn, survivor, *ambito, &now_text()[..10], Some(by)).await?;
    }
    moved.insert("person_ambito".into(), known.into());
    sqlx::query("UPDATE person SET merged_into = $1 WHERE id = $2").bind(survivor).bind(merged).execute(&mut *conn).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO person_merge (survivor_id, merged_id, moved, reason, merged_by, merged_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(survivor)
    .bind(merged)
    .bind(serde_json::Value::Object(moved).to_string())
    .bind(reason)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct MergeRow {
        pub id: i64,
        pub survivor_id: i64,
        pub merged_id: i64,
        pub moved: String,
        pub reason: String,
        pub merged_at: String,
        pub undone_at: Option<String>,
    }
}

/// The merges that involve the person, newest first.
pub async fn merges_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<MergeRow>> {
    Ok(sqlx::query_as(
        "SELECT id, survivor_id, merged_id, moved, reason, merged_at, undone_at FROM person_merge \
         WHERE survivor_id = $1 OR merged_id = $1 ORDER BY id DESC",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Puts back what merge `id` moved. `false`: no such merge still in force.
pub async fn undo_merge(conn: &mut AnyConnection, id: i64, by: i64) -> Result<bool> {
    let Some(m): Option<MergeRow> = sqlx::query_as(
        "SELECT id, survivor_id, merged_id, moved, reason, merged_at, undone_at FROM person_merge WHERE id = $1 AND undone_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(false);
    };
    let moved: serde_json::Value = serde_json::from_str(&m.moved).unwrap_or_default();
    for (table, column) in FOLLOWS_PERSON {
        for row in moved[*table].as_array().into_iter().flatten().filter_map(serde_json::Value::as_i64) {
            let sql = format!("UPDATE {table} SET {column} = $1 WHERE id = $2 AND {column} = $3");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(m.merged_id).bind(row).bind(m.survivor_id).execute(&mut *conn).await?;
        }
    }
    sqlx::query("UPDATE person SET merged_into = NULL WHERE id = $1").bind(m.merged_id).execute(&mut *conn).await?;
    sqlx::query("UPDATE person_merge SET undone_at = $1, undone_by = $2 WHERE id = $3")
        .bind(now_text())
        .bind(by)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}
