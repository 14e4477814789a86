//! Unions: untagged (`anyOf`/`oneOf`) and tagged by a discriminator, built as tokens.

use crate::emit::docs::Docs;
use crate::emit::{Scope, Std, ident, type_tokens};
use crate::ir::{Tagged, UnionVariant};
use proc_macro2::TokenStream;
use quote::quote;

/// The derives of every union.
pub(super) const DERIVES: &[&str] = &["Debug", "Clone", "PartialEq"];

/// A discriminated union: serialised as the branch itself (which carries the tag), decoded
/// by reading the tag first, so a branch can never be mistaken for another; an unknown tag
/// is kept whole in the catch-all variant.
pub(super) fn tagged_def(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    t: &Tagged,
    scope: Scope,
    d: &Docs,
) -> TokenStream {
    let some = scope.std(Std::Some);
    let ok = scope.std(Std::Ok);
    let result = scope.std(Std::Result);
    let other = ident(&t.other);
    let property = &t.property;
    let variants = t.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = type_tokens(&v.ty, scope);
        let vdoc = d.attrs(&format!(
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
        if v.ty.has_format() {
            quote! {
                #(#some(#tags))|* => ::serde_json::from_value::<runtime::FromWire<_>>(value)
                    .map(|value| Self::#vname(value.0))
                    .map_err(<D::Error as ::serde::de::Error>::custom),
            }
        } else {
            quote! {
                #(#some(#tags))|* => ::serde_json::from_value(value)
                    .map(Self::#vname)
                    .map_err(<D::Error as ::serde::de::Error>::custom),
            }
        }
    });
    let vnames: Vec<_> = t.variants.iter().map(|v| ident(&v.name)).collect();
    let formatted: Vec<bool> = t.variants.iter().map(|v| v.ty.has_format()).collect();
    let serialize = serialize_newtypes(name, &vnames, &formatted, Some(&other), scope);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// A value whose tag this client does not know yet, kept as sent.
            #other(::serde_json::Value),
        }

        #serialize

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = runtime::buffer(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(::std::string::ToString::to_string);
                match tag.as_deref() {
                    #(#arms)*
                    _ => #ok(Self::#other(value)),
                }
            }
        }
    }
}

pub(super) fn union_def(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    vs: &[UnionVariant],
    scope: Scope,
    d: &Docs,
) -> TokenStream {
    let result = scope.std(Std::Result);
    let ok = scope.std(Std::Ok);
    let err = scope.std(Std::Err);
    let variants = vs.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = type_tokens(&v.ty, scope);
        let vdoc = d.attrs(&format!("A value of the `{}` form.", v.name));
        quote! { #vdoc #vname(#ty), }
    });
    let vnames: Vec<_> = vs.iter().map(|v| ident(&v.name)).collect();
    let formatted: Vec<bool> = vs.iter().map(|v| v.ty.has_format()).collect();
    let serialize = serialize_newtypes(name, &vnames, &formatted, None, scope);
    let tries = vnames.iter().zip(&formatted).map(|(vname, formatted)| {
        if *formatted {
            quote! {
                if let #ok(value) = <runtime::FromWire<_> as ::serde::Deserialize>::deserialize(&value) {
                    return #ok(Self::#vname(value.0));
                }
            }
        } else {
            quote! {
                if let #ok(value) = ::serde::Deserialize::deserialize(&value) {
                    return #ok(Self::#vname(value));
                }
            }
        }
    });
    let name_str = name.to_string();
    // The value is read once into a `serde_json::Value`, then tried against each variant
    // in order, the first that decodes winning (serde's `untagged`, without its derive).
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        #serialize

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = runtime::buffer(deserializer)?;
                #(#tries)*
                #err(runtime::no_variant(#name_str))
            }
        }
    }
}

/// `Serialize` for an enum whose every variant wraps one value, written as that value;
/// `other` is a catch-all variant holding the value as received.
fn serialize_newtypes(
    name: &proc_macro2::Ident,
    vnames: &[proc_macro2::Ident],
    formatted: &[bool],
    other: Option<&proc_macro2::Ident>,
    scope: Scope,
) -> TokenStream {
    let result = scope.std(Std::Result);
    let arms = vnames
        .iter()
        .zip(formatted.iter().copied())
        .chain(other.map(|o| (o, false)))
        .map(|(vname, formatted)| {
            if formatted {
                quote!(Self::#vname(value) => ::serde::Serialize::serialize(&runtime::AsWire(value), serializer),)
            } else {
                quote!(Self::#vname(value) => ::serde::Serialize::serialize(value, serializer),)
            }
        });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}
