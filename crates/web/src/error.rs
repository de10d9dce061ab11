//! The one error type of the HTTP shell. Internal causes are logged, never shown.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// 404: the Ambito, year or file does not exist.
    #[error("{0}")]
    NotFound(String),
    /// 400: the request itself is malformed (bad year, unknown format) or fails validation.
    #[error("{0}")]
    BadRequest(String),
    /// 409: the row to create already exists (a unique constraint); the cause goes to the log.
    #[error("conflitto")]
    Conflict(String),
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
    /// By variant only: a validation message is the user's, everything internal is not.
    fn from(e: ambito_app::AppError) -> Self {
        use ambito_app::AppError;
        match e {
            AppError::AmbitoNotFound(code) => WebError::NotFound(format!("Ambito «{code}» non trovato")),
            AppError::Invalid(msg) => WebError::BadRequest(msg),
            e @ AppError::Fields(_) => WebError::BadRequest(e.to_string()),
            AppError::Forbidden => WebError::Forbidden,
            AppError::NotFound(msg) => WebError::NotFound(msg),
            e @ AppError::NoReport => WebError::NotFound(e.to_string()),
            AppError::Store(e @ ambito_app::StoreError::Conflict { .. }) => WebError::Conflict(e.to_string()),
            e @ (AppError::Internal(_) | AppError::Store(_) | AppError::Audit(_) | AppError::Render(_)) => {
                WebError::Internal(e.to_string())
            }
        }
    }
}

impl From<ambito_render::RenderError> for WebError {
    fn from(e: ambito_render::RenderError) -> Self {
        WebError::Internal(e.to_string())
    }
}

/// What a user is told of a conflict: the constraint's name means nothing to them.
pub const CONFLICT_DETAIL: &str = "Esiste già un elemento con questi dati (nome, codice o codice fiscale): controllare e riprovare.";

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, detail) = match &self {
            WebError::NotFound(m) => (StatusCode::NOT_FOUND, "Pagina non trovata", m.clone()),
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Richiesta non valida", m.clone()),
            WebError::Conflict(cause) => {
                tracing::info!(%cause, "conflict");
                (StatusCode::CONFLICT, "Elemento già esistente", CONFLICT_DETAIL.to_string())
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use ambito_app::{AppError, StoreError};
    use axum::Router;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    const SECRET: &str = "/var/lib/ambito/chiave: permesso negato";

    fn conflict() -> AppError {
        let source = ambito_app::SqlError::Protocol("UNIQUE constraint failed: app_user.codice_fiscale".into());
        AppError::Store(StoreError::Conflict { constraint: "app_user.codice_fiscale".into(), source })
    }

    /// The answer to `error` on `path`, through the API's problem middleware as the server has it.
    async fn answer(path: &str, error: fn() -> AppError) -> (StatusCode, String, String) {
        let handler = move || async move { Err::<(), WebError>(error().into()) };
        let router = Router::new().route(path, get(handler)).layer(axum::middleware::from_fn(crate::problem::api_problems));
        let res = router.oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        let status = res.status();
        let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        (status, kind, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn an_internal_fault_is_a_500_with_a_reference_and_keeps_its_cause() {
        for path in ["/api/v1/x", "/pagina"] {
            let (status, _, body) = answer(path, || AppError::Internal(SECRET.into())).await;
            assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
            assert!(!body.contains("chiave"), "the cause does not leak on {path}: {body}");
            assert!(body.contains("riferimento "), "{path}: {body}");
        }
        let (_, kind, body) = answer("/api/v1/x", || AppError::Internal(SECRET.into())).await;
        assert_eq!(kind, crate::problem::PROBLEM_JSON);
        let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(doc["status"], 500);
        assert!(doc["detail"].as_str().is_some_and(|d| d.contains("riferimento")), "{doc}");
    }

    #[tokio::test]
    async fn a_validation_error_is_a_400_with_its_message() {
        let (status, kind, body) = answer("/api/v1/x", || AppError::Invalid("indicare anno e semestre (1 o 2)".into())).await;
        assert_eq!((status, kind.as_str()), (StatusCode::BAD_REQUEST, crate::problem::PROBLEM_JSON));
        let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(doc["detail"], "indicare anno e semestre (1 o 2)");
        let (status, kind, body) = answer("/pagina", || AppError::Invalid("indicare anno e semestre (1 o 2)".into())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(kind.starts_with("text/html"), "{kind}");
        assert!(body.contains("indicare anno e semestre (1 o 2)"), "{body}");
    }

    #[tokio::test]
    async fn a_conflict_is_a_409_without_the_constraint() {
        let (status, kind, body) = answer("/api/v1/x", conflict).await;
        assert_eq!((status, kind.as_str()), (StatusCode::CONFLICT, crate::problem::PROBLEM_JSON));
        let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!((doc["status"].as_u64(), doc["detail"].as_str()), (Some(409), Some(CONFLICT_DETAIL)));
        assert!(!body.contains("app_user"), "{body}");
        let (status, kind, body) = answer("/pagina", conflict).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(kind.starts_with("text/html") && !body.contains("app_user"), "{kind}: {body}");
    }

    #[tokio::test]
    async fn no_report_is_a_404_by_its_variant() {
        let (status, _, body) = answer("/pagina", || AppError::NoReport).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("la relazione non è disponibile"), "{body}");
    }
}
