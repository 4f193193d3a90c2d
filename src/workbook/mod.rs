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
//! the formats cannot be read (xls), a value ≤ 1 in a `%` row is a
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

mod activity;
mod archive;
mod cells;
mod facilities;
pub mod formats;
mod rows;
mod run;
mod settings;
pub mod template;

use activity::*;
use cells::*;
pub use cells::{MAX_CELLS, MAX_CELL_CHARS, MAX_COLS};
use facilities::*;
use rows::*;
use settings::*;

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

/// An empty required cell that holds a formula was written by a program
/// that never computed it (openpyxl, pandas, a script): the file has the
/// formula but no value. Say so, and how to get the value, instead of "the
/// value is empty". Formulas are read only for sheets with such a finding.
fn explain_uncomputed_formulas<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    findings: &mut [DataError],
) {
    let mut formulas: BTreeMap<String, Option<Range<String>>> = BTreeMap::new();
    for f in findings.iter_mut() {
        let Location::Cell { sheet, row0, col0 } = &f.location else {
            continue;
        };
        if !f.message.ends_with(" is empty") {
            continue;
        }
        let range = formulas
            .entry(sheet.to_string())
            .or_insert_with(|| wb.worksheet_formula(sheet).ok());
        let formula = range
            .as_ref()
            .and_then(|r| r.get_value((*row0, *col0)))
            .filter(|t| !t.trim().is_empty());
        if let Some(formula) = formula {
            let shown: String = formula.chars().take(60).collect();
            f.message = format!(
                "the cell holds the formula ={shown} but no computed value (the program that wrote the file did not calculate it): open the workbook in Excel, WPS or LibreOffice and save it, or type the value"
            );
        }
    }
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
        explain_uncomputed_formulas(&mut wb, &mut findings);
        findings.sort_by_key(|a| sort_key(&a.location));
        findings.dedup();
        Err(WorkbookError::Invalid {
            path: shown,
            findings,
        })
    }
}
