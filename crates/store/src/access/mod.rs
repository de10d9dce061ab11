//! Accounts, roles, sessions and tokens. Long-lived secrets never reach this layer in clear:
//! sessions and tokens are stored as SHA-256 hashes, passwords as argon2id PHC strings. The one
//! exception is an OpenID Connect login in flight, whose nonce and PKCE verifier must be read
//! back at the callback: they live ten minutes at most and are deleted when taken.

mod oidc_pending;
mod sessions;
mod users;

pub use oidc_pending::*;
pub use sessions::*;
pub use users::*;
