//! Redirects, through the crate generated from `tests/fixtures/features.yaml`, against
//! loopback servers that record what arrives: a redirect the operation documents is the
//! method's answer; the others are followed by the client, by RFC 9110's rules, with
//! credentials kept on the origin and dropped off it (two loopback ports are two origins).

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use features_api::{Client, Error, Upload};
use std::sync::{Arc, Mutex};

/// What a server saw of one request.
#[derive(Debug, Clone)]
struct Hit {
    method: Method,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
}

type Answer = Arc<dyn Fn(&Hit, usize) -> Response + Send + Sync>;

#[derive(Clone)]
struct Recorder {
    hits: Arc<Mutex<Vec<Hit>>>,
    answer: Answer,
}

struct Server {
    url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Server {
    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }
}

async fn record(State(recorder): State<Recorder>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let hit = Hit {
        method: parts.method,
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(String::from),
        headers: parts.headers,
        body,
    };
    let n = {
        let mut hits = recorder.hits.lock().unwrap();
        hits.push(hit.clone());
        hits.len() - 1
    };
    (recorder.answer)(&hit, n)
}

async fn serve(answer: impl Fn(&Hit, usize) -> Response + Send + Sync + 'static) -> Server {
    let hits: Arc<Mutex<Vec<Hit>>> = Arc::default();
    let recorder = Recorder {
        hits: hits.clone(),
        answer: Arc::new(answer),
    };
    let app = Router::new().fallback(record).with_state(recorder);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        url: format!("http://{addr}"),
        hits,
    }
}

fn redirect(status: u16, location: &str) -> Response {
    Response::builder()
        .status(status)
        .header("location", location)
        .body(Body::from("moved"))
        .unwrap()
}

fn json(body: &str) -> Response {
    Response::builder()
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// A `Received` body echoing what arrived, as the fixture's body operations answer.
fn received(hit: &Hit) -> Response {
    let body = serde_json::json!({
        "body": String::from_utf8_lossy(&hit.body),
        "content_type": hit.headers.get("content-type").map(|v| v.to_str().unwrap()),
    });
    json(&body.to_string())
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token("tok-secret")
        .api_key_header("key-secret")
        .app_key_query("app-secret")
        .session("cookie-secret")
        .max_retries(0)
        .build()
        .unwrap()
}

fn header<'h>(hit: &'h Hit, name: &str) -> Option<&'h str> {
    hit.headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn a_redirect_the_operation_documents_is_its_answer_not_followed() {
    let server = serve(|_, _| redirect(302, "/v1/storage/blob-1")).await;
    let response = client(&format!("{}/v1", server.url))
        .get_blob_link_with_response("blob-1")
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/v1/storage/blob-1");
    let hits = server.hits();
    assert_eq!(hits.len(), 1, "the documented 302 is not followed");
    assert_eq!(hits[0].path, "/v1/blobs/blob-1/link");
}

#[tokio::test]
async fn an_undocumented_redirect_on_the_same_origin_is_followed_with_credentials() {
    let server = serve(|hit, _| match hit.path.as_str() {
        "/v1/whoami" => redirect(307, "/v2/whoami"),
        _ => json(r#"{"ok": true}"#),
    })
    .await;
    let seen = client(&format!("{}/v1", server.url))
        .whoami()
        .await
        .unwrap();
    assert!(seen.ok);
    let hits = server.hits();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[1].path, "/v2/whoami");
    assert_eq!(header(&hits[1], "authorization"), Some("Bearer tok-secret"));
}

#[tokio::test]
async fn credentials_do_not_follow_a_redirect_to_another_origin() {
    let elsewhere = serve(|_, _| json(r#"{"ok": true}"#)).await;
    let target = elsewhere.url.clone();
    // The `Location` repeats the query key, as a server that copies the query does.
    let api = serve(move |hit, _| {
        let query = hit.query.clone().unwrap_or_default();
        redirect(302, &format!("{target}/mirror?{query}&keep=1"))
    })
    .await;
    let base = format!("{}/v1", api.url);
    // Every place a credential goes: a bearer token, a header key with a query key, a
    // cookie, Basic.
    client(&base).whoami().await.unwrap();
    client(&base).keys(Some("q1")).await.unwrap();
    client(&base).session().await.unwrap();
    Client::builder()
        .base_url(&base)
        .basic_auth("ann", "pw-secret")
        .build()
        .unwrap()
        .keys(None)
        .await
        .unwrap();
    let first = api.hits();
    assert_eq!(
        header(&first[0], "authorization"),
        Some("Bearer tok-secret")
    );
    assert_eq!(header(&first[1], "x-api-key"), Some("key-secret"));
    assert_eq!(first[1].query.as_deref(), Some("q=q1&app_key=app-secret"));
    assert_eq!(header(&first[2], "cookie"), Some("sid=cookie-secret"));
    assert!(
        header(&first[3], "authorization")
            .unwrap()
            .starts_with("Basic ")
    );
    let hits = elsewhere.hits();
    assert_eq!(hits.len(), 4, "each call followed its redirect");
    for hit in &hits {
        assert_eq!(hit.path, "/mirror");
        for name in ["authorization", "x-api-key", "cookie"] {
            assert_eq!(header(hit, name), None, "{name} went to another origin");
        }
        let query = hit.query.as_deref().unwrap_or("");
        assert!(
            !query.contains("secret"),
            "a key went to another origin: {query}"
        );
        assert!(query.ends_with("keep=1"), "{query}");
    }
    assert_eq!(hits[1].query.as_deref(), Some("q=q1&keep=1"));
}

#[tokio::test]
async fn see_other_turns_a_post_into_a_get_and_temporary_keeps_method_and_body() {
    for (status, method, body) in [
        (303, Method::GET, ""),
        (302, Method::GET, ""),
        (301, Method::GET, ""),
        (307, Method::POST, "42"),
        (308, Method::POST, "42"),
    ] {
        let server = serve(move |hit, _| match hit.path.as_str() {
            "/v1/bodies/json/integer" => redirect(status, "/v1/there"),
            _ => json("42"),
        })
        .await;
        let answer = client(&format!("{}/v1", server.url))
            .echo_integer(42)
            .await
            .unwrap();
        assert_eq!(answer, 42);
        let hits = server.hits();
        assert_eq!(hits.len(), 2, "{status}");
        assert_eq!(hits[1].method, method, "{status}");
        assert_eq!(String::from_utf8_lossy(&hits[1].body), body, "{status}");
        assert_eq!(
            header(&hits[1], "content-type").is_some(),
            !body.is_empty(),
            "{status}: a body's content type goes with it"
        );
    }
    // A PUT answered 302 keeps its method (only POST becomes GET) and its body.
    let server = serve(|hit, _| match hit.path.as_str() {
        "/v1/bodies/json/integer" => redirect(302, "/v1/there"),
        _ => received(hit),
    })
    .await;
    let received = client(&format!("{}/v1", server.url))
        .send_integer(Some(7))
        .await
        .unwrap();
    assert_eq!(received.body, "7");
    assert_eq!(server.hits()[1].method, Method::PUT);
}

#[tokio::test]
async fn a_streamed_body_stops_at_a_redirect_that_would_send_it_again() {
    let server = serve(|_, _| redirect(307, "/v1/elsewhere")).await;
    let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"data"))]);
    let err = client(&format!("{}/v1", server.url))
        .put_blob("b", Upload::stream(stream, Some(4)))
        .await
        .unwrap_err();
    match &err {
        Error::UnexpectedStatus {
            status, headers, ..
        } => {
            assert_eq!(*status, 307);
            assert_eq!(headers["location"], "/v1/elsewhere");
        }
        other => panic!("expected the 307 itself, got {other:?}"),
    }
    assert_eq!(server.hits().len(), 1);
}

#[tokio::test]
async fn a_redirect_loop_ends_with_the_last_redirect_after_ten_hops() {
    let server = serve(|_, n| redirect(302, &format!("/v1/whoami?hop={}", n + 1))).await;
    let err = client(&format!("{}/v1", server.url))
        .whoami()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(302), "{err:?}");
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    assert_eq!(server.hits().len(), 11, "the first request and ten hops");
}

#[tokio::test]
async fn hooks_see_each_request_and_response_of_a_followed_redirect() {
    use features_api::{Attempt, ResponseHead};
    let server = serve(|hit, _| match hit.path.as_str() {
        "/v1/whoami" => redirect(308, "/v1/me"),
        _ => json(r#"{"ok": true}"#),
    })
    .await;
    let requests: Arc<Mutex<Vec<String>>> = Arc::default();
    let responses: Arc<Mutex<Vec<u16>>> = Arc::default();
    let (seen_requests, seen_responses) = (requests.clone(), responses.clone());
    let client = Client::builder()
        .base_url(format!("{}/v1", server.url))
        .bearer_token("tok-secret")
        .on_request(move |request: reqwest::Request, attempt: Attempt| {
            seen_requests.lock().unwrap().push(format!(
                "{} {}",
                attempt.number,
                request.url().path()
            ));
            async move { Ok(request) }
        })
        .on_response(move |head: ResponseHead, _| {
            seen_responses.lock().unwrap().push(head.status);
            async {}
        })
        .build()
        .unwrap();
    assert!(client.whoami().await.unwrap().ok);
    // One attempt, two requests: the hooks run for the hop as for the first.
    assert_eq!(*requests.lock().unwrap(), ["1 /v1/whoami", "1 /v1/me"]);
    assert_eq!(*responses.lock().unwrap(), [308, 200]);
}
