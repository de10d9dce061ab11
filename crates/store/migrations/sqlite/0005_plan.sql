-- Piano di Zona: plans, objective cards at three levels, actions, indicator sets, monitoring
-- rounds with frozen values, end-of-cycle evaluation cards and qualitative evidence.
-- Decimal figures (baselines, targets, values) are canonical decimal TEXT written by the app.
-- Answers Sì/No/Parzialmente are TEXT codes 'si' | 'no' | 'parziale' (NULL = not answered).

CREATE TABLE plan (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  triennium TEXT NOT NULL,
  title TEXT NOT NULL,
  start_date TEXT,
  end_date TEXT,
  status TEXT NOT NULL,
  approval_body TEXT,
  approval_number TEXT,
  approval_date TEXT,
  previous_triennium TEXT,
  notes TEXT,
  UNIQUE (ambito_id, triennium)
);
CREATE TABLE plan_macroarea (
  plan_id BIGINT NOT NULL REFERENCES plan(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  rl_areas TEXT NOT NULL,
  position BIGINT NOT NULL,
  PRIMARY KEY (plan_id, code)
);
-- level: 'ambito' (scope_id = ambito.id), 'distretto' (distretto.id), 'provincia' (ats.id).
CREATE TABLE plan_objective (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  level TEXT NOT NULL,
  scope_id BIGINT NOT NULL,
  triennium TEXT NOT NULL,
  code TEXT NOT NULL,
  position BIGINT NOT NULL,
  macroarea TEXT,
  rl_areas TEXT NOT NULL,
  title TEXT NOT NULL,
  short_description TEXT,
  description TEXT,
  target TEXT,
  resources_text TEXT,
  staff_text TEXT,
  cross_cutting TEXT, cross_cutting_text TEXT, cross_cutting_areas TEXT NOT NULL,
  sociosanitary TEXT, sociosanitary_text TEXT,
  continuity TEXT, continuity_text TEXT,
  codesigned TEXT, codesigned_text TEXT,
  needs TEXT,
  process_intro TEXT,
  output_intro TEXT,
  outcome_narrative TEXT,
  services TEXT NOT NULL,
  ancestor_id BIGINT REFERENCES plan_objective(id),
  UNIQUE (level, scope_id, triennium, code)
);
CREATE TABLE plan_resource (
  objective_id BIGINT NOT NULL REFERENCES plan_objective(id),
  position BIGINT NOT NULL,
  source TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  PRIMARY KEY (objective_id, position)
);
CREATE TABLE plan_action (
  objective_id BIGINT NOT NULL REFERENCES plan_objective(id),
  position BIGINT NOT NULL,
  text TEXT NOT NULL,
  deadline TEXT,
  responsible TEXT,
  partners TEXT,
  status TEXT NOT NULL,
  PRIMARY KEY (objective_id, position)
);
CREATE TABLE plan_indicator (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  objective_id BIGINT NOT NULL REFERENCES plan_objective(id),
  code TEXT NOT NULL,
  position BIGINT NOT NULL,
  text TEXT NOT NULL,
  kind TEXT NOT NULL,
  level TEXT NOT NULL,
  measure TEXT NOT NULL,
  direction TEXT NOT NULL,
  baseline_value TEXT,
  baseline_year BIGINT,
  target_value TEXT,
  target_date TEXT,
  frequency TEXT NOT NULL,
  link TEXT,
  target_population TEXT,
  evidence_note TEXT,
  ancestor_id BIGINT REFERENCES plan_indicator(id),
  UNIQUE (objective_id, code)
);
-- A semiannual monitoring round of one Ambito's plan. Closed rounds are frozen.
CREATE TABLE plan_round (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id BIGINT NOT NULL REFERENCES plan(id),
  number BIGINT NOT NULL,
  year BIGINT NOT NULL,
  half BIGINT NOT NULL,
  status TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  closed_at TEXT,
  closed_by TEXT,
  UNIQUE (plan_id, number)
);
-- One indicator in one round: manual entries while open; every indicator at closing (frozen).
CREATE TABLE plan_value (
  round_id BIGINT NOT NULL REFERENCES plan_round(id),
  indicator_id BIGINT NOT NULL REFERENCES plan_indicator(id),
  observed TEXT,
  denominator TEXT,
  value TEXT,
  blank_reason TEXT,
  status TEXT,
  source TEXT NOT NULL,
  evidence TEXT,
  comment TEXT,
  entered_by TEXT,
  entered_at TEXT,
  PRIMARY KEY (round_id, indicator_id)
);
CREATE TABLE plan_evaluation (
  objective_id BIGINT NOT NULL REFERENCES plan_objective(id),
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  actions_done TEXT,
  achievement_pct TEXT,
  achievement_note TEXT,
  users_assessment TEXT,
  resources_match_pct TEXT,
  resources_note TEXT,
  problems TEXT,
  improvement_plan TEXT,
  answered_need TEXT,
  answered_need_text TEXT,
  continuity TEXT,
  continuity_text TEXT,
  reproposed TEXT,
  reproposed_text TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (objective_id, ambito_id)
);
CREATE TABLE plan_evidence (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  objective_id BIGINT NOT NULL REFERENCES plan_objective(id),
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  kind TEXT NOT NULL,
  held_on TEXT NOT NULL,
  participants BIGINT NOT NULL,
  roles TEXT NOT NULL,
  findings TEXT NOT NULL,
  quotes TEXT,
  attachments TEXT,
  names_consented BIGINT NOT NULL
);
CREATE INDEX plan_objective_scope ON plan_objective (triennium, level, scope_id);
CREATE INDEX plan_indicator_objective ON plan_indicator (objective_id, position);
