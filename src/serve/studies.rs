//! The open studies: one folder each under the server's working folder,
//! named by a random 128-bit id that only the page which uploaded it holds
//! (so concurrent users do not see each other's studies), removed when the
//! page closes it, when it has been idle too long, or when the server stops.

use super::jobs::Job;
use super::store::Store;
use super::ServeOptions;
use coreduce::{tr, Text};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Most files in one study: the workbook and an activity CSV, with room
/// for a second CSV the user may want to swap in.
pub(super) const MAX_FILES: usize = 4;

/// File types a study may hold (the workbook, and `activity_file` CSVs).
const ACCEPTED: [&str; 7] = ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt"];

pub(super) struct Study {
    /// The user's file names, in upload order; the first workbook is the study.
    pub files: Vec<String>,
    /// The built-in Sichuan study (no files; roadmap only).
    pub builtin: bool,
    pub last_used: Instant,
    pub jobs: Vec<Arc<Job>>,
}

impl Study {
    /// The workbook the commands read: the last uploaded xlsx/xls/ods.
    pub fn workbook(&self) -> Option<&str> {
        self.files
            .iter()
            .rev()
            .find(|f| !is_text_table(f))
            .map(|s| s.as_str())
    }
}

pub(super) struct App {
    root: tempfile::TempDir,
    pub exe: PathBuf,
    pub store: Option<Store>,
    pub opts: ServeOptions,
    pub studies: Mutex<HashMap<String, Study>>,
    /// One permit per run at a time; the queue is the semaphore's.
    pub slots: tokio::sync::Semaphore,
    /// The same for checks of uploads and templates, apart from the runs so
    /// that an upload is checked while long runs go on (memory: at most
    /// `--jobs` runs and `--jobs` checks at a time).
    pub check_slots: tokio::sync::Semaphore,
}

impl App {
    pub fn new(
        root: tempfile::TempDir,
        exe: PathBuf,
        store: Option<Store>,
        opts: ServeOptions,
    ) -> App {
        App {
            root,
            exe,
            store,
            slots: tokio::sync::Semaphore::new(opts.jobs.max(1)),
            check_slots: tokio::sync::Semaphore::new(opts.jobs.max(1)),
            opts,
            studies: Mutex::new(HashMap::new()),
        }
    }

    pub fn token_note(&self) -> Option<String> {
        self.opts.token.as_ref().map(|_| {
            crate::cli::say(tr!(
                "  a token is required: give people the address followed by ?token=…; the page keeps it in a cookie",
                "  需要令牌：请把地址加上 ?token=… 发给使用者；页面会把令牌保存在 Cookie 中"
            ))
        })
    }

    pub fn studies(&self) -> MutexGuard<'_, HashMap<String, Study>> {
        // A panic while holding the lock leaves the map itself consistent
        // (every change is one insert or remove), so keep serving.
        self.studies.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The folder of a study (its uploads under `in/`, runs under `out/`).
    pub fn folder(&self, id: &str) -> PathBuf {
        self.root.path().join(id)
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// A new, empty study; `None` when the server holds as many as it may.
    pub fn open_study(&self, builtin: bool) -> Result<String, Text> {
        let mut studies = self.studies();
        if studies.len() >= self.opts.max_studies {
            let n = self.opts.max_studies;
            return Err(tr!(
                "the server has {n} studies open, its limit: try again in a few minutes, or ask whoever runs it to raise --max-studies",
                "服务器已打开 {n} 个研究，达到上限：请几分钟后再试，或请管理员调高 --max-studies"
            ));
        }
        let id = new_id();
        let folder = self.folder(&id);
        std::fs::create_dir_all(folder.join("in"))
            .and_then(|_| std::fs::create_dir_all(folder.join("out")))
            .map_err(|e| {
                let reason = e.to_string();
                tr!(
                    "cannot make the study's folder on the server ({reason})",
                    "无法在服务器上创建研究文件夹（{reason}）"
                )
            })?;
        studies.insert(
            id.clone(),
            Study {
                files: Vec::new(),
                builtin,
                last_used: Instant::now(),
                jobs: Vec::new(),
            },
        );
        Ok(id)
    }

    /// Forgets a study and removes its folder (uploads and outputs).
    pub fn close_study(&self, id: &str) -> bool {
        let removed = self.studies().remove(id);
        if let Some(study) = &removed {
            for job in &study.jobs {
                job.cancel();
            }
            let _ = std::fs::remove_dir_all(self.folder(id));
        }
        removed.is_some()
    }

    /// Runs `f` on a study, marking it used; `None` for an unknown id.
    pub fn with_study<T>(&self, id: &str, f: impl FnOnce(&mut Study) -> T) -> Option<T> {
        let mut studies = self.studies();
        let study = studies.get_mut(id)?;
        study.last_used = Instant::now();
        Some(f(study))
    }

    /// Closes studies idle longer than `--idle-minutes`, once a minute.
    pub fn sweep_idle(app: Arc<App>) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let idle: Vec<String> = app
                    .studies()
                    .iter()
                    .filter(|(_, s)| {
                        s.last_used.elapsed() > app.opts.idle && s.jobs.iter().all(|j| j.finished())
                    })
                    .map(|(id, _)| id.clone())
                    .collect();
                for id in idle {
                    app.close_study(&id);
                }
            }
        });
    }
}

/// 128 random bits in hex, from rand's thread generator (a CSPRNG seeded
/// by the operating system): a study id cannot be guessed.
fn new_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Whether `id` has the shape of a study id (checked before any lookup or path).
pub(super) fn is_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_text_table(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt")
}

/// The name an uploaded file is kept under: the user's own name (Chinese
/// and spaces included, since it is what `activity_file` names), without
/// any folder part or character a file system or a shell would read.
pub(super) fn safe_file_name(given: &str) -> Result<String, Text> {
    let base = given
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect::<String>();
    let base = base.trim().trim_start_matches('.').to_string();
    let shown = given.to_string();
    let ext = base
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    if base.is_empty() || base.chars().count() > 120 {
        return Err(tr!(
            "'{shown}' is not a usable file name: rename the file (at most 120 characters) and upload it again",
            "“{shown}”不是可用的文件名：请重命名文件（不超过 120 个字符）后重新上传"
        ));
    }
    if !ACCEPTED.contains(&ext.as_str()) {
        return Err(tr!(
            "'{shown}' is not a workbook or an activity CSV: upload an .xlsx (the template's format), .xls or .ods workbook, and a .csv only as the activity table its activity_file setting names",
            "“{shown}”不是工作簿或活动数据 CSV：请上传 .xlsx（模板格式）、.xls 或 .ods 工作簿；.csv 仅用作 activity_file 设置所指的活动数据表"
        ));
    }
    Ok(base)
}
