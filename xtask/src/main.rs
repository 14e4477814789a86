//! `cargo xtask codegen [--check]`: regenerate the committed client, or check it for drift.

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]\n       cargo xtask corpus [--only NAME]\n       cargo xtask bench";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::workspace_root();
    match args.as_slice() {
        ["codegen"] => match xtask::write(&root) {
            Ok(written) if written.is_empty() => {
                println!("generated client is up to date");
                ExitCode::SUCCESS
            }
            Ok(written) => {
                for path in written {
                    println!("wrote {path}");
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        ["codegen", "--check"] => match xtask::check(&root) {
            Ok(stale) if stale.is_empty() => {
                println!("generated client is up to date");
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                for s in &stale {
                    print!("{}", s.diff);
                }
                let paths: Vec<&str> = stale.iter().map(|s| s.path.as_str()).collect();
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
        },
        ["bench"] => match xtask::bench::run(&root) {
            Ok(report) => {
                println!("{report}");
                let path = root.join("docs/BENCHMARKS.md");
                let written = std::fs::create_dir_all(root.join("docs"))
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
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        ["bench-synthetic", n, path] => match n.parse::<usize>() {
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
        },
        ["corpus", rest @ ..] => {
            let only = match rest {
                [] => None,
                ["--only", name] => Some(*name),
                _ => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            };
            corpus(&root, only)
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn corpus(root: &std::path::Path, only: Option<&str>) -> ExitCode {
    let rows = match xtask::corpus::run(root, only) {
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
