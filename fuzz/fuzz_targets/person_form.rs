//! The identity form (registration and correction, page and API alike) as its fields arrive,
//! `application/x-www-form-urlencoded`: every check of `validate_person` and the domain's rules
//! for identity codes, Belfiore and ISTAT codes and dates (`ambito_domain::case_record`).
#![no_main]

use ambito_app::cases::registry::{PersonForm, validate_person};
use ambito_domain::case_record::{
    IdentityKind, SEX, check_belfiore, check_code, check_date, check_identity, check_istat_comune, check_istat_state,
};
use ambito_domain::codice_fiscale::Sex;
use ambito_domain::date::{Day, parse_iso};
use ambito_domain::registry_codes::{is_belfiore, is_istat_comune, is_istat_state};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // As the staff form reads its fields (`staff::cases::parse`): every one optional text.
    let map: serde_json::Map<String, serde_json::Value> =
        form_urlencoded::parse(data).map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned()))).collect();
    let form: PersonForm = serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default();
    if let Ok(v) = validate_person(&form) {
        assert!(!v.cognome.trim().is_empty() && !v.nome.trim().is_empty(), "{v:?}");
        let birth = parse_iso(&v.birth_date).expect("the birth date is ISO");
        let sex = v.sesso.map(|s| if s == "M" { Sex::M } else { Sex::F });
        assert_eq!(check_identity(v.kind, &v.code, birth, sex).as_deref(), Ok(v.code.as_str()), "the stored code checks again: {v:?}");
        assert!(v.birth_place.as_deref().is_none_or(is_belfiore), "{v:?}");
        assert!(v.citizenship.as_deref().is_none_or(is_istat_state) && v.citizenship2.as_deref().is_none_or(is_istat_state), "{v:?}");
        assert!(v.comune_istat.as_deref().is_none_or(is_istat_comune), "{v:?}");
        if let Some(d) = &v.death_date {
            assert!(parse_iso(d).expect("ISO") >= birth, "{v:?}");
        }
    }
    // The domain's rules on the raw text, one by one.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let today = Day::new(2026, 12, 3).expect("a real day");
    let birth = check_date("data_nascita", text, today, false).ok();
    if let Some(b) = birth {
        assert!(b <= today);
        assert_eq!(check_date("data_nascita", &b.iso(), today, false), Ok(b), "a day reads back from its ISO text");
    }
    for kind in IdentityKind::ALL {
        if let Ok(code) = check_identity(kind, text, birth.unwrap_or(today), None) {
            assert!(code.len() <= 16 && !code.contains(char::is_whitespace), "{kind:?} {code:?}");
            assert_eq!(check_identity(kind, &code, birth.unwrap_or(today), None).as_deref(), Ok(code.as_str()), "idempotent");
        }
    }
    if let Ok(c) = check_belfiore(text) {
        assert!(is_belfiore(&c));
    }
    if let Ok(c) = check_istat_state("cittadinanza", text) {
        assert!(is_istat_state(&c));
    }
    if let Ok(c) = check_istat_comune("comune_residenza", text) {
        assert!(is_istat_comune(&c));
    }
    if let Ok(s) = check_code("sesso", SEX, text) {
        assert!(s == "M" || s == "F");
    }
});
