//! Responses read as they arrive: `text/event-stream` (server-sent events) and
//! newline-delimited JSON (`application/x-ndjson`, `application/jsonl`,
//! `application/json-seq`).
//!
//! Server-sent events are framed by the `sse-stream` crate, which follows the WHATWG
//! `text/event-stream` rules: LF, CR and CRLF line ends, multi-line `data` joined with LF,
//! comments skipped, a leading byte-order mark dropped, fields split across network chunks
//! at any byte, and an unfinished event at the end of the body discarded. On top of it,
//! as the WHATWG event-source processing does: a block without `data` dispatches nothing,
//! and the last `id` seen stays the event id until another replaces it. A `data` of
//! `[DONE]` (the end marker of chat-completion APIs) ends the stream. An event whose data
//! does not decode is an error item and the stream goes on; a broken connection or
//! invalid UTF-8 is an error item that ends it.
//!
//! JSON lines are split at LF (a CR before it and blank lines are dropped); json-seq
//! (RFC 7464) records at RS, since a record may span lines. An item that does not decode
//! is an error item and the stream goes on.
//!
//! One event or line may not grow past the builder's `max_response_bytes`: a server that
//! never ends one gets `Error::BodyTooLarge` as the last item, rather than the app's
//! memory. Byte streams hold one chunk at a time and have no limit.

use super::Error;
use bytes::{Buf, Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt;
use std::time::Duration;

/// One server-sent event: its data decoded as the API documents it, with the event's
/// metadata.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event type (`event:`); `None` for the default, `message`.
    pub event: Option<String>,
    /// The last event id the server sent (`id:`), on this event or an earlier one.
    pub id: Option<String>,
    /// The last reconnection time the server asked for (`retry:`), on this event or an
    /// earlier one.
    pub retry: Option<Duration>,
    /// The data, decoded.
    pub data: T,
}

impl<T> Event<T> {
    /// An event of the default type carrying `data` (for mock servers and tests: the
    /// client fills events in from the stream).
    pub fn new(data: T) -> Event<T> {
        Event {
            event: None,
            id: None,
            retry: None,
            data,
        }
    }

    /// The same event with the type `event` (`event:`).
    pub fn with_event(mut self, event: impl Into<String>) -> Event<T> {
        self.event = Some(event.into());
        self
    }

    /// The same event with the id `id` (`id:`).
    pub fn with_id(mut self, id: impl Into<String>) -> Event<T> {
        self.id = Some(id.into());
        self
    }

    /// The same event with its data changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Event<U> {
        Event {
            event: self.event,
            id: self.id,
            retry: self.retry,
            data: f(self.data),
        }
    }

    /// The same event asking for the reconnection time `retry` (`retry:`).
    pub fn with_retry(mut self, retry: Duration) -> Event<T> {
        self.retry = Some(retry);
        self
    }
}

/// How an event's (or a line's) text becomes its Rust value.
pub type Decode<T> = fn(&str) -> Result<T, serde_json::Error>;

/// Data documented as JSON of type `T`.
pub fn event_json<T: serde::de::DeserializeOwned>(data: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(data)
}

/// Data documented as text: as it came.
pub fn event_text(data: &str) -> Result<String, serde_json::Error> {
    Ok(data.to_string())
}

/// Data without a documented type: JSON when it parses, else the text as a JSON string.
pub fn event_any(data: &str) -> Result<serde_json::Value, serde_json::Error> {
    Ok(serde_json::from_str(data).unwrap_or_else(|_| serde_json::Value::String(data.into())))
}

/// The body of a live response, chunk by chunk.
pub(super) fn chunks(
    response: reqwest::Response,
) -> impl Stream<Item = Result<Bytes, reqwest::Error>> {
    futures_util::stream::unfold(Some(response), |response| async move {
        let mut response = response?;
        match response.chunk().await {
            Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
            Ok(None) => None,
            // Nothing more comes after a broken body.
            Err(e) => Some((Err(e), None)),
        }
    })
}

/// A decode failure of one item, as the client reports decode failures.
fn undecodable<E>(status: u16, source: serde_json::Error, text: &str) -> Error<E> {
    Error::Decode {
        status,
        source,
        body_start: super::body_start(text.as_bytes()),
    }
}

/// Why the bytes of an event stream stopped: the connection, or an event that grew past
/// the limit before it ended.
#[cfg(feature = "sse")]
#[derive(Debug)]
enum Stopped {
    Transport(reqwest::Error),
    Unended,
}

#[cfg(feature = "sse")]
impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stopped::Transport(e) => e.fmt(f),
            Stopped::Unended => f.write_str("an event grew past the size limit"),
        }
    }
}

#[cfg(feature = "sse")]
impl std::error::Error for Stopped {}

/// The events of a live `text/event-stream` response; one event may take up to `limit`
/// bytes.
#[cfg(feature = "sse")]
pub(super) fn server_sent<T, E>(
    response: reqwest::Response,
    decode: Decode<T>,
    limit: usize,
) -> impl Stream<Item = Result<Event<T>, Error<E>>> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let status = response.status().as_u16();
    // Bytes read since the last block was dispatched: the chunks add, the events reset.
    let pending = Arc::new(AtomicUsize::new(0));
    let counted = {
        let pending = pending.clone();
        chunks(response).map(move |chunk| {
            let chunk = chunk.map_err(Stopped::Transport)?;
            if pending.fetch_add(chunk.len(), Ordering::Relaxed) + chunk.len() > limit {
                return Err(Stopped::Unended);
            }
            Ok(chunk)
        })
    };
    let blocks = sse_stream::SseByteStream::new(counted)
        .inspect(move |_| pending.store(0, Ordering::Relaxed));
    // The state: the last event id, the last reconnection time, and whether `[DONE]` or a
    // broken stream ended it.
    blocks
        .scan(
            (None::<String>, None::<Duration>, false),
            move |(last_id, retry, done), block| {
                let item = if *done {
                    None
                } else {
                    match block {
                        Err(e) => {
                            *done = true;
                            Some(Some(Err(broken(status, e, limit))))
                        }
                        Ok(block) => {
                            // WHATWG: an empty `id` resets the last event id.
                            if let Some(id) = block.id {
                                *last_id = Some(id).filter(|id| !id.is_empty());
                            }
                            if let Some(ms) = block.retry {
                                *retry = Some(Duration::from_millis(ms));
                            }
                            match block.data {
                                // WHATWG: an event with no data is not dispatched.
                                None => Some(None),
                                Some(data) if data == "[DONE]" => None,
                                Some(data) => Some(Some(match decode(&data) {
                                    Ok(value) => Ok(Event {
                                        event: block.event.filter(|e| !e.is_empty()),
                                        id: last_id.clone(),
                                        retry: *retry,
                                        data: value,
                                    }),
                                    Err(e) => Err(undecodable(status, e, &data)),
                                })),
                            }
                        }
                    }
                };
                std::future::ready(item)
            },
        )
        .filter_map(std::future::ready)
}

/// A stream that broke: the connection (as a transport error), or bytes that are not
/// UTF-8 (as a decode error).
#[cfg(feature = "sse")]
fn broken<E>(status: u16, error: sse_stream::Error, limit: usize) -> Error<E> {
    use serde::de::Error as _;
    match error {
        sse_stream::Error::Body(body) => match body.downcast::<Stopped>().map(|b| *b) {
            Ok(Stopped::Transport(e)) => Error::Transport(e),
            Ok(Stopped::Unended) => Error::BodyTooLarge {
                status,
                limit,
                headers: Box::default(),
            },
            Err(other) => undecodable(status, serde_json::Error::custom(other), ""),
        },
        other => undecodable(status, serde_json::Error::custom(other), ""),
    }
}

/// The items of a live newline-delimited JSON response.
pub(super) fn json_lines<T, E>(
    response: reqwest::Response,
    decode: Decode<T>,
    limit: usize,
    separator: u8,
) -> impl Stream<Item = Result<T, Error<E>>> {
    let status = response.status().as_u16();
    struct Lines<S> {
        chunks: S,
        buffer: BytesMut,
        /// How much of `buffer` is known to hold no separator.
        scanned: usize,
        ended: bool,
    }
    let state = Lines {
        chunks: Box::pin(chunks(response)),
        buffer: BytesMut::new(),
        scanned: 0,
        ended: false,
    };
    futures_util::stream::unfold(state, move |mut s| async move {
        loop {
            // Only new bytes are searched, so a long line costs linear time.
            let found = s
                .buffer
                .get(s.scanned..)
                .and_then(|new| new.iter().position(|&b| b == separator));
            if let Some(at) = found {
                let line = s.buffer.split_to(s.scanned + at + 1);
                s.scanned = 0;
                if let Some(item) = line_item(&line, status, decode) {
                    return Some((item, s));
                }
                continue;
            }
            s.scanned = s.buffer.len();
            if s.ended {
                // A last line without its LF.
                let rest = std::mem::take(&mut s.buffer);
                s.scanned = 0;
                return line_item(&rest, status, decode).map(|item| (item, s));
            }
            if s.buffer.len() > limit {
                s.ended = true;
                s.buffer = BytesMut::new();
                s.scanned = 0;
                let too_large = Error::BodyTooLarge {
                    status,
                    limit,
                    headers: Box::default(),
                };
                return Some((Err(too_large), s));
            }
            match s.chunks.next().await {
                Some(Ok(chunk)) => s.buffer.extend_from_slice(chunk.chunk()),
                Some(Err(e)) => {
                    s.ended = true;
                    s.buffer.clear();
                    s.scanned = 0;
                    return Some((Err(Error::Transport(e)), s));
                }
                None => s.ended = true,
            }
        }
    })
}

/// One line's item; `None` for a blank one.
fn line_item<T, E>(line: &[u8], status: u16, decode: Decode<T>) -> Option<Result<T, Error<E>>> {
    // json-seq (RFC 7464) puts RS before each text.
    let text = String::from_utf8_lossy(line);
    let text = text.trim_matches(|c: char| c == '\u{1e}' || c.is_ascii_whitespace());
    if text.is_empty() {
        return None;
    }
    Some(decode(text).map_err(|e| undecodable(status, e, text)))
}
