//! The change report: one minimal edit of a document per rule, each checked for the
//! changes it must produce (kind and class) and for producing nothing else; a document
//! compared with itself has no changes. `cargo xtask history` checks the classes against
//! cargo-semver-checks on real revisions.

use openapi_client_gen::changes::{Class, compare};
use openapi_client_gen::lower_only;
use serde_json::{Value, json};

/// A small API touching every part the report compares: a path parameter, optional
/// query parameters, a header, a JSON body, a response type with an enum, two error
/// statuses, security, a server, tags.
fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1.0.0", "description": "Pets."},
        "servers": [{"url": "https://api.example.com/v1"}],
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "integer", "format": "int64"},
                        "name": {"type": "string", "description": "Its name."},
                        "status": {"$ref": "#/components/schemas/Status"},
                        "tag": {"type": "string"}
                    }
                },
                "NewPet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}, "tag": {"type": "string"}}
                },
                "Status": {"type": "string", "enum": ["available", "sold"]},
                "Error": {"type": "object", "properties": {"message": {"type": "string"}}}
            }
        },
        "security": [{"key": []}],
        "paths": {
            "/pets/{petId}": {
                "get": {
                    "operationId": "getPet",
                    "tags": ["pets"],
                    "parameters": [
                        {"name": "petId", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                        "404": {"description": "missing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    }
                }
            },
            "/pets": {
                "post": {
                    "operationId": "createPet",
                    "tags": ["pets"],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}}},
                    "responses": {
                        "201": {"description": "made", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                        "422": {"description": "invalid", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    }
                }
            },
            "/stores": {
                "get": {
                    "operationId": "listStores",
                    "tags": ["stores"],
                    "security": [],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}}
                }
            }
        }
    })
}

/// The (class, kind) of every change `edit` makes to [`base`], sorted.
fn changes(edit: impl FnOnce(&mut Value)) -> Vec<(Class, &'static str)> {
    let old = base();
    let mut new = base();
    edit(&mut new);
    let lower = |v: &Value| {
        lower_only(v.to_string().as_bytes(), "pets").unwrap_or_else(|e| panic!("lowers: {e}"))
    };
    let report = compare(&lower(&old), &lower(&new));
    let mut out: Vec<(Class, &'static str)> =
        report.changes.iter().map(|c| (c.class, c.kind)).collect();
    out.sort();
    out
}

/// The value at `pointer`, created as `null` in its parent object if it is not there.
fn at<'a>(v: &'a mut Value, pointer: &str) -> &'a mut Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer below the root");
    let parent = v
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{parent} is in the base document"));
    match parent {
        Value::Object(map) => map
            .entry(key.replace("~1", "/").replace("~0", "~"))
            .or_insert(Value::Null),
        Value::Array(items) => &mut items[key.parse::<usize>().expect("an index")],
        _ => panic!("{pointer}: the parent is neither an object nor an array"),
    }
}

/// Renames a path, keeping its place among the paths.
fn rename_path(v: &mut Value, from: &str, to: &str) {
    let paths = at(v, "/paths").as_object_mut().unwrap();
    let old = std::mem::take(paths);
    for (key, item) in old {
        paths.insert(if key == from { to.to_string() } else { key }, item);
    }
}

const GET: &str = "/paths/~1pets~1{petId}/get";
const PET: &str = "/components/schemas/Pet";

#[test]
fn a_document_compared_with_itself_has_no_changes() {
    assert_eq!(changes(|_| {}), vec![]);
    for spec in [
        crate::pi_spec(),
        std::fs::read(crate::root().join("specs/corpus/github.json")).unwrap(),
        std::fs::read(crate::root().join("tests/fixtures/features.yaml")).unwrap(),
    ] {
        let api = lower_only(&spec, "x").unwrap();
        let report = compare(&api, &api);
        assert_eq!(report.summary(), "no changes");
        assert_eq!(report.class(), None);
        assert_eq!(report.bump("0.4.1").unwrap(), "0.4.1");
    }
}

#[test]
fn operations_added_removed_renamed_moved() {
    use Class::*;
    assert_eq!(
        changes(|v| {
            let stores = at(v, "/paths/~1stores").clone();
            at(v, "/paths")
                .as_object_mut()
                .unwrap()
                .insert("/stores2".into(), stores);
            *at(v, "/paths/~1stores2/get/operationId") = json!("listStores2");
        }),
        vec![(Additive, "operation-added")]
    );
    assert_eq!(
        changes(|v| {
            at(v, "/paths").as_object_mut().unwrap().remove("/stores");
        }),
        // One tag left does not partition the API, and one first path segment neither:
        // both features go; the crate docs no longer list a `stores` section.
        vec![
            (Patch, "docs"),
            (Breaking, "feature-removed"),
            (Breaking, "feature-removed"),
            (Breaking, "operation-removed")
        ]
    );
    // A new operationId renames the method (and its error enum).
    assert_eq!(
        changes(|v| *at(v, &format!("{GET}/operationId")) = json!("fetchPet")),
        vec![
            (Breaking, "error-type-renamed"),
            (Breaking, "operation-renamed")
        ]
    );
    // Same method name, new path: callers see no difference. The base groups by first
    // path segment (one tag holds most operations), so a new segment is a new feature.
    assert_eq!(
        changes(|v| {
            let paths = at(v, "/paths").as_object_mut().unwrap();
            let stores = paths.remove("/stores").unwrap();
            paths.insert("/stores/all".into(), stores);
        }),
        vec![(Patch, "operation-moved")]
    );
    assert_eq!(
        changes(|v| {
            let paths = at(v, "/paths").as_object_mut().unwrap();
            let stores = paths.remove("/stores").unwrap();
            paths.insert("/shops".into(), stores);
        }),
        vec![
            (Patch, "operation-moved"),
            (Additive, "feature-added"),
            (Breaking, "feature-removed"),
            (Breaking, "operation-feature-changed")
        ]
    );
    // A path parameter renamed is the same operation, and the same argument (path
    // parameters are matched by position): an argument's name does not matter to callers.
    assert_eq!(
        changes(|v| {
            rename_path(v, "/pets/{petId}", "/pets/{id}");
            *at(v, "/paths/~1pets~1{id}/get/parameters/0/name") = json!("id");
        }),
        vec![(Patch, "operation-moved")]
    );
    // An operation added before the others renumbers their `Operation` variants.
    assert_eq!(
        changes(|v| {
            let stores = at(v, "/paths/~1stores").clone();
            let paths = at(v, "/paths").as_object_mut().unwrap();
            let rest = std::mem::take(paths);
            paths.insert("/aardvarks".into(), stores);
            paths.extend(rest);
            *at(v, "/paths/~1aardvarks/get/operationId") = json!("listAardvarks");
        }),
        vec![
            (Additive, "operation-added"),
            (Breaking, "operation-renumbered")
        ]
    );
    assert_eq!(
        changes(|v| *at(v, &format!("{GET}/deprecated")) = json!(true)),
        vec![(Additive, "operation-deprecated")]
    );
    // Tags do not group this API (one holds most operations): a tag changed moves no
    // operation between features, only the sections of the crate docs' operation list.
    assert_eq!(
        changes(|v| *at(v, &format!("{GET}/tags")) = json!(["stores"])),
        vec![(Patch, "docs")]
    );
}

#[test]
fn parameters() {
    use Class::*;
    let add = |param: Value| {
        changes(move |v| {
            at(v, &format!("{GET}/parameters"))
                .as_array_mut()
                .unwrap()
                .push(param);
        })
    };
    assert_eq!(
        add(
            json!({"name": "fields", "in": "query", "required": true, "schema": {"type": "string"}})
        ),
        vec![(Breaking, "parameter-added-required")]
    );
    assert_eq!(
        add(json!({"name": "fields", "in": "query", "schema": {"type": "string"}})),
        vec![(Breaking, "parameter-added-optional")]
    );
    assert_eq!(
        changes(|v| {
            at(v, &format!("{GET}/parameters"))
                .as_array_mut()
                .unwrap()
                .remove(1);
        }),
        vec![(Breaking, "parameter-removed")]
    );
    assert_eq!(
        changes(|v| *at(v, &format!("{GET}/parameters/1/required")) = json!(true)),
        vec![(Breaking, "parameter-now-required")]
    );
    assert_eq!(
        changes(|v| *at(v, &format!("{GET}/parameters/1/schema")) = json!({"type": "integer"})),
        vec![(Breaking, "parameter-type-changed")]
    );
    // Header names are case-insensitive.
    assert_eq!(
        changes(|v| *at(v, &format!("{GET}/parameters/2/name")) = json!("x-trace")),
        vec![]
    );
    // The same parameters in another order: the arguments' order changes.
    assert_eq!(
        changes(|v| {
            at(v, &format!("{GET}/parameters"))
                .as_array_mut()
                .unwrap()
                .swap(1, 2);
        }),
        vec![(Breaking, "parameters-reordered")]
    );
    assert_eq!(
        changes(|v| *at(v, &format!("{GET}/parameters/1/description")) = json!("More.")),
        vec![(Patch, "docs")]
    );
}

#[test]
fn bodies_responses_and_errors() {
    use Class::*;
    const POST: &str = "/paths/~1pets/post";
    assert_eq!(
        changes(|v| *at(v, &format!("{POST}/requestBody/required")) = json!(false)),
        vec![(Breaking, "request-body-now-optional")]
    );
    assert_eq!(
        changes(|v| {
            at(v, POST).as_object_mut().unwrap().remove("requestBody");
        }),
        vec![(Breaking, "request-body-removed")]
    );
    assert_eq!(
        changes(|v| {
            *at(
                v,
                &format!("{POST}/requestBody/content/application~1json/schema"),
            ) = json!({"$ref": "#/components/schemas/Pet"})
        }),
        // NewPet is no longer used but is still a component.
        vec![(Breaking, "request-body-type-changed")]
    );
    assert_eq!(
        changes(|v| {
            *at(
                v,
                &format!("{GET}/responses/200/content/application~1json/schema"),
            ) = json!({"type": "array", "items": {"$ref": "#/components/schemas/Pet"}})
        }),
        vec![(Breaking, "response-type-changed")]
    );
    assert_eq!(
        changes(|v| {
            at(v, &format!("{GET}/responses"))
                .as_object_mut()
                .unwrap()
                .insert("409".into(), json!({"description": "conflict"}));
        }),
        vec![(Breaking, "error-added")]
    );
    assert_eq!(
        changes(|v| {
            at(v, &format!("{GET}/responses"))
                .as_object_mut()
                .unwrap()
                .remove("404");
        }),
        vec![(Breaking, "error-removed")]
    );
    assert_eq!(
        changes(|v| *at(v, &format!("{GET}/responses/404/description")) = json!("gone")),
        vec![(Patch, "docs")]
    );
}

#[test]
fn types_fields_and_enums() {
    use Class::*;
    // Any field added breaks struct literals, optional or not, request or response.
    assert_eq!(
        changes(|v| {
            at(v, &format!("{PET}/properties"))
                .as_object_mut()
                .unwrap()
                .insert("age".into(), json!({"type": "integer"}));
        }),
        vec![(Breaking, "field-added")]
    );
    assert_eq!(
        changes(|v| {
            at(v, &format!("{PET}/properties"))
                .as_object_mut()
                .unwrap()
                .remove("tag");
        }),
        vec![(Breaking, "field-removed")]
    );
    assert_eq!(
        changes(|v| {
            at(v, &format!("{PET}/required"))
                .as_array_mut()
                .unwrap()
                .push(json!("tag"));
        }),
        vec![(Breaking, "field-now-required")]
    );
    assert_eq!(
        changes(|v| *at(v, &format!("{PET}/properties/tag")) = json!({"type": "integer"})),
        vec![(Breaking, "field-type-changed")]
    );
    assert_eq!(
        changes(|v| *at(v, &format!("{PET}/properties/name/description")) = json!("Name.")),
        vec![(Patch, "docs")]
    );
    assert_eq!(
        changes(|v| {
            at(v, "/components/schemas/Status/enum")
                .as_array_mut()
                .unwrap()
                .push(json!("pending"));
        }),
        vec![(Breaking, "enum-value-added")]
    );
    assert_eq!(
        changes(|v| *at(v, "/components/schemas/Status/enum") = json!(["available"])),
        vec![(Breaking, "enum-value-removed")]
    );
    assert_eq!(
        changes(|v| {
            at(v, "/components/schemas")
                .as_object_mut()
                .unwrap()
                .insert(
                    "Owner".into(),
                    json!({"type": "object", "properties": {"name": {"type": "string"}}}),
                );
        }),
        vec![(Additive, "type-added")]
    );
    assert_eq!(
        changes(|v| *at(v, "/components/schemas/Status") = json!({"type": "integer"})),
        vec![(Breaking, "type-changed")]
    );
}

#[test]
fn security_servers_and_docs() {
    use Class::*;
    // An operation that took no credentials now needs them.
    assert_eq!(
        changes(|v| {
            at(v, "/paths/~1stores/get")
                .as_object_mut()
                .unwrap()
                .remove("security");
        }),
        vec![(Breaking, "security-changed")]
    );
    // ... and the other way round.
    assert_eq!(
        changes(|v| *at(v, &format!("{GET}/security")) = json!([])),
        vec![(Patch, "security-changed")]
    );
    assert_eq!(
        changes(|v| {
            at(v, "/components/securitySchemes")
                .as_object_mut()
                .unwrap()
                .insert("bearer".into(), json!({"type": "http", "scheme": "bearer"}));
            *at(v, "/security") = json!([{"key": []}, {"bearer": []}]);
        }),
        // The two operations under the document's requirement accept either credential.
        vec![
            (Patch, "security-changed"),
            (Patch, "security-changed"),
            (Additive, "security-scheme-added")
        ]
    );
    assert_eq!(
        changes(|v| *at(v, "/servers/0/url") = json!("https://api.example.com/v2")),
        vec![(Patch, "base-url-changed")]
    );
    assert_eq!(
        changes(|v| *at(v, "/info/version") = json!("1.1.0")),
        vec![(Patch, "docs")]
    );
}

#[test]
fn reports_render_and_bump() {
    let old = lower_only(base().to_string().as_bytes(), "pets").unwrap();
    let mut new_doc = base();
    at(&mut new_doc, &format!("{GET}/parameters/1/required")).clone_from(&json!(true));
    let new = lower_only(new_doc.to_string().as_bytes(), "pets").unwrap();
    let report = compare(&old, &new);
    assert_eq!(report.class(), Some(Class::Breaking));
    assert_eq!(report.bump("0.3.2").unwrap(), "0.4.0");
    assert_eq!(report.bump("1.3.2").unwrap(), "2.0.0");
    let text = report.text();
    assert!(
        text.starts_with("1 change: breaking (1 breaking)\n"),
        "{text}"
    );
    assert!(text.contains("`get_pet` now requires `verbose`"), "{text}");
    let md = report.markdown();
    assert!(
        md.starts_with("### Breaking\n\n- `get_pet` now requires"),
        "{md}"
    );
    let json: Value = serde_json::from_str(&report.json()).unwrap();
    assert_eq!(json["class"], "breaking");
    assert_eq!(json["changes"][0]["kind"], "parameter-now-required");
    assert_eq!(json["changes"][0]["pointer"], "#/paths/~1pets~1{petId}/get");
}

#[test]
fn non_exhaustive_enums_make_added_variants_additive() {
    use Class::*;
    let config = |text: &str| openapi_client_gen::config::Config::parse(text, "c.toml").unwrap();
    let on = config("[types]\nnon-exhaustive = true\n");
    let off = config("");
    let lower = |v: &Value, c: &openapi_client_gen::config::Config| {
        openapi_client_gen::lower_configured(v.to_string().as_bytes(), "pets", c).unwrap()
    };
    let old = base();
    let mut new = base();
    at(&mut new, "/components/schemas/Status/enum")
        .as_array_mut()
        .unwrap()
        .push(json!("pending"));
    let kinds = |old_config, new_config| {
        let report = compare(&lower(&old, old_config), &lower(&new, new_config));
        let mut out: Vec<(Class, &'static str)> =
            report.changes.iter().map(|c| (c.class, c.kind)).collect();
        out.sort();
        out
    };
    assert_eq!(kinds(&on, &on), [(Additive, "enum-value-added")]);
    assert_eq!(kinds(&off, &off), [(Breaking, "enum-value-added")]);
    // Turning the setting on breaks matches written without a wildcard; the value added
    // in the same revision is then breaking too (the old crate's enums were exhaustive).
    assert_eq!(
        kinds(&off, &on),
        [
            (Breaking, "enum-value-added"),
            (Breaking, "non-exhaustive-changed")
        ]
    );
    assert_eq!(
        kinds(&on, &off),
        [
            (Additive, "non-exhaustive-changed"),
            (Breaking, "enum-value-added")
        ]
    );
    let report = compare(&lower(&old, &on), &lower(&new, &on));
    assert!(
        report.changes[0].message.contains("`#[non_exhaustive]`"),
        "{}",
        report.changes[0].message
    );
}
