//! A synthetic province for benchmarks: N facility-years spread over the four
//! sectors with measured activity of plausible size, reproducible from a seed.
//! Not data: the numbers are random draws around the built-in study's scale.

use crate::study::FacilityYear;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

/// (item, amount per unit of output × 10^scale, scale, unit).
type Item = (&'static str, i64, u32, &'static str);

/// The technology, output unit and measured items of each sector.
fn recipe(sector: &str) -> (&'static str, &'static str, &'static [Item]) {
    match sector {
        "aluminium" => (
            "cwpb",
            "t",
            &[
                ("electricity.purchased", 13400, 3, "MWh"),
                ("fuel.natural_gas", 30, 4, "10^4 Nm3"),
                ("anode.net_consumption", 410, 3, "t"),
            ],
        ),
        "ceramics" => (
            "roller_kiln_gas_spray",
            "m2",
            &[
                ("fuel.natural_gas", 25, 5, "10^4 Nm3"),
                ("electricity.purchased", 30, 4, "MWh"),
                ("carbonate.caco3", 7, 4, "t"),
            ],
        ),
        "baijiu" => (
            "gas_boiler",
            "t",
            &[
                ("fuel.natural_gas", 616, 4, "10^4 Nm3"),
                ("electricity.purchased", 300, 3, "MWh"),
                ("wastewater.cod_removed", 1275, 4, "t"),
            ],
        ),
        _ => (
            "coal_bulk_barn",
            "t",
            &[
                ("fuel.raw_coal", 175, 2, "t"),
                ("electricity.purchased", 4, 1, "MWh"),
                ("fertiliser.n", 45, 3, "t"),
            ],
        ),
    }
}

/// Generates `facilities` facilities over `years` years (facility-years = product).
pub fn province(facilities: usize, years: usize, seed: u64) -> Vec<FacilityYear> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sectors = ["aluminium", "ceramics", "baijiu", "tobacco"];
    let cities = [
        "guangyuan",
        "leshan",
        "yibin",
        "luzhou",
        "liangshan",
        "chengdu",
        "meishan",
        "panzhihua",
    ];
    let mut out = Vec::with_capacity(facilities * years);
    for i in 0..facilities {
        let sector = sectors[i % 4];
        let (tech, unit, items) = recipe(sector);
        let base_output: i64 = match sector {
            "aluminium" => rng.random_range(50_000..300_000),
            "ceramics" => rng.random_range(1_000_000..50_000_000),
            "baijiu" => rng.random_range(1_000..100_000),
            _ => rng.random_range(500..20_000),
        };
        for y in 0..years {
            let output = base_output + base_output * (y as i64) / 50;
            let mut fy =
                FacilityYear::new(&format!("F{i:06}"), sector, 2023 + y as i32).technology(tech);
            fy.city = Some(cities[i % cities.len()].to_string());
            fy = fy
                .with("output", Decimal::from(output), unit)
                .unwrap_or_else(|_| unreachable!());
            for (item, per, scale, u) in items {
                // amount = output × per / 10^scale, with ±10 % noise
                let noise: i64 = rng.random_range(90..=110);
                let v = Decimal::from(output) * Decimal::from(*per) * Decimal::from(noise)
                    / Decimal::from(100)
                    / Decimal::from(10i64.pow(*scale));
                fy = fy
                    .with(item, v.round_dp(3), u)
                    .unwrap_or_else(|_| unreachable!());
            }
            out.push(fy);
        }
    }
    out
}

/// Writes the synthetic province as a workbook (settings, facilities,
/// activity) that `coreduce inventory` reads: the built-in study's settings
/// (AR5, Sichuan's average grid factor, the footprint view).
pub fn write_workbook(
    path: &std::path::Path,
    fys: &[FacilityYear],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_decimal::prelude::ToPrimitive;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("settings")?;
    let base_year = fys
        .iter()
        .map(|fy| fy.year)
        .min()
        .unwrap_or(2020)
        .to_string();
    let study = format!("synthetic province, {} facility-years", fys.len());
    let settings = [
        ["key", "value", "unit"],
        ["study", &study, ""],
        ["base_year", &base_year, ""],
        ["gwp", "AR5", ""],
        ["grid_factor", "grid.sc.avg", ""],
        ["view", "footprint", ""],
        ["language", "en", ""],
    ];
    for (r, row) in settings.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *text)?;
        }
    }
    let ws = wb.add_worksheet().set_name("facilities")?;
    for (c, h) in ["facility_id", "name", "sector", "technology", "city"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut r = 1u32;
    for fy in fys {
        if seen.insert(fy.facility_id.clone()) {
            ws.write_string(r, 0, &fy.facility_id)?;
            ws.write_string(r, 1, &fy.name)?;
            ws.write_string(r, 2, &fy.sector)?;
            ws.write_string(r, 3, fy.technology.as_deref().unwrap_or(""))?;
            ws.write_string(r, 4, fy.city.as_deref().unwrap_or(""))?;
            r += 1;
        }
    }
    let ws = wb.add_worksheet().set_name("activity")?;
    for (c, h) in ["facility_id", "year", "item", "value", "unit"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    let mut r = 1u32;
    for fy in fys {
        for a in &fy.activity {
            ws.write_string(r, 0, &fy.facility_id)?;
            ws.write_number(r, 1, fy.year)?;
            ws.write_string(r, 2, &*a.item)?;
            ws.write_number(r, 3, a.quantity.value.to_f64().unwrap_or(0.0))?;
            ws.write_string(r, 4, a.quantity.unit.symbol())?;
            r += 1;
        }
    }
    wb.save(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factors::FactorLibrary;
    use crate::graph::SectorLibrary;

    /// The benchmarks' workbook (`benches/engine.rs`) is one the workbook
    /// reader takes, with every facility-year and activity row in it.
    #[test]
    fn the_synthetic_workbook_reads_back_whole() {
        let f = FactorLibrary::embedded().unwrap();
        let s = SectorLibrary::embedded(&f).unwrap();
        let fys = province(6, 2, 7);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("province.xlsx");
        write_workbook(&path, &fys).unwrap();
        let run = crate::workbook::run_workbook(&path, &f, &s).unwrap();
        assert_eq!(run.inventories.len(), fys.len());
        let rows = |fys: &[FacilityYear]| fys.iter().map(|fy| fy.activity.len()).sum::<usize>();
        assert_eq!(rows(&run.study.facility_years), rows(&fys));
        assert!(run
            .inventories
            .iter()
            .all(|i| i.totals.co2e > Decimal::ZERO));
    }
}
