//! Values synthesised from a schema, for documents that carry no examples of their own:
//! the corpus decodes one per JSON success response of such a spec into its Rust type.
//!
//! A value takes every property (required and optional), the first value of an `enum`,
//! the first branch of a `oneOf`/`anyOf` that is not `null` (the branch a tagged union's
//! `discriminator` names, when it has a mapping), one item per array, and for strings a
//! value of their format in the form real servers send: a `date-time` without offset and
//! with microseconds, as Python's `isoformat()` writes it (FastAPI documents such as the
//! PI API's), so typed formats are held to it. Recursion stops at a fixed depth, where
//! only required properties are kept and arrays are empty.

use serde_json::{Map, Value, json};

/// How deep `$ref`s are followed before only required properties are kept.
const DEPTH: usize = 6;
/// Past this depth a value is `null`, which an optional property accepts.
const LIMIT: usize = 12;

/// A value for `schema` in `spec`.
pub fn value(spec: &Value, schema: &Value) -> Value {
    synth(spec, schema, 0)
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    let mut current = schema;
    for _ in 0..16 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with('#') => match spec.pointer(&r[1..]) {
                Some(target) => current = target,
                None => return current,
            },
            _ => return current,
        }
    }
    current
}

fn is_null(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema.get("nullable") == Some(&Value::Bool(true)) && schema.get("type").is_none()
}

fn synth(spec: &Value, schema: &Value, depth: usize) -> Value {
    if depth > LIMIT {
        return Value::Null;
    }
    let schema = resolve(spec, schema);
    if let Some(c) = schema.get("const") {
        return c.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for branch in all {
            if let Value::Object(m) = synth(spec, branch, depth + 1) {
                merged.extend(m);
            }
        }
        if let Value::Object(own) = object(spec, schema, depth) {
            merged.extend(own);
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let chosen = branches
                .iter()
                .find(|b| !is_null(resolve(spec, b)))
                .or(branches.first());
            return chosen.map_or(Value::Null, |b| synth(spec, b, depth + 1));
        }
    }
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ if schema.get("items").is_some() => "array",
        _ => "",
    };
    match ty {
        "string" => string(schema),
        "integer" => json!(
            schema
                .get("minimum")
                .and_then(Value::as_i64)
                .unwrap_or(1)
                .max(1)
        ),
        "number" => json!(
            schema
                .get("minimum")
                .and_then(Value::as_f64)
                .unwrap_or(1.5)
                .max(1.5)
        ),
        "boolean" => json!(true),
        // Deep down, arrays are empty: recursive schemas recurse through them.
        "array" => match schema.get("items") {
            Some(items) if depth < DEPTH => json!([synth(spec, items, depth + 1)]),
            _ => json!([]),
        },
        "object" => object(spec, schema, depth),
        "null" => Value::Null,
        _ => json!({}),
    }
}

fn object(spec: &Value, schema: &Value, depth: usize) -> Value {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = Map::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            if depth >= DEPTH && !required.contains(&name.as_str()) {
                continue;
            }
            out.insert(name.clone(), synth(spec, property, depth + 1));
        }
    }
    Value::Object(out)
}

fn string(schema: &Value) -> Value {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    json!(match format {
        "date-time" => "2024-05-01T10:00:00.123456",
        "date" => "2024-05-01",
        "time" => "10:00:00",
        "duration" => "PT1H30M",
        "uuid" => "4f9c2b1e-8d3a-4c5b-9e7f-1a2b3c4d5e6f",
        "uri" | "url" => "https://example.com/a",
        "email" => "someone@example.com",
        "byte" => "aGVsbG8=",
        "decimal" => "10.50",
        "ipv4" => "192.0.2.1",
        _ => "text",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_refs_unions_and_formats() {
        let spec = json!({"components": {"schemas": {
            "Pod": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "created": {"anyOf": [{"type": "null"}, {"type": "string", "format": "date-time"}]},
                "status": {"$ref": "#/components/schemas/Status"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "parent": {"$ref": "#/components/schemas/Pod"}
            }},
            "Status": {"type": "string", "enum": ["RUNNING", "STOPPED"]}
        }}});
        let v = value(&spec, &json!({"$ref": "#/components/schemas/Pod"}));
        assert_eq!(v["id"], "4f9c2b1e-8d3a-4c5b-9e7f-1a2b3c4d5e6f");
        assert_eq!(v["created"], "2024-05-01T10:00:00.123456");
        assert_eq!(v["status"], "RUNNING");
        assert_eq!(v["tags"], json!(["text"]));
        // Recursion ends: deep enough, only the required `id` is kept.
        let mut depth = 0;
        let mut node = &v;
        while let Some(parent) = node.get("parent") {
            node = parent;
            depth += 1;
        }
        assert!(depth < LIMIT, "{depth}");
        assert!(node.get("id").is_some());
    }
}
