//! Load stage: spec text (JSON or YAML) → `serde_json::Value` → references resolved, slips
//! repaired and 3.1/3.2 constructs normalised, each repair a warning → typed `openapiv3`
//! model. Only this stage knows that OpenAPI has versions. A document is refused only when
//! it is not JSON or YAML, not an object, or not OpenAPI 3.x.

pub mod grammar;
mod normalize;
pub mod refs;
mod repair;
mod salvage;
mod yaml;

use crate::error::{Diagnostics, Error, Location, WarningKind, push_pointer};
use repair::Minor;
use serde_json::Value;
use std::collections::BTreeSet;

/// Extension key the load stage puts on a schema that admits only `null` (3.1's
/// `type: 'null'`), which the 3.0 shape cannot say. Named so no document uses it.
pub const NULL_MARKER: &str = "x-openapi-client-gen-null";

/// Extension key on the document listing the names of its webhooks, which the typed model
/// drops. Named so no document uses it.
pub const WEBHOOKS_MARKER: &str = "x-openapi-client-gen-webhooks";

/// The parsed document, in the 3.0 shape `openapiv3` models.
pub type Document = openapiv3::OpenAPI;

/// A loaded document and what the load stage learnt beside it.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The typed model.
    pub doc: Document,
    /// Operations of methods the typed model has no field for: 3.2's `query` and
    /// `additionalOperations`, in document order.
    pub extra_operations: Vec<ExtraOperation>,
    /// References already reported as dangling, external or looping.
    pub reported_refs: BTreeSet<String>,
    /// The keys of `components.securitySchemes` as written, including schemes the repair
    /// stage left out (and reported), so a requirement naming one is not reported again
    /// as undeclared.
    pub declared_schemes: BTreeSet<String>,
    /// Where moved parts of the document came from.
    pub source_map: refs::SourceMap,
}

/// An operation of a method outside the typed model's eight.
#[derive(Debug, Clone)]
pub struct ExtraOperation {
    /// The path template.
    pub path: String,
    /// The HTTP method as it is sent (`QUERY`, `LINK`).
    pub method: String,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// The operation.
    pub operation: openapiv3::Operation,
}

/// Parses spec text, checks its version, repairs and normalises it and builds the model.
/// Returns `None` when the document cannot become a client (the reason is in `diags`).
pub fn load(text: &[u8], diags: &mut Diagnostics) -> Option<Spec> {
    match parse_reporting(text, diags) {
        Ok(value) => read(value, diags, text.len() >= PARALLEL_FROM),
        Err(e) => {
            diags.error(e);
            None
        }
    }
}

/// Parses JSON when the first non-blank byte is `{`, YAML otherwise. A YAML mapping that
/// repeats a key keeps the last value (as JSON readers do); use [`load`] to hear of it.
pub fn parse(text: &[u8]) -> Result<Value, Error> {
    parse_reporting(text, &mut Diagnostics::default())
}

fn parse_reporting(text: &[u8], diags: &mut Diagnostics) -> Result<Value, Error> {
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
        Some(_) => {
            let (value, duplicates) = yaml::parse(text)?;
            for d in duplicates {
                diags.warn(WarningKind::DuplicateKey, &d.pointer, d.message);
            }
            Ok(value)
        }
    }
}

/// serde_json appends " at line L column C", which the location already says.
fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

/// The document size (bytes of text) from which [`deserialize_fast`] reads `components` on
/// a thread of its own. Below it a thread costs more than it saves: measured on the
/// corpus, a 44 KB document deserialised in 0.8 ms on one thread and 1.1-1.5 ms on two,
/// while a 387 KB one took 5.2 ms on one and 3.1 ms on two (and starting a thread on a busy
/// machine can cost milliseconds of waiting).
const PARALLEL_FROM: usize = 128 * 1024;

/// Checks the version, resolves references, repairs, and deserialises into the typed model.
pub fn from_value(value: Value, diags: &mut Diagnostics) -> Option<Spec> {
    read(value, diags, true)
}

/// [`from_value`], on two threads where `parallel` says the document is large enough.
fn read(mut value: Value, diags: &mut Diagnostics, parallel: bool) -> Option<Spec> {
    let minor = match version(&mut value, diags) {
        Ok(minor) => minor,
        Err(e) => {
            diags.error(e);
            return None;
        }
    };
    let resolved = refs::resolve(&mut value, diags);
    let mut source_map = resolved.source_map;
    let declared_schemes = value
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .map(|schemes| schemes.keys().cloned().collect())
        .unwrap_or_default();
    repair::Repairer {
        diags: &mut *diags,
        map: &mut source_map,
        minor,
    }
    .document(&mut value);
    let extra = extra_operations(&mut value);
    let doc = match deserialize_fast(&mut value, parallel) {
        Some(doc) => doc,
        None => {
            salvage::Salvager {
                diags: &mut *diags,
                map: &source_map,
            }
            .document(&mut value);
            match serde_path_to_error::deserialize::<_, Document>(&value) {
                Ok(doc) => doc,
                Err(e) => {
                    diags.error(Error::at(
                        path_to_pointer("#", e.path()),
                        salvage::clip(e.into_inner().to_string()),
                    ));
                    return None;
                }
            }
        }
    };
    let mut extra_operations = Vec::new();
    for (path, method, pointer, mut op) in extra {
        let mut salvager = salvage::Salvager {
            diags: &mut *diags,
            map: &source_map,
        };
        if !salvager.operation(&mut op, &pointer) {
            continue;
        }
        match serde_json::from_value::<openapiv3::Operation>(op) {
            Ok(operation) => extra_operations.push(ExtraOperation {
                path,
                method,
                pointer,
                operation,
            }),
            Err(e) => diags.warn(
                WarningKind::Unreadable,
                &source_map.original(&pointer),
                format!("cannot be read: {e}; the operation is left out"),
            ),
        }
    }
    Some(Spec {
        doc,
        extra_operations,
        reported_refs: resolved.reported,
        declared_schemes,
        source_map,
    })
}

/// Reads `openapi`: 3.0.x, 3.1.x and 3.2.x are read as such; a later 3.x is read as 3.2
/// with a warning; a number (`openapi: 3.1`) is read as its text; a document without the
/// field that has OpenAPI's structure is read as 3.1. Anything else is not OpenAPI 3.
fn version(value: &mut Value, diags: &mut Diagnostics) -> Result<Minor, Error> {
    let root = value
        .as_object_mut()
        .ok_or_else(|| Error::at("#", "the document is not an object"))?;
    if let Some(swagger) = root.get("swagger") {
        return Err(Error::at(
            "#/swagger",
            format!(
                "swagger {} documents are not supported; convert the spec to OpenAPI 3.0 or later first",
                swagger
                    .as_str()
                    .map_or_else(|| swagger.to_string(), str::to_string)
            ),
        ));
    }
    let text = match root.get("openapi") {
        Some(Value::String(v)) => v.trim().to_string(),
        Some(Value::Number(n)) => {
            let text = n.to_string();
            diags.warn(
                WarningKind::Version,
                "#/openapi",
                format!("`openapi` is the number {text}, not a string; read as \"{text}\""),
            );
            text
        }
        Some(_) => {
            return Err(Error::at(
                "#/openapi",
                "`openapi` must be a version string such as \"3.1.0\"",
            ));
        }
        None => {
            let shaped = ["paths", "components", "webhooks"]
                .iter()
                .any(|k| root.get(*k).is_some_and(Value::is_object));
            if !shaped {
                return Err(Error::at(
                    "#",
                    "missing `openapi` version field, and no `paths` or `components`: not an OpenAPI document",
                ));
            }
            diags.warn(
                WarningKind::Version,
                "#",
                "missing `openapi` version field; read as OpenAPI 3.1",
            );
            "3.1.0".to_string()
        }
    };
    let mut parts = text.split('.');
    let major = parts.next().unwrap_or_default();
    let minor = parts.next().and_then(|m| m.parse::<u32>().ok());
    if major != "3" {
        return Err(Error::at(
            "#/openapi",
            format!("OpenAPI version {text} is not supported; 3.0, 3.1 and 3.2 are"),
        ));
    }
    let minor = match minor {
        Some(0) => Minor::V30,
        Some(1) => Minor::V31,
        Some(2) => Minor::V32,
        Some(later) => {
            diags.warn(
                WarningKind::Version,
                "#/openapi",
                format!("OpenAPI 3.{later} is newer than this generator knows; read as 3.2"),
            );
            Minor::V32
        }
        None => {
            diags.warn(
                WarningKind::Version,
                "#/openapi",
                format!("`{text}` names no minor version; read as 3.0"),
            );
            Minor::V30
        }
    };
    root.insert("openapi".into(), Value::String(text));
    Ok(minor)
}

/// Takes 3.2's `query` and `additionalOperations` out of each path item (the typed model
/// would drop them): (path, method, pointer, operation).
fn extra_operations(value: &mut Value) -> Vec<(String, String, String, Value)> {
    let mut out = Vec::new();
    let Some(Value::Object(paths)) = value.get_mut("paths") else {
        return out;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        let pointer = push_pointer("#/paths", path);
        if let Some(op) = item.shift_remove("query") {
            out.push((
                path.clone(),
                "QUERY".to_string(),
                push_pointer(&pointer, "query"),
                op,
            ));
        }
        if let Some(Value::Object(ops)) = item.shift_remove("additionalOperations") {
            let base = push_pointer(&pointer, "additionalOperations");
            // Sent as written: HTTP methods are case-sensitive.
            for (method, op) in ops {
                out.push((
                    path.clone(),
                    method.clone(),
                    push_pointer(&base, &method),
                    op,
                ));
            }
        }
    }
    out
}

/// Deserialises a valid document quickly, or gives `None` (the caller then finds the error
/// and its pointer the slow way; `value` is left as it was).
///
/// Tracking the path costs on every value and is only needed to report an error, so it is
/// skipped here. `paths` and `components` hold nearly all of a document and do not depend
/// on each other, so with `parallel` they are deserialised on two threads.
fn deserialize_fast(value: &mut Value, parallel: bool) -> Option<Document> {
    use serde::Deserialize;
    let obj = value.as_object_mut()?;
    // Each piece leaves an empty object in its place (`paths` is required).
    let mut take = |key: &str| {
        obj.get_mut(key)
            .map(|v| std::mem::replace(v, Value::Object(serde_json::Map::new())))
    };
    let paths = take("paths");
    let components = take("components");
    let read_components = || {
        components
            .as_ref()
            .map(openapiv3::Components::deserialize)
            .transpose()
    };
    let read_paths = || {
        paths
            .as_ref()
            .map(openapiv3::Paths::deserialize)
            .transpose()
    };
    let (rest, paths_typed, components_typed) = if parallel {
        std::thread::scope(|s| {
            let components_typed = s.spawn(read_components);
            let paths_typed = read_paths();
            let rest = Document::deserialize(&*obj);
            let components_typed = components_typed
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (rest, paths_typed, components_typed)
        })
    } else {
        (
            Document::deserialize(&*obj),
            read_paths(),
            read_components(),
        )
    };
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
