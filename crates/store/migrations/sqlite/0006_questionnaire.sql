-- Likert questionnaires: design, waves, anonymous tokens and responses.
-- Responses carry no identity and no link to the token they came with: a token only records that
-- it was used (no timestamp), a response only the day it arrived.

CREATE TABLE questionnaire (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  code TEXT NOT NULL,
  title TEXT NOT NULL,
  intro TEXT NOT NULL,
  points BIGINT NOT NULL,
  objective_code TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (ambito_id, code)
);
-- A multi-item scale: items sharing it are scored together (mean, Cronbach's alpha).
CREATE TABLE questionnaire_scale (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  questionnaire_id BIGINT NOT NULL REFERENCES questionnaire(id),
  code TEXT NOT NULL,
  title TEXT NOT NULL,
  position BIGINT NOT NULL,
  UNIQUE (questionnaire_id, code)
);
-- kind 'likert' (a statement answered on the scale; reverse 0/1) or 'aperta' (free text).
CREATE TABLE questionnaire_item (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  questionnaire_id BIGINT NOT NULL REFERENCES questionnaire(id),
  scale_id BIGINT REFERENCES questionnaire_scale(id),
  code TEXT NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  reverse BIGINT NOT NULL,
  position BIGINT NOT NULL,
  UNIQUE (questionnaire_id, code)
);
-- kind 'ex_ante', 'intermedia' or 'ex_post'; dates ISO; invited may be unknown.
CREATE TABLE questionnaire_wave (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  questionnaire_id BIGINT NOT NULL REFERENCES questionnaire(id),
  kind TEXT NOT NULL,
  opens_on TEXT NOT NULL,
  closes_on TEXT NOT NULL,
  invited BIGINT,
  UNIQUE (questionnaire_id, kind)
);
-- Only the SHA-256 of a token is kept: the link itself exists only in the exported file.
CREATE TABLE questionnaire_token (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  wave_id BIGINT NOT NULL REFERENCES questionnaire_wave(id),
  token_hash TEXT NOT NULL UNIQUE,
  used BIGINT NOT NULL
);
-- channel 'link' (anonymous link) or 'carta' (paper form typed in by an operator).
CREATE TABLE questionnaire_response (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  wave_id BIGINT NOT NULL REFERENCES questionnaire_wave(id),
  channel TEXT NOT NULL,
  received_on TEXT NOT NULL
);
CREATE INDEX questionnaire_response_wave ON questionnaire_response (wave_id);
-- One row per answered question: value for Likert items (raw answer 1..points), text for open ones.
CREATE TABLE questionnaire_answer (
  response_id BIGINT NOT NULL REFERENCES questionnaire_response(id),
  item_id BIGINT NOT NULL REFERENCES questionnaire_item(id),
  value BIGINT,
  text TEXT,
  PRIMARY KEY (response_id, item_id)
);
