//! The questionnaire forms as the browser posts them: the anonymous answers, the builder, the
//! wave dates.
#![no_main]

use ambito_app::questionnaire::design::{DesignForm, parse_date, validate};
use ambito_app::questionnaire::entry::{MAX_OPEN_CHARS, parse_answers};
use ambito_app::questionnaire::{KIND_LIKERT, KIND_OPEN, Loaded};
use ambito_store::{AmbitoRow, ItemRow, QuestionnaireRow, ScaleRow};
use libfuzzer_sys::fuzz_target;

fn loaded(points: i64) -> Loaded {
    let item = |id: i64, kind: &str, reverse: bool, scale_id: Option<i64>| ItemRow {
        id,
        code: format!("D{id:02}"),
        kind: kind.into(),
        text: format!("domanda {id}"),
        reverse,
        scale_id,
    };
    Loaded {
        ambito: AmbitoRow { id: 1, code: "ALTO_SEBINO".into(), name: "Alto Sebino".into(), distretto: None, ats: None, regione: None },
        questionnaire: QuestionnaireRow {
            id: 1,
            ambito_id: 1,
            code: "Q".into(),
            title: "Q".into(),
            intro: String::new(),
            points,
            objective_code: None,
        },
        scales: vec![ScaleRow { id: 1, code: "S1".into(), title: "scala".into() }],
        items: vec![item(1, KIND_LIKERT, false, Some(1)), item(2, KIND_LIKERT, true, Some(1)), item(3, KIND_LIKERT, false, None), item(4, KIND_OPEN, false, None)],
        waves: vec![],
    }
}

fuzz_target!(|data: &[u8]| {
    let fields: Vec<(String, String)> = form_urlencoded::parse(data).into_owned().collect();
    for points in [4, 5, 7] {
        let l = loaded(points);
        if let Ok(answers) = parse_answers(&l, &fields) {
            assert!(!answers.is_empty());
            for (item, likert, open) in &answers {
                let it = l.items.iter().find(|i| i.id == *item).expect("an answer is to a known item");
                match (it.kind.as_str(), likert, open) {
                    (KIND_LIKERT, Some(v), None) => assert!((1..=points).contains(v), "{v} on {points} points"),
                    (KIND_OPEN, None, Some(t)) => assert!(!t.is_empty() && t.chars().count() <= MAX_OPEN_CHARS),
                    other => panic!("answer of the wrong kind: {other:?}"),
                }
            }
        }
    }
    // The builder, as the staff page reads its fields.
    let form = DesignForm::from_fields(&fields, 8);
    if let Ok(q) = validate(&form) {
        assert!([4, 5, 7].contains(&q.points));
        assert!(!q.code.is_empty() && q.code.len() <= 40);
        assert!(q.items.iter().any(|i| i.kind == KIND_LIKERT));
    }
    for (_, value) in fields.iter().filter(|(k, _)| k == "apertura" || k == "chiusura") {
        if let Some(d) = parse_date(value) {
            assert!(ambito_app::plan::valid_date(&d), "{d:?}");
        }
    }
});
