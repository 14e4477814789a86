//! Project tasks: `codegen` regenerates the committed `prime-api` client from
//! `specs/openapi.json`; `codegen --check` reports drift without writing; `corpus` checks
//! that every spec in `specs/` generates a crate that compiles and decodes its examples;
//! `bench` measures the generator beside its peers (module `bench`) and the generated
//! client's request overhead (module `overhead`). Helpers they share are in `util`.

pub mod bench;
pub mod conform;
pub mod corpus;
pub mod fuzz;
pub mod history;
pub mod overhead;
pub mod pagination;
pub mod readme;
pub mod release;
pub mod scratch;
pub mod snapshots;
pub mod synth;
pub mod util;

use std::path::{Path, PathBuf};

/// A committed crate generated from a spec: `prime-api`, and the crate the wire tests use
/// for what the PI API does not exercise.
pub struct Target {
    /// The spec, relative to the workspace root.
    pub spec: &'static str,
    /// The package name, which also names `from_env`'s variables.
    pub crate_name: &'static str,
    /// Where the generated modules go, relative to the workspace root.
    pub out_dir: &'static str,
    /// Whether `lib.rs` is generated too (`prime-api`'s is written by hand, for its docs).
    pub lib_rs: bool,
    /// Whether `codegen` keeps the crate's version and `CHANGELOG.md` from the change
    /// report against the document it was last generated from (`openapi.json` beside
    /// `Cargo.toml`). The fixture crate of the wire tests is not released.
    pub versioned: bool,
}

/// Every committed generated crate, each with its own hand-written `Cargo.toml`.
pub const TARGETS: [Target; 2] = [
    Target {
        spec: SPEC,
        crate_name: CRATE_NAME,
        out_dir: OUT_DIR,
        lib_rs: false,
        versioned: true,
    },
    Target {
        spec: "tests/fixtures/features.yaml",
        crate_name: "features-api",
        out_dir: "tests/features-api/src",
        lib_rs: true,
        versioned: false,
    },
];

/// The command that regenerates the client, as shown to whoever must run it.
pub const CODEGEN_COMMAND: &str = "cargo xtask codegen";

/// The spec the committed client is generated from, relative to the workspace root.
pub const SPEC: &str = "specs/openapi.json";

/// The package the client is generated into.
pub const CRATE_NAME: &str = "prime-api";

/// Where the generated modules go, relative to the workspace root.
pub const OUT_DIR: &str = "generated/src";

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// A generated file whose committed bytes differ from what the generator renders now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// Path relative to the workspace root.
    pub path: String,
    /// Unified diff from the committed file to the fresh one.
    pub diff: String,
}

/// What a spec change does to a versioned crate: the change report against the document
/// it was last generated from, and the version that follows.
#[derive(Debug, Clone)]
pub struct Release {
    /// The package.
    pub crate_name: String,
    /// The changes from the last generated document to the spec.
    pub report: openapi_client_gen::changes::Report,
    /// The committed version.
    pub from: String,
    /// The version the report calls for (`from` when nothing changed).
    pub to: String,
}

/// Every target rendered in memory, and the release of each versioned one.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// (path relative to the root, contents) for each file.
    pub files: Vec<(String, String)>,
    /// One per versioned target.
    pub releases: Vec<Release>,
}

/// Renders every target in memory.
pub fn render(root: &Path) -> Result<Rendered, String> {
    let mut rendered = Rendered::default();
    for target in &TARGETS {
        render_target(root, target, &mut rendered)?;
    }
    Ok(rendered)
}

fn render_target(root: &Path, target: &Target, rendered: &mut Rendered) -> Result<(), String> {
    let spec_path = root.join(target.spec);
    let text = std::fs::read(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    // The config beside the spec (specs/openapi-client-gen.toml for prime-api), as the CLI
    // reads it.
    let config = match openapi_client_gen::config::Config::beside(&spec_path) {
        Some(path) => {
            let shown = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            openapi_client_gen::config::Config::read(&path, &shown)?
        }
        None => Default::default(),
    };
    let crate_name = config
        .package
        .name
        .as_ref()
        .map_or(target.crate_name, |n| n.get_ref().as_str());
    if crate_name != target.crate_name {
        return Err(format!(
            "{}: package.name `{crate_name}` is not the committed crate's name `{}`",
            target.spec, target.crate_name
        ));
    }
    let settings = openapi_client_gen::Settings {
        marker: format!("`{CODEGEN_COMMAND}` from {}", target.spec),
        crate_name: target.crate_name.to_string(),
        runtime: Default::default(),
        config,
    };
    let generated = openapi_client_gen::generate(&text, &settings)
        .map_err(|e| format!("{}: {e}", target.spec))?;
    let out = |name: &str| format!("{}/{name}", target.out_dir);
    let crate_dir = Path::new(target.out_dir)
        .parent()
        .ok_or_else(|| format!("{} has no parent directory", target.out_dir))?
        .to_string_lossy()
        .into_owned();
    let mut manifest = manifest(root, &crate_dir, &generated, &settings)?;
    if target.versioned {
        let (release, files) = release::render(
            root,
            &crate_dir,
            target,
            &text,
            &generated.api,
            &settings.config,
            &mut manifest.1,
        )?;
        rendered.files.extend(files);
        rendered.releases.push(release);
    }
    if target.lib_rs {
        let files = openapi_client_gen::package::crate_files(&generated, &settings)
            .map_err(|e| format!("{}: {e}", target.spec))?;
        // `Cargo.toml` is the workspace member's own; the rest is under `src/`.
        rendered.files.extend(
            files
                .into_iter()
                .filter_map(|(path, contents)| {
                    path.strip_prefix("src/").map(|name| (out(name), contents))
                })
                .chain([manifest]),
        );
        return Ok(());
    }
    rendered.files.extend(
        generated
            .files
            .into_iter()
            .map(|f| (out(&f.name), f.contents))
            .chain([manifest]),
    );
    Ok(())
}

/// The committed crate's `Cargo.toml`: written by hand (it is a workspace member), but its
/// `[features]` section is the generator's, since the group features follow the spec.
fn manifest(
    root: &Path,
    crate_dir: &str,
    generated: &openapi_client_gen::Generated,
    settings: &openapi_client_gen::Settings,
) -> Result<(String, String), String> {
    let path = format!("{crate_dir}/Cargo.toml");
    let current = std::fs::read_to_string(root.join(&path))
        .map_err(|e| format!("cannot read {path}: {e}"))?;
    let features = openapi_client_gen::package::crate_features(&generated.api, settings);
    let fresh = replace_section(&current, "features", &features)
        .ok_or_else(|| format!("{path} has no [features] section"))?;
    Ok((path, fresh))
}

/// `manifest` with the lines of its `[name]` section replaced by `lines`. The section ends
/// where the next begins, less the comment lines right above that one's header (they are
/// its own) and the blank lines before them.
fn replace_section(manifest: &str, name: &str, lines: &str) -> Option<String> {
    let header = format!("\n[{name}]\n");
    let start = manifest.find(&header)? + header.len();
    let rest = &manifest[start..];
    let next = rest.find("\n[").map_or(rest.len(), |i| i + 1);
    let mut kept: Vec<&str> = rest[..next].split_inclusive('\n').collect();
    if next < rest.len() {
        while kept.last().is_some_and(|l| l.starts_with('#')) {
            kept.pop();
        }
    }
    while kept.last().is_some_and(|l| l.trim().is_empty()) {
        kept.pop();
    }
    let end: usize = kept.iter().map(|l| l.len()).sum();
    Some(format!("{}{lines}{}", &manifest[..start], &rest[end..]))
}

/// Generated files on disk that the generator no longer writes (a group's part of
/// `types.rs` after its last type moved), relative to the root: the files under each
/// target's `out_dir` that start with the generated-file line and are not in `rendered`.
fn orphans(root: &Path, rendered: &[(String, String)]) -> Vec<String> {
    let mut orphans = Vec::new();
    for target in &TARGETS {
        for path in util::files_below(&root.join(target.out_dir)) {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let generated =
                std::fs::read_to_string(&path).is_ok_and(|text| text.starts_with("// @generated"));
            if generated && !rendered.iter().any(|(p, _)| *p == rel) {
                orphans.push(rel);
            }
        }
    }
    orphans.sort();
    orphans
}

/// What `codegen --check` found: the stale files, and each versioned crate's release.
#[derive(Debug, Clone)]
pub struct Drift {
    /// Files whose committed bytes differ from the rendered ones.
    pub stale: Vec<Stale>,
    /// The change report and version of each versioned crate.
    pub releases: Vec<Release>,
}

/// Compares the rendered client with the files on disk; a generated file the generator
/// no longer writes is stale too.
pub fn check(root: &Path) -> Result<Drift, String> {
    let mut stale = Vec::new();
    let rendered = render(root)?;
    for path in orphans(root, &rendered.files) {
        stale.push(Stale {
            diff: format!("{path}: no longer generated; `{CODEGEN_COMMAND}` removes it\n"),
            path,
        });
    }
    for (path, fresh) in rendered.files {
        let current = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        if current != fresh {
            let diff = similar::TextDiff::from_lines(&current, &fresh)
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{path}"), &format!("b/{path}"))
                .to_string();
            stale.push(Stale { path, diff });
        }
    }
    Ok(Drift {
        stale,
        releases: rendered.releases,
    })
}

/// What `codegen` did: the paths written or removed, and each versioned crate's release.
#[derive(Debug, Clone)]
pub struct Written {
    /// Paths relative to the root.
    pub paths: Vec<String>,
    /// The change report and version of each versioned crate.
    pub releases: Vec<Release>,
}

/// Writes the files whose bytes changed and removes generated files no longer written.
pub fn write(root: &Path) -> Result<Written, String> {
    let mut written = Vec::new();
    let rendered = render(root)?;
    for path in orphans(root, &rendered.files) {
        std::fs::remove_file(root.join(&path)).map_err(|e| format!("cannot remove {path}: {e}"))?;
        written.push(path);
    }
    for (path, fresh) in rendered.files {
        let full = root.join(&path);
        if std::fs::read(&full).ok().as_deref() == Some(fresh.as_bytes()) {
            continue;
        }
        util::write_file(&full, fresh.as_bytes())?;
        written.push(path);
    }
    Ok(Written {
        paths: written,
        releases: rendered.releases,
    })
}

/// The report of `cargo xtask bench`: the generator's figures (`bench::run`), then, unless
/// `--no-overhead`, the request-overhead section (`overhead::section`).
pub fn bench_report(root: &Path, options: &bench::Options) -> Result<String, String> {
    let mut report = bench::run(root, options)?;
    if options.overhead {
        report.push_str(&overhead::section(root));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::{OUT_DIR, orphans, replace_section};

    #[test]
    fn a_generated_file_no_longer_rendered_is_an_orphan() {
        let root = std::env::temp_dir().join(format!("xtask-orphans-{}", std::process::id()));
        let dir = root.join(OUT_DIR);
        std::fs::create_dir_all(dir.join("types")).unwrap();
        std::fs::write(dir.join("types.rs"), "// @generated by x\n").unwrap();
        std::fs::write(dir.join("types/g_gone.rs"), "// @generated by x\n").unwrap();
        // Hand-written files are never orphans.
        std::fs::write(dir.join("lib.rs"), "//! The crate.\n").unwrap();
        let rendered = vec![(format!("{OUT_DIR}/types.rs"), String::new())];
        let found = orphans(&root, &rendered);
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(found, [format!("{OUT_DIR}/types/g_gone.rs")]);
    }

    #[test]
    fn a_section_is_replaced_up_to_the_comments_of_the_next() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\ndefault = []\n# A.\na = []\n\n\
                        # The example.\n[[example]]\nname = \"e\"\n";
        let fresh = replace_section(manifest, "features", "default = [\"b\"]\nb = []\n").unwrap();
        assert_eq!(
            fresh,
            "[package]\nname = \"x\"\n\n[features]\ndefault = [\"b\"]\nb = []\n\n\
             # The example.\n[[example]]\nname = \"e\"\n"
        );
        // Replacing again changes nothing; the last section runs to the end.
        assert_eq!(
            replace_section(&fresh, "features", "default = [\"b\"]\nb = []\n").unwrap(),
            fresh
        );
        let last = "[features]\na = []\n";
        assert_eq!(
            replace_section(&format!("[package]\n{last}"), "features", "b = []\n").unwrap(),
            "[package]\n[features]\nb = []\n"
        );
        assert_eq!(replace_section("[package]\n", "features", ""), None);
    }
}
