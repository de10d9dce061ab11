//! A small line chart of one indicator across monitoring rounds, as accessible SVG (title and
//! description inside; the page shows the same figures in a table).

use ambito_domain::format::it_number;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Points are (round label, value); a blank value leaves a gap. `target` draws a dashed line.
pub fn trend_svg(title: &str, points: &[(String, Option<Decimal>)], target: Option<Decimal>, decimals: u32) -> String {
    let (w, h, left, right, top, bottom) = (560.0, 220.0, 56.0, 16.0, 18.0, 34.0);
    let values: Vec<f64> = points.iter().filter_map(|(_, v)| v.and_then(|d| d.to_f64())).chain(target.and_then(|t| t.to_f64())).collect();
    let (mut lo, mut hi) = values.iter().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    if values.is_empty() {
        (lo, hi) = (0.0, 1.0);
    }
    if lo > 0.0 {
        lo = 0.0;
    }
    if (hi - lo).abs() < f64::EPSILON {
        hi = lo + 1.0;
    }
    let n = points.len().max(1);
    let x = |i: usize| left + (w - left - right) * if n == 1 { 0.5 } else { i as f64 / (n - 1) as f64 };
    let y = |v: f64| top + (h - top - bottom) * (1.0 - (v - lo) / (hi - lo));
    let described: Vec<String> = points
        .iter()
        .map(|(l, v)| format!("{l}: {}", v.map(|d| it_number(d, decimals)).unwrap_or_else(|| "dato mancante".into())))
        .collect();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"t d\" font-family=\"Titillium Web, sans-serif\" font-size=\"11\">\
         <title id=\"t\">{}</title><desc id=\"d\">{}</desc>",
        esc(title),
        esc(&described.join("; "))
    );
    svg.push_str(&format!("<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#5C6F82\"/>", h - bottom, w - right, h - bottom));
    for v in [lo, hi] {
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#5C6F82\">{}</text>",
            left - 6.0,
            y(v) + 4.0,
            esc(&it_number(Decimal::from_f64_retain(v).unwrap_or_default(), decimals))
        ));
    }
    if let Some(t) = target.and_then(|t| t.to_f64()) {
        svg.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{0:.1}\" x2=\"{1}\" y2=\"{0:.1}\" stroke=\"#D9364F\" stroke-dasharray=\"5 4\"/><text x=\"{1}\" y=\"{2:.1}\" text-anchor=\"end\" fill=\"#D9364F\">obiettivo</text>",
            y(t),
            w - right,
            y(t) - 4.0
        ));
    }
    let mut path = String::new();
    for (i, (label, v)) in points.iter().enumerate() {
        svg.push_str(&format!("<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"#5C6F82\">{}</text>", x(i), h - 12.0, esc(label)));
        match v.and_then(|d| d.to_f64()) {
            Some(val) => {
                path.push_str(&format!("{}{:.1},{:.1} ", if path.is_empty() { "M" } else { "L" }, x(i), y(val)));
                svg.push_str(&format!("<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"#0066CC\"/>", x(i), y(val)));
            }
            None => {
                if !path.is_empty() {
                    svg.push_str(&format!("<path d=\"{}\" fill=\"none\" stroke=\"#0066CC\" stroke-width=\"2\"/>", path.trim()));
                    path.clear();
                }
            }
        }
    }
    if !path.is_empty() {
        svg.push_str(&format!("<path d=\"{}\" fill=\"none\" stroke=\"#0066CC\" stroke-width=\"2\"/>", path.trim()));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_every_point_and_escapes() {
        let svg =
            trend_svg("Utenti <SAD>", &[("1/2024".into(), Some(Decimal::from(10))), ("2/2024".into(), None)], Some(Decimal::from(12)), 0);
        assert!(svg.contains("<title id=\"t\">Utenti &lt;SAD&gt;</title>"));
        assert!(svg.contains("1/2024: 10; 2/2024: dato mancante"));
        assert!(svg.contains("obiettivo"));
        assert_eq!(svg.matches("<circle").count(), 1);
    }
}
