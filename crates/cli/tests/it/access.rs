//! Accounts, sessions, CSRF, lockout, break-glass, the two-Ambiti rule, suppression, the audit
//! chain and the GDPR tools, over real HTTP against a real database.

use crate::browser::{Browser, location, set_cookie};
use crate::support::{TestDb, TestServer};
use ambito_app::App;
use ambito_app::access::demo::DEMO_CITIZEN_CF;
use ambito_app::access::{AccessConfig, demo_totp_secret};
use reqwest::StatusCode;

pub const DEMO_PASSWORD: &str = "lago d'iseo in autunno";

pub async fn demo_app(db: &TestDb) -> App {
    let app = db.app().await;
    app.load_demo(&ambito_app::NoProgress).await.expect("demo");
    app.load_demo_access(DEMO_PASSWORD).await.expect("demo users");
    app
}

fn secret(user: &str) -> String {
    demo_totp_secret(DEMO_PASSWORD, user)
}

pub async fn person_id(app: &App, cf: &str) -> i64 {
    app.person_by_cf(cf).await.expect("lookup").expect("person").id
}

pub async fn logged_in(base: &str, user: &str) -> Browser {
    let b = Browser::new(base);
    assert_eq!(b.login(user, DEMO_PASSWORD, Some(&secret(user))).await, StatusCode::SEE_OTHER, "login of {user}");
    b
}

#[tokio::test]
async fn password_and_totp_login_then_logout() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let b = Browser::new(&server.base);
    // Anonymous: pages send to the login form.
    let res = b.get("/ambiti/ALTO_SEBINO").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/accesso"));
    // The password alone does not open a session for staff: the second factor is due.
    let res = b.password("alto.responsabile", DEMO_PASSWORD).await;
    assert!(location(&res).starts_with("/accesso/codice"), "{}", location(&res));
    assert_eq!(b.get("/ambiti/ALTO_SEBINO").await.status(), StatusCode::SEE_OTHER);
    // A wrong code is refused.
    let page = b.get("/accesso/codice").await.text().await.expect("body");
    let res = b.post("/accesso/codice", &[("codice", "000000"), ("_csrf", &crate::browser::csrf_of(&page))]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let code = crate::browser::fresh_code(&server.base, "alto.responsabile", &secret("alto.responsabile")).await;
    let res = b.post("/accesso/codice", &[("codice", &code), ("_csrf", &crate::browser::csrf_of(&page))]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let home = b.get("/").await.text().await.expect("body");
    assert!(home.contains("Alto Sebino") && !home.contains("Basso Sebino"), "only the user's own Ambito is listed");
    assert_eq!(b.get("/ambiti/ALTO_SEBINO").await.status(), StatusCode::OK);
    assert_eq!(b.get("/ambiti/BASSO_SEBINO").await.status(), StatusCode::FORBIDDEN);
    let csrf = b.csrf("/ambiti/ALTO_SEBINO").await;
    let res = b.post("/esci", &[("_csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.get("/ambiti/ALTO_SEBINO").await.status(), StatusCode::SEE_OTHER, "logged out");
    // The code just used is spent: replaying it (someone read it over a shoulder) opens nothing.
    let res = b.password("alto.responsabile", DEMO_PASSWORD).await;
    assert!(location(&res).starts_with("/accesso/codice"));
    let page = b.get("/accesso/codice").await.text().await.expect("body");
    let res = b.post("/accesso/codice", &[("codice", &code), ("_csrf", &crate::browser::csrf_of(&page))]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "a TOTP code is accepted once");
    assert!(res.text().await.expect("body").contains("già usato"));
    assert_eq!(b.get("/ambiti/ALTO_SEBINO").await.status(), StatusCode::SEE_OTHER, "still logged out");
    let log = app
        .search_audit(&ambito_store::AuditQuery { username: Some("alto.responsabile".into()), limit: 50, ..Default::default() })
        .await
        .expect("audit");
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for a in ["login.password_ok", "login.totp_failed", "login", "logout"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    db.drop_pg().await;
}

#[tokio::test]
async fn refusals_never_tell_whether_an_account_exists_and_lock_after_five() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app).await;
    let b = Browser::new(&server.base);
    let unknown = b.password("nessuno.esiste", "una password qualsiasi").await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown = unknown.text().await.expect("body");
    let wrong = b.password("alto.amministrativo", "una password sbagliata").await.text().await.expect("body");
    let strip = |s: &str| s.replace(&crate::browser::csrf_of(s), "");
    assert_eq!(strip(&unknown), strip(&wrong), "same page for unknown user and wrong password");
    for _ in 0..4 {
        b.password("alto.amministrativo", "una password sbagliata").await;
    }
    // Locked: even the right password is refused, with the same message.
    let res = b.password("alto.amministrativo", DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(strip(&res.text().await.expect("body")), strip(&wrong));
    // Another account is unaffected.
    assert_eq!(b.login("alto.educatore", DEMO_PASSWORD, Some(&secret("alto.educatore"))).await, StatusCode::SEE_OTHER);
    db.drop_pg().await;
}

#[tokio::test]
async fn sessions_are_rotated_at_login_and_csrf_is_required() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app).await;
    // Session fixation: a cookie planted before login is never adopted.
    let planted = "f".repeat(64);
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let url: reqwest::Url = server.base.parse().expect("url");
    jar.add_cookie_str(&format!("ambito_sid={planted}; Path=/"), &url);
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_provider(jar.clone()).build().expect("client");
    let b = Browser { base: server.base.clone(), client };
    let res = b.password("alto.responsabile", DEMO_PASSWORD).await;
    let pending = set_cookie(&res, "ambito_sid").expect("new session cookie");
    assert_ne!(pending, planted);
    let page = b.get("/accesso/codice").await.text().await.expect("body");
    let code = crate::browser::fresh_code(&server.base, "alto.responsabile", &secret("alto.responsabile")).await;
    let res = b.post("/accesso/codice", &[("codice", &code), ("_csrf", &crate::browser::csrf_of(&page))]).await;
    let full = set_cookie(&res, "ambito_sid").expect("rotated after second factor");
    assert_ne!(full, pending, "the token seen before the second factor is not the session");
    let stale = Browser::new(&server.base);
    stale.client.get(format!("{}/", server.base)).header("cookie", format!("ambito_sid={pending}")).send().await.expect("GET");
    let res = stale
        .client
        .get(format!("{}/ambiti/ALTO_SEBINO", server.base))
        .header("cookie", format!("ambito_sid={pending}"))
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the pre-2FA token opens nothing");

    // CSRF: the same form without its token is refused and changes nothing.
    let texts = "/ambiti/ALTO_SEBINO/relazione/2025/testi";
    let res = b.post(texts, &[("area.0", "Anziani"), ("lettura.0", "Testo senza token")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = b.post(texts, &[("area.0", "Anziani"), ("lettura.0", "Testo senza token"), ("_csrf", "sbagliato")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(!b.get(texts).await.text().await.expect("body").contains("Testo senza token"));
    let csrf = b.csrf(texts).await;
    let res = b.post(texts, &[("area.0", "Anziani"), ("lettura.0", "Testo con token"), ("_csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(b.get(texts).await.text().await.expect("body").contains("Testo con token"));
    // The login form itself needs its double-submit token.
    let fresh = Browser::new(&server.base);
    let res = fresh.post("/accesso", &[("username", "alto.responsabile"), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    db.drop_pg().await;
}

#[tokio::test]
async fn idle_sessions_expire_and_suspension_ends_sessions_at_once() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await.with_access(AccessConfig { idle_timeout: std::time::Duration::from_secs(2), ..AccessConfig::default() });
    let server = TestServer::start(app.clone()).await;
    let b = logged_in(&server.base, "alto.responsabile").await;
    assert_eq!(b.get("/ambiti/ALTO_SEBINO").await.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    assert_eq!(b.get("/ambiti/ALTO_SEBINO").await.status(), StatusCode::SEE_OTHER, "idle session expired");

    let b = logged_in(&server.base, "alto.educatore").await;
    assert_eq!(b.get("/ambiti/ALTO_SEBINO").await.status(), StatusCode::OK);
    app.set_suspended(None, "alto.educatore", true).await.expect("suspend");
    assert_eq!(b.get("/ambiti/ALTO_SEBINO").await.status(), StatusCode::SEE_OTHER, "suspended user is out");
    assert_eq!(b.login("alto.educatore", DEMO_PASSWORD, Some(&secret("alto.educatore"))).await, StatusCode::UNAUTHORIZED);
    db.drop_pg().await;
}

#[tokio::test]
async fn break_glass_needs_a_reason_and_is_flagged() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let lucia = person_id(&app, "VRDLCU90A41D969R").await;
    let mario = person_id(&app, DEMO_CITIZEN_CF).await;
    let b = logged_in(&server.base, "alto.assistente").await;
    assert_eq!(b.get(&format!("/ambiti/ALTO_SEBINO/persone/{mario}")).await.status(), StatusCode::OK, "in the care team");
    let res = b.get(&format!("/ambiti/ALTO_SEBINO/persone/{lucia}")).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let page = res.text().await.expect("body");
    assert!(page.contains("accesso-straordinario") && !page.contains("Verdi"), "a form, and no data");
    let csrf = crate::browser::csrf_of(&page);
    let path = format!("/ambiti/ALTO_SEBINO/persone/{lucia}/accesso-straordinario");
    assert_eq!(b.post(&path, &[("motivo", "urgente"), ("_csrf", &csrf)]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = b.post(&path, &[("motivo", "Segnalazione urgente del pronto soccorso, reperibilità"), ("_csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = b.get(&format!("/ambiti/ALTO_SEBINO/persone/{lucia}")).await.text().await.expect("body");
    assert!(page.contains("Verdi") && page.contains("Accesso straordinario in corso"));
    let log = app.search_audit(&ambito_store::AuditQuery { person_id: Some(lucia), limit: 50, ..Default::default() }).await.expect("audit");
    assert!(
        log.iter()
            .any(|e| e.action == "person.break_glass" && e.flagged && e.reason.as_deref().is_some_and(|r| r.contains("pronto soccorso")))
    );
    assert!(log.iter().any(|e| e.action == "person.read" && e.flagged), "reads under break-glass are flagged");
    // Break-glass never crosses an Ambito: the Basso Sebino worker cannot even ask.
    let other = logged_in(&server.base, "basso.assistente").await;
    assert_eq!(other.get(&format!("/ambiti/ALTO_SEBINO/persone/{lucia}")).await.status(), StatusCode::FORBIDDEN);
    let csrf = other.csrf("/").await;
    assert_eq!(
        other.post(&path, &[("motivo", "Voglio vedere i dati di questa persona"), ("_csrf", &csrf)]).await.status(),
        StatusCode::FORBIDDEN
    );
    db.drop_pg().await;
}

#[tokio::test]
async fn after_a_move_each_ambito_sees_only_its_own_case_and_clinical_notes_stay_clinical() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let giovanni = person_id(&app, "BNCGNN75M12F205W").await;
    let mario = person_id(&app, DEMO_CITIZEN_CF).await;
    let alto = logged_in(&server.base, "alto.responsabile").await;
    let page = alto.get(&format!("/ambiti/ALTO_SEBINO/persone/{giovanni}")).await.text().await.expect("body");
    assert!(page.contains("Trasferimento di residenza") && page.contains("2024-06-30"));
    let basso = logged_in(&server.base, "basso.assistente").await;
    let page = basso.get(&format!("/ambiti/BASSO_SEBINO/persone/{giovanni}")).await.text().await.expect("body");
    assert!(page.contains("Bianchi") && page.contains("2024-07-01"));
    assert!(!page.contains("Trasferimento di residenza") && !page.contains("2023-03-01"), "the old Ambito's case stays there");
    assert_eq!(basso.get(&format!("/ambiti/ALTO_SEBINO/persone/{giovanni}")).await.status(), StatusCode::FORBIDDEN);
    // The administrative role reads the record but never clinical notes.
    let admin_staff = logged_in(&server.base, "alto.amministrativo").await;
    let page = admin_staff.get(&format!("/ambiti/ALTO_SEBINO/persone/{mario}")).await.text().await.expect("body");
    assert!(page.contains("Primo colloquio") && !page.contains("Relazione sanitaria") && page.contains("note cliniche non sono visibili"));
    let csrf = crate::browser::csrf_of(&page);
    let res = admin_staff
        .post(&format!("/ambiti/ALTO_SEBINO/persone/{mario}/note"), &[("tipo", "clinica"), ("testo", "tentativo"), ("_csrf", &csrf)])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let social = logged_in(&server.base, "alto.assistente").await;
    let page = social.get(&format!("/ambiti/ALTO_SEBINO/persone/{mario}")).await.text().await.expect("body");
    assert!(page.contains("Relazione sanitaria"));
    db.drop_pg().await;
}

#[tokio::test]
async fn evaluators_get_suppressed_aggregates_only() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let v = logged_in(&server.base, "alto.valutatore").await;
    let csv = v.get("/ambiti/ALTO_SEBINO/relazione/2025.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.expect("body");
    let full = String::from_utf8(ambito_render::annual_csv(&app.annual_report("ALTO_SEBINO", 2025).await.expect("report")).expect("csv"))
        .expect("utf8");
    assert_eq!(csv.lines().count(), full.lines().count(), "same rows");
    // Every published count of 1 or 2 people is hidden in the evaluator's copy.
    for (mine, theirs) in csv.lines().zip(full.lines()).skip(1) {
        let (mine, theirs): (Vec<&str>, Vec<&str>) = (mine.split(';').collect(), theirs.split(';').collect());
        for col in 3..=5 {
            if theirs[col] == "1" || theirs[col] == "2" {
                assert_eq!(mine[col], "<3", "{theirs:?}");
            }
        }
    }
    assert_eq!(v.get("/ambiti/ALTO_SEBINO/relazione/2025.pdf").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(v.get("/ambiti/ALTO_SEBINO/persone").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(v.get("/ambiti/ALTO_SEBINO/relazione").await.status(), StatusCode::OK);
    db.drop_pg().await;
}

#[tokio::test]
async fn right_of_access_export_and_the_citizens_own_area() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let mario = person_id(&app, DEMO_CITIZEN_CF).await;
    let head = logged_in(&server.base, "alto.responsabile").await;
    head.get(&format!("/ambiti/ALTO_SEBINO/persone/{mario}")).await;
    let json: serde_json::Value = head.get(&format!("/ambiti/ALTO_SEBINO/persone/{mario}/dati.json")).await.json().await.expect("json");
    assert_eq!(json["persona"]["codice_fiscale"], DEMO_CITIZEN_CF);
    assert!(json["note"].as_array().is_some_and(|n| n.len() == 2), "clinical notes included: it is the person's own data");
    assert!(json["accessi_ai_dati"].as_array().is_some_and(|a| a.iter().any(|e| e["chi"] == "alto.responsabile")), "who read the data");
    let pdf = head.get(&format!("/ambiti/ALTO_SEBINO/persone/{mario}/dati.pdf")).await.bytes().await.expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
    // The citizen (here with a password; in production through SPID/CIE) sees only their own data.
    let citizen = Browser::new(&server.base);
    assert_eq!(citizen.login("cittadino.rossi", DEMO_PASSWORD, None).await, StatusCode::SEE_OTHER);
    let own: serde_json::Value = citizen.get("/area-personale/dati.json").await.json().await.expect("json");
    assert_eq!(own["persona"]["codice_fiscale"], DEMO_CITIZEN_CF);
    // Their area is the citizens' surface: its own navigation, no staff menus or Ambito list.
    let area = citizen.get("/area-personale").await.text().await.expect("page");
    assert!(area.contains("Area del cittadino") && area.contains(r#"href="/area-personale" aria-current="page""#), "portal layout");
    assert!(!area.contains(r#"<span>Ambiti</span>"#), "no staff navigation on the portal");
    let lucia = person_id(&app, "VRDLCU90A41D969R").await;
    assert_eq!(citizen.get(&format!("/ambiti/ALTO_SEBINO/persone/{lucia}")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(citizen.get("/ambiti/ALTO_SEBINO").await.status(), StatusCode::FORBIDDEN);
    db.drop_pg().await;
}

#[tokio::test]
async fn purge_removes_the_person_and_keeps_every_aggregate() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("consegne-2025.csv");
    std::fs::write(
        &file,
        "data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore\n\
         2025-03-03;SAD;016086;DEMO-P002;2,5;si;COOP_SEBINO\n2025-03-04;SAD;016086;DEMO-P002;1,5;no;COOP_SEBINO\n\
         2025-03-04;SAD;016086;ALTRA-PERSONA;3;si;COOP_SEBINO\n",
    )
    .expect("write");
    let opts = ambito_app::deliveries::DeliveryImport { ambito_code: "ALTO_SEBINO", year: None, providers: None };
    assert!(app.import_deliveries(&file, opts, &ambito_app::NoProgress).await.expect("import").applied);
    let before = ambito_render::annual_csv(&app.annual_report("ALTO_SEBINO", 2025).await.expect("report")).expect("csv");
    let lucia = person_id(&app, "VRDLCU90A41D969R").await;
    let mut tx = app.store.write_untracked().await.expect("tx");
    sqlx::query("UPDATE care_case SET closed_on = '2010-01-31' WHERE person_id = $1").bind(lucia).execute(&mut *tx).await.expect("close");
    tx.commit().await.expect("commit");
    let today = time::macros::date!(2026 - 11 - 23);
    let dry = app.purge_expired(None, 10, today, false).await.expect("dry run");
    assert_eq!(dry.persons, vec![lucia]);
    assert!(app.person_by_cf("VRDLCU90A41D969R").await.expect("lookup").is_some(), "a dry run changes nothing");
    app.purge_expired(None, 10, today, true).await.expect("purge");
    assert!(app.person_by_cf("VRDLCU90A41D969R").await.expect("lookup").is_none());
    let after = ambito_render::annual_csv(&app.annual_report("ALTO_SEBINO", 2025).await.expect("report")).expect("csv");
    assert_eq!(before, after, "published figures unchanged");
    let mut conn = app.store.read().await.expect("conn");
    let left: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM delivery_event WHERE person_key = 'DEMO-P002'").fetch_one(&mut *conn).await.expect("count"),
        0,
    );
    assert_eq!(left, 0, "nothing links the events back to the person");
    let log = app.search_audit(&ambito_store::AuditQuery { person_id: Some(lucia), limit: 10, ..Default::default() }).await.expect("audit");
    assert!(log.iter().any(|e| e.action == "person.purge"));
    drop(conn);
    assert!(app.verify_audit().await.expect("verify").error.is_none());
    db.drop_pg().await;
}

#[tokio::test]
async fn audit_verify_names_the_first_altered_deleted_or_reordered_entry() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let url = db.url.clone();
    let verify = || {
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_ambito")).args(["audit", "verify", "--database", &url]).output().expect("run");
        (out.status.success(), String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr))
    };
    let (ok, text) = verify();
    assert!(ok, "{text}");
    let n = app.verify_audit().await.expect("verify").entries;
    assert!(n > 10, "the demo wrote {n} entries");
    let exec = |sql: &'static str| {
        let app = app.clone();
        async move {
            let mut tx = app.store.write_untracked().await.expect("tx");
            sqlx::query(sql).execute(&mut *tx).await.expect(sql);
            tx.commit().await.expect("commit");
        }
    };
    exec("UPDATE audit_log SET username = 'qualcun altro' WHERE seq = 5").await;
    let (ok, text) = verify();
    assert!(!ok && text.contains("voce 5"), "{text}");
    exec("UPDATE audit_log SET username = (SELECT username FROM audit_log WHERE seq = 4) WHERE seq = 5").await;
    exec("DELETE FROM audit_log WHERE seq = 7").await;
    let (ok, text) = verify();
    assert!(!ok && (text.contains("voce 8") || text.contains("7")), "{text}");
    db.drop_pg().await;
}

#[tokio::test]
async fn api_login_gives_a_scoped_token_and_the_openapi_document_lists_every_api_route() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app).await;
    let anon = reqwest::Client::new();
    let res = anon.get(format!("{}/api/v1/ambiti", server.base)).send().await.expect("GET");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body = serde_json::json!({"username": "alto.responsabile", "password": DEMO_PASSWORD});
    let res = anon.post(format!("{}/api/v1/sessione", server.base)).json(&body).send().await.expect("POST");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "the second factor is required");
    let code = crate::browser::fresh_code(&server.base, "alto.responsabile", &secret("alto.responsabile")).await;
    let body = serde_json::json!({"username": "alto.responsabile", "password": DEMO_PASSWORD, "codice_totp": code});
    let token: serde_json::Value =
        anon.post(format!("{}/api/v1/sessione", server.base)).json(&body).send().await.expect("POST").json().await.expect("json");
    let api = crate::support::bearer_client(token["token"].as_str().expect("token"));
    let list: serde_json::Value = api.get(format!("{}/api/v1/ambiti", server.base)).send().await.expect("GET").json().await.expect("json");
    assert_eq!(list.as_array().map(|a| a.len()), Some(1));
    assert_eq!(
        api.get(format!("{}/api/v1/ambiti/BASSO_SEBINO/relazione/2025", server.base)).send().await.expect("GET").status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.get(format!("{}/api/v1/ambiti/ALTO_SEBINO/relazione/2025", server.base)).send().await.expect("GET").status(),
        StatusCode::OK
    );

    let doc: serde_json::Value =
        anon.get(format!("{}/api/v1/openapi.json", server.base)).send().await.expect("GET").json().await.expect("json");
    let api_routes: Vec<_> = ambito_web::route_specs().into_iter().filter(|s| s.path.starts_with("/api/")).collect();
    assert!(api_routes.len() >= 4);
    for spec in api_routes {
        assert!(doc["paths"][spec.path][spec.method.as_str().to_lowercase()].is_object(), "{} {} missing", spec.method, spec.path);
    }
    assert!(doc["paths"]["/api/v1/sessione"]["post"]["requestBody"].is_object(), "login is described");
    db.drop_pg().await;
}

#[tokio::test]
async fn weak_passwords_are_refused() {
    let db = TestDb::new().await;
    let app = db.app().await;
    let user = |pw: &str| ambito_app::access::NewUser {
        username: "anna.rossi".into(),
        display_name: "Anna".into(),
        password: Some(pw.into()),
        ..Default::default()
    };
    let role = [ambito_app::access::RoleAssignment { role: "admin".into(), ..Default::default() }];
    for bad in ["corta", "password1234", "anna.rossi.2026"] {
        assert!(app.create_user(None, &user(bad), &role).await.is_err(), "{bad} accepted");
    }
    assert!(app.create_user(None, &user("una frase lunga e personale"), &role).await.is_ok());
    db.drop_pg().await;
}

/// Uploads a delivery file as `b`; returns the page of the job it started.
async fn start_upload(b: &Browser, code: &str, csv: &str) -> String {
    let csrf = b.csrf(&format!("/ambiti/{code}/importa")).await;
    let part = reqwest::multipart::Part::text(csv.to_string()).file_name("consegne-2025.csv");
    let form = reqwest::multipart::Form::new().text("tipo", "consegne").part("file", part);
    let url = format!("{}/ambiti/{code}/importa", b.base);
    let res = b.client.post(url).header("x-csrf-token", csrf).multipart(form).send().await.expect("upload");
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the upload starts a job");
    location(&res)
}

/// Uploads a delivery file as `b` and follows its job to the end: (applied, the job page).
async fn upload_deliveries(b: &Browser, code: &str, csv: &str) -> (bool, String) {
    let page = start_upload(b, code, csv).await;
    let id = page.rsplit('/').next().expect("job id").to_string();
    for _ in 0..500 {
        let status: serde_json::Value = b.get(&format!("/api/v1/ambiti/{code}/lavori/{id}")).await.json().await.expect("json");
        if status["finito"] == true {
            let html = b.get(&page).await.text().await.expect("job page");
            return (status["applicato"] == true, html);
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("job {id} did not finish");
}

#[tokio::test]
async fn an_ente_gestore_uploads_only_its_own_deliveries_and_sees_only_its_own_jobs() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let coop = logged_in(&server.base, "alto.ente").await;
    // The form offers it deliveries only, and says whose.
    let form = coop.get("/ambiti/ALTO_SEBINO/importa").await.text().await.expect("form");
    assert!(form.contains("value=\"consegne\"") && !form.contains("value=\"attivita\"") && !form.contains("value=\"budget\""));
    assert!(form.contains("id=\"solo-proprie\"") && form.contains("COOP_SEBINO"), "{form}");
    let header = "data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore\n";
    // One row of another provider spoils the file: nothing of it is applied.
    let mixed = format!("{header}2025-03-03;SAD;016086;DEMO-P002;2,5;si;COOP_SEBINO\n2025-03-04;SAD;016086;DEMO-P003;1;no;ALTRA_COOP\n");
    let (applied, page) = upload_deliveries(&coop, "ALTO_SEBINO", &mixed).await;
    assert!(!applied, "a row of another provider is refused");
    assert!(page.contains("ALTRA_COOP") && page.contains("proprie consegne"), "the error names the row's provider");
    let history = app.delivery_history_csv("ALTO_SEBINO", "SAD", "DEMO-P002").await.expect("history");
    assert!(!String::from_utf8_lossy(&history).contains("COOP_SEBINO"), "all or nothing: the valid row was not kept");
    // Its own rows go in.
    let own = format!("{header}2025-03-03;SAD;016086;DEMO-P002;2,5;si;COOP_SEBINO\n");
    let (applied, page) = upload_deliveries(&coop, "ALTO_SEBINO", &own).await;
    assert!(applied, "{page}");
    // The Ufficio di Piano may upload for every provider, and an ente gestore cannot follow its job.
    let office = logged_in(&server.base, "alto.responsabile").await;
    let form = office.get("/ambiti/ALTO_SEBINO/importa").await.text().await.expect("form");
    assert!(["attivita", "budget", "consegne"].iter().all(|k| form.contains(&format!("value=\"{k}\""))));
    assert!(!form.contains("solo-proprie"), "the Ufficio di Piano uploads for every provider");
    let other = format!("{header}2025-03-05;SAD;016086;DEMO-P003;1;no;ALTRA_COOP\n");
    let job = start_upload(&office, "ALTO_SEBINO", &other).await;
    let id = job.rsplit('/').next().expect("id").to_string();
    assert_eq!(coop.get(&job).await.status(), StatusCode::NOT_FOUND, "another uploader's job page");
    assert_eq!(coop.get(&format!("/api/v1/ambiti/ALTO_SEBINO/lavori/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(office.get(&job).await.status(), StatusCode::OK);
    let anonymous = server.anon.get(format!("{}{job}", server.base)).send().await.expect("GET");
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER, "anonymous callers are sent to the login");
    db.drop_pg().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_audit_entries_are_group_committed_into_one_intact_chain() {
    let db = TestDb::new().await;
    let app = db.app().await;
    let before = app.verify_audit().await.expect("verify").entries;
    let writers: Vec<_> = (0..200)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let ev = ambito_app::access::AuditEvent {
                    username: format!("utente{i}"),
                    action: "export".into(),
                    object: format!("/prova/{i}"),
                    ..Default::default()
                };
                (i, app.audit(ev).await.expect("audit"))
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for w in writers {
        seqs.push(w.await.expect("join"));
    }
    let mut numbers: Vec<i64> = seqs.iter().map(|s| s.1).collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 200, "every caller got its own entry");
    assert_eq!(numbers[199] - numbers[0], 199, "no gaps in the chain");
    let check = app.verify_audit().await.expect("verify");
    assert_eq!(check.error, None);
    assert_eq!(check.entries, before + 200);
    // Each caller's number is the entry that records its own action.
    let (i, seq) = seqs[17];
    let found = app
        .search_audit(&ambito_store::AuditQuery { username: Some(format!("utente{i}")), limit: 5, ..Default::default() })
        .await
        .expect("search");
    assert_eq!(found.iter().map(|e| (e.seq, e.object.clone())).collect::<Vec<_>>(), vec![(seq, format!("/prova/{i}"))]);
    db.drop_pg().await;
}

#[tokio::test]
async fn a_permission_revoked_by_another_process_stops_working_at_the_next_request() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let token = crate::support::token_for(&app, "alto.responsabile").await;
    let api = crate::support::bearer_client(&token);
    let report = format!("{}/api/v1/ambiti/ALTO_SEBINO/relazione/2025", server.base);
    assert_eq!(api.get(&report).send().await.expect("GET").status(), StatusCode::OK);
    // Another instance (or a DBA) edits the role table directly: the cached copy must not outlive it.
    let other = App::open(&db.url).await.expect("second connection");
    let mut tx = other.store.write_untracked().await.expect("tx");
    sqlx::query("DELETE FROM role_permission WHERE role = 'responsabile' AND permission = 'report.read'")
        .execute(&mut *tx)
        .await
        .expect("revoke");
    tx.commit().await.expect("commit");
    assert_eq!(api.get(&report).send().await.expect("GET").status(), StatusCode::FORBIDDEN, "revoked at once");
    let mut tx = other.store.write_untracked().await.expect("tx");
    sqlx::query("INSERT INTO role_permission (role, permission) VALUES ('responsabile', 'report.read')")
        .execute(&mut *tx)
        .await
        .expect("grant");
    tx.commit().await.expect("commit");
    assert_eq!(api.get(&report).send().await.expect("GET").status(), StatusCode::OK, "granted again at once");
    db.drop_pg().await;
}
