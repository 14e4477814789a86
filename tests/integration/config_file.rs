//! The config file (`openapi-client-gen.toml`): one test per kind of mistake, each checking
//! the message names the key, its line and what would be valid; and each setting's effect
//! on the generated crate.

use openapi_client_gen::config::Config;
use openapi_client_gen::{Location, Settings, generate, package};

fn parse_error(text: &str) -> String {
    Config::parse(text, "c.toml").expect_err("the config is refused")
}

#[test]
fn unknown_keys_are_errors_that_list_the_valid_ones() {
    let top = parse_error("[package]\nname = \"x\"\n\n[format]\ndate-time = \"jiff\"\n");
    assert!(
        top.starts_with("c.toml: TOML parse error at line 4"),
        "{top}"
    );
    assert!(
        top.contains("unknown field `format`, expected one of `package`, `warnings`, `select`, `names`, `formats`, `types`, `dependencies`"),
        "{top}"
    );
    let nested = parse_error("[package]\nnmae = \"x\"\n");
    assert!(nested.contains("line 2"), "{nested}");
    assert!(
        nested.contains("unknown field `nmae`, expected one of `name`, `version`, `description`, `license`, `repository`, `edition`, `default-features`"),
        "{nested}"
    );
}

#[test]
fn wrong_types_and_values_are_errors_at_their_line() {
    let version = parse_error("[package]\nversion = 1\n");
    assert!(
        version.contains("line 2")
            && version.contains("invalid type: integer `1`, expected a string"),
        "{version}"
    );
    let kind = parse_error("[warnings]\ndeny = [\"dangling-refs\"]\n");
    assert!(kind.contains("line 2"), "{kind}");
    assert!(
        kind.contains(
            "unknown warning kind `dangling-refs`, expected one of `dangling-ref`, `external-ref`"
        ),
        "{kind}"
    );
    let edition = parse_error("[package]\nedition = \"2021\"\n");
    assert!(
        edition.contains("line 2") && edition.contains("unknown variant `2021`, expected `2024`"),
        "{edition}"
    );
}

#[test]
fn formats_and_types_are_checked_at_their_line() {
    let library = parse_error("[formats]\ndate-time = \"jiff\"\nduration = \"chrono\"\n");
    assert!(
        library.contains("line 3")
            && library.contains("unknown variant `chrono`, expected `string` or `jiff`"),
        "{library}"
    );
    let format = parse_error("[formats]\ndatetime = \"jiff\"\n");
    assert!(
        format.contains("unknown field `datetime`, expected one of `date-time`, `date`, `time`, `duration`, `uuid`, `byte`, `decimal`, `uri`"),
        "{format}"
    );
    let derive = parse_error("[types]\nderives = [\"Eq\", \"serde::Serialize()\"]\n");
    assert_eq!(
        derive,
        "c.toml:2:18: types.derives: `serde::Serialize()` is not a Rust path such as `Hash` or `my_crate::Pet`"
    );
    let replace = parse_error("[types.replace]\nPet = \"my crate::Pet\"\n");
    assert_eq!(
        replace,
        "c.toml:2:7: types.replace: `my crate::Pet` is not a Rust path such as `Hash` or `my_crate::Pet`"
    );
    let key = parse_error("[types]\nnon_exhaustive = true\n");
    assert!(key.contains("unknown field `non_exhaustive`"), "{key}");
}

#[test]
fn types_and_formats_shape_the_generated_code() {
    let spec =
        std::fs::read(crate::root().join("tests/fixtures/constructs/formats-3.1.yaml")).unwrap();
    let config = "[formats]\ndate-time = \"chrono\"\nuuid = \"uuid\"\n\n[types]\nderives = [\"Eq\"]\nnon-exhaustive = true\n\n[types.derives-by-schema]\nMoved = [\"Hash\"]\n\n[types.replace]\nCancelled = \"serde_json::Value\"\n";
    let generated = generate(&spec, &settings(config)).unwrap();
    let api = &generated.api;
    assert!(!api.types.iter().any(|t| t.name == "Cancelled"), "replaced");
    let event = openapi_client_gen::emit::type_item(api, "Event").unwrap();
    assert!(
        event.contains("pub id: ::uuid::Uuid,")
            && event.contains("pub at: ::chrono::DateTime<::chrono::Utc>,"),
        "{event}"
    );
    assert!(
        event.contains("#[derive(Eq)]") && !event.contains("non_exhaustive"),
        "{event}"
    );
    assert!(
        event.contains("runtime::field_wire(&mut map, &mut f1, \"at\")"),
        "{event}"
    );
    let change = openapi_client_gen::emit::type_item(api, "Change").unwrap();
    assert!(
        change.contains("#[non_exhaustive]") && change.contains("Cancelled(::serde_json::Value)"),
        "{change}"
    );
    let moved = openapi_client_gen::emit::type_item(api, "Moved").unwrap();
    assert!(moved.contains("#[derive(Eq, Hash)]"), "{moved}");
    let manifest = package::crate_files(&generated, &settings(config)).unwrap();
    let cargo = &manifest.iter().find(|(p, _)| p == "Cargo.toml").unwrap().1;
    assert!(
        cargo.contains("\nchrono = {")
            && cargo.contains("\nuuid = {")
            && !cargo.contains("\njiff = "),
        "{cargo}"
    );
    // A name the document lacks is an error in the config.
    let failure = generate(
        &spec,
        &settings("[types.replace]\nNope = \"serde_json::Value\"\n"),
    )
    .unwrap_err();
    assert!(
        failure
            .to_string()
            .contains("c.toml:2:8: types.replace: the document has no component schema `Nope`"),
        "{failure}"
    );
}

#[test]
fn names_and_versions_cargo_would_refuse_are_errors() {
    let name = parse_error("[package]\nname = \"1pets\"\n");
    assert_eq!(
        name,
        "c.toml:2:8: package.name `1pets` is not a crate name Cargo accepts (a letter, then letters, digits, `-` or `_`)"
    );
    let version = parse_error("\n[package]\nversion = \"1.0\"\n");
    assert_eq!(
        version,
        "c.toml:3:11: package.version `1.0` is not a semver version such as `0.1.0`"
    );
    let both = parse_error("[warnings]\ndeny = [\"other\"]\nallow = [\"other\"]\n");
    assert_eq!(
        both,
        "c.toml: warnings: `other` is both denied and allowed; keep one"
    );
}

fn settings(config: &str) -> Settings {
    Settings {
        config: Config::parse(config, "c.toml").unwrap(),
        ..crate::settings()
    }
}

#[test]
fn a_default_feature_the_crate_lacks_is_an_error_in_the_config() {
    let failure = generate(
        &crate::pi_spec(),
        &settings("[package]\ndefault-features = [\"rustls\", \"pods\", \"podz\"]\n"),
    )
    .expect_err("podz is no feature of the PI crate");
    assert_eq!(failure.errors.len(), 1);
    let e = &failure.errors[0];
    assert_eq!(e.location, Location::Config("c.toml:2:39".into()));
    assert!(e.message.starts_with("package.default-features: `podz` is not a feature of this crate, which has `rustls`, `native-tls`"), "{}", e.message);
    assert!(
        e.message.contains("`pods`"),
        "the group features are listed"
    );
}

#[test]
fn package_settings_shape_the_manifest() {
    let settings = settings(
        "[package]\nname = \"ignored-by-the-library\"\nversion = \"2.3.4\"\ndescription = \"The \\\"PI\\\" client\"\nlicense = \"MIT OR Apache-2.0\"\nrepository = \"https://example.com/pi\"\nedition = \"2024\"\ndefault-features = [\"native-tls\", \"pods\"]\n",
    );
    let generated = generate(&crate::pi_spec(), &settings).unwrap();
    let files = package::crate_files(&generated, &settings).unwrap();
    let manifest = &files.iter().find(|(p, _)| p == "Cargo.toml").unwrap().1;
    for line in [
        "name = \"prime-api\"\n",
        "version = \"2.3.4\"\n",
        "edition = \"2024\"\n",
        "description = \"The \\\"PI\\\" client\"\n",
        "license = \"MIT OR Apache-2.0\"\n",
        "repository = \"https://example.com/pi\"\n",
        "default = [\"native-tls\", \"pods\"]\n",
    ] {
        assert!(manifest.contains(line), "{line:?} in\n{manifest}");
    }
    // Defaults without a config: the crate's own.
    let plain = generate(&crate::pi_spec(), &crate::settings()).unwrap();
    let files = package::crate_files(&plain, &crate::settings()).unwrap();
    let manifest = &files.iter().find(|(p, _)| p == "Cargo.toml").unwrap().1;
    assert!(manifest.contains("version = \"0.1.0\"\n") && !manifest.contains("license ="));
    assert!(
        manifest.contains("default = [\"rustls\", \"full\"]\n"),
        "{manifest}"
    );
}

/// A document with one `raw-encoding` warning (an XML response).
const XML: &str = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok", "content": {"application/xml": {"schema": {"type": "string"}}}}}}}}}"#;

#[test]
fn warnings_are_allowed_or_denied_by_kind() {
    let plain = generate(XML.as_bytes(), &crate::settings()).unwrap();
    let kinds: Vec<&str> = plain.warnings.iter().map(|w| w.kind.name()).collect();
    assert!(kinds.contains(&"raw-encoding"), "{kinds:?}");
    let allowed = generate(
        XML.as_bytes(),
        &settings("[warnings]\nallow = [\"raw-encoding\"]\n"),
    )
    .unwrap();
    assert!(
        allowed
            .warnings
            .iter()
            .all(|w| w.kind.name() != "raw-encoding")
    );
    let denied = generate(
        XML.as_bytes(),
        &settings("[warnings]\ndeny = [\"raw-encoding\"]\n"),
    )
    .expect_err("a denied warning fails generation");
    let e = &denied.errors[0];
    assert_eq!(
        e.location,
        Location::Pointer("#/paths/~1a/get/responses/200/content/application~1xml".into())
    );
    assert!(
        e.message
            .ends_with("(warning[raw-encoding], denied by the config)"),
        "{}",
        e.message
    );
}

/// The CLI reads `openapi-client-gen.toml` beside the document, or `--config`; the
/// command line's `--crate-name` wins over the config's name.
#[test]
fn the_cli_finds_the_config_beside_the_document() {
    let exe = crate::support::workspace_binary(
        "openapi-client-gen",
        &["generator/src", "runtime/src"],
        &["-p", "openapi-client-gen", "--bin", "openapi-client-gen"],
    );
    let dir = std::env::temp_dir().join(format!("cli-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("api.json"), XML).unwrap();
    std::fs::write(
        dir.join("openapi-client-gen.toml"),
        "[package]\nname = \"from-config\"\nversion = \"0.4.0\"\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(&exe)
            .arg(dir.join("api.json"))
            .arg("-o")
            .arg(dir.join("out"))
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = std::fs::read_to_string(dir.join("out/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("name = \"from-config\"") && manifest.contains("version = \"0.4.0\"")
    );
    let out = run(&["--crate-name", "from-flag"]);
    assert!(out.status.success());
    let manifest = std::fs::read_to_string(dir.join("out/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"from-flag\"") && manifest.contains("version = \"0.4.0\""));
    std::fs::write(
        dir.join("other.toml"),
        "[warnings]\ndeny = [\"raw-encoding\"]\n",
    )
    .unwrap();
    let out = run(&["--config", dir.join("other.toml").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("denied by the config"), "{stderr}");
    std::fs::write(dir.join("bad.toml"), "[pakage]\n").unwrap();
    let out = run(&["--config", dir.join("bad.toml").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown field `pakage`"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

fn lowered(config: &str) -> openapi_client_gen::ir::Api {
    generate(&crate::pi_spec(), &settings(config))
        .unwrap_or_else(|e| panic!("generates: {e}"))
        .api
}

/// `[select]`: include by tag, path pattern or operationId, exclude likewise; the types no
/// kept operation reaches are left out, and the names of what is kept do not change.
#[test]
fn selection_keeps_the_chosen_operations_and_the_types_they_reach() {
    let all = lowered("");
    let pods = lowered("[select.include]\ntags = [\"Pods\"]\n");
    assert_eq!(pods.operations.len(), 7);
    assert!(
        pods.operations
            .iter()
            .all(|o| o.tags.iter().any(|t| t == "Pods"))
    );
    assert!(
        pods.types.len() < all.types.len() / 2,
        "{} of {}",
        pods.types.len(),
        all.types.len()
    );
    // Every kept type is one the full crate has, under the same name.
    for t in &pods.types {
        assert!(all.types.iter().any(|u| u.name == t.name), "{}", t.name);
    }
    for op in &pods.operations {
        let same = all
            .operations
            .iter()
            .find(|o| o.operation_id == op.operation_id)
            .unwrap();
        assert_eq!(same.name, op.name);
    }
    let by_path = lowered("[select.include]\npaths = [\"/api/v1/pods*\"]\n");
    assert!(!by_path.operations.is_empty());
    assert!(
        by_path
            .operations
            .iter()
            .all(|o| o.path.starts_with("/api/v1/pods"))
    );
    let delete = "delete_user_image_api_v1_images__image_name___image_tag__delete";
    let without = lowered(&format!("[select.exclude]\noperations = [\"{delete}\"]\n"));
    assert_eq!(without.operations.len(), all.operations.len() - 1);
    assert!(
        without
            .operations
            .iter()
            .all(|o| o.operation_id.as_deref() != Some(delete))
    );
    assert!(
        !without
            .types
            .iter()
            .any(|t| t.name == "DeleteImageResponse"),
        "the deleted operation's response type goes with it"
    );
    // Include, then exclude.
    let both = lowered(&format!(
        "[select.include]\ntags = [\"Images\"]\n[select.exclude]\noperations = [\"{delete}\"]\n"
    ));
    assert_eq!(both.operations.len(), 6);
}

#[test]
fn a_selection_rule_that_matches_nothing_is_an_error_at_its_line() {
    let failure = generate(
        &crate::pi_spec(),
        &settings("[select.include]\ntags = [\"Pods\", \"Podz\"]\n"),
    )
    .expect_err("no operation has tag Podz");
    assert_eq!(failure.errors.len(), 1);
    assert_eq!(
        failure.errors[0].location,
        Location::Config("c.toml:2:17".into())
    );
    assert_eq!(
        failure.errors[0].message,
        "select.include.tags: `Podz` matches no operation of the document"
    );
    let unknown = parse_error("[select]\ninclude = { methods = [\"get\"] }\n");
    assert!(
        unknown.contains("unknown field `methods`, expected one of `tags`, `paths`, `operations`"),
        "{unknown}"
    );
}

/// `[names]`: a method name by operationId and a type name by component schema replace the
/// generator's; everything else keeps its name, and references follow the new type name.
#[test]
fn names_replace_the_generators_by_operation_id_and_schema() {
    let delete = "delete_user_image_api_v1_images__image_name___image_tag__delete";
    let all = lowered("");
    let named = lowered(&format!(
        "[names.operations]\n{delete} = \"remove_image\"\n\n[names.types]\nDeleteImageResponse = \"ImageRemoved\"\n"
    ));
    let op = named
        .operations
        .iter()
        .find(|o| o.operation_id.as_deref() == Some(delete))
        .unwrap();
    assert_eq!(op.name, "remove_image");
    assert_eq!(op.with_response_name, "remove_image_with_response");
    assert!(named.types.iter().any(|t| t.name == "ImageRemoved"));
    assert!(!named.types.iter().any(|t| t.name == "DeleteImageResponse"));
    let body = op.success.body.as_ref().unwrap();
    assert_eq!(
        body.ty,
        openapi_client_gen::ir::TypeRef::Named("ImageRemoved".into())
    );
    // The rest is untouched.
    let others = |api: &openapi_client_gen::ir::Api| -> Vec<String> {
        api.operations
            .iter()
            .filter(|o| o.operation_id.as_deref() != Some(delete))
            .map(|o| o.name.clone())
            .collect()
    };
    assert_eq!(others(&named), others(&all));
    assert_eq!(named.types.len(), all.types.len());
}

#[test]
fn names_that_cannot_be_used_are_errors_at_their_line() {
    let errors = |config: &str| -> Vec<String> {
        generate(&crate::pi_spec(), &settings(config))
            .expect_err("the names are refused")
            .errors
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(
        errors("[names.operations]\nnoSuchOperation = \"x\"\n"),
        ["c.toml:2:19: names.operations: the document has no operationId `noSuchOperation`"]
    );
    assert_eq!(
        errors("[names.types]\nDeleteImageResponse = \"deleted\"\n"),
        [
            "c.toml:2:23: names.types: `deleted` is not an upper camel case type name (`Deleted` would be)"
        ]
    );
    assert_eq!(
        errors("[names.types]\nNoSuchSchema = \"X\"\n"),
        ["c.toml:2:16: names.types: the document has no component schema `NoSuchSchema`"]
    );
    let delete = "delete_user_image_api_v1_images__image_name___image_tag__delete";
    assert_eq!(
        errors(&format!("[names.operations]\n{delete} = \"builder\"\n")),
        [format!(
            "c.toml:2:{}: names.operations: `builder` is chosen twice or is a method `Client` has",
            delete.len() + 4
        )]
    );
    assert_eq!(
        errors(&format!("[names.operations]\n{delete} = \"type\"\n")),
        [format!(
            "c.toml:2:{}: names.operations: `type` is not a snake case method name (`type_` would be)",
            delete.len() + 4
        )]
    );
}
