-- Co-payments by ISEE and pagoPA notices (issue 17). Nothing here is deleted outside the GDPR
-- purge: an ISEE attestation or an exemption is voided (`voided_*`), a regulation version or a
-- settings change is a new row, a corrected month is a new run whose changed notices supersede
-- the old ones (`superseded_by`). Money is BIGINT cents, as everywhere in the schema; a
-- quantity is decimal text (hours keep the digits they were delivered with).

-- One ISEE attestation of a person, as recorded by an Ambito. `valido_fino` NULL: the default
-- validity of the type (`ambito_domain::copayment::isee::default_valid_until`). `source`:
-- operatore (typed in the case record), importazione (a file), dichiarazione (the citizen's,
-- to be verified: `verified_by/at`).
CREATE TABLE isee_attestation (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  tipo TEXT NOT NULL,
  valore_cents BIGINT NOT NULL,
  protocollo_dsu TEXT NOT NULL,
  data_dsu TEXT NOT NULL,
  valido_fino TEXT,
  source TEXT NOT NULL,
  recorded_by BIGINT REFERENCES app_user(id),
  recorded_at TEXT NOT NULL,
  verified_by BIGINT REFERENCES app_user(id),
  verified_at TEXT,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX isee_attestation_person ON isee_attestation (person_id, protocollo_dsu);

-- One version of an Ambito's regulation: the TOML text as loaded (the rules are read from it
-- again, through the one checker), and the services it charges.
CREATE TABLE copay_regulation (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  codice TEXT NOT NULL,
  valido_dal TEXT NOT NULL,
  source_toml TEXT NOT NULL,
  loaded_by BIGINT REFERENCES app_user(id),
  loaded_at TEXT NOT NULL,
  UNIQUE (ambito_id, valido_dal),
  UNIQUE (ambito_id, codice)
);
CREATE TABLE copay_regulation_service (
  regulation_id BIGINT NOT NULL REFERENCES copay_regulation(id),
  service_id BIGINT NOT NULL REFERENCES service(id),
  unita TEXT NOT NULL,
  formula TEXT NOT NULL,
  PRIMARY KEY (regulation_id, service_id)
);

-- An individual exemption (a social worker's decision, a court-imposed service): tariff 0.
-- `service_id` NULL: every service; `al` NULL: open-ended.
CREATE TABLE copay_exemption (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id BIGINT NOT NULL REFERENCES person(id),
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  service_id BIGINT REFERENCES service(id),
  atto TEXT NOT NULL,
  motivo TEXT NOT NULL,
  dal TEXT NOT NULL,
  al TEXT,
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX copay_exemption_person ON copay_exemption (person_id, ambito_id);

-- The pagoPA settings of an Ambito, one row per change: the latest holds.
CREATE TABLE pagopa_settings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  ente_cf TEXT NOT NULL,
  nome TEXT NOT NULL,
  ufficio TEXT,
  segregazione TEXT NOT NULL,
  iban TEXT NOT NULL,
  categoria TEXT NOT NULL,
  causale TEXT NOT NULL,
  set_by BIGINT REFERENCES app_user(id),
  set_at TEXT NOT NULL
);
CREATE INDEX pagopa_settings_ambito ON pagopa_settings (ambito_id, id);

-- The gap-free counter of IUV bases of an Ambito: the next base to use. Only ever incremented,
-- in the transaction that issues the notice, so a rolled-back run leaves no gap and no IUV is
-- ever reused, even after a cancellation.
CREATE TABLE iuv_counter (
  ambito_id BIGINT PRIMARY KEY REFERENCES ambito(id),
  next_base BIGINT NOT NULL
);

-- One computation of a month for an Ambito: run 1, then a run per correction.
CREATE TABLE copay_run (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  month TEXT NOT NULL,
  run_number BIGINT NOT NULL,
  regulation_id BIGINT NOT NULL REFERENCES copay_regulation(id),
  scadenza TEXT NOT NULL,
  problems TEXT NOT NULL,
  run_by BIGINT REFERENCES app_user(id),
  run_at TEXT NOT NULL,
  UNIQUE (ambito_id, month, run_number)
);

-- A pagoPA notice: one per person and month with something to pay. `status`: emesso, pagato,
-- parziale, annullato, sostituito (`superseded_by` the corrective notice). The IUV is unique
-- for its ente creditore.
CREATE TABLE pagopa_notice (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  person_id BIGINT NOT NULL REFERENCES person(id),
  month TEXT NOT NULL,
  ente_cf TEXT NOT NULL,
  iuv TEXT NOT NULL,
  numero_avviso TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  paid_cents BIGINT NOT NULL,
  scadenza TEXT NOT NULL,
  causale TEXT NOT NULL,
  status TEXT NOT NULL,
  issued_run_id BIGINT NOT NULL REFERENCES copay_run(id),
  issued_at TEXT NOT NULL,
  superseded_by BIGINT REFERENCES pagopa_notice(id),
  closed_at TEXT,
  UNIQUE (ente_cf, iuv)
);
CREATE INDEX pagopa_notice_person ON pagopa_notice (person_id, month);
CREATE INDEX pagopa_notice_ambito ON pagopa_notice (ambito_id, month, status);

-- The rows of a run: a person's month of one service, and the notice that covers it (NULL: an
-- exempt or zero total).
CREATE TABLE copay_statement_row (
  run_id BIGINT NOT NULL REFERENCES copay_run(id),
  person_id BIGINT NOT NULL REFERENCES person(id),
  service_id BIGINT NOT NULL REFERENCES service(id),
  unita TEXT NOT NULL,
  quantita TEXT NOT NULL,
  isee_tipo TEXT,
  isee_valore_cents BIGINT,
  tariffa_cents BIGINT NOT NULL,
  importo_cents BIGINT NOT NULL,
  motivo TEXT NOT NULL,
  notice_id BIGINT REFERENCES pagopa_notice(id),
  PRIMARY KEY (run_id, person_id, service_id)
);
CREATE INDEX copay_statement_row_person ON copay_statement_row (person_id);

-- A payment receipt (*ricevuta*) as imported or polled: `notice_id` NULL never (an unknown IUV
-- is refused); `outcome` is the reconciliation's (pagato, parziale, eccedente, doppio…).
CREATE TABLE pagopa_receipt (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  notice_id BIGINT NOT NULL REFERENCES pagopa_notice(id),
  amount_cents BIGINT NOT NULL,
  paid_on TEXT NOT NULL,
  psp TEXT NOT NULL,
  outcome TEXT NOT NULL,
  source TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE UNIQUE INDEX pagopa_receipt_once ON pagopa_receipt (notice_id, amount_cents, paid_on, psp);
