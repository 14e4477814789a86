//! Generates the client into OUT_DIR; Cargo runs this again when the document changes.

fn main() {
    openapi_client_gen::build::Build::new("../fixtures/constructs/groups-3.1.yaml")
        .config("openapi-client-gen.toml")
        .deny_warnings(true)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
}
