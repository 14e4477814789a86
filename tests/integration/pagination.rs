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

// --- Every convention (the features fixture's `pages` operations) -------------------------

/// A client of the features API for `server`, its base URL with a path as servers have.
fn pages_client(server: &crate::support::Server) -> features_api::Client {
    features_api::Client::builder()
        .base_url(format!("{}/v1", server.url))
        .max_retries(0)
        .build()
        .unwrap()
}

fn entry(i: usize) -> serde_json::Value {
    serde_json::json!({"id": format!("e{i}"), "n": i})
}

fn entries(range: std::ops::Range<usize>) -> Vec<serde_json::Value> {
    range.map(entry).collect()
}

fn number(seen: &Seen, name: &str) -> Option<usize> {
    seen.param(name).map(|v| v.parse().unwrap())
}

/// The ids streamed, or the first error's text.
async fn ids<E: std::fmt::Debug>(
    stream: impl futures_util::Stream<Item = Result<features_api::types::Entry, features_api::Error<E>>>,
) -> Vec<Result<String, String>> {
    stream
        .map(|r| r.map(|e| e.id).map_err(|e| e.to_string()))
        .collect()
        .await
}

fn ok_ids(range: std::ops::Range<usize>) -> Vec<Result<String, String>> {
    range.map(|i| Ok(format!("e{i}"))).collect()
}

#[tokio::test]
async fn offset_pages_advance_by_the_items_received_up_to_an_int32_total() {
    // The server caps pages at 3 whatever the limit asked.
    let server = serve(|seen, _| {
        let offset = number(seen, "offset").unwrap();
        let body = serde_json::json!({"items": entries(offset..(offset + 3).min(10)), "total": 10});
        respond(200, &[], body.to_string())
    })
    .await;
    let got = ids(pages_client(&server).pages_by_offset_stream(Some("noon"), 5)).await;
    assert_eq!(got, ok_ids(0..10));
    let offsets: Vec<_> = server
        .seen()
        .iter()
        .map(|s| number(s, "offset").unwrap())
        .collect();
    assert_eq!(offsets, [0, 3, 6, 9], "no request past the total");
    assert!(
        server
            .seen()
            .iter()
            .all(|s| s.param("limit").as_deref() == Some("5")
                // An argument named like the stream's own state keeps its value.
                && s.param("at").as_deref() == Some("noon"))
    );
}

#[tokio::test]
async fn numbered_pages_start_at_the_documented_minimum_and_end_on_a_short_page() {
    let server = serve(|seen, _| {
        let page = number(seen, "page").unwrap();
        let start = page * 3;
        respond(
            200,
            &[],
            serde_json::json!(entries(start..(start + 3).min(8))).to_string(),
        )
    })
    .await;
    let got = ids(pages_client(&server).pages_by_number_stream(Some("odd"), 3)).await;
    assert_eq!(got, ok_ids(0..8));
    let seen = server.seen();
    let pages: Vec<_> = seen.iter().map(|s| number(s, "page").unwrap()).collect();
    assert_eq!(pages, [0, 1, 2], "the short third page is the last");
    assert!(
        seen.iter()
            .all(|s| s.param("kind").as_deref() == Some("odd")
                && s.param("per_page").as_deref() == Some("3"))
    );
}

#[tokio::test]
async fn a_cursor_from_a_nested_field_is_sent_back_until_it_is_null() {
    let server = serve(|seen, _| {
        let at = seen.param("cursor").map_or(0, |c| c[1..].parse().unwrap());
        let end = (at + 2).min(5);
        let next = (end < 5).then(|| format!("c{end}"));
        let body = serde_json::json!({"data": entries(at..end), "meta": {"next_cursor": next}});
        respond(200, &[], body.to_string())
    })
    .await;
    let got = ids(pages_client(&server).pages_by_cursor_stream(2)).await;
    assert_eq!(got, ok_ids(0..5));
    let cursors: Vec<_> = server.seen().iter().map(|s| s.param("cursor")).collect();
    assert_eq!(
        cursors,
        [None, Some("c2".into()), Some("c4".into())],
        "no cursor on the first request"
    );
}

#[tokio::test]
async fn a_server_repeating_a_cursor_ends_the_stream_with_an_error() {
    // Every page names cursor `x` as the next: the second page would repeat forever.
    let server = serve(|seen, n| {
        let body = serde_json::json!({"data": [entry(n)], "meta": {"next_cursor": "x"}});
        let _ = seen;
        respond(200, &[], body.to_string())
    })
    .await;
    let got = ids(pages_client(&server).pages_by_cursor_stream(1)).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[..2], ok_ids(0..2)[..]);
    assert!(
        got[2]
            .as_ref()
            .unwrap_err()
            .contains("names an earlier page"),
        "{got:?}"
    );
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn the_last_id_asks_for_the_next_page_while_has_more() {
    let server = serve(|seen, _| {
        let after = seen
            .param("starting_after")
            .map_or(0, |id| id[1..].parse::<usize>().unwrap() + 1);
        let end = (after + 2).min(6);
        // `has_more` is what ends it: the last page is full.
        let body = serde_json::json!({"data": entries(after..end), "has_more": end < 6});
        respond(200, &[], body.to_string())
    })
    .await;
    let got = ids(pages_client(&server).pages_after_last_stream(2)).await;
    assert_eq!(got, ok_ids(0..6));
    let afters: Vec<_> = server
        .seen()
        .iter()
        .map(|s| s.param("starting_after"))
        .collect();
    assert_eq!(afters, [None, Some("e1".into()), Some("e3".into())]);
}

#[tokio::test]
async fn the_link_headers_next_url_is_followed_as_given() {
    let server = serve(|seen, _| {
        let page = number(seen, "page").unwrap_or(1);
        let start = (page - 1) * 2;
        let end = (start + 2).min(5);
        // Absolute, as GitHub sends them, with the page size the first request asked.
        let link = format!(
            "<{}/v1/pages/link?per_page=2&page={}>; rel=\"next\", </v1/pages/link?page=3>; rel=\"last\"",
            seen.headers["host"].to_str().map(|h| format!("http://{h}")).unwrap(),
            page + 1
        );
        let headers: &[(&str, &str)] = if end < 5 { &[("link", &link)] } else { &[] };
        respond(200, headers, serde_json::json!(entries(start..end)).to_string())
    })
    .await;
    let got = ids(pages_client(&server).pages_by_link_stream(2)).await;
    assert_eq!(got, ok_ids(0..5));
    let queries: Vec<_> = server.seen().iter().map(|s| s.query.clone()).collect();
    assert_eq!(
        queries,
        [
            Some("per_page=2".to_string()),
            Some("per_page=2&page=2".into()),
            Some("per_page=2&page=3".into())
        ]
    );
    assert!(server.seen().iter().all(|s| s.path == "/v1/pages/link"));
}

#[tokio::test]
async fn a_next_page_on_another_server_is_not_followed() {
    let server = serve(|_, _| {
        respond(
            200,
            &[(
                "link",
                "<http://198.51.100.7/v1/pages/link?page=2>; rel=\"next\"",
            )],
            serde_json::json!(entries(0..2)).to_string(),
        )
    })
    .await;
    let got = ids(pages_client(&server).pages_by_link_stream(2)).await;
    assert_eq!(got.len(), 3);
    let error = got[2].as_ref().unwrap_err();
    assert!(error.contains("another server (198.51.100.7)"), "{error}");
    assert_eq!(server.count(), 1, "nothing was sent for the foreign page");
}

#[tokio::test]
async fn a_next_url_in_the_body_is_resolved_against_the_base_url() {
    let server = serve(|seen, _| {
        let at = number(seen, "at").unwrap_or(0);
        let end = (at + 2).min(5);
        // Root-relative, as many servers write it.
        let next = (end < 5).then(|| format!("/v1/pages/next-url?size=2&at={end}"));
        let body = serde_json::json!({"results": entries(at..end), "next": next});
        respond(200, &[], body.to_string())
    })
    .await;
    let got = ids(pages_client(&server).pages_by_next_url_stream(2)).await;
    assert_eq!(got, ok_ids(0..5));
    let queries: Vec<_> = server
        .seen()
        .iter()
        .map(|s| s.query.clone().unwrap())
        .collect();
    assert_eq!(queries, ["size=2", "size=2&at=2", "size=2&at=4"]);
}

#[tokio::test]
async fn an_extension_names_the_parameters_and_fields_of_its_cursor() {
    let server = serve(|seen, _| {
        let at = number(seen, "from").unwrap_or(0);
        let end = (at + 2).min(3);
        let mut body = serde_json::json!({"found": {"entries": entries(at..end), "labels": []}});
        if end < 3 {
            body["continue_from"] = end.to_string().into();
        }
        respond(200, &[], body.to_string())
    })
    .await;
    let got = ids(pages_client(&server).pages_by_extension_stream(2)).await;
    assert_eq!(got, ok_ids(0..3));
    let queries: Vec<_> = server
        .seen()
        .iter()
        .map(|s| s.query.clone().unwrap())
        .collect();
    assert_eq!(queries, ["take=2", "from=2&take=2"]);
}
