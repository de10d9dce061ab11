//! Logins that went to a provider and have not come back yet: state, nonce and PKCE verifier stay
//! on the server (in the database, see `ambito_app::access::OidcPending`), keyed by a random
//! value in a short-lived cookie. Each is taken once; a restart or a second server process can
//! finish a login another one started.

use ambito_app::App;
use ambito_app::access::OidcPending;
use openidconnect::{Nonce, PkceCodeVerifier};
use std::time::Duration;

/// How long a user may stay at the provider (login, second factor) before coming back.
pub const TTL: Duration = Duration::from_secs(ambito_app::access::OIDC_PENDING_TTL_SECONDS as u64);

pub struct Pending {
    pub provider: String,
    pub state: String,
    pub nonce: Nonce,
    pub verifier: PkceCodeVerifier,
}

impl Pending {
    pub fn new(provider: String, state: String, nonce: Nonce, verifier: PkceCodeVerifier) -> Pending {
        Pending { provider, state, nonce, verifier }
    }
}

/// Stores `p` under a new random key, returned for the cookie.
pub async fn insert(app: &App, p: Pending) -> ambito_app::Result<String> {
    let key = openidconnect::CsrfToken::new_random_len(32).secret().clone();
    let record =
        OidcPending { provider: p.provider, state: p.state, nonce: p.nonce.secret().clone(), verifier: p.verifier.secret().clone() };
    app.put_oidc_pending(&key, record).await?;
    Ok(key)
}

/// Removes and returns the login for `key` if it has not expired.
pub async fn take(app: &App, key: &str) -> ambito_app::Result<Option<Pending>> {
    Ok(app.take_oidc_pending(key).await?.map(|r| Pending::new(r.provider, r.state, Nonce::new(r.nonce), PkceCodeVerifier::new(r.verifier))))
}
