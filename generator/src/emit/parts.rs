//! With group features, the items of `client.rs`, `types.rs` and `mock.rs` that one set
//! of groups compiles are written to a file of their own (`types/g_issues.rs`,
//! `client/any_3.rs`), declared under that set's `#[cfg]`.
//!
//! rustc reads, parses and expands every item of a file before `#[cfg]` drops it, but it
//! does not open the file of a module whose `#[cfg]` is off. Gated in place, GitHub's
//! 220k-line crate cost a build with one group 130 MB and 0.4 s in parsing and expansion
//! alone for items it then dropped; split, a build reads only its groups' files.
//!
//! A small module's parts stay in its file, as inline modules under the same `#[cfg]`s
//! (see [`INLINE_LIMIT`]): what a build with few groups then parses in vain is a few
//! milliseconds at most, while each file is a create and a write for every generation and
//! an open for every build (a 13-operation crate in 16 part files and 3 directories spent
//! more time creating them than generating their text).

use super::code::push_indented;
use super::{File, groups_cfg, join_items, one_impl_block};
use crate::ir::Api;

/// The size of a module's parts together (their formatted text, in bytes) under which
/// they are written inline in the module's file rather than one file each. rustc parses
/// and expands such text at roughly 45 ms and 14 MB a megabyte (GitHub's figures above),
/// so a build that drops all of it pays at most about 10 ms and 4 MB.
pub(super) const INLINE_LIMIT: usize = 256 * 1024;

/// The items of one module gathered by the groups that compile them.
#[derive(Default)]
pub(super) struct Parts {
    /// Each set of groups with its items, in the order the sets first appear.
    parts: Vec<Part>,
}

/// The items one set of groups compiles.
struct Part {
    groups: Vec<usize>,
    /// The bodies of `impl` blocks of the module's main type (`Client`, `MockServer`),
    /// merged into one block.
    methods: Vec<String>,
    /// Items of their own (types, builders).
    items: Vec<String>,
}

impl Parts {
    fn part(&mut self, groups: &[usize]) -> &mut Part {
        let i = match self.parts.iter().position(|p| p.groups == groups) {
            Some(i) => i,
            None => {
                self.parts.push(Part {
                    groups: groups.to_vec(),
                    methods: Vec::new(),
                    items: Vec::new(),
                });
                self.parts.len() - 1
            }
        };
        &mut self.parts[i]
    }

    /// Adds an item compiled when one of `groups` is on.
    pub(super) fn push(&mut self, groups: &[usize], text: String) {
        self.part(groups).items.push(text);
    }

    /// Adds an `impl` block (of the type given to `finish`) compiled when one of `groups`
    /// is on.
    pub(super) fn push_methods(&mut self, groups: &[usize], text: String) {
        self.part(groups).methods.push(text);
    }

    /// Appends the module's declarations of its parts to `out`, the parent file (with a
    /// glob re-export of each part that has items, which are public), each part inline
    /// or, when together they reach [`INLINE_LIMIT`], as a file under `dir/` beside the
    /// parent; returns those files. `header` is the generated-file line; `impl_type` is the
    /// type whose `impl` blocks `push_methods` added.
    pub(super) fn finish(
        self,
        api: &Api,
        dir: &str,
        header: &str,
        impl_type: &str,
        out: &mut String,
    ) -> Result<Vec<File>, syn::Error> {
        let size: usize = self
            .parts
            .iter()
            .flat_map(|p| p.methods.iter().chain(&p.items))
            .map(String::len)
            .sum();
        let inline = size < INLINE_LIMIT;
        let mut files = Vec::new();
        let mut shared = 0;
        for part in self.parts {
            let groups = &part.groups;
            let module = match groups.as_slice() {
                [] => "unreached".to_string(),
                // Feature names are kebab-case ASCII (`naming::feature_name`).
                [g] => format!("g_{}", api.grouping.groups[*g].feature.replace('-', "_")),
                _ => {
                    shared += 1;
                    format!("any_{shared}")
                }
            };
            let cfg = groups_cfg(api, groups);
            let features: Vec<String> = if groups.is_empty() {
                vec!["`full`".to_string()]
            } else {
                groups
                    .iter()
                    .map(|g| format!("`{}`", api.grouping.groups[*g].feature))
                    .collect()
            };
            let reexport = !part.items.is_empty();
            let mut contents = String::new();
            if !inline {
                contents.push_str(header);
            }
            contents.push_str(&format!(
                "//! The part compiled with {}.\n\n#[allow(unused_imports)]\nuse super::*;\n",
                features.join(" or ")
            ));
            one_impl_block(&mut contents, impl_type, part.methods.into_iter().map(Some))?;
            if reexport {
                contents.push('\n');
                join_items(&mut contents, part.items.into_iter().map(Some));
            }
            out.push('\n');
            out.push_str(&cfg);
            out.push('\n');
            if inline {
                out.push_str(&format!("#[rustfmt::skip]\nmod {module} {{\n"));
                push_indented(out, &contents);
                out.push_str("}\n");
            } else {
                out.push_str(&format!(
                    "#[path = \"{dir}/{module}.rs\"]\n#[rustfmt::skip]\nmod {module};\n"
                ));
                files.push(File {
                    name: format!("{dir}/{module}.rs"),
                    contents,
                });
            }
            if reexport {
                out.push_str(&format!("{cfg}\npub use {module}::*;\n"));
            }
        }
        Ok(files)
    }
}
