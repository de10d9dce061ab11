-- Process D (interventions) and the courts' side of a case (issue 15). Nothing here is deleted
-- outside the GDPR purge. A correction of an intervention is a new version row (`version`,
-- `supersedes`, `change_reason`, `created_by/at`) in the same series (`series_id`, NULL on the
-- first version: the series is that row's id); the old version only gets its `superseded_by`
-- marker. Other rows are voided (`voided_at`, `voided_by`, `void_reason`), never removed.

-- One version of an intervention. Money in cents; the planned quantity per month is a decimal
-- string (NULL: no plan, which is not a zero); `data` is the kind's own fields as JSON
-- (`ambito_domain::interventions::KindData`).
CREATE TABLE intervention (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  series_id BIGINT REFERENCES intervention(id),
  case_id BIGINT NOT NULL REFERENCES care_case(id),
  service_id BIGINT NOT NULL REFERENCES service(id),
  kind TEXT NOT NULL,
  start_on TEXT NOT NULL,
  end_on TEXT,
  planned_per_month TEXT,
  unit TEXT NOT NULL,
  provider TEXT,
  share_ambito_cents BIGINT NOT NULL,
  share_user_cents BIGINT NOT NULL,
  share_health_cents BIGINT NOT NULL,
  share_other_cents BIGINT NOT NULL,
  amount_cents BIGINT,
  periodicity TEXT,
  funding_line TEXT,
  data TEXT NOT NULL,
  visible_to_citizen BIGINT NOT NULL,
  version BIGINT NOT NULL,
  supersedes BIGINT REFERENCES intervention(id),
  superseded_by BIGINT REFERENCES intervention(id),
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  change_reason TEXT,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX intervention_case ON intervention (case_id);
CREATE INDEX intervention_service ON intervention (service_id, start_on);
CREATE INDEX intervention_series ON intervention (series_id);

-- A suspension of an intervention series, from `from_on` until the resumption on `to_on` (NULL
-- while suspended). The resumption fills `to_on` once; nothing else changes.
CREATE TABLE intervention_suspension (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  intervention_id BIGINT NOT NULL REFERENCES intervention(id),
  from_on TEXT NOT NULL,
  to_on TEXT,
  reason TEXT NOT NULL,
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  resumed_by BIGINT REFERENCES app_user(id),
  resumed_at TEXT,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX intervention_suspension_intervention ON intervention_suspension (intervention_id);

-- An order of a judge about a case (Tribunale per i Minorenni, ordinario, Giudice tutelare,
-- Procura): judicial data, never shown to the citizen nor to the provider.
CREATE TABLE court_order (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id BIGINT NOT NULL REFERENCES care_case(id),
  court TEXT NOT NULL,
  number TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  kind TEXT NOT NULL,
  orders TEXT NOT NULL,
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX court_order_case ON court_order (case_id);

-- A report the service owes the judge by `due_on`; `done_on` is filled once when it is sent.
CREATE TABLE court_deadline (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  court_order_id BIGINT NOT NULL REFERENCES court_order(id),
  case_id BIGINT NOT NULL REFERENCES care_case(id),
  due_on TEXT NOT NULL,
  what TEXT NOT NULL,
  done_on TEXT,
  done_by BIGINT REFERENCES app_user(id),
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX court_deadline_case ON court_deadline (case_id);
CREATE INDEX court_deadline_due ON court_deadline (due_on);

-- A placement or foster care (comunità, affido familiare or parentale, semiautonomia), maybe
-- disposed by an order.
CREATE TABLE placement (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id BIGINT NOT NULL REFERENCES care_case(id),
  kind TEXT NOT NULL,
  place TEXT NOT NULL,
  start_on TEXT NOT NULL,
  end_on TEXT,
  court_order_id BIGINT REFERENCES court_order(id),
  created_by BIGINT REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_by BIGINT REFERENCES app_user(id),
  void_reason TEXT
);
CREATE INDEX placement_case ON placement (case_id);

-- Where a service's annual figures come from: the activity file or grid ('file'), the delivery
-- events ('consegne'), or the case record ('cartella': interventions, contacts, openings).
ALTER TABLE service ADD COLUMN figures_source TEXT NOT NULL DEFAULT 'file';
