//! Request bodies: which media type the client sends, and the typed shapes of form and
//! multipart bodies. JSON comes first (typed both ways), then
//! `application/x-www-form-urlencoded` (the same serde type, written by the runtime's
//! `form` module), then `multipart/form-data` (a struct of parts), then text, then bytes.

use super::Lowerer;
use super::operations::{essence, is_json, non_empty};
use crate::error::push_pointer;
use crate::ir::{
    Body, BodyEncoding, FieldEncoding, MultipartForm, PartField, PartKind, RequestBody, Style,
    TypeRef,
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
            multipart = Some(form);
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
        let schema = mt.schema.as_ref()?;
        let parts = self.object_parts(schema, &push_pointer(&pointer, "schema"))?;
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
fn is_binary(s: &Schema) -> bool {
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
