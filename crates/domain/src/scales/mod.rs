//! Assessment scales (process B of the case record). A form is data ([`form::FormDefinition`]);
//! its `scale` names the rule here that checks the form's shape, checks answers across items, and
//! turns the points into a band. The built-in forms (Barthel, Katz, Lawton, SINA, SINBA) are
//! defined in their modules and seeded into `assessment_form`; a later version of a form is a new
//! row, so assessments keep the version they were filled with.

pub mod barthel;
pub mod form;
pub mod katz;
pub mod lawton;
pub mod sina;
pub mod sinba;

use form::{Choice, FormDefinition, Item, ItemKind};

/// The rule a form is scored by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Barthel,
    Katz,
    Lawton,
    Sina,
    Sinba,
    /// A form of the Ambito's own: points summed, no band.
    Somma,
}

impl Scale {
    pub fn from_code(code: &str) -> Option<Scale> {
        Some(match code {
            "barthel" => Scale::Barthel,
            "katz" => Scale::Katz,
            "lawton" => Scale::Lawton,
            "sina" => Scale::Sina,
            "sinba" => Scale::Sinba,
            "somma" => Scale::Somma,
            _ => return None,
        })
    }

    /// Whether a filled form has a score (SINA and SINBA are coded data, not a total).
    pub fn scored(self) -> bool {
        !matches!(self, Scale::Sina | Scale::Sinba)
    }

    pub fn band(self, score: i64) -> Option<&'static str> {
        match self {
            Scale::Barthel => barthel::band(score),
            Scale::Katz => katz::band(score),
            // Lawton's IADL has no published cut-off for bands: the score (0–8) is the result.
            Scale::Lawton | Scale::Sina | Scale::Sinba | Scale::Somma => None,
        }
    }

    /// The scale's own shape, so a new version of a built-in form cannot change what its score
    /// means (or drop a field SIUSS requires).
    fn check_shape(self, def: &FormDefinition) -> Result<(), String> {
        match self {
            Scale::Barthel => points_shape(def, 10, &[0, 5, 10, 15], 100, "Barthel"),
            Scale::Katz => points_shape(def, 6, &[0, 1], 6, "Katz"),
            Scale::Lawton => points_shape(def, 8, &[0, 1], 8, "Lawton"),
            Scale::Sina => same_fields(def, &sina::form(), "SINA"),
            Scale::Sinba => same_fields(def, &sinba::form(), "SINBA"),
            Scale::Somma => Ok(()),
        }
    }
}

fn points_shape(def: &FormDefinition, items: usize, allowed: &[i64], total: i64, name: &str) -> Result<(), String> {
    let ok_points = def.items.iter().all(|i| {
        i.kind == ItemKind::SingleChoice && i.required && i.options.iter().all(|o| o.points.is_some_and(|p| allowed.contains(&p)))
    });
    if def.items.len() != items || !ok_points || def.max_points() != total {
        return Err(format!("un modulo {name} ha {items} voci a scelta obbligatorie con punti {allowed:?} e totale massimo {total}"));
    }
    Ok(())
}

/// Every field of `reference` is in `def` with the same kind, obligation and option values.
fn same_fields(def: &FormDefinition, reference: &FormDefinition, name: &str) -> Result<(), String> {
    for r in &reference.items {
        let Some(i) = def.items.iter().find(|i| i.id == r.id) else { return Err(format!("al modulo {name} manca il campo {}", r.id)) };
        let values = |i: &Item| i.options.iter().map(|o| o.value.clone()).collect::<Vec<_>>();
        if i.kind != r.kind
            || i.required != r.required
            || values(i) != values(r)
            || i.format != r.format
            || (i.min, i.max) != (r.min, r.max)
        {
            return Err(format!("il campo {} del modulo {name} non è come lo definisce SIUSS", r.id));
        }
    }
    Ok(())
}

/// A required single-choice item whose options carry points; `(value, label, points)`.
fn scored_item(id: &str, label: &str, options: &[(&str, &str, i64)]) -> Item {
    let options = options.iter().map(|(v, l, p)| Choice { value: v.to_string(), label: l.to_string(), points: Some(*p) }).collect();
    Item { id: id.into(), label: label.into(), kind: ItemKind::SingleChoice, required: true, options, min: None, max: None, format: None }
}

/// A coded item without points, as SIUSS enumerations are: `(value, label)`.
fn coded_item(id: &str, label: &str, required: bool, kind: ItemKind, options: &[(&str, &str)]) -> Item {
    let options = options.iter().map(|(v, l)| Choice { value: v.to_string(), label: l.to_string(), points: None }).collect();
    Item { id: id.into(), label: label.into(), kind, required, options, min: None, max: None, format: None }
}

fn text_item(id: &str, label: &str, required: bool, format: form::TextFormat) -> Item {
    Item {
        id: id.into(),
        label: label.into(),
        kind: ItemKind::Text,
        required,
        options: Vec::new(),
        min: None,
        max: None,
        format: Some(format),
    }
}

fn number_item(id: &str, label: &str, required: bool, min: i64, max: i64) -> Item {
    Item {
        id: id.into(),
        label: label.into(),
        kind: ItemKind::Number,
        required,
        options: Vec::new(),
        min: Some(min),
        max: Some(max),
        format: None,
    }
}

/// The built-in forms, as the migration seeds them (version 1 of each).
pub fn builtin_forms() -> Vec<FormDefinition> {
    vec![barthel::form(), katz::form(), lawton::form(), sina::form(), sinba::form()]
}

#[cfg(test)]
mod tests;
