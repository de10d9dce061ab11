use super::*;
use crate::copayment::isee::{DsuProtocol, IseeRecord, IseeType};
use crate::copayment::regulation::Regulation;
use crate::copayment::regulation_toml::parse_regulation;
use crate::copayment::tariff::{Exemption, charge};
use crate::date::parse_iso;
use crate::pagopa::iuv::SegregationCode;

const MARCH: Month = Month { year: 2025, month: 3 };

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn d(s: &str) -> Day {
    parse_iso(s).unwrap()
}

fn regulation() -> Regulation {
    parse_regulation(crate::copayment::regulation_toml::tests::EXAMPLE).unwrap()
}

fn isee(valore: &str) -> IseeRecord {
    IseeRecord::new(IseeType::Ordinario, dec(valore), DsuProtocol::parse("INPS-ISEE-2025-000000001-00").unwrap(), d("2025-01-15"), None)
        .unwrap()
}

fn row(cf: &str, service: &str, records: &[IseeRecord], exemptions: &[Exemption], q: &str) -> StatementRow {
    let reg = regulation();
    let rule = reg.service(service).unwrap();
    let c = charge(rule, MARCH, records, exemptions, dec(q));
    StatementRow::new(cf, rule, MARCH, &c, reg.due_date(MARCH).unwrap())
}

fn iuv(base: u64) -> Iuv {
    Iuv::new(SegregationCode::parse("01").unwrap(), base).unwrap()
}

#[test]
fn the_csv_row() {
    let mut r = row("RSSMRA80A01H501U", "SAD", &[isee("18000")], &[], "12.5");
    r.iuv = Some(iuv(12_345));
    assert_eq!(
        r.csv_values().join(";"),
        "RSSMRA80A01H501U;SAD;2025-03;12,50;ordinario;18.000,00;10,25;128,13;01000000001234519;301000000001234519;2025-04-30"
    );
    assert_eq!(
        CSV_HEADER.join(";"),
        "codice_fiscale;codice_servizio;mese;quantita;isee_tipo;isee_valore;tariffa_unitaria;importo;iuv;numero_avviso;scadenza"
    );
}

#[test]
fn without_an_isee_or_with_nothing_to_pay() {
    let r = row("RSSMRA80A01H501U", "PASTI", &[], &[], "20");
    assert_eq!(r.csv_values().join(";"), "RSSMRA80A01H501U;PASTI;2025-03;20;;;6,00;120,00;;;2025-04-30", "blank ISEE columns");
    let exempt = row("RSSMRA80A01H501U", "SAD", &[isee("3000")], &[], "1250");
    assert_eq!(exempt.csv_values().join(";"), "RSSMRA80A01H501U;SAD;2025-03;1.250,00;ordinario;3.000,00;0,00;0,00;;;2025-04-30");
}

#[test]
fn quantities_italian() {
    assert_eq!(format_quantity(Unit::Ora, dec("12.5")), "12,50");
    assert_eq!(format_quantity(Unit::Ora, dec("3")), "3,00");
    assert_eq!(format_quantity(Unit::Ora, dec("3.3333")), "3,3333", "never less precise than the amount's computation");
    assert_eq!(format_quantity(Unit::Accesso, dec("12")), "12");
    assert_eq!(format_quantity(Unit::Giorno, dec("1000")), "1.000");
}

fn month() -> Vec<StatementRow> {
    vec![
        row("VRDLGU70B02F205X", "SAD", &[isee("18000")], &[], "40"),
        row("BNCGNN85C03L219Y", "SAD", &[isee("3000")], &[], "10"),
        row("VRDLGU70B02F205X", "PASTI", &[isee("18000")], &[], "20"),
        row("BNCGNN85C03L219Y", "PASTI", &[isee("3000")], &[], "8"),
    ]
}

#[test]
fn rows_are_sorted_by_person_then_service() {
    let mut rows = month();
    sort_rows(&mut rows);
    let keys: Vec<(&str, &str)> = rows.iter().map(|r| (r.codice_fiscale.as_str(), r.codice_servizio.as_str())).collect();
    assert_eq!(
        keys,
        vec![("BNCGNN85C03L219Y", "PASTI"), ("BNCGNN85C03L219Y", "SAD"), ("VRDLGU70B02F205X", "PASTI"), ("VRDLGU70B02F205X", "SAD")]
    );
}

#[test]
fn one_notice_per_person_for_the_sum_of_their_rows() {
    let totals = person_totals(&month()).unwrap();
    assert_eq!(totals.len(), 2);
    // 3.000 is exempt from both: no notice.
    assert_eq!((totals[0].cents, totals[0].needs_notice()), (0, false));
    // SAD 40 h × 10,25 = 410,00 capped at 250,00; PASTI 20 × 4,00 (band up to 20.000) = 80,00.
    assert_eq!(totals[1].codice_fiscale, "VRDLGU70B02F205X");
    assert_eq!(totals[1].cents, 33_000);
    assert_eq!(totals[1].servizi, vec!["SAD".to_string(), "PASTI".to_string()]);
}

#[test]
fn notices_are_attached_to_every_row_of_the_person() {
    let mut rows = month();
    sort_rows(&mut rows);
    let iuvs = BTreeMap::from([("VRDLGU70B02F205X".to_string(), iuv(7))]);
    attach_notices(&mut rows, &iuvs).unwrap();
    let got: Vec<Option<&str>> = rows.iter().map(|r| r.iuv.as_ref().map(Iuv::as_str)).collect();
    let seven = iuv(7);
    assert_eq!(got, vec![None, None, Some(seven.as_str()), Some(seven.as_str())]);
    assert_eq!(rows[2].csv_values()[9], rows[3].csv_values()[9], "the same numero_avviso");
}

#[test]
fn a_notice_for_the_wrong_persons_is_refused() {
    let mut rows = month();
    assert_eq!(attach_notices(&mut rows, &BTreeMap::new()), Err(StatementError::MissingIuv("VRDLGU70B02F205X".into())));
    let zero = BTreeMap::from([("VRDLGU70B02F205X".to_string(), iuv(7)), ("BNCGNN85C03L219Y".to_string(), iuv(8))]);
    assert_eq!(attach_notices(&mut rows, &zero), Err(StatementError::UnexpectedIuv("BNCGNN85C03L219Y".into())));
    let stranger = BTreeMap::from([("VRDLGU70B02F205X".to_string(), iuv(7)), ("ZZZZZZ00A00Z000Z".to_string(), iuv(8))]);
    assert_eq!(attach_notices(&mut rows, &stranger), Err(StatementError::UnexpectedIuv("ZZZZZZ00A00Z000Z".into())));
    assert!(rows.iter().all(|r| r.iuv.is_none()), "nothing changed");
}

#[test]
fn serialises_for_the_pages() {
    let r = row("RSSMRA80A01H501U", "SAD", &[isee("18000")], &[], "12.5");
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["mese"], "2025-03");
    assert_eq!(json["scadenza"], "2025-04-30");
    assert_eq!(json["unita"], "ora");
    assert_eq!(json["importo"], "128.13");
}
