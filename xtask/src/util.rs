//! Helpers shared by the tasks: the cargo target directory, the cargo to run, and
//! creating directories and files with errors that name the path.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The cargo target directory: `CARGO_TARGET_DIR` if set (relative to the workspace
/// root, where cargo is run), else `target/` in the workspace.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// Where the scratch crates of `corpus` and `fuzz-compile` build: one directory, so the
/// dependencies they share (checked with the same features and flags) are built once.
pub fn scratch_target(root: &Path) -> PathBuf {
    target_dir(root).join("scratch")
}

/// A command running cargo: `$CARGO` (the cargo that runs this task) if set, else `cargo`.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Creates `dir` and its parents.
pub fn create_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Writes `bytes` to `path`, creating its directory first.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        create_dir(dir)?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Every file below `dir`, recursively, in no particular order; directories that cannot
/// be read are skipped.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                walk(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, &mut found);
    found
}
