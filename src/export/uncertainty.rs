//! The Monte Carlo report out: a CSV of the summaries (mean, median, 2.5 and
//! 97.5 percentiles per facility, sector and province for every substance) or
//! the whole report as JSON (summaries and the sensitivity ranking).

use super::write_error;
use crate::error::{Error, Result};
use crate::output::{atomic_write, neutralise};
use crate::uncertainty::McReport;
use std::path::Path;

/// The columns of the uncertainty CSV.
pub const UNCERTAINTY_COLUMNS: [&str; 9] = [
    "level",
    "key",
    "substance",
    "exact",
    "mean",
    "median",
    "p2_5",
    "p97_5",
    "approach1_half_width",
];

/// Writes the report by extension (.csv or .json), atomically.
pub fn write_uncertainty(path: &Path, rep: &McReport, protected: &[&Path]) -> Result<()> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "json" => super::write_pretty_json(path, protected, rep),
        "csv" => atomic_write(path, protected, |tmp| {
            let err = |e: csv::Error| write_error(path, "CSV", e);
            let mut w = csv::Writer::from_path(tmp).map_err(err)?;
            w.write_record(UNCERTAINTY_COLUMNS).map_err(err)?;
            for s in &rep.summaries {
                w.write_record([
                    s.level.clone(),
                    neutralise(&s.key),
                    s.substance.clone(),
                    s.exact.normalize().to_string(),
                    s.mean.to_string(),
                    s.median.to_string(),
                    s.p2_5.to_string(),
                    s.p97_5.to_string(),
                    s.approach1_half_width.to_string(),
                ])
                .map_err(err)?;
            }
            w.flush().map_err(|e| write_error(path, "CSV", e))
        }),
        other => Err(Error::UnknownFormat {
            path: path.display().to_string(),
            extension: other.to_string(),
            supported: ".csv or .json",
        }),
    }
}
