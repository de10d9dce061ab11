//! The one storage layer. Only this crate knows SQL. Both backends run the same statements
//! through `sqlx::Any`, restricted to a portable subset (see `docs/ARCHITECTURE.md`); only the
//! DDL of id columns differs, so each backend has its own migration directory.
//!
//! Functions take `&mut AnyConnection` so callers compose them inside one transaction: an import
//! is applied entirely or not at all.

/// A row struct read by name from a query's columns (what `#[derive(sqlx::FromRow)]` wrote, without
/// sqlx's proc-macro crate: see `build.rs`). Each field is read with `try_get` by its name.
#[macro_export]
#[doc(hidden)]
macro_rules! from_row {
    ($(#[$m:meta])* $vis:vis struct $name:ident { $($(#[$fm:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        $vis struct $name { $($(#[$fm])* $fvis $field: $ty),* }

        impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for $name {
            fn from_row(row: &'r sqlx::any::AnyRow) -> std::result::Result<Self, sqlx::Error> {
                use sqlx::Row;
                Ok($name { $($field: row.try_get(stringify!($field))?),* })
            }
        }
    };
}

mod access;
mod access_facts;
mod activity;
mod audit;
mod backup;
pub mod cases;
mod catalogue;
pub mod copayment;
mod db;
mod deliveries;
mod delivery_aggregates;
mod demography;
mod funding;
mod imports;
mod jobs;
mod legacy_import;
mod migrations;
mod person;
mod plan;
mod questionnaire;
pub mod schema;
mod territory;

pub use access::*;
pub use access_facts::*;
pub use activity::*;
pub use audit::*;
pub use backup::{BackupError, BackupInfo, dump_all_tables, restore};
pub use cases::*;
pub use catalogue::*;
pub use copayment::*;
pub use db::{Backend, ReadConn, Store, StoreError, WriteTx, now_text};
pub use deliveries::*;
pub use delivery_aggregates::*;
pub use demography::*;
pub use funding::*;
pub use imports::*;
pub use jobs::*;
pub use legacy_import::*;
pub use person::*;
pub use plan::*;
pub use questionnaire::*;
pub use sqlx::AnyConnection;
pub use sqlx::Error as SqlError;
pub use territory::*;

pub type Result<T> = std::result::Result<T, StoreError>;
