//! The Markdown report: the machine and the method, the generation table, a section per
//! peer with its summary line, and the generated-code cost.

use super::acceptance;
use super::cost::{COST_SPECS, CostRow, Flavour};
use super::format::{mb, ms, ratio, secs, shorten};
use super::measure::{GENERATION_TIMEOUT, GenResult, Measured, Outcome, SpecRow, own_peak_rss_kb};
use super::options::Options;
use super::peers::{Peer, java_version};
use std::fmt::Write as _;
use std::process::Command;

/// The report's file, relative to the workspace root; only a full run writes it.
pub const REPORT: &str = "docs/BENCHMARKS.md";

/// The whole report, but for the request overhead (`crate::overhead`). `untimed` are the
/// specs run once each only to tell which generators go through them.
pub(super) fn render(
    options: &Options,
    rows: &[SpecRow],
    untimed: &[SpecRow],
    peers: &[(&Peer, bool)],
    cost: Option<&[CostRow]>,
) -> String {
    let mut r = String::new();
    intro(&mut r, options);
    generation_table(&mut r, options, rows);
    let _ = writeln!(r, "\n## Peers\n");
    if !options.peers {
        let _ = writeln!(r, "Not run (`--no-peers`).");
    } else {
        for (i, (peer, found)) in peers.iter().enumerate() {
            peer_section(&mut r, options, rows, i, peer, *found);
        }
    }
    let _ = writeln!(r, "\n## Which real specs go through\n");
    if !options.peers {
        let _ = writeln!(r, "Not run (`--no-peers`).");
    } else {
        let real: Vec<&SpecRow> = rows
            .iter()
            .chain(untimed)
            .filter(|row| acceptance::is_real(row))
            .collect();
        acceptance::section(&mut r, &real, peers);
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

/// The title, the machine, how to reproduce the report, and how it was measured.
fn intro(r: &mut String, options: &Options) {
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
}

/// The CPU, cores, memory, rustc and load average.
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

/// The section of the peer at `index` in each row's `peers`.
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
    peer_heading(r, options, peer);
    let mut t = PeerTable::default();
    let _ = writeln!(
        t.table,
        "| spec | ours median | {0} median | {0} min–max | ours peak RSS | {0} peak RSS | ours lines | {0} lines | ours / {0} |",
        peer.label
    );
    let _ = writeln!(t.table, "|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for row in rows {
        let Some(theirs) = row.peers.get(index) else {
            continue;
        };
        t.add(row, theirs);
    }
    let measured = t.speedups.len() + t.failed.len() + t.ours_failed.len();
    let _ = writeln!(
        r,
        "{}\n",
        speed_summary(peer.label, peer.target, &t.speedups, measured)
    );
    if !t.failed.is_empty() {
        let _ = writeln!(
            r,
            "{} failed on {} of {measured}: {}.\n",
            peer.label,
            t.failed.len(),
            t.failed.join(", ")
        );
    }
    if !t.ours_failed.is_empty() {
        let _ = writeln!(
            r,
            "Ours failed where {} worked: {}.\n",
            peer.label,
            t.ours_failed.join(", ")
        );
    }
    let _ = writeln!(r, "{}", t.table);
}

/// The heading of a peer's section: its name, version, command line and runs.
fn peer_heading(r: &mut String, options: &Options, peer: &Peer) {
    let extra = if peer.runs_on_java() {
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
}

/// A peer's table beside ours, and the specs sorted by who worked.
#[derive(Default)]
struct PeerTable<'a> {
    /// (spec, theirs / ours) where both worked.
    speedups: Vec<(&'a str, f64)>,
    /// Where the peer failed.
    failed: Vec<&'a str>,
    /// Where the peer worked and ours failed.
    ours_failed: Vec<&'a str>,
    table: String,
}

impl<'a> PeerTable<'a> {
    /// Adds the line of `row`, where the peer's result is `theirs`.
    fn add(&mut self, row: &'a SpecRow, theirs: &GenResult) {
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
                            self.speedups.push((&row.spec, b / a));
                        }
                        ratio(o.median(), t.median())
                    }
                    None => {
                        self.ours_failed.push(&row.spec);
                        "n/a (ours failed)".into()
                    }
                };
                let _ = writeln!(
                    self.table,
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
                self.failed.push(&row.spec);
                let _ = writeln!(
                    self.table,
                    "| {} | {ours_median} | **failed**: {e} | | {ours_rss} | | {ours_lines} | | |",
                    row.spec
                );
            }
            Outcome::Skipped(why) => {
                let _ = writeln!(
                    self.table,
                    "| {} | {ours_median} | {why} | | {ours_rss} | | {ours_lines} | | |",
                    row.spec
                );
            }
        }
    }
}

/// The summary line from `(spec, theirs / ours)` pairs where both generators worked, out of
/// `measured` specs the peer was run on, with the verdict on `target` (the least speed-up
/// an issue asked for against this peer) when there is one.
pub fn speed_summary(
    peer: &str,
    target: Option<f64>,
    speedups: &[(&str, f64)],
    measured: usize,
) -> String {
    let Some((spec, least)) = speedups.iter().min_by(|a, b| a.1.total_cmp(&b.1)) else {
        return format!("{peer} worked on none of the {measured} specs run, so there is no ratio.");
    };
    let head = if *least >= 1.0 {
        format!("**At least {least:.1}× faster than {peer} wherever {peer} works**")
    } else {
        format!(
            "**Not faster than {peer} everywhere it works**: on {spec} ours takes {:.1}× its time",
            1.0 / least
        )
    };
    let verdict = match target {
        Some(t) => format!(
            "; the issue's target of at least {t}× is {}",
            if *least >= t { "met" } else { "**not met**" }
        ),
        None => String::new(),
    };
    format!(
        "{head} ({} of {measured} specs run; the least on {spec}){verdict}.",
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
    cost_table(r, cost);
    let lines = cost_comparisons(cost);
    if !lines.is_empty() {
        let _ = writeln!(r);
    }
    for l in lines {
        let _ = writeln!(r, "{l}\n");
    }
}

/// A line per generated crate: its size and its check and build times.
fn cost_table(r: &mut String, cost: &[CostRow]) {
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
}

/// For each spec where both crates were measured, ours against progenitor's, with the
/// verdict on the target.
fn cost_comparisons(cost: &[CostRow]) -> Vec<String> {
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
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_take_the_least_speedup() {
        let s = speed_summary("p", Some(5.0), &[("a", 12.0), ("b", 6.5)], 3);
        assert!(s.starts_with("**At least 6.5× faster than p wherever p works** (2 of 3"));
        assert!(s.contains("least on b") && s.ends_with("target of at least 5× is met."));
        let s = speed_summary("p", Some(5.0), &[("a", 0.5)], 1);
        assert!(s.contains("ours takes 2.0× its time") && s.contains("**not met**"));
        assert!(speed_summary("p", None, &[], 4).contains("none of the 4"));
        let s = speed_summary("p", None, &[("a", 3.0)], 1);
        assert!(s.ends_with("(1 of 1 specs run; the least on a).") && !s.contains("target"));
    }
}
