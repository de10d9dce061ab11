//! What a caller may write and read of what is not theirs (issue 10, findings 1, 4, 5 and 9): the
//! tenant of a plan write is the route's Ambito; the person export shows what the person page
//! shows; an evaluator's plan hides the counts their report hides; a search by codice fiscale
//! tells nothing about people of another Ambito.

use crate::access::{demo_app, logged_in, person_id};
use crate::browser::{Browser, location};
use crate::support::{TestDb, TestServer, bearer_client};
use ambito_app::access::Actor;
use ambito_app::plan::format::IndicatorFile;
use ambito_app::plan::{Figures, PlanTenant};
use reqwest::StatusCode;
use rust_decimal::Decimal;

const TRI: &str = "2021-2023";

/// Every row of every plan table of one Ambito, as text: to prove a refused import left it alone.
async fn plans_of(app: &ambito_app::App, code: &str) -> String {
    let mut out = String::new();
    for p in app.plans(code).await.expect("plans") {
        out.push_str(&String::from_utf8(app.export_plan_json(code, &p.triennium).await.expect("export")).expect("utf-8"));
    }
    out
}

async fn audit_of(app: &ambito_app::App, user: &str, action: &str) -> Vec<ambito_domain::audit::Entry> {
    let q = ambito_store::AuditQuery { username: Some(user.into()), limit: 1000, ..Default::default() };
    app.search_audit(&q).await.expect("audit").into_iter().filter(|e| e.action == action).collect()
}

async fn upload_plan(b: &Browser, code: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let csrf = b.csrf(&format!("/ambiti/{code}/piano")).await;
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    let res =
        b.client.post(format!("{}/ambiti/{code}/piano", b.base)).header("x-csrf-token", csrf).multipart(form).send().await.expect("POST");
    (res.status(), res.text().await.expect("body"))
}

#[tokio::test]
async fn a_plan_file_naming_another_ambito_is_refused_and_plan_writes_are_audited() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let alto = logged_in(&server.base, "alto.responsabile").await;
    // The penetration test: Alto's own file, relabelled as Basso's, posted to Alto's route.
    let res = alto.get("/ambiti/ALTO_SEBINO/piano/2018-2020/documenti/piano.json").await;
    assert_eq!(res.status(), StatusCode::OK);
    let original = res.bytes().await.expect("json").to_vec();
    let mut file: serde_json::Value = serde_json::from_slice(&original).expect("plan file");
    file["ambito"] = "BASSO_SEBINO".into();
    for o in file["objectives"].as_array_mut().expect("objectives") {
        o["scope"] = "BASSO_SEBINO".into();
    }
    let basso_before = plans_of(&app, "BASSO_SEBINO").await;
    let alto_before = plans_of(&app, "ALTO_SEBINO").await;
    let (status, page) = upload_plan(&alto, "ALTO_SEBINO", "piano.json", serde_json::to_vec(&file).expect("json")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("il file è il piano dell&#39;Ambito «BASSO_SEBINO»")
            || page.contains("il file è il piano dell'Ambito «BASSO_SEBINO»"),
        "{page}"
    );
    assert_eq!(plans_of(&app, "BASSO_SEBINO").await, basso_before, "Basso's plans untouched");
    assert_eq!(plans_of(&app, "ALTO_SEBINO").await, alto_before, "and Alto's");
    // The Ambito's own file with one card scoped to the other Ambito: refused too.
    let mut file: serde_json::Value = serde_json::from_slice(&original).expect("plan file");
    file["objectives"][0]["scope"] = "BASSO_SEBINO".into();
    let (status, page) = upload_plan(&alto, "ALTO_SEBINO", "piano.json", serde_json::to_vec(&file).expect("json")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("objectives[0].scope"), "{page}");
    assert_eq!(plans_of(&app, "BASSO_SEBINO").await, basso_before);
    assert!(audit_of(&app, "alto.responsabile", "plan.import").await.is_empty(), "a refused import writes nothing, not even its record");

    // The unchanged file imports, and the write is in the Ambito's register.
    let (status, page) = upload_plan(&alto, "ALTO_SEBINO", "piano.json", original).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let imports = audit_of(&app, "alto.responsabile", "plan.import").await;
    assert_eq!(imports.len(), 1, "{imports:?}");
    assert_eq!((imports[0].ambito.as_deref(), imports[0].object.as_str()), (Some("ALTO_SEBINO"), "piano/2018-2020"));
    // Other plan writes from the browser are audited too: a round opened, a value typed.
    let base = format!("/ambiti/ALTO_SEBINO/piano/{TRI}");
    let csrf = alto.csrf(&base).await;
    let res = alto.post(&format!("{base}/rilevazioni"), &[("anno", "2025"), ("semestre", "2"), ("_csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let opened = audit_of(&app, "alto.responsabile", "plan.round.open").await;
    assert_eq!(opened.iter().map(|e| e.object.as_str()).collect::<Vec<_>>(), [format!("piano/{TRI}/rilevazioni/3")]);
    let plan = app.plan_view("ALTO_SEBINO", TRI).await.expect("plan");
    let ind = plan.cards.iter().flat_map(|c| &c.indicators).find(|i| i.code == "AMB-01-O3").expect("manual indicator");
    let form = format!("{base}/rilevazioni/3/indicatori/{}", ind.id);
    let csrf = alto.csrf(&form).await;
    let res = alto.post(&form, &[("valore", "4"), ("evidenza", "registro"), ("inserito_da", "A. Rossi"), ("_csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_of(&app, "alto.responsabile", "plan.value").await.len(), 1);
    // The command line still imports a file for the Ambito it names.
    let json = app.export_plan_json("BASSO_SEBINO", TRI).await.expect("basso");
    let outcome = app.import_plan(&Actor::COMMAND_LINE, PlanTenant::NamedInFile, "basso.json", &json).await.expect("import");
    assert!(outcome.applied, "{:?}", outcome.findings.errors);
    // Through the API with an explicit tenant, the other Ambito's file is refused.
    let outcome = app.import_plan(&Actor::COMMAND_LINE, PlanTenant::Ambito("ALTO_SEBINO"), "basso.json", &json).await.expect("import");
    assert!(!outcome.applied && outcome.findings.errors.iter().any(|e| e.column.as_deref() == Some("ambito")));
    let v = app.verify_audit().await.expect("verify");
    assert!(v.error.is_none(), "{:?}", v.error);
    db.drop_pg().await;
}

#[tokio::test]
async fn the_staff_export_shows_what_the_page_shows_and_only_the_subjects_own_export_spans_ambiti() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let giovanni = person_id(&app, "BNCGNN75M12F205W").await;
    let mario = person_id(&app, ambito_app::access::demo::DEMO_CITIZEN_CF).await;
    // Basso's care team writes a clinical note on Giovanni's Basso case.
    let basso = logged_in(&server.base, "basso.assistente").await;
    let page = format!("/ambiti/BASSO_SEBINO/persone/{giovanni}");
    let csrf = basso.csrf(&page).await;
    let secret = "Diagnosi riservata annotata da Basso Sebino";
    let res = basso.post(&format!("{page}/note"), &[("tipo", "clinica"), ("testo", secret), ("_csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let alto = logged_in(&server.base, "alto.responsabile").await;
    let page = alto.get(&format!("/ambiti/ALTO_SEBINO/persone/{giovanni}")).await.text().await.expect("page");
    assert!(page.contains("Trasferimento di residenza") && !page.contains(secret));
    let res = alto.get(&format!("/ambiti/ALTO_SEBINO/persone/{giovanni}/dati.json")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.expect("json");
    assert!(!text.contains("BASSO_SEBINO") && !text.contains(secret), "the other Ambito's case and note stay there: {text}");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let cases = json["prese_in_carico"].as_array().expect("cases");
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(cases[0]["ambito_code"], "ALTO_SEBINO");
    assert!(json["note"].as_array().is_some_and(|n| n.len() == 1 && n[0]["body"].as_str().is_some_and(|b| b.contains("Trasferimento"))));
    let pdf = alto.get(&format!("/ambiti/ALTO_SEBINO/persone/{giovanni}/dati.pdf")).await.bytes().await.expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("Trasferimento") && !text.contains("BASSO_SEBINO") && !text.contains("Diagnosi riservata"), "{text}");
    }
    // A token narrowed to person.export: the same Ambito rule, and no clinical note without
    // clinical.read, exactly as on the page.
    let token = app.create_api_token(None, "alto.responsabile", "export", &["person.export".into()], Some(1)).await.expect("token");
    let api = bearer_client(&token);
    let get = |id: i64| api.get(format!("{}/ambiti/ALTO_SEBINO/persone/{id}/dati.json", server.base)).send();
    let text = get(giovanni).await.expect("GET").text().await.expect("json");
    assert!(!text.contains("BASSO_SEBINO") && !text.contains(secret), "{text}");
    let by_token: serde_json::Value = get(mario).await.expect("GET").json().await.expect("json");
    let notes = by_token["note"].as_array().expect("notes");
    assert!(notes.iter().all(|n| n["kind"] != "clinica") && notes.len() == 1, "{notes:?}");
    assert_eq!(by_token["note_cliniche_non_visibili"], 1);
    let full: serde_json::Value = alto.get(&format!("/ambiti/ALTO_SEBINO/persone/{mario}/dati.json")).await.json().await.expect("json");
    assert!(full["note"].as_array().is_some_and(|n| n.iter().any(|n| n["kind"] == "clinica")), "with clinical.read the note is there");
    // The access shows in the Ambito's own register.
    let register = alto.get("/ambiti/ALTO_SEBINO/registro").await.text().await.expect("register");
    assert!(register.contains(&format!("/ambiti/ALTO_SEBINO/persone/{giovanni}/dati.json")), "export in Alto's register");

    // The data subject's right of access from the command line spans every Ambito, and each
    // Ambito whose case it discloses has the access in its register.
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("giovanni.json");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_ambito"))
        .args(["person", "export", "--codice-fiscale", "BNCGNN75M12F205W", "--format", "json", "-o"])
        .arg(&out)
        .env("AMBITO_DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .status()
        .expect("run ambito");
    assert!(status.success());
    let whole = std::fs::read_to_string(&out).expect("export");
    assert!(whole.contains("BASSO_SEBINO") && whole.contains(secret) && whole.contains("Trasferimento"));
    let exports = audit_of(&app, "(riga di comando)", "person.export").await;
    let mut owners: Vec<_> = exports.iter().filter(|e| e.person_id == Some(giovanni)).filter_map(|e| e.ambito.clone()).collect();
    owners.sort();
    assert_eq!(owners, ["ALTO_SEBINO", "BASSO_SEBINO"]);
    db.drop_pg().await;
}

/// The text of a PDF, when `pdftotext` is installed.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, pdf).ok()?;
    let out = std::process::Command::new("pdftotext").args(["-layout"]).arg(&path).arg("-").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether HTML shows the hidden-count text `<3` (escaped by the templates).
fn shows_hidden(html: &str) -> bool {
    html.contains("&#60;3") || html.contains("&lt;3")
}

/// The `<tr data-code="CODE">` row of a page, up to its end.
fn row<'a>(html: &'a str, code: &str) -> &'a str {
    let start = html.find(&format!("data-code=\"{code}\"")).unwrap_or_else(|| panic!("row {code}"));
    let rest = &html[start..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

/// The value cell of a round page's row.
fn value_cell<'a>(html: &'a str, code: &str) -> &'a str {
    let r = row(html, code);
    let start = r.find("class=\"num valore\">").expect("value cell") + "class=\"num valore\">".len();
    &r[start..start + r[start..].find("</td>").expect("end of cell")]
}

#[tokio::test]
async fn an_evaluator_sees_the_plan_with_the_small_counts_their_report_hides() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    // DN_EMERGENZA has 1 or 2 beneficiaries in 2025: the evaluator's report CSV shows «<3».
    let report = app.annual_report("ALTO_SEBINO", 2025).await.expect("report");
    let csv = ambito_render::csv_out::annual_suppressed_records(&report, 3);
    assert!(csv.iter().any(|r| r[1] == "DN_EMERGENZA" && r[5] == "<3"), "the demo's small cell");
    // A card with an indicator linked to that count, one typed count with a small baseline, and
    // a provincial card (shared) linked to it too.
    let mut file = app.export_plan("ALTO_SEBINO", TRI).await.expect("export");
    let linked = IndicatorFile {
        code: "AMB-01-X1".into(),
        text: "Beneficiari del pronto intervento Dopo di Noi".into(),
        kind: "output".into(),
        level: "micro".into(),
        measure: "count".into(),
        direction: "up".into(),
        frequency: "semiannual".into(),
        link: Some("servizio:DN_EMERGENZA:beneficiari".into()),
        ..IndicatorFile::default()
    };
    let typed = IndicatorFile {
        code: "AMB-01-X2".into(),
        text: "Minori in affido".into(),
        link: None,
        baseline: Some("2".into()),
        baseline_year: Some(2024),
        ..linked.clone()
    };
    let shared = IndicatorFile { code: "PROV-01-X3".into(), ..linked.clone() };
    let amb = file.objectives.iter_mut().find(|o| o.code == "AMB-01").expect("AMB-01");
    amb.indicators.extend([linked, typed]);
    file.objectives.iter_mut().find(|o| o.code == "PROV-01").expect("PROV-01").indicators.push(shared);
    let bytes = serde_json::to_vec(&file).expect("json");
    let outcome = app.import_plan(&Actor::COMMAND_LINE, PlanTenant::Ambito("ALTO_SEBINO"), "piano.json", &bytes).await.expect("import");
    assert!(outcome.applied, "{:?}", outcome.findings.errors);
    let cli = Actor::COMMAND_LINE;
    let n = app.open_round(&cli, "ALTO_SEBINO", TRI, 2025, 2).await.expect("open");
    let plan = app.plan_view("ALTO_SEBINO", TRI).await.expect("plan");
    let id = |code: &str| plan.cards.iter().flat_map(|c| &c.indicators).find(|i| i.code == code).map(|i| i.id).expect("indicator");
    for (code, value) in [("AMB-01-X2", "2"), ("AMB-01-O3", "12")] {
        let f = app.record_value(&cli, "ALTO_SEBINO", TRI, n, id(code), value, "", "registro", "", "A. Rossi").await.expect("value");
        assert!(!f.has_errors(), "{:?}", f.errors);
    }
    app.close_round(&cli, "ALTO_SEBINO", TRI, n, "Responsabile UdP").await.expect("close");
    let (_, full) = app.round_view("ALTO_SEBINO", TRI, n).await.expect("round");
    let small = full.lines.iter().find(|l| l.indicator.code == "AMB-01-X1").and_then(|l| l.value).expect("a frozen linked value");
    assert!(small > Decimal::ZERO && small < Decimal::from(3), "{small}");
    let small = small.to_string();

    let server = TestServer::start(app.clone()).await;
    let head = logged_in(&server.base, "alto.responsabile").await;
    let evaluator = logged_in(&server.base, "alto.valutatore").await;
    let base = format!("/ambiti/ALTO_SEBINO/piano/{TRI}");
    // The round page.
    let mine = head.get(&format!("{base}/rilevazioni/{n}")).await.text().await.expect("page");
    assert_eq!(value_cell(&mine, "AMB-01-X1").trim(), small, "staff see the figure");
    assert_eq!(value_cell(&mine, "AMB-01-X2").trim(), "2");
    let res = evaluator.get(&format!("{base}/rilevazioni/{n}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let theirs = res.text().await.expect("page");
    for code in ["AMB-01-X1", "AMB-01-X2", "PROV-01-X3"] {
        let cell = value_cell(&theirs, code);
        assert!(shows_hidden(cell) && !cell.contains(&small) && !cell.contains('2'), "{code}: {cell}");
    }
    assert_eq!(value_cell(&theirs, "AMB-01-O3").trim(), "12", "a count of 3 or more is shown");
    // The trend page and its chart.
    for code in ["AMB-01-X1", "AMB-01-X2"] {
        let page = evaluator.get(&format!("{base}/indicatori/{}", id(code))).await.text().await.expect("trend");
        assert!(page.contains("<td>2/2025</td><td class=\"num\">–</td>"), "{code}: {page}");
        let page = head.get(&format!("{base}/indicatori/{}", id(code))).await.text().await.expect("trend");
        assert!(page.contains(&format!("<td>2/2025</td><td class=\"num\">{}</td>", if code == "AMB-01-X1" { &small } else { "2" })));
    }
    // The card page: the small count baseline.
    let card = plan.cards.iter().find(|c| c.objective.code == "AMB-01").expect("card").objective.id;
    let page = evaluator.get(&format!("{base}/schede/{card}")).await.text().await.expect("card");
    assert!(shows_hidden(row(&page, "AMB-01-X2")) && !row(&page, "AMB-01-X2").contains("2 (2024)"));
    let page = head.get(&format!("{base}/schede/{card}")).await.text().await.expect("card");
    assert!(row(&page, "AMB-01-X2").contains("2 (2024)"));
    // The province view, the documents and the plan files.
    let province = evaluator.get(&format!("{base}/provincia")).await.text().await.expect("province");
    assert!(shows_hidden(&province), "Alto's cell of the shared indicator");
    for (doc, status) in [
        ("documenti/piano.json", StatusCode::FORBIDDEN),
        ("documenti/piano.xlsx", StatusCode::FORBIDDEN),
        ("documenti/piano.pdf", StatusCode::OK),
        (&format!("rilevazioni/{n}/documenti/monitoraggio.xlsx"), StatusCode::OK),
    ] {
        assert_eq!(evaluator.get(&format!("{base}/{doc}")).await.status(), status, "{doc}");
        assert_eq!(head.get(&format!("{base}/{doc}")).await.status(), StatusCode::OK, "{doc}");
    }
    // The documents are drawn from the same suppressed view.
    let (_, sheets) = app.monitoring_document("ALTO_SEBINO", TRI, n, Figures::Suppressed).await.expect("doc");
    let sheet_row = sheets[0].rows.iter().find(|r| matches!(&r[1], ambito_render::plan::Cell::Text(c) if c == "AMB-01-X1")).expect("row");
    assert!(matches!(sheet_row[9], ambito_render::plan::Cell::Empty), "{sheet_row:?}");
    let (_, sheets) = app.monitoring_document("ALTO_SEBINO", TRI, n, Figures::All).await.expect("doc");
    let sheet_row = sheets[0].rows.iter().find(|r| matches!(&r[1], ambito_render::plan::Cell::Text(c) if c == "AMB-01-X1")).expect("row");
    assert!(matches!(sheet_row[9], ambito_render::plan::Cell::Number(..)), "{sheet_row:?}");
    db.drop_pg().await;
}

#[tokio::test]
async fn a_search_answers_alike_for_a_person_of_another_ambito_and_an_unknown_code_and_is_audited() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let alto = logged_in(&server.base, "alto.responsabile").await;
    let search = |cf: &str| format!("/ambiti/ALTO_SEBINO/persone?cf={cf}");
    let basso_only = "NREANN82D55L219H";
    let unknown = "ZZZZZZ80A01F205X";
    let res = alto.get(&search(basso_only)).await;
    let (status_basso, body_basso) = (res.status(), res.text().await.expect("body"));
    let res = alto.get(&search(unknown)).await;
    let (status_unknown, body_unknown) = (res.status(), res.text().await.expect("body"));
    assert_eq!((status_basso, status_unknown), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(body_basso.replace(basso_only, "CF"), body_unknown.replace(unknown, "CF"), "same page");
    // A person of this Ambito is found (to open the record or ask for break-glass).
    let lucia = person_id(&app, "VRDLCU90A41D969R").await;
    let res = alto.get(&search("vrdlcu90a41d969r")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/ambiti/ALTO_SEBINO/persone/{lucia}"));
    // A Comune operator does not learn of a person of the Ambito outside their Comune.
    let comune = logged_in(&server.base, "alto.comune").await;
    let res = comune.get(&search("VRDLCU90A41D969R")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Every search is in the register, with the caller and the Ambito; the person only when
    // they have a case here, and never the code typed.
    let entries = audit_of(&app, "alto.responsabile", "person.search").await;
    assert_eq!(entries.len(), 3, "{entries:?}");
    assert!(entries.iter().all(|e| e.ambito.as_deref() == Some("ALTO_SEBINO")));
    let anna = person_id(&app, basso_only).await;
    let named: Vec<_> = entries.iter().filter_map(|e| e.person_id).collect();
    assert_eq!(named, [lucia], "Anna ({anna}) is not Alto's to record");
    let all = app.search_audit(&ambito_store::AuditQuery { limit: 100_000, ..Default::default() }).await.expect("audit");
    assert!(all.iter().all(|e| ![basso_only, unknown].iter().any(|cf| format!("{e:?}").contains(cf))), "no searched code stored in clear");
    assert_eq!(audit_of(&app, "alto.comune", "person.search").await[0].person_id, Some(lucia));
    db.drop_pg().await;
}
