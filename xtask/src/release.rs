//! The committed client's version and `CHANGELOG.md`, kept by `codegen` from the change
//! report.
//!
//! Beside the crate's `Cargo.toml` lies `openapi.json`, a copy of the document the
//! committed client was last generated from. `codegen` compares it with the spec
//! (`openapi_client_gen::changes`): when anything changed, the crate's version is bumped
//! by the report's class (Cargo's rules, `changes::bump`), a section for the new version
//! is prepended to `CHANGELOG.md`, and the copy is replaced. Nothing changed, nothing
//! moves, so running `codegen` again is a no-op and the drift check stays quiet. The
//! report is about the document: a change to the generator that changes the crate's API
//! is recorded by hand (bump the version, write its section).

use crate::Target;
use openapi_client_gen::changes::{self, Report};
use std::path::Path;

/// The changelog's title and the paragraph under it, before the first version's section.
const CHANGELOG_HEAD: &str = "# Changelog\n\nEach section is written by `cargo xtask codegen` from the change report between the\ndocument the crate was last generated from (`openapi.json`) and the new one; the version\nfollows the report's class (`openapi-client-gen diff` prints the same report).\n";

/// Bumps `manifest`'s version; returns the release and its files (the CHANGELOG when it
/// changes, the copy of the document).
pub(crate) fn render(
    root: &Path,
    crate_dir: &str,
    target: &Target,
    spec_text: &[u8],
    api: &openapi_client_gen::ir::Api,
    config: &openapi_client_gen::config::Config,
    manifest: &mut String,
) -> Result<(crate::Release, Vec<(String, String)>), String> {
    let mut files = Vec::new();
    let snapshot_path = format!("{crate_dir}/openapi.json");
    let report = match std::fs::read(root.join(&snapshot_path)) {
        Ok(old_text) => {
            let old = openapi_client_gen::lower_configured(&old_text, target.crate_name, config)
                .map_err(|e| format!("{snapshot_path}: {e}"))?;
            changes::compare(&old, api)
        }
        Err(_) => Report::default(),
    };
    let from = package_version(manifest)
        .ok_or_else(|| format!("{crate_dir}/Cargo.toml has no `version` in [package]"))?;
    let to = report
        .bump(&from)
        .map_err(|e| format!("{crate_dir}/Cargo.toml: {e}"))?;
    if to != from {
        *manifest = set_package_version(manifest, &to)
            .ok_or_else(|| format!("{crate_dir}/Cargo.toml has no `version` in [package]"))?;
    }
    let changelog_path = format!("{crate_dir}/CHANGELOG.md");
    let current = std::fs::read_to_string(root.join(&changelog_path)).ok();
    let changelog = match current {
        None => Some(first_changelog(&to, &today()?, target.spec)),
        Some(text) if report.class().is_some() => Some(prepend(
            &text,
            &section(&to, &today()?, target.spec, api, &report),
        )),
        Some(_) => None,
    };
    if let Some(text) = changelog {
        files.push((changelog_path, text));
    }
    let spec = String::from_utf8(spec_text.to_vec())
        .map_err(|_| format!("{} is not UTF-8", target.spec))?;
    files.push((snapshot_path, spec));
    Ok((
        crate::Release {
            crate_name: target.crate_name.to_string(),
            report,
            from,
            to,
        },
        files,
    ))
}

/// The `version` of a manifest's `[package]` section.
fn package_version(manifest: &str) -> Option<String> {
    let package = manifest.split("\n[").next()?;
    package.lines().find_map(|line| {
        let value = line
            .strip_prefix("version")?
            .trim_start()
            .strip_prefix('=')?;
        Some(value.trim().trim_matches('"').to_string())
    })
}

/// `manifest` with its `[package]` version set to `version`.
fn set_package_version(manifest: &str, version: &str) -> Option<String> {
    let end = manifest.find("\n[").unwrap_or(manifest.len());
    let package = &manifest[..end];
    let start = package
        .match_indices("\nversion")
        .map(|(i, _)| i + 1)
        .find(|&i| package[i + "version".len()..].trim_start().starts_with('='))?;
    let line_end = package[start..]
        .find('\n')
        .map_or(package.len(), |i| start + i);
    Some(format!(
        "{}version = \"{version}\"{}",
        &manifest[..start],
        &manifest[line_end..]
    ))
}

/// Today's date (UTC) as `YYYY-MM-DD`, or the date of `SOURCE_DATE_EPOCH` when it is set
/// (the reproducible-builds convention), so a release can be rendered again byte for byte.
pub(crate) fn today() -> Result<String, String> {
    let now = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(secs) => {
            let secs: i64 = secs
                .trim()
                .parse()
                .map_err(|_| format!("SOURCE_DATE_EPOCH `{secs}` is not a number of seconds"))?;
            jiff::Timestamp::from_second(secs)
                .map_err(|e| format!("SOURCE_DATE_EPOCH `{secs}`: {e}"))?
        }
        Err(_) => jiff::Timestamp::now(),
    };
    Ok(now.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
}

fn first_changelog(version: &str, date: &str, spec: &str) -> String {
    format!(
        "{CHANGELOG_HEAD}\n## {version} — {date}\n\nThe first version whose changes are tracked: generated from `{spec}`.\n"
    )
}

/// A version's section: heading, the summary with the document versions, and the report.
fn section(
    version: &str,
    date: &str,
    spec: &str,
    api: &openapi_client_gen::ir::Api,
    report: &Report,
) -> String {
    format!(
        "## {version} — {date}\n\nGenerated from `{spec}` (`info.version` {}): {}.\n\n{}",
        api.version,
        report.summary(),
        report.markdown().trim_end()
    )
}

/// `changelog` with `section` before its first version's section (after the head).
fn prepend(changelog: &str, section: &str) -> String {
    let section = section.trim_end();
    match changelog.find("\n## ") {
        Some(i) => format!(
            "{}{section}\n\n{}",
            &changelog[..i + 1],
            &changelog[i + 1..]
        ),
        None => format!("{}\n\n{section}\n", changelog.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "[package]\nname = \"x\"\nversion = \"0.3.1\"\nedition = \"2024\"\n\n[dependencies]\nversion = \"1\"\n";

    #[test]
    fn reads_and_sets_the_package_version_only() {
        assert_eq!(package_version(MANIFEST).as_deref(), Some("0.3.1"));
        let bumped = set_package_version(MANIFEST, "0.4.0").unwrap();
        assert_eq!(
            bumped,
            MANIFEST.replace("version = \"0.3.1\"", "version = \"0.4.0\"")
        );
        assert_eq!(package_version(&bumped).as_deref(), Some("0.4.0"));
        assert!(bumped.ends_with("[dependencies]\nversion = \"1\"\n"));
    }

    #[test]
    fn sections_go_newest_first_below_the_head() {
        let first = first_changelog("0.1.0", "2026-12-07", "specs/openapi.json");
        let second = prepend(&first, "## 0.2.0 — 2026-12-08\n\nB.\n");
        let third = prepend(&second, "## 0.2.1 — 2026-12-09\n\nC.\n");
        let headings: Vec<&str> = third.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(
            headings,
            [
                "## 0.2.1 — 2026-12-09",
                "## 0.2.0 — 2026-12-08",
                "## 0.1.0 — 2026-12-07"
            ]
        );
        assert!(third.starts_with(CHANGELOG_HEAD));
        assert!(
            third.contains("\n\n## 0.2.1 — 2026-12-09\n\nC.\n\n## 0.2.0"),
            "{third}"
        );
    }
}
