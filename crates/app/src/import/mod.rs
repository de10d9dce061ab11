//! Importers. Each one reads the whole file, validates every row and reports every problem with
//! file, line, column and reason; only a file without errors is applied, in one transaction.
//! Re-importing a file is idempotent: rows are keyed by their natural key and upserted.

pub mod activity;
pub mod budget;
mod cells;
pub mod deliveries;
pub mod population;
pub mod targets;
pub mod territory;

pub use cells::{Cells, scaled, unscaled};

use crate::problems::Findings;
use crate::{App, Result};
use ambito_store::{self as store, WriteTx};
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Debug, Default, Clone, Serialize)]
pub struct ImportOutcome {
    pub file: String,
    pub rows: usize,
    pub findings: Findings,
    pub applied: bool,
    /// When this very file was imported before (re-import changes nothing).
    pub previously_imported_at: Option<String>,
}

impl ImportOutcome {
    pub(crate) fn rejected(file: &str, findings: Findings) -> ImportOutcome {
        ImportOutcome { file: file.into(), findings, ..ImportOutcome::default() }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The write transaction of one valid file, and its entry in the import log.
pub(crate) struct Batch<'a> {
    pub tx: WriteTx,
    kind: &'static str,
    file: &'a str,
    sha: String,
}

impl<'a> Batch<'a> {
    pub(crate) async fn begin(app: &App, kind: &'static str, file: &'a str, bytes: &[u8]) -> Result<Batch<'a>> {
        Ok(Batch { tx: app.store.write().await?, kind, file, sha: sha256_hex(bytes) })
    }

    /// Logs the import (noting an earlier import of the same bytes) and commits everything.
    pub(crate) async fn commit(mut self, ambito_id: Option<i64>, rows: usize, findings: Findings) -> Result<ImportOutcome> {
        if matches!(self.kind, "territory" | "population" | "targets") {
            crate::target_values::refresh(&mut self.tx).await?;
        }
        let previous = store::find_import(&mut self.tx, ambito_id, self.kind, &self.sha).await?;
        store::record_import(&mut self.tx, ambito_id, self.kind, self.file, &self.sha, rows as i64).await?;
        self.tx.commit().await?;
        Ok(ImportOutcome { file: self.file.into(), rows, findings, applied: true, previously_imported_at: previous.map(|p| p.imported_at) })
    }
}
