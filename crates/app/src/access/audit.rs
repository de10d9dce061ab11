//! Writing and checking the audit log.

use super::login::entry;
use crate::{App, Result};
use ambito_domain::access::Principal;
use ambito_domain::audit::{ChainError, ChainVerifier, Entry};
use ambito_store as store;

/// Who makes an audited write: a logged-in user and the address the request came from, or the
/// command line (an operator with the database's own rights, recorded as such).
#[derive(Debug, Clone, Copy, Default)]
pub struct Actor<'a> {
    pub principal: Option<&'a Principal>,
    pub ip: Option<&'a str>,
}

impl<'a> Actor<'a> {
    pub const COMMAND_LINE: Actor<'static> = Actor { principal: None, ip: None };

    pub fn user(principal: &'a Principal, ip: Option<&'a str>) -> Actor<'a> {
        Actor { principal: Some(principal), ip }
    }

    /// The entry for `action` on `object` in Ambito `ambito`.
    pub fn event(&self, action: &str, object: &str, ambito: Option<&str>) -> AuditEvent {
        let mut ev = super::users::actor_event(self.principal, action, object);
        ev.ip = self.ip.map(str::to_string);
        ev.ambito = ambito.map(str::to_string);
        ev
    }
}

/// One audited action, as the web shell describes it.
#[derive(Debug, Clone, Default)]
pub struct AuditEvent {
    pub user_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub object: String,
    pub person_id: Option<i64>,
    pub ambito: Option<String>,
    pub ip: Option<String>,
    pub reason: Option<String>,
    pub flagged: bool,
}

impl AuditEvent {
    fn into_entry(self) -> Entry {
        let mut e = entry(&self.action, self.user_id, &self.username, &self.object, self.ip.as_deref());
        e.person_id = self.person_id;
        e.ambito = self.ambito;
        e.reason = self.reason;
        e.flagged = self.flagged;
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    pub entries: i64,
    pub error: Option<ChainError>,
}

impl App {
    /// Appends an entry on its own and returns once it is committed (grouped with other waiting
    /// entries into one transaction).
    pub async fn audit(&self, ev: AuditEvent) -> Result<i64> {
        self.audit_writer.append(&self.store, ev.into_entry()).await
    }

    /// Appends inside the caller's transaction: the audited write and its entry land together.
    pub async fn audit_in(&self, conn: &mut store::AnyConnection, ev: AuditEvent) -> Result<i64> {
        Ok(store::append_audit(conn, ev.into_entry()).await?)
    }

    pub(crate) async fn audit_event(&self, action: &str, username: &str, user_id: Option<i64>, ip: Option<&str>) -> Result<i64> {
        self.audit(AuditEvent {
            user_id,
            username: username.to_string(),
            action: action.into(),
            object: "sessione".into(),
            ip: ip.map(str::to_string),
            ..AuditEvent::default()
        })
        .await
    }

    /// Walks the whole chain in pages (constant memory) and checks every link.
    pub async fn verify_audit(&self) -> Result<AuditVerification> {
        let mut conn = self.store.read().await?;
        let head = store::audit_head(&mut conn).await?;
        let mut verifier = ChainVerifier::default();
        let (mut after, mut checked) = (0, 0);
        loop {
            let page = store::audit_page(&mut conn, after, 5000).await?;
            let Some(last) = page.last() else { break };
            after = last.0.seq;
            for (e, p, h) in &page {
                if let Err(err) = verifier.push(e, p, h) {
                    return Ok(AuditVerification { entries: checked, error: Some(err) });
                }
                checked += 1;
            }
        }
        let error = verifier.finish((head.0, &head.1)).err();
        Ok(AuditVerification { entries: checked, error })
    }

    pub async fn search_audit(&self, q: &store::AuditQuery) -> Result<Vec<Entry>> {
        let mut conn = self.store.read().await?;
        Ok(store::search_audit(&mut conn, q).await?)
    }
}
