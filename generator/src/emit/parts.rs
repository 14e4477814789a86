//! With group features, the items of `client.rs` and `types.rs` that one set of groups
//! compiles are written to a file of their own (`types/g_issues.rs`, `client/any_3.rs`),
//! declared under that set's `#[cfg]`.
//!
//! rustc reads, parses and expands every item of a file before `#[cfg]` drops it, but it
//! does not open the file of a module whose `#[cfg]` is off. Gated in place, GitHub's
//! 220k-line crate cost a build with one group 130 MB and 0.4 s in parsing and expansion
//! alone for items it then dropped; split, a build reads only its groups' files.

use super::{File, groups_cfg};
use crate::ir::Api;

/// The items of one module gathered by the groups that compile them.
#[derive(Default)]
pub(super) struct Parts {
    /// Each set of groups with its items' texts, in the order the sets first appear.
    parts: Vec<(Vec<usize>, Vec<String>)>,
}

impl Parts {
    /// Adds an item compiled when one of `groups` is on.
    pub(super) fn push(&mut self, groups: &[usize], text: String) {
        match self.parts.iter_mut().find(|(g, _)| g == groups) {
            Some((_, texts)) => texts.push(text),
            None => self.parts.push((groups.to_vec(), vec![text])),
        }
    }

    /// The module's declarations of its parts (`reexport`: and a glob re-export of each,
    /// for the public types) to append to the parent file, and the part files, under
    /// `dir/` beside the parent. `header` is the generated-file line and `imports` the
    /// lines each part needs besides `use super::*;`; `wrap` turns a part's items into its
    /// body (the methods of an `impl` block, say).
    pub(super) fn finish(
        self,
        api: &Api,
        dir: &str,
        header: &str,
        imports: &str,
        reexport: bool,
        wrap: impl Fn(Vec<String>) -> Result<String, syn::Error>,
    ) -> Result<(String, Vec<File>), syn::Error> {
        let mut declarations = String::new();
        let mut files = Vec::new();
        let mut shared = 0;
        for (groups, texts) in self.parts {
            let module = match groups.as_slice() {
                [] => "unreached".to_string(),
                // Feature names are kebab-case ASCII (`naming::feature_name`).
                [g] => format!("g_{}", api.grouping.groups[*g].feature.replace('-', "_")),
                _ => {
                    shared += 1;
                    format!("any_{shared}")
                }
            };
            let cfg = groups_cfg(api, &groups);
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
            if reexport {
                declarations.push_str(&format!("{cfg}\npub use {module}::*;\n"));
            }
            let body = wrap(texts)?;
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
