//! ambito-web: the HTTP shell, in three surfaces that all register their routes through
//! [`access::Routes`] (one guard, one route table):
//!
//! - `staff`: the Italian HTML pages for staff (Bootstrap Italia, embedded, no CDN);
//! - `portal`: the citizens' own area and the anonymous questionnaire page;
//! - `api`: JSON under `/api/v1`, errors as problem documents, described by OpenAPI.
//!
//! Shared: [`views`] (askama templates and the [`views::Layout`]), [`assets`] (`/static/...`),
//! `auth` and `oidc` (logins), `uploads` (spooling), `error`/`problem` (error answers) and
//! [`with_security_headers`] (CSP and friends on every response).

pub mod access;
mod api;
pub mod assets;
mod auth;
mod error;
pub mod oidc;
mod openapi;
mod portal;
mod problem;
mod server;
mod staff;
mod uploads;
pub mod views;

pub use access::{Policy, RouteSpec, Routes, WebConfig, client_ip};
pub use server::ServerLimits;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

/// Content-Security-Policy applied to every response. Bootstrap Italia works
/// under it: no inline scripts/styles are needed (fonts come from the static
/// `fonts.css` instead of `bootstrap.loadFonts()`, which injects `<style>`).
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Response middleware adding the security headers (kept if a handler
/// already set them).
pub async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    let pairs: [(HeaderName, &'static str); 4] = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in pairs {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

/// Wraps a router with [`security_headers`]. Apply it last, on the fully
/// assembled router (including [`assets::router`]).
pub fn with_security_headers<S>(router: Router<S>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router.layer(axum::middleware::map_response(security_headers))
}

/// Serves the application until the process is stopped, with the timeouts and connection limit
/// of `web.limits`.
pub async fn serve(listener: tokio::net::TcpListener, app: ambito_app::App, web: WebConfig) -> std::io::Result<()> {
    uploads::sweep();
    let limits = web.limits;
    // The job queue's workers run beside the server and stop with it.
    let _workers = app.start_job_workers(app.job_workers_per_server());
    server::run(listener, router_with(app, web), limits).await
}

/// Every route of the application with its access policy: what the router is built from.
pub fn all_routes() -> Routes {
    staff::routes().merge(auth::routes()).merge(portal::routes()).merge(oidc::routes()).merge(api::routes())
}

/// The route table, for tests and documentation.
pub fn route_specs() -> Vec<RouteSpec> {
    all_routes().specs().to_vec()
}

/// The whole HTTP surface: pages, downloads, JSON API and static assets (static files are public
/// and sit outside the guard).
pub fn router(app: ambito_app::App) -> Router {
    router_with(app, WebConfig::default())
}

pub fn router_with(app: ambito_app::App, web: WebConfig) -> Router {
    let behind_tls = web.secure_cookies;
    let (routes, _) = all_routes().into_router(app, web);
    let router = routes
        .merge(assets::router())
        .fallback(unknown_path)
        .layer(axum::middleware::from_fn(problem::api_problems))
        .layer(tower_http::trace::TraceLayer::new_for_http());
    let router = with_security_headers(router);
    if behind_tls { router.layer(axum::middleware::map_response(strict_transport_security)) } else { router }
}

/// A path no route serves: the error page (a problem document under `/api/`), instead of an
/// empty body. It reads nothing, so it needs no access policy.
async fn unknown_path() -> error::WebError {
    error::WebError::NotFound("La pagina richiesta non esiste.".into())
}

/// Behind TLS, browsers are told to come back over HTTPS only, for a year, subdomains included.
/// Never without TLS: over plain HTTP the header is meaningless and would break a LAN setup.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

async fn strict_transport_security(mut response: Response) -> Response {
    response.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    response
}

/// The report as a self-contained HTML file (for `ambito report annual --format html`).
pub fn annual_report_document(report: &ambito_domain::report::AnnualReport) -> String {
    let doc = views::report::ReportDocument { body: views::report::Body::new(report) };
    askama::Template::render(&doc).unwrap_or_else(|e| format!("<!DOCTYPE html><p>Errore: {e}</p>"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    #[tokio::test]
    async fn static_assets_have_type_cache_and_etag() {
        let app: Router = with_security_headers(assets::router());
        let res = app
            .clone()
            .oneshot(Request::get("/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "text/css; charset=utf-8");
        assert_eq!(res.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
        let etag = res.headers()[header::ETAG].clone();

        let res = app
            .clone()
            .oneshot(
                Request::get("/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css")
                    .header(header::IF_NONE_MATCH, etag)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

        let res = app.oneshot(Request::get("/static/nope.css").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
}
