//! Async Rust client for the PI API, Prime Intellect's cloud REST API.
//!
//! Generated from `specs/openapi.json` by `cargo xtask codegen`; only this file is written
//! by hand. Every operation is a method on [`Client`]; request and response bodies live in
//! [`types`]; every method returns [`Error`] with the operation's own enum of documented
//! error responses.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = prime_api::Client::builder()
//!     .bearer_token("pit_...")
//!     .build()?;
//! let done = client.delete_user_image("myapp", "v1.0.0", None).await?;
//! println!("{}", done.message);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

#[rustfmt::skip]
mod client;
// Not every API needs every helper of the runtime, or re-exports all its types
// (token sources are only for APIs with token schemes).
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
mod runtime;
#[rustfmt::skip]
pub mod types;

pub use client::{Client, ClientBuilder, Operation};
pub use runtime::header;
pub use runtime::{AccessToken, TokenError, TokenFuture, TokenSource};
pub use runtime::{BuildError, Error, RateLimit, ResponseValue};
