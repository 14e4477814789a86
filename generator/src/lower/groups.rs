//! Groups: the API's own grouping of its operations, each group a Cargo feature, and the
//! groups that reach each type.
//!
//! The grouping is the tags where they partition the API usefully: every operation tagged,
//! at least two tags, and no tag holding more than half the operations (a tag that holds
//! most of them splits off little). Otherwise it is the first path segment after any
//! version prefix (`/api/v1/pods/{id}` → `pods`), and with fewer than two of those there
//! are no groups. Crates.io refuses a crate of more than 300 features: a grouping that
//! would need more falls back the same way, with a warning.

use super::Lowerer;
use crate::error::WarningKind;
use crate::ir::{Group, GroupBy, Grouping, Operation, TypeDef};
use crate::naming::{self, Namespace};
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet};

/// The most features a crate may have on crates.io.
const MAX_FEATURES: usize = 300;

/// How many groups fit beside the crate's own features.
fn max_groups() -> usize {
    MAX_FEATURES - naming::RESERVED_FEATURES.len()
}

impl Lowerer<'_> {
    /// Chooses the grouping of `operations` and says which groups reach each of `types`.
    pub(super) fn grouping(&mut self, operations: &[Operation], types: &[TypeDef]) -> Grouping {
        let total = operations.len();
        let by_tag = by_tags(operations);
        let by_path = by_paths(operations);
        let too_many = by_tag.len() > max_groups() && by_path.len() > max_groups();
        let (tag_count, path_count) = (by_tag.len(), by_path.len());
        let verdict = if total == 0 {
            Err("the API has no operations".to_string())
        } else {
            tag_verdict(&by_tag, total)
        };
        let (by, reason, groups) = match verdict {
            Ok(()) => (
                GroupBy::Tags,
                format!(
                    "{} tags group the {total} operations (the largest holds {})",
                    by_tag.len(),
                    largest(&by_tag)
                ),
                by_tag,
            ),
            Err(why) if by_path.len() >= 2 && by_path.len() <= max_groups() => (
                GroupBy::Paths,
                format!(
                    "{why}, so the {} first path segments after any version prefix group them",
                    by_path.len()
                ),
                by_path,
            ),
            Err(why) => {
                let paths = if total == 0 {
                    "so there is nothing to group".to_string()
                } else if by_path.len() > max_groups() {
                    format!("{} path segments are too many features", by_path.len())
                } else {
                    "the paths share one first segment".to_string()
                };
                (
                    GroupBy::None,
                    format!("{why} and {paths}: no group features"),
                    IndexMap::new(),
                )
            }
        };
        if by == GroupBy::None && too_many {
            self.warn(
                WarningKind::Other,
                "#/paths",
                format!(
                    "{tag_count} tags and {path_count} path segments are more than the {} \
                     group features a crate may have on crates.io: every operation is always \
                     compiled",
                    max_groups()
                ),
            );
        }
        let mut features = Namespace::with_reserved(naming::RESERVED_FEATURES);
        let groups: Vec<Group> = groups
            .into_iter()
            .map(|(name, operations)| Group {
                feature: features.unique(naming::feature_name(&name)),
                name,
                operations,
            })
            .collect();
        let mut per_operation = vec![Vec::new(); total];
        for (g, group) in groups.iter().enumerate() {
            for &op in &group.operations {
                per_operation[op].push(g);
            }
        }
        let types = if groups.is_empty() {
            BTreeMap::new()
        } else {
            type_groups(operations, types, &per_operation, groups.len())
        };
        Grouping {
            by,
            reason,
            groups,
            operations: per_operation,
            types,
        }
    }
}

/// Operations by tag, in the order tags first appear.
fn by_tags(operations: &[Operation]) -> IndexMap<String, Vec<usize>> {
    let mut groups: IndexMap<String, Vec<usize>> = IndexMap::new();
    for (i, op) in operations.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for tag in &op.tags {
            if seen.insert(tag) {
                groups.entry(tag.clone()).or_default().push(i);
            }
        }
    }
    groups
}

/// Whether tags group the operations usefully, or why not.
fn tag_verdict(groups: &IndexMap<String, Vec<usize>>, total: usize) -> Result<(), String> {
    let tagged: BTreeSet<usize> = groups.values().flatten().copied().collect();
    if groups.is_empty() {
        return Err("no operation is tagged".into());
    }
    if tagged.len() < total {
        return Err(format!(
            "{} of the {total} operations have no tag",
            total - tagged.len()
        ));
    }
    if groups.len() < 2 {
        return Err("every operation has the same tag".into());
    }
    let most = largest(groups);
    if most * 2 > total {
        let (tag, _) = groups.iter().find(|(_, ops)| ops.len() == most).unwrap();
        return Err(format!(
            "the tag `{tag}` holds {most} of the {total} operations"
        ));
    }
    if groups.len() > max_groups() {
        return Err(format!(
            "{} tags are more than the {} group features a crate may have on crates.io",
            groups.len(),
            max_groups()
        ));
    }
    Ok(())
}

fn largest(groups: &IndexMap<String, Vec<usize>>) -> usize {
    groups.values().map(Vec::len).max().unwrap_or(0)
}

/// Operations by the first path segment after any version prefix, in the order segments
/// first appear.
fn by_paths(operations: &[Operation]) -> IndexMap<String, Vec<usize>> {
    let mut groups: IndexMap<String, Vec<usize>> = IndexMap::new();
    for (i, op) in operations.iter().enumerate() {
        groups.entry(path_group(&op.path)).or_default().push(i);
    }
    groups
}

/// The group of a path: its first literal segment after the leading versions and words
/// like `api` (`/api/v1/pods/` → `pods`, `/v2/{org}/members` → `members`, `/repos/{owner}`
/// → `repos`), or its last literal one if that is all it has (`/v1` → `v1`); `root` for a
/// path with no literal segment.
pub fn path_group(path: &str) -> String {
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.contains('{'))
        .collect();
    let leading = segments.iter().take_while(|s| is_prefix(s)).count();
    segments
        .get(leading.min(segments.len().saturating_sub(1)))
        .map_or_else(|| "root".to_string(), |s| s.to_string())
}

/// Whether a leading segment may be part of the prefix before the resource: a version or
/// a word like `api`.
fn is_prefix(segment: &str) -> bool {
    is_version(segment) || matches!(segment.to_ascii_lowercase().as_str(), "api" | "rest")
}

/// `v1`, `v2beta1`, `1.0`, `2`: a version segment (not `2fa` or `404s`).
fn is_version(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    let s = s.strip_prefix('v').unwrap_or(&s);
    let numbers = s.trim_end_matches(|c: char| c.is_ascii_digit());
    // A pre-release suffix and its number (`beta1`), then dotted numbers.
    let numbers = ["alpha", "beta", "rc"]
        .iter()
        .find_map(|tag| numbers.strip_suffix(tag))
        .filter(|rest| !rest.is_empty())
        .map_or(s, |rest| rest);
    !numbers.is_empty()
        && numbers
            .split('.')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Per named type, the groups whose operations reach it through the types they name;
/// types every group reaches are left out. One walk per group, from the types its
/// operations name.
fn type_groups(
    operations: &[Operation],
    types: &[TypeDef],
    per_operation: &[Vec<usize>],
    group_count: usize,
) -> BTreeMap<String, Vec<usize>> {
    let index: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut roots: Vec<Vec<String>> = vec![Vec::new(); group_count];
    for (op, groups) in operations.iter().zip(per_operation) {
        let mut named_here = Vec::new();
        let mut push = |name: &str| named_here.push(name.to_string());
        op.for_each_request_type(&mut push);
        op.for_each_response_type(&mut push);
        for &g in groups {
            roots[g].extend(named_here.iter().cloned());
        }
    }
    let mut reached: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (g, group_roots) in roots.into_iter().enumerate() {
        for name in crate::ir::reached(&index, group_roots) {
            reached.entry(name).or_default().push(g);
        }
    }
    types
        .iter()
        .filter_map(|t| {
            let groups = reached.remove(t.name.as_str()).unwrap_or_default();
            (groups.len() < group_count).then(|| (t.name.clone(), groups))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::path_group;

    #[test]
    fn a_path_groups_by_its_first_segment_after_any_version_prefix() {
        for (path, group) in [
            ("/v1/customers/{id}/sources", "customers"),
            ("/api/v1/pods/", "pods"),
            ("/api/pods", "pods"),
            ("/v2beta1/{org}/members", "members"),
            ("/1.0/things", "things"),
            ("/repos/{owner}/{repo}", "repos"),
            ("/", "root"),
            ("/{id}", "root"),
            ("/api", "api"),
            ("/v1", "v1"),
            ("/users/v1/keys", "users"),
            ("/2fa/enable", "2fa"),
            ("/v1/2fa/enable", "2fa"),
        ] {
            assert_eq!(path_group(path), group, "{path}");
        }
        for (segment, version) in [
            ("v1", true),
            ("V2", true),
            ("v2beta1", true),
            ("v1alpha", true),
            ("1.0", true),
            ("2", true),
            ("2fa", false),
            ("404s", false),
            ("v", false),
            ("beta", false),
            ("vrc1", false),
        ] {
            assert_eq!(super::is_version(segment), version, "{segment}");
        }
    }
}
