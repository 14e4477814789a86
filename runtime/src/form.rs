//! Structured values as name/value pairs: `application/x-www-form-urlencoded` bodies and
//! object or array parameters, written as OpenAPI's `style` and `explode` say.
//!
//! A value is first serialised with serde into JSON's data model (so renames, skipped
//! fields, flattening and untagged unions come out exactly as they do in a JSON body), then
//! walked into pairs; `form_urlencoded` escapes them. The rules:
//!
//! - A scalar is its text (`true`, `12.5`); `null` is an empty value (`name=`), which
//!   form-based APIs read as "clear this field".
//! - `form` with `explode` (the default for arrays): an array repeats the name per item
//!   (`tag=a&tag=b`); an object spreads its properties as pairs of their own
//!   (`R=100&G=200`). Without `explode`, the items (or `key,value` pairs) are joined with
//!   commas: `tag=a,b`; `spaceDelimited` and `pipeDelimited` join with a space or `|`.
//! - `deepObject`: brackets, nested as far as the value goes (`metadata[key]=v`,
//!   `items[0][price]=p`): the convention of large form-based APIs and of Rails, PHP and
//!   `qs` servers. OpenAPI defines one level; deeper levels and arrays follow the same
//!   bracket rule.
//! - A value the chosen style cannot hold flat (an object inside a `form` array, say) is
//!   written with brackets under its name, which is how those servers read it.
//! - A form-body property with no `style` of its own follows the Encoding Object's
//!   defaults: an object is sent as JSON text (its default `contentType`), an array as
//!   `form` exploded.
//!
//! Properties come out in the order of serde_json's map: as declared when serde_json's
//! `preserve_order` feature is on in the app's build, sorted by name otherwise. Form and
//! query parsers do not depend on the order of distinct names.

use super::SendError;
use serde_json::Value;
use std::borrow::Cow;

/// OpenAPI's `style` for a form field or query parameter that holds an array or object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `name=a&name=b` (exploded) or `name=a,b`.
    Form,
    /// `name=a%20b`; exploded, as `form`.
    SpaceDelimited,
    /// `name=a|b`; exploded, as `form`.
    PipeDelimited,
    /// `name[key]=value`, nested with brackets.
    DeepObject,
}

/// How one property of a form body is written, when its Encoding Object says.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The property's wire name.
    pub name: &'static str,
    /// Its style.
    pub style: Style,
    /// Its `explode`.
    pub explode: bool,
}

/// Serialises `body` as `application/x-www-form-urlencoded`; `fields` lists the properties
/// whose encoding the API documents.
pub fn form_body<T: serde::Serialize + ?Sized>(
    body: &T,
    fields: &[Field],
) -> Result<Option<super::Body>, SendError> {
    let value = to_value(body, "body")?;
    let Value::Object(properties) = value else {
        return Err(SendError::InvalidRequest(
            "a form body must serialise as an object".into(),
        ));
    };
    let mut pairs = Vec::new();
    for (name, value) in &properties {
        match fields.iter().find(|f| f.name == name) {
            Some(f) => pairs_of(name, value, f.style, f.explode, &mut pairs),
            // The Encoding Object's defaults: an object is JSON text, the rest `form`.
            None if value.is_object() => pairs.push((name.clone(), value.to_string())),
            None => pairs_of(name, value, Style::Form, true, &mut pairs),
        }
    }
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    Ok(Some(super::Body::Bytes(
        encoded.into(),
        "application/x-www-form-urlencoded",
    )))
}

/// Appends query pairs for a parameter holding an array or object, per its style.
pub fn query_param<T: serde::Serialize + ?Sized>(
    query: &mut Vec<(Cow<'static, str>, String)>,
    name: &'static str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<(), SendError> {
    let value = to_value(value, name)?;
    let mut pairs = Vec::new();
    pairs_of(name, &value, style, explode, &mut pairs);
    query.extend(pairs.into_iter().map(|(k, v)| {
        let key = if k == name {
            Cow::Borrowed(name)
        } else {
            Cow::Owned(k)
        };
        (key, v)
    }));
    Ok(())
}

/// A path or header parameter holding an array, object or union, as `style: simple`
/// writes it: a scalar as its text, an array as `a,b`, an object as `k,v,k,v` (or
/// `k=v,k=v` exploded).
pub fn simple_value<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<String, SendError> {
    let value = to_value(value, name)?;
    Ok(match &value {
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        Value::Object(properties) => properties
            .iter()
            .map(|(k, v)| {
                let sep = if explode { "=" } else { "," };
                format!("{k}{sep}{}", text(v))
            })
            .collect::<Vec<_>>()
            .join(","),
        scalar => text(scalar),
    })
}

/// A parameter whose `content` is JSON: the value as JSON text.
pub fn json_param<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<String, SendError> {
    serde_json::to_string(value)
        .map_err(|e| SendError::InvalidRequest(format!("`{name}` does not serialise: {e}")))
}

fn to_value<T: serde::Serialize + ?Sized>(value: &T, what: &str) -> Result<Value, SendError> {
    serde_json::to_value(value)
        .map_err(|e| SendError::InvalidRequest(format!("`{what}` does not serialise: {e}")))
}

/// A scalar's text; an array or object (inside a delimited list) as JSON.
fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// The pairs of `value` under `name`.
fn pairs_of(
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
    out: &mut Vec<(String, String)>,
) {
    let separator = match style {
        Style::Form => ",",
        Style::SpaceDelimited => " ",
        Style::PipeDelimited => "|",
        Style::DeepObject => return brackets(name.to_string(), value, out),
    };
    match value {
        Value::Array(items) if explode => {
            for (i, item) in items.iter().enumerate() {
                if is_scalar(item) {
                    out.push((name.to_string(), text(item)));
                } else {
                    brackets(format!("{name}[{i}]"), item, out);
                }
            }
        }
        Value::Array(items) if items.iter().all(is_scalar) => {
            if !items.is_empty() {
                let joined: Vec<String> = items.iter().map(text).collect();
                out.push((name.to_string(), joined.join(separator)));
            }
        }
        Value::Object(properties) if explode => {
            for (key, item) in properties {
                if is_scalar(item) {
                    out.push((key.clone(), text(item)));
                } else {
                    brackets(key.clone(), item, out);
                }
            }
        }
        Value::Object(properties) if properties.values().all(is_scalar) => {
            if !properties.is_empty() {
                let joined: Vec<String> = properties
                    .iter()
                    .flat_map(|(k, v)| [k.clone(), text(v)])
                    .collect();
                out.push((name.to_string(), joined.join(separator)));
            }
        }
        Value::Array(_) | Value::Object(_) => brackets(name.to_string(), value, out),
        scalar => out.push((name.to_string(), text(scalar))),
    }
}

/// `prefix[key]…=value` for every leaf of `value`; an empty array or object has none.
fn brackets(prefix: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                brackets(format!("{prefix}[{i}]"), item, out);
            }
        }
        Value::Object(properties) => {
            for (key, item) in properties {
                brackets(format!("{prefix}[{key}]"), item, out);
            }
        }
        scalar => out.push((prefix, text(scalar))),
    }
}
