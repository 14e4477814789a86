//! Load stage: spec text (JSON or YAML) → `serde_json::Value` → 3.1 constructs normalised →
//! typed `openapiv3` model. Only this stage knows that OpenAPI has versions.

mod normalize;

use crate::error::{Error, Location};
use serde_json::Value;

/// The parsed document, in the 3.0 shape `openapiv3` models.
pub type Document = openapiv3::OpenAPI;

/// Parses spec text, checks its version, normalises 3.1 constructs and builds the model.
pub fn load(text: &[u8]) -> Result<Document, Error> {
    let value = parse(text)?;
    from_value(value)
}

/// Parses JSON when the first non-blank byte is `{`, YAML otherwise.
pub fn parse(text: &[u8]) -> Result<Value, Error> {
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => Err(Error::at("#", "the document is empty")),
        Some(b'{') => serde_json::from_slice(text).map_err(|e| Error {
            location: Location::LineColumn {
                line: e.line(),
                column: e.column(),
            },
            message: format!("invalid JSON: {}", strip_position(&e.to_string())),
        }),
        Some(_) => parse_yaml(text),
    }
}

/// serde_json appends " at line L column C", which the location already says.
fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

fn parse_yaml(text: &[u8]) -> Result<Value, Error> {
    let yaml: serde_yaml::Value = serde_yaml::from_slice(text).map_err(|e| {
        let location = match e.location() {
            Some(l) => Location::LineColumn {
                line: l.line(),
                column: l.column(),
            },
            None => Location::Pointer("#".into()),
        };
        Error {
            location,
            message: format!("invalid YAML: {}", strip_position(&e.to_string())),
        }
    })?;
    yaml_to_json(yaml, "#")
}

/// YAML allows keys that are not strings (unquoted response codes such as `200:` are
/// integers); JSON and OpenAPI do not, so such keys become their string form.
fn yaml_to_json(yaml: serde_yaml::Value, pointer: &str) -> Result<Value, Error> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        Error::at(pointer, format!("number {f} cannot be represented in JSON"))
                    })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &crate::error::push_pointer(pointer, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    _ => return Err(Error::at(pointer, "a mapping key is not a scalar")),
                };
                let child = crate::error::push_pointer(pointer, &key);
                out.insert(key, yaml_to_json(v, &child)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

/// Checks the version, normalises, and deserialises into the typed model.
pub fn from_value(mut value: Value) -> Result<Document, Error> {
    let root = value
        .as_object()
        .ok_or_else(|| Error::at("#", "the document is not an object"))?;
    if let Some(swagger) = root.get("swagger") {
        return Err(Error::at(
            "#/swagger",
            format!(
                "swagger {} documents are not supported; convert the spec to OpenAPI 3.0 or 3.1 first",
                swagger.as_str().unwrap_or("2.0")
            ),
        ));
    }
    let version = match root.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        Some(_) => {
            return Err(Error::at(
                "#/openapi",
                "`openapi` must be a string such as \"3.1.0\"",
            ));
        }
        None => return Err(Error::at("#", "missing `openapi` version field")),
    };
    if !(version.starts_with("3.0") || version.starts_with("3.1")) {
        return Err(Error::at(
            "#/openapi",
            format!("OpenAPI version {version} is not supported; 3.0.x and 3.1.x are"),
        ));
    }
    normalize::document(&mut value);
    if let Some(doc) = deserialize_fast(&mut value) {
        return Ok(doc);
    }
    match serde_path_to_error::deserialize::<_, Document>(&value) {
        Ok(doc) => Ok(doc),
        Err(e) => {
            // `openapiv3` flattens maps (paths, responses) and untagged enums, where serde
            // loses track of the path; deserialising the pieces one by one finds the spot.
            let fallback = Error::at(
                path_to_pointer("#", e.path()),
                clip(e.into_inner().to_string()),
            );
            Err(locate(&value).unwrap_or(fallback))
        }
    }
}

/// Deserialises a valid document quickly, or gives `None` (the caller then finds the error
/// and its pointer the slow way; `value` is left as it was).
///
/// Tracking the path costs on every value and is only needed to report an error, so it is
/// skipped here. `paths` and `components` hold nearly all of a document and do not depend
/// on each other, so they are deserialised on two threads.
fn deserialize_fast(value: &mut Value) -> Option<Document> {
    use serde::Deserialize;
    let obj = value.as_object_mut()?;
    // Each piece leaves an empty object in its place (`paths` is required).
    let mut take = |key: &str| {
        obj.get_mut(key)
            .map(|v| std::mem::replace(v, Value::Object(serde_json::Map::new())))
    };
    let paths = take("paths");
    let components = take("components");
    let (rest, paths_typed, components_typed) = std::thread::scope(|s| {
        let components_typed = s.spawn(|| {
            components
                .as_ref()
                .map(openapiv3::Components::deserialize)
                .transpose()
        });
        let paths_typed = paths
            .as_ref()
            .map(openapiv3::Paths::deserialize)
            .transpose();
        let rest = Document::deserialize(&*obj);
        let components_typed = components_typed
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (rest, paths_typed, components_typed)
    });
    // Put the pieces back for the slow path.
    for (key, piece) in [("paths", paths), ("components", components)] {
        if let (Some(slot), Some(piece)) = (obj.get_mut(key), piece) {
            *slot = piece;
        }
    }
    let mut doc = rest.ok()?;
    if let Some(p) = paths_typed.ok()? {
        doc.paths = p;
    }
    doc.components = components_typed.ok()?;
    Some(doc)
}

/// Tries each typed position of the document on its own and returns the deepest error.
fn locate(doc: &Value) -> Option<Error> {
    use openapiv3::{Operation, Parameter, ReferenceOr, RequestBody, Response, Schema};
    let mut found: Vec<Error> = Vec::new();
    let mut try_at = |v: &Value, pointer: String, kind: &str| {
        // `ReferenceOr` hides the path inside its item, so items are checked as themselves.
        let result = match (kind, v.get("$ref").is_some()) {
            ("operation", _) => check::<Operation>(v, &pointer),
            (_, true) => check::<ReferenceOr<Schema>>(v, &pointer),
            ("response", false) => check::<Response>(v, &pointer),
            ("parameter", false) => check::<Parameter>(v, &pointer),
            ("body", false) => check::<RequestBody>(v, &pointer),
            (_, false) => check::<Schema>(v, &pointer),
        };
        if let Err(e) = result {
            found.push(e);
        }
    };
    let push = crate::error::push_pointer;
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let item_pointer = push("#/paths", path);
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                let op_pointer = push(&item_pointer, method);
                if method == "parameters" {
                    for (i, p) in op.as_array().into_iter().flatten().enumerate() {
                        try_at(p, push(&op_pointer, &i.to_string()), "parameter");
                    }
                    continue;
                }
                try_at(op, op_pointer.clone(), "operation");
                for (i, p) in op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    try_at(
                        p,
                        push(&push(&op_pointer, "parameters"), &i.to_string()),
                        "parameter",
                    );
                }
                if let Some(body) = op.get("requestBody") {
                    try_at(body, push(&op_pointer, "requestBody"), "body");
                }
                for (code, r) in op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    try_at(r, push(&push(&op_pointer, "responses"), code), "response");
                }
            }
        }
    }
    if let Some(components) = doc.get("components").and_then(Value::as_object) {
        for (section, kind) in [
            ("schemas", "schema"),
            ("responses", "response"),
            ("parameters", "parameter"),
            ("requestBodies", "body"),
        ] {
            for (name, v) in components
                .get(section)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                try_at(v, push(&push("#/components", section), name), kind);
            }
        }
    }
    found.into_iter().max_by_key(|e| match &e.location {
        Location::Pointer(p) => p.matches('/').count(),
        Location::LineColumn { .. } => 0,
    })
}

fn check<T: serde::de::DeserializeOwned>(v: &Value, pointer: &str) -> Result<(), Error> {
    serde_path_to_error::deserialize::<_, T>(v)
        .map(|_| ())
        .map_err(|e| {
            Error::at(
                path_to_pointer(pointer, e.path()),
                e.into_inner().to_string(),
            )
        })
}

/// Decoder messages quote the offending value; a 50 MB string must not become a 50 MB
/// error message.
fn clip(message: String) -> String {
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

fn path_to_pointer(base: &str, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = base.to_string();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                pointer = crate::error::push_pointer(&pointer, &index.to_string())
            }
            Segment::Map { key } => pointer = crate::error::push_pointer(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}
