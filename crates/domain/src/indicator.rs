//! Indicators are data: a numerator and an optional denominator over named figures, a factor and a
//! display format. The built-in set covers the annual report; Ambiti can add their own.

use crate::expr::{Expr, ExprError, Scope};
use crate::format::{it_euro, it_number, it_percent, round_half_up};
use crate::value::{Blank, Value};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "decimals", rename_all = "snake_case")]
pub enum DisplayFormat {
    /// A percentage with this many decimals (`77%`).
    Percent(u32),
    /// A plain number with this many decimals (`330,39`).
    Number(u32),
    /// Euro with cents (`120,48 €`).
    Euro,
}

impl DisplayFormat {
    pub fn decimals(self) -> u32 {
        match self {
            DisplayFormat::Percent(dp) | DisplayFormat::Number(dp) => dp,
            DisplayFormat::Euro => 2,
        }
    }

    /// The stored code, e.g. `percent:0`, `number:2`, `euro`.
    pub fn code(self) -> String {
        match self {
            DisplayFormat::Percent(dp) => format!("percent:{dp}"),
            DisplayFormat::Number(dp) => format!("number:{dp}"),
            DisplayFormat::Euro => "euro".into(),
        }
    }

    pub fn from_code(code: &str) -> Option<DisplayFormat> {
        let (kind, digits) = code.split_once(':').unwrap_or((code, ""));
        let dp = || digits.parse::<u32>().ok().filter(|d| *d <= 6);
        match kind {
            "percent" => dp().map(DisplayFormat::Percent),
            "number" => dp().map(DisplayFormat::Number),
            "euro" if digits.is_empty() => Some(DisplayFormat::Euro),
            _ => None,
        }
    }

    /// The figure as shown: rounded half-up at the last shown digit; empty for a blank.
    pub fn show(self, value: &Value) -> String {
        match value {
            Value::Blank(_) => String::new(),
            Value::Number(n) => match self {
                DisplayFormat::Percent(dp) => it_percent(*n, dp),
                DisplayFormat::Number(dp) => it_number(*n, dp),
                DisplayFormat::Euro => it_euro(*n),
            },
        }
    }

    /// The figure rounded as shown, for machine outputs (XLSX cells, JSON).
    pub fn rounded(self, value: &Value) -> Option<Decimal> {
        value.number().map(|n| round_half_up(n, self.decimals()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorDef {
    pub code: String,
    pub name: String,
    pub numerator: Expr,
    pub denominator: Option<Expr>,
    pub factor: Decimal,
    pub format: DisplayFormat,
}

impl IndicatorDef {
    pub fn new(
        code: &str,
        name: &str,
        numerator: &str,
        denominator: Option<&str>,
        factor: i64,
        format: DisplayFormat,
    ) -> Result<IndicatorDef, ExprError> {
        Ok(IndicatorDef {
            code: code.to_string(),
            name: name.to_string(),
            numerator: Expr::parse(numerator)?,
            denominator: denominator.map(Expr::parse).transpose()?,
            factor: Decimal::from(factor),
            format,
        })
    }

    /// `numerator × factor / denominator`, exact in decimal; the division comes last so that a
    /// factor of 100 or 1000 does not lose digits to an early rounding.
    pub fn evaluate(&self, scope: &dyn Scope) -> Value {
        let num = match self.numerator.eval(scope) {
            Value::Number(n) => n,
            blank => return blank,
        };
        let Some(scaled) = num.checked_mul(self.factor) else { return crate::expr::out_of_range() };
        let Some(den_expr) = &self.denominator else {
            return Value::Number(scaled);
        };
        match den_expr.eval(scope) {
            Value::Number(den) if den.is_zero() => Value::Blank(Blank::DivisionByZero(den_expr.to_string())),
            Value::Number(den) => scaled.checked_div(den).map_or_else(crate::expr::out_of_range, Value::Number),
            blank => blank,
        }
    }

    pub fn show(&self, value: &Value) -> String {
        self.format.show(value)
    }
}

/// Codes of the built-in indicators that the activity file may name in its `indicatore` column.
pub const ROW_INDICATOR_CODES: [&str; 5] =
    ["beneficiari/domande", "ore/utenti", "utenti/target_x1000", "accessi/target_x1000", "beneficiari/target_x1000"];

pub const BUDGET_PER_USER: &str = "budget/utente";
pub const COST_PER_HOUR: &str = "budget/ora";

/// The built-in indicators. `expect` is safe here: the expressions are literals checked by tests.
pub fn builtins() -> Vec<IndicatorDef> {
    use DisplayFormat::*;
    // The expressions are literals; `tests::every_builtin_parses_once` parses them all.
    #[allow(clippy::expect_used)]
    let def = |code, name, num, den, factor, format| {
        IndicatorDef::new(code, name, num, den, factor, format).expect("built-in indicator expression")
    };
    vec![
        def("beneficiari/domande", "Beneficiari su domande", "beneficiari", Some("domande"), 100, Percent(0)),
        def("ore/utenti", "Ore per utente", "ore", Some("utenti"), 1, Number(2)),
        def("utenti/target_x1000", "Utenti ogni 1.000 residenti target", "utenti", Some("target"), 1000, Number(2)),
        def("accessi/target_x1000", "Accessi ogni 1.000 residenti target", "accessi", Some("target"), 1000, Number(2)),
        def("beneficiari/target_x1000", "Beneficiari ogni 1.000 residenti target", "beneficiari", Some("target"), 1000, Number(2)),
        def(BUDGET_PER_USER, "Budget per utente o beneficiario", "budget", Some("first(utenti, beneficiari, accessi)"), 1, Euro),
        def(COST_PER_HOUR, "Costo orario", "budget", Some("ore"), 1, Euro),
        def("variazione/utenti", "Variazione utenti sull'anno precedente", "utenti - prev.utenti", Some("prev.utenti"), 100, Percent(1)),
        def(
            "variazione/beneficiari",
            "Variazione beneficiari sull'anno precedente",
            "beneficiari - prev.beneficiari",
            Some("prev.beneficiari"),
            100,
            Percent(1),
        ),
        def("variazione/budget", "Variazione budget sull'anno precedente", "budget - prev.budget", Some("prev.budget"), 100, Percent(1)),
    ]
}

pub fn builtin(code: &str) -> Option<IndicatorDef> {
    builtins().into_iter().find(|d| d.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    fn eval(code: &str, figures: &[(&str, &str)]) -> (Value, String) {
        let map: HashMap<&str, Decimal> = figures.iter().map(|(k, v)| (*k, d(v))).collect();
        let scope = move |name: &str| -> Result<Option<Decimal>, crate::expr::UnknownName> {
            match name {
                "utenti" | "domande" | "beneficiari" | "ore" | "accessi" | "visite" | "budget" | "target" | "prev.utenti"
                | "prev.beneficiari" | "prev.budget" => Ok(map.get(name).copied()),
                _ => Err(crate::expr::UnknownName),
            }
        };
        let def = builtin(code).expect("builtin");
        let v = def.evaluate(&scope);
        let shown = def.show(&v);
        (v, shown)
    }

    #[test]
    fn every_builtin_parses_once() {
        let all = builtins();
        let codes: std::collections::HashSet<&str> = all.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes.len(), all.len(), "built-in codes are unique");
        for code in ROW_INDICATOR_CODES.iter().chain(&[BUDGET_PER_USER, COST_PER_HOUR, "variazione/utenti"]) {
            assert!(codes.contains(code), "{code} is a built-in");
        }
    }

    #[test]
    fn beneficiaries_over_applications_is_an_integer_percent() {
        assert_eq!(eval("beneficiari/domande", &[("beneficiari", "23"), ("domande", "30")]).1, "77%");
        assert_eq!(eval("beneficiari/domande", &[("beneficiari", "1"), ("domande", "8")]).1, "13%", "12,5 rounds up");
        assert_eq!(eval("beneficiari/domande", &[("beneficiari", "45"), ("domande", "30")]).1, "150%", "carry-over allowed");
    }

    #[test]
    fn division_by_zero_is_a_blank_with_a_reason() {
        let (v, shown) = eval("beneficiari/domande", &[("beneficiari", "3"), ("domande", "0")]);
        assert_eq!(v, Value::Blank(Blank::DivisionByZero("domande".into())));
        assert_eq!(shown, "");
    }

    #[test]
    fn a_result_beyond_a_decimal_is_a_blank_not_a_panic() {
        let max = Decimal::MAX.to_string();
        let (v, shown) = eval("beneficiari/domande", &[("beneficiari", &max), ("domande", "1")]);
        assert!(matches!(v, Value::Blank(Blank::NotComputable(_))), "{v:?}");
        assert_eq!(shown, "");
        let (v, _) = eval("budget/utente", &[("budget", &max), ("utenti", "0.0000001")]);
        assert!(matches!(v, Value::Blank(Blank::NotComputable(_))), "{v:?}");
        let sum = crate::expr::Expr::parse(&format!("{max} + {max}")).expect("parses");
        assert!(matches!(sum.eval(&|_: &str| Ok(None)), Value::Blank(Blank::NotComputable(_))));
    }

    #[test]
    fn missing_figures_are_blank_not_zero() {
        let (v, _) = eval("ore/utenti", &[("ore", "10")]);
        assert_eq!(v, Value::Blank(Blank::NotRecorded("utenti".into())));
        let (v, _) = eval("utenti/target_x1000", &[("utenti", "10")]);
        assert_eq!(v, Value::Blank(Blank::NoTarget));
    }

    #[test]
    fn hours_per_user_and_rates_per_thousand() {
        assert_eq!(eval("ore/utenti", &[("ore", "2172.2"), ("utenti", "3")]).1, "724,07");
        assert_eq!(eval("utenti/target_x1000", &[("utenti", "1183"), ("target", "3580.6")]).1, "330,39");
        assert_eq!(eval("accessi/target_x1000", &[("accessi", "950"), ("target", "29942")]).1, "31,73");
    }

    #[test]
    fn budget_per_user_uses_users_else_beneficiaries_else_accesses() {
        assert_eq!(eval(BUDGET_PER_USER, &[("budget", "9638"), ("utenti", "80")]).1, "120,48 €");
        assert_eq!(eval(BUDGET_PER_USER, &[("budget", "9638"), ("beneficiari", "80"), ("accessi", "3")]).1, "120,48 €");
        assert_eq!(eval(BUDGET_PER_USER, &[("budget", "100"), ("accessi", "3")]).1, "33,33 €");
        assert_eq!(eval(BUDGET_PER_USER, &[("budget", "0"), ("utenti", "5")]).1, "- €");
        let (v, _) = eval(BUDGET_PER_USER, &[("budget", "100"), ("utenti", "0")]);
        assert!(matches!(v, Value::Blank(Blank::DivisionByZero(_))));
        let (v, _) = eval(BUDGET_PER_USER, &[("utenti", "4")]);
        assert_eq!(v, Value::Blank(Blank::NotRecorded("budget".into())));
    }

    #[test]
    fn cost_per_hour_and_change() {
        assert_eq!(eval(COST_PER_HOUR, &[("budget", "1030.945"), ("ore", "1")]).1, "1.030,95 €");
        assert_eq!(eval("variazione/utenti", &[("utenti", "110"), ("prev.utenti", "100")]).1, "10,0%");
        assert_eq!(eval("variazione/utenti", &[("utenti", "90"), ("prev.utenti", "120")]).1, "-25,0%");
        assert_eq!(eval("variazione/utenti", &[("utenti", "90")]).0, Value::Blank(Blank::NoPrevious));
    }

    #[test]
    fn display_format_codes_round_trip() {
        for f in [DisplayFormat::Percent(0), DisplayFormat::Number(2), DisplayFormat::Euro] {
            assert_eq!(DisplayFormat::from_code(&f.code()), Some(f));
        }
        assert_eq!(DisplayFormat::from_code("percent:x"), None);
        assert_eq!(DisplayFormat::from_code("euro:3"), None);
    }
}
