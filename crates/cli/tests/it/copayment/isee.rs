//! `ambito import isee`: both CSV conventions and a workbook, every bad row located, re-import.

use super::{ISEE_HEADER, count, errors, setup};
use ambito_app::access::Actor;
use ambito_app::copayment::isee_import::IseeImported;
use ambito_app::{App, NoProgress};

async fn import(app: &App, file: &str, body: &[u8]) -> IseeImported {
    app.import_isee(&Actor::COMMAND_LINE, file, body, "PROVA", &NoProgress).await.expect("import runs")
}

/// `(cf, tipo, cents, protocol, dsu, valido_fino)` of the live attestations.
async fn live(app: &App) -> Vec<(String, String, i64, String, String, Option<String>)> {
    let mut conn = app.store.read().await.expect("conn");
    sqlx::query_as(
        "SELECT p.codice_fiscale, i.tipo, i.valore_cents, i.protocollo_dsu, i.data_dsu, i.valido_fino FROM isee_attestation i \
         JOIN person p ON p.id = i.person_id WHERE i.voided_at IS NULL ORDER BY p.codice_fiscale, i.tipo",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("attestations")
}

#[tokio::test]
async fn a_good_file_in_either_convention_or_a_workbook_and_its_re_import() {
    let (db, app) = setup().await;
    // `;` and Italian numbers; an Italian date; a type written as an office writes it.
    let semicolon = format!(
        "{ISEE_HEADER}\nRSSMRA85T10A562S;ordinario;18.000,00;INPS-ISEE-2025-000000001-00;2025-01-10;\n\
         VRDLGU70B02F205V;ISEE Socio-sanitario;1.234,56;inps-isee-2025-00000000a-01;15/01/2025;2025-06-30\n"
    );
    let done = import(&app, "isee.csv", semicolon.as_bytes()).await;
    assert!(done.outcome.applied, "{:?}", errors(&done.outcome));
    assert_eq!((done.created, done.updated, done.unchanged), (2, 0, 0));
    let expected = vec![
        ("RSSMRA85T10A562S".into(), "ordinario".into(), 1_800_000, "INPS-ISEE-2025-000000001-00".into(), "2025-01-10".into(), None),
        (
            "VRDLGU70B02F205V".into(),
            "sociosanitario".into(),
            123_456,
            "INPS-ISEE-2025-00000000A-01".into(),
            "2025-01-15".into(),
            Some("2025-06-30".into()),
        ),
    ];
    assert_eq!(live(&app).await, expected);

    // The same attestations again: nothing new.
    let again = import(&app, "isee.csv", semicolon.as_bytes()).await;
    assert!(again.outcome.applied && again.outcome.previously_imported_at.is_some());
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(count(&app, "isee_attestation").await, 2);

    // `,` and a decimal point: the same first attestation (unchanged), a corrected second one
    // (the old row voided, kept), a third person.
    let comma = "codice_fiscale,tipo,valore,protocollo_dsu,data_dsu,valido_fino\n\
                 RSSMRA85T10A562S,ordinario,18000.00,INPS-ISEE-2025-000000001-00,2025-01-10,\n\
                 VRDLGU70B02F205V,sociosanitario,1234.50,INPS-ISEE-2025-00000000A-01,2025-01-15,2025-06-30\n\
                 BNCGNN85C03L219B,corrente,0,INPS-ISEE-2025-000000009-00,2025-03-15,\n";
    let done = import(&app, "isee-virgola.csv", comma.as_bytes()).await;
    assert!(done.outcome.applied, "{:?}", errors(&done.outcome));
    assert_eq!((done.created, done.updated, done.unchanged), (1, 1, 1));
    assert_eq!(count(&app, "isee_attestation").await, 4, "the corrected attestation is voided, not deleted");
    let now = live(&app).await;
    assert_eq!(now.len(), 3);
    assert_eq!(now[0].2, 0, "an ISEE of zero is a value, not a blank");
    assert_eq!(now[2].2, 123_450);

    // A workbook: numbers and dates as cells.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ISEE_HEADER.split(';').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    sheet.write_string(1, 0, "FRRPLA60A01A794E").unwrap();
    sheet.write_string(1, 1, "ordinario").unwrap();
    sheet.write_number(1, 2, 25000.5).unwrap();
    sheet.write_string(1, 3, "INPS-ISEE-2025-000000005-00").unwrap();
    sheet.write_string(1, 4, "2025-02-01").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let done = import(&app, "isee.xlsx", &bytes).await;
    assert!(done.outcome.applied, "{:?}", errors(&done.outcome));
    assert_eq!(done.created, 1);
    assert!(live(&app).await.iter().any(|r| r.0 == "FRRPLA60A01A794E" && r.2 == 2_500_050));
    db.drop_pg().await;
}

#[tokio::test]
async fn every_bad_row_is_reported_with_line_and_column_and_nothing_is_written() {
    let (db, app) = setup().await;
    let body = format!(
        "{ISEE_HEADER}\n\
         RSSMRA85T10A562S;ordinario;18.000,00;INPS-ISEE-2025-000000001-00;2025-01-10;\n\
         XXXXXX00X00X000X;ordinario;1.000,00;INPS-ISEE-2025-000000002-00;2025-01-10;\n\
         VRDLGU70B02F205V;ordinario;-5,00;INPS-ISEE-2025-000000003-00;2025-01-10;\n\
         VRDLGU70B02F205V;ordinario;5,00;ISEE-2025-1;2025-01-10;\n\
         BNCGNN85C03L219B;straordinario;5,00;INPS-ISEE-2025-000000004-00;2025-02-30;\n\
         BNCGNN85C03L219B;ordinario;5,00;INPS-ISEE-2025-000000005-00;2025-02-10;2025-01-01\n\
         RSSMRA85T10A562S;ordinario;18.000,00;INPS-ISEE-2025-000000001-00;2025-01-10;\n"
    );
    let done = import(&app, "cattivo.csv", body.as_bytes()).await;
    assert!(!done.outcome.applied);
    let errs = errors(&done.outcome);
    for expected in [
        "cattivo.csv:3:codice_fiscale: codice fiscale «XXXXXX00X00X000X» non presente nell'anagrafe",
        "cattivo.csv:4:valore: il valore dell'ISEE non può essere negativo",
        "cattivo.csv:5:protocollo_dsu: protocollo DSU non valido «ISEE-2025-1»",
        "cattivo.csv:6:tipo: tipo di ISEE sconosciuto «straordinario»",
        "cattivo.csv:6:data_dsu:",
        "cattivo.csv:7:valido_fino:",
        "cattivo.csv:8:protocollo_dsu: attestazione ripetuta",
    ] {
        assert!(errs.iter().any(|e| e.contains(expected)), "missing «{expected}» in {errs:#?}");
    }
    assert_eq!(errs.len(), 7, "{errs:#?}");
    assert_eq!(count(&app, "isee_attestation").await, 0, "nothing written");
    db.drop_pg().await;
}
