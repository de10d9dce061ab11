//! Importers. Each one reads the whole file, validates every row and reports every problem with
//! file, line, column and reason; only a file without errors is applied, in one transaction.
//! Re-importing a file is idempotent: rows are keyed by their natural key and upserted.

pub mod activity;
pub mod budget;
mod cells;
pub mod population;
pub mod targets;
pub mod territory;

pub use cells::{scaled, unscaled};

use crate::problems::Findings;
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

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
