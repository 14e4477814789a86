//! The `client` module: one `async fn` per operation on `Client`, each a thin wrapper that
//! describes its request and maps statuses to results; the shared request path lives in the
//! runtime.

use super::{Scope, docs, ident, type_tokens};
use crate::ir::{
    Api, Body, BodyEncoding, Operation, Param, ParamLocation, PathSegment, StatusMatch, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn module(api: &Api) -> TokenStream {
    let base_url = match &api.default_base_url {
        Some(url) => quote!(::std::option::Option::Some(#url)),
        None => quote!(::std::option::Option::None),
    };
    let methods = api.operations.iter().map(method);
    quote! {
        //! One method per operation of the API.

        /// The server requests go to unless the builder is given another.
        pub(crate) const DEFAULT_BASE_URL: ::std::option::Option<&str> = #base_url;

        impl crate::runtime::Client {
            #(#methods)*
        }
    }
}

/// How an argument is taken: borrowed for strings, slices and named types; by value for
/// numbers and booleans.
fn arg_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Bytes => quote!(&[u8]),
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => {
            type_tokens(ty, Scope::Client)
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, Scope::Client);
            quote!(&[#inner])
        }
        other => {
            let t = type_tokens(other, Scope::Client);
            quote!(&#t)
        }
    }
}

fn optional(required: bool, ty: TokenStream) -> TokenStream {
    if required {
        ty
    } else {
        quote!(::std::option::Option<#ty>)
    }
}

fn body_arg_type(body: &Body) -> TokenStream {
    match body.encoding {
        BodyEncoding::Json => arg_type(&body.ty),
        BodyEncoding::Text => quote!(&str),
        BodyEncoding::Bytes => quote!(&[u8]),
    }
}

pub(super) fn method(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let error_type = ident(&op.error_type);
    let path_params = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path);
    let other_params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path);

    // Signature order: path parameters, the body, then the other parameters.
    let mut args = Vec::new();
    for p in path_params.clone() {
        let n = ident(&p.name);
        let t = optional(p.required, arg_type(&p.ty));
        args.push(quote!(#n: #t));
    }
    if let Some(b) = &op.body {
        let t = optional(b.required, body_arg_type(&b.body));
        args.push(quote!(body: #t));
    }
    for p in other_params.clone().filter(|p| !p.grouped) {
        let n = ident(&p.name);
        let t = optional(p.required, arg_type(&p.ty));
        args.push(quote!(#n: #t));
    }
    if let Some(s) = &op.params_struct {
        let s = ident(s);
        args.push(quote!(params: crate::types::#s));
    }

    let path = path_expr(op);
    let query: Vec<TokenStream> = other_params
        .clone()
        .filter(|p| p.location == ParamLocation::Query)
        .map(push_param)
        .collect();
    let headers: Vec<TokenStream> = other_params
        .filter(|p| p.location != ParamLocation::Query)
        .map(push_param)
        .collect();
    let query_init = if query.is_empty() {
        quote!(let query = ::std::vec::Vec::new();)
    } else {
        quote!(let mut query = ::std::vec::Vec::new(); #(#query)*)
    };
    let headers_init = if headers.is_empty() {
        quote!(let headers = ::std::vec::Vec::new();)
    } else {
        quote!(let mut headers = ::std::vec::Vec::new(); #(#headers)*)
    };

    let body = match &op.body {
        None => quote!(::std::option::Option::None),
        Some(b) => {
            let media = &b.body.media_type;
            let encode = match b.body.encoding {
                BodyEncoding::Json => quote!(crate::runtime::json_body(body)?),
                BodyEncoding::Text => {
                    quote!(::std::option::Option::Some((body.as_bytes().to_vec(), #media)))
                }
                BodyEncoding::Bytes => quote!(::std::option::Option::Some((body.to_vec(), #media))),
            };
            if b.required {
                encode
            } else {
                quote!(match body { ::std::option::Option::Some(body) => #encode, ::std::option::Option::None => ::std::option::Option::None })
            }
        }
    };

    let method = ident(op.method.as_str());
    let auth = op.bearer_auth;
    let (ok_type, success_arm) = success(op);
    let error_arms = error_arms(op, &error_type);
    let fallback = if op_has_default_error(op) {
        quote!()
    } else {
        quote!(_ => ::std::result::Result::Err(crate::runtime::unexpected(response)),)
    };
    let doc = docs::attrs(&method_doc(op));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    quote! {
        #doc
        #deprecated
        pub async fn #name(&self, #(#args),*) -> ::std::result::Result<#ok_type, crate::runtime::Error<crate::types::#error_type>> {
            let path = #path;
            #query_init
            #headers_init
            let request = crate::runtime::Request {
                method: ::reqwest::Method::#method,
                path,
                query,
                headers,
                body: #body,
                auth: #auth,
            };
            let response = self.send(request).await?;
            match response.status {
                #success_arm
                #(#error_arms)*
                #fallback
            }
        }
    }
}

fn path_expr(op: &Operation) -> TokenStream {
    let pieces: Vec<TokenStream> = op
        .path_segments
        .iter()
        .map(|seg| match seg {
            PathSegment::Literal(text) => quote!(#text),
            PathSegment::Param(name) => {
                let p = op.params.iter().find(|p| &p.name == name);
                let wire = p.map_or(name.as_str(), |p| p.wire_name.as_str());
                let n = ident(name);
                let value = match p.map(|p| &p.ty) {
                    Some(TypeRef::String) | None => quote!(#n),
                    Some(_) => quote!(&#n.to_string()),
                };
                quote!(crate::runtime::path_segment(#wire, #value)?.as_str())
            }
        })
        .collect();
    match pieces.as_slice() {
        [] => quote!(::std::string::String::from("/")),
        [only] => quote!(::std::string::String::from(#only)),
        _ => quote!([#(#pieces),*].concat()),
    }
}

/// Pushes a query pair or header for one parameter.
fn push_param(p: &Param) -> TokenStream {
    let n = ident(&p.name);
    let n = if p.grouped {
        quote!(&params.#n)
    } else {
        quote!(#n)
    };
    let wire = &p.wire_name;
    let target = match p.location {
        ParamLocation::Query => quote!(query),
        _ => quote!(headers),
    };
    let push_one = |value: TokenStream| match p.location {
        ParamLocation::Cookie => {
            quote!(#target.push(("cookie", ::std::format!("{}={}", #wire, #value)));)
        }
        _ => quote!(#target.push((#wire, #value.to_string()));),
    };
    let push = match &p.ty {
        TypeRef::Vec(_) if p.explode && p.location == ParamLocation::Query => {
            let one = push_one(quote!(value));
            quote!(for value in values { #one })
        }
        TypeRef::Vec(_) => {
            let joined = quote!(
                values
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<::std::vec::Vec<_>>()
                    .join(",")
            );
            push_one(joined)
        }
        _ => push_one(quote!(value)),
    };
    let binding = if matches!(p.ty, TypeRef::Vec(_)) {
        quote!(values)
    } else {
        quote!(value)
    };
    if p.required {
        quote! { { let #binding = #n; #push } }
    } else {
        quote! { if let ::std::option::Option::Some(#binding) = #n { #push } }
    }
}

fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        StatusMatch::Range(d) => {
            let lo = proc_macro2::Literal::u16_unsuffixed(d * 100);
            let hi = proc_macro2::Literal::u16_unsuffixed(d * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    }
}

fn decode(body: Option<&Body>) -> TokenStream {
    match body.map(|b| b.encoding) {
        None => quote!(()),
        Some(BodyEncoding::Json) => quote!(crate::runtime::decode_json(&response)?),
        Some(BodyEncoding::Text) => quote!(crate::runtime::decode_text(&response)),
        Some(BodyEncoding::Bytes) => quote!(response.body.to_vec()),
    }
}

fn success(op: &Operation) -> (TokenStream, TokenStream) {
    let ok_type = match &op.success.body {
        None => quote!(()),
        Some(b) => match b.encoding {
            BodyEncoding::Json => type_tokens(&b.ty, Scope::Client),
            BodyEncoding::Text => quote!(::std::string::String),
            BodyEncoding::Bytes => quote!(::std::vec::Vec<u8>),
        },
    };
    let any_2xx = op.success.statuses.is_empty()
        || op
            .success
            .statuses
            .iter()
            .any(|s| matches!(s, StatusMatch::Range(2) | StatusMatch::Default));
    let pattern = if any_2xx {
        quote!(200..=299)
    } else {
        let codes = op.success.statuses.iter().map(|s| status_pattern(*s));
        quote!(#(#codes)|*)
    };
    let value = decode(op.success.body.as_ref());
    let value = match op.success.body.as_ref().map(|b| b.encoding) {
        Some(BodyEncoding::Json) => quote!(crate::runtime::decode_json(&response)),
        _ => quote!(::std::result::Result::Ok(#value)),
    };
    (ok_type, quote!(#pattern => #value,))
}

fn op_has_default_error(op: &Operation) -> bool {
    op.errors.iter().any(|v| v.status == StatusMatch::Default)
}

fn error_arms(op: &Operation, error_type: &proc_macro2::Ident) -> Vec<TokenStream> {
    let mut variants: Vec<_> = op.errors.iter().collect();
    // Exact codes before ranges before `default`, whatever order the spec lists them in.
    variants.sort_by_key(|v| v.status);
    variants
        .into_iter()
        .map(|v| {
            let pattern = status_pattern(v.status);
            let vname = ident(&v.name);
            let error = match &v.body {
                None => quote!(crate::types::#error_type::#vname),
                Some(b) => {
                    let value = decode(Some(b));
                    quote!(crate::types::#error_type::#vname(#value))
                }
            };
            quote! {
                #pattern => ::std::result::Result::Err(crate::runtime::Error::Api { status: response.status, error: #error }),
            }
        })
        .collect()
}

fn method_doc(op: &Operation) -> String {
    let rate = op
        .rate_limit
        .as_ref()
        .map(|r| format!("Rate limit: {}", r.text));
    let mut params: Vec<String> = op
        .params
        .iter()
        .filter_map(|p| {
            p.doc
                .as_ref()
                .map(|d| format!("- `{}`: {}", p.name, d.trim().replace('\n', " ")))
        })
        .collect();
    if let Some(d) = op.body.as_ref().and_then(|b| b.doc.as_ref()) {
        params.push(format!("- `body`: {}", d.trim().replace('\n', " ")));
    }
    let params = (!params.is_empty()).then(|| format!("# Arguments\n\n{}", params.join("\n")));
    let http = format!("`{} {}`", op.method.as_str(), op.path);
    docs::paragraphs([
        op.summary.as_deref(),
        op.description.as_deref(),
        rate.as_deref(),
        params.as_deref(),
        Some(http.as_str()),
    ])
}
