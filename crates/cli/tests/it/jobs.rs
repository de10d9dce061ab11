//! The persisted job queue (issue 16): a job is a row, so a second `App` on the same database
//! (another process's view) sees it and a restart keeps it; a job whose worker died is claimed
//! again once its lease lapses, a live lease is not stolen, a job interrupted too often fails
//! with a reason; progress reaches the row; an ente gestore never sees another's job.

use crate::access::demo_app;
use crate::support::{TestDb, TestServer, bearer_client, token_for};
use ambito_app::App;
use ambito_app::jobs::{JobKind, JobState, NewJob};
use ambito_domain::jobs::MAX_ATTEMPTS;
use std::collections::BTreeSet;
use std::time::Duration;

const HEADER: &str = "data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore\n";

async fn user_id(app: &App, username: &str) -> i64 {
    let mut conn = app.store.read().await.expect("conn");
    ambito_store::user_by_username(&mut conn, username).await.expect("user").expect("demo user").id
}

/// Queues the import of `csv` for ALTO_SEBINO as `owner`, acting for `providers`.
async fn enqueue(app: &App, owner: &str, providers: Option<&[&str]>, csv: &str) -> i64 {
    let dir = tempfile::tempdir().expect("dir");
    let input = dir.path().join("upload.tmp");
    std::fs::write(&input, csv).expect("input");
    let ambito_id = app.ambito("ALTO_SEBINO").await.expect("ambito").id;
    let job = NewJob {
        kind: JobKind::DeliveryImport,
        ambito_id,
        owner_user_id: user_id(app, owner).await,
        providers: providers.map(|p| p.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>()),
        input: &input,
        display_name: "consegne-2025.csv",
    };
    let id = app.enqueue_job(job).await.expect("enqueue");
    assert!(!input.exists(), "the queue took the input into its spool");
    id
}

fn one_row() -> String {
    format!("{HEADER}2025-03-03;SAD;016086;DEMO-P002;2,5;si;COOP_SEBINO\n")
}

/// Makes job `id`'s lease lapse, as if its worker had died a minute ago.
async fn lapse_lease(app: &App, id: i64) {
    let mut conn = app.store.read().await.expect("conn");
    sqlx::query("UPDATE job SET lease_until_ms = 0 WHERE id = $1").bind(id).execute(&mut *conn).await.expect("lapse");
}

async fn wait_until_over(app: &App, id: i64) -> ambito_app::jobs::Job {
    for _ in 0..600 {
        let job = app.job(id).await.expect("job").expect("exists");
        if job.state.is_over() {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {id} did not finish");
}

#[tokio::test]
async fn a_job_is_seen_from_another_app_and_its_outcome_survives_a_restart() {
    let db = TestDb::new().await;
    let a = demo_app(&db).await;
    let id = enqueue(&a, "alto.ente", Some(&["COOP_SEBINO"]), &one_row()).await;
    let queued = a.job(id).await.expect("job").expect("exists");
    let input = a.job_spool().join(queued.input_file());
    assert!(input.is_file(), "the input is persisted in the spool: {}", input.display());

    // Another process's view: the same row.
    let b = db.app().await;
    let seen = b.job(id).await.expect("job").expect("visible from a second App");
    assert_eq!((seen.state, seen.phase.as_str(), seen.display_name.as_str()), (JobState::Queued, "in coda", "consegne-2025.csv"));
    assert_eq!(seen.ambito_code, "ALTO_SEBINO");
    assert_eq!(seen.providers, Some(BTreeSet::from(["COOP_SEBINO".to_string()])));

    assert!(a.run_next_job("worker-a").await.expect("run"), "the queued job was claimed");
    assert!(!b.run_next_job("worker-b").await.expect("run"), "nothing left to claim");
    let done = b.job(id).await.expect("job").expect("exists");
    assert_eq!((done.state, done.attempts), (JobState::Done, 1));
    let outcome = done.import_outcome().expect("outcome");
    assert!(outcome.applied && outcome.rows == 1, "{outcome:?}");
    assert!(!input.exists(), "the input is removed once the job is over");

    // A restart: new Apps on the same database still show the outcome.
    a.store.close().await;
    b.store.close().await;
    let c = db.app().await;
    let after = c.job(id).await.expect("job").expect("kept");
    assert_eq!(after.state, JobState::Done);
    assert_eq!(after.import_outcome().map(|o| (o.applied, o.rows, o.file)), Some((true, 1, "consegne-2025.csv".to_string())));
    let recent = c.recent_jobs(Some("ALTO_SEBINO"), 10).await.expect("recent");
    assert_eq!(recent.iter().map(|j| j.id).collect::<Vec<_>>(), vec![id]);
    assert!(c.recent_jobs(Some("BASSO_SEBINO"), 10).await.expect("recent").is_empty(), "listed by Ambito");
    // Another process indeed: the CLI lists it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ambito"))
        .args(["jobs", "list", "--ambito", "ALTO_SEBINO"])
        .env("AMBITO_DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("ambito jobs list");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(listed.starts_with(&format!("{id}\tALTO_SEBINO\tdone\t")), "{listed}");
    assert!(listed.contains("consegne-2025.csv\t1 righe importate"), "{listed}");
    db.drop_pg().await;
}

#[tokio::test]
async fn a_job_left_running_is_claimed_again_by_a_new_server_once_its_lease_lapses() {
    let db = TestDb::new().await;
    let a = demo_app(&db).await;
    let id = enqueue(&a, "alto.ente", Some(&["COOP_SEBINO"]), &one_row()).await;
    // A server claimed it and died before finishing: the row says running, under its lease.
    let claimed = a.claim_job("dead-server").await.expect("claim").expect("claimed");
    assert_eq!((claimed.id, claimed.state, claimed.attempts), (id, JobState::Running, 1));
    a.store.close().await;

    // A new server on the same database: its workers leave the live lease alone…
    let b = db.app().await;
    let base = TestServer::serve(b.clone()).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let waiting = b.job(id).await.expect("job").expect("exists");
    assert_eq!((waiting.state, waiting.attempts), (JobState::Running, 1), "a live lease is not taken");
    // …and run the job once it lapses; the import is all-or-nothing, so running it again is safe.
    lapse_lease(&b, id).await;
    let done = wait_until_over(&b, id).await;
    assert_eq!((done.state, done.attempts), (JobState::Done, 2));
    assert!(done.import_outcome().is_some_and(|o| o.applied && o.rows == 1));

    let coop = bearer_client(&token_for(&b, "alto.ente").await);
    let status: serde_json::Value =
        coop.get(format!("{base}/api/v1/ambiti/ALTO_SEBINO/lavori/{id}")).send().await.expect("GET").json().await.expect("json");
    assert_eq!((status["finito"].clone(), status["applicato"].clone(), status["stato"].clone()), (true.into(), true.into(), "done".into()));
    let page = coop.get(format!("{base}/ambiti/ALTO_SEBINO/importa/lavori/{id}")).send().await.expect("GET");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("html").contains("1 righe importate"));
    db.drop_pg().await;
}

#[tokio::test]
async fn a_live_lease_is_not_stolen_and_a_job_interrupted_too_often_fails_with_a_reason() {
    let db = TestDb::new().await;
    let a = demo_app(&db).await;
    let b = db.app().await;
    let id = enqueue(&a, "alto.responsabile", None, &one_row()).await;
    let input = a.job_spool().join(a.job(id).await.expect("job").expect("exists").input_file());

    assert_eq!(a.claim_job("w1").await.expect("claim").map(|j| j.id), Some(id));
    assert!(b.claim_job("w2").await.expect("claim").is_none(), "the lease of a live worker is not stolen");

    lapse_lease(&a, id).await;
    assert_eq!(b.claim_job("w2").await.expect("claim").map(|j| j.attempts), Some(2), "a lapsed lease is claimed again");
    // The first worker lost it: whatever it writes now changes nothing.
    let mut conn = a.store.read().await.expect("conn");
    let progress = ambito_store::JobProgressRow { phase: "importazione", rows_total: 9, rows_done: 9, phase_started_ms: 0 };
    assert!(!ambito_store::renew_job(&mut conn, id, "w1", i64::MAX, 1, &progress).await.expect("renew"));
    assert!(!ambito_store::finish_job(&mut conn, id, "w1", 1, Ok("{}")).await.expect("finish"));
    drop(conn);
    let row = b.job(id).await.expect("job").expect("exists");
    assert_eq!((row.state, row.rows_done), (JobState::Running, 0), "still w2's run");

    lapse_lease(&a, id).await;
    assert_eq!(a.claim_job("w3").await.expect("claim").map(|j| j.attempts), Some(MAX_ATTEMPTS));
    lapse_lease(&a, id).await;
    assert!(b.claim_job("w4").await.expect("claim").is_none(), "no attempt left");
    let failed = a.job(id).await.expect("job").expect("exists");
    assert_eq!(failed.state, JobState::Failed);
    let reason = failed.failure.clone().unwrap_or_default();
    assert!(reason.contains(&format!("interrotto {MAX_ATTEMPTS} volte")) && reason.contains("inviare di nuovo il file"), "{reason}");
    assert!(!input.exists(), "a failed job's input is removed");

    // Finished jobs are kept `KEPT_MS`, then deleted when a worker next claims a job.
    sqlx::query("UPDATE job SET finished_ms = 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *a.store.read().await.expect("conn"))
        .await
        .expect("age");
    let next = enqueue(&a, "alto.responsabile", None, &one_row()).await;
    assert_eq!(b.claim_job("w5").await.expect("claim").map(|j| j.id), Some(next));
    assert!(a.job(id).await.expect("job").is_none(), "an old finished job is purged");
    assert!(a.job(next).await.expect("job").is_some());
    db.drop_pg().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_claims_from_two_apps_hand_each_job_to_one_worker() {
    let db = TestDb::new().await;
    let a = demo_app(&db).await;
    let b = db.app().await;
    let mut queued = BTreeSet::new();
    for _ in 0..3 {
        queued.insert(enqueue(&a, "alto.responsabile", None, &one_row()).await);
    }
    let claims: Vec<_> = (0..12)
        .map(|i| {
            let app = if i % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(async move { app.claim_job(&format!("racer-{i}")).await.expect("claim").map(|j| j.id) })
        })
        .collect();
    let mut won = Vec::new();
    for c in claims {
        won.extend(c.await.expect("task"));
    }
    won.sort_unstable();
    assert_eq!(won, queued.into_iter().collect::<Vec<_>>(), "each job claimed once, by one of the racers");
    db.drop_pg().await;
}

#[tokio::test]
async fn an_ente_gestore_never_sees_another_providers_job_from_any_server() {
    let db = TestDb::new().await;
    let a = demo_app(&db).await;
    let office_job = enqueue(&a, "alto.responsabile", None, &format!("{HEADER}2025-03-05;SAD;016086;DEMO-P003;1;no;ALTRA_COOP\n")).await;
    let own_job = enqueue(&a, "alto.ente", Some(&["COOP_SEBINO"]), &one_row()).await;
    // Served by another App than the one that queued them.
    let b = db.app().await;
    let base = TestServer::serve(b.clone()).await;
    let coop = bearer_client(&token_for(&b, "alto.ente").await);
    let office = bearer_client(&token_for(&b, "alto.responsabile").await);
    for path in [format!("/ambiti/ALTO_SEBINO/importa/lavori/{office_job}"), format!("/api/v1/ambiti/ALTO_SEBINO/lavori/{office_job}")] {
        assert_eq!(coop.get(format!("{base}{path}")).send().await.expect("GET").status(), 404, "{path}: another uploader's job");
        assert_eq!(office.get(format!("{base}{path}")).send().await.expect("GET").status(), 200, "{path}");
    }
    let own = coop.get(format!("{base}/api/v1/ambiti/ALTO_SEBINO/lavori/{own_job}")).send().await.expect("GET");
    assert_eq!(own.status(), 200, "its own job");
    for id in [office_job, own_job] {
        assert_eq!(wait_until_over(&b, id).await.state, JobState::Done);
    }
    // The upload form lists the recent jobs by the same rule.
    let link = |id: i64| format!("href=\"/ambiti/ALTO_SEBINO/importa/lavori/{id}\"");
    let form = coop.get(format!("{base}/ambiti/ALTO_SEBINO/importa")).send().await.expect("GET").text().await.expect("html");
    assert!(form.contains(&link(own_job)) && !form.contains(&link(office_job)), "{form}");
    assert!(form.contains("1 righe importate"), "{form}");
    let form = office.get(format!("{base}/ambiti/ALTO_SEBINO/importa")).send().await.expect("GET").text().await.expect("html");
    assert!(form.contains(&link(own_job)) && form.contains(&link(office_job)), "{form}");
    // And so does the list's JSON.
    let listed = |client: &reqwest::Client| {
        let url = format!("{base}/api/v1/ambiti/ALTO_SEBINO/lavori");
        let client = client.clone();
        async move {
            let list: serde_json::Value = client.get(url).send().await.expect("GET").json().await.expect("json");
            list.as_array().expect("array").iter().map(|j| j["id"].as_i64().expect("id")).collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(&coop).await, vec![own_job], "the ente gestore's own jobs only");
    let mut all = listed(&office).await;
    all.sort_unstable();
    assert_eq!(all, {
        let mut v = vec![office_job, own_job];
        v.sort_unstable();
        v
    });
    db.drop_pg().await;
}

/// `rows` deliveries of SAD in one Comune: `rows / 100` persons on 100 days each.
fn many_rows(rows: usize) -> String {
    let mut out = String::from(HEADER);
    for j in 0..rows {
        let (person, day) = (j / 100, j % 100);
        out.push_str(&format!("2025-{:02}-{:02};SAD;016086;JOB-P{person};0,5;no;COOP_SEBINO\n", 1 + day / 25, 1 + day % 25));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_reaches_the_row_throttled_and_the_running_process_shows_it_live() {
    const ROWS: usize = 40_000;
    let db = TestDb::new().await;
    let a = demo_app(&db).await;
    let b = db.app().await;
    let id = enqueue(&a, "alto.ente", Some(&["COOP_SEBINO"]), &many_rows(ROWS)).await;
    let runner = {
        let a = a.clone();
        tokio::spawn(async move { a.run_next_job("worker-a").await })
    };
    let (mut live_rows, mut row_rows, mut writes) = (0, 0, BTreeSet::new());
    let started = std::time::Instant::now();
    while !runner.is_finished() {
        // The running process's view (live) and another process's (the row alone).
        let live = a.job(id).await.expect("job").expect("exists");
        if live.state == JobState::Running && live.phase == "importazione" {
            live_rows = live_rows.max(live.rows_done);
        }
        let mut conn = b.store.read().await.expect("conn");
        let row = ambito_store::job_by_id(&mut conn, id).await.expect("row").expect("exists");
        drop(conn);
        if row.state == "running" && row.phase == "importazione" {
            row_rows = row_rows.max(row.rows_done);
        }
        writes.extend(row.progress_ms);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    assert!(runner.await.expect("task").expect("run"));
    let done = b.job(id).await.expect("job").expect("exists");
    assert!(done.import_outcome().is_some_and(|o| o.applied && o.rows == ROWS), "{:?}", done.failure);
    assert!(live_rows > 0, "the running process shows rows done while importing");
    if a.store.backend() == ambito_store::Backend::Postgres {
        // SQLite has one writer and the import holds it until it commits: there the row catches
        // up at the end; PostgreSQL takes the progress while the import runs.
        assert!(row_rows > 0, "progress written to the row while importing ({elapsed:?})");
    }
    let mut conn = b.store.read().await.expect("conn");
    let row = ambito_store::job_by_id(&mut conn, id).await.expect("row").expect("exists");
    assert_eq!(row.phase, "aggregati", "the importer's last phase reached the row");
    assert!(row.progress_ms.is_some_and(|at| at >= row.phase_started_ms.unwrap_or(i64::MAX)));
    writes.extend(row.progress_ms);
    // At most one write every half second, plus one at the claim, one a phase and the last.
    let bound = elapsed.as_millis() as usize / 500 + 5;
    assert!(writes.len() <= bound, "{} progress writes in {elapsed:?}", writes.len());
    db.drop_pg().await;
}
