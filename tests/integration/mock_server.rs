//! The generated mock server beyond JSON calls (the PI API's are in
//! `generated/tests/app.rs`): event streams, JSON lines, form bodies and styled query
//! parameters matched by typed value, through `features-api`'s mock.

use features_api::Event;
use features_api::mock::{ChatMock, LogsMock, MockServer, Reply};
use features_api::types::{
    ChargeForm, ChargeFormItemsItem, ChatChunk, ChatRequest, LogLine, SearchFilter, SearchParams,
};
use futures_util::StreamExt;
use std::collections::BTreeMap;
use std::time::Duration;

fn chunk(delta: &str) -> ChatChunk {
    ChatChunk {
        delta: delta.into(),
    }
}

#[tokio::test]
async fn serves_typed_server_sent_events() {
    let server = MockServer::start().await;
    // The stream method sets `stream: true` itself; the expectation leaves the flag out.
    let request = ChatRequest {
        prompt: "hi".into(),
        stream: None,
    };
    server
        .chat()
        .body(&request)
        .respond_with(ChatMock::events([
            Event::new(chunk("Hel")),
            Event::new(chunk("lo\nthere"))
                .with_event("delta")
                .with_id("2"),
        ]))
        .times(1);
    let client = server.client();
    let events: Vec<_> = client.chat_stream(&request).collect().await;
    let events: Vec<Event<ChatChunk>> = events.into_iter().map(Result::unwrap).collect();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].data, chunk("Hel"));
    assert_eq!(events[1].data, chunk("lo\nthere"));
    assert_eq!(events[1].event.as_deref(), Some("delta"));
    assert_eq!(events[1].id.as_deref(), Some("2"));
    let sent = &server.requests()[0];
    assert_eq!(sent.header_values("accept"), "text/event-stream");
    assert_eq!(
        sent.body_json::<serde_json::Value>().unwrap()["stream"],
        serde_json::json!(true)
    );
}

#[tokio::test]
async fn serves_json_lines_and_delays_them() {
    let server = MockServer::start().await;
    let line = |level: &str, message: &str| LogLine {
        level: level.into(),
        message: message.into(),
    };
    server
        .logs()
        .respond_with(
            LogsMock::lines([line("info", "up"), line("warn", "slow")])
                .delay(Duration::from_millis(150)),
        )
        .times(1);
    let start = std::time::Instant::now();
    let lines: Vec<LogLine> = server
        .client()
        .logs_stream()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(lines, [line("info", "up"), line("warn", "slow")]);
    assert!(start.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn form_bodies_and_styled_query_parameters_match_by_value() {
    let server = MockServer::start().await;
    let form = ChargeForm {
        amount: 1200,
        description: Some("two & more".into()),
        metadata: Some(BTreeMap::from([("order".into(), "o-1".into())])),
        items: Some(vec![ChargeFormItemsItem {
            price: "p_1".into(),
            quantity: Some(2),
        }]),
        tags: Some(vec!["a".into(), "b".into()]),
        expand: None,
        shipping: None,
        options: None,
    };
    server
        .create_charge()
        .body(&form)
        .respond(serde_json::json!({"id": "ch_1"}))
        .times(1);
    let filter = SearchFilter {
        name: Some("x y".into()),
        tags: Some(vec!["t1".into()]),
    };
    server
        .search()
        .filter(&filter)
        .respond(serde_json::json!({"hits": 1}))
        .times(1);
    let client = server.client();
    assert_eq!(
        client.create_charge(&form).await.unwrap(),
        serde_json::json!({"id": "ch_1"})
    );
    let params = SearchParams {
        filter: Some(filter),
        ..SearchParams::default()
    };
    assert_eq!(
        client.search(params).await.unwrap(),
        serde_json::json!({"hits": 1})
    );
    // A different amount is a different body: nothing matches, and the report says why.
    let other = ChargeForm {
        amount: 1300,
        ..form
    };
    let err = client.create_charge(&other).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    let report = server.check().unwrap_err();
    assert!(report.contains("amount=1300"), "{report}");
    server.reset();
}

#[tokio::test]
async fn any_reply_can_be_raw() {
    let server = MockServer::start().await;
    server
        .logs()
        .respond_with(Reply::bytes(
            200,
            "application/x-ndjson",
            "{\"level\": \"info\"",
        ))
        .times(1);
    let items: Vec<_> = server.client().logs_stream().collect().await;
    // A line cut short is an error item; the stream ends with the body.
    assert_eq!(items.len(), 1);
    assert!(items[0].is_err(), "{items:?}");
}
