//! `cargo xtask bench`: how fast the generator is beside its peers and how much its output
//! costs to compile, printed as Markdown and (for a full run) written to
//! `docs/BENCHMARKS.md` with the machine and the command.
//!
//! Every figure comes from running a whole process (our release CLI, a peer generator, or
//! cargo), several times, in this run; ratios are only taken between figures measured in
//! the same run.
//!
//! This module runs the steps in order; `options` parses the arguments, `synthetic` writes
//! the synthetic specs, `measure` runs and times processes, `peers` runs the other
//! generators, `acceptance` tells which real specs each generator goes through, `cost`
//! compiles the generated crates, and `report` writes the Markdown (with the figures
//! written by `format`).

mod acceptance;
mod cost;
mod format;
pub mod groups;
mod measure;
mod options;
mod peers;
mod report;
mod synthetic;

pub use cost::{Cost, CostRow, Flavour};
pub use format::ratio;
pub use measure::{GenResult, Measured, Outcome, SpecRow, failure_reason};
pub use options::{COST_RUNS, Options, PEER_RUNS, RUNS};
pub use report::{REPORT, speed_summary};
pub use synthetic::{synthetic_spec, write_synthetic};

use crate::util::{create_dir, target_dir};
use peers::Peer;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the benchmark and returns the Markdown report, without the request-overhead
/// section (`crate::bench_report` appends it).
pub fn run(root: &Path, options: &Options) -> Result<String, String> {
    let target = target_dir(root);
    let cli = target.join("release/openapi-client-gen");
    let scratch = target.join("bench");
    let logs = scratch.join("logs");
    create_dir(&logs)?;
    let specs = select_specs(root, &scratch, options)?;
    build_cli(root)?;
    synthetic::write_selected(&scratch, &specs)?;

    let peers = peers::find();
    let mut rows = Vec::new();
    for (name, path) in &specs {
        rows.push(measure_spec(
            options, &cli, &scratch, &logs, &peers, name, path,
        )?);
    }
    // Which real specs go through: the ones not timed above, once each.
    let once = Options {
        runs: 1,
        peer_runs: 1,
        ..options.clone()
    };
    let mut untimed = Vec::new();
    if options.peers && options.only.is_empty() {
        for (name, path) in second_corpus(root, &specs)? {
            untimed.push(measure_spec(
                &once, &cli, &scratch, &logs, &peers, &name, &path,
            )?);
        }
    }
    let cost = options
        .cost
        .then(|| cost::measure(root, &cli, &scratch, &specs, &peers, options.cost_runs));
    Ok(report::render(
        options,
        &rows,
        &untimed,
        &peers,
        cost.as_deref(),
    ))
}

/// The second corpus's specs that are not among the timed `specs`.
fn second_corpus(
    root: &Path,
    specs: &[(String, PathBuf)],
) -> Result<Vec<(String, PathBuf)>, String> {
    let dir = root.join(crate::corpus::SECOND_CORPUS);
    Ok(crate::corpus::specs(root)?
        .into_iter()
        .filter(|(name, p)| p.starts_with(&dir) && !specs.iter().any(|(n, _)| n == name))
        .collect())
}

/// The specs `options` selects, by name: the spec and the corpora (the second only when
/// named with `--only`), then the synthetic specs.
fn select_specs(
    root: &Path,
    scratch: &Path,
    options: &Options,
) -> Result<Vec<(String, PathBuf)>, String> {
    // The second corpus is measured only when named with --only: the report compares
    // against earlier runs on the first.
    let mut specs: Vec<(String, PathBuf)> = crate::corpus::specs(root)?
        .into_iter()
        .filter(|(name, p)| {
            !p.starts_with(root.join("tests"))
                && (!p.starts_with(root.join(crate::corpus::SECOND_CORPUS))
                    || options.only.contains(name))
        })
        .collect();
    specs.extend(synthetic::specs(scratch));
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
    Ok(specs)
}

/// Builds our CLI in release mode.
pub(crate) fn build_cli(root: &Path) -> Result<(), String> {
    let status = crate::util::cargo()
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
    Ok(())
}

/// Runs our CLI, then each peer, on the spec `name` at `path`.
fn measure_spec(
    options: &Options,
    cli: &Path,
    scratch: &Path,
    logs: &Path,
    peers: &[(&Peer, bool)],
    name: &str,
    path: &Path,
) -> Result<SpecRow, String> {
    eprintln!("== {name}");
    let out = scratch.join("out");
    let ours_out = out.join("ours").join(name);
    let names = scratch.join("names").join(format!("{name}.json"));
    create_dir(&scratch.join("names"))?;
    let ours = measure::measure_generation(
        options.runs,
        &ours_out,
        &logs.join(format!("ours-{name}")),
        |dir| {
            let mut cmd = Command::new(cli);
            cmd.arg(path)
                .arg("--out")
                .arg(dir)
                .arg("--names")
                .arg(&names);
            cmd
        },
    );
    let operations = measure::operation_count(&names);
    let _ = std::fs::remove_file(&names);
    let peer_results = peers::measure(options, peers, name, path, &out, logs);
    Ok(SpecRow {
        spec: name.to_string(),
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        operations,
        ours,
        peers: peer_results,
    })
}
