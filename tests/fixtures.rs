//! Workbooks written by other programs (openpyxl, LibreOffice) read correctly.
//! `tests/fixtures/make_fixtures.py` makes them; its docstring lists every cell.

use coreduce::graph::SectorLibrary;
use coreduce::workbook::run_workbook;
use coreduce::workbook::WorkbookError;
use coreduce::FactorLibrary;
use rust_decimal_macros::dec;
use std::path::Path;

fn check(file: &str) {
    let f = FactorLibrary::embedded().unwrap();
    let s = SectorLibrary::embedded(&f).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file);
    let run = run_workbook(&path, &f, &s).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(run.inventories.len(), 1);
    let inv = &run.inventories[0];
    assert_eq!(inv.facility_id, "TB-01");
    assert_eq!(inv.sector, "tobacco");
    assert_eq!(inv.city.as_deref(), Some("liangshan"));
    assert_eq!(inv.output, dec!(1000));
    // 1750 t × 20.908 GJ/t × 0.02637 tC/GJ × 0.94 × 44/12 = 906.9608142 × 44 / 12 = 3325.5229854 t
    assert_eq!(
        inv.source_total("curing_combustion", "CO2"),
        dec!(3325.5229854)
    );
    // SO2 = 2 × 1750 × 2 % × (1 − 0.25 overridden retention) = 52.5 t
    assert_eq!(inv.source_total("curing_combustion", "SO2"), dec!(52.5));
    // 400 MWh × 0.1404 tCO2/MWh (numeric grid factor in settings) = 56.16 t
    assert_eq!(inv.source_total("electricity", "CO2"), dec!(56.16));
    // N2O = 45 t N × 0.01325 × 44/28 = 0.936964285714… t; SAR CO2e × 310
    assert_eq!(
        inv.source_total("field_n2o", "N2O").round_dp(12),
        dec!(0.936964285714)
    );
    assert_eq!(format!("{:?}", inv.gwp), "Sar");
}

#[test]
fn openpyxl_workbook_with_chinese_names_and_text_numbers() {
    check("openpyxl_study.xlsx");
}

#[test]
fn libreoffice_ods_with_a_formula_cell() {
    check("libreoffice_study.ods");
}

#[test]
fn libreoffice_xlsx_formula_gives_its_cached_value() {
    check("libreoffice_formula.xlsx");
}

#[test]
fn other_programs_broken_files_get_one_line() {
    let f = FactorLibrary::embedded().unwrap();
    let s = SectorLibrary::embedded(&f).unwrap();
    for file in ["not_a_workbook.xlsx", "corrupt.xlsx"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(file);
        match run_workbook(&path, &f, &s) {
            Err(e @ WorkbookError::Unreadable { .. }) => {
                assert_eq!(e.to_string().lines().count(), 1, "{e}")
            }
            other => panic!("{file}: expected unreadable, got {:?}", other.err()),
        }
    }
}
