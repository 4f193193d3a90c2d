//! Pollution equivalents weight PM by its source's category (EP Tax Law
//! annex 2): combustion PM as 烟尘 (soot, 2.18 kg per equivalent), process
//! dust as 一般性粉尘 (general dust, 4 kg). Hand-worked cases.

use crate::common;

use common::{libs, Book};
use coreduce::workbook::run_workbook;
use rust_decimal_macros::dec;

fn run(
    dir: &std::path::Path,
    activity: &[Vec<common::Cell<'_>>],
) -> coreduce::accounting::Inventory {
    let path = dir.join("study.xlsx");
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "sector", "technology"],
            &[row!["TB-01", "tobacco", "coal_bulk_barn"]],
        )
        .sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit"],
            activity,
        )
        .save(&path);
    let (f, s) = libs();
    let mut run = run_workbook(&path, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    run.inventories.remove(0)
}

#[test]
fn combustion_pm_of_a_coal_barn_is_soot() {
    let dir = tempfile::tempdir().unwrap();
    let inv = run(
        dir.path(),
        &[
            row!["TB-01", 2022, "output", 10, "t"],
            row!["TB-01", 2022, "fuel.raw_coal", 100, "t"],
        ],
    );
    let t = &inv.totals;
    // PM = 100 t coal × 3.17 kg/t (stove.coal.pm) = 317 kg = 0.317 t, all from combustion
    assert_eq!(t.by_substance["PM"], dec!(0.317));
    assert_eq!(t.pm_by_category.len(), 1, "{:?}", t.pm_by_category);
    assert_eq!(t.pm_by_category["soot"], dec!(0.317));
    // APeq = SO2/0.95 kg + NOx/0.95 kg + CO/16.7 kg + PM/2.18 kg (soot, not 4 kg)
    // NOx = 100 × 2.20 kg = 0.22 t → 231.578947… eq; PM → 317/2.18 = 145.412844… eq
    assert_eq!(t.by_substance["NOx"], dec!(0.22));
    let kg = dec!(1000);
    let expected = t.by_substance["SO2"] * kg / dec!(0.95)
        + dec!(220) / dec!(0.95)
        + t.by_substance["CO"] * kg / dec!(16.7)
        + dec!(317) / dec!(2.18);
    assert!(
        (t.apeq - expected).abs() < dec!(0.000001),
        "APeq {} against {}",
        t.apeq,
        expected
    );
    // the same PM weighted as general dust would give 317/4 = 79.25 eq: 66.16 fewer
    let as_dust = expected - dec!(317) / dec!(2.18) + dec!(317) / dec!(4);
    assert!(t.apeq - as_dust > dec!(66));
    assert!(t.pollution_equivalent_weighting.contains("烟尘"));
}

#[test]
fn a_stack_measurement_at_a_node_that_burns_nothing_is_general_dust() {
    let dir = tempfile::tempdir().unwrap();
    // 1,000,000 Nm3 of air at 50 mg/Nm3 PM at the grading node = 50 kg = 0.05 t
    let inv = run(
        dir.path(),
        &[
            row!["TB-01", 2022, "output", 10, "t"],
            row!["TB-01", 2022, "electricity.purchased", 1000, "kWh"],
            row!["TB-01", 2022, "stack.flow@grading", 1000000, "Nm3"],
            row![
                "TB-01",
                2022,
                "stack.PM.concentration@grading",
                50,
                "mg/Nm3"
            ],
        ],
    );
    let t = &inv.totals;
    assert_eq!(t.pm_by_category["general_dust"], dec!(0.05));
    // the barn's default coal (Tier 1 from output) still burns: its PM is soot
    assert!(t.pm_by_category["soot"] > dec!(0));
    assert_eq!(
        t.pm_by_category["soot"] + t.pm_by_category["general_dust"],
        t.by_substance["PM"]
    );
}
