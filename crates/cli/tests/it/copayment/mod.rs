//! Co-payments by ISEE and pagoPA notices (issue 17): the ISEE import, the regulation and its
//! bad inputs, the pagoPA settings, and a month's statements with numbers worked out by hand.

mod isee;
mod receipts;
mod regulation;
mod statements;

use crate::support::{SMALL_ACTIVITY, TestDb};
use ambito_app::access::Actor;
use ambito_app::{App, Lang, NoProgress};

pub const TERRITORY: &str = "codice_regione;regione;codice_ats;ats;codice_distretto;distretto;codice_ambito;ambito;codice_istat;comune
03;Lombardia;ATS_T;ATS di prova;D_T;Distretto di prova;PROVA;Ambito di prova;990001;Primo
";

pub const PERSONS_HEADER: &str =
    "codice_fiscale;cognome;nome;sesso;data_nascita;luogo_nascita;cittadinanza;comune_residenza;indirizzo;telefono;email;codice_persona";

/// Five persons with their delivery keys (check characters computed as the codice fiscale's).
pub const PERSONS: &str = "\
RSSMRA85T10A562S;Rossi;Mario;M;1985-12-10;A562;100;;;;;K-A
VRDLGU70B02F205V;Verdi;Luigi;M;1970-02-02;F205;100;;;;;K-B
BNCGNN85C03L219B;Bianchi;Giovanni;M;1985-03-03;L219;100;;;;;K-C
FRRPLA60A01A794E;Ferrari;Paolo;M;1960-01-01;A794;100;;;;;K-D
CLMNNA75D45A794S;Colombo;Anna;F;1975-04-05;A794;100;;;;;K-E
";

pub const ISEE_HEADER: &str = "codice_fiscale;tipo;valore;protocollo_dsu;data_dsu;valido_fino";

/// The Ambito PROVA (services SAD, SAD_PASTI, TELE, … of the small activity file, Comune 990001)
/// and the five persons.
pub async fn setup() -> (TestDb, App) {
    let db = TestDb::new().await;
    let app = db.app().await;
    assert!(app.import_territory("t.csv", TERRITORY.as_bytes(), &NoProgress).await.expect("territory").applied);
    let opts = ambito_app::reporting::import::activity::ActivityImport { ambito_code: "PROVA", new_ambito_name: None };
    assert!(app.import_activity("a.csv", SMALL_ACTIVITY.as_bytes(), opts, &NoProgress).await.expect("activity").applied);
    let body = format!("{PERSONS_HEADER}\n{PERSONS}");
    let done = app.import_persons(&Actor::COMMAND_LINE, "persone.csv", body.as_bytes(), "PROVA", &NoProgress).await.expect("persons");
    assert!(done.outcome.applied, "{:?}", errors(&done.outcome));
    (db, app)
}

pub fn errors(o: &ambito_app::intake::ImportOutcome) -> Vec<String> {
    o.findings.errors.iter().map(|e| e.render(Lang::It)).collect()
}

pub async fn count(app: &App, table: &str) -> i64 {
    let mut conn = app.store.read().await.expect("conn");
    sqlx::Row::get(
        &sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"))).fetch_one(&mut *conn).await.expect("count"),
        0,
    )
}
