//! OpenID Connect logins in flight, kept in the database so that a restart or another server
//! process can finish them. The web shell keeps the protocol; this keeps the records.

use super::now;
use super::secrets::token_hash;
use crate::{App, Result};
use ambito_store::{self as store, OidcPendingRow};

/// How long a user may stay at the provider (login, second factor) before coming back.
pub const OIDC_PENDING_TTL_SECONDS: i64 = 600;
/// Bound on logins in flight: anonymous requests start them.
const MAX_PENDING: i64 = 10_000;

/// What the callback needs to check the provider's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcPending {
    pub provider: String,
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

impl App {
    /// Stores a login in flight under `key` (the random value of the browser's cookie; only its
    /// hash is stored).
    pub async fn put_oidc_pending(&self, key: &str, p: OidcPending) -> Result<()> {
        let at = now().unix_timestamp();
        let row = OidcPendingRow { provider: p.provider, state: p.state, nonce: p.nonce, verifier: p.verifier, created_unix: at };
        let mut tx = self.store.write_untracked().await?;
        store::put_oidc_pending(&mut tx, &token_hash(key), &row, at - OIDC_PENDING_TTL_SECONDS, MAX_PENDING).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes the login in flight under `key`, once, if it has not expired.
    pub async fn take_oidc_pending(&self, key: &str) -> Result<Option<OidcPending>> {
        let mut tx = self.store.write_untracked().await?;
        let row = store::take_oidc_pending(&mut tx, &token_hash(key)).await?;
        tx.commit().await?;
        let fresh = row.filter(|r| now().unix_timestamp() - r.created_unix < OIDC_PENDING_TTL_SECONDS);
        Ok(fresh.map(|r| OidcPending { provider: r.provider, state: r.state, nonce: r.nonce, verifier: r.verifier }))
    }
}
