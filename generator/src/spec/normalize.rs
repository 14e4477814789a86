//! Rewrites OpenAPI 3.1 (JSON Schema 2020-12) constructs into the 3.0 shapes `openapiv3`
//! can deserialise, without losing what they mean:
//!
//! - `type: [T, "null"]` → `type: T, nullable: true`; several non-null types → `anyOf`.
//! - `anyOf`/`oneOf` with a `{type: "null"}` branch → the other branches, `nullable: true`.
//! - `type: "null"` alone → `nullable: true` plus the marker [`super::NULL_MARKER`].
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` + boolean flag.
//! - `const: v` → `enum: [v]`.
//! - `examples: [..]` in a schema → `example` (the first one).
//! - `$ref` with sibling keywords → `allOf: [{$ref}]` with the siblings beside it, so the
//!   sibling `description` and `default` are kept (`openapiv3` would drop them).
//! - a string with a binary `contentMediaType` and no `contentEncoding` (3.1's raw file) →
//!   `format: binary` (3.0's), which the typed model keeps.
//!
//! 3.0 documents pass through unchanged except where they already use these 3.1 forms,
//! as real specs do.

use serde_json::{Map, Value};

fn is_null_schema(v: &Value) -> bool {
    match v {
        Value::Object(m) => {
            m.get("type").and_then(Value::as_str) == Some("null")
                || m.get(super::NULL_MARKER) == Some(&Value::Bool(true))
        }
        _ => false,
    }
}

/// Normalises one schema whose subschemas are normalised already (the repair walk goes
/// depth first).
pub(super) fn schema(map: &mut Map<String, Value>) {
    if map.contains_key("$ref") && map.len() > 1 {
        let reference = map.remove("$ref").unwrap_or(Value::Null);
        let mut only_ref = Map::new();
        only_ref.insert("$ref".into(), reference);
        map.insert("allOf".into(), Value::Array(vec![Value::Object(only_ref)]));
    }

    type_array(map);
    binary_string(map);

    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            let before = branches.len();
            branches.retain(|b| !is_null_schema(b));
            if branches.len() != before {
                if branches.is_empty() {
                    map.remove(key);
                    mark_null(map);
                } else {
                    map.insert("nullable".into(), Value::Bool(true));
                }
            }
        }
    }

    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = map.get(exclusive) {
            let n = n.clone();
            map.insert(bound.into(), Value::Number(n));
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }

    if let Some(constant) = map.remove("const") {
        map.entry("enum")
            .or_insert_with(|| Value::Array(vec![constant]));
    }

    if let Some(examples) = map.get("examples") {
        if let Value::Array(list) = examples
            && let Some(first) = list.first()
        {
            let first = first.clone();
            map.entry("example").or_insert(first);
        }
        map.remove("examples");
    }
}

fn mark_null(map: &mut Map<String, Value>) {
    map.remove("type");
    map.insert("nullable".into(), Value::Bool(true));
    map.insert(super::NULL_MARKER.into(), Value::Bool(true));
}

/// `type` as an array (3.1), or `type: "null"`.
fn type_array(map: &mut Map<String, Value>) {
    match map.get("type") {
        Some(Value::String(t)) if t == "null" => mark_null(map),
        Some(Value::Array(types)) => {
            let mut types: Vec<String> = types
                .iter()
                .filter_map(|t| t.as_str().map(String::from))
                .collect();
            let had_null = types.iter().any(|t| t == "null");
            types.retain(|t| t != "null");
            match types.len() {
                0 => mark_null(map),
                1 => {
                    map.insert("type".into(), Value::String(types.remove(0)));
                    if had_null {
                        map.insert("nullable".into(), Value::Bool(true));
                    }
                }
                _ => {
                    map.remove("type");
                    let branches = types
                        .into_iter()
                        .map(|t| {
                            let mut branch = Map::new();
                            // Keywords that only apply to one type travel with that branch.
                            let keys: &[&str] = match t.as_str() {
                                "array" => &["items", "minItems", "maxItems", "uniqueItems"],
                                "object" => &["properties", "required", "additionalProperties"],
                                "string" => {
                                    &["format", "enum", "pattern", "minLength", "maxLength"]
                                }
                                _ => &[],
                            };
                            for k in keys {
                                if let Some(v) = map.get(*k) {
                                    branch.insert((*k).into(), v.clone());
                                }
                            }
                            branch.insert("type".into(), Value::String(t));
                            Value::Object(branch)
                        })
                        .collect();
                    for k in [
                        "items",
                        "minItems",
                        "maxItems",
                        "uniqueItems",
                        "properties",
                        "required",
                        "additionalProperties",
                        "format",
                        "enum",
                        "pattern",
                        "minLength",
                        "maxLength",
                    ] {
                        map.remove(k);
                    }
                    map.insert("anyOf".into(), Value::Array(branches));
                    if had_null {
                        map.insert("nullable".into(), Value::Bool(true));
                    }
                }
            }
        }
        _ => {}
    }
}

/// 3.1 writes a file as `type: string, contentMediaType: image/png` (no `contentEncoding`:
/// the raw bytes); 3.0 as `format: binary`. Text and JSON media types stay strings.
fn binary_string(map: &mut Map<String, Value>) {
    let Some(media) = map.get("contentMediaType").and_then(Value::as_str) else {
        return;
    };
    let media = media.trim().to_ascii_lowercase();
    let text = media.starts_with("text/") || media.contains("json") || media.is_empty();
    let string = map.get("type").and_then(Value::as_str) == Some("string");
    if string && !text && !map.contains_key("contentEncoding") && !map.contains_key("format") {
        map.insert("format".into(), Value::String("binary".into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Normalises depth first, as the repair walk does.
    fn norm(mut v: Value) -> Value {
        fn go(v: &mut Value) {
            let Value::Object(map) = v else { return };
            for (_, child) in map.iter_mut() {
                match child {
                    Value::Object(_) => go(child),
                    Value::Array(items) => items.iter_mut().for_each(go),
                    _ => {}
                }
            }
            schema(map);
        }
        go(&mut v);
        v
    }

    #[test]
    fn nullable_forms_become_3_0() {
        assert_eq!(
            norm(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            norm(json!({"anyOf": [{"type": "integer"}, {"type": "null"}], "title": "T"})),
            json!({"anyOf": [{"type": "integer"}], "title": "T", "nullable": true})
        );
        assert_eq!(
            norm(json!({"type": "null"})),
            json!({"nullable": true, super::super::NULL_MARKER: true})
        );
    }

    #[test]
    fn ref_siblings_are_kept() {
        assert_eq!(
            norm(json!({"$ref": "#/components/schemas/A", "description": "d", "default": "x"})),
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "description": "d", "default": "x"})
        );
        assert_eq!(
            norm(json!({"$ref": "#/components/schemas/A"})),
            json!({"$ref": "#/components/schemas/A"})
        );
    }

    #[test]
    fn numeric_bounds_const_and_examples() {
        assert_eq!(
            norm(json!({"type": "number", "exclusiveMinimum": 0.0})),
            json!({"type": "number", "minimum": 0.0, "exclusiveMinimum": true})
        );
        assert_eq!(
            norm(json!({"type": "string", "const": "DISK"})),
            json!({"type": "string", "enum": ["DISK"]})
        );
        assert_eq!(
            norm(json!({"type": "integer", "examples": [1, 2]})),
            json!({"type": "integer", "example": 1})
        );
    }

    #[test]
    fn a_binary_content_media_type_is_a_binary_string() {
        let mut file = serde_json::json!({"type": "string", "contentMediaType": "image/png"});
        let mut text = serde_json::json!({"type": "string", "contentMediaType": "text/csv"});
        let mut base64 = serde_json::json!({"type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"});
        for v in [&mut file, &mut text, &mut base64] {
            schema(v.as_object_mut().unwrap());
        }
        assert_eq!(file["format"], "binary");
        assert!(text.get("format").is_none() && base64.get("format").is_none());
    }
}
