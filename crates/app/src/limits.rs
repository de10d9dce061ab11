//! Caps on what an uploaded or imported file may hold, so that a small hostile file cannot make
//! the process allocate without bound. A file over a cap is refused with a located error; none
//! of these limits truncates silently. README.md ("Limits on files") lists them for users.
//!
//! The caps of spreadsheets are lower than Excel's own (1,048,576 rows): a workbook is read whole
//! into memory, while CSV files stream (delivery events) or cost memory in proportion to their
//! size, so big files are to be sent as CSV.

/// Columns of a CSV file or a sheet. The widest import format has 26 columns.
pub const MAX_COLUMNS: usize = 256;

/// Characters in one cell or CSV field: Excel's own limit for a cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Bytes of one CSV record (a line, or several when a quoted field holds line breaks).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Rows of a sheet (counting from row 1 to the last row with a value).
pub const MAX_SHEET_ROWS: usize = 100_000;

/// Cells of a workbook: the non-blank cells read, and the table they make (rows × columns of the
/// header), over all the sheets read. About 100 MB of memory at most.
pub const MAX_SHEET_CELLS: usize = 2_000_000;

/// Strings in a workbook's shared-strings table.
pub const MAX_SHARED_STRINGS: usize = MAX_SHEET_CELLS;

/// Entries of the zip package of a workbook (a real one has a few dozen).
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// Decompressed bytes of one part of a workbook (a sheet, the shared strings, the styles…), as
/// actually read, whatever size the zip declares.
pub const MAX_PART_BYTES: u64 = 64 << 20;

/// Decompressed bytes of all the parts of a workbook together.
pub const MAX_WORKBOOK_BYTES: u64 = 256 << 20;
