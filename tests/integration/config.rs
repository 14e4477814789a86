//! Client configuration: environment, user agent, secrets kept out of Debug.

use crate::support::{DELETED, respond, serve};
use prime_api::Client;
use std::process::Command;

const CHILD_ENV: &str = "FROM_ENV_CHILD";
const CHILD_TEST: &str = "config::from_env_child";

/// Runs `from_env_child` in a fresh process with the given environment, so no test changes
/// this process's environment while other threads read it.
fn from_env_in_child(vars: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([CHILD_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .env_remove("PRIME_API_KEY")
        .env_remove("PRIME_API_BASE_URL");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "child failed: {out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    stdout
        .lines()
        .find_map(|l| l.split_once("FROM_ENV=").map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("child printed no result:\n{stdout}"))
        .to_string()
}

#[test]
fn from_env_child() {
    if std::env::var(CHILD_ENV).is_err() {
        return;
    }
    match Client::from_env() {
        Ok(client) => println!("FROM_ENV=ok {} {client:?}", client.base_url()),
        Err(e) => println!("FROM_ENV=err {e}"),
    }
}

#[test]
fn from_env_reads_the_token_and_an_optional_base_url() {
    assert_eq!(Client::ENV_API_KEY, "PRIME_API_KEY");
    assert_eq!(Client::ENV_BASE_URL, "PRIME_API_BASE_URL");
    let missing = from_env_in_child(&[]);
    assert!(missing.starts_with("err "), "{missing}");
    assert!(
        missing.contains("PRIME_API_KEY"),
        "the error names the variable: {missing}"
    );

    let ok = from_env_in_child(&[("PRIME_API_KEY", "pit_secret_from_env")]);
    assert!(ok.starts_with("ok https://api.primeintellect.ai "), "{ok}");
    assert!(
        !ok.contains("pit_secret_from_env"),
        "Debug leaks the token: {ok}"
    );

    let local = from_env_in_child(&[
        ("PRIME_API_KEY", "pit_x"),
        ("PRIME_API_BASE_URL", "http://127.0.0.1:9/"),
    ]);
    assert!(local.starts_with("ok http://127.0.0.1:9 "), "{local}");
}

#[tokio::test]
async fn user_agent_defaults_to_the_crate_and_can_be_set() {
    let server = serve(|_, _| respond(200, &[], DELETED)).await;
    let default = Client::builder()
        .base_url(&server.url)
        .bearer_token("pit_test")
        .build()
        .unwrap();
    default.delete_user_image("a", "v1", None).await.unwrap();
    let custom = Client::builder()
        .base_url(&server.url)
        .bearer_token("pit_test")
        .user_agent("my-app/2.0")
        .build()
        .unwrap();
    custom.delete_user_image("a", "v1", None).await.unwrap();
    let seen = server.seen();
    let default_agent = seen[0].user_agent.clone().unwrap();
    let version = default_agent.strip_prefix("prime-api/").unwrap();
    assert!(version.split('.').count() == 3, "{default_agent}");
    assert_eq!(seen[1].user_agent.as_deref(), Some("my-app/2.0"));
    assert_eq!(seen[0].authorization.as_deref(), Some("Bearer pit_test"));
    assert!(Client::builder().user_agent("bad\nagent").build().is_err());
}

#[tokio::test]
async fn a_call_that_needs_a_token_fails_before_sending_when_none_is_set() {
    let server = serve(|_, _| respond(200, &[], DELETED)).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let err = client.delete_user_image("a", "v1", None).await.unwrap_err();
    assert!(
        matches!(&err, prime_api::Error::MissingCredentials(m) if m.contains("`bearer_token` (HTTPBearer)")),
        "{err:?}"
    );
    assert_eq!(err.status(), None);
    assert!(server.seen().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn responses_carry_status_and_headers() {
    let server = serve(|_, _| respond(200, &[("x-ratelimit-remaining", "99")], DELETED)).await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token("pit_test")
        .build()
        .unwrap();
    let response = client
        .delete_user_image_with_response("a", "v1", None)
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-ratelimit-remaining"], "99");
    assert!(response.success, "derefs to the body");
    assert_eq!(response.into_inner().message, "deleted");
}

#[test]
fn the_client_is_cheap_to_share() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Client>();
    assert!(
        std::mem::size_of::<Client>() <= 32,
        "a clone is a pointer and a few flags"
    );
}
