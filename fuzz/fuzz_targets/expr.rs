//! The indicator expression language: parser, printer, evaluation and indicators built on it.
#![no_main]

use ambito_domain::expr::{Expr, UnknownName};
use ambito_domain::indicator::{DisplayFormat, IndicatorDef};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

fn scope(name: &str) -> Result<Option<Decimal>, UnknownName> {
    match name {
        "utenti" => Ok(Some(Decimal::from(117))),
        "ore" => Ok(Some(Decimal::new(759525, 2))),
        "budget" => Ok(Some(Decimal::new(26397121, 2))),
        "zero" => Ok(Some(Decimal::ZERO)),
        "grande" => Ok(Some(Decimal::MAX)),
        "accessi" | "target" | "prev.utenti" => Ok(None),
        _ => Err(UnknownName),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (num, den) = text.split_once('/').map_or((text, None), |(a, b)| (a, Some(b)));
    let Ok(e) = Expr::parse(num) else { return };
    // The printed form is what the engine shows and stores: it must mean the same expression.
    let printed = e.to_string();
    assert_eq!(Expr::parse(&printed).as_ref(), Ok(&e), "{num:?} printed as {printed:?}");
    for name in e.names() {
        assert!(num.contains(name));
    }
    let _ = e.eval(&scope);
    if let Ok(def) = IndicatorDef::new("x", "x", num, den, 1000, DisplayFormat::Number(2)) {
        let v = def.evaluate(&scope);
        let _ = def.show(&v);
    }
});
