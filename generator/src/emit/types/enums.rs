//! String enums with their catch-all variant, as text.

use super::{deserialize_impl, serialize_impl, str_lit};
use crate::emit::code::Code;
use crate::emit::{Scope, Std};
use crate::ir::StringEnum;

/// A string enum and its impls, as text. Serde's derive would handle the catch-all with
/// `#[serde(untagged)]`, which buffers every value and tries each variant in turn; a string
/// match is what that amounts to, and it is far less code for the compiler (the string
/// enums were a large share of a crate's `cargo check` time) and for the decoder.
/// The derives of every string enum.
pub(super) const DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
];

pub(super) fn enum_def(name: &str, e: &StringEnum, scope: Scope, code: &mut Code) {
    let (string, ok) = (scope.std_text(Std::String), scope.std_text(Std::Ok));
    let other = &e.other;
    code.line(format_args!("#[derive({})]", DERIVES.join(", ")));
    code.block(format_args!("pub enum {name}"), |c| {
        for v in &e.variants {
            c.doc(&format!("`{}`", v.value));
            c.line(format_args!("{},", v.name));
        }
        c.line("/// A value this client does not know yet, kept as sent.");
        c.line(format_args!("{other}({string}),"));
    });
    code.blank();
    code.block(format_args!("impl {name}"), |c| {
        c.line("/// The value as it appears on the wire.");
        c.block("pub fn as_str(&self) -> &str", |c| {
            c.block("match self", |c| {
                for v in &e.variants {
                    c.line(format_args!("Self::{} => {},", v.name, str_lit(&v.value)));
                }
                c.line(format_args!("Self::{other}(value) => value.as_str(),"));
            });
        });
    });
    code.blank();
    code.block(format_args!("impl ::std::fmt::Display for {name}"), |c| {
        c.block(
            "fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result",
            |c| c.line("f.write_str(self.as_str())"),
        );
    });
    code.blank();
    serialize_impl(name, scope, code, |c| {
        c.line("serializer.serialize_str(self.as_str())")
    });
    code.blank();
    deserialize_impl(name, scope, code, |c| {
        c.line(format_args!(
            "let value = <{string} as ::serde::Deserialize>::deserialize(deserializer)?;"
        ));
        c.block_then(format_args!("{ok}(match value.as_str()"), ")", |c| {
            for v in &e.variants {
                c.line(format_args!("{} => Self::{},", str_lit(&v.value), v.name));
            }
            c.line(format_args!("_ => Self::{other}(value),"));
        });
    });
}
