//! The persisted job queue: long work that a request starts and a browser follows. A job is a
//! row of `job` (see `ambito_store::jobs`), so it survives a restart and every process sees it;
//! its input is a file in the data directory's spool (`spool`), so a restart can run it again.
//! A worker of the `serve` process (`worker`) claims a job with a lease, renews the lease while
//! the job runs, writes its progress to the row at most every `PROGRESS_EVERY_MS`, and finishes
//! it with the kind's outcome (JSON) or a failure the user may read; the cause goes to the log.
//! A job whose worker died is claimed again once its lease lapses, up to `MAX_ATTEMPTS` runs:
//! the kinds are idempotent and all-or-nothing (a delivery import commits in one transaction),
//! so a second run is safe. The rules (leases, attempts, throttling, pace) are in
//! `ambito_domain::jobs`. What a kind does is in `kinds`: adding one touches nothing else here.

mod kinds;
mod spool;
mod worker;

pub use kinds::JobKind;
pub use worker::WorkerHandle;

use crate::intake::ImportOutcome;
use crate::{App, AppError, Result};
use ambito_domain::jobs::{MAX_ATTEMPTS, Pace, pace};
use ambito_store::{self as store, JobRow};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The phase a job shows before a worker starts it.
pub const QUEUED_PHASE: &str = "in coda";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobState {
    fn from_code(code: &str) -> JobState {
        match code {
            store::JOB_RUNNING => JobState::Running,
            store::JOB_DONE => JobState::Done,
            store::JOB_FAILED => JobState::Failed,
            _ => JobState::Queued,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            JobState::Queued => store::JOB_QUEUED,
            JobState::Running => store::JOB_RUNNING,
            JobState::Done => store::JOB_DONE,
            JobState::Failed => store::JOB_FAILED,
        }
    }

    pub fn is_over(self) -> bool {
        matches!(self, JobState::Done | JobState::Failed)
    }
}

/// What a request hands to the queue.
pub struct NewJob<'a> {
    pub kind: JobKind,
    pub ambito_id: i64,
    /// Who started it; with `providers`, whom it acts for (`None`: any provider).
    pub owner_user_id: i64,
    pub providers: Option<BTreeSet<String>>,
    /// The input, moved (or copied) into the spool: the caller's file may go away.
    pub input: &'a Path,
    /// The name the user knows the input by: the only one messages show.
    pub display_name: &'a str,
}

/// A job as the pages and the CLI show it.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub kind: Option<JobKind>,
    pub ambito_id: i64,
    pub ambito_code: String,
    pub owner_user_id: i64,
    pub providers: Option<BTreeSet<String>>,
    pub display_name: String,
    pub state: JobState,
    pub attempts: i64,
    pub phase: String,
    pub rows_done: u64,
    pub rows_total: u64,
    pub pace: Pace,
    /// When progress was last recorded (unix ms).
    pub updated_ms: Option<i64>,
    pub created_ms: i64,
    pub finished_ms: Option<i64>,
    outcome: Option<String>,
    /// The input's name in the spool.
    pub(crate) input_file: String,
    /// The user-facing reason of a failed job.
    pub failure: Option<String>,
}

impl Job {
    fn from_row(row: JobRow) -> Job {
        let (done, total) = (u64::try_from(row.rows_done).unwrap_or(0), u64::try_from(row.rows_total).unwrap_or(0));
        let elapsed = match (row.phase_started_ms, row.progress_ms) {
            (Some(start), Some(at)) => u64::try_from(at - start).unwrap_or(0),
            _ => 0,
        };
        Job {
            id: row.id,
            kind: JobKind::from_code(&row.kind),
            ambito_id: row.ambito_id,
            ambito_code: row.ambito_code,
            owner_user_id: row.owner_user_id,
            providers: row.providers.as_deref().and_then(|p| serde_json::from_str(p).ok()),
            display_name: row.display_name,
            state: JobState::from_code(&row.state),
            attempts: row.attempts,
            phase: row.phase,
            rows_done: done,
            rows_total: total,
            pace: pace(done, total, elapsed),
            updated_ms: row.progress_ms,
            created_ms: row.created_ms,
            finished_ms: row.finished_ms,
            outcome: row.outcome,
            input_file: row.input_file,
            failure: row.failure,
        }
    }

    /// The input's name in the spool (`App::job_spool`).
    pub fn input_file(&self) -> &str {
        &self.input_file
    }

    /// The outcome of a finished import (a delivery import today).
    pub fn import_outcome(&self) -> Option<ImportOutcome> {
        self.outcome.as_deref().and_then(|json| serde_json::from_str(json).ok())
    }
}

/// What every clone of an `App` shares about jobs: where inputs are spooled, the wake-up of the
/// workers of this process, and the live progress of the jobs they run.
#[derive(Debug)]
pub struct Queue {
    spool: PathBuf,
    wake: tokio::sync::Notify,
    /// Progress of the jobs this process runs, fresher than their rows: on SQLite an import holds
    /// the one write lock for its whole transaction, and the row catches up when it commits.
    live: Mutex<HashMap<i64, Arc<worker::LiveProgress>>>,
}

impl Queue {
    pub(crate) fn new(database_url: &str) -> Arc<Queue> {
        Arc::new(Queue { spool: spool::directory(database_url), wake: tokio::sync::Notify::new(), live: Mutex::default() })
    }
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl App {
    /// Queues a job: its input goes into the spool, then the row is written; this process's
    /// workers are woken (another process's find it at their next poll). Returns its id.
    pub async fn enqueue_job(&self, job: NewJob<'_>) -> Result<i64> {
        let input_file = spool::take(&self.jobs.spool, job.input).await?;
        let providers = match &job.providers {
            Some(set) => Some(serde_json::to_string(set).map_err(|e| AppError::Invalid(format!("fornitori del lavoro: {e}")))?),
            None => None,
        };
        let row = store::NewJobRow {
            kind: job.kind.code(),
            ambito_id: job.ambito_id,
            owner_user_id: job.owner_user_id,
            providers: providers.as_deref(),
            input_file: &input_file,
            display_name: job.display_name,
            max_attempts: MAX_ATTEMPTS,
            phase: QUEUED_PHASE,
            now_ms: now_ms(),
        };
        let inserted = async {
            let mut tx = self.store.write_untracked().await?;
            let id = store::insert_job(&mut tx, &row).await?;
            tx.commit().await?;
            Ok::<_, AppError>(id)
        }
        .await;
        match inserted {
            Ok(id) => {
                self.jobs.wake.notify_one();
                Ok(id)
            }
            Err(e) => {
                spool::remove(&self.jobs.spool, &input_file);
                Err(e)
            }
        }
    }

    /// Job `id`, with the live progress when this process runs it.
    pub async fn job(&self, id: i64) -> Result<Option<Job>> {
        let mut conn = self.store.read().await?;
        let row = store::job_by_id(&mut conn, id).await?;
        drop(conn);
        Ok(row.map(|r| self.with_live_progress(Job::from_row(r))))
    }

    /// The latest `limit` jobs, of the Ambito `ambito_code` or of all, newest first.
    pub async fn recent_jobs(&self, ambito_code: Option<&str>, limit: i64) -> Result<Vec<Job>> {
        let mut conn = self.store.read().await?;
        let ambito_id = match ambito_code {
            Some(code) => Some(store::ambito_by_code(&mut conn, code).await?.ok_or_else(|| AppError::AmbitoNotFound(code.into()))?.id),
            None => None,
        };
        let rows = store::recent_jobs(&mut conn, ambito_id, limit).await?;
        drop(conn);
        Ok(rows.into_iter().map(|r| self.with_live_progress(Job::from_row(r))).collect())
    }

    fn with_live_progress(&self, mut job: Job) -> Job {
        if job.state != JobState::Running {
            return job;
        }
        let live = self.jobs.live.lock().ok().and_then(|l| l.get(&job.id).cloned());
        if let Some(live) = live {
            let snapshot = live.snapshot();
            let now = now_ms();
            job.phase = snapshot.phase;
            job.rows_done = snapshot.done;
            job.rows_total = snapshot.total;
            job.pace = pace(snapshot.done, snapshot.total, u64::try_from(now - snapshot.phase_started_ms).unwrap_or(0));
            job.updated_ms = Some(now);
        }
        job
    }

    /// The directory of the jobs' inputs.
    pub fn job_spool(&self) -> &Path {
        &self.jobs.spool
    }
}
