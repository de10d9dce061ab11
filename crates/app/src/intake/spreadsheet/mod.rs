//! Workbooks (XLSX) read with bounded memory, for every importer that takes one.
//!
//! calamine's `worksheet_range` builds a dense rectangle from the first to the last used cell: a
//! 2 KB file with one value at XFD1048576 asks for 16,384 × 1,048,576 cells and aborts the
//! process. Here a workbook is first checked part by part (`precheck`), then each sheet is read
//! cell by cell with calamine's streaming reader, and only cells that hold a value count: one
//! beyond `MAX_SHEET_ROWS` or `MAX_COLUMNS`, or more than `MAX_SHEET_CELLS` of them in the
//! workbook, refuses the file, with the place and the advice to send big files as CSV. The
//! table built from the cells is at most `MAX_SHEET_CELLS` too (rows × header columns).
//!
//! Only XLSX (and XLSM) is read: the older XLS and ODS readers of calamine build whole sheets
//! when they open a file, so they cannot be bounded from outside.

mod precheck;
#[cfg(test)]
mod tests;

use crate::intake::table::{cell_text, column_letter};
use crate::limits::{MAX_COLUMNS, MAX_SHEET_CELLS, MAX_SHEET_ROWS};
use crate::problems::{Findings, Msg};
use calamine::{DataRef, Reader, Xlsx};
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Why a workbook is refused, and where when the place is known.
#[derive(Debug)]
struct Refusal {
    line: Option<usize>,
    column: Option<String>,
    msg: Msg,
}

impl Refusal {
    fn new(msg: Msg) -> Refusal {
        Refusal { line: None, column: None, msg }
    }

    fn record(self, place: &str, f: &mut Findings) {
        f.error(place, self.line, self.column.as_deref(), self.msg);
    }
}

fn unreadable(e: impl std::fmt::Display) -> Msg {
    Msg::new(format!("foglio di calcolo non leggibile: {e}"), format!("unreadable spreadsheet: {e}"))
}

/// A last line of defence: calamine is a large parser of hostile input, and a panic inside it
/// must refuse the file, not drop the connection.
fn guarded<T>(run: impl FnOnce() -> Result<T, Refusal>) -> Result<T, Refusal> {
    catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|_| Err(Refusal::new(unreadable("struttura non valida"))))
}

/// Whether the file name says it is a workbook; `.xls` and `.ods` are refused by `Workbook::open`.
pub(crate) fn is_workbook(file: &str) -> bool {
    let lower = file.to_lowercase();
    [".xlsx", ".xlsm", ".xls", ".ods"].iter().any(|ext| lower.ends_with(ext))
}

/// One sheet as text: the first row with a value is the header, the later ones the data.
#[derive(Debug, Default)]
pub(crate) struct Sheet {
    /// Trimmed; empty when the sheet holds no value at all.
    pub header: Vec<String>,
    /// (1-based sheet row, cells as written, exactly one per header column).
    pub rows: Vec<(usize, Vec<String>)>,
    /// Rows that hold a value right of the last header column (left out of `rows`' cells).
    pub overflowing: Vec<usize>,
}

pub(crate) struct Workbook<'a> {
    xlsx: Xlsx<Cursor<&'a [u8]>>,
    /// What the sheets read so far leave of `MAX_SHEET_CELLS`.
    cells_left: usize,
}

impl<'a> Workbook<'a> {
    /// Checks and opens a workbook; problems go to `f` against `file`.
    pub(crate) fn open(file: &str, bytes: &'a [u8], f: &mut Findings) -> Option<Workbook<'a>> {
        let lower = file.to_lowercase();
        if lower.ends_with(".xls") || lower.ends_with(".ods") {
            f.error(
                file,
                None,
                None,
                Msg::new(
                    "formati .xls e .ods non accettati: salvare il foglio come .xlsx oppure come CSV",
                    ".xls and .ods files are not accepted: save the sheet as .xlsx or as CSV",
                ),
            );
            return None;
        }
        let opened =
            precheck::check(bytes).and_then(|()| guarded(|| Xlsx::new(Cursor::new(bytes)).map_err(|e| Refusal::new(unreadable(e)))));
        match opened {
            Ok(xlsx) => Some(Workbook { xlsx, cells_left: MAX_SHEET_CELLS }),
            Err(refusal) => {
                refusal.record(file, f);
                None
            }
        }
    }

    pub(crate) fn sheet_names(&self) -> Vec<String> {
        self.xlsx.sheet_names()
    }

    /// Reads sheet `name`; problems go to `f` against `place` (the file, or the file and sheet).
    pub(crate) fn sheet(&mut self, name: &str, place: &str, f: &mut Findings) -> Option<Sheet> {
        let cells_left = self.cells_left;
        let read = guarded(|| self.cells(name)).and_then(|cells| build(cells, cells_left));
        match read {
            Ok((sheet, used)) => {
                self.cells_left -= used;
                Some(sheet)
            }
            Err(refusal) => {
                refusal.record(place, f);
                None
            }
        }
    }

    /// The cells of a sheet that hold a value, as (row, column, text), 0-based, in file order.
    fn cells(&mut self, name: &str) -> Result<Vec<(u32, u32, String)>, Refusal> {
        let cells_left = self.cells_left;
        let mut reader = self.xlsx.worksheet_cells_reader(name).map_err(|e| Refusal::new(unreadable(e)))?;
        let mut cells = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|e| Refusal::new(unreadable(e)))? {
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
            if text.trim().is_empty() {
                continue;
            }
            let (row, column) = cell.get_position();
            let at = format!("{}{}", column_letter(column as usize), row as u64 + 1);
            let refuse = |it: String, en: String| Refusal {
                line: Some(row as usize + 1),
                column: Some(column_letter(column as usize)),
                msg: Msg::new(format!("{it}: per file più grandi usare il formato CSV"), format!("{en}: send bigger files as CSV")),
            };
            if row as usize >= MAX_SHEET_ROWS {
                return Err(refuse(
                    format!("la cella {at} è oltre il limite di {MAX_SHEET_ROWS} righe per foglio"),
                    format!("cell {at} is beyond the limit of {MAX_SHEET_ROWS} rows a sheet"),
                ));
            }
            if column as usize >= MAX_COLUMNS {
                return Err(refuse(
                    format!("la cella {at} è oltre il limite di {MAX_COLUMNS} colonne"),
                    format!("cell {at} is beyond the limit of {MAX_COLUMNS} columns"),
                ));
            }
            if cells.len() >= cells_left {
                return Err(refuse(
                    format!("il foglio di calcolo ha più di {MAX_SHEET_CELLS} celle piene"),
                    format!("the workbook has more than {MAX_SHEET_CELLS} filled cells"),
                ));
            }
            cells.push((row, column, text));
        }
        Ok(cells)
    }
}

/// Rows from cells: the header, then each later row spread over the header's columns. Returns
/// the sheet and how many cells of the budget it took.
fn build(mut cells: Vec<(u32, u32, String)>, cells_left: usize) -> Result<(Sheet, usize), Refusal> {
    let filled = cells.len();
    // A cell written twice keeps its last value, as in calamine's ranges: reversed, the stable
    // sort puts the last one first among equals, and dedup keeps the first.
    cells.reverse();
    cells.sort_by_key(|c| (c.0, c.1));
    cells.dedup_by_key(|c| (c.0, c.1));
    let mut sheet = Sheet::default();
    let mut header_seen = false;
    let mut cells = cells.into_iter().peekable();
    while let Some((row, column, text)) = cells.next() {
        let mut line = vec![(column, text)];
        while let Some(next) = cells.next_if(|c| c.0 == row) {
            line.push((next.1, next.2));
        }
        let (line_no, last) = (row as usize + 1, line.last().map_or(0, |c| c.0 as usize));
        if !header_seen {
            header_seen = true;
            sheet.header = vec![String::new(); last + 1];
            for (c, text) in line {
                sheet.header[c as usize] = text.trim().to_string();
            }
            continue;
        }
        let width = sheet.header.len();
        if last >= width {
            sheet.overflowing.push(line_no);
        }
        if (sheet.rows.len() + 1) * width > cells_left {
            return Err(Refusal {
                line: Some(line_no),
                column: None,
                msg: Msg::new(
                    format!(
                        "il foglio di calcolo supera {MAX_SHEET_CELLS} celle (righe × colonne): per file più grandi usare il formato CSV"
                    ),
                    format!("the workbook exceeds {MAX_SHEET_CELLS} cells (rows × columns): send bigger files as CSV"),
                ),
            });
        }
        let mut out = vec![String::new(); width];
        for (c, text) in line.into_iter().filter(|c| (c.0 as usize) < width) {
            out[c as usize] = text;
        }
        sheet.rows.push((line_no, out));
    }
    let used = filled.max(sheet.rows.len() * sheet.header.len());
    Ok((sheet, used.min(cells_left)))
}
