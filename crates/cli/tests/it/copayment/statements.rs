//! `ambito copayment statements`: March 2025 of the Ambito PROVA, worked out by hand; a re-run
//! that changes nothing; a correction that supersedes one notice; the month without regulation.

use super::regulation::REGULATION;
use super::{ISEE_HEADER, count, setup};
use ambito_app::access::Actor;
use ambito_app::copayment::setup::{ExemptionArgs, SettingsArgs};
use ambito_app::deliveries::DeliveryImport;
use ambito_app::{App, NoProgress};

const DELIVERIES_HEADER: &str = "data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore";

/// K-A 4 + 4 + 4,5 = 12,5 h of SAD; K-B 4 × 3,5 = 14 h; K-C 3 h; K-D 1,5 h and 3 meals; K-E 2 h;
/// an unknown key; a service the regulation does not charge; an April event (not March's).
const MARCH: &str = "\
2025-03-03;SAD;990001;K-A;4;si;Coop Uno
2025-03-10;SAD;990001;K-A;4;si;Coop Uno
2025-03-17;SAD;990001;K-A;4,5;si;Coop Uno
2025-03-04;SAD;990001;K-B;3,5;si;Coop Uno
2025-03-11;SAD;990001;K-B;3,5;si;Coop Uno
2025-03-18;SAD;990001;K-B;3,5;si;Coop Uno
2025-03-25;SAD;990001;K-B;3,5;si;Coop Uno
2025-03-05;SAD;990001;K-C;3;si;Coop Uno
2025-03-06;SAD;990001;K-D;1,5;si;Coop Uno
2025-03-06;SAD_PASTI;990001;K-D;0;no;Coop Uno
2025-03-07;SAD_PASTI;990001;K-D;0;no;Coop Uno
2025-03-08;SAD_PASTI;990001;K-D;0;no;Coop Uno
2025-03-07;SAD;990001;K-E;2;si;Coop Uno
2025-03-12;SAD;990001;K-IGNOTO;1;si;Coop Uno
2025-03-12;TELE;990001;K-A;0;no;Coop Uno
2025-04-02;SAD;990001;K-A;8;si;Coop Uno
";

/// Mario Rossi (K-A) ordinario 18.000; Luigi Verdi (K-B) ordinario 30.000 (the maximum); Anna
/// Colombo (K-E) sociosanitario 7.000, which SAD prefers to her ordinario 20.000. Giovanni
/// Bianchi (K-C) is exempt by an act; Paolo Ferrari (K-D) has no ISEE.
const ISEE: &str = "\
RSSMRA85T10A562S;ordinario;18.000,00;INPS-ISEE-2025-000000001-00;2025-01-10;
VRDLGU70B02F205V;ordinario;30.000,00;INPS-ISEE-2025-000000002-00;15/01/2025;
CLMNNA75D45A794S;sociosanitario;7.000,00;INPS-ISEE-2025-000000003-00;2025-02-01;
CLMNNA75D45A794S;ordinario;20.000,00;INPS-ISEE-2025-000000004-00;2025-02-01;2025-12-31
";

/// The IUV of segregation code 01 and `base`, computed here from the rule of the spec, not with
/// the domain's code: `01 + base (13) + int("3" + "01" + base) mod 93`.
pub fn iuv(base: u64) -> String {
    let body = format!("01{base:013}");
    let check = format!("3{body}").parse::<u128>().unwrap() % 93;
    format!("{body}{check:02}")
}

async fn deliveries(app: &App, dir: &tempfile::TempDir, name: &str, body: &str) {
    let path = dir.path().join(name);
    std::fs::write(&path, format!("{DELIVERIES_HEADER}\n{body}")).unwrap();
    let o = app.import_deliveries(&path, DeliveryImport { ambito_code: "PROVA", year: None, providers: None }, &NoProgress).await.unwrap();
    assert!(o.applied, "{:?}", o.findings.errors);
}

pub async fn ready() -> (crate::support::TestDb, App, tempfile::TempDir) {
    let (db, app) = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let cli = Actor::COMMAND_LINE;
    app.load_regulation(&cli, "reg.toml", REGULATION, "PROVA").await.unwrap();
    let settings =
        SettingsArgs { ente_cf: "00123456782", segregazione: "01", iban: "IT60X0542811101000000123456", ..SettingsArgs::default() };
    app.set_pagopa_settings(&cli, "PROVA", &settings).await.unwrap();
    let isee = format!("{ISEE_HEADER}\n{ISEE}");
    assert!(app.import_isee(&cli, "isee.csv", isee.as_bytes(), "PROVA", &NoProgress).await.unwrap().outcome.applied);
    let exemption = ExemptionArgs {
        codice_fiscale: "BNCGNN85C03L219B",
        atto: "Decreto TM 12/2025",
        motivo: "servizio disposto dal tribunale per i minorenni",
        dal: "2025-01-01",
        ..ExemptionArgs::default()
    };
    app.add_exemption(&cli, "PROVA", &exemption).await.unwrap();
    deliveries(&app, &dir, "consegne-2025.csv", MARCH).await;
    (db, app, dir)
}

fn csv(run: &ambito_app::copayment::statements::StatementsRun) -> String {
    String::from_utf8(ambito_render::copayment_csv::statements(&run.rows).unwrap()).unwrap()
}

#[tokio::test]
async fn march_by_hand_then_a_re_run_and_a_correction() {
    let (db, app, dir) = ready().await;
    let run = app.run_statements(&Actor::COMMAND_LINE, "PROVA", "2025-03").await.unwrap();
    assert!(run.new_run);
    assert_eq!((run.run_number, run.issued, run.superseded), (1, 4, 0));
    // Notices are issued in codice fiscale order to those with something to pay: Colombo,
    // Ferrari, Rossi, Verdi get the IUV bases 1 to 4; Bianchi (exempt) none.
    let (e, d, a, b) = (iuv(1), iuv(2), iuv(3), iuv(4));
    assert_eq!((e.as_str(), d.as_str()), ("01000000000000144", "01000000000000245"), "3010000000000001 mod 93 = 44");
    let expected = [
        "codice_fiscale;codice_servizio;mese;quantita;isee_tipo;isee_valore;tariffa_unitaria;importo;iuv;numero_avviso;scadenza"
            .to_string(),
        // Exempt by the act: tariff 0, no notice.
        "BNCGNN85C03L219B;SAD;2025-03;3,00;;;0,00;0,00;;;2025-04-30".to_string(),
        // 2 + 16,50 × (7.000 − 6.000) / 24.000 = 2,6875 → 2,69 (half-up); 2 h × 2,69 = 5,38.
        format!("CLMNNA75D45A794S;SAD;2025-03;2,00;sociosanitario;7.000,00;2,69;5,38;{e};3{e};2025-04-30"),
        // No ISEE: tariffa_massima. 1,5 h × 18,50 = 27,75; 3 meals × 6,00 = 18,00; one notice of 45,75.
        format!("FRRPLA60A01A794E;SAD;2025-03;1,50;;;18,50;27,75;{d};3{d};2025-04-30"),
        format!("FRRPLA60A01A794E;SAD_PASTI;2025-03;3;;;6,00;18,00;{d};3{d};2025-04-30"),
        // 2 + 16,50 × 12.000 / 24.000 = 10,25; 12,5 h × 10,25 = 128,125 → 128,13.
        format!("RSSMRA85T10A562S;SAD;2025-03;12,50;ordinario;18.000,00;10,25;128,13;{a};3{a};2025-04-30"),
        // At the maximum: 18,50; 14 h × 18,50 = 259,00, capped at 250,00.
        format!("VRDLGU70B02F205V;SAD;2025-03;14,00;ordinario;30.000,00;18,50;250,00;{b};3{b};2025-04-30"),
    ];
    assert_eq!(csv(&run).lines().collect::<Vec<_>>(), expected);
    assert_eq!(run.problems.len(), 1, "{:?}", run.problems);
    assert!(format!("{:?}", run.problems[0]).contains("K-IGNOTO"));
    assert!(run.not_charged.contains("TELE"));
    let amounts: Vec<(String, i64, String)> = {
        let mut conn = app.store.read().await.unwrap();
        sqlx::query_as("SELECT iuv, amount_cents, status FROM pagopa_notice ORDER BY iuv").fetch_all(&mut *conn).await.unwrap()
    };
    assert_eq!(
        amounts,
        vec![
            (e.clone(), 538, "emesso".into()),
            (d.clone(), 4575, "emesso".into()),
            (a.clone(), 12813, "emesso".into()),
            (b.clone(), 25000, "emesso".into())
        ]
    );

    // Nothing corrected: the same file, no new run, no new notice.
    let again = app.run_statements(&Actor::COMMAND_LINE, "PROVA", "2025-03").await.unwrap();
    assert!(!again.new_run);
    assert_eq!(csv(&again), csv(&run));
    assert_eq!((count(&app, "copay_run").await, count(&app, "pagopa_notice").await), (1, 4));

    // A forgotten hour of Mario Rossi: 13,5 h × 10,25 = 138,375 → 138,38. His notice is
    // superseded by one with the next base (5); nobody else's changes.
    deliveries(&app, &dir, "consegne-correzione-2025.csv", "2025-03-24;SAD;990001;K-A;1;si;Coop Uno\n").await;
    let fixed = app.run_statements(&Actor::COMMAND_LINE, "PROVA", "2025-03").await.unwrap();
    assert!(fixed.new_run);
    assert_eq!((fixed.run_number, fixed.issued, fixed.superseded, fixed.cancelled), (2, 1, 1, 0));
    let a2 = iuv(5);
    assert_eq!(fixed.changes, vec![format!("RSSMRA85T10A562S: 128,13 → 138,38 (avviso {a} sostituito da {a2})")]);
    let text = csv(&fixed);
    assert!(text.contains(&format!("RSSMRA85T10A562S;SAD;2025-03;13,50;ordinario;18.000,00;10,25;138,38;{a2};3{a2};2025-04-30")), "{text}");
    assert!(text.contains(&format!("VRDLGU70B02F205V;SAD;2025-03;14,00;ordinario;30.000,00;18,50;250,00;{b};3{b};")), "{text}");
    let old: (String, Option<i64>) = {
        let mut conn = app.store.read().await.unwrap();
        sqlx::query_as("SELECT status, superseded_by FROM pagopa_notice WHERE iuv = $1").bind(&a).fetch_one(&mut *conn).await.unwrap()
    };
    assert_eq!(old.0, "sostituito");
    assert!(old.1.is_some());
    assert_eq!((count(&app, "copay_run").await, count(&app, "pagopa_notice").await), (2, 5), "nothing deleted, no IUV reused");

    // A month before the regulation: an error, nothing written.
    let e = app.run_statements(&Actor::COMMAND_LINE, "PROVA", "2024-12").await.unwrap_err();
    assert_eq!(e.to_string(), "nessun regolamento in vigore per il mese 2024-12");
    assert_eq!(count(&app, "copay_run").await, 2);
    db.drop_pg().await;
}

#[tokio::test]
async fn the_command_line_writes_the_file() {
    let (db, app, dir) = ready().await;
    app.store.close().await;
    let out = dir.path().join("marzo.csv");
    let bin = env!("CARGO_BIN_EXE_ambito");
    let run = std::process::Command::new(bin)
        .args(["--database", &db.url, "copayment", "statements", "--ambito", "PROVA", "--month", "2025-03", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("4 avvisi emessi"), "{stdout}");
    assert!(stderr.contains("codice persona «K-IGNOTO» sconosciuto"), "{stderr}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 7);
    let again = std::process::Command::new(bin)
        .args(["--database", &db.url, "copayment", "statements", "--ambito", "PROVA", "--month", "2025-03", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("nessun nuovo avviso"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    db.drop_pg().await;
}
