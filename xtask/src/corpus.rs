//! `cargo xtask corpus`: every spec in `specs/corpus/` and `specs/corpus-2/`, the construct
//! fixtures and `specs/openapi.json` are generated into scratch crates, linted with clippy
//! (warnings denied), and made to decode the examples each spec attaches to its schemas.

use crate::scratch::{Outcome, Scratch};
use crate::util::write_file;
use openapi_client_gen::package::Runtime;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Examples known to contradict their own schema, as `spec<TAB>pointer<TAB>reason` lines,
/// one file per corpus.
pub const EXCLUSIONS: [&str; 2] = [
    "specs/corpus/example-exclusions.tsv",
    "specs/corpus-2/example-exclusions.tsv",
];

/// The second corpus: real-world specs the generator was not tuned for.
pub const SECOND_CORPUS: &str = "specs/corpus-2";

/// The folders of real-world specs, in the order they are checked.
pub const CORPORA: [&str; 2] = ["specs/corpus", SECOND_CORPUS];

/// The PI spec's name in the table.
const PI: &str = "prime-intellect";

/// One crate to generate: the spec's name in the table, its file, the runtime mode and
/// the config.
struct Spec<'a> {
    name: &'a str,
    path: &'a Path,
    runtime: &'a Runtime,
    config: &'a openapi_client_gen::config::Config,
}

/// The configured fixtures: `tests/fixtures/configured/STEM@VARIANT.toml` is the construct
/// fixture `STEM` generated with that config, as `STEM-VARIANT` in the table, so that every
/// setting of the config file (typed formats with each library, derives, replacements,
/// `#[non_exhaustive]`) is compiled and linted like the rest, and the fixture's examples
/// decode with it.
pub const CONFIGURED: &str = "tests/fixtures/configured";

/// A config with every typed format on, dates and times from `library`.
pub fn typed_formats(library: &str) -> Result<openapi_client_gen::config::Config, String> {
    let text = format!(
        "[formats]\ndate-time = \"{library}\"\ndate = \"{library}\"\ntime = \"{library}\"\nduration = \"jiff\"\nuuid = \"uuid\"\nbyte = \"base64\"\ndecimal = \"rust_decimal\"\nuri = \"url\"\n"
    );
    openapi_client_gen::config::Config::parse(&text, "--formats")
}

/// The configured fixtures as (name, fixture file, config file), by file name.
fn configured(root: &Path) -> Result<Vec<(String, PathBuf, PathBuf)>, String> {
    let dir = root.join(CONFIGURED);
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for config in files {
        let stem = config
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some((fixture, variant)) = stem.split_once('@') else {
            return Err(format!(
                "{}: not named FIXTURE@VARIANT.toml",
                config.display()
            ));
        };
        let spec = spec_files(&root.join("tests/fixtures/constructs"))?
            .into_iter()
            .find(|p| {
                p.file_stem()
                    .is_some_and(|s| s.to_string_lossy() == fixture)
            })
            .ok_or_else(|| format!("{}: no construct fixture `{fixture}`", config.display()))?;
        out.push((format!("{fixture}-{variant}"), spec, config));
    }
    Ok(out)
}

/// One spec's result.
#[derive(Debug)]
pub struct Row {
    pub spec: String,
    pub operations: usize,
    pub types: usize,
    pub generation_ms: f64,
    pub warnings: usize,
    pub check: Result<(), String>,
    pub examples_ok: usize,
    pub examples_total: usize,
    pub examples_excluded: usize,
    /// Examples that decoded from the JSON text they hold (a string example of an object).
    pub examples_serialized: usize,
    /// Values synthesised from response schemas, for a spec with no examples.
    pub examples_synthesized: usize,
    pub example_failures: Vec<String>,
}

/// The specs, in a stable order: the PI spec, the corpus by file name, then the construct
/// fixtures by file name.
pub fn specs(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = vec![(PI.to_string(), root.join(crate::SPEC))];
    let mut corpus = Vec::new();
    for dir in CORPORA {
        corpus.extend(spec_files(&root.join(dir))?);
    }
    // The construct fixtures: small specs that each exercise what real specs do.
    corpus.extend(spec_files(&root.join("tests/fixtures/constructs"))?);
    for path in corpus {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push((stem, path));
    }
    Ok(out)
}

/// The JSON and YAML files in a directory, sorted by name.
fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Runs the whole check; `only` limits it to specs whose name contains the string.
///
/// Every crate is written first, as a member of one scratch workspace (`target/corpus`),
/// then built by one cargo run with clippy's lints inside the build (clippy-driver as
/// the rustc wrapper, warnings denied): each crate's library with the `mock` and
/// `tracing` features, and its decode program, which is then run. Linting inside the
/// build costs about what `cargo clippy` alone does (measured on the largest crate: 70 s
/// against 69 s), and leaves the code the decode programs need; one cargo run over all
/// crates shares the dependency build and keeps both cores busy.
///
/// With `formats` (`jiff`, `time` or `chrono`), every spec is generated with every typed
/// format on, dates and times from that library ([`typed_formats`]), so that the examples
/// of real documents are decoded by the typed formats' parsers; the configured fixtures
/// are left out (they have configs of their own).
pub fn run(
    root: &Path,
    only: Option<&str>,
    subsets: Subsets,
    formats: Option<&str>,
) -> Result<Vec<Row>, String> {
    let base_config = match formats {
        Some(library) => typed_formats(library)?,
        None => openapi_client_gen::config::Config::default(),
    };
    let scratch = crate::util::target_dir(root).join("corpus");
    let target = crate::util::scratch_target(root);
    let _ = std::fs::remove_dir_all(&scratch);
    let exclusions = read_exclusions(root)?;
    let lock = std::fs::read(root.join("Cargo.lock")).ok();
    let mut crates: Vec<Prepared> = Vec::new();
    let runtime_dep = Runtime::parse(&format!("crate:{}", root.join("runtime").display()))?;
    let mut embedded = BTreeSet::new();
    // Every crate to generate, as (name, document, runtime mode, config).
    let wanted = |name: &str| only.is_none_or(|o| name.contains(o));
    let mut planned = Vec::new();
    for (name, path) in specs(root)? {
        if !wanted(&name) {
            continue;
        }
        // The PI spec is also generated a second time depending on the runtime crate
        // (`--runtime crate:PATH`), so that mode is built and linted like the default one.
        // The embedded one comes first: it embeds the runtime for its set of features (see
        // `prepare`).
        let twin = (name == PI).then(|| format!("{PI}-runtime-crate"));
        planned.push((name, path.clone(), Runtime::Embedded, base_config.clone()));
        if let Some(twin) = twin {
            planned.push((twin, path, runtime_dep.clone(), base_config.clone()));
        }
    }
    // The configured fixtures have configs of their own, which `--formats` would replace.
    if formats.is_none() {
        for (name, path, config) in configured(root)? {
            if wanted(&name) {
                let shown = config.display().to_string();
                let config = openapi_client_gen::config::Config::read(&config, &shown)?;
                planned.push((name, path, Runtime::Embedded, config));
            }
        }
    }
    for (name, path, runtime, config) in &planned {
        let spec = Spec {
            name,
            path,
            runtime,
            config,
        };
        crates.push(prepare(
            &spec,
            &scratch,
            &runtime_dep,
            &mut embedded,
            &exclusions,
        )?);
    }

    let subset_crates = subset_crates(&scratch, &crates, subsets)?;
    crates.extend(subset_crates);
    let members: Vec<String> = crates
        .iter()
        .filter(|c| c.row.check.is_ok())
        .map(|c| c.member.clone())
        .collect();
    if members.is_empty() {
        return Ok(crates.into_iter().map(|c| c.row).collect());
    }
    eprintln!(
        "corpus: building {} crates with clippy's lints, and their decode programs",
        members.len()
    );
    let start = Instant::now();
    let workspace = Scratch::create(scratch, target, &members, lock.as_deref())?;
    let outcome = workspace.cargo(
        &[
            "build",
            "--workspace",
            "--lib",
            "--examples",
            "--tests",
            "--keep-going",
        ],
        true,
    )?;
    eprintln!("corpus: built in {:.0} s", start.elapsed().as_secs_f64());
    for c in crates.iter_mut().filter(|c| c.row.check.is_ok()) {
        c.row.check = verdict(&outcome, &c.member);
        if let Some((_, test)) = outcome.tests.iter().find(|(m, _)| *m == c.member)
            && c.row.check.is_ok()
        {
            c.row.check = run_test(test);
        }
        if c.row.examples_total == 0 {
            continue;
        }
        match outcome
            .executables
            .iter()
            .find(|(member, _, _)| *member == c.member)
        {
            Some((_, _, program)) => run_decode(program, &mut c.row),
            None => {
                c.row.example_failures = vec!["the decode program did not build".into()];
            }
        }
    }
    Ok(crates.into_iter().map(|c| c.row).collect())
}

/// A generated crate waiting for its checks: its member directory name and its row; for
/// a generated crate, its manifest as generated and its group features.
struct Prepared {
    member: String,
    row: Row,
    cargo_toml: String,
    groups: Vec<(String, usize)>,
}

/// Generates `spec` into a crate under `scratch`, with a decode program if the spec has
/// examples. A spec that does not generate is a row with the failure, not an error.
///
/// The runtime's source is the same in every crate; only the features it is compiled
/// with differ. So the first crate of each set of default features (the PI spec's first)
/// embeds it, as every generated crate does by default, and the others depend on the
/// runtime crate (`runtime_dep`), compiled once for all of them (`embedded` holds the
/// sets seen). Every crate's own code is checked either way: the client, types and mock
/// modules are the same text in both modes.
fn prepare(
    spec: &Spec<'_>,
    scratch: &Path,
    runtime_dep: &Runtime,
    embedded: &mut BTreeSet<Vec<&'static str>>,
    exclusions: &[(String, String)],
) -> Result<Prepared, String> {
    let (name, path) = (spec.name, spec.path);
    let member = slug(name);
    let mut row = Row::named(name.to_string());
    let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let crate_name = format!("corpus-{member}");
    let settings = openapi_client_gen::Settings {
        marker: format!("`cargo xtask corpus` from {}", path.display()),
        crate_name: crate_name.clone(),
        runtime: spec.runtime.clone(),
        config: spec.config.clone(),
    };
    let start = Instant::now();
    let generated = openapi_client_gen::generate(&text, &settings);
    let files = generated.as_ref().map_err(|e| e.to_string()).and_then(|g| {
        openapi_client_gen::package::crate_files(g, &settings).map_err(|e| e.to_string())
    });
    row.generation_ms = start.elapsed().as_secs_f64() * 1000.0;
    let (generated, files) = match (generated, files) {
        (Ok(g), Ok(f)) => (g, f),
        (Err(e), _) => {
            row.check = Err(format!("generation failed: {e}"));
            return Ok(Prepared::failed(member, row));
        }
        (_, Err(e)) => {
            row.check = Err(format!("emit failed: {e}"));
            return Ok(Prepared::failed(member, row));
        }
    };
    row.operations = generated.api.operations.len();
    row.types = generated.api.types.len();
    row.warnings = generated.warnings.len();
    let features = openapi_client_gen::package::needed_features(&generated.api);
    // A crate with typed formats embeds the runtime: its format modules are its own.
    let shared = spec.config.formats.libraries().is_empty();
    let files = if *spec.runtime == Runtime::Embedded && shared && !embedded.insert(features) {
        let crate_settings = openapi_client_gen::Settings {
            runtime: runtime_dep.clone(),
            ..settings.clone()
        };
        openapi_client_gen::package::crate_files(&generated, &crate_settings)
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|(rel, _)| !rel.starts_with("src/runtime"))
            .collect()
    } else {
        files
    };

    let names = openapi_client_gen::package::names_map(&generated.api);
    let raw = openapi_client_gen::spec::parse(&text).map_err(|e| e.to_string())?;
    let mut examples = collect_examples(&raw, &names);
    let before = examples.len();
    examples.retain(|e| !exclusions.contains(&(name.to_string(), e.pointer.clone())));
    row.examples_excluded = before - examples.len();
    row.examples_synthesized = examples
        .iter()
        .filter(|e| e.pointer.ends_with(SYNTHESIZED))
        .count();
    row.examples_total = examples.len();
    let dir = scratch.join(&member);
    let decoder = (!examples.is_empty()).then(|| format!("decode-{member}"));
    let manifest = member_manifest(&files, &crate_name, CHECKED_FEATURES, decoder.as_deref());
    write_crate(&dir, &files, &manifest)?;
    if !examples.is_empty() {
        write_file(
            &dir.join("examples/decode.rs"),
            decode_program(&crate_name, &examples).as_bytes(),
        )?;
    }
    let cargo_toml = files
        .iter()
        .find(|(rel, _)| rel == "Cargo.toml")
        .map(|(_, text)| text.clone())
        .unwrap_or_default();
    let groups = generated
        .api
        .grouping
        .groups
        .iter()
        .map(|g| (g.feature.clone(), g.operations.len()))
        .collect();
    Ok(Prepared {
        member,
        row,
        cargo_toml,
        groups,
    })
}

impl Prepared {
    fn failed(member: String, row: Row) -> Prepared {
        Prepared {
            member,
            row,
            cargo_toml: String::new(),
            groups: Vec::new(),
        }
    }
}

/// Which group subsets are built besides every whole crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subsets {
    /// For the specs with the most operations and the groups fixture: no group, and three
    /// single groups drawn with a fixed seed.
    Sample,
    /// For every spec with groups: no group, and every group on its own.
    All,
}

/// How many of the specs with the most operations get sampled subsets.
const SAMPLED_SPECS: usize = 5;

/// The fixture with operations in several groups and types shared across them.
const GROUPS_FIXTURE: &str = "groups-3.1";

/// The member crates that build one spec's crate with some of its group features: each
/// compiles the spec's crate's source (its `lib` path points there) under its own name,
/// with the group features given and the rest of its defaults.
fn subset_crates(
    scratch: &Path,
    crates: &[Prepared],
    subsets: Subsets,
) -> Result<Vec<Prepared>, String> {
    let mut chosen: Vec<&Prepared> = crates
        .iter()
        .filter(|c| c.row.check.is_ok() && !c.groups.is_empty())
        .collect();
    if subsets == Subsets::Sample {
        chosen.sort_by_key(|c| std::cmp::Reverse(c.row.operations));
        let fixture = chosen
            .iter()
            .position(|c| c.row.spec.contains(GROUPS_FIXTURE));
        let fixture = fixture.map(|i| chosen[i]);
        chosen.truncate(SAMPLED_SPECS);
        chosen.extend(fixture.filter(|f| !chosen.iter().any(|c| c.member == f.member)));
    }
    let mut out = Vec::new();
    // The same draw on every run and machine.
    let mut rng = fastrand::Rng::with_seed(1);
    for base in chosen {
        let mut groups: Vec<Option<&(String, usize)>> = vec![None];
        match subsets {
            Subsets::All => groups.extend(base.groups.iter().map(Some)),
            Subsets::Sample => {
                let mut all: Vec<&(String, usize)> = base.groups.iter().collect();
                rng.shuffle(&mut all);
                groups.extend(all.into_iter().take(3).map(Some));
            }
        }
        for group in groups {
            let (suffix, label, operations) = match group {
                None => ("no-groups".to_string(), "no group".to_string(), 0),
                Some((feature, count)) => {
                    (format!("only-{feature}"), format!("`{feature}`"), *count)
                }
            };
            let member = format!("{}-{suffix}", base.member);
            // The groups fixture's subsets also build and run the crate's unit test (the
            // mock module's check of every compiled operation), with the groups left out.
            let tests = base.row.spec.contains(GROUPS_FIXTURE);
            let manifest = subset_manifest(
                &base.cargo_toml,
                &base.member,
                &member,
                group.map(|g| g.0.as_str()),
                tests,
            );
            write_file(
                &scratch.join(&member).join("Cargo.toml"),
                manifest.as_bytes(),
            )?;
            let mut row = Row::named(format!("{} with {label}", base.row.spec));
            row.operations = operations;
            out.push(Prepared::failed(member, row));
        }
    }
    Ok(out)
}

/// A subset member's manifest: the base crate's generated manifest, named `corpus-MEMBER`,
/// its library at the base crate's `src/lib.rs`, with the features the base is checked
/// with but `full`, and `group` if any.
fn subset_manifest(
    cargo_toml: &str,
    base: &str,
    member: &str,
    group: Option<&str>,
    tests: bool,
) -> String {
    let files = vec![("Cargo.toml".to_string(), cargo_toml.to_string())];
    let manifest = member_manifest(&files, &format!("corpus-{member}"), CHECKED_FEATURES, None);
    let mut out = String::new();
    for line in manifest.lines() {
        if let Some(list) = line.strip_prefix("default = ") {
            let mut features: Vec<String> = serde_json::from_str::<Vec<String>>(list)
                .unwrap_or_default()
                .into_iter()
                .filter(|f| f != "full")
                .collect();
            features.extend(group.map(String::from));
            out.push_str(&format!("default = {features:?}\n"));
        } else if line == "[lib]" {
            out.push_str(&format!("[lib]\npath = \"../{base}/src/lib.rs\"\n"));
        } else if line == "test = false" && tests {
            continue;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A member's manifest: the generated crate's, renamed, not a workspace of its own, with
/// the features it is checked with on by default (its own, less the TLS backends, which
/// are reqwest's code and would build a C library for nothing), and with its decode
/// program named after it (examples of one name in several members would collide).
fn member_manifest(
    files: &[(String, String)],
    name: &str,
    extra_features: &str,
    example: Option<&str>,
) -> String {
    let generated = files
        .iter()
        .find(|(rel, _)| rel == "Cargo.toml")
        .map(|(_, text)| text.as_str())
        .unwrap_or_default();
    let mut out = String::new();
    let mut named = false;
    for line in generated.lines() {
        if line.starts_with("# Its own workspace") || line == "[workspace]" {
            continue;
        }
        if line.starts_with("name = ") && !named {
            named = true;
            out.push_str(&format!("name = \"{name}\"\n"));
        } else if line == "[lib]" {
            // `cargo build --tests` builds only the harnesses of the members that ask for
            // one (see `subset_manifest`).
            out.push_str("[lib]\ntest = false\n");
        } else if let Some(list) = line.strip_prefix("default = ") {
            let mut features: Vec<String> = serde_json::from_str::<Vec<String>>(list)
                .unwrap_or_default()
                .into_iter()
                .filter(|f| f != "rustls" && f != "native-tls")
                .collect();
            features.extend(
                extra_features
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(String::from),
            );
            out.push_str(&format!("default = {features:?}\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if let Some(example) = example {
        out.push_str(&format!(
            "\n[[example]]\nname = \"{example}\"\npath = \"examples/decode.rs\"\n"
        ));
    }
    out
}

impl Row {
    /// A row with no figures yet.
    fn named(spec: String) -> Row {
        Row {
            spec,
            operations: 0,
            types: 0,
            generation_ms: 0.0,
            warnings: 0,
            check: Ok(()),
            examples_ok: 0,
            examples_total: 0,
            examples_excluded: 0,
            examples_serialized: 0,
            examples_synthesized: 0,
            example_failures: Vec::new(),
        }
    }
}

/// Runs a member's unit-test harness.
fn run_test(program: &Path) -> Result<(), String> {
    let out = std::process::Command::new(program)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "its unit test failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A member's verdict: no errors, and its library built.
fn verdict(outcome: &Outcome, member: &str) -> Result<(), String> {
    let errors: Vec<&str> = outcome
        .errors_of(member)
        .map(|d| d.rendered.as_str())
        .filter(|r| !r.starts_with("error: aborting due to"))
        .collect();
    if !errors.is_empty() {
        return Err(first_errors(&errors.concat()));
    }
    if outcome.built.contains(member) {
        Ok(())
    } else {
        Err(format!("did not build: {}", outcome.cargo_error()))
    }
}

/// `name` as a crate name's part: ASCII letters and digits lowercased, anything else `-`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Writes the generated `files` (but their manifest) and `manifest` into a fresh crate
/// directory `dir`.
fn write_crate(dir: &Path, files: &[(String, String)], manifest: &str) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    for (rel, contents) in files.iter().filter(|(rel, _)| rel != "Cargo.toml") {
        write_file(&dir.join(rel), contents.as_bytes())?;
    }
    write_file(&dir.join("Cargo.toml"), manifest.as_bytes())
}

/// The features each corpus crate is linted with, besides its own: the ones that add code
/// of their own (the mock server, tracing), so every crate's mock module is linted too.
const CHECKED_FEATURES: &str = "mock,tracing";

/// Runs a decode program into the row's example figures.
fn run_decode(program: &Path, row: &mut Row) {
    let out = match Command::new(program).output() {
        Ok(out) => out,
        Err(e) => {
            row.example_failures = vec![format!("cannot run {}: {e}", program.display())];
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ok = stdout
        .lines()
        .find_map(|l| l.strip_prefix("decoded "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok());
    match ok {
        Some(ok) => {
            row.examples_ok = ok;
            row.examples_serialized = stderr
                .lines()
                .filter(|l| l.starts_with("SERIALIZED "))
                .count();
            row.example_failures = stderr
                .lines()
                .filter(|l| l.starts_with("FAIL "))
                .map(String::from)
                .collect();
        }
        None => row.example_failures = vec![first_errors(&stderr)],
    }
}

fn read_exclusions(root: &Path) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for file in EXCLUSIONS {
        read_exclusions_from(root, file, &mut out)?;
    }
    Ok(out)
}

fn read_exclusions_from(
    root: &Path,
    file: &str,
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, '\t');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(spec), Some(pointer), Some(reason)) if !reason.trim().is_empty() => {
                out.push((spec.to_string(), pointer.to_string()))
            }
            _ => {
                return Err(format!(
                    "{file}:{}: expected spec<TAB>pointer<TAB>reason",
                    i + 1
                ));
            }
        }
    }
    Ok(())
}

fn first_errors(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(12)
        .collect();
    lines.join("\n")
}

/// An example value and the Rust type it must decode into.
#[derive(Debug, Clone)]
pub struct Example {
    pub pointer: String,
    pub rust_type: String,
    pub value: Value,
}

/// Examples attached to component schemas, and to media types whose schema is a `$ref`
/// to a component schema (`example`, and `examples` in both its 3.0 map form and the
/// 3.1 schema array form).
pub fn collect_examples(spec: &Value, names: &Value) -> Vec<Example> {
    let types: BTreeMap<&str, String> = names["types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| {
            let rust = t["rust"].as_str()?;
            // An alias of a typed format is read through the crate's `FromWire`.
            let rust = if t["wire"] == Value::Bool(true) {
                format!("FromWire<{rust}>")
            } else {
                rust.to_string()
            };
            Some((t["schema"].as_str()?, rust))
        })
        .collect();
    let types: Types = types.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut out = Vec::new();
    schema_examples(spec, &types, &mut out);
    media_examples(spec, &types, &mut out);
    if out.is_empty() {
        synthesized_responses(spec, &types, &mut out);
    }
    out
}

/// Marks the pointer of a value synthesised from a schema (see [`crate::synth`]).
pub const SYNTHESIZED: &str = " (synthesised)";

/// For a document with no examples of its own: one value synthesised from the schema of
/// each JSON success response that is a component's type, once per type.
fn synthesized_responses(spec: &Value, types: &Types, out: &mut Vec<Example>) {
    let mut media = Vec::new();
    find_media(spec, "#".to_string(), &mut media);
    let mut seen = BTreeSet::new();
    for (pointer, media_type) in media {
        let json = pointer.ends_with("/application~1json") || pointer.ends_with("+json");
        if !pointer.starts_with("#/paths/") || !pointer.contains("/responses/2") || !json {
            continue;
        }
        let Some(schema) = media_type.get("schema") else {
            continue;
        };
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        if schema.as_object().is_some_and(|s| s.len() != 1) || !seen.insert(reference) {
            continue;
        }
        push(
            out,
            types,
            reference,
            format!("{pointer}/schema{SYNTHESIZED}"),
            &crate::synth::value(spec, schema),
        );
    }
}

/// Rust type names by the pointer of the schema they are generated from.
type Types<'a> = BTreeMap<&'a str, &'a str>;

/// Adds the example `value` at `pointer` if the schema at `schema_pointer` has a type.
fn push(
    out: &mut Vec<Example>,
    types: &Types,
    schema_pointer: &str,
    pointer: String,
    value: &Value,
) {
    if let Some(rust) = types.get(schema_pointer) {
        out.push(Example {
            pointer,
            rust_type: rust.to_string(),
            value: value.clone(),
        });
    }
}

/// The `example` and `examples` of the component schemas.
fn schema_examples(spec: &Value, types: &Types, out: &mut Vec<Example>) {
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    for (name, schema) in schemas {
        let schema_pointer = format!("#/components/schemas/{}", escape(name));
        if let Some(example) = schema.get("example") {
            push(
                out,
                types,
                &schema_pointer,
                format!("{schema_pointer}/example"),
                example,
            );
        }
        if let Some(list) = schema.get("examples").and_then(Value::as_array) {
            for (i, example) in list.iter().enumerate() {
                push(
                    out,
                    types,
                    &schema_pointer,
                    format!("{schema_pointer}/examples/{i}"),
                    example,
                );
            }
        }
    }
}

/// The `example` and `examples` of the media types whose schema is only a `$ref`.
fn media_examples(spec: &Value, types: &Types, out: &mut Vec<Example>) {
    let component_examples = spec.pointer("/components/examples");
    let mut media = Vec::new();
    find_media(spec, "#".to_string(), &mut media);
    for (pointer, media_type) in media {
        let Some(reference) = media_type.pointer("/schema/$ref").and_then(Value::as_str) else {
            continue;
        };
        if media_type
            .get("schema")
            .and_then(Value::as_object)
            .is_some_and(|s| s.len() != 1)
        {
            continue;
        }
        if let Some(example) = media_type.get("example") {
            push(out, types, reference, format!("{pointer}/example"), example);
        }
        if let Some(map) = media_type.get("examples").and_then(Value::as_object) {
            for (key, example) in map {
                let value = match example.get("$ref").and_then(Value::as_str) {
                    Some(r) => r
                        .strip_prefix("#/components/examples/")
                        .and_then(|n| component_examples?.get(n))
                        .and_then(|e| e.get("value")),
                    None => example.get("value"),
                };
                if let Some(value) = value {
                    push(
                        out,
                        types,
                        reference,
                        format!("{pointer}/examples/{}/value", escape(key)),
                        value,
                    );
                }
            }
        }
    }
}

/// Media type objects under `paths` and `components` (the values of `content` maps).
fn find_media<'v>(value: &'v Value, pointer: String, out: &mut Vec<(String, &'v Value)>) {
    let Value::Object(map) = value else { return };
    for (key, child) in map {
        let child_pointer = format!("{pointer}/{}", escape(key));
        match key.as_str() {
            "content" => {
                if let Value::Object(content) = child {
                    for (media, mt) in content {
                        out.push((format!("{child_pointer}/{}", escape(media)), mt));
                    }
                }
            }
            "example" | "examples" | "schema" | "schemas" => {}
            _ => find_media(child, child_pointer, out),
        }
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A program that decodes each example into its type and reports failures.
fn decode_program(crate_name: &str, examples: &[Example]) -> String {
    let krate = crate_name.replace('-', "_");
    let mut body = String::new();
    for e in examples {
        let json = serde_json::to_string(&e.value).unwrap_or_default();
        let _ = writeln!(
            body,
            "    check::<{krate}::{}>({:?}, {:?}, &mut failed);",
            e.rust_type
                .replace("FromWire<", &format!("FromWire<{krate}::")),
            e.pointer,
            json
        );
    }
    // An example written as the serialised payload (a string holding JSON, what 3.2 calls
    // `serializedValue`) is decoded from that text when it does not decode as it stands.
    format!(
        "//! Decodes every example the spec attaches to a component schema into its Rust type.\n\n\
         fn check<T: serde::de::DeserializeOwned>(pointer: &str, json: &str, failed: &mut usize) {{\n    \
         let Err(e) = serde_json::from_str::<T>(json) else {{ return }};\n    \
         if let Ok(serde_json::Value::String(text)) = serde_json::from_str::<serde_json::Value>(json)\n        \
         && serde_json::from_str::<T>(&text).is_ok()\n    {{\n        \
         eprintln!(\"SERIALIZED {{pointer}}\");\n        return;\n    }}\n    \
         eprintln!(\"FAIL {{pointer}}: {{e}}\");\n    *failed += 1;\n}}\n\n\
         fn main() {{\n    let mut failed = 0;\n{body}    println!(\"decoded {{}} of {{}}\", {total} - failed, {total});\n}}\n",
        total = examples.len()
    )
}

/// The table `cargo xtask corpus` prints.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| spec | operations | types | generation | warnings | cargo clippy | examples decoded |\n|---|---:|---:|---:|---:|---|---:|\n",
    );
    for r in rows {
        let check = match &r.check {
            Ok(()) => "ok".to_string(),
            Err(_) => "FAILED".to_string(),
        };
        let mut notes = Vec::new();
        if r.examples_synthesized > 0 {
            notes.push(format!("{} synthesised", r.examples_synthesized));
        }
        if r.examples_serialized > 0 {
            notes.push(format!("{} from serialised text", r.examples_serialized));
        }
        if r.examples_excluded > 0 {
            notes.push(format!("{} excluded", r.examples_excluded));
        }
        let excluded = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join(", "))
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.1} ms | {} | {} | {} / {}{} |",
            r.spec,
            r.operations,
            r.types,
            r.generation_ms,
            r.warnings,
            check,
            r.examples_ok,
            r.examples_total,
            excluded
        );
    }
    out
}
