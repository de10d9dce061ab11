//! CSRF protection. A logged-in browser sends back its session's token; an anonymous form (the
//! login form) uses a double-submit cookie. Both come on top of `SameSite=Strict` cookies.

use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, header};

pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_COOKIE: &str = "ambito_csrf";

/// Largest form body read to find the token; file uploads carry it in the query string instead.
const FORM_LIMIT: usize = 4 * 1024 * 1024;

/// Finds the token sent with a request (header, query or url-encoded form field) and returns the
/// request with its body intact.
pub(crate) async fn sent_token(req: Request<Body>) -> (Option<String>, Request<Body>) {
    if let Some(v) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return (Some(v.to_string()), req);
    }
    if let Some(q) = req.uri().query()
        && let Some(v) = form_value(q.as_bytes(), CSRF_FIELD)
    {
        return (Some(v), req);
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (None, req);
    }
    let (parts, body) = req.into_parts();
    match to_bytes(body, FORM_LIMIT).await {
        Ok(bytes) => {
            let token = form_value(&bytes, CSRF_FIELD);
            (token, Request::from_parts(parts, Body::from(bytes)))
        }
        Err(_) => (None, Request::from_parts(parts, Body::empty())),
    }
}

fn form_value(body: &[u8], key: &str) -> Option<String> {
    form_urlencoded::parse(body).find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// Constant-time comparison: a token must not leak through timing.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_form_fields_are_found() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; ambito_csrf=xyz; b=2".parse().expect("header"));
        assert_eq!(cookie(&h, CSRF_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
        assert_eq!(form_value(b"x=1&_csrf=t%2B1&y=2", CSRF_FIELD).as_deref(), Some("t+1"));
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
