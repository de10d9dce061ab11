//! The budget importer's validation, against a fixed catalogue.
#![no_main]

mod common;

use ambito_app::reporting::import::budget::{PHASES, parse};
use ambito_app::{Findings, NoProgress};
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;

fuzz_target!(|data: &[u8]| {
    let Some((file, body)) = common::named(data) else { return };
    let services: HashMap<String, i64> = [("SAD", 1), ("SAD_PASTI", 2), ("ADM", 3)].map(|(c, i)| (c.to_string(), i)).into();
    let mut f = Findings::default();
    match parse(file, body, &services, &mut f, &NoProgress) {
        Some(lines) => {
            assert!(!f.has_errors());
            for (year, service, phase, source, cents) in &lines {
                assert!((1990..=2100).contains(year));
                assert!(services.values().any(|id| id == service));
                assert!(PHASES.contains(&phase.as_str()));
                assert!(!source.is_empty());
                assert!(*cents >= 0);
            }
        }
        None => assert!(f.has_errors(), "a refused file says why"),
    }
    common::check_findings(file, &f);
});
