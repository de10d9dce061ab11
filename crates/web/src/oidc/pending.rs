//! Logins that went to a provider and have not come back yet: state, nonce and PKCE verifier stay
//! on the server, keyed by a random value in a short-lived cookie. Each entry is taken once.
//!
//! Kept in memory: a restart (or a second server process) simply makes a login in flight fail
//! and the user starts again.

use openidconnect::{Nonce, PkceCodeVerifier};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a user may stay at the provider (login, second factor) before coming back.
pub const TTL: Duration = Duration::from_secs(600);
/// Bound on logins in flight, so anonymous requests cannot grow memory without limit.
const MAX_PENDING: usize = 10_000;

pub struct Pending {
    pub provider: String,
    pub state: String,
    pub nonce: Nonce,
    pub verifier: PkceCodeVerifier,
    created: Instant,
}

impl Pending {
    pub fn new(provider: String, state: String, nonce: Nonce, verifier: PkceCodeVerifier) -> Pending {
        Pending { provider, state, nonce, verifier, created: Instant::now() }
    }
}

#[derive(Default)]
pub struct PendingLogins {
    map: Mutex<HashMap<String, Pending>>,
}

impl PendingLogins {
    /// Stores `p` under a new random key, returned for the cookie.
    pub fn insert(&self, p: Pending) -> String {
        let key = openidconnect::CsrfToken::new_random_len(32).secret().clone();
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, v| v.created.elapsed() < TTL);
        if map.len() >= MAX_PENDING
            && let Some(oldest) = map.iter().min_by_key(|(_, v)| v.created).map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
        map.insert(key.clone(), p);
        key
    }

    /// Removes and returns the login for `key` if it has not expired.
    pub fn take(&self, key: &str) -> Option<Pending> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(key).filter(|p| p.created.elapsed() < TTL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> Pending {
        Pending::new("test".into(), "s".into(), Nonce::new("n".into()), PkceCodeVerifier::new("v".into()))
    }

    #[test]
    fn taken_once() {
        let logins = PendingLogins::default();
        let key = logins.insert(pending());
        assert!(key.len() >= 40);
        assert!(logins.take("other").is_none());
        assert_eq!(logins.take(&key).map(|p| p.state), Some("s".to_string()));
        assert!(logins.take(&key).is_none());
    }

    #[test]
    fn expired_entries_are_refused() {
        let logins = PendingLogins::default();
        let mut p = pending();
        p.created = Instant::now().checked_sub(TTL + Duration::from_secs(1)).expect("clock");
        let key = logins.insert(p);
        assert!(logins.take(&key).is_none());
    }
}
