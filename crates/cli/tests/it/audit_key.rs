//! The keyed audit chain (issue 10, finding 8): what someone who can write the database but does
//! not hold the key can no longer do, through the real `ambito audit` commands.

use crate::access::demo_app;
use crate::support::TestDb;
use ambito_domain::audit::{AuditKey, ChainError, Entry, entry_hash};
use std::process::Command;

fn ambito(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ambito"));
    cmd.args(args).env("AMBITO_DATABASE_URL", &db.url).env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run ambito");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

async fn exec(app: &ambito_app::App, sql: &str) {
    let mut tx = app.store.write_untracked().await.expect("tx");
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut *tx).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    tx.commit().await.expect("commit");
}

/// What an attacker with the database and without the key would do after editing a row: recompute
/// every link from `from` on with the published, unkeyed rule, and move the head.
async fn relink_without_key(app: &ambito_app::App, from: i64) {
    let mut tx = app.store.write_untracked().await.expect("tx");
    let rows = sqlx::query(sqlx::AssertSqlSafe(
        "SELECT seq, at, user_id, username, action, object, person_id, ambito, ip, reason, flagged, prev_hash FROM audit_log ORDER BY seq"
            .to_string(),
    ))
    .fetch_all(&mut *tx)
    .await
    .expect("rows");
    let mut prev = String::new();
    for r in rows {
        use sqlx::Row;
        let e = Entry {
            seq: r.get(0),
            at: r.get(1),
            user_id: r.get(2),
            username: r.get(3),
            action: r.get(4),
            object: r.get(5),
            person_id: r.get(6),
            ambito: r.get(7),
            ip: r.get(8),
            reason: r.get(9),
            flagged: r.get::<i64, _>(10) != 0,
        };
        if e.seq < from {
            prev = sqlx::query_scalar::<_, String>("SELECT hash FROM audit_log WHERE seq = $1")
                .bind(e.seq)
                .fetch_one(&mut *tx)
                .await
                .expect("h");
            continue;
        }
        let hash = entry_hash(&prev, &e);
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(e.seq)
            .execute(&mut *tx)
            .await
            .expect("relink");
        prev = hash;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&prev).execute(&mut *tx).await.expect("head");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn a_row_rewritten_and_relinked_with_plain_hashes_fails_verification() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let (ok, text) = ambito(&db, &["audit", "verify"], &[]);
    assert!(ok, "{text}");
    let v = app.verify_audit().await.expect("verify");
    assert!(v.error.is_none() && v.entries > 10 && v.keyed_from == Some(1), "{v:?}");

    exec(&app, "UPDATE audit_log SET username = 'qualcun altro' WHERE seq = 5").await;
    relink_without_key(&app, 5).await;
    // Before the key, this chain verified again; now the first relinked entry is refused.
    assert_eq!(app.verify_audit().await.expect("verify").error, Some(ChainError::Altered { seq: 5 }));
    let (ok, text) = ambito(&db, &["audit", "verify"], &[]);
    assert!(!ok && text.contains("voce 5"), "{text}");

    // Nor can the switch-over be cleared to make the whole chain "written before the key".
    exec(&app, "UPDATE audit_head SET keyed_from = NULL, keyed_mac = NULL WHERE id = 1").await;
    relink_without_key(&app, 1).await;
    assert!(matches!(app.verify_audit().await.expect("verify").error, Some(ChainError::NeverKeyed { .. })));
    // Or moved past the head, with a signature made without the key.
    let mac = ambito_domain::audit::switch_mac(&AuditKey::new(vec![0; 32]).expect("key"), 1);
    exec(&app, &format!("UPDATE audit_head SET keyed_from = 100000, keyed_mac = '{mac}' WHERE id = 1")).await;
    assert!(matches!(app.verify_audit().await.expect("verify").error, Some(ChainError::SwitchForged { keyed_from: 100000 })));
    db.drop_pg().await;
}

#[tokio::test]
async fn a_deleted_tail_and_a_reset_head_are_caught_by_a_checkpoint() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("checkpoint.txt");
    let file_arg = file.to_str().expect("path");
    let (ok, text) = ambito(&db, &["audit", "checkpoint", "-o", file_arg], &[]);
    assert!(ok, "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777, 0o600);
    }
    let head = app.verify_audit().await.expect("verify").entries;
    let (ok, text) = ambito(&db, &["audit", "verify", "--checkpoints", file_arg], &[]);
    assert!(ok && text.contains("1 checkpoint"), "{text}");

    // Delete the last three entries and point the head at what is now the last one: the
    // database alone cannot tell.
    let keep = head - 3;
    exec(&app, &format!("DELETE FROM audit_log WHERE seq > {keep}")).await;
    exec(&app, &format!("UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit_log WHERE seq = {keep}) WHERE id = 1")).await;
    let (ok, text) = ambito(&db, &["audit", "verify"], &[]);
    assert!(ok, "without a checkpoint a clean cut looks intact: {text}");
    let (ok, text) = ambito(&db, &["audit", "verify", "--checkpoints", file_arg], &[]);
    assert!(!ok && text.contains(&format!("attesta la voce {head}")), "{text}");
    db.drop_pg().await;
}

#[tokio::test]
async fn a_wrong_key_fails_verification_and_checkpoints() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("cp.txt");
    app.write_audit_checkpoint(&file).await.expect("checkpoint");
    let wrong = [("AMBITO_AUDIT_KEY", "una chiave diversa, lunga almeno trentadue caratteri")];
    let (ok, text) = ambito(&db, &["audit", "verify"], &wrong);
    assert!(!ok && text.contains("chiave errata"), "{text}");
    let (ok, text) = ambito(&db, &["audit", "verify", "--checkpoints", file.to_str().expect("path")], &wrong);
    assert!(!ok && text.contains("firma non valida"), "{text}");
    let other = app.clone().with_audit_key(AuditKey::new(vec![9; 32]).expect("key"));
    assert!(matches!(other.verify_audit().await.expect("verify").error, Some(ChainError::SwitchForged { .. })));
    let (ok, text) = ambito(&db, &["audit", "verify"], &[("AMBITO_AUDIT_KEY", "corta")]);
    assert!(!ok && text.contains("troppo corta"), "{text}");
    db.drop_pg().await;
}

#[tokio::test]
async fn the_server_appends_checkpoints_while_the_log_grows() {
    let db = TestDb::new().await;
    let app = db.app().await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("periodic.txt");
    app.audit(ambito_app::access::AuditEvent { username: "prova".into(), action: "test".into(), ..Default::default() })
        .await
        .expect("audit");
    app.start_audit_checkpoints(file.clone(), std::time::Duration::from_millis(100)).await.expect("start");
    let lines = || std::fs::read_to_string(&file).unwrap_or_default().lines().count();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while lines() < 1 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(lines(), 1, "one checkpoint, and none again while nothing changes");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(lines(), 1, "no new checkpoint while nothing changes");
    app.audit(ambito_app::access::AuditEvent { username: "prova".into(), action: "test".into(), ..Default::default() })
        .await
        .expect("audit");
    while lines() < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let cps = app.read_audit_checkpoints(&file).expect("signed");
    assert_eq!(cps.iter().map(|c| c.seq).collect::<Vec<_>>(), vec![1, 2]);
    assert!(app.verify_audit_against(&cps).await.expect("verify").error.is_none());
    db.drop_pg().await;
}

#[tokio::test]
async fn serve_writes_a_checkpoint_at_start_when_asked() {
    let db = TestDb::new().await;
    let app = db.app().await;
    app.audit(ambito_app::access::AuditEvent { username: "prova".into(), action: "test".into(), ..Default::default() })
        .await
        .expect("audit");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("serve-checkpoints.txt");
    let listen = format!("127.0.0.1:{}", crate::procs::free_port());
    let env = [("AMBITO_AUDIT_CHECKPOINTS", file.to_str().expect("path"))];
    let (_server, _) = crate::procs::serve(&db.url, &listen, &env, dir.path().join("serve.log"));
    let cps = app.read_audit_checkpoints(&file).expect("written before the server listens");
    assert_eq!(cps.iter().map(|c| c.seq).collect::<Vec<_>>(), vec![1]);
    db.drop_pg().await;
}
