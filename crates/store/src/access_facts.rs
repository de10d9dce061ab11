//! The facts the person access rule decides on, for many persons in five queries: the person
//! page asks for one, the search for a page of hits. Grouping them is the domain's
//! (`app::access` builds `PersonFacts`); here are only the rows.

use crate::Result;
use sqlx::AnyConnection;

/// The rows behind the access facts of some persons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessFactRows {
    /// (person, residence Comune) of the persons that exist.
    pub persons: Vec<(i64, Option<String>)>,
    /// (case, person, Ambito, provider).
    pub cases: Vec<(i64, i64, i64, Option<String>)>,
    /// (case, user): the care teams, and the workers a case is shared with today.
    pub members: Vec<(i64, i64)>,
    /// (person, Ambito) front-desk registrations.
    pub registered: Vec<(i64, i64)>,
    /// The persons among them with an active break-glass of `user`.
    pub glass: Vec<i64>,
}

/// `$from, $from+1, …` for `n` bound values.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// The access rows of `ids` (unknown ids give nothing), the shares as of `today`, break-glass
/// as of `now` for `user`. An empty list asks nothing.
pub async fn access_facts(conn: &mut AnyConnection, ids: &[i64], user: i64, today: &str, now: &str) -> Result<AccessFactRows> {
    let mut out = AccessFactRows::default();
    if ids.is_empty() {
        return Ok(out);
    }
    let list = placeholders(1, ids.len());
    let n = ids.len();
    macro_rules! fetch {
        ($sql:expr, $($extra:expr),*) => {{
            let sql = $sql;
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in ids {
                q = q.bind(*id);
            }
            $(q = q.bind($extra);)*
            q.fetch_all(&mut *conn).await?
        }};
    }
    out.persons = fetch!(format!("SELECT id, comune_istat FROM person WHERE id IN ({list})"),);
    out.cases =
        fetch!(format!("SELECT id, person_id, ambito_id, provider FROM care_case WHERE person_id IN ({list}) ORDER BY opened_on, id"),);
    out.members = fetch!(
        format!(
            "SELECT t.case_id, t.user_id FROM care_team t JOIN care_case c ON c.id = t.case_id WHERE c.person_id IN ({list}) \
             UNION ALL SELECT s.case_id, s.user_id FROM case_share s JOIN care_case c ON c.id = s.case_id \
             WHERE c.person_id IN ({list}) AND s.revoked_at IS NULL AND s.from_on <= ${d} AND s.to_on >= ${d}",
            d = n + 1
        ),
        today
    );
    // The UNION's second list binds the same ids again: the macro bound them once, so the
    // shares' list reuses the first placeholders (PostgreSQL and SQLite both allow a number twice).
    out.registered = fetch!(format!("SELECT person_id, ambito_id FROM person_ambito WHERE person_id IN ({list})"),);
    let glass: Vec<(i64,)> = fetch!(
        format!(
            "SELECT DISTINCT person_id FROM break_glass WHERE person_id IN ({list}) AND user_id = ${u} AND expires_at > ${t}",
            u = n + 1,
            t = n + 2
        ),
        user,
        now
    );
    out.glass = glass.into_iter().map(|g| g.0).collect();
    Ok(out)
}

/// The person rows of `ids`, in no particular order (unknown ids give nothing).
pub async fn persons_by_ids(conn: &mut AnyConnection, ids: &[i64]) -> Result<Vec<crate::PersonRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {} FROM person WHERE id IN ({})", crate::person::PERSON_COLUMNS, placeholders(1, ids.len()));
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}
