//! The study summary and the base-year inventory table: what was counted,
//! the totals in each equivalent, and one row per facility-year.

use super::super::format::{num, sector_name, table, table_of, MAX_ROWS};
use super::super::page::Ctx;
use rust_decimal::Decimal;

/// The summary: facility-years, sectors, totals and the weighting used.
pub(in crate::report) fn summary(o: &mut String, cx: &Ctx<'_>) {
    let (t, input) = (&cx.t, cx.input);
    let stamp = |s: &str| cx.stamp(s);
    let gwp = &cx.gwp;
    let sectors_present = cx.sectors_present();
    cx.h2(o, "summary");
    let total: Decimal = input.inventories.iter().map(|i| i.totals.co2e).sum();
    let apeq: Decimal = input.inventories.iter().map(|i| i.totals.apeq).sum();
    let wpeq: Decimal = input.inventories.iter().map(|i| i.totals.wpeq).sum();
    let rows = vec![
        vec![t.s("facility-years", "设施-年").to_string(), input.inventories.len().to_string()],
        vec![t.s("sectors", "行业").to_string(), sectors_present.iter().map(|id| sector_name(input.sectors, id, t)).collect::<Vec<_>>().join(t.s(", ", "、"))],
        vec![t.s("CO2e in the study's view (t)", "研究口径 CO2e (t)").to_string(), num(total)],
        vec![t.s("air pollution equivalents", "大气污染当量").to_string(), num(apeq)],
        vec![t.s("water pollution equivalents", "水污染当量").to_string(), num(wpeq)],
        vec![t.s("GWP set", "GWP 取值").to_string(), gwp.clone()],
        vec![t.s("pollution-equivalent weighting", "污染当量权重").to_string(), t.s("Environmental Protection Tax Law annex 2 values (N = Σ E/PEV); PM from combustion as soot (烟尘), process dust as general dust; TN has no value", "环境保护税法附表二污染当量值（N = Σ E/PEV）；燃烧颗粒物按烟尘、工艺粉尘按一般性粉尘；总氮无当量值").to_string()],
    ];
    table(
        t,
        o,
        &stamp(t.s("base year", "基准年")),
        &[t.s("item", "项目"), t.s("value", "数值")],
        &rows,
    );
    if let Some(cov) = input.roadmap.and_then(|r| r.coverage.as_ref()) {
        coverage(o, cx, cov);
    }
    o.push_str("</section>");
}

/// What the study's totals stand for (a roadmap of a study that states its
/// coverage): the region named in its tables, each sector's share and
/// statement with its source.
fn coverage(o: &mut String, cx: &Ctx<'_>, cov: &crate::study::Coverage) {
    let t = &cx.t;
    let lines = cov.lines(t.lang());
    // the IAMC region's name is English by the standard; a Chinese reader
    // is told what it is
    let region = match t.lang() {
        crate::text::Lang::Zh => format!("全部（IAMC 区域名 {}）", cov.region),
        crate::text::Lang::En => cov.region.clone(),
    };
    let mut rows = vec![vec![region, String::new(), lines[0].clone(), String::new()]];
    for (s, line) in cov.sectors.iter().zip(&lines[1..]) {
        rows.push(vec![
            sector_name(cx.input.sectors, &s.sector, t),
            s.share_percent
                .map(|x| format!("{} %", x.normalize()))
                .unwrap_or_else(|| t.s("unknown", "未知").to_string()),
            line.clone(),
            format!("{} ({})", s.source, s.confidence),
        ]);
    }
    table(
        t,
        o,
        t.s("study coverage", "研究覆盖范围"),
        &[
            t.s("sector", "行业"),
            t.s("share of the region", "占全省比例"),
            t.s("coverage", "覆盖范围"),
            t.s("source", "来源"),
        ],
        &rows,
    );
}

/// One row per facility-year (the first [`MAX_ROWS`]).
pub(in crate::report) fn inventory(o: &mut String, cx: &Ctx<'_>) {
    let (t, input) = (&cx.t, cx.input);
    let stamp = |s: &str| cx.stamp(s);
    cx.h2(o, "inventory");
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
                sector_name(input.sectors, &i.sector, t),
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
        t,
        o,
        &stamp(t.s("base year", "基准年")),
        &head,
        &rows,
        input.inventories.len(),
    );
    o.push_str("</section>");
}
