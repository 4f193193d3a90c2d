//! Issue 18, partial runs of `roadmap`: scenario names that Excel refuses as
//! sheet names (`: / \ [ ] * ?`, or two names alike in their first 31
//! characters), and text over Excel's 32,767-character cell limit. Both used
//! to fail roadmap.xlsx after iamc.csv, iamc.xlsx and roadmap.json were
//! written; they failed before the fix.

use calamine::{Data, Reader};
use coreduce::export::{fit_cell, roadmap::scenario_sheet_names, XLSX_CELL_MAX};
use coreduce::graph::SectorLibrary;
use coreduce::measures::MeasureLibrary;
use coreduce::FactorLibrary;

fn builtin_roadmap() -> (coreduce::roadmap::RoadmapReport, SectorLibrary) {
    let f = FactorLibrary::embedded().unwrap();
    let s = SectorLibrary::embedded(&f).unwrap();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let run = coreduce::accounting::compute(study, &f, &s).unwrap();
    let library = MeasureLibrary::embedded(&s).unwrap();
    let measures =
        coreduce::measures::all_measures(&run.study, &s, &library, &run.factors).unwrap();
    let ms = coreduce::measures::settings_for(&run.study, &run.factors);
    let rep = coreduce::roadmap::run(&run.study, &f, &s, &measures, &ms).unwrap();
    (rep, s)
}

fn sheets(path: &std::path::Path) -> Vec<String> {
    let wb = calamine::open_workbook_auto(path).unwrap();
    wb.sheet_names().to_vec()
}

#[test]
fn scenario_names_excel_refuses_become_valid_distinct_sheet_names() {
    let names = scenario_sheet_names(
        [
            "policy:2030",
            "a/b\\c[d]e*f?g'h",
            "a-very-long-scenario-name-number-1",
            "a-very-long-scenario-name-number-2",
            "A-VERY-LONG-SCENARIO-NAME-NUMBER-3",
            "",
        ]
        .into_iter(),
        &["macc"],
    );
    assert_eq!(names[0], "sectors-policy_2030");
    assert_eq!(names[1], "sectors-a_b_c_d_e_f_g_h");
    assert_eq!(names[2], "sectors-a-very-long-scenario-na");
    assert_eq!(names[3], "sectors-a-very-long-scenario-~2");
    assert_eq!(names[4], "sectors-A-VERY-LONG-SCENARIO-~3");
    for n in &names {
        assert!(n.chars().count() <= 31, "{n}");
        assert!(!n.contains([':', '/', '\\', '[', ']', '*', '?']), "{n}");
    }
    let lower: std::collections::BTreeSet<String> =
        names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(lower.len(), names.len());
}

#[test]
fn roadmap_xlsx_is_written_for_awkward_and_long_scenario_names() {
    let (mut rep, sectors) = builtin_roadmap();
    assert!(rep.scenarios.len() >= 3);
    let long = "长".repeat(40_000);
    rep.scenarios[0].scenario = "policy:2030".into();
    rep.scenarios[1].scenario = format!("{long}-a");
    rep.scenarios[2].scenario = format!("{long}-b");
    let dir = tempfile::tempdir().unwrap();
    let files =
        coreduce::export::write_roadmap(dir.path(), &rep, &[], &sectors, &[], coreduce::Lang::En)
            .unwrap_or_else(|e| panic!("{e}"));
    let xlsx = dir.path().join("roadmap.xlsx");
    assert!(files.contains(&xlsx));
    let names = sheets(&xlsx);
    assert!(
        names.contains(&"sectors-policy_2030".to_string()),
        "{names:?}"
    );
    // The real name is kept in the sheet's title cell.
    let mut wb = calamine::open_workbook_auto(&xlsx).unwrap();
    let range = wb.worksheet_range("sectors-policy_2030").unwrap();
    let titled = range
        .used_cells()
        .any(|(_, _, d)| matches!(d, Data::String(s) if s == "scenario: policy:2030"));
    assert!(titled, "no title cell with the scenario's name");
    // Long names: cut with a marker in cells, distinct sheets.
    let long_sheets = names.iter().filter(|n| n.starts_with("sectors-长")).count();
    assert_eq!(long_sheets, 2, "{names:?}");
    let range = wb.worksheet_range("CO2e").unwrap();
    let cut = range.used_cells().find_map(|(_, _, d)| match d {
        Data::String(s) if s.starts_with("长长") => Some(s.clone()),
        _ => None,
    });
    let cut = cut.expect("the long scenario name is in the CO2e sheet");
    assert_eq!(cut.chars().count(), XLSX_CELL_MAX);
    assert!(
        cut.contains("truncated: 40002 characters"),
        "marker missing"
    );
}

#[test]
fn inventory_xlsx_cuts_a_facility_name_over_the_cell_limit() {
    let f = FactorLibrary::embedded().unwrap();
    let s = SectorLibrary::embedded(&f).unwrap();
    let mut fy = coreduce::accounting::FacilityYear::new("TB-01", "tobacco", 2022)
        .technology("coal_bulk_barn")
        .with("output", rust_decimal::Decimal::ONE_HUNDRED, "t")
        .unwrap();
    fy.name = "n".repeat(100_000);
    let inv = coreduce::accounting::inventory(&Default::default(), &f, &s, &fy).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("inv.xlsx");
    coreduce::export::write_results(&out, &[inv], &f, &[]).unwrap_or_else(|e| panic!("{e}"));
    let mut wb = calamine::open_workbook_auto(&out).unwrap();
    let mut seen = false;
    for name in wb.sheet_names().to_vec() {
        let range = wb.worksheet_range(&name).unwrap();
        for (_, _, d) in range.used_cells() {
            if let Data::String(t) = d {
                assert!(t.chars().count() <= XLSX_CELL_MAX);
                seen |= t.starts_with("nnn") && t.contains("truncated: 100000 characters");
            }
        }
    }
    assert!(
        seen,
        "the facility name is in the workbook, cut with its marker"
    );
    assert_eq!(fit_cell("short"), "short");
}

/// Issue 16: the roadmap workbook's charts carry the user's study name, not
/// a fixed "Sichuan study".
#[test]
fn roadmap_chart_titles_name_the_users_study() {
    use std::io::Read;
    let (mut rep, sectors) = builtin_roadmap();
    rep.study = "Jiajiang tile cluster".into();
    let dir = tempfile::tempdir().unwrap();
    coreduce::export::write_roadmap(dir.path(), &rep, &[], &sectors, &[], coreduce::Lang::En)
        .unwrap_or_else(|e| panic!("{e}"));
    let file = std::fs::File::open(dir.path().join("roadmap.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut charts = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        if part.name().starts_with("xl/charts/chart") {
            part.read_to_string(&mut charts).unwrap();
        }
    }
    assert!(
        charts.contains("CO2e (t/yr), Jiajiang tile cluster"),
        "{}",
        &charts[..charts.len().min(400)]
    );
    assert!(!charts.contains("Sichuan study"));
}
