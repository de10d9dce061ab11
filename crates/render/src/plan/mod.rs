//! Documents of the Piano di Zona cycle: the plan (cards and synoptic table), the end-of-cycle
//! evaluation (layout of seed 004: one label/answer table per objective) and the monitoring
//! report. The application describes a document once as a [`Doc`] of blocks; this module lays it
//! out as PDF (Typst, `templates/plan.typ`) or DOCX (WordprocessingML written here), and tables
//! as XLSX sheets. Every text arrives ready to print.

mod docx;
mod pdf;
mod trend;
mod xlsx;

pub use docx::doc_docx;
pub use pdf::doc_pdf;
pub use trend::trend_svg;
pub use xlsx::sheets_xlsx;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// Level 1 starts a new page in the PDF (except the first).
    Heading {
        level: u8,
        text: String,
    },
    Paragraph {
        text: String,
    },
    /// A two-column table of labels and answers, as the regional cards and seed 004 are laid out.
    Fields {
        rows: Vec<(String, String)>,
    },
    /// A data table; `widths` are relative column widths (one per column).
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Vec<u32>,
    },
    /// A chart (SVG text) with its text alternative.
    Chart {
        svg: String,
        alt: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Doc {
    /// Used in the running header and the document properties.
    pub title: String,
    pub subtitle: String,
    pub ambito: String,
    pub blocks: Vec<Block>,
}

/// One XLSX sheet: a header row and text or number cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Column widths in characters.
    pub widths: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number with the decimals to show (`0.0` style), written as a number.
    Number(rust_decimal::Decimal, u32),
    Empty,
}
