//! The targets section of a roadmap: each scenario's peak, each target's
//! attainment, and the least-cost deployment with its marginal costs.

use super::super::esc;
use super::super::format::{num, table};
use super::super::page::Ctx;
use crate::roadmap::RoadmapReport;
use std::fmt::Write;

/// The targets section: peak, attainment, least cost.
pub(in crate::report) fn targets(o: &mut String, cx: &Ctx<'_>, rm: &RoadmapReport) {
    cx.h2(o, "targets");
    peak_and_attainment(o, cx, rm);
    if let Some(lc) = &rm.least_cost {
        least_cost(o, cx, lc);
    }
    o.push_str("</section>");
}

/// The peak year of each scenario, then whether each target is met.
fn peak_and_attainment(o: &mut String, cx: &Ctx<'_>, rm: &RoadmapReport) {
    let t = &cx.t;
    let stamp_rm = |s: &str| cx.stamp_rm(s);
    let scenario_name = |id: &str, kind: &str| cx.scenario_name(id, kind);
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
        t,
        o,
        &format!(
            "{} · {}: {}",
            stamp_rm(t.s("all scenarios", "全部情景")),
            t.s("plateau", "平台期"),
            rm.plateau_tolerance_text.get(t.lang())
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
        t,
        o,
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
}

/// The least-cost deployment: its status, explanations and the marginal
/// cost of each binding target.
fn least_cost(o: &mut String, cx: &Ctx<'_>, lc: &crate::roadmap::optimise::LeastCost) {
    let (t, input) = (&cx.t, cx.input);
    let stamp_rm = |s: &str| cx.stamp_rm(s);
    let scenario_name = |id: &str, kind: &str| cx.scenario_name(id, kind);
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}: {}</p>",
        t.s("Least-cost deployment", "最低成本部署"),
        t.s("status", "状态"),
        esc(lc.status_name().get(input.lang))
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
        t,
        o,
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
