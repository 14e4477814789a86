//! `cargo xtask corpus`: every spec in `specs/corpus/` and `specs/corpus-2/`, the construct
//! fixtures and `specs/openapi.json` are generated into scratch crates, linted with clippy
//! (warnings denied), and made to decode the examples each spec attaches to its schemas.

use crate::util::{create_dir, write_file};
use openapi_client_gen::package::Runtime;
use serde_json::Value;
use std::collections::BTreeMap;
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

/// One crate to generate: the spec's name in the table, its file, and the runtime mode.
struct Spec<'a> {
    name: &'a str,
    path: &'a Path,
    runtime: Runtime,
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
pub fn run(root: &Path, only: Option<&str>) -> Result<Vec<Row>, String> {
    let scratch = root.join("target/corpus");
    let target = scratch.join("target");
    create_dir(&scratch)?;
    let exclusions = read_exclusions(root)?;
    let lock = std::fs::read(root.join("Cargo.lock")).ok();
    let mut rows = Vec::new();
    for (name, path) in specs(root)? {
        if only.is_some_and(|o| !name.contains(o)) {
            continue;
        }
        // The PI spec is also generated a second time depending on the runtime crate
        // (`--runtime crate:PATH`), so that mode is built and linted like the default one.
        let mut modes = vec![(name.clone(), Runtime::Embedded)];
        if name == PI {
            let runtime = root.join("runtime").display().to_string();
            let crate_mode = Runtime::parse(&format!("crate:{runtime}"))?;
            modes.push((format!("{PI}-runtime-crate"), crate_mode));
        }
        for (name, runtime) in modes {
            eprintln!("== {name}");
            let dir = scratch.join(&name);
            let spec = Spec {
                name: &name,
                path: &path,
                runtime,
            };
            rows.push(check_spec(
                &spec,
                &dir,
                &target,
                lock.as_deref(),
                &exclusions,
            )?);
        }
    }
    Ok(rows)
}

/// Generates `spec` into a crate in `dir` (with the workspace's `lock`), lints it and
/// decodes its examples, building in the shared `target`. A spec that does not generate is
/// a row with the failure, not an error.
fn check_spec(
    spec: &Spec<'_>,
    dir: &Path,
    target: &Path,
    lock: Option<&[u8]>,
    exclusions: &[(String, String)],
) -> Result<Row, String> {
    let (name, path) = (spec.name, spec.path);
    let mut row = Row {
        spec: name.to_string(),
        operations: 0,
        types: 0,
        generation_ms: 0.0,
        warnings: 0,
        check: Ok(()),
        examples_ok: 0,
        examples_total: 0,
        examples_excluded: 0,
        examples_serialized: 0,
        example_failures: Vec::new(),
    };
    let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let crate_name = format!("corpus-{}", slug(name));
    let settings = openapi_client_gen::Settings {
        marker: format!("`cargo xtask corpus` from {}", path.display()),
        crate_name: crate_name.clone(),
        runtime: spec.runtime.clone(),
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
            return Ok(row);
        }
        (_, Err(e)) => {
            row.check = Err(format!("emit failed: {e}"));
            return Ok(row);
        }
    };
    row.operations = generated.api.operations.len();
    row.types = generated.api.types.len();
    row.warnings = generated.warnings.len();

    write_crate(dir, &files, lock)?;
    let names = openapi_client_gen::package::names_map(&generated.api);
    let raw = openapi_client_gen::spec::parse(&text).map_err(|e| e.to_string())?;
    let mut examples = collect_examples(&raw, &names);
    let before = examples.len();
    examples.retain(|e| !exclusions.contains(&(name.to_string(), e.pointer.clone())));
    row.examples_excluded = before - examples.len();
    row.examples_total = examples.len();
    write_file(
        &dir.join("examples/decode.rs"),
        decode_program(&crate_name, &examples).as_bytes(),
    )?;
    lint_and_decode(dir, target, !examples.is_empty(), &mut row);
    Ok(row)
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

/// Writes the generated `files` into a fresh crate directory `dir`, with the workspace's
/// `lock`.
fn write_crate(dir: &Path, files: &[(String, String)], lock: Option<&[u8]>) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    for (rel, contents) in files {
        write_file(&dir.join(rel), contents.as_bytes())?;
    }
    if let Some(lock) = lock {
        write_file(&dir.join("Cargo.lock"), lock)?;
    }
    Ok(())
}

/// The features each corpus crate is linted and run with, besides its defaults.
const CHECKED_FEATURES: &str = "mock,tracing";

/// Lints the crate in `dir` into `row.check` and, if it passes and `decode` (it has
/// examples), runs the decode program into the examples' figures.
fn lint_and_decode(dir: &Path, target: &Path, decode: bool, row: &mut Row) {
    // Clippy, not just check: generated code must pass `clippy -D warnings` for every
    // spec, not only for the PI client the workspace lints.
    // With the optional features that add code of their own (the mock server, tracing),
    // so every crate's mock module is linted too; the decode run shares the build.
    let check = cargo(
        dir,
        target,
        &["clippy", "--quiet", "--lib", "--features", CHECKED_FEATURES],
    );
    row.check = check.clone();
    if check.is_ok() && decode {
        match cargo_output(
            dir,
            target,
            &[
                "run",
                "--quiet",
                "--features",
                CHECKED_FEATURES,
                "--example",
                "decode",
            ],
        ) {
            Ok((ok, serialized, failures)) => {
                row.examples_ok = ok;
                row.examples_serialized = serialized;
                row.example_failures = failures;
            }
            Err(e) => row.example_failures = vec![e],
        }
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

/// Runs cargo in a generated crate with warnings denied and a shared target directory.
fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Result<(), String> {
    let out = cargo_command(dir, target, args)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(first_errors(&String::from_utf8_lossy(&out.stderr)))
    }
}

fn cargo_command(dir: &Path, target: &Path, args: &[&str]) -> Command {
    let mut cmd = crate::util::cargo();
    cmd.args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_MANIFEST_DIR");
    cmd
}

/// Runs the decode program: (examples decoded, of them decoded from serialised text,
/// failure lines).
fn cargo_output(
    dir: &Path,
    target: &Path,
    args: &[&str],
) -> Result<(usize, usize, Vec<String>), String> {
    let out = cargo_command(dir, target, args)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ok = stdout
        .lines()
        .find_map(|l| l.strip_prefix("decoded "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok());
    let serialized = stderr
        .lines()
        .filter(|l| l.starts_with("SERIALIZED "))
        .count();
    match ok {
        Some(ok) => Ok((
            ok,
            serialized,
            stderr
                .lines()
                .filter(|l| l.starts_with("FAIL "))
                .map(String::from)
                .collect(),
        )),
        None => Err(first_errors(&stderr)),
    }
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
    let types: BTreeMap<&str, &str> = names["types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| Some((t["schema"].as_str()?, t["rust"].as_str()?)))
        .collect();
    let mut out = Vec::new();
    schema_examples(spec, &types, &mut out);
    media_examples(spec, &types, &mut out);
    out
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
            e.rust_type, e.pointer, json
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
