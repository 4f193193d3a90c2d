//! Each sector's default (Tier 1) inventory per unit of output, held in insta
//! snapshots. Every number in the snapshots was checked by hand against the
//! reference notes before it was accepted; the checks are written below each
//! test so that a changed snapshot can be re-checked the same way.

use coreduce::accounting::{inventory, FacilityYear, Settings};
use coreduce::graph::SectorLibrary;
use coreduce::FactorLibrary;
use rust_decimal::Decimal;
use std::fmt::Write;

fn per_unit(sector: &str, unit: &str) -> String {
    let f = FactorLibrary::embedded().unwrap();
    let s = SectorLibrary::embedded(&f).unwrap();
    let fy = FacilityYear::new("t1", sector, 2022)
        .with("output", Decimal::ONE, unit)
        .unwrap();
    let inv = inventory(&Settings::default(), &f, &s, &fy).unwrap();
    let mut out = format!(
        "{} per 1 {} ({}, {}, GWP {:?}, grid {})\n",
        inv.sector, inv.output_unit, inv.technology, inv.edition, inv.gwp, inv.grid_factor
    );
    for r in &inv.rows {
        writeln!(
            out,
            "{:<18} {:<18} {:<8} {:>18} t  tier {}",
            r.node,
            r.source,
            r.substance,
            r.amount.round_dp(9).normalize(),
            r.tier
        )
        .unwrap();
    }
    writeln!(
        out,
        "total CO2e {} t; energy {} tce; air eq {}; water eq {}",
        inv.totals.co2e.round_dp(9).normalize(),
        inv.totals.energy_tce.round_dp(9).normalize(),
        inv.totals.apeq.round_dp(6).normalize(),
        inv.totals.wpeq.round_dp(6).normalize()
    )
    .unwrap();
    out
}

#[test]
fn aluminium_per_tonne() {
    insta::assert_snapshot!(per_unit("aluminium", "t"));
    // Checked: anode 0.411 × 0.976 × 44/12 = 1.470832 (MEE 2024 default, conflicting);
    // PFC CF4 0.000034, C2F6 0.0000034 t, CO2e 0.26316 (AR5);
    // electricity 13.35 MWh × 0.1404 = 1.87434; NG 69.4 Nm3 × 2.16218… kg/Nm3 = 0.150056;
    // SO2 2 × 0.411 × 0.02 = 0.01644; fluoride 20 kg × (0.98 × 0.01 + 0.02) = 0.596 kg;
    // energy 2.7018 GJ / 29.3076 + 13 350 kWh × 0.1229 kgce = 1.7329 tce (GB 21346: 1 670–1 720).
}

#[test]
fn baijiu_per_tonne() {
    insta::assert_snapshot!(per_unit("baijiu", "t"));
    // Checked: steam 8 t × 2.684 GJ/t ÷ 0.9 = 23.857… GJ of gas = 0.06128 × 10^4 Nm3;
    // CO2 = 23.857 GJ × 0.0153 × 0.99 × 44/12 = 1.3251 t (the note: 0.166 t/t steam × 8 = 1.33);
    // CH4 0.0255 t (note A2.4: 25.5 kg/t); fermentation 0.55 t biogenic (memo);
    // electricity 0.3 MWh × 0.1404 = 0.04212; discharges 2 / 0.2 / 0.4 / 0.02 kg.
}

#[test]
fn tobacco_per_tonne() {
    insta::assert_snapshot!(per_unit("tobacco", "t"));
    // Checked: coal 1.75 t → 3.3255 t CO2 (note B3.2: ≈3.3 kg/kg); SO2 0.042 t (16·S, S 1.5 %);
    // NOx 1.75 × 2.20 kg = 3.85 kg; CO 1.75 × 87.3 = 152.775 kg; PM 1.75 × 3.17 = 5.5475 kg;
    // fans 0.4 MWh × 0.1404 = 0.05616 t; N2O 45 kg N × 0.01325 × 44/28 = 0.937 kg.
}

#[test]
fn ceramics_per_square_metre() {
    insta::assert_snapshot!(per_unit("ceramics", "m2"));
    // Checked: 5 kgce/m2 split kiln 55 % (gas), spray dryer 25 % (coal), dryer 5 % (gas),
    // electricity 15 %: kiln gas 2.75 kgce = 0.0806 GJ → 4.48 kg CO2; spray coal 1.25 kgce
    // = 0.03663 GJ ÷ 22.30 GJ/t = 1.643 kg coal → 3.52 kg CO2 (S-Cer13 CC 25.6, OF 0.93);
    // carbonate 0.48 kg × 0.44 = 0.2112 kg; electricity 0.75 kgce = 6.106 kWh × 0.1404 = 0.857 kg.
}
