//! `cargo xtask conform`: every operation of a generated client called against Prism, an
//! independent implementation of the OpenAPI rules (Stoplight's mock server, installed by
//! `npm ci` in `tools/prism/` from its lock file).
//!
//! For each spec the task generates the crate (no config), writes a program that calls
//! every operation's `_with_response` method twice (required parameters only, then every
//! parameter; bodies from the schema's examples, else synthesised: `synth::request_value`),
//! starts Prism on the document (static mode: answers from examples; dynamic mode, `-d`
//! with a fixed seed: answers generated from the schemas) and runs the program against it.
//! A call passes when Prism finds no request violation of severity error (its
//! `sl-violations` header) and the response decodes, or is an error the operation
//! documents. Every other outcome is listed with its evidence: Prism's violations, the
//! status and the start of the body, or the decode error.

use crate::util::{cargo, create_dir, write_file};
use openapi_client_gen::emit::client_type;
use openapi_client_gen::ir::{Api, BodyEncoding, Operation, ParamLocation, SchemeKind, TypeRef};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The specs CI runs: the PI spec, the features fixture (every body and parameter kind the
/// client has), and two small corpus specs written by others: the Swagger petstore (form
/// and octet-stream bodies, header and array query parameters, XML beside JSON) and Train
/// Travel (problem+json errors, an example that does not fit its schema, a reference
/// into a file beside the document).
pub const CI_SPECS: &[&str] = &[
    "prime-intellect",
    "features",
    "petstore-swagger-v3",
    "train-travel",
];

/// Options of `cargo xtask conform`.
pub struct Options {
    /// Spec names; empty: [`CI_SPECS`].
    pub only: Vec<String>,
    /// Every spec of both corpora too.
    pub all: bool,
}

impl Options {
    pub fn parse(args: &[&str]) -> Result<Options, String> {
        let mut options = Options {
            only: Vec::new(),
            all: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match *arg {
                "--only" => {
                    let names = args.next().ok_or("--only needs spec names")?;
                    options.only = names.split(',').map(String::from).collect();
                }
                "--all" => options.all = true,
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        Ok(options)
    }
}

/// One call's outcome, as the program prints it.
#[derive(Debug, Clone)]
struct Call {
    mode: &'static str,
    operation: String,
    /// The request body's media type, if it has one.
    media: String,
    variant: String,
    outcome: String,
    status: String,
    violations: String,
    detail: String,
    /// The JSON body sent, for a request Prism flags.
    sent: String,
    /// The whole body of an answer that did not decode.
    answer: String,
}

/// Runs the harness; the report and whether every call passed.
pub fn run(root: &Path, options: &Options) -> Result<(String, bool), String> {
    let prism = root.join("tools/prism/node_modules/.bin/prism");
    if !prism.exists() {
        return Err(format!(
            "{} is missing: run `npm ci --prefix tools/prism` first",
            prism.display()
        ));
    }
    let mut specs: Vec<(String, PathBuf)> = crate::corpus::specs(root)?
        .into_iter()
        .filter(|(name, _)| {
            if options.all {
                !name.starts_with("tolerant") && !name.contains("-3.")
            } else if options.only.is_empty() {
                CI_SPECS.contains(&name.as_str())
            } else {
                options.only.contains(name)
            }
        })
        .collect();
    let features = root.join("tests/fixtures/features.yaml");
    if options.all || options.only.is_empty() || options.only.iter().any(|n| n == "features") {
        specs.push(("features".into(), features));
    }
    let scratch = crate::util::target_dir(root).join("conform");
    create_dir(&scratch)?;
    let known = read_known(root)?;
    let misfit = Known::found(
        "document",
        "an example the document gives does not fit its own schema (Prism's violations above); the call passes with synthesised values",
        "",
    );
    let answer_misfit = Known::found(
        "answer",
        "Prism's answer breaks the document's schema by Prism's own check (in static mode the document's example, in dynamic mode Prism's generated value), and the client refuses it",
        "",
    );
    let validated_misfit = Known::found(
        "answer",
        "Prism's answer breaks the document's schema by the harness's own validator (the jsonschema crate, on the whole answer, asked for again), where it finds what the decode error names (a union no branch of which fits, a missing field, an enum value, a type); Prism's own check does not flag it",
        "",
    );
    let disagrees = Known::found(
        "prism",
        "Prism flags a request body that an independent validator (the jsonschema crate; draft 4 with `nullable` for a 3.0 document, 2020-12 after) finds valid by the document's schema, and flags nothing outside the body",
        "",
    );
    let fragment = Known::found(
        "document",
        "the operation's path differs from another's of the same method only by a `#fragment` (which a request does not carry) or by its parameters' names (OpenAPI: such paths MUST NOT exist), so Prism validates the request as the other operation's; the generator warns (`invalid-value`)",
        "",
    );
    let overlap = Known::found(
        "document",
        "the body matches more than one branch of a `oneOf` whose branches do not exclude each other (checked by an independent validator; `limitations/oneof-overlap.yaml` shows it with Prism alone); a `discriminator` is no JSON Schema constraint",
        "",
    );
    let closed = Known::found(
        "document",
        "the body schema is an `allOf` closed by `additionalProperties: false` (beside or inside its branches), which JSON Schema applies to each branch alone: it refuses the properties the other branches declare, so no value with them passes (checked by an independent validator)",
        "",
    );
    let schemaless = Known::found(
        "prism",
        "in dynamic mode Prism answers a success instead of the status asked for (`Prefer: code=N`) when that response gives an example but no schema",
        "limitations/schemaless-status.yaml",
    );
    let untemplated = Known::found(
        "document",
        "the operation declares a path parameter that its path has no `{name}` for (OpenAPI: a path parameter's name MUST correspond to a template expression in the path), so no request can carry it, while Prism requires it; the generator warns and leaves it out",
        "",
    );
    let contradictory = Known::found(
        "document",
        "a parameter's `pattern` and `format` admit no common value (the harness's value for the schema breaks it by the independent validator, formats checked); Prism flags the one or the other, and any further violation is a known limitation",
        "",
    );
    let refuses_required = Known::found(
        "document",
        "the body schema, or the branch of a union beside it that the body fits, requires a name that `additionalProperties: false` refuses (the closed schema does not list it under `properties`; JSON Schema applies both, so no value, or no value of that branch, passes): the independent validator refuses the name when sent and requires it when left out; the generator warns (`invalid-value`)",
        "",
    );
    let partless = Known::found(
        "document",
        "the operation's `multipart/form-data` schema is not an object (it names no parts: a `type: string, format: binary`), so no form fits it, and Prism reads the form as an object; the generator warns (`loose-type`) and takes a form the caller builds",
        "",
    );
    let unsatisfiable = Known::found(
        "document",
        "the body schema has an `enum` with no value of the schema's own `type` (JSON Schema applies both, so no value passes; the client's type follows `type`): the independent validator's error is at such a value; the generator warns (`invalid-value`)",
        "",
    );
    let empty_form = Known::found(
        "document",
        "a required `multipart/form-data` body whose schema requires no property: with only the required values the form has no part, which multipart cannot carry (RFC 2046: a multipart body has at least one part), so Prism reads no body",
        "",
    );
    let colliding = Known::found(
        "document",
        "an exploded `form` object parameter has a property named like another query parameter, so a request with both carries that key twice (Prism reads it as an array); the generator warns (`invalid-value`)",
        "",
    );
    let mut report = String::new();
    let mut all_ok = true;
    for (name, path) in &specs {
        let started = Instant::now();
        let start = report.len();
        match conform(root, &scratch, &prism, name, path) {
            Ok((calls, operations, facts)) => {
                // A call that asked for an error passes with that documented error decoded.
                let passed = |c: &Call| match c.variant.strip_prefix("error-") {
                    Some(code) => c.outcome == "documented-error" && c.status == code,
                    None => c.outcome == "ok" || c.outcome == "documented-error",
                };
                let mut classified: Vec<(&Call, &Known)> = Vec::new();
                let mut failed: Vec<&Call> = Vec::new();
                for c in calls.iter().filter(|c| !passed(c)) {
                    if c.outcome == "example-misfit" {
                        classified.push((c, &misfit));
                        continue;
                    }
                    if matches!(
                        c.outcome.as_str(),
                        "request-violation" | "unexpected-status"
                    ) && facts.shadowed.contains(&c.operation)
                    {
                        classified.push((c, &fragment));
                        continue;
                    }
                    // Prism's only complaint is a required path parameter the path has no
                    // place for.
                    if c.outcome == "request-violation"
                        && facts.untemplated.get(&c.operation).is_some_and(|names| {
                            c.violations.split("; ").all(|v| {
                                names.iter().any(|n| {
                                    v.starts_with(&format!(
                                        "Request path must have required property '{n}'"
                                    ))
                                })
                            })
                        })
                    {
                        classified.push((c, &untemplated));
                        continue;
                    }
                    // Prism's complaints are a value's pattern or format where the two
                    // admit no common value, and otherwise known limitations.
                    if c.outcome == "request-violation"
                        && let Some(names) = facts.contradictory.get(&c.operation)
                    {
                        let (about, rest): (Vec<&str>, Vec<&str>) =
                            c.violations.split("; ").partition(|v| {
                                names.iter().any(|n| {
                                    let (location, name) = n.split_once(' ').unwrap_or(("", n));
                                    v.starts_with(&format!(
                                        "Request {location} parameter {name} must match"
                                    ))
                                })
                            });
                        let rest = Call {
                            violations: rest.join("; "),
                            ..c.clone()
                        };
                        if !about.is_empty()
                            && (rest.violations.is_empty() || classify(&rest, &known).is_some())
                        {
                            classified.push((c, &contradictory));
                            continue;
                        }
                    }
                    // A form of no part, which multipart cannot carry: Prism reads no body.
                    if c.outcome == "request-violation"
                        && c.media == "multipart/form-data"
                        && (c.variant == "required" || c.variant.starts_with("error-"))
                        && facts.empty_forms.contains(&c.operation)
                        && c.violations
                            .split("; ")
                            .all(|v| v.starts_with("Body parameter is required"))
                    {
                        classified.push((c, &empty_form));
                        continue;
                    }
                    // Prism reads a key two parameters both wrote as an array.
                    if c.outcome == "request-violation"
                        && facts.colliding.get(&c.operation).is_some_and(|keys| {
                            c.violations.split("; ").all(|v| {
                                keys.iter().any(|k| {
                                    v.starts_with(&format!("Request query parameter {k} "))
                                })
                            })
                        })
                    {
                        classified.push((c, &colliding));
                        continue;
                    }
                    if c.outcome == "answer-misfit" {
                        classified.push((c, &answer_misfit));
                        continue;
                    }
                    if c.outcome == "validated-misfit" {
                        classified.push((c, &validated_misfit));
                        continue;
                    }
                    if c.mode == "dynamic"
                        && c.outcome == "ok"
                        && facts
                            .schemaless_errors
                            .contains(&format!("{} {}", c.operation, c.variant))
                    {
                        classified.push((c, &schemaless));
                        continue;
                    }
                    if c.outcome == "oneof-overlap" {
                        classified.push((c, &overlap));
                        continue;
                    }
                    if c.outcome == "closed-allof" {
                        classified.push((c, &closed));
                        continue;
                    }
                    if c.outcome == "refuses-required" {
                        classified.push((c, &refuses_required));
                        continue;
                    }
                    // A form against a multipart schema that is not an object: Prism
                    // reads the form as an object, which the schema refuses.
                    if c.outcome == "request-violation"
                        && c.media == "multipart/form-data"
                        && facts.partless_forms.contains(&c.operation)
                        && c.violations
                            .split("; ")
                            .all(|v| v.starts_with("Request body must be "))
                    {
                        classified.push((c, &partless));
                        continue;
                    }
                    if c.outcome == "unsatisfiable-enum" {
                        classified.push((c, &unsatisfiable));
                        continue;
                    }
                    if c.outcome == "prism-disagrees" {
                        classified.push((c, &disagrees));
                        continue;
                    }
                    match classify(c, &known) {
                        Some(k) => classified.push((c, k)),
                        None => failed.push(c),
                    }
                }
                let _ = writeln!(
                    report,
                    "{name}: {} calls ({} operations × required/all parameters, and a documented error status asked for where there is one, × static/dynamic Prism), {} passed ({} of them documented errors), {} classified, {} failed ({:.0} s)",
                    calls.len(),
                    operations,
                    calls.iter().filter(|c| passed(c)).count(),
                    calls
                        .iter()
                        .filter(|c| c.outcome == "documented-error")
                        .count(),
                    classified.len(),
                    failed.len(),
                    started.elapsed().as_secs_f64()
                );
                for (c, k) in &classified {
                    let _ = writeln!(
                        report,
                        "  {} {}: {} {} ({}): {}{} {}",
                        k.class,
                        match k.class.as_str() {
                            "prism" => "limitation",
                            "answer" => "misfit",
                            _ => "fault",
                        },
                        c.mode,
                        c.operation,
                        c.variant,
                        k.what,
                        if c.outcome.ends_with("-misfit") {
                            format!(" [{}]", c.violations)
                        } else if EVIDENCED.contains(&c.outcome.as_str()) {
                            // The harness's own finding, from the document and the body.
                            format!(" [{}]", c.detail)
                        } else {
                            String::new()
                        },
                        k.document
                    );
                }
                for c in &failed {
                    all_ok = false;
                    let _ = writeln!(
                        report,
                        "  FAILED {} {} ({}): {} status {} violations [{}] {}{}",
                        c.mode,
                        c.operation,
                        c.variant,
                        c.outcome,
                        c.status,
                        c.violations,
                        c.detail,
                        if c.sent.is_empty() {
                            String::new()
                        } else {
                            format!(" sent {}", c.sent)
                        }
                    );
                }
            }
            Err(e) => {
                all_ok = false;
                let _ = writeln!(report, "{name}: harness failed: {e}");
            }
        }
        // A long run (`--all`) shows each spec's line as it is done, and leaves its whole
        // report beside its crate.
        if let Some(line) = report.lines().rev().find(|l| l.starts_with(name.as_str())) {
            eprintln!("conform: {line}");
        }
        let _ = std::fs::write(
            scratch.join(member(name)).join("report.txt"),
            &report[start..],
        );
    }
    Ok((report, all_ok))
}

/// The outcomes the harness computes with its own validator, whose `detail` is the
/// evidence shown in the report.
const EVIDENCED: &[&str] = &[
    "prism-disagrees",
    "refuses-required",
    "unsatisfiable-enum",
    "oneof-overlap",
    "closed-allof",
];

/// A known failure that is not the client's (`tools/prism/known.tsv`).
struct Known {
    class: String,
    evidence: String,
    what: String,
    document: String,
}

impl Known {
    /// A class the harness finds by its own evidence (not a line of `known.tsv`).
    fn found(class: &str, what: &str, document: &str) -> Known {
        Known {
            class: class.into(),
            evidence: String::new(),
            what: what.into(),
            document: document.into(),
        }
    }
}

/// The known line that accounts for a failed call: for a request Prism flags, a line must
/// account for each of its violations (its first part in the violation, the others in the
/// call's media type and violations), so a real violation beside a known one still fails;
/// otherwise one line whose every part is in the whole evidence.
fn classify<'k>(c: &Call, known: &'k [Known]) -> Option<&'k Known> {
    let shows =
        |k: &Known, evidence: &str| k.evidence.split(" & ").all(|part| evidence.contains(part));
    if c.outcome == "request-violation" {
        // A line's first part names the violation; the others are what the call must show
        // besides (its media type, the other violations).
        let context = format!("{} {}", c.media, c.violations);
        let mut first = None;
        for violation in c.violations.split("; ") {
            let k = known.iter().find(|k| {
                let mut parts = k.evidence.split(" & ");
                parts.next().is_some_and(|p| violation.contains(p))
                    && parts.all(|p| context.contains(p))
            })?;
            first.get_or_insert(k);
        }
        return first;
    }
    let evidence = format!(
        "{} {} {} {} {}",
        c.media, c.outcome, c.status, c.violations, c.detail
    );
    known.iter().find(|k| shows(k, &evidence))
}

fn read_known(root: &Path) -> Result<Vec<Known>, String> {
    let path = root.join("tools/prism/known.tsv");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut known = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        let [class, evidence, what, rest @ ..] = f.as_slice() else {
            return Err(format!(
                "{}: a line without class, evidence and what: {line}",
                path.display()
            ));
        };
        known.push(Known {
            class: class.to_string(),
            evidence: evidence.to_string(),
            what: what.to_string(),
            document: rest.first().copied().unwrap_or_default().to_string(),
        });
    }
    Ok(known)
}

/// Generates, builds and runs one spec's program against Prism in both modes.
fn conform(
    root: &Path,
    scratch: &Path,
    prism: &Path,
    name: &str,
    path: &Path,
) -> Result<(Vec<Call>, usize, Facts), String> {
    let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let member = member(name);
    let settings = openapi_client_gen::Settings {
        marker: "cargo xtask conform".into(),
        crate_name: member.clone(),
        runtime: openapi_client_gen::package::Runtime::Embedded,
        config: openapi_client_gen::config::Config::default(),
    };
    let generated = openapi_client_gen::generate(&text, &settings).map_err(|e| e.to_string())?;
    let files = openapi_client_gen::package::crate_files(&generated, &settings)
        .map_err(|e| e.to_string())?;
    let spec = openapi_client_gen::spec::parse(&text).map_err(|e| e.to_string())?;
    let dir = scratch.join(&member);
    let _ = std::fs::remove_dir_all(&dir);
    for (rel, contents) in &files {
        let contents = if rel == "Cargo.toml" {
            format!(
                "{contents}\n[dev-dependencies]\ntokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n\n[[example]]\nname = \"conform\"\npath = \"examples/conform.rs\"\n"
            )
        } else {
            contents.clone()
        };
        write_file(&dir.join(rel), contents.as_bytes())?;
    }
    let (text, program_calls) = program(&member, &generated.api, &spec);
    write_file(&dir.join("examples/conform.rs"), text.as_bytes())?;
    // The spec as Prism reads it: JSON, whatever the source was, with the references the
    // generator reads as any value made so for Prism too (`prism_view`).
    let spec_file = dir.join("openapi.json");
    let (view, replaced) = prism_view(&spec);
    if replaced > 0 {
        eprintln!(
            "conform: {name}: {replaced} references that point at nothing here are any value for Prism too"
        );
    }
    write_file(
        &spec_file,
        serde_json::to_string(&view).unwrap_or_default().as_bytes(),
    )?;
    let status = cargo()
        .current_dir(&dir)
        .args(["build", "--quiet", "--example", "conform"])
        .env(
            "CARGO_TARGET_DIR",
            crate::util::target_dir(root).join("conform-target"),
        )
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("the conformance program does not build".into());
    }
    let program = crate::util::target_dir(root).join("conform-target/debug/examples/conform");
    let mut calls = Vec::new();
    for (mode, dynamic) in [("static", false), ("dynamic", true)] {
        // The program runs the calls from `from` on; when Prism dies under a call, that
        // call is recorded as its crash (with Prism's last words) and a new Prism serves
        // the calls after it.
        let mut from = 0;
        let total = program_calls;
        while from < total {
            let port = free_port()?;
            let log = dir.join(format!("prism-{mode}.log"));
            let spec_arg = spec_file.to_string_lossy();
            let mut servers = Vec::new();
            // Prism's proxy beside the mock checks answers against the document (its
            // `sl-violations` name where an answer breaks a schema), which dynamic mode
            // does not do at all and static mode does not do for values it builds from a
            // schema without examples. The calls go to the mock itself (the proxy cannot
            // forward every body: it hangs on a JSON string), and an answer that does not
            // decode is asked for again through the proxy.
            let mut mock = vec!["mock", &spec_arg];
            if dynamic {
                mock.extend(["--dynamic", "--seed", "1"]);
            }
            servers.push(start_prism(prism, port, &mock, &log)?);
            let upstream = format!("http://127.0.0.1:{port}");
            let proxy_port = free_port()?;
            let proxy_log = dir.join(format!("prism-{mode}-proxy.log"));
            let check = match start_prism(
                prism,
                proxy_port,
                &["proxy", &spec_arg, &upstream],
                &proxy_log,
            ) {
                Ok(proxy) => {
                    servers.push(proxy);
                    format!("http://127.0.0.1:{proxy_port}")
                }
                Err(e) => {
                    for mut s in servers {
                        let _ = s.kill();
                        let _ = s.wait();
                    }
                    return Err(e);
                }
            };
            let mut command = Command::new(&program);
            command
                .env("CONFORM_BASE_URL", format!("http://127.0.0.1:{port}"))
                .env("CONFORM_FROM", from.to_string());
            command.env("CONFORM_CHECK_URL", &check);
            let out = command.output();
            // The calls go to the mock (`servers[0]`); the proxy only checks answers again.
            let died = matches!(servers[0].try_wait(), Ok(Some(_)));
            for s in &mut servers {
                let _ = s.kill();
                let _ = s.wait();
            }
            let out = out.map_err(|e| format!("cannot run the program: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "the program failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            let mut ran = Vec::new();
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                let f: Vec<&str> = line.splitn(9, '\t').collect();
                if let [
                    operation,
                    media,
                    variant,
                    outcome,
                    status,
                    violations,
                    detail,
                    sent,
                    answer,
                ] = f.as_slice()
                {
                    ran.push(Call {
                        mode,
                        operation: operation.to_string(),
                        media: media.to_string(),
                        variant: variant.to_string(),
                        outcome: outcome.to_string(),
                        status: status.to_string(),
                        violations: violations.to_string(),
                        detail: detail.to_string(),
                        sent: sent.to_string(),
                        answer: answer.to_string(),
                    });
                }
            }
            let crashed = died
                .then(|| {
                    ran.iter().position(|c| {
                        c.outcome == "error" && c.detail.contains("error sending request")
                    })
                })
                .flatten();
            match crashed {
                Some(at) => {
                    ran.truncate(at + 1);
                    let last = &mut ran[at];
                    last.outcome = "prism-crash".into();
                    let proxy_log = dir.join(format!("prism-{mode}-proxy.log"));
                    last.detail = prism_error(&log);
                    if last.detail.contains("no error in its log") {
                        last.detail = prism_error(&proxy_log);
                    }
                    from += at + 1;
                    calls.extend(ran);
                }
                None => {
                    calls.extend(ran);
                    break;
                }
            }
        }
    }
    // Operations whose requests a server cannot tell from another's of the same method:
    // their path keys differ only by a fragment (`/v1/conversations#stream`; HTTP does not
    // send it) or by their parameters' names (`/boards/{board_id}` and
    // `/boards/{board_id_upload}`), so Prism validates the request as the other one; and
    // any path with a fragment, which Prism routes as written, so no request reaches it
    // (its 404). The generator warns about both.
    let shape = |op: &Operation| {
        let bare = op.path.split('#').next().unwrap_or("");
        format!(
            "{} {}",
            op.method.as_str(),
            openapi_client_gen::ir::path_shape(bare)
        )
    };
    let mut by_shape: HashMap<String, usize> = HashMap::new();
    for op in &generated.api.operations {
        *by_shape.entry(shape(op)).or_default() += 1;
    }
    let shadowed = generated
        .api
        .operations
        .iter()
        .filter(|op| by_shape[&shape(op)] > 1 || op.path.contains('#'))
        .map(|op| op.name.clone())
        .collect();
    let schemaless_errors = generated
        .api
        .operations
        .iter()
        .filter_map(|op| {
            let code = asked_error(op)?;
            let content = response_content(&spec, op, &code.to_string())?;
            (!content.is_empty() && content.values().all(|m| m.get("schema").is_none()))
                .then(|| format!("{} error-{code}", op.name))
        })
        .collect();
    // Operations that declare a path parameter their path has no `{name}` for: no
    // request can carry it (the generator warns and leaves it out), while Prism requires
    // it of every request.
    let untemplated = generated
        .api
        .operations
        .iter()
        .filter_map(|op| {
            let (operation, item) = operation_json(&spec, op)?;
            let lists = [
                operation.get("parameters"),
                item.and_then(|i| i.get("parameters")),
            ];
            let missing: Vec<String> = lists
                .into_iter()
                .flatten()
                .filter_map(Value::as_array)
                .flatten()
                .map(|p| crate::synth::resolve(&spec, p))
                .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
                .filter_map(|p| p.get("name").and_then(Value::as_str))
                .filter(|name| !op.path.contains(&format!("{{{name}}}")))
                .map(String::from)
                .collect();
            (!missing.is_empty()).then(|| (op.name.clone(), missing))
        })
        .collect();
    // Query keys two parameters both write (the generator warns).
    let colliding = generated
        .api
        .operations
        .iter()
        .filter_map(|op| {
            let keys: Vec<String> =
                openapi_client_gen::ir::colliding_query_keys(op, &generated.api.types)
                    .into_iter()
                    .map(|(_, key)| key)
                    .collect();
            (!keys.is_empty()).then(|| (op.name.clone(), keys))
        })
        .collect();
    // Operations whose multipart body requires no property: with only the required
    // values the form has no part, and RFC 2046's multipart grammar has at least one.
    let empty_forms = generated
        .api
        .operations
        .iter()
        .filter(|op| {
            body_schema(&spec, &generated.api, &op.name, "multipart/form-data").is_some_and(
                |schema| {
                    let mut required = std::collections::BTreeSet::new();
                    crate::synth::required_names(&spec, schema, 0, &mut required);
                    required.is_empty()
                },
            )
        })
        .map(|op| op.name.clone())
        .collect();
    let contradictory = generated
        .api
        .operations
        .iter()
        .filter_map(|op| {
            let names = contradictory_params(&spec, op);
            (!names.is_empty()).then(|| (op.name.clone(), names))
        })
        .collect();
    check_bodies(&spec, &generated.api, &mut calls);
    misfit_answers(&spec, &generated.api, &mut calls);
    let facts = Facts {
        shadowed,
        schemaless_errors,
        untemplated,
        colliding,
        contradictory,
        empty_forms,
        partless_forms: generated
            .api
            .operations
            .iter()
            .filter(|op| {
                op.body.as_ref().is_some_and(|b| {
                    b.body.encoding == openapi_client_gen::ir::BodyEncoding::MultipartParts
                })
            })
            .map(|op| op.name.clone())
            .collect(),
    };
    Ok((calls, generated.api.operations.len(), facts))
}

/// Checks each JSON body Prism flagged (and nothing else of its request) with an
/// independent validator: a body it finds valid is Prism's disagreement
/// (`prism-disagrees`); one matching several branches of a `oneOf` is the document's
/// (`oneof-overlap`: branches that do not exclude each other, which no body could pass);
/// one refused by an `allOf` closed against its own branches is the document's
/// (`closed-allof`). Anything else stays a failure.
fn check_bodies(spec: &Value, api: &Api, calls: &mut [Call]) {
    let mut validators: HashMap<(String, String), Option<jsonschema::Validator>> = HashMap::new();
    for c in calls.iter_mut() {
        let one_of = c.violations.contains("exactly one schema in oneOf");
        // Prism's message has a `;` of its own ("...; found 'x'"); what counts is the
        // validator's finding below, on the whole body.
        let closed = c.violations.contains("must NOT have additional properties");
        // Every violation Prism names is in the body (none in a path, query, header or
        // cookie), so the body alone can answer for it.
        let in_body = !["path", "query", "header", "cookie"].iter().any(|place| {
            c.violations.contains(&format!("[\"request\",\"{place}\""))
                || c.violations.contains(&format!("[\"{place}\""))
        });
        if c.outcome != "request-violation" || !in_body || c.sent.is_empty() {
            continue;
        }
        let Ok(sent) = serde_json::from_str::<Value>(&c.sent) else {
            continue;
        };
        let validator = validators
            .entry((c.operation.clone(), c.media.clone()))
            .or_insert_with(|| body_validator(spec, api, &c.operation, &c.media));
        let Some(validator) = validator.as_ref() else {
            continue;
        };
        if validator.iter_errors(&sent).next().is_none() {
            c.outcome = "prism-disagrees".into();
            c.detail = "an independent validator (the jsonschema crate) finds the body sent valid by the document's schema".into();
            continue;
        }
        if let Some(schema) = body_schema(spec, api, &c.operation, &c.media)
            && let Some(evidence) = refuses_what_it_requires(spec, schema, validator, &sent)
        {
            c.outcome = "refuses-required".into();
            c.detail = evidence;
            continue;
        }
        if let Some(evidence) = unsatisfiable_enum(validator, &sent) {
            c.outcome = "unsatisfiable-enum".into();
            c.detail = evidence;
            continue;
        }
        if one_of && let Some(evidence) = overlap_evidence(validator, &sent, &c.violations) {
            c.outcome = "oneof-overlap".into();
            c.detail = evidence;
        }
        if closed
            && let Some(schema) = body_schema(spec, api, &c.operation, &c.media)
            && let Some(evidence) = closed_all_of(spec, schema, validator, &sent)
        {
            c.outcome = "closed-allof".into();
            c.detail = evidence;
        }
    }
}

/// The evidence that the body's shape admits no value: the validator refuses names as
/// additional properties (an `additionalProperties: false` applied wherever the value is),
/// and either the object itself requires each of them once it is left out (Jira's
/// `ScreenTypes` requires `defaultScreen`, lists no such property and admits no other: no
/// value passes), or a branch of a union beside the closed keyword, which the value sent
/// fits, requires one of them and declares the others (Jira's `CustomContextVariable`
/// lists only `type` beside a `oneOf` whose `UserContextVariable` requires `accountId`: no
/// value of that branch passes, whatever else it holds). Apart from those, the validator
/// may only report the union and the required names at the values whose names it refuses;
/// any other error is the body's own. `schema` is the body's schema in `spec`, which
/// `validator` checks. The generator warns about the first kind (`invalid-value`). `None`
/// otherwise.
fn refuses_what_it_requires(
    spec: &Value,
    schema: &Value,
    validator: &jsonschema::Validator,
    sent: &Value,
) -> Option<String> {
    use jsonschema::error::ValidationErrorKind as K;
    type Error<'a> = jsonschema::ValidationError<'a>;
    fn union_or_required(e: &Error) -> bool {
        matches!(
            e.kind(),
            K::Required { .. }
                | K::OneOfNotValid { .. }
                | K::OneOfMultipleValid { .. }
                | K::AnyOf { .. }
        )
    }
    let requires = |errors: &[Error<'_>], at: &str, name: &str| {
        errors.iter().any(|e| {
            e.instance_path().as_str() == at
                && matches!(e.kind(), K::Required { property } if property.as_str() == Some(name))
        })
    };
    let sent_errors: Vec<Error> = validator.iter_errors(sent).collect();
    let mut pruned = sent.clone();
    // (value, name, where the closed schema is in the validator's document)
    let mut refused: Vec<(String, String, String)> = Vec::new();
    for error in &sent_errors {
        let location = error.schema_path().as_str();
        let Some(closed) = location.strip_suffix("/additionalProperties") else {
            continue;
        };
        let at = error.instance_path().as_str().to_string();
        let unexpected: Vec<String> = match error.kind() {
            K::AdditionalProperties { unexpected } => unexpected.clone(),
            // A closed object that lists no property is reported as a `false` schema, at
            // the object or at its first member: each of its names is refused.
            K::FalseSchema => {
                let at = match sent.pointer(&at) {
                    Some(Value::Object(_)) => at.clone(),
                    _ => at.rsplit_once('/').map(|(parent, _)| parent.to_string())?,
                };
                let closed_schema = schema_at(spec, schema, closed)?;
                if closed_schema.get("patternProperties").is_some()
                    || closed_schema
                        .get("properties")
                        .and_then(Value::as_object)
                        .is_some_and(|p| !p.is_empty())
                {
                    return None;
                }
                let names: Vec<String> = sent.pointer(&at)?.as_object()?.keys().cloned().collect();
                let object = pruned.pointer_mut(&at)?.as_object_mut()?;
                for name in names {
                    object.remove(&name);
                    if !refused.iter().any(|(a, n, _)| *a == at && *n == name) {
                        refused.push((at.clone(), name, closed.to_string()));
                    }
                }
                continue;
            }
            _ => continue,
        };
        let object = pruned.pointer_mut(&at)?.as_object_mut()?;
        for name in unexpected {
            object.remove(&name);
            refused.push((at.clone(), name, closed.to_string()));
        }
    }
    if refused.is_empty() {
        return None;
    }
    let at_refused = |e: &Error| {
        refused
            .iter()
            .any(|(at, _, _)| e.instance_path().as_str() == at)
    };
    // The union failing at a refused value (it may well: its branches declare the names)
    // or its name required is no fault of the body; an error elsewhere is.
    let closing = |e: &Error| {
        matches!(e.kind(), K::AdditionalProperties { .. } | K::FalseSchema)
            && e.schema_path().as_str().ends_with("/additionalProperties")
    };
    if !sent_errors
        .iter()
        .all(|e| closing(e) || union_or_required(e) && at_refused(e))
    {
        return None;
    }
    let errors: Vec<Error> = validator.iter_errors(&pruned).collect();
    if !errors.iter().all(|e| union_or_required(e) && at_refused(e)) {
        return None;
    }
    // Each one required by the object itself: no value at all passes.
    if refused.iter().all(|(at, n, _)| requires(&errors, at, n)) {
        let names: Vec<String> = refused
            .iter()
            .map(|(at, n, _)| format!("`{n}` at `{at}`"))
            .collect();
        return Some(format!(
            "the validator refuses {} as an additional property, and requires it when it is left out",
            names.join(", ")
        ));
    }
    // Else the branch of the union beside the closed keyword that the value sent fits: the
    // validator of that branch alone finds the value valid, and without the refused names
    // requires one of them; the others are names the branch declares.
    let (at, _, closed) = &refused[0];
    if refused.iter().any(|(a, _, c)| a != at || c != closed) {
        return None;
    }
    let closed_schema = schema_at(spec, schema, closed)?;
    let value = sent.pointer(at)?;
    let without = pruned.pointer(at)?;
    for keyword in ["oneOf", "anyOf"] {
        let Some(union) = closed_schema.get(keyword).and_then(Value::as_array) else {
            continue;
        };
        for (index, branch) in union.iter().enumerate() {
            let Some(alone) = validator_in(spec, branch) else {
                continue;
            };
            if !alone.is_valid(value) {
                continue;
            }
            let branch_errors: Vec<Error> = alone.iter_errors(without).collect();
            let mut declared = std::collections::BTreeSet::new();
            crate::synth::described(spec, branch, 0, &mut declared);
            let required: Vec<&str> = refused
                .iter()
                .filter(|(_, n, _)| requires(&branch_errors, "", n))
                .map(|(_, n, _)| n.as_str())
                .collect();
            if !required.is_empty()
                && refused
                    .iter()
                    .all(|(_, n, _)| required.contains(&n.as_str()) || declared.contains(n))
            {
                let name = branch
                    .get("$ref")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("{index}"), |r| format!("{index} (`{r}`)"));
                return Some(format!(
                    "the validator refuses {} at `{at}` as additional properties (`additionalProperties: false` at `#{closed}`), while `{keyword}` branch {name} beside it, which the value sent fits, requires {} when left out: no value of that branch passes",
                    refused
                        .iter()
                        .map(|(_, n, _)| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    required
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    None
}

/// The schema at `location` in a validator's document from [`validator_in`]: the body's
/// `schema` under `/x-conform-body`, else `spec`.
fn schema_at<'s>(spec: &'s Value, schema: &'s Value, location: &str) -> Option<&'s Value> {
    match location.strip_prefix("/x-conform-body") {
        Some(rest) => schema.pointer(rest),
        None => spec.pointer(location),
    }
}

/// The evidence that no body can pass: the validator refuses a value by an `enum` none of
/// whose values is of that value's JSON type (the client's type for it follows the
/// schema's `type`, and the document's `enum` lists no value of that type: `type: array`
/// with `enum: ["urn:..."]`; the generator warns). `None` otherwise.
fn unsatisfiable_enum(validator: &jsonschema::Validator, sent: &Value) -> Option<String> {
    use jsonschema::error::ValidationErrorKind as K;
    let kind = |v: &Value| std::mem::discriminant(v);
    validator.iter_errors(sent).find_map(|error| {
        let K::Enum { options } = error.kind() else {
            return None;
        };
        let instance = error.instance();
        let of_its_type = options
            .as_array()
            .is_some_and(|o| o.iter().any(|v| kind(v) == kind(instance)));
        (!of_its_type).then(|| {
            format!(
                "the value at `{}` must be one of {options}, none of which is of its type (the validator's error)",
                error.instance_path().as_str()
            )
        })
    })
}

/// The evidence that a body is refused only because an `allOf` is closed: every error of
/// an independent validator is an `additionalProperties: false` at the body's top refusing
/// names that the schema's own `allOf` branches declare (JSON Schema applies each branch,
/// and the schema around them, alone, so a closed one refuses its siblings' properties and
/// such a schema accepts no value that has them). `None` otherwise.
fn closed_all_of(
    spec: &Value,
    schema: &Value,
    validator: &jsonschema::Validator,
    sent: &Value,
) -> Option<String> {
    let mut names = std::collections::BTreeSet::new();
    crate::synth::described(spec, schema, 0, &mut names);
    use jsonschema::error::ValidationErrorKind as K;
    // A closed schema with no properties of its own may be reported as refusing the whole
    // value (`false`): then each of the value's names counts as refused.
    let closed_here = crate::synth::resolve(spec, schema).get("additionalProperties")
        == Some(&Value::Bool(false));
    let mut refused: Vec<String> = Vec::new();
    for error in validator.iter_errors(sent) {
        if !error.instance_path().as_str().is_empty() {
            return None;
        }
        match error.kind() {
            K::AdditionalProperties { unexpected } => refused.extend(unexpected.iter().cloned()),
            K::FalseSchema if closed_here => {
                refused.extend(sent.as_object()?.keys().cloned());
            }
            _ => return None,
        }
    }
    (!refused.is_empty() && refused.iter().all(|r| names.contains(r))).then(|| {
        refused.sort();
        refused.dedup();
        format!(
            "an independent validator (the jsonschema crate) refuses only properties the schema's own `allOf` branches declare ({}): an `additionalProperties: false` beside or inside the `allOf` forbids its siblings' properties, so the schema accepts no such value",
            refused.join(", ")
        )
    })
}

/// Marks each call whose answer did not decode while an independent validator finds that
/// answer out of the document's own schema, in what the decode error names (the missing
/// field, the enum value, the union, the type): Prism's answer's misfit, with the
/// validator's errors as the evidence. Prism checks only some of its answers (static mode
/// not the values it builds from schemas), and its check can miss what this one finds.
fn misfit_answers(spec: &Value, api: &Api, calls: &mut [Call]) {
    let mut validators: HashMap<(String, String), Option<jsonschema::Validator>> = HashMap::new();
    for c in calls.iter_mut() {
        if c.outcome != "decode-failed" || c.answer.is_empty() {
            continue;
        }
        let Ok(answer) = serde_json::from_str::<Value>(&c.answer) else {
            continue;
        };
        let validator = validators
            .entry((c.operation.clone(), c.status.clone()))
            .or_insert_with(|| response_validator(spec, api, &c.operation, &c.status));
        let Some(validator) = validator.as_ref() else {
            continue;
        };
        let errors: Vec<jsonschema::ValidationError> = validator.iter_errors(&answer).collect();
        let positions = decode_positions(&c.detail, &c.answer);
        let here: Vec<&jsonschema::ValidationError> = with_nested(&errors)
            .into_iter()
            .filter(|e| positions.iter().any(|p| e.instance_path().as_str() == p))
            .collect();
        if explained_by(&c.detail, &here) {
            c.outcome = "validated-misfit".into();
            // The errors at the value the decode stopped in: the evidence itself.
            c.violations = here
                .iter()
                .take(8)
                .map(|e| format!("{e} at {}", e.instance_path().as_str()))
                .collect::<Vec<_>>()
                .join("; ");
            c.detail = format!(
                "an independent validator (the jsonschema crate) finds the whole answer out of the document's schema; {}",
                c.detail
            );
        }
    }
}

/// `errors` and, inside each `anyOf`/`oneOf` none of whose branches fits, the errors of
/// every branch: a union at the answer's top (Lob's `creative`, a `oneOf` of kinds) has
/// one error at the top, and the values that break each branch only inside it.
fn with_nested<'e, 'a>(
    errors: &'e [jsonschema::ValidationError<'a>],
) -> Vec<&'e jsonschema::ValidationError<'a>> {
    use jsonschema::error::ValidationErrorKind as K;
    let mut out = Vec::new();
    let mut stack: Vec<&'e jsonschema::ValidationError<'a>> = errors.iter().collect();
    while let Some(e) = stack.pop() {
        out.push(e);
        if let K::AnyOf { context } | K::OneOfNotValid { context } = e.kind() {
            stack.extend(context.iter().flatten());
        }
    }
    out
}

/// The JSON pointers of the values of `answer` a decode error (`detail`) is about: where
/// it stopped (`at line L column C`, see [`values_at`]); with no position, the answer
/// itself for a union that matched no variant (serde_json gives none for a union at the
/// answer's top, which the runtime reads whole before it tries the variants); else none.
fn decode_positions(detail: &str, answer: &str) -> Vec<String> {
    detail
        .split(" at line ")
        .nth(1)
        .and_then(|rest| {
            let (line, rest) = rest.split_once(" column ")?;
            let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
            Some(values_at(answer, line.parse().ok()?, column.parse().ok()?))
        })
        .unwrap_or_else(|| {
            if detail.contains("did not match any variant of untagged enum") {
                vec![String::new()]
            } else {
                Vec::new()
            }
        })
}

/// The JSON pointers of the values of `text` a decode error that stopped at `line L
/// column C` (serde_json's 1-based position of the last character it read) is about: the
/// innermost value ending at that character, and the innermost ending just before it
/// (serde_json peeks one character past an untagged enum's value before it fails).
fn values_at(text: &str, line: usize, column: usize) -> Vec<String> {
    let Some(offset) = column
        .checked_sub(1)
        .zip(line.checked_sub(1))
        .map(|(c, l)| {
            text.split_inclusive('\n')
                .take(l)
                .map(str::len)
                .sum::<usize>()
                + c
        })
    else {
        return Vec::new();
    };
    let bytes = text.as_bytes();
    let mut spans: Vec<(usize, usize, String)> = Vec::new();
    let mut at = 0;
    if spans_of(bytes, &mut at, String::new(), &mut spans, 0).is_none() {
        return Vec::new();
    }
    let ending = |end: usize| {
        spans
            .iter()
            .filter(|(_, e, _)| *e == end)
            .min_by_key(|(start, e, _)| e - start)
            .map(|(_, _, pointer)| pointer.clone())
    };
    ending(offset + 1)
        .into_iter()
        .chain(ending(offset))
        .collect()
}

/// The JSON pointer of the innermost value of `text` that holds the character at `line`
/// and `column` (1-based).
#[cfg(test)]
fn value_at(text: &str, line: usize, column: usize) -> Option<String> {
    let offset = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum::<usize>()
        + column.checked_sub(1)?;
    let bytes = text.as_bytes();
    let mut spans: Vec<(usize, usize, String)> = Vec::new();
    let mut at = 0;
    spans_of(bytes, &mut at, String::new(), &mut spans, 0)?;
    spans
        .into_iter()
        .filter(|(start, end, _)| *start <= offset && offset < *end)
        .min_by_key(|(start, end, _)| end - start)
        .map(|(_, _, pointer)| pointer)
}

/// Reads one JSON value from `at`, recording the span and pointer of it and of each value
/// inside it; `None` for text that is not JSON.
fn spans_of(
    bytes: &[u8],
    at: &mut usize,
    pointer: String,
    spans: &mut Vec<(usize, usize, String)>,
    depth: usize,
) -> Option<()> {
    let skip = |at: &mut usize| {
        while bytes.get(*at).is_some_and(u8::is_ascii_whitespace) {
            *at += 1;
        }
    };
    let string = |at: &mut usize| -> Option<String> {
        let start = *at + 1;
        *at += 1;
        while *bytes.get(*at)? != b'"' {
            *at += if bytes[*at] == b'\\' { 2 } else { 1 };
        }
        *at += 1;
        serde_json::from_slice::<String>(&bytes[start - 1..*at]).ok()
    };
    if depth > 256 {
        return None;
    }
    skip(at);
    let start = *at;
    match *bytes.get(*at)? {
        b'{' => {
            *at += 1;
            loop {
                skip(at);
                match *bytes.get(*at)? {
                    b'}' => break,
                    b',' => *at += 1,
                    b'"' => {
                        let key = string(at)?;
                        skip(at);
                        (*bytes.get(*at)? == b':').then_some(())?;
                        *at += 1;
                        let escaped = key.replace('~', "~0").replace('/', "~1");
                        spans_of(bytes, at, format!("{pointer}/{escaped}"), spans, depth + 1)?;
                    }
                    _ => return None,
                }
            }
            *at += 1;
        }
        b'[' => {
            *at += 1;
            let mut index = 0;
            loop {
                skip(at);
                match *bytes.get(*at)? {
                    b']' => break,
                    b',' => *at += 1,
                    _ => {
                        spans_of(bytes, at, format!("{pointer}/{index}"), spans, depth + 1)?;
                        index += 1;
                    }
                }
            }
            *at += 1;
        }
        b'"' => {
            string(at)?;
        }
        _ => {
            while bytes
                .get(*at)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
            {
                *at += 1;
            }
        }
    }
    spans.push((start, *at, pointer));
    Some(())
}

/// Whether a validator's errors (at the value a decode error stopped in) are about what
/// the decode error names.
fn explained_by(decode: &str, errors: &[&jsonschema::ValidationError]) -> bool {
    use jsonschema::error::ValidationErrorKind as K;
    let named = |prefix: &str| {
        decode
            .split(prefix)
            .nth(1)
            .and_then(|r| r.split('`').next())
    };
    // A union no branch of which fits is explained by any error at its value (a missing
    // property the schema beside the union requires, a wrong type): the value breaks the
    // schema right there.
    if decode.contains("did not match any variant") {
        return !errors.is_empty();
    }
    errors.iter().any(|e| match e.kind() {
        K::Required { property } => {
            named("missing field `").is_some_and(|field| property.as_str() == Some(field))
        }
        K::Enum { .. } | K::Constant { .. } => decode.contains("unknown variant"),
        K::OneOfNotValid { .. } | K::AnyOf { .. } | K::OneOfMultipleValid { .. } => {
            decode.contains("did not match any variant")
        }
        K::Type { .. } => decode.contains("invalid type"),
        _ => false,
    })
}

/// A validator of `operation`'s response with `status` (its code, else its range, else
/// `default`), of its JSON media type.
fn response_validator(
    spec: &Value,
    api: &Api,
    operation: &str,
    status: &str,
) -> Option<jsonschema::Validator> {
    let op = api.operations.iter().find(|o| o.name == operation)?;
    let content = response_content(spec, op, status)?;
    let (_, media) = content
        .iter()
        .find(|(k, _)| k.contains("json"))
        .or_else(|| content.iter().next())?;
    validator_in(spec, media.get("schema")?)
}

/// The `content` of `op`'s response for `status` (its code, else its range, else
/// `default`), references resolved (`content` may itself be a `$ref`, to
/// `components/mediaTypes` in 3.2).
fn response_content<'s>(
    spec: &'s Value,
    op: &Operation,
    status: &str,
) -> Option<&'s serde_json::Map<String, Value>> {
    let (operation, _) = operation_json(spec, op)?;
    let responses = operation.get("responses")?.as_object()?;
    let range = format!("{}XX", status.chars().next()?);
    let response = responses
        .get(status)
        .or_else(|| {
            responses
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&range))
                .map(|(_, v)| v)
        })
        .or_else(|| responses.get("default"))?;
    let response = crate::synth::resolve(spec, response);
    crate::synth::resolve(spec, response.get("content")?).as_object()
}

/// A validator of `operation`'s request body in `media`, by the document's own schema (the
/// whole document is its root, so its references resolve): JSON Schema draft 4 for an
/// OpenAPI 3.0 document, 2020-12 for 3.1 and later. `None` when the schema does not
/// compile (a pattern the validator's regex engine refuses, say).
fn body_validator(
    spec: &Value,
    api: &Api,
    operation: &str,
    media: &str,
) -> Option<jsonschema::Validator> {
    validator_in(spec, body_schema(spec, api, operation, media)?)
}

/// The schema of `operation`'s request body in `media`.
fn body_schema<'s>(spec: &'s Value, api: &Api, operation: &str, media: &str) -> Option<&'s Value> {
    let op = api.operations.iter().find(|o| o.name == operation)?;
    let (operation, _) = operation_json(spec, op)?;
    let body = crate::synth::resolve(spec, operation.get("requestBody")?);
    crate::synth::resolve(spec, body.get("content")?)
        .get(media)?
        .get("schema")
}

/// A validator of `schema` as a part of the document `spec` (see [`body_validator`]). It
/// reads the document as the generator does: a reference that points at nothing (a missing
/// component, another document) is any value, else the validator would refuse to compile
/// the whole schema (Square's `CatalogObject` reaches both kinds) and check nothing.
fn validator_in(spec: &Value, schema: &Value) -> Option<jsonschema::Validator> {
    let mut root = spec.clone();
    let mut schema = schema.clone();
    let mut changed = 0;
    unread_refs(spec, &mut root, false, false, &[], &mut changed);
    unread_refs(spec, &mut schema, false, false, &[], &mut changed);
    let draft4 = spec["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.0"));
    if draft4 {
        with_nulls(&mut root);
        with_nulls(&mut schema);
    }
    let object = root.as_object_mut()?;
    object.insert("x-conform-body".into(), schema);
    object.insert("$ref".into(), Value::String("#/x-conform-body".into()));
    let draft = if draft4 {
        jsonschema::Draft::Draft4
    } else {
        jsonschema::Draft::Draft202012
    };
    jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(true)
        .build(&root)
        .ok()
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema says it: `null` among the `type`s (and
/// the `enum` values) of each schema in `value` with a `type`, where 3.0 gives it effect.
fn with_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true))
                && let Some(Value::String(ty)) = map.get("type").cloned()
            {
                map.insert("type".into(), serde_json::json!([ty, "null"]));
                if let Some(Value::Array(values)) = map.get_mut("enum")
                    && !values.contains(&Value::Null)
                {
                    values.push(Value::Null);
                }
            }
            for v in map.values_mut() {
                with_nulls(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(with_nulls),
        _ => {}
    }
}

/// The evidence that a body Prism flagged matches several branches of a `oneOf`: the
/// validator's only errors are "more than one branch is valid", and each of Prism's
/// violations lies at or inside such a value. `None` otherwise.
fn overlap_evidence(
    validator: &jsonschema::Validator,
    sent: &Value,
    violations: &str,
) -> Option<String> {
    let mut several: Vec<String> = Vec::new();
    for error in validator.iter_errors(sent) {
        if !matches!(
            error.kind(),
            jsonschema::error::ValidationErrorKind::OneOfMultipleValid { .. }
        ) {
            return None;
        }
        several.push(error.instance_path().as_str().to_string());
    }
    if several.is_empty() {
        return None;
    }
    for violation in violations.split("; ") {
        let (_, location) = violation.rsplit_once(" at ")?;
        let parts: Vec<Value> = serde_json::from_str(location).ok()?;
        let parts: Vec<String> = parts
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        let parts = parts
            .strip_prefix(&["request".to_string()])
            .unwrap_or(&parts);
        let rest = parts.strip_prefix(&["body".to_string()])?;
        let pointer: String = rest
            .iter()
            .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
            .collect();
        let inside = several
            .iter()
            .any(|s| pointer == *s || pointer.starts_with(&format!("{s}/")));
        if !inside {
            return None;
        }
    }
    let at: Vec<String> = several
        .iter()
        .map(|s| {
            if s.is_empty() {
                "the body".to_string()
            } else {
                format!("`{s}`")
            }
        })
        .collect();
    Some(format!(
        "an independent validator (the jsonschema crate) finds the body sent matching more than one `oneOf` branch at {}",
        at.join(", ")
    ))
}

/// What the harness reads from the document to classify failures by.
struct Facts {
    /// Operations whose requests a server cannot tell from another operation's.
    shadowed: Vec<String>,
    /// `operation error-N` for each documented error status the harness asks for whose
    /// response gives media types but no schema.
    schemaless_errors: Vec<String>,
    /// Operations with the path parameters they declare but their path does not template.
    untemplated: HashMap<String, Vec<String>>,
    /// Operations with the query keys two of their parameters both write.
    colliding: HashMap<String, Vec<String>>,
    /// Operations with the parameters (`location name`) whose `pattern` and `format`
    /// admit no common value ([`contradictory_params`]).
    contradictory: HashMap<String, Vec<String>>,
    /// Operations whose multipart body requires no property.
    empty_forms: Vec<String>,
    /// Operations whose multipart schema names no parts (the caller's form).
    partless_forms: Vec<String>,
}

/// The documented error status the harness asks Prism for (`Prefer: code=N`): the first
/// 4xx or 5xx code.
fn asked_error(op: &Operation) -> Option<u16> {
    op.errors.iter().find_map(|e| match e.status {
        openapi_client_gen::ir::StatusMatch::Code(c) if c >= 400 => Some(c),
        _ => None,
    })
}

/// Walks `value` (a part of `root`) as [`prism_view`] describes: a `$ref` that points at
/// nothing becomes a schema without constraint (inside data, the member is left out), a
/// `#components/...` reference is spelt `#/components/...`; counts the changes in `n`.
fn unread_refs(
    root: &Value,
    value: &mut Value,
    data: bool,
    names: bool,
    at: &[&str],
    n: &mut usize,
) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                let canonical = openapi_client_gen::spec::refs::canonical(r);
                let resolves = canonical
                    .strip_prefix('#')
                    .is_some_and(|p| p.is_empty() || root.pointer(p).is_some());
                if !resolves {
                    *n += 1;
                    if data {
                        map.remove("$ref");
                    } else {
                        *value = serde_json::json!({
                            "description": format!("`$ref` {r}: points at nothing Prism can read")
                        });
                        return;
                    }
                } else if canonical != *r && !r.starts_with("#/") {
                    *n += 1;
                    map.insert("$ref".into(), Value::String(canonical));
                }
            }
            // The members of a map of names (`properties`, `schemas`, `paths`, ...)
            // are names, not keywords.
            const NAME_MAPS: &[&str] = &[
                "properties",
                "patternProperties",
                "$defs",
                "definitions",
                "schemas",
                "responses",
                "parameters",
                "examples",
                "requestBodies",
                "headers",
                "securitySchemes",
                "links",
                "callbacks",
                "pathItems",
                "paths",
                "content",
                "encoding",
                "mapping",
                "dependentSchemas",
                "variables",
                "webhooks",
            ];
            for (key, child) in map.iter_mut() {
                let keyword = !names;
                // An extension is data wherever it is, but among a schema's
                // properties `x-...` is a property's name.
                let extension = key.starts_with("x-")
                    && !(names && matches!(at.last(), Some(&("properties" | "patternProperties"))));
                let in_data = data
                    || extension
                    || keyword
                        && (matches!(key.as_str(), "example" | "default" | "enum" | "const")
                            || key == "examples" && child.is_array()
                            || key == "value" && at.len() >= 2 && at[at.len() - 2] == "examples");
                let child_names = keyword && NAME_MAPS.contains(&key.as_str());
                let mut path = at.to_vec();
                path.push(key.as_str());
                unread_refs(root, child, in_data, child_names, &path, n);
            }
        }
        Value::Array(items) => {
            for item in items {
                unread_refs(root, item, data, false, at, n);
            }
        }
        _ => {}
    }
}

/// The document as Prism is given it. Prism resolves every `$ref` it meets before it
/// listens, and refuses the whole document when one points at nothing it can open: another
/// document (CI has no network), a missing component, a file beside the source. The
/// generator reads such a reference as any value and warns (`external-ref`, `dangling-ref`);
/// so that Prism checks the rest, its copy says the same: the reference becomes a schema
/// with no constraint (`{"description": ...}`, also a response without content). A `$ref`
/// member inside data (an `example`, an example's `value`, an extension `x-...`, `default`,
/// `enum`, `const`) is not a reference at all (SCIM resources carry `$ref` URLs as data),
/// but Prism follows it too: there one that points at nothing Prism can read is left out
/// of Prism's copy (one that resolves is left as it is). A local reference spelt
/// `#components/...`, which the generator reads as `#/components/...`, is given to Prism
/// in that form. Returns the copy and how many references were changed.
fn prism_view(spec: &Value) -> (Value, usize) {
    let mut copy = spec.clone();
    let mut n = 0;
    unread_refs(spec, &mut copy, false, false, &[], &mut n);
    // A response or request body that is a `$ref` to a schema is read by the generator as
    // that schema's JSON content (`ref-kind`); Prism reads it as an object with no content
    // and answers with no body, so it gets the same reading.
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
    ];
    if let Some(paths) = copy.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            for method in methods {
                let Some(op) = item.get_mut(method) else {
                    continue;
                };
                let as_content = |target: &Value| serde_json::json!({"application/json": {"schema": target.clone()}});
                let schema_ref = |v: &Value| {
                    v.get("$ref")
                        .and_then(Value::as_str)
                        .is_some_and(|r| r.starts_with("#/components/schemas/"))
                };
                if let Some(body) = op.get_mut("requestBody")
                    && schema_ref(body)
                {
                    *body = serde_json::json!({"content": as_content(body)});
                }
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    for response in responses.values_mut().filter(|r| schema_ref(r)) {
                        *response = serde_json::json!({
                            "description": "a schema, read as its JSON content",
                            "content": as_content(response)
                        });
                    }
                }
            }
        }
    }
    (copy, n)
}

/// The scratch crate's name (and directory) for a spec.
fn member(spec: &str) -> String {
    format!(
        "conform-{}",
        spec.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// The first line of the error Prism died with, from its log.
fn prism_error(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut lines = text.lines();
    let error = lines
        .clone()
        .find(|l| l.contains("Error:"))
        .unwrap_or("no error in its log")
        .trim()
        .to_string();
    let at = lines
        .find(|l| l.trim_start().starts_with("at ") && l.contains("prism"))
        .map(|l| l.trim().to_string())
        .unwrap_or_default();
    format!("Prism died: {error} {at}")
}

const PRISM_START_SECS: u64 = 600;

/// Starts Prism (its output to `log`) and waits until it accepts connections.
fn start_prism(prism: &Path, port: u16, args: &[&str], log: &Path) -> Result<Child, String> {
    let log = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = log.try_clone().map_err(|e| e.to_string())?;
    let mut command = Command::new(prism);
    command
        .args(&args[..1])
        .args([
            "--port",
            &port.to_string(),
            "--host",
            "127.0.0.1",
            "-v",
            "error",
        ])
        .args(&args[1..])
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(err));
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", prism.display()))?;
    // Prism reads and dereferences the whole document before it listens: several minutes
    // for the largest corpus documents on a small machine.
    let deadline = Instant::now() + Duration::from_secs(PRISM_START_SECS);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(child);
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("Prism exited ({status}) before listening"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    Err(format!("Prism did not listen within {PRISM_START_SECS} s"))
}

/// The operation object at `op.source` (a JSON pointer) and its path item's parameters.
fn operation_json<'s>(spec: &'s Value, op: &Operation) -> Option<(&'s Value, Option<&'s Value>)> {
    let pointer = op.source.trim_start_matches('#');
    let operation = spec.pointer(pointer)?;
    let item = pointer.rsplit_once('/').and_then(|(p, _)| spec.pointer(p));
    Some((operation, item))
}

/// Values for the parameter `wire` in `location`, to try in turn: its example, then one
/// from its schema (an example that does not fit its own schema, a fault of some
/// documents, would otherwise test only the document).
fn param_value(spec: &Value, op: &Operation, wire: &str, location: &str) -> Vec<Value> {
    match param_json(spec, op, wire, location) {
        Some(p) => choices(spec, p, &param_schema(p)),
        // A template expression no parameter declares: the generator makes it a string
        // argument (and warns); any text will do.
        None if location == "path" => vec![Value::String("text".into())],
        None => vec![Value::Null],
    }
}

/// A parameter location as OpenAPI's `in` writes it.
fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The Parameter Object of `op` (its own or its path item's) for `wire` in `location`.
fn param_json<'s>(
    spec: &'s Value,
    op: &Operation,
    wire: &str,
    location: &str,
) -> Option<&'s Value> {
    let (operation, item) = operation_json(spec, op)?;
    let lists = [
        operation.get("parameters"),
        item.and_then(|i| i.get("parameters")),
    ];
    lists
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| crate::synth::resolve(spec, p))
        .find(|p| {
            p.get("name").and_then(Value::as_str) == Some(wire)
                && p.get("in").and_then(Value::as_str) == Some(location)
        })
}

/// A parameter's schema: its `schema`, or its `content`'s.
fn param_schema(p: &Value) -> Value {
    p.get("schema")
        .or_else(|| {
            p.get("content")
                .and_then(|c| c.as_object()?.values().next()?.get("schema"))
        })
        .cloned()
        .unwrap_or(Value::Null)
}

/// The parameters of `op` (as `location name`) whose schema's `pattern` and `format`
/// admit no value the harness can find: its value for the schema (the format's usual
/// value, or one drawn from a pattern that refuses it) breaks the schema by the
/// independent validator, formats checked (PagerDuty's `since`: `format: date-time`
/// with `pattern: "YYYY-MM-DDThh:mm:ssZ"`, which only that literal text matches).
fn contradictory_params(spec: &Value, op: &Operation) -> Vec<String> {
    op.params
        .iter()
        .filter_map(|p| {
            let location = location_name(p.location);
            let schema = param_schema(param_json(spec, op, &p.wire_name, location)?);
            let schema = crate::synth::resolve(spec, &schema);
            schema.get("pattern")?;
            schema.get("format")?;
            let value = crate::synth::request_value(spec, schema, true);
            let valid = validator_in(spec, schema)?.is_valid(&value);
            (!valid).then(|| format!("{location} {}", p.wire_name))
        })
        .collect()
}

/// Values to try in turn: the example of a parameter or media type object (`example`,
/// else the first of `examples`), a value built from `schema` (with the schemas'
/// examples), and one built from it with no example at all; each once.
fn choices(spec: &Value, object: &Value, schema: &Value) -> Vec<Value> {
    let example = object.get("example").cloned().or_else(|| {
        object
            .get("examples")
            .and_then(Value::as_object)
            .and_then(|m| m.values().next())
            .map(|e| crate::synth::resolve(spec, e))
            .and_then(|e| e.get("value"))
            .cloned()
    });
    let mut values: Vec<Value> = Vec::new();
    for v in example.into_iter().chain([
        crate::synth::request_value(spec, schema, true),
        crate::synth::synthesised_request_value(spec, schema, true),
    ]) {
        if !values.contains(&v) {
            values.push(v);
        }
    }
    values
}

/// The program's text for values to try in turn (the helper `arg`'s argument).
fn literal(values: &[Value]) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|v| {
            let json = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
            format!("r####\"{json}\"####")
        })
        .collect();
    format!("&[{}]", items.join(", "))
}

/// Values for the request body of media type `media`, to try in turn (as `param_value`).
fn body_value(spec: &Value, op: &Operation, media: &str) -> Vec<Value> {
    let Some((operation, _)) = operation_json(spec, op) else {
        return vec![Value::Null];
    };
    let Some(body) = operation
        .get("requestBody")
        .map(|b| crate::synth::resolve(spec, b))
    else {
        return vec![Value::Null];
    };
    let Some(content) = body.get("content").and_then(|c| c.get(media)) else {
        return vec![Value::Null];
    };
    let schema = content.get("schema").cloned().unwrap_or(Value::Null);
    choices(spec, content, &schema)
}

/// Whether a type is passed by value (numbers and booleans).
fn by_value(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    )
}

/// One argument: the statement that builds it and the expression that passes it.
fn argument(index: usize, ty: &TypeRef, required: bool, values: &[Value]) -> (String, String) {
    let owned = client_type(ty);
    let n = format!("a{index}");
    let json = literal(values);
    let build = if required {
        format!("let {n}: {owned} = arg({json}, pick)?;")
    } else {
        format!("let {n}: Option<{owned}> = Some(arg({json}, pick)?);")
    };
    let pass = match (ty, required) {
        (t, true) if by_value(t) => n,
        (_, true) => format!("&{n}"),
        (t, false) if by_value(t) => n,
        (TypeRef::String | TypeRef::Vec(_) | TypeRef::Bytes, false) => format!("{n}.as_deref()"),
        (_, false) => format!("{n}.as_ref()"),
    };
    (build, pass)
}

/// The fields of a multipart body's struct literal: files as a small text file, the other
/// parts from the body's value (`value`, its example or synthesised), optional ones only
/// with `all`.
fn multipart(
    krate: &str,
    form: &openapi_client_gen::ir::MultipartForm,
    values: &[Value],
    all: bool,
) -> String {
    use openapi_client_gen::ir::PartKind;
    let file = format!("{krate}::FilePart::new(b\"conform\".to_vec()).file_name(\"conform.txt\")");
    let mut fields = Vec::new();
    for f in &form.fields {
        let parts: Vec<Value> = values
            .iter()
            .map(|v| v.get(&f.wire).cloned().unwrap_or(Value::Null))
            .collect();
        let expr = match &f.kind {
            PartKind::File => file.clone(),
            PartKind::Files => format!("vec![{file}]"),
            PartKind::Text(ty) | PartKind::Json(ty) => {
                format!("arg::<{}>({}, pick)?", client_type(ty), literal(&parts))
            }
            PartKind::Texts(ty) => {
                let items: Vec<Value> = parts
                    .iter()
                    .map(|part| match part {
                        Value::Array(_) => part.clone(),
                        _ => Value::Array(vec![part.clone()]),
                    })
                    .collect();
                format!(
                    "arg::<Vec<{}>>({}, pick)?",
                    client_type(ty),
                    literal(&items)
                )
            }
        };
        let expr = match (f.required, all) {
            (true, _) => expr,
            (false, true) => format!("Some({expr})"),
            (false, false) => "None".to_string(),
        };
        fields.push(format!("{}: {expr}", f.name));
    }
    fields.join(", ")
}

/// The program's function for one call (`run_{function}`) and its entry in the table
/// `main` runs: the call, and when Prism flags the request and some argument came from
/// the document's examples, the call again with synthesised values; then, when the answer
/// does not decode and Prism's proxy is there (dynamic mode), the same call through the
/// proxy, which checks the answers the dynamic mock does not. One small function per call
/// and a table: a `main` with every call inline takes rustc minutes for a large API, and
/// its future overflows the main thread's stack.
fn call_entry(
    operation: &str,
    media: &str,
    variant: &str,
    function: &str,
    alternatives: bool,
) -> (String, String) {
    let first = if alternatives {
        format!(
            "let first = {function}(client, 0).await;\n        let (o, pick) = if flagged(&first) {{ (second_try({variant:?}, first, {function}(client, usize::MAX).await), usize::MAX) }} else {{ (first, 0) }};"
        )
    } else {
        format!("let (o, pick) = ({function}(client, 0).await, 0);")
    };
    let wrapper = format!(
        "fn run_{function}<'a>(client: &'a Client, checker: Option<&'a Client>) -> Run<'a> {{\n    Box::pin(async move {{\n        {first}\n        let o = with_answer(o).await;\n        match checker {{\n            Some(checker) if undecoded(&o) => recheck(o, {function}(checker, pick).await),\n            _ => o,\n        }}\n    }})\n}}\n"
    );
    let entry = format!("    ({operation:?}, {media:?}, {variant:?}, run_{function}),");
    (wrapper, entry)
}

/// The program that calls every operation of `api`, and how many calls it makes.
fn program(crate_name: &str, api: &Api, spec: &Value) -> (String, usize) {
    let krate = crate_name.replace('-', "_");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Written by `cargo xtask conform`.\n#![allow(unused_imports, unused_mut, unused_variables, unused_assignments, dead_code, deprecated, clippy::all)]\nuse {krate}::types;\nuse {krate}::{{Client, Error, ResponseValue}};\n\n{HELPERS}"
    );
    let mut calls = Vec::new();
    for (i, op) in api.operations.iter().enumerate() {
        // Whether the required-parameters call has examples to fall back from.
        let mut alternatives_of = Vec::new();
        for all in [false, true] {
            let variant = if all { "all" } else { "required" };
            let mut lines = Vec::new();
            let mut passes = Vec::new();
            let mut index = 0;
            let mut skip = None;
            // Whether some argument has more than one value to try (an example, then a
            // synthesised value).
            let several = std::cell::Cell::new(false);
            let path_params = op
                .params
                .iter()
                .filter(|p| p.location == ParamLocation::Path);
            let other = op
                .params
                .iter()
                .filter(|p| p.location != ParamLocation::Path && !p.grouped);
            let location = |p: &openapi_client_gen::ir::Param| location_name(p.location);
            let push_param = |p: &openapi_client_gen::ir::Param,
                              index: &mut usize,
                              lines: &mut Vec<String>,
                              passes: &mut Vec<String>| {
                if !p.required && !all {
                    passes.push("None".to_string());
                    return;
                }
                let value = param_value(spec, op, &p.wire_name, location(p));
                several.set(several.get() || value.len() > 1);
                let (build, pass) = argument(*index, &p.ty, p.required, &value);
                *index += 1;
                lines.push(build);
                passes.push(pass);
            };
            for p in path_params {
                push_param(p, &mut index, &mut lines, &mut passes);
            }
            if let Some(b) = &op.body {
                let value = body_value(spec, op, &b.body.media_type);
                several.set(several.get() || value.len() > 1);
                match b.body.encoding {
                    BodyEncoding::Json | BodyEncoding::Form => {
                        let (build, pass) = argument(index, &b.body.ty, b.required, &value);
                        index += 1;
                        lines.push(build);
                        passes.push(pass);
                    }
                    BodyEncoding::Text => {
                        let texts: Vec<Value> = value
                            .iter()
                            .map(|v| {
                                Value::String(
                                    v.as_str().map_or_else(|| v.to_string(), str::to_string),
                                )
                            })
                            .collect();
                        let (build, pass) = argument(index, &TypeRef::String, b.required, &texts);
                        index += 1;
                        lines.push(build);
                        passes.push(pass);
                    }
                    BodyEncoding::Bytes => {
                        passes.push(if b.required {
                            "b\"conform\".to_vec()".to_string()
                        } else {
                            format!("Some({krate}::Upload::from(b\"conform\".to_vec()))")
                        });
                    }
                    BodyEncoding::Multipart => match &b.multipart {
                        Some(form) => {
                            let literal = multipart(&krate, form, &value, all);
                            let n = format!("a{index}");
                            index += 1;
                            lines.push(format!("let {n} = types::{} {{ {literal} }};", form.name));
                            passes.push(if b.required {
                                format!("&{n}")
                            } else {
                                format!("Some(&{n})")
                            });
                        }
                        None => skip = Some("a multipart body without its form"),
                    },
                    // A form of the caller's: one file part, as an upload would be sent.
                    BodyEncoding::MultipartParts => {
                        let form = format!(
                            "{{ let mut form = {krate}::Multipart::new(); form.file(\"file\", &{krate}::FilePart::new(b\"conform\".to_vec()).file_name(\"conform.txt\"), None); form }}"
                        );
                        passes.push(if b.required {
                            form
                        } else {
                            format!("Some({form})")
                        });
                    }
                }
            }
            for p in other {
                push_param(p, &mut index, &mut lines, &mut passes);
            }
            if let Some(s) = &op.params_struct {
                lines.push(format!("let mut params = types::{s}::default();"));
                if all {
                    for p in op.params.iter().filter(|p| p.grouped) {
                        let values = param_value(spec, op, &p.wire_name, location(p));
                        several.set(several.get() || values.len() > 1);
                        let owned = client_type(&p.ty);
                        lines.push(format!(
                            "params.{} = Some(arg::<{owned}>({}, pick)?);",
                            p.name,
                            literal(&values)
                        ));
                    }
                }
                passes.push("params".to_string());
            }
            let body = match skip {
                Some(reason) => format!("Ok(skipped({reason:?}))"),
                None => format!(
                    "{}\n    Ok(outcome(client.{}({}).await))",
                    lines.join("\n    "),
                    op.with_response_name,
                    passes.join(", ")
                ),
            };
            let _ = writeln!(
                out,
                "async fn call_{i}_{variant}(client: &Client, pick: usize) -> Result<Outcome, String> {{\n    {body}\n}}\n"
            );
            // An argument with an example has a synthesised value to try next: a request
            // Prism flags is sent again with those.
            let alternatives = several.get();
            alternatives_of.push(alternatives);
            calls.push(call_entry(
                &op.name,
                op.body.as_ref().map_or("", |b| b.body.media_type.as_str()),
                variant,
                &format!("call_{i}_{variant}"),
                alternatives,
            ));
        }
        // The first documented error status, asked of Prism (`Prefer: code=N`): its body
        // must decode into the operation's error type.
        if let Some(code) = asked_error(op) {
            let _ = writeln!(
                out,
                "async fn call_{i}_error(client: &Client, pick: usize) -> Result<Outcome, String> {{\n    let client = client.with_header(reqwest::header::HeaderName::from_static(\"prefer\"), reqwest::header::HeaderValue::from_static(\"code={code}\"));\n    call_{i}_required(&client, pick).await\n}}\n"
            );
            calls.push(call_entry(
                &op.name,
                op.body.as_ref().map_or("", |b| b.body.media_type.as_str()),
                &format!("error-{code}"),
                &format!("call_{i}_error"),
                alternatives_of[0],
            ));
        }
    }
    let mut builder = String::from(
        "Client::builder().base_url(base).max_retries(0).timeout(std::time::Duration::from_secs(20)).on_response(|head, _| { remember_answer(&head.headers); async {} }).on_request(|request, _| { remember_request(&request); async move { Ok(request) } })",
    );
    for scheme in &api.security_schemes {
        let call = match scheme.kind {
            SchemeKind::Basic => format!(".{}(\"conform\", \"conform\")", scheme.setter),
            _ => format!(".{}(\"conform\")", scheme.setter),
        };
        builder.push_str(&call);
    }
    for (wrapper, _) in &calls {
        out.push_str(wrapper);
    }
    let entries: Vec<&str> = calls.iter().map(|(_, entry)| entry.as_str()).collect();
    let _ = writeln!(
        out,
        "type Run<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Outcome, String>> + 'a>>;\n\n/// Operation, request media type, variant, call.\nstatic CALLS: &[(&str, &str, &str, for<'a> fn(&'a Client, Option<&'a Client>) -> Run<'a>)] = &[\n{}\n];\n\nfn new_client(base: String) -> Client {{\n    {builder}.build().expect(\"client\")\n}}\n\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {{\n    let client = new_client(std::env::var(\"CONFORM_BASE_URL\").expect(\"CONFORM_BASE_URL\"));\n    let checker = std::env::var(\"CONFORM_CHECK_URL\").ok().map(new_client);\n    let from: usize = std::env::var(\"CONFORM_FROM\").ok().and_then(|f| f.parse().ok()).unwrap_or(0);\n    for (operation, media, variant, run) in CALLS.iter().skip(from) {{\n        let outcome = run(&client, checker.as_ref()).await;\n        report(operation, media, variant, outcome);\n    }}\n}}",
        entries.join("\n")
    );
    (out, calls.len())
}

/// The program's helpers: argument decoding and the outcome of a call.
const HELPERS: &str = r#####"
struct Outcome {
    kind: &'static str,
    status: String,
    violations: String,
    detail: String,
}

/// The first of `choices` (the document's example, then a synthesised value) from `pick`
/// on that decodes.
fn arg<T: serde::de::DeserializeOwned>(choices: &[&str], pick: usize) -> Result<T, String> {
    let mut first = None;
    for json in choices.get(pick.min(choices.len().saturating_sub(1))..).unwrap_or_default() {
        match serde_json::from_str(json) {
            Ok(v) => return Ok(v),
            Err(e) => {
                first.get_or_insert_with(|| format!("the argument {json} does not decode: {e}"));
            }
        }
    }
    Err(first.unwrap_or_default())
}

fn skipped(reason: &str) -> Outcome {
    Outcome { kind: "skipped", status: String::new(), violations: String::new(), detail: reason.to_string() }
}

/// Prism's violations of severity error in its own answer, from the last response's
/// `sl-violations` header (kept by the client's response hook: a decode error does not
/// keep the headers).
static ANSWER: std::sync::Mutex<(String, String)> = std::sync::Mutex::new((String::new(), String::new()));

/// The last request's JSON body as sent (kept by the client's request hook), reported with
/// a request Prism flags: the harness checks it with a validator of its own.
static SENT: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

/// The last request as it went out, to send again when its answer does not decode.
type Raw = (reqwest::Method, reqwest::Url, reqwest::header::HeaderMap, Option<Vec<u8>>);
static RAW: std::sync::Mutex<Option<Raw>> = std::sync::Mutex::new(None);

/// The whole body of an answer that did not decode, reported for the harness to check
/// against the document with a validator of its own (a decode error keeps only its start).
static ANSWER_BODY: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

/// A call whose answer did not decode: the same request is sent again as it went out
/// (static mode answers a request the same way each time) and the whole body is kept.
async fn with_answer(o: Result<Outcome, String>) -> Result<Outcome, String> {
    if undecoded(&o) {
        let raw = RAW.lock().unwrap().clone();
        if let Some((method, url, headers, body)) = raw {
            let mut request = reqwest::Client::new().request(method, url).headers(headers);
            if let Some(body) = body {
                request = request.body(body);
            }
            if let Ok(response) = request.send().await
                && let Ok(bytes) = response.bytes().await
            {
                *ANSWER_BODY.lock().unwrap() = String::from_utf8_lossy(&bytes).into_owned();
            }
        }
    }
    o
}

fn remember_request(request: &reqwest::Request) {
    *RAW.lock().unwrap() = Some((
        request.method().clone(),
        request.url().clone(),
        request.headers().clone(),
        request.body().and_then(|b| b.as_bytes()).map(<[u8]>::to_vec),
    ));
    let json = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.contains("json"));
    *SENT.lock().unwrap() = match request.body().and_then(|b| b.as_bytes()) {
        Some(bytes) if json => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::new(),
    };
}

fn remember_answer(headers: &reqwest::header::HeaderMap) {
    *ANSWER.lock().unwrap() = (sl_violations(headers, "request"), sl_violations(headers, "response"));
}

/// Whether Prism's violations of its answer are about what the decode error names: the
/// missing field, the enum value, the union or the type. Any other violation does not
/// excuse the error.
fn explains(error: &str, answer: &str) -> bool {
    let named = |prefix: &str| error.split(prefix).nth(1).and_then(|r| r.split('`').next());
    if let Some(field) = named("missing field `") {
        answer.contains(&format!("'{field}'"))
    } else if error.contains("unknown variant") {
        answer.contains("allowed values")
    } else if error.contains("did not match any variant") {
        answer.contains("oneOf") || answer.contains("anyOf")
    } else if error.contains("invalid type") {
        answer.contains("must be ")
    } else {
        false
    }
}

/// Prism's violations of severity error located in `place` (`request`, `response`), from
/// its `sl-violations` header. A long list comes as "Too many violations! [..." cut short,
/// which is not JSON: then the header's text is the evidence when it names an error in
/// `place`.
fn sl_violations(headers: &reqwest::header::HeaderMap, place: &str) -> String {
    let Some(v) = headers.get("sl-violations").and_then(|v| v.to_str().ok()) else {
        return String::new();
    };
    let json = v.find('[').map_or(v, |i| &v[i..]);
    match serde_json::from_str::<Vec<serde_json::Value>>(json) {
        Ok(parsed) => parsed
            .iter()
            .filter(|v| v["severity"] == "Error" && v["location"][0] == place)
            .map(|v| format!("{} at {}", v["message"].as_str().unwrap_or(""), v["location"]))
            .collect::<Vec<_>>()
            .join("; "),
        Err(_) if v.split("},{").any(|entry| {
            entry.contains(&format!("\"location\":[\"{place}\"")) && entry.contains("\"severity\":\"Error\"")
        }) => {
            format!("(Prism's list, cut short) {}", v.chars().take(400).collect::<String>())
        }
        Err(_) => String::new(),
    }
}

/// Prism's request violations of severity error, from its `sl-violations` header.
fn violations(headers: &reqwest::header::HeaderMap) -> String {
    // Only the request's: Prism also lists where its own answer breaks the document's
    // schemas (an example that does not fit), which says nothing of the client.
    sl_violations(headers, "request")
}

fn outcome<T, E: std::fmt::Debug>(r: Result<ResponseValue<T>, Error<E>>) -> Outcome {
    let (kind, status, violations, detail) = match &r {
        Ok(v) => ("ok", v.status().to_string(), violations(v.headers()), String::new()),
        Err(Error::Api { status, headers, error, .. }) => {
            ("documented-error", status.to_string(), violations(headers), format!("{error:?}").chars().take(160).collect())
        }
        Err(Error::UnexpectedStatus { status, headers, body, .. }) => {
            // Prism's own 422 (no documented one) lists the violations in its body.
            let found = violations(headers);
            let found = if found.is_empty() {
                let problem: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
                problem["validation"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|v| v["severity"] == "Error")
                    .map(|v| format!("{} at {}", v["message"].as_str().unwrap_or(""), v["location"]))
                    .collect::<Vec<_>>()
                    .join("; ")
            } else {
                found
            };
            (
                "unexpected-status",
                status.to_string(),
                found,
                String::from_utf8_lossy(body).chars().take(300).collect(),
            )
        }
        Err(Error::Decode { status, source, body_start, .. }) => {
            // An answer Prism itself finds out of the document's schemas (a document's
            // example that does not fit, or a value Prism generated wrongly) is refused
            // rightly; Prism's own violations are its evidence.
            let (request, answer) = ANSWER.lock().unwrap().clone();
            let error = source.to_string();
            let detail = format!("{error}; body starts {body_start:?}");
            if !request.is_empty() {
                ("request-violation", status.to_string(), request, detail)
            } else if explains(&error, &answer) {
                ("answer-misfit", status.to_string(), answer, detail)
            } else {
                ("decode-failed", status.to_string(), String::new(), detail)
            }
        }
        Err(e) => ("error", String::new(), String::new(), e.to_string()),
    };
    // A request Prism flags is a failure whatever it answered.
    let kind = if violations.is_empty() || kind == "answer-misfit" { kind } else { "request-violation" };
    Outcome { kind, status, violations, detail }
}

fn undecoded(outcome: &Result<Outcome, String>) -> bool {
    matches!(outcome, Ok(o) if o.kind == "decode-failed")
}

/// A call whose answer did not decode, made again through Prism's proxy: when the proxy
/// finds the new answer out of the schema too, that is the evidence (`answer-misfit`);
/// otherwise the first outcome stands.
fn recheck(first: Result<Outcome, String>, second: Result<Outcome, String>) -> Result<Outcome, String> {
    match second {
        Ok(mut o) if o.kind == "answer-misfit" => {
            o.detail = format!("asked again through Prism's proxy: {}", o.detail);
            Ok(o)
        }
        _ => first,
    }
}

fn flagged(outcome: &Result<Outcome, String>) -> bool {
    matches!(outcome, Ok(o) if o.kind == "request-violation")
}

/// The outcome of a call Prism flagged with the document's examples, sent again with
/// synthesised values: when those pass, the example was the fault (`example-misfit`, with
/// Prism's violations of it); otherwise the second outcome stands.
fn second_try(variant: &str, first: Result<Outcome, String>, second: Result<Outcome, String>) -> Result<Outcome, String> {
    let passed = |o: &Outcome| match variant.strip_prefix("error-") {
        Some(code) => o.kind == "documented-error" && o.status == code,
        None => o.kind == "ok" || o.kind == "documented-error",
    };
    // Only a violation of a value's own constraints is the example's fault; anything else
    // (a parameter missing, a body of the wrong shape) may be how the client sent it.
    let of_value = |v: &str| {
        v.split("; ").all(|v| {
            ["must match pattern", "must match format", "must be equal to one of the allowed values",
             "must be <", "must be >", "must NOT have", "must be string", "must be integer",
             "must be number", "must be boolean", "must be multiple of"]
                .iter()
                .any(|k| v.contains(k))
        })
    };
    match (first, second) {
        (Ok(f), Ok(s)) if passed(&s) && of_value(&f.violations) => Ok(Outcome {
            kind: "example-misfit",
            status: s.status,
            violations: f.violations,
            detail: "the document's example is flagged; synthesised values pass".into(),
        }),
        (Ok(f), Err(_)) => Ok(f),
        (_, second) => second,
    }
}

fn report(operation: &str, media: &str, variant: &str, outcome: Result<Outcome, String>) {
    let o = outcome.unwrap_or_else(|e| Outcome { kind: "argument", status: String::new(), violations: String::new(), detail: e });
    let clean = |s: &str| s.replace(['\t', '\n'], " ");
    let sent = if o.kind == "request-violation" { SENT.lock().unwrap().clone() } else { String::new() };
    let answer = std::mem::take(&mut *ANSWER_BODY.lock().unwrap());
    let answer = if o.kind == "decode-failed" { answer } else { String::new() };
    println!("{operation}\t{media}\t{variant}\t{}\t{}\t{}\t{}\t{}\t{}", o.kind, o.status, clean(&o.violations), clean(&o.detail), clean(&sent), clean(&answer));
}
"#####;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_answer_is_prisms_misfit_only_when_the_validator_flags_what_the_decode_error_names() {
        // 3.0: `nullable` lets `null` through, as the client's decoding does.
        let spec = json!({"openapi": "3.0.3", "components": {"schemas": {
            "Channel": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"}, "topic": {"type": "string", "nullable": true}}}
        }}});
        let schema = json!({"type": "object", "additionalProperties": {"oneOf": [
            {"$ref": "#/components/schemas/Channel"}, {"type": "integer"}]}});
        let validator = validator_in(&spec, &schema).expect("compiles");
        let errors = |v: Value| {
            validator
                .iter_errors(&v)
                .map(|e| e.to_owned())
                .collect::<Vec<_>>()
        };
        fn refs<'e>(
            e: &'e [jsonschema::ValidationError<'static>],
        ) -> Vec<&'e jsonschema::ValidationError<'static>> {
            e.iter().collect()
        }
        let union = "data did not match any variant of untagged enum ChannelsValue at line 1";
        assert!(explained_by(union, &refs(&errors(json!({"a": {}})))));
        assert!(!explained_by(
            union,
            &refs(&errors(json!({"a": {"id": "1", "topic": null}})))
        ));
        let missing = "missing field `id` at line 1 column 2";
        let only_id = channel_errors(&spec, json!({"topic": "x"}));
        assert!(explained_by(missing, &refs(&only_id)));
        assert!(!explained_by(
            "missing field `name` at line 1",
            &refs(&only_id)
        ));
        // An answer the schema accepts explains nothing: the failure stays the client's.
        assert!(!explained_by(
            "invalid type: null, expected a string",
            &refs(&errors(json!({})))
        ));
    }

    #[test]
    fn a_reference_to_nothing_is_any_value_for_the_validator_as_for_the_generator() {
        // Square's `CatalogObject` reaches a component that does not exist and documents
        // on another host: the validator must still check the rest (its required `id`).
        let spec = json!({"openapi": "3.0.3", "components": {"schemas": {
            "Object": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "toggle": {"$ref": "#/components/schemas/Missing"},
                "number": {"$ref": "https://example.com/common.json#Number"},
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Object"}}}}
        }}});
        let validator = validator_in(&spec, &json!({"$ref": "#/components/schemas/Object"}))
            .expect("compiles with references to nothing");
        let answer = json!({"id": "1", "toggle": 1, "number": "x", "items": [{"toggle": 2}]});
        let errors: Vec<_> = validator.iter_errors(&answer).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(matches!(
            errors[0].kind(),
            jsonschema::error::ValidationErrorKind::Required { .. }
        ));
        assert_eq!(errors[0].instance_path().as_str(), "/items/0");
    }

    #[test]
    fn a_decode_error_is_about_the_value_ending_where_it_stopped_or_just_before() {
        // An untagged enum's error comes after serde_json peeked past the value (`}` of the
        // map here); a struct's missing field at its own closing brace.
        let text = r#"{"map":{"a":{"id":"1"},"b":{}},"n":1}"#;
        let peeked = text.find("{}}").unwrap() + 3;
        assert_eq!(values_at(text, 1, peeked), ["/map", "/map/b"]);
        let closing = text.find(r#""1"}"#).unwrap() + 4;
        assert_eq!(values_at(text, 1, closing), ["/map/a", "/map/a/id"]);
        assert!(values_at("{\"a\": [1,", 1, 3).is_empty());
    }

    #[test]
    fn errors_inside_a_union_that_fails_are_found_at_their_values() {
        let schema = json!({"oneOf": [
            {"type": "object", "properties": {"kind": {"enum": ["letter"]}, "from": {"type": "object"}}},
            {"type": "object", "properties": {"kind": {"enum": ["card"]}, "from": {"type": "object"}}}
        ]});
        let validator = jsonschema::validator_for(&schema).unwrap();
        let answer = json!({"kind": "letter", "from": "x"});
        let errors: Vec<_> = validator.iter_errors(&answer).collect();
        let paths: Vec<String> = with_nested(&errors)
            .iter()
            .map(|e| e.instance_path().as_str().to_string())
            .collect();
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        assert!(paths.contains(&""), "{paths:?}");
        assert!(paths.contains(&"/from"), "{paths:?}");
    }

    #[test]
    fn a_union_at_the_answers_top_is_the_answer_itself() {
        let answer = r#"{"type": "polling"}"#;
        assert_eq!(
            decode_positions(
                "data did not match any variant of untagged enum Out",
                answer
            ),
            [""]
        );
        assert!(decode_positions("expected value", answer).is_empty());
        assert_eq!(
            decode_positions("missing field `id` at line 1 column 19", answer),
            values_at(answer, 1, 19)
        );
    }

    #[test]
    fn an_object_refusing_a_name_it_requires_admits_nothing() {
        let schema = json!({"type": "object", "properties": {"screens": {"type": "object",
            "required": ["defaultScreen"], "properties": {"default": {"type": "integer"}},
            "additionalProperties": false}}});
        let spec = json!({"openapi": "3.1.0"});
        let validator = validator_in(&spec, &schema).expect("compiles");
        let sent = json!({"screens": {"default": 1, "defaultScreen": "text"}});
        let evidence = refuses_what_it_requires(&spec, &schema, &validator, &sent);
        assert!(evidence.is_some_and(|e| e.contains("`defaultScreen` at `/screens`")));
        // Another name refused is the body's own fault.
        let other = json!({"screens": {"default": 1, "defaultScreen": "text", "extra": 1}});
        assert!(refuses_what_it_requires(&spec, &schema, &validator, &other).is_none());
    }

    #[test]
    fn a_closed_object_refusing_what_the_branch_sent_requires_admits_no_value_of_it() {
        // Jira's `CustomContextVariable`: closed with only `type`, beside a `oneOf` whose
        // first branch requires `accountId`; the other two overlap, so `{"type": ..}`
        // matches both and fails too.
        let spec = json!({"openapi": "3.0.1", "components": {"schemas": {
            "Variable": {"type": "object", "required": ["type"],
                "properties": {"type": {"type": "string"}}, "additionalProperties": false,
                "oneOf": [{"$ref": "#/components/schemas/User"}, {"$ref": "#/components/schemas/Issue"},
                    {"$ref": "#/components/schemas/Json"}]},
            "User": {"type": "object", "required": ["type", "accountId"], "properties": {
                "type": {"type": "string"}, "accountId": {"type": "string"}}},
            "Issue": {"type": "object", "required": ["type"], "properties": {
                "type": {"type": "string"}, "id": {"type": "integer"}}},
            "Json": {"type": "object", "required": ["type"], "properties": {
                "type": {"type": "string"}, "value": {"type": "object"}}}}}});
        let schema = json!({"type": "object", "properties": {"custom": {"type": "array",
            "items": {"$ref": "#/components/schemas/Variable"}}}});
        let validator = validator_in(&spec, &schema).expect("compiles");
        let check = |sent: Value| refuses_what_it_requires(&spec, &schema, &validator, &sent);
        let evidence =
            check(json!({"custom": [{"accountId": "text", "type": "user"}]})).expect("evidence");
        assert!(
            evidence.contains("`accountId` at `/custom/0`")
                && evidence.contains("branch 0 (`#/components/schemas/User`)")
                && evidence.contains("`#/components/schemas/Variable`"),
            "{evidence}"
        );
        // A value of a branch that requires nothing refused is not covered: its refused
        // name is optional (it fails for the overlap, another finding).
        assert!(check(json!({"custom": [{"type": "json", "value": {}}]})).is_none());
        // Another error of the body stands against the client.
        assert!(check(json!({"custom": [{"accountId": "text", "type": 1}]})).is_none());
        assert!(
            check(json!({"custom": [{"accountId": "text", "type": "user"}], "n": "x"})).is_some()
        );
        // With only two branches, the value without the name is valid (the other branch):
        // still no value of the branch sent passes.
        let mut two = spec.clone();
        two["components"]["schemas"]["Variable"]["oneOf"]
            .as_array_mut()
            .unwrap()
            .remove(1);
        let validator = validator_in(&two, &schema).expect("compiles");
        let sent = json!({"custom": [{"accountId": "text", "type": "user"}]});
        assert!(refuses_what_it_requires(&two, &schema, &validator, &sent).is_some());
        // Jira's `CustomFieldContextDefaultValue`: closed with no property at all, so each
        // name of the branch sent is refused, the optional ones too.
        let spec = json!({"openapi": "3.0.1", "components": {"schemas": {
            "Default": {"type": "object", "additionalProperties": false, "oneOf": [
                {"type": "object", "required": ["contextId", "type"], "properties": {
                    "contextId": {"type": "string"}, "cascading": {"type": "string"},
                    "type": {"type": "string"}}},
                {"type": "object", "required": ["optionIds", "type"], "properties": {
                    "optionIds": {"type": "array"}, "type": {"type": "string"}}}]}}}});
        let schema = json!({"type": "array", "items": {"$ref": "#/components/schemas/Default"}});
        let validator = validator_in(&spec, &schema).expect("compiles");
        let check = |sent: Value| refuses_what_it_requires(&spec, &schema, &validator, &sent);
        let evidence =
            check(json!([{"contextId": "1", "cascading": "2", "type": "x"}])).expect("evidence");
        assert!(
            evidence.contains("branch 0 beside it") && evidence.contains("`contextId`, `type`"),
            "{evidence}"
        );
        // A name the branch does not declare is the client's.
        assert!(check(json!([{"contextId": "1", "other": "2", "type": "x"}])).is_none());
    }

    #[test]
    fn a_body_enum_with_no_value_of_its_type_is_unsatisfiable() {
        let schema = json!({"type": "object", "properties": {
            "schemas": {"type": "array", "items": {"type": "string"}, "enum": ["urn:x"]},
            "op": {"type": "string", "enum": ["add"]}}});
        let validator = jsonschema::validator_for(&schema).unwrap();
        let evidence = unsatisfiable_enum(&validator, &json!({"schemas": ["urn:x"], "op": "add"}));
        assert!(evidence.is_some_and(|e| e.contains("/schemas")));
        // A value of the enum's type that is not listed is the value's fault, not the schema's.
        assert!(unsatisfiable_enum(&validator, &json!({"op": "remove"})).is_none());
    }

    #[test]
    fn a_decode_errors_position_names_the_value_it_stopped_in() {
        let text = r#"{"a": [1, {"b": null}], "c": {"d": "x"}}"#;
        // serde_json's column is that of the last character it read.
        let column = |needle: &str| text.find(needle).unwrap() + needle.len();
        assert_eq!(value_at(text, 1, column("null")).as_deref(), Some("/a/1/b"));
        assert_eq!(value_at(text, 1, column("null}")).as_deref(), Some("/a/1"));
        assert_eq!(value_at(text, 1, column("\"x\"")).as_deref(), Some("/c/d"));
        assert_eq!(value_at(text, 1, text.len()).as_deref(), Some(""));
        assert_eq!(
            value_at("[1,\n {\"k~/\": 2}]", 2, 10).as_deref(),
            Some("/1/k~0~1")
        );
        assert_eq!(value_at("{\"a\": ", 1, 3), None);
    }

    fn channel_errors(spec: &Value, value: Value) -> Vec<jsonschema::ValidationError<'static>> {
        let validator =
            validator_in(spec, &json!({"$ref": "#/components/schemas/Channel"})).expect("compiles");
        validator
            .iter_errors(&value)
            .map(|e| e.to_owned())
            .collect()
    }

    #[test]
    fn a_closed_all_of_refuses_its_own_branches_properties() {
        let spec = json!({"openapi": "3.1.0", "components": {"schemas": {
            "Optional": {"type": "object", "additionalProperties": false,
                "properties": {"speed": {"type": "string"}}},
            "Params": {"type": "object", "additionalProperties": false, "allOf": [
                {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}},
                {"$ref": "#/components/schemas/Optional"}]}
        }}});
        let schema = json!({"$ref": "#/components/schemas/Params"});
        let validator = validator_in(&spec, &schema).expect("compiles");
        let sent = json!({"url": "u", "speed": "s"});
        let evidence = closed_all_of(&spec, &schema, &validator, &sent).expect("closed");
        assert!(evidence.contains("speed, url"), "{evidence}");
        // A property no branch declares is the body's own fault.
        let stray = json!({"url": "u", "other": 1});
        assert!(closed_all_of(&spec, &schema, &validator, &stray).is_none());
        // So is a wrong type beside the refused names.
        let wrong = json!({"url": 1, "speed": "s"});
        assert!(closed_all_of(&spec, &schema, &validator, &wrong).is_none());
    }

    #[test]
    fn a_body_is_the_documents_fault_only_when_every_violation_is_inside_an_overlap() {
        // Branches that do not exclude each other: the first forbids nothing the second
        // requires (`limitations/oneof-overlap.yaml`).
        let spec = json!({"openapi": "3.1.0", "components": {"schemas": {
            "A": {"type": "object", "properties": {"a": {"type": "string"}}},
            "C": {"type": "object", "required": ["c"], "properties": {"c": {"type": "string"}}}
        }}});
        let schema = json!({"type": "object", "properties": {"pet": {"oneOf": [
            {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/C"}
        ]}, "n": {"type": "integer"}}});
        let validator = validator_in(&spec, &schema).expect("compiles");
        let one_of = r#"Request body property pet must match exactly one schema in oneOf at ["request","body","pet"]"#;
        let both = json!({"pet": {"a": "x", "c": "y"}});
        let evidence = overlap_evidence(&validator, &both, one_of).expect("an overlap");
        assert!(evidence.contains("`/pet`"), "{evidence}");
        // Matching neither branch is no overlap.
        let neither = json!({"pet": {"a": 1}});
        assert!(overlap_evidence(&validator, &neither, one_of).is_none());
        // An overlap beside another error of the body is not the document's alone.
        let and_more = json!({"pet": {"a": "x", "c": "y"}, "n": "seven"});
        assert!(overlap_evidence(&validator, &and_more, one_of).is_none());
        // A violation Prism finds outside the overlapping value is not explained by it.
        let elsewhere = format!(
            "{one_of}; Request body property n must be integer at [\"request\",\"body\",\"n\"]"
        );
        assert!(overlap_evidence(&validator, &both, &elsewhere).is_none());
        // One branch matched: nothing to excuse.
        let one = json!({"pet": {"c": 1, "a": "x"}});
        assert!(overlap_evidence(&validator, &one, one_of).is_none());
    }
}
