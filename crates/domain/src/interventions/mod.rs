//! Process D of the case record: interventions on a case, with their type-specific data, the
//! split of their cost, suspensions, and the plan set against what was delivered; and the courts'
//! side of a minor's case (orders, report deadlines, placements). Pure rules: the store keeps the
//! rows, the application applies these checks before anything is written.

pub mod calendar;
pub mod courts;
pub mod monthly;
pub mod suspension;

use crate::date::Day;
use crate::fixed::{MONEY_SCALE, to_units};
use crate::number::{NumberStyle, parse_decimal};
use calendar::{add_days, day, iso};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A problem with one field of a form, named so the form can show it beside the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldError {
        FieldError { field, message: message.into() }
    }
}

/// An enumeration stored and posted as a short code, shown with an Italian label.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($variant:ident = ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// `(code, label)` pairs, for the options of a form.
            pub fn options() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|k| (k.code(), k.label())).collect()
            }
        }
    };
}
pub(crate) use coded;

coded! {
    /// What an intervention is; each kind has its own data ([`KindData`]).
    Kind {
        Contributo = ("contributo_economico", "Contributo economico"),
        Residenziale = ("inserimento_residenziale", "Inserimento residenziale"),
        Semiresidenziale = ("inserimento_semiresidenziale", "Inserimento semiresidenziale"),
        Voucher = ("voucher", "Voucher"),
        Pasti = ("pasti", "Pasti a domicilio"),
        Servizio = ("servizio", "Servizio (ore)"),
    }
}

coded! {
    /// How often an economic contribution is paid.
    Periodicity {
        UnaTantum = ("una_tantum", "Una tantum"),
        Mensile = ("mensile", "Mensile"),
        Trimestrale = ("trimestrale", "Trimestrale"),
        Annuale = ("annuale", "Annuale"),
    }
}

coded! {
    /// The unit of the planned quantity per month, which is also what a delivery counts as.
    Unit {
        Ore = ("ore", "ore"),
        Accessi = ("accessi", "accessi"),
        Giorni = ("giorni", "giorni di presenza"),
        Pasti = ("pasti", "pasti"),
        Voucher = ("voucher", "voucher"),
    }
}

impl Kind {
    /// Economic measures pay an amount, which the cost split must add up to.
    pub fn is_economic(self) -> bool {
        matches!(self, Kind::Contributo | Kind::Voucher)
    }

    pub fn default_unit(self) -> Unit {
        match self {
            Kind::Contributo | Kind::Voucher => Unit::Voucher,
            Kind::Residenziale | Kind::Semiresidenziale => Unit::Giorni,
            Kind::Pasti => Unit::Pasti,
            Kind::Servizio => Unit::Ore,
        }
    }
}

/// What one delivery event counts for, in the plan's unit: its hours when the plan is in hours,
/// else one (an access, a day of presence, a meal).
pub fn delivered_quantity(unit: Unit, hours: Decimal) -> Decimal {
    if unit == Unit::Ore { hours } else { Decimal::ONE }
}

/// The type-specific data, kept as JSON in the intervention row (`data`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum KindData {
    Contributo { periodicita: Periodicity },
    Inserimento { struttura: String, retta_giornaliera_cents: i64 },
    Voucher { valore_cents: i64, numero: i64 },
    Pasti { pasti_settimana: i64 },
    Servizio,
}

/// Who pays, in cents. Every share is zero or more.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CostSplit {
    pub ambito: i64,
    pub user: i64,
    pub health: i64,
    pub other: i64,
}

impl CostSplit {
    pub fn total(&self) -> Option<i64> {
        self.ambito.checked_add(self.user)?.checked_add(self.health)?.checked_add(self.other)
    }
}

/// An intervention as the form posts it: text, checked by [`check`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InterventionForm {
    #[serde(default)]
    pub tipo: String,
    #[serde(default)]
    pub servizio: String,
    #[serde(default)]
    pub inizio: String,
    #[serde(default)]
    pub fine: String,
    #[serde(default)]
    pub quantita_mese: String,
    #[serde(default)]
    pub unita: String,
    #[serde(default)]
    pub ente: String,
    #[serde(default)]
    pub quota_ambito: String,
    #[serde(default)]
    pub quota_utente: String,
    #[serde(default)]
    pub quota_sanitaria: String,
    #[serde(default)]
    pub quota_altri: String,
    #[serde(default)]
    pub importo: String,
    #[serde(default)]
    pub periodicita: String,
    #[serde(default)]
    pub fonte: String,
    #[serde(default)]
    pub struttura: String,
    #[serde(default)]
    pub retta: String,
    #[serde(default)]
    pub valore_voucher: String,
    #[serde(default)]
    pub numero_voucher: String,
    #[serde(default)]
    pub pasti_settimana: String,
    #[serde(default)]
    pub visibile: Option<String>,
    #[serde(default)]
    pub motivo: String,
}

/// The case an intervention belongs to, and the day the check runs.
#[derive(Debug, Clone, Copy)]
pub struct CaseSpan {
    pub opened_on: Day,
    pub closed_on: Option<Day>,
    pub today: Day,
}

/// How far ahead an intervention may be planned to start: beyond a year it is a typing mistake.
pub const FUTURE_WINDOW_DAYS: i64 = 366;

/// A checked intervention, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Intervention {
    pub kind: Kind,
    pub start_on: String,
    pub end_on: Option<String>,
    /// `None`: no plan (a blank, not a zero).
    pub planned_per_month: Option<Decimal>,
    pub unit: Unit,
    pub provider: Option<String>,
    pub split: CostSplit,
    pub amount_cents: Option<i64>,
    pub periodicity: Option<Periodicity>,
    pub funding_line: Option<String>,
    pub data: KindData,
    pub visible_to_citizen: bool,
}

/// Euros as offices write them (`1.234,56` or `1234.56`) to cents; blank is `None`.
pub fn parse_cents(field: &'static str, raw: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match parse_decimal(raw, NumberStyle::Italian) {
        Ok(v) if v < Decimal::ZERO => {
            errors.push(FieldError::new(field, "l'importo non può essere negativo"));
            None
        }
        Ok(v) => {
            let cents = to_units(v, MONEY_SCALE);
            if cents.is_none() {
                errors.push(FieldError::new(field, "al massimo due decimali (centesimi)"));
            }
            cents
        }
        Err(_) => {
            errors.push(FieldError::new(field, format!("importo non valido «{raw}»: scrivere ad esempio 1.234,56")));
            None
        }
    }
}

fn parse_count(field: &'static str, raw: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i64>() {
        Ok(v) if (0..=1_000_000).contains(&v) => Some(v),
        _ => {
            errors.push(FieldError::new(field, format!("numero intero non valido «{raw}»")));
            None
        }
    }
}

/// A required or optional ISO date of a form.
pub fn parse_day(field: &'static str, raw: &str, required: bool, errors: &mut Vec<FieldError>) -> Option<Day> {
    let raw = raw.trim();
    if raw.is_empty() {
        if required {
            errors.push(FieldError::new(field, "data obbligatoria"));
        }
        return None;
    }
    let d = day(raw);
    if d.is_none() {
        errors.push(FieldError::new(field, format!("data non valida «{raw}» (AAAA-MM-GG)")));
    }
    d
}

fn required<'a>(field: &'static str, raw: &'a str, errors: &mut Vec<FieldError>) -> &'a str {
    let v = raw.trim();
    if v.is_empty() {
        errors.push(FieldError::new(field, "campo obbligatorio"));
    }
    v
}

fn optional_text(raw: &str) -> Option<String> {
    Some(raw.trim().to_string()).filter(|s| !s.is_empty())
}

/// Checks dates against the case: start not after end, inside the case's opening and closure,
/// not more than [`FUTURE_WINDOW_DAYS`] ahead.
pub fn check_dates(start: Day, end: Option<Day>, case: &CaseSpan, errors: &mut Vec<FieldError>) {
    if start < case.opened_on {
        errors.push(FieldError::new(
            "inizio",
            format!("l'intervento non può iniziare prima dell'apertura del caso ({})", iso(case.opened_on)),
        ));
    }
    if let Some(closed) = case.closed_on {
        if start > closed {
            errors.push(FieldError::new("inizio", format!("il caso è chiuso dal {}: l'intervento non può iniziare dopo", iso(closed))));
        }
        match end {
            Some(e) if e > closed => {
                errors.push(FieldError::new("fine", format!("la fine non può seguire la chiusura del caso ({})", iso(closed))))
            }
            None => errors.push(FieldError::new("fine", format!("il caso è chiuso dal {}: indicare la fine", iso(closed)))),
            _ => {}
        }
    }
    if let Some(e) = end
        && e < start
    {
        errors.push(FieldError::new("fine", "la fine precede l'inizio"));
    }
    if add_days(case.today, FUTURE_WINDOW_DAYS).is_some_and(|limit| start > limit) {
        errors.push(FieldError::new("inizio", "inizio oltre un anno da oggi: controllare la data"));
    }
}

/// Checks every field of the form; all problems at once, each with its field.
pub fn check(form: &InterventionForm, case: &CaseSpan) -> Result<Intervention, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = Kind::from_code(form.tipo.trim());
    if kind.is_none() {
        errors.push(FieldError::new("tipo", format!("tipo di intervento sconosciuto «{}»", form.tipo.trim())));
    }
    let start = parse_day("inizio", &form.inizio, true, &mut errors);
    let end = parse_day("fine", &form.fine, false, &mut errors);
    if let Some(s) = start {
        check_dates(s, end, case, &mut errors);
    }
    let planned = match form.quantita_mese.trim() {
        "" => None,
        raw => match parse_decimal(raw, NumberStyle::Italian) {
            Ok(v) if v < Decimal::ZERO => {
                errors.push(FieldError::new("quantita_mese", "la quantità non può essere negativa"));
                None
            }
            Ok(v) if v.scale() > 4 || v > Decimal::from(1_000_000) => {
                errors.push(FieldError::new("quantita_mese", "quantità fuori misura (al massimo quattro decimali)"));
                None
            }
            Ok(v) => Some(v.normalize()),
            Err(_) => {
                errors.push(FieldError::new("quantita_mese", format!("quantità non valida «{raw}»")));
                None
            }
        },
    };
    let unit = match form.unita.trim() {
        "" => kind.map(Kind::default_unit),
        u => {
            let unit = Unit::from_code(u);
            if unit.is_none() {
                errors.push(FieldError::new("unita", format!("unità sconosciuta «{u}»")));
            }
            unit
        }
    };
    let mut split = CostSplit {
        ambito: parse_cents("quota_ambito", &form.quota_ambito, &mut errors).unwrap_or(0),
        user: parse_cents("quota_utente", &form.quota_utente, &mut errors).unwrap_or(0),
        health: parse_cents("quota_sanitaria", &form.quota_sanitaria, &mut errors).unwrap_or(0),
        other: parse_cents("quota_altri", &form.quota_altri, &mut errors).unwrap_or(0),
    };
    let mut amount = parse_cents("importo", &form.importo, &mut errors);
    let mut periodicity = None;
    let data = match kind {
        Some(Kind::Contributo) => {
            if amount.is_none() && form.importo.trim().is_empty() {
                errors.push(FieldError::new("importo", "un contributo economico ha un importo"));
            }
            periodicity = Periodicity::from_code(form.periodicita.trim());
            if periodicity.is_none() {
                errors.push(FieldError::new("periodicita", "indicare la periodicità (una tantum, mensile, trimestrale, annuale)"));
            }
            periodicity.map(|p| KindData::Contributo { periodicita: p })
        }
        Some(Kind::Residenziale | Kind::Semiresidenziale) => {
            let structure = required("struttura", &form.struttura, &mut errors).to_string();
            let rate = parse_cents("retta", &form.retta, &mut errors);
            if rate.is_none() && form.retta.trim().is_empty() {
                errors.push(FieldError::new("retta", "indicare la retta giornaliera"));
            }
            rate.map(|r| KindData::Inserimento { struttura: structure, retta_giornaliera_cents: r })
        }
        Some(Kind::Voucher) => {
            let value = parse_cents("valore_voucher", &form.valore_voucher, &mut errors);
            let count = parse_count("numero_voucher", &form.numero_voucher, &mut errors);
            if form.valore_voucher.trim().is_empty() {
                errors.push(FieldError::new("valore_voucher", "indicare il valore del voucher"));
            }
            if form.numero_voucher.trim().is_empty() {
                errors.push(FieldError::new("numero_voucher", "indicare il numero di voucher"));
            }
            match (value, count) {
                (Some(v), Some(n)) => {
                    let total = v.checked_mul(n);
                    match (total, amount) {
                        (None, _) => errors.push(FieldError::new("numero_voucher", "importo complessivo fuori misura")),
                        (Some(t), Some(a)) if t != a => errors.push(FieldError::new(
                            "importo",
                            format!(
                                "l'importo deve essere valore × numero dei voucher ({})",
                                crate::format::it_euro(crate::fixed::money_from_units(t))
                            ),
                        )),
                        (Some(t), _) => amount = Some(t),
                    }
                    Some(KindData::Voucher { valore_cents: v, numero: n })
                }
                _ => None,
            }
        }
        Some(Kind::Pasti) => {
            let meals = parse_count("pasti_settimana", &form.pasti_settimana, &mut errors);
            match meals {
                Some(m) if m > 21 => {
                    errors.push(FieldError::new("pasti_settimana", "al massimo 21 pasti alla settimana"));
                    None
                }
                Some(m) => Some(KindData::Pasti { pasti_settimana: m }),
                None => {
                    if form.pasti_settimana.trim().is_empty() {
                        errors.push(FieldError::new("pasti_settimana", "indicare i pasti alla settimana"));
                    }
                    None
                }
            }
        }
        Some(Kind::Servizio) => Some(KindData::Servizio),
        None => None,
    };
    if let Some(k) = kind {
        check_split(k, &mut split, amount, &mut errors);
    }
    if form.ente.trim().chars().count() > 200 {
        errors.push(FieldError::new("ente", "al massimo 200 caratteri"));
    }
    if form.fonte.trim().chars().count() > 200 {
        errors.push(FieldError::new("fonte", "al massimo 200 caratteri"));
    }
    match (kind, start, unit, data) {
        (Some(kind), Some(start), Some(unit), Some(data)) if errors.is_empty() => Ok(Intervention {
            kind,
            start_on: iso(start),
            end_on: end.map(iso),
            planned_per_month: planned,
            unit,
            provider: optional_text(&form.ente),
            split,
            amount_cents: amount,
            periodicity,
            funding_line: optional_text(&form.fonte),
            data,
            visible_to_citizen: form.visibile.as_deref().is_some_and(|v| !v.is_empty() && v != "0"),
        }),
        _ => Err(errors),
    }
}

/// The split of an economic measure adds up to its amount; when no share is written, the Ambito
/// pays it all. For other kinds the shares are what each party pays, and an amount written
/// beside them must be their sum.
pub fn check_split(kind: Kind, split: &mut CostSplit, amount: Option<i64>, errors: &mut Vec<FieldError>) {
    let Some(total) = split.total() else {
        errors.push(FieldError::new("quota_ambito", "quote fuori misura"));
        return;
    };
    match amount {
        Some(a) if total == 0 && kind.is_economic() => split.ambito = a,
        Some(a) if total != a && (kind.is_economic() || total != 0) => errors.push(FieldError::new(
            "quota_ambito",
            format!(
                "le quote (Ambito, utente, SSN/ASST, altri) sommano {} ma l'importo è {}",
                crate::format::it_euro(crate::fixed::money_from_units(total)),
                crate::format::it_euro(crate::fixed::money_from_units(a))
            ),
        )),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
