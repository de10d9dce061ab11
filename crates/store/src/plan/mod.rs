//! Piano di Zona storage: plans and their macroareas (`plans`), objective cards with resources
//! and actions (`objectives`), indicator sets (`indicators`), monitoring rounds and their values
//! (`rounds`), evaluation cards and qualitative evidence (`evaluation`).
//!
//! Decimal figures are canonical decimal text written by the application; codes of the closed
//! vocabularies (`ambito_domain::plan`) are stored as their code.

mod evaluation;
mod indicators;
mod objectives;
mod plans;
mod rounds;

pub use evaluation::*;
pub use indicators::*;
pub use objectives::*;
pub use plans::*;
pub use rounds::*;
