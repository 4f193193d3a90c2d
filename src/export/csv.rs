//! The inventory as a tidy CSV: one row per facility-year, process, source and
//! substance, written as the rows are computed.

use super::{overridden, override_ids, write_error, InventoryWriter, RunSummary};
use crate::accounting::Inventory;
use crate::error::Result;
use crate::factors::FactorLibrary;
use crate::output::neutralise;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The columns of the tidy CSV, in order.
///
/// `amount` holds a row counted in the study's view; a row outside it (a memo
/// item such as biogenic CO2, or purchased power under the compliance view)
/// has its amount in `amount_outside_view` and an empty `amount`, so summing
/// `amount` by facility, year and substance gives the view's totals.
pub const CSV_COLUMNS: [&str; 18] = [
    "facility_id",
    "year",
    "sector",
    "process",
    "source",
    "substance",
    "amount",
    "amount_outside_view",
    "unit",
    "tier",
    "factor_ids",
    "scope",
    "in_view",
    "city",
    "county",
    "technology",
    "edition",
    "overrides",
];

/// Writes tidy rows to any writer.
pub(crate) struct CsvRows<W: Write> {
    out: ::csv::Writer<W>,
    overrides: BTreeSet<String>,
    path: PathBuf,
}

impl<W: Write> CsvRows<W> {
    fn new(w: W, lib: &FactorLibrary, path: PathBuf, delimiter: u8) -> Result<Self> {
        let mut out = ::csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(w);
        out.write_record(CSV_COLUMNS)
            .map_err(|e| write_error(&path, "CSV", e))?;
        Ok(CsvRows {
            out,
            overrides: override_ids(lib),
            path,
        })
    }

    fn rows(&mut self, batch: &[Inventory]) -> Result<()> {
        let mut amount = String::new();
        let mut ids = String::new();
        for inv in batch {
            let facility = neutralise(&inv.facility_id);
            let city = neutralise(inv.city.as_deref().unwrap_or(""));
            let county = neutralise(inv.county.as_deref().unwrap_or(""));
            let mut year = itoa::Buffer::new();
            let year = year.format(inv.year);
            for r in &inv.rows {
                amount.clear();
                let _ = write!(amount, "{}", crate::units::Written(r.amount));
                ids.clear();
                for (i, id) in r.factor_ids.iter().enumerate() {
                    if i > 0 {
                        ids.push(';');
                    }
                    ids.push_str(id);
                }
                let mut tier = itoa::Buffer::new();
                let mut scope = itoa::Buffer::new();
                let over = overridden(&r.factor_ids, &self.overrides);
                let (counted, outside) = if r.in_view {
                    (amount.as_str(), "")
                } else {
                    ("", amount.as_str())
                };
                let record: [&str; 18] = [
                    &facility,
                    year,
                    &inv.sector,
                    &r.node,
                    &r.source,
                    &r.substance,
                    counted,
                    outside,
                    &r.unit,
                    tier.format(r.tier),
                    &ids,
                    scope.format(r.scope),
                    if r.in_view { "true" } else { "false" },
                    &city,
                    &county,
                    &inv.technology,
                    &inv.edition,
                    &over,
                ];
                self.out
                    .write_record(record)
                    .map_err(|e| write_error(&self.path, "CSV", e))?;
            }
        }
        Ok(())
    }

    fn flush(mut self) -> Result<()> {
        self.out
            .flush()
            .map_err(|e| write_error(&self.path, "CSV", e))
    }
}

/// The CSV file writer.
pub(crate) struct CsvWriter(CsvRows<std::io::BufWriter<std::fs::File>>);

impl CsvWriter {
    /// A writer of tidy rows separated by `delimiter` (`,` for CSV, tab for TSV).
    pub(crate) fn create(path: &Path, lib: &FactorLibrary, delimiter: u8) -> Result<Self> {
        let f = std::fs::File::create(path).map_err(|e| crate::Error::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        Ok(CsvWriter(CsvRows::new(
            std::io::BufWriter::with_capacity(1 << 16, f),
            lib,
            path.to_path_buf(),
            delimiter,
        )?))
    }
}

impl InventoryWriter for CsvWriter {
    fn write(&mut self, batch: &[Inventory]) -> Result<()> {
        self.0.rows(batch)
    }
    fn finish(self: Box<Self>, _run: &RunSummary<'_>) -> Result<()> {
        self.0.flush()
    }
}

/// Writes the tidy CSV of computed inventories to any writer.
pub fn csv_to<W: Write>(inventories: &[Inventory], lib: &FactorLibrary, w: W) -> Result<()> {
    let mut rows = CsvRows::new(w, lib, PathBuf::from("<writer>"), b',')?;
    rows.rows(inventories)?;
    rows.flush()
}
