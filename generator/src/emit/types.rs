//! The `types` module: one item per named type in the IR.

use super::{Item, Scope, Std, docs, ident, type_tokens};
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
pub(super) fn item(api: &Api, scope: Scope, index: usize) -> Option<Item> {
    let types = api.types.len();
    let ops = api.operations.len();
    match index {
        0 => {
            // The structs' written-out `Serialize` impls call `SerializeMap` methods; their
            // `Deserialize` impls, and the untagged enums', call helpers in `runtime`.
            let has = |f: fn(&TypeKind) -> bool| api.types.iter().any(|t| f(&t.kind));
            let import = has(|k| matches!(k, TypeKind::Struct(_))).then(|| {
                quote!(
                    use ::serde::ser::SerializeMap as _;
                )
            });
            let runtime =
                has(|k| matches!(k, TypeKind::Struct(_) | TypeKind::Untagged(_))).then(|| {
                    quote!(
                        use crate::runtime;
                    )
                });
            Some(Item::tokens(quote! {
                //! Types of the API's request and response bodies, each operation's error enum, and
                //! the parameter structs of operations with many optional parameters.

                // The types have the shapes the API document gives them (a large variant is
                // not boxed behind the user's back), and their docs carry its prose as written.
                #![allow(clippy::large_enum_variant, clippy::doc_lazy_continuation)]
                #import
                #runtime
            }))
        }
        i if i <= types => Some(type_def(&api.types[i - 1], scope)),
        i if i <= types + ops => Some(Item::tokens(error_enum(
            &api.operations[i - 1 - types],
            scope,
        ))),
        i => params_struct(&api.operations[i - 1 - types - ops], scope).map(Item::tokens),
    }
}

pub(super) fn type_def(def: &TypeDef, scope: Scope) -> Item {
    let name = ident(&def.name);
    let doc = docs::attrs(&match &def.doc {
        Some(d) => d.clone(),
        None => format!("The `{}` type.", def.name),
    });
    match &def.kind {
        TypeKind::Struct(s) => Item {
            tokens: struct_def(&name, &doc, s, scope),
            text: struct_serde(&def.name, s, scope),
        },
        TypeKind::StringEnum(e) => Item::tokens(enum_def(&name, &doc, e, scope)),
        TypeKind::Untagged(vs) => Item::tokens(union_def(&name, &doc, vs, scope)),
        TypeKind::Tagged(t) => Item::tokens(tagged_def(&name, &doc, t, scope)),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty, scope);
            Item::tokens(quote! { #doc pub type #name = #ty; })
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
        quote! { #fdoc pub #fname: #ty, }
    });
    let string = scope.std(Std::String);
    let additional = s.additional.as_ref().map(|a| {
        let aname = ident(&a.name);
        let value = type_tokens(&a.value, scope);
        quote! {
            /// Properties not listed above, as the server sent them.
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
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

/// A struct's `Serialize` and `Deserialize`, written out rather than derived (see the
/// serde section of `runtime.rs` for why): an object of its properties, an optional one
/// left out when `None`, a nullable one written as `null`; decoding skips unknown keys (or
/// collects them into the additional-properties map), and a missing property is `None`
/// when the field is an `Option` and an error otherwise.
///
/// Returned as formatted text, not tokens: these impls are over half of a `types.rs`, their
/// shape is fixed, and sending them through syn and prettyplease took most of the
/// generator's time. The text is laid out as prettyplease would lay it out.
fn struct_serde(name: &str, s: &Struct, scope: Scope) -> String {
    use std::fmt::Write as _;
    let (result, ok, some, none) = (
        scope.std_text(Std::Result),
        scope.std_text(Std::Ok),
        scope.std_text(Std::Some),
        scope.std_text(Std::None),
    );
    let lit = |text: &str| proc_macro2::Literal::string(text).to_string();
    let skipped = |f: &crate::ir::Field| matches!(f.ty, TypeRef::Option(_)) && !f.required;
    let always = s.fields.iter().filter(|f| !skipped(f)).count();
    let extra = s.additional.as_ref().map(|a| a.name.as_str());

    let mut out = String::with_capacity(1024 + 200 * s.fields.len());
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
    for f in &s.fields {
        let wire = lit(f.rename.as_deref().unwrap_or(&f.name));
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
        name_lit = lit(name)
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
    if s.fields.is_empty() {
        let key = if extra.is_some() { "key" } else { "_" };
        let _ = write!(
            out,
            "        while let {some}({key}) = map.next_key::<runtime::Key<'de>>()? {{\n            \
             {unknown}\n        }}\n"
        );
    } else {
        let _ = write!(
            out,
            "        while let {some}(key) = map.next_key::<runtime::Key<'de>>()? {{\n            \
             match key.as_str() {{\n"
        );
        for (i, f) in s.fields.iter().enumerate() {
            let wire = lit(f.rename.as_deref().unwrap_or(&f.name));
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
    for (i, f) in s.fields.iter().enumerate() {
        let field = &f.name;
        if matches!(f.ty, TypeRef::Option(_)) {
            let _ = writeln!(out, "            {field}: f{i}.unwrap_or_default(),");
        } else {
            let wire = lit(f.rename.as_deref().unwrap_or(&f.name));
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
    out
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
    let vnames: Vec<_> = t.variants.iter().map(|v| ident(&v.name)).collect();
    let serialize = serialize_newtypes(name, &vnames, Some(&other), scope);
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
    let result = scope.std(Std::Result);
    let ok = scope.std(Std::Ok);
    let err = scope.std(Std::Err);
    let variants = vs.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = type_tokens(&v.ty, scope);
        let vdoc = docs::attrs(&format!("A value of the `{}` form.", v.name));
        quote! { #vdoc #vname(#ty), }
    });
    let vnames: Vec<_> = vs.iter().map(|v| ident(&v.name)).collect();
    let serialize = serialize_newtypes(name, &vnames, None, scope);
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
                #(
                    if let #ok(value) = ::serde::Deserialize::deserialize(&value) {
                        return #ok(Self::#vnames(value));
                    }
                )*
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
    other: Option<&proc_macro2::Ident>,
    scope: Scope,
) -> TokenStream {
    let result = scope.std(Std::Result);
    let all = vnames.iter().chain(other);
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                match self {
                    #(Self::#all(value) => ::serde::Serialize::serialize(value, serializer),)*
                }
            }
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
