//! The `client` module: the methods of each operation on `Client` (the plain one,
//! `_with_response`, and `_stream` for paginated lists), each a thin function that describes
//! its request and maps statuses to results, returning the future of the shared request
//! path in the runtime.

use super::docs::Docs;
use super::{Item, Scope, ident, type_tokens};
use crate::ir::{
    Body, BodyEncoding, FieldPath, ItemDecode, MultipartForm, Operation, PageNext, Param,
    ParamEncoding, ParamLocation, PartKind, PathSegment, RequestBody, StatusMatch, StreamKind,
    Style, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// One operation's methods in an `impl Client` block of their own (`files` merges the
/// blocks into one after formatting).
pub(super) fn methods_item(op: &Operation) -> Item {
    Item::with_docs(|d| {
        let methods = methods(op, d);
        quote!(impl Client { #methods })
    })
}

/// How an argument is taken: borrowed for strings, slices and named types; by value for
/// numbers and booleans.
pub(super) fn arg_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Bytes => quote!(&[u8]),
        scalar if is_by_value(scalar) => type_tokens(ty, Scope::Client),
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
    if required { ty } else { quote!(Option<#ty>) }
}

/// The body argument's type (without the `Option` of an optional body).
pub(super) fn body_arg_type(body: &Body, required: bool) -> TokenStream {
    match body.encoding {
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => arg_type(&body.ty),
        BodyEncoding::MultipartParts => quote!(runtime::Multipart),
        BodyEncoding::Text => quote!(&str),
        // Bytes, a file or a stream; `impl Into` cannot stand in an `Option` a caller
        // passes `None` to.
        BodyEncoding::Bytes if required => quote!(impl Into<runtime::Upload>),
        BodyEncoding::Bytes => quote!(runtime::Upload),
    }
}

/// The signature's arguments and the names to forward them by. Order: path parameters,
/// the body, the other parameters, then the optional-parameter struct if there is one.
fn arguments(op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut args = Vec::new();
    let mut names = Vec::new();
    let mut push = |name: &str, ty: TokenStream| {
        let n = ident(name);
        args.push(quote!(#n: #ty));
        names.push(quote!(#n));
    };
    for p in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        push(&p.name, optional(p.required, arg_type(&p.ty)));
    }
    if let Some(b) = &op.body {
        push(
            "body",
            optional(b.required, body_arg_type(&b.body, b.required)),
        );
    }
    for p in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path && !p.grouped)
    {
        push(&p.name, optional(p.required, arg_type(&p.ty)));
    }
    if let Some(s) = &op.params_struct {
        let s = ident(s);
        push("params", quote!(types::#s));
    }
    (args, names)
}

fn ok_type(op: &Operation) -> TokenStream {
    match &op.success.body {
        None => quote!(()),
        Some(b) => match b.encoding {
            BodyEncoding::Json
            | BodyEncoding::Form
            | BodyEncoding::Multipart
            | BodyEncoding::MultipartParts => type_tokens(&b.ty, Scope::Client),
            BodyEncoding::Text => quote!(String),
            BodyEncoding::Bytes => quote!(Vec<u8>),
        },
    }
}

/// The operation's methods: the plain one, `_with_response`, and `_stream` for lists.
fn methods(op: &Operation, d: &Docs) -> TokenStream {
    let name = ident(&op.name);
    let with_response = ident(&op.with_response_name);
    let error_type = ident(&op.error_type);
    let (args, forward) = arguments(op);
    let ok_type = ok_type(op);
    let result = quote!(Result<#ok_type, runtime::Error<types::#error_type>>);
    let raw_result =
        quote!(Result<runtime::ResponseValue<#ok_type>, runtime::Error<types::#error_type>>);

    let path = path_expr(op);
    let other_params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path);
    let query: Vec<TokenStream> = other_params
        .clone()
        .filter(|p| p.location == ParamLocation::Query)
        .map(push_param)
        .collect();
    let headers: Vec<TokenStream> = other_params
        .filter(|p| p.location != ParamLocation::Query)
        .map(push_param)
        .collect();
    // A response offered as JSON and as a stream: the plain method asks for JSON (the
    // stream twin replaces it with the stream's type).
    let accept = op
        .item_stream
        .as_ref()
        .is_some_and(|s| s.json_alternative)
        .then(|| quote!(("accept", "application/json".to_string())));
    let query_init = if query.is_empty() {
        quote!(let query = Vec::new();)
    } else {
        quote!(let mut query = Vec::new(); #(#query)*)
    };
    let headers_init = match (accept, headers.is_empty()) {
        (None, true) => quote!(let headers = Vec::new();),
        (None, false) => quote!(let mut headers = Vec::new(); #(#headers)*),
        (Some(accept), true) => quote!(let headers = vec![#accept];),
        (Some(accept), false) => quote!(let mut headers = vec![#accept]; #(#headers)*),
    };

    let body = match &op.body {
        None => quote!(None),
        Some(b) => {
            let media = &b.body.media_type;
            // JSON and forms through serde; text and bytes as they are, with their media type.
            let serde = match b.body.encoding {
                BodyEncoding::Json => {
                    let body = body_ref(&b.body.ty);
                    // Sent as the documented JSON media type; `application/json` (also
                    // for `*/*`, which names no type to send) by the shorter call most
                    // operations make.
                    if media.eq_ignore_ascii_case("application/json") || media == "*/*" {
                        Ok(quote!(runtime::json_body(#body)?))
                    } else {
                        Ok(quote!(runtime::json_body_as(#body, #media)?))
                    }
                }
                BodyEncoding::Form => {
                    let encode = form_body(b);
                    Ok(quote!(#encode?))
                }
                BodyEncoding::Multipart => match &b.multipart {
                    // Without JSON parts nothing can fail: an infallible `map` for an
                    // optional body (clippy's `manual_map`).
                    Some(form)
                        if form
                            .fields
                            .iter()
                            .all(|f| !matches!(f.kind, PartKind::Json(_))) =>
                    {
                        Err(multipart_body(form))
                    }
                    Some(form) => Ok(multipart_body(form)),
                    None => Ok(quote!(compile_error!(
                        "internal error: multipart body without its form"
                    ))),
                },
                // The caller's form, whole.
                BodyEncoding::MultipartParts => Err(quote!(runtime::Body::Multipart(body))),
                BodyEncoding::Text => {
                    Err(quote!(runtime::Body::Bytes(body.as_bytes().to_vec().into(), #media)))
                }
                // A required body is `impl Into<Upload>`, an optional one an `Upload`.
                BodyEncoding::Bytes if b.required => {
                    Err(quote!(runtime::Body::Upload(body.into(), #media)))
                }
                BodyEncoding::Bytes => Err(quote!(runtime::Body::Upload(body, #media))),
            };
            match (b.required, serde) {
                (true, Ok(encode)) if b.body.encoding == BodyEncoding::Multipart => {
                    quote!(Some(#encode))
                }
                (false, Ok(encode)) if b.body.encoding == BodyEncoding::Multipart => {
                    quote!(match body {
                        Some(body) => Some(#encode),
                        None => None,
                    })
                }
                (true, Ok(encode)) => encode,
                (false, Ok(encode)) => {
                    quote!(match body {
                        Some(body) => #encode,
                        None => None,
                    })
                }
                (true, Err(raw)) => quote!(Some(#raw)),
                // The caller's form is the body as it is (a closure would be clippy's
                // `redundant_closure`).
                (false, Err(_)) if b.body.encoding == BodyEncoding::MultipartParts => {
                    quote!(body.map(runtime::Body::Multipart))
                }
                (false, Err(raw)) => quote!(body.map(|body| #raw)),
            }
        }
    };

    // Lowering admits only valid method tokens, so `from_bytes` cannot fail for them.
    let method = match &op.method {
        crate::ir::Method::Other(m) => {
            let bytes = proc_macro2::Literal::byte_string(m.as_bytes());
            quote!(::reqwest::Method::from_bytes(#bytes).unwrap_or_default())
        }
        standard => {
            let m = ident(standard.as_str());
            quote!(::reqwest::Method::#m)
        }
    };
    let variant = ident(&op.variant);
    let success_arm = success_arm(op);
    let error_arms = error_arms(op, &error_type);
    let fallback = if op_has_default_error(op) {
        quote!()
    } else {
        quote!(_ => Err(runtime::unexpected(response)),)
    };
    let doc = d.attrs(&method_doc(op));
    let raw_doc = d.trusted_attrs(&format!(
        "[`{0}`](Self::{0}), also returning the response's status and headers.",
        op.name
    ));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // The plain method calls its (also deprecated) twin.
    let allow_deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    let many_args = (args.len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let stream = op.pagination.as_ref().map(|_| stream_method(op, d));

    // Neither method is an `async fn`: each returns the runtime's future directly, so the
    // compiler builds no state machine per operation (the one in `Client::call` is shared).
    // The request is described by a closure `call` runs when first polled, which keeps `?`
    // for parameters that fail to encode.
    // Multipart bodies need the crate's `multipart` feature (on by default where used).
    let gate = op
        .body
        .as_ref()
        .filter(|b| b.body.encoding == BodyEncoding::Multipart)
        .map(|_| quote!(#[cfg(feature = "multipart")]));
    let request_with = |body: &TokenStream| {
        quote! {
            move || {
                let path = #path;
                #query_init
                #headers_init
                Ok(runtime::Request {
                    operation: Operation::#variant as usize,
                    method: #method,
                    path,
                    query,
                    headers,
                    body: #body,
                })
            }
        }
    };
    let request = request_with(&body);
    let item_stream = op.item_stream.as_ref().map(|s| {
        let stream_name = ident(&s.name);
        // A `match` of one arm would be clippy's `match_single_binding`.
        let values = error_values(op, &error_type);
        let map_body = match values.as_slice() {
            [] => quote!(Err(runtime::unexpected(response))),
            [(StatusMatch::Default, error)] => quote!(Err(runtime::api_error(response, #error))),
            _ => quote!(match response.status {
                #(#error_arms)*
                #fallback
            }),
        };
        // The body's `stream` flag is set: a server offering JSON and a stream sends the
        // stream only when asked to.
        let request = match (&s.stream_flag, &op.body) {
            (Some(flag), Some(b)) if b.required => {
                let body = body_ref(&b.body.ty);
                let media = json_content_type(&b.body.media_type);
                request_with(&quote!(runtime::json_body_streaming(#body, #flag, #media)?))
            }
            (Some(flag), Some(b)) => {
                let body = body_ref(&b.body.ty);
                let media = json_content_type(&b.body.media_type);
                request_with(&quote!(match body {
                    Some(body) => runtime::json_body_streaming(#body, #flag, #media)?,
                    None => None,
                }))
            }
            _ => request.clone(),
        };
        let item = type_tokens(&s.item, Scope::Client);
        let decode = match s.decode {
            ItemDecode::Json => quote!(runtime::event_json::<#item>),
            ItemDecode::Text => quote!(runtime::event_text),
            ItemDecode::Any => quote!(runtime::event_any),
        };
        let (call, item, stream_gate, what) = match s.kind {
            StreamKind::Events => (
                quote!(runtime::Core::call_events(&self.core, #request, map, #decode)),
                quote!(runtime::Event<#item>),
                quote!(#[cfg(feature = "sse")]),
                "server-sent events (`text/event-stream`): each item is an [`Event`](crate::Event) \
                 with the event's data decoded; a `[DONE]` data line ends the stream",
            ),
            StreamKind::Bytes => {
                let media = &s.media_type;
                (
                    quote!(runtime::Core::call_bytes(&self.core, #request, #media, map)),
                    quote!(::bytes::Bytes),
                    quote!(),
                    "the body's bytes, chunk by chunk as they arrive (memory stays bounded \
                     whatever the size; `max_response_bytes` does not apply)",
                )
            }
            StreamKind::Lines => {
                let media = &s.media_type;
                (
                    quote!(runtime::Core::call_lines(&self.core, #request, #media, map, #decode)),
                    item,
                    quote!(),
                    "its items one by one, as the server sends them (one JSON value per line)",
                )
            }
        };
        let flag = s.stream_flag.as_ref().map_or(String::new(), |f| {
            format!(
                " The body's `{f}` is sent as `true`, whatever it holds (the server streams \
                 only when asked); the plain method sends the body as given."
            )
        });
        let stream_doc = d.trusted_attrs(&format!(
            "[`{0}`](Self::{0}) read as a stream of {what}. The request goes out when the \
             stream is first polled; an error status or a failure before the first item is \
             the only item; an item that does not decode is an error item and the stream \
             goes on.{flag}",
            op.name
        ));
        quote! {
            #stream_doc
            #gate
            #stream_gate
            #deprecated
            #many_args
            pub fn #stream_name(&self, #(#args),*)
                -> impl ::futures_core::Stream<Item = Result<#item, runtime::Error<types::#error_type>>>
            {
                // Statuses other than 2xx, as the plain method maps them.
                let map = |response: &runtime::RawResponse| -> Result<(), runtime::Error<types::#error_type>> {
                    #map_body
                };
                #call
            }
        }
    });
    quote! {
        #doc
        #gate
        #deprecated
        #allow_deprecated
        #many_args
        pub fn #name(&self, #(#args),*) -> impl Future<Output = #result> {
            runtime::into_inner(self.#with_response(#(#forward),*))
        }

        #raw_doc
        #gate
        #deprecated
        #many_args
        pub fn #with_response(&self, #(#args),*) -> impl Future<Output = #raw_result> {
            // Called by path: `self.core.call(..)` would indent the whole request one
            // level deeper once formatted.
            runtime::Core::call(
                &self.core,
                #request,
                |response| match response.status {
                    #success_arm
                    #(#error_arms)*
                    #fallback
                },
            )
        }

        #stream
        #item_stream
    }
}

/// How one argument of a `_stream` method is taken, kept and passed on.
struct StreamArg {
    /// In the signature.
    arg: TokenStream,
    /// Turns the borrowed argument into an owned value once.
    own: TokenStream,
    /// Clones the owned value for one page's request (empty for `Copy` types).
    per_page: TokenStream,
    /// Passes it to the plain method.
    call: TokenStream,
}

fn stream_arg(p: &Param) -> StreamArg {
    let n = ident(&p.name);
    let ty = arg_type(&p.ty);
    let arg = {
        let t = optional(p.required, ty);
        quote!(#n: #t)
    };
    let copy = matches!(
        p.ty,
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    );
    if copy {
        return StreamArg {
            arg,
            own: quote!(),
            per_page: quote!(),
            call: quote!(#n),
        };
    }
    let (own, call) = match (&p.ty, p.required) {
        (TypeRef::String, true) => (quote!(#n.to_owned()), quote!(&#n)),
        (TypeRef::String, false) => (quote!(#n.map(ToOwned::to_owned)), quote!(#n.as_deref())),
        (TypeRef::Vec(_), true) => (quote!(#n.to_vec()), quote!(&#n)),
        (TypeRef::Vec(_), false) => (quote!(#n.map(<[_]>::to_vec)), quote!(#n.as_deref())),
        (_, true) => (quote!(#n.clone()), quote!(&#n)),
        (_, false) => (quote!(#n.cloned()), quote!(#n.as_ref())),
    };
    StreamArg {
        arg,
        own: quote!(let #n = #own;),
        per_page: quote!(let #n = #n.clone();),
        call,
    }
}

/// `{op}_stream`: every item of a paginated list, page after page. Arguments are taken
/// owned (strings, slices and named types are copied once) so the stream is `'static`.
/// Each page is one call of the plain method (`_with_response` where the next page is in a
/// header) with the parameters the convention sets; the closure given to `runtime::pages`
/// turns the page into its items and the next page's state (see `PageNext`).
fn stream_method(op: &Operation, d: &Docs) -> TokenStream {
    let Some(p) = &op.pagination else {
        return quote!();
    };
    let stream_name = ident(&p.stream_name);
    let error_type = ident(&op.error_type);
    let item = type_tokens(&p.item, Scope::Client);
    let plain = ident(&op.name);
    let with_response = ident(&op.with_response_name);
    let at = ident(&p.state_local);
    let known = ident(&p.known_local);
    // The parameter the state goes in, and the value passed for it.
    let (state_param, state_value, state_owned) = match &p.next {
        PageNext::Offset { param, .. } | PageNext::Number { param, .. } => {
            let narrowed = narrowed(op, param.index, quote!(#at));
            (
                Some(param),
                quote!(Some(#narrowed)),
                quote!(Some(#narrowed)),
            )
        }
        PageNext::Cursor { param, .. } | PageNext::LastId { param, .. } => {
            if op.params[param.index].ty == TypeRef::String {
                (Some(param), quote!(#at.as_deref()), quote!(#at.clone()))
            } else {
                (Some(param), quote!(#at), quote!(#at))
            }
        }
        PageNext::Link { param } | PageNext::NextUrl { param, .. } => {
            (param.as_ref(), quote!(None), quote!(None))
        }
    };
    let size = p.page_size.as_ref().map(|s| {
        let arg = ident(&s.arg);
        let value = narrowed(op, s.param.index, quote!(#arg));
        (&s.param, arg, quote!(Some(#value)))
    });
    let mut args = Vec::new();
    let mut owned = Vec::new();
    let mut per_page = Vec::new();
    let mut calls = Vec::new();
    // Same order as the plain method's arguments: path parameters, then the others (a
    // paginated list has no body); the parameters the stream sets are its own.
    let path_params = op
        .params
        .iter()
        .enumerate()
        .filter(|(_, x)| x.location == ParamLocation::Path);
    let other_params = op
        .params
        .iter()
        .enumerate()
        .filter(|(_, x)| x.location != ParamLocation::Path && !x.grouped);
    for (index, param) in path_params.chain(other_params) {
        if state_param.is_some_and(|s| s.index == index) {
            calls.push(state_value.clone());
        } else if let Some((s, _, value)) = &size
            && s.index == index
        {
            calls.push(value.clone());
        } else {
            let a = stream_arg(param);
            args.push(a.arg);
            owned.push(a.own);
            per_page.push(a.per_page);
            calls.push(a.call);
        }
    }
    if let Some(s) = &op.params_struct {
        let s = ident(s);
        args.push(quote!(params: types::#s));
        let mut sets = Vec::new();
        if let Some(param) = state_param.filter(|x| x.grouped) {
            let f = ident(&param.name);
            sets.push(quote!(params.#f = #state_owned;));
        }
        if let Some((param, _, value)) = size.as_ref().filter(|(x, _, _)| x.grouped) {
            let f = ident(&param.name);
            sets.push(quote!(params.#f = #value;));
        }
        per_page.push(quote!(let mut params = params.clone(); #(#sets)*));
        calls.push(quote!(params));
    }
    let size_arg = size.as_ref().map(|(_, arg, _)| quote!(#arg: i64,));

    // The page's items, moved out of the body.
    let items = match p.items.as_slice() {
        [] => quote!(page),
        [field] => {
            let f = ident(&field.name);
            if field.optional {
                quote!(page.#f.unwrap_or_default())
            } else {
                quote!(page.#f)
            }
        }
        // Lowering takes the items from the body or one of its fields (extensions may
        // name deeper ones).
        deeper if deeper.iter().all(|f| !f.optional) => {
            let fields = deeper.iter().map(|f| ident(&f.name));
            quote!(page #(.#fields)*)
        }
        deeper => {
            let value = path_value(&FieldPath {
                steps: deeper.to_vec(),
                ty: TypeRef::Vec(Box::new(p.item.clone())),
            });
            quote!(#value.unwrap_or_default())
        }
    };
    let more = p.more.as_ref().map(|m| {
        let value = more_value(&m.path, m.last);
        quote!(let more = #value;)
    });
    let more_check = p.more.as_ref().map(|_| quote!(.filter(|_| more)));
    let (first, state_pattern, client_for_page, call, next) = match &p.next {
        PageNext::Offset { total, .. } | PageNext::Number { last: total, .. } => {
            let (start, advance) = match &p.next {
                PageNext::Number { first, .. } => (quote!(#first), quote!(#at + 1)),
                _ => (quote!(0), quote!(#at.saturating_add(items.len() as i64))),
            };
            // The first page's count is kept in the state: a count that grows with every
            // page cannot keep the stream going.
            let (keep_known, next) = match total {
                Some(path) => {
                    let value = int_value(path);
                    let is_number = matches!(p.next, PageNext::Number { .. });
                    let within = if is_number {
                        quote!(|end| next <= end)
                    } else {
                        quote!(|end| next < end)
                    };
                    (
                        quote!(let #known = #known.or(#value);),
                        quote!(#known.is_none_or(#within).then_some((next, #known))),
                    )
                }
                None => (quote!(), quote!(Some((next, #known)))),
            };
            (
                quote!((#start, None::<i64>)),
                quote!((#at, #known): (i64, Option<i64>)),
                quote!(),
                quote!(client.#plain),
                quote! {
                    #keep_known
                    let next = #advance;
                    let next = #next #more_check;
                },
            )
        }
        PageNext::Cursor { token, .. } => {
            let value = token_next(token);
            let ty = arg_type_owned(&op.params[state_param.map_or(0, |s| s.index)].ty);
            (
                quote!(None::<#ty>),
                quote!(#at: Option<#ty>),
                quote!(),
                quote!(client.#plain),
                quote!(let next = #value #more_check;),
            )
        }
        PageNext::LastId { id, param } => {
            let f = ident(&id.name);
            // The id has the parameter's type: an integer is copied, a string cloned.
            let value = if op.params[param.index].ty == TypeRef::String {
                quote!(i.#f.clone())
            } else {
                quote!(i.#f)
            };
            let last = if id.optional {
                quote!(items.last().and_then(|i| #value))
            } else {
                quote!(items.last().map(|i| #value))
            };
            let ty = arg_type_owned(&op.params[state_param.map_or(0, |s| s.index)].ty);
            (
                quote!(None::<#ty>),
                quote!(#at: Option<#ty>),
                quote!(),
                quote!(client.#plain),
                quote!(let next = #last.map(Some) #more_check;),
            )
        }
        PageNext::Link { .. } => (
            quote!(None::<String>),
            quote!(#at: Option<String>),
            quote!(let client = match &#at { Some(url) => Client { core: client.core.at_page(url) }, None => client.clone() };),
            quote!(client.#with_response),
            quote!(let next = next.map(Some) #more_check;),
        ),
        PageNext::NextUrl { url, .. } => {
            let value = url_next(url);
            (
                quote!(None::<String>),
                quote!(#at: Option<String>),
                quote!(let client = match &#at { Some(url) => Client { core: client.core.at_page(url) }, None => client.clone() };),
                quote!(client.#plain),
                quote!(let next = #value #more_check;),
            )
        }
    };
    let client_for_page = if client_for_page.is_empty() {
        quote!(let client = client.clone();)
    } else {
        client_for_page
    };
    let receive = if matches!(p.next, PageNext::Link { .. }) {
        quote! {
            let response = #call(#(#calls),*).await?;
            let next = runtime::next_link(response.headers());
            let page = response.into_inner();
        }
    } else {
        quote!(let page = #call(#(#calls),*).await?;)
    };
    let counted = matches!(p.next, PageNext::Offset { .. } | PageNext::Number { .. });
    let short = p.short_page_ends;
    let size_doc = p
        .page_size
        .as_ref()
        .map(|s| format!(", requested `{}` at a time", s.arg))
        .unwrap_or_default();
    let doc = d.trusted_attrs(&format!(
        "Every item of [`{0}`](Self::{0}){1}.\n\n{2}\n\n\
         An error is yielded and ends the stream; so does a server that names a page already \
         read as the next one.",
        op.name,
        size_doc,
        page_rule(&p.next),
    ));
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated] #[allow(deprecated)]));
    // `self`, the arguments and the page size.
    let many_args = (args.len() + 1 + usize::from(size.is_some()) > 7)
        .then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #deprecated
        #many_args
        pub fn #stream_name(&self, #(#args,)* #size_arg)
            -> impl ::futures_core::Stream<Item = Result<#item, runtime::Error<types::#error_type>>> + Send + 'static
        {
            let client = self.clone();
            #(#owned)*
            runtime::pages(#first, runtime::Paging { counted: #counted, short_page_ends: #short }, move |#state_pattern| {
                #client_for_page
                #(#per_page)*
                async move {
                    #receive
                    let items: Vec<#item> = #items;
                    #more
                    #next
                    Ok(runtime::Page { items, next })
                }
            })
        }
    }
}

/// How a stream's pages are asked for and end, for its docs.
fn page_rule(next: &PageNext) -> &'static str {
    match next {
        PageNext::Offset { total: Some(_), .. } => {
            "Pages are asked for by offset until the total the first page reports is reached or a page comes back empty."
        }
        PageNext::Offset { total: None, .. } => {
            "Pages are asked for by offset until a page comes back empty."
        }
        PageNext::Number { .. } => {
            "Pages are asked for by number until the page count the first page reports is reached, a page comes back empty, or a page is shorter than the ones before."
        }
        PageNext::Cursor { .. } => {
            "Each page's cursor asks for the next, until a page has none or comes back empty."
        }
        PageNext::LastId { .. } => {
            "The last item's id asks for the next page, until a page comes back empty or says it is the last."
        }
        PageNext::Link { .. } => {
            "Each page's `Link` header's `next` URL is followed (on the client's base URL's server only), until a page has none or comes back empty."
        }
        PageNext::NextUrl { .. } => {
            "Each page's next-page URL is followed (on the client's base URL's server only), until a page has none or comes back empty."
        }
    }
}

/// The parameter at `index` given `value` (an `i64`), narrowed (saturating) when it is
/// declared `int32`.
fn narrowed(op: &Operation, index: usize, value: TokenStream) -> TokenStream {
    if op.params[index].ty == TypeRef::I32 {
        quote!(i32::try_from(#value).unwrap_or(i32::MAX))
    } else {
        value
    }
}

/// The owned Rust type a stream keeps a cursor in.
fn arg_type_owned(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        other => type_tokens(other, Scope::Client),
    }
}

/// How a field at a [`FieldPath`] is reached from `page`.
enum Access {
    /// Every field on the way is required: a place expression of the value.
    Place(TokenStream),
    /// The last field is the first optional one: a place expression of its `Option`.
    OptionPlace(TokenStream),
    /// An optional field before the last: an `Option<&T>` expression.
    Ref(TokenStream),
}

fn access(path: &FieldPath) -> Access {
    let mut place = quote!(page);
    let mut reference: Option<TokenStream> = None;
    let last = path.steps.len().saturating_sub(1);
    for (i, step) in path.steps.iter().enumerate() {
        let f = ident(&step.name);
        reference = Some(match reference.take() {
            None if !step.optional => {
                place = quote!(#place.#f);
                continue;
            }
            None if i == last => return Access::OptionPlace(quote!(#place.#f)),
            None => quote!(#place.#f.as_ref()),
            Some(r) if step.optional => quote!(#r.and_then(|v| v.#f.as_ref())),
            Some(r) => quote!(#r.map(|v| &v.#f)),
        });
    }
    match reference {
        None => Access::Place(place),
        Some(r) => Access::Ref(r),
    }
}

/// Whether a path's value is `Copy` (the integers and booleans the rules read).
fn is_copy(path: &FieldPath) -> bool {
    matches!(path.ty, TypeRef::I32 | TypeRef::I64 | TypeRef::Bool)
}

/// The value at `path` in `page`, as an `Option` of an owned value: moved or copied out
/// while every field on the way is required, cloned out of `Option<&_>` after that.
fn path_value(path: &FieldPath) -> TokenStream {
    owned(access(path), is_copy(path))
}

/// [`path_value`] of an integer field, widened to `i64` (no `map` on a `Some(..)`, which
/// clippy flags).
fn int_value(path: &FieldPath) -> TokenStream {
    if path.ty != TypeRef::I32 {
        return path_value(path);
    }
    match access(path) {
        Access::Place(p) => quote!(Some(i64::from(#p))),
        Access::OptionPlace(p) => quote!(#p.map(i64::from)),
        Access::Ref(r) => quote!(#r.copied().map(i64::from)),
    }
}

/// Whether more pages follow, by a boolean at `path` (`last`: it says this is the last);
/// an absent flag says nothing.
fn more_value(path: &FieldPath, last: bool) -> TokenStream {
    match (access(path), last) {
        (Access::Place(p), false) => quote!(#p),
        (Access::Place(p), true) => quote!(!#p),
        (Access::OptionPlace(p), false) => quote!(#p != Some(false)),
        (Access::OptionPlace(p), true) => quote!(#p != Some(true)),
        (Access::Ref(r), false) => quote!(#r != Some(&false)),
        (Access::Ref(r), true) => quote!(#r != Some(&true)),
    }
}

/// The next page's state from a token at `path`: `Some(Some(token))`, `None` when it is
/// absent (or, for a string, empty).
fn token_next(path: &FieldPath) -> TokenStream {
    let text = path.ty == TypeRef::String;
    match (access(path), text) {
        (Access::Place(p), true) => quote!((!#p.is_empty()).then(|| Some(#p.clone()))),
        (Access::Place(p), false) => quote!(Some(Some(#p))),
        (access, true) => {
            let value = owned(access, false);
            quote!(#value.filter(|t| !t.is_empty()).map(Some))
        }
        (access, false) => {
            let value = owned(access, true);
            quote!(#value.map(Some))
        }
    }
}

/// The next page's state from a URL at `path` (a string, or a typed URL's text).
fn url_next(path: &FieldPath) -> TokenStream {
    let text = path.ty == TypeRef::String;
    let to_text = if text {
        quote!(clone())
    } else {
        quote!(to_string())
    };
    let value = match (access(path), text) {
        (Access::Place(p), _) => {
            return quote!((!#p.as_str().is_empty()).then(|| Some(#p.#to_text)));
        }
        (Access::OptionPlace(p), true) => quote!(#p.clone()),
        (Access::OptionPlace(p), false) => quote!(#p.as_ref().map(|u| u.#to_text)),
        (Access::Ref(r), true) => quote!(#r.cloned()),
        (Access::Ref(r), false) => quote!(#r.map(|u| u.#to_text)),
    };
    quote!(#value.filter(|u| !u.is_empty()).map(Some))
}

/// An `Option` of the owned value behind an access.
fn owned(access: Access, copy: bool) -> TokenStream {
    match (access, copy) {
        (Access::Place(p), true) => quote!(Some(#p)),
        (Access::Place(p), false) => quote!(Some(#p.clone())),
        (Access::OptionPlace(p), true) => p,
        (Access::OptionPlace(p), false) => quote!(#p.clone()),
        (Access::Ref(r), true) => quote!(#r.copied()),
        (Access::Ref(r), false) => quote!(#r.cloned()),
    }
}

fn path_expr(op: &Operation) -> TokenStream {
    let pieces: Vec<TokenStream> = op
        .path_segments
        .iter()
        .map(|seg| match seg {
            PathSegment::Literal(text) => quote!(#text),
            PathSegment::Param(index) => {
                let Some(p) = op.params.get(*index) else {
                    // Lowering builds segments from the parameters it lists.
                    let message = format!("internal error: path parameter {index} is not listed");
                    return quote!(compile_error!(#message));
                };
                let segment = path_segment(p);
                quote!(#segment?.as_str())
            }
        })
        .collect();
    match pieces.as_slice() {
        [] => quote!(String::from("/")),
        [only] => quote!(String::from(#only)),
        _ => quote!([#(#pieces),*].concat()),
    }
}

/// How a path parameter's value becomes the text of its segment: the one decision both the
/// client method ([`path_segment`]) and the mock's setter (`mock::setter`) follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PathForm {
    /// A `content` parameter: JSON text (fallible).
    Json,
    /// An object or array: the runtime's `simple_value` (fallible).
    Styled,
    /// A string, used as it is.
    Str,
    /// Any other scalar: its `to_string`.
    Display,
}

impl PathForm {
    /// Whether encoding can fail (the expression ends in `?`).
    pub(super) fn fallible(self) -> bool {
        matches!(self, PathForm::Json | PathForm::Styled)
    }
}

pub(super) fn path_form(p: &Param) -> PathForm {
    match (p.encoding, &p.ty) {
        (ParamEncoding::Json, _) => PathForm::Json,
        (ParamEncoding::Styled(_), _) => PathForm::Styled,
        (ParamEncoding::Simple, TypeRef::String) => PathForm::Str,
        (ParamEncoding::Simple, _) => PathForm::Display,
    }
}

/// The encoded path segment of path parameter `p` (bound to its own name), as a
/// `Result` whose error is the runtime's `SendError`.
pub(super) fn path_segment(p: &Param) -> TokenStream {
    let wire = &p.wire_name;
    let n = ident(&p.name);
    let explode = p.explode;
    // Scalars arrive by value, the rest by reference.
    let serde_arg = if is_by_value(&p.ty) {
        quote!(&#n)
    } else {
        quote!(#n)
    };
    let value = match path_form(p) {
        PathForm::Json => quote!(&runtime::json_param(#wire, #serde_arg)?),
        PathForm::Styled => quote!(&runtime::simple_value(#wire, #serde_arg, #explode)?),
        PathForm::Str => quote!(#n),
        PathForm::Display if matches!(p.ty, TypeRef::Format(_)) => {
            quote!(&runtime::format_text(#n))
        }
        PathForm::Display => quote!(&#n.to_string()),
    };
    quote!(runtime::path_segment(#wire, #value))
}

/// The form body of `body` (bound as `body`), as the runtime's `Result<Option<Body>, _>`.
pub(super) fn form_body(b: &RequestBody) -> TokenStream {
    let fields = b.form_fields.iter().map(|f| {
        let name = &f.name;
        let style = style_tokens(f.style);
        let explode = f.explode;
        quote!(runtime::Field { name: #name, style: #style, explode: #explode })
    });
    let body = body_ref(&b.body.ty);
    quote!(runtime::form_body(#body, &[#(#fields),*]))
}

/// The body argument as the runtime's serde helpers take it (`&T`): a scalar is passed to
/// the method by value (see [`arg_type`]), so it is borrowed here; everything else already
/// is a reference.
pub(super) fn body_ref(ty: &TypeRef) -> TokenStream {
    if is_by_value(ty) {
        quote!(&body)
    } else {
        quote!(body)
    }
}

/// How a query, header or cookie parameter's value is written: the one decision both the
/// client method ([`push_param`]) and the mock's setter (`mock::setter`) follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ParamForm {
    /// A `content` parameter: JSON text.
    Json,
    /// An object or delimited array in the query: the runtime's `query_param` by style.
    QueryStyled(Style),
    /// An object or array in a header or cookie: the runtime's `simple_value`.
    SimpleStyled,
    /// An array of scalars in the query, exploded: one pair per item.
    Repeat,
    /// An array of scalars otherwise: the items comma-joined.
    Join,
    /// A scalar's text.
    Scalar,
}

pub(super) fn param_form(p: &Param) -> ParamForm {
    match (p.encoding, &p.ty) {
        (ParamEncoding::Json, _) => ParamForm::Json,
        (ParamEncoding::Styled(style), _) if p.location == ParamLocation::Query => {
            ParamForm::QueryStyled(style)
        }
        (ParamEncoding::Styled(_), _) => ParamForm::SimpleStyled,
        (ParamEncoding::Simple, TypeRef::Vec(_))
            if p.explode && p.location == ParamLocation::Query =>
        {
            ParamForm::Repeat
        }
        (ParamEncoding::Simple, TypeRef::Vec(_)) => ParamForm::Join,
        (ParamEncoding::Simple, _) => ParamForm::Scalar,
    }
}

/// Pushes a query pair or header for one parameter.
pub(super) fn push_param(p: &Param) -> TokenStream {
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
    // `text` is a `String` already; `value` is anything with `to_string`.
    let push_text = |text: TokenStream| match p.location {
        ParamLocation::Cookie => {
            quote!(#target.push(("cookie", runtime::cookie_pair(#wire, &#text)));)
        }
        ParamLocation::Query => quote!(query.push((#wire.into(), #text));),
        _ => quote!(#target.push((#wire, #text));),
    };
    // A cookie value is borrowed (`cookie_pair` encodes it into the header's text), so a
    // string goes as it is; anything else needs its text first.
    let push_one = |value: TokenStream| match p.location {
        ParamLocation::Cookie if p.ty == TypeRef::String => {
            quote!(#target.push(("cookie", runtime::cookie_pair(#wire, #value)));)
        }
        _ => push_text(text_of(p.ty.strip_vec(), &value)),
    };
    // A reference for serde: scalars arrive by value unless borrowed from `params`.
    let serde_arg = if !p.grouped && is_by_value(&p.ty) {
        quote!(&value)
    } else {
        quote!(value)
    };
    let explode = p.explode;
    let push = match param_form(p) {
        ParamForm::Json => push_text(quote!(runtime::json_param(#wire, #serde_arg)?)),
        ParamForm::QueryStyled(style) => {
            let style = style_tokens(style);
            quote!(runtime::query_param(&mut query, #wire, #serde_arg, #style, #explode)?;)
        }
        ParamForm::SimpleStyled => {
            push_text(quote!(runtime::simple_value(#wire, #serde_arg, #explode)?))
        }
        ParamForm::Repeat => {
            let one = push_one(quote!(value));
            quote!(for value in values { #one })
        }
        ParamForm::Join => {
            let text = if matches!(p.ty.strip_vec(), TypeRef::Format(_)) {
                quote!(runtime::format_text)
            } else {
                quote!(|v| v.to_string())
            };
            push_text(quote!(
                values
                    .iter()
                    .map(#text)
                    .collect::<Vec<_>>()
                    .join(",")
            ))
        }
        ParamForm::Scalar => push_one(quote!(value)),
    };
    let binding = if matches!(p.ty, TypeRef::Vec(_)) && p.encoding == ParamEncoding::Simple {
        quote!(values)
    } else {
        quote!(value)
    };
    if p.required {
        quote! { { let #binding = #n; #push } }
    } else {
        quote! { if let Some(#binding) = #n { #push } }
    }
}

/// The text of a scalar parameter's value (`value`, of type `ty`, or a reference to it):
/// a typed format's as the runtime writes it, anything else's `to_string`.
pub(super) fn text_of(ty: &TypeRef, value: &TokenStream) -> TokenStream {
    if matches!(ty, TypeRef::Format(_)) {
        quote!(runtime::format_text(#value))
    } else {
        quote!(#value.to_string())
    }
}

/// Whether an argument of this type is passed by value (see `arg_type`).
pub(super) fn is_by_value(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    )
}

/// A multipart body built part by part from the operation's form struct (`body`).
fn multipart_body(form: &MultipartForm) -> TokenStream {
    let parts = form.fields.iter().map(|f| {
        let n = ident(&f.name);
        let wire = &f.wire;
        let content_type = match &f.content_type {
            Some(t) => quote!(Some(#t)),
            None => quote!(None),
        };
        // `value` is one item: a reference to the field, or to an element of it.
        let (add, many) = match &f.kind {
            PartKind::File => (quote!(form.file(#wire, value, #content_type);), false),
            PartKind::Files => (quote!(form.file(#wire, value, #content_type);), true),
            PartKind::Text(_) => (quote!(form.text(#wire, value);), false),
            PartKind::Texts(_) => (quote!(form.text(#wire, value);), true),
            PartKind::Json(_) => (quote!(form.json(#wire, value, #content_type)?;), false),
        };
        let add = if many {
            quote!(for value in values { #add })
        } else {
            add
        };
        let binding = if many { quote!(values) } else { quote!(value) };
        if f.required {
            quote! { { let #binding = &body.#n; #add } }
        } else {
            quote! { if let Some(#binding) = &body.#n { #add } }
        }
    });
    quote!(runtime::Body::Multipart({
        let mut form = runtime::Multipart::new();
        #(#parts)*
        form
    }))
}

/// The runtime's name for a serialization style (`runtime::Style::{name}`): the one table
/// the client's tokens and the mock's text are both written from.
pub(super) fn style_name(style: Style) -> &'static str {
    match style {
        Style::Form => "Form",
        Style::SpaceDelimited => "SpaceDelimited",
        Style::PipeDelimited => "PipeDelimited",
        Style::DeepObject => "DeepObject",
    }
}

pub(super) fn style_tokens(style: Style) -> TokenStream {
    let name = ident(style_name(style));
    quote!(runtime::Style::#name)
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

/// Statuses as one pattern, consecutive codes as a range (`200..=202`, not
/// `200 | 201 | 202`, which is clippy's `manual_range_patterns`).
fn codes_pattern(statuses: &[StatusMatch]) -> TokenStream {
    let mut codes: Vec<u16> = statuses
        .iter()
        .filter_map(|s| match s {
            StatusMatch::Code(c) => Some(*c),
            _ => None,
        })
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut pieces: Vec<TokenStream> = Vec::new();
    let mut i = 0;
    while i < codes.len() {
        let mut j = i;
        while j + 1 < codes.len() && codes[j + 1] == codes[j] + 1 {
            j += 1;
        }
        let a = proc_macro2::Literal::u16_unsuffixed(codes[i]);
        if j > i {
            let b = proc_macro2::Literal::u16_unsuffixed(codes[j]);
            pieces.push(quote!(#a..=#b));
        } else {
            pieces.push(quote!(#a));
        }
        i = j + 1;
    }
    pieces.extend(
        statuses
            .iter()
            .filter(|s| !matches!(s, StatusMatch::Code(_)))
            .map(|s| status_pattern(*s)),
    );
    quote!(#(#pieces)|*)
}

/// A status range (`5XX`) less the codes documented on their own, which have arms before
/// it: `500..=502 | 504..=599` beside `503`. Overlapping arms would be right (the first
/// wins) but are clippy's `match_overlapping_arm`.
fn range_pattern(first_digit: u16, explicit: &[u16]) -> TokenStream {
    let (lo, hi) = (first_digit * 100, first_digit * 100 + 99);
    let mut taken: Vec<u16> = explicit
        .iter()
        .copied()
        .filter(|c| (lo..=hi).contains(c))
        .collect();
    taken.sort_unstable();
    taken.dedup();
    let mut pieces = Vec::new();
    let mut start = lo;
    for code in taken.into_iter().chain([hi + 1]) {
        if code > start {
            let (a, b) = (start, code - 1);
            let a_lit = proc_macro2::Literal::u16_unsuffixed(a);
            let b_lit = proc_macro2::Literal::u16_unsuffixed(b);
            pieces.push(if a == b {
                quote!(#a_lit)
            } else {
                quote!(#a_lit..=#b_lit)
            });
        }
        start = code + 1;
    }
    // Every code of the range documented on its own: the range arm can never match.
    if pieces.is_empty() {
        return quote!(_ if false);
    }
    quote!(#(#pieces)|*)
}

fn decode(body: Option<&Body>) -> TokenStream {
    match body.map(|b| b.encoding) {
        None => quote!(()),
        Some(
            BodyEncoding::Json
            | BodyEncoding::Form
            | BodyEncoding::Multipart
            | BodyEncoding::MultipartParts,
        ) => {
            quote!(runtime::decode_json(response)?)
        }
        Some(BodyEncoding::Text) => quote!(runtime::decode_text(response)),
        Some(BodyEncoding::Bytes) => quote!(response.body.to_vec()),
    }
}

fn success_arm(op: &Operation) -> TokenStream {
    let any_2xx = op.success.statuses.is_empty()
        || op
            .success
            .statuses
            .iter()
            .any(|s| matches!(s, StatusMatch::Range(2) | StatusMatch::Default));
    let pattern = if any_2xx {
        quote!(200..=299)
    } else {
        codes_pattern(&op.success.statuses)
    };
    let value = match op.success.body.as_ref().map(|b| b.encoding) {
        Some(
            BodyEncoding::Json
            | BodyEncoding::Form
            | BodyEncoding::Multipart
            | BodyEncoding::MultipartParts,
        ) => {
            quote!(runtime::decode_json(response))
        }
        _ => {
            let value = decode(op.success.body.as_ref());
            quote!(Ok(#value))
        }
    };
    quote!(#pattern => #value,)
}

fn op_has_default_error(op: &Operation) -> bool {
    op.errors.iter().any(|v| v.status == StatusMatch::Default)
}

fn error_arms(op: &Operation, error_type: &proc_macro2::Ident) -> Vec<TokenStream> {
    let explicit: Vec<u16> = op
        .errors
        .iter()
        .filter_map(|v| match v.status {
            StatusMatch::Code(c) => Some(c),
            _ => None,
        })
        .collect();
    error_values(op, error_type)
        .into_iter()
        .map(|(status, error)| {
            let pattern = match status {
                StatusMatch::Range(d) => range_pattern(d, &explicit),
                other => status_pattern(other),
            };
            quote! {
                #pattern => Err(runtime::api_error(response, #error)),
            }
        })
        .collect()
}

/// Each documented error status with the expression of its error value: exact codes
/// before ranges before `default`, whatever order the spec lists them in.
fn error_values(
    op: &Operation,
    error_type: &proc_macro2::Ident,
) -> Vec<(StatusMatch, TokenStream)> {
    let mut variants: Vec<_> = op.errors.iter().collect();
    variants.sort_by_key(|v| v.status);
    variants
        .into_iter()
        .map(|v| {
            let vname = ident(&v.name);
            let error = match &v.body {
                None => quote!(types::#error_type::#vname),
                Some(b) => {
                    let value = decode(Some(b));
                    quote!(types::#error_type::#vname(#value))
                }
            };
            (v.status, error)
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
    // Sent without credentials of the client's own: say so, with the way to add them.
    let unapplied = (!op.unapplied_security.is_empty()).then(|| {
        let names: Vec<String> = op
            .unapplied_security
            .iter()
            .map(|n| format!("`{n}`"))
            .collect();
        format!(
            "Authentication: the API documents {}, which the client cannot apply, so it sends no credentials here; add them with `with_header` or on the reqwest client given to `with_reqwest_client`.",
            names.join(" or ")
        )
    });
    let http = format!("`{} {}`", op.method.as_str(), op.path);
    super::docs::paragraphs([
        op.summary.as_deref(),
        op.description.as_deref(),
        rate.as_deref(),
        unapplied.as_deref(),
        params.as_deref(),
        Some(http.as_str()),
    ])
}

/// The redirect statuses an operation documents (a `3XX` range documents them all): its
/// method returns those, and the runtime follows the others.
pub(super) fn redirects(op: &Operation) -> Vec<u16> {
    const FOLLOWED: [u16; 5] = [301, 302, 303, 307, 308];
    let statuses = op
        .success
        .statuses
        .iter()
        .chain(op.errors.iter().map(|e| &e.status));
    let mut documented: Vec<u16> = Vec::new();
    for status in statuses {
        let codes: &[u16] = match status {
            StatusMatch::Code(code) if FOLLOWED.contains(code) => std::slice::from_ref(code),
            StatusMatch::Range(3) => &FOLLOWED,
            _ => &[],
        };
        documented.extend(codes);
    }
    documented.sort_unstable();
    documented.dedup();
    documented
}

/// The `Content-Type` of a JSON request body documented as `media`: itself, except `*/*`,
/// which names no type to send.
fn json_content_type(media: &str) -> &str {
    if media == "*/*" {
        "application/json"
    } else {
        media
    }
}

/// The `Accept` an operation's requests send: the media types its documented responses
/// are read as, the success body's first, each once; `None` when no response has a body.
pub(super) fn accept(op: &Operation) -> Option<String> {
    let mut types: Vec<&str> = Vec::new();
    let bodies = op
        .success
        .body
        .iter()
        .chain(op.errors.iter().filter_map(|e| e.body.as_ref()));
    for body in bodies {
        let media = body.media_type.as_str();
        // Once per type, parameters aside (`application/json; charset=utf-8` is JSON);
        // a media type that is no valid header text is left out rather than failing
        // every call.
        let essence = |m: &str| {
            m.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        };
        let valid = media
            .bytes()
            .all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic());
        if valid && !types.iter().any(|t| essence(t) == essence(media)) {
            types.push(media);
        }
    }
    (!types.is_empty()).then(|| types.join(", "))
}
