//! Changes: what a new revision of a document does to the apps that use its client.
//!
//! [`compare`] reads two IRs, the old client's and the new one's, and lists every change a
//! user of the generated crate can observe, each with its semver class and a sentence in
//! the user's terms. The class is the crate's: what the change does to code written
//! against the old crate. Three facts of the generated code decide most of them:
//!
//! - structs have public fields and no `#[non_exhaustive]`, so an app may build one with a
//!   struct literal, and any field added to a struct breaks that literal (even an optional
//!   field of a response type);
//! - enums (string enums, unions, error enums) are exhaustive, so an app may `match` them
//!   without a wildcard, and any variant added breaks that match; a value added to a string
//!   enum still decodes in the old client (into its catch-all variant), which the reason
//!   says, but the crate's change is breaking. A config's `[types] non-exhaustive` makes
//!   them `#[non_exhaustive]`; between two such revisions a variant added is additive, and
//!   turning the setting on is itself breaking (`non-exhaustive-changed`);
//! - a method takes its path parameters, required and optional parameters (unless they are
//!   grouped in a parameter struct) and its body as positional arguments, so any argument
//!   added, removed or retyped breaks its callers, while an argument's name does not
//!   matter to them.
//!
//! Changes to what goes on the wire that leave the Rust API alone (a property's wire name,
//! a path, a media type, a base URL) are patch changes with the reason spelled out; changes
//! to docs only are patch changes of kind `docs`. [`Report::bump`] turns the highest class
//! into a version. The generated `Operation` enum is `#[non_exhaustive]`, so an operation
//! added after the others is additive; but it is fieldless, so an app may cast a variant
//! to its number (its place in document order), and an operation added or removed before
//! others renumbers them: a breaking change (`operation-renumbered`), as cargo-semver-checks
//! says too.

use crate::ir::{
    Api, Body, ErrorVariant, Field, Operation, Param, ParamLocation, StatusMatch, TypeDef,
    TypeKind, TypeRef,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// How a change affects the crate's users, in semver terms. Ordered: the highest class of
/// a report decides the version bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Nothing an app compiles against changes (docs, wire details, behaviour).
    Patch,
    /// Something is added; code written against the old crate compiles as before.
    Additive,
    /// Code written against the old crate may no longer compile, or must change.
    Breaking,
}

impl Class {
    /// The class in lower case, as the reports and JSON spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Patch => "patch",
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        }
    }
}

/// One observable change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its class.
    pub class: Class,
    /// What kind of change, as a stable kebab-case code (`operation-removed`,
    /// `field-added`, `enum-value-added`, `docs`, ...).
    pub kind: &'static str,
    /// The JSON pointer of what changed, in the new document (the old one for what was
    /// removed).
    pub pointer: String,
    /// The sentence a maintainer reads: what changed and what it means for apps.
    pub message: String,
}

/// Every change between two revisions, breaking ones first, then in document order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
}

impl Report {
    /// The highest class of any change, or `None` when nothing changed.
    pub fn class(&self) -> Option<Class> {
        self.changes.iter().map(|c| c.class).max()
    }

    /// How many changes are of `class`.
    pub fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    /// The version that follows `version` for this report's class (see [`bump`]), or
    /// `version` itself when nothing changed.
    pub fn bump(&self, version: &str) -> Result<String, String> {
        match self.class() {
            Some(class) => bump(version, class),
            None => Ok(version.to_string()),
        }
    }

    /// The summary line: "no changes", or the class and counts.
    pub fn summary(&self) -> String {
        let Some(class) = self.class() else {
            return "no changes".to_string();
        };
        let counts: Vec<String> = [Class::Breaking, Class::Additive, Class::Patch]
            .into_iter()
            .filter(|c| self.count(*c) > 0)
            .map(|c| format!("{} {}", self.count(c), c.as_str()))
            .collect();
        format!(
            "{} change{}: {} ({})",
            self.changes.len(),
            if self.changes.len() == 1 { "" } else { "s" },
            class.as_str(),
            counts.join(", ")
        )
    }

    /// Plain text: the summary, then one line per change under its class.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n", self.summary());
        for class in [Class::Breaking, Class::Additive, Class::Patch] {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.class == class).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{}:", class.as_str());
            for c in changes {
                let _ = writeln!(out, "  - {} [{}]", c.message, c.kind);
            }
        }
        out
    }

    /// Markdown: a heading per class with a bullet per change (a CHANGELOG section's body).
    pub fn markdown(&self) -> String {
        if self.changes.is_empty() {
            return "No changes.\n".to_string();
        }
        let mut out = String::new();
        for (class, heading) in [
            (Class::Breaking, "Breaking"),
            (Class::Additive, "Added"),
            (Class::Patch, "Other changes"),
        ] {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.class == class).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "### {heading}\n");
            for c in changes {
                let _ = writeln!(out, "- {}", c.message);
            }
            out.push('\n');
        }
        out
    }

    /// JSON: `{"class": ..., "summary": ..., "changes": [{"class", "kind", "pointer",
    /// "message"}]}`; `class` is `null` when nothing changed.
    pub fn json(&self) -> String {
        let changes: Vec<serde_json::Value> = self
            .changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "class": c.class.as_str(),
                    "kind": c.kind,
                    "pointer": c.pointer,
                    "message": c.message,
                })
            })
            .collect();
        let value = serde_json::json!({
            "class": self.class().map(Class::as_str),
            "summary": self.summary(),
            "changes": changes,
        });
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The version after `version` for a change of `class`, by Cargo's semver rules: from
/// 1.0.0 on, breaking bumps the major, additive the minor, patch the patch; before 1.0.0
/// breaking bumps the minor and anything else the patch (Cargo treats `0.x` minors as
/// incompatible); a `0.0.z` version bumps its patch for any change, since Cargo treats
/// every `0.0.z` as incompatible with the others. Pre-release and build suffixes are
/// dropped.
pub fn bump(version: &str, class: Class) -> Result<String, String> {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let parts: Vec<u64> = core
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{version}` is not a semver version (MAJOR.MINOR.PATCH)"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!(
            "`{version}` is not a semver version (MAJOR.MINOR.PATCH)"
        ));
    };
    let (major, minor, patch) = match (major, minor, class) {
        (0, 0, _) => (0, 0, patch + 1),
        (0, _, Class::Breaking) => (0, minor + 1, 0),
        (0, _, _) => (0, minor, patch + 1),
        (_, _, Class::Breaking) => (major + 1, 0, 0),
        (_, _, Class::Additive) => (major, minor + 1, 0),
        (_, _, Class::Patch) => (major, minor, patch + 1),
    };
    Ok(format!("{major}.{minor}.{patch}"))
}

/// Compares the IR of an old and a new revision of a document.
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut cx = Cx {
        old,
        new,
        changes: Vec::new(),
        old_dirs: directions(old),
        new_dirs: directions(new),
    };
    cx.api_level();
    cx.operations();
    cx.types();
    let mut changes = cx.changes;
    // Stable: within a class, the order the comparison met them (document order).
    changes.sort_by_key(|c| std::cmp::Reverse(c.class));
    Report { changes }
}

/// Where a type travels: in requests, in responses, or both.
#[derive(Debug, Clone, Copy, Default)]
struct Direction {
    request: bool,
    response: bool,
}

impl Direction {
    fn words(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "requests and responses",
            (true, false) => "requests",
            (false, true) => "responses",
            (false, false) => "no operation's requests or responses",
        }
    }
}

/// For each named type, whether requests and responses reach it.
fn directions(api: &Api) -> BTreeMap<&str, Direction> {
    let index: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let (mut requests, mut responses) = (Vec::new(), Vec::new());
    for op in &api.operations {
        op.for_each_request_type(&mut |n| requests.push(n.to_string()));
        op.for_each_response_type(&mut |n| responses.push(n.to_string()));
    }
    let mut out: BTreeMap<&str, Direction> = BTreeMap::new();
    for name in crate::ir::reached(&index, requests) {
        out.entry(name).or_default().request = true;
    }
    for name in crate::ir::reached(&index, responses) {
        out.entry(name).or_default().response = true;
    }
    out
}

/// A type as Rust writes it in a signature (`Option<Vec<Pet>>`).
fn rust(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Unit => "()".into(),
        TypeRef::Value => "serde_json::Value".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Vec(t) => format!("Vec<{}>", rust(t)),
        TypeRef::Map(t) => format!("BTreeMap<String, {}>", rust(t)),
        TypeRef::Option(t) => format!("Option<{}>", rust(t)),
        TypeRef::Box(t) => format!("Box<{}>", rust(t)),
        TypeRef::Format(f) => f
            .rust_type()
            .trim_start_matches("::")
            .replace("<::", "<")
            .replace("std::vec::", ""),
        TypeRef::External(path) => path.trim_start_matches("::").to_string(),
    }
}

/// A type with `Box` taken off: boxing breaks a recursion and is not part of what a
/// field holds, as far as the report goes, unless the field's type itself changes.
fn unboxed(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Box(inner) => unboxed(inner),
        other => other,
    }
}

/// An operation's identity across revisions: its method and its path with parameter
/// names blanked (a path parameter renamed is the same operation).
fn operation_key(op: &Operation) -> (String, String) {
    (
        op.method.as_str().to_string(),
        crate::ir::path_shape(&op.path),
    )
}

fn status_text(s: StatusMatch) -> String {
    match s {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(d) => format!("{d}XX"),
        StatusMatch::Default => "default".to_string(),
    }
}

fn location_text(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

struct Cx<'a> {
    old: &'a Api,
    new: &'a Api,
    changes: Vec<Change>,
    old_dirs: BTreeMap<&'a str, Direction>,
    new_dirs: BTreeMap<&'a str, Direction>,
}

impl<'a> Cx<'a> {
    fn push(&mut self, class: Class, kind: &'static str, pointer: &str, message: String) {
        self.changes.push(Change {
            class,
            kind,
            pointer: pointer.to_string(),
            message,
        });
    }

    fn docs(&mut self, old: &Option<String>, new: &Option<String>, pointer: &str, what: &str) {
        if old != new {
            self.push(
                Class::Patch,
                "docs",
                pointer,
                format!("the docs of {what} changed"),
            );
        }
    }

    /// Base URL, security schemes, group features, the API's own docs.
    /// The class of a variant added to an enum (a value, a union branch, an error status):
    /// breaking where `match`es are exhaustive, additive when both revisions' enums are
    /// `#[non_exhaustive]` (the config's `[types] non-exhaustive`), since every `match`
    /// outside the crate then has a wildcard arm.
    fn enum_growth(&self, message: String) -> (Class, String) {
        if self.old.type_attributes.non_exhaustive && self.new.type_attributes.non_exhaustive {
            let message = message.replace(
                ", which exhaustive `match`es must handle",
                " (the enum is `#[non_exhaustive]`: `match`es have a wildcard arm)",
            );
            (Class::Additive, message)
        } else {
            (Class::Breaking, message)
        }
    }

    fn api_level(&mut self) {
        let (old, new) = (self.old, self.new);
        let (was, is) = (
            old.type_attributes.non_exhaustive,
            new.type_attributes.non_exhaustive,
        );
        if was != is {
            let (class, message) = if is {
                (
                    Class::Breaking,
                    "the enums are now `#[non_exhaustive]`: `match`es outside the crate need a wildcard arm",
                )
            } else {
                (
                    Class::Additive,
                    "the enums are no longer `#[non_exhaustive]`: `match`es may list every variant",
                )
            };
            self.push(class, "non-exhaustive-changed", "#", message.to_string());
        }
        if old.default_base_url != new.default_base_url {
            let show = |u: &Option<String>| {
                u.as_deref()
                    .map_or("none".to_string(), |u| format!("`{u}`"))
            };
            self.push(
                Class::Patch,
                "base-url-changed",
                "#/servers",
                format!(
                    "the default base URL is now {} (was {}): apps that do not set one call the new server",
                    show(&new.default_base_url),
                    show(&old.default_base_url)
                ),
            );
        }
        if old.version != new.version {
            self.push(
                Class::Patch,
                "docs",
                "#/info/version",
                format!(
                    "the document's version is now `{}` (was `{}`)",
                    new.version, old.version
                ),
            );
        }
        if old.title != new.title || old.description != new.description {
            self.push(
                Class::Patch,
                "docs",
                "#/info",
                "the API's title or description changed (the crate docs)".to_string(),
            );
        }
        let tags = |api: &'a Api| -> BTreeMap<&'a str, &'a Option<String>> {
            api.tags
                .iter()
                .map(|t| (t.name.as_str(), &t.description))
                .collect()
        };
        if tags(old) != tags(new) {
            self.push(
                Class::Patch,
                "docs",
                "#/tags",
                "the tags or their descriptions changed (the crate docs' list of operations)"
                    .to_string(),
            );
        }
        for s in &old.security_schemes {
            match new.security_schemes.iter().find(|n| n.key == s.key) {
                None => self.push(
                    Class::Breaking,
                    "security-scheme-removed",
                    &s.source,
                    format!(
                        "security scheme `{}` is gone, and with it `ClientBuilder::{}`: apps that call it must drop the call",
                        s.key, s.setter
                    ),
                ),
                Some(n) => {
                    if n.setter != s.setter {
                        self.push(
                            Class::Breaking,
                            "security-setter-renamed",
                            &n.source,
                            format!(
                                "the credential of `{}` is now set with `ClientBuilder::{}` (was `{}`)",
                                s.key, n.setter, s.setter
                            ),
                        );
                    }
                    if n.kind != s.kind {
                        self.push(
                            Class::Breaking,
                            "security-scheme-changed",
                            &n.source,
                            format!(
                                "security scheme `{}` changed how its credential is sent: apps must supply the new kind of credential",
                                s.key
                            ),
                        );
                    }
                    if n.env_var != s.env_var {
                        self.push(
                            Class::Patch,
                            "security-env-changed",
                            &n.source,
                            format!(
                                "`Client::from_env` reads the credential of `{}` from `{}` (was `{}`)",
                                s.key, n.env_var, s.env_var
                            ),
                        );
                    }
                    self.docs(&s.description, &n.description, &n.source, &format!("security scheme `{}`", s.key));
                }
            }
        }
        for n in &new.security_schemes {
            if !old.security_schemes.iter().any(|s| s.key == n.key) {
                self.push(
                    Class::Additive,
                    "security-scheme-added",
                    &n.source,
                    format!(
                        "new security scheme `{}`, set with `ClientBuilder::{}`",
                        n.key, n.setter
                    ),
                );
            }
        }
        let features = |api: &Api| -> BTreeSet<String> {
            api.grouping
                .groups
                .iter()
                .map(|g| g.feature.clone())
                .collect()
        };
        let (of, nf) = (features(old), features(new));
        for f in of.difference(&nf) {
            self.push(
                Class::Breaking,
                "feature-removed",
                "#/paths",
                format!("cargo feature `{f}` is gone: apps that enable it must stop"),
            );
        }
        for f in nf.difference(&of) {
            self.push(
                Class::Additive,
                "feature-added",
                "#/paths",
                format!("new cargo feature `{f}`"),
            );
        }
    }

    fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        let mut new_by_key: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (i, op) in new.operations.iter().enumerate() {
            new_by_key.entry(operation_key(op)).or_insert(i);
        }
        let mut matched_new = vec![false; new.operations.len()];
        let mut pairs = Vec::new();
        let mut unmatched_old = Vec::new();
        for (i, op) in old.operations.iter().enumerate() {
            match new_by_key.get(&operation_key(op)) {
                Some(&j) if !matched_new[j] => {
                    matched_new[j] = true;
                    pairs.push((i, j));
                }
                _ => unmatched_old.push(i),
            }
        }
        // An operation whose method or path changed but whose client method keeps its name
        // is the same method to its callers.
        let mut removed = Vec::new();
        for i in unmatched_old {
            let name = &old.operations[i].name;
            match new
                .operations
                .iter()
                .enumerate()
                .find(|(j, n)| !matched_new[*j] && &n.name == name)
            {
                Some((j, _)) => {
                    matched_new[j] = true;
                    pairs.push((i, j));
                }
                None => removed.push(i),
            }
        }
        for i in removed {
            let op = &old.operations[i];
            self.push(
                Class::Breaking,
                "operation-removed",
                &op.source,
                format!(
                    "`{}` (`{} {}`) is gone: apps that call it no longer compile",
                    op.name,
                    op.method.as_str(),
                    op.path
                ),
            );
        }
        pairs.sort_by_key(|&(_, j)| j);
        // `Operation` is a fieldless enum, so an app can cast a variant to a number, and a
        // variant's number is its place in document order: an operation added or removed
        // before others renumbers them.
        let renumbered: Vec<&str> = pairs
            .iter()
            .filter(|&&(i, j)| i != j)
            .map(|&(_, j)| new.operations[j].variant.as_str())
            .collect();
        if let Some(first) = renumbered.first() {
            self.push(
                Class::Breaking,
                "operation-renumbered",
                "#/paths",
                format!(
                    "{} `Operation` variant{} from `Operation::{first}` on {} a new number: code that casts an `Operation` to an integer (`as usize`) sees new values",
                    renumbered.len(),
                    if renumbered.len() == 1 { "" } else { "s" },
                    if renumbered.len() == 1 { "has" } else { "have" },
                ),
            );
        }
        let mut pair_iter = pairs.into_iter().peekable();
        for (j, op) in new.operations.iter().enumerate() {
            if let Some(&(i, jj)) = pair_iter.peek()
                && jj == j
            {
                pair_iter.next();
                self.operation(&old.operations[i], op);
                continue;
            }
            if !matched_new[j] {
                self.push(
                    Class::Additive,
                    "operation-added",
                    &op.source,
                    format!(
                        "new operation `{}` (`{} {}`)",
                        op.name,
                        op.method.as_str(),
                        op.path
                    ),
                );
            }
        }
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        let at = n.source.as_str();
        let name = &n.name;
        if o.name != n.name {
            self.push(
                Class::Breaking,
                "operation-renamed",
                at,
                format!(
                    "`{}` is now `{}` (`{} {}`): callers must use the new name",
                    o.name,
                    n.name,
                    n.method.as_str(),
                    n.path
                ),
            );
        }
        if o.method != n.method || o.path != n.path {
            self.push(
                Class::Patch,
                "operation-moved",
                at,
                format!(
                    "`{name}` now sends `{} {}` (was `{} {}`)",
                    n.method.as_str(),
                    n.path,
                    o.method.as_str(),
                    o.path
                ),
            );
        }
        if o.deprecated != n.deprecated {
            if n.deprecated {
                self.push(
                    Class::Additive,
                    "operation-deprecated",
                    at,
                    format!("`{name}` is deprecated: calls to it warn"),
                );
            } else {
                self.push(
                    Class::Patch,
                    "operation-undeprecated",
                    at,
                    format!("`{name}` is no longer deprecated"),
                );
            }
        }
        let groups = |api: &Api, op: &Operation| -> Vec<String> {
            let Some(i) = api.operations.iter().position(|x| std::ptr::eq(x, op)) else {
                return Vec::new();
            };
            let mut v: Vec<String> = api
                .grouping
                .operations
                .get(i)
                .map(|gs| {
                    gs.iter()
                        .map(|g| api.grouping.groups[*g].feature.clone())
                        .collect()
                })
                .unwrap_or_default();
            v.sort();
            v
        };
        let (og, ng) = (groups(self.old, o), groups(self.new, n));
        if og != ng && !og.is_empty() && !ng.is_empty() {
            self.push(
                Class::Breaking,
                "operation-feature-changed",
                at,
                format!(
                    "`{name}` is compiled with feature {} (was {}): apps that enable only the old feature lose it",
                    feature_list(&ng),
                    feature_list(&og)
                ),
            );
        }
        self.params(o, n);
        self.request_body(o, n);
        self.success(o, n);
        self.errors(o, n);
        self.security(o, n);
        match (&o.pagination, &n.pagination) {
            (None, Some(p)) => self.push(
                Class::Additive,
                "stream-added",
                at,
                format!(
                    "new method `{}` streams every item of `{name}`",
                    p.stream_name
                ),
            ),
            (Some(p), None) => self.push(
                Class::Breaking,
                "stream-removed",
                at,
                format!(
                    "`{}` is gone (`{name}` no longer pages by a rule the generator knows)",
                    p.stream_name
                ),
            ),
            (Some(p), Some(q)) if p != q => self.push(
                if p.stream_name != q.stream_name
                    || p.item != q.item
                    || p.next.convention() != q.next.convention()
                    || p.page_size.as_ref().map(|s| &s.arg) != q.page_size.as_ref().map(|s| &s.arg)
                {
                    Class::Breaking
                } else {
                    Class::Patch
                },
                "stream-changed",
                at,
                format!(
                    "`{}` streams differently (its name, item or paging fields changed)",
                    q.stream_name
                ),
            ),
            _ => {}
        }
        match (&o.item_stream, &n.item_stream) {
            (None, Some(s)) => self.push(
                Class::Additive,
                "stream-added",
                at,
                format!(
                    "new method `{}` reads `{name}`'s response as it arrives",
                    s.name
                ),
            ),
            (Some(s), None) => self.push(
                Class::Breaking,
                "stream-removed",
                at,
                format!("`{}` is gone", s.name),
            ),
            (Some(s), Some(t)) if s.name != t.name || s.item != t.item || s.kind != t.kind => self
                .push(
                    Class::Breaking,
                    "stream-changed",
                    at,
                    format!(
                        "`{}` now yields `{}` (was `{}` `{}`)",
                        t.name,
                        rust(&t.item),
                        s.name,
                        rust(&s.item)
                    ),
                ),
            _ => {}
        }
        if o.tags != n.tags {
            self.push(
                Class::Patch,
                "docs",
                at,
                format!(
                    "`{name}` is listed under {} in the crate docs (was {})",
                    tag_list(&n.tags),
                    tag_list(&o.tags)
                ),
            );
        }
        if o.summary != n.summary || o.description != n.description {
            self.push(
                Class::Patch,
                "docs",
                at,
                format!("the docs of `{name}` changed"),
            );
        }
    }

    fn params(&mut self, o: &Operation, n: &Operation) {
        let at = n.source.as_str();
        let name = &n.name;
        let keys = |op: &Operation| -> Vec<(&'static str, String)> {
            let mut path_index = 0;
            op.params
                .iter()
                .map(|p| {
                    (
                        location_text(p.location),
                        if p.location == ParamLocation::Path {
                            path_index += 1;
                            format!("#{path_index}")
                        } else {
                            param_key(p)
                        },
                    )
                })
                .collect()
        };
        let (old_keys, new_keys) = (keys(o), keys(n));
        let old_by: BTreeMap<_, &Param> = old_keys.iter().cloned().zip(&o.params).collect();
        let new_by: BTreeMap<_, &Param> = new_keys.iter().cloned().zip(&n.params).collect();
        let key_of = |op: &Operation, keys: &[(&'static str, String)], p: &Param| {
            let i = op
                .params
                .iter()
                .position(|q| std::ptr::eq(q, p))
                .unwrap_or(0);
            keys[i].clone()
        };
        let key_old = |p: &Param| key_of(o, &old_keys, p);
        let key_new = |p: &Param| key_of(n, &new_keys, p);
        let where_ = |p: &Param, struct_name: &Option<String>| -> String {
            match (p.grouped, struct_name) {
                (true, Some(s)) => format!("field `{}` of `{s}`", p.name),
                _ => format!("argument `{}`", p.name),
            }
        };
        for p in &o.params {
            if !new_by.contains_key(&key_old(p)) {
                self.push(
                    Class::Breaking,
                    "parameter-removed",
                    at,
                    format!(
                        "`{name}` no longer takes {} parameter `{}` ({}): callers must drop it",
                        location_text(p.location),
                        p.wire_name,
                        where_(p, &o.params_struct)
                    ),
                );
            }
        }
        for p in &n.params {
            let Some(q) = old_by.get(&key_new(p)) else {
                let (kind, why) = if p.required {
                    ("parameter-added-required", "callers must pass it")
                } else if p.grouped {
                    (
                        "parameter-added-optional",
                        "struct literals of the parameter struct must add it (`..Default::default()` covers it)",
                    )
                } else {
                    (
                        "parameter-added-optional",
                        "callers must pass it (`None` keeps today's request)",
                    )
                };
                self.push(
                    Class::Breaking,
                    kind,
                    at,
                    format!(
                        "`{name}` takes a new {} {} parameter `{}` ({}): {why}",
                        if p.required { "required" } else { "optional" },
                        location_text(p.location),
                        p.wire_name,
                        where_(p, &n.params_struct),
                    ),
                );
                continue;
            };
            let q = *q;
            if q.required != p.required {
                self.push(
                    Class::Breaking,
                    if p.required { "parameter-now-required" } else { "parameter-now-optional" },
                    at,
                    if p.required {
                        format!("`{name}` now requires `{}`: callers must pass it (no longer an `Option`)", p.wire_name)
                    } else {
                        format!("`{name}`'s `{}` is now optional: callers pass an `Option`", p.wire_name)
                    },
                );
            }
            if q.ty != p.ty {
                self.push(
                    Class::Breaking,
                    "parameter-type-changed",
                    at,
                    format!(
                        "`{name}`'s parameter `{}` is now `{}` (was `{}`)",
                        p.wire_name,
                        rust(&p.ty),
                        rust(&q.ty)
                    ),
                );
            }
            if q.grouped != p.grouped {
                self.push(
                    Class::Breaking,
                    "parameter-moved",
                    at,
                    format!(
                        "`{name}`'s `{}` is now {} (was {})",
                        p.wire_name,
                        where_(p, &n.params_struct),
                        where_(q, &o.params_struct)
                    ),
                );
            } else if p.grouped && q.name != p.name {
                self.push(
                    Class::Breaking,
                    "parameter-renamed",
                    at,
                    format!(
                        "`{name}`'s `{}` is now field `{}` (was `{}`)",
                        p.wire_name, p.name, q.name
                    ),
                );
            }
            if q.encoding != p.encoding || q.explode != p.explode {
                self.push(
                    Class::Patch,
                    "parameter-encoding-changed",
                    at,
                    format!("`{name}` writes `{}` in a different style", p.wire_name),
                );
            }
            if q.doc != p.doc {
                self.push(
                    Class::Patch,
                    "docs",
                    at,
                    format!("the docs of `{name}`'s parameter `{}` changed", p.wire_name),
                );
            }
        }
        // Positional arguments in a different order (with their types) break callers even
        // when every parameter is still there.
        let args = |op: &Operation, keys: &[(&'static str, String)]| -> Vec<(String, String)> {
            op.params
                .iter()
                .zip(keys)
                .filter(|(p, _)| !p.grouped)
                .map(|(p, (_, key))| (key.clone(), rust(&p.ty)))
                .collect()
        };
        let (oa, na) = (args(o, &old_keys), args(n, &new_keys));
        let common_old: Vec<_> = oa.iter().filter(|a| na.contains(a)).collect();
        let common_new: Vec<_> = na.iter().filter(|a| oa.contains(a)).collect();
        if common_old != common_new {
            self.push(
                Class::Breaking,
                "parameters-reordered",
                at,
                format!("`{name}` takes its arguments in a new order: callers must reorder them"),
            );
        }
        if o.params_struct != n.params_struct {
            let text = |s: &Option<String>| {
                s.as_deref()
                    .map_or("none".to_string(), |s| format!("`{s}`"))
            };
            self.push(
                Class::Breaking,
                "parameter-struct-changed",
                at,
                format!(
                    "`{name}`'s optional parameters travel in {} (was {})",
                    text(&n.params_struct),
                    text(&o.params_struct)
                ),
            );
        }
    }

    fn request_body(&mut self, o: &Operation, n: &Operation) {
        let at = n.source.as_str();
        let name = &n.name;
        match (&o.body, &n.body) {
            (None, Some(b)) => self.push(
                Class::Breaking,
                "request-body-added",
                at,
                format!(
                    "`{name}` takes a {} request body (`{}`): callers must pass it",
                    if b.required {
                        "required"
                    } else {
                        "new optional"
                    },
                    rust(&b.body.ty)
                ),
            ),
            (Some(b), None) => self.push(
                Class::Breaking,
                "request-body-removed",
                at,
                format!(
                    "`{name}` no longer takes a request body (was `{}`)",
                    rust(&b.body.ty)
                ),
            ),
            (Some(a), Some(b)) => {
                if a.body.ty != b.body.ty || a.body.encoding != b.body.encoding {
                    self.push(
                        Class::Breaking,
                        "request-body-type-changed",
                        at,
                        format!(
                            "`{name}`'s request body is now `{}` (was `{}`)",
                            rust(&b.body.ty),
                            rust(&a.body.ty)
                        ),
                    );
                } else if a.body.media_type != b.body.media_type {
                    self.push(
                        Class::Patch,
                        "request-media-type-changed",
                        at,
                        format!(
                            "`{name}` sends its body as `{}` (was `{}`)",
                            b.body.media_type, a.body.media_type
                        ),
                    );
                }
                if a.required != b.required {
                    self.push(
                        Class::Breaking,
                        if b.required {
                            "request-body-now-required"
                        } else {
                            "request-body-now-optional"
                        },
                        at,
                        format!(
                            "`{name}`'s request body is now {}: callers pass {}",
                            if b.required { "required" } else { "optional" },
                            if b.required {
                                "it directly (no longer an `Option`)"
                            } else {
                                "an `Option`"
                            }
                        ),
                    );
                }
                if a.multipart != b.multipart && a.body.ty == b.body.ty {
                    self.push(
                        Class::Breaking,
                        "multipart-changed",
                        at,
                        format!("the parts of `{name}`'s multipart body changed"),
                    );
                }
                if a.doc != b.doc {
                    self.push(
                        Class::Patch,
                        "docs",
                        at,
                        format!("the docs of `{name}`'s request body changed"),
                    );
                }
            }
            (None, None) => {}
        }
    }

    fn success(&mut self, o: &Operation, n: &Operation) {
        let at = n.source.as_str();
        let name = &n.name;
        let ty = |b: &Option<Body>| b.as_ref().map_or("()".to_string(), |b| rust(&b.ty));
        let (ot, nt) = (ty(&o.success.body), ty(&n.success.body));
        if ot != nt {
            self.push(
                Class::Breaking,
                "response-type-changed",
                at,
                format!("`{name}` now returns `{nt}` (was `{ot}`)"),
            );
        } else if let (Some(a), Some(b)) = (&o.success.body, &n.success.body)
            && a.media_type != b.media_type
        {
            self.push(
                Class::Patch,
                "response-media-type-changed",
                at,
                format!(
                    "`{name}` reads its response as `{}` (was `{}`)",
                    b.media_type, a.media_type
                ),
            );
        }
        if o.success.statuses != n.success.statuses {
            let list = |s: &[StatusMatch]| {
                s.iter()
                    .map(|s| status_text(*s))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.push(
                Class::Patch,
                "success-statuses-changed",
                at,
                format!(
                    "`{name}` succeeds on {} (was {})",
                    list(&n.success.statuses),
                    list(&o.success.statuses)
                ),
            );
        }
    }

    fn errors(&mut self, o: &Operation, n: &Operation) {
        let at = n.source.as_str();
        let name = &n.name;
        let enum_name = &n.error_type;
        if o.error_type != n.error_type {
            self.push(
                Class::Breaking,
                "error-type-renamed",
                at,
                format!(
                    "`{name}`'s error enum is now `{}` (was `{}`)",
                    n.error_type, o.error_type
                ),
            );
        }
        let by = |es: &[ErrorVariant]| -> BTreeSet<StatusMatch> {
            es.iter().map(|e| e.status).collect()
        };
        let nb = by(&n.errors);
        for e in &o.errors {
            if !nb.contains(&e.status) {
                self.push(
                    Class::Breaking,
                    "error-removed",
                    at,
                    format!(
                        "`{name}` no longer documents status {}: variant `{enum_name}::{}` is gone",
                        status_text(e.status),
                        e.name
                    ),
                );
            }
        }
        for e in &n.errors {
            let Some(f) = o.errors.iter().find(|f| f.status == e.status) else {
                let (class, message) = self.enum_growth(format!(
                    "`{name}` documents status {}: `{enum_name}` gains variant `{}`, which exhaustive `match`es must handle",
                    status_text(e.status),
                    e.name
                ));
                self.push(class, "error-added", at, message);
                continue;
            };
            let ty = |v: &ErrorVariant| v.body.as_ref().map(|b| rust(&b.ty));
            if f.name != e.name || ty(f) != ty(e) {
                self.push(
                    Class::Breaking,
                    "error-changed",
                    at,
                    format!(
                        "`{name}`'s status {} is now `{enum_name}::{}{}` (was `{}{}`)",
                        status_text(e.status),
                        e.name,
                        ty(e).map(|t| format!("({t})")).unwrap_or_default(),
                        f.name,
                        ty(f).map(|t| format!("({t})")).unwrap_or_default(),
                    ),
                );
            } else if f.doc != e.doc {
                self.push(
                    Class::Patch,
                    "docs",
                    at,
                    format!(
                        "the docs of `{name}`'s status {} changed",
                        status_text(e.status)
                    ),
                );
            }
        }
    }

    fn security(&mut self, o: &Operation, n: &Operation) {
        let keys = |api: &Api, op: &Operation| -> BTreeSet<Vec<String>> {
            op.security
                .iter()
                .map(|alt| {
                    let mut v: Vec<String> = alt
                        .iter()
                        .map(|i| api.security_schemes[*i].key.clone())
                        .collect();
                    v.sort();
                    v
                })
                .collect()
        };
        let (ok, nk) = (keys(self.old, o), keys(self.new, n));
        if ok == nk && o.unapplied_security == n.unapplied_security {
            return;
        }
        let anonymous = |k: &BTreeSet<Vec<String>>| k.is_empty() || k.iter().any(Vec::is_empty);
        let text = |k: &BTreeSet<Vec<String>>| -> String {
            if k.is_empty() {
                return "no credentials".to_string();
            }
            k.iter()
                .map(|alt| {
                    if alt.is_empty() {
                        "none".to_string()
                    } else {
                        alt.iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    }
                })
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let name = &n.name;
        let now_required = anonymous(&ok) && !anonymous(&nk);
        self.push(
            if now_required { Class::Breaking } else { Class::Patch },
            "security-changed",
            &n.source,
            if now_required {
                format!(
                    "`{name}` now requires credentials ({}): apps that call it without them must set them",
                    text(&nk)
                )
            } else {
                format!("`{name}` accepts {} (was {})", text(&nk), text(&ok))
            },
        );
    }

    fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        let new_by: BTreeMap<&str, &TypeDef> =
            new.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let old_by: BTreeMap<&str, &TypeDef> =
            old.types.iter().map(|t| (t.name.as_str(), t)).collect();
        for t in &old.types {
            if !new_by.contains_key(t.name.as_str()) {
                self.push(
                    Class::Breaking,
                    "type-removed",
                    &t.source,
                    format!(
                        "type `{}` is gone: code that names it no longer compiles",
                        t.name
                    ),
                );
            }
        }
        for t in &new.types {
            match old_by.get(t.name.as_str()) {
                None => self.push(
                    Class::Additive,
                    "type-added",
                    &t.source,
                    format!("new type `{}`", t.name),
                ),
                Some(o) => self.type_def(o, t),
            }
        }
    }

    fn direction(&self, name: &str) -> Direction {
        let o = self.old_dirs.get(name).copied().unwrap_or_default();
        let n = self.new_dirs.get(name).copied().unwrap_or_default();
        Direction {
            request: o.request || n.request,
            response: o.response || n.response,
        }
    }

    fn type_def(&mut self, o: &TypeDef, n: &TypeDef) {
        let at = n.source.as_str();
        let name = &n.name;
        let dir = self.direction(name);
        match (&o.kind, &n.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                self.fields(name, at, dir, &a.fields, &b.fields);
                let extra = |s: &crate::ir::Struct| {
                    s.additional
                        .as_ref()
                        .map(|a| (a.name.clone(), rust(&a.value)))
                };
                if extra(a) != extra(b) {
                    self.push(
                        Class::Breaking,
                        "additional-properties-changed",
                        at,
                        format!(
                            "`{name}`'s field for properties it does not list is now {} (was {})",
                            extra(b).map_or("gone".to_string(), |(f, t)| format!(
                                "`{f}: BTreeMap<String, {t}>`"
                            )),
                            extra(a).map_or("none".to_string(), |(f, t)| format!(
                                "`{f}: BTreeMap<String, {t}>`"
                            )),
                        ),
                    );
                }
            }
            (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => {
                for v in &a.variants {
                    if !b.variants.iter().any(|w| w.value == v.value) {
                        self.push(
                            Class::Breaking,
                            "enum-value-removed",
                            at,
                            format!(
                                "`{name}` no longer has value `{}`: variant `{name}::{}` is gone",
                                v.value, v.name
                            ),
                        );
                    }
                }
                for v in &b.variants {
                    match a.variants.iter().find(|w| w.value == v.value) {
                        None => {
                            let (class, message) = self.enum_growth(format!(
                                "`{name}` gains value `{}` (variant `{}`), which exhaustive `match`es must handle; the old client decodes it as `{name}::{}`",
                                v.value, v.name, a.other
                            ));
                            self.push(class, "enum-value-added", at, message)
                        }
                        Some(w) if w.name != v.name => self.push(
                            Class::Breaking,
                            "enum-variant-renamed",
                            at,
                            format!("`{name}::{}` is now `{name}::{}`", w.name, v.name),
                        ),
                        Some(_) => {}
                    }
                }
                if a.other != b.other {
                    self.push(
                        Class::Breaking,
                        "enum-variant-renamed",
                        at,
                        format!("`{name}::{}` is now `{name}::{}`", a.other, b.other),
                    );
                }
            }
            (TypeKind::Untagged(a), TypeKind::Untagged(b)) => {
                let pairs = |vs: &[crate::ir::UnionVariant]| -> Vec<(String, String)> {
                    vs.iter().map(|v| (v.name.clone(), rust(&v.ty))).collect()
                };
                self.variants(name, at, pairs(a), pairs(b));
            }
            (TypeKind::Tagged(a), TypeKind::Tagged(b)) => {
                let pairs = |vs: &[crate::ir::TaggedVariant]| -> Vec<(String, String)> {
                    vs.iter().map(|v| (v.name.clone(), rust(&v.ty))).collect()
                };
                self.variants(name, at, pairs(&a.variants), pairs(&b.variants));
                let tags = |t: &crate::ir::Tagged| -> Vec<(String, Vec<String>)> {
                    t.variants
                        .iter()
                        .map(|v| (v.name.clone(), v.tags.clone()))
                        .collect()
                };
                if a.property != b.property || tags(a) != tags(b) {
                    self.push(
                        Class::Patch,
                        "discriminator-changed",
                        at,
                        format!(
                            "`{name}` picks its variant by different values of `{}`",
                            b.property
                        ),
                    );
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                if a != b {
                    self.push(
                        Class::Breaking,
                        "type-changed",
                        at,
                        format!("`{name}` is now `{}` (was `{}`)", rust(b), rust(a)),
                    );
                }
            }
            (a, b) => self.push(
                Class::Breaking,
                "type-changed",
                at,
                format!("`{name}` is now {} (was {})", kind_words(b), kind_words(a)),
            ),
        }
        self.docs(&o.doc, &n.doc, at, &format!("`{name}`"));
    }

    fn fields(&mut self, name: &str, at: &str, dir: Direction, old: &[Field], new: &[Field]) {
        let used_in = dir.words();
        for f in old {
            if !new.iter().any(|g| g.wire == f.wire) {
                self.push(
                    Class::Breaking,
                    "field-removed",
                    at,
                    format!(
                        "`{name}.{}` is gone (property `{}`, in {used_in}): code that reads or sets it no longer compiles",
                        f.name, f.wire
                    ),
                );
            }
        }
        for f in new {
            let Some(g) = old.iter().find(|g| g.wire == f.wire) else {
                let why = if f.required && dir.request {
                    "requests must now set it, and struct literals must add it"
                } else {
                    "struct literals must add it"
                };
                self.push(
                    Class::Breaking,
                    "field-added",
                    at,
                    format!(
                        "`{name}` gains {} field `{}: {}` (in {used_in}): {why}",
                        if f.required { "required" } else { "optional" },
                        f.name,
                        rust(&f.ty)
                    ),
                );
                continue;
            };
            if g.name != f.name {
                self.push(
                    Class::Breaking,
                    "field-renamed",
                    at,
                    format!(
                        "`{name}.{}` is now `{name}.{}` (property `{}`)",
                        g.name, f.name, f.wire
                    ),
                );
            }
            if g.required != f.required {
                let why = match (f.required, dir.request, dir.response) {
                    (true, true, _) => "requests must now send it",
                    (false, _, true) => "responses may now leave it out",
                    _ => "its presence rule changed",
                };
                self.push(
                    Class::Breaking,
                    if f.required {
                        "field-now-required"
                    } else {
                        "field-now-optional"
                    },
                    at,
                    format!(
                        "`{name}.{}` is now {} (in {used_in}): {why}",
                        f.name,
                        if f.required { "required" } else { "optional" }
                    ),
                );
            }
            // A field made required or optional gains or loses its `Option`: that is the
            // change above, not a second one.
            let (gt, ft) = if g.required != f.required {
                (g.ty.strip_option(), f.ty.strip_option())
            } else {
                (&g.ty, &f.ty)
            };
            if unboxed(gt) != unboxed(ft) {
                self.push(
                    Class::Breaking,
                    "field-type-changed",
                    at,
                    format!(
                        "`{name}.{}` is now `{}` (was `{}`, in {used_in})",
                        f.name,
                        rust(&f.ty),
                        rust(&g.ty)
                    ),
                );
            } else if gt != ft {
                self.push(
                    Class::Breaking,
                    "field-type-changed",
                    at,
                    format!(
                        "`{name}.{}` is now `{}` (was `{}`): boxed to break a recursion",
                        f.name,
                        rust(&f.ty),
                        rust(&g.ty)
                    ),
                );
            }
            if g.doc != f.doc {
                self.push(
                    Class::Patch,
                    "docs",
                    at,
                    format!("the docs of `{name}.{}` changed", f.name),
                );
            }
        }
    }

    fn variants(
        &mut self,
        name: &str,
        at: &str,
        old: Vec<(String, String)>,
        new: Vec<(String, String)>,
    ) {
        for (v, t) in &old {
            if !new.iter().any(|(w, _)| w == v) {
                self.push(
                    Class::Breaking,
                    "variant-removed",
                    at,
                    format!("`{name}::{v}({t})` is gone"),
                );
            }
        }
        for (v, t) in &new {
            match old.iter().find(|(w, _)| w == v) {
                None => {
                    let (class, message) = self.enum_growth(format!(
                        "`{name}` gains variant `{v}({t})`, which exhaustive `match`es must handle"
                    ));
                    self.push(class, "variant-added", at, message)
                }
                Some((_, u)) if u != t => self.push(
                    Class::Breaking,
                    "variant-type-changed",
                    at,
                    format!("`{name}::{v}` now holds `{t}` (was `{u}`)"),
                ),
                Some(_) => {}
            }
        }
        let order = |vs: &[(String, String)], other: &[(String, String)]| -> Vec<String> {
            vs.iter()
                .filter(|(v, _)| other.iter().any(|(w, _)| w == v))
                .map(|(v, _)| v.clone())
                .collect()
        };
        if order(&old, &new) != order(&new, &old) {
            self.push(
                Class::Patch,
                "variants-reordered",
                at,
                format!("`{name}` tries its variants in a new order when it decodes"),
            );
        }
    }
}

fn kind_words(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Struct(_) => "a struct".into(),
        TypeKind::StringEnum(_) => "a string enum".into(),
        TypeKind::Untagged(_) => "an untagged union".into(),
        TypeKind::Tagged(_) => "a tagged union".into(),
        TypeKind::Alias(t) => format!("an alias of `{}`", rust(t)),
    }
}

fn tag_list(tags: &[String]) -> String {
    if tags.is_empty() {
        return "no tag".to_string();
    }
    tags.iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn feature_list(features: &[String]) -> String {
    features
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// A parameter's wire name as it identifies the parameter: header names are
/// case-insensitive, so `X-Id` and `x-id` are one parameter.
fn param_key(p: &Param) -> String {
    if p.location == ParamLocation::Header {
        p.wire_name.to_ascii_lowercase()
    } else {
        p.wire_name.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bump_follows_cargo_semver() {
        assert_eq!(bump("0.3.2", Class::Breaking).unwrap(), "0.4.0");
        assert_eq!(bump("0.3.2", Class::Additive).unwrap(), "0.3.3");
        assert_eq!(bump("0.3.2", Class::Patch).unwrap(), "0.3.3");
        assert_eq!(bump("0.0.7", Class::Breaking).unwrap(), "0.0.8");
        assert_eq!(bump("1.2.3", Class::Breaking).unwrap(), "2.0.0");
        assert_eq!(bump("1.2.3", Class::Additive).unwrap(), "1.3.0");
        assert_eq!(bump("1.2.3", Class::Patch).unwrap(), "1.2.4");
        assert_eq!(bump("1.2.3-rc.1+b", Class::Patch).unwrap(), "1.2.4");
        assert!(bump("1.2", Class::Patch).is_err());
        assert!(bump("x.y.z", Class::Patch).is_err());
    }
}
