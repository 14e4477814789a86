//! Command-line front end (clap): `openapi-client-gen [generate] SPEC -o DIR [...]` writes
//! a complete client crate for a document and reports every problem it found (errors
//! first, then warnings by kind); `openapi-client-gen diff OLD NEW` prints what a new
//! revision of a document changes for the apps using its client. `--help` lists the
//! options, examples and exit statuses.

use clap::{Args, Parser, Subcommand, ValueEnum};
use openapi_client_gen::changes::Class;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Generation allocates and frees many small token streams; mimalloc spends a fraction of
// the system allocator's time on them (see docs/BENCHMARKS.md). Built with `no_thp`: with
// transparent huge pages its arenas fault in 2 MiB at a time, which doubled the peak RSS
// of a small spec (16.4 MB against 7.3 MB on the petstore) and added kernel time that made
// small specs slower, while large specs gained nothing measurable.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const AFTER_HELP: &str = "Examples:
  openapi-client-gen openapi.yaml -o my-client
  openapi-client-gen generate openapi.json -o my-client --crate-name my-api --runtime crate:0.1
  openapi-client-gen openapi.json -o my-client --config openapi-client-gen.toml
  curl -s https://example.com/openapi.json | openapi-client-gen - -o my-client --crate-name my-api
  openapi-client-gen diff old/openapi.json new/openapi.json --fail-on breaking

Exit status:
  0  done (diff: no change of the --fail-on class or higher)
  1  diff found a change of the --fail-on class or higher; or a file could not be written
  2  the command line, a document or a warning under --deny-warnings: nothing is written";

/// Generates an async Rust client crate from an OpenAPI 3.0, 3.1 or 3.2 document.
///
/// Without a command, the arguments are `generate`'s.
#[derive(Parser)]
#[command(
    name = "openapi-client-gen",
    version,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    generate: GenerateArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Writes a client crate for a document (the default command).
    #[command(after_help = AFTER_HELP)]
    Generate(GenerateArgs),
    /// Lists what a new revision of a document changes for the apps using its client,
    /// each change with its semver class (breaking, additive, patch).
    #[command(after_help = AFTER_HELP)]
    Diff(DiffArgs),
}

#[derive(Args)]
struct GenerateArgs {
    /// The OpenAPI document, JSON or YAML; `-` reads it from standard input.
    #[arg(value_name = "SPEC", required = true)]
    spec: Option<PathBuf>,
    /// The directory the crate is written to.
    #[arg(short, long, value_name = "DIR", required = true)]
    out: Option<PathBuf>,
    /// The config file (default: `openapi-client-gen.toml` beside the document, if there
    /// is one): package metadata, default features, warnings denied or allowed.
    #[arg(short, long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The crate's name (default: the config's `package.name`, else the document's file
    /// name in kebab case; `api-client` for standard input).
    #[arg(short = 'n', long, value_name = "NAME")]
    crate_name: Option<String>,
    /// Where the runtime comes from: `embedded` (its source is written into the crate),
    /// `crate:PATH` or `crate:VERSION` (a dependency on openapi-client-runtime).
    #[arg(long, value_name = "RUNTIME", default_value = "embedded", value_parser = parse_runtime)]
    runtime: openapi_client_gen::package::Runtime,
    /// Also write a JSON map of what became what (schemas to types, operations to methods).
    #[arg(long, value_name = "NAMES.json")]
    names: Option<PathBuf>,
    /// List every warning (by default the first few of each kind, and a count).
    #[arg(short, long)]
    verbose: bool,
    /// Treat warnings as errors: write nothing and exit 2 if there are any.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Args)]
struct DiffArgs {
    /// The old revision (JSON or YAML; `-` for standard input).
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The new revision.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// How the report is written.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit 1 when a change of this class or higher is found.
    #[arg(long, value_enum, value_name = "CLASS")]
    fail_on: Option<FailOn>,
    /// The config both revisions are generated with (its selection and names shape the
    /// crate; default: `openapi-client-gen.toml` beside NEW, if there is one).
    #[arg(short, long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Breaking,
    Additive,
    Patch,
}

impl FailOn {
    fn class(self) -> Class {
        match self {
            FailOn::Breaking => Class::Breaking,
            FailOn::Additive => Class::Additive,
            FailOn::Patch => Class::Patch,
        }
    }
}

fn parse_runtime(value: &str) -> Result<openapi_client_gen::package::Runtime, String> {
    openapi_client_gen::package::Runtime::parse(value)
}

/// Warnings of one kind shown without `--verbose`.
const SHOWN_PER_KIND: usize = 3;

/// Exit status for a document that cannot be generated, or a usage error.
const EXIT_INVALID: u8 = 2;

/// A document's bytes: the file, or standard input for `-`.
fn read_document(path: &Path) -> Result<Vec<u8>, String> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// How a document is named in messages.
fn shown(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Diff(args)) => diff(&args),
        Some(Command::Generate(args)) => generate(args),
        None => generate(cli.generate),
    }
}

/// The config a command names, or the one beside `spec`; `Err` is the message.
fn load_config(
    given: Option<&Path>,
    spec: &Path,
) -> Result<openapi_client_gen::config::Config, String> {
    let path = given.map(Path::to_path_buf).or_else(|| {
        (spec != Path::new("-"))
            .then(|| openapi_client_gen::config::Config::beside(spec))
            .flatten()
    });
    let Some(path) = path else {
        return Ok(Default::default());
    };
    let config = openapi_client_gen::config::Config::read(&path, &path.display().to_string())?;
    eprintln!("config: {}", path.display());
    Ok(config)
}

fn diff(args: &DiffArgs) -> ExitCode {
    let config = match load_config(args.config.as_deref(), &args.new) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let mut apis = Vec::new();
    for path in [&args.old, &args.new] {
        let text = match read_document(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_INVALID);
            }
        };
        // Both sides get the same crate name, so names derived from it (environment
        // variables) compare equal.
        match openapi_client_gen::lower_configured(&text, "api", &config) {
            Ok(api) => apis.push(api),
            Err(failure) => {
                for e in &failure.errors {
                    eprintln!("error: {}: {e}", shown(path));
                }
                return ExitCode::from(EXIT_INVALID);
            }
        }
    }
    let report = openapi_client_gen::changes::compare(&apis[0], &apis[1]);
    let text = match args.format {
        Format::Json => report.json(),
        Format::Markdown => report.markdown(),
        Format::Text => report.text(),
    };
    // A reader that stops early (`| head`) is not an error of ours.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    match (args.fail_on, report.class()) {
        (Some(limit), Some(class)) if class >= limit.class() => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    }
}

fn generate(args: GenerateArgs) -> ExitCode {
    // clap requires both when no command is given, and `generate` requires them too.
    let (Some(spec), Some(out)) = (args.spec, args.out) else {
        eprintln!("error: SPEC and --out are required (see --help)");
        return ExitCode::from(EXIT_INVALID);
    };
    let text = match read_document(&spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let config = match load_config(args.config.as_deref(), &spec) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let crate_name = args
        .crate_name
        .clone()
        .or_else(|| config.package.name.as_ref().map(|n| n.get_ref().clone()))
        .unwrap_or_else(|| default_crate_name(&spec));
    if !openapi_client_gen::naming::is_crate_name(&crate_name) {
        eprintln!(
            "error: `{crate_name}` is not a valid crate name (a letter, then letters, digits, `-` or `_`)"
        );
        return ExitCode::from(EXIT_INVALID);
    }
    let settings = openapi_client_gen::Settings {
        marker: format!("openapi-client-gen from {}", file_name(&spec)),
        crate_name,
        runtime: args.runtime.clone(),
        config,
    };
    let generated = match openapi_client_gen::generate(&text, &settings) {
        Ok(g) => g,
        Err(failure) => {
            for e in &failure.errors {
                match e.location {
                    // Located in the config file already.
                    openapi_client_gen::Location::Config(_) => eprintln!("error: {e}"),
                    _ => eprintln!("error: {}: {e}", shown(&spec)),
                }
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
    let files = match openapi_client_gen::package::root_files(&generated, &settings) {
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
    let src = out.join("src");
    let modules = generated
        .files
        .iter()
        .map(|f| (src.join(&f.name), f.contents.as_str()));
    let root = files
        .iter()
        .map(|(path, text)| (out.join(path), text.as_str()));
    for (path, contents) in root.chain(modules) {
        if let Err(e) = write(&path, contents.as_bytes(), &mut dirs) {
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
    if path == Path::new("-") {
        return "standard input".to_string();
    }
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The spec's file stem in kebab case, such as `petstore-swagger-v3`; `api-client` for
/// standard input.
fn default_crate_name(spec: &Path) -> String {
    if spec == Path::new("-") {
        return "api-client".to_string();
    }
    openapi_client_gen::naming::file_stem_name(spec, '-')
}
