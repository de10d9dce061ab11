//! Errors of the JSON API as `application/problem+json` (RFC 9457), whatever produced them: a
//! handler's [`WebError`](crate::error::WebError), the access guard, an extractor's rejection
//! or the router's own 404. The pages keep their HTML error page.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// What a [`WebError`](crate::error::WebError) said, left on its response for [`api_problems`].
#[derive(Debug, Clone)]
pub struct ProblemDetail {
    pub title: &'static str,
    pub detail: String,
}

pub const PROBLEM_JSON: &str = "application/problem+json";

/// The JSON API's prefix: every route under it answers errors as problem details.
pub fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Middleware: an error response to an `/api/` request becomes a problem document. Headers
/// such as `WWW-Authenticate` and `Retry-After` are kept.
pub async fn api_problems(request: Request, next: Next) -> Response {
    let api = is_api(request.uri().path());
    let response = next.run(request).await;
    let status = response.status();
    if !api || !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let (title, detail) = match parts.extensions.remove::<ProblemDetail>() {
        Some(p) => (p.title, Some(p.detail)),
        None => (status.canonical_reason().unwrap_or("Error"), None),
    };
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(document(status, title, detail.as_deref()).to_string()))
}

/// The problem document; `errore` repeats the detail for the clients written before RFC 9457
/// answers (the API said `{"errore": …}`).
fn document(status: StatusCode, title: &str, detail: Option<&str>) -> serde_json::Value {
    let mut body = json!({"type": "about:blank", "title": title, "status": status.as_u16()});
    if let Some(d) = detail.filter(|d| !d.is_empty()) {
        body["detail"] = d.into();
        body["errore"] = d.into();
    }
    body
}

/// An API error answered directly (the guard, the API login), as a problem document.
pub fn response(status: StatusCode, title: &'static str, detail: &str) -> Response {
    let body = document(status, title, Some(detail)).to_string();
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))], body).into_response()
}

/// A form's field errors (`AppError::Fields`) as a 422 problem whose `errori` lists each field
/// with its message, the same messages the staff form shows beside its fields.
pub fn fields(errors: &[ambito_domain::case_record::FieldError]) -> Response {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let detail: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
    let mut body = document(status, "Dati non validi", Some(&detail.join("; ")));
    body["errori"] = errors.iter().map(|e| json!({"field": e.field, "message": e.message})).collect();
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))], body.to_string()).into_response()
}

/// The API's answer to a person outside the caller's care team, where a page shows the
/// break-glass form: 403, and in `accesso_straordinario` the route that asks for it with a reason.
pub fn break_glass(code: &str, person: i64) -> Response {
    let status = StatusCode::FORBIDDEN;
    let href = format!("/ambiti/{}/persone/{person}/accesso-straordinario", crate::views::encode_segment(code));
    let detail = "La persona non è nel gruppo di lavoro del chiamante: serve l'accesso straordinario, con la motivazione.";
    let mut body = document(status, "Accesso straordinario richiesto", Some(detail));
    body["accesso_straordinario"] = href.into();
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))], body.to_string()).into_response()
}

fn is_json(response: &Response) -> bool {
    response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_api_prefix_is_api() {
        assert!(is_api("/api/v1/ambiti"));
        assert!(is_api("/api"));
        assert!(!is_api("/apix"));
        assert!(!is_api("/ambiti/ALTO_SEBINO/api/v1"));
    }
}
