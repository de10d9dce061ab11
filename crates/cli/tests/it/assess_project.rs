//! Processes B and C of the case record over real HTTP: a Barthel assessment scored and saved,
//! wrong answers refused field by field with nothing saved, corrections as new versions, the
//! project's versions and reviews, the work list of overdue reviews, and every refusal (a case
//! or an assessment of someone else, another Ambito, and the roles that may not see them).

use crate::access::{demo_app, logged_in, person_id};
use crate::browser::{Browser, csrf_of, location};
use crate::support::{TestDb, TestServer, bearer_client, token_for};
use ambito_app::App;
use ambito_app::access::demo::DEMO_CITIZEN_CF;
use ambito_domain::ids::AmbitoScope;
use reqwest::StatusCode;

/// The person's cases as `(case id, Ambito code)`.
async fn cases(app: &App, person: i64) -> Vec<(i64, String)> {
    let mut conn = app.store.read().await.unwrap();
    ambito_store::cases_of(&mut conn, person).await.unwrap().into_iter().map(|c| (c.id, c.ambito_code)).collect()
}

async fn count(app: &App, table: &str) -> i64 {
    let mut conn = app.store.read().await.unwrap();
    sqlx::Row::get(&sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"))).fetch_one(&mut *conn).await.unwrap(), 0)
}

async fn user_id(app: &App, name: &str) -> i64 {
    let mut conn = app.store.read().await.unwrap();
    ambito_store::user_by_username(&mut conn, name).await.unwrap().unwrap().id
}

async fn form_id(app: &App, code: &str) -> i64 {
    app.assessment_forms().await.unwrap().into_iter().find(|f| f.definition.code == code).unwrap().id
}

/// Mario Rossi's Alto Sebino case, followed by alto.assistente.
async fn mario(app: &App) -> (i64, String) {
    let mario = person_id(app, DEMO_CITIZEN_CF).await;
    let (case, _) = cases(app, mario).await[0].clone();
    (mario, format!("/ambiti/ALTO_SEBINO/persone/{mario}/casi/{case}"))
}

/// A Barthel sheet totalling 75 (moderate dependency), with overrides.
fn barthel(form: i64, day: &str, csrf: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut answers = vec![
        ("alimentazione", "10"),
        ("bagno", "5"),
        ("igiene_personale", "5"),
        ("vestirsi", "10"),
        ("controllo_intestinale", "10"),
        ("controllo_vescicale", "10"),
        ("uso_gabinetto", "5"),
        ("trasferimenti", "10"),
        ("deambulazione", "5"),
        ("scale", "5"),
    ];
    for (k, v) in changes {
        answers.retain(|(a, _)| a != k);
        if !v.is_empty() {
            answers.push((k, v));
        }
    }
    let mut out: Vec<(String, String)> = answers.into_iter().map(|(k, v)| (format!("q_{k}"), v.to_string())).collect();
    out.extend([("form_id".into(), form.to_string()), ("assessed_on".into(), day.into()), ("_csrf".into(), csrf.into())]);
    out
}

async fn post(b: &Browser, path: &str, form: &[(String, String)]) -> reqwest::Response {
    b.client.post(format!("{}{path}", b.base)).form(form).send().await.unwrap()
}

#[tokio::test]
async fn a_barthel_assessment_is_scored_saved_and_corrected_as_a_new_version() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let (_, case) = mario(&app).await;
    let barthel_id = form_id(&app, "barthel").await;
    let b = logged_in(&server.base, "alto.assistente").await;
    let list = b.get(&format!("{case}/valutazioni")).await;
    assert_eq!(list.status(), StatusCode::OK);
    let list = list.text().await.unwrap();
    for title in ["Indice di Barthel", "ADL – Indice di Katz", "IADL – Scala di Lawton", "SINA", "SINBA"] {
        assert!(list.contains(title), "{title} offered");
    }
    let page = b.get(&format!("{case}/valutazioni/nuova?modulo={barthel_id}")).await.text().await.unwrap();
    assert!(page.contains(r#"name="q_trasferimenti""#) && page.contains("Indipendente (15)"), "rendered from the definition");
    let csrf = csrf_of(&page);

    // Wrong answers: every problem named, field by field, and nothing saved.
    let bad = barthel(barthel_id, "2025-03-10", &csrf, &[("bagno", "10"), ("scale", "")]);
    let res = post(&b, &format!("{case}/valutazioni"), &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("«Fare il bagno o la doccia»: valore non previsto"), "{body}");
    assert!(body.contains("«Salire e scendere le scale»: risposta mancante"));
    assert!(body.contains(r#"value="10" checked"#), "the answers given are kept");
    let future = barthel(barthel_id, "2999-01-01", &csrf, &[]);
    let res = post(&b, &format!("{case}/valutazioni"), &future).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("non può essere nel futuro"));
    let before_opening = barthel(barthel_id, "2024-01-31", &csrf, &[]);
    assert_eq!(post(&b, &format!("{case}/valutazioni"), &before_opening).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, "assessment").await, 0, "nothing saved");

    // The right sheet: 75, moderate dependency.
    let res = post(&b, &format!("{case}/valutazioni"), &barthel(barthel_id, "2025-03-10", &csrf, &[])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let first = location(&res);
    let shown = b.get(&first).await.text().await.unwrap();
    assert!(shown.contains(r#"<dd class="col-sm-9" id="punteggio">75</dd>"#), "{shown}");
    assert!(shown.contains(r#"id="fascia">dipendenza moderata<"#));
    let mut conn = app.store.read().await.unwrap();
    let cases = ambito_store::assessments_of_case(&mut conn, first.split('/').nth(6).unwrap().parse().unwrap()).await.unwrap();
    drop(conn);
    assert_eq!((cases.len(), cases[0].score, cases[0].band.as_deref()), (1, Some(75), Some("dipendenza moderata")));

    // A correction is a new version with its reason; the old one stays and says so.
    let mut fix = barthel(barthel_id, "2025-03-10", &csrf, &[("scale", "10")]);
    fix.push(("motivo".into(), "breve".into()));
    let res = post(&b, &format!("{first}/correzione"), &fix).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("«Motivo della correzione»"));
    fix.retain(|(k, _)| k != "motivo");
    fix.push(("motivo".into(), "Scale rivalutate con la fisioterapista".into()));
    let res = post(&b, &format!("{first}/correzione"), &fix).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let second = location(&res);
    assert_ne!(second, first);
    let shown = b.get(&second).await.text().await.unwrap();
    assert!(shown.contains(r#"id="punteggio">80<"#) && shown.contains("Scale rivalutate") && shown.contains("Versioni precedenti"));
    let old = b.get(&first).await.text().await.unwrap();
    assert!(old.contains("corretta") && old.contains(r#"id="punteggio">75<"#) && !old.contains("salva-correzione"), "old version readable");
    assert_eq!(post(&b, &format!("{first}/correzione"), &fix).await.status(), StatusCode::BAD_REQUEST, "only the version in force");
    assert_eq!(count(&app, "assessment").await, 2);
    let log = app
        .search_audit(&ambito_store::AuditQuery { username: Some("alto.assistente".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    for action in ["assessment.create", "assessment.correct"] {
        assert!(log.iter().any(|e| e.action == action && e.person_id.is_some()), "{action} audited");
    }
    assert!(log.iter().any(|e| e.action == "person.read" && e.object.ends_with("/valutazioni")), "reads audited by the guard");
    db.drop_pg().await;
}

fn project_form(csrf: &str, valid_from: &str, goal: &str, reason: Option<&str>, manager: i64) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("_csrf", csrf),
        ("valid_from", valid_from),
        ("review_every_months", "6"),
        ("agreement", "firmato"),
        ("agreed_on", valid_from),
        ("goal_0_horizon", "breve"),
        ("goal_0_text", goal),
        ("goal_0_date", "2025-12-31"),
        ("goal_1_horizon", "lungo"),
        ("goal_1_text", "Permanenza al domicilio"),
        ("goal_1_date", ""),
        ("planned_interventions", "Assistenza domiciliare tre volte a settimana"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    f.push(("manager_id".into(), manager.to_string()));
    f.push(("team".into(), manager.to_string()));
    f.push((format!("role_{manager}"), "Assistente sociale, case manager".into()));
    if let Some(r) = reason {
        f.push(("reason".into(), r.into()));
    }
    f
}

fn review_form<'a>(csrf: &'a str, day: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("_csrf", csrf), ("reviewed_on", day), ("outcome", "parziali"), ("notes", "SAD da potenziare"), ("next_review_on", "")]
}

#[tokio::test]
async fn project_versions_keep_the_old_ones_and_reviews_check_their_dates() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let (_, case) = mario(&app).await;
    let assistente = user_id(&app, "alto.assistente").await;
    let b = logged_in(&server.base, "alto.assistente").await;
    let csrf = b.csrf(&format!("{case}/progetto")).await;
    let path = format!("{case}/progetto");

    // A version needs goals and a valid interval.
    let mut bad = project_form(&csrf, "2025-01-10", "", None, assistente);
    bad.retain(|(k, _)| !k.starts_with("goal_1"));
    bad.retain(|(k, _)| k != "review_every_months");
    bad.push(("review_every_months".into(), "30".into()));
    let res = post(&b, &path, &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("indicare almeno un obiettivo") && body.contains("da 1 a 24 mesi"), "{body}");
    assert_eq!(count(&app, "project").await, 0);

    let res = post(&b, &path, &project_form(&csrf, "2025-01-10", "Attivare il SAD", None, assistente)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap_or_default());
    // A revision needs its reason; then it is version 2 and version 1 stays as it was.
    let res = post(&b, &path, &project_form(&csrf, "2025-03-01", "SAD attivo, pasti a domicilio", None, assistente)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("«Motivo della modifica»"));
    let earlier = project_form(&csrf, "2024-12-01", "x", Some("Rivista dopo il colloquio"), assistente);
    assert_eq!(post(&b, &path, &earlier).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "not before the version in force");
    let v2 =
        project_form(&csrf, "2025-03-01", "SAD attivo, pasti a domicilio", Some("Rivista dopo il colloquio con la figlia"), assistente);
    assert_eq!(post(&b, &path, &v2).await.status(), StatusCode::SEE_OTHER);
    let page = b.get(&path).await.text().await.unwrap();
    assert!(page.contains("Versione in vigore: 2") && page.contains("Versioni precedenti") && page.contains("Versione 1"), "{page}");
    assert!(
        page.contains("Attivare il SAD") && page.contains("SAD attivo, pasti a domicilio") && page.contains("Rivista dopo il colloquio")
    );
    assert_eq!((count(&app, "project").await, count(&app, "project_goal").await, count(&app, "project_team").await), (2, 4, 2));

    // Reviews: not before the project, not in the future.
    let review = |day: &'static str| review_form(&csrf, day);
    let res = b.post(&format!("{path}/revisioni"), &review("2024-12-31")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("precedente al progetto, valido dal 2025-01-10"));
    let res = b.post(&format!("{path}/revisioni"), &review("2999-01-01")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("non può essere nel futuro"));
    let res = b.post(&format!("{path}/revisioni"), &[("_csrf", csrf.as_str()), ("reviewed_on", "2025-07-01"), ("outcome", "boh")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, "project_review").await, 0);
    assert_eq!(b.post(&format!("{path}/revisioni"), &review("2025-07-01")).await.status(), StatusCode::SEE_OTHER);
    let page = b.get(&path).await.text().await.unwrap();
    assert!(page.contains("Obiettivi raggiunti in parte") && page.contains(r#"id="prossima-revisione">2026-01-01<"#), "{page}");

    // The head of service's list: due after the date the review set (2025-07-01 + 6 months).
    let scope = app.find_ambito_scope("ALTO_SEBINO").await.unwrap().unwrap();
    let due = app.reviews_due(&scope, "2026-03-01").await.unwrap();
    assert_eq!(
        due.iter().map(|d| (d.cognome.as_str(), d.next_review_on.as_str(), d.manager_id)).collect::<Vec<_>>(),
        vec![("Rossi", "2026-01-01", Some(assistente))]
    );
    assert!(app.reviews_due(&scope, "2026-01-01").await.unwrap().is_empty(), "due means before today");
    let basso: AmbitoScope = app.find_ambito_scope("BASSO_SEBINO").await.unwrap().unwrap();
    assert!(app.reviews_due(&basso, "2030-01-01").await.unwrap().is_empty(), "another Ambito's list");
    db.drop_pg().await;
}

#[tokio::test]
async fn another_persons_or_ambitos_case_is_not_found_and_every_other_role_is_refused() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let (mario, case) = mario(&app).await;
    let barthel_id = form_id(&app, "barthel").await;
    let lucia = person_id(&app, "VRDLCU90A41D969R").await;
    let giovanni = person_id(&app, "BNCGNN75M12F205W").await;
    let lucia_case = cases(&app, lucia).await[0].0;
    let g = cases(&app, giovanni).await;
    let (g_alto, g_basso) = (g.iter().find(|c| c.1 == "ALTO_SEBINO").unwrap().0, g.iter().find(|c| c.1 == "BASSO_SEBINO").unwrap().0);
    let worker = logged_in(&server.base, "alto.assistente").await;
    let csrf = worker.csrf(&format!("{case}/valutazioni")).await;
    let res = post(&worker, &format!("{case}/valutazioni"), &barthel(barthel_id, "2025-03-10", &csrf, &[])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let assessment = location(&res).rsplit('/').next().unwrap().to_string();

    // Someone else's case under Mario's path: not found, and nothing written.
    let foreign = format!("/ambiti/ALTO_SEBINO/persone/{mario}/casi/{lucia_case}");
    assert_eq!(worker.get(&format!("{foreign}/valutazioni")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(worker.get(&format!("{foreign}/progetto")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        post(&worker, &format!("{foreign}/valutazioni"), &barthel(barthel_id, "2025-03-10", &csrf, &[])).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(worker.get(&format!("{foreign}/valutazioni/{assessment}")).await.status(), StatusCode::NOT_FOUND);
    // The head of service sees Giovanni's closed Alto Sebino case, never his Basso Sebino one
    // through the Alto Sebino path, nor Mario's assessment through Giovanni's case.
    let head = logged_in(&server.base, "alto.responsabile").await;
    let g_path = |c: i64| format!("/ambiti/ALTO_SEBINO/persone/{giovanni}/casi/{c}");
    assert_eq!(head.get(&format!("{}/valutazioni", g_path(g_alto))).await.status(), StatusCode::OK);
    assert_eq!(head.get(&format!("{}/valutazioni", g_path(g_basso))).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(head.get(&format!("{}/valutazioni/{assessment}", g_path(g_alto))).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(head.get(&format!("{case}/valutazioni/{assessment}")).await.status(), StatusCode::OK);
    // A closed case takes no new assessment.
    let head_csrf = head.csrf(&format!("{}/valutazioni", g_path(g_alto))).await;
    let res = post(&head, &format!("{}/valutazioni", g_path(g_alto)), &barthel(barthel_id, "2024-03-10", &head_csrf, &[])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Il caso è chiuso"));
    // Mario's case under the other Ambito's route is refused by the guard.
    let basso_path = case.replace("ALTO_SEBINO", "BASSO_SEBINO");
    assert_eq!(worker.get(&format!("{basso_path}/valutazioni")).await.status(), StatusCode::FORBIDDEN);

    // The roles that may not see assessments or projects, and a worker outside the care team.
    let mut refused = 0;
    let pages = [
        format!("{case}/valutazioni"),
        format!("{case}/valutazioni/{assessment}"),
        format!("{case}/progetto"),
        format!("{case}/valutazioni/nuova?modulo={barthel_id}"),
    ];
    let writes = [
        format!("{case}/valutazioni"),
        format!("{case}/progetto"),
        format!("{case}/progetto/revisioni"),
        format!("{case}/valutazioni/{assessment}/correzione"),
    ];
    let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut callers = vec![("anonimo", anon)];
    for user in ["alto.ente", "alto.valutatore", "basso.assistente", "cittadino.rossi", "alto.psicologo", "basso.responsabile"] {
        callers.push((user, bearer_client(&token_for(&app, user).await)));
    }
    let before = (count(&app, "assessment").await, count(&app, "project").await, count(&app, "project_review").await);
    for (who, client) in &callers {
        for p in &pages {
            let status = client.get(format!("{}{p}", server.base)).send().await.unwrap().status();
            assert!(
                matches!(status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER),
                "GET {p} as {who}: {status}"
            );
            refused += 1;
        }
        for p in &writes {
            let form = barthel(barthel_id, "2025-03-10", "", &[("motivo", "tentativo di scrittura")]);
            let status = client.post(format!("{}{p}", server.base)).form(&form).send().await.unwrap().status();
            assert!(
                matches!(status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER),
                "POST {p} as {who}: {status}"
            );
            refused += 1;
        }
    }
    assert_eq!(refused, callers.len() * 8);
    let after = (count(&app, "assessment").await, count(&app, "project").await, count(&app, "project_review").await);
    assert_eq!(before, after, "no refused write changed anything");
    // The citizen's own area never shows assessments.
    let citizen = Browser::new(&server.base);
    assert_eq!(citizen.login("cittadino.rossi", crate::access::DEMO_PASSWORD, None).await, StatusCode::SEE_OTHER);
    let own = citizen.get("/area-personale/dati.json").await.text().await.unwrap();
    assert!(!own.contains("dipendenza") && !own.contains("Barthel"), "no assessment in the citizen's data");
    db.drop_pg().await;
}

#[tokio::test]
async fn the_purge_removes_assessments_and_projects_of_purged_persons() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let (mario, case) = mario(&app).await;
    let barthel_id = form_id(&app, "barthel").await;
    let assistente = user_id(&app, "alto.assistente").await;
    let b = logged_in(&server.base, "alto.assistente").await;
    let csrf = b.csrf(&format!("{case}/valutazioni")).await;
    assert_eq!(
        post(&b, &format!("{case}/valutazioni"), &barthel(barthel_id, "2025-03-10", &csrf, &[])).await.status(),
        StatusCode::SEE_OTHER
    );
    let mut fix = barthel(barthel_id, "2025-03-10", &csrf, &[("scale", "10")]);
    fix.push(("motivo".into(), "Correzione dopo la visita domiciliare".into()));
    let mut conn = app.store.read().await.unwrap();
    let id = ambito_store::assessments_of_case(&mut conn, cases(&app, mario).await[0].0).await.unwrap()[0].id;
    drop(conn);
    assert_eq!(post(&b, &format!("{case}/valutazioni/{id}/correzione"), &fix).await.status(), StatusCode::SEE_OTHER);
    let path = format!("{case}/progetto");
    assert_eq!(
        post(&b, &path, &project_form(&csrf, "2025-01-10", "Attivare il SAD", None, assistente)).await.status(),
        StatusCode::SEE_OTHER
    );
    let v2 = project_form(&csrf, "2025-02-10", "Pasti", Some("Aggiunti i pasti a domicilio"), assistente);
    assert_eq!(post(&b, &path, &v2).await.status(), StatusCode::SEE_OTHER);
    let review = [("_csrf", csrf.as_str()), ("reviewed_on", "2025-06-01"), ("outcome", "raggiunti")];
    assert_eq!(b.post(&format!("{path}/revisioni"), &review).await.status(), StatusCode::SEE_OTHER);
    let counts = |app: App| async move {
        let mut out = Vec::new();
        for t in ["assessment", "project", "project_goal", "project_team", "project_review"] {
            out.push(count(&app, t).await);
        }
        out
    };
    assert_eq!(counts(app.clone()).await, vec![2, 2, 4, 2, 1]);
    let mut tx = app.store.write_untracked().await.unwrap();
    sqlx::query("UPDATE care_case SET closed_on = '2010-01-31' WHERE person_id = $1").bind(mario).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let report = app.purge_expired(None, 10, time::macros::date!(2026 - 11 - 23), true).await.unwrap();
    assert_eq!(report.persons, vec![mario]);
    assert!(app.person_by_cf(DEMO_CITIZEN_CF).await.unwrap().is_none());
    assert_eq!(counts(app.clone()).await, vec![0, 0, 0, 0, 0], "the purge removes processes B and C too");
    assert_eq!(count(&app, "assessment_form").await, 5, "the forms stay");
    db.drop_pg().await;
}

#[tokio::test]
async fn the_seeded_forms_are_the_domains_builtin_forms() {
    let db = TestDb::new().await;
    let app = db.app().await;
    let forms = app.assessment_forms().await.unwrap();
    let seeded: Vec<_> = forms.iter().map(|f| f.definition.clone()).collect();
    let mut builtin = ambito_domain::scales::builtin_forms();
    builtin.sort_by(|a, b| a.code.cmp(&b.code));
    assert_eq!(seeded, builtin, "migration 0013 seeds exactly the domain's definitions");
    assert!(forms.iter().all(|f| f.active));
    db.drop_pg().await;
}
