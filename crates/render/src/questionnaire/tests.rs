use super::*;
use ambito_domain::likert::Design;
use ambito_domain::likert::report::{Header, OpenQuestion, WaveInput, WaveKind, build};

/// Two items of one scale on 4 points, the second reverse-coded.
/// Ex ante scores (raw of item 2 = 5 − score): r1 2 2, r2 3 3 → item 1 mean 2,5; scale means 2 and 3.
/// Ex post: r1 4 3, r2 3 4, r3 4 4 → item 1 mean 11/3 = 3,67.
fn report() -> QuestionnaireReport {
    let design = Design { points: 4, reverse: vec![false, true], scales: vec![vec![0, 1]] };
    let header = Header {
        ambito_code: "AT01".into(),
        ambito_name: "Ambito di prova".into(),
        code: "Q1".into(),
        title: "Prova; con separatore".into(),
        objective_code: None,
    };
    let items = vec![
        ("A".to_string(), "Chiaro".to_string(), false, Some("S1".to_string())),
        ("B".into(), "Difficile".into(), true, Some("S1".into())),
    ];
    let waves = vec![
        WaveInput {
            kind: WaveKind::ExPost,
            opens_on: "2023-10-01".into(),
            closes_on: "2023-11-30".into(),
            invited: Some(6),
            answers: vec![vec![Some(4), Some(2)], vec![Some(3), Some(1)], vec![Some(4), Some(1)]],
        },
        WaveInput {
            kind: WaveKind::ExAnte,
            opens_on: "2021-03-01".into(),
            closes_on: "2021-04-30".into(),
            invited: None,
            answers: vec![vec![Some(2), Some(3)], vec![Some(3), Some(2)]],
        },
    ];
    let open =
        vec![OpenQuestion { code: "O".into(), text: "Suggerimenti".into(), answers: vec![(WaveKind::ExPost, "Più incontri".into())] }];
    build(header, &design, &items, &[("S1".into(), "Scala".into())], waves, open)
}

#[test]
fn csv_has_a_row_per_wave_and_figure_then_the_comparison() {
    let text = String::from_utf8(questionnaire_csv(&report()).expect("csv")).expect("utf8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "ondata;tipo;codice;voce;inversa;n;tasso_risposta_pct;media;mediana;dev_std;top2_pct;alpha;risposte_1;risposte_2;risposte_3;risposte_4;differenza;ic95_inf;ic95_sup;gradi_liberta;t_critico"
    );
    // Ex ante first; item A: 2 3 → mean 2,50, median 2,50, sd √0,5 = 0,71, top-2 {3,4} 1/2 = 50,0%; no invited count.
    assert_eq!(lines[1], "Ex ante;item;A;Chiaro;;2;;2,50;2,50;0,71;50,0;;0;1;1;0;;;;;");
    // Ex post item A: 4 3 4 → mean 11/3 = 3,67, median 4,00, sd √(1/3) = 0,58, top-2 3/3; 3 of 6 invited = 50,0%.
    assert_eq!(lines[5], "Ex post;item;A;Chiaro;;3;50,0;3,67;4,00;0,58;100,0;;0;0;1;2;;;;;");
    // Item B reverse: raw 2 1 1 → scores 3 4 4, the same figures.
    assert_eq!(lines[6], "Ex post;item;B;Difficile;sì;3;50,0;3,67;4,00;0,58;100,0;;0;0;1;2;;;;;");
    // Scale ex post: person means 3,5 3,5 4 → mean 3,67, median 3,50, variance 0,1667/2, sd 0,29.
    // Item variances 1/3 and 1/3, totals 7 7 8 with variance 1/3 → alpha = 2 · (1 − (2/3)/(1/3)) = −2,00
    // (negative: the two items disagree).
    assert!(lines[7].starts_with("Ex post;scala;S1;Scala;;3;50,0;3,67;3,50;0,29;100,0;-2,00;"), "{}", lines[7]);
    // Comparison of the overall score: ex ante means 2 and 3 (mean 2,5, variance 0,5), ex post 3,5 3,5 4
    // (mean 3,6667, variance 1/12): difference 1,17; se² = 0,25 + 0,027778 = 0,277778, se 0,527046;
    // df = 0,0771605 / (0,0625/1 + 0,000771605/2) = 1,2270 → t(1) = 12,706; half width 6,69665
    // → [−5,53; 7,86].
    let overall = lines.iter().find(|l| l.starts_with("Ex ante → Ex post;complessivo")).expect("comparison row");
    assert!(overall.ends_with(";1,17;-5,53;7,86;1,2;12,706"), "{overall}");
}

#[test]
fn xlsx_has_three_sheets_with_numbers() {
    use calamine::{Data, Reader, Xlsx};
    let bytes = questionnaire_xlsx(&report()).expect("xlsx");
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("open");
    assert_eq!(wb.sheet_names(), vec!["Risultati", "Confronto", "Risposte aperte"]);
    let cmp = wb.worksheet_range("Confronto").expect("sheet");
    let overall = cmp.rows().find(|r| r.first() == Some(&Data::String("complessivo".into()))).expect("row");
    assert_eq!(overall[5], Data::Float(1.17));
    assert_eq!(overall[9], Data::Float(12.706));
    let open = wb.worksheet_range("Risposte aperte").expect("sheet");
    assert_eq!(open.get((1, 2)), Some(&Data::String("Più incontri".into())));
}

#[test]
fn texts_keep_blanks_empty_and_sign_changes() {
    use rust_decimal::Decimal;
    assert_eq!(signed_text(&Value::Number(Decimal::new(45, 2))), "+0,45");
    assert_eq!(signed_text(&Value::Number(Decimal::new(-4, 3))), "0,00");
    assert_eq!(signed_text(&Value::Number(Decimal::new(-12, 2))), "-0,12");
    let blank = Value::Blank(ambito_domain::value::Blank::NotComputable("una sola risposta".into()));
    assert_eq!(number_text(&blank, 2), "");
    assert_eq!(blank_text(&blank), "non calcolabile: una sola risposta");
}
