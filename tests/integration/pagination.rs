//! `_stream` methods walk offset/limit pages and always stop.

use crate::support::{Seen, client, respond, serve};
use futures_util::StreamExt;

fn image(i: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("img-{i}"),
        "imageName": format!("app{i}"),
        "imageTag": "v1",
        "status": "COMPLETED",
        "createdAt": "2026-01-01T00:00:00"
    })
}

/// A page of the list `0..total`, as the server would cut it from offset and limit.
fn page(seen: &Seen, total: usize, reported_total: usize) -> axum::response::Response {
    let offset: usize = seen.param("offset").unwrap().parse().unwrap();
    let limit: usize = seen.param("limit").unwrap().parse().unwrap();
    let items: Vec<_> = (offset..(offset + limit).min(total)).map(image).collect();
    let body = serde_json::json!({
        "total_count": reported_total, "offset": offset, "limit": limit, "data": items
    });
    respond(200, &[], body.to_string())
}

#[tokio::test]
async fn all_items_arrive_in_as_many_requests_as_pages() {
    let server = serve(|seen, _| page(seen, 250, 250)).await;
    let items: Vec<_> = client(&server, 0)
        .list_user_images_stream(Some("team-1"), 100)
        .collect()
        .await;
    let items: Vec<_> = items.into_iter().map(Result::unwrap).collect();
    assert_eq!(items.len(), 250);
    assert_eq!(items[0].id, "img-0");
    assert_eq!(items[249].id, "img-249");
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    let offsets: Vec<_> = seen.iter().map(|s| s.param("offset").unwrap()).collect();
    assert_eq!(offsets, ["0", "100", "200"]);
    assert!(
        seen.iter()
            .all(|s| s.param("limit").as_deref() == Some("100"))
    );
    assert!(
        seen.iter()
            .all(|s| s.param("teamId").as_deref() == Some("team-1"))
    );
}

#[tokio::test]
async fn a_total_that_never_drops_still_terminates() {
    // The server claims 1000 more items than the offset, forever, and always has a full page.
    let server = serve(|seen, _| {
        let offset: usize = seen.param("offset").unwrap().parse().unwrap();
        page(seen, usize::MAX, offset + 1000)
    })
    .await;
    let items: Vec<_> = client(&server, 0)
        .list_user_images_stream(None, 100)
        .collect()
        .await;
    // The first page's total (1000) is the target.
    assert_eq!(items.len(), 1000);
    assert_eq!(server.count(), 10);
}

#[tokio::test]
async fn an_empty_page_ends_the_stream_even_if_the_total_says_more() {
    let server = serve(|seen, _| page(seen, 150, 10_000)).await;
    let items: Vec<_> = client(&server, 0)
        .list_user_images_stream(None, 100)
        .collect()
        .await;
    assert_eq!(items.len(), 150);
    assert_eq!(server.count(), 3, "two pages with items, one empty");
}

#[tokio::test]
async fn an_error_is_yielded_and_ends_the_stream() {
    let server = serve(|seen, n| {
        if n == 0 {
            page(seen, 250, 250)
        } else {
            respond(
                422,
                &[],
                r#"{"errors": [{"param": "limit", "details": "too big"}]}"#,
            )
        }
    })
    .await;
    let items: Vec<_> = client(&server, 0)
        .list_user_images_stream(None, 100)
        .collect()
        .await;
    assert_eq!(items.len(), 101);
    assert!(items[..100].iter().all(Result::is_ok));
    assert_eq!(items[100].as_ref().unwrap_err().status(), Some(422));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_server_ignoring_the_offset_cannot_repeat_pages_forever() {
    // Always the first page, and no total to stop at.
    let server = serve(|_, _| {
        let items: Vec<_> = (0..100).map(image).collect();
        respond(200, &[], serde_json::json!({"data": items}).to_string())
    })
    .await;
    let items: Vec<_> = client(&server, 0)
        .list_user_images_stream(None, 100)
        .collect()
        .await;
    assert_eq!(items.len(), 100, "the repeated page is not yielded again");
    assert_eq!(server.count(), 2);
}
