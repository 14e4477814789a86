//! Selection: the operations a config's `[select]` keeps, and the types they reach.
//!
//! An operation is kept when no include rule is given or one matches it, and no exclude rule
//! matches it; a rule matches by tag, by path pattern (`*` stands for any run of
//! characters, `/` included) or by `operationId`. With a selection, a type no kept
//! operation reaches, directly or through other types, is left out, component schemas
//! included. Names are decided before selecting, so a method or type keeps its name
//! whatever else is left out.

use crate::config::{Rules, Select};
use crate::ir::{Operation, TypeDef};
use std::collections::{BTreeMap, BTreeSet};

/// A rule that matched no operation of the document: its byte offset in the config file,
/// and what it is (`select.include.tags: \`pods\``).
pub(crate) struct Unmatched {
    pub offset: usize,
    pub what: String,
}

/// Keeps the operations `select` selects; returns the rules that matched nothing.
pub(crate) fn apply(operations: &mut Vec<Operation>, select: &Select) -> Vec<Unmatched> {
    let mut unmatched = Vec::new();
    for (side, rules) in [("include", &select.include), ("exclude", &select.exclude)] {
        for (kind, values) in [
            ("tags", &rules.tags),
            ("paths", &rules.paths),
            ("operations", &rules.operations),
        ] {
            for value in values {
                let any = operations
                    .iter()
                    .any(|op| matches(kind, value.get_ref(), op));
                if !any {
                    unmatched.push(Unmatched {
                        offset: value.span().start,
                        what: format!("select.{side}.{kind}: `{}`", value.get_ref()),
                    });
                }
            }
        }
    }
    let includes = !select.include.is_empty();
    operations.retain(|op| {
        (!includes || rules_match(&select.include, op)) && !rules_match(&select.exclude, op)
    });
    unmatched
}

fn rules_match(rules: &Rules, op: &Operation) -> bool {
    rules.tags.iter().any(|t| matches("tags", t.get_ref(), op))
        || rules
            .paths
            .iter()
            .any(|p| matches("paths", p.get_ref(), op))
        || rules
            .operations
            .iter()
            .any(|o| matches("operations", o.get_ref(), op))
}

fn matches(kind: &str, value: &str, op: &Operation) -> bool {
    match kind {
        "tags" => op.tags.iter().any(|t| t == value),
        "paths" => wildcard(value, &op.path),
        _ => op.operation_id.as_deref() == Some(value),
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters. The
/// classic greedy match with one backtrack point, linear in practice.
fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The names of the types `operations` reach, directly or through other types.
pub(crate) fn reachable(operations: &[Operation], types: &[TypeDef]) -> BTreeSet<String> {
    let index: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut roots: Vec<String> = Vec::new();
    let mut push = |name: &str| roots.push(name.to_string());
    for op in operations {
        op.for_each_request_type(&mut push);
        op.for_each_response_type(&mut push);
    }
    crate::ir::reached(&index, roots)
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn wildcards() {
        assert!(wildcard("/api/v1/pods*", "/api/v1/pods/{id}"));
        assert!(wildcard("*", ""));
        assert!(wildcard("/a/*/c", "/a/b/x/c"));
        assert!(!wildcard("/a/*/c", "/a/b/x/d"));
        assert!(wildcard("/pods", "/pods") && !wildcard("/pods", "/pods/1"));
    }
}
