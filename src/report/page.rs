//! The page around the sections: what every section shares (the language,
//! the stamps under charts and tables, the table of contents), the head with
//! the style sheet and the navigation, and the footer.

use super::format::T;
use super::{esc, svg, Lang, ReportInput, GENERATOR};
use std::collections::BTreeSet;
use std::fmt::Write;

/// What every section of one report shares: the input, the language, the
/// GWP set and grid factors for the stamps, and the sections listed in the
/// navigation (their headings).
pub(super) struct Ctx<'a> {
    pub(super) input: &'a ReportInput<'a>,
    pub(super) t: T,
    /// The GWP set of the inventories, as the stamps write it.
    pub(super) gwp: String,
    /// The grid factors of the inventories, comma-separated.
    grid: String,
    /// (id, heading) of each section shown, in order.
    sections: Vec<(&'static str, &'static str)>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(input: &'a ReportInput<'a>) -> Ctx<'a> {
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
        let sections = sections_shown(input, &t);
        Ctx {
            input,
            t,
            gwp,
            grid,
            sections,
        }
    }

    /// The stamp of a base-year chart or table: scenario, GWP set, grid factor.
    pub(super) fn stamp(&self, scenario: &str) -> String {
        let t = &self.t;
        format!(
            "{}: {scenario} · GWP: {} · {}: {}",
            t.s("scenario", "情景"),
            self.gwp,
            t.s("grid factor", "电网因子"),
            self.grid
        )
    }

    /// The stamp of a roadmap chart or table: roadmap years use each
    /// scenario's grid trajectory (its `grid` rows).
    pub(super) fn stamp_rm(&self, scenario: &str) -> String {
        let t = &self.t;
        format!(
            "{}: {scenario} · GWP: {} · {}: {}",
            t.s("scenario", "情景"),
            self.gwp,
            t.s("grid factor", "电网因子"),
            t.s("the scenario's grid trajectory", "情景电网因子路径")
        )
    }

    /// Opens a section with its heading as listed in the navigation.
    pub(super) fn h2(&self, o: &mut String, id: &str) {
        let name = self
            .sections
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| *n)
            .unwrap_or(id);
        let _ = write!(o, "<section id=\"{id}\"><h2>{}</h2>", esc(name));
    }

    /// How charts write their values: 万 and 亿 in Chinese.
    pub(super) fn magnitudes(&self) -> svg::Magnitudes {
        if self.t.zh {
            svg::Magnitudes::Chinese
        } else {
            svg::Magnitudes::Plain
        }
    }

    /// A scenario's name in the report's language; the id where the user
    /// named a scenario of their own.
    pub(super) fn scenario_name(&self, id: &str, kind: &str) -> String {
        crate::roadmap::scenario_name(id, kind)
            .get(self.t.lang())
            .to_string()
    }

    /// The sectors of the study's inventories, by id.
    pub(super) fn sectors_present(&self) -> BTreeSet<&'a str> {
        self.input
            .inventories
            .iter()
            .map(|i| i.sector.as_str())
            .collect()
    }
}

/// The sections a report shows, in order: those without data are left out.
fn sections_shown(input: &ReportInput<'_>, t: &T) -> Vec<(&'static str, &'static str)> {
    let mut sections: Vec<(&'static str, &'static str)> =
        vec![("summary", t.s("Study summary", "研究概要"))];
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
    sections
}

/// The document's head, the title and the navigation.
pub(super) fn head(o: &mut String, cx: &Ctx<'_>) {
    let (t, input) = (&cx.t, cx.input);
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">{GENERATOR}<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{}</style></head><body>",
        if t.zh { "zh-CN" } else { "en" },
        esc(&input.title),
        CSS
    );
    let _ = write!(o, "<header><h1>{}</h1><p>{}</p></header><nav>", esc(&input.title), t.s("Carbon and pollution co-reduction accounting by coreduce. Every number comes from the factor library or the workbook; sources, editions and confidence are listed at the end.", "coreduce 减污降碳协同核算报告。所有数字均来自因子库或工作簿；来源、版本与置信度见文末。"));
    for (id, name) in &cx.sections {
        let _ = write!(o, "<a href=\"#{id}\">{}</a>", esc(name));
    }
    o.push_str("</nav>");
}

/// The footer with the version, closing the page.
pub(super) fn foot(o: &mut String) {
    o.push_str("<footer>coreduce ");
    o.push_str(env!("CARGO_PKG_VERSION"));
    o.push_str("</footer></body></html>\n");
}

const CSS: &str = "body{font-family:'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei','PingFang SC',system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 24px 40px;color:#222}header{border-bottom:3px solid #1f77b4;margin-bottom:12px}h1{font-size:24px}h2{font-size:20px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}nav a{margin-right:14px;font-size:13px}table{border-collapse:collapse;font-size:12px;margin:8px 0;width:100%}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left}th{background:#f3f6fa}td:nth-child(n+3){font-variant-numeric:tabular-nums}.stamp{font-size:11px;color:#666;margin:2px 0 16px}.warn{color:#b71c1c}svg{display:block;margin:10px 0;max-width:100%;height:auto}footer{margin-top:40px;font-size:11px;color:#888}@media print{nav{display:none}section{page-break-inside:avoid}}";
