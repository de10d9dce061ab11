//! The importers of the annual report's inputs, one per file kind.

pub mod activity;
pub mod budget;
pub mod population;
pub mod targets;
pub mod territory;

/// Batches the import log keeps per Ambito in one answer: enough for years of monthly files.
pub const IMPORT_LOG_LIMIT: i64 = 500;

impl crate::App {
    /// The files imported for the Ambito (activity, budget, deliveries, plans), newest first.
    pub async fn import_log(&self, ambito_code: &str) -> crate::Result<Vec<ambito_store::ImportBatch>> {
        let a = self.ambito(ambito_code).await?;
        let mut conn = self.store.read().await?;
        Ok(ambito_store::list_imports(&mut conn, a.id, IMPORT_LOG_LIMIT).await?)
    }
}
