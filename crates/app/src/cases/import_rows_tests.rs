use super::*;
use crate::intake::table::read_table;
use crate::problems::Lang;

const HEADER: &str =
    "codice_fiscale;cognome;nome;sesso;data_nascita;luogo_nascita;cittadinanza;comune_residenza;indirizzo;telefono;email;codice_persona";

fn today() -> Day {
    Day::new(2026, 12, 3).unwrap()
}

/// Parses every row of a persons file; returns the rows and the rendered errors and warnings.
fn persons(body: &str) -> (Vec<PersonLine>, Vec<String>, Vec<String>) {
    let mut f = Findings::default();
    let table = read_table("p.csv", format!("{HEADER}\n{body}\n").as_bytes(), &mut f).unwrap();
    let (req, optional) = person_names();
    let idx = table.columns(&req, &optional, &mut f).unwrap();
    let names: Vec<&str> = req.iter().chain(&optional).copied().collect();
    let mut out = Vec::new();
    for (line, cells) in &table.rows {
        let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &names };
        out.extend(parse_person(&c, today(), &mut f));
    }
    let render = |v: &[crate::problems::Problem]| v.iter().map(|e| e.render(Lang::It)).collect();
    (out, render(&f.errors), render(&f.warnings))
}

#[test]
fn a_complete_row_is_read_and_normalised() {
    let (rows, errors, warnings) =
        persons("rssmra85t10a562s;Rossi;Mario;m;10/12/1985;a562;100;016086;Via Roma 1;+39 035 123456;mario@example.it;P0001");
    assert!(errors.is_empty() && warnings.is_empty(), "{errors:?} {warnings:?}");
    let r = &rows[0];
    assert_eq!((r.line, r.cf.as_str(), r.sesso, r.birth_date.as_str()), (2, "RSSMRA85T10A562S", Sex::M, "1985-12-10"));
    assert_eq!((r.birth_place.as_str(), r.citizenship.as_deref(), r.comune.as_deref()), ("A562", Some("100"), Some("016086")));
    assert_eq!(r.person_key.as_deref(), Some("P0001"));
}

#[test]
fn blank_optional_cells_are_not_given_and_sex_and_birth_place_come_from_the_cf() {
    let (rows, errors, _) = persons("BNCLRA90E45F205D;Bianco;Laura;;1990-05-05;;;;;;;");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!((rows[0].sesso, rows[0].birth_place.as_str()), (Sex::F, "F205"));
    assert_eq!((rows[0].citizenship.clone(), rows[0].person_key.clone(), rows[0].email.clone()), (None, None, None));
}

#[test]
fn a_cf_contradicting_birth_date_or_sex_is_an_error_at_its_column() {
    let (rows, errors, _) = persons("RSSMRA85T10A562S;Rossi;Mario;F;1985-12-11;;;;;;;");
    assert!(rows.is_empty());
    assert_eq!(
        errors,
        [
            "p.csv:2:codice_fiscale: il codice fiscale indica la nascita il 10/12/85, diversa dalla data di nascita dichiarata",
            "p.csv:2:codice_fiscale: il codice fiscale indica il sesso M, diverso da quello dichiarato",
        ]
    );
    // An omocode decodes to the same data: no contradiction.
    let (rows, errors, _) = persons("RSSMRAURTMLARSNL;Rossi;Mario;M;1985-12-10;;;;;;;");
    assert!(errors.is_empty() && rows.len() == 1, "{errors:?}");
}

#[test]
fn every_problem_of_a_row_is_reported_with_its_column() {
    let (rows, errors, _) = persons("RSSMRA85T10A562X;;Mario;X;2030-01-01;5620;IT;16086;;abc;mario@;chiave con spazi");
    assert!(rows.is_empty());
    let columns: Vec<&str> = errors.iter().map(|e| e.split(':').nth(2).unwrap()).collect();
    assert_eq!(
        columns,
        [
            "codice_fiscale",
            "cognome",
            "data_nascita",
            "sesso",
            "luogo_nascita",
            "cittadinanza",
            "comune_residenza",
            "telefono",
            "email",
            "codice_persona"
        ]
    );
    assert!(errors[0].contains("carattere di controllo errato"), "{}", errors[0]);
    assert!(errors[2].contains("data nel futuro"), "{}", errors[2]);
}

#[test]
fn missing_birth_date_and_bad_dates() {
    let (_, errors, _) = persons("RSSMRA85T10A562S;Rossi;Mario;M;;;;;;;;");
    assert_eq!(errors, ["p.csv:2:data_nascita: data di nascita obbligatoria"]);
    let (_, errors, _) = persons("RSSMRA85T10A562S;Rossi;Mario;M;31/02/1985;;;;;;;");
    assert!(errors[0].contains("data non valida «31/02/1985»"), "{errors:?}");
}

#[test]
fn a_birth_place_other_than_the_cf_one_is_a_warning() {
    let (rows, errors, warnings) = persons("RSSMRA85T10A562S;Rossi;Mario;M;1985-12-10;A563;;;;;;");
    assert!(errors.is_empty());
    assert_eq!(rows[0].birth_place, "A563");
    assert_eq!(warnings, ["p.csv:2:luogo_nascita: il codice fiscale indica il luogo di nascita A562, il file A563"]);
}

#[test]
fn email_shapes() {
    for ok in ["a@b.it", "nome.cognome+x@comune.lovere.bg.it"] {
        assert!(plausible_email(ok), "{ok}");
    }
    for bad in ["", "a", "a@", "@b.it", "a@b", "a@.it", "a@b.", "a b@c.it", "a@b@c.it"] {
        assert!(!plausible_email(bad), "{bad}");
    }
}

fn cases(body: &str) -> (Vec<CaseLine>, Vec<String>) {
    let mut f = Findings::default();
    let table = read_table("c.csv", format!("{}\n{body}\n", CASE_COLUMNS.join(";")).as_bytes(), &mut f).unwrap();
    let (req, optional) = case_names();
    let idx = table.columns(&req, &optional, &mut f).unwrap();
    let names: Vec<&str> = req.iter().chain(&optional).copied().collect();
    let mut out = Vec::new();
    for (line, cells) in &table.rows {
        let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &names };
        out.extend(parse_case(&c, today(), &mut f));
    }
    (out, f.errors.iter().map(|e| e.render(Lang::It)).collect())
}

#[test]
fn case_rows() {
    let (rows, errors) = cases("RSSMRA85T10A562S;SAD;COOP;01/02/2024;2024-06-30;Chiuso;anziani;alto.assistente");
    assert!(errors.is_empty(), "{errors:?}");
    let r = &rows[0];
    assert_eq!((r.opened_on.as_str(), r.closed_on.as_deref(), r.state.as_deref()), ("2024-02-01", Some("2024-06-30"), Some("chiuso")));
    assert_eq!((r.provider.as_deref(), r.manager.as_deref()), (Some("COOP"), Some("alto.assistente")));
    let (rows, errors) = cases("RSSMRA85T10A562S;;;2024-02-01;2024-01-31;;;");
    assert!(rows.is_empty());
    assert_eq!(
        errors,
        ["c.csv:2:servizio: servizio obbligatorio", "c.csv:2:data_chiusura: chiusura (2024-01-31) prima dell'apertura (2024-02-01)"]
    );
    let (_, errors) = cases("RSSMRA85T10A562S;SAD;;2027-01-01;;;;");
    assert_eq!(errors, ["c.csv:2:data_apertura: data nel futuro: 2027-01-01"]);
}
