-- The persisted job queue (issue 16): long work (delivery imports today) as rows that a worker
-- of any `serve` process claims with a lease, renews while running, and finishes with an outcome
-- or a failure. Progress is written to the row, throttled. Times are unix milliseconds.
CREATE TABLE job (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  owner_user_id BIGINT NOT NULL REFERENCES app_user(id),
  -- JSON array of the providers the owner may report for; NULL: any.
  providers TEXT,
  -- The input's file name in the data directory's spool; removed when the job ends.
  input_file TEXT NOT NULL,
  display_name TEXT NOT NULL,
  -- queued, running, done, failed
  state TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  max_attempts BIGINT NOT NULL,
  -- The worker holding the job and until when (unix ms); another may claim it once it lapsed.
  lease_owner TEXT,
  lease_until_ms BIGINT,
  phase TEXT NOT NULL,
  rows_total BIGINT NOT NULL DEFAULT 0,
  rows_done BIGINT NOT NULL DEFAULT 0,
  phase_started_ms BIGINT,
  progress_ms BIGINT,
  -- JSON of the kind's outcome once done; the user-facing message once failed.
  outcome TEXT,
  failure TEXT,
  created_ms BIGINT NOT NULL,
  finished_ms BIGINT
);
CREATE INDEX job_claim ON job (state, lease_until_ms);
CREATE INDEX job_ambito ON job (ambito_id, id);
