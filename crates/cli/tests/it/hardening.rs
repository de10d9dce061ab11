//! Issue 10, findings 6, 7 and 10–15: CSV formula injection, bounded audit fields, the login
//! redirect, audited refusals, the proxy-aware client address, server timeouts, HSTS, password
//! strength, no-store pages, token expiry and revocation, framework errors. Real HTTP, real
//! database.

use crate::access::{DEMO_PASSWORD, demo_app};
use crate::browser::{Browser, csrf_of, location};
use crate::support::{SMALL_ACTIVITY, TestDb, TestServer, new_ambito_with};
use ambito_app::App;
use reqwest::StatusCode;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

async fn audit_of(app: &App, username: Option<&str>) -> Vec<ambito_domain::audit::Entry> {
    let q = ambito_store::AuditQuery { username: username.map(str::to_string), limit: 10_000, ..Default::default() };
    app.search_audit(&q).await.expect("audit")
}

/// Every cell of a `;` CSV, unquoting as the csv crate does.
fn cells(csv: &[u8]) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_reader(csv);
    r.records().map(|rec| rec.expect("record").iter().map(str::to_string).collect()).collect()
}

fn no_formula(csv: &[u8]) {
    for row in cells(csv) {
        for c in row {
            let number = ambito_domain::number::parse_decimal(c.trim_end_matches('%'), ambito_domain::number::NumberStyle::Italian).is_ok();
            assert!(number || c == "-" || !c.starts_with(['=', '+', '-', '@', '\t', '\r']), "a spreadsheet would run «{c}»");
        }
    }
}

#[tokio::test]
async fn csv_cells_a_spreadsheet_would_run_are_quoted_and_numbers_round_trip() {
    let db = TestDb::new().await;
    let app = db.app().await;
    // Service names typed by an office, one of them a formula (quoted as CSV quotes `;` and `"`).
    let file = SMALL_ACTIVITY
        .replace(";Assistenza domiciliare;", ";\"=HYPERLINK(\"\"http://evil.example\"\";\"\"clic\"\")\";")
        .replace(";Telesoccorso;", ";-Telesoccorso notturno;");
    assert!(new_ambito_with(&app, "PROVA", &file).await.applied);
    let server = TestServer::start(app.clone()).await;

    // The carrier of the pen test: a username sent to the login page, read by the DPO.
    let b = Browser::new(&server.base);
    let res = b.password("=HYPERLINK(\"http://evil.example\";\"x\")", "una password qualsiasi").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let register = server.get("/amministrazione/registro.csv").await.bytes().await.expect("csv");
    no_formula(&register);
    assert!(cells(&register).iter().flatten().any(|c| c == "'=HYPERLINK(\"http://evil.example\";\"x\")"));

    // The annual report CSV, as evaluators get it too.
    let report = server.get("/ambiti/PROVA/relazione/2025.csv").await;
    assert_eq!(report.status(), StatusCode::OK);
    let report = report.bytes().await.expect("csv");
    no_formula(&report);
    assert!(cells(&report).iter().flatten().any(|c| c == "'-Telesoccorso notturno"));

    // Export, re-import, export: the same bytes, the names as typed, numbers unquoted.
    let first = app.export_activity_csv("PROVA", 2025).await.expect("export");
    no_formula(&first);
    let text = String::from_utf8(first.clone()).expect("utf-8");
    let exported: Vec<String> = cells(&first).into_iter().flatten().collect();
    assert!(exported.iter().any(|c| c.starts_with("'=HYPERLINK(")) && exported.contains(&"'-Telesoccorso notturno".to_string()), "{text}");
    assert!(text.contains(";-\r\n"), "a zero budget stays `-`: {text}");
    let again = app
        .import_activity(
            "export.csv",
            &first,
            ambito_app::reporting::import::activity::ActivityImport { ambito_code: "PROVA", new_ambito_name: None },
            &ambito_app::NoProgress,
        )
        .await
        .expect("re-import");
    assert!(again.applied, "{:?}", again.findings);
    assert_eq!(app.export_activity_csv("PROVA", 2025).await.expect("export"), first);
    let report = app.annual_report("PROVA", 2025).await.expect("report");
    let names: Vec<&str> = report.areas.iter().flat_map(|a| a.rows.iter().map(|r| r.name.as_str())).collect();
    assert!(names.contains(&"-Telesoccorso notturno") && names.iter().any(|n| n.starts_with("=HYPERLINK")), "{names:?}");
    db.drop_pg().await;
}

#[tokio::test]
async fn audit_fields_are_bounded_and_login_forms_are_small() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let b = Browser::new(&server.base);
    let long = "x".repeat(10_000);
    assert_eq!(b.password(&long, "una password qualsiasi").await.status(), StatusCode::UNAUTHORIZED);
    let entry =
        audit_of(&app, None).await.into_iter().find(|e| e.action == "login.failed" && e.username.starts_with("xxx")).expect("entry");
    assert_eq!(entry.username.chars().count(), ambito_domain::audit::MAX_FIELD_CHARS);
    assert!(entry.username.ends_with(ambito_domain::audit::TRUNCATED), "{}", entry.username);

    // The pen test's 1.9 MB username: refused before it is read, and nothing is written.
    let before = audit_of(&app, None).await.len();
    let huge = "y".repeat(1_900_000);
    let csrf = b.csrf("/accesso").await;
    let res = b.post("/accesso", &[("username", &huge), ("password", "x"), ("_csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(audit_of(&app, None).await.len(), before);
    assert!(app.verify_audit().await.expect("verify").error.is_none());
    db.drop_pg().await;
}

#[tokio::test]
async fn after_login_only_paths_on_this_site_are_followed() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app).await;
    for (dopo, expected) in
        [("/\t/evil.example", "/"), ("/\r\nSet-Cookie: x=y", "/"), ("//evil.example", "/"), ("/area-personale", "/area-personale")]
    {
        // The form carries `dopo` back: it must already be the safe one.
        let b = Browser::new(&server.base);
        let page = b.get(&format!("/accesso?dopo={}", ambito_web::views::encode_segment(dopo))).await.text().await.expect("page");
        assert!(!page.contains("evil.example"), "{dopo:?}");
        // The citizen has no second factor: the password step redirects straight to `dopo`.
        let csrf = csrf_of(&page);
        let res =
            b.post("/accesso", &[("username", "cittadino.rossi"), ("password", DEMO_PASSWORD), ("dopo", dopo), ("_csrf", &csrf)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{dopo:?}");
        assert_eq!(location(&res), expected, "{dopo:?}");
    }
    db.drop_pg().await;
}

#[tokio::test]
async fn refused_accesses_are_audited_a_few_times_a_minute() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let b = Browser::new(&server.base);
    let secret = ambito_app::access::demo_totp_secret(DEMO_PASSWORD, "alto.responsabile");
    assert_eq!(b.login("alto.responsabile", DEMO_PASSWORD, Some(&secret)).await, StatusCode::SEE_OTHER);
    for _ in 0..30 {
        assert_eq!(b.get("/ambiti/BASSO_SEBINO").await.status(), StatusCode::FORBIDDEN);
    }
    let denied: Vec<_> = audit_of(&app, Some("alto.responsabile")).await.into_iter().filter(|e| e.action == "access.denied").collect();
    assert_eq!(denied.len(), 5, "a probe shows in the register without flooding it: {denied:?}");
    assert!(denied.iter().all(|e| e.object == "/ambiti/BASSO_SEBINO" && e.ambito.as_deref() == Some("BASSO_SEBINO")));

    // An anonymous form without its CSRF token is a refusal too, recorded with the address.
    let anon = Browser::new(&server.base);
    let res = anon.post("/accesso", &[("username", "a"), ("password", "b")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let anonymous = audit_of(&app, Some("(anonimo)")).await;
    assert!(anonymous.iter().any(|e| e.action == "access.denied" && e.ip.as_deref() == Some("127.0.0.1")), "{anonymous:?}");
    assert!(app.verify_audit().await.expect("verify").error.is_none());
    db.drop_pg().await;
}

async fn serve_with(app: App, web: ambito_web::WebConfig) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = ambito_web::serve(listener, app, web).await;
    });
    base
}

async fn failed_login_from(base: &str, forwarded_for: &str) -> StatusCode {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().expect("client");
    let page = client.get(format!("{base}/accesso")).send().await.expect("GET").text().await.expect("page");
    let form = [("username", "alto.amministrativo"), ("password", "una password sbagliata"), ("_csrf", &csrf_of(&page))];
    let res = client.post(format!("{base}/accesso")).header("X-Forwarded-For", forwarded_for).form(&form).send().await.expect("POST");
    res.status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_throttle() {
    let db = TestDb::new().await;
    let config = ambito_app::access::AccessConfig { ip_failures: 3, lockout_after: 1000, ..Default::default() };
    let app = demo_app(&db).await.with_access(config);
    let trusted = ambito_web::client_ip::parse_list("127.0.0.1").expect("cidr");
    let base = serve_with(app.clone(), ambito_web::WebConfig { trusted_proxies: trusted, ..Default::default() }).await;
    for _ in 0..4 {
        assert_eq!(failed_login_from(&base, "1.1.1.1, 198.51.100.7").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(failed_login_from(&base, "203.0.113.9").await, StatusCode::UNAUTHORIZED);
    let log = audit_of(&app, Some("alto.amministrativo")).await;
    let by = |ip: &str, action: &str| log.iter().filter(|e| e.ip.as_deref() == Some(ip) && e.action == action).count();
    assert_eq!(by("198.51.100.7", "login.failed"), 3, "the right-most untrusted address, not the forged one: {log:?}");
    assert_eq!(by("198.51.100.7", "login.throttled"), 1, "the fourth attempt of that client is throttled");
    assert_eq!(by("203.0.113.9", "login.failed"), 1, "another client behind the same proxy is not");

    // Without a trusted proxy the header is the client's own claim and is ignored.
    let plain = serve_with(app.clone(), ambito_web::WebConfig::default()).await;
    failed_login_from(&plain, "192.0.2.1").await;
    assert!(audit_of(&app, None).await.iter().all(|e| e.ip.as_deref() != Some("192.0.2.1")));
    db.drop_pg().await;
}

/// Reads until the server closes the connection; `false` if it is still open at `deadline`.
fn closed_by(stream: &mut std::net::TcpStream, deadline: Instant) -> bool {
    let mut buf = [0u8; 1024];
    stream.set_read_timeout(Some(Duration::from_millis(200))).expect("timeout");
    while Instant::now() < deadline {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => return true,
        }
    }
    false
}

fn server_with_env(db: &TestDb, env: &[(&str, &str)]) -> (crate::procs::Proc, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let port = crate::procs::free_port();
    let (proc, base) = crate::procs::serve(&db.url, &format!("127.0.0.1:{port}"), env, dir.path().join("server.log"));
    (proc, base.trim_start_matches("http://").to_string(), dir)
}

#[tokio::test]
async fn a_slowloris_connection_is_closed_by_the_header_timeout() {
    let db = TestDb::new().await;
    db.app().await;
    let (_server, addr, _dir) = server_with_env(&db, &[("AMBITO_HEADER_TIMEOUT", "1")]);
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    s.write_all(b"GET / HTTP/1.1\r\n").expect("request line");
    // One header byte every 200 ms: the connection never goes quiet, the head never ends.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut closed = false;
    while Instant::now() < deadline && !closed {
        if s.write_all(b"X").is_err() {
            closed = true;
            break;
        }
        closed = closed_by(&mut s, Instant::now() + Duration::from_millis(200));
    }
    assert!(closed, "the server kept a dribbling request head open for 30 s");
    db.drop_pg().await;
}

#[tokio::test]
async fn a_stalled_body_is_closed_by_the_idle_timeout_and_connections_are_limited() {
    let db = TestDb::new().await;
    db.app().await;
    let env = [("AMBITO_HEADER_TIMEOUT", "2"), ("AMBITO_IDLE_TIMEOUT", "1"), ("AMBITO_MAX_CONNECTIONS", "1")];
    let (_server, addr, _dir) = server_with_env(&db, &env);
    // A complete head announcing a body that never comes: past the header timeout's reach.
    let mut stalled = std::net::TcpStream::connect(&addr).expect("connect");
    stalled
        .write_all(
            b"POST /accesso HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nusername=",
        )
        .expect("head");
    // The only connection slot is taken: a second client waits until the first is closed.
    let mut waiting = std::net::TcpStream::connect(&addr).expect("connect");
    waiting.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").expect("request");
    let reader = std::thread::spawn(move || {
        let mut answer = String::new();
        let _ = waiting.read_to_string(&mut answer);
        (Instant::now(), answer)
    });
    assert!(closed_by(&mut stalled, Instant::now() + Duration::from_secs(30)), "a stalled upload was kept open");
    let closed_at = Instant::now();
    let (answered_at, answer) = reader.join().expect("reader");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answered_at + Duration::from_millis(300) >= closed_at, "the second client was served while the first held the only slot");
    db.drop_pg().await;
}

#[tokio::test]
async fn behind_tls_every_response_has_hsts() {
    let db = TestDb::new().await;
    let app = db.app().await;
    let tls = serve_with(app.clone(), ambito_web::WebConfig { secure_cookies: true, ..Default::default() }).await;
    for path in ["/healthz", "/accesso", "/static/nope.css"] {
        let res = reqwest::get(format!("{tls}{path}")).await.expect("GET");
        assert_eq!(res.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()), Some(ambito_web::HSTS), "{path}");
    }
    let plain = serve_with(app, ambito_web::WebConfig::default()).await;
    assert!(reqwest::get(format!("{plain}/healthz")).await.expect("GET").headers().get("strict-transport-security").is_none());
    db.drop_pg().await;
}

#[tokio::test]
async fn weak_passwords_are_refused_and_secret_pages_are_not_cached() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let user = |pw: &str| ambito_app::access::NewUser {
        username: "m.rossi".into(),
        display_name: "Marco Bianchini".into(),
        password: Some(pw.into()),
        ..Default::default()
    };
    for weak in ["password12345", "P@ssw0rd2024!", "abcdef123456789", "bianchini.1980"] {
        let err = app.create_user(None, &user(weak), &[]).await.expect_err(weak);
        assert!(err.to_string().contains("password"), "{weak}: {err}");
    }
    app.create_user(None, &user("lago di iseo al tramonto"), &[]).await.expect("a passphrase");

    let server = TestServer::start(app.clone()).await;
    // The enrolment page shows the TOTP secret: never cached.
    let token = app.issue_reset_token(None, "alto.educatore").await.expect("reset");
    let b = Browser::new(&server.base);
    let res = b.get(&format!("/accesso/reimposta/{token}")).await;
    assert_eq!(res.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let page = res.text().await.expect("page");
    let form = [("password", "password12345"), ("conferma", "password12345"), ("_csrf", &csrf_of(&page))];
    let res = b.post(&format!("/accesso/reimposta/{token}"), &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    // A reset clears the second factor, so the next login enrols: the page holds the new key.
    let form = [("password", "un treno per lovere"), ("conferma", "un treno per lovere"), ("_csrf", &csrf_of(&page))];
    assert_eq!(b.post(&format!("/accesso/reimposta/{token}"), &form).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.password("alto.educatore", "un treno per lovere").await.status(), StatusCode::SEE_OTHER);
    let res = b.get("/accesso/codice").await;
    assert_eq!(res.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    assert!(res.text().await.expect("page").contains("totp-secret"), "the enrolment page");
    db.drop_pg().await;
}

#[tokio::test]
async fn cli_tokens_expire_by_default_and_can_be_listed_and_revoked() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ambito"))
            .args(args)
            .env("AMBITO_DATABASE_URL", &db.url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run");
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
    };
    let (ok, token) = run(&["token", "create", "--user", "alto.responsabile", "--name", "cruscotto", "--scopes", "report.read"]);
    assert!(ok, "{token}");
    let token = token.trim().to_string();
    let api = crate::support::bearer_client(&token);
    let url = format!("{}/api/v1/ambiti/ALTO_SEBINO/relazione/2025", server.base);
    assert_eq!(api.get(&url).send().await.expect("GET").status(), StatusCode::OK);

    let (ok, list) = run(&["token", "list", "--user", "alto.responsabile"]);
    assert!(ok, "{list}");
    let line = list.lines().find(|l| l.contains("cruscotto")).expect("listed");
    assert!(!list.contains(&token), "the secret is never shown again");
    let expected = (time::OffsetDateTime::now_utc() + time::Duration::days(90)).date().to_string();
    assert!(line.contains(&format!("scade {expected}")) && line.ends_with("attivo"), "{line}");
    let id = line.split('\t').next().expect("id").to_string();

    let (ok, text) = run(&["token", "revoke", &id]);
    assert!(ok && text.contains("token revocati: 1"), "{text}");
    assert_eq!(api.get(&url).send().await.expect("GET").status(), StatusCode::UNAUTHORIZED);
    let (_, list) = run(&["token", "list"]);
    assert!(list.lines().any(|l| l.starts_with(&format!("{id}\t")) && l.ends_with("revocato")), "{list}");
    let (ok, _) = run(&["token", "revoke", &id]);
    assert!(!ok, "nothing left to revoke");
    assert!(audit_of(&app, None).await.iter().any(|e| e.action == "token.revoke"));
    db.drop_pg().await;
}

#[tokio::test]
async fn framework_errors_name_no_types() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app).await;
    let leaks = |body: &str| ["deserialize", "i64", "missing field", "Cannot parse", "JSON", "Failed"].iter().any(|w| body.contains(w));

    let res = server.get("/api/v1/ambiti/ALTO_SEBINO/relazione/duemila").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = res.text().await.expect("body");
    assert!(!leaks(&body) && body.contains("errore"), "{body}");

    let res = server
        .anon
        .post(format!("{}/api/v1/sessione", server.base))
        .header("content-type", "application/json")
        .body("{\"username\": 1")
        .send()
        .await
        .expect("POST");
    assert!(res.status().is_client_error());
    let body = res.text().await.expect("body");
    assert!(!leaks(&body) && body.contains("errore"), "{body}");

    // A login form without its password field.
    let b = Browser::new(&server.base);
    let csrf = b.csrf("/accesso").await;
    let res = b.post("/accesso", &[("username", "alto.responsabile"), ("_csrf", &csrf)]).await;
    assert!(res.status().is_client_error());
    let body = res.text().await.expect("body");
    assert!(!leaks(&body) && body.contains("Richiesta non valida"), "{body}");
    db.drop_pg().await;
}
