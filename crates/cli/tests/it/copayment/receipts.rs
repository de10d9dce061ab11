//! `ambito copayment receipts` and `arrears`: after March's run (notices of 5,38, 45,75, 128,13
//! and 250,00 due 2025-04-30, see `statements.rs`), payments in full, in part, twice, unknown.

use super::count;
use super::statements::{iuv, ready};
use ambito_app::access::Actor;
use ambito_app::{App, Lang, NoProgress};
use ambito_domain::date::parse_iso;

async fn receipts(app: &App, file: &str, body: &str) -> ambito_app::copayment::receipts::ReceiptsImported {
    let body = format!("iuv;importo;data_pagamento;psp\n{body}");
    app.import_receipts(&Actor::COMMAND_LINE, file, body.as_bytes(), "PROVA", &NoProgress).await.unwrap()
}

#[tokio::test]
async fn receipts_reconcile_and_the_rest_is_in_arrears() {
    let (db, app, _dir) = ready().await;
    app.run_statements(&Actor::COMMAND_LINE, "PROVA", "2025-03").await.unwrap();
    let (e, d, a, b) = (iuv(1), iuv(2), iuv(3), iuv(4));

    // An unknown IUV refuses the file: nothing recorded, not even the good row.
    let bad = receipts(&app, "ignoto.csv", &format!("{e};5,38;2025-04-10;Poste\n{};1,00;2025-04-10;Poste\n", iuv(99))).await;
    assert!(!bad.outcome.applied);
    let errs: Vec<String> = bad.outcome.findings.errors.iter().map(|x| x.render(Lang::It)).collect();
    assert_eq!(errs, vec![format!("ignoto.csv:3:iuv: IUV {} sconosciuto: nessun avviso dell'Ambito PROVA", iuv(99))]);
    assert_eq!(count(&app, "pagopa_receipt").await, 0);

    // Colombo pays in full, Ferrari 20,00 of 45,75, Verdi in full by notice number.
    let body = format!("{e};5,38;2025-04-10;Poste\n{d};20,00;2025-04-12;Banca X\n3{b};250,00;2025-05-02;Banca Y\n");
    let done = receipts(&app, "ricevute.csv", &body).await;
    assert!(done.outcome.applied, "{:?}", done.outcome.findings.errors);
    assert_eq!((done.recorded, done.flagged, done.already), (3, 1, 0));
    let warnings: Vec<String> = done.outcome.findings.warnings.iter().map(|x| x.render(Lang::It)).collect();
    assert_eq!(warnings, vec![format!("ricevute.csv:3:importo: avviso {d}: pagamento parziale: mancano 25,75")]);
    let again = receipts(&app, "ricevute.csv", &body).await;
    assert_eq!((again.recorded, again.already), (0, 3), "the same receipts are recorded once");
    // Colombo pays again: recorded and flagged as a duplicate.
    let twice = receipts(&app, "doppia.csv", &format!("{e};5,38;2025-04-20;Poste\n")).await;
    assert_eq!((twice.recorded, twice.flagged), (1, 1));
    assert!(twice.outcome.findings.warnings[0].render(Lang::It).contains("pagamento doppio"));
    let statuses: Vec<(String, i64, String)> = {
        let mut conn = app.store.read().await.unwrap();
        sqlx::query_as("SELECT iuv, paid_cents, status FROM pagopa_notice ORDER BY iuv").fetch_all(&mut *conn).await.unwrap()
    };
    assert_eq!(
        statuses,
        vec![
            (e.clone(), 1076, "pagato".into()),
            (d.clone(), 2000, "parziale".into()),
            (a.clone(), 0, "emesso".into()),
            (b.clone(), 25000, "pagato".into())
        ]
    );

    // On 15 June, 46 days after 30 April: Ferrari's 25,75 and Rossi's 128,13 are 31–60 days late.
    let (list, buckets) = app.arrears("PROVA", parse_iso("2025-06-15").unwrap()).await.unwrap();
    let brief: Vec<(&str, i64, &str)> = list.iter().map(|x| (x.notice.iuv.as_str(), x.unpaid_cents, x.bucket)).collect();
    assert_eq!(brief, vec![(d.as_str(), 2575, "31–60 giorni"), (a.as_str(), 12813, "31–60 giorni")]);
    assert_eq!(buckets.iter().map(|b| (b.notices, b.cents)).collect::<Vec<_>>(), vec![(0, 0), (2, 15388), (0, 0), (0, 0)]);
    let (none, _) = app.arrears("PROVA", parse_iso("2025-04-30").unwrap()).await.unwrap();
    assert!(none.is_empty(), "not past due on the due day");
    db.drop_pg().await;
}
