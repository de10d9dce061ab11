//! The plan file (`ambito-piano/1`, JSON): the reader and the whole checker.
#![no_main]

#[path = "plan_common.rs"]
mod plan_common;

use ambito_app::Findings;
use ambito_app::plan::{check, parse_plan_file};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut f = Findings::default();
    let Some((plan, _)) = parse_plan_file("fuzz.json", data, &mut f) else {
        assert!(f.has_errors(), "a refused file says why");
        return;
    };
    plan_common::check_json_round_trip(&plan);
    let findings = check("fuzz.json", &plan, plan_common::context());
    if !findings.has_errors() {
        plan_common::check_accepted(&plan);
    }
});
