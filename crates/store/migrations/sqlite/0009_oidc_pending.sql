-- OpenID Connect logins that went to the provider and have not come back yet: state, nonce and
-- PKCE verifier stay on the server, keyed by the SHA-256 of a random value in a short-lived
-- cookie. In the database, so a restart or another server process can finish the login.
CREATE TABLE oidc_pending (
  key_hash TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  state TEXT NOT NULL,
  nonce TEXT NOT NULL,
  verifier TEXT NOT NULL,
  created_unix BIGINT NOT NULL
);
CREATE INDEX oidc_pending_created ON oidc_pending (created_unix);
