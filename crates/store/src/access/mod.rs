//! Accounts, roles, sessions and tokens. Secrets never reach this layer in clear: sessions and
//! tokens are stored as SHA-256 hashes, passwords as argon2id PHC strings.

mod sessions;
mod users;

pub use sessions::*;
pub use users::*;
