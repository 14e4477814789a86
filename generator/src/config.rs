//! The config file, `openapi-client-gen.toml`: what a team decides about the crate
//! generated for its API. The CLI reads it beside the document (or from `--config`); the
//! library takes it as [`crate::Settings::config`].
//!
//! ```toml
//! [package]
//! name = "petstore-client"        # the crate's name (the CLI's --crate-name wins)
//! version = "0.3.0"
//! description = "Client for the Petstore API"
//! license = "MIT OR Apache-2.0"
//! repository = "https://example.com/petstore-client"
//! edition = "2024"                # the only one: methods return futures borrowing arguments
//! default-features = ["rustls", "full"]
//!
//! [warnings]
//! deny = ["dangling-ref"]         # these kinds fail generation, with their pointers
//! allow = ["raw-encoding"]        # these are not reported
//!
//! [select.include]                # only these operations (default: all) ...
//! tags = ["pets"]
//! paths = ["/stores/*"]           # `*`: any run of characters
//! operations = ["getInventory"]   # operationIds
//!
//! [select.exclude]                # ... less these; types no operation reaches go too
//! operations = ["deletePet"]
//!
//! [names.operations]              # operationId = method name
//! findPetsByStatus = "pets_by_status"
//!
//! [names.types]                   # component schema = type name
//! Pet = "Animal"
//!
//! [formats]                       # each "string" (the default) or a library
//! date-time = "jiff"              # "jiff", "time" or "chrono"; so are date and time
//! duration = "jiff"
//! uuid = "uuid"
//! byte = "base64"                 # base64 text as Vec<u8>
//! decimal = "rust_decimal"
//! uri = "url"
//!
//! [types]
//! derives = ["Eq", "Hash"]        # on every type generated from a schema
//! non-exhaustive = true           # #[non_exhaustive] enums
//!
//! [types.derives-by-schema]
//! Pet = ["schemars::JsonSchema"]
//!
//! [types.replace]                 # component schema = existing Rust type
//! Owner = "petstore_model::Owner"
//!
//! [dependencies]                  # added to the generated Cargo.toml
//! petstore-model = { path = "../model" }
//! schemars = "1"
//! ```
//!
//! Every key is checked: an unknown key, a value of the wrong type, an unknown warning
//! kind or edition is an error naming the key, its line and what would be valid (toml's
//! messages, which quote the line); so are a crate name or version Cargo would refuse, and a
//! default feature the crate does not have ([`Config::check`], after lowering, since the
//! features depend on the API), a derive or replacement that is not a Rust path, and a
//! schema name the document lacks (after lowering).

use crate::error::WarningKind;
use serde::Deserialize;
use toml::Spanned;

/// The file the CLI looks for beside the document.
pub const FILE_NAME: &str = "openapi-client-gen.toml";

/// A parsed config file. The default is an empty file: every choice is the generator's.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// `[package]`: the generated `Cargo.toml`.
    #[serde(default)]
    pub package: Package,
    /// `[warnings]`: kinds that fail generation or are not reported.
    #[serde(default)]
    pub warnings: Warnings,
    /// `[select]`: the operations generated (all by default).
    #[serde(default)]
    pub select: Select,
    /// `[names]`: method and type names chosen by the team.
    #[serde(default)]
    pub names: Names,
    /// `[formats]`: the Rust types of string formats.
    #[serde(default)]
    pub formats: Formats,
    /// `[types]`: derives, `#[non_exhaustive]`, and schemas replaced by existing types.
    #[serde(default)]
    pub types: Types,
    /// `[dependencies]`: crates the generated `Cargo.toml` adds (for derives from other
    /// crates and replacement types), as Cargo writes them.
    #[serde(default)]
    pub dependencies: std::collections::BTreeMap<String, toml::Value>,
    /// The file's text, to turn byte offsets into line numbers.
    #[serde(skip)]
    text: String,
    /// The file's path as messages show it.
    #[serde(skip)]
    path: String,
}

/// `[package]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Package {
    /// The crate's name.
    pub name: Option<Spanned<String>>,
    /// The crate's version (default `0.1.0`).
    pub version: Option<Spanned<String>>,
    /// The crate's description (default: "Async Rust client for TITLE, ...").
    pub description: Option<String>,
    /// An SPDX license expression.
    pub license: Option<String>,
    /// The repository's URL.
    pub repository: Option<String>,
    /// The Rust edition (default 2024).
    pub edition: Option<Edition>,
    /// The features on by default (default: a TLS backend, the features the API needs, and
    /// `full` when it has group features).
    pub default_features: Option<Vec<Spanned<String>>>,
}

/// The editions generated code compiles under: 2024 only, since its methods return futures
/// that borrow their arguments (`impl Future` captures them under 2024's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Edition {
    /// Rust 2024.
    #[serde(rename = "2024")]
    E2024,
}

impl Edition {
    /// As `Cargo.toml` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::E2024 => "2024",
        }
    }
}

/// `[warnings]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Warnings {
    /// Kinds that fail generation: nothing is written, and each such warning is an error.
    #[serde(default)]
    pub deny: Vec<WarningKind>,
    /// Kinds that are not reported.
    #[serde(default)]
    pub allow: Vec<WarningKind>,
}

/// `[types]`: what the generated types carry besides their fields, and which component
/// schemas are not generated because the crate uses an existing Rust type for them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Types {
    /// Derives added to every type generated from a schema (structs, enums, unions), such
    /// as `Eq`, `Hash` or `schemars::JsonSchema`; those a type already has are not repeated.
    #[serde(default)]
    pub derives: Vec<Spanned<String>>,
    /// Derives added to the type of one component schema (by its name in the document).
    #[serde(default)]
    pub derives_by_schema: std::collections::BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    /// `#[non_exhaustive]` on the generated enums (string enums, unions, each operation's
    /// error enum), so that a value or status the API adds is not a breaking change for
    /// apps that match on them. Structs stay exhaustive: a struct literal is how an app
    /// builds a request body.
    #[serde(default)]
    pub non_exhaustive: bool,
    /// Component schema name → the Rust type used instead (a path such as
    /// `petstore_model::Pet`; its crate goes in `[dependencies]`). No type is generated
    /// for the schema, nor for the types only it reached. The type must implement serde's
    /// `Serialize` and `Deserialize` and the derives of the types that hold it (`Debug`,
    /// `Clone`, `PartialEq`).
    #[serde(default)]
    pub replace: std::collections::BTreeMap<String, Spanned<String>>,
}

/// Whether `text` is a Rust path such as `Eq` or `::schemars::JsonSchema`.
pub fn is_rust_path(text: &str) -> bool {
    let body = text.strip_prefix("::").unwrap_or(text);
    !body.is_empty()
        && body.split("::").all(|segment| {
            let mut chars = segment.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
                && segment != "_"
        })
}

/// `[formats]`: which Rust type a string of each format becomes. Every key defaults to
/// `"string"` (the text as sent). A typed format holds in the types' properties (also
/// inside arrays, maps, unions and aliases) and in parameters whose value is a scalar or an
/// array of scalars; a request or response body, a streamed item or a multipart part that
/// is itself a formatted string stays a `String`. What each type accepts and writes is in
/// the runtime's `formats` module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Formats {
    /// `date-time`: `jiff::Timestamp`, `time::OffsetDateTime` or `chrono::DateTime<Utc>`.
    pub date_time: Option<TimeLibrary>,
    /// `date`: `jiff::civil::Date`, `time::Date` or `chrono::NaiveDate`.
    pub date: Option<TimeLibrary>,
    /// `time`: `jiff::civil::Time`, `time::Time` or `chrono::NaiveTime`.
    pub time: Option<TimeLibrary>,
    /// `duration`: `jiff::SignedDuration` (neither `time` nor `chrono` reads ISO 8601
    /// durations).
    pub duration: Option<DurationLibrary>,
    /// `uuid`: `uuid::Uuid`.
    pub uuid: Option<UuidLibrary>,
    /// `byte`: base64 text decoded into `Vec<u8>` (the `base64` crate).
    pub byte: Option<ByteLibrary>,
    /// `decimal`: `rust_decimal::Decimal`.
    pub decimal: Option<DecimalLibrary>,
    /// `uri`: `url::Url`.
    pub uri: Option<UriLibrary>,
}

/// `date-time`, `date` and `time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeLibrary {
    /// The text as sent.
    String,
    /// jiff.
    Jiff,
    /// time.
    Time,
    /// chrono.
    Chrono,
}

/// `duration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DurationLibrary {
    /// The text as sent.
    String,
    /// jiff.
    Jiff,
}

/// `uuid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UuidLibrary {
    /// The text as sent.
    String,
    /// uuid.
    Uuid,
}

/// `byte`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ByteLibrary {
    /// The text as sent.
    String,
    /// base64, into `Vec<u8>`.
    Base64,
}

/// `decimal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum DecimalLibrary {
    /// The text as sent.
    #[serde(rename = "string")]
    String,
    /// rust_decimal.
    #[serde(rename = "rust_decimal")]
    RustDecimal,
}

/// `uri`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UriLibrary {
    /// The text as sent.
    String,
    /// url.
    Url,
}

impl Formats {
    /// The Rust type of a string with OpenAPI format `format`, or `None` for a `String`.
    pub fn typed(&self, format: &str) -> Option<crate::ir::Format> {
        use crate::ir::{Format, TimeLib};
        let time = |lib: Option<TimeLibrary>| match lib? {
            TimeLibrary::String => None,
            TimeLibrary::Jiff => Some(TimeLib::Jiff),
            TimeLibrary::Time => Some(TimeLib::Time),
            TimeLibrary::Chrono => Some(TimeLib::Chrono),
        };
        match format {
            "date-time" => time(self.date_time).map(Format::DateTime),
            "date" => time(self.date).map(Format::Date),
            "time" => time(self.time).map(Format::Time),
            "duration" => {
                (self.duration == Some(DurationLibrary::Jiff)).then_some(Format::Duration)
            }
            "uuid" => (self.uuid == Some(UuidLibrary::Uuid)).then_some(Format::Uuid),
            "byte" => (self.byte == Some(ByteLibrary::Base64)).then_some(Format::Byte),
            "decimal" => {
                (self.decimal == Some(DecimalLibrary::RustDecimal)).then_some(Format::Decimal)
            }
            "uri" => (self.uri == Some(UriLibrary::Url)).then_some(Format::Url),
            _ => None,
        }
    }

    /// The libraries the chosen formats use (runtime features and dependencies), sorted.
    pub fn libraries(&self) -> Vec<&'static str> {
        let mut libs: Vec<&'static str> = [
            "date-time",
            "date",
            "time",
            "duration",
            "uuid",
            "byte",
            "decimal",
            "uri",
        ]
        .into_iter()
        .filter_map(|f| self.typed(f))
        .map(|f| f.library())
        .collect();
        libs.sort_unstable();
        libs.dedup();
        libs
    }
}

/// `[names]`: names that replace the generator's. Each must be a name the generator could
/// have chosen (snake case for methods, upper camel case for types, no keyword) and unique.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Names {
    /// `operationId` → client method name.
    #[serde(default)]
    pub operations: std::collections::BTreeMap<String, Spanned<String>>,
    /// Component schema name (as under `components/schemas`) → type name.
    #[serde(default)]
    pub types: std::collections::BTreeMap<String, Spanned<String>>,
}

/// `[select]`: `include` keeps only the operations a rule matches (all, without rules);
/// `exclude` then drops those a rule matches. Types no kept operation reaches are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Select {
    /// `[select.include]`.
    #[serde(default)]
    pub include: Rules,
    /// `[select.exclude]`.
    #[serde(default)]
    pub exclude: Rules,
}

impl Select {
    /// Whether any rule is given.
    pub fn is_active(&self) -> bool {
        !self.include.is_empty() || !self.exclude.is_empty()
    }
}

/// Rules matching operations: by tag, by path pattern (`*` for any run of characters), or
/// by `operationId`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rules {
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    /// Path templates as the document writes them, `*` matching any run of characters.
    #[serde(default)]
    pub paths: Vec<Spanned<String>>,
    /// `operationId`s.
    #[serde(default)]
    pub operations: Vec<Spanned<String>>,
}

impl Rules {
    /// Whether no rule is given.
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.paths.is_empty() && self.operations.is_empty()
    }
}

impl<'de> Deserialize<'de> for WarningKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        WarningKind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| {
                let all: Vec<String> = WarningKind::ALL
                    .iter()
                    .map(|k| format!("`{}`", k.name()))
                    .collect();
                serde::de::Error::custom(format!(
                    "unknown warning kind `{name}`, expected one of {}",
                    all.join(", ")
                ))
            })
    }
}

impl Config {
    /// Parses a config file's text; `path` names it in messages. Every problem toml and the
    /// checks below find is an error naming the key and its line.
    pub fn parse(text: &str, path: &str) -> Result<Config, String> {
        let mut config: Config =
            toml::from_str(text).map_err(|e| format!("{path}: {}", e.to_string().trim_end()))?;
        config.text = text.to_string();
        config.path = path.to_string();
        let mut errors = Vec::new();
        if let Some(name) = &config.package.name {
            let n = name.get_ref();
            if !crate::naming::is_crate_name(n) {
                errors.push(config.at(
                    name.span().start,
                    &format!(
                        "package.name `{n}` is not a crate name Cargo accepts (a letter, then letters, digits, `-` or `_`)"
                    ),
                ));
            }
        }
        if let Some(version) = &config.package.version {
            let v = version.get_ref();
            let core = v.split(['-', '+']).next().unwrap_or(v);
            let parts: Vec<&str> = core.split('.').collect();
            let numeric = parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
            if !numeric {
                errors.push(config.at(
                    version.span().start,
                    &format!("package.version `{v}` is not a semver version such as `0.1.0`"),
                ));
            }
        }
        let mut paths: Vec<(&Spanned<String>, &str)> = config
            .types
            .derives
            .iter()
            .map(|d| (d, "types.derives"))
            .collect();
        for derives in config.types.derives_by_schema.values() {
            paths.extend(
                derives
                    .get_ref()
                    .iter()
                    .map(|d| (d, "types.derives-by-schema")),
            );
        }
        paths.extend(config.types.replace.values().map(|p| (p, "types.replace")));
        for (path, key) in paths {
            if !is_rust_path(path.get_ref()) {
                errors.push(config.at(
                    path.span().start,
                    &format!(
                        "{key}: `{}` is not a Rust path such as `Hash` or `my_crate::Pet`",
                        path.get_ref()
                    ),
                ));
            }
        }
        for kind in &config.warnings.deny {
            if config.warnings.allow.contains(kind) {
                errors.push(format!(
                    "{path}: warnings: `{kind}` is both denied and allowed; keep one"
                ));
            }
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors.join("\n"))
        }
    }

    /// Reads and parses the config file at `path`; messages name it `shown`.
    pub fn read(path: &std::path::Path, shown: &str) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Config::parse(&text, shown)
    }

    /// The config beside a document: [`FILE_NAME`] in its directory, if there is one.
    pub fn beside(spec: &std::path::Path) -> Option<std::path::PathBuf> {
        let dir = spec.parent()?;
        let dir = if dir.as_os_str().is_empty() {
            std::path::Path::new(".")
        } else {
            dir
        };
        let path = dir.join(FILE_NAME);
        path.is_file().then_some(path)
    }

    /// Checks what depends on the API: each default feature must be one the crate has
    /// (`available`). Each error is located in the config file.
    pub fn check(&self, available: &[String]) -> Vec<crate::Error> {
        let mut errors = Vec::new();
        for feature in self.package.default_features.iter().flatten() {
            if !available.iter().any(|f| f == feature.get_ref()) {
                errors.push(crate::Error {
                    location: crate::Location::Config(self.position(feature.span().start)),
                    message: format!(
                        "package.default-features: `{}` is not a feature of this crate, which has {}",
                        feature.get_ref(),
                        available
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        }
        errors
    }

    /// `PATH:LINE:COLUMN` of byte `offset` of the file.
    pub(crate) fn position(&self, offset: usize) -> String {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        format!("{}:{line}:{column}", self.path)
    }

    /// `message` at byte `offset` of the file, as `PATH:LINE:COLUMN: message`.
    fn at(&self, offset: usize, message: &str) -> String {
        format!("{}: {message}", self.position(offset))
    }

    /// Whether warnings of `kind` are reported.
    pub fn reports(&self, kind: WarningKind) -> bool {
        !self.warnings.allow.contains(&kind)
    }

    /// Whether warnings of `kind` fail generation.
    pub fn denies(&self, kind: WarningKind) -> bool {
        self.warnings.deny.contains(&kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_the_default() {
        let config = Config::parse("", "c.toml").unwrap();
        assert_eq!(config.package, Package::default());
        assert_eq!(config.warnings, Warnings::default());
    }

    #[test]
    fn reads_every_key() {
        let text = "[package]\nname = \"pets\"\nversion = \"0.3.1\"\ndescription = \"D\"\nlicense = \"MIT\"\nrepository = \"https://example.com/r\"\nedition = \"2024\"\ndefault-features = [\"rustls\"]\n\n[warnings]\ndeny = [\"dangling-ref\"]\nallow = [\"raw-encoding\"]\n";
        let c = Config::parse(text, "c.toml").unwrap();
        assert_eq!(c.package.name.as_ref().unwrap().get_ref(), "pets");
        assert_eq!(c.package.edition, Some(Edition::E2024));
        assert!(c.denies(WarningKind::DanglingRef) && !c.reports(WarningKind::RawEncoding));
        assert!(c.check(&["rustls".into(), "full".into()]).is_empty());
        let errors = c.check(&["native-tls".into()]);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "c.toml:8:21: package.default-features: `rustls` is not a feature of this crate, which has `native-tls`"
        );
    }
}
