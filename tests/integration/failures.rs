//! A misbehaving server gives a typed error that keeps what arrived, never a panic.

use crate::support::raw_server;
use prime_api::{Client, Error};
use std::time::{Duration, Instant};

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token("pit_test")
        .timeout(Duration::from_millis(300))
        .max_retries(2)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_stalled_server_times_out() {
    let url = raw_server(b"", true).await;
    let start = Instant::now();
    let err = client(&url)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap_err();
    match &err {
        Error::Transport(e) => assert!(e.is_timeout(), "{e:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(err.is_retryable());
    // Timeouts are not retried: the server may still be acting on the request.
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_connection_cut_mid_body_is_a_transport_error() {
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"success\": tr",
        false,
    )
    .await;
    let err = client(&url)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_the_body() {
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 14\r\nconnection: close\r\n\r\n{\"success\": tr",
        false,
    )
    .await;
    let err = client(&url)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap_err();
    match err {
        Error::Decode {
            status: 200,
            body_start,
            ..
        } => assert_eq!(body_start, "{\"success\": tr"),
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn html_where_json_was_promised_is_a_decode_error() {
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 20\r\nconnection: close\r\n\r\n<html>oops</html>   ",
        false,
    )
    .await;
    let err = client(&url)
        .delete_user_image("app", "v1", None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status: 200, body_start, .. } if body_start.starts_with("<html>")),
        "{err:?}"
    );
    assert!(err.to_string().contains("<html>oops</html>"));
}
