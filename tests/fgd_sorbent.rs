//! Limestone FGD consumes limestone in proportion to the SO2 it removes
//! (issue 13 item 8): CaCO3 = SO2 removed × 100/64 × Ca/S, and its CO2 is the
//! carbonate factor of the sector's limestone source. Hand-worked.

use crate::common;

use common::libs;
use coreduce::accounting::{inventory, inventory_with_edits, FacilityYear, Inventory, Settings};
use coreduce::measures::MeasureLibrary;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// 1,000 t of metal on 420 t of net anode with 2 % sulfur: SO2 generated
/// = 2 × 420 × 0.02 = 16.8 t (the anode method), all at pot-gas treatment.
fn smelter() -> FacilityYear {
    FacilityYear::new("AL-01", "aluminium", 2022)
        .technology("cwpb")
        .with("output", dec!(1000), "t")
        .unwrap()
        .with("anode.net_consumption", dec!(420), "t")
        .unwrap()
        .with("anode.sulfur", dec!(2), "%")
        .unwrap()
}

#[test]
fn pot_gas_fgd_limestone_follows_the_so2_removed() {
    let (f, s) = libs();
    let measures = MeasureLibrary::embedded(&s).unwrap();
    let fgd = measures.get("al.pot_gas_fgd").unwrap();
    let st = Settings::default();
    let base = inventory(&st, &f, &s, &smelter()).unwrap();
    assert_eq!(base.source_total("anode_so2", "SO2"), dec!(16.8));
    assert_eq!(base.source_total("limestone", "CO2"), Decimal::ZERO);

    let after = inventory_with_edits(&st, &f, &s, &smelter(), &fgd.edits_at(Decimal::ONE)).unwrap();
    // SO2 left: 16.8 × (1 − 0.9) = 1.68 t; removed 15.12 t.
    assert_eq!(after.source_total("anode_so2", "SO2"), dec!(1.68));
    // CaCO3 = 15.12 × 1.5625 × 1.03 = 24.33375 t;
    // CO2 = 24.33375 × 0.43971 (IPCC 2006 Table 2.1, standing in for MEE 2024) = 10.69979… t.
    let caco3 = dec!(15.12) * dec!(1.5625) * dec!(1.03);
    assert_eq!(caco3, dec!(24.33375));
    assert_eq!(
        after.source_total("limestone", "CO2"),
        caco3 * dec!(0.43971)
    );
    let row = after
        .rows
        .iter()
        .find(|r| r.source == "limestone" && r.substance == "CO2")
        .unwrap();
    assert_eq!(
        row.factor_ids,
        vec!["carb.stoich.caco3_per_so2", "carb.ipcc2006.caco3"]
    );
    assert!(row
        .inputs
        .iter()
        .any(|i| i.item == "SO2 removed" && i.value == dec!(15.12)));

    // Half the penetration removes half as much and uses half the limestone:
    // η = 0.45, removed 16.8 × 0.45 = 7.56 t.
    let half = inventory_with_edits(&st, &f, &s, &smelter(), &fgd.edits_at(dec!(0.5))).unwrap();
    assert_eq!(
        half.source_total("limestone", "CO2"),
        dec!(7.56) * dec!(1.5625) * dec!(1.03) * dec!(0.43971)
    );
    // 0 % changes nothing.
    let none = inventory_with_edits(&st, &f, &s, &smelter(), &fgd.edits_at(Decimal::ZERO)).unwrap();
    assert_eq!(none.source_total("limestone", "CO2"), Decimal::ZERO);
}

#[test]
fn an_existing_control_leaves_less_for_the_new_fgd_to_remove() {
    // The plant already removes 50 %: 16.8 × 0.5 = 8.4 t reach the FGD, which
    // removes 8.4 × 0.9 = 7.56 t; CaCO3 = 7.56 × 1.5625 × 1.03 = 12.166875 t.
    let (f, s) = libs();
    let measures = MeasureLibrary::embedded(&s).unwrap();
    let fgd = measures.get("al.pot_gas_fgd").unwrap();
    let fy = smelter()
        .with("control.SO2.efficiency@pot_gas_treatment", dec!(50), "%")
        .unwrap();
    let after = inventory_with_edits(
        &Settings::default(),
        &f,
        &s,
        &fy,
        &fgd.edits_at(Decimal::ONE),
    )
    .unwrap();
    assert_eq!(after.source_total("anode_so2", "SO2"), dec!(0.84));
    assert_eq!(
        after.source_total("limestone", "CO2"),
        dec!(12.166875) * dec!(0.43971)
    );
}

#[test]
fn a_gas_fired_tile_line_with_little_so2_uses_little_limestone() {
    // The old measure added 0.0554 kg CaCO3 per m2 whatever the SO2: 1 million
    // m2 of gas-fired tile gained 55.4 t CaCO3 (24.4 t CO2) for the SO2 of
    // its gas. Now the limestone CO2 is the SO2 removed × 1.5625 × 1.03 × 0.44.
    let (f, s) = libs();
    let measures = MeasureLibrary::embedded(&s).unwrap();
    let fgd = measures.get("cer.fgd").unwrap();
    let fy = FacilityYear::new("CE-01", "ceramics", 2022)
        .technology("roller_kiln_gas_spray")
        .with("output", dec!(1000000), "m2")
        .unwrap();
    let st = Settings::default();
    let base = inventory(&st, &f, &s, &fy).unwrap();
    let after = inventory_with_edits(&st, &f, &s, &fy, &fgd.edits_at(Decimal::ONE)).unwrap();
    let so2 = |inv: &Inventory| -> Decimal {
        inv.rows
            .iter()
            .filter(|r| r.substance == "SO2")
            .map(|r| r.amount)
            .sum()
    };
    let removed = so2(&base) - so2(&after);
    assert!(removed > Decimal::ZERO);
    let added_co2 = after.source_total("carbonate", "CO2") - base.source_total("carbonate", "CO2");
    let expected = removed * dec!(1.5625) * dec!(1.03) * dec!(0.44);
    assert!(
        (added_co2 - expected).abs() < dec!(0.000001),
        "{added_co2} against {expected}"
    );
    // Gas brings little sulfur; the body's own (raw_material_so2, 12 t per
    // million m2) is most of what the FGD removes: 12 × 0.9 × 1.5625 × 1.03
    // × 0.44 ≈ 7.6 t of CO2 (7.73 with the gas's sulfur), not the fixed 24.4 t.
    assert!(
        added_co2 > dec!(7.6) && added_co2 < dec!(7.8),
        "{added_co2}"
    );
}
