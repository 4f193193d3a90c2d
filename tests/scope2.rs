//! Purchased electricity reported both ways of the GHG Protocol Scope 2
//! Guidance (issue 13 item 2): location-based on the grid average,
//! market-based with contracted green power at 0 and the rest at the
//! residual factor (the national average without market-traded non-fossil
//! power). Green-power measures act on the market-based figure only.
//! Hand-worked.

use crate::common;

use common::libs;
use coreduce::accounting::{inventory, inventory_with_edits, FacilityYear, Settings};
use coreduce::measures::MeasureLibrary;
use coreduce::study::Scope2Method;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// A distillery buying 1,000 MWh in 2022, 400 MWh of it under a green-power
/// contract, and burning 100 t of raw coal (so its scope 1 is not empty).
fn distillery(green: Option<Decimal>) -> FacilityYear {
    let fy = FacilityYear::new("BJ-01", "baijiu", 2022)
        .with("output", dec!(1000), "t")
        .unwrap()
        .with("electricity.purchased", dec!(1000), "MWh")
        .unwrap()
        .with("fuel.raw_coal", dec!(100), "t")
        .unwrap();
    match green {
        Some(g) => fy.with("electricity.green", g, "MWh").unwrap(),
        None => fy,
    }
}

fn market() -> Settings {
    Settings {
        scope2: Scope2Method::Market,
        ..Settings::default()
    }
}

#[test]
fn both_figures_are_reported_and_the_setting_chooses_the_total() {
    let (f, s) = libs();
    // Location-based: 1,000 MWh × 0.1404 (Sichuan 2022) = 140.4 t.
    // Market-based: (1,000 − 400) MWh × 0.5856 (national 2022 without
    // market-traded non-fossil power) = 351.36 t.
    let loc = inventory(&Settings::default(), &f, &s, &distillery(Some(dec!(400)))).unwrap();
    assert_eq!(loc.totals.scope2_location_co2, dec!(140.4));
    assert_eq!(loc.totals.scope2_market_co2, dec!(351.36));
    assert_eq!(loc.source_total("electricity", "CO2"), dec!(140.4));
    assert_eq!(loc.totals.co2e_scope2, dec!(140.4));

    let mkt = inventory(&market(), &f, &s, &distillery(Some(dec!(400)))).unwrap();
    assert_eq!(mkt.totals.scope2_location_co2, dec!(140.4));
    assert_eq!(mkt.totals.scope2_market_co2, dec!(351.36));
    assert_eq!(mkt.source_total("electricity", "CO2"), dec!(351.36));
    assert_eq!(mkt.totals.co2e_scope2, dec!(351.36));
    // Scope 1 is the same either way; the view's total moves by the difference.
    assert_eq!(
        mkt.totals.co2e - loc.totals.co2e,
        dec!(351.36) - dec!(140.4)
    );
    let row = mkt
        .rows
        .iter()
        .find(|r| r.source == "electricity" && r.substance == "CO2")
        .unwrap();
    assert_eq!(
        row.factor_ids.last().map(String::as_str),
        Some("grid.cn.avg_excl_market_nonfossil.2022")
    );
    assert!(row
        .inputs
        .iter()
        .any(|i| i.item == "electricity.green" && i.value == dec!(400)));
}

#[test]
fn contracts_cover_at_most_the_net_purchase() {
    let (f, s) = libs();
    // 1,500 MWh of contracts for 1,000 MWh bought: all covered, market 0,
    // never negative.
    let inv = inventory(&market(), &f, &s, &distillery(Some(dec!(1500)))).unwrap();
    assert_eq!(inv.totals.scope2_market_co2, Decimal::ZERO);
    // No contract: the whole purchase at the residual factor, 1,000 × 0.5856.
    let inv = inventory(&market(), &f, &s, &distillery(None)).unwrap();
    assert_eq!(inv.totals.scope2_market_co2, dec!(585.6));
}

#[test]
fn a_green_power_measure_moves_the_market_based_figure_only() {
    let (f, s) = libs();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let green = lib.get("al.green_power").unwrap();
    let smelter = FacilityYear::new("AL-01", "aluminium", 2022)
        .technology("cwpb")
        .with("output", dec!(1000), "t")
        .unwrap()
        .with("electricity.purchased", dec!(13500), "MWh")
        .unwrap();
    // Location-based: 13,500 × 0.1404 = 1,895.4 t, with or without the contract.
    let st = Settings::default();
    let base = inventory(&st, &f, &s, &smelter).unwrap();
    let with = inventory_with_edits(&st, &f, &s, &smelter, &green.edits_at(Decimal::ONE)).unwrap();
    assert_eq!(base.totals.scope2_location_co2, dec!(1895.4));
    assert_eq!(with.totals.co2e, base.totals.co2e);
    assert_eq!(with.totals.scope2_location_co2, dec!(1895.4));
    // Market-based: 13,500 × 0.5856 = 7,905.6 t before; at 30 % penetration
    // the contract covers 30 %: 13,500 × 0.7 × 0.5856 = 5,533.92 t.
    assert_eq!(base.totals.scope2_market_co2, dec!(7905.6));
    let part = inventory_with_edits(&st, &f, &s, &smelter, &green.edits_at(dec!(0.3))).unwrap();
    assert_eq!(part.totals.scope2_market_co2, dec!(5533.92));
    // Under scope2 = market the view's total falls by that much.
    let mb = inventory(&market(), &f, &s, &smelter).unwrap();
    let mw = inventory_with_edits(&market(), &f, &s, &smelter, &green.edits_at(dec!(0.3))).unwrap();
    assert_eq!(
        mb.totals.co2e - mw.totals.co2e,
        dec!(7905.6) - dec!(5533.92)
    );
}

#[test]
fn rooftop_pv_lowers_both_figures() {
    // On-site PV is power not bought: 20 % less purchase, 800 MWh.
    // Location 800 × 0.1404 = 112.32 t; market 800 × 0.5856 = 468.48 t.
    let (f, s) = libs();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let pv = lib.get("bj.pv").unwrap();
    let inv = inventory_with_edits(
        &Settings::default(),
        &f,
        &s,
        &distillery(None),
        &pv.edits_at(Decimal::ONE),
    )
    .unwrap();
    assert_eq!(inv.totals.scope2_location_co2, dec!(112.32));
    assert_eq!(inv.totals.scope2_market_co2, dec!(468.48));
}

#[test]
fn the_settings_sheet_chooses_in_either_language_and_names_a_bad_value() {
    use common::{Book, Cell};
    use coreduce::workbook::run_workbook;
    let write = |scope2: &str| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("study.xlsx");
        let rows: Vec<Vec<Cell<'_>>> = vec![
            row!["BJ-01", 2022, "output", 1000, "t"],
            row!["BJ-01", 2022, "外购电力", 1000, "MWh"],
            row!["BJ-01", 2022, "绿电", 400, "MWh"],
        ];
        Book::new()
            .sheet("settings", &["key", "value"], &[row!["scope2", scope2]])
            .sheet(
                "facilities",
                &["facility_id", "sector", "technology"],
                &[row!["BJ-01", "baijiu", ""]],
            )
            .sheet(
                "activity",
                &["facility_id", "year", "item", "value", "unit"],
                &rows,
            )
            .save(&path);
        let (f, s) = libs();
        run_workbook(&path, &f, &s).map(|r| r.inventories[0].totals.co2e_scope2)
    };
    // 600 MWh × 0.5856 = 351.36 t, by the market-based rule.
    assert_eq!(write("基于市场").unwrap(), dec!(351.36));
    assert_eq!(write("Market-based").unwrap(), dec!(351.36));
    assert_eq!(write("location").unwrap(), dec!(140.4));
    let e = write("residual").unwrap_err().to_string();
    assert!(
        e.contains("settings!B2") && e.contains("scope2 'residual'"),
        "{e}"
    );
}
