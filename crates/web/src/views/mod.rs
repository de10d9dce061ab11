//! Page templates (askama) and the shared [`Layout`].
//!
//! Pattern: every page struct has a `layout: Layout` field and its template
//! starts with `{% extends "base.html" %}`; `base.html` reads `layout.*`
//! (title, current Ambito, active nav item, breadcrumb) and the page fills
//! `{% block content %}` (optionally `{% block head %}` / `{% block scripts %}`).
//!
//! ```text
//! #[derive(askama::Template, askama_web::WebTemplate)]
//! #[template(path = "servizi.html")]
//! pub struct ServiziPage {
//!     pub layout: Layout,
//!     pub righe: Vec<RigaServizio>,
//! }
//!
//! let layout = Layout::new("Servizi")
//!     .with_ambito("AT01", "Ambito di Esempio")
//!     .with_active(nav::SERVIZI)
//!     .crumb("Ambiti", Some("/"))
//!     .crumb("Ambito di Esempio", Some("/ambiti/AT01"))
//!     .crumb("Servizi", None);
//! ```
//! A handler simply returns the page struct: `WebTemplate` makes it an
//! axum response (200, `text/html; charset=utf-8`).

pub mod activity;
pub mod admin;
pub mod auth;
pub mod cases;
pub mod dashboard;
pub mod demography;
pub mod documents;
pub mod home;
pub mod job;
pub mod persons;
pub mod report;
pub mod services;
pub mod table;
pub mod texts;
pub mod upload;

/// Keys for [`Layout::active`]: which navbar item is highlighted.
pub mod nav {
    pub const AMBITI: &str = "ambiti";
    pub const CRUSCOTTO: &str = "cruscotto";
    pub const SERVIZI: &str = "servizi";
    pub const ATTIVITA: &str = "attivita";
    pub const DEMOGRAFIA: &str = "demografia";
    pub const RELAZIONE: &str = "relazione";
    pub const QUESTIONARI: &str = "questionari";
    pub const PIANO: &str = "piano";
    pub const AREA_PERSONALE: &str = "area_personale";
    pub const PERSONE: &str = "persone";
    pub const LAVORO: &str = "lavoro";
    pub const ACCESSI: &str = "accessi";
}

/// Data every page passes to `base.html`.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Page title (`<title>` is "`title` · ambito").
    pub title: String,
    /// Current Ambito as (code, name); drives the navbar and the tagline.
    pub ambito: Option<(String, String)>,
    /// Key of the active navbar item (see [`nav`]); "" for none.
    pub active: &'static str,
    /// Breadcrumb as (label, link); the last item usually has no link.
    /// Empty: no breadcrumb is shown.
    pub breadcrumb: Vec<(String, Option<String>)>,
    /// The logged-in user's name; empty when anonymous.
    pub user_name: String,
    /// The CSRF token every form on the page must send back (`_csrf`).
    pub csrf: String,
    /// Links to pages the caller's roles open outside an Ambito (administration, audit).
    pub tools: Vec<(&'static str, &'static str)>,
    /// A page of the citizens' surface (`crate::portal`): no staff navigation.
    pub portal: bool,
    /// The current Ambito's id, when the page knows it (the persons sections need it).
    pub ambito_id: Option<i64>,
    /// The Ambiti (ids) where the caller may read persons: the case-record sections show there.
    pub person_ambiti: PersonAmbiti,
}

/// Where the caller holds `person.read`: every Ambito, or these ids.
#[derive(Debug, Clone, Default)]
pub enum PersonAmbiti {
    #[default]
    None,
    All,
    Some(Vec<i64>),
}

/// One navbar entry, computed by [`Layout::nav_items`].
#[derive(Debug, Clone)]
pub struct NavItem {
    pub label: &'static str,
    pub href: String,
    pub active: bool,
}

impl Layout {
    pub fn new(title: impl Into<String>) -> Self {
        use ambito_domain::access::Perm;
        let caller = crate::access::current();
        let mut tools = Vec::new();
        if let Some(p) = caller.user() {
            if p.may(Perm::UserManage, None) {
                tools.push(("Utenti", "/amministrazione/utenti"));
            }
            if p.may(Perm::RoleManage, None) {
                tools.push(("Ruoli", "/amministrazione/ruoli"));
            }
            if p.may(Perm::AuditRead, None) {
                tools.push(("Registro accessi", "/amministrazione/registro"));
            }
        }
        let user_name = match caller.user() {
            Some(p) if caller.display_name.is_empty() => p.username.clone(),
            Some(_) => caller.display_name.clone(),
            None => String::new(),
        };
        let person_ambiti = match caller.user() {
            Some(p) if p.is_citizen_only() => PersonAmbiti::None,
            Some(p) if p.may(Perm::PersonRead, None) => PersonAmbiti::All,
            Some(p) => PersonAmbiti::Some(
                p.grants.iter().filter(|g| g.permissions.contains(Perm::PersonRead.code())).filter_map(|g| g.ambito_id).collect(),
            ),
            None => PersonAmbiti::None,
        };
        Layout { title: title.into(), user_name, csrf: caller.csrf, tools, person_ambiti, ambito_id: caller.ambito_id, ..Layout::default() }
    }

    /// The layout of the citizens' surface: their own area is the only section, and no staff
    /// tools are offered even to a citizen who also holds a staff role.
    pub fn portal(title: impl Into<String>) -> Self {
        Layout { portal: true, tools: Vec::new(), ..Layout::new(title) }
    }

    pub fn with_ambito(mut self, code: impl Into<String>, name: impl Into<String>) -> Self {
        self.ambito = Some((code.into(), name.into()));
        self
    }

    fn shows_persons(&self) -> bool {
        match (&self.person_ambiti, self.ambito_id) {
            (PersonAmbiti::All, _) => true,
            (PersonAmbiti::Some(ids), Some(id)) => ids.contains(&id),
            _ => false,
        }
    }

    pub fn with_active(mut self, key: &'static str) -> Self {
        self.active = key;
        self
    }

    pub fn crumb(mut self, label: impl Into<String>, href: Option<&str>) -> Self {
        self.breadcrumb.push((label.into(), href.map(str::to_owned)));
        self
    }

    /// Navbar entries: the sections of the current Ambito, or only the list
    /// of Ambiti when none is selected.
    /// URL scheme: `/ambiti/{code}` (cruscotto), `/ambiti/{code}/servizi`,
    /// `/ambiti/{code}/attivita`, `/ambiti/{code}/demografia`,
    /// `/ambiti/{code}/relazione`.
    pub fn nav_items(&self) -> Vec<NavItem> {
        let item = |key: &str, label: &'static str, href: String| NavItem { label, href, active: self.active == key };
        if self.portal {
            return vec![item(nav::AREA_PERSONALE, "Area personale", "/area-personale".to_owned())];
        }
        match &self.ambito {
            None => vec![item(nav::AMBITI, "Ambiti", "/".to_owned())],
            Some((code, _)) => {
                let base = format!("/ambiti/{}", encode_segment(code));
                let mut items = vec![
                    item(nav::CRUSCOTTO, "Cruscotto", base.clone()),
                    item(nav::SERVIZI, "Servizi", format!("{base}/servizi")),
                    item(nav::ATTIVITA, "Attività", format!("{base}/attivita")),
                    item(nav::DEMOGRAFIA, "Demografia", format!("{base}/demografia")),
                    item(nav::RELAZIONE, "Relazione annuale", format!("{base}/relazione")),
                    item(nav::QUESTIONARI, "Questionari", format!("{base}/questionari")),
                    item(nav::PIANO, "Piano di Zona", format!("{base}/piano")),
                ];
                if self.shows_persons() {
                    items.insert(1, item(nav::LAVORO, "Il mio lavoro", format!("{base}/lavoro")));
                    items.insert(2, item(nav::PERSONE, "Persone", format!("{base}/persone")));
                    items.insert(3, item(nav::ACCESSI, "Accessi", format!("{base}/accessi")));
                }
                items
            }
        }
    }

    /// Text under the product name in the center header.
    pub fn tagline(&self) -> String {
        if self.portal {
            return "Area del cittadino".to_owned();
        }
        match &self.ambito {
            Some((code, name)) => format!("{name} ({code})"),
            None => "Sistema informativo degli Ambiti territoriali sociali".to_owned(),
        }
    }
}

/// Percent-encodes a path segment (Ambito codes are normally plain
/// alphanumerics; this only guards against surprises).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Template helpers callable from askama as `crate::views::asset("...")`
/// and `crate::views::icon("it-...")`.
pub use crate::assets::{icon, url as asset};

/// Italian number formatting for templates; a blank is an empty cell, never a zero. The texts
/// come from `ambito_render::figures`, so a page shows the digits the PDF and workbook show.
pub mod fmt {
    use ambito_domain::measures::Measure;
    use ambito_render::figures::{count_text, euro_text, measure_text};
    use rust_decimal::Decimal;

    pub fn count(v: &Option<Decimal>) -> String {
        count_text(*v)
    }

    pub fn hours(v: &Option<Decimal>) -> String {
        measure_text(Measure::Ore, *v)
    }

    pub fn euro(v: &Option<Decimal>) -> String {
        euro_text(*v)
    }

    pub fn measure(m: Measure, v: &Option<Decimal>) -> String {
        measure_text(m, *v)
    }
}
