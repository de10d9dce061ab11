//! Writing and checking the audit log.

use super::login::entry;
use crate::{App, AppError, Result};
use ambito_domain::access::Principal;
use ambito_domain::audit::{AuditKey, ChainError, ChainVerifier, Checkpoint, Entry, check_switch};
use ambito_store as store;
use std::path::Path;
use std::time::Duration;

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
    /// The first keyed entry (earlier ones were written before the key and use plain hashes).
    pub keyed_from: Option<i64>,
    /// Checkpoints the chain was held to.
    pub checkpoints: usize,
    pub error: Option<ChainError>,
}

impl App {
    /// The same application with another audit key (tests: a wrong key must fail verification).
    pub fn with_audit_key(mut self, key: AuditKey) -> App {
        self.audit_key = std::sync::Arc::new(key);
        self.audit_writer = Default::default();
        self
    }

    /// Appends an entry on its own and returns once it is committed (grouped with other waiting
    /// entries into one transaction).
    pub async fn audit(&self, ev: AuditEvent) -> Result<i64> {
        self.audit_writer.append(&self.store, &self.audit_key, ev.into_entry()).await
    }

    /// Appends inside the caller's transaction: the audited write and its entry land together.
    pub async fn audit_in(&self, conn: &mut store::AnyConnection, ev: AuditEvent) -> Result<i64> {
        Ok(store::append_audit(conn, &self.audit_key, ev.into_entry()).await?)
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

    /// Walks the whole chain in pages (constant memory) and checks every link with the key.
    pub async fn verify_audit(&self) -> Result<AuditVerification> {
        self.verify_audit_against(&[]).await
    }

    /// As [`App::verify_audit`], also holding the chain to signed checkpoints kept elsewhere:
    /// a tail deleted below one of them, or a past rewritten, fails.
    pub async fn verify_audit_against(&self, checkpoints: &[Checkpoint]) -> Result<AuditVerification> {
        let mut conn = self.store.read().await?;
        let head = store::audit_head(&mut conn).await?;
        let mut report = AuditVerification { entries: 0, keyed_from: head.keyed_from, checkpoints: checkpoints.len(), error: None };
        let switch = head.keyed_from.map(|k| (k, head.keyed_mac.as_deref().unwrap_or("")));
        let verifier = check_switch(&self.audit_key, switch, head.seq)
            .and_then(|()| ChainVerifier::new(Some((*self.audit_key).clone()), head.keyed_from).with_checkpoints(checkpoints));
        let mut verifier = match verifier {
            Ok(v) => v,
            Err(e) => return Ok(AuditVerification { error: Some(e), ..report }),
        };
        let mut after = 0;
        loop {
            let page = store::audit_page(&mut conn, after, 5000).await?;
            let Some(last) = page.last() else { break };
            after = last.0.seq;
            for (e, p, h) in &page {
                if let Err(err) = verifier.push(e, p, h) {
                    return Ok(AuditVerification { error: Some(err), ..report });
                }
                report.entries += 1;
            }
        }
        report.error = verifier.finish((head.seq, &head.hash)).err();
        Ok(report)
    }

    /// A signed checkpoint of the chain as it is now.
    pub async fn audit_checkpoint(&self) -> Result<Checkpoint> {
        let mut conn = self.store.read().await?;
        let head = store::audit_head(&mut conn).await?;
        Ok(Checkpoint { seq: head.seq, head: head.hash, keyed_from: head.keyed_from, at: super::rfc3339(super::now()) })
    }

    /// The checkpoint as a signed line.
    pub fn checkpoint_line(&self, c: &Checkpoint) -> String {
        c.line(&self.audit_key)
    }

    /// Appends a checkpoint to `path` (created 0600) and flushes it to disk.
    pub async fn write_audit_checkpoint(&self, path: &Path) -> Result<Checkpoint> {
        let c = self.audit_checkpoint().await?;
        append_line(path, &self.checkpoint_line(&c))?;
        Ok(c)
    }

    /// Reads a checkpoint file, checking every line's signature with the key.
    pub fn read_audit_checkpoints(&self, path: &Path) -> Result<Vec<Checkpoint>> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| AppError::Internal(format!("checkpoint non leggibili in {}: {e}", path.display())))?;
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| Checkpoint::parse(l, &self.audit_key).map_err(|e| AppError::Invalid(e.to_string())))
            .collect()
    }

    /// Appends a checkpoint to `path` now (an unwritable file is an error here, at start), then
    /// every `every` whenever the chain has grown since the last one, for as long as the process
    /// runs; a later failure is logged and retried next time.
    pub async fn start_audit_checkpoints(&self, path: std::path::PathBuf, every: Duration) -> Result<()> {
        let first = self.write_audit_checkpoint(&path).await?;
        let app = self.clone();
        tokio::spawn(async move {
            let mut last = Some(first.seq);
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            loop {
                tick.tick().await;
                let head = match app.audit_checkpoint().await {
                    Ok(c) => c,
                    Err(e) => {
                        tracing::error!(error = %e, "audit checkpoint not taken");
                        continue;
                    }
                };
                if last == Some(head.seq) {
                    continue;
                }
                match append_line(&path, &app.checkpoint_line(&head)) {
                    Ok(()) => last = Some(head.seq),
                    Err(e) => tracing::error!(error = %e, path = %path.display(), "audit checkpoint not written"),
                }
            }
        });
        Ok(())
    }

    pub async fn search_audit(&self, q: &store::AuditQuery) -> Result<Vec<Entry>> {
        let mut conn = self.store.read().await?;
        Ok(store::search_audit(&mut conn, q).await?)
    }
}

fn append_line(path: &Path, line: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(path).and_then(|mut f| {
        f.write_all(line.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()
    });
    written.map_err(|e| AppError::Internal(format!("checkpoint non scritto in {}: {e}", path.display())))
}
