//! Group commit for the audit log. Every audited request must have its entry committed before
//! the handler runs, and each entry extends one hash chain, so appends are serial. Writing each
//! in its own transaction makes the chain's single writer the ceiling of every audited route;
//! instead one task takes whatever entries are waiting, appends them in order in one
//! transaction, commits, and only then answers each caller. The guarantee is unchanged (no
//! entry, no access); the cost of a commit is shared by everyone who was waiting for it.

use crate::{AppError, Result};
use ambito_domain::audit::{AuditKey, Entry};
use ambito_store::{self as store, Store};
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot};

/// At most this many entries per transaction, so one commit never holds the writer for long.
const MAX_GROUP: usize = 256;

type Request = (Entry, oneshot::Sender<std::result::Result<i64, String>>);

#[derive(Clone, Default, Debug)]
pub(crate) struct AuditWriter {
    queue: Arc<OnceLock<mpsc::UnboundedSender<Request>>>,
}

impl AuditWriter {
    /// Appends `entry` and returns its sequence number once it is committed.
    pub(crate) async fn append(&self, store: &Store, key: &Arc<AuditKey>, entry: Entry) -> Result<i64> {
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::unbounded_channel();
            // The task holds the pool, not the App: it ends when the last App clone (and with it
            // the sender) is gone.
            tokio::spawn(write_groups(store.clone(), key.clone(), receiver));
            sender
        });
        let (reply, answer) = oneshot::channel();
        queue.send((entry, reply)).map_err(|_| AppError::Audit("scrittura del registro non disponibile".into()))?;
        answer.await.map_err(|_| AppError::Audit("scrittura del registro interrotta".into()))?.map_err(AppError::Audit)
    }
}

async fn write_groups(store: Store, key: Arc<AuditKey>, mut queue: mpsc::UnboundedReceiver<Request>) {
    while let Some(first) = queue.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        let (entries, replies): (Vec<Entry>, Vec<_>) = group.into_iter().unzip();
        match write_group(&store, &key, entries).await {
            Ok(seqs) => {
                for (reply, seq) in replies.into_iter().zip(seqs) {
                    let _ = reply.send(Ok(seq));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "audit entries not written: the requests waiting for them are refused");
                for reply in replies {
                    let _ = reply.send(Err(e.to_string()));
                }
            }
        }
    }
}

async fn write_group(store: &Store, key: &AuditKey, entries: Vec<Entry>) -> store::Result<Vec<i64>> {
    let mut tx = store.write_untracked().await?;
    let mut seqs = Vec::with_capacity(entries.len());
    for e in entries {
        seqs.push(store::append_audit(&mut tx, key, e).await?);
    }
    tx.commit().await?;
    Ok(seqs)
}
