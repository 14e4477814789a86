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
//! ```
//!
//! Every key is checked: an unknown key, a value of the wrong type, an unknown warning
//! kind or edition is an error naming the key, its line and what would be valid (toml's
//! messages, which quote the line); so are a crate name or version Cargo would refuse, and a
//! default feature the crate does not have ([`Config::check`], after lowering, since the
//! features depend on the API). The other settings the config file will carry (typed
//! formats, type replacements, derives) are not read yet, so they are unknown keys.

use crate::error::WarningKind;
use serde::Deserialize;
use toml::Spanned;

/// The file the CLI looks for beside the document.
pub const FILE_NAME: &str = "openapi-client-gen.toml";

/// A parsed config file. The default is an empty file: every choice is the generator's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
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
