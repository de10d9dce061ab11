//! The relying party proper, on the `openidconnect` crate: discovery (cached), the authorization
//! request (code flow, PKCE S256, state, nonce) and the callback (state and `iss` checked, code
//! exchanged, ID token verified: JWKS signature, issuer, audience, expiry, nonce, `at_hash`).

use super::config::{ClaimMapping, ProviderConfig};
use super::pending::Pending;
use ambito_domain::codice_fiscale::CodiceFiscale;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl,
    Scope, StandardErrorResponse, StandardTokenResponse, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Discovery documents and keys are fetched again after this long (key rotation).
const METADATA_TTL: Duration = Duration::from_secs(600);

/// Claims outside the standard set (`fiscalNumber`…), kept as they came.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ExtraClaims {
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
impl AdditionalClaims for ExtraClaims {}

type IdFields =
    IdTokenFields<ExtraClaims, EmptyExtraTokenFields, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;
type Tokens = StandardTokenResponse<IdFields, CoreTokenType>;
type RpClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Asymmetric algorithms only: a symmetric (HS*) token would be signed with our own secret.
const ALLOWED_ALGS: [CoreJwsSigningAlgorithm; 9] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha512,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
    CoreJwsSigningAlgorithm::EdDsa,
];

/// A login the provider vouched for, after every check passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedClaims {
    pub provider: String,
    pub issuer: String,
    pub subject: String,
    /// The codice fiscale, prefix (`TINIT-`) stripped and checked; `None` when the provider sent
    /// none or an invalid one.
    pub fiscal_code: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// Why a login failed. Only logged: the user sees one generic message.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("no pending login (cookie missing, expired or already used)")]
    NoPendingLogin,
    #[error("pending login belongs to provider {0}")]
    WrongProvider(String),
    #[error("state mismatch")]
    StateMismatch,
    #[error("iss parameter {0} is not the configured issuer")]
    IssuerMismatch(String),
    #[error("provider answered with error {0}")]
    ProviderError(String),
    #[error("callback without code")]
    MissingCode,
    #[error("discovery: {0}")]
    Discovery(String),
    #[error("token request: {0}")]
    Token(String),
    #[error("no ID token in the token response")]
    NoIdToken,
    #[error("ID token rejected: {0}")]
    IdToken(String),
    #[error("userinfo: {0}")]
    UserInfo(String),
}

pub struct RelyingParty {
    http: openidconnect::reqwest::Client,
    metadata: Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>,
}

impl Default for RelyingParty {
    fn default() -> Self {
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would let a provider steer our requests elsewhere (SSRF).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        RelyingParty { http, metadata: Mutex::default() }
    }
}

/// Query parameters of the callback.
#[derive(Debug, Default, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
}

impl RelyingParty {
    async fn client(&self, p: &ProviderConfig) -> Result<RpClient, LoginError> {
        let metadata = {
            let mut cache = self.metadata.lock().await;
            match cache.get(&p.name) {
                Some((at, m)) if at.elapsed() < METADATA_TTL => m.clone(),
                _ => {
                    let issuer = IssuerUrl::new(p.issuer.clone()).map_err(|e| LoginError::Discovery(e.to_string()))?;
                    // Also checks that the document names the configured issuer.
                    let m =
                        CoreProviderMetadata::discover_async(issuer, &self.http).await.map_err(|e| LoginError::Discovery(e.to_string()))?;
                    cache.insert(p.name.clone(), (Instant::now(), m.clone()));
                    m
                }
            }
        };
        let redirect = RedirectUrl::new(p.redirect_url.clone()).map_err(|e| LoginError::Discovery(e.to_string()))?;
        Ok(RpClient::from_provider_metadata(metadata, ClientId::new(p.client_id.clone()), p.secret().map(ClientSecret::new))
            .set_redirect_uri(redirect))
    }

    /// The provider's authorization URL and what must be kept to check the callback.
    pub async fn start(&self, p: &ProviderConfig) -> Result<(String, Pending), LoginError> {
        let client = self.client(p).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random);
        for scope in p.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok((url.to_string(), Pending::new(p.name.clone(), state.secret().clone(), nonce, verifier)))
    }

    /// Checks the callback against the pending login and returns the verified claims.
    pub async fn finish(&self, p: &ProviderConfig, pending: Pending, cb: Callback) -> Result<VerifiedClaims, LoginError> {
        if pending.provider != p.name {
            return Err(LoginError::WrongProvider(pending.provider));
        }
        if !same_secret(cb.state.as_deref().unwrap_or(""), &pending.state) {
            return Err(LoginError::StateMismatch);
        }
        if let Some(error) = cb.error {
            return Err(LoginError::ProviderError(error));
        }
        let client = self.client(p).await?;
        // RFC 9207: a provider that names itself must be the one we sent the user to.
        if let Some(iss) = &cb.iss
            && iss.trim_end_matches('/') != p.issuer.trim_end_matches('/')
        {
            return Err(LoginError::IssuerMismatch(iss.clone()));
        }
        let code = cb.code.filter(|c| !c.is_empty()).ok_or(LoginError::MissingCode)?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| LoginError::Token(e.to_string()))?
            .set_pkce_verifier(pending.verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| LoginError::Token(token_error(&e)))?;
        let id_token = tokens.id_token().ok_or(LoginError::NoIdToken)?;
        let verifier = client.id_token_verifier().set_allowed_algs(ALLOWED_ALGS);
        let claims = id_token.claims(&verifier, &pending.nonce).map_err(|e| LoginError::IdToken(e.to_string()))?;
        if let Some(expected) = claims.access_token_hash() {
            let alg = id_token.signing_alg().map_err(|e| LoginError::IdToken(e.to_string()))?;
            let key = id_token.signing_key(&verifier).map_err(|e| LoginError::IdToken(e.to_string()))?;
            let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key).map_err(|e| LoginError::IdToken(e.to_string()))?;
            if actual != *expected {
                return Err(LoginError::IdToken("at_hash does not match the access token".into()));
            }
        }
        let subject = claims.subject().clone();
        let mut all = as_object(serde_json::to_value(claims).map_err(|e| LoginError::IdToken(e.to_string()))?);
        let m = &p.claims;
        let missing = [&m.fiscal_code, &m.name, &m.email].iter().any(|k| !all.contains_key(k.as_str()));
        if missing && client.user_info_url().is_some() {
            // The userinfo answer must be about the same subject (checked by the crate).
            let info: UserInfoClaims<ExtraClaims, CoreGenderClaim> = client
                .user_info(tokens.access_token().clone(), Some(subject.clone()))
                .map_err(|e| LoginError::UserInfo(e.to_string()))?
                .request_async(&self.http)
                .await
                .map_err(|e| LoginError::UserInfo(e.to_string()))?;
            let info = as_object(serde_json::to_value(info).map_err(|e| LoginError::UserInfo(e.to_string()))?);
            for (k, v) in info {
                all.entry(k).or_insert(v);
            }
        }
        Ok(map_claims(p, p.issuer.clone(), subject.as_str(), &all))
    }
}

fn as_object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The provider's own words (`invalid_grant`…) help the log; the user never sees them.
fn token_error<E: std::error::Error>(e: &E) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Equal secrets, compared through their hashes so the time taken says nothing about them.
fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

fn text_claim(all: &Map<String, Value>, name: &str) -> Option<String> {
    match all.get(name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// The claims the provider vouched for, mapped as the provider's `[provider.claims]` says.
pub fn map_claims(p: &ProviderConfig, issuer: String, subject: &str, all: &Map<String, Value>) -> VerifiedClaims {
    let ClaimMapping { fiscal_code, fiscal_code_prefix, name, email } = &p.claims;
    let fiscal_code = text_claim(all, fiscal_code).and_then(|raw| {
        let upper = raw.to_uppercase();
        let bare = upper.strip_prefix(&fiscal_code_prefix.to_uppercase()).unwrap_or(&upper);
        match CodiceFiscale::parse(bare) {
            Ok(cf) => Some(cf.as_str().to_string()),
            Err(e) => {
                tracing::warn!(provider = %p.name, error = %e, "fiscal code claim is not a valid codice fiscale");
                None
            }
        }
    });
    VerifiedClaims {
        provider: p.name.clone(),
        issuer,
        subject: subject.to_string(),
        fiscal_code,
        name: text_claim(all, name),
        email: text_claim(all, email),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oidc::config::OidcConfig;

    fn provider() -> ProviderConfig {
        OidcConfig::parse(
            "[[provider]]\nname = \"t\"\nissuer = \"http://127.0.0.1:1\"\nclient_id = \"c\"\n\
             redirect_url = \"http://127.0.0.1:2/accesso/oidc/t/callback\"\n",
        )
        .unwrap()
        .providers
        .remove(0)
    }

    #[test]
    fn spid_fiscal_number_is_mapped_to_the_codice_fiscale() {
        let all = serde_json::json!({"fiscalNumber": "TINIT-rssmra85t10a562s", "name": "Mario Rossi", "email": "m@example.org"});
        let c = map_claims(&provider(), "http://i".into(), "sub1", all.as_object().unwrap());
        assert_eq!(c.fiscal_code.as_deref(), Some("RSSMRA85T10A562S"));
        assert_eq!(c.name.as_deref(), Some("Mario Rossi"));
        assert_eq!(c.email.as_deref(), Some("m@example.org"));
        assert_eq!(c.subject, "sub1");
    }

    #[test]
    fn an_invalid_or_missing_fiscal_code_is_none() {
        for all in
            [serde_json::json!({"fiscalNumber": "TINIT-RSSMRA85T10A562X"}), serde_json::json!({"fiscalNumber": 12}), serde_json::json!({})]
        {
            assert_eq!(map_claims(&provider(), "i".into(), "s", all.as_object().unwrap()).fiscal_code, None, "{all}");
        }
    }

    #[test]
    fn secrets_compare_by_value_and_never_empty() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("", ""));
    }
}
