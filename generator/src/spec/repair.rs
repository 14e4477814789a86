//! The repair pass: one walk over the document along the grammar that fixes the slips real
//! documents make, each with a warning naming its pointer, and rewrites 3.1 schema forms
//! into the 3.0 shapes the typed model reads (see `normalize`).
//!
//! Generic repairs come from the grammar's field shapes: a number or boolean where a string
//! belongs becomes that string (`version: 1`), `"true"` where a boolean belongs becomes
//! `true`, `null` where a list belongs becomes an empty list (`security: [{oauth2: null}]`),
//! a value that cannot be converted is dropped. Object-specific repairs are in `object`.

use super::grammar::{self, Child, Kind};
use super::normalize;
use super::refs::SourceMap;
use crate::error::{Diagnostics, WarningKind, clipped};
use serde_json::{Map, Value};

/// The OpenAPI minor version, where repairs differ by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Minor {
    V30,
    V31,
    V32,
}

pub(crate) struct Repairer<'a> {
    pub diags: &'a mut Diagnostics,
    pub map: &'a mut SourceMap,
    pub minor: Minor,
}

/// What the parent does with a child after repairing it.
#[derive(PartialEq, Eq)]
enum Keep {
    Yes,
    /// The child cannot stand (a tag without a name); the parent leaves it out.
    No,
}

impl Repairer<'_> {
    fn warn(&mut self, kind: WarningKind, pointer: &str, message: impl Into<String>) {
        let pointer = self.map.original(pointer);
        self.diags.warn(kind, &pointer, message);
    }

    /// Repairs the whole document.
    pub fn document(&mut self, doc: &mut Value) {
        let mut pointer = "#".to_string();
        if let Value::Object(root) = doc {
            if !root.contains_key("info") {
                self.warn(
                    WarningKind::MissingField,
                    "#",
                    "`info` is missing; the client is documented without a title",
                );
                root.insert("info".into(), Value::Object(Map::new()));
            }
            match root.get("paths") {
                Some(Value::Object(_)) => {}
                Some(_) | None => {
                    let had = root.contains_key("paths");
                    if had {
                        self.warn(
                            WarningKind::WrongType,
                            "#/paths",
                            "`paths` is not an object; the document is read as having no paths",
                        );
                    } else if self.minor == Minor::V30 {
                        self.warn(
                            WarningKind::MissingField,
                            "#",
                            "`paths` is missing; the document is read as having no paths",
                        );
                    }
                    root.insert("paths".into(), Value::Object(Map::new()));
                }
            }
            // The typed model keeps only `x-` keys it does not know; keep the webhooks'
            // names so lowering can say they were seen.
            if let Some(webhooks) = root.get("webhooks") {
                let names: Vec<Value> = webhooks
                    .as_object()
                    .map(|m| m.keys().cloned().map(Value::String).collect())
                    .unwrap_or_default();
                root.insert(super::WEBHOOKS_MARKER.into(), Value::Array(names));
            }
        }
        self.object(doc, Kind::Document, &mut pointer);
    }

    fn object(&mut self, value: &mut Value, kind: Kind, pointer: &mut String) -> Keep {
        let Value::Object(map) = value else {
            return Keep::Yes;
        };
        if kind != Kind::Schema && map.contains_key("$ref") {
            // Resolved already; a reference keeps only its own fields.
            return Keep::Yes;
        }
        self.fields(map, kind, pointer);
        self.specific(map, kind, pointer)
    }

    fn fields(&mut self, map: &mut Map<String, Value>, kind: Kind, pointer: &mut String) {
        // Fields to drop are collected and removed after the pass, so keys are not cloned
        // for every object of a large document.
        let mut drop: Vec<String> = Vec::new();
        for (key, child) in map.iter_mut() {
            let Some(shape) = grammar::field(kind, key) else {
                continue;
            };
            let len = pointer.len();
            crate::error::extend_pointer(pointer, key);
            if self.child(child, shape, kind, key, pointer) == Keep::No {
                drop.push(key.clone());
            }
            pointer.truncate(len);
        }
        for key in drop {
            map.shift_remove(&key);
        }
    }

    /// Repairs one field's value to its shape; `Keep::No` drops the field.
    fn child(
        &mut self,
        value: &mut Value,
        shape: Child,
        parent: Kind,
        key: &str,
        pointer: &mut String,
    ) -> Keep {
        match shape {
            Child::Data => Keep::Yes,
            Child::Text => self.text(value, pointer),
            Child::Flag => self.flag(value, pointer),
            Child::Number => self.number(value, pointer),
            Child::Count => self.count(value, pointer),
            Child::TextList => self.text_list(value, pointer),
            Child::TextMap => self.text_map(value, pointer),
            Child::One(Kind::Schema) => self.schema_slot(value, parent, key, pointer),
            Child::One(k) => match value {
                Value::Object(_) => self.object(value, k, pointer),
                other => {
                    let what = json_type(other);
                    self.warn(
                        WarningKind::WrongType,
                        pointer,
                        format!("expected an object, found {what}; left out"),
                    );
                    Keep::No
                }
            },
            Child::MapOf(k) => self.map_of(value, k, key, pointer),
            Child::ListOf(k) => self.list_of(value, k, pointer),
        }
    }

    fn text(&mut self, value: &mut Value, pointer: &str) -> Keep {
        match value {
            Value::String(_) => Keep::Yes,
            Value::Number(n) => {
                let text = n.to_string();
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected a string, found the number {text}; read as \"{text}\""),
                );
                *value = Value::String(text);
                Keep::Yes
            }
            Value::Bool(b) => {
                let text = b.to_string();
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected a string, found {text}; read as \"{text}\""),
                );
                *value = Value::String(text);
                Keep::Yes
            }
            other => {
                let what = json_type(other);
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected a string, found {what}; left out"),
                );
                Keep::No
            }
        }
    }

    fn flag(&mut self, value: &mut Value, pointer: &str) -> Keep {
        let read = match value {
            Value::Bool(_) => return Keep::Yes,
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            Value::Number(n) if n.as_u64() == Some(1) => Some(true),
            Value::Number(n) if n.as_u64() == Some(0) => Some(false),
            _ => None,
        };
        let what = json_type(value);
        match read {
            Some(b) => {
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected a boolean, found {what}; read as {b}"),
                );
                *value = Value::Bool(b);
                Keep::Yes
            }
            None => {
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected a boolean, found {what}; left out"),
                );
                Keep::No
            }
        }
    }

    fn number(&mut self, value: &mut Value, pointer: &str) -> Keep {
        match value {
            Value::Number(_) => Keep::Yes,
            Value::String(s) => match s.trim().parse::<f64>().ok().and_then(number_of) {
                Some(n) => {
                    self.warn(
                        WarningKind::WrongType,
                        pointer,
                        format!(
                            "expected a number, found the string \"{}\"; read as {n}",
                            clipped(s)
                        ),
                    );
                    *value = Value::Number(n);
                    Keep::Yes
                }
                None => {
                    self.warn(
                        WarningKind::WrongType,
                        pointer,
                        "expected a number, found a string; left out",
                    );
                    Keep::No
                }
            },
            other => {
                let what = json_type(other);
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected a number, found {what}; left out"),
                );
                Keep::No
            }
        }
    }

    /// Lengths and counts are validation keywords the client does not check; one that is
    /// not a non-negative integer within 64 bits is dropped.
    fn count(&mut self, value: &mut Value, pointer: &str) -> Keep {
        if value.as_u64().is_some() {
            return Keep::Yes;
        }
        if let Value::String(s) = value
            && let Ok(n) = s.trim().parse::<u64>()
        {
            self.warn(
                WarningKind::WrongType,
                pointer,
                format!(
                    "expected an integer, found the string \"{}\"; read as {n}",
                    clipped(s)
                ),
            );
            *value = Value::from(n);
            return Keep::Yes;
        }
        if let Some(f) = value.as_f64()
            && f >= 0.0
            && f.fract() == 0.0
            && f < 9_007_199_254_740_992.0
        {
            *value = Value::from(f as u64);
            return Keep::Yes;
        }
        let shown = match value {
            Value::Number(n) => n.to_string(),
            other => json_type(other).to_string(),
        };
        self.warn(
            WarningKind::WrongType,
            pointer,
            format!("expected a non-negative integer within 64 bits, found {shown}; left out"),
        );
        Keep::No
    }

    fn text_list(&mut self, value: &mut Value, pointer: &str) -> Keep {
        match value {
            Value::Array(items) => {
                if items.iter().all(Value::is_string) {
                    return Keep::Yes;
                }
                let before = items.len();
                let strings: Vec<Value> = items
                    .drain(..)
                    .filter_map(|v| match v {
                        Value::String(s) => Some(Value::String(s)),
                        Value::Number(n) => Some(Value::String(n.to_string())),
                        Value::Bool(b) => Some(Value::String(b.to_string())),
                        _ => None,
                    })
                    .collect();
                let dropped = before - strings.len();
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    if dropped == 0 {
                        "expected a list of strings; non-strings read as their text".to_string()
                    } else {
                        format!(
                            "expected a list of strings; {dropped} entries that are not left out"
                        )
                    },
                );
                *items = strings;
                Keep::Yes
            }
            // `null` where a list belongs means no entries (`security: [{oauth2: null}]`).
            Value::Null => {
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    "expected a list, found null; read as an empty list",
                );
                *value = Value::Array(Vec::new());
                Keep::Yes
            }
            Value::String(s) => {
                let s = std::mem::take(s);
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!(
                        "expected a list, found the string \"{}\"; read as a list of it",
                        clipped(&s)
                    ),
                );
                *value = Value::Array(vec![Value::String(s)]);
                Keep::Yes
            }
            other => {
                let what = json_type(other);
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected a list of strings, found {what}; left out"),
                );
                Keep::No
            }
        }
    }

    fn text_map(&mut self, value: &mut Value, pointer: &mut String) -> Keep {
        match value {
            Value::Object(map) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                for key in keys {
                    let len = pointer.len();
                    crate::error::extend_pointer(pointer, &key);
                    let keep = match map.get_mut(&key) {
                        Some(v) => self.text(v, pointer),
                        None => Keep::Yes,
                    };
                    if keep == Keep::No {
                        map.shift_remove(&key);
                    }
                    pointer.truncate(len);
                }
                Keep::Yes
            }
            Value::Null => {
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    "expected a map, found null; read as an empty map",
                );
                *value = Value::Object(Map::new());
                Keep::Yes
            }
            other => {
                let what = json_type(other);
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected a map of strings, found {what}; left out"),
                );
                Keep::No
            }
        }
    }

    fn map_of(&mut self, value: &mut Value, kind: Kind, field: &str, pointer: &mut String) -> Keep {
        let map = match value {
            Value::Object(map) => map,
            Value::Null => {
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    "expected a map, found null; read as an empty map",
                );
                *value = Value::Object(Map::new());
                return Keep::Yes;
            }
            other => {
                let what = json_type(other);
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected a map, found {what}; left out"),
                );
                return Keep::No;
            }
        };
        let mut drop: Vec<String> = Vec::new();
        for (key, entry) in map.iter_mut() {
            let len = pointer.len();
            crate::error::extend_pointer(pointer, key);
            if self.entry(entry, kind, field, key, pointer) == Keep::No {
                drop.push(key.clone());
            }
            pointer.truncate(len);
        }
        for key in drop {
            map.shift_remove(&key);
        }
        Keep::Yes
    }

    /// One entry of a map of objects.
    fn entry(
        &mut self,
        entry: &mut Value,
        kind: Kind,
        field: &str,
        key: &str,
        pointer: &mut String,
    ) -> Keep {
        match (kind, &*entry) {
            (Kind::Schema, _) => self.schema_slot(entry, Kind::Schema, field, pointer),
            (_, Value::Object(_)) if kind != Kind::Example || looks_like_example(entry) => {
                self.object(entry, kind, pointer)
            }
            // An example given as the bare value instead of `{value: ...}`.
            (Kind::Example, _) => {
                let value = std::mem::take(entry);
                *entry = serde_json::json!({ "value": value });
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    "example is the bare value, not an Example object; read as its `value`",
                );
                Keep::Yes
            }
            // An extension beside the entries of a map that allows none: ignored, as
            // extensions may be.
            _ if key.starts_with("x-") => Keep::No,
            (_, other) => {
                let what = json_type(other);
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected an object, found {what}; left out"),
                );
                Keep::No
            }
        }
    }

    fn list_of(&mut self, value: &mut Value, kind: Kind, pointer: &mut String) -> Keep {
        let items = match value {
            Value::Array(items) => items,
            Value::Null => {
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    "expected a list, found null; read as an empty list",
                );
                *value = Value::Array(Vec::new());
                return Keep::Yes;
            }
            Value::Object(_) => {
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    "expected a list, found an object; read as a list of it",
                );
                let one = std::mem::take(value);
                *value = Value::Array(vec![one]);
                let Value::Array(items) = value else {
                    return Keep::Yes;
                };
                items
            }
            other => {
                let what = json_type(other);
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected a list, found {what}; left out"),
                );
                return Keep::No;
            }
        };
        let mut kept: Vec<Value> = Vec::with_capacity(items.len());
        let base = pointer.clone();
        for (i, mut item) in std::mem::take(items).into_iter().enumerate() {
            let len = pointer.len();
            crate::error::extend_pointer(pointer, &i.to_string());
            let keep = if kind == Kind::Schema {
                self.schema_slot(&mut item, Kind::Schema, "allOf", pointer)
            } else if item.is_object() {
                self.object(&mut item, kind, pointer)
            } else {
                let what = json_type(&item);
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected an object, found {what}; left out"),
                );
                Keep::No
            };
            pointer.truncate(len);
            if keep == Keep::Yes {
                if kept.len() != i {
                    // Later entries move up; warnings about them must still name where they
                    // were written.
                    let now = format!("{base}/{}", kept.len());
                    let was = self.map.original(&format!("{base}/{i}"));
                    self.map.record(&now, &was);
                }
                kept.push(item);
            }
        }
        *items = kept;
        Keep::Yes
    }

    /// A position that holds a schema: booleans (3.1) become their object forms, a list in
    /// `items` (draft-4 tuples) becomes one schema.
    fn schema_slot(
        &mut self,
        value: &mut Value,
        parent: Kind,
        key: &str,
        pointer: &mut String,
    ) -> Keep {
        match value {
            Value::Object(_) => {
                self.object(value, Kind::Schema, pointer);
                Keep::Yes
            }
            Value::Bool(true) => {
                *value = Value::Object(Map::new());
                Keep::Yes
            }
            // A property that must not appear is simply not a field; elsewhere `false`
            // is the schema nothing matches.
            Value::Bool(false) if key == "properties" => Keep::No,
            Value::Bool(false) if key == "additionalProperties" => Keep::Yes,
            Value::Bool(false) => {
                *value = serde_json::json!({ "not": {} });
                Keep::Yes
            }
            Value::Array(items) if parent == Kind::Schema && key == "items" => {
                let mut items = std::mem::take(items);
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    "`items` is a list (tuple form); read as one schema every item matches",
                );
                *value = match items.len() {
                    0 => Value::Object(Map::new()),
                    1 => items.remove(0),
                    _ => serde_json::json!({ "anyOf": items }),
                };
                self.schema_slot(value, parent, "", pointer)
            }
            Value::Null if key == "additionalProperties" => Keep::No,
            other => {
                let what = json_type(other);
                self.warn(
                    WarningKind::WrongType,
                    pointer,
                    format!("expected a schema, found {what}; left out"),
                );
                Keep::No
            }
        }
    }

    /// Repairs that belong to one kind of object.
    fn specific(&mut self, map: &mut Map<String, Value>, kind: Kind, pointer: &str) -> Keep {
        match kind {
            Kind::Info => {
                for field in ["title", "version"] {
                    if !map.contains_key(field) {
                        self.warn(
                            WarningKind::MissingField,
                            pointer,
                            format!("`{field}` is missing; read as empty"),
                        );
                        map.insert(field.into(), Value::String(String::new()));
                    }
                }
                Keep::Yes
            }
            Kind::License => self.required(map, "name", pointer, "license"),
            Kind::Tag => self.required(map, "name", pointer, "tag"),
            Kind::ExternalDocs => self.required(map, "url", pointer, "external documentation"),
            Kind::Server => self.required(map, "url", pointer, "server"),
            Kind::ServerVariable => {
                if !map.contains_key("default") {
                    let first = map
                        .get("enum")
                        .and_then(Value::as_array)
                        .and_then(|e| e.first())
                        .cloned()
                        .unwrap_or_else(|| Value::String(String::new()));
                    self.warn(
                        WarningKind::MissingField,
                        pointer,
                        format!(
                            "`default` is missing; read as {}",
                            clipped(&first.to_string())
                        ),
                    );
                    map.insert("default".into(), first);
                }
                Keep::Yes
            }
            Kind::Operation => {
                if !map.contains_key("responses") {
                    // Optional since 3.1.
                    if self.minor == Minor::V30 {
                        self.warn(
                            WarningKind::MissingField,
                            pointer,
                            "`responses` is missing; read as none documented",
                        );
                    }
                    map.insert("responses".into(), Value::Object(Map::new()));
                }
                Keep::Yes
            }
            Kind::Responses => {
                self.status_codes(map, pointer);
                Keep::Yes
            }
            Kind::Callback => {
                // Extensions are allowed in a Callback object; the typed model reads every
                // key as an expression, so they are set aside (as extensions may be).
                map.retain(|k, _| !k.starts_with("x-"));
                Keep::Yes
            }
            Kind::Paths => {
                self.path_keys(map, pointer);
                Keep::Yes
            }
            Kind::Response => {
                if !map.contains_key("description") {
                    // Optional since 3.2.
                    if self.minor < Minor::V32 {
                        self.warn(
                            WarningKind::MissingField,
                            pointer,
                            "`description` is missing; read as empty",
                        );
                    }
                    map.insert("description".into(), Value::String(String::new()));
                }
                Keep::Yes
            }
            Kind::RequestBody => {
                if !map.contains_key("content") {
                    self.warn(
                        WarningKind::MissingField,
                        pointer,
                        "`content` is missing; the body is taken as any JSON value",
                    );
                    map.insert(
                        "content".into(),
                        serde_json::json!({ "application/json": {} }),
                    );
                }
                Keep::Yes
            }
            Kind::MediaType => {
                // 3.2's `itemSchema` describes each item of a sequential media type (an
                // event, a JSON line). The typed model has no field for it; as the only
                // schema it is the item type lowering reads for those media types.
                if !map.contains_key("schema")
                    && let Some(items) = map.remove("itemSchema")
                {
                    map.insert("schema".into(), items);
                }
                for positional in ["prefixEncoding", "itemEncoding"] {
                    if map.remove(positional).is_some() {
                        self.warn(
                            WarningKind::NotGenerated,
                            &crate::error::push_pointer(pointer, positional),
                            "positional multipart encodings are not generated; the body is typed by its schema alone",
                        );
                    }
                }
                Keep::Yes
            }
            Kind::Parameter => self.parameter(map, pointer),
            Kind::Link => {
                // Links are not read; one the typed model cannot hold is set aside.
                if map.contains_key("operationId") || map.contains_key("operationRef") {
                    Keep::Yes
                } else {
                    Keep::No
                }
            }
            Kind::Header => {
                self.schema_or_content(map, pointer, "header");
                self.style(map, pointer, &["simple"]);
                Keep::Yes
            }
            Kind::Encoding => {
                self.style(
                    map,
                    pointer,
                    &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
                );
                // The typed model reads a missing `explode` as false, while OpenAPI's default
                // is true for `form`; and giving `explode` (or `allowReserved`) alone means
                // the style applies, as `form` (3.2 §4.14.4). Written out here so lowering
                // sees the document's meaning.
                let style_given = ["style", "explode", "allowReserved"]
                    .iter()
                    .any(|k| map.contains_key(*k));
                if style_given {
                    let style = map
                        .entry("style")
                        .or_insert_with(|| Value::String("form".into()))
                        .as_str()
                        .map(str::to_string);
                    if !map.contains_key("explode") {
                        map.insert(
                            "explode".into(),
                            Value::Bool(style.as_deref() == Some("form")),
                        );
                    }
                }
                Keep::Yes
            }
            Kind::SecurityScheme => self.security_scheme(map, pointer),
            Kind::OAuthFlow => {
                for field in ["authorizationUrl", "tokenUrl"] {
                    if !map.contains_key(field) {
                        map.insert(field.into(), Value::String(String::new()));
                    }
                }
                if !map.contains_key("scopes") {
                    map.insert("scopes".into(), Value::Object(Map::new()));
                }
                Keep::Yes
            }
            Kind::Schema => {
                self.schema(map, pointer);
                Keep::Yes
            }
            _ => Keep::Yes,
        }
    }

    fn required(
        &mut self,
        map: &Map<String, Value>,
        field: &str,
        pointer: &str,
        what: &str,
    ) -> Keep {
        if map.get(field).is_some_and(Value::is_string) {
            return Keep::Yes;
        }
        self.warn(
            WarningKind::MissingField,
            pointer,
            format!("{what} without `{field}`; left out"),
        );
        Keep::No
    }

    /// A path must start with `/`; one written without it is read with it.
    fn path_keys(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if map
            .keys()
            .all(|k| k.starts_with('/') || k.starts_with("x-"))
        {
            return;
        }
        let entries = std::mem::take(map);
        for (key, value) in entries {
            if key.starts_with('/') || key.starts_with("x-") {
                map.insert(key, value);
                continue;
            }
            let fixed = format!("/{key}");
            let entry = crate::error::push_pointer(pointer, &key);
            if map.contains_key(&fixed) {
                self.warn(
                    WarningKind::InvalidValue,
                    &entry,
                    format!(
                        "path `{}` does not start with `/`, and `/{}` exists; left out",
                        clipped(&key),
                        clipped(&key)
                    ),
                );
                continue;
            }
            self.warn(
                WarningKind::InvalidValue,
                &entry,
                format!(
                    "path `{}` does not start with `/`; read as `/{}`",
                    clipped(&key),
                    clipped(&key)
                ),
            );
            self.map
                .record(&crate::error::push_pointer(pointer, &fixed), &entry);
            map.insert(fixed, value);
        }
    }

    /// Response keys are status codes (`200`), ranges (`4XX`, any case) or `default`; any
    /// other key cannot be matched against a response and is left out.
    fn status_codes(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let keys: Vec<String> = map.keys().cloned().collect();
        let mut rename: Vec<(String, String)> = Vec::new();
        for key in keys {
            if key == "default" || key.starts_with("x-") {
                continue;
            }
            let bytes = key.as_bytes();
            let valid = bytes.len() == 3
                && (b'1'..=b'9').contains(&bytes[0])
                && ((bytes[1].is_ascii_digit() && bytes[2].is_ascii_digit())
                    || key[1..].eq_ignore_ascii_case("xx"));
            if valid {
                // `4xx` is read as `4XX`, the spelling the typed model prints, so pointers
                // built from it find their way back to the key as written.
                if key[1..] == *"xx" || key[1..] == *"xX" || key[1..] == *"Xx" {
                    let fixed = format!("{}XX", &key[..1]);
                    if !map.contains_key(&fixed) {
                        let entry = crate::error::push_pointer(pointer, &key);
                        self.map
                            .record(&crate::error::push_pointer(pointer, &fixed), &entry);
                        rename.push((key, fixed));
                    }
                }
                continue;
            }
            let entry = crate::error::push_pointer(pointer, &key);
            self.warn(
                WarningKind::InvalidValue,
                &entry,
                format!(
                    "`{}` is not an HTTP status code, a range such as `4XX`, or `default`; left out",
                    clipped(&key)
                ),
            );
            map.shift_remove(&key);
        }
        if !rename.is_empty() {
            let entries = std::mem::take(map);
            for (key, value) in entries {
                let key = match rename.iter().find(|(from, _)| *from == key) {
                    Some((_, to)) => to.clone(),
                    None => key,
                };
                map.insert(key, value);
            }
        }
    }

    fn parameter(&mut self, map: &mut Map<String, Value>, pointer: &str) -> Keep {
        if !map.get("name").is_some_and(Value::is_string) {
            self.warn(
                WarningKind::MissingField,
                pointer,
                "parameter without `name`; left out",
            );
            return Keep::No;
        }
        let location = map.get("in").and_then(Value::as_str).map(str::to_string);
        let styles: &[&str] = match location.as_deref() {
            Some("query") => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
            Some("path") => &["simple", "label", "matrix"],
            Some("header") => &["simple"],
            Some("cookie") => &["form", "cookie"],
            Some("querystring") => {
                self.warn(
                    WarningKind::NotGenerated,
                    pointer,
                    "`querystring` parameters (the whole query string as one media type) are not supported yet; left out",
                );
                return Keep::No;
            }
            Some(other) => {
                let lower = other.to_ascii_lowercase();
                if ["query", "path", "header", "cookie"].contains(&lower.as_str()) {
                    self.warn(
                        WarningKind::InvalidValue,
                        pointer,
                        format!("`in: {other}` read as `{lower}`"),
                    );
                    map.insert("in".into(), Value::String(lower));
                    return self.parameter(map, pointer);
                }
                self.warn(
                    WarningKind::InvalidValue,
                    pointer,
                    format!(
                        "`in: {}` is not a parameter location; left out",
                        clipped(other)
                    ),
                );
                return Keep::No;
            }
            None => {
                self.warn(
                    WarningKind::MissingField,
                    pointer,
                    "parameter without `in`; left out",
                );
                return Keep::No;
            }
        };
        self.schema_or_content(map, pointer, "parameter");
        // `cookie` style is new in 3.2; the typed model knows only `form`.
        if map.get("style").and_then(Value::as_str) == Some("cookie") {
            map.remove("style");
        }
        self.style(map, pointer, styles);
        Keep::Yes
    }

    fn schema_or_content(&mut self, map: &mut Map<String, Value>, pointer: &str, what: &str) {
        let content_ok = map
            .get("content")
            .and_then(Value::as_object)
            .is_some_and(|c| !c.is_empty());
        match (map.contains_key("schema"), content_ok) {
            (true, true) => {
                self.warn(
                    WarningKind::InvalidValue,
                    pointer,
                    format!("{what} has both `schema` and `content`; `schema` is used"),
                );
                map.remove("content");
            }
            (false, false) => {
                self.warn(
                    WarningKind::MissingField,
                    pointer,
                    format!("{what} has neither `schema` nor `content`; taken as a string"),
                );
                map.remove("content");
                map.insert("schema".into(), serde_json::json!({ "type": "string" }));
            }
            _ => {}
        }
    }

    fn style(&mut self, map: &mut Map<String, Value>, pointer: &str, allowed: &[&str]) {
        let Some(style) = map.get("style") else {
            return;
        };
        let Some(text) = style.as_str() else {
            map.remove("style");
            return;
        };
        if allowed.contains(&text) {
            return;
        }
        if let Some(fixed) = allowed.iter().find(|a| a.eq_ignore_ascii_case(text)) {
            self.warn(
                WarningKind::InvalidValue,
                &crate::error::push_pointer(pointer, "style"),
                format!("style `{}` read as `{fixed}`", clipped(text)),
            );
            map.insert("style".into(), Value::String((*fixed).to_string()));
            return;
        }
        self.warn(
            WarningKind::InvalidValue,
            &crate::error::push_pointer(pointer, "style"),
            format!(
                "style `{}` is not allowed here (only {}); the default style is used",
                clipped(text),
                allowed.join(", ")
            ),
        );
        map.remove("style");
    }

    fn security_scheme(&mut self, map: &mut Map<String, Value>, pointer: &str) -> Keep {
        let Some(kind) = map.get("type").and_then(Value::as_str).map(str::to_string) else {
            self.warn(
                WarningKind::MissingField,
                pointer,
                "security scheme without `type`; left out",
            );
            return Keep::No;
        };
        let known = ["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"];
        let canonical = match known.iter().find(|k| k.eq_ignore_ascii_case(&kind)) {
            Some(k) => *k,
            None => {
                self.warn(
                    WarningKind::InvalidValue,
                    pointer,
                    format!(
                        "security scheme type `{}` is not one OpenAPI defines; left out",
                        clipped(&kind)
                    ),
                );
                return Keep::No;
            }
        };
        if canonical != kind {
            self.warn(
                WarningKind::InvalidValue,
                &crate::error::push_pointer(pointer, "type"),
                format!(
                    "security scheme type `{}` read as `{canonical}`",
                    clipped(&kind)
                ),
            );
            map.insert("type".into(), Value::String(canonical.into()));
        }
        let needs: &[&str] = match canonical {
            "apiKey" => &["name", "in"],
            "http" => &["scheme"],
            "openIdConnect" => &["openIdConnectUrl"],
            "mutualTLS" => {
                self.warn(
                    WarningKind::NotGenerated,
                    pointer,
                    "mutual TLS is set up on the HTTP client (a reqwest::Client with an identity, given to the builder's with_reqwest_client); the scheme is left out of the model",
                );
                return Keep::No;
            }
            _ => {
                if !map.get("flows").is_some_and(Value::is_object) {
                    map.insert("flows".into(), Value::Object(Map::new()));
                }
                &[]
            }
        };
        for field in needs {
            if !map.get(*field).is_some_and(Value::is_string) {
                self.warn(
                    WarningKind::MissingField,
                    pointer,
                    format!("{canonical} security scheme without `{field}`; left out"),
                );
                return Keep::No;
            }
        }
        if canonical == "apiKey" {
            let location = map.get("in").and_then(Value::as_str).unwrap_or_default();
            if !["query", "header", "cookie"].contains(&location) {
                self.warn(
                    WarningKind::InvalidValue,
                    pointer,
                    format!(
                        "apiKey security scheme `in: {}` is not query, header or cookie; left out",
                        clipped(location)
                    ),
                );
                return Keep::No;
            }
        }
        Keep::Yes
    }

    fn schema(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if let Some(d) = map.get("discriminator") {
            let ok = d
                .get("propertyName")
                .and_then(Value::as_str)
                .is_some_and(|p| !p.is_empty());
            if !ok {
                self.warn(
                    WarningKind::InvalidValue,
                    &crate::error::push_pointer(pointer, "discriminator"),
                    "discriminator without a `propertyName`; left out",
                );
                map.remove("discriminator");
            }
        }
        match map.get("type") {
            None | Some(Value::Array(_)) => {}
            Some(Value::String(t)) => {
                if let Some(fixed) = type_alias(t) {
                    self.warn(
                        WarningKind::InvalidValue,
                        &crate::error::push_pointer(pointer, "type"),
                        format!("type `{t}` read as `{fixed}`"),
                    );
                    map.insert("type".into(), Value::String(fixed.into()));
                }
            }
            Some(other) => {
                let what = json_type(other);
                self.warn(
                    WarningKind::WrongType,
                    &crate::error::push_pointer(pointer, "type"),
                    format!("expected a type name, found {what}; left out"),
                );
                map.remove("type");
            }
        }
        self.enum_types(map, pointer);
        for key in ["exclusiveMinimum", "exclusiveMaximum"] {
            // A boolean (3.0) or a number (3.1); other values are repaired as booleans.
            if let Some(v) = map.get_mut(key)
                && !v.is_boolean()
                && !v.is_number()
            {
                let at = crate::error::push_pointer(pointer, key);
                if self.flag(v, &at) == Keep::No {
                    map.remove(key);
                }
            }
        }
        normalize::schema(map);
    }
}

impl Repairer<'_> {
    /// `enum` values that are not of the schema's `type`: JSON Schema applies both
    /// keywords, so such a value is never valid (`type: array` with `enum: ["a"]` admits
    /// nothing; YAML's unquoted `enum: [3]` under `type: string` is the number 3). Read as
    /// written, with a warning: a client type cannot hold a value no server accepts, and a
    /// validator refuses it.
    fn enum_types(&mut self, map: &Map<String, Value>, pointer: &str) {
        let Some(values) = map.get("enum").and_then(Value::as_array) else {
            return;
        };
        let types: Vec<&str> = match map.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        let nullable = map.get("nullable") == Some(&Value::Bool(true));
        let has = |t: &str| types.contains(&t);
        let fits = |v: &Value| match v {
            Value::Null => nullable || has("null"),
            Value::Bool(_) => has("boolean"),
            Value::Number(n) => {
                has("number")
                    || (has("integer")
                        && (n.is_i64()
                            || n.is_u64()
                            || n.as_f64().is_some_and(|f| f.fract() == 0.0)))
            }
            Value::String(_) => has("string"),
            Value::Array(_) => has("array"),
            Value::Object(_) => has("object"),
        };
        let misfits: Vec<String> = values
            .iter()
            .filter(|v| !fits(v))
            .map(|v| format!("`{}`", clipped(&v.to_string())))
            .collect();
        if misfits.is_empty() {
            return;
        }
        let ty = types.join("`, `");
        let message = if misfits.len() == values.len() {
            format!(
                "no `enum` value is of the schema's type `{ty}`: JSON Schema applies both keywords, so no value is valid"
            )
        } else {
            format!(
                "`enum` lists {}, not of the schema's type `{ty}`: JSON Schema applies both keywords, so that is never a valid value",
                misfits.join(", ")
            )
        };
        self.warn(
            WarningKind::InvalidValue,
            &crate::error::push_pointer(pointer, "enum"),
            message,
        );
    }
}

/// Type names written in other languages' spelling.
fn type_alias(t: &str) -> Option<&'static str> {
    const TYPES: [&str; 7] = [
        "string", "number", "integer", "boolean", "array", "object", "null",
    ];
    if TYPES.contains(&t) {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    if let Some(known) = TYPES.iter().find(|k| **k == lower) {
        return Some(known);
    }
    Some(match lower.as_str() {
        "int" | "int32" | "int64" | "long" => "integer",
        "bool" => "boolean",
        "float" | "double" | "decimal" => "number",
        "str" | "text" => "string",
        "list" => "array",
        "map" | "dict" => "object",
        _ => return None,
    })
}

fn looks_like_example(value: &Value) -> bool {
    const FIELDS: [&str; 7] = [
        "summary",
        "description",
        "value",
        "externalValue",
        "dataValue",
        "serializedValue",
        "$ref",
    ];
    value.as_object().is_some_and(|m| {
        m.keys()
            .all(|k| k.starts_with("x-") || FIELDS.contains(&k.as_str()))
    })
}

fn number_of(f: f64) -> Option<serde_json::Number> {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        Some(serde_json::Number::from(f as i64))
    } else {
        serde_json::Number::from_f64(f)
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
