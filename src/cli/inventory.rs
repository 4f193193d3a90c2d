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
                i.warnings.iter().map(move |w| {
                    say(tr!(
                        "  warning: {} {}: {}",
                        "  警告：{} {} 年：{}",
                        i.facility_id,
                        i.year,
                        w.message_in(message_lang())
                    ))
                })
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
            let (count, first) = (g.count, first.join(", "));
            let message = match (message_lang(), &g.message_zh) {
                (coreduce::Lang::Zh, Some(zh)) => zh,
                _ => &g.message,
            };
            say(tr!(
                "  warning ({count}×): {message} [{first}{more}]",
                "  警告（{count} 次）：{message} [{first}{more}]"
            ))
        })
        .collect();
    if groups.len() > WARNING_GROUPS_SHOWN {
        let more = groups.len() - WARNING_GROUPS_SHOWN;
        lines.push(say(tr!(
            "  … {more} more distinct warnings (--warnings all lists every one)",
            "  …… 另有 {more} 种警告（--warnings all 列出全部）"
        )));
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
    let mut study = coreduce::workbook::read(workbook, lib, sectors)?;
    study_lang(&study.language);
    print_notices(&study.notices);
    let invalid = |findings| WorkbookError::Invalid {
        path: workbook.display().to_string(),
        findings,
        language: coreduce::Lang::of_setting(&study.language),
    };
    let lib = study.factors(lib).map_err(invalid)?;
    // Findings keep the workbook's name in their header.
    let located = |e: coreduce::Error| {
        let findings = match e {
            coreduce::Error::Data(e) => vec![e],
            coreduce::Error::Invalid(es) => es,
            e => return e,
        };
        let e = invalid(findings);
        coreduce::Error::request(Text::new(
            e.text(coreduce::Lang::En),
            e.text(coreduce::Lang::Zh),
        ))
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Both files land, or neither; neither may overwrite an input.
    let planned = [path.to_path_buf(), dir.join("report.html")];
    let inputs = study.input_files();
    // The run releases each facility-year's activity as it computes it.
    let mut facility_years = std::mem::take(&mut study.facility_years);
    let protected: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
    let (run, report) = coreduce::output::all_or_nothing(&planned, || {
        let run = coreduce::export::write_inventory_run(
            path,
            &protected,
            &study.settings,
            &lib,
            sectors,
            &mut facility_years,
            message_lang(),
        )
        .map_err(located)?;
        let report = coreduce::report::write_beside(
            path,
            &coreduce::report::ReportInput {
                title: if study.name.is_empty() {
                    say(tr!(
                        "coreduce inventory: {}",
                        "coreduce 排放清单：{}",
                        workbook.display()
                    ))
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
                notes: &study.notices,
            },
            &protected,
        )?;
        Ok((run, report))
    })?;
    out!("{}", say(tr!("wrote {}", "已写入 {}", report.display())));
    let (facility_years, rows) = (run.inventories.len(), run.rows);
    out!(
        "{}",
        say(tr!(
            "wrote {} ({facility_years} facility-years, {rows} rows)",
            "已写入 {}（{facility_years} 个设施年份，{rows} 行）",
            path.display()
        ))
    );
    warn_count(&run.inventories, wmode);
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn warn_count(invs: &[Inventory], mode: WarningsArg) {
    let warnings: usize = invs.iter().map(|i| i.warnings.len()).sum();
    if warnings > 0 {
        eprintln!(
            "{}",
            say(tr!(
                "{warnings} warning(s) (all of them in the warnings sheet and the JSON output):",
                "{warnings} 条警告（全部列在 warnings 工作表和 JSON 输出中）："
            ))
        );
        for line in warning_lines(invs, mode) {
            eprintln!("{line}");
        }
    }
}

/// The reader's notices (settings left to their defaults, technologies
/// inferred, the base year chosen), each once, on stderr.
pub(crate) fn print_notices(notices: &[Text]) {
    for n in notices {
        let text = n.get(message_lang());
        eprintln!("{}", say(tr!("note: {text}", "提示：{text}")));
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
    study_lang(&run.study.language);
    print_notices(&run.study.notices);
    Ok(run)
}

/// What `validate` found: the text and the JSON (`--json`) say the same.
pub(crate) enum Checked {
    /// The file cannot be opened as a workbook.
    Unreadable(WorkbookError),
    /// Findings (always `WorkbookError::Invalid`), with the run where the
    /// inventory was computed and only the measures, scenarios or targets
    /// sheets have findings.
    Findings {
        error: WorkbookError,
        run: Option<coreduce::accounting::CheckedStudy>,
    },
    Clean(coreduce::accounting::CheckedStudy),
}

/// Every check of `validate`: the workbook read and computed (keeping only
/// its warnings, so a large study is checked in the memory `inventory --out`
/// takes), then the measures, scenarios and targets sheets as `measures` and
/// `roadmap` would read them.
pub(crate) fn check_workbook(path: &Path, lib: &FactorLibrary, sectors: &SectorLibrary) -> Checked {
    let run = match coreduce::workbook::check_workbook(path, lib, sectors) {
        Ok(run) => run,
        Err(e @ WorkbookError::Unreadable { .. }) => return Checked::Unreadable(e),
        Err(e @ WorkbookError::Invalid { .. }) => {
            return Checked::Findings {
                error: e,
                run: None,
            }
        }
    };
    let plans = coreduce::roadmap::check_plans(&run.study, &run.factors, sectors);
    if plans.is_empty() {
        return Checked::Clean(run);
    }
    Checked::Findings {
        error: WorkbookError::Invalid {
            path: path.display().to_string(),
            findings: plans,
            language: coreduce::Lang::of_setting(&run.study.language),
        },
        run: Some(run),
    }
}

pub(crate) fn validate(
    path: &Path,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    warnings: WarningsArg,
) -> anyhow::Result<ExitCode> {
    let run = match check_workbook(path, lib, sectors) {
        Checked::Clean(run) => run,
        Checked::Unreadable(e) => return Err(e.into()),
        Checked::Findings { error, .. } => {
            workbook_lang(&error);
            out!("{}", error.text(message_lang()));
            return Ok(ExitCode::from(1));
        }
    };
    study_lang(&run.study.language);
    let invs = &run.inventories;
    let count: usize = invs.iter().map(|i| i.warnings.len()).sum();
    let facility_years = invs.len();
    out!(
        "{}",
        say(tr!(
            "{}: clean ({facility_years} facility-years, {count} warnings)",
            "{}：无错误（{facility_years} 个设施年份，{count} 条警告）",
            path.display()
        ))
    );
    for line in warning_lines(invs, warnings) {
        out!("{line}");
    }
    for n in &run.study.notices {
        let text = n.get(message_lang());
        out!("{}", say(tr!("  note: {text}", "  提示：{text}")));
    }
    Ok(ExitCode::SUCCESS)
}

/// `coreduce inventory study.xlsx` with no `--out`: the totals per
/// facility-year on the terminal, in the study's language.
pub(crate) fn inventory_to_terminal(
    path: &Path,
    mode: WarningsArg,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<ExitCode> {
    let run = run_workbook(path, lib, sectors)?;
    study_lang(&run.study.language);
    print_notices(&run.study.notices);
    print_summary(&run.inventories, sectors);
    warn_count(&run.inventories, mode);
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn print_summary(invs: &[Inventory], sectors: &SectorLibrary) {
    let lang = message_lang();
    // Columns padded by display width, so Chinese sector names line up; the
    // sector column as wide as its longest name.
    let sector_width = invs
        .iter()
        .map(|i| {
            unicode_width::UnicodeWidthStr::width(sectors.sector_name(&i.sector, lang).as_str())
        })
        .max()
        .unwrap_or(0)
        .max(10);
    let line = |cells: [String; 8]| {
        let widths = [14, 5, sector_width, 16, 14, 14, 12, 12];
        let mut row = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                row.push(' ');
            }
            // ids and the sector name to the left, numbers to the right
            row.push_str(&if i == 0 || i == 2 {
                left(cell, width)
            } else {
                right(cell, width)
            });
        }
        row
    };
    out!(
        "{}",
        line([
            say(tr!("facility", "设施")),
            say(tr!("year", "年份")),
            say(tr!("sector", "行业")),
            say(tr!("CO2e t (view)", "CO2e 吨（口径）")),
            say(tr!("scope 2 t", "范围二 吨")),
            say(tr!("energy tce", "能耗 tce")),
            say(tr!("air eq.", "大气污染当量")),
            say(tr!("water eq.", "水污染当量")),
        ])
    );
    for i in invs {
        let t = &i.totals;
        out!(
            "{}",
            line([
                i.facility_id.clone(),
                i.year.to_string(),
                sectors.sector_name(&i.sector, lang),
                t.co2e.round_dp(3).to_string(),
                t.co2e_scope2.round_dp(3).to_string(),
                t.energy_tce.round_dp(3).to_string(),
                t.apeq.round_dp(1).to_string(),
                t.wpeq.round_dp(1).to_string(),
            ])
        );
    }
}
