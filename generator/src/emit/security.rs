//! Authentication in the client module, as text: the builder's setter per security
//! scheme, the schemes and per-operation requirements in the `static` API description,
//! and the `from_env` documentation that names each scheme's variable.

use super::code::{Code, str_lit};
use crate::ir::{Api, KeyLocation, Operation, SchemeKind, SecurityScheme};

/// The `ClientBuilder` methods that set scheme `index`'s credential, each followed by a
/// blank line.
pub(super) fn setter(index: usize, scheme: &SecurityScheme, c: &mut Code) {
    let name = &scheme.setter;
    // Our sentence first, then the document's description of the scheme.
    let doc = |c: &mut Code, ours: &str| {
        let described = scheme.description.as_deref().map(super::docs::clean);
        c.trusted_doc(&super::docs::paragraphs([
            Some(ours),
            described.as_deref(),
            Some(&format!(
                "Scheme `{}`; [`Client::from_env`] reads it from\n`{}`.",
                scheme.key, scheme.env_var
            )),
        ]));
    };
    let builder = |c: &mut Code, head: std::fmt::Arguments<'_>, inner: std::fmt::Arguments<'_>| {
        c.block(head, |c| {
            c.block("ClientBuilder", |c| {
                c.line(format_args!("inner: self.inner.{inner},"))
            });
        });
        c.blank();
    };
    match &scheme.kind {
        SchemeKind::ApiKey {
            location,
            name: wire,
        } => {
            let place = match location {
                KeyLocation::Header => "header",
                KeyLocation::Query => "query parameter",
                KeyLocation::Cookie => "cookie",
            };
            doc(
                c,
                &format!(
                    "The API key sent in the `{wire}` {place} to the operations that require\nit."
                ),
            );
            builder(
                c,
                format_args!("pub fn {name}(self, key: impl Into<String>) -> Self"),
                format_args!("secret({index}, key)"),
            );
        }
        SchemeKind::Basic => {
            doc(
                c,
                "The user and password sent with HTTP Basic authentication to the operations\nthat require it.",
            );
            builder(
                c,
                format_args!(
                    "pub fn {name}(self, user: impl Into<String>, password: impl Into<String>) -> Self"
                ),
                format_args!("basic_auth({index}, user, Some(password.into()))"),
            );
        }
        SchemeKind::Token {
            scheme: http,
            source_setter,
            client_credentials,
        } => {
            doc(
                c,
                &format!(
                    "The token sent as `Authorization: {http} <token>` to the operations that\nrequire it."
                ),
            );
            builder(
                c,
                format_args!("pub fn {name}(self, token: impl Into<String>) -> Self"),
                format_args!("secret({index}, token)"),
            );
            c.trusted_doc(&format!(
                "Tokens for [`{name}`](Self::{name}) from `source`, asked when the client has\n\
                 none, shortly before one expires, and once more after a server answers 401\n\
                 (the request is then sent again with the new token). An async closure\n\
                 returning `Result<AccessToken, TokenError>` will do."
            ));
            builder(
                c,
                format_args!(
                    "pub fn {source_setter}(self, source: impl runtime::TokenSource + 'static) -> Self"
                ),
                format_args!("token_source({index}, source)"),
            );
            if let Some((method, url)) = client_credentials {
                c.trusted_doc(&format!(
                    "OAuth2 client credentials for [`{name}`](Self::{name}), exchanged at\n\
                     `{}` (the flow's `tokenUrl`) for a token, which is kept until shortly\n\
                     before it expires and renewed after a 401. `scopes` are requested; with\n\
                     none, the server's default applies.",
                    url.replace('`', "'")
                ));
                builder(
                    c,
                    format_args!(
                        "pub fn {method}(self, client_id: impl Into<String>, client_secret: impl Into<String>, scopes: &[&str]) -> Self"
                    ),
                    format_args!("client_credentials({index}, client_id, client_secret, scopes)"),
                );
            }
        }
    }
}

/// The `schemes` field of the `static` API description.
pub(super) fn schemes(api: &Api, c: &mut Code) {
    let none = api.security_schemes.is_empty();
    c.list("schemes: &[", "],", none, |c| {
        for s in &api.security_schemes {
            let place = match &s.kind {
                SchemeKind::ApiKey { location, name } => {
                    let place = match location {
                        KeyLocation::Header => "Header",
                        KeyLocation::Query => "Query",
                        KeyLocation::Cookie => "Cookie",
                    };
                    format!("{place}({})", str_lit(name))
                }
                SchemeKind::Basic => "Authorization(\"Basic\")".to_string(),
                SchemeKind::Token { scheme, .. } => format!("Authorization({})", str_lit(scheme)),
            };
            let token_url = match &s.kind {
                SchemeKind::Token {
                    client_credentials: Some((_, url)),
                    ..
                } => format!("Some({})", str_lit(url)),
                _ => "None".to_string(),
            };
            c.block_then("runtime::Scheme", ",", |c| {
                c.line(format_args!("name: {},", str_lit(&s.key)));
                c.line(format_args!("setter: {},", str_lit(&s.setter)));
                c.line(format_args!("env: {},", str_lit(&s.env_var)));
                c.line(format_args!("place: runtime::Place::{place},"));
                c.line(format_args!("token_url: {token_url},"));
            });
        }
    });
}

/// An operation's `security` in the `static` API description: `&[&[0], &[1, 2]]`.
pub(super) fn requirements(op: &Operation) -> String {
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|alternative| {
            let indices: Vec<String> = alternative.iter().map(usize::to_string).collect();
            format!("&[{}]", indices.join(", "))
        })
        .collect();
    format!("&[{}]", alternatives.join(", "))
}

/// What `Client::from_env` reads, for its documentation.
pub(super) fn from_env_doc(api: &Api) -> String {
    let base = "and, if set, the base URL from the one named in\n[`Client::ENV_BASE_URL`].";
    match api.security_schemes.as_slice() {
        [] => "A client configured from the environment: the base URL from the variable named\n\
               in [`Client::ENV_BASE_URL`], if set."
            .to_string(),
        [one] => format!(
            "A client configured from the environment: the credential of `{}` from the\n\
             variable named in [`Client::ENV_API_KEY`] (required{}), {base}",
            one.key,
            if matches!(one.kind, SchemeKind::Basic) {
                "; `user:password`"
            } else {
                ""
            }
        ),
        many => {
            let vars: Vec<String> = many
                .iter()
                .map(|s| {
                    let basic = if matches!(s.kind, SchemeKind::Basic) {
                        " (`user:password`)"
                    } else {
                        ""
                    };
                    format!(
                        "- `{}`: [`{}`](ClientBuilder::{}){basic}",
                        s.env_var, s.setter, s.setter
                    )
                })
                .collect();
            format!(
                "A client configured from the environment: each scheme's credential from its\n\
                 variable (at least one must be set), {base}\n\n{}",
                vars.join("\n")
            )
        }
    }
}
