//! Lower stage: spec model → IR. Every naming decision, every `$ref` resolution and every
//! "what Rust type is this schema" decision happens here, and only here.

mod bodies;
mod formats;
pub mod groups;
mod operations;
pub mod pagination;
mod replace;
mod schemas;
mod security;
mod select;

use crate::error::{Diagnostics, Warning, WarningKind, push_pointer};
use crate::ir::{Api, TypeDef};
use crate::naming::Namespace;
use crate::spec::{Document, Spec};
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Lowers a loaded document into the IR. Nothing here refuses a document: whatever cannot
/// be represented as the spec states degrades to a documented fallback, with a warning in
/// `diags` whose pointer names the place in the document as written. `crate_name` names the
/// environment variables the client's `from_env` reads.
///
/// The config's `[select]` keeps some operations only (see `select.rs`); a rule that
/// matches no operation is an error located in the config file.
pub fn lower<'a>(
    spec: &'a Spec,
    crate_name: &str,
    config: &'a crate::config::Config,
    diags: &mut Diagnostics,
) -> Api {
    let doc = &spec.doc;
    let mut cx = Lowerer::new(spec, config);
    if let Some(serde_json::Value::Array(names)) = doc.extensions.get(crate::spec::WEBHOOKS_MARKER)
    {
        for name in names.iter().filter_map(|n| n.as_str()) {
            cx.warn(
                WarningKind::NotGenerated,
                &push_pointer("#/webhooks", name),
                "webhooks are requests the API sends to you; no client method is generated",
            );
        }
    }
    let candidates = cx.security_candidates();
    cx.default_security = cx.requirements(doc.security.as_ref(), "#/security");
    cx.component_schemas();
    let mut operations = cx.operations();
    let selecting = config.select.is_active();
    if selecting {
        for unmatched in select::apply(&mut operations, &config.select) {
            diags.errors.push(crate::error::Error {
                location: crate::error::Location::Config(config.position(unmatched.offset)),
                message: format!("{} matches no operation of the document", unmatched.what),
            });
        }
    }
    cx.unknown_schemes_report();
    let security_schemes = security::finish(candidates, &mut operations, crate_name);
    let mut types = std::mem::take(&mut cx.component_types);
    types.append(&mut cx.inline_types);
    for (name, pointer) in schemas::break_alias_cycles(&mut types) {
        cx.warn(
            WarningKind::LooseType,
            &pointer,
            format!("`{name}` is defined only in terms of itself; using serde_json::Value"),
        );
    }
    cx.replace(&mut types, &mut operations);
    let type_attributes = cx.attributes();
    if selecting {
        let reached = select::reachable(&operations, &types);
        types.retain(|t| reached.contains(&t.name));
    }
    schemas::box_recursive_fields(&mut types);
    operations::warn_colliding_query_keys(&mut cx, &operations, &types);
    // Types moved or copied by the load stage name where they were written.
    for t in &mut types {
        t.source = spec.source_map.original(&t.source);
    }
    let default_base_url = cx.default_base_url();
    let grouping = cx.grouping(&operations, &types);
    // After the grouping, so an alias written out where it is used stays in the groups
    // that name it.
    formats::settle(&mut types, &mut operations);
    for (offset, message) in std::mem::take(&mut cx.config_errors) {
        diags.errors.push(crate::error::Error {
            location: crate::error::Location::Config(config.position(offset)),
            message,
        });
    }
    for mut w in cx.warnings {
        w.pointer = spec.source_map.original(&w.pointer);
        diags.warnings.push(w);
    }
    let (_, env_base_url) = crate::naming::env_vars(crate_name);
    Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        default_base_url,
        security_schemes,
        env_base_url,
        types,
        tags: tags(doc, &operations),
        operations,
        grouping,
        type_attributes,
    }
}

/// The document's tags, then those only operations name.
fn tags(doc: &openapiv3::OpenAPI, operations: &[crate::ir::Operation]) -> Vec<crate::ir::Tag> {
    let mut tags: Vec<crate::ir::Tag> = doc
        .tags
        .iter()
        .map(|t| crate::ir::Tag {
            name: t.name.clone(),
            description: t.description.clone().filter(|d| !d.trim().is_empty()),
        })
        .collect();
    for name in operations.iter().flat_map(|o| &o.tags) {
        if !tags.iter().any(|t| &t.name == name) {
            tags.push(crate::ir::Tag {
                name: name.clone(),
                description: None,
            });
        }
    }
    tags
}

/// State carried through lowering.
struct Lowerer<'a> {
    spec: &'a Spec,
    /// The config file's choices.
    config: &'a crate::config::Config,
    /// Problems with the config found while lowering: (byte offset in the file, message).
    config_errors: Vec<(usize, String)>,
    doc: &'a Document,
    /// Type-name namespace shared by schemas, inline types and error enums.
    type_names: Namespace,
    /// Component schema name → Rust type name.
    component_names: IndexMap<String, String>,
    /// Rust names of string enums, which can be path and query parameters.
    enum_names: BTreeSet<String>,
    /// Component definitions (structs, enums, unions) the spec marks nullable: every
    /// reference to one is an `Option`.
    nullable_components: BTreeSet<String>,
    component_types: Vec<TypeDef>,
    inline_types: Vec<TypeDef>,
    /// Where each named type sits, so lookups by name do not scan every type (which made
    /// lowering quadratic in spec size).
    type_index: BTreeMap<String, TypeSlot>,
    warnings: Vec<Warning>,
    depth: usize,
    /// Inline schemas being defined, by pointer, with their type names.
    defining: BTreeMap<String, String>,
    /// Component schemas and inline struct schemas with a definition, by their content
    /// (the schema serialised), with its type name: an inline schema written out again,
    /// word for word, is that type, not a new one.
    by_content: HashMap<String, String>,
    /// Security scheme key → index among the schemes the client can apply.
    scheme_index: BTreeMap<String, usize>,
    /// The document's `security`, as alternatives of those indices.
    default_security: Option<security::Requirements>,
    /// Scheme names requirements use that are not declared: where first, how often.
    unknown_schemes: IndexMap<String, (String, usize)>,
}

/// Where a named type is stored.
#[derive(Debug, Clone, Copy)]
enum TypeSlot {
    Component(usize),
    Inline(usize),
}

/// How deep inline schemas may nest before lowering gives up. serde_json's own recursion
/// limit (128) keeps parsed documents shallower than this in practice.
const MAX_DEPTH: usize = 200;

impl<'a> Lowerer<'a> {
    fn new(spec: &'a Spec, config: &'a crate::config::Config) -> Self {
        Lowerer {
            spec,
            config,
            config_errors: Vec::new(),
            doc: &spec.doc,
            type_names: Namespace::camel(),
            component_names: IndexMap::new(),
            enum_names: BTreeSet::new(),
            nullable_components: BTreeSet::new(),
            component_types: Vec::new(),
            inline_types: Vec::new(),
            type_index: BTreeMap::new(),
            warnings: Vec::new(),
            depth: 0,
            defining: BTreeMap::new(),
            by_content: HashMap::new(),
            scheme_index: BTreeMap::new(),
            default_security: None,
            unknown_schemes: IndexMap::new(),
        }
    }

    fn push_component_type(&mut self, def: TypeDef) {
        self.type_index.insert(
            def.name.clone(),
            TypeSlot::Component(self.component_types.len()),
        );
        self.component_types.push(def);
    }

    fn push_inline_type(&mut self, def: TypeDef) {
        self.type_index
            .insert(def.name.clone(), TypeSlot::Inline(self.inline_types.len()));
        self.inline_types.push(def);
    }

    /// A type defined so far, by Rust name.
    fn type_def(&self, name: &str) -> Option<&TypeDef> {
        match self.type_index.get(name)? {
            TypeSlot::Component(i) => self.component_types.get(*i),
            TypeSlot::Inline(i) => self.inline_types.get(*i),
        }
    }

    fn warn(&mut self, kind: WarningKind, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            kind,
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// A reference lowering cannot follow. The load stage has resolved every reference it
    /// could and reported the rest, so this warns only about one it has not seen.
    fn unresolved(&mut self, reference: &str, pointer: &str, what: &str, fallback: &str) {
        if self.spec.reported_refs.contains(reference) {
            return;
        }
        let (kind, why) = if reference.starts_with('#') {
            (
                WarningKind::DanglingRef,
                "points at nothing this generator can use",
            )
        } else {
            (
                WarningKind::ExternalRef,
                "points into another document, which is not fetched",
            )
        };
        let reference = crate::error::clipped(reference);
        self.warn(
            kind,
            pointer,
            format!("{what} $ref `{reference}` {why}; {fallback}"),
        );
    }

    /// The first absolute server URL, with variables at their defaults.
    fn default_base_url(&mut self) -> Option<String> {
        let urls: Vec<String> = self
            .doc
            .servers
            .iter()
            .map(|server| {
                let mut url = server.url.clone();
                if let Some(vars) = &server.variables {
                    for (name, var) in vars {
                        url = url.replace(&format!("{{{name}}}"), &var.default);
                    }
                }
                url
            })
            .collect();
        let absolute = urls
            .iter()
            .find(|u| u.starts_with("http://") || u.starts_with("https://"));
        match absolute {
            Some(url) => Some(url.trim_end_matches('/').to_string()),
            None => {
                if !urls.is_empty() {
                    self.warn(
                        WarningKind::Other,
                        "#/servers/0/url",
                        "server URL is not absolute; the client has no default base URL",
                    );
                }
                None
            }
        }
    }
}

/// The name a local `$ref` such as `#/components/schemas/Foo` points to in `section`,
/// with JSON-pointer escapes undone.
fn ref_name<'r>(reference: &'r str, section: &str) -> Option<String> {
    let prefix = format!("#/components/{section}/");
    let rest: &'r str = reference.strip_prefix(prefix.as_str())?;
    if rest.contains('/') {
        return None;
    }
    Some(rest.replace("~1", "/").replace("~0", "~"))
}
