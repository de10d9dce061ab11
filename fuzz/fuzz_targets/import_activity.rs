//! The activity importer's validation: rows, the service hierarchy, the published totals.
#![no_main]

mod common;

use ambito_app::reporting::import::activity::{Stored, parse};
use ambito_app::{Findings, NoProgress};
use ambito_store::ServiceRow;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

fn service(id: i64, code: &str, area: &str, parent: Option<&str>) -> ServiceRow {
    ServiceRow {
        id,
        code: code.into(),
        name: code.into(),
        area_id: 1,
        area: area.into(),
        parent_code: parent.map(Into::into),
        kind: "servizio_continuativo".into(),
        default_indicator: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((file, body)) = common::named(data) else { return };
    let services = [service(1, "SAD", "Anziani", None), service(2, "SAD_PASTI", "Anziani", Some("SAD")), service(3, "ADM", "Minori", None)];
    let targets = ["anziani 75+".to_string(), "minori 0-17".to_string()];
    let indicators = ["mio".to_string()];
    let stored = Stored { services: &services, targets: &targets, indicators: &indicators };
    let mut f = Findings::default();
    if let Some(valid) = parse(file, body, &stored, &mut f, &NoProgress) {
        assert!(!f.has_errors());
        for r in &valid.rows {
            assert!((1990..=2100).contains(&r.year));
            assert!(!r.code.is_empty() && r.code.len() <= 40);
            assert!(!r.area.is_empty() && !r.name.is_empty());
            for m in r.measures.iter().flatten().chain(&r.budget) {
                assert!(*m >= Decimal::ZERO, "no negative measure or budget: {m}");
            }
            assert!(r.target_value.is_none_or(|v| v > Decimal::ZERO));
        }
    } else {
        assert!(f.has_errors(), "a refused file says why");
    }
    common::check_findings(file, &f);
});
