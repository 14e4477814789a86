//! Unit tests of the runtime's parts on their own: no server, no generated crate. The wire
//! behaviour (retries against a real socket, rate limits across calls, decoding generated
//! types) is tested end to end in `tests/integration/`.

use super::*;
use futures_util::StreamExt;
use reqwest::header::AUTHORIZATION;

static LIMITED: RateLimit = RateLimit {
    requests: 2,
    period: Duration::from_secs(10),
    description: "2 requests per 10 seconds.",
};

/// One scheme, a bearer token: the shape of most APIs.
static API: Api = Api {
    user_agent: "test-api/1.0",
    default_base_url: Some("https://api.example.com/v1/"),
    schemes: &[Scheme {
        name: "BearerAuth",
        setter: "bearer_token",
        env: "TEST_API_KEY",
        place: Place::Authorization("Bearer"),
        token_url: None,
    }],
    env_base_url: "TEST_API_BASE_URL",
    operations: &[
        OperationInfo {
            name: "list_things",
            method: "GET",
            path: "/things",
            rate_limit: None,
            idempotency_header: None,
            security: &[&[0]],
            accept: Some("application/json"),
            redirects: &[],
        },
        OperationInfo {
            name: "make_thing",
            method: "POST",
            path: "/things",
            rate_limit: Some(LIMITED),
            idempotency_header: Some("Idempotency-Key"),
            security: &[&[0]],
            accept: None,
            redirects: &[],
        },
        OperationInfo {
            name: "health",
            method: "GET",
            path: "/health",
            rate_limit: None,
            idempotency_header: None,
            security: &[],
            accept: None,
            redirects: &[],
        },
    ],
};

static NO_SERVER: Api = Api {
    user_agent: "test-api/1.0",
    default_base_url: None,
    schemes: &[],
    env_base_url: "U",
    operations: &[],
};

/// Every kind of scheme, and operations whose requirements combine them.
static SCHEMES: Api = Api {
    user_agent: "test-api/1.0",
    default_base_url: Some("https://api.example.com"),
    schemes: &[
        Scheme {
            name: "bearerAuth",
            setter: "bearer_token",
            env: "T_BEARER",
            place: Place::Authorization("Bearer"),
            token_url: None,
        },
        Scheme {
            name: "apiKey",
            setter: "api_key",
            env: "T_API_KEY",
            place: Place::Header("X-Api-Key"),
            token_url: None,
        },
        Scheme {
            name: "appKey",
            setter: "app_key",
            env: "T_APP_KEY",
            place: Place::Query("app_key"),
            token_url: None,
        },
        Scheme {
            name: "session",
            setter: "session",
            env: "T_SESSION",
            place: Place::Cookie("sid"),
            token_url: None,
        },
        Scheme {
            name: "basic",
            setter: "basic_auth",
            env: "T_BASIC",
            place: Place::Authorization("Basic"),
            token_url: None,
        },
        Scheme {
            name: "oauth",
            setter: "oauth2_token",
            env: "T_OAUTH",
            place: Place::Authorization("Bearer"),
            token_url: Some("/oauth/token"),
        },
    ],
    env_base_url: "T_BASE_URL",
    operations: &[
        OperationInfo {
            name: "keys_or_basic",
            method: "GET",
            path: "/a",
            rate_limit: None,
            idempotency_header: None,
            // Two keys together, or Basic.
            security: &[&[1, 2], &[4]],
            accept: None,
            redirects: &[],
        },
        OperationInfo {
            name: "optional",
            method: "GET",
            path: "/b",
            rate_limit: None,
            idempotency_header: None,
            security: &[&[0], &[]],
            accept: None,
            redirects: &[],
        },
    ],
};

// --- Retry-After -------------------------------------------------------------------------

fn headers_with_retry_after(value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
    headers
}

#[test]
fn retry_after_reads_delta_seconds() {
    assert_eq!(
        retry_after(&headers_with_retry_after("120")),
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        retry_after(&headers_with_retry_after(" 0 ")),
        Some(Duration::ZERO)
    );
}

#[test]
fn retry_after_reads_an_http_date() {
    let later = SystemTime::now() + Duration::from_secs(90);
    let d = retry_after(&headers_with_retry_after(&httpdate::fmt_http_date(later))).unwrap();
    // The date has one-second resolution and time passes between the two lines.
    assert!(
        d > Duration::from_secs(85) && d <= Duration::from_secs(90),
        "{d:?}"
    );
}

#[test]
fn retry_after_in_the_past_means_now() {
    let d = retry_after(&headers_with_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
    assert_eq!(d, Some(Duration::ZERO));
}

#[test]
fn retry_after_ignores_what_it_cannot_read() {
    assert_eq!(retry_after(&HeaderMap::new()), None);
    assert_eq!(retry_after(&headers_with_retry_after("soon")), None);
    assert_eq!(retry_after(&headers_with_retry_after("-5")), None);
    assert_eq!(retry_after(&headers_with_retry_after("1.5")), None);
}

// --- Backoff -----------------------------------------------------------------------------

#[test]
fn backoff_stays_within_its_doubling_ceiling() {
    for attempt in 1..=40u32 {
        let ceiling = BACKOFF_BASE
            .saturating_mul(1u32 << (attempt - 1).min(16))
            .min(BACKOFF_CAP);
        for _ in 0..200 {
            let d = backoff(attempt);
            assert!(d <= ceiling, "attempt {attempt}: {d:?} > {ceiling:?}");
        }
    }
    assert!(backoff(1) <= Duration::from_millis(500));
    assert!(
        backoff(0) <= Duration::from_millis(500),
        "attempt 0 must not underflow"
    );
    assert!(backoff(u32::MAX) <= BACKOFF_CAP);
}

#[test]
fn backoff_is_jittered_over_the_whole_range() {
    // Full jitter: over many draws the waits spread across [0, ceiling], not bunched at it.
    let draws: Vec<Duration> = (0..2000).map(|_| backoff(3)).collect();
    let ceiling = Duration::from_secs(2);
    assert!(draws.iter().any(|d| *d < ceiling / 4), "no short waits");
    assert!(draws.iter().any(|d| *d > ceiling * 3 / 4), "no long waits");
    let mean = draws.iter().sum::<Duration>() / draws.len() as u32;
    assert!(
        mean > ceiling * 2 / 5 && mean < ceiling * 3 / 5,
        "mean {mean:?}"
    );
}

// --- Limiter -----------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn limiter_admits_n_per_window_and_no_burst_across_windows() {
    let limiter = Limiter::default();
    let start = tokio::time::Instant::now();
    let mut admitted = Vec::new();
    for _ in 0..7 {
        limiter.acquire(LIMITED).await;
        admitted.push(start.elapsed());
    }
    let secs: Vec<u64> = admitted.iter().map(|d| d.as_secs()).collect();
    assert_eq!(secs, [0, 0, 10, 10, 20, 20, 30]);
    // A sliding window: no period anywhere holds more than `requests` admissions.
    for (i, t) in admitted.iter().enumerate() {
        let in_window = admitted[i..]
            .iter()
            .filter(|u| **u - *t < LIMITED.period)
            .count();
        assert!(in_window <= 2, "{admitted:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn limiter_forgets_admissions_older_than_the_period() {
    let limiter = Limiter::default();
    limiter.acquire(LIMITED).await;
    tokio::time::sleep(Duration::from_secs(9)).await;
    limiter.acquire(LIMITED).await;
    let start = tokio::time::Instant::now();
    // The first admission leaves the window at t = 10 s, one second from now.
    limiter.acquire(LIMITED).await;
    assert_eq!(start.elapsed(), Duration::from_secs(1));
}

// --- Pagination --------------------------------------------------------------------------

const COUNTED: Paging = Paging {
    counted: true,
    short_page_ends: false,
};
const LINKED: Paging = Paging {
    counted: false,
    short_page_ends: false,
};

/// Every item (errors as text) and every page asked for, of a list whose page at `at` is
/// `page(at)`.
async fn collect<S: PartialEq + Clone>(
    first: S,
    paging: Paging,
    page: impl Fn(&S) -> Result<Page<u32, S>, Error<()>>,
) -> (Vec<Result<u32, String>>, Vec<S>) {
    let asked = std::sync::Mutex::new(Vec::new());
    let items = pages(first, paging, |at: S| {
        asked.lock().unwrap().push(at.clone());
        std::future::ready(page(&at))
    })
    .map(|r| r.map_err(|e| e.to_string()))
    .collect::<Vec<_>>()
    .await;
    (items, asked.into_inner().unwrap())
}

fn range(offset: i64, limit: i64, end: i64) -> Vec<u32> {
    (offset..(offset + limit).min(end))
        .map(|i| i as u32)
        .collect()
}

/// An offset list of `end` items, pages of 2, ending where a total of `total` is reached.
fn offset_page(offset: i64, end: i64, total: Option<i64>) -> Page<u32, i64> {
    let items = range(offset, 2, end);
    let next = offset + items.len() as i64;
    Page {
        next: total.is_none_or(|t| next < t).then_some(next),
        items,
    }
}

#[tokio::test]
async fn pages_stop_when_a_page_names_no_next_one() {
    let (items, asked) = collect(0, COUNTED, |&o| Ok(offset_page(o, 100, Some(5)))).await;
    assert_eq!(
        items,
        (0..6).map(Ok).collect::<Vec<_>>(),
        "the last page is read whole"
    );
    assert_eq!(asked, [0, 2, 4]);
}

#[tokio::test]
async fn pages_stop_at_an_empty_page() {
    let (items, asked) = collect(0, COUNTED, |&o| Ok(offset_page(o, 7, None))).await;
    assert_eq!(items.len(), 7);
    assert_eq!(asked, [0, 2, 4, 6, 7]);
}

#[tokio::test]
async fn counted_pages_stop_when_the_server_ignores_the_parameter() {
    let (items, asked) = collect(0, COUNTED, |&o| {
        Ok(Page {
            items: vec![1, 2],
            next: Some(o + 2),
        })
    })
    .await;
    assert_eq!(items, [Ok(1), Ok(2)]);
    assert_eq!(asked.len(), 2);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error_after_the_items() {
    // a -> b -> a: the third page would be the first again.
    let (items, asked) = collect("a".to_string(), LINKED, |at| {
        Ok(Page {
            items: vec![if at == "a" { 1 } else { 2 }],
            next: Some(if at == "a" { "b" } else { "a" }.to_string()),
        })
    })
    .await;
    assert_eq!(
        items,
        [
            Ok(1),
            Ok(2),
            Err("the pages do not end: page 2 names an earlier page as the next one".into())
        ]
    );
    assert_eq!(asked, ["a", "b"]);
}

#[tokio::test]
async fn linked_pages_may_start_with_equal_items() {
    // Scalars repeat in real lists; only counted conventions read that as a stuck server.
    let (items, _) = collect(0, LINKED, |&at| {
        Ok(Page {
            items: vec![7],
            next: (at < 2).then_some(at + 1),
        })
    })
    .await;
    assert_eq!(items, [Ok(7), Ok(7), Ok(7)]);
}

#[tokio::test]
async fn a_page_shorter_than_an_earlier_one_ends_numbered_pages() {
    let paging = Paging {
        counted: true,
        short_page_ends: true,
    };
    // Pages of 3 (the server's cap), the last one short: no request past it.
    let (items, asked) = collect(1, paging, |&n| {
        Ok(Page {
            items: range((n - 1) * 3, 3, 8),
            next: Some(n + 1),
        })
    })
    .await;
    assert_eq!(items.len(), 8);
    assert_eq!(asked, [1, 2, 3]);
}

#[tokio::test]
async fn pages_yield_an_error_once_and_end() {
    let (items, asked) = collect(0, COUNTED, |&o| {
        if o == 0 {
            Ok(offset_page(o, 100, None))
        } else {
            Err(Error::InvalidRequest("page two".into()))
        }
    })
    .await;
    assert_eq!(
        items,
        [Ok(0), Ok(1), Err("invalid request: page two".into())]
    );
    assert_eq!(asked.len(), 2);
}

fn link_headers(values: &[&str]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for v in values {
        headers.append(reqwest::header::LINK, HeaderValue::from_str(v).unwrap());
    }
    headers
}

#[test]
fn next_link_reads_rfc_8288_headers() {
    let cases: &[(&[&str], Option<&str>)] = &[
        // GitHub's form.
        (
            &[
                r#"<https://api.example.com/r?page=2>; rel="next", <https://api.example.com/r?page=5>; rel="last""#,
            ],
            Some("https://api.example.com/r?page=2"),
        ),
        // Several relation types, other parameters first, a token value, odd spacing.
        (
            &[r#"</a?p=1>; rel=prev,</a?p=3> ;title="x, y; z" ; REL="last NEXT""#],
            Some("/a?p=3"),
        ),
        // A comma inside a target and an escaped quote inside a title.
        (
            &[r#"</a?x=1,2>; title="say \"next\""; rel="next""#],
            Some("/a?x=1,2"),
        ),
        // The next link in a second header.
        (
            &[r#"</first>; rel="first""#, r#"</second>; rel="next""#],
            Some("/second"),
        ),
        // `nextpage` and `prev` are other relation types; none is next.
        (&[r#"</n>; rel="nextpage", </p>; rel="prev""#], None),
        // Not a Link header at all.
        (&["garbage"], None),
        (&[], None),
    ];
    for (values, expected) in cases {
        assert_eq!(
            next_link(&link_headers(values)).as_deref(),
            *expected,
            "{values:?}"
        );
    }
}

// --- Path segments and cookies -------------------------------------------------------------

#[test]
fn a_path_parameter_is_always_exactly_one_segment() {
    assert_eq!(path_segment("id", "abc-1.2_~").unwrap(), "abc-1.2_~");
    assert_eq!(path_segment("id", "a/b").unwrap(), "a%2Fb");
    assert_eq!(path_segment("id", "../admin").unwrap(), "..%2Fadmin");
    assert_eq!(path_segment("id", "x?y#z%").unwrap(), "x%3Fy%23z%25");
    assert_eq!(
        path_segment("id", "héllo wörld").unwrap(),
        "h%C3%A9llo%20w%C3%B6rld"
    );
}

#[test]
fn path_parameters_that_would_change_the_route_are_refused() {
    for value in ["", ".", ".."] {
        let err = path_segment("image_tag", value).unwrap_err();
        match err {
            SendError::InvalidRequest(m) => assert!(m.contains("image_tag"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_cookie_value_cannot_add_a_cookie() {
    assert_eq!(
        cookie_pair("session", "a; admin=1"),
        "session=a%3B%20admin%3D1"
    );
    assert_eq!(cookie_pair("s", "plain"), "s=plain");
}

// --- Builder -------------------------------------------------------------------------------

#[test]
fn the_builder_uses_the_documented_server_without_its_trailing_slash() {
    let core = Builder::new(&API).build().unwrap();
    assert_eq!(core.base_url(), "https://api.example.com/v1");
    let core = Builder::new(&API)
        .base_url("http://127.0.0.1:9/prefix//")
        .build()
        .unwrap();
    assert_eq!(core.base_url(), "http://127.0.0.1:9/prefix");
}

#[test]
fn the_builder_refuses_base_urls_that_cannot_be_prefixes() {
    let message = |b: Builder| b.build().unwrap_err().to_string();
    assert!(message(Builder::new(&NO_SERVER)).contains("names no server"));
    assert!(message(Builder::new(&API).base_url("ftp://x")).contains("must be http or https"));
    assert!(message(Builder::new(&API).base_url("http://x/?a=1")).contains("without query"));
    assert!(message(Builder::new(&API).base_url("not a url")).contains("not a valid URL"));
}

#[test]
fn the_builder_refuses_header_breaking_values_without_echoing_them() {
    let err = Builder::new(&API)
        .secret(0, "secret\nX-Evil: 1")
        .build()
        .unwrap_err();
    assert!(!err.to_string().contains("secret"), "{err}");
    assert!(
        err.to_string().contains("`bearer_token` (BearerAuth)"),
        "{err}"
    );
    for builder in [
        Builder::new(&SCHEMES).secret(1, "zq\rzq"),
        Builder::new(&SCHEMES).secret(3, "zq;zq"),
        Builder::new(&SCHEMES).basic_auth(4, "zq:zq", Some("zqzq".into())),
    ] {
        let err = builder.build().unwrap_err().to_string();
        assert!(!err.contains("zq"), "{err}");
        assert!(err.starts_with("the credential for `"), "{err}");
    }
    let err = Builder::new(&API).user_agent("a\r\nb").build().unwrap_err();
    assert!(err.to_string().contains("user agent"), "{err}");
}

#[test]
fn debug_output_names_the_schemes_set_and_never_shows_a_secret() {
    let builder = Builder::new(&SCHEMES)
        .secret(0, "supersecret0")
        .secret(1, "supersecret1")
        .secret(2, "supersecret2")
        .secret(3, "supersecret3")
        .basic_auth(4, "superuser", Some("supersecret4".into()))
        .client_credentials(5, "superid", "supersecret5", &["read"]);
    for text in [
        format!("{builder:?}"),
        format!("{:?}", builder.build().unwrap()),
    ] {
        assert!(!text.contains("super"), "{text}");
        assert!(
            text.contains(
                r#"credentials: ["bearerAuth", "apiKey", "appKey", "session", "basic", "oauth"]"#
            ),
            "{text}"
        );
    }
    let token = AccessToken::new("supersecret").expires_in(Duration::from_secs(5));
    assert!(!format!("{token:?}").contains("super"));
}

#[test]
fn from_env_requires_a_credential_and_reads_an_optional_base_url() {
    use std::env::VarError;
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
                .ok_or(VarError::NotPresent)
        }
    };
    let err = Builder::from_vars(&API, vars(&[])).unwrap_err();
    assert!(err.to_string().contains("TEST_API_KEY"), "{err}");
    let err = Builder::from_vars(&API, vars(&[("TEST_API_KEY", "  ")])).unwrap_err();
    assert!(err.to_string().contains("TEST_API_KEY"), "{err}");
    let core = Builder::from_vars(&API, vars(&[("TEST_API_KEY", "t")]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(core.base_url(), "https://api.example.com/v1");
    let core = Builder::from_vars(
        &API,
        vars(&[
            ("TEST_API_KEY", "t"),
            ("TEST_API_BASE_URL", "http://localhost:1"),
        ]),
    )
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(core.base_url(), "http://localhost:1");
    // Several schemes: any one set will do; Basic is `user:password`.
    let err = Builder::from_vars(&SCHEMES, vars(&[])).unwrap_err();
    assert!(err.to_string().contains("T_BEARER, T_API_KEY"), "{err}");
    let builder = Builder::from_vars(
        &SCHEMES,
        vars(&[("T_BASIC", "ann:pa:ss"), ("T_APP_KEY", "k")]),
    )
    .unwrap();
    assert!(
        matches!(&builder.credentials[4], Some(auth::Credential::Basic(u, Some(p))) if u == "ann" && p == "pa:ss")
    );
    assert!(matches!(&builder.credentials[2], Some(auth::Credential::Secret(k)) if k == "k"));
    assert!(builder.credentials[0].is_none());
    let ok = Builder::from_vars(&NO_SERVER, vars(&[]));
    assert!(ok.is_ok(), "an API without schemes needs no variable");
    let not_unicode = |_: &str| Err(VarError::NotUnicode(Default::default()));
    assert!(
        Builder::from_vars(&API, not_unicode)
            .unwrap_err()
            .to_string()
            .contains("UTF-8")
    );
}

#[test]
fn policy_clones_share_the_connection_and_change_only_their_policy() {
    let core = Builder::new(&API).max_retries(5).build().unwrap();
    let other = core
        .with_non_idempotent_retries()
        .with_max_retries(1)
        .with_max_retry_after(Duration::from_secs(3));
    assert!(Arc::ptr_eq(&core.inner, &other.inner));
    assert_eq!(core.policy.max_retries, 5);
    assert!(!core.policy.retry_non_idempotent);
    assert_eq!(other.policy.max_retries, 1);
    assert!(other.policy.retry_non_idempotent);
    assert_eq!(other.policy.max_retry_after, Duration::from_secs(3));
    assert_eq!(core.inner.limiters.len(), API.operations.len());
}

fn request(operation: usize) -> Request {
    Request {
        operation,
        method: reqwest::Method::GET,
        path: "/things/a%2Fb".into(),
        query: vec![("q".into(), "a b&c".into()), ("q".into(), "2".into())],
        headers: vec![
            ("x-trace", "1".into()),
            ("cookie", "a=1".into()),
            ("cookie", "b=2".into()),
        ],
        body: None,
    }
}

/// The request `core` would send for `operation`, with the credentials it would choose.
async fn prepared(core: &Core, operation: usize) -> Result<reqwest::Request, SendError> {
    let info = core.inner.api.operations[operation];
    let credentials = &core.inner.credentials;
    let requirement = auth::choose(info.security, |s| credentials[s].is_some())
        .ok_or_else(|| auth::missing(info.name, info.security, core.inner.api.schemes))?;
    let applied = auth::apply(requirement, credentials, &[]).await?;
    core.prepare(&request(operation), &applied).await
}

#[tokio::test]
async fn prepare_encodes_the_request_and_applies_auth_only_where_the_operation_takes_it() {
    let core = Builder::new(&API).secret(0, "tok").build().unwrap();
    let prepared_request = prepared(&core, 0).await.unwrap();
    assert_eq!(
        prepared_request.url().as_str(),
        "https://api.example.com/v1/things/a%2Fb?q=a+b%26c&q=2"
    );
    let headers = prepared_request.headers();
    assert_eq!(headers[AUTHORIZATION], "Bearer tok");
    assert!(headers[AUTHORIZATION].is_sensitive());
    assert_eq!(headers[USER_AGENT], "test-api/1.0");
    assert_eq!(headers["x-trace"], "1");
    assert_eq!(headers[reqwest::header::COOKIE], "a=1; b=2");
    // `security: []`: nothing, even with a token set.
    let public = prepared(&core, 2).await.unwrap();
    assert!(public.headers().get(AUTHORIZATION).is_none());
}

#[tokio::test]
async fn requests_accept_the_media_types_the_operation_reads_unless_told_otherwise() {
    use reqwest::header::ACCEPT;
    let core = Builder::new(&API).secret(0, "tok").build().unwrap();
    let r = prepared(&core, 0).await.unwrap();
    assert_eq!(r.headers().get_all(ACCEPT).iter().count(), 1);
    assert_eq!(r.headers()[ACCEPT], "application/json");
    // An operation with no response body says nothing.
    let r = prepared(&core, 2).await.unwrap();
    assert!(r.headers().get(ACCEPT).is_none());
    // The client's own header replaces it rather than joining it.
    let own = core.with_header(ACCEPT, HeaderValue::from_static("text/csv"));
    let r = prepared(&own, 0).await.unwrap();
    assert_eq!(r.headers().get_all(ACCEPT).iter().count(), 1);
    assert_eq!(r.headers()[ACCEPT], "text/csv");
    // So does the request's own (a streamed response's, an `Accept` parameter's).
    let info = core.inner.api.operations[0];
    let credentials = &core.inner.credentials;
    let requirement = auth::choose(info.security, |s| credentials[s].is_some()).unwrap();
    let applied = auth::apply(requirement, credentials, &[]).await.unwrap();
    let mut own = request(0);
    own.headers.push(("accept", "text/event-stream".into()));
    let r = core.prepare(&own, &applied).await.unwrap();
    assert_eq!(r.headers().get_all(ACCEPT).iter().count(), 1);
    assert_eq!(r.headers()[ACCEPT], "text/event-stream");
}

#[tokio::test]
async fn the_first_requirement_whose_credentials_are_all_set_is_applied() {
    // Both keys set: the first requirement, both keys, and no Basic.
    let core = Builder::new(&SCHEMES)
        .secret(1, "k1")
        .secret(2, "k 2")
        .secret(3, "c3")
        .basic_auth(4, "ann", Some("pw".into()))
        .build()
        .unwrap();
    let r = prepared(&core, 0).await.unwrap();
    assert_eq!(r.headers()["x-api-key"], "k1");
    assert!(r.headers()["x-api-key"].is_sensitive());
    assert!(
        r.url().as_str().ends_with("?q=a+b%26c&q=2&app_key=k+2"),
        "{}",
        r.url()
    );
    assert!(r.headers().get(AUTHORIZATION).is_none());
    // Only one of the two keys: the first requirement is not met, so Basic.
    let core = Builder::new(&SCHEMES)
        .secret(1, "k1")
        .basic_auth(4, "ann", Some("pw".into()))
        .build()
        .unwrap();
    let r = prepared(&core, 0).await.unwrap();
    assert_eq!(r.headers()[AUTHORIZATION], "Basic YW5uOnB3");
    assert!(r.headers().get("x-api-key").is_none());
    // Neither: an error before sending that names what would do.
    let core = Builder::new(&SCHEMES).secret(1, "k1").build().unwrap();
    let Err(SendError::MissingCredentials(message)) = prepared(&core, 0).await else {
        panic!("expected missing credentials");
    };
    assert_eq!(
        message,
        "`keys_or_basic` needs credentials and none it accepts are set; set `api_key` (apiKey) and `app_key` (appKey), or `basic_auth` (basic) on the builder"
    );
    // Optional auth: sent when set, left out when not.
    let r = prepared(&core, 1).await.unwrap();
    assert!(r.headers().get(AUTHORIZATION).is_none());
}

#[tokio::test]
async fn a_cookie_key_joins_the_cookie_parameters_in_one_sensitive_header() {
    static COOKIE: Api = Api {
        operations: &[OperationInfo {
            name: "c",
            method: "GET",
            path: "/c",
            rate_limit: None,
            idempotency_header: None,
            security: &[&[3]],
            accept: None,
            redirects: &[],
        }],
        ..SCHEMES
    };
    let core = Builder::new(&COOKIE).secret(3, "s3").build().unwrap();
    let r = prepared(&core, 0).await.unwrap();
    assert_eq!(r.headers()[reqwest::header::COOKIE], "sid=s3; a=1; b=2");
    assert!(r.headers()[reqwest::header::COOKIE].is_sensitive());
}

#[tokio::test]
async fn per_call_options_change_only_the_clone_they_are_set_on() {
    let core = Builder::new(&API).secret(0, "tok").build().unwrap();
    let tuned = core
        .with_timeout(Duration::from_secs(600))
        .with_header(
            header::HeaderName::from_static("x-request-id"),
            header::HeaderValue::from_static("r-1"),
        )
        .with_header(
            header::HeaderName::from_static("x-signature"),
            header::HeaderValue::from_static("supersecret"),
        );
    let r = prepared(&tuned, 0).await.unwrap();
    assert_eq!(r.timeout(), Some(&Duration::from_secs(600)));
    assert_eq!(r.headers()["x-request-id"], "r-1");
    assert_eq!(
        r.headers()["x-trace"],
        "1",
        "the operation's own headers stay"
    );
    let shown = format!("{tuned:?}");
    assert!(
        shown.contains(r#"extra_headers: ["x-request-id", "x-signature"]"#),
        "{shown}"
    );
    assert!(!shown.contains("supersecret"), "{shown}");
    // The original is untouched.
    let r = prepared(&core, 0).await.unwrap();
    assert_eq!(r.timeout(), Some(&DEFAULT_TIMEOUT));
    assert!(r.headers().get("x-request-id").is_none());
}

#[test]
fn a_documented_idempotency_header_gets_a_key_and_makes_the_request_retryable() {
    let core = Builder::new(&API).build().unwrap();
    let post = |headers: Vec<(&'static str, String)>| Request {
        operation: 1,
        method: reqwest::Method::POST,
        path: "/things".into(),
        query: Vec::new(),
        headers,
        body: None,
    };
    let info = Some(&API.operations[1]);
    // None given: a random key in the documented header.
    let mut request = post(Vec::new());
    assert!(core.idempotency_key(&mut request, info));
    let [(name, key)] = request.headers.as_slice() else {
        panic!("one header: {:?}", request.headers);
    };
    assert_eq!(*name, "Idempotency-Key");
    assert_eq!(key.len(), 36, "{key}");
    assert_eq!(&key[14..15], "4", "version 4: {key}");
    assert!("89ab".contains(&key[19..20]), "variant: {key}");
    let mut other = post(Vec::new());
    core.idempotency_key(&mut other, info);
    assert_ne!(other.headers[0].1, *key, "each call its own key");
    // The caller's parameter wins, as does a key set on the clone over a generated one.
    let mut given = post(vec![("idempotency-key", "mine".into())]);
    assert!(core.idempotency_key(&mut given, info));
    assert_eq!(given.headers, [("idempotency-key", "mine".to_string())]);
    let keyed = core.with_idempotency_key("k-1");
    let mut request = post(Vec::new());
    assert!(keyed.idempotency_key(&mut request, info));
    assert_eq!(request.headers, [("Idempotency-Key", "k-1".to_string())]);
    // An operation that documents no header: only an explicit key is sent, and it does
    // not make retries safe.
    let undocumented = Some(&API.operations[0]);
    let mut request = post(Vec::new());
    assert!(!core.idempotency_key(&mut request, undocumented));
    assert!(request.headers.is_empty());
    assert!(!keyed.idempotency_key(&mut request, undocumented));
    assert_eq!(request.headers, [("idempotency-key", "k-1".to_string())]);
}

#[test]
fn choose_follows_or_across_requirements_and_and_within_one() {
    let set = |ids: &'static [usize]| move |s: usize| ids.contains(&s);
    assert_eq!(auth::choose(&[], set(&[])), Some(&[][..]));
    assert_eq!(auth::choose(&[&[0]], set(&[])), None);
    assert_eq!(auth::choose(&[&[0], &[]], set(&[])), Some(&[][..]));
    assert_eq!(auth::choose(&[&[0, 1], &[2]], set(&[0, 2])), Some(&[2][..]));
    assert_eq!(
        auth::choose(&[&[0, 1], &[2]], set(&[0, 1, 2])),
        Some(&[0, 1][..])
    );
    assert_eq!(auth::choose(&[&[0, 1], &[2]], set(&[1])), None);
}

#[test]
fn a_token_source_is_only_for_authorization_schemes_and_client_credentials_need_a_token_url() {
    let err = Builder::new(&SCHEMES)
        .token_source(1, || async { Ok(AccessToken::new("t")) })
        .build()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`api_key` (apiKey) is a token source"),
        "{err}"
    );
    let err = Builder::new(&SCHEMES)
        .client_credentials(0, "id", "secret", &[])
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("documents no token URL"), "{err}");
    assert!(!err.to_string().contains("secret"), "{err}");
    Builder::new(&SCHEMES)
        .client_credentials(5, "id", "secret", &[])
        .build()
        .unwrap();
}

/// A source counting its calls, handing out `t1`, `t2`, ... with `lifetime`.
fn counting_source(
    lifetime: Option<Duration>,
) -> (
    Arc<std::sync::atomic::AtomicUsize>,
    impl TokenSource + 'static,
) {
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = calls.clone();
    let source = move || {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        async move {
            let token = AccessToken::new(format!("t{n}"));
            Ok(match lifetime {
                Some(l) => token.expires_in(l),
                None => token,
            })
        }
    };
    (calls, source)
}

#[tokio::test(start_paused = true)]
async fn a_source_token_is_kept_until_shortly_before_it_expires_or_is_rejected() {
    let (calls, source) = counting_source(Some(Duration::from_secs(100)));
    let cache = auth::TokenCache::new(Arc::new(source), Duration::from_secs(60));
    assert_eq!(cache.get(&[]).await.unwrap(), "t1");
    assert_eq!(cache.get(&[]).await.unwrap(), "t1");
    // 30 s before the 100 s lifetime ends, a new one.
    tokio::time::advance(Duration::from_secs(69)).await;
    assert_eq!(cache.get(&[]).await.unwrap(), "t1");
    tokio::time::advance(Duration::from_secs(2)).await;
    assert_eq!(cache.get(&[]).await.unwrap(), "t2");
    // A rejected token is replaced; one already replaced is not fetched again.
    assert_eq!(cache.get(&["t2".into()]).await.unwrap(), "t3");
    assert_eq!(cache.get(&["t2".into()]).await.unwrap(), "t3");
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 3);
    // A short lifetime keeps half of it.
    let (_, source) = counting_source(Some(Duration::from_secs(10)));
    let cache = auth::TokenCache::new(Arc::new(source), Duration::from_secs(60));
    assert_eq!(cache.get(&[]).await.unwrap(), "t1");
    tokio::time::advance(Duration::from_secs(4)).await;
    assert_eq!(cache.get(&[]).await.unwrap(), "t1");
    tokio::time::advance(Duration::from_secs(2)).await;
    assert_eq!(cache.get(&[]).await.unwrap(), "t2");
}

#[tokio::test(start_paused = true)]
async fn an_endless_token_lifetime_never_expires_and_a_stuck_source_times_out() {
    let (calls, source) = counting_source(Some(Duration::MAX));
    let cache = auth::TokenCache::new(Arc::new(source), Duration::from_secs(60));
    assert_eq!(cache.get(&[]).await.unwrap(), "t1");
    tokio::time::advance(Duration::from_secs(365 * 24 * 3600)).await;
    assert_eq!(cache.get(&[]).await.unwrap(), "t1");
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);

    let stuck = || async {
        std::future::pending::<()>().await;
        Ok(AccessToken::new("never"))
    };
    let cache = auth::TokenCache::new(Arc::new(stuck), Duration::from_secs(5));
    let error = cache.get(&[]).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "the token source did not answer within 5s"
    );
}

#[tokio::test]
async fn a_failing_token_source_is_an_error_before_sending() {
    let core = Builder::new(&API)
        .token_source(0, || async { Err(TokenError::new("the vault is sealed")) })
        .build()
        .unwrap();
    let Err(SendError::Token(e)) = prepared(&core, 0).await else {
        panic!("expected a token error");
    };
    let error: Error<()> = SendError::Token(e).into();
    assert_eq!(
        error.to_string(),
        "no token to authenticate with: the vault is sealed"
    );
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_key_in_the_query_is_redacted_from_transport_errors() {
    // Nothing listens on port 1 of loopback: the connection is refused.
    let error = reqwest::Client::new()
        .get("http://127.0.0.1:1/x?q=1&app_key=supersecret")
        .send()
        .await
        .unwrap_err();
    let error = auth::redact_url(error, &["app_key"]);
    let text = format!("{error} {error:?}");
    assert!(!text.contains("supersecret"), "{text}");
    assert!(text.contains("app_key=REDACTED"), "{text}");
    assert!(text.contains("q=1"), "{text}");
}

#[tokio::test]
async fn a_page_url_replaces_path_and_query_and_stays_on_the_base_urls_origin() {
    let core = Builder::new(&API).build().unwrap();
    let key = |query: Vec<(&'static str, String)>| auth::Applied {
        query,
        ..auth::Applied::default()
    };
    // Root-relative, resolved against the base URL; the operation's query is the URL's.
    let page = core.at_page("/v1/things?page=2&app_key=k");
    let prepared = page
        .prepare(
            &request(0),
            &key(vec![("app_key", "k".into()), ("other", "o".into())]),
        )
        .await
        .unwrap();
    assert_eq!(
        prepared.url().as_str(),
        "https://api.example.com/v1/things?page=2&app_key=k&other=o",
        "a credential the URL repeats is not added twice"
    );
    // Absolute on the same origin.
    let page = core.at_page("https://api.example.com/v1/things?cursor=x");
    let prepared = page.prepare(&request(0), &key(Vec::new())).await.unwrap();
    assert_eq!(
        prepared.url().as_str(),
        "https://api.example.com/v1/things?cursor=x"
    );
    // Another scheme, host or port is refused, naming the host only.
    for elsewhere in [
        "http://api.example.com/v1/things?page=2",
        "https://evil.example/v1/things?token=secret",
        "https://api.example.com:8443/v1/things",
    ] {
        match core
            .at_page(elsewhere)
            .prepare(&request(0), &key(Vec::new()))
            .await
        {
            Err(SendError::InvalidRequest(m)) => {
                assert!(m.contains("another server"), "{m}");
                assert!(!m.contains("secret"), "{m}");
            }
            other => panic!("{elsewhere}: {:?}", other.map(|r| r.url().to_string())),
        }
    }
}

#[tokio::test]
async fn prepare_refuses_header_values_http_cannot_carry() {
    let core = Builder::new(&API).build().unwrap();
    let request = Request {
        operation: 2,
        method: reqwest::Method::GET,
        path: "/".into(),
        query: Vec::new(),
        headers: vec![("x-id", "a\nb".into())],
        body: None,
    };
    assert!(matches!(
        core.prepare(&request, &auth::Applied::default()).await,
        Err(SendError::InvalidRequest(m)) if m.contains("x-id")
    ));
}

// --- Errors and decoding -------------------------------------------------------------------

fn response(status: u16, body: &'static str) -> RawResponse {
    RawResponse {
        status,
        headers: HeaderMap::new(),
        body: bytes::Bytes::from_static(body.as_bytes()),
        live: None,
    }
}

#[test]
fn an_empty_body_decodes_as_null() {
    let unit: () = decode_json::<(), ()>(&response(204, "")).unwrap();
    assert_eq!(unit, ());
    let none: Option<u32> = decode_json::<_, ()>(&response(200, " \n")).unwrap();
    assert_eq!(none, None);
}

#[test]
fn a_body_that_does_not_decode_keeps_its_status_and_start() {
    let long = Box::leak(format!("<html>{}", "x".repeat(2000)).into_boxed_str());
    let err = decode_json::<u32, ()>(&response(200, long)).unwrap_err();
    match &err {
        Error::Decode {
            status, body_start, ..
        } => {
            assert_eq!(*status, 200);
            assert_eq!(body_start.len(), BODY_START_LEN);
            assert!(body_start.starts_with("<html>"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status(), Some(200));
    assert!(!err.is_retryable());
}

#[test]
fn errors_report_status_retryability_and_attempts() {
    let undocumented = unexpected::<()>(&response(503, "busy"));
    assert_eq!(undocumented.status(), Some(503));
    assert!(undocumented.is_retryable());
    assert_eq!(undocumented.attempts(), 1);
    assert!(undocumented.to_string().contains("503") && undocumented.to_string().contains("busy"));
    let documented = api_error(&response(404, "{}"), "NotFound");
    assert_eq!(documented.status(), Some(404));
    assert!(!documented.is_retryable());
    let exhausted = Error::RetriesExhausted {
        attempts: 3,
        last: Box::new(unexpected::<()>(&response(429, ""))),
    };
    assert_eq!(
        (
            exhausted.status(),
            exhausted.is_retryable(),
            exhausted.attempts()
        ),
        (Some(429), true, 3)
    );
    assert!(
        exhausted
            .to_string()
            .starts_with("gave up after 3 attempts")
    );
    let invalid: Error<()> = SendError::InvalidRequest("bad".into()).into();
    assert_eq!((invalid.status(), invalid.is_retryable()), (None, false));
}

#[test]
fn only_429_and_gateway_failures_are_retryable_statuses() {
    let retryable: Vec<u16> = (100..600).filter(|s| retryable_status(*s)).collect();
    assert_eq!(retryable, [429, 502, 503, 504]);
}

// --- Serde helpers -------------------------------------------------------------------------

/// A struct written the way the generator writes one.
#[derive(Debug, PartialEq)]
struct Pet {
    name: String,
    tag: Option<String>,
}

impl Object for Pet {
    const NAME: &'static str = "Pet";
    fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let (mut f0, mut f1) = (None, None);
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.as_str() {
                "name" => field(&mut map, &mut f0, "name")?,
                "tag" => field(&mut map, &mut f1, "tag")?,
                _ => skip(&mut map)?,
            }
        }
        Ok(Pet {
            name: required(f0, "name")?,
            tag: f1.flatten(),
        })
    }
}

impl<'de> serde::Deserialize<'de> for Pet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_object(deserializer)
    }
}

#[test]
fn objects_decode_with_unknown_keys_skipped() {
    let pet: Pet =
        serde_json::from_str(r#"{"extra":{"deep":[1,2]},"name":"Rex","tag":null}"#).unwrap();
    assert_eq!(
        pet,
        Pet {
            name: "Rex".into(),
            tag: None
        }
    );
}

#[test]
fn objects_report_missing_duplicate_and_mistyped_fields() {
    let err = serde_json::from_str::<Pet>(r#"{"tag":"x"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing field `name`"), "{err}");
    let err = serde_json::from_str::<Pet>(r#"{"name":"a","name":"b"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("duplicate field `name`"), "{err}");
    let err = serde_json::from_str::<Pet>("[1]").unwrap_err().to_string();
    assert!(err.contains("a Pet object"), "{err}");
}

#[test]
fn keys_borrow_from_the_input_when_they_can() {
    let mut de = serde_json::Deserializer::from_str(r#""plain""#);
    let key = <Key as serde::Deserialize>::deserialize(&mut de).unwrap();
    assert!(matches!(key.0, std::borrow::Cow::Borrowed("plain")));
    // An escaped key has to be unescaped into an owned string.
    let mut de = serde_json::Deserializer::from_str(r#""tab\t""#);
    let key = <Key as serde::Deserialize>::deserialize(&mut de).unwrap();
    assert_eq!(key.into_string(), "tab\t");
}

#[test]
fn no_variant_names_the_enum() {
    let err: serde_json::Error = no_variant("Shape");
    assert_eq!(
        err.to_string(),
        "data did not match any variant of untagged enum Shape"
    );
}

fn form(value: serde_json::Value, fields: &[Field]) -> String {
    let Some(Body::Bytes(bytes, media)) = form_body(&value, fields).unwrap() else {
        panic!("form bodies are bytes")
    };
    assert_eq!(media, "application/x-www-form-urlencoded");
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn form_bodies_follow_each_fields_style_and_nest_with_brackets() {
    let deep = |name| Field {
        name,
        style: Style::DeepObject,
        explode: true,
    };
    let body = serde_json::json!({
        "amount": 100,
        "note": "a b&c=d",
        "cleared": null,
        "expand": ["x", "y"],
        "metadata": {"order": "6735", "empty": ""},
        "items": [{"price": "p_1", "qty": 2}, {"price": "p_2", "tags": ["a"]}],
        "shipping": {"address": {"city": "Köln"}},
        "unstyled": {"k": 1},
        "piped": [1, 2],
        "spaced": ["a", "b"],
        "joined": {"R": 100},
        "none": []
    });
    let fields = [
        deep("metadata"),
        deep("items"),
        deep("shipping"),
        Field {
            name: "piped",
            style: Style::PipeDelimited,
            explode: false,
        },
        Field {
            name: "spaced",
            style: Style::SpaceDelimited,
            explode: false,
        },
        Field {
            name: "joined",
            style: Style::Form,
            explode: false,
        },
    ];
    // Sorted: the order follows serde_json's map, which keeps insertion order only with
    // its `preserve_order` feature (on when the whole workspace is built).
    let mut decoded: Vec<(String, String)> = form_urlencoded::parse(form(body, &fields).as_bytes())
        .into_owned()
        .collect();
    decoded.sort();
    let expected: Vec<(String, String)> = [
        ("amount", "100"),
        ("cleared", ""),
        ("expand", "x"),
        ("expand", "y"),
        ("items[0][price]", "p_1"),
        ("items[0][qty]", "2"),
        ("items[1][price]", "p_2"),
        ("items[1][tags][0]", "a"),
        ("joined", "R,100"),
        ("metadata[empty]", ""),
        ("metadata[order]", "6735"),
        ("note", "a b&c=d"),
        ("piped", "1|2"),
        ("shipping[address][city]", "Köln"),
        ("spaced", "a b"),
        // No style of its own: an object is JSON text, as the Encoding Object defaults.
        ("unstyled", r#"{"k":1}"#),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(decoded, expected);
}

#[test]
fn form_style_objects_spread_and_arrays_of_objects_fall_back_to_brackets() {
    let exploded = [Field {
        name: "color",
        style: Style::Form,
        explode: true,
    }];
    assert_eq!(
        form(serde_json::json!({"color": {"B": [2]}}), &exploded),
        "B%5B0%5D=2"
    );
    assert_eq!(
        form(serde_json::json!({"color": {"R": 1}}), &exploded),
        "R=1"
    );
    assert_eq!(
        form(serde_json::json!({"list": [{"a": 1}, "s"]}), &[]),
        "list%5B0%5D%5Ba%5D=1&list=s"
    );
    assert!(matches!(
        form_body(&serde_json::json!([1]), &[]),
        Err(SendError::InvalidRequest(_))
    ));
}

#[test]
fn object_parameters_go_in_the_query_by_style_and_in_headers_as_simple() {
    let mut query = Vec::new();
    let filter = serde_json::json!({"name": "a", "tags": ["x", "y"]});
    query_param(&mut query, "filter", &filter, Style::DeepObject, true).unwrap();
    query_param(&mut query, "ids", &[1, 2], Style::Form, false).unwrap();
    query_param(
        &mut query,
        "page",
        &serde_json::json!({"size": 5}),
        Style::Form,
        true,
    )
    .unwrap();
    let pairs: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("filter[name]", "a"),
            ("filter[tags][0]", "x"),
            ("filter[tags][1]", "y"),
            ("ids", "1,2"),
            ("size", "5")
        ]
    );
    let color = serde_json::json!({"B": 3});
    assert_eq!(simple_value("color", &color, false).unwrap(), "B,3");
    assert_eq!(simple_value("color", &color, true).unwrap(), "B=3");
    assert_eq!(simple_value("ids", &["a", "b"], false).unwrap(), "a,b");
}

// Typed formats, with every library's feature on (the integration tests' dependency turns
// them on for the workspace's test build).
#[cfg(all(
    feature = "jiff",
    feature = "time",
    feature = "chrono",
    feature = "uuid",
    feature = "base64",
    feature = "rust_decimal",
    feature = "url"
))]
mod formats;

// --- Redirects ---------------------------------------------------------------------------

fn moved(location: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(reqwest::header::LOCATION, location.parse().unwrap());
    headers
}

fn outgoing(method: reqwest::Method, url: &str) -> reqwest::Request {
    let mut request = reqwest::Request::new(method, url.parse().unwrap());
    let mut token = HeaderValue::from_static("Bearer t");
    token.set_sensitive(true);
    request.headers_mut().insert(AUTHORIZATION, token);
    let mut key = HeaderValue::from_static("k");
    key.set_sensitive(true);
    request.headers_mut().insert("x-api-key", key);
    request
        .headers_mut()
        .insert("x-trace", HeaderValue::from_static("1"));
    request
}

#[test]
fn a_redirect_is_followed_only_when_undocumented_and_pointing_somewhere_usable() {
    let follow = |status, location: Option<&str>, documented: &[u16]| {
        let request = outgoing(reqwest::Method::GET, "https://api.example.com/v1/a");
        let headers = location.map(moved).unwrap_or_default();
        redirect::Replay::of(&request).follow(status, &headers, documented, &[])
    };
    let next = follow(302, Some("b?x=1"), &[]).expect("followed");
    assert_eq!(next.url().as_str(), "https://api.example.com/v1/b?x=1");
    assert_eq!(next.headers()[AUTHORIZATION], "Bearer t");
    assert!(follow(302, Some("/b"), &[302]).is_none(), "documented");
    assert!(follow(301, Some("/b"), &[302]).is_some(), "another status");
    assert!(follow(302, None, &[]).is_none(), "no Location");
    assert!(follow(302, Some("ftp://example.com/b"), &[]).is_none());
    assert!(follow(304, Some("/b"), &[]).is_none(), "not a redirect");
    assert!(
        follow(300, Some("/b"), &[]).is_none(),
        "a choice, not a redirect"
    );
}

#[test]
fn a_redirect_to_another_origin_drops_every_credential() {
    let mut request = outgoing(reqwest::Method::GET, "https://api.example.com/a?k=key");
    request
        .headers_mut()
        .insert(reqwest::header::COOKIE, HeaderValue::from_static("sid=1"));
    // Another port is another origin; so is http for https.
    for target in [
        "https://api.example.com:8443/b?k=key&x=1",
        "http://api.example.com/b?k=key&x=1",
        "https://cdn.example.com/b?k=key&x=1",
    ] {
        let next = redirect::Replay::of(&request)
            .follow(302, &moved(target), &[], &["k"])
            .expect("followed");
        assert_eq!(next.url().query(), Some("x=1"), "{target}");
        for name in ["authorization", "x-api-key", "cookie"] {
            assert!(next.headers().get(name).is_none(), "{name} to {target}");
        }
        assert_eq!(next.headers()["x-trace"], "1", "other headers stay");
    }
    // The same origin keeps them all.
    let next = redirect::Replay::of(&request)
        .follow(308, &moved("/c?k=key"), &[], &["k"])
        .unwrap();
    assert_eq!(next.url().query(), Some("k=key"));
    assert_eq!(next.headers()["x-api-key"], "k");
    assert_eq!(next.headers()[reqwest::header::COOKIE], "sid=1");
}

#[test]
fn see_other_keeps_head_and_only_post_changes_on_301_and_302() {
    let method_after = |method: reqwest::Method, status| {
        let mut request = outgoing(method, "https://api.example.com/a");
        *request.body_mut() = Some(reqwest::Body::from("x"));
        request
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        let next = redirect::Replay::of(&request)
            .follow(status, &moved("/b"), &[], &[])
            .unwrap();
        let body = next.body().and_then(|b| b.as_bytes()).map(<[u8]>::to_vec);
        (
            next.method().clone(),
            body,
            next.headers().contains_key(CONTENT_TYPE),
        )
    };
    use reqwest::Method as M;
    assert_eq!(method_after(M::POST, 303), (M::GET, None, false));
    assert_eq!(method_after(M::PUT, 303), (M::GET, None, false));
    assert_eq!(method_after(M::HEAD, 303).0, M::HEAD);
    assert_eq!(method_after(M::POST, 302), (M::GET, None, false));
    assert_eq!(method_after(M::POST, 301), (M::GET, None, false));
    assert_eq!(
        method_after(M::DELETE, 302),
        (M::DELETE, Some(b"x".to_vec()), true)
    );
    assert_eq!(
        method_after(M::POST, 307),
        (M::POST, Some(b"x".to_vec()), true)
    );
    assert_eq!(
        method_after(M::PATCH, 308),
        (M::PATCH, Some(b"x".to_vec()), true)
    );
}

/// A value whose `Serialize` fails, and one that must never be asked to serialize.
struct Fails;
impl serde::Serialize for Fails {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("this entry fails"))
    }
}
struct NeverWritten;
impl serde::Serialize for NeverWritten {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        panic!("an entry after a failed one was written")
    }
}

/// `Entries` writes the entries it is given as a map, and after a failed entry writes
/// nothing more and returns that entry's error from `end`.
#[test]
fn entries_keep_the_first_error_and_write_nothing_after_it() {
    struct Both<A, B>(A, B);
    impl<A: serde::Serialize, B: serde::Serialize> serde::Serialize for Both<A, B> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = entries(serializer, 2)?;
            map.entry("a", &self.0);
            map.entry("b", &self.1);
            map.end()
        }
    }
    assert_eq!(
        serde_json::to_string(&Both(1, "two")).unwrap(),
        r#"{"a":1,"b":"two"}"#
    );
    let error = serde_json::to_string(&Both(Fails, NeverWritten)).unwrap_err();
    assert_eq!(error.to_string(), "this entry fails");
}

/// A key the struct does not list goes into its map of other properties; a later value
/// of the same key replaces the first, as a JSON object's last duplicate wins.
#[test]
fn additional_collects_unlisted_keys() {
    struct Other(std::collections::BTreeMap<String, i64>);
    impl Object for Other {
        const NAME: &'static str = "Other";
        fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut extra = std::collections::BTreeMap::new();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                additional(&mut map, &mut extra, key)?;
            }
            Ok(Other(extra))
        }
    }
    let mut de = serde_json::Deserializer::from_str(r#"{"x": 1, "y": 2, "x": 3}"#);
    let other: Other = deserialize_object(&mut de).unwrap();
    assert_eq!(other.0, [("x".to_string(), 3), ("y".to_string(), 2)].into());
    let mut de = serde_json::Deserializer::from_str(r#"{"x": "text"}"#);
    assert!(deserialize_object::<Other, _>(&mut de).is_err());
}
