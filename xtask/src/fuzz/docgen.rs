//! Random *valid* OpenAPI documents (3.0, 3.1 and 3.2), for the compile fuzzer.
//!
//! A document is a pure function of `(seed, index)`: the same pair gives the same bytes on
//! every machine, so a failure is reproduced by its two numbers. Documents are small (a
//! few paths and schemas) and dense: nearly every draw is one of the constructs the loader
//! reads (`spec/grammar.rs`), with the names that break naive generators (Rust keywords,
//! names that collide after case conversion, names of generated helpers and prelude
//! items, non-ASCII, leading digits) and prose that trips rustdoc.
//!
//! *Valid* means what the OpenAPI texts require, so that a failure is the generator's
//! fault and never the document's: every path template variable has a required path
//! parameter, `(name, in)` pairs are unique per operation, operationIds are unique, a
//! style is allowed for its location and type, component names match
//! `^[a-zA-Z0-9._-]+$`, security requirements name defined schemes (with scopes only
//! for OAuth2 and OpenID Connect in 3.0), a discriminator's property is a required string
//! of every branch, examples and defaults satisfy their schemas, 3.0 documents use 3.0
//! forms (`nullable`, boolean exclusive bounds, `items` on every array) and 3.1/3.2
//! documents use theirs (type arrays, `const`, `examples` lists, `contentMediaType`).

use fastrand::Rng;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// The OpenAPI version a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    V30,
    V31,
    V32,
}

/// The document `index` of the run seeded with `seed`.
pub fn document(seed: u64, index: u64) -> Value {
    Gen::new(splitmix(
        seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ splitmix(index),
    ))
    .document()
}

/// SplitMix64's output function: neighbouring inputs give unrelated seeds.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Component names: valid keys (`^[a-zA-Z0-9._-]+$`) that collide with Rust keywords and
/// prelude items, with the runtime's and the generated crate's own names, and with each
/// other after case conversion.
const TYPE_NAMES: &[&str] = &[
    "Pet",
    "pet",
    "Pet_",
    "PetList",
    "Pet_List",
    "pet-list",
    "Pet.List",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Client",
    "ClientBuilder",
    "Operation",
    "Error",
    "Event",
    "Upload",
    "FilePart",
    "Value",
    "types",
    "runtime",
    "mock",
    "client",
    "Self",
    "self",
    "type",
    "crate",
    "1Thing",
    "_Thing",
    "MockServer",
    "Reply",
    "ResponseValue",
    "BuildError",
    "GetThingError",
    "GetThingParams",
    "GetThingResponse",
    "PostThingsRequest",
    "PostThingsMultipart",
    "Default",
    "Debug",
    "Clone",
    "Some",
    "None",
    "Ok",
    "Err",
    "Send",
    "Sync",
    "Future",
    "Into",
    "From",
    "std",
    "core",
    "serde",
    "serde_json",
    "reqwest",
    "Core",
    "Builder",
    "Api",
    "Style",
    "Field",
    "Object",
    "Map",
    "BTreeMap",
    "Bytes",
    "Unknown",
    "Node",
    "Tree",
    "A",
    "a",
    "Thing",
    "things",
    "ThingsItem",
    "GenericPaginationResponse_List_Thing__",
    "Deserializer",
    "Serializer",
    "Visitor",
    "Formatter",
    "Display",
    "FromStr",
    "u8",
    "i64",
    "f64",
    "bool",
    "str",
    "Duration",
    "Method",
    "StatusCode",
    "HeaderMap",
    "Request",
    "Response",
    "Body",
    "Params",
    "Query",
    "Header",
    "Cookie",
    "Attempt",
    "Recorded",
    "Expectation",
    "Variant1",
    "ThingVariant1",
];

/// Property names: any string is a valid property name.
const PROPERTY_NAMES: &[&str] = &[
    "id",
    "name",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "async",
    "await",
    "gen",
    "ref",
    "match",
    "fn",
    "struct",
    "enum",
    "impl",
    "mod",
    "use",
    "where",
    "loop",
    "move",
    "box",
    "dyn",
    "try",
    "yield",
    "abstract",
    "macro",
    "union",
    "static",
    "1st",
    "2nd",
    "",
    "_",
    "__",
    "a-b",
    "a_b",
    "aB",
    "A_B",
    "ab",
    "ñame",
    "名前",
    "$ref",
    "@type",
    "foo.bar",
    "foo bar",
    "value",
    "values",
    "body",
    "params",
    "query",
    "headers",
    "client",
    "builder",
    "response",
    "error",
    "status",
    "default",
    "unknown",
    "Unknown",
    "kind",
    "data",
    "total_count",
    "next",
    "String",
    "Option",
    "Vec",
    "Box",
    "Result",
    "Ok",
    "Err",
    "None",
    "Some",
    "as_str",
    "len",
    "new",
    "map",
    "form",
    "serializer",
    "deserializer",
    "S",
    "T",
    "D",
    "E",
    "__private",
    "created_at",
    "createdAt",
    "CreatedAt",
    "created-at",
    "stream",
    "event",
    "retry",
    "file",
    "files",
    "count",
    "x",
    "X",
    "🙂",
];

/// String enum values: empty, blank, punctuation, digits, case twins, keywords.
const ENUM_VALUES: &[&str] = &[
    "a",
    "A",
    "a-b",
    "a_b",
    "aB",
    "",
    " ",
    "1",
    "1a",
    "type",
    "Self",
    "self",
    "unknown",
    "Unknown",
    "UNKNOWN",
    "null",
    "true",
    "ñ",
    "a/b",
    "a.b",
    "+1",
    "-1",
    "🙂",
    "as_str",
    "Other",
    "fine-tune",
    "FINE_TUNE",
    "in_progress",
    "in-progress",
    "InProgress",
];

/// Path segments that are literals.
const SEGMENTS: &[&str] = &[
    "v1",
    "api",
    "users",
    "items",
    "things",
    "me",
    "a.b",
    "with-dash",
    "under_score",
    "ñ",
    "search",
    "{x}",
    "1",
    "type",
    "self",
];

/// Path parameter names.
const PATH_PARAMS: &[&str] = &[
    "id", "thing_id", "thingId", "name", "type", "self", "ref", "1st", "a-b", "userId", "user_id",
    "body", "params", "path",
];

/// Query parameter names.
const QUERY_PARAMS: &[&str] = &[
    "type",
    "self",
    "body",
    "params",
    "query",
    "limit",
    "offset",
    "page",
    "per_page",
    "cursor",
    "filter",
    "sort",
    "fields[]",
    "a.b",
    "q",
    "ids",
    "include",
    "expand",
    "with space",
    "ñ",
    "id",
    "name",
    "async",
    "default",
    "headers",
    "Type",
    "TYPE",
    "page_token",
    "x-y",
];

/// Header parameter names (HTTP tokens), including the three OpenAPI says to ignore.
const HEADER_PARAMS: &[&str] = &[
    "X-Request-Id",
    "X-Trace",
    "If-Match",
    "Idempotency-Key",
    "X-Idempotency-Key",
    "X-API-Version",
    "x-lower",
    "X-Rate-Limit",
    "Accept",
    "Content-Type",
    "Authorization",
    "id",
    "type",
    "X-Type",
];

/// Cookie names.
const COOKIE_PARAMS: &[&str] = &["session", "theme", "__Host-id", "pref", "id", "type"];

/// Operation ids: collisions with the client's own methods, keywords, case twins, and
/// the FastAPI shape that lowering shortens.
const OPERATION_IDS: &[&str] = &[
    "getThing",
    "get_thing",
    "GetThing",
    "get-thing",
    "things.list",
    "listThings",
    "list",
    "builder",
    "new",
    "clone",
    "with_timeout",
    "with_header",
    "with_idempotency_key",
    "with_max_retries",
    "with_non_idempotent_retries",
    "from_env",
    "core",
    "fmt",
    "default",
    "base_url",
    "type",
    "self",
    "async",
    "gen",
    "match",
    "1op",
    "op 1",
    "ñop",
    "list_things_v1_things_get",
    "create_thing_v1_things_post",
    "mock",
    "requests",
    "verify",
    "client",
    "into_inner",
    "stream",
    "get_thing_stream",
    "get_thing_with_response",
    "to_string",
];

/// Prose that trips rustdoc or a naive comment writer.
const PROSE: &[&str] = &[
    "A plain sentence.",
    "Use [`Thing`] or [a link](https://example.com/docs) or [Broken].",
    "Some <b>HTML</b> and <unclosed tag and a </stray>.",
    "```\nfn main() { panic!() }\n```",
    "```rust\nlet x = 1;\n```",
    "    indented code block line",
    "# A heading\n\n* a list\n* item",
    "A comment closer */ and opener /* inside.",
    "Backslashes \\ and \\n and quotes \" ' `",
    "#[doc = \"injected\"] and #![allow(warnings)]",
    "{{ braces }} and {} and %s",
    "TODO: line\r\nbreaks\rmixed",
    "https://bare.example.com/url and <https://auto.link>",
    "[ref link][ref]\n\n[ref]: https://example.com",
    "| a | table |\n|---|---|\n| 1 | 2 |",
    "Emoji 🙂 and ñ and 名前.",
    "",
    "   ",
    "Trailing backslash \\",
    "<script>alert(1)</script>",
    "A summary.\n\nA second paragraph\nwith a lazy continuation.",
    "1. numbered\n2. list",
    "> a quote",
    "[`crate::Client`] and [std::vec::Vec]",
];

struct Gen {
    rng: Rng,
    v: Version,
    /// Component schema names, decided before any schema is drawn so that any schema may
    /// refer to any of them (recursion included).
    schema_names: Vec<String>,
    /// Component schemas made while drawing (a discriminated union's branches).
    extra_schemas: Vec<(String, Value)>,
    /// Every component schema name taken so far.
    taken_names: BTreeSet<String>,
    /// Security schemes: name and whether requirements carry scopes.
    schemes: Vec<(String, bool)>,
    /// Operation ids used, and the operations as (path, method) for links.
    operation_ids: BTreeSet<String>,
    operations: Vec<(String, String)>,
    components: Map<String, Value>,
    tags: Vec<String>,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        let mut rng = Rng::with_seed(seed);
        let v = match rng.u32(0..10) {
            0..=3 => Version::V30,
            4..=7 => Version::V31,
            _ => Version::V32,
        };
        Gen {
            rng,
            v,
            schema_names: Vec::new(),
            extra_schemas: Vec::new(),
            taken_names: BTreeSet::new(),
            schemes: Vec::new(),
            operation_ids: BTreeSet::new(),
            operations: Vec::new(),
            components: Map::new(),
            tags: Vec::new(),
        }
    }

    // ---- drawing helpers ----

    fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.usize(0..items.len())]
    }

    fn count(&mut self, lo: usize, hi: usize) -> usize {
        self.rng.usize(lo..=hi)
    }

    fn prose(&mut self) -> String {
        let first = self.pick(PROSE);
        if self.chance(0.3) {
            format!("{first}\n\n{}", self.pick(PROSE))
        } else {
            first.to_string()
        }
    }

    /// Adds `description` (and sometimes `summary`-like extras) to an object.
    fn describe(&mut self, object: &mut Map<String, Value>, p: f64) {
        if self.chance(p) {
            object.insert("description".into(), Value::String(self.prose()));
        }
        if self.chance(0.05) {
            object.insert("x-internal".into(), json!({"note": self.pick(PROSE)}));
        }
    }

    /// `n` distinct names from `pool`, made unique with a numeric suffix when drawn twice.
    fn names(&mut self, pool: &[&str], n: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        while out.len() < n {
            let base = self.pick(pool).to_string();
            let mut name = base.clone();
            let mut i = 2;
            while out.contains(&name) {
                name = format!("{base}{i}");
                i += 1;
            }
            out.push(name);
        }
        out
    }

    /// Between `lo` and `hi` distinct names from `pool`.
    fn some_names(&mut self, pool: &[&str], lo: usize, hi: usize) -> Vec<String> {
        let n = self.count(lo, hi);
        self.names(pool, n)
    }

    /// A component name not used yet (in any component section).
    fn component_name(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut i = 2;
        while !self.taken_names.insert(name.clone()) {
            name = format!("{base}{i}");
            i += 1;
        }
        name
    }

    fn schema_ref(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{}", escape(name))})
    }

    // ---- the document ----

    fn document(mut self) -> Value {
        let mut doc = Map::new();
        doc.insert(
            "openapi".into(),
            json!(match self.v {
                Version::V30 => self.pick(&["3.0.0", "3.0.3", "3.0.4"]),
                Version::V31 => self.pick(&["3.1.0", "3.1.1"]),
                Version::V32 => "3.2.0",
            }),
        );
        if self.v == Version::V32 && self.chance(0.3) {
            doc.insert("$self".into(), json!("https://example.com/openapi.json"));
        }
        if self.v >= Version::V31 && self.chance(0.2) {
            doc.insert(
                "jsonSchemaDialect".into(),
                json!("https://spec.openapis.org/oas/3.1/dialect/base"),
            );
        }
        doc.insert("info".into(), self.info());
        if self.chance(0.7) {
            doc.insert("servers".into(), self.servers());
        }
        // Names first, so schemas can refer to each other in any order.
        let n = self.count(0, 6);
        let names = self.names(TYPE_NAMES, n);
        for name in &names {
            self.taken_names.insert(name.clone());
        }
        self.schema_names = names.clone();
        self.security_schemes();
        let tag_count = self.count(0, 3);
        self.tags = self.names(
            &["things", "Things", "admin", "type", "a b", "ñ", "v1"],
            tag_count,
        );

        let mut schemas = Map::new();
        for name in &names {
            let schema = self.component_schema(name);
            schemas.insert(name.clone(), schema);
        }

        if !self.schemes.is_empty() && self.chance(0.6) {
            let requirements = self.requirements();
            doc.insert("security".into(), requirements);
        }
        let paths = self.paths();
        if !(self.v >= Version::V31 && paths.is_empty() && self.chance(0.5)) {
            doc.insert("paths".into(), Value::Object(paths));
        }
        if self.v >= Version::V31 && self.chance(0.2) {
            let mut hooks = Map::new();
            for name in self.some_names(&["newThing", "thing.deleted", "type"], 1, 2) {
                let item = self.webhook();
                hooks.insert(name, item);
            }
            doc.insert("webhooks".into(), Value::Object(hooks));
        }
        for (name, schema) in std::mem::take(&mut self.extra_schemas) {
            schemas.insert(name, schema);
        }
        if !schemas.is_empty() {
            self.components
                .insert("schemas".into(), Value::Object(schemas));
        }
        if !self.components.is_empty() || self.chance(0.1) {
            let components = std::mem::take(&mut self.components);
            doc.insert("components".into(), Value::Object(components));
        }
        if !self.tags.is_empty() && self.chance(0.7) {
            let tags = self.tag_objects();
            doc.insert("tags".into(), tags);
        }
        if self.chance(0.1) {
            doc.insert("externalDocs".into(), self.external_docs());
        }
        if self.chance(0.05) {
            doc.insert("x-generator".into(), json!("fuzz"));
        }
        Value::Object(doc)
    }

    fn info(&mut self) -> Value {
        let mut info = Map::new();
        info.insert(
            "title".into(),
            json!(self.pick(&["Fuzz", "A \"quoted\" API", "ñ API", "", "Type"])),
        );
        info.insert(
            "version".into(),
            json!(self.pick(&["1.0.0", "2024-01-01", "v2", ""])),
        );
        self.describe(&mut info, 0.5);
        if self.v >= Version::V31 && self.chance(0.3) {
            info.insert("summary".into(), json!(self.pick(PROSE)));
        }
        if self.chance(0.2) {
            info.insert("termsOfService".into(), json!("https://example.com/terms"));
        }
        if self.chance(0.2) {
            info.insert(
                "contact".into(),
                json!({"name": "Team", "url": "https://example.com", "email": "team@example.com"}),
            );
        }
        if self.chance(0.2) {
            let license = if self.v >= Version::V31 && self.chance(0.5) {
                json!({"name": "MIT", "identifier": "MIT"})
            } else {
                json!({"name": "Apache 2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"})
            };
            info.insert("license".into(), license);
        }
        Value::Object(info)
    }

    fn servers(&mut self) -> Value {
        let mut servers = Vec::new();
        for _ in 0..self.count(1, 2) {
            let mut server = match self.rng.u32(0..4) {
                0 => json!({"url": "https://api.example.com/v1"}),
                1 => json!({"url": "/relative/base"}),
                2 => json!({
                    "url": "https://{region}.example.com/{basePath}",
                    "variables": {
                        "region": {"default": "us", "enum": ["us", "eu"], "description": "Region."},
                        "basePath": {"default": "v2"}
                    }
                }),
                _ => json!({"url": "http://localhost:8080/"}),
            };
            if self.chance(0.3) {
                server["description"] = json!(self.pick(PROSE));
            }
            if self.v == Version::V32 && self.chance(0.3) {
                server["name"] = json!("production");
            }
            servers.push(server);
        }
        Value::Array(servers)
    }

    fn external_docs(&mut self) -> Value {
        let mut docs = json!({"url": "https://example.com/docs"});
        if self.chance(0.5) {
            docs["description"] = json!(self.pick(PROSE));
        }
        docs
    }

    fn tag_objects(&mut self) -> Value {
        let mut out = Vec::new();
        let tags = self.tags.clone();
        for (i, tag) in tags.iter().enumerate() {
            let mut t = Map::new();
            t.insert("name".into(), json!(tag));
            self.describe(&mut t, 0.5);
            if self.chance(0.1) {
                t.insert("externalDocs".into(), self.external_docs());
            }
            if self.v == Version::V32 {
                if self.chance(0.3) {
                    t.insert("summary".into(), json!("Short."));
                }
                if self.chance(0.3) {
                    t.insert(
                        "kind".into(),
                        json!(self.pick(&["nav", "badge", "audience"])),
                    );
                }
                if i > 0 && self.chance(0.3) {
                    t.insert("parent".into(), json!(tags[0]));
                }
            }
            out.push(Value::Object(t));
        }
        Value::Array(out)
    }

    // ---- security ----

    fn security_schemes(&mut self) {
        let n = self.count(0, 4);
        if n == 0 {
            return;
        }
        let mut schemes = Map::new();
        for _ in 0..n {
            let kinds: &[&str] = if self.v >= Version::V31 {
                &[
                    "bearer",
                    "basic",
                    "digest",
                    "custom",
                    "apiKeyHeader",
                    "apiKeyQuery",
                    "apiKeyCookie",
                    "oauth2",
                    "openIdConnect",
                    "mutualTLS",
                ]
            } else {
                &[
                    "bearer",
                    "basic",
                    "digest",
                    "custom",
                    "apiKeyHeader",
                    "apiKeyQuery",
                    "apiKeyCookie",
                    "oauth2",
                    "openIdConnect",
                ]
            };
            let kind = self.pick(kinds);
            let base = self.pick(&[
                "auth", "bearer", "api_key", "ApiKey", "type", "self", "oauth", "basic", "token",
                "key-2",
            ]);
            let name = self.component_name(&format!("scheme.{base}"));
            let name = name.trim_start_matches("scheme.").to_string();
            let (mut scheme, scoped) = match kind {
                "bearer" => {
                    let mut s = json!({"type": "http", "scheme": self.pick(&["bearer", "Bearer"])});
                    if self.chance(0.5) {
                        s["bearerFormat"] = json!("JWT");
                    }
                    (s, false)
                }
                "basic" => (json!({"type": "http", "scheme": "basic"}), false),
                "digest" => (json!({"type": "http", "scheme": "digest"}), false),
                "custom" => (
                    json!({"type": "http", "scheme": self.pick(&["HOBA", "dsn", "Token"])}),
                    false,
                ),
                "apiKeyHeader" => (
                    json!({"type": "apiKey", "in": "header", "name": self.pick(&["X-Api-Key", "api-key", "Authorization"])}),
                    false,
                ),
                "apiKeyQuery" => (
                    json!({"type": "apiKey", "in": "query", "name": self.pick(&["api_key", "key", "type"])}),
                    false,
                ),
                "apiKeyCookie" => (
                    json!({"type": "apiKey", "in": "cookie", "name": "sid"}),
                    false,
                ),
                "oauth2" => (self.oauth2(), true),
                "openIdConnect" => (
                    json!({"type": "openIdConnect", "openIdConnectUrl": "https://example.com/.well-known/openid-configuration"}),
                    true,
                ),
                _ => (json!({"type": "mutualTLS"}), false),
            };
            if self.chance(0.4) {
                scheme["description"] = json!(self.pick(PROSE));
            }
            if self.v == Version::V32 && self.chance(0.2) {
                scheme["deprecated"] = json!(true);
            }
            schemes.insert(name.clone(), scheme);
            self.schemes.push((name, scoped));
        }
        self.components
            .insert("securitySchemes".into(), Value::Object(schemes));
    }

    fn oauth2(&mut self) -> Value {
        let mut flows = Map::new();
        let scopes = json!({"things:read": "Read things.", "things:write": "Write things."});
        let all: &[&str] = if self.v == Version::V32 {
            &[
                "clientCredentials",
                "authorizationCode",
                "implicit",
                "password",
                "deviceAuthorization",
            ]
        } else {
            &[
                "clientCredentials",
                "authorizationCode",
                "implicit",
                "password",
            ]
        };
        for _ in 0..self.count(1, 3) {
            let flow = self.pick(all);
            let mut f = match flow {
                "clientCredentials" | "password" => {
                    json!({"tokenUrl": self.pick(&["https://example.com/oauth/token", "/oauth/token"]), "scopes": scopes})
                }
                "authorizationCode" => json!({
                    "authorizationUrl": "https://example.com/oauth/authorize",
                    "tokenUrl": "https://example.com/oauth/token",
                    "scopes": scopes
                }),
                "implicit" => {
                    json!({"authorizationUrl": "https://example.com/oauth/authorize", "scopes": scopes})
                }
                _ => json!({
                    "deviceAuthorizationUrl": "https://example.com/oauth/device",
                    "tokenUrl": "https://example.com/oauth/token",
                    "scopes": scopes
                }),
            };
            if self.chance(0.2) {
                f["refreshUrl"] = json!("https://example.com/oauth/refresh");
            }
            flows.insert(flow.into(), f);
        }
        let mut scheme = json!({"type": "oauth2", "flows": flows});
        if self.v == Version::V32 && self.chance(0.3) {
            scheme["oauth2MetadataUrl"] =
                json!("https://example.com/.well-known/oauth-authorization-server");
        }
        scheme
    }

    /// A list of security requirements: alternatives, each one or more schemes (AND), or
    /// `{}` (no credentials needed).
    fn requirements(&mut self) -> Value {
        let mut out = Vec::new();
        for _ in 0..self.count(1, 3) {
            if self.chance(0.15) {
                out.push(json!({}));
                continue;
            }
            let mut requirement = Map::new();
            for _ in 0..self.count(1, 2) {
                let (name, scoped) = self.schemes[self.rng.usize(0..self.schemes.len())].clone();
                let scopes = if scoped && self.chance(0.5) {
                    json!(["things:read"])
                } else {
                    json!([])
                };
                requirement.insert(name, scopes);
            }
            out.push(Value::Object(requirement));
        }
        Value::Array(out)
    }

    // ---- schemas ----

    fn component_schema(&mut self, name: &str) -> Value {
        match self.rng.u32(0..10) {
            // A recursive node: refers to itself through an optional field, a list or a map.
            0 => {
                let me = Self::schema_ref(name);
                let mut props = Map::new();
                props.insert("value".into(), self.scalar());
                match self.rng.u32(0..3) {
                    0 => props.insert("next".into(), me),
                    1 => props.insert("children".into(), json!({"type": "array", "items": me})),
                    _ => props.insert(
                        "by_name".into(),
                        json!({"type": "object", "additionalProperties": me}),
                    ),
                };
                let mut s = json!({"type": "object", "properties": props});
                if self.chance(0.5) {
                    s["required"] = json!(["value"]);
                }
                s
            }
            // An alias of another component (a chain when that one is an alias too).
            1 if self.schema_names.len() > 1 => {
                let other = self.other_schema(name);
                let mut s = Self::schema_ref(&other);
                if self.v >= Version::V31 && self.chance(0.5) {
                    s["description"] = json!(self.pick(PROSE));
                }
                s
            }
            // The `allOf` inheritance with a discriminator on the base.
            2 if self.schema_names.len() > 1 => {
                let base = self.other_schema(name);
                json!({"allOf": [Self::schema_ref(&base), self.object(2)]})
            }
            _ => self.schema(0),
        }
    }

    /// A component schema name other than `name` (there must be one).
    fn other_schema(&mut self, name: &str) -> String {
        let others: Vec<String> = self
            .schema_names
            .iter()
            .filter(|n| *n != name)
            .cloned()
            .collect();
        others[self.rng.usize(0..others.len())].clone()
    }

    fn schema(&mut self, depth: u32) -> Value {
        let leaf = depth >= 3;
        let mut s = match self.rng.u32(0..100) {
            0..=14 if !self.schema_names.is_empty() => return self.reference(),
            0..=27 => self.scalar(),
            28..=37 => self.enumeration(),
            38..=52 if !leaf => self.object(depth),
            53..=60 if !leaf => self.array(depth),
            61..=66 if !leaf => self.map(depth),
            67..=72 if !leaf => self.all_of(depth),
            73..=84 if !leaf => self.union(depth),
            85..=88 => json!({}),
            89..=91 if self.v >= Version::V31 => json!({"const": self.pick(&["fixed", "", "ñ"])}),
            92..=93 if self.v >= Version::V31 => json!({"type": "null"}),
            94 if self.v >= Version::V31 => json!({"type": ["string", "integer"]}),
            95 if self.v >= Version::V31 => self.json_schema_extras(depth),
            96 => json!({"not": {"type": "string"}}),
            _ => self.scalar(),
        };
        if self.chance(0.15) {
            s = self.nullable(s);
        }
        self.decorate(&mut s);
        s
    }

    fn reference(&mut self) -> Value {
        let name = self.schema_names[self.rng.usize(0..self.schema_names.len())].clone();
        let mut s = Self::schema_ref(&name);
        // 3.1 allows siblings beside `$ref`.
        if self.v >= Version::V31 && self.chance(0.15) {
            s["description"] = json!(self.pick(PROSE));
        }
        s
    }

    fn scalar(&mut self) -> Value {
        match self.rng.u32(0..4) {
            0 => {
                let mut s = json!({"type": "string"});
                let format = self.pick(&[
                    "",
                    "",
                    "",
                    "date-time",
                    "date",
                    "time",
                    "duration",
                    "uuid",
                    "byte",
                    "binary",
                    "email",
                    "uri",
                    "uri-reference",
                    "hostname",
                    "ipv4",
                    "ipv6",
                    "password",
                    "int64",
                    "decimal",
                    "custom-thing",
                ]);
                if !format.is_empty() {
                    s["format"] = json!(format);
                }
                if self.chance(0.15) {
                    s["minLength"] = json!(self.count(0, 1));
                }
                if self.chance(0.15) {
                    s["maxLength"] = json!(64);
                }
                if self.chance(0.1) {
                    s["pattern"] = json!(self.pick(&["^.*$", ".", "^[\\s\\S]*$"]));
                }
                if self.v >= Version::V31 && self.chance(0.05) {
                    s["contentEncoding"] = json!("base64");
                    s["contentMediaType"] = json!("image/png");
                }
                s
            }
            1 => {
                let mut s = json!({"type": "integer"});
                let format = self.pick(&["", "int32", "int64", "int64", "uint8", "unknown"]);
                if !format.is_empty() {
                    s["format"] = json!(format);
                }
                self.bounds(&mut s, true);
                s
            }
            2 => {
                let mut s = json!({"type": "number"});
                let format = self.pick(&["", "float", "double", "decimal"]);
                if !format.is_empty() {
                    s["format"] = json!(format);
                }
                self.bounds(&mut s, false);
                s
            }
            _ => json!({"type": "boolean"}),
        }
    }

    /// Numeric bounds a sample can satisfy: the sample is the (exclusive) minimum (+1), a
    /// whole number, so a `multipleOf` of 1 or 0.5 holds.
    fn bounds(&mut self, s: &mut Value, integer: bool) {
        if self.chance(0.2) {
            s["minimum"] = json!(self.pick(&[0, -10, 1]));
            if self.chance(0.3) {
                if self.v == Version::V30 {
                    s["exclusiveMinimum"] = json!(true);
                } else {
                    let min = s["minimum"].clone();
                    s.as_object_mut().map(|o| o.remove("minimum"));
                    s["exclusiveMinimum"] = min;
                }
            }
        }
        if self.chance(0.15) {
            if self.v == Version::V30 || self.chance(0.5) {
                s["maximum"] = json!(1000);
                if self.v == Version::V30 && self.chance(0.3) {
                    s["exclusiveMaximum"] = json!(true);
                }
            } else {
                s["exclusiveMaximum"] = json!(1000);
            }
        }
        if self.chance(0.1) {
            s["multipleOf"] = if integer { json!(1) } else { json!(0.5) };
        }
    }

    fn enumeration(&mut self) -> Value {
        match self.rng.u32(0..6) {
            0..=2 => {
                let values = self.some_names(ENUM_VALUES, 1, 6);
                json!({"type": "string", "enum": values})
            }
            3 => {
                let mut values: Vec<i64> = vec![0, 1, -1, 42, 9_007_199_254_740_993];
                self.rng.shuffle(&mut values);
                values.truncate(self.count(1, 5));
                let mut s = json!({"type": "integer", "enum": values});
                if self.chance(0.3) {
                    s["format"] = json!("int32");
                    s["enum"] = json!([0, 1, -1, 42][..self.count(1, 4)]);
                }
                s
            }
            4 => {
                let values = [1.5, 0.0, -2.25];
                json!({"type": "number", "enum": values[..self.count(1, 3)]})
            }
            _ => {
                if self.chance(0.5) {
                    json!({"type": "boolean", "enum": [true]})
                } else if self.v >= Version::V31 {
                    json!({"enum": ["a", 1, null]})
                } else {
                    json!({"type": "boolean", "enum": [false, true]})
                }
            }
        }
    }

    fn object(&mut self, depth: u32) -> Value {
        let n = self.count(0, 6);
        let names = self.names(PROPERTY_NAMES, n);
        let mut props = Map::new();
        let mut required = Vec::new();
        for name in &names {
            let mut prop = self.schema(depth + 1);
            if prop.get("$ref").is_none() {
                if self.chance(0.08) {
                    prop["readOnly"] = json!(true);
                } else if self.chance(0.08) {
                    prop["writeOnly"] = json!(true);
                }
            }
            props.insert(name.clone(), prop);
            if self.chance(0.45) {
                required.push(name.clone());
            }
        }
        // A required name with no property is valid JSON Schema.
        if self.chance(0.03) {
            required.push("ghost".into());
        }
        let mut s = Map::new();
        if self.chance(0.9) {
            s.insert("type".into(), json!("object"));
        }
        if !props.is_empty() || self.chance(0.5) {
            s.insert("properties".into(), Value::Object(props));
        }
        if !required.is_empty() {
            s.insert("required".into(), json!(required));
        }
        match self.rng.u32(0..12) {
            0 => {
                s.insert("additionalProperties".into(), json!(true));
            }
            1 => {
                s.insert("additionalProperties".into(), json!(false));
            }
            2 if depth < 3 => {
                let ap = self.schema(depth + 1);
                s.insert("additionalProperties".into(), ap);
            }
            _ => {}
        }
        if self.chance(0.05) {
            s.insert("minProperties".into(), json!(0));
            s.insert("maxProperties".into(), json!(100));
        }
        Value::Object(s)
    }

    fn array(&mut self, depth: u32) -> Value {
        let mut s = json!({"type": "array"});
        if self.v == Version::V30 || self.chance(0.9) {
            s["items"] = self.schema(depth + 1);
        }
        if self.chance(0.1) {
            s["minItems"] = json!(0);
            s["maxItems"] = json!(100);
        }
        if self.chance(0.1) {
            s["uniqueItems"] = json!(true);
        }
        s
    }

    fn map(&mut self, depth: u32) -> Value {
        let values = if self.chance(0.2) {
            json!(true)
        } else {
            self.schema(depth + 1)
        };
        json!({"type": "object", "additionalProperties": values})
    }

    fn all_of(&mut self, depth: u32) -> Value {
        let mut branches = Vec::new();
        for _ in 0..self.count(1, 3) {
            let branch = if !self.schema_names.is_empty() && self.chance(0.4) {
                self.reference()
            } else if self.chance(0.15) {
                json!({"description": self.pick(PROSE)})
            } else {
                self.object(depth + 1)
            };
            branches.push(branch);
        }
        json!({"allOf": branches})
    }

    fn union(&mut self, depth: u32) -> Value {
        let key = if self.chance(0.5) { "oneOf" } else { "anyOf" };
        if self.chance(0.3) {
            return self.discriminated(key, depth);
        }
        let mut branches = Vec::new();
        for _ in 0..self.count(1, 4) {
            branches.push(self.schema(depth + 1));
        }
        json!({ key: branches })
    }

    /// A union of new object components that each require the tag property as a string,
    /// with a discriminator (and a partial mapping, sometimes).
    fn discriminated(&mut self, key: &str, depth: u32) -> Value {
        let property = self.pick(&["kind", "type", "@type", "object", "Type"]);
        let mut branches = Vec::new();
        let mut mapping = Map::new();
        let base = self.pick(TYPE_NAMES);
        for i in 0..self.count(1, 3) {
            let name = self.component_name(&format!("{base}{}", ["Cat", "Dog", "cat"][i]));
            let mut branch = self.object(depth + 2);
            let mut tag = json!({"type": "string"});
            if self.chance(0.3) {
                tag["enum"] = json!([name.to_lowercase()]);
            }
            branch["type"] = json!("object");
            if branch.get("properties").is_none() {
                branch["properties"] = json!({});
            }
            branch["properties"][property] = tag;
            let mut required: Vec<Value> =
                branch["required"].as_array().cloned().unwrap_or_default();
            if !required.contains(&json!(property)) {
                required.push(json!(property));
            }
            branch["required"] = Value::Array(required);
            self.extra_schemas.push((name.clone(), branch));
            if self.chance(0.5) {
                mapping.insert(
                    format!("{}-tag", name.to_lowercase()),
                    json!(format!("#/components/schemas/{}", escape(&name))),
                );
            }
            branches.push(Self::schema_ref(&name));
        }
        let mut discriminator = json!({"propertyName": property});
        if !mapping.is_empty() {
            discriminator["mapping"] = Value::Object(mapping);
        }
        if self.v == Version::V32 && self.chance(0.2) {
            discriminator["defaultMapping"] = branches[0]["$ref"].clone();
        }
        json!({ key: branches, "discriminator": discriminator })
    }

    /// JSON Schema keywords of 3.1 that the generator reads past.
    fn json_schema_extras(&mut self, depth: u32) -> Value {
        let mut s = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        match self.rng.u32(0..8) {
            0 => s["patternProperties"] = json!({"^x-": {"type": "string"}}),
            1 => s["propertyNames"] = json!({"pattern": "^[a-z]+$"}),
            2 => s["unevaluatedProperties"] = json!(false),
            3 => s["dependentRequired"] = json!({"a": ["b"]}),
            4 => s["dependentSchemas"] = json!({"a": {"required": ["b"]}}),
            5 => {
                s = json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": self.schema(depth + 1)});
                if self.chance(0.5) {
                    s["unevaluatedItems"] = json!(false);
                }
            }
            6 => {
                s = json!({"type": "array", "items": {"type": "integer"}, "contains": {"type": "integer", "minimum": 1}, "minContains": 1, "maxContains": 3});
            }
            _ => {
                s["if"] = json!({"properties": {"a": {"const": "x"}}});
                s["then"] = json!({"required": ["a"]});
                s["else"] = json!({});
            }
        }
        if self.chance(0.3) {
            s["$comment"] = json!("a comment");
        }
        if self.chance(0.2) {
            s["$defs"] = json!({"Inner": {"type": "string"}});
            s["$id"] = json!("https://example.com/schemas/thing");
        }
        if self.chance(0.1) {
            s["$anchor"] = json!("thing");
            s["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
        }
        if self.chance(0.05) {
            s["$dynamicAnchor"] = json!("node");
            s["$vocabulary"] = json!({"https://json-schema.org/draft/2020-12/vocab/core": true});
        }
        if self.chance(0.05) {
            s["contentSchema"] = json!({"type": "object"});
        }
        s
    }

    /// `s` or null: 3.0's `nullable`, 3.1's type array or a `null` branch.
    fn nullable(&mut self, mut s: Value) -> Value {
        if self.v == Version::V30 {
            if s.get("$ref").is_some() {
                return json!({"allOf": [s], "nullable": true});
            }
            s["nullable"] = json!(true);
            if let Some(values) = s.get_mut("enum").and_then(Value::as_array_mut) {
                values.push(Value::Null);
            }
            return s;
        }
        match s.get("type").cloned() {
            Some(Value::String(t)) if self.chance(0.7) => {
                s["type"] = json!([t, "null"]);
                if let Some(values) = s.get_mut("enum").and_then(Value::as_array_mut) {
                    values.push(Value::Null);
                }
                s
            }
            _ => {
                let key = self.pick(&["anyOf", "oneOf"]);
                json!({ key: [s, {"type": "null"}] })
            }
        }
    }

    fn decorate(&mut self, s: &mut Value) {
        let Some(object) = s.as_object_mut() else {
            return;
        };
        if self.rng.f64() < 0.3 {
            object.insert("description".into(), json!(self.pick(PROSE)));
        }
        if self.rng.f64() < 0.08 {
            object.insert(
                "title".into(),
                json!(self.pick(&["A title", "Thing", "type", "ñ"])),
            );
        }
        if self.rng.f64() < 0.05 {
            object.insert("deprecated".into(), json!(true));
        }
        if self.rng.f64() < 0.03 {
            object.insert("externalDocs".into(), self.external_docs());
        }
        if self.rng.f64() < 0.03 {
            object.insert(
                "xml".into(),
                json!({"name": "thing", "namespace": "https://example.com/ns", "prefix": "t", "attribute": false, "wrapped": false}),
            );
            if self.v == Version::V32 {
                object["xml"]["nodeType"] = json!("element");
            }
        }
        let value = Value::Object(object.clone());
        if let Some(sample) = sample(&value) {
            if self.rng.f64() < 0.15 {
                if self.v >= Version::V31 && self.rng.f64() < 0.5 {
                    object.insert("examples".into(), json!([sample.clone()]));
                } else {
                    object.insert("example".into(), sample.clone());
                }
            }
            if self.rng.f64() < 0.1 {
                object.insert("default".into(), sample);
            }
        }
    }

    // ---- paths and operations ----

    fn paths(&mut self) -> Map<String, Value> {
        let mut paths = Map::new();
        let mut shapes = BTreeSet::new();
        for _ in 0..self.count(0, 4) {
            let (template, params) = self.template();
            // Templates differing only in variable names are the same path.
            let shape = shape_of(&template);
            if !shapes.insert(shape) {
                continue;
            }
            let item = self.path_item(&template, &params);
            if self.v >= Version::V31 && self.chance(0.1) {
                let name = self.component_name("SharedItem");
                self.components
                    .entry("pathItems")
                    .or_insert_with(|| json!({}))[&name] = item;
                paths.insert(
                    template,
                    json!({"$ref": format!("#/components/pathItems/{name}")}),
                );
            } else {
                paths.insert(template, item);
            }
        }
        paths
    }

    /// A path template and its variables.
    fn template(&mut self) -> (String, Vec<String>) {
        let mut path = String::new();
        let mut params: Vec<String> = Vec::new();
        let fresh = |g: &mut Gen, params: &mut Vec<String>| {
            let mut name = g.pick(PATH_PARAMS).to_string();
            let mut i = 2;
            while params.contains(&name) {
                name = format!("{}{i}", g.pick(PATH_PARAMS));
                i += 1;
            }
            params.push(name.clone());
            name
        };
        for _ in 0..self.count(1, 4) {
            path.push('/');
            match self.rng.u32(0..10) {
                0..=5 => {
                    let segment = self.pick(SEGMENTS);
                    // A literal `{x}` is a variable; keep literals literal.
                    if segment == "{x}" {
                        let name = fresh(self, &mut params);
                        path.push_str(&format!("{{{name}}}"));
                    } else {
                        path.push_str(segment);
                    }
                }
                6..=8 => {
                    let name = fresh(self, &mut params);
                    path.push_str(&format!("{{{name}}}"));
                }
                _ => {
                    let a = fresh(self, &mut params);
                    let b = fresh(self, &mut params);
                    let sep = self.pick(&[".", "-", ";", ","]);
                    path.push_str(&format!("{{{a}}}{sep}{{{b}}}"));
                }
            }
        }
        if self.chance(0.05) {
            path.push('/');
        }
        (path, params)
    }

    fn path_item(&mut self, template: &str, path_params: &[String]) -> Value {
        let mut item = Map::new();
        if self.chance(0.1) {
            item.insert("summary".into(), json!(self.pick(PROSE)));
        }
        self.describe(&mut item, 0.1);
        // Some path parameters are declared once for the whole item.
        let shared: Vec<String> = path_params
            .iter()
            .filter(|_| self.rng.f64() < 0.4)
            .cloned()
            .collect();
        if !shared.is_empty() || self.chance(0.1) {
            let mut list = Vec::new();
            for name in &shared {
                list.push(self.parameter("path", name));
            }
            if self.chance(0.2) {
                let name = self.pick(QUERY_PARAMS);
                list.push(self.parameter("query", name));
            }
            item.insert("parameters".into(), Value::Array(list));
        }
        if self.chance(0.05) {
            item.insert("servers".into(), self.servers());
        }
        let mut methods = vec![
            "get", "put", "post", "delete", "patch", "head", "options", "trace",
        ];
        if self.v == Version::V32 {
            methods.push("query");
        }
        self.rng.shuffle(&mut methods);
        let own: Vec<String> = path_params
            .iter()
            .filter(|p| !shared.contains(p))
            .cloned()
            .collect();
        let shared_query = item
            .get("parameters")
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter(|p| p["in"] == "query")
                    .map(|p| p["name"].as_str().unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for method in methods.into_iter().take(self.count(1, 3)) {
            let op = self.operation(template, method, &own, &shared_query);
            item.insert(method.into(), op);
        }
        if self.v == Version::V32 && self.chance(0.1) {
            let op = self.operation(template, "COPY", &own, &shared_query);
            item.insert("additionalOperations".into(), json!({"COPY": op}));
        }
        Value::Object(item)
    }

    fn operation_id(&mut self, template: &str, method: &str) -> Option<String> {
        if self.chance(0.2) {
            return None;
        }
        let base = if self.chance(0.5) {
            self.pick(OPERATION_IDS).to_string()
        } else {
            let words: Vec<&str> = template
                .split(['/', '{', '}', '.', '-', ';', ','])
                .filter(|w| !w.is_empty())
                .collect();
            match self.rng.u32(0..3) {
                0 => format!("{method}_{}", words.join("_")),
                1 => format!(
                    "{method}{}",
                    words.iter().map(|w| capitalise(w)).collect::<String>()
                ),
                _ => format!(
                    "{}_{}_{method}",
                    words.join("_"),
                    template.replace(['/', '{', '}'], "_")
                ),
            }
        };
        let mut id = base.clone();
        let mut i = 2;
        while !self.operation_ids.insert(id.clone()) {
            id = format!("{base}{i}");
            i += 1;
        }
        Some(id)
    }

    fn operation(
        &mut self,
        template: &str,
        method: &str,
        path_params: &[String],
        shared_query: &[String],
    ) -> Value {
        let mut op = Map::new();
        if let Some(id) = self.operation_id(template, method) {
            op.insert("operationId".into(), json!(id));
        }
        if self.chance(0.5) {
            op.insert("summary".into(), json!(self.pick(PROSE)));
        }
        self.describe(&mut op, 0.3);
        if !self.tags.is_empty() && self.chance(0.7) {
            let tag = self.tags[self.rng.usize(0..self.tags.len())].clone();
            op.insert("tags".into(), json!([tag]));
        }
        if self.chance(0.1) {
            op.insert("deprecated".into(), json!(true));
        }
        if self.chance(0.05) {
            op.insert("externalDocs".into(), self.external_docs());
        }
        if self.chance(0.05) {
            op.insert("servers".into(), self.servers());
        }
        let paginated = method == "get" && self.chance(0.12);
        let mut params = Vec::new();
        let mut taken: BTreeSet<(String, String)> = shared_query
            .iter()
            .map(|n| (n.clone(), "query".to_string()))
            .collect();
        for name in path_params {
            params.push(self.parameter("path", name));
            taken.insert((name.clone(), "path".into()));
        }
        if paginated {
            for name in ["offset", "limit"] {
                if taken.insert((name.into(), "query".into())) {
                    let mut p = json!({"name": name, "in": "query", "schema": {"type": "integer"}});
                    if self.chance(0.3) {
                        p["schema"]["format"] = json!("int32");
                    }
                    if name == "limit" && self.chance(0.5) {
                        p["required"] = json!(true);
                    }
                    params.push(p);
                }
            }
        }
        for _ in 0..self.count(0, 6) {
            let location = self.pick(&["query", "query", "query", "header", "cookie"]);
            let pool = match location {
                "query" => QUERY_PARAMS,
                "header" => HEADER_PARAMS,
                _ => COOKIE_PARAMS,
            };
            let name = self.pick(pool);
            if !taken.insert((name.to_string(), location.to_string())) {
                continue;
            }
            if !self.schema_names.is_empty() && self.chance(0.1) {
                let p = self.parameter(location, name);
                let component = self.component_name(&format!(
                    "param.{}",
                    name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                ));
                let component = component.trim_start_matches("param.").to_string();
                self.components
                    .entry("parameters")
                    .or_insert_with(|| json!({}))[&component] = p;
                params.push(json!({"$ref": format!("#/components/parameters/{component}")}));
                continue;
            }
            params.push(self.parameter(location, name));
        }
        if !params.is_empty() {
            self.rng.shuffle(&mut params);
            op.insert("parameters".into(), Value::Array(params));
        }
        let takes_body = !paginated
            && match method {
                "post" | "put" | "patch" | "query" | "COPY" => self.chance(0.8),
                _ => self.chance(0.1),
            };
        if takes_body {
            let body = self.request_body();
            op.insert("requestBody".into(), body);
        }
        let responses = if paginated {
            self.paginated_responses()
        } else {
            self.responses()
        };
        op.insert("responses".into(), responses);
        if !self.schemes.is_empty() && self.chance(0.3) {
            let security = if self.chance(0.3) {
                json!([])
            } else {
                self.requirements()
            };
            op.insert("security".into(), security);
        }
        if self.chance(0.05) {
            let hook = self.webhook();
            let callback = json!({"{$request.body#/callbackUrl}": hook});
            let callback = if self.chance(0.3) {
                let name = self.component_name("Callback");
                self.components
                    .entry("callbacks")
                    .or_insert_with(|| json!({}))[&name] = callback;
                json!({"$ref": format!("#/components/callbacks/{name}")})
            } else {
                callback
            };
            op.insert("callbacks".into(), json!({ "onDone": callback }));
        }
        self.operations
            .push((template.to_string(), method.to_string()));
        Value::Object(op)
    }

    /// A path item for webhooks and callbacks: a POST the API sends.
    fn webhook(&mut self) -> Value {
        let schema = self.schema(1);
        json!({"post": {
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": "Received."}}
        }})
    }

    fn parameter(&mut self, location: &str, name: &str) -> Value {
        let mut p = Map::new();
        p.insert("name".into(), json!(name));
        p.insert("in".into(), json!(location));
        if location == "path" || self.chance(0.3) {
            p.insert("required".into(), json!(true));
        }
        self.describe(&mut p, 0.2);
        if self.chance(0.05) {
            p.insert("deprecated".into(), json!(true));
        }
        // A `content` parameter: JSON text (exactly one media type).
        if location != "path" && self.chance(0.08) {
            let schema = self.schema(1);
            p.insert(
                "content".into(),
                json!({"application/json": {"schema": schema}}),
            );
            return Value::Object(p);
        }
        let shape = self.rng.u32(0..10);
        let mut schema = match shape {
            0..=4 => self.scalar(),
            5 => self.enumeration(),
            6 | 7 => {
                let items = if self.chance(0.7) {
                    self.scalar()
                } else {
                    self.enumeration()
                };
                json!({"type": "array", "items": items})
            }
            8 => {
                let mut props = Map::new();
                for n in self.some_names(&["a", "b", "type", "ñ", "x-y"], 1, 3) {
                    props.insert(n, self.scalar());
                }
                json!({"type": "object", "properties": props})
            }
            _ if !self.schema_names.is_empty() => self.reference(),
            _ => self.scalar(),
        };
        // Binary is not a parameter format.
        if schema.get("format") == Some(&json!("binary")) {
            schema.as_object_mut().map(|o| o.remove("format"));
        }
        let is_array = shape == 6 || shape == 7;
        let is_object = shape == 8;
        if self.chance(0.08) {
            schema = self.nullable(schema);
        }
        if let Some(sample) = sample(&schema) {
            if self.chance(0.1) {
                schema["default"] = sample.clone();
            }
            if self.chance(0.1) {
                p.insert("example".into(), sample);
            } else if self.chance(0.05) {
                p.insert(
                    "examples".into(),
                    json!({"one": {"summary": "One.", "value": sample}}),
                );
            }
        }
        p.insert("schema".into(), schema);
        let styles: &[&str] = match location {
            "path" => &["simple", "label", "matrix"],
            "query" if is_object => &["form", "deepObject"],
            "query" if is_array => &["form", "spaceDelimited", "pipeDelimited"],
            "query" => &["form"],
            "header" => &["simple"],
            _ => &["form"],
        };
        if self.chance(0.4) {
            p.insert("style".into(), json!(self.pick(styles)));
        }
        if self.chance(0.3) {
            p.insert("explode".into(), json!(self.chance(0.5)));
        }
        if location == "query" {
            if self.chance(0.05) {
                p.insert("allowReserved".into(), json!(true));
            }
            if self.chance(0.05) {
                p.insert("allowEmptyValue".into(), json!(true));
            }
        }
        Value::Object(p)
    }

    fn request_body(&mut self) -> Value {
        let mut body = Map::new();
        self.describe(&mut body, 0.2);
        if self.chance(0.6) {
            body.insert("required".into(), json!(true));
        }
        let mut content = Map::new();
        let kinds = [
            "json",
            "json",
            "json",
            "form",
            "multipart",
            "binary",
            "text",
            "other",
            "vendor-json",
            "lines",
        ];
        for _ in 0..self.count(1, 2) {
            let kind = self.pick(&kinds);
            let (media, mt) = self.request_media(kind);
            content.insert(media, mt);
        }
        body.insert("content".into(), Value::Object(content));
        if self.chance(0.1) {
            let name = self.component_name("Body");
            self.components
                .entry("requestBodies")
                .or_insert_with(|| json!({}))[&name] = Value::Object(body);
            return json!({"$ref": format!("#/components/requestBodies/{name}")});
        }
        Value::Object(body)
    }

    fn request_media(&mut self, kind: &str) -> (String, Value) {
        match kind {
            "json" => {
                let schema = self.schema(0);
                let mut mt = json!({"schema": schema});
                self.media_examples(&mut mt);
                ("application/json".into(), mt)
            }
            "vendor-json" => {
                let schema = self.schema(0);
                let media = self.pick(&[
                    "application/vnd.api+json",
                    "application/merge-patch+json",
                    "application/json; charset=utf-8",
                    "application/problem+json",
                ]);
                (media.into(), json!({"schema": schema}))
            }
            "form" => {
                let (schema, names) = self.flat_object();
                let mut mt = json!({"schema": schema});
                let mut encoding = Map::new();
                for name in names {
                    if self.chance(0.3) {
                        let mut e = Map::new();
                        e.insert(
                            "style".into(),
                            json!(self.pick(&[
                                "form",
                                "spaceDelimited",
                                "pipeDelimited",
                                "deepObject"
                            ])),
                        );
                        if self.chance(0.5) {
                            e.insert("explode".into(), json!(self.chance(0.5)));
                        }
                        if self.chance(0.1) {
                            e.insert("allowReserved".into(), json!(true));
                        }
                        if self.chance(0.1) {
                            e.insert("contentType".into(), json!("application/json"));
                        }
                        encoding.insert(name, Value::Object(e));
                    }
                }
                if !encoding.is_empty() {
                    mt["encoding"] = Value::Object(encoding);
                }
                ("application/x-www-form-urlencoded".into(), mt)
            }
            "multipart" => {
                let (schema, names) = self.multipart_object();
                let mut mt = json!({"schema": schema});
                let mut encoding = Map::new();
                for name in names {
                    if self.chance(0.3) {
                        let mut e = Map::new();
                        e.insert(
                            "contentType".into(),
                            json!(self.pick(&[
                                "image/png",
                                "application/json",
                                "text/plain",
                                "image/png, image/jpeg",
                                "application/octet-stream",
                                "image/*"
                            ])),
                        );
                        if self.chance(0.2) {
                            e.insert("headers".into(), json!({"X-Part": {"schema": {"type": "string"}, "description": "A part header."}}));
                        }
                        if self.v == Version::V32 && self.chance(0.1) {
                            e.insert("encoding".into(), json!({}));
                        }
                        encoding.insert(name, Value::Object(e));
                    }
                }
                if !encoding.is_empty() {
                    mt["encoding"] = Value::Object(encoding);
                }
                if self.v == Version::V32 && self.chance(0.05) {
                    mt["prefixEncoding"] = json!([{"contentType": "image/png"}]);
                    mt["itemEncoding"] = json!({"contentType": "text/plain"});
                }
                ("multipart/form-data".into(), mt)
            }
            "binary" => {
                let schema = if self.v >= Version::V31 && self.chance(0.5) {
                    json!({"type": "string", "contentMediaType": "application/octet-stream"})
                } else {
                    json!({"type": "string", "format": "binary"})
                };
                let media = self.pick(&[
                    "application/octet-stream",
                    "image/png",
                    "application/pdf",
                    "*/*",
                ]);
                if self.v >= Version::V31 && self.chance(0.3) {
                    return (media.into(), json!({}));
                }
                (media.into(), json!({"schema": schema}))
            }
            "text" => {
                let media = self.pick(&["text/plain", "text/csv", "text/plain; charset=utf-8"]);
                (media.into(), json!({"schema": {"type": "string"}}))
            }
            "lines" => {
                let schema = self.schema(1);
                if self.v == Version::V32 {
                    ("application/jsonl".into(), json!({"itemSchema": schema}))
                } else {
                    ("application/x-ndjson".into(), json!({"schema": schema}))
                }
            }
            _ => {
                let media = self.pick(&["application/xml", "text/html", "application/x-yaml"]);
                let schema = self.schema(1);
                (media.into(), json!({"schema": schema}))
            }
        }
    }

    /// An object for a form body: scalars, arrays of scalars and small objects.
    fn flat_object(&mut self) -> (Value, Vec<String>) {
        if self.chance(0.15) {
            return (
                json!({"type": "object", "additionalProperties": self.scalar()}),
                Vec::new(),
            );
        }
        self.body_object(|g| match g.rng.u32(0..6) {
            0..=2 => g.scalar(),
            3 => g.enumeration(),
            4 => json!({"type": "array", "items": g.scalar()}),
            _ => g.object(2),
        })
    }

    /// An object for a multipart body: files, arrays of files, text and JSON parts.
    fn multipart_object(&mut self) -> (Value, Vec<String>) {
        self.body_object(|g| {
            let file = if g.v >= Version::V31 && g.chance(0.3) {
                json!({"type": "string", "contentMediaType": "image/png"})
            } else {
                json!({"type": "string", "format": "binary"})
            };
            match g.rng.u32(0..7) {
                0 | 1 => file,
                2 => json!({"type": "array", "items": file}),
                3 => g.scalar(),
                4 => g.enumeration(),
                5 => json!({"type": "array", "items": g.scalar()}),
                _ => g.schema(2),
            }
        })
    }

    /// A body's object of one to five properties, each drawn by `property`, some required;
    /// with the property names.
    fn body_object(
        &mut self,
        mut property: impl FnMut(&mut Self) -> Value,
    ) -> (Value, Vec<String>) {
        let names = self.some_names(PROPERTY_NAMES, 1, 5);
        let mut props = Map::new();
        let mut required = Vec::new();
        for name in &names {
            let prop = property(self);
            props.insert(name.clone(), prop);
            if self.chance(0.4) {
                required.push(name.clone());
            }
        }
        let mut s = json!({"type": "object", "properties": props});
        if !required.is_empty() {
            s["required"] = json!(required);
        }
        (s, names)
    }

    fn media_examples(&mut self, mt: &mut Value) {
        let Some(value) = sample(&mt["schema"]) else {
            return;
        };
        match self.rng.u32(0..10) {
            0 => mt["example"] = value,
            1 => {
                let mut example = json!({"summary": "An example.", "value": value});
                if self.chance(0.3) {
                    example["description"] = json!(self.pick(PROSE));
                }
                if self.chance(0.2) {
                    let name = self.component_name("Example");
                    self.components
                        .entry("examples")
                        .or_insert_with(|| json!({}))[&name] = example;
                    mt["examples"] =
                        json!({"one": {"$ref": format!("#/components/examples/{name}")}});
                } else {
                    mt["examples"] = json!({"one": example});
                }
            }
            2 if self.v == Version::V32 => {
                let text = serde_json::to_string(&value).unwrap_or_default();
                mt["examples"] =
                    json!({"data": {"dataValue": value}, "text": {"serializedValue": text}});
            }
            3 => {
                mt["examples"] =
                    json!({"far": {"externalValue": "https://example.com/example.json"}})
            }
            _ => {}
        }
    }

    fn responses(&mut self) -> Value {
        let mut codes = vec![
            "200", "200", "200", "201", "202", "204", "2XX", "default", "400", "401", "403", "404",
            "409", "422", "429", "4XX", "500", "5XX", "503",
        ];
        self.rng.shuffle(&mut codes);
        let n = self.count(1, 4);
        let mut chosen: Vec<&str> = Vec::new();
        for c in codes {
            if chosen.len() == n {
                break;
            }
            if !chosen.contains(&c) {
                chosen.push(c);
            }
        }
        let mut responses = Map::new();
        for code in chosen {
            let r = self.response(code);
            responses.insert(code.into(), r);
        }
        Value::Object(responses)
    }

    fn response(&mut self, code: &str) -> Value {
        let mut r = Map::new();
        r.insert(
            "description".into(),
            json!(self.pick(&["OK.", "", "Not found.", "A <b>response</b>."])),
        );
        if self.v == Version::V32 && self.chance(0.1) {
            r.insert("summary".into(), json!("Short."));
        }
        let success = code.starts_with('2') || code == "default";
        if code != "204" && self.chance(0.8) {
            let kinds: &[&str] = if success {
                &[
                    "json",
                    "json",
                    "json",
                    "text",
                    "binary",
                    "events",
                    "lines",
                    "seq",
                    "other",
                    "json+events",
                ]
            } else {
                &["json", "json", "problem", "text", "other"]
            };
            let kind = self.pick(kinds);
            let content = self.response_content(kind);
            r.insert("content".into(), content);
        }
        if self.chance(0.2) {
            let mut headers = Map::new();
            for name in self.some_names(
                &[
                    "X-Rate-Limit-Remaining",
                    "Link",
                    "Retry-After",
                    "ETag",
                    "x-next",
                ],
                1,
                2,
            ) {
                let mut h = if self.chance(0.1) {
                    json!({"content": {"application/json": {"schema": self.schema(1)}}})
                } else {
                    let schema = self.scalar();
                    let mut h = json!({"schema": schema});
                    if self.chance(0.2) {
                        h["style"] = json!("simple");
                        h["explode"] = json!(self.chance(0.5));
                    }
                    if let Some(value) = sample(&h["schema"]) {
                        if self.chance(0.2) {
                            h["example"] = value;
                        } else if self.chance(0.1) {
                            h["examples"] = json!({"one": {"value": value}});
                        }
                    }
                    h
                };
                if self.chance(0.3) {
                    h["description"] = json!(self.pick(PROSE));
                }
                if self.chance(0.2) {
                    h["required"] = json!(true);
                }
                if self.chance(0.1) {
                    h["deprecated"] = json!(true);
                }
                if self.chance(0.1) {
                    let name = self.component_name("Header");
                    self.components
                        .entry("headers")
                        .or_insert_with(|| json!({}))[&name] = h;
                    h = json!({"$ref": format!("#/components/headers/{name}")});
                }
                headers.insert(name, h);
            }
            r.insert("headers".into(), Value::Object(headers));
        }
        if !self.operation_ids.is_empty() && self.chance(0.08) {
            let target = self
                .operation_ids
                .iter()
                .nth(self.rng.usize(0..self.operation_ids.len()))
                .cloned()
                .unwrap_or_default();
            let mut link = json!({"operationId": target, "parameters": {"id": "$response.body#/id"}, "description": "The next one."});
            if self.chance(0.3) {
                let name = self.component_name("Link");
                self.components.entry("links").or_insert_with(|| json!({}))[&name] = link;
                link = json!({"$ref": format!("#/components/links/{name}")});
            }
            r.insert("links".into(), json!({ "next": link }));
        } else if !self.operations.is_empty() && self.chance(0.03) {
            let (path, method) = self.operations[0].clone();
            r.insert(
                "links".into(),
                json!({"self": {"operationRef": format!("#/paths/{}/{method}", escape(&path)), "requestBody": "$request.body", "server": {"url": "https://example.com"}}}),
            );
        }
        if self.chance(0.08) {
            let name = self.component_name("Response");
            self.components
                .entry("responses")
                .or_insert_with(|| json!({}))[&name] = Value::Object(r);
            return json!({"$ref": format!("#/components/responses/{name}")});
        }
        Value::Object(r)
    }

    fn response_content(&mut self, kind: &str) -> Value {
        match kind {
            "json" => {
                let schema = self.schema(0);
                let mut mt = json!({"schema": schema});
                self.media_examples(&mut mt);
                if self.v == Version::V32 && self.chance(0.05) {
                    let name = self.component_name("Media");
                    self.components
                        .entry("mediaTypes")
                        .or_insert_with(|| json!({}))[&name] = mt;
                    return json!({"application/json": {"$ref": format!("#/components/mediaTypes/{name}")}});
                }
                json!({"application/json": mt})
            }
            "problem" => json!({"application/problem+json": {"schema": self.object(1)}}),
            "text" => json!({"text/plain": {"schema": {"type": "string"}}}),
            "binary" => {
                let media =
                    self.pick(&["application/octet-stream", "image/png", "application/pdf"]);
                json!({ media: {"schema": {"type": "string", "format": "binary"}} })
            }
            "events" => json!({"text/event-stream": self.event_media()}),
            "json+events" => {
                let schema = self.schema(0);
                json!({"application/json": {"schema": schema}, "text/event-stream": self.event_media()})
            }
            "lines" => {
                let media = self.pick(&[
                    "application/x-ndjson",
                    "application/jsonl",
                    "application/ndjson",
                    "application/x-jsonlines",
                    "application/jsonlines",
                ]);
                let schema = self.schema(1);
                if self.v == Version::V32 && self.chance(0.5) {
                    json!({ media: {"itemSchema": schema} })
                } else {
                    json!({ media: {"schema": schema} })
                }
            }
            "seq" => json!({"application/json-seq": {"schema": self.schema(1)}}),
            _ => {
                let media = self.pick(&["application/xml", "text/html", "text/csv", "*/*"]);
                json!({ media: {"schema": self.schema(1)} })
            }
        }
    }

    /// A `text/event-stream` media type: the data's schema, the whole event's, 3.2's
    /// `itemSchema`, or none.
    fn event_media(&mut self) -> Value {
        match self.rng.u32(0..5) {
            0 => json!({}),
            1 => json!({"schema": {"type": "string"}}),
            2 => {
                let data = self.schema(1);
                let whole = json!({"type": "object", "required": ["data"], "properties": {"event": {"type": "string"}, "data": data, "id": {"type": "string"}, "retry": {"type": "integer"}}});
                if self.v == Version::V32 {
                    json!({"itemSchema": whole})
                } else {
                    json!({"schema": whole})
                }
            }
            _ => json!({"schema": self.schema(1)}),
        }
    }

    /// The offset/limit list shape: an object with an array `data` and `total_count`.
    fn paginated_responses(&mut self) -> Value {
        let item = self.schema(1);
        let count = if self.chance(0.3) {
            json!({"type": "integer", "format": "int32"})
        } else {
            json!({"type": "integer"})
        };
        let page = json!({
            "type": "object",
            "required": ["data", "total_count"],
            "properties": {"data": {"type": "array", "items": item}, "total_count": count}
        });
        let mut responses = json!({"200": {"description": "A page.", "content": {"application/json": {"schema": page}}}});
        if self.chance(0.5) {
            responses["422"] = self.response("422");
        }
        responses
    }
}

/// A template's shape: its variables blanked, for OpenAPI's rule that templates differing
/// only in variable names are the same path.
fn shape_of(template: &str) -> String {
    let mut out = String::new();
    let mut in_var = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_var = true;
                out.push('{');
            }
            '}' => {
                in_var = false;
                out.push('}');
            }
            _ if in_var => {}
            _ => out.push(c),
        }
    }
    out
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A JSON Pointer token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A value that satisfies `schema`, for the schemas this module draws that a sample can
/// be read off without resolving references: scalars (with their formats, enums, `const`
/// and bounds), nullables, arrays of those and objects whose required properties are.
pub fn sample(schema: &Value) -> Option<Value> {
    if let Some(c) = schema.get("const") {
        return Some(c.clone());
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.first().cloned();
    }
    if schema.get("$ref").is_some() || schema.get("not").is_some() {
        return None;
    }
    if let Some(branches) = schema.get("anyOf").or(schema.get("oneOf")) {
        return branches.as_array()?.iter().find_map(sample);
    }
    if schema.get("allOf").is_some() {
        return None;
    }
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(types)) => types.iter().find_map(Value::as_str)?,
        None if schema
            .as_object()
            .is_some_and(|o| o.keys().all(|k| !k.starts_with('$') && k != "properties")) =>
        {
            return Some(json!("anything"));
        }
        _ => return None,
    };
    let minimum = |default: i64| -> i64 {
        match (schema.get("minimum"), schema.get("exclusiveMinimum")) {
            (Some(m), Some(Value::Bool(true))) => m.as_i64().unwrap_or(default) + 1,
            (Some(m), _) => m.as_i64().unwrap_or(default),
            (None, Some(m)) if m.is_number() => m.as_i64().unwrap_or(default) + 1,
            _ => default,
        }
    };
    Some(match ty {
        "string" => json!(match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => "2024-01-02T03:04:05Z",
            Some("date") => "2024-01-02",
            Some("time") => "03:04:05Z",
            Some("duration") => "P1D",
            Some("uuid") => "123e4567-e89b-12d3-a456-426614174000",
            Some("byte") => "aGVsbG8=",
            Some("email") => "a@example.com",
            Some("uri") => "https://example.com/a",
            Some("uri-reference") => "/a",
            Some("hostname") => "example.com",
            Some("ipv4") => "127.0.0.1",
            Some("ipv6") => "::1",
            Some("int64") => "42",
            Some("decimal") => "1.50",
            Some("binary") => return None,
            _ => "text",
        }),
        "integer" => json!(minimum(1)),
        "number" => json!(
            minimum(1) as f64
                + if schema.get("multipleOf").is_some() {
                    0.0
                } else {
                    0.5
                }
        ),
        "boolean" => json!(true),
        "null" => Value::Null,
        "array" => match schema.get("items") {
            Some(items) => json!([sample(items)?]),
            None => json!([]),
        },
        "object" => {
            let mut out = Map::new();
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for name in required {
                let prop = schema.get("properties").and_then(|p| p.get(name))?;
                if prop.get("readOnly").is_some() || prop.get("writeOnly").is_some() {
                    return None;
                }
                out.insert(name.to_string(), sample(prop)?);
            }
            Value::Object(out)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_a_function_of_seed_and_index() {
        assert_eq!(document(1, 5), document(1, 5));
        assert_ne!(document(1, 5), document(1, 6));
        assert_ne!(document(1, 5), document(2, 5));
    }

    #[test]
    fn template_shapes_blank_variable_names() {
        assert_eq!(shape_of("/a/{id}/b/{x}.{y}"), "/a/{}/b/{}.{}");
    }
}
