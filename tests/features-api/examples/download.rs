//! Downloads 1 GiB through the byte-stream twin of a binary operation from a loopback
//! server, and reports the process's peak resident memory: the body is never held whole.
//!
//! `cargo run -p features-api --example download [MiB]` prints the figures and exits 1 if
//! the peak passes 64 MiB or a byte is missing.

use features_api::Client;
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LIMIT_MIB: u64 = 64;

/// A server that answers any request with `size` bytes of `application/octet-stream`.
async fn serve(size: u64) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            head.extend_from_slice(&buf[..n]);
        }
        let header = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {size}\r\n\r\n"
        );
        socket.write_all(header.as_bytes()).await.unwrap();
        let chunk = vec![7u8; 64 * 1024];
        let mut left = size;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            socket.write_all(&chunk[..n]).await.unwrap();
            left -= n as u64;
        }
    });
    addr
}

/// Peak resident set size in KiB (Linux's `VmHWM`), if the platform reports it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main]
async fn main() {
    let mib: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1024);
    let size = mib << 20;
    let addr = serve(size).await;
    let client = Client::builder()
        .base_url(format!("http://{addr}/v1"))
        .build()
        .expect("client");
    let started = std::time::Instant::now();
    let mut received = 0u64;
    let mut stream = std::pin::pin!(client.get_blob_stream("big"));
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(bytes) => received += bytes.len() as u64,
            Err(e) => {
                eprintln!("download failed after {received} bytes: {e}");
                std::process::exit(1);
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_rss_kib();
    println!(
        "downloaded {received} bytes in {seconds:.1} s ({:.0} MiB/s); peak RSS {}",
        (received >> 20) as f64 / seconds,
        peak.map_or("unknown".into(), |k| format!(
            "{:.1} MiB",
            k as f64 / 1024.0
        ))
    );
    if received != size || peak.is_some_and(|k| k >= LIMIT_MIB * 1024) {
        std::process::exit(1);
    }
}
