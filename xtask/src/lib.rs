//! Project tasks: `codegen` regenerates the committed `prime-api` client from
//! `specs/openapi.json`; `codegen --check` reports drift without writing; `corpus` checks
//! that every spec in `specs/` generates a crate that compiles and decodes its examples;
//! `bench` measures the generator beside its peers (module `bench`) and the generated
//! client's request overhead (module `overhead`). Helpers they share are in `util`.

pub mod bench;
pub mod corpus;
pub mod overhead;
pub mod util;

use std::path::{Path, PathBuf};

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

/// Renders the client in memory: (path relative to the root, contents) for each file.
pub fn render(root: &Path) -> Result<Vec<(String, String)>, String> {
    let spec_path = root.join(SPEC);
    let text = std::fs::read(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let settings = openapi_client_gen::Settings {
        marker: format!("`{CODEGEN_COMMAND}` from {SPEC}"),
        crate_name: CRATE_NAME.to_string(),
        runtime: Default::default(),
    };
    let generated =
        openapi_client_gen::generate(&text, &settings).map_err(|e| format!("{SPEC}: {e}"))?;
    Ok(generated
        .files
        .into_iter()
        .map(|f| (format!("{OUT_DIR}/{}", f.name), f.contents))
        .collect())
}

/// Compares the rendered client with the files on disk.
pub fn check(root: &Path) -> Result<Vec<Stale>, String> {
    let mut stale = Vec::new();
    for (path, fresh) in render(root)? {
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
    Ok(stale)
}

/// Writes the files whose bytes changed; returns the paths written.
pub fn write(root: &Path) -> Result<Vec<String>, String> {
    let mut written = Vec::new();
    for (path, fresh) in render(root)? {
        let full = root.join(&path);
        if std::fs::read(&full).ok().as_deref() == Some(fresh.as_bytes()) {
            continue;
        }
        util::write_file(&full, fresh.as_bytes())?;
        written.push(path);
    }
    Ok(written)
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
