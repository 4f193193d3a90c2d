//! The inventory's Monte Carlo: the 95 % interval of the province and of
//! each sector as error bars (in % of the exact value, so sectors of any
//! size read on one axis) and a table beside them with Approach 1; the
//! tornado of the province CO2e; each facility's widest inputs; the method.

use super::super::esc;
use super::super::format::{decimal_of, f64_of, num, table, table_of, T};
use super::super::page::Ctx;
use super::super::svg;
use crate::graph::SectorLibrary;
use crate::uncertainty::McReport;
use std::fmt::Write;

/// The substances whose intervals the report shows.
const UNCERTAIN_SUBSTANCES: [&str; 4] = ["CO2e", "SO2", "NOx", "PM"];

/// Inputs shown on the tornado.
const TORNADO_BARS: usize = 12;

/// The uncertainty section.
pub(in crate::report) fn uncertainty(o: &mut String, cx: &Ctx<'_>, mc: &McReport) {
    cx.h2(o, "uncertainty");
    let t = &cx.t;
    intervals(o, t, mc, cx.input.sectors);
    province_tornado(o, t, mc);
    facility_tornadoes(o, t, mc);
    let _ = write!(o, "<p class=\"stamp\">{}</p>", esc(&mc.method));
    o.push_str("</section>");
}

/// The 95 % intervals of the province and each sector: a chart in % of the
/// exact value and a table with IPCC Approach 1 beside Monte Carlo.
fn intervals(o: &mut String, t: &T, mc: &McReport, sectors: &SectorLibrary) {
    let label = |s: &crate::uncertainty::Summary| -> String {
        let who = if s.level == "province" {
            t.s("study total", "研究合计").to_string()
        } else {
            sectors
                .sectors
                .get(&s.key)
                .map(|x| {
                    if t.zh {
                        x.name_zh.clone()
                    } else {
                        x.name_en.clone()
                    }
                })
                .unwrap_or_else(|| s.key.clone())
        };
        format!("{who} · {}", s.substance)
    };
    let shown: Vec<&crate::uncertainty::Summary> = UNCERTAIN_SUBSTANCES
        .iter()
        .flat_map(|sub| {
            mc.summaries.iter().filter(move |s| {
                (s.level == "province" || s.level == "sector") && s.substance == *sub
            })
        })
        .filter(|s| !s.exact.is_zero())
        .collect();
    let pct = |s: &crate::uncertainty::Summary, v: f64| {
        let exact = f64_of(s.exact);
        100.0 * (v - exact) / exact.abs()
    };
    let rows: Vec<svg::RangeRow> = shown
        .iter()
        .map(|s| svg::RangeRow {
            label: label(s),
            low: pct(s, s.p2_5),
            mid: pct(s, s.median),
            high: pct(s, s.p97_5),
        })
        .collect();
    let stamp = format!(
        "{} {} · seed {} · {}",
        mc.runs,
        t.s("Monte Carlo runs", "次蒙特卡洛抽样"),
        mc.seed,
        t.s(
            "bar: 95 % interval, dot: median, both in % of the exact inventory value",
            "线段：95% 区间；圆点：中位数；均以精确清单值的百分比表示"
        )
    );
    o.push_str(&svg::ranges(
        t.s("95 % intervals of the inventory", "清单的 95% 置信区间"),
        &stamp,
        &rows,
        0.0,
        t.s("deviation from the exact value (%)", "相对精确值的偏差 (%)"),
        svg::RangeStyle::Whisker,
        &|v| {
            // One decimal for small deviations, and never "-0 %".
            let shown = if v.abs() < 9.95 {
                format!("{v:+.1}")
            } else {
                format!("{v:+.0}")
            };
            match shown.as_str() {
                "+0.0" | "-0.0" => "0 %".to_string(),
                _ => format!("{shown} %"),
            }
        },
    ));
    let table_rows: Vec<Vec<String>> = shown
        .iter()
        .map(|s| {
            let half = |h: f64| format!("{:.1}", 100.0 * h / f64_of(s.exact).abs());
            vec![
                label(s),
                num(s.exact),
                num(decimal_of(s.p2_5)),
                num(decimal_of(s.p97_5)),
                half((s.p97_5 - s.p2_5) / 2.0),
                half(s.approach1_half_width),
            ]
        })
        .collect();
    table(
        t,
        o,
        &stamp,
        &[
            t.s("total", "合计"),
            t.s("exact (t)", "精确值 (t)"),
            "2.5 % (t)",
            "97.5 % (t)",
            t.s("± Monte Carlo (%)", "± 蒙特卡洛 (%)"),
            t.s("± IPCC Approach 1 (%)", "± IPCC 方法1 (%)"),
        ],
        &table_rows,
    );
}

/// The tornado of the study's CO2e: one input at a time at its 2.5th and
/// 97.5th percentile.
fn province_tornado(o: &mut String, t: &T, mc: &McReport) {
    if let Some(province) = mc
        .summaries
        .iter()
        .find(|s| s.level == "province" && s.substance == "CO2e")
    {
        let centre = f64_of(province.exact);
        let bars: Vec<svg::RangeRow> = mc
            .tornado
            .iter()
            .take(TORNADO_BARS)
            .map(|b| svg::RangeRow {
                label: b.input.clone(),
                low: b.low.min(b.high) - centre,
                mid: 0.0,
                high: b.low.max(b.high) - centre,
            })
            .collect();
        if !bars.is_empty() {
            let magnitudes = if t.zh {
                svg::Magnitudes::Chinese
            } else {
                svg::Magnitudes::Plain
            };
            o.push_str(&svg::ranges(
                t.s(
                    "Tornado: the study's CO2e with one input at its 2.5th and 97.5th percentile",
                    "龙卷风图：单一输入取 2.5% 与 97.5% 分位数时研究口径 CO2e",
                ),
                &format!(
                    "{} · {}",
                    t.s(
                        "the rest at their central values; line: the exact total",
                        "其余输入取中心值；竖线：精确合计"
                    ),
                    t.s("blue: lower, red: higher", "蓝：降低，红：升高")
                ),
                &bars,
                0.0,
                &format!(
                    "{} ({}: {})",
                    t.s("change in the study's CO2e (t)", "研究口径 CO2e 的变化 (t)"),
                    t.s("exact total", "精确合计"),
                    num(province.exact)
                ),
                svg::RangeStyle::Bar,
                &|v| {
                    let shown = magnitudes.show(v);
                    if v > 0.0 {
                        format!("+{shown}")
                    } else {
                        shown
                    }
                },
            ));
        }
    }
}

/// Each facility's own tornado, its three widest inputs in a row.
fn facility_tornadoes(o: &mut String, t: &T, mc: &McReport) {
    let facility_rows: Vec<Vec<String>> = mc
        .facility_tornado
        .iter()
        .filter_map(|(fid, bars)| {
            let exact = mc
                .summaries
                .iter()
                .find(|x| x.level == "facility" && x.key == *fid && x.substance == "CO2e")?
                .exact;
            let centre = f64_of(exact);
            let widest = bars
                .iter()
                .take(3)
                .map(|b| {
                    let d = |v: f64| {
                        if centre == 0.0 {
                            "—".to_string()
                        } else {
                            format!("{:+.1} %", 100.0 * (v - centre) / centre.abs())
                        }
                    };
                    format!(
                        "{} ({} … {})",
                        b.input,
                        d(b.low.min(b.high)),
                        d(b.low.max(b.high))
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            Some(vec![fid.clone(), num(exact), widest])
        })
        .collect();
    if !facility_rows.is_empty() {
        let total = facility_rows.len();
        table_of(
            t,
            o,
            t.s(
                "each facility's CO2e with one input at its 2.5th and 97.5th percentile (its three widest inputs; all in the JSON output)",
                "各设施 CO2e：单一输入取 2.5% 与 97.5% 分位数（列出影响最大的三项；全部见 JSON 输出）",
            ),
            &[
                t.s("facility", "设施"),
                "CO2e (t)",
                t.s("widest inputs (change of the facility's CO2e)", "影响最大的输入（设施 CO2e 的变化）"),
            ],
            &facility_rows,
            total,
        );
    }
}
