//! The committed client matches what the generator renders from the committed spec.

#[test]
fn committed_client_is_up_to_date() {
    let stale = xtask::check(&crate::root())
        .expect("the client renders")
        .stale;
    if !stale.is_empty() {
        let diffs: String = stale.iter().map(|s| s.diff.as_str()).collect();
        panic!("{diffs}\ngenerated client is stale: run `cargo xtask codegen` and commit");
    }
}

/// `codegen` on a changed spec: the report against the last generated document, the
/// version bumped by its class, a CHANGELOG section, the copy replaced; run again, nothing
/// moves. Run on a copy of the files `codegen` reads, in a temporary root.
#[test]
fn codegen_versions_the_client_from_the_change_report() {
    let root = crate::root();
    let tmp = std::env::temp_dir().join(format!("codegen-release-{}", std::process::id()));
    for file in [
        "specs/openapi.json",
        "specs/openapi-client-gen.toml",
        "generated/Cargo.toml",
        "generated/CHANGELOG.md",
        "generated/openapi.json",
        "tests/fixtures/features.yaml",
        "tests/features-api/Cargo.toml",
    ] {
        let to = tmp.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(file), &to).unwrap();
    }
    // Unchanged: the version stays and no section is added.
    let written = xtask::write(&tmp).unwrap();
    let release = &written.releases[0];
    assert_eq!(
        (release.crate_name.as_str(), release.report.class()),
        ("prime-api", None)
    );
    assert_eq!(release.from, release.to);
    let changelog = std::fs::read_to_string(root.join("generated/CHANGELOG.md")).unwrap();
    assert_eq!(
        std::fs::read_to_string(tmp.join("generated/CHANGELOG.md")).unwrap(),
        changelog
    );

    // An optional query parameter added to one operation: a breaking change of the crate
    // (a new argument), so a 0.x crate's minor goes up.
    let mut doc: serde_json::Value = serde_json::from_slice(&crate::pi_spec()).unwrap();
    doc["paths"]["/api/v1/images/{image_name}/{image_tag}"]["delete"]["parameters"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "force", "in": "query", "schema": {"type": "boolean"}}));
    std::fs::write(tmp.join("specs/openapi.json"), doc.to_string()).unwrap();
    let drift = xtask::check(&tmp).unwrap();
    let stale: Vec<&str> = drift.stale.iter().map(|s| s.path.as_str()).collect();
    for path in [
        "generated/Cargo.toml",
        "generated/CHANGELOG.md",
        "generated/openapi.json",
    ] {
        assert!(stale.contains(&path), "{path} is stale: {stale:?}");
    }
    let written = xtask::write(&tmp).unwrap();
    let release = &written.releases[0];
    let version = |v: &str| {
        let parts: Vec<u64> = v.split('.').map(|p| p.parse().unwrap()).collect();
        (parts[0], parts[1], parts[2])
    };
    let (major, minor, _) = version(&release.from);
    assert_eq!(major, 0, "the client is pre-1.0");
    assert_eq!(release.to, format!("0.{}.0", minor + 1));
    let kinds: Vec<&str> = release.report.changes.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, ["parameter-added-optional"]);
    let manifest = std::fs::read_to_string(tmp.join("generated/Cargo.toml")).unwrap();
    assert!(manifest.contains(&format!("\nversion = \"{}\"\n", release.to)));
    let changelog = std::fs::read_to_string(tmp.join("generated/CHANGELOG.md")).unwrap();
    let first_section = changelog.find("\n## ").unwrap();
    assert!(
        changelog[first_section..].starts_with(&format!("\n## {} — ", release.to)),
        "{changelog}"
    );
    assert!(
        changelog.contains("- `delete_user_image` takes a new optional query parameter `force`")
    );
    assert_eq!(
        std::fs::read(tmp.join("generated/openapi.json")).unwrap(),
        std::fs::read(tmp.join("specs/openapi.json")).unwrap()
    );
    // Again: nothing changed since, so nothing moves.
    let again = xtask::write(&tmp).unwrap();
    assert_eq!(again.releases[0].report.class(), None);
    assert!(again.paths.is_empty(), "{:?}", again.paths);
    std::fs::remove_dir_all(&tmp).ok();
}

/// prime-api is generated from a config (specs/openapi-client-gen.toml) that denies every
/// warning kind: a spec revision the client cannot represent exactly fails codegen, with
/// the pointer, instead of landing quietly.
#[test]
fn codegen_refuses_a_spec_revision_with_a_denied_warning() {
    let root = crate::root();
    let tmp = std::env::temp_dir().join(format!("codegen-denied-{}", std::process::id()));
    for file in [
        "specs/openapi-client-gen.toml",
        "generated/Cargo.toml",
        "tests/fixtures/features.yaml",
        "tests/features-api/Cargo.toml",
    ] {
        let to = tmp.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(file), &to).unwrap();
    }
    let mut doc: serde_json::Value = serde_json::from_slice(&crate::pi_spec()).unwrap();
    doc["paths"]["/api/v1/images/{image_name}/{image_tag}"]["delete"]["parameters"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"$ref": "#/components/parameters/Nowhere"}));
    std::fs::write(tmp.join("specs/openapi.json"), doc.to_string()).unwrap();
    let error = xtask::check(&tmp).expect_err("a dangling $ref is denied");
    assert!(
        error.contains("#/paths/~1api~1v1~1images~1{image_name}~1{image_tag}/delete/parameters/")
            && error.contains("(warning[dangling-ref], denied by the config)"),
        "{error}"
    );
    std::fs::remove_dir_all(&tmp).ok();
}
