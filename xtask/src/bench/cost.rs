//! The generated-code cost: our crate and progenitor's for the same spec, generated, built
//! once, then timed by `cargo check` and `cargo build --release`, with their size in lines
//! and bytes of Rust.

use super::measure::{GENERATION_TIMEOUT, Measured, quiet_env, rust_sources, timed};
use super::peers::{PROGENITOR, Peer};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

/// A timed `cargo check` or `cargo build --release` of one generated crate.
const COMPILE_TIMEOUT: Duration = Duration::from_secs(900);

/// The first build of a generated crate, which also resolves and builds its dependencies.
const WARM_UP_TIMEOUT: Duration = Duration::from_secs(1800);

/// The specs the generated-code cost is measured on.
pub(super) const COST_SPECS: [&str; 2] = ["prime-intellect", "oxide-nexus"];

/// Whose generated crate a cost row measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Ours,
    Progenitor,
}

impl Flavour {
    pub(super) fn label(self) -> &'static str {
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

/// Cargo in the generated crate at `dir`, building into `target`, without incremental
/// compilation and without this task's manifest variables.
pub(super) fn crate_cargo(dir: &Path, target: &Path) -> Command {
    let mut cmd = crate::util::cargo();
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_MANIFEST_PATH");
    cmd
}

/// Touches the crate's `src/lib.rs`, so that the next build compiles the crate and nothing
/// else.
pub(super) fn touch_lib(dir: &Path) -> Result<(), String> {
    let lib = dir.join("src/lib.rs");
    std::fs::File::options()
        .write(true)
        .open(&lib)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", lib.display()))
}

impl Prepared {
    fn cargo(&self, args: &[&str]) -> Command {
        let mut cmd = crate_cargo(&self.dir, &self.target);
        cmd.args(args);
        cmd
    }

    /// Touches `src/lib.rs` (so only the generated crate is compiled) and times `cargo args`.
    fn time(&self, args: &[&str], into: &mut Measured) -> Result<(), String> {
        touch_lib(&self.dir)?;
        let (t, rss) = timed(&mut self.cargo(args), COMPILE_TIMEOUT, &self.timed_log)
            .map_err(|e| format!("`cargo {}` failed: {e}", args.join(" ")))?;
        into.times.push(t);
        into.peak_rss_kb = into.peak_rss_kb.max(rss);
        Ok(())
    }
}

const CHECK: [&str; 1] = ["check"];
const BUILD: [&str; 2] = ["build", "--release"];

/// The cost rows of the selected `specs` among `COST_SPECS`: ours, and progenitor's if it
/// is among the `peers` found (else a row saying it is not on `PATH`).
pub(super) fn measure(
    root: &Path,
    cli: &Path,
    scratch: &Path,
    specs: &[(String, PathBuf)],
    peers: &[(&Peer, bool)],
    runs: usize,
) -> Vec<CostRow> {
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
            root, cli, scratch, name, path, &flavours, runs,
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
    cost
}

/// A flavour's crate (or why it could not be prepared) and its `check` and `build` times.
type Timings = (Flavour, Result<Prepared, String>, Measured, Measured);

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
    let mut prepared: Vec<Timings> = flavours
        .iter()
        .map(|&flavour| {
            eprintln!("== cost: {name}, {}", flavour.label());
            let p = prepare_cost(root, cli, scratch, name, spec, flavour);
            (flavour, p, Measured::default(), Measured::default())
        })
        .collect();
    time_in_turns(&mut prepared, runs);
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

/// Times `check` then `build` of each prepared crate, `runs` times, the order swapped every
/// run. A crate that fails is not timed again; the failure replaces it.
fn time_in_turns(prepared: &mut [Timings], runs: usize) {
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
    stand_alone(root, flavour, &dir)?;
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

/// Makes the crate generated in `dir` build on its own, as `flavour` needs.
pub(super) fn stand_alone(root: &Path, flavour: Flavour, dir: &Path) -> Result<(), String> {
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
    Ok(())
}
