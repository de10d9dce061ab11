//! The small expression language of indicator numerators and denominators.
//!
//! `term (('+' | '-') term)*`, where a term is a number, a name (`utenti`, `budget`, `target`,
//! `prev.utenti`, …) or `first(a, b, …)`: the first operand that is recorded and not zero. Names are
//! resolved by the caller, so the same language serves service rows, area totals and, later, the
//! case record.

use crate::value::{Blank, Value};
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Expr {
    Number(Decimal),
    Name(String),
    First(Vec<Expr>),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("espressione non valida «{source_text}» alla posizione {position}: {message}")]
pub struct ExprError {
    pub source_text: String,
    pub position: usize,
    pub message: String,
}

/// A name the scope does not know (a typo in an indicator formula, not a missing value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownName;

/// How names get their values: `Err(UnknownName)` for a name that does not exist, `Ok(None)`
/// for a known name whose value was not recorded.
pub trait Scope {
    fn lookup(&self, name: &str) -> Result<Option<Decimal>, UnknownName>;
}

impl<F: Fn(&str) -> Result<Option<Decimal>, UnknownName>> Scope for F {
    fn lookup(&self, name: &str) -> Result<Option<Decimal>, UnknownName> {
        self(name)
    }
}

impl Expr {
    pub fn parse(text: &str) -> Result<Expr, ExprError> {
        let mut p = Parser { text, pos: 0 };
        let e = p.sum()?;
        p.skip_ws();
        if p.pos != text.len() {
            return Err(p.error("testo inatteso"));
        }
        Ok(e)
    }

    pub fn eval(&self, scope: &dyn Scope) -> Value {
        match self {
            Expr::Number(n) => Value::Number(*n),
            Expr::Name(name) => match scope.lookup(name) {
                Ok(Some(v)) => Value::Number(v),
                Ok(None) if name == "target" => Value::Blank(Blank::NoTarget),
                Ok(None) if name.starts_with("prev.") => Value::Blank(Blank::NoPrevious),
                Ok(None) => Value::Blank(Blank::NotRecorded(name.clone())),
                Err(UnknownName) => Value::Blank(Blank::Unknown(name.clone())),
            },
            Expr::First(options) => {
                let mut first_blank = None;
                for option in options {
                    match option.eval(scope) {
                        Value::Number(n) if !n.is_zero() => return Value::Number(n),
                        Value::Number(zero) => return_if_last(&mut first_blank, Value::Number(zero)),
                        blank => {
                            if first_blank.is_none() {
                                first_blank = Some(blank)
                            }
                        }
                    }
                }
                first_blank.unwrap_or(Value::Blank(Blank::NotRecorded(self.to_string())))
            }
            Expr::Add(a, b) => combine(a.eval(scope), b.eval(scope), Decimal::checked_add),
            Expr::Sub(a, b) => combine(a.eval(scope), b.eval(scope), Decimal::checked_sub),
        }
    }

    /// Every name the expression uses, for validation and for explaining a figure.
    pub fn names(&self) -> Vec<&str> {
        match self {
            Expr::Number(_) => vec![],
            Expr::Name(n) => vec![n.as_str()],
            Expr::First(xs) => xs.iter().flat_map(Expr::names).collect(),
            Expr::Add(a, b) | Expr::Sub(a, b) => a.names().into_iter().chain(b.names()).collect(),
        }
    }
}

/// In `first(…)` a recorded zero wins over a blank, so that `x / first(…)` reports a division by
/// zero rather than a missing figure when every option was recorded as zero.
fn return_if_last(slot: &mut Option<Value>, zero: Value) {
    if !matches!(slot, Some(Value::Number(_))) {
        *slot = Some(zero);
    }
}

/// A result beyond the 28 digits of a decimal: a blank that says so, never a panic (the plain
/// operators panicked on it; found by the `expr` fuzz target).
pub fn out_of_range() -> Value {
    Value::Blank(Blank::NotComputable("risultato fuori dall'intervallo dei numeri rappresentabili".into()))
}

fn combine(a: Value, b: Value, f: impl Fn(Decimal, Decimal) -> Option<Decimal>) -> Value {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => f(x, y).map_or_else(out_of_range, Value::Number),
        (Value::Blank(r), _) | (_, Value::Blank(r)) => Value::Blank(r),
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Number(n) => write!(f, "{n}"),
            Expr::Name(n) => write!(f, "{n}"),
            Expr::First(xs) => {
                write!(f, "first(")?;
                for (i, x) in xs.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{x}")?;
                }
                write!(f, ")")
            }
            // The operators group to the left: a sum or difference on the right needs its
            // parentheses back, or `a - (b - c)` would print as `a - b - c` (found by fuzzing).
            Expr::Add(a, b) => write!(f, "{a} + {}", Grouped(b)),
            Expr::Sub(a, b) => write!(f, "{a} - {}", Grouped(b)),
        }
    }
}

/// An operand printed in parentheses when it is itself a sum or a difference.
struct Grouped<'a>(&'a Expr);

impl fmt::Display for Grouped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            e @ (Expr::Add(..) | Expr::Sub(..)) => write!(f, "({e})"),
            e => write!(f, "{e}"),
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> ExprError {
        ExprError { source_text: self.text.to_string(), position: self.pos, message: message.to_string() }
    }

    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn sum(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.term()?;
        loop {
            if self.eat('+') {
                left = Expr::Add(Box::new(left), Box::new(self.term()?));
            } else if self.eat('-') {
                left = Expr::Sub(Box::new(left), Box::new(self.term()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn term(&mut self) -> Result<Expr, ExprError> {
        self.skip_ws();
        if self.eat('(') {
            let inner = self.sum()?;
            return if self.eat(')') { Ok(inner) } else { Err(self.error("manca «)»")) };
        }
        let start = self.pos;
        let len = self.rest().find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).unwrap_or(self.rest().len());
        if len == 0 {
            return Err(self.error("atteso un numero o un nome"));
        }
        let word = &self.text[start..start + len];
        self.pos += len;
        if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            return word.parse().map(Expr::Number).map_err(|_| {
                self.pos = start;
                self.error("numero non valido")
            });
        }
        if word == "first" {
            if !self.eat('(') {
                return Err(self.error("atteso «(» dopo first"));
            }
            let mut options = vec![self.sum()?];
            while self.eat(',') {
                options.push(self.sum()?);
            }
            return if self.eat(')') { Ok(Expr::First(options)) } else { Err(self.error("manca «)»")) };
        }
        Ok(Expr::Name(word.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    fn scope(name: &str) -> Result<Option<Decimal>, UnknownName> {
        match name {
            "utenti" => Ok(Some(d("10"))),
            "beneficiari" => Ok(Some(d("0"))),
            "accessi" => Ok(None),
            "prev.utenti" => Ok(None),
            "ore" => Ok(Some(d("2.5"))),
            _ => Err(UnknownName),
        }
    }

    #[test]
    fn parses_and_prints() {
        let e = Expr::parse(" first(utenti, beneficiari,accessi) - 3 + prev.utenti").unwrap();
        assert_eq!(e.to_string(), "first(utenti, beneficiari, accessi) - 3 + prev.utenti");
        for (text, printed) in
            [("a-(b-c)", "a - (b - c)"), ("a+(b+c)", "a + (b + c)"), ("(a-b)-c", "a - b - c"), ("a-(first(b))", "a - first(b)")]
        {
            let e = Expr::parse(text).expect("parses");
            assert_eq!(e.to_string(), printed);
            assert_eq!(Expr::parse(printed).as_ref(), Ok(&e), "{printed} reads back as {text}");
        }
        assert_eq!(e.names(), vec!["utenti", "beneficiari", "accessi", "prev.utenti"]);
    }

    #[test]
    fn evaluates_with_blanks() {
        assert_eq!(Expr::parse("utenti + ore").unwrap().eval(&scope), Value::Number(d("12.5")));
        assert_eq!(Expr::parse("utenti - accessi").unwrap().eval(&scope), Value::Blank(Blank::NotRecorded("accessi".into())));
        assert_eq!(Expr::parse("prev.utenti").unwrap().eval(&scope), Value::Blank(Blank::NoPrevious));
        assert_eq!(Expr::parse("nonsense").unwrap().eval(&scope), Value::Blank(Blank::Unknown("nonsense".into())));
    }

    #[test]
    fn first_skips_blanks_and_zeros() {
        assert_eq!(Expr::parse("first(accessi, beneficiari, utenti)").unwrap().eval(&scope), Value::Number(d("10")));
        assert_eq!(Expr::parse("first(accessi, beneficiari)").unwrap().eval(&scope), Value::Number(d("0")));
        assert_eq!(Expr::parse("first(accessi, prev.utenti)").unwrap().eval(&scope), Value::Blank(Blank::NotRecorded("accessi".into())));
    }

    #[test]
    fn syntax_errors_say_where() {
        let err = Expr::parse("utenti +").unwrap_err();
        assert_eq!(err.position, 8);
        assert!(Expr::parse("first(utenti").is_err());
        assert!(Expr::parse("utenti utenti").is_err());
        assert!(Expr::parse("(utenti").is_err());
        assert!(Expr::parse("").is_err());
    }
}
