//! Interventions (process D), the courts and case-derived figures (issue 15), over real HTTP
//! against a real database: what is saved, what bad input is refused with nothing changed, what
//! another person's or Ambito's ids in a URL answer, who may see court material, and that a
//! report from the case record equals the same figures entered by hand.

use crate::access::{DEMO_PASSWORD, demo_app, logged_in, person_id};
use crate::browser::{Browser, location};
use crate::support::{TestDb, TestServer};
use ambito_app::App;
use ambito_app::access::demo::DEMO_CITIZEN_CF;
use ambito_domain::ids::{AmbitoId, AmbitoScope};
use ambito_store as store;
use reqwest::StatusCode;

mod courts;
mod figures;

const LUCIA: &str = "VRDLCU90A41D969R";
const GIOVANNI: &str = "BNCGNN75M12F205W";

async fn count(app: &App, sql: &str) -> i64 {
    let mut conn = app.store.read().await.expect("conn");
    sqlx::Row::get(&sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&mut *conn).await.expect("count"), 0)
}

/// The person's cases as (case id, Ambito code).
async fn cases(app: &App, person: i64) -> Vec<(i64, String)> {
    let mut conn = app.store.read().await.expect("conn");
    store::cases_of(&mut conn, person).await.expect("cases").into_iter().map(|c| (c.id, c.ambito_code)).collect()
}

async fn service_id(app: &App, ambito: &str, code: &str) -> i64 {
    count(app, &format!("SELECT s.id FROM service s JOIN ambito a ON a.id = s.ambito_id WHERE a.code = '{ambito}' AND s.code = '{code}'"))
        .await
}

async fn scope(app: &App, code: &str) -> AmbitoScope {
    let a = app.ambito(code).await.expect("ambito");
    AmbitoScope { id: AmbitoId(a.id), code: a.code, name: a.name }
}

/// The principal of a demo account, as its API token resolves it.
pub async fn principal(app: &App, username: &str) -> ambito_domain::access::Principal {
    let token = crate::support::token_for(app, username).await;
    app.api_principal(&token).await.expect("principal").expect("known token")
}

/// Posts a form with the page's CSRF token.
async fn post(b: &Browser, page: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let csrf = b.csrf(page).await;
    let mut form = form.to_vec();
    form.push(("_csrf", &csrf));
    b.post(path, &form).await
}

fn service_form<'a>(service: &'a str, start: &'a str, end: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("tipo", "servizio"), ("servizio", service), ("inizio", start), ("fine", end), ("quantita_mese", "10"), ("ente", "COOP_SEBINO")]
}

#[tokio::test]
async fn an_intervention_is_saved_bad_input_changes_nothing_and_foreign_ids_are_not_found() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let mario = person_id(&app, DEMO_CITIZEN_CF).await;
    let lucia = person_id(&app, LUCIA).await;
    let giovanni = person_id(&app, GIOVANNI).await;
    let (case, _) = cases(&app, mario).await[0].clone();
    let (lucia_case, _) = cases(&app, lucia).await[0].clone();
    let giovanni_basso = cases(&app, giovanni).await.into_iter().find(|c| c.1 == "BASSO_SEBINO").expect("basso case").0;
    let sad = service_id(&app, "ALTO_SEBINO", "SAD").await.to_string();
    let list = format!("/ambiti/ALTO_SEBINO/persone/{mario}/casi/{case}/interventi");
    let worker = logged_in(&server.base, "alto.assistente").await;
    assert_eq!(worker.get(&list).await.status(), StatusCode::OK);
    // Saved, and shown on its page with its month table.
    let res = post(&worker, &list, &list, &service_form(&sad, "2025-03-01", "2025-05-31")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap_or_default());
    let detail = location(&res);
    let page = worker.get(&detail).await.text().await.expect("body");
    assert!(page.contains("Servizio (ore)") && page.contains("SAD") && page.contains("2025-04"), "{page}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM intervention").await, 1);
    let audited = count(&app, "SELECT COUNT(*) FROM audit_log WHERE object LIKE 'intervento/%'").await;
    assert_eq!(audited, 1, "the write is audited");
    // Bad input: 422 with the field's message and the values kept, nothing saved.
    for (form, message) in [
        (service_form("999999", "2025-03-01", ""), "servizio sconosciuto"),
        (service_form(&sad, "2024-01-15", ""), "apertura del caso"),
        (service_form(&sad, "2025-05-01", "2025-04-01"), "la fine precede"),
        (
            vec![
                ("tipo", "contributo_economico"),
                ("servizio", &sad),
                ("inizio", "2025-03-01"),
                ("importo", "300"),
                ("quota_ambito", "100"),
                ("periodicita", "mensile"),
            ],
            "le quote",
        ),
    ] {
        let res = post(&worker, &list, &list, &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.expect("body");
        assert!(body.contains(message), "{message} missing in {body}");
        assert!(body.contains("value=\"2025-") || body.contains("value=\"2024-"), "values kept");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM intervention").await, 1, "nothing saved");
    // Another person's case under Mario's URL, Mario's intervention under another case, a case
    // of another Ambito: not found, nothing changed.
    let id = detail.rsplit('/').next().expect("id").to_string();
    assert_eq!(
        worker.get(&format!("/ambiti/ALTO_SEBINO/persone/{mario}/casi/{lucia_case}/interventi")).await.status(),
        StatusCode::NOT_FOUND
    );
    let boss = logged_in(&server.base, "alto.responsabile").await;
    let foreign = format!("/ambiti/ALTO_SEBINO/persone/{lucia}/casi/{lucia_case}/interventi/{id}");
    assert_eq!(boss.get(&foreign).await.status(), StatusCode::NOT_FOUND);
    let lucia_list = format!("/ambiti/ALTO_SEBINO/persone/{lucia}/casi/{lucia_case}/interventi");
    let res = post(&boss, &lucia_list, &format!("{foreign}/sospensione"), &[("dal", "2025-04-01"), ("motivo", "prova")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        boss.get(&format!("/ambiti/ALTO_SEBINO/persone/{giovanni}/casi/{giovanni_basso}/interventi")).await.status(),
        StatusCode::NOT_FOUND,
        "a case of Basso Sebino through Alto Sebino's route"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM intervention_suspension").await, 0);
    // Denied: another Ambito's worker, the evaluator, the citizen writing, a worker outside the
    // care team, anonymous.
    let other = logged_in(&server.base, "basso.assistente").await;
    assert_eq!(other.get(&list).await.status(), StatusCode::FORBIDDEN);
    let evaluator = logged_in(&server.base, "alto.valutatore").await;
    assert_eq!(evaluator.get(&list).await.status(), StatusCode::FORBIDDEN);
    let outside = format!("/ambiti/ALTO_SEBINO/persone/{lucia}/casi/{lucia_case}/interventi");
    assert_eq!(worker.get(&outside).await.status(), StatusCode::FORBIDDEN, "not in Lucia's care team: break-glass first");
    let res = post(&worker, &list, &outside, &service_form(&sad, "2025-03-01", "")).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let citizen = Browser::new(&server.base);
    assert_eq!(citizen.login("cittadino.rossi", DEMO_PASSWORD, None).await, StatusCode::SEE_OTHER);
    let csrf = citizen.csrf("/").await;
    let mut form = service_form(&sad, "2025-03-01", "");
    form.push(("_csrf", &csrf));
    assert_eq!(citizen.post(&list, &form).await.status(), StatusCode::FORBIDDEN);
    let anon = Browser::new(&server.base);
    let res = anon.get(&list).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/accesso"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM intervention").await, 1, "no refused caller wrote anything");
    db.drop_pg().await;
}

#[tokio::test]
async fn suspension_resumption_correction_and_deliveries_against_the_plan() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let mario = person_id(&app, DEMO_CITIZEN_CF).await;
    let (case, _) = cases(&app, mario).await[0].clone();
    let sad = service_id(&app, "ALTO_SEBINO", "SAD").await.to_string();
    // The provider's delivery events for Mario's codice_persona: 4,5 hours in March, 3 in April.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("consegne-2025.csv");
    let header = ambito_domain::deliveries::COLUMNS.join(";");
    std::fs::write(
        &path,
        format!(
            "{header}\n2025-03-03;SAD;016086;DEMO-P001;2,5;si;COOP_SEBINO\n2025-03-10;SAD;016086;DEMO-P001;2;si;COOP_SEBINO\n\
             2025-04-02;SAD;016086;DEMO-P001;3;si;COOP_SEBINO\n2025-04-02;SAD_PASTI;016086;DEMO-P001;1;no;COOP_SEBINO\n"
        ),
    )
    .expect("write");
    let opts = ambito_app::deliveries::DeliveryImport { ambito_code: "ALTO_SEBINO", year: None, providers: None };
    assert!(app.import_deliveries(&path, opts, &ambito_app::NoProgress).await.expect("import").applied);
    let list = format!("/ambiti/ALTO_SEBINO/persone/{mario}/casi/{case}/interventi");
    let worker = logged_in(&server.base, "alto.assistente").await;
    let res = post(&worker, &list, &list, &service_form(&sad, "2025-03-01", "2025-05-31")).await;
    let detail = location(&res);
    let row = |m: &str, planned: &str, delivered: &str, diff: &str| {
        format!(
            "<th scope=\"row\">{m}</th><td class=\"text-end\">{planned}</td><td class=\"text-end\">{delivered}</td><td class=\"text-end{}\">{diff}</td>",
            if diff.starts_with('-') { " text-danger" } else { "" }
        )
    };
    let page = worker.get(&detail).await.text().await.expect("body");
    assert!(page.contains(&row("2025-03", "10", "4,5", "-5,5")), "{page}");
    assert!(page.contains(&row("2025-04", "10", "3", "-7")), "the meals of another service do not count");
    assert!(page.contains(&row("2025-05", "10", "0", "-10")));
    // Suspended from 16 April, resumed on 1 May: April's plan is 15 days of 30.
    let res = post(&worker, &detail, &format!("{detail}/sospensione"), &[("dal", "2025-04-16"), ("motivo", "Ricovero ospedaliero")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post(&worker, &detail, &format!("{detail}/sospensione"), &[("dal", "2025-04-20"), ("motivo", "Di nuovo")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "already suspended");
    assert!(res.text().await.expect("body").contains("già sospeso"));
    let res = post(&worker, &detail, &format!("{detail}/ripresa"), &[("il", "2025-04-10")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a resumption before the suspension");
    let res = post(&worker, &detail, &format!("{detail}/ripresa"), &[("il", "2025-05-01")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = worker.get(&detail).await.text().await.expect("body");
    assert!(page.contains(&row("2025-04", "5", "3", "-2")), "{page}");
    assert!(page.contains("Ricovero ospedaliero") && page.contains("2025-05-01"));
    let res = post(&worker, &detail, &format!("{detail}/ripresa"), &[("il", "2025-05-10")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "not suspended any more");
    // A correction is a new version with its reason; the first stays, marked superseded.
    let mut form = service_form(&sad, "2025-03-01", "2025-05-31");
    form.retain(|(k, _)| *k != "quantita_mese");
    form.push(("quantita_mese", "12"));
    let res = post(&worker, &detail, &detail, &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a correction needs its reason");
    form.push(("motivo", "Piano rivisto con la famiglia"));
    let res = post(&worker, &detail, &detail, &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), detail, "the series keeps its address");
    let page = worker.get(&detail).await.text().await.expect("body");
    assert!(page.contains("Versione 2") && page.contains("Piano rivisto con la famiglia"));
    assert!(page.contains(&row("2025-03", "12", "4,5", "-7,5")));
    assert!(page.contains(&row("2025-04", "6", "3", "-3")), "the suspension survives the correction");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM intervention").await, 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM intervention WHERE superseded_by IS NOT NULL").await, 1);
    // Ended early: a third version.
    let res = post(&worker, &detail, &format!("{detail}/conclusione"), &[("fine", "2025-04-30"), ("motivo", "Obiettivi raggiunti")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post(&worker, &detail, &format!("{detail}/conclusione"), &[("fine", "2025-02-01"), ("motivo", "Errore")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "an end before the start");
    let alto = scope(&app, "ALTO_SEBINO").await;
    let p = principal(&app, "alto.assistente").await;
    let view =
        app.case_interventions(&p, &alto, ambito_domain::ids::PersonId(mario), ambito_domain::ids::CaseId(case)).await.expect("view");
    assert_eq!(view.items.len(), 1);
    assert_eq!(view.items[0].row.end_on.as_deref(), Some("2025-04-30"));
    assert_eq!(view.items[0].row.version, 3);
    let months: Vec<&str> = view.items[0].months.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(months, vec!["2025-03", "2025-04"]);
    db.drop_pg().await;
}
