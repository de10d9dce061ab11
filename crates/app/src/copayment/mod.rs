//! Co-payments by ISEE and pagoPA notices (issue 17): the ISEE import, the regulation, the
//! pagoPA settings and exemptions, and the month's statements with their notices. The rules are
//! `ambito_domain::copayment` and `ambito_domain::pagopa`; this wires them to the store, one
//! transaction per command.

pub mod isee_import;
mod notices;
pub mod receipts;
pub mod setup;
pub mod statements;
mod stored;
