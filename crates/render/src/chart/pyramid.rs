//! The age pyramid of the demography page as SVG: men to the left, women to the right, one bar
//! per five-year band (`domain::demography::Pyramid::five_year_bands`). The figures are in the
//! table beside it on the page.

/// An age pyramid: men to the left, women to the right, oldest band on top.
pub fn svg(bands: &[(String, u64, u64)]) -> String {
    let max = bands.iter().map(|(_, m, f)| (*m).max(*f)).max().unwrap_or(0).max(1) as f64;
    let (w, row, mid, half) = (640.0, 16.0, 320.0, 260.0);
    let h = row * bands.len() as f64 + 40.0;
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="pyr-t pyr-d" class="chart-svg"><title id="pyr-t">Piramide per età e sesso</title><desc id="pyr-d">Residenti per classi quinquennali di età: uomini a sinistra, donne a destra. I valori sono nella tabella che segue.</desc>"##
    );
    for (i, (label, m, f)) in bands.iter().rev().enumerate() {
        let y = 20.0 + i as f64 * row;
        let wm = *m as f64 / max * half;
        let wf = *f as f64 / max * half;
        s.push_str(&format!(
            r##"<rect x="{:.1}" y="{y:.1}" width="{wm:.1}" height="{:.1}" fill="#0066CC"/><rect x="{:.1}" y="{y:.1}" width="{wf:.1}" height="{:.1}" fill="#00A3A3"/><text x="{mid}" y="{:.1}" font-size="10" text-anchor="middle" fill="#1a1a1a" font-family="Titillium Web, sans-serif">{label}</text>"##,
            mid - 22.0 - wm,
            row - 3.0,
            mid + 22.0,
            row - 3.0,
            y + row - 5.0
        ));
    }
    s.push_str(r##"<text x="80" y="14" font-size="12" fill="#0066CC" font-family="Titillium Web, sans-serif">Uomini</text><text x="560" y="14" font-size="12" fill="#007a7a" text-anchor="end" font-family="Titillium Web, sans-serif">Donne</text></svg>"##);
    s
}
