//! A scratch cargo workspace of generated crates under `target/`, checked in one cargo
//! run: the members share one dependency build and one lock file, rustc runs on both
//! cores across members, and `--keep-going` carries on past a member that fails. Cargo's
//! JSON messages say which member (and which file of it) each diagnostic belongs to, so
//! one run gives a verdict per member. The corpus check and the compile fuzzer use it.

use crate::util::write_file;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A workspace directory whose members are subdirectories, and where it builds.
pub struct Scratch {
    pub dir: PathBuf,
    pub target: PathBuf,
}

/// One diagnostic of a member.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The member's directory name, when the diagnostic came from a member.
    pub member: Option<String>,
    /// The file of the primary span, relative to the member (`src/d0001/client.rs`).
    pub file: Option<String>,
    /// `error` or `warning` (with `-D warnings`, every warning is an error).
    pub level: String,
    /// The error code (`E0308`) or lint name (`clippy::needless_borrow`).
    pub code: Option<String>,
    /// The message as rustc prints it.
    pub rendered: String,
}

/// What one cargo run said.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// Members (directory names) for which cargo reported a finished artifact of the
    /// library.
    pub built: BTreeSet<String>,
    /// Executables cargo wrote, as (member, target name, path).
    pub executables: Vec<(String, String, PathBuf)>,
    /// Test harnesses built: (member, path).
    pub tests: Vec<(String, PathBuf)>,
    /// Whether cargo said the build succeeded.
    pub success: bool,
    /// Cargo's own messages (stderr), for failures that are not a member's.
    pub stderr: String,
}

impl Outcome {
    /// The errors of one member.
    pub fn errors_of<'a>(&'a self, member: &'a str) -> impl Iterator<Item = &'a Diagnostic> {
        self.diagnostics
            .iter()
            .filter(move |d| d.level == "error" && d.member.as_deref() == Some(member))
    }

    /// Cargo's last error lines, for a failure no member's diagnostics explain.
    pub fn cargo_error(&self) -> String {
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| l.starts_with("error") || l.starts_with("  ") || l.starts_with("Caused"))
            .take(12)
            .collect();
        lines.join("\n")
    }
}

/// The dev profile of a scratch workspace: no debug info (nothing here is debugged; it
/// halves the time to write and link the objects of the decode programs) and no
/// incremental state (every build is of freshly written code).
const PROFILE: &str = "[profile.dev]\ndebug = 0\nincremental = false\n";

impl Scratch {
    /// Writes the workspace manifest for `members` (directory names), with `lock` as its
    /// lock file so the dependency versions are the repository's.
    pub fn create(
        dir: PathBuf,
        target: PathBuf,
        members: &[String],
        lock: Option<&[u8]>,
    ) -> Result<Scratch, String> {
        let list: Vec<String> = members.iter().map(|m| format!("    {m:?},\n")).collect();
        let manifest = format!(
            "# Written by `cargo xtask`; a scratch workspace of generated crates.\n\
             [workspace]\nresolver = \"3\"\nmembers = [\n{}]\n\n{PROFILE}",
            list.concat()
        );
        write_file(&dir.join("Cargo.toml"), manifest.as_bytes())?;
        if let Some(lock) = lock {
            write_file(&dir.join("Cargo.lock"), lock)?;
        }
        Ok(Scratch { dir, target })
    }

    /// Runs `cargo ARGS --message-format=json` in the workspace with warnings denied.
    /// `clippy_build` runs clippy's lints inside a build (clippy-driver as the workspace's
    /// rustc wrapper, as `cargo clippy` does for `cargo check`), so one compilation both
    /// lints and produces the code that a program then runs.
    pub fn cargo(&self, args: &[&str], clippy_build: bool) -> Result<Outcome, String> {
        let mut cmd = crate::util::cargo();
        cmd.args(args)
            .arg("--message-format=json")
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("RUSTFLAGS", "-D warnings")
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if clippy_build {
            cmd.env("RUSTC_WORKSPACE_WRAPPER", clippy_driver()?);
        }
        // Where the time of a scratch build goes: `XTASK_CARGO_TIMINGS=1` has cargo write
        // its `--timings` report under the scratch target's `cargo-timings/`.
        if std::env::var_os("XTASK_CARGO_TIMINGS").is_some() {
            cmd.arg("--timings");
        }
        let out = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
        let mut outcome = Outcome {
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            ..Outcome::default()
        };
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(message) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let member = message["manifest_path"]
                .as_str()
                .and_then(|p| self.member_of(Path::new(p)));
            match message["reason"].as_str() {
                Some("compiler-message") => {
                    let m = &message["message"];
                    let file = m["spans"]
                        .as_array()
                        .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true))
                        .and_then(|s| s["file_name"].as_str())
                        .map(String::from);
                    outcome.diagnostics.push(Diagnostic {
                        member,
                        file,
                        level: m["level"].as_str().unwrap_or_default().to_string(),
                        code: m["code"]["code"].as_str().map(String::from),
                        rendered: m["rendered"].as_str().unwrap_or_default().to_string(),
                    });
                }
                Some("compiler-artifact") => {
                    let Some(member) = member else { continue };
                    let kinds = &message["target"]["kind"];
                    if kinds
                        .as_array()
                        .is_some_and(|k| k.iter().any(|k| k == "lib"))
                    {
                        outcome.built.insert(member.clone());
                    }
                    if let Some(exe) = message["executable"].as_str() {
                        let name = message["target"]["name"].as_str().unwrap_or_default();
                        if message["profile"]["test"] == true {
                            outcome.tests.push((member, PathBuf::from(exe)));
                        } else {
                            outcome.executables.push((
                                member,
                                name.to_string(),
                                PathBuf::from(exe),
                            ));
                        }
                    }
                }
                Some("build-finished") => outcome.success = message["success"] == true,
                _ => {}
            }
        }
        Ok(outcome)
    }

    /// The member directory a manifest path belongs to.
    fn member_of(&self, manifest: &Path) -> Option<String> {
        let rel = manifest.strip_prefix(&self.dir).ok()?;
        let first = rel.components().next()?;
        Some(first.as_os_str().to_string_lossy().into_owned())
    }
}

/// clippy-driver, beside the rustc that cargo runs: the driver `cargo clippy` itself
/// wraps rustc with.
fn clippy_driver() -> Result<PathBuf, String> {
    let out = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let driver = sysroot.join("bin").join(if cfg!(windows) {
        "clippy-driver.exe"
    } else {
        "clippy-driver"
    });
    if driver.exists() {
        Ok(driver)
    } else {
        Err(format!(
            "clippy-driver is not at {} (rustup component add clippy)",
            driver.display()
        ))
    }
}
