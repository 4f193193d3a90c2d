//! roadmap.xlsx: the province trajectories by scenario (a sheet and line
//! chart per quantity), CO2e by sector per scenario (stacked area), peaks and
//! target attainment, the least-cost deployment, the base year's MACC and the
//! IAMC table; one function per sheet. Headers and chart titles are in the
//! study's language; sheet names stay English (scripts and the IAMC sheet
//! read them).

use super::iamc::{iamc_rows, write_iamc_sheet};
use crate::export::{num, WriteText};
use crate::graph::SectorLibrary;
use crate::measures::MaccStep;
use crate::roadmap::optimise::LeastCost;
use crate::roadmap::{RoadmapReport, ScenarioResult};
use crate::text::Lang;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type XlsxResult<T = ()> = std::result::Result<T, XlsxError>;

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

/// Writes roadmap.xlsx to `path`, its sheets in this order.
pub(super) fn roadmap_xlsx(
    path: &Path,
    rep: &RoadmapReport,
    macc: &[MaccStep],
    sectors: &SectorLibrary,
    lang: Lang,
) -> XlsxResult {
    let sheets = Sheets {
        rep,
        lang,
        bold: Format::new().set_bold(),
        years: (rep.base_year..=rep.end_year).collect(),
    };
    let mut wb = Workbook::new();
    if let Some(cov) = &rep.coverage {
        sheets.coverage(&mut wb, cov, sectors)?;
    }
    sheets.trajectories(&mut wb)?;
    sheets.co2e_by_sector(&mut wb, sectors)?;
    sheets.peak_targets(&mut wb)?;
    if let Some(lc) = &rep.least_cost {
        sheets.least_cost(&mut wb, lc)?;
    }
    sheets.macc(&mut wb, macc)?;
    let ws = wb.add_worksheet().set_name("iamc")?;
    write_iamc_sheet(ws, iamc_rows(rep, sectors))?;
    wb.save(path)
}

/// What every sheet of the workbook shares: the report, the language of its
/// headers and titles, the bold header format and the years to the horizon.
struct Sheets<'a> {
    rep: &'a RoadmapReport,
    lang: Lang,
    bold: Format,
    years: Vec<i32>,
}

impl Sheets<'_> {
    /// A header or title in the study's language.
    fn l(&self, en: &'static str, zh: &'static str) -> &'static str {
        if self.lang == Lang::Zh {
            zh
        } else {
            en
        }
    }

    /// A scenario as the user wrote it (the key of their scenarios sheet); in
    /// Chinese, its name there.
    fn shown_scenario(&self, id: &str, kind: &str) -> String {
        match self.lang {
            Lang::Zh => crate::roadmap::scenario_name(id, kind)
                .get(self.lang)
                .to_string(),
            Lang::En => id.to_string(),
        }
    }

    /// `coverage` (first, where the study states it): what the study's
    /// totals stand for, sector by sector, with the shares and sources.
    fn coverage(
        &self,
        wb: &mut Workbook,
        cov: &crate::study::Coverage,
        sectors: &SectorLibrary,
    ) -> XlsxResult {
        let ws = wb.add_worksheet().set_name("coverage")?;
        let head = [
            self.l("sector", "行业"),
            self.l("share of the region, %", "占全省比例，%"),
            self.l("coverage", "覆盖范围"),
            self.l("source", "来源"),
            self.l("confidence", "可信度"),
        ];
        for (c, h) in head.iter().enumerate() {
            ws.write_text_with_format(0, c as u16, *h, &self.bold)?;
        }
        let lines = cov.lines(self.lang);
        ws.write_text(1, 0, &cov.region)?;
        ws.write_text(1, 2, &lines[0])?;
        for (i, s) in cov.sectors.iter().enumerate() {
            let r = i as u32 + 2;
            ws.write_text(r, 0, sectors.sector_name(&s.sector, self.lang))?;
            if let Some(x) = s.share_percent {
                ws.write_number(r, 1, num(x))?;
            }
            ws.write_text(r, 2, &lines[i + 1])?;
            ws.write_text(r, 3, &s.source)?;
            ws.write_text(r, 4, &s.confidence)?;
        }
        ws.set_column_width(2, 100)?;
        Ok(())
    }

    /// The last row of a year column (the header is row 0).
    fn last_year_row(&self) -> u32 {
        self.years.len() as u32
    }

    /// Column A of a chart's data: the header `year`, then the years.
    fn year_column(&self, ws: &mut Worksheet) -> XlsxResult {
        ws.write_text_with_format(0, 0, self.l("year", "年份"), &self.bold)?;
        for (i, y) in self.years.iter().enumerate() {
            ws.write_number(i as u32 + 1, 0, *y)?;
        }
        Ok(())
    }

    /// Province trajectories by scenario, one sheet per quantity, each with a
    /// line chart.
    fn trajectories(&self, wb: &mut Workbook) -> XlsxResult {
        let l = |en, zh| self.l(en, zh);
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
            self.trajectory(wb, sheet, key, what)?;
        }
        Ok(())
    }

    /// One quantity's sheet: a column per scenario and its line chart.
    /// Every chart is titled with the user's study, never a fixed name.
    fn trajectory(&self, wb: &mut Workbook, sheet: &str, key: &str, what: &str) -> XlsxResult {
        let (rep, n) = (self.rep, self.last_year_row());
        let title = format!("{what}{}{}", self.l(", ", "，"), rep.study);
        let ws = wb.add_worksheet().set_name(sheet)?;
        self.year_column(ws)?;
        let mut chart = Chart::new(ChartType::Line);
        chart.title().set_name(&title);
        chart.x_axis().set_name(self.l("year", "年份"));
        chart.y_axis().set_name(key);
        for (c, sc) in rep.scenarios.iter().enumerate() {
            let col = c as u16 + 1;
            let name = self.shown_scenario(&sc.scenario, &sc.kind);
            ws.write_text_with_format(0, col, name, &self.bold)?;
            let s = crate::roadmap::series_of(&sc.points, key);
            for (i, y) in self.years.iter().enumerate() {
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
        Ok(())
    }

    /// CO2e by sector, stacked, a sheet per scenario (named by
    /// [`scenario_sheet_names`]).
    fn co2e_by_sector(&self, wb: &mut Workbook, sectors: &SectorLibrary) -> XlsxResult {
        let scenarios = &self.rep.scenarios;
        let names = scenario_sheet_names(
            scenarios.iter().map(|sc| sc.scenario.as_str()),
            &FIXED_SHEETS,
        );
        for (sc, name) in scenarios.iter().zip(names) {
            self.scenario_sectors(wb, sc, &name, sectors)?;
        }
        Ok(())
    }

    /// One scenario's sheet: a column of CO2e per sector and its stacked
    /// area chart.
    fn scenario_sectors(
        &self,
        wb: &mut Workbook,
        sc: &ScenarioResult,
        name: &str,
        sectors: &SectorLibrary,
    ) -> XlsxResult {
        let (lang, bold, n) = (self.lang, &self.bold, self.last_year_row());
        // the study's sectors only, in the library's order
        let present: std::collections::BTreeSet<&str> = self
            .rep
            .scenarios
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.sector.as_str()))
            .collect();
        let sector_ids: Vec<String> = sectors
            .sectors
            .keys()
            .filter(|id| present.contains(id.as_str()))
            .cloned()
            .collect();
        let ws = wb.add_worksheet().set_name(name)?;
        self.year_column(ws)?;
        let mut chart = Chart::new(ChartType::AreaStacked);
        let scenario = self.shown_scenario(&sc.scenario, &sc.kind);
        let title = match lang {
            Lang::Zh => format!("分行业 CO2e，{scenario}"),
            Lang::En => format!("CO2e by sector, {scenario}"),
        };
        chart.title().set_name(title.as_str());
        for (c, sec) in sector_ids.iter().enumerate() {
            let col = c as u16 + 1;
            // an English workbook keeps the sector's id as its column head
            let sector_name = match lang {
                Lang::Zh => sectors.sector_name(sec, lang),
                Lang::En => sec.clone(),
            };
            ws.write_text_with_format(0, col, &sector_name, bold)?;
            let mut by_year: BTreeMap<i32, Decimal> = BTreeMap::new();
            for p in sc.points.iter().filter(|p| &p.sector == sec) {
                *by_year.entry(p.year).or_default() +=
                    p.totals.get("CO2e").copied().unwrap_or_default();
            }
            for (i, y) in self.years.iter().enumerate() {
                ws.write_number(
                    i as u32 + 1,
                    col,
                    num(by_year.get(y).copied().unwrap_or_default()),
                )?;
            }
            chart
                .add_series()
                .set_categories((name, 1, 0, n, 0))
                .set_values((name, 1, col, n, col))
                .set_name((name, 0, col));
        }
        // The scenario's own name, whatever the sheet name had to become.
        let title_col = sector_ids.len() as u16 + 2;
        ws.write_text_with_format(
            0,
            title_col,
            format!("{}{scenario}", self.l("scenario: ", "情景：")),
            bold,
        )?;
        ws.insert_chart(1, title_col, &chart)?;
        Ok(())
    }

    /// Peak and targets: each scenario's peak, then every target's
    /// attainment below it.
    fn peak_targets(&self, wb: &mut Workbook) -> XlsxResult {
        let (l, bold) = (|en, zh| self.l(en, zh), &self.bold);
        let scenarios = &self.rep.scenarios;
        let ws = wb.add_worksheet().set_name("peak-targets")?;
        let heads = [
            l("scenario", "情景"),
            l("peak year", "达峰年"),
            l("peak CO2e (t)", "峰值 CO2e（吨）"),
            l("plateau until", "平台期至"),
            l("peaked", "已达峰"),
        ];
        for (c, h) in heads.iter().enumerate() {
            ws.write_text_with_format(0, c as u16, *h, bold)?;
        }
        for (r, sc) in scenarios.iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_text(r, 0, self.shown_scenario(&sc.scenario, &sc.kind))?;
            if let Some(p) = &sc.peak {
                ws.write_number(r, 1, p.year)?;
                ws.write_number(r, 2, num(p.value))?;
                ws.write_number(r, 3, p.plateau_until)?;
                ws.write_boolean(r, 4, p.peaked)?;
            }
        }
        let start = scenarios.len() as u32 + 3;
        let heads = [
            l("target", "目标"),
            l("scenario", "情景"),
            l("year", "年份"),
            l("cap", "上限"),
            l("value in year", "当年数值"),
            l("met in year", "当年达成"),
            l("met from", "自该年起达成"),
        ];
        for (c, h) in heads.iter().enumerate() {
            ws.write_text_with_format(start, c as u16, *h, bold)?;
        }
        let mut r = start + 1;
        for sc in scenarios {
            for a in &sc.attainment {
                ws.write_text(r, 0, &a.target)?;
                ws.write_text(r, 1, self.shown_scenario(&sc.scenario, &sc.kind))?;
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
        Ok(())
    }

    /// The least-cost deployment: status, cost and method, the
    /// explanations, the targets' prices, then each measure's deployment
    /// by year.
    fn least_cost(&self, wb: &mut Workbook, lc: &LeastCost) -> XlsxResult {
        let (l, bold) = (|en, zh| self.l(en, zh), &self.bold);
        let ws = wb.add_worksheet().set_name("least-cost")?;
        ws.write_text_with_format(0, 0, l("status", "求解状态"), bold)?;
        ws.write_text(0, 1, lc.status_name().get(self.lang))?;
        ws.write_text_with_format(
            1,
            0,
            l(
                "net present value of annualised costs (CNY, base year)",
                "年化成本净现值（元，基准年价）",
            ),
            bold,
        )?;
        ws.write_number(1, 1, num(lc.total_cost))?;
        ws.write_text_with_format(2, 0, l("method", "方法"), bold)?;
        ws.write_text(2, 1, lc.method_text.get(self.lang))?;
        let mut r = 4;
        for e in &lc.explanations {
            ws.write_text(r, 0, e.get(self.lang))?;
            r += 1;
        }
        let r = self.target_prices(ws, lc, r)?;
        self.deployment(ws, lc, r + 1)?;
        ws.set_column_width(0, 40)?;
        Ok(())
    }

    /// The least-cost sheet's table of target prices from row `r`; returns
    /// the row after it.
    fn target_prices(&self, ws: &mut Worksheet, lc: &LeastCost, mut r: u32) -> XlsxResult<u32> {
        let (l, bold) = (|en, zh| self.l(en, zh), &self.bold);
        ws.write_text_with_format(r, 0, l("target", "目标"), bold)?;
        ws.write_text_with_format(r, 1, l("year", "年份"), bold)?;
        ws.write_text_with_format(
            r,
            2,
            l("marginal cost (CNY per t a year)", "边际成本（元/吨·年）"),
            bold,
        )?;
        ws.write_text_with_format(r, 3, l("binding", "紧约束"), bold)?;
        ws.write_text_with_format(r, 4, l("holds until", "有效至"), bold)?;
        ws.write_text_with_format(
            r,
            5,
            l("dual, present value (CNY per t)", "对偶值现值（元/吨）"),
            bold,
        )?;
        ws.write_text_with_format(
            r,
            6,
            l("lowest unit cost (CNY per t)", "最低单位成本（元/吨）"),
            bold,
        )?;
        ws.write_text_with_format(
            r,
            7,
            l("highest unit cost (CNY per t)", "最高单位成本（元/吨）"),
            bold,
        )?;
        ws.write_text_with_format(r, 8, l("note", "说明"), bold)?;
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
            ws.write_text(r, 8, p.note.get(self.lang))?;
            r += 1;
        }
        Ok(r)
    }

    /// The least-cost sheet's deployment from row `r`: a row per measure, a
    /// column per year any measure is deployed.
    fn deployment(&self, ws: &mut Worksheet, lc: &LeastCost, mut r: u32) -> XlsxResult {
        let l = |en, zh| self.l(en, zh);
        ws.write_text_with_format(r, 0, l("measure", "措施"), &self.bold)?;
        let dep_years: BTreeSet<i32> = lc.points.values().flat_map(|p| p.keys().copied()).collect();
        for (i, y) in dep_years.iter().enumerate() {
            ws.write_number_with_format(r, 1 + i as u16, *y, &self.bold)?;
        }
        r += 1;
        for (m, p) in &lc.points {
            ws.write_text(r, 0, m)?;
            for (i, y) in dep_years.iter().enumerate() {
                ws.write_number(r, 1 + i as u16, num(p.get(y).copied().unwrap_or_default()))?;
            }
            r += 1;
        }
        Ok(())
    }

    /// The MACC of the base year: the measures with a cost per tonne, and a
    /// column chart of it plain and co-benefit-adjusted.
    fn macc(&self, wb: &mut Workbook, macc: &[MaccStep]) -> XlsxResult {
        let l = |en, zh| self.l(en, zh);
        let ws = wb.add_worksheet().set_name("macc")?;
        for (c, h) in [
            l("measure", "措施"),
            l("potential CO2e (t/yr)", "CO2e 减排潜力（吨/年）"),
            l("CNY per t CO2e", "单位 CO2e 减排成本（元/吨）"),
            l("co-benefit-adjusted MAC", "计入协同效益的边际减排成本"),
        ]
        .iter()
        .enumerate()
        {
            ws.write_text_with_format(0, c as u16, *h, &self.bold)?;
        }
        let shown: Vec<&MaccStep> = macc
            .iter()
            .filter(|s| s.cost_per_t_co2e.is_some())
            .collect();
        for (i, s) in shown.iter().enumerate() {
            let r = i as u32 + 1;
            // a Chinese study reads the measure's name, an English one its id
            let shown = match self.lang {
                Lang::Zh if !s.name_zh.is_empty() => &s.name_zh,
                _ => &s.measure,
            };
            ws.write_text(r, 0, shown)?;
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
        Ok(())
    }
}
