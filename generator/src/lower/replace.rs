//! The config's `[types]`: derives and `#[non_exhaustive]` for the generated types
//! ([`attributes`]), and component schemas replaced by existing Rust types ([`replace`]).

use super::Lowerer;
use crate::ir::{Operation, PartKind, TypeAttributes, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

impl Lowerer<'_> {
    /// The Rust name of component schema `schema`, or an error at `offset` of the config
    /// for `key`.
    fn configured_type(&mut self, schema: &str, offset: usize, key: &str) -> Option<String> {
        let name = self.component_names.get(schema).cloned();
        if name.is_none() {
            self.config_errors.push((
                offset,
                format!("{key}: the document has no component schema `{schema}`"),
            ));
        }
        name
    }

    /// `[types]`' derives and `#[non_exhaustive]`, by Rust type name.
    pub(super) fn attributes(&mut self) -> TypeAttributes {
        let types = &self.config.types;
        let mut by_type = BTreeMap::new();
        for (schema, derives) in &types.derives_by_schema {
            if let Some(name) =
                self.configured_type(schema, derives.span().start, "types.derives-by-schema")
            {
                let list: Vec<String> = derives
                    .get_ref()
                    .iter()
                    .map(|d| d.get_ref().clone())
                    .collect();
                by_type.insert(name, list);
            }
        }
        TypeAttributes {
            derives: types.derives.iter().map(|d| d.get_ref().clone()).collect(),
            by_type,
            non_exhaustive: types.non_exhaustive,
        }
    }

    /// Uses the config's existing types for the schemas `[types.replace]` names: every
    /// reference to such a schema's type names the Rust path instead, its definition is
    /// dropped, and so is every type only it reached.
    pub(super) fn replace(&mut self, types: &mut Vec<TypeDef>, operations: &mut [Operation]) {
        let mut replaced: BTreeMap<String, String> = BTreeMap::new();
        for (schema, path) in &self.config.types.replace {
            if let Some(name) = self.configured_type(schema, path.span().start, "types.replace") {
                replaced.insert(name, path.get_ref().clone());
            }
        }
        if replaced.is_empty() {
            return;
        }
        let before = super::select::reachable(operations, types);
        let swap = |ty: &mut TypeRef| swap_named(ty, &replaced);
        for t in types.iter_mut() {
            match &mut t.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter_mut().for_each(|f| swap(&mut f.ty));
                    if let Some(extra) = &mut s.additional {
                        swap(&mut extra.value);
                    }
                }
                TypeKind::Untagged(vs) => vs.iter_mut().for_each(|v| swap(&mut v.ty)),
                TypeKind::Tagged(tg) => tg.variants.iter_mut().for_each(|v| swap(&mut v.ty)),
                TypeKind::Alias(ty) => swap(ty),
                TypeKind::StringEnum(_) => {}
            }
        }
        for op in operations.iter_mut() {
            op.params.iter_mut().for_each(|p| swap(&mut p.ty));
            if let Some(body) = &mut op.body {
                swap(&mut body.body.ty);
                for part in body.multipart.iter_mut().flat_map(|m| &mut m.fields) {
                    if let PartKind::Text(ty) | PartKind::Texts(ty) | PartKind::Json(ty) =
                        &mut part.kind
                    {
                        swap(ty);
                    }
                }
            }
            if let Some(body) = &mut op.success.body {
                swap(&mut body.ty);
            }
            for body in op.errors.iter_mut().filter_map(|e| e.body.as_mut()) {
                swap(&mut body.ty);
            }
            if let Some(p) = &mut op.pagination {
                swap(&mut p.item);
            }
            if let Some(s) = &mut op.item_stream {
                swap(&mut s.item);
            }
        }
        types.retain(|t| !replaced.contains_key(&t.name));
        let after = super::select::reachable(operations, types);
        types.retain(|t| !before.contains(&t.name) || after.contains(&t.name));
    }
}

fn swap_named(ty: &mut TypeRef, replaced: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(n) => {
            if let Some(path) = replaced.get(n.as_str()) {
                *ty = TypeRef::External(path.clone());
            }
        }
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => swap_named(inner, replaced),
        _ => {}
    }
}
