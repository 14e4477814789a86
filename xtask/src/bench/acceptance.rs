//! Which real specs each generator goes through: the PI spec and both corpora, each run
//! once through ours and every peer found. The timed rows already hold the PI spec and the
//! first corpus; this module runs the rest (the second corpus) once each and writes the
//! table.
//!
//! "Goes through" is judged the same way for every generator: the process exits with
//! status 0 within the timeout and writes at least one `.rs` file under its output's
//! `src/`. Whether the peers' output compiles is not checked here (it would take hours);
//! ours is compiled and linted for every spec by `cargo xtask corpus`, which CI runs.

use super::measure::{GenResult, Outcome, SpecRow};
use super::peers::Peer;
use std::fmt::Write as _;

/// Whether a generator's result counts as going through, and the cell that says so.
fn verdict(result: &GenResult) -> (bool, String) {
    match &result.outcome {
        Outcome::Done(_) if result.lines > 0 => (true, "yes".into()),
        Outcome::Done(_) => (false, "**no**: exit 0, but no Rust written".into()),
        // Already one short line, safe in a table cell (`measure::failure_reason`).
        Outcome::Failed(e) => (false, format!("**no**: {e}")),
        Outcome::Skipped(why) => (false, why.clone()),
    }
}

/// Whether a spec row counts: a real spec (not synthetic).
pub(super) fn is_real(row: &SpecRow) -> bool {
    super::synthetic::size(&row.spec).is_none()
}

/// The section: a summary line per generator, then a row per real spec.
pub(super) fn section(r: &mut String, rows: &[&SpecRow], peers: &[(&Peer, bool)]) {
    let found: Vec<(usize, &Peer)> = peers
        .iter()
        .enumerate()
        .filter(|(_, (_, found))| *found)
        .map(|(i, (p, _))| (i, *p))
        .collect();
    let _ = writeln!(
        r,
        "Every real spec here (the PI spec, the corpus and the second corpus, {} in all) \
         run once through each generator, with the same timeout. A generator goes through \
         a spec when it exits with status 0 and writes Rust (at least one `.rs` file under \
         its output's `src/`). Only generation is judged: whether a peer's output compiles \
         is not checked here. Ours is compiled and linted (`clippy -D warnings`) for every \
         one of these specs by `cargo xtask corpus`, which CI runs.\n",
        rows.len()
    );
    let count = |pick: &dyn Fn(&SpecRow) -> &GenResult| {
        rows.iter().filter(|row| verdict(pick(row)).0).count()
    };
    let _ = writeln!(r, "| generator | specs it goes through |");
    let _ = writeln!(r, "|---|---:|");
    let _ = writeln!(
        r,
        "| ours | {} of {} |",
        count(&|row| &row.ours),
        rows.len()
    );
    for (i, peer) in &found {
        let n = count(&|row: &SpecRow| &row.peers[*i]);
        let _ = writeln!(r, "| {} | {n} of {} |", peer.label, rows.len());
    }
    let _ = writeln!(r);
    let mut head = String::from("| spec | ours |");
    let mut rule = String::from("|---|---|");
    for (_, peer) in &found {
        let _ = write!(head, " {} |", peer.label);
        rule.push_str("---|");
    }
    let _ = writeln!(r, "{head}\n{rule}");
    for row in rows {
        let _ = write!(r, "| {} | {} |", row.spec, verdict(&row.ours).1);
        for (i, _) in &found {
            let cell = row
                .peers
                .get(*i)
                .map_or_else(|| "not run".into(), |g| verdict(g).1);
            let _ = write!(r, " {cell} |");
        }
        let _ = writeln!(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::Measured;

    fn done(lines: usize) -> GenResult {
        GenResult {
            outcome: Outcome::Done(Measured::default()),
            lines,
        }
    }

    #[test]
    fn going_through_needs_rust_written() {
        assert!(verdict(&done(10)).0);
        let (ok, cell) = verdict(&done(0));
        assert!(!ok && cell.contains("no Rust written"));
        let failed = GenResult {
            outcome: Outcome::Failed("exit status 1 after 3 ms: Error: bad ref".into()),
            lines: 0,
        };
        let (ok, cell) = verdict(&failed);
        assert!(!ok);
        assert_eq!(cell, "**no**: exit status 1 after 3 ms: Error: bad ref");
    }
}
