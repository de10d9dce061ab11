//! Resident population, ISTAT indices and target populations.

use super::{Layout, nav};
use ambito_app::reporting::queries::Demography;
use ambito_domain::demography::Index;
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
        let bands = d.pyramid.five_year_bands();
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
            pyramid_svg: ambito_render::chart::pyramid::svg(&bands),
            bands: bands.iter().map(|(l, m, f)| (l.clone(), it_count(Decimal::from(*m)), it_count(Decimal::from(*f)))).collect(),
        }
    }
}
