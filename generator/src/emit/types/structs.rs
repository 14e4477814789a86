//! Structs: the definition and the written-out serde impls, as text.

use super::str_lit;
use crate::emit::docs;
use crate::emit::{Scope, Std, type_text};
use crate::ir::{Struct, TypeRef};
use std::fmt::Write as _;

/// A struct's definition, as text (see [`Item`](super::Item)).
pub(super) fn struct_def(name: &str, s: &Struct, scope: Scope, out: &mut String) {
    // `Default` only where every field has an obvious empty value.
    let all_defaultable = s
        .fields
        .iter()
        .all(|f| matches!(f.ty, TypeRef::Option(_) | TypeRef::Vec(_) | TypeRef::Map(_)));
    let default = if all_defaultable { ", Default" } else { "" };
    let _ = writeln!(out, "#[derive(Debug, Clone, PartialEq{default})]");
    if s.fields.is_empty() && s.additional.is_none() {
        let _ = writeln!(out, "pub struct {name} {{}}");
        return;
    }
    let _ = writeln!(out, "pub struct {name} {{");
    for f in &s.fields {
        let wire = &f.wire;
        match &f.doc {
            Some(doc) => docs::text(doc, "    ", out),
            None => docs::text(&format!("The `{wire}` property."), "    ", out),
        }
        let _ = writeln!(out, "    pub {}: {},", f.name, type_text(&f.ty, scope));
    }
    if let Some(a) = &s.additional {
        let _ = writeln!(
            out,
            "    /// Properties not listed above, as the server sent them.\n    \
             pub {}: ::std::collections::BTreeMap<{}, {}>,",
            a.name,
            scope.std_text(Std::String),
            type_text(&a.value, scope)
        );
    }
    out.push_str("}\n");
}

/// A struct's `Serialize` and `Deserialize`, written out rather than derived (see the
/// serde section of `runtime.rs` for why): an object of its properties, an optional one
/// left out when `None`, a nullable one written as `null`; decoding skips unknown keys (or
/// collects them into the additional-properties map), and a missing property is `None`
/// when the field is an `Option` and an error otherwise.
///
/// Written as formatted text, not tokens (see [`Item`](super::Item)): these impls are over
/// half of a `types.rs` and their shape is fixed. Long lines are left unwrapped.
pub(super) fn struct_serde(name: &str, s: &Struct, scope: Scope, out: &mut String) {
    let (result, ok, some, none) = (
        scope.std_text(Std::Result),
        scope.std_text(Std::Ok),
        scope.std_text(Std::Some),
        scope.std_text(Std::None),
    );
    let skipped = |f: &crate::ir::Field| matches!(f.ty, TypeRef::Option(_)) && !f.required;
    // Each property's name on the wire, as a literal.
    let wires: Vec<String> = s.fields.iter().map(|f| str_lit(&f.wire)).collect();
    let always = s.fields.iter().filter(|f| !skipped(f)).count();
    let extra = s.additional.as_ref().map(|a| a.name.as_str());

    // `Serialize`: the entry count (the fields always written, each optional one present,
    // the additional properties), then the entries.
    let mut len: Vec<String> = Vec::new();
    if always > 0 {
        len.push(always.to_string());
    }
    for f in s.fields.iter().filter(|f| skipped(f)) {
        len.push(format!("usize::from(self.{}.is_some())", f.name));
    }
    if let Some(extra) = extra {
        len.push(format!("self.{extra}.len()"));
    }
    let len = match len.len() {
        0 => "0".to_string(),
        1 => len.remove(0),
        _ => len.join("\n            + "),
    };
    let binding = if s.fields.is_empty() && extra.is_none() {
        "map"
    } else {
        "mut map"
    };
    let _ = write!(
        out,
        "impl ::serde::Serialize for {name} {{\n    \
         fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> {result}<S::Ok, S::Error> {{\n        \
         let len = {len};\n        \
         let {binding} = serializer.serialize_map({some}(len))?;\n"
    );
    for (f, wire) in s.fields.iter().zip(&wires) {
        let field = &f.name;
        if skipped(f) {
            let _ = write!(
                out,
                "        if self.{field}.is_some() {{\n            \
                 map.serialize_entry({wire}, &self.{field})?;\n        }}\n"
            );
        } else {
            let _ = writeln!(out, "        map.serialize_entry({wire}, &self.{field})?;");
        }
    }
    if let Some(extra) = extra {
        let _ = write!(
            out,
            "        for (key, value) in &self.{extra} {{\n            \
             map.serialize_entry(key, value)?;\n        }}\n"
        );
    }
    out.push_str("        map.end()\n    }\n}\n\n");

    // `Deserialize`, through the shared visitor.
    let _ = write!(
        out,
        "impl<'de> ::serde::Deserialize<'de> for {name} {{\n    \
         fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> {result}<Self, D::Error> {{\n        \
         runtime::deserialize_object(deserializer)\n    }}\n}}\n\n"
    );

    // `Object`: one local per field, named by position so no property name can clash
    // with `map` or `key`.
    let _ = write!(
        out,
        "impl runtime::Object for {name} {{\n    \
         const NAME: &'static str = {name_lit};\n\n    \
         fn from_map<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> {result}<Self, A::Error> {{\n",
        name_lit = str_lit(name)
    );
    for i in 0..s.fields.len() {
        let _ = writeln!(out, "        let mut f{i} = {none};");
    }
    if extra.is_some() {
        out.push_str("        let mut extra = ::std::collections::BTreeMap::new();\n");
    }
    let unknown = if extra.is_some() {
        "extra.insert(key.into_string(), map.next_value()?);"
    } else {
        "runtime::skip(&mut map)?;"
    };
    if s.fields.is_empty() && extra.is_some() {
        let _ = write!(
            out,
            "        while let {some}(key) = map.next_key::<runtime::Key<'de>>()? {{\n            \
             {unknown}\n        }}\n"
        );
    } else if s.fields.is_empty() {
        let _ = write!(
            out,
            "        while map.next_key::<runtime::Key<'de>>()?.is_some() {{\n            \
             {unknown}\n        }}\n"
        );
    } else {
        let _ = write!(
            out,
            "        while let {some}(key) = map.next_key::<runtime::Key<'de>>()? {{\n            \
             match key.as_str() {{\n"
        );
        for (i, wire) in wires.iter().enumerate() {
            let _ = writeln!(
                out,
                "                {wire} => runtime::field(&mut map, &mut f{i}, {wire})?,"
            );
        }
        let unknown = if extra.is_some() {
            format!("_ => {{\n                    {unknown}\n                }}")
        } else {
            "_ => runtime::skip(&mut map)?,".to_string()
        };
        let _ = write!(
            out,
            "                {unknown}\n            }}\n        }}\n"
        );
    }
    let _ = writeln!(out, "        {ok}(Self {{");
    for (i, (f, wire)) in s.fields.iter().zip(&wires).enumerate() {
        let field = &f.name;
        if matches!(f.ty, TypeRef::Option(_)) {
            let _ = writeln!(out, "            {field}: f{i}.unwrap_or_default(),");
        } else {
            let _ = writeln!(
                out,
                "            {field}: runtime::required(f{i}, {wire})?,"
            );
        }
    }
    if let Some(extra) = extra {
        let value = if extra == "extra" {
            String::new()
        } else {
            ": extra".to_string()
        };
        let _ = writeln!(out, "            {extra}{value},");
    }
    out.push_str("        })\n    }\n}\n");
}
