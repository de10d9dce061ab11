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

pub use client::{LoginError, VerifiedClaims};
pub use config::{ConfigError, OidcConfig, ProviderConfig};

use ambito_app::App;
use axum::extract::{Extension, Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Router, extract::State};
use client::{Callback, RelyingParty};
use pending::PendingLogins;
use std::sync::Arc;

const COOKIE: &str = "ambito_oidc";
const COOKIE_PATH: &str = "/accesso/oidc";

/// The configured providers and the logins in flight.
pub struct Oidc {
    config: Result<OidcConfig, String>,
    rp: RelyingParty,
    pending: PendingLogins,
}

impl Oidc {
    pub fn new(config: OidcConfig) -> Oidc {
        Oidc { config: Ok(config), rp: RelyingParty::default(), pending: PendingLogins::default() }
    }

    /// From `AMBITO_OIDC_CONFIG`. A broken file is logged and every OIDC login then fails
    /// (the rest of the site keeps working).
    pub fn from_env() -> Oidc {
        match OidcConfig::from_env() {
            Ok(c) => Oidc::new(c),
            Err(e) => {
                tracing::error!(error = %e, "OIDC configuration rejected: OIDC login disabled");
                Oidc { config: Err(e.to_string()), rp: RelyingParty::default(), pending: PendingLogins::default() }
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

/// The OIDC routes, configured from the environment.
pub fn router() -> Router<App> {
    router_with(Arc::new(Oidc::from_env()))
}

pub fn router_with(oidc: Arc<Oidc>) -> Router<App> {
    Router::new()
        .route("/accesso/oidc/{provider}", get(start))
        .route("/accesso/oidc/{provider}/callback", get(callback))
        .layer(Extension(oidc))
}

async fn start(Extension(oidc): Extension<Arc<Oidc>>, Path(provider): Path<String>) -> Response {
    let Some(p) = oidc.provider(&provider) else {
        return refusal(StatusCode::NOT_FOUND, &format!("unknown provider {provider}"), None);
    };
    match oidc.rp.start(p).await {
        Ok((url, pending)) => {
            let key = oidc.pending.insert(pending);
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
    let pending = cookie(&headers, COOKIE).and_then(|key| oidc.pending.take(&key));
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

/// What happens once the provider's word is verified. Until sessions exist this only shows whom
/// the provider vouched for; with sessions it links the codice fiscale to a staff user or a person
/// and logs them in, refusing unknown ones with the same generic page as any other failure.
pub async fn on_verified_login(_app: &App, claims: VerifiedClaims) -> Response {
    let Some(cf) = claims.fiscal_code.as_deref() else {
        return refusal(StatusCode::FORBIDDEN, &format!("provider {} sent no valid fiscal code", claims.provider), None);
    };
    let who = claims.name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
    page(StatusCode::OK, "Accesso verificato", &format!("Accesso verificato per CF {cf}{who}."), None)
}

/// One page for every failure. `cause` goes to the log only.
fn refusal(status: StatusCode, cause: &str, clear_cookie: Option<&str>) -> Response {
    tracing::warn!(%cause, "OIDC login refused");
    page(status, "Accesso non riuscito", "Non è stato possibile completare l'accesso. Riprovare dall'inizio.", clear_cookie)
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
