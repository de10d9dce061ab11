use super::*;
use crate::date::parse_iso;

fn d(s: &str) -> Day {
    parse_iso(s).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn protocol() -> DsuProtocol {
    DsuProtocol::parse("INPS-ISEE-2025-12345A789-00").unwrap()
}

fn record(tipo: IseeType, dsu: &str, fino: Option<&str>) -> IseeRecord {
    IseeRecord::new(tipo, dec("8000"), protocol(), d(dsu), fino.map(d)).unwrap()
}

#[test]
fn types_from_the_italian_words() {
    for t in IseeType::ALL {
        assert_eq!(IseeType::parse(t.code()), Ok(*t));
    }
    assert_eq!(IseeType::parse("Socio-sanitario"), Ok(IseeType::Sociosanitario));
    assert_eq!(IseeType::parse("ISEE corrente"), Ok(IseeType::Corrente));
    assert_eq!(IseeType::parse(" ORDINARIO "), Ok(IseeType::Ordinario));
    assert_eq!(IseeType::parse("università"), Ok(IseeType::Universitario));
    assert_eq!(IseeType::parse("minori"), Ok(IseeType::Minorenni));
    assert_eq!(IseeType::parse("straordinario"), Err(IseeError::UnknownType("straordinario".into())));
    assert!(IseeType::parse("").is_err());
}

#[test]
fn the_dsu_protocol() {
    assert_eq!(protocol().year(), 2025);
    assert_eq!(DsuProtocol::parse(" inps-isee-2023-000123456-01 ").unwrap().as_str(), "INPS-ISEE-2023-000123456-01");
    for bad in [
        "INPS-ISEE-2025-12345A78-00",    // 8 characters
        "INPS-ISEE-2025-12345A7890-00",  // 10
        "INPS-ISEE-2025-12345A789-0",    // one-digit progressive
        "INPS-ISEE-2025-12345A789-0A",   // letter in the progressive
        "INPS-ISEE-25-12345A789-00",     // two-digit year
        "INPS-ISEE-2014-12345A789-00",   // before the reformed ISEE
        "INPS-ISE-2025-12345A789-00",    // prefix
        "INPS-ISEE-2025-12345A789-00-1", // extra part
        "INPS-ISEE-2025-12345-789-00",   // hyphen inside
        "INPS-ISEE-2025-12345À789-00",   // not ASCII
        "",
    ] {
        assert!(matches!(DsuProtocol::parse(bad), Err(IseeError::Protocol(_))), "{bad}");
    }
}

#[test]
fn an_ordinary_isee_is_valid_until_the_end_of_its_year() {
    for t in [IseeType::Ordinario, IseeType::Sociosanitario, IseeType::Ristretto, IseeType::Minorenni, IseeType::Universitario] {
        let r = record(t, "2025-03-10", None);
        assert_eq!(r.valid_until(), d("2025-12-31"), "{t:?}");
    }
    let r = record(IseeType::Ordinario, "2025-03-10", None);
    assert_eq!(r.validity_on(d("2025-03-09")), Validity::NotYetValid);
    assert!(r.valid_on(d("2025-03-10")), "from the DSU day");
    assert!(r.valid_on(d("2025-12-31")), "through 31 December");
    assert_eq!(r.validity_on(d("2026-01-01")), Validity::Expired);
}

#[test]
fn a_corrente_isee_lasts_six_months() {
    let r = record(IseeType::Corrente, "2025-03-15", None);
    assert_eq!(r.valid_until(), d("2025-09-14"));
    assert!(r.valid_on(d("2025-09-14")));
    assert!(!r.valid_on(d("2025-09-15")));
    assert_eq!(default_valid_until(IseeType::Corrente, d("2025-08-31")), d("2026-02-28"), "no 31 February: through the month's end");
    assert_eq!(default_valid_until(IseeType::Corrente, d("2025-08-28")), d("2026-02-27"));
    assert_eq!(default_valid_until(IseeType::Corrente, d("2023-08-30")), d("2024-02-29"), "leap year");
    assert_eq!(default_valid_until(IseeType::Corrente, d("2025-09-01")), d("2026-02-28"));
    assert_eq!(default_valid_until(IseeType::Corrente, d("2025-10-01")), d("2026-03-31"), "across the year");
}

#[test]
fn an_explicit_end_wins() {
    let r = record(IseeType::Ordinario, "2025-03-10", Some("2025-06-30"));
    assert_eq!(r.valid_until(), d("2025-06-30"));
    assert!(!r.valid_on(d("2025-07-01")));
    let r = record(IseeType::Corrente, "2025-03-10", Some("2026-01-31"));
    assert!(r.valid_on(d("2026-01-31")), "an office may extend it");
    assert!(matches!(
        IseeRecord::new(IseeType::Ordinario, dec("1"), protocol(), d("2025-03-10"), Some(d("2025-03-09"))),
        Err(IseeError::ValidityBeforeDsu { .. })
    ));
}

#[test]
fn the_value() {
    assert!(IseeRecord::new(IseeType::Ordinario, dec("0"), protocol(), d("2025-01-01"), None).is_ok(), "zero is common");
    assert_eq!(
        IseeRecord::new(IseeType::Ordinario, dec("-0.01"), protocol(), d("2025-01-01"), None),
        Err(IseeError::NegativeValue(dec("-0.01")))
    );
    assert_eq!(
        IseeRecord::new(IseeType::Ordinario, dec("10.001"), protocol(), d("2025-01-01"), None),
        Err(IseeError::ValuePrecision(dec("10.001")))
    );
    assert!(IseeRecord::new(IseeType::Ordinario, dec("10.100"), protocol(), d("2025-01-01"), None).is_ok(), "trailing zeros");
}

fn fields() -> IseeFields<'static> {
    IseeFields {
        tipo: "ordinario",
        valore: "12.345,67",
        protocollo_dsu: "INPS-ISEE-2025-000123456-00",
        data_dsu: "10/03/2025",
        valido_fino: "",
    }
}

#[test]
fn an_import_row() {
    let r = parse_isee(&fields()).unwrap();
    assert_eq!(r.valore, dec("12345.67"));
    assert_eq!(r.data_dsu, d("2025-03-10"));
    assert_eq!(r.valido_fino, None, "blank: the default validity");
    let r = parse_isee(&IseeFields { valore: "8000.50", valido_fino: "2025-06-30", ..fields() }).unwrap();
    assert_eq!((r.valore, r.valido_fino), (dec("8000.50"), Some(d("2025-06-30"))));
}

#[test]
fn a_bad_row_names_every_field() {
    let bad = IseeFields { tipo: "x", valore: "-5", protocollo_dsu: "INPS-ISEE-2025", data_dsu: "31/02/2025", valido_fino: "mai" };
    let errors = parse_isee(&bad).unwrap_err();
    let names: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(names, vec!["tipo", "valore", "protocollo_dsu", "data_dsu", "valido_fino"]);
    assert!(errors[1].message.contains("negativo"), "{}", errors[1].message);
    let e = parse_isee(&IseeFields { valido_fino: "2025-01-01", ..fields() }).unwrap_err();
    assert_eq!(e[0].field, "valido_fino");
}
