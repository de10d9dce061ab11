//! Delivery events: exact distinct persons, corrections, idempotence, and bad files that change nothing.

use crate::support::{SMALL_ACTIVITY, TestDb};
use ambito_app::deliveries::DeliveryImport;
use ambito_app::{App, Lang, NoProgress};
use ambito_domain::measures::Measure;

const TERRITORY: &str = "codice_regione;regione;codice_ats;ats;codice_distretto;distretto;codice_ambito;ambito;codice_istat;comune
03;Lombardia;ATS_T;ATS di prova;D_T;Distretto di prova;PROVA;Ambito di prova;990001;Primo
03;Lombardia;ATS_T;ATS di prova;D_T;Distretto di prova;PROVA;Ambito di prova;990002;Secondo
";
const HEADER: &str = "data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore";

/// P1: three SAD days (one in each semester half), P2: two SAD days, P1 also in TELE.
/// SAD: 3 + 2 events, 2 persons, 2,5+2+1,25+3+0,5 = 9,25 hours, 4 home visits.
const FIRST: &str = "data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore
2025-01-10;SAD;990001;P1;2,5;si;Coop Uno
2025-03-11;SAD;990001;P1;2;si;Coop Uno
2025-09-02;SAD;990001;P1;1,25;no;Coop Due
2025-02-05;SAD;990002;P2;3;si;Coop Uno
2025-02-06;SAD;990002;P2;0,5;si;Coop Uno
2025-02-06;TELE;990001;P1;0;no;Coop Uno
";

async fn setup() -> (TestDb, App, tempfile::TempDir) {
    let db = TestDb::new().await;
    let app = db.app().await;
    assert!(app.import_territory("t.csv", TERRITORY.as_bytes(), &NoProgress).await.expect("territory").applied);
    let opts = ambito_app::reporting::import::activity::ActivityImport { ambito_code: "PROVA", new_ambito_name: None };
    assert!(app.import_activity("a.csv", SMALL_ACTIVITY.as_bytes(), opts, &NoProgress).await.expect("activity").applied);
    (db, app, tempfile::tempdir().expect("dir"))
}

async fn import(app: &App, dir: &tempfile::TempDir, name: &str, body: &str) -> ambito_app::intake::ImportOutcome {
    let path = dir.path().join(name);
    std::fs::write(&path, body).expect("write");
    app.import_deliveries(&path, DeliveryImport { ambito_code: "PROVA", year: None, providers: None }, &NoProgress)
        .await
        .expect("import runs")
}

async fn sad(app: &App) -> (Option<i64>, String, Option<i64>) {
    let r = app.annual_report("PROVA", 2025).await.expect("report");
    let row = r.areas.iter().flat_map(|a| &a.rows).find(|r| r.code == "SAD").expect("SAD").clone();
    let m = row.figures.measures;
    let int = |x: Option<rust_decimal::Decimal>| x.map(|d| i64::try_from(d.mantissa()).unwrap_or(-1));
    (int(m.get(Measure::Utenti)), m.get(Measure::Ore).map(|d| d.to_string()).unwrap_or_default(), int(m.get(Measure::Visite)))
}

#[tokio::test]
async fn events_feed_the_report_with_exact_distinct_persons() {
    let (db, app, dir) = setup().await;
    let outcome = import(&app, &dir, "consegne-2025.csv", FIRST).await;
    assert!(outcome.applied, "{:?}", outcome.findings.errors);
    assert_eq!(outcome.rows, 6);
    assert_eq!(sad(&app).await, (Some(2), "9.25".into(), Some(4)));
    let region = String::from_utf8(app.region_csv(2025).await.expect("region")).expect("utf8");
    // 9,25 h / 2 persons = 4,625 → 4,63; the SAD row budget 9.638 € / 2 = 4.819,00.
    assert!(region.contains("PROVA;SAD;2;9,25;4;4,63;;4.819,00"), "{region}");
    // TELE: one person, target 4.000 → 0,25 per 1000; the `-` budget is zero cost.
    assert!(region.contains("PROVA;TELE;1;0,00;0;0,00;0,25;0,00"), "{region}");

    // The same file again changes nothing.
    let again = import(&app, &dir, "consegne-2025.csv", FIRST).await;
    assert!(again.applied && again.previously_imported_at.is_some());
    assert_eq!(sad(&app).await, (Some(2), "9.25".into(), Some(4)));

    // A later file withdraws both of P2's deliveries and replaces one of P1's.
    let fix = format!(
        "{HEADER};annulla\n2025-02-05;SAD;990002;P2;3;si;Coop Uno;si\n2025-02-06;SAD;990002;P2;0,5;si;Coop Uno;si\n2025-01-10;SAD;990001;P1;4;si;Coop Uno;no\n"
    );
    let fixed = import(&app, &dir, "rettifica-2025.csv", &fix).await;
    assert!(fixed.applied, "{:?}", fixed.findings.errors);
    assert_eq!(sad(&app).await, (Some(1), "7.25".into(), Some(2)), "4 + 2 + 1,25 hours, one person left");

    let history = String::from_utf8(app.delivery_history_csv("PROVA", "SAD", "P1").await.expect("history")).expect("utf8");
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines[0], HEADER);
    assert_eq!(lines[1], "2025-01-10;SAD;990001;P1;4,00;si;Coop Uno");
    assert_eq!(lines.len(), 4);
    db.drop_pg().await;
}

async fn count_events(app: &App) -> i64 {
    let mut conn = app.store.read().await.expect("conn");
    sqlx::Row::get(&sqlx::query("SELECT COUNT(*) FROM delivery_event").fetch_one(&mut *conn).await.expect("count"), 0)
}

#[tokio::test]
async fn bad_delivery_files_change_nothing() {
    let (db, app, dir) = setup().await;
    assert!(import(&app, &dir, "base-2025.csv", FIRST).await.applied);
    let before = (count_events(&app).await, sad(&app).await);
    let cases = [
        (
            "fuori-2025.csv",
            format!("{HEADER}\n2025-01-10;SAD;990001;P9;1;si;Coop Uno\n2024-12-31;SAD;990001;P9;1;si;Coop Uno\n"),
            ":3:data: date 2024-12-31 outside the file's year 2025",
        ),
        (
            "servizio-2025.csv",
            format!("{HEADER}\n2025-01-10;NESSUNO;990001;P9;1;si;Coop Uno\n"),
            ":2:codice_servizio: no service «NESSUNO» in the Ambito",
        ),
        (
            "comune-2025.csv",
            format!("{HEADER}\n2025-01-10;SAD;123456;P9;1;si;Coop Uno\n"),
            ":2:comune_istat: Comune «123456» is not in the Ambito",
        ),
        ("negative-2025.csv", format!("{HEADER}\n2025-01-10;SAD;990001;P9;-1;si;Coop Uno\n"), ":2:ore: hours out of range (0-24): -1"),
        ("absurd-2025.csv", format!("{HEADER}\n2025-01-10;SAD;990001;P9;25;si;Coop Uno\n"), ":2:ore: hours out of range (0-24): 25"),
        (
            "day-2025.csv",
            format!("{HEADER}\n2025-05-10;SAD;990001;P9;14;si;Coop Uno\n2025-05-10;SAD;990001;P9;12;si;Coop Due\n"),
            "26 hours in one day (10/05/2025) for P9 in service SAD: over 24",
        ),
        (
            "twice-2025.csv",
            format!("{HEADER}\n2025-05-10;SAD;990001;P9;1;si;Coop Uno\n2025-05-10;SAD;990001;P9;2;si;Coop Uno\n"),
            ":3: delivery repeated: same service, day, person and provider as line 2",
        ),
        (
            "both-2025.csv",
            format!(
                "{HEADER};annulla\n2025-05-10;SAD;990001;P9;1;si;Coop Uno;no\n2025-01-10;SAD;990001;P1;2,5;si;Coop Uno;si\n2025-05-10;SAD;990001;P9;1;si;Coop Uno;si\n"
            ),
            ":4: delivery repeated: same service, day, person and provider as line 2",
        ),
        (
            "truncated-2025.csv",
            format!("{HEADER}\n2025-05-10;SAD;990001;P9;1;si;Coop Uno\n2025-05-11;SAD;99"),
            "the row has 3 fields instead of 7",
        ),
        ("header-2025.csv", "data;servizio;persona\n2025-05-10;SAD;P9\n".to_string(), "unknown column «servizio»"),
        ("empty-2025.csv", String::new(), "the file is empty"),
        ("date-2025.csv", format!("{HEADER}\n2025-02-30;SAD;990001;P9;1;si;Coop Uno\n"), "invalid date «2025-02-30»"),
        ("visit-2025.csv", format!("{HEADER}\n2025-02-03;SAD;990001;P9;1;forse;Coop Uno\n"), "expected «si» or «no»: «forse»"),
    ];
    for (name, body, expected) in &cases {
        let outcome = import(&app, &dir, name, body).await;
        assert!(!outcome.applied, "{name} should be rejected");
        let errors: Vec<String> = outcome.findings.errors.iter().map(|e| e.render(Lang::En)).collect();
        assert!(errors.iter().any(|e| e.contains(expected)), "{name}: expected «{expected}» in {errors:#?}");
        assert_eq!((count_events(&app).await, sad(&app).await), before, "{name} changed data");
    }
    db.drop_pg().await;
}

#[tokio::test]
async fn delivery_files_over_the_caps_are_refused_at_their_line() {
    let (db, app, dir) = setup().await;
    let good = "2025-01-10;SAD;990001;P9;1;si;Coop Uno";
    // A quote never closed makes the rest of the file one field: the parser would buffer all of it.
    let unclosed = format!("{HEADER}\n{good}\n2025-01-11;SAD;990001;\"{}\n", "x".repeat(20 << 20));
    let wide = format!("{HEADER}{}\n{good}\n", ";extra".repeat(300));
    let long = format!("{HEADER}\n2025-01-10;SAD;990001;{};1;si;Coop Uno\n", "P".repeat(40_000));
    let cases = [
        ("aperta-2025.csv", unclosed, "aperta-2025.csv:3: a line longer than 1 MiB"),
        ("larga-2025.csv", wide, "larga-2025.csv:1: the row has 307 columns (at most 256)"),
        ("lunga-2025.csv", long, "lunga-2025.csv:2:codice_persona: the field holds more than 32767 characters"),
    ];
    for (name, body, expected) in &cases {
        let outcome = import(&app, &dir, name, body).await;
        assert!(!outcome.applied, "{name} should be rejected");
        let errors: Vec<String> = outcome.findings.errors.iter().map(|e| e.render(Lang::En)).collect();
        assert!(errors.iter().any(|e| e.contains(expected)), "{name}: expected «{expected}» in {errors:#?}");
    }
    assert_eq!(count_events(&app).await, 0);
    db.drop_pg().await;
}

#[tokio::test]
async fn errors_name_the_real_line_after_blank_lines_and_multi_line_cells() {
    let (db, app, dir) = setup().await;
    // Line 1 header, 2 good, 3-4 blank, 5 bad service, 6-7 one row with a quoted line break, 8 bad
    // Comune; CRLF endings in the second file.
    let body = format!(
        "{HEADER}\n2025-01-10;SAD;990001;P1;1;si;Coop Uno\n\n\n2025-01-11;NESSUNO;990001;P1;1;si;Coop Uno\n\
         2025-01-12;SAD;990001;P1;1;si;\"Coop\nUno\"\n2025-01-13;SAD;123456;P1;1;si;Coop Uno\n"
    );
    let outcome = import(&app, &dir, "righe-2025.csv", &body).await;
    let errors: Vec<String> = outcome.findings.errors.iter().map(|e| e.render(Lang::En)).collect();
    assert!(!outcome.applied);
    assert!(errors.iter().any(|e| e.contains("righe-2025.csv:5:codice_servizio")), "{errors:#?}");
    assert!(errors.iter().any(|e| e.contains("righe-2025.csv:8:comune_istat")), "{errors:#?}");
    let crlf = format!("{HEADER}\r\n\r\n2025-01-10;SAD;990001;P1;1;si;Coop Uno\r\n\r\n2025-01-11;SAD;990001;P1;1;forse;Coop Uno\r\n");
    let outcome = import(&app, &dir, "crlf-2025.csv", &crlf).await;
    let errors: Vec<String> = outcome.findings.errors.iter().map(|e| e.render(Lang::En)).collect();
    assert!(errors.iter().any(|e| e.contains("crlf-2025.csv:5:visita_domiciliare")), "{errors:#?}");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    db.drop_pg().await;
}

#[tokio::test]
async fn semester_and_reach_aggregates_are_exact() {
    let (db, app, dir) = setup().await;
    assert!(import(&app, &dir, "consegne-2025.csv", FIRST).await.applied);
    let mut conn = app.store.read().await.expect("conn");
    let rows = sqlx::query(
        "SELECT g.period, g.persons, g.events FROM agg_delivery_period g JOIN service s ON s.id = g.service_id WHERE s.code = 'SAD' ORDER BY g.period",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("periods");
    let got: Vec<(String, i64, i64)> = rows.iter().map(|r| (sqlx::Row::get(r, 0), sqlx::Row::get(r, 1), sqlx::Row::get(r, 2))).collect();
    assert_eq!(got, vec![("S1".into(), 2, 4), ("S2".into(), 1, 1), ("Y".into(), 2, 5)]);
    let reach: i64 = sqlx::Row::get(
        &sqlx::query("SELECT persons FROM agg_delivery_reach WHERE area_id = 0").fetch_one(&mut *conn).await.expect("reach"),
        0,
    );
    assert_eq!(reach, 2, "P1 uses two services but is one person");
    db.drop_pg().await;
}

#[tokio::test]
async fn a_spreadsheet_of_deliveries_gives_the_same_figures_as_the_csv() {
    let (db, app, dir) = setup().await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (r, line) in FIRST.lines().enumerate() {
        for (c, cell) in line.split(';').enumerate() {
            let (r, c) = (r as u32, c as u16);
            match (r, c) {
                (0, _) => sheet.write_string(r, c, cell).map(|_| ()),
                // Real spreadsheet dates and numbers, as a provider's office would type them.
                (_, 0) => sheet
                    .write_datetime_with_format(r, c, rust_xlsxwriter::ExcelDateTime::parse_from_str(cell).expect("date"), &date)
                    .map(|_| ()),
                (_, 4) => sheet.write_number(r, c, cell.replace(',', ".").parse::<f64>().expect("hours")).map(|_| ()),
                _ => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .expect("cell");
        }
    }
    let path = dir.path().join("consegne-2025.xlsx");
    book.save(&path).expect("xlsx");
    let opts = DeliveryImport { ambito_code: "PROVA", year: None, providers: None };
    let outcome = app.import_deliveries(&path, opts, &NoProgress).await.expect("import runs");
    assert!(outcome.applied, "{:?}", outcome.findings.errors);
    assert_eq!(outcome.rows, 6);
    assert_eq!(sad(&app).await, (Some(2), "9.25".into(), Some(4)));
    db.drop_pg().await;
}
