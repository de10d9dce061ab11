//! A cookie-keeping HTTP client that logs in like a browser: login form, CSRF tokens, TOTP.

use reqwest::StatusCode;

pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
}

/// The value of the first `_csrf` hidden field in a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    html.split(marker).nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default().to_string()
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

pub fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers().get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        let first = c.split(';').next()?;
        let (k, v) = first.split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// A TOTP code for `username` on the server at `base` whose 30-second step no earlier call used:
/// the server accepts each step once, so a second login within the same step waits for the next.
pub async fn fresh_code(base: &str, username: &str, secret: &str) -> String {
    static USED: std::sync::Mutex<Vec<(String, String, u64)>> = std::sync::Mutex::new(Vec::new());
    loop {
        let now = unix_now();
        let step = now / 30;
        {
            let mut used = USED.lock().expect("lock");
            let last = used.iter().filter(|(b, u, _)| b == base && u == username).map(|e| e.2).max();
            if last.is_none_or(|l| step > l) {
                used.push((base.to_string(), username.to_string(), step));
                return ambito_app::access::totp_code(secret, now).expect("code");
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis((step + 1) * 30_000 - now * 1000 + 200)).await;
    }
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().expect("client");
        Browser { base: base.to_string(), client }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.expect("GET")
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(format!("{}{path}", self.base)).form(form).send().await.expect("POST")
    }

    /// The CSRF token of the page at `path`.
    pub async fn csrf(&self, path: &str) -> String {
        csrf_of(&self.get(path).await.text().await.expect("body"))
    }

    /// Password step; returns the response (303 to the TOTP page or back to `dopo`, or 401).
    pub async fn password(&self, username: &str, password: &str) -> reqwest::Response {
        let csrf = self.csrf("/accesso").await;
        self.post("/accesso", &[("username", username), ("password", password), ("dopo", "/"), ("_csrf", &csrf)]).await
    }

    /// Full login with password and, when asked, a TOTP code from `secret`.
    pub async fn login(&self, username: &str, password: &str, secret: Option<&str>) -> StatusCode {
        let res = self.password(username, password).await;
        if res.status() != StatusCode::SEE_OTHER {
            return res.status();
        }
        if !location(&res).starts_with("/accesso/codice") {
            return res.status();
        }
        let page = self.get("/accesso/codice").await.text().await.expect("body");
        let secret = secret.map(str::to_string).unwrap_or_else(|| {
            // Enrolment: the page shows the new key.
            let marker = "data-testid=\"totp-secret\">";
            page.split(marker).nth(1).and_then(|r| r.split('<').next()).unwrap_or_default().to_string()
        });
        let code = fresh_code(&self.base, username, &secret).await;
        let res = self.post("/accesso/codice", &[("codice", &code), ("dopo", "/"), ("_csrf", &csrf_of(&page))]).await;
        res.status()
    }
}
