//! The inventory as a formatted xlsx: summary, by facility, by process (the
//! tidy rows), factors used and warnings. The sheets written as the
//! facility-years are computed (summary, warnings and by process, which
//! holds nine in ten of the cells) are XML we write, each compressed on a
//! thread of its own as the rows come ([`streamed`], [`part`]).
//! rust_xlsxwriter writes the rest when the run ends in its low-memory mode
//! (by facility, whose columns are the run's substances, and factors used),
//! with the styles, the workbook and a placeholder of each streamed sheet,
//! and the two are merged into one file as compressed bytes.

mod part;
mod streamed;

use self::streamed::{RowWriter, StreamedSheet};
use super::names::Names;
use super::{num, override_ids, write_error, InventoryWriter, RunSummary, WriteText, CSV_COLUMNS};
use crate::accounting::Inventory;
use crate::error::Result;
use crate::factors::FactorLibrary;
use crate::output::{folder_of, neutralise};
use crate::text::Lang;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::collections::BTreeSet;
use std::io::{Read, Seek};
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
/// crate's default (6). When every sheet was compressed on one thread after
/// the run, 100,000 facility-years (970 MB of XML) took 30.8 s at level 6,
/// 22.5 s at level 3 for a file 14 % larger (132 MB against 116 MB), and
/// 19.9 s at level 1 for one 67 % larger (one run each, tenth session;
/// BENCHMARKS.md). The by-process sheet is now compressed during the run on
/// a thread of its own ([`BY_PROCESS_ZIP_LEVEL`]), the other sheets when the
/// workbook is saved.
const ZIP_LEVEL: u8 = 3;

/// The by-process sheet's deflate level. zlib-rs's level 2 is its fast
/// strategy, level 3 its medium one: at 10,000 facility-years (115 MB of
/// the sheet's XML) the run took 852 ms against 939 ms for a file 1.7 %
/// larger (14.07 MB against 13.83 MB); level 1 saved 40 ms more for a file
/// 28 % larger (hyperfine, 6-8 runs each, fourteenth session). The other
/// sheets stay at level 3: level 2 there made no measurable difference.
const BY_PROCESS_ZIP_LEVEL: i64 = 2;

/// The workbook's style indices (cellXfs) of the two formats its cells use.
/// rust_xlsxwriter numbers formats in the order of their first use, and the
/// writer uses them first in this order when it is created (the summary's
/// bold header, then the by-process amount column's number format); the
/// streamed by-process rows refer to them by these numbers, and the saved
/// workbook is checked to agree before it is written.
const BOLD_STYLE: u32 = 1;
const NUMBER_STYLE: u32 = 2;

/// The by-process columns of the amount (in the view, and outside it):
/// `CSV_COLUMNS[6]` and `[7]`.
const AMOUNT_COLUMN: u16 = 6;

/// Why the workbook could not be written: rust_xlsxwriter's sheets, the
/// streamed parts' scratch files, or the zip they are merged into.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("{0}")]
    Xlsx(#[from] XlsxError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("{0}")]
    Internal(String),
}

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
        let (sheet, r) = self.next_index(wb, bold, lang)?;
        Ok((wb.worksheet_from_index(sheet)?, r))
    }

    /// The index of the sheet and the row of the next row.
    fn next_index(
        &mut self,
        wb: &mut Workbook,
        bold: &Format,
        lang: Lang,
    ) -> std::result::Result<(usize, u32), XlsxError> {
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
        Ok((self.sheet, r))
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
    /// the sheets streamed as XML of our own; their placeholders in `wb`
    /// (one per part) hold each sheet's name, header and filter
    summary: StreamedSheet,
    by_process: StreamedSheet,
    warnings: StreamedSheet,
    /// a number's text, as rust_xlsxwriter writes it
    digits: zmij::Buffer,
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
        Self::try_create(path, lib, lang, names, last_row).map_err(|e| write_error(path, "xlsx", e))
    }

    fn try_create(
        path: &Path,
        lib: &FactorLibrary,
        lang: Lang,
        names: Names,
        last_row: u32,
    ) -> std::result::Result<Self, Failure> {
        let mut wb = Workbook::new();
        // The sheets' scratch files sit beside the output.
        let dir = folder_of(path);
        wb.set_tempdir(&dir)?;
        wb.set_zip_compression_level(ZIP_LEVEL);
        let bold = Format::new().set_bold();
        let number = Format::new().set_num_format("#,##0.000000");
        // in the order of SUMMARY, BY_FACILITY, BY_PROCESS, FACTORS_USED, WARNINGS
        for name in [
            "summary",
            "by-facility",
            "by-process",
            "factors-used",
            "warnings",
        ] {
            wb.add_worksheet_with_low_memory()?.set_name(name)?;
        }
        // The bold header is the first format used (BOLD_STYLE) ...
        let summary = Continued::start(
            &mut wb,
            SUMMARY,
            "summary",
            owned(&SUMMARY_COLUMNS),
            None,
            last_row,
            &bold,
            lang,
        )?;
        let by_process = Continued::start(
            &mut wb,
            BY_PROCESS,
            "by-process",
            owned(&CSV_COLUMNS),
            None,
            last_row,
            &bold,
            lang,
        )?;
        // ... and the number format the second (NUMBER_STYLE), on a
        // placeholder's column, which no one sees.
        wb.worksheet_from_index(BY_PROCESS)?
            .set_column_format(AMOUNT_COLUMN, &number)?;
        let warnings = Continued::start(
            &mut wb,
            WARNINGS,
            "warnings",
            owned(&WARNING_COLUMNS),
            Some(3),
            last_row,
            &bold,
            lang,
        )?;
        let level = BY_PROCESS_ZIP_LEVEL;
        Ok(XlsxWriter {
            summary: StreamedSheet::start(summary, lang, &dir, level, true)?,
            by_process: StreamedSheet::start(by_process, lang, &dir, level, false)?,
            warnings: StreamedSheet::start(warnings, lang, &dir, level, false)?,
            wb,
            path: path.to_path_buf(),
            digits: zmij::Buffer::new(),
            last_row,
            overrides: override_ids(lib),
            number,
            bold,
            lang,
            names,
        })
    }

    fn rows(&mut self, inventories: &[Inventory]) -> std::result::Result<(), Failure> {
        let mut rows = RowWriter {
            wb: &mut self.wb,
            bold: &self.bold,
            lang: self.lang,
            names: &self.names,
            overrides: &self.overrides,
            digits: &mut self.digits,
        };
        for inv in inventories {
            rows.summary_row(&mut self.summary, inv)?;
            rows.warning_rows(&mut self.warnings, inv)?;
            rows.by_process_rows(&mut self.by_process, inv)?;
        }
        Ok(())
    }

    /// Completes the workbook with what needs the whole run (the sheets of
    /// one row per facility-year or factor), saves rust_xlsxwriter's workbook
    /// to a scratch file and merges it with the streamed sheets' parts into
    /// the output.
    fn complete(self, run: &RunSummary<'_>) -> std::result::Result<(), Failure> {
        let XlsxWriter {
            mut wb,
            path,
            summary,
            by_process,
            warnings,
            last_row,
            number,
            bold,
            lang,
            ..
        } = self;
        let end = RunSheets {
            bold: &bold,
            number: &number,
            lang,
        };
        end.by_facility(&mut wb, run.inventories, last_row)?;
        end.factors_used(wb.worksheet_from_index(FACTORS_USED)?, run)?;
        let mut parts = [
            summary.finish(&mut wb)?,
            by_process.finish(&mut wb)?,
            warnings.finish(&mut wb)?,
        ];
        let dir = folder_of(&path);
        let mut scratch = tempfile::tempfile_in(&dir)?;
        // flushed here, not on drop, so that a full disk is an error
        let mut buffered = std::io::BufWriter::new(&mut scratch);
        wb.save_to_writer(&mut buffered)?;
        std::io::Write::flush(&mut buffered)?;
        drop(buffered);
        scratch.rewind()?;
        let mut book = zip::ZipArchive::new(scratch)?;
        check_styles(&mut book)?;
        let out = std::fs::File::create(&path)?;
        let out = part::merge(&mut book, &mut parts, std::io::BufWriter::new(out))?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(())
    }
}

/// Checks that the saved workbook numbers its two formats as the streamed
/// rows do ([`BOLD_STYLE`], [`NUMBER_STYLE`]): the by-process placeholder's
/// header is bold and its amount column has the number format. A newer
/// rust_xlsxwriter that numbered them otherwise would show here, not as
/// wrongly formatted cells.
fn check_styles<R: Read + Seek>(book: &mut zip::ZipArchive<R>) -> std::result::Result<(), Failure> {
    let mut xml = String::new();
    book.by_name(&part::sheet_entry(BY_PROCESS))?
        .read_to_string(&mut xml)?;
    let bold = format!("<c r=\"A1\" s=\"{BOLD_STYLE}\"");
    let number = format!(" style=\"{NUMBER_STYLE}\"");
    if xml.contains(&bold) && xml.contains(&number) {
        Ok(())
    } else {
        Err(Failure::Internal(
            "internal error: the workbook's styles are not numbered as the streamed rows expect"
                .into(),
        ))
    }
}

/// The sheets filled when the run ends, with the workbook's formats and
/// language.
struct RunSheets<'a> {
    bold: &'a Format,
    number: &'a Format,
    lang: Lang,
}

impl RunSheets<'_> {
    fn headers(&self, ws: &mut Worksheet, cols: &[&str]) -> std::result::Result<(), XlsxError> {
        headers(ws, cols, self.bold, self.lang)
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
mod tests;
