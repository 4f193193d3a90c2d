//! A result that rests on a default marked `conflicting` says so, naming the
//! factor and its alternative (issue 13: the MEE 2024 aluminium defaults).

use crate::common;

use common::{libs, Book, Cell};
use coreduce::workbook::run_workbook;

fn aluminium(activity: &[Vec<Cell<'_>>]) -> coreduce::accounting::Inventory {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("study.xlsx");
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "sector", "technology"],
            &[row!["AL-01", "aluminium", "cwpb"]],
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

fn conflict_warning(inv: &coreduce::accounting::Inventory) -> Option<&str> {
    inv.warnings
        .iter()
        .map(|w| &*w.message)
        .find(|m| m.contains("marked conflicting"))
}

#[test]
fn default_mee2024_aluminium_names_its_conflicting_factors() {
    let inv = aluminium(&[row!["AL-01", 2022, "output", 1000, "t"]]);
    assert_eq!(inv.edition, "mee2024");
    let w = conflict_warning(&inv).expect("a conflict warning");
    assert!(
        w.contains("al.mee2024.anode_nc = 0.411 t/t (alternative: ≈0.398 t/t implied by W11"),
        "{w}"
    );
    assert!(w.contains("al.mee2024.cf4 = 0.034"), "{w}");
    assert!(w.contains("al.mee2024.c2f6 = 0.0034"), "{w}");
}

#[test]
fn measured_anode_and_anode_effects_leave_no_conflict_to_name() {
    let inv = aluminium(&[
        row!["AL-01", 2022, "output", 1000, "t"],
        row!["AL-01", 2022, "anode.net_consumption", 400, "t"],
        row!["AL-01", 2022, "pfc.aem", 0.1, "min/cell-day"],
    ]);
    assert_eq!(conflict_warning(&inv), None, "{:?}", inv.warnings);
}

fn tobacco(activity: &[Vec<Cell<'_>>]) -> coreduce::accounting::Inventory {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("study.xlsx");
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
fn raw_coal_under_the_2015_guideline_says_its_defaults_come_from_another_table() {
    let inv = tobacco(&[row!["TB-01", 2022, "output", 10, "t"]]);
    assert_eq!(inv.edition, "ndrc2015");
    let w = inv
        .warnings
        .iter()
        .map(|w| &*w.message)
        .find(|m| m.contains("has no default in the ndrc2015 table"))
        .expect("a fallback warning");
    assert!(w.contains("fuel 'raw_coal'"), "{w}");
    assert!(
        w.contains("fuel.gbt2589.raw_coal.cc = 26.37 tC/TJ (unverified)"),
        "{w}"
    );
}

#[test]
fn measured_coal_properties_leave_no_fallback_to_name() {
    let inv = tobacco(&[
        row!["TB-01", 2022, "output", 10, "t"],
        row!["TB-01", 2022, "fuel.raw_coal", 20, "t"],
        row!["TB-01", 2022, "fuel.raw_coal.ncv", 21, "GJ/t"],
        row!["TB-01", 2022, "fuel.raw_coal.carbon_content", 26, "tC/TJ"],
        row!["TB-01", 2022, "fuel.raw_coal.oxidation", 0.95, "fraction"],
    ]);
    let fallback = inv
        .warnings
        .iter()
        .find(|w| w.message.contains("has no default in the"));
    assert!(fallback.is_none(), "{:?}", inv.warnings);
}
