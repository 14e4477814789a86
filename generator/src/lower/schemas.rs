//! Schemas → Rust types: structs, string enums, untagged unions, aliases and type references.

use super::{Lowerer, MAX_DEPTH, ref_name};
use crate::error::{WarningKind, push_pointer};
use crate::ir::{
    AdditionalField, EnumVariant, Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef,
    UnionVariant,
};
use crate::ir::{Tagged, TaggedVariant};
use crate::naming::{self, Namespace};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::{BTreeMap, BTreeSet, HashMap};

type Props = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

/// Why a `$ref` led to no component schema definition.
pub(super) enum Unfollowed {
    /// The aliases lead back to themselves.
    Cycle,
    /// This reference (the written one, or one along the aliases) names no component.
    Missing(String),
}

/// What a schema needs: its own named definition, or just a reference to a type.
enum Class {
    Struct,
    Enum(Vec<String>),
    Union,
    Other,
}

/// The object-like parts of a schema, gathered from it (and, for `allOf`, its branches).
#[derive(Default)]
pub(super) struct ObjectParts<'s> {
    /// Wire name, schema and pointer of each property, in order.
    pub(super) properties: Vec<(&'s str, &'s ReferenceOr<Box<Schema>>, String)>,
    /// The required ones.
    pub(super) required: BTreeSet<&'s str>,
    additional: Option<(&'s AdditionalProperties, String)>,
}

impl<'a> Lowerer<'a> {
    /// Names every component schema first (so references resolve in any order), then
    /// lowers each into a type definition.
    pub(super) fn component_schemas(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        // Names the config chooses are taken first, so no generated name takes them.
        let mut chosen: BTreeMap<&str, String> = BTreeMap::new();
        for (schema, wanted) in &self.config.names.types {
            let offset = wanted.span().start;
            let wanted = wanted.get_ref();
            if !components.schemas.contains_key(schema) {
                self.config_errors.push((
                    offset,
                    format!("names.types: the document has no component schema `{schema}`"),
                ));
            } else if naming::type_name(wanted) != *wanted {
                self.config_errors.push((
                    offset,
                    format!(
                        "names.types: `{wanted}` is not an upper camel case type name (`{}` would be)",
                        naming::type_name(wanted)
                    ),
                ));
            } else if self.type_names.contains(wanted) {
                self.config_errors
                    .push((offset, format!("names.types: `{wanted}` is chosen twice")));
            } else {
                chosen.insert(schema.as_str(), self.type_names.unique(wanted.clone()));
            }
        }
        for (name, schema) in &components.schemas {
            let rust = match chosen.get(name.as_str()) {
                Some(rust) => rust.clone(),
                None => self.type_names.unique(naming::type_name(name)),
            };
            // An inline schema identical to a component's is that component's type.
            if let ReferenceOr::Item(s) = schema
                && !matches!(classify(s), Class::Other)
                && let Some(key) = content_key(s)
            {
                self.by_content.entry(key).or_insert_with(|| rust.clone());
            }
            self.component_names.insert(name.clone(), rust);
        }
        // A component whose schema is an earlier one's written out again, or that one's
        // with `nullable` added (3.0's `nullable: true`, 3.1's `null` in `type`: GitHub's
        // `nullable-simple-user` beside `simple-user`), is an alias of it: the same
        // shape is one struct and one set of serde impls, and references to the nullable
        // one are still `Option`s (it is in `nullable_components` below). The alias
        // keeps the component's name, so code that names it still compiles.
        let mut copies = HashMap::new();
        for (name, schema) in &components.schemas {
            let ReferenceOr::Item(s) = schema else {
                continue;
            };
            if matches!(classify(s), Class::Other) {
                continue;
            }
            let mut keys = vec![content_key(s)];
            if s.schema_data.nullable {
                let mut plain = s.clone();
                plain.schema_data.nullable = false;
                keys.push(content_key(&plain));
            }
            let rust = &self.component_names[name];
            if let Some(first) = keys
                .into_iter()
                .flatten()
                .find_map(|k| self.by_content.get(&k).filter(|first| *first != rust))
            {
                copies.insert(name.clone(), first.clone());
            }
        }
        // String enums are known up front so parameters of those types can be recognised;
        // nullable definitions so that every reference to one is an `Option`.
        for (name, schema) in &components.schemas {
            let ReferenceOr::Item(s) = schema else {
                continue;
            };
            let class = classify(s);
            if let Class::Enum(_) = class {
                self.enum_names.insert(self.component_names[name].clone());
            }
            if s.schema_data.nullable && !matches!(class, Class::Other) {
                self.nullable_components
                    .insert(self.component_names[name].clone());
            }
        }
        for (name, schema) in &components.schemas {
            let rust = self.component_names[name].clone();
            let pointer = push_pointer("#/components/schemas", name);
            let def = match schema {
                ReferenceOr::Item(s) if copies.contains_key(name) => TypeDef {
                    name: rust,
                    source: pointer,
                    component: true,
                    doc: schema_doc(s),
                    kind: TypeKind::Alias(TypeRef::Named(copies[name].clone())),
                },
                ReferenceOr::Reference { reference } => TypeDef {
                    name: rust,
                    source: pointer.clone(),
                    component: true,
                    doc: None,
                    kind: TypeKind::Alias(self.schema_ref(reference, &pointer)),
                },
                ReferenceOr::Item(s) => {
                    let doc = schema_doc(s);
                    match self.definition(s, &rust, &pointer) {
                        Some(kind) => TypeDef {
                            name: rust,
                            source: pointer,
                            component: true,
                            doc,
                            kind,
                        },
                        None => {
                            let ty = self.plain_type(s, &rust, &pointer);
                            let ty = if s.schema_data.nullable {
                                ty.optional()
                            } else {
                                ty
                            };
                            TypeDef {
                                name: rust,
                                source: pointer,
                                component: true,
                                doc,
                                kind: TypeKind::Alias(ty),
                            }
                        }
                    }
                }
            };
            self.push_component_type(def);
        }
    }

    /// The Rust type of a schema at an inline position; `hint` names any type it needs.
    pub(super) fn schema_type(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(s) => self.inline_type(s, hint, pointer),
        }
    }

    pub(super) fn boxed_schema_type(
        &mut self,
        schema: &'a ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(s) => self.inline_type(s, hint, pointer),
        }
    }

    fn inline_type(&mut self, s: &'a Schema, hint: &str, pointer: &str) -> TypeRef {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            self.warn(
                WarningKind::LooseType,
                pointer,
                "schemas nest too deeply; using serde_json::Value",
            );
            return TypeRef::Value;
        }
        let ty = self.inline_type_inner(s, hint, pointer);
        self.depth -= 1;
        if s.schema_data.nullable {
            ty.optional()
        } else {
            ty
        }
    }

    fn inline_type_inner(&mut self, s: &'a Schema, hint: &str, pointer: &str) -> TypeRef {
        let class = classify(s);
        if matches!(class, Class::Other) {
            return self.plain_type(s, hint, pointer);
        }
        // The schema at this place is being defined further out: a merged `allOf` copies
        // properties from the component it includes, and one of them leads back here
        // (`X.a: allOf [X, {...}]`). It is that type, so the recursion closes (and is
        // boxed) instead of unfolding a new copy per level, which grows exponentially
        // with two such properties.
        if let Some(name) = self.defining.get(pointer) {
            return TypeRef::Named(name.clone());
        }
        // The same schema written out again is the same type: one definition, so the
        // crate does not compile the same struct and its serde code once per copy (one
        // corpus document inlines a component's schema some 1,600 times instead of
        // referring to it, and its crate shrinks from 247k lines to 93k). The schema is
        // all a definition depends on (the hint only names it), so the types could not
        // differ; warnings about it are given once, at the first place.
        // - A copy of a component's schema is the component's type.
        // - A struct written out again inline (one response shape in every operation) is
        //   the type of its first place, named after it. Inline enums and unions are not
        //   shared that way: they are small, and a name from another operation
        //   (`ListPodsOrder` as the sort order of `list_disks`) would mislead more than
        //   the copy costs.
        let key = content_key(s);
        if let Some(name) = key.as_ref().and_then(|k| self.by_content.get(k)) {
            return TypeRef::Named(name.clone());
        }
        let name = self.type_names.unique(naming::type_name(hint));
        if let Class::Enum(_) = class {
            self.enum_names.insert(name.clone());
        }
        self.defining.insert(pointer.to_string(), name.clone());
        let key = key.filter(|_| matches!(class, Class::Struct));
        if let Some(key) = &key {
            self.by_content.insert(key.clone(), name.clone());
        }
        let kind = self.definition(s, &name, pointer);
        self.defining.remove(pointer);
        let kind = match kind {
            Some(kind) => kind,
            None => {
                if let Some(key) = &key {
                    self.by_content.remove(key);
                }
                return self.plain_type(s, hint, pointer);
            }
        };
        self.push_inline_type(TypeDef {
            name: name.clone(),
            source: pointer.to_string(),
            component: false,
            doc: schema_doc(s),
            kind,
        });
        TypeRef::Named(name)
    }

    /// A `$ref` to a component schema.
    pub(super) fn schema_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let target = ref_name(reference, "schemas")
            .and_then(|name| self.component_names.get(&name).cloned());
        match target {
            Some(rust) if self.nullable_components.contains(&rust) => {
                TypeRef::Named(rust).optional()
            }
            Some(rust) => TypeRef::Named(rust),
            None => {
                self.unresolved(reference, pointer, "schema", "using serde_json::Value");
                TypeRef::Value
            }
        }
    }

    /// Resolves a `$ref` to the component schema it names, following component aliases
    /// (`A: {$ref: B}`) to the definition; `None` (with a warning) when there is none.
    fn resolve(&mut self, reference: &str, pointer: &str) -> Option<(&'a Schema, String)> {
        match self.follow_aliases(reference) {
            Ok(found) => Some(found),
            Err(Unfollowed::Cycle) => {
                self.warn(
                    WarningKind::RefCycle,
                    pointer,
                    format!("$ref `{reference}` leads back to itself; the branch adds nothing"),
                );
                None
            }
            Err(Unfollowed::Missing(current)) => {
                self.unresolved(&current, pointer, "schema", "the branch adds nothing");
                None
            }
        }
    }

    /// The component schema definition a `$ref` comes to through any aliases, with its
    /// pointer; the caller decides whether a failure is worth a warning.
    pub(super) fn follow_aliases(
        &self,
        reference: &str,
    ) -> Result<(&'a Schema, String), Unfollowed> {
        let components = self.doc.components.as_ref();
        let mut current = reference.to_string();
        let mut seen = BTreeSet::new();
        loop {
            let found = ref_name(&current, "schemas")
                .and_then(|name| Some((components?.schemas.get(&name)?, name)));
            match found {
                Some((ReferenceOr::Item(s), name)) => {
                    return Ok((s, push_pointer("#/components/schemas", &name)));
                }
                Some((ReferenceOr::Reference { reference: next }, _)) => {
                    if !seen.insert(current.clone()) {
                        return Err(Unfollowed::Cycle);
                    }
                    current = next.clone();
                }
                None => return Err(Unfollowed::Missing(current)),
            }
        }
    }

    /// The properties of an object schema (through `$ref`s and `allOf`), for a body that
    /// is written part by part; `None` when it is not an object.
    pub(super) fn object_parts(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
    ) -> Option<ObjectParts<'a>> {
        let (s, pointer) = match schema {
            ReferenceOr::Item(s) => (s, pointer.to_string()),
            ReferenceOr::Reference { reference } => self.resolve(reference, pointer)?,
        };
        let mut parts = ObjectParts::default();
        let mut seen = BTreeSet::new();
        self.gather(s, &pointer, &mut parts, &mut seen)
            .then_some(parts)
    }

    /// The definition of a schema that needs one of its own, or `None`.
    fn definition(&mut self, s: &'a Schema, name: &str, pointer: &str) -> Option<TypeKind> {
        Some(match classify(s) {
            Class::Other => return None,
            Class::Enum(values) => {
                let mut seen = BTreeSet::new();
                let repeated: BTreeSet<&str> = values
                    .iter()
                    .filter(|v| !seen.insert(v.as_str()))
                    .map(String::as_str)
                    .collect();
                if !repeated.is_empty() {
                    let list: Vec<String> = repeated.iter().map(|v| format!("`{v}`")).collect();
                    self.warn(
                        WarningKind::DuplicateEnumValue,
                        &push_pointer(pointer, "enum"),
                        format!(
                            "`enum` lists {} more than once; JSON Schema says its values SHOULD be unique, and validators that hold to it (such as Prism's) reject the schema and skip validating what uses it; the enum has one variant each",
                            list.join(", ")
                        ),
                    );
                }
                TypeKind::StringEnum(string_enum(&values))
            }
            Class::Union => {
                let (key, branches) = union_branches(s);
                // Properties beside the union hold for every branch: a value is the
                // object's properties and one branch's (`{properties: {name}, required:
                // [name], oneOf: [{..type: cron..}, ..]}`), so each variant is the two
                // merged, as `allOf: [own, branch]` would be.
                let siblings = match &s.schema_kind {
                    SchemaKind::Any(a) if !a.properties.is_empty() => Some(a),
                    _ => None,
                };
                let mut variants = Vec::new();
                let mut variant_names = Namespace::camel();
                for (i, branch) in branches.iter().enumerate() {
                    let branch_pointer = push_pointer(&push_pointer(pointer, key), &i.to_string());
                    let hint = match (branch, siblings) {
                        (ReferenceOr::Reference { reference }, Some(_)) => format!(
                            "{name}{}",
                            variant_for(&self.schema_ref(reference, &branch_pointer))
                        ),
                        _ => format!("{name}Variant{}", i + 1),
                    };
                    let merged = siblings.and_then(|own| {
                        self.merged_variant(own, pointer, branch, &branch_pointer, &hint)
                    });
                    let is_merged = merged.is_some();
                    let ty = match merged {
                        Some(ty) => ty,
                        None => match self.typed_by_union(s, branch) {
                            Some(ty) => ty,
                            None => self.schema_type(branch, &hint, &branch_pointer),
                        },
                    };
                    // An inline branch's type is named after the union; its variant is named
                    // after its title or position instead, or every variant would repeat
                    // the union's name.
                    let base = match (branch, &ty) {
                        (ReferenceOr::Reference { reference }, _) if is_merged => {
                            variant_for(&self.schema_ref(reference, &branch_pointer))
                        }
                        (ReferenceOr::Item(b), TypeRef::Named(_)) => b
                            .schema_data
                            .title
                            .as_deref()
                            .filter(|t| !t.trim().is_empty())
                            .map(naming::variant_name)
                            .unwrap_or_else(|| format!("Variant{}", i + 1)),
                        _ => variant_for(&ty),
                    };
                    let vname = variant_names.unique(base);
                    variants.push(UnionVariant { name: vname, ty });
                }
                match self.tagged(s, branches, &variants, variant_names) {
                    Some(tagged) => TypeKind::Tagged(tagged),
                    // Variants of one Rust type cannot be told apart: every value decodes
                    // as the first, and each is as good as the others to send. The union
                    // is that type (`anyOf: [{format: date-time}, {format: date}]` under
                    // `type: string` is a `String`).
                    None if variants.windows(2).all(|w| w[0].ty == w[1].ty) => {
                        TypeKind::Alias(variants.swap_remove(0).ty)
                    }
                    None => TypeKind::Untagged(variants),
                }
            }
            Class::Struct => {
                if let Some(ty) = self.all_of_as_one(s, name, pointer) {
                    return Some(TypeKind::Alias(ty));
                }
                let mut parts = ObjectParts::default();
                let mut seen = BTreeSet::new();
                if !self.gather(s, pointer, &mut parts, &mut seen) {
                    self.warn(
                        WarningKind::LooseType,
                        pointer,
                        "allOf mixes objects with non-object schemas; using serde_json::Value",
                    );
                    return Some(TypeKind::Alias(TypeRef::Value));
                }
                TypeKind::Struct(self.build_struct(parts, name, pointer))
            }
        })
    }

    /// The type of a union's inline branch that names no type of its own when the union
    /// does, and is a scalar: the branch only narrows the union's values
    /// (`{type: string, anyOf: [{format: date-time}, {format: date}]}`: each branch is
    /// a string of its format, as `allOf: [{type: string}, branch]` would be). `None`
    /// otherwise, for the branch's own type.
    fn typed_by_union(&self, union: &Schema, branch: &ReferenceOr<Schema>) -> Option<TypeRef> {
        let (SchemaKind::Any(own), ReferenceOr::Item(b)) = (&union.schema_kind, branch) else {
            return None;
        };
        let SchemaKind::Any(a) = &b.schema_kind else {
            return None;
        };
        // Only narrows (format, pattern, bounds): no shape of its own.
        if !shapeless(a) {
            return None;
        }
        let format = a.format.as_deref().or(own.format.as_deref());
        let ty = match own.typ.as_deref()? {
            "string" => self.string_type(format),
            "integer" => integer_type(format),
            "number" => number_type(format),
            "boolean" => TypeRef::Bool,
            _ => return None,
        };
        Some(if b.schema_data.nullable {
            ty.optional()
        } else {
            ty
        })
    }

    /// One variant of a union whose schema has properties beside it (`own`): a struct of
    /// those properties and the branch's, named `hint`. `None` when the branch is not
    /// object-like (a string branch beside properties describes no value), which keeps
    /// the branch's own type, with a warning.
    fn merged_variant(
        &mut self,
        own: &'a openapiv3::AnySchema,
        pointer: &str,
        branch: &'a ReferenceOr<Schema>,
        branch_pointer: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        let mut parts = ObjectParts::default();
        for (name, prop) in &own.properties {
            let p = push_pointer(&push_pointer(pointer, "properties"), name);
            push_property(&mut parts, name, prop, p);
        }
        parts
            .required
            .extend(own.required.iter().map(String::as_str));
        if let Some(ap) = &own.additional_properties {
            parts.additional = Some((ap, push_pointer(pointer, "additionalProperties")));
        }
        let mut seen = BTreeSet::new();
        let (doc, object) = match branch {
            ReferenceOr::Reference { reference } => {
                seen.insert(reference.clone());
                match self.resolve(reference, branch_pointer) {
                    Some((target, target_pointer)) => (
                        schema_doc(target),
                        self.gather(target, &target_pointer, &mut parts, &mut seen),
                    ),
                    None => (None, true),
                }
            }
            ReferenceOr::Item(b) => (
                schema_doc(b),
                self.gather(b, branch_pointer, &mut parts, &mut seen),
            ),
        };
        if !object {
            self.warn(
                WarningKind::LooseType,
                branch_pointer,
                "the union's branch is not an object, so the properties beside the union are not part of this variant",
            );
            return None;
        }
        // `additionalProperties: false` beside the union refuses every name it does not
        // list itself, the branch's too (JSON Schema applies it to its own schema object's
        // `properties`): a name the branch requires and declares, but the closed object
        // does not list, makes the branch unsatisfiable. (A required name nobody declares
        // is warned about by `build_struct`.)
        if matches!(
            own.additional_properties,
            Some(AdditionalProperties::Any(false))
        ) {
            let refused: Vec<&str> = parts
                .properties
                .iter()
                .map(|(wire, _, _)| *wire)
                .filter(|wire| parts.required.contains(wire) && !own.properties.contains_key(*wire))
                .collect();
            if !refused.is_empty() {
                let names: Vec<String> = refused
                    .iter()
                    .map(|w| format!("`{}`", crate::error::clipped(w)))
                    .collect();
                self.warn(
                    WarningKind::InvalidValue,
                    branch_pointer,
                    format!(
                        "this branch requires {}, which `additionalProperties: false` beside the union refuses (it lists only its own `properties`): no value of this branch is valid (JSON Schema applies both); the variant keeps the field",
                        names.join(", ")
                    ),
                );
            }
        }
        let name = self.type_names.unique(naming::type_name(hint));
        let kind = TypeKind::Struct(self.build_struct(parts, &name, branch_pointer));
        self.push_inline_type(TypeDef {
            name: name.clone(),
            source: branch_pointer.to_string(),
            component: false,
            doc,
            kind,
        });
        Some(TypeRef::Named(name))
    }

    /// An `allOf` that is one type with notes beside it, as 3.0 documents write a
    /// reference with a description (`allOf: [{$ref: Status}, {description: ...}]`), or
    /// several scalars of one type: the type of the one branch that says what it is.
    /// `None` when a branch is an object, so the branches are merged as a struct.
    fn all_of_as_one(&mut self, s: &'a Schema, name: &str, pointer: &str) -> Option<TypeRef> {
        let (branches, own_properties) = match &s.schema_kind {
            SchemaKind::AllOf { all_of } => (all_of, false),
            SchemaKind::Any(a) => (&a.all_of, !a.properties.is_empty() || a.typ.is_some()),
            _ => return None,
        };
        if own_properties {
            return None;
        }
        let mut typed: Vec<(usize, &'a ReferenceOr<Schema>, Option<&'static str>)> = Vec::new();
        let mut nullable = s.schema_data.nullable;
        for (i, branch) in branches.iter().enumerate() {
            let target = match branch {
                ReferenceOr::Item(b) => {
                    nullable |= b.schema_data.nullable;
                    if annotation_only(b) {
                        continue;
                    }
                    b
                }
                // A look that may come to nothing: the merge reports problems.
                ReferenceOr::Reference { reference } => self.follow_aliases(reference).ok()?.0,
            };
            let scalar = scalar_kind(target)?;
            typed.push((i, branch, scalar));
        }
        let first = typed.first()?;
        // Scalars of different types cannot all hold; leave that to the merge's fallback.
        if typed
            .iter()
            .any(|t| t.2.is_some() && first.2.is_some() && t.2 != first.2)
        {
            return None;
        }
        let (i, branch, _) = *typed.iter().find(|t| t.2.is_some()).unwrap_or(first);
        let branch_pointer = push_pointer(&push_pointer(pointer, "allOf"), &i.to_string());
        let ty = self.schema_type(branch, name, &branch_pointer);
        Some(if nullable { ty.optional() } else { ty })
    }

    /// A union with a `discriminator` whose branches are all `$ref`s becomes tagged: each
    /// branch is selected by the mapping's values for it, or by its component name.
    fn tagged(
        &self,
        s: &Schema,
        branches: &[ReferenceOr<Schema>],
        variants: &[UnionVariant],
        mut names: Namespace,
    ) -> Option<Tagged> {
        let d = s.schema_data.discriminator.as_ref()?;
        let mut out = Vec::with_capacity(branches.len());
        for (branch, v) in branches.iter().zip(variants) {
            let ReferenceOr::Reference { reference } = branch else {
                return None;
            };
            let component = ref_name(reference, "schemas")?;
            let mut tags: Vec<String> = d
                .mapping
                .iter()
                .filter(|(_, target)| *target == reference || **target == component)
                .map(|(tag, _)| tag.clone())
                .collect();
            if tags.is_empty() {
                tags.push(component);
            }
            out.push(TaggedVariant {
                name: v.name.clone(),
                ty: v.ty.clone(),
                tags,
            });
        }
        let other = if names.contains("Unknown") {
            "UnknownValue"
        } else {
            "Unknown"
        };
        Some(Tagged {
            property: d.property_name.clone(),
            variants: out,
            other: names.unique(other.into()),
        })
    }

    /// Collects properties from an object schema or every branch of an `allOf`. Returns
    /// false when a branch is not object-like.
    fn gather(
        &mut self,
        s: &'a Schema,
        pointer: &str,
        parts: &mut ObjectParts<'a>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let (props, required, additional): (
            &'a Props,
            &'a [String],
            Option<&'a AdditionalProperties>,
        ) = match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                (&o.properties, &o.required, o.additional_properties.as_ref())
            }
            SchemaKind::Any(a) if a.all_of.is_empty() => {
                (&a.properties, &a.required, a.additional_properties.as_ref())
            }
            SchemaKind::AllOf { all_of } => {
                return self.gather_all(all_of, pointer, parts, seen);
            }
            SchemaKind::Any(a) => {
                let ok = self.gather_all(&a.all_of, pointer, parts, seen);
                // Properties written beside allOf belong to the merged object too.
                for (name, prop) in &a.properties {
                    let p = push_pointer(&push_pointer(pointer, "properties"), name);
                    push_property(parts, name, prop, p);
                }
                parts.required.extend(a.required.iter().map(String::as_str));
                return ok;
            }
            SchemaKind::AnyOf { any_of: branches } | SchemaKind::OneOf { one_of: branches } => {
                let key = if matches!(s.schema_kind, SchemaKind::AnyOf { .. }) {
                    "anyOf"
                } else {
                    "oneOf"
                };
                return self.gather_union(branches, key, pointer, parts, seen);
            }
            _ => return false,
        };
        for (name, prop) in props {
            let p = push_pointer(&push_pointer(pointer, "properties"), name);
            push_property(parts, name, prop, p);
        }
        parts.required.extend(required.iter().map(String::as_str));
        if let Some(ap) = additional
            && parts.additional.is_none()
        {
            parts.additional = Some((ap, push_pointer(pointer, "additionalProperties")));
        }
        true
    }

    /// A union inside `allOf`: any alternative's properties may be present, so they join
    /// the merged object as optional fields; an alternative that only constrains (a
    /// `required` list) adds nothing.
    fn gather_union(
        &mut self,
        branches: &'a [ReferenceOr<Schema>],
        key: &str,
        pointer: &str,
        parts: &mut ObjectParts<'a>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let required = parts.required.clone();
        let mut ok = true;
        for (i, branch) in branches.iter().enumerate() {
            let branch_pointer = push_pointer(&push_pointer(pointer, key), &i.to_string());
            match branch {
                ReferenceOr::Reference { reference } => {
                    if !seen.insert(reference.clone()) {
                        continue;
                    }
                    if let Some((target, target_pointer)) = self.resolve(reference, &branch_pointer)
                    {
                        ok &= self.gather(target, &target_pointer, parts, seen);
                    }
                    seen.remove(reference);
                }
                ReferenceOr::Item(b) => ok &= self.gather(b, &branch_pointer, parts, seen),
            }
        }
        parts.required = required;
        ok
    }

    fn gather_all(
        &mut self,
        all_of: &'a [ReferenceOr<Schema>],
        pointer: &str,
        parts: &mut ObjectParts<'a>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let mut ok = true;
        for (i, branch) in all_of.iter().enumerate() {
            let branch_pointer = push_pointer(&push_pointer(pointer, "allOf"), &i.to_string());
            match branch {
                ReferenceOr::Reference { reference } => {
                    // `seen` holds the branches being merged around this one, so a schema
                    // reached twice side by side is merged twice (harmless) while one that
                    // includes itself stops here.
                    if !seen.insert(reference.clone()) {
                        self.warn(
                            WarningKind::RefCycle,
                            &branch_pointer,
                            format!("allOf includes `{reference}` within itself; the branch adds nothing"),
                        );
                        continue;
                    }
                    if let Some((target, target_pointer)) = self.resolve(reference, &branch_pointer)
                    {
                        ok &= self.gather(target, &target_pointer, parts, seen);
                    }
                    seen.remove(reference);
                }
                ReferenceOr::Item(b) => ok &= self.gather(b, &branch_pointer, parts, seen),
            }
        }
        ok
    }

    fn build_struct(&mut self, parts: ObjectParts<'a>, name: &str, pointer: &str) -> Struct {
        let mut field_names = Namespace::default();
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire, prop, pointer) in parts.properties {
            let rust = field_names.unique(naming::snake_name(wire));
            let hint = format!("{name}{}", naming::type_name(wire));
            let ty = self.boxed_schema_type(prop, &hint, &pointer);
            // A read-only property is absent from requests and a write-only one from
            // responses, so either may be missing whatever `required` says. The keyword
            // is often on the schema a `$ref` names (`id: {$ref: Id}`, `Id: {readOnly:
            // true}`): in 3.0 a `$ref`'s siblings are ignored, so that is where it goes.
            let one_way_schema = |s: &Schema| s.schema_data.read_only || s.schema_data.write_only;
            let one_way = match prop {
                ReferenceOr::Item(s) => one_way_schema(s),
                ReferenceOr::Reference { reference } => self
                    .follow_aliases(reference)
                    .is_ok_and(|(s, _)| one_way_schema(s)),
            };
            let required = parts.required.contains(wire) && !one_way;
            let ty = if required { ty } else { ty.optional() };
            let doc = match prop {
                ReferenceOr::Item(s) => field_doc(s),
                ReferenceOr::Reference { .. } => None,
            };
            fields.push(Field {
                name: rust,
                wire: wire.to_string(),
                ty,
                required,
                doc,
            });
        }
        // A name in `required` with no schema under `properties` must still be present
        // (JSON Schema), with any value: a field of any JSON value, so a request can carry
        // it. Optional all the same: such a name is as often a leftover of a renamed
        // property, and a response without it must still decode. Where
        // `additionalProperties` has a schema, the map holds it instead.
        if !matches!(parts.additional, Some((AdditionalProperties::Schema(_), _))) {
            for wire in &parts.required {
                if fields.iter().any(|f| f.wire == *wire) {
                    continue;
                }
                // Closed by `additionalProperties: false`, the object refuses the very
                // name it requires: no value is valid.
                let closed = matches!(
                    parts.additional,
                    Some((AdditionalProperties::Any(false), _))
                );
                if closed {
                    self.warn(
                        WarningKind::InvalidValue,
                        &push_pointer(pointer, "required"),
                        format!(
                            "`{}` is required, but it is not under `properties` and `additionalProperties: false` refuses it: no value is valid (JSON Schema applies both); it is an optional field of any JSON value",
                            crate::error::clipped(wire)
                        ),
                    );
                } else {
                    self.warn(
                        WarningKind::LooseType,
                        &push_pointer(pointer, "required"),
                        format!(
                            "`{}` is required but has no schema under `properties`; it is an optional field of any JSON value (a request should set it)",
                            crate::error::clipped(wire)
                        ),
                    );
                }
                fields.push(Field {
                    name: field_names.unique(naming::snake_name(wire)),
                    wire: wire.to_string(),
                    ty: TypeRef::Value.optional(),
                    required: false,
                    doc: Some(
                        "Required by the API document, which gives it no schema: any JSON value."
                            .into(),
                    ),
                });
            }
        }
        let additional = match parts.additional {
            None | Some((AdditionalProperties::Any(false), _)) => None,
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Value),
            Some((AdditionalProperties::Schema(s), pointer)) => {
                let hint = format!("{name}Value");
                Some(self.schema_type(s, &hint, &pointer))
            }
        }
        .map(|value| AdditionalField {
            name: field_names.unique("additional_properties".into()),
            value,
        });
        Struct { fields, additional }
    }

    /// The type of a schema that needs no definition of its own.
    pub(super) fn plain_type(&mut self, s: &'a Schema, hint: &str, pointer: &str) -> TypeRef {
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => self.string_type(format_of(&st.format)),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Integer(i)) => integer_type(format_of(&i.format)),
            SchemaKind::Type(Type::Number(n)) => number_type(format_of(&n.format)),
            SchemaKind::Type(Type::Object(o)) => {
                self.map_type(o.additional_properties.as_ref(), hint, pointer)
            }
            SchemaKind::Type(Type::Array(a)) => self.array_type(a.items.as_ref(), hint, pointer),
            SchemaKind::OneOf { one_of: branches }
            | SchemaKind::AnyOf { any_of: branches }
            | SchemaKind::AllOf { all_of: branches } => {
                let key = match &s.schema_kind {
                    SchemaKind::OneOf { .. } => "oneOf",
                    SchemaKind::AnyOf { .. } => "anyOf",
                    _ => "allOf",
                };
                match branches.as_slice() {
                    [only] => self.schema_type(
                        only,
                        hint,
                        &push_pointer(&push_pointer(pointer, key), "0"),
                    ),
                    [] => TypeRef::Value,
                    _ => unreachable_class(self, pointer),
                }
            }
            SchemaKind::Not { .. } => {
                self.warn(
                    WarningKind::LooseType,
                    pointer,
                    "`not` has no Rust type; using serde_json::Value",
                );
                TypeRef::Value
            }
            SchemaKind::Any(a) => {
                if s.schema_data.extensions.get(crate::spec::NULL_MARKER)
                    == Some(&serde_json::Value::Bool(true))
                {
                    return TypeRef::Unit;
                }
                let single = [&a.any_of, &a.one_of, &a.all_of]
                    .into_iter()
                    .find(|b| b.len() == 1)
                    .map(|b| &b[0]);
                match a.typ.as_deref() {
                    Some("string") => self.string_type(a.format.as_deref()),
                    Some("boolean") => TypeRef::Bool,
                    Some("integer") => integer_type(a.format.as_deref()),
                    Some("number") => number_type(a.format.as_deref()),
                    Some("object") => {
                        self.map_type(a.additional_properties.as_ref(), hint, pointer)
                    }
                    Some("array") => self.array_type(a.items.as_ref(), hint, pointer),
                    None if a.items.is_some() => self.array_type(a.items.as_ref(), hint, pointer),
                    None if single.is_some() => {
                        let only = single.unwrap_or_else(|| unreachable!("checked by the guard"));
                        self.schema_type(only, hint, pointer)
                    }
                    None => TypeRef::Value,
                    Some(other) => {
                        self.warn(
                            WarningKind::LooseType,
                            pointer,
                            format!("unknown type `{other}`; using serde_json::Value"),
                        );
                        TypeRef::Value
                    }
                }
            }
        }
    }

    /// A string: `String`, or the type the config's `[formats]` gives its format.
    fn string_type(&self, format: Option<&str>) -> TypeRef {
        format
            .and_then(|f| self.config.formats.typed(f))
            .map_or(TypeRef::String, TypeRef::Format)
    }

    fn map_type(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let value = self.schema_type(
                    s,
                    &format!("{hint}Value"),
                    &push_pointer(pointer, "additionalProperties"),
                );
                TypeRef::Map(Box::new(value))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Value)),
        }
    }

    fn array_type(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match items {
            Some(items) => {
                let item = self.boxed_schema_type(
                    items,
                    &format!("{hint}Item"),
                    &push_pointer(pointer, "items"),
                );
                TypeRef::Vec(Box::new(item))
            }
            None => TypeRef::Vec(Box::new(TypeRef::Value)),
        }
    }
}

/// `classify` routes unions with several branches to `definition`, so `plain_type` never
/// sees one; should that change, degrade rather than panic.
fn unreachable_class(cx: &mut Lowerer<'_>, pointer: &str) -> TypeRef {
    cx.warn(
        WarningKind::LooseType,
        pointer,
        "union reached the plain-type path; using serde_json::Value",
    );
    TypeRef::Value
}

fn push_property<'s>(
    parts: &mut ObjectParts<'s>,
    name: &'s str,
    prop: &'s ReferenceOr<Box<Schema>>,
    pointer: String,
) {
    // A later allOf branch redefining a property wins, in the earlier one's position.
    if let Some(slot) = parts.properties.iter_mut().find(|(n, _, _)| *n == name) {
        slot.1 = prop;
        slot.2 = pointer;
    } else {
        parts.properties.push((name, prop, pointer));
    }
}

fn classify(s: &Schema) -> Class {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) => {
            let values: Vec<String> = st.enumeration.iter().flatten().cloned().collect();
            if values.is_empty() {
                Class::Other
            } else {
                Class::Enum(values)
            }
        }
        SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => Class::Struct,
        SchemaKind::OneOf { one_of: b } | SchemaKind::AnyOf { any_of: b } if b.len() > 1 => {
            Class::Union
        }
        SchemaKind::AllOf { all_of } if all_of.len() > 1 => Class::Struct,
        SchemaKind::Any(a) => {
            if a.all_of.len() > 1 || (!a.all_of.is_empty() && !a.properties.is_empty()) {
                Class::Struct
            } else if a.any_of.len() > 1 || a.one_of.len() > 1 {
                Class::Union
            } else if !a.properties.is_empty() {
                Class::Struct
            } else if !a.enumeration.is_empty()
                && a.enumeration.iter().all(|v| v.is_string() || v.is_null())
                && matches!(a.typ.as_deref(), None | Some("string"))
            {
                let values: Vec<String> = a
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect();
                if values.is_empty() {
                    Class::Other
                } else {
                    Class::Enum(values)
                }
            } else {
                Class::Other
            }
        }
        _ => Class::Other,
    }
}

/// A schema that only annotates (a description, an example, a default) and says nothing
/// about the value's shape.
fn annotation_only(s: &Schema) -> bool {
    matches!(&s.schema_kind, SchemaKind::Any(a) if shapeless(a) && a.format.is_none())
}

/// An untyped schema that says nothing of the value's shape: no type, properties, items,
/// enum, composition or `not` (it may still annotate, or narrow with a format, a pattern
/// or bounds).
fn shapeless(a: &openapiv3::AnySchema) -> bool {
    a.typ.is_none()
        && a.properties.is_empty()
        && a.items.is_none()
        && a.additional_properties.is_none()
        && a.enumeration.is_empty()
        && a.all_of.is_empty()
        && a.any_of.is_empty()
        && a.one_of.is_empty()
        && a.not.is_none()
}

/// For a schema that is not an object: `Some(Some(type))` for a scalar or array type,
/// `Some(None)` for a union or an untyped schema; `None` for anything object-like.
fn scalar_kind(s: &Schema) -> Option<Option<&'static str>> {
    Some(match &s.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some("string"),
        SchemaKind::Type(Type::Number(_)) => Some("number"),
        SchemaKind::Type(Type::Integer(_)) => Some("integer"),
        SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
        SchemaKind::Type(Type::Array(_)) => Some("array"),
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => return None,
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => None,
        SchemaKind::Not { .. } => None,
        SchemaKind::Any(a) => {
            if !a.properties.is_empty()
                || !a.all_of.is_empty()
                || a.typ.as_deref() == Some("object")
                || a.additional_properties.is_some()
            {
                return None;
            }
            match a.typ.as_deref() {
                Some("string") => Some("string"),
                Some("number") => Some("number"),
                Some("integer") => Some("integer"),
                Some("boolean") => Some("boolean"),
                Some("array") => Some("array"),
                _ => None,
            }
        }
    })
}

/// A union's keyword (for pointers) and branches.
fn union_branches(s: &Schema) -> (&'static str, &[ReferenceOr<Schema>]) {
    match &s.schema_kind {
        SchemaKind::OneOf { one_of } => ("oneOf", one_of),
        SchemaKind::AnyOf { any_of } => ("anyOf", any_of),
        SchemaKind::Any(a) if a.any_of.len() > 1 => ("anyOf", &a.any_of),
        SchemaKind::Any(a) => ("oneOf", &a.one_of),
        _ => ("anyOf", &[]),
    }
}

fn string_enum(values: &[String]) -> StringEnum {
    let mut names = Namespace::camel();
    let mut seen = BTreeSet::new();
    let variants = values
        .iter()
        .filter(|v| seen.insert(v.as_str()))
        .map(|v| EnumVariant {
            name: names.unique(naming::variant_name(v)),
            value: v.clone(),
        })
        .collect();
    // A spec value such as "UNKNOWN" already holds `Unknown`; the catch-all then reads as
    // `UnknownValue` rather than a numbered name.
    let other = if names.contains("Unknown") {
        "UnknownValue"
    } else {
        "Unknown"
    };
    StringEnum {
        variants,
        other: names.unique(other.into()),
    }
}

/// A union variant is named after the type it holds.
fn variant_for(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Unit => "Null".into(),
        TypeRef::Value => "Value".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Vec(_) => "Array".into(),
        TypeRef::Map(_) => "Object".into(),
        TypeRef::Option(inner) | TypeRef::Box(inner) => variant_for(inner),
        TypeRef::Format(f) => naming::type_name(f.name()),
        TypeRef::External(path) => naming::type_name(path.rsplit("::").next().unwrap_or(path)),
    }
}

fn format_of<T>(f: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<&str>
where
    T: FormatName,
{
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(t) => Some(t.name()),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.as_str()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

trait FormatName {
    fn name(&self) -> &'static str;
}
impl FormatName for openapiv3::StringFormat {
    fn name(&self) -> &'static str {
        match self {
            openapiv3::StringFormat::Date => "date",
            openapiv3::StringFormat::DateTime => "date-time",
            openapiv3::StringFormat::Password => "password",
            openapiv3::StringFormat::Byte => "byte",
            openapiv3::StringFormat::Binary => "binary",
        }
    }
}
impl FormatName for openapiv3::IntegerFormat {
    fn name(&self) -> &'static str {
        match self {
            openapiv3::IntegerFormat::Int32 => "int32",
            openapiv3::IntegerFormat::Int64 => "int64",
        }
    }
}
impl FormatName for openapiv3::NumberFormat {
    fn name(&self) -> &'static str {
        match self {
            openapiv3::NumberFormat::Float => "float",
            openapiv3::NumberFormat::Double => "double",
        }
    }
}

/// `int32` → `i32`; everything else, including no format, → `i64`.
fn integer_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("int32") => TypeRef::I32,
        _ => TypeRef::I64,
    }
}

/// `float` → `f32`; everything else → `f64`.
fn number_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("float") => TypeRef::F32,
        _ => TypeRef::F64,
    }
}

/// Rustdoc for a named type: the description, else the title.
fn schema_doc(s: &Schema) -> Option<String> {
    let d = &s.schema_data;
    let said = |t: &Option<String>| t.clone().filter(|t| !t.trim().is_empty());
    said(&d.description).or_else(|| said(&d.title))
}

/// Rustdoc for a field: the description (else the title), plus the documented default.
fn field_doc(s: &Schema) -> Option<String> {
    let base = schema_doc(s);
    match &s.schema_data.default {
        Some(default) if !default.is_null() => {
            let default = format!("Defaults to `{default}` when not given.");
            Some(match base {
                Some(b) => format!("{b}\n\n{default}"),
                None => default,
            })
        }
        _ => base,
    }
}

/// Boxes struct fields whose type leads back to the struct itself without passing through
/// a `Vec` or a map (which already allocate), so recursive schemas have a finite size.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    // Edges by value: struct/union/alias → named types held inline.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in types.iter() {
        let mut out = BTreeSet::new();
        match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| inline_names(&f.ty, &mut out)),
            TypeKind::Untagged(vs) => vs.iter().for_each(|v| inline_names(&v.ty, &mut out)),
            TypeKind::Tagged(t) => t
                .variants
                .iter()
                .for_each(|v| inline_names(&v.ty, &mut out)),
            TypeKind::Alias(ty) => inline_names(ty, &mut out),
            _ => {}
        }
        edges.insert(t.name.clone(), out);
    }
    // A field closes a cycle exactly when its type is in the owner's strongly connected
    // component; computing the components once keeps this linear in the number of types.
    let component = strongly_connected(&edges);
    let same_component = |a: &str, b: &str| {
        component
            .get(a)
            .is_some_and(|x| component.get(b) == Some(x))
    };
    for t in types.iter_mut() {
        let owner = t.name.clone();
        let box_if_cyclic = |ty: &mut TypeRef| {
            let mut direct = BTreeSet::new();
            inline_names(ty, &mut direct);
            if direct.iter().any(|n| same_component(n, &owner)) {
                box_inline(ty);
            }
        };
        match &mut t.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| box_if_cyclic(&mut f.ty)),
            TypeKind::Untagged(vs) => vs.iter_mut().for_each(|v| box_if_cyclic(&mut v.ty)),
            TypeKind::Tagged(t) => t.variants.iter_mut().for_each(|v| box_if_cyclic(&mut v.ty)),
            _ => {}
        }
    }
}

/// Strongly connected components of a graph (Kosaraju, with explicit stacks so a long
/// chain of types cannot overflow the call stack): node → component number.
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<&str, usize> {
    let nodes: Vec<&str> = edges.keys().map(String::as_str).collect();
    let index: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut forward = vec![Vec::new(); nodes.len()];
    let mut backward = vec![Vec::new(); nodes.len()];
    for (from, targets) in edges {
        let f = index[from.as_str()];
        for t in targets.iter().filter_map(|t| index.get(t.as_str())) {
            forward[f].push(*t);
            backward[*t].push(f);
        }
    }
    // First pass: order nodes by when their depth-first search finishes.
    let mut visited = vec![false; nodes.len()];
    let mut order = Vec::with_capacity(nodes.len());
    for start in 0..nodes.len() {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.pop() {
            if let Some(&child) = forward[node].get(next) {
                stack.push((node, next + 1));
                if !visited[child] {
                    visited[child] = true;
                    stack.push((child, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    // Second pass: on the reversed graph, in reverse finishing order, each search is one
    // component.
    let mut component = vec![usize::MAX; nodes.len()];
    let mut count = 0;
    for &start in order.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        component[start] = count;
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for &prev in &backward[node] {
                if component[prev] == usize::MAX {
                    component[prev] = count;
                    stack.push(prev);
                }
            }
        }
        count += 1;
    }
    nodes.into_iter().zip(component).collect()
}

/// Type aliases that refer back to themselves (`A = Vec<A>`, or `A = B`, `B = A`) have no
/// Rust spelling; each becomes `serde_json::Value`. Returns the (name, pointer) of each.
pub(super) fn break_alias_cycles(types: &mut [TypeDef]) -> Vec<(String, String)> {
    let aliases: BTreeMap<String, BTreeSet<String>> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(ty) => {
                let mut out = BTreeSet::new();
                all_names(ty, &mut out);
                Some((t.name.clone(), out))
            }
            _ => None,
        })
        .collect();
    let cyclic = |start: &str| {
        let mut stack: Vec<&str> = aliases
            .get(start)
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == start {
                return true;
            }
            if seen.insert(n) {
                stack.extend(aliases.get(n).into_iter().flatten().map(String::as_str));
            }
        }
        false
    };
    let broken: Vec<String> = aliases.keys().filter(|a| cyclic(a)).cloned().collect();
    let mut out = Vec::new();
    for t in types.iter_mut().filter(|t| broken.contains(&t.name)) {
        t.kind = TypeKind::Alias(TypeRef::Value);
        out.push((t.name.clone(), t.source.clone()));
    }
    out
}

/// Every named type a reference mentions, at any depth.
fn all_names(ty: &TypeRef, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(n) => {
            out.insert(n.clone());
        }
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => all_names(inner, out),
        _ => {}
    }
}

fn inline_names(ty: &TypeRef, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(n) => {
            out.insert(n.clone());
        }
        TypeRef::Option(inner) => inline_names(inner, out),
        _ => {}
    }
}

fn box_inline(ty: &mut TypeRef) {
    match ty {
        TypeRef::Option(inner) => box_inline(inner),
        TypeRef::Named(_) => {
            let named = std::mem::replace(ty, TypeRef::Unit);
            *ty = TypeRef::Box(Box::new(named));
        }
        _ => {}
    }
}

/// What identifies a schema's content: the schema serialised, every keyword and extension
/// in the document's order (two schemas that differ only in order stay two types).
fn content_key(s: &Schema) -> Option<String> {
    serde_json::to_string(s).ok()
}
