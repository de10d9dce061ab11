//! `ambito backup` / `ambito restore` through the real binary: a round trip gives back exactly the
//! same rows in every table, restore refuses what is not an ambito database, and a backup taken
//! while the server serves and writes is a consistent snapshot.

use crate::support::{SMALL_ACTIVITY, TestDb, TestServer, new_ambito_with};
use ambito_app::App;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

fn ambito(url: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ambito"))
        .args(args)
        .env("AMBITO_DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run ambito");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

pub async fn dump(app: &App) -> String {
    let mut conn = app.store.read().await.expect("conn");
    ambito_store::dump_all_tables(&mut conn, app.store.backend()).await.expect("dump")
}

#[tokio::test]
async fn backup_then_restore_gives_back_every_row() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().expect("dir");
    let app = db.app().await;
    app.load_demo(&ambito_app::NoProgress).await.expect("demo");
    let before = dump(&app).await;
    assert!(before.contains("== activity (") && before.contains("== _sqlx_migrations ("), "{}", &before[..200.min(before.len())]);
    assert!(before.lines().count() > 500, "the demo fills the tables: {} lines", before.lines().count());

    let file = dir.path().join("ambito.backup");
    let (ok, out) = ambito(&db.url, &["backup", path(&file)]);
    assert!(ok, "{out}");
    let (ok, out) = ambito(&db.url, &["backup", path(&file)]);
    assert!(!ok && out.contains("esiste già"), "an existing backup is never overwritten: {out}");

    // Change the data after the backup, so the restore has something to undo.
    new_ambito_with(&app, "DOPO", SMALL_ACTIVITY).await;
    assert_ne!(dump(&app).await, before);

    if app.store.backend() == ambito_store::Backend::Sqlite {
        let (ok, out) = ambito(&db.url, &["restore", path(&file)]);
        assert!(!ok && out.contains("fermare il server"), "restore under an open database is refused: {out}");
    }
    app.store.close().await;
    let (ok, out) = ambito(&db.url, &["restore", path(&file)]);
    assert!(ok, "{out}");
    assert!(out.contains("database ripristinato"), "{out}");
    let app = db.app().await;
    assert_eq!(dump(&app).await, before, "same rows in every table after the round trip");
    // Ids keep counting after the restore (sequences and AUTOINCREMENT come back too).
    let o = new_ambito_with(&app, "DOPO", SMALL_ACTIVITY).await;
    assert!(o.applied, "{:?}", o.findings);
    app.store.close().await;

    // Disaster recovery: the same backup into a brand-new database.
    let fresh = TestDb::new().await;
    let (ok, out) = ambito(&fresh.url, &["restore", path(&file)]);
    assert!(ok, "{out}");
    let restored = fresh.app().await;
    assert_eq!(dump(&restored).await, before);
    restored.store.close().await;
    fresh.drop_pg().await;
    db.drop_pg().await;
}

#[tokio::test]
async fn restore_refuses_what_is_not_an_ambito_backup() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().expect("dir");
    let app = db.app().await;
    new_ambito_with(&app, "PROVA", SMALL_ACTIVITY).await;
    let before = dump(&app).await;
    app.store.close().await;

    let text = dir.path().join("note.txt");
    std::fs::write(&text, "non sono un backup\n").expect("write");
    let (ok, out) = ambito(&db.url, &["restore", path(&text)]);
    assert!(!ok && out.contains("non è un backup di ambito"), "{out}");

    // A real SQLite database, but not ambito's.
    let other = dir.path().join("altro.db");
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}?mode=rwc", path(&other))).await.expect("db");
    sqlx::query("CREATE TABLE t (x INTEGER)").execute(&mut conn).await.expect("create");
    sqlx::Connection::close(conn).await.expect("close");
    let (ok, out) = ambito(&db.url, &["restore", path(&other)]);
    assert!(!ok && out.contains("non è un backup di ambito"), "{out}");

    let (ok, out) = ambito(&db.url, &["restore", path(&dir.path().join("manca.db"))]);
    assert!(!ok, "{out}");

    let app = db.app().await;
    assert_eq!(dump(&app).await, before, "a refused restore changes nothing");
    app.store.close().await;
    db.drop_pg().await;
}

/// Every service of the test Ambito gets the same `utenti` value in one save, so a backup that
/// caught half a transaction would show two different values.
fn grid_form(value: i64) -> Vec<(String, String)> {
    let mut form = vec![("anno".to_string(), "2025".to_string())];
    for service in ["SAD", "SAD_PASTI", "TELE", "SEGR"] {
        form.push((format!("m.utenti.{service}"), value.to_string()));
    }
    form
}

async fn utenti_values(url: &str) -> Vec<i64> {
    let app = App::open(url).await.expect("open restored copy");
    let mut conn = app.store.read().await.expect("conn");
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT a.utenti FROM activity a JOIN service s ON s.id = a.service_id \
         WHERE a.year = 2025 AND s.code IN ('SAD', 'SAD_PASTI', 'TELE', 'SEGR') ORDER BY s.code",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("values");
    drop(conn);
    app.store.close().await;
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test]
async fn backup_while_the_server_serves_and_writes_is_a_consistent_snapshot() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().expect("dir");
    let app = db.app().await;
    new_ambito_with(&app, "PROVA", SMALL_ACTIVITY).await;
    let server = TestServer::start(app.clone()).await;

    let acked = Arc::new(AtomicI64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (acked, stop, client, base) = (acked.clone(), stop.clone(), server.client.clone(), server.base.clone());
        tokio::spawn(async move {
            let mut k = 1;
            while !stop.load(Ordering::SeqCst) {
                let res = client.post(format!("{base}/ambiti/PROVA/attivita")).form(&grid_form(k)).send().await.expect("post");
                assert_eq!(res.status(), 303, "save {k} acknowledged");
                acked.store(k, Ordering::SeqCst);
                k += 1;
            }
            k - 1
        })
    };
    // Readers too, so the copy competes with real traffic.
    let reader = {
        let (stop, client, base) = (stop.clone(), server.client.clone(), server.base.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let res = client.get(format!("{base}/ambiti/PROVA/relazione?anno=2025")).send().await.expect("get");
                assert_eq!(res.status(), 200);
                n += 1;
            }
            n
        })
    };

    let mut checked = Vec::new();
    for i in 0..3 {
        while acked.load(Ordering::SeqCst) < 5 * (i + 1) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let floor = acked.load(Ordering::SeqCst);
        let file = dir.path().join(format!("live-{i}.backup"));
        let url = db.url.clone();
        let (ok, out) = tokio::task::spawn_blocking({
            let file = file.clone();
            move || ambito(&url, &["backup", path(&file)])
        })
        .await
        .expect("join");
        assert!(ok, "{out}");
        let ceiling = acked.load(Ordering::SeqCst) + 1;
        let target = TestDb::new().await;
        let (ok, out) = ambito(&target.url, &["restore", path(&file)]);
        assert!(ok, "{out}");
        let values = utenti_values(&target.url).await;
        target.drop_pg().await;
        assert_eq!(values.len(), 4, "{values:?}");
        assert!(values.iter().all(|v| *v == values[0]), "one transaction, all or nothing: {values:?}");
        assert!((floor..=ceiling).contains(&values[0]), "snapshot {} between {floor} and {ceiling}", values[0]);
        checked.push(values[0]);
    }
    stop.store(true, Ordering::SeqCst);
    let writes = writer.await.expect("writer");
    let reads = reader.await.expect("reader");
    eprintln!("live backups at saves {checked:?}; {writes} saves and {reads} report pages served meanwhile");
    assert!(writes >= 15 && reads > 0);
    db.drop_pg().await;
}
