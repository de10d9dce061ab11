//! Which OpenID providers ambito trusts: a TOML file named by `AMBITO_OIDC_CONFIG`.
//!
//! ```toml
//! [[provider]]
//! name = "regione"                      # the path segment: /accesso/oidc/regione
//! label = "SPID e CIE (gateway della Regione)"
//! issuer = "https://login.regione.example.it/oidc"
//! client_id = "ambito-alto-sebino"
//! client_secret_env = "AMBITO_OIDC_REGIONE_SECRET"   # or client_secret = "…"
//! redirect_url = "https://ambito.example.it/accesso/oidc/regione/callback"
//! scopes = ["openid", "profile", "email"]            # the default
//! [provider.claims]                                  # the defaults
//! fiscal_code = "fiscalNumber"
//! fiscal_code_prefix = "TINIT-"
//! name = "name"
//! email = "email"
//! ```
//!
//! Plain `http` is accepted only for loopback hosts (tests, a gateway on the same machine).

use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcConfig {
    #[serde(default, rename = "provider")]
    pub providers: Vec<ProviderConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub name: String,
    #[serde(default)]
    pub label: String,
    pub issuer: String,
    pub client_id: String,
    #[serde(default)]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub client_secret_env: Option<String>,
    pub redirect_url: String,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub claims: ClaimMapping,
}

/// Where, among the verified claims, each field ambito needs is found.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClaimMapping {
    /// SPID: `fiscalNumber`; CIE: `fiscal_number`; some gateways: `codice_fiscale`.
    pub fiscal_code: String,
    /// SPID writes the fiscal number as `TINIT-` + codice fiscale.
    pub fiscal_code_prefix: String,
    pub name: String,
    pub email: String,
}

impl Default for ClaimMapping {
    fn default() -> Self {
        ClaimMapping { fiscal_code: "fiscalNumber".into(), fiscal_code_prefix: "TINIT-".into(), name: "name".into(), email: "email".into() }
    }
}

fn default_scopes() -> Vec<String> {
    vec!["openid".into(), "profile".into(), "email".into()]
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}: {1}")]
    Read(String, std::io::Error),
    #[error("{0}: {1}")]
    Parse(String, String),
    #[error("provider «{0}»: {1}")]
    Invalid(String, String),
}

impl OidcConfig {
    /// The configuration named by `AMBITO_OIDC_CONFIG`; none configured means no provider.
    pub fn from_env() -> Result<OidcConfig, ConfigError> {
        match std::env::var_os("AMBITO_OIDC_CONFIG") {
            Some(path) if !path.is_empty() => OidcConfig::load(Path::new(&path)),
            _ => Ok(OidcConfig { providers: vec![] }),
        }
    }

    pub fn load(path: &Path) -> Result<OidcConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.display().to_string(), e))?;
        OidcConfig::parse(&text).map_err(|e| match e {
            ConfigError::Parse(_, m) => ConfigError::Parse(path.display().to_string(), m),
            other => other,
        })
    }

    pub fn parse(text: &str) -> Result<OidcConfig, ConfigError> {
        let mut config: OidcConfig = toml::from_str(text).map_err(|e| ConfigError::Parse(String::new(), e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for p in &mut config.providers {
            p.validate()?;
            if !seen.insert(p.name.clone()) {
                return Err(ConfigError::Invalid(p.name.clone(), "nome ripetuto".into()));
            }
        }
        Ok(config)
    }

    pub fn provider(&self, name: &str) -> Option<&ProviderConfig> {
        self.providers.iter().find(|p| p.name == name)
    }
}

impl ProviderConfig {
    fn validate(&mut self) -> Result<(), ConfigError> {
        let bad = |m: &str| Err(ConfigError::Invalid(self.name.clone(), m.to_string()));
        if self.name.is_empty() || !self.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return bad("il nome può contenere solo lettere minuscole, cifre e «-»");
        }
        if let Err(m) = secure_url(&self.issuer) {
            return bad(&format!("issuer: {m}"));
        }
        if let Err(m) = secure_url(&self.redirect_url) {
            return bad(&format!("redirect_url: {m}"));
        }
        let expected = format!("/accesso/oidc/{}/callback", self.name);
        if !self.redirect_url.split('?').next().unwrap_or("").ends_with(&expected) {
            return bad(&format!("redirect_url deve terminare con {expected}"));
        }
        if self.client_id.is_empty() {
            return bad("client_id mancante");
        }
        if self.client_secret.is_some() && self.client_secret_env.is_some() {
            return bad("indicare client_secret oppure client_secret_env, non entrambi");
        }
        if !self.scopes.iter().any(|s| s == "openid") {
            self.scopes.insert(0, "openid".into());
        }
        if self.label.is_empty() {
            self.label = self.name.clone();
        }
        Ok(())
    }

    /// The client secret, read from the environment variable when so configured.
    pub fn secret(&self) -> Option<String> {
        match (&self.client_secret, &self.client_secret_env) {
            (Some(s), _) => Some(s.clone()),
            (None, Some(var)) => std::env::var(var).ok().filter(|s| !s.is_empty()),
            (None, None) => None,
        }
    }
}

/// `https://…`, or `http://` to a loopback host only: tokens and codes never cross a network in clear.
fn secure_url(url: &str) -> Result<(), String> {
    // The URL parser would read `https:/host` or `https:host` as `https://host/`; such a typo is
    // refused rather than guessed (found by the `oidc_config` fuzz target).
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(format!("«{url}»: l'indirizzo deve iniziare con https://"));
    }
    let parsed = openidconnect::url::Url::parse(url).map_err(|e| format!("URL non valido «{url}»: {e}"))?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => match parsed.host() {
            Some(openidconnect::url::Host::Ipv4(ip)) if ip.is_loopback() => Ok(()),
            Some(openidconnect::url::Host::Ipv6(ip)) if ip.is_loopback() => Ok(()),
            Some(openidconnect::url::Host::Domain("localhost")) => Ok(()),
            _ => Err(format!("«{url}»: serve https (http solo verso localhost)")),
        },
        other => Err(format!("«{url}»: schema «{other}» non ammesso")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[provider]]
name = "regione"
issuer = "https://login.example.it/oidc"
client_id = "ambito"
client_secret = "s"
redirect_url = "https://ambito.example.it/accesso/oidc/regione/callback"
scopes = ["profile"]
"#;

    #[test]
    fn defaults_fill_in() {
        let c = OidcConfig::parse(GOOD).unwrap();
        let p = c.provider("regione").unwrap();
        assert_eq!(p.scopes, ["openid", "profile"]);
        assert_eq!(p.claims.fiscal_code, "fiscalNumber");
        assert_eq!(p.claims.fiscal_code_prefix, "TINIT-");
        assert_eq!(p.label, "regione");
        assert_eq!(p.secret().as_deref(), Some("s"));
    }

    #[test]
    fn clear_text_only_to_loopback() {
        let http = GOOD.replace("https://login.example.it", "http://login.example.it");
        assert!(matches!(OidcConfig::parse(&http), Err(ConfigError::Invalid(_, m)) if m.contains("serve https")));
        let local =
            GOOD.replace("https://login.example.it", "http://127.0.0.1:9000").replace("https://ambito.example.it", "http://localhost:8080");
        assert!(OidcConfig::parse(&local).is_ok());
    }

    #[test]
    fn a_url_without_its_two_slashes_is_refused() {
        for typo in ["https:/login.example.it", "https:login.example.it", "login.example.it"] {
            let bad = GOOD.replace("https://login.example.it", typo);
            assert!(
                matches!(OidcConfig::parse(&bad), Err(ConfigError::Invalid(_, m)) if m.contains("deve iniziare con https://")),
                "{typo}"
            );
        }
    }

    #[test]
    fn redirect_must_be_this_providers_callback() {
        let wrong = GOOD.replace("/accesso/oidc/regione/callback", "/accesso/oidc/altro/callback");
        assert!(matches!(OidcConfig::parse(&wrong), Err(ConfigError::Invalid(_, m)) if m.contains("redirect_url deve terminare")));
        let bad_name = GOOD.replace("name = \"regione\"", "name = \"Regione Lombardia\"");
        assert!(OidcConfig::parse(&bad_name).is_err());
        let twice = format!("{GOOD}{GOOD}");
        assert!(matches!(OidcConfig::parse(&twice), Err(ConfigError::Invalid(_, m)) if m == "nome ripetuto"));
        assert!(OidcConfig::parse("[[provider]]\nname = \"x\"\nfoo = 1\n").is_err());
    }
}
