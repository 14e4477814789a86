//! Structs: the definition and the written-out serde impls, as text.

use super::{deserialize_impl, serialize_impl, str_lit};
use crate::emit::code::Code;
use crate::emit::{Scope, Std, type_text};
use crate::ir::{Struct, TypeRef};

/// A struct's definition, as text (see [`Item`](super::Item)).
/// A struct's derives: `Default` only where every field has an obvious empty value.
pub(super) fn derives(s: &Struct) -> Vec<&'static str> {
    let all_defaultable = s
        .fields
        .iter()
        .all(|f| matches!(f.ty, TypeRef::Option(_) | TypeRef::Vec(_) | TypeRef::Map(_)));
    let mut derives = vec!["Debug", "Clone", "PartialEq"];
    if all_defaultable {
        derives.push("Default");
    }
    derives
}

pub(super) fn struct_def(name: &str, s: &Struct, scope: Scope, code: &mut Code) {
    code.line(format_args!("#[derive({})]", derives(s).join(", ")));
    if s.fields.is_empty() && s.additional.is_none() {
        code.line(format_args!("pub struct {name} {{}}"));
        return;
    }
    code.block(format_args!("pub struct {name}"), |c| {
        for f in &s.fields {
            match &f.doc {
                Some(doc) => c.doc(doc),
                None => c.doc(&format!("The `{}` property.", f.wire)),
            }
            c.line(format_args!("pub {}: {},", f.name, type_text(&f.ty, scope)));
        }
        if let Some(a) = &s.additional {
            c.line("/// Properties not listed above, as the server sent them.");
            c.line(format_args!(
                "pub {}: ::std::collections::BTreeMap<{}, {}>,",
                a.name,
                scope.std_text(Std::String),
                type_text(&a.value, scope)
            ));
        }
    });
}

/// A struct's `Serialize` and `Deserialize`, written out rather than derived (see the
/// serde section of `runtime.rs` for why): an object of its properties, an optional one
/// left out when `None`, a nullable one written as `null`; decoding skips unknown keys (or
/// collects them into the additional-properties map), and a missing property is `None`
/// when the field is an `Option` and an error otherwise.
///
/// Written as formatted text, not tokens (see [`Item`](super::Item)): these impls are over
/// half of a `types.rs` and their shape is fixed. Long lines are left unwrapped.
pub(super) fn struct_serde(name: &str, s: &Struct, scope: Scope, code: &mut Code) {
    serialize(name, s, scope, code);
    code.blank();
    // `Deserialize`, through the shared visitor.
    deserialize_impl(name, scope, code, |c| {
        c.line("runtime::deserialize_object(deserializer)")
    });
    code.blank();
    object(name, s, scope, code);
}

/// Whether a field is left out when it is `None`.
fn skipped(f: &crate::ir::Field) -> bool {
    matches!(f.ty, TypeRef::Option(_)) && !f.required
}

/// `Serialize`: the entry count (the fields always written, each optional one present,
/// the additional properties), then the entries.
fn serialize(name: &str, s: &Struct, scope: Scope, code: &mut Code) {
    let always = s.fields.iter().filter(|f| !skipped(f)).count();
    let extra = s.additional.as_ref().map(|a| a.name.as_str());
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
    serialize_impl(name, scope, code, |c| {
        c.line(format_args!("let len = {len};"));
        c.line(format_args!(
            "let {binding} = runtime::entries(serializer, len)?;"
        ));
        for f in &s.fields {
            let (field, wire) = (&f.name, str_lit(&f.wire));
            let entry = if f.ty.has_format() {
                format!("map.entry({wire}, &runtime::AsWire(&self.{field}));")
            } else {
                format!("map.entry({wire}, &self.{field});")
            };
            if skipped(f) {
                c.block(format_args!("if self.{field}.is_some()"), |c| c.line(entry));
            } else {
                c.line(entry);
            }
        }
        if let Some(a) = &s.additional {
            let value = if a.value.has_format() {
                "&runtime::AsWire(value)"
            } else {
                "value"
            };
            c.block(format_args!("for (key, value) in &self.{}", a.name), |c| {
                c.line(format_args!("map.entry(key, {value});"))
            });
        }
        c.line("map.end()");
    });
}

/// `Object`: one local per field, named by position so no property name can clash with
/// `map` or `key`.
fn object(name: &str, s: &Struct, scope: Scope, code: &mut Code) {
    let (result, ok, some, none) = (
        scope.std_text(Std::Result),
        scope.std_text(Std::Ok),
        scope.std_text(Std::Some),
        scope.std_text(Std::None),
    );
    let extra = s.additional.as_ref().map(|a| a.name.as_str());
    let wires: Vec<String> = s.fields.iter().map(|f| str_lit(&f.wire)).collect();
    // What an unknown key's arm calls; it returns a `Result` like the fields' arms, so
    // the `match` has one `?` rather than one per arm.
    let unknown = if s.additional.as_ref().is_some_and(|a| a.value.has_format()) {
        "runtime::additional_wire(&mut map, &mut extra, key)"
    } else if extra.is_some() {
        "runtime::additional(&mut map, &mut extra, key)"
    } else {
        "runtime::skip(&mut map)"
    };
    code.block(format_args!("impl runtime::Object for {name}"), |c| {
        c.line(format_args!("const NAME: &'static str = {};", str_lit(name)));
        c.blank();
        c.block(
            format_args!(
                "fn from_map<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> {result}<Self, A::Error>"
            ),
            |c| {
                for i in 0..s.fields.len() {
                    c.line(format_args!("let mut f{i} = {none};"));
                }
                if extra.is_some() {
                    c.line("let mut extra = ::std::collections::BTreeMap::new();");
                }
                let next_key = format!("while let {some}(key) = map.next_key::<runtime::Key<'de>>()?");
                if s.fields.is_empty() && extra.is_some() {
                    c.block(next_key, |c| c.line(format_args!("{unknown}?;")));
                } else if s.fields.is_empty() {
                    c.block("while map.next_key::<runtime::Key<'de>>()?.is_some()", |c| {
                        c.line(format_args!("{unknown}?;"))
                    });
                } else {
                    c.block(next_key, |c| {
                        c.block_then("let read = match key.as_str()", ";", |c| {
                            for (i, (f, wire)) in s.fields.iter().zip(&wires).enumerate() {
                                let read = if f.ty.has_format() {
                                    "field_wire"
                                } else {
                                    "field"
                                };
                                c.line(format_args!(
                                    "{wire} => runtime::{read}(&mut map, &mut f{i}, {wire}),"
                                ));
                            }
                            c.line(format_args!("_ => {unknown},"));
                        });
                        c.line("read?;");
                    });
                }
                c.block_then(format_args!("{ok}(Self"), ")", |c| {
                    for (i, (f, wire)) in s.fields.iter().zip(&wires).enumerate() {
                        let field = &f.name;
                        if matches!(f.ty, TypeRef::Option(_)) {
                            c.line(format_args!("{field}: f{i}.unwrap_or_default(),"));
                        } else {
                            c.line(format_args!("{field}: runtime::required(f{i}, {wire})?,"));
                        }
                    }
                    if let Some(extra) = extra {
                        let value = if extra == "extra" { "" } else { ": extra" };
                        c.line(format_args!("{extra}{value},"));
                    }
                });
            },
        );
    });
}
