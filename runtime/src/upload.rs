//! Request bodies that are not serialised values: binary uploads (bytes, a file, a stream)
//! and `multipart/form-data` forms with file parts.
//!
//! A body made of bytes or files can be sent again, so such a request is retried like any
//! other (a file is reopened for each attempt). A body fed from a stream can be read only
//! once: a request carrying one is never retried, and a 401 from a token source fails
//! rather than resending.
//!
//! Files and streams need the `upload` cargo feature (reqwest's `stream`, tokio's `fs`);
//! multipart bodies need `multipart` (reqwest's encoder, which also guesses a file's
//! content type from its name).

use super::SendError;
use bytes::Bytes;
use std::fmt;
#[cfg(feature = "upload")]
use std::path::PathBuf;
#[cfg(feature = "upload")]
use std::sync::{Arc, Mutex};

/// A binary request body or file part: bytes in memory, a file read as it is sent, or a
/// stream. Converts from `Vec<u8>`, `&'static [u8]`, `String`, `&'static str` and
/// [`Bytes`].
#[derive(Clone)]
pub struct Upload {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    #[cfg(feature = "upload")]
    Path(PathBuf),
    /// Taken by the first attempt.
    #[cfg(feature = "upload")]
    Stream(Arc<Mutex<Option<reqwest::Body>>>, Option<u64>),
}

impl Upload {
    /// Bytes already in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Upload {
        Upload {
            source: Source::Bytes(bytes.into()),
        }
    }

    /// The file at `path`, opened when the request is sent (again for a retry) and
    /// streamed with its length, so it is never held in memory whole.
    #[cfg(feature = "upload")]
    pub fn path(path: impl Into<PathBuf>) -> Upload {
        Upload {
            source: Source::Path(path.into()),
        }
    }

    /// A stream of chunks, sent as they come; `length` is the total when known (sent as
    /// `Content-Length`, which some servers require). Read once: a request with a streamed
    /// body is not retried.
    #[cfg(feature = "upload")]
    pub fn stream<S>(stream: S, length: Option<u64>) -> Upload
    where
        S: futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        Upload {
            source: Source::Stream(
                Arc::new(Mutex::new(Some(reqwest::Body::wrap_stream(stream)))),
                length,
            ),
        }
    }

    /// Whether the body can be sent more than once.
    pub(super) fn replayable(&self) -> bool {
        match &self.source {
            Source::Bytes(_) => true,
            #[cfg(feature = "upload")]
            Source::Path(_) => true,
            #[cfg(feature = "upload")]
            Source::Stream(..) => false,
        }
    }

    /// The body for one attempt, with its length when known.
    pub(super) async fn body(&self) -> Result<(reqwest::Body, Option<u64>), SendError> {
        match &self.source {
            Source::Bytes(b) => Ok((b.clone().into(), Some(b.len() as u64))),
            #[cfg(feature = "upload")]
            Source::Path(path) => {
                let file = tokio::fs::File::open(path).await.map_err(|e| {
                    SendError::InvalidRequest(format!("cannot read `{}`: {e}", path.display()))
                })?;
                // Only a regular file's size is its length (a FIFO's or /proc file's is 0).
                let length = file
                    .metadata()
                    .await
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len());
                Ok((file.into(), length))
            }
            #[cfg(feature = "upload")]
            Source::Stream(body, length) => {
                let body = body.lock().ok().and_then(|mut b| b.take()).ok_or_else(|| {
                    SendError::InvalidRequest("a streamed body cannot be sent twice".into())
                })?;
                Ok((body, *length))
            }
        }
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Bytes(b) => write!(f, "Upload::bytes({} bytes)", b.len()),
            #[cfg(feature = "upload")]
            Source::Path(p) => write!(f, "Upload::path({p:?})"),
            #[cfg(feature = "upload")]
            Source::Stream(_, length) => write!(f, "Upload::stream(length: {length:?})"),
        }
    }
}

impl PartialEq for Upload {
    /// Equal when both hold the same bytes or name the same file; streams are never equal.
    fn eq(&self, other: &Upload) -> bool {
        match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            #[cfg(feature = "upload")]
            (Source::Path(a), Source::Path(b)) => a == b,
            #[cfg(feature = "upload")]
            _ => false,
        }
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Upload {
        Upload::bytes(bytes)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Upload {
        Upload::bytes(bytes)
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Upload {
        Upload::bytes(bytes)
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Upload {
        Upload::bytes(text)
    }
}

impl From<&'static str> for Upload {
    fn from(text: &'static str) -> Upload {
        Upload::bytes(text)
    }
}

/// A file part of a multipart body: its content, and the file name and content type the
/// part declares. Without a file name, a part from [`Upload::path`] takes the file's own;
/// without a content type, the operation's documented one, else one guessed from the file
/// name, else `application/octet-stream`.
#[derive(Debug, Clone, PartialEq)]
pub struct FilePart {
    upload: Upload,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A part with this content.
    pub fn new(upload: impl Into<Upload>) -> FilePart {
        FilePart {
            upload: upload.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file at `path`, streamed from disk, named as the file is.
    #[cfg(feature = "upload")]
    pub fn path(path: impl Into<PathBuf>) -> FilePart {
        FilePart::new(Upload::path(path))
    }

    /// The file name the part declares (`Content-Disposition: form-data; filename=…`).
    pub fn file_name(mut self, name: impl Into<String>) -> FilePart {
        self.file_name = Some(name.into());
        self
    }

    /// The part's `Content-Type`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> FilePart {
        self.content_type = Some(content_type.into());
        self
    }
}

impl<T: Into<Upload>> From<T> for FilePart {
    fn from(upload: T) -> FilePart {
        FilePart::new(upload)
    }
}

/// A `multipart/form-data` body under construction: the generated methods add one part per
/// property, in the order the schema lists them. An operation whose document names no parts
/// (its multipart schema is not an object with properties) takes one the caller builds:
///
/// ```ignore
/// let mut form = Multipart::new();
/// form.file("file", &FilePart::path("report.pdf"), None);
/// form.text("comment", "monthly");
/// ```
#[cfg(feature = "multipart")]
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<(&'static str, Part)>,
}

#[cfg(feature = "multipart")]
#[derive(Debug, Clone)]
enum Part {
    Text(String, Option<&'static str>),
    File(FilePart, Option<&'static str>),
}

#[cfg(feature = "multipart")]
impl Multipart {
    /// An empty form.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// A text part: a scalar's text.
    pub fn text(&mut self, name: &'static str, value: impl ToString) {
        self.parts.push((name, Part::Text(value.to_string(), None)));
    }

    /// A part holding `value` as JSON (the Encoding Object's default for objects), with
    /// `content_type` if the operation documents one.
    pub fn json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        content_type: Option<&'static str>,
    ) -> Result<(), SendError> {
        let text = serde_json::to_string(value)
            .map_err(|e| SendError::InvalidRequest(format!("`{name}` does not serialise: {e}")))?;
        self.parts.push((
            name,
            Part::Text(text, Some(content_type.unwrap_or("application/json"))),
        ));
        Ok(())
    }

    /// A file part; `content_type` is the operation's documented one, used when the part
    /// sets none.
    pub fn file(
        &mut self,
        name: &'static str,
        part: &FilePart,
        content_type: Option<&'static str>,
    ) {
        self.parts
            .push((name, Part::File(part.clone(), content_type)));
    }

    /// Whether every part can be sent more than once.
    pub(super) fn replayable(&self) -> bool {
        self.parts.iter().all(|(_, p)| match p {
            Part::Text(..) => true,
            Part::File(f, _) => f.upload.replayable(),
        })
    }

    /// The form for one attempt.
    pub(super) async fn form(&self) -> Result<reqwest::multipart::Form, SendError> {
        let invalid = |name: &str, e: reqwest::Error| {
            SendError::InvalidRequest(format!("part `{name}` has an invalid content type: {e}"))
        };
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            let part = match part {
                Part::Text(text, content_type) => {
                    let part = reqwest::multipart::Part::text(text.clone());
                    match content_type {
                        Some(t) => part.mime_str(t).map_err(|e| invalid(name, e))?,
                        None => part,
                    }
                }
                Part::File(file, documented) => {
                    let (body, length) = file.upload.body().await?;
                    let mut part = match length {
                        Some(n) => reqwest::multipart::Part::stream_with_length(body, n),
                        None => reqwest::multipart::Part::stream(body),
                    };
                    let file_name = file
                        .file_name
                        .clone()
                        .or_else(|| match &file.upload.source {
                            Source::Path(p) => {
                                p.file_name().map(|n| n.to_string_lossy().into_owned())
                            }
                            _ => None,
                        });
                    let guessed = file_name
                        .as_deref()
                        .and_then(|n| mime_guess::from_path(n).first_raw());
                    // A documented `image/png, image/jpeg` lists choices: the first; a
                    // wildcard (`image/*`) names none.
                    let documented = documented
                        .and_then(|t| t.split(',').next())
                        .map(str::trim)
                        .filter(|t| !t.is_empty() && !t.contains('*'));
                    let content_type = file
                        .content_type
                        .as_deref()
                        .or(documented)
                        .or(guessed)
                        .unwrap_or("application/octet-stream");
                    part = part.mime_str(content_type).map_err(|e| invalid(name, e))?;
                    // Servers tell a file from a field by the file name: always give one.
                    part.file_name(file_name.unwrap_or_else(|| (*name).to_string()))
                }
            };
            form = form.part(*name, part);
        }
        Ok(form)
    }
}
