//! `cargo xtask bench`: how fast the generator is beside its peers and how much its output
//! costs to compile, printed as Markdown and (for a full run) written to
//! `docs/BENCHMARKS.md` with the machine and the command.
//!
//! Every figure comes from running a whole process (our release CLI, a peer generator, or
//! cargo), several times, in this run; ratios are only taken between figures measured in
//! the same run.

use serde_json::{Value, json};
use std::fmt::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// Runs of our CLI per spec unless `--runs` says otherwise; the median is reported with
/// min and max.
pub const RUNS: usize = 5;

/// Runs of each peer per spec unless `--peer-runs` says otherwise. A peer run takes
/// between a tenth of a second and minutes, so fewer than ours.
pub const PEER_RUNS: usize = 3;

/// Timed `cargo check` / `cargo build --release` runs per generated crate unless
/// `--cost-runs` says otherwise.
pub const COST_RUNS: usize = 3;

/// Synthetic spec sizes, in operations.
const SYNTHETIC: [usize; 3] = [1_000, 5_000, 20_000];

/// A generator run (ours or a peer's) that takes longer is killed and reported as failing.
const GENERATION_TIMEOUT: Duration = Duration::from_secs(300);

/// A timed `cargo check` or `cargo build --release` of one generated crate.
const COMPILE_TIMEOUT: Duration = Duration::from_secs(900);

/// The first build of a generated crate, which also resolves and builds its dependencies.
const WARM_UP_TIMEOUT: Duration = Duration::from_secs(1800);

/// The specs the generated-code cost is measured on.
const COST_SPECS: [&str; 2] = ["prime-intellect", "oxide-nexus"];

/// The report's file, relative to the workspace root; only a full run writes it.
pub const REPORT: &str = "docs/BENCHMARKS.md";

/// What `cargo xtask bench` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Spec names to run (exact names, as in the tables); empty means every spec.
    pub only: Vec<String>,
    /// Runs of our CLI per spec.
    pub runs: usize,
    /// Runs of each peer per spec.
    pub peer_runs: usize,
    /// Timed runs of `cargo check` and of `cargo build --release` per generated crate.
    pub cost_runs: usize,
    /// Run the peer generators.
    pub peers: bool,
    /// Measure the generated-code cost.
    pub cost: bool,
    /// Run the request-overhead benchmark (`crate::overhead`).
    pub overhead: bool,
    /// Where to write the report; `None`: `docs/BENCHMARKS.md` after a full run, nowhere
    /// after a partial one.
    pub out: Option<PathBuf>,
    /// The arguments other than `--out`, to print the command that reproduces the report.
    pub args: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            only: Vec::new(),
            runs: RUNS,
            peer_runs: PEER_RUNS,
            cost_runs: COST_RUNS,
            peers: true,
            cost: true,
            overhead: true,
            out: None,
            args: Vec::new(),
        }
    }
}

impl Options {
    /// Parses the arguments after `bench`.
    pub fn parse(args: &[&str]) -> Result<Options, String> {
        let mut o = Options::default();
        let mut it = args.iter();
        while let Some(&arg) = it.next() {
            let mut value = |flag: &str| {
                it.next()
                    .map(|v| v.to_string())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            let count = |flag: &str, v: String| match v.parse::<usize>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!("{flag} needs a positive whole number, not {v:?}")),
            };
            match arg {
                "--only" => {
                    let v = value(arg)?;
                    o.only.extend(
                        v.split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(String::from),
                    );
                    o.args.extend([arg.to_string(), v]);
                }
                "--runs" | "--peer-runs" | "--cost-runs" => {
                    let v = value(arg)?;
                    let n = count(arg, v.clone())?;
                    match arg {
                        "--runs" => o.runs = n,
                        "--peer-runs" => o.peer_runs = n,
                        _ => o.cost_runs = n,
                    }
                    o.args.extend([arg.to_string(), v]);
                }
                "--no-peers" => {
                    o.peers = false;
                    o.args.push(arg.to_string());
                }
                "--no-cost" => {
                    o.cost = false;
                    o.args.push(arg.to_string());
                }
                "--no-overhead" => {
                    o.overhead = false;
                    o.args.push(arg.to_string());
                }
                "--out" => o.out = Some(PathBuf::from(value(arg)?)),
                _ => return Err(format!("unknown argument {arg:?}")),
            }
        }
        Ok(o)
    }

    /// Whether anything was left out or changed from the default: such a report does not
    /// replace `docs/BENCHMARKS.md`.
    pub fn is_partial(&self) -> bool {
        !self.args.is_empty()
    }

    /// The command that reproduces the report.
    pub fn command(&self) -> String {
        let mut cmd = String::from("cargo xtask bench");
        for a in &self.args {
            cmd.push(' ');
            cmd.push_str(a);
        }
        cmd
    }

    fn selects(&self, name: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == name)
    }
}

/// A command's figures over several runs, or why it could not be measured.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Every run exited with status 0.
    Done(Measured),
    /// A run failed (non-zero exit, signal, timeout); the reason is short, one line.
    Failed(String),
    /// Not run, on purpose; the reason says why.
    Skipped(String),
}

/// Wall times of successful runs and the highest peak RSS among them.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    pub times: Vec<Duration>,
    pub peak_rss_kb: u64,
}

impl Measured {
    pub fn median(&self) -> Duration {
        let mut t = self.times.clone();
        t.sort();
        t.get(t.len() / 2).copied().unwrap_or_default()
    }

    fn min(&self) -> Duration {
        self.times.iter().min().copied().unwrap_or_default()
    }

    fn max(&self) -> Duration {
        self.times.iter().max().copied().unwrap_or_default()
    }
}

/// One generator on one spec.
#[derive(Debug, Clone)]
pub struct GenResult {
    pub outcome: Outcome,
    /// Lines of the `.rs` files under the output's `src/`.
    pub lines: usize,
}

/// One spec's figures: ours, and each peer's (in `PEERS` order).
#[derive(Debug)]
pub struct SpecRow {
    pub spec: String,
    pub bytes: u64,
    pub operations: usize,
    pub ours: GenResult,
    pub peers: Vec<GenResult>,
}

/// A generator compared with ours.
struct Peer {
    /// The program looked up on `PATH`.
    program: &'static str,
    /// How the table names it.
    label: &'static str,
    install: &'static str,
    /// The command line, as the report shows it.
    shown: &'static str,
    /// Synthetic specs above this many operations are not run, and the table says why.
    max_synthetic: Option<(usize, &'static str)>,
}

impl Peer {
    fn command(&self, spec_name: &str, spec: &Path, out: &Path) -> Command {
        let mut cmd = Command::new(self.program);
        match self.program {
            // Run directly rather than through `cargo progenitor`, as our CLI is: cargo's
            // own start-up would be charged to progenitor otherwise.
            "cargo-progenitor" => {
                cmd.arg("progenitor")
                    .arg("-i")
                    .arg(spec)
                    .arg("-o")
                    .arg(out)
                    .args(["-n", spec_name, "-v", "0.1.0"]);
            }
            _ => {
                cmd.args(["generate", "-g", "rust", "-i"])
                    .arg(spec)
                    .arg("-o")
                    .arg(out);
            }
        }
        cmd
    }

    fn version(&self) -> String {
        let found = match self.program {
            "cargo-progenitor" => cargo_install_version("cargo-progenitor"),
            _ => Command::new(self.program)
                .arg("version")
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .filter(|v| !v.is_empty() && !v.contains('\n')),
        };
        found.unwrap_or_else(|| "version unknown".into())
    }
}

const PEERS: [Peer; 2] = [
    Peer {
        program: "cargo-progenitor",
        label: "progenitor",
        install: "cargo install cargo-progenitor",
        shown: "cargo-progenitor progenitor -i SPEC -o DIR -n NAME -v 0.1.0",
        max_synthetic: None,
    },
    Peer {
        program: "openapi-generator-cli",
        label: "openapi-generator",
        install: "pip install openapi-generator-cli",
        shown: "openapi-generator-cli generate -g rust -i SPEC -o DIR",
        max_synthetic: Some((
            5_000,
            "not run: too slow and too large at this size (at 5,000 operations a run took about 100 s and 6 GB here when this limit was set)",
        )),
    },
];

/// The peer whose generated crate the cost section compiles beside ours.
const PROGENITOR: &Peer = &PEERS[0];

/// Writes a deterministic synthetic spec with `operations` operations: CRUD on
/// `operations / 4` resources, each with a schema of realistic shape. It is OpenAPI 3.0.3
/// (nullable via `nullable: true`) so that every peer can read it: progenitor refuses 3.1.
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
                "count": {"type": "integer", "format": "int64", "nullable": true},
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
    json!({"openapi": "3.0.3", "info": {"title": format!("Synthetic {operations}"), "version": "1"},
           "servers": [{"url": "https://api.example.com"}], "paths": paths, "components": {"schemas": schemas}})
}

/// Writes the synthetic spec of `operations` operations to `path`.
pub fn write_synthetic(operations: usize, path: &Path) -> Result<(), String> {
    let text = serde_json::to_vec(&synthetic_spec(operations)).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Runs a command to its end with stdout and stderr going to `log` (`.stdout`/`.stderr`
/// beside it), returning its wall time and peak RSS (KiB) via `wait4`. The peak is the
/// largest of the process and the descendants it waited for (a Python wrapper's Java, a
/// cargo's rustc), and includes what the child inherited at spawn, so this process stays
/// small. The child leads its own process group, which is killed after `timeout`.
fn timed(cmd: &mut Command, timeout: Duration, log: &Path) -> Result<(Duration, u64), String> {
    let (out_log, err_log) = (log.with_extension("stdout"), log.with_extension("stderr"));
    let open = |p: &Path| {
        std::fs::File::create(p).map_err(|e| format!("cannot create {}: {e}", p.display()))
    };
    let program = cmd.get_program().to_string_lossy().into_owned();
    cmd.stdin(Stdio::null())
        .stdout(open(&out_log)?)
        .stderr(open(&err_log)?)
        .process_group(0);
    let start = Instant::now();
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let (done, finished) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(timeout) {
            // SAFETY: plain syscall. The group's leader is our child and is not reaped
            // until this thread has ended, so its process group id cannot name others.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            true
        } else {
            false
        }
    });
    // Wait for the exit without reaping, so the pid stays ours while the watchdog lives.
    loop {
        // SAFETY: an all-zero siginfo_t is a valid value for waitid to fill.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: pid is our own child, not yet reaped; the pointer is valid for writes.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if r == 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            break;
        }
    }
    let elapsed = start.elapsed();
    drop(done);
    let timed_out = watchdog.join().unwrap_or(false);
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, exited and not yet reaped; the pointers are valid.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        return Err(format!("{program}: wait4 failed"));
    }
    if timed_out {
        return Err(format!("timed out after {timeout:?}"));
    }
    let read = |p: &Path| read_ends(p, LOG_WINDOW);
    if libc::WIFSIGNALED(status) {
        let reason = failure_reason(&read(&out_log), &read(&err_log));
        return Err(format!(
            "killed by signal {} after {}: {reason}",
            libc::WTERMSIG(status),
            short(elapsed)
        ));
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        let reason = failure_reason(&read(&out_log), &read(&err_log));
        return Err(format!(
            "exit status {} after {}: {reason}",
            libc::WEXITSTATUS(status),
            short(elapsed)
        ));
    }
    Ok((elapsed, usage.ru_maxrss as u64))
}

/// How much of each end of a log is read for a failure's reason: a log can be huge
/// (openapi-generator writes about 1 GB of stack traces on synthetic-5000), and whatever
/// this process holds is inherited by the next child's peak-RSS figure.
const LOG_WINDOW: u64 = 256 * 1024;

/// The first and the last `window` bytes of a file (all of it when small), lossily UTF-8.
fn read_ends(path: &Path, window: u64) -> String {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let Ok(mut file) = std::fs::File::open(path) else {
        return String::new();
    };
    let len = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::new();
    if len <= 2 * window {
        let _ = file.read_to_end(&mut bytes);
    } else {
        let _ = (&mut file).take(window).read_to_end(&mut bytes);
        bytes.push(b'\n');
        if file.seek(SeekFrom::Start(len - window)).is_ok() {
            let _ = file.take(window).read_to_end(&mut bytes);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The most telling line of a failed run's output: a panic's message, progenitor's
/// `gen fail:` line, a Java exception, an `error` line, else the first line of stderr.
pub fn failure_reason(stdout: &str, stderr: &str) -> String {
    let err: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let out: Vec<&str> = stdout
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let panic = err
        .iter()
        .position(|l| l.contains("panicked at"))
        .and_then(|i| err.get(i + 1))
        .map(|m| format!("panicked: {m}"));
    let gen_fail = || {
        out.iter()
            .find_map(|l| l.strip_prefix("gen fail: "))
            .map(String::from)
    };
    let exception = || {
        err.iter().chain(&out).find_map(|l| {
            let at = l.find("Exception: ")?;
            // From the exception's simple class name to the end of the first sentence.
            let class_start = l[..at].rfind(['.', ' ']).map_or(0, |i| i + 1);
            let text = &l[class_start..];
            let end = text[at - class_start..]
                .find(". ")
                .map_or(text.len(), |i| at - class_start + i + 1);
            Some(text[..end].to_string())
        })
    };
    let error = || {
        err.iter()
            .chain(&out)
            .find(|l| l.starts_with("error") || l.starts_with("Error"))
            .map(|l| l.to_string())
    };
    let reason = panic
        .or_else(gen_fail)
        .or_else(exception)
        .or_else(error)
        .or_else(|| err.first().or(out.first()).map(|l| l.to_string()))
        .unwrap_or_else(|| "no output".into());
    shorten(&reason, 160)
}

/// One line of at most `max` characters, safe in a Markdown table cell.
fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(max).collect();
    if one_line.chars().count() > max {
        out.push('…');
    }
    out.replace('|', "\\|")
}

/// Lines and bytes of the `.rs` files under `dir/src`, recursively. Files are read in
/// small pieces: ours for synthetic-20000 has a 50 MB module, and this process's memory is
/// inherited by the next child's peak-RSS figure.
fn rust_sources(dir: &Path) -> (usize, u64) {
    fn count(path: &Path) -> Option<(usize, u64)> {
        use std::io::Read as _;
        let mut file = std::fs::File::open(path).ok()?;
        let mut buf = [0u8; 64 * 1024];
        let (mut lines, mut bytes) = (0, 0);
        loop {
            let n = file.read(&mut buf).ok()?;
            if n == 0 {
                return Some((lines, bytes));
            }
            bytes += n as u64;
            lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
        }
    }
    fn walk(dir: &Path, total: &mut (usize, u64)) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                walk(&path, total);
            } else if path.extension().is_some_and(|e| e == "rs")
                && let Some((lines, bytes)) = count(&path)
            {
                total.0 += lines;
                total.1 += bytes;
            }
        }
    }
    let mut total = (0, 0);
    walk(&dir.join("src"), &mut total);
    total
}

/// The number of operations in a `--names` file, read without holding the document (for
/// synthetic-20000 it is 3.5 MB).
fn operation_count(names: &Path) -> usize {
    #[derive(serde::Deserialize)]
    struct Names {
        #[serde(default)]
        operations: Vec<serde::de::IgnoredAny>,
    }
    std::fs::File::open(names)
        .ok()
        .and_then(|f| serde_json::from_reader::<_, Names>(std::io::BufReader::new(f)).ok())
        .map_or(0, |n| n.operations.len())
}

/// Environment of a generator run: no backtraces (a backtrace costs a failing Rust
/// generator time that says nothing about generating).
fn quiet_env(cmd: &mut Command) -> &mut Command {
    cmd.env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
}

/// Runs `make(out)` `runs` times, each into a fresh, empty `out`.
fn measure_generation(
    runs: usize,
    out: &Path,
    log: &Path,
    make: impl Fn(&Path) -> Command,
) -> GenResult {
    let mut m = Measured::default();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(out);
        let mut cmd = make(out);
        match timed(quiet_env(&mut cmd), GENERATION_TIMEOUT, log) {
            Ok((t, rss)) => {
                m.times.push(t);
                m.peak_rss_kb = m.peak_rss_kb.max(rss);
            }
            Err(e) => {
                return GenResult {
                    outcome: Outcome::Failed(e),
                    lines: 0,
                };
            }
        }
    }
    GenResult {
        outcome: Outcome::Done(m),
        lines: rust_sources(out).0,
    }
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
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "rustc not found".into());
    // The machine may be busy with other work; the load says how much.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|t| t.split_whitespace().next().map(String::from))
        .map_or(String::new(), |l| {
            format!("; load average {l} at the start")
        });
    format!("{cpu}, {cores} cores, {mem} memory; {rustc}{load}")
}

/// This process's peak RSS (KiB): `VmHWM`, the high-water mark of its memory map, which is
/// what a child spawned from it starts its own peak from. (`getrusage` would also count
/// the peak of the cargo that spawned this process.)
fn own_peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|kb| kb.parse().ok())
        })
        .unwrap_or(0)
}

/// `java -version`'s first line (it prints to stderr).
fn java_version() -> String {
    Command::new("java")
        .arg("-version")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .next()
                .map(|l| l.trim().to_string())
        })
        .unwrap_or_else(|| "java not found".into())
}

/// The version `cargo install --list` records for a binary's package.
fn cargo_install_version(package: &str) -> Option<String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["install", "--list"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().find_map(|l| {
        let rest = l.strip_prefix(package)?.strip_prefix(' ')?;
        Some(rest.trim_end_matches(':').trim().to_string())
    })
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file()))
        .unwrap_or(false)
}

/// The cargo target directory: `CARGO_TARGET_DIR` if set (relative to the workspace
/// root, where cargo is run), else `target/` in the workspace.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

fn create_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Runs the benchmark and returns the Markdown report.
pub fn run(root: &Path, options: &Options) -> Result<String, String> {
    let target = target_dir(root);
    let cli = target.join("release/openapi-client-gen");
    let scratch = target.join("bench");
    let logs = scratch.join("logs");
    create_dir(&logs)?;

    // The second corpus is measured only when named with --only: the report compares
    // against earlier runs on the first.
    let mut specs: Vec<(String, PathBuf)> = crate::corpus::specs(root)?
        .into_iter()
        .filter(|(name, p)| {
            !p.starts_with(root.join("tests"))
                && (!p.starts_with(root.join("specs/corpus-2")) || options.only.contains(name))
        })
        .collect();
    specs.extend(SYNTHETIC.map(|n| {
        (
            format!("synthetic-{n}"),
            scratch.join(format!("synthetic-{n}.json")),
        )
    }));
    let unknown: Vec<&str> = options
        .only
        .iter()
        .filter(|o| !specs.iter().any(|(name, _)| name == *o))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        let names: Vec<&str> = specs.iter().map(|(n, _)| n.as_str()).collect();
        return Err(format!(
            "--only: no spec named {}; the specs are {}",
            unknown.join(", "),
            names.join(", ")
        ));
    }
    specs.retain(|(name, _)| options.selects(name));

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
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

    for n in SYNTHETIC {
        let path = scratch.join(format!("synthetic-{n}.json"));
        if !specs.iter().any(|(_, p)| *p == path) {
            continue;
        }
        // Written by a child process: a large document held here would raise this
        // process's memory, which spawned children could inherit in their peak-RSS figure.
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
    }

    let peers: Vec<(&Peer, bool)> = PEERS.iter().map(|p| (p, on_path(p.program))).collect();
    let mut rows = Vec::new();
    for (name, path) in &specs {
        eprintln!("== {name}");
        let out = scratch.join("out");
        let ours_out = out.join("ours").join(name);
        let names = scratch.join("names").join(format!("{name}.json"));
        create_dir(&scratch.join("names"))?;
        let ours = measure_generation(
            options.runs,
            &ours_out,
            &logs.join(format!("ours-{name}")),
            |dir| {
                let mut cmd = Command::new(&cli);
                cmd.arg(path)
                    .arg("--out")
                    .arg(dir)
                    .arg("--names")
                    .arg(&names);
                cmd
            },
        );
        let operations = operation_count(&names);
        let _ = std::fs::remove_file(&names);
        let synthetic_size = name
            .strip_prefix("synthetic-")
            .and_then(|n| n.parse::<usize>().ok());
        let peer_results = peers
            .iter()
            .map(|(peer, found)| {
                let skipped = |why: &str| GenResult {
                    outcome: Outcome::Skipped(why.to_string()),
                    lines: 0,
                };
                if !options.peers || !found {
                    return skipped("not run");
                }
                if let (Some(size), Some((max, why))) = (synthetic_size, peer.max_synthetic)
                    && size > max
                {
                    return skipped(why);
                }
                eprintln!("   {}", peer.label);
                measure_generation(
                    options.peer_runs,
                    &out.join(peer.label).join(name),
                    &logs.join(format!("{}-{name}", peer.label)),
                    |dir| peer.command(name, path, dir),
                )
            })
            .collect();
        rows.push(SpecRow {
            spec: name.clone(),
            bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
            operations,
            ours,
            peers: peer_results,
        });
    }

    let cost = if options.cost {
        let progenitor = peers
            .iter()
            .find(|(p, _)| p.program == PROGENITOR.program)
            .is_some_and(|(_, found)| *found);
        let mut cost = Vec::new();
        for (name, path) in specs
            .iter()
            .filter(|(n, _)| COST_SPECS.contains(&n.as_str()))
        {
            let mut flavours = vec![Flavour::Ours];
            if progenitor {
                flavours.push(Flavour::Progenitor);
            }
            cost.extend(generated_cost(
                root,
                &cli,
                &scratch,
                name,
                path,
                &flavours,
                options.cost_runs,
            ));
            if !progenitor {
                cost.push(CostRow {
                    spec: name.clone(),
                    flavour: Flavour::Progenitor,
                    result: Err(format!("{} is not on PATH", PROGENITOR.program)),
                    run: false,
                });
            }
        }
        Some(cost)
    } else {
        None
    };

    let mut report = report(options, &rows, &peers, cost.as_deref());
    if options.overhead {
        eprintln!("== request overhead ({})", crate::overhead::COMMAND);
        match crate::overhead::run(root) {
            Ok(section) => report.push_str(&format!("\n{section}")),
            Err(e) => report.push_str(&format!("\n## Request overhead\n\nfailed: {e}\n")),
        }
    }
    Ok(report)
}

/// Whose generated crate a cost row measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Ours,
    Progenitor,
}

impl Flavour {
    fn label(self) -> &'static str {
        match self {
            Flavour::Ours => "ours",
            Flavour::Progenitor => "progenitor",
        }
    }
}

/// The cost of one generated crate.
#[derive(Debug)]
pub struct CostRow {
    pub spec: String,
    pub flavour: Flavour,
    /// The figures, or why there are none.
    pub result: Result<Cost, String>,
    /// Whether it was attempted: `false` when the generator is missing.
    pub run: bool,
}

#[derive(Debug)]
pub struct Cost {
    pub lines: usize,
    pub bytes: u64,
    pub check: Measured,
    pub build: Measured,
}

/// A generated crate, built once, ready to be timed.
struct Prepared {
    dir: PathBuf,
    target: PathBuf,
    timed_log: PathBuf,
    lines: usize,
    bytes: u64,
}

impl Prepared {
    fn cargo(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("CARGO_MANIFEST_PATH");
        cmd
    }

    /// Touches `src/lib.rs` (so only the generated crate is compiled) and times `cargo args`.
    fn time(&self, args: &[&str], into: &mut Measured) -> Result<(), String> {
        let lib = self.dir.join("src/lib.rs");
        std::fs::File::options()
            .write(true)
            .open(&lib)
            .and_then(|f| f.set_modified(SystemTime::now()))
            .map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
        let (t, rss) = timed(&mut self.cargo(args), COMPILE_TIMEOUT, &self.timed_log)
            .map_err(|e| format!("`cargo {}` failed: {e}", args.join(" ")))?;
        into.times.push(t);
        into.peak_rss_kb = into.peak_rss_kb.max(rss);
        Ok(())
    }
}

const CHECK: [&str; 1] = ["check"];
const BUILD: [&str; 2] = ["build", "--release"];

/// Generates a crate for `spec` with each of `flavours`, builds each once so its
/// dependencies are built (in a target directory shared by the flavour's crates), then times
/// `cargo check` and `cargo build --release` of each, without incremental compilation.
///
/// The flavours take turns, run by run (the order swapped every run), so that whatever
/// else the machine does lands on both sides of the ratio, not on one.
fn generated_cost(
    root: &Path,
    cli: &Path,
    scratch: &Path,
    name: &str,
    spec: &Path,
    flavours: &[Flavour],
    runs: usize,
) -> Vec<CostRow> {
    let mut prepared: Vec<(Flavour, Result<Prepared, String>, Measured, Measured)> = flavours
        .iter()
        .map(|&flavour| {
            eprintln!("== cost: {name}, {}", flavour.label());
            let p = prepare_cost(root, cli, scratch, name, spec, flavour);
            (flavour, p, Measured::default(), Measured::default())
        })
        .collect();
    for run in 0..runs {
        let order: Vec<usize> = if run % 2 == 0 {
            (0..prepared.len()).collect()
        } else {
            (0..prepared.len()).rev().collect()
        };
        for i in order {
            let (_, result, check, build) = &mut prepared[i];
            let Ok(p) = result else { continue };
            if let Err(e) = p.time(&CHECK, check).and_then(|()| p.time(&BUILD, build)) {
                *result = Err(e);
            }
        }
    }
    prepared
        .into_iter()
        .map(|(flavour, result, check, build)| CostRow {
            spec: name.to_string(),
            flavour,
            result: result.map(|p| Cost {
                lines: p.lines,
                bytes: p.bytes,
                check,
                build,
            }),
            run: true,
        })
        .collect()
}

/// Generates `flavour`'s crate for `spec` and builds it once (`check` and `build --release`).
fn prepare_cost(
    root: &Path,
    cli: &Path,
    scratch: &Path,
    name: &str,
    spec: &Path,
    flavour: Flavour,
) -> Result<Prepared, String> {
    let base = scratch.join("cost");
    let dir = base.join(flavour.label()).join(name);
    let target = base.join(format!("target-{}", flavour.label()));
    let log = |what: &str| {
        scratch
            .join("logs")
            .join(format!("cost-{}-{name}-{what}", flavour.label()))
    };
    let _ = std::fs::remove_dir_all(&dir);
    let crate_name = format!("bench-{}-{name}", flavour.label());
    let mut cmd = match flavour {
        Flavour::Ours => {
            let mut cmd = Command::new(cli);
            cmd.arg(spec)
                .arg("--out")
                .arg(&dir)
                .args(["--crate-name", &crate_name]);
            cmd
        }
        Flavour::Progenitor => PROGENITOR.command(&crate_name, spec, &dir),
    };
    timed(quiet_env(&mut cmd), GENERATION_TIMEOUT, &log("generate"))
        .map_err(|e| format!("generation failed: {e}"))?;
    match flavour {
        // Same dependency versions as the committed client, as `cargo xtask corpus` does.
        Flavour::Ours => {
            if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
                std::fs::write(dir.join("Cargo.lock"), lock)
                    .map_err(|e| format!("cannot write Cargo.lock: {e}"))?;
            }
        }
        // Its own workspace, as ours is: otherwise a crate under this repository's
        // target/ would be taken for a member of the repository's workspace.
        Flavour::Progenitor => {
            let manifest = dir.join("Cargo.toml");
            let text = std::fs::read_to_string(&manifest)
                .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
            if !text.contains("[workspace]") {
                std::fs::write(&manifest, text + "\n[workspace]\n")
                    .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
            }
        }
    }
    let (lines, bytes) = rust_sources(&dir);
    let prepared = Prepared {
        dir,
        target,
        timed_log: log("timed"),
        lines,
        bytes,
    };
    for args in [&CHECK[..], &BUILD[..]] {
        timed(&mut prepared.cargo(args), WARM_UP_TIMEOUT, &log("warm-up"))
            .map_err(|e| format!("first `cargo {}` failed: {e}", args.join(" ")))?;
    }
    Ok(prepared)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// A duration for prose: milliseconds under a second, else seconds.
fn short(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{:.0} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn mb(kb: u64) -> String {
    format!("{:.1} MB", kb as f64 / 1024.0)
}

/// `ours / theirs`, with how many times faster (or slower) that makes ours.
pub fn ratio(ours: Duration, theirs: Duration) -> String {
    let (o, t) = (ours.as_secs_f64(), theirs.as_secs_f64());
    if o <= 0.0 || t <= 0.0 {
        return "n/a".into();
    }
    let r = o / t;
    if r <= 1.0 {
        format!("{r:.3} ({:.1}× faster)", t / o)
    } else {
        format!("{r:.2} ({r:.1}× slower)")
    }
}

fn report(
    options: &Options,
    rows: &[SpecRow],
    peers: &[(&Peer, bool)],
    cost: Option<&[CostRow]>,
) -> String {
    let mut r = String::new();
    let _ = writeln!(r, "# Benchmarks\n");
    let _ = writeln!(r, "Machine: {}.\n", machine());
    if options.is_partial() {
        let _ = writeln!(
            r,
            "**Partial run.** Reproduce with `{}`. It prints this report and writes no file \
             unless given `--out FILE`; the full benchmark is `cargo xtask bench`, which \
             writes {REPORT}.\n",
            options.command()
        );
    } else {
        let _ = writeln!(
            r,
            "Reproduce with `cargo xtask bench` (writes this file; with options such as \
             `--only NAME[,NAME]`, `--runs N` or `--no-peers` it is a partial run, which only \
             prints unless given `--out FILE`).\n"
        );
    }
    let _ = writeln!(
        r,
        "Every figure is from this run: each generator is run as a whole process into a \
         fresh, empty directory, one spec after another (ours, then each peer, on the same \
         spec), with a {} s timeout per run. Wall time is from spawn to exit; peak RSS is the \
         largest resident set of the process and the children it waited for (`wait4`); \
         lines are those of the `.rs` files under the output's `src/`. A child's peak \
         includes what it shares with this process at spawn, whose own peak was {}. The \
         synthetic specs are OpenAPI 3.0.3 (CRUD on operations/4 resources) so that every \
         peer can read them. `RUST_BACKTRACE` is unset for generator runs.\n",
        GENERATION_TIMEOUT.as_secs(),
        mb(own_peak_rss_kb())
    );
    generation_table(&mut r, options, rows);
    let _ = writeln!(r, "\n## Peers\n");
    if !options.peers {
        let _ = writeln!(r, "Not run (`--no-peers`).");
    } else {
        for (i, (peer, found)) in peers.iter().enumerate() {
            peer_section(&mut r, options, rows, i, peer, *found);
        }
    }
    let _ = writeln!(r, "\n## Generated-code cost\n");
    match cost {
        None => {
            let _ = writeln!(r, "Not measured (`--no-cost`).");
        }
        Some([]) => {
            let _ = writeln!(
                r,
                "Not measured: it is taken on {} and `--only` selected neither.",
                COST_SPECS.join(" and ")
            );
        }
        Some(cost) => cost_section(&mut r, options, cost),
    }
    r
}

fn generation_table(r: &mut String, options: &Options, rows: &[SpecRow]) {
    let _ = writeln!(
        r,
        "## Generation (our release CLI as a whole process, {} runs each)\n",
        options.runs
    );
    let _ = writeln!(
        r,
        "| spec | size | operations | median | min | max | per operation | peak RSS | lines generated |"
    );
    let _ = writeln!(r, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let size = format!("{} KB", row.bytes / 1024);
        let m = match &row.ours.outcome {
            Outcome::Done(m) => m,
            Outcome::Failed(e) | Outcome::Skipped(e) => {
                let _ = writeln!(r, "| {} | {size} | | failed: {e} | | | | | |", row.spec);
                continue;
            }
        };
        let per_op = if row.operations > 0 {
            format!(
                "{:.0} µs",
                m.median().as_secs_f64() * 1e6 / row.operations as f64
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            r,
            "| {} | {size} | {} | {} | {} | {} | {per_op} | {} | {} |",
            row.spec,
            row.operations,
            ms(m.median()),
            ms(m.min()),
            ms(m.max()),
            mb(m.peak_rss_kb),
            row.ours.lines
        );
    }
}

fn peer_section(
    r: &mut String,
    options: &Options,
    rows: &[SpecRow],
    index: usize,
    peer: &Peer,
    found: bool,
) {
    if !found {
        let _ = writeln!(
            r,
            "### {}\n\n`{}` is not on PATH (install: `{}`), so it is not compared in this run.\n",
            peer.label, peer.program, peer.install
        );
        return;
    }
    let extra = if peer.program == "openapi-generator-cli" {
        format!(
            ", through its Python wrapper on {}; spec validation on (the default)",
            java_version()
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        r,
        "### {} {} (`{}`, {} runs each{extra})\n",
        peer.label,
        peer.version(),
        peer.shown,
        options.peer_runs
    );
    // (spec, theirs / ours) where both worked.
    let mut speedups: Vec<(&str, f64)> = Vec::new();
    let mut failed: Vec<&str> = Vec::new();
    let mut ours_failed: Vec<&str> = Vec::new();
    let mut table = String::new();
    let _ = writeln!(
        table,
        "| spec | ours median | {0} median | {0} min–max | ours peak RSS | {0} peak RSS | ours lines | {0} lines | ours / {0} |",
        peer.label
    );
    let _ = writeln!(table, "|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for row in rows {
        let Some(theirs) = row.peers.get(index) else {
            continue;
        };
        let ours = match &row.ours.outcome {
            Outcome::Done(m) => Some(m),
            _ => None,
        };
        let (ours_median, ours_rss, ours_lines) = match ours {
            Some(m) => (
                ms(m.median()),
                mb(m.peak_rss_kb),
                row.ours.lines.to_string(),
            ),
            None => ("failed".into(), String::new(), String::new()),
        };
        match &theirs.outcome {
            Outcome::Done(t) => {
                let cmp = match ours {
                    Some(o) => {
                        let (a, b) = (o.median().as_secs_f64(), t.median().as_secs_f64());
                        if a > 0.0 {
                            speedups.push((&row.spec, b / a));
                        }
                        ratio(o.median(), t.median())
                    }
                    None => {
                        ours_failed.push(&row.spec);
                        "n/a (ours failed)".into()
                    }
                };
                let _ = writeln!(
                    table,
                    "| {} | {ours_median} | {} | {}–{} | {ours_rss} | {} | {ours_lines} | {} | {cmp} |",
                    row.spec,
                    ms(t.median()),
                    ms(t.min()),
                    ms(t.max()),
                    mb(t.peak_rss_kb),
                    theirs.lines
                );
            }
            Outcome::Failed(e) => {
                failed.push(&row.spec);
                let _ = writeln!(
                    table,
                    "| {} | {ours_median} | **failed**: {e} | | {ours_rss} | | {ours_lines} | | |",
                    row.spec
                );
            }
            Outcome::Skipped(why) => {
                let _ = writeln!(
                    table,
                    "| {} | {ours_median} | {why} | | {ours_rss} | | {ours_lines} | | |",
                    row.spec
                );
            }
        }
    }
    let measured = speedups.len() + failed.len() + ours_failed.len();
    let _ = writeln!(r, "{}\n", speed_summary(peer.label, &speedups, measured));
    if !failed.is_empty() {
        let _ = writeln!(
            r,
            "{} failed on {} of {measured}: {}.\n",
            peer.label,
            failed.len(),
            failed.join(", ")
        );
    }
    if !ours_failed.is_empty() {
        let _ = writeln!(
            r,
            "Ours failed where {} worked: {}.\n",
            peer.label,
            ours_failed.join(", ")
        );
    }
    let _ = writeln!(r, "{table}");
}

/// The summary line from `(spec, theirs / ours)` pairs where both generators worked, out of
/// `measured` specs the peer was run on.
pub fn speed_summary(peer: &str, speedups: &[(&str, f64)], measured: usize) -> String {
    let Some((spec, least)) = speedups.iter().min_by(|a, b| a.1.total_cmp(&b.1)) else {
        return format!("{peer} worked on none of the {measured} specs run, so there is no ratio.");
    };
    let target = if *least >= 5.0 { "met" } else { "**not met**" };
    let head = if *least >= 1.0 {
        format!("**At least {least:.1}× faster than {peer} wherever {peer} works**")
    } else {
        format!(
            "**Not faster than {peer} everywhere it works**: on {spec} ours takes {:.1}× its time",
            1.0 / least
        )
    };
    format!(
        "{head} ({} of {measured} specs run; the least on {spec}); the issue's target of at \
         least 5× is {target}.",
        speedups.len()
    )
}

fn cost_section(r: &mut String, options: &Options, cost: &[CostRow]) {
    let _ = writeln!(
        r,
        "The generated crate alone: generated into a scratch directory, built once so its \
         dependencies are built (one shared target directory per generator; ours with this \
         workspace's Cargo.lock, progenitor's resolved by cargo, with `[workspace]` appended \
         to its Cargo.toml so it stands alone as ours does), then `touch src/lib.rs` before \
         each timed `cargo check` and `cargo build --release`, so that only the generated \
         crate is compiled; `CARGO_INCREMENTAL=0`; {} runs each, median (min–max), the two \
         generators' crates taking turns run by run (order swapped every run) so that the \
         machine's other load falls on both sides of the ratio. Lines and \
         bytes are those of the `.rs` files under `src/` (ours carries its runtime there; \
         progenitor's is the `progenitor-client` dependency).\n",
        options.cost_runs
    );
    let _ = writeln!(
        r,
        "| spec | generator | lines | bytes | cargo check | cargo build --release |"
    );
    let _ = writeln!(r, "|---|---|---:|---:|---:|---:|");
    let spread =
        |m: &Measured| format!("{} ({}–{})", secs(m.median()), secs(m.min()), secs(m.max()));
    for row in cost {
        match &row.result {
            Ok(c) => {
                let _ = writeln!(
                    r,
                    "| {} | {} | {} | {} KB | {} | {} |",
                    row.spec,
                    row.flavour.label(),
                    c.lines,
                    c.bytes / 1024,
                    spread(&c.check),
                    spread(&c.build)
                );
            }
            Err(e) => {
                let _ = writeln!(
                    r,
                    "| {} | {} | {}: {} | | | |",
                    row.spec,
                    row.flavour.label(),
                    if row.run { "**failed**" } else { "not run" },
                    shorten(e, 200)
                );
            }
        }
    }
    let mut lines = Vec::new();
    let mut specs: Vec<&str> = cost.iter().map(|c| c.spec.as_str()).collect();
    specs.dedup();
    for spec in specs {
        let find = |f: Flavour| {
            cost.iter()
                .find(|c| c.spec == spec && c.flavour == f)
                .and_then(|c| c.result.as_ref().ok())
        };
        let (Some(o), Some(p)) = (find(Flavour::Ours), find(Flavour::Progenitor)) else {
            continue;
        };
        let part = |a: &Measured, b: &Measured| {
            a.median().as_secs_f64() / b.median().as_secs_f64().max(1e-9)
        };
        let (check, build) = (part(&o.check, &p.check), part(&o.build, &p.build));
        lines.push(format!(
            "{spec}, ours / progenitor: `cargo check` {check:.2}, `cargo build --release` \
             {build:.2}, lines {:.2}, bytes {:.2}. The issue's target of at most half of \
             progenitor's cost to check and build is {}.",
            o.lines as f64 / p.lines.max(1) as f64,
            o.bytes as f64 / p.bytes.max(1) as f64,
            if check <= 0.5 && build <= 0.5 {
                "met"
            } else {
                "**not met**"
            }
        ));
    }
    if !lines.is_empty() {
        let _ = writeln!(r);
    }
    for l in lines {
        let _ = writeln!(r, "{l}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_default_is_a_full_run() {
        let o = Options::parse(&[]).unwrap();
        assert_eq!(o, Options::default());
        assert!(!o.is_partial());
        assert_eq!(o.command(), "cargo xtask bench");
    }

    #[test]
    fn options_subset_is_partial_and_reproducible() {
        let o = Options::parse(&[
            "--only",
            "petstore,oxide-nexus",
            "--runs",
            "2",
            "--no-cost",
            "--out",
            "/tmp/b.md",
        ])
        .unwrap();
        assert_eq!(o.only, ["petstore", "oxide-nexus"]);
        assert_eq!(o.runs, 2);
        assert!(!o.cost && o.peers);
        assert_eq!(o.out.as_deref(), Some(Path::new("/tmp/b.md")));
        assert!(o.is_partial());
        assert_eq!(
            o.command(),
            "cargo xtask bench --only petstore,oxide-nexus --runs 2 --no-cost"
        );
        assert!(o.selects("petstore") && !o.selects("petstore-swagger-v3"));
        // --out alone still runs everything.
        assert!(!Options::parse(&["--out", "x.md"]).unwrap().is_partial());
    }

    #[test]
    fn options_refuse_bad_values() {
        assert!(Options::parse(&["--runs", "0"]).is_err());
        assert!(Options::parse(&["--runs"]).is_err());
        assert!(Options::parse(&["--fast"]).is_err());
    }

    #[test]
    fn failure_reasons_pick_the_telling_line() {
        let panic = "\nthread 'main' (1) panicked at src/method.rs:1220:9:\nassertion failed: x <= 1\nstack backtrace:\n";
        assert_eq!(
            failure_reason("", panic),
            "panicked: assertion failed: x <= 1"
        );
        assert_eq!(
            failure_reason(
                "TYPE SPACE\ngen fail: UnexpectedFormat(\"invalid version: 3.1.0\")\n",
                "Error: generation experienced errors\n"
            ),
            "UnexpectedFormat(\"invalid version: 3.1.0\")"
        );
        let java = "[main] ERROR o.o.c.ModelUtils - Undefined array inner type\nException in thread \"main\" org.openapitools.codegen.SpecValidationException: There were issues with the specification. The option can be disabled.\n";
        assert_eq!(
            failure_reason("", java),
            "SpecValidationException: There were issues with the specification."
        );
        assert_eq!(
            failure_reason("", "Error: paths: bad | thing\n\nStack backtrace:\n"),
            "Error: paths: bad \\| thing"
        );
        assert_eq!(failure_reason("", ""), "no output");
    }

    #[test]
    fn summaries_take_the_least_speedup() {
        let s = speed_summary("p", &[("a", 12.0), ("b", 6.5)], 3);
        assert!(s.starts_with("**At least 6.5× faster than p wherever p works** (2 of 3"));
        assert!(s.contains("least on b") && s.ends_with("is met."));
        let s = speed_summary("p", &[("a", 0.5)], 1);
        assert!(s.contains("ours takes 2.0× its time") && s.contains("**not met**"));
        assert!(speed_summary("p", &[], 4).contains("none of the 4"));
    }

    fn scratch_log(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-bench-test-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir.join(name)
    }

    #[test]
    fn timed_reports_failures_with_their_reason() {
        let mut cmd = Command::new("sh");
        cmd.args([
            "-c",
            "echo starting; echo 'error: no such thing' >&2; exit 3",
        ]);
        let e = timed(&mut cmd, Duration::from_secs(60), &scratch_log("fail")).unwrap_err();
        assert!(e.starts_with("exit status 3 after "), "{e}");
        assert!(e.ends_with("s: error: no such thing"), "{e}");
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "exit 0"]);
        assert!(timed(&mut cmd, Duration::from_secs(60), &scratch_log("ok")).is_ok());
    }

    #[test]
    fn timed_kills_the_whole_group_at_the_timeout() {
        // The shell's child sleeps too; killing only the shell would leave it running.
        let log = scratch_log("slow");
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 30 & echo $!; wait"]);
        let e = timed(&mut cmd, Duration::from_millis(300), &log).unwrap_err();
        assert_eq!(e, "timed out after 300ms");
        let out = std::fs::read_to_string(log.with_extension("stdout")).unwrap();
        let sleeper = out.trim();
        assert!(!sleeper.is_empty());
        // Gone, or a zombie waiting for whoever inherited it.
        let alive = |pid: &str| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| {
                    s.rsplit(')')
                        .next()
                        .map(|r| r.trim_start().starts_with(['R', 'S', 'D']))
                })
                .unwrap_or(false)
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while alive(sleeper) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!alive(sleeper), "sleep {sleeper} outlived the timeout");
    }

    #[test]
    fn big_logs_are_read_at_both_ends_only() {
        let log = scratch_log("big.stderr");
        let middle = "x".repeat(10_000);
        std::fs::write(&log, format!("first line\n{middle}\nlast line\n")).unwrap();
        let text = read_ends(&log, 100);
        assert!(text.starts_with("first line\n") && text.ends_with("last line\n"));
        assert!(text.len() <= 201);
        assert_eq!(read_ends(&log, 1 << 20).len(), 10_000 + 22);
    }

    #[test]
    fn sources_are_counted_under_src_recursively() {
        let dir = scratch_log("crate");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src/models")).unwrap();
        std::fs::write(dir.join("src/lib.rs"), "a\nb\n").unwrap();
        std::fs::write(dir.join("src/models/m.rs"), "c\n").unwrap();
        std::fs::write(dir.join("src/README.md"), "not rust\n").unwrap();
        std::fs::write(dir.join("build.rs"), "outside src\n").unwrap();
        assert_eq!(rust_sources(&dir), (3, 6));
    }

    #[test]
    fn ratios_say_which_way() {
        let ms = Duration::from_millis;
        assert_eq!(ratio(ms(100), ms(500)), "0.200 (5.0× faster)");
        assert_eq!(ratio(ms(300), ms(200)), "1.50 (1.5× slower)");
        assert_eq!(ratio(ms(0), ms(200)), "n/a");
    }

    #[test]
    fn synthetic_specs_are_openapi_3_0() {
        let spec = synthetic_spec(8);
        assert_eq!(spec["openapi"], "3.0.3");
        assert_eq!(spec["paths"].as_object().map(|p| p.len()), Some(4));
    }
}
