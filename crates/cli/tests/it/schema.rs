//! The two migration folders are hand-kept twins: this holds them to one schema as the databases
//! themselves report it (tables, columns, types, keys, indexes, foreign keys, triggers). What may
//! differ, and how it is normalised, is said in `ambito_store::schema`. It needs PostgreSQL in
//! both CI passes, and fails (never skips) when the server is down.

use crate::support::TestDb;
use ambito_store::schema::{describe, differences};

#[tokio::test]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let lite = TestDb::sqlite();
    let pg = TestDb::postgres().await;
    let lite_app = lite.app().await;
    let pg_app = pg.app().await;
    let a = describe(&lite_app.store).await.expect("describe SQLite");
    let b = describe(&pg_app.store).await.expect("describe PostgreSQL");
    pg_app.store.close().await;
    pg.drop_pg().await;
    assert!(a.len() > 30, "the SQLite schema was read: {} tables", a.len());
    assert!(a.contains_key("audit_log") && a["audit_log"].columns.len() > 5, "columns were read");
    assert!(a.values().any(|t| !t.foreign_keys.is_empty()), "foreign keys were read on SQLite");
    assert!(b.values().any(|t| !t.foreign_keys.is_empty()), "foreign keys were read on PostgreSQL");
    assert!(b.values().any(|t| !t.indexes.is_empty()), "indexes were read on PostgreSQL");
    let diff = differences("sqlite", &a, "postgres", &b);
    assert!(diff.is_empty(), "the migrations disagree:\n{}", diff.join("\n"));
}
