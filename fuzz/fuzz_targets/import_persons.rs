//! The persons file of `ambito import persons`: the reader and each row's checks (the look-ups of
//! existing persons need the database and come after, in `import_persons`).
#![no_main]

mod common;

use ambito_app::Findings;
use ambito_app::cases::import_rows::{parse_person, person_names};
use ambito_app::intake::Cells;
use ambito_app::intake::table::read_table;
use ambito_domain::codice_fiscale::CodiceFiscale;
use ambito_domain::date::{Day, parse_iso};
use ambito_domain::registry_codes::{is_belfiore, is_istat_comune, is_istat_state};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((file, body)) = common::named(data) else { return };
    let today = Day::new(2026, 12, 3).expect("a real day");
    let mut f = Findings::default();
    let Some(table) = read_table(file, body, &mut f) else { return };
    let (required, optional) = person_names();
    let Some(idx) = table.columns(&required, &optional, &mut f) else { return };
    let names: Vec<&str> = required.iter().chain(&optional).copied().collect();
    for (line, cells) in &table.rows {
        let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &names };
        let before = f.errors.len();
        let row = parse_person(&c, today, &mut f);
        assert_eq!(row.is_some(), f.errors.len() == before, "a row is kept exactly when it has no error");
        let Some(r) = row else { continue };
        assert_eq!(r.line, *line);
        let cf = CodiceFiscale::parse(&r.cf).expect("a kept row has a valid codice fiscale");
        assert_eq!(cf.as_str(), r.cf, "the code is kept normalised");
        let birth = parse_iso(&r.birth_date).expect("the birth date is ISO");
        assert!(birth <= today && birth.year() >= 1900, "{birth:?}");
        assert!(cf.encodes_birth(birth.year(), birth.month(), birth.day()), "the code agrees with the birth date: {r:?}");
        assert_eq!(cf.sex(), r.sesso, "the code agrees with the sex: {r:?}");
        assert!(is_belfiore(&r.birth_place), "{r:?}");
        assert!(!r.cognome.is_empty() && !r.nome.is_empty());
        assert!(r.cognome.chars().count() <= 200 && r.nome.chars().count() <= 200);
        assert!(r.citizenship.as_deref().is_none_or(is_istat_state), "{r:?}");
        assert!(r.comune.as_deref().is_none_or(is_istat_comune), "{r:?}");
        assert!(r.email.as_deref().is_none_or(|e| e.contains('@') && !e.contains(char::is_whitespace)), "{r:?}");
        assert!(r.person_key.as_deref().is_none_or(|k| k.chars().count() <= 64 && !k.contains(char::is_whitespace)), "{r:?}");
        for v in [&r.address, &r.phone, &r.email, &r.citizenship, &r.comune, &r.person_key].into_iter().flatten() {
            assert!(!v.is_empty(), "a blank cell is not given, never an empty text");
        }
    }
    common::check_findings(file, &f);
});
