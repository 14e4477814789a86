//! `mock.rs`: the typed mock server of the `mock` feature. `MockServer` has one method per
//! operation returning an expectation builder named `{Variant}Mock`, whose setters take
//! the operation's parameters and body as the client method does and encode them with the
//! same encodings (`client::param_form` decides for both), so an expectation matches
//! exactly what the client sends; its replies are the operation's own success type and
//! error enum. The engine (matching, recording, verification) is the runtime's `mock`
//! module.
//!
//! Everything but the header is written as text (`code::Code`), not tokens: the module
//! has an item per operation and going through syn and prettyplease for them made
//! generation 1.3–1.75× slower.

use super::client::{ParamForm, PathForm, is_by_value, param_form, path_form, style_name};
use super::code::Code;
use super::{Item, Scope, type_text};
use crate::ir::{
    Api, BodyEncoding, ItemDecode, Operation, Param, ParamLocation, StatusMatch, StreamKind, Style,
    TypeRef,
};

/// Names the builder's own methods take; a parameter named like one gets `_param` added.
const RESERVED: &[&str] = &[
    "body",
    "respond",
    "respond_error",
    "respond_with",
    "respond_sequence",
    "ok",
    "error",
    "events",
    "lines",
];

/// The module docs and imports, and `MockServer` with its own methods, as text: fixed,
/// but for the example (the first operation's method) and the imports an API without
/// operations leaves out.
pub(super) fn header(api: &Api) -> String {
    let example = api.operations.first().map_or(String::new(), |op| {
        format!(
            "\n\n```ignore\nlet server = MockServer::start().await;\nserver.{}()\n    // parameters to match, each optional: `.name(value)`\n    .respond(/* the operation's success value */);\nlet client = server.client();\n// ... run the code under test with `client` ...\nserver.verify(); // or let `server` drop\n```",
            op.name
        )
    });
    let text = format!(
        "A mock server for the tests of an app that uses this crate (the `mock` feature): \
         it runs on loopback, answers each operation with the operation's own types, \
         records every request, and checks on drop that every expectation was met.\
         \n\nAn expectation starts with the operation's method on [`MockServer`], which \
         returns a builder: its setters, named after the operation's parameters (and \
         `body`), each require one value, encoded as the client encodes it; parameters \
         left unset match anything. It is registered by `respond` (the documented success \
         type), `respond_error` (the operation's error enum, sent with its status), \
         `respond_with` (any [`Reply`]: a status, headers, a raw body, a delay) or \
         `respond_sequence`. The [`Expectation`] it returns says how often it must be met \
         (`times`, `at_least`, `optional`) and can delay the reply.\
         \n\nA request is answered by the most specific matching expectation, the earliest \
         registered among equals; one that has answered its `times` stops matching, so the \
         next takes over (a 429 `times(1)`, then a 200). A request nothing matches gets a \
         404 whose body names the closest expectation and what differed.{example}"
    );
    let mut c = Code::default();
    for line in text.lines() {
        if line.is_empty() {
            c.line("//!");
        } else {
            c.line(format_args!("//! {line}"));
        }
    }
    c.raw(MOCK_ALLOW);
    // An API without operations names neither.
    if !api.operations.is_empty() {
        let partial = !api.grouping.groups.is_empty();
        for import in ["use crate::client::Operation;", "use crate::types;"] {
            if partial {
                c.line("#[allow(unused_imports)]");
            }
            c.line(import);
        }
    }
    c.raw(MOCK_SERVER);
    c.finish()
}

/// The mock module's lints.
const MOCK_ALLOW: &str = r##"#![allow(
    deprecated,
    clippy::vec_init_then_push,
    clippy::too_many_arguments,
    clippy::doc_lazy_continuation
)]
"##;

/// The runtime import, the re-exports, and `MockServer` with its own methods.
const MOCK_SERVER: &str = r##"use crate::runtime;
pub use runtime::mock::{Expectation, Recorded, Reply};
/// A running mock server. Dropping it stops it and, unless the test is already failing, panics if an expectation was not met or a request matched nothing, listing for each unmet expectation the requests that came closest and why they did not match.
pub struct MockServer {
    inner: runtime::mock::Server,
}

impl MockServer {
    /// Starts a server on a free loopback port, on the current tokio runtime.
    pub async fn start() -> MockServer {
        MockServer {
            inner: runtime::mock::Server::start(&crate::client::API).await,
        }
    }

    /// The server's base URL, such as `http://127.0.0.1:41234`.
    pub fn uri(&self) -> String {
        self.inner.uri()
    }

    /// A client of the server, with a made-up credential for every security scheme
    /// (so every operation sends its credentials as in production).
    pub fn client(&self) -> crate::Client {
        match self.client_builder().build() {
            Ok(client) => client,
            Err(e) => panic!("mock server: could not build a client: {e}"),
        }
    }

    /// A builder for such a client, to change its settings first (retries,
    /// timeouts, hooks).
    pub fn client_builder(&self) -> crate::ClientBuilder {
        crate::ClientBuilder {
            inner: self.inner.builder(),
        }
    }

    /// Every request the server received, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.requests()
    }

    /// Panics with a readable report if an expectation is not met or a request
    /// matched nothing.
    #[track_caller]
    pub fn verify(&self) {
        self.inner.verify()
    }

    /// The report [`verify`](Self::verify) would panic with, if any.
    pub fn check(&self) -> Result<(), String> {
        self.inner.check()
    }

    /// Forgets every expectation and recorded request (after asserting on
    /// [`check`](Self::check)'s report, so the drop does not fail again).
    pub fn reset(&self) {
        self.inner.reset()
    }
}

impl ::std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        ::std::fmt::Debug::fmt(&self.inner, f)
    }
}
"##;

/// The expectation builder's name: the `Operation` variant's, less the `_` an escaped
/// keyword gets (`Self_` → `SelfMock`; `Self_Mock` is not camel case).
fn builder_name(op: &Operation) -> String {
    format!("{}Mock", op.variant.trim_end_matches('_'))
}

/// Rust's raw-identifier spelling for a name that is a keyword (as `emit::ident` does).
fn name_text(name: &str) -> String {
    super::ident(name).to_string()
}

/// `MockServer`'s own methods, which operations' methods must not shadow.
const SERVER_METHODS: &[&str] = &[
    "check",
    "client",
    "client_builder",
    "fmt",
    "requests",
    "reset",
    "start",
    "uri",
    "verify",
];

/// The name of an operation's method on `MockServer`: the client method's, or with
/// `_operation` added (and `_` until it is free) when `MockServer` has a method of that name.
fn server_method_name(api: &Api, op: &Operation) -> String {
    if !SERVER_METHODS.contains(&op.name.as_str()) {
        return name_text(&op.name);
    }
    let mut name = format!("{}_operation", op.name);
    while api.operations.iter().any(|o| o.name == name) {
        name.push('_');
    }
    name
}

/// `MockServer`'s method for one operation, in an `impl MockServer` block of its own (merged
/// with the others after formatting).
pub(super) fn server_method(api: &Api, op: &Operation) -> Item {
    let mut c = Code::default();
    let builder = builder_name(op);
    let name = server_method_name(api, op);
    c.block("impl MockServer", |c| {
        c.trusted_doc(&format!(
            "An expectation for [`Client::{0}`](crate::Client::{0}): `{1} {2}`.",
            op.name,
            op.method.as_str(),
            op.path
        ));
        c.block(format_args!("pub fn {name}(&self) -> {builder}<'_>"), |c| {
            c.line(format_args!(
                "{builder}(self.inner.when(Operation::{} as usize))",
                op.variant
            ))
        });
    });
    Item::Text(c.finish())
}

/// The expectation builder of one operation.
pub(super) fn builder(api: &Api, op: &Operation) -> Item {
    let mut c = Code::default();
    let builder = builder_name(op);
    let error_type = &op.error_type;
    c.trusted_doc(&format!(
        "Expectation for [`Client::{0}`](crate::Client::{0}) (`{1} {2}`), from \
         [`MockServer::{3}`]: each setter requires one parameter's value; unset ones match \
         anything.",
        op.name,
        op.method.as_str(),
        op.path,
        server_method_name(api, op)
    ));
    c.line("#[must_use = \"an expectation is registered by one of the `respond` methods\"]");
    c.line(format_args!(
        "pub struct {builder}<'s>(runtime::mock::When<'s>);"
    ));
    c.blank();
    let (ok_arg, ok_reply) = ok(op);
    let (ok_param, ok_value) = match &ok_arg {
        Some(ty) => (format!("value: {ty}"), "value"),
        None => (String::new(), ""),
    };
    let self_ok_param = if ok_param.is_empty() {
        "self".to_string()
    } else {
        format!("self, {ok_param}")
    };
    c.block(format_args!("impl<'s> {builder}<'s>"), |c| {
        let mut position = 0;
        for p in &op.params {
            setter(c, p, position);
            c.blank();
            if p.location == ParamLocation::Path {
                position += 1;
            }
        }
        if body_setter(c, op) {
            c.blank();
        }
        c.trusted_doc(&format!(
            "Answers with the documented success response (status {}).",
            success_status(op)
        ));
        c.block(
            format_args!("pub fn respond({self_ok_param}) -> Expectation<'s>"),
            |c| c.line(format_args!("self.0.respond_with(Self::ok({ok_value}))")),
        );
        c.blank();
        c.trusted_doc("Answers with a documented error, with its status.");
        c.block(
            format_args!(
                "pub fn respond_error(self, error: types::{error_type}) -> Expectation<'s>"
            ),
            |c| c.line("self.0.respond_with(Self::error(error))"),
        );
        c.blank();
        c.trusted_doc("Answers with any reply: a status, headers, a raw body, a delay.");
        c.block(
            "pub fn respond_with(self, reply: Reply) -> Expectation<'s>",
            |c| c.line("self.0.respond_with(reply)"),
        );
        c.blank();
        c.trusted_doc(
            "Answers with `replies` in order, then the last one again; expected at least \
             once per reply.",
        );
        c.block(
            "pub fn respond_sequence(self, replies: impl IntoIterator<Item = Reply>) -> Expectation<'s>",
            |c| c.line("self.0.respond_sequence(replies)"),
        );
        c.blank();
        c.trusted_doc("The documented success response, as a [`Reply`] for sequences.");
        c.block(format_args!("pub fn ok({ok_param}) -> Reply"), |c| {
            c.line(&ok_reply)
        });
        c.blank();
        c.trusted_doc("A documented error response with its status, as a [`Reply`].");
        c.block(
            format_args!("pub fn error(error: types::{error_type}) -> Reply"),
            |c| {
                c.block("match error", |c| {
                    for (pattern, reply) in error_arms(op) {
                        c.line(format_args!("{pattern} => {reply},"));
                    }
                })
            },
        );
        stream_reply(c, op);
    });
    Item::Text(c.finish())
}

/// The text of a scalar parameter's value, as the client writes it (`client::text_of`).
fn text_of(ty: &TypeRef, value: &str) -> String {
    if matches!(ty, TypeRef::Format(_)) {
        format!("runtime::format_text({value})")
    } else {
        format!("{value}.to_string()")
    }
}

/// The type a setter takes for a parameter of type `ty`: the client method's.
fn arg_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "&str".into(),
        TypeRef::Bytes => "&[u8]".into(),
        scalar if is_by_value(scalar) => type_text(ty, Scope::Client),
        TypeRef::Vec(inner) => format!("&[{}]", type_text(inner, Scope::Client)),
        other => format!("&{}", type_text(other, Scope::Client)),
    }
}

/// The body argument as the runtime's serde helpers take it, as the client passes it
/// (`client::body_ref`): scalars are borrowed.
fn body_text(ty: &TypeRef) -> &'static str {
    if is_by_value(ty) { "&body" } else { "body" }
}

fn style_text(style: Style) -> String {
    format!("runtime::Style::{}", style_name(style))
}

/// A setter requiring parameter `p` (the `position`-th path parameter, for a path one),
/// its value encoded as the client method encodes it.
fn setter(c: &mut Code, p: &Param, position: usize) {
    let name = if RESERVED.contains(&p.name.as_str()) {
        format!("{}_param", p.name)
    } else {
        name_text(&p.name)
    };
    let wire = string_literal(&p.wire_name);
    let location = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    c.trusted_doc(&format!(
        "Requires the {location} parameter `{}` to be `value`, encoded as the client encodes it.",
        p.wire_name
    ));
    // Scalars arrive by value, the rest by reference (as in the client).
    let serde_arg = if is_by_value(&p.ty) {
        "&value"
    } else {
        "value"
    };
    let explode = p.explode;
    c.block(
        format_args!("pub fn {name}(self, value: {}) -> Self", arg_text(&p.ty)),
        |c| {
            if p.location == ParamLocation::Path {
                let form = path_form(p);
                let value = match form {
                    PathForm::Json => format!("&runtime::json_param({wire}, {serde_arg})?"),
                    PathForm::Styled => {
                        format!("&runtime::simple_value({wire}, {serde_arg}, {explode})?")
                    }
                    PathForm::Str => "value".into(),
                    PathForm::Display => format!("&{}", text_of(&p.ty, "value")),
                };
                let segment = format!("runtime::path_segment({wire}, {value})");
                let segment = if form.fallible() {
                    format!("runtime::mock::encode(|| {segment})")
                } else {
                    segment
                };
                c.line(format_args!(
                    "Self(self.0.path({position}, {wire}, {segment}))"
                ));
                return;
            }
            let pair = |text: &str| match p.location {
                ParamLocation::Cookie => {
                    format!("(\"cookie\", runtime::cookie_pair({wire}, &{text}))")
                }
                ParamLocation::Query => format!("({wire}.into(), {text})"),
                _ => format!("({wire}, {text})"),
            };
            let method = if p.location == ParamLocation::Query {
                "query"
            } else {
                "header"
            };
            let encoded = match param_form(p) {
                // A string cookie is borrowed as it is, as the client does.
                ParamForm::Scalar
                    if p.location == ParamLocation::Cookie && p.ty == TypeRef::String =>
                {
                    format!("Ok(vec![(\"cookie\", runtime::cookie_pair({wire}, value))])")
                }
                ParamForm::Scalar => format!("Ok(vec![{}])", pair(&text_of(&p.ty, "value"))),
                ParamForm::Join => format!(
                    "Ok(vec![{}])",
                    pair(&format!(
                        "value.iter().map({}).collect::<Vec<_>>().join(\",\")",
                        if matches!(p.ty.strip_vec(), TypeRef::Format(_)) {
                            "runtime::format_text"
                        } else {
                            "|v| v.to_string()"
                        }
                    ))
                ),
                ParamForm::Repeat => format!(
                    "Ok(value.iter().map(|v| {}).collect())",
                    pair(&text_of(p.ty.strip_vec(), "v"))
                ),
                ParamForm::SimpleStyled => format!(
                    "runtime::mock::encode(|| Ok(vec![{}]))",
                    pair(&format!(
                        "runtime::simple_value({wire}, {serde_arg}, {explode})?"
                    ))
                ),
                ParamForm::Json => format!(
                    "runtime::mock::encode(|| Ok(vec![{}]))",
                    pair(&format!("runtime::json_param({wire}, {serde_arg})?"))
                ),
                ParamForm::QueryStyled(style) => format!(
                    "runtime::mock::encode(|| {{ let mut query = Vec::new(); \
                     runtime::query_param(&mut query, {wire}, {serde_arg}, {}, {explode})?; \
                     Ok(query) }})",
                    style_text(style)
                ),
            };
            c.line(format_args!("Self(self.0.{method}({wire}, {encoded}))"));
        },
    );
}

/// A Rust string literal.
fn string_literal(text: &str) -> String {
    format!("{text:?}")
}

/// `body`, for bodies compared by value (JSON, forms, text); multipart and binary bodies
/// are checked through `MockServer::requests` instead. Whether there is one.
fn body_setter(c: &mut Code, op: &Operation) -> bool {
    let Some(b) = op.body.as_ref() else {
        return false;
    };
    let media = string_literal(&b.body.media_type);
    let (ty, encode) = match b.body.encoding {
        BodyEncoding::Json => (
            arg_text(&b.body.ty),
            format!("runtime::json_body({})", body_text(&b.body.ty)),
        ),
        BodyEncoding::Form => {
            let fields: Vec<String> = b
                .form_fields
                .iter()
                .map(|f| {
                    format!(
                        "runtime::Field {{ name: {}, style: {}, explode: {} }}",
                        string_literal(&f.name),
                        style_text(f.style),
                        f.explode
                    )
                })
                .collect();
            (
                arg_text(&b.body.ty),
                format!(
                    "runtime::form_body({}, &[{}])",
                    body_text(&b.body.ty),
                    fields.join(", ")
                ),
            )
        }
        BodyEncoding::Text => (
            "&str".to_string(),
            format!("Ok(Some(runtime::Body::Bytes(body.as_bytes().to_vec().into(), {media})))"),
        ),
        BodyEncoding::Multipart | BodyEncoding::MultipartParts | BodyEncoding::Bytes => {
            return false;
        }
    };
    // The stream method sets the body's `stream` flag itself: the flag is left out of the
    // comparison, so one expectation serves both methods.
    let (except, flag_doc) = match op.item_stream.as_ref().and_then(|s| s.stream_flag.as_ref()) {
        Some(flag) => (
            format!(".body_except({})", string_literal(flag)),
            format!(" Its `{flag}` flag is not compared (the stream method sets it itself)."),
        ),
        None => (String::new(), String::new()),
    };
    c.trusted_doc(&format!(
        "Requires the request body to be `body`, as the client sends it (JSON compared as \
         values, forms as pairs).{flag_doc}"
    ));
    c.block(format_args!("pub fn body(self, body: {ty}) -> Self"), |c| {
        c.line(format_args!("Self(self.0.body({encode}){except})"))
    });
    true
}

/// The status `respond` answers with: the first documented success code, else 200.
fn success_status(op: &Operation) -> u16 {
    op.success
        .statuses
        .iter()
        .find_map(|s| match s {
            StatusMatch::Code(c) => Some(*c),
            _ => None,
        })
        .unwrap_or(200)
}

/// The type `ok` takes (none for a success without a body), and the reply it builds.
fn ok(op: &Operation) -> (Option<String>, String) {
    let status = success_status(op);
    match &op.success.body {
        None => (None, format!("Reply::status({status})")),
        Some(b) => {
            let media = string_literal(&b.media_type);
            match b.encoding {
                BodyEncoding::Json
                | BodyEncoding::Form
                | BodyEncoding::Multipart
                | BodyEncoding::MultipartParts => (
                    Some(type_text(&b.ty, Scope::Client)),
                    format!("Reply::json_as({status}, \"application/json\", &value)"),
                ),
                BodyEncoding::Text => (
                    Some("String".into()),
                    format!("Reply::bytes({status}, {media}, value)"),
                ),
                BodyEncoding::Bytes => (
                    Some("Vec<u8>".into()),
                    format!("Reply::bytes({status}, {media}, value)"),
                ),
            }
        }
    }
}

/// The status an error variant is sent with: its code; for a range, its first code no
/// other variant documents; for `default`, the first of 500, 400, 599, 499 that neither
/// the errors nor the successes document.
fn error_status(op: &Operation, status: StatusMatch) -> u16 {
    let taken = |code: u16| {
        op.errors
            .iter()
            .map(|v| v.status)
            .chain(op.success.statuses.iter().copied())
            .any(|s| match s {
                StatusMatch::Code(c) => c == code,
                StatusMatch::Range(d) => code / 100 == d,
                StatusMatch::Default => false,
            })
    };
    match status {
        StatusMatch::Code(c) => c,
        StatusMatch::Range(d) => (d * 100..d * 100 + 100)
            .find(|c| !op.errors.iter().any(|v| v.status == StatusMatch::Code(*c)))
            .unwrap_or(d * 100),
        StatusMatch::Default => [500, 400, 599, 499]
            .into_iter()
            .find(|c| !taken(*c))
            .unwrap_or(599),
    }
}

/// The `error` function's match arms: pattern and reply.
fn error_arms(op: &Operation) -> Vec<(String, String)> {
    let error_type = &op.error_type;
    op.errors
        .iter()
        .map(|v| {
            let status = error_status(op, v.status);
            match &v.body {
                None => (
                    format!("types::{error_type}::{}", v.name),
                    format!("Reply::status({status})"),
                ),
                Some(b) => {
                    let reply = match b.encoding {
                        BodyEncoding::Json
                        | BodyEncoding::Form
                        | BodyEncoding::Multipart
                        | BodyEncoding::MultipartParts => {
                            format!("Reply::json_as({status}, \"application/json\", &body)")
                        }
                        BodyEncoding::Text | BodyEncoding::Bytes => format!(
                            "Reply::bytes({status}, {}, body)",
                            string_literal(&b.media_type)
                        ),
                    };
                    (format!("types::{error_type}::{}(body)", v.name), reply)
                }
            }
        })
        .collect()
}

/// `events` or `lines` for an operation whose response streams.
fn stream_reply(c: &mut Code, op: &Operation) {
    let Some(s) = op.item_stream.as_ref() else {
        return;
    };
    let item = type_text(&s.item, Scope::Client);
    match s.kind {
        StreamKind::Events => {
            let data = match s.decode {
                ItemDecode::Text => "data",
                ItemDecode::Json | ItemDecode::Any => "runtime::mock::json_text(&data)",
            };
            c.blank();
            c.trusted_doc(
                "A `text/event-stream` reply of `events`, their data encoded as the API \
                 documents it (build them with `Event::new(data)`).",
            );
            c.block(
                format_args!(
                    "pub fn events(events: impl IntoIterator<Item = runtime::Event<{item}>>) -> Reply"
                ),
                |c| {
                    c.line(format_args!(
                        "Reply::events(events.into_iter().map(|event| event.map(|data| {data})))"
                    ))
                },
            );
        }
        StreamKind::Lines => {
            c.blank();
            c.trusted_doc("A reply streaming `items`, one JSON value per line.");
            c.block(
                format_args!("pub fn lines(items: impl IntoIterator<Item = {item}>) -> Reply"),
                |c| {
                    c.line(format_args!(
                        "Reply::lines({}, items)",
                        string_literal(&s.media_type)
                    ))
                },
            );
        }
        StreamKind::Bytes => {}
    }
}

/// A unit test of the mock server, generated for every crate (it runs with `cargo test
/// --features mock`): every operation has a typed expectation builder (`respond` takes the
/// documented success type and `error` the operation's error enum, or this does not
/// compile), and its expectation answers a request with the operation's method and path.
pub(super) fn self_test(api: &Api) -> Option<Item> {
    if api.operations.is_empty() {
        return None;
    }
    let mut c = Code::default();
    let grouped = !api.grouping.groups.is_empty();
    c.line("#[cfg(test)]");
    // With groups, a build may compile none of the operations the test checks.
    if grouped {
        c.line("#[allow(dead_code, unused_variables, unused_mut)]");
    }
    c.block("mod tests", |c| {
        c.line("use super::*;");
        c.blank();
        c.trusted_doc("Sends one request straight through reqwest; its status.");
        c.block(
            "async fn send(server: &MockServer, method: &str, path: &str) -> u16",
            |c| {
                c.block_then(
                    "let method = match ::reqwest::Method::from_bytes(method.as_bytes())",
                    ";",
                    |c| {
                        c.line("Ok(method) => method,");
                        c.line("Err(e) => panic!(\"{method}: {e}\"),");
                    },
                );
                c.line("let request = ::reqwest::Client::new().request(method, format!(\"{}{path}\", server.uri()));");
                c.block("match request.send().await", |c| {
                    c.line("Ok(response) => response.status().as_u16(),");
                    c.line("Err(e) => panic!(\"{path}: {e}\"),");
                });
            },
        );
        c.blank();
        c.line("#[test]");
        c.block("fn every_operation_can_be_mocked()", |c| {
            c.block_then(
                "let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build()",
                ";",
                |c| {
                    c.line("Ok(runtime) => runtime,");
                    c.line("Err(e) => panic!(\"no tokio runtime: {e}\"),");
                },
            );
            c.line("let server = runtime.block_on(MockServer::start());");
            c.line("let mut checked: Vec<Operation> = Vec::new();");
            for (i, op) in api.operations.iter().enumerate() {
                let checks = |c: &mut Code| operation_checks(api, op, c);
                // With groups, each operation's checks are a block compiled with its
                // methods.
                match super::operation_cfg(api, i) {
                    Some(cfg) => {
                        c.line(cfg);
                        c.bare_block(checks);
                    }
                    None => checks(c),
                }
            }
            c.line("assert_eq!(checked, Operation::ALL);");
        });
    });
    Some(Item::Text(c.finish()))
}

/// The self-test's checks of one operation: its builder's types, a reply through the
/// mock server, and its place in `checked`.
fn operation_checks(api: &Api, op: &Operation, c: &mut Code) {
    let builder = builder_name(op);
    let ok_arg = ok(op).0.map(|ty| format!(", {ty}")).unwrap_or_default();
    let mut path = String::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        path.push('x');
        rest = rest[open..]
            .find('}')
            .map_or("", |close| &rest[open + close + 1..]);
    }
    path.push_str(rest);
    let label = string_literal(&op.name);
    c.line(format_args!(
        "let _: fn({builder}<'static>{ok_arg}) -> Expectation<'static> = {builder}::respond;"
    ));
    c.line(format_args!(
        "let _: fn(types::{}) -> Reply = {builder}::error;",
        op.error_type
    ));
    c.line(format_args!(
        "let expectation = server.{}().respond_with(Reply::status(299)).times(1);",
        server_method_name(api, op)
    ));
    c.line(format_args!(
        "assert_eq!(runtime.block_on(send(&server, {}, {})), 299, {label});",
        string_literal(op.method.as_str()),
        string_literal(&path)
    ));
    c.line(format_args!("assert_eq!(expectation.hits(), 1, {label});"));
    c.line("server.verify();");
    c.line("server.reset();");
    c.line(format_args!("checked.push(Operation::{});", op.variant));
}
