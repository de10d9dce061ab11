//! Bad input ends with a located error and changes nothing; good input is idempotent.

use crate::support::{SMALL_ACTIVITY, TestDb, new_ambito_with, snapshot};
use ambito_app::reporting::import::activity::ActivityImport;
use ambito_app::{Lang, NoProgress};

const HEADER: &str = "anno;area;codice_servizio;servizio;codice_padre;utenti_in_carico;domande_pervenute;beneficiari;ore_erogate;accessi;visite_domiciliari;indicatore;popolazione_target;budget";

async fn rejected(app: &ambito_app::App, file: &str, bytes: &[u8]) -> Vec<String> {
    let before = snapshot(app).await;
    let opts = ActivityImport { ambito_code: "PROVA", new_ambito_name: None };
    let outcome = app.import_activity(file, bytes, opts, &NoProgress).await.expect("import runs");
    assert!(!outcome.applied, "{file} should be rejected");
    assert_eq!(snapshot(app).await, before, "{file}: a rejected import must change nothing");
    outcome.findings.errors.iter().map(|e| e.render(Lang::En)).collect()
}

fn with_rows(rows: &[&str]) -> Vec<u8> {
    format!("{HEADER}\n{}\n", rows.join("\n")).into_bytes()
}

#[tokio::test]
async fn every_kind_of_bad_input_is_rejected_with_its_place() {
    let db = TestDb::new().await;
    let app = db.app().await;
    assert!(new_ambito_with(&app, "PROVA", SMALL_ACTIVITY).await.applied);

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "unknown.csv",
            SMALL_ACTIVITY.replace(";budget\n", ";bilancio\n").into_bytes(),
            "unknown.csv:1:bilancio: unknown column «bilancio»",
        ),
        ("twice.csv", SMALL_ACTIVITY.replacen(";accessi;", ";utenti_in_carico;", 1).into_bytes(), "appears twice"),
        ("nonnum.csv", with_rows(&["2025;Anziani;SAD;Sad;;molti;;;;;;;;"]), "nonnum.csv:2:utenti_in_carico: not a number"),
        ("negative.csv", with_rows(&["2025;Anziani;SAD;Sad;;-3;;;;;;;;"]), "negative.csv:2:utenti_in_carico: negative count"),
        ("fraction.csv", with_rows(&["2025;Anziani;SAD;Sad;;2,5;;;;;;;;"]), "whole number"),
        (
            "dup.csv",
            with_rows(&["2025;Anziani;X1;Uno;;1;;;;;;;;", "2025;Anziani;X1;Due;;2;;;;;;;;"]),
            "dup.csv:3:codice_servizio: service code «X1» repeated for year 2025 (already on line 2)",
        ),
        (
            "parent.csv",
            with_rows(&["2025;Anziani;X1;Uno;NESSUNO;1;;;;;;;;"]),
            "parent.csv:2:codice_padre: parent service «NESSUNO» does not exist",
        ),
        (
            "cycle.csv",
            with_rows(&["2025;Anziani;X1;Uno;X2;1;;;;;;;;", "2025;Anziani;X2;Due;X1;1;;;;;;;;"]),
            "cycle in the service hierarchy",
        ),
        ("area.csv", with_rows(&["2025;Disabilità;X1;Uno;SAD;1;;;;;;;;"]), "is in area «Anziani»"),
        ("empty.csv", Vec::new(), "empty.csv: the file is empty"),
        (
            "truncated.csv",
            format!("{HEADER}\n2025;Anziani;X1;Uno;;1;;;;;;;;\n2025;Anziani;X2;Du").into_bytes(),
            "truncated.csv:3: the row has 4 fields instead of 14",
        ),
        ("encoding.csv", [HEADER.as_bytes(), b"\n2025;Anziani;X1;\x81\x8d;;1;;;;;;;;\n"].concat(), "unrecognised encoding"),
        ("binary.xlsx", b"PK\x03\x04 not really a workbook".to_vec(), "unreadable spreadsheet"),
        ("indicator.csv", with_rows(&["2025;Anziani;X1;Uno;;1;;;;;;magia;;"]), "unknown indicator «magia»"),
        (
            "target.csv",
            with_rows(&["2025;Anziani;X1;Uno;;1;;;;;;utenti/target_x1000;marziani;"]),
            "target population «marziani» is not defined",
        ),
        ("budget.csv", with_rows(&["2025;Anziani;X1;Uno;;1;;;;;;;;12,345"]), "at most 2 decimals"),
        ("year.csv", with_rows(&["1900;Anziani;X1;Uno;;1;;;;;;;;"]), "year.csv:2:anno"),
    ];
    let mut checked = 0;
    for (file, bytes, expected) in &cases {
        let errors = rejected(&app, file, bytes).await;
        assert!(errors.iter().any(|e| e.contains(expected)), "{file}: expected «{expected}» in {errors:#?}");
        checked += 1;
    }
    assert_eq!(checked, 17);
    db.drop_pg().await;
}

#[tokio::test]
async fn all_errors_of_a_file_are_reported_at_once() {
    let db = TestDb::new().await;
    let app = db.app().await;
    new_ambito_with(&app, "PROVA", SMALL_ACTIVITY).await;
    let bytes = with_rows(&["2025;Anziani;X1;Uno;;uno;;;;;;;;", "2025;Anziani;X2;Due;;;-1;;;;;;;", "2025;;X3;Tre;;;;;abc;;;;;"]);
    let errors = rejected(&app, "many.csv", &bytes).await;
    assert!(errors.iter().any(|e| e.starts_with("many.csv:2:utenti_in_carico")), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("many.csv:3:domande_pervenute")), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("many.csv:4:area")), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("many.csv:4:ore_erogate")), "{errors:?}");
    db.drop_pg().await;
}

#[tokio::test]
async fn reimport_is_idempotent_and_conventions_agree() {
    let db = TestDb::new().await;
    let app = db.app().await;
    assert!(new_ambito_with(&app, "PROVA", SMALL_ACTIVITY).await.applied);
    let first = snapshot(&app).await;
    let csv_first = ambito_render::annual_csv(&app.annual_report("PROVA", 2025).await.expect("report")).expect("csv");
    let again = new_ambito_with(&app, "PROVA", SMALL_ACTIVITY).await;
    assert!(again.applied && again.previously_imported_at.is_some());
    // Only the import log grows; the data are the same.
    assert_eq!(snapshot(&app).await, first);

    // The same data in the international convention (comma delimiter, decimal point).
    let intl = SMALL_ACTIVITY
        .replace("2.172,20", "2172.20")
        .replace("9.638,00", "9638.00")
        .replace("1.000,00", "1000.00")
        .replace("1.030,95", "1030.95")
        .replace("4.000", "4000")
        .replace(';', ",");
    let opts = ActivityImport { ambito_code: "INTL", new_ambito_name: Some("Internazionale") };
    assert!(app.import_activity("intl.csv", intl.as_bytes(), opts, &NoProgress).await.expect("import").applied);
    let csv_intl = ambito_render::annual_csv(&app.annual_report("INTL", 2025).await.expect("report")).expect("csv");
    assert_eq!(csv_intl, csv_first);
    db.drop_pg().await;
}

#[tokio::test]
async fn xlsx_input_gives_the_same_report_as_csv() {
    let db = TestDb::new().await;
    let app = db.app().await;
    new_ambito_with(&app, "PROVA", SMALL_ACTIVITY).await;
    let expected = ambito_render::annual_csv(&app.annual_report("PROVA", 2025).await.expect("report")).expect("csv");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in SMALL_ACTIVITY.lines().enumerate() {
        for (c, cell) in line.split(';').enumerate() {
            let (r, c) = (r as u32, c as u16);
            let numeric =
                ambito_domain::number::parse_decimal(cell, ambito_domain::number::NumberStyle::Italian).ok().filter(|_| r > 0 && c != 2);
            match numeric {
                Some(n) => sheet.write_number(r, c, n.to_string().parse::<f64>().expect("f64")).map(|_| ()),
                None if cell.is_empty() => Ok(()),
                None => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .expect("write cell");
        }
    }
    let bytes = book.save_to_buffer().expect("xlsx");
    let opts = ActivityImport { ambito_code: "XLSX", new_ambito_name: Some("Da Excel") };
    let outcome = app.import_activity("attivita.xlsx", &bytes, opts, &NoProgress).await.expect("import");
    assert!(outcome.applied, "{:?}", outcome.findings.errors);
    let got = ambito_render::annual_csv(&app.annual_report("XLSX", 2025).await.expect("report")).expect("csv");
    assert_eq!(String::from_utf8(got).expect("utf8"), String::from_utf8(expected).expect("utf8"));
    db.drop_pg().await;
}

#[tokio::test]
async fn unknown_ambito_needs_new_ambito() {
    let db = TestDb::new().await;
    let app = db.app().await;
    let opts = ActivityImport { ambito_code: "NESSUNO", new_ambito_name: None };
    let outcome = app.import_activity("a.csv", SMALL_ACTIVITY.as_bytes(), opts, &NoProgress).await.expect("import");
    assert!(!outcome.applied);
    assert!(outcome.findings.errors[0].message.it.contains("--new-ambito"));
    assert!(app.ambiti().await.expect("list").is_empty());
    db.drop_pg().await;
}

#[tokio::test]
async fn demo_loads_twice_with_the_same_result() {
    let db = TestDb::new().await;
    let app = db.app().await;
    app.load_demo(&NoProgress).await.expect("demo");
    let first = snapshot(&app).await;
    let report = app.annual_report("ALTO_SEBINO", 2025).await.expect("report");
    assert!(report.headline.services >= 30, "{}", report.headline.services);
    assert_eq!(report.headline.areas, 5);
    assert!(report.has_previous);
    assert!(!report.spending.rows.is_empty());
    app.load_demo(&NoProgress).await.expect("demo again");
    assert_eq!(snapshot(&app).await, first);
    assert_eq!(app.ambiti().await.expect("ambiti").len(), 2);
    let demo = app.demography(&app.ambito_scope("ALTO_SEBINO").await.expect("scope"), Some(2025)).await.expect("demography");
    assert_eq!(demo.comuni.len(), 10);
    assert!(demo.pyramid.total() > 29_000 && demo.pyramid.total() < 31_000);
    db.drop_pg().await;
}
