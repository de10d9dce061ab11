//! The demo's case record: about 300 Alto Sebino persons across every area, in every state of
//! the process, with contacts, proposals, diaries and registry records. Generated from a fixed
//! seed, so every demo is the same; the counts per service stay at or under the demo report's
//! users in care (a subset of the people the report counts, never more).

use crate::{AppError, Result};
use ambito_domain::codice_fiscale::{CodiceFiscale, Sex};
use ambito_store as store;

/// (service, persons with a case, area code, youngest and oldest birth year)
const SERVICES: &[(&str, usize, &str, i32, i32)] = &[
    ("SAD", 60, "anziani", 1930, 1955),
    ("SAD_PASTI", 20, "anziani", 1930, 1950),
    ("TRASP", 15, "anziani", 1935, 1958),
    ("AES", 20, "disabili", 2008, 2019),
    ("SADH", 8, "disabili", 1970, 2005),
    ("CDD", 10, "disabili", 1965, 2003),
    ("CSE", 5, "disabili", 1975, 2004),
    ("TM", 40, "minori_famiglia", 2008, 2022),
    ("TM_AFFIDI", 8, "minori_famiglia", 2010, 2021),
    ("TM_COMUNITA", 4, "minori_famiglia", 2008, 2015),
    ("ADM", 20, "minori_famiglia", 2009, 2020),
    ("PIPPI", 5, "minori_famiglia", 2012, 2021),
    ("ADI", 40, "poverta", 1965, 2000),
    ("SIL", 20, "lavoro", 1970, 2003),
    ("TIS", 10, "lavoro", 1975, 2004),
];

/// Persons the front desk registered without a case (open proposals among them).
const REGISTRY_ONLY: usize = 20;
/// Anonymous contacts at the front office.
const ANONYMOUS_CONTACTS: usize = 120;

const SURNAMES: &[&str] = &[
    "Bonetti",
    "Zanni",
    "Martinelli",
    "Pedrocchi",
    "Figaroli",
    "Ghirardelli",
    "Cretti",
    "Baiguini",
    "Sterni",
    "Bettoni",
    "Bertoli",
    "Camplani",
    "Sina",
    "Mazzucchelli",
    "Pezzotti",
    "Zana",
    "Rota",
    "Cadei",
    "Pasinetti",
    "Bellini",
    "Colosio",
    "Rinaldi",
    "Ferrari",
    "Esposito",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Costa",
    "Giordano",
    "Mancini",
    "Rizzo",
    "Lombardi",
    "Moretti",
    "Barbieri",
    "Fontana",
    "Santoro",
    "Mariani",
    "Rinaldi",
    "Caruso",
    "Ferri",
    "Popescu",
    "El Amrani",
    "Hoxha",
    "Benali",
    "Kaur",
    "Nguyen",
    "Diallo",
    "Ionescu",
];
const MEN: &[&str] = &[
    "Mario",
    "Giuseppe",
    "Luigi",
    "Giovanni",
    "Franco",
    "Angelo",
    "Battista",
    "Pietro",
    "Luca",
    "Marco",
    "Andrea",
    "Matteo",
    "Davide",
    "Francesco",
    "Alessandro",
    "Lorenzo",
    "Tommaso",
    "Riccardo",
    "Youssef",
    "Ardit",
    "Mihai",
];
const WOMEN: &[&str] = &[
    "Maria",
    "Anna",
    "Giuseppina",
    "Rosa",
    "Angela",
    "Teresa",
    "Lucia",
    "Caterina",
    "Giulia",
    "Chiara",
    "Sara",
    "Francesca",
    "Elena",
    "Martina",
    "Sofia",
    "Aurora",
    "Alice",
    "Giorgia",
    "Fatima",
    "Elira",
    "Ioana",
];
/// (Belfiore of birth, ISTAT citizenship): mostly Bergamo's province, some born abroad.
const BIRTH: &[(&str, &str)] = &[
    ("A794", "100"),
    ("E704", "100"),
    ("D117", "100"),
    ("A794", "100"),
    ("F205", "100"),
    ("B157", "100"),
    ("A794", "100"),
    ("Z330", "436"),
    ("Z100", "201"),
    ("Z129", "235"),
];
const STATES: &[&str] = &["erogazione", "erogazione", "erogazione", "progetto", "valutazione", "sospeso", "chiuso"];
const STREETS: &[&str] =
    &["Via Roma", "Via Nazionale", "Via Lungolago", "Via Papa Giovanni XXIII", "Via Marconi", "Via San Martino", "Piazza Garibaldi"];
const DIARY: &[(&str, &str)] = &[
    ("colloquio", "Primo colloquio con la persona e un familiare: raccolti i bisogni e la rete di sostegno."),
    ("visita_domiciliare", "Visita domiciliare: abitazione adeguata, da valutare ausili per il bagno."),
    ("telefonata", "Telefonata con il medico di medicina generale per il quadro clinico generale."),
    ("riunione_equipe", "Riunione d'équipe: condiviso il progetto e la frequenza degli interventi."),
    ("nota", "Aggiornamento: la persona riferisce un miglioramento della situazione."),
];

/// A deterministic generator (xorshift), so the demo is the same on every machine.
struct Seq(u64);

impl Seq {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        lo + (self.next() % (hi - lo + 1) as u64) as i32
    }
}

/// Writes the demo record into `tx` (once: the caller checks that it is not there yet).
/// `workers` are the user ids of the Ambito's social worker and educator.
pub(crate) async fn load(tx: &mut store::AnyConnection, ambito_id: i64, workers: [i64; 2], comuni: &[String]) -> Result<usize> {
    let mut seq = Seq(0x5eb1_0a1c_0de5_2025);
    let mut n = 0usize;
    let mut used = std::collections::HashSet::new();
    for (service, count, area, lo, hi) in SERVICES {
        for i in 0..*count {
            let Some(id) = person(tx, &mut seq, &mut used, (*lo, *hi), comuni, n, workers[0]).await? else { continue };
            n += 1;
            store::register_in_ambito(tx, id, ambito_id, "2024-01-15", None).await?;
            let month = seq.range(1, 12);
            let opened = format!("{}-{month:02}-{:02}", seq.range(2023, 2025), seq.range(1, 28));
            let contact = store::NewContact {
                person_id: Some(id),
                occurred_on: &opened,
                channel: seq.word(&["sportello", "telefono", "segnalazione"]),
                requester_kind: seq.word(&["interessato", "familiare", "servizio"]),
                requester_name: None,
                need_area: area,
                reason: "Richiesta di sostegno",
                outcome: "proposta",
                referred_to: None,
                service_id: None,
            };
            let manager = workers[usize::from(i % 3 == 2)];
            let contact_id = store::add_contact(tx, ambito_id, &contact, manager).await?;
            let x = store::NewProposal {
                person_id: id,
                contact_id: Some(contact_id),
                need_area: area,
                reason: "Richiesta di sostegno",
                service_code: Some(service),
            };
            let proposal = store::add_proposal(tx, ambito_id, &x, manager).await?;
            let state = STATES[i % STATES.len()];
            let c = store::NewCase {
                person_id: id,
                ambito_id,
                service_code: Some(service),
                provider: None,
                opened_on: &opened,
                state: "valutazione",
                need_area: Some(area),
                manager_id: Some(manager),
            };
            let case = store::open_case_full(tx, &c, Some(manager)).await?;
            store::decide_proposal(tx, proposal, "accettata", None, Some(case), manager).await?;
            let path: &[&str] = match state {
                "valutazione" => &[],
                "progetto" => &["progetto"],
                "erogazione" => &["progetto", "erogazione"],
                "sospeso" => &["progetto", "erogazione", "sospeso"],
                _ => &["progetto", "erogazione", "chiuso"],
            };
            let mut from = "valutazione";
            for to in path {
                let closing = *to == "chiuso";
                let closure = closing.then_some(("obiettivi_raggiunti", "positivo"));
                store::move_case(tx, case, from, to, closing, "2026-06-30", closure, manager, None).await?;
                from = to;
            }
            for (j, (kind, body)) in DIARY.iter().enumerate().take(1 + i % DIARY.len()) {
                let e = store::NewDiaryEntry {
                    case_id: case,
                    kind: "sociale",
                    entry_type: kind,
                    occurred_on: &format!("2026-{:02}-{:02}", 1 + j, 10 + j),
                    body,
                    linked_note_id: None,
                    supersedes: None,
                };
                store::add_diary_entry(tx, &e, manager).await?;
            }
        }
    }
    for i in 0..REGISTRY_ONLY {
        let Some(id) = person(tx, &mut seq, &mut used, (1940, 2000), comuni, n, workers[0]).await? else { continue };
        n += 1;
        store::register_in_ambito(tx, id, ambito_id, "2026-10-01", None).await?;
        let area = seq.word(&["anziani", "poverta", "abitare", "disabili"]);
        let outcome = if i % 4 == 0 { "proposta" } else { seq.word(&["informazione", "orientamento"]) };
        let k = store::NewContact {
            person_id: Some(id),
            occurred_on: &format!("2026-11-{:02}", 1 + i % 28),
            channel: "sportello",
            requester_kind: "interessato",
            requester_name: None,
            need_area: area,
            reason: "Informazioni su servizi e contributi",
            outcome,
            referred_to: None,
            service_id: None,
        };
        let contact = store::add_contact(tx, ambito_id, &k, workers[0]).await?;
        if outcome == "proposta" {
            let x = store::NewProposal {
                person_id: id,
                contact_id: Some(contact),
                need_area: area,
                reason: "Valutare un sostegno domiciliare",
                service_code: None,
            };
            store::add_proposal(tx, ambito_id, &x, workers[0]).await?;
        }
    }
    for i in 0..ANONYMOUS_CONTACTS {
        let k = store::NewContact {
            person_id: None,
            occurred_on: &format!("2026-{:02}-{:02}", 1 + i % 11, 1 + i % 28),
            channel: seq.word(&["sportello", "telefono", "email"]),
            requester_kind: seq.word(&["interessato", "familiare", "altro"]),
            requester_name: None,
            need_area: seq.word(&["anziani", "poverta", "abitare", "minori_famiglia", "lavoro"]),
            reason: "Richiesta di informazioni",
            outcome: seq.word(&["informazione", "orientamento"]),
            referred_to: None,
            service_id: None,
        };
        store::add_contact(tx, ambito_id, &k, workers[0]).await?;
    }
    Ok(n)
}

/// A new demo person born between `lo` and `hi`, with a valid codice fiscale of their data and a
/// residence in one of the Ambito's Comuni. `None` when the code is taken (skipped).
async fn person(
    tx: &mut store::AnyConnection,
    seq: &mut Seq,
    used: &mut std::collections::HashSet<String>,
    (lo, hi): (i32, i32),
    comuni: &[String],
    n: usize,
    by: i64,
) -> Result<Option<i64>> {
    let sex = if seq.next().is_multiple_of(2) { Sex::M } else { Sex::F };
    let nome = *seq.pick(if sex == Sex::M { MEN } else { WOMEN });
    let cognome = *seq.pick(SURNAMES);
    let (year, month, day) = (seq.range(lo, hi), seq.range(1, 12) as u8, seq.range(1, 28) as u8);
    let (belfiore, citizenship) = *seq.pick(BIRTH);
    let cf = CodiceFiscale::compose(cognome, nome, (year, month, day), sex, belfiore)
        .ok_or_else(|| AppError::Internal("codice fiscale demo".into()))?;
    if !used.insert(cf.as_str().to_string()) || store::person_by_codice_fiscale(tx, cf.as_str()).await?.is_some() {
        return Ok(None);
    }
    let comune = comuni.get(n % comuni.len().max(1)).cloned();
    let address = format!("{} {}", seq.pick(STREETS), 1 + seq.next() % 80);
    let birth = format!("{year:04}-{month:02}-{day:02}");
    let p = store::NewPerson {
        codice_fiscale: cf.as_str(),
        cognome,
        nome,
        birth_date: &birth,
        comune_istat: comune.as_deref(),
        pseudonym: &format!("DEMO-C{:04}", n + 1),
        identity_kind: "cf",
        sesso: Some(if sex == Sex::M { "M" } else { "F" }),
        birth_place: Some(belfiore),
        citizenship: Some(citizenship),
        address: Some(&address),
        ..Default::default()
    };
    let id = store::insert_person(tx, &p).await?;
    let a = store::NewAddress {
        kind: "residenza",
        comune_istat: comune.as_deref(),
        address: &address,
        valid_from: "2015-01-01",
        valid_to: None,
    };
    store::add_address(tx, id, &a, by).await?;
    Ok(Some(id))
}
