//! The JSON API answers every error as `application/problem+json` (RFC 9457), and the pages keep
//! their HTML error page.

use crate::access::demo_app;
use crate::support::{TestDb, TestServer, bearer_client, token_for};

async fn problem(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let text = response.text().await.expect("body");
    assert_eq!(kind, "application/problem+json", "status {status}: {text}");
    let body: serde_json::Value = serde_json::from_str(&text).expect("a JSON problem");
    assert_eq!(body["status"], status, "{body}");
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()), "{body}");
    (status, body)
}

#[tokio::test]
async fn api_errors_are_problem_documents_and_pages_stay_html() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let token = token_for(&app, "alto.responsabile").await;
    let s = TestServer::start(app).await;
    let api = bearer_client(&token);

    // A handler's own 404, the guard's 401 and 403, the router's 404, an extractor's 400.
    let (_, job) = problem(api.get(format!("{}/api/v1/ambiti/ALTO_SEBINO/lavori/0", s.base)).send().await.expect("GET")).await;
    assert_eq!(job["status"], 404);
    assert!(job["detail"].as_str().is_some_and(|d| !d.is_empty()), "the handler's reason is kept: {job}");
    let (status, _) = problem(s.anon.get(format!("{}/api/v1/ambiti", s.base)).send().await.expect("GET")).await;
    assert_eq!(status, 401);
    let (status, _) = problem(api.get(format!("{}/api/v1/ambiti/BASSO_SEBINO/relazione/2025", s.base)).send().await.expect("GET")).await;
    assert_eq!(status, 403, "another Ambito's report is refused");
    let (status, _) = problem(api.get(format!("{}/api/v1/non-esiste", s.base)).send().await.expect("GET")).await;
    assert_eq!(status, 404);
    let (status, _) = problem(api.get(format!("{}/api/v1/ambiti/ALTO_SEBINO/relazione/duemila", s.base)).send().await.expect("GET")).await;
    assert_eq!(status, 400);
    let (status, _) = problem(api.get(format!("{}/api/v1/ambiti/ALTO_SEBINO/relazione/1", s.base)).send().await.expect("GET")).await;
    assert!(status == 404 || status == 400, "a year with no report: {status}");

    // Pages are not the API: their errors stay HTML.
    let page = api.get(format!("{}/ambiti/ALTO_SEBINO/non-esiste", s.base)).send().await.expect("GET");
    assert_eq!(page.status(), 404);
    assert!(page.headers()["content-type"].to_str().expect("type").starts_with("text/html"));

    // The OpenAPI document says so for every operation.
    let doc: serde_json::Value =
        s.anon.get(format!("{}/api/v1/openapi.json", s.base)).send().await.expect("GET").json().await.expect("json");
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("operations") {
            for code in ["401", "403", "404", "500"] {
                assert!(op["responses"][code]["content"]["application/problem+json"].is_object(), "{method} {path} documents {code}");
            }
        }
    }
    drop(db);
}

/// A unique constraint the application does not check first (another account's codice fiscale):
/// the store types the violation on both backends, and the page answers 409, not 500.
#[tokio::test]
async fn a_row_that_already_exists_is_a_conflict() {
    let db = TestDb::new().await;
    let app = db.app().await;
    let s = TestServer::start(app.clone()).await;
    let cf = "RSSMRA85T10A562S";
    let form = |username: &'static str| {
        [
            ("username", username),
            ("nome", "Maria Rossi"),
            ("password", "Qv7#tLw9!pRz-Kd"),
            ("ruolo", "admin"),
            ("ambito", ""),
            ("codice_fiscale", cf),
        ]
    };
    let create = |username| s.client.post(format!("{}/amministrazione/utenti", s.base)).form(&form(username)).send();
    let first = create("maria.rossi").await.expect("POST");
    assert!(first.status().is_redirection(), "the first account is created: {}", first.status());
    let again = create("maria.rossi.bis").await.expect("POST");
    assert_eq!(again.status(), 409);
    assert!(again.headers()["content-type"].to_str().expect("type").starts_with("text/html"), "a page keeps its HTML error page");
    let page = again.text().await.expect("body");
    assert!(page.contains("Esiste già un elemento con questi dati"), "{page}");
    assert!(!page.contains("app_user") && !page.contains("UNIQUE") && !page.contains("duplicate"), "no database detail: {page}");
    let mut conn = app.store.read().await.expect("conn");
    assert!(ambito_store::user_by_username(&mut conn, "maria.rossi.bis").await.expect("read").is_none(), "nothing was written");
    drop(conn);

    // The store's own answer, on whichever backend runs the suite.
    let mut tx = app.store.write_untracked().await.expect("tx");
    let err = ambito_store::create_user(&mut tx, "maria.rossi.ter", "Maria Rossi", Some(cf))
        .await
        .expect_err("a second account with the same codice fiscale");
    assert!(err.is_conflict(), "{err:?}");
    drop(tx);
    let mut tx = app.store.write_untracked().await.expect("tx");
    let other = ambito_store::create_user(&mut tx, "maria.rossi.ter", "Maria Rossi", Some("VRDLGU80A01F205X")).await;
    assert!(other.is_ok(), "a different codice fiscale is no conflict: {other:?}");
    drop(tx);
    drop(db);
}
