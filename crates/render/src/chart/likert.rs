//! Likert charts: the distribution of answers as 100% stacked bars (one per item or scale), and
//! the change between two waves as differences with their 95% intervals. Same conventions as the
//! parent module: accessible SVG, geometry in `f64`, every label from `ambito_domain::format`.

use super::{FONT, GRID, LABEL_CHARS, LABEL_X, PLOT_X, TEXT, WIDTH, empty_svg, esc, f, open_svg, truncate};
use ambito_domain::format::{it_number, it_percent};
use rust_decimal::Decimal;
use std::fmt::Write;

/// From the worst point to the best: reds, a neutral grey in the middle, blues (Bootstrap Italia).
fn palette(points: usize) -> Vec<&'static str> {
    match points {
        4 => vec!["#CC334D", "#F29CAA", "#7FB2E5", "#0066CC"],
        7 => vec!["#A61E3A", "#CC334D", "#F29CAA", "#D9DADB", "#A6CBF0", "#3385D6", "#004D99"],
        _ => vec!["#CC334D", "#F29CAA", "#D9DADB", "#7FB2E5", "#0066CC"],
    }
}

/// Dark text on light segments, white on dark ones (contrast ≥ 4.5:1).
fn ink(color: &str) -> &'static str {
    match color {
        "#F29CAA" | "#D9DADB" | "#7FB2E5" | "#A6CBF0" => TEXT,
        _ => "#FFFFFF",
    }
}

/// One bar per row: the share of answers at each point, left (worst) to right (best).
pub fn distribution_svg(title: &str, point_labels: &[&str], rows: &[(String, Vec<usize>)]) -> String {
    let rows: Vec<&(String, Vec<usize>)> = rows.iter().filter(|(_, d)| d.iter().sum::<usize>() > 0).collect();
    if rows.is_empty() {
        return empty_svg(title);
    }
    let colors = palette(point_labels.len());
    let share = |c: usize, total: usize| Decimal::from(c) * Decimal::ONE_HUNDRED / Decimal::from(total.max(1));
    let desc = rows
        .iter()
        .map(|(label, d)| {
            let total: usize = d.iter().sum();
            let parts: Vec<String> =
                d.iter().zip(point_labels).map(|(c, l)| format!("{} {}", l.to_lowercase(), it_percent(share(*c, total), 0))).collect();
            format!("{label}: {}", parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let (bar_h, gap) = (20.0, 10.0);
    let legend_rows = legend_height(point_labels);
    let top = 12.0 + legend_rows;
    let plot_right = WIDTH - 16.0;
    let bottom = top + rows.len() as f64 * (bar_h + gap);
    let mut svg = open_svg(bottom + 8.0, title, &desc);
    legend(&mut svg, point_labels, &colors);
    for (i, (label, d)) in rows.iter().enumerate() {
        let y = top + gap / 2.0 + i as f64 * (bar_h + gap);
        let _ = write!(
            svg,
            r#"<text x="{LABEL_X}" y="{:.1}" font-size="12" dominant-baseline="middle" fill="{TEXT}">{}</text>"#,
            y + bar_h / 2.0,
            esc(&truncate(label, LABEL_CHARS))
        );
        let total: usize = d.iter().sum();
        let mut x = PLOT_X;
        for (k, c) in d.iter().enumerate() {
            if *c == 0 {
                continue;
            }
            let pct = share(*c, total);
            let w = f(pct) / 100.0 * (plot_right - PLOT_X);
            let color = colors.get(k).copied().unwrap_or(GRID);
            let _ = write!(svg, r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{bar_h:.1}" fill="{color}"/>"#);
            if w >= 30.0 {
                let _ = write!(
                    svg,
                    r#"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" dominant-baseline="middle" fill="{}">{}</text>"#,
                    x + w / 2.0,
                    y + bar_h / 2.0,
                    ink(color),
                    it_percent(pct, 0)
                );
            }
            x += w;
        }
    }
    svg.push_str("</svg>");
    svg
}

fn legend_height(labels: &[&str]) -> f64 {
    let mut x = LABEL_X;
    let mut lines = 1.0;
    for l in labels {
        let w = 16.0 + l.chars().count() as f64 * 5.6 + 14.0;
        if x + w > WIDTH {
            lines += 1.0;
            x = LABEL_X;
        }
        x += w;
    }
    lines * 18.0
}

fn legend(svg: &mut String, labels: &[&str], colors: &[&str]) {
    let (mut x, mut y) = (LABEL_X, 6.0);
    for (l, c) in labels.iter().zip(colors) {
        let w = 16.0 + l.chars().count() as f64 * 5.6 + 14.0;
        if x + w > WIDTH {
            x = LABEL_X;
            y += 18.0;
        }
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="12" height="12" fill="{c}" stroke="{TEXT}" stroke-width="0.5"/><text x="{:.1}" y="{:.1}" font-size="11" dominant-baseline="middle" fill="{TEXT}">{}</text>"#,
            x + 16.0,
            y + 6.0,
            esc(l)
        );
        x += w;
    }
}

/// A row of the comparison chart: label, difference, interval (none when not computable).
pub struct ChangeRow {
    pub label: String,
    pub difference: Option<Decimal>,
    pub interval: Option<(Decimal, Decimal)>,
}

/// Differences of means between two waves, each a dot with its 95% interval as a whisker, around
/// a zero line: a whisker that does not cross zero is a change beyond chance at 95%.
pub fn change_svg(title: &str, rows: &[ChangeRow]) -> String {
    let rows: Vec<&ChangeRow> = rows.iter().filter(|r| r.difference.is_some()).collect();
    if rows.is_empty() {
        return empty_svg(title);
    }
    let desc = rows
        .iter()
        .map(|r| {
            let d = it_number(r.difference.unwrap_or_default(), 2);
            match r.interval {
                Some((lo, hi)) => format!("{}: differenza {d}, intervallo al 95% da {} a {}", r.label, it_number(lo, 2), it_number(hi, 2)),
                None => format!("{}: differenza {d}, intervallo non calcolabile", r.label),
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let extent = rows
        .iter()
        .flat_map(|r| [r.difference.map(f), r.interval.map(|i| f(i.0)), r.interval.map(|i| f(i.1))])
        .flatten()
        .fold(0.5_f64, |m, v| m.max(v.abs()));
    let extent = (extent * 4.0).ceil() / 4.0;
    let (row_h, top) = (26.0, 16.0);
    let plot_right = WIDTH - 90.0;
    let x_of = |v: f64| PLOT_X + (v + extent) / (2.0 * extent) * (plot_right - PLOT_X);
    let bottom = top + rows.len() as f64 * row_h;
    let mut svg = open_svg(bottom + 30.0, title, &desc);
    let mut tick = -extent;
    while tick <= extent + 1e-9 {
        let x = x_of(tick);
        let color = if tick.abs() < 1e-9 { TEXT } else { GRID };
        let label = it_number(Decimal::from_f64_retain(tick).unwrap_or_default(), 2);
        let _ = write!(
            svg,
            r#"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{bottom:.1}" stroke="{color}" stroke-width="1"/><text x="{x:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="{TEXT}">{label}</text>"#,
            bottom + 16.0
        );
        tick += extent / 2.0;
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h / 2.0 + i as f64 * row_h;
        let _ = write!(
            svg,
            r#"<text x="{LABEL_X}" y="{y:.1}" font-size="12" dominant-baseline="middle" fill="{TEXT}">{}</text>"#,
            esc(&truncate(&r.label, LABEL_CHARS))
        );
        let d = r.difference.unwrap_or_default();
        if let Some((lo, hi)) = r.interval {
            let (x1, x2) = (x_of(f(lo)), x_of(f(hi)));
            let _ = write!(
                svg,
                r##"<line x1="{x1:.1}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}" stroke="#0066CC" stroke-width="2"/><line x1="{x1:.1}" y1="{:.1}" x2="{x1:.1}" y2="{:.1}" stroke="#0066CC" stroke-width="2"/><line x1="{x2:.1}" y1="{:.1}" x2="{x2:.1}" y2="{:.1}" stroke="#0066CC" stroke-width="2"/>"##,
                y - 5.0,
                y + 5.0,
                y - 5.0,
                y + 5.0
            );
        }
        let _ = write!(
            svg,
            r##"<circle cx="{:.1}" cy="{y:.1}" r="5" fill="#003366"/><text x="{:.1}" y="{y:.1}" font-size="11" dominant-baseline="middle" fill="{TEXT}" font-family="{FONT}">{}</text>"##,
            x_of(f(d)),
            plot_right + 8.0,
            esc(&signed(d))
        );
    }
    svg.push_str("</svg>");
    svg
}

fn signed(d: Decimal) -> String {
    let t = it_number(d, 2);
    if t.starts_with('-') || t == "0,00" { t } else { format!("+{t}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_bars_describe_every_share() {
        let svg = distribution_svg(
            "Distribuzione",
            &["Per niente", "Poco", "Né né", "Abbastanza", "Molto"],
            &[("Item <1>".into(), vec![0, 1, 1, 1, 1]), ("Vuoto".into(), vec![0; 5])],
        );
        assert!(svg.contains("Item &lt;1&gt;: per niente 0%, poco 25%, né né 25%, abbastanza 25%, molto 25%"), "{svg}");
        assert!(!svg.contains(">Vuoto<"), "rows without answers are left out");
        assert_eq!(svg.matches("<rect x=\"230.0\"").count(), 1, "one bar starts at the plot's left edge");
        assert!(distribution_svg("D", &["a", "b", "c", "d"], &[]).contains("Nessun dato da rappresentare"));
    }

    #[test]
    fn change_chart_marks_zero_and_intervals() {
        let rows = vec![
            ChangeRow {
                label: "Relazione".into(),
                difference: Some(Decimal::new(45, 2)),
                interval: Some((Decimal::new(12, 2), Decimal::new(78, 2))),
            },
            ChangeRow { label: "Efficacia".into(), difference: Some(Decimal::new(-5, 2)), interval: None },
        ];
        let svg = change_svg("Variazione", &rows);
        assert!(svg.contains("Relazione: differenza 0,45, intervallo al 95% da 0,12 a 0,78"));
        assert!(svg.contains("Efficacia: differenza -0,05, intervallo non calcolabile"));
        assert!(svg.contains(">+0,45<") && svg.contains(">-0,05<"));
        assert_eq!(svg.matches("<circle").count(), 2);
    }
}
