//! Court orders, report deadlines and placements: saved, listed by `court_deadlines_due`, and
//! shown only to who may write the record.

use super::{LUCIA, cases, count, post, scope};
use crate::access::{DEMO_PASSWORD, demo_app, logged_in, person_id};
use crate::browser::Browser;
use crate::support::{TestDb, TestServer};
use ambito_app::access::demo::DEMO_CITIZEN_CF;
use ambito_app::cases::interventions::today;
use ambito_domain::interventions::calendar::{add_days, iso};
use reqwest::StatusCode;

fn as_refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn days_from_today(n: i64) -> String {
    iso(add_days(today(), n).expect("day"))
}

#[tokio::test]
async fn court_orders_deadlines_and_placements_are_recorded_listed_and_kept_from_readers_who_may_not_write() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let mario = person_id(&app, DEMO_CITIZEN_CF).await;
    let lucia = person_id(&app, LUCIA).await;
    let (case, _) = cases(&app, mario).await[0].clone();
    let (lucia_case, _) = cases(&app, lucia).await[0].clone();
    let page = format!("/ambiti/ALTO_SEBINO/persone/{mario}/casi/{case}/tribunale");
    let worker = logged_in(&server.base, "alto.assistente").await;
    assert_eq!(worker.get(&page).await.status(), StatusCode::OK);
    let (today_iso, due) = (days_from_today(0), days_from_today(10));
    let order = |number: &'static str, date: String, due: String| {
        vec![
            ("autorita", "tribunale_minorenni".to_string()),
            ("numero", number.to_string()),
            ("data", date),
            ("tipo", "provvisorio".to_string()),
            ("dispositivo", "Affidamento al servizio sociale, collocamento in comunità.".to_string()),
            ("scadenza", due),
            ("scadenza_cosa", "Relazione di aggiornamento".to_string()),
        ]
    };
    let good = order("123/2026 V.G.", today_iso.clone(), due.clone());
    let res = post(&worker, &page, &page, &as_refs(&good)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let body = worker.get(&page).await.text().await.expect("body");
    assert!(body.contains("123/2026 V.G.") && body.contains("Tribunale per i Minorenni") && body.contains("In scadenza"), "{body}");
    // Bad input: a future order, a deadline before the order; nothing saved.
    for (bad, message) in [
        (order("1/2026", days_from_today(3), days_from_today(20)), "non può essere futura"),
        (order("2/2026", today_iso.clone(), days_from_today(-5)), "la scadenza precede il provvedimento"),
    ] {
        let res = post(&worker, &page, &page, &as_refs(&bad)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.expect("body").contains(message), "{message}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM court_order").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM court_deadline").await, 1);
    // The work list: within 30 days yes, within 5 no; overdue ones are always there.
    let alto = scope(&app, "ALTO_SEBINO").await;
    let listed = app.court_deadlines_due(&alto, &today_iso, 30).await.expect("due");
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].person_id, listed[0].case_id, listed[0].due_on.as_str()), (mario, case, due.as_str()));
    assert_eq!((listed[0].cognome.as_str(), listed[0].court.as_str()), ("Rossi", "tribunale_minorenni"));
    assert!(app.court_deadlines_due(&alto, &today_iso, 5).await.expect("due").is_empty());
    assert_eq!(app.court_deadlines_due(&alto, &days_from_today(40), 0).await.expect("due").len(), 1, "overdue");
    assert!(app.court_deadlines_due(&scope(&app, "BASSO_SEBINO").await, &today_iso, 30).await.expect("due").is_empty());
    // A placement disposed by the order; a second deadline; the report sent.
    let order_id = count(&app, "SELECT id FROM court_order").await.to_string();
    let res = post(
        &worker,
        &page,
        &format!("{page}/collocamento"),
        &[("tipo", "comunita_residenziale"), ("luogo", "Comunità Il Faro"), ("inizio", &today_iso), ("provvedimento", &order_id)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post(
        &worker,
        &page,
        &format!("{page}/collocamento"),
        &[("tipo", "affido_familiare"), ("luogo", "Famiglia"), ("inizio", "2020-01-01")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "before the case opened");
    let res = post(
        &worker,
        &page,
        &format!("{page}/scadenza"),
        &[("provvedimento", &order_id), ("scadenza", &days_from_today(90)), ("scadenza_cosa", "Relazione finale")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let first = count(&app, "SELECT MIN(id) FROM court_deadline").await.to_string();
    let res = post(&worker, &page, &format!("{page}/inviata"), &[("id", &first), ("inviata_il", &days_from_today(1))]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "not sent in the future");
    let res = post(&worker, &page, &format!("{page}/inviata"), &[("id", &first), ("inviata_il", &today_iso)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(app.court_deadlines_due(&alto, &today_iso, 30).await.expect("due").is_empty(), "sent: off the list");
    assert_eq!(app.court_deadlines_due(&alto, &today_iso, 100).await.expect("due").len(), 1, "the second one");
    let body = worker.get(&page).await.text().await.expect("body");
    assert!(body.contains("Comunità Il Faro") && body.contains("Relazione finale") && body.contains("Inviata"));
    // The educator of the care team sees it; the head of the Ambito too.
    assert_eq!(logged_in(&server.base, "alto.educatore").await.get(&page).await.status(), StatusCode::OK);
    let boss = logged_in(&server.base, "alto.responsabile").await;
    let lucia_page = format!("/ambiti/ALTO_SEBINO/persone/{lucia}/casi/{lucia_case}/tribunale");
    let res = post(&boss, &lucia_page, &lucia_page, &as_refs(&order("9/2026", today_iso.clone(), due.clone()))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The ente gestore reads Lucia (its own provider's case) and her interventions, never her
    // court material; it may not write it either.
    let ente = logged_in(&server.base, "alto.ente").await;
    assert_eq!(ente.get(&format!("/ambiti/ALTO_SEBINO/persone/{lucia}")).await.status(), StatusCode::OK);
    assert_eq!(ente.get(&format!("/ambiti/ALTO_SEBINO/persone/{lucia}/casi/{lucia_case}/interventi")).await.status(), StatusCode::OK);
    let res = ente.get(&lucia_page).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(!res.text().await.expect("body").contains("9/2026"));
    let csrf = ente.csrf("/").await;
    let refused_order = order("10/2026", today_iso.clone(), due.clone());
    let mut form = as_refs(&refused_order);
    form.push(("_csrf", &csrf));
    assert_eq!(ente.post(&lucia_page, &form).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(ente.get(&page).await.status(), StatusCode::FORBIDDEN, "not its provider's case at all");
    // The evaluator, another Ambito's worker, a worker outside the care team, the citizen
    // (his own case), anonymous: refused.
    assert_eq!(logged_in(&server.base, "alto.valutatore").await.get(&page).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(logged_in(&server.base, "basso.assistente").await.get(&page).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(worker.get(&lucia_page).await.status(), StatusCode::FORBIDDEN, "outside Lucia's care team");
    let citizen = Browser::new(&server.base);
    assert_eq!(citizen.login("cittadino.rossi", DEMO_PASSWORD, None).await, StatusCode::SEE_OTHER);
    let res = citizen.get(&page).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(!res.text().await.expect("body").contains("123/2026"));
    assert_eq!(Browser::new(&server.base).get(&page).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM court_order").await, 2, "no refused caller wrote");
    db.drop_pg().await;
}
