//! Lower stage: spec model → IR. Every naming decision, every `$ref` resolution and every
//! "what Rust type is this schema" decision happens here, and only here.

mod operations;
mod schemas;

use crate::error::{Error, Warning, push_pointer};
use crate::ir::{Api, TypeDef};
use crate::naming::Namespace;
use crate::spec::Document;
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet};

/// Lowers a loaded document into the IR, with the warnings for whatever had to be
/// approximated.
pub fn lower(doc: &Document) -> Result<(Api, Vec<Warning>), Error> {
    let mut cx = Lowerer::new(doc);
    if let Some(serde_json::Value::Array(names)) = doc.extensions.get("x-webhooks") {
        for name in names.iter().filter_map(|n| n.as_str()) {
            cx.warn(
                &push_pointer("#/webhooks", name),
                "webhooks are requests the API sends to you; no client method is generated",
            );
        }
    }
    cx.component_schemas()?;
    let operations = cx.operations()?;
    let mut types = std::mem::take(&mut cx.component_types);
    types.append(&mut cx.inline_types);
    for (name, pointer) in schemas::break_alias_cycles(&mut types) {
        cx.warn(
            &pointer,
            format!("`{name}` is defined only in terms of itself; using serde_json::Value"),
        );
    }
    schemas::box_recursive_fields(&mut types);
    let api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        default_base_url: cx.default_base_url(),
        types,
        operations,
    };
    Ok((api, cx.warnings))
}

/// State carried through lowering.
struct Lowerer<'a> {
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
    fn new(doc: &'a Document) -> Self {
        Lowerer {
            doc,
            type_names: Namespace::default(),
            component_names: IndexMap::new(),
            enum_names: BTreeSet::new(),
            nullable_components: BTreeSet::new(),
            component_types: Vec::new(),
            inline_types: Vec::new(),
            type_index: BTreeMap::new(),
            warnings: Vec::new(),
            depth: 0,
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

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    fn default_base_url(&mut self) -> Option<String> {
        for (i, server) in self.doc.servers.iter().enumerate() {
            let mut url = server.url.clone();
            if let Some(vars) = &server.variables {
                for (name, var) in vars {
                    url = url.replace(&format!("{{{name}}}"), &var.default);
                }
            }
            if url.starts_with("http://") || url.starts_with("https://") {
                return Some(url.trim_end_matches('/').to_string());
            }
            let pointer = push_pointer(&push_pointer("#/servers", &i.to_string()), "url");
            self.warn(
                &pointer,
                "server URL is not absolute; the client has no default base URL",
            );
        }
        None
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
