use super::*;
use crate::pagopa::ente::{EnteSettingsInput, check_settings};
use crate::pagopa::gpd::{Debtor, NoticeToSend, Stamp, build_position};
use crate::pagopa::iuv::SegregationCode;

fn settings() -> EnteSettings {
    check_settings(&EnteSettingsInput {
        ente_cf: "80034840167",
        nome: "Ambito territoriale di Alto Sebino",
        ufficio: "Ufficio di Piano",
        segregazione: "01",
        iban: "IT60X0542811101000000123456",
        categoria: "9/0101108TS/",
        causale: "Compartecipazione {servizio} {mese}",
    })
    .unwrap()
}

fn now() -> GpdDateTime {
    GpdDateTime::parse("2025-04-05T10:00:00").unwrap()
}

fn position() -> PaymentPositionModel {
    let s = settings();
    let iuv = Iuv::new(SegregationCode::parse("01").unwrap(), 12_345).unwrap();
    let debtor = Debtor {
        codice_fiscale: "rssmra80a01h501u".into(),
        nome_completo: "Mario Rossi".into(),
        indirizzo: Some("Via Roma".into()),
        civico: Some("1".into()),
        cap: Some("24065".into()),
        comune: Some("Lovere".into()),
        provincia: Some("bg".into()),
        email: None,
    };
    let notice = NoticeToSend {
        iuv,
        cents: 12_550,
        scadenza: crate::date::parse_iso("2025-04-30").unwrap(),
        causale: "Compartecipazione SAD marzo 2025".into(),
    };
    build_position(&s, &debtor, &notice)
}

fn fields(p: &PaymentPositionModel) -> Vec<String> {
    check_position(p, &settings(), now()).into_iter().map(|i| i.field).collect()
}

#[test]
fn the_built_position_passes_and_serialises_with_gpd_names() {
    let p = position();
    assert_eq!(check_position(&p, &settings(), now()), vec![]);
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["iupd"], "80034840167-01000000001234519");
    assert_eq!(json["type"], "F");
    assert_eq!(json["fiscalCode"], "RSSMRA80A01H501U");
    assert_eq!(json["switchToExpired"], false);
    assert_eq!(json["province"], "BG");
    assert_eq!(json["country"], "IT");
    assert!(json.get("validityDate").is_none(), "absent optional fields are not sent");
    assert!(json.get("status").is_none(), "read-only fields are not sent");
    let o = &json["paymentOption"][0];
    assert_eq!(o["iuv"], "01000000001234519");
    assert_eq!(o["nav"], "301000000001234519");
    assert_eq!(o["amount"], 12_550);
    assert_eq!(o["isPartialPayment"], false);
    assert_eq!(o["dueDate"], "2025-04-30T23:59:59");
    let t = &o["transfer"][0];
    assert_eq!(t["idTransfer"], "1");
    assert_eq!(t["amount"], 12_550);
    assert_eq!(t["iban"], "IT60X0542811101000000123456");
    assert_eq!(t["category"], "9/0101108TS/");
    assert_eq!(t["remittanceInformation"], "Compartecipazione SAD marzo 2025");
    assert!(t.get("stamp").is_none());
}

#[test]
fn a_gpd_answer_reads_back_with_its_read_only_fields() {
    let mut json = serde_json::to_value(position()).unwrap();
    json["status"] = "PAID".into();
    json["organizationFiscalCode"] = "80034840167".into();
    json["paymentOption"][0]["status"] = "PO_PAID".into();
    json["paymentOption"][0]["pspCompany"] = "Banca Esempio".into();
    json["paymentOption"][0]["fee"] = 100.into();
    let back: PaymentPositionModel = serde_json::from_value(json).unwrap();
    assert_eq!(back.status, Some(crate::pagopa::gpd::PositionStatus::Paid));
    assert_eq!(back.payment_option[0].status, Some(crate::pagopa::gpd::OptionStatus::Paid));
    assert_eq!(back.payment_option[0].psp_company.as_deref(), Some("Banca Esempio"));
}

#[test]
fn amounts_must_add_up_and_be_positive() {
    let mut p = position();
    p.payment_option[0].transfer[0].amount = 12_000;
    assert_eq!(fields(&p), vec!["paymentOption[0].amount"]);
    let mut p = position();
    p.payment_option[0].amount = 0;
    p.payment_option[0].transfer[0].amount = 0;
    assert_eq!(fields(&p), vec!["paymentOption[0].amount", "paymentOption[0].transfer[0].amount"]);
}

#[test]
fn one_to_five_transfers_with_distinct_ids() {
    let mut p = position();
    let t = p.payment_option[0].transfer[0].clone();
    p.payment_option[0].transfer = vec![];
    p.payment_option[0].amount = 0;
    assert!(fields(&p).contains(&"paymentOption[0].transfer".to_string()));
    let mut p = position();
    p.payment_option[0].transfer = (1..=6).map(|i| TransferModel { id_transfer: i.to_string(), amount: 1, ..t.clone() }).collect();
    p.payment_option[0].amount = 6;
    assert_eq!(fields(&p), vec!["paymentOption[0].transfer", "paymentOption[0].transfer[5].idTransfer"]);
    let mut p = position();
    p.payment_option[0].transfer = vec![TransferModel { amount: 1, ..t.clone() }, TransferModel { amount: 12_549, ..t }];
    assert_eq!(fields(&p), vec!["paymentOption[0].transfer[1].idTransfer"]);
}

#[test]
fn texts_within_their_limits() {
    let mut p = position();
    p.company_name = "x".repeat(141);
    p.payment_option[0].description = String::new();
    p.payment_option[0].transfer[0].remittance_information = "à".repeat(140);
    assert_eq!(fields(&p), vec!["companyName", "paymentOption[0].description"], "140 characters, not bytes");
    let mut p = position();
    p.full_name = " ".into();
    p.city = Some("x".repeat(36));
    assert_eq!(fields(&p), vec!["fullName", "city"]);
}

#[test]
fn iban_and_stamp() {
    let mut p = position();
    p.payment_option[0].transfer[0].iban = Some("IT60X0542811101000000123457".into());
    assert_eq!(fields(&p), vec!["paymentOption[0].transfer[0].iban"]);
    let stamp = Stamp { hash_document: "a".repeat(73), stamp_type: "2".into(), provincial_residence: "bg".into() };
    let mut p = position();
    p.payment_option[0].transfer[0].stamp = Some(stamp.clone());
    assert!(fields(&p).contains(&"paymentOption[0].transfer[0].stamp".to_string()));
    p.payment_option[0].transfer[0].iban = None;
    assert_eq!(
        fields(&p),
        vec![
            "paymentOption[0].transfer[0].stamp.hashDocument",
            "paymentOption[0].transfer[0].stamp.stampType",
            "paymentOption[0].transfer[0].stamp.provincialResidence"
        ]
    );
    p.payment_option[0].transfer[0].stamp = None;
    assert_eq!(fields(&p), vec!["paymentOption[0].transfer[0].iban"]);
}

#[test]
fn iuv_nav_and_iupd_shapes() {
    let mut p = position();
    p.payment_option[0].iuv = Iuv::new(SegregationCode::parse("02").unwrap(), 12_345).unwrap().to_string();
    assert_eq!(fields(&p), vec!["paymentOption[0].iuv", "paymentOption[0].nav"], "another segregation code");
    let mut p = position();
    p.payment_option[0].iuv = "01000000001234518".into();
    assert_eq!(fields(&p), vec!["paymentOption[0].iuv"]);
    let mut p = position();
    p.iupd = "abc".into();
    assert_eq!(fields(&p), vec!["iupd"]);
    p.iupd = "80034840167 x".into();
    assert_eq!(fields(&p), vec!["iupd"]);
    let mut p = position();
    p.payment_option.push(p.payment_option[0].clone());
    assert_eq!(fields(&p), vec!["paymentOption[1].iuv"]);
}

#[test]
fn country_email_and_debtor_code() {
    let mut p = position();
    p.country = Some("it".into());
    p.email = Some("mario@".into());
    p.fiscal_code = "RSSMRA80A01H501U1".into();
    assert_eq!(fields(&p), vec!["fiscalCode", "country", "email"]);
    p.country = Some("IT".into());
    p.email = Some("mario.rossi@example.it".into());
    p.fiscal_code = "01199250158".into();
    assert_eq!(fields(&p), Vec::<String>::new());
}

#[test]
fn dates() {
    let mut p = position();
    p.payment_option[0].due_date = "2025-04-01T23:59:59".into();
    assert_eq!(fields(&p), vec!["paymentOption[0].dueDate"], "before now");
    let mut p = position();
    p.validity_date = Some("2025-04-05T09:00:00".into());
    assert_eq!(fields(&p), vec!["validityDate"], "not in the future");
    p.validity_date = Some("2025-05-01T00:00:00.000Z".into());
    assert_eq!(fields(&p), vec!["paymentOption[0].dueDate"], "due before it is payable");
    let mut p = position();
    p.payment_option[0].retention_date = Some("2025-04-30T00:00:00".into());
    assert_eq!(fields(&p), vec!["paymentOption[0].retentionDate"]);
    p.payment_option[0].retention_date = Some("2025-06-30T23:59:59+02:00".into());
    assert_eq!(fields(&p), Vec::<String>::new());
    p.payment_option[0].due_date = "30/04/2025".into();
    assert_eq!(fields(&p), vec!["paymentOption[0].dueDate"]);
}

#[test]
fn datetime_shapes() {
    for ok in ["2025-04-30T23:59:59", "2025-04-30T23:59:59.999Z", "2025-04-30T00:00:00+01:00", "2025-04-30T00:00:00.5"] {
        assert!(GpdDateTime::parse(ok).is_some(), "{ok}");
    }
    for bad in
        ["2025-04-30", "2025-04-31T00:00:00", "2025-04-30T24:00:00", "2025-04-30T1:00:00", "2025-04-30T10:00:00X", "2025-04-30Té0:00:00"]
    {
        assert!(GpdDateTime::parse(bad).is_none(), "{bad}");
    }
}

#[test]
fn metadata_rules() {
    let mut p = position();
    let m = |k: &str| Metadata { key: k.into(), value: "v".into() };
    p.payment_option[0].payment_option_metadata = vec![m("a"), m("a"), m("NOTIFICATION_FEE")];
    p.payment_option[0].transfer[0].transfer_metadata = (0..11).map(|i| m(&format!("k{i}"))).collect();
    assert_eq!(
        fields(&p),
        vec![
            "paymentOption[0].transfer[0].transferMetadata",
            "paymentOption[0].paymentOptionMetadata[1].key",
            "paymentOption[0].paymentOptionMetadata[2].key"
        ]
    );
}
