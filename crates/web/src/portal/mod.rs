//! The citizens' surface: what a person sees of ambito, apart from the staff pages. Their own area
//! after a SPID/CIE login (`/area-personale`: what the Ambiti hold on them and the right-of-access
//! downloads, GDPR art. 15) and the anonymous questionnaire page (`/q/{token}`, no login at all).
//! Pages here use the portal layout (`Layout::portal`): no staff navigation, no Ambito menus.
//! Later citizen features (applications to calls, payment notices) belong here.

mod documents;
mod own_area;
mod questionnaire;

use crate::access::{Policy, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .get("/area-personale", Policy::OwnData, "Area personale del cittadino", own_area::page)
        .get("/area-personale/dati.json", Policy::OwnData, "I miei dati (art. 15 GDPR), JSON", own_area::json)
        .get("/area-personale/dati.pdf", Policy::OwnData, "I miei dati (art. 15 GDPR), PDF", own_area::pdf)
        .get("/area-personale/documenti/{document}", Policy::OwnData, "Scarica un mio documento (registrato)", documents::download)
        .audited()
        .at_with(
            axum::http::Method::POST,
            "/area-personale/richieste/{request}",
            Policy::OwnData,
            "Carica una volta il documento richiesto",
            documents::upload_route(),
        )
        .get("/q/{token}", Policy::Capability, "Pagina di risposta anonima", questionnaire::show)
        .post("/q/{token}", Policy::Capability, "Invio anonimo delle risposte (una volta per link)", questionnaire::answer)
}
