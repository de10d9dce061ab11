-- The keyed audit chain (issue 10): entries from `keyed_from` on are linked by HMAC-SHA256 under
-- a key kept outside the database; `keyed_mac` signs that switch-over so it cannot be moved.
-- Both stay NULL until the first keyed entry is appended; older entries keep their plain hashes.
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT;
ALTER TABLE audit_head ADD COLUMN keyed_mac TEXT;
