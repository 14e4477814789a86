//! Authentication in the client module: the builder's setter per security scheme, the
//! schemes and per-operation requirements in the `static` API description, and the
//! `from_env` documentation that names each scheme's variable.

use super::docs::{self, Docs};
use crate::ir::{Api, KeyLocation, Operation, SchemeKind, SecurityScheme};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The `ClientBuilder` methods that set each scheme's credential.
pub(super) fn setters(api: &Api, d: &Docs) -> TokenStream {
    api.security_schemes
        .iter()
        .enumerate()
        .map(|(index, scheme)| setter(index, scheme, d))
        .collect()
}

fn setter(index: usize, scheme: &SecurityScheme, d: &Docs) -> TokenStream {
    let index = Literal::usize_unsuffixed(index);
    let name = format_ident!("{}", scheme.setter);
    // Our sentence first, then the document's description of the scheme.
    let doc = |ours: String| {
        let described = scheme.description.as_deref().map(docs::clean);
        d.trusted_attrs(&docs::paragraphs([
            Some(ours.as_str()),
            described.as_deref(),
            Some(&format!(
                "Scheme `{}`; [`Client::from_env`] reads it from\n`{}`.",
                scheme.key, scheme.env_var
            )),
        ]))
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
            let doc = doc(format!(
                "The API key sent in the `{wire}` {place} to the operations that require\n\
                 it."
            ));
            quote! {
                #doc
                pub fn #name(self, key: impl Into<String>) -> Self {
                    ClientBuilder { inner: self.inner.secret(#index, key) }
                }
            }
        }
        SchemeKind::Basic => {
            let doc = doc(
                "The user and password sent with HTTP Basic authentication to the operations\n\
                 that require it."
                    .into(),
            );
            quote! {
                #doc
                pub fn #name(self, user: impl Into<String>, password: impl Into<String>) -> Self {
                    ClientBuilder { inner: self.inner.basic_auth(#index, user, Some(password.into())) }
                }
            }
        }
        SchemeKind::Token {
            scheme: http,
            source_setter,
            client_credentials,
        } => {
            let token_doc = doc(format!(
                "The token sent as `Authorization: {http} <token>` to the operations that\n\
                 require it."
            ));
            let source = format_ident!("{}", source_setter);
            let source_doc = d.trusted_attrs(&format!(
                "Tokens for [`{0}`](Self::{0}) from `source`, asked when the client has\n\
                 none, shortly before one expires, and once more after a server answers 401\n\
                 (the request is then sent again with the new token). An async closure\n\
                 returning `Result<AccessToken, TokenError>` will do.",
                scheme.setter
            ));
            let credentials = client_credentials.as_ref().map(|(method, url)| {
                let method = format_ident!("{}", method);
                let doc = d.trusted_attrs(&format!(
                    "OAuth2 client credentials for [`{0}`](Self::{0}), exchanged at\n\
                     `{1}` (the flow's `tokenUrl`) for a token, which is kept until shortly\n\
                     before it expires and renewed after a 401. `scopes` are requested; with\n\
                     none, the server's default applies.",
                    scheme.setter,
                    url.replace('`', "'")
                ));
                quote! {
                    #doc
                    pub fn #method(
                        self,
                        client_id: impl Into<String>,
                        client_secret: impl Into<String>,
                        scopes: &[&str],
                    ) -> Self {
                        ClientBuilder {
                            inner: self.inner.client_credentials(#index, client_id, client_secret, scopes),
                        }
                    }
                }
            });
            quote! {
                #token_doc
                pub fn #name(self, token: impl Into<String>) -> Self {
                    ClientBuilder { inner: self.inner.secret(#index, token) }
                }

                #source_doc
                pub fn #source(self, source: impl runtime::TokenSource + 'static) -> Self {
                    ClientBuilder { inner: self.inner.token_source(#index, source) }
                }

                #credentials
            }
        }
    }
}

/// The `schemes` list of the `static` API description.
pub(super) fn schemes(api: &Api) -> TokenStream {
    let schemes = api.security_schemes.iter().map(|s| {
        let (name, setter, env) = (&s.key, &s.setter, &s.env_var);
        let (place, token_url) = match &s.kind {
            SchemeKind::ApiKey { location, name } => {
                let place = match location {
                    KeyLocation::Header => quote!(Header),
                    KeyLocation::Query => quote!(Query),
                    KeyLocation::Cookie => quote!(Cookie),
                };
                (quote!(#place(#name)), quote!(None))
            }
            SchemeKind::Basic => (quote!(Authorization("Basic")), quote!(None)),
            SchemeKind::Token {
                scheme,
                client_credentials,
                ..
            } => {
                let url = match client_credentials {
                    Some((_, url)) => quote!(Some(#url)),
                    None => quote!(None),
                };
                (quote!(Authorization(#scheme)), url)
            }
        };
        quote! {
            runtime::Scheme {
                name: #name,
                setter: #setter,
                env: #env,
                place: runtime::Place::#place,
                token_url: #token_url,
            }
        }
    });
    quote!(&[#(#schemes),*])
}

/// An operation's `security` in the `static` API description.
pub(super) fn requirements(op: &Operation) -> TokenStream {
    let alternatives = op.security.iter().map(|alternative| {
        let indices = alternative.iter().map(|&i| Literal::usize_unsuffixed(i));
        quote!(&[#(#indices),*])
    });
    quote!(&[#(#alternatives),*])
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
