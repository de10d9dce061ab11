//! The service catalogue every synthetic Ambito offers (the demo's services, same codes), and how
//! each service's yearly figures follow from the population it serves.

use super::population::Band;

/// The six measures, in the order of the activity file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum M {
    Utenti = 0,
    Domande = 1,
    Beneficiari = 2,
    Ore = 3,
    Accessi = 4,
    Visite = 5,
}

/// How a measure is drawn.
#[derive(Clone, Copy, Debug)]
pub enum Fig {
    /// Per 1,000 residents of a band.
    Pop(Band, f64),
    /// Per unit of another measure of the same service.
    Per(M, f64),
}

#[derive(Clone, Copy, Debug)]
pub enum Cost {
    /// EUR per unit of a measure.
    Per(M, f64),
    /// EUR per hour delivered (from the delivery events).
    Hour(f64),
    /// EUR per day of attendance (from the delivery events).
    Presence(f64),
    /// EUR plus EUR per resident.
    Fixed(f64, f64),
    /// Costs the Ambito nothing (staff paid elsewhere): `-`.
    Zero,
    /// Not known: blank.
    Unknown,
}

#[derive(Clone, Copy, Debug)]
pub enum Target {
    None,
    Named(&'static str),
    /// The Ambito's own `minori 6-13 <capoluogo>`.
    Capoluogo,
}

#[derive(Debug)]
pub struct Service {
    pub code: &'static str,
    pub name: &'static str,
    pub area: &'static str,
    pub parent: Option<&'static str>,
    /// Records its own figures, which include its children's (SAD, TM, TM_AFFIDI).
    pub inclusive: bool,
    /// Has delivery events: persons, hours and home visits come from them.
    pub events: bool,
    pub figs: &'static [(M, Fig)],
    /// `None` for a blank parent (B2, DOPO_NOI): everything blank, its children add up.
    pub cost: Option<Cost>,
    pub indicator: Option<&'static str>,
    pub target: Target,
    pub sources: &'static [(&'static str, f64)],
}

const COMUNE: &str = "Comune";
const UTENZA: &str = "Utenza";
const FSR: &str = "Fondo sociale regionale";
const FNPS: &str = "FNPS";
const FNA: &str = "Fondo non autosufficienze";
const POV: &str = "Fondo povertà";
const ENTI: &str = "Altri enti pubblici";

use Band::*;
use Fig::{Per, Pop};
use M::*;

#[allow(clippy::too_many_arguments)]
const fn s(
    code: &'static str,
    name: &'static str,
    area: &'static str,
    parent: Option<&'static str>,
    figs: &'static [(M, Fig)],
    cost: Option<Cost>,
    indicator: Option<&'static str>,
    target: Target,
    sources: &'static [(&'static str, f64)],
) -> Service {
    Service { code, name, area, parent, inclusive: false, events: false, figs, cost, indicator, target, sources }
}

const fn incl(mut x: Service) -> Service {
    x.inclusive = true;
    x
}

const fn ev(mut x: Service) -> Service {
    x.events = true;
    x
}

const ANZ: &str = "Anziani";
const DIS: &str = "Disabilità";
const MIN: &str = "Minori e Famiglia";
const INC: &str = "Inclusione Sociale";
const PDZ: &str = "Piano di Zona";
const N: Target = Target::None;
const BD: Option<&str> = Some("beneficiari/domande");
const OU: Option<&str> = Some("ore/utenti");
const UT: Option<&str> = Some("utenti/target_x1000");

/// Parents come before their children; the order is the order of the activity file.
#[rustfmt::skip]
pub const CATALOGUE: [Service; 36] = [
    incl(ev(s("SAD", "Servizio di Assistenza Domiciliare (SAD)", ANZ, None,
        &[(Domande, Pop(Over75, 12.0))], Some(Cost::Hour(23.5)), OU, N, &[(COMUNE, 0.7), (UTENZA, 0.22), (FNA, 0.08)]))),
    s("SAD_PASTI", "Pasti a domicilio", ANZ, Some("SAD"),
        &[(Utenti, Pop(Over75, 10.2)), (Domande, Pop(Over75, 3.1)), (Accessi, Per(Utenti, 243.0))],
        Some(Cost::Per(Utenti, 920.0)), UT, Target::Named("anziani 75+"), &[(COMUNE, 0.45), (UTENZA, 0.55)]),
    s("SAD_TELESOCC", "Telesoccorso", ANZ, Some("SAD"), &[(Utenti, Pop(Over75, 15.0)), (Domande, Pop(Over75, 2.6))],
        Some(Cost::Per(Utenti, 193.0)), UT, Target::Named("anziani 75+"), &[(COMUNE, 0.7), (UTENZA, 0.3)]),
    s("TRASP", "Trasporto sociale", ANZ, None, &[(Utenti, Pop(Over65, 9.5)), (Accessi, Per(Utenti, 44.0))],
        Some(Cost::Per(Accessi, 12.8)), None, N, &[(COMUNE, 0.85), (UTENZA, 0.15)]),
    s("B2", "Misura B2 - Fondo Non Autosufficienze", ANZ, None, &[], None, None, N, &[]),
    s("B2_CAREGIVER", "Buono sociale caregiver familiare (B2)", ANZ, Some("B2"),
        &[(Domande, Pop(Over75, 11.0)), (Beneficiari, Pop(Over75, 12.5))], Some(Cost::Per(Beneficiari, 955.0)), BD, N, &[(FNA, 1.0)]),
    s("B2_VOUCHER", "Voucher sociale per l'assistenza domiciliare (B2)", ANZ, Some("B2"),
        &[(Domande, Pop(Over75, 7.6)), (Beneficiari, Pop(Over75, 5.0))], Some(Cost::Per(Beneficiari, 1200.0)), BD, N, &[(FNA, 1.0)]),
    s("SOLLIEVO", "Ricoveri temporanei di sollievo in RSA", ANZ, None, &[(Domande, Pop(Over75, 4.3)), (Beneficiari, Pop(Over75, 3.6))],
        Some(Cost::Per(Beneficiari, 900.0)), BD, N, &[(COMUNE, 0.45), (UTENZA, 0.25), (FNA, 0.3)]),
    s("INT_RETTE", "Integrazione rette RSA e CDI", ANZ, None, &[(Domande, Pop(Over75, 6.7)), (Beneficiari, Pop(Over75, 5.2))],
        Some(Cost::Per(Beneficiari, 4870.0)), Some("beneficiari/target_x1000"), Target::Named("anziani 75+"),
        &[(COMUNE, 0.97), (UTENZA, 0.03)]),
    ev(s("AES", "Assistenza educativa scolastica (AES)", DIS, None, &[], Some(Cost::Hour(22.8)), OU, N,
        &[(COMUNE, 0.96), (FSR, 0.04)])),
    ev(s("SADH", "Assistenza domiciliare disabili (SADH)", DIS, None, &[(Domande, Pop(Age18to64, 0.4))], Some(Cost::Hour(23.2)), OU, N,
        &[(COMUNE, 0.85), (UTENZA, 0.1), (FNA, 0.05)])),
    ev(s("CDD", "Centro Diurno Disabili (CDD)", DIS, None, &[], Some(Cost::Presence(44.0)), UT, Target::Named("disabili 18-64"),
        &[(COMUNE, 0.8), (UTENZA, 0.14), (FSR, 0.06)])),
    ev(s("CSE", "Centro Socio Educativo (CSE)", DIS, None, &[], Some(Cost::Presence(39.5)), UT, Target::Named("disabili 18-64"),
        &[(COMUNE, 0.78), (UTENZA, 0.16), (FSR, 0.06)])),
    ev(s("SFA", "Servizio Formazione all'Autonomia (SFA)", DIS, None, &[], Some(Cost::Presence(29.5)), UT,
        Target::Named("disabili 18-64"), &[(COMUNE, 0.86), (UTENZA, 0.09), (FSR, 0.05)])),
    s("DOPO_NOI", "Dopo di Noi (L. 112/2016)", DIS, None, &[], None, None, N, &[]),
    s("DN_ABITARE", "Dopo di Noi - accompagnamento all'autonomia abitativa", DIS, Some("DOPO_NOI"),
        &[(Domande, Pop(Age18to64, 0.17)), (Beneficiari, Pop(Age18to64, 0.4))], Some(Cost::Per(Beneficiari, 5400.0)), BD, N,
        &[(COMUNE, 0.1), (ENTI, 0.9)]),
    s("DN_EMERGENZA", "Dopo di Noi - pronto intervento e sollievo", DIS, Some("DOPO_NOI"),
        &[(Domande, Pop(Age18to64, 0.11)), (Beneficiari, Pop(Age18to64, 0.1))], Some(Cost::Per(Beneficiari, 4200.0)), BD, N,
        &[(ENTI, 1.0)]),
    incl(s("TM", "Servizio Tutela Minori", MIN, None,
        &[(Utenti, Pop(Minors, 22.0)), (Domande, Pop(Minors, 9.0)), (Visite, Per(Utenti, 2.6))], Some(Cost::Per(Utenti, 1640.0)), UT,
        Target::Named("minori 0-17"), &[(COMUNE, 0.93), (FSR, 0.04), (FNPS, 0.03)])),
    incl(s("TM_AFFIDI", "Servizio Affidi", MIN, Some("TM"), &[(Utenti, Pop(Minors, 3.1))], Some(Cost::Per(Utenti, 4300.0)), None, N,
        &[(COMUNE, 0.87), (FSR, 0.13)])),
    s("TM_AFFIDO_LEGGERO", "Affido leggero e reti di famiglie", MIN, Some("TM_AFFIDI"), &[(Utenti, Pop(Minors, 1.1))],
        Some(Cost::Per(Utenti, 1300.0)), None, N, &[(COMUNE, 1.0)]),
    ev(s("TM_INC_PROT", "Incontri protetti (diritto di visita)", MIN, Some("TM"), &[], Some(Cost::Hour(38.0)), OU, N,
        &[(COMUNE, 0.92), (FNPS, 0.08)])),
    s("TM_COMUNITA", "Inserimenti in comunità (minori e madre-bambino)", MIN, Some("TM"), &[(Utenti, Pop(Minors, 1.4))],
        Some(Cost::Per(Utenti, 29000.0)), None, N, &[(COMUNE, 0.93), (FSR, 0.05), (UTENZA, 0.02)]),
    ev(s("ADM", "Assistenza Domiciliare Minori (ADM)", MIN, None, &[], Some(Cost::Hour(27.5)), OU, N,
        &[(COMUNE, 0.85), (UTENZA, 0.06), (FNPS, 0.09)])),
    s("CED", "Centro Educativo Diurno per minori", MIN, None, &[(Utenti, Pop(Minors, 3.1)), (Accessi, Per(Utenti, 154.0))],
        Some(Cost::Per(Utenti, 4270.0)), UT, Target::Capoluogo, &[(COMUNE, 0.68), (UTENZA, 0.27), (FSR, 0.05)]),
    s("NIDI", "Nidi Gratis e contributi per la prima infanzia", MIN, None,
        &[(Domande, Pop(Minors, 15.0)), (Beneficiari, Pop(Minors, 13.0))], Some(Cost::Per(Beneficiari, 766.0)), BD, N,
        &[(COMUNE, 0.55), (FSR, 0.45)]),
    s("PIPPI", "Programma P.I.P.P.I. (PNRR M5C2 1.1.1)", MIN, None, &[(Utenti, Pop(Minors, 2.2))], Some(Cost::Per(Utenti, 3466.0)),
        None, N, &[(ENTI, 1.0)]),
    s("ADI", "Assegno di Inclusione - patti per l'inclusione", INC, None,
        &[(Utenti, Pop(Age15to64, 6.4)), (Domande, Pop(Age15to64, 5.0)), (Beneficiari, Pop(Age15to64, 4.6))],
        Some(Cost::Per(Beneficiari, 820.0)), BD, N, &[(COMUNE, 0.15), (POV, 0.85)]),
    s("SIL", "Servizio Inserimenti Lavorativi (SIL)", INC, None, &[(Utenti, Pop(Age15to64, 2.7)), (Domande, Pop(Age15to64, 1.1))],
        Some(Cost::Per(Utenti, 1490.0)), UT, Target::Named("15-64"), &[(COMUNE, 0.85), (ENTI, 0.15)]),
    s("TIS", "Tirocini di inclusione sociale", INC, None, &[(Utenti, Pop(Age15to64, 1.0)), (Ore, Per(Utenti, 352.0))],
        Some(Cost::Per(Utenti, 1850.0)), OU, N, &[(COMUNE, 0.4), (POV, 0.6)]),
    s("EMERG_ABIT", "Fondo emergenza abitativa e contributi affitto", INC, None,
        &[(Domande, Pop(Total, 2.2)), (Beneficiari, Pop(Total, 1.35))], Some(Cost::Per(Beneficiari, 1270.0)), BD, N,
        &[(COMUNE, 0.45), (FSR, 0.55)]),
    s("CONTRIB_ECON", "Contributi economici a nuclei in difficoltà", INC, None,
        &[(Domande, Pop(Total, 3.4)), (Beneficiari, Pop(Total, 2.6))], Some(Cost::Per(Beneficiari, 660.0)),
        Some("beneficiari/target_x1000"), Target::Named("totale residenti"), &[(COMUNE, 0.9), (POV, 0.1)]),
    s("SEGR", "Segretariato sociale (front office)", PDZ, None, &[(Accessi, Pop(Total, 173.0))], Some(Cost::Zero),
        Some("accessi/target_x1000"), Target::Named("totale residenti"), &[]),
    s("SSP", "Servizio sociale professionale", PDZ, None, &[(Utenti, Pop(Total, 42.0)), (Visite, Per(Utenti, 0.48))],
        Some(Cost::Per(Utenti, 122.0)), UT, Target::Named("totale residenti"), &[(COMUNE, 0.93), (FNPS, 0.04), (POV, 0.03)]),
    s("PUA", "Punto Unico di Accesso (PUA) - Casa di Comunità", PDZ, None, &[(Accessi, Pop(Over65, 193.0))], Some(Cost::Zero),
        Some("accessi/target_x1000"), Target::Named("anziani 65+"), &[]),
    s("UDP", "Ufficio di Piano - programmazione e monitoraggio", PDZ, None, &[], Some(Cost::Fixed(40_000.0, 1.6)), None, N,
        &[(COMUNE, 0.45), (FSR, 0.15), (FNPS, 0.4)]),
    s("PROT_GIUR", "Sportello protezione giuridica e amministrazione di sostegno", PDZ, None, &[(Accessi, Pop(Total, 7.7))],
        Some(Cost::Unknown), None, N, &[]),
];
