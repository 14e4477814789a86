//! With group features, the items of `client.rs`, `types.rs` and `mock.rs` that one set
//! of groups compiles are written to a file of their own (`types/g_issues.rs`,
//! `client/any_3.rs`), declared under that set's `#[cfg]`.
//!
//! rustc reads, parses and expands every item of a file before `#[cfg]` drops it, but it
//! does not open the file of a module whose `#[cfg]` is off. Gated in place, GitHub's
//! 220k-line crate cost a build with one group 130 MB and 0.4 s in parsing and expansion
//! alone for items it then dropped; split, a build reads only its groups' files.

use super::{File, groups_cfg, join_items, one_impl_block};
use crate::ir::Api;

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

    /// The module's declarations of its parts (with a glob re-export of each where the
    /// part has items, which are public) to append to the parent file, and the part
    /// files, under `dir/` beside the parent. `header` is the generated-file line and
    /// `imports` the lines each part needs besides `use super::*;`; `impl_type` is the
    /// type whose `impl` blocks `push_methods` added.
    pub(super) fn finish(
        self,
        api: &Api,
        dir: &str,
        header: &str,
        imports: &str,
        impl_type: &str,
    ) -> Result<(String, Vec<File>), syn::Error> {
        let mut declarations = String::new();
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
            declarations.push_str(&format!(
                "\n{cfg}\n#[path = \"{dir}/{module}.rs\"]\n#[rustfmt::skip]\nmod {module};\n"
            ));
            if !part.items.is_empty() {
                declarations.push_str(&format!("{cfg}\npub use {module}::*;\n"));
            }
            let mut body = one_impl_block(impl_type, part.methods.into_iter().map(Some))?;
            if !part.items.is_empty() {
                body.push('\n');
                body.push_str(&join_items(part.items.into_iter().map(Some)));
            }
            files.push(File {
                name: format!("{dir}/{module}.rs"),
                contents: format!(
                    "{header}//! The part compiled with {}.\n\n#[allow(unused_imports)]\nuse super::*;\n{imports}{body}",
                    features.join(" or ")
                ),
            });
        }
        Ok((declarations, files))
    }
}
