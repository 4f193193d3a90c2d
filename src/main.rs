//! The `coreduce` command line: thin glue over the library. It parses
//! arguments, calls the library, prints results, and turns errors into one
//! readable message with exit code 2 (1 for validation findings).

// The binary is the one place that prints (the library never does).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand, ValueEnum};
use coreduce::accounting::Inventory;
use coreduce::factors::{Factor, FactorLibrary};
use coreduce::graph::{render, SectorLibrary};
use coreduce::measures::MeasureLibrary;
use coreduce::workbook::run_workbook;
use coreduce::workbook::template::{write_template, Lang};
use coreduce::workbook::WorkbookError;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The engine allocates many small, short-lived values per facility-year
/// (rows, provenance strings) on two threads; mimalloc's per-thread free lists
/// serve that pattern about twice as fast as the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Language of report.html (default: the workbook's `language` setting, else English)
    #[arg(long = "report-lang", global = true, value_enum)]
    report_lang: Option<LangArg>,
    /// Warnings on the terminal: `summary` (default) groups them by message with
    /// a count and the first facility-years, at most a screenful; `all` lists
    /// every one. The xlsx warnings sheet and the JSON always hold them all.
    #[arg(long, global = true, value_enum, default_value = "summary")]
    warnings: WarningsArg,
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
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
        /// Only this sector's example rows
        #[arg(long)]
        sector: Option<String>,
        /// Replace an existing file
        #[arg(long)]
        force: bool,
    },
    /// Check a study workbook: exit 0 clean, 1 findings, 2 unreadable.
    Validate { workbook: PathBuf },
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

/// Distinct warnings shown on the terminal before "… more" (a screenful).
const WARNING_GROUPS_SHOWN: usize = 20;

/// The run's warnings for the terminal, one line per distinct message with its
/// count and first facility-years (or every warning with `--warnings all`).
fn warning_lines(invs: &[Inventory], mode: WarningsArg) -> Vec<String> {
    if mode == WarningsArg::All {
        return invs
            .iter()
            .flat_map(|i| {
                i.warnings
                    .iter()
                    .map(move |w| format!("  warning: {} {}: {}", i.facility_id, i.year, w.message))
            })
            .collect();
    }
    let groups = coreduce::accounting::group_warnings(invs, 3);
    let mut lines: Vec<String> = groups
        .iter()
        .take(WARNING_GROUPS_SHOWN)
        .map(|g| {
            let first: Vec<String> = g.examples.iter().map(|(f, y)| format!("{f} {y}")).collect();
            let more = if g.count > g.examples.len() {
                ", …"
            } else {
                ""
            };
            format!(
                "  warning ({}×): {} [{}{more}]",
                g.count,
                g.message,
                first.join(", ")
            )
        })
        .collect();
    if groups.len() > WARNING_GROUPS_SHOWN {
        lines.push(format!(
            "  … {} more distinct warnings (--warnings all lists every one)",
            groups.len() - WARNING_GROUPS_SHOWN
        ));
    }
    lines
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Zh,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C, SIGTERM or SIGHUP: remove the temporary output files (drop does
    // not run when a signal ends the process), then exit as interrupted.
    let _ = ctrlc::set_handler(|| {
        coreduce::output::remove_temporaries();
        std::process::exit(130);
    });
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
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
    let mut lib = FactorLibrary::embedded().context("the built-in factor library is invalid")?;
    if let Some(d) = dir {
        lib.layer_dir(d)
            .with_context(|| format!("cannot use the factor folder '{}'", d.display()))?;
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
    let sectors =
        SectorLibrary::embedded(&lib).context("the built-in sector graphs are invalid")?;
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
        Command::Template {
            out,
            lang,
            sector,
            force,
        } => {
            let lang = match lang {
                LangArg::En => Lang::En,
                LangArg::Zh => Lang::Zh,
            };
            write_template(&out, lang, sector.as_deref(), &sectors, force)?;
            out!("wrote {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { workbook } => validate(&workbook, &lib, &sectors, wmode),
        Command::Uncertainty {
            workbook,
            runs,
            seed,
            out,
        } => uncertainty_cmd(&workbook, runs, seed, out, &lib, &sectors),
        Command::Roadmap { workbook, out } => {
            roadmap_cmd(workbook.as_deref(), &out, rl, &lib, &sectors)
        }
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
        Command::Inventory { workbook, out } => match out {
            Some(path) => inventory_to_file(&workbook, &path, rl, wmode, &lib, &sectors),
            None => {
                let run = run_workbook(&workbook, &lib, &sectors)?;
                print_notices(&run.study.notices);
                print_summary(&run.inventories);
                warn_count(&run.inventories, wmode);
                Ok(ExitCode::SUCCESS)
            }
        },
    }
}

/// `inventory --out`: rows are written as they are computed (memory stays one
/// batch deep), then the report beside the results.
fn inventory_to_file(
    workbook: &Path,
    path: &Path,
    rl: Option<LangArg>,
    wmode: WarningsArg,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<ExitCode> {
    let study = coreduce::workbook::read(workbook, lib, sectors)?;
    print_notices(&study.notices);
    let invalid = |findings| {
        anyhow::anyhow!(
            "{}",
            coreduce::workbook::WorkbookError::Invalid {
                path: workbook.display().to_string(),
                findings,
            }
        )
    };
    let lib = study.factors(lib).map_err(invalid)?;
    // Findings keep the workbook's name in their header.
    let located = |e: coreduce::Error| match e {
        coreduce::Error::Data(e) => coreduce::Error::Request(invalid(vec![e]).to_string()),
        coreduce::Error::Invalid(es) => coreduce::Error::Request(invalid(es).to_string()),
        e => e,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Both files land, or neither.
    let planned = [path.to_path_buf(), dir.join("report.html")];
    let (run, report) = coreduce::output::all_or_nothing(&planned, || {
        let run = coreduce::export::write_inventory_run(
            path,
            &[workbook],
            &study.settings,
            &lib,
            sectors,
            &study.facility_years,
        )
        .map_err(located)?;
        let report = coreduce::report::write_beside(
            path,
            &coreduce::report::ReportInput {
                title: if study.name.is_empty() {
                    format!("coreduce inventory: {}", workbook.display())
                } else {
                    study.name.clone()
                },
                lang: report_lang(rl, &study.language),
                inventories: &run.inventories,
                measures: None,
                roadmap: None,
                factors: &lib,
                sectors,
                factors_used: Some(&run.factor_ids),
            },
            &[workbook],
        )?;
        Ok((run, report))
    })?;
    out!("wrote {}", report.display());
    out!(
        "wrote {} ({} facility-years, {} rows)",
        path.display(),
        run.inventories.len(),
        run.rows
    );
    warn_count(&run.inventories, wmode);
    Ok(ExitCode::SUCCESS)
}

fn warn_count(invs: &[Inventory], mode: WarningsArg) {
    let warnings: usize = invs.iter().map(|i| i.warnings.len()).sum();
    if warnings > 0 {
        eprintln!("{warnings} warning(s) (all of them in the warnings sheet and the JSON output):");
        for line in warning_lines(invs, mode) {
            eprintln!("{line}");
        }
    }
}

/// The reader's notices (settings left to their defaults, technologies
/// inferred, the base year chosen), each once, on stderr.
fn print_notices(notices: &[String]) {
    for n in notices {
        eprintln!("note: {n}");
    }
}

/// A workbook run restricted to its base year, for roadmap, measures and
/// uncertainty, with the reader's notices said once.
fn base_year_run(
    path: &Path,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<coreduce::workbook::WorkbookRun> {
    let run = run_workbook(path, lib, sectors)?.base_year_only();
    print_notices(&run.study.notices);
    Ok(run)
}

enum Failure {
    Unreadable(String),
    Findings(String),
}

fn compute(
    path: &Path,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> Result<(Vec<Inventory>, FactorLibrary, Vec<String>), Failure> {
    match run_workbook(path, lib, sectors) {
        Ok(run) => Ok((run.inventories, run.factors, run.study.notices)),
        Err(e @ WorkbookError::Unreadable { .. }) => Err(Failure::Unreadable(e.to_string())),
        Err(e @ WorkbookError::Invalid { .. }) => Err(Failure::Findings(e.to_string())),
    }
}

fn validate(
    path: &Path,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    warnings: WarningsArg,
) -> anyhow::Result<ExitCode> {
    match compute(path, lib, sectors) {
        Ok((invs, _, notices)) => {
            let count: usize = invs.iter().map(|i| i.warnings.len()).sum();
            out!(
                "{}: clean ({} facility-years, {} warnings)",
                path.display(),
                invs.len(),
                count
            );
            for line in warning_lines(&invs, warnings) {
                out!("{line}");
            }
            for n in notices {
                out!("  note: {n}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(Failure::Findings(m)) => {
            out!("{m}");
            Ok(ExitCode::from(1))
        }
        Err(Failure::Unreadable(m)) => bail!("{m}"),
    }
}

fn print_summary(invs: &[Inventory]) {
    out!(
        "{:<14} {:>5} {:<10} {:>16} {:>14} {:>14} {:>12} {:>12}",
        "facility",
        "year",
        "sector",
        "CO2e t (view)",
        "scope 2 t",
        "energy tce",
        "air eq.",
        "water eq."
    );
    for i in invs {
        let t = &i.totals;
        out!(
            "{:<14} {:>5} {:<10} {:>16} {:>14} {:>14} {:>12} {:>12}",
            i.facility_id,
            i.year,
            i.sector,
            t.co2e.round_dp(3),
            t.co2e_scope2.round_dp(3),
            t.energy_tce.round_dp(3),
            t.apeq.round_dp(1),
            t.wpeq.round_dp(1)
        );
    }
}

fn factors_cmd(
    cmd: FactorsCmd,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<ExitCode> {
    match cmd {
        FactorsCmd::List {
            sector,
            substance,
            edition,
        } => {
            let sector_ids = match &sector {
                Some(s) => {
                    let sec = sectors.get(s).map_err(anyhow::Error::msg)?;
                    let prefix = match sec.id.as_str() {
                        "aluminium" => "al.",
                        "ceramics" => "cer.",
                        "baijiu" => "bj.",
                        "tobacco" => "tb.",
                        _ => "\u{0}",
                    };
                    let mut ids = sec.factor_ids();
                    ids.extend(
                        lib.ids()
                            .filter(|id| id.starts_with(prefix))
                            .map(str::to_string),
                    );
                    Some(ids)
                }
                None => None,
            };
            let substance = match &substance {
                Some(s) => Some(coreduce::Substance::parse(s).ok_or_else(|| {
                    anyhow::anyhow!(
                        "unknown substance '{s}'{}",
                        coreduce::error::did_you_mean(s, coreduce::Substance::codes())
                            .map(|h| format!(" ({h})"))
                            .unwrap_or_default()
                    )
                })?),
                None => None,
            };
            let rows: Vec<&Factor> = lib
                .iter()
                .filter(|f| sector_ids.as_ref().is_none_or(|ids| ids.contains(&f.id)))
                .filter(|f| substance.is_none_or(|s| f.substance == Some(s)))
                .filter(|f| {
                    edition
                        .as_ref()
                        .is_none_or(|e| f.edition.eq_ignore_ascii_case(e))
                })
                .collect();
            out!(
                "{:<46} {:>14} {:<18} {:<16} {:<12}",
                "id",
                "value",
                "unit",
                "edition",
                "confidence"
            );
            for f in &rows {
                out!(
                    "{:<46} {:>14} {:<18} {:<16} {:<12}{}",
                    f.id,
                    f.value.to_string(),
                    f.unit.symbol(),
                    f.edition,
                    f.confidence.as_str(),
                    if f.origin.is_override() {
                        "  (override)"
                    } else {
                        ""
                    }
                );
            }
            eprintln!("{} factor(s)", rows.len());
            Ok(ExitCode::SUCCESS)
        }
        FactorsCmd::Show { id } => {
            let f = lib.get(&id).map_err(|e| {
                anyhow::anyhow!(
                    "unknown factor '{id}'{}",
                    e.hint.map(|h| format!(" ({h})")).unwrap_or_default()
                )
            })?;
            out!("{}", f.id);
            out!("  value:       {} {}", f.value, f.unit.symbol());
            if let Some(s) = f.substance {
                out!(
                    "  substance:   {} ({}, {})",
                    s.code(),
                    s.name_en(),
                    s.name_zh()
                );
            }
            out!("  edition:     {}", f.edition);
            out!("  geography:   {}", f.geography);
            out!("  confidence:  {}", f.confidence);
            out!("  source:      {}", f.source);
            if !f.locator.is_empty() {
                out!("  locator:     {}", f.locator);
            }
            if !f.alternative.is_empty() {
                out!("  alternative: {}", f.alternative);
            }
            if !f.note.is_empty() {
                out!("  note:        {}", f.note);
            }
            if let Some(u) = &f.uncertainty {
                out!(
                    "  uncertainty: {}",
                    serde_json::to_string(u).unwrap_or_default()
                );
            }
            out!("  defined at:  {}", f.location);
            if f.origin.is_override() {
                out!(
                    "  OVERRIDE:    {:?}{}",
                    f.origin,
                    f.replaced_value
                        .map(|v| format!(" (library value {v})"))
                        .unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        FactorsCmd::Check => {
            let findings = lib.check();
            if findings.is_empty() {
                out!(
                    "factor library: {} factors in {} datasets, no findings; {} sector graphs load and check",
                    lib.len(),
                    lib.datasets().count(),
                    sectors.sectors.len()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                for f in &findings {
                    out!("{f}");
                }
                out!("{} finding(s)", findings.len());
                Ok(ExitCode::from(1))
            }
        }
    }
}

/// A non-negative number argument; `max`, when given, is its largest value.
fn decimal_arg(
    name: &str,
    v: &Option<String>,
    max: Option<(rust_decimal::Decimal, &str)>,
) -> anyhow::Result<Option<rust_decimal::Decimal>> {
    let Some(t) = v else {
        return Ok(None);
    };
    let d = coreduce::units::parse_decimal_explained(t)
        .map_err(|why| anyhow::anyhow!("--{name} '{t}' is not a number{why}"))?;
    if d < rust_decimal::Decimal::ZERO {
        bail!("--{name} {t} cannot be negative");
    }
    if let Some((max, hint)) = max {
        if d > max {
            bail!("--{name} {t} is out of range: {hint}");
        }
    }
    Ok(Some(d))
}

#[allow(clippy::too_many_arguments)]
fn measures_cmd(
    path: &Path,
    out: Option<PathBuf>,
    pollutant: Option<String>,
    lambda: Option<String>,
    discount_rate: Option<String>,
    rl: Option<LangArg>,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<ExitCode> {
    let run = base_year_run(path, lib, sectors)?;
    let library = MeasureLibrary::embedded(sectors).context("the built-in measures are invalid")?;
    let mut ms = coreduce::measures::settings_for(&run.study, &run.factors);
    if let Some(v) = decimal_arg("lambda", &lambda, None)? {
        ms.lambda = v;
    }
    let rate_max = (
        rust_decimal::Decimal::ONE,
        "give the rate as a fraction between 0 and 1 (0.08 for 8 %)",
    );
    if let Some(v) = decimal_arg("discount-rate", &discount_rate, Some(rate_max))? {
        ms.discount_rate = v;
    }
    if let Some(p) = pollutant {
        ms.pollutant = if p.eq_ignore_ascii_case("apeq") {
            "APeq".into()
        } else {
            coreduce::Substance::parse(&p)
                .map(|s| s.code().to_string())
                .ok_or_else(|| {
                    anyhow::anyhow!("unknown pollutant '{p}' (a substance code or APeq)")
                })?
        };
    }
    let rep = coreduce::measures::report(&run, sectors, &library, &ms)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    out!(
        "{:<28} {:>14} {:>12} {:>7} {:>24} {:>14} {:>14} {:>14}",
        "measure",
        "ΔCO2e t/a",
        format!("Δ{}", ms.pollutant),
        "quad.",
        "elasticity",
        "CNY/t CO2e",
        "adj. MAC",
        "degree index"
    );
    for e in rep.alone.iter().chain(std::iter::once(&rep.package)) {
        let p = &e.province;
        let er = |k: &str| p.reduction.get(k).copied().unwrap_or_default();
        let show = |d: Option<rust_decimal::Decimal>| {
            d.map(|x| x.round_dp(1).to_string())
                .unwrap_or_else(|| "undefined".into())
        };
        out!(
            "{:<28} {:>14} {:>12} {:>7} {:>24} {:>14} {:>14} {:>14}",
            e.measure,
            er("CO2e").round_dp(1),
            er(&ms.pollutant).round_dp(1),
            p.quadrant.label(),
            format!("{:?}", p.elasticity.class),
            show(p.cost_per_t_co2e),
            show(p.mac_adjusted),
            p.degree_index
                .map(|x| x.round_dp(3).to_string())
                .unwrap_or_else(|| "undefined".into()),
        );
    }
    out!("{}", coreduce::measures::DEGREE_INDEX_NOTE);
    if let Some(out) = out {
        let dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // Both files land, or neither.
        let planned = [out.clone(), dir.join("report.html")];
        let report = coreduce::output::all_or_nothing(&planned, || {
            coreduce::export::write_measures(&out, &rep, &[path])?;
            coreduce::report::write_beside(
                &out,
                &coreduce::report::ReportInput {
                    title: if run.study.name.is_empty() {
                        format!("coreduce measures: {}", path.display())
                    } else {
                        run.study.name.clone()
                    },
                    lang: report_lang(rl, &run.study.language),
                    inventories: &run.inventories,
                    measures: Some(&rep),
                    roadmap: None,
                    factors: &run.factors,
                    sectors,
                    factors_used: None,
                },
                &[path],
            )
        })?;
        out!("wrote {}", out.display());
        out!("wrote {}", report.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn roadmap_cmd(
    workbook: Option<&Path>,
    out: &Path,
    rl: Option<LangArg>,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<ExitCode> {
    let run = match workbook {
        Some(p) => base_year_run(p, lib, sectors)?,
        None => {
            let study = coreduce::study::builtin::load("sichuan", lib, sectors)?;
            coreduce::accounting::compute(study, lib, sectors)
                .context("the built-in study does not compute")?
        }
    };
    let library = MeasureLibrary::embedded(sectors).context("the built-in measures are invalid")?;
    let measures = coreduce::measures::all_measures(&run.study, sectors, &library)?;
    let ms = coreduce::measures::settings_for(&run.study, &run.factors);
    let rep = coreduce::roadmap::run(&run.study, &run.factors, sectors, &measures, &ms)
        .map_err(|e| anyhow::anyhow!("{}: {e}", run.study.path))?;
    let mrep = coreduce::measures::report(&run, sectors, &library, &ms)?;
    let protected: Vec<&Path> = workbook.into_iter().collect();
    let html = coreduce::report::render(&coreduce::report::ReportInput {
        title: rep.study.clone(),
        lang: report_lang(rl, &run.study.language),
        inventories: &run.inventories,
        measures: Some(&mrep),
        roadmap: Some(&rep),
        factors: &run.factors,
        sectors,
        factors_used: None,
    });
    // Every file of the roadmap lands, or none.
    let planned: Vec<PathBuf> = [
        "iamc.csv",
        "roadmap.json",
        "iamc.xlsx",
        "roadmap.xlsx",
        "report.html",
    ]
    .iter()
    .map(|n| out.join(n))
    .collect();
    let files = coreduce::output::all_or_nothing(&planned, || {
        let mut files =
            coreduce::export::write_roadmap(out, &rep, &mrep.macc, sectors, &protected)?;
        files.push(coreduce::report::write_report(out, &html, &protected)?);
        Ok(files)
    })?;
    out!("{} ({}–{})", rep.study, rep.base_year, rep.end_year);
    out!(
        "{:<12} {:>14} {:>14} {:>14} {:>14} {:>10} {:>16}",
        "scenario",
        format!("CO2e {}", rep.base_year),
        "CO2e 2030",
        "CO2e 2035",
        format!("CO2e {}", rep.end_year),
        "peak year",
        "SO2 2030"
    );
    for sc in &rep.scenarios {
        let s = coreduce::roadmap::series_of(&sc.points, "CO2e");
        let so2 = coreduce::roadmap::series_of(&sc.points, "SO2");
        let at = |m: &std::collections::BTreeMap<i32, rust_decimal::Decimal>, y: i32| {
            m.get(&y)
                .map(|v| v.round_dp(0).to_string())
                .unwrap_or_else(|| "-".into())
        };
        out!(
            "{:<12} {:>14} {:>14} {:>14} {:>14} {:>10} {:>16}",
            sc.scenario,
            at(&s, rep.base_year),
            at(&s, 2030),
            at(&s, 2035),
            at(&s, rep.end_year),
            sc.peak
                .as_ref()
                .map(|p| if p.peaked {
                    p.year.to_string()
                } else {
                    format!("{}+", p.year)
                })
                .unwrap_or_default(),
            at(&so2, 2030)
        );
        for a in &sc.attainment {
            out!(
                "    target {:<24} {}: {}",
                a.target,
                a.year,
                if a.met_in_year {
                    "met".to_string()
                } else {
                    format!(
                        "missed ({} > {})",
                        a.value_in_year.round_dp(0),
                        a.cap.round_dp(0)
                    )
                }
            );
        }
    }
    if let Some(lc) = &rep.least_cost {
        out!("least cost ({}): {}", lc.scenario, lc.status);
        for e in &lc.explanations {
            out!("    {e}");
        }
        for p in &lc.prices {
            out!(
                "    marginal cost of '{}' ({} {}): {} CNY per t",
                p.target,
                p.substance,
                p.year,
                p.marginal_cost.round_dp(1)
            );
        }
    }
    for f in files {
        out!("wrote {}", f.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn uncertainty_cmd(
    path: &Path,
    runs: usize,
    seed: u64,
    out: Option<PathBuf>,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal;
    let run = base_year_run(path, lib, sectors)?;
    let bar = if std::io::stderr().is_terminal() && runs >= 200 {
        let b = indicatif::ProgressBar::new(runs as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} runs ({per_sec}, {eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let started = std::time::Instant::now();
    let rep = coreduce::uncertainty::monte_carlo(
        &run.study.settings,
        &run.factors,
        sectors,
        &run.study.facility_years,
        &run.inventories,
        runs,
        seed,
        &tick,
    )?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    out!(
        "{} runs, seed {}, {} uncertain inputs, {:.0} runs/s",
        rep.runs,
        rep.seed,
        rep.inputs,
        rep.runs as f64 / secs.max(1e-9)
    );
    out!(
        "{:<10} {:<20} {:<8} {:>16} {:>16} {:>16} {:>16}",
        "level",
        "key",
        "subst.",
        "exact",
        "mean",
        "2.5 %",
        "97.5 %"
    );
    for s in rep.summaries.iter().filter(|s| s.level != "facility") {
        if ["CO2e", "CO2", "SO2", "NOx", "CH4"].contains(&s.substance.as_str()) {
            out!(
                "{:<10} {:<20} {:<8} {:>16} {:>16.3} {:>16.3} {:>16.3}",
                s.level,
                s.key,
                s.substance,
                s.exact.round_dp(3),
                s.mean,
                s.p2_5,
                s.p97_5
            );
        }
    }
    out!("sensitivity of the province CO2e (Spearman ρ, share of variance):");
    for s in rep.sensitivity.iter().take(10) {
        out!(
            "  {:<60} {:>7.3} {:>6.1} %",
            s.input,
            s.rank_correlation,
            s.variance_share * 100.0
        );
    }
    if let Some(out) = out {
        coreduce::export::write_uncertainty(&out, &rep, &[path])?;
        out!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}
