//! pagoPA for an ente creditore: the rules, not the client. The IUV and the notice number
//! (*numero avviso*), the QR code's text, the GPD debt position (*posizione debitoria*) as its API
//! takes it, the IBAN and the remittance text (*causale*). The facts are those of
//! `shared/specs/pagopa.md`; where a section of it is cited below it is that file's.
//!
//! Nothing here talks to GPD: the app layer sends what [`gpd::build_position`] builds, after
//! [`gpd::check_position`] found nothing wrong with it.

pub mod causale;
pub mod ente;
pub mod gpd;
pub mod gpd_check;
pub mod iban;
pub mod iuv;
pub mod qr;

pub use causale::CausaleTemplate;
pub use ente::{EnteFiscalCode, EnteSettings};
pub use iban::Iban;
pub use iuv::{Iuv, NoticeNumber, SegregationCode};
