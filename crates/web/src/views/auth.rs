//! Login, second factor and password reset pages.

use super::Layout;
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub next: String,
    pub error: Option<String>,
}

impl LoginPage {
    pub fn new(next: String, error: Option<String>) -> LoginPage {
        LoginPage { layout: Layout::new("Accesso"), next, error }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "totp.html")]
pub struct TotpPage {
    pub layout: Layout,
    pub next: String,
    pub username: String,
    /// Shown only while enrolling: the secret to type into an authenticator app.
    pub secret: Option<String>,
    pub otpauth: String,
    pub error: Option<String>,
}

impl TotpPage {
    pub fn new(next: String, username: &str, secret: Option<String>, error: Option<String>) -> TotpPage {
        let otpauth = secret.as_ref().map(|s| format!("otpauth://totp/ambito:{username}?secret={s}&issuer=ambito")).unwrap_or_default();
        TotpPage { layout: Layout::new("Codice di verifica"), next, username: username.to_string(), secret, otpauth, error }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reset.html")]
pub struct ResetPage {
    pub layout: Layout,
    pub token: String,
    pub error: Option<String>,
}

impl ResetPage {
    pub fn new(token: &str, error: Option<String>) -> ResetPage {
        ResetPage { layout: Layout::new("Nuova password"), token: token.to_string(), error }
    }
}
