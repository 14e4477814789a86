//! `cargo xtask bench`: how fast the generator is and how much its output costs, printed as
//! one table and written to `docs/BENCHMARKS.md` with the machine and the command.
//!
//! Every figure comes from running the release CLI as a whole process, several times, in
//! this run; ratios are only taken between figures measured in the same run.

use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs per spec; the median is reported with min and max.
const RUNS: usize = 5;

/// Synthetic spec sizes, in operations.
const SYNTHETIC: [usize; 3] = [1_000, 5_000, 20_000];

/// One spec's generation figures.
#[derive(Debug)]
pub struct GenRow {
    pub spec: String,
    pub bytes: u64,
    pub operations: usize,
    pub times: Vec<Duration>,
    pub peak_rss_kb: u64,
    pub lines: usize,
    pub error: Option<String>,
}

impl GenRow {
    fn median(&self) -> Duration {
        let mut t = self.times.clone();
        t.sort();
        t.get(t.len() / 2).copied().unwrap_or_default()
    }
}

/// Writes a deterministic synthetic spec with `operations` operations: CRUD on
/// `operations / 4` resources, each with a schema of realistic shape.
pub fn synthetic_spec(operations: usize) -> Value {
    let resources = operations.div_ceil(4);
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "Error".into(),
        json!({"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "integer", "format": "int32"}, "message": {"type": "string"},
            "details": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "string"}}}}}),
    );
    for i in 0..resources {
        let name = format!("Resource{i}");
        let next = format!("Resource{}", (i + 1) % resources);
        schemas.insert(
            name.clone(),
            json!({"type": "object", "required": ["id", "name", "status"], "description": format!("Resource number {i}."), "properties": {
                "id": {"type": "string", "format": "uuid", "readOnly": true},
                "name": {"type": "string", "maxLength": 64},
                "status": {"type": "string", "enum": ["active", "paused", "deleted"]},
                "count": {"type": ["integer", "null"], "format": "int64"},
                "ratio": {"type": "number"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "created": {"type": "string", "format": "date-time"},
                "related": {"$ref": format!("#/components/schemas/{next}")},
                "nested": {"type": "object", "properties": {"depth": {"type": "integer"}, "path": {"type": "string"}}}
            }}),
        );
        let item = json!({"$ref": format!("#/components/schemas/{name}")});
        let errors = json!({
            "404": {"description": "not found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "422": {"description": "invalid", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        });
        let ok = |schema: &Value| json!({"description": "ok", "content": {"application/json": {"schema": schema}}});
        let mut responses_list = errors.clone();
        responses_list["200"] = ok(&json!({"type": "array", "items": item}));
        let mut responses_one = errors.clone();
        responses_one["200"] = ok(&item);
        let mut responses_delete = errors.clone();
        responses_delete["204"] = json!({"description": "deleted"});
        paths.insert(
            format!("/v1/resources{i}"),
            json!({
                "get": {"operationId": format!("list_resource{i}"), "summary": format!("List resource {i}"),
                        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}},
                                       {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
                        "responses": responses_list},
                "post": {"operationId": format!("create_resource{i}"), "summary": format!("Create resource {i}"),
                         "requestBody": {"required": true, "content": {"application/json": {"schema": item}}},
                         "responses": responses_one.clone()}
            }),
        );
        paths.insert(
            format!("/v1/resources{i}/{{id}}"),
            json!({
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {"operationId": format!("get_resource{i}"), "responses": responses_one},
                "delete": {"operationId": format!("delete_resource{i}"), "responses": responses_delete}
            }),
        );
    }
    json!({"openapi": "3.1.0", "info": {"title": format!("Synthetic {operations}"), "version": "1"},
           "servers": [{"url": "https://api.example.com"}], "paths": paths, "components": {"schemas": schemas}})
}

/// Writes the synthetic spec of `operations` operations to `path`.
pub fn write_synthetic(operations: usize, path: &Path) -> Result<(), String> {
    let text = serde_json::to_vec(&synthetic_spec(operations)).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Runs a command, returning its wall time and peak RSS (KiB) via `wait4`. The child's
/// peak includes what it inherited at fork, so this process stays small.
fn timed(cmd: &mut Command) -> Result<(Duration, u64), String> {
    let start = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet waited for; the pointers are valid for writes.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    if waited != pid {
        return Err("wait4 failed".into());
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("exited with status {status}"));
    }
    Ok((elapsed, usage.ru_maxrss as u64))
}

fn count_lines(dir: &Path) -> usize {
    [
        "src/client.rs",
        "src/types.rs",
        "src/runtime.rs",
        "src/lib.rs",
    ]
    .iter()
    .filter_map(|f| std::fs::read_to_string(dir.join(f)).ok())
    .map(|t| t.lines().count())
    .sum()
}

/// Generation figures for one spec with the release CLI.
fn generation(cli: &Path, name: &str, spec: &Path, out: &Path) -> GenRow {
    let bytes = std::fs::metadata(spec).map(|m| m.len()).unwrap_or(0);
    let mut row = GenRow {
        spec: name.to_string(),
        bytes,
        operations: 0,
        times: Vec::new(),
        peak_rss_kb: 0,
        lines: 0,
        error: None,
    };
    let names = out.join("names.json");
    for _ in 0..RUNS {
        let mut cmd = Command::new(cli);
        cmd.arg(spec)
            .arg("--out")
            .arg(out)
            .arg("--names")
            .arg(&names);
        match timed(&mut cmd) {
            Ok((t, rss)) => {
                row.times.push(t);
                row.peak_rss_kb = row.peak_rss_kb.max(rss);
            }
            Err(e) => {
                row.error = Some(e);
                return row;
            }
        }
    }
    row.lines = count_lines(out);
    row.operations = std::fs::read_to_string(&names)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v["operations"].as_array().map(Vec::len))
        .unwrap_or(0);
    row
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or("unknown".into(), |kb| format!("{} GiB", kb / 1024 / 1024));
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {mem} memory; {rustc}")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file()))
        .unwrap_or(false)
}

/// Runs the benchmark and returns the Markdown report.
pub fn run(root: &Path) -> Result<String, String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--quiet",
            "--release",
            "-p",
            "openapi-client-gen",
            "--bin",
            "openapi-client-gen",
        ])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("release build of the CLI failed".into());
    }
    let cli = root.join("target/release/openapi-client-gen");
    let scratch = root.join("target/bench");
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;

    let mut specs: Vec<(String, PathBuf)> = crate::corpus::specs(root)?
        .into_iter()
        .filter(|(_, p)| !p.starts_with(root.join("tests")))
        .collect();
    for n in SYNTHETIC {
        let path = scratch.join(format!("synthetic-{n}.json"));
        // Written by a child process: a large document held here would raise this
        // process's memory, which forked children inherit in their peak-RSS figure.
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let status = Command::new(exe)
            .args(["bench-synthetic", &n.to_string()])
            .arg(&path)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!(
                "could not write the synthetic spec of {n} operations"
            ));
        }
        specs.push((format!("synthetic-{n}"), path));
    }

    let mut rows = Vec::new();
    for (name, path) in &specs {
        eprintln!("== {name}");
        rows.push(generation(
            &cli,
            name,
            path,
            &scratch.join("out").join(name),
        ));
    }

    let mut report = String::new();
    let _ = writeln!(report, "# Benchmarks\n");
    let _ = writeln!(report, "Machine: {}.\n", machine());
    let _ = writeln!(
        report,
        "Reproduce with `cargo xtask bench` (writes this file).\n"
    );
    let _ = writeln!(
        report,
        "## Generation (release CLI as a whole process, {RUNS} runs each)\n"
    );
    let _ = writeln!(
        report,
        "| spec | size | operations | median | min | max | per operation | peak RSS | lines generated |"
    );
    let _ = writeln!(report, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        if let Some(e) = &r.error {
            let _ = writeln!(
                report,
                "| {} | {} KB | | failed: {e} | | | | | |",
                r.spec,
                r.bytes / 1024
            );
            continue;
        }
        let min = r.times.iter().min().copied().unwrap_or_default();
        let max = r.times.iter().max().copied().unwrap_or_default();
        let per_op = if r.operations > 0 {
            r.median().as_secs_f64() * 1e6 / r.operations as f64
        } else {
            0.0
        };
        let _ = writeln!(
            report,
            "| {} | {} KB | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} µs | {:.1} MB | {} |",
            r.spec,
            r.bytes / 1024,
            r.operations,
            r.median().as_secs_f64() * 1e3,
            min.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3,
            per_op,
            r.peak_rss_kb as f64 / 1024.0,
            r.lines
        );
    }
    let _ = writeln!(report, "\n## Peers\n");
    for (peer, install) in [
        ("cargo-progenitor", "cargo install cargo-progenitor"),
        ("openapi-generator-cli", "pip install openapi-generator-cli"),
    ] {
        let state = if on_path(peer) {
            "found on PATH; side-by-side runs are not implemented yet"
        } else {
            "not on PATH, so not compared in this run"
        };
        let _ = writeln!(report, "- `{peer}` ({install}): {state}.");
    }
    Ok(report)
}
