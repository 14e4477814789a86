//! A scripted HTTP server on loopback that records what it receives, for the client tests.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::{Arc, Mutex};

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub query: Option<String>,
    pub authorization: Option<String>,
    pub user_agent: Option<String>,
    /// Every header.
    pub headers: axum::http::HeaderMap,
    /// When it arrived, on tokio's clock (paused in the rate-limit tests).
    pub at: tokio::time::Instant,
}

impl Seen {
    /// A query parameter's value.
    pub fn param(&self, name: &str) -> Option<String> {
        self.query.as_deref()?.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    }
}

/// Decides the answer to the `n`th request (counting from 0).
pub type Script = Arc<dyn Fn(&Seen, usize) -> Response + Send + Sync>;

pub struct Server {
    pub url: String,
    pub log: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.log.lock().unwrap().len()
    }
}

#[derive(Clone)]
struct AppState {
    log: Arc<Mutex<Vec<Seen>>>,
    script: Script,
}

async fn handle(State(state): State<AppState>, req: Request) -> Response {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .map(|v| v.to_str().unwrap_or("").to_string())
    };
    let seen = Seen {
        path: req.uri().path().to_string(),
        query: req.uri().query().map(String::from),
        authorization: header("authorization"),
        user_agent: header("user-agent"),
        headers: req.headers().clone(),
        at: tokio::time::Instant::now(),
    };
    let n = {
        let mut log = state.log.lock().unwrap();
        log.push(seen.clone());
        log.len() - 1
    };
    (state.script)(&seen, n)
}

/// Starts a server answering every request with `script`.
pub async fn serve(script: impl Fn(&Seen, usize) -> Response + Send + Sync + 'static) -> Server {
    let log: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let state = AppState {
        log: log.clone(),
        script: Arc::new(script),
    };
    let app = Router::new().fallback(handle).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        url: format!("http://{addr}"),
        log,
    }
}

/// A response with a status, extra headers and a body.
pub fn respond(status: u16, headers: &[(&str, &str)], body: impl Into<String>) -> Response {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header("content-type", "application/json");
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    builder.body(Body::from(body.into())).unwrap()
}

/// The body of a successful delete.
pub const DELETED: &str = r#"{"success": true, "message": "deleted"}"#;

/// A client for `server` with a test token and the given number of retries.
pub fn client(server: &Server, retries: u32) -> prime_api::Client {
    prime_api::Client::builder()
        .base_url(&server.url)
        .bearer_token("pit_test")
        .max_retries(retries)
        .build()
        .unwrap()
}

/// A server on a raw socket that answers every connection with `response` bytes and then
/// either closes the connection or, with `stall`, holds it open without answering.
pub async fn raw_server(response: &'static [u8], stall: bool) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                // Read the request head before answering.
                let _ = socket.read(&mut buf).await;
                if stall {
                    tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                    return;
                }
                let _ = socket.write_all(response).await;
                let _ = socket.flush().await;
                // Dropping with unread data or a short body: the client sees the cut.
                let _ = socket.set_zero_linger();
            });
        }
    });
    format!("http://{addr}")
}

/// A binary of this workspace as `cargo test --workspace` builds it (`target/debug/…`),
/// rebuilt here only when missing or older than any file under `sources`. Building it from
/// here unifies features differently and would recompile much of the dependency tree.
pub fn workspace_binary(
    relative: &str,
    sources: &[&str],
    build_args: &[&str],
) -> std::path::PathBuf {
    let deps = std::env::current_exe().unwrap();
    let dir = deps.parent().and_then(|d| d.parent()).unwrap();
    let exe = dir.join(format!("{relative}{}", std::env::consts::EXE_SUFFIX));
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    fn newest(path: &std::path::Path) -> Option<std::time::SystemTime> {
        let meta = std::fs::metadata(path).ok()?;
        if meta.is_dir() {
            std::fs::read_dir(path)
                .ok()?
                .filter_map(|e| e.ok())
                .filter_map(|e| newest(&e.path()))
                .max()
        } else {
            meta.modified().ok()
        }
    }
    let newest_source = sources
        .iter()
        .filter_map(|s| newest(&crate::root().join(s)))
        .max();
    let fresh = matches!((modified(&exe), newest_source), (Some(built), Some(src)) if built >= src);
    if !fresh {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = std::process::Command::new(cargo)
            .arg("build")
            .arg("--quiet")
            .args(build_args)
            .current_dir(crate::root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build {build_args:?}");
    }
    exe
}
