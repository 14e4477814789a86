//! `cargo xtask readme`: runs README.md's "Generate a client for your own API" as a
//! newcomer would, so the section stays true. Its fenced blocks are, in order: the config
//! file (`toml`), the commands that install, generate and make the app (`sh`), the app's
//! `src/main.rs` (`rust`), and the command that runs it (`sh`).
//!
//! Each command runs as written, with `bash`, in a fresh directory outside the repository
//! (as a newcomer's would be; inside it, `cargo new` would join this workspace) holding
//! the section's document (`specs/corpus/train-travel.yaml` as `openapi.yaml`) and config;
//! `cargo install` runs in the clone, as the section says, with `CARGO_INSTALL_ROOT` in
//! that directory so nothing is installed elsewhere. Builds share the workspace's target
//! directory, so the dependencies CI already built are not built again.

use crate::util::write_file;
use std::path::Path;
use std::process::Command;

/// The section's heading.
const HEADING: &str = "## Generate a client for your own API";

/// The document the section generates from.
const DOCUMENT: &str = "specs/corpus/train-travel.yaml";

/// What the app prints for the trip its mock server returns.
const EXPECTED: &str =
    "trip Some(ea399ba1-6d95-433f-92d1-83f67b775594) departs Some(2024-02-01T10:00:00Z)";

/// The fenced blocks of `text` as (language, body), in order.
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(lang)) => current = Some((lang.trim().to_string(), String::new())),
            (Some(_), Some(_)) => out.extend(current.take()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

/// The section of README.md, from its heading to the next `## ` heading.
pub fn section(readme: &str) -> Result<&str, String> {
    let start = readme
        .find(&format!("{HEADING}\n"))
        .ok_or_else(|| format!("README.md has no `{HEADING}` section"))?;
    let rest = &readme[start + HEADING.len()..];
    Ok(rest.find("\n## ").map_or(rest, |end| &rest[..end]))
}

/// Runs `script` with bash in `dir`; fails with its output.
fn run(
    script: &str,
    dir: &Path,
    path: &str,
    target: &Path,
    install_root: &Path,
) -> Result<String, String> {
    eprintln!("readme: {}", script.trim());
    let output = Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INSTALL_ROOT", install_root)
        .output()
        .map_err(|e| format!("cannot run bash: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        return Err(format!(
            "`{}` failed ({}):\n{stdout}{}",
            script.trim(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(stdout)
}

/// Runs the section; the app's output must show the trip with its typed id and time.
pub fn check(root: &Path) -> Result<(), String> {
    let readme = std::fs::read_to_string(root.join("README.md"))
        .map_err(|e| format!("cannot read README.md: {e}"))?;
    let found = blocks(section(&readme)?);
    let langs: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
    let [(_, config), (_, setup), (_, main_rs), (_, launch)] = found.as_slice() else {
        return Err(format!(
            "the section's blocks are {langs:?}, not toml, sh, rust, sh"
        ));
    };
    if langs != ["toml", "sh", "rust", "sh"] {
        return Err(format!(
            "the section's blocks are {langs:?}, not toml, sh, rust, sh"
        ));
    }
    // Outside the repository: `cargo new` inside a workspace would join it.
    let dir =
        std::env::temp_dir().join(format!("openapi-client-gen-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let document =
        std::fs::read(root.join(DOCUMENT)).map_err(|e| format!("cannot read {DOCUMENT}: {e}"))?;
    write_file(&dir.join("openapi.yaml"), &document)?;
    write_file(
        &dir.join(openapi_client_gen::config::FILE_NAME),
        config.as_bytes(),
    )?;
    let install_root = dir.join("cargo");
    let path = format!(
        "{}:{}",
        install_root.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let target = crate::util::target_dir(root);
    for line in setup.lines().filter(|l| !l.trim().is_empty()) {
        // The section installs from a clone: `cargo install --path generator` runs there.
        let at = if line.starts_with("cargo install") {
            root
        } else {
            dir.as_path()
        };
        run(line, at, &path, &target, &install_root)?;
    }
    write_file(&dir.join("my-app/src/main.rs"), main_rs.as_bytes())?;
    let mut printed = String::new();
    for line in launch.lines().filter(|l| !l.trim().is_empty()) {
        printed.push_str(&run(
            line,
            &dir.join("my-app"),
            &path,
            &target,
            &install_root,
        )?);
    }
    let _ = std::fs::remove_dir_all(&dir);
    if !printed.contains(EXPECTED) {
        return Err(format!("the app printed {printed:?}, not {EXPECTED:?}"));
    }
    println!("README's section ran: {}", printed.trim());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_found_in_order() {
        let text = "a\n```toml\nx = 1\n```\nb\n```sh\nls\npwd\n```\n";
        assert_eq!(
            blocks(text),
            [
                ("toml".to_string(), "x = 1\n".to_string()),
                ("sh".to_string(), "ls\npwd\n".to_string())
            ]
        );
        let readme = format!("# T\n\n{HEADING}\n\nbody\n\n## Next\n");
        assert_eq!(section(&readme).unwrap(), "\n\nbody\n");
    }
}
