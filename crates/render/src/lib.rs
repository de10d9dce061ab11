//! Turns the annual activity report (`ambito_domain::report::AnnualReport`) into files: CSV for
//! other tools, XLSX for the offices, PDF for publication, and SVG charts shared by the PDF and the
//! web pages. Every figure is already computed by the domain; this crate only lays it out, using
//! the Italian texts the domain produced (or its format helpers), never its own number formatting.

pub mod activity_csv;
pub mod audit_csv;
pub mod chart;
pub mod copayment_csv;
pub mod csv_out;
pub mod csv_safe;
pub mod deliveries_csv;
pub mod figures;
pub mod pdf;

pub mod questionnaire;

pub mod plan;
mod xlsx;

use ambito_domain::report::AnnualReport;

/// Why a report could not be rendered. Messages are shown to users, hence in Italian.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("impossibile scrivere il CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("impossibile completare il CSV: {0}")]
    CsvFlush(String),
    #[error("impossibile scrivere il file Excel: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("impossibile preparare i dati per il PDF: {0}")]
    Json(#[from] serde_json::Error),
    #[error("impossibile comporre il PDF: {0}")]
    Pdf(String),
    #[error("impossibile comporre il documento Word: {0}")]
    Docx(String),
    #[error("valore non rappresentabile come numero: {0}")]
    Number(String),
}

/// The report as a `;`-separated UTF-8 CSV: one row per service, one total per area, one for the
/// whole Ambito.
pub fn annual_csv(r: &AnnualReport) -> Result<Vec<u8>, RenderError> {
    csv_out::annual(r)
}

/// The report as an Excel workbook: a "Sintesi" sheet and one sheet per area.
pub fn annual_xlsx(r: &AnnualReport) -> Result<Vec<u8>, RenderError> {
    xlsx::annual(r)
}

/// The report as an A4 PDF, typeset with Typst and the embedded Titillium Web fonts.
pub fn annual_pdf(r: &AnnualReport) -> Result<Vec<u8>, RenderError> {
    pdf::annual(r)
}
