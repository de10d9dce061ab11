-- A counter bumped inside every write transaction, so readers can cache derived results and know,
-- with one indexed read, whether anything changed since (in any process).
CREATE TABLE data_revision (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);
INSERT INTO data_revision (id, n) VALUES (1, 0);
