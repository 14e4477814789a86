//! Authentication with a generated client: fixed credentials for several schemes, and
//! tokens from the app's own code. `cargo run -p features-api --example auth -- URL`
//! calls the server at URL (for example a local mock of `tests/fixtures/features.yaml`).

use features_api::{AccessToken, Client, TokenError};
use std::time::Duration;

/// Stands in for the app's own way to get a token (a vault, an OAuth2 library, ...).
async fn fetch_token() -> Result<String, std::io::Error> {
    Ok("token-from-the-vault".to_string())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080/v1".into());

    // Fixed credentials: each applies to the operations whose requirements name it.
    let client = Client::builder()
        .base_url(&base_url)
        .bearer_token("pat_example") // Authorization: Bearer pat_example
        .api_key_header("key") // X-Api-Key: key, sent together with...
        .app_key_query("app") // ...?app_key=app
        .basic_auth("ann", "password") // Authorization: Basic ...
        .oauth2_client_credentials("client-id", "secret", &["things:read"])
        .build()?;
    println!("{client:?}"); // names the schemes that are set, never a secret

    // Tokens from the app's code, asked when needed and once more after a 401.
    let from_source = Client::builder()
        .base_url(&base_url)
        .oauth2_token_source(|| async {
            let token = fetch_token().await.map_err(TokenError::new)?;
            Ok(AccessToken::new(token).expires_in(Duration::from_secs(3600)))
        })
        .build()?;

    match client.keys(None).await {
        Ok(seen) => println!("keys: {}", seen.ok),
        Err(e) => println!("keys failed: {e}"),
    }
    match from_source.machine().await {
        Ok(seen) => println!("machine: {}", seen.ok),
        Err(e) => println!("machine failed: {e}"),
    }
    Ok(())
}
