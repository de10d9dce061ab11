//! Password login, second factor, sessions and API tokens.

use super::secrets::{DUMMY_HASH, new_totp_secret_from, random_token, token_hash, totp_step, verify_password};
use super::{AccessConfig, LOGIN_REFUSED, now, parse_instant, rfc3339};
use crate::{App, AppError, Result};
use ambito_domain::access::{Grant, Principal};
use ambito_domain::audit::Entry;
use ambito_store as store;
use std::collections::BTreeSet;
use std::time::Instant;

/// Longer than any username ambito accepts (3–64 characters) or any password (128 characters,
/// at most 4 bytes each): a login with more is refused at once.
pub const MAX_USERNAME_CHARS: usize = 64;
pub const MAX_PASSWORD_BYTES: usize = 4 * ambito_domain::access::password::MAX_LEN;

/// What a password login leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// A new session (always a new token: the one the browser had before is never kept).
    Session(SessionInfo),
    Refused(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub token: String,
    pub csrf: String,
    /// The password is right; a TOTP code is still due before anything else is allowed.
    pub second_factor_due: bool,
    /// The account has no second factor yet and a staff role requires one: enrol first.
    pub must_enrol: bool,
}

/// A resolved session.
#[derive(Debug, Clone)]
pub struct ActiveSession {
    pub principal: Principal,
    pub csrf: String,
    pub second_factor_due: bool,
    pub token_hash: String,
    pub display_name: String,
}

impl App {
    fn throttled(&self, ip: Option<&str>) -> bool {
        let (Some(ip), Ok(mut failures)) = (ip, self.login_failures.lock()) else { return false };
        let window = self.access.lockout_for;
        let list = failures.entry(ip.to_string()).or_default();
        list.retain(|t| t.elapsed() < window);
        list.len() >= self.access.ip_failures
    }

    fn note_ip_failure(&self, ip: Option<&str>) {
        if let (Some(ip), Ok(mut failures)) = (ip, self.login_failures.lock()) {
            if failures.len() > 100_000 {
                failures.clear();
            }
            failures.entry(ip.to_string()).or_default().push(Instant::now());
        }
    }

    /// Checks a username and password. Every refusal gives the same message and takes about
    /// the same time, whether the account exists, is suspended, locked or the password is wrong.
    pub async fn login(&self, username: &str, password: &str, ip: Option<&str>) -> Result<LoginOutcome> {
        let username = username.trim();
        if username.chars().count() > MAX_USERNAME_CHARS || password.len() > MAX_PASSWORD_BYTES {
            // No account has such a name or password: refuse before hashing megabytes, and let
            // the audit log keep only the start of the name (`Entry::bounded`).
            self.note_ip_failure(ip);
            self.audit_event("login.failed", username, None, ip).await?;
            return Ok(LoginOutcome::Refused(LOGIN_REFUSED));
        }
        if self.throttled(ip) {
            self.audit_event("login.throttled", username, None, ip).await?;
            return Ok(LoginOutcome::Refused(LOGIN_REFUSED));
        }
        let mut conn = self.store.read().await?;
        let user = store::user_by_username(&mut conn, username).await?;
        drop(conn);
        let hash = user.as_ref().and_then(|u| u.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.to_string());
        let pw = password.to_string();
        let password_ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash)).await.unwrap_or(false);
        let Some(user) = user else {
            self.note_ip_failure(ip);
            self.audit_event("login.failed", username, None, ip).await?;
            return Ok(LoginOutcome::Refused(LOGIN_REFUSED));
        };
        let locked = user.locked_until.as_deref().and_then(parse_instant).is_some_and(|t| t > now());
        if !password_ok || locked || user.suspended != 0 {
            self.note_ip_failure(ip);
            let mut tx = self.store.write_untracked().await?;
            if !password_ok {
                let lock = (user.failed_logins + 1 >= self.access.lockout_after).then(|| rfc3339(now() + self.access.lockout_for));
                store::record_failed_login(&mut tx, user.id, lock.as_deref()).await?;
            }
            let why = if user.suspended != 0 {
                "login.refused_suspended"
            } else if locked {
                "login.refused_locked"
            } else {
                "login.failed"
            };
            store::append_audit(&mut tx, &self.audit_key, entry(why, Some(user.id), &user.username, "sessione", ip)).await?;
            tx.commit().await?;
            return Ok(LoginOutcome::Refused(LOGIN_REFUSED));
        }
        let mut tx = self.store.write_untracked().await?;
        store::clear_failed_logins(&mut tx, user.id).await?;
        let staff = self.has_staff_role(&mut tx, user.id).await?;
        let due = staff || user.totp_secret.is_some();
        let info = new_session(&mut tx, user.id, due, ip).await?;
        let action = if due { "login.password_ok" } else { "login" };
        store::append_audit(&mut tx, &self.audit_key, entry(action, Some(user.id), &user.username, "sessione", ip)).await?;
        tx.commit().await?;
        Ok(LoginOutcome::Session(SessionInfo { must_enrol: due && user.totp_secret.is_none(), ..info }))
    }

    async fn has_staff_role(&self, conn: &mut store::AnyConnection, user_id: i64) -> Result<bool> {
        let roles = store::roles(conn).await?;
        let held = store::user_roles(conn, user_id).await?;
        Ok(held.iter().any(|h| roles.iter().any(|r| r.code == h.role && r.staff != 0)))
    }

    /// The secret offered to a user enrolling a second factor: derived from their pending
    /// session, so only that session sees it and nothing is stored until it is confirmed.
    pub fn enrolment_secret(&self, session_token: &str) -> String {
        new_totp_secret_from(format!("enrol\u{0}{}", token_hash(session_token)).as_bytes())
    }

    /// Completes a login with a TOTP code. On success the pending session is replaced by a new
    /// one (a new token), so a token seen before the second factor is worthless after it.
    pub async fn second_factor(&self, session_token: &str, code: &str, ip: Option<&str>) -> Result<LoginOutcome> {
        let hash = token_hash(session_token);
        let mut tx = self.store.write_untracked().await?;
        let Some(s) = store::session(&mut tx, &hash).await? else { return Ok(LoginOutcome::Refused(LOGIN_REFUSED)) };
        let Some(user) = store::user_by_id(&mut tx, s.user_id).await? else { return Ok(LoginOutcome::Refused(LOGIN_REFUSED)) };
        if s.pending_second_factor == 0 || user.suspended != 0 || self.expired(&s) {
            return Ok(LoginOutcome::Refused(LOGIN_REFUSED));
        }
        let enrolling = user.totp_secret.is_none();
        let secret = user.totp_secret.clone().unwrap_or_else(|| self.enrolment_secret(session_token));
        let unix = u64::try_from(now().unix_timestamp()).unwrap_or(0);
        let step = totp_step(&secret, code, unix).and_then(|s| i64::try_from(s).ok());
        let fresh = match step {
            Some(step) => store::claim_totp_step(&mut tx, user.id, step).await?,
            None => false,
        };
        if !fresh {
            let lock = (user.failed_logins + 1 >= self.access.lockout_after).then(|| rfc3339(now() + self.access.lockout_for));
            store::record_failed_login(&mut tx, user.id, lock.as_deref()).await?;
            store::append_audit(&mut tx, &self.audit_key, entry("login.totp_failed", Some(user.id), &user.username, "sessione", ip))
                .await?;
            if lock.is_some() {
                store::delete_session(&mut tx, &hash).await?;
            }
            tx.commit().await?;
            self.note_ip_failure(ip);
            let why = if step.is_some() { "Codice già usato: attendere il prossimo codice." } else { "Codice non valido." };
            return Ok(LoginOutcome::Refused(why));
        }
        if enrolling {
            store::set_totp_secret(&mut tx, user.id, Some(&secret)).await?;
            store::append_audit(&mut tx, &self.audit_key, entry("totp.enrolled", Some(user.id), &user.username, "utente", ip)).await?;
        }
        store::delete_session(&mut tx, &hash).await?;
        store::clear_failed_logins(&mut tx, user.id).await?;
        let info = new_session(&mut tx, user.id, false, ip).await?;
        store::append_audit(&mut tx, &self.audit_key, entry("login", Some(user.id), &user.username, "sessione", ip)).await?;
        tx.commit().await?;
        Ok(LoginOutcome::Session(info))
    }

    /// For a session still waiting for its second factor: the username and whether the user
    /// must first enrol an authenticator.
    pub async fn pending_second_factor(&self, session_token: &str) -> Result<Option<(String, bool)>> {
        let mut conn = self.store.read().await?;
        let Some(s) = store::session(&mut conn, &token_hash(session_token)).await? else { return Ok(None) };
        if s.pending_second_factor == 0 || self.expired(&s) {
            return Ok(None);
        }
        Ok(store::user_by_id(&mut conn, s.user_id).await?.map(|u| (u.username, u.totp_secret.is_none())))
    }

    fn expired(&self, s: &store::SessionRow) -> bool {
        let now = now();
        let (Some(created), Some(seen)) = (parse_instant(&s.created_at), parse_instant(&s.last_seen_at)) else { return true };
        now - created > self.access.absolute_timeout || now - seen > self.access.idle_timeout
    }

    /// The caller behind a session cookie; `None` for an unknown, expired or suspended one.
    pub async fn session(&self, session_token: &str) -> Result<Option<ActiveSession>> {
        let hash = token_hash(session_token);
        let mut conn = self.store.read().await?;
        let Some(s) = store::session(&mut conn, &hash).await? else { return Ok(None) };
        let Some(user) = store::user_by_id(&mut conn, s.user_id).await? else { return Ok(None) };
        drop(conn);
        if user.suspended != 0 || self.expired(&s) {
            let mut tx = self.store.write_untracked().await?;
            store::delete_session(&mut tx, &hash).await?;
            tx.commit().await?;
            return Ok(None);
        }
        // Touch at most once a minute: idle time needs no finer grain, and reads stay reads.
        let now_text = rfc3339(now());
        if parse_instant(&s.last_seen_at).is_none_or(|t| now() - t > time::Duration::minutes(1)) {
            let mut tx = self.store.write_untracked().await?;
            store::touch_session(&mut tx, &hash, &now_text).await?;
            tx.commit().await?;
        }
        let principal = self.principal(&user, None).await?;
        Ok(Some(ActiveSession {
            principal,
            csrf: s.csrf,
            second_factor_due: s.pending_second_factor != 0,
            token_hash: hash,
            display_name: user.display_name,
        }))
    }

    /// The caller behind an API token (`Authorization: Bearer …`), narrowed to its scopes.
    pub async fn api_principal(&self, token: &str) -> Result<Option<Principal>> {
        let mut conn = self.store.read().await?;
        let Some(t) = store::api_token(&mut conn, &token_hash(token)).await? else { return Ok(None) };
        let Some(user) = store::user_by_id(&mut conn, t.user_id).await? else { return Ok(None) };
        drop(conn);
        let expired = t.expires_at.as_deref().and_then(parse_instant).is_some_and(|e| e <= now());
        if t.revoked != 0 || expired || user.suspended != 0 {
            return Ok(None);
        }
        let scopes: BTreeSet<String> = t.scopes.split([',', ' ']).filter(|s| !s.is_empty()).map(str::to_string).collect();
        Ok(Some(self.principal(&user, Some(scopes)).await?))
    }

    /// The role table, read again only when a trigger has counted a change to it (by this
    /// process or any other), so a revoked permission stops working at the next request.
    async fn role_table(&self, conn: &mut store::ReadConn) -> Result<crate::RoleTable> {
        let revision = store::access_revision(conn).await?;
        if let Ok(cached) = self.role_table.lock()
            && let Some((at, table)) = cached.as_ref()
            && *at == revision
        {
            return Ok(table.clone());
        }
        let table = std::sync::Arc::new(store::role_permissions(conn).await?);
        if let Ok(mut cached) = self.role_table.lock() {
            *cached = Some((revision, table.clone()));
        }
        Ok(table)
    }

    pub(crate) async fn principal(&self, user: &store::UserRow, scopes: Option<BTreeSet<String>>) -> Result<Principal> {
        let mut conn = self.store.read().await?;
        let perms = self.role_table(&mut conn).await?;
        let held = store::user_roles(&mut conn, user.id).await?;
        let person_id = match &user.codice_fiscale {
            Some(cf) => store::person_by_codice_fiscale(&mut conn, cf).await?.map(|p| p.id),
            None => None,
        };
        let grants = held
            .into_iter()
            .map(|h| Grant {
                permissions: perms.iter().filter(|(r, _)| *r == h.role).map(|(_, p)| p.clone()).collect(),
                role: h.role,
                ambito_id: h.ambito_id,
                comune_istat: h.comune_istat,
                provider: h.provider,
            })
            .collect();
        Ok(Principal { user_id: user.id, username: user.username.clone(), grants, person_id, scopes })
    }

    pub async fn logout(&self, session_token: &str, ip: Option<&str>) -> Result<()> {
        let hash = token_hash(session_token);
        let mut tx = self.store.write_untracked().await?;
        if let Some(s) = store::session(&mut tx, &hash).await? {
            let name = store::user_by_id(&mut tx, s.user_id).await?.map(|u| u.username).unwrap_or_default();
            store::delete_session(&mut tx, &hash).await?;
            store::append_audit(&mut tx, &self.audit_key, entry("logout", Some(s.user_id), &name, "sessione", ip)).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The account an OpenID provider's verified codice fiscale names, if any.
    pub async fn user_by_codice_fiscale(&self, cf: &str) -> Result<Option<store::UserRow>> {
        let mut conn = self.store.read().await?;
        Ok(store::user_by_codice_fiscale(&mut conn, cf).await?)
    }

    /// Logs in a user whose identity an OpenID provider has verified (no password, no TOTP
    /// here: the provider's level of assurance stands in for both).
    pub async fn login_verified(&self, user_id: i64, provider: &str, ip: Option<&str>) -> Result<SessionInfo> {
        let mut tx = self.store.write_untracked().await?;
        let user = store::user_by_id(&mut tx, user_id).await?.ok_or_else(|| AppError::Invalid(LOGIN_REFUSED.into()))?;
        if user.suspended != 0 {
            return Err(AppError::Invalid(LOGIN_REFUSED.into()));
        }
        let info = new_session(&mut tx, user.id, false, ip).await?;
        let mut e = entry("login.oidc", Some(user.id), &user.username, "sessione", ip);
        e.reason = Some(provider.to_string());
        store::append_audit(&mut tx, &self.audit_key, e).await?;
        tx.commit().await?;
        Ok(info)
    }

    /// Exchanges a fully logged-in session for an API token carrying the user's permissions as
    /// scopes, valid 12 hours; the session itself ends.
    pub async fn api_token_for_session(&self, session_token: &str, ip: Option<&str>) -> Result<String> {
        let Some(active) = self.session(session_token).await? else { return Err(AppError::Invalid(LOGIN_REFUSED.into())) };
        if active.second_factor_due {
            return Err(AppError::Invalid(LOGIN_REFUSED.into()));
        }
        let scopes: BTreeSet<String> = active.principal.grants.iter().flat_map(|g| g.permissions.iter().cloned()).collect();
        let scopes: Vec<String> = scopes.into_iter().filter(|s| ambito_domain::access::Perm::from_code(s).is_some()).collect();
        let token = format!("amb_{}", random_token()?);
        let mut tx = self.store.write_untracked().await?;
        store::insert_api_token(
            &mut tx,
            &token_hash(&token),
            active.principal.user_id,
            "accesso API",
            &scopes.join(","),
            Some(&rfc3339(now() + time::Duration::hours(12))),
        )
        .await?;
        store::delete_session(&mut tx, &token_hash(session_token)).await?;
        store::append_audit(
            &mut tx,
            &self.audit_key,
            entry("token.login", Some(active.principal.user_id), &active.principal.username, "token", ip),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    pub fn access_config(&self) -> &AccessConfig {
        &self.access
    }
}

async fn new_session(conn: &mut store::AnyConnection, user_id: i64, due: bool, ip: Option<&str>) -> Result<SessionInfo> {
    let token = random_token()?;
    let csrf = random_token()?;
    store::insert_session(conn, &token_hash(&token), user_id, &csrf, due, ip).await?;
    Ok(SessionInfo { token, csrf, second_factor_due: due, must_enrol: false })
}

pub(crate) fn entry(action: &str, user_id: Option<i64>, username: &str, object: &str, ip: Option<&str>) -> Entry {
    Entry {
        at: rfc3339(now()),
        user_id,
        username: username.to_string(),
        action: action.to_string(),
        object: object.to_string(),
        ip: ip.map(str::to_string),
        ..Entry::default()
    }
}
