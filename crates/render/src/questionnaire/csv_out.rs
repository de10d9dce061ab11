//! The CSV contract of questionnaire results. Descriptive rows leave the comparison columns empty
//! and comparison rows leave the descriptive ones empty; blanks are empty cells.

use super::{ALPHA_DP, DF_DP, MEAN_DP, PCT_DP, T_DP, number_text, row_kind_label};
use crate::RenderError;
use crate::csv_safe::CsvOut;
use ambito_domain::likert::report::QuestionnaireReport;

const FIXED: [&str; 11] =
    ["ondata", "tipo", "codice", "voce", "inversa", "n", "tasso_risposta_pct", "media", "mediana", "dev_std", "top2_pct"];
const TAIL: [&str; 6] = ["alpha", "differenza", "ic95_inf", "ic95_sup", "gradi_liberta", "t_critico"];

pub fn results(r: &QuestionnaireReport) -> Result<Vec<u8>, RenderError> {
    let mut w = CsvOut::new();
    let mut header: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
    header.push("alpha".into());
    header.extend((1..=r.points).map(|p| format!("risposte_{p}")));
    header.extend(TAIL[1..].iter().map(|s| s.to_string()));
    w.record(&header)?;
    let dist_cols = usize::from(r.points);
    for wave in &r.waves {
        for (k, row) in r.rows.iter().enumerate() {
            let f = &wave.figures[k];
            let mut rec = vec![
                wave.kind.label().to_string(),
                row_kind_label(row.kind).to_string(),
                row.code.clone(),
                row.label.clone(),
                if row.reverse { "sì".into() } else { String::new() },
                f.n.to_string(),
                number_text(&f.response_rate, PCT_DP),
                number_text(&f.mean, MEAN_DP),
                number_text(&f.median, MEAN_DP),
                number_text(&f.sd, MEAN_DP),
                number_text(&f.top2, PCT_DP),
                wave.alphas[k].as_ref().map(|a| number_text(a, ALPHA_DP)).unwrap_or_default(),
            ];
            rec.extend(f.distribution.iter().map(|c| c.to_string()));
            rec.extend(std::iter::repeat_n(String::new(), TAIL.len() - 1));
            w.record(&rec)?;
        }
    }
    if let Some(c) = &r.comparison {
        let label = format!("{} → {}", c.from.label(), c.to.label());
        for (row, d) in r.rows.iter().zip(&c.differences) {
            let mut rec = vec![label.clone(), row_kind_label(row.kind).to_string(), row.code.clone(), row.label.clone()];
            rec.extend(std::iter::repeat_n(String::new(), FIXED.len() - 4 + 1 + dist_cols));
            rec.extend([
                number_text(&d.difference, MEAN_DP),
                number_text(&d.low, MEAN_DP),
                number_text(&d.high, MEAN_DP),
                number_text(&d.df, DF_DP),
                number_text(&d.t, T_DP),
            ]);
            w.record(&rec)?;
        }
    }
    w.finish()
}
