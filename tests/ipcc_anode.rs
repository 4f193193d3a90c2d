//! The IPCC 2006 aluminium edition: Tier 1 CO2 per tonne of metal by anode
//! family (Vol. 3 Ch. 4.4 Table 4.10: prebake 1.6, Søderberg 1.7 t CO2/t Al,
//! covering anode consumption and the baking furnace) where no anode
//! consumption is given; the Tier 2 formula where it is. Hand-worked.

use crate::common;

use common::{libs, Book, Cell};
use coreduce::workbook::run_workbook;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn anode_co2(technology: &str, extra: &[Vec<Cell<'_>>]) -> (Decimal, u8, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("study.xlsx");
    let mut activity = vec![row!["AL-01", 2022, "output", 1000, "t"]];
    activity.extend_from_slice(extra);
    Book::new()
        .sheet(
            "settings",
            &["key", "value"],
            &[row!["gwp", "AR5"], row!["edition.aluminium", "ipcc2006"]],
        )
        .sheet(
            "facilities",
            &["facility_id", "sector", "technology"],
            &[row!["AL-01", "aluminium", technology]],
        )
        .sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit"],
            &activity,
        )
        .save(&path);
    let (f, s) = libs();
    let run = run_workbook(&path, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    let inv = &run.inventories[0];
    assert_eq!(inv.edition, "ipcc2006");
    let r = inv
        .rows
        .iter()
        .find(|r| r.source == "anode_co2" && r.substance == "CO2")
        .expect("an anode CO2 row");
    (r.amount, r.tier, r.factor_ids.clone())
}

#[test]
fn prebake_cells_take_the_tier_1_factor_of_1_6() {
    // 1,000 t Al × 1.6 t CO2/t = 1,600 t (not 1,000 × 0.40 × 0.976 × 44/12 = 1,431.47)
    for cell in ["cwpb", "swpb"] {
        let (co2, tier, ids) = anode_co2(cell, &[]);
        assert_eq!(co2, dec!(1600), "{cell}");
        assert_eq!(tier, 1);
        assert_eq!(ids, vec!["al.ipcc2006.t1_co2.prebake".to_string()]);
    }
}

#[test]
fn soderberg_cells_take_the_tier_1_factor_of_1_7() {
    // 1,000 t Al × 1.7 t CO2/t = 1,700 t
    for cell in ["vss", "hss"] {
        let (co2, _, ids) = anode_co2(cell, &[]);
        assert_eq!(co2, dec!(1700), "{cell}");
        assert_eq!(ids, vec!["al.ipcc2006.t1_co2.soderberg".to_string()]);
    }
}

#[test]
fn a_given_anode_consumption_is_tier_2_by_the_formula() {
    // 420 t net anode × (1 − 0.02 − 0.004) × 44/12 = 420 × 0.976 × 3.66… = 1,503.04 t
    let (co2, tier, _) = anode_co2(
        "cwpb",
        &[row!["AL-01", 2022, "anode.net_consumption", 420, "t"]],
    );
    let expected = dec!(420) * dec!(0.976) * dec!(44) / dec!(12);
    assert!(
        (co2 - expected).abs() < dec!(0.0000001),
        "{co2} against {expected}"
    );
    assert_eq!(tier, 2, "a consumption from the workbook is facility data");
}
