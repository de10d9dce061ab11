//! The JSON API under /api/v1 over real HTTP: each read answers with the application's read model
//! to the roles of the page that shows the same data, refuses the others, says 404 as a problem
//! document for an unknown Ambito or year, hides small counts from evaluators in the plan, and the
//! uploads import all or nothing with every finding located.

use crate::access::demo_app;
use crate::support::{TestDb, TestServer, bearer_client, snapshot, token_for};
use ambito_app::access::Actor;
use ambito_app::plan::PlanTenant;
use ambito_app::plan::format::IndicatorFile;
use reqwest::StatusCode;
use serde_json::Value;

const TRI: &str = "2021-2023";

struct Api {
    base: String,
    client: reqwest::Client,
}

impl Api {
    async fn new(app: &ambito_app::App, base: &str, user: &str) -> Api {
        Api { base: base.to_string(), client: bearer_client(&token_for(app, user).await) }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.expect("GET")
    }

    /// A 200 JSON answer.
    async fn json(&self, path: &str) -> Value {
        let res = self.get(path).await;
        let status = res.status();
        let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let text = res.text().await.expect("body");
        assert_eq!(status, StatusCode::OK, "GET {path}: {text}");
        assert!(kind.starts_with("application/json"), "GET {path}: {kind}");
        serde_json::from_str(&text).expect("JSON")
    }

    async fn status(&self, path: &str) -> StatusCode {
        self.get(path).await.status()
    }

    async fn upload(&self, path: &str, fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> (StatusCode, String, Value) {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        if let Some((name, bytes)) = file {
            form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
        }
        let res = self.client.post(format!("{}{path}", self.base)).multipart(form).send().await.expect("POST");
        let status = res.status();
        let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let body = serde_json::from_str(&res.text().await.expect("body")).unwrap_or(Value::Null);
        (status, kind, body)
    }
}

/// A 404 problem document.
async fn not_found(api: &Api, path: &str) {
    let res = api.get(path).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "GET {path}");
    assert_eq!(res.headers()["content-type"], "application/problem+json", "GET {path}");
    let body: Value = res.json().await.expect("problem");
    assert_eq!(body["status"], 404, "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
}

fn row<'a>(rows: &'a Value, code: &str) -> &'a Value {
    rows.as_array().expect("rows").iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("row {code}"))
}

#[tokio::test]
async fn reads_answer_with_the_read_models_to_the_roles_of_their_pages() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let s = TestServer::start(app.clone()).await;
    let head = Api::new(&app, &s.base, "alto.responsabile").await;

    // Catalogue: the Ambito's 36 services.
    let services = head.json("/api/v1/ambiti/ALTO_SEBINO/servizi").await;
    assert_eq!(services["servizi"].as_array().map(Vec::len), Some(36), "{services}");
    assert_eq!(row(&services["servizi"], "SAD_PASTI")["parent_code"], "SAD");

    // Activity: the years, then one year's grid with the figures of the demo file.
    let years = head.json("/api/v1/ambiti/ALTO_SEBINO/attivita").await;
    assert_eq!(years["anni"], serde_json::json!([2025, 2024]));
    let grid = head.json("/api/v1/ambiti/ALTO_SEBINO/attivita/2025").await;
    let users = grid["misure"].as_array().expect("measures").iter().position(|m| m == "utenti").expect("utenti");
    let sad = row(&grid["righe"], "SAD");
    assert_eq!(sad["measures"][users], "117", "{sad}");
    assert_eq!(sad["budget"], "263971.21", "money as decimal text: {sad}");
    assert!(row(&grid["righe"], "SAD_PASTI")["measures"].as_array().is_some_and(|m| m.iter().any(Value::is_null)), "a blank stays null");
    not_found(&head, "/api/v1/ambiti/ALTO_SEBINO/attivita/2019").await;
    assert_eq!(head.status("/api/v1/ambiti/ALTO_SEBINO/attivita/duemila").await, StatusCode::BAD_REQUEST);
    assert_eq!(head.status("/api/v1/ambiti/ALTO_SEBINO/attivita/1800").await, StatusCode::BAD_REQUEST);

    // Budgets: the spending section of the report, as the report computes it.
    let budget = head.json("/api/v1/ambiti/ALTO_SEBINO/budget/2025").await;
    let report = app.annual_report("ALTO_SEBINO", 2025).await.expect("report");
    assert_eq!(budget["spesa"]["total"], report.spending.total.to_string());
    assert!(budget["spesa"]["sources"].as_array().is_some_and(|s| !s.is_empty()), "{budget}");

    // Demography: one year, or the latest; a year without population data is a 404.
    let demo = head.json("/api/v1/ambiti/ALTO_SEBINO/demografia/2024").await;
    assert_eq!(demo["year"], 2024);
    assert_eq!(demo["comuni"].as_array().map(Vec::len), Some(10));
    let total: u64 = demo["comuni"].as_array().expect("comuni").iter().map(|c| c["total"].as_u64().expect("total")).sum();
    assert!(total > 10_000, "{total}");
    assert_eq!(head.json("/api/v1/ambiti/ALTO_SEBINO/demografia").await["year"], 2025);
    not_found(&head, "/api/v1/ambiti/ALTO_SEBINO/demografia/2001").await;

    // Questionnaires: the list and the results; an unknown one is a 404.
    let list = head.json("/api/v1/ambiti/ALTO_SEBINO/questionari").await;
    assert!(row(&list["questionari"], "ADM_FAMIGLIE")["risposte"].as_i64().is_some_and(|n| n > 0), "{list}");
    let results = head.json("/api/v1/ambiti/ALTO_SEBINO/questionari/ADM_FAMIGLIE/risultati").await;
    assert_eq!(results["code"], "ADM_FAMIGLIE");
    assert!(results["waves"].as_array().is_some_and(|w| !w.is_empty()), "{results}");
    not_found(&head, "/api/v1/ambiti/ALTO_SEBINO/questionari/NESSUNO/risultati").await;

    // The plan: the list and one plan with its cards.
    let plans = head.json("/api/v1/ambiti/ALTO_SEBINO/piano").await;
    assert!(plans["piani"].as_array().expect("plans").iter().any(|p| p["triennium"] == TRI), "{plans}");
    let plan = head.json(&format!("/api/v1/ambiti/ALTO_SEBINO/piano/{TRI}")).await;
    assert_eq!(plan["soppressione_celle_piccole"], false);
    assert!(plan["piano"]["cards"].as_array().is_some_and(|c| c.len() > 5), "cards");
    not_found(&head, "/api/v1/ambiti/ALTO_SEBINO/piano/1990-1992").await;
    not_found(&head, "/api/v1/ambiti/ALTO_SEBINO/piano/duemila").await;

    // The import log: the demo's files.
    let log = head.json("/api/v1/ambiti/ALTO_SEBINO/importazioni").await;
    assert!(log["importazioni"].as_array().expect("log").iter().any(|b| b["file_name"] == "alto_sebino/activity-2025.csv"), "{log}");

    // Another Ambito's data is refused; an unknown Ambito is a 404 only for a global reader.
    assert_eq!(head.status("/api/v1/ambiti/BASSO_SEBINO/servizi").await, StatusCode::FORBIDDEN);
    assert_eq!(head.status("/api/v1/ambiti/NESSUNO/servizi").await, StatusCode::FORBIDDEN);
    let admin = Api::new(&app, &s.base, "admin").await;
    not_found(&admin, "/api/v1/ambiti/NESSUNO/servizi").await;
    assert_eq!(admin.json("/api/v1/ambiti/BASSO_SEBINO/servizi").await["ambito"], "BASSO_SEBINO");

    // Each route refuses the roles its page refuses.
    let evaluator = Api::new(&app, &s.base, "alto.valutatore").await;
    let provider = Api::new(&app, &s.base, "alto.ente").await;
    let educator = Api::new(&app, &s.base, "alto.educatore").await;
    for (who, path) in [
        (&evaluator, "/api/v1/ambiti/ALTO_SEBINO/servizi"),
        (&evaluator, "/api/v1/ambiti/ALTO_SEBINO/attivita/2025"),
        (&evaluator, "/api/v1/ambiti/ALTO_SEBINO/budget/2025"),
        (&evaluator, "/api/v1/ambiti/ALTO_SEBINO/demografia/2025"),
        (&evaluator, "/api/v1/ambiti/ALTO_SEBINO/importazioni"),
        (&provider, "/api/v1/ambiti/ALTO_SEBINO/piano"),
        (&provider, "/api/v1/ambiti/ALTO_SEBINO/questionari"),
        (&educator, "/api/v1/ambiti/ALTO_SEBINO/questionari/ADM_FAMIGLIE/risultati"),
        (&educator, "/api/v1/ambiti/ALTO_SEBINO/importazioni"),
    ] {
        let res = who.get(path).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json", "{path}");
    }
    assert_eq!(provider.json("/api/v1/ambiti/ALTO_SEBINO/importazioni").await["ambito"], "ALTO_SEBINO", "the provider uploads");
    assert_eq!(educator.json("/api/v1/ambiti/ALTO_SEBINO/attivita/2025").await["anno"], 2025);

    // Another method on a known path: 405 with the methods there are.
    let res = head.client.delete(format!("{}/api/v1/ambiti", s.base)).send().await.expect("DELETE");
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.headers()["allow"], "GET, HEAD");
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    db.drop_pg().await;
}

#[tokio::test]
async fn the_evaluator_reads_the_plan_and_its_rounds_with_small_counts_hidden() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    // A typed count with a small baseline, valued 2 in a closed round, beside a count of 12.
    let mut file = app.export_plan("ALTO_SEBINO", TRI).await.expect("export");
    let small = IndicatorFile {
        code: "AMB-01-X2".into(),
        text: "Minori in affido".into(),
        kind: "output".into(),
        level: "micro".into(),
        measure: "count".into(),
        direction: "up".into(),
        frequency: "semiannual".into(),
        baseline: Some("2".into()),
        baseline_year: Some(2024),
        ..IndicatorFile::default()
    };
    file.objectives.iter_mut().find(|o| o.code == "AMB-01").expect("AMB-01").indicators.push(small);
    let bytes = serde_json::to_vec(&file).expect("json");
    let outcome = app.import_plan(&Actor::COMMAND_LINE, PlanTenant::Ambito("ALTO_SEBINO"), "piano.json", &bytes).await.expect("import");
    assert!(outcome.applied, "{:?}", outcome.findings.errors);
    let cli = Actor::COMMAND_LINE;
    let n = app.open_round(&cli, "ALTO_SEBINO", TRI, 2025, 2).await.expect("open");
    let view = app.plan_view("ALTO_SEBINO", TRI).await.expect("plan");
    let id = |code: &str| view.cards.iter().flat_map(|c| &c.indicators).find(|i| i.code == code).map(|i| i.id).expect("indicator");
    for (code, value) in [("AMB-01-X2", "2"), ("AMB-01-O3", "12")] {
        let f = app.record_value(&cli, "ALTO_SEBINO", TRI, n, id(code), value, "", "registro", "", "A. Rossi").await.expect("value");
        assert!(!f.has_errors(), "{:?}", f.errors);
    }
    app.close_round(&cli, "ALTO_SEBINO", TRI, n, "Responsabile UdP").await.expect("close");

    let s = TestServer::start(app.clone()).await;
    let head = Api::new(&app, &s.base, "alto.responsabile").await;
    let evaluator = Api::new(&app, &s.base, "alto.valutatore").await;
    let indicator = |plan: &Value, code: &str| {
        plan["piano"]["cards"]
            .as_array()
            .expect("cards")
            .iter()
            .flat_map(|c| c["indicators"].as_array().expect("indicators").iter())
            .find(|i| i["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("indicator {code}"))
    };
    let plan_path = format!("/api/v1/ambiti/ALTO_SEBINO/piano/{TRI}");
    let full = head.json(&plan_path).await;
    assert_eq!(indicator(&full, "AMB-01-X2")["baseline_value"], "2");
    let theirs = evaluator.json(&plan_path).await;
    assert_eq!(theirs["soppressione_celle_piccole"], true);
    assert_eq!(indicator(&theirs, "AMB-01-X2")["baseline_value"], "<3", "the small baseline is hidden");
    assert_eq!(indicator(&theirs, "AMB-01-X2")["baseline_year"], 2024);

    let line = |round: &Value, code: &str| {
        round["rilevazione"]["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .find(|l| l["indicator"]["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("line {code}"))
    };
    let round_path = format!("{plan_path}/rilevazioni/{n}");
    let full = head.json(&round_path).await;
    assert_eq!(line(&full, "AMB-01-X2")["value"], "2");
    assert_eq!(line(&full, "AMB-01-X2")["stored"]["value"], "2");
    let theirs = evaluator.json(&round_path).await;
    assert_eq!(theirs["soppressione_celle_piccole"], true);
    let hidden = line(&theirs, "AMB-01-X2");
    assert!(hidden["value"].is_null() && hidden["observed"].is_null() && hidden["stored"]["value"].is_null(), "{hidden}");
    assert!(hidden["blank"].as_str().is_some_and(|b| b.starts_with("<3")), "{hidden}");
    assert!(!hidden.to_string().contains("\"2\""), "no trace of the count: {hidden}");
    assert_eq!(line(&theirs, "AMB-01-O3")["value"], "12", "a count of 3 or more is shown");
    not_found(&head, &format!("{plan_path}/rilevazioni/99")).await;

    // The annual report's JSON is the suppressed one for them too.
    let report = evaluator.json("/api/v1/ambiti/ALTO_SEBINO/relazione/2025").await;
    assert_eq!(report["soppressione_celle_piccole"], true);
    db.drop_pg().await;
}

#[tokio::test]
async fn uploads_import_all_or_nothing_and_locate_every_finding() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let s = TestServer::start(app.clone()).await;
    let head = Api::new(&app, &s.base, "alto.responsabile").await;
    const HEADER: &str = "anno;area;codice_servizio;servizio;codice_padre;utenti_in_carico;domande_pervenute;beneficiari;ore_erogate;\
                          accessi;visite_domiciliari;indicatore;popolazione_target;budget";
    let csv = |users: &str| {
        format!(
            "{HEADER}\n2025;Anziani;SAD;Servizio di Assistenza Domiciliare (SAD);;{users};51;;7.595,25;10462;6774;ore/utenti;;263.971,21\n"
        )
        .into_bytes()
    };
    let url = "/api/v1/ambiti/ALTO_SEBINO/importazioni";

    // A bad value: 422, a problem document listing where and why, and nothing written.
    let before = snapshot(&app).await;
    let (status, kind, body) = head.upload(url, &[("tipo", "attivita")], Some(("attivita.csv", csv("-4")))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(kind, "application/problem+json");
    assert_eq!(body["status"], 422);
    assert_eq!(body["esito"]["applicato"], false);
    let finding = &body["esito"]["errori"][0];
    assert_eq!(finding["file"], "attivita.csv", "{body}");
    assert_eq!(finding["line"], 2, "{body}");
    assert_eq!(finding["column"], "utenti_in_carico", "{body}");
    assert!(finding["reason"].as_str().is_some_and(|r| r.contains("-4")), "{body}");
    assert_eq!(snapshot(&app).await, before, "nothing written");

    // A good file: 200, applied, and the grid shows it.
    let (status, _, body) = head.upload(url, &[("tipo", "attivita")], Some(("attivita.csv", csv("130")))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((body["applicato"].clone(), body["righe"].clone()), (Value::Bool(true), Value::from(1)), "{body}");
    let grid = head.json("/api/v1/ambiti/ALTO_SEBINO/attivita/2025").await;
    let users = grid["misure"].as_array().expect("measures").iter().position(|m| m == "utenti").expect("utenti");
    assert_eq!(row(&grid["righe"], "SAD")["measures"][users], "130");
    let log = head.json(url).await;
    assert_eq!(log["importazioni"][0]["file_name"], "attivita.csv", "newest first: {log}");

    // Malformed requests are 400; a kind the caller may not import is 403, and writes nothing.
    let (status, _, _) = head.upload(url, &[("tipo", "pagelle")], Some(("x.csv", csv("1")))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = head.upload(url, &[("tipo", "attivita")], None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, body) = head.upload(url, &[("tipo", "attivita"), ("tipi", "x")], Some(("x.csv", csv("1")))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown field is refused: {body}");
    let provider = Api::new(&app, &s.base, "alto.ente").await;
    let before = snapshot(&app).await;
    let (status, kind, _) = provider.upload(url, &[("tipo", "attivita")], Some(("attivita.csv", csv("5")))).await;
    assert_eq!((status, kind.as_str()), (StatusCode::FORBIDDEN, "application/problem+json"));
    let evaluator = Api::new(&app, &s.base, "alto.valutatore").await;
    let (status, _, _) = evaluator.upload(url, &[("tipo", "attivita")], Some(("attivita.csv", csv("5")))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(snapshot(&app).await, before, "nothing written");

    // The plan file: another Ambito's plan is refused with its findings, this Ambito's own applies.
    let plan_url = "/api/v1/ambiti/ALTO_SEBINO/piano";
    let other = app.export_plan_json("BASSO_SEBINO", TRI).await.expect("export");
    let (status, kind, body) = head.upload(plan_url, &[], Some(("piano.json", other))).await;
    assert_eq!((status, kind.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "application/problem+json"), "{body}");
    assert!(body["esito"]["errori"].as_array().is_some_and(|e| !e.is_empty() && e[0]["file"] == "piano.json"), "{body}");
    let own = app.export_plan_json("ALTO_SEBINO", TRI).await.expect("export");
    let (status, _, body) = head.upload(plan_url, &[], Some(("piano.json", own.clone()))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["applicato"], true);
    let (status, _, _) = evaluator.upload(plan_url, &[], Some(("piano.json", own))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    db.drop_pg().await;
}
