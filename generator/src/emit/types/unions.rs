//! Unions: untagged (`anyOf`/`oneOf`) and tagged by a discriminator, as text.

use super::{deserialize_impl, serialize_impl, str_lit};
use crate::emit::code::Code;
use crate::emit::{Scope, Std, type_text};
use crate::ir::{Tagged, UnionVariant};

/// The derives of every union.
pub(super) const DERIVES: &[&str] = &["Debug", "Clone", "PartialEq"];

/// A discriminated union: serialised as the branch itself (which carries the tag), decoded
/// by reading the tag first, so a branch can never be mistaken for another; an unknown tag
/// is kept whole in the catch-all variant.
pub(super) fn tagged_def(name: &str, t: &Tagged, scope: Scope, code: &mut Code) {
    let (some, ok) = (scope.std_text(Std::Some), scope.std_text(Std::Ok));
    let other = &t.other;
    let property = &t.property;
    code.line(format_args!("#[derive({})]", DERIVES.join(", ")));
    code.block(format_args!("pub enum {name}"), |c| {
        for v in &t.variants {
            let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
            c.doc(&format!("`{property}` is {}.", tags.join(" or ")));
            c.line(format_args!("{}({}),", v.name, type_text(&v.ty, scope)));
        }
        c.line("/// A value whose tag this client does not know yet, kept as sent.");
        c.line(format_args!("{other}(::serde_json::Value),"));
    });
    code.blank();
    let variants: Vec<(&str, bool)> = t
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.ty.has_format()))
        .collect();
    serialize_newtypes(name, &variants, Some(other), scope, code);
    code.blank();
    deserialize_impl(name, scope, code, |c| {
        c.line("let value = runtime::buffer(deserializer)?;");
        c.line(format_args!(
            "let tag = value.get({}).and_then(::serde_json::Value::as_str).map(::std::string::ToString::to_string);",
            str_lit(property)
        ));
        c.block("match tag.as_deref()", |c| {
            for v in &t.variants {
                let tags: Vec<String> = v
                    .tags
                    .iter()
                    .map(|t| format!("{some}({})", str_lit(t)))
                    .collect();
                let (decode, wrap) = if v.ty.has_format() {
                    (
                        "::serde_json::from_value::<runtime::FromWire<_>>(value)",
                        format!(".map(|value| Self::{}(value.0))", v.name),
                    )
                } else {
                    (
                        "::serde_json::from_value(value)",
                        format!(".map(Self::{})", v.name),
                    )
                };
                c.line(format_args!(
                    "{} => {decode}{wrap}.map_err(<D::Error as ::serde::de::Error>::custom),",
                    tags.join(" | ")
                ));
            }
            c.line(format_args!("_ => {ok}(Self::{other}(value)),"));
        });
    });
}

/// An untagged union: the value is read once into a `serde_json::Value`, then tried against
/// each variant in order, the first that decodes winning (serde's `untagged`, without its
/// derive).
pub(super) fn union_def(name: &str, vs: &[UnionVariant], scope: Scope, code: &mut Code) {
    let (ok, err) = (scope.std_text(Std::Ok), scope.std_text(Std::Err));
    code.line(format_args!("#[derive({})]", DERIVES.join(", ")));
    code.block(format_args!("pub enum {name}"), |c| {
        for v in vs {
            c.doc(&format!("A value of the `{}` form.", v.name));
            c.line(format_args!("{}({}),", v.name, type_text(&v.ty, scope)));
        }
    });
    code.blank();
    let variants: Vec<(&str, bool)> = vs
        .iter()
        .map(|v| (v.name.as_str(), v.ty.has_format()))
        .collect();
    serialize_newtypes(name, &variants, None, scope, code);
    code.blank();
    deserialize_impl(name, scope, code, |c| {
        c.line("let value = runtime::buffer(deserializer)?;");
        for (vname, formatted) in &variants {
            let (decode, value) = if *formatted {
                (
                    "<runtime::FromWire<_> as ::serde::Deserialize>::deserialize(&value)",
                    "value.0",
                )
            } else {
                ("::serde::Deserialize::deserialize(&value)", "value")
            };
            c.block(format_args!("if let {ok}(value) = {decode}"), |c| {
                c.line(format_args!("return {ok}(Self::{vname}({value}));"));
            });
        }
        c.line(format_args!(
            "{err}(runtime::no_variant({}))",
            str_lit(name)
        ));
    });
}

/// `Serialize` for an enum whose every variant (name, whether its type has a typed format)
/// wraps one value, written as that value; `other` is a catch-all variant holding the
/// value as received.
fn serialize_newtypes(
    name: &str,
    variants: &[(&str, bool)],
    other: Option<&str>,
    scope: Scope,
    code: &mut Code,
) {
    serialize_impl(name, scope, code, |c| {
        c.block("match self", |c| {
            for (vname, formatted) in variants.iter().copied().chain(other.map(|o| (o, false))) {
                let value = if formatted {
                    "&runtime::AsWire(value)"
                } else {
                    "value"
                };
                c.line(format_args!(
                    "Self::{vname}(value) => ::serde::Serialize::serialize({value}, serializer),"
                ));
            }
        });
    });
}
