//! `cargo xtask history`: the change report on real revisions, checked against
//! cargo-semver-checks.
//!
//! `specs/history/` holds dated revisions of four public APIs (`MANIFEST.tsv`: source
//! repository, commit, date, oldest first per API). For each consecutive pair of an API
//! this compares the two documents (`openapi_client_gen::changes`), and, unless
//! `--no-semver-checks`, generates both crates, has rustdoc describe their public API as
//! JSON and asks cargo-semver-checks (installed here at a pinned version) which release
//! the change needs. Our class must be at least as strict as its verdict: `breaking` for
//! a major, `additive` or more for a minor; and every lint it reports must be accounted
//! for by a change of ours of a matching kind (`LINT_KINDS`), so a change we did not see
//! shows. A pair where ours is stricter is listed with the kinds of change behind it.

use crate::util::{create_dir, write_file};
use openapi_client_gen::changes::{Class, Report};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The revisions, relative to the workspace root.
pub const HISTORY: &str = "specs/history";

/// The page `--write` writes, whose table `--no-semver-checks` reads the verdicts from.
const HISTORY_PAGE: &str = "docs/HISTORY.md";

/// The cargo-semver-checks release the check runs: the newest whose MSRV this
/// workspace's stable toolchain meets and whose rustdoc JSON support covers it. Bump it
/// (and check the table again) when the toolchain moves.
pub const SEMVER_CHECKS_VERSION: &str = "0.51.0";

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only the APIs whose name is listed (`discord`, `figma`, `resend`, `svix`).
    pub only: Vec<String>,
    /// Only the last N pairs of each API.
    pub last: Option<usize>,
    /// Skip cargo-semver-checks: the reports are checked against the verdicts of the last
    /// full run, recorded in `docs/HISTORY.md`.
    pub no_semver_checks: bool,
    /// Print every change of each pair.
    pub verbose: bool,
    /// Write the table into `docs/HISTORY.md` (a full run only).
    pub write: bool,
}

impl Options {
    /// Parses `[--only API[,API]] [--last N] [--no-semver-checks] [--verbose] [--write]`.
    pub fn parse(args: &[&str]) -> Result<Options, String> {
        let mut options = Options::default();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            match *arg {
                "--only" => {
                    let v = it.next().ok_or("--only needs a value")?;
                    options.only = v.split(',').map(str::to_string).collect();
                }
                "--last" => {
                    let v = it.next().ok_or("--last needs a value")?;
                    options.last =
                        Some(v.parse().map_err(|_| format!("--last {v}: not a number"))?);
                }
                "--no-semver-checks" => options.no_semver_checks = true,
                "--verbose" => options.verbose = true,
                "--write" => options.write = true,
                other => return Err(format!("unknown option {other}")),
            }
        }
        Ok(options)
    }
}

/// One revision of the manifest.
#[derive(Debug, Clone)]
struct Revision {
    /// The file name in `specs/history/`.
    file: String,
    /// The API: the file name up to its first `-`.
    api: String,
    /// The commit's date.
    date: String,
}

/// What cargo-semver-checks said about a pair.
#[derive(Debug, Clone)]
struct Verdict {
    /// `None` (no update needed), `Some(Class::Additive)` (minor) or
    /// `Some(Class::Breaking)` (major).
    class: Option<Class>,
    /// The lints that failed.
    lints: Vec<String>,
}

/// One pair's outcome.
#[derive(Debug)]
struct Pair {
    old: Revision,
    new: Revision,
    report: Report,
    compare_ms: f64,
    verdict: Option<Verdict>,
}

impl Pair {
    /// Whether our class is at least as strict as cargo-semver-checks' (true without a
    /// verdict).
    fn agrees(&self) -> bool {
        self.verdict.as_ref().is_none_or(|v| {
            rank(self.report.class()) >= rank(v.class) && unexplained(&self.report, v).is_empty()
        })
    }

    fn stricter(&self) -> bool {
        self.verdict
            .as_ref()
            .is_some_and(|v| rank(self.report.class()) > rank(v.class))
    }
}

/// For each cargo-semver-checks lint, the kinds of our changes that account for it: a
/// lint that fires on a pair whose report has none of them is a change we missed (a lint
/// not listed here counts as missed too, so a new lint shows up).
const LINT_KINDS: &[(&str, &[&str])] = &[
    ("enum_marked_non_exhaustive", &["non-exhaustive-changed"]),
    (
        "constructible_struct_adds_field",
        &[
            "field-added",
            "parameter-added-optional",
            "parameter-added-required",
            "parameter-moved",
            "additional-properties-changed",
            "multipart-changed",
        ],
    ),
    (
        "struct_pub_field_missing",
        &[
            "field-removed",
            "field-renamed",
            "parameter-removed",
            "parameter-renamed",
            "parameter-moved",
            "additional-properties-changed",
            "multipart-changed",
        ],
    ),
    (
        "struct_missing",
        // An operation's parameter struct goes with it.
        &[
            "type-removed",
            "type-changed",
            "parameter-struct-changed",
            "request-body-type-changed",
            "operation-removed",
            "operation-renamed",
        ],
    ),
    ("struct_with_pub_fields_changed_type", &["type-changed"]),
    (
        "enum_missing",
        // An operation's error enum goes with it.
        &[
            "type-removed",
            "type-changed",
            "error-type-renamed",
            "operation-removed",
            "operation-renamed",
        ],
    ),
    (
        "enum_variant_added",
        &[
            "enum-value-added",
            "variant-added",
            "error-added",
            "enum-variant-renamed",
            "error-changed",
        ],
    ),
    (
        "enum_variant_missing",
        &[
            "enum-value-removed",
            "variant-removed",
            "error-removed",
            "enum-variant-renamed",
            "error-changed",
            "operation-removed",
            "operation-renamed",
        ],
    ),
    (
        "enum_no_repr_variant_discriminant_changed",
        &[
            "operation-renumbered",
            "operation-removed",
            "operation-renamed",
        ],
    ),
    (
        "inherent_method_missing",
        &[
            "operation-removed",
            "operation-renamed",
            "stream-removed",
            "stream-changed",
            "security-scheme-removed",
            "security-setter-renamed",
        ],
    ),
    (
        "method_parameter_count_changed",
        &[
            "parameter-added-required",
            "parameter-added-optional",
            "parameter-removed",
            "parameter-moved",
            "parameter-struct-changed",
            "request-body-added",
            "request-body-removed",
        ],
    ),
];

/// The lints of `verdict` that no change of `report` accounts for.
fn unexplained(report: &Report, verdict: &Verdict) -> Vec<String> {
    verdict
        .lints
        .iter()
        .filter(|lint| {
            let kinds = LINT_KINDS
                .iter()
                .find(|(l, _)| l == lint)
                .map_or(&[][..], |(_, k)| *k);
            !report.changes.iter().any(|c| kinds.contains(&c.kind))
        })
        .cloned()
        .collect()
}

/// Patch and no change rank alike: cargo-semver-checks has no lint for a patch.
fn rank(class: Option<Class>) -> u8 {
    match class {
        None | Some(Class::Patch) => 0,
        Some(Class::Additive) => 1,
        Some(Class::Breaking) => 2,
    }
}

fn class_text(class: Option<Class>) -> &'static str {
    class.map_or("none", Class::as_str)
}

fn revisions(root: &Path) -> Result<Vec<Revision>, String> {
    let path = root.join(HISTORY).join("MANIFEST.tsv");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, _repo, _path, _commit, date, ..] = cols[..] else {
            return Err(format!(
                "{}: a line without its five columns: {line}",
                path.display()
            ));
        };
        let api = file.split('-').next().unwrap_or(file).to_string();
        out.push(Revision {
            file: file.to_string(),
            api,
            date: date.to_string(),
        });
    }
    Ok(out)
}

/// Runs the check; returns the Markdown report and whether every pair agrees.
pub fn run(root: &Path, options: &Options) -> Result<(String, bool), String> {
    let all = revisions(root)?;
    let mut by_api: BTreeMap<&str, Vec<&Revision>> = BTreeMap::new();
    for r in &all {
        by_api.entry(r.api.as_str()).or_default().push(r);
    }
    for name in &options.only {
        if !by_api.contains_key(name.as_str()) {
            let known: Vec<&str> = by_api.keys().copied().collect();
            return Err(format!(
                "--only {name}: no such API (the history has {})",
                known.join(", ")
            ));
        }
    }
    let mut pairs_to_run: Vec<(&Revision, &Revision)> = Vec::new();
    for (api, revs) in &by_api {
        if !options.only.is_empty() && !options.only.iter().any(|o| o == api) {
            continue;
        }
        let pairs: Vec<(&Revision, &Revision)> = revs.windows(2).map(|w| (w[0], w[1])).collect();
        let skip = options.last.map_or(0, |n| pairs.len().saturating_sub(n));
        pairs_to_run.extend(pairs.into_iter().skip(skip));
    }
    let work = crate::util::target_dir(root).join("history");
    let semver = if options.no_semver_checks {
        None
    } else {
        ensure_semver_checks()?;
        Some(Rustdocs::new(root, &work)?)
    };
    let mut apis: BTreeMap<String, openapi_client_gen::ir::Api> = BTreeMap::new();
    let mut lower = |rev: &Revision| -> Result<openapi_client_gen::ir::Api, String> {
        if let Some(api) = apis.get(&rev.file) {
            return Ok(api.clone());
        }
        let text = std::fs::read(root.join(HISTORY).join(&rev.file))
            .map_err(|e| format!("cannot read {}: {e}", rev.file))?;
        let api = openapi_client_gen::lower_only(&text, &crate_name(&rev.api))
            .map_err(|e| format!("{}: {e}", rev.file))?;
        apis.insert(rev.file.clone(), api.clone());
        Ok(api)
    };
    // Without cargo-semver-checks, the verdicts of the last full run (docs/HISTORY.md)
    // still hold our reports to account: they change only with the generated crates.
    let recorded = if semver.is_none() {
        recorded_verdicts(root)
    } else {
        BTreeMap::new()
    };
    let mut pairs = Vec::new();
    for (old, new) in pairs_to_run {
        let (a, b) = (lower(old)?, lower(new)?);
        let start = Instant::now();
        let report = openapi_client_gen::changes::compare(&a, &b);
        let compare_ms = start.elapsed().as_secs_f64() * 1000.0;
        let verdict = match &semver {
            Some(docs) => {
                let before = docs.json(old)?;
                let after = docs.json(new)?;
                Some(semver_checks(&before, &after)?)
            }
            None => recorded.get(&(old.file.clone(), new.file.clone())).cloned(),
        };
        let pair = Pair {
            old: old.clone(),
            new: new.clone(),
            report,
            compare_ms,
            verdict,
        };
        eprintln!(
            "{} -> {}: ours {}{}",
            pair.old.file,
            pair.new.file,
            pair.report.summary(),
            pair.verdict.as_ref().map_or(String::new(), |v| format!(
                "; cargo-semver-checks {} ({})",
                class_text(v.class),
                v.lints.join(", ")
            ))
        );
        if options.verbose {
            eprintln!("{}", pair.report.text());
        }
        pairs.push(pair);
    }
    let ok = pairs.iter().all(Pair::agrees);
    let table = table(&pairs, semver.is_some());
    if options.write {
        if !options.only.is_empty() || options.last.is_some() || options.no_semver_checks {
            return Err(
                "--write takes a full run (no --only, --last or --no-semver-checks)".into(),
            );
        }
        let page = format!(
            "# The change report on real revisions\n\nReproduce with `cargo xtask history --write` (this page). For each consecutive pair of the\nrevisions in `specs/history/` (`MANIFEST.tsv` names each one's repository and commit), the\nchange report (`openapi-client-gen diff`), the time `changes::compare` took on the two\nIRs, and the verdict of cargo-semver-checks on the public API of the two generated\ncrates (their rustdoc JSON, with every group feature and no TLS). Ours must be at\nleast as strict, and each lint that fires must be accounted for by a change of ours of a\nmatching kind (`LINT_KINDS` in `xtask/src/history.rs`). Measured {}.\n\n{table}",
            crate::release::today()?
        );
        write_file(&root.join(HISTORY_PAGE), page.as_bytes())?;
    }
    Ok((table, ok))
}

/// The crate both revisions of an API are generated as: the same name, so rustdoc's
/// paths compare.
fn crate_name(api: &str) -> String {
    format!("history-{api}")
}

fn table(pairs: &[Pair], semver: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| old | new | changes (breaking / additive / patch) | ours | compare | cargo-semver-checks {SEMVER_CHECKS_VERSION} | agrees |"
    );
    let _ = writeln!(out, "|---|---|---:|---|---:|---|---|");
    for p in pairs {
        let verdict = match &p.verdict {
            Some(v) if v.lints.is_empty() => class_text(v.class).to_string(),
            Some(v) => format!("{} ({})", class_text(v.class), v.lints.join(", ")),
            None if semver => "—".to_string(),
            None => "not run".to_string(),
        };
        let verdict = if semver || p.verdict.is_none() {
            verdict
        } else {
            format!("{verdict} (recorded)")
        };
        let missed = p
            .verdict
            .as_ref()
            .map(|v| unexplained(&p.report, v))
            .unwrap_or_default();
        let agrees = match (&p.verdict, p.agrees(), p.stricter()) {
            (None, _, _) => "—".to_string(),
            (Some(_), true, true) => "yes, ours stricter".to_string(),
            (Some(_), true, false) => "yes".to_string(),
            (Some(_), false, _) if !missed.is_empty() => {
                format!("**no**: nothing of ours accounts for {}", missed.join(", "))
            }
            (Some(_), false, _) => "**no**".to_string(),
        };
        let _ = writeln!(
            out,
            "| {} ({}) | {} ({}) | {} / {} / {} | {} | {:.1} ms | {verdict} | {agrees} |",
            p.old.file,
            p.old.date,
            p.new.file,
            p.new.date,
            p.report.count(Class::Breaking),
            p.report.count(Class::Additive),
            p.report.count(Class::Patch),
            class_text(p.report.class()),
            p.compare_ms,
        );
    }
    let stricter: Vec<&Pair> = pairs.iter().filter(|p| p.stricter()).collect();
    if !stricter.is_empty() {
        let _ = writeln!(
            out,
            "\nWhere ours is stricter, the kinds of our changes above its verdict:\n"
        );
        for p in stricter {
            let limit = rank(p.verdict.as_ref().and_then(|v| v.class));
            let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
            for c in &p.report.changes {
                if rank(Some(c.class)) > limit {
                    *kinds.entry(c.kind).or_default() += 1;
                }
            }
            let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
            let _ = writeln!(
                out,
                "- {} → {}: {}",
                p.old.file,
                p.new.file,
                kinds.join(", ")
            );
        }
    }
    out
}

/// Installs the pinned cargo-semver-checks unless it is already there.
fn ensure_semver_checks() -> Result<(), String> {
    let installed = Command::new("cargo")
        .args(["semver-checks", "--version"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if installed.as_deref() == Some(&format!("cargo-semver-checks {SEMVER_CHECKS_VERSION}")) {
        return Ok(());
    }
    eprintln!("installing cargo-semver-checks {SEMVER_CHECKS_VERSION} (found {installed:?})");
    let status = Command::new("cargo")
        .args(["install", "--locked", "cargo-semver-checks", "--version"])
        .arg(format!("={SEMVER_CHECKS_VERSION}"))
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cargo install cargo-semver-checks {SEMVER_CHECKS_VERSION} failed"
        ));
    }
    Ok(())
}

/// Generated crates and their rustdoc JSON, one per revision, built with one target
/// directory so the dependencies build once.
struct Rustdocs {
    root: PathBuf,
    work: PathBuf,
}

impl Rustdocs {
    fn new(root: &Path, work: &Path) -> Result<Rustdocs, String> {
        // Each run documents the crates the generator makes now, never an older run's.
        let json = work.join("json");
        if json.exists() {
            std::fs::remove_dir_all(&json)
                .map_err(|e| format!("cannot remove {}: {e}", json.display()))?;
        }
        create_dir(&json)?;
        Ok(Rustdocs {
            root: root.to_path_buf(),
            work: work.to_path_buf(),
        })
    }

    /// The rustdoc JSON of the revision's crate, generated, written and documented the
    /// first time a run asks (the same crate name for every revision of an API, so the
    /// output file is taken away after each rustdoc run).
    fn json(&self, rev: &Revision) -> Result<PathBuf, String> {
        let stem = rev
            .file
            .rsplit_once('.')
            .map_or(rev.file.as_str(), |(s, _)| s);
        let out = self.work.join("json").join(format!("{stem}.json"));
        if out.is_file() {
            return Ok(out);
        }
        let dir = self.work.join("crates").join(stem);
        let name = crate_name(&rev.api);
        let text = std::fs::read(self.root.join(HISTORY).join(&rev.file))
            .map_err(|e| format!("cannot read {}: {e}", rev.file))?;
        let runtime = openapi_client_gen::package::Runtime::parse(&format!(
            "crate:{}",
            self.root.join("runtime").display()
        ))?;
        let settings = openapi_client_gen::Settings {
            marker: format!("cargo xtask history from {}", rev.file),
            crate_name: name.clone(),
            runtime,
            config: Default::default(),
        };
        let generated = openapi_client_gen::generate(&text, &settings)
            .map_err(|e| format!("{}: {e}", rev.file))?;
        let files = openapi_client_gen::package::crate_files(&generated, &settings)
            .map_err(|e| format!("{}: {e}", rev.file))?;
        for (path, contents) in files {
            write_file(&dir.join(path), contents.as_bytes())?;
        }
        if let Ok(lock) = std::fs::read(self.root.join("Cargo.lock")) {
            write_file(&dir.join("Cargo.lock"), &lock)?;
        }
        let target = self.work.join("target");
        let produced = target
            .join("doc")
            .join(format!("{}.json", name.replace('-', "_")));
        let _ = std::fs::remove_file(&produced);
        let start = Instant::now();
        // No TLS backend (nothing here connects); every group when the crate has any.
        let mut args = vec!["rustdoc", "--lib", "--no-default-features"];
        if !generated.api.grouping.groups.is_empty() {
            args.extend(["--features", "full"]);
        }
        let output = crate::util::cargo()
            .current_dir(&dir)
            .args(&args)
            .args(["--", "-Zunstable-options", "--output-format", "json"])
            // rustdoc's JSON output is unstable: the one nightly flag, on the stable
            // toolchain, as cargo-semver-checks does itself.
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("RUSTFLAGS")
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .output()
            .map_err(|e| format!("cannot run cargo rustdoc: {e}"))?;
        if !output.status.success() || !produced.is_file() {
            return Err(format!(
                "rustdoc JSON of {} failed:\n{}",
                rev.file,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        std::fs::rename(&produced, &out)
            .map_err(|e| format!("cannot move {}: {e}", produced.display()))?;
        eprintln!(
            "rustdoc JSON of {} in {:.1} s",
            rev.file,
            start.elapsed().as_secs_f64()
        );
        Ok(out)
    }
}

/// cargo-semver-checks' verdict on two rustdoc JSON files.
fn semver_checks(baseline: &Path, current: &Path) -> Result<Verdict, String> {
    let output = Command::new("cargo")
        .args(["semver-checks", "check-release", "--baseline-rustdoc"])
        .arg(baseline)
        .arg("--current-rustdoc")
        .arg(current)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    parse_verdict(&text).ok_or_else(|| format!("cargo semver-checks said nothing we read:\n{text}"))
}

/// The verdicts `docs/HISTORY.md` records, by (old file, new file): the table's sixth
/// column, `breaking (lint, lint)`, `additive` or `none`.
fn recorded_verdicts(root: &Path) -> BTreeMap<(String, String), Verdict> {
    let text = std::fs::read_to_string(root.join(HISTORY_PAGE)).unwrap_or_default();
    text.lines().filter_map(parse_row).collect()
}

fn parse_row(line: &str) -> Option<((String, String), Verdict)> {
    let cells: Vec<&str> = line.split('|').map(str::trim).collect();
    // ["", old, new, counts, ours, compare, verdict, agrees, ""]
    let [_, old, new, _, _, _, verdict, ..] = cells[..] else {
        return None;
    };
    let file = |cell: &str| cell.split(" (").next().map(str::to_string);
    let (class_word, lints) = match verdict.split_once(" (") {
        Some((class, lints)) => (class, lints.trim_end_matches(')')),
        None => (verdict, ""),
    };
    let class = match class_word {
        "breaking" => Some(Class::Breaking),
        "additive" => Some(Class::Additive),
        "none" => None,
        _ => return None,
    };
    let lints = lints
        .split(", ")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    Some(((file(old)?, file(new)?), Verdict { class, lints }))
}

/// Reads the summary line and the failed lints of cargo-semver-checks' output.
fn parse_verdict(text: &str) -> Option<Verdict> {
    let class = if text.contains("requires new major version") {
        Some(Class::Breaking)
    } else if text.contains("requires new minor version") {
        Some(Class::Additive)
    } else if text.contains("no semver update required") {
        None
    } else {
        return None;
    };
    let mut lints: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--- failure "))
        .filter_map(|l| l.split(':').next())
        .map(str::to_string)
        .collect();
    lints.sort();
    lints.dedup();
    Some(Verdict { class, lints })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_semver_checks_summaries() {
        let major = "--- failure constructible_struct_adds_field: externally-constructible struct adds field ---\n\n--- failure enum_variant_added: enum variant added on exhaustive enum ---\n     Summary semver requires new major version: 2 major and 0 minor checks failed\n";
        let v = parse_verdict(major).unwrap();
        assert_eq!(v.class, Some(Class::Breaking));
        assert_eq!(
            v.lints,
            ["constructible_struct_adds_field", "enum_variant_added"]
        );
        let minor = "--- failure function_marked_deprecated: function #[deprecated] added ---\n     Summary semver requires new minor version: 0 major and 1 minor checks failed\n";
        assert_eq!(parse_verdict(minor).unwrap().class, Some(Class::Additive));
        let none = "     Summary no semver update required\n";
        assert_eq!(parse_verdict(none).unwrap().class, None);
        assert!(parse_verdict("error: something else").is_none());
    }

    #[test]
    fn reads_the_recorded_table_back() {
        let row = "| a-1.json (2024-01-01) | a-2.json (2024-02-01) | 1 / 0 / 0 | breaking | 1.0 ms | breaking (enum_missing, struct_missing) | yes |";
        let ((old, new), v) = parse_row(row).unwrap();
        assert_eq!((old.as_str(), new.as_str()), ("a-1.json", "a-2.json"));
        assert_eq!(v.class, Some(Class::Breaking));
        assert_eq!(v.lints, ["enum_missing", "struct_missing"]);
        let none = "| a-2.json (x) | a-3.json (y) | 0 / 4 / 2 | additive | 3.2 ms | none | yes, ours stricter |";
        assert_eq!(parse_row(none).unwrap().1.class, None);
        assert!(parse_row("|---|---|---:|---|---:|---|---|").is_none());
        assert!(
            parse_row(
                "| old | new | changes | ours | compare | cargo-semver-checks 0.51.0 | agrees |"
            )
            .is_none()
        );
    }
}
