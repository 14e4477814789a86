//! An app's own tests, written as an app developer writes them: against
//! `prime_api::mock::MockServer` only, with the operations' own types. Run with
//! `cargo test -p prime-api --features mock` (the workspace's tests turn `mock` on too).
#![cfg(feature = "mock")]

use prime_api::mock::{DeleteUserImageMock, MockServer, Reply};
use prime_api::types::{
    DeleteImageResponse, DeleteUserImageError, DockerImageCheckRequest, ErrorDetail, ErrorResponse,
};
use prime_api::{Client, Error};
use std::time::{Duration, Instant};

/// The code under test: deletes `name:tag`, and says what happened in a sentence.
async fn remove_image(client: &Client, image: &str) -> Result<String, String> {
    let (name, tag) = image
        .rsplit_once(':')
        .ok_or_else(|| format!("{image} is not NAME:TAG"))?;
    match client.delete_user_image(name, tag, None).await {
        Ok(done) => Ok(done.message),
        Err(Error::Api {
            error: DeleteUserImageError::UnprocessableEntity(body),
            ..
        }) => Err(format!(
            "rejected: {}",
            body.errors
                .iter()
                .map(|e| format!("{} {}", e.param, e.details))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Err(Error::Api {
            error: DeleteUserImageError::Unauthorized,
            ..
        }) => Err("check PRIME_API_KEY".into()),
        Err(other) => Err(format!("failed: {other}")),
    }
}

fn deleted(message: &str) -> DeleteImageResponse {
    DeleteImageResponse {
        success: true,
        message: message.into(),
    }
}

#[tokio::test]
async fn deletes_an_image_with_typed_parameters_and_reply() {
    let server = MockServer::start().await;
    server
        .delete_user_image()
        .image_name("myapp")
        .image_tag("v1")
        .respond(deleted("deleted myapp:v1"))
        .times(1);
    let client = server.client();
    assert_eq!(
        remove_image(&client, "myapp:v1").await,
        Ok("deleted myapp:v1".to_string())
    );
    // The request as the server saw it: credentials sent, path encoded.
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].operation, Some("delete_user_image"));
    assert_eq!(seen[0].method, "DELETE");
    assert_eq!(seen[0].path, "/api/v1/images/myapp/v1");
    assert_eq!(seen[0].header_values("authorization"), "Bearer mock-secret");
    // ... but never in a failing test's output.
    assert!(!format!("{:?}", seen[0]).contains("mock-secret"));
}

#[tokio::test]
async fn documented_errors_reach_the_app_typed() {
    let server = MockServer::start().await;
    server.delete_user_image().image_tag("gone").respond_error(
        DeleteUserImageError::UnprocessableEntity(ErrorResponse {
            errors: vec![ErrorDetail {
                param: "image_tag".into(),
                details: "no such tag".into(),
            }],
        }),
    );
    server
        .delete_user_image()
        .image_name("locked")
        .respond_error(DeleteUserImageError::Unauthorized);
    let client = server.client();
    assert_eq!(
        remove_image(&client, "myapp:gone").await,
        Err("rejected: image_tag no such tag".to_string())
    );
    assert_eq!(
        remove_image(&client, "locked:v1").await,
        Err("check PRIME_API_KEY".to_string())
    );
}

#[tokio::test]
async fn parameters_left_unset_match_anything_and_the_most_specific_wins() {
    let server = MockServer::start().await;
    server.delete_user_image().respond(deleted("any"));
    server
        .delete_user_image()
        .image_name("special")
        .team_id("t1")
        .respond(deleted("special"));
    let client = server.client();
    assert_eq!(remove_image(&client, "other:v1").await.unwrap(), "any");
    let special = client
        .delete_user_image("special", "v1", Some("t1"))
        .await
        .unwrap();
    assert_eq!(special.message, "special");
    // The same name for another team is not the special case.
    let other_team = client
        .delete_user_image("special", "v1", Some("t2"))
        .await
        .unwrap();
    assert_eq!(other_team.message, "any");
}

#[tokio::test]
async fn a_sequence_plays_429_then_200_and_the_client_retries() {
    let server = MockServer::start().await;
    server.delete_user_image().respond_sequence([
        Reply::text(429, "slow down").header("retry-after", "0"),
        DeleteUserImageMock::ok(deleted("after a retry")),
    ]);
    let client = server.client();
    assert_eq!(
        remove_image(&client, "myapp:v1").await.unwrap(),
        "after a retry"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn expectations_used_up_hand_over_to_the_next() {
    let server = MockServer::start().await;
    server
        .delete_user_image()
        .respond_with(Reply::status(503).header("retry-after", "0"))
        .times(2);
    server.delete_user_image().respond(deleted("third time"));
    let client = server.client();
    assert_eq!(
        remove_image(&client, "myapp:v1").await.unwrap(),
        "third time"
    );
}

#[tokio::test]
async fn a_slow_reply_meets_the_apps_timeout() {
    let server = MockServer::start().await;
    server
        .delete_user_image()
        .respond(deleted("late"))
        .delay(Duration::from_millis(400));
    let client = server
        .client_builder()
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client
        .delete_user_image("myapp", "v1", None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport(ref e) if e.is_timeout()),
        "{err:?}"
    );
    assert!(start.elapsed() < Duration::from_millis(400));
    // Patient enough, the same reply arrives.
    let start = Instant::now();
    let done = server
        .client()
        .delete_user_image("myapp", "v1", None)
        .await
        .unwrap();
    assert_eq!(done.message, "late");
    assert!(start.elapsed() >= Duration::from_millis(400));
}

#[tokio::test]
async fn raw_replies_test_what_a_misbehaving_server_sends() {
    let server = MockServer::start().await;
    server.delete_user_image().image_name("html").respond_with(
        Reply::status(502)
            .header("content-type", "text/html")
            .body("<html>bad gateway</html>"),
    );
    server
        .delete_user_image()
        .image_name("truncated")
        .respond_with(Reply::bytes(200, "application/json", r#"{"success": tr"#));
    let client = server.client_builder().max_retries(0).build().unwrap();
    match client.delete_user_image("html", "v1", None).await {
        Err(Error::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(status, 502);
            assert_eq!(&body[..], b"<html>bad gateway</html>");
        }
        other => panic!("expected the 502, got {other:?}"),
    }
    match client.delete_user_image("truncated", "v1", None).await {
        Err(Error::Decode {
            status, body_start, ..
        }) => {
            assert_eq!(status, 200);
            assert_eq!(body_start, r#"{"success": tr"#);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn request_bodies_match_by_typed_value() {
    let server = MockServer::start().await;
    let wanted = DockerImageCheckRequest {
        image: "ubuntu:22.04".into(),
        registry_credentials_id: None,
    };
    server
        .check_docker_image()
        .body(&wanted)
        .respond(serde_json::json!({"ok": true}));
    let client = server.client();
    let answer = client.check_docker_image(&wanted).await.unwrap();
    assert_eq!(answer, serde_json::json!({"ok": true}));
    let other = DockerImageCheckRequest {
        image: "alpine".into(),
        registry_credentials_id: None,
    };
    // A body that differs matches nothing: a 404 from the server, a failed `check`.
    let err = client.check_docker_image(&other).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    let report = server.check().unwrap_err();
    assert!(report.contains("No expectation matched POST"), "{report}");
    assert!(report.contains(r#""image":"alpine""#), "{report}");
    // The recorded body is the typed value again.
    let bodies: Vec<DockerImageCheckRequest> = server
        .requests()
        .iter()
        .map(|r| r.body_json().unwrap())
        .collect();
    assert_eq!(bodies, [wanted, other]);
    server.reset(); // the report was the point; do not fail again on drop
}

#[tokio::test]
async fn an_unmatched_request_gets_a_404_naming_the_closest_expectation() {
    let server = MockServer::start().await;
    server
        .delete_user_image()
        .image_name("myapp")
        .image_tag("v1")
        .respond(deleted("no"))
        .optional();
    let response = reqwest_get(&server, "DELETE", "/api/v1/images/myapp/v2").await;
    assert_eq!(response.0, 404);
    assert!(
        response.1.contains("`delete_user_image`")
            && response
                .1
                .contains("path parameter `image_tag` is \"v2\", not \"v1\""),
        "{}",
        response.1
    );
    server.reset();
}

/// A request the generated client would not send, straight through reqwest.
async fn reqwest_get(server: &MockServer, method: &str, path: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .request(method.parse().unwrap(), format!("{}{path}", server.uri()))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn an_unmet_expectation_is_reported_with_the_closest_requests() {
    let server = MockServer::start().await;
    server
        .delete_user_image()
        .image_name("myapp")
        .image_tag("v1")
        .respond(deleted("deleted"))
        .times(1);
    server
        .get_current_user()
        .respond_with(Reply::status(500))
        .optional();
    let client = server.client_builder().max_retries(0).build().unwrap();
    // The app deletes the wrong tag.
    let _ = client.delete_user_image("myapp", "v2", None).await;
    let report = server.check().unwrap_err();
    assert!(
        report.starts_with("mock server: 1 expectation(s) not met, 1 request(s) matched nothing"),
        "{report}"
    );
    assert!(
        report.contains(
            "`delete_user_image` (DELETE /api/v1/images/{image_name}/{image_tag}) with \
             image_name = \"myapp\", image_tag = \"v1\" expected 1 call(s), got 0."
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "- DELETE /api/v1/images/myapp/v2: path parameter `image_tag` is \"v2\", not \"v1\""
        ),
        "{report}"
    );
    server.reset();
}

#[test]
#[should_panic(expected = "expected 1 call(s), got 0")]
fn dropping_a_server_with_an_unmet_expectation_fails_the_test() {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let server = MockServer::start().await;
            server
                .delete_user_image()
                .respond(deleted("never asked"))
                .times(1);
        });
}

#[tokio::test]
async fn a_met_expectation_verifies_quietly() {
    let server = MockServer::start().await;
    let expectation = server.get_current_user().respond_with(Reply::status(401));
    let err = server.client().get_current_user().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(expectation.hits(), 1);
    server.verify();
}

#[tokio::test]
async fn a_path_fitting_two_templates_belongs_to_the_more_literal_one() {
    let server = MockServer::start().await;
    // `GET /api/v1/pods/{pod_id}` must not answer `GET /api/v1/pods/history`.
    server
        .get_pod()
        .respond_with(Reply::json(200, &serde_json::json!({"id": "p1"})))
        .optional();
    let client = server.client_builder().max_retries(0).build().unwrap();
    let err = client
        .get_pods_history(Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    let report = server.check().unwrap_err();
    assert!(
        report.contains("the request is `get_pods_history`'s, not `get_pod`'s"),
        "{report}"
    );
    server.reset();
}

#[tokio::test]
async fn a_handle_kept_across_reset_names_no_newer_expectation() {
    let server = MockServer::start().await;
    let before = server.get_current_user().respond_with(Reply::status(401));
    server.reset();
    let after = server.get_current_user().respond_with(Reply::status(401));
    let _ = server.client().get_current_user().await;
    assert_eq!(before.hits(), 0);
    assert_eq!(after.hits(), 1);
}

#[tokio::test]
#[should_panic(expected = "a sequence needs at least one reply")]
async fn an_empty_sequence_is_refused() {
    let server = MockServer::start().await;
    server.get_current_user().respond_sequence([]);
}
