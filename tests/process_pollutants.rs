//! Process pollutants the sector graphs used to leave out (issue 13 item 9):
//! ceramics raw-material SO2, clay fluoride, spray-dryer dust and SCR
//! ammonia slip; aluminium potline PM and anode-baking pitch fume and BaP.
//! Hand-worked from the assumptions in factors/process-pollutants.

use crate::common;

use common::libs;
use coreduce::accounting::{inventory, inventory_with_edits, FacilityYear, Settings};
use coreduce::measures::MeasureLibrary;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

#[test]
fn a_smelter_emits_potline_pm_pitch_fume_and_bap() {
    let (f, s) = libs();
    let fy = FacilityYear::new("AL-01", "aluminium", 2022)
        .technology("cwpb")
        .with("output", dec!(100000), "t")
        .unwrap();
    let inv = inventory(&Settings::default(), &f, &s, &fy).unwrap();
    // PM: 100,000 t × 40 kg/t × (0.98 × (1 − 0.99) + (1 − 0.98)) = 119.2 t
    assert_eq!(inv.source_total("potline_pm", "PM"), dec!(119.2));
    // Pitch fume: 100,000 t × 0.411 t anode/t × 3.3 kg/t × (1 − 0.97) = 4.0689 t
    assert_eq!(
        inv.source_total("anode_baking_pitch", "PITCH"),
        dec!(4.0689)
    );
    // BaP: 100,000 × 0.411 × 0.00005 kg × 0.03 = 0.00006165 t
    assert_eq!(
        inv.source_total("anode_baking_bap", "BaP"),
        dec!(0.00006165)
    );
    // Each enters the air pollution equivalents with its own value:
    // PM 119,200 kg / 4 (process dust), pitch 4,068.9 / 0.19, BaP 0.06165 / 0.000002.
    assert_eq!(
        inv.totals.pm_by_category.get("general_dust"),
        Some(&dec!(119.2))
    );
}

#[test]
fn a_tile_line_emits_raw_material_so2_fluoride_and_dryer_dust() {
    let (f, s) = libs();
    let fy = FacilityYear::new("CE-01", "ceramics", 2022)
        .technology("roller_kiln_gas_spray")
        .with("output", dec!(1000000), "m2")
        .unwrap();
    let st = Settings::default();
    let inv = inventory(&st, &f, &s, &fy).unwrap();
    // 1,000,000 m2 × 0.012 kg = 12 t SO2; × 0.0036 kg = 3.6 t F;
    // dust 0.048 kg/m2 × (1 − 0.99 bag filter, the default) = 0.48 t.
    assert_eq!(inv.source_total("raw_material_so2", "SO2"), dec!(12));
    assert_eq!(inv.source_total("kiln_fluoride", "F"), dec!(3.6));
    assert_eq!(inv.source_total("spray_dryer_dust", "PM"), dec!(0.48));
    assert_eq!(inv.source_total("nh3_slip", "NH3"), Decimal::ZERO);

    let lib = MeasureLibrary::embedded(&s).unwrap();
    // SCR adds its slip: 1,000,000 × 0.0003 kg = 0.3 t NH3; at 50 % half.
    let scr = lib.get("cer.scr").unwrap();
    let with = inventory_with_edits(&st, &f, &s, &fy, &scr.edits_at(Decimal::ONE)).unwrap();
    assert_eq!(with.source_total("nh3_slip", "NH3"), dec!(0.3));
    let half = inventory_with_edits(&st, &f, &s, &fy, &scr.edits_at(dec!(0.5))).unwrap();
    assert_eq!(half.source_total("nh3_slip", "NH3"), dec!(0.15));
    // FGD removes 90 % of the body's SO2 and 85 % of its fluoride.
    let fgd = lib.get("cer.fgd").unwrap();
    let with = inventory_with_edits(&st, &f, &s, &fy, &fgd.edits_at(Decimal::ONE)).unwrap();
    assert_eq!(with.source_total("raw_material_so2", "SO2"), dec!(1.2));
    assert_eq!(with.source_total("kiln_fluoride", "F"), dec!(0.54));
}
