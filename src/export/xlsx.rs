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
/// to a continuation sheet, `by-process (2)`, `summary (2)`, … (100,000
/// facility-years make about 1.5 million by-process rows; a million make
/// more summary and warning rows than one sheet holds).
const LAST_ROW: u32 = 1_048_575;

/// The zip deflate level of the workbook: Excel's own (3), not the zip
/// crate's default (6). The sheets' XML is compressed on one thread when the
/// workbook is saved, after the run. At 100,000 facility-years (970 MB of
/// XML) the whole run took 30.8 s at level 6, 22.5 s at level 3 for a file
/// 14 % larger (132 MB against 116 MB), and 19.9 s at level 1 for one 67 %
/// larger (one run each, tenth session; BENCHMARKS.md).
const ZIP_LEVEL: u8 = 3;

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

/// A sheet written row by row, in order, that continues on `name (2)`,
/// `name (3)`, … past Excel's last row: a million facility-years make more
/// summary, warning and by-process rows than one sheet holds.
struct Continued {
    name: &'static str,
    columns: Vec<String>,
    /// a column widened for long text (the warnings' messages)
    wide: Option<u16>,
    /// the sheet being written (the first, or a continuation)
    sheet: usize,
    /// how many sheets there are
    parts: u32,
    next_row: u32,
    /// the last row of a sheet: [`LAST_ROW`] (smaller in tests)
    last_row: u32,
}

impl Continued {
    /// Starts on the workbook's sheet `sheet` with the header row.
    #[allow(clippy::too_many_arguments)]
    fn start(
        wb: &mut Workbook,
        sheet: usize,
        name: &'static str,
        columns: Vec<String>,
        wide: Option<u16>,
        last_row: u32,
        bold: &Format,
        lang: Lang,
    ) -> std::result::Result<Continued, XlsxError> {
        let part = Continued {
            name,
            columns,
            wide,
            sheet,
            parts: 1,
            next_row: 1,
            last_row,
        };
        part.header(wb.worksheet_from_index(sheet)?, bold, lang)?;
        Ok(part)
    }

    fn header(
        &self,
        ws: &mut Worksheet,
        bold: &Format,
        lang: Lang,
    ) -> std::result::Result<(), XlsxError> {
        let cols: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        headers(ws, &cols, bold, lang)?;
        if let Some(c) = self.wide {
            ws.set_column_width(c, 100)?;
        }
        Ok(())
    }

    /// The sheet and row of the next row, opening a continuation sheet when
    /// this one is full.
    fn next<'w>(
        &mut self,
        wb: &'w mut Workbook,
        bold: &Format,
        lang: Lang,
    ) -> std::result::Result<(&'w mut Worksheet, u32), XlsxError> {
        if self.next_row > self.last_row {
            self.filter(wb)?;
            self.parts += 1;
            self.sheet = wb.worksheets().len();
            let ws = wb.add_worksheet_with_low_memory()?;
            ws.set_name(format!("{} ({})", self.name, self.parts))?;
            self.header(ws, bold, lang)?;
            self.next_row = 1;
        }
        let r = self.next_row;
        self.next_row += 1;
        Ok((wb.worksheet_from_index(self.sheet)?, r))
    }

    /// The autofilter over the sheet being written.
    fn filter(&self, wb: &mut Workbook) -> std::result::Result<(), XlsxError> {
        wb.worksheet_from_index(self.sheet)?.autofilter(
            0,
            0,
            self.next_row.saturating_sub(1).max(1),
            self.columns.len() as u16 - 1,
        )?;
        Ok(())
    }
}

fn owned(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| c.to_string()).collect()
}

pub(crate) struct XlsxWriter {
    wb: Workbook,
    path: PathBuf,
    by_process: Continued,
    summary: Continued,
    warnings: Continued,
    last_row: u32,
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
        Self::with_last_row(path, lib, lang, names, LAST_ROW)
    }

    /// A writer whose sheets continue after `last_row` rows (tests use a
    /// small one).
    fn with_last_row(
        path: &Path,
        lib: &FactorLibrary,
        lang: Lang,
        names: Names,
        last_row: u32,
    ) -> Result<Self> {
        let xe = |e: XlsxError| write_error(path, "xlsx", e);
        let mut wb = Workbook::new();
        // The sheets' scratch files sit beside the output.
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        wb.set_tempdir(&dir).map_err(xe)?;
        wb.set_zip_compression_level(ZIP_LEVEL);
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
                .and_then(|ws| ws.set_name(name))
                .map_err(xe)?;
        }
        // Rows are flushed in order, so each sheet streamed as the run goes
        // gets its header first.
        let summary = Continued::start(
            &mut wb,
            SUMMARY,
            "summary",
            owned(&SUMMARY_COLUMNS),
            None,
            last_row,
            &bold,
            lang,
        )
        .map_err(xe)?;
        let by_process = Continued::start(
            &mut wb,
            BY_PROCESS,
            "by-process",
            owned(&CSV_COLUMNS),
            None,
            last_row,
            &bold,
            lang,
        )
        .map_err(xe)?;
        let warnings = Continued::start(
            &mut wb,
            WARNINGS,
            "warnings",
            owned(&WARNING_COLUMNS),
            Some(3),
            last_row,
            &bold,
            lang,
        )
        .map_err(xe)?;
        Ok(XlsxWriter {
            wb,
            path: path.to_path_buf(),
            by_process,
            summary,
            warnings,
            last_row,
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
            summary,
            warnings,
            overrides,
            number,
            bold,
            lang,
            names,
            ..
        } = self;
        let (bold, lang) = (&*bold, *lang);
        let sheets = RunSheets {
            bold,
            number,
            lang,
            names,
        };
        for inv in inventories {
            let (ws, r) = summary.next(wb, bold, lang)?;
            sheets.summary_row(ws, r, inv)?;
            sheets.warning_rows(wb, warnings, inv)?;
        }
        for inv in inventories {
            let facility = neutralise(&inv.facility_id);
            let city = neutralise(names.city(inv.city.as_deref().unwrap_or("")));
            let county = neutralise(inv.county.as_deref().unwrap_or(""));
            for row in &inv.rows {
                let (ws, r) = by_process.next(wb, bold, lang)?;
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
            }
        }
        Ok(())
    }

    /// Completes the workbook with what needs the whole run: the
    /// by-process autofilter, then the sheets of one row per facility-year
    /// or factor, and saves it.
    fn complete(mut self, run: &RunSummary<'_>) -> std::result::Result<(), XlsxError> {
        let wb = &mut self.wb;
        for part in [&self.summary, &self.by_process, &self.warnings] {
            part.filter(wb)?;
        }
        let end = RunSheets {
            bold: &self.bold,
            number: &self.number,
            lang: self.lang,
            names: &self.names,
        };
        end.by_facility(wb, run.inventories, self.last_row)?;
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
        wb: &mut Workbook,
        inventories: &[Inventory],
        last_row: u32,
    ) -> std::result::Result<(), XlsxError> {
        let number = self.number;
        let subs: BTreeSet<&str> = inventories
            .iter()
            .flat_map(|i| i.totals.by_substance.keys().map(|k| &**k))
            .collect();
        // Rows outside the view (memo items; purchased power under the
        // compliance view) in columns of their own after the view's.
        let outside: BTreeSet<&str> = inventories
            .iter()
            .flat_map(|i| i.totals.outside_view.keys().map(|k| &**k))
            .collect();
        let mut cols: Vec<String> = vec!["facility_id".into(), "year".into()];
        cols.extend(subs.iter().map(|s| format!("{s} (t)")));
        cols.extend(outside.iter().map(|s| format!("{s} outside view (t)")));
        let mut sheet = Continued::start(
            wb,
            BY_FACILITY,
            "by-facility",
            cols,
            None,
            last_row,
            self.bold,
            self.lang,
        )?;
        for inv in inventories {
            let (ws, r) = sheet.next(wb, self.bold, self.lang)?;
            ws.write_text(r, 0, neutralise(&inv.facility_id))?;
            ws.write_number(r, 1, inv.year)?;
            let columns = subs
                .iter()
                .map(|s| inv.totals.by_substance.get(*s))
                .chain(outside.iter().map(|s| inv.totals.outside_view.get(*s)));
            for (c, v) in columns.enumerate() {
                if let Some(v) = v {
                    ws.write_number_with_format(r, 2 + c as u16, num(*v), number)?;
                }
            }
        }
        sheet.filter(wb)
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

    /// A facility-year's warnings, each once, where it arose.
    fn warning_rows(
        &self,
        wb: &mut Workbook,
        sheet: &mut Continued,
        inv: &Inventory,
    ) -> std::result::Result<(), XlsxError> {
        let mut seen = BTreeSet::new();
        for w in &inv.warnings {
            if !seen.insert(&*w.message) {
                continue;
            }
            let (ws, r) = sheet.next(wb, self.bold, self.lang)?;
            ws.write_text(r, 0, neutralise(&inv.facility_id))?;
            ws.write_number(r, 1, inv.year)?;
            ws.write_text(r, 2, neutralise(w.location_in(self.lang)))?;
            ws.write_text(r, 3, neutralise(w.message_in(self.lang)))?;
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::SectorLibrary;
    use calamine::{open_workbook_auto, Data, Reader};

    /// The first column of a sheet and its continuations, in order, with how
    /// many data rows each part holds.
    fn first_column(
        book: &mut calamine::Sheets<std::io::BufReader<std::fs::File>>,
        name: &str,
    ) -> (Vec<String>, Vec<usize>) {
        let (mut ids, mut parts) = (Vec::new(), Vec::new());
        for sheet in book.sheet_names() {
            if sheet != name && !sheet.starts_with(&format!("{name} (")) {
                continue;
            }
            let range = book.worksheet_range(&sheet).unwrap();
            let rows: Vec<String> = range
                .rows()
                .skip(1)
                .map(|r| match &r[0] {
                    Data::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            parts.push(rows.len());
            ids.extend(rows);
        }
        (ids, parts)
    }

    #[test]
    fn every_sheet_continues_past_the_last_row_in_order() {
        let f = FactorLibrary::embedded().unwrap();
        let s = SectorLibrary::embedded(&f).unwrap();
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sichuan-sample.xlsx");
        let run = crate::workbook::run_workbook(&sample, &f, &s).unwrap();
        let invs = &run.inventories;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("inventory.xlsx");
        // three data rows per sheet
        let mut writer =
            XlsxWriter::with_last_row(&out, &run.factors, Lang::En, Names::default(), 3).unwrap();
        writer.write(invs).unwrap();
        let ids: BTreeSet<String> = invs.iter().flat_map(|i| i.factor_ids()).collect();
        Box::new(writer)
            .finish(&RunSummary {
                inventories: invs,
                factor_ids: &ids,
                lib: &run.factors,
            })
            .unwrap();

        let mut book = open_workbook_auto(&out).unwrap();
        let part_sizes = |n: usize| {
            let mut sizes = vec![3; n / 3];
            if n % 3 > 0 {
                sizes.push(n % 3);
            }
            sizes
        };
        let facility_years: Vec<String> = invs.iter().map(|i| i.facility_id.clone()).collect();
        assert!(
            facility_years.len() > 3,
            "the sample needs a second summary sheet"
        );
        for name in ["summary", "by-facility"] {
            let (got, parts) = first_column(&mut book, name);
            assert_eq!(got, facility_years, "{name}");
            assert_eq!(parts, part_sizes(facility_years.len()), "{name}");
        }
        let rows: Vec<String> = invs
            .iter()
            .flat_map(|i| i.rows.iter().map(|_| i.facility_id.clone()))
            .collect();
        let (got, parts) = first_column(&mut book, "by-process");
        assert_eq!(got, rows);
        assert_eq!(parts, part_sizes(rows.len()));
        let warnings: Vec<String> = invs
            .iter()
            .flat_map(|i| {
                let distinct: BTreeSet<&str> = i.warnings.iter().map(|w| &*w.message).collect();
                vec![i.facility_id.clone(); distinct.len()]
            })
            .collect();
        assert!(
            warnings.len() > 3,
            "the sample needs a second warnings sheet"
        );
        let (got, parts) = first_column(&mut book, "warnings");
        assert_eq!(got, warnings);
        assert_eq!(parts, part_sizes(warnings.len()));
    }
}
