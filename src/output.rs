//! Safe file output: atomic writes (a temporary file in the same folder, then
//! a rename), all-or-nothing runs of several files, refusal to write over an
//! input, and neutralising spreadsheet formula injection in text that came
//! from users.
//!
//! Temporary files are created by the `tempfile` crate in the output's
//! folder: an unpredictable name, created exclusively (`O_EXCL`, so a link
//! planted there is never followed), removed when dropped. The renaming
//! replaces the target itself, never a file a link at the target points to.

use crate::error::{Error, Result};
use crate::text::{Lang, Text};
use crate::tr;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files that exist now: [`remove_temporaries`] deletes them when
/// the program is stopped by a signal (drop does not run then).
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

thread_local! {
    /// Files written inside [`all_or_nothing`], waiting to be renamed.
    static STAGED: RefCell<Option<Vec<Staged>>> = const { RefCell::new(None) };
}

/// A finished temporary file and the path it will be renamed to. Dropping it
/// removes the temporary file.
struct Staged {
    temp: Option<tempfile::TempPath>,
    target: PathBuf,
}

impl Staged {
    fn persist(mut self) -> std::result::Result<(), std::io::Error> {
        let temp = self
            .temp
            .take()
            .expect("a staged file has its temporary file");
        let path = temp.to_path_buf();
        let result = temp.persist(&self.target).map_err(|e| e.error);
        forget_live(&path);
        result
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(t) = self.temp.take() {
            let path = t.to_path_buf();
            drop(t);
            forget_live(&path);
        }
    }
}

fn forget_live(path: &Path) {
    if let Ok(mut live) = LIVE.lock() {
        live.retain(|p| p != path);
    }
}

/// Deletes every temporary file this process has open for output: for a
/// signal handler (Ctrl-C, SIGTERM), which then exits.
pub fn remove_temporaries() {
    let paths = match LIVE.lock() {
        Ok(mut live) => std::mem::take(&mut *live),
        Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
    };
    for p in paths {
        let _ = std::fs::remove_file(p);
    }
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The folder a file is written in: its parent, or the current folder for
/// a bare file name (scratch files go there, beside the output).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes a file atomically: `write` fills a new temporary file next to
/// `target`, which is then renamed over `target`. On error the temporary
/// file is removed and `target` is untouched. `protected` paths (the inputs)
/// are never written. Inside [`all_or_nothing`] the rename waits until every
/// file of the run is written.
pub fn atomic_write<F>(target: &Path, protected: &[&Path], write: F) -> Result<()>
where
    F: FnOnce(&Path) -> Result<()>,
{
    for p in protected {
        if same_file(target, p) {
            let input = target.display();
            return Err(Error::request(tr!(
                "refusing to write '{input}': it is an input of this run; choose another --out",
                "拒绝写入“{input}”：它是本次运行的输入文件；请另选 --out"
            )));
        }
    }
    let dir = folder_of(target);
    if !dir.exists() {
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Like a file the user creates (the umask still applies).
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let (file, temp) = builder
        .tempfile_in(&dir)
        .map_err(|e| io(&dir, e))?
        .into_parts();
    let path = temp.to_path_buf();
    if let Ok(mut live) = LIVE.lock() {
        live.push(path.clone());
    }
    let staged = Staged {
        temp: Some(temp),
        target: target.to_path_buf(),
    };
    write(&path)?;
    check_same_file(&file, &path)?;
    drop(file);
    let staged = STAGED.with(|s| match s.borrow_mut().as_mut() {
        Some(run) => {
            run.push(staged);
            None
        }
        None => Some(staged),
    });
    match staged {
        Some(staged) => staged.persist().map_err(|e| io(target, e)),
        None => Ok(()),
    }
}

/// The temporary file is still the one created: nobody replaced it (by a
/// link, say) while it was being written.
fn check_same_file(file: &std::fs::File, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ours = file.metadata().map_err(|e| io(path, e))?;
        let now = std::fs::symlink_metadata(path).map_err(|e| io(path, e))?;
        if !now.file_type().is_file() || now.dev() != ours.dev() || now.ino() != ours.ino() {
            let temporary = path.display();
            return Err(Error::request(tr!(
                "the temporary file '{temporary}' was replaced while it was written: nothing was written",
                "临时文件“{temporary}”在写入过程中被替换：未写入任何文件"
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = (file, path);
    Ok(())
}

/// Runs `run`, in which every [`atomic_write`] only prepares its file; when
/// `run` succeeds the files are renamed into place one after another, and
/// when it fails none is: the temporary files are removed and the error says
/// that `planned` (the files of the run) were not written. Returns `run`'s
/// value.
pub fn all_or_nothing<T>(planned: &[PathBuf], run: impl FnOnce() -> Result<T>) -> Result<T> {
    let nested = STAGED.with(|s| {
        let mut s = s.borrow_mut();
        if s.is_some() {
            true
        } else {
            *s = Some(Vec::new());
            false
        }
    });
    if nested {
        return run();
    }
    let result = run();
    let staged = STAGED.with(|s| s.borrow_mut().take()).unwrap_or_default();
    let names = |paths: &[PathBuf]| {
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let value = match result {
        Ok(v) => v,
        Err(e) => {
            drop(staged);
            let planned = names(planned);
            return Err(Error::request(Text::new(
                format!("{e}\nnothing was written; not written: {planned}"),
                format!(
                    "{}\n未写入任何文件；未写入的文件：{planned}",
                    e.text(Lang::Zh)
                ),
            )));
        }
    };
    let mut written = Vec::new();
    let mut staged = staged.into_iter();
    while let Some(s) = staged.next() {
        let target = s.target.clone();
        if let Err(e) = s.persist() {
            let rest: Vec<PathBuf> = std::iter::once(target.clone())
                .chain(staged.map(|s| s.target.clone()))
                .collect();
            let (shown, rest) = (target.display(), names(&rest));
            let done = if written.is_empty() {
                Text::default()
            } else {
                let written = names(&written);
                tr!("written: {written}; ", "已写入：{written}；")
            };
            return Err(Error::request(Text::new(
                format!(
                    "cannot write '{shown}': {e}\n{}not written: {rest}",
                    done.en
                ),
                format!(
                    "无法写入“{shown}”：{e}\n{}未写入：{rest}",
                    done.get(Lang::Zh)
                ),
            )));
        }
        written.push(target);
    }
    Ok(value)
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

    /// The signal test removes every live temporary file of the process, so
    /// the tests that write files here run one at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn serial() -> std::sync::MutexGuard<'static, ()> {
        SERIAL.lock().unwrap_or_else(|p| p.into_inner())
    }

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-5"), "-5");
        assert_eq!(neutralise("Plant A"), "Plant A");
    }

    #[test]
    fn atomic_write_refuses_the_input_and_cleans_up() {
        let _one_at_a_time = serial();
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.xlsx");
        std::fs::write(&input, b"data").unwrap();
        let err = atomic_write(&input, &[&input], |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("refusing"));
        assert_eq!(std::fs::read(&input).unwrap(), b"data");
        let out = dir.path().join("out.txt");
        let failed = atomic_write(&out, &[], |tmp| {
            std::fs::write(tmp, b"half").unwrap();
            Err(Error::request(tr!("boom", "出错")))
        });
        assert!(failed.is_err());
        assert!(!out.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_old_temporary_name_is_never_followed() {
        let _one_at_a_time = serial();
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, b"precious").unwrap();
        let out = dir.path().join("out.csv");
        // The name the old code used: `.NAME.tmp-PID`.
        let planted = dir
            .path()
            .join(format!(".out.csv.tmp-{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        // And a link at the target itself: the output replaces the link.
        let victim2 = dir.path().join("victim2.txt");
        std::fs::write(&victim2, b"precious").unwrap();
        std::os::unix::fs::symlink(&victim2, &out).unwrap();
        let mut used = PathBuf::new();
        atomic_write(&out, &[], |tmp| {
            used = tmp.to_path_buf();
            std::fs::write(tmp, b"a,b\n").map_err(|e| io(tmp, e))
        })
        .unwrap();
        assert_ne!(used, planted);
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert_eq!(std::fs::read(&victim2).unwrap(), b"precious");
        assert!(std::fs::symlink_metadata(&out)
            .unwrap()
            .file_type()
            .is_file());
        assert_eq!(std::fs::read(&out).unwrap(), b"a,b\n");
        assert!(!used.exists());
    }

    #[test]
    fn a_run_of_several_files_is_all_or_nothing() {
        let _one_at_a_time = serial();
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.html");
        let planned = [a.clone(), b.clone()];
        let err = all_or_nothing(&planned, || {
            atomic_write(&a, &[], |tmp| {
                std::fs::write(tmp, b"a").map_err(|e| io(tmp, e))
            })?;
            atomic_write(&b, &[], |_| Err(Error::request(tr!("boom", "出错"))))
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("boom"), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert!(err.contains("a.csv") && err.contains("b.html"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        all_or_nothing(&planned, || {
            atomic_write(&a, &[], |tmp| {
                std::fs::write(tmp, b"a").map_err(|e| io(tmp, e))
            })?;
            atomic_write(&b, &[], |tmp| {
                std::fs::write(tmp, b"b").map_err(|e| io(tmp, e))
            })
        })
        .unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"a");
        assert_eq!(std::fs::read(&b).unwrap(), b"b");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_signal_handler_can_remove_the_temporary_files() {
        let _one_at_a_time = serial();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        let r = atomic_write(&out, &[], |tmp| {
            std::fs::write(tmp, b"half").map_err(|e| io(tmp, e))?;
            assert!(tmp.exists());
            // What the Ctrl-C / SIGTERM handler of the binary calls.
            remove_temporaries();
            assert!(!tmp.exists());
            Err(Error::request(tr!("stopped", "已停止")))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
