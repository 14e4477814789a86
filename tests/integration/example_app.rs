//! The example app runs against any base URL: here, a loopback server.

use crate::support::{DELETED, respond, serve};
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
    let server = serve(|seen, _| {
        if seen.method == "DELETE" {
            return respond(200, &[], DELETED);
        }
        let body = serde_json::json!({"total_count": 1, "data": [{
            "id": "i1", "imageName": "myapp", "imageTag": "v1.0.0",
            "status": "COMPLETED", "createdAt": "2026-01-01T00:00:00"
        }]});
        respond(200, &[], body.to_string())
    })
    .await;
    let exe = tokio::task::block_in_place(example_binary);
    let run = |args: &[&str]| {
        Command::new(&exe)
            .args(args)
            .env("PRIME_API_KEY", "pit_example")
            .env("PRIME_API_BASE_URL", &server.url)
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

    let seen = server.seen();
    assert_eq!(seen[0].param("teamId").as_deref(), Some("t1"));
    assert_eq!(seen[1].path, "/api/v1/images/myapp/v1.0.0");
    assert_eq!(seen[1].authorization.as_deref(), Some("Bearer pit_example"));

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
