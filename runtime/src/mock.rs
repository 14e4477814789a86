//! A mock server for an app's tests (the `mock` feature): an HTTP/1 server on loopback
//! that answers each request from the expectations a test set, records every request it
//! saw, and checks on drop that every expectation was met.
//!
//! A generated crate's `mock` module wraps it with one typed method per operation: its
//! parameters and body are matched by the operation's own Rust types (encoded exactly as
//! the client encodes them), and its replies are the operation's own success and error
//! types. This module is the untyped engine under it.
//!
//! # Rules
//!
//! - A request is answered by the most specific matching expectation (the one with the
//!   most parameters, headers and body set), the earliest registered among equals. An
//!   expectation that has answered as many times as [`Expectation::times`] allows stops
//!   matching, so the next one takes over: that is how sequences across expectations work.
//! - An expectation with several replies ([`When::respond_sequence`]) gives them in order,
//!   then repeats the last one.
//! - An expectation must be met at least once (or as [`Expectation::times`] says) unless
//!   it is [`Expectation::optional`].
//! - A request nothing matches is answered `404 Not Found` with a text body naming the
//!   closest expectation and why it did not match, and fails [`Server::verify`].
//! - On drop (unless the thread is already panicking), the server verifies: an unmet
//!   expectation or an unmatched request panics with a message listing, for each unmet
//!   expectation, the requests that came closest and what differed.
//!
//! Built on hyper directly: reqwest already depends on hyper, hyper-util and
//! http-body-util, so the feature adds no crate to an app's tree; the matching, the
//! recording and the messages are this module's own, because they are typed and
//! closest-match aware, which a generic mock server's matchers are not.

use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::{Api, Body, Builder, Event, Place, SendError};

/// Longest piece of a body a message quotes.
const QUOTE_LEN: usize = 200;
/// How many near misses a message lists per unmet expectation.
const CLOSEST: usize = 3;

/// The mock server. Dropping it stops it and verifies it.
pub struct Server {
    api: &'static Api,
    address: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
struct State {
    expectations: Mutex<Vec<Stored>>,
    requests: Mutex<Vec<Recorded>>,
    /// The next expectation's id: never reused, so a handle kept across `reset` names
    /// nothing rather than a newer expectation.
    next_id: std::sync::atomic::AtomicUsize,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A test that panicked while holding the lock leaves consistent data behind.
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Server {
    /// Starts a server on a free loopback port, serving on the current tokio runtime.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound (a test environment without networking).
    pub async fn start(api: &'static Api) -> Server {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap_or_else(|e| panic!("mock server: cannot listen on 127.0.0.1: {e}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("mock server: no local address: {e}"));
        let state = Arc::new(State::default());
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            // Connections live in the set, so stopping the server stops them too.
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    // Out of file descriptors, say: wait rather than spin.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let state = Arc::clone(&shared);
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let state = Arc::clone(&state);
                        async move { Ok::<_, Infallible>(state.answer(api, request).await) }
                    });
                    // A client that hangs up mid-request is its own business.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
                while connections.try_join_next().is_some() {}
            }
        });
        Server {
            api,
            address,
            state,
            task,
        }
    }

    /// The server's base URL, such as `http://127.0.0.1:41234`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A client builder pointed at the server, with a made-up credential for every
    /// security scheme (`mock-user`/`mock-password` for Basic, `mock-secret` otherwise),
    /// so every operation sends its credentials as it would in production.
    pub fn builder(&self) -> Builder {
        let mut builder = Builder::new(self.api).base_url(self.uri());
        for (index, scheme) in self.api.schemes.iter().enumerate() {
            builder = match scheme.place {
                Place::Authorization(s) if s.eq_ignore_ascii_case("basic") => {
                    builder.basic_auth(index, "mock-user", Some("mock-password".into()))
                }
                _ => builder.secret(index, "mock-secret"),
            };
        }
        builder
    }

    /// Starts an expectation for the operation at `operation` in [`Api::operations`].
    pub fn when(&self, operation: usize) -> When<'_> {
        When {
            server: self,
            matcher: Matcher {
                operation,
                ..Matcher::default()
            },
        }
    }

    /// Every request the server has received, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state.requests).clone()
    }

    /// Forgets every expectation and every recorded request, as if the server had just
    /// started (a test that asserted on [`Server::check`]'s report calls it so the drop
    /// does not fail again).
    pub fn reset(&self) {
        lock(&self.state.expectations).clear();
        lock(&self.state.requests).clear();
    }

    /// Panics with a readable report if an expectation is not met or a request matched
    /// nothing (see [`Server::check`]).
    #[track_caller]
    pub fn verify(&self) {
        if let Err(report) = self.check() {
            panic!("{report}");
        }
    }

    /// The report [`Server::verify`] panics with, if any: each unmet expectation with the
    /// requests that came closest to it and what differed, then each request that matched
    /// nothing.
    pub fn check(&self) -> Result<(), String> {
        let expectations = lock(&self.state.expectations);
        let requests = lock(&self.state.requests);
        let mut report = String::new();
        let mut unmet = 0;
        for stored in expectations.iter() {
            let served = stored.served;
            let (min, max) = (stored.min, stored.max);
            if served >= min && max.is_none_or(|m| served <= m) {
                continue;
            }
            unmet += 1;
            let wanted = match max {
                Some(m) if m == min => format!("{m} call(s)"),
                _ => format!("at least {min} call(s)"),
            };
            report.push_str(&format!(
                "\n{} expected {wanted}, got {served}.\n",
                stored.matcher.describe(self.api)
            ));
            let mut near: Vec<(usize, Vec<String>, &Recorded)> = requests
                .iter()
                .filter(|r| r.matched != Some(stored.id))
                .map(|r| {
                    let (score, why) = stored.matcher.mismatches(self.api, r);
                    (score, why, r)
                })
                .collect();
            near.sort_by_key(|(score, ..)| *score);
            if near.is_empty() {
                report.push_str("  No other request arrived.\n");
            } else {
                report.push_str("  Closest requests:\n");
            }
            for (_, why, request) in near.into_iter().take(CLOSEST) {
                report.push_str(&format!(
                    "  - {}: {}\n",
                    request.line(),
                    if why.is_empty() {
                        "matched, but a more specific expectation answered it".to_string()
                    } else {
                        why.join("; ")
                    }
                ));
            }
        }
        let unmatched: Vec<&Recorded> = requests.iter().filter(|r| r.matched.is_none()).collect();
        for request in &unmatched {
            report.push_str(&format!(
                "\nNo expectation matched {}.{}\n",
                request.line(),
                closest(self.api, &expectations, request)
                    .map(|c| format!("\n  Closest: {c}"))
                    .unwrap_or_default()
            ));
        }
        if report.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "mock server: {unmet} expectation(s) not met, {} request(s) matched nothing\n{report}",
                unmatched.len()
            ))
        }
    }

    fn register(&self, matcher: Matcher, replies: Vec<Reply>) -> Expectation<'_> {
        let mut expectations = lock(&self.state.expectations);
        let id = self
            .state
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        expectations.push(Stored {
            id,
            min: 1,
            max: None,
            served: 0,
            matcher,
            replies,
        });
        Expectation { server: self, id }
    }

    fn update(&self, id: usize, change: impl FnOnce(&mut Stored)) {
        if let Some(stored) = lock(&self.state.expectations)
            .iter_mut()
            .find(|s| s.id == id)
        {
            change(stored);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
        if !std::thread::panicking()
            && let Err(report) = self.check()
        {
            panic!("{report}");
        }
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.uri())
            .field("expectations", &lock(&self.state.expectations).len())
            .field("requests", &lock(&self.state.requests).len())
            .finish()
    }
}

impl State {
    async fn answer(
        &self,
        api: &'static Api,
        request: hyper::Request<hyper::body::Incoming>,
    ) -> hyper::Response<Full<Bytes>> {
        let (parts, body) = request.into_parts();
        let body = match body.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) => {
                return plain(
                    400,
                    format!("mock server: could not read the request body: {e}"),
                );
            }
        };
        let mut recorded = Recorded::new(api, parts, body);
        let (reply, miss) = {
            let mut expectations = lock(&self.expectations);
            let chosen = expectations
                .iter()
                .filter(|s| s.max.is_none_or(|m| s.served < m))
                .filter(|s| s.matcher.mismatches(api, &recorded).1.is_empty())
                // Most specific first, then the earliest registered.
                .min_by_key(|s| (std::cmp::Reverse(s.matcher.specificity()), s.id))
                .map(|s| s.id);
            match chosen.and_then(|id| expectations.iter_mut().find(|s| s.id == id)) {
                Some(stored) => {
                    let reply = stored
                        .replies
                        .get(stored.served)
                        .or(stored.replies.last())
                        .cloned();
                    stored.served += 1;
                    recorded.matched = Some(stored.id);
                    (reply, None)
                }
                None => (None, Some(closest(api, &expectations, &recorded))),
            }
        };
        let line = recorded.line();
        lock(&self.requests).push(recorded);
        match (reply, miss) {
            (Some(reply), _) => {
                if !reply.delay.is_zero() {
                    tokio::time::sleep(reply.delay).await;
                }
                reply.response()
            }
            (None, Some(Some(closest))) => plain(
                404,
                format!("mock server: no expectation matches {line}\nclosest: {closest}\n"),
            ),
            (None, _) => plain(
                404,
                format!("mock server: no expectation matches {line} (none set)\n"),
            ),
        }
    }
}

/// A plain-text response of the mock server's own.
fn plain(status: u16, text: String) -> hyper::Response<Full<Bytes>> {
    Reply::text(status, text).response()
}

/// The expectation closest to `request`, described with what differed.
fn closest(api: &Api, expectations: &[Stored], request: &Recorded) -> Option<String> {
    expectations
        .iter()
        .map(|s| {
            let (score, mut why) = s.matcher.mismatches(api, request);
            if why.is_empty() {
                why.push(format!("already answered its {} call(s)", s.served));
            }
            (score, s, why)
        })
        .min_by_key(|(score, s, _)| (*score, s.id))
        .map(|(_, s, why)| format!("{}: {}", s.matcher.describe(api), why.join("; ")))
}

/// One expectation as the server keeps it.
struct Stored {
    id: usize,
    min: usize,
    max: Option<usize>,
    served: usize,
    matcher: Matcher,
    replies: Vec<Reply>,
}

/// What an expectation requires of a request.
#[derive(Default, Clone)]
struct Matcher {
    operation: usize,
    /// Path parameters: position among the template's parameters, name, encoded value.
    path: Vec<(usize, &'static str, String)>,
    /// Query parameters: name, and the pairs the client would send for the value.
    query: Vec<(&'static str, Vec<(String, String)>)>,
    /// Header (and cookie) parameters: the name, the pairs the client would send.
    headers: Vec<(&'static str, Vec<(&'static str, String)>)>,
    /// The body as the client would send it, and its content type.
    body: Option<(Bytes, &'static str)>,
    /// A top-level JSON key the body comparison leaves out.
    body_except: Option<&'static str>,
    /// A value a setter could not encode: the expectation can never match.
    invalid: Vec<String>,
}

impl Matcher {
    fn specificity(&self) -> usize {
        self.path.len() + self.query.len() + self.headers.len() + usize::from(self.body.is_some())
    }

    fn describe(&self, api: &Api) -> String {
        let Some(info) = api.operations.get(self.operation) else {
            return format!("expectation for operation #{}", self.operation);
        };
        let mut set: Vec<String> = Vec::new();
        for (_, name, value) in &self.path {
            set.push(format!("{name} = {:?}", decode(value)));
        }
        for (name, pairs) in &self.query {
            set.push(format!("{name} = {}", pairs_text(pairs)));
        }
        for (name, pairs) in &self.headers {
            let values: Vec<&str> = pairs.iter().map(|(_, v)| v.as_str()).collect();
            set.push(format!("{name} = {values:?}"));
        }
        if let Some((body, _)) = &self.body {
            set.push(format!("body = {}", quote(body)));
        }
        let set = if set.is_empty() {
            String::new()
        } else {
            format!(" with {}", set.join(", "))
        };
        format!("`{}` ({} {}){set}", info.name, info.method, info.path)
    }

    /// How far `request` is from matching (0: it matches), and what differs.
    fn mismatches(&self, api: &Api, request: &Recorded) -> (usize, Vec<String>) {
        let mut why = self.invalid.clone();
        let Some(info) = api.operations.get(self.operation) else {
            return (1000, vec!["unknown operation".into()]);
        };
        if !request.method.eq_ignore_ascii_case(info.method) {
            why.push(format!("method is {}, not {}", request.method, info.method));
        }
        let splits = match_template(info.path, &request.path);
        let Some(first) = splits.first() else {
            why.push(format!("path does not fit {}", info.path));
            return (100 + why.len(), why);
        };
        // A path that fits several templates is the operation whose template has the most
        // literal text (`/users/me` before `/users/{id}`), as servers route.
        if let Some(other) = request.operation.filter(|o| *o != info.name) {
            why.push(format!("the request is `{other}`'s, not `{}`'s", info.name));
        }
        // The values of the parameters in one segment (`{name}.{ext}`) may split it more than
        // one way: any split with the expected values will do.
        let path_misses = |segments: &Vec<&str>| -> Vec<String> {
            self.path
                .iter()
                .filter_map(|(position, name, expected)| {
                    let got = segments.get(*position).map(|s| decode(s));
                    let expected = decode(expected);
                    (got.as_deref() != Some(expected.as_str())).then(|| {
                        format!(
                            "path parameter `{name}` is {:?}, not {expected:?}",
                            got.unwrap_or_default()
                        )
                    })
                })
                .collect()
        };
        if !splits.iter().any(|s| path_misses(s).is_empty()) {
            why.extend(path_misses(first));
        }
        for (name, pairs) in &self.query {
            // An empty array or object sends no pair: the request must send none either.
            if pairs.is_empty() {
                let bracket = format!("{name}[");
                if let Some((key, _)) = request
                    .query
                    .iter()
                    .find(|(k, _)| k == name || k.starts_with(&bracket))
                {
                    why.push(format!(
                        "query `{name}` is sent (`{key}`), but expected empty"
                    ));
                }
            }
            for key in keys(pairs) {
                let want: Vec<&str> = values(pairs, key);
                let got: Vec<&str> = values(&request.query, key);
                if want != got {
                    why.push(format!("query `{name}`: `{key}` is {got:?}, not {want:?}"));
                }
            }
        }
        for (name, pairs) in &self.headers {
            for (header, value) in pairs {
                let got = if header.eq_ignore_ascii_case("cookie") {
                    let cookies = request.header_values("cookie");
                    cookies
                        .split(';')
                        .map(str::trim)
                        .any(|c| c == value)
                        .then(|| value.clone())
                } else {
                    request
                        .headers
                        .contains_key(*header)
                        .then(|| request.header_values(header))
                };
                if got.as_deref() != Some(value.as_str()) {
                    let kind = if header.eq_ignore_ascii_case("cookie") {
                        "cookie"
                    } else {
                        "header"
                    };
                    // A credential's value never goes into a message.
                    if secret_header(api, header) {
                        why.push(format!("{kind} `{name}` differs (value hidden)"));
                    } else {
                        why.push(format!(
                            "{kind} `{name}` is {:?}, not {value:?}",
                            got.unwrap_or_default()
                        ));
                    }
                }
            }
        }
        if let Some((body, content_type)) = &self.body
            && !same_body(body, content_type, self.body_except, &request.body)
        {
            why.push(format!(
                "body is {}, not {}",
                quote(&request.body),
                quote(body)
            ));
        }
        (why.len(), why)
    }
}

/// Whether a header carries a credential: `Authorization`, `Cookie`,
/// `Proxy-Authorization`, or an API-key scheme's header.
fn secret_header(api: &Api, name: &str) -> bool {
    ["authorization", "cookie", "proxy-authorization"]
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
        || api
            .schemes
            .iter()
            .any(|s| matches!(s.place, Place::Header(h) if h.eq_ignore_ascii_case(name)))
}

/// Whether two bodies of `content_type` say the same: JSON as values (key order aside, and
/// without the top-level key `except`), forms as their sorted pairs, anything else byte
/// for byte.
fn same_body(want: &[u8], content_type: &str, except: Option<&str>, got: &[u8]) -> bool {
    if content_type.contains("json") {
        let parse = |b: &[u8]| {
            let mut value = serde_json::from_slice::<serde_json::Value>(b).ok()?;
            if let (Some(key), Some(map)) = (except, value.as_object_mut()) {
                map.remove(key);
            }
            Some(value)
        };
        if let (Some(a), Some(b)) = (parse(want), parse(got)) {
            return a == b;
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let pairs = |b: &[u8]| {
            let mut p: Vec<(String, String)> = form_urlencoded::parse(b).into_owned().collect();
            p.sort();
            p
        };
        return pairs(want) == pairs(got);
    }
    want == got
}

fn keys(pairs: &[(String, String)]) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    for (k, _) in pairs {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    keys
}

fn values<'p>(pairs: &'p [(String, String)], key: &str) -> Vec<&'p str> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn pairs_text(pairs: &[(String, String)]) -> String {
    let text: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    text.join("&")
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// A body quoted for a message: text (shortened), or its length.
fn quote(body: &[u8]) -> String {
    if body.is_empty() {
        return "empty".into();
    }
    match std::str::from_utf8(body) {
        Ok(text) if text.len() <= QUOTE_LEN => format!("`{text}`"),
        Ok(text) => {
            let end = (0..=QUOTE_LEN)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(0);
            format!("`{}…` ({} bytes)", &text[..end], body.len())
        }
        Err(_) => format!("{} bytes of binary data", body.len()),
    }
}

/// How much of `template` is literal text (outside `{…}`).
fn literal_len(template: &str) -> usize {
    let mut depth = 0usize;
    template
        .chars()
        .filter(|c| {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    return false;
                }
                _ => {}
            }
            depth == 0
        })
        .count()
}

/// The raw (still percent-encoded) values of `template`'s parameters in `path`, for each
/// way the path fits it (none: it does not). A parameter takes one or more characters of
/// one segment; at most 16 ways are listed.
fn match_template<'p>(template: &str, path: &'p str) -> Vec<Vec<&'p str>> {
    enum Piece<'t> {
        Text(&'t str),
        Param,
    }
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            pieces.push(Piece::Text(&rest[..open]));
        }
        pieces.push(Piece::Param);
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    fn go<'p>(
        pieces: &[Piece<'_>],
        path: &'p str,
        found: &mut Vec<&'p str>,
        all: &mut Vec<Vec<&'p str>>,
    ) {
        if all.len() >= 16 {
            return;
        }
        match pieces.split_first() {
            None if path.is_empty() => all.push(found.clone()),
            None => {}
            Some((Piece::Text(text), rest)) => {
                if let Some(after) = path.strip_prefix(text) {
                    go(rest, after, found, all);
                }
            }
            Some((Piece::Param, rest)) => {
                let segment_end = path.find('/').unwrap_or(path.len());
                for end in (1..=segment_end).filter(|e| path.is_char_boundary(*e)) {
                    found.push(&path[..end]);
                    go(rest, &path[end..], found, all);
                    found.pop();
                }
            }
        }
    }
    let mut all = Vec::new();
    go(&pieces, path, &mut Vec::new(), &mut all);
    all
}

/// An expectation being described: the generated per-operation types call these with the
/// values encoded exactly as the client would send them.
#[must_use = "an expectation is registered by one of the `respond` methods"]
pub struct When<'s> {
    server: &'s Server,
    matcher: Matcher,
}

impl<'s> When<'s> {
    /// Requires the path parameter `name`, the `position`-th of the path template, to be
    /// `value` (as encoded by `path_segment`).
    pub fn path(
        mut self,
        position: usize,
        name: &'static str,
        value: Result<String, SendError>,
    ) -> Self {
        match value {
            Ok(value) => self.matcher.path.push((position, name, value)),
            Err(e) => self.invalid(name, e),
        }
        self
    }

    /// Requires the query pairs the client sends for parameter `name`.
    pub fn query(
        mut self,
        name: &'static str,
        pairs: Result<Vec<(std::borrow::Cow<'static, str>, String)>, SendError>,
    ) -> Self {
        match pairs {
            Ok(pairs) => self.matcher.query.push((
                name,
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v))
                    .collect(),
            )),
            Err(e) => self.invalid(name, e),
        }
        self
    }

    /// Requires the headers (or `cookie` pairs) the client sends for parameter `name`.
    pub fn header(
        mut self,
        name: &'static str,
        headers: Result<Vec<(&'static str, String)>, SendError>,
    ) -> Self {
        match headers {
            Ok(headers) => self.matcher.headers.push((name, headers)),
            Err(e) => self.invalid(name, e),
        }
        self
    }

    /// Requires the body the client sends for a value (JSON compared as values, forms as
    /// pairs, anything else byte for byte).
    pub fn body(mut self, body: Result<Option<Body>, SendError>) -> Self {
        match body {
            Ok(Some(Body::Bytes(bytes, content_type))) => {
                self.matcher.body = Some((bytes, content_type))
            }
            Ok(_) => {}
            Err(e) => self.invalid("body", e),
        }
        self
    }

    /// Leaves the top-level JSON key `key` out of the body comparison (a stream method sets
    /// its `stream` flag itself, whatever the value holds).
    pub fn body_except(mut self, key: &'static str) -> Self {
        self.matcher.body_except = Some(key);
        self
    }

    fn invalid(&mut self, name: &str, error: SendError) {
        let error: super::Error<()> = error.into();
        self.matcher
            .invalid
            .push(format!("the expected `{name}` cannot be sent: {error}"));
    }

    /// Answers matching requests with `reply`.
    pub fn respond_with(self, reply: Reply) -> Expectation<'s> {
        self.server.register(self.matcher, vec![reply])
    }

    /// Answers matching requests with `replies` in order, then with the last one again;
    /// expected at least once per reply.
    ///
    /// # Panics
    ///
    /// If `replies` is empty.
    #[track_caller]
    pub fn respond_sequence(self, replies: impl IntoIterator<Item = Reply>) -> Expectation<'s> {
        let replies: Vec<Reply> = replies.into_iter().collect();
        assert!(
            !replies.is_empty(),
            "mock server: a sequence needs at least one reply"
        );
        let min = replies.len().max(1);
        let expectation = self.server.register(self.matcher, replies);
        expectation.server.update(expectation.id, |s| s.min = min);
        expectation
    }
}

/// A registered expectation, to say how often it must be met and how fast it answers.
#[derive(Debug)]
pub struct Expectation<'s> {
    server: &'s Server,
    id: usize,
}

impl Expectation<'_> {
    /// Must answer exactly `n` requests; after `n` it stops matching, so a later
    /// expectation for the same requests answers the next ones.
    pub fn times(self, n: usize) -> Self {
        self.server.update(self.id, |s| {
            s.min = n;
            s.max = Some(n);
        });
        self
    }

    /// Must answer at least `n` requests (the default is 1, or one per reply of a
    /// sequence).
    pub fn at_least(self, n: usize) -> Self {
        self.server.update(self.id, |s| s.min = n);
        self
    }

    /// May answer any number of requests, none included.
    pub fn optional(self) -> Self {
        self.server.update(self.id, |s| s.min = 0);
        self
    }

    /// Waits `delay` before each reply (on top of a reply's own delay).
    pub fn delay(self, delay: Duration) -> Self {
        self.server.update(self.id, |s| {
            for reply in &mut s.replies {
                reply.delay += delay;
            }
        });
        self
    }

    /// How many requests it has answered so far.
    pub fn hits(&self) -> usize {
        lock(&self.server.state.expectations)
            .iter()
            .find(|s| s.id == self.id)
            .map_or(0, |s| s.served)
    }
}

/// One answer: a status, headers, a body, and an optional delay before it is sent.
#[derive(Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
    delay: Duration,
}

impl Reply {
    /// An empty answer with `status`.
    ///
    /// # Panics
    ///
    /// If `status` is not between 100 and 999.
    #[track_caller]
    pub fn status(status: u16) -> Reply {
        assert!(
            (100..=999).contains(&status),
            "mock server: {status} is not an HTTP status"
        );
        Reply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
            delay: Duration::ZERO,
        }
    }

    /// `value` as JSON, with `Content-Type: application/json`.
    #[track_caller]
    pub fn json<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Reply {
        Reply::json_as(status, "application/json", value)
    }

    /// `value` as JSON, with the content type `media_type` (such as
    /// `application/problem+json`).
    #[track_caller]
    pub fn json_as<T: serde::Serialize + ?Sized>(
        status: u16,
        media_type: &str,
        value: &T,
    ) -> Reply {
        let body = serde_json::to_vec(value)
            .unwrap_or_else(|e| panic!("mock server: the reply does not serialise: {e}"));
        Reply::status(status)
            .header("content-type", media_type)
            .body(body)
    }

    /// `text` as `text/plain; charset=utf-8`.
    #[track_caller]
    pub fn text(status: u16, text: impl Into<String>) -> Reply {
        Reply::status(status)
            .header("content-type", "text/plain; charset=utf-8")
            .body(text.into())
    }

    /// `bytes` with the content type `media_type`.
    #[track_caller]
    pub fn bytes(status: u16, media_type: &str, bytes: impl Into<Bytes>) -> Reply {
        Reply::status(status)
            .header("content-type", media_type)
            .body(bytes)
    }

    /// A `200` `text/event-stream` of `events`, their data as given (one `data:` line
    /// per line of it).
    #[track_caller]
    pub fn events(events: impl IntoIterator<Item = Event<String>>) -> Reply {
        let mut text = String::new();
        for event in events {
            if let Some(name) = &event.event {
                text.push_str(&format!("event: {name}\n"));
            }
            if let Some(id) = &event.id {
                text.push_str(&format!("id: {id}\n"));
            }
            if let Some(retry) = event.retry {
                text.push_str(&format!("retry: {}\n", retry.as_millis()));
            }
            for line in event.data.split('\n') {
                text.push_str(&format!("data: {line}\n"));
            }
            text.push('\n');
        }
        Reply::bytes(200, "text/event-stream", text)
    }

    /// A `200` answer of `items` as JSON, one per line (`application/x-ndjson` and the
    /// like; `application/json-seq` puts RS before each), with the content type
    /// `media_type`.
    #[track_caller]
    pub fn lines<T: serde::Serialize>(
        media_type: &str,
        items: impl IntoIterator<Item = T>,
    ) -> Reply {
        let seq = media_type.contains("json-seq");
        let mut body = Vec::new();
        for item in items {
            if seq {
                body.push(0x1e);
            }
            body.extend(json_text(&item).into_bytes());
            body.push(b'\n');
        }
        Reply::bytes(200, media_type, body)
    }

    /// The same answer with a header added.
    ///
    /// # Panics
    ///
    /// If the name or value is not valid in HTTP.
    #[track_caller]
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        let name = HeaderName::from_bytes(name.as_bytes())
            .unwrap_or_else(|_| panic!("mock server: `{name}` is not a header name"));
        let value = HeaderValue::from_str(value)
            .unwrap_or_else(|_| panic!("mock server: {value:?} is not a header value"));
        self.headers.push((name, value));
        self
    }

    /// The same answer with `body` as its raw body (any bytes: HTML, truncated JSON).
    pub fn body(mut self, body: impl Into<Bytes>) -> Reply {
        self.body = body.into();
        self
    }

    /// The same answer, sent after `delay`.
    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    fn response(&self) -> hyper::Response<Full<Bytes>> {
        let mut response = hyper::Response::new(Full::new(self.body.clone()));
        // `status` checked the range.
        *response.status_mut() =
            hyper::StatusCode::from_u16(self.status).unwrap_or(hyper::StatusCode::OK);
        for (name, value) in &self.headers {
            response.headers_mut().append(name.clone(), value.clone());
        }
        response
    }
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &quote(&self.body))
            .field("delay", &self.delay)
            .finish()
    }
}

/// Runs `encode`: the generated setters encode a value with the client's own code, whose
/// `?` needs a function to return from.
pub fn encode<T>(encode: impl FnOnce() -> Result<T, SendError>) -> Result<T, SendError> {
    encode()
}

/// `value` as JSON text, for an event's or a line's data.
///
/// # Panics
///
/// If it does not serialise.
#[track_caller]
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|e| panic!("mock server: the reply does not serialise: {e}"))
}

/// A request as the mock server received it.
#[derive(Clone)]
#[non_exhaustive]
pub struct Recorded {
    /// The client method whose path template and method the request fits, if any.
    pub operation: Option<&'static str>,
    /// The HTTP method.
    pub method: String,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// The query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers. `Debug` hides the values of credentials.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    matched: Option<usize>,
    /// Query names of API-key schemes, hidden by `Debug`.
    secret_query: Vec<&'static str>,
}

impl Recorded {
    fn new(api: &Api, parts: hyper::http::request::Parts, body: Bytes) -> Recorded {
        let path = parts.uri.path().to_string();
        let query: Vec<(String, String)> = parts
            .uri
            .query()
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        let mut headers = parts.headers;
        // Credentials never show in `Debug` (so not in a failing test's output either).
        let mut secret: Vec<HeaderName> = vec![
            reqwest::header::AUTHORIZATION,
            reqwest::header::COOKIE,
            reqwest::header::PROXY_AUTHORIZATION,
        ];
        let mut secret_query = Vec::new();
        for scheme in api.schemes {
            match scheme.place {
                Place::Header(name) => {
                    if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
                        secret.push(name);
                    }
                }
                Place::Query(name) => secret_query.push(name),
                Place::Cookie(_) | Place::Authorization(_) => {}
            }
        }
        for name in secret {
            if let reqwest::header::Entry::Occupied(mut entry) = headers.entry(name) {
                for value in entry.iter_mut() {
                    value.set_sensitive(true);
                }
            }
        }
        let method = parts.method.as_str().to_string();
        // The operation whose template fits with the most literal text (`/a/latest`
        // before `/a/{id}`).
        let operation = api
            .operations
            .iter()
            .filter(|o| o.method.eq_ignore_ascii_case(&method))
            .filter(|o| !match_template(o.path, &path).is_empty())
            .max_by_key(|o| literal_len(o.path))
            .map(|o| o.name);
        Recorded {
            operation,
            method,
            path,
            query,
            headers,
            body,
            matched: None,
            secret_query,
        }
    }

    /// The value of the first query pair named `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The values of header `name` joined by `, `; empty if it is absent.
    pub fn header_values(&self, name: &str) -> String {
        let values: Vec<&str> = self
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or("<not text>"))
            .collect();
        values.join(", ")
    }

    /// The body decoded as JSON of type `T`.
    pub fn body_json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// `METHOD /path?query`, query values of API-key schemes hidden.
    fn line(&self) -> String {
        let mut line = format!("{} {}", self.method, self.path);
        if !self.query.is_empty() {
            let pairs: Vec<String> = self
                .query
                .iter()
                .map(|(k, v)| {
                    if self.secret_query.contains(&k.as_str()) {
                        format!("{k}=<hidden>")
                    } else {
                        format!("{k}={v}")
                    }
                })
                .collect();
            line.push('?');
            line.push_str(&pairs.join("&"));
        }
        line
    }
}

impl fmt::Debug for Recorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorded")
            .field("operation", &self.operation)
            .field("request", &self.line())
            .field("headers", &self.headers)
            .field("body", &quote(&self.body))
            .finish()
    }
}
