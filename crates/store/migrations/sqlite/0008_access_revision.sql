-- Counts changes to role_permission, whoever makes them (the admin page, a seed, another process):
-- every request resolves its caller's permissions, and reading this one row tells whether a
-- cached copy of the role table is still exact.
CREATE TABLE access_revision (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n BIGINT NOT NULL
);
INSERT INTO access_revision (id, n) VALUES (1, 0);
CREATE TRIGGER role_permission_inserted AFTER INSERT ON role_permission BEGIN
  UPDATE access_revision SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER role_permission_updated AFTER UPDATE ON role_permission BEGIN
  UPDATE access_revision SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER role_permission_deleted AFTER DELETE ON role_permission BEGIN
  UPDATE access_revision SET n = n + 1 WHERE id = 1;
END;

-- TOTP codes are single-use: the last accepted 30-second step, per user.
ALTER TABLE app_user ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
