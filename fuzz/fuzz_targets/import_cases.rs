//! The cases file of `ambito import cases`: the reader and each row's checks (the catalogue,
//! states and users are looked up in the database after, in `import_cases`).
#![no_main]

mod common;

use ambito_app::Findings;
use ambito_app::cases::import_rows::{case_names, parse_case};
use ambito_app::intake::Cells;
use ambito_app::intake::table::read_table;
use ambito_domain::codice_fiscale::CodiceFiscale;
use ambito_domain::date::{Day, parse_iso};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((file, body)) = common::named(data) else { return };
    let today = Day::new(2026, 12, 3).expect("a real day");
    let mut f = Findings::default();
    let Some(table) = read_table(file, body, &mut f) else { return };
    let (required, optional) = case_names();
    let Some(idx) = table.columns(&required, &optional, &mut f) else { return };
    let names: Vec<&str> = required.iter().chain(&optional).copied().collect();
    for (line, cells) in &table.rows {
        let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &names };
        let before = f.errors.len();
        let row = parse_case(&c, today, &mut f);
        assert_eq!(row.is_some(), f.errors.len() == before, "a row is kept exactly when it has no error");
        let Some(r) = row else { continue };
        assert_eq!(r.line, *line);
        assert_eq!(CodiceFiscale::parse(&r.cf).ok().map(|cf| cf.as_str().to_string()), Some(r.cf.clone()), "a valid, normalised code");
        assert!(!r.service.is_empty() && r.service.chars().count() <= 200, "{r:?}");
        let opened = parse_iso(&r.opened_on).expect("the opening is ISO");
        assert!(opened <= today && opened.year() >= 1900, "{r:?}");
        if let Some(closed) = &r.closed_on {
            let closed = parse_iso(closed).expect("the closure is ISO");
            assert!(opened <= closed && closed <= today, "{r:?}");
        }
        if let Some(s) = &r.state {
            assert_eq!(s, &s.to_lowercase(), "the state is kept in lower case");
        }
        for v in [&r.provider, &r.need_area, &r.manager].into_iter().flatten() {
            assert!(!v.is_empty() && v.chars().count() <= 200, "{r:?}");
        }
    }
    common::check_findings(file, &f);
});
