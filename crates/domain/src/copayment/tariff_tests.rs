use super::*;
use crate::copayment::isee::DsuProtocol;
use crate::copayment::regulation::{Band, Unit};
use crate::date::parse_iso;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn d(s: &str) -> Day {
    parse_iso(s).unwrap()
}

/// The SAD of issue 17.
fn sad(formula: Formula) -> ServiceRule {
    ServiceRule {
        codice_servizio: "SAD".into(),
        unita: Unit::Ora,
        isee_tipi: vec![IseeType::Sociosanitario, IseeType::Ordinario],
        formula,
        isee_esenzione: dec("6000.00"),
        isee_massimo: dec("30000.00"),
        tariffa_minima: dec("2.00"),
        tariffa_massima: dec("18.50"),
        tetto_mensile: Some(dec("250.00")),
        fasce: vec![],
    }
}

fn pasti() -> ServiceRule {
    ServiceRule {
        codice_servizio: "PASTI".into(),
        unita: Unit::Pasto,
        isee_tipi: vec![IseeType::Ordinario],
        formula: Formula::Fasce,
        isee_esenzione: dec("5000"),
        isee_massimo: dec("40000"),
        tariffa_minima: dec("1.00"),
        tariffa_massima: dec("6.00"),
        tetto_mensile: None,
        fasce: vec![Band { fino_a: dec("10000"), tariffa: dec("2.00") }, Band { fino_a: dec("20000"), tariffa: dec("4.00") }],
    }
}

fn t(rule: &ServiceRule, isee: &str) -> (Decimal, Basis) {
    let u = unit_tariff(rule, Ok(dec(isee)));
    (u.tariffa, u.basis)
}

#[test]
fn lineare_at_and_around_the_thresholds() {
    let r = sad(Formula::Lineare);
    assert_eq!(t(&r, "0"), (dec("0"), Basis::Esente));
    assert_eq!(t(&r, "6000.00"), (dec("0"), Basis::Esente), "exactly at the exemption threshold");
    assert_eq!(t(&r, "6000.01"), (dec("2.00"), Basis::Formula), "one cent above: the minimum, 2.0000069 rounded");
    assert_eq!(t(&r, "18000"), (dec("10.25"), Basis::Formula), "half way");
    assert_eq!(t(&r, "29999.99"), (dec("18.50"), Basis::Formula), "18.4999931 rounds up");
    assert_eq!(t(&r, "30000.00"), (dec("18.50"), Basis::Massima), "exactly at the maximum");
    assert_eq!(t(&r, "95000"), (dec("18.50"), Basis::Massima));
}

#[test]
fn quadratica_squares_the_fraction() {
    let r = sad(Formula::Quadratica);
    assert_eq!(t(&r, "18000"), (dec("6.13"), Basis::Formula), "2 + 16.5 × 0.25 = 6.125, half-up");
    assert_eq!(t(&r, "12000"), (dec("3.03"), Basis::Formula), "2 + 16.5 × 0.0625 = 3.03125");
    assert_eq!(t(&r, "6000"), (dec("0"), Basis::Esente));
    assert_eq!(t(&r, "30000"), (dec("18.50"), Basis::Massima));
}

#[test]
fn the_unit_tariff_rounds_half_up_not_to_even() {
    let r = ServiceRule {
        isee_esenzione: dec("0"),
        isee_massimo: dec("1000"),
        tariffa_minima: dec("0"),
        tariffa_massima: dec("1"),
        tetto_mensile: None,
        ..sad(Formula::Lineare)
    };
    assert_eq!(t(&r, "4").0, dec("0.00"), "0.004");
    assert_eq!(t(&r, "5").0, dec("0.01"), "0.005");
    assert_eq!(t(&r, "25").0, dec("0.03"), "0.025: banker's rounding would give 0.02");
    assert_eq!(t(&r, "24.99").0, dec("0.02"), "0.02499");
}

#[test]
fn fasce_by_band() {
    let r = pasti();
    assert_eq!(t(&r, "5000"), (dec("0"), Basis::Esente));
    assert_eq!(t(&r, "5000.01"), (dec("2.00"), Basis::Fascia { fino_a: dec("10000") }));
    assert_eq!(t(&r, "10000"), (dec("2.00"), Basis::Fascia { fino_a: dec("10000") }), "ISEE <= fino_a");
    assert_eq!(t(&r, "10000.01"), (dec("4.00"), Basis::Fascia { fino_a: dec("20000") }));
    assert_eq!(t(&r, "20000"), (dec("4.00"), Basis::Fascia { fino_a: dec("20000") }));
    assert_eq!(t(&r, "20000.01"), (dec("6.00"), Basis::OltreFasce), "above the last band");
    assert_eq!(t(&r, "40000"), (dec("6.00"), Basis::Massima));
}

#[test]
fn no_isee_means_the_maximum() {
    let u = unit_tariff(&sad(Formula::Lineare), Err(NoIsee::Expired));
    assert_eq!(u, UnitTariff { tariffa: dec("18.50"), basis: Basis::SenzaIsee { motivo: NoIsee::Expired } });
}

#[test]
fn the_month_amount_rounds_then_caps() {
    let r = sad(Formula::Lineare);
    let a = month_amount(&r, dec("12.5"), dec("10.25"));
    assert_eq!(a, MonthAmount { lordo: dec("128.13"), importo: dec("128.13"), tetto_applicato: false }, "128.125 half-up");
    let a = month_amount(&r, dec("30"), dec("10.25"));
    assert_eq!(a, MonthAmount { lordo: dec("307.50"), importo: dec("250.00"), tetto_applicato: true });
    let at_cap = month_amount(&r, dec("25"), dec("10.00"));
    assert_eq!((at_cap.importo, at_cap.tetto_applicato), (dec("250.00"), false), "exactly the cap is not capped");
    let above = month_amount(&r, dec("25.0005"), dec("10.00"));
    assert_eq!((above.lordo, above.importo, above.tetto_applicato), (dec("250.01"), dec("250.00"), true), "250.005 rounds above the cap");
    let no_cap = month_amount(&pasti(), dec("400"), dec("6.00"));
    assert_eq!(no_cap.importo, dec("2400.00"));
    assert_eq!(month_amount(&r, dec("0"), dec("18.50")).importo, dec("0"));
}

fn isee(tipo: IseeType, valore: &str, dsu: &str) -> IseeRecord {
    IseeRecord::new(tipo, dec(valore), DsuProtocol::parse("INPS-ISEE-2025-000000001-00").unwrap(), d(dsu), None).unwrap()
}

const MARCH: Month = Month { year: 2025, month: 3 };

#[test]
fn a_charge_with_its_reason() {
    let r = sad(Formula::Lineare);
    let records = [isee(IseeType::Ordinario, "18000", "2025-01-20")];
    let c = charge(&r, MARCH, &records, &[], dec("12.5"));
    assert_eq!((c.tariffa_unitaria, c.importo), (dec("10.25"), dec("128.13")));
    assert_eq!(c.isee, Some(IseeUsed { tipo: IseeType::Ordinario, valore: dec("18000") }));
    assert_eq!(c.motivo(&r), "formula lineare su ISEE 18.000,00");
    let c = charge(&r, MARCH, &records, &[], dec("40"));
    assert_eq!(c.importo, dec("250.00"));
    assert_eq!(c.motivo(&r), "formula lineare su ISEE 18.000,00; applicato il tetto mensile di 250,00");
    let c = charge(&r, MARCH, &[], &[], dec("2"));
    assert_eq!((c.isee, c.tariffa_unitaria, c.importo), (None, dec("18.50"), dec("37.00")));
    assert_eq!(c.motivo(&r), "tariffa massima: nessun ISEE presentato");
    let c = charge(&r, MARCH, &[isee(IseeType::Ordinario, "5000", "2025-01-20")], &[], dec("10"));
    assert_eq!(c.motivo(&r), "esente: ISEE 5.000,00 non superiore alla soglia di esenzione 6.000,00");
    assert_eq!(c.importo, dec("0"));
}

fn exemption(dal: &str, al: Option<&str>, servizio: Option<&str>) -> Exemption {
    Exemption {
        atto: "12/2025".into(),
        motivo: "servizio disposto dal Tribunale per i Minorenni".into(),
        dal: d(dal),
        al: al.map(d),
        servizio: servizio.map(Into::into),
    }
}

#[test]
fn an_individual_exemption_overrides_and_says_why() {
    let r = sad(Formula::Lineare);
    let records = [isee(IseeType::Ordinario, "18000", "2025-01-20")];
    let e = [exemption("2025-03-15", None, Some("SAD"))];
    let c = charge(&r, MARCH, &records, &e, dec("12.5"));
    assert_eq!((c.tariffa_unitaria, c.importo, c.basis.clone()), (dec("0"), dec("0"), Basis::EsenzioneIndividuale));
    assert_eq!(c.isee.map(|i| i.valore), Some(dec("18000")), "the ISEE on file is still shown");
    assert_eq!(c.motivo(&r), "esenzione individuale: atto 12/2025 (servizio disposto dal Tribunale per i Minorenni)");
}

#[test]
fn which_months_an_exemption_covers() {
    let e = exemption("2025-03-15", Some("2025-05-01"), None);
    assert!(!e.covers("SAD", Month { year: 2025, month: 2 }));
    assert!(e.covers("SAD", MARCH), "from the 15th: the whole month");
    assert!(e.covers("ADM", Month { year: 2025, month: 5 }), "every service, through 1 May");
    assert!(!e.covers("SAD", Month { year: 2025, month: 6 }));
    let only_sad = exemption("2025-01-01", None, Some("SAD"));
    assert!(only_sad.covers("SAD", Month { year: 2030, month: 1 }), "open-ended");
    assert!(!only_sad.covers("PASTI", MARCH));
}
