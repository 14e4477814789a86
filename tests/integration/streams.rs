//! Responses read as streams through the crate generated from
//! `tests/fixtures/features.yaml`: server-sent events and JSON lines, delivered whole and
//! one byte per network chunk, against an axum server.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use features_api::types::{ChatChunk, ChatRequest, LogLine, Tick};
use features_api::{Client, Error, Event};
use futures_util::StreamExt;
use std::collections::HashMap;

/// Comments, a byte-order mark, CRLF, CR and LF line ends, multi-line data, an id that
/// stays and one that resets it, `retry`s, an event without data, an undecodable event,
/// `[DONE]` and an event after it.
const TICKS: &str = concat!(
    "\u{feff}: keep-alive\r\n\r\n",
    "id: 1\r\nevent: tick\r\ndata: {\"n\":\r\ndata: 1}\r\n\r\n",
    "data: {\"n\": 2}\r\r",
    "retry: 2500\n\n",
    "retry: 1500\ndata: oops\n\n",
    "event: tick\nid:\ndata:{\"n\":3}\n\n",
    "data: [DONE]\n\n",
    "data: {\"n\": 4}\n\n",
);

/// A body of `text`, whole or one byte per chunk.
fn body(text: &'static str, bytewise: bool) -> Body {
    if bytewise {
        let bytes = text
            .as_bytes()
            .iter()
            .map(|b| Ok::<_, std::io::Error>(Bytes::from(vec![*b])));
        Body::from_stream(futures_util::stream::iter(bytes))
    } else {
        Body::from(text)
    }
}

async fn ticks(Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    assert_eq!(headers["accept"], "text/event-stream");
    let bytewise = query.get("chunking").map(String::as_str) == Some("bytes");
    (
        [("content-type", "text/event-stream")],
        body(TICKS, bytewise),
    )
        .into_response()
}

const LOGS: &str = "{\"level\":\"info\",\"message\":\"a\"}\n\n\u{1e}{\"level\":\"warn\",\"message\":\"b\"}\r\nnot json\n{\"level\":\"error\",\"message\":\"c\"}";

async fn logs(headers: HeaderMap) -> Response {
    assert_eq!(headers["accept"], "application/x-ndjson");
    ([("content-type", "application/x-ndjson")], body(LOGS, true)).into_response()
}

/// Records that span lines, each after an RS.
const RECORDS: &str = "\u{1e}{\n  \"level\": \"info\",\n  \"message\": \"a\"\n}\n\u{1e}{\"level\":\"warn\",\"message\":\"b\"}\n";

async fn records() -> Response {
    (
        [("content-type", "application/json-seq")],
        body(RECORDS, true),
    )
        .into_response()
}

/// JSON unless the body asks for a stream; 429 for the prompt `busy`.
async fn chat(headers: HeaderMap, axum::Json(request): axum::Json<serde_json::Value>) -> Response {
    let accept = headers["accept"].to_str().unwrap().to_string();
    if request["prompt"] == "busy" {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            axum::Json(serde_json::json!({"id": "-", "text": "later"})),
        )
            .into_response();
    }
    if request["stream"] == true {
        let text = format!("data: {{\"delta\":\"{accept}\"}}\n\ndata: [DONE]\n\n");
        return ([("content-type", "text/event-stream")], text).into_response();
    }
    axum::Json(serde_json::json!({"id": "c1", "text": accept})).into_response()
}

async fn client() -> Client {
    let app = Router::new()
        .route("/v1/ticks", axum::routing::get(ticks))
        .route("/v1/logs", axum::routing::get(logs))
        .route("/v1/records", axum::routing::get(records))
        .route("/v1/chat", axum::routing::post(chat));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Client::builder()
        .base_url(format!("http://{addr}/v1"))
        .max_retries(0)
        .build()
        .unwrap()
}

/// Each item, with errors as their kind.
fn summary(items: Vec<Result<Event<Tick>, Error<features_api::types::TicksError>>>) -> Vec<String> {
    items
        .into_iter()
        .map(|item| match item {
            Ok(e) => format!("{:?} {:?} {:?} n={}", e.event, e.id, e.retry, e.data.n),
            Err(Error::Decode {
                status, body_start, ..
            }) => {
                format!("undecodable ({status}): {body_start}")
            }
            Err(other) => format!("error: {other}"),
        })
        .collect()
}

#[tokio::test]
async fn events_are_the_same_delivered_whole_or_one_byte_at_a_time() {
    let client = client().await;
    let whole: Vec<_> = client.ticks_stream(Some("whole")).collect().await;
    let bytewise: Vec<_> = client.ticks_stream(Some("bytes")).collect().await;
    let expected = [
        "Some(\"tick\") Some(\"1\") None n=1",
        // The id stays until another replaces it; CR alone ends lines.
        "None Some(\"1\") None n=2",
        // Undecodable data is an error item, and the stream goes on.
        "undecodable (200): oops",
        // An empty id resets it; the last `retry` stays.
        "Some(\"tick\") None Some(1.5s) n=3",
        // `[DONE]` ends it: the event after it never arrives.
    ];
    assert_eq!(summary(whole), expected);
    assert_eq!(summary(bytewise), expected);
}

#[tokio::test]
async fn the_retry_field_reaches_the_event_that_carries_it() {
    const TEXT: &str = "retry: 1500\ndata: {\"n\": 9}\n\n";
    let app = Router::new().route(
        "/v1/ticks",
        axum::routing::get(|| async { ([("content-type", "text/event-stream")], TEXT) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder()
        .base_url(format!("http://{addr}/v1"))
        .build()
        .unwrap();
    let items: Vec<_> = client.ticks_stream(None).collect().await;
    let event = items.into_iter().next().unwrap().unwrap();
    assert_eq!(event.retry, Some(std::time::Duration::from_millis(1500)));
    assert_eq!(event.data, Tick { n: 9 });
}

#[tokio::test]
async fn json_lines_stream_one_item_per_line() {
    let client = client().await;
    let items: Vec<_> = client.logs_stream().collect().await;
    let text: Vec<String> = items
        .into_iter()
        .map(|item| match item {
            Ok(LogLine { level, message }) => format!("{level}: {message}"),
            Err(Error::Decode { body_start, .. }) => format!("undecodable: {body_start}"),
            Err(other) => format!("error: {other}"),
        })
        .collect();
    assert_eq!(
        text,
        ["info: a", "warn: b", "undecodable: not json", "error: c"]
    );
}

#[tokio::test]
async fn the_stream_method_asks_for_events_and_the_plain_one_for_json() {
    let client = client().await;
    let request = ChatRequest {
        prompt: "hi".into(),
        stream: None,
    };
    let completion = client.chat(&request).await.unwrap();
    assert_eq!(completion.text, "application/json");
    // `stream` is sent as true whatever the caller set.
    let request = ChatRequest {
        prompt: "hi".into(),
        stream: Some(false),
    };
    let chunks: Vec<_> = client.chat_stream(&request).collect().await;
    let chunks: Vec<ChatChunk> = chunks.into_iter().map(|c| c.unwrap().data).collect();
    assert_eq!(
        chunks,
        [ChatChunk {
            delta: "text/event-stream".into()
        }]
    );
}

#[tokio::test]
async fn an_error_status_is_the_streams_only_item() {
    let client = client().await;
    let request = ChatRequest {
        prompt: "busy".into(),
        stream: None,
    };
    let items: Vec<_> = client.chat_stream(&request).collect().await;
    assert_eq!(items.len(), 1);
    assert!(
        matches!(&items[0], Err(Error::Api { status: 429, .. })),
        "{items:?}"
    );
}

/// A 1 GiB download through the byte-stream twin, in a process of its own so its peak
/// resident memory is its alone (the example exits 1 past 64 MiB or on a short read).
#[test]
fn a_one_gib_download_stays_under_64_mib_of_resident_memory() {
    let exe = crate::support::workspace_binary(
        "examples/download",
        &["tests/features-api/examples", "tests/features-api/src"],
        &["-p", "features-api", "--example", "download"],
    );
    let run = std::process::Command::new(exe)
        .arg("1024")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&run.stdout);
    // The figures, for the log of the run.
    println!("{report}");
    assert!(
        run.status.success(),
        "{report} {}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        report.starts_with("downloaded 1073741824 bytes"),
        "{report}"
    );
}

/// A server that never ends an event (or a line) cannot make the client hold more than
/// `max_response_bytes` of it.
#[tokio::test]
async fn an_event_or_line_that_never_ends_stops_at_the_size_limit() {
    // One good event, then data lines that never reach the blank line ending the event.
    let endless_event = futures_util::stream::iter(
        std::iter::once(Ok::<_, std::io::Error>(Bytes::from_static(
            b"data: {\"n\": 1}\n\n",
        )))
        .chain(
            std::iter::repeat_with(|| Ok(Bytes::from_static(b"data: xxxxxxxxxxxxxxxx\n")))
                .take(10_000),
        ),
    );
    let endless_line = futures_util::stream::iter(
        std::iter::once(Ok::<_, std::io::Error>(Bytes::from_static(
            b"{\"level\":\"info\",\"message\":\"a\"}\n",
        )))
        .chain(std::iter::repeat_with(|| Ok(Bytes::from_static(b"xxxxxxxxxxxxxxxx"))).take(10_000)),
    );
    // Each served once.
    let event_body = std::sync::Mutex::new(Some(Body::from_stream(endless_event)));
    let line_body = std::sync::Mutex::new(Some(Body::from_stream(endless_line)));
    let (event_body, line_body) = (
        std::sync::Arc::new(event_body),
        std::sync::Arc::new(line_body),
    );
    let app = Router::new()
        .route(
            "/v1/ticks",
            axum::routing::get(move || {
                let body = event_body.lock().unwrap().take().unwrap();
                async move { ([("content-type", "text/event-stream")], body) }
            }),
        )
        .route(
            "/v1/logs",
            axum::routing::get(move || {
                let body = line_body.lock().unwrap().take().unwrap();
                async move { ([("content-type", "application/x-ndjson")], body) }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder()
        .base_url(format!("http://{addr}/v1"))
        .max_response_bytes(4096)
        .build()
        .unwrap();

    let events: Vec<_> = client.ticks_stream(None).collect().await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].as_ref().unwrap().data, Tick { n: 1 });
    assert!(
        matches!(events[1], Err(Error::BodyTooLarge { limit: 4096, .. })),
        "{events:?}"
    );

    let lines: Vec<_> = client.logs_stream().collect().await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].is_ok());
    assert!(
        matches!(lines[1], Err(Error::BodyTooLarge { limit: 4096, .. })),
        "{lines:?}"
    );
}

#[tokio::test]
async fn json_text_sequences_split_at_record_separators() {
    let client = client().await;
    let items: Vec<_> = client.records_stream().collect().await;
    let levels: Vec<String> = items.into_iter().map(|i| i.unwrap().level).collect();
    assert_eq!(levels, ["info", "warn"]);
}
