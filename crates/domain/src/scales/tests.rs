use super::form::{FieldError, FormDefinition, ItemKind, mese_anno};
use super::*;
use std::collections::BTreeMap;

fn sheet(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Every item answered with the option whose points are highest (or lowest).
fn extreme(def: &FormDefinition, highest: bool) -> BTreeMap<String, String> {
    def.items
        .iter()
        .map(|i| {
            let o = if highest { i.options.iter().max_by_key(|o| o.points) } else { i.options.iter().min_by_key(|o| o.points) };
            (i.id.clone(), o.map(|o| o.value.clone()).unwrap_or_default())
        })
        .collect()
}

fn errors_of(def: &FormDefinition, answers: &BTreeMap<String, String>) -> Vec<FieldError> {
    def.score(answers).err().unwrap_or_default()
}

#[test]
fn every_builtin_form_is_well_formed_and_its_code_is_its_scale() {
    for f in builtin_forms() {
        assert_eq!(f.check(), Ok(()), "{}", f.code);
        assert_eq!(f.code, f.scale);
        assert_eq!(f.version, 1);
    }
}

#[test]
fn barthel_bands_at_every_edge() {
    for (score, band) in [
        (0, "dipendenza totale"),
        (20, "dipendenza totale"),
        (21, "dipendenza grave"),
        (60, "dipendenza grave"),
        (61, "dipendenza moderata"),
        (90, "dipendenza moderata"),
        (91, "dipendenza lieve"),
        (95, "dipendenza lieve"),
        (99, "dipendenza lieve"),
        (100, "indipendente"),
    ] {
        assert_eq!(barthel::band(score), Some(band), "{score}");
    }
    assert_eq!(barthel::band(-1), None);
    assert_eq!(barthel::band(101), None);
}

#[test]
fn barthel_is_the_standard_ten_items_totalling_100() {
    let f = barthel::form();
    assert_eq!(f.items.len(), 10);
    let maxima: Vec<i64> = f.items.iter().map(|i| i.options.iter().filter_map(|o| o.points).max().unwrap_or(0)).collect();
    assert_eq!(maxima, vec![10, 5, 5, 10, 10, 10, 10, 15, 15, 10]);
    assert!(f.items.iter().all(|i| i.options.iter().all(|o| o.value == o.points.unwrap_or(-1).to_string())), "value = points");
    let top = f.score(&extreme(&f, true)).unwrap();
    assert_eq!((top.score, top.band.as_deref()), (Some(100), Some("indipendente")));
    let bottom = f.score(&extreme(&f, false)).unwrap();
    assert_eq!((bottom.score, bottom.band.as_deref()), (Some(0), Some("dipendenza totale")));
    // 10+5+5+10+10+10+5+10+5+5 = 75: moderate dependency.
    let mid = sheet(&[
        ("alimentazione", "10"),
        ("bagno", "5"),
        ("igiene_personale", "5"),
        ("vestirsi", "10"),
        ("controllo_intestinale", "10"),
        ("controllo_vescicale", "10"),
        ("uso_gabinetto", "5"),
        ("trasferimenti", "10"),
        ("deambulazione", "5"),
        ("scale", "5"),
    ]);
    let s = f.score(&mid).unwrap();
    assert_eq!((s.score, s.band.as_deref()), (Some(75), Some("dipendenza moderata")));
    assert_eq!(s.answers.len(), 10);
}

#[test]
fn barthel_refuses_missing_and_impossible_answers_item_by_item() {
    let f = barthel::form();
    let mut a = extreme(&f, true);
    a.remove("scale");
    a.insert("bagno".into(), "10".into()); // bathing is 0 or 5 only
    a.insert("alimentazione".into(), "abc".into());
    a.insert("sconosciuta".into(), "5".into()); // not an item: ignored
    let e = errors_of(&f, &a);
    let items: Vec<&str> = e.iter().map(|e| e.item.as_str()).collect();
    assert_eq!(items, vec!["alimentazione", "bagno", "scale"]);
    assert!(e[0].message.starts_with("«Alimentazione»: valore non previsto"), "{}", e[0].message);
    assert_eq!(e[2].message, "«Salire e scendere le scale»: risposta mancante");
}

#[test]
fn katz_scores_zero_to_six_with_its_bands() {
    let f = katz::form();
    assert_eq!((f.items.len(), f.max_points()), (6, 6));
    for (score, band) in [
        (6, "funzione piena"),
        (5, "compromissione moderata"),
        (3, "compromissione moderata"),
        (2, "compromissione grave"),
        (0, "compromissione grave"),
    ] {
        assert_eq!(katz::band(score), Some(band), "{score}");
    }
    assert_eq!(katz::band(7), None);
    assert_eq!(katz::band(-1), None);
    let mut a = extreme(&f, true);
    a.insert("continenza".into(), "0".into());
    a.insert("bagno".into(), "0".into());
    let s = f.score(&a).unwrap();
    assert_eq!((s.score, s.band.as_deref()), (Some(4), Some("compromissione moderata")));
    a.insert("vestirsi".into(), "2".into());
    assert_eq!(errors_of(&f, &a).len(), 1);
}

#[test]
fn lawton_uses_the_standard_dichotomous_scoring() {
    let f = lawton::form();
    assert_eq!((f.items.len(), f.max_points()), (8, 8));
    let all_first = f.score(&f.items.iter().map(|i| (i.id.clone(), "1".to_string())).collect()).unwrap();
    assert_eq!((all_first.score, all_first.band), (Some(8), None), "no published bands");
    assert_eq!(f.score(&extreme(&f, false)).unwrap().score, Some(0));
    // Telephone 3 (answers, does not dial) scores 1; shopping 2 (small purchases) scores 0;
    // housekeeping 4 (needs help with all tasks but takes part) scores 1; laundry 3 scores 0.
    let a = sheet(&[
        ("telefono", "3"),
        ("spesa", "2"),
        ("pasti", "1"),
        ("casa", "4"),
        ("biancheria", "3"),
        ("trasporti", "3"),
        ("farmaci", "2"),
        ("denaro", "2"),
    ]);
    assert_eq!(f.score(&a).unwrap().score, Some(5));
    let points = |item: &str| f.items.iter().find(|i| i.id == item).unwrap().options.iter().map(|o| o.points.unwrap()).collect::<Vec<_>>();
    assert_eq!(points("casa"), vec![1, 1, 1, 1, 0]);
    assert_eq!(points("trasporti"), vec![1, 1, 1, 0, 0]);
    assert_eq!(points("spesa"), vec![1, 0, 0, 0]);
}

fn sina_ok() -> BTreeMap<String, String> {
    sheet(&[
        ("Mobilita", "2"),
        ("AttivitaVitaQuotidiana", "2"),
        ("DisturbiComportamentali", "1"),
        ("AreaReddituale", "2"),
        ("AreaSupporto", "1"),
        ("FonteDerivazioneValutazione", "1"),
        ("StrumentoValutazione", "1"),
    ])
}

#[test]
fn sina_has_the_ten_attributes_with_their_enumerations() {
    let f = sina::form();
    let attrs: Vec<(&str, bool, usize)> = f.items.iter().take(10).map(|i| (i.id.as_str(), i.required, i.options.len())).collect();
    assert_eq!(
        attrs,
        vec![
            ("Mobilita", true, 3),
            ("AttivitaVitaQuotidiana", true, 3),
            ("DisturbiAreaCognitiva", false, 3),
            ("DisturbiComportamentali", true, 2),
            ("NecessitaCureSanitarie", false, 3),
            ("AreaReddituale", true, 3),
            ("AreaSupporto", true, 3),
            ("FonteDerivazioneValutazione", true, 4),
            ("StrumentoValutazione", true, 7),
            ("FonteDerivazioneInvalidita", false, 2),
        ]
    );
    let s = f.score(&sina_ok()).unwrap();
    assert_eq!((s.score, s.band), (None, None), "coded data, not a total");
    assert_eq!(s.answers.len(), 7, "blank optional attributes are left out");
}

#[test]
fn sina_values_are_literal_strings_and_lists_are_checked() {
    let f = sina::form();
    for (item, bad) in [("Mobilita", "01"), ("Mobilita", "4"), ("StrumentoValutazione", "8"), ("DisturbiAreaCognitiva", "0")] {
        let mut a = sina_ok();
        a.insert(item.into(), bad.into());
        assert_eq!(errors_of(&f, &a).iter().map(|e| e.item.as_str()).collect::<Vec<_>>(), vec![item], "{item}={bad}");
    }
    let mut a = sina_ok();
    a.remove("AreaSupporto");
    assert_eq!(errors_of(&f, &a)[0].message, "«Area del supporto»: risposta mancante");
    let mut a = sina_ok();
    a.insert("InvaliditaCivile".into(), "1, 5".into());
    a.insert("NecessitaInterventiSociali".into(), "SAD01,A1234".into());
    assert!(f.score(&a).is_ok());
    for bad in ["9", "1,1", "1,"] {
        a.insert("InvaliditaCivile".into(), bad.into());
        assert_eq!(errors_of(&f, &a).len(), 1, "{bad}");
    }
    a.insert("InvaliditaCivile".into(), "2".into());
    for bad in ["SAD", "SAD01,12345678901"] {
        a.insert("NecessitaInterventiSociali".into(), bad.into());
        assert_eq!(errors_of(&f, &a).len(), 1, "{bad}");
    }
}

fn sinba_ok() -> BTreeMap<String, String> {
    sheet(&[
        ("IDBeneficiario", "ALTO-M-0001"),
        ("MinoreStranieroNoAcc", "2"),
        ("CondizioneMinore", "1"),
        ("LuogoVita", "1"),
        ("ScuolaFrequentata", "5"),
        ("CondizioneLavoro", "1"),
        ("Disabilita", "2"),
        ("DataPrimaSegnalazione", "03/2025"),
        ("FonteSegnalazione", "13"),
        ("ValutazioneMinore", "2"),
        ("ValutazioneFamigliaMinore", "2"),
        ("SegnalazioneAutoritaGiudiziaria", "2"),
        ("ProvvedimentoGiudiziario", "2"),
        ("FasciaEtaBeneficiario", "4"),
        ("AnnoNascita", "2015"),
        ("CodiceNazioneResidenza", "380"),
        ("Prestazioni", "EDU01"),
        ("ComposizioneFamiglia", "1,2,3"),
    ])
}

#[test]
fn sinba_has_the_46_attributes_in_order_and_the_required_ones() {
    let f = sinba::form();
    let ids: Vec<&str> = f.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(&ids[..46], &sinba::ATTRIBUTES[..]);
    assert_eq!(&ids[46..], &["Prestazioni", "ComposizioneFamiglia"]);
    let mut got: Vec<String> = f.items.iter().filter(|i| i.required).map(|i| i.id.clone()).collect();
    let mut expected: Vec<String> = sinba_ok().into_keys().collect();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected, "R attributes of siuss.md §4.1 plus the two lists");
    let sizes = |id: &str| f.items.iter().find(|i| i.id == id).unwrap().options.len();
    for (id, n) in [
        ("FonteSegnalazione", 14),
        ("ValutazioneMinore", 13),
        ("ValutazioneFamigliaMinore", 13),
        ("CarattereInserimentoResidenziale", 10),
        ("LuogoVita", 8),
    ] {
        assert_eq!(sizes(id), n, "{id}");
    }
    assert!(f.score(&sinba_ok()).is_ok());
}

#[test]
fn sinba_checks_each_shape_and_every_missing_required_field() {
    let f = sinba::form();
    for (item, bad) in [
        ("IDBeneficiario", "123456789012345678901"),
        ("DataPrimaSegnalazione", "3/2025"),
        ("DataPrimaSegnalazione", "13/2025"),
        ("DataSegnalazione", "00/2020"),
        ("DataProvvedimentoGiudiziario", "01/1899"),
        ("AnnoNascita", "15"),
        ("CodiceNazioneResidenza", "38"),
        ("CodiceRegioneResidenza", "3a"),
        ("NumeroComponentiISEE", "0"),
        ("NumeroComponentiISEE", "10"),
        ("NumeroComponentiISEE", "2,5"),
        ("FasciaEtaBeneficiario", "7"),
        ("ComposizioneFamiglia", "7"),
        ("TipoDisabilita", "5"),
    ] {
        let mut a = sinba_ok();
        a.insert(item.into(), bad.into());
        assert_eq!(errors_of(&f, &a).iter().map(|e| e.item.as_str()).collect::<Vec<_>>(), vec![item], "{item}={bad}");
    }
    let mut a = sinba_ok();
    a.insert("NumeroComponentiISEE".into(), "9".into());
    a.insert("DataSegnalazione".into(), "12/2099".into());
    assert!(f.score(&a).is_ok());
    let e = errors_of(&f, &BTreeMap::new());
    assert_eq!(e.len(), 18, "every required field named: {e:?}");
    let msg =
        &errors_of(&f, &sheet(&[("NumeroComponentiISEE", "10")])).into_iter().find(|e| e.item == "NumeroComponentiISEE").unwrap().message;
    assert_eq!(msg, "«Componenti del nucleo ISEE»: fuori intervallo: indicare un valore tra 1 e 9");
}

#[test]
fn mese_anno_is_sinbas_month_and_year() {
    for ok in ["01/1900", "12/2099", "06/2025"] {
        assert!(mese_anno(ok), "{ok}");
    }
    for bad in ["1/2025", "13/2025", "00/2025", "01/1899", "01/2100", "01-2025", "012025", "01/25", " 01/2025"] {
        assert!(!mese_anno(bad), "{bad}");
    }
}

#[test]
fn a_changed_builtin_shape_is_refused() {
    let mut f = barthel::form();
    f.items.pop();
    assert!(f.check().unwrap_err().contains("Barthel"));
    let mut f = barthel::form();
    f.items[1].options[1].points = Some(7);
    assert!(f.check().is_err(), "points outside 0/5/10/15");
    let mut f = lawton::form();
    f.items[0].options[0].points = Some(2);
    assert!(f.check().is_err());
    let mut f = sina::form();
    f.items.retain(|i| i.id != "Mobilita");
    assert!(f.check().unwrap_err().contains("Mobilita"));
    let mut f = sinba::form();
    f.items[1].required = false;
    assert!(f.check().unwrap_err().contains("MinoreStranieroNoAcc"));
    let mut f = sina::form();
    f.version = 2;
    f.items[0].label = "Mobilità (rivista)".into();
    assert_eq!(f.check(), Ok(()), "a new version may reword labels");
}

#[test]
fn malformed_definitions_are_refused() {
    let mut f = katz::form();
    f.scale = "ignota".into();
    assert!(f.check().unwrap_err().contains("scala sconosciuta"));
    let mut f = katz::form();
    f.items[1].id = f.items[0].id.clone();
    assert!(f.check().is_err());
    let mut f = katz::form();
    f.items[0].kind = ItemKind::Text;
    assert!(f.check().is_err(), "options on a text item");
    let mut f = katz::form();
    f.items[0].options[1].value = "1".into();
    assert!(f.check().is_err(), "repeated option value");
    let mut f = katz::form();
    f.version = 0;
    assert!(f.check().is_err());
}

#[test]
fn a_custom_form_sums_its_points_and_reads_from_json() {
    let json = r#"{"code":"fragilita","version":1,"title":"Fragilità","scale":"somma","items":[
        {"id":"solo","label":"Vive solo","kind":"single_choice","options":[{"value":"s","label":"Sì","points":2},{"value":"n","label":"No","points":0}]},
        {"id":"eta","label":"Età","kind":"number","min":0,"max":120},
        {"id":"note","label":"Note","kind":"text","required":false}]}"#;
    let f: FormDefinition = serde_json::from_str(json).unwrap();
    assert_eq!(f.check(), Ok(()));
    let s = f.score(&sheet(&[("solo", "s"), ("eta", "82")])).unwrap();
    assert_eq!((s.score, s.band), (Some(2), None));
    let e = errors_of(&f, &sheet(&[("solo", "s"), ("eta", "130")]));
    assert_eq!(e[0].message, "«Età»: fuori intervallo: indicare un valore tra 0 e 120");
    let e = errors_of(&f, &sheet(&[("solo", "s"), ("eta", "ottanta"), ("note", &"x".repeat(2001))]));
    assert_eq!(e.len(), 2);
    for b in builtin_forms() {
        let back: FormDefinition = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
        assert_eq!(back, b, "{} survives its JSON", b.code);
    }
}
