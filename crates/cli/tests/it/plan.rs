//! The Piano di Zona cycle end to end on the demo: the real Alto Sebino plan and its 2018-2020
//! evaluation, frozen monitoring rounds and corrections, the plan format's validation and
//! lossless round trip (JSON and XLSX), evaluation, ex-post → ex-ante, documents and pages.

use crate::support::{TestDb, TestServer};
use ambito_app::access::Actor;
use ambito_app::plan::PlanTenant;
use ambito_app::reporting::edit::GridEntry;
use ambito_app::{App, NoProgress};
use ambito_domain::plan::rules::Status;
use rust_decimal::Decimal;
use std::process::Command;

const TRI: &str = "2021-2023";
/// Writes made by the tests themselves, as the command line would.
const CLI: &Actor<'static> = &Actor::COMMAND_LINE;
const ALTO: PlanTenant<'static> = PlanTenant::Ambito("ALTO_SEBINO");

async fn demo() -> (TestDb, App) {
    let db = TestDb::new().await;
    let app = db.app().await;
    app.load_demo(&NoProgress).await.expect("demo");
    (db, app)
}

/// Counts of the plan tables, to prove a rejected import changed nothing.
async fn plan_snapshot(app: &App) -> String {
    let mut conn = app.store.read().await.expect("conn");
    let mut out = String::new();
    for table in
        ["plan", "plan_macroarea", "plan_objective", "plan_indicator", "plan_action", "plan_round", "plan_value", "plan_evaluation"]
    {
        let n: i64 = sqlx::Row::get(
            &sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"))).fetch_one(&mut *conn).await.expect("count"),
            0,
        );
        out.push_str(&format!("{table}={n};"));
    }
    out
}

#[tokio::test]
async fn demo_holds_the_real_plan_its_previous_evaluation_and_two_frozen_rounds() {
    let (db, app) = demo().await;
    let plan = app.plan_view("ALTO_SEBINO", TRI).await.expect("plan");
    let count = |level: &str| plan.cards.iter().filter(|c| c.objective.level == level).count();
    assert_eq!((count("ambito"), count("distretto"), count("provincia")), (23, 3, 3));
    assert_eq!(plan.plan.status, "approved");
    assert_eq!(plan.plan.approval_date.as_deref(), Some("2021-12-15"));
    assert_eq!(plan.macroareas.len(), 4);
    assert_eq!(plan.macroareas[0].rl_areas, "C,D,E,J");
    let indicators: usize = plan.cards.iter().map(|c| c.indicators.len()).sum();
    assert_eq!(indicators, 478, "every indicator of the 29 cards");
    let first = plan.cards.iter().find(|c| c.objective.code == "AMB-01").expect("AMB-01");
    assert_eq!(first.objective.title, "LA PERSONA AL CENTRO QUALE PARTE DI UNA COMUNITÀ PROSSIMA");
    assert_eq!(first.indicators.iter().filter(|i| i.kind == "process").count(), 9);
    assert_eq!(first.objective.cross_cutting_areas, "B,C,D,E,I");

    // The district and provincial cards are seen by the other Ambito of the Distretto too.
    let basso = app.plan_view("BASSO_SEBINO", TRI).await.expect("basso");
    assert_eq!(basso.cards.len(), 6);
    assert!(basso.cards.iter().all(|c| c.objective.level != "ambito"));

    // The previous cycle: 37 evaluations of Alto Sebino (§4) and 8 of seed 004.
    let prev = app.plan_view("ALTO_SEBINO", "2018-2020").await.expect("2018-2020");
    let prev_basso = app.plan_view("BASSO_SEBINO", "2018-2020").await.expect("2018-2020");
    let evaluated = |p: &ambito_app::plan::PlanView| p.cards.iter().filter(|c| c.evaluation.is_some()).count();
    assert_eq!(evaluated(&prev) + evaluated(&prev_basso), 45);
    let esi01 = prev.cards.iter().find(|c| c.objective.code == "ESI-01").and_then(|c| c.evaluation.clone()).expect("ESI-01");
    assert_eq!(esi01.achievement_pct.as_deref(), Some("80"));
    assert_eq!(esi01.reproposed.as_deref(), Some("si"));

    // Two closed rounds with frozen values; the linked ones were read from the activity data.
    assert_eq!(plan.rounds.len(), 2);
    assert!(plan.rounds.iter().all(|r| r.status == "closed" && r.closed_at.is_some()));
    let (_, r1) = app.round_view("ALTO_SEBINO", TRI, 1).await.expect("round 1");
    let ssp = r1.lines.iter().find(|l| l.indicator.code == "AMB-01-O1").expect("SSP users");
    assert_eq!(ssp.value, Some(Decimal::from(1214)), "2024 users of the professional social service");
    // Still at the 2024 baseline (1.214) on the way to 1.300: achievement 0 when, after the
    // triennium, the whole target is due.
    assert_eq!(ssp.achievement, Some(Decimal::ZERO));
    assert_eq!(ssp.status, Status::OffTrack);
    let milestone = r1.lines.iter().find(|l| l.indicator.code == "AMB-06-O1").expect("milestone");
    assert_eq!(milestone.value, Some(Decimal::ZERO));
    assert!(milestone.stored.as_ref().and_then(|s| s.evidence.clone()).is_some(), "manual values carry evidence");
    let (_, r2) = app.round_view("ALTO_SEBINO", TRI, 2).await.expect("round 2");
    assert_eq!(r2.lines.iter().find(|l| l.indicator.code == "AMB-06-O1").and_then(|l| l.value), Some(Decimal::ONE));
    db.drop_pg().await;
}

#[tokio::test]
async fn a_closed_round_stays_frozen_and_shows_later_corrections() {
    let (db, app) = demo().await;
    let (_, before) = app.round_view("ALTO_SEBINO", TRI, 2).await.expect("round 2");
    let aes = before.lines.iter().find(|l| l.indicator.code == "AMB-06-O3").expect("AES change").clone();
    assert!(aes.correction.is_none());
    let frozen = aes.value.expect("a frozen % change");
    let observed = aes.observed.expect("frozen users");
    // Correct the 2025 AES users in the activity grid.
    let grid = app.activity_grid(&app.ambito_scope("ALTO_SEBINO").await.expect("scope"), 2025).await.expect("grid");
    let line = grid.iter().find(|l| l.code == "AES").expect("AES line");
    let text = |v: Option<Decimal>| v.map(|d| d.to_string()).unwrap_or_default();
    let mut entry =
        GridEntry { service_code: "AES".into(), budget: line.budget.map(|b| b.to_string()).unwrap_or_default(), ..GridEntry::default() };
    for (k, v) in line.measures.iter().enumerate() {
        entry.measures[k] = text(*v);
    }
    entry.measures[0] = (observed + Decimal::from(7)).to_string();
    assert!(!app.save_activity("ALTO_SEBINO", 2025, &[entry]).await.expect("save").has_errors());

    let (_, after) = app.round_view("ALTO_SEBINO", TRI, 2).await.expect("round 2 again");
    let aes = after.lines.iter().find(|l| l.indicator.code == "AMB-06-O3").expect("AES change");
    assert_eq!(aes.value, Some(frozen), "the snapshot does not move");
    assert_eq!(aes.observed, Some(observed));
    // Baseline 68 (2024): the change grows by 7/68 × 100 = 10,294…%.
    let (now, diff) = aes.correction.expect("the correction is shown");
    let diff = diff.expect("a difference");
    assert_eq!(ambito_domain::format::it_number(diff, 2), "10,29");
    assert_eq!(now, Some(frozen + diff));
    // The export keeps the frozen value too.
    let file = app.export_plan("ALTO_SEBINO", TRI).await.expect("export");
    let v = file.rounds[1].values.iter().find(|v| v.indicator == "AMB-06-O3").expect("value");
    assert_eq!(v.value.as_deref().and_then(|t| t.parse::<Decimal>().ok()), Some(frozen));
    db.drop_pg().await;
}

#[tokio::test]
async fn monitoring_workflow_open_fill_close() {
    let (db, app) = demo().await;
    let n = app.open_round(CLI, "ALTO_SEBINO", TRI, 2025, 2).await.expect("open");
    assert_eq!(n, 3);
    assert!(app.open_round(CLI, "ALTO_SEBINO", TRI, 2026, 1).await.is_err(), "one open round at a time");
    let plan = app.plan_view("ALTO_SEBINO", TRI).await.expect("plan");
    let ind = plan.cards.iter().flat_map(|c| &c.indicators).find(|i| i.code == "AMB-01-O3").expect("manual count");
    // A manual value needs its evidence and who enters it; nothing is stored without.
    let f = app.record_value(CLI, "ALTO_SEBINO", TRI, n, ind.id, "12", "", "", "", "").await.expect("record");
    assert_eq!(f.errors.len(), 2, "{:?}", f.errors);
    let f = app.record_value(CLI, "ALTO_SEBINO", TRI, n, ind.id, "dodici", "", "verbale", "", "A. Rossi").await.expect("record");
    assert_eq!(f.errors.len(), 1);
    let f = app
        .record_value(CLI, "ALTO_SEBINO", TRI, n, ind.id, "1.234", "", "Registro progetti 2025", "in crescita", "A. Rossi")
        .await
        .expect("record");
    assert!(!f.has_errors(), "{:?}", f.errors);
    let (_, open) = app.round_view("ALTO_SEBINO", TRI, n).await.expect("view");
    let line = open.lines.iter().find(|l| l.indicator.id == ind.id).expect("line");
    assert_eq!(line.value, Some(Decimal::from(1234)), "Italian thousands");
    assert_eq!(line.status, Status::NoData, "no target: no judgement");
    app.close_round(CLI, "ALTO_SEBINO", TRI, n, "Responsabile UdP").await.expect("close");
    assert!(app.close_round(CLI, "ALTO_SEBINO", TRI, n, "x").await.is_err(), "closing twice");
    let f = app.record_value(CLI, "ALTO_SEBINO", TRI, n, ind.id, "1", "", "x", "", "x").await.expect("record");
    assert!(f.has_errors(), "a closed round refuses new values");
    let trend = app.indicator_trend("ALTO_SEBINO", TRI, ind.id, ambito_app::plan::Figures::All).await.expect("trend");
    assert_eq!(trend.len(), 3);
    assert_eq!(trend[2].1, Some(Decimal::from(1234)));
    db.drop_pg().await;
}

#[tokio::test]
async fn plan_files_round_trip_without_loss_and_reimport_is_idempotent() {
    let (db, app) = demo().await;
    let json = app.export_plan_json("ALTO_SEBINO", TRI).await.expect("json");
    let before = plan_snapshot(&app).await;
    let outcome = app.import_plan(CLI, ALTO, "piano.json", &json).await.expect("import");
    assert!(outcome.applied, "{:?}", outcome.findings.errors);
    assert_eq!(plan_snapshot(&app).await, before, "re-import changes nothing");
    assert_eq!(app.export_plan_json("ALTO_SEBINO", TRI).await.expect("json again"), json, "JSON round trip");

    let xlsx = app.export_plan_xlsx("ALTO_SEBINO", TRI).await.expect("xlsx");
    let outcome = app.import_plan(CLI, ALTO, "piano.xlsx", &xlsx).await.expect("import xlsx");
    assert!(outcome.applied, "{:?}", outcome.findings.errors);
    assert_eq!(app.export_plan_json("ALTO_SEBINO", TRI).await.expect("json after xlsx"), json, "XLSX round trip");
    assert_eq!(plan_snapshot(&app).await, before);

    // Into another database: the same file comes back out.
    let other = TestDb::new().await;
    let app2 = other.app().await;
    app2.load_demo(&NoProgress).await.expect("demo");
    let outcome = app2.import_plan(CLI, ALTO, "piano.json", &json).await.expect("import elsewhere");
    assert!(outcome.applied, "{:?}", outcome.findings.errors);
    assert_eq!(app2.export_plan_json("ALTO_SEBINO", TRI).await.expect("json"), json);
    other.drop_pg().await;
    db.drop_pg().await;
}

#[tokio::test]
async fn an_invalid_plan_file_reports_every_problem_and_changes_nothing() {
    let (db, app) = demo().await;
    let mut file = app.export_plan("ALTO_SEBINO", TRI).await.expect("export");
    file.approval = None;
    file.objectives[0].macroarea = Some("M9".into());
    file.objectives[0].indicators[0].measure = "media".into();
    file.objectives[0].indicators[1].link = Some("servizio:NESSUNO:utenti".into());
    file.objectives[1].indicators[0].code = file.objectives[0].indicators[2].code.clone();
    file.objectives[2].cross_cutting_areas = vec!["Z".into()];
    file.objectives[25].scope = "BG_OVEST".into();
    let before = plan_snapshot(&app).await;
    let bytes = serde_json::to_vec(&file).expect("json");
    let outcome = app.import_plan(CLI, ALTO, "sbagliato.json", &bytes).await.expect("import");
    assert!(!outcome.applied);
    let paths: Vec<String> = outcome.findings.errors.iter().filter_map(|e| e.column.clone()).collect();
    for expected in [
        "approval",
        "objectives[0].macroarea",
        "objectives[0].indicators[0].measure",
        "objectives[0].indicators[1].link",
        "objectives[1].indicators[0].code",
        "objectives[2].cross_cutting_areas[0]",
        "objectives[25].scope",
    ] {
        assert!(paths.iter().any(|p| p == expected), "missing {expected} in {paths:?}");
    }
    assert!(outcome.findings.errors.iter().all(|e| e.file == "sbagliato.json"));
    assert_eq!(plan_snapshot(&app).await, before);

    // A syntax error has its line and column.
    let outcome = app.import_plan(CLI, ALTO, "rotto.json", b"{\n  \"format\": \"ambito-piano/1\",\n  \"ambito\": }").await.expect("import");
    assert!(!outcome.applied);
    assert_eq!(outcome.findings.errors[0].line, Some(3));

    // In the workbook, problems point at sheet, row and column.
    let mut file = app.export_plan("ALTO_SEBINO", TRI).await.expect("export");
    file.objectives[0].indicators[0].kind = "impatto".into();
    let xlsx = ambito_app::plan::xlsx::write(&file).expect("xlsx");
    let outcome = app.import_plan(CLI, ALTO, "piano.xlsx", &xlsx).await.expect("import");
    assert!(!outcome.applied);
    let e = &outcome.findings.errors[0];
    assert_eq!((e.file.as_str(), e.line, e.column.as_deref()), ("piano.xlsx [indicatori]", Some(2), Some("kind")), "{e:?}");
    db.drop_pg().await;
}

#[tokio::test]
async fn evaluation_card_then_ex_post_ex_ante() {
    let (db, app) = demo().await;
    let plan = app.plan_view("ALTO_SEBINO", TRI).await.expect("plan");
    let card = plan.cards.iter().find(|c| c.objective.code == "AMB-06").expect("AMB-06");
    // Resources match from the AES budgets (allocated vs committed, 2024-2025 in the demo).
    let hints = app.evaluation_hints("ALTO_SEBINO", TRI, card.objective.id, ambito_app::plan::Figures::All).await.expect("hints");
    let (allocated, committed) = (hints.allocated.expect("allocated"), hints.committed.expect("committed"));
    assert_eq!(hints.resources_match.number(), Some(committed * Decimal::ONE_HUNDRED / allocated));
    assert!(hints.achievement_pct.is_some(), "indicators judged at the last closed round");

    let form = ambito_app::plan::evaluation::EvaluationForm {
        actions_done: "Nuove linee guida AES approvate".into(),
        achievement_pct: "85".into(),
        answered_need: "parziale".into(),
        answered_need_text: "Parzialmente: manca l'extra-scuola".into(),
        reproposed: "si".into(),
        reproposed_text: "Sì, con il progetto extra-scuola".into(),
        ..Default::default()
    };
    let f = app
        .save_evaluation(
            CLI,
            "ALTO_SEBINO",
            TRI,
            card.objective.id,
            &ambito_app::plan::evaluation::EvaluationForm { achievement_pct: "120".into(), ..form.clone() },
        )
        .await
        .expect("save");
    assert!(f.has_errors(), "achievement above 100%");
    let f = app.save_evaluation(CLI, "ALTO_SEBINO", TRI, card.objective.id, &form).await.expect("save");
    assert!(!f.has_errors(), "{:?}", f.errors);
    let saved =
        app.plan_view("ALTO_SEBINO", TRI).await.expect("plan").card(card.objective.id).and_then(|c| c.evaluation.clone()).expect("saved");
    assert!(saved.resources_match_pct.is_some(), "filled from the budgets when left empty");

    let next = app.start_next_plan(CLI, "ALTO_SEBINO", TRI).await.expect("next");
    assert_eq!((next.triennium.as_str(), next.carried), ("2024-2026", 1));
    assert!(app.start_next_plan(CLI, "ALTO_SEBINO", TRI).await.is_err(), "only once");
    let new = app.plan_view("ALTO_SEBINO", "2024-2026").await.expect("new plan");
    assert_eq!(new.plan.status, "draft");
    let carried = new.cards.iter().find(|c| c.objective.code == "AMB-06").expect("carried");
    assert_eq!(carried.ancestor.as_deref(), Some("2021-2023/AMB-06"));
    let aes = carried.indicators.iter().find(|i| i.code == "AMB-06-O3").expect("indicator");
    assert!(aes.ancestor_id.is_some());
    assert_eq!(aes.baseline_year, Some(2025), "from the last closed round");
    let (_, r2) = app.round_view("ALTO_SEBINO", TRI, 2).await.expect("round 2");
    let observed = r2.lines.iter().find(|l| l.indicator.code == "AMB-06-O3").and_then(|l| l.observed).expect("observed");
    assert_eq!(
        aes.baseline_value.as_deref().and_then(|v| v.parse::<Decimal>().ok()),
        Some(observed),
        "a % change restarts from the raw figure"
    );
    let milestone = carried.indicators.iter().find(|i| i.code == "AMB-06-O1").expect("milestone");
    assert_eq!(milestone.baseline_value.as_deref(), Some("1"));
    db.drop_pg().await;
}

#[tokio::test]
async fn card_and_indicator_editors_validate_like_imports() {
    let (db, app) = demo().await;
    let form = ambito_app::plan::edit::CardForm {
        code: "AMB-24".into(),
        title: "Sportello unico per i caregiver".into(),
        macroarea: "M1".into(),
        rl_areas: "D, E".into(),
        services: "SAD".into(),
        ..Default::default()
    };
    let f = app.save_card(CLI, "ALTO_SEBINO", TRI, None, &form).await.expect("card");
    assert!(!f.has_errors(), "{:?}", f.errors);
    let bad = ambito_app::plan::edit::IndicatorForm {
        code: "AMB-24-E1".into(),
        text: "Utenti SAD".into(),
        kind: "outcome".into(),
        level: "macro".into(),
        measure: "per_1000".into(),
        link: "servizio:SAD:persone".into(),
        target_population: "marziani".into(),
        baseline: "tanti".into(),
        ..Default::default()
    };
    let f = app.save_indicator(CLI, "ALTO_SEBINO", TRI, "AMB-24", None, &bad).await.expect("indicator");
    assert_eq!(f.errors.len(), 3, "{:?}", f.errors);
    let good = ambito_app::plan::edit::IndicatorForm {
        link: "servizio:SAD:utenti".into(),
        target_population: "anziani 75+".into(),
        baseline: "".into(),
        target: "35,5".into(),
        ..bad
    };
    let f = app.save_indicator(CLI, "ALTO_SEBINO", TRI, "AMB-24", None, &good).await.expect("indicator");
    assert!(!f.has_errors(), "{:?}", f.errors);
    let plan = app.plan_view("ALTO_SEBINO", TRI).await.expect("plan");
    let card = plan.cards.iter().find(|c| c.objective.code == "AMB-24").expect("new card");
    assert_eq!(card.indicators[0].target_value.as_deref(), Some("35.5"));
    assert_eq!(plan.rounds.len(), 2, "editing keeps the monitoring history");
    // The new linked indicator is computed in an open round: SAD users per 1.000 residents 75+.
    let n = app.open_round(CLI, "ALTO_SEBINO", TRI, 2025, 2).await.expect("open");
    let (_, r) = app.round_view("ALTO_SEBINO", TRI, n).await.expect("round");
    let line = r.lines.iter().find(|l| l.indicator.code == "AMB-24-E1").expect("line");
    assert!(line.value.is_some_and(|v| v > Decimal::ZERO), "{line:?}");
    assert!(
        app.save_card(CLI, "ALTO_SEBINO", TRI, Some("PROV-01"), &form).await.expect("shared").has_errors(),
        "shared cards are not edited here"
    );
    db.drop_pg().await;
}

fn ambito(db: &TestDb, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ambito"))
        .args(args)
        .env("AMBITO_DATABASE_URL", &db.url)
        .env("LANG", "it_IT.UTF-8")
        .env_remove("LC_ALL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run ambito");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn unzip_part(bytes: &[u8], part: &str) -> String {
    let mut z = zip_reader(bytes);
    let mut s = String::new();
    std::io::Read::read_to_string(&mut z.by_name(part).expect(part), &mut s).expect("utf-8");
    s
}

fn zip_reader(bytes: &[u8]) -> zip::ZipArchive<std::io::Cursor<Vec<u8>>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip package")
}

#[tokio::test]
async fn cli_documents_and_plan_exports() {
    let (db, _app) = demo().await;
    let dir = tempfile::tempdir().expect("dir");
    let out = |name: &str| dir.path().join(name).to_str().expect("path").to_string();
    for (args, file) in [
        (vec!["report", "evaluation", "--ambito", "ALTO_SEBINO", "--plan", "2018-2020", "--format", "pdf"], "valutazione.pdf"),
        (vec!["report", "evaluation", "--ambito", "ALTO_SEBINO", "--plan", "2018-2020", "--format", "docx"], "valutazione.docx"),
        (vec!["report", "evaluation", "--ambito", "ALTO_SEBINO", "--plan", "2018-2020", "--format", "xlsx"], "valutazione.xlsx"),
        (vec!["report", "plan", "--ambito", "ALTO_SEBINO", "--plan", TRI, "--format", "pdf"], "piano.pdf"),
        (vec!["report", "plan", "--ambito", "ALTO_SEBINO", "--plan", TRI, "--format", "docx"], "piano.docx"),
        (vec!["report", "monitoring", "--ambito", "ALTO_SEBINO", "--plan", TRI, "--round", "2", "--format", "pdf"], "monitoraggio.pdf"),
        (vec!["report", "monitoring", "--ambito", "ALTO_SEBINO", "--plan", TRI, "--round", "2", "--format", "xlsx"], "monitoraggio.xlsx"),
        (vec!["export", "plan", "--ambito", "ALTO_SEBINO", "--plan", TRI, "--format", "json"], "piano.json"),
        (vec!["export", "plan", "--ambito", "ALTO_SEBINO", "--plan", TRI, "--format", "xlsx"], "piano.xlsx"),
    ] {
        let path = out(file);
        let mut args: Vec<&str> = args;
        args.extend(["-o", &path]);
        let (ok, stdout, err) = ambito(&db, &args);
        assert!(ok, "{args:?}: {stdout}{err}");
    }
    let pdf = std::fs::read(out("valutazione.pdf")).expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
    let text = Command::new("pdftotext")
        .args(["-layout", &out("valutazione.pdf"), "-"])
        .output()
        .expect("pdftotext (Debian package poppler-utils) is needed to check the PDF's text");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("GRADO DI RAGGIUNGIMENTO"), "the layout of seed 004");
    assert!(text.contains("Valutazione degli obiettivi del Piano di Zona 2018-2020"));
    // The DOCX is a WordprocessingML package that needs no office suite: check its parts.
    let docx = std::fs::read(out("valutazione.docx")).expect("docx");
    let types = unzip_part(&docx, "[Content_Types].xml");
    assert!(types.contains("wordprocessingml.document.main+xml"));
    assert!(unzip_part(&docx, "_rels/.rels").contains("word/document.xml"));
    assert!(unzip_part(&docx, "word/_rels/document.xml.rels").contains("styles.xml"));
    let body = unzip_part(&docx, "word/document.xml");
    assert!(body.starts_with("<?xml") && body.ends_with("</w:document>"));
    assert!(body.contains("L&apos;OBIETTIVO VERRÀ RIPROPOSTO") || body.contains("L'OBIETTIVO VERRÀ RIPROPOSTO"));
    assert_eq!(body.matches("<w:tbl>").count(), body.matches("</w:tbl>").count());
    assert!(unzip_part(&std::fs::read(out("piano.docx")).expect("docx"), "word/document.xml").contains("LA PERSONA AL CENTRO"));
    let xlsx = zip_reader(&std::fs::read(out("monitoraggio.xlsx")).expect("xlsx"));
    assert!(xlsx.file_names().any(|n| n.is_ok_and(|n| n.starts_with("xl/worksheets/"))));
    // The exported plan imports back (idempotent) from the command line.
    let (ok, stdout, err) = ambito(&db, &["import", "plan", &out("piano.xlsx")]);
    assert!(ok, "{stdout}{err}");
    let (ok, _, err) = ambito(
        &db,
        &["report", "monitoring", "--ambito", "ALTO_SEBINO", "--plan", TRI, "--round", "9", "--format", "pdf", "-o", &out("x.pdf")],
    );
    assert!(!ok && err.contains("rilevazione 9 inesistente"), "{err}");
    db.drop_pg().await;
}

#[tokio::test]
async fn plan_pages_and_downloads() {
    let (db, app) = demo().await;
    let plan = app.plan_view("ALTO_SEBINO", TRI).await.expect("plan");
    let card = plan.cards.iter().find(|c| c.objective.code == "AMB-06").expect("card");
    let ind = card.indicators[0].id;
    let s = TestServer::start(app).await;
    let base = "/ambiti/ALTO_SEBINO/piano/2021-2023";
    for path in [
        "/ambiti/ALTO_SEBINO/piano".to_string(),
        base.to_string(),
        format!("{base}/schede/{}", card.objective.id),
        format!("{base}/schede/{}/modifica", card.objective.id),
        format!("{base}/schede/{}/valutazione", card.objective.id),
        format!("{base}/schede/{}/indicatori/nuovo", card.objective.id),
        format!("{base}/indicatori/{ind}"),
        format!("{base}/rilevazioni/1"),
        format!("{base}/provincia"),
        "/ambiti/ALTO_SEBINO/piano/2018-2020".to_string(),
    ] {
        let res = s.get(&path).await;
        assert_eq!(res.status(), 200, "{path}");
        let html = res.text().await.expect("body");
        assert!(!html.contains("<script>") && !html.contains(" style=\""), "{path}: inline script or style");
    }
    let province = s.get(&format!("{base}/provincia")).await.text().await.expect("body");
    assert!(
        province.contains("Ambito Basso Sebino") && province.contains("ogni 1.000 residenti di 75 anni"),
        "both Ambiti on the shared indicator"
    );
    let measured = province.find("ogni 1.000 residenti di 75 anni").expect("measured row");
    assert!(measured < province.find("Cabina di regia").expect("unmeasured row"), "measured indicators come first");
    let detail = s.get(base).await.text().await.expect("body");
    assert!(detail.contains("AMB-23") && detail.contains("PROV-03"), "the synoptic table lists every card");
    for (path, magic) in
        [("documenti/valutazione.pdf", &b"%PDF"[..]), ("documenti/piano.docx", b"PK"), ("rilevazioni/2/documenti/monitoraggio.xlsx", b"PK")]
    {
        let res = s.get(&format!("{base}/{path}")).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.bytes().await.expect("bytes").starts_with(magic), "{path}");
    }
    assert_eq!(s.get("/ambiti/ALTO_SEBINO/piano/2030-2032").await.status(), 404);
    assert_eq!(s.get("/ambiti/ALTO_SEBINO/piano/abc").await.status(), 404);
    assert_eq!(s.get(&format!("{base}/rilevazioni/77")).await.status(), 404);
    db.drop_pg().await;
}
