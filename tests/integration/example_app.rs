//! The example app runs against any base URL: here, a loopback server.

use prime_api::mock::MockServer;
use prime_api::types::{DeleteImageResponse, GenericPaginationResponseListImageResponse};
use std::path::PathBuf;
use std::process::Command;

fn example_binary() -> PathBuf {
    crate::support::workspace_binary(
        "examples/images",
        &["generated/examples", "generated/src"],
        &["-p", "prime-api", "--example", "images"],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_and_deletes_through_the_example() {
    let server = MockServer::start().await;
    let page: GenericPaginationResponseListImageResponse =
        serde_json::from_value(serde_json::json!({"total_count": 1, "data": [{
            "id": "i1", "imageName": "myapp", "imageTag": "v1.0.0",
            "status": "COMPLETED", "createdAt": "2026-01-01T00:00:00"
        }]}))
        .unwrap();
    server
        .list_user_images()
        .team_id("t1")
        .respond(page)
        .times(1);
    server
        .delete_user_image()
        .image_name("myapp")
        .image_tag("v1.0.0")
        .respond(DeleteImageResponse {
            success: true,
            message: "deleted".into(),
        })
        .times(1);
    let url = server.uri();
    let exe = tokio::task::block_in_place(example_binary);
    let run = |args: &[&str]| {
        Command::new(&exe)
            .args(args)
            .env("PRIME_API_KEY", "pit_example")
            .env("PRIME_API_BASE_URL", &url)
            .output()
            .unwrap()
    };
    let list = tokio::task::block_in_place(|| run(&["list", "--team", "t1"]));
    assert!(list.status.success(), "{list:?}");
    assert_eq!(
        String::from_utf8_lossy(&list.stdout),
        "myapp:v1.0.0\tCOMPLETED\n"
    );
    let delete = tokio::task::block_in_place(|| run(&["delete", "myapp:v1.0.0"]));
    assert!(delete.status.success(), "{delete:?}");
    assert_eq!(String::from_utf8_lossy(&delete.stdout), "deleted\n");

    // The expectations matched the team and the image; the token came from the
    // environment.
    let seen = server.requests();
    assert_eq!(seen[1].header_values("authorization"), "Bearer pit_example");

    let no_token = tokio::task::block_in_place(|| {
        Command::new(&exe)
            .arg("list")
            .env_remove("PRIME_API_KEY")
            .output()
            .unwrap()
    });
    assert_eq!(no_token.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_token.stderr).contains("PRIME_API_KEY"));
}

/// The README's code is the code CI runs: its Rust blocks are these files, verbatim.
#[test]
fn the_readme_examples_are_the_files_ci_runs() {
    let root = crate::root();
    let readme = std::fs::read_to_string(root.join("generated/README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```rust\n")
        .skip(1)
        .filter_map(|rest| rest.split_once("```").map(|(code, _)| code))
        .collect();
    for file in [
        "generated/tests/testing_your_app.rs",
        "generated/examples/observability.rs",
    ] {
        let code = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(
            blocks.contains(&code.as_str()),
            "README.md does not show {file} as it is"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_observability_example_shows_spans_retries_and_hooks() {
    let exe = tokio::task::block_in_place(|| {
        crate::support::workspace_binary(
            "examples/observability",
            &["generated/examples", "generated/src"],
            &[
                "-p",
                "prime-api",
                "--features",
                "mock,tracing",
                "--example",
                "observability",
            ],
        )
    });
    let run = tokio::task::block_in_place(|| Command::new(&exe).output().unwrap());
    assert!(run.status.success(), "{run:?}");
    let out = String::from_utf8_lossy(&run.stdout);
    for expected in [
        "attempt 1 answered 503",
        "attempt 2 answered 200",
        "retrying attempt=1 wait_ms=0 reason=\"503\" retry_after=true",
        "url.template=\"/api/v1/images/{image_name}/{image_tag}\"",
        "http.request.resend_count=1",
        "close",
        r#"deleted; 2 responses; request ids ["delete_user_image-1", "delete_user_image-2"]"#,
    ] {
        assert!(out.contains(expected), "no {expected:?} in:\n{out}");
    }
    for secret in ["mock-secret", "/api/v1/images/myapp"] {
        assert!(!out.contains(secret), "{secret:?} in:\n{out}");
    }
}
