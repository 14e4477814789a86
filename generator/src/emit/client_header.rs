//! The items of `client.rs` before the methods, as text: module docs and imports,
//! `Client` and its builder, then the `static` API description and the `Operation` enum.
//!
//! Most of the header is the same for every API, so it is written as it reads, with the
//! few parts that depend on the API (the `types` import, `from_env`'s docs, the
//! credential's variable, the base URL's variable, one setter per security scheme)
//! written between. Built with tokens, these two items were the largest share of a small
//! crate's generation time (formatting them through syn and prettyplease).

use super::client::{accept, redirects};
use super::code::{Code, str_lit};
use crate::ir::Api;

/// Module docs, lints, the runtime import.
const TOP: &str = r##"//! One method per operation of the API on [`Client`], its builder, and the `Operation`
//! enum describing the operations.
#![allow(
    clippy::type_complexity,
    clippy::result_large_err,
    clippy::doc_lazy_continuation
)]
use crate::runtime;
"##;

/// `Client`, up to `from_env`.
const CLIENT: &str = r##"/// A client for the API. Cheap to clone: clones share one connection pool and one set
/// of rate limiters.
#[derive(Clone)]
pub struct Client {
    core: runtime::Core,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            inner: runtime::Builder::new(&API),
        }
    }

"##;

/// `from_env`, after its docs.
const FROM_ENV: &str = r##"    pub fn from_env() -> Result<Client, runtime::BuildError> {
        ClientBuilder {
            inner: runtime::Builder::from_env(&API)?,
        }
        .build()
    }

"##;

/// The docs of `ENV_BASE_URL`.
const ENV_BASE_URL_DOC: &str = r##"    /// Name of the environment variable [`Client::from_env`] reads an optional base
    /// URL from.
"##;

/// The rest of `Client`, the start of `ClientBuilder` up to its credential setters.
const CLIENT_REST: &str = r##"    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        self.core.base_url()
    }

    /// A clone that also retries POST and PATCH requests. Those are not idempotent, so
    /// by default a failure is never retried: the server may have acted on the first
    /// attempt. Use it for one call (`client.with_non_idempotent_retries().create_x(..)`)
    /// or keep it.
    pub fn with_non_idempotent_retries(&self) -> Client {
        Client {
            core: self.core.with_non_idempotent_retries(),
        }
    }

    /// A clone that retries at most `retries` times after the first attempt.
    pub fn with_max_retries(&self, retries: u32) -> Client {
        Client {
            core: self.core.with_max_retries(retries),
        }
    }

    /// A clone that waits at most `max` when a server asks for a longer `Retry-After`
    /// (default 60 s).
    pub fn with_max_retry_after(&self, max: ::std::time::Duration) -> Client {
        Client {
            core: self.core.with_max_retry_after(max),
        }
    }

    /// A clone whose calls may each take up to `timeout` per attempt, instead of the
    /// builder's: `client.with_timeout(Duration::from_secs(600)).slow_call(..)`.
    pub fn with_timeout(&self, timeout: ::std::time::Duration) -> Client {
        Client {
            core: self.core.with_timeout(timeout),
        }
    }

    /// A clone that adds a header to every request it sends, after the operation's
    /// own (`client.with_header(HeaderName::from_static("x-request-id"), value)`).
    /// `Debug` shows its name, never its value.
    pub fn with_header(
        &self,
        name: runtime::header::HeaderName,
        value: runtime::header::HeaderValue,
    ) -> Client {
        Client {
            core: self.core.with_header(name, value),
        }
    }

    /// A clone that sends `key` as the idempotency key of its POST and PATCH calls,
    /// in the operation's documented idempotency header (or `Idempotency-Key`).
    ///
    /// An operation that documents such a header always gets a key, the caller's or
    /// a random one, the same on every attempt, and is then retried like GET: the
    /// server recognises a retry by its key. Other non-idempotent calls are retried
    /// only with [`with_non_idempotent_retries`](Self::with_non_idempotent_retries).
    ///
    /// The key names one logical operation: every call through the clone sends
    /// it, so make a new clone per operation (`client.with_idempotency_key(id).op(..)`)
    /// and keep one only to repeat that same operation later.
    pub fn with_idempotency_key(&self, key: impl Into<String>) -> Client {
        Client {
            core: self.core.with_idempotency_key(key),
        }
    }
}

impl ::std::fmt::Debug for Client {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        ::std::fmt::Debug::fmt(&self.core, f)
    }
}

/// Configures a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    pub(crate) inner: runtime::Builder,
}

impl ClientBuilder {
    /// The URL requests go to, such as `http://127.0.0.1:8080`; a path prefix is kept.
    /// Defaults to the first server the API document lists.
    pub fn base_url(self, url: impl Into<String>) -> Self {
        ClientBuilder {
            inner: self.inner.base_url(url),
        }
    }

"##;

/// The rest of `ClientBuilder`, after its credential setters.
const BUILDER_REST: &str = r##"    /// The `User-Agent` header. Defaults to this crate's name and version.
    pub fn user_agent(self, user_agent: &str) -> Self {
        ClientBuilder {
            inner: self.inner.user_agent(user_agent),
        }
    }

    /// Limit on a whole request, from connecting to the last byte of the body, per
    /// attempt. Default 60 s.
    pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
        ClientBuilder {
            inner: self.inner.timeout(timeout),
        }
    }

    /// Limit on establishing a connection. Default 10 s. Ignored with
    /// [`with_reqwest_client`](Self::with_reqwest_client), whose own setting applies.
    pub fn connect_timeout(self, timeout: ::std::time::Duration) -> Self {
        ClientBuilder {
            inner: self.inner.connect_timeout(timeout),
        }
    }

    /// How many times a failed request is retried (429, 502, 503, 504 and connection
    /// failures, for idempotent methods). Default 2; 0 disables retries.
    pub fn max_retries(self, retries: u32) -> Self {
        ClientBuilder {
            inner: self.inner.max_retries(retries),
        }
    }

    /// Whether to spread calls out to stay within each operation's documented rate
    /// limit. Default `true`.
    pub fn respect_rate_limits(self, respect: bool) -> Self {
        ClientBuilder {
            inner: self.inner.respect_rate_limits(respect),
        }
    }

    /// The largest response body the client reads whole. A larger one (by its
    /// `Content-Length`, or as it arrives) fails the call with
    /// [`Error::BodyTooLarge`](crate::Error::BodyTooLarge), so a misbehaving server
    /// cannot exhaust the app's memory. Default 64 MiB.
    pub fn max_response_bytes(self, bytes: usize) -> Self {
        ClientBuilder {
            inner: self.inner.max_response_bytes(bytes),
        }
    }

    /// Sends requests through the caller's own `reqwest::Client` (its pool, TLS, proxy
    /// and connect-timeout settings). The builder's user agent and timeout still apply
    /// per request. Build it with `.redirect(reqwest::redirect::Policy::none())`:
    /// the client follows redirects itself (keeping credentials on the API's
    /// origin), and a redirect reqwest follows never reaches a method that
    /// documents it.
    pub fn with_reqwest_client(self, client: ::reqwest::Client) -> Self {
        ClientBuilder {
            inner: self.inner.with_reqwest_client(client),
        }
    }

    /// Adds a hook that sees every request just before it is sent, and may change
    /// it (add a header, sign it) or refuse it (the call then fails with
    /// [`Error::Hook`](crate::Error::Hook)). An async closure
    /// `|request: reqwest::Request, attempt: Attempt| async move { Ok(request) }`
    /// will do.
    ///
    /// Hooks run on every attempt, retries included, after the rate-limit wait, on a
    /// request that carries its credentials, in the order they were registered; a retry
    /// prepares the request afresh and runs them again, so a signature is always
    /// fresh. [`Attempt`](crate::Attempt) says which operation and which attempt.
    pub fn on_request<F, Fut>(self, hook: F) -> Self
    where
        F: Fn(::reqwest::Request, runtime::Attempt) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<::reqwest::Request, runtime::HookError>> + Send
            + 'static,
    {
        ClientBuilder {
            inner: self.inner.on_request(hook),
        }
    }

    /// Adds a hook that sees the status and headers of every response, retried
    /// ones included, for logging or metrics; hooks run in registration order
    /// before the response is read.
    pub fn on_response<F, Fut>(self, hook: F) -> Self
    where
        F: Fn(runtime::ResponseHead, runtime::Attempt) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        ClientBuilder {
            inner: self.inner.on_response(hook),
        }
    }

    /// Builds the client, checking the base URL, the token and the user agent.
    pub fn build(self) -> Result<Client, runtime::BuildError> {
        self.inner.build().map(|core| Client { core })
    }
}

impl ::std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        ::std::fmt::Debug::fmt(&self.inner, f)
    }
}
"##;

/// The module docs and imports, and the public `Client` and `ClientBuilder`: thin wrappers
/// of the runtime's `Core` and `Builder` (a type defined here can carry the operations'
/// methods whether the runtime is a module of this crate or a crate of its own).
pub(super) fn header(api: &Api) -> String {
    let mut c = Code::default();
    c.raw(TOP);
    // Error enums live in `types`, so a client without operations names nothing there.
    if !api.operations.is_empty() {
        if !api.grouping.groups.is_empty() {
            c.line("#[allow(unused_imports)]");
        }
        c.line("use crate::types;");
    }
    c.raw(CLIENT);
    c.nested(|c| c.trusted_doc(&super::security::from_env_doc(api)));
    c.raw(FROM_ENV);
    // An API with one scheme names its variable; with several, the setters' docs do.
    if let [one] = api.security_schemes.as_slice() {
        c.nested(|c| {
            c.line(
                "/// Name of the environment variable [`Client::from_env`] reads the credential",
            );
            c.line("/// from.");
            c.line(format_args!(
                "pub const ENV_API_KEY: &'static str = {};",
                str_lit(&one.env_var)
            ));
        });
    }
    c.raw(ENV_BASE_URL_DOC);
    c.nested(|c| {
        c.line(format_args!(
            "pub const ENV_BASE_URL: &'static str = {};",
            str_lit(&api.env_base_url)
        ))
    });
    c.raw(CLIENT_REST);
    c.nested(|c| {
        for (index, scheme) in api.security_schemes.iter().enumerate() {
            super::security::setter(index, scheme, c);
        }
    });
    c.raw(BUILDER_REST);
    c.finish()
}

/// `Operation`: one variant per operation, and the `static` describing the API to the
/// runtime (default server, security schemes, and per operation its method, path,
/// documented rate limit, credentials, accepted media types and followed redirects),
/// which the enum's accessors read.
///
/// With groups, an operation no enabled feature compiles has no variant, no entry in
/// `API.operations` and none in `ALL`: a build pays for the operations it has. The three
/// carry the same `#[cfg]`s in the same order, so a variant's discriminant is its entry's
/// index in every build.
pub(super) fn operations(api: &Api) -> String {
    let cfgs: Vec<Option<String>> = (0..api.operations.len())
        .map(|i| super::operation_cfg(api, i))
        .collect();
    let cfg = |c: &mut Code, i: usize| {
        if let Some(cfg) = &cfgs[i] {
            c.line(cfg);
        }
    };
    let option = |value: Option<String>| value.map_or("None".to_string(), |v| format!("Some({v})"));
    let mut c = Code::default();
    c.line("/// The API as the runtime needs it; `Operation` indexes `operations`.");
    c.block_then(
        "pub(crate) static API: runtime::Api = runtime::Api",
        ";",
        |c| {
            c.line(
                r#"user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),"#,
            );
            c.line(format_args!(
                "default_base_url: {},",
                option(api.default_base_url.as_deref().map(str_lit))
            ));
            super::security::schemes(api, c);
            c.line(format_args!(
                "env_base_url: {},",
                str_lit(&api.env_base_url)
            ));
            let none = api.operations.is_empty();
            c.list("operations: &[", "],", none, |c| {
                for (i, op) in api.operations.iter().enumerate() {
                    cfg(c, i);
                    c.block_then("runtime::OperationInfo", ",", |c| {
                        c.line(format_args!("name: {},", str_lit(&op.name)));
                        c.line(format_args!("method: {},", str_lit(op.method.as_str())));
                        c.line(format_args!("path: {},", str_lit(&op.path)));
                        match &op.rate_limit {
                            Some(r) => {
                                c.block_then("rate_limit: Some(runtime::RateLimit", "),", |c| {
                                    c.line(format_args!("requests: {},", r.requests));
                                    c.line(format_args!(
                                        "period: ::std::time::Duration::from_secs({}),",
                                        r.period_seconds
                                    ));
                                    c.line(format_args!("description: {},", str_lit(&r.text)));
                                })
                            }
                            None => c.line("rate_limit: None,"),
                        }
                        c.line(format_args!(
                            "idempotency_header: {},",
                            option(op.idempotency_header.as_deref().map(str_lit))
                        ));
                        c.line(format_args!(
                            "security: {},",
                            super::security::requirements(op)
                        ));
                        c.line(format_args!(
                            "accept: {},",
                            option(accept(op).as_deref().map(str_lit))
                        ));
                        let redirects: Vec<String> =
                            redirects(op).iter().map(u16::to_string).collect();
                        c.line(format_args!("redirects: &[{}],", redirects.join(", ")));
                    });
                }
            });
        },
    );
    c.line("/// Every operation of the API, for inspecting what the client will do.");
    c.line("///");
    c.line("/// Not exhaustive: a new revision of the API adds operations, and the group");
    c.line("/// features a build turns on decide which variants exist, so a `match` needs a");
    c.line("/// `_` arm.");
    c.line("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]");
    c.line("#[non_exhaustive]");
    c.block("pub enum Operation", |c| {
        for (i, op) in api.operations.iter().enumerate() {
            cfg(c, i);
            c.trusted_doc(&format!(
                "[`Client::{0}`](crate::Client::{0}): `{1} {2}`",
                op.name,
                op.method.as_str(),
                op.path
            ));
            c.line(format_args!("{},", op.variant));
        }
    });
    c.blank();
    c.raw(OPERATION_IMPL_HEAD);
    c.nested(|c| {
        let none = api.operations.is_empty();
        c.list(
            "pub const ALL: &'static [Operation] = &[",
            "];",
            none,
            |c| {
                for (i, op) in api.operations.iter().enumerate() {
                    cfg(c, i);
                    c.line(format_args!("Operation::{},", op.variant));
                }
            },
        );
    });
    c.raw(OPERATION_IMPL_REST);
    c.finish()
}

/// `impl Operation`, up to `ALL`.
const OPERATION_IMPL_HEAD: &str = r##"impl Operation {
    /// Every operation this build compiles, in the order the API document lists
    /// them.
"##;

/// The rest of `impl Operation`, after `ALL`.
const OPERATION_IMPL_REST: &str = r##"
    fn info(self) -> &'static runtime::OperationInfo {
        &API.operations[self as usize]
    }

    /// The client method's name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The HTTP method.
    pub fn method(self) -> &'static str {
        self.info().method
    }

    /// The path template, as the API document writes it.
    pub fn path(self) -> &'static str {
        self.info().path
    }

    /// The rate limit the API documents for this operation, which the client keeps
    /// to unless built with `respect_rate_limits(false)`.
    pub fn rate_limit(self) -> Option<runtime::RateLimit> {
        self.info().rate_limit
    }
}
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// Lowering keeps operations off `ir::CLIENT_METHODS`; that list must be exactly the
    /// methods `Client` gets from the header (its own and its trait impls').
    #[test]
    fn client_methods_lists_what_the_header_defines() {
        let api = Api {
            title: "T".into(),
            version: "1".into(),
            description: None,
            default_base_url: None,
            security_schemes: Vec::new(),
            env_base_url: "T_BASE_URL".into(),
            types: Vec::new(),
            operations: Vec::new(),
            tags: Vec::new(),
            grouping: Default::default(),
            type_attributes: Default::default(),
        };
        let file = syn::parse_file(&header(&api)).expect("the header parses");
        let methods = |of: &str| -> Vec<String> {
            file.items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Impl(i) => {
                        let ty = &i.self_ty;
                        (quote!(#ty).to_string() == of).then_some(i)
                    }
                    _ => None,
                })
                .flat_map(|i| &i.items)
                .filter_map(|item| match item {
                    syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                    _ => None,
                })
                .collect()
        };
        let mut defined = methods("Client");
        // `clone` comes from the derive; `new` is kept free as Rust's constructor name.
        defined.extend(["clone".to_string(), "new".to_string()]);
        defined.sort();
        defined.dedup();
        assert_eq!(defined, crate::ir::CLIENT_METHODS);
        // Without security schemes the builder has only its own methods, which
        // `ir::BUILDER_METHODS` keeps the schemes' setters off.
        let mut defined = methods("ClientBuilder");
        defined.extend(["clone".to_string()]);
        defined.sort();
        defined.dedup();
        assert_eq!(defined, crate::ir::BUILDER_METHODS);
    }
}
