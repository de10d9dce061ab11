//! The anonymous response page, `/q/{token}`: no login, no cookie, nothing that identifies the
//! person. An unknown token gets the same page whatever the reason, so links cannot be probed.

use crate::error::WebResult;
use crate::staff::questionnaire::views::{MessagePage, RespondPage, form_questions};
use ambito_app::App;
use ambito_app::questionnaire::tokens::{Submitted, TokenView};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn private(status: StatusCode, page: impl IntoResponse) -> Response {
    // The URL is the credential: keep the page out of caches and search engines.
    let mut res = (status, page).into_response();
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}

fn message(status: StatusCode, title: &str, text: String) -> Response {
    private(status, MessagePage { title: title.into(), message: text })
}

fn refused(view: TokenView) -> Response {
    match view {
        TokenView::Used => message(
            StatusCode::GONE,
            "Questionario già compilato",
            "Questo link è già stato usato per rispondere: ogni link vale per una sola compilazione. Grazie per la partecipazione.".into(),
        ),
        TokenView::NotYetOpen { opens_on } => {
            message(StatusCode::FORBIDDEN, "Questionario non ancora aperto", format!("Il questionario sarà aperto dal {opens_on}."))
        }
        TokenView::Closed { closes_on } => {
            message(StatusCode::GONE, "Questionario chiuso", format!("La raccolta delle risposte si è chiusa il {closes_on}. Grazie."))
        }
        TokenView::Unknown | TokenView::Open(..) => message(
            StatusCode::NOT_FOUND,
            "Questionario non trovato",
            "Il link non è valido. Controlli di averlo copiato per intero.".into(),
        ),
    }
}

fn form(token: &str, view: &TokenView, typed: &[(String, String)], errors: Vec<String>) -> Option<RespondPage> {
    let TokenView::Open(l, _) = view else { return None };
    Some(RespondPage {
        title: l.questionnaire.title.clone(),
        intro: l.questionnaire.intro.clone(),
        ambito_name: l.ambito.name.clone(),
        action: format!("/q/{token}"),
        questions: form_questions(l, typed),
        errors,
    })
}

pub(super) async fn show(State(app): State<App>, Path(token): Path<String>) -> WebResult<Response> {
    let view = app.token_view(&token).await?;
    Ok(match form(&token, &view, &[], vec![]) {
        Some(page) => private(StatusCode::OK, page),
        None => refused(view),
    })
}

pub(super) async fn answer(
    State(app): State<App>,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    Ok(match app.submit_with_token(&token, &fields).await? {
        Submitted::Saved => {
            message(StatusCode::OK, "Grazie", "Le risposte sono state registrate in forma anonima. Può chiudere questa pagina.".into())
        }
        Submitted::Invalid(view, errors) => match form(&token, &view, &fields, errors) {
            Some(page) => private(StatusCode::UNPROCESSABLE_ENTITY, page),
            None => refused(view),
        },
        Submitted::Refused(view) => refused(view),
    })
}
