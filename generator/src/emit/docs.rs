//! Spec prose → rustdoc attributes that render as written and never trip rustdoc's lints.
//!
//! Descriptions are CommonMark, but rustdoc reads more into them than a spec author means:
//! `[name]` becomes an intra-doc link, an unlabelled or indented code block becomes a Rust
//! doctest, `<T>` becomes an HTML tag and a bare URL draws a lint. Outside code spans and
//! fences those are escaped; fences without a language are marked `text`.

use proc_macro2::TokenStream;
use quote::quote;

/// Inner `#![doc = "..."]` attributes (a module's or crate's own docs) for prose.
pub fn inner_attrs(text: &str) -> TokenStream {
    let cleaned = clean(text);
    let lines = cleaned.lines().map(|l| {
        let line = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}

/// The doc texts of one token-built item. Each text stands in the tokens as a marker
/// attribute until [`expand`] puts its lines in place after formatting: parsing and
/// printing doc comments as string literals cost about 8% of the generator's instructions
/// on the PI spec (348M → 321M under callgrind, before the fixed-shape items became
/// text), and the output is the same. The item owns its texts, so items are built and
/// formatted on any thread.
#[derive(Default)]
pub(super) struct Docs(std::cell::RefCell<Vec<String>>);

impl Docs {
    /// `#[doc]` attributes for a piece of the document's prose, cleaned for rustdoc.
    pub(super) fn attrs(&self, text: &str) -> TokenStream {
        self.trusted_attrs(&clean(text))
    }

    /// Doc attributes for text the generator wrote itself (intra-doc links meant as such).
    pub(super) fn trusted_attrs(&self, text: &str) -> TokenStream {
        if text.lines().next().is_none() {
            return TokenStream::new();
        }
        let mut texts = self.0.borrow_mut();
        // The marker character cannot come from the text itself.
        texts.push(text.replace(MARK, "\u{fffd}"));
        let marker = format!("{MARK}{}{MARK}", texts.len() - 1);
        quote!(#[doc = #marker])
    }

    /// The texts, indexed as their markers say.
    pub(super) fn into_texts(self) -> Vec<String> {
        self.0.into_inner()
    }
}

/// Doc comment lines for prose, as formatted text at `indent`: what [`Docs::attrs`] prints
/// as.
pub fn text(text: &str, indent: &str, out: &mut String) {
    trusted_text(&clean(text), indent, out);
}

/// Doc comment lines for text the generator wrote, as [`Docs::trusted_attrs`] prints: `///`, a
/// space and the line, trailing spaces trimmed (an empty line is a bare `///`).
pub fn trusted_text(text: &str, indent: &str, out: &mut String) {
    for line in text.lines() {
        out.push_str(indent);
        out.push_str("///");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line.trim_end_matches(' '));
        }
        out.push('\n');
    }
}

/// The character that brackets a doc marker's index.
const MARK: char = '\u{1}';

/// Replaces each marker line of formatted code with its doc lines, as prettyplease would
/// have printed them (see [`trusted_text`]).
pub(super) fn expand(code: String, docs: &[String]) -> String {
    if docs.is_empty() {
        return code;
    }
    let mut out =
        String::with_capacity(code.len() + docs.iter().map(|d| 2 * d.len()).sum::<usize>());
    for line in code.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let text = trimmed
            .strip_prefix("///")
            .and_then(|rest| rest.strip_prefix(MARK))
            .and_then(|rest| rest.trim_end().strip_suffix(MARK))
            .and_then(|index| index.parse::<usize>().ok())
            .and_then(|index| docs.get(index));
        let Some(text) = text else {
            out.push_str(line);
            continue;
        };
        trusted_text(text, &line[..line.len() - trimmed.len()], &mut out);
    }
    out
}

/// Joins paragraphs with blank lines, skipping empty ones.
pub fn paragraphs<'s>(parts: impl IntoIterator<Item = Option<&'s str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Spec text made safe to put in a doc comment (what [`Docs::attrs`] applies).
pub fn clean(text: &str) -> String {
    // A bare CR is not allowed in a doc comment; a tab is shown as four spaces (clippy's
    // `tabs_in_doc_comments`, and rustdoc's code blocks render them unevenly).
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ");
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for raw in text.trim().lines() {
        let trimmed = raw.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if marker.len() >= 3
            && (marker.chars().all(|c| c == '`') || marker.chars().all(|c| c == '~'))
        {
            match &fence {
                Some(open)
                    if marker.starts_with(open.as_str())
                        && trimmed[marker.len()..].trim().is_empty() =>
                {
                    fence = None;
                    out.push(marker);
                }
                Some(_) => out.push(raw.to_string()),
                None => {
                    let lang = trimmed[marker.len()..].trim();
                    // Only explicitly non-Rust fences stay as they are; rustdoc would compile
                    // unlabelled ones and ones marked `rust`.
                    let lang = if lang.is_empty() || lang == "rust" {
                        "text"
                    } else {
                        lang
                    };
                    out.push(format!("{marker}{lang}"));
                    fence = Some(marker);
                }
            }
            continue;
        }
        if fence.is_some() {
            out.push(raw.trim_end().to_string());
        } else {
            // Indentation would start an (unlabelled, so Rust) code block.
            out.push(escape_line(trimmed.trim_end()));
        }
    }
    if let Some(open) = fence {
        out.push(open);
    }
    out.join("\n")
}

/// Escapes outside inline code spans.
fn escape_line(line: &str) -> String {
    let parts: Vec<&str> = line.split('`').collect();
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts are code spans, unless the last backtick is never closed.
        if i % 2 == 1 && i + 1 < parts.len() {
            out.push_str(part);
        } else {
            out.push_str(&escape_prose(part));
        }
    }
    out
}

fn escape_prose(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '[' => {
                // Keep `[text](url)` links; escape anything rustdoc would resolve as a path.
                let close = chars[i..].iter().position(|&c| c == ']').map(|p| p + i);
                match close {
                    Some(close) if chars.get(close + 1) == Some(&'(') => out.push('['),
                    _ => out.push_str("\\["),
                }
            }
            ']' => {
                if chars.get(i + 1) == Some(&'(') {
                    out.push(']');
                } else {
                    out.push_str("\\]");
                }
            }
            '<' => {
                let rest: String = chars[i + 1..].iter().collect();
                if rest.starts_with("http://") || rest.starts_with("https://") {
                    out.push('<');
                } else {
                    out.push_str("&lt;");
                }
            }
            '>' => out.push_str("&gt;"),
            'h' if starts_url(&chars[i..]) && !preceded_by_link(&chars, i) => {
                let end = chars[i..]
                    .iter()
                    .position(|c| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\''))
                    .map_or(chars.len(), |p| p + i);
                let mut url: String = chars[i..end].iter().collect();
                // Sentence punctuation after a URL is not part of it.
                let mut trailing = String::new();
                while url.ends_with(['.', ',', ';', ':']) {
                    trailing.insert(0, url.pop().unwrap_or('.'));
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&trailing);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_url(chars: &[char]) -> bool {
    let s: String = chars.iter().take(8).collect();
    s.starts_with("http://") || s.starts_with("https://")
}

fn preceded_by_link(chars: &[char], i: usize) -> bool {
    i > 0 && matches!(chars[i - 1], '(' | '<')
}

/// What the groups of a grouping are, in words (`tag`, `first path segment`); `None`
/// without groups.
pub fn grouped_by(by: crate::ir::GroupBy) -> Option<&'static str> {
    use crate::ir::GroupBy;
    match by {
        GroupBy::Tags => Some("tag"),
        GroupBy::Paths => Some("first path segment"),
        GroupBy::None => None,
    }
}

/// With groups, the crate docs' table of group features and their operations.
fn features_table(api: &crate::ir::Api) -> String {
    let grouping = &api.grouping;
    let Some(by) = grouped_by(grouping.by) else {
        return String::new();
    };
    let mut out = format!(
        "\n## Features\n\nThe operations are grouped by {by}, each group a Cargo feature; \
         `full`, on by default, turns on every group. With `default-features = false` a \
         build compiles the operations of the groups it names and the types they use \
         (`features = [\"{}\", \"rustls\"]`).\n\n| feature | {by} | operations |\n|---|---|---|\n",
        grouping.groups[0].feature
    );
    for g in &grouping.groups {
        let ops: Vec<String> = g
            .operations
            .iter()
            .map(|&i| format!("`{}`", api.operations[i].name))
            .collect();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            g.feature,
            clean(&g.name).replace(['\n', '|'], " "),
            ops.join(", ")
        ));
    }
    out
}

/// `operations.md`: the crate docs' list of operations, grouped by the document's tags (an
/// operation with several tags is listed under each; untagged ones come last), one line
/// each with its method on `Client`, its summary, and its HTTP method and path. `Client`'s
/// own page lists hundreds of methods in one run; this is where an app developer finds a
/// call by what it is about.
pub fn operations_list(api: &crate::ir::Api) -> String {
    let mut out = String::from(
        "# Operations\n\nEvery operation of the API, grouped by the document's tags: its \
         method on [`Client`](crate::Client), its summary, and its HTTP method and path.\n",
    );
    let line = |op: &crate::ir::Operation| {
        // One line of prose: the first line of the summary, cleaned for rustdoc.
        let summary = op
            .summary
            .as_deref()
            .map(|s| clean(s.lines().next().unwrap_or_default()))
            .filter(|s| !s.is_empty())
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        let deprecated = if op.deprecated { " (deprecated)" } else { "" };
        format!(
            "- [`{0}`](crate::Client::{0}){summary}{deprecated} — `{1} {2}`\n",
            op.name,
            op.method.as_str(),
            op.path.replace('`', "'")
        )
    };
    out.push_str(&features_table(api));
    let tagged = !api.tags.is_empty();
    for tag in &api.tags {
        let ops: Vec<_> = api
            .operations
            .iter()
            .filter(|o| o.tags.contains(&tag.name))
            .collect();
        if ops.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {}\n\n", clean(&tag.name).replace('\n', " ")));
        if let Some(first) = tag
            .description
            .as_deref()
            .and_then(|d| d.split("\n\n").next())
            .map(|d| clean(d).replace('\n', " "))
            .filter(|d| !d.is_empty())
        {
            out.push_str(&format!("{first}\n\n"));
        }
        for op in ops {
            out.push_str(&line(op));
        }
    }
    let untagged: Vec<_> = api
        .operations
        .iter()
        .filter(|o| o.tags.is_empty())
        .collect();
    if !untagged.is_empty() {
        if tagged {
            out.push_str("\n## Other operations\n\n");
        } else {
            out.push('\n');
        }
        for op in untagged {
            out.push_str(&line(op));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_made_safe_for_rustdoc() {
        assert_eq!(
            clean("See [docs](https://x.y) and [Foo]."),
            "See [docs](https://x.y) and \\[Foo\\]."
        );
        assert_eq!(clean("List<T> `Vec<T>`"), "List&lt;T&gt; `Vec<T>`");
        assert_eq!(clean("Go to https://x.y/z."), "Go to <https://x.y/z>.");
        assert_eq!(clean("```\ncode\n```"), "```text\ncode\n```");
        assert_eq!(clean("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(clean("a\n\n    indented"), "a\n\nindented");
        assert_eq!(clean("one\rtwo\r\nthree"), "one\ntwo\nthree");
        assert_eq!(clean("$ORIGIN\texample.com."), "$ORIGIN    example.com.");
    }
}
