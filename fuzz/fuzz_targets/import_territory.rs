//! The territory importer's validation (it needs no database).
#![no_main]

mod common;

use ambito_app::Findings;
use ambito_app::reporting::import::territory::parse;
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let Some((file, body)) = common::named(data) else { return };
    let mut f = Findings::default();
    match parse(file, body, &mut f) {
        Some(rows) => {
            let mut seen = HashSet::new();
            for r in &rows {
                assert_eq!(r.len(), 10);
                assert!(r.iter().all(|v| !v.is_empty()));
                assert!(r[8].len() == 6 && r[8].bytes().all(|b| b.is_ascii_digit()));
                assert!(seen.insert(&r[8]), "each Comune once");
            }
        }
        None => assert!(f.has_errors(), "a refused file says why"),
    }
    common::check_findings(file, &f);
});
