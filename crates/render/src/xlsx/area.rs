//! One sheet per area: the "Numeri" table with indicator and budget columns, the reading of the
//! year and the numbered goals.

use super::cells::{
    Kind, col, header_fmt, measures, num, paragraph, print_setup, shown, subtitle_fmt, text, text_fmt, title_fmt, total_fmt,
};
use crate::RenderError;
use ambito_domain::measures::Measure;
use ambito_domain::report::{AnnualReport, AreaSection};
use rust_xlsxwriter::{Format, FormatAlign, Worksheet};

const AREA_HEADER: [&str; 4] = ["Indicatore", "Valore indicatore", "Budget", "Budget per utente"];

pub fn area_sheet(ws: &mut Worksheet, r: &AnnualReport, area: &AreaSection) -> Result<(), RenderError> {
    let widths = [14.0, 44.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 30.0, 14.0, 16.0, 16.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), *w)?;
    }
    text(ws, 0, 0, &area.name, &title_fmt())?;
    text(ws, 1, 0, &format!("Relazione annuale sull'attività {} – {}", r.year, r.ambito_name), &text_fmt())?;
    text(ws, 3, 0, "Numeri", &subtitle_fmt())?;
    let head = 4;
    text(ws, head, 0, "Codice", &header_fmt())?;
    text(ws, head, 1, "Servizio", &header_fmt())?;
    for (i, m) in Measure::ALL.iter().enumerate() {
        text(ws, head, 2 + col(i), m.label(), &header_fmt())?;
    }
    for (i, label) in AREA_HEADER.iter().enumerate() {
        text(ws, head, 8 + col(i), label, &header_fmt())?;
    }
    ws.set_row_height(head, 30)?;
    ws.set_freeze_panes(head + 1, 2)?;
    print_setup(ws, head)?;

    let mut row = head + 1;
    for s in &area.rows {
        let indent = u8::try_from(s.depth).unwrap_or(u8::MAX).min(15);
        text(ws, row, 0, &s.code, &text_fmt())?;
        text(ws, row, 1, &s.name, &text_fmt().set_indent(indent))?;
        measures(ws, row, &s.figures.measures, false)?;
        if let Some(ind) = &s.indicator {
            text(ws, row, 8, &ind.name, &text_fmt())?;
            shown(ws, row, 9, &ind.shown, false)?;
        }
        num(ws, row, 10, s.figures.budget, Kind::Euro, false)?;
        shown(ws, row, 11, &s.budget_per_user, false)?;
        row += 1;
    }
    let total = total_fmt(Format::new());
    text(ws, row, 0, "TOTALE", &total)?;
    text(ws, row, 1, &format!("Totale {}", area.name), &total)?;
    measures(ws, row, &area.total.measures, true)?;
    num(ws, row, 10, area.total.budget, Kind::Euro, true)?;
    shown(ws, row, 11, &area.total.budget_per_user, true)?;

    let merged_width: f64 = widths[1..].iter().sum();
    row += 2;
    text(ws, row, 0, "Lettura dell'andamento", &subtitle_fmt())?;
    row += 1;
    let lettura = area.lettura.as_deref().map(str::trim).filter(|t| !t.is_empty());
    paragraph(ws, row, 0, lettura.unwrap_or("Nessuna lettura inserita."), merged_width + widths[0])?;
    row += 2;
    text(ws, row, 0, "Prospettive e obiettivi", &subtitle_fmt())?;
    row += 1;
    if area.obiettivi.is_empty() {
        text(ws, row, 0, "Nessun obiettivo inserito.", &text_fmt())?;
    }
    for (i, goal) in area.obiettivi.iter().enumerate() {
        text(ws, row, 0, &format!("{}.", i + 1), &text_fmt().set_align(FormatAlign::Right))?;
        paragraph(ws, row, 1, goal, merged_width)?;
        row += 1;
    }
    Ok(())
}
