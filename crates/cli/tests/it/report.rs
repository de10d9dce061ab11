//! The annual report's CSV contract, checked against figures worked out by hand.

use crate::support::{SMALL_ACTIVITY, TestDb, new_ambito_with};

/// By hand: SAD 2.172,2 h / 80 users = 27,1525 → 27,15; 9.638 / 80 = 120,475 → 120,48 (half-up);
/// VOUCHER records nothing and stands for its children: 23 / 30 = 76,67% → 77%,
/// 1.030,95 / 23 = 44,8239 → 44,82; SEGR 950 / 29.942 × 1000 = 31,728 → 31,73;
/// a `-` budget is zero; VOUCHER_B's blank budget stays blank; totals count roots only.
/// Row order is the contract's: every service, then one TOTALE row per area, then TOTALE AMBITO.
const EXPECTED: &str = "\
area;codice_servizio;servizio;utenti_in_carico;domande_pervenute;beneficiari;ore_erogate;accessi;visite_domiciliari;indicatore;valore_indicatore;budget;budget_per_utente
Anziani;SAD;Assistenza domiciliare;80;;;2.172,20;;310;ore/utenti;27,15;9.638,00;120,48
Anziani;SAD_PASTI;Pasti a domicilio;30;;;;;;;;1.000,00;33,33
Anziani;TELE;Telesoccorso;20;;;;;;utenti/target_x1000;5,00;-;-
Disabilità;VOUCHER;Voucher disabilità;;30;23;;;;beneficiari/domande;77%;1.030,95;44,82
Disabilità;VOUCHER_A;Voucher A;;10;8;;;;;;1.030,95;128,87
Disabilità;VOUCHER_B;Voucher B;;20;15;;;;;;;
Piano di Zona;SEGR;Segretariato sociale;;;;;950;;accessi/target_x1000;31,73;-;-
Anziani;TOTALE;Anziani;100;;;2.172,20;;310;;;9.638,00;96,38
Disabilità;TOTALE;Disabilità;;30;23;;;;;;1.030,95;44,82
Piano di Zona;TOTALE;Piano di Zona;;;;;950;;;;-;-
TOTALE AMBITO;;;100;30;23;2.172,20;950;310;;;10.668,95;106,69
";

#[tokio::test]
async fn annual_csv_matches_hand_computed_figures() {
    let db = TestDb::new().await;
    let app = db.app().await;
    let outcome = new_ambito_with(&app, "PROVA", SMALL_ACTIVITY).await;
    assert!(outcome.applied, "{:?}", outcome.findings.errors);
    let report = app.annual_report("PROVA", 2025).await.expect("report");
    let csv = String::from_utf8(ambito_render::annual_csv(&report).expect("csv")).expect("utf8");
    assert_eq!(csv.replace("\r\n", "\n"), EXPECTED);
    db.drop_pg().await;
}

#[tokio::test]
async fn our_own_report_csv_reimports_without_discrepancies() {
    let db = TestDb::new().await;
    let app = db.app().await;
    new_ambito_with(&app, "PROVA", SMALL_ACTIVITY).await;
    let report = app.annual_report("PROVA", 2025).await.expect("report");
    let csv = ambito_render::annual_csv(&report).expect("csv");
    // The report CSV has no `anno` column: prepend it to make it an activity file with totals.
    // It has no `codice_padre` and `popolazione_target` columns either: stored ones are kept.
    let text = String::from_utf8(csv).expect("utf8");
    let file: String = text.lines().enumerate().map(|(i, l)| if i == 0 { format!("anno;{l}\n") } else { format!("2025;{l}\n") }).collect();
    let before = ambito_render::annual_csv(&report).expect("csv");
    let opts = ambito_app::reporting::import::activity::ActivityImport { ambito_code: "PROVA", new_ambito_name: None };
    let outcome = app.import_activity("relazione.csv", file.as_bytes(), opts, &ambito_app::NoProgress).await.expect("import");
    assert!(outcome.applied, "{:?}", outcome.findings.errors);
    let after = ambito_render::annual_csv(&app.annual_report("PROVA", 2025).await.expect("report")).expect("csv");
    assert_eq!(String::from_utf8(after).expect("utf8"), String::from_utf8(before).expect("utf8"), "round trip through the report CSV");
    let discrepancies: Vec<_> = outcome.findings.warnings.iter().filter(|w| w.message.en.contains("published total")).collect();
    assert!(discrepancies.is_empty(), "{discrepancies:?}");
    db.drop_pg().await;
}

#[tokio::test]
async fn published_totals_that_disagree_are_reported_not_copied() {
    let db = TestDb::new().await;
    let app = db.app().await;
    let mut file = SMALL_ACTIVITY.to_string();
    file.push_str("2025;Anziani;TOTALE;Anziani;;999;;;;;;;;9.638,00\n");
    file.push_str("2025;TOTALE AMBITO;;;;100;30;23;2.172,20;950;310;;;12.000,00\n");
    let outcome = new_ambito_with(&app, "PROVA", &file).await;
    assert!(outcome.applied);
    let warnings: Vec<String> = outcome.findings.warnings.iter().map(|w| w.render(ambito_app::Lang::En)).collect();
    assert!(warnings.iter().any(|w| w.contains(":9:utenti_in_carico") && w.contains("(999)") && w.contains("(100)")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains(":10:budget") && w.contains("12000") && w.contains("10668.95")), "{warnings:?}");
    let report = app.annual_report("PROVA", 2025).await.expect("report");
    assert_eq!(report.areas[0].total.measures.get(ambito_domain::measures::Measure::Utenti), Some(100.into()));
    db.drop_pg().await;
}
