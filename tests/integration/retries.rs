//! Retries: which failures are retried, how long the client waits, and what the caller
//! sees when retries run out.

use crate::support::{DELETED, client, respond, serve};
use prime_api::Error;
use prime_api::types::DockerImageCheckRequest;
use std::time::{Duration, Instant, SystemTime};

#[tokio::test]
async fn too_many_requests_waits_for_retry_after_seconds() {
    let server = serve(|_, n| {
        if n < 2 {
            respond(429, &[("retry-after", "1")], "slow down")
        } else {
            respond(200, &[], DELETED)
        }
    })
    .await;
    let start = Instant::now();
    let done = client(&server, 2)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap();
    assert!(done.success);
    assert_eq!(server.count(), 3, "two 429s, then the success");
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(1900),
        "waited only {waited:?}"
    );
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = serve(|_, n| {
        if n == 0 {
            let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
            respond(503, &[("retry-after", when.as_str())], "")
        } else {
            respond(200, &[], DELETED)
        }
    })
    .await;
    let start = Instant::now();
    client(&server, 2)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
    // The date has one-second resolution, so "2 s from now" is between 1 and 2 s away.
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "waited only {waited:?}"
    );
}

#[tokio::test]
async fn retry_after_is_capped() {
    let server = serve(|_, n| {
        if n == 0 {
            respond(429, &[("retry-after", "3600")], "")
        } else {
            respond(200, &[], DELETED)
        }
    })
    .await;
    let start = Instant::now();
    client(&server, 2)
        .with_max_retry_after(Duration::from_millis(50))
        .delete_user_image("app", "v1", None)
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn unavailable_without_retry_after_backs_off_then_gives_up() {
    let server = serve(|_, _| respond(503, &[], "down for maintenance")).await;
    let err = client(&server, 2)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap_err();
    assert_eq!(server.count(), 3, "one attempt and two retries");
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.status(), Some(503));
    match err {
        Error::RetriesExhausted {
            attempts: 3, last, ..
        } => match *last {
            Error::UnexpectedStatus {
                status: 503, body, ..
            } => {
                assert_eq!(&body[..], b"down for maintenance")
            }
            other => panic!("expected the last 503, got {other:?}"),
        },
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
}

#[tokio::test]
async fn post_is_not_retried_unless_the_caller_opts_in() {
    let server = serve(|_, _| respond(503, &[], "")).await;
    let body = DockerImageCheckRequest {
        image: "ubuntu:22.04".into(),
        registry_credentials_id: None,
    };
    let client = client(&server, 2);
    let err = client.check_docker_image(&body).await.unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedStatus { status: 503, .. }),
        "{err:?}"
    );
    assert_eq!(server.count(), 1, "a POST is sent once by default");
    assert_eq!(server.seen()[0].method, "POST");

    let err = client
        .with_non_idempotent_retries()
        .check_docker_image(&body)
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.count(), 4, "opted in: three more attempts");
}

#[tokio::test]
async fn documented_and_client_errors_are_not_retried() {
    let server = serve(|_, _| respond(422, &[], r#"{"errors": []}"#)).await;
    let err = client(&server, 2)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 422, .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn max_retries_zero_sends_once() {
    let server = serve(|_, _| respond(429, &[("retry-after", "0")], "")).await;
    let err = client(&server, 0)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedStatus { status: 429, .. }));
    assert!(err.is_retryable());
    assert_eq!(server.count(), 1);
}
