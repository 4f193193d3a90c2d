//! Workbook v1 in: reading a study from xlsx, xlsm, xls or ods (calamine)
//! into typed settings, facilities and facility-years, with every problem
//! collected and named by sheet and cell (`activity!D7`). No arithmetic here
//! beyond turning cell text into exact decimals.
//!
//! Numbers stored by a spreadsheet as binary doubles are read through their
//! shortest round-trip decimal text, which is the text the file holds (`0.1`
//! stays 0.1); numbers written as text (`1,234.5`, `2%`, full-width digits)
//! are parsed from the text. A cell with a percent number format (Excel's
//! `2%`, stored as 0.02) is a fraction whatever its unit column says; where
//! the formats cannot be read (ods, xls), a value ≤ 1 in a `%` row is a
//! question, not a number: an error naming the cell with both readings.
//!
//! What people write is read: capacities per year (`t/a`, `万吨/年`), places
//! at county level (`乐山市夹江县`, `Jiajiang`, resolved to the prefecture and
//! kept as the county), technologies in words (`roller kiln`, `密集烤房`; an
//! unrecognised one is inferred from the fuels with a notice, and is an error
//! only where the edition's formulas need it), and item units such as
//! `min/cell-day` or `万千瓦时`. A rate per year given for an annual amount item
//! is read as the amount of one year. The `settings` sheet is required; a
//! missing key takes its documented default, said once in [`Study::notices`].

mod archive;
pub mod formats;
mod run;
pub mod template;

pub use run::{run_workbook, WorkbookRun};

use crate::error::{did_you_mean, DataError, Location};
use crate::factors::FactorLibrary;
use crate::graph::items::{item_examples, item_spec, split_node, ItemKind};
use crate::graph::SectorLibrary;
use crate::study::{Activity, FacilityYear, GridFactor, GwpSet, Settings, View};
use crate::units::{parse_decimal, Quantity, Unit};
use calamine::{Data, Range, Reader};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Largest workbook file accepted (bytes).
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// Largest total decompressed size of an xlsx/ods archive (bytes), counted
/// while inflating before calamine reads anything: a guard against zip bombs
/// that keeps a run under 1 GiB. Excel's largest sheet (1,048,576 rows of
/// seven columns) inflates to about 320 MB; the 100k facility-year province
/// to 273 MB.
pub const MAX_UNZIPPED_BYTES: u64 = 1024 * 1024 * 1024;
/// Most rows read from one sheet.
pub const MAX_ROWS: usize = 2_000_000;

/// Size bounds for reading a workbook.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub file_bytes: u64,
    pub unzipped_bytes: u64,
    pub rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: MAX_FILE_BYTES,
            unzipped_bytes: MAX_UNZIPPED_BYTES,
            rows: MAX_ROWS,
        }
    }
}

/// Why a workbook could not be used.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// The file cannot be opened as a workbook at all.
    #[error("{path}: {reason}")]
    Unreadable { path: String, reason: String },
    /// The workbook was read, and these problems were found (all of them).
    #[error("{path}: {} problem{} found:\n{}", .findings.len(), if .findings.len() == 1 { "" } else { "s" }, list(.findings))]
    Invalid {
        path: String,
        findings: Vec<DataError>,
    },
}

fn list(f: &[DataError]) -> String {
    f.iter()
        .map(|e| format!("  - {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

// The study's domain types (facilities, overrides, scenario, target and
// measure rows) live in `crate::study`; re-exported for the reader's callers.
pub use crate::study::{
    Facility, MeasureRow, MetricInputs, Override, ScenarioRow, Study, TargetRow,
};

/// Sheet names accepted, English and Chinese.
const SHEETS: &[(&str, &[&str])] = &[
    ("settings", &["settings", "设置", "参数设置"]),
    ("facilities", &["facilities", "设施", "企业", "设施清单"]),
    ("activity", &["activity", "活动数据", "活动水平"]),
    ("factors", &["factors", "因子", "排放因子"]),
    ("measures", &["measures", "措施"]),
    ("scenarios", &["scenarios", "情景"]),
    ("targets", &["targets", "目标"]),
    ("instructions", &["instructions", "说明", "填表说明"]),
];

/// Column names accepted per sheet (first = canonical English).
/// (canonical name, accepted names, required)
type ColumnSpec = (&'static str, &'static [&'static str], bool);
const COLUMNS: &[(&str, &[ColumnSpec])] = &[
    (
        "settings",
        &[
            ("key", &["key", "键", "参数", "名称"], true),
            ("value", &["value", "值", "数值"], true),
            ("unit", &["unit", "单位"], false),
        ],
    ),
    (
        "facilities",
        &[
            (
                "facility_id",
                &["facility_id", "设施编号", "企业编号", "编号"],
                true,
            ),
            ("name", &["name", "名称", "企业名称"], false),
            ("sector", &["sector", "行业"], true),
            ("technology", &["technology", "技术", "工艺"], false),
            ("city", &["city", "城市", "市州"], false),
            ("capacity", &["capacity", "产能"], false),
            ("capacity_unit", &["capacity_unit", "产能单位"], false),
        ],
    ),
    (
        "activity",
        &[
            (
                "facility_id",
                &["facility_id", "设施编号", "企业编号", "编号"],
                true,
            ),
            ("year", &["year", "年份", "年度"], true),
            ("item", &["item", "项目", "活动项"], true),
            ("value", &["value", "数值", "值"], true),
            ("unit", &["unit", "单位"], true),
            ("note", &["note", "备注"], false),
            ("uncertainty", &["uncertainty", "不确定性"], false),
        ],
    ),
    (
        "measures",
        &[
            ("measure_id", &["measure_id", "措施编号"], true),
            ("sector", &["sector", "行业"], true),
            ("name", &["name", "名称", "措施名称"], false),
            ("field", &["field", "字段", "类型"], true),
            ("node", &["node", "process", "工序"], false),
            ("target", &["target", "对象"], false),
            ("value", &["value", "数值", "值"], false),
            ("unit", &["unit", "单位"], false),
            ("note", &["note", "备注"], false),
        ],
    ),
    (
        "scenarios",
        &[
            ("scenario", &["scenario", "情景"], true),
            ("kind", &["kind", "类型"], false),
            ("field", &["field", "字段"], true),
            ("scope", &["scope", "范围"], false),
            ("target", &["target", "对象"], false),
            ("year", &["year", "年份"], false),
            ("value", &["value", "数值", "值"], false),
            ("unit", &["unit", "单位"], false),
            ("note", &["note", "备注"], false),
        ],
    ),
    (
        "targets",
        &[
            ("target_id", &["target_id", "目标编号"], true),
            ("year", &["year", "年份"], true),
            ("substance", &["substance", "污染物", "物质"], true),
            ("scope", &["scope", "范围"], false),
            ("cap", &["cap", "上限", "数值"], true),
            ("unit", &["unit", "单位"], true),
            ("note", &["note", "备注"], false),
        ],
    ),
    (
        "factors",
        &[
            ("factor_id", &["factor_id", "因子编号"], true),
            ("value", &["value", "数值", "值"], true),
            ("unit", &["unit", "单位"], true),
            ("source", &["source", "来源"], false),
        ],
    ),
];

fn sheet_kind(name: &str) -> Option<&'static str> {
    let n = name.trim().to_lowercase();
    SHEETS
        .iter()
        .find(|(_, names)| names.iter().any(|x| x.to_lowercase() == n))
        .map(|(k, _)| *k)
}

/// A cell's value as a string for text columns (numbers keep their text).
fn text(d: &Data) -> Option<String> {
    let s = match d {
        Data::Empty => return None,
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("{e}"),
    };
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

/// The shortest decimal text that round-trips to this double.
fn float_text(f: f64) -> String {
    // Rust's Display for f64 is the shortest round-trip representation and
    // never uses an exponent.
    let s = format!("{f}");
    s
}

/// A number cell: (value, written as a percentage).
fn number(d: &Data, at: &Location) -> Result<Option<(Decimal, bool)>, DataError> {
    match d {
        Data::Empty => Ok(None),
        Data::Int(i) => Ok(Some((Decimal::from(*i), false))),
        Data::Float(f) => {
            if !f.is_finite() {
                return Err(DataError::new(at.clone(), "the number is not finite"));
            }
            parse_decimal(&float_text(*f))
                .map(|v| Some((v, false)))
                .ok_or_else(|| DataError::new(at.clone(), format!("number {f} is out of range")))
        }
        Data::String(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            let (body, pct) = match t.strip_suffix(['%', '％']) {
                Some(b) => (b, true),
                None => (t, false),
            };
            crate::units::parse_decimal_explained(body)
                .map(|v| Some((v, pct)))
                .map_err(|why| DataError::new(at.clone(), format!("'{t}' is not a number{why}")))
        }
        Data::Error(e) => Err(DataError::new(
            at.clone(),
            format!("the cell holds the error value {e}: fix the formula or type the value"),
        )),
        Data::Bool(b) => Err(DataError::new(at.clone(), format!("'{b}' is not a number"))),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Err(DataError::new(
            at.clone(),
            "the cell holds a date or time, not a number",
        )),
    }
}

/// A sheet with its header mapped to canonical column names.
struct Table<'a> {
    /// shared by every location of the sheet's cells
    sheet: std::sync::Arc<str>,
    range: &'a Range<Data>,
    start: (u32, u32),
    cols: BTreeMap<&'static str, usize>,
    header_row: usize,
    /// Absolute positions of percent-formatted cells; `None` when the file's
    /// formats cannot be read.
    percent: Option<&'a std::collections::HashSet<(u32, u32)>>,
}

impl Table<'_> {
    fn at(&self, row: usize, col: usize) -> Location {
        Location::cell(
            self.sheet.clone(),
            self.start.0 + row as u32,
            self.start.1 + col as u32,
        )
    }
    fn col_at(&self, row: usize, name: &str) -> Location {
        let c = self.cols.get(name).copied().unwrap_or(0);
        self.at(row, c)
    }
    fn get(&self, row: usize, name: &str) -> &Data {
        self.cols
            .get(name)
            .and_then(|&c| self.range.get((row, c)))
            .unwrap_or(&Data::Empty)
    }
    fn text(&self, row: usize, name: &str) -> Option<String> {
        text(self.get(row, name))
    }
    /// True when the cell has a percent number format.
    fn is_percent_formatted(&self, row: usize, name: &str) -> bool {
        let Some(&c) = self.cols.get(name) else {
            return false;
        };
        let pos = (self.start.0 + row as u32, self.start.1 + c as u32);
        self.percent.is_some_and(|p| p.contains(&pos))
    }
    /// A number cell: (value, written as a percentage). A percent-formatted
    /// number (0.02 shown as 2%) comes back as (2, true), like the text `2%`.
    fn number(&self, row: usize, name: &str) -> Result<Option<(Decimal, bool)>, DataError> {
        let at = self.col_at(row, name);
        let d = self.get(row, name);
        let n = number(d, &at)?;
        match n {
            Some((v, false))
                if matches!(d, Data::Float(_) | Data::Int(_))
                    && self.is_percent_formatted(row, name) =>
            {
                let pct = v
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .ok_or_else(|| DataError::new(at, "the percentage is out of range"))?;
                Ok(Some((pct.normalize(), true)))
            }
            other => Ok(other),
        }
    }
    /// True when the file's number formats could be read.
    fn formats_known(&self) -> bool {
        self.percent.is_some()
    }
    fn rows(&self) -> std::ops::Range<usize> {
        self.header_row + 1..self.range.height()
    }
    fn is_blank(&self, row: usize) -> bool {
        (0..self.range.width()).all(|c| self.range.get((row, c)).is_none_or(|d| text(d).is_none()))
    }
}

fn table<'a>(
    kind: &str,
    sheet: &str,
    range: &'a Range<Data>,
    percent: Option<&'a std::collections::HashSet<(u32, u32)>>,
    limits: &Limits,
    findings: &mut Vec<DataError>,
) -> Option<Table<'a>> {
    let spec = COLUMNS.iter().find(|(k, _)| *k == kind)?.1;
    let start = range.start().unwrap_or((0, 0));
    let header_row = (0..range.height()).find(|&r| {
        (0..range.width()).any(|c| range.get((r, c)).is_some_and(|d| text(d).is_some()))
    });
    let Some(header_row) = header_row else {
        findings.push(DataError::new(
            Location::Sheet {
                sheet: sheet.into(),
            },
            "the sheet is empty: it needs a header row",
        ));
        return None;
    };
    let mut cols = BTreeMap::new();
    let mut headers = Vec::new();
    for c in 0..range.width() {
        let Some(h) = range.get((header_row, c)).and_then(text) else {
            continue;
        };
        headers.push(h.clone());
        let hn = h.to_lowercase().replace(' ', "_");
        if let Some((canon, _, _)) = spec
            .iter()
            .find(|(_, names, _)| names.iter().any(|n| n.to_lowercase() == hn))
        {
            cols.entry(*canon).or_insert(c);
        }
    }
    let mut ok = true;
    for (canon, names, required) in spec {
        if *required && !cols.contains_key(canon) {
            ok = false;
            findings.push(
                DataError::new(
                    Location::cell(sheet, start.0 + header_row as u32, start.1),
                    format!(
                        "missing column '{canon}' (or '{}') in the header row",
                        names.get(1).unwrap_or(canon)
                    ),
                )
                .with_hint(did_you_mean(canon, headers.iter().map(String::as_str))),
            );
        }
    }
    if range.height() > limits.rows {
        findings.push(DataError::new(
            Location::Sheet {
                sheet: sheet.into(),
            },
            format!(
                "the sheet has {} rows; at most {} are read: split the study",
                range.height(),
                limits.rows
            ),
        ));
        return None;
    }
    ok.then_some(Table {
        sheet: std::sync::Arc::from(sheet),
        range,
        start,
        cols,
        header_row,
        percent,
    })
}

/// Checks size limits before any parsing: the file, and for zip-based formats
/// the total decompressed size declared by the archive.
fn check_size(path: &Path, limits: &Limits) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a file".into());
    }
    if meta.len() > limits.file_bytes {
        return Err(format!(
            "the file is {} bytes; the limit is {} bytes ({} MB)",
            meta.len(),
            limits.file_bytes,
            limits.file_bytes / 1_048_576
        ));
    }
    let mut head = [0u8; 4];
    let mut f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let n = f.read(&mut head).map_err(|e| e.to_string())?;
    let is_zip = n == 4 && head == *b"PK\x03\x04";
    let is_ole = n == 4 && head == [0xD0, 0xCF, 0x11, 0xE0];
    if !is_zip && !is_ole {
        return Err(
            "not a workbook: the file is not an xlsx, xlsm, xls or ods spreadsheet (save it from Excel, WPS or LibreOffice in one of those formats)"
                .into(),
        );
    }
    if is_zip {
        archive::check_zip(path, limits)?;
    }
    Ok(())
}

/// Reads a study workbook. Every data problem is collected; a file that is
/// not a workbook gets one line.
pub fn read(
    path: &Path,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
) -> Result<Study, WorkbookError> {
    read_with_limits(path, factors, sectors, &Limits::default())
}

/// [`read`] with explicit size bounds.
pub fn read_with_limits(
    path: &Path,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
    limits: &Limits,
) -> Result<Study, WorkbookError> {
    let shown = path.display().to_string();
    // Workbook-wide findings name the file; the error header carries the full path.
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| shown.clone());
    let unreadable = |reason: String| WorkbookError::Unreadable {
        path: shown.clone(),
        reason,
    };
    check_size(path, limits).map_err(&unreadable)?;
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| {
        unreadable(format!(
            "not a readable workbook (xlsx, xlsm, xls or ods): {}",
            first_line(&e.to_string())
        ))
    })?;
    let names = wb.sheet_names().to_vec();
    let mut ranges: BTreeMap<&'static str, (String, Range<Data>)> = BTreeMap::new();
    let mut findings = Vec::new();
    let mut other_sheets = Vec::new();
    for name in &names {
        let Some(kind) = sheet_kind(name) else {
            continue;
        };
        if ranges.contains_key(kind) {
            findings.push(DataError::new(
                Location::Sheet {
                    sheet: name.clone(),
                },
                format!("a second '{kind}' sheet: keep one"),
            ));
            continue;
        }
        if kind == "instructions" {
            other_sheets.push(name.clone());
            continue;
        }
        match read_sheet(&mut wb, name, limits, &mut findings) {
            Ok(r) => {
                ranges.insert(kind, (name.clone(), r));
            }
            Err(e) => findings.push(e),
        }
    }
    if names.is_empty() || (ranges.is_empty() && other_sheets.is_empty()) {
        return Err(WorkbookError::Invalid {
            path: shown,
            findings: vec![DataError::new(
                Location::file(file_name.clone()),
                format!(
                    "the workbook has no study sheets (found: {}); expected 'facilities' and 'activity' (设施, 活动数据): run `coreduce template` for a blank one",
                    if names.is_empty() { "none".into() } else { names.join(", ") }
                ),
            )],
        });
    }
    for required in ["settings", "facilities", "activity"] {
        if !ranges.contains_key(required) {
            let alt = SHEETS
                .iter()
                .find(|(k, _)| *k == required)
                .map(|(_, n)| n[1])
                .unwrap_or("");
            findings.push(
                DataError::new(
                    Location::file(file_name.clone()),
                    format!("missing sheet '{required}' (or '{alt}')"),
                )
                .with_hint(did_you_mean(required, names.iter().map(String::as_str))),
            );
        }
    }
    let mut study = Study {
        path: shown.clone(),
        name: String::new(),
        base_year: None,
        language: "en".into(),
        settings: Settings::default(),
        facilities: Vec::new(),
        facility_years: Vec::new(),
        overrides: Vec::new(),
        other_sheets,
        measure_rows: Vec::new(),
        metric: MetricInputs::default(),
        scenario_rows: Vec::new(),
        target_rows: Vec::new(),
        notices: Vec::new(),
    };
    let sheet_names: Vec<String> = ranges.values().map(|(n, _)| n.clone()).collect();
    let percent = formats::percent_cells(path, &sheet_names);
    let fmt = |name: &String| percent.as_ref().and_then(|p| p.get(name));
    let mut seen_settings = BTreeMap::new();
    if let Some((name, range)) = ranges.get("settings") {
        if let Some(t) = table("settings", name, range, fmt(name), limits, &mut findings) {
            seen_settings = read_settings(&t, &mut study, factors, sectors, &mut findings);
        }
    }
    if let Some((name, range)) = ranges.get("factors") {
        if let Some(t) = table("factors", name, range, fmt(name), limits, &mut findings) {
            read_factors(&t, &mut study, factors, &mut findings);
        }
    }
    let mut pending = Vec::new();
    if let Some((name, range)) = ranges.get("facilities") {
        if let Some(t) = table("facilities", name, range, fmt(name), limits, &mut findings) {
            pending = read_facilities(&t, &mut study, sectors, &mut findings);
        }
    }
    if let Some((name, range)) = ranges.get("measures") {
        if let Some(t) = table("measures", name, range, fmt(name), limits, &mut findings) {
            read_measures(&t, &mut study, &mut findings);
        }
    }
    if let Some((name, range)) = ranges.get("scenarios") {
        if let Some(t) = table("scenarios", name, range, fmt(name), limits, &mut findings) {
            read_scenarios(&t, &mut study, &mut findings);
        }
    }
    if let Some((name, range)) = ranges.get("targets") {
        if let Some(t) = table("targets", name, range, fmt(name), limits, &mut findings) {
            read_targets(&t, &mut study, &mut findings);
        }
    }
    if let Some((name, range)) = ranges.get("activity") {
        if let Some(t) = table("activity", name, range, fmt(name), limits, &mut findings) {
            read_activity(&t, &mut study, sectors, &mut findings);
        }
    }
    resolve_technologies(&mut study, pending, sectors, &mut findings);
    if let (Some(y), Some(at)) = (study.base_year, seen_settings.get("base_year")) {
        let years: std::collections::BTreeSet<i32> =
            study.facility_years.iter().map(|f| f.year).collect();
        if !years.is_empty() && !years.contains(&y) {
            findings.push(DataError::new(
                at.clone(),
                format!(
                    "base_year {y} has no activity rows (the activity sheet has {}): roadmap, measures and uncertainty start from the base year's activity",
                    years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    if ranges.contains_key("settings") {
        default_notices(&mut study, &seen_settings);
    }
    if study.facilities.is_empty() && findings.is_empty() {
        findings.push(DataError::new(
            Location::Sheet {
                sheet: ranges
                    .get("facilities")
                    .map(|x| x.0.clone())
                    .unwrap_or_default(),
            },
            "no facilities listed",
        ));
    }
    if findings.is_empty() {
        Ok(study)
    } else {
        findings.sort_by_key(|a| sort_key(&a.location));
        findings.dedup();
        Err(WorkbookError::Invalid {
            path: shown,
            findings,
        })
    }
}

/// Most columns read from one sheet (the widest study table has nine).
pub const MAX_COLS: u32 = 256;
/// Most cells of one sheet's used range (rows × columns) held in memory.
pub const MAX_CELLS: u64 = 20_000_000;
/// Excel's limit on the text of one cell, in characters.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Reads one sheet's cells without allocating its bounding box first: xlsx
/// and xlsb sheets are streamed cell by cell, and a used range beyond the
/// row, column or cell bound (a stray value at `XFD1048576`) is a finding
/// naming the sheet and the cell, made before anything large is allocated;
/// reading stops there and the cells before it are returned. Text
/// longer than Excel's 32,767 characters is a finding naming its cell (and
/// the cell is not used).
fn read_sheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    name: &str,
    limits: &Limits,
    findings: &mut Vec<DataError>,
) -> Result<Range<Data>, DataError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        DataError::new(
            Location::Sheet { sheet: name.into() },
            format!("cannot read the sheet: {}", first_line(&e.to_string())),
        )
    };
    /// 1048576 → "1,048,576".
    fn grouped(n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
    let mut cells: Vec<calamine::Cell<Data>> = Vec::new();
    let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
    // Adds one non-empty cell, checking the bounds it would extend the range to.
    let mut add = |(r, c): (u32, u32), d: Data| -> Result<(), DataError> {
        // Built only for a finding: most cells never need their name.
        let at = || Location::cell(name, r, c);
        let too_long = match &d {
            Data::String(t) if t.len() > MAX_CELL_CHARS => t.chars().count(),
            _ => 0,
        };
        if too_long > MAX_CELL_CHARS {
            findings.push(DataError::new(
                at(),
                format!(
                    "the text is {} characters long, more than Excel's limit of 32,767 per cell: shorten it (the cell is read as empty)",
                    grouped(too_long as u64)
                ),
            ));
            return Ok(());
        }
        let (nr0, nr1, nc0, nc1) = (r0.min(r), r1.max(r), c0.min(c), c1.max(c));
        let rows = u64::from(nr1 - nr0) + 1;
        let cols = u64::from(nc1 - nc0) + 1;
        if rows > limits.rows as u64 {
            return Err(DataError::new(
                at(),
                format!(
                    "a value {} rows from the sheet's first row; at most {} are read: delete stray cells below the table, or split the study",
                    grouped(rows),
                    limits.rows
                ),
            ));
        }
        if cols > u64::from(MAX_COLS) || rows * cols > MAX_CELLS {
            return Err(DataError::new(
                at(),
                format!(
                    "a value here makes the sheet's used range {} rows by {} columns; at most {MAX_COLS} columns and {} cells are read: delete the stray cells outside the table",
                    grouped(rows),
                    grouped(cols),
                    grouped(MAX_CELLS)
                ),
            ));
        }
        (r0, r1, c0, c1) = (nr0, nr1, nc0, nc1);
        cells.push(calamine::Cell::new((r, c), d));
        Ok(())
    };
    let mut beyond = None;
    match wb {
        calamine::Sheets::Xlsx(x) => {
            let mut reader = match x.worksheet_cells_reader(name) {
                Ok(reader) => reader,
                Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Range::empty()),
                Err(e) => return Err(unreadable(&e)),
            };
            while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                if *cell.get_value() != calamine::DataRef::Empty {
                    if let Err(e) = add(cell.get_position(), cell.get_value().clone().into()) {
                        beyond = Some(e);
                        break;
                    }
                }
            }
        }
        calamine::Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| unreadable(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                if *cell.get_value() != calamine::DataRef::Empty {
                    if let Err(e) = add(cell.get_position(), cell.get_value().clone().into()) {
                        beyond = Some(e);
                        break;
                    }
                }
            }
        }
        // xls is bounded by its format (65,536 rows by 256 columns); ods
        // sheets are read whole by calamine, then held to the same bounds.
        other => {
            let range = other.worksheet_range(name).map_err(|e| unreadable(&e))?;
            let (sr, sc) = range.start().unwrap_or((0, 0));
            for (r, c, d) in range.used_cells() {
                if let Err(e) = add((sr + r as u32, sc + c as u32), d.clone()) {
                    beyond = Some(e);
                    break;
                }
            }
        }
    }
    // Past a bound: the finding, and the cells read up to it (so the rest
    // of the sheet is still checked).
    findings.extend(beyond);
    Ok(Range::from_sparse(cells))
}

/// Sorts findings by sheet, then row, then column.
fn sort_key(l: &Location) -> (String, u32, u32) {
    match l {
        Location::Cell { sheet, row0, col0 } => (sheet.to_string(), row0 + 1, *col0),
        other => (other.to_string(), 0, 0),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

const SETTING_KEYS: &[&str] = &[
    "study",
    "base_year",
    "gwp",
    "grid_factor",
    "view",
    "language",
    "edition.aluminium",
    "edition.baijiu",
    "edition.ceramics",
    "edition.tobacco",
    "heat_factor",
    "discount_rate",
    "lambda",
    "coordinate_pollutant",
    "value_air_eq",
    "value_water_eq",
    "index_weights",
];

fn read_settings(
    t: &Table<'_>,
    study: &mut Study,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
    findings: &mut Vec<DataError>,
) -> BTreeMap<String, Location> {
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let Some(key) = t.text(r, "key") else {
            findings.push(DataError::new(t.col_at(r, "key"), "the key is empty"));
            continue;
        };
        let key = key.to_lowercase();
        let at = t.col_at(r, "value");
        if let Some(first) = seen.insert(key.clone(), t.col_at(r, "key")) {
            findings.push(DataError::new(
                t.col_at(r, "key"),
                format!("setting '{key}' is repeated (first at {first})"),
            ));
            continue;
        }
        let value = t.text(r, "value").unwrap_or_default();
        match key.as_str() {
            "study" => study.name = value,
            "base_year" => match value.parse::<i32>() {
                Ok(y) if (1990..=2100).contains(&y) => study.base_year = Some(y),
                _ => findings.push(DataError::new(
                    at,
                    format!("base_year '{value}' is not a year"),
                )),
            },
            "gwp" => match GwpSet::parse(&value) {
                Some(g) => study.settings.gwp = g,
                None => findings.push(DataError::new(
                    at,
                    format!("gwp '{value}' is not one of SAR, AR4, AR5, AR6"),
                )),
            },
            "view" => match value.to_lowercase().as_str() {
                "compliance" | "合规" | "履约" => study.settings.view = View::Compliance,
                "footprint" | "足迹" | "全口径" => study.settings.view = View::Footprint,
                _ => findings.push(DataError::new(
                    at,
                    format!("view '{value}' is not 'compliance' or 'footprint'"),
                )),
            },
            "language" => match value.to_lowercase().as_str() {
                "zh" | "中文" | "en" | "english" => {
                    study.language = if value.to_lowercase().starts_with('e') {
                        "en".into()
                    } else {
                        "zh".into()
                    }
                }
                _ => findings.push(DataError::new(
                    at,
                    format!("language '{value}' is not zh or en"),
                )),
            },
            "grid_factor" | "heat_factor" => {
                let unit = t.text(r, "unit");
                match t.number(r, "value") {
                    Ok(Some((v, _))) if key == "grid_factor" => {
                        let Some(u) = unit else {
                            findings.push(DataError::new(
                                t.col_at(r, "unit"),
                                "a numeric grid_factor needs its unit (e.g. tCO2/MWh)",
                            ));
                            continue;
                        };
                        match Quantity::parse(v, &u) {
                            Ok(_) if v < Decimal::ZERO => findings.push(DataError::new(
                                t.col_at(r, "value"),
                                format!("grid_factor {v} cannot be negative"),
                            )),
                            Ok(q) if q.unit.compatible(&Unit::parse("tCO2/MWh").unwrap_or_else(|_| Unit::one())) => {
                                study.settings.grid = GridFactor::Value(q)
                            }
                            Ok(q) => findings.push(DataError::new(
                                t.col_at(r, "unit"),
                                format!("grid_factor unit '{}' is not a mass per energy (e.g. tCO2/MWh)", q.unit),
                            )),
                            Err(e) => findings.push(DataError::new(t.col_at(r, "unit"), e.to_string())),
                        }
                    }
                    _ => {
                        let id = value.trim().to_string();
                        let series = format!("{id}.");
                        if factors.contains(&id) || factors.ids().any(|x| x.starts_with(&series)) {
                            if key == "grid_factor" {
                                study.settings.grid = GridFactor::Factor(id);
                            } else {
                                study.settings.heat_factor = id;
                            }
                        } else {
                            findings.push(
                                DataError::new(at, format!("unknown factor '{id}'"))
                                    .with_hint(did_you_mean(&id, factors.ids())),
                            );
                        }
                    }
                }
            }
            k if k.starts_with("edition.") => {
                let sector = &k["edition.".len()..];
                match sectors.get(sector) {
                    Ok(s) if s.editions.contains_key(value.trim()) => {
                        study
                            .settings
                            .editions
                            .insert(s.id.clone(), value.trim().to_string());
                    }
                    Ok(s) => findings.push(
                        DataError::new(
                            at,
                            format!(
                                "'{value}' is not an edition of {} ({})",
                                s.id,
                                s.editions.keys().cloned().collect::<Vec<_>>().join(", ")
                            ),
                        )
                        .with_hint(did_you_mean(&value, s.editions.keys().map(String::as_str))),
                    ),
                    Err(m) => findings.push(DataError::new(t.col_at(r, "key"), m)),
                }
            }
            "discount_rate" | "lambda" | "value_air_eq" | "value_water_eq" => {
                match t.number(r, "value") {
                    Ok(Some((v, pct))) => {
                        let v = if pct || t.text(r, "unit").as_deref() == Some("%") {
                            v / Decimal::ONE_HUNDRED
                        } else {
                            v
                        };
                        if v < Decimal::ZERO {
                            findings.push(DataError::new(at, format!("{key} cannot be negative")));
                            continue;
                        }
                        let m = &mut study.metric;
                        match key.as_str() {
                            "discount_rate" => m.discount_rate = Some(v),
                            "lambda" => m.lambda = Some(v),
                            "value_air_eq" => m.value_air_eq = Some(v),
                            _ => m.value_water_eq = Some(v),
                        }
                    }
                    Ok(None) => findings.push(DataError::new(at, format!("{key} is empty"))),
                    Err(e) => findings.push(e),
                }
            }
            "coordinate_pollutant" => {
                let v = value.trim();
                if v.eq_ignore_ascii_case("apeq") || v.eq_ignore_ascii_case("wpeq") {
                    study.metric.coordinate_pollutant = Some(if v.eq_ignore_ascii_case("apeq") {
                        "APeq".into()
                    } else {
                        "WPeq".into()
                    });
                } else {
                    match crate::substance::Substance::parse(v) {
                        Some(s) => study.metric.coordinate_pollutant = Some(s.code().into()),
                        None => findings.push(
                            DataError::new(
                                at,
                                format!(
                                    "coordinate_pollutant '{v}' is not a substance code or APeq"
                                ),
                            )
                            .with_hint(did_you_mean(v, crate::substance::Substance::codes())),
                        ),
                    }
                }
            }
            "index_weights" => {
                let parts: Vec<Option<Decimal>> =
                    value.split([',', ';', '/']).map(parse_decimal).collect();
                match parts.as_slice() {
                    [Some(a), Some(b), Some(c)] if *a >= Decimal::ZERO && *b >= Decimal::ZERO && *c >= Decimal::ZERO => {
                        study.metric.index_weights = Some([*a, *b, *c])
                    }
                    _ => findings.push(DataError::new(
                        at,
                        format!("index_weights '{value}' must be three non-negative numbers for CO2e, air and water equivalents, e.g. 0.5,0.3,0.2"),
                    )),
                }
            }
            other => findings.push(
                DataError::new(t.col_at(r, "key"), format!("unknown setting '{other}'"))
                    .with_hint(did_you_mean(other, SETTING_KEYS.iter().copied())),
            ),
        }
    }
    seen
}

/// One notice per setting left to its documented default.
fn default_notices(study: &mut Study, seen: &BTreeMap<String, Location>) {
    for (key, default) in [
        ("gwp", "AR5 (the set of MEE 2024)"),
        (
            "grid_factor",
            "grid.sc.avg (Sichuan's average grid factor of each year)",
        ),
        ("view", "footprint (scope 1 + 2)"),
    ] {
        if !seen.contains_key(key) {
            study.notices.push(format!(
                "settings: no '{key}'; the default {default} is used"
            ));
        }
    }
    if !seen.contains_key("base_year") {
        if let Some(y) = study.chosen_base_year() {
            study.notices.push(format!(
                "settings: no 'base_year'; the latest year of the activity sheet, {y}, is the base year of roadmap, measures and uncertainty{}",
                if study.facility_years.iter().any(|f| f.year != y) {
                    " (the other years are not added to it)"
                } else {
                    ""
                }
            ));
        }
    }
}

/// The row's id in `col`: an error when empty or seen before (naming the first).
fn unique_id(
    t: &Table<'_>,
    r: usize,
    col: &str,
    what: &str,
    seen: &mut BTreeMap<String, Location>,
    findings: &mut Vec<DataError>,
) -> Option<(String, Location)> {
    let at = t.col_at(r, col);
    let Some(id) = t.text(r, col) else {
        findings.push(DataError::new(at, format!("the {what} id is empty")));
        return None;
    };
    if let Some(first) = seen.insert(id.clone(), at.clone()) {
        findings.push(DataError::new(
            at,
            format!("{what} '{id}' is repeated (first at {first})"),
        ));
        return None;
    }
    Some((id, at))
}

/// A required number in `col`, a percentage turned into a fraction; an error
/// when empty or not a number.
fn required_number(
    t: &Table<'_>,
    r: usize,
    col: &str,
    findings: &mut Vec<DataError>,
) -> Option<(Decimal, Location)> {
    let at = t.col_at(r, col);
    match t.number(r, col) {
        Ok(Some((v, pct))) => Some((if pct { v / Decimal::ONE_HUNDRED } else { v }, at)),
        Ok(None) => {
            findings.push(DataError::new(at, format!("the {col} is empty")));
            None
        }
        Err(e) => {
            findings.push(e);
            None
        }
    }
}

fn read_factors(
    t: &Table<'_>,
    study: &mut Study,
    factors: &FactorLibrary,
    findings: &mut Vec<DataError>,
) {
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let Some((id, at_id)) = unique_id(t, r, "factor_id", "factor", &mut seen, findings) else {
            continue;
        };
        let Ok(base) = factors.get(&id) else {
            findings.push(
                DataError::new(at_id, format!("unknown factor '{id}'"))
                    .with_hint(did_you_mean(&id, factors.ids())),
            );
            continue;
        };
        let Some((value, at_v)) = required_number(t, r, "value", findings) else {
            continue;
        };
        let at_u = t.col_at(r, "unit");
        let unit = match t.text(r, "unit").map(|u| Unit::parse(&u)) {
            Some(Ok(u)) => u,
            Some(Err(e)) => {
                findings.push(DataError::new(at_u, e.to_string()));
                continue;
            }
            None => {
                findings.push(DataError::new(
                    at_u,
                    format!(
                        "the unit is empty (the library factor is in '{}')",
                        base.unit
                    ),
                ));
                continue;
            }
        };
        if !unit.compatible(&base.unit) {
            findings.push(DataError::new(
                at_u,
                format!(
                    "unit '{unit}' ({}) does not fit factor '{id}', which is in '{}' ({})",
                    unit.dims(),
                    base.unit,
                    base.unit.dims()
                ),
            ));
            continue;
        }
        study.overrides.push(Override {
            factor_id: id,
            value,
            unit,
            source: t.text(r, "source").unwrap_or_default(),
            location: at_v,
        });
    }
}

fn read_measures(t: &Table<'_>, study: &mut Study, findings: &mut Vec<DataError>) {
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let at = t.col_at(r, "measure_id");
        let Some(id) = t.text(r, "measure_id") else {
            findings.push(DataError::new(at, "the measure id is empty"));
            continue;
        };
        let Some(field) = t.text(r, "field") else {
            findings.push(DataError::new(t.col_at(r, "field"), "the field is empty"));
            continue;
        };
        let at_v = t.col_at(r, "value");
        let unit = t.text(r, "unit");
        let (value, unit) = match t.number(r, "value") {
            Ok(Some((v, true))) => (Some(v / Decimal::ONE_HUNDRED), None),
            Ok(Some((v, false))) if unit.as_deref().is_some_and(|u| u.trim() == "%") => {
                (Some(v / Decimal::ONE_HUNDRED), None)
            }
            Ok(Some((v, false))) => (Some(v), unit),
            Ok(None) => (None, unit),
            Err(e) => {
                // Text values are allowed for text fields (applies_to, confidence …).
                if matches!(t.get(r, "value"), Data::String(_)) {
                    (None, unit)
                } else {
                    findings.push(e);
                    continue;
                }
            }
        };
        let text_value = t.text(r, "value");
        study.measure_rows.push(MeasureRow {
            measure_id: id,
            sector: t.text(r, "sector").unwrap_or_default(),
            name: t.text(r, "name").unwrap_or_default(),
            field: field.to_lowercase(),
            node: t.text(r, "node"),
            target: t
                .text(r, "target")
                .or(if value.is_none() { text_value } else { None }),
            value,
            unit,
            note: t.text(r, "note").unwrap_or_default(),
            location: t.col_at(r, "field"),
            value_location: at_v,
        });
    }
}

fn year_of(d: &Data, at: &Location) -> Result<Option<i32>, DataError> {
    match number(d, at)? {
        None => Ok(None),
        Some((y, false))
            if y.fract().is_zero() && y.to_i32().is_some_and(|y| (1990..=2100).contains(&y)) =>
        {
            Ok(y.to_i32())
        }
        Some(_) => Err(DataError::new(
            at.clone(),
            "the year must be a whole year between 1990 and 2100",
        )),
    }
}

fn read_scenarios(t: &Table<'_>, study: &mut Study, findings: &mut Vec<DataError>) {
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let Some(scenario) = t.text(r, "scenario") else {
            findings.push(DataError::new(
                t.col_at(r, "scenario"),
                "the scenario is empty",
            ));
            continue;
        };
        let Some(field) = t.text(r, "field") else {
            findings.push(DataError::new(t.col_at(r, "field"), "the field is empty"));
            continue;
        };
        let year = match year_of(t.get(r, "year"), &t.col_at(r, "year")) {
            Ok(y) => y,
            Err(e) => {
                findings.push(e);
                continue;
            }
        };
        let at_v = t.col_at(r, "value");
        let unit = t.text(r, "unit");
        let percent = |u: &Option<String>| u.as_deref().is_some_and(|u| u.trim() == "%");
        let (value, unit) = match t.number(r, "value") {
            Ok(Some((v, pct))) if pct || percent(&unit) => (Some(v / Decimal::ONE_HUNDRED), None),
            Ok(Some((v, _))) => (Some(v), unit),
            Ok(None) => (None, unit),
            Err(e) => {
                findings.push(e);
                continue;
            }
        };
        study.scenario_rows.push(ScenarioRow {
            scenario,
            kind: t.text(r, "kind").unwrap_or_default().to_lowercase(),
            field: field.to_lowercase(),
            scope: t.text(r, "scope"),
            target: t.text(r, "target"),
            year,
            value,
            unit,
            note: t.text(r, "note").unwrap_or_default(),
            location: t.col_at(r, "field"),
            value_location: at_v,
        });
    }
}

fn read_targets(t: &Table<'_>, study: &mut Study, findings: &mut Vec<DataError>) {
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let at = t.col_at(r, "target_id");
        let Some(id) = t.text(r, "target_id") else {
            findings.push(DataError::new(at, "the target id is empty"));
            continue;
        };
        let year = match year_of(t.get(r, "year"), &t.col_at(r, "year")) {
            Ok(Some(y)) => y,
            Ok(None) => {
                findings.push(DataError::new(t.col_at(r, "year"), "the year is empty"));
                continue;
            }
            Err(e) => {
                findings.push(e);
                continue;
            }
        };
        let Some((cap, at_c)) = required_number(t, r, "cap", findings) else {
            continue;
        };
        study.target_rows.push(TargetRow {
            id,
            year,
            substance: t.text(r, "substance").unwrap_or_default(),
            scope: t.text(r, "scope").unwrap_or_else(|| "province".into()),
            cap,
            unit: t.text(r, "unit").unwrap_or_default(),
            note: t.text(r, "note").unwrap_or_default(),
            location: at_c,
        });
    }
}

/// A technology written in words that matched none of the sector's names:
/// resolved from the facility's fuels once the activity is read.
struct PendingTechnology {
    facility: String,
    text: String,
    message: String,
    location: Location,
}

fn read_facilities(
    t: &Table<'_>,
    study: &mut Study,
    sectors: &SectorLibrary,
    findings: &mut Vec<DataError>,
) -> Vec<PendingTechnology> {
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    let mut pending = Vec::new();
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let Some((id, at)) = unique_id(t, r, "facility_id", "facility", &mut seen, findings) else {
            continue;
        };
        let at_s = t.col_at(r, "sector");
        let sector = match t.text(r, "sector") {
            None => {
                findings.push(DataError::new(
                    at_s,
                    "the sector is empty (baijiu, aluminium, tobacco or ceramics)",
                ));
                continue;
            }
            Some(s) => match sectors.get(&s) {
                Ok(sec) => sec,
                Err(m) => {
                    findings.push(DataError::new(at_s, m));
                    continue;
                }
            },
        };
        let technology = match t.text(r, "technology") {
            Some(tech) => match sector.technology(&tech) {
                Ok(x) => Some(x.id.clone()),
                Err(m) => {
                    pending.push(PendingTechnology {
                        facility: id.clone(),
                        text: tech,
                        message: m,
                        location: t.col_at(r, "technology"),
                    });
                    None
                }
            },
            None => None,
        };
        let (city, county) = match t.text(r, "city") {
            Some(c) => match sectors.place(&c) {
                Ok(p) => (Some(p.city.id.clone()), p.county.map(|x| x.name.clone())),
                Err(m) => {
                    findings.push(DataError::new(t.col_at(r, "city"), m));
                    (None, None)
                }
            },
            None => (None, None),
        };
        let capacity = match t.number(r, "capacity") {
            Ok(Some((v, _))) => match t.text(r, "capacity_unit") {
                Some(u) => match Quantity::parse(v, &u) {
                    // a capacity per year is one year's amount
                    Ok(q) => Some(match q.unit.annual() {
                        Some(a) => Quantity::new(q.value, a),
                        None => q,
                    }),
                    Err(e) => {
                        findings.push(DataError::new(t.col_at(r, "capacity_unit"), e.to_string()));
                        None
                    }
                },
                None => {
                    findings.push(DataError::new(
                        t.col_at(r, "capacity_unit"),
                        "capacity needs its unit",
                    ));
                    None
                }
            },
            Ok(None) => None,
            Err(e) => {
                findings.push(e);
                None
            }
        };
        study.facilities.push(Facility {
            name: t.text(r, "name").unwrap_or_else(|| id.clone()),
            id,
            sector: sector.id.clone(),
            technology,
            city,
            county,
            capacity,
            location: at,
        });
    }
    pending
}

/// Technologies written in words that matched no name: inferred from the
/// facility's fuels (or the sector default) with a notice where the method
/// does not depend on the technology; an error where the edition's formulas
/// need it (the IPCC 2006 aluminium PFC factors by cell type).
fn resolve_technologies(
    study: &mut Study,
    pending: Vec<PendingTechnology>,
    sectors: &SectorLibrary,
    findings: &mut Vec<DataError>,
) {
    for p in pending {
        let Some(fi) = study.facilities.iter().position(|f| f.id == p.facility) else {
            continue;
        };
        let Ok(sector) = sectors.get(&study.facilities[fi].sector) else {
            continue;
        };
        let edition = study
            .settings
            .editions
            .get(&sector.id)
            .cloned()
            .unwrap_or_else(|| sector.default_edition.clone());
        if sector.method_needs_technology(&edition) {
            findings.push(DataError::new(
                p.location,
                format!(
                    "{}. The {edition} method of {} depends on the technology (its factors are per technology or cell type), and it cannot be inferred from the activity",
                    p.message, sector.id
                ),
            ));
            continue;
        }
        let fuels: std::collections::BTreeSet<String> = study
            .facility_years
            .iter()
            .filter(|fy| fy.facility_id == p.facility)
            .flat_map(|fy| fy.activity.iter())
            .filter_map(|a| {
                let (item, _) = split_node(&a.item);
                let rest = item.strip_prefix("fuel.")?;
                (!rest.contains('.')).then(|| rest.to_string())
            })
            .collect();
        let (id, why) = match sector.infer_technology(&fuels) {
            Some((t, fuel)) => (t.id.clone(), format!("inferred from its fuel.{fuel}")),
            None => (
                sector.default_technology.clone(),
                "the sector default (no fuel in its activity indicates one)".to_string(),
            ),
        };
        study.notices.push(format!(
            "{}: technology '{}' of {} is not one {} knows; '{id}' is used, {why}",
            p.location, p.text, p.facility, sector.id
        ));
        study.facilities[fi].technology = Some(id.clone());
        for fy in study
            .facility_years
            .iter_mut()
            .filter(|fy| fy.facility_id == p.facility)
        {
            fy.technology = Some(id.clone());
        }
    }
}

fn read_activity(
    t: &Table<'_>,
    study: &mut Study,
    sectors: &SectorLibrary,
    findings: &mut Vec<DataError>,
) {
    let fuels = sectors.fuel_ids();
    let examples = item_examples(&fuels);
    let facilities: BTreeMap<String, Facility> = study
        .facilities
        .iter()
        .map(|f| (f.id.clone(), f.clone()))
        .collect();
    let mut years: BTreeMap<(String, i32), FacilityYear> = BTreeMap::new();
    let mut seen: BTreeMap<(String, i32, String), Location> = BTreeMap::new();
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let at_f = t.col_at(r, "facility_id");
        let Some(fid) = t.text(r, "facility_id") else {
            findings.push(DataError::new(at_f, "the facility id is empty"));
            continue;
        };
        let Some(facility) = facilities.get(&fid) else {
            findings.push(
                DataError::new(
                    at_f,
                    format!("facility '{fid}' is not listed in the facilities sheet"),
                )
                .with_hint(did_you_mean(&fid, facilities.keys().map(String::as_str))),
            );
            continue;
        };
        let at_y = t.col_at(r, "year");
        let year = match t.number(r, "year") {
            Ok(Some((y, false)))
                if y.fract().is_zero()
                    && y.to_i32().is_some_and(|y| (1990..=2100).contains(&y)) =>
            {
                y.to_i32().unwrap_or_default()
            }
            Ok(Some(_)) => {
                findings.push(DataError::new(
                    at_y,
                    "the year must be a whole year between 1990 and 2100",
                ));
                continue;
            }
            Ok(None) => {
                findings.push(DataError::new(at_y, "the year is empty"));
                continue;
            }
            Err(e) => {
                findings.push(e);
                continue;
            }
        };
        let at_i = t.col_at(r, "item");
        let Some(item_text) = t.text(r, "item") else {
            findings.push(DataError::new(at_i, "the item is empty"));
            continue;
        };
        let (item, node) = split_node(&item_text);
        let Some(spec) = item_spec(item, &fuels) else {
            findings.push(
                DataError::new(at_i, format!("unknown item '{item}'"))
                    .with_hint(did_you_mean(item, examples.iter().map(String::as_str))),
            );
            continue;
        };
        if let Some(n) = node {
            if let Ok(sec) = sectors.get(&facility.sector) {
                if sec.node(n).is_none() {
                    findings.push(
                        DataError::new(
                            at_i,
                            format!("unknown process '{n}' for sector {}", sec.id),
                        )
                        .with_hint(did_you_mean(n, sec.nodes.iter().map(|x| x.id.as_str()))),
                    );
                    continue;
                }
            }
        }
        let key = (fid.clone(), year, item_text.clone());
        if let Some(first) = seen.get(&key) {
            findings.push(DataError::new(
                at_i,
                format!("'{item_text}' for {fid} in {year} is repeated (first at {first}); rows are not summed"),
            ));
            continue;
        }
        seen.insert(key, at_i.clone());
        let at_v = t.col_at(r, "value");
        let numeric_cell = matches!(t.get(r, "value"), Data::Float(_) | Data::Int(_));
        let (value, pct) = match t.number(r, "value") {
            Ok(Some(v)) => v,
            Ok(None) => {
                findings.push(DataError::new(at_v, "the value is empty"));
                continue;
            }
            Err(e) => {
                findings.push(e);
                continue;
            }
        };
        let at_u = t.col_at(r, "unit");
        let unit_text = t.text(r, "unit");
        let dimensionless = |u: &str| Unit::parse(u).is_ok_and(|u| u.dims().is_none());
        let unit_text = match (unit_text, pct) {
            (None, true) => "%".to_string(),
            (Some(u), true) if u.trim() == "%" || u.trim() == "％" => "%".into(),
            // a percent-formatted cell is a fraction whatever the unit says
            (Some(u), true) if numeric_cell && dimensionless(&u) => "%".into(),
            (Some(u), true) => {
                findings.push(DataError::new(
                    at_v,
                    format!("the value is written as a percentage but its unit is '{u}'"),
                ));
                continue;
            }
            (Some(u), false) => u,
            (None, false) => {
                findings.push(DataError::new(at_u, "the unit is empty"));
                continue;
            }
        };
        let unit = match Unit::parse(&unit_text) {
            // a rate per year given for an amount is one year's amount
            Ok(u) if u.is_per_year() && spec.kind == ItemKind::Amount => u.annual().unwrap_or(u),
            Ok(u) => u,
            Err(e) => {
                findings.push(DataError::new(at_u, e.to_string()));
                continue;
            }
        };
        if !t.formats_known()
            && numeric_cell
            && !pct
            && unit.symbol().trim() == "%"
            && value > Decimal::ZERO
            && value <= Decimal::ONE
        {
            let as_percent = (value * Decimal::ONE_HUNDRED).normalize();
            findings.push(DataError::new(
                at_v,
                format!(
                    "{} in a '%' row reads as {} % or, if the cell was typed as '{as_percent}%' (a percent-formatted cell), as {as_percent} %; this file's number formats cannot be read: type the value as text ('{as_percent}%' or '{} %'), or give the unit 'fraction'",
                    value.normalize(), value.normalize(), value.normalize()
                ),
            ));
            continue;
        }
        let uncertainty = match t.text(r, "uncertainty") {
            Some(text) => match crate::factors::Uncertainty::parse(&text, value) {
                Ok(u) => Some(u),
                Err(m) => {
                    findings.push(DataError::new(
                        t.col_at(r, "uncertainty"),
                        format!("uncertainty '{text}': {m}"),
                    ));
                    continue;
                }
            },
            None => None,
        };
        if unit.symbol() == "%" && (value > Decimal::ONE_HUNDRED || value < Decimal::ZERO) {
            findings.push(DataError::new(
                at_v,
                format!("a percentage must lie between 0 and 100, got {value} %"),
            ));
            continue;
        }
        years
            .entry((fid.clone(), year))
            .or_insert_with(|| FacilityYear {
                facility_id: fid.clone(),
                name: facility.name.clone(),
                sector: facility.sector.clone(),
                technology: facility.technology.clone(),
                city: facility.city.clone(),
                county: facility.county.clone(),
                year,
                activity: Vec::new(),
            })
            .activity
            .push(Activity {
                item: item_text.clone(),
                quantity: Quantity::new(value, unit),
                location: at_v,
                uncertainty,
            });
    }
    study.facility_years = years.into_values().collect();
}
