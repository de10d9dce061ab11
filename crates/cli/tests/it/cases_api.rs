//! The case record's JSON API (issue 15) over real HTTP: each route answers an allowed caller
//! with the application's read model (real values: the person's surname, the diary entry just
//! posted, the contact just written, the audit entry of the read), and proves every refusal: a
//! token without the scope or a role without the permission is 403, a person outside the care
//! team is the break-glass 403, another Ambito's person or route is 403, no token is 401, and a
//! body with mistakes is 422 with every field, writing nothing.

use crate::access::{demo_app, person_id};
use crate::support::{TestDb, TestServer, bearer_client, token_for};
use ambito_app::App;
use ambito_app::access::demo::DEMO_CITIZEN_CF;
use reqwest::StatusCode;
use serde_json::{Value, json};

const ALTO: &str = "/api/v1/ambiti/ALTO_SEBINO";
const BASSO: &str = "/api/v1/ambiti/BASSO_SEBINO";
const LUCIA_CF: &str = "VRDLCU90A41D969R";
const NERI_CF: &str = "NREANN82D55L219H";

struct Api {
    base: String,
    client: reqwest::Client,
}

/// An answer: status, content type, and the body as JSON (`Null` when it is not).
struct Answer {
    status: StatusCode,
    kind: String,
    location: Option<String>,
    body: Value,
}

impl Api {
    async fn new(app: &App, base: &str, user: &str) -> Api {
        Api { base: base.to_string(), client: bearer_client(&token_for(app, user).await) }
    }

    /// A client whose token carries only `scopes`.
    async fn scoped(app: &App, base: &str, user: &str, scopes: &[&str]) -> Api {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let token = app.create_api_token(None, user, "ristretto", &scopes, Some(1)).await.expect("token");
        Api { base: base.to_string(), client: bearer_client(&token) }
    }

    async fn answer(res: reqwest::Response) -> Answer {
        let status = res.status();
        let header = |h: &str| res.headers().get(h).and_then(|v| v.to_str().ok()).map(str::to_string);
        let (kind, location) = (header("content-type").unwrap_or_default(), header("location"));
        let body = serde_json::from_str(&res.text().await.expect("body")).unwrap_or(Value::Null);
        Answer { status, kind, location, body }
    }

    async fn get(&self, path: &str) -> Answer {
        Self::answer(self.client.get(format!("{}{path}", self.base)).send().await.expect("GET")).await
    }

    async fn post(&self, path: &str, body: &Value) -> Answer {
        Self::answer(self.client.post(format!("{}{path}", self.base)).json(body).send().await.expect("POST")).await
    }

    /// A 200 JSON answer.
    async fn json(&self, path: &str) -> Value {
        let a = self.get(path).await;
        assert_eq!(a.status, StatusCode::OK, "GET {path}: {}", a.body);
        assert!(a.kind.starts_with("application/json"), "GET {path}: {}", a.kind);
        a.body
    }
}

/// A refusal as a problem document with this status.
fn refused(a: &Answer, status: StatusCode, what: &str) {
    assert_eq!(a.status, status, "{what}: {}", a.body);
    assert_eq!(a.kind, "application/problem+json", "{what}");
    assert_eq!(a.body["status"], status.as_u16(), "{what}: {}", a.body);
}

/// The fields a 422 problem lists, in order.
fn fields_of(a: &Answer) -> Vec<String> {
    assert_eq!((a.status, a.kind.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "application/problem+json"), "{}", a.body);
    let list = a.body["errori"].as_array().unwrap_or_else(|| panic!("errori: {}", a.body));
    assert!(list.iter().all(|e| e["message"].as_str().is_some_and(|m| !m.is_empty())), "every field has its message: {}", a.body);
    list.iter().map(|e| e["field"].as_str().expect("field").to_string()).collect()
}

async fn count(app: &App, table: &str) -> i64 {
    let mut conn = app.store.read().await.expect("conn");
    let sql = format!("SELECT COUNT(*) FROM {table}");
    sqlx::Row::get(&sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(&mut *conn).await.expect("count"), 0)
}

/// The person's first case in `ambito`.
async fn case_of(app: &App, person: i64, ambito: &str) -> i64 {
    let mut conn = app.store.read().await.expect("conn");
    let cases = ambito_store::cases_of(&mut conn, person).await.expect("cases");
    cases.into_iter().find(|c| c.ambito_code == ambito).map(|c| c.id).expect("a case there")
}

#[tokio::test]
async fn persons_are_searched_registered_and_read_as_the_pages_allow() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let s = TestServer::start(app.clone()).await;
    let worker = Api::new(&app, &s.base, "alto.assistente").await;
    let desk = Api::new(&app, &s.base, "alto.amministrativo").await;
    let (mario, lucia, neri) = (person_id(&app, DEMO_CITIZEN_CF).await, person_id(&app, LUCIA_CF).await, person_id(&app, NERI_CF).await);

    // The one-box search: the worker's own person plainly, one outside the team as break-glass,
    // another Ambito's person not at all.
    let hits = worker.json(&format!("{ALTO}/persone?q=rossi%20mario")).await;
    let rossi = hits["risultati"].as_array().expect("hits").iter().find(|h| h["person"]["id"] == mario).cloned().expect("Mario Rossi");
    assert_eq!((&rossi["person"]["cognome"], &rossi["needs_break_glass"]), (&json!("Rossi"), &json!(false)), "{hits}");
    let hits = worker.json(&format!("{ALTO}/persone?q=verdi")).await;
    let verdi = hits["risultati"].as_array().expect("hits").iter().find(|h| h["person"]["id"] == lucia).expect("Lucia Verdi");
    assert_eq!(verdi["needs_break_glass"], true);
    assert_eq!(worker.json(&format!("{ALTO}/persone?q=neri")).await["risultati"], json!([]), "the two-Ambiti rule");
    assert_eq!(worker.json(&format!("{ALTO}/persone")).await["risultati"], json!([]), "no query, no hits");

    // The record as the worker may see it, and the guard's audit entry naming the API route.
    let record = worker.json(&format!("{ALTO}/persone/{mario}")).await;
    assert_eq!((record["person"]["cognome"].as_str(), record["person"]["codice_fiscale"].as_str()), (Some("Rossi"), Some(DEMO_CITIZEN_CF)));
    assert_eq!(record["may_write"], true);
    assert!(record["cases"].as_array().is_some_and(|c| !c.is_empty()), "{record}");
    let q = ambito_store::AuditQuery { person_id: Some(mario), limit: 1000, ..Default::default() };
    let log = app.search_audit(&q).await.expect("audit");
    let read = log.iter().find(|e| e.action == "person.read" && e.object == format!("{ALTO}/persone/{mario}"));
    assert!(read.is_some_and(|e| e.username == "alto.assistente"), "the read is audited with its route: {log:?}");

    // Outside the care team: the break-glass answer, as a problem naming the route to ask for it.
    let a = worker.get(&format!("{ALTO}/persone/{lucia}")).await;
    refused(&a, StatusCode::FORBIDDEN, "outside the team");
    assert_eq!(a.body["accesso_straordinario"], format!("/ambiti/ALTO_SEBINO/persone/{lucia}/accesso-straordinario"));
    // Another Ambito's person through this Ambito, and this person through the other Ambito.
    refused(&worker.get(&format!("{ALTO}/persone/{neri}")).await, StatusCode::FORBIDDEN, "a Basso Sebino person");
    refused(&worker.get(&format!("{BASSO}/persone/{mario}")).await, StatusCode::FORBIDDEN, "another Ambito's route");
    refused(
        &Api::new(&app, &s.base, "basso.assistente").await.get(&format!("{ALTO}/persone/{neri}")).await,
        StatusCode::FORBIDDEN,
        "Basso in Alto",
    );
    // A token without the scope, a role without the permission, no token at all.
    let narrow = Api::scoped(&app, &s.base, "alto.assistente", &["report.read"]).await;
    refused(&narrow.get(&format!("{ALTO}/persone/{mario}")).await, StatusCode::FORBIDDEN, "token without person.read");
    refused(&narrow.get(&format!("{ALTO}/persone?q=rossi")).await, StatusCode::FORBIDDEN, "search without person.read");
    let evaluator = Api::new(&app, &s.base, "alto.valutatore").await;
    refused(&evaluator.get(&format!("{ALTO}/persone?q=rossi")).await, StatusCode::FORBIDDEN, "the evaluator searches nobody");
    refused(&evaluator.get(&format!("{ALTO}/persone/{mario}")).await, StatusCode::FORBIDDEN, "the evaluator reads no record");
    let anon = Api { base: s.base.clone(), client: reqwest::Client::new() };
    let a = anon.get(&format!("{ALTO}/persone/{mario}")).await;
    refused(&a, StatusCode::UNAUTHORIZED, "no token");
    // The citizen reads their own data in their area, as the page sends them there.
    let citizen = Api::new(&app, &s.base, "cittadino.rossi").await;
    let a = citizen.get(&format!("{ALTO}/persone/{mario}")).await;
    assert_eq!((a.status, a.location.as_deref()), (StatusCode::SEE_OTHER, Some("/area-personale/dati.json")));

    // Registration: 201 with the id and where to read it; the same codice fiscale again is the
    // same person (200); a namesake is a possible duplicate until confirmed; mistakes are 422.
    let persons = count(&app, "person").await;
    let laura = json!({"codice_fiscale": "BNCLRA80A41A794S", "cognome": "Bianchi", "nome": "Laura", "sesso": "F",
        "data_nascita": "1980-01-01", "luogo_nascita": "A794", "comune_residenza": "016086", "indirizzo": "Via Roma 1"});
    let a = desk.post(&format!("{ALTO}/persone"), &laura).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = person_id(&app, "BNCLRA80A41A794S").await;
    assert_eq!((a.body["id"].as_i64(), &a.body["nuova"]), (Some(id), &json!(true)));
    assert_eq!(a.location, Some(format!("{ALTO}/persone/{id}")));
    let read = desk.json(a.location.as_deref().expect("location")).await;
    assert_eq!((read["person"]["cognome"].as_str(), read["person"]["address"].as_str()), (Some("Bianchi"), Some("Via Roma 1")));
    let again = desk.post(&format!("{ALTO}/persone"), &laura).await;
    assert_eq!((again.status, again.body["id"].as_i64(), &again.body["nuova"]), (StatusCode::OK, Some(id), &json!(false)));
    let twin = json!({"tipo_identita": "temp", "cognome": "Bianchi", "nome": "Laura", "data_nascita": "1980-01-01"});
    let a = desk.post(&format!("{ALTO}/persone"), &twin).await;
    assert_eq!(fields_of(&a), ["conferma_nuova"]);
    assert!(a.body["detail"].as_str().is_some_and(|d| d.contains("possibile duplicato")), "{}", a.body);
    let bad = json!({"codice_fiscale": "RSSMRA85T10A562S", "cognome": "", "nome": "Mario", "data_nascita": "2999-01-01",
        "luogo_nascita": "XX", "email": "nessuna"});
    let got = fields_of(&desk.post(&format!("{ALTO}/persone"), &bad).await);
    for f in ["cognome", "data_nascita", "luogo_nascita", "email"] {
        assert!(got.iter().any(|g| g == f), "{f} in {got:?}");
    }
    assert_eq!(count(&app, "person").await, persons + 1, "one person written, by the first registration only");
    // Not JSON, or a field of the wrong type: refused before the use case, as a problem.
    let res = desk.client.post(format!("{}{ALTO}/persone", s.base)).body("cognome=Rossi").send().await.expect("POST");
    refused(&Api::answer(res).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "a form body");
    refused(&desk.post(&format!("{ALTO}/persone"), &json!({"cognome": 5})).await, StatusCode::UNPROCESSABLE_ENTITY, "a number");
    // Who may not register: the evaluator, the provider, a token without person.write.
    for (who, api) in [
        ("valutatore", evaluator),
        ("ente", Api::new(&app, &s.base, "alto.ente").await),
        ("token", Api::scoped(&app, &s.base, "alto.amministrativo", &["person.read"]).await),
    ] {
        refused(&api.post(&format!("{ALTO}/persone"), &laura).await, StatusCode::FORBIDDEN, who);
    }
    refused(&desk.post(&format!("{BASSO}/persone"), &laura).await, StatusCode::FORBIDDEN, "another Ambito");
    refused(&anon.post(&format!("{ALTO}/persone"), &laura).await, StatusCode::UNAUTHORIZED, "no token");
    assert_eq!(count(&app, "person").await, persons + 1, "no refused call wrote anything");
    db.drop_pg().await;
}

#[tokio::test]
async fn the_diary_and_the_front_desk_take_json_and_refuse_field_by_field() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let s = TestServer::start(app.clone()).await;
    let worker = Api::new(&app, &s.base, "alto.assistente").await;
    let (mario, lucia, neri) = (person_id(&app, DEMO_CITIZEN_CF).await, person_id(&app, LUCIA_CF).await, person_id(&app, NERI_CF).await);
    let case = case_of(&app, mario, "ALTO_SEBINO").await;
    let diary = format!("{ALTO}/persone/{mario}/casi/{case}/diario");

    // A diary entry, then the record shows it.
    let entries = count(&app, "case_note").await;
    // Without a date the entry is today's (a given date may not precede the case's opening).
    let entry = json!({"tipo": "colloquio", "testo": "Colloquio di verifica registrato dall'API"});
    let a = worker.post(&diary, &entry).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["id"].as_i64().expect("id");
    let record = worker.json(&format!("{ALTO}/persone/{mario}")).await;
    let shown = record["diary"].as_array().expect("diary").iter().find(|d| d["id"] == id).cloned().expect("the new entry");
    assert_eq!(
        (shown["body"].as_str(), shown["entry_type"].as_str()),
        (Some("Colloquio di verifica registrato dall'API"), Some("colloquio"))
    );
    assert_eq!((shown["case_id"].as_i64(), shown["kind"].as_str()), (Some(case), Some("sociale")));
    assert_eq!(shown["occurred_on"].as_str(), Some(ambito_app::cases::today().iso().as_str()));
    // Mistakes: every field at once, nothing written.
    let got = fields_of(&worker.post(&diary, &json!({"tipo": "pettegolezzo", "testo": "", "data": "ieri"})).await);
    assert_eq!(got, ["tipo", "data", "testo"]);
    assert_eq!(count(&app, "case_note").await, entries + 1);
    // Refusals: a case of someone else (404), outside the team (break-glass), another Ambito,
    // the provider (no person.write), a token without the scope, no token.
    let lucia_case = case_of(&app, lucia, "ALTO_SEBINO").await;
    refused(
        &worker.post(&format!("{ALTO}/persone/{mario}/casi/{lucia_case}/diario"), &entry).await,
        StatusCode::NOT_FOUND,
        "another's case",
    );
    let a = worker.post(&format!("{ALTO}/persone/{lucia}/casi/{lucia_case}/diario"), &entry).await;
    refused(&a, StatusCode::FORBIDDEN, "outside the team");
    assert!(a.body["accesso_straordinario"].is_string(), "{}", a.body);
    let neri_case = case_of(&app, neri, "BASSO_SEBINO").await;
    refused(&worker.post(&format!("{BASSO}/persone/{neri}/casi/{neri_case}/diario"), &entry).await, StatusCode::FORBIDDEN, "Basso");
    refused(&worker.post(&format!("{ALTO}/persone/{neri}/casi/{neri_case}/diario"), &entry).await, StatusCode::FORBIDDEN, "Basso in Alto");
    refused(&Api::new(&app, &s.base, "alto.ente").await.post(&diary, &entry).await, StatusCode::FORBIDDEN, "the provider");
    let narrow = Api::scoped(&app, &s.base, "alto.assistente", &["person.read"]).await;
    refused(&narrow.post(&diary, &entry).await, StatusCode::FORBIDDEN, "token without person.write");
    let anon = Api { base: s.base.clone(), client: reqwest::Client::new() };
    refused(&anon.post(&diary, &entry).await, StatusCode::UNAUTHORIZED, "no token");
    assert_eq!(count(&app, "case_note").await, entries + 1, "no refused call wrote anything");

    // The front desk: a contact written, then listed; mistakes field by field.
    let desk = Api::new(&app, &s.base, "alto.amministrativo").await;
    let contacts = count(&app, "contact").await;
    let contact = json!({"canale": "telefono", "richiedente": "familiare", "area": "anziani",
        "motivo": "Chiede del servizio pasti per la madre", "esito": "informazione"});
    let a = desk.post(&format!("{ALTO}/contatti"), &contact).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let listed = desk.json(&format!("{ALTO}/contatti")).await;
    let row = listed["contatti"].as_array().expect("contacts").iter().find(|c| c["id"] == a.body["id"]).cloned().expect("listed");
    assert_eq!((row["reason"].as_str(), row["channel"].as_str()), (Some("Chiede del servizio pasti per la madre"), Some("telefono")));
    let got = fields_of(&desk.post(&format!("{ALTO}/contatti"), &json!({"canale": "piccione", "esito": "boh"})).await);
    for f in ["canale", "richiedente", "area", "motivo", "esito"] {
        assert!(got.iter().any(|g| g == f), "{f} in {got:?}");
    }
    assert_eq!(count(&app, "contact").await, contacts + 1);
    for (who, api) in [
        ("valutatore", Api::new(&app, &s.base, "alto.valutatore").await),
        ("basso", Api::new(&app, &s.base, "basso.assistente").await),
        ("token", Api::scoped(&app, &s.base, "alto.amministrativo", &["report.read"]).await),
    ] {
        refused(&api.get(&format!("{ALTO}/contatti")).await, StatusCode::FORBIDDEN, who);
        refused(&api.post(&format!("{ALTO}/contatti"), &contact).await, StatusCode::FORBIDDEN, who);
    }
    refused(&Api::new(&app, &s.base, "alto.ente").await.post(&format!("{ALTO}/contatti"), &contact).await, StatusCode::FORBIDDEN, "ente");
    refused(&anon.get(&format!("{ALTO}/contatti")).await, StatusCode::UNAUTHORIZED, "no token");
    assert_eq!(count(&app, "contact").await, contacts + 1, "no refused call wrote anything");
    db.drop_pg().await;
}

#[tokio::test]
async fn a_case_its_documents_and_the_work_list_read_as_their_pages_allow() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let s = TestServer::start(app.clone()).await;
    let worker = Api::new(&app, &s.base, "alto.assistente").await;
    let (mario, lucia, neri) = (person_id(&app, DEMO_CITIZEN_CF).await, person_id(&app, LUCIA_CF).await, person_id(&app, NERI_CF).await);
    let case = case_of(&app, mario, "ALTO_SEBINO").await;
    let base = format!("{ALTO}/persone/{mario}/casi/{case}");

    let interventions = worker.json(&format!("{base}/interventi")).await;
    assert_eq!((interventions["scope_person"]["cognome"].as_str(), interventions["case"]["id"].as_i64()), (Some("Rossi"), Some(case)));
    assert!(interventions["services"].as_array().is_some_and(|s| !s.is_empty()), "the catalogue for the form");
    let assessments = worker.json(&format!("{base}/valutazioni")).await;
    assert_eq!((assessments["person"]["cognome"].as_str(), assessments["case"]["id"].as_i64()), (Some("Rossi"), Some(case)));
    assert!(assessments["assessments"].is_array());
    let project = worker.json(&format!("{base}/progetto")).await;
    assert_eq!((project["person"]["nome"].as_str(), project["case"]["ambito_code"].as_str()), (Some("Mario"), Some("ALTO_SEBINO")));
    assert!(project["candidates"].as_array().is_some_and(|c| c.iter().any(|m| m[1].is_string())), "the care team: {project}");
    let documents = worker.json(&format!("{ALTO}/persone/{mario}/documenti")).await;
    assert_eq!(documents["person"]["id"].as_i64(), Some(mario));
    assert!(documents["documents"].as_array().is_some_and(|d| d.iter().all(|d| d["row"]["sha256"].is_string())), "{documents}");
    let work = worker.json(&format!("{ALTO}/lavoro")).await;
    assert!(work["my_cases"].as_array().expect("my cases").iter().any(|c| c["case_id"] == case && c["cognome"] == "Rossi"), "{work}");

    // Each read is audited by the guard as a read of the person, with its route.
    let q = ambito_store::AuditQuery { person_id: Some(mario), limit: 1000, ..Default::default() };
    let log = app.search_audit(&q).await.expect("audit");
    for path in [
        format!("{base}/interventi"),
        format!("{base}/valutazioni"),
        format!("{base}/progetto"),
        format!("{ALTO}/persone/{mario}/documenti"),
    ] {
        assert!(log.iter().any(|e| e.action == "person.read" && e.object == path), "{path} audited");
    }

    // Refusals, route by route.
    let lucia_case = case_of(&app, lucia, "ALTO_SEBINO").await;
    let neri_case = case_of(&app, neri, "BASSO_SEBINO").await;
    let narrow = Api::scoped(&app, &s.base, "alto.assistente", &["report.read"]).await;
    let evaluator = Api::new(&app, &s.base, "alto.valutatore").await;
    let anon = Api { base: s.base.clone(), client: reqwest::Client::new() };
    for tail in ["interventi", "valutazioni", "progetto"] {
        refused(&worker.get(&format!("{ALTO}/persone/{mario}/casi/{lucia_case}/{tail}")).await, StatusCode::NOT_FOUND, "another's case");
        let a = worker.get(&format!("{ALTO}/persone/{lucia}/casi/{lucia_case}/{tail}")).await;
        refused(&a, StatusCode::FORBIDDEN, "outside the team");
        assert!(a.body["accesso_straordinario"].is_string(), "{tail}: {}", a.body);
        refused(&worker.get(&format!("{BASSO}/persone/{neri}/casi/{neri_case}/{tail}")).await, StatusCode::FORBIDDEN, "Basso");
        refused(&narrow.get(&format!("{base}/{tail}")).await, StatusCode::FORBIDDEN, "token without person.read");
        refused(&evaluator.get(&format!("{base}/{tail}")).await, StatusCode::FORBIDDEN, "the evaluator");
        refused(&anon.get(&format!("{base}/{tail}")).await, StatusCode::UNAUTHORIZED, "no token");
    }
    // The citizen's own-data right does not open the working material (assessments, project).
    let citizen = Api::new(&app, &s.base, "cittadino.rossi").await;
    for tail in ["valutazioni", "progetto"] {
        refused(&citizen.get(&format!("{base}/{tail}")).await, StatusCode::FORBIDDEN, "the citizen");
    }
    refused(&worker.get(&format!("{ALTO}/persone/{lucia}/documenti")).await, StatusCode::FORBIDDEN, "documents outside the team");
    refused(&worker.get(&format!("{ALTO}/persone/{neri}/documenti")).await, StatusCode::FORBIDDEN, "documents of Basso in Alto");
    refused(&narrow.get(&format!("{ALTO}/persone/{mario}/documenti")).await, StatusCode::FORBIDDEN, "documents without the scope");
    refused(&anon.get(&format!("{ALTO}/persone/{mario}/documenti")).await, StatusCode::UNAUTHORIZED, "documents, no token");
    refused(&evaluator.get(&format!("{ALTO}/lavoro")).await, StatusCode::FORBIDDEN, "the evaluator's work list");
    refused(&worker.get(&format!("{BASSO}/lavoro")).await, StatusCode::FORBIDDEN, "another Ambito's work list");
    refused(&narrow.get(&format!("{ALTO}/lavoro")).await, StatusCode::FORBIDDEN, "work list without the scope");
    refused(&anon.get(&format!("{ALTO}/lavoro")).await, StatusCode::UNAUTHORIZED, "work list, no token");
    // Someone else's work list is not this caller's: Basso's worker sees Neri, never Mario.
    let basso = Api::new(&app, &s.base, "basso.assistente").await.json(&format!("{BASSO}/lavoro")).await;
    assert!(basso["my_cases"].as_array().expect("my cases").iter().all(|c| c["person_id"] != mario), "{basso}");
    db.drop_pg().await;
}
