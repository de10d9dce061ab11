//! Resident population, ISTAT indices and target populations.

use super::{Layout, nav};
use ambito_app::reporting::queries::Demography;
use ambito_domain::demography::{Index, Pyramid};
use ambito_domain::format::{it_count, it_number};
use ambito_domain::value::Value;
use askama::Template;
use askama_web::WebTemplate;
use rust_decimal::Decimal;

pub struct IndexLine {
    pub label: &'static str,
    pub formula: &'static str,
    pub value: String,
}

pub struct ComuneLine {
    pub name: String,
    pub istat: String,
    pub total: String,
    pub males: String,
    pub females: String,
    pub vecchiaia: String,
    pub dipendenza: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "demography.html")]
pub struct DemographyPage {
    pub layout: Layout,
    pub code: String,
    pub year: Option<i64>,
    pub years: Vec<i64>,
    pub total: String,
    pub indices: Vec<IndexLine>,
    pub comuni: Vec<ComuneLine>,
    pub targets: Vec<(String, String, String)>,
    /// (band label, males, females)
    pub bands: Vec<(String, String, String)>,
    pub pyramid_svg: String,
}

fn shown(v: &Value) -> String {
    v.number().map(|n| it_number(n, 1)).unwrap_or_else(|| "n.d.".into())
}

fn index_of(list: &[(Index, Value)], i: Index) -> String {
    list.iter().find(|(k, _)| *k == i).map(|(_, v)| shown(v)).unwrap_or_default()
}

impl DemographyPage {
    pub fn new(d: Demography) -> Self {
        let code = d.ambito.code.clone();
        let layout = Layout::new("Demografia")
            .with_ambito(&d.ambito.code, &d.ambito.name)
            .with_active(nav::DEMOGRAFIA)
            .crumb("Ambiti", Some("/"))
            .crumb(d.ambito.name.clone(), Some(&format!("/ambiti/{code}")))
            .crumb("Demografia", None);
        let bands = five_year_bands(&d.pyramid);
        DemographyPage {
            layout,
            code,
            year: d.year,
            years: d.years,
            total: it_count(Decimal::from(d.pyramid.total())),
            indices: d.indices.iter().map(|(i, v)| IndexLine { label: i.label(), formula: i.formula(), value: shown(v) }).collect(),
            comuni: d
                .comuni
                .iter()
                .map(|c| ComuneLine {
                    name: c.name.clone(),
                    istat: c.istat_code.clone(),
                    total: it_count(Decimal::from(c.total)),
                    males: it_count(Decimal::from(c.males)),
                    females: it_count(Decimal::from(c.females)),
                    vecchiaia: index_of(&c.indices, Index::Vecchiaia),
                    dipendenza: index_of(&c.indices, Index::DipendenzaStrutturale),
                })
                .collect(),
            targets: d.targets.into_iter().map(|(n, def, v)| (n, def, v.map(it_count).unwrap_or_else(|| "n.d.".into()))).collect(),
            pyramid_svg: pyramid_svg(&bands),
            bands: bands.iter().map(|(l, m, f)| (l.clone(), it_count(Decimal::from(*m)), it_count(Decimal::from(*f)))).collect(),
        }
    }
}

fn five_year_bands(p: &Pyramid) -> Vec<(String, u64, u64)> {
    (0..=20u8)
        .map(|i| {
            let lo = i * 5;
            let hi = if i == 20 { 100 } else { lo + 4 };
            let label = if i == 20 { "100+".to_string() } else { format!("{lo}-{hi}") };
            let m = (lo..=hi).map(|a| p.males[a as usize]).sum();
            let f = (lo..=hi).map(|a| p.females[a as usize]).sum();
            (label, m, f)
        })
        .collect()
}

/// An age pyramid: men to the left, women to the right, oldest band on top.
fn pyramid_svg(bands: &[(String, u64, u64)]) -> String {
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
