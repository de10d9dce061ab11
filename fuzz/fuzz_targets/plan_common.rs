//! The plan targets' context: the demo Alto Sebino as the database would describe it.

use ambito_app::Findings;
use ambito_app::plan::format::PlanFile;
use ambito_app::plan::{Context, parse_plan_file};
use rust_decimal::Decimal;
use std::sync::OnceLock;

const EARLIER_PLAN: &[u8] = include_bytes!("../../crates/app/demo/plan/alto_sebino-2018-2020.json");
const ACTIVITY: &str = include_str!("../../crates/app/demo/alto_sebino/activity-2025.csv");
const TARGETS: &str = include_str!("../../crates/app/demo/targets.csv");

pub fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let mut cx = Context {
            ambito_code: "ALTO_SEBINO".into(),
            distretto_code: Some("BG_EST".into()),
            ats_code: Some("ATS_BG".into()),
            services: ACTIVITY.lines().skip(1).filter_map(|l| l.split(';').nth(2)).map(String::from).collect(),
            targets: TARGETS.lines().filter(|l| l.starts_with("ALTO_SEBINO;")).filter_map(|l| l.split(';').nth(1)).map(String::from).collect(),
            ..Context::default()
        };
        let (earlier, _) = parse_plan_file("earlier.json", EARLIER_PLAN, &mut Findings::default()).expect("demo plan");
        for (n, o) in earlier.objectives.iter().enumerate() {
            cx.ancestor_objectives.insert(format!("{}/{}", earlier.triennium, o.code), n as i64 + 1);
            for (k, i) in o.indicators.iter().enumerate() {
                cx.ancestor_indicators.insert(format!("{}/{}", earlier.triennium, i.code), (n * 100 + k) as i64 + 1);
            }
        }
        cx
    })
}

/// What a plan that passed the checker must satisfy: the import stores it without surprises.
pub fn check_accepted(p: &PlanFile) {
    for o in &p.objectives {
        for a in &o.resource_amounts {
            let eur: Decimal = a.eur.trim().parse().expect("an accepted amount is a decimal");
            let cents = eur.checked_mul(Decimal::ONE_HUNDRED).expect("an accepted amount has cents that fit a Decimal");
            assert!(cents.fract().is_zero() && i64::try_from(cents.trunc().mantissa()).is_ok(), "an accepted amount fits the store: {eur}");
        }
    }
}

/// A file read back from its own serialisation is the same file.
pub fn check_json_round_trip(p: &PlanFile) {
    let text = serde_json::to_vec(p).expect("serialises");
    let back: PlanFile = serde_json::from_slice(&text).expect("reads its own output");
    assert_eq!(&back, p);
}
