//! What the client tells `tracing` (with the `tracing` feature; without it every function
//! here is an empty inline one and the crate does not depend on `tracing`).
//!
//! One INFO span per call, named `call` (a `tracing` span's name is fixed where it is
//! written), with the operation in `operation` and `otel.name` (which
//! `tracing-opentelemetry` exports as the span's name), and OpenTelemetry's HTTP client
//! fields: `http.request.method`, `url.template` (the path template, never the filled-in
//! path), `server.address`, `server.port`, `http.response.status_code` (of the last
//! response), `http.request.resend_count` (attempts after the first, when there were any),
//! `error.type` (the status code for an error status, else a short name of the failure)
//! and `otel.status_code` (`ERROR` for a failed call). A method OpenTelemetry does not
//! list is recorded as `_OTHER`, with `http.request.method_original`. `url.full` is left
//! out on purpose: it holds the filled-in path and query values. Inside it, an event for each retry (with the wait and the reason), each wait
//! for a documented rate limit, each token refresh after a 401, and each redirect followed.
//!
//! Never recorded: credentials, headers, bodies, the filled-in path, query values.

use std::time::Duration;

use super::{Error, OperationInfo};

#[cfg(feature = "tracing")]
pub(crate) struct CallSpan(tracing::Span);

#[cfg(not(feature = "tracing"))]
pub(crate) struct CallSpan;

/// Where requests go, for `server.address` and `server.port`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Server {
    #[cfg(feature = "tracing")]
    address: String,
    #[cfg(feature = "tracing")]
    port: Option<u16>,
}

impl Server {
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn new(base_url: &str) -> Server {
        #[cfg(feature = "tracing")]
        {
            let url = reqwest::Url::parse(base_url).ok();
            Server {
                address: url
                    .as_ref()
                    .and_then(|u| u.host_str())
                    .unwrap_or_default()
                    .to_string(),
                port: url.as_ref().and_then(|u| u.port_or_known_default()),
            }
        }
        #[cfg(not(feature = "tracing"))]
        Server {}
    }
}

impl CallSpan {
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    #[inline]
    pub(crate) fn new(info: Option<&OperationInfo>, server: &Server) -> CallSpan {
        #[cfg(feature = "tracing")]
        {
            let (name, method, template) =
                info.map_or(("", "", ""), |i| (i.name, i.method, i.path));
            const KNOWN: &[&str] = &[
                "CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE",
            ];
            let (method, original) = if KNOWN.contains(&method) {
                (method, None)
            } else {
                ("_OTHER", Some(method))
            };
            CallSpan(tracing::info_span!(
                "call",
                operation = name,
                otel.name = name,
                otel.kind = "client",
                otel.status_code = tracing::field::Empty,
                http.request.method = method,
                http.request.method_original = original,
                url.template = template,
                server.address = server.address.as_str(),
                server.port = server.port,
                http.response.status_code = tracing::field::Empty,
                http.request.resend_count = tracing::field::Empty,
                error.type = tracing::field::Empty,
            ))
        }
        #[cfg(not(feature = "tracing"))]
        CallSpan
    }

    /// Runs `future` inside the span.
    #[cfg(feature = "tracing")]
    pub(crate) fn instrument<F: std::future::Future>(
        &self,
        future: F,
    ) -> tracing::instrument::Instrumented<F> {
        tracing::Instrument::instrument(future, self.0.clone())
    }

    /// Runs `future` (there is no span without the `tracing` feature).
    #[cfg(not(feature = "tracing"))]
    #[inline]
    pub(crate) fn instrument<F: std::future::Future>(&self, future: F) -> F {
        future
    }

    /// Records how the call ended.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    #[inline]
    pub(crate) fn finish<E>(&self, error: Option<&Error<E>>) {
        #[cfg(feature = "tracing")]
        if let Some(error) = error {
            self.0.record("error.type", error_type(error).as_ref());
            self.0.record("otel.status_code", "ERROR");
        }
    }
}

/// `error.type`: the status code of an error status (as OpenTelemetry asks), else a short
/// name of what failed.
#[cfg(feature = "tracing")]
fn error_type<E>(error: &Error<E>) -> std::borrow::Cow<'static, str> {
    match error {
        Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => {
            status.to_string().into()
        }
        Error::Decode { .. } => "decode".into(),
        Error::Transport(e) if e.is_timeout() => "timeout".into(),
        Error::Transport(e) if e.is_connect() => "connect".into(),
        Error::Transport(_) => "transport".into(),
        Error::Timeout(_) => "timeout".into(),
        Error::BodyTooLarge { .. } => "body_too_large".into(),
        Error::InvalidRequest(_) => "invalid_request".into(),
        Error::MissingCredentials(_) => "missing_credentials".into(),
        Error::Token(_) => "token".into(),
        Error::Hook(_) => "hook".into(),
        Error::Paging(_) => "paging".into(),
        Error::RetriesExhausted { last, .. } => error_type(last),
    }
}

/// A response arrived (inside the call's span).
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
#[inline]
pub(crate) fn response(status: u16) {
    #[cfg(feature = "tracing")]
    tracing::Span::current().record("http.response.status_code", status);
}

/// The call is about to be sent again after `attempt` attempts, in `wait`, because of
/// `reason` (a status code, or the failure).
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
#[inline]
pub(crate) fn retrying(attempt: u32, wait: Duration, reason: &str, retry_after: bool) {
    #[cfg(feature = "tracing")]
    {
        tracing::Span::current().record("http.request.resend_count", attempt);
        tracing::info!(
            attempt,
            wait_ms = wait.as_millis() as u64,
            reason,
            retry_after,
            "retrying"
        );
    }
}

/// The call is sent again at once with a fresh token, after a 401.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
#[inline]
pub(crate) fn reauthenticating(attempt: u32) {
    #[cfg(feature = "tracing")]
    {
        tracing::Span::current().record("http.request.resend_count", attempt);
        tracing::info!(
            attempt,
            "the server answered 401; retrying with a fresh token"
        );
    }
}

/// The server answered `status`, a redirect the operation does not document, and the
/// call follows it (`hop` of at most ten). Its target is not recorded: it may carry
/// values from the request.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
#[inline]
pub(crate) fn redirected(status: u16, hop: u32) {
    #[cfg(feature = "tracing")]
    tracing::info!(status, hop, "following a redirect");
}

/// The call waited `wait` to stay within the operation's documented rate limit.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
#[inline]
pub(crate) fn rate_limited(wait: Duration, limit: super::RateLimit) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        wait_ms = wait.as_millis() as u64,
        requests = limit.requests,
        period_s = limit.period.as_secs(),
        "waiting for the documented rate limit"
    );
}
