//! Request overhead of the generated client: runs the `request_overhead` criterion bench of
//! the `integration-tests` package (`tests/benches/request_overhead.rs`) and turns its
//! results into a Markdown section.
//!
//! The bench times `delete_user_image` and `list_user_images` through `prime_api::Client`
//! (retries and rate limits on, never triggered) and the same requests made by hand with
//! reqwest and serde_json, against a server on loopback. Criterion writes
//! `criterion/<group>/<function>/new/estimates.json`; the bench adds
//! `criterion/<group>/interleaved.json`, the two sides measured in alternation.

use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// The command this module runs, as shown in the report.
pub const COMMAND: &str = "cargo bench -p integration-tests --bench request_overhead";

/// The budget: the generated client may be at most this much slower than by hand.
pub const BUDGET_PERCENT: f64 = 5.0;

/// The benchmark groups (operations), in report order.
const GROUPS: [&str; 2] = ["delete_user_image", "list_user_images"];

/// Criterion's estimate of one benchmark function, in µs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    /// 95 % confidence interval of the mean.
    pub low: f64,
    pub high: f64,
    pub std_dev: f64,
}

/// The bench's interleaved comparison of one operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interleaved {
    pub rounds: u64,
    pub calls_per_batch: u64,
    /// Quartiles of the per-round wall-time ratio, generated / by hand.
    pub ratio: [f64; 3],
    /// Median client CPU time per call, µs.
    pub generated_cpu: f64,
    pub by_hand_cpu: f64,
    /// Median wall time per call of the by-hand side, µs.
    pub by_hand_wall: f64,
}

/// One operation's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub operation: String,
    pub generated: Estimate,
    pub by_hand: Estimate,
    pub interleaved: Option<Interleaved>,
}

impl Row {
    /// How much slower the generated client is, in percent of the by-hand mean.
    pub fn overhead_percent(&self) -> f64 {
        (self.generated.mean / self.by_hand.mean - 1.0) * 100.0
    }

    /// The overhead's range from the ends of the two confidence intervals.
    pub fn overhead_range(&self) -> (f64, f64) {
        (
            (self.generated.low / self.by_hand.high - 1.0) * 100.0,
            (self.generated.high / self.by_hand.low - 1.0) * 100.0,
        )
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

fn number(value: &Value, pointer: &str, path: &Path) -> Result<f64, String> {
    value
        .pointer(pointer)
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("{} has no number at {pointer}", path.display()))
}

/// Reads criterion's `estimates.json` (nanoseconds) as µs.
pub fn read_estimate(path: &Path) -> Result<Estimate, String> {
    let json = read_json(path)?;
    let us = |pointer: &str| number(&json, pointer, path).map(|ns| ns / 1_000.0);
    Ok(Estimate {
        mean: us("/mean/point_estimate")?,
        low: us("/mean/confidence_interval/lower_bound")?,
        high: us("/mean/confidence_interval/upper_bound")?,
        std_dev: us("/std_dev/point_estimate")?,
    })
}

/// Reads the bench's `interleaved.json`.
pub fn read_interleaved(path: &Path) -> Result<Interleaved, String> {
    let json = read_json(path)?;
    let get = |pointer: &str| number(&json, pointer, path);
    Ok(Interleaved {
        rounds: get("/rounds")? as u64,
        calls_per_batch: get("/calls_per_batch")? as u64,
        ratio: [
            get("/ratio_quartiles/0")?,
            get("/ratio_quartiles/1")?,
            get("/ratio_quartiles/2")?,
        ],
        generated_cpu: get("/prime_api_cpu_median_us")?,
        by_hand_cpu: get("/by_hand_cpu_median_us")?,
        by_hand_wall: get("/by_hand_median_us")?,
    })
}

/// Reads every operation's figures from a criterion directory. `interleaved.json` is
/// optional (older runs, or a bench run in test mode, have none).
pub fn read_rows(criterion: &Path) -> Result<Vec<Row>, String> {
    GROUPS
        .iter()
        .map(|group| {
            let dir = criterion.join(group);
            let interleaved = dir.join("interleaved.json");
            Ok(Row {
                operation: (*group).to_string(),
                generated: read_estimate(&dir.join("prime_api/new/estimates.json"))?,
                by_hand: read_estimate(&dir.join("reqwest_by_hand/new/estimates.json"))?,
                interleaved: if interleaved.is_file() {
                    Some(read_interleaved(&interleaved)?)
                } else {
                    None
                },
            })
        })
        .collect()
}

fn cell(e: &Estimate) -> String {
    format!(
        "{:.2} ({:.2}–{:.2}; σ {:.2})",
        e.mean, e.low, e.high, e.std_dev
    )
}

/// The Markdown section for `rows`.
pub fn render(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Request overhead\n");
    let _ = writeln!(
        out,
        "The generated client (`prime_api::Client`, default settings: 2 retries, documented rate \
         limits respected, neither triggered) against the same request written by hand with \
         reqwest and serde_json (same `reqwest::Client`, same URL and headers, same response \
         type decoded with `serde_json::from_slice`), on loopback. Budget: at most \
         {BUDGET_PERCENT}% slower. Reproduce with `{COMMAND}`.\n"
    );
    means_table(&mut out, rows);
    let interleaved: Vec<(&Row, &Interleaved)> = rows
        .iter()
        .filter_map(|r| r.interleaved.as_ref().map(|i| (r, i)))
        .collect();
    if !interleaved.is_empty() {
        interleaved_table(&mut out, &interleaved);
    }
    out
}

/// Criterion's means per operation, with the verdict on the budget.
fn means_table(out: &mut String, rows: &[Row]) {
    let _ = writeln!(
        out,
        "| operation | generated client (mean, µs) | by hand (mean, µs) | overhead % | within {BUDGET_PERCENT}%? |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---|");
    for row in rows {
        let overhead = row.overhead_percent();
        let (low, high) = row.overhead_range();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {overhead:+.1} ({low:+.1} to {high:+.1}) | {} |",
            row.operation,
            cell(&row.generated),
            cell(&row.by_hand),
            verdict(row),
        );
    }
    let _ = writeln!(
        out,
        "\nMeans with criterion's 95% confidence interval and standard deviation (σ) of the \
         samples; the overhead's range pairs the ends of the two intervals."
    );
}

/// Whether `row` is within the budget.
fn verdict(row: &Row) -> String {
    let overhead = row.overhead_percent();
    // On a shared machine criterion's one-side-then-the-other means swing by tens of
    // percent between runs; the interleaved median (both sides measured in alternation)
    // is stable to about a point, so the verdict is taken from it when it exists.
    match &row.interleaved {
        Some(i) => {
            let paired = (i.ratio[1] - 1.0) * 100.0;
            format!(
                "{} (interleaved median {paired:+.1}%)",
                if paired <= BUDGET_PERCENT {
                    "yes"
                } else {
                    "no"
                }
            )
        }
        None if overhead <= BUDGET_PERCENT => "yes".to_string(),
        None => "no".to_string(),
    }
}

/// The interleaved comparison of the operations that have one.
fn interleaved_table(out: &mut String, interleaved: &[(&Row, &Interleaved)]) {
    let _ = writeln!(
        out,
        "\nCriterion measures one side after the other, so whatever else the machine does \
         in between lands on one side only. The bench therefore also alternates batches of \
         the two sides (order swapped every round) and takes the ratio per round, and \
         records the CPU time of the client side of the process (the server's threads \
         excluded), which waiting for a core does not inflate:\n"
    );
    let _ = writeln!(
        out,
        "| operation | interleaved overhead % (median, quartiles) | client CPU per call, generated / by hand (µs) | extra CPU per call | extra CPU, % of by-hand wall time |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for (row, i) in interleaved {
        let [q1, median, q3] = i.ratio.map(|r| (r - 1.0) * 100.0);
        let extra = i.generated_cpu - i.by_hand_cpu;
        let _ = writeln!(
            out,
            "| `{}` | {median:+.1} ({q1:+.1} to {q3:+.1}; {} rounds of {} calls) | {:.2} / {:.2} | {extra:+.2} µs | {:+.1} |",
            row.operation,
            i.rounds,
            i.calls_per_batch,
            i.generated_cpu,
            i.by_hand_cpu,
            extra / i.by_hand_wall * 100.0,
        );
    }
}

/// Runs the bench and returns the Markdown section. Cargo is `$CARGO` (else `cargo`); the
/// results are read from `$CARGO_TARGET_DIR/criterion` (else `root/target/criterion`), which
/// the bench is pointed at explicitly. The bench's own output goes to stderr.
pub fn run(root: &Path) -> Result<String, String> {
    let criterion = crate::util::target_dir(root).join("criterion");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(COMMAND.split_whitespace().skip(1))
        .current_dir(root)
        // The bench runs in `tests/`; an explicit home keeps a relative target dir from
        // sending criterion's files somewhere else.
        .env("CRITERION_HOME", &criterion)
        .stdout(Stdio::from(std::io::stderr()))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("`{COMMAND}` failed ({status})"));
    }
    Ok(render(&read_rows(&criterion)?))
}

/// The section as `cargo xtask bench` appends it to its report: announced on stderr, and a
/// failure reported in the section itself rather than returned.
pub fn section(root: &Path) -> String {
    eprintln!("== request overhead ({COMMAND})");
    match run(root) {
        Ok(section) => format!("\n{section}"),
        Err(e) => format!("\n## Request overhead\n\nfailed: {e}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimate(mean: f64) -> Estimate {
        Estimate {
            mean,
            low: mean * 0.99,
            high: mean * 1.01,
            std_dev: mean * 0.05,
        }
    }

    #[test]
    fn renders_a_row_per_operation_with_the_verdict() {
        let rows = [
            Row {
                operation: "delete_user_image".into(),
                generated: estimate(52.0),
                by_hand: estimate(50.0),
                interleaved: None,
            },
            Row {
                operation: "list_user_images".into(),
                generated: estimate(110.0),
                by_hand: estimate(100.0),
                interleaved: Some(Interleaved {
                    rounds: 300,
                    calls_per_batch: 50,
                    ratio: [1.0, 1.02, 1.04],
                    generated_cpu: 61.0,
                    by_hand_cpu: 60.0,
                    by_hand_wall: 100.0,
                }),
            },
        ];
        let text = render(&rows);
        assert!(text.starts_with("## Request overhead\n"));
        assert!(text.contains("| `delete_user_image` | 52.00 (51.48–52.52; σ 2.60) | 50.00"));
        assert!(text.contains("| +4.0 (+1.9 to +6.1) | yes |"));
        // With an interleaved comparison the verdict follows it, not criterion's means.
        assert!(text.contains("| +10.0 (+7.8 to +12.2) | yes (interleaved median +2.0%) |"));
        assert!(text.contains("| `list_user_images` | +2.0 (+0.0 to +4.0; 300 rounds of 50 calls) | 61.00 / 60.00 | +1.00 µs | +1.0 |"));
    }

    #[test]
    fn reads_criterion_estimates_in_microseconds() {
        let dir = std::env::temp_dir().join(format!("xtask-overhead-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("estimates.json");
        std::fs::write(
            &path,
            r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":41000.0,"upper_bound":43000.0},"point_estimate":42000.0,"standard_error":500.0},"std_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1000.0,"upper_bound":3000.0},"point_estimate":2000.0,"standard_error":100.0}}"#,
        )
        .unwrap();
        let e = read_estimate(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            e,
            Estimate {
                mean: 42.0,
                low: 41.0,
                high: 43.0,
                std_dev: 2.0
            }
        );
    }
}
