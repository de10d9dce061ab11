//! Hostile uploads (issue 10, findings 2 and 3): the workbook that once aborted the server is
//! refused with its place while the server keeps answering, an upload over the limit gets 413,
//! no upload stays behind in the temporary directory and messages name the file as uploaded,
//! never the server's copy. The CLI refuses the same workbook.

use crate::access::demo_app;
use crate::procs;
use crate::support::{TestDb, bearer_client, token_for};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const COLUMNS: [&str; 7] = ["data", "codice_servizio", "comune_istat", "codice_persona", "ore", "visita_domiciliare", "ente_erogatore"];

/// The penetration test's file: a header, and one value at XFD1048576 (the last cell Excel has).
fn far_cell_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in COLUMNS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    ws.write_string(1_048_575, 16_383, "x").expect("far cell");
    wb.save_to_buffer().expect("xlsx")
}

/// Every file (not directory) under `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if entry.file_type().expect("type").is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

async fn upload(client: &reqwest::Client, base: &str, kind: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().text("tipo", kind.to_string()).part("file", part);
    client.post(format!("{base}/ambiti/ALTO_SEBINO/importa")).multipart(form).send().await.expect("upload")
}

/// Follows the job a delivery upload started; returns (applied, the job page once it is over).
async fn job_outcome(client: &reqwest::Client, base: &str, res: reqwest::Response) -> (bool, String) {
    assert_eq!(res.status(), 303, "a delivery upload starts a job");
    let page = res.headers()["location"].to_str().expect("location").to_string();
    let id = page.rsplit('/').next().expect("id").to_string();
    for _ in 0..1500 {
        let st: serde_json::Value =
            client.get(format!("{base}/api/v1/ambiti/ALTO_SEBINO/lavori/{id}")).send().await.expect("status").json().await.expect("json");
        if st["finito"] == true {
            let html = client.get(format!("{base}{page}")).send().await.expect("page").text().await.expect("html");
            return (st["applicato"] == true, html);
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("job {id} did not finish");
}

async fn healthy(base: &str) {
    let res = reqwest::get(format!("{base}/healthz")).await.expect("the server still answers");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn hostile_uploads_are_refused_the_server_keeps_answering_and_nothing_stays_behind() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let ente = bearer_client(&token_for(&app, "alto.ente").await);
    let office = bearer_client(&token_for(&app, "alto.responsabile").await);
    // The server gets a temporary directory of its own, to be found empty at the end.
    let (tmp, logs) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("logs"));
    let tmp_path = tmp.path().to_str().expect("utf-8 path");
    let (server, base) = procs::serve(&db.url, "127.0.0.1:0", &[("TMPDIR", tmp_path)], logs.path().join("server.log"));

    // The workbook that aborted the process, as a delivery file from an ente gestore (a job)…
    let res = upload(&ente, &base, "consegne", "consegne-2025.xlsx", far_cell_workbook()).await;
    let (applied, html) = job_outcome(&ente, &base, res).await;
    assert!(!applied);
    assert!(
        html.contains("consegne-2025.xlsx:1048576:XFD: la cella XFD1048576 è oltre il limite di 100000 righe per foglio: per file più grandi usare il formato CSV"),
        "{html}\n{}",
        server.stderr()
    );
    assert!(!html.contains(tmp_path) && !html.contains(".upload"), "the job page shows the server's temp path: {html}");
    healthy(&base).await;

    // …and as an activity file from the Ufficio di Piano (read in the request).
    let res = upload(&office, &base, "attivita", "attivita.xlsx", far_cell_workbook()).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("attivita.xlsx:1048576:XFD: la cella XFD1048576"), "{html}");

    // A CSV with a million columns is refused at its first line instead of taking gigabytes.
    let wide = format!("{}\n", ";".repeat(1_000_000));
    let res = upload(&office, &base, "attivita", "largo.csv", wide.into_bytes()).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("largo.csv:1: la riga ha 1000001 colonne (al massimo 256)"));

    // Over the size limit: 413, not 400.
    let res = upload(&office, &base, "attivita", "grande.csv", vec![b'1'; 25 * 1024 * 1024 + 1]).await;
    assert_eq!(res.status(), 413);
    healthy(&base).await;

    // A refused caller's file and a good file are not left behind either.
    let res = upload(&ente, &base, "attivita", "attivita.csv", b"anno\n2025\n".to_vec()).await;
    assert_eq!(res.status(), 403);
    let good = format!("{}\n2025-03-03;SAD;016086;DEMO-P002;2,5;si;COOP_SEBINO\n", COLUMNS.join(";"));
    let res = upload(&ente, &base, "consegne", "consegne-2025.csv", good.into_bytes()).await;
    let (applied, html) = job_outcome(&ente, &base, res).await;
    assert!(applied, "{html}");
    assert!(html.contains("consegne-2025.csv") && !html.contains(tmp_path), "{html}");

    assert_eq!(files_under(tmp.path()), Vec::<PathBuf>::new(), "uploads left in the temp directory");
    for dir in std::fs::read_dir(tmp.path()).expect("tmp").flatten() {
        let mode = dir.metadata().expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}: the upload directory is private", dir.path().display());
    }
    drop(server);

    // The CLI refuses the same workbook and exits non-zero.
    let far = logs.path().join("lontano.xlsx");
    std::fs::write(&far, far_cell_workbook()).expect("write");
    for kind in ["activity", "deliveries"] {
        let out = Command::new(env!("CARGO_BIN_EXE_ambito"))
            .args(["import", kind, far.to_str().expect("path"), "--ambito", "ALTO_SEBINO"])
            .env("AMBITO_DATABASE_URL", &db.url)
            .env("LANG", "en_GB.UTF-8")
            .env_remove("LC_ALL")
            .env("RUST_LOG", "warn")
            .output()
            .expect("run ambito");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{kind}: {err}");
        assert!(
            err.contains("lontano.xlsx:1048576:XFD: cell XFD1048576 is beyond the limit of 100000 rows a sheet: send bigger files as CSV"),
            "{kind}: {err}"
        );
    }
    db.drop_pg().await;
}
