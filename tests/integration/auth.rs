//! Every kind of security scheme, through the crate generated from
//! `tests/fixtures/features.yaml`, against an axum server that records what arrives and
//! runs a real OAuth2 token endpoint (its form body parsed by axum's `Form`).

use axum::Router;
use axum::extract::{Form, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use features_api::{AccessToken, Client, ClientBuilder, Error, TokenError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The credentials one request carried.
#[derive(Debug, Clone, Default, PartialEq)]
struct Creds {
    path: String,
    authorization: Option<String>,
    api_key: Option<String>,
    cookie: Option<String>,
    query: Option<String>,
}

/// What the token endpoint received: the `Authorization` header and the form fields.
type TokenRequest = (Option<String>, HashMap<String, String>);

#[derive(Clone, Default)]
struct Log {
    requests: Arc<Mutex<Vec<Creds>>>,
    /// Form bodies the token endpoint received, with their `Authorization`.
    token_requests: Arc<Mutex<Vec<TokenRequest>>>,
    tokens_issued: Arc<AtomicUsize>,
}

impl Log {
    fn requests(&self) -> Vec<Creds> {
        self.requests.lock().unwrap().clone()
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap_or("<not text>").to_string())
}

/// Records every API request; `/v1/machine` refuses the first token the token endpoint
/// issued (as a server does with a revoked token) and accepts later ones.
async fn api(State(log): State<Log>, request: Request) -> Response {
    let headers = request.headers();
    let creds = Creds {
        path: request.uri().path().to_string(),
        authorization: header(headers, "authorization"),
        api_key: header(headers, "x-api-key"),
        cookie: header(headers, "cookie"),
        query: request.uri().query().map(String::from),
    };
    log.requests.lock().unwrap().push(creds.clone());
    let refused = ["Bearer issued-1", "Bearer refused"];
    if creds.path == "/v1/machine"
        && refused.contains(&creds.authorization.as_deref().unwrap_or(""))
    {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    ([("content-type", "application/json")], r#"{"ok": true}"#).into_response()
}

/// RFC 6749 §4.4: client credentials in Basic, a form body with the grant type.
async fn token(
    State(log): State<Log>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let authorization = header(&headers, "authorization");
    log.token_requests
        .lock()
        .unwrap()
        .push((authorization.clone(), form.clone()));
    // `client:s3cret`
    if authorization.as_deref() != Some("Basic Y2xpZW50OnMzY3JldA==")
        || form.get("grant_type").map(String::as_str) != Some("client_credentials")
    {
        return (StatusCode::UNAUTHORIZED, r#"{"error":"invalid_client"}"#).into_response();
    }
    let n = log.tokens_issued.fetch_add(1, Ordering::SeqCst) + 1;
    let body =
        format!(r#"{{"access_token":"issued-{n}","token_type":"Bearer","expires_in":3600}}"#);
    ([("content-type", "application/json")], body).into_response()
}

/// A server and a builder pointed at its `/v1`.
async fn server() -> (Log, ClientBuilder) {
    let log = Log::default();
    let app = Router::new()
        .route("/oauth/token", axum::routing::post(token))
        .fallback(api)
        .with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let builder = Client::builder()
        .base_url(format!("http://{addr}/v1"))
        .max_retries(0);
    (log, builder)
}

/// A builder with a credential for every scheme.
fn all(builder: ClientBuilder) -> ClientBuilder {
    builder
        .bearer_token("bt")
        .basic_auth("ann", "pw")
        .api_key_header("hk")
        .app_key_query("qk")
        .session("sk")
        .oauth2_token("ot")
}

#[tokio::test]
async fn each_scheme_reaches_the_server_as_it_says() {
    let (log, builder) = server().await;
    let client = all(builder).build().unwrap();
    client.whoami().await.unwrap();
    client.keys(Some("x")).await.unwrap();
    client.session().await.unwrap();
    client.optional().await.unwrap();
    let seen = log.requests();
    // The document's default: the bearer token.
    assert_eq!(seen[0].authorization.as_deref(), Some("Bearer bt"));
    assert_eq!(
        (seen[0].api_key.as_deref(), seen[0].cookie.as_deref()),
        (None, None)
    );
    // Both keys together, one in a header and one in the query; not Basic.
    assert_eq!(seen[1].api_key.as_deref(), Some("hk"));
    assert_eq!(seen[1].query.as_deref(), Some("q=x&app_key=qk"));
    assert_eq!(seen[1].authorization, None);
    // The cookie, and nothing else.
    assert_eq!(seen[2].cookie.as_deref(), Some("sid=sk"));
    assert_eq!(
        (seen[2].authorization.as_deref(), seen[2].query.as_deref()),
        (None, None)
    );
    // Optional auth, set: sent.
    assert_eq!(seen[3].authorization.as_deref(), Some("Bearer bt"));
}

#[tokio::test]
async fn an_operation_with_empty_security_never_gets_credentials() {
    let (log, builder) = server().await;
    all(builder).build().unwrap().public().await.unwrap();
    assert_eq!(
        log.requests(),
        vec![Creds {
            path: "/v1/public".into(),
            ..Creds::default()
        }]
    );
}

#[tokio::test]
async fn the_next_requirement_applies_when_one_is_incomplete_and_none_means_no_request() {
    let (log, builder) = server().await;
    // One of the two keys: that requirement is not met, Basic is.
    let client = builder
        .clone()
        .api_key_header("hk")
        .basic_auth("ann", "pw")
        .build()
        .unwrap();
    client.keys(None).await.unwrap();
    let seen = log.requests();
    assert_eq!(seen[0].authorization.as_deref(), Some("Basic YW5uOnB3"));
    assert_eq!(
        (seen[0].api_key.as_deref(), seen[0].query.as_deref()),
        (None, None)
    );
    // Neither: an error naming what would do, and nothing sent.
    let client = builder.clone().api_key_header("hk").build().unwrap();
    let err = client.keys(None).await.unwrap_err();
    assert!(matches!(err, Error::MissingCredentials(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "`keys` needs credentials and none it accepts are set; set `api_key_header` (apiKeyHeader) and `app_key_query` (appKeyQuery), or `basic_auth` (basic) on the builder"
    );
    // Optional auth, unset: the call goes out without.
    builder.build().unwrap().optional().await.unwrap();
    let seen = log.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].authorization, None);
}

#[tokio::test]
async fn a_challenge_scheme_is_skipped_for_the_alternative() {
    let (log, builder) = server().await;
    builder
        .bearer_token("bt")
        .build()
        .unwrap()
        .challenge()
        .await
        .unwrap();
    assert_eq!(
        log.requests()[0].authorization.as_deref(),
        Some("Bearer bt")
    );
}

#[tokio::test]
async fn client_credentials_fetch_a_token_keep_it_and_renew_it_once_after_a_401() {
    let (log, builder) = server().await;
    let client = builder
        .oauth2_client_credentials("client", "s3cret", &["things:read"])
        .build()
        .unwrap();
    // The first token is refused: a new one is fetched and the call sent again.
    client.machine().await.unwrap();
    // The second is kept.
    client.machine().await.unwrap();
    let tokens = log.token_requests.lock().unwrap().clone();
    assert_eq!(tokens.len(), 2, "{tokens:?}");
    let form = &tokens[0].1;
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["scope"], "things:read");
    let auth: Vec<_> = log
        .requests()
        .into_iter()
        .map(|c| c.authorization)
        .collect();
    assert_eq!(
        auth,
        [
            Some("Bearer issued-1".to_string()),
            Some("Bearer issued-2".to_string()),
            Some("Bearer issued-2".to_string()),
        ]
    );
}

#[tokio::test]
async fn a_token_source_is_asked_again_once_after_a_401_and_its_failure_is_an_error() {
    let (log, builder) = server().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    // Always the refused token: the retry after the 401 gets the same 401 back.
    let client = builder
        .clone()
        .oauth2_token_source(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok(AccessToken::new("refused")) }
        })
        .build()
        .unwrap();
    let err = client.machine().await.unwrap_err();
    assert_eq!(err.status(), Some(401), "{err:?}");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "asked once, then once after the 401"
    );
    assert_eq!(log.requests().len(), 2, "sent twice, not more");
    let client = builder
        .oauth2_token_source(|| async { Err(TokenError::new("the vault is sealed")) })
        .build()
        .unwrap();
    let err = client.machine().await.unwrap_err();
    assert!(matches!(err, Error::Token(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "no token to authenticate with: the vault is sealed"
    );
    assert_eq!(log.requests().len(), 2, "nothing sent without a token");
}

#[tokio::test]
async fn a_refused_client_secret_is_an_error_that_does_not_show_it() {
    let (_, builder) = server().await;
    let client = builder
        .oauth2_client_credentials("client", "wrong-secret", &[])
        .build()
        .unwrap();
    let err = client.machine().await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("the token endpoint answered 401"), "{text}");
    assert!(!text.contains("wrong-secret"), "{text}");
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_errors_even_in_a_query_string() {
    let builder = all(Client::builder().base_url("http://127.0.0.1:1/v1")).max_retries(0);
    let shown = format!("{builder:?}");
    for secret in ["bt", "pw", "hk", "qk", "sk", "ot"] {
        assert!(!shown.contains(&format!("\"{secret}\"")), "{shown}");
    }
    let client = builder.build().unwrap();
    // Nothing listens on port 1: a transport error, whose URL had the query key.
    let err = client.keys(Some("x")).await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("app_key=REDACTED"), "{text}");
    assert!(!text.contains("qk"), "{text}");
}
