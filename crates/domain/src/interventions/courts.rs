//! Minors and the courts: orders of a judge about a case, the deadlines for the reports the
//! service owes the judge, and placements (residential community, foster care). Court material
//! is judicial data (GDPR art. 10): who may read it is decided by [`may_read_court_material`].

use super::calendar::{add_days, iso};
use super::{FieldError, coded, parse_day};
use crate::date::Day;
use serde::{Deserialize, Serialize};

coded! {
    Court {
        TribunaleMinorenni = ("tribunale_minorenni", "Tribunale per i Minorenni"),
        TribunaleOrdinario = ("tribunale_ordinario", "Tribunale ordinario"),
        GiudiceTutelare = ("giudice_tutelare", "Giudice tutelare"),
        Procura = ("procura", "Procura della Repubblica"),
    }
}

coded! {
    OrderKind {
        Provvisorio = ("provvisorio", "Provvisorio"),
        Definitivo = ("definitivo", "Definitivo"),
    }
}

coded! {
    PlacementKind {
        ComunitaResidenziale = ("comunita_residenziale", "Comunità residenziale"),
        AffidoFamiliare = ("affido_familiare", "Affido familiare"),
        AffidoParentale = ("affido_parentale", "Affido parentale (a parenti)"),
        Semiautonomia = ("semiautonomia", "Alloggio in semiautonomia"),
    }
}

/// Where a report deadline stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DeadlineState {
    Done,
    /// The due day has passed without the report.
    Overdue,
    /// Due today or within the window asked for.
    DueSoon,
    Later,
}

impl DeadlineState {
    pub fn label(self) -> &'static str {
        match self {
            DeadlineState::Done => "Inviata",
            DeadlineState::Overdue => "Scaduta",
            DeadlineState::DueSoon => "In scadenza",
            DeadlineState::Later => "Programmata",
        }
    }
}

pub fn deadline_state(due: Day, done: Option<Day>, today: Day, within_days: u32) -> DeadlineState {
    if done.is_some() {
        return DeadlineState::Done;
    }
    if due < today {
        return DeadlineState::Overdue;
    }
    match add_days(today, i64::from(within_days)) {
        Some(limit) if due <= limit => DeadlineState::DueSoon,
        _ => DeadlineState::Later,
    }
}

/// Does a work list "due within N days" include this deadline? Overdue ones too: they are the
/// most urgent.
pub fn is_due(due: Day, done: Option<Day>, today: Day, within_days: u32) -> bool {
    matches!(deadline_state(due, done, today, within_days), DeadlineState::Overdue | DeadlineState::DueSoon)
}

/// Court material shows only to who may write the person's record in this Ambito (the care team
/// and the Ambito's own social-work staff, or a break-glass): never to a provider (ente gestore),
/// an evaluator, or the citizen, who read through other permissions. `may_write` is that
/// decision for the caller.
pub fn may_read_court_material(may_write: bool, is_citizen_only: bool) -> bool {
    may_write && !is_citizen_only
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrderForm {
    #[serde(default)]
    pub autorita: String,
    #[serde(default)]
    pub numero: String,
    #[serde(default)]
    pub data: String,
    #[serde(default)]
    pub tipo: String,
    #[serde(default)]
    pub dispositivo: String,
    /// An optional first report deadline written with the order.
    #[serde(default)]
    pub scadenza: String,
    #[serde(default)]
    pub scadenza_cosa: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Order {
    pub court: Court,
    pub number: String,
    pub issued_on: String,
    pub kind: OrderKind,
    pub orders: String,
    pub deadline: Option<(String, String)>,
}

pub fn check_order(f: &OrderForm, today: Day) -> Result<Order, Vec<FieldError>> {
    let mut errors = Vec::new();
    let court = Court::from_code(f.autorita.trim());
    if court.is_none() {
        errors.push(FieldError::new("autorita", "scegliere l'autorità giudiziaria"));
    }
    let number = f.numero.trim();
    if number.is_empty() || number.chars().count() > 60 {
        errors.push(FieldError::new("numero", "indicare il numero del provvedimento (al massimo 60 caratteri)"));
    }
    let issued = parse_day("data", &f.data, true, &mut errors);
    if issued.is_some_and(|d| d > today) {
        errors.push(FieldError::new("data", "la data del provvedimento non può essere futura"));
    }
    let kind = OrderKind::from_code(f.tipo.trim());
    if kind.is_none() {
        errors.push(FieldError::new("tipo", "indicare se il provvedimento è provvisorio o definitivo"));
    }
    let orders = f.dispositivo.trim();
    if orders.is_empty() || orders.chars().count() > 10_000 {
        errors.push(FieldError::new("dispositivo", "indicare cosa dispone il provvedimento (al massimo 10.000 caratteri)"));
    }
    let mut deadline = None;
    if !f.scadenza.trim().is_empty() || !f.scadenza_cosa.trim().is_empty() {
        match check_deadline(issued, &f.scadenza, &f.scadenza_cosa) {
            Ok(d) => deadline = Some(d),
            Err(e) => errors.extend(e),
        }
    }
    match (court, issued, kind) {
        (Some(court), Some(issued), Some(kind)) if errors.is_empty() => {
            Ok(Order { court, number: number.to_string(), issued_on: iso(issued), kind, orders: orders.to_string(), deadline })
        }
        _ => Err(errors),
    }
}

/// A report deadline: a due day not before the order, and what is due.
pub fn check_deadline(issued: Option<Day>, due: &str, what: &str) -> Result<(String, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let due = parse_day("scadenza", due, true, &mut errors);
    if let (Some(d), Some(i)) = (due, issued)
        && d < i
    {
        errors.push(FieldError::new("scadenza", format!("la scadenza precede il provvedimento ({})", iso(i))));
    }
    let what = what.trim();
    if what.is_empty() || what.chars().count() > 500 {
        errors.push(FieldError::new("scadenza_cosa", "indicare cosa va inviato al giudice (al massimo 500 caratteri)"));
    }
    match due {
        Some(d) if errors.is_empty() => Ok((iso(d), what.to_string())),
        _ => Err(errors),
    }
}

/// The day a report was sent: any real day but a future one.
pub fn check_done(on: &str, today: Day) -> Result<String, FieldError> {
    let mut errors = Vec::new();
    let d = parse_day("inviata_il", on, true, &mut errors);
    match d {
        Some(d) if d > today => Err(FieldError::new("inviata_il", "la data di invio non può essere futura")),
        Some(d) => Ok(iso(d)),
        None => Err(errors.pop().unwrap_or_else(|| FieldError::new("inviata_il", "data obbligatoria"))),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlacementForm {
    #[serde(default)]
    pub tipo: String,
    #[serde(default)]
    pub luogo: String,
    #[serde(default)]
    pub inizio: String,
    #[serde(default)]
    pub fine: String,
    /// The id of the order that disposed it, if any.
    #[serde(default)]
    pub provvedimento: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub kind: PlacementKind,
    pub place: String,
    pub start_on: String,
    pub end_on: Option<String>,
    pub court_order_id: Option<i64>,
}

pub fn check_placement(f: &PlacementForm, case: &super::CaseSpan) -> Result<Placement, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = PlacementKind::from_code(f.tipo.trim());
    if kind.is_none() {
        errors.push(FieldError::new("tipo", "scegliere il tipo di collocamento"));
    }
    let place = f.luogo.trim();
    if place.is_empty() || place.chars().count() > 200 {
        errors.push(FieldError::new("luogo", "indicare la struttura o la famiglia (al massimo 200 caratteri)"));
    }
    let start = parse_day("inizio", &f.inizio, true, &mut errors);
    let end = parse_day("fine", &f.fine, false, &mut errors);
    if let Some(s) = start {
        super::check_dates(s, end, case, &mut errors);
    }
    let order = match f.provvedimento.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                errors.push(FieldError::new("provvedimento", "provvedimento sconosciuto"));
                None
            }
        },
    };
    match (kind, start) {
        (Some(kind), Some(start)) if errors.is_empty() => {
            Ok(Placement { kind, place: place.to_string(), start_on: iso(start), end_on: end.map(iso), court_order_id: order })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interventions::calendar::day;

    fn d(s: &str) -> Day {
        day(s).expect("day")
    }

    #[test]
    fn codes_round_trip() {
        for c in Court::ALL {
            assert_eq!(Court::from_code(c.code()), Some(*c));
        }
        assert_eq!(Court::ALL.len(), 4);
        assert_eq!(PlacementKind::from_code("affido_familiare"), Some(PlacementKind::AffidoFamiliare));
        assert_eq!(OrderKind::from_code("definitivo").map(OrderKind::label), Some("Definitivo"));
        assert_eq!(Court::from_code("tar"), None);
    }

    #[test]
    fn deadlines_are_done_overdue_due_soon_or_later() {
        let today = d("2025-06-01");
        assert_eq!(deadline_state(d("2025-05-31"), None, today, 30), DeadlineState::Overdue);
        assert_eq!(deadline_state(d("2025-06-01"), None, today, 30), DeadlineState::DueSoon, "due today");
        assert_eq!(deadline_state(d("2025-07-01"), None, today, 30), DeadlineState::DueSoon, "the 30th day");
        assert_eq!(deadline_state(d("2025-07-02"), None, today, 30), DeadlineState::Later);
        assert_eq!(deadline_state(d("2025-05-01"), Some(d("2025-04-30")), today, 30), DeadlineState::Done);
        assert!(is_due(d("2025-05-01"), None, today, 0) && !is_due(d("2025-06-02"), None, today, 0));
    }

    #[test]
    fn only_writers_who_are_not_citizens_read_court_material() {
        assert!(may_read_court_material(true, false));
        assert!(!may_read_court_material(false, false), "ente gestore, valutatore: read-only or nothing");
        assert!(!may_read_court_material(true, true));
    }

    fn order() -> OrderForm {
        OrderForm {
            autorita: "tribunale_minorenni".into(),
            numero: "123/2025 V.G.".into(),
            data: "2025-03-01".into(),
            tipo: "provvisorio".into(),
            dispositivo: "Affido al servizio sociale con collocamento in comunità.".into(),
            scadenza: "2025-06-01".into(),
            scadenza_cosa: "Relazione di aggiornamento".into(),
        }
    }

    #[test]
    fn an_order_names_its_court_number_date_kind_and_content() {
        let o = check_order(&order(), d("2025-06-01")).expect("valid");
        assert_eq!(o.court, Court::TribunaleMinorenni);
        assert_eq!(o.deadline, Some(("2025-06-01".into(), "Relazione di aggiornamento".into())));
        let bad = OrderForm { autorita: "tar".into(), numero: " ".into(), data: "2025-07-01".into(), tipo: "x".into(), ..order() };
        let fields: Vec<_> = check_order(&bad, d("2025-06-01")).expect_err("invalid").iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["autorita", "numero", "data", "tipo", "scadenza"], "the deadline precedes the future date too");
        let early = OrderForm { scadenza: "2025-02-01".into(), ..order() };
        let e = check_order(&early, d("2025-06-01")).expect_err("deadline before order");
        assert_eq!(e[0].field, "scadenza");
        let no_what = OrderForm { scadenza_cosa: String::new(), ..order() };
        assert_eq!(check_order(&no_what, d("2025-06-01")).expect_err("what")[0].field, "scadenza_cosa");
    }

    #[test]
    fn a_report_is_not_sent_in_the_future() {
        assert_eq!(check_done("2025-05-01", d("2025-06-01")), Ok("2025-05-01".into()));
        assert!(check_done("2025-06-02", d("2025-06-01")).is_err());
        assert!(check_done("ieri", d("2025-06-01")).is_err());
    }

    #[test]
    fn a_placement_stays_inside_its_case() {
        let case = super::super::CaseSpan { opened_on: d("2025-01-01"), closed_on: None, today: d("2025-06-01") };
        let f = PlacementForm {
            tipo: "affido_familiare".into(),
            luogo: "Famiglia affidataria".into(),
            inizio: "2025-02-01".into(),
            ..Default::default()
        };
        assert_eq!(check_placement(&f, &case).expect("valid").kind, PlacementKind::AffidoFamiliare);
        let before = PlacementForm { inizio: "2024-12-01".into(), ..f.clone() };
        assert_eq!(check_placement(&before, &case).expect_err("before the case")[0].field, "inizio");
        let reversed = PlacementForm { fine: "2025-01-15".into(), ..f };
        assert_eq!(check_placement(&reversed, &case).expect_err("end before start")[0].field, "fine");
    }
}
