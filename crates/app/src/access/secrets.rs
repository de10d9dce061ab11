//! Random tokens, hashes of tokens, argon2id password hashes and TOTP codes.

use crate::{AppError, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

/// 256 random bits as URL-safe text, for session cookies, reset links and API tokens.
pub(crate) fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("generatore casuale non disponibile: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Tokens are stored only as this hash: a stolen database does not yield live sessions.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, cost(cheap_hash_requested()))
}

/// OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane); `cheap` gives 64 KiB and one pass.
fn cost(cheap: bool) -> Params {
    let (m, t) = if cheap { (64, 1) } else { (19 * 1024, 2) };
    Params::new(m, t, 1, None).unwrap_or_default()
}

/// `AMBITO_TEST_CHEAP_HASH=1` (set by `scripts/test`) makes new hashes cheap, so the suite's
/// demo logins do not spend their time hashing 18 passwords each. Only in debug builds: a
/// release binary ignores the variable, whatever the environment says. Verifying reads the cost
/// from the stored hash, so both kinds check alike.
fn cheap_hash_requested() -> bool {
    cfg!(debug_assertions) && std::env::var_os("AMBITO_TEST_CHEAP_HASH").is_some_and(|v| v == "1")
}

pub(crate) fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Internal(format!("generatore casuale non disponibile: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(format!("password salt: {e}")))?;
    Ok(argon2().hash_password(password.as_bytes(), &salt).map_err(|e| AppError::Internal(format!("password hashing: {e}")))?.to_string())
}

/// A valid hash of a password nobody has, verified when the account is unknown so that the
/// answer takes as long as for a real account.
pub(crate) const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$J7z8pK8QOSmlqTwy3EOgcdbL2Tt1Q3O3uKqUQZfXDkM";

pub(crate) fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

fn totp(secret_b32: &str) -> Option<totp_rs::Totp> {
    let secret = totp_rs::Secret::try_from_base32(secret_b32).ok()?;
    // SHA-1, 6 digits, 30 s, one step of drift: what every authenticator app speaks (RFC 6238).
    Some(
        totp_rs::Builder::new()
            .with_algorithm(totp_rs::Algorithm::SHA1)
            .with_digits(6)
            .with_skew(1)
            .with_step_duration(30)
            .with_secret(secret)
            .build_noncompliant(),
    )
}

/// Checks a 6-digit code at `unix_time`, accepting one 30-second step of clock drift. Returns
/// the step the code belongs to: a code is accepted once (RFC 6238 §5.2), and the caller claims
/// its step so a code seen over someone's shoulder cannot be replayed within its window.
pub(crate) fn totp_step(secret_b32: &str, code: &str, unix_time: u64) -> Option<u64> {
    let code = code.trim().replace(' ', "");
    totp(secret_b32).and_then(|t| t.check(&code, unix_time))
}

/// The current code for a secret (the CLI prints it for demo users; tests use it).
pub fn totp_code(secret_b32: &str, unix_time: u64) -> Option<String> {
    totp(secret_b32).map(|t| t.generate(unix_time).to_string())
}

pub(crate) fn new_totp_secret_from(seed: &[u8]) -> String {
    let digest = Sha256::digest(seed);
    base32_encode(&digest[..20])
}

/// The demo's TOTP secret for a user: derived from the demo password so the README can tell
/// how to compute it, and so the browser tests can.
pub fn demo_totp_secret(demo_password: &str, username: &str) -> String {
    new_totp_secret_from(format!("{demo_password}\u{0}{username}").as_bytes())
}

/// RFC 4648 base32 without padding (the alphabet authenticator apps read).
fn base32_encode(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in data {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(char::from(ALPHABET[((buffer >> (bits - 5)) & 31) as usize]));
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc4648_vectors() {
        assert_eq!(base32_encode(b"f"), "MY");
        assert_eq!(base32_encode(b"fooba"), "MZXW6YTB");
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
    }

    #[test]
    fn totp_matches_rfc6238_sha1_vector() {
        // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits);
        // the 6-digit code is its last six digits.
        let secret = base32_encode(b"12345678901234567890");
        assert_eq!(totp_code(&secret, 59).as_deref(), Some("287082"));
        assert_eq!(totp_step(&secret, "287082", 59), Some(1));
        assert_eq!(totp_step(&secret, "287 082", 59 + 30), Some(1), "one step of drift is accepted");
        assert_eq!(totp_step(&secret, "287082", 59 + 90), None);
        assert_eq!(totp_step(&secret, "000000", 59), None);
    }

    #[test]
    fn the_production_cost_is_owasps_argon2id_minimum() {
        let full = Argon2::new(Algorithm::Argon2id, Version::V0x13, cost(false));
        let salt = SaltString::encode_b64(b"0123456789abcdef").expect("salt");
        let phc = full.hash_password(b"lago di iseo al tramonto", &salt).expect("hash").to_string();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("lago di iseo al tramonto", &phc), "a full-cost hash verifies whatever the setting");
        assert!(!verify_password("x", DUMMY_HASH));
        let cheap = cost(true);
        assert_eq!((cheap.m_cost(), cheap.t_cost()), (64, 1));
    }

    #[test]
    fn passwords_hash_and_verify_and_tokens_are_unique() {
        let h = hash_password("lago di iseo al tramonto").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("lago di iseo al tramonto", &h));
        assert!(!verify_password("lago di iseo all'alba", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        let (a, b) = (random_token().expect("token"), random_token().expect("token"));
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
