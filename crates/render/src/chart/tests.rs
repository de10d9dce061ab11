use super::*;
use ambito_domain::report::{SpendingRow, TotalRow};

#[test]
fn escapes_markup_and_drops_control_characters() {
    assert_eq!(esc("A & B <c> \"d\" 'e'\u{1}"), "A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;");
}

#[test]
fn steps_are_round() {
    assert_eq!(nice_step(0.0), 1.0);
    assert_eq!(nice_step(17.0), 20.0);
    assert_eq!(nice_step(3.2), 5.0);
    assert_eq!(nice_step(700.0), 1000.0);
}

#[test]
fn an_empty_area_says_so() {
    let area = AreaSection {
        name: "Minori & famiglie".into(),
        rows: vec![],
        total: TotalRow { measures: Default::default(), budget: None, budget_per_user: blank(), previous: None },
        lettura: None,
        obiettivi: vec![],
    };
    let svg = area_bars_svg(&area, false);
    assert!(svg.contains("Nessun dato da rappresentare"));
    assert!(svg.contains("Minori &amp; famiglie"));
    assert!(svg.contains(r#"role="img""#));
}

#[test]
fn spending_bars_carry_amount_and_share() {
    let s = SpendingSection {
        sources: vec!["Comune".into()],
        rows: vec![SpendingRow {
            area: "Anziani".into(),
            by_source: vec![Some(Decimal::from(8000))],
            total: Decimal::from(8000),
            share: blank_text("80,00%"),
            users: None,
            cost_per_user: blank(),
        }],
        totals_by_source: vec![Some(Decimal::from(8000))],
        total: Decimal::from(10000),
        source_shares: vec![],
    };
    let svg = spending_bars_svg(&s);
    assert!(svg.contains("8.000,00 € (80,00%)"), "{svg}");
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
}

fn blank() -> ambito_domain::report::Shown {
    blank_text("")
}

fn blank_text(t: &str) -> ambito_domain::report::Shown {
    use ambito_domain::value::{Blank, Value};
    ambito_domain::report::Shown { value: Value::Blank(Blank::NoPrevious), text: t.into() }
}
