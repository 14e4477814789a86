//! Binary and multipart bodies through the crate generated from
//! `tests/fixtures/features.yaml`, read by axum's own `Multipart` and body extractors: bytes,
//! files streamed from disk, streams, and which of them a retry may resend.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use features_api::types::{
    UploadFilesMultipart, UploadFilesMultipartMetadata, UploadFilesMultipartPurpose,
};
use features_api::{Client, Error, FilePart, Upload};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One part as the server read it.
#[derive(Debug, serde::Serialize, serde::Deserialize, PartialEq)]
struct SeenPart {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    /// Text parts as they are; file parts as their length and checksum.
    content: String,
}

fn digest(bytes: &[u8]) -> String {
    // FNV-1a: enough to tell one content from another here.
    let hash = bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    });
    format!("{} bytes, {hash:016x}", bytes.len())
}

async fn files(mut multipart: Multipart) -> axum::Json<Vec<SeenPart>> {
    let mut seen = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(String::from);
        let content_type = field.content_type().map(String::from);
        let bytes = field.bytes().await.unwrap();
        let content = if file_name.is_some() {
            digest(&bytes)
        } else {
            String::from_utf8(bytes.to_vec()).unwrap()
        };
        seen.push(SeenPart {
            name,
            file_name,
            content_type,
            content,
        });
    }
    axum::Json(seen)
}

/// Answers 503 to the first `fail_first` requests, then what arrived.
async fn blob(
    State((calls, fail_first)): State<(Arc<AtomicUsize>, usize)>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if calls.fetch_add(1, Ordering::SeqCst) < fail_first {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let header = |n: &str| headers.get(n).map(|v| v.to_str().unwrap().to_string());
    axum::Json(serde_json::json!({
        "name": name,
        "content_type": header("content-type"),
        "content_length": header("content-length"),
        "content": digest(&body),
    }))
    .into_response()
}

async fn server(fail_first: usize) -> (Client, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route("/v1/files", axum::routing::post(files))
        .route("/v1/files/raw", axum::routing::post(files))
        .route("/v1/blobs/{name}", axum::routing::put(blob))
        .with_state((calls.clone(), fail_first))
        // axum's default limit is 2 MB; these uploads are larger.
        .layer(axum::extract::DefaultBodyLimit::disable());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder()
        .base_url(format!("http://{addr}/v1"))
        .max_retries(2)
        .build()
        .unwrap();
    (client, calls)
}

/// A file of `len` bytes in the temp directory, removed on drop.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, len: usize) -> (TempFile, Vec<u8>) {
        let content: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let dir = std::env::temp_dir().join(format!("uploads-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, &content).unwrap();
        (TempFile(path), content)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[tokio::test]
async fn a_multipart_upload_with_two_files_and_text_fields_arrives_intact() {
    let (client, _) = server(0).await;
    // 3 MiB, streamed from disk in chunks rather than read whole.
    let (file, content) = TempFile::new("scan.png", 3 << 20);
    let body = UploadFilesMultipart {
        file: FilePart::path(&file.0),
        attachments: Some(vec![
            FilePart::new(b"second file".to_vec())
                .file_name("notes.txt")
                .content_type("text/plain"),
        ]),
        purpose: UploadFilesMultipartPurpose::FineTune,
        tags: Some(vec!["a".into(), "b c".into()]),
        count: Some(2),
        metadata: Some(UploadFilesMultipartMetadata {
            owner: Some("ann".into()),
        }),
    };
    let seen: Vec<SeenPart> =
        serde_json::from_value(client.upload_files(&body).await.unwrap()).unwrap();
    let part =
        |name: &str, file_name: Option<&str>, content_type: Option<&str>, content: String| {
            SeenPart {
                name: name.into(),
                file_name: file_name.map(String::from),
                content_type: content_type.map(String::from),
                content,
            }
        };
    let expected = vec![
        // The documented `image/png`, the file's own name.
        part(
            "file",
            Some("scan.png"),
            Some("image/png"),
            digest(&content),
        ),
        part(
            "attachments",
            Some("notes.txt"),
            Some("text/plain"),
            digest(b"second file"),
        ),
        part("purpose", None, None, "fine-tune".into()),
        part("tags", None, None, "a".into()),
        part("tags", None, None, "b c".into()),
        part("count", None, None, "2".into()),
        // An object: JSON, as the Encoding Object's default says.
        part(
            "metadata",
            None,
            Some("application/json"),
            r#"{"owner":"ann"}"#.into(),
        ),
    ];
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn a_file_part_without_a_name_or_type_gets_the_fields_name_and_a_guess() {
    let (client, _) = server(0).await;
    let body = UploadFilesMultipart {
        file: FilePart::new(Upload::bytes(&b"%PDF-1.7"[..])),
        attachments: Some(vec![FilePart::new(b"x".to_vec()).file_name("photo.jpeg")]),
        purpose: UploadFilesMultipartPurpose::Batch,
        tags: None,
        count: None,
        metadata: None,
    };
    let seen: Vec<SeenPart> =
        serde_json::from_value(client.upload_files(&body).await.unwrap()).unwrap();
    assert_eq!(seen[0].file_name.as_deref(), Some("file"));
    assert_eq!(seen[0].content_type.as_deref(), Some("image/png"));
    assert_eq!(seen[1].content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(seen.len(), 3);
}

#[tokio::test]
async fn binary_bodies_come_from_bytes_files_and_streams_with_their_length() {
    let (client, _) = server(0).await;
    let seen = client.put_blob("a", b"hello".to_vec()).await.unwrap();
    assert_eq!(seen["content"], digest(b"hello"));
    assert_eq!(seen["content_type"], "application/octet-stream");
    assert_eq!(seen["content_length"], "5");

    let (file, content) = TempFile::new("blob.bin", 1 << 20);
    let seen = client.put_blob("b", Upload::path(&file.0)).await.unwrap();
    assert_eq!(seen["content"], digest(&content));
    assert_eq!(seen["content_length"], (1 << 20).to_string());

    let chunks = vec![Ok(Bytes::from_static(b"ab")), Ok(Bytes::from_static(b"cd"))];
    let stream = futures_util::stream::iter(chunks);
    let seen = client
        .put_blob("c", Upload::stream(stream, Some(4)))
        .await
        .unwrap();
    assert_eq!(seen["content"], digest(b"abcd"));
    assert_eq!(seen["content_length"], "4");
}

#[tokio::test]
async fn bytes_and_files_are_resent_on_a_retry_and_a_stream_is_not() {
    let (file, content) = TempFile::new("retry.bin", 100_000);
    let (client, calls) = server(1).await;
    let seen = client.put_blob("f", Upload::path(&file.0)).await.unwrap();
    assert_eq!(seen["content"], digest(&content));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "the file is reopened and sent again"
    );

    let (client, calls) = server(1).await;
    let stream = futures_util::stream::iter(vec![Ok(Bytes::from_static(b"once"))]);
    let error = client
        .put_blob("s", Upload::stream(stream, None))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::UnexpectedStatus { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1, "a stream is sent once");
}

/// A multipart body whose schema names no parts takes the caller's form: it goes out as a
/// real multipart body (boundary and all) with the parts the caller named.
#[tokio::test]
async fn a_multipart_body_without_named_parts_is_the_callers_form() {
    let (client, _) = server(0).await;
    let mut form = features_api::Multipart::new();
    form.file(
        "file",
        &FilePart::new(b"raw bytes".to_vec()).file_name("a.bin"),
        None,
    );
    form.text("comment", "two parts");
    let seen: Vec<SeenPart> =
        serde_json::from_value(client.upload_raw_form(form).await.unwrap()).unwrap();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].name, "file");
    assert_eq!(seen[0].file_name.as_deref(), Some("a.bin"));
    assert_eq!(seen[0].content, digest(b"raw bytes"));
    assert_eq!(seen[1].name, "comment");
    assert_eq!(seen[1].content, "two parts");
}
