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
use std::collections::BTreeSet;

/// How deep `$ref`s are followed before only required properties are kept.
const DEPTH: usize = 6;
/// Past this depth a value is `null`, which an optional property accepts.
const LIMIT: usize = 12;

/// A value for `schema` in `spec`.
pub fn value(spec: &Value, schema: &Value) -> Value {
    synth(spec, schema, 0)
}

/// `schema` with local `$ref`s followed (at most 16 in a row).
pub fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
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
        let branches = all.iter().map(|b| synth(spec, b, depth + 1));
        return all_of(branches, object(spec, schema, depth));
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
        _ => implied_type(schema),
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

/// Sets a discriminated union's property to the value naming `branch`: its key in the
/// `discriminator`'s `mapping`, else (when the value has none) the name of the component
/// it refers to, OpenAPI's implicit mapping. JSON Schema ignores the discriminator, but a
/// server routes on it, and without it a value may fit several branches.
fn discriminate(union: &Value, branch: &Value, value: &mut Value) {
    let Some(discriminator) = union.get("discriminator") else {
        return;
    };
    let (Some(property), Value::Object(object)) = (
        discriminator.get("propertyName").and_then(Value::as_str),
        value,
    ) else {
        return;
    };
    let Some(reference) = branch.get("$ref").and_then(Value::as_str) else {
        return;
    };
    let mapped = discriminator
        .get("mapping")
        .and_then(Value::as_object)
        .and_then(|m| m.iter().find(|(_, v)| v.as_str() == Some(reference)))
        .map(|(k, _)| k.clone());
    match mapped {
        Some(key) => {
            object.insert(property.to_string(), Value::String(key));
        }
        None => {
            if let Some(name) = reference.rsplit('/').next() {
                object
                    .entry(property.to_string())
                    .or_insert_with(|| Value::String(name.to_string()));
            }
        }
    }
}

/// The property names `schema` describes, through `$ref`s and `allOf`s.
pub fn described(spec: &Value, schema: &Value, depth: usize, out: &mut BTreeSet<String>) {
    let schema = resolve(spec, schema);
    if depth > DEPTH {
        return;
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        out.extend(properties.keys().cloned());
    }
    for b in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        described(spec, b, depth + 1, out);
    }
}

/// The names `schema` requires, through `$ref`s and `allOf`s.
pub fn required_names(spec: &Value, schema: &Value, depth: usize, out: &mut BTreeSet<String>) {
    let schema = resolve(spec, schema);
    if depth > DEPTH {
        return;
    }
    let names = schema.get("required").and_then(Value::as_array);
    out.extend(
        names
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(String::from),
    );
    for b in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        required_names(spec, b, depth + 1, out);
    }
}

/// The schema `schema` gives property `name`, through `$ref`s and `allOf`s.
fn property_schema<'s>(
    spec: &'s Value,
    schema: &'s Value,
    name: &str,
    depth: usize,
) -> Option<&'s Value> {
    let schema = resolve(spec, schema);
    if depth > DEPTH {
        return None;
    }
    schema
        .get("properties")
        .and_then(|p| p.get(name))
        .or_else(|| {
            schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find_map(|b| property_schema(spec, b, name, depth + 1))
        })
}

/// The value of an `allOf`: its branches' objects merged with the schema's own
/// properties; a branch that is not an object (`allOf: [{type: string, format: uuid}]`,
/// a common way to give a `$ref` or a type a title) is the value itself.
fn all_of(branches: impl Iterator<Item = Value>, own: Value) -> Value {
    let mut merged = Map::new();
    let mut scalar = None;
    for value in branches.chain([own]) {
        match value {
            Value::Object(m) => merged.extend(m),
            other => {
                scalar.get_or_insert(other);
            }
        }
    }
    match scalar {
        Some(value) if merged.is_empty() => value,
        _ => Value::Object(merged),
    }
}

/// The type a schema without `type` has by its keywords (JSON Schema applies each keyword
/// only to values of its type, and documents leave `type` out beside them); `""` when
/// nothing tells.
fn implied_type(schema: &Value) -> &'static str {
    let has = |keys: &[&str]| keys.iter().any(|k| schema.get(*k).is_some());
    let format = schema.get("format").and_then(Value::as_str);
    if matches!(format, Some("int32" | "int64")) {
        "integer"
    } else if matches!(format, Some("float" | "double")) {
        "number"
    } else if has(&["properties", "additionalProperties"])
        || schema.get("required").is_some_and(Value::is_array)
    {
        "object"
    } else if has(&["items", "minItems", "maxItems", "uniqueItems"]) {
        "array"
    } else if has(&["format", "pattern", "minLength", "maxLength"]) {
        "string"
    } else if has(&[
        "minimum",
        "maximum",
        "multipleOf",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ]) {
        "number"
    } else {
        ""
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

/// A value to send for `schema` in a request: the schema's own example where it has one,
/// else synthesised to be valid for it where that is feasible: formats in their RFC form
/// (a `date-time` with its offset), numbers within `minimum`/`maximum` and on
/// `multipleOf`, strings within `minLength`/`maxLength`, `minItems` items, `readOnly`
/// properties left out; with `all`, every property, else only the required ones. A
/// `pattern` is not generated for: a value of such a string comes from an example or is
/// the harness's gap, which the conformance report shows as a violation.
pub fn request_value(spec: &Value, schema: &Value, all: bool) -> Value {
    request(spec, schema, all, true, 0)
}

/// As [`request_value`], with no example of the document's anywhere in it: what is sent
/// when an example is flagged (some documents' examples do not fit their own schemas).
pub fn synthesised_request_value(spec: &Value, schema: &Value, all: bool) -> Value {
    request(spec, schema, all, false, 0)
}

fn request(spec: &Value, schema: &Value, all: bool, examples: bool, depth: usize) -> Value {
    if depth > LIMIT {
        return Value::Null;
    }
    let schema = resolve(spec, schema);
    if let Some(example) = schema.get("example").filter(|e| examples && !e.is_null()) {
        return example.clone();
    }
    if let Some(example) = schema
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
        .filter(|e| examples && !e.is_null())
    {
        return example.clone();
    }
    if let Some(c) = schema.get("const") {
        return c.clone();
    }
    // The first listed value of the schema's type: a value of another type (YAML's
    // unquoted `3` under `type: string`) is never valid, whatever `enum` says.
    let typed = |v: &&Value| match schema.get("type") {
        Some(Value::String(t)) => of_type(v, t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(|t| of_type(v, t)),
        _ => true,
    };
    // With none of its type, `null` where the schema allows it (`type: string, nullable:
    // true, enum: [4.1, null]` admits only `null`).
    let nullable = schema.get("nullable") == Some(&Value::Bool(true))
        || schema
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|ts| ts.iter().any(|t| t == "null"));
    if let Some(enumeration) = schema.get("enum").and_then(Value::as_array)
        && let Some(first) = enumeration
            .iter()
            .filter(|v| !v.is_null())
            .find(typed)
            .or_else(|| enumeration.iter().find(|v| v.is_null() && nullable))
            .or_else(|| enumeration.iter().find(|v| !v.is_null()))
    {
        return first.clone();
    }
    if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
        // A branch that requires a name another branch describes (`allOf: [{$ref: Option},
        // {required: [data]}]`) leaves its value to that branch, rather than overwrite it
        // with the any-value it gives a name nobody describes.
        let mut described_somewhere = BTreeSet::new();
        for b in branches {
            described(spec, b, 0, &mut described_somewhere);
        }
        let values = branches.iter().map(|b| {
            let mut value = request(spec, b, all, examples, depth + 1);
            if let Value::Object(m) = &mut value {
                let mut own = BTreeSet::new();
                described(spec, b, 0, &mut own);
                m.retain(|k, _| own.contains(k) || !described_somewhere.contains(k));
            }
            value
        });
        // So does the schema's own `required` beside the `allOf`
        // (`{allOf: [{$ref: Base}], required: [interval]}`).
        let mut own = request_object(spec, schema, all, examples, depth, &[], &[]);
        if let Value::Object(m) = &mut own {
            let described_here = schema.get("properties").and_then(Value::as_object);
            m.retain(|k, _| {
                described_here.is_some_and(|p| p.contains_key(k))
                    || !described_somewhere.contains(k)
            });
        }
        let mut merged = all_of(values, own);
        // A name one branch (or the schema itself) requires and another describes is sent
        // as described.
        if let Value::Object(m) = &mut merged {
            let mut required = BTreeSet::new();
            required_names(spec, schema, 0, &mut required);
            for name in required {
                if m.contains_key(&name) {
                    continue;
                }
                if let Some(property) = branches
                    .iter()
                    .find_map(|b| property_schema(spec, b, &name, 0))
                {
                    m.insert(name, request(spec, property, all, examples, depth + 1));
                }
            }
        }
        return merged;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let chosen = branches
                .iter()
                .find(|b| !is_null(resolve(spec, b)))
                .or(branches.first());
            let mut value =
                chosen.map_or(Value::Null, |b| request(spec, b, all, examples, depth + 1));
            if let Some(b) = chosen {
                discriminate(schema, b, &mut value);
            }
            // A branch that says nothing of the type the union's own `type` names
            // (`type: string, oneOf: [{description: ..}, ..]`) gives a value of that type.
            if let Some(own) = schema.get("type").and_then(Value::as_str)
                && own != "object"
                && !of_type(&value, own)
            {
                let mut plain = schema.clone();
                if let Some(plain) = plain.as_object_mut() {
                    plain.remove(key);
                }
                return request(spec, &plain, all, examples, depth + 1);
            }
            if schema.get("properties").is_none() {
                return value;
            }
            // Properties beside the union, whose branches often only say which of them
            // are required (`oneOf: [{required: [a]}, {required: [b, c]}]`): the chosen
            // branch's are sent, and for `oneOf` no property only another branch requires,
            // which would make the value match two branches.
            let required = |b: &Value| -> Vec<String> {
                resolve(spec, b)
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| {
                        r.iter()
                            .filter_map(Value::as_str)
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let chosen_required = chosen.map(required).unwrap_or_default();
            let own_required = required(schema);
            let others: Vec<String> = if key == "oneOf" {
                branches
                    .iter()
                    .flat_map(required)
                    .filter(|n| !chosen_required.contains(n) && !own_required.contains(n))
                    .collect()
            } else {
                Vec::new()
            };
            let own = request_object(
                spec,
                schema,
                all,
                examples,
                depth,
                &chosen_required,
                &others,
            );
            return all_of([value].into_iter(), own);
        }
    }
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ => implied_type(schema),
    };
    match ty {
        "string" => {
            let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
            let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
            let max = schema.get("maxLength").and_then(Value::as_u64);
            let pattern = schema.get("pattern").and_then(Value::as_str);
            let canned = match format {
                "date-time" => Some("2024-05-01T10:00:00Z"),
                "time" => Some("10:00:00Z"),
                "binary" => Some("conform"),
                _ => None,
            };
            // A pattern is the stricter word: a format's usual value that it refuses
            // gives way to one drawn from the pattern.
            let mut text = match (canned, pattern) {
                (Some(canned), Some(pattern)) if !matches_pattern(pattern, canned) => {
                    matching(pattern, min, max.map(|m| m as usize)).unwrap_or_else(|| canned.into())
                }
                (Some(canned), _) => canned.to_string(),
                (None, Some(pattern)) => {
                    matching(pattern, min, max.map(|m| m as usize)).unwrap_or_else(|| "text".into())
                }
                (None, None) => string(schema).as_str().unwrap_or("text").to_string(),
            };
            // Padding is the last resort: it may break a pattern, which `matching` tries
            // to satisfy with the length in mind first.
            while text.chars().count() < min {
                text.push('x');
            }
            if let Some(max) = max {
                text = text.chars().take(max as usize).collect();
            }
            json!(text)
        }
        "integer" | "number" => {
            let int = ty == "integer";
            let num = |k: &str| schema.get(k).and_then(Value::as_f64);
            // 3.0's boolean exclusive bounds and 3.1's numeric ones.
            let mut low =
                num("minimum")
                    .unwrap_or(1.0)
                    .max(if num("maximum").is_some_and(|m| m < 1.0) {
                        f64::MIN
                    } else {
                        1.0
                    });
            if let Some(x) = num("exclusiveMinimum") {
                low = low.max(x + 1.0);
            } else if schema.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
                low += 1.0;
            }
            let mut high = num("maximum").unwrap_or(f64::MAX);
            if let Some(x) = num("exclusiveMaximum") {
                high = high.min(x - 1.0);
            } else if schema.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
                high -= 1.0;
            }
            let mut v = if low <= high { low } else { high };
            if let Some(step) = num("multipleOf").filter(|s| *s > 0.0) {
                v = (v / step).ceil() * step;
            }
            if int {
                json!(v.ceil() as i64)
            } else {
                json!(v)
            }
        }
        "boolean" => json!(true),
        "array" => {
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
            // `items` as a list (draft 4's tuples; not OpenAPI's) is read as its first
            // schema, as the generator reads it.
            let items = match schema.get("items") {
                Some(Value::Array(list)) => list.first(),
                other => other,
            };
            match items {
                // Deep down only what is required: items only when `minItems` asks.
                Some(items) if depth < DEPTH || min > 0 => {
                    let n = min.max(1);
                    let item = request(spec, items, all, examples, depth + 1);
                    let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
                    let values: Vec<Value> = (0..n)
                        .map(|i| {
                            if unique {
                                distinct(&item, i)
                            } else {
                                item.clone()
                            }
                        })
                        .collect();
                    json!(values)
                }
                _ => json!([]),
            }
        }
        "object" => request_object(spec, schema, all, examples, depth, &[], &[]),
        "null" => Value::Null,
        _ => json!({}),
    }
}

/// `pattern` as the sampler should read it. The drawn string is the whole value, so anchors
/// (`^`, `$` outside a class, in any alternative: `^ssh-rsa |^ecdsa `) say nothing more,
/// and the sampler takes none. ECMA-262's `\d` and `\w` are ASCII, where Rust's regex
/// reads them as Unicode (a drawn Arabic-Indic digit fails the server's `\d`).
fn sampleable(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('d') => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                Some('w') => out.push_str(if in_class {
                    "A-Za-z0-9_"
                } else {
                    "[A-Za-z0-9_]"
                }),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A leading `^` negates the class, and a `]` right after is literal.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                if chars.peek() == Some(&']') {
                    out.push(chars.next().unwrap_or(']'));
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '^' | '$' if !in_class => {}
            _ => out.push(c),
        }
    }
    out
}

/// The `i`th of several items that must differ (`uniqueItems`): a number or text made
/// different by `i`, an object by its first such member; the first item is `value` itself.
fn distinct(value: &Value, i: usize) -> Value {
    if i == 0 {
        return value.clone();
    }
    match value {
        Value::String(s) => json!(format!("{s}{i}")),
        Value::Number(n) => match n.as_i64() {
            Some(n) => json!(n + i as i64),
            None => json!(n.as_f64().unwrap_or(0.0) + i as f64),
        },
        Value::Object(map) => {
            let mut map = map.clone();
            if let Some(slot) = map.values_mut().find(|v| v.is_string() || v.is_number()) {
                *slot = distinct(slot, i);
            }
            Value::Object(map)
        }
        other => other.clone(),
    }
}

/// Whether `value` is of JSON Schema type `ty`.
fn of_type(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}

/// Whether `text` matches `pattern` as JSON Schema reads it (ECMA-262, unanchored), by
/// the independent validator; a pattern it cannot read counts as matched.
fn matches_pattern(pattern: &str, text: &str) -> bool {
    jsonschema::validator_for(&json!({ "pattern": pattern }))
        .map_or(true, |v| v.is_valid(&json!(text)))
}

/// A string matching `pattern` (ECMA-262, read as Rust's regex syntax, which agrees on the
/// forms schemas use), drawn with a fixed seed so runs repeat; `None` for a pattern that
/// does not parse. Unanchored patterns match the drawn string as a whole too. Draws
/// until one is `min` to `max` characters long (an unbounded repeat may run to `min`), or
/// gives the first draw.
fn matching(pattern: &str, min: usize, max: Option<usize>) -> Option<String> {
    use rand::SeedableRng;
    use rand::distr::Distribution;
    let whole = sampleable(pattern);
    let repeats = u32::try_from(min.max(8)).unwrap_or(u32::MAX);
    let generator = rand_regex::Regex::compile(&whole, repeats).ok()?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let first: String = generator.sample(&mut rng);
    let fits = |s: &str| {
        let n = s.chars().count();
        n >= min && max.is_none_or(|m| n <= m)
    };
    if fits(&first) {
        return Some(first);
    }
    Some(
        (0..1000)
            .map(|_| generator.sample(&mut rng))
            .find(|s: &String| fits(s))
            .unwrap_or(first),
    )
}

/// An object's properties: the required ones (its own and `also_required`), with `all`
/// the others too, never those in `leave_out` or `readOnly` ones.
fn request_object(
    spec: &Value,
    schema: &Value,
    all: bool,
    examples: bool,
    depth: usize,
    also_required: &[String],
    leave_out: &[String],
) -> Value {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = Map::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let needed = required.contains(&name.as_str()) || also_required.contains(name);
            let read_only = resolve(spec, property).get("readOnly") == Some(&Value::Bool(true));
            if read_only || leave_out.contains(name) || (!needed && (!all || depth >= DEPTH)) {
                continue;
            }
            out.insert(
                name.clone(),
                request(spec, property, all, examples, depth + 1),
            );
        }
    }
    // A required name without a schema under `properties` must be there all the same,
    // with any value (or one of the map's, when `additionalProperties` has a schema).
    let values = schema.get("additionalProperties").filter(|v| v.is_object());
    // Only the schema's own `required`: names a union's branch requires (`also_required`)
    // are the branch's to describe and send.
    for name in required.iter().copied() {
        let described = schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| p.contains_key(name));
        if !described && !leave_out.iter().any(|l| l == name) {
            let value = values.map_or(json!("text"), |v| {
                request(spec, v, all, examples, depth + 1)
            });
            out.insert(name.to_string(), value);
        }
    }
    // A map (`additionalProperties` with a schema) gets one entry: an empty object is an
    // empty form, which a server cannot tell from no body.
    if out.is_empty()
        && let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object())
    {
        out.insert(
            "key".into(),
            request(spec, values, all, examples, depth + 1),
        );
    }
    // No more than `maxProperties`: the required names first, then the others in order.
    if let Some(max) = schema.get("maxProperties").and_then(Value::as_u64)
        && out.len() as u64 > max
    {
        let mut kept = Map::new();
        let names: Vec<String> = out.keys().cloned().collect();
        let ordered = names
            .iter()
            .filter(|n| required.contains(&n.as_str()))
            .chain(names.iter().filter(|n| !required.contains(&n.as_str())));
        for name in ordered.take(max as usize) {
            if let Some(value) = out.remove(name) {
                kept.insert(name.clone(), value);
            }
        }
        out = kept;
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_values_match_patterns_and_bounds() {
        let schema = json!({"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$", "maxLength": 255},
            "id": {"type": "string", "readOnly": true},
            "count": {"type": "integer", "minimum": 5, "multipleOf": 4},
            "at": {"type": "string", "format": "date-time"},
            "tags": {"type": "array", "minItems": 2, "items": {"type": "string", "minLength": 6}}
        }});
        let v = request_value(&json!({}), &schema, true);
        let name = v["name"].as_str().unwrap();
        assert!(
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
            "{name}"
        );
        assert!(v.get("id").is_none(), "read-only properties are not sent");
        assert_eq!(v["count"], 8);
        assert_eq!(v["at"], "2024-05-01T10:00:00Z");
        assert_eq!(v["tags"], json!(["textxx", "textxx"]));
        let required = request_value(&json!({}), &schema, false);
        assert_eq!(required.as_object().unwrap().len(), 1, "{required}");
    }

    #[test]
    fn patterns_are_sampled_with_ecma_classes_and_anchors_in_every_alternative() {
        assert_eq!(sampleable(r"^\d+\.\d+$"), r"[0-9]+\.[0-9]+");
        assert_eq!(sampleable(r"^ssh-rsa |^ecdsa "), "ssh-rsa |ecdsa ");
        assert_eq!(sampleable(r"^[^$\w]\\d$"), r"[^$A-Za-z0-9_]\\d");
        let version = json!({"type": "string", "pattern": r"^\d+\.\d+\.\d+([\-\+].+)?$"});
        let v = request_value(&json!({}), &version, true);
        let v = v.as_str().unwrap();
        let core: Vec<&str> = v.splitn(3, '.').collect();
        assert!(
            core.len() == 3 && core[0].chars().all(|c| c.is_ascii_digit()),
            "{v}"
        );
        let key = json!({"type": "string", "pattern": "^ssh-(rsa|dss|ed25519) |^ecdsa-sha2-nistp(256|384|521) "});
        let v = request_value(&json!({}), &key, true);
        let v = v.as_str().unwrap();
        assert!(v.starts_with("ssh-") || v.starts_with("ecdsa-"), "{v}");
    }

    #[test]
    fn a_union_whose_branches_name_no_type_takes_its_own() {
        let schema =
            json!({"type": "string", "oneOf": [{"description": "one"}, {"description": "two"}]});
        assert_eq!(request_value(&json!({}), &schema, true), json!("text"));
    }

    #[test]
    fn an_all_of_branch_leaves_a_name_it_only_requires_to_the_branch_describing_it() {
        let spec = json!({"components": {"schemas": {
            "Editable": {"type": "object", "properties": {"data": {"type": "object", "properties": {"v": {"type": "integer"}}, "required": ["v"]}}},
            "Option": {"allOf": [{"$ref": "#/components/schemas/Editable"}, {"type": "object", "required": ["data", "id"]}]}
        }}});
        let value = request_value(
            &spec,
            &json!({"$ref": "#/components/schemas/Option"}),
            false,
        );
        assert_eq!(value, json!({"data": {"v": 1}, "id": "text"}));
        let beside =
            json!({"allOf": [{"$ref": "#/components/schemas/Editable"}], "required": ["data"]});
        assert_eq!(
            request_value(&spec, &beside, false),
            json!({"data": {"v": 1}})
        );
    }

    #[test]
    fn a_discriminated_union_names_its_branch() {
        let spec = json!({"components": {"schemas": {
            "Text": {"type": "object", "required": ["text"], "properties": {
                "type": {"type": "string"}, "text": {"type": "string"}}},
            "Image": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}}
        }}});
        let mapped = json!({"oneOf": [{"$ref": "#/components/schemas/Text"}, {"$ref": "#/components/schemas/Image"}],
            "discriminator": {"propertyName": "type", "mapping": {"text": "#/components/schemas/Text"}}});
        assert_eq!(
            request_value(&spec, &mapped, false),
            json!({"text": "text", "type": "text"})
        );
        let implicit = json!({"oneOf": [{"$ref": "#/components/schemas/Image"}],
            "discriminator": {"propertyName": "kind"}});
        assert_eq!(
            request_value(&spec, &implicit, false),
            json!({"url": "text", "kind": "Image"})
        );
    }

    #[test]
    fn an_object_has_no_more_than_its_max_properties() {
        let schema = json!({"type": "object", "maxProperties": 2, "required": ["c"], "properties": {
            "a": {"type": "integer"}, "b": {"type": "integer"}, "c": {"type": "integer"}}});
        let value = request_value(&json!({}), &schema, true);
        let names: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(names, ["c", "a"]);
    }

    #[test]
    fn an_enum_value_of_the_schema_type_is_chosen() {
        let yaml_number = json!({"type": "string", "enum": [3, "4", null]});
        assert_eq!(request_value(&json!({}), &yaml_number, true), json!("4"));
        let only_null = json!({"type": "string", "nullable": true, "enum": [4.1, null]});
        assert_eq!(request_value(&json!({}), &only_null, true), json!(null));
        let untyped = json!({"enum": [null, 3]});
        assert_eq!(request_value(&json!({}), &untyped, true), json!(3));
    }

    #[test]
    fn a_pattern_wins_over_a_format_value_it_refuses() {
        let literal =
            json!({"type": "string", "format": "date-time", "pattern": "YYYY-MM-DDThh:mm:ssZ"});
        assert_eq!(
            request_value(&json!({}), &literal, true),
            json!("YYYY-MM-DDThh:mm:ssZ")
        );
        let agreeing = json!({"type": "string", "format": "date-time", "pattern": "^\\d{4}-"});
        assert_eq!(
            request_value(&json!({}), &agreeing, true),
            json!("2024-05-01T10:00:00Z")
        );
    }

    #[test]
    fn a_patterned_string_meets_its_length_bounds_without_padding() {
        // An unbounded repeat drawn to at least `minLength` (padding with `x` would not
        // be hexadecimal), and a bounded one drawn within `maxLength`.
        let sha = json!({"type": "string", "pattern": "^[0-9a-fA-F]+$", "minLength": 40});
        let v = request_value(&json!({}), &sha, true);
        let v = v.as_str().unwrap();
        assert!(
            v.len() >= 40 && v.chars().all(|c| c.is_ascii_hexdigit()),
            "{v}"
        );
        let short =
            json!({"type": "string", "pattern": "^[a-z]{1,20}$", "minLength": 3, "maxLength": 4});
        let v = request_value(&json!({}), &short, true);
        let v = v.as_str().unwrap();
        assert!(
            (3..=4).contains(&v.len()) && v.chars().all(|c| c.is_ascii_lowercase()),
            "{v}"
        );
    }

    #[test]
    fn request_values_pick_one_branch_of_a_union_of_required_sets() {
        let schema = json!({"type": "object",
            "properties": {
                "status": {"type": "string", "enum": ["all"]},
                "thread_id": {"type": "string", "format": "uuid"},
                "run_ids": {"type": "array", "items": {"type": "string"}}
            },
            "oneOf": [{"required": ["status"]}, {"required": ["thread_id", "run_ids"]}]});
        let v = request_value(&json!({}), &schema, true);
        assert_eq!(v, json!({"status": "all"}));
        let v = request_value(&json!({}), &schema, false);
        assert_eq!(v, json!({"status": "all"}));
        // A titled wrapper around a type is that type's value, not an object.
        let schema =
            json!({"oneOf": [{"title": "id", "allOf": [{"type": "string", "format": "uuid"}]}]});
        assert_eq!(
            request_value(&json!({}), &schema, true),
            json!("4f9c2b1e-8d3a-4c5b-9e7f-1a2b3c4d5e6f")
        );
        assert_eq!(
            request_value(&json!({}), &json!({"format": "int64"}), true),
            json!(1)
        );
    }

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
