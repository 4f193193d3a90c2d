//! `uncertainty`: Monte Carlo with a progress bar on a terminal, the summary
//! printed and the report written.

use super::*;

/// How far a Monte Carlo run is: a bar on a terminal, or about 50 lines
/// `progress: done/total` on stderr for a program running this one
/// (`COREDUCE_PROGRESS=lines`: coreduce serve, for its page). Used by
/// `uncertainty` and by `roadmap --runs`.
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    lines: bool,
    done: std::sync::atomic::AtomicUsize,
    /// held while a line's count is taken and printed
    printing: std::sync::Mutex<()>,
    runs: usize,
}

impl Progress {
    /// Counts `runs`; a bar is drawn on a terminal from `bar_from` runs (a
    /// few hundred inventory runs take a moment, each roadmap run a while).
    pub(super) fn new(runs: usize, bar_from: usize) -> Progress {
        use std::io::IsTerminal;
        let bar = (std::io::stderr().is_terminal() && runs >= bar_from).then(|| {
            let b = indicatif::ProgressBar::new(runs as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template(&say(tr!(
                    "{{bar:40}} {{pos}}/{{len}} runs ({{per_sec}}, {{eta}})",
                    "{{bar:40}} {{pos}}/{{len}} 次（{{per_sec}}，{{eta}}）"
                )))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        });
        Progress {
            bar,
            lines: std::env::var_os("COREDUCE_PROGRESS").is_some_and(|v| v == "lines"),
            done: std::sync::atomic::AtomicUsize::new(0),
            printing: std::sync::Mutex::new(()),
            runs: runs.max(1),
        }
    }

    /// One run done (called from the sampling threads).
    pub(super) fn tick(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
        if self.lines {
            // Counted and printed under one lock: counted apart, a thread
            // could print its 294/300 after another's 300/300, and the
            // reader's last line would not be the end.
            let _in_order = self.printing.lock().unwrap_or_else(|p| p.into_inner());
            let n = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            let runs = self.runs;
            if n == runs || (n * 50 / runs) != ((n - 1) * 50 / runs) {
                eprintln!("progress: {n}/{runs}");
            }
        }
    }

    pub(super) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

pub(crate) fn uncertainty_cmd(
    path: &Path,
    runs: usize,
    seed: u64,
    out: Option<PathBuf>,
    exact_runs: bool,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<ExitCode> {
    let run = base_year_run(path, lib, sectors)?;
    let replay = if exact_runs {
        coreduce::uncertainty::Replay::Exact
    } else {
        coreduce::uncertainty::Replay::Compiled
    };
    let progress = Progress::new(runs, 200);
    let tick = || progress.tick();
    let started = std::time::Instant::now();
    let rep = coreduce::uncertainty::monte_carlo_of_with(&run, sectors, runs, seed, replay, &tick)?;
    progress.finish();
    let secs = started.elapsed().as_secs_f64();
    let (runs, seed, inputs, speed) = (
        rep.runs,
        rep.seed,
        rep.inputs,
        rep.runs as f64 / secs.max(1e-9),
    );
    let (compiled, facility_years) = (rep.compiled, run.inventories.len());
    out!(
        "{}",
        say(tr!(
            "{runs} runs, seed {seed}, {inputs} uncertain inputs, {speed:.0} runs/s ({compiled} of {facility_years} facility-years replayed from their compiled plan, the rest through the exact engine)",
            "{runs} 次运行，随机种子 {seed}，{inputs} 个不确定输入，每秒 {speed:.0} 次（{facility_years} 个设施年份中 {compiled} 个按编译计划重算，其余经精确引擎计算）"
        ))
    );
    out!(
        "{} {} {:<8} {:>16} {:>16} {:>16} {:>16} {:>9} {:>9}",
        left(&say(tr!("level", "层级")), 10),
        left(&say(tr!("key", "对象")), 20),
        say(tr!("subst.", "物质")),
        say(tr!("exact", "精确值")),
        say(tr!("mean", "均值")),
        "2.5 %",
        "97.5 %",
        "±MC %",
        "±A1 %"
    );
    for s in rep.summaries.iter().filter(|s| s.level != "facility") {
        if ["CO2e", "CO2", "SO2", "NOx", "CH4"].contains(&s.substance.as_str()) {
            let exact = rust_decimal::prelude::ToPrimitive::to_f64(&s.exact).unwrap_or(0.0);
            let pct = |half: f64| {
                if exact == 0.0 {
                    "—".to_string()
                } else {
                    format!("{:.1}", 100.0 * half / exact.abs())
                }
            };
            let (level, key) = level_and_key(&s.level, &s.key, sectors);
            out!(
                "{} {} {:<8} {:>16} {:>16.3} {:>16.3} {:>16.3} {:>9} {:>9}",
                left(&level, 10),
                left(&key, 20),
                s.substance,
                s.exact.round_dp(3),
                s.mean,
                s.p2_5,
                s.p97_5,
                pct((s.p97_5 - s.p2_5) / 2.0),
                pct(s.approach1_half_width)
            );
        }
    }
    out!(
        "{}",
        say(tr!(
            "±MC: half the Monte Carlo 95 % interval; ±A1: IPCC Approach 1 (error propagation), both as % of the exact value",
            "±MC：蒙特卡洛 95 % 区间的一半；±A1：IPCC 方法 1（误差传递）；均为占精确值的百分比"
        ))
    );
    out!(
        "{}",
        say(tr!(
            "tornado of the province CO2e (each input at its 2.5th and 97.5th percentile, the rest central):",
            "全省 CO2e 的龙卷风图（每个输入分别取其第 2.5 和第 97.5 百分位，其余取中值）："
        ))
    );
    for b in rep.tornado.iter().take(10) {
        out!("  {:<60} {:>16.1} {:>16.1}", b.input, b.low, b.high);
    }
    out!(
        "{}",
        say(tr!(
            "sensitivity of the province CO2e (Spearman ρ, share of variance):",
            "全省 CO2e 的敏感性（Spearman ρ，方差贡献份额）："
        ))
    );
    for s in rep.sensitivity.iter().take(10) {
        out!(
            "  {:<60} {:>7.3} {:>6.1} %",
            s.input,
            s.rank_correlation,
            s.variance_share * 100.0
        );
    }
    if let Some(out) = out {
        let inputs = run.study.input_files();
        let protected: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
        coreduce::export::write_uncertainty(&out, &rep, &protected)?;
        out!("{}", say(tr!("wrote {}", "已写入 {}", out.display())));
        let report = coreduce::report::write_beside(
            &out,
            &coreduce::report::ReportInput {
                title: if run.study.name.is_empty() {
                    format!("coreduce uncertainty: {}", path.display())
                } else {
                    run.study.name.clone()
                },
                lang: report_lang(None, &run.study.language),
                inventories: &run.inventories,
                measures: None,
                roadmap: None,
                roadmap_odds: None,
                uncertainty: Some(&rep),
                factors: &run.factors,
                sectors,
                factors_used: None,
                notes: &run.study.notices,
            },
            &protected,
        )?;
        out!("{}", say(tr!("wrote {}", "已写入 {}", report.display())));
    }
    Ok(ExitCode::SUCCESS)
}

/// A summary's level and key for people: in Chinese the level's name and the
/// sector's or city's name (`行业 电解铝`); in English the codes, as the CSV
/// has them.
fn level_and_key(level: &str, key: &str, sectors: &SectorLibrary) -> (String, String) {
    let lang = message_lang();
    if lang == coreduce::Lang::En {
        return (level.to_string(), key.to_string());
    }
    match level {
        "province" => ("全省".into(), "四川省".into()),
        "sector" => ("行业".into(), sectors.sector_name(key, lang)),
        "city" => ("市（州）".into(), sectors.city_name(key, lang)),
        "county" => ("县（市、区）".into(), key.to_string()),
        "facility" => ("设施".into(), key.to_string()),
        other => (other.to_string(), key.to_string()),
    }
}
