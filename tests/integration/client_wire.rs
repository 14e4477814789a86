//! The generated client against a real HTTP server on loopback: what goes over the wire,
//! and how each kind of answer comes back.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use prime_api::types::{DeleteImageResponse, DeleteUserImageError};
use prime_api::{Client, Error};
use std::sync::{Arc, Mutex};

/// What the server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: Option<String>,
    authorization: Option<String>,
    accept: Option<String>,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// Answers by image name (the fourth path segment), recording every request.
async fn handler(State(log): State<Log>, req: Request) -> Response {
    let uri = req.uri().clone();
    log.lock().unwrap().push(Seen {
        method: req.method().to_string(),
        path: uri.path().to_string(),
        query: uri.query().map(String::from),
        authorization: req
            .headers()
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_string()),
        accept: req
            .headers()
            .get("accept")
            .map(|v| v.to_str().unwrap().to_string()),
    });
    let image = uri.path().split('/').nth(4).unwrap_or("");
    let (status, body) = match image {
        "unauthorized" => (401, String::new()),
        "invalid" => (
            422,
            r#"{"errors": [{"param": "image_tag", "details": "bad tag"}]}"#.to_string(),
        ),
        "missing" => (404, "no such image".to_string()),
        "garbled" => (200, "<html>maintenance</html>".to_string()),
        _ => (
            200,
            r#"{"success": true, "message": "deleted"}"#.to_string(),
        ),
    };
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap()
}

async fn server() -> (Client, Log) {
    let log: Log = Arc::default();
    let app = Router::new().fallback(handler).with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .bearer_token("pit_test")
        .build()
        .unwrap();
    (client, log)
}

fn last(log: &Log) -> Seen {
    log.lock()
        .unwrap()
        .last()
        .cloned()
        .expect("the server saw a request")
}

#[tokio::test]
async fn success_sends_the_documented_request() {
    let (client, log) = server().await;
    let done: DeleteImageResponse = client
        .delete_user_image("myapp", "v1.0.0", None)
        .await
        .unwrap();
    assert_eq!(
        done,
        DeleteImageResponse {
            success: true,
            message: "deleted".into()
        }
    );
    let seen = last(&log);
    assert_eq!(seen.method, "DELETE");
    assert_eq!(seen.path, "/api/v1/images/myapp/v1.0.0");
    assert_eq!(seen.query, None, "an absent team id is not sent");
    assert_eq!(seen.authorization.as_deref(), Some("Bearer pit_test"));
    // The media type the method decodes (its 200, 401 and 422 bodies are all JSON).
    assert_eq!(seen.accept.as_deref(), Some("application/json"));

    client
        .delete_user_image("myapp", "v1.0.0", Some("t1"))
        .await
        .unwrap();
    assert_eq!(last(&log).query.as_deref(), Some("teamId=t1"));
}

#[tokio::test]
async fn documented_errors_are_chosen_by_status() {
    let (client, _log) = server().await;
    match client.delete_user_image("unauthorized", "v1", None).await {
        Err(Error::Api {
            status: 401,
            error: DeleteUserImageError::Unauthorized,
            ..
        }) => {}
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    match client.delete_user_image("invalid", "v1", None).await {
        Err(Error::Api {
            status: 422,
            error: DeleteUserImageError::UnprocessableEntity(body),
            ..
        }) => {
            assert_eq!(body.errors.len(), 1);
            assert_eq!(body.errors[0].param, "image_tag");
            assert_eq!(body.errors[0].details, "bad tag");
        }
        other => panic!("expected UnprocessableEntity, got {other:?}"),
    }
}

#[tokio::test]
async fn undocumented_status_keeps_status_and_body() {
    let (client, _log) = server().await;
    let err = client
        .delete_user_image("missing", "v1", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    match err {
        Error::UnexpectedStatus {
            status: 404, body, ..
        } => assert_eq!(&body[..], b"no such image"),
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_does_not_decode_keeps_status_and_its_start() {
    let (client, _log) = server().await;
    let err = client
        .delete_user_image("garbled", "v1", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(200));
    match err {
        Error::Decode {
            status: 200,
            body_start,
            ..
        } => assert_eq!(body_start, "<html>maintenance</html>"),
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn path_parameters_are_always_one_segment() {
    let (client, log) = server().await;
    client
        .delete_user_image("../../admin", "v1.0.0", None)
        .await
        .unwrap();
    assert_eq!(last(&log).path, "/api/v1/images/..%2F..%2Fadmin/v1.0.0");
    client
        .delete_user_image("a b?c#d%e", "ü", None)
        .await
        .unwrap();
    assert_eq!(last(&log).path, "/api/v1/images/a%20b%3Fc%23d%25e/%C3%BC");

    let before = log.lock().unwrap().len();
    for bad in ["", ".", ".."] {
        match client.delete_user_image(bad, "v1", None).await {
            Err(e @ Error::InvalidRequest(_)) => assert_eq!(e.status(), None),
            other => panic!("expected InvalidRequest for {bad:?}, got {other:?}"),
        }
    }
    assert_eq!(
        log.lock().unwrap().len(),
        before,
        "refused requests never reach the server"
    );
}

#[tokio::test]
async fn transport_failures_have_no_status() {
    // Bind then drop a listener so the port is known to be closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer_token("pit_test")
        .max_retries(0)
        .build()
        .unwrap();
    let err = client
        .delete_user_image("myapp", "v1", None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.status(), None);
    assert!(err.is_retryable(), "a refused connection may succeed later");

    // With the default two retries, a refused connection is tried three times.
    let err = client
        .with_max_retries(2)
        .delete_user_image("myapp", "v1", None)
        .await
        .unwrap_err();
    match &err {
        Error::RetriesExhausted {
            attempts: 3, last, ..
        } => {
            assert!(matches!(**last, Error::Transport(_)), "{last:?}")
        }
        other => panic!("expected RetriesExhausted after 3 attempts, got {other:?}"),
    }
    assert_eq!(err.status(), None);
}

#[test]
fn builder_rejects_bad_tokens_and_urls_and_hides_the_token() {
    assert!(
        Client::builder()
            .bearer_token("a\r\nInjected: yes")
            .build()
            .is_err()
    );
    assert!(
        Client::builder()
            .base_url("ftp://example.com")
            .build()
            .is_err()
    );
    assert!(Client::builder().base_url("not a url").build().is_err());
    let client = Client::builder()
        .bearer_token("pit_secret")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://api.primeintellect.ai");
    assert!(!format!("{client:?}").contains("pit_secret"));
    assert!(!format!("{:?}", Client::builder().bearer_token("pit_secret")).contains("pit_secret"));
}
