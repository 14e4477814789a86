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
                    .ok_or_else(|| Error::at(pointer, format!("number {f} cannot be represented in JSON")))?
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
        Some(_) => return Err(Error::at("#/openapi", "`openapi` must be a string such as \"3.1.0\"")),
        None => return Err(Error::at("#", "missing `openapi` version field")),
    };
    if !(version.starts_with("3.0") || version.starts_with("3.1")) {
        return Err(Error::at(
            "#/openapi",
            format!("OpenAPI version {version} is not supported; 3.0.x and 3.1.x are"),
        ));
    }
    normalize::document(&mut value);
    serde_path_to_error::deserialize::<_, Document>(value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let message = e.into_inner().to_string();
        Error::at(pointer, message)
    })
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = crate::error::push_pointer(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = crate::error::push_pointer(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}
