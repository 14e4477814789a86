//! Documented rate limits become client-side throttling, on tokio's paused clock.

use crate::support::{DELETED, respond, serve};
use prime_api::{Client, Operation};
use std::time::Duration;

fn client(url: &str, respect: bool) -> Client {
    // A plain reqwest client: no timers of its own (pool idle timeouts, request timeouts)
    // for the paused clock to jump to while a request is on the wire.
    let http = reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .unwrap();
    Client::builder()
        .base_url(url)
        .bearer_token("pit_test")
        .with_reqwest_client(http)
        .timeout(Duration::from_secs(86_400 * 365))
        .respect_rate_limits(respect)
        .build()
        .unwrap()
}

#[test]
fn the_documented_limit_is_inspectable() {
    let limit = Operation::DeleteUserImage.rate_limit().unwrap();
    assert_eq!(limit.requests, 100);
    assert_eq!(limit.period, Duration::from_secs(60));
    assert_eq!(
        limit.description,
        "100 requests per 60 seconds per IP and token."
    );
    assert_eq!(Operation::DeleteUserImage.name(), "delete_user_image");
    assert_eq!(Operation::DeleteUserImage.method(), "DELETE");
    assert_eq!(Operation::ALL.len(), 84);
}

#[tokio::test(start_paused = true)]
async fn a_burst_is_spread_to_stay_within_the_limit() {
    let server = serve(|_, _| respond(200, &[], DELETED)).await;
    let client = client(&server.url, true);
    let start = tokio::time::Instant::now();
    for i in 0..150 {
        client
            .delete_user_image(&format!("app{i}"), "v1", None)
            .await
            .unwrap();
    }
    let times: Vec<Duration> = server.seen().iter().map(|s| s.at - start).collect();
    assert_eq!(times.len(), 150);
    // No 60-second window holds more than 100 requests.
    for (i, t) in times.iter().enumerate() {
        let in_window = times[i..]
            .iter()
            .take_while(|u| **u < *t + Duration::from_secs(60))
            .count();
        assert!(
            in_window <= 100,
            "{in_window} requests within 60 s of {t:?}"
        );
    }
    assert!(
        times[99] < Duration::from_secs(1),
        "the first 100 go at once"
    );
    assert!(
        times[100] >= Duration::from_secs(60),
        "the 101st waits for the window"
    );
}

#[tokio::test(start_paused = true)]
async fn limits_can_be_switched_off() {
    let server = serve(|_, _| respond(200, &[], DELETED)).await;
    let client = client(&server.url, false);
    let start = tokio::time::Instant::now();
    for i in 0..150 {
        client
            .delete_user_image(&format!("app{i}"), "v1", None)
            .await
            .unwrap();
    }
    let last = server.seen().last().unwrap().at - start;
    assert!(last < Duration::from_secs(1), "nothing waited: {last:?}");
}

#[tokio::test(start_paused = true)]
async fn clones_share_one_limiter() {
    let server = serve(|_, _| respond(200, &[], DELETED)).await;
    let client = client(&server.url, true);
    let start = tokio::time::Instant::now();
    for i in 0..101 {
        // A fresh clone per call: the limit still holds across them.
        client
            .clone()
            .delete_user_image(&format!("app{i}"), "v1", None)
            .await
            .unwrap();
    }
    let last = server.seen().last().unwrap().at - start;
    assert!(
        last >= Duration::from_secs(60),
        "the 101st call waited: {last:?}"
    );
}
