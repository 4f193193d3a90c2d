//! The measures report out: one table (CSV, xlsx) of every measure alone and
//! as a package at province, sector and facility level, the MACC and the
//! method notes; JSON with stable field names.

use super::{num, opt, WriteText};
use crate::error::{Error, Result};
use crate::output::{atomic_write, neutralise};
use crate::text::{Lang, Text};
use crate::tr;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::path::Path;

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

/// The Chinese of the measures workbook's column headers (a Chinese study's
/// xlsx; the CSV and JSON keep the English field names).
const HEADERS_ZH: &[(&str, &str)] = &[
    ("measure", "措施编号"),
    ("name_en", "英文名称"),
    ("name_zh", "中文名称"),
    ("level", "层级"),
    ("key", "对象"),
    ("delta_co2e_t", "CO2e 减排量（吨）"),
    ("r_co2e", "CO2e 相对减排率"),
    ("delta_pollutant", "污染物减排量"),
    ("pollutant", "污染物"),
    ("delta_apeq", "大气污染当量减排量"),
    ("delta_wpeq", "水污染当量减排量"),
    ("quadrant", "象限"),
    ("elasticity_class", "弹性类别"),
    ("elasticity", "弹性系数"),
    ("annual_cost_cny", "年化成本（元）"),
    ("cny_per_t_co2e", "单位 CO2e 减排成本（元/吨）"),
    ("cny_per_apeq", "单位大气污染当量减排成本（元）"),
    ("co_benefit_value_cny", "协同效益价值（元）"),
    (
        "mac_adjusted_cny_per_t",
        "计入协同效益的边际减排成本（元/吨）",
    ),
    ("degree_index", "协同度指数"),
    ("potential_co2e_t", "CO2e 减排潜力（吨/年）"),
    ("potential_apeq", "大气污染当量减排潜力"),
    ("mac_adjusted", "计入协同效益的边际减排成本（元/吨）"),
];

fn header_in(en: &str, lang: Lang) -> &str {
    match lang {
        Lang::Zh => HEADERS_ZH
            .iter()
            .find(|(e, _)| *e == en)
            .map_or(en, |(_, zh)| zh),
        Lang::En => en,
    }
}

/// Flattens a measure report into table rows (province, sector and facility),
/// with the level, quadrant and elasticity class in `lang`.
/// Sector keys are named by `names` (their Chinese names in a Chinese study).
pub fn measure_rows(
    rep: &crate::measures::MeasureReport,
    lang: Lang,
    names: &super::names::Names,
) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut evals: Vec<&crate::measures::Evaluation> = rep.alone.iter().collect();
    evals.push(&rep.package);
    for e in evals {
        let level_name = |en: &'static str, zh: &'static str| match lang {
            Lang::Zh => zh,
            Lang::En => en,
        };
        let mut levels: Vec<(&str, String, &crate::measures::Metrics)> = vec![(
            level_name("province", "全省"),
            level_name("Sichuan", "四川省").into(),
            &e.province,
        )];
        levels.extend(
            e.by_sector
                .iter()
                .map(|(k, m)| (level_name("sector", "行业"), names.sector(k).to_string(), m)),
        );
        levels.extend(
            e.by_facility
                .iter()
                .map(|(k, m)| (level_name("facility", "设施"), k.clone(), m)),
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
                match lang {
                    Lang::Zh => m.quadrant.name().get(lang).to_string(),
                    Lang::En => m.quadrant.label().to_string(),
                },
                match lang {
                    Lang::Zh => m.elasticity.class.name().get(lang).to_string(),
                    Lang::En => format!("{:?}", m.elasticity.class),
                },
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
    lang: Lang,
    sectors: &crate::graph::SectorLibrary,
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
            let err =
                |e: csv::Error| Error::request(tr!("cannot write CSV: {e}", "无法写入 CSV：{e}"));
            w.write_record(MEASURE_COLUMNS).map_err(err)?;
            for r in measure_rows(rep, Lang::En, &super::names::Names::default()) {
                w.write_record(&r).map_err(err)?;
            }
            w.flush().map_err(|e| io(tmp, e))
        }),
        "json" => super::write_pretty_json(path, protected, rep),
        "xlsx" => atomic_write(path, protected, |tmp| {
            let names = super::names::Names::of(sectors, lang);
            measures_xlsx(tmp, rep, lang, &names).map_err(|e| {
                Error::request(tr!("cannot write the workbook: {e}", "无法写入工作簿：{e}"))
            })
        }),
        other => Err(Error::request(tr!(
            "unknown output format '.{other}': use .xlsx, .csv or .json",
            "未知的输出格式“.{other}”：请使用 .xlsx、.csv 或 .json"
        ))),
    }
}

fn measures_xlsx(
    path: &Path,
    rep: &crate::measures::MeasureReport,
    lang: Lang,
    names: &super::names::Names,
) -> std::result::Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("measures")?;
    for (c, h) in MEASURE_COLUMNS.iter().enumerate() {
        ws.write_text_with_format(0, c as u16, header_in(h, lang), &bold)?;
        ws.set_column_width(c as u16, 14)?;
    }
    let rows = measure_rows(rep, lang, names);
    // The word for a unit cost that does not exist (reduction ≤ 0).
    let undefined = tr!("undefined", "无定义");
    let undefined_in = |v: &str| {
        if v == undefined.en {
            undefined.get(lang).to_string()
        } else {
            v.to_string()
        }
    };
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(x) if c >= 5 && !v.is_empty() => ws.write_number(r as u32 + 1, c as u16, x)?,
                _ => ws.write_text(r as u32 + 1, c as u16, undefined_in(v))?,
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
        ws.write_text_with_format(0, c as u16, header_in(h, lang), &bold)?;
        ws.set_column_width(c as u16, 16)?;
    }
    for (r, s) in rep.macc.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_text(r, 0, &s.measure)?;
        ws.write_text(r, 1, &s.name_en)?;
        ws.write_text(r, 2, &s.name_zh)?;
        ws.write_number(r, 3, num(s.potential_co2e))?;
        ws.write_number(r, 4, num(s.potential_apeq))?;
        ws.write_number(r, 5, num(s.annual_cost))?;
        // Unit costs as numbers a spreadsheet can sort and chart; the word
        // "undefined" only where the reduction is ≤ 0.
        for (c, v) in [(6, s.cost_per_t_co2e), (7, s.mac_adjusted)] {
            match v {
                Some(v) => ws.write_number(r, c, num(v))?,
                None => ws.write_text(r, c, undefined_in(&opt(None)))?,
            };
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let ws = wb.add_worksheet().set_name("notes")?;
    ws.set_column_width(1, 120)?;
    let weights = rep
        .index_weights
        .iter()
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let axes = Text::new(
        format!("{}; {}", rep.coordinate_axes.0.en, rep.coordinate_axes.1.en),
        format!(
            "{}；{}",
            rep.coordinate_axes.0.get(Lang::Zh),
            rep.coordinate_axes.1.get(Lang::Zh)
        ),
    );
    let notes = [
        (
            tr!("discount rate", "折现率"),
            Text::neutral(rep.discount_rate.to_string()),
        ),
        (
            tr!(
                "lambda (EReq = APeq + λ·CO2e)",
                "λ 系数（EReq = APeq + λ·CO2e）"
            ),
            Text::neutral(rep.lambda.to_string()),
        ),
        (tr!("coordinate axes", "坐标轴"), axes),
        (
            tr!("co-benefit valuation", "协同效益估值"),
            rep.co_benefit_valuation.clone(),
        ),
        (tr!("degree index", "协同度指数"), rep.degree_index.clone()),
        (
            tr!(
                "index weights (CO2e, air eq, water eq)",
                "指数权重（CO2e、大气污染当量、水污染当量）"
            ),
            Text::neutral(weights),
        ),
        (
            tr!("undefined", "无定义"),
            tr!(
                "unit costs are undefined (not negative) where the reduction is ≤ 0",
                "减排量 ≤ 0 时单位成本无定义（而非负值）"
            ),
        ),
    ];
    for (r, (k, v)) in notes.iter().enumerate() {
        ws.write_text_with_format(r as u32, 0, k.get(lang), &bold)?;
        ws.write_text(r as u32, 1, v.get(lang))?;
    }
    applicability_sheet(&mut wb, rep, lang, &bold)?;
    wb.save(path)
}

/// Where a measure does not apply, and why (a fuel the facility does not
/// burn, a control it already has, a default it has not measured), and the
/// caveats on results: what the terminal says, for a firm reading the
/// workbook.
fn applicability_sheet(
    wb: &mut Workbook,
    rep: &crate::measures::MeasureReport,
    lang: Lang,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name("applicability")?;
    let header = [
        tr!("measure", "措施"),
        tr!("where", "位置"),
        tr!("kind", "类别"),
        tr!("why", "原因"),
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_text_with_format(0, c as u16, h.get(lang), bold)?;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 28)?;
    ws.set_column_width(2, 18)?;
    ws.set_column_width(3, 110)?;
    let (not_applicable, caveat) = (tr!("not applicable", "不适用"), tr!("caveat", "说明"));
    let unchanged = tr!(
        "not applicable: the measure's edits change nothing the facility has",
        "不适用：该措施的调整不涉及该设施的任何活动"
    );
    let mut r = 1u32;
    for e in &rep.alone {
        let rows = e
            .not_applicable
            .iter()
            .map(|place| {
                let why = e.why_not_applicable.get(place).unwrap_or(&unchanged);
                (place, &not_applicable, why)
            })
            .chain(e.notes.iter().map(|(place, why)| (place, &caveat, why)));
        for (place, kind, why) in rows {
            ws.write_text(r, 0, &e.measure)?;
            ws.write_text(r, 1, place)?;
            ws.write_text(r, 2, kind.get(lang))?;
            ws.write_text(r, 3, why.get(lang))?;
            r += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}
