//! Results out, one file per format: the inventory as a tidy CSV
//! ([`csv`](self::csv)), JSON ([`json`](self::json)) and a formatted xlsx
//! ([`xlsx`](self::xlsx)); the measures report ([`measures`]); the roadmap and
//! its IAMC table ([`roadmap`]); the Monte Carlo summaries ([`uncertainty`]);
//! two studies compared ([`compare`]).
//!
//! Inventories are written as they are computed: an [`InventoryWriter`]
//! receives the facility-years batch by batch, rows included, and is finished
//! with what only the whole run knows (the factors used, the warnings, the
//! per-facility totals). The rows are dropped once written, so memory does not
//! grow with the output. Text from the user's workbook is neutralised against
//! formula injection; every file is written atomically.
//!
//! Adding an output format touches only this folder: a type that implements
//! [`InventoryWriter`], a variant of [`Format`] and its extension.

pub mod compare;
mod csv;
mod json;
pub mod measures;
pub mod names;
pub mod roadmap;
pub mod uncertainty;
mod xlsx;

pub use self::csv::{csv_to, CSV_COLUMNS};
pub use self::json::JSON_FORMAT;
pub use compare::{write_comparison, ComparedStudy, COMPARE_COLUMNS, COMPARE_FORMAT};
pub use measures::{measure_rows, write_measures, MEASURE_COLUMNS};
pub use roadmap::{
    iamc_common_csv_to, iamc_common_rows, iamc_csv_to, iamc_rows, write_roadmap,
    write_roadmap_odds, IamcRow,
};
pub use uncertainty::{write_uncertainty, UNCERTAINTY_COLUMNS};

use crate::accounting::{
    inventories_in_batches_releasing, share_text, FacilityYear, Inventory, Settings,
};
use crate::error::{Error, Result};
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::output::atomic_write;
use crate::text::Lang;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::Arc;

/// An inventory output format, chosen by the output path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tidy CSV: one row per facility-year, process, source and substance.
    Csv,
    /// The same tidy rows separated by tabs (for tools that split on tabs).
    Tsv,
    /// JSON: the inventories with their rows, then the factors used.
    Json,
    /// xlsx: summary, by facility, by process, factors used, warnings.
    Xlsx,
}

impl Format {
    /// The extensions coreduce writes, for messages.
    pub const SUPPORTED: &'static str = ".csv, .tsv, .json or .xlsx";

    /// The format of an output path, by its extension (any case).
    pub fn of_path(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "csv" => Ok(Format::Csv),
            "tsv" => Ok(Format::Tsv),
            "json" => Ok(Format::Json),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(Error::UnknownFormat {
                path: path.display().to_string(),
                extension: ext,
                supported: Format::SUPPORTED,
            }),
        }
    }

    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Tsv => "TSV",
            Format::Json => "JSON",
            Format::Xlsx => "xlsx",
        }
    }

    /// Opens a writer of this format on `path` (a fresh temporary file);
    /// `lang` is the language of the xlsx headers and warnings (CSV and JSON
    /// keep their stable English field names).
    pub fn open(
        self,
        path: &Path,
        lib: &FactorLibrary,
        lang: Lang,
        names: names::Names,
    ) -> Result<Box<dyn InventoryWriter>> {
        Ok(match self {
            Format::Csv => Box::new(self::csv::CsvWriter::create(path, lib, b',')?),
            Format::Tsv => Box::new(self::csv::CsvWriter::create(path, lib, b'\t')?),
            Format::Json => Box::new(self::json::JsonWriter::create(path)?),
            Format::Xlsx => Box::new(self::xlsx::XlsxWriter::create(path, lib, lang, names)?),
        })
    }
}

/// The whole run, as a writer sees it when it is finished: every
/// facility-year's totals and warnings (rows already written and dropped) and
/// the factors the rows used.
pub struct RunSummary<'a> {
    pub inventories: &'a [Inventory],
    pub factor_ids: &'a BTreeSet<String>,
    pub lib: &'a FactorLibrary,
}

/// A file being written batch by batch (on whichever thread is free: the
/// next batch is computed while this one is written).
pub trait InventoryWriter: Send {
    /// Writes facility-years in study order, with their rows.
    fn write(&mut self, batch: &[Inventory]) -> Result<()>;
    /// Completes the file with what needs the whole run.
    fn finish(self: Box<Self>, run: &RunSummary<'_>) -> Result<()>;
}

/// An inventory run written to a file: the facility-years with their totals
/// and warnings and the factors used. What only the file needs is not kept
/// here: the rows, the per-output figures (`totals.per_output`), PM by
/// pollution-equivalent category and energy use by item are empty, and equal
/// warning messages and substance codes share one text, so a run of a million
/// facility-years holds its summaries in a fraction of the memory.
#[derive(Debug)]
pub struct WrittenRun {
    pub inventories: Vec<Inventory>,
    pub factor_ids: BTreeSet<String>,
    /// rows written
    pub rows: usize,
    /// each distinct warning text and substance code once (see
    /// [`crate::accounting::share_text`])
    texts: HashSet<Arc<str>>,
}

/// Facility-years computed per batch (see [`crate::accounting::BATCH`]).
pub use crate::accounting::BATCH;

/// Computes every facility-year and writes the inventory to `path` (format by
/// extension) as it goes, the xlsx in `lang`. All or nothing: on any
/// finding no file is left. Each facility-year's activity is released once
/// it is computed (see [`inventories_in_batches_releasing`]), so the input
/// and the summaries are not both held whole.
/// `protected` paths (the inputs) are never written.
pub fn write_inventory_run(
    path: &Path,
    protected: &[&Path],
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    facility_years: &mut [FacilityYear],
    lang: Lang,
) -> Result<WrittenRun> {
    let format = Format::of_path(path)?;
    let mut run = WrittenRun {
        inventories: Vec::with_capacity(facility_years.len()),
        factor_ids: BTreeSet::new(),
        rows: 0,
        texts: HashSet::new(),
    };
    atomic_write(path, protected, |tmp| {
        let mut writer = format.open(tmp, lib, lang, names::Names::of(sectors, lang))?;
        inventories_in_batches_releasing(settings, lib, sectors, facility_years, BATCH, |batch| {
            writer.write(batch)?;
            keep_summaries(&mut run, batch);
            Ok(())
        })?;
        writer.finish(&RunSummary {
            inventories: &run.inventories,
            factor_ids: &run.factor_ids,
            lib,
        })
    })?;
    Ok(run)
}

/// Moves a written batch into the run's summary, dropping the rows.
fn keep_summaries(run: &mut WrittenRun, batch: &mut Vec<Inventory>) {
    // The same few dozen ids recur in every facility-year: a hash set of the
    // batch's ids first keeps the sorted set's string comparisons off the
    // per-row path.
    let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
    for inv in batch.iter() {
        for r in &inv.rows {
            seen.extend(r.factor_ids.iter().map(String::as_str));
        }
    }
    for id in seen {
        if !run.factor_ids.contains(id) {
            run.factor_ids.insert(id.to_string());
        }
    }
    for mut inv in batch.drain(..) {
        run.rows += inv.rows.len();
        inv.rows = Vec::new();
        // energy use by item prices measures, and the per-output and PM
        // category figures are in the file; an inventory run keeps only what
        // its summaries and report read
        inv.totals.energy_use = Default::default();
        inv.totals.per_output = Default::default();
        inv.totals.pm_by_category = Default::default();
        inv.share_warnings(&mut run.texts);
        repack(&mut inv, &mut run.texts);
        run.inventories.push(inv);
    }
}

/// Moves what a kept summary holds on the heap into fresh allocations. Its
/// strings and totals were allocated among the rows of its batch, on
/// whichever thread computed it; once the rows are dropped, each would keep
/// a mostly empty page of the allocator's in use to the end of the run.
/// Allocated afresh here, one after another, they fill pages of their own.
/// The totals' substance codes are shared run-wide: a million facility-years
/// hold each code once, not once per facility-year.
fn repack(inv: &mut Inventory, texts: &mut HashSet<Arc<str>>) {
    fn fresh(s: &mut String) {
        *s = s.as_str().to_owned();
    }
    fn fresh_opt(s: &mut Option<String>) {
        if let Some(s) = s {
            fresh(s);
        }
    }
    fresh(&mut inv.facility_id);
    fresh(&mut inv.name);
    fresh(&mut inv.sector);
    fresh(&mut inv.technology);
    fresh(&mut inv.edition);
    fresh_opt(&mut inv.city);
    fresh_opt(&mut inv.county);
    fresh(&mut inv.output_unit);
    fresh(&mut inv.grid_factor);
    let mut shared = |map: &mut BTreeMap<Arc<str>, Decimal>| {
        *map = std::mem::take(map)
            .into_iter()
            .map(|(mut code, v)| {
                share_text(texts, &mut code);
                (code, v)
            })
            .collect();
    };
    shared(&mut inv.totals.by_substance);
    shared(&mut inv.totals.outside_view);
    // a clone allocates the vector and its places afresh (the messages are
    // shared texts already)
    inv.warnings = inv.warnings.clone();
}

/// Writes inventories already computed (library callers, tests) to `path`,
/// choosing the format by extension.
pub fn write_results(
    path: &Path,
    inventories: &[Inventory],
    lib: &FactorLibrary,
    protected: &[&Path],
) -> Result<()> {
    let format = Format::of_path(path)?;
    let factor_ids: BTreeSet<String> = inventories.iter().flat_map(|i| i.factor_ids()).collect();
    atomic_write(path, protected, |tmp| {
        let mut writer = format.open(tmp, lib, Lang::En, names::Names::default())?;
        writer.write(inventories)?;
        writer.finish(&RunSummary {
            inventories,
            factor_ids: &factor_ids,
            lib,
        })
    })
}

/// A decimal as an xlsx cell's double. Display only: the exact value is in the
/// CSV and JSON.
pub(crate) fn num(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

/// A ratio that may be undefined, as table text.
pub(crate) fn opt(d: Option<Decimal>) -> String {
    d.map(|x| x.round_dp(6).normalize().to_string())
        .unwrap_or_else(|| "undefined".into())
}

/// The factor ids of a row that the user overrode, `;`-separated.
pub(crate) fn overridden(ids: &[String], overrides: &BTreeSet<String>) -> String {
    if overrides.is_empty() {
        return String::new();
    }
    ids.iter()
        .filter(|id| overrides.contains(id.as_str()))
        .cloned()
        .collect::<Vec<_>>()
        .join(";")
}

/// Ids of every overridden factor in the library (usually none).
pub(crate) fn override_ids(lib: &FactorLibrary) -> BTreeSet<String> {
    lib.iter()
        .filter(|f| f.origin.is_override())
        .map(|f| f.id.clone())
        .collect()
}

/// Writes `value` as pretty-printed JSON to `path`, atomically, never over
/// a `protected` path: the small JSON outputs (measures, roadmap, odds,
/// uncertainty, comparison).
pub(crate) fn write_pretty_json(
    path: &Path,
    protected: &[&Path],
    value: &impl serde::Serialize,
) -> Result<()> {
    atomic_write(path, protected, |tmp| {
        let f = std::fs::File::create(tmp).map_err(|e| Error::Io {
            path: tmp.display().to_string(),
            source: e,
        })?;
        let mut w = std::io::BufWriter::new(f);
        serde_json::to_writer_pretty(&mut w, value).map_err(|e| write_error(path, "JSON", e))?;
        std::io::Write::flush(&mut w).map_err(|e| write_error(path, "JSON", e))
    })
}

/// A write error in a format, named by path.
pub(crate) fn write_error(path: &Path, format: &'static str, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.display().to_string(),
        format,
        reason: e.to_string(),
    }
}

/// The most an xlsx cell holds, in UTF-16 code units (Excel's limit, which
/// `rust_xlsxwriter` enforces): 32,767 characters of the Basic Multilingual
/// Plane, fewer where a character takes two units (emoji, CJK Extension B).
pub const XLSX_CELL_MAX: usize = 32_767;

/// Text fitted to one xlsx cell: text longer than [`XLSX_CELL_MAX`] UTF-16
/// units is cut, and ends with a marker saying so and how long it was (the
/// CSV and JSON outputs keep the whole text).
pub fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    // UTF-8 never takes fewer bytes than UTF-16 takes units, so a text short
    // in bytes fits without counting (every cell of a run comes here).
    if text.len() <= XLSX_CELL_MAX || text.encode_utf16().count() <= XLSX_CELL_MAX {
        return std::borrow::Cow::Borrowed(text);
    }
    let n = text.chars().count();
    let marker = format!(" …[truncated: {n} characters, over the xlsx cell limit of 32,767; the CSV and JSON outputs keep it whole]");
    let budget = XLSX_CELL_MAX - marker.encode_utf16().count();
    let mut out = String::with_capacity(budget * 3 + marker.len());
    let mut used = 0;
    for c in text.chars() {
        used += c.len_utf16();
        if used > budget {
            break;
        }
        out.push(c);
    }
    out.push_str(&marker);
    std::borrow::Cow::Owned(out)
}

/// Writing text cells through [`fit_cell`]: every xlsx writer uses these in
/// place of `write_string`, so no text can fail a run on the cell limit.
pub(crate) trait WriteText {
    fn write_text(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
    ) -> std::result::Result<&mut Self, rust_xlsxwriter::XlsxError>;
    fn write_text_with_format(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &rust_xlsxwriter::Format,
    ) -> std::result::Result<&mut Self, rust_xlsxwriter::XlsxError>;
}

impl WriteText for rust_xlsxwriter::Worksheet {
    fn write_text(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
    ) -> std::result::Result<&mut Self, rust_xlsxwriter::XlsxError> {
        self.write_string(row, col, fit_cell(text.as_ref()).as_ref())
    }
    fn write_text_with_format(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &rust_xlsxwriter::Format,
    ) -> std::result::Result<&mut Self, rust_xlsxwriter::XlsxError> {
        self.write_string_with_format(row, col, fit_cell(text.as_ref()).as_ref(), format)
    }
}

#[cfg(test)]
mod cell_tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_the_cell_limit_with_a_marker() {
        let short = "AL-GY-01";
        assert_eq!(fit_cell(short), short);
        let exact = "x".repeat(XLSX_CELL_MAX);
        assert_eq!(fit_cell(&exact).chars().count(), XLSX_CELL_MAX);
        let long = "厂".repeat(100_000);
        let fitted = fit_cell(&long);
        assert_eq!(fitted.chars().count(), XLSX_CELL_MAX);
        assert!(fitted.ends_with("the CSV and JSON outputs keep it whole]"));
        assert!(fitted.contains("truncated: 100000 characters"));
    }

    /// Excel counts UTF-16 units: 20,000 characters outside the Basic
    /// Multilingual Plane (CJK Extension B, two units each) are 40,000 units,
    /// over the limit though under it in characters; they are cut to fit,
    /// never split inside a character, and rust_xlsxwriter takes the cell.
    #[test]
    fn characters_of_two_utf16_units_count_twice() {
        let rare = "𠀀".repeat(20_000);
        assert_eq!(rare.encode_utf16().count(), 40_000);
        let fitted = fit_cell(&rare);
        let units = fitted.encode_utf16().count();
        assert!(
            (XLSX_CELL_MAX - 1..=XLSX_CELL_MAX).contains(&units),
            "{units}"
        );
        assert!(fitted.contains("truncated: 20000 characters"));
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        assert!(ws.write_text(0, 0, &rare).is_ok());
        assert!(
            ws.write_string(0, 1, rare.as_str()).is_err(),
            "the limit this guards"
        );
        // 16,383 of them (32,766 units) fit whole
        let fits = "𠀀".repeat(16_383);
        assert_eq!(fit_cell(&fits), fits);
    }
}
