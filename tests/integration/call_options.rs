//! Per-call options (a clone carrying a timeout, a header or an idempotency key) and the
//! idempotency-key rule for retrying POST, against servers on loopback.

use crate::support::{raw_server, respond, serve};
use features_api::Client;
use features_api::header::{HeaderName, HeaderValue};
use std::time::{Duration, Instant};

const CREATED: &str = r#"{"ok": true}"#;

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .max_retries(2)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_post_with_a_documented_idempotency_key_is_retried_with_the_same_key() {
    // 503 first, then created: the retry must carry the key of the first attempt.
    let server = serve(|_, n| {
        if n == 0 {
            respond(503, &[("retry-after", "0")], "")
        } else {
            respond(201, &[], CREATED)
        }
    })
    .await;
    client(&server.url).create_order(None).await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "retried once");
    let keys: Vec<_> = seen
        .iter()
        .map(|s| s.headers["idempotency-key"].clone())
        .collect();
    assert_eq!(keys[0], keys[1], "one key for every attempt");
    assert_eq!(keys[0].len(), 36, "a UUID: {:?}", keys[0]);
    // A second call is a new request with a new key.
    client(&server.url).create_order(None).await.unwrap();
    assert_ne!(server.seen()[2].headers["idempotency-key"], keys[0]);
    // The caller's key, as the parameter or on the clone, is used as given.
    client(&server.url)
        .create_order(Some("mine"))
        .await
        .unwrap();
    assert_eq!(server.seen()[3].headers["idempotency-key"], "mine");
    client(&server.url)
        .with_idempotency_key("on-the-clone")
        .create_order(None)
        .await
        .unwrap();
    assert_eq!(server.seen()[4].headers["idempotency-key"], "on-the-clone");
}

#[tokio::test]
async fn a_post_without_one_is_sent_once_unless_the_caller_opts_in() {
    let server = serve(|_, _| respond(503, &[("retry-after", "0")], "")).await;
    let err = client(&server.url).create_note().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.count(), 1, "not retried");
    assert!(server.seen()[0].headers.get("idempotency-key").is_none());
    // An explicit key is sent, but the operation does not promise to honour it, so
    // retrying stays the caller's decision.
    client(&server.url)
        .with_idempotency_key("k")
        .create_note()
        .await
        .unwrap_err();
    assert_eq!(server.count(), 2);
    assert_eq!(server.seen()[1].headers["idempotency-key"], "k");
    client(&server.url)
        .with_non_idempotent_retries()
        .create_note()
        .await
        .unwrap_err();
    assert_eq!(server.count(), 5, "opted in: 1 + 2 retries");
}

#[tokio::test]
async fn a_header_added_to_a_clone_goes_with_its_calls_only() {
    let server = serve(|_, _| respond(200, &[], CREATED)).await;
    let base = client(&server.url);
    let traced = base.with_header(
        HeaderName::from_static("x-request-id"),
        HeaderValue::from_static("req-42"),
    );
    traced.public().await.unwrap();
    base.public().await.unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].headers["x-request-id"], "req-42");
    assert!(seen[1].headers.get("x-request-id").is_none());
    assert!(format!("{traced:?}").contains("x-request-id"));
    assert!(!format!("{traced:?}").contains("req-42"));
}

#[tokio::test]
async fn a_timeout_set_for_one_call_applies_to_that_call() {
    // Answers nothing: the call ends at its timeout.
    let url = raw_server(b"", true).await;
    let client = Client::builder()
        .base_url(&url)
        .timeout(Duration::from_secs(60))
        .max_retries(0)
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client
        .with_timeout(Duration::from_millis(200))
        .public()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, features_api::Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}
