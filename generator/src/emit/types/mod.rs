//! The `types` module: one item per named type in the IR, and each operation's error enum
//! and parameter struct. Split by shape, as the items are: structs (`structs.rs`), string
//! enums (`enums.rs`), unions (`unions.rs`), and the per-operation types (`operations.rs`).

mod enums;
mod operations;
mod structs;
mod unions;

use enums::enum_def;
pub(super) use operations::{error_enum, operation_structs, params_struct};
use structs::{struct_def, struct_serde};
use unions::{tagged_def, union_def};

use super::code::{Code, str_lit};
use super::{Item, Scope, Std, type_text};
use crate::ir::{Api, TypeAttributes, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The module docs and imports.
pub(super) fn header(api: &Api) -> TokenStream {
    // The structs' written-out serde impls, and the unions', call helpers in `runtime`.
    let has = |f: fn(&TypeKind) -> bool| api.types.iter().any(|t| f(&t.kind));
    let partial = super::partial_build_allow(api);
    let runtime = has(|k| {
        matches!(
            k,
            TypeKind::Struct(_) | TypeKind::Untagged(_) | TypeKind::Tagged(_)
        )
    })
    .then(|| {
        quote!(
            #partial
            use crate::runtime;
        )
    });
    quote! {
        //! Types of the API's request and response bodies, each operation's error enum, and
        //! the parameter structs of operations with many optional parameters.

        // The types have the shapes the API document gives them (a large variant is
        // not boxed behind the user's back, nested maps are spelled out), and their
        // docs carry its prose as written.
        #![allow(
            clippy::large_enum_variant,
            clippy::doc_lazy_continuation,
            clippy::type_complexity
        )]
        #runtime
    }
}

pub(super) fn type_def(def: &TypeDef, scope: Scope, attributes: &TypeAttributes) -> Item {
    let doc_text = match &def.doc {
        Some(d) => d.clone(),
        None => format!("The `{}` type.", def.name),
    };
    // The docs, then the config's derives and `#[non_exhaustive]` (before the type's own
    // derives, `own`; an alias has neither), then the type and its impls.
    let text = |own: Option<(&[&str], bool)>, body: &dyn Fn(&mut Code)| {
        let mut code = Code::default();
        code.doc(&doc_text);
        if let Some((own, is_enum)) = own {
            for line in attributes.lines(&def.name, own, is_enum) {
                code.line(line);
            }
        }
        body(&mut code);
        Item::Text(code.finish())
    };
    match &def.kind {
        TypeKind::Struct(s) => text(Some((&structs::derives(s), false)), &|code| {
            struct_def(&def.name, s, scope, code);
            code.blank();
            struct_serde(&def.name, s, scope, code);
        }),
        TypeKind::StringEnum(e) => text(Some((enums::DERIVES, true)), &|code| {
            enum_def(&def.name, e, scope, code)
        }),
        TypeKind::Alias(ty) => text(None, &|code| {
            code.line(format_args!(
                "pub type {} = {};",
                def.name,
                type_text(ty, scope)
            ))
        }),
        TypeKind::Untagged(vs) => text(Some((unions::DERIVES, true)), &|code| {
            union_def(&def.name, vs, scope, code)
        }),
        TypeKind::Tagged(t) => text(Some((unions::DERIVES, true)), &|code| {
            tagged_def(&def.name, t, scope, code)
        }),
    }
}

/// `impl Serialize for {name}`, as text, around the body of its `serialize`.
fn serialize_impl(name: &str, scope: Scope, code: &mut Code, body: impl FnOnce(&mut Code)) {
    let result = scope.std_text(Std::Result);
    code.block(format_args!("impl ::serde::Serialize for {name}"), |c| {
        c.block(
            format_args!(
                "fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> {result}<S::Ok, S::Error>"
            ),
            body,
        );
    });
}

/// `impl Deserialize for {name}`, as text, around the body of its `deserialize`.
fn deserialize_impl(name: &str, scope: Scope, code: &mut Code, body: impl FnOnce(&mut Code)) {
    let result = scope.std_text(Std::Result);
    code.block(
        format_args!("impl<'de> ::serde::Deserialize<'de> for {name}"),
        |c| {
            c.block(
                format_args!(
                    "fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> {result}<Self, D::Error>"
                ),
                body,
            );
        },
    );
}
