//! The Katz index of independence in activities of daily living (ADL, Katz 1963/1970): six
//! functions, 1 independent / 0 dependent, total 0–6. Bands as the Hartford Institute's
//! published reading ("6 full function, 4 moderate impairment, 2 or less severe impairment"),
//! with 5 and 3 read as moderate, the scores between those anchors.

use super::form::FormDefinition;
use super::scored_item;

pub const CODE: &str = "katz";

pub fn band(score: i64) -> Option<&'static str> {
    Some(match score {
        6 => "funzione piena",
        3..=5 => "compromissione moderata",
        0..=2 => "compromissione grave",
        _ => return None,
    })
}

pub fn form() -> FormDefinition {
    let item = |id: &str, label: &str, yes: &str, no: &str| scored_item(id, label, &[("1", yes, 1), ("0", no, 0)]);
    let items = vec![
        item("bagno", "Fare il bagno", "Indipendente, o aiuto per una sola parte del corpo", "Aiuto per più parti del corpo o non lo fa"),
        item("vestirsi", "Vestirsi", "Prende i vestiti e si veste da solo", "Aiuto per vestirsi o resta in parte svestito"),
        item(
            "uso_gabinetto",
            "Uso del gabinetto",
            "Va al gabinetto, si pulisce e si riveste da solo",
            "Necessita di aiuto o usa padella/comoda",
        ),
        item("trasferimenti", "Spostarsi (letto, sedia)", "Si sposta da solo, anche con ausili", "Necessita di aiuto per spostarsi"),
        item("continenza", "Continenza", "Controllo completo di minzione e defecazione", "Incontinenza parziale o totale"),
        item("alimentazione", "Alimentarsi", "Porta il cibo alla bocca da solo", "Aiuto parziale o totale, o nutrizione artificiale"),
    ];
    FormDefinition { code: CODE.into(), version: 1, title: "ADL – Indice di Katz".into(), scale: CODE.into(), items }
}
