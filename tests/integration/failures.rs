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

/// A server answering 200 with `body` in `chunks` pieces, without a `Content-Length` when
/// there is more than one.
async fn chunked_server(body: Vec<u8>, chunks: usize) -> crate::support::Server {
    use axum::body::Body;
    use axum::response::Response;
    crate::support::serve(move |_, _| {
        let size = body.len().div_ceil(chunks.max(1)).max(1);
        let parts: Vec<Result<Vec<u8>, std::io::Error>> =
            body.chunks(size).map(|c| Ok(c.to_vec())).collect();
        let body = if chunks > 1 {
            Body::from_stream(futures_util::stream::iter(parts))
        } else {
            Body::from(body.clone())
        };
        Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(body)
            .unwrap()
    })
    .await
}

#[tokio::test]
async fn a_body_past_the_size_limit_is_a_typed_error_with_or_without_a_length() {
    let deleted = crate::support::DELETED.as_bytes().to_vec();
    // Padded with spaces to 2 KiB: still valid JSON.
    let mut big = deleted.clone();
    big.resize(2048, b' ');
    for chunks in [1, 7] {
        let server = chunked_server(big.clone(), chunks).await;
        let small = Client::builder()
            .base_url(&server.url)
            .bearer_token("pit_test")
            .max_response_bytes(1024)
            .build()
            .unwrap();
        let err = small.delete_user_image("a", "v1", None).await.unwrap_err();
        assert!(
            matches!(
                &err,
                Error::BodyTooLarge {
                    status: 200,
                    limit: 1024,
                    ..
                }
            ),
            "{chunks} chunks: {err:?}"
        );
        assert_eq!(err.status(), Some(200));
        assert!(!err.is_retryable());
        // At the limit, and in many pieces, the body arrives whole and decodes.
        let exact = Client::builder()
            .base_url(&server.url)
            .bearer_token("pit_test")
            .max_response_bytes(2048)
            .build()
            .unwrap();
        let done = exact.delete_user_image("a", "v1", None).await.unwrap();
        assert_eq!(done.message, "deleted", "{chunks} chunks");
    }
}
