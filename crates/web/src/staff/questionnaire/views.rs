//! Page models of the questionnaire pages. Numbers arrive as texts made by
//! `ambito_render::questionnaire`, the same texts the CSV carries.

use crate::views::{Layout, encode_segment, nav};
use ambito_app::questionnaire::design::DesignRow;
use ambito_app::questionnaire::{KIND_LIKERT, Loaded};
use ambito_domain::likert::report::{QuestionnaireReport, RowKind, WaveKind, point_labels};
use ambito_render::chart::likert::{ChangeRow, change_svg, distribution_svg};
use ambito_render::questionnaire::{ALPHA_DP, DF_DP, MEAN_DP, PCT_DP, T_DP, blank_text, number_text, percent_text, signed_text};
use askama::Template;
use askama_web::WebTemplate;

/// Rows offered by the builder; empty rows are ignored.
pub const BUILDER_ROWS: usize = 12;

fn staff_layout(title: &str, code: &str, name: &str) -> Layout {
    Layout::new(title)
        .with_ambito(code, name)
        .with_active(nav::QUESTIONARI)
        .crumb("Ambiti", Some("/"))
        .crumb(name, Some(&format!("/ambiti/{}", encode_segment(code))))
        .crumb("Questionari", Some(&format!("/ambiti/{}/questionari", encode_segment(code))))
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaire/list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub base: String,
    /// (code, title, waves, responses)
    pub rows: Vec<(String, String, usize, i64)>,
}

impl ListPage {
    pub fn new(code: &str, name: &str, rows: Vec<(String, String, usize, i64)>) -> Self {
        let mut layout = staff_layout("Questionari", code, name);
        if let Some(last) = layout.breadcrumb.last_mut() {
            last.1 = None;
        }
        ListPage { layout, base: format!("/ambiti/{}/questionari", encode_segment(code)), rows }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaire/new.html")]
pub struct NewPage {
    pub layout: Layout,
    pub action: String,
    pub code: String,
    pub title: String,
    pub intro: String,
    pub points: String,
    pub objective: String,
    pub rows: Vec<DesignRow>,
    pub errors: Vec<String>,
}

impl NewPage {
    pub fn new(code: &str, name: &str) -> Self {
        NewPage {
            layout: staff_layout("Nuovo questionario", code, name).crumb("Nuovo", None),
            action: format!("/ambiti/{}/questionari/nuovo", encode_segment(code)),
            code: String::new(),
            title: String::new(),
            intro: String::new(),
            points: "5".into(),
            objective: String::new(),
            rows: vec![DesignRow::default(); BUILDER_ROWS],
            errors: vec![],
        }
    }
}

pub struct QuestionLine {
    pub code: String,
    pub text: String,
    pub kind: &'static str,
    pub scale: String,
    pub reverse: bool,
}

pub struct WaveLine {
    pub kind: &'static str,
    pub label: &'static str,
    pub opens_on: String,
    pub closes_on: String,
    pub invited: String,
    pub tokens: i64,
    pub used: i64,
    pub responses: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaire/detail.html")]
pub struct DetailPage {
    pub layout: Layout,
    pub base: String,
    pub title: String,
    pub intro: String,
    pub points: u8,
    pub labels: Vec<&'static str>,
    pub objective: String,
    pub questions: Vec<QuestionLine>,
    pub waves: Vec<WaveLine>,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub errors: Vec<String>,
    pub notice: String,
}

impl DetailPage {
    pub fn new(l: &Loaded, waves: Vec<WaveLine>) -> Self {
        let (code, name) = (&l.ambito.code, &l.ambito.name);
        let q = &l.questionnaire;
        DetailPage {
            layout: staff_layout(&q.title, code, name).crumb(q.code.clone(), None),
            base: format!("/ambiti/{}/questionari/{}", encode_segment(code), encode_segment(&q.code)),
            title: q.title.clone(),
            intro: q.intro.clone(),
            points: l.points(),
            labels: point_labels(l.points()),
            objective: q.objective_code.clone().unwrap_or_default(),
            questions: l
                .items
                .iter()
                .map(|i| QuestionLine {
                    code: i.code.clone(),
                    text: i.text.clone(),
                    kind: if i.kind == KIND_LIKERT { "Affermazione" } else { "Domanda aperta" },
                    scale: l.scale_of(i).map(|s| s.title.clone()).unwrap_or_default(),
                    reverse: i.reverse,
                })
                .collect(),
            waves,
            kinds: WaveKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
            errors: vec![],
            notice: String::new(),
        }
    }
}

/// One question of the answer form (public page and paper entry).
pub struct FormQuestion {
    pub number: usize,
    pub code: String,
    pub text: String,
    /// Title of the scale, on the first question of each scale.
    pub heading: Option<String>,
    pub likert: bool,
    /// (value, label, checked)
    pub options: Vec<(String, &'static str, bool)>,
    pub typed: String,
}

pub fn form_questions(l: &Loaded, typed: &[(String, String)]) -> Vec<FormQuestion> {
    let labels = point_labels(l.points());
    let mut last_scale = None;
    l.items
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let likert = i.kind == KIND_LIKERT;
            let key = format!("{}{}", if likert { "i." } else { "o." }, i.code);
            let given = super::field(typed, &key).to_string();
            let scale = l.scale_of(i).map(|s| s.title.clone());
            let heading = if scale != last_scale { scale.clone() } else { None };
            last_scale = scale;
            FormQuestion {
                number: n + 1,
                code: i.code.clone(),
                text: i.text.clone(),
                heading,
                likert,
                options: if likert {
                    labels.iter().enumerate().map(|(k, lab)| ((k + 1).to_string(), *lab, given == (k + 1).to_string())).collect()
                } else {
                    vec![]
                },
                typed: if likert { String::new() } else { given },
            }
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaire/respond.html")]
pub struct RespondPage {
    pub title: String,
    pub intro: String,
    pub ambito_name: String,
    pub action: String,
    pub questions: Vec<FormQuestion>,
    pub errors: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaire/message.html")]
pub struct MessagePage {
    pub title: String,
    pub message: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaire/paper.html")]
pub struct PaperPage {
    pub layout: Layout,
    pub action: String,
    pub title: String,
    pub waves: Vec<(&'static str, &'static str, bool)>,
    pub questions: Vec<FormQuestion>,
    pub errors: Vec<String>,
    pub saved: bool,
}

impl PaperPage {
    pub fn new(l: &Loaded, wave: Option<WaveKind>, typed: &[(String, String)]) -> Self {
        let (code, name) = (&l.ambito.code, &l.ambito.name);
        let q = &l.questionnaire;
        let base = format!("/ambiti/{}/questionari/{}", encode_segment(code), encode_segment(&q.code));
        PaperPage {
            layout: staff_layout("Inserimento questionario cartaceo", code, name)
                .crumb(q.code.clone(), Some(&base))
                .crumb("Cartaceo", None),
            action: format!("{base}/cartaceo"),
            title: q.title.clone(),
            waves: l.waves.iter().filter_map(|w| WaveKind::parse(&w.kind)).map(|k| (k.code(), k.label(), Some(k) == wave)).collect(),
            questions: form_questions(l, typed),
            errors: vec![],
            saved: false,
        }
    }
}

pub struct RowView {
    pub strong: bool,
    pub code: String,
    pub label: String,
    pub reverse: bool,
    pub n: usize,
    pub rate: String,
    pub mean: String,
    pub mean_note: String,
    pub median: String,
    pub sd: String,
    pub sd_note: String,
    pub top2: String,
    pub alpha: String,
    pub alpha_note: String,
    pub distribution: Vec<usize>,
}

pub struct WaveView {
    pub label: &'static str,
    pub dates: String,
    pub invited: String,
    pub responses: usize,
    pub rate: String,
    pub rate_note: String,
    pub chart: String,
    pub rows: Vec<RowView>,
}

pub struct ChangeView {
    pub label: String,
    pub strong: bool,
    pub from: String,
    pub to: String,
    pub difference: String,
    pub low: String,
    pub high: String,
    pub df: String,
    pub t: String,
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "questionnaire/results.html")]
pub struct ResultsPage {
    pub layout: Layout,
    pub base: String,
    pub title: String,
    pub points: u8,
    pub labels: Vec<&'static str>,
    pub objective: String,
    pub waves: Vec<WaveView>,
    pub comparison: Option<(String, String, Vec<ChangeView>)>,
    pub open: Vec<(String, Vec<(&'static str, String)>)>,
}

impl ResultsPage {
    pub fn new(r: &QuestionnaireReport) -> Self {
        let base = format!("/ambiti/{}/questionari/{}", encode_segment(&r.ambito_code), encode_segment(&r.code));
        let labels = point_labels(r.points);
        let waves = r
            .waves
            .iter()
            .map(|w| {
                let rows: Vec<RowView> = r
                    .rows
                    .iter()
                    .zip(&w.figures)
                    .zip(&w.alphas)
                    .map(|((def, f), alpha)| RowView {
                        strong: def.kind != RowKind::Item,
                        code: def.code.clone(),
                        label: def.label.clone(),
                        reverse: def.reverse,
                        n: f.n,
                        rate: percent_text(&f.response_rate),
                        mean: number_text(&f.mean, MEAN_DP),
                        mean_note: blank_text(&f.mean),
                        median: number_text(&f.median, MEAN_DP),
                        sd: number_text(&f.sd, MEAN_DP),
                        sd_note: blank_text(&f.sd),
                        top2: percent_text(&f.top2),
                        alpha: alpha.as_ref().map(|a| number_text(a, ALPHA_DP)).unwrap_or_default(),
                        alpha_note: alpha.as_ref().map(blank_text).unwrap_or_default(),
                        distribution: f.distribution.clone(),
                    })
                    .collect();
                let chart_rows: Vec<(String, Vec<usize>)> =
                    r.rows.iter().zip(&w.figures).map(|(def, f)| (format!("{} {}", def.code, def.label), f.distribution.clone())).collect();
                WaveView {
                    label: w.kind.label(),
                    dates: format!("dal {} al {}", w.opens_on, w.closes_on),
                    invited: w.invited.map(|i| i.to_string()).unwrap_or_else(|| "non indicato".into()),
                    responses: w.responses,
                    rate: number_text(&w.response_rate, PCT_DP),
                    rate_note: blank_text(&w.response_rate),
                    chart: distribution_svg(
                        &format!("Distribuzione delle risposte – ondata {}", w.kind.label().to_lowercase()),
                        &labels,
                        &chart_rows,
                    ),
                    rows,
                }
            })
            .collect();
        let comparison = r.comparison.as_ref().map(|c| {
            let from = r.wave(c.from);
            let to = r.wave(c.to);
            let mean = |w: Option<&ambito_domain::likert::report::WaveColumn>, k: usize| {
                w.map(|w| number_text(&w.figures[k].mean, MEAN_DP)).unwrap_or_default()
            };
            let views = r
                .rows
                .iter()
                .zip(&c.differences)
                .enumerate()
                .map(|(k, (def, d))| ChangeView {
                    label: format!("{} {}", def.code, def.label),
                    strong: def.kind != RowKind::Item,
                    from: mean(from, k),
                    to: mean(to, k),
                    difference: signed_text(&d.difference),
                    low: number_text(&d.low, MEAN_DP),
                    high: number_text(&d.high, MEAN_DP),
                    df: number_text(&d.df, DF_DP),
                    t: number_text(&d.t, T_DP),
                    note: if d.difference.number().is_none() { blank_text(&d.difference) } else { blank_text(&d.low) },
                })
                .collect();
            let chart_rows: Vec<ChangeRow> = r
                .rows
                .iter()
                .zip(&c.differences)
                .filter(|(def, _)| def.kind != RowKind::Item)
                .map(|(def, d)| ChangeRow {
                    label: def.label.clone(),
                    difference: d.difference.number(),
                    interval: d.low.number().zip(d.high.number()),
                })
                .collect();
            let title = format!("Variazione delle medie {} → {} con intervallo al 95%", c.from.label(), c.to.label());
            (format!("{} → {}", c.from.label(), c.to.label()), change_svg(&title, &chart_rows), views)
        });
        ResultsPage {
            layout: staff_layout("Risultati del questionario", &r.ambito_code, &r.ambito_name)
                .crumb(r.code.clone(), Some(&base))
                .crumb("Risultati", None),
            base,
            title: r.title.clone(),
            points: r.points,
            labels,
            objective: r.objective_code.clone().unwrap_or_default(),
            waves,
            comparison,
            open: r
                .open_questions
                .iter()
                .map(|q| (q.text.clone(), q.answers.iter().map(|(w, a)| (w.label(), a.clone())).collect()))
                .collect(),
        }
    }
}
