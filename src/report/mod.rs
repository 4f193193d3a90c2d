//! The report: one self-contained HTML page (inline CSS and SVG, no network
//! access, no script), in Chinese or English, with the study summary,
//! inventory tables, trajectories, the co-control coordinate plot, the MACC,
//! the elasticity table, targets and peak, each sector's process graph, the
//! factors used and the warnings. Every chart and table is stamped with its
//! scenario, GWP set and grid factor. All text from the user is HTML-escaped.

pub mod svg;

use crate::accounting::Inventory;
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::measures::MeasureReport;
use crate::roadmap::{series_of, RoadmapReport};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The generator mark: a report.html carrying it may be replaced by a new run;
/// any other file of that name is never overwritten.
pub const GENERATOR: &str = "<meta name=\"generator\" content=\"coreduce\">";

/// Report language: the crate's one language type.
pub use crate::text::Lang;

/// HTML-escapes text.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

struct T {
    zh: bool,
}

impl T {
    fn lang(&self) -> Lang {
        if self.zh {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    fn s<'a>(&self, en: &'a str, zh: &'a str) -> &'a str {
        if self.zh {
            zh
        } else {
            en
        }
    }
}

/// What a report shows; sections without data are left out.
pub struct ReportInput<'a> {
    pub title: String,
    pub lang: Lang,
    pub inventories: &'a [Inventory],
    pub measures: Option<&'a MeasureReport>,
    pub roadmap: Option<&'a RoadmapReport>,
    /// The roadmap's Monte Carlo (`roadmap --runs`): fans on the
    /// trajectories and the probability of each target.
    pub roadmap_odds: Option<&'a crate::uncertainty::roadmap::RoadmapOdds>,
    /// The inventory's Monte Carlo (`uncertainty`, `roadmap --runs`): error
    /// bars on the inventory and the tornado of the province CO2e.
    pub uncertainty: Option<&'a crate::uncertainty::McReport>,
    pub factors: &'a FactorLibrary,
    pub sectors: &'a SectorLibrary,
    /// The factor ids the inventories used, where their rows were written to
    /// a results file and dropped; `None`: taken from the rows.
    pub factors_used: Option<&'a BTreeSet<String>>,
}

fn num(d: Decimal) -> String {
    let r = if d.abs() >= Decimal::from(100) {
        d.round_dp(0)
    } else {
        d.round_dp(4)
    };
    let s = r.normalize().to_string();
    // thousands separators for the integer part
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), format!(".{f}")),
        None => (s.clone(), String::new()),
    };
    let neg = int.starts_with('-');
    let digits: Vec<char> = int.trim_start_matches('-').chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(*c);
    }
    format!("{}{out}{frac}", if neg { "-" } else { "" })
}

fn opt(d: Option<Decimal>, t: &T) -> String {
    d.map(num)
        .unwrap_or_else(|| t.s("undefined", "无定义").to_string())
}

/// Rows shown per table; larger studies point to the results files.
const MAX_ROWS: usize = 300;

fn table(o: &mut String, stamp: &str, head: &[&str], rows: &[Vec<String>]) {
    table_of(o, stamp, head, rows, rows.len());
}

/// A table of `total` rows of which the first (at most [`MAX_ROWS`]) are
/// given: large studies build only the rows shown.
fn table_of(o: &mut String, stamp: &str, head: &[&str], rows: &[Vec<String>], total: usize) {
    let more = total.saturating_sub(MAX_ROWS.min(rows.len()));
    let rows = &rows[..rows.len().min(MAX_ROWS)];
    o.push_str("<table><thead><tr>");
    for h in head {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o.push_str("</tr></thead><tbody>");
    for r in rows {
        o.push_str("<tr>");
        for c in r {
            let _ = write!(o, "<td>{}</td>", esc(c));
        }
        o.push_str("</tr>");
    }
    if more > 0 {
        let _ = write!(
            o,
            "<tr><td colspan=\"{}\">… {more} more rows in the results file</td></tr>",
            head.len()
        );
    }
    let _ = write!(o, "</tbody></table><p class=\"stamp\">{}</p>", esc(stamp));
}

/// Renders the report.
pub fn render(input: &ReportInput<'_>) -> String {
    let t = T {
        zh: input.lang == Lang::Zh,
    };
    let gwp = input
        .inventories
        .first()
        .map(|i| format!("{:?}", i.gwp).to_uppercase())
        .unwrap_or_else(|| "AR5".into());
    let grids: BTreeSet<String> = input
        .inventories
        .iter()
        .map(|i| i.grid_factor.clone())
        .collect();
    let grid = grids.into_iter().collect::<Vec<_>>().join(", ");
    let stamp = |scenario: &str| {
        format!(
            "{}: {scenario} · GWP: {gwp} · {}: {grid}",
            t.s("scenario", "情景"),
            t.s("grid factor", "电网因子")
        )
    };
    // Roadmap years use each scenario's grid trajectory (its `grid` rows).
    let stamp_rm = |scenario: &str| {
        format!(
            "{}: {scenario} · GWP: {gwp} · {}: {}",
            t.s("scenario", "情景"),
            t.s("grid factor", "电网因子"),
            t.s("the scenario's grid trajectory", "情景电网因子路径")
        )
    };
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">{GENERATOR}<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{}</style></head><body>",
        if t.zh { "zh-CN" } else { "en" },
        esc(&input.title),
        CSS
    );
    let _ = write!(o, "<header><h1>{}</h1><p>{}</p></header><nav>", esc(&input.title), t.s("Carbon and pollution co-reduction accounting by coreduce. Every number comes from the factor library or the workbook; sources, editions and confidence are listed at the end.", "coreduce 减污降碳协同核算报告。所有数字均来自因子库或工作簿；来源、版本与置信度见文末。"));
    let mut sections: Vec<(&str, &str)> = vec![("summary", t.s("Study summary", "研究概要"))];
    if !input.inventories.is_empty() {
        sections.push(("inventory", t.s("Inventory", "排放清单")));
    }
    if input.uncertainty.is_some() {
        sections.push(("uncertainty", t.s("Inventory uncertainty", "清单不确定性")));
    }
    if input.roadmap.is_some() {
        sections.push(("trajectories", t.s("Emission trajectories", "排放轨迹")));
        sections.push(("targets", t.s("Targets and peak year", "目标与达峰")));
    }
    if input.measures.is_some() {
        sections.push((
            "coordinates",
            t.s("Co-control coordinate system", "协同控制效应坐标系"),
        ));
        sections.push((
            "macc",
            t.s("Marginal abatement cost curve", "边际减排成本曲线"),
        ));
        sections.push((
            "elasticity",
            t.s("Co-control elasticity", "协同控制弹性系数"),
        ));
    }
    sections.push(("graphs", t.s("Process graphs", "工艺流程图")));
    sections.push(("factors", t.s("Factors used", "所用因子")));
    sections.push(("warnings", t.s("Warnings", "提示")));
    for (id, name) in &sections {
        let _ = write!(o, "<a href=\"#{id}\">{}</a>", esc(name));
    }
    o.push_str("</nav>");
    let h2 = |o: &mut String, id: &str| {
        let name = sections
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| *n)
            .unwrap_or(id);
        let _ = write!(o, "<section id=\"{id}\"><h2>{}</h2>", esc(name));
    };

    // Summary.
    h2(&mut o, "summary");
    let sectors_present: BTreeSet<&str> = input
        .inventories
        .iter()
        .map(|i| i.sector.as_str())
        .collect();
    let total: Decimal = input.inventories.iter().map(|i| i.totals.co2e).sum();
    let apeq: Decimal = input.inventories.iter().map(|i| i.totals.apeq).sum();
    let wpeq: Decimal = input.inventories.iter().map(|i| i.totals.wpeq).sum();
    let rows = vec![
        vec![t.s("facility-years", "设施-年").to_string(), input.inventories.len().to_string()],
        vec![t.s("sectors", "行业").to_string(), sectors_present.iter().map(|id| sector_name(input.sectors, id, &t)).collect::<Vec<_>>().join(t.s(", ", "、"))],
        vec![t.s("CO2e in the study's view (t)", "研究口径 CO2e (t)").to_string(), num(total)],
        vec![t.s("air pollution equivalents", "大气污染当量").to_string(), num(apeq)],
        vec![t.s("water pollution equivalents", "水污染当量").to_string(), num(wpeq)],
        vec![t.s("GWP set", "GWP 取值").to_string(), gwp.clone()],
        vec![t.s("pollution-equivalent weighting", "污染当量权重").to_string(), t.s("Environmental Protection Tax Law annex 2 values (N = Σ E/PEV); PM from combustion as soot (烟尘), process dust as general dust; TN has no value", "环境保护税法附表二污染当量值（N = Σ E/PEV）；燃烧颗粒物按烟尘、工艺粉尘按一般性粉尘；总氮无当量值").to_string()],
    ];
    table(
        &mut o,
        &stamp(t.s("base year", "基准年")),
        &[t.s("item", "项目"), t.s("value", "数值")],
        &rows,
    );
    o.push_str("</section>");

    // Inventory.
    if !input.inventories.is_empty() {
        h2(&mut o, "inventory");
        let head = [
            t.s("facility", "设施"),
            t.s("name", "名称"),
            t.s("sector", "行业"),
            t.s("year", "年份"),
            "CO2e (t)",
            t.s("scope 2 (t)", "范围二 (t)"),
            "SO2 (t)",
            "NOx (t)",
            "PM (t)",
            "COD (t)",
            t.s("energy (tce)", "能耗 (tce)"),
        ];
        let rows: Vec<Vec<String>> = input
            .inventories
            .iter()
            .take(MAX_ROWS)
            .map(|i| {
                let g = |k: &str| num(i.totals.by_substance.get(k).copied().unwrap_or_default());
                vec![
                    i.facility_id.clone(),
                    i.name.clone(),
                    sector_name(input.sectors, &i.sector, &t),
                    i.year.to_string(),
                    num(i.totals.co2e),
                    num(i.totals.co2e_scope2),
                    g("SO2"),
                    g("NOx"),
                    g("PM"),
                    g("COD"),
                    num(i.totals.energy_tce),
                ]
            })
            .collect();
        table_of(
            &mut o,
            &stamp(t.s("base year", "基准年")),
            &head,
            &rows,
            input.inventories.len(),
        );
        o.push_str("</section>");
    }

    if let Some(mc) = input.uncertainty {
        h2(&mut o, "uncertainty");
        uncertainty_section(&mut o, &t, mc, input.sectors);
        o.push_str("</section>");
    }

    // Trajectories and targets.
    if let Some(rm) = input.roadmap {
        h2(&mut o, "trajectories");
        let magnitudes = if t.zh {
            svg::Magnitudes::Chinese
        } else {
            svg::Magnitudes::Plain
        };
        // Scenario names in the report's language; the id where the user
        // named a scenario of their own.
        let scenario_name = |id: &str, kind: &str| -> String {
            crate::roadmap::scenario_name(id, kind)
                .get(t.lang())
                .to_string()
        };
        // Province-wide targets of the substance, marked on its chart.
        let marks = |substance: &str| -> Vec<svg::TargetMark> {
            rm.targets
                .iter()
                .filter(|x| x.substance == substance && x.scope == crate::roadmap::Scope::All)
                .map(|x| {
                    (
                        x.year,
                        x.cap,
                        format!("{} {}", t.s("target", "目标"), x.year),
                    )
                })
                .collect()
        };
        for (substance, title) in [
            (
                "CO2e",
                t.s("CO2e by scenario (t/yr)", "各情景 CO2e（吨/年）"),
            ),
            ("SO2", t.s("SO2 by scenario (t/yr)", "各情景 SO2（吨/年）")),
        ] {
            let series: Vec<(String, Vec<(i32, Decimal)>)> = rm
                .scenarios
                .iter()
                .map(|s| {
                    (
                        scenario_name(&s.scenario, &s.kind),
                        series_of(&s.points, substance).into_iter().collect(),
                    )
                })
                .collect();
            // Fans of the roadmap's Monte Carlo, one per scenario line.
            let bands: Vec<svg::Band> = input
                .roadmap_odds
                .map(|odds| {
                    rm.scenarios
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let band = odds
                                .fans
                                .iter()
                                .filter(|p| p.scenario == s.scenario && p.substance == substance)
                                .map(|p| (p.year, [p.p2_5, p.p25, p.p75, p.p97_5]))
                                .collect();
                            (i, band)
                        })
                        .collect()
                })
                .unwrap_or_default();
            o.push_str(&svg::lines(
                title,
                &stamp_rm(t.s("all scenarios", "全部情景")),
                &series,
                &format!("{} {substance}", t.s("t", "吨")),
                &marks(substance),
                &bands,
                magnitudes,
            ));
            if let Some(odds) = input.roadmap_odds {
                let _ = write!(
                    o,
                    "<p class=\"note\">{}</p>",
                    esc(&if t.zh {
                        format!("阴影：{} 次蒙特卡洛模拟（种子 {}）的 50 % 与 95 % 区间；因子与活动水平按其不确定性抽样，部署方案不变。", odds.runs, odds.seed)
                    } else {
                        format!("Shaded: the 50 % and 95 % bands of {} Monte Carlo runs (seed {}); factors and activity drawn with their spreads, deployments held fixed.", odds.runs, odds.seed)
                    })
                );
            }
        }
        if let Some(odds) = input.roadmap_odds {
            let _ = write!(
                o,
                "<h3>{}</h3><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                esc(t.s("Probability that each target is met", "各目标达成概率")),
                esc(t.s("scenario", "情景")),
                esc(t.s("target", "目标")),
                esc(t.s("probability", "概率")),
                esc(t.s("median against the cap", "中位数与上限")),
            );
            for x in &odds.odds {
                let kind = rm
                    .scenarios
                    .iter()
                    .find(|s| s.scenario == x.scenario)
                    .map(|s| s.kind.as_str())
                    .unwrap_or("");
                let _ = write!(
                    o,
                    "<tr><td>{}</td><td>{} {} {}</td><td class=\"n\">{:.0} %</td><td class=\"n\">{} / {}</td></tr>",
                    esc(&scenario_name(&x.scenario, kind)),
                    esc(&x.substance),
                    x.year,
                    esc(&x.target),
                    x.probability * 100.0,
                    magnitudes.show(x.median),
                    magnitudes.show(f64::try_from(x.cap).unwrap_or(f64::NAN)),
                );
            }
            o.push_str("</table>");
        }
        for s in &rm.scenarios {
            let mut layers: BTreeMap<String, BTreeMap<i32, Decimal>> = BTreeMap::new();
            for p in &s.points {
                *layers
                    .entry(p.sector.clone())
                    .or_default()
                    .entry(p.year)
                    .or_default() += p.totals.get("CO2e").copied().unwrap_or_default();
            }
            let layers: Vec<(String, Vec<(i32, Decimal)>)> = layers
                .into_iter()
                .map(|(k, v)| {
                    let name = sector_name(input.sectors, &k, &t);
                    (name, v.into_iter().collect())
                })
                .collect();
            let name = scenario_name(&s.scenario, &s.kind);
            o.push_str(&svg::stacked(
                &format!("{} — {name}", t.s("CO2e by sector", "分行业 CO2e")),
                &stamp_rm(&name),
                &layers,
                &format!("{} CO2e", t.s("t", "吨")),
                magnitudes,
            ));
        }
        o.push_str("</section>");
        h2(&mut o, "targets");
        let rows: Vec<Vec<String>> = rm
            .scenarios
            .iter()
            .map(|s| match &s.peak {
                Some(p) => vec![
                    scenario_name(&s.scenario, &s.kind),
                    if p.peaked {
                        p.year.to_string()
                    } else {
                        format!("{}+", p.year)
                    },
                    num(p.value),
                    p.plateau_until.to_string(),
                ],
                None => vec![
                    scenario_name(&s.scenario, &s.kind),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                ],
            })
            .collect();
        table(
            &mut o,
            &format!(
                "{} · {}: {}",
                stamp_rm(t.s("all scenarios", "全部情景")),
                t.s("plateau", "平台期"),
                if t.zh {
                    format!(
                        "峰值以下 {} % 以内",
                        (crate::roadmap::PLATEAU_TOLERANCE * Decimal::ONE_HUNDRED).normalize()
                    )
                } else {
                    rm.plateau_tolerance.clone()
                }
            ),
            &[
                t.s("scenario", "情景"),
                t.s("peak year", "达峰年"),
                t.s("peak CO2e (t)", "峰值 CO2e (t)"),
                t.s("plateau until", "平台期至"),
            ],
            &rows,
        );
        let rows: Vec<Vec<String>> = rm
            .scenarios
            .iter()
            .flat_map(|s| s.attainment.iter().map(move |a| (s, a)))
            .map(|(s, a)| {
                vec![
                    a.target.clone(),
                    scenario_name(&a.scenario, &s.kind),
                    a.year.to_string(),
                    num(a.cap),
                    num(a.value_in_year),
                    if a.met_in_year {
                        t.s("met", "达成")
                    } else {
                        t.s("missed", "未达成")
                    }
                    .to_string(),
                    a.met_from.map(|y| y.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        table(
            &mut o,
            &stamp_rm(t.s("all scenarios", "全部情景")),
            &[
                t.s("target", "目标"),
                t.s("scenario", "情景"),
                t.s("year", "年份"),
                t.s("cap", "上限"),
                t.s("value", "数值"),
                t.s("status", "状态"),
                t.s("met from", "起始达成年"),
            ],
            &rows,
        );
        if let Some(lc) = &rm.least_cost {
            let _ = write!(
                o,
                "<h3>{}</h3><p>{}: {}</p>",
                t.s("Least-cost deployment", "最低成本部署"),
                t.s("status", "状态"),
                esc(match (t.zh, lc.status.as_str()) {
                    (true, "solved") => "已求解",
                    (true, "infeasible") => "无可行解",
                    (true, "no_targets") => "无目标或无候选措施",
                    (_, other) => other,
                })
            );
            for e in &lc.explanations {
                let _ = write!(o, "<p class=\"warn\">{}</p>", esc(e.get(input.lang)));
            }
            let rows: Vec<Vec<String>> = lc
                .prices
                .iter()
                .map(|p| {
                    let range = match (p.unit_cost_low, p.unit_cost_high) {
                        (Some(lo), Some(hi)) => format!("{} … {}", num(lo), num(hi)),
                        _ => "-".into(),
                    };
                    vec![
                        p.target.clone(),
                        format!("{}–{}", p.year, p.holds_until),
                        p.substance.clone(),
                        num(p.marginal_cost),
                        range,
                        num(p.shadow_price_pv),
                        p.note.get(input.lang).to_string(),
                    ]
                })
                .collect();
            table(
                &mut o,
                &format!(
                    "{} · {}",
                    stamp_rm(&scenario_name(&lc.scenario, "least_cost")),
                    t.s(
                        "marginal cost: the target's dual over the present value of one tonne a year while the tightening holds, comparable with the measures' unit costs",
                        "边际成本：目标约束的对偶值除以收紧期内每年一吨的现值，可与措施单位成本比较"
                    )
                ),
                &[
                    t.s("target", "目标"),
                    t.s("years held", "有效年份"),
                    t.s("substance", "物质"),
                    t.s("marginal cost (CNY/t a year)", "边际成本 (元/t·年)"),
                    t.s("candidates' unit costs (CNY/t)", "候选措施单位成本 (元/t)"),
                    t.s("dual, present value (CNY/t)", "对偶值现值 (元/t)"),
                    t.s("note", "说明"),
                ],
                &rows,
            );
        }
        o.push_str("</section>");
    }

    // Measures.
    if let Some(m) = input.measures {
        h2(&mut o, "coordinates");
        let pollutant = m
            .alone
            .first()
            .map(|e| e.province.pollutant.clone())
            .unwrap_or_else(|| "APeq".into());
        // Names in the report's language; the id only where no name exists.
        let named = |id: &str, en: &str, zh: &str| {
            let name = if t.zh && !zh.is_empty() { zh } else { en };
            if name.is_empty() {
                id.to_string()
            } else {
                name.to_string()
            }
        };
        let points: Vec<(String, Decimal, Decimal)> = m
            .alone
            .iter()
            .map(|e| {
                let er = |k: &str| e.province.reduction.get(k).copied().unwrap_or_default();
                (
                    named(&e.measure, &e.name_en, &e.name_zh),
                    er("CO2e"),
                    er(&pollutant),
                )
            })
            .collect();
        let (chart, _) = svg::quadrants(
            t.s(
                "Co-control effect coordinate system (reductions; positive = reduced)",
                "协同控制效应坐标系（减排量，正值为减少）",
            ),
            &stamp(t.s("measures at maximum penetration", "措施按最大渗透率")),
            &points,
            &format!("{} (t CO2e)", t.s("GHG reduction", "温室气体减排")),
            &format!("{} {pollutant}", t.s("reduction of", "减排")),
            [
                t.s("I co-control", "I 协同减排"),
                t.s("II pollutant only", "II 仅减污"),
                t.s("III both increase", "III 双增"),
                t.s("IV GHG only", "IV 仅降碳"),
            ],
            t.s(
                "axes: symmetric log scale (linear within ±1 % of the largest value); points numbered, see the key",
                "坐标轴：对称对数刻度（最大值 ±1 % 以内为线性）；点按编号，见右侧图例",
            ),
        );
        o.push_str(&chart);
        o.push_str("</section>");
        h2(&mut o, "macc");
        let bars: Vec<svg::MaccBar> = m
            .macc
            .iter()
            .map(|s| {
                (
                    named(&s.measure, &s.name_en, &s.name_zh),
                    s.potential_co2e,
                    s.cost_per_t_co2e,
                    s.mac_adjusted,
                )
            })
            .collect();
        let (chart, _) = svg::macc(
            t.s(
                "MACC: each potential on the residual of those before it",
                "边际减排成本曲线（按剩余基线依次计算）",
            ),
            &stamp(t.s("measures at maximum penetration", "措施按最大渗透率")),
            &bars,
            [
                t.s(
                    "unit cost, CNY/t CO2e (step height)",
                    "单位减排成本，元/t CO2e（台阶高度）",
                ),
                t.s("co-benefit-adjusted MAC", "协同效益调整后成本"),
            ],
            t.s(
                "abatement, t CO2e per year (step width, cumulative)",
                "减排量，t CO2e/年（台阶宽度，累计）",
            ),
            t.s(
                "not drawn (no reduction on the residual)",
                "未绘出（剩余基线上无减排）",
            ),
        );
        o.push_str(&chart);
        let valuation = m.co_benefit_valuation.get(t.lang());
        let _ = write!(o, "<p class=\"stamp\">{}</p>", esc(valuation));
        o.push_str("</section>");
        h2(&mut o, "elasticity");
        let rows: Vec<Vec<String>> = m
            .alone
            .iter()
            .chain(std::iter::once(&m.package))
            .map(|e| {
                let p = &e.province;
                vec![
                    if t.zh && !e.name_zh.is_empty() {
                        e.name_zh.clone()
                    } else if !e.name_en.is_empty() {
                        e.name_en.clone()
                    } else {
                        e.measure.clone()
                    },
                    num(p.reduction.get("CO2e").copied().unwrap_or_default()),
                    opt(p.relative.get("CO2e").copied(), &t),
                    opt(p.relative.get(&p.pollutant).copied(), &t),
                    opt(p.elasticity.value, &t),
                    class_name(p.elasticity.class, &t),
                    quadrant_name(p.quadrant, &t),
                    opt(p.cost_per_t_co2e, &t),
                    opt(p.mac_adjusted, &t),
                    opt(p.degree_index, &t),
                ]
            })
            .collect();
        table(
            &mut o,
            &stamp(t.s("measures at maximum penetration", "措施按最大渗透率")),
            &[
                t.s("measure", "措施"),
                "ΔCO2e (t)",
                "r CO2e",
                &format!("r {pollutant}"),
                "Els",
                t.s("class", "类别"),
                t.s("quadrant", "象限"),
                t.s("CNY/t CO2e", "元/t CO2e"),
                t.s("adjusted MAC", "调整后成本"),
                t.s("degree index", "协同度指数"),
            ],
            &rows,
        );
        let _ = write!(
            o,
            "<p class=\"stamp\">{}</p>",
            esc(m.degree_index.get(t.lang()))
        );
        o.push_str("</section>");
    }

    // Graphs.
    h2(&mut o, "graphs");
    let shown: Vec<&str> = if sectors_present.is_empty() {
        input.sectors.sectors.keys().map(String::as_str).collect()
    } else {
        sectors_present.iter().copied().collect()
    };
    for id in shown {
        if let Some(s) = input.sectors.sectors.get(id) {
            let name = if t.zh { &s.name_zh } else { &s.name_en };
            o.push_str(&svg::graph(
                name,
                &format!(
                    "sectors/{id}.toml · {}",
                    t.s(
                        "orange: emission sources; dashed: waste treatment; dotted: co-product",
                        "橙色：排放源；虚线：废物处理；点线：副产品"
                    )
                ),
                s,
                t.zh,
            ));
        }
    }
    o.push_str("</section>");

    // Factors used.
    h2(&mut o, "factors");
    let ids: BTreeSet<String> = match input.factors_used {
        Some(ids) => ids.clone(),
        None => input
            .inventories
            .iter()
            .flat_map(|i| i.factor_ids())
            .collect(),
    };
    let rows: Vec<Vec<String>> = ids
        .iter()
        .filter_map(|id| input.factors.find(id))
        .map(|f| {
            vec![
                f.id.clone(),
                f.value.to_string(),
                f.unit.symbol().to_string(),
                f.edition.clone(),
                f.confidence.as_str().to_string(),
                f.source.to_string(),
                if f.origin.is_override() {
                    t.s("override", "覆盖").to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    table(
        &mut o,
        &stamp(t.s("base year", "基准年")),
        &[
            t.s("factor", "因子"),
            t.s("value", "数值"),
            t.s("unit", "单位"),
            t.s("edition", "版本"),
            t.s("confidence", "置信度"),
            t.s("source", "来源"),
            t.s("origin", "来源类型"),
        ],
        &rows,
    );
    o.push_str("</section>");

    // Warnings.
    h2(&mut o, "warnings");
    let warnings = input.inventories.iter().map(|i| i.warnings.len()).sum();
    let rows: Vec<Vec<String>> = input
        .inventories
        .iter()
        .flat_map(|i| {
            i.warnings.iter().map(move |w| {
                vec![
                    i.facility_id.clone(),
                    i.year.to_string(),
                    w.message_in(input.lang).to_string(),
                ]
            })
        })
        .take(MAX_ROWS)
        .collect();
    if rows.is_empty() {
        let _ = write!(o, "<p>{}</p>", t.s("none", "无"));
    } else {
        table_of(
            &mut o,
            &stamp(t.s("base year", "基准年")),
            &[
                t.s("facility", "设施"),
                t.s("year", "年份"),
                t.s("warning", "提示"),
            ],
            &rows,
            warnings,
        );
    }
    o.push_str("</section><footer>coreduce ");
    o.push_str(env!("CARGO_PKG_VERSION"));
    o.push_str("</footer></body></html>\n");
    o
}

/// A sector's name in the report's language; its id where the library has
/// none.
fn sector_name(sectors: &SectorLibrary, id: &str, t: &T) -> String {
    sectors
        .sectors
        .get(id)
        .map(|x| {
            if t.zh {
                x.name_zh.clone()
            } else {
                x.name_en.clone()
            }
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| id.to_string())
}

/// What an elasticity class means, in the report's language.
fn class_name(c: crate::measures::metrics::ElasticityClass, t: &T) -> String {
    c.name().get(t.lang()).to_string()
}

/// A quadrant of the co-control coordinate system, in the report's language.
fn quadrant_name(q: crate::measures::metrics::Quadrant, t: &T) -> String {
    q.name().get(t.lang()).to_string()
}

/// The substances whose intervals the report shows.
const UNCERTAIN_SUBSTANCES: [&str; 4] = ["CO2e", "SO2", "NOx", "PM"];

/// Inputs shown on the tornado.
const TORNADO_BARS: usize = 12;

/// The inventory's Monte Carlo: the 95 % interval of the province and of
/// each sector as error bars (in % of the exact value, so sectors of any size
/// read on one axis) and a table beside them with Approach 1; the tornado of
/// the province CO2e; the method.
fn uncertainty_section(
    o: &mut String,
    t: &T,
    mc: &crate::uncertainty::McReport,
    sectors: &SectorLibrary,
) {
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
    // Each facility's own tornado, its three widest inputs in a row.
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
    let _ = write!(o, "<p class=\"stamp\">{}</p>", esc(&mc.method));
}

/// A sampled value shown as a table number (f64 from the sampler, drawing
/// only).
fn decimal_of(v: f64) -> Decimal {
    use rust_decimal::prelude::FromPrimitive;
    Decimal::from_f64(v).unwrap_or_default()
}

fn f64_of(d: Decimal) -> f64 {
    rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(0.0)
}

/// Renders the report and writes it as `report.html` beside a results file
/// (in the results file's folder).
pub fn write_beside(
    results: &std::path::Path,
    input: &ReportInput<'_>,
    protected: &[&std::path::Path],
) -> crate::Result<std::path::PathBuf> {
    let dir = results
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    write_report(dir, &render(input), protected)
}

/// Writes `report.html` into `dir`, replacing only a report coreduce wrote.
pub fn write_report(
    dir: &std::path::Path,
    html: &str,
    protected: &[&std::path::Path],
) -> crate::Result<std::path::PathBuf> {
    let path = dir.join("report.html");
    if path.exists() {
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if !old.contains(GENERATOR) {
            let shown = path.display();
            return Err(crate::Error::request(crate::tr!(
                "'{shown}' exists and was not written by coreduce: move it away or choose another output folder",
                "“{shown}”已存在且并非由 coreduce 生成：请将其移走，或另选输出文件夹"
            )));
        }
    }
    crate::output::atomic_write(&path, protected, |tmp| {
        std::fs::write(tmp, html).map_err(|e| crate::Error::Io {
            path: tmp.display().to_string(),
            source: e,
        })
    })?;
    Ok(path)
}

const CSS: &str = "body{font-family:'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei','PingFang SC',system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 24px 40px;color:#222}header{border-bottom:3px solid #1f77b4;margin-bottom:12px}h1{font-size:24px}h2{font-size:20px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}nav a{margin-right:14px;font-size:13px}table{border-collapse:collapse;font-size:12px;margin:8px 0;width:100%}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left}th{background:#f3f6fa}td:nth-child(n+3){font-variant-numeric:tabular-nums}.stamp{font-size:11px;color:#666;margin:2px 0 16px}.warn{color:#b71c1c}svg{display:block;margin:10px 0;max-width:100%;height:auto}footer{margin-top:40px;font-size:11px;color:#888}@media print{nav{display:none}section{page-break-inside:avoid}}";
