//! Login, second factor, logout and password reset (the API's token login is in `crate::api`).

use crate::access::{self, Policy, Routes, SESSION_COOKIE};
use crate::error::WebResult;
use crate::views::auth::{LoginPage, ResetPage, TotpPage};
use ambito_app::App;
use ambito_app::access::LoginOutcome;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, post};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .get("/accesso", Policy::Public, "Modulo di accesso", login_form)
        .at_with(Method::POST, "/accesso", Policy::Public, "Accesso con nome utente e password", small(post(login)))
        .get("/accesso/codice", Policy::Public, "Modulo del codice di verifica (TOTP)", totp_form)
        .at_with(Method::POST, "/accesso/codice", Policy::Public, "Verifica del codice TOTP", small(post(totp)))
        .post("/esci", Policy::Authenticated, "Uscita (chiude la sessione)", logout)
        .get("/accesso/reimposta/{token}", Policy::Public, "Modulo di reimpostazione della password", reset_form)
        .at_with(
            Method::POST,
            "/accesso/reimposta/{token}",
            Policy::Public,
            "Reimposta la password con un collegamento monouso",
            small(post(reset)),
        )
}

/// The forms anyone can send before logging in hold a name, a password and a code: 16 KiB is
/// plenty, and nobody gets to make the server read 2 MB of "username" (413 past it).
pub(crate) fn small(route: MethodRouter<App>) -> MethodRouter<App> {
    route.layer(DefaultBodyLimit::max(16 * 1024))
}

#[derive(Deserialize, Default)]
struct Next {
    dopo: Option<String>,
}

/// Only a path on this site: never an open redirect. It starts with one `/` (`//host` and
/// `/\\host` name another host), holds no `\\` (browsers read it as `/`) and only visible ASCII:
/// browsers drop tabs and newlines from URLs, so `/<TAB>/evil.example` would become
/// `//evil.example`, and a CR or LF cannot go into a `Location` header at all. The paths the
/// guard sends here are percent-encoded, so a real one always passes. Anything else: the home page.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.bytes().all(|b| b.is_ascii_graphic()) => {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// For pages holding a secret (the TOTP key being enrolled, a reset link's form): never kept by
/// the browser or a proxy. The guard does this for logged-in pages; these come before the login
/// is complete.
fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn with_cookie(mut res: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn login_form(Query(q): Query<Next>) -> LoginPage {
    LoginPage::new(safe_next(q.dopo.as_deref()), None)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    dopo: Option<String>,
}

async fn login(State(app): State<App>, Form(f): Form<LoginForm>) -> WebResult<Response> {
    let caller = access::current();
    let next = safe_next(f.dopo.as_deref());
    match app.login(&f.username, &f.password, caller.ip.as_deref()).await? {
        LoginOutcome::Refused(msg) => Ok((StatusCode::UNAUTHORIZED, LoginPage::new(next, Some(msg.to_string()))).into_response()),
        LoginOutcome::Session(s) => {
            let to = if s.second_factor_due { format!("/accesso/codice?dopo={}", crate::views::encode_segment(&next)) } else { next };
            Ok(with_cookie(Redirect::to(&to).into_response(), &caller.session_cookie(&s.token)))
        }
    }
}

async fn totp_form(State(app): State<App>, headers: HeaderMap, Query(q): Query<Next>) -> WebResult<Response> {
    let Some(sid) = access::cookie(&headers, SESSION_COOKIE) else { return Ok(Redirect::to("/accesso").into_response()) };
    let Some((username, enrol)) = app.pending_second_factor(&sid).await? else { return Ok(Redirect::to("/accesso").into_response()) };
    let secret = enrol.then(|| app.enrolment_secret(&sid));
    Ok(no_store(TotpPage::new(safe_next(q.dopo.as_deref()), &username, secret, None).into_response()))
}

#[derive(Deserialize)]
struct TotpForm {
    codice: String,
    dopo: Option<String>,
}

async fn totp(State(app): State<App>, headers: HeaderMap, Form(f): Form<TotpForm>) -> WebResult<Response> {
    let caller = access::current();
    let next = safe_next(f.dopo.as_deref());
    let Some(sid) = access::cookie(&headers, SESSION_COOKIE) else { return Ok(Redirect::to("/accesso").into_response()) };
    let pending = app.pending_second_factor(&sid).await?;
    match app.second_factor(&sid, &f.codice, caller.ip.as_deref()).await? {
        LoginOutcome::Session(s) => Ok(with_cookie(Redirect::to(&next).into_response(), &caller.session_cookie(&s.token))),
        LoginOutcome::Refused(msg) => {
            let Some((username, enrol)) = pending else { return Ok(Redirect::to("/accesso").into_response()) };
            let secret = enrol.then(|| app.enrolment_secret(&sid));
            Ok(no_store((StatusCode::UNAUTHORIZED, TotpPage::new(next, &username, secret, Some(msg.to_string()))).into_response()))
        }
    }
}

async fn logout(State(app): State<App>, headers: HeaderMap) -> WebResult<Response> {
    let caller = access::current();
    if let Some(sid) = access::cookie(&headers, SESSION_COOKIE) {
        app.logout(&sid, caller.ip.as_deref()).await?;
    }
    Ok(with_cookie(Redirect::to("/accesso").into_response(), &caller.clear_session_cookie()))
}

async fn reset_form(Path(token): Path<String>) -> Response {
    no_store(ResetPage::new(&token, None).into_response())
}

#[derive(Deserialize)]
struct ResetForm {
    password: String,
    conferma: String,
}

async fn reset(State(app): State<App>, Path(token): Path<String>, Form(f): Form<ResetForm>) -> WebResult<Response> {
    if f.password != f.conferma {
        return Ok(no_store(
            (StatusCode::UNPROCESSABLE_ENTITY, ResetPage::new(&token, Some("Le due password non coincidono.".into()))).into_response(),
        ));
    }
    match app.redeem_reset_token(&token, &f.password).await {
        Ok(()) => Ok(Redirect::to("/accesso").into_response()),
        Err(ambito_app::AppError::Invalid(msg)) => {
            Ok(no_store((StatusCode::UNPROCESSABLE_ENTITY, ResetPage::new(&token, Some(msg))).into_response()))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        for good in ["/", "/ambiti/ALTO_SEBINO", "/ambiti/X/persone?cf=RSSMRA85T10A562S&x=%2F%2Fa", "/a/b%20c"] {
            assert_eq!(safe_next(Some(good)), good);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/x\r\nSet-Cookie: a=b",
            "/ok\\..\\",
            "https://evil.example",
            "evil.example",
            "javascript:alert(1)",
            "/a b",
            "/città",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
