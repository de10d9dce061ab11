//! A read-only request's memory of access facts. A GET of a person page asks "may this caller
//! read / write / see clinical notes of this person?" from the guard, the page and each feature's
//! timeline: each answer needs the same facts (the person's cases, care teams, shares,
//! registrations, break-glass). Inside [`read_only`] they are loaded once per person.
//!
//! Why only for reads: a write in the same request can change the facts (a proposal accepted
//! adds the worker to the team), and a stale "no" or "yes" after it would be wrong. A GET changes
//! no facts, so the memory cannot go stale while the request runs; it ends with the request.

use ambito_domain::access::PersonFacts;
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;

#[derive(Default)]
pub(crate) struct Memo {
    pub(crate) facts: HashMap<i64, Option<PersonFacts>>,
    /// (user, person) → an active break-glass.
    pub(crate) glass: HashMap<(i64, i64), bool>,
}

tokio::task_local! {
    static MEMO: RefCell<Memo>;
}

/// Runs `fut` (a request that writes nothing that access depends on) with access facts loaded
/// at most once per person.
pub async fn read_only<F: Future>(fut: F) -> F::Output {
    MEMO.scope(RefCell::new(Memo::default()), fut).await
}

/// The remembered value, when inside [`read_only`] and already loaded.
pub(crate) fn recall<T>(get: impl FnOnce(&Memo) -> Option<T>) -> Option<T> {
    MEMO.try_with(|m| get(&m.borrow())).ok().flatten()
}

/// Remembers a loaded value (a no-op outside [`read_only`]).
pub(crate) fn remember(put: impl FnOnce(&mut Memo)) {
    let _ = MEMO.try_with(|m| put(&mut m.borrow_mut()));
}
