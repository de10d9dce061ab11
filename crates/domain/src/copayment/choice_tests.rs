use super::*;
use crate::copayment::isee::DsuProtocol;
use crate::date::{Day, parse_iso};
use rust_decimal::Decimal;

fn d(s: &str) -> Day {
    parse_iso(s).unwrap()
}

fn isee(tipo: IseeType, valore: i64, dsu: &str, protocol: &str) -> IseeRecord {
    let p = DsuProtocol::parse(&format!("INPS-ISEE-{}-{protocol}-00", &dsu[..4])).unwrap();
    IseeRecord::new(tipo, Decimal::from(valore), p, d(dsu), None).unwrap()
}

const MARCH: Month = Month { year: 2025, month: 3 };
const SAD: [IseeType; 2] = [IseeType::Sociosanitario, IseeType::Ordinario];

#[test]
fn the_first_accepted_type_in_order_of_preference() {
    let records =
        [isee(IseeType::Ordinario, 9_000, "2025-01-15", "000000001"), isee(IseeType::Sociosanitario, 7_000, "2025-02-01", "000000002")];
    assert_eq!(counting_isee(&records, &SAD, MARCH).unwrap().valore, Decimal::from(7_000));
    let ordinario_first = [IseeType::Ordinario, IseeType::Sociosanitario];
    assert_eq!(counting_isee(&records, &ordinario_first, MARCH).unwrap().valore, Decimal::from(9_000));
}

#[test]
fn a_preferred_type_not_valid_on_the_first_gives_way_to_the_next() {
    let records =
        [isee(IseeType::Ordinario, 9_000, "2025-01-15", "000000001"), isee(IseeType::Sociosanitario, 7_000, "2025-03-02", "000000002")];
    assert_eq!(counting_isee(&records, &SAD, MARCH).unwrap().tipo, IseeType::Ordinario, "filed on 2 March: from April");
    assert_eq!(counting_isee(&records, &SAD, Month { year: 2025, month: 4 }).unwrap().tipo, IseeType::Sociosanitario);
}

#[test]
fn filed_on_the_first_counts_for_that_month() {
    let records = [isee(IseeType::Ordinario, 9_000, "2025-03-01", "000000001")];
    assert!(counting_isee(&records, &SAD, MARCH).is_ok());
}

#[test]
fn among_several_of_a_type_the_latest_dsu() {
    let records = [
        isee(IseeType::Ordinario, 9_000, "2025-01-15", "000000001"),
        isee(IseeType::Ordinario, 4_000, "2025-02-20", "000000002"),
        isee(IseeType::Ordinario, 5_000, "2025-02-10", "000000003"),
    ];
    assert_eq!(counting_isee(&records, &SAD, MARCH).unwrap().valore, Decimal::from(4_000));
    let same_day =
        [isee(IseeType::Ordinario, 9_000, "2025-02-20", "00000000B"), isee(IseeType::Ordinario, 4_000, "2025-02-20", "00000000A")];
    assert_eq!(counting_isee(&same_day, &SAD, MARCH).unwrap().valore, Decimal::from(9_000), "the greater protocol");
}

#[test]
fn why_none_counts() {
    assert_eq!(counting_isee(&[], &SAD, MARCH), Err(NoIsee::Missing));
    let old = [isee(IseeType::Ordinario, 9_000, "2024-05-15", "000000001")];
    assert_eq!(counting_isee(&old, &SAD, MARCH), Err(NoIsee::Expired));
    let late = [isee(IseeType::Ordinario, 9_000, "2024-05-15", "000000001"), isee(IseeType::Ordinario, 9_000, "2025-03-10", "000000002")];
    assert_eq!(counting_isee(&late, &SAD, MARCH), Err(NoIsee::NotYetValid));
    let minori = [isee(IseeType::Minorenni, 3_000, "2025-01-10", "000000001")];
    assert_eq!(counting_isee(&minori, &SAD, MARCH), Err(NoIsee::TypeNotAccepted));
    assert_eq!(NoIsee::Expired.label(), "ISEE scaduto");
}

#[test]
fn the_expiry_list() {
    let corrente = isee(IseeType::Corrente, 2_000, "2025-03-15", "000000001");
    let all = [corrente.clone()];
    assert!(lapses_in(&corrente, &all, Month { year: 2025, month: 9 }), "ends 14 September");
    assert!(!lapses_in(&corrente, &all, Month { year: 2025, month: 8 }));
    let renewed = isee(IseeType::Corrente, 2_500, "2025-09-10", "000000002");
    let all = [corrente.clone(), renewed.clone()];
    assert!(!lapses_in(&corrente, &all, Month { year: 2025, month: 9 }), "renewed before it lapsed");
    let ordinario = isee(IseeType::Ordinario, 9_000, "2025-01-15", "000000003");
    assert!(lapses_in(&ordinario, std::slice::from_ref(&ordinario), Month { year: 2025, month: 12 }));
}
