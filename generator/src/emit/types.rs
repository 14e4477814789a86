//! The `types` module: one item per named type in the IR.

use super::{Scope, Std, docs, ident, type_tokens};
use crate::ir::{
    Api, ErrorVariant, Operation, StringEnum, Struct, Tagged, TypeDef, TypeKind, TypeRef,
    UnionVariant,
};
use proc_macro2::TokenStream;
use quote::quote;

/// How many top-level item slots the module has: the header, one per named type, one
/// error enum per operation, then one parameter-struct slot per operation.
pub(super) fn len(api: &Api) -> usize {
    1 + api.types.len() + 2 * api.operations.len()
}

/// The module's item at `index` (below [`len`]); `None` for an operation without a
/// parameter struct. Built on its own so items can be made and formatted one at a time, on
/// any thread.
pub(super) fn item(api: &Api, scope: Scope, index: usize) -> Option<TokenStream> {
    let types = api.types.len();
    let ops = api.operations.len();
    match index {
        0 => Some(quote! {
            //! Types of the API's request and response bodies, each operation's error enum, and
            //! the parameter structs of operations with many optional parameters.
        }),
        i if i <= types => Some(type_def(&api.types[i - 1], scope)),
        i if i <= types + ops => Some(error_enum(&api.operations[i - 1 - types], scope)),
        i => params_struct(&api.operations[i - 1 - types - ops], scope),
    }
}

pub(super) fn type_def(def: &TypeDef, scope: Scope) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::attrs(&match &def.doc {
        Some(d) => d.clone(),
        None => format!("The `{}` type.", def.name),
    });
    match &def.kind {
        TypeKind::Struct(s) => struct_def(&name, &doc, s, scope),
        TypeKind::StringEnum(e) => enum_def(&name, &doc, e, scope),
        TypeKind::Untagged(vs) => union_def(&name, &doc, vs, scope),
        TypeKind::Tagged(t) => tagged_def(&name, &doc, t, scope),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty, scope);
            quote! { #doc pub type #name = #ty; }
        }
    }
}

fn struct_def(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    s: &Struct,
    scope: Scope,
) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = f.rename.as_deref().unwrap_or(&f.name);
        let fdoc = docs::attrs(
            &f.doc
                .clone()
                .unwrap_or_else(|| format!("The `{wire}` property.")),
        );
        let ty = type_tokens(&f.ty, scope);
        let mut serde = Vec::new();
        if let Some(rename) = &f.rename {
            serde.push(quote!(rename = #rename));
        }
        if matches!(f.ty, TypeRef::Option(_)) {
            serde.push(quote!(default));
            if !f.required {
                serde.push(match scope {
                    Scope::Types { full_std: true } => {
                        quote!(skip_serializing_if = "::std::option::Option::is_none")
                    }
                    _ => quote!(skip_serializing_if = "Option::is_none"),
                });
            }
        }
        let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
        quote! { #fdoc #serde pub #fname: #ty, }
    });
    let string = scope.std(Std::String);
    let additional = s.additional.as_ref().map(|a| {
        let aname = ident(&a.name);
        let value = type_tokens(&a.value, scope);
        quote! {
            /// Properties not listed above, as the server sent them.
            #[serde(flatten)]
            pub #aname: ::std::collections::BTreeMap<#string, #value>,
        }
    });
    // `Default` only where every field has an obvious empty value.
    let all_defaultable = s
        .fields
        .iter()
        .all(|f| matches!(f.ty, TypeRef::Option(_) | TypeRef::Vec(_) | TypeRef::Map(_)));
    let default = all_defaultable.then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn enum_def(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    e: &StringEnum,
    scope: Scope,
) -> TokenStream {
    let string = scope.std(Std::String);
    let result = scope.std(Std::Result);
    let ok = scope.std(Std::Ok);
    let other = ident(&e.other);
    let vnames: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<_> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let variants = vnames.iter().zip(&values).map(|(vname, value)| {
        let vdoc = docs::attrs(&format!("`{value}`"));
        quote! { #vdoc #vname, }
    });
    // Serde's derive would handle the catch-all with `#[serde(untagged)]`, which buffers
    // every value and tries each variant in turn; a string match is what that amounts to,
    // and it is far less code for the compiler (the string enums are a large share of a
    // crate's `cargo check` time) and for the decoder.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet, kept as sent.
            #other(#string),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#vnames => #values,)*
                    Self::#other(value) => value.as_str(),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = <#string as ::serde::Deserialize>::deserialize(deserializer)?;
                #ok(match value.as_str() {
                    #(#values => Self::#vnames,)*
                    _ => Self::#other(value),
                })
            }
        }
    }
}

/// A discriminated union: serialised as the branch itself (which carries the tag), decoded
/// by reading the tag first, so a branch can never be mistaken for another; an unknown tag
/// is kept whole in the catch-all variant.
fn tagged_def(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    t: &Tagged,
    scope: Scope,
) -> TokenStream {
    let some = scope.std(Std::Some);
    let ok = scope.std(Std::Ok);
    let result = scope.std(Std::Result);
    let other = ident(&t.other);
    let property = &t.property;
    let variants = t.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = type_tokens(&v.ty, scope);
        let vdoc = docs::attrs(&format!(
            "`{property}` is {}.",
            v.tags
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ));
        quote! { #vdoc #vname(#ty), }
    });
    let arms = t.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let tags = &v.tags;
        quote! {
            #(#some(#tags))|* => ::serde_json::from_value(value)
                .map(Self::#vname)
                .map_err(<D::Error as ::serde::de::Error>::custom),
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
            /// A value whose tag this client does not know yet, kept as sent.
            #other(::serde_json::Value),
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(::std::string::ToString::to_string);
                match tag.as_deref() {
                    #(#arms)*
                    _ => #ok(Self::#other(value)),
                }
            }
        }
    }
}

fn union_def(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    vs: &[UnionVariant],
    scope: Scope,
) -> TokenStream {
    let variants = vs.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = type_tokens(&v.ty, scope);
        let vdoc = docs::attrs(&format!("A value of the `{}` form.", v.name));
        quote! { #vdoc #vname(#ty), }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// The struct holding an operation's optional parameters, when it has many.
pub(super) fn params_struct(op: &Operation, scope: Scope) -> Option<TokenStream> {
    let option = scope.std(Std::Option);
    let name = ident(op.params_struct.as_ref()?);
    let doc = docs::trusted_attrs(&format!(
        "Optional parameters of [`Client::{0}`](crate::Client::{0}); `Default` leaves them all out.",
        op.name
    ));
    let fields = op.params.iter().filter(|p| p.grouped).map(|p| {
        let n = ident(&p.name);
        let ty = type_tokens(&p.ty, scope);
        let fdoc = docs::attrs(
            &p.doc
                .clone()
                .unwrap_or_else(|| format!("The `{}` parameter.", p.wire_name)),
        );
        quote! { #fdoc pub #n: #option<#ty>, }
    });
    Some(quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    })
}

/// The enum of an operation's documented error responses.
pub(super) fn error_enum(op: &Operation, scope: Scope) -> TokenStream {
    let name = ident(&op.error_type);
    let doc = docs::trusted_attrs(&format!(
        "Error responses documented for [`Client::{0}`](crate::Client::{0}), chosen by status code.",
        op.name
    ));
    error_def(&name, &doc, &op.errors, scope)
}

fn error_def(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    vs: &[ErrorVariant],
    scope: Scope,
) -> TokenStream {
    let variants = vs.iter().map(|v| {
        let vname = ident(&v.name);
        let status = match v.status {
            crate::ir::StatusMatch::Code(c) => format!("Status {c}"),
            crate::ir::StatusMatch::Range(d) => format!("Any {d}xx status"),
            crate::ir::StatusMatch::Default => "Any other status".to_string(),
        };
        let text = docs::paragraphs([Some(format!("{status}.").as_str()), v.doc.as_deref()]);
        let vdoc = docs::attrs(&text);
        match &v.body {
            Some(body) => {
                let ty = type_tokens(&body.ty, scope);
                quote! { #vdoc #vname(#ty), }
            }
            None => quote! { #vdoc #vname, },
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}
