//! The generator's diagnostics: errors (the document cannot become a client) and warnings
//! (something was repaired or represented less precisely), each pointing into the spec, and
//! the sink that collects them through a whole run.

use std::fmt;

/// Where in the input a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A JSON pointer into the document, such as `#/paths/~1pets/get`.
    Pointer(String),
    /// A place in the config file, as `PATH:LINE:COLUMN` (or the path alone).
    Config(String),
    /// A position in the text, for input that is not even well-formed JSON or YAML.
    LineColumn {
        /// One-based line.
        line: usize,
        /// One-based column.
        column: usize,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Pointer(p) | Location::Config(p) => f.write_str(p),
            Location::LineColumn { line, column } => write!(f, "line {line}, column {column}"),
        }
    }
}

/// A problem that keeps the document from becoming a client at all: it is not JSON or
/// YAML, not an object, or not an OpenAPI 3.x document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct Error {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, lowercase, without a trailing period.
    pub message: String,
}

impl Error {
    /// An error at a JSON pointer.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            location: Location::Pointer(pointer.into()),
            message: message.into(),
        }
    }
}

/// What sort of thing a warning reports; the CLI counts warnings by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// A `$ref` points at nothing in the document.
    DanglingRef,
    /// A `$ref` points into another document, which is not fetched.
    ExternalRef,
    /// `$ref`s (or `allOf` branches) lead back to where they started.
    RefCycle,
    /// A `$ref` points at an object of another kind (a response at a schema) and was adapted.
    RefKind,
    /// A required field is missing; a default stands in for it.
    MissingField,
    /// A value has the wrong JSON type (a number for a string, `null` for a list); it was
    /// converted, or dropped where it could not be.
    WrongType,
    /// A value lies outside the allowed set (a parameter style, a security scheme type).
    InvalidValue,
    /// A YAML mapping repeats a key.
    DuplicateKey,
    /// An `enum` lists a value twice (JSON Schema: its values SHOULD be unique).
    DuplicateEnumValue,
    /// Two operations share an operationId.
    DuplicateOperationId,
    /// A part of the document could not be read even after repairs; it was replaced by a
    /// fallback or left out.
    Unreadable,
    /// The `openapi` version is missing, not a string, or newer than the generator knows.
    Version,
    /// A schema became a looser Rust type than it states (often `serde_json::Value`).
    LooseType,
    /// A body or parameter is passed through as bytes or as text the caller serialises.
    RawEncoding,
    /// A construct the client has no code for (webhooks, callbacks, mutual TLS).
    NotGenerated,
    /// A list that shows signs of paging but matches no pagination rule: it gets no
    /// `_stream` twin.
    NotPaginated,
    /// Anything else the client does differently from what the document says.
    Other,
}

impl WarningKind {
    /// Every kind, in the order the CLI lists them.
    pub const ALL: [WarningKind; 17] = [
        WarningKind::DanglingRef,
        WarningKind::ExternalRef,
        WarningKind::RefCycle,
        WarningKind::RefKind,
        WarningKind::MissingField,
        WarningKind::WrongType,
        WarningKind::InvalidValue,
        WarningKind::DuplicateKey,
        WarningKind::DuplicateEnumValue,
        WarningKind::DuplicateOperationId,
        WarningKind::Unreadable,
        WarningKind::Version,
        WarningKind::LooseType,
        WarningKind::RawEncoding,
        WarningKind::NotGenerated,
        WarningKind::NotPaginated,
        WarningKind::Other,
    ];

    /// The kind's stable name, as the CLI prints it.
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::DanglingRef => "dangling-ref",
            WarningKind::ExternalRef => "external-ref",
            WarningKind::RefCycle => "ref-cycle",
            WarningKind::RefKind => "ref-kind",
            WarningKind::MissingField => "missing-field",
            WarningKind::WrongType => "wrong-type",
            WarningKind::InvalidValue => "invalid-value",
            WarningKind::DuplicateKey => "duplicate-key",
            WarningKind::DuplicateEnumValue => "duplicate-enum-value",
            WarningKind::DuplicateOperationId => "duplicate-operation-id",
            WarningKind::Unreadable => "unreadable",
            WarningKind::Version => "version",
            WarningKind::LooseType => "loose-type",
            WarningKind::RawEncoding => "raw-encoding",
            WarningKind::NotGenerated => "not-generated",
            WarningKind::NotPaginated => "not-paginated",
            WarningKind::Other => "other",
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Something the generator repaired or represented less precisely than the spec says, and
/// where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What sort of problem it is.
    pub kind: WarningKind,
    /// JSON pointer of the construct, into the document as written.
    pub pointer: String,
    /// What was done instead, lowercase, without a trailing period.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning[{}]: {}: {}",
            self.kind, self.pointer, self.message
        )
    }
}

/// A run that produced no client: every error found, and the warnings gathered before.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct Failure {
    /// At least one.
    pub errors: Vec<Error>,
    /// Warnings found before the run stopped.
    pub warnings: Vec<Warning>,
}

impl Failure {
    /// The first error (there is always one).
    pub fn first(&self) -> Option<&Error> {
        self.errors.first()
    }
}

/// The sink every stage reports into, in the manner of serde_derive's `Ctxt`: a problem is
/// recorded and the stage carries on with a fallback, so one run reports every problem.
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// Problems that keep the document from becoming a client.
    pub errors: Vec<Error>,
    /// Repairs and approximations.
    pub warnings: Vec<Warning>,
}

impl Diagnostics {
    /// Records a warning.
    pub fn warn(&mut self, kind: WarningKind, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            kind,
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// Records an error.
    pub fn error(&mut self, error: Error) {
        self.errors.push(error);
    }

    /// The failure to return when errors were recorded.
    pub fn into_failure(self) -> Failure {
        Failure {
            errors: self.errors,
            warnings: self.warnings,
        }
    }
}

/// Spec text quoted in a message, cut short: a 50 MB string must not become a 50 MB
/// warning.
pub(crate) fn clipped(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn push_pointer(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    extend_pointer(&mut out, token);
    out
}

/// [`push_pointer`] in place, for walks that push and truncate one buffer.
pub(crate) fn extend_pointer(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// The reference tokens of a `#/...` JSON pointer, with `~1` and `~0` undone; `None` for a
/// pointer that does not start with `#` (or is not a pointer at all). A `$ref` written as
/// a URI fragment is percent-decoded first (`refs::canonical`); pointers made here never
/// are, so a key containing `%` keeps it.
pub fn pointer_tokens(pointer: &str) -> Option<Vec<String>> {
    let rest = pointer.strip_prefix('#')?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let rest = rest.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}
