//! Anonymous links. A token is 160 bits from the operating system's CSPRNG, written as 40 hex
//! digits; only its SHA-256 is stored, so the database cannot rebuild a link. A token is spent in
//! the transaction that stores its response, and nothing links the two rows.

use super::entry::parse_answers;
use super::{Loaded, today};
use crate::{App, AppError, Result};
use ambito_domain::likert::report::WaveKind;
use ambito_store as store;
use sha2::{Digest, Sha256};

const TOKEN_BYTES: usize = 20;
/// Most links generated at once: a wave is sent to a district's families, not to a city.
pub const MAX_TOKENS: usize = 20_000;

/// What a token opens.
#[derive(Debug, Clone)]
pub enum TokenView {
    /// No such token (or a malformed one): the page says only "not found".
    Unknown,
    Used,
    NotYetOpen {
        opens_on: String,
    },
    Closed {
        closes_on: String,
    },
    Open(Box<Loaded>, WaveKind),
}

/// The outcome of submitting answers with a token.
#[derive(Debug, Clone)]
pub enum Submitted {
    Saved,
    Invalid(TokenView, Vec<String>),
    Refused(TokenView),
}

/// A fresh token: hex of `TOKEN_BYTES` random bytes.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("generatore casuale non disponibile: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Tokens are looked up by hash. A malformed token hashes to something never stored, but we
/// refuse it before touching the database.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn well_formed(token: &str) -> bool {
    token.len() == TOKEN_BYTES * 2 && token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl App {
    /// Creates `count` links for a wave and returns the tokens: the only time they exist in clear.
    pub async fn issue_tokens(&self, ambito_code: &str, code: &str, wave: WaveKind, count: usize) -> Result<Vec<String>> {
        if count == 0 || count > MAX_TOKENS {
            return Err(AppError::Invalid(format!("numero di link non valido: {count} (da 1 a {MAX_TOKENS})")));
        }
        let l =
            self.questionnaire(ambito_code, code).await?.ok_or_else(|| AppError::Invalid(format!("questionario «{code}» non trovato")))?;
        let w = l.wave(wave).ok_or_else(|| AppError::Invalid(format!("l'ondata {} non è stata aperta", wave.label().to_lowercase())))?;
        let tokens = (0..count).map(|_| new_token()).collect::<Result<Vec<_>>>()?;
        let hashes: Vec<String> = tokens.iter().map(|t| token_hash(t)).collect();
        let mut tx = self.store.write().await?;
        store::insert_token_hashes(&mut tx, w.id, &hashes).await?;
        tx.commit().await?;
        Ok(tokens)
    }

    /// What the public page should show for a token, today.
    pub async fn token_view(&self, token: &str) -> Result<TokenView> {
        if !well_formed(token) {
            return Ok(TokenView::Unknown);
        }
        let mut conn = self.store.read().await?;
        let Some((wave_id, used)) = store::token_state(&mut conn, &token_hash(token)).await? else { return Ok(TokenView::Unknown) };
        if used {
            return Ok(TokenView::Used);
        }
        let Some(w) = store::wave_by_id(&mut conn, wave_id).await? else { return Ok(TokenView::Unknown) };
        let now = today();
        if now < w.opens_on {
            return Ok(TokenView::NotYetOpen { opens_on: w.opens_on });
        }
        if now > w.closes_on {
            return Ok(TokenView::Closed { closes_on: w.closes_on });
        }
        let Some(q) = store::questionnaire_by_id(&mut conn, w.questionnaire_id).await? else { return Ok(TokenView::Unknown) };
        let Some(ambito) = store::list_ambiti(&mut conn).await?.into_iter().find(|a| a.id == q.ambito_id) else {
            return Ok(TokenView::Unknown);
        };
        let kind = WaveKind::parse(&w.kind).unwrap_or(WaveKind::ExAnte);
        let loaded = super::load(&mut conn, ambito, q).await?;
        Ok(TokenView::Open(Box::new(loaded), kind))
    }

    /// Stores the answers given with a token and spends it, in one transaction; invalid answers
    /// store nothing and leave the token usable.
    pub async fn submit_with_token(&self, token: &str, fields: &[(String, String)]) -> Result<Submitted> {
        let view = self.token_view(token).await?;
        let TokenView::Open(l, kind) = &view else { return Ok(Submitted::Refused(view)) };
        let answers = match parse_answers(l, fields) {
            Ok(a) => a,
            Err(errors) => return Ok(Submitted::Invalid(view, errors)),
        };
        let Some(w) = l.wave(*kind) else { return Ok(Submitted::Refused(TokenView::Unknown)) };
        let mut tx = self.store.write().await?;
        // Spent and answered together: a second submission racing this one finds it used.
        if !store::consume_token(&mut tx, &token_hash(token)).await? {
            tx.rollback().await?;
            return Ok(Submitted::Refused(TokenView::Used));
        }
        store::insert_response(&mut tx, w.id, "link", &today(), &answers).await?;
        tx.commit().await?;
        Ok(Submitted::Saved)
    }
}

impl App {
    /// (links issued, links used) of a wave.
    pub async fn token_counts(&self, wave_id: i64) -> Result<(i64, i64)> {
        let mut conn = self.store.read().await?;
        Ok(store::token_counts(&mut conn, wave_id).await?)
    }
}
