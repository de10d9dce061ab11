//! Hand-written SVG bar charts, shared by the web pages and the PDF. Accessible (`role="img"`,
//! `<title>`, `<desc>`), Bootstrap Italia colours, Italian number labels. Geometry uses `f64`;
//! every text shown comes from `ambito_domain::format`.

use ambito_domain::format::{it_euro, it_number};
use ambito_domain::measures::Measure;
use ambito_domain::report::{AreaSection, SpendingSection};
use rust_decimal::Decimal;
use std::fmt::Write;

pub mod likert;
pub mod pyramid;

const WIDTH: f64 = 720.0;
const FONT: &str = "Titillium Web, sans-serif";
const TEXT: &str = "#1A1A1A";
const GRID: &str = "#D9DADB";
const LABEL_X: f64 = 8.0;
const PLOT_X: f64 = 230.0;
const TOP: f64 = 44.0;
const BAR_H: f64 = 12.0;
const BAR_GAP: f64 = 2.0;
const GROUP_GAP: f64 = 14.0;
/// Past this plot height bars get thinner (down to 4px, without value labels below 8px).
const MAX_PLOT_H: f64 = 960.0;
/// Characters of a label that fit left of the plot at 12px.
const LABEL_CHARS: usize = 36;

struct Series {
    label: &'static str,
    color: &'static str,
    values: Vec<Option<Decimal>>,
}

/// Users in care and beneficiaries per service, this year and (when `has_previous`) the previous
/// one. Services with neither measure are left out.
pub fn area_bars_svg(area: &AreaSection, has_previous: bool) -> String {
    let title = format!("Utenti in carico e beneficiari per servizio – {}", area.name);
    let rows: Vec<_> = area
        .rows
        .iter()
        .filter(|r| r.figures.measures.get(Measure::Utenti).is_some() || r.figures.measures.get(Measure::Beneficiari).is_some())
        .collect();
    let current = |m: Measure| rows.iter().map(|r| r.figures.measures.get(m)).collect::<Vec<_>>();
    let previous = |m: Measure| rows.iter().map(|r| r.previous.as_ref().and_then(|p| p.measures.get(m)).filter(|_| has_previous)).collect();
    let series: Vec<Series> = [
        Series { label: "Utenti in carico", color: "#0066CC", values: current(Measure::Utenti) },
        Series { label: "Utenti in carico, anno precedente", color: "#7FB2E5", values: previous(Measure::Utenti) },
        Series { label: "Beneficiari", color: "#00A3A3", values: current(Measure::Beneficiari) },
        Series { label: "Beneficiari, anno precedente", color: "#80D1D1", values: previous(Measure::Beneficiari) },
    ]
    .into_iter()
    .filter(|s| s.values.iter().any(Option::is_some))
    .collect();
    if rows.is_empty() || series.is_empty() {
        return empty_svg(&title);
    }

    let desc = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let parts: Vec<String> =
                series.iter().filter_map(|s| s.values[i].map(|v| format!("{} {}", s.label.to_lowercase(), it_number(v, 0)))).collect();
            format!("{}: {}", r.name, parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");

    let plot_right = WIDTH - 70.0;
    let max = series.iter().flat_map(|s| s.values.iter().flatten()).map(|v| f(*v)).fold(0.0, f64::max);
    let step = nice_step(max / 5.0).max(1.0);
    let axis_max = ((max / step).ceil() * step).max(step);
    let x_of = |v: f64| PLOT_X + (v.max(0.0) / axis_max) * (plot_right - PLOT_X);

    let n = series.len() as f64;
    let bar_h = ((MAX_PLOT_H / rows.len() as f64 - GROUP_GAP) / n - BAR_GAP).clamp(4.0, BAR_H);
    let group_h = n * (bar_h + BAR_GAP) - BAR_GAP;
    let plot_bottom = TOP + rows.len() as f64 * (group_h + GROUP_GAP);
    let height = plot_bottom + 28.0;

    let mut svg = open_svg(height, &title, &desc);
    legend(&mut svg, &series);
    let mut tick = 0.0;
    while tick <= axis_max + step / 2.0 {
        let x = x_of(tick);
        let label = it_number(Decimal::from(tick.round() as i64), 0);
        let _ = write!(
            svg,
            r#"<line x1="{x:.1}" y1="{TOP:.1}" x2="{x:.1}" y2="{plot_bottom:.1}" stroke="{GRID}" stroke-width="1"/><text x="{x:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="{TEXT}">{label}</text>"#,
            plot_bottom + 16.0
        );
        tick += step;
    }
    for (i, row) in rows.iter().enumerate() {
        let y0 = TOP + GROUP_GAP / 2.0 + i as f64 * (group_h + GROUP_GAP);
        let indent = 12.0 * row.depth as f64;
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" font-size="12" dominant-baseline="middle" fill="{TEXT}">{}</text>"#,
            LABEL_X + indent,
            y0 + group_h / 2.0,
            esc(&truncate(&row.name, LABEL_CHARS - (row.depth * 2).min(LABEL_CHARS / 2)))
        );
        for (k, s) in series.iter().enumerate() {
            let Some(v) = s.values[i] else { continue };
            let y = y0 + k as f64 * (bar_h + BAR_GAP);
            let label = if bar_h >= 8.0 { it_number(v, 0) } else { String::new() };
            bar(&mut svg, PLOT_X, y, x_of(f(v)) - PLOT_X, bar_h, s.color, &label);
        }
    }
    let _ = write!(svg, r#"<line x1="{PLOT_X}" y1="{TOP}" x2="{PLOT_X}" y2="{plot_bottom:.1}" stroke="{TEXT}" stroke-width="1"/>"#);
    svg.push_str("</svg>");
    svg
}

/// Social spending per area: one bar each, labelled with the amount and its share of the total.
pub fn spending_bars_svg(s: &SpendingSection) -> String {
    let title = "Spesa sociale per area".to_string();
    if s.rows.is_empty() {
        return empty_svg(&title);
    }
    let label = |total: Decimal, share: &str| {
        if share.is_empty() { it_euro(total) } else { format!("{} ({share})", it_euro(total)) }
    };
    let desc = s.rows.iter().map(|r| format!("{}: {}", r.area, label(r.total, &r.share.text))).collect::<Vec<_>>().join("; ");
    let plot_right = WIDTH - 170.0;
    let max = s.rows.iter().map(|r| f(r.total)).fold(0.0, f64::max);
    let scale = if max > 0.0 { (plot_right - PLOT_X) / max } else { 0.0 };
    let (bar_h, gap) = (18.0, 12.0);
    let top = 12.0;
    let bottom = top + s.rows.len() as f64 * (bar_h + gap);
    let mut svg = open_svg(bottom + 8.0, &title, &desc);
    for (i, r) in s.rows.iter().enumerate() {
        let y = top + gap / 2.0 + i as f64 * (bar_h + gap);
        let _ = write!(
            svg,
            r#"<text x="{LABEL_X}" y="{:.1}" font-size="12" dominant-baseline="middle" fill="{TEXT}">{}</text>"#,
            y + bar_h / 2.0,
            esc(&truncate(&r.area, LABEL_CHARS))
        );
        bar(&mut svg, PLOT_X, y, f(r.total).max(0.0) * scale, bar_h, "#0066CC", &label(r.total, &r.share.text));
    }
    let _ = write!(svg, r#"<line x1="{PLOT_X}" y1="{top}" x2="{PLOT_X}" y2="{bottom:.1}" stroke="{TEXT}" stroke-width="1"/>"#);
    svg.push_str("</svg>");
    svg
}

fn f(v: Decimal) -> f64 {
    f64::try_from(v).unwrap_or(0.0)
}

fn open_svg(height: f64, title: &str, desc: &str) -> String {
    // Ids unique per content, so several charts can share one web page.
    let id = format!("chart-{:08x}", fnv1a(title.as_bytes()) ^ fnv1a(desc.as_bytes()));
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" role="img" aria-labelledby="{id}-t {id}-d" font-family="{FONT}"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc><rect width="100%" height="100%" fill="#FFFFFF"/>"##,
        esc(title),
        esc(desc)
    )
}

fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

fn empty_svg(title: &str) -> String {
    let message = "Nessun dato da rappresentare";
    let mut svg = open_svg(120.0, title, message);
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="60" font-size="14" text-anchor="middle" dominant-baseline="middle" fill="{TEXT}">{message}</text></svg>"#,
        WIDTH / 2.0
    );
    svg
}

/// A bar with its value label at the end (none when `label` is empty).
fn bar(svg: &mut String, x: f64, y: f64, w: f64, h: f64, color: &str, label: &str) {
    let w = w.max(0.0);
    let _ = write!(svg, r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{color}"/>"#);
    if label.is_empty() {
        return;
    }
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" font-size="10" dominant-baseline="middle" fill="{TEXT}">{}</text>"#,
        x + w + 4.0,
        y + h / 2.0,
        esc(label)
    );
}

fn legend(svg: &mut String, series: &[Series]) {
    let mut x = LABEL_X;
    for s in series {
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="12" width="12" height="12" fill="{}"/><text x="{:.1}" y="18" font-size="11" dominant-baseline="middle" fill="{TEXT}">{}</text>"#,
            s.color,
            x + 16.0,
            esc(s.label)
        );
        x += 16.0 + s.label.chars().count() as f64 * 5.6 + 18.0;
    }
}

/// A round step (1, 2 or 5 × 10ⁿ) not smaller than `raw`.
fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let n = raw / magnitude;
    let m = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * magnitude
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Escapes text for XML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
