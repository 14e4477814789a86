//! `cargo xtask codegen [--check]`: regenerate the committed client, or check it for drift;
//! `cargo xtask corpus`: check every spec's generated crate; `cargo xtask bench`: measure.

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask corpus [--only NAME] [--all] [--formats jiff|time|chrono]
         every spec's crate with clippy (warnings denied) and its examples decoded; the five
         specs with the most operations and the groups fixture also with no group feature
         and with three single groups (fixed seed); --all: every group of every spec;
         --formats: every spec with every typed format (dates and times from that library)
       cargo xtask conform [--only NAME[,NAME]] [--all]
         every operation of the generated client called against Prism (tools/prism, `npm ci
         --prefix tools/prism` first) in static and dynamic mode: requests accepted, responses
         decoded or documented errors; default: the PI spec and the features fixture
       cargo xtask pagination [--write|--check]
         per spec: operations, lists, streams by pagination convention, `not-paginated`
         warnings; --write puts the table into docs/PAGINATION.md, --check fails if it differs
       cargo xtask readme
         runs README.md's \"Generate a client for your own API\" as written (install, generate,
         an app on the crate's mock server) in a temporary directory
       cargo xtask snapshots --referenced FILE
         fails on snapshot files that a test run with INSTA_SNAPSHOT_REFERENCES_FILE=FILE did not read
       cargo xtask fuzz-compile [--seed S] [--count N] [--start I] [--batch K] [--no-shrink]
         draws N random valid documents (seeded), checks each one's generated code with
         clippy (warnings denied) in batch crates, and shrinks every failure
       cargo xtask bench [--only NAME[,NAME...]] [--runs N] [--peer-runs N] [--cost-runs N] [--no-peers] [--no-cost] [--no-overhead] [--out FILE]
         --only: exact spec names (prime-intellect, corpus file stems, synthetic-1000, ...)
         --runs: runs of our CLI per spec (5); --peer-runs: of each peer (3);
         --cost-runs: timed cargo check/build runs per generated crate (3)
         --no-peers: no peer generation runs (the cost section still builds progenitor's crate)
         --no-cost: no generated-code cost section
         --no-overhead: no request-overhead benchmark (criterion, about 2 minutes)
         --out FILE: write the report there; without it a full run writes docs/BENCHMARKS.md
           and a partial run (any option but --out) writes nothing, only prints
       cargo xtask history [--only API[,API]] [--last N] [--no-semver-checks] [--verbose] [--write]
         the change report for every consecutive pair of revisions in specs/history/, each
         class checked against cargo-semver-checks (installed at a pinned version) on the two
         generated crates; exits 1 if ours is less strict on any pair; --write puts the
         table into docs/HISTORY.md
       cargo xtask bench-groups [--runs N] [--write]
         one group's build against the whole crate (GitHub's `issues`, the median group of
         the largest other giant specs by tag and by path), and the five largest crates'
         whole builds against the generator of an older commit; --write puts the section
         into docs/BENCHMARKS.md";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::workspace_root();
    match args.as_slice() {
        ["codegen"] => codegen(&root),
        ["codegen", "--check"] => codegen_check(&root),
        ["bench", rest @ ..] => match xtask::bench::Options::parse(rest) {
            Ok(options) => bench(&root, &options),
            Err(e) => {
                eprintln!("error: {e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["bench-synthetic", n, path] => bench_synthetic(n, path),
        ["conform", rest @ ..] => match xtask::conform::Options::parse(rest) {
            Ok(options) => match xtask::conform::run(&root, &options) {
                Ok((report, ok)) => {
                    print!("{report}");
                    if ok {
                        ExitCode::SUCCESS
                    } else {
                        eprintln!("error: some calls did not conform");
                        ExitCode::FAILURE
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("error: {e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["pagination", rest @ ..]
            if rest.is_empty() || rest == ["--write"] || rest == ["--check"] =>
        {
            match xtask::pagination::run(&root) {
                Ok(table) if rest == ["--check"] => {
                    let page = format!("{}{table}", xtask::pagination::PREAMBLE);
                    let committed = std::fs::read_to_string(root.join("docs/PAGINATION.md"))
                        .unwrap_or_default();
                    if committed == page {
                        println!("docs/PAGINATION.md is up to date");
                        ExitCode::SUCCESS
                    } else {
                        eprintln!(
                            "error: docs/PAGINATION.md is out of date: run `cargo xtask pagination --write` and commit"
                        );
                        ExitCode::FAILURE
                    }
                }
                Ok(table) => {
                    println!("{table}");
                    if rest == ["--write"] {
                        let page = format!("{}{table}", xtask::pagination::PREAMBLE);
                        if let Err(e) = std::fs::write(root.join("docs/PAGINATION.md"), page) {
                            eprintln!("error: cannot write docs/PAGINATION.md: {e}");
                            return ExitCode::FAILURE;
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        ["history", rest @ ..] => match xtask::history::Options::parse(rest) {
            Ok(options) => match xtask::history::run(&root, &options) {
                Ok((table, ok)) => {
                    println!("{table}");
                    if ok {
                        ExitCode::SUCCESS
                    } else {
                        eprintln!(
                            "error: on some pair our class is less strict than cargo-semver-checks'"
                        );
                        ExitCode::FAILURE
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("error: {e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["bench-groups", rest @ ..] => match xtask::bench::groups::GroupOptions::parse(rest) {
            Ok(options) => match xtask::bench::groups::run(&root, &options) {
                Ok(report) => {
                    println!("{report}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("error: {e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["fuzz-compile", rest @ ..] => match xtask::fuzz::Options::parse(rest) {
            Ok(options) => fuzz_compile(&root, &options),
            Err(e) => {
                eprintln!("error: {e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["snapshots", "--referenced", file] => snapshots(&root, file),
        ["readme"] => match xtask::readme::check(&root) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        ["corpus", rest @ ..] => {
            let mut only = None;
            let mut subsets = xtask::corpus::Subsets::Sample;
            let mut formats = None;
            let mut rest = rest;
            loop {
                match rest {
                    [] => break,
                    ["--only", name, more @ ..] => {
                        only = Some(*name);
                        rest = more;
                    }
                    ["--all", more @ ..] => {
                        subsets = xtask::corpus::Subsets::All;
                        rest = more;
                    }
                    [
                        "--formats",
                        library @ ("jiff" | "time" | "chrono"),
                        more @ ..,
                    ] => {
                        formats = Some(*library);
                        rest = more;
                    }
                    _ => {
                        eprintln!("{USAGE}");
                        return ExitCode::from(2);
                    }
                }
            }
            corpus(&root, only, subsets, formats)
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Prints each versioned crate's change report and the version it calls for.
fn print_releases(releases: &[xtask::Release], check: bool) {
    for r in releases {
        if r.report.class().is_none() {
            continue;
        }
        println!("{}: {}", r.crate_name, r.report.text().trim_end());
        if check {
            println!(
                "\n{} needs a {} release: {} -> {}\n",
                r.crate_name,
                r.report.class().map_or("", |c| c.as_str()),
                r.from,
                r.to
            );
        } else {
            println!("\n{}: version {} -> {}\n", r.crate_name, r.from, r.to);
        }
    }
}

/// Regenerates the committed client.
fn codegen(root: &std::path::Path) -> ExitCode {
    match xtask::write(root) {
        Ok(written) => {
            print_releases(&written.releases, false);
            if written.paths.is_empty() {
                println!("generated client is up to date");
            }
            for path in written.paths {
                println!("wrote {path}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Checks the committed client for drift: the change report, then the diff of each stale
/// file.
fn codegen_check(root: &std::path::Path) -> ExitCode {
    match xtask::check(root) {
        Ok(drift) if drift.stale.is_empty() => {
            println!("generated client is up to date");
            ExitCode::SUCCESS
        }
        Ok(drift) => {
            print_releases(&drift.releases, true);
            for s in &drift.stale {
                print!("{}", s.diff);
            }
            let paths: Vec<&str> = drift.stale.iter().map(|s| s.path.as_str()).collect();
            eprintln!(
                "error: {} is stale; run `{}` and commit",
                paths.join(", "),
                xtask::CODEGEN_COMMAND
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the synthetic spec of `n` operations to `path` (run by `bench` as a child).
fn bench_synthetic(n: &str, path: &str) -> ExitCode {
    match n.parse::<usize>() {
        Ok(n) => match xtask::bench::write_synthetic(n, std::path::Path::new(path)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Err(_) => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Fails on snapshot files no test read (`INSTA_SNAPSHOT_REFERENCES_FILE` of a test run).
fn snapshots(root: &std::path::Path, file: &str) -> ExitCode {
    match xtask::snapshots::unreferenced(root, std::path::Path::new(file)) {
        Ok(orphans) if orphans.is_empty() => {
            println!("every snapshot is referenced by a test");
            ExitCode::SUCCESS
        }
        Ok(orphans) => {
            for o in &orphans {
                eprintln!("error: no test reads {o}; delete it or restore its test");
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Draws random documents, checks their generated code, and prints what failed.
fn fuzz_compile(root: &std::path::Path, options: &xtask::fuzz::Options) -> ExitCode {
    match xtask::fuzz::run(root, options) {
        Ok(report) => {
            print!("{}", xtask::fuzz::summary(options, &report));
            if report.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn corpus(
    root: &std::path::Path,
    only: Option<&str>,
    subsets: xtask::corpus::Subsets,
    formats: Option<&str>,
) -> ExitCode {
    let rows = match xtask::corpus::run(root, only, subsets, formats) {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for r in &rows {
        if let Err(e) = &r.check {
            eprintln!("\n{} does not compile:\n{e}", r.spec);
        }
        for f in &r.example_failures {
            eprintln!("{}: {f}", r.spec);
        }
    }
    println!("{}", xtask::corpus::table(&rows));
    let failed = rows
        .iter()
        .filter(|r| r.check.is_err() || r.examples_ok != r.examples_total)
        .count();
    if failed == 0 {
        println!("all {} specs compile and decode their examples", rows.len());
        ExitCode::SUCCESS
    } else {
        eprintln!("error: {failed} of {} specs fail", rows.len());
        ExitCode::FAILURE
    }
}

/// Runs the benchmark and prints the report. A full run writes it to `docs/BENCHMARKS.md`
/// (or `--out FILE`); a partial run writes it only to `--out FILE`.
fn bench(root: &std::path::Path, options: &xtask::bench::Options) -> ExitCode {
    let report = match xtask::bench_report(root, options) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{report}");
    let path = match &options.out {
        Some(out) => out.clone(),
        None if options.is_partial() => {
            eprintln!(
                "partial run: {} left as it was (add --out FILE to keep this report)",
                xtask::bench::REPORT
            );
            return ExitCode::SUCCESS;
        }
        None => root.join(xtask::bench::REPORT),
    };
    let written = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    }
    .and_then(|()| std::fs::write(&path, &report));
    match written {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}
