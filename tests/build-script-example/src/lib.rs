//! A client generated at build time: the whole client is one file in `OUT_DIR`, included at
//! the crate root, so its modules are this crate's (`crate::types`, `crate::Client`).

include!(concat!(env!("OUT_DIR"), "/groups_3_1.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    /// The included client works like a generated crate: a client on a base URL, and a
    /// call that reaches the network layer (nothing listens on the port, so it fails with
    /// a transport error, not a compile or decode error).
    #[tokio::test]
    async fn the_included_client_builds_and_calls() {
        let client = Client::builder()
            .base_url("http://127.0.0.1:9")
            .max_retries(0)
            .build()
            .expect("a client on a valid URL");
        assert_eq!(client.base_url(), "http://127.0.0.1:9");
        assert!(!Operation::ALL.is_empty());
        let names: Vec<&str> = Operation::ALL.iter().map(|o| o.name()).collect();
        // The config's names: `list_pets` is `pets`, and the `Pet` schema is `Animal`.
        assert!(
            names.contains(&"pets") && !names.contains(&"list_pets"),
            "{names:?}"
        );
        let page = types::PetPage::default();
        let _: &Option<Vec<types::Animal>> = &page.items;
        // The config's selection left the `owners` operation out.
        assert!(!names.contains(&"list_owners"), "{names:?}");
        let err = client
            .pets(None)
            .await
            .expect_err("nothing listens on port 9");
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    }
}
