//! Reference resolution on the raw document, before anything is typed: a `$ref` is a JSON
//! Pointer into the whole document (3.1: a URI reference), so any pointer resolves, chains
//! of any length are followed, and loops are found through any kind of object.
//!
//! What is left for the typed model is only what `openapiv3` and lowering understand:
//!
//! - a schema `$ref` names a component schema (`#/components/schemas/Name`). A schema
//!   reached through a nested pointer (`#/components/schemas/Tag/allOf/0`, a `$defs`
//!   entry, a parameter's schema) is moved into a component of its own, named from where it
//!   sits, and its old place refers to it, so every user shares one type;
//! - any other `$ref` names a component of its own section, or is replaced by a copy of
//!   what it points to (path items, media types, and targets outside `components`);
//! - a `$ref` to an object of another kind is adapted where the intent is plain (a
//!   response or body pointing at a schema gets that schema as its JSON content);
//! - a dangling, external or looping `$ref` degrades: a schema to "any value", a media
//!   type or path item to an empty one; a parameter, response or other component stays a
//!   reference, which lowering leaves out (its pointer is in [`Resolved::reported`], so it
//!   is not reported twice).
//!
//! Every move is recorded in a [`SourceMap`], so warnings found later still point into the
//! document as written.

use super::grammar::{self, Child, Kind};
use crate::error::{Diagnostics, WarningKind, clipped, pointer_tokens, push_pointer};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Where moved and copied parts of the document came from.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    /// Pointer prefix in the repaired document → pointer prefix in the document as written.
    moved: BTreeMap<String, String>,
}

impl SourceMap {
    pub(crate) fn record(&mut self, now: &str, was: &str) {
        if now != was {
            self.moved.insert(now.to_string(), was.to_string());
        }
    }

    /// The pointer in the document as written for a pointer into the repaired one.
    pub fn original(&self, pointer: &str) -> String {
        if self.moved.is_empty() {
            return pointer.to_string();
        }
        let mut current = pointer.to_string();
        // A part copied out of a part that was itself moved maps back in steps; the bound
        // only guards against a mistake making a loop.
        for _ in 0..8 {
            match self.longest_prefix(&current) {
                Some((now, was)) => current = format!("{was}{}", &current[now.len()..]),
                None => break,
            }
        }
        current
    }

    fn longest_prefix(&self, pointer: &str) -> Option<(&str, &str)> {
        let mut end = pointer.len();
        loop {
            let candidate = &pointer[..end];
            if let Some((now, was)) = self.moved.get_key_value(candidate) {
                return Some((now.as_str(), was.as_str()));
            }
            end = candidate.rfind('/')?;
        }
    }
}

/// What resolution leaves for later stages.
#[derive(Debug, Default)]
pub struct Resolved {
    /// References already reported as dangling, external or looping; lowering leaves them
    /// out without a second warning.
    pub reported: BTreeSet<String>,
    /// Where moved parts came from.
    pub source_map: SourceMap,
}

/// Resolves every reference in the document (see the module docs).
pub fn resolve(doc: &mut Value, diags: &mut Diagnostics) -> Resolved {
    let mut out = Resolved::default();
    inline_non_schema(doc, diags, &mut out);
    resolve_schemas(doc, diags, &mut out);
    out
}

/// A `$ref` met while walking: where it is and what it stands for.
struct Site {
    pointer: String,
    kind: Kind,
    reference: String,
    /// The reference stands for a whole map of `kind` objects (`content: {$ref: ...}`),
    /// which OpenAPI does not allow but documents write.
    map: bool,
    /// The reference is written in a form `canonical` corrects (`#components/...`), so it
    /// is rewritten even where it already names its target.
    respelled: bool,
}

/// What the walk calls for each object: its pointer, its kind, the object, and whether the
/// object is a reference standing for a whole map of that kind; returns whether to look
/// inside.
pub(crate) type Visit<'f> = dyn FnMut(&str, Kind, &Map<String, Value>, bool) -> bool + 'f;

/// Walks the document along the grammar, calling `f` on every object with its kind.
pub(crate) fn walk(value: &Value, kind: Kind, pointer: &mut String, f: &mut Visit<'_>) {
    let Value::Object(map) = value else { return };
    if !f(pointer, kind, map, false) {
        return;
    }
    for (key, child) in map {
        let Some(shape) = grammar::field(kind, key) else {
            continue;
        };
        let len = pointer.len();
        crate::error::extend_pointer(pointer, key);
        match (shape, child) {
            (Child::One(k), Value::Object(_)) => walk(child, k, pointer, f),
            // `items` written as a list (draft-4 tuples), and lists where one was expected.
            (Child::One(k) | Child::ListOf(k), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    crate::error::extend_pointer(pointer, &i.to_string());
                    walk(item, k, pointer, f);
                    pointer.truncate(len);
                }
            }
            (Child::MapOf(k), Value::Object(entries)) => {
                if entries.get("$ref").is_some_and(Value::is_string) {
                    // A reference standing for the whole map.
                    f(pointer, k, entries, true);
                    pointer.truncate(len);
                    continue;
                }
                for (name, item) in entries {
                    let len = pointer.len();
                    crate::error::extend_pointer(pointer, name);
                    walk(item, k, pointer, f);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        pointer.truncate(len);
    }
}

/// The value at a `#/...` pointer: serde_json's RFC 6901 lookup, behind the `#`.
fn lookup<'v>(doc: &'v Value, pointer: &str) -> Option<&'v Value> {
    doc.pointer(pointer.strip_prefix('#')?)
}

fn lookup_mut<'v>(doc: &'v mut Value, pointer: &str) -> Option<&'v mut Value> {
    doc.pointer_mut(pointer.strip_prefix('#')?)
}

fn ref_of(map: &Map<String, Value>) -> Option<&str> {
    map.get("$ref").and_then(Value::as_str)
}

/// Whether `reference` is written `#/components/{section}/{name}` and names an object that
/// is not itself a reference (or, with `alias_ok`, any component): the common case, which
/// needs no work. Checked without allocating, because a large document has tens of
/// thousands of references.
fn plain_component(doc: &Value, reference: &str, section: &str, alias_ok: bool) -> bool {
    let Some(rest) = reference.strip_prefix("#/components/") else {
        return false;
    };
    let Some(name) = rest.strip_prefix(section).and_then(|r| r.strip_prefix('/')) else {
        return false;
    };
    if name.contains(['/', '~', '%']) {
        return false;
    }
    let target = doc
        .get("components")
        .and_then(|c| c.get(section))
        .and_then(|s| s.get(name));
    match target {
        Some(Value::Object(m)) => alias_ok || !m.contains_key("$ref"),
        _ => false,
    }
}

/// The `#/components/{section}/{name}` a pointer names exactly, if it does.
fn component<'p>(tokens: &'p [String], section: &str) -> Option<&'p str> {
    match tokens {
        [c, s, name] if c == "components" && s == section => Some(name),
        _ => None,
    }
}

/// Whether `inner` is `outer` or lies inside it.
fn within(inner: &str, outer: &str) -> bool {
    inner == outer || (inner.starts_with(outer) && inner[outer.len()..].starts_with('/'))
}

/// How a chain of references ended.
enum End {
    /// At this pointer, which holds an object (not a reference).
    At(String),
    /// At a component of the kind's own section, which may itself be a reference (a schema
    /// alias); kept as a named component.
    Component(String),
    Dangling(String),
    External(String),
    Cycle(String),
}

/// Follows `reference` until it reaches something that is not a reference (or, when
/// `stop_at_section` is given, a component of that section).
fn follow(doc: &Value, reference: &str, stop_at_section: Option<&str>, from: &str) -> End {
    let mut seen: Vec<String> = vec![from.to_string()];
    let mut current = reference.to_string();
    loop {
        if !current.starts_with('#') {
            return End::External(current);
        }
        let Some(tokens) = pointer_tokens(&current) else {
            return End::Dangling(current);
        };
        if seen.iter().any(|s| s == &current) {
            return End::Cycle(current);
        }
        let Some(target) = lookup(doc, &current) else {
            return End::Dangling(current);
        };
        if let Some(section) = stop_at_section
            && component(&tokens, section).is_some()
        {
            return End::Component(current);
        }
        match target.as_object().and_then(ref_of) {
            Some(next) => {
                seen.push(current);
                current = canonical(next);
            }
            None => return End::At(current),
        }
    }
}

/// A reference as the pointer the rest of this module uses. It is written relative to the
/// document (`#/...`); `./other.yaml#/x` and URLs point elsewhere. As a URI fragment it may
/// percent-encode characters (`%7B` for `{`), undone here. A few documents spell their own
/// pointers as `#components/...`; a fragment without a `/` is an anchor name and stays as
/// it is.
pub fn canonical(reference: &str) -> String {
    let Some(rest) = reference.strip_prefix('#') else {
        return reference.to_string();
    };
    let decoded = if rest.contains('%') {
        percent_encoding::percent_decode_str(rest)
            .decode_utf8()
            .map_or_else(|_| rest.to_string(), |t| t.into_owned())
    } else {
        rest.to_string()
    };
    if decoded.contains('/') && !decoded.starts_with('/') {
        format!("#/{decoded}")
    } else {
        format!("#{decoded}")
    }
}

// ---------------------------------------------------------------------------------------
// Non-schema references
// ---------------------------------------------------------------------------------------

/// Positions where `openapiv3` takes a reference to a component of the kind's own section.
fn typed_model_keeps_refs(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Response
            | Kind::Parameter
            | Kind::Example
            | Kind::RequestBody
            | Kind::Header
            | Kind::SecurityScheme
            | Kind::Link
    )
}

/// Kinds whose unresolvable references stay in place for lowering to leave out.
fn left_for_lowering(kind: Kind) -> bool {
    typed_model_keeps_refs(kind)
}

fn non_schema_sites(doc: &Value, value: &Value, kind: Kind, at: &str) -> Vec<Site> {
    let mut sites = Vec::new();
    let mut pointer = at.to_string();
    walk(value, kind, &mut pointer, &mut |p, k, map, whole_map| {
        if k == Kind::Schema && !whole_map {
            // Schemas hold only schemas; their references are resolved afterwards.
            return false;
        }
        if let Some(r) = ref_of(map) {
            let settled = !whole_map
                && typed_model_keeps_refs(k)
                && grammar::section(k).is_some_and(|s| plain_component(doc, r, s, false));
            if settled {
                return false;
            }
            let reference = canonical(r);
            sites.push(Site {
                pointer: p.to_string(),
                kind: k,
                respelled: reference != r,
                reference,
                map: whole_map,
            });
            return false;
        }
        true
    });
    sites
}

/// The object standing for a reference of `kind` that points at a schema, when the intent
/// is plain.
fn adapt_schema_target(kind: Kind, schema_pointer: &str) -> Option<Value> {
    let schema = serde_json::json!({ "$ref": schema_pointer });
    Some(match kind {
        Kind::Response => serde_json::json!({
            "description": "",
            "content": { "application/json": { "schema": schema } }
        }),
        Kind::RequestBody => serde_json::json!({
            "content": { "application/json": { "schema": schema } }
        }),
        Kind::MediaType | Kind::Header => serde_json::json!({ "schema": schema }),
        _ => return None,
    })
}

/// What stands in for an unresolvable reference of a kind the typed model cannot hold as
/// a reference.
fn empty_of(kind: Kind) -> Value {
    match kind {
        Kind::Response => serde_json::json!({ "description": "" }),
        Kind::RequestBody => serde_json::json!({ "content": {} }),
        _ => Value::Object(Map::new()),
    }
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Response => "response",
        Kind::Parameter => "parameter",
        Kind::Example => "example",
        Kind::RequestBody => "request body",
        Kind::Header => "header",
        Kind::SecurityScheme => "security scheme",
        Kind::Link => "link",
        Kind::Callback => "callback",
        Kind::PathItem => "path item",
        Kind::MediaType => "media type",
        Kind::Schema => "schema",
        _ => "object",
    }
}

/// A label with its indefinite article.
fn a(label: &str) -> String {
    let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {label}")
}

fn fallback_text(kind: Kind) -> &'static str {
    match kind {
        Kind::Parameter => "the parameter is left out",
        Kind::Header | Kind::Example | Kind::Link | Kind::SecurityScheme => "it is left out",
        Kind::Response => "the response is read as any JSON value",
        Kind::RequestBody => "the body is taken as any JSON value",
        Kind::PathItem | Kind::Callback => "it is read as empty",
        Kind::MediaType => "its body is read as any JSON value",
        _ => "it is left out",
    }
}

struct Work {
    site: Site,
    /// Targets being copied around this site, to catch a copy that contains itself.
    copying: Vec<String>,
}

fn inline_non_schema(doc: &mut Value, diags: &mut Diagnostics, out: &mut Resolved) {
    let mut work: Vec<Work> = non_schema_sites(doc, doc, Kind::Document, "#")
        .into_iter()
        .map(|site| Work {
            site,
            copying: Vec::new(),
        })
        .collect();
    work.reverse();
    while let Some(Work { site, copying }) = work.pop() {
        let origin = out.source_map.original(&site.pointer);
        let section =
            grammar::section(site.kind).filter(|_| typed_model_keeps_refs(site.kind) && !site.map);
        let end = follow(doc, &site.reference, None, &site.pointer);
        let label = if site.map {
            "map"
        } else {
            kind_label(site.kind)
        };
        let (kind_of_warning, what, target) = match end {
            // The end of the chain is a component of the kind's own section: the typed
            // model keeps the reference, now pointing straight at it.
            End::At(target)
                if section.is_some_and(|s| {
                    pointer_tokens(&target).is_some_and(|t| component(&t, s).is_some())
                }) =>
            {
                if (target != site.reference || site.respelled)
                    && let Some(Value::Object(map)) = lookup_mut(doc, &site.pointer)
                {
                    map.insert("$ref".into(), Value::String(target));
                }
                continue;
            }
            End::Component(target) => {
                if (target != site.reference || site.respelled)
                    && let Some(Value::Object(map)) = lookup_mut(doc, &site.pointer)
                {
                    map.insert("$ref".into(), Value::String(target));
                }
                continue;
            }
            End::At(target) => {
                let target_kind = pointer_tokens(&target).and_then(|t| grammar::kind_at(&t));
                if target_kind == Some(Kind::Schema) && site.kind != Kind::Schema && !site.map {
                    match adapt_schema_target(site.kind, &target) {
                        Some(adapted) => {
                            diags.warn(
                                WarningKind::RefKind,
                                &origin,
                                format!(
                                    "$ref `{}` points at a schema where {} belongs; read as {} whose JSON body is that schema",
                                    clipped(&site.reference),
                                    a(label),
                                    a(label)
                                ),
                            );
                            if let Some(slot) = lookup_mut(doc, &site.pointer) {
                                *slot = adapted;
                            }
                            continue;
                        }
                        None => (
                            WarningKind::RefKind,
                            format!("points at a schema where {} belongs", a(label)),
                            target,
                        ),
                    }
                } else if copying
                    .iter()
                    .any(|c| within(&target, c) || within(c, &target))
                    || within(&origin, &target)
                {
                    (
                        WarningKind::RefCycle,
                        "leads back into itself".to_string(),
                        target,
                    )
                } else {
                    let Some(copy) = lookup(doc, &target).cloned() else {
                        continue;
                    };
                    if let Some(slot) = lookup_mut(doc, &site.pointer) {
                        // 3.1 lets `summary` and `description` beside a reference override
                        // the target's.
                        let overrides: Vec<(String, Value)> = slot
                            .as_object()
                            .map(|m| {
                                m.iter()
                                    .filter(|(k, _)| *k == "summary" || *k == "description")
                                    .map(|(k, v)| (k.clone(), v.clone()))
                                    .collect()
                            })
                            .unwrap_or_default();
                        *slot = copy;
                        if let Value::Object(m) = slot {
                            for (k, v) in overrides {
                                m.insert(k, v);
                            }
                        }
                    }
                    // Warnings inside a copy name where its text is written, except for
                    // path items and callbacks: their operations exist once per use, and
                    // are named by where they are used.
                    if !matches!(site.kind, Kind::PathItem | Kind::Callback) {
                        out.source_map.record(&site.pointer, &target);
                    }
                    let mut inner_copying = copying.clone();
                    inner_copying.push(target.clone());
                    let Some(copied) = lookup(doc, &site.pointer) else {
                        continue;
                    };
                    let sites = if site.map {
                        match copied {
                            Value::Object(entries) => entries
                                .iter()
                                .flat_map(|(name, entry)| {
                                    non_schema_sites(
                                        doc,
                                        entry,
                                        site.kind,
                                        &push_pointer(&site.pointer, name),
                                    )
                                })
                                .collect(),
                            _ => Vec::new(),
                        }
                    } else {
                        non_schema_sites(doc, copied, site.kind, &site.pointer)
                    };
                    let mut inner: Vec<Work> = sites
                        .into_iter()
                        .map(|s| Work {
                            site: s,
                            copying: inner_copying.clone(),
                        })
                        .collect();
                    inner.reverse();
                    work.extend(inner);
                    continue;
                }
            }
            End::Dangling(target) => (
                WarningKind::DanglingRef,
                "points at nothing in the document".to_string(),
                target,
            ),
            End::External(target) => (
                WarningKind::ExternalRef,
                "points into another document, which is not fetched".to_string(),
                target,
            ),
            End::Cycle(target) => (
                WarningKind::RefCycle,
                "leads back to itself".to_string(),
                target,
            ),
        };
        let via = if target == site.reference {
            String::new()
        } else {
            format!(" (through `{}`)", clipped(&target))
        };
        diags.warn(
            kind_of_warning,
            &origin,
            format!(
                "{label} $ref `{}`{via} {what}; {}",
                clipped(&site.reference),
                fallback_text(site.kind)
            ),
        );
        if left_for_lowering(site.kind) && !site.map {
            out.reported.insert(site.reference.clone());
            if let Some(Value::Object(map)) = lookup_mut(doc, &site.pointer) {
                // The written reference is what lowering looks up in `reported`.
                map.insert("$ref".into(), Value::String(site.reference.clone()));
            }
        } else if let Some(slot) = lookup_mut(doc, &site.pointer) {
            *slot = if site.map {
                Value::Object(Map::new())
            } else {
                empty_of(site.kind)
            };
        }
    }
}

// ---------------------------------------------------------------------------------------
// Schema references
// ---------------------------------------------------------------------------------------

/// What a schema reference comes to.
#[derive(Clone)]
enum SchemaEnd {
    /// A component schema, by pointer.
    Component(String),
    /// A schema elsewhere, to be moved into a component.
    Hoist(String),
    Unresolved(WarningKind, String),
}

fn resolve_schemas(doc: &mut Value, diags: &mut Diagnostics, out: &mut Resolved) {
    let mut sites: Vec<Site> = Vec::new();
    let mut pointer = "#".to_string();
    let whole = &*doc;
    walk(
        whole,
        Kind::Document,
        &mut pointer,
        &mut |p, k, map, whole_map| {
            if k == Kind::Schema
                && !whole_map
                && let Some(r) = ref_of(map)
                && !plain_component(whole, r, "schemas", true)
            {
                let reference = canonical(r);
                sites.push(Site {
                    pointer: p.to_string(),
                    kind: k,
                    respelled: reference != r,
                    reference,
                    map: false,
                });
            }
            true
        },
    );
    if sites.is_empty() {
        return;
    }

    let mut ends: BTreeMap<String, SchemaEnd> = BTreeMap::new();
    for site in &sites {
        if ends.contains_key(&site.reference) {
            continue;
        }
        let end = schema_end(doc, &site.reference);
        ends.insert(site.reference.clone(), end);
    }

    // Move each nested target into a component of its own, the deepest first, so a target
    // inside another is already a reference when the outer one is copied.
    let mut hoists: Vec<String> = ends
        .values()
        .filter_map(|e| match e {
            SchemaEnd::Hoist(t) => Some(t.clone()),
            _ => None,
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    hoists.sort_by_key(|t| std::cmp::Reverse(t.matches('/').count()));
    let mut taken: BTreeSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut hoisted: BTreeMap<String, String> = BTreeMap::new();
    let mut replaced: BTreeSet<String> = BTreeSet::new();
    for target in &hoists {
        let base = hoisted_name(doc, target);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.insert(name.clone());
        let Some(copy) = lookup(doc, target).cloned() else {
            continue;
        };
        let new_pointer = push_pointer("#/components/schemas", &name);
        let in_schema_position = pointer_tokens(target)
            .and_then(|t| grammar::kind_at(&t))
            .is_some_and(|k| k == Kind::Schema);
        if in_schema_position && let Some(slot) = lookup_mut(doc, target) {
            *slot = serde_json::json!({ "$ref": new_pointer });
            replaced.insert(target.clone());
        }
        insert_component_schema(doc, &name, copy);
        out.source_map.record(&new_pointer, target);
        hoisted.insert(target.clone(), new_pointer);
    }

    // Hoisted targets sorted deepest first: the first one containing a site is where the
    // site lives now.
    let moved: Vec<(&String, &String)> = hoists
        .iter()
        .filter(|t| replaced.contains(*t))
        .filter_map(|t| hoisted.get(t).map(|n| (t, n)))
        .collect();
    for site in &sites {
        let Some(end) = ends.get(&site.reference) else {
            continue;
        };
        let origin = out.source_map.original(&site.pointer);
        let now = match moved.iter().find(|(t, _)| within(&site.pointer, t)) {
            Some((t, n)) => format!("{n}{}", &site.pointer[t.len()..]),
            None => site.pointer.clone(),
        };
        let Some(Value::Object(map)) = lookup_mut(doc, &now) else {
            continue;
        };
        match end {
            SchemaEnd::Component(target) => {
                if *target != site.reference || site.respelled {
                    map.insert("$ref".into(), Value::String(target.clone()));
                }
            }
            SchemaEnd::Hoist(target) => {
                if let Some(new_pointer) = hoisted.get(target) {
                    map.insert("$ref".into(), Value::String(new_pointer.clone()));
                }
            }
            SchemaEnd::Unresolved(kind, what) => {
                map.remove("$ref");
                diags.warn(
                    *kind,
                    &origin,
                    format!(
                        "schema $ref `{}` {what}; using serde_json::Value",
                        clipped(&site.reference)
                    ),
                );
            }
        }
    }
}

fn schema_end(doc: &Value, reference: &str) -> SchemaEnd {
    match follow(doc, reference, Some("schemas"), "") {
        End::Component(t) => SchemaEnd::Component(t),
        End::At(t) => {
            let tokens = pointer_tokens(&t).unwrap_or_default();
            match grammar::kind_at(&tokens) {
                Some(Kind::Schema) | None => SchemaEnd::Hoist(t),
                // A parameter or header: its schema is meant.
                Some(Kind::Parameter | Kind::Header | Kind::MediaType)
                    if lookup(doc, &t).and_then(|v| v.get("schema")).is_some() =>
                {
                    schema_end(doc, &push_pointer(&t, "schema"))
                }
                Some(k) => SchemaEnd::Unresolved(
                    WarningKind::RefKind,
                    format!("points at {} where a schema belongs", a(kind_label(k))),
                ),
            }
        }
        End::Dangling(t) => SchemaEnd::Unresolved(
            WarningKind::DanglingRef,
            if t == reference {
                "points at nothing in the document".into()
            } else {
                format!(
                    "(through `{}`) points at nothing in the document",
                    clipped(&t)
                )
            },
        ),
        End::External(_) => SchemaEnd::Unresolved(
            WarningKind::ExternalRef,
            "points into another document, which is not fetched".into(),
        ),
        End::Cycle(_) => {
            SchemaEnd::Unresolved(WarningKind::RefCycle, "leads back to itself".into())
        }
    }
}

fn insert_component_schema(doc: &mut Value, name: &str, schema: Value) {
    let Value::Object(root) = doc else { return };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let Value::Object(components) = components else {
        return;
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    if !schemas.is_object() {
        *schemas = Value::Object(Map::new());
    }
    if let Value::Object(schemas) = schemas {
        schemas.insert(name.to_string(), schema);
    }
}

/// A component name for a schema moved out of `pointer`, built from where it sits:
/// `#/components/schemas/Disk/properties/filesystem` → `DiskFilesystem`,
/// `#/components/schemas/Outer/$defs/Inner` → `Inner`,
/// `#/paths/~1pets/get/parameters/0/schema` → `GetPetsLimit` (the parameter's name).
fn hoisted_name(doc: &Value, pointer: &str) -> String {
    let tokens = pointer_tokens(pointer).unwrap_or_default();
    let mut words: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let next = tokens.get(i + 1).map(String::as_str);
        match (t, next) {
            ("components", Some(_)) => i += 1,
            ("paths" | "webhooks", Some(path)) => {
                let method = tokens.get(i + 2).cloned().unwrap_or_default();
                words.push(format!("{method} {path}"));
                i += 2;
            }
            ("properties" | "patternProperties" | "dependentSchemas", Some(name)) => {
                words.push(name.to_string());
                i += 1;
            }
            ("$defs" | "definitions", Some(name)) => {
                // A definition has a name of its own.
                words.clear();
                words.push(name.to_string());
                i += 1;
            }
            ("allOf" | "anyOf" | "oneOf" | "prefixItems", Some(n)) => {
                words.push(format!("{t} {n}"));
                i += 1;
            }
            ("parameters", Some(n)) => {
                let param = push_pointer(&pointer_prefix(&tokens[..=i + 1]), "name");
                match lookup(doc, &param).and_then(Value::as_str) {
                    Some(name) => words.push(name.to_string()),
                    None => words.push(format!("param {n}")),
                }
                i += 1;
            }
            ("responses", Some(code)) => {
                words.push(format!("response {code}"));
                i += 1;
            }
            ("items", _) => words.push("item".into()),
            ("additionalProperties", _) => words.push("value".into()),
            ("requestBody", _) => words.push("request".into()),
            ("content" | "headers", Some(_)) => i += 1,
            ("schema" | "schemas" | "responses" | "parameters" | "headers" | "content", _) => {}
            (other, _) => words.push(other.to_string()),
        }
        i += 1;
    }
    let name = crate::naming::type_name(&words.join(" "));
    if name.is_empty() {
        "Schema".into()
    } else {
        name
    }
}

fn pointer_prefix(tokens: &[String]) -> String {
    let mut p = "#".to_string();
    for t in tokens {
        p = push_pointer(&p, t);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolved(mut doc: Value) -> (Value, Vec<String>, Resolved) {
        let mut diags = Diagnostics::default();
        let r = resolve(&mut doc, &mut diags);
        let warnings = diags
            .warnings
            .iter()
            .map(|w| format!("{} {}", w.kind, w.pointer))
            .collect();
        (doc, warnings, r)
    }

    #[test]
    fn nested_schema_targets_become_components_shared_by_their_users() {
        let (doc, warnings, r) = resolved(json!({
            "openapi": "3.1.0",
            "components": {"schemas": {
                "Tag": {"allOf": [{"type": "object", "properties": {"id": {"type": "string"}}}]},
                "Labelled": {"allOf": [{"$ref": "#/components/schemas/Tag/allOf/0"}]},
                "Disk": {"type": "object", "properties": {"filesystem": {"type": "string", "enum": ["ext4"]}}},
                "Mount": {"type": "object", "properties": {"fs": {"$ref": "#/components/schemas/Disk/properties/filesystem"}}}
            }}
        }));
        assert!(warnings.is_empty(), "{warnings:?}");
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Labelled"]["allOf"][0]["$ref"],
            "#/components/schemas/TagAllOf0"
        );
        assert_eq!(
            schemas["Tag"]["allOf"][0]["$ref"],
            "#/components/schemas/TagAllOf0"
        );
        assert_eq!(schemas["TagAllOf0"]["properties"]["id"]["type"], "string");
        assert_eq!(
            schemas["Mount"]["properties"]["fs"]["$ref"],
            "#/components/schemas/DiskFilesystem"
        );
        assert_eq!(
            r.source_map
                .original("#/components/schemas/DiskFilesystem/enum"),
            "#/components/schemas/Disk/properties/filesystem/enum"
        );
    }

    #[test]
    fn chains_are_followed_and_loops_found() {
        let (doc, warnings, r) = resolved(json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/parameters/A"}, {"$ref": "#/components/parameters/Loop1"}],
                "responses": {"200": {"$ref": "#/components/responses/R1"}, "400": {"$ref": "#/components/schemas/Err"}}
            }}},
            "components": {
                "parameters": {
                    "A": {"$ref": "#/components/parameters/B"},
                    "B": {"name": "b", "in": "query", "schema": {"type": "string"}},
                    "Loop1": {"$ref": "#/components/parameters/Loop2"},
                    "Loop2": {"$ref": "#/components/parameters/Loop1"}
                },
                "responses": {"R1": {"$ref": "#/components/responses/R2"}, "R2": {"description": "ok"}},
                "schemas": {"Err": {"type": "object"}}
            }
        }));
        let op = &doc["paths"]["/a"]["get"];
        assert_eq!(op["parameters"][0]["$ref"], "#/components/parameters/B");
        assert_eq!(op["responses"]["200"]["$ref"], "#/components/responses/R2");
        assert_eq!(
            op["responses"]["400"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Err"
        );
        assert!(
            warnings.contains(&"ref-cycle #/paths/~1a/get/parameters/1".to_string()),
            "{warnings:?}"
        );
        assert!(warnings.contains(&"ref-kind #/paths/~1a/get/responses/400".to_string()));
        assert!(r.reported.contains("#/components/parameters/Loop1"));
    }

    #[test]
    fn path_items_are_copied_and_a_path_item_containing_itself_is_caught() {
        let (doc, warnings, _) = resolved(json!({
            "paths": {
                "/pets": {"get": {"responses": {}}, "post": {"callbacks": {"done": {"{$url}": {"$ref": "#/paths/~1pets"}}}}},
                "/v2/pets": {"$ref": "#/paths/~1pets"}
            }
        }));
        assert!(doc["paths"]["/v2/pets"]["get"].is_object());
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("ref-cycle #/paths/~1pets/post/callbacks")),
            "{warnings:?}"
        );
    }

    #[test]
    fn fragments_are_percent_decoded_and_keys_keep_their_percent_signs() {
        let (doc, warnings, _) = resolved(json!({
            "paths": {"/files/{name}%": {"get": {
                "parameters": [{"name": "name", "in": "path", "schema": {"type": "string", "enum": ["a"]}}],
                "responses": {}
            }}},
            "components": {"schemas": {
                "Name": {"$ref": "#/paths/~1files~1%7Bname%7D%25/get/parameters/0/schema"}
            }}
        }));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            doc["components"]["schemas"]["Name"]["$ref"],
            "#/components/schemas/GetFilesNameName"
        );
        assert_eq!(
            doc["paths"]["/files/{name}%"]["get"]["parameters"][0]["schema"]["$ref"],
            "#/components/schemas/GetFilesNameName"
        );
    }

    #[test]
    fn dangling_and_external_schema_refs_become_any_value() {
        let (doc, warnings, _) = resolved(json!({
            "components": {"schemas": {
                "A": {"type": "object", "properties": {
                    "x": {"$ref": "#/components/schemas/Missing"},
                    "y": {"allOf": [{"$ref": "https://example.com/y.json"}]}
                }}
            }}
        }));
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["x"],
            json!({})
        );
        assert_eq!(
            warnings,
            [
                "dangling-ref #/components/schemas/A/properties/x",
                "external-ref #/components/schemas/A/properties/y/allOf/0"
            ]
        );
    }
}
