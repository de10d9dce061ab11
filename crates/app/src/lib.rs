//! Application services: the use cases that the web UI, the JSON API and the CLI all call.
//! Shells stay thin: they parse requests and print results; the rules live in `ambito-domain`,
//! the SQL in `ambito-store`, and the orchestration (validate everything, then apply in one
//! transaction) here.

// Feature modules: each owns its use cases, and `App` composes them.
pub mod access;
pub mod cases;
pub mod copayment;
pub mod deliveries;
pub mod plan;
pub mod questionnaire;
pub mod reporting;

// Shared by the features.
pub mod backup;
pub mod cache;
pub mod demo;
pub mod intake;
pub mod jobs;
pub mod limits;
pub mod problems;
pub mod progress;

pub use ambito_store::{SqlError, Store, StoreError};

/// The stored rows that read models hand to the shells as they are. Shells name them through
/// here: they never depend on `ambito-store` itself, so they cannot run a query of their own.
pub mod rows {
    pub use ambito_store::{
        AmbitoRow, AuditQuery, ContactRow, EvaluationRow, IndicatorRow, PersonRow, PlanRow, ProposalRow, RoleRow, UserRoleRow, UserRow,
    };
}
pub use problems::{Findings, Lang, Msg, Problem};
pub use progress::{NoProgress, Progress};

/// What went wrong, typed by who must act: `Invalid` is the user's to fix and its message is
/// shown to them; `Internal` is the program's or its environment's (a file, the random source,
/// shipped data), logged with its details while users see a generic message with a reference;
/// `Store(StoreError::Conflict)` is a row that already exists. Shells decide by variant, never by
/// message.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("Ambito «{0}» non trovato")]
    AmbitoNotFound(String),
    /// A request or file the user can correct; the message says how.
    #[error("{0}")]
    Invalid(String),
    /// A fault that is not the user's: the message is for the log and the command line.
    #[error("{0}")]
    Internal(String),
    /// The Ambito has no activity in any year, so there is no report to show.
    #[error("Nessun dato di attività: la relazione non è disponibile")]
    NoReport,
    /// Refused by access control; the shell answers 403 without saying more.
    #[error("accesso negato")]
    Forbidden,
    /// A form with errors, field by field (`field`, message): shells show each next to its field.
    #[error("{}", .0.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; "))]
    Fields(Vec<ambito_domain::case_record::FieldError>),
    /// A plan, round or card that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// An audit entry could not be committed: the access it records is refused.
    #[error("registro di audit non scrivibile: {0}")]
    Audit(String),
    #[error("rendering: {0}")]
    Render(#[from] ambito_render::RenderError),
}

impl From<ambito_store::SqlError> for AppError {
    fn from(e: ambito_store::SqlError) -> Self {
        AppError::Store(StoreError::from(e))
    }
}

impl AppError {
    /// Whether the write failed because the row already exists (a unique constraint).
    pub fn is_conflict(&self) -> bool {
        matches!(self, AppError::Store(e) if e.is_conflict())
    }
}

pub type Result<T> = std::result::Result<T, AppError>;

/// The application: a handle on the store, cheap to clone into every request.
#[derive(Clone, Debug)]
pub struct App {
    pub store: Store,
    pub cache: cache::RevisionCache,
    pub access: std::sync::Arc<access::AccessConfig>,
    /// Recent failed logins per client address, for throttling (kept in memory on purpose: a
    /// restart forgives, while the per-account lockout is stored).
    login_failures: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<std::time::Instant>>>>,
    /// The role → permission table as of an `access_revision`: every request needs it, and it
    /// changes only when an administrator edits a role.
    role_table: std::sync::Arc<std::sync::Mutex<Option<(i64, RoleTable)>>>,
    audit_writer: access::AuditWriter,
    /// The audit chain's key, from outside the database (`access::audit_key`).
    audit_key: std::sync::Arc<ambito_domain::audit::AuditKey>,
    /// The job queue's spool, wake-up and live progress (`jobs`).
    pub(crate) jobs: std::sync::Arc<jobs::Queue>,
}

/// (role, permission) pairs, ordered.
pub(crate) type RoleTable = std::sync::Arc<Vec<(String, String)>>;

impl App {
    /// Opens the database with the audit key of `access::audit_key::resolve`.
    pub async fn open(database_url: &str) -> Result<App> {
        let key = access::audit_key::resolve(database_url)?;
        App::open_with_key(database_url, key).await
    }

    pub async fn open_with_key(database_url: &str, audit_key: ambito_domain::audit::AuditKey) -> Result<App> {
        let app = App {
            store: Store::connect(database_url).await?,
            cache: cache::RevisionCache::default(),
            access: Default::default(),
            login_failures: Default::default(),
            role_table: Default::default(),
            audit_writer: Default::default(),
            audit_key: std::sync::Arc::new(audit_key),
            jobs: jobs::Queue::new(database_url),
        };
        app.ensure_default_roles().await?;
        // A database that had targets and population before `target_value` existed: value them once.
        let mut conn = app.store.read().await?;
        let missing = ambito_store::target_values_missing(&mut conn).await?;
        drop(conn);
        if missing {
            let mut tx = app.store.write().await?;
            reporting::target_values::refresh(&mut tx).await?;
            tx.commit().await?;
        }
        Ok(app)
    }

    /// The same application with other session and lockout settings (tests shorten them).
    pub fn with_access(mut self, config: access::AccessConfig) -> App {
        self.access = std::sync::Arc::new(config);
        self
    }
}
