//! The legacy import of persons and cases (issue 15): the file contract, every error located
//! and nothing written, all-or-nothing, idempotent re-import, updates kept in `person_revision`.

use crate::support::{SMALL_ACTIVITY, TestDb, new_ambito_with};
use ambito_app::access::Actor;
use ambito_app::cases::import_cases::CasesImported;
use ambito_app::cases::import_persons::PersonsImported;
use ambito_app::{App, Lang, NoProgress};
use std::process::Command;

const HEADER: &str =
    "codice_fiscale;cognome;nome;sesso;data_nascita;luogo_nascita;cittadinanza;comune_residenza;indirizzo;telefono;email;codice_persona";
const CASES_HEADER: &str = "codice_fiscale;servizio;ente;data_apertura;data_chiusura;stato;area;operatore";

/// Three persons: a man with a pseudonymous key, a woman without (generated), a man born abroad.
const GOOD: &str = "\
RSSMRA85T10A562S;Rossi;Mario;M;10/12/1985;A562;100;016086;Via Roma 1;035 123456;mario@example.it;LEG-0001
BNCLRA90E45F205D;Bianco;Laura;F;1990-05-05;F205;100;016193;;;;
SMTJHN80A01Z404K;Smith;John;M;1980-01-01;Z404;536;999999;;;;LEG-0003
";

async fn persons(app: &App, file: &str, body: &str) -> PersonsImported {
    app.import_persons(&Actor::COMMAND_LINE, file, body.as_bytes(), "PROVA", &NoProgress).await.expect("import runs")
}

async fn count(app: &App, table: &str) -> i64 {
    let mut conn = app.store.read().await.expect("conn");
    sqlx::Row::get(
        &sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"))).fetch_one(&mut *conn).await.expect("count"),
        0,
    )
}

/// Rows of every table an import of persons or cases writes.
async fn registry(app: &App) -> Vec<i64> {
    let mut out = Vec::new();
    for t in ["person", "person_ambito", "person_revision", "care_case", "case_event", "case_manager", "care_team"] {
        out.push(count(app, t).await);
    }
    out
}

fn errors(o: &ambito_app::intake::ImportOutcome) -> Vec<String> {
    o.findings.errors.iter().map(|e| e.render(Lang::It)).collect()
}

async fn setup() -> (TestDb, App) {
    let db = TestDb::new().await;
    let app = db.app().await;
    assert!(new_ambito_with(&app, "PROVA", SMALL_ACTIVITY).await.applied);
    (db, app)
}

#[tokio::test]
async fn a_good_file_is_imported_once_and_re_imported_without_effect() {
    let (db, app) = setup().await;
    let done = persons(&app, "persone.csv", &format!("{HEADER}\n{GOOD}")).await;
    assert!(done.outcome.applied, "{:?}", errors(&done.outcome));
    assert_eq!((done.created, done.updated, done.unchanged), (3, 0, 0));
    // The unknown Comune 999999 is a residence outside the territory: a warning, not an error.
    assert!(done.outcome.findings.warnings.iter().any(|w| w.render(Lang::It).contains("Comune 999999")), "{:?}", done.outcome.findings);
    let mario = app.person_by_cf("RSSMRA85T10A562S").await.unwrap().expect("imported");
    assert_eq!((mario.pseudonym.as_str(), mario.birth_date.as_str(), mario.sesso.as_deref()), ("LEG-0001", "1985-12-10", Some("M")));
    assert_eq!(
        (mario.birth_place.as_deref(), mario.citizenship.as_deref(), mario.phone.as_deref()),
        (Some("A562"), Some("100"), Some("035 123456"))
    );
    let laura = app.person_by_cf("BNCLRA90E45F205D").await.unwrap().expect("imported");
    assert!(laura.pseudonym.starts_with('P') && laura.pseudonym.len() == 16, "generated key {}", laura.pseudonym);
    assert_eq!(count(&app, "person_ambito").await, 3, "registered in the Ambito");

    let before = registry(&app).await;
    let again = persons(&app, "persone.csv", &format!("{HEADER}\n{GOOD}")).await;
    assert!(again.outcome.applied);
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));
    assert!(again.outcome.previously_imported_at.is_some());
    assert_eq!(registry(&app).await, before, "a re-import changes nothing");
    let laura_again = app.person_by_cf("BNCLRA90E45F205D").await.unwrap().expect("still there");
    assert_eq!(laura_again.pseudonym, laura.pseudonym, "the generated key stays");

    // The comma convention, with one change: only that field changes, the old value is kept.
    let comma =
        format!("{}\n{}\n", HEADER.replace(';', ","), GOOD.lines().next().unwrap().replace(';', ",").replace("035 123456", "035 999999"));
    let changed = persons(&app, "persone-virgola.csv", &comma).await;
    assert!(changed.outcome.applied, "{:?}", errors(&changed.outcome));
    assert_eq!((changed.created, changed.updated, changed.unchanged), (0, 1, 0));
    let mario = app.person_by_cf("RSSMRA85T10A562S").await.unwrap().expect("there");
    assert_eq!((mario.phone.as_deref(), mario.email.as_deref()), (Some("035 999999"), Some("mario@example.it")));
    assert_eq!(count(&app, "person_revision").await, 1);
    let mut conn = app.store.read().await.unwrap();
    let (data, reason): (String, String) = sqlx::query_as("SELECT data, reason FROM person_revision").fetch_one(&mut *conn).await.unwrap();
    assert!(data.contains("035 123456"), "the old value is kept: {data}");
    assert!(reason.contains("persone-virgola.csv, riga 2"), "{reason}");
    db.drop_pg().await;
}

#[tokio::test]
async fn an_xlsx_file_is_read_like_a_csv() {
    let (db, app) = setup().await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in HEADER.split(';').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, line) in GOOD.lines().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in line.split(';').enumerate() {
            let c = c as u16;
            if c == 4 {
                let iso = if cell.contains('/') { format!("{}-{}-{}", &cell[6..], &cell[3..5], &cell[..2]) } else { cell.to_string() };
                sheet.write_datetime_with_format(r, c, rust_xlsxwriter::ExcelDateTime::parse_from_str(&iso).unwrap(), &date).unwrap();
            } else if c == 6 && !cell.is_empty() {
                // Excel turns a typed 100 into a number.
                sheet.write_number(r, c, cell.parse::<f64>().unwrap()).unwrap();
            } else {
                sheet.write_string(r, c, cell).unwrap();
            }
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let done = app.import_persons(&Actor::COMMAND_LINE, "persone.xlsx", &bytes, "PROVA", &NoProgress).await.unwrap();
    assert!(done.outcome.applied, "{:?}", errors(&done.outcome));
    assert_eq!(done.created, 3);
    let john = app.person_by_cf("SMTJHN80A01Z404K").await.unwrap().expect("imported");
    assert_eq!((john.birth_date.as_str(), john.citizenship.as_deref()), ("1980-01-01", Some("536")));
    db.drop_pg().await;
}

#[tokio::test]
async fn every_error_is_reported_with_line_and_column_and_nothing_is_written() {
    let (db, app) = setup().await;
    let before = registry(&app).await;
    let body = format!(
        "{HEADER}\n{}\
RSSMRA85T10A562X;Rossi;Mario;M;1985-12-10;;;;;;;\n\
VRDLCU90A41D969R;;Lucia;F;1990-01-01;D96;1000;16102;;;lucia@;\n\
NREANN82D55L219H;Neri;Anna;F;2099-04-15;;;;;;;\n\
RSSMRA85T10A562S;Rossi;Mario;M;1985-12-10;;;;;;;\n",
        GOOD
    );
    let done = persons(&app, "errori.csv", &body).await;
    assert!(!done.outcome.applied);
    assert_eq!(registry(&app).await, before, "nothing written");
    let e = errors(&done.outcome);
    let expected = [
        "errori.csv:5:codice_fiscale: codice fiscale «RSSMRA85T10A562X» non valido: carattere di controllo errato",
        "errori.csv:6:cognome: cognome obbligatorio",
        "errori.csv:6:luogo_nascita: luogo di nascita «D96» non valido",
        "errori.csv:6:cittadinanza: cittadinanza «1000» non valida",
        "errori.csv:6:comune_residenza: comune di residenza «16102» non valido",
        "errori.csv:6:email: indirizzo e-mail «lucia@» non valido",
        "errori.csv:7:data_nascita: data nel futuro: 2099-04-15",
        "errori.csv:8:codice_fiscale: codice fiscale ripetuto (già alla riga 2)",
    ];
    for x in expected {
        assert!(e.iter().any(|m| m.starts_with(x)), "expected «{x}» in {e:#?}");
    }
    assert_eq!(e.len(), expected.len(), "{e:#?}");
    // A header that is not the contract's.
    let done = persons(&app, "intestazione.csv", "codice_fiscale;cognome;nome;nascita\n").await;
    let e = errors(&done.outcome);
    assert!(e.iter().any(|m| m.starts_with("intestazione.csv:1:nascita: colonna sconosciuta «nascita»")), "{e:#?}");
    assert!(e.iter().any(|m| m.contains("manca la colonna «data_nascita»")), "{e:#?}");
    db.drop_pg().await;
}

#[tokio::test]
async fn a_cf_contradicting_birth_date_or_sex_is_refused() {
    let (db, app) = setup().await;
    let body = format!("{HEADER}\nRSSMRA85T10A562S;Rossi;Mario;M;1985-12-11;;;;;;;\nBNCLRA90E45F205D;Bianco;Laura;M;1990-05-05;;;;;;;\n");
    let done = persons(&app, "cf.csv", &body).await;
    assert!(!done.outcome.applied);
    assert_eq!(
        errors(&done.outcome),
        [
            "cf.csv:2:codice_fiscale: il codice fiscale indica la nascita il 10/12/85, diversa dalla data di nascita dichiarata",
            "cf.csv:3:codice_fiscale: il codice fiscale indica il sesso F, diverso da quello dichiarato",
        ]
    );
    assert_eq!(count(&app, "person").await, 0);
    db.drop_pg().await;
}

#[tokio::test]
async fn a_codice_persona_of_another_person_is_refused() {
    let (db, app) = setup().await;
    assert!(persons(&app, "a.csv", &format!("{HEADER}\n{GOOD}")).await.outcome.applied);
    // In the same file, for two persons.
    let twice = format!("{HEADER}\nVRDLCU90A41D969R;Verdi;Lucia;F;1990-01-01;;;;;;;K1\nNREANN82D55L219H;Neri;Anna;F;1982-04-15;;;;;;;K1\n");
    let e = errors(&persons(&app, "doppio.csv", &twice).await.outcome);
    assert_eq!(e, ["doppio.csv:3:codice_persona: codice persona «K1» ripetuto (già alla riga 2, per un'altra persona)"]);
    // Already in the registry for another person.
    let taken = format!("{HEADER}\nVRDLCU90A41D969R;Verdi;Lucia;F;1990-01-01;;;;;;;LEG-0001\n");
    let e = errors(&persons(&app, "preso.csv", &taken).await.outcome);
    assert_eq!(e, ["preso.csv:2:codice_persona: codice persona «LEG-0001» già usato da un'altra persona (RSSMRA85T10A562S)"]);
    // A known person's key does not change through an import.
    let changed = format!("{HEADER}\nRSSMRA85T10A562S;Rossi;Mario;M;1985-12-10;;;;;;;LEG-9999\n");
    let e = errors(&persons(&app, "cambio.csv", &changed).await.outcome);
    assert_eq!(e, ["cambio.csv:2:codice_persona: la persona ha già il codice persona «LEG-0001»: un'importazione non lo cambia"]);
    assert_eq!(count(&app, "person").await, 3);
    db.drop_pg().await;
}

async fn cases(app: &App, file: &str, body: &str) -> CasesImported {
    app.import_cases(&Actor::COMMAND_LINE, file, body.as_bytes(), "PROVA", &NoProgress).await.expect("import runs")
}

#[tokio::test]
async fn cases_are_imported_idempotently_and_changes_become_events() {
    let (db, app) = setup().await;
    assert!(persons(&app, "p.csv", &format!("{HEADER}\n{GOOD}")).await.outcome.applied);
    let role =
        ambito_app::access::RoleAssignment { role: "assistente_sociale".into(), ambito_code: Some("PROVA".into()), ..Default::default() };
    let user = ambito_app::access::NewUser { username: "prova.assistente".into(), display_name: "Assistente".into(), ..Default::default() };
    app.create_user(None, &user, &[role]).await.unwrap();
    let body = format!(
        "{CASES_HEADER}\nRSSMRA85T10A562S;SAD;COOP;01/02/2024;;erogazione;anziani;prova.assistente\n\
         BNCLRA90E45F205D;TELE;;2023-03-01;2024-06-30;chiuso;;\n"
    );
    let done = cases(&app, "casi.csv", &body).await;
    assert!(done.outcome.applied, "{:?}", errors(&done.outcome));
    assert_eq!((done.created, done.updated, done.unchanged), (2, 0, 0));
    assert_eq!((count(&app, "care_case").await, count(&app, "case_manager").await, count(&app, "care_team").await), (2, 1, 1));
    // Opening of both, closing of the closed one.
    assert_eq!(count(&app, "case_event").await, 3);
    let before = registry(&app).await;
    let again = cases(&app, "casi.csv", &body).await;
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(registry(&app).await, before, "a re-import changes nothing");
    // Mario's case is later closed: one more event, nothing overwritten but the current state.
    let closed = body.replace(";01/02/2024;;erogazione;", ";01/02/2024;2025-01-31;chiuso;");
    let later = cases(&app, "casi-2025.csv", &closed).await;
    assert_eq!((later.created, later.updated, later.unchanged), (0, 1, 1));
    assert_eq!(count(&app, "case_event").await, 4);

    let bad = format!(
        "{CASES_HEADER}\nRSSMRA85T10A562S;NOPE;;2024-02-01;;;;\n\
         VRDLCU90A41D969R;SAD;;2024-02-01;;;;\n\
         BNCLRA90E45F205D;SAD;;2024-02-01;2024-01-01;chiuso;;\n\
         BNCLRA90E45F205D;SAD;;2024-02-01;;sconosciuto;;nessuno\n\
         BNCLRA90E45F205D;SAD;;2024-02-01;;chiuso;;\n"
    );
    let before = registry(&app).await;
    let e = errors(&cases(&app, "casi-errati.csv", &bad).await.outcome);
    assert_eq!(registry(&app).await, before, "nothing written");
    for x in [
        "casi-errati.csv:2:servizio: servizio «NOPE» non presente nel catalogo di PROVA",
        "casi-errati.csv:4:data_chiusura: chiusura (2024-01-01) prima dell'apertura (2024-02-01)",
        "casi-errati.csv:5:stato: stato «sconosciuto» sconosciuto",
        "casi-errati.csv:5:operatore: operatore «nessuno» sconosciuto",
        "casi-errati.csv:6:stato: uno stato di chiusura richiede la data di chiusura",
        "casi-errati.csv:3:codice_fiscale: persona VRDLCU90A41D969R non presente nell'anagrafe",
    ] {
        assert!(e.iter().any(|m| m.starts_with(x)), "expected «{x}» in {e:#?}");
    }
    assert_eq!(e.len(), 6, "{e:#?}");
    db.drop_pg().await;
}

#[tokio::test]
async fn the_command_line_imports_and_reports() {
    let db = TestDb::new().await;
    let app = db.app().await;
    assert!(new_ambito_with(&app, "PROVA", SMALL_ACTIVITY).await.applied);
    app.store.close().await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("persone.csv");
    std::fs::write(&good, format!("{HEADER}\n{GOOD}")).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_ambito"))
            .args(args)
            .env("AMBITO_DATABASE_URL", &db.url)
            .env("LANG", "it_IT.UTF-8")
            .env_remove("LC_ALL")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (ok, out, err) = run(&["import", "persons", good.to_str().unwrap(), "--ambito", "PROVA"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("3 righe importate") && out.contains("persone: 3 nuove, 0 aggiornate, 0 invariate"), "{out}");
    let bad = dir.path().join("errato.csv");
    std::fs::write(&bad, format!("{HEADER}\nRSSMRA85T10A562S;Rossi;Mario;F;1985-12-10;;;;;;;\n")).unwrap();
    let (ok, _, err) = run(&["import", "persons", bad.to_str().unwrap(), "--ambito", "PROVA"]);
    assert!(!ok);
    assert!(err.contains("errato.csv:2:codice_fiscale: il codice fiscale indica il sesso M"), "{err}");
    assert!(err.contains("1 errori, nessuna modifica applicata"), "{err}");
    db.drop_pg().await;
}
