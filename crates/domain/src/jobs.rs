//! Rules of the job queue: when a worker's lease has lapsed, whether an interrupted job is tried
//! again, when progress is worth writing, and the pace (rows a second, time left) a job shows.
//! Times are unix milliseconds, handed in by the caller: this crate reads no clock.

/// How long a claim holds without renewal. A worker renews it while the job runs, so only a
/// worker that died (or cannot reach the database) loses it.
pub const LEASE_MS: i64 = 60_000;
/// Progress goes to the job's row at most this often: a 20-million-row import must not write
/// once a row.
pub const PROGRESS_EVERY_MS: i64 = 500;
/// Without new progress, the lease is still renewed this often (well inside `LEASE_MS`).
pub const RENEW_EVERY_MS: i64 = LEASE_MS / 4;
// Renewed well before it lapses, at compile time.
const _: () = assert!(RENEW_EVERY_MS * 2 < LEASE_MS);
/// A finished job (its outcome, which names the rows it refused) is kept this long, then deleted.
pub const KEPT_MS: i64 = 30 * 24 * 3600 * 1000;
/// Runs a job may start; a job interrupted this many times is failed instead of claimed again.
pub const MAX_ATTEMPTS: i64 = 3;

/// A lease ends at `until` (exclusive): from that millisecond on another worker may claim the job.
/// No lease at all counts as lapsed.
pub fn lease_lapsed(until: Option<i64>, now: i64) -> bool {
    until.is_none_or(|u| u <= now)
}

/// What to do with a job whose previous run was interrupted (its lease lapsed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupted {
    /// Run it again: imports are idempotent and all-or-nothing.
    Retry,
    /// Fail it: it was started `MAX_ATTEMPTS` times and never finished.
    GiveUp,
}

pub fn after_interruption(attempts: i64, max_attempts: i64) -> Interrupted {
    if attempts < max_attempts { Interrupted::Retry } else { Interrupted::GiveUp }
}

/// Whether progress should be written now: a new phase always (it is rare and the page names
/// it), changed counts once `PROGRESS_EVERY_MS` passed since the last write, and nothing new only
/// to renew the lease every `RENEW_EVERY_MS`.
pub fn progress_due(last_write: i64, now: i64, new_phase: bool, counts_changed: bool) -> bool {
    let since = now.saturating_sub(last_write);
    new_phase || (counts_changed && since >= PROGRESS_EVERY_MS) || since >= RENEW_EVERY_MS
}

/// Rows a second and seconds to the end, from `done` of `total` rows in `elapsed_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pace {
    pub rows_per_second: Option<u64>,
    pub seconds_left: Option<u64>,
}

/// No pace in the first half second or before the first row: it would be noise. Integer
/// arithmetic, rounded to the nearest row a second; the time left is rounded up.
pub fn pace(done: u64, total: u64, elapsed_ms: u64) -> Pace {
    if elapsed_ms <= 500 || done == 0 {
        return Pace::default();
    }
    let (done, total, elapsed) = (u128::from(done), u128::from(total), u128::from(elapsed_ms));
    let rate = (done * 1000 + elapsed / 2) / elapsed;
    let left = (total > done).then(|| ((total - done) * elapsed).div_ceil(done * 1000));
    Pace { rows_per_second: u64::try_from(rate).ok(), seconds_left: left.and_then(|s| u64::try_from(s).ok()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_lapses_at_its_end_and_a_missing_one_has_lapsed() {
        assert!(!lease_lapsed(Some(1_000), 999));
        assert!(lease_lapsed(Some(1_000), 1_000));
        assert!(lease_lapsed(Some(1_000), 5_000));
        assert!(lease_lapsed(None, 0));
    }

    #[test]
    fn an_interrupted_job_is_retried_until_its_attempts_are_spent() {
        assert_eq!(after_interruption(1, MAX_ATTEMPTS), Interrupted::Retry);
        assert_eq!(after_interruption(MAX_ATTEMPTS - 1, MAX_ATTEMPTS), Interrupted::Retry);
        assert_eq!(after_interruption(MAX_ATTEMPTS, MAX_ATTEMPTS), Interrupted::GiveUp);
        assert_eq!(after_interruption(7, 1), Interrupted::GiveUp);
    }

    #[test]
    fn progress_is_written_at_most_every_half_second_but_a_new_phase_at_once() {
        assert!(!progress_due(10_000, 10_499, false, true));
        assert!(progress_due(10_000, 10_500, false, true));
        assert!(progress_due(10_000, 10_001, true, false), "a new phase");
        assert!(!progress_due(10_000, 10_000 + RENEW_EVERY_MS - 1, false, false), "nothing new");
        assert!(progress_due(10_000, 10_000 + RENEW_EVERY_MS, false, false), "the lease is renewed");
    }

    #[test]
    fn pace_in_rows_a_second_and_seconds_left() {
        assert_eq!(pace(1_000, 3_000, 2_000), Pace { rows_per_second: Some(500), seconds_left: Some(4) });
        assert_eq!(pace(3, 10, 1_000), Pace { rows_per_second: Some(3), seconds_left: Some(3) }, "7 rows at 3/s: 3 s rounded up");
        assert_eq!(pace(10, 10, 1_000).seconds_left, None, "nothing left");
        assert_eq!(pace(0, 10, 10_000), Pace::default(), "no rows yet");
        assert_eq!(pace(10, 20, 500), Pace::default(), "too early to tell");
        assert_eq!(pace(u64::MAX, u64::MAX, 501).seconds_left, None, "no overflow");
    }
}
