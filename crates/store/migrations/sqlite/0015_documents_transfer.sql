-- Documents once-only, requests to the citizen and transfers between Ambiti (issue 15, slice H3).
-- Nothing here is deleted or rewritten in place outside the GDPR purge: a new version of a
-- document is a new row naming the one it `supersedes`, a withdrawal fills the `voided_*` columns.

-- The encrypted contents, addressed by the SHA-256 of the plaintext: the same file uploaded
-- twice (for one person or several) is stored once. `ciphertext` is nonce || AES-256-GCM output.
-- Kept in the database so that a backup carries the documents with the rows that name them.
CREATE TABLE document_blob (
  sha256 TEXT PRIMARY KEY,
  ciphertext BLOB NOT NULL,
  size BIGINT NOT NULL
);

-- One version of one document of a person. `ambito_id` is the Ambito that holds it (the
-- uploader's): another Ambito sees it only through a link to one of its own cases (a transfer).
CREATE TABLE document (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES document_blob(sha256),
  mime TEXT NOT NULL,
  size BIGINT NOT NULL,
  expires_on TEXT,
  version BIGINT NOT NULL,
  supersedes BIGINT REFERENCES document(id),
  uploaded_by BIGINT REFERENCES app_user(id),
  uploaded_by_citizen INTEGER NOT NULL,
  uploaded_at TEXT NOT NULL,
  visible_to_citizen INTEGER NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX document_person ON document (person_id, ambito_id);
CREATE INDEX document_sha ON document (sha256);

-- A document reused by a case (its project, an application, a transfer) without a new upload.
CREATE TABLE document_link (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id BIGINT NOT NULL REFERENCES document(id),
  case_id BIGINT NOT NULL REFERENCES care_case(id),
  purpose TEXT NOT NULL,
  linked_by BIGINT REFERENCES app_user(id),
  linked_at TEXT NOT NULL
);
CREATE UNIQUE INDEX document_link_once ON document_link (document_id, case_id, purpose);
CREATE INDEX document_link_case ON document_link (case_id);

-- A document asked of the citizen, uploaded once from their area: the upload fulfils it.
CREATE TABLE document_request (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  kind TEXT NOT NULL,
  note TEXT NOT NULL,
  requested_by BIGINT REFERENCES app_user(id),
  requested_at TEXT NOT NULL,
  due_on TEXT,
  fulfilled_document_id BIGINT REFERENCES document(id),
  fulfilled_at TEXT
);
CREATE INDEX document_request_person ON document_request (person_id);

-- A hand-off of a person from one Ambito to another, with the person's consent. The receiving
-- Ambito sees the proposal (identity, summary, chosen documents) and nothing else of the sender.
CREATE TABLE transfer (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  from_ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  to_ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  summary TEXT NOT NULL,
  consent INTEGER NOT NULL,
  consent_document_id BIGINT REFERENCES document(id),
  proposed_by BIGINT REFERENCES app_user(id),
  proposed_at TEXT NOT NULL,
  -- proposto, accettato, rifiutato
  state TEXT NOT NULL,
  decided_by BIGINT REFERENCES app_user(id),
  decided_at TEXT,
  decision_note TEXT,
  new_case_id BIGINT REFERENCES care_case(id)
);
CREATE INDEX transfer_to ON transfer (to_ambito_id, state);
CREATE INDEX transfer_from ON transfer (from_ambito_id);
CREATE INDEX transfer_person ON transfer (person_id);

CREATE TABLE transfer_document (
  transfer_id BIGINT NOT NULL REFERENCES transfer(id),
  document_id BIGINT NOT NULL REFERENCES document(id),
  PRIMARY KEY (transfer_id, document_id)
);
