//! Integration tests: one binary, one module per concern.

mod architecture;
mod auth;
mod bodies;
mod call_options;
mod changes;
mod cli;
mod client_wire;
mod concurrency;
mod config;
mod config_file;
mod determinism;
mod drift;
mod example_app;
mod failures;
mod forms;
mod fuzz_grammar;
mod groups;
mod hooks;
mod lowering;
mod mock_server;
mod observability;
mod pagination;
mod rate_limits;
mod redirects;
mod retries;
mod robustness;
mod snapshots;
mod spec_errors;
mod streams;
mod support;
mod tolerant;
mod types_decode;
mod uploads;

use std::path::PathBuf;

/// The workspace root, found from this crate's manifest directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the workspace")
        .to_path_buf()
}

/// The PI spec the committed client is generated from.
pub fn pi_spec() -> Vec<u8> {
    std::fs::read(root().join("specs/openapi.json")).expect("specs/openapi.json is committed")
}

/// Settings the tests generate with (the marker text differs from the committed client's).
pub fn settings() -> openapi_client_gen::Settings {
    openapi_client_gen::Settings {
        marker: "test".into(),
        crate_name: "prime-api".into(),
        runtime: Default::default(),
        config: Default::default(),
    }
}
