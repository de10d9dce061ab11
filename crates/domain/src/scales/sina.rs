//! The SINA element of the PS-PSA-SINA flow (siuss.md §3.5): the multidimensional assessment of
//! a non-self-sufficient person. Item ids are the XSD attribute names, values the literal
//! enumeration strings, so an answer sheet maps to the flow one to one. The two children
//! (`NecessitaInterventiSociali/CodicePrestazione`, `InvaliditaCivile/InvCiv`) are optional
//! lists; when given they have at least one entry (an empty element fails the XSD).

use super::form::{FormDefinition, ItemKind, TextFormat};
use super::{coded_item, text_item};

pub const CODE: &str = "sina";

pub fn form() -> FormDefinition {
    use ItemKind::{MultiChoice, SingleChoice};
    let items = vec![
        coded_item(
            "Mobilita",
            "Mobilità",
            true,
            SingleChoice,
            &[("1", "Si sposta da solo"), ("2", "Si sposta con aiuto"), ("3", "Non si sposta")],
        ),
        coded_item(
            "AttivitaVitaQuotidiana",
            "Attività della vita quotidiana",
            true,
            SingleChoice,
            &[("1", "Autonomo"), ("2", "Parzialmente dipendente"), ("3", "Totalmente dipendente")],
        ),
        coded_item(
            "DisturbiAreaCognitiva",
            "Disturbi dell'area cognitiva",
            false,
            SingleChoice,
            &[("1", "Lievi"), ("2", "Moderati"), ("3", "Gravi")],
        ),
        coded_item("DisturbiComportamentali", "Disturbi comportamentali", true, SingleChoice, &[("1", "Assenti"), ("2", "Presenti")]),
        coded_item(
            "NecessitaCureSanitarie",
            "Necessità di cure sanitarie",
            false,
            SingleChoice,
            &[("1", "Bassa"), ("2", "Media"), ("3", "Alta")],
        ),
        coded_item(
            "AreaReddituale",
            "Area reddituale",
            true,
            SingleChoice,
            &[
                ("1", "Autosufficiente, in equilibrio economico"),
                ("2", "Aiutato da parenti o altri"),
                ("3", "In stato di bisogno economico senza tale aiuto"),
            ],
        ),
        coded_item(
            "AreaSupporto",
            "Area del supporto",
            true,
            SingleChoice,
            &[("1", "Rete familiare o informale presente"), ("2", "Presente in parte e/o temporaneamente"), ("3", "Assente")],
        ),
        coded_item(
            "FonteDerivazioneValutazione",
            "Fonte della valutazione",
            true,
            SingleChoice,
            &[
                ("1", "Unità di valutazione multidimensionale (UVM)"),
                ("2", "Cartella sociale"),
                ("3", "Altra documentazione"),
                ("4", "Rilevata direttamente"),
            ],
        ),
        coded_item(
            "StrumentoValutazione",
            "Strumento di valutazione",
            true,
            SingleChoice,
            &[
                ("1", "SVAMA"),
                ("2", "AGED"),
                ("3", "RUG"),
                ("4", "SOSIA"),
                ("5", "Schema polare"),
                ("6", "VALGRAF"),
                ("7", "Altro sistema di codifica"),
            ],
        ),
        coded_item(
            "FonteDerivazioneInvalidita",
            "Fonte dell'informazione sull'invalidità",
            false,
            SingleChoice,
            &[("1", "Certificato di invalidità verificato (online o cartaceo)"), ("2", "Dichiarazione della persona")],
        ),
        text_item("NecessitaInterventiSociali", "Interventi sociali necessari (codici prestazione)", false, TextFormat::Codes),
        coded_item(
            "InvaliditaCivile",
            "Invalidità civile e L. 104",
            false,
            MultiChoice,
            &[
                ("1", "Invalidità civile parziale pari o superiore al 75%"),
                ("2", "Invalidità totale (100%) con indennità di accompagnamento"),
                ("3", "Invalidità totale senza indennità di accompagnamento"),
                ("4", "Certificazione di neuropsichiatria infantile (NPI)"),
                ("5", "L. 104, art. 3 c. 1"),
                ("6", "L. 104, art. 3 c. 3"),
                ("7", "L. 104, art. 12"),
                ("8", "L. 104, art. 13"),
            ],
        ),
    ];
    FormDefinition {
        code: CODE.into(),
        version: 1,
        title: "SINA – Valutazione della non autosufficienza".into(),
        scale: CODE.into(),
        items,
    }
}
