//! Hand-worked reference cases for the inventory engine, one module per
//! sector. Each test writes out the official formula's arithmetic and asserts
//! the engine's exact decimal result (to the last decimal the formula gives).
//!
//! How to add a case: build a `FacilityYear` with the measured items the case
//! needs, run `inventory`, and compare row totals with the arithmetic written
//! next to the assertion. Never paste the engine's own output as the expectation.

use coreduce::accounting::{
    inventory, FacilityYear, GridFactor, GwpSet, Inventory, Settings, View,
};
use coreduce::FactorLibrary;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::common;
use common::libs;

fn settings(gwp: GwpSet, sector: &str, edition: &str) -> Settings {
    let mut s = Settings {
        gwp,
        ..Settings::default()
    };
    s.editions.insert(sector.into(), edition.into());
    s
}

fn run(settings: &Settings, fy: &FacilityYear) -> Inventory {
    let (f, s) = libs();
    inventory(settings, &f, &s, fy).unwrap_or_else(|e| panic!("{e}"))
}

/// Rounds to `dp` places for results that involve 44/12 (a repeating decimal).
fn r(x: Decimal, dp: u32) -> Decimal {
    x.round_dp(dp)
}

mod aluminium {
    use super::*;

    fn smelter(output: Decimal) -> FacilityYear {
        FacilityYear::new("al-1", "aluminium", 2022)
            .technology("CWPB prebake cells")
            .with("output", output, "t")
            .unwrap()
    }

    #[test]
    fn ndrc2013_anode_co2_is_1_503_per_tonne() {
        // 0.42 × (1 − 0.02 − 0.004) × 44/12 = 0.40992 × 44 / 12 = 1.50304 t CO2/t Al
        let inv = run(
            &settings(GwpSet::Sar, "aluminium", "ndrc2013"),
            &smelter(dec!(1)),
        );
        assert_eq!(inv.source_total("anode_co2", "CO2"), dec!(1.50304));
    }

    #[test]
    fn mee2024_anode_co2_with_0_411() {
        // 0.411 × 0.976 × 44/12 = 0.401136 × 44 / 12 = 1.470832 t CO2/t Al
        let inv = run(
            &settings(GwpSet::Ar5, "aluminium", "mee2024"),
            &smelter(dec!(1)),
        );
        assert_eq!(inv.source_total("anode_co2", "CO2"), dec!(1.470832));
    }

    #[test]
    fn pfc_defaults_are_0_252_sar_and_0_263_ar5() {
        // SAR: (0.034 × 6500 + 0.0034 × 9200) / 1000 = (221 + 31.28) / 1000 = 0.25228 t CO2e/t
        let sar = run(
            &settings(GwpSet::Sar, "aluminium", "ndrc2013"),
            &smelter(dec!(1)),
        );
        assert_eq!(sar.source_total("pfc", "CF4"), dec!(0.000034));
        assert_eq!(sar.source_total("pfc", "C2F6"), dec!(0.0000034));
        assert_eq!(sar.source_total("pfc", "CO2e"), dec!(0.25228));
        // AR5: (0.034 × 6630 + 0.0034 × 11100) / 1000 = (225.42 + 37.74) / 1000 = 0.26316
        let ar5 = run(
            &settings(GwpSet::Ar5, "aluminium", "mee2024"),
            &smelter(dec!(1)),
        );
        assert_eq!(ar5.source_total("pfc", "CO2e"), dec!(0.26316));
    }

    #[test]
    fn pfc_slope_method_from_measured_aem() {
        // CF4 = 0.143 kg/t/AEM × 0.2 AEM × 100 000 t = 2 860 kg = 2.86 t; C2F6 = 0.1 × 2.86 = 0.286 t
        let fy = smelter(dec!(100000))
            .with("pfc.aem", dec!(0.2), "AEM")
            .unwrap();
        let inv = run(&settings(GwpSet::Ar5, "aluminium", "mee2024"), &fy);
        assert_eq!(inv.source_total("pfc", "CF4"), dec!(2.86));
        assert_eq!(inv.source_total("pfc", "C2F6"), dec!(0.286));
        // CO2e = 2.86 × 6630 + 0.286 × 11100 = 18 961.8 + 3 174.6 = 22 136.4 t
        assert_eq!(inv.source_total("pfc", "CO2e"), dec!(22136.4));
    }

    #[test]
    fn ipcc_tier1_pfc_by_cell_technology() {
        // CWPB Table 4.15: CF4 0.4, C2F6 0.04 kg/t; AR5: 0.4 × 6630 + 0.04 × 11100 = 2652 + 444 = 3096 kg = 3.096 t CO2e/t
        let inv = run(
            &settings(GwpSet::Ar5, "aluminium", "ipcc2006"),
            &smelter(dec!(1)),
        );
        assert_eq!(inv.source_total("pfc", "CO2e"), dec!(3.096));
    }

    #[test]
    fn anode_so2_by_sulfur_balance_with_control() {
        // SO2 = 2 × P × NC × S = 2 × 1000 × 0.42 × 0.02 = 16.8 t; with 90 % FGD: 1.68 t
        let fy = smelter(dec!(1000));
        let s = settings(GwpSet::Sar, "aluminium", "ndrc2013");
        assert_eq!(
            run(&s, &fy).total("SO2"),
            dec!(16.8) + run(&s, &fy).source_total("fuel_combustion", "SO2")
        );
        let fy = fy.with("control.SO2.efficiency", dec!(90), "%").unwrap();
        assert_eq!(run(&s, &fy).source_total("anode_so2", "SO2"), dec!(1.680));
    }

    #[test]
    fn measured_anode_and_limestone_tier2() {
        // NC measured 43 000 t for 100 000 t; S 1.5 %, ash 0.3 %:
        // CO2 = 43 000 × (1 − 0.015 − 0.003) × 44/12 = 42 226 × 44 / 12 = 154 828.666… t
        // limestone 1 000 t × 0.405 = 405 t CO2 (NDRC 2013)
        let fy = smelter(dec!(100000))
            .with("anode.net_consumption", dec!(43000), "t")
            .unwrap()
            .with("anode.sulfur", dec!(1.5), "%")
            .unwrap()
            .with("anode.ash", dec!(0.3), "%")
            .unwrap()
            .with("limestone", dec!(1000), "t")
            .unwrap();
        let inv = run(&settings(GwpSet::Sar, "aluminium", "ndrc2013"), &fy);
        assert_eq!(
            r(inv.source_total("anode_co2", "CO2"), 6),
            dec!(154828.666667)
        );
        assert_eq!(inv.source_total("limestone", "CO2"), dec!(405));
        let anode_row = inv.rows.iter().find(|x| x.source == "anode_co2").unwrap();
        assert_eq!(anode_row.tier, 2);
    }

    #[test]
    fn compliance_view_leaves_out_electricity() {
        // 13 350 kWh/t (GB 21346-2022 grade 2) × 1 000 t = 13 350 MWh × 0.1404 = 1 874.34 t CO2
        let fy = smelter(dec!(1000));
        let mut s = settings(GwpSet::Ar5, "aluminium", "mee2024");
        let foot = run(&s, &fy);
        assert_eq!(foot.source_total("electricity", "CO2"), dec!(1874.34));
        s.view = View::Compliance;
        let comp = run(&s, &fy);
        assert_eq!(foot.totals.co2e - comp.totals.co2e, dec!(1874.34));
    }
}

mod baijiu {
    use super::*;

    #[test]
    fn wastewater_ch4_worked_example() {
        // 150 kg COD/t × 0.85 removed = 127.5 kg/t; CH4 = 127.5 × 0.25 × 0.8 = 25.5 kg/t
        // For 1 000 t: COD removed 127.5 t → CH4 = 25.5 t; recovered 20 t → 5.5 t emitted;
        // the recovered CH4 burnt gives 20 × 44/16 = 55 t biogenic CO2 (memo).
        let fy = FacilityYear::new("bj-1", "baijiu", 2022)
            .with("output", dec!(1000), "t")
            .unwrap()
            .with("wastewater.cod_removed", dec!(127.5), "t")
            .unwrap();
        let s = settings(GwpSet::Sar, "baijiu", "ndrc2015");
        assert_eq!(
            run(&s, &fy).source_total("wastewater_ch4", "CH4"),
            dec!(25.5)
        );
        // SAR: 25.5 × 21 = 535.5 t CO2e
        assert_eq!(
            run(&s, &fy).source_total("wastewater_ch4", "CO2e"),
            dec!(535.5)
        );
        let fy = fy.with("biogas.ch4_recovered", dec!(20), "t").unwrap();
        let inv = run(&s, &fy);
        assert_eq!(inv.source_total("wastewater_ch4", "CH4"), dec!(5.5));
        assert_eq!(inv.source_total("wastewater_ch4", "CO2_bio"), dec!(55));
        assert_eq!(inv.totals.co2_biogenic_memo, dec!(55) + dec!(550));
    }

    #[test]
    fn tier1_wastewater_matches_the_note_per_tonne() {
        // Tier 1 per t liquor: 0.150 × 0.85 × 0.25 × 0.8 = 0.0255 t CH4
        let fy = FacilityYear::new("bj-1", "baijiu", 2022)
            .with("output", dec!(1), "t")
            .unwrap();
        let inv = run(&settings(GwpSet::Sar, "baijiu", "ndrc2015"), &fy);
        assert_eq!(inv.source_total("wastewater_ch4", "CH4"), dec!(0.0255));
    }

    #[test]
    fn gas_boiler_natural_gas_co2() {
        // Measured 100 × 10^4 Nm3 NG: 100 × 389.31 GJ × 0.0153 tC/GJ × 0.99 × 44/12
        // = 589.687857 tC × 44 / 12 = 2 162.188809 t CO2
        let fy = FacilityYear::new("bj-1", "baijiu", 2022)
            .with("output", dec!(1000), "t")
            .unwrap()
            .with("fuel.natural_gas", dec!(100), "万Nm3")
            .unwrap();
        let inv = run(&settings(GwpSet::Sar, "baijiu", "ndrc2015"), &fy);
        assert_eq!(
            inv.source_total("boiler_combustion", "CO2"),
            dec!(2162.188809)
        );
        // NOx 18.71 kg/10^4 Nm3 × 100 = 1.871 t
        assert_eq!(inv.source_total("boiler_combustion", "NOx"), dec!(1.871));
    }

    #[test]
    fn biomass_boiler_co2_is_a_memo_outside_totals() {
        let fy = FacilityYear::new("bj-2", "baijiu", 2022)
            .technology("biomass_boiler")
            .with("output", dec!(1), "t")
            .unwrap();
        let inv = run(&settings(GwpSet::Sar, "baijiu", "ndrc2015"), &fy);
        assert_eq!(inv.source_total("boiler_combustion", "CO2"), Decimal::ZERO);
        assert!(inv.source_total("boiler_combustion", "CO2_bio") > Decimal::ZERO);
        assert!(inv
            .rows
            .iter()
            .all(|r| r.substance != "CO2_bio" || !r.in_view));
    }

    #[test]
    fn biogas_loop_reduces_boiler_fuel() {
        // With 50 % of the CH4 recovered, per t liquor the wastewater plant
        // (0.1275 t COD removed) raises 0.1275 × 0.25 × 0.8 × 0.5 × 50 GJ/t × 0.9 / 2.684
        // = 0.573750 / 2.684 t steam, so the boiler's fossil steam is 8 − 0.573750/2.684.
        let (mut f, s) = libs();
        f.override_value(
            "bj.wwtp.biogas_recovery",
            dec!(0.5),
            coreduce::Unit::parse("fraction").unwrap(),
            "test",
            coreduce::Location::api("test"),
        )
        .unwrap();
        let fy = FacilityYear::new("bj-1", "baijiu", 2022)
            .with("output", dec!(1), "t")
            .unwrap();
        let st = settings(GwpSet::Sar, "baijiu", "ndrc2015");
        let base = inventory(&st, &FactorLibrary::embedded().unwrap(), &s, &fy).unwrap();
        let looped = inventory(&st, &f, &s, &fy).unwrap();
        let steam_with_loop = dec!(8) - dec!(0.573750) / dec!(2.684);
        let ratio = looped.source_total("boiler_combustion", "CO2")
            / base.source_total("boiler_combustion", "CO2");
        assert_eq!(r(ratio, 20), r(steam_with_loop / dec!(8), 20));
        // CH4 emitted = 0.0255 generated − 0.01275 recovered = 0.01275 t
        assert_eq!(looped.source_total("wastewater_ch4", "CH4"), dec!(0.01275));
    }
}

mod tobacco {
    use super::*;

    #[test]
    fn coal_curing_is_about_3_3_kg_co2_per_kg() {
        // 1.75 t raw coal/t leaf × 20.908 GJ/t × 0.02637 tC/GJ × 0.94 × 44/12
        // = 1.75 × 0.5182633224 × 44 / 12 = 3.32552298540 t CO2 per t cured leaf
        let fy = FacilityYear::new("tb-1", "tobacco", 2022)
            .technology("coal bulk barn")
            .with("output", dec!(1), "t")
            .unwrap();
        let inv = run(&settings(GwpSet::Sar, "tobacco", "ndrc2015"), &fy);
        assert_eq!(
            r(inv.source_total("curing_combustion", "CO2"), 10),
            dec!(3.3255229854)
        );
        // SO2 = 2 × 1.75 t × 1.5 % S × (1 − 0.2) = 0.042 t (= 16·S kg/t coal × 1.75)
        assert_eq!(inv.source_total("curing_combustion", "SO2"), dec!(0.042));
        // NOx 2.20 kg/t, CO 87.3 kg/t, PM 3.17 kg/t coal × 1.75 t
        assert_eq!(inv.source_total("curing_combustion", "NOx"), dec!(0.00385));
        assert_eq!(inv.source_total("curing_combustion", "CO"), dec!(0.152775));
    }

    #[test]
    fn heat_pump_barn_uses_the_sichuan_grid() {
        // 2.19 kWh/kg × 1 000 t = 2 190 MWh × 0.1404 tCO2/MWh (Sichuan 2022) = 307.476 t
        let fy = FacilityYear::new("tb-2", "tobacco", 2022)
            .technology("heat_pump_barn")
            .with("output", dec!(1000), "t")
            .unwrap();
        let inv = run(&settings(GwpSet::Sar, "tobacco", "ndrc2015"), &fy);
        assert_eq!(inv.source_total("electricity", "CO2"), dec!(307.476));
        assert_eq!(inv.source_total("curing_combustion", "CO2"), Decimal::ZERO);
    }

    #[test]
    fn fertiliser_n2o_ipcc_tier1() {
        // 1 t leaf needs 1/2 ha; 90 kg N/ha → 45 kg N.
        // N2O-N = 45 × (0.01 + 0.10 × 0.01 + 0.30 × 0.0075) = 45 × 0.01325 = 0.59625 kg
        // N2O = 0.59625 × 44/28 = 0.936964… kg = 0.000936964… t
        let fy = FacilityYear::new("tb-1", "tobacco", 2022)
            .with("output", dec!(1), "t")
            .unwrap();
        let inv = run(&settings(GwpSet::Sar, "tobacco", "ndrc2015"), &fy);
        assert_eq!(
            r(inv.source_total("field_n2o", "N2O"), 12),
            dec!(0.000936964286)
        );
    }

    #[test]
    fn grid_factor_as_a_number_applies_to_every_year() {
        let fy = FacilityYear::new("tb-2", "tobacco", 2030)
            .technology("heat_pump_barn")
            .with("output", dec!(1), "t")
            .unwrap();
        let mut s = settings(GwpSet::Sar, "tobacco", "ndrc2015");
        s.grid = GridFactor::Value(coreduce::Quantity::parse(dec!(0.5703), "tCO2/MWh").unwrap());
        // 2.19 MWh × 0.5703 = 1.248957 t
        assert_eq!(
            run(&s, &fy).source_total("electricity", "CO2"),
            dec!(1.248957)
        );
    }
}

mod ceramics {
    use super::*;

    #[test]
    fn carbonate_decomposition() {
        // Σ M·U·w·EF: 100 t CaCO3 × 0.44 + 10 t MgCO3 × 0.522 = 44 + 5.22 = 49.22 t CO2
        let fy = FacilityYear::new("ce-1", "ceramics", 2022)
            .with("output", dec!(1000000), "m2")
            .unwrap()
            .with("carbonate.caco3", dec!(100), "t")
            .unwrap()
            .with("carbonate.mgco3", dec!(10), "t")
            .unwrap();
        let inv = run(&settings(GwpSet::Sar, "ceramics", "ndrc2013"), &fy);
        assert_eq!(inv.source_total("carbonate", "CO2"), dec!(49.22));
    }

    #[test]
    fn kiln_gas_and_spray_dryer_coal_with_measured_ncv() {
        // NG 50 × 10^4 Nm3: 50 × 389.31 × 0.0153 × 0.99 × 44/12 = 294.8439285 × 44/12 = 1 081.0944045 t
        // Bituminous coal 2 000 t with measured NCV 21.5 GJ/t (S-Cer13 CC 25.60, OF 0.93):
        // 2000 × 21.5 × 0.0256 × 0.93 × 44/12 = 1 023.744 × 44/12 = 3 753.728 t
        let fy = FacilityYear::new("ce-1", "ceramics", 2022)
            .with("output", dec!(1000000), "m2")
            .unwrap()
            .with("fuel.natural_gas@kiln", dec!(50), "10^4 Nm3")
            .unwrap()
            .with("fuel.bituminous_coal@spray_dryer", dec!(2000), "t")
            .unwrap()
            .with("fuel.bituminous_coal.ncv", dec!(21.5), "GJ/t")
            .unwrap();
        let inv = run(&settings(GwpSet::Sar, "ceramics", "ndrc2013"), &fy);
        let gas: Decimal = inv
            .rows
            .iter()
            .filter(|x| x.node == "kiln" && x.substance == "CO2" && x.method == "combustion")
            .map(|x| x.amount)
            .sum();
        assert_eq!(r(gas, 7), dec!(1081.0944045));
        let coal: Decimal = inv
            .rows
            .iter()
            .filter(|x| x.node == "spray_dryer" && x.substance == "CO2")
            .map(|x| x.amount)
            .sum();
        assert_eq!(r(coal, 6), dec!(3753.728000));
    }

    #[test]
    fn kiln_nox_by_concentration_with_o2_correction() {
        // 150 mg/m3 at the 18 % reference O2, measured O2 17 %:
        // C = 150 × (21 − 17)/(21 − 18) = 200 mg/m3; × 10^9 Nm3 = 2 × 10^11 mg = 200 t NOx
        let fy = FacilityYear::new("ce-1", "ceramics", 2022)
            .with("output", dec!(1000000), "m2")
            .unwrap()
            .with("stack.flow@kiln", dec!(1000000000), "Nm3")
            .unwrap()
            .with("stack.NOx.concentration_ref@kiln", dec!(150), "mg/m3")
            .unwrap()
            .with("stack.o2@kiln", dec!(17), "%")
            .unwrap();
        let inv = run(&settings(GwpSet::Sar, "ceramics", "ndrc2013"), &fy);
        let kiln_nox: Vec<_> = inv
            .rows
            .iter()
            .filter(|r| r.node == "kiln" && r.substance == "NOx")
            .collect();
        assert_eq!(kiln_nox.len(), 1);
        assert_eq!(kiln_nox[0].amount, dec!(200));
        assert_eq!(kiln_nox[0].tier, 3);
        // The spray dryer's NOx is still computed by factor.
        assert!(inv
            .rows
            .iter()
            .any(|r| r.node == "spray_dryer" && r.substance == "NOx"));
    }
}

/// A run solves each sector's flow system once per edition and technology
/// and replays the elimination on every facility-year's output: for every
/// built-in sector, edition and technology, and outputs from tiny to huge,
/// the replay gives the very decimals (and factor ids) of solving anew.
#[test]
fn a_kept_flow_system_solves_to_the_same_decimals() {
    let (lib, sectors) = libs();
    let outputs = [
        dec!(1),
        dec!(0.000123),
        dec!(151291.6),
        dec!(13067543),
        dec!(7.5e12),
    ];
    let mut cases = 0;
    for sector in sectors.sectors.values() {
        for edition in sector.editions.keys() {
            for technology in &sector.technologies {
                let ctx = coreduce::graph::Context {
                    edition,
                    technology: &technology.id,
                };
                let system = sector
                    .flow_system(ctx, &lib)
                    .unwrap_or_else(|| panic!("{} {edition} {}", sector.id, technology.id));
                for output in outputs {
                    let (mut fresh_ids, mut kept_ids) = (Vec::new(), Vec::new());
                    let fresh = sector.solve(output, ctx, &lib, &mut fresh_ids).unwrap();
                    let kept = system.solve(sector, output, &mut kept_ids).unwrap();
                    assert_eq!(
                        kept, fresh,
                        "{} {edition} {} {output}",
                        sector.id, technology.id
                    );
                    assert_eq!(kept_ids, fresh_ids);
                    assert!(fresh.values().any(|v| !v.is_zero()));
                    cases += 1;
                }
            }
        }
    }
    assert!(cases >= 4 * 5, "{cases}");
}
