//! The inventory as a formatted xlsx: summary, by facility, by process (the
//! tidy rows), factors used and warnings. Every sheet is written in
//! rust_xlsxwriter's low-memory mode: each row goes to a scratch file as soon
//! as the next one starts, with its text in the shared-string table (each
//! distinct text once, so the by-process sheet's repeated ids, sectors and
//! factor lists cost an index per cell, not the text: a third less XML to
//! compress than inline strings). The summary, warnings and by-process
//! sheets are written as the facility-years are computed; by facility (whose
//! columns are the run's substances) and factors used when the run ends.

use super::names::Names;
use super::{
    num, overridden, override_ids, write_error, InventoryWriter, RunSummary, WriteText, CSV_COLUMNS,
};
use crate::accounting::Inventory;
use crate::error::Result;
use crate::factors::FactorLibrary;
use crate::output::neutralise;
use crate::text::Lang;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const SUMMARY: usize = 0;
const BY_FACILITY: usize = 1;
const BY_PROCESS: usize = 2;
const FACTORS_USED: usize = 3;
const WARNINGS: usize = 4;

/// Excel's last row (1,048,576 rows, the header included): rows beyond it go
/// to a continuation sheet, `by-process (2)`, … (100,000 facility-years
/// make about 1.5 million rows).
const LAST_ROW: u32 = 1_048_575;

/// The summary sheet's columns: one row per facility-year.
const SUMMARY_COLUMNS: [&str; 22] = [
    "facility_id",
    "name",
    "sector",
    "technology",
    "edition",
    "city",
    "year",
    "output",
    "output_unit",
    "CO2e (t, view)",
    "scope 1 CO2e",
    "scope 2 CO2e",
    "biogenic CO2 memo",
    "energy (tce)",
    "air pollution eq.",
    "water pollution eq.",
    "CO2e per output",
    "GWP",
    "view",
    "grid factor",
    "scope 2 CO2, location-based (t)",
    "scope 2 CO2, market-based (t)",
];

/// The warnings sheet's columns.
const WARNING_COLUMNS: [&str; 4] = ["facility_id", "year", "where", "warning"];

pub(crate) struct XlsxWriter {
    wb: Workbook,
    path: PathBuf,
    /// the by-process sheet being written (the first, or a continuation)
    by_process: usize,
    /// how many by-process sheets there are
    by_process_parts: u32,
    /// next row of the by-process sheet
    next_row: u32,
    /// next row of the summary and warnings sheets
    next_summary_row: u32,
    next_warning_row: u32,
    overrides: BTreeSet<String>,
    number: Format,
    bold: Format,
    lang: Lang,
    /// codes as the workbook's language writes them
    names: Names,
}

/// The Chinese of every fixed column header of the inventory workbook, for
/// a Chinese study (`language zh`): the sheets keep their English names and
/// the CSV and JSON their English field names, so scripts read all studies
/// alike, while people read the headers in their language.
const HEADERS_ZH: &[(&str, &str)] = &[
    ("facility_id", "设施编号"),
    ("name", "名称"),
    ("year", "年份"),
    ("sector", "行业"),
    ("process", "工序"),
    ("source", "排放源"),
    ("substance", "物质"),
    ("amount", "排放量"),
    ("amount_outside_view", "口径外排放量"),
    ("unit", "单位"),
    ("tier", "层级（Tier）"),
    ("factor_ids", "因子编号"),
    ("scope", "范围"),
    ("in_view", "计入口径"),
    ("city", "市（州）"),
    ("county", "县（市、区）"),
    ("technology", "技术"),
    ("edition", "核算版本"),
    ("overrides", "覆盖的因子"),
    ("output", "产量"),
    ("output_unit", "产量单位"),
    ("CO2e (t, view)", "CO2e（吨，按口径）"),
    ("scope 1 CO2e", "范围一 CO2e（吨）"),
    ("scope 2 CO2e", "范围二 CO2e（吨）"),
    ("biogenic CO2 memo", "生物质 CO2（备忘项，吨）"),
    ("energy (tce)", "综合能耗（吨标准煤）"),
    ("air pollution eq.", "大气污染当量"),
    ("water pollution eq.", "水污染当量"),
    ("CO2e per output", "单位产品 CO2e"),
    ("GWP", "GWP 取值"),
    ("view", "核算口径"),
    ("grid factor", "电网排放因子"),
    (
        "scope 2 CO2, location-based (t)",
        "范围二 CO2，基于位置法（吨）",
    ),
    (
        "scope 2 CO2, market-based (t)",
        "范围二 CO2，基于市场法（吨）",
    ),
    ("factor_id", "因子编号"),
    ("value", "数值"),
    ("confidence", "可信度"),
    ("locator", "出处位置"),
    ("origin", "来源类型"),
    ("replaced value", "被替换的数值"),
    ("note", "说明"),
    ("where", "位置"),
    ("warning", "警告"),
];

/// A column header in `lang`; by-facility's substance columns (`SO2 (t)`,
/// `CO2_bio outside view (t)`) are formed the same way in Chinese.
fn header_in(en: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return en.to_string();
    }
    if let Some((_, zh)) = HEADERS_ZH.iter().find(|(e, _)| *e == en) {
        return zh.to_string();
    }
    if let Some(sub) = en.strip_suffix(" outside view (t)") {
        return format!("{sub} 口径外（吨）");
    }
    if let Some(sub) = en.strip_suffix(" (t)") {
        return format!("{sub}（吨）");
    }
    en.to_string()
}

fn headers(
    ws: &mut Worksheet,
    cols: &[&str],
    bold: &Format,
    lang: Lang,
) -> std::result::Result<(), XlsxError> {
    for (c, h) in cols.iter().enumerate() {
        ws.set_column_width(c as u16, 16)?;
        ws.write_text_with_format(0, c as u16, header_in(h, lang), bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

impl XlsxWriter {
    pub(crate) fn create(
        path: &Path,
        lib: &FactorLibrary,
        lang: Lang,
        names: Names,
    ) -> Result<Self> {
        let xe = |e: XlsxError| write_error(path, "xlsx", e);
        let mut wb = Workbook::new();
        // The sheets' scratch files sit beside the output.
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        wb.set_tempdir(&dir).map_err(xe)?;
        let bold = Format::new().set_bold();
        // in the order of SUMMARY, BY_FACILITY, BY_PROCESS, FACTORS_USED, WARNINGS
        for name in [
            "summary",
            "by-facility",
            "by-process",
            "factors-used",
            "warnings",
        ] {
            wb.add_worksheet_with_low_memory()
                .set_name(name)
                .map_err(xe)?;
        }
        // Rows are flushed in order, so each sheet streamed as the run goes
        // gets its header first.
        let ws = wb.worksheet_from_index(BY_PROCESS).map_err(xe)?;
        headers(ws, &CSV_COLUMNS, &bold, lang).map_err(xe)?;
        headers(
            wb.worksheet_from_index(SUMMARY).map_err(xe)?,
            &SUMMARY_COLUMNS,
            &bold,
            lang,
        )
        .map_err(xe)?;
        let ws = wb.worksheet_from_index(WARNINGS).map_err(xe)?;
        headers(ws, &WARNING_COLUMNS, &bold, lang).map_err(xe)?;
        ws.set_column_width(3, 100).map_err(xe)?;
        Ok(XlsxWriter {
            wb,
            path: path.to_path_buf(),
            by_process: BY_PROCESS,
            by_process_parts: 1,
            next_row: 1,
            next_summary_row: 1,
            next_warning_row: 1,
            overrides: override_ids(lib),
            number: Format::new().set_num_format("#,##0.000000"),
            bold,
            lang,
            names,
        })
    }

    fn rows(&mut self, inventories: &[Inventory]) -> std::result::Result<(), XlsxError> {
        let XlsxWriter {
            wb,
            by_process,
            by_process_parts,
            next_row,
            next_summary_row,
            next_warning_row,
            overrides,
            number,
            bold,
            lang,
            names,
            ..
        } = self;
        let sheets = RunSheets {
            bold,
            number,
            lang: *lang,
            names,
        };
        for inv in inventories {
            sheets.summary_row(wb.worksheet_from_index(SUMMARY)?, *next_summary_row, inv)?;
            *next_summary_row += 1;
            *next_warning_row =
                sheets.warning_rows(wb.worksheet_from_index(WARNINGS)?, *next_warning_row, inv)?;
        }
        for inv in inventories {
            let facility = neutralise(&inv.facility_id);
            let city = neutralise(names.city(inv.city.as_deref().unwrap_or("")));
            let county = neutralise(inv.county.as_deref().unwrap_or(""));
            for row in &inv.rows {
                if *next_row > LAST_ROW {
                    *by_process_parts += 1;
                    *by_process = wb.worksheets().len();
                    let ws = wb.add_worksheet_with_low_memory();
                    ws.set_name(format!("by-process ({by_process_parts})"))?;
                    headers(ws, &CSV_COLUMNS, bold, *lang)?;
                    *next_row = 1;
                }
                let ws = wb.worksheet_from_index(*by_process)?;
                let r = *next_row;
                ws.write_text(r, 0, &facility)?;
                ws.write_number(r, 1, inv.year)?;
                ws.write_text(r, 2, names.sector(&inv.sector))?;
                ws.write_text(r, 3, names.process(&inv.sector, &row.node))?;
                ws.write_text(r, 4, names.source(&inv.sector, &row.source))?;
                ws.write_text(r, 5, &row.substance)?;
                // Counted in the view, or beside it (see CSV_COLUMNS).
                let amount_col = if row.in_view { 6 } else { 7 };
                ws.write_number_with_format(r, amount_col, num(row.amount), number)?;
                ws.write_text(r, 8, &row.unit)?;
                ws.write_number(r, 9, row.tier)?;
                ws.write_text(r, 10, row.factor_ids.join(";"))?;
                ws.write_number(r, 11, row.scope)?;
                ws.write_boolean(r, 12, row.in_view)?;
                ws.write_text(r, 13, &city)?;
                ws.write_text(r, 14, &county)?;
                ws.write_text(r, 15, names.technology(&inv.sector, &inv.technology))?;
                ws.write_text(r, 16, &inv.edition)?;
                let over = overridden(&row.factor_ids, overrides);
                if !over.is_empty() {
                    ws.write_text(r, 17, over)?;
                }
                *next_row += 1;
            }
        }
        Ok(())
    }

    /// Completes the workbook with what needs the whole run: the
    /// by-process autofilter, then the sheets of one row per facility-year
    /// or factor, and saves it.
    fn complete(mut self, run: &RunSummary<'_>) -> std::result::Result<(), XlsxError> {
        let ws = self.wb.worksheet_from_index(BY_PROCESS)?;
        ws.autofilter(
            0,
            0,
            self.next_row.saturating_sub(1).max(1),
            CSV_COLUMNS.len() as u16 - 1,
        )?;
        let end = RunSheets {
            bold: &self.bold,
            number: &self.number,
            lang: self.lang,
            names: &self.names,
        };
        let wb = &mut self.wb;
        wb.worksheet_from_index(SUMMARY)?.autofilter(
            0,
            0,
            self.next_summary_row.saturating_sub(1).max(1),
            SUMMARY_COLUMNS.len() as u16 - 1,
        )?;
        end.by_facility(wb.worksheet_from_index(BY_FACILITY)?, run.inventories)?;
        end.factors_used(wb.worksheet_from_index(FACTORS_USED)?, run)?;
        self.wb.save(&self.path)
    }
}

/// The sheets filled when the run ends, with the workbook's formats and
/// language.
struct RunSheets<'a> {
    bold: &'a Format,
    number: &'a Format,
    lang: Lang,
    names: &'a Names,
}

impl RunSheets<'_> {
    fn headers(&self, ws: &mut Worksheet, cols: &[&str]) -> std::result::Result<(), XlsxError> {
        headers(ws, cols, self.bold, self.lang)
    }

    /// A summary row: one per facility-year.
    fn summary_row(
        &self,
        ws: &mut Worksheet,
        r: u32,
        inv: &Inventory,
    ) -> std::result::Result<(), XlsxError> {
        let number = self.number;
        let t = &inv.totals;
        ws.write_text(r, 0, neutralise(&inv.facility_id))?;
        ws.write_text(r, 1, neutralise(&inv.name))?;
        let names = self.names;
        ws.write_text(r, 2, names.sector(&inv.sector))?;
        ws.write_text(r, 3, names.technology(&inv.sector, &inv.technology))?;
        ws.write_text(r, 4, &inv.edition)?;
        ws.write_text(
            r,
            5,
            neutralise(names.city(inv.city.as_deref().unwrap_or(""))),
        )?;
        ws.write_number(r, 6, inv.year)?;
        ws.write_number_with_format(r, 7, num(inv.output), number)?;
        ws.write_text(r, 8, &inv.output_unit)?;
        for (c, v) in [
            t.co2e,
            t.co2e_scope1,
            t.co2e_scope2,
            t.co2_biogenic_memo,
            t.energy_tce,
            t.apeq,
            t.wpeq,
        ]
        .iter()
        .enumerate()
        {
            ws.write_number_with_format(r, 9 + c as u16, num(*v), number)?;
        }
        if let Some(x) = t.co2e_per_output {
            ws.write_number_with_format(r, 16, num(x), number)?;
        }
        ws.write_text(r, 17, format!("{:?}", inv.gwp).to_uppercase())?;
        ws.write_text(r, 18, format!("{:?}", inv.view).to_lowercase())?;
        ws.write_text(r, 19, &inv.grid_factor)?;
        // Both scope 2 figures (GHG Protocol dual reporting), whichever
        // of them the view counts.
        ws.write_number_with_format(r, 20, num(t.scope2_location_co2), number)?;
        ws.write_number_with_format(r, 21, num(t.scope2_market_co2), number)?;
        Ok(())
    }

    /// By facility: substance totals, the view's then those outside it.
    fn by_facility(
        &self,
        ws: &mut Worksheet,
        inventories: &[Inventory],
    ) -> std::result::Result<(), XlsxError> {
        let number = self.number;
        let subs: BTreeSet<String> = inventories
            .iter()
            .flat_map(|i| i.totals.by_substance.keys().cloned())
            .collect();
        // Rows outside the view (memo items; purchased power under the
        // compliance view) in columns of their own after the view's.
        let outside: BTreeSet<String> = inventories
            .iter()
            .flat_map(|i| i.totals.outside_view.keys().cloned())
            .collect();
        let mut cols: Vec<String> = vec!["facility_id".into(), "year".into()];
        cols.extend(subs.iter().map(|s| format!("{s} (t)")));
        cols.extend(outside.iter().map(|s| format!("{s} outside view (t)")));
        self.headers(ws, &cols.iter().map(String::as_str).collect::<Vec<_>>())?;
        for (i, inv) in inventories.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_text(r, 0, neutralise(&inv.facility_id))?;
            ws.write_number(r, 1, inv.year)?;
            let columns = subs
                .iter()
                .map(|s| inv.totals.by_substance.get(s))
                .chain(outside.iter().map(|s| inv.totals.outside_view.get(s)));
            for (c, v) in columns.enumerate() {
                if let Some(v) = v {
                    ws.write_number_with_format(r, 2 + c as u16, num(*v), number)?;
                }
            }
        }
        ws.autofilter(0, 0, inventories.len().max(1) as u32, cols.len() as u16 - 1)?;
        Ok(())
    }

    /// Factors used: every factor a row used, where it came from.
    fn factors_used(
        &self,
        ws: &mut Worksheet,
        run: &RunSummary<'_>,
    ) -> std::result::Result<(), XlsxError> {
        // `source` here is the document, not the emission source of the
        // by-process sheet: its own Chinese header
        let source = match self.lang {
            Lang::Zh => "文献来源",
            Lang::En => "source",
        };
        let cols = [
            "factor_id",
            "value",
            "unit",
            "substance",
            "edition",
            "confidence",
            source,
            "locator",
            "origin",
            "replaced value",
            "note",
        ];
        self.headers(ws, &cols)?;
        let ids = run.factor_ids;
        for (i, f) in ids.iter().filter_map(|id| run.lib.find(id)).enumerate() {
            let r = i as u32 + 1;
            ws.write_text(r, 0, &f.id)?;
            ws.write_text(r, 1, f.value.to_string())?;
            ws.write_text(r, 2, f.unit.symbol())?;
            ws.write_text(r, 3, f.substance.map(|s| s.code()).unwrap_or(""))?;
            ws.write_text(r, 4, &f.edition)?;
            ws.write_text(r, 5, f.confidence.name().get(self.lang))?;
            ws.write_text(r, 6, neutralise(&f.source.to_string()))?;
            ws.write_text(r, 7, &f.locator)?;
            ws.write_text(
                r,
                8,
                match (&f.origin, self.lang) {
                    (crate::factors::Origin::Library, Lang::En) => "library".to_string(),
                    (crate::factors::Origin::Library, Lang::Zh) => "因子库".to_string(),
                    (crate::factors::Origin::UserFolder { path }, Lang::En) => {
                        format!("user folder {path}")
                    }
                    (crate::factors::Origin::UserFolder { path }, Lang::Zh) => {
                        format!("用户因子目录 {path}")
                    }
                    (crate::factors::Origin::Override { location }, Lang::En) => {
                        format!("OVERRIDE at {location}")
                    }
                    (crate::factors::Origin::Override { location }, Lang::Zh) => {
                        format!("覆盖值（{location}）")
                    }
                },
            )?;
            if let Some(v) = f.replaced_value {
                ws.write_text(r, 9, v.to_string())?;
            }
            ws.write_text(r, 10, neutralise(&f.note))?;
        }
        ws.autofilter(0, 0, ids.len().max(1) as u32, cols.len() as u16 - 1)?;
        Ok(())
    }

    /// A facility-year's warnings, each once, where it arose, from row
    /// `first`; returns the next free row.
    fn warning_rows(
        &self,
        ws: &mut Worksheet,
        first: u32,
        inv: &Inventory,
    ) -> std::result::Result<u32, XlsxError> {
        let mut r = first;
        let mut seen = BTreeSet::new();
        for w in &inv.warnings {
            if !seen.insert(&*w.message) {
                continue;
            }
            ws.write_text(r, 0, neutralise(&inv.facility_id))?;
            ws.write_number(r, 1, inv.year)?;
            ws.write_text(r, 2, neutralise(w.location_in(self.lang)))?;
            ws.write_text(r, 3, neutralise(w.message_in(self.lang)))?;
            r += 1;
        }
        Ok(r)
    }
}

impl InventoryWriter for XlsxWriter {
    fn write(&mut self, batch: &[Inventory]) -> Result<()> {
        self.rows(batch)
            .map_err(|e| write_error(&self.path, "xlsx", e))
    }
    fn finish(self: Box<Self>, run: &RunSummary<'_>) -> Result<()> {
        let path = self.path.clone();
        self.complete(run)
            .map_err(|e| write_error(&path, "xlsx", e))
    }
}
