//! A result that rests on a default marked `conflicting` says so, naming the
//! factor and its alternative (issue 13: the MEE 2024 aluminium defaults).

mod common;

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
        .map(|w| w.message.as_str())
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
