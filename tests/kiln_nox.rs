//! Ceramic kiln NOx by the concentration method at GB 25464's reference O2
//! (issue 13 item 6), not the industrial-boiler factor. Hand-worked.

use crate::common;

use common::libs;
use coreduce::accounting::{inventory, inventory_with_edits, FacilityYear, Inventory, Settings};
use coreduce::measures::MeasureLibrary;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// A gas-fired tile line: 1,000,000 m2, 200 × 10^4 Nm3 of gas in the kiln and
/// 20 × 10^4 Nm3 in the dryer.
fn tile_line() -> FacilityYear {
    FacilityYear::new("CE-01", "ceramics", 2022)
        .technology("roller_kiln_gas_spray")
        .with("output", dec!(1000000), "m2")
        .unwrap()
        .with("fuel.natural_gas@kiln", dec!(200), "10^4 Nm3")
        .unwrap()
        .with("fuel.natural_gas@dryer", dec!(20), "10^4 Nm3")
        .unwrap()
}

fn nox_at(inv: &Inventory, node: &str) -> Decimal {
    inv.rows
        .iter()
        .filter(|r| r.node == node && r.substance == "NOx")
        .map(|r| r.amount)
        .sum()
}

#[test]
fn the_kiln_emits_at_the_standards_concentration_and_the_dryer_as_a_burner() {
    let (f, s) = libs();
    let inv = inventory(&Settings::default(), &f, &s, &tile_line()).unwrap();
    // Kiln: 200 × 10^4 Nm3 × 107.352 kg/10^4 Nm3 = 21,470.4 kg = 21.4704 t,
    // where 107.352 = 180 mg/m3 × 59.64 Nm3 flue gas per Nm3 gas at 18 % O2
    // (8.52 × 21/(21 − 18)).
    assert_eq!(nox_at(&inv, "kiln"), dec!(21.4704));
    let conc = nox_at(&inv, "kiln") * dec!(1000000000) / (dec!(2000000) * dec!(59.64));
    assert_eq!(conc, dec!(180));
    // Dryer: the boiler factor, 20 × 18.71 kg = 374.2 kg.
    assert_eq!(nox_at(&inv, "dryer"), dec!(0.3742));
    let row = inv
        .rows
        .iter()
        .find(|r| r.node == "kiln" && r.substance == "NOx")
        .unwrap();
    assert!(row
        .factor_ids
        .iter()
        .any(|i| i == "cer.kiln.nox.natural_gas"));
}

#[test]
fn scr_now_removes_what_a_kiln_emits() {
    // SCR −80 % of the kiln's NOx: 21.4704 × 0.8 = 17.17632 t (it was 3.0 t
    // on the boiler factor, 200 × 18.71 kg × 0.8 = 2.9936 t: 5.7× less).
    let (f, s) = libs();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let scr = lib.get("cer.scr").unwrap();
    let st = Settings::default();
    let base = inventory(&st, &f, &s, &tile_line()).unwrap();
    let with =
        inventory_with_edits(&st, &f, &s, &tile_line(), &scr.edits_at(Decimal::ONE)).unwrap();
    // The measure also burns 2 % more kiln gas for reheating: 204 × 10^4 Nm3.
    assert_eq!(
        nox_at(&with, "kiln"),
        dec!(204) * dec!(107.352) / dec!(1000) * dec!(0.2)
    );
    assert_eq!(
        nox_at(&base, "kiln") - nox_at(&with, "kiln"),
        dec!(21.4704) - dec!(4.3799616)
    );
}
