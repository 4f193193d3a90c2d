//! `inventory`, `validate` and what they print: the terminal table, warnings
//! grouped by message, the reader's notices; `inventory --out` streams its rows
//! to the results file and writes the report beside it, all or nothing.

use super::*;

/// Distinct warnings shown on the terminal before "… more" (a screenful).
pub(crate) const WARNING_GROUPS_SHOWN: usize = 20;

/// The run's warnings for the terminal, one line per distinct message with its
/// count and first facility-years (or every warning with `--warnings all`).
pub(crate) fn warning_lines(invs: &[Inventory], mode: WarningsArg) -> Vec<String> {
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

/// `inventory --out`: rows are written as they are computed (memory stays one
/// batch deep), then the report beside the results.
pub(crate) fn inventory_to_file(
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
                roadmap_odds: None,
                uncertainty: None,
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

pub(crate) fn warn_count(invs: &[Inventory], mode: WarningsArg) {
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
pub(crate) fn print_notices(notices: &[String]) {
    for n in notices {
        eprintln!("note: {n}");
    }
}

/// A workbook run restricted to its base year, for roadmap, measures and
/// uncertainty, with the reader's notices said once.
pub(crate) fn base_year_run(
    path: &Path,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<coreduce::workbook::WorkbookRun> {
    let run = run_workbook(path, lib, sectors)?.base_year_only();
    print_notices(&run.study.notices);
    Ok(run)
}

pub(crate) fn validate(
    path: &Path,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    warnings: WarningsArg,
) -> anyhow::Result<ExitCode> {
    let run = match run_workbook(path, lib, sectors) {
        Ok(run) => run,
        Err(e @ WorkbookError::Unreadable { .. }) => bail!("{e}"),
        Err(e @ WorkbookError::Invalid { .. }) => {
            out!("{e}");
            return Ok(ExitCode::from(1));
        }
    };
    // The measures, scenarios and targets sheets, as `measures` and
    // `roadmap` would read them.
    let plans = coreduce::roadmap::check_plans(&run.study, &run.factors, sectors);
    if !plans.is_empty() {
        let e = WorkbookError::Invalid {
            path: path.display().to_string(),
            findings: plans,
        };
        out!("{e}");
        return Ok(ExitCode::from(1));
    }
    let invs = &run.inventories;
    let count: usize = invs.iter().map(|i| i.warnings.len()).sum();
    out!(
        "{}: clean ({} facility-years, {} warnings)",
        path.display(),
        invs.len(),
        count
    );
    for line in warning_lines(invs, warnings) {
        out!("{line}");
    }
    for n in &run.study.notices {
        out!("  note: {n}");
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn print_summary(invs: &[Inventory]) {
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
