//! Runtime of the clients `openapi-client-gen` writes: configuration, the one request path
//! every operation shares (rate limiting, retries, timeouts), pagination, the error type,
//! and the serde helpers the generated types call.
//!
//! # Contract with the generated code
//!
//! The runtime names nothing in the crate it serves. A generated crate describes its API
//! once, in a `static` [`Api`] (default base URL, user agent, security schemes, environment
//! variable names, and per operation its name, method, path template, documented rate
//! limit, idempotency header and security requirements), and hands
//! it to [`Builder::new`]. Its public `Client` wraps a [`Core`]; each operation method
//! builds a [`Request`] naming its operation by index into [`Api::operations`], passes it
//! to [`Core::call`] with a closure mapping the [`RawResponse`] by status, and returns that
//! future. Everything else here is either re-exported by the generated crate (`Error`,
//! `ResponseValue`, `BuildError`, `RateLimit`) or a helper its code calls.
//!
//! The generator writes this file into each crate as its `runtime` module (the default), or
//! makes the crate depend on this crate (`--runtime crate:PATH|VERSION`); the source is the
//! same either way, so it uses no crate-root paths and no crate-level attributes.

mod auth;
mod error;
mod events;
mod form;
mod formats;
mod hooks;
#[cfg(feature = "mock")]
pub mod mock;
mod object;
mod observe;
mod pages;
mod redirect;
mod upload;

pub use auth::{AccessToken, Place, Scheme, TokenError, TokenFuture, TokenSource};
use error::retryable_status;
pub use error::{BuildError, Error, SendError};
pub use events::{Decode, Event, event_any, event_json, event_text};
pub use form::{Field, Style, form_body, json_param, query_param, simple_value};
pub use formats::{AsWire, Format, FromWire, Wire, additional_wire, field_wire, format_text};
pub use hooks::{Attempt, HookError, HookFuture, ResponseHead};
pub use object::{
    Entries, Key, Object, additional, buffer, deserialize_object, entries, field, no_variant,
    required, skip,
};
pub use pages::{Page, Paging, next_link, pages};
/// Header names and values, for the client's `with_header`.
pub use reqwest::header;
#[cfg(feature = "multipart")]
pub use upload::Multipart;
pub use upload::{FilePart, Upload};

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER, USER_AGENT};

/// How much of an undecodable body an error keeps for display.
const BODY_START_LEN: usize = 512;
/// Default limit on a whole request, connection to last body byte.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit on establishing a connection.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of retries after the first attempt.
const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default limit on a response body the client reads whole (64 MiB): far above any JSON
/// answer an API means to send, far below what would hurt an app's memory.
const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 << 20;
/// Default ceiling on a server's `Retry-After`.
const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// First backoff step when the server gives no `Retry-After`; doubles per attempt.
const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// Largest backoff step.
const BACKOFF_CAP: Duration = Duration::from_secs(30);

/// What the runtime needs to know about an API, written once by the generator as a
/// `static` in the generated crate.
#[derive(Debug)]
pub struct Api {
    /// The `User-Agent` sent unless the builder is given another (the generated crate's
    /// name and version).
    pub user_agent: &'static str,
    /// The server requests go to unless the builder is given another; `None` when the API
    /// document names no server.
    pub default_base_url: Option<&'static str>,
    /// The security schemes the API document declares and the client can apply;
    /// [`OperationInfo::security`] indexes this list.
    pub schemes: &'static [Scheme],
    /// Environment variable [`Builder::from_env`] reads an optional base URL from.
    pub env_base_url: &'static str,
    /// Every operation, in the order of the generated crate's `Operation` enum;
    /// [`Request::operation`] indexes this list.
    pub operations: &'static [OperationInfo],
}

/// One operation as the runtime sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The client method's name.
    pub name: &'static str,
    /// The HTTP method, as the API document writes it (upper case).
    pub method: &'static str,
    /// The path template, as the API document writes it.
    pub path: &'static str,
    /// The rate limit the API documents for the operation.
    pub rate_limit: Option<RateLimit>,
    /// The operation's idempotency-key header parameter, if it documents one (such as
    /// `Idempotency-Key`): see [`Core::with_idempotency_key`].
    pub idempotency_header: Option<&'static str>,
    /// Its security requirements: alternatives, each the indices in [`Api::schemes`] of
    /// the schemes applied together. Empty: the operation takes no credentials; an empty
    /// alternative: credentials are optional.
    pub security: &'static [&'static [usize]],
    /// The media types the client reads the operation's documented responses as (the
    /// success body's first, then the error bodies'), sent as `Accept` unless the request
    /// or the client's own headers set one: a server offering several representations
    /// (`text/plain` and `application/json`, say) answers with the one the method decodes.
    pub accept: Option<&'static str>,
    /// The redirect statuses (301, 302, 303, 307, 308) the operation documents: the
    /// method returns those; the client follows the others (see the `redirect` module).
    pub redirects: &'static [u16],
}

/// The configured client the generated `Client` wraps. Cheap to clone: clones share one
/// connection pool and one set of rate limiters.
#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
    /// Shared until a clone changes it (`Arc::make_mut`), so a clone stays two pointers.
    policy: Arc<Policy>,
}

struct Inner {
    api: &'static Api,
    http: reqwest::Client,
    /// Base URL without a trailing slash; paths are appended to it.
    base_url: String,
    /// Each scheme's credential, validated, indexed like [`Api::schemes`].
    credentials: Box<[Option<auth::Resolved>]>,
    user_agent: HeaderValue,
    respect_rate_limits: bool,
    /// Largest response body read whole.
    max_response_bytes: usize,
    /// One limiter per operation, indexed like [`Api::operations`].
    limiters: Box<[Limiter]>,
    /// The app's request and response hooks.
    hooks: hooks::Hooks,
    /// Where requests go, for the tracing span.
    server: observe::Server,
}

/// Per-clone settings: [`Core::with_non_idempotent_retries`] and friends return a clone
/// that differs only here, so a setting can apply to one call
/// (`client.with_timeout(..).op(..)`) or to every call of a kept clone.
#[derive(Clone)]
struct Policy {
    max_retries: u32,
    retry_non_idempotent: bool,
    max_retry_after: Duration,
    /// Whole-request timeout per attempt, applied per request so it also holds for a
    /// caller's own `reqwest::Client`.
    timeout: Duration,
    /// Headers added to every request, after the operation's own.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The idempotency key to send instead of a generated one.
    idempotency_key: Option<Arc<str>>,
    /// A page's URL from the server (a `Link` header's or the body's) to request instead
    /// of the operation's path and query.
    page_url: Option<Arc<str>>,
}

impl Core {
    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A clone that also retries POST and PATCH requests.
    pub fn with_non_idempotent_retries(&self) -> Core {
        let mut c = self.clone();
        Arc::make_mut(&mut c.policy).retry_non_idempotent = true;
        c
    }

    /// A clone that retries at most `retries` times after the first attempt.
    pub fn with_max_retries(&self, retries: u32) -> Core {
        let mut c = self.clone();
        Arc::make_mut(&mut c.policy).max_retries = retries;
        c
    }

    /// A clone that waits at most `max` when a server asks for a longer `Retry-After`.
    pub fn with_max_retry_after(&self, max: Duration) -> Core {
        let mut c = self.clone();
        Arc::make_mut(&mut c.policy).max_retry_after = max;
        c
    }

    /// A clone whose requests go to `url`, a paginated list's next page as the server
    /// named it (absolute, or relative to the base URL), instead of the operation's path
    /// and query: the URL carries the list's parameters. It must be on the base URL's
    /// origin (scheme, host and port), so credentials never go to a server the app did
    /// not choose; a request to another is refused before anything is sent.
    pub fn at_page(&self, url: &str) -> Core {
        let mut c = self.clone();
        Arc::make_mut(&mut c.policy).page_url = Some(url.into());
        c
    }

    /// A clone whose requests may each take up to `timeout` per attempt.
    pub fn with_timeout(&self, timeout: Duration) -> Core {
        let mut c = self.clone();
        Arc::make_mut(&mut c.policy).timeout = timeout;
        c
    }

    /// A clone that adds a header to every request, after the operation's own headers (a
    /// header the operation also sets is sent twice; `Authorization` set here is sent in
    /// addition to the credentials).
    pub fn with_header(&self, name: HeaderName, value: HeaderValue) -> Core {
        let mut c = self.clone();
        Arc::make_mut(&mut c.policy).headers.push((name, value));
        c
    }

    /// A clone that sends `key` as the idempotency key of POST and PATCH requests (and any
    /// method not idempotent by definition), in the operation's documented idempotency
    /// header, or `Idempotency-Key` if it documents none. An operation that documents one
    /// gets a generated key when none is given; see [`Core::call`] for the retry rule.
    /// Every call through the clone sends the same key: one clone per logical operation.
    pub fn with_idempotency_key(&self, key: impl Into<String>) -> Core {
        let mut c = self.clone();
        Arc::make_mut(&mut c.policy).idempotency_key = Some(Arc::from(key.into()));
        c
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field(
                "credentials",
                &set_schemes(self.inner.api, &self.inner.credentials),
            )
            .field("timeout", &self.policy.timeout)
            .field("respect_rate_limits", &self.inner.respect_rate_limits)
            .field("max_retries", &self.policy.max_retries)
            .field("retry_non_idempotent", &self.policy.retry_non_idempotent)
            .field("hooks", &self.inner.hooks)
            // Names only: an added header may carry a signature or a key.
            .field(
                "extra_headers",
                &self
                    .policy
                    .headers
                    .iter()
                    .map(|(n, _)| n)
                    .collect::<Vec<_>>(),
            )
            .field("idempotency_key", &self.policy.idempotency_key)
            .finish()
    }
}

/// Configures a [`Core`]; the generated `ClientBuilder` wraps it and documents each setting.
#[derive(Clone)]
pub struct Builder {
    api: &'static Api,
    base_url: Option<String>,
    credentials: Vec<Option<auth::Credential>>,
    user_agent: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    respect_rate_limits: bool,
    max_response_bytes: usize,
    http: Option<reqwest::Client>,
    hooks: hooks::Hooks,
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &set_schemes(self.api, &self.credentials))
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("respect_rate_limits", &self.respect_rate_limits)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("with_reqwest_client", &self.http.is_some())
            .field("hooks", &self.hooks)
            .finish()
    }
}

/// The names of the schemes that have a credential, for `Debug`: which are set, never
/// their values.
fn set_schemes<T>(api: &Api, credentials: &[Option<T>]) -> Vec<&'static str> {
    api.schemes
        .iter()
        .zip(credentials)
        .filter(|(_, c)| c.is_some())
        .map(|(s, _)| s.name)
        .collect()
}

impl Builder {
    /// A builder with the defaults: the API's first server, 60 s timeout, 10 s connect
    /// timeout, 2 retries, rate limits respected.
    pub fn new(api: &'static Api) -> Builder {
        Builder {
            api,
            base_url: None,
            credentials: vec![None; api.schemes.len()],
            user_agent: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            respect_rate_limits: true,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            http: None,
            hooks: hooks::Hooks::default(),
        }
    }

    /// A builder configured from the environment: each scheme's credential from its
    /// variable ([`Scheme::env`]; `user:password` for Basic), at least one of them
    /// required when the API has schemes, and, if set, the base URL from
    /// [`Api::env_base_url`].
    pub fn from_env(api: &'static Api) -> Result<Builder, BuildError> {
        Builder::from_vars(api, |name| std::env::var(name))
    }

    /// [`Builder::from_env`] reading variables through `var`.
    fn from_vars(
        api: &'static Api,
        var: impl Fn(&str) -> Result<String, std::env::VarError>,
    ) -> Result<Builder, BuildError> {
        let mut builder = Builder::new(api);
        for (index, scheme) in api.schemes.iter().enumerate() {
            match var(scheme.env) {
                Ok(value) if !value.trim().is_empty() => {
                    builder.credentials[index] = Some(auth::from_env_value(scheme, value));
                }
                Ok(_) | Err(std::env::VarError::NotPresent) => {}
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err(BuildError::new(format!(
                        "{} is not valid UTF-8",
                        scheme.env
                    )));
                }
            }
        }
        if !api.schemes.is_empty() && builder.credentials.iter().all(Option::is_none) {
            let names: Vec<&str> = api.schemes.iter().map(|s| s.env).collect();
            return Err(BuildError::new(match names.as_slice() {
                [one] => format!(
                    "the environment variable {one} is not set; it must hold the API's credential"
                ),
                _ => format!(
                    "none of the environment variables {} is set; at least one must hold a credential",
                    names.join(", ")
                ),
            }));
        }
        if let Ok(url) = var(api.env_base_url)
            && !url.trim().is_empty()
        {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// The URL requests go to; a path prefix is kept.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The credential of scheme `scheme` (an index into [`Api::schemes`]): an API key, or
    /// the token sent after an `Authorization` scheme such as `Bearer`.
    pub fn secret(mut self, scheme: usize, secret: impl Into<String>) -> Self {
        self.set(scheme, auth::Credential::Secret(secret.into()));
        self
    }

    /// The user and password of a Basic scheme.
    pub fn basic_auth(
        mut self,
        scheme: usize,
        user: impl Into<String>,
        password: Option<String>,
    ) -> Self {
        self.set(scheme, auth::Credential::Basic(user.into(), password));
        self
    }

    /// Tokens of an `Authorization` scheme from `source`, asked when needed.
    pub fn token_source(mut self, scheme: usize, source: impl TokenSource + 'static) -> Self {
        self.set(scheme, auth::Credential::Source(Arc::new(source)));
        self
    }

    /// OAuth2 client credentials, exchanged for tokens at the scheme's token URL; `scopes`
    /// are requested (none: the server's default).
    pub fn client_credentials(
        mut self,
        scheme: usize,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        scopes: &[&str],
    ) -> Self {
        self.set(
            scheme,
            auth::Credential::ClientCredentials {
                id: client_id.into(),
                secret: client_secret.into(),
                scopes: scopes.iter().map(|s| s.to_string()).collect(),
            },
        );
        self
    }

    fn set(&mut self, scheme: usize, credential: auth::Credential) {
        if let Some(slot) = self.credentials.get_mut(scheme) {
            *slot = Some(credential);
        }
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: &str) -> Self {
        self.user_agent = Some(user_agent.to_string());
        self
    }

    /// Limit on a whole request, per attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit on establishing a connection (not applied to a caller's own client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How many times a failed request is retried.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Whether to keep to each operation's documented rate limit.
    pub fn respect_rate_limits(mut self, respect: bool) -> Self {
        self.respect_rate_limits = respect;
        self
    }

    /// The largest response body read whole; a larger one fails the call with
    /// [`Error::BodyTooLarge`].
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Sends requests through the caller's own `reqwest::Client`. Build it with
    /// `redirect(reqwest::redirect::Policy::none())`: the runtime follows redirects
    /// itself, and one that reqwest follows never reaches a method that documents it.
    pub fn with_reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Adds a hook that sees, and may change or refuse, every request just before it is
    /// sent, on every attempt (see the `hooks` module docs for the order).
    pub fn on_request<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn(reqwest::Request, Attempt) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<reqwest::Request, HookError>> + Send + 'static,
    {
        self.hooks.request.push(hooks::request_hook(hook));
        self
    }

    /// Adds a hook that sees the status and headers of every response, on every attempt.
    pub fn on_response<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn(ResponseHead, Attempt) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        self.hooks.response.push(hooks::response_hook(hook));
        self
    }

    /// Builds the client, checking the base URL, the token and the user agent.
    pub fn build(self) -> Result<Core, BuildError> {
        let base_url = match self.base_url.as_deref().or(self.api.default_base_url) {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => {
                return Err(BuildError::new(
                    "no base URL: the API document names no server, so call `base_url`",
                ));
            }
        };
        match reqwest::Url::parse(&base_url) {
            Ok(url)
                if matches!(url.scheme(), "http" | "https")
                    && url.query().is_none()
                    && url.fragment().is_none() => {}
            Ok(_) => {
                return Err(BuildError::new(format!(
                    "base URL `{base_url}` must be http or https, without query or fragment"
                )));
            }
            Err(e) => {
                return Err(BuildError::new(format!(
                    "base URL `{base_url}` is not a valid URL: {e}"
                )));
            }
        }
        let user_agent = match self.user_agent {
            Some(ua) => HeaderValue::from_str(&ua).map_err(|_| {
                BuildError::new(
                    "the user agent contains characters that are not allowed in an HTTP header",
                )
            })?,
            None => HeaderValue::from_static(self.api.user_agent),
        };
        let http = match self.http {
            Some(http) => http,
            // Redirects are the runtime's to follow: a documented one is the method's
            // answer, and credentials must not go to another origin.
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| {
                    // reqwest's own message is often just "builder error"; the cause is
                    // in its sources (a TLS backend that failed to load, for instance).
                    let mut message = format!("could not build the HTTP client: {e}");
                    let mut source = std::error::Error::source(&e);
                    while let Some(cause) = source {
                        message.push_str(&format!(": {cause}"));
                        source = cause.source();
                    }
                    BuildError::new(message)
                })?,
        };
        let credentials = auth::resolve(
            self.api.schemes,
            &self.credentials,
            &http,
            &base_url,
            self.timeout,
        )?;
        let limiters = self
            .api
            .operations
            .iter()
            .map(|_| Limiter::default())
            .collect();
        let server = observe::Server::new(&base_url);
        Ok(Core {
            inner: Arc::new(Inner {
                api: self.api,
                http,
                base_url,
                credentials,
                user_agent,
                respect_rate_limits: self.respect_rate_limits,
                max_response_bytes: self.max_response_bytes,
                limiters,
                hooks: self.hooks,
                server,
            }),
            policy: Arc::new(Policy {
                max_retries: self.max_retries,
                retry_non_idempotent: false,
                max_retry_after: DEFAULT_MAX_RETRY_AFTER,
                timeout: self.timeout,
                headers: Vec::new(),
                idempotency_key: None,
                page_url: None,
            }),
        })
    }
}

/// A documented rate limit: at most `requests` calls per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls allowed per period.
    pub requests: u32,
    /// Length of the period.
    pub period: Duration,
    /// The sentence in the API document that states the limit.
    pub description: &'static str,
}

/// A successful response: the decoded body with the status and headers it came with.
#[derive(Debug, Clone)]
pub struct ResponseValue<T> {
    inner: T,
    status: u16,
    headers: HeaderMap,
}

impl<T> ResponseValue<T> {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers (rate-limit headers, request ids, ...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.inner
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

/// A request as the generated methods describe it.
pub struct Request {
    /// The operation's index in [`Api::operations`].
    pub operation: usize,
    /// The HTTP method.
    pub method: reqwest::Method,
    /// Path with parameters already encoded, starting with `/`.
    pub path: String,
    /// Query pairs, not yet encoded, in order.
    pub query: Vec<(Cow<'static, str>, String)>,
    /// Header parameters, not yet validated; `cookie` entries are `name=value` pairs
    /// joined into one `Cookie` header.
    pub headers: Vec<(&'static str, String)>,
    /// The body, if any.
    pub body: Option<Body>,
}

/// A request body.
#[derive(Debug)]
pub enum Body {
    /// Encoded bytes (JSON, a form, text) and their content type.
    Bytes(bytes::Bytes, &'static str),
    /// A binary upload and its content type.
    Upload(Upload, &'static str),
    /// A `multipart/form-data` form.
    #[cfg(feature = "multipart")]
    Multipart(Multipart),
}

impl Body {
    /// Whether the body can be sent more than once (a stream cannot).
    fn replayable(&self) -> bool {
        match self {
            Body::Bytes(..) => true,
            Body::Upload(upload, _) => upload.replayable(),
            #[cfg(feature = "multipart")]
            Body::Multipart(form) => form.replayable(),
        }
    }
}

/// What `send` ends with: the last outcome, the attempts made, and whether it stopped
/// because retries ran out (rather than on success or a failure not worth retrying).
struct Sent {
    result: Result<RawResponse, SendError>,
    attempts: u32,
    exhausted: bool,
}

/// A complete response.
pub struct RawResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The whole body (empty for a response read as a stream).
    pub body: bytes::Bytes,
    /// A success response read as a stream: not read yet.
    live: Option<reqwest::Response>,
}

impl Core {
    /// Describes the request (a parameter that cannot be encoded fails here, before
    /// anything is sent), sends it with rate limiting and retries, and maps the response
    /// with the operation's own status table. Generic only in those thin first and last
    /// steps.
    pub async fn call<T, E>(
        &self,
        request: impl FnOnce() -> Result<Request, SendError>,
        map: impl FnOnce(&RawResponse) -> Result<T, Error<E>>,
    ) -> Result<ResponseValue<T>, Error<E>> {
        let request = request()?;
        let span = self.span(&request);
        let Sent {
            result,
            attempts,
            exhausted,
        } = span.instrument(self.send(request, false)).await;
        let result = match result {
            Ok(response) => map(&response).map(|inner| ResponseValue {
                inner,
                status: response.status,
                headers: response.headers,
            }),
            Err(e) => Err(e.into()),
        };
        let result = match result {
            Err(last) if exhausted => Err(Error::RetriesExhausted {
                attempts,
                last: Box::new(last),
            }),
            other => other,
        };
        span.finish(result.as_ref().err());
        result
    }

    /// The tracing span of a call (nothing without the `tracing` feature).
    fn span(&self, request: &Request) -> observe::CallSpan {
        let info = self.inner.api.operations.get(request.operation);
        observe::CallSpan::new(info, &self.inner.server)
    }

    /// The one request path every operation shares. Not generic, so it is compiled once.
    ///
    /// Retries: idempotent methods are retried (429, 502, 503, 504, refused connections);
    /// others only with [`Core::with_non_idempotent_retries`], or when the request carries an
    /// idempotency key in a header the operation documents. Such an operation always
    /// sends one: the caller's (its parameter, or [`Core::with_idempotency_key`]), else a
    /// random one, the same on every attempt, so the server can tell a retry from a new
    /// request.
    async fn send(&self, mut request: Request, live: bool) -> Sent {
        let failed = |e| Sent {
            result: Err(e),
            attempts: 0,
            exhausted: false,
        };
        let info = self.inner.api.operations.get(request.operation);
        // RFC 9110's idempotent methods, and QUERY (safe by its definition); any other
        // method (POST, PATCH, an API's own) is retried only when the caller opts in or
        // the request carries a key the operation documents.
        let idempotent = matches!(
            request.method,
            reqwest::Method::GET
                | reqwest::Method::HEAD
                | reqwest::Method::PUT
                | reqwest::Method::DELETE
                | reqwest::Method::OPTIONS
                | reqwest::Method::TRACE
        ) || request.method.as_str() == "QUERY";
        let keyed = !idempotent && self.idempotency_key(&mut request, info);

        // A body read from a stream is gone after the first attempt.
        let replayable = request.body.as_ref().is_none_or(Body::replayable);
        let may_retry = replayable && (idempotent || keyed || self.policy.retry_non_idempotent);
        let requirements = info.map_or(&[][..], |i| i.security);
        let redirects = info.map_or(&[][..], |i| i.redirects);
        // Which credentials the operation gets is settled once; missing ones fail here,
        // before anything is sent.
        let credentials = &self.inner.credentials;
        let Some(requirement) = auth::choose(requirements, |s| {
            credentials.get(s).is_some_and(Option::is_some)
        }) else {
            let name = info.map_or("", |i| i.name);
            return failed(auth::missing(name, requirements, self.inner.api.schemes));
        };
        // The first attempt sends this; a retry prepares the request again rather than
        // every attempt paying for a copy kept in case of a retry.
        let mut applied = match auth::apply(requirement, credentials, &[]).await {
            Ok(a) => a,
            Err(e) => return failed(e),
        };
        let mut prepared = match self.prepare(&request, &applied).await {
            Ok(p) => Some(p),
            Err(e) => return failed(e),
        };
        let limit = match info {
            Some(info) if self.inner.respect_rate_limits => info.rate_limit,
            _ => None,
        };
        let mut attempt: u32 = 0;
        // Tokens a server answered 401 to; set once, so a token source is asked again at
        // most once per call. That re-send is not counted against the retries.
        let mut rejected: Option<Vec<String>> = None;
        loop {
            attempt += 1;
            if let Some(limit) = limit {
                let waited = self.inner.limiters[request.operation].acquire(limit).await;
                if !waited.is_zero() {
                    observe::rate_limited(waited, limit);
                }
            }
            let hook_attempt = Attempt {
                operation: info.map_or("", |i| i.name),
                method: info.map_or("", |i| i.method),
                path_template: info.map_or("", |i| i.path),
                number: attempt,
            };
            let outcome = match prepared.take() {
                Some(prepared) => {
                    self.attempt(prepared, &applied.redact, redirects, live, hook_attempt)
                        .await
                }
                None => {
                    match auth::apply(requirement, credentials, rejected.as_deref().unwrap_or(&[]))
                        .await
                    {
                        Ok(a) => {
                            applied = a;
                            match self.prepare(&request, &applied).await {
                                Ok(prepared) => {
                                    self.attempt(
                                        prepared,
                                        &applied.redact,
                                        redirects,
                                        live,
                                        hook_attempt,
                                    )
                                    .await
                                }
                                Err(e) => Err(e),
                            }
                        }
                        Err(e) => Err(e),
                    }
                }
            };
            if let Ok(response) = &outcome
                && response.status == 401
                && rejected.is_none()
                && !applied.tokens.is_empty()
                && replayable
            {
                rejected = Some(std::mem::take(&mut applied.tokens));
                observe::reauthenticating(attempt);
                continue;
            }
            let (retry, retry_after) = match &outcome {
                Ok(r) => (retryable_status(r.status), retry_after(&r.headers)),
                Err(SendError::Transport(e)) => (e.is_connect(), None),
                Err(_) => (false, None),
            };
            let retries = attempt - 1 - u32::from(rejected.is_some());
            if !retry || !may_retry || retries >= self.policy.max_retries {
                return Sent {
                    result: outcome,
                    attempts: attempt,
                    // Stopped only because the retry budget ran out.
                    exhausted: retry && may_retry && retries > 0,
                };
            }
            let delay = match retry_after {
                Some(d) => d.min(self.policy.max_retry_after),
                None => backoff(retries + 1),
            };
            let reason = match &outcome {
                Ok(r) => Cow::Owned(r.status.to_string()),
                Err(_) => Cow::Borrowed("connect"),
            };
            observe::retrying(attempt, delay, &reason, retry_after.is_some());
            tokio::time::sleep(delay).await;
        }
    }

    /// Puts the idempotency key in a non-idempotent request: the caller's, or one made up
    /// when the operation documents the header. Whether the key is one the operation
    /// documents (so retrying is safe).
    fn idempotency_key(&self, request: &mut Request, info: Option<&OperationInfo>) -> bool {
        let documented = info.and_then(|i| i.idempotency_header);
        let name = documented.unwrap_or("idempotency-key");
        let given = request
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name));
        if !given {
            match (&self.policy.idempotency_key, documented) {
                (Some(key), _) => request.headers.push((name, key.to_string())),
                (None, Some(_)) => request.headers.push((name, random_key())),
                (None, None) => {}
            }
        }
        documented.is_some()
    }

    /// A paginated list's next page URL, resolved against the base URL and refused when it
    /// leaves the base URL's origin (its host is named, the rest of it is not: a server
    /// may echo parameters into it).
    fn page_url(&self, page: &str) -> Result<reqwest::Url, SendError> {
        let base = reqwest::Url::parse(&self.inner.base_url)
            .map_err(|e| SendError::InvalidRequest(format!("invalid base URL: {e}")))?;
        let url = base.join(page).map_err(|e| {
            SendError::InvalidRequest(format!("the next page's URL does not parse: {e}"))
        })?;
        if url.origin() != base.origin() {
            return Err(SendError::InvalidRequest(format!(
                "the next page is on another server ({}) than the base URL's; not followed",
                url.host_str().unwrap_or("no host")
            )));
        }
        Ok(url)
    }

    /// Everything about a request that does not change between attempts, with the
    /// credentials chosen for it.
    async fn prepare(
        &self,
        request: &Request,
        applied: &auth::Applied,
    ) -> Result<reqwest::Request, SendError> {
        let mut url = match &self.policy.page_url {
            Some(page) => self.page_url(page)?,
            None => reqwest::Url::parse(&format!("{}{}", self.inner.base_url, request.path))
                .map_err(|e| SendError::InvalidRequest(format!("invalid URL: {e}")))?,
        };
        // A page URL carries the list's parameters already; credentials in the query are
        // added unless the server's URL repeats them.
        let query = if self.policy.page_url.is_some() {
            &[][..]
        } else {
            &request.query[..]
        };
        // Named plainly (no iterator adapters held here): this future must stay `Send`
        // for every lifetime, which closures over borrowed pairs defeat.
        let mut present: Vec<String> = Vec::new();
        if self.policy.page_url.is_some() {
            for (name, _) in url.query_pairs() {
                present.push(name.into_owned());
            }
        }
        let mut credentials: Vec<(&str, &str)> = Vec::new();
        for (name, value) in &applied.query {
            if !present.iter().any(|p| p == name) {
                credentials.push((name, value));
            }
        }
        if !query.is_empty() || !credentials.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in query {
                pairs.append_pair(name, value);
            }
            for (name, value) in credentials {
                pairs.append_pair(name, value);
            }
        }
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .header(USER_AGENT, self.inner.user_agent.clone());
        builder = builder.timeout(self.policy.timeout);
        for (name, value) in &applied.headers {
            builder = builder.header(name.clone(), value.clone());
        }
        if let Some((user, password)) = &applied.basic {
            builder = builder.basic_auth(user, password.as_ref());
        }
        let mut cookies: Vec<&str> = applied.cookies.iter().map(String::as_str).collect();
        for (name, value) in &request.headers {
            if *name == "cookie" {
                cookies.push(value.as_str());
                continue;
            }
            let value = HeaderValue::from_str(value).map_err(|_| {
                SendError::InvalidRequest(format!(
                    "header `{name}` has a value that is not allowed in HTTP"
                ))
            })?;
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                SendError::InvalidRequest(format!("`{name}` is not a valid header name"))
            })?;
            builder = builder.header(name, value);
        }
        for (name, value) in self.policy.headers.iter() {
            builder = builder.header(name.clone(), value.clone());
        }
        // The operation's response media types, unless the request (a streamed response,
        // an `Accept` parameter) or the client's own headers say what to accept.
        let info = self.inner.api.operations.get(request.operation);
        if let Some(accept) = info.and_then(|i| i.accept)
            && !request
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("accept"))
            && !self
                .policy
                .headers
                .iter()
                .any(|(n, _)| n == reqwest::header::ACCEPT)
        {
            builder = builder.header(reqwest::header::ACCEPT, accept);
        }
        if !cookies.is_empty() {
            let mut value = HeaderValue::from_str(&cookies.join("; ")).map_err(|_| {
                SendError::InvalidRequest("a cookie has a value that is not allowed in HTTP".into())
            })?;
            value.set_sensitive(!applied.cookies.is_empty());
            builder = builder.header(reqwest::header::COOKIE, value);
        }
        match &request.body {
            None => {}
            Some(Body::Bytes(bytes, content_type)) => {
                builder = builder
                    .header(CONTENT_TYPE, *content_type)
                    .body(bytes.clone());
            }
            Some(Body::Upload(upload, content_type)) => {
                let (body, length) = upload.body().await?;
                builder = builder.header(CONTENT_TYPE, *content_type).body(body);
                if let Some(length) = length {
                    builder = builder.header(reqwest::header::CONTENT_LENGTH, length);
                }
            }
            #[cfg(feature = "multipart")]
            Some(Body::Multipart(form)) => builder = builder.multipart(form.form().await?),
        }
        builder.build().map_err(|e| {
            SendError::InvalidRequest(format!(
                "invalid request: {}",
                auth::redact_url(e, &applied.redact)
            ))
        })
    }

    /// One exchange, with the redirects the operation does not document followed (see
    /// the `redirect` module). `redact` names query parameters holding keys, which a
    /// transport error's URL must not show. With `live`, a success response is handed over
    /// unread, to be read as a stream.
    async fn attempt(
        &self,
        request: reqwest::Request,
        redact: &[&str],
        redirects: &[u16],
        live: bool,
        attempt: Attempt,
    ) -> Result<RawResponse, SendError> {
        let transport = |e| SendError::Transport(auth::redact_url(e, redact));
        let hooks = &self.inner.hooks;
        let mut next = request;
        let mut hops = 0;
        let (mut response, status) = loop {
            let replay = (hops < redirect::MAX_HOPS).then(|| redirect::Replay::of(&next));
            let request = if hooks.request.is_empty() {
                next
            } else {
                hooks
                    .on_request(next, attempt)
                    .await
                    .map_err(SendError::Hook)?
            };
            let started = std::time::Instant::now();
            let response = if live {
                // reqwest's timeout runs until the body ends; a stream's body has no end
                // in sight, so only the wait for its response is bounded.
                let mut request = request;
                *request.timeout_mut() = None;
                let timeout = self.policy.timeout;
                tokio::time::timeout(timeout, self.inner.http.execute(request))
                    .await
                    .map_err(|_| SendError::Timeout(timeout))?
                    .map_err(transport)?
            } else {
                self.inner.http.execute(request).await.map_err(transport)?
            };
            let status = response.status().as_u16();
            observe::response(status);
            if !hooks.response.is_empty() {
                hooks
                    .on_response(status, response.headers(), started.elapsed(), attempt)
                    .await;
            }
            match replay.and_then(|r| r.follow(status, response.headers(), redirects, redact)) {
                Some(request) => {
                    hops += 1;
                    observe::redirected(status, hops);
                    next = request;
                }
                None => break (response, status),
            }
        };
        if live && response.status().is_success() {
            return Ok(RawResponse {
                status,
                headers: response.headers().clone(),
                body: bytes::Bytes::new(),
                live: Some(response),
            });
        }
        // Moved out, not copied: reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let limit = self.inner.max_response_bytes;
        let Some(body) = read_capped(&mut response, limit).await.map_err(transport)? else {
            return Err(SendError::BodyTooLarge {
                status,
                limit,
                headers: Box::new(headers),
            });
        };
        Ok(RawResponse {
            status,
            headers,
            body,
            live: None,
        })
    }

    /// Sends a request whose success response is read as it arrives (with `accept` as its
    /// `Accept`): rate limits, retries and credentials as for [`Core::call`]; a non-success
    /// status is mapped by `map`, as the plain method maps it.
    async fn open<E, U>(
        &self,
        request: impl FnOnce() -> Result<Request, SendError>,
        accept: &'static str,
        map: impl FnOnce(&RawResponse) -> Result<U, Error<E>>,
    ) -> Result<reqwest::Response, Error<E>> {
        let mut request = request()?;
        request
            .headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("accept"));
        request.headers.push(("accept", accept.to_string()));
        let span = self.span(&request);
        let Sent {
            result,
            attempts,
            exhausted,
        } = span.instrument(self.send(request, true)).await;
        let error = match result {
            Ok(mut response) => match response.live.take() {
                Some(live) => return Ok(live),
                None => match map(&response) {
                    Err(e) => e,
                    // Documented as success, but not a 2xx: not a stream.
                    Ok(_) => unexpected(&response),
                },
            },
            Err(e) => e.into(),
        };
        let error = if exhausted {
            Error::RetriesExhausted {
                attempts,
                last: Box::new(error),
            }
        } else {
            error
        };
        span.finish(Some(&error));
        Err(error)
    }

    /// The server-sent events of an operation's `text/event-stream` response, their data
    /// decoded by `decode`. The request goes out when the stream is first polled; a
    /// failure before any event (an error status, a transport failure) is the stream's
    /// only item.
    #[cfg(feature = "sse")]
    pub fn call_events<T, E, U>(
        &self,
        request: impl FnOnce() -> Result<Request, SendError>,
        map: impl FnOnce(&RawResponse) -> Result<U, Error<E>>,
        decode: Decode<T>,
    ) -> impl futures_core::Stream<Item = Result<Event<T>, Error<E>>> {
        let max = self.inner.max_response_bytes;
        opened_then(
            self.open(request, "text/event-stream", map),
            move |response| events::server_sent(response, decode, max),
        )
    }

    /// The body of an operation's binary response (`accept` is its documented media type),
    /// chunk by chunk; otherwise as [`Core::call_events`].
    pub fn call_bytes<E, U>(
        &self,
        request: impl FnOnce() -> Result<Request, SendError>,
        accept: &'static str,
        map: impl FnOnce(&RawResponse) -> Result<U, Error<E>>,
    ) -> impl futures_core::Stream<Item = Result<bytes::Bytes, Error<E>>> {
        opened_then(self.open(request, accept, map), |response| {
            futures_util::StreamExt::map(events::chunks(response), |chunk| {
                chunk.map_err(Error::Transport)
            })
        })
    }

    /// The items of an operation's newline-delimited JSON response (`accept` is its
    /// documented media type), each decoded by `decode`; otherwise as
    /// [`Core::call_events`].
    pub fn call_lines<T, E, U>(
        &self,
        request: impl FnOnce() -> Result<Request, SendError>,
        accept: &'static str,
        map: impl FnOnce(&RawResponse) -> Result<U, Error<E>>,
        decode: Decode<T>,
    ) -> impl futures_core::Stream<Item = Result<T, Error<E>>> {
        let max = self.inner.max_response_bytes;
        // RFC 7464: a record starts with RS and may span lines.
        let separator = if accept.contains("json-seq") {
            0x1e
        } else {
            b'\n'
        };
        opened_then(self.open(request, accept, map), move |response| {
            events::json_lines(response, decode, max, separator)
        })
    }
}

/// The stream of a response read as it arrives: `opened` sends the request and, once it
/// has a success response, `read` turns that into the items. A failure before that (an
/// error status, a transport failure) is the stream's only item. Nothing is sent until the
/// stream is first polled.
fn opened_then<E, I, S>(
    opened: impl std::future::Future<Output = Result<reqwest::Response, Error<E>>>,
    read: impl FnOnce(reqwest::Response) -> S,
) -> impl futures_core::Stream<Item = Result<I, Error<E>>>
where
    S: futures_core::Stream<Item = Result<I, Error<E>>>,
{
    futures_util::TryStreamExt::try_flatten(futures_util::stream::once(async move {
        opened.await.map(read)
    }))
}

/// The body of `response`, or `None` once it grows past `limit` bytes. Read chunk by
/// chunk, so a body without a length (or lying about it) stops at the limit; a body of
/// one chunk is kept as it came, without a copy.
async fn read_capped(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Option<bytes::Bytes>, reqwest::Error> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Ok(None);
    }
    let mut first: Option<bytes::Bytes> = None;
    let mut rest = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        // `rest` holds everything once a second chunk has come.
        let read = if rest.is_empty() {
            first.as_ref().map_or(0, |f| f.len())
        } else {
            rest.len()
        };
        if read + chunk.len() > limit {
            return Ok(None);
        }
        match &first {
            None => first = Some(chunk),
            Some(f) => {
                if rest.is_empty() {
                    rest.extend_from_slice(f);
                }
                rest.extend_from_slice(&chunk);
            }
        }
    }
    Ok(Some(if rest.is_empty() {
        first.unwrap_or_default()
    } else {
        rest.freeze()
    }))
}

/// A random version-4 UUID, as an idempotency key: unique, not secret. Servers scope keys
/// to the caller's credentials, so a guessable key gives nobody else a handle on the
/// request; what matters is that two keys do not collide, which 122 random bits from a
/// randomly seeded generator ensure without an OS-entropy dependency.
fn random_key() -> String {
    let bits =
        fastrand::u128(..) & !(0xf000 << 64) & !(0xc000 << 48) | (0x4000 << 64) | (0x8000 << 48);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `Retry-After` as delta-seconds or an HTTP-date; a date in the past means "now".
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Exponential backoff with full jitter: a random wait in `[0, min(cap, base * 2^(n-1))]`.
fn backoff(attempt: u32) -> Duration {
    let exp = BACKOFF_BASE.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let ceiling = exp.min(BACKOFF_CAP);
    ceiling.mul_f64(fastrand::f64())
}

/// A sliding-window log: at most `requests` admissions in any window of `period`. Unlike a
/// token bucket, it never lets a burst of 2× the limit through across a window boundary,
/// which is what a server enforcing "N per M seconds" would answer with 429s.
#[derive(Default)]
struct Limiter {
    admitted: Mutex<VecDeque<tokio::time::Instant>>,
}

impl Limiter {
    /// Waits for a slot; how long it slept for one (zero when one was free).
    async fn acquire(&self, limit: RateLimit) -> Duration {
        let mut slept = Duration::ZERO;
        loop {
            let wait = {
                // A poisoned lock only means another task panicked mid-update; the log
                // is still a valid (if conservative) record.
                let mut admitted = self.admitted.lock().unwrap_or_else(|p| p.into_inner());
                let now = tokio::time::Instant::now();
                while admitted
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= limit.period)
                {
                    admitted.pop_front();
                }
                if admitted.len() < limit.requests as usize {
                    admitted.push_back(now);
                    return slept;
                }
                match admitted.front() {
                    Some(oldest) => (*oldest + limit.period).saturating_duration_since(now),
                    None => return slept,
                }
            };
            tokio::time::sleep(wait).await;
            slept += wait;
        }
    }
}

/// Characters left as they are in a path segment: RFC 3986 unreserved ones. Everything else,
/// `/`, `?`, `#` and `%` included, is percent-encoded, so a value is always one segment.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes a path parameter as exactly one path segment. Empty, `.` and `..` are refused:
/// URL normalisation would turn them into a different route.
pub fn path_segment(name: &str, value: &str) -> Result<String, SendError> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(SendError::InvalidRequest(format!(
            "path parameter `{name}` is {value:?}, which would change the route"
        )));
    }
    Ok(percent_encoding::utf8_percent_encode(value, SEGMENT).to_string())
}

/// The plain method's future: the `_with_response` twin's, without status and headers.
pub async fn into_inner<T, E>(
    response: impl std::future::Future<Output = Result<ResponseValue<T>, Error<E>>>,
) -> Result<T, Error<E>> {
    response.await.map(ResponseValue::into_inner)
}

/// Serialises a JSON request body.
pub fn json_body<T: serde::Serialize + ?Sized>(value: &T) -> Result<Option<Body>, SendError> {
    json_body_as(value, "application/json")
}

/// Serialises a JSON request body sent as `content_type`, the operation's own JSON media
/// type (`application/merge-patch+json`, `application/vnd.api+json`, `text/json`): a server
/// may insist on it.
pub fn json_body_as<T: serde::Serialize + ?Sized>(
    value: &T,
    content_type: &'static str,
) -> Result<Option<Body>, SendError> {
    serde_json::to_vec(value)
        .map(|bytes| Some(Body::Bytes(bytes.into(), content_type)))
        .map_err(|e| SendError::InvalidRequest(format!("the body does not serialise as JSON: {e}")))
}

/// Serialises a JSON request body with its boolean `flag` property set to `true`: what a
/// stream method sends, whatever the caller's value.
pub fn json_body_streaming<T: serde::Serialize + ?Sized>(
    value: &T,
    flag: &str,
    content_type: &'static str,
) -> Result<Option<Body>, SendError> {
    let mut value = serde_json::to_value(value).map_err(|e| {
        SendError::InvalidRequest(format!("the body does not serialise as JSON: {e}"))
    })?;
    if let Some(object) = value.as_object_mut() {
        object.insert(flag.to_string(), serde_json::Value::Bool(true));
    }
    json_body_as(&value, content_type)
}

/// Decodes a JSON body; an empty body decodes as `null` (so `()` and `Option` accept it).
pub fn decode_json<T: serde::de::DeserializeOwned, E>(
    response: &RawResponse,
) -> Result<T, Error<E>> {
    let bytes: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &response.body
    };
    serde_json::from_slice(bytes).map_err(|source| Error::Decode {
        status: response.status,
        source,
        body_start: body_start(&response.body),
    })
}

/// A text body, invalid UTF-8 replaced.
pub fn decode_text(response: &RawResponse) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

/// The error for a status the operation documents.
pub fn api_error<E>(response: &RawResponse, error: E) -> Error<E> {
    Error::Api {
        status: response.status,
        error,
        headers: Box::new(response.headers.clone()),
    }
}

/// The error for a status the operation does not document.
pub fn unexpected<E>(response: &RawResponse) -> Error<E> {
    Error::UnexpectedStatus {
        status: response.status,
        body: response.body.clone(),
        headers: Box::new(response.headers.clone()),
    }
}

/// A `name=value` cookie pair with the value percent-encoded, so a value can never add
/// another cookie or break the header.
pub fn cookie_pair(name: &str, value: &str) -> String {
    format!(
        "{name}={}",
        percent_encoding::utf8_percent_encode(value, SEGMENT)
    )
}

fn body_start(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(BODY_START_LEN)]).into_owned()
}

// Unit tests of the pieces above. The generator leaves this declaration out when it writes
// the runtime into a crate (see `package::runtime_source`).
#[cfg(test)]
mod tests;
