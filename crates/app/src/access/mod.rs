//! Accounts, sessions, API tokens, the audit log and the first person records. The web shell
//! asks [`App::principal_for_session`] who is calling and `ambito_domain::access` whether they
//! may; this module owns everything with a secret or a clock in it.

mod audit;
pub mod audit_key;
mod audit_writer;
pub mod demo;
mod login;
pub mod memo;
mod oidc_pending;
mod persons;
pub(crate) mod secrets;
pub(crate) mod users;

pub use audit::{Actor, AuditEvent, AuditVerification};
pub(crate) use audit_writer::AuditWriter;
pub use login::{LoginOutcome, SessionInfo};
pub use oidc_pending::{OIDC_PENDING_TTL_SECONDS, OidcPending};
pub use persons::{NOTE_KINDS, PersonView, PurgeReport, Reader, person_export_pdf};
pub use secrets::{demo_totp_secret, totp_code};
pub use users::{NewUser, RoleAssignment};

use std::time::Duration;

/// Session and lockout settings; the defaults suit an office (idle 30 min, at most 12 h).
#[derive(Debug, Clone)]
pub struct AccessConfig {
    pub idle_timeout: Duration,
    pub absolute_timeout: Duration,
    pub lockout_after: i64,
    pub lockout_for: Duration,
    /// Failed logins from one address within `lockout_for` before that address is refused.
    pub ip_failures: usize,
    pub break_glass_for: Duration,
    pub reset_link_valid_for: Duration,
}

impl Default for AccessConfig {
    fn default() -> Self {
        AccessConfig {
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 3600),
            lockout_after: 5,
            lockout_for: Duration::from_secs(15 * 60),
            ip_failures: 50,
            break_glass_for: Duration::from_secs(3600),
            reset_link_valid_for: Duration::from_secs(24 * 3600),
        }
    }
}

/// How long an API token lives when its creator does not say (`ambito token create --days`):
/// a forgotten token must not stay valid for ever.
pub const TOKEN_DAYS: i64 = 90;
/// The longest life a token may be given.
pub const MAX_TOKEN_DAYS: i64 = 3650;

/// The one message for every refused login: it never says whether the account exists.
pub const LOGIN_REFUSED: &str = "Credenziali non valide, oppure account non disponibile. Riprovare o rivolgersi all'amministratore.";

pub(crate) fn rfc3339(t: time::OffsetDateTime) -> String {
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

pub(crate) fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

pub(crate) fn parse_instant(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// A fresh random token (256 bits, hex) for cookies the shell sets itself; empty only if the
/// system's random source failed, which makes every check against it fail closed.
pub fn fresh_token() -> String {
    secrets::random_token().unwrap_or_default()
}
