//! A streaming chat: the events of `POST /chat` printed as they arrive.
//! `cargo run -p features-api --example chat -- URL PROMPT` (URL: a server of
//! `tests/fixtures/features.yaml`).

use features_api::Client;
use features_api::types::ChatRequest;
use futures_util::StreamExt;
use std::io::Write;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let base_url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8080/v1".into());
    let prompt = args.next().unwrap_or_else(|| "Hello".into());
    let client = Client::builder().base_url(&base_url).build()?;

    // `stream` is set to true by the `_stream` twin; the plain `chat` returns the JSON
    // completion instead.
    let request = ChatRequest {
        prompt,
        stream: None,
    };
    let mut events = std::pin::pin!(client.chat_stream(&request));
    while let Some(event) = events.next().await {
        match event {
            Ok(event) => {
                print!("{}", event.data.delta);
                std::io::stdout().flush()?;
            }
            // An event that does not decode: report it, keep reading.
            Err(features_api::Error::Decode { body_start, .. }) => {
                eprintln!("\n(skipped an event: {body_start})");
            }
            Err(e) => return Err(e.into()),
        }
    }
    println!();
    Ok(())
}
