//! Broken and hostile specs: an error that says where, exit status 2, bounded time and
//! memory; and randomly mutated real specs never make the generator panic.

use openapi_client_gen::generate;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn fixtures() -> PathBuf {
    crate::root().join("tests/fixtures/invalid")
}

/// The CLI binary, fresh.
fn cli() -> PathBuf {
    crate::support::workspace_binary(
        "openapi-client-gen",
        &["generator/src", "runtime/src"],
        &["-p", "openapi-client-gen", "--bin", "openapi-client-gen"],
    )
}

/// Runs the CLI on a spec with a 2 GiB address-space limit and a 60 s watchdog (a hang
/// guard, not a performance assertion); returns (exit code, stderr).
fn run_cli(spec: &Path) -> (Option<i32>, String) {
    run_cli_with(spec, &[])
}

fn run_cli_with(spec: &Path, flags: &[&str]) -> (Option<i32>, String) {
    let out_dir = std::env::temp_dir().join(format!("robustness-{}", std::process::id()));
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2097152; exe=\"$0\"; exec \"$exe\" \"$@\"")
        .arg(cli())
        .arg(spec)
        .arg("--out")
        .arg(&out_dir)
        .args(flags)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read stderr while the child runs, so a long message cannot fill the pipe and stall it.
    let mut stderr_pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        use std::io::Read;
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let stderr = reader.join().unwrap();
            return (status.code(), stderr);
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{} did not finish within 60 s", spec.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One line of `EXPECTED.tsv`.
struct Expected {
    file: String,
    outcome: String,
    location: String,
}

fn expectations() -> Vec<Expected> {
    let text = std::fs::read_to_string(fixtures().join("EXPECTED.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let mut parts = line.split('\t');
            let mut next = || {
                parts
                    .next()
                    .unwrap_or_else(|| panic!("bad line: {line}"))
                    .to_string()
            };
            Expected {
                file: next(),
                outcome: next(),
                location: next(),
            }
        })
        .collect()
}

#[test]
fn every_broken_fixture_gives_its_error_or_repair_at_its_pointer() {
    let expected = expectations();
    let mut files: Vec<&str> = expected.iter().map(|e| e.file.as_str()).collect();
    files.dedup();
    for file in &files {
        let path = fixtures().join(file);
        let text = std::fs::read(&path).unwrap();
        let lines: Vec<&Expected> = expected.iter().filter(|e| e.file == *file).collect();
        let refused = lines.iter().any(|e| e.outcome == "error");
        let (code, stderr) = run_cli(&path);
        match generate(&text, &crate::settings()) {
            Ok(generated) => {
                assert!(!refused, "{file} generated, but an error was expected");
                for e in &lines {
                    assert!(
                        generated
                            .warnings
                            .iter()
                            .any(|w| w.kind.name() == e.outcome && w.pointer == e.location),
                        "{file}: no {} warning at {}: {:#?}",
                        e.outcome,
                        e.location,
                        generated.warnings
                    );
                }
                for w in &generated.warnings {
                    assert!(
                        !w.message.is_empty() && !w.message.ends_with('.'),
                        "{file}: {w}"
                    );
                }
                assert_eq!(code, Some(0), "{file}: {stderr}");
                let (deny_code, deny_stderr) = run_cli_with(&path, &["--deny-warnings"]);
                assert_eq!(deny_code, Some(2), "{file}: {deny_stderr}");
            }
            Err(failure) => {
                assert!(refused, "{file} was refused: {failure}");
                let first = failure.first().unwrap();
                assert_eq!(
                    first.location.to_string(),
                    lines[0].location,
                    "{file}: {failure}"
                );
                assert!(
                    !first.message.is_empty() && !first.message.ends_with('.'),
                    "{file}: {failure}"
                );
                assert_eq!(code, Some(2), "{file}: {stderr}");
            }
        }
        for e in &lines {
            assert!(
                stderr.contains(&e.location),
                "{file}: stderr does not name {}: {stderr}",
                e.location
            );
        }
    }
    let on_disk = std::fs::read_dir(fixtures()).unwrap().count() - 1;
    assert_eq!(files.len(), on_disk, "every fixture has an expectation");
    assert!(files.len() >= 20);
}

#[test]
fn three_independent_problems_are_reported_in_one_run() {
    let path = fixtures().join("three-dangling-refs.json");
    let generated = generate(&std::fs::read(&path).unwrap(), &crate::settings()).unwrap();
    let dangling: Vec<&str> = generated
        .warnings
        .iter()
        .filter(|w| w.kind == openapi_client_gen::WarningKind::DanglingRef)
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(dangling.len(), 3, "{:#?}", generated.warnings);
    // The three operations are still generated, each with its fallback.
    let names: Vec<&str> = generated
        .api
        .operations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(names, ["list_pets", "list_owners", "create_vet"]);
    assert!(generated.api.operations[1].params.is_empty());
    let (code, stderr) = run_cli_with(&path, &["--deny-warnings"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr.matches("warning[dangling-ref]").count(),
        3,
        "{stderr}"
    );
    assert!(stderr.contains("3 warnings: 3 dangling-ref"), "{stderr}");
}

#[test]
fn a_50_mb_string_and_10_000_levels_of_nesting_fail_cleanly() {
    let dir = std::env::temp_dir().join(format!("hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let huge = dir.join("huge-string.json");
    let big = "x".repeat(50 * 1024 * 1024);
    // Each place repairs the string with a warning that quotes it: clipped, not 50 MB.
    let spec = format!(
        r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": "{big}",
            "components": {{"schemas": {{"A": {{"type": "object", "required": "{big}", "minimum": "{big}"}}}}}}}}"#
    );
    std::fs::write(&huge, spec).unwrap();
    let (code, stderr) = run_cli(&huge);
    assert_eq!(code, Some(0), "{stderr}");
    for pointer in [
        "#/paths",
        "#/components/schemas/A/required",
        "#/components/schemas/A/minimum",
    ] {
        assert!(stderr.contains(pointer), "{stderr}");
    }
    assert!(
        stderr.len() < 2_000,
        "the messages quote clipped values, not 50 MB"
    );

    let deep = dir.join("deep.json");
    let nesting = 10_000;
    let spec = format!(
        r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"A": {}{}}}}}}}"#,
        r#"{"type": "array", "items": "#.repeat(nesting),
        "}".repeat(nesting)
    );
    std::fs::write(&deep, spec).unwrap();
    let (code, stderr) = run_cli(&deep);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("line 1, column"), "{stderr}");

    let deep_yaml = dir.join("deep.yaml");
    let spec = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents: {{schemas: {{A: {}{}}}}}\n",
        "{type: array, items: ".repeat(nesting),
        "}".repeat(nesting)
    );
    std::fs::write(&deep_yaml, spec).unwrap();
    let (code, stderr) = run_cli(&deep_yaml);
    assert_eq!(code, Some(2), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A small deterministic generator (xorshift64*), so a failing case is reproducible from
/// its printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// JSON pointers of every object member and array element in a document.
fn all_pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                all_pointers(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{pointer}/{i}");
                out.push(p.clone());
                all_pointers(v, p, out);
            }
        }
        _ => {}
    }
}

fn mutate(doc: &mut Value, rng: &mut Rng) {
    let mut pointers = Vec::new();
    all_pointers(doc, String::new(), &mut pointers);
    if pointers.is_empty() {
        return;
    }
    let target = pointers[rng.below(pointers.len())].clone();
    let (parent, key) = target.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    let replacement = match rng.below(9) {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => Value::from(-1),
        3 => Value::from("x"),
        4 => Value::Array(vec![]),
        5 => Value::Object(Default::default()),
        6 => Value::from("#/components/schemas/DoesNotExist"),
        7 => serde_json::json!({"$ref": "#/components/schemas/DoesNotExist"}),
        _ => {
            // Drop the key (or element) altogether.
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.shift_remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
            return;
        }
    };
    if let Some(slot) = doc.pointer_mut(&target) {
        *slot = replacement;
    }
}

/// Every `$ref` string inside a value.
fn refs_in(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs_in(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs_in(v, out)),
        _ => {}
    }
}

/// A small document cut from a large one: one path item and the components it reaches,
/// so a mutation case costs milliseconds whatever the size of the spec it came from.
/// `None` when the path reaches too much of the document.
fn subdocument(doc: &Value, path: &str) -> Option<Value> {
    let mut sub = serde_json::json!({
        "openapi": doc.get("openapi")?.clone(),
        "info": doc.get("info").cloned().unwrap_or(Value::Null),
        "paths": { path: doc.get("paths")?.get(path)?.clone() },
        "components": {},
    });
    if let Some(security) = doc.get("security") {
        sub["security"] = security.clone();
    }
    let mut pending = Vec::new();
    refs_in(&sub, &mut pending);
    let mut taken = std::collections::BTreeSet::new();
    while let Some(r) = pending.pop() {
        let tokens: Vec<&str> = r.trim_start_matches("#/").split('/').collect();
        let ["components", section, name, ..] = tokens.as_slice() else {
            continue;
        };
        if !taken.insert(((*section).to_string(), (*name).to_string())) {
            continue;
        }
        if taken.len() > 60 {
            return None;
        }
        let name = name.replace("~1", "/").replace("~0", "~");
        let Some(entry) = doc
            .pointer(&format!("/components/{section}"))
            .and_then(|s| s.get(&name))
        else {
            continue;
        };
        refs_in(entry, &mut pending);
        sub["components"]
            .as_object_mut()?
            .entry(section.to_string())
            .or_insert_with(|| Value::Object(Default::default()))
            .as_object_mut()?
            .insert(name, entry.clone());
    }
    Some(sub)
}

/// The documents the mutation test starts from: the small corpus specs whole, and from every
/// spec of both corpora a few path items with what they reach.
fn mutation_pool() -> Vec<(String, Value)> {
    let root = crate::root();
    let mut pool = Vec::new();
    for dir in ["specs/corpus", "specs/corpus-2"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("json" | "yaml")
                )
            })
            .collect();
        files.sort();
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let doc = openapi_client_gen::spec::parse(&std::fs::read(&file).unwrap()).unwrap();
            let size = std::fs::metadata(&file).unwrap().len();
            if size < 50_000 {
                pool.push((name.clone(), doc.clone()));
            }
            let paths: Vec<String> = doc
                .get("paths")
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            // Evenly spaced path items, so each spec contributes the same few.
            let step = (paths.len() / 4).max(1);
            for path in paths.iter().step_by(step).take(4) {
                if let Some(sub) = subdocument(&doc, path) {
                    pool.push((format!("{name} {path}"), sub));
                }
            }
        }
    }
    pool
}

#[test]
fn mutated_corpus_specs_never_panic() {
    const CASES: usize = 10_000;
    let pool = mutation_pool();
    assert!(pool.len() > 100, "pool of {}", pool.len());
    let settings = crate::settings();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let totals: Vec<[usize; 3]> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (pool, settings) = (&pool, &settings);
                scope.spawn(move || {
                    // Clean, generated with warnings, refused.
                    let mut counts = [0usize; 3];
                    for case in (t..CASES).step_by(threads) {
                        let seed = 0x9e37_79b9_7f4a_7c15_u64
                            ^ (case as u64).wrapping_mul(0x1000_0000_01b3);
                        let mut rng = Rng(seed | 1);
                        let which = rng.below(pool.len());
                        let mut doc = pool[which].1.clone();
                        for _ in 0..=rng.below(3) {
                            mutate(&mut doc, &mut rng);
                        }
                        let result = std::panic::catch_unwind(|| {
                            let mut diags = openapi_client_gen::Diagnostics::default();
                            let spec = openapi_client_gen::spec::from_value(doc, &mut diags);
                            if let Some(spec) = spec {
                                let api = openapi_client_gen::lower::lower(
                                    &spec,
                                    &settings.crate_name,
                                    &settings.config,
                                    &mut diags,
                                );
                                if let Err(e) =
                                    openapi_client_gen::emit::files(&api, &settings.marker)
                                {
                                    diags.error(openapi_client_gen::Error::at("#", e.to_string()));
                                }
                            }
                            diags
                        });
                        let name = &pool[which].0;
                        match result {
                            Ok(diags) if diags.errors.is_empty() => {
                                counts[usize::from(!diags.warnings.is_empty())] += 1;
                            }
                            Ok(diags) => {
                                // Only a document that is not OpenAPI 3 at all is refused.
                                for e in &diags.errors {
                                    let at = e.location.to_string();
                                    assert!(
                                        at == "#/openapi" || at == "#" || at == "#/swagger",
                                        "case {case} (seed {seed:#x}, {name}) refused: {e}"
                                    );
                                }
                                counts[2] += 1;
                            }
                            Err(_) => panic!("case {case} (seed {seed:#x}, {name}) panicked"),
                        }
                    }
                    counts
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let sum = |i: usize| totals.iter().map(|t| t[i]).sum::<usize>();
    let (clean, warned, refused) = (sum(0), sum(1), sum(2));
    assert_eq!(clean + warned + refused, CASES);
    // Most mutations are repaired with a warning; a few leave a valid document, and a few
    // break the `openapi` field itself.
    assert!(
        warned > CASES / 4 && clean > 100,
        "clean {clean}, warned {warned}, refused {refused}"
    );
}
