//! Messy documents become clients: how the construct fixtures `tolerant-*` resolve their
//! references and repair their slips. Each fixture's full list of warnings is a snapshot,
//! so every repair's kind, pointer and message is pinned; the tests below pin what the
//! repairs produce.

use openapi_client_gen::ir::{Api, Method, TypeKind, TypeRef};
use openapi_client_gen::{Generated, WarningKind, generate};

fn fixture(name: &str) -> Generated {
    let dir = crate::root().join("tests/fixtures/constructs");
    let path = ["yaml", "json"]
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("no fixture {name}"));
    generate(&std::fs::read(&path).unwrap(), &crate::settings())
        .unwrap_or_else(|e| panic!("{name} refused: {e}"))
}

fn struct_field<'a>(api: &'a Api, ty: &str, field: &str) -> &'a TypeRef {
    let def = api
        .types
        .iter()
        .find(|t| t.name == ty)
        .unwrap_or_else(|| panic!("no type {ty}"));
    let TypeKind::Struct(s) = &def.kind else {
        panic!("{ty} is not a struct: {:?}", def.kind)
    };
    &s.fields
        .iter()
        .find(|f| f.name == field)
        .unwrap_or_else(|| panic!("{ty} has no field {field}"))
        .ty
}

fn named(n: &str) -> TypeRef {
    TypeRef::Named(n.into())
}

fn optional(t: TypeRef) -> TypeRef {
    TypeRef::Option(Box::new(t))
}

#[test]
fn every_tolerant_fixture_warns_exactly_as_recorded() {
    let dir = crate::root().join("tests/fixtures/constructs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".yaml").or(name.strip_suffix(".json"))?;
            stem.starts_with("tolerant-").then(|| stem.to_string())
        })
        .collect();
    names.sort();
    assert!(names.len() >= 12, "{names:?}");
    for name in names {
        let generated = fixture(&name);
        let text: String = generated
            .warnings
            .iter()
            .map(|w| format!("{w}\n"))
            .collect();
        insta::assert_snapshot!(format!("warnings_{}", name.replace('-', "_")), text);
    }
}

#[test]
fn a_schema_reached_through_a_nested_pointer_is_one_type_named_from_where_it_sits() {
    let g = fixture("tolerant-ref-nested-pointers");
    assert!(g.warnings.is_empty(), "{:#?}", g.warnings);
    let api = &g.api;
    // `#/components/schemas/Tag/allOf/0` is shared by Tag, Label.tag and the request body.
    let tag_base = api.types.iter().find(|t| t.name == "TagAllOf0").unwrap();
    assert_eq!(tag_base.source, "#/components/schemas/Tag/allOf/0");
    assert_eq!(
        *struct_field(api, "Label", "tag"),
        optional(named("TagAllOf0"))
    );
    let create = api
        .operations
        .iter()
        .find(|o| o.name == "create_tag")
        .unwrap();
    assert_eq!(create.body.as_ref().unwrap().body.ty, named("TagAllOf0"));
    // `#/components/schemas/Disk/properties/filesystem`.
    assert_eq!(
        *struct_field(api, "Partition", "fs"),
        optional(named("DiskFilesystem"))
    );
    // A `$defs` entry keeps its own name.
    assert!(
        api.types
            .iter()
            .any(|t| t.name == "Inner" && t.source == "#/components/schemas/Outer/$defs/Inner")
    );
    // `--names` lists the moved types under the pointer a `$ref` names.
    let names = openapi_client_gen::package::names_map(api);
    assert!(
        names["types"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({
                "schema": "#/components/schemas/Tag/allOf/0", "rust": "types::TagAllOf0"
            }))
    );
}

#[test]
fn chains_of_references_reach_their_target() {
    let g = fixture("tolerant-ref-chains");
    assert!(g.warnings.is_empty(), "{:#?}", g.warnings);
    let api = &g.api;
    let get = api
        .operations
        .iter()
        .find(|o| o.name == "get_account")
        .unwrap();
    // A parameter behind three references, and a response behind three.
    assert_eq!(get.params[0].ty, TypeRef::String);
    assert_eq!(get.success.body.as_ref().unwrap().ty, named("AccountAlias"));
    // An alias chain stays a chain of named aliases, each one step from the next.
    let alias = api.types.iter().find(|t| t.name == "AccountRef").unwrap();
    assert_eq!(alias.kind, TypeKind::Alias(named("AccountAlias")));
    // `allOf` through an alias chain merges the target's properties.
    assert_eq!(*struct_field(api, "BusinessAccount", "id"), TypeRef::String);
    assert!(matches!(
        struct_field(api, "BusinessAccount", "vat_number"),
        TypeRef::Option(_)
    ));
}

#[test]
fn numbers_beyond_64_bits_are_dropped_and_types_kept() {
    let g = fixture("tolerant-slips-values");
    let api = &g.api;
    assert_eq!(
        *struct_field(api, "Measurement", "sequence"),
        optional(TypeRef::I64)
    );
    let beyond: Vec<&str> = g
        .warnings
        .iter()
        .filter(|w| w.message.contains("within 64 bits"))
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        beyond,
        ["#/components/schemas/Measurement/properties/unit/maxLength"]
    );
}

#[test]
fn repeated_operation_ids_keep_the_first_name_and_name_the_rest_from_method_and_path() {
    let g = fixture("tolerant-slips-values");
    let names: Vec<&str> = g.api.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "list_all",
            "record_measurement",
            "get_one",
            "get_sensors",
            "get_sensors_by_sensor_id",
            "get_alerts"
        ]
    );
    let repeats: Vec<(&str, &str)> = g
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::DuplicateOperationId)
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(repeats.len(), 3, "{repeats:#?}");
    assert_eq!(repeats[0].0, "#/paths/~1sensors/get/operationId");
    assert!(
        repeats[0].1.contains("#/paths/~1measurements/get"),
        "{}",
        repeats[0].1
    );
}

#[test]
fn openapi_3_2_methods_become_operations() {
    let g = fixture("tolerant-openapi-3.2-features");
    let methods: Vec<(&str, &str)> = g
        .api
        .operations
        .iter()
        .map(|o| (o.method.as_str(), o.name.as_str()))
        .collect();
    assert!(methods.contains(&("QUERY", "search_pets")), "{methods:?}");
    assert!(methods.contains(&("LINK", "link_pet")), "{methods:?}");
    let search = g
        .api
        .operations
        .iter()
        .find(|o| o.name == "search_pets")
        .unwrap();
    assert_eq!(search.method, Method::Other("QUERY".into()));
    assert_eq!(search.body.as_ref().unwrap().body.ty, named("PetQuery"));
    // A content map behind `components/mediaTypes` reads as if written in place.
    let list = g
        .api
        .operations
        .iter()
        .find(|o| o.name == "list_pets")
        .unwrap();
    assert_eq!(
        list.success.body.as_ref().unwrap().ty,
        TypeRef::Vec(Box::new(named("Pet")))
    );
}

#[test]
fn duplicate_yaml_keys_keep_the_last_value() {
    let g = fixture("tolerant-yaml-duplicate-keys");
    let duplicates = g
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::DuplicateKey)
        .count();
    assert_eq!(duplicates, 7, "{:#?}", g.warnings);
    assert!(g.api.operations.iter().any(|o| o.name == "list_books"));
}
