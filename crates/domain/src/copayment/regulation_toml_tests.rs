use super::*;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The example of issue 17, with a second service by bands.
pub(crate) const EXAMPLE: &str = r#"codice = "REG2025"
valido_dal = 2025-01-01

[[servizio]]
codice_servizio = "SAD"
unita = "ora"                     # ora | accesso | giorno | mese | pasto
isee_tipi = ["sociosanitario", "ordinario"]   # accepted types, in order of preference
formula = "lineare"               # lineare | quadratica | fasce
isee_esenzione = "6000.00"        # ISEE <= this: exempt, tariff 0
isee_massimo = "30000.00"
tariffa_minima = "2.00"
tariffa_massima = "18.50"
tetto_mensile = "250.00"

[[servizio]]
codice_servizio = "PASTI"
unita = "pasto"
isee_tipi = ["ordinario"]
formula = "fasce"
isee_esenzione = "5000"
isee_massimo = "40000"
tariffa_minima = "1.00"
tariffa_massima = "6.00"

[[servizio.fasce]]
fino_a = "10000"
tariffa = "2.00"

[[servizio.fasce]]
fino_a = "20000"
tariffa = "4.00"
"#;

fn issues(text: &str) -> Vec<RegulationIssue> {
    parse_regulation(text).unwrap_err()
}

fn brief(text: &str) -> Vec<(Option<usize>, Option<String>, String)> {
    issues(text).into_iter().map(|i| (i.line, i.service, i.field)).collect()
}

#[test]
fn the_issue_example_reads() {
    let reg = parse_regulation(EXAMPLE).unwrap();
    assert_eq!(reg.codice, "REG2025");
    assert_eq!(reg.valido_dal.iso(), "2025-01-01");
    assert_eq!(reg.scadenza, DueDate::FineMeseSuccessivo);
    let sad = reg.service("SAD").unwrap();
    assert_eq!(sad.unita, Unit::Ora);
    assert_eq!(sad.isee_tipi, vec![IseeType::Sociosanitario, IseeType::Ordinario]);
    assert_eq!(sad.formula, Formula::Lineare);
    assert_eq!((sad.isee_esenzione, sad.isee_massimo), (dec("6000.00"), dec("30000.00")));
    assert_eq!((sad.tariffa_minima, sad.tariffa_massima, sad.tetto_mensile), (dec("2.00"), dec("18.50"), Some(dec("250.00"))));
    let pasti = reg.service("PASTI").unwrap();
    assert_eq!(pasti.fasce.len(), 2);
    assert_eq!((pasti.fasce[1].fino_a, pasti.fasce[1].tariffa), (dec("20000"), dec("4.00")));
    assert_eq!(pasti.tetto_mensile, None);
}

#[test]
fn to_toml_reads_back_the_same() {
    let mut reg = parse_regulation(EXAMPLE).unwrap();
    reg.codice = "REG \"2025\" \\ bis".into();
    reg.scadenza = DueDate::GiorniDopoFineMese(45);
    assert_eq!(parse_regulation(&reg.to_toml()), Ok(reg));
}

#[test]
fn a_string_date_and_integer_amounts_are_read_too() {
    let text = EXAMPLE.replace("valido_dal = 2025-01-01", "valido_dal = \"2025-01-01\"\nscadenza_giorni = 30");
    let reg = parse_regulation(&text).unwrap();
    assert_eq!(reg.scadenza, DueDate::GiorniDopoFineMese(30));
    assert_eq!(reg.service("PASTI").unwrap().isee_esenzione, dec("5000"));
}

#[test]
fn the_thresholds_and_tariffs_must_be_in_order() {
    let text = EXAMPLE
        .replace("isee_massimo = \"30000.00\"", "isee_massimo = \"6000.00\"")
        .replace("tariffa_minima = \"2.00\"", "tariffa_minima = \"19\"");
    let all = issues(&text);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!((all[0].line, all[0].field.as_str()), (Some(10), "isee_massimo"));
    assert_eq!(
        all[0].to_string(),
        "riga 10: servizio SAD, «isee_massimo»: deve essere maggiore di isee_esenzione (6000.00 non è maggiore di 6000.00)"
    );
    assert_eq!((all[1].line, all[1].field.as_str()), (Some(11), "tariffa_minima"));
    assert!(all[1].message.contains("non può superare tariffa_massima"));
}

#[test]
fn bands_must_increase_and_exist() {
    let text = EXAMPLE.replace("fino_a = \"20000\"", "fino_a = \"10000\"");
    assert_eq!(brief(&text), vec![(Some(30), Some("PASTI".into()), "fasce.fino_a".into())]);
    let no_bands = EXAMPLE.split("[[servizio.fasce]]").next().unwrap().to_string();
    assert_eq!(brief(&no_bands), vec![(Some(15), Some("PASTI".into()), "fasce".into())]);
    let lineare = EXAMPLE.replace("formula = \"fasce\"", "formula = \"lineare\"");
    assert_eq!(brief(&lineare), vec![(Some(26), Some("PASTI".into()), "fasce".into())]);
    let high = EXAMPLE.replace("tariffa = \"4.00\"", "tariffa = \"7.00\"");
    assert_eq!(brief(&high), vec![(Some(30), Some("PASTI".into()), "fasce.tariffa".into())]);
}

#[test]
fn unknown_words_and_duplicates() {
    let text = EXAMPLE
        .replace("unita = \"ora\"", "unita = \"ore\"")
        .replace("formula = \"lineare\"", "formula = \"lineareee\"")
        .replace("isee_tipi = [\"ordinario\"]", "isee_tipi = [\"ordinario\", \"familiare\", \"ordinario\"]")
        .replace("codice_servizio = \"PASTI\"", "codice_servizio = \"SAD\"");
    let all = issues(&text);
    let got: Vec<(Option<usize>, &str)> = all.iter().map(|i| (i.line, i.field.as_str())).collect();
    assert_eq!(got, vec![(Some(6), "unita"), (Some(8), "formula"), (Some(16), "codice_servizio"), (Some(18), "isee_tipi")], "{all:#?}");
    assert!(all[0].message.contains("unità sconosciuta «ore»"));
    assert!(all[2].message.contains("(già alla riga 4)"), "{}", all[2].message);
    assert!(all[3].message.contains("«familiare»"));
}

#[test]
fn duplicate_types_are_refused() {
    let text = EXAMPLE.replace("isee_tipi = [\"ordinario\"]", "isee_tipi = [\"ordinario\", \"Ordinario\"]");
    assert_eq!(brief(&text), vec![(Some(18), Some("PASTI".into()), "isee_tipi".into())]);
    let empty = EXAMPLE.replace("isee_tipi = [\"ordinario\"]", "isee_tipi = []");
    assert_eq!(brief(&empty), vec![(Some(18), Some("PASTI".into()), "isee_tipi".into())]);
}

#[test]
fn negative_and_inexact_amounts() {
    let text = EXAMPLE
        .replace("tariffa_minima = \"2.00\"", "tariffa_minima = \"-2.00\"")
        .replace("tetto_mensile = \"250.00\"", "tetto_mensile = 250.5")
        .replace("tariffa_massima = \"6.00\"", "tariffa_massima = \"6.005\"")
        .replace("tariffa = \"2.00\"", "tariffa = \"dieci\"");
    let all = issues(&text);
    let got: Vec<(Option<usize>, &str)> = all.iter().map(|i| (i.line, i.field.as_str())).collect();
    assert_eq!(
        got,
        vec![(Some(11), "tariffa_minima"), (Some(13), "tetto_mensile"), (Some(23), "tariffa_massima"), (Some(27), "fasce.tariffa")]
    );
    assert!(all[0].message.contains("negativo"));
    assert!(all[1].message.contains("tra virgolette"), "{}", all[1].message);
    assert!(all[2].message.contains("due decimali"));
    let zero = EXAMPLE.replace("tetto_mensile = \"250.00\"", "tetto_mensile = \"0\"");
    assert_eq!(brief(&zero), vec![(Some(13), Some("SAD".into()), "tetto_mensile".into())]);
}

#[test]
fn missing_fields_misspelt_keys_and_bad_top_level_values() {
    let text = EXAMPLE
        .replace("codice = \"REG2025\"\n", "")
        .replace("valido_dal = 2025-01-01", "valido_dal = 2025-02-01T10:00:00")
        .replace("tetto_mensile = ", "tetto_mesile = ")
        .replace("tariffa_massima = \"18.50\"\n", "")
        .replace("[[servizio.fasce]]\nfino_a = \"10000\"", "[[servizio.fasce]]\nfino = \"10000\"");
    let all = issues(&text);
    let got: Vec<(Option<usize>, Option<&str>, &str)> = all.iter().map(|i| (i.line, i.service.as_deref(), i.field.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (None, None, "codice"),
            (Some(1), None, "valido_dal"),
            (Some(3), Some("SAD"), "tariffa_massima"),
            (Some(3), Some("SAD"), "tetto_mesile"),
            (Some(23), Some("PASTI"), "fasce.fino_a"),
            (Some(23), Some("PASTI"), "fasce.fino"),
        ],
        "{all:#?}"
    );
    assert_eq!(all[3].message, "campo sconosciuto");
    assert_eq!(all[2].message, "campo obbligatorio mancante");
}

#[test]
fn no_services_and_bad_toml() {
    assert_eq!(brief("codice = \"R\"\nvalido_dal = 2025-01-01\n"), vec![(None, None, "servizio".into())]);
    let e = issues("codice = \"R\"\nvalido_dal = 2025-01-01\n[[servizio]\n");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, Some(3));
    assert!(e[0].message.starts_with("TOML non valido"), "{}", e[0].message);
    let e = issues(&EXAMPLE.replace("valido_dal = 2025-01-01", "valido_dal = 2025-01-01\nscadenza_giorni = 0"));
    assert_eq!((e[0].line, e[0].field.as_str()), (Some(3), "scadenza_giorni"));
}
