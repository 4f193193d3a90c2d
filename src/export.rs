//! Inventory results out: tidy CSV (one row per source and substance), JSON
//! with stable field names, and a formatted xlsx (summary, by facility, by
//! process, factors used, warnings). Text from the user's workbook is
//! neutralised against formula injection; files are written atomically.

use crate::accounting::Inventory;
use crate::error::{Error, Result};
use crate::factors::FactorLibrary;
use crate::output::{atomic_write, neutralise};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The columns of the tidy CSV, in order.
pub const CSV_COLUMNS: [&str; 16] = [
    "facility_id",
    "year",
    "sector",
    "process",
    "source",
    "substance",
    "amount",
    "unit",
    "tier",
    "factor_ids",
    "scope",
    "in_view",
    "city",
    "technology",
    "edition",
    "overrides",
];

/// Writes the tidy CSV to any writer.
pub fn csv_to<W: std::io::Write>(
    inventories: &[Inventory],
    lib: &FactorLibrary,
    w: W,
) -> Result<()> {
    let overridden = |ids: &[String]| {
        ids.iter()
            .filter(|id| lib.get(id).is_ok_and(|f| f.origin.is_override()))
            .cloned()
            .collect::<Vec<_>>()
            .join(";")
    };
    let mut out = csv::Writer::from_writer(w);
    let err = |e: csv::Error| Error::Request(format!("cannot write CSV: {e}"));
    out.write_record(CSV_COLUMNS).map_err(err)?;
    for inv in inventories {
        for r in &inv.rows {
            out.write_record([
                neutralise(&inv.facility_id),
                inv.year.to_string(),
                inv.sector.clone(),
                r.node.clone(),
                r.source.clone(),
                r.substance.clone(),
                r.amount.normalize().to_string(),
                r.unit.clone(),
                r.tier.to_string(),
                r.factor_ids.join(";"),
                r.scope.to_string(),
                r.in_view.to_string(),
                neutralise(inv.city.as_deref().unwrap_or("")),
                inv.technology.clone(),
                inv.edition.clone(),
                overridden(&r.factor_ids),
            ])
            .map_err(err)?;
        }
    }
    out.flush()
        .map_err(|e| Error::Request(format!("cannot write CSV: {e}")))?;
    Ok(())
}

/// The JSON document: inventories plus the factors they used.
#[derive(Serialize)]
pub struct JsonResults<'a> {
    pub format: &'static str,
    pub inventories: &'a [Inventory],
    pub factors_used: Vec<&'a crate::factors::Factor>,
}

/// Builds the JSON document.
pub fn json_string(inventories: &[Inventory], lib: &FactorLibrary) -> Result<String> {
    let ids: BTreeSet<String> = inventories.iter().flat_map(|i| i.factor_ids()).collect();
    let factors_used = ids.iter().filter_map(|id| lib.get(id).ok()).collect();
    serde_json::to_string_pretty(&JsonResults {
        format: "coreduce-inventory-v1",
        inventories,
        factors_used,
    })
    .map_err(|e| Error::Request(format!("cannot write JSON: {e}")))
}

/// Writes results to `path`, choosing the format by extension (.csv, .json, .xlsx).
pub fn write_results(
    path: &Path,
    inventories: &[Inventory],
    lib: &FactorLibrary,
    protected: &[&Path],
) -> Result<()> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => atomic_write(path, protected, |tmp| {
            let f = std::fs::File::create(tmp).map_err(|e| Error::Io {
                path: tmp.display().to_string(),
                source: e,
            })?;
            csv_to(inventories, lib, std::io::BufWriter::new(f))
        }),
        "json" => {
            let text = json_string(inventories, lib)?;
            atomic_write(path, protected, |tmp| {
                std::fs::write(tmp, text).map_err(|e| Error::Io {
                    path: tmp.display().to_string(),
                    source: e,
                })
            })
        }
        "xlsx" => atomic_write(path, protected, |tmp| {
            xlsx(tmp, inventories, lib)
                .map_err(|e| Error::Request(format!("cannot write the workbook: {e}")))
        }),
        other => Err(Error::Request(format!(
            "unknown output format '.{other}': use .xlsx, .csv or .json"
        ))),
    }
}

fn num(d: Decimal) -> f64 {
    // Display only: the xlsx cell is a double; the exact value is in the CSV/JSON.
    d.to_f64().unwrap_or(f64::NAN)
}

fn xlsx(
    path: &Path,
    inventories: &[Inventory],
    lib: &FactorLibrary,
) -> std::result::Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let number = Format::new().set_num_format("#,##0.000000");
    let headers = |ws: &mut rust_xlsxwriter::Worksheet,
                   cols: &[&str]|
     -> std::result::Result<(), XlsxError> {
        for (c, h) in cols.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
            ws.set_column_width(c as u16, 16)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(())
    };

    // Summary: one row per facility-year.
    let ws = wb.add_worksheet().set_name("summary")?;
    let cols = [
        "facility_id",
        "name",
        "sector",
        "technology",
        "edition",
        "city",
        "year",
        "output",
        "output_unit",
        "CO2e (t, view)",
        "scope 1 CO2e",
        "scope 2 CO2e",
        "biogenic CO2 memo",
        "energy (tce)",
        "air pollution eq.",
        "water pollution eq.",
        "CO2e per output",
        "GWP",
        "view",
        "grid factor",
    ];
    headers(ws, &cols)?;
    for (i, inv) in inventories.iter().enumerate() {
        let r = i as u32 + 1;
        let t = &inv.totals;
        ws.write_string(r, 0, neutralise(&inv.facility_id))?;
        ws.write_string(r, 1, neutralise(&inv.name))?;
        ws.write_string(r, 2, &inv.sector)?;
        ws.write_string(r, 3, &inv.technology)?;
        ws.write_string(r, 4, &inv.edition)?;
        ws.write_string(r, 5, neutralise(inv.city.as_deref().unwrap_or("")))?;
        ws.write_number(r, 6, inv.year)?;
        ws.write_number_with_format(r, 7, num(inv.output), &number)?;
        ws.write_string(r, 8, &inv.output_unit)?;
        for (c, v) in [
            t.co2e,
            t.co2e_scope1,
            t.co2e_scope2,
            t.co2_biogenic_memo,
            t.energy_tce,
            t.apeq,
            t.wpeq,
        ]
        .iter()
        .enumerate()
        {
            ws.write_number_with_format(r, 9 + c as u16, num(*v), &number)?;
        }
        if let Some(x) = t.co2e_per_output {
            ws.write_number_with_format(r, 16, num(x), &number)?;
        }
        ws.write_string(r, 17, format!("{:?}", inv.gwp).to_uppercase())?;
        ws.write_string(r, 18, format!("{:?}", inv.view).to_lowercase())?;
        ws.write_string(r, 19, &inv.grid_factor)?;
    }
    ws.autofilter(0, 0, inventories.len().max(1) as u32, cols.len() as u16 - 1)?;

    // By facility: substance totals.
    let subs: BTreeSet<String> = inventories
        .iter()
        .flat_map(|i| i.totals.by_substance.keys().cloned())
        .collect();
    let ws = wb.add_worksheet().set_name("by-facility")?;
    let mut cols: Vec<String> = vec!["facility_id".into(), "year".into()];
    cols.extend(subs.iter().map(|s| format!("{s} (t)")));
    headers(ws, &cols.iter().map(String::as_str).collect::<Vec<_>>())?;
    for (i, inv) in inventories.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, neutralise(&inv.facility_id))?;
        ws.write_number(r, 1, inv.year)?;
        for (c, s) in subs.iter().enumerate() {
            if let Some(v) = inv.totals.by_substance.get(s) {
                ws.write_number_with_format(r, 2 + c as u16, num(*v), &number)?;
            }
        }
    }
    ws.autofilter(0, 0, inventories.len().max(1) as u32, cols.len() as u16 - 1)?;

    // By process: the tidy rows.
    let ws = wb.add_worksheet().set_name("by-process")?;
    headers(ws, &CSV_COLUMNS)?;
    let mut r = 1u32;
    for inv in inventories {
        for row in &inv.rows {
            ws.write_string(r, 0, neutralise(&inv.facility_id))?;
            ws.write_number(r, 1, inv.year)?;
            ws.write_string(r, 2, &inv.sector)?;
            ws.write_string(r, 3, &row.node)?;
            ws.write_string(r, 4, &row.source)?;
            ws.write_string(r, 5, &row.substance)?;
            ws.write_number_with_format(r, 6, num(row.amount), &number)?;
            ws.write_string(r, 7, &row.unit)?;
            ws.write_number(r, 8, row.tier)?;
            ws.write_string(r, 9, row.factor_ids.join(";"))?;
            ws.write_number(r, 10, row.scope)?;
            ws.write_boolean(r, 11, row.in_view)?;
            ws.write_string(r, 12, neutralise(inv.city.as_deref().unwrap_or("")))?;
            ws.write_string(r, 13, &inv.technology)?;
            ws.write_string(r, 14, &inv.edition)?;
            let over: Vec<&str> = row
                .factor_ids
                .iter()
                .filter(|id| lib.get(id).is_ok_and(|f| f.origin.is_override()))
                .map(String::as_str)
                .collect();
            ws.write_string(r, 15, over.join(";"))?;
            r += 1;
        }
    }
    ws.autofilter(
        0,
        0,
        r.saturating_sub(1).max(1),
        CSV_COLUMNS.len() as u16 - 1,
    )?;

    // Factors used.
    let ws = wb.add_worksheet().set_name("factors-used")?;
    let cols = [
        "factor_id",
        "value",
        "unit",
        "substance",
        "edition",
        "confidence",
        "source",
        "locator",
        "origin",
        "replaced value",
        "note",
    ];
    headers(ws, &cols)?;
    let ids: BTreeSet<String> = inventories.iter().flat_map(|i| i.factor_ids()).collect();
    for (i, f) in ids.iter().filter_map(|id| lib.get(id).ok()).enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &f.id)?;
        ws.write_string(r, 1, f.value.to_string())?;
        ws.write_string(r, 2, f.unit.symbol())?;
        ws.write_string(r, 3, f.substance.map(|s| s.code()).unwrap_or(""))?;
        ws.write_string(r, 4, &f.edition)?;
        ws.write_string(r, 5, f.confidence.as_str())?;
        ws.write_string(r, 6, neutralise(&f.source.to_string()))?;
        ws.write_string(r, 7, &f.locator)?;
        ws.write_string(
            r,
            8,
            match &f.origin {
                crate::factors::Origin::Library => "library".to_string(),
                crate::factors::Origin::UserFolder { path } => format!("user folder {path}"),
                crate::factors::Origin::Override { location } => format!("OVERRIDE at {location}"),
            },
        )?;
        if let Some(v) = f.replaced_value {
            ws.write_string(r, 9, v.to_string())?;
        }
        ws.write_string(r, 10, neutralise(&f.note))?;
    }
    ws.autofilter(0, 0, ids.len().max(1) as u32, cols.len() as u16 - 1)?;

    // Warnings.
    let ws = wb.add_worksheet().set_name("warnings")?;
    headers(ws, &["facility_id", "year", "where", "warning"])?;
    ws.set_column_width(3, 100)?;
    let mut r = 1u32;
    let mut seen = BTreeMap::new();
    for inv in inventories {
        for w in &inv.warnings {
            if seen
                .insert((inv.facility_id.clone(), inv.year, w.message.clone()), ())
                .is_some()
            {
                continue;
            }
            ws.write_string(r, 0, neutralise(&inv.facility_id))?;
            ws.write_number(r, 1, inv.year)?;
            ws.write_string(r, 2, neutralise(&w.location))?;
            ws.write_string(r, 3, neutralise(&w.message))?;
            r += 1;
        }
    }
    wb.save(path)
}

/// The columns of the measures table (CSV and xlsx).
pub const MEASURE_COLUMNS: [&str; 20] = [
    "measure",
    "name_en",
    "name_zh",
    "level",
    "key",
    "delta_co2e_t",
    "r_co2e",
    "delta_pollutant",
    "pollutant",
    "delta_apeq",
    "delta_wpeq",
    "quadrant",
    "elasticity_class",
    "elasticity",
    "annual_cost_cny",
    "cny_per_t_co2e",
    "cny_per_apeq",
    "co_benefit_value_cny",
    "mac_adjusted_cny_per_t",
    "degree_index",
];

fn opt(d: Option<Decimal>) -> String {
    d.map(|x| x.round_dp(6).normalize().to_string())
        .unwrap_or_else(|| "undefined".into())
}

/// Flattens a measure report into table rows (province, sector and facility).
pub fn measure_rows(rep: &crate::measures::MeasureReport) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut evals: Vec<&crate::measures::Evaluation> = rep.alone.iter().collect();
    evals.push(&rep.package);
    for e in evals {
        let mut levels: Vec<(&str, String, &crate::measures::Metrics)> =
            vec![("province", "Sichuan".into(), &e.province)];
        levels.extend(e.by_sector.iter().map(|(k, m)| ("sector", k.clone(), m)));
        levels.extend(
            e.by_facility
                .iter()
                .map(|(k, m)| ("facility", k.clone(), m)),
        );
        for (level, key, m) in levels {
            let er = |k: &str| {
                m.reduction
                    .get(k)
                    .copied()
                    .unwrap_or_default()
                    .round_dp(6)
                    .normalize()
                    .to_string()
            };
            out.push(vec![
                neutralise(&e.measure),
                neutralise(&e.name_en),
                neutralise(&e.name_zh),
                level.to_string(),
                neutralise(&key),
                er("CO2e"),
                opt(m.relative.get("CO2e").copied()),
                er(&m.pollutant),
                m.pollutant.clone(),
                er("APeq"),
                er("WPeq"),
                m.quadrant.label().to_string(),
                format!("{:?}", m.elasticity.class),
                opt(m.elasticity.value),
                m.annual_cost.round_dp(2).normalize().to_string(),
                opt(m.cost_per_t_co2e),
                opt(m.cost_per_apeq),
                m.co_benefit_value.round_dp(2).normalize().to_string(),
                opt(m.mac_adjusted),
                opt(m.degree_index),
            ]);
        }
    }
    out
}

/// Writes a measure report by extension (.csv, .json, .xlsx).
pub fn write_measures(
    path: &Path,
    rep: &crate::measures::MeasureReport,
    protected: &[&Path],
) -> Result<()> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let io = |p: &Path, e| Error::Io {
        path: p.display().to_string(),
        source: e,
    };
    match ext.as_str() {
        "csv" => atomic_write(path, protected, |tmp| {
            let f = std::fs::File::create(tmp).map_err(|e| io(tmp, e))?;
            let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
            let err = |e: csv::Error| Error::Request(format!("cannot write CSV: {e}"));
            w.write_record(MEASURE_COLUMNS).map_err(err)?;
            for r in measure_rows(rep) {
                w.write_record(&r).map_err(err)?;
            }
            w.flush().map_err(|e| io(tmp, e))
        }),
        "json" => {
            let text = serde_json::to_string_pretty(rep)
                .map_err(|e| Error::Request(format!("cannot write JSON: {e}")))?;
            atomic_write(path, protected, |tmp| {
                std::fs::write(tmp, text).map_err(|e| io(tmp, e))
            })
        }
        "xlsx" => atomic_write(path, protected, |tmp| {
            measures_xlsx(tmp, rep)
                .map_err(|e| Error::Request(format!("cannot write the workbook: {e}")))
        }),
        other => Err(Error::Request(format!(
            "unknown output format '.{other}': use .xlsx, .csv or .json"
        ))),
    }
}

fn measures_xlsx(
    path: &Path,
    rep: &crate::measures::MeasureReport,
) -> std::result::Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("measures")?;
    for (c, h) in MEASURE_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, 14)?;
    }
    let rows = measure_rows(rep);
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(x) if c >= 5 && !v.is_empty() => ws.write_number(r as u32 + 1, c as u16, x)?,
                _ => ws.write_string(r as u32 + 1, c as u16, v)?,
            };
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(
        0,
        0,
        rows.len().max(1) as u32,
        MEASURE_COLUMNS.len() as u16 - 1,
    )?;
    let ws = wb.add_worksheet().set_name("macc")?;
    let cols = [
        "measure",
        "name_en",
        "name_zh",
        "potential_co2e_t",
        "potential_apeq",
        "annual_cost_cny",
        "cny_per_t_co2e",
        "mac_adjusted",
    ];
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, 16)?;
    }
    for (r, s) in rep.macc.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, &s.measure)?;
        ws.write_string(r, 1, &s.name_en)?;
        ws.write_string(r, 2, &s.name_zh)?;
        ws.write_number(r, 3, num(s.potential_co2e))?;
        ws.write_number(r, 4, num(s.potential_apeq))?;
        ws.write_number(r, 5, num(s.annual_cost))?;
        ws.write_string(r, 6, opt(s.cost_per_t_co2e))?;
        ws.write_string(r, 7, opt(s.mac_adjusted))?;
    }
    ws.set_freeze_panes(1, 0)?;
    let ws = wb.add_worksheet().set_name("notes")?;
    ws.set_column_width(1, 120)?;
    let notes = [
        ("discount rate", rep.discount_rate.to_string()),
        ("lambda (EReq = APeq + λ·CO2e)", rep.lambda.to_string()),
        (
            "coordinate axes",
            format!("{}; {}", rep.coordinate_axes.0, rep.coordinate_axes.1),
        ),
        ("co-benefit valuation", rep.co_benefit_valuation.clone()),
        ("degree index", rep.degree_index.clone()),
        (
            "index weights (CO2e, air eq, water eq)",
            rep.index_weights
                .iter()
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "undefined",
            "unit costs are undefined (not negative) where the reduction is ≤ 0".to_string(),
        ),
    ];
    for (r, (k, v)) in notes.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, *k, &bold)?;
        ws.write_string(r as u32, 1, v)?;
    }
    wb.save(path)
}

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
    let years: Vec<i32> = (rep.base_year..=rep.end_year).collect();
    let model = format!("coreduce {}", env!("CARGO_PKG_VERSION"));
    let mut rows = Vec::new();
    let region_name = |p: &crate::roadmap::Point, level: &str| -> Option<String> {
        match level {
            "province" => Some("Sichuan".into()),
            "city" => sectors
                .cities
                .iter()
                .find(|c| c.id == p.city)
                .map(|c| format!("Sichuan|{}", c.name_en)),
            _ => sectors
                .regions
                .iter()
                .find(|r| r.id == p.region)
                .map(|r| format!("Sichuan|{}", r.name_en)),
        }
    };
    for sc in &rep.scenarios {
        // (region, variable, unit) → year → value
        let mut table: BTreeMap<(String, String, String), BTreeMap<i32, Decimal>> = BTreeMap::new();
        for p in &sc.points {
            for level in ["province", "region", "city"] {
                let Some(region) = region_name(p, level) else {
                    continue;
                };
                let sector = iamc_sector(&p.sector);
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
                    for variable in [var.clone(), format!("{var}|{sector}")] {
                        *table
                            .entry((region.clone(), variable, unit.clone()))
                            .or_default()
                            .entry(p.year)
                            .or_default() += *v;
                    }
                }
                for variable in [
                    "Cost|Co-reduction Measures|Industry".to_string(),
                    format!("Cost|Co-reduction Measures|Industry|{sector}"),
                ] {
                    *table
                        .entry((region.clone(), variable, "CNY/yr".into()))
                        .or_default()
                        .entry(p.year)
                        .or_default() += p.cost;
                }
            }
        }
        for ((region, variable, unit), by_year) in table {
            rows.push((
                model.clone(),
                sc.scenario.clone(),
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
    (years, rows)
}

/// Writes the IAMC table as CSV to a writer.
pub fn iamc_csv_to<W: std::io::Write>(
    rep: &crate::roadmap::RoadmapReport,
    sectors: &crate::graph::SectorLibrary,
    w: W,
) -> Result<()> {
    let (years, rows) = iamc_rows(rep, sectors);
    let mut out = csv::Writer::from_writer(w);
    let err = |e: csv::Error| Error::Request(format!("cannot write CSV: {e}"));
    let mut head: Vec<String> = ["Model", "Scenario", "Region", "Variable", "Unit"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    head.extend(years.iter().map(|y| y.to_string()));
    out.write_record(&head).map_err(err)?;
    for (m, s, r, v, u, vals) in rows {
        let mut rec = vec![m, neutralise(&s), r, v, u];
        rec.extend(vals.iter().map(|x| x.round_dp(6).normalize().to_string()));
        out.write_record(&rec).map_err(err)?;
    }
    out.flush()
        .map_err(|e| Error::Request(format!("cannot write CSV: {e}")))
}

/// Writes the roadmap outputs into a folder: roadmap.xlsx (tables and native
/// charts), iamc.csv, iamc.xlsx and roadmap.json.
pub fn write_roadmap(
    dir: &Path,
    rep: &crate::roadmap::RoadmapReport,
    macc: &[crate::measures::MaccStep],
    sectors: &crate::graph::SectorLibrary,
    protected: &[&Path],
) -> Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Io {
        path: dir.display().to_string(),
        source: e,
    })?;
    let io = |p: &Path, e| Error::Io {
        path: p.display().to_string(),
        source: e,
    };
    let mut written = Vec::new();
    let csv_path = dir.join("iamc.csv");
    atomic_write(&csv_path, protected, |tmp| {
        let f = std::fs::File::create(tmp).map_err(|e| io(tmp, e))?;
        iamc_csv_to(rep, sectors, std::io::BufWriter::new(f))
    })?;
    written.push(csv_path);
    let json_path = dir.join("roadmap.json");
    let text = serde_json::to_string_pretty(rep)
        .map_err(|e| Error::Request(format!("cannot write JSON: {e}")))?;
    atomic_write(&json_path, protected, |tmp| {
        std::fs::write(tmp, &text).map_err(|e| io(tmp, e))
    })?;
    written.push(json_path);
    let iamc_xlsx = dir.join("iamc.xlsx");
    atomic_write(&iamc_xlsx, protected, |tmp| {
        iamc_xlsx_file(tmp, rep, sectors)
            .map_err(|e| Error::Request(format!("cannot write the workbook: {e}")))
    })?;
    written.push(iamc_xlsx);
    let xlsx = dir.join("roadmap.xlsx");
    atomic_write(&xlsx, protected, |tmp| {
        roadmap_xlsx(tmp, rep, macc, sectors)
            .map_err(|e| Error::Request(format!("cannot write the workbook: {e}")))
    })?;
    written.push(xlsx);
    Ok(written)
}

fn write_iamc_sheet(
    ws: &mut rust_xlsxwriter::Worksheet,
    rep: &crate::roadmap::RoadmapReport,
    sectors: &crate::graph::SectorLibrary,
) -> std::result::Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let (years, rows) = iamc_rows(rep, sectors);
    for (c, h) in ["Model", "Scenario", "Region", "Variable", "Unit"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, y) in years.iter().enumerate() {
        ws.write_number_with_format(0, 5 + i as u16, *y, &bold)?;
    }
    for (r, (m, s, reg, v, u, vals)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, m)?;
        ws.write_string(r, 1, neutralise(s))?;
        ws.write_string(r, 2, reg)?;
        ws.write_string(r, 3, v)?;
        ws.write_string(r, 4, u)?;
        for (i, x) in vals.iter().enumerate() {
            ws.write_number(r, 5 + i as u16, num(*x))?;
        }
    }
    ws.set_column_width(3, 44)?;
    ws.set_freeze_panes(1, 5)?;
    ws.autofilter(0, 0, rows.len().max(1) as u32, 4)?;
    Ok(())
}

fn iamc_xlsx_file(
    path: &Path,
    rep: &crate::roadmap::RoadmapReport,
    sectors: &crate::graph::SectorLibrary,
) -> std::result::Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("data")?;
    write_iamc_sheet(ws, rep, sectors)?;
    wb.save(path)
}

fn roadmap_xlsx(
    path: &Path,
    rep: &crate::roadmap::RoadmapReport,
    macc: &[crate::measures::MaccStep],
    sectors: &crate::graph::SectorLibrary,
) -> std::result::Result<(), XlsxError> {
    use rust_xlsxwriter::{Chart, ChartType};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let years: Vec<i32> = (rep.base_year..=rep.end_year).collect();
    let n = years.len() as u32;
    // Province trajectories by scenario, one sheet per quantity, each with a line chart.
    for (sheet, key, title) in [
        ("CO2e", "CO2e", "CO2e (t/yr), Sichuan study"),
        ("SO2", "SO2", "SO2 (t/yr)"),
        ("NOx", "NOx", "NOx (t/yr)"),
        ("APeq", "APeq", "Air pollution equivalents (eq/yr)"),
    ] {
        let ws = wb.add_worksheet().set_name(sheet)?;
        ws.write_string_with_format(0, 0, "year", &bold)?;
        for (i, y) in years.iter().enumerate() {
            ws.write_number(i as u32 + 1, 0, *y)?;
        }
        let mut chart = Chart::new(ChartType::Line);
        chart.title().set_name(title);
        chart.x_axis().set_name("year");
        chart.y_axis().set_name(key);
        for (c, sc) in rep.scenarios.iter().enumerate() {
            let col = c as u16 + 1;
            ws.write_string_with_format(0, col, &sc.scenario, &bold)?;
            let s = crate::roadmap::series_of(&sc.points, key);
            for (i, y) in years.iter().enumerate() {
                let v = s.get(y).copied().unwrap_or_default();
                ws.write_number(i as u32 + 1, col, num(v))?;
            }
            chart
                .add_series()
                .set_categories((sheet, 1, 0, n, 0))
                .set_values((sheet, 1, col, n, col))
                .set_name((sheet, 0, col));
        }
        ws.insert_chart(1, rep.scenarios.len() as u16 + 2, &chart)?;
    }
    // CO2e by sector, stacked, per scenario.
    let sector_ids: Vec<String> = sectors.sectors.keys().cloned().collect();
    for sc in &rep.scenarios {
        let name: String = format!("sectors-{}", sc.scenario)
            .chars()
            .take(31)
            .collect();
        let ws = wb.add_worksheet().set_name(&name)?;
        ws.write_string_with_format(0, 0, "year", &bold)?;
        for (i, y) in years.iter().enumerate() {
            ws.write_number(i as u32 + 1, 0, *y)?;
        }
        let mut chart = Chart::new(ChartType::AreaStacked);
        let title = format!("CO2e by sector, {}", sc.scenario);
        chart.title().set_name(title.as_str());
        for (c, sec) in sector_ids.iter().enumerate() {
            let col = c as u16 + 1;
            ws.write_string_with_format(0, col, sec, &bold)?;
            let mut by_year: BTreeMap<i32, Decimal> = BTreeMap::new();
            for p in sc.points.iter().filter(|p| &p.sector == sec) {
                *by_year.entry(p.year).or_default() +=
                    p.totals.get("CO2e").copied().unwrap_or_default();
            }
            for (i, y) in years.iter().enumerate() {
                ws.write_number(
                    i as u32 + 1,
                    col,
                    num(by_year.get(y).copied().unwrap_or_default()),
                )?;
            }
            chart
                .add_series()
                .set_categories((name.as_str(), 1, 0, n, 0))
                .set_values((name.as_str(), 1, col, n, col))
                .set_name((name.as_str(), 0, col));
        }
        ws.insert_chart(1, sector_ids.len() as u16 + 2, &chart)?;
    }
    // Peak and targets.
    let ws = wb.add_worksheet().set_name("peak-targets")?;
    let heads = [
        "scenario",
        "peak year",
        "peak CO2e (t)",
        "plateau until",
        "peaked",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, sc) in rep.scenarios.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, &sc.scenario)?;
        if let Some(p) = &sc.peak {
            ws.write_number(r, 1, p.year)?;
            ws.write_number(r, 2, num(p.value))?;
            ws.write_number(r, 3, p.plateau_until)?;
            ws.write_boolean(r, 4, p.peaked)?;
        }
    }
    let start = rep.scenarios.len() as u32 + 3;
    let heads = [
        "target",
        "scenario",
        "year",
        "cap",
        "value in year",
        "met in year",
        "met from",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(start, c as u16, *h, &bold)?;
    }
    let mut r = start + 1;
    for sc in &rep.scenarios {
        for a in &sc.attainment {
            ws.write_string(r, 0, &a.target)?;
            ws.write_string(r, 1, &a.scenario)?;
            ws.write_number(r, 2, a.year)?;
            ws.write_number(r, 3, num(a.cap))?;
            ws.write_number(r, 4, num(a.value_in_year))?;
            ws.write_boolean(r, 5, a.met_in_year)?;
            if let Some(y) = a.met_from {
                ws.write_number(r, 6, y)?;
            }
            r += 1;
        }
    }
    ws.set_column_width(0, 24)?;
    // Least cost.
    if let Some(lc) = &rep.least_cost {
        let ws = wb.add_worksheet().set_name("least-cost")?;
        ws.write_string_with_format(0, 0, "status", &bold)?;
        ws.write_string(0, 1, &lc.status)?;
        ws.write_string_with_format(1, 0, "total annualised cost (CNY)", &bold)?;
        ws.write_number(1, 1, num(lc.total_cost))?;
        ws.write_string_with_format(2, 0, "method", &bold)?;
        ws.write_string(2, 1, &lc.method)?;
        let mut r = 4;
        for e in &lc.explanations {
            ws.write_string(r, 0, e)?;
            r += 1;
        }
        ws.write_string_with_format(r, 0, "target", &bold)?;
        ws.write_string_with_format(r, 1, "year", &bold)?;
        ws.write_string_with_format(r, 2, "marginal cost (CNY per t)", &bold)?;
        ws.write_string_with_format(r, 3, "binding", &bold)?;
        r += 1;
        for p in &lc.prices {
            ws.write_string(r, 0, &p.target)?;
            ws.write_number(r, 1, p.year)?;
            ws.write_number(r, 2, num(p.marginal_cost))?;
            ws.write_boolean(r, 3, p.binding)?;
            r += 1;
        }
        r += 1;
        ws.write_string_with_format(r, 0, "measure", &bold)?;
        let dep_years: BTreeSet<i32> = lc.points.values().flat_map(|p| p.keys().copied()).collect();
        for (i, y) in dep_years.iter().enumerate() {
            ws.write_number_with_format(r, 1 + i as u16, *y, &bold)?;
        }
        r += 1;
        for (m, p) in &lc.points {
            ws.write_string(r, 0, m)?;
            for (i, y) in dep_years.iter().enumerate() {
                ws.write_number(r, 1 + i as u16, num(p.get(y).copied().unwrap_or_default()))?;
            }
            r += 1;
        }
        ws.set_column_width(0, 40)?;
    }
    // MACC of the base year.
    let ws = wb.add_worksheet().set_name("macc")?;
    for (c, h) in [
        "measure",
        "potential CO2e (t/yr)",
        "CNY per t CO2e",
        "co-benefit-adjusted MAC",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let shown: Vec<&crate::measures::MaccStep> = macc
        .iter()
        .filter(|s| s.cost_per_t_co2e.is_some())
        .collect();
    for (i, s) in shown.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &s.measure)?;
        ws.write_number(r, 1, num(s.potential_co2e))?;
        ws.write_number(r, 2, num(s.cost_per_t_co2e.unwrap_or_default()))?;
        ws.write_number(r, 3, num(s.mac_adjusted.unwrap_or_default()))?;
    }
    if !shown.is_empty() {
        let m = shown.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .title()
            .set_name("MACC (base year): CNY per t CO2e, plain and co-benefit-adjusted");
        chart
            .add_series()
            .set_categories(("macc", 1, 0, m, 0))
            .set_values(("macc", 1, 2, m, 2))
            .set_name("plain");
        chart
            .add_series()
            .set_categories(("macc", 1, 0, m, 0))
            .set_values(("macc", 1, 3, m, 3))
            .set_name("co-benefit-adjusted");
        ws.insert_chart(1, 5, &chart)?;
    }
    ws.set_column_width(0, 30)?;
    let ws = wb.add_worksheet().set_name("iamc")?;
    write_iamc_sheet(ws, rep, sectors)?;
    wb.save(path)
}
