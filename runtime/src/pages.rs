//! Paginated lists read as one stream of items: [`pages`] walks the pages whatever the
//! convention (the generated `_stream` methods say how to ask for a page and where its
//! next page is), and [`next_link`] reads an RFC 8288 `Link` header's next page.
//!
//! Every stream ends: on an empty page, when a page names no next one, when the server
//! names a page already read (an [`Error::Paging`] after the items), and for counted
//! conventions (offsets, page numbers), whose next page is always new, when a page starts
//! with the item the page before started with (a server that ignores the parameter).

use super::Error;
use reqwest::header::{HeaderMap, LINK};
use std::future::Future;

/// One page of a list: its items and how to ask for the next one (`None` on the last).
pub struct Page<T, S> {
    /// The page's items.
    pub items: Vec<T>,
    /// The next page's offset, number, cursor or URL.
    pub next: Option<S>,
}

/// How a list's pages end, beyond what every list does (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// The next page is counted (an offset, a page number), so it is always new: a page
    /// that starts with the previous page's first item means the server ignored it.
    pub counted: bool,
    /// A page shorter than an earlier page of the same stream is the last (page numbers:
    /// the server's page size is learnt from the pages, since it may cap the one asked).
    pub short_page_ends: bool,
}

/// Streams the items of a paginated list: `fetch` gets the page at `first`, then at each
/// page's `next`, until one of the ends in the module docs. An error is yielded once and
/// ends the stream.
pub fn pages<T, E, S, F, Fut>(
    first: S,
    paging: Paging,
    fetch: F,
) -> impl futures_core::Stream<Item = Result<T, Error<E>>>
where
    T: PartialEq + Clone,
    S: PartialEq + Clone,
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Result<Page<T, S>, Error<E>>>,
{
    struct State<T, S, F, E> {
        fetch: F,
        /// The page to fetch next; `None` once the last page has been read.
        at: Option<S>,
        /// Every page asked for so far, to notice one named again.
        asked: Vec<S>,
        buffer: std::vec::IntoIter<T>,
        /// The first item of the last page (counted conventions).
        last_first: Option<T>,
        /// The longest page so far.
        longest: usize,
        /// An error to yield once the buffer is empty, ending the stream.
        end_with: Option<Error<E>>,
    }
    let state = State {
        fetch,
        at: Some(first),
        asked: Vec::new(),
        buffer: Vec::new().into_iter(),
        last_first: None,
        longest: 0,
        end_with: None,
    };
    futures_util::stream::unfold(state, move |mut s| async move {
        loop {
            if let Some(item) = s.buffer.next() {
                return Some((Ok(item), s));
            }
            if let Some(e) = s.end_with.take() {
                s.at = None;
                return Some((Err(e), s));
            }
            let at = s.at.take()?;
            let page = match (s.fetch)(at.clone()).await {
                Ok(page) => page,
                Err(e) => return Some((Err(e), s)),
            };
            let repeats_first = paging.counted
                && s.last_first.is_some()
                && s.last_first.as_ref() == page.items.first();
            if page.items.is_empty() || repeats_first {
                return None;
            }
            s.asked.push(at);
            let short = paging.short_page_ends && page.items.len() < s.longest;
            s.longest = s.longest.max(page.items.len());
            match page.next {
                Some(_) if short => {}
                Some(next) if s.asked.contains(&next) => {
                    s.end_with = Some(Error::Paging(format!(
                        "page {} names an earlier page as the next one",
                        s.asked.len()
                    )));
                }
                next => s.at = next,
            }
            if paging.counted {
                s.last_first = page.items.first().cloned();
            }
            s.buffer = page.items.into_iter();
        }
    })
}

/// The target of the `Link` header's link with relation type `next` (RFC 8288), if the
/// headers have one. Several `Link` headers, several links per header, several relation
/// types per link (`rel="next last"`) and parameters in any order are read; relation types
/// compare case-insensitively. The target is returned as written: it may be relative to
/// the request's URL.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| {
            links(value)
                .find(|(_, next)| *next)
                .map(|(target, _)| target)
        })
}

/// The links of one `Link` header value, each as its target and whether one of its
/// relation types is `next`. A value that does not parse ends the list where it breaks.
fn links(value: &str) -> impl Iterator<Item = (String, bool)> + '_ {
    let mut rest = value;
    std::iter::from_fn(move || {
        // link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let after_open = rest.strip_prefix('<')?;
        let close = after_open.find('>')?;
        let target = after_open[..close].to_string();
        rest = &after_open[close + 1..];
        let mut next = false;
        loop {
            rest = rest.trim_start_matches([' ', '\t']);
            let Some(param) = rest.strip_prefix(';') else {
                break;
            };
            rest = param.trim_start_matches([' ', '\t']);
            let name_end = rest
                .find(|c: char| c == '=' || c == ';' || c == ',' || c.is_whitespace())
                .unwrap_or(rest.len());
            let name = &rest[..name_end];
            rest = rest[name_end..].trim_start_matches([' ', '\t']);
            let value = match rest.strip_prefix('=') {
                Some(v) => {
                    let (value, after) = param_value(v.trim_start_matches([' ', '\t']));
                    rest = after;
                    value
                }
                None => String::new(),
            };
            if name.eq_ignore_ascii_case("rel") {
                next |= value
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"));
            }
        }
        Some((target, next))
    })
}

/// A parameter's value, a token or a quoted string (RFC 9110 §5.6.4, backslash escapes
/// undone), and the text after it.
fn param_value(text: &str) -> (String, &str) {
    let Some(quoted) = text.strip_prefix('"') else {
        let end = text.find([';', ',']).unwrap_or(text.len());
        return (text[..end].trim_end().to_string(), &text[end..]);
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (value, &quoted[i + 1..]),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            c => value.push(c),
        }
    }
    (value, "")
}
