//! Group features: which grouping an API gets, the feature names, and which groups reach
//! each type. The corpus builds the groups fixture's crate with no group and with single
//! groups (`cargo xtask corpus`); these tests pin the decisions on the IR.

use openapi_client_gen::generate;
use openapi_client_gen::ir::{Api, GroupBy};

fn lower(spec: &str) -> Api {
    generate(spec.as_bytes(), &crate::settings())
        .unwrap_or_else(|e| panic!("spec generates: {e}"))
        .api
}

fn fixture() -> Api {
    let path = crate::root().join("tests/fixtures/constructs/groups-3.1.yaml");
    lower(&std::fs::read_to_string(path).unwrap())
}

/// A document with one `get` per `(path, tags)`.
fn with_operations(operations: &[(&str, &[&str])]) -> Api {
    let paths: Vec<String> = operations
        .iter()
        .enumerate()
        .map(|(i, (path, tags))| {
            let tags: Vec<String> = tags.iter().map(|t| format!("{t:?}")).collect();
            format!(
                r#"{path:?}: {{"get": {{"operationId": "op{i}", "tags": [{}], "responses": {{"204": {{"description": "ok"}}}}}}}}"#,
                tags.join(", ")
            )
        })
        .collect();
    lower(&format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{{}}}}}"#,
        paths.join(", ")
    ))
}

fn features(api: &Api) -> Vec<&str> {
    api.grouping
        .groups
        .iter()
        .map(|g| g.feature.as_str())
        .collect()
}

#[test]
fn tags_that_partition_the_api_are_its_groups_with_sanitised_unique_feature_names() {
    let api = fixture();
    assert_eq!(api.grouping.by, GroupBy::Tags, "{}", api.grouping.reason);
    assert_eq!(
        features(&api),
        [
            "pets",
            "pull-requests",
            "owners",
            "mock-ops",
            "g-2fa",
            "pull-requests2"
        ]
    );
    // `create_pet` is in two tags, so in both groups.
    let create = api
        .operations
        .iter()
        .position(|o| o.name == "create_pet")
        .unwrap();
    assert_eq!(api.grouping.operations[create], [0, 1]);
}

#[test]
fn each_type_belongs_to_the_groups_whose_operations_reach_it() {
    let api = fixture();
    let groups_of = |name: &str| -> Option<Vec<&str>> {
        api.grouping.types.get(name).map(|groups| {
            groups
                .iter()
                .map(|&g| api.grouping.groups[g].feature.as_str())
                .collect()
        })
    };
    // Through `create_pet` (pets, Pull Requests), `list_owners`' `Owner.pets` and a
    // review's label: `Label` is reached by four groups, not all six.
    assert_eq!(
        groups_of("Pet"),
        Some(vec!["pets", "pull-requests", "owners"])
    );
    assert_eq!(
        groups_of("Label"),
        Some(vec!["pets", "pull-requests", "owners", "pull-requests2"])
    );
    // A parameter's and a form field's enum: pets and mock.
    assert_eq!(
        groups_of("Kind"),
        Some(vec!["pets", "pull-requests", "owners", "mock-ops"])
    );
    // An error body of two groups; a recursive type; an event stream's item.
    assert_eq!(groups_of("Problem"), Some(vec!["pets", "owners"]));
    assert_eq!(groups_of("Owner"), Some(vec!["owners"]));
    assert_eq!(groups_of("PetEvent"), Some(vec!["pets"]));
    // No operation reaches it: compiled with `full` only.
    assert_eq!(groups_of("Unused"), Some(vec![]));
}

#[test]
fn a_type_every_group_reaches_has_no_groups_listed() {
    let api = lower(
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
          "/a": {"get": {"operationId": "a", "tags": ["a"], "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shared"}}}}}}},
          "/b": {"get": {"operationId": "b", "tags": ["b"], "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shared"}}}}}}}},
          "components": {"schemas": {"Shared": {"type": "object", "properties": {"x": {"type": "string"}}}}}}"##,
    );
    assert_eq!(features(&api), ["a", "b"]);
    assert!(!api.grouping.types.contains_key("Shared"));
}

#[test]
fn without_useful_tags_the_first_path_segment_after_a_version_groups() {
    // Untagged operations.
    let api = with_operations(&[
        ("/v1/customers", &[]),
        ("/v1/customers/{id}/sources", &[]),
        ("/v1/charges", &["charges"]),
    ]);
    assert_eq!(api.grouping.by, GroupBy::Paths, "{}", api.grouping.reason);
    assert_eq!(features(&api), ["customers", "charges"]);
    assert!(
        api.grouping
            .reason
            .contains("2 of the 3 operations have no tag")
    );
    // One tag holding most operations.
    let api = with_operations(&[
        ("/api/v2/pods", &["everything"]),
        ("/api/v2/pods/{id}", &["everything"]),
        ("/api/v2/disks", &["disks"]),
    ]);
    assert_eq!(api.grouping.by, GroupBy::Paths);
    assert_eq!(features(&api), ["pods", "disks"]);
    assert!(
        api.grouping
            .reason
            .contains("`everything` holds 2 of the 3")
    );
    // A single tag, and paths that all share one segment: no groups, so no `#[cfg]`s.
    let api = with_operations(&[("/things", &["t"]), ("/things/{id}", &["t"])]);
    assert_eq!(api.grouping.by, GroupBy::None);
    assert!(api.grouping.groups.is_empty() && api.grouping.types.is_empty());
}

#[test]
fn the_committed_client_has_a_feature_per_tag() {
    let manifest = std::fs::read_to_string(crate::root().join("generated/Cargo.toml")).unwrap();
    let spec = std::fs::read(crate::root().join(xtask::SPEC)).unwrap();
    let api = generate(&spec, &crate::settings()).unwrap().api;
    assert_eq!(api.grouping.by, GroupBy::Tags);
    for group in &api.grouping.groups {
        assert!(
            manifest.contains(&format!("\n{} = []\n", group.feature)),
            "{} is not in generated/Cargo.toml",
            group.feature
        );
    }
    assert!(manifest.contains("default = [\"rustls\", \"full\"]"));
}

/// The parts of `module` (`types`, `client`, `mock`): each inline module's name, `#[cfg]`
/// and body (as its own file would have it), or each part file's, whichever the generator
/// wrote.
fn parts(generated: &openapi_client_gen::Generated, module: &str) -> Vec<(String, String, String)> {
    let text = &generated
        .files
        .iter()
        .find(|f| f.name == format!("{module}.rs"))
        .unwrap()
        .contents;
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix("mod ") else {
            continue;
        };
        // The `#[cfg]` is above `#[rustfmt::skip]` (and `#[path]` for a file).
        let cfg = lines[..n]
            .iter()
            .rev()
            .find(|l| l.starts_with("#[cfg("))
            .unwrap()
            .to_string();
        if let Some(name) = rest.strip_suffix(" {") {
            let end = n + lines[n..].iter().position(|l| *l == "}").unwrap();
            let body: Vec<&str> = lines[n + 1..end]
                .iter()
                .map(|l| l.strip_prefix("    ").unwrap_or(l))
                .collect();
            let body = body.join("\n") + "\n";
            out.push((name.to_string(), cfg, body));
        } else if let Some(name) = rest.strip_suffix(';') {
            let file = format!("{module}/{name}.rs");
            let body = &generated
                .files
                .iter()
                .find(|f| f.name == file)
                .unwrap()
                .contents;
            out.push((name.to_string(), cfg, body.clone()));
        }
    }
    out
}

#[test]
fn each_set_of_groups_has_a_part_that_only_its_features_declare() {
    let spec =
        std::fs::read(crate::root().join("tests/fixtures/constructs/groups-3.1.yaml")).unwrap();
    let generated = generate(&spec, &crate::settings()).unwrap();
    let part = |module: &str, name: &str| {
        parts(&generated, module)
            .into_iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, cfg, body)| (cfg, body))
    };
    let types = &generated
        .files
        .iter()
        .find(|f| f.name == "types.rs")
        .unwrap()
        .contents;
    // `Owner` is reached by `owners` alone: its part is `g_owners`, declared and
    // re-exported under that feature, and it is nowhere else.
    let (cfg, owners) = part("types", "g_owners").expect("a part for `owners`");
    assert_eq!(cfg, "#[cfg(feature = \"owners\")]");
    assert!(owners.contains("pub struct Owner {"));
    assert!(types.contains("#[cfg(feature = \"owners\")]\npub use g_owners::*;\n"));
    let defined = |name: &str| {
        generated
            .files
            .iter()
            .map(|f| f.contents.matches(&format!("pub struct {name} {{")).count())
            .sum::<usize>()
    };
    assert_eq!(defined("Owner"), 1);
    // `Problem` (pets, owners) is in a shared part under `any(..)`; `Unused` under `full`.
    let shared: Vec<_> = parts(&generated, "types")
        .into_iter()
        .filter(|(_, _, body)| body.contains("pub struct Problem {"))
        .collect();
    assert_eq!(shared.len(), 1);
    assert!(shared[0].0.starts_with("any_"));
    assert_eq!(
        shared[0].1,
        "#[cfg(any(feature = \"pets\", feature = \"owners\"))]"
    );
    let (cfg, unreached) = part("types", "unreached").unwrap();
    assert!(unreached.contains("Unused"));
    assert_eq!(cfg, "#[cfg(feature = \"full\")]");
    // A method is in the part of its operation's groups, inside `impl Client`:
    // `list_pets` in `pets`' own, `create_pet` (pets, Pull Requests) in a shared one.
    let (_, pets) = part("client", "g_pets").expect("a part for `pets`' methods");
    assert!(pets.contains("\nimpl Client {\n"));
    assert!(pets.contains("pub fn list_pets("));
    assert!(!pets.contains("pub fn create_pet("));
    let create: Vec<_> = parts(&generated, "client")
        .into_iter()
        .filter(|(_, _, body)| body.contains("pub fn create_pet("))
        .collect();
    assert_eq!(create.len(), 1);
    assert_eq!(
        create[0].1,
        "#[cfg(any(feature = \"pets\", feature = \"pull-requests\"))]"
    );
    // The mock's methods and builders likewise, the builders re-exported; its unit test
    // stays last in `mock.rs`.
    let (_, mock_pets) = part("mock", "g_pets").expect("a part for `pets`' mock builders");
    assert!(mock_pets.contains("\nimpl MockServer {\n"));
    assert!(mock_pets.contains("pub struct ListPetsMock<'s>"));
    let mock = &generated
        .files
        .iter()
        .find(|f| f.name == "mock.rs")
        .unwrap()
        .contents;
    assert!(mock.contains("#[cfg(feature = \"pets\")]\npub use g_pets::*;\n"));
    assert!(mock.rfind("mod g_pets").unwrap() < mock.find("#[cfg(test)]").unwrap());
    // Without groups, one file per module.
    let spec = br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
      "/things": {"get": {"operationId": "a", "responses": {"204": {"description": "ok"}}}}}}"#;
    let names: Vec<String> = generate(spec, &crate::settings())
        .unwrap()
        .files
        .into_iter()
        .map(|f| f.name)
        .filter(|n| !n.starts_with("runtime"))
        .collect();
    assert_eq!(names, ["client.rs", "mock.rs", "operations.md", "types.rs"]);
}

/// Every literal in the emitted files is on one line: inline parts are indented a level
/// (`emit::indented`), which would change a literal that spans lines.
fn assert_no_literal_spans_lines(files: &[openapi_client_gen::emit::File]) {
    fn walk(tokens: proc_macro2::TokenStream, file: &str) {
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Group(g) => walk(g.stream(), file),
                proc_macro2::TokenTree::Literal(l) => {
                    let text = l.to_string();
                    assert!(!text.contains('\n'), "{file}: {text}");
                }
                _ => {}
            }
        }
    }
    for file in files.iter().filter(|f| f.name.ends_with(".rs")) {
        walk(file.contents.parse().expect("lexes"), &file.name);
    }
}

/// A small module's parts are inline modules, one level deeper, with no file of their
/// own; a module whose parts together reach the generator's limit (256 KiB) has a file
/// per part, which a build without its features never opens.
#[test]
fn parts_are_inline_in_a_small_module_and_files_in_a_large_one() {
    let spec =
        std::fs::read(crate::root().join("tests/fixtures/constructs/groups-3.1.yaml")).unwrap();
    let small = generate(&spec, &crate::settings()).unwrap();
    let names: Vec<&str> = small.files.iter().map(|f| f.name.as_str()).collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains('/') || n.starts_with("runtime/")),
        "{names:?}"
    );
    let client = &small
        .files
        .iter()
        .find(|f| f.name == "client.rs")
        .unwrap()
        .contents;
    assert!(client.contains(
        "\n#[cfg(feature = \"pets\")]\n#[rustfmt::skip]\nmod g_pets {\n    //! The part compiled with `pets`.\n"
    ));
    assert_no_literal_spans_lines(&small.files);
    let features = std::fs::read(crate::root().join("tests/fixtures/features.yaml")).unwrap();
    assert_no_literal_spans_lines(&generate(&features, &crate::settings()).unwrap().files);

    // Enough tagged operations, each with schemas of its own, for every module to pass
    // the limit.
    let paths: Vec<String> = (0..400)
        .map(|i| {
            format!(
                r#""/r{i}": {{"post": {{"operationId": "op{i}", "tags": ["t{}"], "requestBody": {{"content": {{"application/json": {{"schema": {{"type": "object", "properties": {{"a{i}": {{"type": "string"}}, "b": {{"type": "integer"}}}}}}}}}}}}, "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"type": "object", "properties": {{"c{i}": {{"type": "string"}}}}}}}}}}}}}}}}}}"#,
                i % 4
            )
        })
        .collect();
    let spec = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{{}}}}}"#,
        paths.join(", ")
    );
    let large = generate(spec.as_bytes(), &crate::settings()).unwrap();
    let names: Vec<&str> = large.files.iter().map(|f| f.name.as_str()).collect();
    for module in ["client", "types", "mock"] {
        assert!(
            names.contains(&format!("{module}/g_t0.rs").as_str()),
            "{module}: {names:?}"
        );
    }
    let client = &large
        .files
        .iter()
        .find(|f| f.name == "client.rs")
        .unwrap()
        .contents;
    assert!(client.contains("#[path = \"client/g_t0.rs\"]"));
    assert!(!client.contains("mod g_t0 {"));
}

#[test]
fn a_component_written_out_again_is_an_alias_of_the_first() {
    let generated = generate(
        br##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
          "/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Holder"}}}}}}}},
          "components": {"schemas": {
            "Holder": {"type": "object", "properties": {
              "user": {"$ref": "#/components/schemas/nullable-user"},
              "copy": {"$ref": "#/components/schemas/user-copy"},
              "other": {"$ref": "#/components/schemas/Other"}}},
            "user": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
            "nullable-user": {"type": "object", "nullable": true, "required": ["id"],
              "properties": {"id": {"type": "integer"}}},
            "user-copy": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
            "Other": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}}"##,
        &crate::settings(),
    )
    .unwrap();
    let types = &generated
        .files
        .iter()
        .find(|f| f.name == "types.rs")
        .unwrap()
        .contents;
    // The nullable copy is the same struct, still optional where it is used; the exact
    // copy is the same struct; a different schema keeps its own.
    assert!(types.contains("pub type NullableUser = User;"), "{types}");
    assert!(types.contains("pub type UserCopy = User;"), "{types}");
    assert!(types.contains("pub user: Option<NullableUser>,"), "{types}");
    assert!(types.contains("pub struct Other {"), "{types}");
    assert_eq!(types.matches("pub struct User {").count(), 1);
}
