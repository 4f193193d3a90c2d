//! The IAMC tables of a roadmap: the coreduce layout (every series, coreduce's
//! names, tonnes: `iamc-coreduce.csv` and roadmap.xlsx's `iamc` sheet) and
//! the IAMC common-definitions one (`iamc.csv`, `iamc.xlsx`), both wide by
//! year and built on one scaffold (scenarios, points, regions, sums).

use crate::error::{Error, Result};
use crate::export::{num, WriteText};
use crate::output::neutralise;
use crate::tr;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::collections::BTreeMap;
use std::path::Path;

/// Sector names for IAMC variables.
fn iamc_sector(id: &str) -> &str {
    match id {
        "aluminium" => "Aluminium",
        "baijiu" => "Baijiu",
        "ceramics" => "Ceramics",
        "tobacco" => "Tobacco",
        other => other,
    }
}

/// One IAMC row: model, scenario, region, variable, unit, values by year.
pub type IamcRow = (String, String, String, String, String, Vec<Decimal>);

/// The IAMC table: the years and the rows.
pub fn iamc_rows(
    rep: &crate::roadmap::RoadmapReport,
    sectors: &crate::graph::SectorLibrary,
) -> (Vec<i32>, Vec<IamcRow>) {
    iamc_table(rep, sectors, |p, put| {
        let sector = iamc_sector(&p.sector);
        // Each variable as a total and on its sector's line.
        let mut both = |variable: &str, unit: &str, v: Decimal| {
            put(variable.to_string(), unit, v);
            put(format!("{variable}|{sector}"), unit, v);
        };
        for (k, v) in &p.totals {
            let (var, unit) = match k.as_str() {
                "energy_tce" => ("Final Energy|Industry".to_string(), "tce/yr".to_string()),
                "APeq" => (
                    "Pollution Equivalents|Air|Industry".to_string(),
                    "eq/yr".to_string(),
                ),
                "WPeq" => (
                    "Pollution Equivalents|Water|Industry".to_string(),
                    "eq/yr".to_string(),
                ),
                sub => (format!("Emissions|{sub}|Industry"), format!("t {sub}/yr")),
            };
            both(&var, &unit, *v);
        }
        // Purchased electricity and heat: indirect, beside the study view's
        // CO2e (which counts them).
        if let Some(v) = p.split.get("CO2|Indirect") {
            both("Emissions|CO2|Indirect|Industry", "t CO2/yr", *v);
        }
        both("Cost|Co-reduction Measures|Industry", "CNY/yr", p.cost);
    })
}

/// What both IAMC tables share: per scenario, every point's variables
/// (`variables` calls `put(variable, unit, value)`) in every region the point
/// counts in, summed by (region, variable, unit) and year.
fn iamc_table(
    rep: &crate::roadmap::RoadmapReport,
    sectors: &crate::graph::SectorLibrary,
    mut variables: impl FnMut(&crate::roadmap::Point, &mut dyn FnMut(String, &str, Decimal)),
) -> (Vec<i32>, Vec<IamcRow>) {
    let years: Vec<i32> = (rep.base_year..=rep.end_year).collect();
    let model = format!("coreduce {}", env!("CARGO_PKG_VERSION"));
    let mut rows = Vec::new();
    for sc in &rep.scenarios {
        // (region, variable, unit) → year → value
        let mut table: BTreeMap<(String, String, String), BTreeMap<i32, Decimal>> = BTreeMap::new();
        for p in &sc.points {
            for region in regions_of(p, sectors, root_region(rep)) {
                variables(p, &mut |variable, unit, v| {
                    *table
                        .entry((region.clone(), variable, unit.to_string()))
                        .or_default()
                        .entry(p.year)
                        .or_default() += v;
                });
            }
        }
        push_table(&mut rows, &model, &sc.scenario, &years, table);
    }
    (years, rows)
}

/// One scenario's (region, variable, unit) → year → value table, as rows
/// with a value for every year (0 where a series has none).
fn push_table(
    rows: &mut Vec<IamcRow>,
    model: &str,
    scenario: &str,
    years: &[i32],
    table: BTreeMap<(String, String, String), BTreeMap<i32, Decimal>>,
) {
    for ((region, variable, unit), by_year) in table {
        rows.push((
            model.to_string(),
            scenario.to_string(),
            region,
            variable,
            unit,
            years
                .iter()
                .map(|y| by_year.get(y).copied().unwrap_or_default())
                .collect(),
        ));
    }
}

/// The region the study's total stands for: its coverage where the study
/// states one (the built-in study's facilities are a part of each sector in
/// Sichuan, and a merge with another model's `Sichuan` must not read them as
/// the province's totals), else `Sichuan`.
pub fn root_region(rep: &crate::roadmap::RoadmapReport) -> &str {
    rep.coverage
        .as_ref()
        .map(|c| c.region.as_str())
        .filter(|r| !r.is_empty())
        .unwrap_or("Sichuan")
}

/// The regions a point counts in: the study's root region, and below it the
/// point's economic region, its city and, where the study named one, its
/// county (each the study's part of it, as the root is).
fn regions_of(
    p: &crate::roadmap::Point,
    sectors: &crate::graph::SectorLibrary,
    root: &str,
) -> Vec<String> {
    let region_name = |p: &crate::roadmap::Point, level: &str| -> Option<String> {
        match level {
            "province" => Some(root.to_string()),
            "city" => sectors
                .cities
                .iter()
                .find(|c| c.id == p.city)
                .map(|c| format!("{root}|{}", c.name_en)),
            // a level below the city, where the study named a county
            "county" => sectors
                .counties
                .iter()
                .find(|c| !p.county.is_empty() && c.name == p.county && c.prefecture == p.city)
                .and_then(|c| {
                    let city = sectors.cities.iter().find(|x| x.id == p.city)?;
                    Some(format!("{root}|{}|{}", city.name_en, c.pinyin))
                }),
            _ => sectors
                .regions
                .iter()
                .find(|r| r.id == p.region)
                .map(|r| format!("{root}|{}", r.name_en)),
        }
    };
    ["province", "region", "city", "county"]
        .iter()
        .filter_map(|level| region_name(p, level))
        .collect()
}

/// The IAMC common-definitions sector of a coreduce sector (the
/// `Non-Energy Sector` and `Sector` tag lists): its emissions sector and its
/// final-energy sector.
fn common_sector(id: &str) -> (&'static str, &'static str) {
    match id {
        "aluminium" => ("Non-Ferrous Metals", "Industry|Non-Ferrous Metals|Aluminum"),
        "ceramics" => (
            "Non-Metallic Minerals",
            "Industry|Non-Metallic Minerals|Other Minerals",
        ),
        _ => ("Other Sector", "Industry|Other Sector"),
    }
}

/// t → Mt, t → kt, tce → EJ (1 tce = 29.3076 GJ, GB/T 2589).
const MT: Decimal = Decimal::from_parts(1, 0, 0, false, 6);
const KT: Decimal = Decimal::from_parts(1, 0, 0, false, 3);
const EJ_PER_TCE: Decimal = Decimal::from_parts(293_076, 0, 0, false, 13);

/// The IAMC table in the variables and units of the IAMC common definitions
/// (IAMconsortium/common-definitions): direct emissions only under
/// `Emissions|*` (`Emissions|Kyoto Gases` is direct CO2e; purchased
/// electricity and heat are left out, so a merge with a power-sector
/// scenario does not count them twice: they are in `iamc-coreduce.csv` as
/// `Emissions|CO2|Indirect|Industry`), `Emissions|CO2|Energy|Demand|Industry`
/// and `Emissions|CO2|Industrial Processes` splitting direct CO2, the air
/// pollutants the definitions name (`Sulfur` as SO2, `NOx` as NO2, `CO`,
/// `NH3`), CH4, N2O, CF4, C2F6 and `Final Energy|Industry` in EJ; by sector
/// on the definitions' sector lists. Everything else (PM, fluoride, water
/// pollutants, pollution equivalents, costs, biogenic CO2) has no common
/// name and stays in the coreduce table.
pub fn iamc_common_rows(
    rep: &crate::roadmap::RoadmapReport,
    sectors: &crate::graph::SectorLibrary,
) -> (Vec<i32>, Vec<IamcRow>) {
    iamc_table(rep, sectors, |p, put| {
        let (emission_sector, energy_sector) = common_sector(&p.sector);
        let split = |k: &str| p.split.get(k).copied().unwrap_or_default();
        let total = |k: &str| p.totals.get(k).copied().unwrap_or_default();
        let mut both = |variable: &str, sectoral: Option<String>, unit: &str, v: Decimal| {
            put(variable.to_string(), unit, v);
            if let Some(s) = sectoral {
                put(s, unit, v);
            }
        };
        both(
            "Emissions|Kyoto Gases",
            None,
            "Mt CO2-equiv/yr",
            split("Kyoto") * MT,
        );
        let (energy, process) = (split("CO2|Energy"), split("CO2|Process"));
        both("Emissions|CO2", None, "Mt CO2/yr", (energy + process) * MT);
        both(
            "Emissions|CO2|Energy|Demand|Industry",
            Some(format!(
                "Emissions|CO2|Energy|Demand|Industry|{emission_sector}"
            )),
            "Mt CO2/yr",
            energy * MT,
        );
        both(
            "Emissions|CO2|Industrial Processes",
            Some(format!(
                "Emissions|CO2|Industrial Processes|{emission_sector}"
            )),
            "Mt CO2/yr",
            process * MT,
        );
        for (code, name, unit, scale) in [
            ("CH4", "CH4", "Mt CH4/yr", MT),
            ("N2O", "N2O", "kt N2O/yr", KT),
            ("CF4", "CF4", "kt CF4/yr", KT),
            ("C2F6", "C2F6", "kt C2F6/yr", KT),
            ("SO2", "Sulfur", "Mt SO2/yr", MT),
            ("NOx", "NOx", "Mt NO2/yr", MT),
            ("CO", "CO", "Mt CO/yr", MT),
            ("NH3", "NH3", "Mt NH3/yr", MT),
        ] {
            if p.totals.contains_key(code) {
                both(
                    &format!("Emissions|{name}"),
                    None,
                    unit,
                    total(code) * scale,
                );
            }
        }
        both(
            "Final Energy|Industry",
            Some(format!("Final Energy|{energy_sector}")),
            "EJ/yr",
            total("energy_tce") * EJ_PER_TCE,
        );
    })
}

/// Writes the IAMC common-definitions table as CSV to a writer.
pub fn iamc_common_csv_to<W: std::io::Write>(
    rep: &crate::roadmap::RoadmapReport,
    sectors: &crate::graph::SectorLibrary,
    w: W,
) -> Result<()> {
    let (years, rows) = iamc_common_rows(rep, sectors);
    // Nine decimals: a kilogram in Mt, a gigajoule in EJ.
    iamc_table_to(&years, rows, 9, w)
}

/// Writes the coreduce IAMC-layout table (every series, coreduce's names,
/// tonnes) as CSV to a writer.
pub fn iamc_csv_to<W: std::io::Write>(
    rep: &crate::roadmap::RoadmapReport,
    sectors: &crate::graph::SectorLibrary,
    w: W,
) -> Result<()> {
    let (years, rows) = iamc_rows(rep, sectors);
    iamc_table_to(&years, rows, 6, w)
}

fn iamc_table_to<W: std::io::Write>(
    years: &[i32],
    rows: Vec<IamcRow>,
    decimals: u32,
    w: W,
) -> Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let err = |e: csv::Error| Error::request(tr!("cannot write CSV: {e}", "无法写入 CSV：{e}"));
    let mut head: Vec<String> = ["Model", "Scenario", "Region", "Variable", "Unit"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    head.extend(years.iter().map(|y| y.to_string()));
    out.write_record(&head).map_err(err)?;
    for (m, s, r, v, u, vals) in rows {
        let mut rec = vec![m, neutralise(&s), r, v, u];
        rec.extend(
            vals.iter()
                .map(|x| x.round_dp(decimals).normalize().to_string()),
        );
        out.write_record(&rec).map_err(err)?;
    }
    out.flush()
        .map_err(|e| Error::request(tr!("cannot write CSV: {e}", "无法写入 CSV：{e}")))
}

/// An IAMC table on a sheet: the five key columns, then a column per year;
/// the header row and key columns frozen, an autofilter over the keys.
pub(super) fn write_iamc_sheet(
    ws: &mut rust_xlsxwriter::Worksheet,
    (years, rows): (Vec<i32>, Vec<IamcRow>),
) -> std::result::Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, h) in ["Model", "Scenario", "Region", "Variable", "Unit"]
        .iter()
        .enumerate()
    {
        ws.write_text_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, y) in years.iter().enumerate() {
        ws.write_number_with_format(0, 5 + i as u16, *y, &bold)?;
    }
    for (r, (m, s, reg, v, u, vals)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_text(r, 0, m)?;
        ws.write_text(r, 1, neutralise(s))?;
        ws.write_text(r, 2, reg)?;
        ws.write_text(r, 3, v)?;
        ws.write_text(r, 4, u)?;
        for (i, x) in vals.iter().enumerate() {
            ws.write_number(r, 5 + i as u16, num(*x))?;
        }
    }
    ws.set_column_width(3, 44)?;
    ws.set_freeze_panes(1, 5)?;
    ws.autofilter(0, 0, rows.len().max(1) as u32, 4)?;
    Ok(())
}

/// iamc.xlsx: the common-definitions table on its sheet `data` and, where
/// the study states its coverage, a `meta` sheet (pyam's layout: one row per
/// model and scenario) saying what the region covers, sector by sector.
pub(super) fn iamc_xlsx_file(
    path: &Path,
    rep: &crate::roadmap::RoadmapReport,
    sectors: &crate::graph::SectorLibrary,
) -> std::result::Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("data")?;
    let (years, rows) = iamc_common_rows(rep, sectors);
    let runs: std::collections::BTreeSet<(String, String)> = rows
        .iter()
        .map(|(m, s, ..)| (m.clone(), s.clone()))
        .collect();
    write_iamc_sheet(ws, (years, rows))?;
    if let Some(cov) = &rep.coverage {
        let ws = wb.add_worksheet().set_name("meta")?;
        write_coverage_meta(ws, cov, &runs)?;
    }
    wb.save(path)
}

/// The `meta` sheet: model, scenario, `exclude` (pyam's own column), the
/// region the coverage names, its note, and per sector the share (%, empty
/// where unknown) and the statement with its source.
fn write_coverage_meta(
    ws: &mut rust_xlsxwriter::Worksheet,
    cov: &crate::study::Coverage,
    runs: &std::collections::BTreeSet<(String, String)>,
) -> std::result::Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let mut head: Vec<String> = [
        "model",
        "scenario",
        "exclude",
        "coverage region",
        "coverage",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for s in &cov.sectors {
        head.push(format!("coverage share {} (%)", s.sector));
        head.push(format!("coverage {}", s.sector));
    }
    for (c, h) in head.iter().enumerate() {
        ws.write_text_with_format(0, c as u16, h, &bold)?;
    }
    for (r, (model, scenario)) in runs.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_text(r, 0, model)?;
        ws.write_text(r, 1, neutralise(scenario))?;
        ws.write_boolean(r, 2, false)?;
        ws.write_text(r, 3, &cov.region)?;
        ws.write_text(r, 4, &cov.note)?;
        for (i, s) in cov.sectors.iter().enumerate() {
            let c = 5 + 2 * i as u16;
            if let Some(x) = s.share_percent {
                ws.write_number(r, c, num(x))?;
            }
            ws.write_text(
                r,
                c + 1,
                format!("{} [{}; {}]", s.note, s.source, s.confidence),
            )?;
        }
    }
    Ok(())
}
