//! Lawton & Brody's Instrumental Activities of Daily Living (IADL, 1969), the eight-item version
//! with the standard dichotomous scoring: each answer is worth 1 or 0 as the published scale
//! assigns it, total 0–8. The scale publishes no bands, so none is given.

use super::form::FormDefinition;
use super::scored_item;

pub const CODE: &str = "lawton";

pub fn form() -> FormDefinition {
    let items = vec![
        scored_item(
            "telefono",
            "Usare il telefono",
            &[
                ("1", "Usa il telefono di propria iniziativa", 1),
                ("2", "Compone solo alcuni numeri ben conosciuti", 1),
                ("3", "Risponde ma non è capace di comporre i numeri", 1),
                ("4", "Non usa il telefono", 0),
            ],
        ),
        scored_item(
            "spesa",
            "Fare la spesa",
            &[
                ("1", "Fa tutta la spesa da solo", 1),
                ("2", "Fa da solo solo piccoli acquisti", 0),
                ("3", "Deve essere accompagnato per qualsiasi acquisto", 0),
                ("4", "Non è in grado di fare acquisti", 0),
            ],
        ),
        scored_item(
            "pasti",
            "Preparare i pasti",
            &[
                ("1", "Programma, prepara e serve pasti adeguati da solo", 1),
                ("2", "Prepara pasti adeguati se gli vengono forniti gli ingredienti", 0),
                ("3", "Scalda o prepara pasti, ma senza una dieta adeguata", 0),
                ("4", "Ha bisogno che i pasti gli siano preparati e serviti", 0),
            ],
        ),
        scored_item(
            "casa",
            "Governo della casa",
            &[
                ("1", "Mantiene la casa da solo o con aiuto occasionale per i lavori pesanti", 1),
                ("2", "Esegue lavori leggeri (piatti, letto)", 1),
                ("3", "Esegue lavori leggeri ma non mantiene un livello accettabile di pulizia", 1),
                ("4", "Ha bisogno di aiuto in ogni lavoro domestico", 1),
                ("5", "Non partecipa ad alcun lavoro domestico", 0),
            ],
        ),
        scored_item(
            "biancheria",
            "Lavare la biancheria",
            &[
                ("1", "Lava da solo tutta la propria biancheria", 1),
                ("2", "Lava solo piccoli capi", 1),
                ("3", "Tutta la biancheria deve essere lavata da altri", 0),
            ],
        ),
        scored_item(
            "trasporti",
            "Usare i mezzi di trasporto",
            &[
                ("1", "Usa da solo i mezzi pubblici o guida la propria auto", 1),
                ("2", "Si sposta in taxi ma non usa i mezzi pubblici", 1),
                ("3", "Usa i mezzi pubblici se accompagnato", 1),
                ("4", "Si sposta solo in taxi o in auto con l'aiuto di altri", 0),
                ("5", "Non si sposta affatto", 0),
            ],
        ),
        scored_item(
            "farmaci",
            "Responsabilità nell'uso dei farmaci",
            &[
                ("1", "Prende i farmaci da solo, in dosi e orari corretti", 1),
                ("2", "Prende i farmaci se preparati in anticipo in dosi separate", 0),
                ("3", "Non è in grado di prendere i farmaci da solo", 0),
            ],
        ),
        scored_item(
            "denaro",
            "Capacità di gestire il denaro",
            &[
                ("1", "Gestisce le proprie finanze da solo", 1),
                ("2", "Gestisce gli acquisti quotidiani, ma serve aiuto per banca e grandi spese", 1),
                ("3", "Non è in grado di maneggiare il denaro", 0),
            ],
        ),
    ];
    FormDefinition { code: CODE.into(), version: 1, title: "IADL – Scala di Lawton".into(), scale: CODE.into(), items }
}
