//! The committed client matches what the generator renders from the committed spec.

#[test]
fn committed_client_is_up_to_date() {
    let stale = xtask::check(&crate::root()).expect("the client renders");
    if !stale.is_empty() {
        let diffs: String = stale.iter().map(|s| s.diff.as_str()).collect();
        panic!("{diffs}\ngenerated client is stale: run `cargo xtask codegen` and commit");
    }
}
