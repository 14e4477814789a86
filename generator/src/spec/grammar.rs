//! The shape of an OpenAPI document (3.0.4, 3.1.1 and 3.2.0 together): which object kind
//! sits at which field, and what JSON type each fixed field holds. Reference resolution,
//! repairs and salvage all walk the document through these tables, so "where is a schema",
//! "what may a `$ref` here point to" and "what should this field hold" have one answer.

/// The kinds of object an OpenAPI document is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Document,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    Paths,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Callback,
    Example,
    Link,
    Header,
    Tag,
    Schema,
    Discriminator,
    Xml,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
    SecurityRequirement,
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    /// One object of a kind (or a `$ref` to one, where the kind can be referenced).
    One(Kind),
    /// A map from names to objects of a kind.
    MapOf(Kind),
    /// A list of objects of a kind.
    ListOf(Kind),
    /// A string.
    Text,
    /// A boolean.
    Flag,
    /// A number.
    Number,
    /// A non-negative integer (a length or count).
    Count,
    /// A list of strings.
    TextList,
    /// A map from names to strings.
    TextMap,
    /// Any JSON value (examples, defaults, enum values, extension data).
    Data,
}

use Child::*;
use Kind as K;

/// The fixed fields of each kind, sorted by name (a unit test checks), so a lookup is a
/// binary search. `$ref` is not listed: every walker looks at it first.
pub fn fields(kind: Kind) -> &'static [(&'static str, Child)] {
    match kind {
        K::Document => &[
            ("$self", Text),
            ("components", One(K::Components)),
            ("externalDocs", One(K::ExternalDocs)),
            ("info", One(K::Info)),
            ("jsonSchemaDialect", Text),
            ("openapi", Text),
            ("paths", One(K::Paths)),
            ("security", ListOf(K::SecurityRequirement)),
            ("servers", ListOf(K::Server)),
            ("tags", ListOf(K::Tag)),
            ("webhooks", MapOf(K::PathItem)),
        ],
        K::Info => &[
            ("contact", One(K::Contact)),
            ("description", Text),
            ("license", One(K::License)),
            ("summary", Text),
            ("termsOfService", Text),
            ("title", Text),
            ("version", Text),
        ],
        K::Contact => &[("email", Text), ("name", Text), ("url", Text)],
        K::License => &[("identifier", Text), ("name", Text), ("url", Text)],
        K::Server => &[
            ("description", Text),
            ("name", Text),
            ("url", Text),
            ("variables", MapOf(K::ServerVariable)),
        ],
        K::ServerVariable => &[("default", Text), ("description", Text), ("enum", TextList)],
        K::Components => &[
            ("callbacks", MapOf(K::Callback)),
            ("examples", MapOf(K::Example)),
            ("headers", MapOf(K::Header)),
            ("links", MapOf(K::Link)),
            ("mediaTypes", MapOf(K::MediaType)),
            ("parameters", MapOf(K::Parameter)),
            ("pathItems", MapOf(K::PathItem)),
            ("requestBodies", MapOf(K::RequestBody)),
            ("responses", MapOf(K::Response)),
            ("schemas", MapOf(K::Schema)),
            ("securitySchemes", MapOf(K::SecurityScheme)),
        ],
        // Paths, Responses, Callback and SecurityRequirement are maps; see `pattern`.
        K::Paths | K::Responses | K::Callback | K::SecurityRequirement => &[],
        K::PathItem => &[
            ("additionalOperations", MapOf(K::Operation)),
            ("delete", One(K::Operation)),
            ("description", Text),
            ("get", One(K::Operation)),
            ("head", One(K::Operation)),
            ("options", One(K::Operation)),
            ("parameters", ListOf(K::Parameter)),
            ("patch", One(K::Operation)),
            ("post", One(K::Operation)),
            ("put", One(K::Operation)),
            ("query", One(K::Operation)),
            ("servers", ListOf(K::Server)),
            ("summary", Text),
            ("trace", One(K::Operation)),
        ],
        K::Operation => &[
            ("callbacks", MapOf(K::Callback)),
            ("deprecated", Flag),
            ("description", Text),
            ("externalDocs", One(K::ExternalDocs)),
            ("operationId", Text),
            ("parameters", ListOf(K::Parameter)),
            ("requestBody", One(K::RequestBody)),
            ("responses", One(K::Responses)),
            ("security", ListOf(K::SecurityRequirement)),
            ("servers", ListOf(K::Server)),
            ("summary", Text),
            ("tags", TextList),
        ],
        K::ExternalDocs => &[("description", Text), ("url", Text)],
        K::Parameter => &[
            ("allowEmptyValue", Flag),
            ("allowReserved", Flag),
            ("content", MapOf(K::MediaType)),
            ("deprecated", Flag),
            ("description", Text),
            ("example", Data),
            ("examples", MapOf(K::Example)),
            ("explode", Flag),
            ("in", Text),
            ("name", Text),
            ("required", Flag),
            ("schema", One(K::Schema)),
            ("style", Text),
        ],
        K::RequestBody => &[
            ("content", MapOf(K::MediaType)),
            ("description", Text),
            ("required", Flag),
        ],
        K::MediaType => &[
            ("encoding", MapOf(K::Encoding)),
            ("example", Data),
            ("examples", MapOf(K::Example)),
            ("itemEncoding", One(K::Encoding)),
            ("itemSchema", One(K::Schema)),
            ("prefixEncoding", ListOf(K::Encoding)),
            ("schema", One(K::Schema)),
        ],
        K::Encoding => &[
            ("allowReserved", Flag),
            ("contentType", Text),
            ("encoding", MapOf(K::Encoding)),
            ("explode", Flag),
            ("headers", MapOf(K::Header)),
            ("itemEncoding", One(K::Encoding)),
            ("prefixEncoding", ListOf(K::Encoding)),
            ("style", Text),
        ],
        K::Response => &[
            ("content", MapOf(K::MediaType)),
            ("description", Text),
            ("headers", MapOf(K::Header)),
            ("links", MapOf(K::Link)),
            ("summary", Text),
        ],
        K::Example => &[
            ("dataValue", Data),
            ("description", Text),
            ("externalValue", Text),
            ("serializedValue", Text),
            ("summary", Text),
            ("value", Data),
        ],
        K::Link => &[
            ("description", Text),
            ("operationId", Text),
            ("operationRef", Text),
            ("parameters", Data),
            ("requestBody", Data),
            ("server", One(K::Server)),
        ],
        K::Header => &[
            ("allowEmptyValue", Flag),
            ("content", MapOf(K::MediaType)),
            ("deprecated", Flag),
            ("description", Text),
            ("example", Data),
            ("examples", MapOf(K::Example)),
            ("explode", Flag),
            ("required", Flag),
            ("schema", One(K::Schema)),
            ("style", Text),
        ],
        K::Tag => &[
            ("description", Text),
            ("externalDocs", One(K::ExternalDocs)),
            ("kind", Text),
            ("name", Text),
            ("parent", Text),
            ("summary", Text),
        ],
        K::Schema => &[
            ("$anchor", Text),
            ("$comment", Text),
            ("$defs", MapOf(K::Schema)),
            ("$dynamicAnchor", Text),
            ("$dynamicRef", Text),
            ("$id", Text),
            ("$schema", Text),
            ("$vocabulary", Data),
            ("additionalItems", One(K::Schema)),
            ("additionalProperties", One(K::Schema)),
            ("allOf", ListOf(K::Schema)),
            ("anyOf", ListOf(K::Schema)),
            ("const", Data),
            ("contains", One(K::Schema)),
            ("contentEncoding", Text),
            ("contentMediaType", Text),
            ("contentSchema", One(K::Schema)),
            ("default", Data),
            ("definitions", MapOf(K::Schema)),
            ("dependentRequired", Data),
            ("dependentSchemas", MapOf(K::Schema)),
            ("deprecated", Flag),
            ("description", Text),
            ("discriminator", One(K::Discriminator)),
            ("else", One(K::Schema)),
            ("enum", Data),
            ("example", Data),
            ("examples", Data),
            ("exclusiveMaximum", Data),
            ("exclusiveMinimum", Data),
            ("externalDocs", One(K::ExternalDocs)),
            ("format", Text),
            ("if", One(K::Schema)),
            ("items", One(K::Schema)),
            ("maxContains", Count),
            ("maxItems", Count),
            ("maxLength", Count),
            ("maxProperties", Count),
            ("maximum", Number),
            ("minContains", Count),
            ("minItems", Count),
            ("minLength", Count),
            ("minProperties", Count),
            ("minimum", Number),
            ("multipleOf", Number),
            ("not", One(K::Schema)),
            ("nullable", Flag),
            ("oneOf", ListOf(K::Schema)),
            ("pattern", Text),
            ("patternProperties", MapOf(K::Schema)),
            ("prefixItems", ListOf(K::Schema)),
            ("properties", MapOf(K::Schema)),
            ("propertyNames", One(K::Schema)),
            ("readOnly", Flag),
            ("required", TextList),
            ("then", One(K::Schema)),
            ("title", Text),
            ("type", Data),
            ("unevaluatedItems", One(K::Schema)),
            ("unevaluatedProperties", One(K::Schema)),
            ("uniqueItems", Flag),
            ("writeOnly", Flag),
            ("xml", One(K::Xml)),
        ],
        K::Discriminator => &[
            ("defaultMapping", Text),
            ("mapping", TextMap),
            ("propertyName", Text),
        ],
        K::Xml => &[
            ("attribute", Flag),
            ("name", Text),
            ("namespace", Text),
            ("nodeType", Text),
            ("prefix", Text),
            ("wrapped", Flag),
        ],
        K::SecurityScheme => &[
            ("bearerFormat", Text),
            ("deprecated", Flag),
            ("description", Text),
            ("flows", One(K::OAuthFlows)),
            ("in", Text),
            ("name", Text),
            ("oauth2MetadataUrl", Text),
            ("openIdConnectUrl", Text),
            ("scheme", Text),
            ("type", Text),
        ],
        K::OAuthFlows => &[
            ("authorizationCode", One(K::OAuthFlow)),
            ("clientCredentials", One(K::OAuthFlow)),
            ("deviceAuthorization", One(K::OAuthFlow)),
            ("implicit", One(K::OAuthFlow)),
            ("password", One(K::OAuthFlow)),
        ],
        K::OAuthFlow => &[
            ("authorizationUrl", Text),
            ("deviceAuthorizationUrl", Text),
            ("refreshUrl", Text),
            ("scopes", TextMap),
            ("tokenUrl", Text),
        ],
    }
}

/// What the field `key` of a `kind` object holds, if OpenAPI defines it.
pub fn field(kind: Kind, key: &str) -> Option<Child> {
    if let Some(child) = pattern(kind, key) {
        return Some(child);
    }
    let table = fields(kind);
    table
        .binary_search_by(|(name, _)| (*name).cmp(key))
        .ok()
        .map(|i| table[i].1)
}

/// Fields of the map-like kinds, whose keys are names rather than fixed words.
fn pattern(kind: Kind, key: &str) -> Option<Child> {
    if key.starts_with("x-") {
        // Extensions are data wherever they may appear.
        return Some(Data);
    }
    match kind {
        K::Paths => Some(One(K::PathItem)),
        K::Responses => Some(One(K::Response)),
        K::Callback => Some(One(K::PathItem)),
        K::SecurityRequirement => Some(TextList),
        _ => None,
    }
}

/// Whether a `$ref` may stand in for an object of this kind (3.0.4 allows it for the
/// component kinds and path items; 3.2.0 adds media types). A reference elsewhere is still
/// followed, as a reasonable reader would.
pub(crate) fn section(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        K::Schema => "schemas",
        K::Response => "responses",
        K::Parameter => "parameters",
        K::Example => "examples",
        K::RequestBody => "requestBodies",
        K::Header => "headers",
        K::SecurityScheme => "securitySchemes",
        K::Link => "links",
        K::Callback => "callbacks",
        K::PathItem => "pathItems",
        K::MediaType => "mediaTypes",
        _ => return None,
    })
}

/// The kind of object at a pointer, found by following the grammar from the root; `None`
/// where the pointer leaves the grammar (into example data, or a field OpenAPI does not
/// define).
pub(crate) fn kind_at(tokens: &[String]) -> Option<Kind> {
    let mut at = Position::Object(K::Document);
    for token in tokens {
        at = match at {
            Position::Object(kind) => match field(kind, token)? {
                One(k) => Position::Object(k),
                MapOf(k) => Position::Map(k),
                ListOf(k) => Position::List(k),
                _ => return None,
            },
            Position::Map(k) => Position::Object(k),
            Position::List(k) => {
                token.parse::<usize>().ok()?;
                Position::Object(k)
            }
        };
    }
    match at {
        Position::Object(k) => Some(k),
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum Position {
    Object(Kind),
    Map(Kind),
    List(Kind),
}

/// Every kind, for tests and documentation.
pub const ALL: [Kind; 29] = [
    K::Document,
    K::Info,
    K::Contact,
    K::License,
    K::Server,
    K::ServerVariable,
    K::Components,
    K::Paths,
    K::PathItem,
    K::Operation,
    K::ExternalDocs,
    K::Parameter,
    K::RequestBody,
    K::MediaType,
    K::Encoding,
    K::Responses,
    K::Response,
    K::Callback,
    K::Example,
    K::Link,
    K::Header,
    K::Tag,
    K::Schema,
    K::Discriminator,
    K::Xml,
    K::SecurityScheme,
    K::OAuthFlows,
    K::OAuthFlow,
    K::SecurityRequirement,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        for kind in ALL {
            let names: Vec<&str> = fields(kind).iter().map(|(n, _)| *n).collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(names, sorted, "{kind:?}");
        }
    }

    /// ARCHITECTURE.md says, for every field the loader knows, whether the generator reads,
    /// ignores or repairs it; a field added here without a word there fails.
    #[test]
    fn architecture_lists_every_field() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ARCHITECTURE.md");
        let text = std::fs::read_to_string(path).expect("ARCHITECTURE.md is at the root");
        let mut missing = Vec::new();
        for kind in ALL {
            let heading = format!("\n#### {kind:?}\n");
            let Some(start) = text.find(&heading) else {
                missing.push(format!("section {heading:?}"));
                continue;
            };
            let body = &text[start + heading.len()..];
            let body = &body[..body.find("\n#### ").unwrap_or(body.len())];
            for (field, _) in fields(kind) {
                if !body.contains(&format!("`{field}`")) {
                    missing.push(format!("{kind:?}.{field}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "ARCHITECTURE.md does not list: {missing:?}"
        );
    }

    #[test]
    fn kinds_are_found_along_a_pointer() {
        let at = |p: &str| kind_at(&crate::error::pointer_tokens(p).unwrap());
        assert_eq!(at("#/components/schemas/Tag/allOf/0"), Some(K::Schema));
        assert_eq!(
            at("#/paths/~1pets/get/parameters/0/schema"),
            Some(K::Schema)
        );
        assert_eq!(at("#/paths/~1pets/get/responses/200"), Some(K::Response));
        assert_eq!(
            at("#/paths/~1pets/post/callbacks/done/{$url}/post"),
            Some(K::Operation)
        );
        assert_eq!(at("#/components/schemas/A/example/x"), None);
        assert_eq!(at("#"), Some(K::Document));
    }
}
