//! Every Rust name the generator produces comes from here: types, fields, variants, methods.
//!
//! Names are derived with `heck`, then made valid and unique the same way every time:
//! a leading digit gets a prefix, a keyword gets a trailing `_` (never `r#`), an empty or
//! symbol-only name gets a placeholder, and a collision gets a numeric suffix in the order
//! the names were asked for (which is document order, so it is stable).

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Rust keywords (strict, reserved and 2018+/2024 edition), plus names that cannot be raw.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names that would shadow the prelude or the generated crate's own items inside the
/// generated modules. Generated code spells std paths in full, so these only need a suffix to
/// keep `use` of the crate by applications unambiguous.
const RESERVED_TYPE_NAMES: &[&str] = &["Self"];

/// Splits words heck does not treat as separators (anything not alphanumeric) and drops
/// characters that cannot appear in an identifier.
fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            // Non-ASCII letters are valid in identifiers but trip the `non_ascii_idents`
            // lint some users deny; transliteration is out of scope, so they separate words.
            out.push('_');
        } else {
            out.push('_');
        }
    }
    out
}

fn fix_start(name: String, prefix: &str) -> String {
    match name.chars().next() {
        None => prefix.to_string(),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{name}"),
        Some(_) => name,
    }
}

/// The crate's own features, which no group's feature may take.
pub const RESERVED_FEATURES: &[&str] = &[
    "default",
    "full",
    "rustls",
    "native-tls",
    "upload",
    "multipart",
    "sse",
    "tracing",
    "mock",
];

/// A Cargo feature name for a group of operations (a tag or a path segment): `kebab-case`
/// ASCII, starting with a letter (`2fa` → `g-2fa`); a name the crate's own features use
/// gets `-ops` (`mock` → `mock-ops`). Collisions are the caller's [`Namespace`]'s.
pub fn feature_name(group: &str) -> String {
    let name = clean(group).to_kebab_case();
    let name = match name.chars().next() {
        None => "group".to_string(),
        Some(c) if c.is_ascii_digit() => format!("g-{name}"),
        Some(_) => name,
    };
    if RESERVED_FEATURES.contains(&name.as_str()) {
        format!("{name}-ops")
    } else {
        name
    }
}

/// `UpperCamelCase` for types and variants.
pub fn type_name(raw: &str) -> String {
    let name = clean(raw).to_upper_camel_case();
    let name = fix_start(name, "T");
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// `UpperCamelCase` for enum variants; same rules as types, with `V` before a leading digit.
pub fn variant_name(raw: &str) -> String {
    let name = clean(raw).to_upper_camel_case();
    if name.is_empty() {
        return "Empty".to_string();
    }
    let name = fix_start(name, "V");
    if name == "Self" {
        "Self_".to_string()
    } else {
        name
    }
}

/// `snake_case` for fields, parameters and methods.
pub fn snake_name(raw: &str) -> String {
    let name = clean(raw).to_snake_case();
    let name = fix_start(name, "_");
    let name = if name.chars().all(|c| c == '_') {
        "value".to_string()
    } else {
        name
    };
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// A method name from a FastAPI-style operationId (`{name}{path}_{method}` with every
/// non-word character of the path replaced by `_`): the path-and-method suffix is dropped.
/// Other operationIds are only snake-cased.
pub fn method_name(operation_id: &str, method: &str, path: &str) -> String {
    let suffix = fastapi_suffix(method, path);
    let base = match operation_id.strip_suffix(&suffix) {
        Some(stem) if !stem.trim_matches('_').is_empty() => stem,
        _ => operation_id,
    };
    snake_name(base)
}

/// The suffix FastAPI's `generate_unique_id` appends to a route name.
fn fastapi_suffix(method: &str, path: &str) -> String {
    let mut s: String = path
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    s.push('_');
    s.push_str(&method.to_ascii_lowercase());
    s
}

/// A method name for an operation without an operationId: the method, then the path's
/// literal segments, then `by_{param}` for each template parameter.
pub fn method_name_from_path(method: &str, path: &str) -> String {
    let mut words = vec![method.to_ascii_lowercase()];
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(param) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            words.push(format!("by_{param}"));
        } else {
            words.push(seg.to_string());
        }
    }
    snake_name(&words.join("_"))
}

/// Registers names in one namespace and hands out unique ones: the first asker of a name
/// gets it as is, later ones get `2`, `3`, ... appended.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    used: BTreeSet<String>,
    /// Whether names are `UpperCamelCase` (types and variants); see [`camel_joined`].
    camel: bool,
}

impl Namespace {
    /// A namespace with some names already taken.
    pub fn with_reserved(names: &[&str]) -> Self {
        Namespace {
            used: names.iter().map(|s| s.to_string()).collect(),
            camel: false,
        }
    }

    /// A namespace of `UpperCamelCase` names (types, variants): names built from another
    /// (`{Type}Error`, `{Type}Field`, a numeric suffix) are joined so that the escape of a
    /// reserved name (`Self_`) cannot put an underscore inside one (`Self_Error` would
    /// trip rustc's `non_camel_case_types`).
    pub fn camel() -> Self {
        Namespace {
            used: BTreeSet::new(),
            camel: true,
        }
    }

    /// Returns `name` if free, otherwise the first free `{name}{n}` for n = 2, 3, ...
    pub fn unique(&mut self, name: String) -> String {
        let name = if self.camel {
            camel_joined(&name)
        } else {
            name
        };
        if self.used.insert(name.clone()) {
            return name;
        }
        // A name ending in a digit would read ambiguously with a bare number appended.
        let sep = if name.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let camel = self.camel;
        (2..)
            .map(|n| {
                let candidate = format!("{name}{sep}{n}");
                if camel {
                    camel_joined(&candidate)
                } else {
                    candidate
                }
            })
            .find(|candidate| self.used.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    /// Whether a name is already taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

/// An `UpperCamelCase` name without underscores beside a letter, except a trailing one:
/// `Self_Error` → `SelfError`, `Self_2` → `Self2`, while `Self_` and `V1_2` stay. rustc's
/// `non_camel_case_types` accepts exactly these.
pub fn camel_joined(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let cased = |c: Option<&char>| c.is_some_and(|c| c.is_alphabetic());
    let mut out = String::with_capacity(name.len());
    for (i, c) in chars.iter().enumerate() {
        let last = i + 1 == chars.len();
        if *c == '_' && !last && (cased(chars.get(i + 1)) || (i > 0 && cased(chars.get(i - 1)))) {
            continue;
        }
        out.push(*c);
    }
    out
}

/// Whether Cargo accepts `name` as a package name as the generator writes them: a letter,
/// then letters, digits, `-` or `_`.
pub fn is_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A name from a document's file name: its stem lowercased, every run of other characters
/// one `separator` (`petstore-swagger-v3.yaml` → `petstore-swagger-v3` with `-`,
/// `petstore_swagger_v3` with `_`), `api` put before one that does not start with a
/// letter, and `api{separator}client` for an empty one. The CLI's default crate name and a
/// build script's output file use it.
pub fn file_stem_name(path: &std::path::Path, separator: char) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = String::with_capacity(stem.len());
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with(separator) {
            name.push(separator);
        }
    }
    let name = name.trim_end_matches(separator);
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name.to_string(),
        Some(_) => format!("api{separator}{name}"),
        None => format!("api{separator}client"),
    }
}

/// The environment variables a generated client's `from_env` reads, from the crate name:
/// `prime-api` → (`PRIME_API_KEY`, `PRIME_API_BASE_URL`); `petstore` →
/// (`PETSTORE_API_KEY`, `PETSTORE_BASE_URL`). The first is the credential of an API with
/// one API-key or token scheme; see [`env_var`] for the others.
pub fn env_vars(crate_name: &str) -> (String, String) {
    let prefix = env_prefix(crate_name);
    let key = if prefix.ends_with("_API") || prefix == "API" {
        format!("{prefix}_KEY")
    } else {
        format!("{prefix}_API_KEY")
    };
    (key, format!("{prefix}_BASE_URL"))
}

/// The environment variable of one security scheme, from its builder method:
/// (`datadog`, `app_key_auth`) → `DATADOG_APP_KEY_AUTH`.
pub fn env_var(crate_name: &str, setter: &str) -> String {
    use heck::ToShoutySnakeCase;
    format!(
        "{}_{}",
        env_prefix(crate_name),
        setter.to_shouty_snake_case()
    )
}

fn env_prefix(crate_name: &str) -> String {
    use heck::ToShoutySnakeCase;
    let prefix = clean(crate_name).to_shouty_snake_case();
    if prefix.is_empty() {
        "API".to_string()
    } else {
        fix_start(prefix, "API_")
    }
}

/// Name of the error-enum variant for a status code: the canonical reason phrase
/// (`422` → `UnprocessableEntity`), or `Status{code}` for codes without one.
pub fn status_variant(code: u16) -> String {
    match http::StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => type_name(reason),
        None => format!("Status{code}"),
    }
}

/// Name of the variant for a status range such as `4XX`.
pub fn range_variant(first_digit: u16) -> String {
    match first_digit {
        1 => "Informational".into(),
        2 => "Success".into(),
        3 => "Redirection".into(),
        4 => "ClientError".into(),
        5 => "ServerError".into(),
        d => format!("Status{d}xx"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_file_names() {
        let name = |p: &str, sep| file_stem_name(std::path::Path::new(p), sep);
        assert_eq!(
            name("specs/petstore-swagger-v3.yaml", '-'),
            "petstore-swagger-v3"
        );
        assert_eq!(name("groups-3.1.yaml", '_'), "groups_3_1");
        assert_eq!(name("My API (v2).json", '-'), "my-api-v2");
        assert_eq!(name("3dsecure.yaml", '_'), "api_3dsecure");
        assert_eq!(name("__.json", '-'), "api-client");
    }

    #[test]
    fn fastapi_operation_ids_lose_their_suffix() {
        assert_eq!(
            method_name(
                "delete_user_image_api_v1_images__image_name___image_tag__delete",
                "delete",
                "/api/v1/images/{image_name}/{image_tag}"
            ),
            "delete_user_image"
        );
        assert_eq!(
            method_name(
                "get_pod_logs_api_api_v1_pods__pod_id__log_get",
                "get",
                "/api/v1/pods/{pod_id}/log"
            ),
            "get_pod_logs_api"
        );
        assert_eq!(method_name("listPets", "get", "/pets"), "list_pets");
        // The whole id is the suffix: keep it rather than produce an empty name.
        assert_eq!(method_name("_pets_get", "get", "/pets"), "pets_get");
    }

    #[test]
    fn awkward_names_become_valid_identifiers() {
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("gen"), "gen_");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("2fa"), "_2fa");
        assert_eq!(snake_name(""), "value");
        assert_eq!(snake_name("$$"), "value");
        assert_eq!(snake_name("teamId"), "team_id");
        assert_eq!(
            type_name("GenericPaginationResponse_List_ImageResponse__"),
            "GenericPaginationResponseListImageResponse"
        );
        assert_eq!(type_name("3dModel"), "T3dModel");
        assert_eq!(type_name(""), "T");
        assert_eq!(variant_name("H100_80GB"), "H10080gb");
        assert_eq!(variant_name("8x"), "V8x");
        assert_eq!(snake_name("teamId"), "team_id");
        assert_eq!(snake_name("success"), "success");
    }

    #[test]
    fn collisions_get_stable_suffixes() {
        let mut ns = Namespace::default();
        assert_eq!(ns.unique("Pet".into()), "Pet");
        assert_eq!(ns.unique("Pet".into()), "Pet2");
        assert_eq!(ns.unique("Pet".into()), "Pet3");
        assert_eq!(ns.unique("V1".into()), "V1");
        assert_eq!(ns.unique("V1".into()), "V1_2");
    }

    #[test]
    fn camel_names_built_on_an_escaped_name_stay_camel_case() {
        let mut ns = Namespace::camel();
        assert_eq!(ns.unique("Self_".into()), "Self_");
        assert_eq!(ns.unique("Self_".into()), "Self2");
        assert_eq!(ns.unique("Self_Error".into()), "SelfError");
        assert_eq!(ns.unique("V1".into()), "V1");
        assert_eq!(ns.unique("V1".into()), "V1_2");
        assert_eq!(camel_joined("Self_Variant1"), "SelfVariant1");
    }

    #[test]
    fn env_vars_follow_the_crate_name() {
        assert_eq!(
            env_vars("prime-api"),
            ("PRIME_API_KEY".into(), "PRIME_API_BASE_URL".into())
        );
        assert_eq!(
            env_vars("petstore"),
            ("PETSTORE_API_KEY".into(), "PETSTORE_BASE_URL".into())
        );
    }

    #[test]
    fn status_codes_name_variants() {
        assert_eq!(status_variant(401), "Unauthorized");
        assert_eq!(status_variant(422), "UnprocessableEntity");
        assert_eq!(status_variant(599), "Status599");
        assert_eq!(range_variant(4), "ClientError");
    }
}
