//! Request hooks: code an app registers on the builder to see (and change) each request
//! just before it goes out, and to see each response's status and headers as it arrives.
//!
//! # Where hooks run
//!
//! For every attempt of a call: the rate-limit wait (if the operation documents a limit),
//! then the request hooks in registration order, each given the request the one before
//! returned, on a request that already carries its credentials (for the first attempt they
//! are added once, before the wait; a token source is asked then), then the exchange, then
//! the response hooks in registration order. A retry (after a 429, 502, 503, 504 or a refused connection,
//! or a 401 answered with a fresh token) prepares the request again and runs every hook
//! again, so a signature computed by a hook is always fresh and always covers the
//! credentials actually sent. Response hooks see every response, the retried ones too;
//! they do not see attempts that got no response (a connection failure). A request hook
//! that fails ends the call with `Error::Hook`; nothing is sent for that attempt and it
//! is not retried.
//!
//! A redirect the client follows (one the operation does not document) is a new request
//! within the same attempt: the request hooks run again on it (with the same
//! [`Attempt`]), and the response hooks see the redirect's response as well as the last.
//!
//! A hook gets the `reqwest::Request` itself: a buffered body is readable through
//! `request.body().and_then(|b| b.as_bytes())`; a body streamed from a file or a stream is
//! not (it is `None` there).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;

/// The future a hook returns, boxed so hooks of different types share one list.
pub type HookFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Why a request hook refused a request; the call fails with `Error::Hook`.
pub type HookError = Box<dyn std::error::Error + Send + Sync>;

/// Which attempt of which operation a hook is looking at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// The client method's name, such as `delete_user_image`.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template as the API document writes it (never the filled-in path).
    pub path_template: &'static str,
    /// 1 for the first attempt, 2 for the first retry, and so on.
    pub number: u32,
}

/// A response's status and headers, as a response hook sees them.
#[derive(Clone)]
#[non_exhaustive]
pub struct ResponseHead {
    /// HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// Time from handing the request to the connection to the response's headers.
    pub elapsed: Duration,
}

impl fmt::Debug for ResponseHead {
    // Header values may carry session cookies; names are enough to debug with.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseHead")
            .field("status", &self.status)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("elapsed", &self.elapsed)
            .finish()
    }
}

/// A registered request hook.
pub(crate) type RequestHook = Arc<
    dyn Fn(reqwest::Request, Attempt) -> HookFuture<Result<reqwest::Request, HookError>>
        + Send
        + Sync,
>;

/// A registered response hook.
pub(crate) type ResponseHook = Arc<dyn Fn(ResponseHead, Attempt) -> HookFuture<()> + Send + Sync>;

/// Boxes an app's request hook.
pub(crate) fn request_hook<F, Fut>(hook: F) -> RequestHook
where
    F: Fn(reqwest::Request, Attempt) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<reqwest::Request, HookError>> + Send + 'static,
{
    Arc::new(move |request, attempt| Box::pin(hook(request, attempt)))
}

/// Boxes an app's response hook.
pub(crate) fn response_hook<F, Fut>(hook: F) -> ResponseHook
where
    F: Fn(ResponseHead, Attempt) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    Arc::new(move |head, attempt| Box::pin(hook(head, attempt)))
}

/// The hooks of one client, shared by its clones.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) request: Vec<RequestHook>,
    pub(crate) response: Vec<ResponseHook>,
}

impl Hooks {
    /// Runs the request hooks in order.
    pub(crate) async fn on_request(
        &self,
        mut request: reqwest::Request,
        attempt: Attempt,
    ) -> Result<reqwest::Request, HookError> {
        for hook in &self.request {
            request = hook(request, attempt).await?;
        }
        Ok(request)
    }

    /// Runs the response hooks in order.
    pub(crate) async fn on_response(
        &self,
        status: u16,
        headers: &HeaderMap,
        elapsed: Duration,
        attempt: Attempt,
    ) {
        for hook in &self.response {
            let head = ResponseHead {
                status,
                headers: headers.clone(),
                elapsed,
            };
            hook(head, attempt).await;
        }
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("request", &self.request.len())
            .field("response", &self.response.len())
            .finish()
    }
}
