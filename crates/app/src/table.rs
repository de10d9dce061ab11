//! Reads a tabular file (CSV in either Italian or international convention, or XLSX) into rows of
//! text with their line numbers, so every importer validates the same way whatever the format.
//!
//! CSV: UTF-8 with or without BOM, or Windows-1252 as Excel on Italian Windows writes it; the
//! delimiter (`;` or `,`) is read off the header line; `;` files use the Italian number style.

use crate::problems::{Findings, Msg};
use ambito_domain::number::NumberStyle;

#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    pub header: Vec<String>,
    /// (1-based line number, cells), blank lines skipped.
    pub rows: Vec<(usize, Vec<String>)>,
    pub style: NumberStyle,
}

impl Table {
    /// Finds each expected column in the header, reporting unknown, duplicate and missing ones.
    /// Returns column indices in the order of `expected`, or `None` after recording errors.
    pub fn columns(&self, expected: &[&str], optional: &[&str], f: &mut Findings) -> Option<Vec<Option<usize>>> {
        let mut ok = true;
        let norm = |s: &str| s.trim().to_lowercase();
        for (i, h) in self.header.iter().enumerate() {
            let name = norm(h);
            if name.is_empty() {
                f.error(&self.file, Some(1), Some(&column_letter(i)), Msg::new("intestazione di colonna vuota", "empty column header"));
                ok = false;
            } else if !expected.iter().chain(optional).any(|e| norm(e) == name) {
                f.error(
                    &self.file,
                    Some(1),
                    Some(h.trim()),
                    Msg::new(
                        format!("colonna sconosciuta «{}»; attese: {}", h.trim(), expected.join(";")),
                        format!("unknown column «{}»; expected: {}", h.trim(), expected.join(";")),
                    ),
                );
                ok = false;
            } else if self.header[..i].iter().any(|p| norm(p) == name) {
                f.error(
                    &self.file,
                    Some(1),
                    Some(h.trim()),
                    Msg::new(
                        format!("colonna «{}» ripetuta: ambigua", h.trim()),
                        format!("column «{}» appears twice: ambiguous", h.trim()),
                    ),
                );
                ok = false;
            }
        }
        let mut out = Vec::new();
        for e in expected.iter().chain(optional) {
            let idx = self.header.iter().position(|h| norm(h) == norm(e));
            if idx.is_none() && expected.contains(e) {
                f.error(&self.file, Some(1), Some(e), Msg::new(format!("manca la colonna «{e}»"), format!("missing column «{e}»")));
                ok = false;
            }
            out.push(idx);
        }
        ok.then_some(out)
    }
}

pub fn column_letter(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (i % 26) as u8) as char);
        if i < 26 {
            return s;
        }
        i = i / 26 - 1;
    }
}

/// Reads CSV or XLSX by the file name's extension. All problems go to `findings`.
pub fn read_table(file: &str, bytes: &[u8], findings: &mut Findings) -> Option<Table> {
    let lower = file.to_lowercase();
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") || lower.ends_with(".xls") || lower.ends_with(".ods") {
        read_spreadsheet(file, bytes, findings)
    } else {
        read_csv(file, bytes, findings)
    }
}

fn decode(file: &str, bytes: &[u8], findings: &mut Findings) -> Option<String> {
    let fail = |findings: &mut Findings, it: &str, en: &str| {
        findings.error(file, None, None, Msg::new(it, en));
        None
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return fail(findings, "il file è vuoto", "the file is empty");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return fail(findings, "codifica UTF-16 non supportata: salvare come CSV UTF-8", "UTF-16 is not supported: save as CSV UTF-8");
    }
    if bytes.contains(&0) {
        return fail(
            findings,
            "il file non è testo (contiene byte nulli): è un CSV?",
            "the file is not text (it holds NUL bytes): is it a CSV?",
        );
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return Some(text.to_string());
    }
    let (text, _, had_errors) = encoding_rs::WINDOWS_1252.decode(body);
    // Bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned in Windows-1252: their presence means the
    // file is in some other encoding, and guessing further would corrupt names silently.
    let unassigned = body.iter().any(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D));
    if had_errors || unassigned {
        return fail(
            findings,
            "codifica non riconosciuta: usare UTF-8 oppure Windows-1252",
            "unrecognised encoding: use UTF-8 or Windows-1252",
        );
    }
    Some(text.into_owned())
}

fn read_csv(file: &str, bytes: &[u8], findings: &mut Findings) -> Option<Table> {
    let text = decode(file, bytes, findings)?;
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.matches(';').count() >= first_line.matches(',').count() { b';' } else { b',' };
    let style = if delimiter == b';' { NumberStyle::Italian } else { NumberStyle::International };
    // The csv crate's own line counter skips blank lines; count from byte offsets instead.
    let newlines: Vec<usize> = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
    // A record's position may point at the blank lines before it: skip them.
    let bytes = text.as_bytes();
    let line_at = |byte: u64| {
        let mut at = byte as usize;
        while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        newlines.partition_point(|&nl| nl < at) + 1
    };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| line_at(p.byte()));
                findings.error(file, line, None, Msg::new(format!("CSV non leggibile: {e}"), format!("unreadable CSV: {e}")));
                return None;
            }
        };
        let line = record.position().map(|p| line_at(p.byte())).unwrap_or(0);
        // `unquote`: the spreadsheet-safety quote of ambito's own exports (see `csv_safe`).
        let cells: Vec<String> = record.iter().map(|c| ambito_render::csv_safe::unquote(c).trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match &header {
            None => header = Some(cells),
            Some(h) => {
                if cells.len() != h.len() {
                    findings.error(
                        file,
                        Some(line),
                        None,
                        Msg::new(
                            format!("la riga ha {} campi invece di {}: file troncato o separatore errato", cells.len(), h.len()),
                            format!("the row has {} fields instead of {}: truncated file or wrong delimiter", cells.len(), h.len()),
                        ),
                    );
                    continue;
                }
                rows.push((line, cells));
            }
        }
    }
    if !text.ends_with('\n') && !text.ends_with('\r') && text.lines().count() > 1 {
        // A last line without a newline is normal for Excel exports; the field count check above
        // already catches a row cut in the middle.
    }
    let header = header?;
    Some(Table { file: file.into(), header, rows, style })
}

fn read_spreadsheet(file: &str, bytes: &[u8], findings: &mut Findings) -> Option<Table> {
    use calamine::{Reader, open_workbook_auto_from_rs};
    let cursor = std::io::Cursor::new(bytes.to_vec());
    let mut workbook = match open_workbook_auto_from_rs(cursor) {
        Ok(w) => w,
        Err(e) => {
            findings.error(
                file,
                None,
                None,
                Msg::new(format!("foglio di calcolo non leggibile: {e}"), format!("unreadable spreadsheet: {e}")),
            );
            return None;
        }
    };
    let Some(Ok(range)) = workbook.worksheet_range_at(0) else {
        findings.error(file, None, None, Msg::new("il foglio di calcolo non contiene fogli", "the workbook has no sheets"));
        return None;
    };
    let start_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut header = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| cell_text(c).trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let line = start_row + i + 1;
        match &header {
            None => {
                header =
                    Some(cells.into_iter().rev().skip_while(String::is_empty).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>())
            }
            Some(h) => {
                let mut cells = cells;
                cells.resize(h.len().max(cells.len()), String::new());
                if cells[h.len()..].iter().any(|c| !c.is_empty()) {
                    findings.error(file, Some(line), None, Msg::new("valori oltre l'ultima colonna", "values beyond the last column"));
                    continue;
                }
                cells.truncate(h.len());
                rows.push((line, cells));
            }
        }
    }
    let Some(header) = header else {
        findings.error(file, None, None, Msg::new("il foglio è vuoto", "the sheet is empty"));
        return None;
    };
    Some(Table { file: file.into(), header, rows, style: NumberStyle::International })
}

/// Excel stores numbers as binary floats; print the shortest text that reads back the same
/// float, which is the decimal the user typed (15 significant digits at most).
/// A spreadsheet cell as the text an importer parses: whole numbers without a decimal point,
/// booleans as `si`/`no`, dates typed as dates as ISO dates (underneath they are serial numbers:
/// 45667 would be read as no date at all).
pub(crate) fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => float_text(*f),
        Data::Int(n) => n.to_string(),
        Data::Bool(b) => {
            if *b {
                "si".into()
            } else {
                "no".into()
            }
        }
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, h, min, sec, _) = d.to_ymd_hms_milli();
            if (h, min, sec) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{day:02}")
            } else {
                format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{sec:02}")
            }
        }
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_string(),
        other => other.to_string(),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn windows_1252_and_bom() {
        let mut f = Findings::default();
        let t = read_table("x.csv", b"\xEF\xBB\xBFa;b\n1;Citt\xC3\xA0\n", &mut f).expect("utf8");
        assert_eq!(t.rows[0].1[1], "Città");
        let t = read_table("x.csv", b"a;b\n1;Citt\xE0\n", &mut f).expect("cp1252");
        assert_eq!(t.rows[0].1[1], "Città");
        assert!(!f.has_errors());
        assert!(read_table("x.csv", b"a;b\n1;\x81\xFF\n", &mut f).is_none());
        assert!(f.has_errors());
    }

    #[test]
    fn delimiter_and_style() {
        let mut f = Findings::default();
        let t = read_table("x.csv", b"a,b\n1.5,2\n", &mut f).expect("comma");
        assert_eq!(t.style, NumberStyle::International);
        assert_eq!(t.rows[0], (2, vec!["1.5".to_string(), "2".to_string()]));
        let t = read_table("x.csv", b"a;b\n\n1,5;2\n", &mut f).expect("semicolon");
        assert_eq!(t.style, NumberStyle::Italian);
        assert_eq!(t.rows[0].0, 3, "line numbers count blank lines");
    }

    #[test]
    fn truncated_and_empty() {
        let mut f = Findings::default();
        let t = read_table("x.csv", b"a;b;c\n1;2;3\n4;5", &mut f).expect("table");
        assert_eq!(t.rows.len(), 1);
        assert_eq!(f.errors[0].line, Some(3));
        let mut f = Findings::default();
        assert!(read_table("x.csv", b"  \n", &mut f).is_none());
        assert!(f.errors[0].message.en.contains("empty"));
    }

    #[test]
    fn header_checks() {
        let mut f = Findings::default();
        let t = read_table("x.csv", b"a;zz;a\n1;2;3\n", &mut f).expect("table");
        assert!(t.columns(&["a", "b"], &[], &mut f).is_none());
        let msgs: Vec<&str> = f.errors.iter().map(|e| e.message.en.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("unknown column «zz»")));
        assert!(msgs.iter().any(|m| m.contains("appears twice")));
        assert!(msgs.iter().any(|m| m.contains("missing column «b»")));
    }
}
