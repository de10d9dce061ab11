//! Case-derived figures: a report from the case record equals the report from the same figures
//! entered by hand; hand-entered figures are not overwritten; the GDPR purge removes the rows of
//! this slice's tables.

use super::count;
use crate::support::{TestDb, new_ambito_with, snapshot};
use ambito_app::App;
use ambito_app::access::Actor;
use ambito_store as store;

const HEADER: &str = "anno;area;codice_servizio;servizio;codice_padre;utenti_in_carico;domande_pervenute;beneficiari;ore_erogate;accessi;visite_domiciliari;indicatore;popolazione_target;budget";

/// The year before, entered by hand in both databases: the services and the previous year's
/// figures (the year-on-year change of users in care is an indicator of the report).
fn year_2024() -> String {
    format!("{HEADER}\n2024;Anziani;SAD;Assistenza domiciliare;;4;3;;;;;;;\n2024;Piano di Zona;SEGR;Segretariato sociale;;;;;;900;;;;\n")
}

/// 2025 as the case record below says it: SAD 2 users in care (P1, P2), 2 cases opened (P2,
/// P4), 1 contact; SEGR 3 contacts.
fn year_2025_by_hand() -> String {
    format!("{HEADER}\n2025;Anziani;SAD;Assistenza domiciliare;;2;2;;;1;;;;\n2025;Piano di Zona;SEGR;Segretariato sociale;;;;;;3;;;;\n")
}

async fn exec(app: &App, sql: &str) {
    let mut conn = app.store.read().await.expect("conn");
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut *conn).await.expect("exec");
}

fn intervention<'a>(case_id: i64, service_id: i64, start: &'a str, end: Option<&'a str>) -> store::NewIntervention<'a> {
    store::NewIntervention {
        case_id,
        service_id,
        kind: "servizio",
        start_on: start,
        end_on: end,
        planned_per_month: Some("10".into()),
        unit: "ore",
        provider: None,
        shares_cents: [0; 4],
        amount_cents: None,
        periodicity: None,
        funding_line: None,
        data: r#"{"tipo":"servizio"}"#,
        visible_to_citizen: false,
        created_by: None,
        change_reason: None,
    }
}

/// Persons, cases, interventions and contacts of Ambito PROVA; returns a person to purge.
async fn case_record(app: &App) -> i64 {
    let mut tx = app.store.write_untracked().await.expect("tx");
    let ambito = store::ambito_by_code(&mut tx, "PROVA").await.expect("ambito").expect("PROVA").id;
    let services = store::list_services(&mut tx, ambito).await.expect("services");
    let sad = services.iter().find(|s| s.code == "SAD").expect("SAD").id;
    let segr = services.iter().find(|s| s.code == "SEGR").expect("SEGR").id;
    let mut persons = Vec::new();
    for (i, cf) in ["RSSMRA85T10A562S", "VRDLCU90A41D969R", "BNCGNN75M12F205W", "NREANN82D55L219H", "PLLGPP70A01F205X"].iter().enumerate() {
        let p = store::NewPerson {
            codice_fiscale: cf,
            cognome: "Prova",
            nome: "Persona",
            birth_date: "1970-01-01",
            comune_istat: None,
            pseudonym: &format!("FIG-P{i}"),
            ..Default::default()
        };
        persons.push(store::ensure_person(&mut tx, &p).await.expect("person"));
    }
    let open = |i: usize, on: &'static str| (persons[i], on);
    let mut case_ids = Vec::new();
    for (person, on) in [open(0, "2024-05-01"), open(1, "2025-02-01"), open(2, "2024-01-10"), open(3, "2025-01-01"), open(4, "2000-01-01")]
    {
        case_ids.push(store::open_case(&mut tx, person, ambito, Some("SAD"), None, on).await.expect("case"));
    }
    store::close_case(&mut tx, case_ids[4], "2001-06-30").await.expect("close");
    // P1 open since 2024; P2 twice in 2025 (one person); P3 ended before 2025; P4 moved to 2026
    // by a correction (only the current version counts).
    store::insert_intervention(&mut tx, &intervention(case_ids[0], sad, "2024-06-01", None), None).await.expect("i");
    store::insert_intervention(&mut tx, &intervention(case_ids[1], sad, "2025-03-01", Some("2025-05-31")), None).await.expect("i");
    store::insert_intervention(&mut tx, &intervention(case_ids[1], sad, "2025-07-01", None), None).await.expect("i");
    store::insert_intervention(&mut tx, &intervention(case_ids[2], sad, "2024-01-10", Some("2024-12-31")), None).await.expect("i");
    let first =
        store::insert_intervention(&mut tx, &intervention(case_ids[3], sad, "2025-01-01", None), None).await.expect("i").expect("id");
    let current = store::current_intervention(&mut tx, first).await.expect("row").expect("current");
    store::insert_intervention(&mut tx, &intervention(case_ids[3], sad, "2026-01-10", None), Some(&current)).await.expect("i").expect("v2");
    // P5: a closed case of 2000 with an intervention, a suspension and court material.
    let old = store::insert_intervention(&mut tx, &intervention(case_ids[4], sad, "2000-02-01", Some("2001-06-30")), None)
        .await
        .expect("i")
        .expect("id");
    store::add_suspension(&mut tx, old, "2000-03-01", "ricovero", None).await.expect("suspension");
    let order = store::NewCourtOrder {
        case_id: case_ids[4],
        court: "tribunale_minorenni",
        number: "1/2000",
        issued_on: "2000-02-01",
        kind: "definitivo",
        orders: "collocamento",
        created_by: None,
    };
    let order = store::add_court_order(&mut tx, &order).await.expect("order");
    store::add_court_deadline(&mut tx, order, case_ids[4], "2000-06-01", "relazione", None).await.expect("deadline");
    let placement = store::NewPlacement {
        case_id: case_ids[4],
        kind: "comunita_residenziale",
        place: "Comunità",
        start_on: "2000-02-01",
        end_on: None,
        court_order_id: Some(order),
        created_by: None,
    };
    store::add_placement(&mut tx, &placement).await.expect("placement");
    tx.commit().await.expect("commit");
    // Contacts: three of 2025 for SEGR, one of 2024, one voided, one for another service.
    for (on, service, voided) in [
        ("2025-01-10", segr, "NULL"),
        ("2025-06-10", segr, "NULL"),
        ("2025-12-31", segr, "NULL"),
        ("2024-12-31", segr, "NULL"),
        ("2025-03-03", segr, "'2025-03-04'"),
        ("2025-03-03", sad, "NULL"),
    ] {
        exec(
            app,
            &format!(
                "INSERT INTO contact (ambito_id, occurred_on, channel, requester_kind, need_area, reason, outcome, service_id, created_at, voided_at) \
                 VALUES ({ambito}, '{on}', 'sportello', 'interessato', 'anziani', 'informazioni', 'informazione', {service}, '2025-01-01T00:00:00Z', {voided})"
            ),
        )
        .await;
    }
    persons[4]
}

#[tokio::test]
async fn a_report_from_the_case_record_equals_the_same_figures_entered_by_hand() {
    // By hand: the 2024 and 2025 activity files.
    let hand = TestDb::new().await;
    let by_hand = hand.app().await;
    assert!(new_ambito_with(&by_hand, "PROVA", &year_2024()).await.applied);
    assert!(new_ambito_with(&by_hand, "PROVA", &year_2025_by_hand()).await.applied);
    let expected = by_hand.annual_report_uncached("PROVA", 2025).await.expect("report");
    // From the case record: 2024 by hand, 2025 derived.
    let db = TestDb::new().await;
    let app = db.app().await;
    assert!(new_ambito_with(&app, "PROVA", &year_2024()).await.applied);
    case_record(&app).await;
    let cli = Actor::COMMAND_LINE;
    let refused = app.derive_case_figures(&cli, "PROVA", 2025, false).await;
    assert!(refused.is_err(), "no service declares the case record yet");
    for code in ["SAD", "SEGR"] {
        app.set_figures_source(&cli, "PROVA", code, "cartella").await.expect("source");
    }
    assert!(app.set_figures_source(&cli, "PROVA", "SAD", "fantasia").await.is_err());
    let outcome = app.derive_case_figures(&cli, "PROVA", 2025, false).await.expect("derive");
    assert!(outcome.applied && outcome.rows == 2, "{outcome:?}");
    let derived = app.annual_report_uncached("PROVA", 2025).await.expect("report");
    assert_eq!(derived, expected, "the report from the case record equals the one from the same figures by hand");
    let sad = &derived.areas.iter().find(|a| a.name == "Anziani").expect("area").rows[0];
    assert_eq!(sad.figures.measures.0[0], Some(2.into()), "users in care");
    assert_eq!(sad.figures.measures.0[1], Some(2.into()), "new cases");
    assert_eq!(sad.figures.measures.0[4], Some(1.into()), "accessi from contacts");
    let segr = &derived.areas.iter().find(|a| a.name == "Piano di Zona").expect("area").rows[0];
    assert_eq!(segr.figures.measures.0[0], None, "no intervention of SEGR ever: a blank, not a zero");
    assert_eq!(segr.figures.measures.0[4], Some(3.into()), "the 2024 and the voided contact do not count");
    assert!(!sad.change_users.text.is_empty(), "the year-on-year change is computed: {:?}", sad.change_users);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM activity WHERE year = 2025 AND origin = 'cartella'").await, 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM import_batch WHERE kind = 'cartella'").await, 1);
    // Again: the same rows, the same report.
    assert!(app.derive_case_figures(&cli, "PROVA", 2025, false).await.expect("again").applied);
    assert_eq!(app.annual_report_uncached("PROVA", 2025).await.expect("report"), expected);
    hand.drop_pg().await;
    db.drop_pg().await;
}

#[tokio::test]
async fn hand_entered_figures_are_not_overwritten_and_the_purge_removes_the_case_record() {
    let db = TestDb::new().await;
    let app = db.app().await;
    assert!(new_ambito_with(&app, "PROVA", &year_2024()).await.applied);
    let old = case_record(&app).await;
    let edited = format!("{HEADER}\n2025;Anziani;SAD;Assistenza domiciliare;;7;;;;;;;;\n");
    assert!(new_ambito_with(&app, "PROVA", &edited).await.applied);
    let cli = Actor::COMMAND_LINE;
    app.set_figures_source(&cli, "PROVA", "SAD", "cartella").await.expect("source");
    let before = snapshot(&app).await;
    let outcome = app.derive_case_figures(&cli, "PROVA", 2025, false).await.expect("derive");
    assert!(!outcome.applied);
    assert!(outcome.findings.errors[0].to_string().contains("inseriti a mano"), "{:?}", outcome.findings.errors);
    assert_eq!(snapshot(&app).await, before, "nothing changed");
    let outcome = app.derive_case_figures(&cli, "PROVA", 2025, true).await.expect("derive");
    assert!(outcome.applied);
    let report = app.annual_report_uncached("PROVA", 2025).await.expect("report");
    assert_eq!(report.areas[0].rows[0].figures.measures.0[0], Some(2.into()), "replaced on request");
    // The purge: the person whose only case closed in 2001 loses every row of this slice.
    let case_rows =
        |table: &str| format!("SELECT COUNT(*) FROM {table} WHERE case_id IN (SELECT id FROM care_case WHERE person_id = {old})");
    assert_eq!(count(&app, &case_rows("intervention")).await, 1);
    let others = count(&app, "SELECT COUNT(*) FROM intervention").await - 1;
    let today = time::OffsetDateTime::now_utc().date();
    let purge = app.purge_expired(None, 10, today, true).await.expect("purge");
    assert_eq!(purge.persons, vec![old]);
    for table in ["intervention", "court_order", "court_deadline", "placement"] {
        assert_eq!(
            count(&app, &format!("SELECT COUNT(*) FROM {table}")).await,
            if table == "intervention" { others } else { 0 },
            "{table}"
        );
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM intervention_suspension").await, 0);
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM person WHERE id = {old}")).await, 0);
    db.drop_pg().await;
}
