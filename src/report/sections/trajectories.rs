//! The trajectories section of a roadmap: each substance's lines by
//! scenario (with the Monte Carlo fans and the targets marked), the odds of
//! each target, and each scenario's CO2e stacked by sector.

use super::super::esc;
use super::super::format::sector_name;
use super::super::page::Ctx;
use super::super::svg;
use crate::roadmap::{series_of, RoadmapReport};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The trajectories section: lines, odds, stacked areas.
pub(in crate::report) fn trajectories(o: &mut String, cx: &Ctx<'_>, rm: &RoadmapReport) {
    cx.h2(o, "trajectories");
    substance_lines(o, cx, rm);
    if let Some(odds) = cx.input.roadmap_odds {
        odds_table(o, cx, rm, odds);
    }
    sector_stacks(o, cx, rm);
    o.push_str("</section>");
}

/// CO2e and SO2 by scenario, with fans where the roadmap was sampled.
fn substance_lines(o: &mut String, cx: &Ctx<'_>, rm: &RoadmapReport) {
    let (t, input) = (&cx.t, cx.input);
    let stamp_rm = |s: &str| cx.stamp_rm(s);
    let magnitudes = cx.magnitudes();
    let scenario_name = |id: &str, kind: &str| cx.scenario_name(id, kind);
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
}

/// The probability that each target is met, from the roadmap's Monte Carlo.
fn odds_table(
    o: &mut String,
    cx: &Ctx<'_>,
    rm: &RoadmapReport,
    odds: &crate::uncertainty::roadmap::RoadmapOdds,
) {
    let t = &cx.t;
    let magnitudes = cx.magnitudes();
    let scenario_name = |id: &str, kind: &str| cx.scenario_name(id, kind);
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

/// Each scenario's CO2e stacked by sector.
fn sector_stacks(o: &mut String, cx: &Ctx<'_>, rm: &RoadmapReport) {
    let (t, input) = (&cx.t, cx.input);
    let stamp_rm = |s: &str| cx.stamp_rm(s);
    let magnitudes = cx.magnitudes();
    let scenario_name = |id: &str, kind: &str| cx.scenario_name(id, kind);
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
                let name = sector_name(input.sectors, &k, t);
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
}
