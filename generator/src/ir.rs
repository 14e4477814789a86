//! The intermediate representation: everything the generator knows about an API, as plain data.
//!
//! `lower` builds it from the spec; `emit` reads only this. Every name in here is already a
//! valid, unique Rust identifier, every `$ref` is resolved, and every schema has been given a
//! Rust type. Vectors keep document order, which is what makes output deterministic.

/// A whole API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The first absolute `servers` URL, with server variables replaced by their defaults.
    pub default_base_url: Option<String>,
    /// The security schemes the client applies, in document order;
    /// [`Operation::security`] indexes this list.
    pub security_schemes: Vec<SecurityScheme>,
    /// Environment variable `Client::from_env` reads an optional base URL from.
    pub env_base_url: String,
    /// Named types, in the order they are emitted: component schemas in document order, then
    /// inline types in the order lowering met them. Each operation's error enum is described
    /// by the operation itself.
    pub types: Vec<TypeDef>,
    /// Operations in document order (path, then method in the spec's method order).
    pub operations: Vec<Operation>,
    /// The document's `tags`, in its order, then tags only operations name, in the order
    /// operations first name them: the sections of the crate docs' operation list.
    pub tags: Vec<Tag>,
    /// How operations and types are split into Cargo features.
    pub grouping: Grouping,
    /// Derives and attributes the config adds to the types.
    pub type_attributes: TypeAttributes,
}

/// What the config's `[types]` adds to the generated types.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TypeAttributes {
    /// Derives for every type generated from a schema.
    pub derives: Vec<String>,
    /// Derives for one type, by its Rust name.
    pub by_type: std::collections::BTreeMap<String, Vec<String>>,
    /// `#[non_exhaustive]` on the enums.
    pub non_exhaustive: bool,
}

impl TypeAttributes {
    /// The attribute lines type `name` gets, given the derives it has (`own`) and whether
    /// it is an enum: one `#[derive(...)]` of the added derives it lacks, and
    /// `#[non_exhaustive]`.
    pub fn lines(&self, name: &str, own: &[&str], is_enum: bool) -> Vec<String> {
        let mut derives: Vec<&str> = Vec::new();
        for d in self
            .derives
            .iter()
            .chain(self.by_type.get(name).into_iter().flatten())
        {
            if !own.contains(&d.as_str()) && !derives.contains(&d.as_str()) {
                derives.push(d);
            }
        }
        let mut lines = Vec::new();
        if !derives.is_empty() {
            lines.push(format!("#[derive({})]", derives.join(", ")));
        }
        if is_enum && self.non_exhaustive {
            lines.push("#[non_exhaustive]".to_string());
        }
        lines
    }
}

/// The API's own grouping of its operations, one Cargo feature per group, so an app
/// compiles only the operations it turns on and the types they reach.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grouping {
    /// What the groups are.
    pub by: GroupBy,
    /// Why this grouping was chosen, in a sentence for the maintainer.
    pub reason: String,
    /// The groups, in the order their first operation appears.
    pub groups: Vec<Group>,
    /// Per operation (by index in [`Api::operations`]), the groups it belongs to.
    pub operations: Vec<Vec<usize>>,
    /// Per named type, the groups whose operations reach it. A type every group reaches
    /// is not listed (it is compiled whenever the crate is); a type no operation reaches
    /// is listed with no groups (compiled with the `full` feature only).
    pub types: std::collections::BTreeMap<String, Vec<usize>>,
}

/// What the groups of a [`Grouping`] are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// The operations' tags.
    Tags,
    /// The first path segment after any version prefix (`/v1/customers/{id}` → `customers`).
    Paths,
    /// No groups: every operation is always compiled.
    #[default]
    None,
}

/// One group of operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The tag or path segment.
    pub name: String,
    /// Its Cargo feature.
    pub feature: String,
    /// The operations in it, by index in [`Api::operations`].
    pub operations: Vec<usize>,
}

/// A tag grouping operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Its name.
    pub name: String,
    /// Its `description`.
    pub description: Option<String>,
}

/// Methods and associated items the generated `Client` defines besides the operations'
/// (its own, and those of the traits it implements). Lowering keeps operation methods off
/// these names; a test checks the list against the emitted `Client`.
pub const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "clone",
    "fmt",
    "from_env",
    "new",
    "with_header",
    "with_idempotency_key",
    "with_max_retries",
    "with_max_retry_after",
    "with_non_idempotent_retries",
    "with_timeout",
];

/// Methods the generated `ClientBuilder` defines besides the security schemes' setters
/// (its own, and those of the traits it implements). Lowering keeps setters off these
/// names; a test checks the list against the emitted `ClientBuilder`.
pub const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "build",
    "clone",
    "connect_timeout",
    "fmt",
    "max_response_bytes",
    "max_retries",
    "on_request",
    "on_response",
    "respect_rate_limits",
    "timeout",
    "user_agent",
    "with_reqwest_client",
];

/// A security scheme of `components.securitySchemes` that the client applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes`.
    pub key: String,
    /// JSON pointer of the scheme.
    pub source: String,
    /// `description`.
    pub description: Option<String>,
    /// The `ClientBuilder` method that sets its credential: by kind when the API has one
    /// scheme of that kind (`api_key`, `basic_auth`, `bearer_token`, `oauth2_token`), from
    /// the scheme's key otherwise.
    pub setter: String,
    /// The environment variable `Client::from_env` reads its credential from.
    pub env_var: String,
    /// Where the credential goes.
    pub kind: SchemeKind,
}

/// How a scheme's credential travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// An API key in a header, query parameter or cookie of this name.
    ApiKey {
        /// Where.
        location: KeyLocation,
        /// The header, parameter or cookie name.
        name: String,
    },
    /// HTTP Basic: a user and a password.
    Basic,
    /// `Authorization: <scheme> <token>`: HTTP `bearer` and other token schemes, OAuth2 and
    /// OpenID Connect (as `Bearer`). The token is fixed or comes from a token source.
    Token {
        /// The HTTP authentication scheme, as the header spells it (`Bearer`).
        scheme: String,
        /// The builder method that takes a token source.
        source_setter: String,
        /// For an OAuth2 scheme with a client-credentials flow: the builder method that
        /// takes the client id and secret, and the flow's `tokenUrl`.
        client_credentials: Option<(String, String)>,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// A named Rust type the client defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDef {
    /// Rust name, unique in the `types` module.
    pub name: String,
    /// JSON pointer of the schema or response this type came from, in the document as
    /// written.
    pub source: String,
    /// Whether the type stands for a component schema, or for a schema elsewhere that a
    /// `$ref` points at (the load stage makes those components); `--names` lists these.
    pub component: bool,
    /// Rustdoc: the schema's description, else its title.
    pub doc: Option<String>,
    /// What the type is.
    pub kind: TypeKind,
}

impl TypeDef {
    /// Calls `f` with every named type the definition refers to directly (fields, the
    /// map of other properties, union branches, an alias's target).
    pub fn for_each_named(&self, f: &mut dyn FnMut(&str)) {
        match &self.kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    field.ty.for_each_named(f);
                }
                if let Some(extra) = &s.additional {
                    extra.value.for_each_named(f);
                }
            }
            TypeKind::StringEnum(_) => {}
            TypeKind::Untagged(variants) => {
                for v in variants {
                    v.ty.for_each_named(f);
                }
            }
            TypeKind::Tagged(t) => {
                for v in &t.variants {
                    v.ty.for_each_named(f);
                }
            }
            TypeKind::Alias(ty) => ty.for_each_named(f),
        }
    }
}

impl TypeDef {
    /// Calls `f` with every type reference of the definition ([`TypeDef::for_each_named`]'s
    /// places), to change it.
    pub fn for_each_type_mut(&mut self, f: &mut dyn FnMut(&mut TypeRef)) {
        match &mut self.kind {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().for_each(|field| f(&mut field.ty));
                if let Some(extra) = &mut s.additional {
                    f(&mut extra.value);
                }
            }
            TypeKind::StringEnum(_) => {}
            TypeKind::Untagged(variants) => variants.iter_mut().for_each(|v| f(&mut v.ty)),
            TypeKind::Tagged(t) => t.variants.iter_mut().for_each(|v| f(&mut v.ty)),
            TypeKind::Alias(ty) => f(ty),
        }
    }
}

/// The names of the types `roots` reach, themselves included, through the definitions in
/// `index` (by name); a root or reference with no definition there is skipped.
pub fn reached<'a>(
    index: &std::collections::BTreeMap<&str, &'a TypeDef>,
    roots: Vec<String>,
) -> std::collections::BTreeSet<&'a str> {
    let mut stack = roots;
    let mut seen = std::collections::BTreeSet::new();
    while let Some(name) = stack.pop() {
        let Some(def) = index.get(name.as_str()) else {
            continue;
        };
        if seen.insert(def.name.as_str()) {
            def.for_each_named(&mut |n| stack.push(n.to_string()));
        }
    }
    seen
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum; unknown values land in a catch-all variant.
    StringEnum(StringEnum),
    /// `anyOf`/`oneOf` of several types, decoded by trying each in order.
    Untagged(Vec<UnionVariant>),
    /// `oneOf`/`anyOf` with a `discriminator`: the property's value picks the variant.
    Tagged(Tagged),
    /// `pub type Name = ...;` for a component schema that is not an object, enum or union.
    Alias(TypeRef),
}

/// A struct and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Struct {
    /// Fields in property order.
    pub fields: Vec<Field>,
    /// Type of properties not listed (`additionalProperties`), collected into a map field.
    pub additional: Option<AdditionalField>,
}

/// A struct field for one property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Rust name.
    pub name: String,
    /// Property name on the wire.
    pub wire: String,
    /// Field type; `Option` when the property is optional or nullable.
    pub ty: TypeRef,
    /// Whether the property is in `required`. An optional field is skipped when `None`.
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// The map field that catches properties a struct does not list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdditionalField {
    /// Rust name of the field (usually `additional_properties`).
    pub name: String,
    /// Type of each value.
    pub value: TypeRef,
}

/// A string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringEnum {
    /// Known values in spec order.
    pub variants: Vec<EnumVariant>,
    /// Name of the catch-all variant holding any other string.
    pub other: String,
}

/// One known value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub value: String,
}

/// One branch of an untagged union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// The branch's type.
    pub ty: TypeRef,
}

/// A union whose variant is chosen by one property's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged {
    /// The discriminating property, as on the wire.
    pub property: String,
    /// One variant per branch, with the tag values that select it.
    pub variants: Vec<TaggedVariant>,
    /// Name of the catch-all variant holding a value with an unknown tag.
    pub other: String,
}

/// One branch of a tagged union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedVariant {
    /// Rust variant name.
    pub name: String,
    /// The branch's type.
    pub ty: TypeRef,
    /// Values of the discriminating property that select this branch.
    pub tags: Vec<String>,
}

/// One documented error status of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorVariant {
    /// Rust variant name, from the status's reason phrase.
    pub name: String,
    /// Which statuses select this variant.
    pub status: StatusMatch,
    /// The response's description.
    pub doc: Option<String>,
    /// Decoded body, if the response documents one.
    pub body: Option<Body>,
}

/// A path template with its parameters' names blanked (`/boards/{board_id}` →
/// `/boards/{}`): two templates of one shape match the same requests, so a server cannot
/// tell them apart, and a parameter renamed between revisions keeps an operation's
/// identity.
pub fn path_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                shape.push_str("{}");
            }
            '}' => in_name = false,
            _ if in_name => {}
            _ => shape.push(c),
        }
    }
    shape
}

/// Query keys that two of `op`'s parameters both write, as (the object parameter, the
/// key): an object parameter of `style: form` with `explode` (OpenAPI's default) is
/// written as one `key=value` pair per property, so a property named like another query
/// parameter (`sort_by: {send_date: asc}` beside a `send_date` filter) puts that key in
/// the request twice, and a server cannot tell whose it is.
pub fn colliding_query_keys(op: &Operation, types: &[TypeDef]) -> Vec<(String, String)> {
    let struct_of = |ty: &TypeRef| {
        let mut ty = ty;
        for _ in 0..=types.len() {
            let TypeRef::Named(name) = ty else {
                return None;
            };
            match &types.iter().find(|t| &t.name == name)?.kind {
                TypeKind::Struct(s) => return Some(s),
                TypeKind::Alias(next) => ty = next,
                _ => return None,
            }
        }
        None
    };
    let query: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .collect();
    let mut out = Vec::new();
    for p in &query {
        if !(p.explode && p.encoding == ParamEncoding::Styled(Style::Form)) {
            continue;
        }
        let Some(st) = struct_of(&p.ty) else {
            continue;
        };
        for other in &query {
            if other.wire_name != p.wire_name && st.fields.iter().any(|f| f.wire == other.wire_name)
            {
                out.push((p.wire_name.clone(), other.wire_name.clone()));
            }
        }
    }
    out
}

/// Which statuses a documented response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A range such as `4XX`, by its first digit.
    Range(u16),
    /// `default`: any status not otherwise documented.
    Default,
}

/// A request or response body and how it is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The media type as the spec writes it, such as `application/json`.
    pub media_type: String,
    /// How the body is encoded.
    pub encoding: BodyEncoding,
    /// The Rust type of the (decoded) body.
    pub ty: TypeRef,
}

/// How a body goes over the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON via serde.
    Json,
    /// `application/x-www-form-urlencoded` from the same serde types as JSON (request
    /// bodies only); [`RequestBody::form_fields`] says how properties are written.
    Form,
    /// `multipart/form-data`, one part per property of [`RequestBody::multipart`]'s
    /// struct (request bodies only).
    Multipart,
    /// `multipart/form-data` whose schema names no parts (not an object with properties:
    /// a `type: string, format: binary`, an array): the caller builds the form
    /// (`runtime::Multipart`), so it has the parts the server expects and the boundary
    /// its content type needs (request bodies only).
    MultipartParts,
    /// UTF-8 text, passed through as a `String`.
    Text,
    /// Raw bytes, passed through unchanged: a request takes an `Upload` (bytes, a file or
    /// a stream); a response is `Vec<u8>`.
    Bytes,
}

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `::std::string::String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `()` (a schema that only allows `null`).
    Unit,
    /// `::serde_json::Value`: any JSON, the fallback for what has no exact Rust type.
    Value,
    /// `::std::vec::Vec<u8>` (raw bytes).
    Bytes,
    /// A type in the `types` module.
    Named(String),
    /// `::std::vec::Vec<T>`.
    Vec(Box<TypeRef>),
    /// `::std::collections::BTreeMap<::std::string::String, T>`.
    Map(Box<TypeRef>),
    /// `::std::option::Option<T>`.
    Option(Box<TypeRef>),
    /// `::std::boxed::Box<T>`, to break a recursive type.
    Box(Box<TypeRef>),
    /// A string format the config's `[formats]` gives a Rust type (`jiff::Timestamp`, ...).
    Format(Format),
    /// A type of another crate the config's `[types.replace]` uses for a schema, as its
    /// path (`petstore_model::Pet`).
    External(String),
}

/// A typed string format (see the config's `[formats]` and the runtime's `formats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// `date-time`: an instant.
    DateTime(TimeLib),
    /// `date`: a calendar date.
    Date(TimeLib),
    /// `time`: a UTC time of day.
    Time(TimeLib),
    /// `duration`: `jiff::SignedDuration`.
    Duration,
    /// `uuid`: `uuid::Uuid`.
    Uuid,
    /// `byte`: base64 text as `Vec<u8>`.
    Byte,
    /// `decimal`: `rust_decimal::Decimal`.
    Decimal,
    /// `uri`: `url::Url`.
    Url,
}

/// The library of a date or time format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimeLib {
    /// `jiff`.
    Jiff,
    /// `time`.
    Time,
    /// `chrono`.
    Chrono,
}

impl Format {
    /// The Rust type, as an absolute path.
    pub fn rust_type(self) -> &'static str {
        match self {
            Format::DateTime(TimeLib::Jiff) => "::jiff::Timestamp",
            Format::DateTime(TimeLib::Time) => "::time::OffsetDateTime",
            Format::DateTime(TimeLib::Chrono) => "::chrono::DateTime<::chrono::Utc>",
            Format::Date(TimeLib::Jiff) => "::jiff::civil::Date",
            Format::Date(TimeLib::Time) => "::time::Date",
            Format::Date(TimeLib::Chrono) => "::chrono::NaiveDate",
            Format::Time(TimeLib::Jiff) => "::jiff::civil::Time",
            Format::Time(TimeLib::Time) => "::time::Time",
            Format::Time(TimeLib::Chrono) => "::chrono::NaiveTime",
            Format::Duration => "::jiff::SignedDuration",
            Format::Uuid => "::uuid::Uuid",
            Format::Byte => "::std::vec::Vec<u8>",
            Format::Decimal => "::rust_decimal::Decimal",
            Format::Url => "::url::Url",
        }
    }

    /// The crate it comes from (also the runtime's feature for it).
    pub fn library(self) -> &'static str {
        match self {
            Format::DateTime(lib) | Format::Date(lib) | Format::Time(lib) => match lib {
                TimeLib::Jiff => "jiff",
                TimeLib::Time => "time",
                TimeLib::Chrono => "chrono",
            },
            Format::Duration => "jiff",
            Format::Uuid => "uuid",
            Format::Byte => "base64",
            Format::Decimal => "rust_decimal",
            Format::Url => "url",
        }
    }

    /// The OpenAPI format's name.
    pub fn name(self) -> &'static str {
        match self {
            Format::DateTime(_) => "date-time",
            Format::Date(_) => "date",
            Format::Time(_) => "time",
            Format::Duration => "duration",
            Format::Uuid => "uuid",
            Format::Byte => "byte",
            Format::Decimal => "decimal",
            Format::Url => "uri",
        }
    }
}

impl TypeRef {
    /// Calls `f` with the name of every named type this one is or holds (`Vec<Pet>` → `Pet`).
    pub fn for_each_named(&self, f: &mut dyn FnMut(&str)) {
        match self {
            TypeRef::Named(name) => f(name),
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Box(inner) => inner.for_each_named(f),
            _ => {}
        }
    }

    /// The type a `Vec`, map, `Option` or `Box` holds; `None` for any other type.
    pub fn wrapped_mut(&mut self) -> Option<&mut TypeRef> {
        match self {
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Box(inner) => Some(inner),
            _ => None,
        }
    }

    /// `Option<self>`, without nesting options.
    pub fn optional(self) -> TypeRef {
        match self {
            TypeRef::Option(_) => self,
            other => TypeRef::Option(Box::new(other)),
        }
    }

    /// Whether the type is or holds a typed format, whose serde goes through the runtime's
    /// `Wire` (named types hold theirs inside their own impls).
    pub fn has_format(&self) -> bool {
        match self {
            TypeRef::Format(_) => true,
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Box(inner) => inner.has_format(),
            _ => false,
        }
    }

    /// The item type of a `Vec`, or the type itself.
    pub fn strip_vec(&self) -> &TypeRef {
        match self {
            TypeRef::Vec(inner) => inner,
            other => other,
        }
    }

    /// The type inside an `Option`, or the type itself.
    pub fn strip_option(&self) -> &TypeRef {
        match self {
            TypeRef::Option(inner) => inner,
            other => other,
        }
    }
}

/// An HTTP method.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
    /// Any other method (3.2's `query` and `additionalOperations`): an HTTP method token
    /// such as `QUERY` or `PURGE`, spelled as it is sent.
    Other(String),
}

impl Method {
    /// The method as HTTP writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Other(m) => m,
        }
    }
}

/// One operation: one client method (plus its `_with_response` and, for paginated lists,
/// `_stream` companions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Rust method name, unique in the client.
    pub name: String,
    /// Name of the method that also returns status and headers.
    pub with_response_name: String,
    /// Variant of the generated `Operation` enum.
    pub variant: String,
    /// `operationId` as written, if any.
    pub operation_id: Option<String>,
    /// HTTP method.
    pub method: Method,
    /// Path template as written, such as `/api/v1/images/{image_name}`.
    pub path: String,
    /// The path split into literal text and parameters.
    pub path_segments: Vec<PathSegment>,
    /// JSON pointer of the operation.
    pub source: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`, as written.
    pub tags: Vec<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// The documented rate limit, if the spec states one.
    pub rate_limit: Option<RateLimit>,
    /// The wire name of its idempotency-key header parameter (`Idempotency-Key`,
    /// `X-Idempotency-Key`, ...), if it has one: the client then sends a key on every
    /// non-idempotent call and may retry it.
    pub idempotency_header: Option<String>,
    /// Its security requirements: alternatives (the first whose credentials are all set
    /// applies), each the indices in [`Api::security_schemes`] of schemes applied together.
    /// Empty: no credentials; an empty alternative: credentials are optional.
    pub security: Vec<Vec<usize>>,
    /// When `security` is empty only because every documented requirement names a scheme
    /// the client cannot apply (undeclared, or challenge-based), those names: the
    /// operation's docs say credentials must come from elsewhere.
    pub unapplied_security: Vec<String>,
    /// Parameters: path parameters in template order, then the others in spec order.
    pub params: Vec<Param>,
    /// When an operation has many optional parameters, they travel in one struct with this
    /// name in `types` (fields named as the parameters) instead of one argument each.
    pub params_struct: Option<String>,
    /// Request body, if any.
    pub body: Option<RequestBody>,
    /// What a success status returns.
    pub success: Success,
    /// Name of the per-operation error enum in `types`.
    pub error_type: String,
    /// Its variants: one per documented non-success status, in spec order.
    pub errors: Vec<ErrorVariant>,
    /// Set when the operation is a list read page by page (see [`Pagination`]).
    pub pagination: Option<Pagination>,
    /// Set when a success response can be read as a stream of items (server-sent events
    /// or JSON lines): the `_stream` twin (`_events` if pagination took that name).
    pub item_stream: Option<ItemStream>,
}

impl Operation {
    /// Calls `f` with every named type its request names: parameters, the body and the
    /// parts of a multipart body.
    pub fn for_each_request_type(&self, f: &mut dyn FnMut(&str)) {
        for p in &self.params {
            p.ty.for_each_named(f);
        }
        if let Some(body) = &self.body {
            body.body.ty.for_each_named(f);
            for part in body.multipart.iter().flat_map(|m| &m.fields) {
                if let PartKind::Text(ty) | PartKind::Texts(ty) | PartKind::Json(ty) = &part.kind {
                    ty.for_each_named(f);
                }
            }
        }
    }

    /// Calls `f` with every type reference of its request and responses (the places of
    /// [`Operation::for_each_request_type`] and [`Operation::for_each_response_type`]), to
    /// change it.
    pub fn for_each_type_mut(&mut self, f: &mut dyn FnMut(&mut TypeRef)) {
        self.params.iter_mut().for_each(|p| f(&mut p.ty));
        if let Some(body) = &mut self.body {
            f(&mut body.body.ty);
            for part in body.multipart.iter_mut().flat_map(|m| &mut m.fields) {
                if let PartKind::Text(ty) | PartKind::Texts(ty) | PartKind::Json(ty) =
                    &mut part.kind
                {
                    f(ty);
                }
            }
        }
        if let Some(body) = &mut self.success.body {
            f(&mut body.ty);
        }
        for body in self.errors.iter_mut().filter_map(|e| e.body.as_mut()) {
            f(&mut body.ty);
        }
        if let Some(p) = &mut self.pagination {
            f(&mut p.item);
        }
        if let Some(s) = &mut self.item_stream {
            f(&mut s.item);
        }
    }

    /// Calls `f` with every named type its responses name: the success body, the error
    /// bodies, the pagination's item, the streamed item.
    pub fn for_each_response_type(&self, f: &mut dyn FnMut(&str)) {
        if let Some(body) = &self.success.body {
            body.ty.for_each_named(f);
        }
        for e in &self.errors {
            if let Some(body) = &e.body {
                body.ty.for_each_named(f);
            }
        }
        if let Some(p) = &self.pagination {
            p.item.for_each_named(f);
        }
        if let Some(s) = &self.item_stream {
            s.item.for_each_named(f);
        }
    }
}

/// A list read page after page: the `_stream` twin of an operation. How the next page is
/// asked for is [`PageNext`]; which documents get which is the rule list in
/// `lower/pagination.rs` (and ARCHITECTURE.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// Name of the method that streams every item.
    pub stream_name: String,
    /// The parameter that sets the page size, and the stream's argument for it (unique
    /// among its arguments), when the list takes one.
    pub page_size: Option<PageSize>,
    /// Where the items are in the success body: no steps when the body is the array.
    pub items: Vec<FieldStep>,
    /// Type of one item.
    pub item: TypeRef,
    /// How the next page is asked for.
    pub next: PageNext,
    /// A body field that says whether another page exists (`has_more`, `isLast`, ...).
    pub more: Option<MoreFlag>,
    /// Whether a page shorter than an earlier page of the same stream is the last one
    /// (page numbers, where asking past the end costs a request).
    pub short_page_ends: bool,
    /// Which rule found it, for docs and reports.
    pub source: PageSource,
    /// The names of the page closure's own bindings (the page's state and the known
    /// total), apart from every parameter, so none shadows an argument it passes on.
    pub state_local: String,
    /// See `state_local`.
    pub known_local: String,
}

/// How a paginated list's next page is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageNext {
    /// An integer offset advanced by the items received; ends at the body's total when it
    /// has one (the first page's: a growing total cannot keep the stream going).
    Offset {
        /// The offset parameter.
        param: PageParam,
        /// The body's total count, an integer.
        total: Option<FieldPath>,
    },
    /// Page numbers counting from `first`; ends at the body's page count when it has one.
    Number {
        /// The page parameter.
        param: PageParam,
        /// The first page's number (the parameter's default or minimum, else 1).
        first: i64,
        /// The body's number of pages (or the last page's number), an integer.
        last: Option<FieldPath>,
    },
    /// A token from the body sent back in a parameter of the same type.
    Cursor {
        /// The parameter the token goes in.
        param: PageParam,
        /// Where the body has the next page's token.
        token: FieldPath,
    },
    /// The last item's identifier sent back in a parameter (`starting_after`, `after`).
    LastId {
        /// The parameter the identifier goes in.
        param: PageParam,
        /// The item's field holding it.
        id: FieldStep,
    },
    /// The response's `Link` header's `rel="next"` URL (RFC 8288), requested as it is.
    Link {
        /// The page or cursor parameter the URLs carry, left unset by the stream.
        param: Option<PageParam>,
    },
    /// A URL in the body, requested as it is.
    NextUrl {
        /// Where the body has the next page's URL.
        url: FieldPath,
        /// The page or cursor parameter the URLs carry, left unset by the stream.
        param: Option<PageParam>,
    },
}

impl PageNext {
    /// The convention's name, as reports and docs list it.
    pub fn convention(&self) -> &'static str {
        match self {
            PageNext::Offset { .. } => "offset",
            PageNext::Number { .. } => "page-number",
            PageNext::Cursor { .. } => "cursor",
            PageNext::LastId { .. } => "last-id",
            PageNext::Link { .. } => "link-header",
            PageNext::NextUrl { .. } => "next-url",
        }
    }
}

/// Which rule found an operation's pagination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSource {
    /// The naming conventions of `lower/pagination.rs`.
    Convention,
    /// An `x-pagination`, `x-speakeasy-pagination` or `x-fern-pagination` extension.
    Extension,
}

/// A field reached from a body through struct fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// The struct fields in turn, from the body.
    pub steps: Vec<FieldStep>,
    /// Type of the last field, without its `Option`, as lowered: an integer, a string or
    /// a boolean (the pagination rules take no other), which typed formats leave alone.
    pub ty: TypeRef,
}

/// One struct field on a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    /// Its Rust name.
    pub name: String,
    /// Whether it is an `Option`.
    pub optional: bool,
}

/// A body flag that says whether another page exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoreFlag {
    /// Where the boolean is.
    pub path: FieldPath,
    /// `true` means this is the last page (`isLast`, `done`) rather than that more follow.
    pub last: bool,
}

/// The page-size parameter of a paginated list and the stream's argument for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSize {
    /// The parameter.
    pub param: PageParam,
    /// The stream method's argument (an `i64`).
    pub arg: String,
}

/// A parameter a paginated list's stream sets itself (offset, page, cursor, page size).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageParam {
    /// Index in the operation's `params`.
    pub index: usize,
    /// Its Rust name.
    pub name: String,
    /// A field of the operation's parameter struct rather than an argument.
    pub grouped: bool,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text, sent as written.
    Literal(String),
    /// The value of the parameter at this index in the operation's `params`,
    /// percent-encoded as one segment.
    Param(usize),
}

/// A documented rate limit such as "100 requests per 60 seconds per IP and token".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per period.
    pub requests: u32,
    /// Length of the period in seconds.
    pub period_seconds: u32,
    /// The sentence that states it, as written.
    pub text: String,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// A query-string pair.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Rust argument name.
    pub name: String,
    /// Name on the wire.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type (never `Option`; see `required`).
    pub ty: TypeRef,
    /// Whether the caller must give it; optional ones are `Option` arguments.
    pub required: bool,
    /// Whether it is a field of the operation's `params_struct` rather than an argument.
    pub grouped: bool,
    /// How its value is written.
    pub encoding: ParamEncoding,
    /// OpenAPI's `explode`: for arrays in the query, repeat the key per item (the default
    /// for `form`) or join the items; for objects, spread their properties.
    pub explode: bool,
    /// Description.
    pub doc: Option<String>,
}

/// How a parameter's value becomes text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamEncoding {
    /// A scalar's text, or an array of scalars repeated (`explode`) or comma-joined: written
    /// inline by the generated method.
    Simple,
    /// An object, or an array with a delimiter of its own, through the runtime: in the
    /// query by this style; in a header or cookie as `style: simple` (comma-joined).
    Styled(Style),
    /// A `content` parameter with a JSON media type: the value as JSON text.
    Json,
}

/// A success response read as it arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemStream {
    /// The method's name.
    pub name: String,
    /// Server-sent events or JSON lines.
    pub kind: StreamKind,
    /// The documented media type, sent as `Accept`.
    pub media_type: String,
    /// The type of each event's data (or each line).
    pub item: TypeRef,
    /// How the text of an item becomes `item`.
    pub decode: ItemDecode,
    /// Whether the same response also documents JSON: the plain method then asks for
    /// `application/json` explicitly.
    pub json_alternative: bool,
    /// The wire name of a boolean `stream` property of the JSON request body, which the
    /// stream method sets to `true` (servers that offer both answer with a stream only
    /// when asked to).
    pub stream_flag: Option<String>,
}

/// How a response streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// `text/event-stream`: `Event<item>`s.
    Events,
    /// `application/x-ndjson`, `application/jsonl`, `application/json-seq`: one item per
    /// line.
    Lines,
    /// A binary response: its bytes, chunk by chunk, so a large download is never held
    /// in memory whole.
    Bytes,
}

/// How an item's text is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemDecode {
    /// As JSON of the item type.
    Json,
    /// As it is (the item is a string).
    Text,
    /// JSON when it parses, else a JSON string (no documented type).
    Any,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBody {
    /// Whether the body must be given.
    pub required: bool,
    /// The body's type and encoding.
    pub body: Body,
    /// Description.
    pub doc: Option<String>,
    /// For a form body: the properties whose Encoding Object gives a style, in document
    /// order. The others follow the Encoding Object's defaults (see the runtime's `form`).
    pub form_fields: Vec<FieldEncoding>,
    /// For a multipart body: the struct the method takes, one field per part.
    pub multipart: Option<MultipartForm>,
}

/// The struct of a multipart body, in `types`; not serde: the method writes its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartForm {
    /// Its name in `types`.
    pub name: String,
    /// One per property, in schema order.
    pub fields: Vec<PartField>,
}

/// One part (or, for arrays, several parts of one name) of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartField {
    /// Rust field name.
    pub name: String,
    /// Part name on the wire.
    pub wire: String,
    /// What it holds.
    pub kind: PartKind,
    /// Whether the property is required (else the field is an `Option`).
    pub required: bool,
    /// The Encoding Object's `contentType`, if given.
    pub content_type: Option<String>,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// The content of a multipart field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// A file (`format: binary`, or a non-text `contentType`): a `FilePart`.
    File,
    /// Several files under one name: `Vec<FilePart>`.
    Files,
    /// A scalar or string enum, sent as its text.
    Text(TypeRef),
    /// An array of those: one text part per item.
    Texts(TypeRef),
    /// Anything else, sent as JSON (the Encoding Object's default for objects).
    Json(TypeRef),
}

/// How one property of a form body (or a parameter) holding an array or object is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEncoding {
    /// The property's wire name.
    pub name: String,
    /// OpenAPI's `style`.
    pub style: Style,
    /// OpenAPI's `explode`.
    pub explode: bool,
}

/// OpenAPI's `style` for a query parameter or form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form` (`a=1&a=2`, or `a=1,2` unexploded).
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject` (`a[b]=1`).
    DeepObject,
}

/// What the method returns on success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success {
    /// Statuses that count as success (documented 2xx codes or ranges; every 2xx if none).
    pub statuses: Vec<StatusMatch>,
    /// The body every success status shares, or `None` for no body.
    pub body: Option<Body>,
}
