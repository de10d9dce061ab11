//! The codice fiscale: structure, check character, omocodia.
#![no_main]

use ambito_domain::codice_fiscale::{CodiceFiscale, check_char};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = check_char(text);
    let Ok(cf) = CodiceFiscale::parse(text) else { return };
    let s = cf.as_str();
    assert_eq!(s.len(), 16);
    assert!(s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()), "{s}");
    assert_eq!(check_char(&s[..15]), s.chars().nth(15), "an accepted code has its check character");
    assert_eq!(CodiceFiscale::parse(s).as_ref(), Ok(&cf), "parsing is idempotent");
    assert_eq!(CodiceFiscale::parse(&s.to_lowercase()).as_ref(), Ok(&cf), "case does not matter");
    let canonical = cf.canonical();
    let plain = CodiceFiscale::parse(&canonical).expect("the canonical code is valid");
    assert!(!plain.is_omocode());
    assert_eq!(cf.is_omocode(), canonical != s);
    assert_eq!((plain.birth_day(), plain.birth_month(), plain.sex()), (cf.birth_day(), cf.birth_month(), cf.sex()));
    assert_eq!(plain.birth_year_two_digits(), cf.birth_year_two_digits());
    assert_eq!(plain.belfiore(), cf.belfiore());
    assert!((1..=31).contains(&cf.birth_day()) && (1..=12).contains(&cf.birth_month()));
    assert!(cf.birth_year_two_digits() <= 99);
});
