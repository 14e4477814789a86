//! The config's `[types]`: derives and `#[non_exhaustive]` for the generated types
//! ([`attributes`]), and component schemas replaced by existing Rust types ([`replace`]).

use super::Lowerer;
use crate::ir::{Operation, TypeAttributes, TypeDef, TypeRef};
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
        let mut swap = |ty: &mut TypeRef| swap_named(ty, &replaced);
        types
            .iter_mut()
            .for_each(|t| t.for_each_type_mut(&mut swap));
        operations
            .iter_mut()
            .for_each(|op| op.for_each_type_mut(&mut swap));
        types.retain(|t| !replaced.contains_key(&t.name));
        let after = super::select::reachable(operations, types);
        types.retain(|t| !before.contains(&t.name) || after.contains(&t.name));
    }
}

fn swap_named(ty: &mut TypeRef, replaced: &BTreeMap<String, String>) {
    if let TypeRef::Named(n) = ty {
        if let Some(path) = replaced.get(n.as_str()) {
            *ty = TypeRef::External(path.clone());
        }
    } else if let Some(inner) = ty.wrapped_mut() {
        swap_named(inner, replaced);
    }
}
