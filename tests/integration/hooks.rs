//! Request hooks: a signing hook whose HMAC the server checks, run again (with a fresh
//! nonce) on the retry the server forces; response hooks; registration order; a hook that
//! refuses a request.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use hmac::{Hmac, KeyInit, Mac};
use prime_api::types::DockerImageCheckRequest;
use prime_api::{Attempt, Client, Error};
use sha2::Sha256;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

const KEY: &[u8] = b"shared signing key";

/// The signature of a request: HMAC-SHA256 over method, path and query, nonce, tag and
/// body, in hex.
fn signature(method: &str, path_and_query: &str, nonce: &str, tag: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY).unwrap();
    mac.update(format!("{method}\n{path_and_query}\n{nonce}\n{tag}\n").as_bytes());
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Default)]
struct Verifier {
    nonces: HashSet<String>,
    valid: usize,
    log: Vec<String>,
}

/// Checks every request's signature and nonce; answers the first valid one 503, the next
/// one 200.
async fn verify(State(state): State<Arc<Mutex<Verifier>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 1 << 20).await.unwrap();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let nonce = header("x-nonce");
    let expected = signature(
        parts.method.as_str(),
        parts.uri.path_and_query().map_or("", |p| p.as_str()),
        &nonce,
        &header("x-tag"),
        &body,
    );
    let mut state = state.lock().unwrap();
    let status = if header("x-signature") != expected {
        state.log.push("bad signature".into());
        401
    } else if !state.nonces.insert(nonce) {
        state.log.push("replayed nonce".into());
        401
    } else {
        state.valid += 1;
        let entry = format!("valid #{}", state.valid);
        state.log.push(entry);
        if state.valid == 1 { 503 } else { 200 }
    };
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("retry-after", "0")
        .body(Body::from(r#"{"ok": true}"#))
        .unwrap()
}

#[tokio::test]
async fn a_signing_hook_signs_every_attempt_afresh() {
    let verifier = Arc::new(Mutex::new(Verifier::default()));
    let app = axum::Router::new()
        .fallback(verify)
        .with_state(verifier.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let order: Arc<Mutex<Vec<String>>> = Arc::default();
    let responses: Arc<Mutex<Vec<(u16, u32)>>> = Arc::default();
    let (tagging, signing, seeing) = (order.clone(), order.clone(), responses.clone());
    let client = Client::builder()
        .base_url(url)
        .bearer_token("pit_test")
        // Registered first, so it runs first: the signer covers the tag it adds.
        .on_request(move |mut request: reqwest::Request, attempt: Attempt| {
            let order = tagging.clone();
            async move {
                order
                    .lock()
                    .unwrap()
                    .push(format!("tag {} #{}", attempt.operation, attempt.number));
                request
                    .headers_mut()
                    .insert("x-tag", format!("attempt-{}", attempt.number).parse()?);
                Ok(request)
            }
        })
        .on_request(move |mut request: reqwest::Request, attempt: Attempt| {
            let order = signing.clone();
            async move {
                // An async hook: a signer might fetch its key first.
                tokio::task::yield_now().await;
                order
                    .lock()
                    .unwrap()
                    .push(format!("sign #{}", attempt.number));
                let nonce = format!("{:016x}", fastrand_u64());
                let tag = request.headers()["x-tag"].to_str()?.to_string();
                let url = request.url();
                let path_and_query = match url.query() {
                    Some(q) => format!("{}?{q}", url.path()),
                    None => url.path().to_string(),
                };
                let body = request
                    .body()
                    .and_then(|b| b.as_bytes())
                    .unwrap_or_default();
                let signed = signature(
                    request.method().as_str(),
                    &path_and_query,
                    &nonce,
                    &tag,
                    body,
                );
                let headers = request.headers_mut();
                headers.insert("x-nonce", nonce.parse()?);
                headers.insert("x-signature", signed.parse()?);
                Ok(request)
            }
        })
        .on_response(move |head: prime_api::ResponseHead, attempt: Attempt| {
            let seeing = seeing.clone();
            async move { seeing.lock().unwrap().push((head.status, attempt.number)) }
        })
        .build()
        .unwrap();

    let body = DockerImageCheckRequest {
        image: "ubuntu:22.04".into(),
        registry_credentials_id: None,
    };
    // A POST is retried only when asked; the server's 503 forces the retry.
    let answer = client
        .with_non_idempotent_retries()
        .check_docker_image(&body)
        .await
        .unwrap();
    assert_eq!(answer, serde_json::json!({"ok": true}));

    let verifier = verifier.lock().unwrap();
    assert_eq!(
        verifier.log,
        ["valid #1", "valid #2"],
        "both attempts verified"
    );
    assert_eq!(
        verifier.nonces.len(),
        2,
        "each attempt signed with its own nonce"
    );
    assert_eq!(
        *order.lock().unwrap(),
        [
            "tag check_docker_image #1",
            "sign #1",
            "tag check_docker_image #2",
            "sign #2"
        ]
    );
    assert_eq!(*responses.lock().unwrap(), [(503, 1), (200, 2)]);
}

#[tokio::test]
async fn a_hook_that_refuses_stops_the_call_before_anything_is_sent() {
    let server = crate::support::serve(|_, _| crate::support::respond(200, &[], "{}")).await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token("pit_test")
        .on_request(|_request: reqwest::Request, _attempt: Attempt| async {
            Err::<reqwest::Request, _>("no signing key loaded".into())
        })
        .build()
        .unwrap();
    let err = client.get_current_user().await.unwrap_err();
    match &err {
        Error::Hook(e) => assert_eq!(e.to_string(), "no signing key loaded"),
        other => panic!("expected Error::Hook, got {other:?}"),
    }
    assert!(!err.is_retryable());
    assert_eq!(server.count(), 0);
    assert!(
        format!("{client:?}").contains("hooks: Hooks { request: 1, response: 0 }"),
        "{client:?}"
    );
}

/// A random nonce, without another dependency.
fn fastrand_u64() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::Instant::now())
}
