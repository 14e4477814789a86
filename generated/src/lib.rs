// The crate's docs are its README, then the operations by tag (generated).
#![doc = include_str!("../README.md")]
#![doc = include_str!("operations.md")]
#![deny(missing_docs)]
// A build with some of the API's groups left out (`default-features = false`) still lists
// their operations in these docs, linking to methods it did not compile.
#![cfg_attr(not(feature = "full"), allow(rustdoc::broken_intra_doc_links))]

#[rustfmt::skip]
mod client;
// Not every API needs every helper of the runtime, or re-exports all its types
// (token sources are only for APIs with token schemes).
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
mod runtime;
#[rustfmt::skip]
pub mod types;
#[cfg(feature = "mock")]
#[rustfmt::skip]
pub mod mock;

pub use client::{Client, ClientBuilder, Operation};
pub use runtime::header;
pub use runtime::{AccessToken, TokenError, TokenFuture, TokenSource};
pub use runtime::{Attempt, HookError, ResponseHead};
pub use runtime::{BuildError, Error, RateLimit, ResponseValue};
