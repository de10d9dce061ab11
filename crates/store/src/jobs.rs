//! The job queue's table (`job`, migration 0011). A job is claimed with one UPDATE whose WHERE
//! repeats the claimable condition: on SQLite the statement holds the single write lock, and on
//! PostgreSQL a second claimer blocked on the same row re-checks that condition against the
//! committed row and finds it no longer claimable. Either way one worker wins. Every later write
//! of a running job names its lease owner, so a worker that lost the lease changes nothing.

use crate::Result;
use sqlx::{AnyConnection, Row};

pub const JOB_QUEUED: &str = "queued";
pub const JOB_RUNNING: &str = "running";
pub const JOB_DONE: &str = "done";
pub const JOB_FAILED: &str = "failed";

pub struct NewJobRow<'a> {
    pub kind: &'a str,
    pub ambito_id: i64,
    pub owner_user_id: i64,
    /// JSON array, `None`: any provider.
    pub providers: Option<&'a str>,
    pub input_file: &'a str,
    pub display_name: &'a str,
    pub max_attempts: i64,
    pub phase: &'a str,
    pub now_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub ambito_id: i64,
    pub ambito_code: String,
    pub owner_user_id: i64,
    pub providers: Option<String>,
    pub input_file: String,
    pub display_name: String,
    pub state: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub lease_owner: Option<String>,
    pub lease_until_ms: Option<i64>,
    pub phase: String,
    pub rows_total: i64,
    pub rows_done: i64,
    pub phase_started_ms: Option<i64>,
    pub progress_ms: Option<i64>,
    pub outcome: Option<String>,
    pub failure: Option<String>,
    pub created_ms: i64,
    pub finished_ms: Option<i64>,
}

/// Progress as a running job reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobProgressRow<'a> {
    pub phase: &'a str,
    pub rows_total: i64,
    pub rows_done: i64,
    pub phase_started_ms: i64,
}

const COLUMNS: &str = "j.id, j.kind, j.ambito_id, a.code, j.owner_user_id, j.providers, j.input_file, j.display_name, j.state, \
     j.attempts, j.max_attempts, j.lease_owner, j.lease_until_ms, j.phase, j.rows_total, j.rows_done, j.phase_started_ms, \
     j.progress_ms, j.outcome, j.failure, j.created_ms, j.finished_ms";

fn job_row(r: &sqlx::any::AnyRow) -> Result<JobRow> {
    Ok(JobRow {
        id: r.try_get(0)?,
        kind: r.try_get(1)?,
        ambito_id: r.try_get(2)?,
        ambito_code: r.try_get(3)?,
        owner_user_id: r.try_get(4)?,
        providers: r.try_get(5)?,
        input_file: r.try_get(6)?,
        display_name: r.try_get(7)?,
        state: r.try_get(8)?,
        attempts: r.try_get(9)?,
        max_attempts: r.try_get(10)?,
        lease_owner: r.try_get(11)?,
        lease_until_ms: r.try_get(12)?,
        phase: r.try_get(13)?,
        rows_total: r.try_get(14)?,
        rows_done: r.try_get(15)?,
        phase_started_ms: r.try_get(16)?,
        progress_ms: r.try_get(17)?,
        outcome: r.try_get(18)?,
        failure: r.try_get(19)?,
        created_ms: r.try_get(20)?,
        finished_ms: r.try_get(21)?,
    })
}

pub async fn insert_job(conn: &mut AnyConnection, job: &NewJobRow<'_>) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO job (kind, ambito_id, owner_user_id, providers, input_file, display_name, state, attempts, max_attempts, \
         phase, rows_total, rows_done, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, 0, 0, $10) RETURNING id",
    )
    .bind(job.kind)
    .bind(job.ambito_id)
    .bind(job.owner_user_id)
    .bind(job.providers)
    .bind(job.input_file)
    .bind(job.display_name)
    .bind(JOB_QUEUED)
    .bind(job.max_attempts)
    .bind(job.phase)
    .bind(job.now_ms)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn job_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<JobRow>> {
    let sql = format!("SELECT {COLUMNS} FROM job j JOIN ambito a ON a.id = j.ambito_id WHERE j.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(job_row).transpose()
}

/// The latest `limit` jobs, of one Ambito or of all, newest first.
pub async fn recent_jobs(conn: &mut AnyConnection, ambito_id: Option<i64>, limit: i64) -> Result<Vec<JobRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM job j JOIN ambito a ON a.id = j.ambito_id WHERE ($1 IS NULL OR j.ambito_id = $1) ORDER BY j.id DESC LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ambito_id).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(job_row).collect()
}

/// Whether any job awaits a worker at `now_ms` (queued, or running under a lapsed lease): a read,
/// so that idle workers do not queue for SQLite's write lock behind a running import.
pub async fn jobs_waiting(conn: &mut AnyConnection, now_ms: i64) -> Result<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM job WHERE state = 'queued' OR (state = 'running' AND (lease_until_ms IS NULL OR lease_until_ms <= $1))",
    )
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get::<i64, _>(0)? > 0)
}

/// Deletes the jobs that ended before `before_ms`; returns how many. Their outcomes name persons
/// (a refused delivery file lists its rows), so they are not kept for ever.
pub async fn purge_jobs(conn: &mut AnyConnection, before_ms: i64) -> Result<u64> {
    let done =
        sqlx::query("DELETE FROM job WHERE state IN ('done', 'failed') AND finished_ms < $1").bind(before_ms).execute(&mut *conn).await?;
    Ok(done.rows_affected())
}

/// Claims the oldest job that is queued, or running under a lease that lapsed at `now_ms`, and
/// has attempts left: `worker` holds it until `lease_until_ms` and the attempt is counted.
/// Progress starts over, since the run does. `None`: nothing to claim (or another worker won).
pub async fn claim_job(conn: &mut AnyConnection, worker: &str, now_ms: i64, lease_until_ms: i64, phase: &str) -> Result<Option<i64>> {
    const CLAIMABLE: &str = "(state = 'queued' OR (state = 'running' AND (lease_until_ms IS NULL OR lease_until_ms <= $3))) \
         AND attempts < max_attempts";
    let sql = format!(
        "UPDATE job SET state = 'running', lease_owner = $1, lease_until_ms = $2, attempts = attempts + 1, phase = $4, \
         rows_total = 0, rows_done = 0, phase_started_ms = $3, progress_ms = $3 \
         WHERE id = (SELECT id FROM job WHERE {CLAIMABLE} ORDER BY id LIMIT 1) AND {CLAIMABLE} RETURNING id"
    );
    let row =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(worker).bind(lease_until_ms).bind(now_ms).bind(phase).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// Fails the running jobs whose lease lapsed with no attempt left, with `failure`; returns their
/// (id, input file) so the caller can remove the inputs.
pub async fn give_up_jobs(conn: &mut AnyConnection, now_ms: i64, failure: &str) -> Result<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "UPDATE job SET state = 'failed', failure = $1, finished_ms = $2, lease_owner = NULL, lease_until_ms = NULL \
         WHERE state = 'running' AND (lease_until_ms IS NULL OR lease_until_ms <= $2) AND attempts >= max_attempts \
         RETURNING id, input_file",
    )
    .bind(failure)
    .bind(now_ms)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

/// Renews `worker`'s lease on job `id` and writes its progress. `false`: the lease is not
/// `worker`'s any more (it lapsed and another worker claimed the job), nothing was written.
pub async fn renew_job(
    conn: &mut AnyConnection,
    id: i64,
    worker: &str,
    lease_until_ms: i64,
    now_ms: i64,
    progress: &JobProgressRow<'_>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE job SET lease_until_ms = $1, phase = $2, rows_total = $3, rows_done = $4, phase_started_ms = $5, progress_ms = $6 \
         WHERE id = $7 AND lease_owner = $8 AND state = 'running'",
    )
    .bind(lease_until_ms)
    .bind(progress.phase)
    .bind(progress.rows_total)
    .bind(progress.rows_done)
    .bind(progress.phase_started_ms)
    .bind(now_ms)
    .bind(id)
    .bind(worker)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends `worker`'s run of job `id`: done with `outcome` (JSON) or failed with `failure`.
/// `false`: the lease was lost first, so the job's row belongs to another run.
pub async fn finish_job(
    conn: &mut AnyConnection,
    id: i64,
    worker: &str,
    now_ms: i64,
    outcome: std::result::Result<&str, &str>,
) -> Result<bool> {
    let (state, outcome, failure) = match outcome {
        Ok(json) => (JOB_DONE, Some(json), None),
        Err(message) => (JOB_FAILED, None, Some(message)),
    };
    let done = sqlx::query(
        "UPDATE job SET state = $1, outcome = $2, failure = $3, finished_ms = $4, lease_owner = NULL, lease_until_ms = NULL \
         WHERE id = $5 AND lease_owner = $6 AND state = 'running'",
    )
    .bind(state)
    .bind(outcome)
    .bind(failure)
    .bind(now_ms)
    .bind(id)
    .bind(worker)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
