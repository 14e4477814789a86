//! The standalone CLI: a complete crate and the names map.

use std::process::Command;

#[test]
fn writes_a_crate_and_the_names_map() {
    let exe = crate::support::workspace_binary(
        "openapi-client-gen",
        &["generator/src", "runtime/src"],
        &["-p", "openapi-client-gen", "--bin", "openapi-client-gen"],
    );
    let out = std::env::temp_dir().join(format!("cli-crate-{}", std::process::id()));
    let names = out.join("names.json");
    let status = Command::new(exe)
        .arg(crate::root().join("specs/openapi.json"))
        .args(["--out"])
        .arg(&out)
        .args(["--crate-name", "pi-client", "--names"])
        .arg(&names)
        .status()
        .unwrap();
    assert!(status.success());
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "src/client.rs",
        "src/types.rs",
        "src/runtime.rs",
        "src/runtime/auth.rs",
    ] {
        assert!(out.join(file).is_file(), "{file} written");
    }
    let cargo = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("name = \"pi-client\"") && cargo.contains("[workspace]"));
    let map: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&names).unwrap()).unwrap();
    let types = map["types"].as_array().unwrap();
    assert_eq!(types.len(), 163, "every component schema is listed");
    assert!(types.contains(&serde_json::json!({
        "schema": "#/components/schemas/DeleteImageResponse",
        "rust": "types::DeleteImageResponse"
    })));
    let ops = map["operations"].as_array().unwrap();
    assert_eq!(ops.len(), 84);
    assert!(ops.contains(&serde_json::json!({
        "method": "DELETE",
        "path": "/api/v1/images/{image_name}/{image_tag}",
        "operation_id": "delete_user_image_api_v1_images__image_name___image_tag__delete",
        "rust": "delete_user_image"
    })));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn the_crate_template_uses_the_dependencies_prime_api_uses() {
    let template = openapi_client_gen::package::dependencies().to_string()
        + openapi_client_gen::package::features();
    for target in xtask::TARGETS {
        let dir = target.out_dir.trim_end_matches("/src");
        let path = format!("{dir}/Cargo.toml");
        let manifest = std::fs::read_to_string(crate::root().join(&path)).unwrap();
        // The defaults are the API's (TLS, plus uploads or multipart where it needs them).
        for line in template
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("default = "))
        {
            assert!(manifest.contains(line), "{path} lacks `{line}`");
        }
        assert!(
            manifest.contains("\ndefault = [\"rustls\""),
            "{path}: TLS is a default feature"
        );
    }
}
