//! The layers of the crate point one way (ARCHITECTURE.md): a module may use
//! modules of its own layer or below, never above. In particular the engine
//! (accounting, measures, roadmap, uncertainty) knows the study and nothing
//! about workbooks, files or output formats.
//!
//! The check reads the sources: every `crate::<module>` path and every
//! `use super::…` that leaves a module folder is a dependency.

use crate::common::sources;
use std::collections::BTreeMap;
use std::path::Path;

/// Each top-level module with its layer; a module may depend only on lower
/// layers, so no two modules import each other.
const LAYERS: &[(&str, u8)] = &[
    ("suggest", 0),
    ("text", 1),
    ("units", 2),
    ("substance", 3),
    ("error", 4),
    ("factors", 5),
    ("graph", 6),
    ("study", 7),
    // the engine
    ("accounting", 8),
    ("measures", 9),
    ("roadmap", 10),
    ("uncertainty", 11),
    // adapters: file safety, inputs, outputs
    ("output", 12),
    ("workbook", 13),
    ("synthetic", 14),
    ("export", 15),
    ("report", 16),
    // the binary's commands (src/cli, under src/main.rs)
    ("cli", 17),
    // the binary's web server (src/serve): above the commands it runs
    ("serve", 18),
];

/// External crates that belong to adapters only.
const ADAPTER_CRATES: &[&str] = &["calamine", "rust_xlsxwriter", "csv::", "zip::"];
const ENGINE_LAYER_MAX: u8 = 11;

/// The top-level module a source file belongs to (`src/accounting/combustion.rs` → accounting).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib" && name != "main").then_some(name)
}

/// Code without comments, so that doc links (`[`crate::workbook`]`) are not dependencies.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn modules_depend_only_on_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layer: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut violations = Vec::new();
    let mut seen_modules = 0;
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(&own) = layer.get(module.as_str()) else {
            violations.push(format!(
                "{}: module '{module}' has no layer in tests/architecture.rs",
                file.display()
            ));
            continue;
        };
        seen_modules += 1;
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let dep: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if dep == module || dep.is_empty() {
                continue;
            }
            match layer.get(dep.as_str()) {
                Some(&l) if l < own => {}
                Some(&l) => violations.push(format!(
                    "{}: {module} (layer {own}) uses crate::{dep} (layer {l})",
                    file.display()
                )),
                // re-exports at the crate root (crate::Error, crate::Result, …)
                None => {}
            }
        }
        if own <= ENGINE_LAYER_MAX {
            for c in ADAPTER_CRATES {
                if code.contains(&format!("use {c}")) || code.contains(&format!("{c}::")) {
                    violations.push(format!(
                        "{}: engine module {module} uses the adapter crate {c}",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(seen_modules > 20, "read only {seen_modules} files");
    assert!(
        violations.is_empty(),
        "layering broken:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_check_catches_an_engine_module_that_imports_an_adapter() {
    // The rule the test above applies, on a made-up line: proves it can fail.
    let code = code_of("use crate::workbook::read; // the engine must not\n");
    let layer: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let dep = code
        .split("crate::")
        .nth(1)
        .unwrap()
        .split("::")
        .next()
        .unwrap();
    assert!(layer[dep] > layer["accounting"]);
    // and a doc comment naming an adapter is not a dependency
    assert!(!code_of("//! see [`crate::workbook`]").contains("crate::"));
}

/// Files by concern and functions that read in one sitting (#11): no source
/// file over 800 lines and no function over 150, counted from the `fn` line
/// to its closing brace. A file or function that must be longer is listed in
/// [`LONG_ALLOWED`] with the reason.
const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 150;

/// (file or `file::function`, why it may be longer). Empty: none needs to be.
const LONG_ALLOWED: &[(&str, &str)] = &[];

/// The functions of a source text longer than `max` lines: (name, first
/// line, lines). Braces inside strings, chars and comments are skipped.
fn long_functions(text: &str, max: usize) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let t = t
            .strip_prefix("pub(crate) ")
            .or_else(|| t.strip_prefix("pub(super) "))
            .or_else(|| t.strip_prefix("pub "))
            .unwrap_or(t);
        let t = t.strip_prefix("const ").unwrap_or(t);
        let Some(rest) = t.strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let mut depth = 0i32;
        let mut opened = false;
        for (j, l) in lines.iter().enumerate().skip(i) {
            let code = braces_of(l);
            depth += code.matches('{').count() as i32 - code.matches('}').count() as i32;
            opened |= code.contains('{');
            if !opened && code.trim_end().ends_with(';') {
                break; // a declaration in a trait
            }
            if opened && depth <= 0 {
                if j - i + 1 > max {
                    long.push((name.clone(), i + 1, j - i + 1));
                }
                break;
            }
        }
    }
    long
}

/// A line without its comment, strings and char literals (their braces are
/// not blocks).
fn braces_of(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        match (in_str, c) {
            (true, '\\') => {
                chars.next();
            }
            (true, '"') => in_str = false,
            (true, _) => {}
            (false, '"') => in_str = true,
            (false, '\'') => {
                // a char literal ('{', '\'') or a lifetime ('a)
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with('\\') || rest.chars().nth(1) == Some('\'') {
                    while let Some(x) = chars.next() {
                        if x == '\'' {
                            break;
                        }
                        if x == '\\' {
                            chars.next();
                        }
                    }
                }
            }
            (false, '/') if chars.peek() == Some(&'/') => break,
            (false, _) => out.push(c),
        }
    }
    out
}

#[test]
fn no_file_or_function_is_too_long_to_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let mut too_long = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(root).unwrap().display().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let allowed = |what: &str| LONG_ALLOWED.iter().any(|(w, _)| *w == what);
        let n = text.lines().count();
        if n > MAX_FILE_LINES && !allowed(&rel) {
            too_long.push(format!("{rel}: {n} lines"));
        }
        for (name, at, lines) in long_functions(&text, MAX_FN_LINES) {
            if !allowed(&format!("{rel}::{name}")) {
                too_long.push(format!("{rel}:{at} fn {name}: {lines} lines"));
            }
        }
    }
    assert!(
        too_long.is_empty(),
        "split these, or list them in LONG_ALLOWED with the reason:\n{}",
        too_long.join("\n")
    );
}

#[test]
fn the_length_check_counts_a_function_to_its_closing_brace() {
    let body = "    let s = \"{ not a block\";\n".repeat(160);
    let text = format!("fn long() {{\n{body}}}\nfn short() {{\n    '{{';\n}}\n");
    let found = long_functions(&text, MAX_FN_LINES);
    assert_eq!(found, vec![("long".to_string(), 1, 162)]);
}
