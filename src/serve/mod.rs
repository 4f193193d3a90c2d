//! `coreduce serve`: the engine in a browser, for the people who will not
//! open a terminal (an environmental bureau drafting the plan, a
//! distillery's energy manager). It owns HTTP, the page, the uploaded
//! studies' folders and the kept-studies database; nothing else.
//!
//! Every run on user data (validation, inventory, measures, roadmap,
//! uncertainty, comparison) is this same binary started as a child process
//! on the study's folder, so the server is as thin as an adapter can be: no
//! formula, no reading of workbooks, the CLI's own limits and messages. A
//! child can be killed when it passes its time limit (a thread cannot), a
//! crash or an exhausted allocation ends one run and not the server, and a
//! child's language is its own (`--lang`), so two users in two languages do
//! not share the process's message language.

mod http;
mod jobs;
mod store;
mod studies;

use anyhow::Context as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// What `coreduce serve` was asked for.
pub(crate) struct ServeOptions {
    pub bind: SocketAddr,
    pub token: Option<String>,
    /// Where kept studies go (an SQLite file in this folder); `None`: no study
    /// outlives its session.
    pub store: Option<PathBuf>,
    /// Runs at the same time (each a child process).
    pub jobs: usize,
    pub max_run: Duration,
    pub max_upload_bytes: u64,
    pub max_studies: usize,
    pub idle: Duration,
}

/// The folder holding every open study, removed by the signal handler
/// (a Ctrl-C ends the process without running destructors).
static WORK_ROOT: OnceLock<PathBuf> = OnceLock::new();

/// Removes the open studies' folder: called on Ctrl-C or SIGTERM.
pub(crate) fn remove_work_root() {
    if let Some(root) = WORK_ROOT.get() {
        let _ = std::fs::remove_dir_all(root);
    }
}

/// Runs the server until the process is stopped.
pub(crate) fn serve(opts: ServeOptions) -> anyhow::Result<()> {
    if !opts.bind.ip().is_loopback() && opts.token.is_none() {
        return Err(crate::cli::fail(coreduce::tr!(
            "{} is reachable from other machines: start the server with --token (or the COREDUCE_TOKEN variable) so that only people given the token can use it, or listen on 127.0.0.1",
            "{} 可从其他计算机访问：请用 --token（或环境变量 COREDUCE_TOKEN）启动服务，只有持有令牌的人才能使用；或只监听 127.0.0.1",
            opts.bind
        )));
    }
    let root = tempfile::Builder::new()
        .prefix("coreduce-serve-")
        .tempdir()
        .context("cannot create the server's working folder")?;
    let _ = WORK_ROOT.set(root.path().to_path_buf());
    let store = match &opts.store {
        Some(dir) => Some(store::Store::open(dir)?),
        None => None,
    };
    let exe = std::env::current_exe().context("cannot find the coreduce program to run")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.bind)
            .await
            .with_context(|| format!("cannot listen on {}", opts.bind))?;
        let addr = listener.local_addr()?;
        // the port actually bound (a test asks for port 0), for the Host check
        let opts = ServeOptions { bind: addr, ..opts };
        let app = Arc::new(studies::App::new(root, exe, store, opts));
        studies::App::sweep_idle(app.clone());
        // The one line a script or a test reads to find the server.
        print_line(&format!("coreduce serve: http://{addr}/"));
        if let Some(note) = app.token_note() {
            print_line(&note);
        }
        axum::serve(listener, http::router(app))
            .await
            .context("the server stopped")
    })
}

/// One line on standard output, flushed at once (a script waits for it).
#[allow(clippy::print_stdout)]
fn print_line(line: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}
