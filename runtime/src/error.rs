//! What goes wrong: building a client ([`BuildError`]), a request before any status is
//! known ([`SendError`]), and a call ([`Error`], which keeps the status, headers and body
//! of whatever arrived).

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;

use super::{HookError, TokenError, body_start};

/// Why a client could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    message: String,
}

impl BuildError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        BuildError {
            message: message.into(),
        }
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
    #[non_exhaustive]
    Api {
        /// HTTP status code.
        status: u16,
        /// The documented error, chosen by status code, with its decoded body.
        error: E,
        /// The response headers (boxed: they are large and rarely read).
        headers: Box<HeaderMap>,
    },
    /// The server answered with a status the operation does not document.
    #[non_exhaustive]
    UnexpectedStatus {
        /// HTTP status code.
        status: u16,
        /// The response body as received.
        body: bytes::Bytes,
        /// The response headers (boxed: they are large and rarely read).
        headers: Box<HeaderMap>,
    },
    /// The response body does not decode as the documented type.
    #[non_exhaustive]
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
    /// A stream's response did not start within the timeout (once started, a stream has
    /// none: events may be far apart).
    Timeout(Duration),
    /// The response body is larger than the client reads whole (the builder's
    /// `max_response_bytes`); reading stopped there.
    #[non_exhaustive]
    BodyTooLarge {
        /// HTTP status code.
        status: u16,
        /// The limit that was reached, in bytes.
        limit: usize,
        /// The response headers (boxed: they are large and rarely read).
        headers: Box<HeaderMap>,
    },
    /// The arguments cannot form a valid request (for example an empty path parameter).
    InvalidRequest(String),
    /// The operation needs credentials and none of the sets it accepts is configured;
    /// nothing was sent. The message names the builder methods that would set them.
    MissingCredentials(String),
    /// A token source failed to give a token; nothing was sent.
    Token(TokenError),
    /// A request hook refused the request; nothing was sent for that attempt.
    Hook(HookError),
    /// A paginated list's server sent the same cursor or next-page URL again, which would
    /// repeat pages forever; the stream ends with this after the items it had.
    Paging(String),
    /// Every attempt failed with a retryable error; `last` is the final one.
    #[non_exhaustive]
    RetriesExhausted {
        /// Attempts made, the first one included.
        attempts: u32,
        /// The error of the last attempt.
        last: Box<Error<E>>,
    },
}

impl<E> Error<E> {
    /// The HTTP status of the (last) response, if one arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::BodyTooLarge { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::InvalidRequest(_)
            | Error::MissingCredentials(_)
            | Error::Token(_)
            | Error::Hook(_)
            | Error::Paging(_)
            | Error::Timeout(_) => None,
            Error::RetriesExhausted { last, .. } => last.status(),
        }
    }

    /// Whether trying again later may succeed: 429, 502, 503, 504, connection failures
    /// and timeouts (for `RetriesExhausted`, whether its last error was). A retryable error
    /// of a non-idempotent call is only safe to retry if the operation tolerates repeats.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => {
                retryable_status(*status)
            }
            Error::Transport(e) => e.is_connect() || e.is_timeout(),
            Error::Timeout(_) => true,
            Error::Decode { .. }
            | Error::BodyTooLarge { .. }
            | Error::InvalidRequest(_)
            | Error::MissingCredentials(_)
            | Error::Token(_)
            | Error::Hook(_)
            | Error::Paging(_) => false,
            Error::RetriesExhausted { last, .. } => last.is_retryable(),
        }
    }

    /// Attempts made: more than 1 only for [`Error::RetriesExhausted`].
    pub fn attempts(&self) -> u32 {
        match self {
            Error::RetriesExhausted { attempts, .. } => *attempts,
            _ => 1,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, error, .. } => {
                write!(f, "the server answered {status}: {error:?}")
            }
            Error::UnexpectedStatus { status, body, .. } => {
                write!(
                    f,
                    "the server answered with undocumented status {status}: {}",
                    body_start(body)
                )
            }
            Error::Decode {
                status,
                source,
                body_start,
            } => {
                write!(
                    f,
                    "the {status} response does not decode: {source}; the body starts with {body_start:?}"
                )
            }
            Error::Transport(e) => write!(f, "the request failed: {e}"),
            Error::Timeout(after) => write!(f, "no response within {after:?}"),
            Error::BodyTooLarge { status, limit, .. } => write!(
                f,
                "the {status} response's body is larger than the {limit} bytes the client reads"
            ),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::MissingCredentials(message) => f.write_str(message),
            Error::Token(e) => write!(f, "no token to authenticate with: {e}"),
            Error::Hook(e) => write!(f, "a request hook refused the request: {e}"),
            Error::Paging(message) => write!(f, "the pages do not end: {message}"),
            Error::RetriesExhausted { attempts, last } => {
                write!(f, "gave up after {attempts} attempts: {last}")
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Transport(e) => Some(e),
            Error::Token(e) => Some(e),
            Error::Hook(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

pub(super) fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// What can go wrong before a status code is known; converted into any [`Error<E>`].
#[derive(Debug)]
pub enum SendError {
    /// No complete response arrived.
    Transport(reqwest::Error),
    /// A stream's response did not start in time.
    Timeout(Duration),
    /// The body passed the size limit.
    BodyTooLarge {
        /// HTTP status code.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
        /// The response headers.
        headers: Box<HeaderMap>,
    },
    /// The arguments cannot form a valid request.
    InvalidRequest(String),
    /// The operation needs credentials that are not set.
    MissingCredentials(String),
    /// A token source failed.
    Token(TokenError),
    /// A request hook failed.
    Hook(HookError),
}

impl<E> From<SendError> for Error<E> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Transport(e) => Error::Transport(e),
            SendError::Timeout(after) => Error::Timeout(after),
            SendError::BodyTooLarge {
                status,
                limit,
                headers,
            } => Error::BodyTooLarge {
                status,
                limit,
                headers,
            },
            SendError::InvalidRequest(m) => Error::InvalidRequest(m),
            SendError::MissingCredentials(m) => Error::MissingCredentials(m),
            SendError::Token(e) => Error::Token(e),
            SendError::Hook(e) => Error::Hook(e),
        }
    }
}
