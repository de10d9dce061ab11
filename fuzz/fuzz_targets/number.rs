//! Numbers in both conventions: the parser, and the Italian formatter it must read back; and the
//! typed ids read from route segments (`domain::ids`).
#![no_main]

use ambito_domain::format::it_number;
use ambito_domain::ids::PersonId;
use ambito_domain::number::{NumberStyle, parse_decimal};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // An id is a positive integer in plain digits, and reads back from what it writes.
    if let Ok(id) = text.parse::<PersonId>() {
        assert!(id.get() > 0 && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()), "{text:?}");
        assert_eq!(id.to_string().parse::<PersonId>(), Ok(id));
        assert_eq!(id.to_string().trim_start_matches('0'), text.trim_start_matches('0'));
    }
    for style in [NumberStyle::Italian, NumberStyle::International] {
        let Ok(d) = parse_decimal(text, style) else { continue };
        // Only digits, separators, a sign, blanks and the euro sign make a number.
        assert!(text.chars().all(|c| c.is_ascii_digit() || ".,+-€ \u{a0}\u{202f}".contains(c) || c.is_whitespace()), "{text:?}");
        assert_eq!(parse_decimal(&format!(" {text} "), style), Ok(d), "blanks around do not matter");
        // What the program writes, it reads back to the same value.
        let machine = d.to_string();
        assert_eq!(parse_decimal(&machine, NumberStyle::International), Ok(d), "{text:?} → {machine}");
        let italian = it_number(d, d.scale());
        assert_eq!(parse_decimal(&italian, NumberStyle::Italian), Ok(d), "{text:?} → {italian}");
    }
});
