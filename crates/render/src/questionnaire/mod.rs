//! A questionnaire's results (`ambito_domain::likert::report::QuestionnaireReport`) as CSV and
//! XLSX, and the texts the web page shows. Digits shown are fixed here, once for every format.

mod csv_out;
mod xlsx;

use crate::RenderError;
use ambito_domain::format::{it_number, it_percent};
use ambito_domain::likert::report::{QuestionnaireReport, RowKind, WaveKind};
use ambito_domain::value::Value;

/// Decimals shown for means, medians, standard deviations and differences.
pub const MEAN_DP: u32 = 2;
/// Decimals shown for percentages (response rate, top-2-box).
pub const PCT_DP: u32 = 1;
/// Decimals shown for Cronbach's alpha.
pub const ALPHA_DP: u32 = 2;
/// Decimals of the Welch degrees of freedom and of the t critical value.
pub const DF_DP: u32 = 1;
pub const T_DP: u32 = 3;

/// A figure with `dp` decimals, or empty for a blank.
pub fn number_text(v: &Value, dp: u32) -> String {
    v.number().map(|n| it_number(n, dp)).unwrap_or_default()
}

/// A percentage (already ×100), or empty for a blank.
pub fn percent_text(v: &Value) -> String {
    v.number().map(|n| it_percent(n, PCT_DP)).unwrap_or_default()
}

/// A signed difference: `+0,45`, `−0,12`, `0,00`.
pub fn signed_text(v: &Value) -> String {
    match v.number() {
        Some(n) => {
            let t = it_number(n, MEAN_DP);
            if t.starts_with('-') || t.trim_start_matches(['0', ',']).is_empty() { t } else { format!("+{t}") }
        }
        None => String::new(),
    }
}

/// Why a figure is blank, empty when it is a number.
pub fn blank_text(v: &Value) -> String {
    v.blank_reason().map(ToString::to_string).unwrap_or_default()
}

pub fn row_kind_label(k: RowKind) -> &'static str {
    match k {
        RowKind::Item => "item",
        RowKind::Scale => "scala",
        RowKind::Overall => "complessivo",
    }
}

/// Results as a `;`-separated UTF-8 CSV: one row per wave × item/scale/overall, then the
/// comparison rows.
pub fn questionnaire_csv(r: &QuestionnaireReport) -> Result<Vec<u8>, RenderError> {
    csv_out::results(r)
}

/// Results as an Excel workbook: one sheet per wave, the comparison, the open answers.
pub fn questionnaire_xlsx(r: &QuestionnaireReport) -> Result<Vec<u8>, RenderError> {
    xlsx::results(r)
}

#[cfg(test)]
mod tests;

/// The anonymous links of a wave as `n;ondata;link` rows, `;`-separated like every CSV of ambito,
/// to merge into letters or e-mails.
pub fn links_csv(base_url: &str, wave: WaveKind, tokens: &[String]) -> Result<Vec<u8>, RenderError> {
    let base = base_url.trim_end_matches('/');
    let mut w = crate::csv_safe::CsvOut::new();
    w.record(["n", "ondata", "link"])?;
    for (i, t) in tokens.iter().enumerate() {
        w.record([(i + 1).to_string(), wave.label().to_string(), format!("{base}/q/{t}")])?;
    }
    w.finish()
}
