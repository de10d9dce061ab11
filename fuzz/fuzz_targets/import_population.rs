//! The population importer's row parser (the Comune look-up needs the database).
#![no_main]

mod common;

use ambito_app::Findings;
use ambito_app::intake::Cells;
use ambito_app::reporting::import::population::{COLUMNS, parse_row};
use ambito_app::intake::table::read_table;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((file, body)) = common::named(data) else { return };
    let mut f = Findings::default();
    let Some(table) = read_table(file, body, &mut f) else { return };
    let Some(idx) = table.columns(&COLUMNS, &[], &mut f) else { return };
    for (line, cells) in &table.rows {
        let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &COLUMNS };
        let before = f.errors.len();
        match parse_row(&c, &mut f) {
            Some(r) => {
                assert_eq!(f.errors.len(), before, "a parsed row records no error");
                assert!(r.code.len() == 6 && r.code.bytes().all(|b| b.is_ascii_digit()), "{r:?}");
                assert!((0..=100).contains(&r.age) || r.age == 999, "{r:?}");
                assert!(r.males >= 0 && r.females >= 0, "{r:?}");
            }
            None => assert!(f.errors.len() > before, "a refused row says why"),
        }
    }
    common::check_findings(file, &f);
});
