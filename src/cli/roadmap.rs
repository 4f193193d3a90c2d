//! `roadmap`: scenarios to the horizon for a workbook or the built-in study,
//! printed and written (roadmap.xlsx, IAMC, JSON, report), all or nothing.

use super::*;

pub(crate) fn roadmap_cmd(
    workbook: Option<&Path>,
    out: &Path,
    rl: Option<LangArg>,
    monte_carlo: Option<(usize, u64)>,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<ExitCode> {
    let run = load_study(workbook, lib, sectors)?;
    let roadmap = Roadmap::compute(run, sectors, monte_carlo)?;
    let files = roadmap.write(out, workbook, rl, sectors)?;
    let rep = &roadmap.rep;
    print_scenarios(rep);
    print_inert(rep, &roadmap.measures, &roadmap.run.study);
    if let Some(lc) = &rep.least_cost {
        print_least_cost(lc, rep.end_year);
    }
    if let Some(o) = &roadmap.odds {
        print_odds(o, rep);
    }
    for f in files {
        out!("{}", say(tr!("wrote {}", "已写入 {}", f.display())));
    }
    Ok(ExitCode::SUCCESS)
}

/// The base year of the workbook's study, or of the built-in one; a
/// workbook without scenarios gets the built-in scenario templates.
fn load_study(
    workbook: Option<&Path>,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<coreduce::accounting::ComputedStudy> {
    let mut run = match workbook {
        Some(p) => base_year_run(p, lib, sectors)?,
        None => {
            let study = coreduce::study::builtin::load("sichuan", lib, sectors)?;
            coreduce::accounting::compute(study, lib, sectors)
                .or_say(|| tr!("the built-in study does not compute", "内置研究无法计算"))?
        }
    };
    if workbook.is_some() && run.study.scenario_rows.is_empty() {
        use_scenario_templates(&mut run.study, lib, sectors)?;
    }
    Ok(run)
}

/// A roadmap run: the base year, the measures that apply, the scenarios to
/// the horizon, the measures report beside them and, when asked, the Monte
/// Carlo of both.
struct Roadmap {
    run: coreduce::accounting::ComputedStudy,
    measures: Vec<coreduce::measures::Measure>,
    rep: coreduce::roadmap::RoadmapReport,
    mrep: coreduce::measures::MeasureReport,
    odds: Option<coreduce::uncertainty::roadmap::RoadmapOdds>,
    inventory_mc: Option<coreduce::uncertainty::McReport>,
}

impl Roadmap {
    /// Runs the scenarios (and the measures report, and the Monte Carlo of
    /// `monte_carlo`'s runs and seed) on the study's base year.
    fn compute(
        run: coreduce::accounting::ComputedStudy,
        sectors: &SectorLibrary,
        monte_carlo: Option<(usize, u64)>,
    ) -> anyhow::Result<Roadmap> {
        let library = MeasureLibrary::embedded(sectors)
            .or_say(|| tr!("the built-in measures are invalid", "内置措施库无效"))?;
        let measures =
            coreduce::measures::all_measures(&run.study, sectors, &library, &run.factors)?;
        let ms = coreduce::measures::settings_for(&run.study, &run.factors);
        let rep = coreduce::roadmap::run(&run.study, &run.factors, sectors, &measures, &ms)
            .or_say(|| Text::neutral(&run.study.path))?;
        let mrep = coreduce::measures::report(&run, sectors, &library, &ms)?;
        let (odds, inventory_mc) = match monte_carlo {
            Some((runs, seed)) => {
                let (o, mc) = draws(&run, sectors, &measures, &ms, &rep, runs, seed)?;
                (Some(o), Some(mc))
            }
            None => (None, None),
        };
        Ok(Roadmap {
            run,
            measures,
            rep,
            mrep,
            odds,
            inventory_mc,
        })
    }

    /// Writes the roadmap's files and the report into `out`, every file or
    /// none (the input workbook is never written); returns the paths written.
    fn write(
        &self,
        out: &Path,
        workbook: Option<&Path>,
        rl: Option<LangArg>,
        sectors: &SectorLibrary,
    ) -> anyhow::Result<Vec<PathBuf>> {
        let Roadmap {
            run,
            rep,
            mrep,
            odds,
            inventory_mc,
            ..
        } = self;
        // no output may overwrite an input: the workbook and its activity file
        let inputs = if workbook.is_some() {
            run.study.input_files()
        } else {
            Vec::new()
        };
        let protected: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
        let lang = report_lang(rl, &run.study.language);
        // The built-in study's report is titled in the report's language; a
        // user's study keeps the name the user gave it.
        let title = match workbook {
            None => coreduce::study::builtin::title("sichuan", lang),
            Some(_) => None,
        };
        let html = coreduce::report::render(&coreduce::report::ReportInput {
            title: title.unwrap_or_else(|| rep.study.clone()),
            lang,
            inventories: &run.inventories,
            measures: Some(mrep),
            roadmap: Some(rep),
            roadmap_odds: odds.as_ref(),
            uncertainty: inventory_mc.as_ref(),
            factors: &run.factors,
            sectors,
            factors_used: None,
            notes: &run.study.notices,
        });
        // Every file of the roadmap lands, or none.
        let mut names = vec![
            "iamc.csv",
            "iamc-coreduce.csv",
            "roadmap.json",
            "iamc.xlsx",
            "roadmap.xlsx",
            "report.html",
        ];
        if odds.is_some() {
            names.extend([
                "roadmap-odds.csv",
                "roadmap-fans.csv",
                "roadmap-uncertainty.json",
                "inventory-uncertainty.csv",
            ]);
        }
        let planned: Vec<PathBuf> = names.iter().map(|n| out.join(n)).collect();
        let files = coreduce::output::all_or_nothing(&planned, || {
            let mut files =
                // The workbook in the report's language (the study's, or --lang).
                coreduce::export::write_roadmap(
                    out,
                    rep,
                    &mrep.macc,
                    sectors,
                    &protected,
                    report_lang(rl, &run.study.language),
                )?;
            files.push(coreduce::report::write_report(out, &html, &protected)?);
            if let Some(o) = odds {
                files.extend(coreduce::export::write_roadmap_odds(out, o, &protected)?);
            }
            if let Some(mc) = inventory_mc {
                let path = out.join("inventory-uncertainty.csv");
                coreduce::export::write_uncertainty(&path, mc, &protected)?;
                files.push(path);
            }
            Ok(files)
        })?;
        Ok(files)
    }
}

/// A scenario's name in the message language.
fn scenario_name(id: &str, kind: &str) -> String {
    say(coreduce::roadmap::scenario_name(id, kind))
}

/// The table of scenarios: CO2e at the base year, 2030, 2035 and the
/// horizon, the peak year and SO2 in 2030, each scenario's targets below it.
fn print_scenarios(rep: &coreduce::roadmap::RoadmapReport) {
    out!("{} ({}–{})", rep.study, rep.base_year, rep.end_year);
    // The totals are the study's facilities, not the region's: say so first.
    if let Some(cov) = &rep.coverage {
        let region = &cov.region;
        out!(
            "{}",
            say(tr!("coverage ({region}):", "覆盖范围（{region}）："))
        );
        for l in cov.lines(message_lang()) {
            out!("    {l}");
        }
    }
    // The base year, the plan's milestones 2030 and 2035 within the horizon,
    // and the horizon, each once.
    let mut years = vec![rep.base_year];
    for y in [2030, 2035, rep.end_year] {
        if y > rep.base_year && y <= rep.end_year && !years.contains(&y) {
            years.push(y);
        }
    }
    let so2_year = if rep.end_year >= 2030 {
        2030
    } else {
        rep.end_year
    };
    let line = |name: &str, cells: &[String]| {
        let mut row = left(name, 24);
        for (i, c) in cells.iter().enumerate() {
            let width = if i == years.len() { 10 } else { 14 };
            row.push(' ');
            row.push_str(&right(c, width));
        }
        row
    };
    let mut head: Vec<String> = years.iter().map(|y| format!("CO2e {y}")).collect();
    head.push(say(tr!("peak year", "达峰年")));
    head.push(format!("SO2 {so2_year}"));
    out!("{}", line(&say(tr!("scenario", "情景")), &head));
    for sc in &rep.scenarios {
        let s = coreduce::roadmap::series_of(&sc.points, "CO2e");
        let so2 = coreduce::roadmap::series_of(&sc.points, "SO2");
        let at = |m: &std::collections::BTreeMap<i32, rust_decimal::Decimal>, y: i32| {
            m.get(&y)
                .map(|v| v.round_dp(0).to_string())
                .unwrap_or_else(|| "-".into())
        };
        let mut cells: Vec<String> = years.iter().map(|y| at(&s, *y)).collect();
        cells.push(
            sc.peak
                .as_ref()
                .map(|p| {
                    if p.peaked {
                        p.year.to_string()
                    } else {
                        format!("{}+", p.year)
                    }
                })
                .unwrap_or_default(),
        );
        cells.push(at(&so2, so2_year));
        out!("{}", line(&scenario_name(&sc.scenario, &sc.kind), &cells));
        print_attainment(&sc.attainment);
    }
}

/// A scenario's targets, met or missed in their year.
fn print_attainment(attainment: &[coreduce::roadmap::Attainment]) {
    for a in attainment {
        let (value, cap) = (a.value_in_year.round_dp(0), a.cap.round_dp(0));
        let verdict = if a.met_in_year {
            tr!("met", "达成")
        } else {
            tr!("missed ({value} > {cap})", "未达成（{value} > {cap}）")
        };
        out!(
            "{}",
            say(tr!(
                "    target {:<24} {}: {}",
                "    目标 {:<24} {} 年：{}",
                a.target,
                a.year,
                verdict.get(message_lang())
            ))
        );
    }
}

/// Measures that change nothing where they apply, said once per measure.
fn print_inert(
    rep: &coreduce::roadmap::RoadmapReport,
    measures: &[coreduce::measures::Measure],
    study: &coreduce::study::Study,
) {
    let mut inert: std::collections::BTreeMap<&str, usize> = Default::default();
    for (m, _) in &rep.inert {
        *inert.entry(m.as_str()).or_default() += 1;
    }
    for (m, n) in inert {
        let contract = measures.iter().find(|x| x.id == m).is_some_and(|x| {
            x.edits
                .iter()
                .any(|e| matches!(e, coreduce::study::Edit::GreenPower { .. }))
        });
        if let Some(why) = rep.inert_why.get(m) {
            let (plural, why) = (if n == 1 { "y" } else { "ies" }, why.get(message_lang()));
            out!(
                "{}",
                say(tr!(
                    "{m} is not deployed at {n} facilit{plural}: {why}",
                    "{m} 不在 {n} 个设施部署：{why}"
                ))
            );
            continue;
        }
        let why = if contract && study.settings.scope2 == coreduce::study::Scope2Method::Location {
            tr!(
                ": a green-power contract lowers the market-based scope 2 only, and the study counts the location-based one (settings scope2 = market counts it)",
                "：绿电合同只降低基于市场法的范围二排放，而本研究按基于位置法计算（settings 中 scope2 = market 时计入）"
            )
        } else {
            Text::default()
        };
        let (plural, why) = (if n == 1 { "y" } else { "ies" }, why.get(message_lang()));
        out!(
            "{}",
            say(tr!(
                "{m} changes nothing at {n} facilit{plural} and is not deployed there{why}",
                "{m} 在 {n} 个设施上不产生任何变化，不在这些设施部署{why}"
            ))
        );
    }
}

/// The least-cost deployment: its status and explanations, each target's
/// marginal cost, and the total to the horizon `end`.
fn print_least_cost(lc: &coreduce::roadmap::optimise::LeastCost, end: i32) {
    let status = lc.status_name();
    out!(
        "{}",
        say(tr!(
            "least-cost deployment ({}): {}",
            "最低成本部署（{}）：{}",
            lc.scenario,
            status.get(message_lang())
        ))
    );
    for e in &lc.explanations {
        out!("    {}", e.get(message_lang()));
    }
    for p in &lc.prices {
        print_target_price(p);
    }
    let total = lc.total_cost.round_dp(0);
    out!(
        "{}",
        say(tr!(
            "    (the LP's dual over the present value of one tonne a year while the tightening holds; total {total} CNY present value of annualised costs to {end})",
            "    （线性规划对偶值除以约束收紧期间每年一吨的现值；至 {end} 年年化成本现值合计 {total} 元）"
        ))
    );
}

/// One target's marginal cost, the years it holds, the candidates' unit
/// costs and its note.
fn print_target_price(p: &coreduce::roadmap::optimise::TargetPrice) {
    let range = match (p.unit_cost_low, p.unit_cost_high) {
        (Some(lo), Some(hi)) => {
            let (lo, hi) = (lo.round_dp(1), hi.round_dp(1));
            tr!(
                " (candidates' unit costs {lo} … {hi})",
                "（候选措施单位成本 {lo} … {hi}）"
            )
        }
        _ => Text::default(),
    };
    let note = match p.note.get(message_lang()) {
        "" => String::new(),
        note if message_lang() == coreduce::Lang::Zh => format!("：{note}"),
        note => format!(": {note}"),
    };
    let (target, substance, year, cost, until) = (
        &p.target,
        &p.substance,
        p.year,
        p.marginal_cost.round_dp(1),
        p.holds_until,
    );
    let range = range.get(message_lang());
    out!(
        "{}",
        say(tr!(
            "    marginal cost of '{target}' ({substance} {year}): {cost} CNY per t a year, {year}–{until}{range}{note}",
            "    目标“{target}”（{substance} {year} 年）的边际成本：每吨每年 {cost} 元，{year}–{until} 年{range}{note}"
        ))
    );
}

/// The probability that each target is met, by scenario.
fn print_odds(
    o: &coreduce::uncertainty::roadmap::RoadmapOdds,
    rep: &coreduce::roadmap::RoadmapReport,
) {
    let (runs, seed) = (o.runs, o.seed);
    out!(
        "{}",
        say(tr!(
            "probability that each target is met ({runs} runs, seed {seed}; factors and activity drawn, plans held fixed):",
            "各目标的达成概率（{runs} 次运行，随机种子 {seed}；因子和活动数据随机抽样，规划保持不变）："
        ))
    );
    for x in &o.odds {
        let (probability, median, cap) = (x.probability * 100.0, x.median, x.cap.round_dp(0));
        out!(
            "{}",
            say(tr!(
                "    {:<20} {:<16} {probability:>3.0} %   (median {median:.0} against the cap {cap})",
                "    {:<20} {:<16} {probability:>3.0} %   （中位数 {median:.0}，上限 {cap}）",
                scenario_name(
                    &x.scenario,
                    rep.scenarios
                        .iter()
                        .find(|s| s.scenario == x.scenario)
                        .map_or(x.scenario.as_str(), |s| s.kind.as_str())
                ),
                x.target
            ))
        );
    }
}

/// A workbook with facilities but no scenarios: say so plainly, and run the
/// built-in study's scenario templates (business as usual, policy, enhanced)
/// on the user's facilities, their assumptions listed.
fn use_scenario_templates(
    study: &mut coreduce::study::Study,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<()> {
    let rows = coreduce::study::builtin::scenario_templates("sichuan", lib, sectors)?;
    let path = &study.path;
    let said = tr!(
        "no scenarios sheet in {path}: the built-in scenario templates (bau, policy, enhanced) of the Sichuan study run on your facilities; their assumptions (sectors/study/sichuan.toml) follow. Add a scenarios sheet (coreduce template) to state your own.",
        "{path} 中没有情景（scenarios）工作表：以下按四川研究的内置情景模板（bau 基准、policy 政策、enhanced 强化）对您的设施进行计算，其假设（sectors/study/sichuan.toml）列在下面。如需设定自己的情景，请添加情景工作表（coreduce template）。"
    );
    out!("{}", say(said.clone()));
    let deploys = |r: &&coreduce::study::ScenarioRow| {
        matches!(r.field.as_str(), "deploy" | "anchor" | "x_max" | "ramp")
    };
    for r in rows.iter().filter(|r| !deploys(r)) {
        let value = r
            .value
            .map(|v| v.normalize().to_string())
            .unwrap_or_default();
        let note = if message_lang() == coreduce::Lang::Zh && !r.note_zh.is_empty() {
            &r.note_zh
        } else {
            &r.note
        };
        out!(
            "  {:<9} {:<8} {:<17} {:>4} {:>8} {} {}",
            r.scenario,
            r.field,
            r.scope.as_deref().unwrap_or("all"),
            r.year.map(|y| y.to_string()).unwrap_or_default(),
            value,
            r.unit.as_deref().unwrap_or(""),
            note
        );
    }
    for kind in ["policy", "enhanced"] {
        let deployed: std::collections::BTreeSet<&str> = rows
            .iter()
            .filter(|r| r.scenario == kind && deploys(r))
            .filter_map(|r| r.target.as_deref())
            .collect();
        let (count, list) = (
            deployed.len(),
            deployed.into_iter().collect::<Vec<_>>().join(", "),
        );
        out!(
            "{}",
            say(tr!(
                "  {kind}: deploys {count} measures where they apply ({list})",
                "  {kind}：在适用的设施上部署 {count} 项措施（{list}）"
            ))
        );
    }
    study.notices.push(said);
    study.scenario_rows = rows;
    Ok(())
}

/// The roadmap's Monte Carlo (the probability of each target, the fans) and
/// the base year's own (the report's error bars and tornado), from the same
/// runs and seed.
fn draws(
    run: &coreduce::accounting::ComputedStudy,
    sectors: &SectorLibrary,
    measures: &[coreduce::measures::Measure],
    ms: &coreduce::measures::MetricSettings,
    rep: &coreduce::roadmap::RoadmapReport,
    runs: usize,
    seed: u64,
) -> anyhow::Result<(
    coreduce::uncertainty::roadmap::RoadmapOdds,
    coreduce::uncertainty::McReport,
)> {
    let located = |e: coreduce::Error| {
        anyhow::Error::new(Said {
            text: Text::neutral(&run.study.path),
            source: Some(e.into()),
        })
    };
    // The roadmap's runs are what takes the time (every scenario projected
    // per run): they are counted (a bar on a terminal, `progress:` lines for
    // coreduce serve); the base year's runs after them are not.
    let progress = super::uncertainty::Progress::new(runs, 1);
    let tick = || progress.tick();
    let odds = coreduce::uncertainty::roadmap::roadmap_odds(
        &run.study,
        &run.factors,
        sectors,
        measures,
        ms.discount_rate,
        rep.least_cost.as_ref(),
        runs,
        seed,
        &tick,
    );
    progress.finish();
    let odds = odds.map_err(located)?;
    let inventory =
        coreduce::uncertainty::monte_carlo_of(run, sectors, runs, seed, &|| {}).map_err(located)?;
    Ok((odds, inventory))
}
