//! Broken and hostile specs: an error that says where, exit status 2, bounded time and
//! memory; and randomly mutated real specs never make the generator panic.

use openapi_client_gen::{Location, generate};
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
        &["generator/src", "generator/runtime"],
        &["-p", "openapi-client-gen", "--bin", "openapi-client-gen"],
    )
}

/// Runs the CLI on a spec with a 2 GiB address-space limit and a 60 s watchdog (a hang
/// guard, not a performance assertion); returns (exit code, stderr).
fn run_cli(spec: &Path) -> (Option<i32>, String) {
    let out_dir = std::env::temp_dir().join(format!("robustness-{}", std::process::id()));
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2097152; exec \"$0\" \"$1\" --out \"$2\"")
        .arg(cli())
        .arg(spec)
        .arg(&out_dir)
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

fn location_text(location: &Location) -> String {
    location.to_string()
}

#[test]
fn every_broken_fixture_names_where_and_exits_2() {
    let expected = std::fs::read_to_string(fixtures().join("EXPECTED.tsv")).unwrap();
    let mut checked = 0;
    for line in expected
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (file, location) = line.split_once('\t').unwrap();
        let path = fixtures().join(file);
        let text = std::fs::read(&path).unwrap();
        let err = match generate(&text, &crate::settings()) {
            Ok(_) => panic!("{file} generated"),
            Err(e) => e,
        };
        assert_eq!(location_text(&err.location), location, "{file}: {err}");
        assert!(
            !err.message.is_empty() && !err.message.ends_with('.'),
            "{file}: {err}"
        );
        let (code, stderr) = run_cli(&path);
        assert_eq!(code, Some(2), "{file}: {stderr}");
        assert!(
            stderr.contains(location),
            "{file}: stderr does not name {location}: {stderr}"
        );
        checked += 1;
    }
    let on_disk = std::fs::read_dir(fixtures()).unwrap().count() - 1;
    assert_eq!(checked, on_disk, "every fixture has an expectation");
    assert!(checked >= 20);
}

#[test]
fn a_50_mb_string_and_10_000_levels_of_nesting_fail_cleanly() {
    let dir = std::env::temp_dir().join(format!("hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let huge = dir.join("huge-string.json");
    let big = "x".repeat(50 * 1024 * 1024);
    let spec = format!(
        r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": "{big}"}}"#
    );
    std::fs::write(&huge, spec).unwrap();
    let (code, stderr) = run_cli(&huge);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("#/paths"), "{stderr}");
    assert!(
        stderr.len() < 2_000,
        "the message quotes a clipped value, not 50 MB"
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

#[test]
fn mutated_corpus_specs_never_panic() {
    const CASES: usize = 10_000;
    let corpus = crate::root().join("specs/corpus");
    // The small and medium specs: each case regenerates a whole spec.
    let names = [
        "petstore.yaml",
        "tictactoe.yaml",
        "petstore-swagger-v3.yaml",
        "readme-polymorphism.json",
        "train-travel.yaml",
    ];
    let docs: Vec<Value> = names
        .iter()
        .map(|n| openapi_client_gen::spec::parse(&std::fs::read(corpus.join(n)).unwrap()).unwrap())
        .collect();
    let settings = crate::settings();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let totals: Vec<(usize, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (docs, settings, names) = (&docs, &settings, &names);
                scope.spawn(move || {
                    let (mut ok, mut err) = (0, 0);
                    for case in (t..CASES).step_by(threads) {
                        let seed = 0x9e37_79b9_7f4a_7c15_u64
                            ^ (case as u64).wrapping_mul(0x1000_0000_01b3);
                        let mut rng = Rng(seed | 1);
                        let which = rng.below(docs.len());
                        let mut doc = docs[which].clone();
                        for _ in 0..=rng.below(3) {
                            mutate(&mut doc, &mut rng);
                        }
                        let result = std::panic::catch_unwind(|| {
                            let model = openapi_client_gen::spec::from_value(doc)?;
                            let (api, _) = openapi_client_gen::lower::lower(&model)?;
                            openapi_client_gen::emit::files(&api, settings)
                                .map(|_| ())
                                .map_err(|e| openapi_client_gen::Error::at("#", e.to_string()))
                        });
                        match result {
                            Ok(Ok(())) => ok += 1,
                            Ok(Err(e)) => {
                                assert!(!e.message.is_empty());
                                err += 1;
                            }
                            Err(_) => panic!(
                                "case {case} (seed {seed:#x}, spec {}) panicked",
                                names[which]
                            ),
                        }
                    }
                    (ok, err)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ok: usize = totals.iter().map(|t| t.0).sum();
    let err: usize = totals.iter().map(|t| t.1).sum();
    assert_eq!(ok + err, CASES);
    // Both outcomes occur, so the mutations are neither all harmless nor all fatal.
    assert!(ok > 100 && err > 100, "ok {ok}, err {err}");
}
