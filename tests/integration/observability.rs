//! The `tracing` feature: one span per call with OpenTelemetry's HTTP client fields, events
//! for retries and rate-limit waits, and nothing secret in any of it. A layer of the
//! test's own captures every span, field and event.

use prime_api::mock::{DeleteUserImageMock, MockServer, Reply};
use prime_api::types::{DeleteImageResponse, DeleteUserImageError, ErrorResponse};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};

/// A captured span: its name, fields as recorded last, and its events' fields.
#[derive(Debug, Default, Clone)]
struct Captured {
    name: String,
    fields: BTreeMap<String, String>,
    events: Vec<BTreeMap<String, String>>,
}

#[derive(Default, Clone)]
struct Capture {
    spans: Arc<Mutex<BTreeMap<u64, Captured>>>,
    /// Events outside any span.
    loose: Arc<Mutex<Vec<BTreeMap<String, String>>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl<S> tracing_subscriber::Layer<S> for Capture
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut span = Captured {
            name: attrs.metadata().name().to_string(),
            ..Captured::default()
        };
        attrs.record(&mut Fields(&mut span.fields));
        self.spans.lock().unwrap().insert(id.into_u64(), span);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        if let Some(span) = self.spans.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Fields(&mut span.fields));
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        match ctx.event_span(event) {
            Some(span) => {
                if let Some(captured) = self.spans.lock().unwrap().get_mut(&span.id().into_u64()) {
                    captured.events.push(fields);
                }
            }
            None => self.loose.lock().unwrap().push(fields),
        }
    }
}

impl Capture {
    /// The spans named `call`, in creation order.
    fn calls(&self) -> Vec<Captured> {
        self.spans
            .lock()
            .unwrap()
            .values()
            .filter(|s| s.name == "call")
            .cloned()
            .collect()
    }

    /// Everything captured, as text.
    fn text(&self) -> String {
        let mut text = String::new();
        for span in self.spans.lock().unwrap().values() {
            writeln!(text, "{span:?}").unwrap();
        }
        for event in self.loose.lock().unwrap().iter() {
            writeln!(text, "{event:?}").unwrap();
        }
        text
    }
}

fn field<'a>(span: &'a Captured, name: &str) -> Option<&'a str> {
    span.fields.get(name).map(String::as_str)
}

const TOKEN: &str = "pit_very_secret_token";

#[tokio::test]
async fn one_span_per_call_with_the_http_client_fields_and_no_secrets() {
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));

    let server = MockServer::start().await;
    server
        .delete_user_image()
        .image_name("secret-name")
        .respond_sequence([
            Reply::text(503, "busy").header("retry-after", "0"),
            Reply::text(429, "slow down").header("retry-after", "0"),
            DeleteUserImageMock::ok(DeleteImageResponse {
                success: true,
                message: "secret-body-text".into(),
            }),
        ]);
    server
        .delete_user_image()
        .image_name("refused")
        .respond_error(DeleteUserImageError::UnprocessableEntity(ErrorResponse {
            errors: vec![],
        }));
    let client = server.client_builder().bearer_token(TOKEN).build().unwrap();
    client
        .delete_user_image("secret-name", "secret-tag", Some("secret-team"))
        .await
        .unwrap();
    let err = client
        .delete_user_image("refused", "v1", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));

    let calls = capture.calls();
    assert_eq!(calls.len(), 2, "one span per call: {calls:#?}");
    let (first, second) = (&calls[0], &calls[1]);
    let port = server.uri().rsplit(':').next().unwrap().to_string();
    for span in [first, second] {
        assert_eq!(field(span, "operation"), Some("delete_user_image"));
        assert_eq!(field(span, "otel.name"), Some("delete_user_image"));
        assert_eq!(field(span, "otel.kind"), Some("client"));
        assert_eq!(field(span, "http.request.method"), Some("DELETE"));
        assert_eq!(
            field(span, "url.template"),
            Some("/api/v1/images/{image_name}/{image_tag}")
        );
        assert_eq!(field(span, "server.address"), Some("127.0.0.1"));
        assert_eq!(field(span, "server.port"), Some(port.as_str()));
    }
    // Two retries, each an event with its reason and wait.
    assert_eq!(field(first, "http.response.status_code"), Some("200"));
    assert_eq!(field(first, "http.request.resend_count"), Some("2"));
    assert_eq!(field(first, "error.type"), None);
    let retries: Vec<_> = first
        .events
        .iter()
        .filter(|e| e.get("message").map(String::as_str) == Some("retrying"))
        .collect();
    assert_eq!(retries.len(), 2, "{:#?}", first.events);
    assert_eq!(retries[0]["reason"], "503");
    assert_eq!(retries[1]["reason"], "429");
    assert_eq!(retries[0]["retry_after"], "true");
    assert_eq!(retries[0]["wait_ms"], "0");
    assert_eq!(retries[1]["attempt"], "2");
    // A documented error: its status is the error type; nothing was resent.
    assert_eq!(field(second, "http.response.status_code"), Some("422"));
    assert_eq!(field(second, "error.type"), Some("422"));
    assert_eq!(field(second, "otel.status_code"), Some("ERROR"));
    assert_eq!(field(first, "otel.status_code"), None);
    assert_eq!(field(second, "http.request.resend_count"), None);

    let text = capture.text();
    for secret in [
        TOKEN,
        "secret-name",
        "secret-tag",
        "secret-team",
        "secret-body-text",
    ] {
        assert!(!text.contains(secret), "{secret} was recorded:\n{text}");
    }
}

#[tokio::test]
async fn transport_failures_name_their_kind() {
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    // A port nothing listens on: bind one, then close it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = prime_api::Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .max_retries(1)
        .build()
        .unwrap();
    let err = client.get_current_user().await.unwrap_err();
    assert_eq!(err.attempts(), 2);
    let calls = capture.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(field(&calls[0], "error.type"), Some("connect"));
    assert_eq!(field(&calls[0], "http.request.resend_count"), Some("1"));
    assert_eq!(field(&calls[0], "http.response.status_code"), None);
    let retry = calls[0]
        .events
        .iter()
        .find(|e| e.get("message").map(String::as_str) == Some("retrying"))
        .expect("a retry event");
    assert_eq!(retry["reason"], "connect");
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_wait_is_an_event() {
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let server = MockServer::start().await;
    server
        .delete_user_image()
        .respond(DeleteImageResponse {
            success: true,
            message: "deleted".into(),
        })
        .times(101);
    // No timers of reqwest's own for the paused clock to jump to.
    let http = reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .unwrap();
    let client = server
        .client_builder()
        .with_reqwest_client(http)
        .timeout(Duration::from_secs(86_400))
        .build()
        .unwrap();
    // The documented limit is 100 per 60 s: the 101st call waits.
    for i in 0..101 {
        client
            .delete_user_image(&format!("i{i}"), "v1", None)
            .await
            .unwrap();
    }
    let waits: Vec<_> = capture
        .calls()
        .into_iter()
        .flat_map(|c| c.events)
        .filter(|e| e["message"] == "waiting for the documented rate limit")
        .collect();
    assert_eq!(waits.len(), 1, "{waits:#?}");
    assert_eq!(waits[0]["requests"], "100");
    assert_eq!(waits[0]["period_s"], "60");
    let waited: u64 = waits[0]["wait_ms"].parse().unwrap();
    assert!(waited > 50_000, "waited {waited} ms");
}
