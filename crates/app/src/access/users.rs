//! Account administration: creating users, roles, passwords, suspension, reset links, tokens.
//! Every change is audited with who made it.

use super::audit::AuditEvent;
use super::secrets::{hash_password, random_token, token_hash};
use super::{MAX_TOKEN_DAYS, TOKEN_DAYS};
use super::{now, rfc3339};
use crate::{App, AppError, Result};
use ambito_domain::access::{DEFAULT_ROLES, Perm, Principal, check_password_for};
use ambito_store as store;

#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: Option<String>,
    pub codice_fiscale: Option<String>,
    pub totp_secret: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleAssignment {
    pub role: String,
    pub ambito_code: Option<String>,
    pub comune_istat: Option<String>,
    pub provider: Option<String>,
}

fn valid_username(u: &str) -> bool {
    (3..=64).contains(&u.len()) && u.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

impl App {
    /// Copies the shipped roles into the database once; stored roles are never overwritten.
    pub async fn ensure_default_roles(&self) -> Result<()> {
        let mut tx = self.store.write_untracked().await?;
        for (i, r) in DEFAULT_ROLES.iter().enumerate() {
            let perms: Vec<&str> = r.permissions.iter().map(|p| p.code()).collect();
            store::ensure_role(&mut tx, r.code, r.name, r.staff, i as i64, &perms).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Creates an account with its roles. `actor` is who does it (`None`: the command line).
    pub async fn create_user(&self, actor: Option<&Principal>, user: &NewUser, roles: &[RoleAssignment]) -> Result<i64> {
        if !valid_username(&user.username) {
            return Err(AppError::Invalid("nome utente non valido: 3–64 caratteri tra lettere, cifre, '.', '_' e '-'".into()));
        }
        let hash = match &user.password {
            Some(pw) => {
                check_password_for(pw, &user.username, &user.display_name).map_err(|e| AppError::Invalid(e.to_string()))?;
                let pw = pw.clone();
                Some(
                    tokio::task::spawn_blocking(move || hash_password(&pw))
                        .await
                        .map_err(|e| AppError::Internal(format!("password hashing: {e}")))??,
                )
            }
            None => None,
        };
        let mut tx = self.store.write_untracked().await?;
        if store::user_by_username(&mut tx, &user.username).await?.is_some() {
            return Err(AppError::Invalid(format!("il nome utente «{}» è già in uso", user.username)));
        }
        let id = store::create_user(&mut tx, &user.username, &user.display_name, user.codice_fiscale.as_deref()).await?;
        if let Some(h) = &hash {
            store::set_password_hash(&mut tx, id, h).await?;
        }
        if let Some(s) = &user.totp_secret {
            store::set_totp_secret(&mut tx, id, Some(s)).await?;
        }
        for r in roles {
            self.assign_role_in(&mut tx, actor, id, &user.username, r).await?;
        }
        self.audit_in(&mut tx, actor_event(actor, "user.create", &format!("utente/{}", user.username))).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn assign_role_in(
        &self,
        conn: &mut store::AnyConnection,
        actor: Option<&Principal>,
        user_id: i64,
        username: &str,
        r: &RoleAssignment,
    ) -> Result<()> {
        if !store::roles(conn).await?.iter().any(|x| x.code == r.role) {
            return Err(AppError::Invalid(format!("ruolo sconosciuto: {}", r.role)));
        }
        let ambito_id = match &r.ambito_code {
            Some(code) => Some(store::ambito_by_code(conn, code).await?.ok_or_else(|| AppError::AmbitoNotFound(code.clone()))?.id),
            None => None,
        };
        // Only someone who manages users in that Ambito (or everywhere) may hand out roles there;
        // handing out a global role takes a global grant.
        if let Some(a) = actor
            && !a.may(Perm::UserManage, ambito_id)
        {
            return Err(AppError::Invalid("non autorizzato ad assegnare ruoli in questo ambito".into()));
        }
        store::add_user_role(conn, user_id, &r.role, ambito_id, r.comune_istat.as_deref(), r.provider.as_deref()).await?;
        let mut ev = actor_event(actor, "role.assign", &format!("utente/{username}"));
        ev.reason = Some(format!("{} {}", r.role, r.ambito_code.as_deref().unwrap_or("(tutti gli ambiti)")));
        ev.ambito = r.ambito_code.clone();
        self.audit_in(conn, ev).await?;
        Ok(())
    }

    pub async fn assign_role(&self, actor: Option<&Principal>, username: &str, r: &RoleAssignment) -> Result<()> {
        let mut tx = self.store.write_untracked().await?;
        let user = store::user_by_username(&mut tx, username).await?.ok_or_else(|| AppError::Invalid("utente non trovato".into()))?;
        self.assign_role_in(&mut tx, actor, user.id, username, r).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password (policy-checked) and ends the user's sessions.
    pub async fn set_password(&self, actor: Option<&Principal>, username: &str, password: &str) -> Result<()> {
        let mut conn = self.store.read().await?;
        let name = store::user_by_username(&mut conn, username).await?.map(|u| u.display_name).unwrap_or_default();
        drop(conn);
        check_password_for(password, username, &name).map_err(|e| AppError::Invalid(e.to_string()))?;
        let pw = password.to_string();
        let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
            .await
            .map_err(|e| AppError::Internal(format!("password hashing: {e}")))??;
        let mut tx = self.store.write_untracked().await?;
        let user = store::user_by_username(&mut tx, username).await?.ok_or_else(|| AppError::Invalid("utente non trovato".into()))?;
        store::set_password_hash(&mut tx, user.id, &hash).await?;
        store::delete_user_sessions(&mut tx, user.id).await?;
        self.audit_in(&mut tx, actor_event(actor, "user.password", &format!("utente/{username}"))).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Suspends (or reinstates) an account; its sessions end at once.
    pub async fn set_suspended(&self, actor: Option<&Principal>, username: &str, suspended: bool) -> Result<()> {
        let mut tx = self.store.write_untracked().await?;
        let user = store::user_by_username(&mut tx, username).await?.ok_or_else(|| AppError::Invalid("utente non trovato".into()))?;
        store::set_suspended(&mut tx, user.id, suspended).await?;
        store::delete_user_sessions(&mut tx, user.id).await?;
        let action = if suspended { "user.suspend" } else { "user.reinstate" };
        self.audit_in(&mut tx, actor_event(actor, action, &format!("utente/{username}"))).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A one-time password-reset token, valid for a day; the administrator hands the link over.
    pub async fn issue_reset_token(&self, actor: Option<&Principal>, username: &str) -> Result<String> {
        let token = random_token()?;
        let mut tx = self.store.write_untracked().await?;
        let user = store::user_by_username(&mut tx, username).await?.ok_or_else(|| AppError::Invalid("utente non trovato".into()))?;
        store::insert_reset_token(&mut tx, &token_hash(&token), user.id, &rfc3339(now() + self.access.reset_link_valid_for)).await?;
        self.audit_in(&mut tx, actor_event(actor, "user.reset_link", &format!("utente/{username}"))).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Uses a reset token once: sets the password and clears the second factor and lockout.
    pub async fn redeem_reset_token(&self, token: &str, password: &str) -> Result<()> {
        let mut tx = self.store.write_untracked().await?;
        let invalid = || AppError::Invalid("collegamento non valido o scaduto".into());
        let user_id = store::consume_reset_token(&mut tx, &token_hash(token), &rfc3339(now())).await?.ok_or_else(invalid)?;
        let user = store::user_by_id(&mut tx, user_id).await?.ok_or_else(invalid)?;
        check_password_for(password, &user.username, &user.display_name).map_err(|e| AppError::Invalid(e.to_string()))?;
        let pw = password.to_string();
        let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
            .await
            .map_err(|e| AppError::Internal(format!("password hashing: {e}")))??;
        store::set_password_hash(&mut tx, user.id, &hash).await?;
        store::set_totp_secret(&mut tx, user.id, None).await?;
        store::delete_user_sessions(&mut tx, user.id).await?;
        let ev = AuditEvent {
            user_id: Some(user.id),
            username: user.username.clone(),
            action: "user.reset_used".into(),
            object: format!("utente/{}", user.username),
            ..AuditEvent::default()
        };
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an API token limited to `scopes` (permission codes); returns the secret once.
    pub async fn create_api_token(
        &self,
        actor: Option<&Principal>,
        username: &str,
        name: &str,
        scopes: &[String],
        days: Option<i64>,
    ) -> Result<String> {
        for s in scopes {
            if Perm::from_code(s).is_none() {
                return Err(AppError::Invalid(format!("ambito del token sconosciuto: {s}")));
            }
        }
        let days = days.unwrap_or(TOKEN_DAYS);
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            return Err(AppError::Invalid(format!("durata del token non valida: {days} giorni (da 1 a {MAX_TOKEN_DAYS})")));
        }
        let token = format!("amb_{}", random_token()?);
        let expires = Some(rfc3339(now() + time::Duration::days(days)));
        let mut tx = self.store.write_untracked().await?;
        let user = store::user_by_username(&mut tx, username).await?.ok_or_else(|| AppError::Invalid("utente non trovato".into()))?;
        store::insert_api_token(&mut tx, &token_hash(&token), user.id, name, &scopes.join(","), expires.as_deref()).await?;
        let mut ev = actor_event(actor, "token.create", &format!("utente/{username}"));
        ev.reason = Some(scopes.join(","));
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// API tokens (of one user, or all), for `ambito token list`.
    pub async fn api_tokens(&self, username: Option<&str>) -> Result<Vec<store::ApiTokenInfo>> {
        let mut conn = self.store.read().await?;
        let user_id = match username {
            Some(u) => Some(store::user_by_username(&mut conn, u).await?.ok_or_else(|| AppError::Invalid("utente non trovato".into()))?.id),
            None => None,
        };
        Ok(store::list_api_tokens(&mut conn, user_id).await?)
    }

    /// Revokes API tokens: the one with `id`, or every active one of `username` named `name`.
    /// Returns how many were revoked; each is audited. A revoked token stops working at once.
    pub async fn revoke_api_tokens(
        &self,
        actor: Option<&Principal>,
        id: Option<i64>,
        username: Option<&str>,
        name: Option<&str>,
    ) -> Result<usize> {
        if id.is_none() && (username.is_none() || name.is_none()) {
            return Err(AppError::Invalid("indicare il numero del token, oppure utente e nome".into()));
        }
        let all = self.api_tokens(username).await?;
        let chosen: Vec<_> = all
            .into_iter()
            .filter(|t| t.revoked == 0)
            .filter(|t| id.is_none_or(|id| t.id == id) && name.is_none_or(|n| t.name == n))
            .collect();
        let mut tx = self.store.write_untracked().await?;
        let mut revoked = 0;
        for t in &chosen {
            if store::revoke_api_token(&mut tx, t.id).await? > 0 {
                let mut ev = actor_event(actor, "token.revoke", &format!("utente/{}", t.username));
                ev.reason = Some(format!("token {} «{}»", t.id, t.name));
                self.audit_in(&mut tx, ev).await?;
                revoked += 1;
            }
        }
        tx.commit().await?;
        Ok(revoked)
    }

    /// Grants or revokes one permission of a role (administrators only; audited).
    pub async fn set_role_permission(&self, actor: &Principal, role: &str, perm: Perm, granted: bool) -> Result<()> {
        if !actor.may(Perm::RoleManage, None) {
            return Err(AppError::Invalid("non autorizzato".into()));
        }
        let mut tx = self.store.write_untracked().await?;
        store::set_role_permission(&mut tx, role, perm.code(), granted).await?;
        let mut ev = actor_event(Some(actor), if granted { "role.grant" } else { "role.revoke" }, &format!("ruolo/{role}"));
        ev.reason = Some(perm.code().to_string());
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn users(&self, ambito_code: Option<&str>) -> Result<Vec<(store::UserRow, Vec<store::UserRoleRow>)>> {
        let mut conn = self.store.read().await?;
        let ambito_id = match ambito_code {
            Some(c) => Some(store::ambito_by_code(&mut conn, c).await?.ok_or_else(|| AppError::AmbitoNotFound(c.into()))?.id),
            None => None,
        };
        let mut out = Vec::new();
        for u in store::users(&mut conn, ambito_id).await? {
            let roles = store::user_roles(&mut conn, u.id).await?;
            out.push((u, roles));
        }
        Ok(out)
    }

    pub async fn roles_with_permissions(&self) -> Result<Vec<(store::RoleRow, Vec<String>)>> {
        let mut conn = self.store.read().await?;
        let perms = store::role_permissions(&mut conn).await?;
        Ok(store::roles(&mut conn)
            .await?
            .into_iter()
            .map(|r| {
                let p = perms.iter().filter(|(role, _)| *role == r.code).map(|(_, p)| p.clone()).collect();
                (r, p)
            })
            .collect())
    }
}

pub(crate) fn actor_event(actor: Option<&Principal>, action: &str, object: &str) -> AuditEvent {
    AuditEvent {
        user_id: actor.map(|a| a.user_id),
        username: actor.map(|a| a.username.clone()).unwrap_or_else(|| "(riga di comando)".into()),
        action: action.into(),
        object: object.into(),
        ..AuditEvent::default()
    }
}
