//! Security schemes and requirements → the schemes the client applies and, per operation,
//! its alternatives as indices into them.
//!
//! A scheme becomes a builder setter when an operation (or the document default) requires
//! it. Challenge-response HTTP schemes (`digest` and the like) cannot be sent up front and
//! are reported; a requirement naming one, or a scheme the document does not declare, is an
//! alternative the client can never meet, so it is dropped, with one warning per name.

use super::Lowerer;
use crate::error::{WarningKind, push_pointer};
use crate::ir::{KeyLocation, Operation, SchemeKind, SecurityScheme};
use crate::naming::{self, Namespace};
use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement};
use std::collections::BTreeMap;

/// A scheme the client can apply, before lowering knows whether any operation uses it.
pub(super) struct Candidate {
    key: String,
    source: String,
    description: Option<String>,
    kind: Kind,
}

/// A candidate's kind, before setters are named.
enum Kind {
    ApiKey(KeyLocation, String),
    Basic,
    /// `Authorization: <scheme> <token>`; OAuth2 and OpenID Connect send `Bearer`. The
    /// flag: it is OAuth2 (named `oauth2_*`), with the client-credentials `tokenUrl` if any.
    Token {
        scheme: String,
        oauth2: Option<Option<String>>,
        openid: bool,
    },
}

/// HTTP authentication schemes that answer a server's challenge, so no credential can be
/// sent with the first request (IANA's HTTP Authentication Scheme Registry).
const CHALLENGE_SCHEMES: &[&str] = &[
    "digest",
    "hoba",
    "mutual",
    "negotiate",
    "ntlm",
    "scram-sha-1",
    "scram-sha-256",
];

impl Lowerer<'_> {
    /// The declared schemes the client can apply, in document order; the others are
    /// reported. Fills `scheme_index` (scheme key → candidate index).
    pub(super) fn security_candidates(&mut self) -> Vec<Candidate> {
        let Some(components) = self.doc.components.as_ref() else {
            return Vec::new();
        };
        let mut candidates = Vec::new();
        for (key, scheme) in &components.security_schemes {
            let source = push_pointer("#/components/securitySchemes", key);
            // The load stage inlines references; one left is reported there.
            let ReferenceOr::Item(scheme) = scheme else {
                continue;
            };
            let (kind, description) = match scheme {
                openapiv3::SecurityScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => {
                    let location = match location {
                        APIKeyLocation::Header => KeyLocation::Header,
                        APIKeyLocation::Query => KeyLocation::Query,
                        APIKeyLocation::Cookie => KeyLocation::Cookie,
                    };
                    (Kind::ApiKey(location, name.clone()), description)
                }
                openapiv3::SecurityScheme::HTTP {
                    scheme: http,
                    description,
                    ..
                } => {
                    let lower = http.trim().to_ascii_lowercase();
                    if CHALLENGE_SCHEMES.contains(&lower.as_str()) {
                        self.warn(
                            WarningKind::NotGenerated,
                            &source,
                            format!(
                                "HTTP `{http}` authentication answers a server's challenge, which the client does not do; set it up on the reqwest client given to with_reqwest_client"
                            ),
                        );
                        continue;
                    }
                    // RFC 9110 §11.1: an auth-scheme is a token.
                    let is_token = !http.trim().is_empty()
                        && http
                            .trim()
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                    if !is_token {
                        self.warn(
                            WarningKind::InvalidValue,
                            &push_pointer(&source, "scheme"),
                            format!(
                                "`{}` is not an HTTP authentication scheme name; the scheme is left out",
                                http.escape_debug()
                            ),
                        );
                        continue;
                    }
                    let kind = match lower.as_str() {
                        "basic" => Kind::Basic,
                        "bearer" => Kind::Token {
                            scheme: "Bearer".into(),
                            oauth2: None,
                            openid: false,
                        },
                        _ => Kind::Token {
                            scheme: http.trim().to_string(),
                            oauth2: None,
                            openid: false,
                        },
                    };
                    (kind, description)
                }
                openapiv3::SecurityScheme::OAuth2 {
                    flows, description, ..
                } => {
                    // The load stage fills a missing `tokenUrl` with "" for the typed model.
                    let token_url = flows.client_credentials.as_ref().and_then(|f| {
                        let url = f.token_url.trim();
                        if url.is_empty() {
                            self.warn(
                                WarningKind::MissingField,
                                &format!("{source}/flows/clientCredentials/tokenUrl"),
                                "client-credentials flow without a tokenUrl; the client cannot fetch tokens itself (use a token source)",
                            );
                            return None;
                        }
                        Some(url.to_string())
                    });
                    let kind = Kind::Token {
                        scheme: "Bearer".into(),
                        oauth2: Some(token_url),
                        openid: false,
                    };
                    (kind, description)
                }
                openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                    let kind = Kind::Token {
                        scheme: "Bearer".into(),
                        oauth2: None,
                        openid: true,
                    };
                    (kind, description)
                }
            };
            self.scheme_index.insert(key.clone(), candidates.len());
            candidates.push(Candidate {
                key: key.clone(),
                source,
                description: description.clone().filter(|d| !d.trim().is_empty()),
                kind,
            });
        }
        candidates
    }

    /// Requirements as alternatives of candidate indices. One naming a scheme the client
    /// cannot apply is dropped; an undeclared name is reported once (by
    /// `unknown_schemes_report`), a declared one left out was reported with its
    /// declaration. `None` stays `None` (the operation inherits the document's default).
    pub(super) fn requirements(
        &mut self,
        requirements: Option<&Vec<SecurityRequirement>>,
        pointer: &str,
    ) -> Option<Requirements> {
        let requirements = requirements?;
        let mut out = Requirements::default();
        let mut unapplied = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let mut alternative = Vec::new();
            let mut unknown = Vec::new();
            for name in requirement.keys() {
                match self.scheme_index.get(name) {
                    Some(&index) => alternative.push(index),
                    None => unknown.push(name.as_str()),
                }
            }
            if unknown.is_empty() {
                out.alternatives.push(alternative);
                continue;
            }
            for name in unknown {
                if !unapplied.iter().any(|n| n == name) {
                    unapplied.push(name.to_string());
                }
                if self.spec.declared_schemes.contains(name) {
                    continue;
                }
                // A document that names an undeclared scheme usually does so in every
                // operation.
                self.unknown_schemes
                    .entry(name.to_string())
                    .or_insert_with(|| (push_pointer(pointer, &i.to_string()), 0))
                    .1 += 1;
            }
        }
        if out.alternatives.is_empty() {
            out.unapplied = unapplied;
        }
        Some(out)
    }
}

/// An operation's (or the document's) security requirements, as lowered.
#[derive(Debug, Clone, Default)]
pub(super) struct Requirements {
    /// Alternatives of candidate indices.
    pub(super) alternatives: Vec<Vec<usize>>,
    /// When no alternative is left although some were documented: the scheme names they
    /// used, none of which the client can apply.
    pub(super) unapplied: Vec<String>,
}

impl Lowerer<'_> {
    /// One warning per scheme name that requirements use but the client cannot apply, at
    /// its first use.
    pub(super) fn unknown_schemes_report(&mut self) {
        for (name, (pointer, count)) in std::mem::take(&mut self.unknown_schemes) {
            let uses = if count == 1 {
                "a security requirement names".to_string()
            } else {
                format!("{count} security requirements (the first here) name")
            };
            self.warn(
                WarningKind::NotGenerated,
                &pointer,
                format!(
                    "{uses} `{name}`, which components.securitySchemes does not declare; the client skips those requirements, and an operation left with none sends no credentials of its own (its docs say so)"
                ),
            );
        }
    }
}

/// The candidates some operation uses, with their setters and environment variables
/// named; the operations' indices are renumbered to match. `crate_name` names the
/// variables.
pub(super) fn finish(
    candidates: Vec<Candidate>,
    operations: &mut [Operation],
    crate_name: &str,
) -> Vec<SecurityScheme> {
    let mut used = vec![false; candidates.len()];
    for op in operations.iter() {
        for &index in op.security.iter().flatten() {
            used[index] = true;
        }
    }
    let mut renumber = BTreeMap::new();
    let kept: Vec<Candidate> = candidates
        .into_iter()
        .enumerate()
        .filter(|(i, _)| used[*i])
        .map(|(i, c)| {
            renumber.insert(i, renumber.len());
            c
        })
        .collect();
    for op in operations.iter_mut() {
        for index in op.security.iter_mut().flatten() {
            *index = renumber[index];
        }
    }

    // Named by kind where the kind is unique (`api_key`, `basic_auth`, `bearer_token`),
    // from the scheme's key otherwise.
    let stems: Vec<String> = kept.iter().map(kind_stem).collect();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for stem in &stems {
        *count.entry(stem.as_str()).or_default() += 1;
    }
    let mut names = Namespace::with_reserved(crate::ir::BUILDER_METHODS);
    let (single_var, _) = naming::env_vars(crate_name);
    let single = kept.len() == 1;
    kept.into_iter()
        .zip(&stems)
        .map(|(c, stem)| {
            let by_kind = count[stem.as_str()] == 1;
            let base = if by_kind {
                stem.to_string()
            } else {
                let key = naming::snake_name(&c.key);
                if key == "value" { "scheme".into() } else { key }
            };
            let setter = names.unique(match (&c.kind, by_kind) {
                (Kind::Token { .. }, true) => format!("{base}_token"),
                _ => base.clone(),
            });
            // One API key or token is `…_API_KEY`, as most APIs name it in their docs.
            let env_var = match &c.kind {
                Kind::ApiKey(..) | Kind::Token { .. } if single => single_var.clone(),
                _ => naming::env_var(crate_name, &setter),
            };
            let kind = match c.kind {
                Kind::ApiKey(location, name) => SchemeKind::ApiKey { location, name },
                Kind::Basic => SchemeKind::Basic,
                Kind::Token { scheme, oauth2, .. } => SchemeKind::Token {
                    scheme,
                    // Built on the name less a keyword's `_` (`type_` → `type_source`).
                    source_setter: names.unique(format!("{}_source", setter.trim_end_matches('_'))),
                    client_credentials: oauth2.flatten().map(|url| {
                        let base = base.trim_end_matches('_');
                        (names.unique(format!("{base}_client_credentials")), url)
                    }),
                },
            };
            SecurityScheme {
                key: c.key,
                source: c.source,
                description: c.description,
                setter,
                env_var,
                kind,
            }
        })
        .collect()
}

/// The name a scheme's setter takes when it is the only one of its kind (a token scheme's
/// gets `_token` appended).
fn kind_stem(c: &Candidate) -> String {
    match &c.kind {
        Kind::ApiKey(..) => "api_key".into(),
        Kind::Basic => "basic_auth".into(),
        Kind::Token {
            oauth2: Some(_), ..
        } => "oauth2".into(),
        Kind::Token { openid: true, .. } => "openid_connect".into(),
        // `Bearer`, or another HTTP scheme (`Authorization: DSN …`): named by the scheme.
        Kind::Token { scheme, .. } => naming::snake_name(scheme),
    }
}
