//! A plan indicator's link to a figure of the engine (`servizio:CODE:TERM`, …).
#![no_main]

use ambito_domain::plan::link::LinkRef;
use ambito_domain::report::{ReportInput, assemble};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(link) = LinkRef::parse(text) else { return };
    assert_eq!(LinkRef::parse(text.trim()).as_ref(), Ok(&link), "surrounding blanks do not matter");
    let _ = link.describe();
    let _ = link.term().label();
    let _ = link.resolve(&assemble(&ReportInput::default()));
});
