//! Paths and operations → client methods: names, parameters, bodies, responses, auth and
//! documented rate limits.

use super::{Lowerer, ref_name};
use crate::error::{WarningKind, push_pointer};
use crate::ir::{
    Body, BodyEncoding, ErrorVariant, ItemDecode, ItemStream, Method, Operation, Param,
    ParamEncoding, ParamLocation, PathSegment, RateLimit, RequestBody, StatusMatch, StreamKind,
    Style, Success, TypeRef,
};
use crate::naming::{self, Namespace};
use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr, Response,
    StatusCode,
};
use std::collections::BTreeMap;

/// Most optional parameters a method takes as separate arguments.
const MAX_OPTIONAL_ARGS: usize = 3;

/// The namespaces companion names are taken from, shared by every operation.
struct Names {
    /// Client methods: holds every operation's settled name from the start.
    methods: Namespace,
    /// Variants of the `Operation` enum.
    variants: Namespace,
}

/// An operation with its name not yet settled.
struct Found<'a> {
    path: &'a str,
    method: Method,
    op: &'a openapiv3::Operation,
    item: &'a PathItem,
    /// JSON pointer of the path item.
    item_pointer: String,
    pointer: String,
    preferred: String,
    fallback: String,
}

impl<'a> Lowerer<'a> {
    pub(super) fn operations(&mut self) -> Vec<Operation> {
        let found = self.find_operations();
        let (names, method_names) = settle_names(
            &found,
            &self.config.names.operations,
            &mut self.config_errors,
        );
        let mut names_left = Names {
            methods: method_names,
            variants: Namespace::camel(),
        };
        let mut out = Vec::with_capacity(found.len());
        for (f, name) in found.iter().zip(names) {
            out.push(self.operation(f, name, &mut names_left));
        }
        out
    }

    /// Path keys a server cannot tell apart: one with a `#fragment`, which HTTP never
    /// sends, so its requests are those of the path without it; and templates that differ
    /// only in their parameters' names, which OpenAPI says MUST NOT exist ("they are
    /// identical"). The client calls each as written; the warning says why a server (or a
    /// validator such as Prism) may take a request for the other operation.
    fn warn_indistinct_paths(&mut self) {
        let mut shapes: BTreeMap<String, &'a str> = BTreeMap::new();
        for path in self.doc.paths.paths.keys() {
            let pointer = push_pointer("#/paths", path);
            let bare = path.split('#').next().unwrap_or(path);
            if bare.len() < path.len() {
                self.warn(
                    WarningKind::InvalidValue,
                    &pointer,
                    format!(
                        "the path carries a fragment, which a request never does: the client sends `{}`, which a server cannot tell from that path's own operations",
                        crate::error::clipped(bare)
                    ),
                );
            }
            let shape = crate::ir::path_shape(bare);
            match shapes.get(&shape) {
                Some(first) if first.split('#').next() != Some(bare) => {
                    let first = *first;
                    self.warn(
                        WarningKind::InvalidValue,
                        &pointer,
                        format!(
                            "the template is `{}` but for its parameters' names; OpenAPI says such paths MUST NOT exist, and a server cannot tell their requests apart",
                            crate::error::clipped(first)
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    shapes.insert(shape, path.as_str());
                }
            }
        }
    }

    fn find_operations(&mut self) -> Vec<Found<'a>> {
        let mut found = Vec::new();
        // operationIds should be unique; a repeat keeps the first one's name and the others
        // are named from method and path, with a warning naming both.
        let mut ids: BTreeMap<&'a str, String> = BTreeMap::new();
        let mut extra: BTreeMap<&'a str, Vec<&'a crate::spec::ExtraOperation>> = BTreeMap::new();
        for e in &self.spec.extra_operations {
            extra.entry(e.path.as_str()).or_default().push(e);
        }
        self.warn_indistinct_paths();
        for (path, item) in &self.doc.paths.paths {
            let path_pointer = push_pointer("#/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    // The load stage copies path items in place of their references, so one
                    // left here is one it could not resolve and has reported.
                    self.unresolved(
                        reference,
                        &path_pointer,
                        "path item",
                        "its operations are left out",
                    );
                    continue;
                }
            };
            let methods = [
                (Method::Get, &item.get),
                (Method::Put, &item.put),
                (Method::Post, &item.post),
                (Method::Delete, &item.delete),
                (Method::Options, &item.options),
                (Method::Head, &item.head),
                (Method::Patch, &item.patch),
                (Method::Trace, &item.trace),
            ];
            let standard = methods.into_iter().filter_map(|(method, op)| {
                let op = op.as_ref()?;
                let pointer = push_pointer(&path_pointer, &method.as_str().to_ascii_lowercase());
                Some((method, op, pointer))
            });
            let others = extra
                .get(path.as_str())
                .into_iter()
                .flatten()
                .filter_map(|e| {
                    let token = !e.method.is_empty()
                        && e.method
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                    // `additionalOperations` may not repeat a method that has a field of
                    // its own (the nine fixed ones, QUERY included).
                    let from_query_field = e.pointer.ends_with("/query");
                    let repeats_fixed = !from_query_field
                        && [
                            "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
                            "QUERY",
                        ]
                        .iter()
                        .any(|f| f.eq_ignore_ascii_case(&e.method));
                    (token && !repeats_fixed).then(|| {
                        (
                            Method::Other(e.method.clone()),
                            &e.operation,
                            e.pointer.clone(),
                        )
                    })
                });
            let all: Vec<(Method, &'a openapiv3::Operation, String)> =
                standard.chain(others).collect();
            for e in extra.get(path.as_str()).into_iter().flatten() {
                if !all.iter().any(|(_, _, p)| *p == e.pointer) {
                    self.warn(
                        WarningKind::InvalidValue,
                        &e.pointer,
                        format!(
                            "`{}` is not an HTTP method token, or repeats a method with a field of its own; the operation is left out",
                            crate::error::clipped(&e.method)
                        ),
                    );
                }
            }
            for (method, op, pointer) in all {
                let lower = method.as_str().to_ascii_lowercase();
                let from_path = naming::method_name_from_path(&lower, path);
                let mut id = op
                    .operation_id
                    .as_deref()
                    .filter(|id| !id.trim().is_empty());
                if let Some(given) = id {
                    if let Some(first) = ids.get(given) {
                        let first = first.clone();
                        self.warn(
                            WarningKind::DuplicateOperationId,
                            &push_pointer(&pointer, "operationId"),
                            format!("operationId `{given}` is already used by {first}; this operation is named from its method and path"),
                        );
                        id = None;
                    } else {
                        ids.insert(given, pointer.clone());
                    }
                }
                let (preferred, fallback) = match id {
                    Some(id) => (
                        naming::method_name(id, &lower, path),
                        naming::snake_name(id),
                    ),
                    None => (from_path.clone(), from_path),
                };
                found.push(Found {
                    path,
                    method,
                    op,
                    item,
                    item_pointer: path_pointer.clone(),
                    pointer,
                    preferred,
                    fallback,
                });
            }
        }
        found
    }

    /// Lowers one operation whose method name is settled, naming its companions (the
    /// `_with_response` and `_stream` methods, the `Operation` variant) from `names` as it
    /// goes: every primary name is settled before any operation is lowered, so a companion
    /// never takes a name an operation wanted.
    fn operation(&mut self, f: &Found<'a>, name: String, names: &mut Names) -> Operation {
        let op = f.op;
        // Companions are built on the name without the `_` a keyword gets (`type_` →
        // `type_with_response`): two underscores in a row are not snake case.
        let stem = name.trim_end_matches('_').to_string();
        let with_response_name = names.methods.unique(format!("{stem}_with_response"));
        let variant = names.variants.unique(naming::type_name(&name));
        for callback in op.callbacks.keys() {
            self.warn(
                WarningKind::NotGenerated,
                &push_pointer(&push_pointer(&f.pointer, "callbacks"), callback),
                "callbacks are requests the API sends to you; no client method is generated",
            );
        }
        let type_stem = naming::type_name(&name);

        // Parameters: path-level ones first, overridden by operation-level ones with the same
        // name and location.
        let mut declared: IndexMap<(String, &'static str), (&'a Parameter, String)> =
            IndexMap::new();
        let levels = [
            (
                &f.item.parameters,
                push_pointer(&f.item_pointer, "parameters"),
            ),
            (&op.parameters, push_pointer(&f.pointer, "parameters")),
        ];
        for (params, base) in levels {
            for (i, p) in params.iter().enumerate() {
                let pointer = push_pointer(&base, &i.to_string());
                let Some(param) = self.resolve_parameter(p, &pointer) else {
                    continue;
                };
                let data = param.parameter_data_ref();
                // The client sets these headers itself; OpenAPI says such parameter
                // definitions are ignored.
                if matches!(param, Parameter::Header { .. })
                    && ["accept", "content-type", "authorization"]
                        .contains(&data.name.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                declared.insert((data.name.clone(), location_key(param)), (param, pointer));
            }
        }

        // The generated method's own locals are taken, so no argument can shadow them.
        let mut arg_names = Namespace::with_reserved(&[
            "self", "body", "params", "client", "path", "query", "headers", "request", "response",
            "value", "values", "map", "form",
        ]);
        let mut params = Vec::new();
        let mut path_segments = Vec::new();
        // Path parameters in template order.
        for piece in split_template(f.path) {
            match piece {
                TemplatePiece::Literal(text) => {
                    path_segments.push(PathSegment::Literal(text.to_string()))
                }
                TemplatePiece::Param(wire) => {
                    let rust = arg_names.unique(naming::snake_name(wire));
                    let (ty, encoding, explode, doc) = match declared
                        .shift_remove(&(wire.to_string(), "path"))
                    {
                        Some((param, pointer)) => {
                            let data = param.parameter_data_ref();
                            if let Parameter::Path { style, .. } = param
                                && *style != openapiv3::PathStyle::Simple
                            {
                                self.warn(
                                    WarningKind::RawEncoding,
                                    &push_pointer(&pointer, "style"),
                                    format!(
                                        "path style `{}` is not supported; the value is sent as `simple` (without its prefix)",
                                        if *style == openapiv3::PathStyle::Label { "label" } else { "matrix" }
                                    ),
                                );
                            }
                            let (ty, encoding) = self.param_encoding(
                                data,
                                ParamLocation::Path,
                                Style::Form,
                                &type_stem,
                                &pointer,
                            );
                            (
                                ty,
                                encoding,
                                data.explode.unwrap_or(false),
                                non_empty(&data.description),
                            )
                        }
                        None => {
                            self.warn(
                                WarningKind::MissingField,
                                &f.pointer,
                                format!(
                                    "path parameter `{wire}` is not declared; taking it as a string"
                                ),
                            );
                            (TypeRef::String, ParamEncoding::Simple, false, None)
                        }
                    };
                    path_segments.push(PathSegment::Param(params.len()));
                    params.push(Param {
                        name: rust,
                        wire_name: wire.to_string(),
                        location: ParamLocation::Path,
                        ty,
                        required: true,
                        grouped: false,
                        encoding,
                        explode,
                        doc,
                    });
                }
            }
        }
        for ((wire, loc), (param, pointer)) in declared {
            let location = match loc {
                "query" => ParamLocation::Query,
                "header" => ParamLocation::Header,
                "cookie" => ParamLocation::Cookie,
                _ => {
                    self.warn(
                        WarningKind::Other,
                        &pointer,
                        format!(
                            "path parameter `{wire}` does not appear in the path; it is not sent"
                        ),
                    );
                    continue;
                }
            };
            let data = param.parameter_data_ref();
            let style = match param {
                Parameter::Query { style, .. } => match style {
                    QueryStyle::Form => Style::Form,
                    QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                    QueryStyle::PipeDelimited => Style::PipeDelimited,
                    QueryStyle::DeepObject => Style::DeepObject,
                },
                _ => Style::Form,
            };
            // OpenAPI's default: `form` explodes; the other styles (and headers) do not.
            let explode = data
                .explode
                .unwrap_or(location != ParamLocation::Header && style == Style::Form);
            let (ty, encoding) = self.param_encoding(data, location, style, &type_stem, &pointer);
            params.push(Param {
                name: arg_names.unique(naming::snake_name(&wire)),
                wire_name: wire,
                location,
                ty,
                required: data.required,
                grouped: false,
                encoding,
                explode,
                doc: non_empty(&data.description),
            });
        }

        let body = match &op.request_body {
            None => None,
            Some(rb) => {
                let pointer = push_pointer(&f.pointer, "requestBody");
                match self.resolve_request_body(rb, &pointer) {
                    Some((rb, pointer)) => self.request_body(rb, &type_stem, &pointer),
                    None => Some(RequestBody {
                        required: true,
                        body: any_json(),
                        doc: None,
                        form_fields: Vec::new(),
                        multipart: None,
                    }),
                }
            }
        };

        // Past a handful of optional parameters, positional `None`s stop being readable and
        // adding one more parameter to the spec would break every caller; group them.
        let optional = params
            .iter()
            .filter(|p| !p.required && p.location != ParamLocation::Path)
            .count();
        let params_struct = (optional > MAX_OPTIONAL_ARGS).then(|| {
            for p in params
                .iter_mut()
                .filter(|p| !p.required && p.location != ParamLocation::Path)
            {
                p.grouped = true;
            }
            self.type_names.unique(format!("{type_stem}Params"))
        });

        let (success, error_variants) = self.responses(op, &type_stem, &f.pointer);
        let error_type = self.type_names.unique(format!("{type_stem}Error"));

        let list = super::pagination::List {
            op,
            params: &params,
            success: &success,
            has_body: body.is_some(),
            link_header: super::pagination::declares_link(self.doc, op),
            starts: super::pagination::starts(f.item, op),
            pointer: &f.pointer,
        };
        let pagination = self.pagination(list, || names.methods.unique(format!("{stem}_stream")));
        let mut item_stream = self.item_stream(op, &type_stem, &f.pointer, || {
            let twin = if pagination.is_some() {
                "events"
            } else {
                "stream"
            };
            names.methods.unique(format!("{stem}_{twin}"))
        });
        if let Some(stream) = &mut item_stream {
            stream.stream_flag = self.stream_flag(body.as_ref());
        }
        // A binary response can be read chunk by chunk.
        if item_stream.is_none()
            && let Some(b) = &success.body
            && b.encoding == BodyEncoding::Bytes
        {
            let twin = if pagination.is_some() {
                "bytes"
            } else {
                "stream"
            };
            item_stream = Some(ItemStream {
                name: names.methods.unique(format!("{stem}_{twin}")),
                kind: StreamKind::Bytes,
                media_type: b.media_type.clone(),
                item: TypeRef::Bytes,
                decode: ItemDecode::Any,
                json_alternative: false,
                stream_flag: None,
            });
        }
        let requirements = self
            .requirements(op.security.as_ref(), &push_pointer(&f.pointer, "security"))
            .or_else(|| self.default_security.clone())
            .unwrap_or_default();
        let (security, unapplied_security) = (requirements.alternatives, requirements.unapplied);
        Operation {
            with_response_name,
            variant,
            pagination,
            item_stream,
            name,
            operation_id: op.operation_id.clone(),
            method: f.method.clone(),
            path: f.path.to_string(),
            path_segments,
            source: f.pointer.clone(),
            summary: non_empty(&op.summary),
            description: non_empty(&op.description),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            rate_limit: rate_limit(op),
            idempotency_header: idempotency_header(&params),
            security,
            unapplied_security,
            params,
            params_struct,
            body,
            success,
            error_type,
            errors: error_variants,
        }
    }

    fn resolve_parameter(
        &mut self,
        p: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<&'a Parameter> {
        match p {
            ReferenceOr::Item(p) => Some(p),
            ReferenceOr::Reference { reference } => {
                let found = ref_name(reference, "parameters")
                    .and_then(|n| self.doc.components.as_ref()?.parameters.get(&n))
                    .and_then(|p| p.as_item());
                if found.is_none() {
                    self.unresolved(reference, pointer, "parameter", "the parameter is left out");
                }
                found
            }
        }
    }

    fn resolve_request_body(
        &mut self,
        rb: &'a ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
    ) -> Option<(&'a openapiv3::RequestBody, String)> {
        match rb {
            ReferenceOr::Item(rb) => Some((rb, pointer.to_string())),
            ReferenceOr::Reference { reference } => {
                let found = ref_name(reference, "requestBodies").and_then(|n| {
                    let rb = self
                        .doc
                        .components
                        .as_ref()?
                        .request_bodies
                        .get(&n)?
                        .as_item()?;
                    Some((rb, push_pointer("#/components/requestBodies", &n)))
                });
                if found.is_none() {
                    self.unresolved(
                        reference,
                        pointer,
                        "request body",
                        "the body is taken as any JSON value",
                    );
                }
                found
            }
        }
    }

    fn resolve_response(
        &mut self,
        r: &'a ReferenceOr<Response>,
        pointer: &str,
    ) -> Option<(&'a Response, String)> {
        match r {
            ReferenceOr::Item(r) => Some((r, pointer.to_string())),
            ReferenceOr::Reference { reference } => {
                let found = ref_name(reference, "responses").and_then(|n| {
                    let r = self.doc.components.as_ref()?.responses.get(&n)?.as_item()?;
                    Some((r, push_pointer("#/components/responses", &n)))
                });
                if found.is_none() {
                    self.unresolved(
                        reference,
                        pointer,
                        "response",
                        "its body is read as any JSON value",
                    );
                }
                found
            }
        }
    }

    fn param_type(
        &mut self,
        data: &'a openapiv3::ParameterData,
        stem: &str,
        pointer: &str,
    ) -> TypeRef {
        let hint = format!("{stem}{}", naming::type_name(&data.name));
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                self.schema_type(s, &hint, &push_pointer(pointer, "schema"))
            }
            ParameterSchemaOrContent::Content(content) => {
                // A parameter serialised by media type (such as JSON in a query string):
                // the caller passes the serialised text.
                if !content.is_empty() {
                    self.warn(
                        WarningKind::RawEncoding,
                        pointer,
                        "parameter with `content` is taken as the caller's serialised text",
                    );
                }
                TypeRef::String
            }
        };
        // Whether a parameter may be left out is `required`'s business, not the schema's.
        ty.strip_option().clone()
    }

    /// The type of a query, header or cookie parameter and how it is written: a scalar or
    /// an array of scalars inline; anything else (objects, maps, unions, arrays of those or
    /// with a delimiter style) through the runtime by its style; a `content` parameter
    /// with a JSON media type as JSON text.
    fn param_encoding(
        &mut self,
        data: &'a openapiv3::ParameterData,
        location: ParamLocation,
        style: Style,
        stem: &str,
        pointer: &str,
    ) -> (TypeRef, ParamEncoding) {
        let path = location == ParamLocation::Path;
        if let ParameterSchemaOrContent::Content(content) = &data.format
            && let Some((media, mt)) = content.iter().find(|(m, _)| is_json(m))
        {
            let hint = format!("{stem}{}", naming::type_name(&data.name));
            let ty = match &mt.schema {
                Some(s) => self.schema_type(
                    s,
                    &hint,
                    &push_pointer(
                        &push_pointer(&push_pointer(pointer, "content"), media),
                        "schema",
                    ),
                ),
                None => TypeRef::Value,
            };
            return (ty.strip_option().clone(), ParamEncoding::Json);
        }
        let ty = self.param_type(data, stem, pointer);
        let ty = self.through_aliases(ty);
        let ty = match ty {
            TypeRef::Vec(item) => TypeRef::Vec(Box::new(self.through_aliases(*item))),
            other => other,
        };
        if self.is_scalar_param(&ty) {
            return (ty, ParamEncoding::Simple);
        }
        // Inline: `form` arrays of scalars (repeated or comma-joined). In a path, only
        // scalars are inline; the runtime writes the rest as `style: simple`.
        if let TypeRef::Vec(item) = &ty
            && style == Style::Form
            && !path
            && self.is_scalar_param(item.strip_option())
        {
            return (
                TypeRef::Vec(Box::new(item.strip_option().clone())),
                ParamEncoding::Simple,
            );
        }
        (ty, ParamEncoding::Styled(style))
    }

    pub(super) fn is_scalar_param(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64 => true,
            // A typed format is written as its text (a `byte` one stays base64 text; see
            // `formats::settle`).
            TypeRef::Format(f) => *f != crate::ir::Format::Byte,
            TypeRef::Named(n) => self.enum_names.contains(n),
            _ => false,
        }
    }

    /// A named alias such as `SnowflakeType = String` stands for what it aliases, so
    /// parameters of alias types are taken as the plain type.
    pub(super) fn through_aliases(&self, ty: TypeRef) -> TypeRef {
        self.alias_chain(ty).0
    }

    /// [`through_aliases`](Self::through_aliases), and whether an alias on the way was an
    /// `Option` (dropped from the result).
    pub(super) fn alias_chain(&self, mut ty: TypeRef) -> (TypeRef, bool) {
        let mut optional = false;
        // Alias chains are short; the bound only guards against a cycle of aliases.
        for _ in 0..32 {
            let TypeRef::Named(name) = &ty else { break };
            let alias = self.type_def(name).and_then(|t| match &t.kind {
                crate::ir::TypeKind::Alias(target) => Some(target.clone()),
                _ => None,
            });
            match alias {
                Some(target) => {
                    optional |= matches!(target, TypeRef::Option(_));
                    ty = target.strip_option().clone();
                }
                None => break,
            }
        }
        (ty, optional)
    }

    /// Picks the media type the client speaks: JSON first, then text, then raw bytes.
    pub(super) fn body(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        hint: &str,
        pointer: &str,
    ) -> Option<Body> {
        // Any media type (`*/*`) is read as JSON, unless its schema is a binary string
        // (`type: string, format: binary`): that is how a document says "a file of any
        // type", which is bytes.
        let binary = |mt: &'a MediaType| match &mt.schema {
            Some(ReferenceOr::Item(s)) => super::bodies::is_binary(s),
            Some(ReferenceOr::Reference { reference }) => self
                .follow_aliases(reference)
                .is_ok_and(|(s, _)| super::bodies::is_binary(s)),
            None => false,
        };
        let json = content
            .iter()
            .find(|(m, mt)| is_json(m) && !(essence(m) == "*/*" && binary(mt)));
        if let Some((media, mt)) = json {
            let ty = match &mt.schema {
                Some(s) => self.schema_type(
                    s,
                    hint,
                    &push_pointer(&push_pointer(pointer, media), "schema"),
                ),
                None => TypeRef::Value,
            };
            return Some(Body {
                media_type: media.clone(),
                encoding: BodyEncoding::Json,
                ty,
            });
        }
        if let Some((media, _)) = content.iter().find(|(m, _)| m.starts_with("text/")) {
            return Some(Body {
                media_type: media.clone(),
                encoding: BodyEncoding::Text,
                ty: TypeRef::String,
            });
        }
        match content.first() {
            None => None,
            Some((media, mt)) => {
                // Bytes lose nothing for binary media or a binary schema; a JSON-lines
                // body is read typed by the method's `_stream` twin.
                if !is_binary_media(media)
                    && !binary(mt)
                    && super::bodies::stream_kind(media).is_none()
                {
                    self.warn(
                        WarningKind::RawEncoding,
                        &push_pointer(pointer, media),
                        if essence(media) == "multipart/form-data" {
                            "`multipart/form-data` body whose schema is not an object, so its parts are not named; it is passed through as raw bytes".to_string()
                        } else {
                            format!("`{media}` bodies are passed through as raw bytes")
                        },
                    );
                }
                Some(Body {
                    media_type: media.clone(),
                    encoding: BodyEncoding::Bytes,
                    ty: TypeRef::Bytes,
                })
            }
        }
    }

    fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        stem: &str,
        op_pointer: &str,
    ) -> (Success, Vec<ErrorVariant>) {
        let base = push_pointer(op_pointer, "responses");
        let mut success_bodies: Vec<(StatusMatch, Option<Body>)> = Vec::new();
        let mut errors = Vec::new();
        let mut variant_names = Namespace::camel();
        let mut entries: Vec<(StatusMatch, &'a ReferenceOr<Response>, String)> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) => StatusMatch::Code(*c),
                    StatusCode::Range(d) => StatusMatch::Range(*d),
                };
                (status, r, push_pointer(&base, &code.to_string()))
            })
            .collect();
        if let Some(d) = &op.responses.default {
            entries.push((StatusMatch::Default, d, push_pointer(&base, "default")));
        }
        let has_2xx = entries.iter().any(|(s, _, _)| is_success(*s));
        // A redirect is no error: an operation that documents no 2xx answers with its
        // documented 3xx (a download that answers `302` with a `Location`), which the
        // runtime then returns rather than follows. Beside a 2xx, a 3xx (`304 Not
        // Modified`) stays a variant of the error type, so the success type stays the
        // 2xx body's.
        let is_answer = |status: StatusMatch| {
            is_success(status)
                || (!has_2xx
                    && matches!(status, StatusMatch::Code(300..=399) | StatusMatch::Range(3)))
        };
        let has_success = entries.iter().any(|(s, _, _)| is_answer(*s));
        for (status, r, pointer) in entries {
            let resolved = self.resolve_response(r, &pointer);
            let (content, description, pointer) = match resolved {
                Some((response, pointer)) => (
                    Some(&response.content),
                    Some(&response.description),
                    pointer,
                ),
                None => (None, None, pointer),
            };
            let content_pointer = push_pointer(&pointer, "content");
            // 204, 205 and 304 end with their headers (RFC 9110 §15.3.5, §15.3.6,
            // §15.4.5): a body documented for one can never arrive, and decoding the
            // nothing that does would fail every call.
            let no_content = matches!(status, StatusMatch::Code(204 | 205 | 304));
            if no_content && content.is_some_and(|c| !c.is_empty()) {
                self.warn(
                    WarningKind::InvalidValue,
                    &content_pointer,
                    "a 204, 205 or 304 response has no content by HTTP's definition (RFC 9110); the body documented for it is ignored",
                );
            }
            let body_of = |cx: &mut Self, hint: String| match content {
                _ if no_content => None,
                Some(content) => cx.body(content, &hint, &content_pointer),
                None => Some(any_json()),
            };
            // `default` describes success too when no 2xx response is documented.
            if is_answer(status) || (status == StatusMatch::Default && !has_success) {
                let body = body_of(self, format!("{stem}Response"));
                success_bodies.push((status, body));
                if status != StatusMatch::Default {
                    continue;
                }
            }
            let vname = variant_names.unique(match status {
                StatusMatch::Code(c) => naming::status_variant(c),
                StatusMatch::Range(d) => naming::range_variant(d),
                StatusMatch::Default => "Default".into(),
            });
            let body = body_of(self, format!("{stem}{vname}"));
            let doc = description.cloned().filter(|d| !d.trim().is_empty());
            errors.push(ErrorVariant {
                name: vname,
                status,
                doc,
                body,
            });
        }

        let statuses: Vec<StatusMatch> = success_bodies.iter().map(|(s, _)| *s).collect();
        let mut bodies: Vec<&Option<Body>> = Vec::new();
        for (_, b) in &success_bodies {
            if !bodies.contains(&b) {
                bodies.push(b);
            }
        }
        let body = match bodies.as_slice() {
            [] => None,
            [only] => (*only).clone(),
            _ => {
                self.warn(
                    WarningKind::LooseType,
                    &base,
                    "success responses differ in body; the method returns serde_json::Value",
                );
                Some(Body {
                    media_type: "application/json".into(),
                    encoding: BodyEncoding::Json,
                    ty: TypeRef::Value,
                })
            }
        };
        (Success { statuses, body }, errors)
    }
}

/// The header parameter that carries an idempotency key: one whose name, case and `_`/`-`
/// aside, ends in `idempotency-key` (the IETF draft's `Idempotency-Key`, `X-Idempotency-Key`).
fn idempotency_header(params: &[Param]) -> Option<String> {
    params
        .iter()
        .find(|p| {
            p.location == ParamLocation::Header
                && p.wire_name
                    .to_ascii_lowercase()
                    .replace('_', "-")
                    .ends_with("idempotency-key")
        })
        .map(|p| p.wire_name.clone())
}

/// The body of a part that could not be resolved: any JSON value.
fn any_json() -> Body {
    Body {
        media_type: "application/json".into(),
        encoding: BodyEncoding::Json,
        ty: TypeRef::Value,
    }
}

/// Spec text that says something; empty and blank strings count as absent.
pub(super) fn non_empty(text: &Option<String>) -> Option<String> {
    text.clone().filter(|t| !t.trim().is_empty())
}

fn is_success(status: StatusMatch) -> bool {
    match status {
        StatusMatch::Code(c) => (200..300).contains(&c),
        StatusMatch::Range(d) => d == 2,
        StatusMatch::Default => false,
    }
}

/// A media type without its parameters, lowercased.
pub(super) fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// A media type whose content is opaque bytes to any client (files, archives, media), so
/// passing it through as bytes loses nothing. Anything else sent as bytes (XML, a
/// multipart body the client could not type) is reported.
pub(super) fn is_binary_media(media: &str) -> bool {
    let essence = essence(media);
    let (kind, sub) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    let archive_or_document = matches!(
        sub,
        "octet-stream" | "pdf" | "zip" | "gzip" | "x-gzip" | "x-tar" | "wasm" | "x-7z-compressed"
    );
    matches!(kind, "image" | "audio" | "video" | "font" | "model")
        || (kind == "application" && archive_or_document)
}

/// Whether a body of `media` is JSON: a `json` subtype of any type (`application/json`,
/// and `text/json`, which some documents use for the same), a `+json` suffix
/// (`application/problem+json`), or any type (`*/*`, read as JSON unless its schema is a
/// binary string).
pub(super) fn is_json(media: &str) -> bool {
    let essence = essence(media);
    let subtype = essence.split_once('/').map_or("", |(_, s)| s);
    subtype == "json" || essence.ends_with("+json") || essence == "*/*"
}

fn location_key(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

enum TemplatePiece<'p> {
    Literal(&'p str),
    Param(&'p str),
}

fn split_template(path: &str) -> Vec<TemplatePiece<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            out.push(TemplatePiece::Literal(&rest[..open]));
        }
        out.push(TemplatePiece::Param(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(TemplatePiece::Literal(rest));
    }
    out
}

/// Preferred names win unless two operations want the same one; those fall back to their
/// full operationId (or method-and-path name), and any clash left gets a numeric suffix.
/// Returns the names and the namespace holding them.
///
/// The config's `names.operations` come first: each is taken as it is, so no generated
/// name takes it; one that is not a snake-case method name, not free, or names an
/// operationId the document lacks is an error in `errors` (offset in the config, message).
fn settle_names(
    found: &[Found<'_>],
    chosen: &BTreeMap<String, toml::Spanned<String>>,
    errors: &mut Vec<(usize, String)>,
) -> (Vec<String>, Namespace) {
    let mut names = Namespace::with_reserved(crate::ir::CLIENT_METHODS);
    let mut fixed: BTreeMap<&str, String> = BTreeMap::new();
    for (id, wanted) in chosen {
        let offset = wanted.span().start;
        let wanted = wanted.get_ref();
        if !found
            .iter()
            .any(|f| f.op.operation_id.as_deref() == Some(id))
        {
            errors.push((
                offset,
                format!("names.operations: the document has no operationId `{id}`"),
            ));
        } else if naming::snake_name(wanted) != *wanted {
            errors.push((
                offset,
                format!(
                    "names.operations: `{wanted}` is not a snake case method name (`{}` would be)",
                    naming::snake_name(wanted)
                ),
            ));
        } else if names.contains(wanted) {
            errors.push((
                offset,
                format!("names.operations: `{wanted}` is chosen twice or is a method `Client` has"),
            ));
        } else {
            fixed.insert(id.as_str(), names.unique(wanted.clone()));
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in found {
        *counts.entry(f.preferred.as_str()).or_default() += 1;
    }
    let settled = found
        .iter()
        .map(|f| {
            if let Some(name) = f.op.operation_id.as_deref().and_then(|id| fixed.remove(id)) {
                return name;
            }
            let candidate = if counts[f.preferred.as_str()] > 1 || names.contains(&f.preferred) {
                f.fallback.clone()
            } else {
                f.preferred.clone()
            };
            names.unique(candidate)
        })
        .collect();
    (settled, names)
}

/// Reads a documented limit such as "100 requests per 60 seconds per IP and token" from
/// the `x-mint` extension's content, or else from the description.
fn rate_limit(op: &openapiv3::Operation) -> Option<RateLimit> {
    let mint = op
        .extensions
        .get("x-mint")
        .and_then(|m| m.get("content"))
        .and_then(|c| c.as_str());
    [mint, op.description.as_deref()]
        .into_iter()
        .flatten()
        .find_map(parse_rate_limit)
}

fn parse_rate_limit(text: &str) -> Option<RateLimit> {
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for i in 0..words.len() {
            let Ok(requests) = words[i]
                .trim_matches(|c: char| !c.is_ascii_digit())
                .parse::<u32>()
            else {
                continue;
            };
            if !words
                .get(i + 1)
                .is_some_and(|w| w.to_ascii_lowercase().starts_with("request"))
            {
                continue;
            }
            if !words
                .get(i + 2)
                .is_some_and(|w| w.eq_ignore_ascii_case("per"))
            {
                continue;
            }
            let (count, unit) = match words.get(i + 3).and_then(|w| w.parse::<u32>().ok()) {
                Some(n) => (n, words.get(i + 4)),
                None => (1, words.get(i + 3)),
            };
            let unit = unit.map(|u| {
                u.trim_end_matches(|c: char| !c.is_alphabetic())
                    .to_ascii_lowercase()
            })?;
            let scale = match unit.trim_end_matches('s') {
                "second" | "sec" => 1,
                "minute" | "min" => 60,
                "hour" | "hr" => 3600,
                "day" => 86400,
                _ => continue,
            };
            return Some(RateLimit {
                requests,
                period_seconds: count.checked_mul(scale)?,
                text: line.trim().trim_start_matches('#').trim().to_string(),
            });
        }
    }
    None
}

/// Warns about query keys two parameters both write ([`crate::ir::colliding_query_keys`]).
/// The client writes both as the document says; the warning says why a server (or a
/// validator such as Prism) may read them otherwise.
pub(super) fn warn_colliding_query_keys(
    cx: &mut Lowerer<'_>,
    operations: &[crate::ir::Operation],
    types: &[crate::ir::TypeDef],
) {
    for op in operations {
        for (object, key) in crate::ir::colliding_query_keys(op, types) {
            cx.warn(
                WarningKind::InvalidValue,
                &push_pointer(&op.source, "parameters"),
                format!(
                    "query parameter `{}` is an exploded `form` object, written as one query key per property, and its property `{}` is also the name of query parameter `{}`: a request with both carries that key twice, and a server cannot tell whose it is",
                    crate::error::clipped(&object),
                    crate::error::clipped(&key),
                    crate::error::clipped(&key),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_are_read_from_prose() {
        let rl = parse_rate_limit("## Rate Limit\n\n100 requests per 60 seconds per IP and token.")
            .unwrap();
        assert_eq!((rl.requests, rl.period_seconds), (100, 60));
        assert_eq!(rl.text, "100 requests per 60 seconds per IP and token.");
        let rl = parse_rate_limit("Limited to 5 requests per minute.").unwrap();
        assert_eq!((rl.requests, rl.period_seconds), (5, 60));
        assert!(parse_rate_limit("No limit here, 3 requests are fine").is_none());
    }

    #[test]
    fn templates_split_into_literals_and_params() {
        let pieces = split_template("/a/{x}/b{y}.json");
        let shown: Vec<String> = pieces
            .iter()
            .map(|p| match p {
                TemplatePiece::Literal(l) => format!("L{l}"),
                TemplatePiece::Param(p) => format!("P{p}"),
            })
            .collect();
        assert_eq!(shown, ["L/a/", "Px", "L/b", "Py", "L.json"]);
    }
}
