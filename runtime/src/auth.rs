//! Authentication: the API's security schemes as the generator describes them, the
//! credentials a builder holds for them, and, per request, the choice of the first of the
//! operation's security requirements whose credentials are all set.
//!
//! OpenAPI's rule: an operation lists alternative requirements (OR); each requirement
//! names schemes that must all be applied together (AND); an empty list means the
//! operation takes no credentials, and an empty requirement means credentials are
//! optional. A token may come from a [`TokenSource`], which the client asks again, once,
//! after a 401.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};

use super::{BuildError, SendError};

/// A security scheme of the API, written by the generator into the crate's `static` API
/// description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    /// Its key in the API document's `components.securitySchemes`.
    pub name: &'static str,
    /// The builder method that sets its credential, for messages.
    pub setter: &'static str,
    /// The environment variable `from_env` reads the credential from.
    pub env: &'static str,
    /// Where the credential goes in a request.
    pub place: Place,
    /// For an OAuth2 scheme with a client-credentials flow, its `tokenUrl` (absolute, or
    /// relative to the base URL).
    pub token_url: Option<&'static str>,
}

/// Where a scheme's credential goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An API key in the named header.
    Header(&'static str),
    /// An API key in the named query parameter (redacted from any URL the client shows).
    Query(&'static str),
    /// An API key in the named cookie.
    Cookie(&'static str),
    /// `Authorization: <scheme> <credential>`: `Basic` (a user and a password), `Bearer`
    /// (a token, static or from a [`TokenSource`]), or another HTTP scheme.
    Authorization(&'static str),
}

/// A token and how long it stays valid, as a [`TokenSource`] returns it.
#[derive(Clone)]
pub struct AccessToken {
    secret: String,
    expires_in: Option<Duration>,
}

impl AccessToken {
    /// A token with no known expiry: the client uses it until a server answers 401.
    pub fn new(secret: impl Into<String>) -> AccessToken {
        AccessToken {
            secret: secret.into(),
            expires_in: None,
        }
    }

    /// The token expires after `lifetime` (an OAuth2 `expires_in`); the client asks for a
    /// new one shortly before (30 s, or half the lifetime if that is shorter).
    pub fn expires_in(mut self, lifetime: Duration) -> AccessToken {
        self.expires_in = Some(lifetime);
        self
    }

    /// The token itself.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

impl From<String> for AccessToken {
    fn from(secret: String) -> Self {
        AccessToken::new(secret)
    }
}

impl From<&str> for AccessToken {
    fn from(secret: &str) -> Self {
        AccessToken::new(secret)
    }
}

/// Why a [`TokenSource`] gave no token.
#[derive(Debug)]
pub struct TokenError(Box<dyn std::error::Error + Send + Sync>);

impl TokenError {
    /// Wraps the source's own error (or a message). It is shown as it is, so it must not
    /// contain the secret it failed to get.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> TokenError {
        TokenError(error.into())
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// The future a [`TokenSource`] returns.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<AccessToken, TokenError>> + Send + 'a>>;

/// Where a scheme's tokens come from when they are not fixed: the app's own code (a token
/// refreshed by its OAuth2 flow, a signed JWT), or the client's built-in client-credentials
/// source. The client keeps the last token and asks again when it has none, when the token
/// has expired, and once after a server answers 401 to it. Calls are serialised: while one
/// is running, other requests wait for its token.
///
/// An async closure returning `Result<AccessToken, TokenError>` is a token source:
///
/// ```text
/// builder.bearer_token_source(|| async { Ok(AccessToken::new(fetch_token().await?)) })
/// ```
pub trait TokenSource: Send + Sync {
    /// A new token.
    fn token(&self) -> TokenFuture<'_>;
}

impl<F, Fut> TokenSource for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<AccessToken, TokenError>> + Send + 'static,
{
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self())
    }
}

/// A credential as the builder holds it.
#[derive(Clone)]
pub(super) enum Credential {
    /// An API key, or a token sent after the `Authorization` scheme.
    Secret(String),
    /// A user and a password for `Basic`.
    Basic(String, Option<String>),
    /// Tokens from the app's source.
    Source(Arc<dyn TokenSource>),
    /// OAuth2 client credentials, exchanged at the scheme's token URL.
    ClientCredentials {
        id: String,
        secret: String,
        scopes: Vec<String>,
    },
}

/// A credential as a built client applies it: validated once.
pub(super) enum Resolved {
    Header(HeaderName, HeaderValue),
    Query(&'static str, String),
    Cookie(String),
    Basic(String, Option<String>),
    Token(&'static str, Arc<TokenCache>),
}

/// What one request carries, from the requirement chosen for it.
#[derive(Default)]
pub(super) struct Applied {
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) query: Vec<(&'static str, String)>,
    pub(super) cookies: Vec<String>,
    pub(super) basic: Option<(String, Option<String>)>,
    /// Query parameters holding a key, to redact from URLs in errors.
    pub(super) redact: Vec<&'static str>,
    /// Tokens from sources: a 401 makes them stale.
    pub(super) tokens: Vec<String>,
}

/// The first requirement whose schemes all have a credential; `Some(&[])` when the
/// operation takes none (no requirements, or an empty one comes first among those
/// satisfiable); `None` when it needs credentials and none of its requirements is met.
pub(super) fn choose<'a>(
    requirements: &'a [&'a [usize]],
    has: impl Fn(usize) -> bool,
) -> Option<&'a [usize]> {
    if requirements.is_empty() {
        return Some(&[]);
    }
    requirements
        .iter()
        .find(|r| r.iter().all(|&s| has(s)))
        .copied()
}

/// The message of a call that needs credentials none of whose requirements is set.
pub(super) fn missing(operation: &str, requirements: &[&[usize]], schemes: &[Scheme]) -> SendError {
    let accepted = requirements
        .iter()
        .map(|r| {
            r.iter()
                .filter_map(|&s| schemes.get(s))
                .map(|s| format!("`{}` ({})", s.setter, s.name))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect::<Vec<_>>()
        .join(", or ");
    SendError::MissingCredentials(format!(
        "`{operation}` needs credentials and none it accepts are set; set {accepted} on the builder"
    ))
}

/// Checks a builder's credentials and puts each in the form requests use. `http` and
/// `base_url` serve the client-credentials source; `timeout` bounds its token requests.
pub(super) fn resolve(
    schemes: &[Scheme],
    credentials: &[Option<Credential>],
    http: &reqwest::Client,
    base_url: &str,
    timeout: Duration,
) -> Result<Box<[Option<Resolved>]>, BuildError> {
    schemes
        .iter()
        .zip(credentials)
        .map(|(scheme, credential)| {
            credential
                .as_ref()
                .map(|c| resolve_one(scheme, c, http, base_url, timeout))
                .transpose()
        })
        .collect()
}

fn resolve_one(
    scheme: &Scheme,
    credential: &Credential,
    http: &reqwest::Client,
    base_url: &str,
    timeout: Duration,
) -> Result<Resolved, BuildError> {
    // Messages name the scheme, never the value.
    let invalid = |what: &str| {
        BuildError::new(format!(
            "the credential for `{}` ({}) {what}",
            scheme.setter, scheme.name
        ))
    };
    let header_value = |text: &str| {
        HeaderValue::from_str(text)
            .map(|mut v| {
                v.set_sensitive(true);
                v
            })
            .map_err(|_| invalid("contains characters that are not allowed in an HTTP header"))
    };
    let source = |source: Arc<dyn TokenSource>| match scheme.place {
        Place::Authorization(prefix) => {
            Ok(Resolved::Token(prefix, TokenCache::new(source, timeout)))
        }
        _ => Err(invalid(
            "is a token source, which only an Authorization scheme takes",
        )),
    };
    match (credential, scheme.place) {
        (Credential::Secret(secret), Place::Header(name)) => Ok(Resolved::Header(
            HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid("goes in a header whose name is not valid"))?,
            header_value(secret)?,
        )),
        (Credential::Secret(secret), Place::Query(name)) => {
            Ok(Resolved::Query(name, secret.clone()))
        }
        (Credential::Secret(secret), Place::Cookie(name)) => {
            if secret.contains([';', ',', ' ', '"', '\\']) {
                return Err(invalid("contains characters a cookie value cannot hold"));
            }
            header_value(secret)?;
            Ok(Resolved::Cookie(format!("{name}={secret}")))
        }
        (Credential::Secret(secret), Place::Authorization(prefix)) => Ok(Resolved::Header(
            AUTHORIZATION,
            header_value(&format!("{prefix} {secret}"))?,
        )),
        (Credential::Basic(user, password), Place::Authorization(_)) => {
            // RFC 7617: the user-id cannot contain a colon.
            if user.contains(':') {
                return Err(invalid(
                    "has a user name with a colon, which Basic cannot send",
                ));
            }
            header_value(user)?;
            Ok(Resolved::Basic(user.clone(), password.clone()))
        }
        (Credential::Source(s), _) => source(s.clone()),
        (Credential::ClientCredentials { id, secret, scopes }, Place::Authorization(_)) => {
            let Some(token_url) = scheme.token_url else {
                return Err(invalid(
                    "is a client-credentials pair, but the scheme documents no token URL",
                ));
            };
            let url = reqwest::Url::parse(token_url)
                .or_else(|_| {
                    reqwest::Url::parse(&format!("{base_url}/")).and_then(|b| b.join(token_url))
                })
                .map_err(|_| invalid("needs a token URL, and the documented one is not valid"))?;
            source(Arc::new(ClientCredentialsSource {
                http: http.clone(),
                url,
                id: id.clone(),
                secret: secret.clone(),
                scopes: scopes.join(" "),
                timeout,
            }))
        }
        (Credential::Basic(..) | Credential::ClientCredentials { .. }, _) => {
            Err(invalid("is of a kind this scheme does not take"))
        }
    }
}

/// The credentials of `requirement`, fetching tokens where a source provides them.
/// `rejected` lists tokens a server has just refused: a source is asked for a new one
/// rather than handing them out again.
pub(super) async fn apply(
    requirement: &[usize],
    resolved: &[Option<Resolved>],
    rejected: &[String],
) -> Result<Applied, SendError> {
    let mut applied = Applied::default();
    for &index in requirement {
        match resolved.get(index).and_then(Option::as_ref) {
            Some(Resolved::Header(name, value)) => {
                applied.headers.push((name.clone(), value.clone()));
            }
            Some(Resolved::Query(name, value)) => {
                applied.query.push((name, value.clone()));
                applied.redact.push(name);
            }
            Some(Resolved::Cookie(pair)) => applied.cookies.push(pair.clone()),
            Some(Resolved::Basic(user, password)) => {
                applied.basic = Some((user.clone(), password.clone()));
            }
            Some(Resolved::Token(prefix, cache)) => {
                let token = cache.get(rejected).await.map_err(SendError::Token)?;
                let mut value = HeaderValue::from_str(&format!("{prefix} {token}")).map_err(|_| {
                    SendError::Token(TokenError::new(
                        "the token source returned a token with characters not allowed in an HTTP header",
                    ))
                })?;
                value.set_sensitive(true);
                applied.headers.push((AUTHORIZATION, value));
                applied.tokens.push(token);
            }
            None => {}
        }
    }
    Ok(applied)
}

/// The last token of a source, and when to stop using it.
pub(super) struct TokenCache {
    source: Arc<dyn TokenSource>,
    /// How long one call of the source may take.
    timeout: Duration,
    current: tokio::sync::Mutex<Option<(String, Option<tokio::time::Instant>)>>,
}

impl TokenCache {
    pub(super) fn new(source: Arc<dyn TokenSource>, timeout: Duration) -> Arc<TokenCache> {
        Arc::new(TokenCache {
            source,
            timeout,
            current: tokio::sync::Mutex::new(None),
        })
    }

    /// The current token, or a new one when there is none, it has expired, or it is in
    /// `rejected`.
    pub(super) async fn get(&self, rejected: &[String]) -> Result<String, TokenError> {
        let mut current = self.current.lock().await;
        if let Some((token, stale_at)) = current.as_ref() {
            let fresh = stale_at.is_none_or(|t| tokio::time::Instant::now() < t);
            if fresh && !rejected.contains(token) {
                return Ok(token.clone());
            }
        }
        // Callers wait on the lock while the source runs, so a source that never answers
        // would stall every request of its scheme: it gets as long as one request does.
        let token = tokio::time::timeout(self.timeout, self.source.token())
            .await
            .map_err(|_| {
                TokenError::new(format!(
                    "the token source did not answer within {:?}",
                    self.timeout
                ))
            })??;
        // A lifetime too long to add to now (`u64::MAX` seconds) is no expiry.
        let stale_at = token.expires_in.and_then(|lifetime| {
            let margin = Duration::from_secs(30).min(lifetime / 2);
            tokio::time::Instant::now().checked_add(lifetime - margin)
        });
        *current = Some((token.secret.clone(), stale_at));
        Ok(token.secret)
    }
}

/// The most of a token endpoint's answer the client reads: a token response is a few
/// hundred bytes, and an endpoint that sends more is not one.
const TOKEN_RESPONSE_LIMIT: usize = 64 * 1024;

/// OAuth2's client-credentials grant (RFC 6749 §4.4): the client id and secret, sent with
/// HTTP Basic as §2.3.1 prefers, exchanged at the token URL for a bearer token.
struct ClientCredentialsSource {
    http: reqwest::Client,
    url: reqwest::Url,
    id: String,
    secret: String,
    /// Space-separated, as the `scope` parameter takes them; empty for none.
    scopes: String,
    timeout: Duration,
}

/// `application/x-www-form-urlencoded` escaping of one value (RFC 6749 §2.3.1 wants it for
/// the id and secret in Basic too).
fn form_escape(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
}

impl TokenSource for ClientCredentialsSource {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let mut body = String::from("grant_type=client_credentials");
            if !self.scopes.is_empty() {
                body.push_str("&scope=");
                body.push_str(&form_escape(&self.scopes));
            }
            let mut response = self
                .http
                .post(self.url.clone())
                .basic_auth(form_escape(&self.id), Some(form_escape(&self.secret)))
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(ACCEPT, "application/json")
                .timeout(self.timeout)
                .body(body)
                .send()
                .await
                .map_err(TokenError::new)?;
            let status = response.status();
            let bytes = super::read_capped(&mut response, TOKEN_RESPONSE_LIMIT)
                .await
                .map_err(TokenError::new)?
                .ok_or_else(|| {
                    TokenError::new(format!(
                        "the token endpoint answered {} with a body over {TOKEN_RESPONSE_LIMIT} bytes",
                        status.as_u16()
                    ))
                })?;
            if !status.is_success() {
                return Err(TokenError::new(format!(
                    "the token endpoint answered {}: {}",
                    status.as_u16(),
                    super::body_start(&bytes)
                )));
            }
            let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
                TokenError::new(format!("the token endpoint's answer is not JSON: {e}"))
            })?;
            let Some(secret) = value.get("access_token").and_then(|t| t.as_str()) else {
                return Err(TokenError::new(
                    "the token endpoint's answer has no `access_token`",
                ));
            };
            let mut token = AccessToken::new(secret);
            // A number, or (from some servers) a string holding one.
            let expires_in = match value.get("expires_in") {
                Some(serde_json::Value::Number(n)) => n.as_u64(),
                Some(serde_json::Value::String(s)) => s.parse().ok(),
                _ => None,
            };
            if let Some(seconds) = expires_in {
                token = token.expires_in(Duration::from_secs(seconds));
            }
            Ok(token)
        })
    }
}

/// A credential read from the environment for `scheme`: `user:password` for Basic, the
/// secret otherwise.
pub(super) fn from_env_value(scheme: &Scheme, value: String) -> Credential {
    match scheme.place {
        Place::Authorization(prefix) if prefix.eq_ignore_ascii_case("basic") => {
            match value.split_once(':') {
                Some((user, password)) => {
                    Credential::Basic(user.to_string(), Some(password.to_string()))
                }
                None => Credential::Basic(value, None),
            }
        }
        _ => Credential::Secret(value),
    }
}

/// Replaces the values of the query parameters in `names` in the URL of `error`, so an
/// API key sent in the query never shows in a message.
pub(super) fn redact_url(mut error: reqwest::Error, names: &[&str]) -> reqwest::Error {
    if names.is_empty() {
        return error;
    }
    if let Some(url) = error.url_mut() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if names.contains(&k.as_ref()) {
                    "REDACTED".to_string()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    error
}
