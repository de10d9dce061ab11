-- Core schema. Portable subset shared with PostgreSQL (see docs/ARCHITECTURE.md):
-- ids BIGINT, flags INTEGER 0/1, dates TEXT ISO, instants TEXT RFC 3339 written by the application,
-- money BIGINT cents, hours BIGINT ten-thousandths. Only the id columns differ between backends.

CREATE TABLE regione (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
CREATE TABLE ats (id INTEGER PRIMARY KEY AUTOINCREMENT, regione_id BIGINT NOT NULL REFERENCES regione(id), code TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
CREATE TABLE distretto (id INTEGER PRIMARY KEY AUTOINCREMENT, ats_id BIGINT NOT NULL REFERENCES ats(id), code TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
CREATE TABLE ambito (id INTEGER PRIMARY KEY AUTOINCREMENT, distretto_id BIGINT REFERENCES distretto(id), code TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
CREATE TABLE comune (id INTEGER PRIMARY KEY AUTOINCREMENT, ambito_id BIGINT NOT NULL REFERENCES ambito(id), istat_code TEXT NOT NULL UNIQUE, name TEXT NOT NULL);

CREATE TABLE area (id INTEGER PRIMARY KEY AUTOINCREMENT, ambito_id BIGINT NOT NULL REFERENCES ambito(id), name TEXT NOT NULL, position BIGINT NOT NULL, UNIQUE (ambito_id, name));
CREATE TABLE service (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  area_id BIGINT NOT NULL REFERENCES area(id),
  parent_id BIGINT REFERENCES service(id),
  kind TEXT NOT NULL,
  default_indicator TEXT,
  position BIGINT NOT NULL,
  UNIQUE (ambito_id, code)
);
CREATE TABLE indicator_def (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  numerator TEXT NOT NULL,
  denominator TEXT,
  factor BIGINT NOT NULL,
  format TEXT NOT NULL,
  UNIQUE (ambito_id, code)
);

CREATE TABLE target_population (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  name TEXT NOT NULL,
  age_min BIGINT,
  age_max BIGINT,
  comuni TEXT,
  explicit_value TEXT,
  UNIQUE (ambito_id, name)
);
CREATE TABLE population (
  comune_id BIGINT NOT NULL REFERENCES comune(id),
  year BIGINT NOT NULL,
  age BIGINT NOT NULL,
  males BIGINT NOT NULL,
  females BIGINT NOT NULL,
  PRIMARY KEY (comune_id, year, age)
);

-- Raw activity: one row per service x period x Comune ('' = the whole Ambito).
CREATE TABLE activity (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service_id BIGINT NOT NULL REFERENCES service(id),
  year BIGINT NOT NULL,
  period TEXT NOT NULL,
  comune_code TEXT NOT NULL,
  utenti BIGINT, domande BIGINT, beneficiari BIGINT, ore_e4 BIGINT, accessi BIGINT, visite BIGINT,
  budget_cents BIGINT,
  origin TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (service_id, year, period, comune_code)
);
-- The year's choices for a service: its result indicator and target population.
CREATE TABLE service_year (
  service_id BIGINT NOT NULL REFERENCES service(id),
  year BIGINT NOT NULL,
  indicator TEXT,
  target_name TEXT,
  target_value TEXT,
  PRIMARY KEY (service_id, year)
);
-- Live aggregate, maintained in the same transaction as every activity write.
CREATE TABLE agg_service_year (
  service_id BIGINT NOT NULL REFERENCES service(id),
  year BIGINT NOT NULL,
  utenti BIGINT, domande BIGINT, beneficiari BIGINT, ore_e4 BIGINT, accessi BIGINT, visite BIGINT,
  budget_cents BIGINT,
  source_rows BIGINT NOT NULL,
  PRIMARY KEY (service_id, year)
);

CREATE TABLE area_narrative (
  area_id BIGINT NOT NULL REFERENCES area(id),
  year BIGINT NOT NULL,
  lettura TEXT,
  obiettivi TEXT,
  PRIMARY KEY (area_id, year)
);

CREATE TABLE funding_source (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, position BIGINT NOT NULL);
CREATE TABLE budget_line (
  service_id BIGINT NOT NULL REFERENCES service(id),
  year BIGINT NOT NULL,
  phase TEXT NOT NULL,
  source_id BIGINT NOT NULL REFERENCES funding_source(id),
  amount_cents BIGINT NOT NULL,
  PRIMARY KEY (service_id, year, phase, source_id)
);

CREATE TABLE import_batch (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT REFERENCES ambito(id),
  kind TEXT NOT NULL,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  rows BIGINT NOT NULL,
  imported_at TEXT NOT NULL
);
CREATE INDEX import_batch_sha ON import_batch (kind, sha256);
CREATE INDEX activity_year ON activity (year, service_id);
CREATE INDEX service_ambito ON service (ambito_id, area_id);
