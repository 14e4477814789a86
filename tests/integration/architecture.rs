//! The invariants ARCHITECTURE.md states that a test can check by reading the source.

use std::path::Path;

/// The code lines of a Rust file: comments and doc comments left out.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, without_comment(l).to_string()))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect()
}

/// A line less its `//` comment; a `//` inside a string literal (a URL) is code, and so is
/// a quote in a char literal (`'"'`).
fn without_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        match (bytes[i], in_string) {
            (b'\\', true) => i += 1,
            (b'"', _) => in_string = !in_string,
            (b'\'', false) if bytes[i + 1..].starts_with(b"\"'") => i += 2,
            (b'\'', false) if bytes[i + 1..].starts_with(b"\\\"'") => i += 3,
            (b'/', false) if bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

#[test]
fn comments_are_cut_where_they_begin() {
    assert_eq!(without_comment("let x = 1; // crate::lower"), "let x = 1; ");
    assert_eq!(
        without_comment(r#"f("http://a", crate::lower) // note"#),
        r#"f("http://a", crate::lower) "#
    );
    assert_eq!(without_comment(r#"f("\"//", x)"#), r#"f("\"//", x)"#);
    assert_eq!(without_comment("/// doc"), "");
    assert_eq!(without_comment(r#"(b'"', x) // c"#), r#"(b'"', x) "#);
    assert_eq!(without_comment(r#"('\"', x) // c"#), r#"('\"', x) "#);
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

/// Emit reads only the IR: it names neither the spec model nor the settings nor the naming
/// rules (names are decided in lowering and carried by the IR).
#[test]
fn emit_reads_only_the_ir() {
    let forbidden = [
        "crate::spec",
        "openapiv3",
        "Settings",
        "crate::naming",
        "naming::",
        "crate::lower",
    ];
    let mut found = Vec::new();
    let files = rust_files(&crate::root().join("generator/src/emit"));
    assert!(files.len() >= 3, "{files:?}");
    for file in files {
        for (n, line) in code_lines(&file) {
            for f in forbidden {
                if line.contains(f) {
                    found.push(format!("{}:{n}: {}", file.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "emit names other stages:\n{}",
        found.join("\n")
    );
}

/// The runtime names nothing in the crate it serves: generated code hands it a static
/// description instead. Written into a crate as a module, it cannot use crate-root paths.
#[test]
fn the_runtime_names_nothing_of_the_generated_crate() {
    let lib = crate::root().join("runtime/src/lib.rs");
    let offending: Vec<String> = code_lines(&lib)
        .into_iter()
        .filter(|(_, l)| l.contains("crate::") || l.contains("super::"))
        .map(|(n, l)| format!("{n}: {}", l.trim()))
        .collect();
    assert!(
        offending.is_empty(),
        "runtime/src/lib.rs:\n{}",
        offending.join("\n")
    );
}

/// `prime-api`'s hand-written `lib.rs` declares the modules and re-exports exactly what a
/// generated crate's `lib.rs` does.
#[test]
fn prime_api_exports_what_a_generated_crate_exports() {
    let generated = openapi_client_gen::generate(&crate::pi_spec(), &crate::settings()).unwrap();
    let files = openapi_client_gen::package::crate_files(&generated, &crate::settings()).unwrap();
    let standalone = &files.iter().find(|(p, _)| p == "src/lib.rs").unwrap().1;
    let committed = std::fs::read_to_string(crate::root().join("generated/src/lib.rs")).unwrap();
    let declarations = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|l| {
                l.starts_with("pub use ")
                    || l.starts_with("mod ")
                    || l.starts_with("pub mod ")
                    || l.starts_with("#[allow")
            })
            .map(str::to_string)
            .collect()
    };
    let expected = declarations(standalone);
    assert!(
        expected.iter().any(|l| l.starts_with("pub use client::")),
        "{standalone}"
    );
    assert_eq!(
        declarations(&committed),
        expected,
        "generated/src/lib.rs and a generated lib.rs differ"
    );
}
