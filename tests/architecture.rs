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
