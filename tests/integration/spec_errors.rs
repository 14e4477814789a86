//! Documents that cannot become a client give an error that says where; broken parts of
//! documents that can are repaired with a warning that says where. Never a panic.

use openapi_client_gen::{Location, WarningKind, generate};

fn error_of(spec: &str) -> openapi_client_gen::Error {
    match generate(spec.as_bytes(), &crate::settings()) {
        Ok(_) => panic!("spec unexpectedly generated:\n{spec}"),
        Err(failure) => failure.errors[0].clone(),
    }
}

/// The (kind, pointer) of every warning a spec gives.
fn warnings_of(spec: &str) -> Vec<(WarningKind, String)> {
    match generate(spec.as_bytes(), &crate::settings()) {
        Ok(g) => g
            .warnings
            .into_iter()
            .map(|w| (w.kind, w.pointer))
            .collect(),
        Err(failure) => panic!("spec refused: {failure}"),
    }
}

const MINIMAL: &str =
    r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": PATHS}"#;

fn with_paths(paths: &str) -> String {
    MINIMAL.replace("PATHS", paths)
}

#[test]
fn versions_other_than_3_0_and_3_1_are_refused() {
    let e = error_of(r#"{"swagger": "2.0", "info": {}, "paths": {}}"#);
    assert_eq!(e.location, Location::Pointer("#/swagger".into()));
    assert!(e.message.contains("not supported"), "{e}");
    let e = error_of(r#"{"openapi": "4.0.0", "info": {"title": "t", "version": "1"}}"#);
    assert_eq!(e.location, Location::Pointer("#/openapi".into()));
}

#[test]
fn syntax_errors_give_line_and_column() {
    let e = error_of("{\"openapi\": \"3.1.0\",\n  \"info\": ");
    assert!(
        matches!(e.location, Location::LineColumn { line: 2, .. }),
        "{e}"
    );
    let e = error_of("openapi: 3.1.0\ninfo:\n\ttitle: x\n");
    assert!(matches!(e.location, Location::LineColumn { .. }), "{e}");
    assert_eq!(error_of("  \n").location, Location::Pointer("#".into()));
}

#[test]
fn a_ref_to_nothing_names_where_it_is() {
    let spec = with_paths(
        r##"{"/pets": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}}}}}}}"##,
    );
    assert_eq!(
        warnings_of(&spec),
        [(
            WarningKind::DanglingRef,
            "#/paths/~1pets/get/responses/200/content/application~1json/schema".to_string()
        )]
    );
}

#[test]
fn a_keyword_of_the_wrong_type_names_where_it_is() {
    let spec = with_paths(r#"{"/pets": {"get": {"responses": {"200": {"description": 42}}}}}"#);
    assert_eq!(
        warnings_of(&spec),
        [(
            WarningKind::WrongType,
            "#/paths/~1pets/get/responses/200/description".to_string()
        )]
    );
}

#[test]
fn the_openapi_field_decides_what_is_refused() {
    let e = error_of(r#"{"info": {"title": "t", "version": "1"}}"#);
    assert!(e.message.contains("not an OpenAPI document"), "{e}");
    let e = error_of(r#"{"openapi": true, "paths": {}}"#);
    assert_eq!(e.location, Location::Pointer("#/openapi".into()));
    // A later 3.x is read as the latest the generator knows.
    assert_eq!(
        warnings_of(r#"{"openapi": "3.3.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#),
        [(WarningKind::Version, "#/openapi".to_string())]
    );
}

#[test]
fn yaml_with_integer_response_codes_generates() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets/{id}:\n    get:\n      operationId: getPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n      responses:\n        200:\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, properties: {name: {type: string, nullable: true}}}\n        404:\n          description: missing\n";
    let generated = generate(spec.as_bytes(), &crate::settings()).expect("YAML spec generates");
    let op = &generated.api.operations[0];
    assert_eq!(op.name, "get_pet");
    assert_eq!(op.errors.len(), 1);
    assert_eq!(op.errors[0].name, "NotFound");
}
