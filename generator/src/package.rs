//! Packaging: how the emitted modules become a crate. The runtime (written into the crate
//! as its `runtime` module, or named as a dependency), `Cargo.toml`, and the `--names` map.
//! Nothing here looks at the spec; it reads the IR and [`Settings`].

use crate::Settings;
use crate::emit::File;
use crate::ir::Api;

/// The runtime crate's source. It is written into every crate generated with
/// [`Runtime::Embedded`], less its unit-test module (see [`runtime_module`]).
const RUNTIME_SOURCE: &str = include_str!("../../runtime/src/lib.rs");

/// The runtime crate's other modules, as (path in a generated crate's `src/`, source). A
/// crate written by [`Runtime::Embedded`] has them under `src/runtime/`, beside
/// `src/runtime.rs`; a test checks the list against `runtime/src/`.
const RUNTIME_MODULES: &[(&str, &str)] = &[
    ("runtime/auth.rs", include_str!("../../runtime/src/auth.rs")),
    (
        "runtime/error.rs",
        include_str!("../../runtime/src/error.rs"),
    ),
    (
        "runtime/events.rs",
        include_str!("../../runtime/src/events.rs"),
    ),
    ("runtime/form.rs", include_str!("../../runtime/src/form.rs")),
    (
        "runtime/formats.rs",
        include_str!("../../runtime/src/formats.rs"),
    ),
    (
        "runtime/hooks.rs",
        include_str!("../../runtime/src/hooks.rs"),
    ),
    ("runtime/mock.rs", include_str!("../../runtime/src/mock.rs")),
    (
        "runtime/object.rs",
        include_str!("../../runtime/src/object.rs"),
    ),
    (
        "runtime/observe.rs",
        include_str!("../../runtime/src/observe.rs"),
    ),
    (
        "runtime/pages.rs",
        include_str!("../../runtime/src/pages.rs"),
    ),
    (
        "runtime/redirect.rs",
        include_str!("../../runtime/src/redirect.rs"),
    ),
    (
        "runtime/upload.rs",
        include_str!("../../runtime/src/upload.rs"),
    ),
];

/// The runtime's support for each typed-format library, as (library, path in a generated
/// crate's `src/`, source): a crate that embeds the runtime gets the files of the libraries
/// its config chose (see [`formats_module`]); a test checks the list against
/// `runtime/src/formats/`.
const FORMAT_MODULES: &[(&str, &str, &str)] = &[
    (
        "base64",
        "runtime/formats/with_base64.rs",
        include_str!("../../runtime/src/formats/with_base64.rs"),
    ),
    (
        "chrono",
        "runtime/formats/with_chrono.rs",
        include_str!("../../runtime/src/formats/with_chrono.rs"),
    ),
    (
        "jiff",
        "runtime/formats/with_jiff.rs",
        include_str!("../../runtime/src/formats/with_jiff.rs"),
    ),
    (
        "rust_decimal",
        "runtime/formats/with_rust_decimal.rs",
        include_str!("../../runtime/src/formats/with_rust_decimal.rs"),
    ),
    (
        "time",
        "runtime/formats/with_time.rs",
        include_str!("../../runtime/src/formats/with_time.rs"),
    ),
    (
        "url",
        "runtime/formats/with_url.rs",
        include_str!("../../runtime/src/formats/with_url.rs"),
    ),
    (
        "uuid",
        "runtime/formats/with_uuid.rs",
        include_str!("../../runtime/src/formats/with_uuid.rs"),
    ),
];

/// The runtime's `formats` module as a crate that embeds it has it: each library's
/// `#[cfg(feature = "LIB")] mod with_LIB;` declared without its `cfg` when the config chose
/// the library (the crate depends on it outright, and has no such feature), left out
/// otherwise.
pub fn formats_module(source: &str, libraries: &[&str]) -> String {
    let mut out = String::with_capacity(source.len());
    let mut lines = source.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let gated = line
            .trim_end()
            .strip_prefix("#[cfg(feature = \"")
            .and_then(|r| r.strip_suffix("\")]"));
        let declares = |library: &str, next: Option<&&str>| {
            next.is_some_and(|n| n.trim_end() == format!("mod with_{library};"))
        };
        match gated {
            Some(library) if declares(library, lines.peek()) => {
                let declaration = lines.next().unwrap_or_default();
                if libraries.contains(&library) {
                    out.push_str(declaration);
                }
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// The runtime crate's manifest, whose `[dependencies]` section is the one list of what a
/// generated crate depends on (see [`dependencies`]).
const RUNTIME_MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// The declaration that ends the runtime's source and that a generated crate leaves out: its
/// tests live beside the runtime crate, not in every client.
const TEST_MODULE: &str = "\n// Unit tests of the pieces above. The generator leaves this declaration out when it writes\n// the runtime into a crate (see `package::runtime_source`).\n#[cfg(test)]\nmod tests;\n";

/// Name of the runtime crate, for [`Runtime::Crate`].
pub const RUNTIME_CRATE: &str = "openapi-client-runtime";

/// Where a generated crate gets its runtime from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Runtime {
    /// The runtime's source is written into the crate as `src/runtime.rs`: the crate builds
    /// on its own and depends on no particular release of the runtime.
    #[default]
    Embedded,
    /// The crate depends on the runtime crate; the value is the dependency's Cargo.toml
    /// table, such as `{ path = "../runtime", default-features = false }`.
    Crate(String),
}

impl Runtime {
    /// Parses the CLI's `--runtime` value: `embedded`, `crate:PATH` (a directory) or
    /// `crate:VERSION` (a version requirement such as `0.1` or `=0.1.0`).
    pub fn parse(value: &str) -> Result<Runtime, String> {
        if value == "embedded" {
            return Ok(Runtime::Embedded);
        }
        let Some(target) = value
            .strip_prefix("crate:")
            .filter(|t| !t.trim().is_empty())
        else {
            return Err(format!(
                "--runtime takes `embedded`, `crate:PATH` or `crate:VERSION`, not `{value}`"
            ));
        };
        let is_version = target
            .trim_start_matches(['=', '^', '~', '<', '>'])
            .starts_with(|c: char| c.is_ascii_digit());
        let toml_string = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        // Without its default features: the TLS backend is the generated crate's choice,
        // made through its own features (see [`features`]).
        let key = if is_version { "version" } else { "path" };
        Ok(Runtime::Crate(format!(
            "{{ {key} = {}, default-features = false }}",
            toml_string(target)
        )))
    }
}

/// The runtime's source as a module of a generated crate: the crate's file less its
/// unit-test module.
pub fn runtime_module() -> &'static str {
    RUNTIME_SOURCE
        .strip_suffix(TEST_MODULE)
        .unwrap_or(RUNTIME_SOURCE)
}

/// The lines of the runtime's source that declare and re-export its `formats` module.
const FORMATS_LINES: [&str; 2] = [
    "mod formats;\n",
    "pub use formats::{AsWire, Format, FromWire, Wire, additional_wire, field_wire, format_text};\n",
];

/// The runtime's source as a crate embeds it: [`runtime_module`], less its `formats`
/// module when the config chose no typed format (no generated code calls it, so the crate
/// neither writes nor compiles it).
pub fn embedded_runtime(libraries: &[&str]) -> std::borrow::Cow<'static, str> {
    let module = runtime_module();
    if !libraries.is_empty() {
        return std::borrow::Cow::Borrowed(module);
    }
    let mut text = module.to_string();
    for line in FORMATS_LINES {
        text = text.replacen(line, "", 1);
    }
    std::borrow::Cow::Owned(text)
}

/// Dependencies of a generated crate, as Cargo.toml lines: the runtime crate's own
/// `[dependencies]` section. `generated/Cargo.toml` lists the same lines; a test keeps the
/// two in step.
pub fn dependencies() -> &'static str {
    manifest_section("dependencies")
}

/// A generated crate's dependencies, as Cargo.toml lines: [`dependencies`], less the
/// typed-format libraries its config did not choose, and with the chosen ones no longer
/// optional (its types name them); then the config's `[dependencies]`.
pub fn crate_dependencies(settings: &Settings) -> String {
    let libraries = settings.config.formats.libraries();
    let mut out = String::new();
    for line in dependencies().lines() {
        let name = line.split_once(" = ").map_or("", |(n, _)| n.trim());
        if FORMAT_MODULES
            .iter()
            .any(|(library, _, _)| *library == name)
        {
            if !libraries.contains(&name) {
                continue;
            }
            out.push_str(&line.replace(", optional = true", ""));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    for (name, value) in &settings.config.dependencies {
        out.push_str(&format!("{name} = {value}\n"));
    }
    out
}

/// The runtime dependency's table for a crate that depends on the runtime crate: the
/// `--runtime` value's, with the runtime features of the typed formats the config chose.
fn runtime_dependency(dependency: &str, settings: &Settings) -> String {
    let libraries = settings.config.formats.libraries();
    if libraries.is_empty() {
        return dependency.to_string();
    }
    let quoted: Vec<String> = libraries.iter().map(|l| format!("\"{l}\"")).collect();
    match dependency.trim_end().strip_suffix('}') {
        Some(open) => format!("{}, features = [{}] }}", open.trim_end(), quoted.join(", ")),
        None => dependency.to_string(),
    }
}

/// The comment that starts the runtime's typed-format features, which [`features`] leaves
/// out (a generated crate depends on the chosen libraries outright).
const FORMAT_FEATURES: &str = "# Typed formats";

/// Cargo features of a generated crate, as Cargo.toml lines: the runtime crate's own
/// `[features]` section (the TLS backend), up to its typed-format features. They name only
/// the dependencies above, so they mean the same in a crate that embeds the runtime and in
/// one that depends on it.
pub fn features() -> &'static str {
    let all = manifest_section("features");
    match all.find(&format!("\n{FORMAT_FEATURES}")) {
        Some(at) => &all[..at + 1],
        None => all,
    }
}

/// The lines of one `[section]` of the runtime's manifest, comments included.
fn manifest_section(name: &str) -> &'static str {
    let section = RUNTIME_MANIFEST
        .split_once(&format!("\n[{name}]\n"))
        .map_or("", |(_, rest)| rest);
    // The section ends where the next one begins, less the comment lines that introduce it.
    let end = section.find("\n[").map_or(section.len(), |i| i + 1);
    let mut body = &section[..end];
    while let Some(cut) = body.trim_end_matches('\n').rfind('\n') {
        if !body[cut + 1..].starts_with('#') {
            break;
        }
        body = &body[..cut + 1];
    }
    // Exactly one line break at the end.
    &body[..body.trim_end().len() + 1]
}

/// The module files of a generated crate besides `lib.rs`: the emitted ones, and the
/// runtime's when it is embedded (see [`embedded_files`]).
pub fn module_files(emitted: Vec<File>, settings: &Settings) -> Vec<File> {
    let mut files = emitted;
    if settings.runtime == Runtime::Embedded {
        let header = format!(
            "// @generated by {}. Do not edit by hand.\n\n",
            settings.marker
        );
        let libraries = settings.config.formats.libraries();
        for (name, contents) in embedded_files(&libraries, &header) {
            files.push(File { name, contents });
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
    }
    files
}

/// The runtime as a crate embeds it, as (path in the crate's `src/`, contents starting
/// with `header`): `runtime.rs` with each of the runtime's modules written inside it as an
/// inline module, one level deeper, except a module declared under a `#[cfg]` (`mock`),
/// which stays a file of its own under `runtime/`: rustc does not open the file of a
/// module its `#[cfg]` turns off, while it parses an inline module's text before dropping
/// it.
///
/// One file rather than one per module because a crate is generated far more often than
/// its runtime changes, and each file costs a create and a write: a small crate's twelve
/// runtime files took longer to create than its own code took to generate. Each file is
/// written in one pass into one buffer.
pub fn embedded_files(libraries: &[&str], header: &str) -> Vec<(String, String)> {
    // Declared only when the config chose a typed format (see `embedded_runtime`).
    let formats = RUNTIME_MODULES
        .iter()
        .find(|(n, _)| *n == "runtime/formats.rs" && !libraries.is_empty())
        .map(|(_, text)| formats_module(text, libraries));
    let source = |name: &str| -> Option<&str> {
        if name == "runtime/formats.rs" {
            return formats.as_deref();
        }
        RUNTIME_MODULES
            .iter()
            .map(|(n, text)| (*n, *text))
            .chain(FORMAT_MODULES.iter().map(|(_, n, text)| (*n, *text)))
            .find(|(n, _)| *n == name)
            .map(|(_, text)| text)
    };
    let mut files = Vec::new();
    let runtime = embedded_runtime(libraries);
    let mut text = String::with_capacity(header.len() + runtime.len() + runtime.len() / 8);
    text.push_str(header);
    inline_runtime_modules(
        &runtime, "runtime", 0, &source, header, &mut files, &mut text,
    );
    files.push(("runtime.rs".to_string(), text));
    files
}

/// The module a line declares out of line (`mod name;` or `pub mod name;`), if it does.
fn declared_module(line: &str) -> Option<&str> {
    let trimmed = line.trim();
    trimmed
        .strip_prefix("pub ")
        .unwrap_or(trimmed)
        .strip_prefix("mod ")
        .and_then(|r| r.strip_suffix(';'))
        .filter(|name| !name.contains(' '))
}

/// Writes `text`, `depth` levels deep, to `out`, with each `mod NAME;` that no `#[cfg]`
/// gates replaced by the module's source (`dir/NAME.rs`, through `source`) as an inline
/// module one level deeper, its own modules inlined the same way; a gated module's file
/// (with `header`) is added to `files` instead. Lines are indented as they are copied, so
/// no literal may span lines (a test checks the runtime's tokens are unchanged).
fn inline_runtime_modules<'s>(
    text: &str,
    dir: &str,
    depth: usize,
    source: &dyn Fn(&str) -> Option<&'s str>,
    header: &str,
    files: &mut Vec<(String, String)>,
    out: &mut String,
) {
    let indent = |out: &mut String| {
        for _ in 0..depth {
            out.push_str("    ");
        }
    };
    let mut gated = false;
    for line in text.split_inclusive('\n') {
        let module = declared_module(line).and_then(|name| {
            let nested = format!("{dir}/{name}");
            source(&format!("{nested}.rs")).map(|text| (name, nested, text))
        });
        if line != "\n" {
            indent(out);
        }
        match module {
            Some((_, nested, text)) if gated => {
                let mut file = String::with_capacity(header.len() + text.len());
                file.push_str(header);
                inline_runtime_modules(text, &nested, 0, source, header, files, &mut file);
                files.push((format!("{nested}.rs"), file));
                out.push_str(line);
            }
            Some((name, nested, text)) => {
                let nested = nested.as_str();
                let head = &line[..line.len() - line.trim_start().len()];
                let public = if line.trim_start().starts_with("pub ") {
                    "pub "
                } else {
                    ""
                };
                out.push_str(head);
                out.push_str(public);
                out.push_str("mod ");
                out.push_str(name);
                out.push_str(" {\n");
                inline_runtime_modules(text, nested, depth + 1, source, header, files, out);
                indent(out);
                out.push_str(head);
                out.push_str("}\n");
            }
            None => out.push_str(line),
        }
        gated = line.trim_start().starts_with("#[cfg(");
    }
}

/// A complete crate: `Cargo.toml`, `src/lib.rs` and the module files under `src/`. The
/// crate is its own workspace root, so it builds wherever it is written. The module files
/// are the ones [`crate::generate`] already made; only `lib.rs` and `Cargo.toml` are new.
pub fn crate_files(
    generated: &crate::Generated,
    settings: &Settings,
) -> Result<Vec<(String, String)>, syn::Error> {
    let mut out = root_files(generated, settings)?;
    for f in &generated.files {
        out.push((format!("src/{}", f.name), f.contents.clone()));
    }
    Ok(out)
}

/// The files of [`crate_files`] that [`crate::generate`] did not make: `Cargo.toml` and
/// `src/lib.rs`. A writer that has the module files at hand writes these and then those,
/// without copying them.
pub fn root_files(
    generated: &crate::Generated,
    settings: &Settings,
) -> Result<Vec<(String, String)>, syn::Error> {
    let api = &generated.api;
    let lib = crate::emit::lib_rs(api, settings.runtime == Runtime::Embedded)?;
    Ok(vec![
        ("Cargo.toml".to_string(), cargo_toml(api, settings)),
        (
            "src/lib.rs".to_string(),
            format!(
                "// @generated by {}. Do not edit by hand.\n\n{lib}",
                settings.marker
            ),
        ),
    ])
}

/// The runtime features an API needs by default besides TLS: `upload` when an operation
/// takes a binary body, `multipart` when one takes a multipart body, `sse` when one
/// streams server-sent events. An app may turn them off (`default-features = false`);
/// byte uploads still work without `upload`, and the `_stream` twins of event streams
/// need `sse`.
pub fn needed_features(api: &Api) -> Vec<&'static str> {
    use crate::ir::BodyEncoding;
    let takes = |encoding: BodyEncoding| {
        api.operations
            .iter()
            .any(|o| o.body.as_ref().is_some_and(|b| b.body.encoding == encoding))
    };
    let mut needed = Vec::new();
    if takes(BodyEncoding::Multipart) || takes(BodyEncoding::MultipartParts) {
        needed.push("multipart");
    } else if takes(BodyEncoding::Bytes) {
        needed.push("upload");
    }
    let events = api.operations.iter().any(|o| {
        o.item_stream
            .as_ref()
            .is_some_and(|s| s.kind == crate::ir::StreamKind::Events)
    });
    if events {
        needed.push("sse");
    }
    needed
}

/// A generated crate's `[features]` lines: the runtime's, with the defaults the API needs
/// (see [`needed_features`]); with the runtime as a crate, the runtime's own features are
/// turned on with them, since its code has the `cfg`s. Then, if the API has groups (see
/// [`crate::ir::Grouping`]), a feature per group and `full` for all of them, on by default.
///
/// The config's `package.default-features` replaces the default list
/// ([`crate::config::Config::check`] has checked each name against [`feature_names`]).
pub fn crate_features(api: &Api, settings: &Settings) -> String {
    let runtime = &settings.runtime;
    let mut defaults = vec!["rustls"];
    defaults.extend(needed_features(api));
    let grouped = !api.grouping.groups.is_empty();
    if grouped {
        defaults.push("full");
    }
    if let Some(chosen) = &settings.config.package.default_features {
        defaults = chosen.iter().map(|f| f.get_ref().as_str()).collect();
    }
    let quoted: Vec<String> = defaults.iter().map(|f| format!("\"{f}\"")).collect();
    let mut out = String::new();
    for line in features().lines() {
        if line.starts_with("default = ") {
            out.push_str(&format!("default = [{}]\n", quoted.join(", ")));
            continue;
        }
        match (runtime, line.split_once(" = [")) {
            (Runtime::Crate(_), Some((name, rest))) if !line.starts_with('#') => {
                out.push_str(&format!("{name} = [\"{RUNTIME_CRATE}/{name}\", {rest}\n"));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if grouped {
        out.push_str(&group_features(api));
    }
    out
}

/// The names of a generated crate's features (the runtime's and the groups'), which the
/// config's `package.default-features` may name.
pub fn feature_names(api: &Api, _runtime: &Runtime) -> Vec<String> {
    let mut names: Vec<String> = features()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("default = "))
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name.trim().to_string()))
        .collect();
    if !api.grouping.groups.is_empty() {
        names.push("full".to_string());
        names.extend(api.grouping.groups.iter().map(|g| g.feature.clone()));
    }
    names
}

/// One line for the maintainer: how the operations are split into features, and why.
pub fn grouping_summary(api: &Api) -> String {
    let g = &api.grouping;
    let Some(by) = crate::emit::docs::grouped_by(g.by) else {
        return format!("group features: none: {}", g.reason);
    };
    format!(
        "group features: {} by {by}, because {}",
        g.groups.len(),
        g.reason.replace(['\n', '\r'], " ")
    )
}

/// The group features' lines: `full`, then one feature per group, each with a comment
/// naming the group and its operation count.
fn group_features(api: &Api) -> String {
    let grouping = &api.grouping;
    let what = crate::emit::docs::grouped_by(grouping.by).unwrap_or("group");
    let all: Vec<String> = grouping
        .groups
        .iter()
        .map(|g| format!("\"{}\"", g.feature))
        .collect();
    let mut out = format!(
        "# The API's operations by {what}, a feature each: a build compiles the operations of \
         the\n# features it turns on and the types they use. `full` (a default) turns on every \
         group.\n# Grouped because {}.\nfull = [{}]\n",
        grouping.reason.replace(['\n', '\r'], " "),
        all.join(", ")
    );
    for g in &grouping.groups {
        let name = g.name.replace(['\n', '\r'], " ");
        let count = g.operations.len();
        let noun = if count == 1 {
            "operation"
        } else {
            "operations"
        };
        out.push_str(&format!(
            "# `{name}`: {count} {noun}.\n{} = []\n",
            g.feature
        ));
    }
    out
}

/// A TOML basic string's contents: one line, with `\` and `"` escaped.
fn toml_text(text: &str) -> String {
    text.replace(['\n', '\r', '\t'], " ")
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

fn cargo_toml(api: &Api, settings: &Settings) -> String {
    let package = &settings.config.package;
    let description = toml_text(&package.description.clone().unwrap_or_else(|| {
        format!(
            "Async Rust client for {}, generated from its OpenAPI document",
            api.title
        )
    }));
    let version = package
        .version
        .as_ref()
        .map_or("0.1.0", |v| v.get_ref().as_str());
    let edition = package.edition.map_or("2024", |e| e.as_str());
    let mut extra = String::new();
    if let Some(license) = &package.license {
        extra.push_str(&format!("license = \"{}\"\n", toml_text(license)));
    }
    if let Some(repository) = &package.repository {
        extra.push_str(&format!("repository = \"{}\"\n", toml_text(repository)));
    }
    format!(
        "# @generated by {marker}. Do not edit by hand.\n\n\
         [package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"{edition}\"\n\
         description = \"{description}\"\n{extra}publish = false\n\n\
         [lib]\n# Doc comments carry the spec's prose; none of it is Rust to run.\ndoctest = false\n\n\
         {sections}\n\
         # Its own workspace, so the crate builds wherever it is written.\n[workspace]\n",
        marker = settings.marker,
        name = settings.crate_name,
        sections = manifest_sections(api, settings),
    )
}

/// The `[dependencies]` and `[features]` sections a crate needs to compile the generated
/// code (what [`crate_files`]' `Cargo.toml` has besides `[package]`): for a build script,
/// whose crate includes [`single_file`]'s output and must declare them itself.
pub fn manifest_sections(api: &Api, settings: &Settings) -> String {
    let runtime = match &settings.runtime {
        Runtime::Embedded => String::new(),
        Runtime::Crate(dependency) => format!(
            "{RUNTIME_CRATE} = {}\n",
            runtime_dependency(dependency, settings)
        ),
    };
    format!(
        "[dependencies]\n{runtime}{}\n[features]\n{}",
        crate_dependencies(settings),
        crate_features(api, settings)
    )
}

/// The whole client as one file, for a build script to write into `OUT_DIR` and a crate to
/// `include!` at its root: `src/lib.rs` less its crate-level (inner) attributes, which an
/// included file may not carry, with every `mod name;` replaced by the module's file inline
/// (`mod name { ... }`), recursively. The modules keep their own attributes, and their
/// paths (`crate::types`, `crate::runtime`) are the same as in the crate.
pub fn single_file(generated: &crate::Generated, settings: &Settings) -> Result<String, String> {
    let files = crate_files(generated, settings)
        .map_err(|e| format!("internal error: emitted code does not parse: {e}"))?;
    let sources: std::collections::BTreeMap<&str, &str> = files
        .iter()
        .filter_map(|(p, c)| Some((p.strip_prefix("src/")?, c.as_str())))
        .collect();
    let lib = sources.get("lib.rs").ok_or("internal error: no lib.rs")?;
    let body: String = lib
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("#![") && !l.starts_with("//!"))
        .collect();
    let mut out = format!(
        "// @generated by {}. Do not edit by hand.\n// The client as one file, for `include!` at a crate's root.\n",
        settings.marker
    );
    inline_modules(&body, "lib.rs", &sources, &mut out, 0)?;
    Ok(out)
}

/// Writes `text`, the module file at `file` (relative to `src/`), with its `mod name;`
/// declarations replaced by the modules' files inline, found as rustc finds them: a
/// `#[path]` relative to the declaring file's directory; otherwise `name.rs` beside
/// `lib.rs`, or in the directory named after any other file (`runtime.rs` → `runtime/`).
fn inline_modules(
    text: &str,
    file: &str,
    sources: &std::collections::BTreeMap<&str, &str>,
    out: &mut String,
    depth: usize,
) -> Result<(), String> {
    if depth > 8 {
        return Err("internal error: modules nest deeper than the generator writes them".into());
    }
    let dir = file.rfind('/').map_or("", |i| &file[..=i]);
    let mut path_attr: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(p) = trimmed
            .strip_prefix("#[path = \"")
            .and_then(|r| r.strip_suffix("\"]"))
        {
            path_attr = Some(p.to_string());
            continue;
        }
        let Some(name) = declared_module(line) else {
            // Other attributes between `#[path]` and its `mod` stay where they are.
            if path_attr.is_some() && trimmed.starts_with("#[") {
                out.push_str(line);
                continue;
            }
            if let Some(p) = path_attr.take() {
                return Err(format!(
                    "internal error: #[path = \"{p}\"] is not followed by a module declaration"
                ));
            }
            out.push_str(line);
            continue;
        };
        let target = match path_attr.take() {
            Some(p) => format!("{dir}{p}"),
            None if file == "lib.rs" => format!("{name}.rs"),
            None => format!("{}/{name}.rs", file.trim_end_matches(".rs")),
        };
        let source = sources
            .get(target.as_str())
            .ok_or_else(|| format!("internal error: module file {target} is not generated"))?;
        let indent = &line[..line.len() - line.trim_start().len()];
        out.push_str(&format!("{indent}{} {{\n", trimmed.trim_end_matches(';')));
        inline_modules(source, &target, sources, out, depth + 1)?;
        out.push_str(&format!("{indent}}}\n"));
    }
    Ok(())
}

/// What became what: the Rust type of each component schema (and of each schema elsewhere
/// that a `$ref` points at) and each operation's method, as the JSON document `--names`
/// writes.
pub fn names_map(api: &Api) -> serde_json::Value {
    let types: Vec<serde_json::Value> = api
        .types
        .iter()
        .filter(|t| t.component)
        .map(|t| {
            let mut entry =
                serde_json::json!({"schema": t.source, "rust": format!("types::{}", t.name)});
            // An alias of a typed format has no serde impl of its own: values of it are
            // read as `FromWire<types::Name>` (see the crate's re-export).
            if matches!(&t.kind, crate::ir::TypeKind::Alias(ty) if ty.has_format()) {
                entry["wire"] = serde_json::Value::Bool(true);
            }
            entry
        })
        .collect();
    let operations: Vec<serde_json::Value> = api
        .operations
        .iter()
        .map(|o| {
            serde_json::json!({
                "method": o.method.as_str(),
                "path": o.path,
                "operation_id": o.operation_id,
                "rust": o.name,
            })
        })
        .collect();
    serde_json::json!({"types": types, "operations": operations})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_module_leaves_out_exactly_the_test_module() {
        assert!(
            RUNTIME_SOURCE.ends_with(TEST_MODULE),
            "runtime/src/lib.rs must end with the test module declaration this file strips"
        );
        let module = runtime_module();
        assert!(!module.contains("mod tests"));
        assert_eq!(module.len() + TEST_MODULE.len(), RUNTIME_SOURCE.len());
        // Written into a crate as a module, the runtime cannot name the crate root or
        // carry crate-level attributes.
        for line in module.lines() {
            let code = line.trim_start();
            assert!(!code.starts_with("#!["), "crate-level attribute: {line}");
            if !code.starts_with("//") {
                assert!(!code.contains("crate::"), "crate path: {line}");
            }
        }
    }

    #[test]
    fn every_module_of_the_runtime_crate_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs") && n != "lib.rs" && n != "tests.rs")
            .map(|n| format!("runtime/{n}"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = RUNTIME_MODULES.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, listed);
        for (name, source) in RUNTIME_MODULES {
            // A module reaches the rest of the runtime through `super::`, never the crate.
            assert!(!source.contains("crate::"), "{name} names the crate root");
        }
    }

    #[test]
    fn every_format_library_of_the_runtime_is_listed_and_declared() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src/formats");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                format!(
                    "runtime/formats/{}",
                    e.unwrap().file_name().to_string_lossy()
                )
            })
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = FORMAT_MODULES.iter().map(|(_, n, _)| *n).collect();
        assert_eq!(on_disk, listed);
        let source = RUNTIME_MODULES
            .iter()
            .find(|(n, _)| *n == "runtime/formats.rs")
            .map(|(_, s)| *s)
            .unwrap();
        let deps = dependencies();
        for (library, name, module) in FORMAT_MODULES {
            assert!(name.ends_with(&format!("/with_{library}.rs")), "{name}");
            assert!(
                source.contains(&format!(
                    "#[cfg(feature = \"{library}\")]\nmod with_{library};\n"
                )),
                "formats.rs declares {name} under its feature"
            );
            assert!(
                deps.lines()
                    .any(|l| l.starts_with(&format!("{library} = {{"))),
                "{library} is a dependency"
            );
            assert!(!module.contains("crate::"), "{name} names the crate root");
        }
    }

    /// The embedded runtime is one file with its modules inline, one level deeper, except
    /// `mock`, which its `#[cfg]` keeps a file of its own; indenting changes no token.
    /// (`formats`, absent without typed formats, is checked through the whole file.)
    #[test]
    fn the_embedded_runtime_is_one_file_but_its_gated_module() {
        use quote::ToTokens;
        let tokens = |text: &str| {
            syn::parse_file(text)
                .expect("the runtime parses")
                .into_token_stream()
                .to_string()
        };
        for libraries in [&[][..], &["jiff", "uuid"][..]] {
            let files = embedded_files(libraries, "// header\n\n");
            let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, ["runtime/mock.rs", "runtime.rs"]);
            let runtime = &files[1].1;
            // Every declaration left is a gated one.
            let declared: Vec<&str> = runtime
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with("mod ") || l.starts_with("pub mod "))
                .filter(|l| l.ends_with(';'))
                .collect();
            assert_eq!(declared, ["pub mod mock;"]);
            assert!(runtime.contains("\nmod auth {\n    //! Authentication"));
            let inlined_formats = runtime.contains("    mod with_jiff {\n");
            assert_eq!(inlined_formats, !libraries.is_empty(), "{libraries:?}");
            assert!(!runtime.contains("mod with_time"));
            tokens(runtime);
        }
        // Each inline module's body, as written one level deeper, has its source's tokens.
        let runtime = &embedded_files(&[], "")[1].1;
        let mut inlined = 0;
        for (name, source) in RUNTIME_MODULES {
            let module = name.trim_start_matches("runtime/").trim_end_matches(".rs");
            let Some(start) = runtime.find(&format!("\nmod {module} {{\n")) else {
                continue;
            };
            let body = &runtime[start..];
            let body = &body[body.find("{\n").unwrap() + 2..];
            let body = &body[..body.find("\n}\n").unwrap() + 1];
            assert_eq!(tokens(body), tokens(source), "{name}");
            inlined += 1;
        }
        assert_eq!(
            inlined,
            RUNTIME_MODULES.len() - 2,
            "all but mock and formats"
        );
    }

    #[test]
    fn without_typed_formats_the_embedded_runtime_has_no_formats_module() {
        let module = runtime_module();
        for line in FORMATS_LINES {
            assert_eq!(
                module.matches(line).count(),
                1,
                "the runtime has `{line}` once"
            );
        }
        let without = embedded_runtime(&[]);
        assert!(
            !without.contains("mod formats") && !without.contains("formats::"),
            "{without}"
        );
        assert_eq!(
            without.len(),
            module.len() - FORMATS_LINES.iter().map(|l| l.len()).sum::<usize>()
        );
        assert_eq!(embedded_runtime(&["jiff"]), module);
    }

    #[test]
    fn an_embedded_formats_module_declares_exactly_the_chosen_libraries() {
        let source = RUNTIME_MODULES
            .iter()
            .find(|(n, _)| *n == "runtime/formats.rs")
            .map(|(_, s)| *s)
            .unwrap();
        let none = formats_module(source, &[]);
        assert!(
            !none.contains("mod with_") && !none.contains("#[cfg(feature"),
            "{none}"
        );
        let two = formats_module(source, &["jiff", "uuid"]);
        let declared: Vec<&str> = two.lines().filter(|l| l.starts_with("mod with_")).collect();
        assert_eq!(declared, ["mod with_jiff;", "mod with_uuid;"]);
        assert!(!two.contains("#[cfg(feature"));
        // Everything else is the runtime's text.
        assert_eq!(
            none.len(),
            source.len()
                - FORMAT_MODULES
                    .iter()
                    .map(|(l, _, _)| format!("#[cfg(feature = \"{l}\")]\nmod with_{l};\n").len())
                    .sum::<usize>()
        );
    }

    #[test]
    fn a_crate_depends_on_the_chosen_format_libraries_outright() {
        let config = crate::config::Config::parse(
            "[formats]\ndate-time = \"chrono\"\nuuid = \"uuid\"\n\n[dependencies]\nmy-model = { path = \"../model\" }\n",
            "c.toml",
        )
        .unwrap();
        let settings = Settings {
            marker: "test".into(),
            crate_name: "pets".into(),
            runtime: Runtime::Embedded,
            config,
        };
        let deps = crate_dependencies(&settings);
        assert!(
            deps.contains(
                "\nchrono = { version = \"0.4\", default-features = false, features = [\"std\"] }\n"
            ),
            "{deps}"
        );
        assert!(
            deps.contains("\nuuid = {")
                && !deps.contains("\njiff = ")
                && !deps.contains("\nurl = "),
            "{deps}"
        );
        assert!(
            !deps.contains("optional = true }\nchrono")
                && !deps
                    .lines()
                    .any(|l| l.starts_with("chrono") && l.contains("optional"))
        );
        assert!(
            deps.ends_with("my-model = { path = \"../model\" }\n"),
            "{deps}"
        );
        assert!(!features().contains("dep:chrono") && !features().contains(FORMAT_FEATURES));
        assert_eq!(
            runtime_dependency(
                "{ path = \"../runtime\", default-features = false }",
                &settings
            ),
            "{ path = \"../runtime\", default-features = false, features = [\"chrono\", \"uuid\"] }"
        );
    }

    #[test]
    fn dependencies_are_the_runtime_manifests_section() {
        let deps = dependencies();
        assert!(deps.starts_with("base64 = "), "{deps}");
        assert!(deps.contains("\nreqwest = "));
        assert!(!deps.lines().any(|l| l.starts_with('[')), "{deps}");
        assert!(!deps.contains("dev-dependencies") && !deps.contains("lints"));
        assert!(!deps.contains("TLS"), "the next section's comment: {deps}");
        let features = features();
        assert!(
            features.starts_with("default = [\"rustls\"]\n"),
            "{features}"
        );
        assert!(features.contains("\nrustls = [\"reqwest/rustls\"]\n"));
        assert!(features.contains("\nnative-tls = [\"reqwest/native-tls\"]\n"));
        assert!(!features.lines().any(|l| l.starts_with('[')), "{features}");
    }

    #[test]
    fn runtime_values_parse() {
        assert_eq!(Runtime::parse("embedded"), Ok(Runtime::Embedded));
        assert_eq!(
            Runtime::parse("crate:0.1"),
            Ok(Runtime::Crate(
                "{ version = \"0.1\", default-features = false }".into()
            ))
        );
        assert_eq!(
            Runtime::parse("crate:=0.1.0"),
            Ok(Runtime::Crate(
                "{ version = \"=0.1.0\", default-features = false }".into()
            ))
        );
        assert_eq!(
            Runtime::parse("crate:../runtime"),
            Ok(Runtime::Crate(
                "{ path = \"../runtime\", default-features = false }".into()
            ))
        );
        assert!(Runtime::parse("crate:").is_err());
        assert!(Runtime::parse("bundled").is_err());
    }
}
