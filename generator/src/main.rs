//! Command-line front end: `openapi-client-gen SPEC --out DIR [--crate-name NAME]
//! [--runtime embedded|crate:PATH|crate:VERSION] [--names NAMES.json] [--verbose]
//! [--deny-warnings]` writes a complete client crate for a
//! spec and reports every problem it found: errors first, then warnings by kind.
//! `openapi-client-gen diff OLD NEW [--format text|markdown|json] [--fail-on CLASS]`
//! prints what a new revision of a document changes for the apps using its client.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Generation allocates and frees many small token streams; mimalloc spends a fraction of
// the system allocator's time on them (see docs/BENCHMARKS.md). Built with `no_thp`: with
// transparent huge pages its arenas fault in 2 MiB at a time, which doubled the peak RSS
// of a small spec (16.4 MB against 7.3 MB on the petstore) and added kernel time that made
// small specs slower, while large specs gained nothing measurable.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: openapi-client-gen SPEC --out DIR [--crate-name NAME] [--runtime RUNTIME] [--names NAMES.json] [--verbose] [--deny-warnings]
       openapi-client-gen diff OLD NEW [--format text|markdown|json] [--fail-on breaking|additive|patch]
  --runtime        `embedded` (default: the runtime's source is written into the crate),
                   `crate:PATH` or `crate:VERSION` (the crate depends on openapi-client-runtime)
  --verbose        list every warning (by default the first few of each kind, and a count)
  --deny-warnings  treat warnings as errors: write nothing and exit 2 if there are any
  diff             lists what NEW changes for apps using OLD's client, each change with its
                   semver class (breaking, additive, patch) and the version bump it needs;
                   --fail-on exits 1 when a change of that class or higher is found";

/// Warnings of one kind shown without `--verbose`.
const SHOWN_PER_KIND: usize = 3;

/// Exit status for a spec that cannot be generated, or a usage error.
const EXIT_INVALID: u8 = 2;

struct Args {
    spec: PathBuf,
    out: PathBuf,
    crate_name: Option<String>,
    runtime: openapi_client_gen::package::Runtime,
    names: Option<PathBuf>,
    verbose: bool,
    deny_warnings: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args_os().skip(1);
    let (mut spec, mut out, mut crate_name, mut names) = (None, None, None, None);
    let (mut verbose, mut deny_warnings) = (false, false);
    let mut runtime = openapi_client_gen::package::Runtime::Embedded;
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
            Some("--runtime") => {
                let v = value("--runtime")?;
                let v = v.to_str().ok_or("--runtime must be UTF-8")?;
                runtime = openapi_client_gen::package::Runtime::parse(v)?;
            }
            Some("-v" | "--verbose") => verbose = true,
            Some("--deny-warnings") => deny_warnings = true,
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
            runtime,
            names,
            verbose,
            deny_warnings,
        }),
        _ => Err("SPEC and --out are required".into()),
    }
}

/// `diff OLD NEW [--format F] [--fail-on CLASS]`.
fn diff(mut args: impl Iterator<Item = std::ffi::OsString>) -> Result<ExitCode, String> {
    use openapi_client_gen::changes::Class;
    let (mut paths, mut format, mut fail_on) = (Vec::new(), "text".to_string(), None);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--format") => {
                let v = args.next().ok_or("--format needs a value")?;
                format = v.to_str().ok_or("--format must be UTF-8")?.to_string();
                if !["text", "markdown", "json"].contains(&format.as_str()) {
                    return Err(format!(
                        "--format takes text, markdown or json, not `{format}`"
                    ));
                }
            }
            Some("--fail-on") => {
                let v = args.next().ok_or("--fail-on needs a value")?;
                fail_on = Some(match v.to_str() {
                    Some("breaking") => Class::Breaking,
                    Some("additive") => Class::Additive,
                    Some("patch") => Class::Patch,
                    _ => {
                        return Err(format!(
                            "--fail-on takes breaking, additive or patch, not {v:?}"
                        ));
                    }
                });
            }
            Some("-h" | "--help") => return Err(String::new()),
            Some(flag) if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let [old, new] = &paths[..] else {
        return Err("diff takes two documents: OLD NEW".into());
    };
    let mut apis = Vec::new();
    for path in [old, new] {
        let text =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        // Both sides get the same crate name, so names derived from it (environment
        // variables) compare equal.
        match openapi_client_gen::lower_only(&text, "api") {
            Ok(api) => apis.push(api),
            Err(failure) => {
                let errors: Vec<String> = failure
                    .errors
                    .iter()
                    .map(|e| format!("{}: {e}", path.display()))
                    .collect();
                return Err(errors.join("\n"));
            }
        }
    }
    let report = openapi_client_gen::changes::compare(&apis[0], &apis[1]);
    let text = match format.as_str() {
        "json" => report.json(),
        "markdown" => report.markdown(),
        _ => report.text(),
    };
    // A reader that stops early (`| head`) is not an error of ours.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    Ok(match (fail_on, report.class()) {
        (Some(limit), Some(class)) if class >= limit => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    })
}

fn main() -> ExitCode {
    if std::env::args_os().nth(1).is_some_and(|a| a == "diff") {
        return match diff(std::env::args_os().skip(2)) {
            Ok(code) => code,
            Err(e) if e.is_empty() => {
                println!("{USAGE}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}\n{USAGE}");
                ExitCode::from(EXIT_INVALID)
            }
        };
    }
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
        runtime: args.runtime.clone(),
    };
    let generated = match openapi_client_gen::generate(&text, &settings) {
        Ok(g) => g,
        Err(failure) => {
            for e in &failure.errors {
                eprintln!("error: {}: {e}", args.spec.display());
            }
            report_warnings(&failure.warnings, args.verbose);
            return ExitCode::from(EXIT_INVALID);
        }
    };
    report_warnings(&generated.warnings, args.verbose);
    if args.deny_warnings && !generated.warnings.is_empty() {
        eprintln!(
            "error: {} warnings and --deny-warnings; nothing written",
            generated.warnings.len()
        );
        return ExitCode::from(EXIT_INVALID);
    }
    let files = match openapi_client_gen::package::crate_files(&generated, &settings) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: internal: emitted code does not parse: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "{}",
        openapi_client_gen::package::grouping_summary(&generated.api)
    );
    let mut dirs = std::collections::HashSet::new();
    for (path, contents) in files {
        if let Err(e) = write(&args.out.join(path), contents.as_bytes(), &mut dirs) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    if let Some(names) = &args.names {
        let map = openapi_client_gen::package::names_map(&generated.api);
        let text = serde_json::to_string_pretty(&map).unwrap_or_default() + "\n";
        if let Err(e) = write(names, text.as_bytes(), &mut dirs) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// Prints warnings grouped by kind: all of them with `verbose`, else the first few of each
/// kind; then one line per kind with its count.
fn report_warnings(warnings: &[openapi_client_gen::Warning], verbose: bool) {
    use openapi_client_gen::WarningKind;
    if warnings.is_empty() {
        return;
    }
    let mut counts = Vec::new();
    for kind in WarningKind::ALL {
        let of_kind: Vec<_> = warnings.iter().filter(|w| w.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let shown = if verbose {
            of_kind.len()
        } else {
            of_kind.len().min(SHOWN_PER_KIND)
        };
        for w in &of_kind[..shown] {
            eprintln!("{w}");
        }
        if shown < of_kind.len() {
            eprintln!(
                "warning[{kind}]: … and {} more (--verbose lists them all)",
                of_kind.len() - shown
            );
        }
        counts.push(format!("{} {kind}", of_kind.len()));
    }
    eprintln!("{} warnings: {}", warnings.len(), counts.join(", "));
}

/// Writes a file, creating its directory the first time one of `dirs` is seen (a crate
/// has a dozen files or more in a few directories; asking for each directory again is
/// a failed `mkdir` and a `stat` per file).
fn write(
    path: &Path,
    bytes: &[u8],
    dirs: &mut std::collections::HashSet<std::path::PathBuf>,
) -> Result<(), String> {
    if let Some(dir) = path.parent()
        && !dirs.contains(dir)
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        dirs.insert(dir.to_path_buf());
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
