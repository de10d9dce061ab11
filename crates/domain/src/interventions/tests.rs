use super::*;

fn d(s: &str) -> Day {
    day(s).expect("day")
}

fn case() -> CaseSpan {
    CaseSpan { opened_on: d("2025-01-10"), closed_on: None, today: d("2025-06-01") }
}

fn contributo() -> InterventionForm {
    InterventionForm {
        tipo: "contributo_economico".into(),
        inizio: "2025-02-01".into(),
        fine: "2025-12-31".into(),
        importo: "300,00".into(),
        periodicita: "mensile".into(),
        quota_ambito: "250".into(),
        quota_altri: "50".into(),
        fonte: "Fondo povertà".into(),
        ..Default::default()
    }
}

fn fields(r: Result<Intervention, Vec<FieldError>>) -> Vec<&'static str> {
    r.expect_err("invalid").iter().map(|e| e.field).collect()
}

#[test]
fn kinds_round_trip_and_name_their_unit() {
    for k in Kind::ALL {
        assert_eq!(Kind::from_code(k.code()), Some(*k));
    }
    assert_eq!(Kind::Servizio.default_unit(), Unit::Ore);
    assert_eq!(Kind::Residenziale.default_unit(), Unit::Giorni);
    assert!(Kind::Contributo.is_economic() && Kind::Voucher.is_economic() && !Kind::Pasti.is_economic());
    assert_eq!(Periodicity::options().len(), 4);
}

#[test]
fn an_economic_contribution_has_amount_periodicity_and_a_split_that_adds_up() {
    let i = check(&contributo(), &case()).expect("valid");
    assert_eq!(i.amount_cents, Some(30_000));
    assert_eq!(i.split, CostSplit { ambito: 25_000, user: 0, health: 0, other: 5_000 });
    assert_eq!(i.data, KindData::Contributo { periodicita: Periodicity::Mensile });
    assert_eq!(i.funding_line.as_deref(), Some("Fondo povertà"));
    assert_eq!(i.planned_per_month, None, "no plan is a blank");
    let wrong = InterventionForm { quota_altri: "40".into(), ..contributo() };
    let e = check(&wrong, &case()).expect_err("does not add up");
    assert_eq!(e[0].field, "quota_ambito");
    assert!(e[0].message.contains("290,00") && e[0].message.contains("300,00"), "{}", e[0].message);
    assert_eq!(fields(check(&InterventionForm { importo: String::new(), ..contributo() }, &case())), vec!["importo"]);
    assert_eq!(fields(check(&InterventionForm { periodicita: "settimanale".into(), ..contributo() }, &case())), vec!["periodicita"]);
}

#[test]
fn without_shares_the_ambito_pays_an_economic_measure() {
    let f = InterventionForm { quota_ambito: String::new(), quota_altri: String::new(), ..contributo() };
    assert_eq!(check(&f, &case()).expect("valid").split.ambito, 30_000);
}

#[test]
fn shares_are_never_negative_nor_fractions_of_a_cent() {
    assert_eq!(fields(check(&InterventionForm { quota_utente: "-5".into(), ..contributo() }, &case()))[0], "quota_utente");
    assert_eq!(fields(check(&InterventionForm { quota_sanitaria: "1,234".into(), ..contributo() }, &case()))[0], "quota_sanitaria");
    assert_eq!(fields(check(&InterventionForm { quota_altri: "molti".into(), ..contributo() }, &case()))[0], "quota_altri");
}

#[test]
fn a_voucher_amount_is_value_times_count() {
    let f = InterventionForm {
        tipo: "voucher".into(),
        inizio: "2025-03-01".into(),
        valore_voucher: "150".into(),
        numero_voucher: "4".into(),
        ..Default::default()
    };
    let i = check(&f, &case()).expect("valid");
    assert_eq!((i.amount_cents, i.split.ambito), (Some(60_000), 60_000));
    assert_eq!(i.data, KindData::Voucher { valore_cents: 15_000, numero: 4 });
    let wrong = InterventionForm { importo: "500".into(), ..f.clone() };
    assert_eq!(fields(check(&wrong, &case())), vec!["importo"]);
    assert_eq!(fields(check(&InterventionForm { numero_voucher: String::new(), ..f }, &case())), vec!["numero_voucher"]);
}

#[test]
fn a_placement_names_its_structure_and_daily_rate() {
    let f = InterventionForm {
        tipo: "inserimento_residenziale".into(),
        inizio: "2025-03-01".into(),
        struttura: "RSA Villa Serena".into(),
        retta: "85,50".into(),
        quantita_mese: "30".into(),
        quota_ambito: "1000".into(),
        quota_utente: "1565".into(),
        ..Default::default()
    };
    let i = check(&f, &case()).expect("valid");
    assert_eq!(i.data, KindData::Inserimento { struttura: "RSA Villa Serena".into(), retta_giornaliera_cents: 8_550 });
    assert_eq!((i.unit, i.planned_per_month), (Unit::Giorni, Some(Decimal::from(30))));
    assert_eq!(i.split.total(), Some(256_500), "non-economic shares need no amount");
    let missing = InterventionForm { struttura: " ".into(), retta: String::new(), ..f.clone() };
    assert_eq!(fields(check(&missing, &case())), vec!["struttura", "retta"]);
    let semi = InterventionForm { tipo: "inserimento_semiresidenziale".into(), importo: "100".into(), ..f };
    assert_eq!(fields(check(&semi, &case())), vec!["quota_ambito"], "an amount written beside shares must be their sum");
}

#[test]
fn meals_and_service_hours() {
    let meals = InterventionForm { tipo: "pasti".into(), inizio: "2025-02-01".into(), pasti_settimana: "5".into(), ..Default::default() };
    assert_eq!(check(&meals, &case()).expect("valid").data, KindData::Pasti { pasti_settimana: 5 });
    assert_eq!(fields(check(&InterventionForm { pasti_settimana: "30".into(), ..meals.clone() }, &case())), vec!["pasti_settimana"]);
    assert_eq!(fields(check(&InterventionForm { pasti_settimana: String::new(), ..meals }, &case())), vec!["pasti_settimana"]);
    let hours = InterventionForm {
        tipo: "servizio".into(),
        inizio: "2025-02-01".into(),
        quantita_mese: "12,5".into(),
        ente: "COOP_SEBINO".into(),
        visibile: Some("1".into()),
        ..Default::default()
    };
    let i = check(&hours, &case()).expect("valid");
    assert_eq!((i.unit, i.planned_per_month), (Unit::Ore, Some("12.5".parse().expect("dec"))));
    assert!(i.visible_to_citizen);
    assert_eq!(i.provider.as_deref(), Some("COOP_SEBINO"));
    assert_eq!(fields(check(&InterventionForm { quantita_mese: "-1".into(), ..hours.clone() }, &case())), vec!["quantita_mese"]);
    assert_eq!(fields(check(&InterventionForm { unita: "litri".into(), ..hours }, &case())), vec!["unita"]);
}

#[test]
fn dates_stay_inside_the_case_and_in_order() {
    let at = |inizio: &str, fine: &str| InterventionForm { inizio: inizio.into(), fine: fine.into(), ..contributo() };
    assert_eq!(fields(check(&at("2025-01-09", ""), &case())), vec!["inizio"], "before the opening");
    assert_eq!(fields(check(&at("2025-05-01", "2025-04-30"), &case())), vec!["fine"], "end before start");
    assert_eq!(fields(check(&at("", ""), &case())), vec!["inizio"]);
    assert_eq!(fields(check(&at("01/05/2025", ""), &case())), vec!["inizio"], "ISO dates only");
    assert_eq!(fields(check(&at("2026-06-03", ""), &case())), vec!["inizio"], "more than a year ahead");
    assert!(check(&at("2026-06-01", ""), &case()).is_ok(), "within the year ahead");
    let closed = CaseSpan { closed_on: Some(d("2025-04-30")), ..case() };
    assert_eq!(fields(check(&at("2025-05-02", "2025-05-03"), &closed)), vec!["inizio", "fine"], "after the closure");
    assert_eq!(fields(check(&at("2025-02-01", ""), &closed)), vec!["fine"], "a closed case's intervention ends");
    assert!(check(&at("2025-02-01", "2025-04-30"), &closed).is_ok());
}

#[test]
fn an_unknown_kind_is_named() {
    let e = check(&InterventionForm { tipo: "bonus".into(), ..contributo() }, &case()).expect_err("unknown");
    assert_eq!(e[0].field, "tipo");
    assert!(e[0].message.contains("bonus"));
}

#[test]
fn a_delivery_counts_its_hours_only_when_the_plan_is_in_hours() {
    let h: Decimal = "1.5".parse().expect("dec");
    assert_eq!(delivered_quantity(Unit::Ore, h), h);
    assert_eq!(delivered_quantity(Unit::Accessi, h), Decimal::ONE);
}

#[test]
fn type_data_is_stored_as_tagged_json() {
    let json = serde_json::to_string(&KindData::Contributo { periodicita: Periodicity::UnaTantum }).expect("json");
    assert_eq!(json, r#"{"tipo":"contributo","periodicita":"una_tantum"}"#);
    let back: KindData = serde_json::from_str(&json).expect("back");
    assert_eq!(back, KindData::Contributo { periodicita: Periodicity::UnaTantum });
}
