//! The plan workbook (the XLSX form of `ambito-piano/1`): the reader, the checker, the locations.
#![no_main]

#[path = "plan_common.rs"]
mod plan_common;

use ambito_app::Findings;
use ambito_app::plan::{check, parse_plan_file};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut f = Findings::default();
    let Some((plan, locations)) = parse_plan_file("fuzz.xlsx", data, &mut f) else {
        assert!(f.has_errors(), "a refused file says why");
        return;
    };
    plan_common::check_json_round_trip(&plan);
    let mut findings = check("fuzz.xlsx", &plan, plan_common::context());
    if let Some(l) = locations {
        l.relocate("fuzz.xlsx", &mut findings);
    }
    if !findings.has_errors() {
        plan_common::check_accepted(&plan);
    }
});
