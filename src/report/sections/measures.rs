//! The measures sections: the co-control coordinate system, the marginal
//! abatement cost curve and the elasticity table.

use super::super::esc;
use super::super::format::{class_name, num, opt, quadrant_name, table};
use super::super::page::Ctx;
use super::super::svg;
use crate::measures::MeasureReport;
use rust_decimal::Decimal;
use std::fmt::Write;

/// The pollutant the measures are weighed against (of the first measure;
/// air pollution equivalents where there is none).
fn pollutant(m: &MeasureReport) -> String {
    m.alone
        .first()
        .map(|e| e.province.pollutant.clone())
        .unwrap_or_else(|| "APeq".into())
}

/// A measure's name in the report's language; the id only where no name
/// exists.
fn named(cx: &Ctx<'_>, id: &str, en: &str, zh: &str) -> String {
    let name = if cx.t.zh && !zh.is_empty() { zh } else { en };
    if name.is_empty() {
        id.to_string()
    } else {
        name.to_string()
    }
}

/// The co-control coordinate system: each measure alone, its CO2e against
/// its pollutant reduction.
pub(in crate::report) fn coordinates(o: &mut String, cx: &Ctx<'_>, m: &MeasureReport) {
    let t = &cx.t;
    let stamp = |s: &str| cx.stamp(s);
    let named = |id: &str, en: &str, zh: &str| named(cx, id, en, zh);
    cx.h2(o, "coordinates");
    let pollutant = pollutant(m);
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
}

/// The MACC with the co-benefit-adjusted curve over it.
pub(in crate::report) fn macc(o: &mut String, cx: &Ctx<'_>, m: &MeasureReport) {
    let t = &cx.t;
    let stamp = |s: &str| cx.stamp(s);
    let named = |id: &str, en: &str, zh: &str| named(cx, id, en, zh);
    cx.h2(o, "macc");
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
}

/// The elasticity table: each measure alone, then the package.
pub(in crate::report) fn elasticity(o: &mut String, cx: &Ctx<'_>, m: &MeasureReport) {
    let pollutant = pollutant(m);
    let t = &cx.t;
    let stamp = |s: &str| cx.stamp(s);
    cx.h2(o, "elasticity");
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
                opt(p.relative.get("CO2e").copied(), t),
                opt(p.relative.get(&p.pollutant).copied(), t),
                opt(p.elasticity.value, t),
                class_name(p.elasticity.class, t),
                quadrant_name(p.quadrant, t),
                opt(p.cost_per_t_co2e, t),
                opt(p.mac_adjusted, t),
                opt(p.degree_index, t),
            ]
        })
        .collect();
    table(
        t,
        o,
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
