//! `coreduce template`: a blank study workbook (workbook v1) with an
//! instructions sheet, header notes, drop-down validation for sector, city,
//! item and unit, and example rows that read back cleanly.

use crate::error::{Error, Result};
use crate::graph::items::item_examples;
use crate::graph::SectorLibrary;
use crate::tr;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, Formula, Note, Workbook, Worksheet, XlsxError,
};
use std::path::Path;

/// The language of sheet names, headers and instructions.
pub use crate::text::Lang;

fn xl(e: XlsxError) -> Error {
    Error::request(tr!("cannot write the workbook: {e}", "无法写入工作簿：{e}"))
}

struct Names {
    settings: &'static str,
    facilities: &'static str,
    activity: &'static str,
    factors: &'static str,
    instructions: &'static str,
}

fn names(lang: Lang) -> Names {
    match lang {
        Lang::En => Names {
            settings: "settings",
            facilities: "facilities",
            activity: "activity",
            factors: "factors",
            instructions: "instructions",
        },
        Lang::Zh => Names {
            settings: "设置",
            facilities: "设施",
            activity: "活动数据",
            factors: "因子",
            instructions: "说明",
        },
    }
}

/// Example facility-years per sector: (id, name, sector, technology, city, rows).
type Example = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, f64, &'static str, &'static str)],
);

const EXAMPLES: &[Example] = &[
    (
        "AL-GY-01",
        "Guangyuan smelter (example)",
        "aluminium",
        "cwpb",
        "guangyuan",
        &[
            ("output", 200000.0, "t", "liquid aluminium"),
            ("electricity.purchased", 2670000.0, "MWh", "13 350 kWh/t"),
            ("fuel.natural_gas", 1388.0, "10^4 Nm3", ""),
            ("anode.net_consumption", 84000.0, "t", "0.42 t/t"),
            ("pfc.aem", 0.15, "AEM", "anode-effect minutes per cell-day"),
        ],
    ),
    (
        "BJ-YB-01",
        "Yibin distillery (example)",
        "baijiu",
        "gas_boiler",
        "yibin",
        &[
            ("output", 10000.0, "t", "t of 65 % vol base liquor"),
            ("fuel.natural_gas", 616.0, "万Nm3", ""),
            ("electricity.purchased", 3000.0, "MWh", ""),
            ("wastewater.cod_removed", 1275.0, "t", "anaerobic stage"),
            ("discharge.cod", 20.0, "t", ""),
        ],
    ),
    (
        "TB-LS-01",
        "Liangshan curing station (example)",
        "tobacco",
        "coal_bulk_barn",
        "liangshan",
        &[
            ("output", 500.0, "t", "cured leaf"),
            ("fuel.raw_coal", 875.0, "t", ""),
            ("fuel.raw_coal.sulfur", 1.5, "%", ""),
            ("electricity.purchased", 200.0, "MWh", ""),
        ],
    ),
    (
        "CE-JJ-01",
        "Jiajiang tile plant (example)",
        "ceramics",
        "roller_kiln_coal_spray",
        "leshan",
        &[
            ("output", 10000000.0, "m2", ""),
            ("fuel.natural_gas@kiln", 706.0, "10^4 Nm3", ""),
            ("fuel.bituminous_coal@spray_dryer", 16400.0, "t", ""),
            ("electricity.purchased", 61000.0, "MWh", ""),
            ("carbonate.caco3", 4800.0, "t", ""),
            ("control.SO2.efficiency", 85.0, "%", "FGD"),
        ],
    ),
];

const UNITS: &[&str] = &[
    "t",
    "kg",
    "万t",
    "m2",
    "万m2",
    "MWh",
    "kWh",
    "万kWh",
    "GJ",
    "tce",
    "Nm3",
    "10^4 Nm3",
    "万Nm3",
    "%",
    "fraction",
    "AEM",
    "GJ/t",
    "GJ/10^4 Nm3",
    "tC/TJ",
    "t/t",
    "kL",
];

fn header(
    ws: &mut Worksheet,
    cols: &[(&str, &str, f64)],
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    for (c, (name, note, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, bold)?;
        ws.set_column_width(c as u16, *width)?;
        if !note.is_empty() {
            ws.insert_note(0, c as u16, &Note::new(*note).set_author("coreduce"))?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes the template to `path` (atomically; an existing file is not replaced
/// unless `force`).
pub fn write_template(
    path: &Path,
    lang: Lang,
    sector: Option<&str>,
    sectors: &SectorLibrary,
    force: bool,
) -> Result<()> {
    if path.exists() && !force {
        let shown = path.display();
        return Err(Error::request(tr!(
            "'{shown}' exists: choose another --out, or pass --force to replace it",
            "“{shown}”已存在：请另选 --out，或加上 --force 以替换该文件"
        )));
    }
    let sector = match sector {
        Some(s) => Some(sectors.get(s).map_err(Error::request)?.id.clone()),
        None => None,
    };
    crate::output::atomic_write(path, &[], |tmp| {
        build(tmp, lang, sector.as_deref(), sectors).map_err(xl)
    })
}

fn build(
    path: &Path,
    lang: Lang,
    only: Option<&str>,
    sectors: &SectorLibrary,
) -> std::result::Result<(), XlsxError> {
    let n = names(lang);
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    write_instructions(&mut wb, n.instructions, lang, sectors, &bold)?;
    write_settings(&mut wb, n.settings, lang, &bold)?;
    let lists = write_lists(&mut wb, sectors)?;
    let examples: Vec<&Example> = EXAMPLES
        .iter()
        .filter(|e| only.is_none_or(|s| s == e.2))
        .collect();
    write_facilities(&mut wb, n.facilities, lang, &examples, &lists, &bold)?;
    write_activity(&mut wb, n.activity, lang, &examples, &lists, &bold)?;
    write_factors(&mut wb, n.factors, lang, &bold)?;
    wb.save(path)
}

/// The instructions sheet: a bold title, then wrapped lines.
fn write_instructions(
    wb: &mut Workbook,
    name: &str,
    lang: Lang,
    sectors: &SectorLibrary,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    let wrap = Format::new().set_text_wrap();
    let ws = wb.add_worksheet().set_name(name)?;
    ws.set_column_width(0, 110)?;
    let lines = instructions(lang, sectors);
    for (r, line) in lines.iter().enumerate() {
        if r == 0 {
            ws.write_string_with_format(r as u32, 0, line, bold)?;
        } else {
            ws.write_string_with_format(r as u32, 0, line, &wrap)?;
        }
    }
    Ok(())
}

/// The settings sheet, with the example study's settings.
fn write_settings(
    wb: &mut Workbook,
    name: &str,
    lang: Lang,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    let zh = lang == Lang::Zh;
    let ws = wb.add_worksheet().set_name(name)?;
    header(
        ws,
        &[
            (
                if zh { "键" } else { "key" },
                "study, base_year, gwp, grid_factor, view, language, edition.<sector>",
                22.0,
            ),
            (if zh { "值" } else { "value" }, "", 28.0),
            (
                if zh { "单位" } else { "unit" },
                "only for a numeric grid_factor, e.g. tCO2/MWh",
                14.0,
            ),
        ],
        bold,
    )?;
    let settings: &[(&str, &str)] = &[
        (
            "study",
            if zh {
                "四川减污降碳示例"
            } else {
                "Sichuan co-reduction example"
            },
        ),
        ("base_year", "2022"),
        ("gwp", "AR5"),
        ("grid_factor", "grid.sc.avg"),
        ("scope2", "location"),
        ("view", "footprint"),
        ("language", if zh { "zh" } else { "en" }),
    ];
    for (r, (k, v)) in settings.iter().enumerate() {
        ws.write_string(r as u32 + 1, 0, *k)?;
        ws.write_string(r as u32 + 1, 1, *v)?;
    }
    Ok(())
}

/// How long each drop-down list of the hidden `lists` sheet is (columns A
/// sector, B city, C technology, D unit, E item).
struct Lists {
    sectors: usize,
    cities: usize,
    techs: usize,
    items: usize,
}

/// The hidden `lists` sheet the drop-downs read from.
fn write_lists(
    wb: &mut Workbook,
    sectors: &SectorLibrary,
) -> std::result::Result<Lists, XlsxError> {
    let fuels = sectors.fuel_ids();
    let items = item_examples(&fuels);
    let sector_ids: Vec<&str> = sectors.sectors.keys().map(String::as_str).collect();
    let cities: Vec<&str> = sectors.cities.iter().map(|c| c.id.as_str()).collect();
    let techs: Vec<&str> = sectors
        .sectors
        .values()
        .flat_map(|s| s.technologies.iter().map(|t| t.id.as_str()))
        .collect();
    let ws = wb.add_worksheet().set_name("lists")?;
    for (c, (title, list)) in [
        ("sector", &sector_ids),
        ("city", &cities),
        ("technology", &techs),
        ("unit", &UNITS.to_vec()),
        (
            "item",
            &items.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *title)?;
        for (r, v) in list.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v)?;
        }
    }
    ws.set_hidden(true);
    Ok(Lists {
        sectors: sector_ids.len(),
        cities: cities.len(),
        techs: techs.len(),
        items: items.len(),
    })
}

/// The formula of column `col` of the `lists` sheet, `len` entries long.
fn list_ref(col: &str, len: usize) -> Formula {
    Formula::new(format!("=lists!${col}$2:${col}${}", len + 1))
}

/// A drop-down from a list of the `lists` sheet over one column; a warning,
/// not a stop, when a cell holds something else.
fn drop_down(
    ws: &mut Worksheet,
    col: u16,
    last_row: u32,
    list: Formula,
) -> std::result::Result<(), XlsxError> {
    ws.add_data_validation(
        1,
        col,
        last_row,
        col,
        &DataValidation::new()
            .allow_list_formula(list)
            .set_error_style(DataValidationErrorStyle::Warning),
    )?;
    Ok(())
}

/// The facilities sheet: the example facilities, with drop-downs for
/// sector, city and technology.
fn write_facilities(
    wb: &mut Workbook,
    name: &str,
    lang: Lang,
    examples: &[&Example],
    lists: &Lists,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    let zh = lang == Lang::Zh;
    let ws = wb.add_worksheet().set_name(name)?;
    header(
        ws,
        &[
            (if zh { "设施编号" } else { "facility_id" }, "unique id used in the activity sheet", 14.0),
            (if zh { "名称" } else { "name" }, "", 30.0),
            (if zh { "行业" } else { "sector" }, "baijiu, aluminium, tobacco or ceramics (白酒, 电解铝, 烤烟, 陶瓷)", 12.0),
            (if zh { "技术" } else { "technology" }, "sub-type where formulas differ, e.g. cwpb, roller_kiln_coal_spray, coal_bulk_barn, gas_boiler", 24.0),
            (if zh { "城市" } else { "city" }, "one of Sichuan's 21 prefecture-level cities", 12.0),
            (if zh { "产能" } else { "capacity" }, "", 12.0),
            (if zh { "产能单位" } else { "capacity_unit" }, "", 12.0),
        ],
        bold,
    )?;
    for (r, e) in examples.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, e.0)?;
        ws.write_string(r, 1, e.1)?;
        ws.write_string(r, 2, e.2)?;
        ws.write_string(r, 3, e.3)?;
        ws.write_string(r, 4, e.4)?;
    }
    // Warnings, not stops: counties, Chinese names and words are accepted.
    drop_down(ws, 2, 1000, list_ref("A", lists.sectors))?;
    drop_down(ws, 4, 1000, list_ref("B", lists.cities))?;
    drop_down(ws, 3, 1000, list_ref("C", lists.techs))?;
    ws.autofilter(0, 0, examples.len() as u32, 6)?;
    Ok(())
}

/// The activity sheet: the example facilities' rows for 2022, with
/// drop-downs for item and unit.
fn write_activity(
    wb: &mut Workbook,
    name: &str,
    lang: Lang,
    examples: &[&Example],
    lists: &Lists,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    let zh = lang == Lang::Zh;
    let ws = wb.add_worksheet().set_name(name)?;
    header(
        ws,
        &[
            (if zh { "设施编号" } else { "facility_id" }, "", 14.0),
            (if zh { "年份" } else { "year" }, "", 8.0),
            (if zh { "项目" } else { "item" }, "output, fuel.<f>, electricity.purchased, … ; add @process to attribute to a process (fuel.natural_gas@kiln)", 34.0),
            (if zh { "数值" } else { "value" }, "a number, or text such as 1,234.5 or 2%", 14.0),
            (if zh { "单位" } else { "unit" }, "t, 万t, MWh, 万kWh, 10^4 Nm3, 万Nm3, m2, %, …", 12.0),
            (if zh { "备注" } else { "note" }, "", 30.0),
        ],
        bold,
    )?;
    let mut r = 1u32;
    for e in examples {
        for (item, value, unit, note) in e.5 {
            ws.write_string(r, 0, e.0)?;
            ws.write_number(r, 1, 2022.0)?;
            ws.write_string(r, 2, *item)?;
            ws.write_number(r, 3, *value)?;
            ws.write_string(r, 4, *unit)?;
            ws.write_string(r, 5, *note)?;
            r += 1;
        }
    }
    drop_down(ws, 2, 100000, list_ref("E", lists.items))?;
    drop_down(ws, 4, 100000, list_ref("D", UNITS.len()))?;
    ws.autofilter(0, 0, r.saturating_sub(1).max(1), 5)?;
    Ok(())
}

/// The factors sheet (overrides of library factors): headers only.
fn write_factors(
    wb: &mut Workbook,
    name: &str,
    lang: Lang,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    let zh = lang == Lang::Zh;
    let ws = wb.add_worksheet().set_name(name)?;
    header(
        ws,
        &[
            (
                if zh { "因子编号" } else { "factor_id" },
                "an id from `coreduce factors list`",
                36.0,
            ),
            (if zh { "数值" } else { "value" }, "", 14.0),
            (
                if zh { "单位" } else { "unit" },
                "same dimensions as the library factor",
                14.0,
            ),
            (
                if zh { "来源" } else { "source" },
                "where your value comes from (shown in every output)",
                40.0,
            ),
        ],
        bold,
    )
}

fn instructions(lang: Lang, sectors: &SectorLibrary) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let mut v = vec![if zh {
        "coreduce 研究工作簿 v1 — 填表说明".to_string()
    } else {
        "coreduce study workbook v1 — how to fill it in".to_string()
    }];
    let en = [
        "Sheets: settings (key | value | unit), facilities (facility_id | name | sector | technology | city | capacity | capacity_unit), activity (facility_id | year | item | value | unit | note), factors (factor_id | value | unit | source, optional overrides). English or Chinese sheet and column names are accepted.",
        "settings: gwp = SAR, AR4, AR5 or AR6 (default AR5: the set of the newest official guideline, MEE 2024); grid_factor = a factor id (grid.sc.avg resolves per year) or a number with its unit; scope2 = location (grid average, default: the official methods' rule) or market (green power bought by contract, item electricity.green, at 0; the rest at residual_grid_factor, default grid.cn.avg_excl_market_nonfossil); both are reported; view = footprint (scope 1 + 2, default) or compliance (the official reporting total); edition.<sector> = the guideline edition.",
        "activity: one row per facility, year and item. 'output' is required (aluminium t, ceramics m2, baijiu t of 65 % vol liquor, tobacco t cured leaf). Amount items may be given per unit of output (e.g. t/t).",
        "Measured values replace the Tier 1 defaults: any measured fuel replaces the whole default fuel mix; other items replace their own default. A repeated facility-year-item row is an error, not a sum.",
        "Percentages accept % or a fraction; control.<SUBSTANCE>.efficiency must lie in 0–100 % (0–1). Add @process to an item to attribute it to one process.",
        "Every number the engine uses comes from the factor library (coreduce factors list) with its source and confidence; overrides in the factors sheet are shown as overrides in every output.",
        "The settings sheet is required; a missing key takes its default (said once). base_year chooses the year that roadmap, measures and uncertainty start from (default: the latest year); years are never added together.",
        "Places: a prefecture (乐山, 乐山市, Leshan, 凉山彝族自治州, 四川省乐山市) or any of Sichuan's 183 county-level divisions, alone or after its prefecture (夹江县, 夹江, 乐山市夹江县, 凉山州会理市, Jiajiang); the county is kept.",
        "Capacity units per year: t/a, t/yr, 万t/a, 吨/年, 万吨/年, m2/a, 万m2/a, 平方米/年, 万平方米/年, ㎡/a, 万㎡/年. A per-year rate given for an amount item (output, fuel, electricity …) is read as one year's amount.",
        "Unit spellings: 万kWh = 万千瓦时 = 10^4 kWh = 万度; 10^4 Nm3 = 万Nm3 = 万立方米 = 万方; t = 吨, 万t = 万吨; m2 = ㎡ = 平方米; AEM = AE-min/cell-day = min/cell-day = 分钟/槽·日; % or fraction. A cell formatted as a percentage (2% typed in Excel) is a fraction whatever the unit column says.",
        "Technologies may be written in words, English or Chinese (the ids, names and synonyms below, case, spaces and punctuation ignored); an unrecognised one is inferred from the fuels with a note, and is an error only where the method needs it (aluminium under ipcc2006).",
    ];
    let zh_lines = [
        "工作表：设置（键|值|单位）、设施（设施编号|名称|行业|技术|城市|产能|产能单位）、活动数据（设施编号|年份|项目|数值|单位|备注）、因子（因子编号|数值|单位|来源，可选，用于覆盖默认因子）。中英文表名和列名均可。",
        "设置：gwp 取 SAR、AR4、AR5 或 AR6（默认 AR5，即最新官方指南 MEE 2024 所用）；grid_factor 填因子编号（grid.sc.avg 按年份取值）或数值加单位；scope2 为 location（基于位置，电网平均因子，默认，官方方法的口径）或 market（基于市场：绿电交易电量 electricity.green 计为零，其余按 residual_grid_factor，默认 grid.cn.avg_excl_market_nonfossil），两者都会报告；view 为 footprint（范围一+二，默认）或 compliance（官方报告口径）。",
        "活动数据：每个设施、年份、项目一行。必须填写 output（电解铝 t 铝液，陶瓷 m2，白酒 t（65%vol 原酒），烤烟 t 干烟叶）。数量类项目可按单位产品填写（如 t/t）。",
        "实测值替代 Tier 1 默认值：填写任一种燃料即替代全部默认燃料结构；其他项目替代各自默认值。同一设施-年份-项目重复出现视为错误，不会相加。",
        "百分比可写 % 或小数；control.<污染物>.efficiency 取 0–100%（0–1）。项目后加 @工序 可指定到某一工序。",
        "所有因子均来自因子库（coreduce factors list），带来源与置信度；因子表中的覆盖值会在所有输出中标明。",
        "设置表必须有；缺少的键取默认值（提示一次）。base_year 指定路线图、措施与不确定性分析的基准年（默认：最新年份）；各年份不会相加。",
        "地点：市州（乐山、乐山市、Leshan、凉山彝族自治州、四川省乐山市）或四川 183 个县级行政区，可单写或前加市州（夹江县、夹江、乐山市夹江县、凉山州会理市、Jiajiang）；县级名称会保留。",
        "产能单位可带时间：t/a、t/yr、万t/a、吨/年、万吨/年、m2/a、万m2/a、平方米/年、万平方米/年、㎡/a、万㎡/年。数量类项目（产量、燃料、电力等）填写年速率时按一年的量读取。",
        "单位写法：万kWh = 万千瓦时 = 10^4 kWh = 万度；10^4 Nm3 = 万Nm3 = 万立方米 = 万方；t = 吨，万t = 万吨；m2 = ㎡ = 平方米；AEM = AE-min/cell-day = min/cell-day = 分钟/槽·日；% 或小数。设为百分比格式的单元格（在 Excel 中输入 2%）按小数读取，与单位列无关。",
        "技术可用中英文文字填写（下列编号、名称和同义词，忽略大小写、空格与标点）；无法识别时按燃料推断并提示，仅在核算方法需要时（ipcc2006 版电解铝）报错。",
    ];
    for l in if zh { &zh_lines } else { &en } {
        v.push((*l).to_string());
    }
    v.push(String::new());
    v.push(
        if zh {
            "行业与技术："
        } else {
            "Sectors and technologies:"
        }
        .to_string(),
    );
    for s in sectors.sectors.values() {
        v.push(format!(
            "{} ({} / {}), output in {}: {}",
            s.id,
            s.name_en,
            s.name_zh,
            s.output_label,
            s.technologies
                .iter()
                .map(|t| {
                    let also = if t.aliases.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; {}{}",
                            if zh { "同义词：" } else { "also: " },
                            t.aliases.join(", ")
                        )
                    };
                    format!(
                        "{} ({}{also})",
                        t.id,
                        if zh { &t.name_zh } else { &t.name_en }
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    v
}
