//! End-to-end checks of the four outputs on one small hand-made report: two areas, a parent and
//! its child, blanks, a zero budget, a division by zero and a previous year.

// A test crate: a failed unwrap is a failed test, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ambito_domain::indicator::builtins;
use ambito_domain::measures::{Figures, Measure};
use ambito_domain::report::{AnnualReport, AreaDef, ReportInput, ServiceDef, SpendingLine, assemble};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::Cursor;
use std::process::Command;

fn d(s: &str) -> Decimal {
    s.parse().expect("test literal")
}

fn svc(code: &str, name: &str, area: &str, parent: Option<&str>, indicator: Option<&str>) -> ServiceDef {
    ServiceDef {
        code: code.into(),
        name: name.into(),
        area: area.into(),
        parent: parent.map(Into::into),
        indicator: indicator.map(Into::into),
    }
}

fn figs(pairs: &[(Measure, &str)], budget: Option<&str>) -> Figures {
    let mut f = Figures::default();
    for (m, v) in pairs {
        f.measures.set(*m, Some(d(v)));
    }
    f.budget = budget.map(d);
    f
}

fn report() -> AnnualReport {
    use Measure::*;
    let services = vec![
        svc("SAD", "Servizio assistenza domiciliare", "Anziani", None, Some("ore/utenti")),
        svc("SAD_PASTI", "Pasti a domicilio & consegna", "Anziani", Some("SAD"), None),
        svc("TELE", "Telesoccorso", "Anziani", None, None),
        svc("VOUCHER", "Voucher #autonomia *disabili* $", "Disabilità", None, Some("beneficiari/domande")),
        svc("CDD", "Centro diurno \"Il Sole\"", "Disabilità", None, Some("beneficiari/domande")),
    ];
    let mut current = HashMap::new();
    current.insert("SAD".into(), figs(&[(Utenti, "80"), (Ore, "2172.2")], Some("9638")));
    current.insert("SAD_PASTI".into(), figs(&[(Utenti, "30")], Some("1000")));
    current.insert("TELE".into(), figs(&[(Utenti, "20")], Some("0")));
    current.insert("VOUCHER".into(), figs(&[(Domande, "0"), (Beneficiari, "3")], Some("1500")));
    current.insert("CDD".into(), figs(&[(Utenti, "12"), (Domande, "30"), (Beneficiari, "23"), (Accessi, "1234")], None));
    let mut previous = HashMap::new();
    previous.insert("SAD".into(), figs(&[(Utenti, "100")], Some("9000")));
    previous.insert("CDD".into(), figs(&[(Utenti, "10"), (Beneficiari, "20")], None));
    assemble(&ReportInput {
        ambito_code: "AS".into(),
        ambito_name: "Ambito Alto Sebino".into(),
        year: 2025,
        areas: vec![
            AreaDef {
                name: "Anziani".into(),
                lettura: Some("Crescono le ore erogate (#1 *priorità*).\n\nSecondo paragrafo.".into()),
                obiettivi: vec!["Ampliare il SAD".into(), "Ridurre le attese".into()],
            },
            AreaDef { name: "Disabilità".into(), ..AreaDef::default() },
        ],
        services,
        current,
        previous: Some(previous),
        indicators: builtins(),
        spending_sources: vec!["Comune".into(), "Fondo nazionale".into()],
        spending: vec![
            SpendingLine { area: "Anziani".into(), source: "Comune".into(), amount: d("7000") },
            SpendingLine { area: "Anziani".into(), source: "Fondo nazionale".into(), amount: d("1000") },
            SpendingLine { area: "Disabilità".into(), source: "Comune".into(), amount: d("2000") },
        ],
    })
}

#[test]
fn csv_follows_the_contract() {
    let csv = String::from_utf8(ambito_render::annual_csv(&report()).expect("csv")).expect("utf-8");
    let expected = [
        "area;codice_servizio;servizio;utenti_in_carico;domande_pervenute;beneficiari;ore_erogate;accessi;visite_domiciliari;indicatore;valore_indicatore;budget;budget_per_utente",
        "Anziani;SAD;Servizio assistenza domiciliare;80;;;2.172,20;;;ore/utenti;27,15;9.638,00;120,48",
        "Anziani;SAD_PASTI;Pasti a domicilio & consegna;30;;;;;;;;1.000,00;33,33",
        "Anziani;TELE;Telesoccorso;20;;;;;;;;-;-",
        "Disabilità;VOUCHER;Voucher #autonomia *disabili* $;;0;3;;;;beneficiari/domande;;1.500,00;500,00",
        "Disabilità;CDD;\"Centro diurno \"\"Il Sole\"\"\";12;30;23;;1.234;;beneficiari/domande;77%;;",
        "Anziani;TOTALE;Anziani;100;;;2.172,20;;;;;9.638,00;96,38",
        "Disabilità;TOTALE;Disabilità;12;30;26;;1.234;;;;1.500,00;125,00",
        "TOTALE AMBITO;;;112;30;26;2.172,20;1.234;;;;11.138,00;99,45",
    ];
    assert_eq!(csv, expected.join("\n") + "\n");
}

fn float(range: &calamine::Range<Data>, row: u32, col: u32) -> f64 {
    match range.get_value((row, col)) {
        Some(Data::Float(f)) => *f,
        other => panic!("expected a number at ({row}, {col}), found {other:?}"),
    }
}

fn empty(range: &calamine::Range<Data>, row: u32, col: u32) -> bool {
    matches!(range.get_value((row, col)), None | Some(Data::Empty))
}

#[test]
fn xlsx_holds_numbers() {
    let bytes = ambito_render::annual_xlsx(&report()).expect("xlsx");
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx parses");
    assert_eq!(wb.sheet_names(), vec!["Sintesi", "Anziani", "Disabilità"]);

    let summary = wb.worksheet_range("Sintesi").expect("Sintesi");
    assert_eq!(summary.get_value((1, 1)), Some(&Data::String("Ambito Alto Sebino".into())));
    assert_eq!(float(&summary, 6, 1), 2.0, "areas");
    assert_eq!(float(&summary, 8, 1), 112.0, "users this year");
    assert_eq!(float(&summary, 8, 2), 110.0, "users last year");
    assert!((float(&summary, 8, 3) - 0.018).abs() < 1e-9, "change +1,8% stored as a fraction");

    let anziani = wb.worksheet_range("Anziani").expect("Anziani");
    assert_eq!(anziani.get_value((5, 1)), Some(&Data::String("Servizio assistenza domiciliare".into())));
    assert_eq!(float(&anziani, 5, 2), 80.0);
    assert_eq!(float(&anziani, 5, 5), 2172.2);
    assert_eq!(float(&anziani, 5, 9), 27.15, "ore/utenti rounded as shown");
    assert_eq!(float(&anziani, 5, 10), 9638.0);
    assert_eq!(float(&anziani, 5, 11), 120.48);
    assert_eq!(float(&anziani, 7, 10), 0.0, "zero budget is a number");
    assert!(empty(&anziani, 5, 3), "blank stays empty");

    let dis = wb.worksheet_range("Disabilità").expect("Disabilità");
    assert!(empty(&dis, 5, 9), "division by zero is blank");
    assert_eq!(float(&dis, 6, 9), 0.77, "77% stored as a fraction");
    assert_eq!(float(&dis, 7, 11), 125.0, "area total per user");
}

#[test]
fn svg_is_accessible_and_escaped() {
    let r = report();
    let svg = ambito_render::chart::area_bars_svg(&r.areas[0], r.has_previous);
    assert!(svg.contains("<title") && svg.contains("<desc"));
    assert!(svg.contains("Pasti a domicilio &amp; consegna"));
    assert!(!svg.contains("& consegna"));
    assert!(svg.contains("#7FB2E5"), "previous year shown");
    let spending = ambito_render::chart::spending_bars_svg(&r.spending);
    assert!(spending.contains("8.000,00 € (80,00%)"), "{spending}");
}

#[test]
fn pdf_has_the_text() {
    let pdf = ambito_render::annual_pdf(&report()).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    if let Ok(out) = std::env::var("AMBITO_RENDER_PDF_OUT") {
        std::fs::write(out, &pdf).expect("write the requested copy");
    }
    let path = std::env::temp_dir().join(format!("ambito-render-test-{}.pdf", std::process::id()));
    std::fs::write(&path, &pdf).expect("write pdf");
    let out = Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output();
    let _ = std::fs::remove_file(&path);
    // A missing tool fails the test instead of passing it silently: install poppler-utils.
    let out = out.expect("pdftotext (Debian package poppler-utils) is needed to check the PDF's text");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["Ambito Alto Sebino", "Disabilità", "120,48", "Voucher #autonomia *disabili* $", "Pagina 1 di"] {
        assert!(text.contains(needle), "{needle:?} missing from the PDF text:\n{text}");
    }
}

#[test]
fn pdf_is_reproducible() {
    let r = report();
    assert_eq!(ambito_render::annual_pdf(&r).expect("pdf"), ambito_render::annual_pdf(&r).expect("pdf"));
}

/// Many services, long names, markup-like text and no previous year: still one valid PDF.
#[test]
fn pdf_handles_long_areas_and_odd_text() {
    let mut services = Vec::new();
    let mut current = HashMap::new();
    let mut previous = HashMap::new();
    for i in 0..30 {
        let code = format!("S{i:02}");
        let name = format!("Servizio {i} con un nome molto lungo che va a capo ] \\ #let x = 1 $x$ <b>");
        let parent = (i % 5 != 0).then(|| format!("S{:02}", i - i % 5));
        services.push(svc(&code, &name, "Area lunga [prova]", parent.as_deref(), Some("ore/utenti")));
        let users = (i * 37 % 200).to_string();
        previous.insert(code.clone(), figs(&[(Measure::Utenti, "50"), (Measure::Beneficiari, "40")], None));
        current.insert(code, figs(&[(Measure::Utenti, &users), (Measure::Beneficiari, "30"), (Measure::Ore, "12.5")], Some("1234.5")));
    }
    let r = assemble(&ReportInput {
        ambito_code: "L".into(),
        ambito_name: "Ambito #1 * _prova_".into(),
        year: 2025,
        areas: vec![AreaDef {
            name: "Area lunga [prova]".into(),
            lettura: Some("Testo con ] e \\ e #strong[x] e $ e // commento".into()),
            obiettivi: vec!["= non è un titolo".into(), "- non è un elenco".into()],
        }],
        services,
        current,
        previous: Some(previous),
        indicators: builtins(),
        spending_sources: (1..=5).map(|i| format!("Fonte di finanziamento {i}")).collect(),
        spending: (1..=5)
            .map(|i| SpendingLine {
                area: "Area lunga [prova]".into(),
                source: format!("Fonte di finanziamento {i}"),
                amount: d("123456.78"),
            })
            .collect(),
    });
    let pdf = ambito_render::annual_pdf(&r).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    if let Ok(out) = std::env::var("AMBITO_RENDER_BIG_PDF_OUT") {
        std::fs::write(out, &pdf).expect("write the requested copy");
    }
}
