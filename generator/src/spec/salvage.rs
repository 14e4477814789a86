//! The last line of defence before the typed model: when the repaired document still does
//! not deserialise, each part is tried on its own, the deepest part that fails is replaced
//! by a fallback (a schema by "any value", a response by one without a body) or left out
//! (a parameter, an operation), with a warning quoting the decoder, and the rest is kept.
//! Only runs when the whole document fails, so a clean document pays nothing for it.

use super::refs::SourceMap;
use crate::error::{Diagnostics, WarningKind, push_pointer};
use openapiv3::{
    Components, ExternalDocumentation, Info, Operation, Parameter, PathItem, ReferenceOr,
    RequestBody, Response, Schema, SecurityRequirement, Server, Tag,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub(super) struct Salvager<'a> {
    pub diags: &'a mut Diagnostics,
    pub map: &'a SourceMap,
}

/// The decoder's complaint about `value` as a `T`, with the path inside it, or `None`.
fn fails<T: DeserializeOwned>(value: &Value) -> Option<String> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => None,
        Err(e) => {
            let path = e.path().to_string();
            let message = clip(e.into_inner().to_string());
            Some(if path == "." || path.is_empty() {
                message
            } else {
                format!("{message} (at `{path}`)")
            })
        }
    }
}

/// Decoder messages quote the offending value; a 50 MB string must not become a 50 MB
/// warning.
pub(super) fn clip(message: String) -> String {
    const MAX: usize = 300;
    if message.len() <= MAX {
        return message;
    }
    let mut end = MAX;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &message[..end], message.len())
}

impl Salvager<'_> {
    fn warn(&mut self, pointer: &str, message: String) {
        let pointer = self.map.original(pointer);
        self.diags.warn(WarningKind::Unreadable, &pointer, message);
    }

    /// Repairs every part of the document that does not deserialise.
    pub fn document(&mut self, doc: &mut Value) {
        let Value::Object(root) = doc else { return };
        if let Some(info) = root.get_mut("info")
            && let Some(e) = fails::<Info>(info)
        {
            self.warn(
                "#/info",
                format!("cannot be read: {e}; the client has no title"),
            );
            *info = serde_json::json!({ "title": "", "version": "" });
        }
        for (key, check) in [
            (
                "servers",
                fails::<Vec<Server>> as fn(&Value) -> Option<String>,
            ),
            ("security", fails::<Vec<SecurityRequirement>>),
            ("tags", fails::<Vec<Tag>>),
            ("externalDocs", fails::<ExternalDocumentation>),
        ] {
            if let Some(v) = root.get(key)
                && let Some(e) = check(v)
            {
                self.warn(
                    &format!("#/{key}"),
                    format!("cannot be read: {e}; left out"),
                );
                root.shift_remove(key);
            }
        }
        if let Some(components) = root.get_mut("components") {
            self.components(components);
        }
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            let keys: Vec<String> = paths.keys().cloned().collect();
            for key in keys.into_iter().filter(|k| k.starts_with('/')) {
                let pointer = push_pointer("#/paths", &key);
                let Some(item) = paths.get_mut(&key) else {
                    continue;
                };
                if !self.path_item(item, &pointer) {
                    paths.shift_remove(&key);
                }
            }
        }
    }

    fn components(&mut self, components: &mut Value) {
        if fails::<Components>(components).is_none() {
            return;
        }
        let Value::Object(sections) = components else {
            return;
        };
        type Check = fn(&Value) -> Option<String>;
        let checks: [(&str, Check); 8] = [
            ("responses", fails::<ReferenceOr<Response>>),
            ("parameters", fails::<ReferenceOr<Parameter>>),
            ("examples", fails::<ReferenceOr<openapiv3::Example>>),
            ("requestBodies", fails::<ReferenceOr<RequestBody>>),
            ("headers", fails::<ReferenceOr<openapiv3::Header>>),
            (
                "securitySchemes",
                fails::<ReferenceOr<openapiv3::SecurityScheme>>,
            ),
            ("links", fails::<ReferenceOr<openapiv3::Link>>),
            ("callbacks", fails::<ReferenceOr<openapiv3::Callback>>),
        ];
        if let Some(Value::Object(schemas)) = sections.get_mut("schemas") {
            for (name, schema) in schemas.iter_mut() {
                let pointer = push_pointer("#/components/schemas", name);
                self.schema(schema, &pointer);
            }
        }
        for (section, check) in checks {
            let Some(Value::Object(entries)) = sections.get_mut(section) else {
                continue;
            };
            let base = push_pointer("#/components", section);
            let keys: Vec<String> = entries.keys().cloned().collect();
            for key in keys {
                let pointer = push_pointer(&base, &key);
                let Some(entry) = entries.get_mut(&key) else {
                    continue;
                };
                if check(entry).is_none() {
                    continue;
                }
                self.schemas_inside(entry, &pointer);
                if let Some(e) = check(entry) {
                    self.warn(&pointer, format!("cannot be read: {e}; left out"));
                    entries.shift_remove(&key);
                }
            }
        }
        if let Some(e) = fails::<Components>(components) {
            self.warn(
                "#/components",
                format!("cannot be read: {e}; the components are left out"),
            );
            *components = Value::Object(Map::new());
        }
    }

    /// Returns false when the path item must go.
    fn path_item(&mut self, item: &mut Value, pointer: &str) -> bool {
        if fails::<ReferenceOr<PathItem>>(item).is_none() {
            return true;
        }
        let Value::Object(map) = item else {
            self.warn(pointer, "is not an object; left out".into());
            return false;
        };
        let methods = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        for method in methods {
            let op_pointer = push_pointer(pointer, method);
            let Some(op) = map.get_mut(method) else {
                continue;
            };
            if fails::<Operation>(op).is_none() {
                continue;
            }
            if !self.operation(op, &op_pointer) {
                map.shift_remove(method);
            }
        }
        if let Some(params) = map.get_mut("parameters") {
            self.parameters(params, &push_pointer(pointer, "parameters"));
        }
        if let Some(e) = fails::<ReferenceOr<PathItem>>(item) {
            self.warn(
                pointer,
                format!("cannot be read: {e}; its operations are left out"),
            );
            return false;
        }
        true
    }

    /// Returns false when the operation must go.
    pub(super) fn operation(&mut self, op: &mut Value, pointer: &str) -> bool {
        let Value::Object(map) = op else {
            self.warn(pointer, "is not an object; left out".into());
            return false;
        };
        if let Some(params) = map.get_mut("parameters") {
            self.parameters(params, &push_pointer(pointer, "parameters"));
        }
        if let Some(body) = map.get_mut("requestBody") {
            let body_pointer = push_pointer(pointer, "requestBody");
            if fails::<ReferenceOr<RequestBody>>(body).is_some() {
                self.schemas_inside(body, &body_pointer);
                if let Some(e) = fails::<ReferenceOr<RequestBody>>(body) {
                    self.warn(
                        &body_pointer,
                        format!("cannot be read: {e}; the body is taken as any JSON value"),
                    );
                    *body = serde_json::json!({ "content": { "application/json": {} } });
                }
            }
        }
        if let Some(Value::Object(responses)) = map.get_mut("responses") {
            let base = push_pointer(pointer, "responses");
            for (code, response) in responses.iter_mut() {
                if code.starts_with("x-") || fails::<ReferenceOr<Response>>(response).is_none() {
                    continue;
                }
                let response_pointer = push_pointer(&base, code);
                self.schemas_inside(response, &response_pointer);
                if let Some(e) = fails::<ReferenceOr<Response>>(response) {
                    self.warn(
                        &response_pointer,
                        format!("cannot be read: {e}; read as a response without a body"),
                    );
                    *response = serde_json::json!({ "description": "" });
                }
            }
        }
        for key in ["callbacks", "security", "servers", "tags", "externalDocs"] {
            if map.contains_key(key) {
                let mut probe = Map::new();
                probe.insert("responses".into(), Value::Object(Map::new()));
                if let Some(v) = map.get(key) {
                    probe.insert(key.into(), v.clone());
                }
                if let Some(e) = fails::<Operation>(&Value::Object(probe)) {
                    self.warn(
                        &push_pointer(pointer, key),
                        format!("cannot be read: {e}; left out"),
                    );
                    map.shift_remove(key);
                }
            }
        }
        if let Some(e) = fails::<Operation>(op) {
            self.warn(
                pointer,
                format!("cannot be read: {e}; the operation is left out"),
            );
            return false;
        }
        true
    }

    fn parameters(&mut self, params: &mut Value, pointer: &str) {
        let Value::Array(items) = params else {
            return;
        };
        for (i, param) in items.iter_mut().enumerate() {
            let param_pointer = push_pointer(pointer, &i.to_string());
            if fails::<ReferenceOr<Parameter>>(param).is_none() {
                continue;
            }
            self.schemas_inside(param, &param_pointer);
            if let Some(e) = fails::<ReferenceOr<Parameter>>(param) {
                self.warn(
                    &param_pointer,
                    format!("cannot be read: {e}; the parameter is left out"),
                );
                *param = Value::Null;
            }
        }
        // Left-out parameters are gone; the source map is not updated for the shift, as a
        // parameter that could not be read is rare enough for a shifted pointer after it.
        items.retain(|p| !p.is_null());
    }

    /// Salvages the schemas under `schema` and `content.*.schema` of a parameter, header,
    /// body or response.
    fn schemas_inside(&mut self, value: &mut Value, pointer: &str) {
        let Value::Object(map) = value else { return };
        if let Some(schema) = map.get_mut("schema") {
            self.schema(schema, &push_pointer(pointer, "schema"));
        }
        if let Some(Value::Object(content)) = map.get_mut("content") {
            let base = push_pointer(pointer, "content");
            for (media, mt) in content.iter_mut() {
                if let Some(schema) = mt.get_mut("schema") {
                    let p = push_pointer(&push_pointer(&base, media), "schema");
                    self.schema(schema, &p);
                }
            }
        }
        if let Some(Value::Object(headers)) = map.get_mut("headers") {
            let base = push_pointer(pointer, "headers");
            for (name, header) in headers.iter_mut() {
                let p = push_pointer(&base, name);
                self.schemas_inside(header, &p);
            }
        }
    }

    /// A schema that does not deserialise: its subschemas are salvaged first, and if it
    /// still fails it becomes "any value".
    fn schema(&mut self, schema: &mut Value, pointer: &str) {
        if fails::<ReferenceOr<Schema>>(schema).is_none() {
            return;
        }
        if let Value::Object(map) = schema {
            for (key, child) in map.iter_mut() {
                let child_pointer = push_pointer(pointer, key);
                match key.as_str() {
                    "properties" => {
                        if let Value::Object(props) = child {
                            for (name, prop) in props.iter_mut() {
                                self.schema(prop, &push_pointer(&child_pointer, name));
                            }
                        }
                    }
                    "allOf" | "anyOf" | "oneOf" => {
                        if let Value::Array(branches) = child {
                            for (i, b) in branches.iter_mut().enumerate() {
                                self.schema(b, &push_pointer(&child_pointer, &i.to_string()));
                            }
                        }
                    }
                    "items" | "not" => self.schema(child, &child_pointer),
                    "additionalProperties" if child.is_object() => {
                        self.schema(child, &child_pointer)
                    }
                    _ => {}
                }
            }
        }
        if let Some(e) = fails::<ReferenceOr<Schema>>(schema) {
            self.warn(
                pointer,
                format!("schema cannot be read: {e}; using serde_json::Value"),
            );
            *schema = Value::Object(Map::new());
        }
    }
}
