//! The `types` module: one item per named type in the IR.

use super::docs::{self, Docs};
use super::{Item, Scope, Std, ident, type_text, type_tokens};
use crate::ir::{
    Api, Operation, StringEnum, Struct, Tagged, TypeDef, TypeKind, TypeRef, UnionVariant,
};
use proc_macro2::TokenStream;
use quote::quote;
use std::fmt::Write as _;

/// The module docs and imports.
pub(super) fn header(api: &Api) -> TokenStream {
    // The structs' written-out `Serialize` impls call `SerializeMap` methods; their
    // `Deserialize` impls, and the unions', call helpers in `runtime`.
    let has = |f: fn(&TypeKind) -> bool| api.types.iter().any(|t| f(&t.kind));
    let import = has(|k| matches!(k, TypeKind::Struct(_))).then(|| {
        quote!(
            use ::serde::ser::SerializeMap as _;
        )
    });
    let runtime = has(|k| {
        matches!(
            k,
            TypeKind::Struct(_) | TypeKind::Untagged(_) | TypeKind::Tagged(_)
        )
    })
    .then(|| {
        quote!(
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
        #import
        #runtime
    }
}

pub(super) fn type_def(def: &TypeDef, scope: Scope) -> Item {
    let doc_text = match &def.doc {
        Some(d) => d.clone(),
        None => format!("The `{}` type.", def.name),
    };
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut out = String::new();
            docs::text(&doc_text, "", &mut out);
            struct_def(&def.name, s, scope, &mut out);
            out.push('\n');
            struct_serde(&def.name, s, scope, &mut out);
            Item::Text(out)
        }
        TypeKind::StringEnum(e) => {
            let mut out = String::new();
            docs::text(&doc_text, "", &mut out);
            enum_def(&def.name, e, scope, &mut out);
            Item::Text(out)
        }
        TypeKind::Alias(ty) => {
            let mut out = String::new();
            docs::text(&doc_text, "", &mut out);
            let _ = writeln!(out, "pub type {} = {};", def.name, type_text(ty, scope));
            Item::Text(out)
        }
        TypeKind::Untagged(vs) => Item::with_docs(|d| {
            let doc = d.attrs(&doc_text);
            union_def(&ident(&def.name), &doc, vs, scope, d)
        }),
        TypeKind::Tagged(t) => Item::with_docs(|d| {
            let doc = d.attrs(&doc_text);
            tagged_def(&ident(&def.name), &doc, t, scope, d)
        }),
    }
}

/// A struct's definition, as text (see [`Item`](super::Item)).
fn struct_def(name: &str, s: &Struct, scope: Scope, out: &mut String) {
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

/// `text` as a Rust string literal.
fn str_lit(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// A struct's `Serialize` and `Deserialize`, written out rather than derived (see the
/// serde section of `runtime.rs` for why): an object of its properties, an optional one
/// left out when `None`, a nullable one written as `null`; decoding skips unknown keys (or
/// collects them into the additional-properties map), and a missing property is `None`
/// when the field is an `Option` and an error otherwise.
///
/// Written as formatted text, not tokens (see [`Item`](super::Item)): these impls are over
/// half of a `types.rs` and their shape is fixed. Long lines are left unwrapped.
fn struct_serde(name: &str, s: &Struct, scope: Scope, out: &mut String) {
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

/// A string enum and its impls, as text. Serde's derive would handle the catch-all with
/// `#[serde(untagged)]`, which buffers every value and tries each variant in turn; a string
/// match is what that amounts to, and it is far less code for the compiler (the string
/// enums were a large share of a crate's `cargo check` time) and for the decoder.
fn enum_def(name: &str, e: &StringEnum, scope: Scope, out: &mut String) {
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

/// A discriminated union: serialised as the branch itself (which carries the tag), decoded
/// by reading the tag first, so a branch can never be mistaken for another; an unknown tag
/// is kept whole in the catch-all variant.
fn tagged_def(
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

fn union_def(
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
pub(super) fn params_struct(op: &Operation, scope: Scope) -> Option<Item> {
    let name = op.params_struct.as_ref()?;
    Some(Item::with_docs(|d| params_struct_def(op, name, scope, d)))
}

fn params_struct_def(op: &Operation, name: &str, scope: Scope, d: &Docs) -> TokenStream {
    let option = scope.std(Std::Option);
    let name = ident(name);
    let doc = d.trusted_attrs(&format!(
        "Optional parameters of [`Client::{0}`](crate::Client::{0}); `Default` leaves them all out.",
        op.name
    ));
    let fields = op.params.iter().filter(|p| p.grouped).map(|p| {
        let n = ident(&p.name);
        let ty = type_tokens(&p.ty, scope);
        let fdoc = d.attrs(
            &p.doc
                .clone()
                .unwrap_or_else(|| format!("The `{}` parameter.", p.wire_name)),
        );
        quote! { #fdoc pub #n: #option<#ty>, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The enum of an operation's documented error responses, as text.
pub(super) fn error_enum(op: &Operation, scope: Scope) -> Item {
    let mut out = String::new();
    docs::trusted_text(
        &format!(
            "Error responses documented for [`Client::{0}`](crate::Client::{0}), chosen by status code.",
            op.name
        ),
        "",
        &mut out,
    );
    let name = &op.error_type;
    out.push_str("#[derive(Debug, Clone, PartialEq)]\n");
    if op.errors.is_empty() {
        let _ = writeln!(out, "pub enum {name} {{}}");
        return Item::Text(out);
    }
    let _ = writeln!(out, "pub enum {name} {{");
    for v in &op.errors {
        let status = match v.status {
            crate::ir::StatusMatch::Code(c) => format!("Status {c}"),
            crate::ir::StatusMatch::Range(d) => format!("Any {d}xx status"),
            crate::ir::StatusMatch::Default => "Any other status".to_string(),
        };
        let text = docs::paragraphs([Some(format!("{status}.").as_str()), v.doc.as_deref()]);
        docs::text(&text, "    ", &mut out);
        match &v.body {
            Some(body) => {
                let _ = writeln!(out, "    {}({}),", v.name, type_text(&body.ty, scope));
            }
            None => {
                let _ = writeln!(out, "    {},", v.name);
            }
        }
    }
    out.push_str("}\n");
    Item::Text(out)
}
