//! Generating a client from a build script.
//!
//! ```no_run
//! // The `main` of build.rs, in a crate whose src/lib.rs is
//! // `include!(concat!(env!("OUT_DIR"), "/petstore.rs"));`
//! openapi_client_gen::build::Build::new("openapi/petstore.yaml")
//!     .crate_name("petstore-client")
//!     .generate()
//!     .unwrap_or_else(|e| panic!("{e}"));
//! ```
//!
//! [`Build::generate`] reads the document, tells Cargo to run the script again only when
//! the document changes, writes the whole client as one file into `OUT_DIR` (see
//! [`crate::package::single_file`]; rewritten only when its bytes change), turns each
//! warning into a `cargo:warning` line, and checks the crate's `Cargo.toml` for the
//! dependencies and features the code needs (their list is written beside the file, as
//! `NAME.toml`, to copy from). Depend on the generator with `default-features = false`: the
//! build then compiles neither the command line's argument parser nor its allocator.

use crate::package::Runtime;
use crate::{Settings, Warning};
use std::path::{Path, PathBuf};

/// What to generate, and where.
#[derive(Debug, Clone)]
pub struct Build {
    spec: PathBuf,
    crate_name: Option<String>,
    runtime: Runtime,
    file_stem: Option<String>,
    out_dir: Option<PathBuf>,
    deny_warnings: bool,
    config: Option<PathBuf>,
}

/// What [`Build::generate`] wrote.
#[derive(Debug, Clone)]
pub struct Output {
    /// The client, one file to `include!`.
    pub file: PathBuf,
    /// The `[dependencies]` and `[features]` the including crate needs.
    pub manifest: PathBuf,
    /// The generator's warnings (also printed as `cargo:warning` lines).
    pub warnings: Vec<Warning>,
}

impl Build {
    /// Generates from the document at `spec` (relative paths are the crate's directory,
    /// where Cargo runs build scripts).
    pub fn new(spec: impl Into<PathBuf>) -> Build {
        Build {
            spec: spec.into(),
            crate_name: None,
            runtime: Runtime::Embedded,
            file_stem: None,
            out_dir: None,
            deny_warnings: false,
            config: None,
        }
    }

    /// The config file (default: `openapi-client-gen.toml` beside the document, if there
    /// is one).
    pub fn config(mut self, path: impl Into<PathBuf>) -> Build {
        self.config = Some(path.into());
        self
    }

    /// The name `Client::from_env`'s variables derive from (default: the including
    /// crate's, `CARGO_PKG_NAME`).
    pub fn crate_name(mut self, name: impl Into<String>) -> Build {
        self.crate_name = Some(name.into());
        self
    }

    /// Where the runtime comes from (default: embedded in the file).
    pub fn runtime(mut self, runtime: Runtime) -> Build {
        self.runtime = runtime;
        self
    }

    /// The output's file name without `.rs` (default: the document's file stem, in snake
    /// case).
    pub fn file_stem(mut self, stem: impl Into<String>) -> Build {
        self.file_stem = Some(stem.into());
        self
    }

    /// The directory to write to (default: `OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Build {
        self.out_dir = Some(dir.into());
        self
    }

    /// Fail when the generator warns (default: warn through Cargo and go on).
    pub fn deny_warnings(mut self, deny: bool) -> Build {
        self.deny_warnings = deny;
        self
    }

    /// Generates; the error lists every problem, each with its JSON pointer.
    pub fn generate(self) -> Result<Output, String> {
        println!("cargo:rerun-if-changed={}", self.spec.display());
        let text = std::fs::read(&self.spec)
            .map_err(|e| format!("cannot read {}: {e}", self.spec.display()))?;
        let crate_name = match self.crate_name {
            Some(name) => name,
            None => std::env::var("CARGO_PKG_NAME")
                .map_err(|_| "no crate name: call crate_name() outside Cargo".to_string())?,
        };
        let out_dir = match self.out_dir {
            Some(dir) => dir,
            None => PathBuf::from(
                std::env::var_os("OUT_DIR")
                    .ok_or("OUT_DIR is not set: call out_dir() outside a build script")?,
            ),
        };
        let stem = match self.file_stem {
            Some(stem) => stem,
            None => crate::naming::file_stem_name(&self.spec, '_'),
        };
        let file_name = self.spec.file_name().map_or_else(
            || "the document".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let config_path = self
            .config
            .clone()
            .or_else(|| crate::config::Config::beside(&self.spec));
        let config = match &config_path {
            Some(path) => {
                println!("cargo:rerun-if-changed={}", path.display());
                crate::config::Config::read(path, &path.display().to_string())?
            }
            None => crate::config::Config::default(),
        };
        let settings = Settings {
            marker: format!("openapi-client-gen (build script) from {file_name}"),
            crate_name,
            runtime: self.runtime,
            config,
        };
        let generated = crate::generate(&text, &settings).map_err(|failure| {
            let errors: Vec<String> = failure
                .errors
                .iter()
                .map(|e| format!("{}: {e}", self.spec.display()))
                .collect();
            errors.join("\n")
        })?;
        for w in &generated.warnings {
            println!("cargo:warning={}", w.to_string().replace(['\n', '\r'], " "));
        }
        if self.deny_warnings && !generated.warnings.is_empty() {
            return Err(format!(
                "{} warnings and deny_warnings(true)",
                generated.warnings.len()
            ));
        }
        let code = crate::package::single_file(&generated, &settings)?;
        let manifest = crate::package::manifest_sections(&generated.api, &settings);
        std::fs::create_dir_all(&out_dir)
            .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
        let file = out_dir.join(format!("{stem}.rs"));
        let manifest_file = out_dir.join(format!("{stem}.toml"));
        write_if_changed(&file, &code)?;
        write_if_changed(&manifest_file, &manifest)?;
        if let Ok(dir) = std::env::var("CARGO_MANIFEST_DIR") {
            let ours = Path::new(&dir).join("Cargo.toml");
            if let Ok(text) = std::fs::read_to_string(&ours) {
                for missing in missing_keys(&text, &manifest) {
                    println!(
                        "cargo:warning={} lacks {missing}, which the generated client needs (see {})",
                        ours.display(),
                        manifest_file.display()
                    );
                }
            }
        }
        Ok(Output {
            file,
            manifest: manifest_file,
            warnings: generated.warnings,
        })
    }
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read(path).ok().as_deref() == Some(text.as_bytes()) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The dependencies and features of `needed` (`[dependencies]` and `[features]` lines)
/// that `manifest` does not declare, as "dependency `x`" / "feature `y`". A key counts as
/// declared when a line of the same section starts with it.
fn missing_keys(manifest: &str, needed: &str) -> Vec<String> {
    let keys = |text: &str, section: &str| -> Vec<String> {
        let mut in_section = false;
        let mut out = Vec::new();
        for line in text.lines() {
            let t = line.trim();
            if t.starts_with('[') {
                in_section = t == format!("[{section}]");
                continue;
            }
            if in_section
                && !t.starts_with('#')
                && let Some((key, _)) = t.split_once('=')
            {
                out.push(key.trim().to_string());
            }
        }
        out
    };
    let mut missing = Vec::new();
    for (section, what) in [("dependencies", "dependency"), ("features", "feature")] {
        let have = keys(manifest, section);
        for key in keys(needed, section) {
            if !have.contains(&key) {
                missing.push(format!("{what} `{key}`"));
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_keys_names_what_the_manifest_lacks() {
        let needed = "[dependencies]\nserde = \"1\"\nreqwest = \"0.13\"\n\n[features]\n# c\nmock = []\nfull = []\n";
        let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nserde = { version = \"1\" }\n\n[features]\nmock = []\n";
        assert_eq!(
            missing_keys(manifest, needed),
            ["dependency `reqwest`", "feature `full`"]
        );
        assert!(missing_keys(needed, needed).is_empty());
    }
}
