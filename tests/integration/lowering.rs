//! How small specs lower: names, clashes, 3.1 forms, parameters. Each asserts on the IR.

use openapi_client_gen::generate;
use openapi_client_gen::ir::{Api, BodyEncoding, ParamLocation, StatusMatch, TypeKind, TypeRef};

fn lower(spec: &str) -> Api {
    generate(spec.as_bytes(), &crate::settings())
        .unwrap_or_else(|e| panic!("spec generates: {e}"))
        .api
}

fn names(api: &Api) -> Vec<&str> {
    api.operations.iter().map(|o| o.name.as_str()).collect()
}

#[test]
fn fastapi_names_that_clash_fall_back_to_the_full_operation_id() {
    // Both operationIds reduce to `list_items`; neither may take the short name.
    let api = lower(
        r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {
          "/a/items": {"get": {"operationId": "list_items_a_items_get", "responses": {"200": {"description": "ok"}}}},
          "/b/items": {"get": {"operationId": "list_items_b_items_get", "responses": {"200": {"description": "ok"}}}},
          "/c": {"get": {"operationId": "other_c_get", "responses": {"200": {"description": "ok"}}}}
        }}"#,
    );
    assert_eq!(
        names(&api),
        ["list_items_a_items_get", "list_items_b_items_get", "other"]
    );
    let companions: Vec<_> = api
        .operations
        .iter()
        .map(|o| o.with_response_name.as_str())
        .collect();
    assert_eq!(companions[2], "other_with_response");
}

#[test]
fn operations_without_an_id_are_named_from_method_and_path() {
    let api = lower(
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
          "/pets/{petId}": {"get": {"parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}],
                                    "responses": {"200": {"description": "ok"}}},
                            "delete": {"parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"type": "integer"}}],
                                       "responses": {"204": {"description": "gone"}}}}
        }}"#,
    );
    assert_eq!(names(&api), ["get_pets_by_pet_id", "delete_pets_by_pet_id"]);
    assert_eq!(api.operations[0].params[0].name, "pet_id");
    assert_eq!(api.operations[0].params[0].ty, TypeRef::I64);
}

#[test]
fn type_arrays_and_null_branches_become_options() {
    let api = lower(
        r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {"Pet": {"type": "object", "required": ["name", "tag", "age"], "properties": {
            "name": {"type": "string"},
            "tag": {"type": ["string", "null"]},
            "age": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            "kind": {"$ref": "#/components/schemas/Kind", "description": "What it is", "default": "dog"}
          }}, "Kind": {"type": "string", "enum": ["dog", "cat"]}}}}"##,
    );
    let TypeKind::Struct(pet) = &api.types[0].kind else {
        panic!("Pet is a struct")
    };
    let field = |n: &str| pet.fields.iter().find(|f| f.name == n).unwrap();
    assert_eq!(field("name").ty, TypeRef::String);
    assert_eq!(field("tag").ty, TypeRef::Option(Box::new(TypeRef::String)));
    assert_eq!(field("age").ty, TypeRef::Option(Box::new(TypeRef::I64)));
    let kind = field("kind");
    assert_eq!(
        kind.ty,
        TypeRef::Option(Box::new(TypeRef::Named("Kind".into())))
    );
    let doc = kind.doc.as_deref().unwrap();
    assert!(
        doc.contains("What it is") && doc.contains("\"dog\""),
        "sibling description and default kept: {doc}"
    );
}

#[test]
fn a_required_property_whose_schema_is_read_or_write_only_is_optional() {
    // In 3.0 a `$ref`'s siblings are ignored, so `readOnly` sits on the schema it names;
    // such a property is absent from requests (or responses) whatever `required` says.
    let api = lower(
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {"Customer": {"type": "object", "required": ["id", "secret", "name"], "properties": {
            "id": {"$ref": "#/components/schemas/Id"},
            "secret": {"$ref": "#/components/schemas/Secret"},
            "name": {"$ref": "#/components/schemas/Name"}
          }},
          "Id": {"type": "string", "readOnly": true},
          "Secret": {"type": "string", "writeOnly": true},
          "Name": {"type": "string"}}}}"##,
    );
    let customer = api.types.iter().find(|t| t.name == "Customer").unwrap();
    let TypeKind::Struct(customer) = &customer.kind else {
        panic!("Customer is a struct")
    };
    let field = |n: &str| customer.fields.iter().find(|f| f.name == n).unwrap();
    assert!(!field("id").required && !field("secret").required);
    assert!(
        matches!(field("id").ty, TypeRef::Option(_)),
        "{:?}",
        field("id").ty
    );
    assert!(matches!(field("secret").ty, TypeRef::Option(_)));
    assert!(field("name").required, "a plain $ref keeps `required`");
}

#[test]
fn properties_beside_a_union_are_part_of_every_variant() {
    // A value is the object's own properties and one branch's: `name` is required
    // whichever `type` it is.
    let api = lower(
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {
            "SourceIn": {"type": "object", "required": ["name"],
              "properties": {"name": {"type": "string"}, "uid": {"type": "string"}},
              "oneOf": [
                {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["webhook"]}}},
                {"$ref": "#/components/schemas/Cron"},
                {"required": ["uid"]}
              ]},
            "Cron": {"type": "object", "required": ["type", "schedule"], "properties": {
              "type": {"type": "string", "enum": ["cron"]}, "schedule": {"type": "string"}}}}}}"##,
    );
    let def = |name: &str| api.types.iter().find(|t| t.name == name).unwrap();
    let TypeKind::Untagged(variants) = &def("SourceIn").kind else {
        panic!("SourceIn is a union: {:?}", def("SourceIn").kind)
    };
    let fields = |ty: &TypeRef| -> Vec<(String, bool)> {
        let TypeRef::Named(name) = ty else {
            panic!("a named variant type: {ty:?}")
        };
        let TypeKind::Struct(st) = &def(name).kind else {
            panic!("{name} is a struct")
        };
        st.fields
            .iter()
            .map(|f| (f.name.clone(), f.required))
            .collect()
    };
    let owned = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
        v.iter().map(|(n, r)| (n.to_string(), *r)).collect()
    };
    assert_eq!(
        fields(&variants[0].ty),
        owned(&[("name", true), ("uid", false), ("type_", true)])
    );
    // A referenced branch keeps its name for the variant; its struct is the merge.
    assert_eq!(variants[1].name, "Cron");
    assert_ne!(variants[1].ty, TypeRef::Named("Cron".into()));
    assert_eq!(
        fields(&variants[1].ty),
        owned(&[
            ("name", true),
            ("uid", false),
            ("type_", true),
            ("schedule", true)
        ])
    );
    // A branch that only requires makes that property required in its variant.
    assert_eq!(
        fields(&variants[2].ty),
        owned(&[("name", true), ("uid", true)])
    );
}

#[test]
fn a_body_documented_for_204_is_ignored_with_a_warning() {
    // 204 ends with its headers (RFC 9110): documents that describe a body for it get
    // calls that succeed with no value, not a decode error on the empty body.
    let spec = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
          "/things/{id}": {"delete": {"operationId": "deleteThing",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "Deleted, no content.",
              "content": {"application/json": {"schema": {"type": "string"}}}}}}}}}"##;
    let generated = generate(spec.as_bytes(), &crate::settings()).unwrap();
    let op = &generated.api.operations[0];
    assert_eq!(op.success.statuses, [StatusMatch::Code(204)]);
    assert_eq!(op.success.body, None);
    let pointers: Vec<&str> = generated
        .warnings
        .iter()
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        ["#/paths/~1things~1{id}/delete/responses/204/content"],
        "{:?}",
        generated.warnings
    );
}

#[test]
fn paths_a_server_cannot_tell_apart_are_warned_about() {
    let ok = r#"{"responses": {"204": {"description": "ok"}}}"#;
    let spec = format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{
          "/boards/{{board_id}}/docs": {{"post": {ok}}},
          "/boards/{{board_id_upload}}/docs": {{"post": {ok}}},
          "/boards/{{board_id}}/docs/{{item}}": {{"get": {ok}}},
          "/talks": {{"post": {ok}}},
          "/talks#stream": {{"post": {ok}}}}}}}"##
    );
    let generated = generate(spec.as_bytes(), &crate::settings()).unwrap();
    assert_eq!(generated.api.operations.len(), 5, "each is still generated");
    let mut warned: Vec<(&str, &str)> = generated
        .warnings
        .iter()
        // Undeclared path parameters are warned about too; not the point here.
        .filter(|w| !w.message.contains("is not declared"))
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    warned.sort();
    assert_eq!(warned.len(), 2, "{warned:#?}");
    assert_eq!(warned[0].0, "#/paths/~1boards~1{board_id_upload}~1docs");
    assert!(
        warned[0]
            .1
            .contains("`/boards/{board_id}/docs` but for its parameters' names")
    );
    assert_eq!(warned[1].0, "#/paths/~1talks#stream");
    assert!(
        warned[1].1.contains("the client sends `/talks`"),
        "{}",
        warned[1].1
    );
}

#[test]
fn a_required_name_without_a_property_schema_is_an_optional_field_of_any_value() {
    let spec = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
      "components": {"schemas": {
        "Share": {"type": "object", "required": ["uuid", "level"], "properties": {"uuid": {"type": "string"}}},
        "Tags": {"type": "object", "required": ["env"], "additionalProperties": {"type": "string"}}}}}"##;
    let generated = generate(spec.as_bytes(), &crate::settings()).unwrap();
    let def = |n: &str| generated.api.types.iter().find(|t| t.name == n).unwrap();
    let TypeKind::Struct(share) = &def("Share").kind else {
        panic!("Share is a struct")
    };
    let level = share
        .fields
        .iter()
        .find(|f| f.wire == "level")
        .expect("a field");
    assert_eq!(level.ty, TypeRef::Option(Box::new(TypeRef::Value)));
    assert!(!level.required, "a response without it still decodes");
    let warned: Vec<&str> = generated
        .warnings
        .iter()
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(warned, ["#/components/schemas/Share/required"]);
    // A map holds a required key itself: no field, no warning.
    assert!(!format!("{:?}", def("Tags").kind).contains("\"env\""));
}

#[test]
fn a_closed_object_requiring_a_name_it_does_not_list_is_warned_about() {
    let generated = generate(
        br##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {"ScreenTypes": {"type": "object", "required": ["defaultScreen"],
            "properties": {"default": {"type": "integer"}}, "additionalProperties": false}}}}"##,
        &crate::settings(),
    )
    .unwrap();
    let warned: Vec<_> = generated
        .warnings
        .iter()
        .filter(|w| w.pointer == "#/components/schemas/ScreenTypes/required")
        .collect();
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert_eq!(
        warned[0].kind,
        openapi_client_gen::WarningKind::InvalidValue
    );
    assert!(
        warned[0].message.contains("no value is valid"),
        "{}",
        warned[0].message
    );
}

/// A closed object beside a union refuses what its branches declare and it does not list:
/// a branch that requires such a name admits no value (Jira's `CustomContextVariable`, which
/// lists only `type` while its `UserContextVariable` branch requires `accountId`).
#[test]
fn a_closed_object_beside_a_union_refusing_what_a_branch_requires_is_warned_about() {
    let generated = generate(
        br##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {
            "Variable": {"type": "object", "required": ["type"], "additionalProperties": false,
              "properties": {"type": {"type": "string"}},
              "oneOf": [{"$ref": "#/components/schemas/User"}, {"$ref": "#/components/schemas/Plain"},
                        {"$ref": "#/components/schemas/Loose"}]},
            "User": {"type": "object", "required": ["accountId", "type"],
              "properties": {"accountId": {"type": "string"}, "type": {"type": "string"}}},
            "Plain": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}},
            "Loose": {"type": "object", "properties": {"note": {"type": "string"}, "type": {"type": "string"}}}}}}"##,
        &crate::settings(),
    )
    .unwrap();
    let warned: Vec<_> = generated
        .warnings
        .iter()
        .filter(|w| w.kind == openapi_client_gen::WarningKind::InvalidValue)
        .collect();
    // Only the branch that requires a refused name: `Plain` declares nothing refused and
    // `Loose` declares `note` without requiring it.
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert_eq!(warned[0].pointer, "#/components/schemas/Variable/oneOf/0");
    assert!(
        warned[0].message.contains("`accountId`") && !warned[0].message.contains("`type`"),
        "{}",
        warned[0].message
    );
}

#[test]
fn any_media_type_is_json_unless_its_schema_is_a_binary_string() {
    let api = lower(
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
          "/file": {"get": {"operationId": "download", "responses": {"200": {"description": "ok",
            "content": {"*/*": {"schema": {"$ref": "#/components/schemas/File"}}}}}}},
          "/thing": {"get": {"operationId": "thing", "responses": {"200": {"description": "ok",
            "content": {"*/*": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}}}}}}}},
          "components": {"schemas": {"File": {"type": "string", "format": "binary"}}}}"##,
    );
    let body = |name: &str| {
        let op = api.operations.iter().find(|o| o.name == name).unwrap();
        op.success.body.clone().unwrap()
    };
    assert_eq!(body("download").encoding, BodyEncoding::Bytes);
    assert_eq!(body("download").ty, TypeRef::Bytes);
    assert_eq!(body("thing").encoding, BodyEncoding::Json);
}

#[test]
fn text_json_is_json() {
    let api = lower(
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
          "/series": {"post": {"operationId": "submit",
            "requestBody": {"content": {"text/json": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}}}},
            "responses": {"202": {"description": "ok",
              "content": {"text/json": {"schema": {"type": "object", "properties": {"status": {"type": "string"}}}}}}}}}}}"##,
    );
    let op = &api.operations[0];
    assert_eq!(op.body.as_ref().unwrap().body.encoding, BodyEncoding::Json);
    assert_eq!(
        op.success.body.as_ref().unwrap().encoding,
        BodyEncoding::Json
    );
}

#[test]
fn a_documented_redirect_is_the_answer_of_an_operation_without_a_2xx() {
    let api = lower(
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
          "/download": {"get": {"operationId": "download", "responses": {
            "302": {"description": "Found", "headers": {"Location": {"schema": {"type": "string"}}}},
            "404": {"description": "Missing"}}}},
          "/range": {"get": {"operationId": "range", "responses": {
            "3XX": {"description": "Elsewhere"}, "default": {"description": "An error"}}}},
          "/thing": {"get": {"operationId": "thing", "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "integer"}}}},
            "304": {"description": "Not modified"}}}}}}"##,
    );
    let op = |name: &str| api.operations.iter().find(|o| o.name == name).unwrap();
    let errors =
        |name: &str| -> Vec<StatusMatch> { op(name).errors.iter().map(|e| e.status).collect() };
    assert_eq!(op("download").success.statuses, [StatusMatch::Code(302)]);
    assert_eq!(errors("download"), [StatusMatch::Code(404)]);
    // A 3XX range answers too, and `default` is then the errors', not a second answer.
    assert_eq!(op("range").success.statuses, [StatusMatch::Range(3)]);
    assert_eq!(errors("range"), [StatusMatch::Default]);
    // Beside a 2xx, a 3xx is a variant of the error type: the success type stays the
    // 2xx body's.
    assert_eq!(op("thing").success.statuses, [StatusMatch::Code(200)]);
    assert_eq!(errors("thing"), [StatusMatch::Code(304)]);
}

#[test]
fn parameters_of_alias_types_are_taken_as_the_aliased_type() {
    let spec = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
          "/users/{id}": {"get": {"operationId": "getUser",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Snowflake"}},
                           {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Snowflake"}}}],
            "responses": {"200": {"description": "ok"}}}}},
          "components": {"schemas": {"Snowflake": {"type": "string", "pattern": "^[0-9]+$"}}}}"##;
    let generated = generate(spec.as_bytes(), &crate::settings()).unwrap();
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let params = &generated.api.operations[0].params;
    assert_eq!(params[0].location, ParamLocation::Path);
    assert_eq!(params[0].ty, TypeRef::String);
    assert_eq!(params[1].ty, TypeRef::Vec(Box::new(TypeRef::String)));
}

#[test]
fn recursive_schemas_are_boxed() {
    let api = lower(
        r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {"Node": {"type": "object", "properties": {
            "next": {"$ref": "#/components/schemas/Node"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
          }}}}}"##,
    );
    let TypeKind::Struct(node) = &api.types[0].kind else {
        panic!("Node is a struct")
    };
    let named = || TypeRef::Named("Node".into());
    assert_eq!(
        node.fields[0].ty,
        TypeRef::Option(Box::new(TypeRef::Box(Box::new(named()))))
    );
    assert_eq!(
        node.fields[1].ty,
        TypeRef::Option(Box::new(TypeRef::Vec(Box::new(named()))))
    );
}

#[test]
fn references_to_nullable_definitions_are_options() {
    let api = lower(
        r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {
            "Owner": {"type": ["object", "null"], "properties": {"name": {"type": "string"}}},
            "Pet": {"type": "object", "required": ["owner"], "properties": {"owner": {"$ref": "#/components/schemas/Owner"}}}
          }}}"##,
    );
    let TypeKind::Struct(pet) = &api.types[1].kind else {
        panic!("Pet is a struct")
    };
    assert_eq!(
        pet.fields[0].ty,
        TypeRef::Option(Box::new(TypeRef::Named("Owner".into())))
    );
}

#[test]
fn an_alias_defined_in_terms_of_itself_degrades_with_a_warning() {
    let spec = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {
            "Tree": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
            "A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}
          }}}"##;
    let generated = generate(spec.as_bytes(), &crate::settings()).unwrap();
    for t in &generated.api.types {
        assert_eq!(t.kind, TypeKind::Alias(TypeRef::Value), "{}", t.name);
    }
    let pointers: Vec<_> = generated
        .warnings
        .iter()
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        [
            "#/components/schemas/Tree",
            "#/components/schemas/A",
            "#/components/schemas/B"
        ]
    );
}

#[test]
fn a_query_key_two_parameters_write_is_warned_about() {
    // `sort` is an exploded form object (the default for a query object): `{send_date:
    // asc}` is written `send_date=asc`, the filter's own key. A deepObject one
    // (`order[send_date]=asc`) and an unexploded one (`flat=send_date,asc`) write
    // other keys.
    let object = r#"{"type": "object", "properties": {"send_date": {"type": "string"}, "id": {"type": "string"}}}"#;
    let spec = format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{
          "/letters": {{"get": {{"parameters": [
            {{"name": "send_date", "in": "query", "schema": {{"type": "string"}}}},
            {{"name": "sort", "in": "query", "schema": {object}}},
            {{"name": "order", "in": "query", "style": "deepObject", "schema": {object}}},
            {{"name": "flat", "in": "query", "explode": false, "schema": {object}}}
          ], "responses": {{"204": {{"description": "ok"}}}}}}}}}}}}"##
    );
    let generated = generate(spec.as_bytes(), &crate::settings()).unwrap();
    let warned: Vec<(&str, &str)> = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("query key"))
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert_eq!(warned[0].0, "#/paths/~1letters/get/parameters");
    assert!(
        warned[0].1.contains("`sort` is an exploded `form` object")
            && warned[0].1.contains("query parameter `send_date`"),
        "{}",
        warned[0].1
    );
}

#[test]
fn enum_values_not_of_the_schema_type_are_warned_about() {
    // JSON Schema applies `type` and `enum` both: an array whose enum lists a string
    // admits nothing; a YAML number under `type: string` is never valid; `null` is only
    // with `nullable` (3.0) or a `null` type (3.1).
    let generated = generate(
        br##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {
            "Schemas": {"type": "array", "items": {"type": "string"}, "enum": ["urn:x"]},
            "Version": {"type": "string", "enum": ["2", 3]},
            "Fine": {"type": "string", "nullable": true, "enum": ["a", null]},
            "Whole": {"type": "integer", "enum": [1, 2.0]}
          }}}"##,
        &crate::settings(),
    )
    .unwrap();
    let mut warned: Vec<(&str, &str)> = generated
        .warnings
        .iter()
        .filter(|w| w.pointer.ends_with("/enum"))
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    warned.sort();
    assert_eq!(warned.len(), 2, "{warned:#?}");
    assert_eq!(warned[0].0, "#/components/schemas/Schemas/enum");
    assert!(
        warned[0]
            .1
            .contains("no `enum` value is of the schema's type `array`")
    );
    assert_eq!(warned[1].0, "#/components/schemas/Version/enum");
    assert!(
        warned[1]
            .1
            .contains("`enum` lists `3`, not of the schema's type `string`"),
        "{}",
        warned[1].1
    );
}

#[test]
fn a_multipart_body_naming_no_parts_is_the_callers_form_with_a_warning() {
    let generated = generate(
        br##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
          "/attachments": {"post": {"operationId": "attach",
            "requestBody": {"required": true, "content": {"multipart/form-data":
              {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {"204": {"description": "ok"}}}}}}"##,
        &crate::settings(),
    )
    .unwrap();
    let body = generated.api.operations[0].body.as_ref().unwrap();
    assert_eq!(body.body.encoding, BodyEncoding::MultipartParts);
    assert!(body.multipart.is_none());
    assert!(
        generated.warnings.iter().any(|w| w.pointer
            == "#/paths/~1attachments/post/requestBody/content/multipart~1form-data/schema"
            && w.message.contains("names no parts")),
        "{:#?}",
        generated.warnings
    );
}

#[test]
fn a_union_narrowing_its_own_scalar_type_is_that_type() {
    // `type: string` beside the union holds for every branch: a branch that only adds a
    // format or a pattern is a string too. Variants that are one Rust type cannot be
    // told apart, so the union is that type; variants of different types stay a union,
    // and an object branch keeps its own type.
    let api = lower(
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {
            "SendDate": {"type": "string", "anyOf": [{"format": "date-time"}, {"format": "date"}]},
            "Both": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string"}]},
            "Narrow": {"type": "integer", "oneOf": [{"minimum": 1}, {"maximum": -1, "nullable": true}]},
            "Mixed": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
          }}}"##,
    );
    let def = |name: &str| &api.types.iter().find(|t| t.name == name).unwrap().kind;
    assert!(
        matches!(def("SendDate"), TypeKind::Alias(TypeRef::String)),
        "{:?}",
        def("SendDate")
    );
    assert!(
        matches!(def("Both"), TypeKind::Alias(TypeRef::String)),
        "{:?}",
        def("Both")
    );
    let TypeKind::Untagged(variants) = def("Narrow") else {
        panic!(
            "an integer and a nullable integer differ: {:?}",
            def("Narrow")
        )
    };
    assert!(
        matches!(&variants[0].ty, TypeRef::I64),
        "{:?}",
        variants[0].ty
    );
    assert_eq!(variants[1].ty, TypeRef::I64.optional());
    assert!(matches!(def("Mixed"), TypeKind::Untagged(v) if v.len() == 2));
}

#[test]
fn union_variants_are_named_after_titles_or_types() {
    let api = lower(
        r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {
            "NameOrId": {"oneOf": [
              {"title": "id", "type": "object", "properties": {"id": {"type": "string"}}},
              {"type": "object", "properties": {"name": {"type": "string"}}},
              {"type": "string"}, {"$ref": "#/components/schemas/Other"}]},
            "Other": {"type": "object", "properties": {"x": {"type": "integer"}}}
          }}}"##,
    );
    let TypeKind::Untagged(variants) = &api.types[0].kind else {
        panic!("a union")
    };
    let names: Vec<_> = variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Id", "Variant2", "String", "Other"]);
}

#[test]
fn security_schemes_are_named_by_kind_when_unique_and_by_key_otherwise() {
    let spec = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "components": {"securitySchemes": {
        "apiKeyAuth": {"type": "apiKey", "in": "header", "name": "DD-API-KEY"},
        "appKeyAuth": {"type": "apiKey", "in": "header", "name": "DD-APPLICATION-KEY"},
        "basic": {"type": "http", "scheme": "BASIC"},
        "sentry": {"type": "http", "scheme": "DSN"},
        "unused": {"type": "http", "scheme": "bearer"},
        "digest": {"type": "http", "scheme": "Digest"},
        "bad": {"type": "http", "scheme": "two words"}
      }},
      "security": [{"apiKeyAuth": [], "appKeyAuth": []}],
      "paths": {
        "/a": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/b": {"get": {"security": [{"basic": []}, {"nope": []}, {}], "responses": {"200": {"description": "ok"}}}},
        "/c": {"get": {"security": [{"sentry": []}, {"nope": []}, {"digest": []}], "responses": {"200": {"description": "ok"}}}},
        "/d": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
        "/e": {"get": {"security": [{"digest": []}, {"nope": []}], "responses": {"200": {"description": "ok"}}}}
      }}"#;
    let generated = generate(spec.as_bytes(), &crate::settings()).unwrap();
    let api = &generated.api;
    let schemes: Vec<(&str, &str, &str)> = api
        .security_schemes
        .iter()
        .map(|s| (s.key.as_str(), s.setter.as_str(), s.env_var.as_str()))
        .collect();
    // The unused bearer scheme gets no setter; digest and the malformed one are left out.
    assert_eq!(
        schemes,
        [
            ("apiKeyAuth", "api_key_auth", "PRIME_API_API_KEY_AUTH"),
            ("appKeyAuth", "app_key_auth", "PRIME_API_APP_KEY_AUTH"),
            ("basic", "basic_auth", "PRIME_API_BASIC_AUTH"),
            ("sentry", "dsn_token", "PRIME_API_DSN_TOKEN"),
        ]
    );
    let security: Vec<&Vec<Vec<usize>>> = api.operations.iter().map(|o| &o.security).collect();
    // The document's AND; `nope` (undeclared) and `digest` dropped; `{}` kept; `[]` kept.
    assert_eq!(
        security,
        [
            &vec![vec![0, 1]],
            &vec![vec![2], vec![]],
            &vec![vec![3]],
            &vec![],
            &vec![]
        ]
    );
    // `[]` is no credentials; `/e` has none only because none of its schemes applies,
    // which its docs say.
    let unapplied: Vec<&Vec<String>> = api
        .operations
        .iter()
        .map(|o| &o.unapplied_security)
        .collect();
    let none: &Vec<String> = &vec![];
    assert_eq!(
        unapplied,
        [
            none,
            none,
            none,
            none,
            &vec!["digest".to_string(), "nope".to_string()]
        ]
    );
    let messages: Vec<String> = generated
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    let about = |needle: &str| messages.iter().filter(|m| m.contains(needle)).count();
    // One warning per undeclared name, at its first use, with the count.
    assert_eq!(about("`nope`"), 1, "{messages:#?}");
    assert!(
        messages.iter().any(|m| m.starts_with(
            "#/paths/~1b/get/security/1: 3 security requirements (the first here) name `nope`"
        )),
        "{messages:#?}"
    );
    // A challenge scheme is reported where it is declared, not again at each use.
    assert_eq!(about("digest"), 1, "{messages:#?}");
    assert_eq!(
        about("`Digest` authentication answers a server's challenge"),
        1
    );
    assert_eq!(about("is not an HTTP authentication scheme name"), 1);
}

#[test]
fn event_and_line_streams_take_their_item_type_from_the_schema_or_item_schema() {
    let spec = r##"{"openapi": "3.2.0", "info": {"title": "t", "version": "1"},
      "components": {"schemas": {"Tick": {"type": "object", "properties": {"n": {"type": "integer"}}}}},
      "paths": {
        "/a": {"get": {"responses": {"200": {"description": "ok", "content": {
          "text/event-stream": {"itemSchema": {"type": "object", "properties": {
            "event": {"type": "string"}, "data": {"$ref": "#/components/schemas/Tick"}}}}}}}}},
        "/b": {"get": {"responses": {"200": {"description": "ok", "content": {
          "application/json": {"schema": {"$ref": "#/components/schemas/Tick"}},
          "text/event-stream": {"schema": {"$ref": "#/components/schemas/Tick"}}}}}}},
        "/c": {"get": {"responses": {"200": {"description": "ok", "content": {
          "application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Tick"}}}}}}},
        "/d": {"get": {"responses": {"200": {"description": "ok", "content": {
          "text/event-stream": {"schema": {"type": "string"}}}}}}},
        "/e": {"get": {"responses": {"200": {"description": "ok", "content": {
          "image/png": {}}}}}}
      }}"##;
    let generated = generate(spec.as_bytes(), &crate::settings()).unwrap();
    let streams: Vec<String> = generated
        .api
        .operations
        .iter()
        .map(|o| match &o.item_stream {
            Some(s) => format!(
                "{} {:?} {:?} {:?} json:{}",
                s.name, s.kind, s.item, s.decode, s.json_alternative
            ),
            None => "none".into(),
        })
        .collect();
    assert_eq!(
        streams,
        [
            "get_a_stream Events Named(\"Tick\") Json json:false",
            "get_b_stream Events Named(\"Tick\") Json json:true",
            "get_c_stream Lines Named(\"Tick\") Json json:false",
            "get_d_stream Events String Text json:false",
            "get_e_stream Bytes Bytes Any json:false",
        ]
    );
    assert!(generated.warnings.is_empty(), "{:#?}", generated.warnings);
}

#[test]
fn positional_multipart_encodings_are_reported_not_dropped_silently() {
    let spec = r#"{"openapi": "3.2.0", "info": {"title": "t", "version": "1"}, "paths": {
      "/m": {"post": {"requestBody": {"content": {"multipart/mixed": {
        "itemSchema": {"type": "string"}, "itemEncoding": {"contentType": "text/plain"}}}},
        "responses": {"204": {"description": "ok"}}}}}}"#;
    let generated = generate(spec.as_bytes(), &crate::settings()).unwrap();
    let found: Vec<String> = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("positional multipart"))
        .map(|w| w.pointer.clone())
        .collect();
    assert_eq!(
        found,
        ["#/paths/~1m/post/requestBody/content/multipart~1mixed/itemEncoding"]
    );
}

#[test]
fn a_schema_written_out_again_is_one_type() {
    // `Pet` copied in place of a `$ref`, one inline response object repeated by two
    // operations, and one inline enum repeated by two parameters.
    let pet =
        r#"{"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}"#;
    let page = r#"{"type": "object", "properties": {"next": {"type": "string"}, "size": {"type": "integer"}}}"#;
    let order = r#"{"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}}"#;
    let api = lower(&format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{
          "/pets": {{
            "post": {{"operationId": "create_pet",
              "requestBody": {{"required": true, "content": {{"application/json": {{"schema": {pet}}}}}}},
              "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {page}}}}}}}}}}},
            "get": {{"operationId": "list_pets", "parameters": [{order}],
              "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {page}}}}}}}}}}}}},
          "/toys": {{"get": {{"operationId": "list_toys", "parameters": [{order}],
              "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {page}}}}}}}}}}}}}}},
          "components": {{"schemas": {{"Pet": {pet}}}}}}}"#
    ));
    let op = |name: &str| api.operations.iter().find(|o| o.name == name).unwrap();
    let body = op("create_pet").body.as_ref().unwrap();
    assert_eq!(body.body.ty, TypeRef::Named("Pet".into()));
    let success = |name: &str| op(name).success.body.as_ref().unwrap().ty.clone();
    // Named after its first place (a path's `get` is lowered before its `post`).
    assert_eq!(
        success("list_pets"),
        TypeRef::Named("ListPetsResponse".into())
    );
    assert_eq!(success("create_pet"), success("list_pets"));
    assert_eq!(success("list_toys"), success("list_pets"));
    let structs = api
        .types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Struct(_)))
        .count();
    assert_eq!(structs, 2, "Pet and the one page type");
    // Enums keep a type per place: a sort order named after another operation misleads.
    let order_type = |name: &str| op(name).params[0].ty.clone();
    assert_ne!(order_type("list_pets"), order_type("list_toys"));
}

/// The pagination an inline list operation gets: its convention, the parameters it sets
/// (wire names) and whether an extension said so; `None` when it gets no stream.
fn paging(get: &str, schemas: &str) -> Option<(&'static str, Vec<String>, bool)> {
    let spec = format!(
        r##"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}},
          "components": {{"schemas": {{"Item": {{"type": "object", "required": ["id"], "properties": {{"id": {{"type": "string"}}}}}}{schemas}}}}},
          "paths": {{"/items": {{"get": {get}}}}}}}"##
    );
    let api = lower(&spec);
    let op = &api.operations[0];
    let p = op.pagination.as_ref()?;
    use openapi_client_gen::ir::PageNext;
    let state = match &p.next {
        PageNext::Offset { param, .. }
        | PageNext::Number { param, .. }
        | PageNext::Cursor { param, .. }
        | PageNext::LastId { param, .. } => Some(param),
        PageNext::Link { param } | PageNext::NextUrl { param, .. } => param.as_ref(),
    };
    let mut set: Vec<String> = state
        .into_iter()
        .chain(p.page_size.as_ref().map(|s| &s.param))
        .map(|param| op.params[param.index].wire_name.clone())
        .collect();
    set.sort();
    Some((
        p.next.convention(),
        set,
        p.source == openapi_client_gen::ir::PageSource::Extension,
    ))
}

const PAGE_OF_ITEMS: &str = r##"{"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}}"##;

fn query(name: &str, ty: &str) -> String {
    format!(r##"{{"name": "{name}", "in": "query", "schema": {{"type": "{ty}"}}}}"##)
}

#[test]
fn pagination_extensions_name_what_the_conventions_would_not_find() {
    let page = r##", "Page": {"type": "object", "properties": {"rows": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}, "resume": {"type": "string"}}}"##;
    // x-pagination (Datadog's form): an offset and a size under names no rule knows.
    let get = format!(
        r##"{{"parameters": [{}, {}], "x-pagination": {{"limitParam": "n", "pageOffsetParam": "from"}}, "responses": {PAGE_OF_ITEMS}}}"##,
        query("from", "integer"),
        query("n", "integer")
    );
    assert_eq!(
        paging(&get, page),
        Some(("offset", vec!["from".into(), "n".into()], true))
    );
    // x-fern-pagination: a cursor parameter and the body field that feeds it.
    let get = format!(
        r##"{{"parameters": [{}], "x-fern-pagination": {{"cursor": "$request.resume_at", "next_cursor": "$response.resume", "results": "$response.rows"}}, "responses": {PAGE_OF_ITEMS}}}"##,
        query("resume_at", "string")
    );
    assert_eq!(
        paging(&get, page),
        Some(("cursor", vec!["resume_at".into()], true))
    );
    // An extension that names a parameter the operation does not have gets no stream.
    let get = format!(
        r##"{{"parameters": [{}], "x-pagination": {{"pageOffsetParam": "skip_rows"}}, "responses": {PAGE_OF_ITEMS}}}"##,
        query("from", "integer")
    );
    assert_eq!(paging(&get, page), None);
}

#[test]
fn pagination_conventions_need_both_the_parameter_and_a_field_of_its_type() {
    let page = |next: &str| {
        format!(
            r##", "Page": {{"type": "object", "properties": {{"data": {{"type": "array", "items": {{"$ref": "#/components/schemas/Item"}}}}, {next}}}}}"##
        )
    };
    let get = |params: &[String]| {
        format!(
            r##"{{"parameters": [{}], "responses": {PAGE_OF_ITEMS}}}"##,
            params.join(",")
        )
    };
    let cursor = get(&[query("cursor", "string"), query("limit", "integer")]);
    assert_eq!(
        paging(&cursor, &page(r##""next_cursor": {"type": "string"}"##)),
        Some(("cursor", vec!["cursor".into(), "limit".into()], false))
    );
    // A token of another type does not pair; with `after` and string ids, the last id does.
    assert_eq!(
        paging(&cursor, &page(r##""next_cursor": {"type": "integer"}"##)),
        None
    );
    let after = get(&[query("after", "string")]);
    assert_eq!(
        paging(&after, &page(r##""has_more": {"type": "boolean"}"##)),
        Some(("last-id", vec!["after".into()], false))
    );
    // Page numbers need a page size; offsets do not.
    let pages = get(&[query("page", "integer")]);
    assert_eq!(
        paging(&pages, &page(r##""total": {"type": "integer"}"##)),
        None
    );
    let pages = get(&[query("page", "integer"), query("per_page", "integer")]);
    assert_eq!(
        paging(&pages, &page(r##""total": {"type": "integer"}"##)),
        Some(("page-number", vec!["page".into(), "per_page".into()], false))
    );
    let offset = get(&[query("offset", "integer")]);
    assert_eq!(
        paging(&offset, &page(r##""total": {"type": "integer"}"##)),
        Some(("offset", vec!["offset".into()], false))
    );
    // A next-page URL with no parameter to set.
    let url = get(&[]);
    assert_eq!(
        paging(
            &url,
            &page(r##""next": {"type": "string", "format": "uri"}"##)
        ),
        Some(("next-url", vec![], false))
    );
}
