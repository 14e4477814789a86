//! A small writer for the items emit writes as text rather than tokens: lines at the
//! current depth, blocks that indent their body, and doc comments, in the layout
//! prettyplease gives those items' shapes: four spaces a level, `{` at the end of the
//! block's first line, `}` on its own line, long lines left as they are. The snapshots and
//! the drift check pin what it writes.

use super::docs;
use std::fmt::{Display, Write as _};

/// Formatted code being written.
#[derive(Default)]
pub(super) struct Code {
    out: String,
    depth: usize,
}

impl Code {
    /// One line at the current depth.
    pub(super) fn line(&mut self, text: impl Display) {
        self.indent();
        let _ = writeln!(self.out, "{text}");
    }

    /// Lines written as they are, already indented (fixed text the generator carries).
    pub(super) fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// The body one level deeper, with no braces around it (the rest of a block whose
    /// head was written with [`raw`](Self::raw)).
    pub(super) fn nested(&mut self, body: impl FnOnce(&mut Code)) {
        self.depth += 1;
        body(self);
        self.depth -= 1;
    }

    /// `open`, the body one level deeper, then `close`, each on its own line; `open` and
    /// `close` on one line when the list is `empty` (`&[]`).
    pub(super) fn list(
        &mut self,
        open: &str,
        close: &str,
        empty: bool,
        body: impl FnOnce(&mut Code),
    ) {
        if empty {
            self.line(format_args!("{open}{close}"));
            return;
        }
        self.line(open);
        self.nested(body);
        self.line(close);
    }

    /// An empty line.
    pub(super) fn blank(&mut self) {
        self.out.push('\n');
    }

    /// `head {`, the body one level deeper, then `}`.
    pub(super) fn block(&mut self, head: impl Display, body: impl FnOnce(&mut Code)) {
        self.block_then(head, "", body);
    }

    /// [`block`](Self::block) whose closing brace is followed by `tail` (`)`, `;`, `,`).
    pub(super) fn block_then(
        &mut self,
        head: impl Display,
        tail: &str,
        body: impl FnOnce(&mut Code),
    ) {
        self.line(format_args!("{head} {{"));
        self.depth += 1;
        body(self);
        self.depth -= 1;
        self.line(format_args!("}}{tail}"));
    }

    /// `{`, the body one level deeper, then `}`: a block statement.
    pub(super) fn bare_block(&mut self, body: impl FnOnce(&mut Code)) {
        self.line("{");
        self.depth += 1;
        body(self);
        self.depth -= 1;
        self.line("}");
    }

    /// Doc comment lines for the document's prose, cleaned for rustdoc.
    pub(super) fn doc(&mut self, text: &str) {
        let indent = "    ".repeat(self.depth);
        docs::text(text, &indent, &mut self.out);
    }

    /// Doc comment lines for text the generator wrote itself.
    pub(super) fn trusted_doc(&mut self, text: &str) {
        let indent = "    ".repeat(self.depth);
        docs::trusted_text(text, &indent, &mut self.out);
    }

    /// The code written.
    pub(super) fn finish(self) -> String {
        self.out
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
    }
}

/// Appends `text` one level deeper to `out`: four spaces before each line that is not
/// empty. Emitted code has no line break inside a literal (strings are written escaped,
/// prose as `///` lines), so this changes no value; a test checks the emitted files'
/// literals.
pub(super) fn push_indented(out: &mut String, text: &str) {
    out.reserve(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        if line != "\n" {
            out.push_str("    ");
        }
        out.push_str(line);
    }
}

/// `text` as a Rust string literal.
pub(crate) fn str_lit(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_indent_their_bodies() {
        let mut c = Code::default();
        c.trusted_doc("A thing.");
        c.block("impl A", |c| {
            c.block_then("fn f() -> Option<u8>", "", |c| {
                c.block_then("Some(match 1", ")", |c| c.line("_ => 2,"));
            });
            c.blank();
            c.line("const X: u8 = 1;");
        });
        let expected = "/// A thing.\nimpl A {\n    fn f() -> Option<u8> {\n        Some(match 1 {\n            _ => 2,\n        })\n    }\n\n    const X: u8 = 1;\n}\n";
        assert_eq!(c.finish(), expected);
    }
}
