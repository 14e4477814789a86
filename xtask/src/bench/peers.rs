//! The generators ours is compared with: how each is run, how its version is found, and
//! its runs on one spec.

use super::measure::{GenResult, Outcome, measure_generation};
use super::options::Options;
use std::path::Path;
use std::process::Command;

/// A generator compared with ours.
pub(super) struct Peer {
    /// The program looked up on `PATH`.
    pub(super) program: &'static str,
    /// The package `cargo install` installs it from (its version is read from there).
    package: &'static str,
    kind: Kind,
    /// How the table names it.
    pub(super) label: &'static str,
    pub(super) install: &'static str,
    /// The command line, as the report shows it.
    pub(super) shown: &'static str,
    /// Synthetic specs above this many operations are not run, and the table says why.
    max_synthetic: Option<(usize, &'static str)>,
    /// The speed-up over this peer an issue asked for, if one did.
    pub(super) target: Option<f64>,
}

/// How a peer's command line is put together.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Progenitor,
    OpenapiGenerator,
    Ploidy,
    Oas3Gen,
    OpenapiToRust,
}

impl Peer {
    /// The command that generates a client for the spec `spec_name` at `spec` into `out`
    /// (a fresh directory; what the peer writes must land under `out/src` to be counted).
    pub(super) fn command(&self, spec_name: &str, spec: &Path, out: &Path) -> Command {
        let mut cmd = Command::new(self.program);
        match self.kind {
            // Run directly rather than through `cargo progenitor`, as our CLI is: cargo's
            // own start-up would be charged to progenitor otherwise.
            Kind::Progenitor => {
                cmd.arg("progenitor")
                    .arg("-i")
                    .arg(spec)
                    .arg("-o")
                    .arg(out)
                    .args(["-n", spec_name, "-v", "0.1.0"]);
            }
            Kind::OpenapiGenerator => {
                cmd.args(["generate", "-g", "rust", "-i"])
                    .arg(spec)
                    .arg("-o")
                    .arg(out);
            }
            Kind::Ploidy => {
                cmd.args(["generate", "rust"])
                    .arg(spec)
                    .arg("-o")
                    .arg(out)
                    .args(["--name", spec_name]);
            }
            Kind::Oas3Gen => {
                // `client` mode: types and the client in one file.
                cmd.args(["generate", "client", "-i"])
                    .arg(spec)
                    .arg("-o")
                    .arg(out.join("src/lib.rs"));
            }
            Kind::OpenapiToRust => {
                // Direct mode (no TOML file): the same spec, output and name a config
                // file would give.
                cmd.arg("generate")
                    .arg(spec)
                    .arg("--output-dir")
                    .arg(out.join("src"))
                    .args(["--module-name", &spec_name.replace('-', "_")]);
            }
        }
        cmd
    }

    /// Whether it is openapi-generator, run through its Python wrapper on Java.
    pub(super) fn runs_on_java(&self) -> bool {
        self.kind == Kind::OpenapiGenerator
    }

    pub(super) fn version(&self) -> String {
        let found = match self.kind {
            Kind::OpenapiGenerator => Command::new(self.program)
                .arg("version")
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .filter(|v| !v.is_empty() && !v.contains('\n')),
            _ => cargo_install_version(self.package),
        };
        found.unwrap_or_else(|| "version unknown".into())
    }
}

const PEERS: [Peer; 5] = [
    Peer {
        program: "cargo-progenitor",
        package: "cargo-progenitor",
        kind: Kind::Progenitor,
        label: "progenitor",
        install: "cargo install --locked cargo-progenitor",
        shown: "cargo-progenitor progenitor -i SPEC -o DIR -n NAME -v 0.1.0",
        max_synthetic: None,
        target: Some(5.0),
    },
    Peer {
        program: "openapi-generator-cli",
        package: "",
        kind: Kind::OpenapiGenerator,
        label: "openapi-generator",
        install: "pip install openapi-generator-cli",
        shown: "openapi-generator-cli generate -g rust -i SPEC -o DIR",
        max_synthetic: Some((
            5_000,
            "not run: too slow and too large at this size (at 5,000 operations a run took about 100 s and 6 GB here when this limit was set)",
        )),
        target: Some(5.0),
    },
    Peer {
        program: "ploidy",
        package: "ploidy",
        kind: Kind::Ploidy,
        label: "ploidy",
        install: "cargo install --locked ploidy",
        shown: "ploidy generate rust SPEC -o DIR --name NAME",
        max_synthetic: None,
        target: None,
    },
    Peer {
        program: "oas3-gen",
        package: "oas3-gen",
        kind: Kind::Oas3Gen,
        label: "oas3-gen",
        install: "cargo install --locked oas3-gen",
        shown: "oas3-gen generate client -i SPEC -o DIR/src/lib.rs",
        max_synthetic: None,
        target: None,
    },
    Peer {
        program: "openapi-to-rust",
        package: "openapi-to-rust",
        kind: Kind::OpenapiToRust,
        label: "openapi-to-rust",
        install: "cargo install --locked openapi-to-rust --features cli",
        shown: "openapi-to-rust generate SPEC --output-dir DIR/src --module-name NAME",
        max_synthetic: None,
        target: None,
    },
];

/// The peer whose generated crate the cost section compiles beside ours.
pub(super) const PROGENITOR: &Peer = &PEERS[0];

/// Every peer, in report order, with whether its program is on `PATH`.
pub(super) fn find() -> Vec<(&'static Peer, bool)> {
    PEERS.iter().map(|p| (p, on_path(p.program))).collect()
}

/// Runs each peer on the spec `name` at `path` (each into `out/<peer>/<name>`), or says
/// why it is not run.
pub(super) fn measure(
    options: &Options,
    peers: &[(&Peer, bool)],
    name: &str,
    path: &Path,
    out: &Path,
    logs: &Path,
) -> Vec<GenResult> {
    let synthetic_size = super::synthetic::size(name);
    peers
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
        .collect()
}

/// `java -version`'s first line (it prints to stderr).
pub(super) fn java_version() -> String {
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
    let out = crate::util::cargo()
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
