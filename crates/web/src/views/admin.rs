//! Administration pages.

use super::Layout;
use ambito_app::rows::{RoleRow, UserRoleRow, UserRow};
use askama::Template;
use askama_web::WebTemplate;

pub struct UserLine {
    pub username: String,
    pub name: String,
    pub roles: String,
    pub suspended: bool,
    pub totp: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
pub struct UsersPage {
    pub layout: Layout,
    pub users: Vec<UserLine>,
    pub roles: Vec<(String, String)>,
    pub ambiti: Vec<(String, String)>,
    pub error: Option<String>,
}

impl UsersPage {
    pub fn new(
        users: Vec<(UserRow, Vec<UserRoleRow>)>,
        roles: Vec<(String, String)>,
        ambiti: Vec<(String, String)>,
        error: Option<String>,
    ) -> UsersPage {
        let users = users
            .into_iter()
            .map(|(u, rs)| UserLine {
                roles: rs
                    .iter()
                    .map(|r| {
                        let scope = [r.ambito_code.clone(), r.comune_istat.clone(), r.provider.clone()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" ");
                        if scope.is_empty() { r.role.clone() } else { format!("{} ({scope})", r.role) }
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                username: u.username,
                name: u.display_name,
                suspended: u.suspended != 0,
                totp: u.totp_secret.is_some(),
            })
            .collect();
        UsersPage { layout: Layout::new("Utenti"), users, roles, ambiti, error }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_roles.html")]
pub struct RolesPage {
    pub layout: Layout,
    pub permissions: Vec<&'static str>,
    /// (role code, role name, granted flag per permission)
    pub roles: Vec<(String, String, Vec<bool>)>,
}

impl RolesPage {
    pub fn new(roles: Vec<(RoleRow, Vec<String>)>) -> RolesPage {
        let permissions: Vec<&'static str> = ambito_domain::access::Perm::ALL.iter().map(|p| p.code()).collect();
        let roles =
            roles.into_iter().map(|(r, ps)| (r.code, r.name, permissions.iter().map(|p| ps.iter().any(|x| x == p)).collect())).collect();
        RolesPage { layout: Layout::new("Ruoli e permessi"), permissions, roles }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_audit.html")]
pub struct AuditPage {
    pub layout: Layout,
    pub action: String,
    pub persona: String,
    pub utente: String,
    pub dal: String,
    pub al: String,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub csv: Option<String>,
}

impl AuditPage {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        layout: Layout,
        action: &str,
        persona: &Option<String>,
        utente: &Option<String>,
        dal: &Option<String>,
        al: &Option<String>,
        rows: Vec<Vec<String>>,
        csv: Option<String>,
    ) -> AuditPage {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        AuditPage {
            layout,
            action: action.to_string(),
            persona: s(persona),
            utente: s(utente),
            dal: s(dal),
            al: s(al),
            header: vec!["N.", "Quando", "Utente", "Azione", "Oggetto", "Persona", "Ambito", "Indirizzo", "Motivo"],
            rows,
            csv,
        }
    }
}
