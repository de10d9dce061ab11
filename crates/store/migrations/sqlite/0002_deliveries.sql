-- Delivery events reported by providers, and their live exact aggregates.
-- day is yyyymmdd as an integer, month yyyymm; hours in ten-thousandths; flags 0/1.

CREATE TABLE provider (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  name TEXT NOT NULL,
  UNIQUE (ambito_id, name)
);
CREATE TABLE delivery_event (
  service_id BIGINT NOT NULL REFERENCES service(id),
  day BIGINT NOT NULL,
  person_key TEXT NOT NULL,
  provider_id BIGINT NOT NULL REFERENCES provider(id),
  comune_id BIGINT NOT NULL REFERENCES comune(id),
  ore_e4 BIGINT NOT NULL,
  home_visit BIGINT NOT NULL,
  PRIMARY KEY (service_id, day, person_key, provider_id)
) WITHOUT ROWID;
CREATE INDEX delivery_event_person ON delivery_event (service_id, person_key, day);

-- Per service x Comune x month.
CREATE TABLE agg_delivery_month (
  service_id BIGINT NOT NULL, comune_id BIGINT NOT NULL, month BIGINT NOT NULL,
  events BIGINT NOT NULL, ore_e4 BIGINT NOT NULL, visits BIGINT NOT NULL, persons BIGINT NOT NULL,
  PRIMARY KEY (service_id, comune_id, month)
);
-- Per service x period: 'Y' (year), 'S1', 'S2'; persons are distinct over the whole period.
CREATE TABLE agg_delivery_period (
  service_id BIGINT NOT NULL, year BIGINT NOT NULL, period TEXT NOT NULL,
  events BIGINT NOT NULL, ore_e4 BIGINT NOT NULL, visits BIGINT NOT NULL, persons BIGINT NOT NULL,
  PRIMARY KEY (service_id, year, period)
);
-- Distinct persons reached by an area (area_id) or by the whole Ambito (area_id = 0) in a year.
CREATE TABLE agg_delivery_reach (
  ambito_id BIGINT NOT NULL, area_id BIGINT NOT NULL, year BIGINT NOT NULL, persons BIGINT NOT NULL,
  PRIMARY KEY (ambito_id, area_id, year)
);
