//! Every date parser of outside input, which must agree on what a date is.
#![no_main]

use ambito_app::deliveries::parse_day;
use ambito_app::intake::year_from_file_name;
use ambito_app::plan::documents::it_date;
use ambito_app::plan::valid_date;
use ambito_app::questionnaire::design::parse_date;
use ambito_domain::plan::{next_triennium, parse_triennium};
use libfuzzer_sys::fuzz_target;

fn iso_shape(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let plan = valid_date(text);
    if plan {
        assert!(iso_shape(text), "a plan date is YYYY-MM-DD: {text:?}");
        assert_eq!(parse_date(text).as_deref(), Some(text), "the questionnaire accepts every plan date: {text:?}");
    }
    if let Some(q) = parse_date(text) {
        assert!(valid_date(&q), "the plan accepts every questionnaire date: {q:?}");
    }
    let _ = it_date(text);
    if let Some((year, day)) = parse_day(text.trim()) {
        let iso = format!("{:04}-{:02}-{:02}", day / 10000, day / 100 % 100, day % 100);
        assert_eq!(day / 10000, year);
        assert!(valid_date(&iso), "a delivery day is a real day: {text:?} → {iso}");
    }
    if let Some((a, b)) = parse_triennium(text) {
        assert_eq!(b, a + 2);
        assert_eq!(parse_triennium(&format!("{a}-{b}")), Some((a, b)));
        let next = next_triennium(text).expect("a triennium has a next one");
        assert_eq!(parse_triennium(&next), Some((b + 1, b + 3)).filter(|(x, _)| *x <= 2100));
    }
    if let Some(y) = year_from_file_name(text) {
        assert!((1990..=2100).contains(&y));
        assert!(text.contains(&y.to_string()));
    }
});
