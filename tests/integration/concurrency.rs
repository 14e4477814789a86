//! One client shared by many tasks: nothing lost, nothing duplicated.

use crate::support::{DELETED, respond, serve};
use std::collections::BTreeSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_tasks_through_one_cloned_client() {
    const TASKS: usize = 64;
    const CALLS: usize = 50;
    let server = serve(|_, _| respond(200, &[], DELETED)).await;
    let client = prime_api::Client::builder()
        .base_url(&server.url)
        .bearer_token("pit_test")
        .respect_rate_limits(false)
        .build()
        .unwrap();
    let mut handles = Vec::new();
    for t in 0..TASKS {
        let client = client.clone();
        handles.push(tokio::spawn(async move {
            let mut ok = 0;
            for c in 0..CALLS {
                client
                    .delete_user_image(&format!("t{t}-c{c}"), "v1", None)
                    .await
                    .unwrap();
                ok += 1;
            }
            ok
        }));
    }
    let mut succeeded = 0;
    for h in handles {
        succeeded += h.await.unwrap();
    }
    let seen = server.seen();
    assert_eq!(succeeded, TASKS * CALLS);
    assert_eq!(seen.len(), succeeded, "server count equals client count");
    let distinct: BTreeSet<_> = seen.iter().map(|s| s.path.clone()).collect();
    assert_eq!(
        distinct.len(),
        TASKS * CALLS,
        "no request duplicated or lost"
    );
}
