//! Questionnaire results as a workbook: "Risultati" (one block per wave), "Confronto" and
//! "Risposte aperte". Numbers are numbers, rounded to the digits the page shows.

use super::{ALPHA_DP, DF_DP, MEAN_DP, PCT_DP, T_DP, row_kind_label};
use crate::RenderError;
use crate::xlsx::cells::{self, Kind, bold, header_fmt, subtitle_fmt, text, text_fmt, title_fmt};
use ambito_domain::likert::report::{QuestionnaireReport, point_labels};
use ambito_domain::value::Value;
use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, Workbook, Worksheet};

fn value(ws: &mut Worksheet, row: u32, col: u16, v: &Value, kind: Kind) -> Result<(), RenderError> {
    cells::num(ws, row, col, v.number(), kind, false)
}

fn count(ws: &mut Worksheet, row: u32, col: u16, n: usize) -> Result<(), RenderError> {
    cells::num(ws, row, col, Some(Decimal::from(n)), Kind::Count, false)
}

pub fn results(r: &QuestionnaireReport) -> Result<Vec<u8>, RenderError> {
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title(format!("Risultati del questionario – {}", r.title)).set_author(&r.ambito_name));
    results_sheet(wb.add_worksheet().set_name("Risultati")?, r)?;
    comparison_sheet(wb.add_worksheet().set_name("Confronto")?, r)?;
    open_sheet(wb.add_worksheet().set_name("Risposte aperte")?, r)?;
    Ok(wb.save_to_buffer()?)
}

fn results_sheet(ws: &mut Worksheet, r: &QuestionnaireReport) -> Result<(), RenderError> {
    text(ws, 0, 0, &r.title, &title_fmt())?;
    text(ws, 1, 0, &format!("{} ({}) – scala a {} punti", r.ambito_name, r.ambito_code, r.points), &text_fmt())?;
    text(
        ws,
        2,
        0,
        "Punteggi dopo l'inversione degli item a codifica inversa (il valore più alto è sempre il migliore). \
         Scale e punteggio complessivo: solo chi ha risposto a tutti gli item (eliminazione listwise).",
        &text_fmt(),
    )?;
    let labels = point_labels(r.points);
    let mut header: Vec<String> =
        ["Tipo", "Codice", "Voce", "Inversa", "n", "Tasso di risposta", "Media", "Mediana", "Dev. std.", "Top-2-box", "Alpha"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    header.extend(labels.iter().enumerate().map(|(i, l)| format!("{} – {l}", i + 1)));
    let mut row = 4u32;
    for wave in &r.waves {
        let invited = wave.invited.map(|i| i.to_string()).unwrap_or_else(|| "non indicati".into());
        text(
            ws,
            row,
            0,
            &format!(
                "Ondata {} ({} – {}): {} risposte, invitati {invited}",
                wave.kind.label(),
                wave.opens_on,
                wave.closes_on,
                wave.responses
            ),
            &subtitle_fmt(),
        )?;
        row += 1;
        for (c, h) in header.iter().enumerate() {
            text(ws, row, cells::col(c), h, &header_fmt())?;
        }
        row += 1;
        for (k, def) in r.rows.iter().enumerate() {
            let f = &wave.figures[k];
            let fmt = if def.kind == ambito_domain::likert::report::RowKind::Item { text_fmt() } else { bold() };
            text(ws, row, 0, row_kind_label(def.kind), &fmt)?;
            text(ws, row, 1, &def.code, &fmt)?;
            text(ws, row, 2, &def.label, &fmt)?;
            text(ws, row, 3, if def.reverse { "sì" } else { "" }, &fmt)?;
            count(ws, row, 4, f.n)?;
            value(ws, row, 5, &f.response_rate, Kind::Percent(PCT_DP))?;
            value(ws, row, 6, &f.mean, Kind::Number(MEAN_DP))?;
            value(ws, row, 7, &f.median, Kind::Number(MEAN_DP))?;
            value(ws, row, 8, &f.sd, Kind::Number(MEAN_DP))?;
            value(ws, row, 9, &f.top2, Kind::Percent(PCT_DP))?;
            if let Some(a) = &wave.alphas[k] {
                value(ws, row, 10, a, Kind::Number(ALPHA_DP))?;
            }
            for (p, c) in f.distribution.iter().enumerate() {
                count(ws, row, 11 + cells::col(p), *c)?;
            }
            row += 1;
        }
        row += 1;
    }
    ws.set_column_width(2, 60)?;
    ws.set_column_range_width(4, 10 + u16::from(r.points), 12)?;
    Ok(())
}

fn comparison_sheet(ws: &mut Worksheet, r: &QuestionnaireReport) -> Result<(), RenderError> {
    let Some(c) = &r.comparison else {
        text(ws, 0, 0, "Confronto non disponibile: serve almeno due ondate con risposte.", &text_fmt())?;
        return Ok(());
    };
    text(ws, 0, 0, &format!("Confronto {} → {}", c.from.label(), c.to.label()), &title_fmt())?;
    text(
        ws,
        1,
        0,
        "Differenza delle medie con intervallo di confidenza al 95% (Welch; valore critico t di Student dalla tabella, 1,960 oltre 1000 gradi di libertà).",
        &text_fmt(),
    )?;
    let header = [
        "Tipo",
        "Codice",
        "Voce",
        "Media iniziale",
        "Media finale",
        "Differenza",
        "IC 95% inf.",
        "IC 95% sup.",
        "Gradi di libertà",
        "t critico",
        "Nota",
    ];
    for (i, h) in header.iter().enumerate() {
        text(ws, 3, cells::col(i), h, &header_fmt())?;
    }
    let from = r.wave(c.from);
    let to = r.wave(c.to);
    for (k, (def, d)) in r.rows.iter().zip(&c.differences).enumerate() {
        let row = 4 + k as u32;
        text(ws, row, 0, row_kind_label(def.kind), &text_fmt())?;
        text(ws, row, 1, &def.code, &text_fmt())?;
        text(ws, row, 2, &def.label, &text_fmt())?;
        if let Some(w) = from {
            value(ws, row, 3, &w.figures[k].mean, Kind::Number(MEAN_DP))?;
        }
        if let Some(w) = to {
            value(ws, row, 4, &w.figures[k].mean, Kind::Number(MEAN_DP))?;
        }
        value(ws, row, 5, &d.difference, Kind::Number(MEAN_DP))?;
        value(ws, row, 6, &d.low, Kind::Number(MEAN_DP))?;
        value(ws, row, 7, &d.high, Kind::Number(MEAN_DP))?;
        value(ws, row, 8, &d.df, Kind::Number(DF_DP))?;
        value(ws, row, 9, &d.t, Kind::Number(T_DP))?;
        text(ws, row, 10, &super::blank_text(&d.low), &text_fmt())?;
    }
    ws.set_column_width(2, 60)?;
    Ok(())
}

fn open_sheet(ws: &mut Worksheet, r: &QuestionnaireReport) -> Result<(), RenderError> {
    for (i, h) in ["Domanda", "Ondata", "Risposta"].iter().enumerate() {
        text(ws, 0, cells::col(i), h, &header_fmt())?;
    }
    let mut row = 1u32;
    for q in &r.open_questions {
        for (wave, answer) in &q.answers {
            text(ws, row, 0, &q.text, &text_fmt())?;
            text(ws, row, 1, wave.label(), &text_fmt())?;
            text(ws, row, 2, answer, &text_fmt())?;
            row += 1;
        }
    }
    ws.set_column_width(0, 40)?;
    ws.set_column_width(2, 80)?;
    Ok(())
}
