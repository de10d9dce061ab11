-- Access control, audit and the first person data (issue 3). Roles and permissions are rows, so
-- an Ambito can change them without a release; the application decides access in one place.

CREATE TABLE role (code TEXT PRIMARY KEY, name TEXT NOT NULL, staff INTEGER NOT NULL, position BIGINT NOT NULL);
CREATE TABLE role_permission (role TEXT NOT NULL REFERENCES role(code), permission TEXT NOT NULL, PRIMARY KEY (role, permission));

CREATE TABLE app_user (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT,
  totp_secret TEXT,
  codice_fiscale TEXT UNIQUE,
  suspended INTEGER NOT NULL DEFAULT 0,
  failed_logins BIGINT NOT NULL DEFAULT 0,
  locked_until TEXT,
  created_at TEXT NOT NULL
);
-- One row per role held; the scope columns narrow it: an Ambito, a Comune (ISTAT code) inside it,
-- or an accredited provider (ente gestore). Administrators have no Ambito.
CREATE TABLE user_role (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  role TEXT NOT NULL REFERENCES role(code),
  ambito_id BIGINT REFERENCES ambito(id),
  comune_istat TEXT,
  provider TEXT
);
CREATE INDEX user_role_user ON user_role (user_id);

CREATE TABLE auth_session (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  -- 1 while the password is verified and the second factor is still due.
  pending_second_factor INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  ip TEXT
);
CREATE TABLE api_token (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE reset_token (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);

-- Append-only: each entry carries the hash of the previous one (see docs/ARCHITECTURE.md).
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  person_id BIGINT,
  ambito TEXT,
  ip TEXT,
  reason TEXT,
  flagged INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_person ON audit_log (person_id);
CREATE INDEX audit_log_user ON audit_log (username);

-- Persons and their prese in carico: the seed of the case record. A person is known once
-- (codice fiscale); each Ambito that takes them in charge opens its own case.
CREATE TABLE person (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  codice_fiscale TEXT NOT NULL UNIQUE,
  cognome TEXT NOT NULL,
  nome TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  comune_istat TEXT,
  pseudonym TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE care_case (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  service_code TEXT,
  provider TEXT,
  opened_on TEXT NOT NULL,
  closed_on TEXT
);
CREATE INDEX care_case_person ON care_case (person_id);
CREATE TABLE care_team (
  case_id BIGINT NOT NULL REFERENCES care_case(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES app_user(id),
  PRIMARY KEY (case_id, user_id)
);
CREATE TABLE case_note (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id BIGINT NOT NULL REFERENCES care_case(id) ON DELETE CASCADE,
  author_id BIGINT REFERENCES app_user(id),
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- Break-glass: access outside the care team, with a written reason, until `expires_at`.
CREATE TABLE break_glass (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id BIGINT NOT NULL REFERENCES app_user(id),
  person_id BIGINT NOT NULL REFERENCES person(id),
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

-- The chain's head: the last sequence number and hash. Updating this row first serialises
-- appends on PostgreSQL (row lock) and anchors the end of the chain against deleted tail rows.
CREATE TABLE audit_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
