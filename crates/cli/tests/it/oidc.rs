//! OpenID Connect login against a real provider (npm `oidc-provider`, e2e/oidc/provider.mjs)
//! started here, with the real `ambito` binary as relying party. The browser is a cookie-keeping
//! HTTP client that follows redirects by hand, so a test can stop at the callback and tamper.
//! Misbehaving tokens come from the provider itself, signed with its real key (see provider.mjs).

use crate::procs::{self, Proc};
use crate::support::TestDb;
use std::time::Duration;

struct Fixture {
    rp: String,
    listen: String,
    config: std::path::PathBuf,
    _server: Proc,
    _provider: Proc,
    _dir: tempfile::TempDir,
    db: TestDb,
}

/// One provider entry per client of provider.mjs: the honest one and the misbehaving ones.
const PROVIDERS: [(&str, &str); 5] = [
    ("test", "ambito"),
    ("test-aud", "ambito-aud"),
    ("test-nonce", "ambito-nonce"),
    ("test-scaduto", "ambito-scaduto"),
    ("test-lento", "ambito-lento"),
];

impl Fixture {
    async fn start() -> Fixture {
        let dir = tempfile::tempdir().expect("dir");
        let (provider, issuer) = procs::oidc_provider(dir.path().join("provider.log"));
        let db = TestDb::new().await;
        {
            // Mario has a staff account linked by his codice fiscale; Anna, known to the provider, has none.
            let app = db.app().await;
            let mario = ambito_app::access::NewUser {
                username: "mario.rossi".into(),
                display_name: "Mario Rossi".into(),
                codice_fiscale: Some("RSSMRA85T10A562S".into()),
                ..Default::default()
            };
            let role = ambito_app::access::RoleAssignment { role: "admin".into(), ..Default::default() };
            app.create_user(None, &mario, &[role]).await.expect("user");
            app.store.close().await;
        }
        // The callback URL is configured before the server starts, so its port is chosen here.
        let port = procs::free_port();
        let mut config = String::new();
        for (name, client) in PROVIDERS {
            config.push_str(&format!(
                "[[provider]]\nname = \"{name}\"\nissuer = \"{issuer}\"\nclient_id = \"{client}\"\n\
                 client_secret_env = \"TEST_OIDC_SECRET\"\n\
                 redirect_url = \"http://127.0.0.1:{port}/accesso/oidc/{name}/callback\"\n\n"
            ));
        }
        let config_path = dir.path().join("oidc.toml");
        std::fs::write(&config_path, config).expect("config");
        let listen = format!("127.0.0.1:{port}");
        let (server, rp) = Self::serve(&db, &listen, &config_path, dir.path(), "server.log");
        Fixture { rp, listen, config: config_path, _server: server, _provider: provider, _dir: dir, db }
    }

    fn serve(db: &TestDb, listen: &str, config: &std::path::Path, dir: &std::path::Path, log: &str) -> (Proc, String) {
        let env = [("AMBITO_OIDC_CONFIG", config.to_str().expect("path")), ("TEST_OIDC_SECRET", "segreto-di-prova-ambito-0123456789")];
        procs::serve(&db.url, listen, &env, dir.join(log))
    }

    /// Stops the server and starts a new process on the same port and database.
    fn restart(&mut self) {
        self._server.kill();
        let (server, _) = Self::serve(&self.db, &self.listen, &self.config, self._dir.path(), "server-2.log");
        self._server = server;
    }

    /// Refused, with the same page for every cause, and for the cause named in the server's log.
    fn assert_refused(&self, (status, body): &(u16, String), why: &str, cause: &str) {
        assert_eq!(*status, 403, "{why}: {body}");
        assert!(body.contains("Accesso non riuscito"), "{why}: {body}");
        assert!(!body.contains("RSSMRA85T10A562S"), "{why}: nothing about the person leaks");
        assert!(body.contains("Credenziali non valide, oppure account non disponibile"), "{why}: the words of any refused login");
        let log = self._server.stderr();
        assert!(log.contains(cause), "{why}: the log should name «{cause}»:\n{log}");
    }

    async fn finish(self) {
        drop(self._server);
        self.db.drop_pg().await;
    }
}

/// No pooled connections: a test restarts the server under the browser's feet.
fn browser() -> reqwest::Client {
    let builder = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none());
    builder.pool_max_idle_per_host(0).build().expect("client")
}

fn location(res: &reqwest::Response) -> String {
    let loc = res.headers().get("location").unwrap_or_else(|| panic!("{} without Location", res.status()));
    let loc = loc.to_str().expect("ascii");
    res.url().join(loc).expect("relative location").to_string()
}

/// Starts the login at ambito, logs in at the provider as `user` and returns the callback URL the
/// provider sends the browser to, without visiting it.
async fn authorize(b: &reqwest::Client, rp: &str, provider: &str, user: &str) -> String {
    let res = b.get(format!("{rp}/accesso/oidc/{provider}")).send().await.expect("start");
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap_or_default());
    let auth = location(&res);
    assert!(auth.contains("code_challenge_method=S256") && auth.contains("nonce=") && auth.contains("state="), "{auth}");
    let mut url = auth;
    let mut logged_in = false;
    for _ in 0..10 {
        if url.starts_with(&format!("{rp}/accesso/oidc/{provider}/callback")) {
            return url;
        }
        let res = b.get(&url).send().await.expect("follow");
        if res.status().is_redirection() {
            url = location(&res);
            continue;
        }
        assert_eq!(res.status(), 200, "at {url}");
        assert!(!logged_in, "the provider asked for a login twice");
        let form_url = res.url().clone();
        let html = res.text().await.expect("login page");
        let action = html.split("action=\"").nth(1).and_then(|s| s.split('"').next()).expect("login form");
        let res =
            b.post(form_url.join(action).expect("action")).form(&[("login", user), ("password", "prova")]).send().await.expect("login");
        assert!(res.status().is_redirection(), "login refused: {}", res.status());
        url = location(&res);
        logged_in = true;
    }
    panic!("no callback after 10 redirects, last at {url}");
}

async fn visit(b: &reqwest::Client, url: &str) -> (u16, String) {
    let res = b.get(url).send().await.expect("callback");
    (res.status().as_u16(), res.text().await.expect("body"))
}

fn with_param(url: &str, name: &str, value: Option<&str>) -> String {
    let mut u = reqwest::Url::parse(url).expect("url");
    let pairs: Vec<(String, String)> = u.query_pairs().filter(|(k, _)| k != name).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    {
        let mut q = u.query_pairs_mut();
        q.clear();
        for (k, v) in &pairs {
            q.append_pair(k, v);
        }
        if let Some(v) = value {
            q.append_pair(name, v);
        }
    }
    u.to_string()
}

#[tokio::test]
async fn login_yields_the_codice_fiscale_from_spid_fiscal_number() {
    let f = Fixture::start().await;
    let b = browser();
    let callback = authorize(&b, &f.rp, "test", "mario.rossi").await;
    let home = b.get(format!("{}/", f.rp)).send().await.expect("home");
    assert_ne!(home.status(), 200, "not logged in before the callback");
    let (status, body) = visit(&b, &callback).await;
    assert_eq!(status, 200, "{body}");
    // fiscalNumber "TINIT-RSSMRA85T10A562S" arrives through userinfo, prefix stripped, and names
    // the staff user; the page moves on by itself (the session cookie is SameSite=Strict).
    assert!(body.contains("Accesso eseguito come Mario Rossi") && body.contains("http-equiv=\"refresh\""), "{body}");
    assert!(f._server.stderr().contains("OIDC login verified"), "logged");
    let home = b.get(format!("{}/", f.rp)).send().await.expect("home");
    assert_eq!(home.status(), 200, "the session works");

    // Anna is verified by the provider but has no account here: the generic refusal.
    let b2 = browser();
    let callback = authorize(&b2, &f.rp, "test", "anna.bianchi").await;
    f.assert_refused(&visit(&b2, &callback).await, "unknown codice fiscale", "no user with this fiscal code");
    let (_, body) = visit(&browser(), &format!("{}/accesso/oidc/test/callback?code=x&state=y", f.rp)).await;
    assert!(body.contains("Credenziali non valide, oppure account non disponibile"), "same words for every refusal: {body}");

    let res = reqwest::get(format!("{}/accesso/oidc/sconosciuto", f.rp)).await.expect("get");
    assert_eq!(res.status(), 404);
    f.finish().await;
}

#[tokio::test]
async fn tokens_for_another_audience_with_another_nonce_or_expired_are_rejected() {
    let f = Fixture::start().await;
    for (provider, why, cause) in [
        ("test-aud", "ID token for another audience", "Invalid audiences: must contain `ambito-aud`"),
        ("test-nonce", "ID token with another nonce", "Invalid nonce"),
        ("test-scaduto", "expired ID token", "ID token expired"),
    ] {
        let b = browser();
        let callback = authorize(&b, &f.rp, provider, "mario.rossi").await;
        f.assert_refused(&visit(&b, &callback).await, why, cause);
    }
    f.finish().await;
}

#[tokio::test]
async fn wrong_or_missing_state_or_cookie_is_rejected() {
    let f = Fixture::start().await;
    let b = browser();
    let callback = authorize(&b, &f.rp, "test", "mario.rossi").await;
    f.assert_refused(&visit(&b, &with_param(&callback, "state", Some("stato-inventato"))).await, "wrong state", "state mismatch");
    // The pending login is spent by a failed attempt: the genuine callback no longer works either.
    f.assert_refused(&visit(&b, &callback).await, "state after a failed attempt", "no pending login");

    let callback = authorize(&b, &f.rp, "test", "mario.rossi").await;
    f.assert_refused(&visit(&b, &with_param(&callback, "state", None)).await, "missing state", "state mismatch");

    // The right URL in a browser that did not start the login (no cookie): login CSRF.
    let callback = authorize(&b, &f.rp, "test", "mario.rossi").await;
    f.assert_refused(&visit(&browser(), &callback).await, "no pending-login cookie", "no pending login");

    // A mix-up: the callback claims to come from another issuer.
    let callback = authorize(&b, &f.rp, "test", "mario.rossi").await;
    f.assert_refused(
        &visit(&b, &with_param(&callback, "iss", Some("https://altro.example.it"))).await,
        "other iss",
        "iss parameter https://altro.example.it is not the configured issuer",
    );

    // The same login comes back through another provider's callback.
    let callback = authorize(&b, &f.rp, "test", "mario.rossi").await;
    f.assert_refused(
        &visit(&b, &callback.replace("/oidc/test/callback", "/oidc/test-aud/callback")).await,
        "other provider",
        "pending login belongs to provider test",
    );
    f.finish().await;
}

#[tokio::test]
async fn replayed_or_expired_codes_are_rejected() {
    let f = Fixture::start().await;
    let b = browser();
    let first = authorize(&b, &f.rp, "test", "mario.rossi").await;
    let (status, body) = visit(&b, &first).await;
    assert_eq!(status, 200, "{body}");
    f.assert_refused(&visit(&b, &first).await, "the same callback twice", "no pending login");

    // The used code under a fresh, valid state: the provider refuses to redeem it again.
    let second = authorize(&b, &f.rp, "test", "mario.rossi").await;
    let old_code = reqwest::Url::parse(&first).expect("url").query_pairs().find(|(k, _)| k == "code").expect("code").1.into_owned();
    f.assert_refused(&visit(&b, &with_param(&second, "code", Some(&old_code))).await, "replayed code", "invalid_grant");

    // Codes of `ambito-lento` live three seconds: in time it works, late it does not.
    let quick = authorize(&b, &f.rp, "test-lento", "mario.rossi").await;
    let (status, body) = visit(&b, &quick).await;
    assert_eq!(status, 200, "a code used in time: {body}");
    let late = authorize(&b, &f.rp, "test-lento", "mario.rossi").await;
    tokio::time::sleep(Duration::from_millis(4200)).await;
    f.assert_refused(
        &visit(&b, &late).await,
        "expired code",
        "provider test-lento: token request: Server returned error response: invalid_grant",
    );
    f.finish().await;
}

#[tokio::test]
async fn a_login_in_flight_survives_a_restart_of_the_server_and_is_taken_once() {
    let mut f = Fixture::start().await;
    let b = browser();
    let callback = authorize(&b, &f.rp, "test", "mario.rossi").await;
    // The server restarts (or another instance answers) while the user is at the provider.
    f.restart();
    let (status, body) = visit(&b, &callback).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Accesso eseguito come Mario Rossi"), "{body}");
    // The same callback again: the login in flight was taken by the first visit.
    f.assert_refused(&visit(&b, &callback).await, "callback replayed", "no pending login");
    // Nothing of it is left in the database.
    let app = ambito_app::App::open(&f.db.url).await.expect("open");
    let mut conn = app.store.read().await.expect("conn");
    let left: i64 = sqlx::Row::get(&sqlx::query("SELECT COUNT(*) FROM oidc_pending").fetch_one(&mut *conn).await.expect("count"), 0);
    assert_eq!(left, 0);
    drop(conn);
    app.store.close().await;
    f.finish().await;
}

#[tokio::test]
async fn an_expired_login_in_flight_is_refused() {
    let db = TestDb::new().await;
    let app = db.app().await;
    let p = ambito_app::access::OidcPending { provider: "test".into(), state: "s".into(), nonce: "n".into(), verifier: "v".into() };
    app.put_oidc_pending("chiave-in-volo", p.clone()).await.expect("put");
    assert_eq!(app.take_oidc_pending("altra-chiave").await.expect("take"), None);
    app.put_oidc_pending("chiave-vecchia", p.clone()).await.expect("put");
    let mut tx = app.store.write_untracked().await.expect("tx");
    let ttl = ambito_app::access::OIDC_PENDING_TTL_SECONDS;
    sqlx::query("UPDATE oidc_pending SET created_unix = created_unix - $1 WHERE key_hash <> ''")
        .bind(ttl)
        .execute(&mut *tx)
        .await
        .expect("age");
    tx.commit().await.expect("commit");
    assert_eq!(app.take_oidc_pending("chiave-vecchia").await.expect("take"), None, "ten minutes at the provider at most");
    assert_eq!(app.take_oidc_pending("chiave-in-volo").await.expect("take"), None, "aged too");
    app.put_oidc_pending("chiave-nuova", p.clone()).await.expect("put");
    assert_eq!(app.take_oidc_pending("chiave-nuova").await.expect("take"), Some(p));
    db.drop_pg().await;
}
