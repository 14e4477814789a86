//! What `cargo xtask bench` was asked to do: its options, their defaults, and the parsing
//! of its arguments.

use std::path::PathBuf;

/// Runs of our CLI per spec unless `--runs` says otherwise; the median is reported with
/// min and max.
pub const RUNS: usize = 5;

/// Runs of each peer per spec unless `--peer-runs` says otherwise. A peer run takes
/// between a tenth of a second and minutes, so fewer than ours.
pub const PEER_RUNS: usize = 3;

/// Timed `cargo check` / `cargo build --release` runs per generated crate unless
/// `--cost-runs` says otherwise.
pub const COST_RUNS: usize = 3;

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

    /// Whether the spec named `name` is to be run.
    pub(super) fn selects(&self, name: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == name)
    }
}

/// The value of a count flag (`--runs` and the like): a positive whole number.
fn count(flag: &str, v: String) -> Result<usize, String> {
    match v.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{flag} needs a positive whole number, not {v:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

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
}
