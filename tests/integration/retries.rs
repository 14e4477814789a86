//! Retries: which failures are retried, how long the client waits, and what the caller
//! sees when retries run out. The answers come from the generated mock server.

use prime_api::mock::{DeleteUserImageMock, MockServer, Reply};
use prime_api::types::{
    DeleteImageResponse, DeleteUserImageError, DockerImageCheckRequest, ErrorResponse,
};
use prime_api::{Client, Error};
use std::time::{Duration, Instant, SystemTime};

fn deleted() -> Reply {
    DeleteUserImageMock::ok(DeleteImageResponse {
        success: true,
        message: "deleted".into(),
    })
}

fn client(server: &MockServer, retries: u32) -> Client {
    server
        .client_builder()
        .max_retries(retries)
        .build()
        .unwrap()
}

#[tokio::test]
async fn too_many_requests_waits_for_retry_after_seconds() {
    let server = MockServer::start().await;
    let slow_down = Reply::text(429, "slow down").header("retry-after", "1");
    server
        .delete_user_image()
        .respond_sequence([slow_down.clone(), slow_down, deleted()])
        .times(3);
    let start = Instant::now();
    let done = client(&server, 2)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap();
    assert!(done.success);
    assert_eq!(server.requests().len(), 3, "two 429s, then the success");
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(1900),
        "waited only {waited:?}"
    );
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start().await;
    let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    server
        .delete_user_image()
        .respond_sequence([Reply::status(503).header("retry-after", &when), deleted()])
        .times(2);
    let start = Instant::now();
    client(&server, 2)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap();
    // The date has one-second resolution, so "2 s from now" is between 1 and 2 s away.
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "waited only {waited:?}"
    );
}

#[tokio::test]
async fn retry_after_is_capped() {
    let server = MockServer::start().await;
    server
        .delete_user_image()
        .respond_sequence([Reply::status(429).header("retry-after", "3600"), deleted()])
        .times(2);
    let start = Instant::now();
    client(&server, 2)
        .with_max_retry_after(Duration::from_millis(50))
        .delete_user_image("app", "v1", None)
        .await
        .unwrap();
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn unavailable_without_retry_after_backs_off_then_gives_up() {
    let server = MockServer::start().await;
    server
        .delete_user_image()
        .respond_with(Reply::text(503, "down for maintenance"));
    let err = client(&server, 2)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 3, "one attempt and two retries");
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
    let server = MockServer::start().await;
    server.check_docker_image().respond_with(Reply::status(503));
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
    assert_eq!(server.requests().len(), 1, "a POST is sent once by default");
    assert_eq!(server.requests()[0].method, "POST");

    let err = client
        .with_non_idempotent_retries()
        .check_docker_image(&body)
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.requests().len(), 4, "opted in: three more attempts");
}

#[tokio::test]
async fn documented_and_client_errors_are_not_retried() {
    let server = MockServer::start().await;
    server
        .delete_user_image()
        .respond_error(DeleteUserImageError::UnprocessableEntity(ErrorResponse {
            errors: vec![],
        }))
        .times(1);
    let err = client(&server, 2)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 422, .. }), "{err:?}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn max_retries_zero_sends_once() {
    let server = MockServer::start().await;
    server
        .delete_user_image()
        .respond_with(Reply::status(429).header("retry-after", "0"))
        .times(1);
    let err = client(&server, 0)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedStatus { status: 429, .. }));
    assert!(err.is_retryable());
}
