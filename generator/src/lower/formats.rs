//! Where typed formats (the config's `[formats]`) hold. Lowering gives every formatted
//! string schema its typed format; this pass then settles two things the emitted serde
//! code relies on:
//!
//! - An alias whose target is or holds a typed format (`pub type Created = jiff::Timestamp`)
//!   is written out where it is used: the generated impls route such values through the
//!   runtime's `Wire`, and they can only see a format they are given directly. The alias
//!   itself stays, for the app; it is the same type.
//! - A request or response body, a streamed item or a multipart part whose own type is or
//!   holds a typed format directly stays a `String` (its formats are strings again): those
//!   values travel through the runtime's generic serde paths, not the generated impls.
//!   Parameters keep them when their value is a scalar or an array of scalars (written
//!   with the format's text); other parameter forms go through serde and are strings too.
//!   Named types inside any of these keep their formats, since their own impls handle them.

use crate::ir::{Format, Operation, ParamEncoding, PartKind, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// Settles the formats of `types` and `operations` (see the module docs).
pub(super) fn settle(types: &mut [TypeDef], operations: &mut [Operation]) {
    let aliases: BTreeMap<String, TypeRef> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(target) => Some((t.name.clone(), target.clone())),
            _ => None,
        })
        .collect();
    let formatted: BTreeMap<&str, &TypeRef> = aliases
        .iter()
        .filter(|(_, target)| holds(target, &aliases, 0))
        .map(|(name, target)| (name.as_str(), target))
        .collect();
    // An alias's own target stays as written (its definition is what the app reads).
    for t in types.iter_mut() {
        if !matches!(t.kind, TypeKind::Alias(_)) {
            t.for_each_type_mut(&mut |ty| inline(ty, &formatted));
        }
    }
    for op in operations.iter_mut() {
        for p in &mut op.params {
            let scalar = p.encoding == ParamEncoding::Simple;
            if scalar {
                inline(&mut p.ty, &formatted);
            }
            // A `byte` parameter stays the base64 text: a `&[u8]` argument would need an
            // encoder of its own, for a form no corpus document uses.
            let keeps = matches!(p.ty.strip_vec(), TypeRef::Format(f) if *f != Format::Byte);
            if !scalar || !keeps {
                strip(&mut p.ty, &formatted);
            }
        }
        if let Some(body) = &mut op.body {
            strip(&mut body.body.ty, &formatted);
            for part in body.multipart.iter_mut().flat_map(|m| &mut m.fields) {
                if let PartKind::Text(ty) | PartKind::Texts(ty) | PartKind::Json(ty) =
                    &mut part.kind
                {
                    strip(ty, &formatted);
                }
            }
        }
        if let Some(body) = &mut op.success.body {
            strip(&mut body.ty, &formatted);
        }
        for e in &mut op.errors {
            if let Some(body) = &mut e.body {
                strip(&mut body.ty, &formatted);
            }
        }
        if let Some(s) = &mut op.item_stream {
            strip(&mut s.item, &formatted);
        }
    }
}

/// How deep aliases are followed: alias cycles are broken before this pass, so this only
/// bounds the work on a pathological document.
const DEPTH: usize = 64;

/// Whether `ty` is or holds a typed format, through aliases.
fn holds(ty: &TypeRef, aliases: &BTreeMap<String, TypeRef>, depth: usize) -> bool {
    match ty {
        TypeRef::Format(_) => true,
        TypeRef::Named(n) if depth < DEPTH => aliases
            .get(n)
            .is_some_and(|target| holds(target, aliases, depth + 1)),
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => holds(inner, aliases, depth),
        _ => false,
    }
}

/// Writes out the aliases in `ty` that hold a typed format.
fn inline(ty: &mut TypeRef, formatted: &BTreeMap<&str, &TypeRef>) {
    rewrite(ty, formatted, false, 0);
}

/// Turns the typed formats `ty` holds directly (or through aliases) back into strings.
fn strip(ty: &mut TypeRef, formatted: &BTreeMap<&str, &TypeRef>) {
    rewrite(ty, formatted, true, 0);
}

/// Writes out the aliases in `ty` that hold a typed format, and with `strings` turns its
/// typed formats into `String`s.
fn rewrite(ty: &mut TypeRef, formatted: &BTreeMap<&str, &TypeRef>, strings: bool, depth: usize) {
    match ty {
        TypeRef::Format(_) if strings => *ty = TypeRef::String,
        TypeRef::Named(n) if depth < DEPTH => {
            if let Some(target) = formatted.get(n.as_str()) {
                *ty = (*target).clone();
                rewrite(ty, formatted, strings, depth + 1);
            }
        }
        _ => {
            if let Some(inner) = ty.wrapped_mut() {
                rewrite(inner, formatted, strings, depth);
            }
        }
    }
}
