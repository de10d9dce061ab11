//! The CSV/XLSX reader every importer starts with.
#![no_main]

mod common;

use ambito_app::Findings;
use ambito_app::intake::table::read_table;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((file, body)) = common::named(data) else { return };
    let mut f = Findings::default();
    match read_table(file, body, &mut f) {
        Some(t) => common::check_table(&t),
        None => assert!(f.has_errors(), "a refused file says why"),
    }
    common::check_findings(file, &f);
});
