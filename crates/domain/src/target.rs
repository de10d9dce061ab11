//! The target population of a service in a year: the size its ratios per 1,000 are taken on.

use rust_decimal::Decimal;

/// A service-year names its target either by an explicit value (a decimal as text) or by the name
/// of one of the Ambito's target populations, valued by `named`. An explicit value wins, even
/// unreadable (then there is no target: an unreadable value does not fall back to the name).
pub fn resolve(explicit: Option<&str>, name: Option<&str>, named: impl Fn(&str) -> Option<Decimal>) -> Option<Decimal> {
    match (explicit, name) {
        (Some(v), _) => v.parse::<Decimal>().ok(),
        (None, Some(name)) => named(name),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Option<Decimal> {
        (name == "anziani_65").then(|| Decimal::from(1200))
    }

    #[test]
    fn an_explicit_value_wins() {
        assert_eq!(resolve(Some("350"), Some("anziani_65"), named), Some(Decimal::from(350)));
        assert_eq!(resolve(Some("12.5"), None, named), Some("12.5".parse().unwrap()));
    }

    #[test]
    fn a_name_is_valued() {
        assert_eq!(resolve(None, Some("anziani_65"), named), Some(Decimal::from(1200)));
        assert_eq!(resolve(None, Some("minori"), named), None, "a name without a value");
        assert_eq!(resolve(None, None, named), None);
    }

    #[test]
    fn an_unreadable_value_is_no_target() {
        assert_eq!(resolve(Some("tanti"), Some("anziani_65"), named), None);
    }
}
