//! The one place where access is decided. Every route is registered through [`Routes`] with a
//! [`Policy`]; the [`guard`] middleware looks the matched route up and refuses anything without a
//! policy (default deny), so a route added any other way answers 403.

pub mod client_ip;
mod csrf;
mod guard;
mod refusals;
mod tenant;

pub(crate) use csrf::cookie;
pub use csrf::{CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER};
pub use guard::SESSION_COOKIE;
use guard::guard;
pub use tenant::Tenant;

use ambito_app::App;
use ambito_domain::access::{Perm, Principal};
use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter, on};
use std::sync::Arc;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Anyone, logged in or not (login, health check, the public questionnaire page).
    Public,
    /// Anyone holding an unguessable link (the anonymous questionnaire): the token in the URL is
    /// the credential, so there is no session and no CSRF token to check.
    Capability,
    /// Any logged-in user.
    Authenticated,
    /// A permission held for every Ambito (an unscoped grant).
    Global(Perm),
    /// Any of these permissions in the Ambito named by the `{code}` path segment.
    Ambito(&'static [Perm]),
    /// A permission on the person named by `{person}`, inside the Ambito `{code}`; every call is
    /// written to the audit log.
    Person(Perm),
    /// The break-glass request itself: allowed when the care-team rule is the only obstacle.
    BreakGlass,
    /// A citizen's own data.
    OwnData,
}

/// One registered route: what the authorization matrix test and the OpenAPI document enumerate.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub policy: Policy,
    pub summary: &'static str,
    /// Downloads and exports are audited even when they carry no person's data.
    pub audited: bool,
}

/// A router that cannot take a route without a policy.
pub struct Routes {
    router: Router<App>,
    specs: Vec<RouteSpec>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes { router: Router::new(), specs: Vec::new() }
    }
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    /// Registers `handler` for `method` on `path`, with its policy and a one-line summary.
    pub fn at<H, T>(self, method: Method, path: &'static str, policy: Policy, summary: &'static str, handler: H) -> Routes
    where
        H: Handler<T, App>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        self.at_with(method, path, policy, summary, on(filter, handler))
    }

    /// As [`Routes::at`], for a method router that carries its own layers (e.g. a body limit).
    pub fn at_with(mut self, method: Method, path: &'static str, policy: Policy, summary: &'static str, mr: MethodRouter<App>) -> Routes {
        self.specs.push(RouteSpec { method, path, policy, summary, audited: false });
        self.router = self.router.route(path, mr);
        self
    }

    pub fn get<H: Handler<T, App>, T: 'static>(self, path: &'static str, policy: Policy, summary: &'static str, h: H) -> Routes {
        self.at(Method::GET, path, policy, summary, h)
    }

    pub fn post<H: Handler<T, App>, T: 'static>(self, path: &'static str, policy: Policy, summary: &'static str, h: H) -> Routes {
        self.at(Method::POST, path, policy, summary, h)
    }

    /// Marks the last registered route as audited (downloads, exports).
    pub fn audited(mut self) -> Routes {
        if let Some(last) = self.specs.last_mut() {
            last.audited = true;
        }
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.specs.extend(other.specs);
        self.router = self.router.merge(other.router);
        self
    }

    pub fn specs(&self) -> &[RouteSpec] {
        &self.specs
    }

    /// The axum router with the guard in front of every route.
    pub fn into_router(self, app: App, web: WebConfig) -> (Router, Arc<Vec<RouteSpec>>) {
        let specs = Arc::new(self.specs);
        let state = Arc::new(guard::GuardState { app: app.clone(), specs: specs.clone(), web, refusals: Default::default() });
        let router = self.router.route_layer(axum::middleware::from_fn_with_state(state, guard)).with_state(app);
        (router, specs)
    }
}

/// Settings of the HTTP shell.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// The server is behind TLS: cookies get the `Secure` flag, responses HSTS.
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see [`client_ip`]).
    pub trusted_proxies: Vec<client_ip::Cidr>,
    pub limits: crate::ServerLimits,
}

/// The caller of the current request, as the guard resolved it.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    pub principal: Option<Principal>,
    pub display_name: String,
    /// The token every state-changing form must send back.
    pub csrf: String,
    pub ip: Option<String>,
    /// Cookies set for this caller get the `Secure` flag.
    pub secure_cookies: bool,
    /// The id of the route's Ambito, once the guard resolved it.
    pub ambito_id: Option<i64>,
}

impl Caller {
    pub fn user(&self) -> Option<&Principal> {
        self.principal.as_ref()
    }
}

impl Caller {
    /// A `Set-Cookie` value for the session: HttpOnly, SameSite=Strict, Secure behind TLS.
    pub fn session_cookie(&self, token: &str) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")
    }

    pub fn clear_session_cookie(&self) -> String {
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
    }
}

tokio::task_local! {
    /// The caller, visible to page layouts without threading it through every handler.
    pub static CALLER: Caller;
}

/// The current caller (empty outside a request).
pub fn current() -> Caller {
    CALLER.try_with(Clone::clone).unwrap_or_default()
}
