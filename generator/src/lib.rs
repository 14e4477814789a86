//! Generates idiomatic async Rust clients from OpenAPI 3.0, 3.1 and 3.2 documents.
//!
//! The pipeline has three stages: load (text → typed model, 3.1 normalised), lower
//! (model → [`ir::Api`]) and emit (IR → formatted Rust); [`package`] makes a crate of the
//! result. [`generate`] runs the three stages; with [`Settings`], the IR, the diagnostics
//! types and [`package`] it is the library's interface.

pub mod build;
pub mod changes;
pub mod config;
pub mod error;
pub mod ir;
pub mod package;

// The stages and the naming rules are not part of the interface: they are public only so
// the workspace's tests can drive a stage on its own (snapshots of one item, mutated
// documents fed straight to lowering).
#[doc(hidden)]
pub mod emit;
#[doc(hidden)]
pub mod lower;
#[doc(hidden)]
pub mod naming;
#[doc(hidden)]
pub mod spec;

pub use error::{Diagnostics, Error, Failure, Location, Warning, WarningKind};

/// What a generation run produced.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The client's module files, relative to the crate's `src/`.
    pub files: Vec<emit::File>,
    /// Constructs represented less precisely than the spec states, with their pointers.
    pub warnings: Vec<Warning>,
    /// The IR the files were emitted from.
    pub api: ir::Api,
}

/// What a generation run is told besides the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Names the command that generated the files; it appears in each file's first line.
    pub marker: String,
    /// Name of the crate the client lives in (for `from_env`'s variable names).
    pub crate_name: String,
    /// Where the crate's runtime comes from.
    pub runtime: package::Runtime,
    /// The config file's choices ([`config::Config::default`]: none).
    pub config: config::Config,
}

/// Loads and lowers a spec without emitting anything: the IR [`changes::compare`] reads.
/// Fails as [`generate`] does; warnings are dropped (generation reports them).
pub fn lower_only(spec_text: &[u8], crate_name: &str) -> Result<ir::Api, Failure> {
    lower_configured(spec_text, crate_name, &config::Config::default())
}

/// [`lower_only`] with a config's choices (selection, names), so the IR is the one a
/// crate generated with that config has: what `diff --config` and codegen's change report
/// compare. A rule or name of the config that matches nothing in this revision is not an
/// error here: the config follows the newest revision, and an older one may lack what it
/// names (the rule simply applies to nothing).
pub fn lower_configured(
    spec_text: &[u8],
    crate_name: &str,
    config: &config::Config,
) -> Result<ir::Api, Failure> {
    let mut diags = Diagnostics::default();
    let Some(spec) = spec::load(spec_text, &mut diags) else {
        return Err(diags.into_failure());
    };
    let api = lower::lower(&spec, crate_name, config, &mut diags);
    diags
        .errors
        .retain(|e| !matches!(e.location, error::Location::Config(_)));
    if !diags.errors.is_empty() {
        return Err(diags.into_failure());
    }
    Ok(api)
}

/// Generates the client modules for a spec. Fails only for a document that cannot become a
/// client at all (not JSON or YAML, not an object, not OpenAPI 3.x); everything else
/// degrades with a warning.
pub fn generate(spec_text: &[u8], settings: &Settings) -> Result<Generated, Failure> {
    let mut diags = Diagnostics::default();
    let Some(spec) = spec::load(spec_text, &mut diags) else {
        return Err(diags.into_failure());
    };
    let api = lower::lower(&spec, &settings.crate_name, &settings.config, &mut diags);
    // Lowering refuses nothing in the document; its errors are the config's.
    if !diags.errors.is_empty() {
        return Err(diags.into_failure());
    }
    let files = match emit::files(&api, &settings.marker) {
        Ok(files) => package::module_files(files, settings),
        Err(e) => {
            diags.error(Error::at(
                "#",
                format!("internal error: emitted code does not parse: {e}"),
            ));
            return Err(diags.into_failure());
        }
    };
    // A part copied to several places repeats its warnings word for word; once is enough.
    // The config may silence kinds, or deny them: each denied warning is an error at its
    // pointer, and nothing is generated.
    let mut seen = std::collections::BTreeSet::new();
    let warnings: Vec<Warning> = diags
        .warnings
        .into_iter()
        .filter(|w| seen.insert((w.kind, w.pointer.clone(), w.message.clone())))
        .filter(|w| settings.config.reports(w.kind))
        .collect();
    let mut errors: Vec<Error> = warnings
        .iter()
        .filter(|w| settings.config.denies(w.kind))
        .map(|w| {
            Error::at(
                w.pointer.clone(),
                format!("{} (warning[{}], denied by the config)", w.message, w.kind),
            )
        })
        .collect();
    errors.extend(
        settings
            .config
            .check(&package::feature_names(&api, &settings.runtime)),
    );
    if !errors.is_empty() {
        return Err(Failure { errors, warnings });
    }
    Ok(Generated {
        files,
        warnings,
        api,
    })
}
