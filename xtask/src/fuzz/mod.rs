//! `cargo xtask fuzz-compile`: random valid OpenAPI documents (`docgen`), each generated
//! into one module of a batch crate (a hundred documents per crate, the crates members of
//! one scratch workspace under `target/fuzz/`), all linted by one `cargo clippy` with
//! warnings denied. A document fails if the generator refuses it or panics, or if its
//! module does not compile or warns; each failure is shrunk to a minimal document
//! (`shrink`) and printed.
//!
//! Why modules in batches: a crate per document would cost a cargo invocation, a rustc
//! start and a copy of the runtime each; a module per document costs only its own code.
//! The batch crates depend on the runtime crate (`--runtime crate:`), compiled once. A
//! module is the document's generated crate with its `lib.rs` as `mod.rs` and every
//! `crate::` path moved under the module (`crate::d0042::types`); what the generated code
//! says is otherwise exactly what a standalone crate says.

pub mod docgen;
mod shrink;

use crate::scratch::{Outcome, Scratch};
use crate::util::write_file;
use openapi_client_gen::package::Runtime;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::time::Instant;

/// What `cargo xtask fuzz-compile` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    /// How many documents, starting at `start`.
    pub count: u64,
    pub start: u64,
    /// Documents per batch crate.
    pub batch: usize,
    /// Whether to shrink failures.
    pub shrink: bool,
}

impl Options {
    pub const USAGE: &str =
        "cargo xtask fuzz-compile [--seed S] [--count N] [--start I] [--batch K] [--no-shrink]
         --seed: the run's seed (1); document I of seed S is the same on every machine
         --count: documents to draw (200); --start: the first one's index (0)
         --batch: documents per batch crate (100)
         --no-shrink: report failures without shrinking them";

    pub fn parse(args: &[&str]) -> Result<Options, String> {
        let mut options = Options {
            seed: 1,
            count: 200,
            start: 0,
            batch: 100,
            shrink: true,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut number = |name: &str| -> Result<u64, String> {
                args.next()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| format!("{name} takes a number"))
            };
            match *arg {
                "--seed" => options.seed = number("--seed")?,
                "--count" => options.count = number("--count")?,
                "--start" => options.start = number("--start")?,
                "--batch" => {
                    options.batch = usize::try_from(number("--batch")?.max(1)).unwrap_or(100)
                }
                "--no-shrink" => options.shrink = false,
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        Ok(options)
    }
}

/// What went wrong with one document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Signature {
    /// `refused`, `panic`, an error code (`E0308`) or a lint (`clippy::needless_borrow`).
    pub what: String,
    /// The generated file the first error is in (`client.rs`), empty for refusals and panics.
    pub file: String,
}

impl std::fmt::Display for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.file.is_empty() {
            write!(f, "{}", self.what)
        } else {
            write!(f, "{} in {}", self.what, self.file)
        }
    }
}

/// A failing document.
#[derive(Debug, Clone)]
pub struct Failure {
    pub index: u64,
    pub signature: Signature,
    /// The first error as printed.
    pub message: String,
    /// The shrunk document, if shrinking ran and kept the failure.
    pub minimal: Option<Value>,
}

/// A run's figures and failures.
#[derive(Debug, Default)]
pub struct Report {
    pub documents: u64,
    pub by_version: BTreeMap<String, u64>,
    pub operations: usize,
    pub types: usize,
    pub lines: usize,
    pub batches: usize,
    pub generate_secs: f64,
    pub check_secs: f64,
    pub shrink_secs: f64,
    pub failures: Vec<Failure>,
}

/// A document's generated crate as the files of one module.
struct Module {
    name: String,
    /// Paths relative to the module's directory, and contents.
    files: Vec<(String, String)>,
    /// The crate's `Cargo.toml`, from which a batch's manifest is made.
    cargo_toml: String,
    /// Kinds of the generator's warnings.
    warnings: BTreeSet<String>,
    operations: usize,
    types: usize,
}

/// Generation's verdict on one document.
enum Generated {
    Module(Box<Module>),
    Failed(Signature, String),
}

/// Runs the fuzzer: generates, checks, and shrinks what fails.
pub fn run(root: &Path, options: &Options) -> Result<Report, String> {
    let dir = crate::util::target_dir(root).join("fuzz");
    let scratch_target = crate::util::scratch_target(root);
    let runtime = root.join("runtime");
    let lock = std::fs::read(root.join("Cargo.lock")).ok();
    let mut report = Report::default();

    // Generate every document; refusals and panics are failures already.
    let start = Instant::now();
    let mut modules: Vec<(u64, Value, Box<Module>)> = Vec::new();
    let mut docs: BTreeMap<u64, Value> = BTreeMap::new();
    for index in options.start..options.start + options.count {
        let doc = docgen::document(options.seed, index);
        let version = doc["openapi"].as_str().unwrap_or_default();
        *report
            .by_version
            .entry(version.chars().take(3).collect())
            .or_default() += 1;
        report.documents += 1;
        match generate(&doc, &module_name(index), &runtime) {
            Generated::Module(m) => {
                report.operations += m.operations;
                report.types += m.types;
                report.lines += m
                    .files
                    .iter()
                    .map(|(_, t)| t.lines().count())
                    .sum::<usize>();
                modules.push((index, doc.clone(), m));
            }
            Generated::Failed(signature, message) => report.failures.push(Failure {
                index,
                signature,
                message,
                minimal: None,
            }),
        }
        docs.insert(index, doc);
    }
    report.generate_secs = start.elapsed().as_secs_f64();

    // Check in batches; a batch with failures is checked again without them, since an
    // error in one module can hide another's (rustc stops some checks after errors).
    let start = Instant::now();
    let mut pending: Vec<&(u64, Value, Box<Module>)> = modules.iter().collect();
    for round in 0..4 {
        if pending.is_empty() {
            break;
        }
        let batches: Vec<Vec<&(u64, Value, Box<Module>)>> =
            pending.chunks(options.batch).map(<[_]>::to_vec).collect();
        if round == 0 {
            report.batches = batches.len();
        }
        let names: Vec<String> = (0..batches.len())
            .map(|i| format!("batch-{i:04}"))
            .collect();
        for (name, batch) in names.iter().zip(&batches) {
            let members: Vec<&Module> = batch.iter().map(|(_, _, m)| m.as_ref()).collect();
            write_batch(&dir.join(name), name, &members)?;
        }
        let scratch =
            Scratch::create(dir.clone(), scratch_target.clone(), &names, lock.as_deref())?;
        eprintln!(
            "fuzz-compile: checking {} documents in {} batch crates",
            pending.len(),
            batches.len()
        );
        let outcome = scratch.cargo(&["build", "--workspace", "--lib", "--keep-going"], true)?;
        let mut next = Vec::new();
        for (name, batch) in names.iter().zip(&batches) {
            let failed = module_failures(&outcome, name);
            if failed.is_empty()
                && !outcome.built.contains(name)
                && outcome.errors_of(name).next().is_some()
            {
                // Errors no module explains: the whole batch.
                return Err(format!(
                    "{name} failed outside any document's module:\n{}",
                    first_error(&outcome, name)
                ));
            }
            if failed.is_empty() && !outcome.built.contains(name) {
                return Err(format!("{name} did not build:\n{}", outcome.cargo_error()));
            }
            for (index, _, module) in batch {
                match failed.get(&module.name).and_then(|errors| errors.first()) {
                    Some((signature, message)) => report.failures.push(Failure {
                        index: *index,
                        signature: signature.clone(),
                        message: message.clone(),
                        minimal: None,
                    }),
                    None if !failed.is_empty() => next.push(
                        modules
                            .iter()
                            .find(|(i, _, _)| i == index)
                            .ok_or("internal: a module left its batch")?,
                    ),
                    None => {}
                }
            }
        }
        pending = next;
    }
    report.check_secs = start.elapsed().as_secs_f64();

    // Shrink one document per signature, the smallest.
    let start = Instant::now();
    report.failures.sort_by_key(|f| f.index);
    if options.shrink {
        let mut seen = BTreeSet::new();
        let mut order: Vec<usize> = (0..report.failures.len()).collect();
        order.sort_by_key(|&i| {
            let f = &report.failures[i];
            docs.get(&f.index).map_or(0, |d| d.to_string().len())
        });
        for i in order {
            let signature = report.failures[i].signature.clone();
            if !seen.insert(signature.clone()) {
                continue;
            }
            let Some(doc) = docs.get(&report.failures[i].index) else {
                continue;
            };
            eprintln!(
                "fuzz-compile: shrinking document {} ({signature})",
                report.failures[i].index
            );
            let checker = shrink::Checker {
                dir: &dir,
                target: &scratch_target,
                runtime: &runtime,
                lock: lock.as_deref(),
                signature: &signature,
            };
            report.failures[i].minimal = Some(shrink::shrink(doc, &checker)?);
        }
    }
    report.shrink_secs = start.elapsed().as_secs_f64();

    for f in &report.failures {
        let original = docs.get(&f.index).cloned().unwrap_or_default();
        let base = dir
            .join("failures")
            .join(format!("seed-{}-doc-{}", options.seed, f.index));
        write_file(&base.with_extension("json"), pretty(&original).as_bytes())?;
        if let Some(minimal) = &f.minimal {
            write_file(&base.with_extension("min.json"), pretty(minimal).as_bytes())?;
        }
    }
    Ok(report)
}

/// The module name of document `index`.
fn module_name(index: u64) -> String {
    format!("d{index:05}")
}

pub(crate) fn pretty(doc: &Value) -> String {
    serde_json::to_string_pretty(doc).unwrap_or_default() + "\n"
}

/// Generates `doc` as module `name` of a batch, catching panics.
fn generate(doc: &Value, name: &str, runtime: &Path) -> Generated {
    let text = pretty(doc);
    let settings = openapi_client_gen::Settings {
        marker: "`cargo xtask fuzz-compile`".into(),
        crate_name: "fuzz".into(),
        runtime: Runtime::Crate(format!(
            "{{ path = {:?}, default-features = false }}",
            runtime.display().to_string()
        )),
        config: Default::default(),
    };
    let result = quiet_catch(|| {
        let generated = openapi_client_gen::generate(text.as_bytes(), &settings);
        generated.map(|g| {
            let files = openapi_client_gen::package::crate_files(&g, &settings);
            (g, files)
        })
    });
    let (generated, files) = match result {
        Err(panic) => {
            return Generated::Failed(
                Signature {
                    what: "panic".into(),
                    file: String::new(),
                },
                panic,
            );
        }
        Ok(Err(failure)) => {
            return Generated::Failed(
                Signature {
                    what: "refused".into(),
                    file: String::new(),
                },
                failure.to_string(),
            );
        }
        Ok(Ok((_, Err(e)))) => {
            return Generated::Failed(
                Signature {
                    what: "refused".into(),
                    file: String::new(),
                },
                format!("packaging failed: {e}"),
            );
        }
        Ok(Ok((g, Ok(files)))) => (g, files),
    };
    let mut module_files = Vec::new();
    let mut cargo_toml = String::new();
    let prefix = format!("crate::{name}::");
    for (path, contents) in files {
        if path == "Cargo.toml" {
            cargo_toml = contents;
            continue;
        }
        let Some(rel) = path.strip_prefix("src/") else {
            continue;
        };
        let rel = if rel == "lib.rs" { "mod.rs" } else { rel };
        module_files.push((rel.to_string(), contents.replace("crate::", &prefix)));
    }
    Generated::Module(Box::new(Module {
        name: name.to_string(),
        files: module_files,
        cargo_toml,
        warnings: generated
            .warnings
            .iter()
            .map(|w| format!("{:?}", w.kind))
            .collect(),
        operations: generated.api.operations.len(),
        types: generated.api.types.len(),
    }))
}

/// Runs `f`, turning a panic into its message without printing it.
pub(crate) fn quiet_catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic without a message".into())
    })
}

/// The features a batch turns on: every optional one but the TLS backends (which are
/// reqwest's code, not the generated crate's, and would build a C library).
const FEATURES: &str =
    "default = [\"upload\", \"multipart\", \"sse\", \"tracing\", \"mock\", \"full\"]";

/// Writes a batch crate in `dir` holding `modules`.
fn write_batch(dir: &Path, name: &str, modules: &[&Module]) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    if modules.is_empty() {
        return Ok(());
    }
    write_file(
        &dir.join("Cargo.toml"),
        batch_manifest(
            &modules
                .iter()
                .map(|m| m.cargo_toml.as_str())
                .collect::<Vec<_>>(),
            name,
        )
        .as_bytes(),
    )?;
    let mut lib =
        String::from("//! Documents drawn by `cargo xtask fuzz-compile`, one module each.\n\n");
    for m in modules {
        lib.push_str(&format!("pub mod {};\n", m.name));
        for (rel, contents) in &m.files {
            write_file(
                &dir.join("src").join(&m.name).join(rel),
                contents.as_bytes(),
            )?;
        }
    }
    write_file(&dir.join("src/lib.rs"), lib.as_bytes())
}

/// The generated crates' manifests as one batch's: the first one's name, dependencies and
/// runtime features, every feature on, and not a workspace of its own. Each document's
/// group features (see `Grouping` in the generator's IR) are declared, and turned on
/// through `full`, so every module's `#[cfg(feature = ..)]` names a declared feature.
fn batch_manifest(cargo_tomls: &[&str], name: &str) -> String {
    let mut groups = std::collections::BTreeSet::new();
    for toml in cargo_tomls {
        groups.extend(toml.lines().filter_map(group_feature));
    }
    let Some(first) = cargo_tomls.first() else {
        return String::new();
    };
    let mut out = String::new();
    for line in first.lines() {
        if line.starts_with("# Its own workspace") || line == "[workspace]" {
            continue;
        }
        if group_feature(line).is_some() || line.starts_with("full = ") {
            continue;
        }
        if line.starts_with("name = ") {
            out.push_str(&format!("name = \"fuzz-{name}\"\n"));
        } else if line.starts_with("default = ") {
            out.push_str(FEATURES);
            out.push('\n');
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    let all: Vec<String> = groups.iter().map(|g| format!("{g:?}")).collect();
    out.push_str(&format!("full = [{}]\n", all.join(", ")));
    for g in &groups {
        out.push_str(&format!("{g} = []\n"));
    }
    out
}

/// A group feature's name, from its `name = []` line (the runtime's features all enable
/// something).
fn group_feature(line: &str) -> Option<&str> {
    line.strip_suffix(" = []")
        .filter(|name| !name.starts_with('#'))
}

/// The failing modules of a batch: module name → each error's signature and text, in the
/// order rustc gave them.
fn module_failures(outcome: &Outcome, member: &str) -> BTreeMap<String, Vec<(Signature, String)>> {
    let mut out: BTreeMap<String, Vec<(Signature, String)>> = BTreeMap::new();
    for d in outcome.errors_of(member) {
        // Spans name files from the workspace root (`batch-0000/src/d00042/client.rs`).
        let located = d.file.as_deref().and_then(|f| {
            let f = f.strip_prefix(&format!("{member}/")).unwrap_or(f);
            let mut parts = f.splitn(3, '/');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("src"), Some(module), Some(rest)) => {
                    Some((module.to_string(), rest.to_string()))
                }
                _ => None,
            }
        });
        // An error outside the modules (a layout cycle is reported at the crate root)
        // names its module in the text.
        let Some((module, file)) = located.or_else(|| named_module(&d.rendered)) else {
            continue;
        };
        out.entry(module).or_default().push((
            Signature {
                what: d.code.clone().unwrap_or_else(|| "error".into()),
                file,
            },
            d.rendered.clone(),
        ));
    }
    out
}

/// The first document module a message names (`d00035::types::X`, or a shrink
/// candidate's `c3::types::X`), with `?` for the file.
fn named_module(rendered: &str) -> Option<(String, String)> {
    let bytes = rendered.as_bytes();
    (0..bytes.len()).find_map(|i| {
        let starts_word = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if !starts_word || !matches!(bytes[i], b'd' | b'c') {
            return None;
        }
        let digits = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = i + 1 + digits;
        (digits > 0 && rendered[end..].starts_with("::"))
            .then(|| (rendered[i..end].to_string(), "?".to_string()))
    })
}

fn first_error(outcome: &Outcome, member: &str) -> String {
    outcome
        .errors_of(member)
        .map(|d| d.rendered.clone())
        .next()
        .unwrap_or_else(|| outcome.cargo_error())
}

/// The text `cargo xtask fuzz-compile` prints.
pub fn summary(options: &Options, report: &Report) -> String {
    let versions: Vec<String> = report
        .by_version
        .iter()
        .map(|(v, n)| format!("{n} in {v}"))
        .collect();
    let mut out = format!(
        "fuzz-compile: seed {}, documents {}..{} ({}): {} operations, {} types, {} generated lines in {} batch crates\n\
         generated in {:.1} s, checked in {:.1} s, shrunk in {:.1} s\n",
        options.seed,
        options.start,
        options.start + options.count,
        versions.join(", "),
        report.operations,
        report.types,
        report.lines,
        report.batches,
        report.generate_secs,
        report.check_secs,
        report.shrink_secs,
    );
    if report.failures.is_empty() {
        out.push_str("no failures: every document generated and its module passed clippy with warnings denied\n");
        return out;
    }
    out.push_str(&format!("{} failing documents\n", report.failures.len()));
    for f in &report.failures {
        out.push_str(&format!(
            "\n== document {} of seed {}: {}\n{}\n",
            f.index,
            options.seed,
            f.signature,
            f.message.trim_end()
        ));
        if let Some(minimal) = &f.minimal {
            out.push_str(&format!("minimal document:\n{}", pretty(minimal)));
        }
    }
    out.push_str(
        "\nthe documents are in target/fuzz/failures/ (seed-S-doc-N.json, and .min.json shrunk)\n",
    );
    out
}
