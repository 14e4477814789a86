//! Which list operations page, and how: the `_stream` twin's rules.
//!
//! A list is an operation without a request body whose JSON success body is an array of
//! items, or an object with one array field (or several, one of them named like a list:
//! `data`, `items`, `results`, ...). Names below compare with case and everything but
//! letters and digits ignored (`page[size]` is `pagesize`, `per_page` is `perpage`). The
//! parameters a stream sets are optional query parameters, whose values it owns; every
//! other parameter stays the caller's. In order, the first that applies:
//!
//! 1. An `x-speakeasy-pagination`, `x-pagination` or `x-fern-pagination` extension names
//!    the parameters and fields; they are checked like the conventions' and used.
//! 2. **link-header**: a success response declares a `Link` header: the `rel="next"` URL
//!    (RFC 8288) is requested as it is.
//! 3. **cursor**: a cursor parameter (`cursor`, `page_token`, `iterator`, `after`, ...)
//!    and a body field of the same type (a string, or an integer) with the next page's
//!    token (`next_cursor`, `next_page_token`, `iterator`, `end_cursor`, `next`, ...), at
//!    the top or up to two objects down (`meta.pagination.next_cursor`).
//! 4. **last-id**: an `after`/`starting_after`/`after_id` parameter and items with an `id`
//!    of the parameter's type: the last item's id asks for the next page.
//! 5. **offset**: an integer `offset`/`start`/`startAt`/`skip` parameter: advanced by the
//!    items received; ends at a total (`total`, `total_count`, ...) when the body has one.
//! 6. **page-number**: integer `page` and page-size parameters: counts from the
//!    parameter's default (else its minimum, else 1); ends at a page count (`total_pages`,
//!    `last_page`, ...) or on a page shorter than an earlier one.
//! 7. **next-url**: a body field with the next page's URL (`next`, `next_url`, `nextPage`,
//!    `next_link`, ...), requested as it is.
//!
//! A page-size parameter (`limit`, `per_page`, `page_size`, `maxResults`, ...) becomes the
//! stream's own argument. A boolean field saying whether more follow (`has_more`,
//! `hasNextPage`, `more`; or `isLast`, `done`) ends the stream when it says so. A list
//! with a sign of paging that no rule pairs gets a `not-paginated` warning with the
//! reason; the signs are an offset, page, cursor or last-id parameter, a `Link` header, a
//! token, next-URL or more/last field, or an extension (a page size or a total alone is
//! not one: "at most N" and counts are common in lists that do not page).

use super::Lowerer;
use crate::error::WarningKind;
use crate::ir::{
    BodyEncoding, FieldPath, FieldStep, MoreFlag, PageNext, PageParam, PageSize, PageSource,
    Pagination, Param, ParamEncoding, ParamLocation, Success, TypeDef, TypeKind, TypeRef,
};
use crate::naming::Namespace;
use std::collections::BTreeMap;

/// How deep aliases and nested objects are followed.
const DEPTH: usize = 2;

/// Field names of a list's items when the body has several arrays.
const ITEMS: &[&str] = &[
    "data", "items", "results", "values", "records", "entries", "elements", "list",
];
/// Array fields that sit beside a list's items without being them.
const NOT_ITEMS: &[&str] = &["errors", "warnings", "messages"];
const SIZE: &[&str] = &[
    "limit",
    "perpage",
    "pagesize",
    "size",
    "maxresults",
    "pagelimit",
    "itemsperpage",
    "count",
    "amount",
    "top",
    "first",
];
const OFFSET: &[&str] = &[
    "offset",
    "startat",
    "start",
    "skip",
    "pageoffset",
    "startindex",
];
const PAGE: &[&str] = &["page", "pagenumber", "pagenum", "pageindex"];
const CURSOR: &[&str] = &[
    "cursor",
    "pagetoken",
    "nextpagetoken",
    "pagecursor",
    "iterator",
    "after",
    "pageafter",
    "startingafter",
    "continuationtoken",
    "startingtoken",
    "nexttoken",
    "marker",
    "pagemarker",
];
/// Body fields with the next page's token, preferred in this order.
const TOKEN: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "endcursor",
    "continuationtoken",
    "nextmarker",
    "iterator",
    "cursor",
    "nextpage",
    "next",
    "after",
    "nextoffset",
];
const LAST_ID: &[&str] = &["after", "startingafter", "afterid", "startingafterid"];
const TOTAL: &[&str] = &[
    "totalcount",
    "total",
    "totalresults",
    "totalentries",
    "totalrecords",
    "totalitems",
    "totalsize",
];
const LAST_PAGE: &[&str] = &["totalpages", "lastpage", "pagecount", "numpages", "pages"];
const NEXT_URL: &[&str] = &[
    "next",
    "nexturl",
    "nextpageurl",
    "nextpage",
    "nextlink",
    "nexthref",
];
const MORE: &[&str] = &["hasmore", "hasnextpage", "hasnext", "more", "moreavailable"];
const LAST: &[&str] = &["islast", "islastpage", "last", "done"];

/// Letters and digits, lower-cased: how names are compared.
fn key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What the lowering of one operation knows that its pagination needs.
pub(super) struct List<'x, 'a> {
    pub op: &'a openapiv3::Operation,
    pub params: &'x [Param],
    pub success: &'x Success,
    pub has_body: bool,
    /// A success response declares a `Link` header.
    pub link_header: bool,
    /// Integer query parameters' defaults (else minimums), by wire name.
    pub starts: BTreeMap<String, i64>,
    pub pointer: &'x str,
}

/// Where a list's items are.
struct Items {
    steps: Vec<FieldStep>,
    item: TypeRef,
    /// The body's struct, when the items are one of its fields.
    body: Option<String>,
}

/// The parameters and fields an extension names, by role.
#[derive(Default)]
struct Named {
    offset: Option<String>,
    page: Option<String>,
    cursor: Option<String>,
    size: Option<String>,
    /// Wire names from the body down.
    items: Option<Vec<String>>,
    token: Option<Vec<String>>,
    url: Option<Vec<String>>,
    /// The extension's name, for messages.
    from: &'static str,
}

impl<'a> Lowerer<'a> {
    /// The operation's pagination, by the rules in the module docs; `stream_name` names the
    /// stream method once it is known to have one.
    pub(super) fn pagination(
        &mut self,
        list: List<'_, 'a>,
        stream_name: impl FnOnce() -> String,
    ) -> Option<Pagination> {
        let named = extension(list.op);
        // An extension may name items where the conventions would not look.
        let items = match (self.items(list.success), &named) {
            (Some(items), _) => items,
            (None, Some(n)) if n.items.is_some() => Items {
                steps: Vec::new(),
                item: TypeRef::Value,
                body: Some(self.body_struct(list.success)?),
            },
            (None, _) => return None,
        };
        let hinted = named.is_some() || self.hinted(&list, &items);
        if list.has_body {
            if hinted {
                self.warn(
                    WarningKind::NotPaginated,
                    list.pointer,
                    "a list with paging parameters, but it has a request body: streams are generated for lists without one",
                );
            }
            return None;
        }
        let found = match &named {
            Some(named) => self.by_extension(&list, &items, named),
            None => self.by_convention(&list, &items),
        };
        let (next, items, source) = match found {
            Ok(found) => found,
            Err(reason) => {
                if hinted {
                    self.warn(WarningKind::NotPaginated, list.pointer, reason);
                }
                return None;
            }
        };
        let size = match &named {
            Some(n) => n
                .size
                .as_deref()
                .and_then(|w| int_param(list.params, &[], Some(w))),
            None => int_param(list.params, SIZE, None),
        };
        let page_size = size.map(|param| {
            // The stream's arguments: the ungrouped parameters, and `params` for the rest.
            let mut arg_names = Namespace::with_reserved(&["params"]);
            for p in list.params.iter().filter(|p| !p.grouped) {
                arg_names.unique(p.name.clone());
            }
            PageSize {
                param,
                arg: arg_names.unique("page_size".into()),
            }
        });
        if matches!(next, PageNext::Number { .. }) && page_size.is_none() {
            return None;
        }
        let more = items.body.as_deref().and_then(|body| self.more(body));
        // The page closure's bindings, apart from every name it passes on.
        let mut locals = Namespace::with_reserved(&["params", "client"]);
        for p in list.params {
            locals.unique(p.name.clone());
        }
        if let Some(size) = &page_size {
            locals.unique(size.arg.clone());
        }
        Some(Pagination {
            state_local: locals.unique("at".into()),
            known_local: locals.unique("known".into()),
            stream_name: stream_name(),
            short_page_ends: matches!(next, PageNext::Number { .. }),
            page_size,
            items: items.steps,
            item: items.item,
            next,
            more,
            source,
        })
    }

    /// Where the success body's items are, if it is a list.
    fn items(&self, success: &Success) -> Option<Items> {
        items(success, &|name| self.type_def(name))
    }

    /// The name of the success body's struct, through aliases.
    fn body_struct(&self, success: &Success) -> Option<String> {
        let body = success
            .body
            .as_ref()
            .filter(|b| b.encoding == BodyEncoding::Json)?;
        let mut ty = &body.ty;
        for _ in 0..=DEPTH {
            let TypeRef::Named(name) = ty else {
                return None;
            };
            match &self.type_def(name)?.kind {
                TypeKind::Alias(target) => ty = target,
                TypeKind::Struct(_) => return Some(name.clone()),
                _ => return None,
            }
        }
        None
    }

    /// Whether a list shows a sign of paging: a parameter or body field the rules know, or
    /// a `Link` header.
    fn hinted(&self, list: &List<'_, 'a>, items: &Items) -> bool {
        let params = list.params.iter().any(|p| {
            p.location == ParamLocation::Query && {
                let k = key(&p.wire_name);
                [OFFSET, PAGE, CURSOR, LAST_ID]
                    .iter()
                    .any(|names| names.contains(&k.as_str()))
            }
        });
        let fields = items.body.as_deref().is_some_and(|body| {
            [TOKEN, NEXT_URL, MORE, LAST]
                .iter()
                .any(|names| self.field(body, names, None).is_some())
        });
        params || fields || list.link_header
    }

    fn by_convention(
        &self,
        list: &List<'_, 'a>,
        items: &Items,
    ) -> Result<(PageNext, Items, PageSource), String> {
        let items = Items {
            steps: items.steps.clone(),
            item: items.item.clone(),
            body: items.body.clone(),
        };
        let body = items.body.as_deref();
        if list.link_header {
            let param =
                int_param(list.params, PAGE, None).or_else(|| str_param(list.params, CURSOR, None));
            return Ok((PageNext::Link { param }, items, PageSource::Convention));
        }
        // A cursor: a parameter and a body token of the same type.
        for p in list.params.iter().filter(|p| pageable(p)) {
            if !CURSOR.contains(&key(&p.wire_name).as_str()) {
                continue;
            }
            if let Some(token) = body.and_then(|b| self.field(b, TOKEN, Some(&p.ty))) {
                return Ok((
                    PageNext::Cursor {
                        param: page_param(list.params, p),
                        token,
                    },
                    items,
                    PageSource::Convention,
                ));
            }
        }
        // The last item's id.
        if let Some(p) = list
            .params
            .iter()
            .filter(|p| pageable(p))
            .find(|p| LAST_ID.contains(&key(&p.wire_name).as_str()))
            && let Some(id) = self.item_id(&items.item, &p.ty)
        {
            return Ok((
                PageNext::LastId {
                    param: page_param(list.params, p),
                    id,
                },
                items,
                PageSource::Convention,
            ));
        }
        if let Some(param) = int_param(list.params, OFFSET, None) {
            let total = body.and_then(|b| self.int_field(b, TOTAL));
            return Ok((
                PageNext::Offset { param, total },
                items,
                PageSource::Convention,
            ));
        }
        if let Some(param) = int_param(list.params, PAGE, None)
            && int_param(list.params, SIZE, None).is_some()
        {
            let first = first_page(list, &param);
            let last = body.and_then(|b| self.int_field(b, LAST_PAGE));
            return Ok((
                PageNext::Number { param, first, last },
                items,
                PageSource::Convention,
            ));
        }
        if let Some(url) = body.and_then(|b| self.field(b, NEXT_URL, Some(&TypeRef::String))) {
            let param =
                int_param(list.params, PAGE, None).or_else(|| str_param(list.params, CURSOR, None));
            return Ok((
                PageNext::NextUrl { url, param },
                items,
                PageSource::Convention,
            ));
        }
        Err(self.why_not(list, body))
    }

    /// The reason a list with signs of paging matched no rule.
    fn why_not(&self, list: &List<'_, 'a>, body: Option<&str>) -> String {
        let query: Vec<&str> = list
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
            .map(|p| p.wire_name.as_str())
            .collect();
        let fields: Vec<String> = body
            .and_then(|b| match &self.type_def(b)?.kind {
                TypeKind::Struct(s) => {
                    Some(s.fields.iter().map(|f| format!("`{}`", f.wire)).collect())
                }
                _ => None,
            })
            .unwrap_or_default();
        let cursor = list
            .params
            .iter()
            .find(|p| CURSOR.contains(&key(&p.wire_name).as_str()));
        let detail = match cursor {
            Some(p) if !pageable(p) => format!(
                "its cursor parameter `{}` is required or not a plain query value",
                p.wire_name
            ),
            Some(p) if body.is_none() => format!(
                "nothing feeds its cursor parameter `{}`: the body is a bare array and no `Link` header is declared",
                p.wire_name
            ),
            Some(p) => format!(
                "its cursor parameter `{}` has no body field with the next one of its type (fields: {})",
                p.wire_name,
                if fields.is_empty() { "none".to_string() } else { fields.join(", ") }
            ),
            None if list.params.iter().any(|p| PAGE.contains(&key(&p.wire_name).as_str())) => {
                "it has a page parameter but no page-size parameter, `Link` header or next-page field".to_string()
            }
            None => format!(
                "no rule pairs its query parameters ({}) with its body fields ({})",
                if query.is_empty() { "none".to_string() } else { query.iter().map(|q| format!("`{q}`")).collect::<Vec<_>>().join(", ") },
                if fields.is_empty() { "none".to_string() } else { fields.join(", ") }
            ),
        };
        format!("a list that looks paginated gets no stream: {detail}")
    }

    fn by_extension(
        &self,
        list: &List<'_, 'a>,
        items: &Items,
        named: &Named,
    ) -> Result<(PageNext, Items, PageSource), String> {
        let from = named.from;
        let items = match &named.items {
            Some(path) => {
                let body = items.body.as_deref().ok_or_else(|| {
                    format!("`{from}` names results in a body that is not an object")
                })?;
                let (steps, ty) = self.path(body, path).ok_or_else(|| {
                    format!(
                        "`{from}` names results `{}`, which the body does not have",
                        path.join(".")
                    )
                })?;
                let TypeRef::Vec(item) = ty else {
                    return Err(format!(
                        "`{from}` names results `{}`, which is not an array",
                        path.join(".")
                    ));
                };
                Items {
                    steps,
                    item: *item,
                    body: items.body.clone(),
                }
            }
            None => Items {
                steps: items.steps.clone(),
                item: items.item.clone(),
                body: items.body.clone(),
            },
        };
        let param = |wire: &str| {
            list.params
                .iter()
                .find(|p| p.wire_name == wire && pageable(p))
                .map(|p| page_param(list.params, p))
                .ok_or_else(|| format!("`{from}` names parameter `{wire}`, which is not an optional query parameter"))
        };
        let body = items.body.clone();
        let field = |path: &[String]| {
            let body = body.as_deref()?;
            let (steps, ty) = self.path(body, path)?;
            let ty = ty.strip_option().clone();
            Some(FieldPath { steps, ty })
        };
        let next = if let Some(wire) = &named.cursor {
            let param = param(wire)?;
            let ty = &list.params[param.index].ty;
            let token = match &named.token {
                Some(path) => field(path).filter(|f| &f.ty == ty),
                None => body.as_deref().and_then(|b| self.field(b, TOKEN, Some(ty))),
            }
            .ok_or_else(|| {
                format!(
                    "`{from}` names cursor `{wire}` but no body field of its type with the next one"
                )
            })?;
            PageNext::Cursor { param, token }
        } else if let Some(wire) = &named.offset {
            let param = param(wire)?;
            let total = body.as_deref().and_then(|b| self.int_field(b, TOTAL));
            PageNext::Offset { param, total }
        } else if let Some(wire) = &named.page {
            let param = param(wire)?;
            let first = first_page(list, &param);
            let last = body.as_deref().and_then(|b| self.int_field(b, LAST_PAGE));
            PageNext::Number { param, first, last }
        } else if let Some(path) = &named.url {
            let url = field(path)
                .filter(|f| f.ty == TypeRef::String)
                .ok_or_else(|| {
                    format!(
                        "`{from}` names next URL `{}`, which the body does not have as a string",
                        path.join(".")
                    )
                })?;
            PageNext::NextUrl { url, param: None }
        } else {
            return Err(format!(
                "`{from}` names no cursor, offset, page or next URL parameter the client can send"
            ));
        };
        if let PageNext::Offset { param, .. } | PageNext::Number { param, .. } = &next
            && !matches!(list.params[param.index].ty, TypeRef::I32 | TypeRef::I64)
        {
            return Err(format!(
                "`{from}` names parameter `{}`, which is not an integer",
                list.params[param.index].wire_name
            ));
        }
        Ok((next, items, PageSource::Extension))
    }

    /// The first field named in `names` (in their order, shallower first) of the struct
    /// `body` or of objects up to [`DEPTH`] fields down, of type `ty` when given. Objects
    /// named `links` hold URLs, not tokens, and are not searched for tokens.
    fn field(&self, body: &str, names: &[&str], ty: Option<&TypeRef>) -> Option<FieldPath> {
        let mut level: Vec<(Vec<FieldStep>, &str)> = vec![(Vec::new(), body)];
        for depth in 0..=DEPTH {
            let mut found: Option<(usize, FieldPath)> = None;
            let mut next_level = Vec::new();
            for (steps, name) in &level {
                let Some(TypeKind::Struct(s)) = self.type_def(name).map(|d| &d.kind) else {
                    continue;
                };
                for f in &s.fields {
                    let k = key(&f.wire);
                    let inner = f.ty.strip_option();
                    let step = FieldStep {
                        name: f.name.clone(),
                        optional: matches!(f.ty, TypeRef::Option(_)),
                    };
                    if let Some(rank) = names.iter().position(|n| *n == k)
                        && ty.is_none_or(|t| same(t, inner))
                        && found.as_ref().is_none_or(|(r, _)| rank < *r)
                    {
                        let mut steps = steps.clone();
                        steps.push(step.clone());
                        found = Some((
                            rank,
                            FieldPath {
                                steps,
                                ty: inner.clone(),
                            },
                        ));
                    }
                    if depth < DEPTH
                        && let TypeRef::Named(n) = inner
                        && !(names != NEXT_URL && (k == "links" || k == "link"))
                    {
                        let mut steps = steps.clone();
                        steps.push(step);
                        next_level.push((steps, n.as_str()));
                    }
                }
            }
            if let Some((_, path)) = found {
                return Some(path);
            }
            level = next_level;
        }
        None
    }

    /// An integer field named in `names` (see [`Lowerer::field`]).
    fn int_field(&self, body: &str, names: &[&str]) -> Option<FieldPath> {
        self.field(body, names, Some(&TypeRef::I64))
    }

    /// The body's flag saying whether more pages follow.
    fn more(&self, body: &str) -> Option<MoreFlag> {
        if let Some(path) = self.field(body, MORE, Some(&TypeRef::Bool)) {
            return Some(MoreFlag { path, last: false });
        }
        let path = self.field(body, LAST, Some(&TypeRef::Bool))?;
        Some(MoreFlag { path, last: true })
    }

    /// The item's `id` field, when it has the parameter's type.
    fn item_id(&self, item: &TypeRef, ty: &TypeRef) -> Option<FieldStep> {
        let TypeRef::Named(name) = item else {
            return None;
        };
        let TypeKind::Struct(s) = &self.type_def(name)?.kind else {
            return None;
        };
        let f = s
            .fields
            .iter()
            .find(|f| f.wire == "id" && f.ty.strip_option() == ty)?;
        Some(FieldStep {
            name: f.name.clone(),
            optional: matches!(f.ty, TypeRef::Option(_)),
        })
    }

    /// The fields at wire names `path` from the struct `body`, and the last one's type.
    fn path(&self, body: &str, path: &[String]) -> Option<(Vec<FieldStep>, TypeRef)> {
        let mut name = body.to_string();
        let mut steps = Vec::new();
        let mut ty = None;
        for (i, wire) in path.iter().enumerate() {
            let TypeKind::Struct(s) = &self.type_def(&name)?.kind else {
                return None;
            };
            let f = s.fields.iter().find(|f| &f.wire == wire)?;
            steps.push(FieldStep {
                name: f.name.clone(),
                optional: matches!(f.ty, TypeRef::Option(_)),
            });
            let inner = f.ty.strip_option().clone();
            if i + 1 < path.len() {
                let TypeRef::Named(n) = &inner else {
                    return None;
                };
                name = n.clone();
            }
            ty = Some(inner);
        }
        Some((steps, ty?))
    }
}

/// Where the success body's items are, if it is a list (`type_def` finds a named type).
fn items<'t>(success: &Success, type_def: &dyn Fn(&str) -> Option<&'t TypeDef>) -> Option<Items> {
    let body = success
        .body
        .as_ref()
        .filter(|b| b.encoding == BodyEncoding::Json)?;
    let mut ty = &body.ty;
    for _ in 0..=DEPTH {
        match ty {
            TypeRef::Vec(item) => {
                return Some(Items {
                    steps: Vec::new(),
                    item: (**item).clone(),
                    body: None,
                });
            }
            TypeRef::Named(name) => match &type_def(name)?.kind {
                TypeKind::Alias(target) => ty = target,
                TypeKind::Struct(s) => {
                    // Errors and warnings beside the items (`{"errors": [], "customers": []}`)
                    // are not what is listed.
                    let arrays: Vec<_> = s
                        .fields
                        .iter()
                        .filter(|f| matches!(f.ty.strip_option(), TypeRef::Vec(_)))
                        .filter(|f| !NOT_ITEMS.contains(&key(&f.wire).as_str()))
                        .collect();
                    let field = match arrays.as_slice() {
                        [one] => *one,
                        many => *many
                            .iter()
                            .find(|f| ITEMS.contains(&key(&f.wire).as_str()))?,
                    };
                    let TypeRef::Vec(item) = field.ty.strip_option() else {
                        return None;
                    };
                    return Some(Items {
                        steps: vec![FieldStep {
                            name: field.name.clone(),
                            optional: matches!(field.ty, TypeRef::Option(_)),
                        }],
                        item: (**item).clone(),
                        body: Some(name.clone()),
                    });
                }
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// Whether an operation of `api` is a list: its JSON success body is an array of items or
/// an object with one array field (or several, one named like a list), the rule the
/// pagination rules start from. For reports: how many lists there are against how many
/// page.
pub fn is_list(api: &crate::ir::Api, op: &crate::ir::Operation) -> bool {
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    items(&op.success, &|name| types.get(name).copied()).is_some()
}

/// Integers match integers of any width (the generated code widens); others match exactly.
fn same(want: &TypeRef, have: &TypeRef) -> bool {
    let int = |t: &TypeRef| matches!(t, TypeRef::I32 | TypeRef::I64);
    (int(want) && int(have)) || want == have
}

/// A parameter a stream may set: an optional, plainly written query parameter.
fn pageable(p: &Param) -> bool {
    p.location == ParamLocation::Query && !p.required && p.encoding == ParamEncoding::Simple
}

fn page_param(params: &[Param], p: &Param) -> PageParam {
    let index = params
        .iter()
        .position(|q| std::ptr::eq(q, p))
        .unwrap_or_default();
    PageParam {
        index,
        name: p.name.clone(),
        grouped: p.grouped,
    }
}

/// The first optional integer query parameter named in `names` (or exactly `wire`).
fn int_param(params: &[Param], names: &[&str], wire: Option<&str>) -> Option<PageParam> {
    params
        .iter()
        .filter(|p| pageable(p) && matches!(p.ty, TypeRef::I32 | TypeRef::I64))
        .find(|p| match wire {
            Some(w) => p.wire_name == w,
            None => names.contains(&key(&p.wire_name).as_str()),
        })
        .map(|p| page_param(params, p))
}

/// The first optional string query parameter named in `names` (or exactly `wire`).
fn str_param(params: &[Param], names: &[&str], wire: Option<&str>) -> Option<PageParam> {
    params
        .iter()
        .filter(|p| pageable(p) && p.ty == TypeRef::String)
        .find(|p| match wire {
            Some(w) => p.wire_name == w,
            None => names.contains(&key(&p.wire_name).as_str()),
        })
        .map(|p| page_param(params, p))
}

/// The first page's number: the parameter's default, else its minimum, else 1.
fn first_page(list: &List<'_, '_>, param: &PageParam) -> i64 {
    let wire = &list.params[param.index].wire_name;
    list.starts.get(wire).copied().unwrap_or(1)
}

/// The roles an operation's pagination extension names, if it has one.
fn extension(op: &openapiv3::Operation) -> Option<Named> {
    let ext = |name: &str| op.extensions.get(name).filter(|v| v.is_object());
    let text =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    // JSONPath-like `$.a.b` or `$response.a.b` → ["a", "b"].
    let path = |s: String| -> Vec<String> {
        let s = s
            .trim_start_matches("$response")
            .trim_start_matches('$')
            .trim_start_matches('.');
        s.split('.')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    if let Some(v) = ext("x-speakeasy-pagination") {
        let mut named = Named {
            from: "x-speakeasy-pagination",
            ..Named::default()
        };
        for input in v
            .get("inputs")
            .and_then(|i| i.as_array())
            .into_iter()
            .flatten()
        {
            let (Some(name), Some(kind)) = (text(input, "name"), text(input, "type")) else {
                continue;
            };
            // Inputs in the request body cannot be set by a stream without one.
            if text(input, "in").as_deref() != Some("parameters") {
                continue;
            }
            match kind.as_str() {
                "cursor" => named.cursor = Some(name),
                "offset" => named.offset = Some(name),
                "page" => named.page = Some(name),
                "limit" => named.size = Some(name),
                _ => {}
            }
        }
        if let Some(outputs) = v.get("outputs") {
            named.items = text(outputs, "results").map(path);
            named.token = text(outputs, "nextCursor").map(path);
        }
        if text(v, "type").as_deref() == Some("url") {
            named.url = v.get("outputs").and_then(|o| text(o, "nextUrl")).map(path);
        }
        return Some(named);
    }
    if let Some(v) = ext("x-pagination") {
        return Some(Named {
            from: "x-pagination",
            offset: text(v, "pageOffsetParam"),
            page: text(v, "pageParam"),
            cursor: text(v, "cursorParam"),
            size: text(v, "limitParam"),
            items: text(v, "resultsPath").map(path),
            token: text(v, "cursorPath").map(path),
            url: None,
        });
    }
    if let Some(v) = ext("x-fern-pagination") {
        let request = |k: &str| {
            text(v, k).map(|s| {
                s.trim_start_matches("$request.")
                    .trim_start_matches("$query.")
                    .to_string()
            })
        };
        return Some(Named {
            from: "x-fern-pagination",
            cursor: request("cursor"),
            offset: if v.get("cursor").is_none() {
                request("offset")
            } else {
                None
            },
            page: None,
            size: request("step").or_else(|| request("limit")),
            items: text(v, "results").map(path),
            token: text(v, "next_cursor").map(path),
            url: None,
        });
    }
    None
}

/// Integer query parameters' first values (default, else minimum) by wire name, from the
/// operation's and its path item's parameters written inline.
pub(super) fn starts(
    item: &openapiv3::PathItem,
    op: &openapiv3::Operation,
) -> BTreeMap<String, i64> {
    let mut starts = BTreeMap::new();
    for p in item.parameters.iter().chain(&op.parameters) {
        let Some(openapiv3::Parameter::Query { parameter_data, .. }) = p.as_item() else {
            continue;
        };
        let openapiv3::ParameterSchemaOrContent::Schema(openapiv3::ReferenceOr::Item(schema)) =
            &parameter_data.format
        else {
            continue;
        };
        let start = schema
            .schema_data
            .default
            .as_ref()
            .and_then(serde_json::Value::as_i64)
            .or(match &schema.schema_kind {
                openapiv3::SchemaKind::Type(openapiv3::Type::Integer(i)) => i.minimum,
                _ => None,
            });
        if let Some(start) = start {
            starts.insert(parameter_data.name.clone(), start);
        }
    }
    starts
}

/// Whether a success response of `op` declares a `Link` header.
pub(super) fn declares_link(doc: &openapiv3::OpenAPI, op: &openapiv3::Operation) -> bool {
    op.responses.responses.iter().any(|(code, r)| {
        let success = match code {
            openapiv3::StatusCode::Code(c) => (200..300).contains(c),
            openapiv3::StatusCode::Range(d) => *d == 2,
        };
        let response = match r {
            openapiv3::ReferenceOr::Item(r) => Some(r),
            openapiv3::ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/responses/")
                .and_then(|n| doc.components.as_ref()?.responses.get(n)?.as_item()),
        };
        success
            && response.is_some_and(|r| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
    })
}
