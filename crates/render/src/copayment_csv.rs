//! The month's statements of `ambito copayment statements` as CSV (CRLF, `;`, Italian numbers):
//! the domain's header and values (`ambito_domain::copayment::statement`), nothing added here.

use crate::RenderError;
use crate::csv_safe::CsvOut;
use ambito_domain::copayment::statement::{CSV_HEADER, StatementRow};

pub fn statements(rows: &[StatementRow]) -> Result<Vec<u8>, RenderError> {
    let mut w = CsvOut::crlf();
    w.record(CSV_HEADER)?;
    for r in rows {
        w.record(r.csv_values())?;
    }
    w.finish()
}
