//! `cargo xtask pagination`: per spec of both corpora (and the PI spec and the construct
//! fixtures), how many operations are lists, how many of those got a `_stream` by each
//! pagination convention, and how many got a `not-paginated` warning. `--write` puts the
//! table into `docs/PAGINATION.md`.

use openapi_client_gen::lower::pagination::is_list;
use openapi_client_gen::{Settings, WarningKind, config, generate, package};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The conventions, in the order the columns list them.
const CONVENTIONS: &[&str] = &[
    "link-header",
    "cursor",
    "last-id",
    "offset",
    "page-number",
    "next-url",
];

/// One spec's counts.
#[derive(Default)]
struct Row {
    operations: usize,
    lists: usize,
    streams: BTreeMap<&'static str, usize>,
    by_extension: usize,
    not_paginated: usize,
}

/// The report as a Markdown table, and its total streams.
pub fn run(root: &Path) -> Result<String, String> {
    let mut rows = Vec::new();
    for (name, path) in crate::corpus::specs(root)? {
        let text = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let settings = Settings {
            marker: "cargo xtask pagination".into(),
            crate_name: name.replace('.', "-"),
            runtime: package::Runtime::Embedded,
            config: config::Config::default(),
        };
        let Ok(generated) = generate(&text, &settings) else {
            continue;
        };
        let api = &generated.api;
        let mut row = Row {
            operations: api.operations.len(),
            ..Row::default()
        };
        for op in &api.operations {
            row.lists += usize::from(is_list(api, op));
            if let Some(p) = &op.pagination {
                *row.streams.entry(p.next.convention()).or_default() += 1;
                row.by_extension +=
                    usize::from(p.source == openapi_client_gen::ir::PageSource::Extension);
            }
        }
        row.not_paginated = generated
            .warnings
            .iter()
            .filter(|w| w.kind == WarningKind::NotPaginated)
            .count();
        rows.push((name, row));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| spec | operations | lists | streamed | {} | of them by extension | `not-paginated` |",
        CONVENTIONS.join(" | ")
    );
    let _ = writeln!(
        out,
        "|---|---:|---:|---:|{}---:|---:|",
        "---:|".repeat(CONVENTIONS.len())
    );
    let mut total = Row::default();
    for (name, row) in &rows {
        let streamed: usize = row.streams.values().sum();
        let cells: Vec<String> = CONVENTIONS
            .iter()
            .map(|c| row.streams.get(c).copied().unwrap_or(0).to_string())
            .collect();
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {streamed} | {} | {} | {} |",
            row.operations,
            row.lists,
            cells.join(" | "),
            row.by_extension,
            row.not_paginated
        );
        total.operations += row.operations;
        total.lists += row.lists;
        total.by_extension += row.by_extension;
        total.not_paginated += row.not_paginated;
        for (c, n) in &row.streams {
            *total.streams.entry(c).or_default() += n;
        }
    }
    let cells: Vec<String> = CONVENTIONS
        .iter()
        .map(|c| total.streams.get(c).copied().unwrap_or(0).to_string())
        .collect();
    let _ = writeln!(
        out,
        "| **all** | {} | {} | {} | {} | {} | {} |",
        total.operations,
        total.lists,
        total.streams.values().sum::<usize>(),
        cells.join(" | "),
        total.by_extension,
        total.not_paginated
    );
    Ok(out)
}

/// What `docs/PAGINATION.md` says before the table.
pub const PREAMBLE: &str = "# Pagination across the corpora\n\nReproduce with `cargo xtask pagination --write` (this page). For every spec of both corpora, the PI spec and the construct fixtures, generated with no config: its operations; its lists (a JSON array of items in the success response, directly or in one field: the shape the pagination rules start from); how many lists got a `_stream` twin, in total and by convention (the rules are in ARCHITECTURE.md and `generator/src/lower/pagination.rs`), and how many of those an `x-pagination`, `x-speakeasy-pagination` or `x-fern-pagination` extension described; and the `not-paginated` warnings: lists with a sign of paging (a page, offset, cursor or last-id parameter, a `Link` header, a next-page or has-more field, an extension) that no rule pairs, or whose paging input is in a request body. A list with no sign of paging returns everything at once and is not counted as missing a stream.\n\n";
