//! Issue 18, decimal overflow: values that pass the input checks used to
//! overflow `rust_decimal` later and panic (exit 101). Each case is now an
//! error naming its place (cell, file:line or facility-year) and the
//! operation or bound. Each test here panicked before its fix.

use calamine::{Data, Reader};
use coreduce::graph::SectorLibrary;
use coreduce::measures::MeasureLibrary;
use coreduce::workbook::{run_workbook, WorkbookError};
use coreduce::FactorLibrary;
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};

/// Decimal::MAX, the value of the reports.
const MAX: &str = "79228162514264337593543950335";

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/sichuan-sample.xlsx")
}

fn libs() -> (FactorLibrary, SectorLibrary) {
    let lib = FactorLibrary::embedded().unwrap();
    let sectors = SectorLibrary::embedded(&lib).unwrap();
    (lib, sectors)
}

enum V<'a> {
    S(&'a str),
    N(f64),
}

/// The sample workbook with cells set: (sheet, zero-based row, column, value).
fn sample_with(dir: &Path, cells: &[(&str, u32, u16, V<'_>)]) -> PathBuf {
    let mut src = calamine::open_workbook_auto(sample()).unwrap();
    let mut wb = Workbook::new();
    for sheet in src.sheet_names().to_vec() {
        let range = src.worksheet_range(&sheet).unwrap();
        let ws = wb.add_worksheet().set_name(&sheet).unwrap();
        let start = range.start().unwrap_or((0, 0));
        for (r, c, d) in range.used_cells() {
            let (r, c) = (start.0 + r as u32, (start.1 + c as u32) as u16);
            match d {
                Data::String(s) => ws.write_string(r, c, s).map(|_| ()),
                Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()),
                Data::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()),
                Data::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                Data::Empty => Ok(()),
                other => ws.write_string(r, c, other.to_string()).map(|_| ()),
            }
            .unwrap();
        }
        for (s, r, c, v) in cells {
            if *s == sheet {
                match v {
                    V::S(t) => ws.write_string(*r, *c, *t).map(|_| ()),
                    V::N(n) => ws.write_number(*r, *c, *n).map(|_| ()),
                }
                .unwrap();
            }
        }
    }
    let path = dir.join("o.xlsx");
    wb.save(&path).unwrap();
    path
}

/// Runs the workbook through everything the CLI does with it (inventory,
/// measures, roadmap, uncertainty with 2 runs); a panic fails the test. Returns
/// the first error's text, which must name a place.
fn every_command(path: &Path, lib: &FactorLibrary, sectors: &SectorLibrary) -> Option<String> {
    let run = match run_workbook(path, lib, sectors) {
        Ok(run) => run,
        Err(e @ WorkbookError::Invalid { .. }) => return Some(e.to_string()),
        Err(e) => panic!("unexpected: {e}"),
    };
    let library = MeasureLibrary::embedded(sectors).unwrap();
    let ms = coreduce::measures::settings_for(&run.study, &run.factors);
    if let Err(e) = coreduce::measures::report(&run, sectors, &library, &ms) {
        return Some(e.to_string());
    }
    let measures =
        coreduce::measures::all_measures(&run.study, sectors, &library, &run.factors).unwrap();
    if let Err(e) = coreduce::roadmap::run(&run.study, &run.factors, sectors, &measures, &ms) {
        return Some(e.to_string());
    }
    if let Err(e) = coreduce::uncertainty::monte_carlo(
        &run.study.settings,
        &run.factors,
        sectors,
        &run.study.facility_years,
        &run.inventories,
        2,
        1,
        &|| {},
    ) {
        return Some(e.to_string());
    }
    None
}

fn refused(cells: &[(&str, u32, u16, V<'_>)], place: &str, words: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (lib, sectors) = libs();
    let path = sample_with(dir.path(), cells);
    let e = every_command(&path, &lib, &sectors).expect("the value was accepted");
    assert!(e.contains(place), "no '{place}' in: {e}");
    assert!(e.contains(words), "no '{words}' in: {e}");
}

#[test]
fn natural_gas_of_1e27_is_refused_at_its_cell() {
    // activity!D4 is AL-GY-01's fuel.natural_gas.
    refused(
        &[("activity", 3, 3, V::N(1e27))],
        "activity!D4",
        "out of range",
    );
}

#[test]
fn anode_consumption_of_1e28_is_refused_at_its_cell() {
    refused(
        &[("activity", 4, 3, V::N(1e28))],
        "activity!D5",
        "out of range",
    );
}

#[test]
fn pfc_aem_of_1e27_is_refused_at_its_cell() {
    refused(
        &[("activity", 5, 3, V::N(1e27))],
        "activity!D6",
        "out of range",
    );
}

#[test]
fn electricity_of_decimal_max_as_text_is_refused_at_its_cell() {
    refused(
        &[("activity", 2, 3, V::S(MAX))],
        "activity!D3",
        "out of range",
    );
}

#[test]
fn a_huge_grid_factor_in_settings_is_refused() {
    for v in [V::S(MAX), V::N(1e20), V::S("1e16")] {
        refused(
            &[("settings", 4, 1, v), ("settings", 4, 2, V::S("tCO2/MWh"))],
            "settings",
            "out of range",
        );
    }
}

#[test]
fn a_huge_grid_factor_in_the_factors_sheet_is_refused_at_its_cell() {
    refused(
        &[
            ("factors", 1, 0, V::S("grid.sc.avg.2022")),
            ("factors", 1, 1, V::S(MAX)),
            ("factors", 1, 2, V::S("tCO2/MWh")),
        ],
        "factors!",
        "out of range",
    );
    refused(
        &[
            ("factors", 1, 0, V::S("grid.sc.avg.2022")),
            ("factors", 1, 1, V::N(1e20)),
            ("factors", 1, 2, V::S("tCO2/MWh")),
        ],
        "factors!B2",
        "out of range",
    );
}

#[test]
fn a_huge_grid_factor_in_a_factors_folder_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("mine");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        d.join("dataset.toml"),
        "id = \"mine\"\ntitle = \"t\"\n[sources.s]\ntitle = \"x\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("factors.csv"),
        format!(
            "id,value,unit,substance,edition,geography,confidence,source,locator,alternative,note,uncertainty\n\
             grid.sc.avg.2022,{MAX},tCO2/MWh,,e,CN,unverified,s,,,,\n"
        ),
    )
    .unwrap();
    let mut lib = FactorLibrary::embedded().unwrap();
    let e = match lib.layer_dir(dir.path()) {
        Err(e) => e.to_string(),
        Ok(()) => {
            // Accepted: every command must still end in a located error.
            let sectors = SectorLibrary::embedded(&lib).unwrap();
            every_command(&sample(), &lib, &sectors).expect("accepted and computed")
        }
    };
    assert!(e.contains("factors.csv:2"), "{e}");
    assert!(e.contains("out of range"), "{e}");
}

#[test]
fn values_within_the_bound_whose_products_overflow_name_the_operation() {
    // 1e15 t of gas (the bound) with an NCV override of 1e15 GJ/10^4 Nm3:
    // each is in range, their product chain is not.
    let dir = tempfile::tempdir().unwrap();
    let (lib, sectors) = libs();
    let path = sample_with(
        dir.path(),
        &[
            ("activity", 3, 3, V::N(1e15)),
            ("factors", 1, 0, V::S("gwp.ar5.cf4")),
            ("factors", 1, 1, V::N(1e15)),
            ("factors", 1, 2, V::S("t/t")),
            ("activity", 5, 3, V::N(1e15)),
        ],
    );
    let e = every_command(&path, &lib, &sectors).expect("accepted");
    assert!(e.contains("facility 'AL-GY-01' year 2022"), "{e}");
    assert!(e.contains("out of range"), "{e}");
}

#[test]
fn valid_values_at_the_bound_compute() {
    // The bound itself (1e15) is accepted where products stay in range.
    let dir = tempfile::tempdir().unwrap();
    let (lib, sectors) = libs();
    let path = sample_with(dir.path(), &[("activity", 2, 3, V::N(1e15))]);
    let run = run_workbook(&path, &lib, &sectors).unwrap();
    assert!(!run.inventories.is_empty());
}

#[test]
fn an_output_of_1e28_names_its_cell_not_a_singular_flow_system() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, sectors) = libs();
    let path = sample_with(dir.path(), &[("activity", 1, 3, V::N(1e28))]);
    let e = every_command(&path, &lib, &sectors).expect("accepted");
    assert!(e.contains("activity!D2"), "{e}");
    assert!(e.contains("out of range"), "{e}");
    assert!(!e.contains("singular"), "{e}");
}

#[test]
fn the_cli_exits_with_a_located_error_not_101() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_with(dir.path(), &[("activity", 2, 3, V::S(MAX))]);
    for cmd in [
        "validate",
        "inventory",
        "measures",
        "roadmap",
        "uncertainty",
    ] {
        let mut args = vec![cmd, path.to_str().unwrap()];
        if cmd == "roadmap" {
            args.extend(["--out", "rm"]);
        }
        if cmd == "uncertainty" {
            args.extend(["--runs", "2"]);
        }
        let o = crate::common::coreduce_command()
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(matches!(o.status.code(), Some(1) | Some(2)), "{cmd}: {all}");
        assert!(all.contains("activity!D3"), "{cmd}: {all}");
    }
}
