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
        "src/runtime/mock.rs",
    ] {
        assert!(out.join(file).is_file(), "{file} written");
    }
    // The runtime's modules are inline in `runtime.rs`, but the one a `#[cfg]` gates.
    assert!(!out.join("src/runtime/auth.rs").exists());
    let runtime = std::fs::read_to_string(out.join("src/runtime.rs")).unwrap();
    assert!(runtime.contains("\nmod auth {\n"));
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
    // The committed crates choose no typed format, so their dependencies are the
    // runtime's less the format libraries.
    let template = openapi_client_gen::package::crate_dependencies(&crate::settings())
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

#[test]
fn diff_reports_changes_their_class_and_exit_status() {
    let exe = crate::support::workspace_binary(
        "openapi-client-gen",
        &["generator/src", "runtime/src"],
        &["-p", "openapi-client-gen", "--bin", "openapi-client-gen"],
    );
    let dir = std::env::temp_dir().join(format!("cli-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let old = crate::root().join("specs/openapi.json");
    let mut doc: serde_json::Value = serde_json::from_slice(&crate::pi_spec()).unwrap();
    doc["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/api/v1/images/{image_name}/{image_tag}")
        .expect("the PI spec has the delete-image path");
    let new = dir.join("new.json");
    std::fs::write(&new, doc.to_string()).unwrap();
    let run =
        |args: &[&std::ffi::OsStr]| Command::new(&exe).arg("diff").args(args).output().unwrap();

    let same = run(&[old.as_os_str(), old.as_os_str()]);
    assert!(same.status.success());
    assert_eq!(String::from_utf8_lossy(&same.stdout), "no changes\n");

    let text = run(&[old.as_os_str(), new.as_os_str()]);
    assert!(
        text.status.success(),
        "without --fail-on a report is not a failure"
    );
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("breaking:\n"), "{text}");
    assert!(
        text.contains(
            "`delete_user_image` (`DELETE /api/v1/images/{image_name}/{image_tag}`) is gone"
        ),
        "{text}"
    );

    let json = run(&[
        old.as_os_str(),
        new.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["class"], "breaking");
    assert!(
        json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "operation-removed"
                && c["pointer"] == "#/paths/~1api~1v1~1images~1{image_name}~1{image_tag}/delete")
    );

    let fail = run(&[
        old.as_os_str(),
        new.as_os_str(),
        "--fail-on".as_ref(),
        "breaking".as_ref(),
    ]);
    assert_eq!(fail.status.code(), Some(1));
    // The reverse direction adds the operation back, before others: additive, and the
    // `Operation` variants after it are renumbered (breaking); `--fail-on patch` fails on
    // anything.
    let added = run(&[
        new.as_os_str(),
        old.as_os_str(),
        "--fail-on".as_ref(),
        "patch".as_ref(),
    ]);
    assert_eq!(added.status.code(), Some(1));
    let added = String::from_utf8_lossy(&added.stdout);
    assert!(
        added.contains("[operation-added]") && added.contains("[operation-renumbered]"),
        "{added}"
    );

    let bad = run(&[
        old.as_os_str(),
        new.as_os_str(),
        "--format".as_ref(),
        "yaml".as_ref(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("invalid value 'yaml' for '--format <FORMAT>'")
            && stderr.contains("[possible values: text, markdown, json]"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// The command line as users of Rust CLIs expect it: `--version`, `--help` with examples and
/// exit statuses, the `generate` subcommand (also the default), short flags, and `-` for a
/// document on standard input.
#[test]
fn command_line_conventions() {
    let exe = crate::support::workspace_binary(
        "openapi-client-gen",
        &["generator/src", "runtime/src"],
        &["-p", "openapi-client-gen", "--bin", "openapi-client-gen"],
    );
    let version = Command::new(&exe).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("openapi-client-gen {}", env!("CARGO_PKG_VERSION"))
    );
    let help = Command::new(&exe).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for part in [
        "generate",
        "diff",
        "Examples:",
        "Exit status:",
        "-o, --out <DIR>",
    ] {
        assert!(help.contains(part), "--help shows {part:?}:\n{help}");
    }
    let usage = Command::new(&exe).arg("--frobnicate").output().unwrap();
    assert_eq!(usage.status.code(), Some(2), "a usage error exits 2");
    let missing = Command::new(&exe).arg("spec.yaml").output().unwrap();
    assert_eq!(missing.status.code(), Some(2), "--out is required");

    let dir = std::env::temp_dir().join(format!("cli-stdin-{}", std::process::id()));
    let mut child = Command::new(&exe)
        .args(["generate", "-", "-o"])
        .arg(&dir)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        &std::fs::read(crate::root().join("specs/corpus/petstore.yaml")).unwrap(),
    )
    .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"api-client\""), "{manifest}");
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
    assert!(lib.contains("openapi-client-gen from standard input"));
    std::fs::remove_dir_all(&dir).ok();
}

/// The one-file client of a build script: every module inline (no `mod name;` or
/// `#[path]` left, no crate-level attribute), the same items as the crate's files, and
/// Rust that parses. The build-script example crate compiles one (the groups fixture).
#[test]
fn single_file_inlines_every_module() {
    for spec in ["specs/openapi.json", "specs/corpus/github.json"] {
        let text = std::fs::read(crate::root().join(spec)).unwrap();
        let settings = crate::settings();
        let generated = openapi_client_gen::generate(&text, &settings).unwrap();
        let one = openapi_client_gen::package::single_file(&generated, &settings).unwrap();
        // Rust that parses, with no inner attribute at the top (`include!` refuses one).
        let file = syn::parse_file(&one).unwrap_or_else(|e| panic!("{spec}: {e}"));
        assert!(file.attrs.is_empty(), "{spec}: crate-level attributes");
        for line in one.lines() {
            let t = line.trim();
            assert!(!t.starts_with("#[path"), "{spec}: {line}");
            let declaration = t.strip_prefix("pub ").unwrap_or(t);
            assert!(
                !(declaration.starts_with("mod ") && declaration.ends_with(';')),
                "{spec}: {line}"
            );
        }
        // Every struct and enum of the crate's files is in the one file, once.
        let files = openapi_client_gen::package::crate_files(&generated, &settings).unwrap();
        let count = |text: &str| {
            text.matches("\npub struct ").count() + text.matches("\npub enum ").count()
        };
        let in_files: usize = files.iter().map(|(_, c)| count(c)).sum();
        assert_eq!(count(&one), in_files, "{spec}");
        assert!(in_files > 100, "{spec}: {in_files}");
    }
}

/// `diff --config`: both revisions are lowered with the config's selection and names, as the
/// crates are generated; a name the old revision lacks applies to nothing there.
#[test]
fn diff_applies_the_config_to_both_revisions() {
    let exe = crate::support::workspace_binary(
        "openapi-client-gen",
        &["generator/src", "runtime/src"],
        &["-p", "openapi-client-gen", "--bin", "openapi-client-gen"],
    );
    let dir = std::env::temp_dir().join(format!("cli-diff-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let old = dir.join("old.json");
    let new = dir.join("new.json");
    std::fs::write(&old, r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"operationId": "getA", "responses": {"204": {"description": "ok"}}}}}}"#).unwrap();
    std::fs::write(&new, r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"operationId": "getA", "responses": {"204": {"description": "ok"}}}}, "/b": {"get": {"operationId": "getB", "responses": {"204": {"description": "ok"}}}}}}"#).unwrap();
    let config = dir.join("names.toml");
    std::fs::write(
        &config,
        "[names.operations]\ngetA = \"fetch_a\"\ngetB = \"fetch_b\"\n",
    )
    .unwrap();
    let out = Command::new(&exe)
        .arg("diff")
        .args([&old, &new])
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // The old revision has no getB: its name applies to nothing there, and fetch_a is
    // fetch_a on both sides.
    assert!(text.contains("additive"), "{text}");
    assert!(text.contains("new operation `fetch_b`"), "{text}");
    assert!(
        !text.contains("[operation-renamed]") && !text.contains("[operation-removed]"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
