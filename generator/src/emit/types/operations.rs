//! The types of each operation: its error enum (text) and, when it has many optional
//! parameters, their struct (tokens).

use crate::emit::docs::{self, Docs};
use crate::emit::{Item, Scope, Std, ident, type_text, type_tokens};
use crate::ir::Operation;
use proc_macro2::TokenStream;
use quote::quote;
use std::fmt::Write as _;

/// The struct holding an operation's optional parameters, when it has many.
pub(in crate::emit) fn params_struct(op: &Operation, scope: Scope) -> Option<Item> {
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
pub(in crate::emit) fn error_enum(op: &Operation, scope: Scope) -> Item {
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
