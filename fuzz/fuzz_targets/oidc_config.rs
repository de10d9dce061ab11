//! The OpenID providers' TOML file (`AMBITO_OIDC_CONFIG`).
#![no_main]

use ambito_web::oidc::OidcConfig;
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(config) = OidcConfig::parse(text) else { return };
    let mut names = HashSet::new();
    for p in &config.providers {
        assert!(names.insert(&p.name), "provider names are unique");
        assert!(!p.name.is_empty() && p.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        for url in [&p.issuer, &p.redirect_url] {
            let local = ["http://127.", "http://[::1]", "http://localhost"].iter().any(|l| url.to_lowercase().starts_with(l));
            assert!(url.to_lowercase().starts_with("https://") || local, "only https, or http to loopback: {url}");
        }
        assert!(config.provider(&p.name).is_some());
    }
});
