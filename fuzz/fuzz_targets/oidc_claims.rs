//! The mapping of an OpenID provider's verified claims to the login's identity.
#![no_main]

use ambito_domain::codice_fiscale::CodiceFiscale;
use ambito_web::oidc::{OidcConfig, map_claims};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const PROVIDERS: &str = r#"
[[provider]]
name = "spid"
issuer = "https://login.example.it/oidc"
client_id = "ambito"
redirect_url = "https://ambito.example.it/accesso/oidc/spid/callback"

[[provider]]
name = "cie"
issuer = "https://cie.example.it"
client_id = "ambito"
redirect_url = "https://ambito.example.it/accesso/oidc/cie/callback"
[provider.claims]
fiscal_code = "fiscal_number"
fiscal_code_prefix = ""
"#;

fuzz_target!(|data: &[u8]| {
    static CONFIG: OnceLock<OidcConfig> = OnceLock::new();
    let config = CONFIG.get_or_init(|| OidcConfig::parse(PROVIDERS).expect("providers"));
    let Ok(serde_json::Value::Object(all)) = serde_json::from_slice(data) else { return };
    for p in &config.providers {
        let c = map_claims(p, p.issuer.clone(), "sub", &all);
        assert_eq!(c.provider, p.name);
        if let Some(cf) = &c.fiscal_code {
            assert_eq!(CodiceFiscale::parse(cf).map(|c| c.to_string()).as_deref(), Ok(cf.as_str()), "a mapped codice fiscale is valid");
        }
        for v in [&c.name, &c.email].into_iter().flatten() {
            assert!(!v.is_empty() && v.trim() == v, "{v:?}");
        }
    }
});
