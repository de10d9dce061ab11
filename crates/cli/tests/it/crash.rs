//! Crash safety: the real `ambito serve` and `ambito import deliveries` processes are killed with
//! SIGKILL at random moments while clients save the activity grid and upload delivery files.
//! After every kill the database is reopened (recovery) and must show:
//! - every acknowledged write (a 303 after a grid save), and each save whole;
//! - every import batch either complete (all its rows, its `import_batch` record) or absent, and
//!   acknowledged ones (HTTP 200, exit status 0) present;
//! - delivery aggregates equal to what the raw events give;
//! - an audit chain that `ambito audit verify` accepts.
//!
//! `AMBITO_CRASH_CYCLES` (default 20) and `AMBITO_CRASH_SEED` (default: from the clock, printed)
//! make a failing run repeatable; `scripts/soak-crash` runs many more cycles.

use crate::procs::{self, Proc};
use crate::support::{SMALL_ACTIVITY, TestDb};
use ambito_app::{App, NoProgress};
use sqlx::Row;
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TERRITORY: &str = "codice_regione;regione;codice_ats;ats;codice_distretto;distretto;codice_ambito;ambito;codice_istat;comune
03;Lombardia;ATS_T;ATS di prova;D_T;Distretto di prova;PROVA;Ambito di prova;990001;Primo
03;Lombardia;ATS_T;ATS di prova;D_T;Distretto di prova;PROVA;Ambito di prova;990002;Secondo
";
/// Each writer owns two services and saves the same value into both in one request.
const WRITERS: [[&str; 2]; 2] = [["SAD", "SAD_PASTI"], ["TELE", "SEGR"]];
const FIRST_VALUE: i64 = 1000;
const UPLOAD_ROWS: usize = 200;
const CLI_ROWS: usize = 3000;

/// splitmix64: small, seedable, good enough to pick moments.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn millis(&mut self, lo: u64, hi: u64) -> Duration {
        Duration::from_millis(lo + self.next() % (hi - lo))
    }
}

#[derive(Default)]
struct Writer {
    acked: AtomicI64,
    sent: AtomicI64,
}

/// What the clients were told, to hold against what the database shows after each crash.
#[derive(Default)]
struct Ledger {
    writers: [Writer; 2],
    next_value: AtomicI64,
    next_batch: AtomicI64,
    /// batch id → (rows, acknowledged)
    batches: Mutex<BTreeMap<i64, (usize, bool)>>,
}

impl Ledger {
    fn new_batch(&self, rows: usize) -> i64 {
        let id = self.next_batch.fetch_add(1, Ordering::SeqCst);
        self.batches.lock().expect("lock").insert(id, (rows, false));
        id
    }
    fn ack_batch(&self, id: i64) {
        if let Some(b) = self.batches.lock().expect("lock").get_mut(&id) {
            b.1 = true;
        }
    }
}

/// Delivery events of batch `id`: provider «Ente B{id}» (so a batch is one GROUP BY away),
/// 20 days for each of rows/20 persons, spread over services and Comuni.
fn batch_csv(id: i64, rows: usize) -> String {
    let mut out = String::from("data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore\n");
    for j in 0..rows {
        let (person, k) = (j / 20, j % 20);
        let service = ["SAD", "TELE", "SEGR"][person % 3];
        let comune = ["990001", "990002"][person % 2];
        let visit = if k % 2 == 0 { "si" } else { "no" };
        out.push_str(&format!("2025-{:02}-{:02};{service};{comune};B{id}-P{person};1,5;{visit};Ente B{id}\n", 1 + k % 12, 1 + k / 12));
    }
    out
}

/// The year comes first: the importer takes the first four-digit number of the name as the year.
fn batch_file_name(id: i64) -> String {
    format!("consegne-2025-lotto{id}.csv")
}

fn grid_form(services: &[&str; 2], value: i64) -> Vec<(String, String)> {
    let mut form = vec![("anno".to_string(), "2025".to_string())];
    for s in services {
        form.push((format!("m.utenti.{s}"), value.to_string()));
    }
    form
}

async fn write_loop(client: reqwest::Client, base: String, ledger: Arc<Ledger>, w: usize, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        let v = ledger.next_value.fetch_add(1, Ordering::SeqCst);
        ledger.writers[w].sent.fetch_max(v, Ordering::SeqCst);
        match client.post(format!("{base}/ambiti/PROVA/attivita")).form(&grid_form(&WRITERS[w], v)).send().await {
            Ok(res) if res.status() == 303 => {
                ledger.writers[w].acked.fetch_max(v, Ordering::SeqCst);
            }
            Ok(res) => panic!("grid save answered {}: {}", res.status(), res.text().await.unwrap_or_default()),
            Err(_) => return, // the server is gone
        }
    }
}

async fn upload_loop(client: reqwest::Client, base: String, ledger: Arc<Ledger>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        let id = ledger.new_batch(UPLOAD_ROWS);
        let part = reqwest::multipart::Part::bytes(batch_csv(id, UPLOAD_ROWS).into_bytes()).file_name(batch_file_name(id));
        let form = reqwest::multipart::Form::new().text("tipo", "consegne").part("file", part);
        match client.post(format!("{base}/ambiti/PROVA/importa")).multipart(form).send().await {
            // A delivery upload runs as a job: the answer points at its page, and the file counts
            // as acknowledged once the job reports it applied.
            Ok(res) if res.status() == 303 => {
                let page = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                let job = page.rsplit('/').next().unwrap_or_default().to_string();
                loop {
                    let Ok(res) = client.get(format!("{base}/api/v1/ambiti/PROVA/lavori/{job}")).send().await else { return };
                    let Ok(status) = res.json::<serde_json::Value>().await else { return };
                    if status["finito"] == true {
                        assert_eq!(status["applicato"], true, "upload {id}: {status}");
                        ledger.ack_batch(id);
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
            }
            Ok(res) => panic!("upload {id} answered {}: {}", res.status(), res.text().await.unwrap_or_default()),
            Err(_) => return,
        }
    }
}

/// Checks the database against the ledger; returns (batches present, batches absent).
async fn verify(url: &str, ledger: &Ledger, cycle: usize, seed: u64) -> (usize, usize) {
    let ctx = format!("cycle {cycle}, seed {seed}");
    let app = App::open(url).await.unwrap_or_else(|e| panic!("{ctx}: reopening after the crash: {e}"));
    let mut conn = app.store.read().await.expect("conn");

    for (w, services) in WRITERS.iter().enumerate() {
        let rows = sqlx::query(
            "SELECT s.code, a.utenti FROM activity a JOIN service s ON s.id = a.service_id \
             WHERE a.year = 2025 AND a.period = 'Y' AND (s.code = $1 OR s.code = $2) ORDER BY s.code",
        )
        .bind(services[0])
        .bind(services[1])
        .fetch_all(&mut *conn)
        .await
        .expect("grid");
        let values: Vec<i64> = rows.iter().map(|r| r.try_get::<i64, _>(1).expect("utenti")).collect();
        let (acked, sent) = (ledger.writers[w].acked.load(Ordering::SeqCst), ledger.writers[w].sent.load(Ordering::SeqCst));
        assert_eq!(values.len(), 2, "{ctx}: {services:?}");
        assert_eq!(values[0], values[1], "{ctx}: one save, both services or neither: {services:?}");
        assert!(values[0] >= acked, "{ctx}: acknowledged save {acked} of {services:?} lost (found {})", values[0]);
        assert!(values[0] <= sent.max(FIRST_VALUE), "{ctx}: {services:?} holds {} never sent", values[0]);
    }

    let found: BTreeMap<String, i64> =
        sqlx::query("SELECT p.name, COUNT(*) FROM delivery_event e JOIN provider p ON p.id = e.provider_id GROUP BY p.name")
            .fetch_all(&mut *conn)
            .await
            .expect("batches")
            .iter()
            .map(|r| (r.try_get(0).expect("name"), r.try_get(1).expect("n")))
            .collect();
    let recorded: Vec<String> = sqlx::query("SELECT file_name FROM import_batch WHERE file_name LIKE '%lotto%'")
        .fetch_all(&mut *conn)
        .await
        .expect("import_batch")
        .iter()
        .map(|r| r.try_get(0).expect("file"))
        .collect();
    let (mut present, mut absent) = (0, 0);
    for (id, (rows, acked)) in ledger.batches.lock().expect("lock").iter() {
        let n = found.get(&format!("Ente B{id}")).copied().unwrap_or(0);
        let records = recorded.iter().filter(|f| f.ends_with(&batch_file_name(*id))).count();
        if n == 0 {
            assert!(!acked, "{ctx}: acknowledged import batch {id} is missing");
            assert_eq!(records, 0, "{ctx}: batch {id} recorded as imported without its rows");
            absent += 1;
        } else {
            assert_eq!(n as usize, *rows, "{ctx}: batch {id} half applied");
            assert_eq!(records, 1, "{ctx}: batch {id} applied without its import record");
            present += 1;
        }
    }
    assert_eq!(found.len(), present, "{ctx}: events from a batch nobody sent: {found:?}");

    let measures = "COUNT(*), CAST(SUM(ore_e4) AS BIGINT), CAST(SUM(home_visit) AS BIGINT), COUNT(DISTINCT person_key)";
    for (expected, stored) in [
        (
            format!(
                "SELECT service_id, comune_id, day / 100, {measures} FROM delivery_event GROUP BY service_id, comune_id, day / 100 ORDER BY 1, 2, 3"
            ),
            "SELECT service_id, comune_id, month, events, ore_e4, visits, persons FROM agg_delivery_month ORDER BY 1, 2, 3".to_string(),
        ),
        (
            format!("SELECT service_id, 2025, {measures} FROM delivery_event GROUP BY service_id ORDER BY 1"),
            "SELECT service_id, year, events, ore_e4, visits, persons FROM agg_delivery_period WHERE period = 'Y' ORDER BY 1".to_string(),
        ),
        (
            "SELECT COUNT(DISTINCT person_key) FROM delivery_event HAVING COUNT(*) > 0".to_string(),
            "SELECT persons FROM agg_delivery_reach WHERE area_id = 0".to_string(),
        ),
    ] {
        let a = rows_as_text(&mut conn, &expected).await;
        let b = rows_as_text(&mut conn, &stored).await;
        assert_eq!(a, b, "{ctx}: aggregates differ from the raw events\n{expected}\n{stored}");
    }
    drop(conn);
    app.store.close().await;

    let out = Command::new(env!("CARGO_BIN_EXE_ambito"))
        .args(["audit", "verify"])
        .env("AMBITO_DATABASE_URL", url)
        .env("RUST_LOG", "error")
        .output()
        .expect("audit verify");
    assert!(
        out.status.success(),
        "{ctx}: audit chain broken: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (present, absent)
}

async fn rows_as_text(conn: &mut sqlx::AnyConnection, sql: &str) -> Vec<Vec<i64>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).fetch_all(&mut *conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.iter().map(|r| (0..r.len()).map(|i| r.try_get::<i64, _>(i).expect("integer")).collect()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_writes_and_imports_loses_nothing_acknowledged_and_applies_no_half_import() {
    let cycles: usize = std::env::var("AMBITO_CRASH_CYCLES").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let seed: u64 = std::env::var("AMBITO_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1));
    eprintln!("crash test: {cycles} cycles, AMBITO_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let started = Instant::now();

    let db = TestDb::new().await;
    let dir = tempfile::tempdir().expect("dir");
    {
        let app = db.app().await;
        assert!(app.import_territory("t.csv", TERRITORY.as_bytes(), &NoProgress).await.expect("territory").applied);
        let opts = ambito_app::reporting::import::activity::ActivityImport { ambito_code: "PROVA", new_ambito_name: None };
        assert!(app.import_activity("a.csv", SMALL_ACTIVITY.as_bytes(), opts, &NoProgress).await.expect("activity").applied);
        for services in WRITERS {
            let entries: Vec<_> = services
                .iter()
                .map(|s| {
                    let mut e = ambito_app::reporting::edit::GridEntry { service_code: s.to_string(), ..Default::default() };
                    e.measures[0] = FIRST_VALUE.to_string();
                    e
                })
                .collect();
            assert!(!app.save_activity("PROVA", 2025, &entries).await.expect("grid").has_errors());
        }
        app.store.close().await;
    }
    let ledger = Arc::new(Ledger { next_value: AtomicI64::new(FIRST_VALUE + 1), next_batch: AtomicI64::new(1), ..Ledger::default() });
    let client = {
        // Writes need a caller: a global administrator's API token (no cookie, so no CSRF token).
        let app = db.app().await;
        let admin = ambito_app::access::NewUser { username: "crash.admin".into(), display_name: "Crash".into(), ..Default::default() };
        let role = ambito_app::access::RoleAssignment { role: "admin".into(), ..Default::default() };
        app.create_user(None, &admin, &[role]).await.expect("admin");
        let token = crate::support::token_for(&app, "crash.admin").await;
        app.store.close().await;
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse().expect("header"));
        reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .expect("client")
    };
    let (mut killed_imports, mut finished_imports) = (0, 0);

    for cycle in 1..=cycles {
        let (mut server, base) = procs::serve(&db.url, "127.0.0.1:0", &[], dir.path().join(format!("server-{cycle}.log")));
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        for w in 0..WRITERS.len() {
            tasks.push(tokio::spawn(write_loop(client.clone(), base.clone(), ledger.clone(), w, stop.clone())));
        }
        tasks.push(tokio::spawn(upload_loop(client.clone(), base.clone(), ledger.clone(), stop.clone())));

        // An import in its own process, killed at its own random moment.
        let id = ledger.new_batch(CLI_ROWS);
        let file = dir.path().join(batch_file_name(id));
        std::fs::write(&file, batch_csv(id, CLI_ROWS)).expect("batch file");
        // Reaped in the loop below, on every path (try_wait, or kill then wait).
        #[allow(clippy::zombie_processes)]
        let mut import = Command::new(env!("CARGO_BIN_EXE_ambito"))
            .args(["import", "deliveries", file.to_str().expect("path"), "--ambito", "PROVA", "--year", "2025"])
            .env("AMBITO_DATABASE_URL", &db.url)
            .env("RUST_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("import process");

        let server_kill = rng.millis(150, 900);
        let import_kill = rng.millis(50, 1500);
        let t0 = Instant::now();
        let mut server_alive = true;
        let mut import_open = true;
        while server_alive || import_open {
            let now = t0.elapsed();
            if server_alive && now >= server_kill {
                server.kill();
                server_alive = false;
            }
            if import_open {
                if let Some(status) = import.try_wait().expect("wait") {
                    assert!(status.success(), "import {id} failed on its own: {status}");
                    ledger.ack_batch(id);
                    finished_imports += 1;
                    import_open = false;
                } else if now >= import_kill {
                    let _ = import.kill();
                    let status = import.wait().expect("reap");
                    // It may have exited on its own between the two calls.
                    if status.signal() == Some(9) {
                        killed_imports += 1;
                    } else {
                        assert!(status.success(), "import {id} failed on its own: {status}");
                        ledger.ack_batch(id);
                        finished_imports += 1;
                    }
                    import_open = false;
                }
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stop.store(true, Ordering::SeqCst);
        for t in tasks {
            t.await.expect("client task");
        }
        drop(server);
        let (present, absent) = verify(&db.url, &ledger, cycle, seed).await;
        if cycle == cycles || cycle % 5 == 0 {
            eprintln!(
                "cycle {cycle}: writes acknowledged up to {:?}; batches {present} applied, {absent} not; imports killed {killed_imports}, finished {finished_imports}",
                ledger.writers.iter().map(|w| w.acked.load(Ordering::SeqCst)).collect::<Vec<_>>()
            );
        }
    }

    // A last restart serves normally.
    let (server, base) = procs::serve(&db.url, "127.0.0.1:0", &[], dir.path().join("server-final.log"));
    let res = client.get(format!("{base}/ambiti/PROVA/attivita?anno=2025")).send().await.expect("get");
    assert_eq!(res.status(), 200);
    drop::<Proc>(server);
    eprintln!("crash test: {cycles} SIGKILL cycles survived in {:.1} s (seed {seed})", started.elapsed().as_secs_f64());
    assert!(ledger.writers.iter().all(|w| w.acked.load(Ordering::SeqCst) > FIRST_VALUE), "some writes were acknowledged");
    db.drop_pg().await;
}
