//! The types of each operation: its error enum (text), and (tokens) the struct of its
//! optional parameters when it has many and the struct of its multipart body if it takes
//! one.

use crate::emit::code::Code;
use crate::emit::docs::{self, Docs};
use crate::emit::{Item, Scope, Std, ident, type_text, type_tokens};
use crate::ir::{Operation, PartKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The struct holding an operation's optional parameters, when it has many.
pub(in crate::emit) fn params_struct(op: &Operation, scope: Scope) -> Option<Item> {
    let name = op.params_struct.as_ref()?;
    Some(Item::with_docs(|d| params_struct_def(op, name, scope, d)))
}

/// The operation's own structs: its parameters' and its multipart body's, each if it has
/// one.
pub(in crate::emit) fn operation_structs(op: &Operation, scope: Scope) -> Option<Item> {
    let form = op.body.as_ref().and_then(|b| b.multipart.as_ref());
    if op.params_struct.is_none() && form.is_none() {
        return None;
    }
    Some(Item::with_docs(|d| {
        let params = op
            .params_struct
            .as_ref()
            .map(|name| params_struct_def(op, name, scope, d));
        let form = form.map(|form| multipart_struct_def(op, form, scope, d));
        quote!(#params #form)
    }))
}

fn multipart_struct_def(
    op: &Operation,
    form: &crate::ir::MultipartForm,
    scope: Scope,
    d: &Docs,
) -> TokenStream {
    let option = scope.std(Std::Option);
    let vec = scope.std(Std::Vec);
    let name = ident(&form.name);
    let doc = d.trusted_attrs(&format!(
        "The `multipart/form-data` body of [`Client::{0}`](crate::Client::{0}): one part per \
         field; files are [`FilePart`](crate::FilePart)s (bytes, a file or a stream).",
        op.name
    ));
    let fields = form.fields.iter().map(|f| {
        let n = ident(&f.name);
        let ty = match &f.kind {
            PartKind::File => quote!(crate::FilePart),
            PartKind::Files => quote!(#vec<crate::FilePart>),
            PartKind::Text(t) | PartKind::Json(t) => type_tokens(t, scope),
            PartKind::Texts(t) => {
                let t = type_tokens(t, scope);
                quote!(#vec<#t>)
            }
        };
        let ty = if f.required { ty } else { quote!(#option<#ty>) };
        let fdoc = d.attrs(
            &f.doc
                .clone()
                .unwrap_or_else(|| format!("The `{}` part.", f.wire)),
        );
        quote! { #fdoc pub #n: #ty, }
    });
    quote! {
        #doc
        #[cfg(feature = "multipart")]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    }
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
pub(in crate::emit) fn error_enum(op: &Operation, scope: Scope, non_exhaustive: bool) -> Item {
    let mut code = Code::default();
    code.trusted_doc(&format!(
        "Error responses documented for [`Client::{0}`](crate::Client::{0}), chosen by status code.",
        op.name
    ));
    let name = &op.error_type;
    code.line("#[derive(Debug, Clone, PartialEq)]");
    if non_exhaustive {
        code.line("#[non_exhaustive]");
    }
    if op.errors.is_empty() {
        code.line(format_args!("pub enum {name} {{}}"));
        return Item::Text(code.finish());
    }
    code.block(format_args!("pub enum {name}"), |c| {
        for v in &op.errors {
            let status = match v.status {
                crate::ir::StatusMatch::Code(c) => format!("Status {c}"),
                crate::ir::StatusMatch::Range(d) => format!("Any {d}xx status"),
                crate::ir::StatusMatch::Default => "Any other status".to_string(),
            };
            c.doc(&docs::paragraphs([
                Some(format!("{status}.").as_str()),
                v.doc.as_deref(),
            ]));
            match &v.body {
                Some(body) => c.line(format_args!("{}({}),", v.name, type_text(&body.ty, scope))),
                None => c.line(format_args!("{},", v.name)),
            }
        }
    });
    Item::Text(code.finish())
}
