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
    let d = coreduce::units::parse_decimal_explained(body)
        .map_err(|why| anyhow::anyhow!("--{name} '{t}' is not a number{why}"))?;
    let d = if percent {
        d / rust_decimal::Decimal::ONE_HUNDRED
    } else {
        d
    };
    if let Some(problem) = coreduce::study::MetricInputs::problem(&name.replace('-', "_"), d) {
        bail!("--{name} {t} {problem}");
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
    let library = MeasureLibrary::embedded(sectors).context("the built-in measures are invalid")?;
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
        if e.by_facility.is_empty() && !e.not_applicable.is_empty() {
            // A green-power contract changes only the market-based scope 2.
            let contract = library.get(&e.measure).is_some_and(|m| {
                m.edits
                    .iter()
                    .any(|x| matches!(x, coreduce::study::Edit::GreenPower { .. }))
            });
            let why = if contract
                && run.study.settings.scope2 == coreduce::study::Scope2Method::Location
            {
                " (a green-power contract lowers the market-based scope 2 only, and the study counts the location-based one: set scope2 = market in the settings sheet to count it)"
            } else {
                ""
            };
            out!(
                "{:<28} not applicable: its edits change nothing at {}{why}",
                e.measure,
                e.not_applicable.join(", ")
            );
            continue;
        }
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
    if !rep.package.not_applicable.is_empty() {
        out!(
            "left out of the package where they change nothing: {}",
            rep.package.not_applicable.join(", ")
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
                    roadmap_odds: None,
                    uncertainty: None,
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
