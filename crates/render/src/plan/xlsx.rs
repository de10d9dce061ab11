//! Tables of the plan documents as an Excel workbook: one sheet per table, a bold blue header,
//! numbers as numbers (rounded half-up to the digits shown), text wrapped.

use super::{Cell, Sheet};
use crate::RenderError;
use crate::figures::to_f64;
use ambito_domain::format::round_half_up;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook};

/// Excel refuses longer cell texts.
const MAX_CELL_CHARS: usize = 32_000;

pub fn sheets_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, RenderError> {
    let mut wb = Workbook::new();
    let header = Format::new().set_bold().set_font_color(Color::White).set_background_color(Color::RGB(0x0066CC)).set_text_wrap();
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for s in sheets {
        let ws = wb.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\.
        let name: String = s.name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
        ws.set_name(&name)?;
        for (c, h) in s.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &header)?;
        }
        for (c, w) in s.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => {
                        let t: String = t.chars().take(MAX_CELL_CHARS).collect();
                        ws.write_string_with_format(r, c, &t, &text)?;
                    }
                    Cell::Number(d, dp) => {
                        let digits = if *dp == 0 { String::new() } else { format!(".{}", "0".repeat(*dp as usize)) };
                        let f = Format::new().set_num_format(format!("#,##0{digits}")).set_align(FormatAlign::Top);
                        ws.write_number_with_format(r, c, to_f64(round_half_up(*d, *dp))?, &f)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    Ok(wb.save_to_buffer()?)
}
