//! Candidates for the one-box person search: prefix scans of the indexed keys, limited to the
//! persons an Ambito knows (a case, or a front-desk registration). Ranking is the domain's.

use crate::Result;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct SearchCandidate {
        pub id: i64,
        pub search_key: String,
        pub codice_fiscale: String,
        pub birth_date: String,
        pub identity_kind: String,
        pub comune_istat: Option<String>,
    }
}

const KNOWN_HERE: &str = "p.merged_into IS NULL AND (EXISTS (SELECT 1 FROM care_case c WHERE c.person_id = p.id AND c.ambito_id = $1) \
     OR EXISTS (SELECT 1 FROM person_ambito r WHERE r.person_id = p.id AND r.ambito_id = $1))";

/// Which key a scan reads.
#[derive(Debug, Clone, Copy)]
pub enum SearchKey {
    Code,
    Surname,
    Name,
    Sound,
}

/// Persons known to the Ambito whose key starts with `prefix` (`Sound`: equals it), at most
/// `limit`, in key order.
pub async fn search_candidates(
    conn: &mut AnyConnection,
    ambito_id: i64,
    key: SearchKey,
    prefix: &str,
    limit: i64,
) -> Result<Vec<SearchCandidate>> {
    let column = match key {
        SearchKey::Code => "p.codice_fiscale",
        SearchKey::Surname => "p.search_key",
        SearchKey::Name => "p.name_key",
        SearchKey::Sound => "p.sound_key",
    };
    // An equality scan for the sound key, written as a closed range so both forms bind alike.
    let (cond, end) = match key {
        SearchKey::Sound => (format!("{column} >= $2 AND {column} <= $3"), prefix.to_string()),
        _ => (format!("{column} >= $2 AND {column} < $3"), ambito_domain::person_search::prefix_end(prefix)),
    };
    let sql = format!(
        "SELECT p.id, p.search_key, p.codice_fiscale, p.birth_date, p.identity_kind, p.comune_istat FROM person p \
         WHERE {cond} AND {KNOWN_HERE} ORDER BY {column}, p.id LIMIT $4"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(ambito_id).bind(prefix).bind(end).bind(limit).fetch_all(&mut *conn).await?)
}
