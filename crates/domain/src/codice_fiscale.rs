//! Codice fiscale validation (being written).
