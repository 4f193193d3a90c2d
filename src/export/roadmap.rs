//! The roadmap out: the IAMC table (CSV and xlsx, wide by year), roadmap.xlsx
//! with tables and native charts, and roadmap.json.

use super::{num, WriteText};
use crate::error::{Error, Result};
use crate::output::{atomic_write, neutralise};
use crate::text::Lang;
use crate::tr;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::collections::{BTreeMap, BTreeSet};
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
            for region in regions_of(p, sectors) {
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

/// The regions a point counts in: the province, its economic region, its
/// city and, where the study named one, its county.
fn regions_of(p: &crate::roadmap::Point, sectors: &crate::graph::SectorLibrary) -> Vec<String> {
    let region_name = |p: &crate::roadmap::Point, level: &str| -> Option<String> {
        match level {
            "province" => Some("Sichuan".into()),
            "city" => sectors
                .cities
                .iter()
                .find(|c| c.id == p.city)
                .map(|c| format!("Sichuan|{}", c.name_en)),
            // a level below the city, where the study named a county
            "county" => sectors
                .counties
                .iter()
                .find(|c| !p.county.is_empty() && c.name == p.county && c.prefecture == p.city)
                .and_then(|c| {
                    let city = sectors.cities.iter().find(|x| x.id == p.city)?;
                    Some(format!("Sichuan|{}|{}", city.name_en, c.pinyin))
                }),
            _ => sectors
                .regions
                .iter()
                .find(|r| r.id == p.region)
                .map(|r| format!("Sichuan|{}", r.name_en)),
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

/// Writes the roadmap outputs into a folder: roadmap.xlsx (tables and native
/// charts), iamc.csv, iamc.xlsx and roadmap.json.
pub fn write_roadmap(
    dir: &Path,
    rep: &crate::roadmap::RoadmapReport,
    macc: &[crate::measures::MaccStep],
    sectors: &crate::graph::SectorLibrary,
    protected: &[&Path],
    lang: Lang,
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
        iamc_common_csv_to(rep, sectors, std::io::BufWriter::new(f))
    })?;
    written.push(csv_path);
    let own_path = dir.join("iamc-coreduce.csv");
    atomic_write(&own_path, protected, |tmp| {
        let f = std::fs::File::create(tmp).map_err(|e| io(tmp, e))?;
        iamc_csv_to(rep, sectors, std::io::BufWriter::new(f))
    })?;
    written.push(own_path);
    let json_path = dir.join("roadmap.json");
    let text = serde_json::to_string_pretty(rep)
        .map_err(|e| Error::request(tr!("cannot write JSON: {e}", "无法写入 JSON：{e}")))?;
    atomic_write(&json_path, protected, |tmp| {
        std::fs::write(tmp, &text).map_err(|e| io(tmp, e))
    })?;
    written.push(json_path);
    let iamc_xlsx = dir.join("iamc.xlsx");
    atomic_write(&iamc_xlsx, protected, |tmp| {
        iamc_xlsx_file(tmp, rep, sectors).map_err(|e| {
            Error::request(tr!("cannot write the workbook: {e}", "无法写入工作簿：{e}"))
        })
    })?;
    written.push(iamc_xlsx);
    let xlsx = dir.join("roadmap.xlsx");
    atomic_write(&xlsx, protected, |tmp| {
        roadmap_xlsx(tmp, rep, macc, sectors, lang).map_err(|e| {
            Error::request(tr!("cannot write the workbook: {e}", "无法写入工作簿：{e}"))
        })
    })?;
    written.push(xlsx);
    Ok(written)
}

fn write_iamc_sheet(
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

fn iamc_xlsx_file(
    path: &Path,
    rep: &crate::roadmap::RoadmapReport,
    sectors: &crate::graph::SectorLibrary,
) -> std::result::Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("data")?;
    write_iamc_sheet(ws, iamc_common_rows(rep, sectors))?;
    wb.save(path)
}

/// The sheets of roadmap.xlsx with fixed names.
const FIXED_SHEETS: [&str; 8] = [
    "CO2e",
    "SO2",
    "NOx",
    "APeq",
    "peak-targets",
    "least-cost",
    "macc",
    "iamc",
];

/// Sheet names `sectors-<scenario>` that Excel accepts, one per scenario in
/// order: the characters `: / \ [ ] * ?` (and apostrophes, which may not
/// start or end a name) become `_`, names are cut to 31 characters, and a name
/// equal to an earlier one or to a fixed sheet (Excel compares without case)
/// gets a suffix `~2`, `~3`, … within the 31 characters. The scenario's real
/// name stays in the sheet's title cell and chart title.
pub fn scenario_sheet_names<'a>(
    scenarios: impl Iterator<Item = &'a str>,
    fixed: &[&str],
) -> Vec<String> {
    const MAX: usize = 31;
    let mut taken: BTreeSet<String> = fixed.iter().map(|s| s.to_lowercase()).collect();
    let mut out = Vec::new();
    for sc in scenarios {
        let clean: String = format!("sectors-{sc}")
            .chars()
            .map(|c| match c {
                ':' | '/' | '\\' | '[' | ']' | '*' | '?' | '\'' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect();
        let base: String = clean.chars().take(MAX).collect();
        let mut name = base.clone();
        let mut k = 2;
        while taken.contains(&name.to_lowercase()) || name.to_lowercase() == "history" {
            let suffix = format!("~{k}");
            let stem: String = base.chars().take(MAX - suffix.chars().count()).collect();
            name = format!("{stem}{suffix}");
            k += 1;
        }
        taken.insert(name.to_lowercase());
        out.push(name);
    }
    out
}

fn roadmap_xlsx(
    path: &Path,
    rep: &crate::roadmap::RoadmapReport,
    macc: &[crate::measures::MaccStep],
    sectors: &crate::graph::SectorLibrary,
    lang: Lang,
) -> std::result::Result<(), XlsxError> {
    use rust_xlsxwriter::{Chart, ChartType};
    // Headers and chart titles in the study's language; sheet names stay
    // English (scripts and the IAMC sheet read them).
    let l = |en: &'static str, zh: &'static str| if lang == Lang::Zh { zh } else { en };
    // A scenario as the user wrote it (the key of their scenarios sheet); in
    // Chinese, its name there.
    let shown_scenario = |id: &str, kind: &str| match lang {
        Lang::Zh => crate::roadmap::scenario_name(id, kind)
            .get(lang)
            .to_string(),
        Lang::En => id.to_string(),
    };
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let years: Vec<i32> = (rep.base_year..=rep.end_year).collect();
    let n = years.len() as u32;
    // Province trajectories by scenario, one sheet per quantity, each with a line chart.
    // Every chart is titled with the user's study, never a fixed name.
    for (sheet, key, what) in [
        ("CO2e", "CO2e", l("CO2e (t/yr)", "CO2e（吨/年）")),
        ("SO2", "SO2", l("SO2 (t/yr)", "SO2（吨/年）")),
        ("NOx", "NOx", l("NOx (t/yr)", "NOx（吨/年）")),
        (
            "APeq",
            "APeq",
            l(
                "Air pollution equivalents (eq/yr)",
                "大气污染当量（当量/年）",
            ),
        ),
    ] {
        let title = format!("{what}{}{}", l(", ", "，"), rep.study);
        let ws = wb.add_worksheet().set_name(sheet)?;
        ws.write_text_with_format(0, 0, l("year", "年份"), &bold)?;
        for (i, y) in years.iter().enumerate() {
            ws.write_number(i as u32 + 1, 0, *y)?;
        }
        let mut chart = Chart::new(ChartType::Line);
        chart.title().set_name(&title);
        chart.x_axis().set_name(l("year", "年份"));
        chart.y_axis().set_name(key);
        for (c, sc) in rep.scenarios.iter().enumerate() {
            let col = c as u16 + 1;
            ws.write_text_with_format(0, col, shown_scenario(&sc.scenario, &sc.kind), &bold)?;
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
    let names = scenario_sheet_names(
        rep.scenarios.iter().map(|sc| sc.scenario.as_str()),
        &FIXED_SHEETS,
    );
    for (sc, name) in rep.scenarios.iter().zip(names) {
        let ws = wb.add_worksheet().set_name(&name)?;
        ws.write_text_with_format(0, 0, l("year", "年份"), &bold)?;
        for (i, y) in years.iter().enumerate() {
            ws.write_number(i as u32 + 1, 0, *y)?;
        }
        let mut chart = Chart::new(ChartType::AreaStacked);
        let scenario = shown_scenario(&sc.scenario, &sc.kind);
        let title = match lang {
            Lang::Zh => format!("分行业 CO2e，{scenario}"),
            Lang::En => format!("CO2e by sector, {scenario}"),
        };
        chart.title().set_name(title.as_str());
        for (c, sec) in sector_ids.iter().enumerate() {
            let col = c as u16 + 1;
            let sector_name = match (lang, sectors.sectors.get(sec)) {
                (Lang::Zh, Some(s)) if !s.name_zh.is_empty() => s.name_zh.as_str(),
                _ => sec.as_str(),
            };
            ws.write_text_with_format(0, col, sector_name, &bold)?;
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
        // The scenario's own name, whatever the sheet name had to become.
        let title_col = sector_ids.len() as u16 + 2;
        ws.write_text_with_format(
            0,
            title_col,
            format!("{}{scenario}", l("scenario: ", "情景：")),
            &bold,
        )?;
        ws.insert_chart(1, title_col, &chart)?;
    }
    // Peak and targets.
    let ws = wb.add_worksheet().set_name("peak-targets")?;
    let heads = [
        l("scenario", "情景"),
        l("peak year", "达峰年"),
        l("peak CO2e (t)", "峰值 CO2e（吨）"),
        l("plateau until", "平台期至"),
        l("peaked", "已达峰"),
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_text_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, sc) in rep.scenarios.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_text(r, 0, &sc.scenario)?;
        if let Some(p) = &sc.peak {
            ws.write_number(r, 1, p.year)?;
            ws.write_number(r, 2, num(p.value))?;
            ws.write_number(r, 3, p.plateau_until)?;
            ws.write_boolean(r, 4, p.peaked)?;
        }
    }
    let start = rep.scenarios.len() as u32 + 3;
    let heads = [
        l(l("target", "目标"), "目标"),
        l("scenario", "情景"),
        l("year", "年份"),
        l("cap", "上限"),
        l("value in year", "当年数值"),
        l("met in year", "当年达成"),
        l("met from", "自该年起达成"),
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_text_with_format(start, c as u16, *h, &bold)?;
    }
    let mut r = start + 1;
    for sc in &rep.scenarios {
        for a in &sc.attainment {
            ws.write_text(r, 0, &a.target)?;
            ws.write_text(r, 1, &a.scenario)?;
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
        ws.write_text_with_format(0, 0, l("status", "求解状态"), &bold)?;
        ws.write_text(0, 1, &lc.status)?;
        ws.write_text_with_format(
            1,
            0,
            l(
                "net present value of annualised costs (CNY, base year)",
                "年化成本净现值（元，基准年价）",
            ),
            &bold,
        )?;
        ws.write_number(1, 1, num(lc.total_cost))?;
        ws.write_text_with_format(2, 0, l("method", "方法"), &bold)?;
        ws.write_text(2, 1, &lc.method)?;
        let mut r = 4;
        for e in &lc.explanations {
            ws.write_text(r, 0, e.get(lang))?;
            r += 1;
        }
        ws.write_text_with_format(r, 0, l(l("target", "目标"), "目标"), &bold)?;
        ws.write_text_with_format(r, 1, l("year", "年份"), &bold)?;
        ws.write_text_with_format(
            r,
            2,
            l("marginal cost (CNY per t a year)", "边际成本（元/吨·年）"),
            &bold,
        )?;
        ws.write_text_with_format(r, 3, l("binding", "紧约束"), &bold)?;
        ws.write_text_with_format(r, 4, l("holds until", "有效至"), &bold)?;
        ws.write_text_with_format(
            r,
            5,
            l("dual, present value (CNY per t)", "对偶值现值（元/吨）"),
            &bold,
        )?;
        ws.write_text_with_format(
            r,
            6,
            l("lowest unit cost (CNY per t)", "最低单位成本（元/吨）"),
            &bold,
        )?;
        ws.write_text_with_format(
            r,
            7,
            l("highest unit cost (CNY per t)", "最高单位成本（元/吨）"),
            &bold,
        )?;
        ws.write_text_with_format(r, 8, l("note", "说明"), &bold)?;
        r += 1;
        for p in &lc.prices {
            ws.write_text(r, 0, &p.target)?;
            ws.write_number(r, 1, p.year)?;
            ws.write_number(r, 2, num(p.marginal_cost))?;
            ws.write_boolean(r, 3, p.binding)?;
            ws.write_number(r, 4, p.holds_until)?;
            ws.write_number(r, 5, num(p.shadow_price_pv))?;
            if let Some(v) = p.unit_cost_low {
                ws.write_number(r, 6, num(v))?;
            }
            if let Some(v) = p.unit_cost_high {
                ws.write_number(r, 7, num(v))?;
            }
            ws.write_text(r, 8, p.note.get(lang))?;
            r += 1;
        }
        r += 1;
        ws.write_text_with_format(r, 0, l(l("measure", "措施"), "措施"), &bold)?;
        let dep_years: BTreeSet<i32> = lc.points.values().flat_map(|p| p.keys().copied()).collect();
        for (i, y) in dep_years.iter().enumerate() {
            ws.write_number_with_format(r, 1 + i as u16, *y, &bold)?;
        }
        r += 1;
        for (m, p) in &lc.points {
            ws.write_text(r, 0, m)?;
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
        l(l("measure", "措施"), "措施"),
        l("potential CO2e (t/yr)", "CO2e 减排潜力（吨/年）"),
        l("CNY per t CO2e", "单位 CO2e 减排成本（元/吨）"),
        l("co-benefit-adjusted MAC", "计入协同效益的边际减排成本"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_text_with_format(0, c as u16, *h, &bold)?;
    }
    let shown: Vec<&crate::measures::MaccStep> = macc
        .iter()
        .filter(|s| s.cost_per_t_co2e.is_some())
        .collect();
    for (i, s) in shown.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_text(r, 0, &s.measure)?;
        ws.write_number(r, 1, num(s.potential_co2e))?;
        ws.write_number(r, 2, num(s.cost_per_t_co2e.unwrap_or_default()))?;
        ws.write_number(r, 3, num(s.mac_adjusted.unwrap_or_default()))?;
    }
    if !shown.is_empty() {
        let m = shown.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name(l(
            "MACC (base year): CNY per t CO2e, plain and co-benefit-adjusted",
            "边际减排成本曲线（基准年）：单位 CO2e 减排成本，未计入与计入协同效益",
        ));
        chart
            .add_series()
            .set_categories(("macc", 1, 0, m, 0))
            .set_values(("macc", 1, 2, m, 2))
            .set_name(l("plain", "未计入协同效益"));
        chart
            .add_series()
            .set_categories(("macc", 1, 0, m, 0))
            .set_values(("macc", 1, 3, m, 3))
            .set_name(l("co-benefit-adjusted", "计入协同效益"));
        ws.insert_chart(1, 5, &chart)?;
    }
    ws.set_column_width(0, 30)?;
    let ws = wb.add_worksheet().set_name("iamc")?;
    write_iamc_sheet(ws, iamc_rows(rep, sectors))?;
    wb.save(path)
}

/// Writes the roadmap's Monte Carlo: `roadmap-odds.csv` (the probability of
/// each target by scenario) and `roadmap-fans.csv` (percentiles of the
/// province totals by scenario, substance and year), and both in
/// `roadmap-uncertainty.json`.
pub fn write_roadmap_odds(
    dir: &Path,
    odds: &crate::uncertainty::roadmap::RoadmapOdds,
    protected: &[&Path],
) -> Result<Vec<std::path::PathBuf>> {
    let io = |p: &Path, e| Error::Io {
        path: p.display().to_string(),
        source: e,
    };
    let mut written = Vec::new();
    let path = dir.join("roadmap-odds.csv");
    write_csv_table(
        &path,
        protected,
        &[
            "scenario",
            "target",
            "substance",
            "year",
            "cap",
            "probability",
            "median",
        ],
        odds.odds.iter().map(|o| {
            vec![
                neutralise(&o.scenario),
                neutralise(&o.target),
                neutralise(&o.substance),
                o.year.to_string(),
                o.cap.to_string(),
                format!("{:.4}", o.probability),
                format!("{:.1}", o.median),
            ]
        }),
    )?;
    written.push(path);
    let path = dir.join("roadmap-fans.csv");
    write_csv_table(
        &path,
        protected,
        &[
            "scenario",
            "substance",
            "year",
            "p2.5",
            "p25",
            "p50",
            "p75",
            "p97.5",
        ],
        odds.fans.iter().map(|p| {
            vec![
                neutralise(&p.scenario),
                neutralise(&p.substance),
                p.year.to_string(),
                format!("{:.1}", p.p2_5),
                format!("{:.1}", p.p25),
                format!("{:.1}", p.p50),
                format!("{:.1}", p.p75),
                format!("{:.1}", p.p97_5),
            ]
        }),
    )?;
    written.push(path);
    let path = dir.join("roadmap-uncertainty.json");
    atomic_write(&path, protected, |tmp| {
        let f = std::fs::File::create(tmp).map_err(|e| io(tmp, e))?;
        serde_json::to_writer_pretty(std::io::BufWriter::new(f), odds).map_err(|e| {
            let path = tmp.display();
            Error::request(tr!("{path}: {e}", "{path}：无法写入（{e}）"))
        })
    })?;
    written.push(path);
    Ok(written)
}

/// Writes a small CSV table atomically: a header and rows of text.
fn write_csv_table(
    path: &Path,
    protected: &[&Path],
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    atomic_write(path, protected, |tmp| {
        let err = |e: csv::Error| super::write_error(path, "CSV", e);
        let mut w = csv::Writer::from_path(tmp).map_err(err)?;
        w.write_record(header).map_err(err)?;
        for r in rows {
            w.write_record(&r).map_err(err)?;
        }
        w.flush().map_err(|e| super::write_error(path, "CSV", e))
    })
}
