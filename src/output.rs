//! Safe file output: atomic writes (a temporary file in the same folder, then
//! a rename), refusal to write over an input, and neutralising spreadsheet
//! formula injection in text that came from users.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Writes a file atomically: `write` fills a temporary path next to `target`,
/// which is then renamed over `target`. On error the temporary file is removed
/// and `target` is untouched. `protected` paths (the inputs) are never written.
pub fn atomic_write<F>(target: &Path, protected: &[&Path], write: F) -> Result<()>
where
    F: FnOnce(&Path) -> Result<()>,
{
    let io = |path: &Path, source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    for p in protected {
        if same_file(target, p) {
            return Err(Error::Request(format!(
                "refusing to write '{}': it is an input of this run; choose another --out",
                target.display()
            )));
        }
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.exists() {
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = write(&tmp).and_then(|_| std::fs::rename(&tmp, target).map_err(|e| io(target, e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Text that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab,
/// carriage return at the start) gets a leading apostrophe, the OWASP advice
/// for CSV injection. Numbers such as `-5` are left alone.
pub fn neutralise(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && crate::units::parse_decimal(text).is_none() {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-5"), "-5");
        assert_eq!(neutralise("Plant A"), "Plant A");
    }

    #[test]
    fn atomic_write_refuses_the_input_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.xlsx");
        std::fs::write(&input, b"data").unwrap();
        let err = atomic_write(&input, &[&input], |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("refusing"));
        assert_eq!(std::fs::read(&input).unwrap(), b"data");
        let out = dir.path().join("out.txt");
        let failed = atomic_write(&out, &[], |tmp| {
            std::fs::write(tmp, b"half").unwrap();
            Err(Error::Request("boom".into()))
        });
        assert!(failed.is_err());
        assert!(!out.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
