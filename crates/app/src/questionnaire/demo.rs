//! The demo questionnaire of Alto Sebino: families' satisfaction with home educational assistance
//! for minors (ADM), two waves of synthetic answers drawn from a fixed seed, so the demo shows an
//! ex-ante → ex-post comparison that is the same on every run.

use super::KIND_OPEN;
use crate::{App, Result};
use ambito_store::{self as store, NewItem, NewQuestionnaire};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub const DEMO_QUESTIONNAIRE: &str = "ADM_FAMIGLIE";
const SEED: u64 = 2021;

/// (code, scale, reverse, text); the reverse-coded statement is worded negatively on purpose.
const ITEMS: [(&str, Option<&str>, bool, &str); 8] = [
    ("REL1", Some("REL"), false, "L'educatore rispetta gli orari e gli impegni concordati con la famiglia."),
    ("REL2", Some("REL"), false, "Mi sento ascoltato/a dall'educatore quando parlo delle difficoltà di mio figlio/a."),
    ("REL3", Some("REL"), true, "È difficile mettersi in contatto con il servizio quando ne ho bisogno."),
    ("REL4", Some("REL"), false, "Le informazioni ricevute sul progetto educativo sono chiare."),
    ("EFF1", Some("EFF"), false, "L'intervento ha aiutato mio figlio/a a stare meglio con gli altri."),
    ("EFF2", Some("EFF"), false, "Grazie all'intervento mi sento più sicuro/a nel mio ruolo di genitore."),
    ("EFF3", Some("EFF"), false, "Consiglierei il servizio ad altre famiglie."),
    ("APERTA", None, false, "Che cosa cambieresti per migliorare il servizio?"),
];

const OPEN_ANSWERS: [&str; 8] = [
    "Vorrei incontri più frequenti con l'educatore.",
    "Gli orari dovrebbero essere più flessibili nei periodi di scuola.",
    "Sarebbe utile un gruppo di confronto tra genitori.",
    "Il passaggio tra un educatore e l'altro è stato difficile.",
    "Più comunicazione con la scuola.",
    "Va bene così, grazie.",
    "Tempi di attesa più brevi per l'avvio dell'intervento.",
    "Un numero di telefono a cui rispondano sempre.",
];

/// (wave, opens, closes, invited, responses, centre of the latent satisfaction in tenths of a point).
const WAVES: [(&str, &str, &str, i64, usize, i64); 2] =
    [("ex_ante", "2021-03-01", "2021-04-30", 64, 41, 31), ("ex_post", "2023-10-02", "2023-11-30", 70, 48, 38)];

fn design() -> NewQuestionnaire {
    NewQuestionnaire {
        code: DEMO_QUESTIONNAIRE.into(),
        title: "Soddisfazione delle famiglie per l'assistenza domiciliare minori (ADM)".into(),
        intro: "Il questionario è anonimo: nessuno potrà collegare le risposte alla sua famiglia. Indichi quanto è d'accordo \
                con ciascuna affermazione. Servono circa cinque minuti."
            .into(),
        points: 5,
        objective_code: Some("AMB-17".into()),
        scales: vec![("REL".into(), "Relazione con il servizio".into()), ("EFF".into(), "Efficacia percepita".into())],
        items: ITEMS
            .iter()
            .map(|(code, scale, reverse, text)| NewItem {
                code: (*code).into(),
                kind: if scale.is_some() { super::KIND_LIKERT } else { KIND_OPEN }.into(),
                text: (*text).into(),
                reverse: *reverse,
                scale_code: scale.map(str::to_string),
            })
            .collect(),
    }
}

fn between(rng: &mut ChaCha8Rng, lo: i64, hi: i64) -> i64 {
    lo + ((u128::from(rng.next_u64()) * ((hi - lo + 1) as u128)) >> 64) as i64
}

/// One respondent: a latent satisfaction around `centre` (tenths), each answer that level plus
/// item noise, rounded to the scale; about one answer in 30 is skipped. Integer arithmetic only.
fn respondent(rng: &mut ChaCha8Rng, centre: i64, item_ids: &[(i64, bool, bool)]) -> Vec<(i64, Option<i64>, Option<String>)> {
    let latent = centre + between(rng, -12, 12);
    let mut answers = Vec::new();
    for (id, reverse, open) in item_ids {
        if *open {
            if between(rng, 1, 10) <= 3 {
                answers.push((*id, None, Some(OPEN_ANSWERS[between(rng, 0, 7) as usize].to_string())));
            }
            continue;
        }
        if between(rng, 1, 30) == 1 {
            continue;
        }
        let score = ((latent + between(rng, -9, 9) + 5) / 10).clamp(1, 5);
        answers.push((*id, Some(if *reverse { 6 - score } else { score }), None));
    }
    answers
}

impl App {
    /// Loads the demo questionnaire once; running the demo again leaves it as it is.
    pub async fn load_demo_questionnaire(&self, ambito_code: &str) -> Result<()> {
        let ambito = self.ambito(ambito_code).await?;
        let mut tx = self.store.write().await?;
        if store::questionnaire_by_code(&mut tx, ambito.id, DEMO_QUESTIONNAIRE).await?.is_some() {
            return Ok(());
        }
        let qid = store::insert_questionnaire(&mut tx, ambito.id, &design()).await?;
        let items: Vec<(i64, bool, bool)> =
            store::questionnaire_items(&mut tx, qid).await?.iter().map(|i| (i.id, i.reverse, i.kind == KIND_OPEN)).collect();
        let mut rng = ChaCha8Rng::seed_from_u64(SEED);
        for (kind, opens, closes, invited, responses, centre) in WAVES {
            let wave = store::upsert_wave(&mut tx, qid, kind, opens, closes, Some(invited)).await?;
            for _ in 0..responses {
                let answers = respondent(&mut rng, centre, &items);
                store::insert_response(&mut tx, wave, "link", closes, &answers).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
