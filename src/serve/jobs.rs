//! Runs: each a list of steps, each step this program started as a child
//! process on the study's folder with the CLI's own arguments. A run waits
//! for a free slot (`--jobs`), is killed when it passes `--max-run-seconds`
//! or when its study is closed, and keeps what the page shows: its state,
//! its step, its elapsed time, the files it wrote, the CLI's message when it
//! failed, and the JSON of a validation or a comparison.

use super::studies::App;
use coreduce::{tr, Lang, Text};
use serde::Serialize;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// Most of a child's standard output kept (a validation's JSON, findings
/// included; the commands' own summaries are a few KB).
const MAX_STDOUT: usize = 32 << 20;

/// One child process of a run.
pub(super) struct Step {
    pub args: Vec<OsString>,
    pub cwd: PathBuf,
    /// Exit codes that are results, not failures (`validate`: 1 = findings,
    /// 2 = unreadable, both reported as JSON).
    pub results: &'static [i32],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Phase {
    Queued,
    Running,
    Done,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct JobView {
    pub id: String,
    pub command: String,
    pub phase: Phase,
    pub step: usize,
    pub steps: usize,
    /// Time since the run started (or was queued), to a tenth of a second.
    pub seconds: f64,
    pub files: Vec<String>,
    /// The CLI's message in the run's language, where it failed.
    pub error: Option<String>,
    /// What the CLI printed (its summary), the last 8 KB.
    pub log: String,
    /// A validation's or a comparison's JSON.
    pub result: Option<serde_json::Value>,
    /// Monte Carlo runs done and to do, where the step says (uncertainty).
    pub progress: Option<(u64, u64)>,
}

pub(super) struct Job {
    pub id: String,
    pub command: String,
    /// Where the run writes (the study's `out/<job>`), relative paths of
    /// `files` are below it.
    pub out: PathBuf,
    created: Instant,
    cancelled: AtomicBool,
    wake: tokio::sync::Notify,
    state: Mutex<State>,
}

struct State {
    phase: Phase,
    step: usize,
    steps: usize,
    started: Option<Instant>,
    ended: Option<Instant>,
    files: Vec<String>,
    error: Option<String>,
    log: String,
    result: Option<serde_json::Value>,
    progress: Option<(u64, u64)>,
    /// A file of the run's whose JSON is its result (a comparison's).
    result_file: Option<String>,
}

impl Job {
    pub fn new(id: String, command: &str, out: PathBuf, steps: usize) -> Job {
        Job {
            id,
            command: command.to_string(),
            out,
            created: Instant::now(),
            cancelled: AtomicBool::new(false),
            wake: tokio::sync::Notify::new(),
            state: Mutex::new(State {
                phase: Phase::Queued,
                step: 0,
                steps,
                started: None,
                ended: None,
                files: Vec::new(),
                error: None,
                log: String::new(),
                result: None,
                progress: None,
                result_file: None,
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn view(&self) -> JobView {
        let s = self.state();
        let seconds = match (s.started, s.ended) {
            (Some(a), Some(b)) => b.duration_since(a),
            (Some(a), None) => a.elapsed(),
            _ => self.created.elapsed(),
        }
        .as_millis() as f64
            / 1000.0;
        let seconds = (seconds * 10.0).round() / 10.0;
        JobView {
            id: self.id.clone(),
            command: self.command.clone(),
            phase: s.phase,
            step: s.step,
            steps: s.steps,
            seconds,
            files: s.files.clone(),
            error: s.error.clone(),
            log: s.log.clone(),
            result: s.result.clone(),
            progress: s.progress,
        }
    }

    pub fn finished(&self) -> bool {
        matches!(self.state().phase, Phase::Done | Phase::Failed)
    }

    /// Whether `name` is one of the files this run wrote (the only names a
    /// download may ask for).
    pub fn has_file(&self, name: &str) -> bool {
        self.state().files.iter().any(|f| f == name)
    }

    /// Stops the run: its child is killed and it fails.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        self.wake.notify_waiters();
        self.wake.notify_one();
    }

    fn fail(&self, text: Text, lang: Lang) {
        let mut s = self.state();
        s.phase = Phase::Failed;
        s.error = Some(text.get(lang).to_string());
        s.ended = Some(Instant::now());
    }
}

/// Runs `steps` one after the other in a free slot, then lists the files
/// of `job.out`. Returns when the run is done or failed.
pub(super) async fn run(app: Arc<App>, job: Arc<Job>, steps: Vec<Step>, lang: Lang) {
    let slots = match job.command.as_str() {
        "validate" | "template" => &app.check_slots,
        _ => &app.slots,
    };
    let permit = tokio::select! {
        p = slots.acquire() => p,
        _ = job.wake.notified() => {
            job.fail(tr!("cancelled", "已取消"), lang);
            return;
        }
    };
    let Ok(_permit) = permit else {
        return job.fail(tr!("the server is stopping", "服务器正在停止"), lang);
    };
    if job.cancelled.load(Ordering::SeqCst) {
        return job.fail(tr!("cancelled", "已取消"), lang);
    }
    {
        let mut s = job.state();
        s.phase = Phase::Running;
        s.started = Some(Instant::now());
    }
    let limit = app.opts.max_run;
    let deadline = tokio::time::Instant::now() + limit;
    for (i, step) in steps.into_iter().enumerate() {
        job.state().step = i + 1;
        let mut child = tokio::process::Command::new(&app.exe);
        child
            .env_clear()
            // Monte Carlo says how far it is, for the page (cli/uncertainty.rs)
            .env("COREDUCE_PROGRESS", "lines")
            .arg("--inputs-in-workbook-folder")
            .arg("--lang")
            .arg(if lang == Lang::Zh { "zh" } else { "en" })
            .args(&step.args)
            .current_dir(&step.cwd)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        let spawned = match child.spawn() {
            Ok(c) => c,
            Err(e) => {
                let reason = e.to_string();
                return job.fail(
                    tr!(
                        "cannot start the run ({reason})",
                        "无法启动运行（{reason}）"
                    ),
                    lang,
                );
            }
        };
        // Dropping the future drops the child, which kills it.
        let output = tokio::select! {
            out = tokio::time::timeout_at(deadline, collect(spawned, &job)) => out,
            _ = job.wake.notified() => {
                return job.fail(tr!("cancelled", "已取消"), lang);
            }
        };
        let output = match output {
            Err(_) => {
                let seconds = limit.as_secs();
                return job.fail(
                    tr!(
                        "the run took longer than {seconds} s, the server's limit, and was stopped: run it with the command line, or ask whoever runs the server to raise --max-run-seconds",
                        "运行超过服务器限定的 {seconds} 秒，已停止：请用命令行运行，或请管理员调高 --max-run-seconds"
                    ),
                    lang,
                );
            }
            Ok(Err(e)) => {
                let reason = e.to_string();
                return job.fail(
                    tr!("the run failed ({reason})", "运行失败（{reason}）"),
                    lang,
                );
            }
            Ok(Ok(o)) => o,
        };
        let code = output.status.code();
        let stdout = &output.stdout[..output.stdout.len().min(MAX_STDOUT)];
        let stdout = String::from_utf8_lossy(stdout);
        {
            let mut s = job.state();
            s.log.push_str(&stdout);
            s.log.push_str(&String::from_utf8_lossy(&output.stderr));
            keep_tail(&mut s.log, 8 << 10);
        }
        match code {
            Some(0) => {}
            Some(c) if step.results.contains(&c) => {}
            Some(_) => {
                // The CLI's one readable message, in the run's language.
                let message = String::from_utf8_lossy(&output.stderr).trim().to_string();
                return job.fail(Text::neutral(message), lang);
            }
            None => {
                return job.fail(
                    tr!(
                        "the run was ended by the system (out of memory, or stopped)",
                        "运行被系统终止（内存不足或被停止）"
                    ),
                    lang,
                );
            }
        }
        if step.results.is_empty() {
            continue;
        }
        match serde_json::from_str::<serde_json::Value>(stdout.trim()) {
            Ok(v) => job.state().result = Some(v),
            Err(_) => {
                return job.fail(
                    tr!("the run's answer could not be read", "无法读取运行结果"),
                    lang,
                )
            }
        }
    }
    let files = list_files(&job.out);
    let result_file = job.state().result_file.clone();
    let result = result_file
        .and_then(|f| std::fs::read_to_string(job.out.join(f)).ok())
        .and_then(|text| serde_json::from_str(&text).ok());
    let mut s = job.state();
    s.files = files;
    if result.is_some() {
        s.result = result;
    }
    s.phase = Phase::Done;
    s.ended = Some(Instant::now());
}

/// Waits for a child, keeping its standard output (up to [`MAX_STDOUT`];
/// the rest is read and dropped so the child never blocks on a full pipe)
/// and its standard error, whose `progress: n/m` lines become the run's
/// progress instead. Dropping this future drops the child, which kills it.
async fn collect(
    mut child: tokio::process::Child,
    job: &Job,
) -> std::io::Result<std::process::Output> {
    use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _};
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let read_out = async {
        let mut kept = Vec::new();
        if let Some(mut out) = stdout {
            let mut buf = vec![0u8; 64 << 10];
            loop {
                let n = out.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                let room = MAX_STDOUT.saturating_sub(kept.len()).min(n);
                kept.extend_from_slice(&buf[..room]);
            }
        }
        Ok::<_, std::io::Error>(kept)
    };
    let read_err = async {
        let mut kept = Vec::new();
        if let Some(err) = stderr {
            let mut lines = tokio::io::BufReader::new(err).lines();
            while let Some(line) = lines.next_line().await? {
                let progress = line.strip_prefix("progress: ").and_then(|p| {
                    let (n, m) = p.split_once('/')?;
                    Some((n.trim().parse().ok()?, m.trim().parse().ok()?))
                });
                match progress {
                    // never backwards: the count only grows
                    Some(p) => {
                        let mut state = job.state();
                        state.progress = state.progress.max(Some(p));
                    }
                    None if kept.len() < 1 << 20 => {
                        kept.extend_from_slice(line.as_bytes());
                        kept.push(b'\n');
                    }
                    None => {}
                }
            }
        }
        Ok::<_, std::io::Error>(kept)
    };
    let (stdout, stderr, status) = tokio::try_join!(read_out, read_err, child.wait())?;
    Ok(std::process::Output {
        status,
        stdout,
        stderr,
    })
}

/// Makes the JSON the run writes to `file` its result (a comparison's
/// table), read before the run is shown as done.
pub(super) fn result_from(job: &Job, file: &str) {
    job.state().result_file = Some(file.to_string());
}

fn list_files(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().to_str().map(|s| s.to_string()))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Keeps the last `max` bytes of `log`, on a character boundary.
fn keep_tail(log: &mut String, max: usize) {
    if log.len() > max {
        let mut cut = log.len() - max;
        while !log.is_char_boundary(cut) {
            cut += 1;
        }
        log.drain(..cut);
    }
}
