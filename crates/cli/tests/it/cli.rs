//! The binary itself: exit codes, locale of messages, round trips through files.

use crate::support::{SMALL_ACTIVITY, TestDb};
use std::process::Command;

fn ambito(db: &TestDb, args: &[&str], lang: &str) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ambito"))
        .args(args)
        .env("AMBITO_DATABASE_URL", &db.url)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run ambito");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test]
async fn import_errors_follow_the_locale_and_exit_non_zero() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().expect("dir");
    let good = dir.path().join("attivita.csv");
    std::fs::write(&good, SMALL_ACTIVITY).expect("write");
    let (ok, out, err) =
        ambito(&db, &["import", "activity", good.to_str().expect("path"), "--ambito", "PROVA", "--new-ambito", "Prova"], "C");
    assert!(ok, "{out}{err}");
    assert!(out.contains("7 rows imported"), "{out}");

    let bad = dir.path().join("sbagliato.csv");
    std::fs::write(&bad, SMALL_ACTIVITY.replace(";80;", ";ottanta;")).expect("write");
    let (ok, _, err) = ambito(&db, &["import", "activity", bad.to_str().expect("path"), "--ambito", "PROVA"], "it_IT.UTF-8");
    assert!(!ok);
    assert!(err.contains("sbagliato.csv:2:utenti_in_carico: non è un numero: «ottanta»"), "{err}");
    assert!(err.contains("nessuna modifica applicata"), "{err}");
    let (ok, _, err) = ambito(&db, &["import", "activity", bad.to_str().expect("path"), "--ambito", "PROVA"], "en_GB.UTF-8");
    assert!(!ok);
    assert!(err.contains("sbagliato.csv:2:utenti_in_carico: not a number: «ottanta»"), "{err}");
    db.drop_pg().await;
}

#[tokio::test]
async fn export_then_reimport_round_trips() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().expect("dir");
    let (ok, _, err) = ambito(&db, &["demo"], "C");
    assert!(ok, "{err}");
    let exported = dir.path().join("export.csv");
    let (ok, _, err) =
        ambito(&db, &["export", "activity", "--ambito", "ALTO_SEBINO", "--year", "2025", "-o", exported.to_str().expect("p")], "C");
    assert!(ok, "{err}");
    let report_before = dir.path().join("before.csv");
    let report_after = dir.path().join("after.csv");
    let args = |o: &std::path::Path| {
        vec![
            "report".to_string(),
            "annual".into(),
            "--ambito".into(),
            "ALTO_SEBINO".into(),
            "--year".into(),
            "2025".into(),
            "--format".into(),
            "csv".into(),
            "-o".into(),
            o.display().to_string(),
        ]
    };
    let run = |o: &std::path::Path| {
        let a = args(o);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        ambito(&db, &refs, "C")
    };
    assert!(run(&report_before).0);
    let (ok, _, err) = ambito(&db, &["import", "activity", exported.to_str().expect("p"), "--ambito", "ALTO_SEBINO"], "C");
    assert!(ok, "{err}");
    assert!(run(&report_after).0);
    assert_eq!(std::fs::read(&report_before).expect("r"), std::fs::read(&report_after).expect("r"));
    for format in ["pdf", "xlsx", "html"] {
        let out = dir.path().join(format!("relazione.{format}"));
        let (ok, _, err) = ambito(
            &db,
            &["report", "annual", "--ambito", "ALTO_SEBINO", "--year", "2025", "--format", format, "-o", out.to_str().expect("p")],
            "C",
        );
        assert!(ok, "{format}: {err}");
        let bytes = std::fs::read(&out).expect("read");
        match format {
            "pdf" => assert!(bytes.starts_with(b"%PDF-")),
            "xlsx" => assert!(bytes.starts_with(b"PK")),
            _ => assert!(String::from_utf8_lossy(&bytes).contains("Alto Sebino")),
        }
    }
    db.drop_pg().await;
}
