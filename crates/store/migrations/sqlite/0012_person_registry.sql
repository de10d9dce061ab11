-- The case record's registry and processes A and E (issue 15). Nothing here is deleted outside
-- the GDPR purge: a correction of a dated record is a new row and the old one is voided
-- (`voided_at`, `voided_by`, `void_reason`); a change of the person row first writes the old
-- values to `person_revision`, which gives every field its history.

-- The person: the identity is a codice fiscale, or a provisional code (STP, ENI or an internal
-- temporary code) that a merge later replaces. `search_key`/`name_key` are the surname+name and
-- the name in upper-case ASCII (accents folded) and `sound_key` a typo-forgiving skeleton of the
-- surname: what the one-box search reads through indexes.
ALTER TABLE person ADD COLUMN identity_kind TEXT NOT NULL DEFAULT 'cf';
ALTER TABLE person ADD COLUMN sesso TEXT;
ALTER TABLE person ADD COLUMN birth_place TEXT;
ALTER TABLE person ADD COLUMN citizenship TEXT;
ALTER TABLE person ADD COLUMN citizenship2 TEXT;
ALTER TABLE person ADD COLUMN death_date TEXT;
ALTER TABLE person ADD COLUMN address TEXT;
ALTER TABLE person ADD COLUMN phone TEXT;
ALTER TABLE person ADD COLUMN email TEXT;
ALTER TABLE person ADD COLUMN no_fixed_abode BIGINT NOT NULL DEFAULT 0;
ALTER TABLE person ADD COLUMN merged_into BIGINT REFERENCES person(id);
ALTER TABLE person ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN sound_key TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN updated_at TEXT;
CREATE INDEX person_search ON person (search_key);
CREATE INDEX person_name ON person (name_key);
CREATE INDEX person_sound ON person (sound_key);

-- The old values of a person row, one row per change: who, when, why.
CREATE TABLE person_revision (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  data TEXT NOT NULL,
  changed_by BIGINT REFERENCES app_user(id),
  changed_at TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX person_revision_person ON person_revision (person_id, id);

-- The Ambiti that know a person without a presa in carico (a front-desk contact, a proposal).
CREATE TABLE person_ambito (
  person_id BIGINT NOT NULL REFERENCES person(id),
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  registered_on TEXT NOT NULL,
  registered_by BIGINT REFERENCES app_user(id),
  PRIMARY KEY (person_id, ambito_id)
);
CREATE INDEX person_ambito_ambito ON person_ambito (ambito_id);

-- Residence and domicile with validity: `valid_to` NULL is the current one.
CREATE TABLE person_address (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  kind TEXT NOT NULL,
  comune_istat TEXT,
  address TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX person_address_person ON person_address (person_id);

-- The household (nucleo): members who are persons of the registry or just named.
CREATE TABLE household_member (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  member_person_id BIGINT REFERENCES person(id),
  member_name TEXT NOT NULL,
  relation TEXT NOT NULL,
  cohabiting BIGINT NOT NULL,
  parental_responsibility BIGINT NOT NULL,
  valid_from TEXT,
  valid_to TEXT,
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX household_member_person ON household_member (person_id);

-- Tutela, curatela, amministrazione di sostegno: the representative and the decree.
CREATE TABLE legal_representative (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  kind TEXT NOT NULL,
  representative_name TEXT NOT NULL,
  representative_person_id BIGINT REFERENCES person(id),
  court TEXT NOT NULL,
  decree_number TEXT NOT NULL,
  decree_date TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX legal_representative_person ON legal_representative (person_id);

-- Consents, each dated: the privacy notice signed, sharing with the ASST, and so on.
CREATE TABLE consent (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  kind TEXT NOT NULL,
  given BIGINT NOT NULL,
  given_on TEXT NOT NULL,
  note TEXT,
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX consent_person ON consent (person_id);

-- Civil invalidity, L. 104/1992 and diagnoses (ICD-10).
CREATE TABLE disability (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  kind TEXT NOT NULL,
  percentage BIGINT,
  icd10 TEXT,
  recognized_on TEXT NOT NULL,
  review_on TEXT,
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX disability_person ON disability (person_id);

-- A merge of two records of the same person: what moved, so that it can be undone.
CREATE TABLE person_merge (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  survivor_id BIGINT NOT NULL REFERENCES person(id),
  merged_id BIGINT NOT NULL REFERENCES person(id),
  moved TEXT NOT NULL,
  reason TEXT NOT NULL,
  merged_by BIGINT REFERENCES app_user(id),
  merged_at TEXT NOT NULL,
  undone_by BIGINT REFERENCES app_user(id),
  undone_at TEXT
);

-- Process A: a front-desk contact on any channel. `person_id` NULL is an anonymous contact and
-- stays so. `service_id` is the front-office service whose accessi it counts.
CREATE TABLE contact (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  person_id BIGINT REFERENCES person(id),
  occurred_on TEXT NOT NULL,
  channel TEXT NOT NULL,
  requester_kind TEXT NOT NULL,
  requester_name TEXT,
  need_area TEXT NOT NULL,
  reason TEXT NOT NULL,
  outcome TEXT NOT NULL,
  referred_to TEXT,
  service_id BIGINT REFERENCES service(id),
  operator_id BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX contact_ambito ON contact (ambito_id, occurred_on);
CREATE INDEX contact_person ON contact (person_id);

-- A proposal to take a person in charge, which a worker accepts (opening a case) or rejects.
CREATE TABLE intake_proposal (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  person_id BIGINT NOT NULL REFERENCES person(id),
  contact_id BIGINT REFERENCES contact(id),
  need_area TEXT NOT NULL,
  reason TEXT NOT NULL,
  service_code TEXT,
  proposed_by BIGINT REFERENCES app_user(id),
  proposed_at TEXT NOT NULL,
  state TEXT NOT NULL,
  decided_by BIGINT REFERENCES app_user(id),
  decided_at TEXT,
  decision_note TEXT,
  case_id BIGINT REFERENCES care_case(id)
);
CREATE INDEX intake_proposal_ambito ON intake_proposal (ambito_id, state);

-- How a case moves: states and the roles that may move it, as data an Ambito can change.
ALTER TABLE care_case ADD COLUMN state TEXT NOT NULL DEFAULT 'erogazione';
ALTER TABLE care_case ADD COLUMN need_area TEXT;
ALTER TABLE care_case ADD COLUMN manager_id BIGINT REFERENCES app_user(id);
ALTER TABLE care_case ADD COLUMN closure_reason TEXT;
ALTER TABLE care_case ADD COLUMN closure_outcome TEXT;
CREATE INDEX care_case_ambito ON care_case (ambito_id, state);
CREATE TABLE case_state (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  process TEXT NOT NULL,
  position BIGINT NOT NULL,
  closed BIGINT NOT NULL
);
INSERT INTO case_state (code, name, process, position, closed) VALUES
  ('valutazione', 'Valutazione del bisogno', 'B', 1, 0),
  ('progetto', 'Progetto individuale', 'C', 2, 0),
  ('erogazione', 'Erogazione degli interventi', 'D', 3, 0),
  ('sospeso', 'Sospeso', 'D', 4, 0),
  ('chiuso', 'Chiuso', 'E', 5, 1);
-- `role` is a role code (roles are written by the application at start, so no foreign key).
CREATE TABLE case_transition (
  from_state TEXT NOT NULL REFERENCES case_state(code),
  to_state TEXT NOT NULL REFERENCES case_state(code),
  role TEXT NOT NULL,
  PRIMARY KEY (from_state, to_state, role)
);
INSERT INTO case_transition (from_state, to_state, role) VALUES
  ('valutazione', 'progetto', 'responsabile'),
  ('valutazione', 'chiuso', 'responsabile'),
  ('progetto', 'valutazione', 'responsabile'),
  ('progetto', 'erogazione', 'responsabile'),
  ('progetto', 'chiuso', 'responsabile'),
  ('erogazione', 'progetto', 'responsabile'),
  ('erogazione', 'sospeso', 'responsabile'),
  ('erogazione', 'chiuso', 'responsabile'),
  ('sospeso', 'erogazione', 'responsabile'),
  ('sospeso', 'chiuso', 'responsabile'),
  ('chiuso', 'valutazione', 'responsabile'),
  ('valutazione', 'progetto', 'assistente_sociale'),
  ('valutazione', 'chiuso', 'assistente_sociale'),
  ('progetto', 'valutazione', 'assistente_sociale'),
  ('progetto', 'erogazione', 'assistente_sociale'),
  ('progetto', 'chiuso', 'assistente_sociale'),
  ('erogazione', 'progetto', 'assistente_sociale'),
  ('erogazione', 'sospeso', 'assistente_sociale'),
  ('erogazione', 'chiuso', 'assistente_sociale'),
  ('sospeso', 'erogazione', 'assistente_sociale'),
  ('sospeso', 'chiuso', 'assistente_sociale'),
  ('chiuso', 'valutazione', 'assistente_sociale'),
  ('erogazione', 'sospeso', 'educatore'),
  ('sospeso', 'erogazione', 'educatore'),
  ('valutazione', 'progetto', 'educatore'),
  ('progetto', 'erogazione', 'educatore');
-- Every move of a case, opening and reopening included.
CREATE TABLE case_event (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id BIGINT NOT NULL REFERENCES care_case(id),
  from_state TEXT,
  to_state TEXT NOT NULL,
  at TEXT NOT NULL,
  on_date TEXT NOT NULL,
  by_user BIGINT REFERENCES app_user(id),
  reason TEXT
);
CREATE INDEX case_event_case ON case_event (case_id, id);
-- The case manager over time: one open row (`to_on` NULL) per case.
CREATE TABLE case_manager (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id BIGINT NOT NULL REFERENCES care_case(id),
  user_id BIGINT NOT NULL REFERENCES app_user(id),
  from_on TEXT NOT NULL,
  to_on TEXT,
  assigned_by BIGINT REFERENCES app_user(id),
  assigned_at TEXT NOT NULL
);
CREATE INDEX case_manager_case ON case_manager (case_id);
-- A case shared with a worker of another unit for a period: they join the care team until `to_on`.
CREATE TABLE case_share (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id BIGINT NOT NULL REFERENCES care_case(id),
  user_id BIGINT NOT NULL REFERENCES app_user(id),
  unit TEXT NOT NULL,
  from_on TEXT NOT NULL,
  to_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by BIGINT REFERENCES app_user(id)
);
CREATE INDEX case_share_case ON case_share (case_id);

-- The diary: typed entries (`entry_type`) with their confidentiality (`kind`), a date, links
-- between entries, and corrections as new entries that supersede the old (kept, voided).
ALTER TABLE case_note ADD COLUMN entry_type TEXT NOT NULL DEFAULT 'nota';
ALTER TABLE case_note ADD COLUMN occurred_on TEXT;
ALTER TABLE case_note ADD COLUMN linked_note_id BIGINT REFERENCES case_note(id);
ALTER TABLE case_note ADD COLUMN supersedes BIGINT REFERENCES case_note(id);
ALTER TABLE case_note ADD COLUMN change_reason TEXT;
ALTER TABLE case_note ADD COLUMN voided_at TEXT;
ALTER TABLE case_note ADD COLUMN voided_by BIGINT REFERENCES app_user(id);
CREATE INDEX case_note_case ON case_note (case_id, id);

-- Appointments with the person; those marked visible show in the citizen's area.
CREATE TABLE appointment (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id BIGINT NOT NULL REFERENCES care_case(id),
  at TEXT NOT NULL,
  place TEXT NOT NULL,
  purpose TEXT NOT NULL,
  visible_to_citizen BIGINT NOT NULL,
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX appointment_case ON appointment (case_id, at);

-- In-app alerts for a user (a proposal assigned, a case shared, a transfer received).
CREATE TABLE alert (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id BIGINT NOT NULL REFERENCES app_user(id),
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  href TEXT,
  created_at TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX alert_user ON alert (user_id, read_at);

-- Cases closed before the states existed are closed.
UPDATE care_case SET state = 'chiuso' WHERE closed_on IS NOT NULL;
