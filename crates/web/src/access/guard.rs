//! The middleware in front of every route: who is calling, is the CSRF token right, does the
//! route's policy allow it, and the audit entry for personal data and exports.

use super::csrf::{CSRF_COOKIE, cookie, same, sent_token};
use super::{CALLER, Caller, Policy, RouteSpec, WebConfig};
use ambito_app::App;
use ambito_app::access::AuditEvent;
use ambito_domain::access::{Perm, PersonDecision, Principal};
use ambito_domain::ids::{AmbitoScope, PersonId};
use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, RawPathParams, State};
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "ambito_sid";

pub(crate) struct GuardState {
    pub app: App,
    pub specs: Arc<Vec<RouteSpec>>,
    pub web: WebConfig,
    pub refusals: super::refusals::RefusalLimiter,
}

enum Verdict {
    Allow {
        person: Option<i64>,
        /// The Ambito named in the audit entry (person routes only, as before scopes existed).
        ambito: Option<String>,
        /// The route's Ambito, resolved once here and handed to the handler (`Tenant`).
        scope: Option<AmbitoScope>,
        flagged: bool,
    },
    /// Not logged in (or the session has ended).
    Login,
    Deny,
    NeedBreakGlass {
        code: String,
        person: i64,
    },
}

pub(crate) async fn guard(state: State<Arc<GuardState>>, params: RawPathParams, req: Request<Body>, next: Next) -> Response {
    // A read changes no access facts, so the guard's decision and the page's own ones share
    // them (loaded once per person); a write decides afresh each time.
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        ambito_app::access::memo::read_only(guard_request(state, params, req, next)).await
    } else {
        guard_request(state, params, req, next).await
    }
}

async fn guard_request(State(state): State<Arc<GuardState>>, params: RawPathParams, req: Request<Body>, next: Next) -> Response {
    let method = if req.method() == Method::HEAD { Method::GET } else { req.method().clone() };
    let path = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_default();
    let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| {
        let forwarded = req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        super::client_ip::client_ip(c.0.ip(), forwarded, &state.web.trusted_proxies).to_string()
    });
    let uri = req.uri().path().to_string();
    let refusal = |principal: Option<Principal>, why: &'static str| Refusal {
        principal,
        ip: ip.clone(),
        route: format!("{method} {path}"),
        uri: uri.clone(),
        why,
    };
    let Some(spec) = state.specs.iter().find(|s| s.method == method && s.path == path).cloned() else {
        // Every handler is registered with its policy, so another method on a known path has no
        // handler at all: 405 with the methods there are, as HTTP says, and nothing runs.
        let allowed: Vec<&str> = state.specs.iter().filter(|s| s.path == path).map(|s| s.method.as_str()).collect();
        if !allowed.is_empty() {
            return method_not_allowed(&path, &allowed);
        }
        tracing::warn!(%path, %method, "route without an access policy: denied");
        refusal(None, "rotta senza regola di accesso").audit(&state, None).await;
        return deny(&path);
    };
    let api = path.starts_with("/api/");
    let params: Vec<(String, String)> = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());

    // Who is calling: an API token, else a session cookie.
    let bearer =
        req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::to_string);
    let mut caller = Caller { ip: ip.clone(), secure_cookies: state.web.secure_cookies, ..Caller::default() };
    let mut new_csrf_cookie = None;
    if let Some(token) = &bearer {
        match state.app.api_principal(token).await {
            Ok(Some(p)) => caller.principal = Some(p),
            Ok(None) => return unauthorized(api),
            Err(e) => return internal(e),
        }
    } else if let Some(sid) = cookie(req.headers(), SESSION_COOKIE) {
        match state.app.session(&sid).await {
            Ok(Some(s)) if !s.second_factor_due => {
                caller.principal = Some(s.principal);
                caller.display_name = s.display_name;
                caller.csrf = s.csrf;
            }
            Ok(_) => {}
            Err(e) => return internal(e),
        }
    }
    // The anonymous questionnaire sets no cookie at all: the respondent stays untraceable.
    if (caller.principal.is_none() || bearer.is_some()) && spec.policy != Policy::Capability {
        // Anonymous forms use a double-submit cookie, created on first sight.
        caller.csrf = match cookie(req.headers(), CSRF_COOKIE) {
            Some(c) if c.len() == 64 => c,
            _ => {
                let fresh = ambito_app::access::fresh_token();
                new_csrf_cookie = Some(fresh.clone());
                fresh
            }
        };
    }

    // Every state-changing request made with a cookie must carry the token.
    let mut req = req;
    // A JSON body sent with no cookie at all carries no ambient authority to abuse, and browsers
    // cannot send JSON cross-site without a preflight we never grant: such API calls skip CSRF.
    let json_without_cookie = req.headers().get(header::COOKIE).is_none()
        && req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("application/json"));
    if !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS)
        && bearer.is_none()
        && spec.policy != Policy::Capability
        && !json_without_cookie
    {
        let (sent, r) = sent_token(req).await;
        req = r;
        if !sent.is_some_and(|t| same(&t, &caller.csrf)) || new_csrf_cookie.is_some() {
            refusal(caller.principal.clone(), "token CSRF mancante o non valido").audit(&state, param("code")).await;
            return (StatusCode::FORBIDDEN, "Richiesta rifiutata: token CSRF mancante o non valido. Ricaricare la pagina e riprovare.")
                .into_response();
        }
    }

    let verdict = match decide(&state.app, &spec, caller.principal.as_ref(), &param).await {
        Ok(v) => v,
        Err(e) => return internal(e),
    };
    let (person, ambito, flagged) = match verdict {
        Verdict::Allow { person, ambito, scope, flagged } => {
            if let Some(scope) = scope {
                caller.ambito_id = Some(scope.id.get());
                req.extensions_mut().insert(scope);
            }
            (person, ambito, flagged)
        }
        Verdict::Login if api => return unauthorized(true),
        Verdict::Login => {
            let next = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
            return Redirect::to(&format!("/accesso?dopo={}", crate::views::encode_segment(&next))).into_response();
        }
        Verdict::Deny => {
            refusal(caller.principal.clone(), "profilo senza il permesso richiesto").audit(&state, param("code")).await;
            return deny(&path);
        }
        Verdict::NeedBreakGlass { code, person } if api => return crate::problem::break_glass(&code, person),
        Verdict::NeedBreakGlass { code, person } => return crate::staff::persons::break_glass_page(&code, person, &caller),
    };

    if let Some(p) = caller.principal.as_ref().filter(|_| person.is_some() || spec.audited) {
        let action = match (person.is_some(), &method) {
            (true, &Method::GET) => "person.read",
            (true, _) => "person.write",
            (false, _) => "export",
        };
        let ev = AuditEvent {
            user_id: Some(p.user_id),
            username: p.username.clone(),
            action: action.into(),
            object: req.uri().path().to_string(),
            person_id: person,
            ambito,
            ip: ip.clone(),
            reason: None,
            flagged,
        };
        if let Err(e) = state.app.audit(ev).await {
            // No audit entry, no access: the log must be complete.
            return internal(e);
        }
    }

    let authenticated = caller.principal.is_some();
    let refused = refusal(caller.principal.clone(), "rifiutato dalla pagina");
    let mut res = CALLER.scope(caller, next.run(req)).await;
    if res.status() == StatusCode::FORBIDDEN {
        refused.audit(&state, param("code")).await;
    }
    if framework_rejection(&res) {
        res = generic_rejection(res.status(), api);
    }
    let h = res.headers_mut();
    if authenticated && !h.contains_key(header::CACHE_CONTROL) {
        // Pages for a logged-in user never go to shared or disk caches.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Some(token) = new_csrf_cookie {
        let secure = if state.web.secure_cookies { "; Secure" } else { "" };
        if let Ok(v) = HeaderValue::from_str(&format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")) {
            h.append(header::SET_COOKIE, v);
        }
    }
    res
}

async fn decide(
    app: &App,
    spec: &RouteSpec,
    p: Option<&Principal>,
    param: &impl Fn(&str) -> Option<String>,
) -> ambito_app::Result<Verdict> {
    let allow = Verdict::Allow { person: None, ambito: None, scope: None, flagged: false };
    if matches!(spec.policy, Policy::Public | Policy::Capability) {
        return Ok(allow);
    }
    let Some(p) = p else { return Ok(Verdict::Login) };
    let ambito = |code: Option<String>| async move {
        match code {
            Some(c) => app.find_ambito_scope(&c).await,
            None => Ok(None),
        }
    };
    Ok(match spec.policy {
        Policy::Public | Policy::Capability | Policy::Authenticated => allow,
        Policy::Global(perm) => {
            if p.may(perm, None) {
                allow
            } else {
                Verdict::Deny
            }
        }
        Policy::OwnData => {
            if p.person_id.is_some() && p.may(Perm::SelfRead, None) {
                Verdict::Allow { person: p.person_id, ambito: None, scope: None, flagged: false }
            } else {
                Verdict::Deny
            }
        }
        Policy::Ambito(perms) => match ambito(param("code")).await? {
            Some(scope) if perms.iter().any(|perm| p.may(*perm, Some(scope.id.get()))) => {
                Verdict::Allow { person: None, ambito: None, scope: Some(scope), flagged: false }
            }
            // An unknown Ambito is a 404 only for someone who could see any Ambito; to everyone
            // else it looks like one they may not open, so codes cannot be probed.
            None if perms.iter().any(|perm| p.may(*perm, None)) => allow,
            _ => Verdict::Deny,
        },
        Policy::Person(_) | Policy::BreakGlass => {
            let (Some(scope), Some(person)) = (ambito(param("code")).await?, param("person").and_then(|v| v.parse::<PersonId>().ok()))
            else {
                return Ok(Verdict::Deny);
            };
            let perm = if let Policy::Person(perm) = spec.policy { perm } else { Perm::PersonRead };
            let allow = |flagged| Verdict::Allow {
                person: Some(person.get()),
                ambito: Some(scope.code.clone()),
                scope: Some(scope.clone()),
                flagged,
            };
            match (app.person_decision(p, perm, scope.id, person).await?, spec.policy) {
                (PersonDecision::Allow, Policy::Person(_)) => allow(false),
                (PersonDecision::AllowBreakGlass, Policy::Person(_)) => allow(true),
                (PersonDecision::NeedBreakGlass, Policy::Person(_)) => Verdict::NeedBreakGlass { code: scope.code, person: person.get() },
                (PersonDecision::NeedBreakGlass, Policy::BreakGlass) => allow(true),
                _ => Verdict::Deny,
            }
        }
    })
}

/// A refused request, for the audit log.
struct Refusal {
    principal: Option<Principal>,
    ip: Option<String>,
    /// Method and route pattern: the unit of the rate limit.
    route: String,
    uri: String,
    why: &'static str,
}

impl Refusal {
    /// Writes `access.denied`, unless this caller has had too many on this route this minute
    /// (see `refusals`). A failure to write is logged: the request is refused anyway.
    async fn audit(self, state: &GuardState, ambito: Option<String>) {
        let caller = match (&self.principal, &self.ip) {
            (Some(p), _) => format!("u:{}", p.user_id),
            (None, Some(ip)) => format!("ip:{ip}"),
            (None, None) => "?".to_string(),
        };
        let Some(left_out) = state.refusals.admit(&caller, &self.route, std::time::Instant::now()) else { return };
        let reason = if left_out > 0 {
            format!("{}; altri {left_out} rifiuti dello stesso tipo non registrati (limite di frequenza)", self.why)
        } else {
            self.why.to_string()
        };
        let ev = AuditEvent {
            user_id: self.principal.as_ref().map(|p| p.user_id),
            username: self.principal.map(|p| p.username).unwrap_or_else(|| "(anonimo)".into()),
            action: "access.denied".into(),
            object: self.uri,
            ambito,
            ip: self.ip,
            reason: Some(reason),
            ..AuditEvent::default()
        };
        if let Err(e) = state.app.audit(ev).await {
            tracing::error!(error = %e, "refused access not written to the audit log");
        }
    }
}

/// axum's extractors answer a malformed form, query, path or JSON body with a plain-text 4xx
/// naming Rust types ("Failed to deserialize form body: … `i64`"); our handlers never answer in
/// plain text, so such a response is one of those.
fn framework_rejection(res: &Response) -> bool {
    res.status().is_client_error()
        && res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("text/plain"))
}

/// The same status with a generic Italian message and nothing of the internals.
fn generic_rejection(status: StatusCode, api: bool) -> Response {
    const MESSAGE: &str = "La richiesta non è stata compresa: controllare i dati inviati e riprovare.";
    if api {
        return crate::problem::response(status, "Richiesta non valida", MESSAGE);
    }
    let page = crate::views::home::ErrorPage::new("Richiesta non valida", MESSAGE);
    let body = askama::Template::render(&page).unwrap_or_else(|_| MESSAGE.into());
    (status, axum::response::Html(body)).into_response()
}

fn deny(path: &str) -> Response {
    if path.starts_with("/api/") {
        return crate::problem::response(StatusCode::FORBIDDEN, "Accesso negato", "accesso negato");
    }
    let page =
        crate::views::home::ErrorPage::new("Accesso negato", "Il profilo con cui si è entrati non consente di aprire questa pagina.");
    let body = askama::Template::render(&page).unwrap_or_else(|_| "Accesso negato".into());
    (StatusCode::FORBIDDEN, axum::response::Html(body)).into_response()
}

fn method_not_allowed(path: &str, allowed: &[&str]) -> Response {
    let mut methods: Vec<&str> = allowed.to_vec();
    if methods.contains(&"GET") {
        methods.push("HEAD");
    }
    let detail = format!("metodo non consentito: usare {}", methods.join(", "));
    let mut res = if path.starts_with("/api/") {
        crate::problem::response(StatusCode::METHOD_NOT_ALLOWED, "Metodo non consentito", &detail)
    } else {
        (StatusCode::METHOD_NOT_ALLOWED, detail).into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&methods.join(", ")) {
        res.headers_mut().insert(header::ALLOW, v);
    }
    res
}

fn unauthorized(api: bool) -> Response {
    if api {
        let mut res = crate::problem::response(StatusCode::UNAUTHORIZED, "Autenticazione richiesta", "autenticazione richiesta");
        res.headers_mut().insert(header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        return res;
    }
    Redirect::to("/accesso").into_response()
}

fn internal(e: ambito_app::AppError) -> Response {
    crate::error::WebError::from(e).into_response()
}
