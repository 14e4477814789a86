//! Shrinking a failing document: remove one member or list item at a time, largest first
//! (nearest the root), and keep a removal when the document still fails the same way.
//!
//! A candidate must stay as valid as the original: it may not bring a kind of warning the
//! original did not have (a removed component leaves a dangling `$ref`; a removed path
//! parameter leaves a template variable undeclared), so the minimal document still shows
//! the generator's fault, not a new one of the document's. Refusals and panics are
//! checked in-process. Compile failures are checked a dozen candidates at a time, each a
//! module of one crate, so one clippy run tries twelve removals; a candidate that
//! generates exactly the current code is kept without compiling.

use super::{Generated, Module, Signature, batch_manifest, generate, module_failures};
use crate::scratch::Scratch;
use crate::util::write_file;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

/// How a candidate is checked.
pub(crate) struct Checker<'a> {
    pub dir: &'a Path,
    pub target: &'a Path,
    pub runtime: &'a Path,
    pub lock: Option<&'a [u8]>,
    pub signature: &'a Signature,
}

/// Candidates compiled together.
const CHUNK: usize = 24;

/// How long one document may be shrunk; what is reached by then is reported.
const BUDGET: Duration = Duration::from_secs(300);

/// Keys whose removal everywhere at once is tried first: prose, examples and extensions
/// rarely matter, and are most of a document's nodes.
const INCIDENTAL: &[&str] = &[
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "xml",
    "$comment",
    "deprecated",
    "tags",
    "servers",
];

/// The smallest document reached from `doc` that still fails with the checker's signature.
pub(crate) fn shrink(doc: &Value, checker: &Checker<'_>) -> Result<Value, String> {
    let Generated::Module(base) = generate(doc, "m", checker.runtime) else {
        // Refused or panicked: only in-process checks apply.
        return shrink_in_process(doc.clone(), checker);
    };
    if checker.signature.file.is_empty() {
        return Ok(doc.clone());
    }
    let mut s = Shrinker {
        checker,
        allowed: base.warnings.clone(),
        current: doc.clone(),
        files: base.files,
        compiles: 0,
        started: Instant::now(),
    };
    // Coarse cuts first: everything incidental; one operation alone; literal paths.
    s.try_all(vec![strip(&s.current)], false)?;
    s.try_all(isolated_operations(&s.current), true)?;
    while s.try_all(literal_paths(&s.current), false)? {}
    // Then one removal at a time, nearest the root first, until nothing more goes.
    'passes: for _pass in 0..3 {
        let mut changed = false;
        let mut paths = removals(&s.current);
        let mut i = 0;
        while i < paths.len() {
            if s.started.elapsed() > BUDGET {
                eprintln!(
                    "fuzz-compile: shrinking stopped after {} s and {} compiler runs",
                    BUDGET.as_secs(),
                    s.compiles
                );
                break 'passes;
            }
            let end = (i + CHUNK).min(paths.len());
            let candidates = paths[i..end]
                .iter()
                .map(|p| without(&s.current, p))
                .collect();
            if s.try_all(candidates, false)? {
                changed = true;
                paths = removals(&s.current);
                // Carry on from about where the removal was: what came before it was
                // tried already.
                i = i.min(paths.len());
            } else {
                i = end;
            }
        }
        if !changed {
            break;
        }
    }
    eprintln!(
        "fuzz-compile: shrunk from {} to {} bytes in {:.0} s ({} compiler runs)",
        doc.to_string().len(),
        s.current.to_string().len(),
        s.started.elapsed().as_secs_f64(),
        s.compiles
    );
    Ok(s.current)
}

/// A shrink in progress.
struct Shrinker<'a> {
    checker: &'a Checker<'a>,
    /// The original's warning kinds; a candidate may not add one.
    allowed: BTreeSet<String>,
    current: Value,
    /// What `current` generates.
    files: Vec<(String, String)>,
    compiles: usize,
    started: Instant,
}

impl Shrinker<'_> {
    /// Keeps the first candidate (or the smallest, with `smallest`) that still fails the
    /// same way: one that generates the current code at once, else by compiling them a
    /// chunk at a time. Whether one was kept.
    fn try_all(&mut self, candidates: Vec<Value>, smallest: bool) -> Result<bool, String> {
        let mut prepared: Vec<(Value, Box<Module>)> = Vec::new();
        for candidate in candidates {
            if candidate == self.current {
                continue;
            }
            let Generated::Module(m) = generate(&candidate, "m", self.checker.runtime) else {
                continue;
            };
            if !m.warnings.is_subset(&self.allowed) {
                continue;
            }
            if m.files == self.files && !smallest {
                self.current = candidate;
                return Ok(true);
            }
            prepared.push((candidate, m));
        }
        if smallest {
            prepared.sort_by_key(|(c, _)| c.to_string().len());
        }
        for chunk in prepared.chunks(CHUNK) {
            if self.started.elapsed() > BUDGET {
                return Ok(false);
            }
            self.compiles += 1;
            if let Some(k) = compile(chunk, self.checker)?.first() {
                let (candidate, m) = &chunk[*k];
                self.current = candidate.clone();
                self.files = m.files.clone();
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// One candidate per operation, with only that operation (and its path's shared
/// parameters) left, and one without any paths or webhooks: most failures belong to one
/// operation or to the types alone.
fn isolated_operations(doc: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    let mut bare = doc.clone();
    if let Value::Object(map) = &mut bare {
        map.shift_remove("webhooks");
        if map.contains_key("paths") {
            map.insert("paths".into(), Value::Object(Map::new()));
        }
    }
    out.push(bare);
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (key, op) in item {
            if !op.is_object() || matches!(key.as_str(), "parameters" | "servers") {
                continue;
            }
            let mut one = Map::new();
            if let Some(shared) = item.get("parameters") {
                one.insert("parameters".into(), shared.clone());
            }
            one.insert(key.clone(), op.clone());
            let mut candidate = doc.clone();
            candidate["paths"] = serde_json::json!({ path.as_str(): one });
            if let Value::Object(map) = &mut candidate {
                map.shift_remove("webhooks");
            }
            out.push(candidate);
        }
    }
    out
}

/// For each templated path, the document with that path made literal (`/a/{id}` →
/// `/a/id`) and its path parameters gone: a removal no single step can make, since a
/// template variable without its parameter (or the reverse) is a new warning.
fn literal_paths(doc: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        if !path.contains('{') {
            continue;
        }
        let literal = path.replace(['{', '}'], "");
        if paths.contains_key(&literal) {
            continue;
        }
        let mut item = item.clone();
        drop_path_parameters(&mut item);
        if let Some(object) = item.as_object_mut() {
            for op in object.values_mut() {
                drop_path_parameters(op);
            }
        }
        let mut rebuilt = Map::new();
        for (p, i) in paths {
            if p == path {
                rebuilt.insert(literal.clone(), item.clone());
            } else {
                rebuilt.insert(p.clone(), i.clone());
            }
        }
        let mut candidate = doc.clone();
        candidate["paths"] = Value::Object(rebuilt);
        out.push(candidate);
    }
    out
}

/// Removes the `in: path` entries of an object's `parameters`.
fn drop_path_parameters(object: &mut Value) {
    if let Some(list) = object.get_mut("parameters").and_then(Value::as_array_mut) {
        list.retain(|p| p.get("in").and_then(Value::as_str) != Some("path"));
    }
}

/// `doc` without any [`INCIDENTAL`] member or `x-` extension, anywhere but in the
/// document's `info` and inside schema `properties` (where those words are names).
fn strip(doc: &Value) -> Value {
    fn walk(value: &mut Value, names: bool) {
        match value {
            Value::Object(map) => {
                if !names {
                    map.retain(|k, _| !INCIDENTAL.contains(&k.as_str()) && !k.starts_with("x-"));
                    // Responses must have one; empty is as incidental as none.
                    if let Some(Value::String(d)) = map.get_mut("description") {
                        d.clear();
                    }
                }
                for (k, v) in map.iter_mut() {
                    let holds_names = matches!(
                        k.as_str(),
                        "properties"
                            | "schemas"
                            | "parameters"
                            | "responses"
                            | "paths"
                            | "securitySchemes"
                            | "requestBodies"
                            | "headers"
                            | "encoding"
                            | "content"
                            | "mapping"
                            | "webhooks"
                            | "callbacks"
                            | "pathItems"
                            | "links"
                            | "variables"
                            | "scopes"
                    );
                    walk(v, holds_names && !names);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, false)),
            _ => {}
        }
    }
    let mut out = doc.clone();
    if let Value::Object(map) = &mut out {
        for (k, v) in map.iter_mut() {
            if k != "info" {
                walk(v, matches!(k.as_str(), "paths" | "webhooks"));
            }
        }
        map.retain(|k, _| !INCIDENTAL.contains(&k.as_str()));
    }
    out
}

/// Shrinks a refusal or panic, checking each candidate in-process.
fn shrink_in_process(mut current: Value, checker: &Checker<'_>) -> Result<Value, String> {
    for _pass in 0..3 {
        let mut changed = false;
        let mut paths = removals(&current);
        let mut i = 0;
        while i < paths.len() {
            let candidate = without(&current, &paths[i]);
            let same = match generate(&candidate, "m", checker.runtime) {
                Generated::Failed(s, _) => &s == checker.signature,
                Generated::Module(_) => false,
            };
            if same {
                current = candidate;
                paths = removals(&current);
                changed = true;
            } else {
                i += 1;
            }
        }
        if !changed {
            break;
        }
    }
    Ok(current)
}

/// Compiles the candidates as modules `c0`, `c1`, ... of two crates (so both cores
/// work); the indices of those that fail with the signature, in order.
fn compile(
    candidates: &[(Value, Box<Module>)],
    checker: &Checker<'_>,
) -> Result<Vec<usize>, String> {
    let halves = candidates.len().div_ceil(2).max(1);
    let mut members = Vec::new();
    for (part, chunk) in candidates.chunks(halves).enumerate() {
        let member = format!("shrink-{part}");
        let dir = checker.dir.join(&member);
        let _ = std::fs::remove_dir_all(&dir);
        let mut lib = String::from("//! Shrink candidates of `cargo xtask fuzz-compile`.\n\n");
        for (k, (_, m)) in chunk.iter().enumerate() {
            let name = format!("c{}", part * halves + k);
            lib.push_str(&format!("pub mod {name};\n"));
            for (rel, contents) in &m.files {
                let text = contents.replace("crate::m::", &format!("crate::{name}::"));
                write_file(&dir.join("src").join(&name).join(rel), text.as_bytes())?;
            }
        }
        write_file(&dir.join("src/lib.rs"), lib.as_bytes())?;
        let tomls: Vec<&str> = chunk.iter().map(|(_, m)| m.cargo_toml.as_str()).collect();
        let mut manifest = batch_manifest(&tomls, &member);
        // The mock module is most of a candidate's code; leave it out unless it fails.
        if checker.signature.file != "mock.rs" {
            manifest = manifest.replace(
                super::FEATURES,
                "default = [\"upload\", \"multipart\", \"sse\", \"full\"]",
            );
        }
        write_file(&dir.join("Cargo.toml"), manifest.as_bytes())?;
        members.push(member);
    }
    let scratch = Scratch::create(
        checker.dir.to_path_buf(),
        checker.target.to_path_buf(),
        &members,
        checker.lock,
    )?;
    let outcome = scratch.cargo(&["build", "--workspace", "--lib", "--keep-going"], true)?;
    let mut failures = BTreeMap::new();
    for part in 0..members.len() {
        failures.extend(module_failures(&outcome, &format!("shrink-{part}")));
    }
    Ok((0..candidates.len())
        .filter(|k| {
            failures
                .get(&format!("c{k}"))
                .is_some_and(|errors| errors.iter().any(|(s, _)| s == checker.signature))
        })
        .collect())
}

/// Every member and list item that can be removed, as paths from the root, breadth first
/// (so whole paths and components are tried before their insides). The document's
/// `openapi` and its title and version stay: without them it is not OpenAPI.
fn removals(doc: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut queue: std::collections::VecDeque<(Vec<String>, &Value)> =
        std::collections::VecDeque::from([(Vec::new(), doc)]);
    while let Some((path, value)) = queue.pop_front() {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let header = match path.as_slice() {
                        [] => key == "openapi" || key == "info",
                        [info] => info == "info" && (key == "title" || key == "version"),
                        _ => false,
                    };
                    if header {
                        continue;
                    }
                    let mut p = path.clone();
                    p.push(key.clone());
                    out.push(p.clone());
                    queue.push_back((p, child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(i.to_string());
                    out.push(p.clone());
                    queue.push_back((p, child));
                }
            }
            _ => {}
        }
    }
    out
}

/// `doc` without the member or item at `path`.
fn without(doc: &Value, path: &[String]) -> Value {
    let mut out = doc.clone();
    let Some((last, parents)) = path.split_last() else {
        return out;
    };
    let mut at = &mut out;
    for token in parents {
        at = match at {
            Value::Object(map) => match map.get_mut(token) {
                Some(v) => v,
                None => return out,
            },
            Value::Array(items) => match token.parse::<usize>().ok().and_then(|i| items.get_mut(i))
            {
                Some(v) => v,
                None => return out,
            },
            _ => return out,
        };
    }
    match at {
        Value::Object(map) => {
            map.shift_remove(last);
        }
        Value::Array(items) => {
            if let Some(i) = last.parse::<usize>().ok().filter(|i| *i < items.len()) {
                items.remove(i);
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn removals_are_breadth_first_and_keep_the_header() {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "summary": "s"}, "paths": {"/a": {"get": {}}}, "x": [1, 2]});
        let paths = removals(&doc);
        let strings: Vec<String> = paths.iter().map(|p| p.join("/")).collect();
        assert_eq!(
            strings,
            ["paths", "x", "paths//a", "x/0", "x/1", "paths//a/get"]
        );
        assert_eq!(
            without(&doc, &paths[3]),
            json!({"openapi": "3.1.0", "info": {"title": "t", "summary": "s"}, "paths": {"/a": {"get": {}}}, "x": [2]})
        );
    }
}
