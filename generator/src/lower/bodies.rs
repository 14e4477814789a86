//! Bodies: which media type the client sends, the typed shapes of form and multipart
//! bodies, and success responses read as streams of items. JSON comes first (typed both ways), then
//! `application/x-www-form-urlencoded` (the same serde type, written by the runtime's
//! `form` module), then `multipart/form-data` (a struct of parts), then text, then bytes.

use super::Lowerer;
use super::operations::{essence, is_json, non_empty};
use crate::error::{WarningKind, push_pointer};
use crate::ir::{
    Body, BodyEncoding, FieldEncoding, ItemDecode, ItemStream, MultipartForm, PartField, PartKind,
    RequestBody, StreamKind, Style, TypeRef,
};
use crate::naming::{self, Namespace};
use indexmap::IndexMap;
use openapiv3::{MediaType, QueryStyle, ReferenceOr, Schema, SchemaKind, Type};

impl<'a> Lowerer<'a> {
    /// The body an operation takes, from its request body's `content`.
    pub(super) fn request_body(
        &mut self,
        rb: &'a openapiv3::RequestBody,
        stem: &str,
        pointer: &str,
    ) -> Option<RequestBody> {
        let hint = format!("{stem}Request");
        let content = push_pointer(pointer, "content");
        let mut form_fields = Vec::new();
        let mut multipart = None;
        let body = if let Some((body, fields)) = self.form_body(&rb.content, &hint, &content) {
            form_fields = fields;
            Some(body)
        } else if let Some((body, form)) = self.multipart_body(&rb.content, stem, &content) {
            multipart = (body.encoding == BodyEncoding::Multipart).then_some(form);
            Some(body)
        } else {
            self.body(&rb.content, &hint, &content)
        };
        body.map(|body| RequestBody {
            required: rb.required,
            body,
            doc: non_empty(&rb.description),
            form_fields,
            multipart,
        })
    }

    /// A request body the client sends as `application/x-www-form-urlencoded`: offered by
    /// the operation, and no JSON alternative is (JSON is preferred, being typed both
    /// ways). The schema becomes the same type a JSON body gets.
    fn form_body(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        hint: &str,
        pointer: &str,
    ) -> Option<(Body, Vec<FieldEncoding>)> {
        if content.keys().any(|m| is_json(m)) {
            return None;
        }
        let (media, mt) = content
            .iter()
            .find(|(m, _)| essence(m) == "application/x-www-form-urlencoded")?;
        let pointer = push_pointer(pointer, media);
        let ty = match &mt.schema {
            Some(s) => self.schema_type(s, hint, &push_pointer(&pointer, "schema")),
            None => TypeRef::Value,
        };
        let fields = mt
            .encoding
            .iter()
            .filter_map(|(name, encoding)| {
                let style = match encoding.style.as_ref()? {
                    QueryStyle::Form => Style::Form,
                    QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                    QueryStyle::PipeDelimited => Style::PipeDelimited,
                    QueryStyle::DeepObject => Style::DeepObject,
                };
                Some(FieldEncoding {
                    name: name.clone(),
                    style,
                    explode: encoding.explode,
                })
            })
            .collect();
        let body = Body {
            media_type: media.clone(),
            encoding: BodyEncoding::Form,
            ty,
        };
        Some((body, fields))
    }

    /// A `multipart/form-data` body, when no JSON or form alternative is offered: a
    /// struct with one field per property of its (object) schema, files as `FilePart`s.
    /// A schema that is not an object leaves the body to the raw-bytes fallback.
    fn multipart_body(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        stem: &str,
        pointer: &str,
    ) -> Option<(Body, MultipartForm)> {
        if content.keys().any(|m| is_json(m)) {
            return None;
        }
        let (media, mt) = content
            .iter()
            .find(|(m, _)| essence(m) == "multipart/form-data")?;
        let pointer = push_pointer(pointer, media);
        let schema_pointer = push_pointer(&pointer, "schema");
        let parts = mt
            .schema
            .as_ref()
            .and_then(|schema| self.object_parts(schema, &schema_pointer))
            .filter(|parts| !parts.properties.is_empty());
        // No named property, no part to type. Bytes sent as `multipart/form-data` would
        // have no boundary, which no server can read: the caller builds the form.
        let Some(parts) = parts else {
            self.warn(
                WarningKind::LooseType,
                &schema_pointer,
                "the multipart body's schema names no parts (it is not an object with properties), so the method takes a form the caller builds (`Multipart`), with the parts the server expects",
            );
            let body = Body {
                media_type: media.clone(),
                encoding: BodyEncoding::MultipartParts,
                ty: TypeRef::Value,
            };
            return Some((
                body,
                MultipartForm {
                    name: String::new(),
                    fields: Vec::new(),
                },
            ));
        };
        let name = self.type_names.unique(format!("{stem}Multipart"));
        let mut field_names = Namespace::default();
        let mut fields = Vec::new();
        for (wire, prop, prop_pointer) in parts.properties {
            let content_type = mt
                .encoding
                .get(wire)
                .and_then(|e| e.content_type.clone())
                .filter(|t| !t.trim().is_empty());
            let declares_file = content_type.as_deref().is_some_and(is_file_type);
            let (binary, items_binary) = self.binary_shape(prop);
            let kind = if binary || (declares_file && !items_binary && !self.is_array(prop)) {
                PartKind::File
            } else if items_binary || (declares_file && self.is_array(prop)) {
                PartKind::Files
            } else {
                let hint = format!("{name}{}", naming::type_name(wire));
                let ty = self.boxed_schema_type(prop, &hint, &prop_pointer);
                let ty = self.through_aliases(ty.strip_option().clone());
                match &ty {
                    t if self.is_scalar_param(t) => PartKind::Text(ty),
                    TypeRef::Vec(item) if self.is_scalar_param(item.strip_option()) => {
                        PartKind::Texts(item.strip_option().clone())
                    }
                    _ => PartKind::Json(ty),
                }
            };
            let doc = match prop {
                ReferenceOr::Item(s) => s
                    .schema_data
                    .description
                    .clone()
                    .filter(|d| !d.trim().is_empty()),
                ReferenceOr::Reference { .. } => None,
            };
            fields.push(PartField {
                name: field_names.unique(naming::snake_name(wire)),
                wire: wire.to_string(),
                kind,
                required: parts.required.contains(wire),
                content_type,
                doc,
            });
        }
        let body = Body {
            media_type: media.clone(),
            encoding: BodyEncoding::Multipart,
            ty: TypeRef::Named(name.clone()),
        };
        Some((body, MultipartForm { name, fields }))
    }

    /// The stream of items a success response offers: `text/event-stream`, or a JSON-lines
    /// media type; the first success response (in document order) with one decides.
    /// `name` gives the method its name when there is one.
    pub(super) fn item_stream(
        &mut self,
        op: &'a openapiv3::Operation,
        stem: &str,
        pointer: &str,
        name: impl FnOnce() -> String,
    ) -> Option<ItemStream> {
        let (response, media, mt, pointer) =
            op.responses.responses.iter().find_map(|(code, r)| {
                let success = match code {
                    openapiv3::StatusCode::Code(c) => (200..300).contains(c),
                    openapiv3::StatusCode::Range(d) => *d == 2,
                };
                let (response, at) = match r {
                    ReferenceOr::Item(r) if success => (r, pointer.to_string()),
                    ReferenceOr::Reference { reference } if success => {
                        let n = super::ref_name(reference, "responses")?;
                        let r = self.doc.components.as_ref()?.responses.get(&n)?.as_item()?;
                        (r, push_pointer("#/components/responses", &n))
                    }
                    _ => return None,
                };
                let at = if at == pointer {
                    push_pointer(&push_pointer(pointer, "responses"), &code.to_string())
                } else {
                    at
                };
                let (media, mt) = response
                    .content
                    .iter()
                    .find(|(m, _)| stream_kind(m).is_some())?;
                Some((
                    response,
                    media,
                    mt,
                    push_pointer(&push_pointer(&at, "content"), media),
                ))
            })?;
        let kind = stream_kind(media)?;
        let json_alternative = response.content.keys().any(|m| is_json(m));
        let schema_pointer = push_pointer(&pointer, "schema");
        let item = match &mt.schema {
            None => TypeRef::Value,
            Some(schema) => match self.event_data(schema, kind, &schema_pointer) {
                Some(data) => {
                    self.boxed_schema_type(data, &format!("{stem}EventData"), &schema_pointer)
                }
                None => self.schema_type(schema, &format!("{stem}Event"), &schema_pointer),
            },
        };
        let item = item.strip_option().clone();
        let (resolved, through_option) = self.alias_chain(item.clone());
        let decode = match resolved {
            TypeRef::Value => ItemDecode::Any,
            TypeRef::String if kind == StreamKind::Events => ItemDecode::Text,
            _ => ItemDecode::Json,
        };
        // The text and any-value decoders yield `String` and `Value`; an alias that is an
        // `Option` of one on the way (`Reply: {$ref: M}`, `M: {anyOf: [{}, null]}`) names
        // another type, so the item is what the decoder yields.
        let item = match decode {
            ItemDecode::Any | ItemDecode::Text if through_option => resolved,
            _ => item,
        };
        Some(ItemStream {
            name: name(),
            kind,
            media_type: media.clone(),
            item,
            decode,
            json_alternative,
            stream_flag: None,
        })
    }

    /// The wire name of the JSON request body's boolean `stream` property, if it has one.
    pub(super) fn stream_flag(&self, body: Option<&RequestBody>) -> Option<String> {
        let body = body.filter(|b| b.body.encoding == BodyEncoding::Json)?;
        let TypeRef::Named(name) = self.through_aliases(body.body.ty.clone()) else {
            return None;
        };
        let crate::ir::TypeKind::Struct(s) = &self.type_def(&name)?.kind else {
            return None;
        };
        s.fields
            .iter()
            .find(|f| f.wire == "stream" && *f.ty.strip_option() == TypeRef::Bool)
            .map(|f| f.wire.clone())
    }

    /// For events: when the schema describes the whole event (an object whose properties
    /// are among `event`, `data`, `id` and `retry`, with `data`), the `data` property's
    /// schema, as OpenAPI 3.2's `itemSchema` for `text/event-stream` describes it.
    fn event_data(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        kind: StreamKind,
        pointer: &str,
    ) -> Option<&'a ReferenceOr<Box<Schema>>> {
        if kind != StreamKind::Events {
            return None;
        }
        let parts = self.object_parts(schema, pointer)?;
        let names: Vec<&str> = parts.properties.iter().map(|(n, _, _)| *n).collect();
        let event_shaped = names.contains(&"data")
            && names
                .iter()
                .all(|n| matches!(*n, "event" | "data" | "id" | "retry"));
        if !event_shaped {
            return None;
        }
        parts
            .properties
            .into_iter()
            .find(|(n, _, _)| *n == "data")
            .map(|(_, s, _)| s)
    }

    /// Whether a property is binary (`type: string, format: binary`), and whether it is
    /// an array of binary items.
    fn binary_shape(&self, prop: &'a ReferenceOr<Box<Schema>>) -> (bool, bool) {
        let Some(s) = self.schema_of(prop) else {
            return (false, false);
        };
        match &s.schema_kind {
            SchemaKind::Type(Type::String(_)) => (is_binary(s), false),
            SchemaKind::Type(Type::Array(a)) => {
                let items = a.items.as_ref().and_then(|i| self.schema_of(i));
                (false, items.is_some_and(is_binary))
            }
            _ => (false, false),
        }
    }

    fn is_array(&self, prop: &'a ReferenceOr<Box<Schema>>) -> bool {
        self.schema_of(prop)
            .is_some_and(|s| matches!(s.schema_kind, SchemaKind::Type(Type::Array(_))))
    }

    /// The schema a property is, through `$ref`s.
    fn schema_of(&self, prop: &'a ReferenceOr<Box<Schema>>) -> Option<&'a Schema> {
        match prop {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => {
                self.follow_aliases(reference).ok().map(|(s, _)| s)
            }
        }
    }
}

/// `type: string, format: binary` (3.0's file), which the load stage also writes for 3.1's
/// `contentMediaType` strings.
pub(super) fn is_binary(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) => matches!(
            st.format,
            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
        ),
        _ => false,
    }
}

/// A part content type that names a file rather than text: not `text/*`, not JSON.
fn is_file_type(content_type: &str) -> bool {
    let first = essence(content_type.split(',').next().unwrap_or(""));
    !(first.starts_with("text/") || first.contains("json") || first.is_empty())
}

/// The stream a media type is read as, if any.
pub(super) fn stream_kind(media: &str) -> Option<StreamKind> {
    match essence(media).as_str() {
        "text/event-stream" => Some(StreamKind::Events),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines"
        | "application/jsonlines"
        | "application/json-seq" => Some(StreamKind::Lines),
        _ => None,
    }
}
