//! The worker: claims a job, runs its kind while a reporter task renews the lease and writes the
//! progress (throttled by `ambito_domain::jobs::progress_due`), then records how it ended.
//! Started by the `serve` process (`App::start_job_workers`); any number of processes may run
//! workers on one database, the claim lets one of them have each job.

use super::{Job, JobKind, kinds, now_ms, spool};
use crate::{App, Progress, Result};
use ambito_domain::jobs::{KEPT_MS, LEASE_MS, MAX_ATTEMPTS, PROGRESS_EVERY_MS, progress_due};
use ambito_store::{self as store, JobProgressRow};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often an idle worker looks for work queued by another process or left by a dead worker;
/// this process's own jobs wake it at once.
const POLL: Duration = Duration::from_secs(1);
/// Tries to record a job's end before giving up (each try waits up to SQLite's busy timeout).
const FINISH_TRIES: u32 = 30;
/// The phase a claimed job shows until its kind reports one.
const STARTING_PHASE: &str = "avvio";

/// Progress as a running job reports it, read by the reporter and by this process's pages.
#[derive(Debug)]
pub(crate) struct LiveProgress {
    state: Mutex<Snapshot>,
}

#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub phase: String,
    pub phase_started_ms: i64,
    pub total: u64,
    pub done: u64,
    /// Counts phases, so the reporter sees a new one even with the same name.
    pub phases: u64,
}

impl LiveProgress {
    fn new(now: i64) -> LiveProgress {
        LiveProgress { state: Mutex::new(Snapshot { phase: STARTING_PHASE.into(), phase_started_ms: now, total: 0, done: 0, phases: 0 }) }
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        match self.state.lock() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

impl Progress for LiveProgress {
    fn start(&self, phase: &str, total: u64) {
        if let Ok(mut s) = self.state.lock() {
            *s = Snapshot { phase: phase.into(), phase_started_ms: now_ms(), total, done: 0, phases: s.phases + 1 };
        }
    }
    fn advance(&self, n: u64) {
        if let Ok(mut s) = self.state.lock() {
            s.done = s.done.saturating_add(n);
        }
    }
    fn finish(&self) {}
}

/// The workers of this process; they stop when this is dropped.
pub struct WorkerHandle {
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// A name for a worker, unique across processes and restarts: the lease owner.
fn worker_name(n: usize) -> String {
    let mut bytes = [0u8; 6];
    let _ = getrandom::fill(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{token}-{n}", std::process::id())
}

fn row_progress(s: &Snapshot) -> JobProgressRow<'_> {
    JobProgressRow {
        phase: &s.phase,
        rows_total: i64::try_from(s.total).unwrap_or(i64::MAX),
        rows_done: i64::try_from(s.done).unwrap_or(i64::MAX),
        phase_started_ms: s.phase_started_ms,
    }
}

impl App {
    /// The last progress, then the end: both or neither. `false`: the lease is another's.
    async fn record_end(
        &self,
        id: i64,
        worker: &str,
        last: &Snapshot,
        outcome: std::result::Result<&str, &str>,
        ours: bool,
    ) -> Result<bool> {
        if !ours {
            return Ok(false);
        }
        let now = now_ms();
        let mut tx = self.store.write_untracked().await?;
        let finished = store::renew_job(&mut tx, id, worker, now + LEASE_MS, now, &row_progress(last)).await?
            && store::finish_job(&mut tx, id, worker, now, outcome).await?;
        tx.commit().await?;
        Ok(finished)
    }

    /// Starts `n` workers in the background (a Tokio runtime must be running).
    /// Jobs a server runs at once. On SQLite an import holds the one write lock for its whole
    /// transaction, so a second would only wait for it (and fail past the busy timeout): one at
    /// a time. PostgreSQL runs two side by side.
    pub fn job_workers_per_server(&self) -> usize {
        match self.store.backend() {
            ambito_store::Backend::Sqlite => 1,
            ambito_store::Backend::Postgres => 2,
        }
    }

    pub fn start_job_workers(&self, n: usize) -> WorkerHandle {
        let tasks = (0..n)
            .map(|i| {
                let (app, name) = (self.clone(), worker_name(i));
                tokio::spawn(async move {
                    loop {
                        match app.run_next_job(&name).await {
                            Ok(true) => continue,
                            Ok(false) => {}
                            // SQLite answers "busy" while an import holds the write lock: try later.
                            Err(e) => tracing::debug!(worker = %name, error = %e, "job queue not reachable"),
                        }
                        tokio::select! {
                            () = app.jobs.wake.notified() => {}
                            () = tokio::time::sleep(POLL) => {}
                        }
                    }
                })
            })
            .collect();
        WorkerHandle { tasks }
    }

    /// Claims the next job for `worker`, with a lease of `LEASE_MS`; `None`: nothing to claim.
    /// Jobs interrupted too often are failed first, and finished ones past `KEPT_MS` deleted
    /// (whenever a job is claimed: the table stays small without a timer of its own).
    pub async fn claim_job(&self, worker: &str) -> Result<Option<Job>> {
        let now = now_ms();
        let mut conn = self.store.read().await?;
        let waiting = store::jobs_waiting(&mut conn, now).await?;
        drop(conn);
        if !waiting {
            return Ok(None);
        }
        let mut tx = self.store.write_untracked().await?;
        let purged = store::purge_jobs(&mut tx, now - KEPT_MS).await?;
        let given_up = store::give_up_jobs(&mut tx, now, &gave_up_message()).await?;
        let claimed = store::claim_job(&mut tx, worker, now, now + LEASE_MS, STARTING_PHASE).await?;
        let row = match claimed {
            Some(id) => store::job_by_id(&mut tx, id).await?,
            None => None,
        };
        tx.commit().await?;
        if purged > 0 {
            tracing::info!(purged, "finished jobs past their keeping time deleted");
        }
        for (id, input) in given_up {
            tracing::warn!(job = id, attempts = MAX_ATTEMPTS, "job interrupted too often: failed");
            spool::remove(&self.jobs.spool, &input);
        }
        Ok(row.map(Job::from_row))
    }

    /// Claims one job and runs it to its end; `false` when there was none.
    pub async fn run_next_job(&self, worker: &str) -> Result<bool> {
        let Some(job) = self.claim_job(worker).await? else { return Ok(false) };
        let input = job.input_file.clone();
        self.run_claimed(job, input, worker).await?;
        Ok(true)
    }

    async fn run_claimed(&self, job: Job, input_file: String, worker: &str) -> Result<()> {
        let id = job.id;
        let live = Arc::new(LiveProgress::new(now_ms()));
        if let Ok(mut map) = self.jobs.live.lock() {
            map.insert(id, live.clone());
        }
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let reporter = tokio::spawn(report(self.clone(), id, worker.to_string(), live.clone(), stopped));
        let input = spool::path(&self.jobs.spool, &input_file);
        // Its own task, so that a panic in the kind fails this job instead of the worker.
        let run = {
            let (app, live, job) = (self.clone(), live.clone(), job.clone());
            tokio::spawn(async move {
                match job.kind {
                    Some(kind) => kinds::run(&app, kind, &job, &input, &*live).await.map_err(|e| e.to_string()),
                    None => Err("tipo di lavoro sconosciuto".to_string()),
                }
            })
        };
        let result = match run.await {
            Ok(r) => r,
            Err(e) => Err(format!("the job's task ended: {e}")),
        };
        let _ = stop.send(());
        let still_ours = reporter.await.unwrap_or(false);
        if let Ok(mut map) = self.jobs.live.lock() {
            map.remove(&id);
        }
        let outcome = result.map_err(|cause| {
            tracing::error!(job = id, %cause, "job failed");
            failed_message(job.kind, id)
        });
        let outcome = outcome.as_deref().map_err(String::as_str);
        let snapshot = live.snapshot();
        let mut tries = 0;
        let finished = loop {
            // SQLite may be busy with another process's import for longer than its busy timeout:
            // the work is done, so keep trying rather than leave it to be run again.
            match self.record_end(id, worker, &snapshot, outcome, still_ours).await {
                Ok(finished) => break finished,
                Err(e) if tries < FINISH_TRIES => {
                    tries += 1;
                    tracing::warn!(job = id, error = %e, "job end not recorded yet; trying again");
                    tokio::time::sleep(POLL).await;
                }
                Err(e) => return Err(e),
            }
        };
        if finished {
            spool::remove(&self.jobs.spool, &input_file);
        } else {
            // Its lease lapsed and another worker claimed it: that run records the end.
            tracing::warn!(job = id, worker, "job lease lost while running; the run that holds it finishes the job");
        }
        Ok(())
    }
}

/// Renews the lease and writes the progress until `stopped`; `false` once the lease was lost.
async fn report(app: App, id: i64, worker: String, live: Arc<LiveProgress>, mut stopped: tokio::sync::oneshot::Receiver<()>) -> bool {
    let mut last_write = now_ms();
    let mut written = live.snapshot();
    loop {
        tokio::select! {
            _ = &mut stopped => return true,
            () = tokio::time::sleep(Duration::from_millis(PROGRESS_EVERY_MS.unsigned_abs())) => {}
        }
        let now = now_ms();
        let s = live.snapshot();
        if !progress_due(last_write, now, s.phases != written.phases, s.done != written.done || s.total != written.total) {
            continue;
        }
        let renewed = async {
            let mut tx = app.store.write_untracked().await?;
            let ours = store::renew_job(&mut tx, id, &worker, now + LEASE_MS, now, &row_progress(&s)).await?;
            tx.commit().await?;
            Ok::<_, crate::AppError>(ours)
        }
        .await;
        match renewed {
            Ok(true) => {
                last_write = now;
                written = s;
            }
            Ok(false) => return false,
            // SQLite: an import holds the write lock for its transaction; the next tick tries again.
            Err(e) => tracing::debug!(job = id, error = %e, "job progress not written"),
        }
    }
}

fn failed_message(kind: Option<JobKind>, id: i64) -> String {
    let what = kind.map_or("?", |k| k.label());
    format!(
        "Il lavoro n. {id} ({what}) non è andato a buon fine per un errore interno e non ha modificato nulla. \
         Riprovare; se si ripete, segnalarlo indicando il numero del lavoro."
    )
}

fn gave_up_message() -> String {
    format!(
        "Il lavoro è stato interrotto {MAX_ATTEMPTS} volte (il server si è fermato mentre lo eseguiva) e non viene più ritentato: inviare di nuovo il file."
    )
}
