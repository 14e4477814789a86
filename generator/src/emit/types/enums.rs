//! String enums with their catch-all variant, as text.

use super::str_lit;
use crate::emit::docs;
use crate::emit::{Scope, Std};
use crate::ir::StringEnum;
use std::fmt::Write as _;

/// A string enum and its impls, as text. Serde's derive would handle the catch-all with
/// `#[serde(untagged)]`, which buffers every value and tries each variant in turn; a string
/// match is what that amounts to, and it is far less code for the compiler (the string
/// enums were a large share of a crate's `cargo check` time) and for the decoder.
pub(super) fn enum_def(name: &str, e: &StringEnum, scope: Scope, out: &mut String) {
    let (string, result, ok) = (
        scope.std_text(Std::String),
        scope.std_text(Std::Result),
        scope.std_text(Std::Ok),
    );
    let other = &e.other;
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum {name} {{"
    );
    for v in &e.variants {
        docs::text(&format!("`{}`", v.value), "    ", out);
        let _ = writeln!(out, "    {},", v.name);
    }
    let _ = write!(
        out,
        "    /// A value this client does not know yet, kept as sent.\n    {other}({string}),\n}}\n\n\
         impl {name} {{\n    \
         /// The value as it appears on the wire.\n    \
         pub fn as_str(&self) -> &str {{\n        \
         match self {{\n"
    );
    for v in &e.variants {
        let _ = writeln!(
            out,
            "            Self::{} => {},",
            v.name,
            str_lit(&v.value)
        );
    }
    let _ = write!(
        out,
        "            Self::{other}(value) => value.as_str(),\n        }}\n    }}\n}}\n\n\
         impl ::std::fmt::Display for {name} {{\n    \
         fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{\n        \
         f.write_str(self.as_str())\n    }}\n}}\n\n\
         impl ::serde::Serialize for {name} {{\n    \
         fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> {result}<S::Ok, S::Error> {{\n        \
         serializer.serialize_str(self.as_str())\n    }}\n}}\n\n\
         impl<'de> ::serde::Deserialize<'de> for {name} {{\n    \
         fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> {result}<Self, D::Error> {{\n        \
         let value = <{string} as ::serde::Deserialize>::deserialize(deserializer)?;\n        \
         {ok}(match value.as_str() {{\n"
    );
    for v in &e.variants {
        let _ = writeln!(
            out,
            "            {} => Self::{},",
            str_lit(&v.value),
            v.name
        );
    }
    let _ = write!(
        out,
        "            _ => Self::{other}(value),\n        }})\n    }}\n}}\n"
    );
}
