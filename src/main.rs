//! The `coreduce` command line: thin glue over the library. It parses
//! arguments, calls the library, prints results, and turns errors into one
//! readable message with exit code 2 (1 for validation findings).

// The binary is the one place that prints (the library never does).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use clap::{Parser, Subcommand, ValueEnum};
use coreduce::accounting::Inventory;
use coreduce::factors::{Factor, FactorLibrary};
use coreduce::graph::{render, SectorLibrary};
use coreduce::measures::MeasureLibrary;
use coreduce::workbook::run_workbook;
use coreduce::workbook::template::write_template;
use coreduce::workbook::WorkbookError;
use coreduce::{tr, Text};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The engine allocates many small, short-lived values per facility-year
/// (rows, provenance strings) on two threads; mimalloc's per-thread free lists
/// serve that pattern about twice as fast as the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How the allocator holds memory. A run frees and re-allocates each batch of
/// rows, and mimalloc returns freed pages to the OS after a delay. Pages were
/// kept for the whole run (-1, never) while a facility-year allocated ten
/// times what it does now: returning them cost about 15 % of the CPU of a 10k
/// inventory then. With today's smaller rows, returning them after 10 ms
/// (mimalloc's own default, set here so that the choice is visible) costs no
/// measurable time and lowers the peak: 10k → xlsx 84 → 66 MB, 100k → CSV
/// 321 → 291 MB, 100k → xlsx 378 → 305 MB (BENCHMARKS.md, thirteenth session).
#[allow(unsafe_code)]
fn tune_allocator() {
    // mi_option_purge_delay, index 15 of mi_option_e in mimalloc.h (v2 and v3,
    // the version libmimalloc-sys builds), in ms; -1 = never purge
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets a plain integer option; mimalloc reads options atomically
    // and accepts any value for this one.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 10) };
    // mimalloc asks for transparent huge pages on its arena, so the first
    // touch of any byte in a 2 MiB stretch brings in (and zeroes) all of it:
    // a 10k facility-year run peaked 15 MB higher, and a 100k one was no
    // faster. Normal pages for this process (its children inherit it).
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory
    // of ours; a failure (an old kernel) leaves huge pages on, harmlessly.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Prints a line to stdout; a closed pipe (`coreduce … | head`) ends the
/// program quietly instead of panicking; any other failed write (a full
/// disk, `> /dev/full`) ends it with exit code 2 and a message.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($t)*) {
            stdout_failed(e);
        }
    }};
}

/// Prints to stdout without a newline (see `out!`).
macro_rules! outp {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout(), $($t)*) {
            stdout_failed(e);
        }
    }};
}

/// A failed write to standard output: quiet exit 0 for a closed pipe, exit 2
/// with a message otherwise (the output is lost, so the run failed).
fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: cannot write to standard output: {e}");
    std::process::exit(2);
}

mod cli;
mod serve;
use cli::*;

/// Most Monte Carlo runs accepted by `uncertainty --runs`.
const MAX_RUNS: usize = 1_000_000;

fn runs_arg(text: &str) -> Result<usize, String> {
    let out_of_range = || {
        format!(
            "{text} runs: give between 1 and 1,000,000 ({MAX_RUNS}); 1,000 to 10,000 runs give stable percentiles"
        )
    };
    let t = text.trim();
    if t.starts_with('-') || (t.len() > 7 && t.chars().all(|c| c.is_ascii_digit())) {
        return Err(out_of_range());
    }
    let n: usize = t
        .parse()
        .map_err(|_| format!("'{text}' is not a whole number of runs"))?;
    if n == 0 || n > MAX_RUNS {
        return Err(out_of_range());
    }
    Ok(n)
}

#[derive(Parser)]
#[command(
    name = "coreduce",
    version,
    about = "Carbon and pollution co-reduction accounting (减污降碳协同增效) for Sichuan's baijiu, aluminium, tobacco and ceramics industries"
)]
struct Cli {
    /// A folder of extra factor datasets laid over the built-in library
    /// (same layout as factors/); its factors are marked as overrides.
    #[arg(long, global = true, value_name = "DIR")]
    factors: Option<PathBuf>,
    /// Language of messages, warnings, the xlsx and report.html (default: the
    /// workbook's `language` setting, else the terminal's LANG, else English);
    /// CSV and JSON keep their English field names
    #[arg(long = "lang", alias = "report-lang", global = true, value_enum)]
    report_lang: Option<LangArg>,
    /// Warnings on the terminal: `summary` (default) groups them by message with
    /// a count and the first facility-years, at most a screenful; `all` lists
    /// every one. The xlsx warnings sheet and the JSON always hold them all.
    #[arg(long, global = true, value_enum, default_value = "summary")]
    warnings: WarningsArg,
    /// Read no file a workbook names outside the workbook's own folder (the
    /// server passes it to every run on an upload)
    #[arg(long, global = true, hide = true)]
    inputs_in_workbook_folder: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The factor library: list, show and check factors.
    #[command(subcommand)]
    Factors(FactorsCmd),
    /// Show a sector's process graph with its flows and sources.
    Graph {
        /// baijiu, aluminium, tobacco or ceramics (Chinese names accepted)
        sector: String,
        #[arg(long, value_enum, default_value = "text")]
        format: GraphFormat,
    },
    /// Write a blank study workbook with instructions and example rows.
    Template {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Only this sector's example rows
        #[arg(long)]
        sector: Option<String>,
        /// Replace an existing file
        #[arg(long)]
        force: bool,
    },
    /// Check a study workbook: exit 0 clean, 1 findings, 2 unreadable.
    Validate {
        workbook: PathBuf,
        /// One JSON object on stdout (coreduce-validate-v1), every text in
        /// English and Chinese; the same exit codes
        #[arg(long)]
        json: bool,
    },
    /// Compare two studies' base years by facility, source and substance
    /// (A: e.g. last year's or Tier 1 defaults; B: this year's or measured).
    Compare {
        a: PathBuf,
        b: PathBuf,
        /// compare.csv (every source and substance) or compare.json (with
        /// the totals); default: the totals on stdout only
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Evaluate co-reduction measures on a workbook's facilities: metrics, package and MACC.
    Measures {
        workbook: PathBuf,
        /// results.xlsx, results.csv or results.json (default: a table on stdout)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// the coordinate system's y axis and the elasticity's pollutant (SO2, NOx, …, or APeq)
        #[arg(long)]
        pollutant: Option<String>,
        /// λ in EReq = APeq + λ·CO2e
        #[arg(long, allow_negative_numbers = true)]
        lambda: Option<String>,
        /// discount rate for the capital recovery factor (e.g. 0.08)
        #[arg(long, allow_negative_numbers = true)]
        discount_rate: Option<String>,
    },
    /// Roadmaps to 2030/2035/2060: scenarios, peak year, targets, least-cost deployment.
    /// Without a workbook it runs the built-in Sichuan study.
    Roadmap {
        /// a study workbook with scenarios and targets sheets (default: the built-in Sichuan study)
        workbook: Option<PathBuf>,
        /// output folder
        #[arg(long, value_name = "DIR", default_value = "coreduce-out")]
        out: PathBuf,
        /// Monte Carlo runs of every scenario (1 to 1,000,000): the
        /// probability of each target and fans of the totals
        #[arg(long, value_parser = runs_arg, allow_negative_numbers = true)]
        runs: Option<usize>,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Monte Carlo uncertainty (IPCC Approach 2) of a workbook's inventory.
    Uncertainty {
        workbook: PathBuf,
        /// Monte Carlo runs, 1 to 1,000,000
        #[arg(long, default_value_t = 1000, value_parser = runs_arg, allow_negative_numbers = true)]
        runs: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// results.csv or results.json
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Every facility-year of every run through the exact engine instead
        /// of its compiled plan: slower, the same numbers (to about 1e-9), for
        /// checking the plans on your own workbook
        #[arg(long)]
        exact_runs: bool,
    },
    /// The engine in a browser: upload a workbook, see its findings, run
    /// every command and download the outputs (a local web application).
    Serve {
        /// Address to listen on; anything but 127.0.0.1/localhost needs --token
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
        /// A secret the page must be opened with (`/?token=…`), for a server on
        /// an office network; also read from COREDUCE_TOKEN
        #[arg(long, env = "COREDUCE_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Keep the studies users ask to keep, in an SQLite file in this folder
        /// (without it, nothing uploaded outlives its session)
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
        /// Runs at the same time, each a process of its own (others wait their turn)
        #[arg(long, default_value_t = 2)]
        jobs: usize,
        /// A run taking longer is stopped
        #[arg(long, default_value_t = 900)]
        max_run_seconds: u64,
        /// Largest upload, in MB (default: the command line's limit, 200)
        #[arg(long, default_value_t = 200)]
        max_upload_mb: u64,
        /// Most studies open at once
        #[arg(long, default_value_t = 64)]
        max_studies: usize,
        /// A study nobody has used for this long is closed and removed
        #[arg(long, default_value_t = 60)]
        idle_minutes: u64,
    },
    /// Compute the inventory of every facility-year in a workbook.
    Inventory {
        workbook: PathBuf,
        /// results.xlsx, results.csv or results.json (default: a table on stdout)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum FactorsCmd {
    /// List factors, optionally filtered.
    List {
        /// factors a sector's graph uses, plus that sector's own datasets
        #[arg(long)]
        sector: Option<String>,
        /// factors yielding this substance (SO2, CH4, …)
        #[arg(long)]
        substance: Option<String>,
        /// an edition or vintage (ndrc2013, mee2024, mee-nbs-2022, …)
        #[arg(long)]
        edition: Option<String>,
    },
    /// Show one factor with its value, unit, source, edition and confidence.
    Show { id: String },
    /// Validate the library (and the sector graphs against it); exit 1 on findings.
    Check,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Text,
    Dot,
    Mermaid,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WarningsArg {
    Summary,
    All,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Zh,
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    match cli.report_lang {
        Some(arg) => {
            set_message_lang(to_lang(arg));
            LANG_FROM_FLAG.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        None => set_message_lang(terminal_lang()),
    }
    // Ctrl-C, SIGTERM or SIGHUP: remove the temporary output files (drop does
    // not run when a signal ends the process), then exit as interrupted.
    let _ = ctrlc::set_handler(|| {
        coreduce::output::remove_temporaries();
        serve::remove_work_root();
        std::process::exit(130);
    });
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if let Some(e) = e.chain().find_map(|c| c.downcast_ref::<WorkbookError>()) {
                workbook_lang(e);
            }
            let lang = message_lang();
            let label = if lang == coreduce::Lang::Zh {
                "错误："
            } else {
                "error: "
            };
            eprintln!("{label}{}", one_message(&e, lang));
            ExitCode::from(2)
        }
    };
    use std::io::Write as _;
    if let Err(e) = std::io::stdout().flush() {
        stdout_failed(e);
    }
    code
}

fn library(dir: &Option<PathBuf>) -> anyhow::Result<FactorLibrary> {
    let mut lib = FactorLibrary::embedded().or_say(|| {
        tr!(
            "the built-in factor library is invalid",
            "内置排放因子库无效"
        )
    })?;
    if let Some(d) = dir {
        lib.layer_dir(d).or_say(|| {
            tr!(
                "cannot use the factor folder '{}'",
                "无法使用因子文件夹“{}”",
                d.display()
            )
        })?;
    }
    Ok(lib)
}

fn report_lang(arg: Option<LangArg>, study_language: &str) -> coreduce::report::Lang {
    match arg {
        Some(LangArg::Zh) => coreduce::report::Lang::Zh,
        Some(LangArg::En) => coreduce::report::Lang::En,
        None if study_language == "zh" => coreduce::report::Lang::Zh,
        None => coreduce::report::Lang::En,
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let rl = cli.report_lang;
    let wmode = cli.warnings;
    if cli.inputs_in_workbook_folder {
        coreduce::workbook::confine_inputs_to_workbook_folder();
    }
    // `factors check` reports a library that does not load as findings (exit 1).
    if let Command::Factors(FactorsCmd::Check) = &cli.command {
        let loaded = library(&cli.factors).and_then(|lib| {
            SectorLibrary::embedded(&lib)
                .map(|s| (lib, s))
                .map_err(Into::into)
        });
        if let Err(e) = loaded {
            out!("{e:#}");
            return Ok(ExitCode::from(1));
        }
    }
    let lib = library(&cli.factors)?;
    let sectors = SectorLibrary::embedded(&lib).or_say(|| {
        tr!(
            "the built-in sector graphs are invalid",
            "内置行业过程图无效"
        )
    })?;
    match cli.command {
        Command::Factors(cmd) => factors_cmd(cmd, &lib, &sectors),
        Command::Graph { sector, format } => {
            let s = sectors.get(&sector).map_err(anyhow::Error::msg)?;
            let text = match format {
                GraphFormat::Text => render::text(s),
                GraphFormat::Dot => render::dot(s),
                GraphFormat::Mermaid => render::mermaid(s),
            };
            outp!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Template { out, sector, force } => {
            let lang = rl.map(to_lang).unwrap_or_else(terminal_lang);
            write_template(&out, lang, sector.as_deref(), &sectors, force)?;
            out!("{}", say(tr!("wrote {}", "已写入 {}", out.display())));
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { workbook, json } => {
            if json {
                validate_json(&workbook, &lib, &sectors)
            } else {
                validate(&workbook, &lib, &sectors, wmode)
            }
        }
        Command::Compare { a, b, out } => compare_cmd(&a, &b, out, &lib, &sectors),
        Command::Uncertainty {
            workbook,
            runs,
            seed,
            out,
            exact_runs,
        } => uncertainty_cmd(&workbook, runs, seed, out, exact_runs, &lib, &sectors),
        Command::Roadmap {
            workbook,
            out,
            runs,
            seed,
        } => roadmap_cmd(
            workbook.as_deref(),
            &out,
            rl,
            runs.map(|r| (r, seed)),
            &lib,
            &sectors,
        ),
        Command::Measures {
            workbook,
            out,
            pollutant,
            lambda,
            discount_rate,
        } => measures_cmd(
            &workbook,
            out,
            pollutant,
            lambda,
            discount_rate,
            rl,
            &lib,
            &sectors,
        ),
        Command::Serve {
            bind,
            token,
            store,
            jobs,
            max_run_seconds,
            max_upload_mb,
            max_studies,
            idle_minutes,
        } => {
            serve::serve(serve::ServeOptions {
                bind,
                token: token.filter(|t| !t.is_empty()),
                store,
                jobs,
                max_run: std::time::Duration::from_secs(max_run_seconds.max(1)),
                max_upload_bytes: max_upload_mb.saturating_mul(1_048_576),
                max_studies: max_studies.max(1),
                idle: std::time::Duration::from_secs(idle_minutes.saturating_mul(60)),
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Inventory { workbook, out } => match out {
            Some(path) => inventory_to_file(&workbook, &path, rl, wmode, &lib, &sectors),
            None => inventory_to_terminal(&workbook, wmode, &lib, &sectors),
        },
    }
}
