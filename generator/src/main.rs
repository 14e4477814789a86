//! Command-line front end: `openapi-client-gen SPEC --out DIR` writes the client modules.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: openapi-client-gen SPEC --out DIR [--crate-name NAME]";

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let mut spec: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut crate_name: Option<String> = None;
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--out") => out = args.next().map(PathBuf::from),
            Some("--crate-name") => crate_name = args.next().and_then(|a| a.into_string().ok()),
            Some("-h" | "--help") => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if spec.is_none() => spec = Some(PathBuf::from(arg)),
            _ => {
                eprintln!("unexpected argument {arg:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(spec), Some(out)) = (spec, out) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read(&spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", spec.display());
            return ExitCode::from(2);
        }
    };
    let settings = openapi_client_gen::Settings {
        marker: format!("openapi-client-gen from {}", spec.display()),
        crate_name: crate_name.unwrap_or_else(|| "api-client".to_string()),
    };
    let generated = match openapi_client_gen::generate(&text, &settings) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {}: {e}", spec.display());
            return ExitCode::from(2);
        }
    };
    for w in &generated.warnings {
        eprintln!("{w}");
    }
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("error: cannot create {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    for file in &generated.files {
        let path = out.join(file.name);
        if let Err(e) = std::fs::write(&path, &file.contents) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
