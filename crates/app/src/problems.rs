//! What an import found wrong, located to file, line and column, readable in Italian and English.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    It,
    En,
}

impl Lang {
    /// Italian when the environment's locale is Italian (`LANG=it_IT.UTF-8`), English otherwise.
    pub fn from_locale(lang: Option<&str>) -> Lang {
        match lang {
            Some(l) if l.to_ascii_lowercase().starts_with("it") => Lang::It,
            _ => Lang::En,
        }
    }
}

/// One message in both languages; the web UI shows Italian, the CLI follows the locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Msg {
    pub it: String,
    pub en: String,
}

impl Msg {
    pub fn new(it: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg { it: it.into(), en: en.into() }
    }

    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::It => &self.it,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    /// 1-based line of the file (for XLSX, the sheet row).
    pub line: Option<usize>,
    /// Column name as in the header (or the Excel column letter when there is no header).
    pub column: Option<String>,
    pub message: Msg,
}

impl Problem {
    pub fn render(&self, lang: Lang) -> String {
        let mut place = self.file.clone();
        if let Some(l) = self.line {
            place.push_str(&format!(":{l}"));
        }
        if let Some(c) = &self.column {
            place.push_str(&format!(":{c}"));
        }
        format!("{place}: {}", self.message.text(lang))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::It))
    }
}

/// Collects errors and warnings while validating; errors block the import, warnings do not.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Findings {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Findings {
    pub fn error(&mut self, file: &str, line: Option<usize>, column: Option<&str>, message: Msg) {
        self.errors.push(Problem { file: file.into(), line, column: column.map(Into::into), message });
    }

    pub fn warning(&mut self, file: &str, line: Option<usize>, column: Option<&str>, message: Msg) {
        self.warnings.push(Problem { file: file.into(), line, column: column.map(Into::into), message });
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}
