use super::*;
use crate::indicator::builtins;

fn d(s: &str) -> Decimal {
    s.parse().expect("test literal")
}

fn svc(code: &str, area: &str, parent: Option<&str>, indicator: Option<&str>) -> ServiceDef {
    ServiceDef {
        code: code.into(),
        name: format!("Servizio {code}"),
        area: area.into(),
        parent: parent.map(Into::into),
        indicator: indicator.map(Into::into),
    }
}

fn figs(pairs: &[(Measure, &str)], budget: Option<&str>) -> Figures {
    let mut f = Figures::default();
    for (m, v) in pairs {
        f.measures.set(*m, Some(d(v)));
    }
    f.budget = budget.map(d);
    f
}

fn input() -> ReportInput {
    use Measure::*;
    let services = vec![
        svc("SAD", "Anziani", None, Some("ore/utenti")),
        svc("SAD_PASTI", "Anziani", Some("SAD"), None),
        svc("TELE", "Anziani", None, None),
        svc("VOUCHER", "Disabilità", None, Some("beneficiari/domande")),
        svc("VOUCHER_A", "Disabilità", Some("VOUCHER"), None),
        svc("VOUCHER_B", "Disabilità", Some("VOUCHER"), None),
        svc("OLD", "Disabilità", None, None),
    ];
    let mut current = HashMap::new();
    // SAD records its own figures, which already include the meals child.
    current.insert("SAD".into(), figs(&[(Utenti, "80"), (Ore, "2172.2")], Some("9638")));
    current.insert("SAD_PASTI".into(), figs(&[(Utenti, "30")], Some("1000")));
    current.insert("TELE".into(), figs(&[(Utenti, "20")], Some("0")));
    // VOUCHER records nothing itself: it stands for the sum of its children.
    current.insert("VOUCHER_A".into(), figs(&[(Domande, "10"), (Beneficiari, "8")], Some("1030.945")));
    current.insert("VOUCHER_B".into(), figs(&[(Domande, "20"), (Beneficiari, "15")], None));
    let mut previous = HashMap::new();
    previous.insert("SAD".into(), figs(&[(Utenti, "100")], Some("9000")));
    ReportInput {
        ambito_code: "X".into(),
        ambito_name: "Ambito X".into(),
        year: 2025,
        areas: vec![
            AreaDef { name: "Anziani".into(), lettura: Some("Crescono le ore.".into()), obiettivi: vec!["Uno".into()] },
            AreaDef { name: "Disabilità".into(), ..AreaDef::default() },
            AreaDef { name: "Piano di Zona".into(), ..AreaDef::default() },
        ],
        services,
        current,
        previous: Some(previous),
        indicators: builtins(),
        spending_sources: vec!["Comune".into(), "Utenza".into()],
        spending: vec![
            SpendingLine { area: "Anziani".into(), source: "Comune".into(), amount: d("7000") },
            SpendingLine { area: "Anziani".into(), source: "Utenza".into(), amount: d("1000") },
            SpendingLine { area: "Disabilità".into(), source: "Comune".into(), amount: d("2000") },
        ],
    }
}

fn area<'a>(r: &'a AnnualReport, name: &str) -> &'a AreaSection {
    r.areas.iter().find(|a| a.name == name).expect("area present")
}

#[test]
fn a_child_is_never_counted_twice() {
    let r = assemble(&input());
    let anziani = area(&r, "Anziani");
    assert_eq!(anziani.total.measures.get(Measure::Utenti), Some(d("100")), "SAD 80 (children included) + TELE 20");
    assert_eq!(anziani.total.budget, Some(d("9638")));
    let codes: Vec<(&str, usize)> = anziani.rows.iter().map(|r| (r.code.as_str(), r.depth)).collect();
    assert_eq!(codes, vec![("SAD", 0), ("SAD_PASTI", 1), ("TELE", 0)]);
}

#[test]
fn a_blank_parent_stands_for_its_children() {
    let r = assemble(&input());
    let dis = area(&r, "Disabilità");
    let voucher = &dis.rows[0];
    assert_eq!(voucher.code, "VOUCHER");
    assert_eq!(voucher.figures.measures.get(Measure::Domande), Some(d("30")));
    assert_eq!(voucher.figures.measures.get(Measure::Beneficiari), Some(d("23")));
    assert_eq!(voucher.figures.budget, Some(d("1030.945")), "a blank budget in one child is skipped, not zeroed");
    assert_eq!(voucher.indicator.as_ref().map(|i| i.shown.text.as_str()), Some("77%"));
    assert_eq!(dis.total.measures.get(Measure::Domande), Some(d("30")));
    assert_eq!(dis.total.budget_per_user.text, "44,82 €", "1030,945 / 23 beneficiaries");
    assert!(dis.rows.iter().all(|r| r.code != "OLD"), "a service with no figures this year is left out");
}

#[test]
fn indicators_budget_per_user_and_change() {
    let r = assemble(&input());
    let sad = &area(&r, "Anziani").rows[0];
    assert_eq!(sad.indicator.as_ref().map(|i| i.shown.text.as_str()), Some("27,15"));
    assert_eq!(sad.budget_per_user.text, "120,48 €");
    assert_eq!(sad.change_users.text, "-20,0%");
    let tele = &area(&r, "Anziani").rows[2];
    assert_eq!(tele.budget_per_user.text, "- €", "a zero budget is shown as a dash");
    assert_eq!(tele.change_users.value, Value::Blank(crate::value::Blank::NoPrevious), "TELE has no row last year");
    assert!(tele.indicator.is_none());
}

#[test]
fn ambito_total_and_headline() {
    let r = assemble(&input());
    assert_eq!(r.headline.areas, 2, "an area with no services this year is not listed");
    assert_eq!(r.headline.services, 6);
    assert_eq!(r.total.measures.get(Measure::Utenti), Some(d("100")));
    assert_eq!(r.total.measures.get(Measure::Beneficiari), Some(d("23")));
    assert_eq!(r.total.measures.get(Measure::Accessi), None, "never recorded stays blank");
    assert_eq!(r.total.budget, Some(d("10668.945")));
    assert_eq!(r.headline.previous.and_then(|p| p.get(Measure::Utenti)), Some(d("100")));
}

#[test]
fn spending_shares_and_cost_per_user() {
    let r = assemble(&input());
    let s = &r.spending;
    assert_eq!(s.sources, vec!["Comune".to_string(), "Utenza".to_string()]);
    assert_eq!(s.total, d("10000"));
    assert_eq!(s.rows[0].share.text, "80,00%");
    assert_eq!(s.rows[0].cost_per_user.text, "80,00 €", "8000 over 100 users");
    assert_eq!(s.rows[1].by_source, vec![Some(d("2000")), None]);
    assert_eq!(s.rows[1].cost_per_user.text, "86,96 €", "2000 over 23 beneficiaries");
    assert_eq!(s.totals_by_source, vec![Some(d("9000")), Some(d("1000"))]);
    assert_eq!(s.source_shares[1].text, "10,00%");
}

#[test]
fn no_previous_year_means_blank_changes() {
    let mut i = input();
    i.previous = None;
    let r = assemble(&i);
    assert!(!r.has_previous);
    let sad = &area(&r, "Anziani").rows[0];
    assert_eq!(sad.change_users.value, Value::Blank(crate::value::Blank::NoPrevious));
}

#[test]
fn a_parent_cycle_does_not_hang() {
    let mut i = input();
    i.services[0].parent = Some("SAD_PASTI".into());
    let r = assemble(&i);
    assert!(r.headline.services <= 6);
}
