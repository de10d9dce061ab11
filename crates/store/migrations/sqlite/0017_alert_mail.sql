-- E-mail notice of in-app alerts: a user's address, and when each alert went out in a digest
-- (NULL: not yet). The e-mail names no person: it says how many alerts wait and links to them.
ALTER TABLE app_user ADD COLUMN email TEXT;
ALTER TABLE alert ADD COLUMN mailed_at TEXT;
CREATE INDEX alert_unmailed ON alert (mailed_at, read_at);
