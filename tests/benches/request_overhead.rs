//! Request overhead of the generated client: `delete_user_image` and `list_user_images`
//! through `prime_api::Client`, beside the same requests made by hand with reqwest and
//! serde_json, against an axum server on loopback.
//!
//! `cargo bench -p integration-tests --bench request_overhead`
//!
//! Both sides share one `reqwest::Client` (one keep-alive pool, warmed before measuring), send
//! the same request (path, query, `Authorization`, `User-Agent`, per-request timeout; the
//! server refuses a different one) and decode the body with `serde_json::from_slice` into the
//! same `prime_api::types` type, so decoding costs the same on both sides and only the client
//! path differs: rate limiting, the retry loop, request preparation, copying the response.
//!
//! The generated client runs with its defaults: two retries and documented rate limits
//! respected. The limiter is on and is consulted on every call, but never makes a call wait:
//! `delete_user_image` is documented at 100 and `list_user_images` at 300 requests per 60
//! seconds, so calls are timed in batches of at most (limit − 1), each on a freshly built
//! `prime_api::Client` (fresh limiters, same shared `reqwest::Client`), the build left out of
//! the timing. The by-hand side is timed in the same batches. Outside the timing the bench
//! checks that the limiter does hold the call after the limit, that no timed call waited (a
//! batch in which one waited would last a whole rate-limit period) and that no call was
//! retried (the server saw exactly as many requests as were made).
//!
//! The server has a runtime of its own; the timed loops run as tasks on the client's
//! multi-thread runtime. After criterion's two functions, the bench measures the two sides
//! once more in alternation (see `Interleaved`), with the client side's CPU time beside
//! the wall time, because criterion's one-after-the-other figures move with whatever else
//! the machine is doing.
//!
//! Nothing here asserts a duration; criterion prints its figures, and after each group
//! lines compare the two sides.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::serve::ListenerExt;
use criterion::{Criterion, criterion_group, criterion_main};
use prime_api::Operation;
use prime_api::types::{
    DeleteImageResponse, GenericPaginationResponseListImageResponse, ImageResponse,
};

const TOKEN: &str = "pit_0123456789abcdef0123456789abcdef";
const IMAGE_NAME: &str = "my-app";
const IMAGE_TAG: &str = "v1.0.0";
/// Images per page of `list_user_images`.
const PAGE_SIZE: usize = 20;
/// The query the generated client and the by-hand code both send for the first page.
const LIST_QUERY: &str = "offset=0&limit=20";
/// The generated client's `User-Agent` (its crate name and version); the by-hand side sends
/// the same, and the server refuses any other, so a version bump shows up at once.
const GENERATED_USER_AGENT: &str = "prime-api/0.1.0";
/// The generated client's default whole-request timeout, set per request; the by-hand side
/// sets the same (a request without a timeout is not the same request path).
const TIMEOUT: Duration = Duration::from_secs(60);
/// The generated client's default connect timeout, for the shared `reqwest::Client`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Calls per batch for an operation without a documented rate limit.
const UNLIMITED_BATCH: u64 = 1_000;

// ---------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------

struct ServerState {
    /// Requests received, whatever their answer.
    requests: AtomicU64,
    /// Connections accepted.
    connections: Arc<AtomicU64>,
    authorization: HeaderValue,
    user_agent: HeaderValue,
    /// The JSON of the first page of images, encoded once.
    page: Bytes,
}

impl ServerState {
    /// `Some(refusal)` unless the request carries the token and the generated client's
    /// user agent.
    fn refuse(&self, headers: &HeaderMap) -> Option<Response> {
        if headers.get(AUTHORIZATION) != Some(&self.authorization) {
            return Some(StatusCode::UNAUTHORIZED.into_response());
        }
        if headers.get(USER_AGENT) != Some(&self.user_agent) {
            let seen = headers
                .get(USER_AGENT)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            return Some(
                (
                    StatusCode::BAD_REQUEST,
                    format!("expected User-Agent {GENERATED_USER_AGENT}, got {seen:?}"),
                )
                    .into_response(),
            );
        }
        None
    }
}

fn json(body: impl Into<Bytes>) -> Response {
    ([(CONTENT_TYPE, "application/json")], body.into()).into_response()
}

/// `DELETE /api/v1/images/{image_name}/{image_tag}`
async fn delete_image(
    State(state): State<Arc<ServerState>>,
    Path((name, tag)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    state.requests.fetch_add(1, Ordering::Relaxed);
    if let Some(refusal) = state.refuse(&headers) {
        return refusal;
    }
    if name != IMAGE_NAME || tag != IMAGE_TAG {
        return (StatusCode::NOT_FOUND, format!("no image {name}:{tag}")).into_response();
    }
    let body = serde_json::json!({
        "success": true,
        "message": format!("Image {name}:{tag} deleted successfully"),
    });
    json(body.to_string())
}

/// `GET /api/v1/images`
async fn list_images(
    State(state): State<Arc<ServerState>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    state.requests.fetch_add(1, Ordering::Relaxed);
    if let Some(refusal) = state.refuse(&headers) {
        return refusal;
    }
    if query.as_deref() != Some(LIST_QUERY) {
        return (
            StatusCode::BAD_REQUEST,
            format!("expected query {LIST_QUERY}, got {query:?}"),
        )
            .into_response();
    }
    json(state.page.clone())
}

/// A first page of `list_user_images` as the API sends it: every field of `ImageResponse`
/// present (null where it does not apply), a mix of statuses, artifact types and owners.
fn image_page() -> serde_json::Value {
    let statuses = ["COMPLETED", "COMPLETED", "COMPLETED", "BUILDING", "FAILED"];
    let data: Vec<serde_json::Value> = (0..PAGE_SIZE)
        .map(|i| {
            let status = statuses[i % statuses.len()];
            let team = (i % 4 == 3).then(|| format!("cm{:022x}", 0x7ea3_0000_u64 + i as u64));
            let owner = team.as_deref().map_or_else(|| "cm5x2k9q80000abcdusr01".to_string(), |t| format!("team-{t}"));
            let name = format!("service-{i:02}");
            let tag = format!("v1.{}.{}", i / 3, i % 3);
            let done = status != "BUILDING";
            serde_json::json!({
                "id": format!("cm6b{:020x}", 0x00c0_ffee_u64 * (i as u64 + 1)),
                "artifactType": if i % 6 == 5 { "VM_SANDBOX" } else { "CONTAINER_IMAGE" },
                "imageName": name,
                "imageTag": tag,
                "status": status,
                "fullImagePath": done.then(|| format!(
                    "us-central1-docker.pkg.dev/prime-intellect-images/user-images/{owner}/{name}:{tag}"
                )),
                "errorMessage": (status == "FAILED").then_some(
                    "Step 7/12 : RUN pip install -r requirements.txt returned a non-zero code: 1"
                ),
                "sizeBytes": done.then_some(734_003_200_i64 + 1_048_576 * i as i64),
                "visibility": if i % 5 == 2 { "PUBLIC" } else { "PRIVATE" },
                "createdAt": format!("2025-06-{:02}T09:{:02}:17.482913", 1 + i, i * 2),
                "startedAt": format!("2025-06-{:02}T09:{:02}:21.104552", 1 + i, i * 2),
                "completedAt": done.then(|| format!("2025-06-{:02}T09:{:02}:48.930117", 1 + i, i * 2 + 3)),
                "pushedAt": (status == "COMPLETED").then(|| format!("2025-06-{:02}T09:{:02}:52.011284", 1 + i, i * 2 + 3)),
                "teamId": team,
                "ownerType": if team.is_some() { "team" } else { "personal" },
                "displayRef": format!("{owner}/{name}:{tag}"),
            })
        })
        .collect();
    serde_json::json!({
        "total_count": 137,
        "offset": 0,
        "limit": PAGE_SIZE,
        "data": data,
        "status": "success",
    })
}

struct Server {
    url: String,
    state: Arc<ServerState>,
    /// The server's own runtime, so its work never runs on the client runtime's workers.
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    fn requests(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }

    fn connections(&self) -> u64 {
        self.state.connections.load(Ordering::Relaxed)
    }
}

fn start_server() -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("bench-server")
        .on_thread_start(cpu::register_server_thread)
        .enable_all()
        .build()
        .expect("server runtime");
    let connections = Arc::new(AtomicU64::new(0));
    let mut authorization =
        HeaderValue::from_str(&format!("Bearer {TOKEN}")).expect("token is a header value");
    authorization.set_sensitive(true);
    let state = Arc::new(ServerState {
        requests: AtomicU64::new(0),
        connections: connections.clone(),
        authorization,
        user_agent: HeaderValue::from_static(GENERATED_USER_AGENT),
        page: Bytes::from(serde_json::to_vec(&image_page()).expect("page encodes")),
    });
    let app = Router::new()
        .route("/api/v1/images", get(list_images))
        .route(
            "/api/v1/images/{image_name}/{image_tag}",
            delete(delete_image),
        )
        .with_state(state.clone());
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local address");
    let listener = listener.tap_io(move |tcp| {
        connections.fetch_add(1, Ordering::Relaxed);
        // What a production server does; without it Nagle's algorithm can meet delayed ACKs.
        let _ = tcp.set_nodelay(true);
    });
    runtime.spawn(async move { axum::serve(listener, app).await.expect("server runs") });
    Server {
        url: format!("http://{addr}"),
        state,
        _runtime: runtime,
    }
}

// ---------------------------------------------------------------------------------------
// The two clients
// ---------------------------------------------------------------------------------------

/// The `reqwest::Client` both sides send through: what the generated client builds for
/// itself by default (its only setting is the connect timeout; plain HTTP needs no TLS).
fn shared_http() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .expect("reqwest client")
}

/// The generated client with its default settings (2 retries, rate limits respected),
/// sending through the shared pool. Each one has fresh rate limiters.
fn generated(base_url: &str, http: &reqwest::Client) -> prime_api::Client {
    prime_api::Client::builder()
        .base_url(base_url)
        .bearer_token(TOKEN)
        .with_reqwest_client(http.clone())
        .build()
        .expect("client builds")
}

/// Path segments keep RFC 3986 unreserved characters and percent-encode the rest, as the
/// generated client does.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The same requests written by hand: reqwest to send, a status check, `bytes()` and
/// `serde_json::from_slice` into the same response types the generated client decodes into.
/// The `Authorization` value is built once, as the generated client does, so this is the
/// leanest reasonable hand-written path, not a strawman.
/// Cloned like `prime_api::Client`: one reference count.
#[derive(Clone)]
struct ByHand(Arc<ByHandInner>);

struct ByHandInner {
    http: reqwest::Client,
    base_url: String,
    authorization: HeaderValue,
}

impl std::ops::Deref for ByHand {
    type Target = ByHandInner;

    fn deref(&self) -> &ByHandInner {
        &self.0
    }
}

impl ByHand {
    fn new(base_url: &str, http: &reqwest::Client) -> ByHand {
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {TOKEN}")).expect("token is a header value");
        authorization.set_sensitive(true);
        ByHand(Arc::new(ByHandInner {
            http: http.clone(),
            base_url: base_url.to_string(),
            authorization,
        }))
    }

    /// Sends, checks the status and returns the body.
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Bytes, String> {
        let response = request
            .header(USER_AGENT, HeaderValue::from_static(GENERATED_USER_AGENT))
            .header(AUTHORIZATION, self.authorization.clone())
            .timeout(TIMEOUT)
            .send()
            .await
            .map_err(|e| format!("transport: {e}"))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| format!("transport: {e}"))?;
        if !status.is_success() {
            return Err(format!(
                "status {status}: {}",
                String::from_utf8_lossy(&body)
            ));
        }
        Ok(body)
    }

    async fn delete_user_image(
        &self,
        image_name: &str,
        image_tag: &str,
    ) -> Result<DeleteImageResponse, String> {
        let url = format!(
            "{}/api/v1/images/{}/{}",
            self.base_url,
            percent_encoding::utf8_percent_encode(image_name, SEGMENT),
            percent_encoding::utf8_percent_encode(image_tag, SEGMENT),
        );
        let body = self.send(self.http.delete(url)).await?;
        serde_json::from_slice(&body).map_err(|e| format!("decode: {e}"))
    }

    async fn list_user_images(
        &self,
        offset: i64,
        limit: i64,
    ) -> Result<GenericPaginationResponseListImageResponse, String> {
        let url = format!("{}/api/v1/images", self.base_url);
        let body = self
            .send(
                self.http
                    .get(url)
                    .query(&[("offset", offset), ("limit", limit)]),
            )
            .await?;
        serde_json::from_slice(&body).map_err(|e| format!("decode: {e}"))
    }
}

// ---------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------

/// CPU time of the client side: the whole process's, less the server threads'.
mod cpu {
    #[cfg(unix)]
    use std::sync::Mutex;
    use std::time::Duration;

    /// CPU clocks of the server runtime's threads, registered as they start.
    #[cfg(unix)]
    static SERVER_CLOCKS: Mutex<Vec<libc::clockid_t>> = Mutex::new(Vec::new());

    /// Registers the calling thread as a server thread (`on_thread_start` of its runtime).
    pub fn register_server_thread() {
        #[cfg(unix)]
        {
            let mut clock: libc::clockid_t = 0;
            // SAFETY: `pthread_self` is the calling thread, alive; `clock` is writable.
            if unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut clock) } == 0 {
                SERVER_CLOCKS
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(clock);
            }
        }
    }

    #[cfg(unix)]
    fn read(clock: libc::clockid_t) -> Duration {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec.
        if unsafe { libc::clock_gettime(clock, &mut ts) } != 0 {
            return Duration::ZERO;
        }
        Duration::new(
            u64::try_from(ts.tv_sec).unwrap_or(0),
            u32::try_from(ts.tv_nsec).unwrap_or(0),
        )
    }

    /// CPU time the process has spent so far outside the server's threads (zero where
    /// there are no per-thread CPU clocks).
    pub fn client() -> Duration {
        #[cfg(unix)]
        {
            let server: Duration = SERVER_CLOCKS
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .map(|&c| read(c))
                .sum();
            read(libc::CLOCK_PROCESS_CPUTIME_ID).saturating_sub(server)
        }
        #[cfg(not(unix))]
        {
            Duration::ZERO
        }
    }
}

/// How an operation is measured: the most calls one client may make before its limiter
/// would hold one, and the period a held call would wait out.
#[derive(Clone, Copy)]
struct Batching {
    calls: u64,
    period: Duration,
}

impl Batching {
    fn for_operation(operation: Operation) -> Batching {
        match operation.rate_limit() {
            Some(limit) => Batching {
                calls: u64::from(limit.requests.saturating_sub(1)).max(1),
                period: limit.period,
            },
            None => Batching {
                calls: UNLIMITED_BATCH,
                period: Duration::MAX,
            },
        }
    }
}

/// Calls made and time spent in the timed part of one side.
#[derive(Default)]
struct Tally {
    calls: AtomicU64,
    nanos: AtomicU64,
}

/// One side of a comparison: how to build a client for a batch, and one call with it. Each
/// call gets a clone of the batch's client (one reference count on either side), so the
/// call's future owns what it uses and the timed loop can run as a task.
#[derive(Clone)]
struct Side<P, F> {
    setup: P,
    call: F,
    tally: Arc<Tally>,
}

impl<S, P, F, Fut> Side<P, F>
where
    S: Clone + Send + Sync + 'static,
    P: Fn() -> S + Clone + Send + Sync + 'static,
    F: Fn(S) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output: Send> + Send + 'static,
{
    /// Times `iters` calls, in batches of at most `batching.calls`.
    async fn timed(self, iters: u64, batching: Batching) -> Duration {
        let mut total = Duration::ZERO;
        let mut left = iters;
        while left > 0 {
            let n = left.min(batching.calls);
            total += self.batch(n, batching).await.0;
            left -= n;
        }
        total
    }

    /// Times `n` calls on a fresh client that is built and dropped outside the timing:
    /// wall time, and the CPU time the client side of the process spent meanwhile.
    async fn batch(&self, n: u64, batching: Batching) -> (Duration, Duration) {
        let client = (self.setup)();
        let cpu_start = cpu::client();
        let start = Instant::now();
        for _ in 0..n {
            black_box((self.call)(client.clone()).await);
        }
        let elapsed = start.elapsed();
        let cpu = cpu::client().saturating_sub(cpu_start);
        drop(client);
        // Not a performance assertion: a call the limiter held waits until the first call of
        // its window is a whole period old, so a batch with one cannot end sooner.
        assert!(
            elapsed < batching.period,
            "a batch of {n} calls took {elapsed:?}: the rate limiter made a call wait"
        );
        self.tally.calls.fetch_add(n, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.tally.nanos.fetch_add(nanos, Ordering::Relaxed);
        (elapsed, cpu)
    }

    /// `timed` as a task on the client runtime, where application code runs; criterion's
    /// `block_on` only waits for it.
    fn timed_task(
        &self,
        rt: &tokio::runtime::Runtime,
        iters: u64,
        batching: Batching,
    ) -> impl Future<Output = Duration> + use<S, P, F, Fut> {
        let task = rt.spawn(self.clone().timed(iters, batching));
        async move { task.await.expect("the timed task completes") }
    }
}

/// Rounds of the interleaved comparison, and calls per batch in each.
const INTERLEAVED_ROUNDS: usize = 300;
const INTERLEAVED_BATCH: u64 = 50;

/// The two sides measured in alternation: per round one batch of each, the order swapped
/// every round. Criterion measures one function after the other, so anything else the
/// machine does in between (another build, a noisy neighbour) lands on one side only;
/// here both sides of a round run within milliseconds of each other, and the ratio is taken
/// per round.
///
/// Beside wall time it records the CPU time the client side of the process spent (the
/// process's CPU time less the server threads'): on a busy machine wall time also counts
/// waiting for a core, CPU time mostly does not.
#[derive(Debug)]
struct Interleaved {
    rounds: usize,
    calls_per_batch: u64,
    /// Medians over rounds of the wall time per call, in µs.
    prime_api_us: f64,
    by_hand_us: f64,
    /// Quartiles of the per-round wall-time ratio prime_api / by hand.
    ratio: [f64; 3],
    /// Medians over rounds of the client CPU time per call, in µs.
    prime_api_cpu_us: f64,
    by_hand_cpu_us: f64,
    /// Quartiles of the per-round client-CPU ratio prime_api / by hand.
    cpu_ratio: [f64; 3],
}

fn quartiles(mut values: Vec<f64>) -> [f64; 3] {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    [at(0.25), at(0.5), at(0.75)]
}

fn interleaved<SG, PG, FG, FutG, SH, PH, FH, FutH>(
    rt: &tokio::runtime::Runtime,
    batching: Batching,
    generated: &Side<PG, FG>,
    by_hand: &Side<PH, FH>,
) -> Interleaved
where
    SG: Clone + Send + Sync + 'static,
    PG: Fn() -> SG + Clone + Send + Sync + 'static,
    FG: Fn(SG) -> FutG + Clone + Send + Sync + 'static,
    FutG: Future<Output: Send> + Send + 'static,
    SH: Clone + Send + Sync + 'static,
    PH: Fn() -> SH + Clone + Send + Sync + 'static,
    FH: Fn(SH) -> FutH + Clone + Send + Sync + 'static,
    FutH: Future<Output: Send> + Send + 'static,
{
    let n = INTERLEAVED_BATCH.min(batching.calls);
    let (generated, by_hand) = (generated.clone(), by_hand.clone());
    let (ours, theirs) = rt.block_on(async move {
        rt_task(async move {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            for round in 0..INTERLEAVED_ROUNDS {
                if round % 2 == 0 {
                    ours.push(generated.batch(n, batching).await);
                    theirs.push(by_hand.batch(n, batching).await);
                } else {
                    theirs.push(by_hand.batch(n, batching).await);
                    ours.push(generated.batch(n, batching).await);
                }
            }
            (ours, theirs)
        })
        .await
    });
    let per_call = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
    let median = |times: &[(Duration, Duration)], pick: fn(&(Duration, Duration)) -> Duration| {
        quartiles(times.iter().map(|t| per_call(pick(t))).collect())[1]
    };
    let ratios = |pick: fn(&(Duration, Duration)) -> Duration| {
        let r = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| pick(a).as_secs_f64() / pick(b).as_secs_f64());
        quartiles(r.collect())
    };
    let wall = |t: &(Duration, Duration)| t.0;
    let cpu = |t: &(Duration, Duration)| t.1;
    Interleaved {
        rounds: INTERLEAVED_ROUNDS,
        calls_per_batch: n,
        prime_api_us: median(&ours, wall),
        by_hand_us: median(&theirs, wall),
        ratio: ratios(wall),
        prime_api_cpu_us: median(&ours, cpu),
        by_hand_cpu_us: median(&theirs, cpu),
        cpu_ratio: ratios(cpu),
    }
}

/// Runs `future` as a task on the current runtime.
async fn rt_task<T: Send + 'static>(future: impl Future<Output = T> + Send + 'static) -> T {
    tokio::spawn(future).await.expect("the task completes")
}

/// Checks, outside any timing, that both sides decode the same answer, and that the
/// generated client's limiter is really on: with `limit` calls made, the next one is held
/// (the server never sees it).
fn preflight(rt: &tokio::runtime::Runtime, server: &Server, http: &reqwest::Client) {
    let by_hand = ByHand::new(&server.url, http);
    rt.block_on(async {
        let client = generated(&server.url, http);
        let deleted = client
            .delete_user_image(IMAGE_NAME, IMAGE_TAG, None)
            .await
            .expect("generated delete_user_image");
        let deleted_by_hand = by_hand
            .delete_user_image(IMAGE_NAME, IMAGE_TAG)
            .await
            .expect("by-hand delete_user_image");
        assert_eq!(deleted, deleted_by_hand);
        assert!(deleted.success);

        let page = client
            .list_user_images(None, Some(0), Some(PAGE_SIZE as i64))
            .await
            .expect("generated list_user_images");
        let page_by_hand = by_hand
            .list_user_images(0, PAGE_SIZE as i64)
            .await
            .expect("by-hand list_user_images");
        assert_eq!(page, page_by_hand);
        assert_eq!(page.data.len(), PAGE_SIZE);
        assert_eq!(page.total_count, Some(137));
        let some = |field: fn(&ImageResponse) -> bool| page.data.iter().any(field);
        assert!(
            some(|i| i.artifact_type.is_some())
                && some(|i| i.full_image_path.is_some())
                && some(|i| i.error_message.is_some())
                && some(|i| i.size_bytes.is_some())
                && some(|i| i.visibility.is_some())
                && some(|i| i.started_at.is_some())
                && some(|i| i.completed_at.is_some())
                && some(|i| i.pushed_at.is_some())
                && some(|i| i.team_id.is_some())
                && some(|i| i.owner_type.is_some())
                && some(|i| i.display_ref.is_some()),
            "the page gives every optional field of an image a value somewhere"
        );

        for operation in [Operation::DeleteUserImage, Operation::ListUserImages] {
            let Some(limit) = operation.rate_limit() else {
                continue;
            };
            let client = generated(&server.url, http);
            let call = async || match operation {
                Operation::DeleteUserImage => client
                    .delete_user_image(IMAGE_NAME, IMAGE_TAG, None)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string()),
                _ => client
                    .list_user_images(None, Some(0), Some(PAGE_SIZE as i64))
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string()),
            };
            for _ in 0..limit.requests {
                call().await.expect("calls within the limit");
            }
            let before = server.requests();
            let held = tokio::time::timeout(Duration::from_millis(200), call()).await;
            assert!(
                held.is_err() && server.requests() == before,
                "{operation:?}: call {} was not held by the rate limiter",
                limit.requests + 1
            );
        }
    });
}

/// Where criterion writes its results, found the way criterion finds it.
fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir).join("criterion"),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion"),
    }
}

/// Criterion's mean for `group/function` in µs, if it wrote one in this run.
fn criterion_mean_us(group: &str, function: &str, since: SystemTime) -> Option<f64> {
    let path = criterion_home()
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let fresh = std::fs::metadata(&path).and_then(|m| m.modified()).ok()? >= since;
    if !fresh {
        return None;
    }
    let estimates: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    Some(estimates["mean"]["point_estimate"].as_f64()? / 1_000.0)
}

fn tally_mean_us(tally: &Tally) -> Option<f64> {
    let calls = tally.calls.load(Ordering::Relaxed);
    (calls > 0).then(|| tally.nanos.load(Ordering::Relaxed) as f64 / calls as f64 / 1_000.0)
}

/// "prime_api X µs vs by hand Y µs: overhead Z%", from criterion's estimates of this run,
/// else from the bench's own tally (which includes warm-up), then the interleaved figures.
fn summary(
    group: &str,
    since: SystemTime,
    generated: &Tally,
    by_hand: &Tally,
    paired: Option<&Interleaved>,
) -> String {
    if !full_run() {
        return format!("{group}: one call each (test mode), nothing measured");
    }
    let (ours, theirs, source) = match (
        criterion_mean_us(group, "prime_api", since),
        criterion_mean_us(group, "reqwest_by_hand", since),
    ) {
        (Some(a), Some(b)) => (Some(a), Some(b), "criterion means"),
        _ => (
            tally_mean_us(generated),
            tally_mean_us(by_hand),
            "own tally, warm-up included",
        ),
    };
    let criterion = match (ours, theirs) {
        (Some(a), Some(b)) => format!(
            "{group}: prime_api {a:.2} µs vs by hand {b:.2} µs: overhead {:+.1}% ({source})",
            (a / b - 1.0) * 100.0
        ),
        _ => format!("{group}: not measured by criterion in this run"),
    };
    let Some(paired) = paired else {
        return criterion;
    };
    let [q1, median, q3] = paired.ratio.map(|r| (r - 1.0) * 100.0);
    let [c1, cpu_median, c3] = paired.cpu_ratio.map(|r| (r - 1.0) * 100.0);
    let extra_cpu = paired.prime_api_cpu_us - paired.by_hand_cpu_us;
    format!(
        "{criterion}\n{group}: prime_api {:.2} µs vs by hand {:.2} µs: overhead {median:+.1}% \
         (interleaved: median of {} paired batches of {} calls, quartiles {q1:+.1}% to {q3:+.1}%)\n\
         {group}: client CPU per call: prime_api {:.2} µs vs by hand {:.2} µs: {cpu_median:+.1}% \
         (quartiles {c1:+.1}% to {c3:+.1}%); the extra {extra_cpu:.2} µs is {:+.1}% of by hand's wall time",
        paired.prime_api_us,
        paired.by_hand_us,
        paired.rounds,
        paired.calls_per_batch,
        paired.prime_api_cpu_us,
        paired.by_hand_cpu_us,
        extra_cpu / paired.by_hand_us * 100.0,
    )
}

/// Writes the interleaved figures beside criterion's, for `xtask::overhead`.
fn save(group: &str, paired: &Interleaved) {
    let value = serde_json::json!({
        "rounds": paired.rounds,
        "calls_per_batch": paired.calls_per_batch,
        "prime_api_median_us": paired.prime_api_us,
        "by_hand_median_us": paired.by_hand_us,
        "ratio_quartiles": paired.ratio,
        "prime_api_cpu_median_us": paired.prime_api_cpu_us,
        "by_hand_cpu_median_us": paired.by_hand_cpu_us,
        "cpu_ratio_quartiles": paired.cpu_ratio,
    });
    let dir = criterion_home().join(group);
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("interleaved.json"), value.to_string()));
    if let Err(e) = written {
        eprintln!(
            "could not write {}: {e}",
            dir.join("interleaved.json").display()
        );
    }
}

/// Benchmarks one operation on both sides, checks that nothing was retried, and returns the
/// summary lines.
fn compare<FG, FutG, FH, FutH>(
    c: &mut Criterion,
    rt: &tokio::runtime::Runtime,
    server: &Server,
    http: &reqwest::Client,
    operation: Operation,
    since: SystemTime,
    (generated_call, by_hand_call): (FG, FH),
) -> String
where
    FG: Fn(prime_api::Client) -> FutG + Clone + Send + Sync + 'static,
    FutG: Future<Output: Send> + Send + 'static,
    FH: Fn(ByHand) -> FutH + Clone + Send + Sync + 'static,
    FutH: Future<Output: Send> + Send + 'static,
{
    let name = operation.name();
    let batching = Batching::for_operation(operation);
    let (url, pool) = (server.url.clone(), http.clone());
    let generated_side = Side {
        setup: move || generated(&url, &pool),
        call: generated_call,
        tally: Arc::default(),
    };
    let by_hand = ByHand::new(&server.url, http);
    let by_hand_side = Side {
        setup: move || by_hand.clone(),
        call: by_hand_call,
        tally: Arc::default(),
    };

    let sent_before = server.requests();
    let mut group = c.benchmark_group(name);
    group.bench_function("prime_api", |b| {
        b.to_async(rt)
            .iter_custom(|iters| generated_side.timed_task(rt, iters, batching))
    });
    group.bench_function("reqwest_by_hand", |b| {
        b.to_async(rt)
            .iter_custom(|iters| by_hand_side.timed_task(rt, iters, batching))
    });
    group.finish();
    let paired = full_run().then(|| interleaved(rt, batching, &generated_side, &by_hand_side));
    if let Some(paired) = &paired {
        save(name, paired);
    }

    let calls = generated_side.tally.calls.load(Ordering::Relaxed)
        + by_hand_side.tally.calls.load(Ordering::Relaxed);
    assert_eq!(
        server.requests() - sent_before,
        calls,
        "{name}: the server saw more requests than were made, so some were retried"
    );
    summary(
        name,
        since,
        &generated_side.tally,
        &by_hand_side.tally,
        paired.as_ref(),
    )
}

/// Whether criterion measures (`cargo bench`), rather than running each benchmark once
/// (`cargo test --benches`, `--test`), profiling or listing: only then is the interleaved
/// comparison worth its seconds.
fn full_run() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench")
        && !args
            .iter()
            .any(|a| a == "--test" || a == "--list" || a.starts_with("--profile-time"))
}

fn request_overhead(c: &mut Criterion) {
    let since = SystemTime::now();
    let server = start_server();
    // The client side: a multi-thread runtime with a worker per core, as an application
    // would use; the timed loops run as tasks on it.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .thread_name("bench-client")
        .enable_all()
        .build()
        .expect("client runtime");
    let http = shared_http();
    preflight(&rt, &server, &http);

    let delete = compare(
        c,
        &rt,
        &server,
        &http,
        Operation::DeleteUserImage,
        since,
        (
            |client: prime_api::Client| async move {
                client
                    .delete_user_image(IMAGE_NAME, IMAGE_TAG, None)
                    .await
                    .expect("generated delete_user_image")
            },
            |by_hand: ByHand| async move {
                by_hand
                    .delete_user_image(IMAGE_NAME, IMAGE_TAG)
                    .await
                    .expect("by-hand delete_user_image")
            },
        ),
    );
    println!("{delete}");
    let list = compare(
        c,
        &rt,
        &server,
        &http,
        Operation::ListUserImages,
        since,
        (
            |client: prime_api::Client| async move {
                client
                    .list_user_images(None, Some(0), Some(PAGE_SIZE as i64))
                    .await
                    .expect("generated list_user_images")
            },
            |by_hand: ByHand| async move {
                by_hand
                    .list_user_images(0, PAGE_SIZE as i64)
                    .await
                    .expect("by-hand list_user_images")
            },
        ),
    );
    println!("{list}");

    println!();
    println!(
        "Request overhead ({} connection(s) accepted for {} requests):",
        server.connections(),
        server.requests()
    );
    for line in delete.lines().chain(list.lines()) {
        println!("  {line}");
    }
}

criterion_group!(benches, request_overhead);
criterion_main!(benches);
