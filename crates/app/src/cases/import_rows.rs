//! The rows of the legacy person and case files, parsed and checked without the database: each
//! parser records every problem of its row (located to file, line and column) and returns the
//! row only when it has none. The look-ups (existing persons, services, users) come after, in
//! `import_persons` and `import_cases`.

use crate::intake::{Cells, Reported};
use crate::problems::Findings;
use ambito_domain::codice_fiscale::{CodiceFiscale, Sex};
use ambito_domain::date::{Day, parse_iso_or_italian};
use ambito_domain::registry_codes::{is_belfiore, is_istat_comune, is_istat_state};

/// The persons file, in the contract's order (docs/import-formats.md).
pub const PERSON_COLUMNS: [&str; 12] = [
    "codice_fiscale",
    "cognome",
    "nome",
    "sesso",
    "data_nascita",
    "luogo_nascita",
    "cittadinanza",
    "comune_residenza",
    "indirizzo",
    "telefono",
    "email",
    "codice_persona",
];
/// Columns a persons file must have; the others may be left out of the header.
pub const PERSON_REQUIRED: [&str; 4] = ["codice_fiscale", "cognome", "nome", "data_nascita"];

/// The cases file.
pub const CASE_COLUMNS: [&str; 8] = ["codice_fiscale", "servizio", "ente", "data_apertura", "data_chiusura", "stato", "area", "operatore"];
pub const CASE_REQUIRED: [&str; 3] = ["codice_fiscale", "servizio", "data_apertura"];

/// Longest name, address or free text kept from a legacy file.
const MAX_TEXT: usize = 200;
/// Longest pseudonymous key (as the delivery files allow).
pub const MAX_PERSON_KEY: usize = 64;

/// Column positions in [`Cells`] order: required first, then optional (see [`person_names`]).
mod p {
    pub const CF: usize = 0;
    pub const COGNOME: usize = 1;
    pub const NOME: usize = 2;
    pub const NASCITA: usize = 3;
    pub const SESSO: usize = 4;
    pub const LUOGO: usize = 5;
    pub const CITTADINANZA: usize = 6;
    pub const COMUNE: usize = 7;
    pub const INDIRIZZO: usize = 8;
    pub const TELEFONO: usize = 9;
    pub const EMAIL: usize = 10;
    pub const CODICE: usize = 11;
}

/// The persons columns as `Table::columns` returns them: the required ones, then the others.
pub fn person_names() -> (Vec<&'static str>, Vec<&'static str>) {
    let optional = PERSON_COLUMNS.iter().copied().filter(|c| !PERSON_REQUIRED.contains(c)).collect();
    (PERSON_REQUIRED.to_vec(), optional)
}

pub fn case_names() -> (Vec<&'static str>, Vec<&'static str>) {
    let optional = CASE_COLUMNS.iter().copied().filter(|c| !CASE_REQUIRED.contains(c)).collect();
    (CASE_REQUIRED.to_vec(), optional)
}

/// One valid row of a persons file. Blank optional cells are `None`: "not given", so an update
/// keeps what the registry has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonLine {
    pub line: usize,
    pub cf: String,
    pub cognome: String,
    pub nome: String,
    pub sesso: Sex,
    /// ISO `YYYY-MM-DD`.
    pub birth_date: String,
    /// The Belfiore code: the file's, else the one in the codice fiscale.
    pub birth_place: String,
    pub citizenship: Option<String>,
    pub comune: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub person_key: Option<String>,
}

fn opt(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

fn iso(d: Day) -> String {
    let n = d.yyyymmdd();
    format!("{:04}-{:02}-{:02}", n / 10000, n / 100 % 100, n % 100)
}

fn parts(d: Day) -> (i32, u8, u8) {
    let n = d.yyyymmdd();
    (d.year(), (n / 100 % 100) as u8, (n % 100) as u8)
}

/// A required text of at most [`MAX_TEXT`] characters.
fn text(c: &Cells, k: usize, what: &str, f: &mut Findings) -> Option<String> {
    let t = c.text(k);
    if t.is_empty() {
        c.error(f, k, format!("{what} obbligatorio"), format!("{what} is required"));
        return None;
    }
    short(c, k, f).then(|| t.to_string())
}

fn short(c: &Cells, k: usize, f: &mut Findings) -> bool {
    let n = c.text(k).chars().count();
    if n > MAX_TEXT {
        c.error(f, k, format!("al massimo {MAX_TEXT} caratteri (sono {n})"), format!("at most {MAX_TEXT} characters ({n} given)"));
        return false;
    }
    true
}

/// A day in `YYYY-MM-DD` or `GG/MM/AAAA`, not after `today`; `Ok(None)` when blank.
pub fn day(c: &Cells, k: usize, today: Day, f: &mut Findings) -> Result<Option<Day>, Reported> {
    let t = c.text(k);
    if t.is_empty() {
        return Ok(None);
    }
    let Some(d) = parse_iso_or_italian(t) else {
        c.error(
            f,
            k,
            format!("data non valida «{t}»: usare AAAA-MM-GG o GG/MM/AAAA"),
            format!("invalid date «{t}»: use YYYY-MM-DD or DD/MM/YYYY"),
        );
        return Err(Reported);
    };
    if d > today {
        c.error(f, k, format!("data nel futuro: {}", iso(d)), format!("date in the future: {}", iso(d)));
        return Err(Reported);
    }
    if d.year() < 1900 {
        c.error(f, k, format!("data prima del 1900: {}", iso(d)), format!("date before 1900: {}", iso(d)));
        return Err(Reported);
    }
    Ok(Some(d))
}

/// A valid codice fiscale (omocodia included).
pub fn codice_fiscale(c: &Cells, k: usize, f: &mut Findings) -> Option<CodiceFiscale> {
    let t = c.text(k);
    match CodiceFiscale::parse(t) {
        Ok(cf) => Some(cf),
        Err(e) => {
            c.error(f, k, format!("codice fiscale «{t}» non valido: {e}"), format!("invalid codice fiscale «{t}»: {e}"));
            None
        }
    }
}

/// Parses one persons row; `None` after recording every problem it has.
pub fn parse_person(c: &Cells, today: Day, f: &mut Findings) -> Option<PersonLine> {
    let before = f.errors.len();
    let cf = codice_fiscale(c, p::CF, f);
    let cognome = text(c, p::COGNOME, "cognome", f);
    let nome = text(c, p::NOME, "nome", f);
    let birth = match day(c, p::NASCITA, today, f) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            c.error(f, p::NASCITA, "data di nascita obbligatoria", "birth date is required");
            None
        }
        Err(Reported) => None,
    };
    let sesso_text = c.text(p::SESSO);
    let sesso = if sesso_text.is_empty() {
        cf.as_ref().map(CodiceFiscale::sex)
    } else {
        let s = Sex::parse(sesso_text);
        if s.is_none() {
            c.error(
                f,
                p::SESSO,
                format!("sesso «{sesso_text}» non valido: usare M o F"),
                format!("invalid sex «{sesso_text}»: use M or F"),
            );
        }
        s
    };
    if let (Some(cf), Some(birth)) = (&cf, birth) {
        let declared = (!sesso_text.is_empty()).then_some(sesso).flatten();
        for m in cf.mismatches(parts(birth), declared) {
            c.error(f, p::CF, m.to_string(), format!("the codice fiscale contradicts the declared data: {m}"));
        }
    }
    let luogo = c.text(p::LUOGO).to_ascii_uppercase();
    if !luogo.is_empty() && !is_belfiore(&luogo) {
        c.error(
            f,
            p::LUOGO,
            format!("luogo di nascita «{luogo}» non valido: atteso il codice Belfiore (una lettera e tre cifre, Z… per gli Stati esteri)"),
            format!("invalid birth place «{luogo}»: expected a Belfiore code (a letter and three digits)"),
        );
    } else if let Some(cf) = &cf
        && !luogo.is_empty()
        && luogo != cf.belfiore()
    {
        // Not an error: a Comune merged or renamed since the birth keeps its old code in the CF.
        c.warning(
            f,
            p::LUOGO,
            format!("il codice fiscale indica il luogo di nascita {}, il file {luogo}", cf.belfiore()),
            format!("the codice fiscale says birth place {}, the file {luogo}", cf.belfiore()),
        );
    }
    let cittadinanza = c.text(p::CITTADINANZA);
    if !cittadinanza.is_empty() && !is_istat_state(cittadinanza) {
        c.error(
            f,
            p::CITTADINANZA,
            format!("cittadinanza «{cittadinanza}» non valida: atteso il codice ISTAT dello Stato, tre cifre (100 = Italia)"),
            format!("invalid citizenship «{cittadinanza}»: expected the ISTAT state code, three digits (100 = Italy)"),
        );
    }
    let comune = c.text(p::COMUNE);
    if !comune.is_empty() && !is_istat_comune(comune) {
        c.error(
            f,
            p::COMUNE,
            format!("comune di residenza «{comune}» non valido: atteso il codice ISTAT del Comune, sei cifre"),
            format!("invalid Comune of residence «{comune}»: expected the six-digit ISTAT code"),
        );
    }
    short(c, p::INDIRIZZO, f);
    let phone = c.text(p::TELEFONO);
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !phone.is_empty() && (!phone.chars().all(|ch| ch.is_ascii_digit() || " +-/().".contains(ch)) || !(6..=20).contains(&digits)) {
        c.error(f, p::TELEFONO, format!("telefono «{phone}» non valido"), format!("invalid phone number «{phone}»"));
    }
    let email = c.text(p::EMAIL);
    if !email.is_empty() && !plausible_email(email) {
        c.error(f, p::EMAIL, format!("indirizzo e-mail «{email}» non valido"), format!("invalid e-mail address «{email}»"));
    }
    let key = c.text(p::CODICE);
    if key.chars().count() > MAX_PERSON_KEY || key.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
        c.error(
            f,
            p::CODICE,
            format!("codice persona non valido: al massimo {MAX_PERSON_KEY} caratteri, senza spazi"),
            format!("invalid person key: at most {MAX_PERSON_KEY} characters, no blanks"),
        );
    }
    if f.errors.len() > before {
        return None;
    }
    let (cf, cognome, nome, birth, sesso) = (cf?, cognome?, nome?, birth?, sesso?);
    Some(PersonLine {
        line: c.line,
        birth_place: if luogo.is_empty() { cf.belfiore() } else { luogo },
        cf: cf.as_str().to_string(),
        cognome,
        nome,
        sesso,
        birth_date: iso(birth),
        citizenship: opt(cittadinanza),
        comune: opt(comune),
        address: opt(c.text(p::INDIRIZZO)),
        phone: opt(phone),
        email: opt(email),
        person_key: opt(key),
    })
}

/// One `@`, something on each side, a dot in the domain, no blanks: a typo catcher, not RFC 5322.
fn plausible_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && e.len() <= MAX_TEXT
        && !e.chars().any(char::is_whitespace)
}

/// Column positions of the cases file in [`Cells`] order.
pub mod k {
    pub const CF: usize = 0;
    pub const SERVIZIO: usize = 1;
    pub const APERTURA: usize = 2;
    pub const ENTE: usize = 3;
    pub const CHIUSURA: usize = 4;
    pub const STATO: usize = 5;
    pub const AREA: usize = 6;
    pub const OPERATORE: usize = 7;
}

/// One row of a cases file, checked in itself (the look-ups come after).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseLine {
    pub line: usize,
    pub cf: String,
    pub service: String,
    pub provider: Option<String>,
    pub opened_on: String,
    pub closed_on: Option<String>,
    /// As written; blank is `None` (the import then picks `chiuso` or `erogazione`).
    pub state: Option<String>,
    pub need_area: Option<String>,
    pub manager: Option<String>,
}

pub fn parse_case(c: &Cells, today: Day, f: &mut Findings) -> Option<CaseLine> {
    let before = f.errors.len();
    let cf = codice_fiscale(c, k::CF, f);
    let service = text(c, k::SERVIZIO, "servizio", f);
    let opened = match day(c, k::APERTURA, today, f) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            c.error(f, k::APERTURA, "data di apertura obbligatoria", "opening date is required");
            None
        }
        Err(Reported) => None,
    };
    let closed = day(c, k::CHIUSURA, today, f).ok().flatten();
    if let (Some(o), Some(cl)) = (opened, closed)
        && cl < o
    {
        c.error(
            f,
            k::CHIUSURA,
            format!("chiusura ({}) prima dell'apertura ({})", iso(cl), iso(o)),
            format!("closure ({}) before the opening ({})", iso(cl), iso(o)),
        );
    }
    for col in [k::ENTE, k::AREA, k::OPERATORE] {
        short(c, col, f);
    }
    if f.errors.len() > before {
        return None;
    }
    Some(CaseLine {
        line: c.line,
        cf: cf?.as_str().to_string(),
        service: service?,
        provider: opt(c.text(k::ENTE)),
        opened_on: iso(opened?),
        closed_on: closed.map(iso),
        state: opt(&c.text(k::STATO).to_lowercase()),
        need_area: opt(c.text(k::AREA)),
        manager: opt(c.text(k::OPERATORE)),
    })
}

#[cfg(test)]
#[path = "import_rows_tests.rs"]
mod tests;
