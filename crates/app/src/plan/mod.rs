//! The Piano di Zona cycle: plans and objective cards (`view`), the plan format with its import
//! and export (`format`, `check`, `import`, `export`, `xlsx`), semiannual monitoring rounds that
//! freeze at closing (`monitoring`), end-of-cycle evaluation and qualitative evidence
//! (`evaluation`), the ex-post → ex-ante step (`next`), the province comparison (`province`),
//! the generated documents (`documents`) and the demo plans (`demo`).

mod check;
pub mod demo;
pub mod documents;
pub mod edit;
pub mod evaluation;
mod export;
pub mod format;
mod import;
pub mod monitoring;
pub mod next;
pub mod province;
mod suppressed;
pub mod view;
pub mod xlsx;

pub use check::{Context, check, valid_date};
pub use import::{PlanTenant, parse_plan_file};
pub use suppressed::{Figures, HIDDEN_REASON};
pub use view::{Card, PlanView};

use crate::access::Actor;
use crate::{App, Result};
use rust_decimal::Decimal;

impl App {
    /// The audit entry of a plan write, appended inside the write's own transaction so that the
    /// change and its record commit together. `what` names the part written (`/schede/AMB-01`).
    pub(crate) async fn audit_plan_write(
        &self,
        conn: &mut ambito_store::AnyConnection,
        actor: &Actor<'_>,
        ambito_code: &str,
        triennium: &str,
        action: &str,
        what: &str,
    ) -> Result<()> {
        self.audit_in(conn, actor.event(action, &format!("piano/{triennium}{what}"), Some(ambito_code))).await?;
        Ok(())
    }
}

/// `C,D,E,J` → `["C", "D", "E", "J"]`; empty text is an empty list.
pub(crate) fn split(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// `"130000.5"` → 13_000_050 cents.
pub(crate) fn cents(eur: &str) -> Option<i64> {
    ambito_domain::fixed::to_units(eur.trim().parse().ok()?, ambito_domain::fixed::MONEY_SCALE)
}

/// 13_000_050 cents → `"130000.5"` (canonical, as the importer stores it).
pub(crate) fn eur_text(cents: i64) -> String {
    ambito_domain::fixed::money_from_units(cents).normalize().to_string()
}

pub(crate) use ambito_store::now_text as now;

/// Trimmed text, `None` when empty: a blank form field is "not given".
pub(crate) fn non_empty(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Parses a decimal typed in a form: Italian (`1.234,5`) or with a decimal point.
pub(crate) fn typed_decimal(text: &str) -> Option<Decimal> {
    ambito_domain::number::parse_decimal(text, ambito_domain::number::NumberStyle::Italian).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_text_round_trips() {
        assert_eq!(cents("130000"), Some(13_000_000));
        assert_eq!(cents("0.5"), Some(50));
        assert_eq!(cents("1.005"), None, "a third decimal is not a cent");
        assert_eq!(eur_text(13_000_050), "130000.5");
        assert_eq!(eur_text(0), "0");
        assert_eq!(split(" C, D ,,J"), vec!["C", "D", "J"]);
    }

    #[test]
    fn plan_dates_are_real_days_in_digits() {
        assert!(valid_date("2024-02-29"));
        for bad in ["2027-04-+8", "2027-+4-08", "+027-04-08", "2023-02-29", "2027-4-08", "2027/04/08", " 2027-04-08"] {
            assert!(!valid_date(bad), "{bad}");
        }
    }
}
