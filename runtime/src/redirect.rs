//! Redirects, followed by the client rather than by reqwest, so that a `3xx` an operation
//! documents reaches its method (an artifact download that answers only `302 Found`, whose
//! `Location` is what the app wants), and so that credentials never follow a redirect to
//! a server the app did not choose.
//!
//! The rules (RFC 9110 §15.4, applied as browsers and reqwest apply them):
//!
//! - Only `301`, `302`, `303`, `307` and `308` with a `Location` are followed, and only
//!   when the operation documents neither that status nor a `3XX` range: a documented one
//!   is the method's to return, like any other documented response.
//! - `303`, and `301`/`302` answering a `POST`, are followed with `GET` (`HEAD` stays
//!   `HEAD`) and no body; `307` and `308` repeat the method and the body. A body that
//!   cannot be sent twice (a stream) stops at a `307`/`308`, which the method then returns
//!   as it returns any status it does not document.
//! - To another origin (scheme, host or port), `Authorization`, `Proxy-Authorization`,
//!   `Cookie` and every header value marked sensitive (the client's credentials) are
//!   dropped, and so are query parameters that hold the client's keys, should the
//!   `Location` repeat them.
//! - At most [`MAX_HOPS`] in one attempt; the response after the last is returned as it
//!   is. Request hooks run again for each hop (a signature covers the URL it goes to) and
//!   response hooks see every response, each hop's included.
//!
//! A caller's own `reqwest::Client` (`with_reqwest_client`) follows redirects itself
//! unless built with `redirect::Policy::none()`; then documented `3xx` never arrive.

use reqwest::header::{
    AUTHORIZATION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap, LOCATION,
    PROXY_AUTHORIZATION, TRANSFER_ENCODING,
};
use reqwest::{Method, Request};

/// Redirects followed in one attempt at most (reqwest's own default).
pub(super) const MAX_HOPS: u32 = 10;

/// The statuses that redirect; an operation's `redirects` lists those it documents.
pub(super) const FOLLOWED: [u16; 5] = [301, 302, 303, 307, 308];

/// A request as it was before it went out, kept to send again at a redirect's target.
pub(super) struct Replay {
    request: Request,
    /// The body was a stream, gone once sent: the copy has none.
    body_lost: bool,
}

impl Replay {
    /// A copy of `request` (its body shared, not copied, when it is bytes).
    pub(super) fn of(request: &Request) -> Replay {
        match request.try_clone() {
            Some(request) => Replay {
                request,
                body_lost: false,
            },
            None => {
                let mut copy = Request::new(request.method().clone(), request.url().clone());
                *copy.headers_mut() = request.headers().clone();
                *copy.timeout_mut() = request.timeout().copied();
                *copy.version_mut() = request.version();
                Replay {
                    request: copy,
                    body_lost: true,
                }
            }
        }
    }

    /// The request to send for a response with `status` and `headers`, or `None` when the
    /// response is the answer: not a redirect, one the operation documents (`documented`),
    /// one without a usable `Location`, or a `307`/`308` whose body is gone. `redact` names
    /// the query parameters that hold keys.
    pub(super) fn follow(
        self,
        status: u16,
        headers: &HeaderMap,
        documented: &[u16],
        redact: &[&str],
    ) -> Option<Request> {
        if !FOLLOWED.contains(&status) || documented.contains(&status) {
            return None;
        }
        let location = headers.get(LOCATION)?.to_str().ok()?;
        let mut request = self.request;
        let mut url = request.url().join(location).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let method = request.method().clone();
        let to_get = match status {
            303 => method != Method::HEAD,
            301 | 302 => method == Method::POST,
            _ => false,
        };
        if to_get {
            *request.method_mut() = Method::GET;
            *request.body_mut() = None;
            for name in [
                CONTENT_TYPE,
                CONTENT_LENGTH,
                CONTENT_ENCODING,
                TRANSFER_ENCODING,
            ] {
                request.headers_mut().remove(name);
            }
        } else if self.body_lost {
            return None;
        }
        if url.origin() != request.url().origin() {
            let headers = request.headers_mut();
            for name in [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE] {
                headers.remove(name);
            }
            let sensitive: Vec<_> = headers
                .iter()
                .filter(|(_, value)| value.is_sensitive())
                .map(|(name, _)| name.clone())
                .collect();
            for name in sensitive {
                headers.remove(name);
            }
            if !redact.is_empty() && url.query().is_some() {
                let kept: Vec<(String, String)> = url
                    .query_pairs()
                    .filter(|(name, _)| !redact.contains(&name.as_ref()))
                    .map(|(n, v)| (n.into_owned(), v.into_owned()))
                    .collect();
                if kept.is_empty() {
                    url.set_query(None);
                } else {
                    url.query_pairs_mut().clear().extend_pairs(kept);
                }
            }
        }
        *request.url_mut() = url;
        Some(request)
    }
}
