//! Cell writers and number formats: numbers rounded to the shown digits, blanks left empty.

use crate::RenderError;
use crate::figures::{format_of_text, measure_dp, to_f64};
use ambito_domain::format::round_half_up;
use ambito_domain::indicator::DisplayFormat;
use ambito_domain::measures::{Measure, Measures};
use ambito_domain::report::Shown;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet};

const PRIMARY: u32 = 0x0066CC;
/// Excel refuses longer cell texts.
const MAX_CELL_CHARS: usize = 32_000;
/// Last column of the area tables, where merged paragraphs end.
pub const LAST_COL: u16 = 11;

/// How a number is shown in its cell.
#[derive(Clone, Copy)]
pub enum Kind {
    Count,
    Hours,
    Euro,
    /// A percentage computed ×100 (`77` for 77%), stored as the fraction `0.77`.
    Percent(u32),
    Number(u32),
}

impl Kind {
    pub fn of_measure(m: Measure) -> Kind {
        if measure_dp(m) == 0 { Kind::Count } else { Kind::Hours }
    }

    pub fn of_display(f: DisplayFormat) -> Kind {
        match f {
            DisplayFormat::Percent(dp) => Kind::Percent(dp),
            DisplayFormat::Number(dp) => Kind::Number(dp),
            DisplayFormat::Euro => Kind::Euro,
        }
    }

    pub fn decimals(self) -> u32 {
        match self {
            Kind::Count => 0,
            Kind::Hours | Kind::Euro => 2,
            Kind::Percent(dp) | Kind::Number(dp) => dp,
        }
    }

    pub fn num_format(self) -> String {
        let digits = |dp: u32| {
            if dp == 0 { String::new() } else { format!(".{}", "0".repeat(dp as usize)) }
        };
        match self {
            Kind::Count => "#,##0".into(),
            Kind::Hours => "#,##0.00".into(),
            Kind::Euro => r#"#,##0.00 "€";-#,##0.00 "€";"- €""#.into(),
            Kind::Percent(dp) => format!("0{}%", digits(dp)),
            Kind::Number(dp) => format!("#,##0{}", digits(dp)),
        }
    }

    /// The stored value: rounded half-up to the shown digits, percentages as fractions.
    pub fn stored(self, v: Decimal) -> Decimal {
        let rounded = round_half_up(v, self.decimals());
        match self {
            Kind::Percent(_) => rounded / Decimal::from(100),
            _ => rounded,
        }
    }
}

pub fn text_fmt() -> Format {
    Format::new().set_align(FormatAlign::Top)
}

pub fn bold() -> Format {
    Format::new().set_bold()
}

pub fn title_fmt() -> Format {
    Format::new().set_bold().set_font_size(16).set_font_color(PRIMARY)
}

pub fn subtitle_fmt() -> Format {
    Format::new().set_bold().set_font_size(12).set_font_color(PRIMARY)
}

pub fn header_fmt() -> Format {
    Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(PRIMARY)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

pub fn total_fmt(f: Format) -> Format {
    f.set_bold().set_border_top(FormatBorder::Thin)
}

/// Writes a number cell; a blank (`None`) writes nothing.
pub fn num(ws: &mut Worksheet, row: u32, col: u16, v: Option<Decimal>, kind: Kind, total: bool) -> Result<(), RenderError> {
    let Some(v) = v else { return Ok(()) };
    let mut f = Format::new().set_num_format(kind.num_format());
    if total {
        f = total_fmt(f);
    }
    ws.write_number_with_format(row, col, to_f64(kind.stored(v))?, &f)?;
    Ok(())
}

/// A domain figure in the format it was shown with (`77%`, `330,39`, `120,48 €`).
pub fn shown(ws: &mut Worksheet, row: u32, col: u16, s: &Shown, total: bool) -> Result<(), RenderError> {
    match format_of_text(&s.text) {
        Some(f) => num(ws, row, col, s.value.number(), Kind::of_display(f), total),
        None => Ok(()),
    }
}

pub fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str, f: &Format) -> Result<(), RenderError> {
    let s: String = s.chars().take(MAX_CELL_CHARS).collect();
    ws.write_string_with_format(row, col, s, f)?;
    Ok(())
}

/// A column index; beyond Excel's 16.384 columns it saturates, so offsets added to it cannot
/// overflow and the writer reports the error instead.
pub fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX).min(20_000)
}

/// A4 landscape, as wide as one page, header row repeated on every printed page.
pub fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), RenderError> {
    ws.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

pub fn measures(ws: &mut Worksheet, row: u32, m: &Measures, total: bool) -> Result<(), RenderError> {
    for (i, k) in Measure::ALL.into_iter().enumerate() {
        num(ws, row, 2 + col(i), m.get(k), Kind::of_measure(k), total)?;
    }
    Ok(())
}

/// Long text in a wrapped cell merged up to the last table column, with a row height that fits.
pub fn paragraph(ws: &mut Worksheet, row: u32, first_col: u16, s: &str, width: f64) -> Result<(), RenderError> {
    let s: String = s.chars().take(MAX_CELL_CHARS).collect();
    let per_line = (width * 1.1).max(10.0) as usize;
    let lines: usize = s.lines().map(|l| l.chars().count().div_ceil(per_line).max(1)).sum();
    let f = text_fmt().set_text_wrap();
    ws.merge_range(row, first_col, row, LAST_COL, &s, &f)?;
    ws.set_row_height(row, (15 * lines.clamp(1, 27)) as f64)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_the_shown_digits() {
        assert_eq!(Kind::Count.num_format(), "#,##0");
        assert_eq!(Kind::Percent(0).num_format(), "0%");
        assert_eq!(Kind::Percent(2).num_format(), "0.00%");
        assert_eq!(Kind::Number(2).num_format(), "#,##0.00");
        assert_eq!(Kind::Percent(0).stored(Decimal::new(7666, 2)), Decimal::new(77, 2));
        assert_eq!(Kind::Euro.stored(Decimal::new(120475, 3)), Decimal::new(12048, 2));
    }
}
