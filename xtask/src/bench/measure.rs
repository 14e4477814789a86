//! Measuring whole processes: running a command with a timeout and taking its wall time
//! and peak RSS (`timed`), the reason a failed run gives, what a generator wrote (lines
//! and bytes of Rust, operations), and a generator's figures over several runs.

use super::format::{short, shorten};
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A generator run (ours or a peer's) that takes longer is killed and reported as failing.
pub(super) const GENERATION_TIMEOUT: Duration = Duration::from_secs(300);

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

    pub(super) fn min(&self) -> Duration {
        self.times.iter().min().copied().unwrap_or_default()
    }

    pub(super) fn max(&self) -> Duration {
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

/// Runs a command to its end with stdout and stderr going to `log` (`.stdout`/`.stderr`
/// beside it), returning its wall time and peak RSS (KiB) via `wait4`. The peak is the
/// largest of the process and the descendants it waited for (a Python wrapper's Java, a
/// cargo's rustc), and includes what the child inherited at spawn, so this process stays
/// small. The child leads its own process group, which is killed after `timeout`.
pub(super) fn timed(
    cmd: &mut Command,
    timeout: Duration,
    log: &Path,
) -> Result<(Duration, u64), String> {
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
    let (done, watchdog) = watchdog(pid, timeout);
    // Wait for the exit without reaping, so the pid stays ours while the watchdog lives.
    wait_for_exit(pid);
    let elapsed = start.elapsed();
    drop(done);
    let timed_out = watchdog.join().unwrap_or(false);
    let (status, usage) = reap(pid).ok_or_else(|| format!("{program}: wait4 failed"))?;
    if timed_out {
        return Err(format!("timed out after {timeout:?}"));
    }
    check_exit(status, elapsed, &out_log, &err_log)?;
    Ok((elapsed, usage.ru_maxrss as u64))
}

/// A thread that kills the process group `pid` unless the returned sender is dropped
/// within `timeout`; it returns whether it killed.
fn watchdog(pid: libc::pid_t, timeout: Duration) -> (mpsc::Sender<()>, JoinHandle<bool>) {
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
    (done, watchdog)
}

/// Waits until the child `pid` has exited, without reaping it.
fn wait_for_exit(pid: libc::pid_t) {
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
}

/// Reaps the exited child `pid`: its wait status and resource usage, `None` if `wait4`
/// fails.
fn reap(pid: libc::pid_t) -> Option<(libc::c_int, libc::rusage)> {
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, exited and not yet reaped; the pointers are valid.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    (waited == pid).then_some((status, usage))
}

/// The failure, with the reason read from the logs, unless the wait `status` is a
/// clean exit.
fn check_exit(
    status: libc::c_int,
    elapsed: Duration,
    out_log: &Path,
    err_log: &Path,
) -> Result<(), String> {
    let read = |p: &Path| read_ends(p, LOG_WINDOW);
    if libc::WIFSIGNALED(status) {
        let reason = failure_reason(&read(out_log), &read(err_log));
        return Err(format!(
            "killed by signal {} after {}: {reason}",
            libc::WTERMSIG(status),
            short(elapsed)
        ));
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        let reason = failure_reason(&read(out_log), &read(err_log));
        return Err(format!(
            "exit status {} after {}: {reason}",
            libc::WEXITSTATUS(status),
            short(elapsed)
        ));
    }
    Ok(())
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
    let exception = || err.iter().chain(&out).find_map(|l| exception_sentence(l));
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

/// A Java exception in line `l`: from the exception's simple class name to the end of the
/// first sentence.
fn exception_sentence(l: &str) -> Option<String> {
    let at = l.find("Exception: ")?;
    let class_start = l[..at].rfind(['.', ' ']).map_or(0, |i| i + 1);
    let text = &l[class_start..];
    let end = text[at - class_start..]
        .find(". ")
        .map_or(text.len(), |i| at - class_start + i + 1);
    Some(text[..end].to_string())
}

/// Lines and bytes of the `.rs` files under `dir/src`, recursively. Files are read in
/// small pieces: ours for synthetic-20000 has a 50 MB module, and this process's memory is
/// inherited by the next child's peak-RSS figure.
pub(super) fn rust_sources(dir: &Path) -> (usize, u64) {
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
    let mut total = (0, 0);
    for path in crate::util::files_below(&dir.join("src")) {
        if path.extension().is_some_and(|e| e == "rs")
            && let Some((lines, bytes)) = count(&path)
        {
            total.0 += lines;
            total.1 += bytes;
        }
    }
    total
}

/// The number of operations in a `--names` file, read without holding the document (for
/// synthetic-20000 it is 3.5 MB).
pub(super) fn operation_count(names: &Path) -> usize {
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
pub(super) fn quiet_env(cmd: &mut Command) -> &mut Command {
    cmd.env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
}

/// Runs `make(out)` `runs` times, each into a fresh, empty `out`.
pub(super) fn measure_generation(
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

/// This process's peak RSS (KiB): `VmHWM`, the high-water mark of its memory map, which is
/// what a child spawned from it starts its own peak from. (`getrusage` would also count
/// the peak of the cargo that spawned this process.)
pub(super) fn own_peak_rss_kb() -> u64 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

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
}
