use super::*;

fn seg(s: &str) -> SegregationCode {
    SegregationCode::parse(s).unwrap()
}

#[test]
fn the_worked_examples_of_the_spec() {
    assert_eq!(check_digits(seg("01"), 12_345), Ok(19));
    let iuv = Iuv::new(seg("01"), 12_345).unwrap();
    assert_eq!(iuv.as_str(), "01000000001234519");
    assert_eq!(iuv.notice_number().as_str(), "301000000001234519");
    assert_eq!(iuv.notice_number().printed(), "3010 0000 0001 2345 19");
    assert_eq!(iuv.notice_number().printed().len(), 22);
    assert_eq!(check_digits(seg("47"), 1_700_000_000_000), Ok(67));
    assert_eq!(Iuv::new(seg("47"), 1_700_000_000_000).unwrap().notice_number().as_str(), "347170000000000067");
}

#[test]
fn a_real_notice_number_validates() {
    let n = NoticeNumber::parse("347164923022221054").unwrap();
    assert_eq!(n.iuv().as_str(), "47164923022221054");
    assert_eq!(n.iuv().segregation(), Some(seg("47")));
    assert_eq!(n.iuv().base(), 1_649_230_222_210);
    assert_eq!(NoticeNumber::parse("3471 6492 3022 2210 54"), Ok(n), "the printed form");
}

#[test]
fn the_check_digits_are_written_with_two_digits() {
    // Base 0 under 00: 3 × 10^15 mod 93.
    let c = (3 * 10u64.pow(15)) % 93;
    let iuv = Iuv::new(seg("00"), 0).unwrap();
    assert_eq!(iuv.as_str(), format!("000000000000000{c:02}"));
    // A base whose check is below 10 gets a leading zero.
    let base = (0..200u64).find(|b| check_digits(seg("01"), *b).unwrap() < 10).unwrap();
    let iuv = Iuv::new(seg("01"), base).unwrap();
    assert_eq!(iuv.as_str().len(), 17);
    assert!(iuv.as_str().ends_with(&format!("0{}", check_digits(seg("01"), base).unwrap())));
    assert_eq!(Iuv::parse(iuv.as_str()), Ok(iuv));
}

#[test]
fn the_check_agrees_with_digit_by_digit_arithmetic() {
    for (s, b) in [("01", 12_345u64), ("47", MAX_BASE), ("95", 4_242_424_242_424), ("00", 1)] {
        let text = format!("3{s}{b:013}");
        let by_digits = text.bytes().fold(0u64, |r, d| (r * 10 + u64::from(d - b'0')) % 93);
        assert_eq!(check_digits(seg(s), b), Ok(by_digits), "{text}");
    }
}

#[test]
fn changing_any_digit_breaks_the_check() {
    let good = "301000000001234519";
    for i in 1..18 {
        let mut bytes = good.as_bytes().to_vec();
        bytes[i] = if bytes[i] == b'9' { b'0' } else { bytes[i] + 1 };
        let bad = String::from_utf8(bytes).unwrap();
        assert!(NoticeNumber::parse(&bad).is_err(), "{bad}");
    }
    assert!(matches!(NoticeNumber::parse("311111111112222222"), Err(IuvError::CheckDigits { .. })), "the SANP placeholder");
}

#[test]
fn malformed_codes() {
    assert_eq!(NoticeNumber::parse("001000000001234519"), Err(IuvError::AuxDigit("001000000001234519".into())));
    assert!(matches!(NoticeNumber::parse("30100000000123451"), Err(IuvError::NoticeFormat(_))));
    assert!(matches!(NoticeNumber::parse("30100000000123451x"), Err(IuvError::NoticeFormat(_))));
    assert!(matches!(Iuv::parse("0100000000123451"), Err(IuvError::IuvFormat(_))));
    assert!(matches!(Iuv::parse("01000000001234518"), Err(IuvError::CheckDigits { expected: 19, .. })));
    assert!(matches!(Iuv::parse("97000000001234519"), Err(IuvError::SegregationReserved(_))));
    assert_eq!(Iuv::new(seg("01"), MAX_BASE + 1), Err(IuvError::BaseTooLarge(MAX_BASE + 1)));
}

#[test]
fn segregation_codes() {
    assert_eq!(seg("07").to_string(), "07");
    assert_eq!(seg(" 45 ").value(), 45);
    assert!(matches!(SegregationCode::parse("7"), Err(IuvError::SegregationFormat(_))));
    assert!(matches!(SegregationCode::parse("007"), Err(IuvError::SegregationFormat(_))));
    assert!(matches!(SegregationCode::parse("a1"), Err(IuvError::SegregationFormat(_))));
    assert!(matches!(SegregationCode::parse("99"), Err(IuvError::SegregationReserved(_))));
    assert!(SegregationCode::parse("95").is_ok());
}

#[test]
fn serde_checks_what_it_reads() {
    let iuv: Iuv = serde_json::from_str("\"01000000001234519\"").unwrap();
    assert_eq!(serde_json::to_string(&iuv).unwrap(), "\"01000000001234519\"");
    assert!(serde_json::from_str::<Iuv>("\"01000000001234518\"").is_err());
    assert!(serde_json::from_str::<SegregationCode>("\"98\"").is_err());
}
