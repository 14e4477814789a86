//! Runtime support for the generated client: configuration, the one request path every
//! operation shares, and the error type.
//!
//! This file is copied verbatim by the generator into every client it writes.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};

/// How much of an undecodable body an error keeps for display.
const BODY_START_LEN: usize = 512;

/// A client for the API. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Base URL without a trailing slash; paths are appended to it.
    base_url: String,
    /// `Authorization` value, already validated, marked sensitive.
    authorization: Option<HeaderValue>,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("bearer_token", &self.inner.authorization.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Configures a [`Client`].
#[derive(Default, Clone)]
pub struct ClientBuilder {
    base_url: Option<String>,
    bearer_token: Option<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("bearer_token", &self.bearer_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl ClientBuilder {
    /// The URL requests go to, such as `http://127.0.0.1:8080`; a path prefix is kept.
    /// Defaults to the first server the API document lists.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The token sent as `Authorization: Bearer <token>` to operations that require it.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// Builds the client, checking the base URL and the token.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = match self.base_url.as_deref().or(crate::client::DEFAULT_BASE_URL) {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => return Err(BuildError::new("no base URL: the API document names no server, so call `base_url`")),
        };
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() && url.fragment().is_none() => {}
            Ok(_) => return Err(BuildError::new(format!("base URL `{base_url}` must be http or https, without query or fragment"))),
            Err(e) => return Err(BuildError::new(format!("base URL `{base_url}` is not a valid URL: {e}"))),
        }
        let authorization = match self.bearer_token {
            None => None,
            Some(token) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                    BuildError::new("the bearer token contains characters that are not allowed in an HTTP header")
                })?;
                value.set_sensitive(true);
                Some(value)
            }
        };
        let http = reqwest::Client::builder()
            .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| BuildError::new(format!("could not build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                authorization,
            }),
        })
    }
}

/// Why a [`ClientBuilder`] could not build a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    message: String,
}

impl BuildError {
    fn new(message: impl Into<String>) -> Self {
        BuildError { message: message.into() }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

/// Why an operation failed. `E` is the operation's own enum of documented error responses.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with a status the operation documents as an error.
    Api {
        /// HTTP status code.
        status: u16,
        /// The documented error, chosen by status code, with its decoded body.
        error: E,
    },
    /// The server answered with a status the operation does not document.
    UnexpectedStatus {
        /// HTTP status code.
        status: u16,
        /// The response body as received.
        body: bytes::Bytes,
    },
    /// The response body does not decode as the documented type.
    Decode {
        /// HTTP status code.
        status: u16,
        /// What the decoder reported.
        source: serde_json::Error,
        /// The first bytes of the body (lossy UTF-8).
        body_start: String,
    },
    /// No complete response arrived: connection refused or reset, timeout, TLS failure.
    Transport(reqwest::Error),
    /// The arguments cannot form a valid request (for example an empty path parameter).
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The HTTP status of the response, if one arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => {
                Some(*status)
            }
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::InvalidRequest(_) => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, error } => write!(f, "the server answered {status}: {error:?}"),
            Error::UnexpectedStatus { status, body } => {
                write!(f, "the server answered with undocumented status {status}: {}", body_start(body))
            }
            Error::Decode { status, source, body_start } => {
                write!(f, "the {status} response does not decode: {source}; the body starts with {body_start:?}")
            }
            Error::Transport(e) => write!(f, "the request failed: {e}"),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// What can go wrong before a status code is known; converted into any [`Error<E>`].
#[derive(Debug)]
pub(crate) enum SendError {
    Transport(reqwest::Error),
    InvalidRequest(String),
}

impl<E> From<SendError> for Error<E> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Transport(e) => Error::Transport(e),
            SendError::InvalidRequest(m) => Error::InvalidRequest(m),
        }
    }
}

/// A request as the generated methods describe it.
pub(crate) struct Request {
    pub(crate) method: reqwest::Method,
    /// Path with parameters already encoded, starting with `/`.
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// Encoded body and its content type.
    pub(crate) body: Option<(Vec<u8>, &'static str)>,
    /// Whether the operation takes the bearer token.
    pub(crate) auth: bool,
}

/// A complete response.
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) body: bytes::Bytes,
}

impl Client {
    /// The one request path every operation shares. Not generic, so it is compiled once.
    pub(crate) async fn send(&self, req: Request) -> Result<RawResponse, SendError> {
        let mut url = reqwest::Url::parse(&format!("{}{}", self.inner.base_url, req.path))
            .map_err(|e| SendError::InvalidRequest(format!("invalid URL: {e}")))?;
        if !req.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &req.query {
                pairs.append_pair(name, value);
            }
        }
        let mut builder = self.inner.http.request(req.method, url);
        if req.auth
            && let Some(value) = &self.inner.authorization
        {
            builder = builder.header(AUTHORIZATION, value.clone());
        }
        let mut cookies = Vec::new();
        for (name, value) in req.headers {
            if name == "cookie" {
                cookies.push(value);
                continue;
            }
            let value = HeaderValue::from_str(&value)
                .map_err(|_| SendError::InvalidRequest(format!("header `{name}` has a value that is not allowed in HTTP")))?;
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| SendError::InvalidRequest(format!("`{name}` is not a valid header name")))?;
            builder = builder.header(name, value);
        }
        if !cookies.is_empty() {
            let value = HeaderValue::from_str(&cookies.join("; "))
                .map_err(|_| SendError::InvalidRequest("a cookie has a value that is not allowed in HTTP".into()))?;
            builder = builder.header(reqwest::header::COOKIE, value);
        }
        if let Some((bytes, content_type)) = req.body {
            builder = builder.header(CONTENT_TYPE, content_type).body(bytes);
        }
        let response = builder.send().await.map_err(SendError::Transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(SendError::Transport)?;
        Ok(RawResponse { status, body })
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
// Not every API needs every helper.
#[allow(dead_code)]
pub(crate) fn path_segment(name: &str, value: &str) -> Result<String, SendError> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(SendError::InvalidRequest(format!(
            "path parameter `{name}` is {value:?}, which would change the route"
        )));
    }
    Ok(percent_encoding::utf8_percent_encode(value, SEGMENT).to_string())
}

/// Serialises a JSON request body.
// Not every API needs every helper.
#[allow(dead_code)]
pub(crate) fn json_body<T: serde::Serialize + ?Sized>(value: &T) -> Result<Option<(Vec<u8>, &'static str)>, SendError> {
    serde_json::to_vec(value)
        .map(|bytes| Some((bytes, "application/json")))
        .map_err(|e| SendError::InvalidRequest(format!("the body does not serialise as JSON: {e}")))
}

/// Decodes a JSON body; an empty body decodes as `null` (so `()` and `Option` accept it).
// Not every API needs every helper.
#[allow(dead_code)]
pub(crate) fn decode_json<T: serde::de::DeserializeOwned, E>(response: &RawResponse) -> Result<T, Error<E>> {
    let bytes: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &response.body };
    serde_json::from_slice(bytes).map_err(|source| Error::Decode {
        status: response.status,
        source,
        body_start: body_start(&response.body),
    })
}

/// A text body, invalid UTF-8 replaced.
// Not every API needs every helper.
#[allow(dead_code)]
pub(crate) fn decode_text(response: &RawResponse) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

/// The error for a status the operation does not document.
// Not every API needs every helper.
#[allow(dead_code)]
pub(crate) fn unexpected<E>(response: RawResponse) -> Error<E> {
    Error::UnexpectedStatus {
        status: response.status,
        body: response.body,
    }
}

fn body_start(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(BODY_START_LEN)]).into_owned()
}
