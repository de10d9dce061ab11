-- Faster delivery imports and region/report reads (issue 4).

-- Every per-Ambito read of Comuni and their population starts from the Ambito.
CREATE INDEX comune_ambito ON comune (ambito_id, istat_code);

-- Named target populations valued from the age pyramids, for each population year: what a report
-- divides by. Rewritten in the same transaction by every import of territory, population or
-- targets (`Batch::commit`), so reports read a few rows instead of summing pyramids. Targets with
-- an explicit value are read from `target_population` and are not repeated here.
CREATE TABLE target_value (
  ambito_id BIGINT NOT NULL REFERENCES ambito(id),
  year BIGINT NOT NULL,
  name TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (ambito_id, year, name)
);

-- Which write transaction (its `data_revision`) and which line of its file last wrote an event:
-- an import writes straight into `delivery_event` and tells a delivery repeated within its own
-- file (same revision) from one that replaces an earlier file's (older revision).
ALTER TABLE delivery_event ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE delivery_event ADD COLUMN line BIGINT NOT NULL DEFAULT 0;

-- One person's history in one service: everything the history shows is in the index, so the
-- look-up never touches the table (and SQLite's planner, without statistics, no longer prefers
-- scanning the service's whole range in day order).
DROP INDEX delivery_event_person;
CREATE INDEX delivery_event_person ON delivery_event (service_id, person_key, day, provider_id, comune_id, ore_e4, home_visit);
