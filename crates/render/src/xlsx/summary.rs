//! The "Sintesi" sheet: who and when, the headline figures (with the previous year and the change
//! when there is one), and the social spending by area and funding source.

use super::SUMMARY;
use super::cells::{Kind, bold, col, header_fmt, num, print_setup, shown, subtitle_fmt, text, text_fmt, title_fmt, total_fmt};
use crate::RenderError;
use crate::figures::{CHANGE_DP, change_pct};
use ambito_domain::measures::Measure;
use ambito_domain::report::{AnnualReport, SpendingSection};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, Worksheet};

pub fn summary_sheet(ws: &mut Worksheet, r: &AnnualReport) -> Result<(), RenderError> {
    ws.set_name(SUMMARY)?;
    ws.set_column_width(0, 40)?;
    for col in 1..=12 {
        ws.set_column_width(col, 16)?;
    }
    text(ws, 0, 0, &format!("Relazione annuale sull'attività {}", r.year), &title_fmt())?;
    text(ws, 1, 0, "Ambito", &bold())?;
    text(ws, 1, 1, &r.ambito_name, &text_fmt())?;
    text(ws, 2, 0, "Codice Ambito", &bold())?;
    text(ws, 2, 1, &r.ambito_code, &text_fmt())?;
    text(ws, 3, 0, "Anno", &bold())?;
    ws.write_number_with_format(3, 1, f64::from(r.year), &Format::new().set_align(FormatAlign::Left))?;

    let h = &r.headline;
    let header_row = 5;
    text(ws, header_row, 0, "Dati principali", &header_fmt())?;
    text(ws, header_row, 1, &r.year.to_string(), &header_fmt())?;
    let prev = h.previous.filter(|_| r.has_previous);
    if prev.is_some() {
        text(ws, header_row, 2, &(r.year - 1).to_string(), &header_fmt())?;
        text(ws, header_row, 3, "Variazione", &header_fmt())?;
    }
    ws.set_freeze_panes(header_row + 1, 0)?;
    print_setup(ws, header_row)?;
    let mut row = header_row + 1;
    for (label, n) in [("Aree", h.areas), ("Servizi", h.services)] {
        text(ws, row, 0, label, &text_fmt())?;
        num(ws, row, 1, Some(Decimal::from(n)), Kind::Count, false)?;
        row += 1;
    }
    for m in Measure::ALL {
        text(ws, row, 0, m.label(), &text_fmt())?;
        num(ws, row, 1, h.totals.get(m), Kind::of_measure(m), false)?;
        if let Some(p) = &prev {
            num(ws, row, 2, p.get(m), Kind::of_measure(m), false)?;
            num(ws, row, 3, change_pct(h.totals.get(m), p.get(m)), Kind::Percent(CHANGE_DP), false)?;
        }
        row += 1;
    }
    text(ws, row, 0, "Budget complessivo", &text_fmt())?;
    num(ws, row, 1, h.budget, Kind::Euro, false)?;
    spending_table(ws, row + 2, &r.spending)
}

fn spending_table(ws: &mut Worksheet, top: u32, s: &SpendingSection) -> Result<(), RenderError> {
    text(ws, top, 0, "Spesa sociale (impegnato) per area e fonte di finanziamento", &subtitle_fmt())?;
    if s.rows.is_empty() {
        return text(ws, top + 1, 0, "Nessuna spesa registrata per l'anno.", &text_fmt());
    }
    let n = col(s.sources.len());
    let head = top + 1;
    text(ws, head, 0, "Area", &header_fmt())?;
    for (i, source) in s.sources.iter().enumerate() {
        text(ws, head, 1 + col(i), source, &header_fmt())?;
    }
    for (i, label) in ["Totale", "Quota sul totale", "Utenti", "Costo per utente"].into_iter().enumerate() {
        text(ws, head, 1 + n + col(i), label, &header_fmt())?;
    }
    let mut row = head + 1;
    for r in &s.rows {
        text(ws, row, 0, &r.area, &text_fmt())?;
        for (i, v) in r.by_source.iter().enumerate() {
            num(ws, row, 1 + col(i), *v, Kind::Euro, false)?;
        }
        num(ws, row, 1 + n, Some(r.total), Kind::Euro, false)?;
        shown(ws, row, 2 + n, &r.share, false)?;
        num(ws, row, 3 + n, r.users, Kind::Count, false)?;
        shown(ws, row, 4 + n, &r.cost_per_user, false)?;
        row += 1;
    }
    text(ws, row, 0, "Totale", &total_fmt(Format::new()))?;
    for (i, v) in s.totals_by_source.iter().enumerate() {
        num(ws, row, 1 + col(i), *v, Kind::Euro, true)?;
    }
    num(ws, row, 1 + n, Some(s.total), Kind::Euro, true)?;
    text(ws, row + 1, 0, "Quota per fonte", &text_fmt())?;
    for (i, share) in s.source_shares.iter().enumerate() {
        shown(ws, row + 1, 1 + col(i), share, false)?;
    }
    Ok(())
}
