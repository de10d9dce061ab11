//! The rules of the case record (*Cartella Sociale*) that need no database: identities, codes,
//! vocabularies, dates and how a case may move. Each returns the Italian message a form shows
//! next to the field.

use crate::codice_fiscale::{CodiceFiscale, Sex};
use crate::date::{Day, parse_iso};
use crate::registry_codes::{is_belfiore, is_istat_comune, is_istat_state};

/// A field-level error: the form field it belongs to and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

pub fn field_error(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

/// How a person is identified: a codice fiscale, or a provisional code for someone who has none
/// (yet): STP (foreigner temporarily present), ENI (EU citizen not registered) or an internal
/// temporary code. A provisional identity is later merged into the real codice fiscale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityKind {
    Cf,
    Stp,
    Eni,
    Temp,
}

impl IdentityKind {
    pub const ALL: [IdentityKind; 4] = [IdentityKind::Cf, IdentityKind::Stp, IdentityKind::Eni, IdentityKind::Temp];

    pub fn code(self) -> &'static str {
        match self {
            IdentityKind::Cf => "cf",
            IdentityKind::Stp => "stp",
            IdentityKind::Eni => "eni",
            IdentityKind::Temp => "temp",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdentityKind::Cf => "Codice fiscale",
            IdentityKind::Stp => "STP (straniero temporaneamente presente)",
            IdentityKind::Eni => "ENI (europeo non iscritto)",
            IdentityKind::Temp => "Codice provvisorio interno",
        }
    }

    pub fn from_code(code: &str) -> Option<IdentityKind> {
        IdentityKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn provisional(self) -> bool {
        self != IdentityKind::Cf
    }
}

/// Checks an identity code against the kind and, for a codice fiscale, against the birth date
/// and sex it encodes. Returns the code as stored (upper case, no spaces).
pub fn check_identity(kind: IdentityKind, code: &str, birth: Day, sex: Option<Sex>) -> Result<String, FieldError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    match kind {
        IdentityKind::Cf => {
            let cf = CodiceFiscale::parse(&code).map_err(|e| field_error("codice_fiscale", format!("codice fiscale non valido: {e}")))?;
            let (yy, mm, dd) = (cf.birth_year_two_digits(), cf.birth_month(), cf.birth_day());
            if !cf.encodes_birth(birth.year(), birth.month(), birth.day()) {
                return Err(field_error(
                    "data_nascita",
                    format!("la data di nascita non corrisponde al codice fiscale (che indica il giorno {dd:02}/{mm:02}/..{yy:02})"),
                ));
            }
            if let Some(s) = sex
                && s != cf.sex()
            {
                return Err(field_error("sesso", "il sesso non corrisponde al codice fiscale"));
            }
            Ok(cf.as_str().to_string())
        }
        IdentityKind::Stp | IdentityKind::Eni => {
            let prefix = if kind == IdentityKind::Stp { "STP" } else { "ENI" };
            let ok = code.len() == 16 && code.starts_with(prefix) && code[3..].chars().all(|c| c.is_ascii_digit());
            if !ok {
                return Err(field_error("codice_fiscale", format!("un codice {prefix} è «{prefix}» seguito da 13 cifre")));
            }
            Ok(code)
        }
        IdentityKind::Temp => {
            let ok = code.len() >= 6 && code.len() <= 16 && code.starts_with("TMP") && code[3..].chars().all(|c| c.is_ascii_alphanumeric());
            if !ok {
                return Err(field_error("codice_fiscale", "un codice provvisorio interno è «TMP» seguito da 3–13 lettere o cifre"));
            }
            Ok(code)
        }
    }
}

/// A Belfiore code (the land register code of a Comune, or Z… for a foreign state): a letter and
/// three digits.
pub fn check_belfiore(code: &str) -> Result<String, FieldError> {
    let c = code.trim().to_uppercase();
    if is_belfiore(&c) {
        Ok(c)
    } else {
        Err(field_error("luogo_nascita", format!("«{}» non è un codice Belfiore (una lettera e tre cifre, es. A794)", code.trim())))
    }
}

/// An ISTAT state code (three digits, 100 = Italia).
pub fn check_istat_state(field: &'static str, code: &str) -> Result<String, FieldError> {
    let c = code.trim();
    if is_istat_state(c) {
        Ok(c.to_string())
    } else {
        Err(field_error(field, format!("«{c}» non è un codice ISTAT di Stato (tre cifre, 100 = Italia)")))
    }
}

/// An ISTAT Comune code (six digits).
pub fn check_istat_comune(field: &'static str, code: &str) -> Result<String, FieldError> {
    let c = code.trim();
    if is_istat_comune(c) {
        Ok(c.to_string())
    } else {
        Err(field_error(field, format!("«{c}» non è un codice ISTAT di Comune (sei cifre)")))
    }
}

/// A date typed in a form: ISO (`2025-03-01`), not after `today` unless `future_ok`.
pub fn check_date(field: &'static str, text: &str, today: Day, future_ok: bool) -> Result<Day, FieldError> {
    let d = parse_iso(text.trim()).ok_or_else(|| field_error(field, "data non valida (AAAA-MM-GG)"))?;
    if !future_ok && d > today {
        return Err(field_error(field, "la data è nel futuro"));
    }
    Ok(d)
}

/// A period `[from, to]` (`to` open: still in force).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Day,
    pub to: Option<Day>,
}

impl Period {
    fn overlaps(&self, other: &Period) -> bool {
        let a_end = self.to.map_or(i64::MAX, Day::yyyymmdd);
        let b_end = other.to.map_or(i64::MAX, Day::yyyymmdd);
        self.from.yyyymmdd() <= b_end && other.from.yyyymmdd() <= a_end
    }
}

/// What a new residence (or domicile) does to the ones on record: a new one that starts after
/// the open one ends it the day before (a move); one that overlaps a closed period, or starts on
/// or before the open one's start, is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressChange {
    /// No current address to end.
    Add,
    /// End the open address on this day, then add.
    EndCurrentOn(Day),
}

pub fn address_change(existing: &[Period], new: Period) -> Result<AddressChange, FieldError> {
    if let Some(to) = new.to
        && to < new.from
    {
        return Err(field_error("valido_al", "la fine della validità precede l'inizio"));
    }
    let mut change = AddressChange::Add;
    for p in existing {
        if p.to.is_none() && new.from > p.from {
            let end = new.from.previous();
            change = AddressChange::EndCurrentOn(end);
            continue;
        }
        if p.overlaps(&new) {
            return Err(field_error("valido_dal", "il periodo si sovrappone a un altro indirizzo dello stesso tipo"));
        }
    }
    Ok(change)
}

/// A closed list of codes with their Italian labels.
pub type Vocabulary = &'static [(&'static str, &'static str)];

pub const SEX: Vocabulary = &[("M", "Maschio"), ("F", "Femmina")];
pub const ADDRESS_KINDS: Vocabulary = &[("residenza", "Residenza"), ("domicilio", "Domicilio")];
pub const CHANNELS: Vocabulary = &[
    ("sportello", "Sportello"),
    ("telefono", "Telefono"),
    ("email", "E-mail"),
    ("domicilio", "Visita a domicilio"),
    ("segnalazione", "Segnalazione di terzi"),
];
pub const REQUESTERS: Vocabulary = &[
    ("interessato", "La persona stessa"),
    ("familiare", "Un familiare"),
    ("servizio", "Un altro servizio (ASST, scuola, medico)"),
    ("autorita", "Autorità giudiziaria o forze dell'ordine"),
    ("altro", "Altri"),
];
pub const NEED_AREAS: Vocabulary = &[
    ("minori_famiglia", "Minori e famiglia"),
    ("anziani", "Anziani"),
    ("disabili", "Disabilità"),
    ("poverta", "Povertà ed esclusione sociale"),
    ("dipendenze", "Dipendenze"),
    ("salute_mentale", "Salute mentale"),
    ("immigrazione", "Immigrazione"),
    ("abitare", "Casa e abitare"),
    ("lavoro", "Lavoro"),
];
pub const OUTCOMES: Vocabulary = &[
    ("informazione", "Informazione"),
    ("orientamento", "Orientamento"),
    ("invio", "Invio ad altro servizio"),
    ("proposta", "Proposta di presa in carico"),
];
pub const ENTRY_TYPES: Vocabulary = &[
    ("colloquio", "Colloquio"),
    ("visita_domiciliare", "Visita domiciliare"),
    ("riunione_equipe", "Riunione d'équipe"),
    ("telefonata", "Telefonata"),
    ("relazione_tribunale", "Relazione all'autorità giudiziaria"),
    ("nota", "Nota"),
];
pub const RELATIONS: Vocabulary = &[
    ("coniuge", "Coniuge / unito civilmente"),
    ("convivente", "Convivente"),
    ("figlio", "Figlio/a"),
    ("genitore", "Genitore"),
    ("fratello", "Fratello / sorella"),
    ("nonno", "Nonno/a"),
    ("altro_parente", "Altro parente"),
    ("altro", "Altra persona"),
];
pub const LEGAL_KINDS: Vocabulary =
    &[("tutela", "Tutela"), ("curatela", "Curatela"), ("amministrazione_sostegno", "Amministrazione di sostegno")];
pub const CONSENT_KINDS: Vocabulary = &[
    ("informativa_privacy", "Informativa privacy sottoscritta"),
    ("condivisione_asst", "Condivisione dei dati con l'ASST"),
    ("area_personale", "Consultazione della cartella nell'area personale"),
];
pub const DISABILITY_KINDS: Vocabulary = &[
    ("invalidita_civile", "Invalidità civile"),
    ("l104_art3c1", "L. 104/1992 art. 3 c. 1"),
    ("l104_art3c3", "L. 104/1992 art. 3 c. 3 (gravità)"),
    ("indennita_accompagnamento", "Indennità di accompagnamento"),
    ("diagnosi", "Diagnosi (ICD-10)"),
];
pub const CLOSURE_REASONS: Vocabulary = &[
    ("obiettivi_raggiunti", "Obiettivi del progetto raggiunti"),
    ("trasferimento", "Trasferimento ad altro Ambito"),
    ("rinuncia", "Rinuncia della persona"),
    ("invio_altro_servizio", "Presa in carico da altro servizio"),
    ("decesso", "Decesso"),
    ("irreperibile", "Persona irreperibile"),
    ("maggiore_eta", "Raggiunta la maggiore età"),
];
pub const CLOSURE_OUTCOMES: Vocabulary =
    &[("positivo", "Positivo"), ("parziale", "Parzialmente positivo"), ("negativo", "Negativo"), ("non_valutabile", "Non valutabile")];

/// The label of `code`, or `None` when it is not in the list.
pub fn label_of(list: Vocabulary, code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// `code` when it is in the list, else the error for `field`.
pub fn check_code(field: &'static str, list: Vocabulary, code: &str) -> Result<&'static str, FieldError> {
    list.iter()
        .find(|(c, _)| *c == code.trim())
        .map(|(c, _)| *c)
        .ok_or_else(|| field_error(field, format!("valore non ammesso: «{}»", code.trim())))
}

/// May a holder of `roles` move a case from `from` to `to`? `transitions` is the configured
/// `(from, to, role)` table.
pub fn may_move(transitions: &[(String, String, String)], from: &str, to: &str, roles: &[&str]) -> bool {
    transitions.iter().any(|(f, t, r)| f == from && t == to && roles.contains(&r.as_str()))
}

/// The closure of a case: the date may not precede the opening nor lie in the future, and the
/// reason and outcome must be from their lists.
pub fn check_closure(opened_on: Day, closed_on: Day, today: Day, reason: &str, outcome: &str) -> Result<(), FieldError> {
    if closed_on < opened_on {
        return Err(field_error("data", "la chiusura precede l'apertura del caso"));
    }
    if closed_on > today {
        return Err(field_error("data", "la data è nel futuro"));
    }
    check_code("motivo", CLOSURE_REASONS, reason)?;
    check_code("esito", CLOSURE_OUTCOMES, outcome)?;
    Ok(())
}

/// A free text that must be there and not be a novel: trimmed, 1 to `max` characters.
pub fn check_text(field: &'static str, text: &str, max: usize) -> Result<String, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(field_error(field, "campo obbligatorio"));
    }
    if t.chars().count() > max {
        return Err(field_error(field, format!("testo troppo lungo (massimo {max} caratteri)")));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        parse_iso(s).unwrap()
    }

    #[test]
    fn a_codice_fiscale_must_agree_with_birth_date_and_sex() {
        let cf = "RSSMRA85T10A562S";
        assert_eq!(check_identity(IdentityKind::Cf, "rssmra85t10a562s", day("1985-12-10"), Some(Sex::M)).unwrap(), cf);
        assert_eq!(check_identity(IdentityKind::Cf, cf, day("1985-12-11"), None).unwrap_err().field, "data_nascita");
        assert_eq!(check_identity(IdentityKind::Cf, cf, day("1985-12-10"), Some(Sex::F)).unwrap_err().field, "sesso");
        assert_eq!(check_identity(IdentityKind::Cf, "RSSMRA85T10A562X", day("1985-12-10"), None).unwrap_err().field, "codice_fiscale");
        // Omocodia: letters instead of digits in the date, same person.
        assert!(check_identity(IdentityKind::Cf, "RSSMRA85T1LA562V", day("1985-12-10"), Some(Sex::M)).is_ok());
    }

    #[test]
    fn provisional_codes_have_their_shape() {
        let d = day("1990-01-01");
        assert!(check_identity(IdentityKind::Stp, "STP0300011234567", d, None).is_ok());
        assert!(check_identity(IdentityKind::Stp, "ENI0300011234567", d, None).is_err());
        assert!(check_identity(IdentityKind::Eni, "ENI0300011234567", d, None).is_ok());
        assert!(check_identity(IdentityKind::Temp, "TMP000123", d, None).is_ok());
        assert!(check_identity(IdentityKind::Temp, "XYZ", d, None).is_err());
        assert!(IdentityKind::Temp.provisional() && !IdentityKind::Cf.provisional());
    }

    #[test]
    fn codes_of_places_and_states() {
        assert_eq!(check_belfiore("a794").unwrap(), "A794");
        assert!(check_belfiore("Z404").is_ok());
        assert!(check_belfiore("A79").is_err() && check_belfiore("1794").is_err());
        assert!(check_istat_state("cittadinanza", "100").is_ok());
        assert!(check_istat_state("cittadinanza", "IT").is_err());
        assert!(check_istat_comune("comune", "016086").is_ok());
        assert!(check_istat_comune("comune", "16086").is_err());
    }

    #[test]
    fn dates_in_the_future_are_refused_where_they_cannot_be() {
        let today = day("2026-12-03");
        assert!(check_date("data", "2026-12-03", today, false).is_ok());
        assert_eq!(check_date("data", "2026-12-04", today, false).unwrap_err().message, "la data è nel futuro");
        assert!(check_date("data", "2026-12-04", today, true).is_ok());
        assert!(check_date("data", "03/12/2026x", today, false).is_err());
    }

    #[test]
    fn a_move_ends_the_current_address_and_overlaps_are_refused() {
        let p = |f: &str, t: Option<&str>| Period { from: day(f), to: t.map(day) };
        let history = [p("2010-01-01", Some("2015-12-31")), p("2016-01-01", None)];
        assert_eq!(address_change(&history, p("2020-05-01", None)).unwrap(), AddressChange::EndCurrentOn(day("2020-04-30")));
        assert_eq!(address_change(&history, p("2014-01-01", Some("2014-06-30"))).unwrap_err().field, "valido_dal");
        assert!(address_change(&history, p("2016-01-01", None)).is_err(), "same start as the current one");
        assert!(address_change(&[], p("2020-01-01", Some("2019-01-01"))).is_err(), "end before start");
        assert_eq!(address_change(&[], p("2020-01-01", None)).unwrap(), AddressChange::Add);
        assert_eq!(address_change(&history[..1], p("2016-01-01", None)).unwrap(), AddressChange::Add);
    }

    #[test]
    fn transitions_are_gated_by_role() {
        let t = vec![("erogazione".to_string(), "chiuso".to_string(), "assistente_sociale".to_string())];
        assert!(may_move(&t, "erogazione", "chiuso", &["assistente_sociale"]));
        assert!(!may_move(&t, "erogazione", "chiuso", &["educatore"]));
        assert!(!may_move(&t, "chiuso", "erogazione", &["assistente_sociale"]));
    }

    #[test]
    fn a_closure_cannot_precede_the_opening() {
        let today = day("2026-12-03");
        assert!(check_closure(day("2024-01-01"), day("2025-01-01"), today, "rinuncia", "parziale").is_ok());
        assert_eq!(check_closure(day("2024-01-01"), day("2023-12-31"), today, "rinuncia", "parziale").unwrap_err().field, "data");
        assert_eq!(check_closure(day("2024-01-01"), day("2026-12-04"), today, "rinuncia", "parziale").unwrap_err().field, "data");
        assert_eq!(check_closure(day("2024-01-01"), day("2025-01-01"), today, "boh", "parziale").unwrap_err().field, "motivo");
    }

    #[test]
    fn vocabularies_and_texts() {
        assert_eq!(label_of(CHANNELS, "telefono"), Some("Telefono"));
        assert_eq!(check_code("canale", CHANNELS, " sportello ").unwrap(), "sportello");
        assert!(check_code("canale", CHANNELS, "piccione").is_err());
        assert_eq!(check_text("motivo", "  ciao ", 10).unwrap(), "ciao");
        assert!(check_text("motivo", "   ", 10).is_err());
        assert!(check_text("motivo", "abcdefghijk", 10).is_err());
    }
}
