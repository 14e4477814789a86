//! The compile fuzzer's grammar against the loader's: every field `spec/grammar.rs` knows
//! (each object kind's fixed fields) and every value OpenAPI enumerates that the generator
//! tells apart (parameter locations and styles, schema types, security scheme kinds, flows,
//! media types it reads differently) is drawn by `xtask::fuzz::docgen` within the first
//! documents of a seed, or listed below with the reason it is not. A construct added to
//! the loader without a way for the fuzzer to draw it fails here; so does a listed
//! construct the fuzzer has started to draw, and a field the fuzzer draws that the loader
//! does not know (the fuzzer would be testing nothing).

use openapi_client_gen::spec::grammar::{self, Child, Kind};
use serde_json::Value;
use std::collections::BTreeSet;
use xtask::fuzz::docgen;

/// Documents drawn for the census: enough that a construct drawn with probability 1% per
/// document is seen (the rarest draws are about that).
const DOCUMENTS: u64 = 1500;

/// Fields the fuzzer never draws, with why.
const NOT_DRAWN: &[(Kind, &str, &str)] = &[
    (
        Kind::Schema,
        "$dynamicRef",
        "resolving it needs a dynamic scope; the loader reads past it like any unknown keyword, \
         and a valid `$dynamicRef` without a matching `$dynamicAnchor` scope is not worth the \
         fuzzer's complexity",
    ),
    (
        Kind::Schema,
        "additionalItems",
        "draft 4-7 keyword that 3.1 replaced with `items`; valid in neither 3.0 (not in its \
         schema subset) nor 3.1 (2020-12 dropped it)",
    ),
    (
        Kind::Schema,
        "definitions",
        "a draft-7 spelling the grammar accepts because real documents write it; 3.1's \
         dialect spells it `$defs`, which the fuzzer draws",
    ),
    (
        Kind::Header,
        "allowEmptyValue",
        "OpenAPI allows it for query parameters only; a Header Object may carry only what \
         applies to a header",
    ),
    (
        Kind::Encoding,
        "itemEncoding",
        "3.2 nests Encoding Objects for multipart parts of parts; the generator reports \
         positional encodings and draws `itemEncoding` on the media type instead",
    ),
    (
        Kind::Encoding,
        "prefixEncoding",
        "as `itemEncoding`: drawn on the media type, not nested in an Encoding Object",
    ),
];

/// `(kind, field)` for every field of the documents, and fields the grammar does not know.
fn census(
    value: &Value,
    kind: Kind,
    seen: &mut BTreeSet<(Kind, String)>,
    unknown: &mut BTreeSet<String>,
) {
    let Value::Object(map) = value else { return };
    for (key, child) in map {
        if key == "$ref" || key.starts_with("x-") {
            continue;
        }
        // A reference stands in for the whole object; its siblings are not fields of it
        // (except in schemas, where 3.1 allows them).
        if map.contains_key("$ref") && kind != Kind::Schema {
            continue;
        }
        let Some(shape) = grammar::field(kind, key) else {
            unknown.insert(format!("{kind:?}.{key}"));
            continue;
        };
        let patterned = matches!(
            kind,
            Kind::Paths | Kind::Responses | Kind::Callback | Kind::SecurityRequirement
        );
        if !patterned {
            seen.insert((kind, key.clone()));
        }
        match shape {
            Child::One(k) => census(child, k, seen, unknown),
            Child::MapOf(k) => {
                if let Value::Object(entries) = child {
                    for entry in entries.values() {
                        census(entry, k, seen, unknown);
                    }
                }
            }
            Child::ListOf(k) => {
                if let Value::Array(items) = child {
                    for item in items {
                        census(item, k, seen, unknown);
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn the_fuzzer_draws_every_field_the_loader_reads() {
    let mut seen = BTreeSet::new();
    let mut unknown = BTreeSet::new();
    for index in 0..DOCUMENTS {
        census(
            &docgen::document(1, index),
            Kind::Document,
            &mut seen,
            &mut unknown,
        );
    }
    assert!(
        unknown.is_empty(),
        "the fuzzer draws fields the loader does not know: {unknown:?}"
    );
    let mut missing = Vec::new();
    for kind in grammar::ALL {
        for (field, _) in grammar::fields(kind) {
            let listed = NOT_DRAWN.iter().any(|(k, f, _)| *k == kind && f == field);
            let drawn = seen.contains(&(kind, field.to_string()));
            if !drawn && !listed {
                missing.push(format!("{kind:?}.{field}"));
            }
            assert!(
                !(drawn && listed),
                "{kind:?}.{field} is listed as not drawn, but the fuzzer draws it"
            );
        }
    }
    assert!(
        missing.is_empty(),
        "the loader reads fields the fuzzer never draws (draw them in xtask/src/fuzz/docgen.rs \
         or list them in NOT_DRAWN with the reason): {missing:?}"
    );
}

/// Every value at `pointer`-like places: (where, value) pairs from a walk that knows the
/// few enumerated fields.
fn values(value: &Value, kind: Kind, out: &mut BTreeSet<(&'static str, String)>) {
    let Value::Object(map) = value else { return };
    let text = |key: &str| map.get(key).and_then(Value::as_str).map(String::from);
    match kind {
        Kind::Parameter => {
            if let Some(v) = text("in") {
                out.insert(("in", v.clone()));
                if let Some(style) = text("style") {
                    out.insert(("style", format!("{v}:{style}")));
                }
            }
        }
        Kind::Schema => match map.get("type") {
            Some(Value::String(t)) => {
                out.insert(("type", t.clone()));
            }
            Some(Value::Array(ts)) => {
                for t in ts.iter().filter_map(Value::as_str) {
                    out.insert(("type", t.to_string()));
                }
            }
            _ => {}
        },
        Kind::SecurityScheme => {
            if let Some(t) = text("type") {
                out.insert(("scheme type", t));
            }
            if let Some(s) = text("scheme") {
                out.insert(("http scheme", s.to_ascii_lowercase()));
            }
            if let Some(i) = text("in") {
                out.insert(("api key in", i));
            }
        }
        Kind::OAuthFlows => {
            for flow in map.keys() {
                out.insert(("flow", flow.clone()));
            }
        }
        Kind::Responses => {
            for code in map.keys() {
                let form = if code == "default" {
                    "default"
                } else if code.ends_with("XX") {
                    "range"
                } else {
                    "code"
                };
                out.insert(("status", form.to_string()));
            }
        }
        Kind::RequestBody | Kind::Response => {
            if let Some(Value::Object(content)) = map.get("content") {
                let side = if kind == Kind::RequestBody {
                    "request"
                } else {
                    "response"
                };
                for media in content.keys() {
                    let essence = media
                        .split(';')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    out.insert(("media", format!("{side}:{essence}")));
                }
            }
        }
        _ => {}
    }
    for (key, child) in map {
        let Some(shape) = grammar::field(kind, key) else {
            continue;
        };
        match shape {
            Child::One(k) => values(child, k, out),
            Child::MapOf(k) => {
                if let Value::Object(entries) = child {
                    entries.values().for_each(|e| values(e, k, out));
                }
            }
            Child::ListOf(k) => {
                if let Value::Array(items) = child {
                    items.iter().for_each(|i| values(i, k, out));
                }
            }
            _ => {}
        }
    }
}

#[test]
fn the_fuzzer_draws_every_value_the_generator_tells_apart() {
    let mut seen = BTreeSet::new();
    for index in 0..DOCUMENTS {
        values(&docgen::document(1, index), Kind::Document, &mut seen);
    }
    // OpenAPI's enumerations (3.0.4 §4.8.12.4 styles by location, §4.8.24.2 scheme types,
    // §4.8.26 flows) and the media types the generator reads each in its own way.
    let expected: &[(&str, &str)] = &[
        ("in", "path"),
        ("in", "query"),
        ("in", "header"),
        ("in", "cookie"),
        ("style", "path:simple"),
        ("style", "path:label"),
        ("style", "path:matrix"),
        ("style", "query:form"),
        ("style", "query:spaceDelimited"),
        ("style", "query:pipeDelimited"),
        ("style", "query:deepObject"),
        ("style", "header:simple"),
        ("style", "cookie:form"),
        ("type", "string"),
        ("type", "integer"),
        ("type", "number"),
        ("type", "boolean"),
        ("type", "array"),
        ("type", "object"),
        ("type", "null"),
        ("scheme type", "apiKey"),
        ("scheme type", "http"),
        ("scheme type", "oauth2"),
        ("scheme type", "openIdConnect"),
        ("scheme type", "mutualTLS"),
        ("http scheme", "basic"),
        ("http scheme", "bearer"),
        ("http scheme", "digest"),
        ("http scheme", "hoba"),
        ("api key in", "header"),
        ("api key in", "query"),
        ("api key in", "cookie"),
        ("flow", "implicit"),
        ("flow", "password"),
        ("flow", "clientCredentials"),
        ("flow", "authorizationCode"),
        ("flow", "deviceAuthorization"),
        ("status", "code"),
        ("status", "range"),
        ("status", "default"),
        ("media", "request:application/json"),
        ("media", "request:application/x-www-form-urlencoded"),
        ("media", "request:multipart/form-data"),
        ("media", "request:application/octet-stream"),
        ("media", "request:text/plain"),
        ("media", "request:application/xml"),
        ("media", "request:application/vnd.api+json"),
        ("media", "request:*/*"),
        ("media", "response:application/json"),
        ("media", "response:text/plain"),
        ("media", "response:application/octet-stream"),
        ("media", "response:text/event-stream"),
        ("media", "response:application/x-ndjson"),
        ("media", "response:application/jsonl"),
        ("media", "response:application/json-seq"),
        ("media", "response:application/problem+json"),
        ("media", "response:application/xml"),
    ];
    let missing: Vec<String> = expected
        .iter()
        .filter(|(k, v)| !seen.contains(&(*k, v.to_string())))
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    assert!(missing.is_empty(), "never drawn: {missing:?}");
}
