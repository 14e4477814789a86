//! The README's "Testing your app" example: an app's test against the mock server.
#![cfg(feature = "mock")]

use prime_api::mock::{DeleteUserImageMock, MockServer, Reply};
use prime_api::types::{DeleteImageResponse, DeleteUserImageError, ErrorDetail, ErrorResponse};
use prime_api::{Client, Error};

/// The app's code under test.
async fn remove_image(client: &Client, name: &str, tag: &str) -> Result<String, String> {
    match client.delete_user_image(name, tag, None).await {
        Ok(done) => Ok(done.message),
        Err(Error::Api {
            error: DeleteUserImageError::UnprocessableEntity(body),
            ..
        }) => Err(body
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.param, e.details))
            .collect()),
        Err(other) => Err(other.to_string()),
    }
}

fn deleted(message: &str) -> DeleteImageResponse {
    DeleteImageResponse {
        success: true,
        message: message.into(),
    }
}

#[tokio::test]
async fn removes_images() {
    let server = MockServer::start().await;
    // Typed parameters and a typed reply, expected exactly once.
    server
        .delete_user_image()
        .image_name("myapp")
        .image_tag("v1")
        .respond(deleted("deleted"))
        .times(1);
    // A documented error, sent with its status (422).
    server.delete_user_image().image_tag("gone").respond_error(
        DeleteUserImageError::UnprocessableEntity(ErrorResponse {
            errors: vec![ErrorDetail {
                param: "image_tag".into(),
                details: "no such tag".into(),
            }],
        }),
    );
    // A sequence: rate limited once (the client waits and retries), then served.
    server
        .delete_user_image()
        .image_name("busy")
        .respond_sequence([
            Reply::text(429, "slow down").header("retry-after", "0"),
            DeleteUserImageMock::ok(deleted("deleted after a retry")),
        ]);
    let client = server.client();

    assert_eq!(
        remove_image(&client, "myapp", "v1").await,
        Ok("deleted".into())
    );
    assert_eq!(
        remove_image(&client, "myapp", "gone").await,
        Err("image_tag: no such tag".into())
    );
    assert_eq!(
        remove_image(&client, "busy", "v1").await,
        Ok("deleted after a retry".into())
    );

    // Every request the server saw, for assertions of your own.
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[0].path, "/api/v1/images/myapp/v1");
    // Dropping the server checks that every expectation was met; `verify` does it now.
    server.verify();
}
