//! The schema migrations of each backend, embedded by `build.rs` and turned into sqlx's
//! `Migrator` here.

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};
use std::sync::LazyLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/migrations.rs"));
}

fn migrator(files: &'static [(i64, &'static str, &'static str)]) -> Migrator {
    Migrator::with_migrations(
        files
            .iter()
            .map(|(version, description, sql)| {
                // As sqlx reads a folder: a file that starts so runs outside a transaction.
                let no_tx = sql.starts_with("-- no-transaction");
                Migration::new(*version, (*description).into(), MigrationType::Simple, AssertSqlSafe(*sql).into_sql_str(), no_tx)
            })
            .collect(),
    )
}

pub static SQLITE: LazyLock<Migrator> = LazyLock::new(|| migrator(embedded::SQLITE));
pub static POSTGRES: LazyLock<Migrator> = LazyLock::new(|| migrator(embedded::POSTGRES));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migrations_in_order() {
        let versions = |m: &Migrator| m.iter().map(|m| (m.version, m.description.to_string())).collect::<Vec<_>>();
        assert_eq!(versions(&SQLITE), versions(&POSTGRES), "one migration per version on both backends, same names");
        let v: Vec<i64> = SQLITE.iter().map(|m| m.version).collect();
        assert!(v.windows(2).all(|w| w[0] < w[1]) && v.first() == Some(&1), "{v:?}");
        assert_eq!(SQLITE.iter().next().map(|m| m.description.to_string()), Some("core".to_string()));
    }

    #[test]
    fn embedded_migrations_are_what_sqlx_reads_from_the_folders() {
        // sqlx's own reader of a migrations folder (what `sqlx::migrate!` ran at compile time):
        // same versions, descriptions, checksums and transaction mode, so databases created before
        // the embedding migrate on without a checksum mismatch.
        for (backend, embedded) in [("sqlite", &*SQLITE), ("postgres", &*POSTGRES)] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
            let read = sqlx::migrate::resolve_blocking(&dir).expect("migrations folder");
            let key = |m: &Migration| (m.version, m.description.to_string(), m.checksum.to_vec(), m.no_tx);
            let from_folder: Vec<_> = read.iter().map(|(m, _)| key(m)).collect();
            let ours: Vec<_> = embedded.iter().map(key).collect();
            assert_eq!(ours, from_folder, "{backend}");
        }
    }
}
