//! `cargo xtask snapshots --referenced FILE`: the snapshot files under `tests/` that no test
//! read. insta appends the path of every snapshot an assertion reads to the file named by
//! `INSTA_SNAPSHOT_REFERENCES_FILE` (the mechanism `cargo insta test --unreferenced=reject`
//! uses), so after `cargo test` with it set, a snapshot not listed is an orphan: its test
//! was renamed or removed. Doing this here spares CI a second run of every test under
//! cargo-insta, and installing cargo-insta.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Snapshot files (`*.snap`, and insta's pending `*.snap.new`) under `tests/` that are not
/// in the references file, relative to the workspace root.
pub fn unreferenced(root: &Path, references: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(references)
        .map_err(|e| format!("cannot read {}: {e}", references.display()))?;
    let referenced: BTreeSet<PathBuf> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| canonical(Path::new(l.trim())))
        .collect();
    if referenced.is_empty() {
        return Err(format!(
            "{} lists no snapshot: was the test run given INSTA_SNAPSHOT_REFERENCES_FILE?",
            references.display()
        ));
    }
    let mut files = Vec::new();
    snapshot_files(&root.join("tests"), &mut files)?;
    let mut orphans: Vec<String> = files
        .into_iter()
        .filter(|f| {
            f.to_string_lossy().ends_with(".snap.new") || !referenced.contains(&canonical(f))
        })
        .map(|f| {
            f.strip_prefix(root)
                .unwrap_or(&f)
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    orphans.sort();
    Ok(orphans)
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Every `*.snap` and `*.snap.new` below `dir`, skipping build output.
fn snapshot_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            snapshot_files(&path, out)?;
        } else {
            let name = path.to_string_lossy();
            if name.ends_with(".snap") || name.ends_with(".snap.new") {
                out.push(path);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_no_test_read_is_an_orphan() {
        let root = std::env::temp_dir().join(format!("snapshots-{}", std::process::id()));
        let dir = root.join("tests/integration/snapshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.snap"), "a").unwrap();
        std::fs::write(dir.join("b.snap"), "b").unwrap();
        let refs = root.join("refs");
        std::fs::write(&refs, format!("{}\n", dir.join("a.snap").display())).unwrap();
        assert_eq!(
            unreferenced(&root, &refs).unwrap(),
            ["tests/integration/snapshots/b.snap"]
        );
        std::fs::write(&refs, "").unwrap();
        assert!(unreferenced(&root, &refs).is_err());
        let _ = std::fs::remove_dir_all(&root);
    }
}
