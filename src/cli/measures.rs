//! `measures`: every applicable measure alone and as a package, printed and
//! written with the report beside it.

use super::*;

/// A metric setting given on the command line (`--lambda`, `--discount-rate`),
/// checked with the same bounds as the settings sheet.
pub(crate) fn decimal_arg(
    name: &str,
    v: &Option<String>,
) -> anyhow::Result<Option<rust_decimal::Decimal>> {
    let Some(t) = v else {
        return Ok(None);
    };
    // `8%` as the workbook accepts it: a fraction, 0.08.
    let (body, percent) = match t.trim().strip_suffix(['%', '％']) {
        Some(b) => (b.trim_end(), true),
        None => (t.as_str(), false),
    };
    let d = coreduce::units::parse_decimal_explained(body).map_err(|why| {
        fail(tr!(
            "--{name} '{t}' is not a number{why}",
            "--{name} “{t}”不是数字{why}"
        ))
    })?;
    let d = if percent {
        d / rust_decimal::Decimal::ONE_HUNDRED
    } else {
        d
    };
    if let Some(problem) = coreduce::study::MetricInputs::problem(&name.replace('-', "_"), d) {
        return Err(fail(Text::new(
            format!("--{name} {t} {}", problem.en),
            format!("--{name} {t} {}", problem.get(coreduce::Lang::Zh)),
        )));
    }
    Ok(Some(d))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn measures_cmd(
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
    let library = MeasureLibrary::embedded(sectors)
        .or_say(|| tr!("the built-in measures are invalid", "内置措施库无效"))?;
    let mut ms = coreduce::measures::settings_for(&run.study, &run.factors);
    if let Some(v) = decimal_arg("lambda", &lambda)? {
        ms.lambda = v;
    }
    if let Some(v) = decimal_arg("discount-rate", &discount_rate)? {
        ms.discount_rate = v;
    }
    if let Some(p) = pollutant {
        ms.pollutant = if p.eq_ignore_ascii_case("apeq") {
            "APeq".into()
        } else {
            coreduce::Substance::parse(&p)
                .map(|s| s.code().to_string())
                .ok_or_else(|| {
                    fail(tr!(
                        "unknown pollutant '{p}' (a substance code or APeq)",
                        "未知污染物“{p}”（应为物质代码或 APeq）"
                    ))
                })?
        };
    }
    let rep = coreduce::measures::report(&run, sectors, &library, &ms)
        .or_say(|| Text::neutral(path.display().to_string()))?;
    print_measures(&rep, &ms);
    if let Some(out) = out {
        let dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // Both files land, or neither; neither may overwrite an input.
        let planned = [out.clone(), dir.join("report.html")];
        let inputs = run.study.input_files();
        let protected: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
        let report = coreduce::output::all_or_nothing(&planned, || {
            coreduce::export::write_measures(&out, &rep, &protected, message_lang(), sectors)?;
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
                    roadmap_odds: None,
                    uncertainty: None,
                    factors: &run.factors,
                    sectors,
                    factors_used: None,
                    notes: &run.study.notices,
                },
                &protected,
            )
        })?;
        out!("{}", say(tr!("wrote {}", "已写入 {}", out.display())));
        out!("{}", say(tr!("wrote {}", "已写入 {}", report.display())));
    }
    Ok(ExitCode::SUCCESS)
}

/// The table of measures alone and as a package, the ones left out, and
/// the note on the degree index, in the message language.
fn print_measures(
    rep: &coreduce::measures::MeasureReport,
    ms: &coreduce::measures::MetricSettings,
) {
    // Columns padded by display width, so Chinese headers and classes line up.
    let line = |cells: [String; 8]| {
        let widths = [28, 14, 12, 7, 24, 14, 14, 14];
        let mut row = left(&cells[0], widths[0]);
        for (cell, width) in cells.iter().zip(widths).skip(1) {
            row.push(' ');
            row.push_str(&right(cell, width));
        }
        row
    };
    out!(
        "{}",
        line([
            say(tr!("measure", "措施")),
            say(tr!("ΔCO2e t/a", "ΔCO2e 吨/年")),
            format!("Δ{}", ms.pollutant),
            say(tr!("quad.", "象限")),
            say(tr!("elasticity", "弹性")),
            say(tr!("CNY/t CO2e", "元/吨 CO2e")),
            say(tr!("adj. MAC", "调整后边际成本")),
            say(tr!("degree index", "协同度指数")),
        ])
    );
    for e in rep.alone.iter().chain(std::iter::once(&rep.package)) {
        // A caveat said once per measure: the places follow.
        if let Some(note) = e.notes.values().next() {
            let n = e.notes.len();
            let note = note.get(message_lang());
            out!(
                "{}",
                say(tr!(
                    "{:<28} note ({n} facility-years): {note}",
                    "{:<28} 注（{n} 个设施年）：{note}",
                    e.measure
                ))
            );
        }
        for (place, why) in &e.why_not_applicable {
            let why = why.get(message_lang());
            out!(
                "{}",
                say(tr!(
                    "{:<28} at {place}: {why}",
                    "{:<28} 于 {place}：{why}",
                    e.measure
                ))
            );
        }
        if e.by_facility.is_empty() && !e.not_applicable.is_empty() {
            let unchanged: Vec<&str> = e
                .not_applicable
                .iter()
                .filter(|p| !e.why_not_applicable.contains_key(*p))
                .map(String::as_str)
                .collect();
            if unchanged.is_empty() {
                continue;
            }
            // (a reason the evaluation knows, such as a green-power
            // contract under location-based scope 2, was said above)
            let places = unchanged.join(", ");
            out!(
                "{}",
                say(tr!(
                    "{:<28} not applicable: its edits change nothing at {places}",
                    "{:<28} 不适用：其修改在 {places} 不产生任何变化",
                    e.measure
                ))
            );
            continue;
        }
        let p = &e.province;
        let er = |k: &str| p.reduction.get(k).copied().unwrap_or_default();
        let show = |d: Option<rust_decimal::Decimal>| {
            d.map(|x| x.round_dp(1).to_string())
                .unwrap_or_else(|| say(tr!("undefined", "无定义")))
        };
        out!(
            "{}",
            line([
                if std::ptr::eq(e, &rep.package) {
                    say(tr!("package", "措施组合"))
                } else {
                    e.measure.clone()
                },
                er("CO2e").round_dp(1).to_string(),
                er(&ms.pollutant).round_dp(1).to_string(),
                p.quadrant.name().get(message_lang()).to_string(),
                p.elasticity.class.name().get(message_lang()).to_string(),
                show(p.cost_per_t_co2e),
                show(p.mac_adjusted),
                p.degree_index
                    .map(|x| x.round_dp(3).to_string())
                    .unwrap_or_else(|| say(tr!("undefined", "无定义"))),
            ])
        );
    }
    if !rep.package.not_applicable.is_empty() {
        let left_out = rep.package.not_applicable.join(", ");
        out!(
            "{}",
            say(tr!(
                "left out of the package where they change nothing: {left_out}",
                "不产生变化之处不纳入措施组合：{left_out}"
            ))
        );
    }
    out!(
        "{}",
        match message_lang() {
            coreduce::Lang::Zh => coreduce::measures::DEGREE_INDEX_NOTE_ZH,
            coreduce::Lang::En => coreduce::measures::DEGREE_INDEX_NOTE,
        }
    );
}
