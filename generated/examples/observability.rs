//! The README's "Observability" example: the `tracing` feature's spans and events, and
//! request and response hooks. A mock server stands in for the API so it runs anywhere.

use prime_api::mock::{DeleteUserImageMock, MockServer, Reply};
use prime_api::types::DeleteImageResponse;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing_subscriber::fmt::format::FmtSpan;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Each call's span (printed when it closes) and its retry events, to stdout. In
    // production, `tracing-opentelemetry` exports the same spans.
    tracing_subscriber::fmt()
        .with_writer(std::io::stdout)
        .with_span_events(FmtSpan::CLOSE)
        .init();

    let server = MockServer::start().await;
    server.delete_user_image().respond_sequence([
        Reply::status(503).header("retry-after", "0"),
        DeleteUserImageMock::ok(DeleteImageResponse {
            success: true,
            message: "deleted".into(),
        }),
    ]);

    let responses = Arc::new(AtomicUsize::new(0));
    let counter = responses.clone();
    let client = server
        .client_builder()
        // Runs before every attempt, retries included: tag (or sign) the request.
        .on_request(|mut request, attempt| async move {
            let id = format!("{}-{}", attempt.operation, attempt.number);
            request.headers_mut().insert("x-request-id", id.parse()?);
            Ok(request)
        })
        // Sees every response's status and headers: count them, time them.
        .on_response(move |head, attempt| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                println!("attempt {} answered {}", attempt.number, head.status);
            }
        })
        .build()?;

    let done = client.delete_user_image("myapp", "v1", None).await?;
    println!(
        "{}; {} responses; request ids {:?}",
        done.message,
        responses.load(Ordering::Relaxed),
        server
            .requests()
            .iter()
            .map(|r| r.header_values("x-request-id"))
            .collect::<Vec<_>>()
    );
    Ok(())
}
