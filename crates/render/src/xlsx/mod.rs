//! The annual report as an Excel workbook: "Sintesi" plus one sheet per area. Numbers are stored
//! as numbers, rounded to the digits shown, with Excel formats that display them as the PDF does.

mod area;
pub(crate) mod cells;
mod summary;

use crate::RenderError;
use ambito_domain::report::AnnualReport;
use rust_xlsxwriter::{DocProperties, Workbook};

const SUMMARY: &str = "Sintesi";

pub fn annual(r: &AnnualReport) -> Result<Vec<u8>, RenderError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Relazione annuale sull'attività {} – {}", r.year, r.ambito_name))
            .set_author(&r.ambito_name),
    );
    summary::summary_sheet(wb.add_worksheet(), r)?;
    let mut taken = vec![SUMMARY.to_lowercase()];
    for area in &r.areas {
        let name = sheet_name(&area.name, &taken);
        taken.push(name.to_lowercase());
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        area::area_sheet(ws, r, area)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// A valid, unique sheet name: no `[]:*?/\`, no leading/trailing apostrophe, at most 31 UTF-16
/// units, different (ignoring case) from every name in `taken`.
fn sheet_name(area: &str, taken: &[String]) -> String {
    let cleaned: String =
        area.chars().map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { ' ' } else { c }).collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let cleaned = cleaned.trim_matches('\'').trim();
    let base = if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") { "Area" } else { cleaned };
    let fit = |s: &str, room: usize| {
        let mut out = String::new();
        for c in s.chars() {
            if out.encode_utf16().count() + c.len_utf16() > room {
                break;
            }
            out.push(c);
        }
        out.trim_end().trim_end_matches('\'').to_string()
    };
    let mut candidate = fit(base, 31);
    let mut n = 2;
    while taken.contains(&candidate.to_lowercase()) {
        let suffix = format!(" ({n})");
        candidate = format!("{}{suffix}", fit(base, 31 - suffix.len()));
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excel_rules() {
        let taken = vec!["sintesi".to_string()];
        assert_eq!(sheet_name("Minori/Famiglie: [tutela]?", &taken), "Minori Famiglie tutela");
        assert_eq!(sheet_name("Sintesi", &taken), "Sintesi (2)");
        let long = "Interventi per l'inclusione sociale e il contrasto alla povertà";
        let name = sheet_name(long, &taken);
        assert_eq!(name.encode_utf16().count(), 31);
        let taken2 = vec![name.to_lowercase()];
        let second = sheet_name(long, &taken2);
        assert!(second.ends_with(" (2)") && second.encode_utf16().count() <= 31, "{second}");
        assert_eq!(sheet_name("'x'", &[]), "x");
        assert_eq!(sheet_name("  ", &[]), "Area");
    }
}
