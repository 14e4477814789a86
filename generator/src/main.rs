//! Command-line front end: `openapi-client-gen SPEC --out DIR [--crate-name NAME]
//! [--names NAMES.json]` writes a complete client crate for a spec.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Generation allocates and frees many small token streams; mimalloc spends a fraction of
// the system allocator's time on them (see docs/BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str =
    "usage: openapi-client-gen SPEC --out DIR [--crate-name NAME] [--names NAMES.json]";

/// Exit status for a spec that cannot be generated, or a usage error.
const EXIT_INVALID: u8 = 2;

struct Args {
    spec: PathBuf,
    out: PathBuf,
    crate_name: Option<String>,
    names: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args_os().skip(1);
    let (mut spec, mut out, mut crate_name, mut names) = (None, None, None, None);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.to_str() {
            Some("--out") => out = Some(PathBuf::from(value("--out")?)),
            Some("--names") => names = Some(PathBuf::from(value("--names")?)),
            Some("--crate-name") => {
                let v = value("--crate-name")?;
                crate_name = Some(
                    v.into_string()
                        .map_err(|_| "--crate-name must be UTF-8".to_string())?,
                );
            }
            Some("-h" | "--help") => return Err(String::new()),
            Some(flag) if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ if spec.is_none() => spec = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    match (spec, out) {
        (Some(spec), Some(out)) => Ok(Args {
            spec,
            out,
            crate_name,
            names,
        }),
        _ => Err("SPEC and --out are required".into()),
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let text = match std::fs::read(&args.spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.spec.display());
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let crate_name = args
        .crate_name
        .clone()
        .unwrap_or_else(|| default_crate_name(&args.spec));
    let valid = crate_name.starts_with(|c: char| c.is_ascii_alphabetic())
        && crate_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        eprintln!(
            "error: `{crate_name}` is not a valid crate name (a letter, then letters, digits, `-` or `_`)"
        );
        return ExitCode::from(EXIT_INVALID);
    }
    let settings = openapi_client_gen::Settings {
        marker: format!("openapi-client-gen from {}", file_name(&args.spec)),
        crate_name,
    };
    let generated = match openapi_client_gen::generate(&text, &settings) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {}: {e}", args.spec.display());
            return ExitCode::from(EXIT_INVALID);
        }
    };
    for w in &generated.warnings {
        eprintln!("{w}");
    }
    let files = match openapi_client_gen::emit::crate_files(&generated, &settings) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: internal: emitted code does not parse: {e}");
            return ExitCode::FAILURE;
        }
    };
    for (path, contents) in files {
        if let Err(e) = write(&args.out.join(path), contents.as_bytes()) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    if let Some(names) = &args.names {
        let map = openapi_client_gen::emit::names_map(&generated.api);
        let text = serde_json::to_string_pretty(&map).unwrap_or_default() + "\n";
        if let Err(e) = write(names, text.as_bytes()) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The spec's file stem in kebab case, such as `petstore-swagger-v3`.
fn default_crate_name(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-').to_string();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        Some(_) => format!("api-{name}"),
        None => "api-client".to_string(),
    }
}
