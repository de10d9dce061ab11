//! OpenID Connect login (relying party) for staff and citizens: SPID and CIE arrive through an
//! OIDC gateway (see docs/ARCHITECTURE.md, "SPID and CIE"), any other OIDC provider directly.
//!
//! - `GET /accesso/oidc/{provider}`: remembers state, nonce and PKCE verifier server-side under a
//!   short-lived cookie and sends the browser to the provider;
//! - `GET /accesso/oidc/{provider}/callback`: checks everything and hands the verified claims to
//!   [`on_verified_login`].
//!
//! Every failure gives the same page: the user learns nothing about accounts or about which check
//! failed; the log says which.

mod client;
pub mod config;
mod pending;

pub use client::{LoginError, VerifiedClaims, map_claims};
pub use config::{ConfigError, OidcConfig, ProviderConfig};

use crate::access::{Policy, Routes};
use ambito_app::App;
use axum::extract::State;
use axum::extract::{Extension, Path, Query};
use axum::http::Method;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use client::{Callback, RelyingParty};
use std::sync::Arc;

const COOKIE: &str = "ambito_oidc";
const COOKIE_PATH: &str = "/accesso/oidc";

/// The configured providers and the relying party that talks to them.
pub struct Oidc {
    config: Result<OidcConfig, String>,
    rp: RelyingParty,
}

impl Oidc {
    pub fn new(config: OidcConfig) -> Oidc {
        Oidc { config: Ok(config), rp: RelyingParty::default() }
    }

    /// From `AMBITO_OIDC_CONFIG`. A broken file is logged and every OIDC login then fails
    /// (the rest of the site keeps working).
    pub fn from_env() -> Oidc {
        match OidcConfig::from_env() {
            Ok(c) => Oidc::new(c),
            Err(e) => {
                tracing::error!(error = %e, "OIDC configuration rejected: OIDC login disabled");
                Oidc { config: Err(e.to_string()), rp: RelyingParty::default() }
            }
        }
    }

    /// The configured providers, for the login page: (name, label, start URL).
    pub fn providers(&self) -> Vec<(String, String, String)> {
        match &self.config {
            Ok(c) => c.providers.iter().map(|p| (p.name.clone(), p.label.clone(), format!("{COOKIE_PATH}/{}", p.name))).collect(),
            Err(_) => vec![],
        }
    }

    fn provider(&self, name: &str) -> Option<&ProviderConfig> {
        self.config.as_ref().ok()?.provider(name)
    }
}

/// The OIDC routes, configured from the environment. Public: they are how one logs in.
pub fn routes() -> Routes {
    routes_with(Arc::new(Oidc::from_env()))
}

pub fn routes_with(oidc: Arc<Oidc>) -> Routes {
    Routes::new()
        .at_with(
            Method::GET,
            "/accesso/oidc/{provider}",
            Policy::Public,
            "Accesso con SPID, CIE o un altro provider OpenID Connect",
            get(start).layer(Extension(oidc.clone())),
        )
        .at_with(
            Method::GET,
            "/accesso/oidc/{provider}/callback",
            Policy::Public,
            "Ritorno dal provider OpenID Connect",
            get(callback).layer(Extension(oidc)),
        )
}

async fn start(State(app): State<App>, Extension(oidc): Extension<Arc<Oidc>>, Path(provider): Path<String>) -> Response {
    let Some(p) = oidc.provider(&provider) else {
        return refusal(StatusCode::NOT_FOUND, &format!("unknown provider {provider}"), None);
    };
    match oidc.rp.start(p).await {
        Ok((url, pending)) => {
            let key = match pending::insert(&app, pending).await {
                Ok(key) => key,
                Err(e) => return refusal(StatusCode::INTERNAL_SERVER_ERROR, &format!("storing the login in flight: {e}"), None),
            };
            let secure = if p.redirect_url.starts_with("https:") { "; Secure" } else { "" };
            // Lax, not Strict: the callback is a top-level navigation coming from the provider.
            let cookie = format!("{COOKIE}={key}; Path={COOKIE_PATH}; Max-Age={}; HttpOnly; SameSite=Lax{secure}", pending::TTL.as_secs());
            let mut res = Redirect::to(&url).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(e) => refusal(StatusCode::BAD_GATEWAY, &format!("provider {provider}: {e}"), None),
    }
}

async fn callback(
    State(app): State<App>,
    Extension(oidc): Extension<Arc<Oidc>>,
    Path(provider): Path<String>,
    Query(cb): Query<Callback>,
    headers: HeaderMap,
) -> Response {
    let clear = format!("{COOKIE}=; Path={COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax");
    let Some(p) = oidc.provider(&provider) else {
        return refusal(StatusCode::NOT_FOUND, &format!("unknown provider {provider}"), Some(&clear));
    };
    let pending = match cookie(&headers, COOKIE) {
        Some(key) => match pending::take(&app, &key).await {
            Ok(p) => p,
            Err(e) => return refusal(StatusCode::INTERNAL_SERVER_ERROR, &format!("reading the login in flight: {e}"), Some(&clear)),
        },
        None => None,
    };
    let verified = match pending {
        None => Err(LoginError::NoPendingLogin),
        Some(pending) => oidc.rp.finish(p, pending, cb).await,
    };
    let mut res = match verified {
        Ok(claims) => {
            tracing::info!(provider = %claims.provider, subject = %claims.subject, "OIDC login verified");
            on_verified_login(&app, claims).await
        }
        Err(e) => return refusal(StatusCode::FORBIDDEN, &format!("provider {provider}: {e}"), Some(&clear)),
    };
    if let Ok(v) = HeaderValue::from_str(&clear) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// What happens once the provider's word is verified: the codice fiscale names a staff user (or,
/// later, a person), who gets a session. An unknown or suspended one gets the same refusal as a
/// wrong password, so the page says nothing about which accounts exist.
pub async fn on_verified_login(app: &App, claims: VerifiedClaims) -> Response {
    let Some(cf) = claims.fiscal_code.as_deref() else {
        return refusal(StatusCode::FORBIDDEN, &format!("provider {} sent no valid fiscal code", claims.provider), None);
    };
    let user = match app.user_by_codice_fiscale(cf).await {
        Ok(Some(u)) => u,
        Ok(None) => return refusal(StatusCode::FORBIDDEN, &format!("provider {}: no user with this fiscal code", claims.provider), None),
        Err(e) => return refusal(StatusCode::INTERNAL_SERVER_ERROR, &format!("user look-up: {e}"), None),
    };
    let caller = crate::access::current();
    let session = match app.login_verified(user.id, &claims.provider, caller.ip.as_deref()).await {
        Ok(s) => s,
        Err(e) => return refusal(StatusCode::FORBIDDEN, &format!("provider {}: {e}", claims.provider), None),
    };
    // The session cookie is SameSite=Strict: set on a response to a navigation that started at the
    // provider, it would not be sent with a redirect; a page that moves on by itself starts anew.
    let body = format!(
        "<!DOCTYPE html><html lang=\"it\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url=/\">\
         <title>Accesso eseguito · ambito</title></head><body><p>Accesso eseguito come {}. <a href=\"/\">Continua</a></p></body></html>",
        askama_escape(&user.display_name)
    );
    let mut res = (StatusCode::OK, Html(body)).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&caller.session_cookie(&session.token)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

fn askama_escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// One page for every failure, with the text of a refused password login. `cause` goes to the
/// log only.
fn refusal(status: StatusCode, cause: &str, clear_cookie: Option<&str>) -> Response {
    tracing::warn!(%cause, "OIDC login refused");
    page(status, "Accesso non riuscito", ambito_app::access::LOGIN_REFUSED, clear_cookie)
}

fn page(status: StatusCode, title: &str, detail: &str, set_cookie: Option<&str>) -> Response {
    let body = askama::Template::render(&crate::views::home::ErrorPage::new(title, detail)).unwrap_or_else(|_| detail.to_string());
    let mut res = (status, Html(body)).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(c) = set_cookie
        && let Ok(v) = HeaderValue::from_str(c)
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}
