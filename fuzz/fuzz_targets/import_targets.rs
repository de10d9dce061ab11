//! The target-population importer's row parser (the Ambito look-up needs the database).
#![no_main]

mod common;

use ambito_app::Findings;
use ambito_app::intake::Cells;
use ambito_app::reporting::import::targets::{COLUMNS, parse_row};
use ambito_app::intake::table::read_table;
use ambito_domain::number::{NumberStyle, parse_decimal};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((file, body)) = common::named(data) else { return };
    let comuni = ["016033".to_string(), "016065".to_string(), "016097".to_string()];
    let mut f = Findings::default();
    let Some(table) = read_table(file, body, &mut f) else { return };
    let Some(idx) = table.columns(&COLUMNS, &[], &mut f) else { return };
    for (line, cells) in &table.rows {
        let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &COLUMNS };
        let before = f.errors.len();
        let t = parse_row(&c, &comuni, &mut f);
        if f.errors.len() == before {
            assert!(!t.name.is_empty());
            assert!(t.age_min.is_some() != t.explicit_value.is_some(), "an age band or a value: {t:?}");
            if let (Some(lo), Some(hi)) = (t.age_min, t.age_max) {
                assert!(lo <= hi && hi <= 100, "{t:?}");
            }
            if let Some(v) = &t.explicit_value {
                // Stored as text and read back by the report: it must parse.
                assert!(parse_decimal(v, NumberStyle::International).is_ok(), "{v}");
            }
            for code in t.comuni.iter().flat_map(|c| c.split(',')) {
                assert!(comuni.iter().any(|k| k == code), "{code}");
            }
        }
    }
    common::check_findings(file, &f);
});
