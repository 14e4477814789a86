//! The synthetic specs: deterministic OpenAPI documents of 1,000 to 20,000 operations,
//! written by a child process (`cargo xtask bench-synthetic N PATH`).

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Synthetic spec sizes, in operations.
const SYNTHETIC: [usize; 3] = [1_000, 5_000, 20_000];

/// Writes a deterministic synthetic spec with `operations` operations: CRUD on
/// `operations / 4` resources, each with a schema of realistic shape. It is OpenAPI 3.0.3
/// (nullable via `nullable: true`) so that every peer can read it: progenitor refuses 3.1.
pub fn synthetic_spec(operations: usize) -> Value {
    let resources = operations.div_ceil(4);
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "Error".into(),
        json!({"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "integer", "format": "int32"}, "message": {"type": "string"},
            "details": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "string"}}}}}),
    );
    for i in 0..resources {
        let name = format!("Resource{i}");
        schemas.insert(name.clone(), resource_schema(i, resources));
        insert_resource_paths(&mut paths, i, &name);
    }
    json!({"openapi": "3.0.3", "info": {"title": format!("Synthetic {operations}"), "version": "1"},
           "servers": [{"url": "https://api.example.com"}], "paths": paths, "components": {"schemas": schemas}})
}

/// The schema of resource `i` of `resources`; it refers to the next one.
fn resource_schema(i: usize, resources: usize) -> Value {
    let next = format!("Resource{}", (i + 1) % resources);
    json!({"type": "object", "required": ["id", "name", "status"], "description": format!("Resource number {i}."), "properties": {
        "id": {"type": "string", "format": "uuid", "readOnly": true},
        "name": {"type": "string", "maxLength": 64},
        "status": {"type": "string", "enum": ["active", "paused", "deleted"]},
        "count": {"type": "integer", "format": "int64", "nullable": true},
        "ratio": {"type": "number"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "created": {"type": "string", "format": "date-time"},
        "related": {"$ref": format!("#/components/schemas/{next}")},
        "nested": {"type": "object", "properties": {"depth": {"type": "integer"}, "path": {"type": "string"}}}
    }})
}

/// The four operations (list, create, get, delete) on resource `i`, whose schema is `name`.
fn insert_resource_paths(paths: &mut serde_json::Map<String, Value>, i: usize, name: &str) {
    let item = json!({"$ref": format!("#/components/schemas/{name}")});
    let errors = json!({
        "404": {"description": "not found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "422": {"description": "invalid", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    });
    let ok = |schema: &Value| json!({"description": "ok", "content": {"application/json": {"schema": schema}}});
    let mut responses_list = errors.clone();
    responses_list["200"] = ok(&json!({"type": "array", "items": item}));
    let mut responses_one = errors.clone();
    responses_one["200"] = ok(&item);
    let mut responses_delete = errors.clone();
    responses_delete["204"] = json!({"description": "deleted"});
    paths.insert(
        format!("/v1/resources{i}"),
        json!({
            "get": {"operationId": format!("list_resource{i}"), "summary": format!("List resource {i}"),
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}},
                                   {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
                    "responses": responses_list},
            "post": {"operationId": format!("create_resource{i}"), "summary": format!("Create resource {i}"),
                     "requestBody": {"required": true, "content": {"application/json": {"schema": item}}},
                     "responses": responses_one.clone()}
        }),
    );
    paths.insert(
        format!("/v1/resources{i}/{{id}}"),
        json!({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {"operationId": format!("get_resource{i}"), "responses": responses_one},
            "delete": {"operationId": format!("delete_resource{i}"), "responses": responses_delete}
        }),
    );
}

/// Writes the synthetic spec of `operations` operations to `path`.
pub fn write_synthetic(operations: usize, path: &Path) -> Result<(), String> {
    let text = serde_json::to_vec(&synthetic_spec(operations)).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Where the synthetic spec of `n` operations goes under the scratch directory.
fn path(scratch: &Path, n: usize) -> PathBuf {
    scratch.join(format!("synthetic-{n}.json"))
}

/// Every synthetic spec's name and path, smallest first.
pub(super) fn specs(scratch: &Path) -> [(String, PathBuf); 3] {
    SYNTHETIC.map(|n| (format!("synthetic-{n}"), path(scratch, n)))
}

/// The size in operations of a synthetic spec named `name`; `None` for other specs.
pub(super) fn size(name: &str) -> Option<usize> {
    name.strip_prefix("synthetic-")
        .and_then(|n| n.parse::<usize>().ok())
}

/// Writes the synthetic specs that are among `specs`.
pub(super) fn write_selected(scratch: &Path, specs: &[(String, PathBuf)]) -> Result<(), String> {
    for n in SYNTHETIC {
        let path = path(scratch, n);
        if !specs.iter().any(|(_, p)| *p == path) {
            continue;
        }
        // Written by a child process: a large document held here would raise this
        // process's memory, which spawned children could inherit in their peak-RSS figure.
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let status = Command::new(exe)
            .args(["bench-synthetic", &n.to_string()])
            .arg(&path)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!(
                "could not write the synthetic spec of {n} operations"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_specs_are_openapi_3_0() {
        let spec = synthetic_spec(8);
        assert_eq!(spec["openapi"], "3.0.3");
        assert_eq!(spec["paths"].as_object().map(|p| p.len()), Some(4));
    }
}
