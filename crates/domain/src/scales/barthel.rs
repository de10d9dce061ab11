//! The Barthel index (Mahoney & Barthel, 1965), standard 10-item version scored 0–100 in steps
//! of 5, with the dependency bands of Shah, Vanclay & Cooper (1989).

use super::form::FormDefinition;
use super::scored_item;

pub const CODE: &str = "barthel";

/// 0–20 totale, 21–60 grave, 61–90 moderata, 91–99 lieve, 100 indipendente.
pub fn band(score: i64) -> Option<&'static str> {
    Some(match score {
        0..=20 => "dipendenza totale",
        21..=60 => "dipendenza grave",
        61..=90 => "dipendenza moderata",
        91..=99 => "dipendenza lieve",
        100 => "indipendente",
        _ => return None,
    })
}

pub fn form() -> FormDefinition {
    let items = vec![
        scored_item(
            "alimentazione",
            "Alimentazione",
            &[("0", "Dipendente", 0), ("5", "Necessita di aiuto (tagliare, spalmare)", 5), ("10", "Indipendente", 10)],
        ),
        scored_item("bagno", "Fare il bagno o la doccia", &[("0", "Dipendente", 0), ("5", "Indipendente", 5)]),
        scored_item(
            "igiene_personale",
            "Igiene personale (viso, capelli, denti, rasatura)",
            &[("0", "Necessita di aiuto", 0), ("5", "Indipendente", 5)],
        ),
        scored_item(
            "vestirsi",
            "Vestirsi",
            &[
                ("0", "Dipendente", 0),
                ("5", "Necessita di aiuto, fa circa metà da solo", 5),
                ("10", "Indipendente (bottoni, cerniere, lacci)", 10),
            ],
        ),
        scored_item(
            "controllo_intestinale",
            "Controllo intestinale",
            &[("0", "Incontinente", 0), ("5", "Incidenti occasionali", 5), ("10", "Continente", 10)],
        ),
        scored_item(
            "controllo_vescicale",
            "Controllo vescicale",
            &[("0", "Incontinente o cateterizzato, non autonomo", 0), ("5", "Incidenti occasionali", 5), ("10", "Continente", 10)],
        ),
        scored_item(
            "uso_gabinetto",
            "Uso del gabinetto",
            &[("0", "Dipendente", 0), ("5", "Necessita di qualche aiuto", 5), ("10", "Indipendente", 10)],
        ),
        scored_item(
            "trasferimenti",
            "Trasferimenti letto–sedia",
            &[
                ("0", "Non in grado, nessun equilibrio da seduto", 0),
                ("5", "Grande aiuto (una o due persone), sta seduto", 5),
                ("10", "Piccolo aiuto, verbale o fisico", 10),
                ("15", "Indipendente", 15),
            ],
        ),
        scored_item(
            "deambulazione",
            "Deambulazione (o carrozzina)",
            &[
                ("0", "Immobile o meno di 50 metri", 0),
                ("5", "Autonomo in carrozzina per oltre 50 metri", 5),
                ("10", "Cammina con l'aiuto di una persona per oltre 50 metri", 10),
                ("15", "Indipendente per oltre 50 metri (anche con ausili)", 15),
            ],
        ),
        scored_item(
            "scale",
            "Salire e scendere le scale",
            &[("0", "Non in grado", 0), ("5", "Necessita di aiuto o supervisione", 5), ("10", "Indipendente", 10)],
        ),
    ];
    FormDefinition { code: CODE.into(), version: 1, title: "Indice di Barthel".into(), scale: CODE.into(), items }
}
