//! `ambito copayment regulation` and `ambito copayment settings`: a good version, and each bad
//! input of issue 17 refused with its line, changing nothing.

use super::{count, setup};
use ambito_app::access::Actor;
use ambito_app::copayment::setup::SettingsArgs;

pub const REGULATION: &str = r#"codice = "REG2025"
valido_dal = 2025-01-01

[[servizio]]
codice_servizio = "SAD"
unita = "ora"
isee_tipi = ["sociosanitario", "ordinario"]
formula = "lineare"
isee_esenzione = "6000.00"
isee_massimo = "30000.00"
tariffa_minima = "2.00"
tariffa_massima = "18.50"
tetto_mensile = "250.00"

[[servizio]]
codice_servizio = "SAD_PASTI"
unita = "pasto"
isee_tipi = ["ordinario"]
formula = "fasce"
isee_esenzione = "5000"
isee_massimo = "40000"
tariffa_minima = "1.00"
tariffa_massima = "6.00"

[[servizio.fasce]]
fino_a = "10000"
tariffa = "2.00"

[[servizio.fasce]]
fino_a = "20000"
tariffa = "4.00"
"#;

async fn load(app: &ambito_app::App, text: &str) -> Result<String, String> {
    app.load_regulation(&Actor::COMMAND_LINE, "reg.toml", text, "PROVA").await.map(|r| r.codice).map_err(|e| e.to_string())
}

#[tokio::test]
async fn a_version_loads_and_each_bad_input_is_refused_with_its_line() {
    let (db, app) = setup().await;
    assert_eq!(load(&app, REGULATION).await, Ok("REG2025".to_string()));
    assert_eq!((count(&app, "copay_regulation").await, count(&app, "copay_regulation_service").await), (1, 2));

    let overlapping = REGULATION.replace("REG2025", "REG2025B");
    let e = load(&app, &overlapping).await.unwrap_err();
    assert!(e.contains("reg.toml: esiste già una versione del regolamento valida dal 2025-01-01"), "{e}");

    let next = |from: &str, to: &str| REGULATION.replace("REG2025", "REG2026").replace("2025-01-01", "2026-01-01").replace(from, to);
    // Line 10: isee_massimo of SAD.
    let e = load(&app, &next("isee_massimo = \"30000.00\"", "isee_massimo = \"6000.00\"")).await.unwrap_err();
    assert!(e.contains("reg.toml:10:") && e.contains("isee_massimo"), "{e}");
    // Line 11: tariffa_minima of SAD above its maximum.
    let e = load(&app, &next("tariffa_minima = \"2.00\"", "tariffa_minima = \"20.00\"")).await.unwrap_err();
    assert!(e.contains("reg.toml:1") && e.contains("tariffa_minima"), "{e}");
    // Line 37: the second band does not rise above the first.
    let e = load(&app, &next("fino_a = \"20000\"", "fino_a = \"9000\"")).await.unwrap_err();
    assert!(e.contains("reg.toml:3") && e.contains("fino_a"), "{e}");
    // A service the Ambito's catalogue does not have.
    let e = load(&app, &next("\"SAD_PASTI\"", "\"MENSA\"")).await.unwrap_err();
    assert!(e.contains("servizio «MENSA» non presente nel catalogo"), "{e}");
    assert_eq!((count(&app, "copay_regulation").await, count(&app, "copay_regulation_service").await), (1, 2), "nothing stored");

    // The next year's version joins.
    assert_eq!(load(&app, &next("", "")).await, Ok("REG2026".to_string()));
    db.drop_pg().await;
}

#[tokio::test]
async fn pagopa_settings_are_checked_and_kept_with_their_history() {
    let (db, app) = setup().await;
    let args = |cf: &'static str, seg: &'static str, iban: &'static str| SettingsArgs {
        ente_cf: cf,
        segregazione: seg,
        iban,
        ..SettingsArgs::default()
    };
    let e =
        app.set_pagopa_settings(&Actor::COMMAND_LINE, "PROVA", &args("00123456780", "1", "IT60X0542811101000000123457")).await.unwrap_err();
    let e = e.to_string();
    assert!(e.contains("cifra di controllo errata, attesa 2") && e.contains("segregazione") && e.contains("IBAN"), "{e}");
    assert_eq!(count(&app, "pagopa_settings").await, 0);
    let s =
        app.set_pagopa_settings(&Actor::COMMAND_LINE, "PROVA", &args("00123456782", "01", "IT60X0542811101000000123456")).await.unwrap();
    assert_eq!((s.ente_cf.as_str(), s.segregazione.to_string().as_str(), s.nome.as_str()), ("00123456782", "01", "Ambito di prova"));
    assert_eq!(s.causale.as_str(), ambito_app::copayment::setup::DEFAULT_CAUSALE);
    app.set_pagopa_settings(&Actor::COMMAND_LINE, "PROVA", &args("00123456782", "02", "IT60X0542811101000000123456")).await.unwrap();
    assert_eq!(count(&app, "pagopa_settings").await, 2, "a change is a new row");
    db.drop_pg().await;
}
