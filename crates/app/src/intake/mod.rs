//! File intake shared by every importer: reading a CSV or a workbook into a table, typed cells,
//! and the batch that applies a valid file in one transaction and logs it. Each importer (in its
//! feature module) reads the whole file, validates every row and reports every problem with file,
//! line, column and reason; only a file without errors is applied. Re-importing a file is
//! idempotent: rows are keyed by their natural key and upserted.

mod cells;
pub(crate) mod spreadsheet;
pub mod table;

pub use cells::{Cells, Reported};

use crate::problems::Findings;
use crate::{App, Result};
use ambito_store::{self as store, WriteTx};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
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

/// The write transaction of one valid file, and its entry in the import log.
pub(crate) struct Batch<'a> {
    pub tx: WriteTx,
    kind: &'static str,
    file: &'a str,
    pub(crate) sha: String,
}

impl<'a> Batch<'a> {
    pub(crate) async fn begin(app: &App, kind: &'static str, file: &'a str, bytes: &[u8]) -> Result<Batch<'a>> {
        Ok(Batch { tx: app.store.write().await?, kind, file, sha: sha256_hex(bytes) })
    }

    /// Logs the import (noting an earlier import of the same bytes) and commits everything.
    pub(crate) async fn commit(mut self, ambito_id: Option<i64>, rows: usize, findings: Findings) -> Result<ImportOutcome> {
        if matches!(self.kind, "territory" | "population" | "targets") {
            crate::reporting::target_values::refresh(&mut self.tx).await?;
        }
        let previous = store::find_import(&mut self.tx, ambito_id, self.kind, &self.sha).await?;
        store::record_import(&mut self.tx, ambito_id, self.kind, self.file, &self.sha, rows as i64).await?;
        self.tx.commit().await?;
        Ok(ImportOutcome { file: self.file.into(), rows, findings, applied: true, previously_imported_at: previous.map(|p| p.imported_at) })
    }
}

/// The year in a file name such as `population-2025.csv` or `POSAS_2024_it_016.csv`.
pub fn year_from_file_name(name: &str) -> Option<i64> {
    let base = std::path::Path::new(name).file_name()?.to_str()?;
    let bytes = base.as_bytes();
    // Byte windows, not string slices: a name may hold letters of several bytes, and slicing
    // inside one panicked (found by the `dates` fuzz target).
    bytes.windows(4).enumerate().find_map(|(i, w)| {
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_digit();
        let boundary_after = i + 4 == bytes.len() || !bytes[i + 4].is_ascii_digit();
        (boundary_before && boundary_after && w.iter().all(u8::is_ascii_digit))
            .then(|| w.iter().fold(0i64, |y, d| y * 10 + i64::from(d - b'0')))
            .filter(|y| (1990..=2100).contains(y))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn year_in_file_names() {
        assert_eq!(super::year_from_file_name("demo/population-2025.csv"), Some(2025));
        assert_eq!(super::year_from_file_name("popolazione-ќ2024.csv"), Some(2024), "letters of two bytes before the year");
        assert_eq!(super::year_from_file_name("ќќќќќ.csv"), None);
        assert_eq!(super::year_from_file_name("POSAS_2024_it_016.csv"), Some(2024));
        assert_eq!(super::year_from_file_name("pop12345.csv"), None);
        assert_eq!(super::year_from_file_name("pop.csv"), None);
    }
}
