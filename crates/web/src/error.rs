//! The one error type of the HTTP shell. Internal causes are logged, never shown.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// 404: the Ambito, year or file does not exist.
    #[error("{0}")]
    NotFound(String),
    /// 400: the request itself is malformed (bad year, unknown format).
    #[error("{0}")]
    BadRequest(String),
    /// 413: an upload over its size limit.
    #[error("{0}")]
    TooLarge(String),
    /// 403: access control refused (the guard checks routes; handlers check finer rules).
    #[error("accesso negato")]
    Forbidden,
    /// 500: anything else; details go to the log only.
    #[error("errore interno")]
    Internal(String),
}

impl From<ambito_app::AppError> for WebError {
    fn from(e: ambito_app::AppError) -> Self {
        match e {
            ambito_app::AppError::AmbitoNotFound(code) => WebError::NotFound(format!("Ambito «{code}» non trovato")),
            ambito_app::AppError::Invalid(msg) => WebError::BadRequest(msg),
            ambito_app::AppError::Forbidden => WebError::Forbidden,
            ambito_app::AppError::NotFound(msg) => WebError::NotFound(msg),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<ambito_render::RenderError> for WebError {
    fn from(e: ambito_render::RenderError) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, detail) = match &self {
            WebError::NotFound(m) => (StatusCode::NOT_FOUND, "Pagina non trovata", m.clone()),
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Richiesta non valida", m.clone()),
            WebError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "File troppo grande", m.clone()),
            WebError::Forbidden => {
                (StatusCode::FORBIDDEN, "Accesso negato", "Il profilo con cui si è entrati non consente questa operazione.".to_string())
            }
            WebError::Internal(cause) => {
                let reference = reference_id();
                tracing::error!(%cause, %reference, "internal error");
                let detail = format!("Si è verificato un errore. Riprovare più tardi; se si ripete, indicare il riferimento {reference}.");
                (StatusCode::INTERNAL_SERVER_ERROR, "Errore interno", detail)
            }
        };
        let page = crate::views::home::ErrorPage::new(title, &detail);
        let body = askama::Template::render(&page).unwrap_or_else(|_| detail.clone());
        let mut response = (status, Html(body)).into_response();
        response.extensions_mut().insert(crate::problem::ProblemDetail { title, detail });
        response
    }
}

pub type WebResult<T> = Result<T, WebError>;

/// A short id that ties what a user reports to the log line with the cause: the time in
/// milliseconds and a per-process sequence number, in hex.
fn reference_id() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    format!("{:x}-{:x}", ms, SEQ.fetch_add(1, Ordering::Relaxed))
}
